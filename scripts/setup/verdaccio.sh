#!/usr/bin/env bash
# Installs Verdaccio (a private npm registry the tests run on 127.0.0.1) into the cache dir's tools
# folder, not the project's node_modules. Skips the install when the wanted version is already there.
SI_STEP=verdaccio
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VERSION="${SAFE_INSTALL_VERDACCIO_VERSION:-6.8}"
DIR="$SI_TOOLS/verdaccio"
BIN="$DIR/node_modules/.bin/verdaccio"
STAMP="$DIR/.installed-$VERSION"

if [ -f "$STAMP" ] && [ -x "$BIN" ]; then
  log "verdaccio@$VERSION already installed"
else
  mkdir -p "$DIR"
  # A private package.json keeps this install apart from the project's dependency tree.
  [ -f "$DIR/package.json" ] || printf '{ "name": "safe-install-dev-verdaccio", "private": true }\n' >"$DIR/package.json"
  log "npm install verdaccio@$VERSION into $DIR"
  npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error "verdaccio@$VERSION" >"$DIR/npm-install.log" 2>&1 \
    || { tail -n 30 "$DIR/npm-install.log" >&2; die "npm install verdaccio@$VERSION failed (log: $DIR/npm-install.log)"; }
  rm -f "$DIR"/.installed-*
  touch "$STAMP"
fi
v=$("$BIN" --version 2>/dev/null) || die "verdaccio does not run: $BIN --version failed"

# Smoke check: serve an empty, uplink-free registry on a free loopback port and ping it.
tmp=$(mktemp -d)
port=$(free_port)
printf 'storage: ./storage\nuplinks: {}\npackages:\n  "**":\n    access: $all\n    publish: $all\nlog: { type: stdout, format: pretty, level: error }\n' >"$tmp/config.yaml"
"$BIN" --config "$tmp/config.yaml" --listen "127.0.0.1:$port" >"$tmp/log" 2>&1 &
vpid=$!
ok=0
for ((i = 0; i < 60; i++)); do
  if curl -sf "http://127.0.0.1:$port/-/ping" >/dev/null; then ok=1; break; fi
  kill -0 "$vpid" 2>/dev/null || break
  sleep 0.25
done
kill "$vpid" 2>/dev/null || true
wait "$vpid" 2>/dev/null || true
[ "$ok" = 1 ] || { cat "$tmp/log" >&2; rm -rf "$tmp"; die "verdaccio did not answer /-/ping on 127.0.0.1:$port"; }
rm -rf "$tmp"
log "ready in $(elapsed): verdaccio $v at $BIN"
