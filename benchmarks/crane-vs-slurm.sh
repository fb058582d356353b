#!/usr/bin/env bash
# crane-vs-slurm.sh - Crane and Slurm side by side on this machine (issue 16). Run by hand, as root; not a test.
#
#   benchmarks/crane-vs-slurm.sh [-n JOBS] [-r RUNS] [-s SPAWNS] [--only drain|commands|spawn] [--profile]
#
# Sets up both schedulers with the same shape, 4 nodes x 4 CPUs:
#   Slurm  ../shared/peers/slurm-up.sh (kept as it is when sinfo already answers; SLURM_UP names another script);
#   Crane  the distribution tarball (plugins-scheduler-crane/crane-dist/target/crane-*.tar.gz, built by
#          `mvn -pl plugins-scheduler-crane/crane-dist -am package -DskipTests`, see that README's "Packaging") unpacked in
#          a temporary directory: one cranectld (free port, own state) and 4 craned c1..c4 as root running the jobs
#          as the user alice (the Slurm peer's user too). Everything of Crane's lives in that directory and is
#          stopped and removed at the end.
# Then measures, each figure printed with the ratio Crane/Slurm (or Crane/limit):
#   1. drain: JOBS single submissions one after another with the command (sbatch / cbatch --wrap true), and one
#      array of JOBS `true` tasks: seconds from the first submission until the queue is empty, and jobs/s;
#   2. the machine's spawn limit: as many loops as processors of `setsid setpriv --reuid --regid --clear-groups
#      /bin/sh -c true` (what a job costs at the least), SPAWNS each: spawns/s; Crane's drain as a share of it;
#   3. command wall time: median of RUNS runs of cbatch --wrap true / cqueue / cinfo against sbatch / squeue /
#      sinfo, run in turn (A B A B ...) so the ratio is taken pair by pair.
# --profile: Crane's daemons run under Java Flight Recorder; after the drains it prints where the machine's CPU went
#   during Crane's array drain (cranectld, the 4 craned, their job processes, the rest) and each daemon's hottest
#   methods (JFR execution samples by the top frame and by the innermost project frame: benchmarks/JfrTop.java).
# Needs: root, python3 (timing), setpriv, the Slurm peer's packages.
set -euo pipefail

JOBS=500 RUNS=30 SPAWNS=300 ONLY= PROFILE=
while [ $# -gt 0 ]; do
  case "$1" in
    -n) JOBS=${2:?-n needs a number}; shift 2 ;;
    -r) RUNS=${2:?-r needs a number}; shift 2 ;;
    -s) SPAWNS=${2:?-s needs a number}; shift 2 ;;
    --only) ONLY=${2:?--only needs drain, commands or spawn}; shift 2 ;;
    --profile) PROFILE=1; shift ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "crane-vs-slurm.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for v in "$JOBS" "$RUNS" "$SPAWNS"; do
  case "$v" in ''|*[!0-9]*|0) echo "crane-vs-slurm.sh: -n, -r and -s take a positive number, got '$v'" >&2; exit 2 ;; esac
