package org.scow.apps.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shell scripts behind login-node desktops. Each is constant text run by {@code /bin/sh -s} as the user over the
 * user's own SSH session (so it can only start, see and end that user's processes; Linux login nodes: liveness is read
 * from /proc, where a process that ended but was not reaped yet counts as ended); its arguments are values the
 * platform made or validated (a hex id, a window manager command from the administrator's list, numbers), passed as
 * single-quoted words, never text a user typed.
 *
 * <p>A desktop lives in {@code ~/scow/desktops/<id>/}: {@code desktop} (key=value lines: display, port, password,
 * windowManager, created), {@code passwd} (the VNC password file), {@code pgid} (the process group of everything the
 * desktop started), {@code xvnc.pid} and {@code desktop.log}. The desktop is TigerVNC's Xvnc (loopback only) with the
 * window manager, and websockify serving Debian's noVNC on {@code port}, which the platform's proxy reaches.
 */
final class DesktopScripts {
    /** Below the home directory. */
    static final String DIR = "scow/desktops";

    private DesktopScripts() {
    }

    /** Arguments: id, window manager id, window manager command, geometry, websockify listen address, minimum uid. */
    static final String CREATE = """
            set -eu
            alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }
            id=$1; wm_id=$2; wm=$3; geometry=$4; listen=$5; min_uid=$6
            if [ "$(id -u)" -lt "$min_uid" ]; then echo "system accounts cannot have desktops" >&2; exit 5; fi
            for c in Xvnc vncpasswd websockify python3; do
              command -v "$c" >/dev/null 2>&1 || { echo "$c is not installed on $(hostname)" >&2; exit 6; }
            done
            [ -d /usr/share/novnc ] || { echo "noVNC (/usr/share/novnc) is not installed on $(hostname)" >&2; exit 6; }
            umask 077
            dir="$HOME/scow/desktops/$id"
            mkdir -p "$dir"
            free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])'; }
            display=
            n=10
            while [ "$n" -le 199 ]; do
              if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then display=$n; break; fi
              n=$((n + 1))
            done
            [ -n "$display" ] || { rm -rf "$dir"; echo "no free X display on $(hostname)" >&2; exit 3; }
            vnc_port=$(free_port)
            port=$(free_port)
            # VNC passwords have at most 8 characters
            password=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \\n' | cut -c1-8)
            printf '%s\\n' "$password" | vncpasswd -f > "$dir/passwd"
            cat > "$dir/run" <<'RUN'
            #!/bin/sh
            # one desktop: its own process group (setsid), so ending the group ends all of it
            display=$1; vnc_port=$2; port=$3; listen=$4; geometry=$5; wm=$6; dir=$7
            echo $$ > "$dir/pgid"
            Xvnc ":$display" -rfbport "$vnc_port" -localhost -SecurityTypes VncAuth -PasswordFile "$dir/passwd" \\
              -geometry "$geometry" -depth 24 -desktop "SCOW desktop" &
            echo $! > "$dir/xvnc.pid"
            export DISPLAY=":$display"
            i=0
            while [ ! -e "/tmp/.X11-unix/X$display" ] && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
            command -v xsetroot >/dev/null 2>&1 && xsetroot -solid '#3b6e8f'
            sh -c "$wm" &
            websockify --web /usr/share/novnc "$listen:$port" "localhost:$vnc_port" &
            wait "$(cat "$dir/xvnc.pid")"
            kill -TERM 0
            RUN
            chmod 700 "$dir/run"
            setsid "$dir/run" "$display" "$vnc_port" "$port" "$listen" "$geometry" "$wm" "$dir" \\
              < /dev/null > "$dir/desktop.log" 2>&1 &
            i=0
            until python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \\
                "$port" 2>/dev/null; do
              i=$((i + 1))
              if [ "$i" -gt 150 ] || { [ -f "$dir/xvnc.pid" ] && ! alive "$(cat "$dir/xvnc.pid")"; }; then
                [ -f "$dir/pgid" ] && /bin/kill -TERM -- "-$(cat "$dir/pgid")" 2>/dev/null
                echo "the desktop did not start:" >&2
                tail -n 20 "$dir/desktop.log" >&2
                rm -rf "$dir"
                exit 4
              fi
              sleep 0.1
            done
            printf 'display=%s\\nport=%s\\npassword=%s\\nwindowManager=%s\\ncreated=%s\\n' \\
              "$display" "$port" "$password" "$wm_id" "$(date +%s)" > "$dir/desktop"
            printf 'desktop\\t%s\\n' "$id"
            cat "$dir/desktop"
            """;

    /** No arguments: every running desktop ({@code desktop<TAB>id} then its key=value lines); dead ones are removed. */
    static final String LIST = """
            alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }
            base="$HOME/scow/desktops"
            [ -d "$base" ] || exit 0
            for d in "$base"/*; do
              [ -f "$d/desktop" ] || continue
              xvnc=$(cat "$d/xvnc.pid" 2>/dev/null || echo 0)
              if [ "$xvnc" -gt 1 ] 2>/dev/null && alive "$xvnc"; then
                printf 'desktop\\t%s\\n' "${d##*/}"
                cat "$d/desktop"
              else
                pgid=$(cat "$d/pgid" 2>/dev/null || echo 0)
                [ "$pgid" -gt 1 ] 2>/dev/null && /bin/kill -TERM -- "-$pgid" 2>/dev/null
                rm -rf "$d"
              fi
            done
            exit 0
            """;

    /** Argument: the id. Ends the desktop's process group (Xvnc, the window manager, websockify) and removes it. */
    static final String KILL = """
            alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }
            d="$HOME/scow/desktops/$1"
            [ -f "$d/desktop" ] || { echo "no such desktop" >&2; exit 4; }
            pgid=$(cat "$d/pgid" 2>/dev/null || echo 0)
            xvnc=$(cat "$d/xvnc.pid" 2>/dev/null || echo 0)
            if [ "$pgid" -gt 1 ] 2>/dev/null; then
              /bin/kill -TERM -- "-$pgid" 2>/dev/null
              i=0
              while [ "$xvnc" -gt 1 ] && alive "$xvnc" && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
              /bin/kill -KILL -- "-$pgid" 2>/dev/null
            fi
            rm -rf "$d"
            exit 0
            """;

    /** Arguments: window manager commands; prints one line per command, {@code yes} when its program is there. */
    static final String INSTALLED = """
            for c in "$@"; do
              p=${c%% *}
              if command -v "$p" >/dev/null 2>&1; then echo yes; else echo no; fi
            done
            """;

    /** The command line that runs a script with these arguments: {@code /bin/sh -s -- 'a' 'b'} (the apps' quoting). */
    static String command(List<String> args) {
        StringBuilder b = new StringBuilder("/bin/sh -s --");
        for (String a : args) {
            b.append(' ').append(ScriptRenderer.quote(a));
        }
        return b.toString();
    }

    /** The desktops a script printed: id to its key=value pairs, in order. */
    static Map<String, Map<String, String>> parse(String output) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String line : output.split("\n")) {
            if (line.startsWith("desktop\t")) {
                String id = line.substring("desktop\t".length()).strip();
                current = id.matches("[0-9a-f]{32}") ? new LinkedHashMap<>() : null;
                if (current != null) {
                    out.put(id, current);
                }
            } else if (current != null && line.indexOf('=') > 0) {
                current.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1).strip());
            }
        }
        return out;
    }

    /** Which of the commands are installed, from {@link #INSTALLED}'s output. */
    static List<Boolean> installed(String output, int count) {
        List<Boolean> out = new ArrayList<>();
        String[] lines = output.split("\n");
        for (int i = 0; i < count; i++) {
            out.add(i < lines.length && lines[i].strip().equals("yes"));
        }
        return out;
    }
}
