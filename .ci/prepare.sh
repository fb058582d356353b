#!/usr/bin/env bash
# Prepares this Debian 12 machine for the test suite (called by './scow.sh test', as root): installs what is missing
# (JDK 17, Maven, Node.js, Chromium, fonts, OpenSSH, PostgreSQL, MariaDB) and starts every service the tests talk to:
# PostgreSQL and MariaDB on 127.0.0.1, OpenLDAP and a Slurm cluster from the peers' scripts ($SCOW_PEERS, by default
# ../shared/peers beside this checkout), and the test login node (sshd on 127.0.0.1:2222). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "[prepare] $*"; }
[ "$(id -u)" = 0 ] || { log "run as root: it installs packages, starts services and creates test users"; exit 1; }

# --- toolchain: Java 17 (Karaf 4.4 refuses 24+) and Maven
need=""
command -v mvn >/dev/null || need="$need maven"
[ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/javac ] || need="$need openjdk-17-jdk-headless"
command -v curl >/dev/null || need="$need curl"
# the portal's npm build and its end-to-end tests in Debian's Chromium; an sshd as the login node
command -v npm >/dev/null || need="$need nodejs npm"
[ -x /usr/bin/chromium ] || need="$need chromium"
# a CJK font, so that the portal's zh-CN screenshots show characters instead of boxes
fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || need="$need fonts-noto-cjk"
[ -x /usr/sbin/sshd ] || need="$need openssh-server"   # the test login node, and the platform's own (FirstStartLoginNodeIT)
# the interactive-apps test runs Jupyter as a job on the local cluster and a kernel through the proxy
[ -x /usr/bin/jupyter-notebook ] || need="$need jupyter-notebook"
[ -d /usr/lib/python3/dist-packages/ipykernel ] || need="$need python3-ipykernel"
# ... and the remote desktop app: a VNC server, a light window manager, noVNC behind websockify
[ -x /usr/bin/Xvnc ] || need="$need tigervnc-standalone-server tigervnc-tools"
[ -x /usr/bin/websockify ] || need="$need novnc websockify openbox"
if [ -n "$need" ]; then
  log "installing:$need"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
fi
# ... and VS Code in the browser (code-server from npm; built here against Debian's Node.js, see the script)
.ci/install-code-server.sh
export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
export PATH="$JAVA_HOME/bin:$PATH"

# --- databases the repository tests run against (PostgreSQL trust auth, MariaDB root without password)
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! command -v pg_ctlcluster >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  log "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
fi
if ! mariadb-admin -h 127.0.0.1 -u root ping >/dev/null 2>&1; then
  if ! command -v mariadbd >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
  fi
  log "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
fi
for i in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p 5432 && mariadb-admin -h 127.0.0.1 -u root ping >/dev/null 2>&1 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432 || { log "PostgreSQL is not reachable on 127.0.0.1:5432"; exit 1; }
mariadb-admin -h 127.0.0.1 -u root ping || { log "MariaDB is not reachable on 127.0.0.1:3306"; exit 1; }
# Trust auth for local TCP connections is what the tests assume (as on the development machines).
psql -h 127.0.0.1 -U postgres -c 'select 1' >/dev/null || { log "PostgreSQL must accept user postgres without password on 127.0.0.1"; exit 1; }

# --- real peers the driver and auth-backend tests talk to (shared/ sits beside the clone in CI)
PEERS=${SCOW_PEERS:-../shared/peers}
[ -x "$PEERS/ldap-up.sh" ] && [ -x "$PEERS/slurm-up.sh" ] || {
  log "the Slurm and OpenLDAP tests need the peers' scripts (slurm-up.sh, ldap-up.sh): none in $PEERS;"
  log "put them there or point SCOW_PEERS at their folder"; exit 1; }
log "starting OpenLDAP"
"$PEERS/ldap-up.sh"
# slurm-up.sh expects Debian's MariaDB config folder, and slurmdbd reaches MariaDB over TCP where a server with
# skip-name-resolve only knows 'slurm'@'127.0.0.1', not the 'slurm'@'localhost' the script creates.
mkdir -p /etc/mysql/mariadb.conf.d
mariadb -h 127.0.0.1 -u root -e "CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY '${SLURM_DB_PASS:-slurmdbpass}'; \
  GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1'; FLUSH PRIVILEGES;"
log "starting Slurm (users alice, bob)"
SLURM_USERS="alice bob" "$PEERS/slurm-up.sh"

log "starting the test login node (sshd on 127.0.0.1:2222)"
.ci/login-node-up.sh

