#!/usr/bin/env bash
# apps-proxy.sh - benchmark of the interactive apps' proxy (/proxy/<session>/), on this machine, loopback only.
#
# Starts the whole platform from the built distribution (karaf-distribution/target, through the itest harness
# itests/.../AppsProxyBenchmark, Pax Exam), on the default local cluster, with the test login node of
# .ci/login-node-up.sh on 127.0.0.1:2222. Launches, as alice, an app that serves a 1 KiB page and echoes WebSocket
# messages (apps_proxy_bench.py server), then runs apps_proxy_bench.py client against the app directly and through
# the real proxy servlet:
#   - HTTP: N sequential GETs of the page on one keep-alive connection, direct vs proxied: p50, p99 (ms)
#   - WebSocket: echo of 64 KiB binary messages for 5 s, direct vs proxied (MB/s, sent + received)
#   - launch -> running and launch -> connected (first proxied 200), on the idle local cluster
# Prints the figures as JSON (also in itests/target/apps-proxy-bench.json).
#
# Needs: the distribution built first (mvn -B -o install -DskipTests -Dportal.skipNpm), python3, the login node.
# Usage: benchmarks/apps-proxy.sh [requests]   (default 2000; REPO=/path/to/m2 to choose the Maven repository)
# The itests use fixed ports, so the run holds /tmp/scow-itest.lock (flock) like every itest run.
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-2000}
case "$requests" in ''|*[!0-9]*) echo "requests must be a number" >&2; exit 2 ;; esac
repo=(); if [ -n "${REPO:-}" ]; then repo=("-Dmaven.repo.local=$REPO"); fi
out=itests/target/apps-proxy-bench.json
rm -f "$out"
flock /tmp/scow-itest.lock mvn -B -o -q "${repo[@]}" -Dportal.skipNpm verify -pl itests \
    -Dit.test=AppsProxyBenchmark -Dscow.bench.requests="$requests" -DfailIfNoTests=false -Dsurefire.failIfNoSpecifiedTests=false
cat "$out"