done
case "$ONLY" in ''|drain|commands|spawn) ;; *) echo "crane-vs-slurm.sh: --only takes drain, commands or spawn, got '$ONLY'" >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { echo "crane-vs-slurm.sh: run as root (craned switches to the job user)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "crane-vs-slurm.sh: python3 is needed for the timings" >&2; exit 1; }

repo=$(cd "$(dirname "$0")/.." && pwd)
JOB_USER=alice
id "$JOB_USER" >/dev/null 2>&1 || { echo "crane-vs-slurm.sh: user $JOB_USER is missing (slurm-up.sh SLURM_USERS=\"alice bob\" makes it)" >&2; exit 1; }
uid=$(id -u "$JOB_USER") gid=$(id -g "$JOB_USER")
want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }
say() { printf '%s\n' "$*"; }
now() { date +%s.%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# ------------------------------------------------------------------------------------------------ Slurm
if ! sinfo -h >/dev/null 2>&1; then
  up=${SLURM_UP:-$repo/../shared/peers/slurm-up.sh}
  [ -x "$up" ] || { echo "crane-vs-slurm.sh: Slurm is not running and $up is missing (set SLURM_UP)" >&2; exit 1; }
  SLURM_USERS="alice bob" "$up" >/dev/null
fi
[ "$(squeue -h | wc -l)" = 0 ] || { echo "crane-vs-slurm.sh: Slurm's queue is not empty; the drain figures need it empty" >&2; exit 1; }

# ------------------------------------------------------------------------------------------------ Crane
tarball=
for t in "$repo"/plugins-scheduler-crane/crane-dist/target/crane-*.tar.gz; do [ -f "$t" ] && tarball=$t; done
[ -n "$tarball" ] || { echo "crane-vs-slurm.sh: no crane-*.tar.gz: build it first (mvn -pl plugins-scheduler-crane/crane-dist -am package -DskipTests)" >&2; exit 1; }
work=$(mktemp -d /tmp/crane-vs-slurm.XXXXXX)
chmod 755 "$work"   # the job user must reach the spool directories below
home=
cleanup() {
  if [ -n "$home" ]; then
    for n in 1 2 3 4; do "$home/bin/craned" stop --config "$work/craned.conf" --node "c$n" >/dev/null 2>&1 || true; done
    "$home/bin/cranectld" stop --config "$work/cranectld.conf" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
tar xzf "$tarball" -C "$work"
for h in "$work"/crane-*/; do home=${h%/}; done
export CRANECTLD_JAVA_OPTS=-Xmx1g
if [ -n "$PROFILE" ]; then
  # written when each daemon stops
  CRANECTLD_JAVA_OPTS="-Xmx1g -XX:StartFlightRecording=filename=$work/jfr/cranectld.jfr,settings=profile,dumponexit=true"
  mkdir -p "$work/jfr"
fi
cat >"$work/cranectld.conf" <<CONF
ClusterName=bench
StateDir=$work/state
ListenAddress=127.0.0.1
ListenPort=0
RunDir=$work/run
LogDir=$work/log
SchedulerIntervalMs=1000
MinPassGapMs=20
MaxArraySize=$((JOBS > 10000 ? JOBS : 10000))
NodeDaemons=true
NodeTimeout=30
Node name=c[1-4] cpus=4 mem=4000M
Partition name=debug nodes=c[1-4] default=yes maxtime=1-0
CONF
"$home/bin/cranectld" start --config "$work/cranectld.conf" >/dev/null
port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/log/cranectld.log" | tail -n 1)
[ -n "$port" ] || { echo "crane-vs-slurm.sh: cranectld did not say its port; log:" >&2; cat "$work/log/cranectld.log" >&2; exit 1; }
cat >"$work/craned.conf" <<CONF
ControllerAddress=127.0.0.1
ControllerPort=$port
CredentialFile=$work/%n.cred
SpoolDir=$work/spool/%n
RunDir=$work/run
LogDir=$work/log
HeartbeatInterval=1
CPUs=4
Memory=4000M
Gpus=0
CONF
for n in 1 2 3 4; do
  "$home/bin/cranectld" credential --config "$work/cranectld.conf" --scope node --principal "c$n" --out "$work/c$n.cred" >/dev/null 2>&1
  [ -n "$PROFILE" ] && export CRANED_JAVA_OPTS="-Xmx256m -XX:+UseSerialGC -XX:StartFlightRecording=filename=$work/jfr/craned-c$n.jfr,settings=profile,dumponexit=true"
  "$home/bin/craned" start --config "$work/craned.conf" --node "c$n" >/dev/null
done
"$home/bin/cranectld" credential --config "$work/cranectld.conf" --scope user --principal root --out "$work/root.cred" >/dev/null 2>&1
"$home/bin/cranectld" credential --config "$work/cranectld.conf" --scope user --principal "$JOB_USER" \
  --out "$work/user.cred" --owner "$JOB_USER" >/dev/null 2>&1
export CRANE_CONF=/dev/null CRANE_CONTROLLER=127.0.0.1:$port CRANE_CDS_DIR=$work/cds
cb=$home/bin   # not on PATH: its sbatch/squeue/sinfo would hide Slurm's
export CB=$cb
CRANE_CREDENTIAL=$work/root.cred "$cb/cacctmgr" add account bench >/dev/null
CRANE_CREDENTIAL=$work/root.cred "$cb/cacctmgr" add user "$JOB_USER" Account=bench >/dev/null
export CRANE_CREDENTIAL=$work/user.cred
for i in $(seq 1 120); do
  [ "$("$cb/cinfo" -N -t idle -o '%D' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')" = 4 ] && break
  [ "$i" = 120 ] && { echo "crane-vs-slurm.sh: the 4 craned did not register; logs in $work/log" >&2; cat "$work"/log/*.log >&2; exit 1; }
  sleep 0.5
done
cli=lib/cli
runtime="JDK $(java -version 2>&1 | sed -n '1s/.*"\(.*\)".*/\1/p') with AppCDS"
[ -x "$home/lib/cli/runtime/bin/java" ] && runtime="its own jlink'd runtime with an AOT cache"
say "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) processors, load average $(cut -d' ' -f1-3 /proc/loadavg)"
say "# Slurm $(sinfo --version | awk '{ print $2 }') ($(sinfo -h -o %D | awk '{ s += $1 } END { print s }') nodes); Crane $(basename "$tarball" .tar.gz), 4 craned x 4 CPUs, commands on $runtime"
cd /tmp

# drain KIND MODE: one line "seconds" for JOBS jobs of MODE loop|array through KIND slurm|crane
drain() {
  local kind=$1 mode=$2 t0 t1 left
  if [ "$kind" = slurm ]; then
    sub() { sbatch -Q -J bench -o /dev/null -e /dev/null "$@" >/dev/null; }
    count() { squeue -h -r -n bench | wc -l; }
  else
    sub() { "$cb/cbatch" -J bench -A bench -o /dev/null -e /dev/null "$@" >/dev/null; }
    count() { "$cb/cqueue" -N -m 0 -n bench | wc -l; }
  fi
  t0=$(now)
  if [ "$mode" = loop ]; then
    for _ in $(seq 1 "$JOBS"); do sub --wrap true; done
  else
    sub --array=1-"$JOBS" --wrap true
  fi
  t1=$(now)
  local deadline=$(( $(date +%s) + 1800 ))
  while left=$(count) && [ "$left" != 0 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "crane-vs-slurm.sh: $kind $mode: $left jobs left after 30 min" >&2; exit 1; }
    # both queues polled alike; a JVM command costs more than squeue, so not too often (the jobs need the CPU)
    sleep 0.5
  done
  awk -v a="$t0" -v b="$t1" -v c="$(now)" 'BEGIN { printf "%.2f %.2f\n", b - a, c - a }'
}

# cpu_now: "machine cranectld craned craned-children" in clock ticks (user + system); children are the job
# processes craned waited for (their setsid, setpriv and shells)
cpu_now() {
  local m c d k p
  m=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat)
  c=$(awk '{ print $14 + $15 }' "/proc/$(cat "$work/run/cranectld.pid")/stat")
  d=0 k=0
  for p in "$work"/run/craned-*.pid; do
    read -r a b < <(awk '{ print $14 + $15, $16 + $17 }' "/proc/$(cat "$p")/stat")
    d=$((d + a)) k=$((k + b))
  done
  echo "$m $c $d $k"
}
crane_best=0
if want drain; then
  say ""
  say "## drain: $JOBS jobs of \`true\`, 1 CPU each (seconds from the first submission to an empty queue)"
  printf '%-26s %18s %18s %8s\n' workload "Slurm jobs/s" "Crane jobs/s" ratio
  for mode in loop array; do
    read -r _ s < <(drain slurm "$mode")
    [ "$mode" = array ] && [ -n "$PROFILE" ] && cpu_before=$(cpu_now)
    read -r _ c < <(drain crane "$mode")
    [ "$mode" = array ] && [ -n "$PROFILE" ] && cpu_after=$(cpu_now)
    sr=$(awk -v n="$JOBS" -v t="$s" 'BEGIN { printf "%.1f", n / t }')
    cr=$(awk -v n="$JOBS" -v t="$c" 'BEGIN { printf "%.1f", n / t }')
    label="$JOBS single submissions"; [ "$mode" = array ] && label="array of $JOBS"
    printf '%-26s %10s (%5.1fs) %10s (%5.1fs) %7sx\n' "$label" "$sr" "$s" "$cr" "$c" "$(ratio "$cr" "$sr")"
    crane_best=$(awk -v a="$crane_best" -v b="$cr" 'BEGIN { print (b > a ? b : a) }')
  done
  bad=$(CRANE_CREDENTIAL=$work/root.cred "$cb/cacct" -N -m 0 -n bench -t f,x,t,oom,nf 2>/dev/null | wc -l)
  [ "$bad" = 0 ] || say "  (Crane: $bad of the jobs did not complete; cacct -n bench -t f,x,t,oom,nf lists them)"
fi

if [ -n "$PROFILE" ] && [ -n "${cpu_after:-}" ]; then
  say ""
  say "## where the CPU went during Crane's array drain (CPU seconds; the machine's total includes other work)"
  read -r m0 c0 d0 k0 <<<"$cpu_before"
  read -r m1 c1 d1 k1 <<<"$cpu_after"
  hz=$(getconf CLK_TCK)
  awk -v m=$((m1 - m0)) -v c=$((c1 - c0)) -v d=$((d1 - d0)) -v k=$((k1 - k0)) -v hz="$hz" -v n="$JOBS" 'BEGIN {
    printf "machine %.1f s: cranectld %.1f s, 4 craned %.1f s, their job processes %.1f s, the rest %.1f s\n",
      m / hz, c / hz, d / hz, k / hz, (m - c - d - k) / hz
    printf "per job: cranectld %.1f ms, craned %.1f ms, job processes %.1f ms\n", 1000 * c / hz / n, 1000 * d / hz / n, 1000 * k / hz / n }'
fi

if want spawn || want drain; then
  p=$(nproc)
  say ""
  say "## the machine's spawn limit: $p loops x $SPAWNS of setsid setpriv --reuid=$uid --regid=$gid --clear-groups /bin/sh -c true"
  t0=$(now)
  for _ in $(seq 1 "$p"); do
    ( for _ in $(seq 1 "$SPAWNS"); do setsid setpriv --reuid="$uid" --regid="$gid" --clear-groups /bin/sh -c true; done ) &
  done
  wait
  limit=$(awk -v a="$t0" -v b="$(now)" -v n=$((p * SPAWNS)) -v p="$p" 'BEGIN { printf "%.1f", n / (b - a) }')
  per=$(awk -v l="$limit" -v p="$p" 'BEGIN { printf "%.2f", 1000 * p / l }')
  say "spawn limit: $limit /s ($per ms per spawn per processor)"
  [ "$crane_best" != 0 ] && say "Crane's best drain $crane_best jobs/s = $(awk -v a="$crane_best" -v b="$limit" 'BEGIN { printf "%.0f", 100 * a / b }')% of it"
fi

if want commands; then
  say ""
  say "## command wall time: median (min-max) of $RUNS runs each, Crane and Slurm in turn; ratio of the medians"
  python3 - "$RUNS" <<'PY'
import os, statistics, subprocess, sys, time
CB = os.environ["CB"]
runs = int(sys.argv[1])
pairs = [("cbatch --wrap true", [CB + "/cbatch", "--parsable", "-A", "bench", "-o", "/dev/null", "--wrap", "true"],
          "sbatch --wrap true", ["sbatch", "--parsable", "-o", "/dev/null", "--wrap", "true"]),
         ("cqueue", [CB + "/cqueue"], "squeue", ["squeue"]),
         ("cinfo", [CB + "/cinfo"], "sinfo", ["sinfo"])]
def once(cmd):
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {r.stderr.decode(errors='replace').strip()}")
    return (time.perf_counter() - t) * 1000
print(f"{'Crane':<20} {'median ms':>10} {'(min-max)':>13}   {'Slurm':<20} {'median ms':>10} {'(min-max)':>13} {'ratio':>7}")
for an, a, bn, b in pairs:
    once(a); once(b)  # warm-up: caches, and the commands' start-up archive
    ta, tb = [], []
    for _ in range(runs):
        ta.append(once(a)); tb.append(once(b))
    ma, mb = statistics.median(ta), statistics.median(tb)
    print(f"{an:<20} {ma:>10.1f} {f'({min(ta):.0f}-{max(ta):.0f})':>13}   {bn:<20} {mb:>10.1f} "
          f"{f'({min(tb):.0f}-{max(tb):.0f})':>13} {ma / mb:>6.1f}x")
PY
  # the jobs the timing submitted run as well; leave both queues empty
  for _ in $(seq 1 240); do
    [ "$(squeue -h | wc -l)" = 0 ] && [ "$("$cb/cqueue" -N -m 0 | wc -l)" = 0 ] && break
    sleep 0.5
  done
fi
if [ -n "$PROFILE" ]; then
  for n in 1 2 3 4; do "$home/bin/craned" stop --config "$work/craned.conf" --node "c$n" >/dev/null 2>&1 || true; done
  "$home/bin/cranectld" stop --config "$work/cranectld.conf" >/dev/null 2>&1 || true
  keep=/tmp/crane-vs-slurm-jfr.$(date +%s)
  cp -r "$work/jfr" "$keep"
  for f in cranectld craned-c1; do
    say ""
    say "## $f: JFR execution samples over the whole run (recordings kept in $keep)"
    java "$repo/benchmarks/JfrTop.java" "$keep/$f.jfr" 2>&1 | sed 's/^/  /'
  done
fi
say ""
say "# load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
