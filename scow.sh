#!/usr/bin/env bash
# Build and run the SCOW platform on its embedded defaults (H2 database, this machine only).
#   ./scow.sh start    build, unpack into run/ (first time only), start, wait until the REST API answers
#   ./scow.sh stop     stop the platform
#   ./scow.sh status   is it running, and its health
#   ./scow.sh console  admin shell (scow:cluster-list, scow:health, feature:list, ...)
#   ./scow.sh reset    stop and delete run/ (database, logs and configuration included)
set -euo pipefail
cd "$(dirname "$0")"
RUN=run
HEALTH=http://127.0.0.1:8181/api/v1/health

home() { ls -d "$RUN"/scow-distribution-* 2>/dev/null | head -n 1; }
die() { echo "scow: $*" >&2; exit 1; }

start() {
  command -v java >/dev/null || die "Java 17 is required (apt-get install openjdk-17-jdk-headless)"
  command -v mvn >/dev/null || die "Maven is required (apt-get install maven)"
  echo "Building (tests skipped; run 'mvn verify' for them)..."
  mvn -B -q install -DskipTests
  local dist
  dist=$(ls karaf-distribution/target/scow-distribution-*.tar.gz)
  if [ -z "$(home)" ]; then
    mkdir -p "$RUN"
    tar -xzf "$dist" -C "$RUN"
    first_start "$(home)"
  elif [ "$dist" -nt "$(home)/etc" ]; then
    echo "Note: $RUN/ holds an older build; './scow.sh reset' reinstalls (and deletes its data)."
  fi
  local h; h=$(home)
  if "$h/bin/status" >/dev/null 2>&1; then
    echo "Already running."
  else
    "$h/bin/start"
  fi
  local t0=$SECONDS
  until curl -fs -o /dev/null "$HEALTH" || [ "$(curl -s -o /dev/null -w '%{http_code}' "$HEALTH")" = 503 ]; do
    [ $((SECONDS - t0)) -lt 120 ] || die "no answer from $HEALTH after 120 s; see $h/data/log/karaf.log"
    sleep 0.5
  done
  echo "SCOW is up after $((SECONDS - t0)) s."
  echo "  REST API       http://localhost:8181/api/v1/health"
  echo "  API reference  http://localhost:8181/api/v1/docs"
  echo "  Admin console  ./scow.sh console   (user karaf, password in $RUN/admin-password)"
  echo "  Log            $h/data/log/karaf.log"
}

# The console's admin password: generated once, printed once, kept readable only by its owner.
first_start() {
  local h=$1 pw
  pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 20)
  cat >> "$h/etc/users.properties" <<USERS
karaf = $pw,_g_:admingroup
_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh
USERS
  umask 077
  echo "$pw" > "$RUN/admin-password"
  echo "Console admin password (also in $RUN/admin-password): $pw"
}

case "${1:-}" in
  start) start ;;
  stop) [ -n "$(home)" ] && "$(home)/bin/stop" ;;
  status)
    [ -n "$(home)" ] || die "not installed; run ./scow.sh start"
    "$(home)/bin/status" || true
    curl -s "$HEALTH" && echo ;;
  console)
    [ -n "$(home)" ] || die "not installed; run ./scow.sh start"
    exec "$(home)/bin/client" -u karaf -p "$(cat "$RUN/admin-password")" ;;
  reset)
    [ -n "$(home)" ] && { "$(home)/bin/stop" 2>/dev/null || true; }
    rm -rf "$RUN" ;;
  *) sed -n '2,8p' "$0"; exit 2 ;;
esac
