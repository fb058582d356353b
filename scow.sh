#!/usr/bin/env bash
# Build and run the SCOW platform on its embedded defaults (H2 database, this machine only).
#   ./scow.sh start    build, unpack into run/ (first time only), start, wait until the REST API answers
#   ./scow.sh stop     stop the platform
#   ./scow.sh status   is it running, and its health
#   ./scow.sh console [command]  admin shell, or one command (scow:cluster-list, scow:health, feature:list, ...)
#   ./scow.sh reset    stop and delete run/ (database, logs and configuration included)
#   ./scow.sh test [mvn options]  prepare this machine for the test suite (as root: packages, databases, Slurm,
#                      OpenLDAP, login node; .ci/prepare.sh) and run it all (mvn verify)
#   ./scow.sh commands [--link [DIR]]  print the directory of the Crane commands (cbatch, cqueue, ...) for PATH;
#                      --link (root): link the c* commands into DIR (default /usr/local/bin)
set -euo pipefail
cd "$(dirname "$0")"
RUN=run
HEALTH=http://127.0.0.1:8181/api/v1/health
JDK=/usr/lib/jvm/java-17-openjdk-amd64
# the build and the platform run on JDK 17 even where another JDK is the default
[ -x "$JDK/bin/java" ] && export JAVA_HOME=$JDK PATH="$JDK/bin:$PATH"

home() { local h; h=$(ls -d "$RUN"/scow-distribution-* 2>/dev/null | head -n 1); [ -x "$h/bin/start" ] && echo "$h"; }
die() { echo "scow: $*" >&2; exit 1; }

# JDK 17 (Karaf 4.4 does not run on 24+), Maven and Node.js (the portal's build): found, or installed with apt-get
# when running as root, and said so; otherwise what to install.
tools() {
  local need=""
  [ -x "$JDK/bin/javac" ] || need="$need openjdk-17-jdk-headless"
  command -v mvn >/dev/null || need="$need maven"
  command -v npm >/dev/null || need="$need nodejs npm"
  command -v curl >/dev/null || need="$need curl"
  [ -z "$need" ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing what the build needs:$need (apt-get)..."
    mkdir -p "$RUN"
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need; } > "$RUN/apt.log" 2>&1 \
      || die "installing$need failed; see $RUN/apt.log"
  else
    die "missing:$need (Debian: sudo apt-get install$need)"
  fi
}

start() {
  tools
  mkdir -p "$RUN"
  login_node
  echo "Building (tests skipped; run 'mvn verify' for them)..."
  mvn -B -Dstyle.color=never install -DskipTests > "$RUN/build.log" 2>&1 \
    || { tail -n 40 "$RUN/build.log"; die "build failed; the whole log is $RUN/build.log"; }
  local dist
  dist=$(ls karaf-distribution/target/scow-distribution-*.tar.gz)
  if [ -z "$(home)" ]; then
    tar -xzf "$dist" -C "$RUN"
    first_start "$(home)"
    # the commands' start-up archive next to their jar, shared by every user (else each user's first run makes one)
    "$(home)/crane/bin/crane" --make-cds >/dev/null 2>&1 || true
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
  echo "  Admin console  ./scow.sh console   (SSH key $RUN/admin-key; or user karaf, password in $RUN/admin-password)"
  echo "  Log            $h/data/log/karaf.log"
  echo "  Commands       $PWD/$h/crane/bin (cbatch, cqueue, cacct, ...; any Unix user): export PATH=\$(./scow.sh commands):\$PATH"
  if [ "$(id -u)" = 0 ] && [ -x /usr/sbin/sshd ]; then
    echo "  Files, Shell   sign in to the portal as any Unix user of this machine with its Unix password"
    echo "                 (root and system accounts excluded; private sshd on 127.0.0.1:8022, etc/org.scow.loginnode.cfg)"
  fi
}

