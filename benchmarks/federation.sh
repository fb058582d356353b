#!/usr/bin/env bash
# federation.sh - figures of the computing-network federation (issue 15), on this machine, loopback only.
#
#   - routing decision time: in process over 10 in-memory clusters (RouterTest), and at a live center A routing
#     over two peers' clusters, their price quotes included (ThreeCenterIT, 100 decisions: median, p90)
#   - added latency of a remote-driver call: A's REST partitions of its own cluster vs of B's cluster through the
#     remote driver (signed request, signed answer) (FederationSuiteIT / FederationEndToEnd.remoteCallLatency)
#   - settlement throughput: the ledger stores alone (SettlementStoreTest, H2), and between live centers: B's charge
#     pass, A's mirror of B's and C's signed feeds after a restart (ThreeCenterIT)
# Prints the FIGURE lines. These are measurements, not timed tests: nothing fails on a slow machine.
#
# Needs: the distribution built first (mvn -o install -DskipTests -Dportal.skipNpm -pl karaf-distribution -am).
# Usage: benchmarks/federation.sh   (REPO=/path/to/m2 to choose the Maven repository)
# The itests use fixed ports, so they run under /tmp/scow-itest.lock (flock) like every itest run.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=(); if [ -n "${REPO:-}" ]; then repo=("-Dmaven.repo.local=$REPO"); fi
log=$(mktemp -d)/federation-bench.log
mvn -B -o "${repo[@]}" -pl bundles/federation test -Dtest='RouterTest#decisionTime,SettlementStoreTest' \
    -Dscow.test.databases=h2 -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1 || { tail -50 "$log"; exit 1; }
flock /tmp/scow-itest.lock mvn -B -o "${repo[@]}" -Dportal.skipNpm -pl itests verify \
    -Dit.test='FederationSuiteIT,ThreeCenterIT' -DfailIfNoTests=false -Dsurefire.failIfNoSpecifiedTests=false \
    >> "$log" 2>&1 || { tail -80 "$log"; exit 1; }
# the figures are printed by the tests; failsafe keeps them in the build log (and in -output.txt files if redirected)
{ cat "$log"; cat itests/target/failsafe-reports/*-output.txt 2>/dev/null || true; } | grep "FIGURE" \
    | sed 's/^.*FIGURE/FIGURE/' | sort -u
