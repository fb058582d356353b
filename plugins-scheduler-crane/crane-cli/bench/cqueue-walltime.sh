#!/bin/sh
# cqueue-walltime.sh [RUNS] - wall time of `cqueue` and `cinfo` against a live cranectld. Run by hand, not by tests.
#
# Unpacks the distribution tarball (crane-dist/target/crane-*.tar.gz: mvn -o -q -f plugins-scheduler-crane/pom.xml
# package), starts its cranectld with simulated nodes on a free port, submits 100 jobs, then runs hyperfine (RUNS
# runs, default 20, after 3 warm-up runs, which also make the commands' class-data archive) and prints mean, min and
# max per command, with the CPU time and the load average, which on a busy machine decides the wall time.
# Needs java 17 and hyperfine (apt-get install hyperfine). Everything lives in a temporary directory, removed at
# the end; the controller is stopped by its pid file.
set -eu
runs=${1:-20}
here=$(cd "$(dirname "$0")" && pwd)
tarball=
for t in "$here"/../../crane-dist/target/crane-*.tar.gz; do [ -f "$t" ] && tarball=$t; done
[ -n "$tarball" ] || { echo "no crane-*.tar.gz in $here/../../crane-dist/target: build it first (mvn package)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }

work=$(mktemp -d)
export CRANECTLD_RUN_DIR="$work/run" CRANECTLD_LOG_DIR="$work/log" CRANECTLD_JAVA_OPTS=-Xmx512m
cleanup() {
  [ -n "${home:-}" ] && "$home/bin/cranectld" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

tar xzf "$tarball" -C "$work"
for h in "$work"/crane-*; do home=$h; done
cat >"$work/cranectld.conf" <<CONF
ClusterName=bench
StateDir=$work/state
ListenAddress=127.0.0.1
ListenPort=0
SimulatedNodes=true
Node name=cn[01-16] cpus=8 mem=32G
Partition name=cpu nodes=cn[01-16] default=yes maxtime=3-0 deftime=1:00:00
CONF
"$home/bin/cranectld" start --config "$work/cranectld.conf" >/dev/null
port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/log/cranectld.log" | tail -n 1)
"$home/bin/cranectld" credential --config "$work/cranectld.conf" --scope user --principal root \
  --out "$work/root.cred" 2>/dev/null

export CRANE_CONTROLLER="127.0.0.1:$port" CRANE_CREDENTIAL="$work/root.cred" CRANE_CONF=/dev/null \
  CRANE_CDS_DIR="$work/cds"
"$home/bin/cacctmgr" add account bench >/dev/null
"$home/bin/cacctmgr" add user root Account=bench >/dev/null
"$home/bin/cbatch" -A bench -J bench --array 1-100 --wrap 'sleep 3600' >/dev/null
echo "cranectld on port $port with $("$home/bin/cqueue" -N -m 0 | wc -l) jobs; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

hyperfine -N --style basic --warmup 3 --runs "$runs" --export-csv "$work/times.csv" \
  -n cqueue "$home/bin/cqueue" -n cinfo "$home/bin/cinfo" >/dev/null
# CSV: command,mean,stddev,median,user,system,min,max (seconds)
awk -F, 'NR > 1 { printf "%-7s mean %4.0f ms  min %4.0f ms  max %4.0f ms  (cpu: user %3.0f ms + sys %3.0f ms)\n", \
  $1, $2 * 1000, $7 * 1000, $8 * 1000, $5 * 1000, $6 * 1000 }' "$work/times.csv"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
