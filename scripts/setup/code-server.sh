#!/usr/bin/env bash
# Installs code-server (VS Code in a browser, for the editor end-to-end tests) into the cache dir's
# tools folder from the npm registry alone, then checks it serves its workbench page on loopback.
# The npm package's own postinstall is replaced by explicit steps because it cannot run offline
# (its lockfile pins a git dependency) and refuses to run as root.
SI_STEP=code-server
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VERSION="${SAFE_INSTALL_CODE_SERVER_VERSION:-4.96.4}"
DIR="$SI_TOOLS/code-server-$VERSION"
CS="$DIR/node_modules/code-server"
ENTRY="$CS/out/node/entry.js"
STAMP="$DIR/.installed"
LOG="$DIR/install.log"

node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || die "code-server $VERSION needs Node 20, found $(node --version)"

# Native modules compile against local Node headers when present, so node-gyp never downloads them.
node_prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
if [ -f "$node_prefix/include/node/node.h" ]; then export npm_config_nodedir="$node_prefix"; fi

npm_step() { # dir, description, npm args...
  local dir="$1" what="$2"; shift 2
  log "$what"
  (cd "$dir" && npm "$@" --no-audit --no-fund --loglevel=error) >>"$LOG" 2>&1 \
    || { tail -n 40 "$LOG" >&2; die "$what failed (log: $LOG)"; }
}

install_code_server() {
  mkdir -p "$DIR"
  : >"$LOG"
  [ -f "$DIR/package.json" ] || printf '{ "name": "safe-install-dev-code-server", "private": true }\n' >"$DIR/package.json"
  npm_step "$DIR" "npm install code-server@$VERSION (scripts off)" install --ignore-scripts "code-server@$VERSION"
  # The shrinkwrap pins @vscode/proxy-agent to a git URL; without it npm resolves everything from the registry.
  rm -f "$CS/lib/vscode/npm-shrinkwrap.json"
  local build_debs=(libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev g++ make pkg-config)
  command -v python3 >/dev/null 2>&1 || build_debs+=(python3)
  apt_install "${build_debs[@]}"
  npm_step "$CS/lib/vscode" "npm install --omit=dev in lib/vscode (compiles native modules, ~1 min)" install --omit=dev
  npm_step "$CS/lib/vscode/extensions" "npm install --omit=dev in lib/vscode/extensions" install --omit=dev
  # VS Code looks up bundled modules under node_modules.asar; the unpacked tree serves the same files.
  ln -sfn node_modules "$CS/lib/vscode/node_modules.asar"
  ln -sfn code-linux.sh "$CS/lib/vscode/bin/remote-cli/code-server"
  ln -sfn browser-linux.sh "$CS/lib/vscode/bin/helpers/browser.sh"
  npm_step "$DIR" "npm rebuild argon2" rebuild argon2
  touch "$STAMP"
}

if [ -f "$STAMP" ] && [ -f "$ENTRY" ]; then
  log "code-server $VERSION already installed"
else
  install_code_server
fi

# Verify: serve on a free loopback port with throwaway dirs and fetch the workbench page.
tmp=$(mktemp -d)
port=$(free_port)
: >"$tmp/config.yaml"
node "$ENTRY" --config "$tmp/config.yaml" --auth none --bind-addr "127.0.0.1:$port" \
  --user-data-dir "$tmp/user-data" --extensions-dir "$tmp/extensions" \
  --disable-telemetry --disable-update-check --disable-workspace-trust "$tmp" >"$tmp/log" 2>&1 &
cspid=$!
stop() { kill "$cspid" 2>/dev/null || true; wait "$cspid" 2>/dev/null || true; }
page=""
for ((i = 0; i < 120; i++)); do
  page=$(curl -sfL "http://127.0.0.1:$port/" 2>/dev/null) && break
  kill -0 "$cspid" 2>/dev/null || break
  sleep 0.25
done
stop
if ! grep -q 'workbench' <<<"$page"; then
  cat "$tmp/log" >&2; rm -rf "$tmp"
  die "code-server did not serve its workbench page on 127.0.0.1:$port"
fi
rm -rf "$tmp"
log "ready in $(elapsed): code-server $VERSION at $ENTRY (run it with node)"
