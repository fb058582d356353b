#!/bin/sh
# steps-latency.sh [RUNS] - crun task-launch latency and calloc time to prompt through the distribution's own
# launcher (bin/crane with its AppCDS archive). Run by hand, not by tests.
#
# Unpacks the tarball (crane-dist/target/crane-*.tar.gz: mvn -o -q -f plugins-scheduler-crane/pom.xml package), starts
# its cranectld with node daemons and two craned (cn1, cn2: single-user mode, no cgroups, as the test's user) on a
# free port, holds a 2-node allocation with a batch job, then times RUNS (default 10) runs of:
#   crun --jobid J echo hi         a 1-task step on the idle allocation, to its first output line
#   crun -N2 --jobid J echo hi     a 2-node step, to its end
#   calloc -N1 echo prompt         a new allocation (the batch job holds the other node), to the command's output
# Prints min and mean per case and the load average (on a busy machine it decides the wall time).
set -eu
runs=${1:-10}
here=$(cd "$(dirname "$0")" && pwd)
tarball=
for t in "$here"/../../crane-dist/target/crane-*.tar.gz; do [ -f "$t" ] && tarball=$t; done
[ -n "$tarball" ] || { echo "no crane-*.tar.gz in $here/../../crane-dist/target: build it first (mvn package)" >&2; exit 1; }

work=$(mktemp -d)
export CRANECTLD_JAVA_OPTS=-Xmx512m
cleanup() {
  if [ -n "${home:-}" ]; then
    for n in cn1 cn2; do "$home/bin/craned" stop --config "$work/craned.conf" --node $n >/dev/null 2>&1 || true; done
    "$home/bin/cranectld" stop --config "$work/cranectld.conf" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

tar xzf "$tarball" -C "$work"
for h in "$work"/crane-*; do home=$h; done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/cranectld.conf" <<CONF
ClusterName=bench
StateDir=$work/state
ListenAddress=127.0.0.1
ListenPort=$port
SchedulerIntervalMs=100
NodeDaemons=true
NodeTimeout=60
AllowRootJobs=true
RunDir=$work/run
LogDir=$work/log
Node name=cn[1-2] cpus=1 mem=256M
Partition name=p nodes=cn[1-2] default=yes maxtime=1:00:00 deftime=30:00
CONF
cat >"$work/craned.conf" <<CONF
ControllerAddress=127.0.0.1
ControllerPort=$port
CredentialFile=$work/%n.cred
SpoolDir=$work/spool/%n
HeartbeatInterval=1
CPUs=0
Memory=0
Gpus=0
RunJobsAsUser=false
Cgroups=off
KillWait=1
RunDir=$work/run
LogDir=$work/log
AllowRootJobs=true
CONF
"$home/bin/cranectld" start --config "$work/cranectld.conf" >/dev/null
for n in cn1 cn2; do
  "$home/bin/cranectld" credential --config "$work/cranectld.conf" --scope node --principal $n --out "$work/$n.cred" 2>/dev/null
  "$home/bin/craned" start --config "$work/craned.conf" --node $n >/dev/null
done
"$home/bin/cranectld" credential --config "$work/cranectld.conf" --scope user --principal "$(id -un)" \
  --out "$work/user.cred" 2>/dev/null
export CRANE_CONTROLLER="127.0.0.1:$port" CRANE_CREDENTIAL="$work/user.cred" CRANE_CONF=/dev/null CRANE_CDS_DIR="$work/cds"
until [ "$("$home/bin/cinfo" -N -o %t 2>/dev/null)" = idle ]; do sleep 0.2; done
"$home/bin/cacctmgr" add account bench >/dev/null
"$home/bin/cacctmgr" add user "$(id -un)" Account=bench >/dev/null
job=$("$home/bin/cbatch" --parsable -N1 -o /dev/null --wrap 'sleep 3600')
until [ "$("$home/bin/cqueue" -N -o %t -j "$job")" = RUNNING ]; do sleep 0.2; done
"$home/bin/crun" --jobid "$job" true  # makes the class-data archive

# time_to_first_line CMD...: ms from start to the command's first output line (it then runs to its end)
time_to_first_line() {
  t0=$(date +%s%N)
  "$@" 2>/dev/null | { read -r _; t1=$(date +%s%N); cat >/dev/null; echo $(( (t1 - t0) / 1000000 )); }
}
measure() {
  label=$1; shift
  all=
  i=0
  while [ $i -lt "$runs" ]; do all="$all $(time_to_first_line "$@")"; i=$((i + 1)); done
  echo "$all" | tr ' ' '\n' | awk -v l="$label" 'NF { n++; s += $1; if (min == "" || $1 < min) min = $1 }
    END { printf "%-34s min %4d ms  mean %4d ms  (%d runs)\n", l, min, s / n, n }'
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
measure "crun 1 task, first output" "$home/bin/crun" --jobid "$job" echo hi
"$home/bin/ccancel" "$job" >/dev/null
job=$("$home/bin/cbatch" --parsable -N2 -o /dev/null --wrap 'sleep 3600')
until [ "$("$home/bin/cqueue" -N -o %t -j "$job")" = RUNNING ]; do sleep 0.2; done
measure "crun -N2, first output" "$home/bin/crun" --jobid "$job" -N2 echo hi
"$home/bin/ccancel" "$job" >/dev/null
until [ -z "$("$home/bin/cqueue" -N -o %j)" ]; do sleep 0.2; done
measure "calloc -N1, time to prompt" "$home/bin/calloc" -N1 echo prompt
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
