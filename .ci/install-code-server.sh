#!/usr/bin/env bash
# Installs VS Code in the browser (code-server, from npm) for the VS Code app on this machine, which is the compute
# node of the local test cluster: under /opt/scow-apps/code-server, linked as /usr/local/bin/code-server. Skips when
# that version is already there. Run as root (called by .ci/prepare.sh).
#
# Why not a plain 'npm install -g code-server': its postinstall runs 'npm install' inside lib/vscode, where
# @vscode/ripgrep's postinstall downloads a prebuilt rg from outside the npm registry (not reachable here) and
# node-gyp downloads Node's headers. So the steps are done one by one: scripts off, Debian's ripgrep placed where
# @vscode/ripgrep looks (its postinstall returns early when bin/ exists), then the native modules built against
# the headers Debian's nodejs ships (npm_config_nodedir=/usr), then the links code-server's postinstall makes.
set -euo pipefail
VERSION=${CODE_SERVER_VERSION:-4.100.3}   # 4.100.x is the last line that runs on Node 20 (Debian 12's); later need 22+
PREFIX=/opt/scow-apps/code-server
log() { echo "[code-server] $*"; }

if [ -x /usr/local/bin/code-server ] && /usr/local/bin/code-server --version 2>/dev/null | grep -q "^$VERSION "; then
  exit 0
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || { log "code-server $VERSION needs Node.js 20, this machine has $(node --version)"; exit 1; }
need=""
for p in build-essential pkg-config python3 libkrb5-dev libsecret-1-dev libxkbfile-dev libx11-dev ripgrep; do
  dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
done
[ -f /usr/include/node/common.gypi ] || need="$need libnode-dev"
if [ -n "$need" ]; then
  log "installing:$need"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
fi
# node-gyp reads <nodedir>/include/node; Debian's nodejs (or libnode-dev) puts the headers there
export npm_config_nodedir=/usr npm_config_yes=true npm_config_audit=false npm_config_fund=false
# node-pty's post-install runs 'npx node-gyp' (from npm); npm_config_yes lets it fetch that without a prompt

log "installing code-server $VERSION in $PREFIX"
rm -rf "$PREFIX.new"
mkdir -p "$PREFIX.new"
cd "$PREFIX.new"
npm install --prefix "$PREFIX.new" --ignore-scripts "code-server@$VERSION" >/dev/null
npm rebuild argon2 >/dev/null                 # code-server's password hashing (native)
cd node_modules/code-server/lib/vscode
npm install --omit=dev --ignore-scripts >/dev/null
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sfn /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
npm rebuild >/dev/null                        # node-pty, spdlog, kerberos, watchers ... against Node 20's headers
# what code-server's postinstall.sh does after its npm install
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev >/dev/null)

rm -rf "$PREFIX"
mv "$PREFIX.new" "$PREFIX"
chmod -R a+rX "$PREFIX"
ln -sfn "$PREFIX/node_modules/.bin/code-server" /usr/local/bin/code-server
log "installed: $(/usr/local/bin/code-server --version)"