# Files and Shell of cluster 'local' run in sessions of each Unix user on the platform's private OpenSSH server,
# which needs root (to be each user) and Debian's openssh-server (only its sshd binary is used).
login_node() {
  if [ "$(id -u)" != 0 ]; then
    echo "Note: not running as root, so Files, Shell and jobs as Unix users are off on the cluster 'local'"
    echo "      (start as root, or configure its loginNodes: README, 'Login nodes')."
  elif [ -x /usr/sbin/sshd ]; then
    echo "Login node: OpenSSH's sshd found (/usr/sbin/sshd); the platform runs its own copy on 127.0.0.1:8022."
  elif command -v apt-get >/dev/null; then
    echo "Login node: installing OpenSSH's server for Files and Shell (apt-get install openssh-server)..."
    echo "      Debian's package also enables the system sshd on port 22; 'systemctl disable --now ssh' turns that off"
    echo "      (the platform runs its own sshd and does not need it)."
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssh-server; } > "$RUN/apt.log" 2>&1 \
      || echo "Note: installing openssh-server failed (see $RUN/apt.log); Files and Shell stay off until it is installed."
  else
    echo "Note: OpenSSH's sshd (/usr/sbin/sshd) is missing: install your system's OpenSSH server package for Files and Shell."
  fi
}

# The console's admin: a password and an SSH key, generated once, readable only by their owner.
first_start() {
  local h=$1 pw
  pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 20)
  cat >> "$h/etc/users.properties" <<USERS
karaf = $pw,_g_:admingroup
_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh
USERS
  (umask 077 && echo "$pw" > "$RUN/admin-password")
  ssh-keygen -q -t rsa -b 3072 -N '' -C scow-admin -f "$RUN/admin-key"
  echo "karaf=$(cut -d' ' -f2 "$RUN/admin-key.pub"),_g_:admingroup" >> "$h/etc/keys.properties"
  echo "Console admin password (also in $RUN/admin-password): $pw"
}

# The Crane commands of the cluster 'local' (they ask the controller's credential service: no per-user setup).
commands() {
  local h; h=$(home) || die "not installed; run ./scow.sh start"
  local bin="$PWD/$h/crane/bin"
  [ "${1:-}" = --link ] || { echo "$bin"; return; }
  local dir=${2:-/usr/local/bin} c target
  [ -d "$dir" ] && [ -w "$dir" ] || die "cannot write $dir (run as root, or name a directory: --link DIR)"
  for c in cbatch cqueue cinfo ccancel ccontrol cacctmgr cacct crun calloc; do
    target="$dir/$c"
    # never replace a command that is not one of our links (another Crane or Slurm installation)
    if [ -e "$target" ] && ! { [ -L "$target" ] && [[ $(readlink "$target") == */crane/bin/$c ]]; }; then
      echo "scow: $target exists and is not a link to the platform's commands; left alone" >&2
      continue
    fi
    ln -sfn "$bin/$c" "$target"
  done
  echo "Linked the Crane commands into $dir."
}

case "${1:-}" in
  start) start ;;
  commands) shift; commands "$@" ;;
  stop) [ -n "$(home)" ] && "$(home)/bin/stop" ;;
  status)
    [ -n "$(home)" ] || die "not installed; run ./scow.sh start"
    "$(home)/bin/status" || true
    curl -s "$HEALTH" && echo ;;
  console)
    [ -n "$(home)" ] || die "not installed; run ./scow.sh start"
    shift
    # OpenSSH rather than bin/client, which drops command output without a terminal (Karaf PR #2926)
    exec ssh -q -p 8101 -i "$RUN/admin-key" -o IdentitiesOnly=yes -o StrictHostKeyChecking=no \
      -o UserKnownHostsFile=/dev/null karaf@127.0.0.1 "$@" ;;
  test)
    shift
    [ "$(id -u)" = 0 ] || die "the test suite runs as root (jobs run as their Unix users; it installs and starts services)"
    .ci/prepare.sh
    export JAVA_HOME=$JDK PATH="$JDK/bin:$PATH"
    exec mvn -B verify "$@" ;;
  reset)
    if [ -n "$(home)" ]; then
      "$(home)/bin/stop" 2>/dev/null || true
      # Karaf still writes to data/ while its JVM shuts down
      for _ in $(seq 1 60); do pgrep -f "karaf.home=$PWD/$(home)" >/dev/null || break; sleep 0.5; done
    fi
    rm -rf "$RUN" ;;
  *) sed -n '2,11p' "$0"; exit 2 ;;
esac
