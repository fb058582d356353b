#!/usr/bin/env bash
# Stops the test login node started by login-node-up.sh (the system sshd is not touched). Idempotent.
set -euo pipefail
PIDFILE=/run/scow-login-node.pid
if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    kill "$(cat "$PIDFILE")"
    echo "login node stopped"
fi
rm -f "$PIDFILE"
