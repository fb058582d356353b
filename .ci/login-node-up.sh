#!/usr/bin/env bash
# A test login node: a second OpenSSH daemon on 127.0.0.1:2222 (the system sshd is left alone), public-key
# authentication only, with its own host keys and configuration under /etc/scow-login-node. Root may be
# authorized through /etc/scow-login-node/authorized_keys/root without touching /root/.ssh. Creates the test users
# alice and bob if missing. Idempotent; run as root.
set -euo pipefail

DIR=/etc/scow-login-node
PORT=${SCOW_LOGIN_NODE_PORT:-2222}
PIDFILE=/run/scow-login-node.pid

if ! command -v /usr/sbin/sshd >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q openssh-server
fi

mkdir -p "$DIR/authorized_keys" /run/sshd
chmod 0755 "$DIR" "$DIR/authorized_keys"
for type in ed25519 rsa; do
    [ -f "$DIR/ssh_host_${type}_key" ] || ssh-keygen -q -t "$type" -N '' -f "$DIR/ssh_host_${type}_key"
done

cat > "$DIR/sshd_config" <<CONF
Port $PORT
ListenAddress 127.0.0.1
HostKey $DIR/ssh_host_ed25519_key
HostKey $DIR/ssh_host_rsa_key
PidFile $PIDFILE
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
AuthorizedKeysFile .ssh/authorized_keys $DIR/authorized_keys/%u
# PAM (not sshd itself) decides whether an account without a password (locked: "!") may log in with a key
UsePAM yes
PrintMotd no
Subsystem sftp internal-sftp
MaxSessions 64
MaxStartups 64:30:128
LogLevel INFO
CONF

for user in alice bob; do
    id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"
    home=$(getent passwd "$user" | cut -d: -f6)
    [ -d "$home" ] || { mkdir -p "$home"; chown "$user:" "$home"; chmod 0750 "$home"; }
done

/usr/sbin/sshd -t -f "$DIR/sshd_config"
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    kill -HUP "$(cat "$PIDFILE")"   # re-read the configuration
else
    /usr/sbin/sshd -f "$DIR/sshd_config"
fi
for _ in $(seq 1 50); do
    (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && { echo "login node up on 127.0.0.1:$PORT"; exit 0; }
    sleep 0.1
done
echo "login node did not start on 127.0.0.1:$PORT" >&2
exit 1
