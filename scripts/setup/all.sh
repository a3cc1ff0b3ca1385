#!/usr/bin/env bash
# Sets up everything the integration tests use: Docker engine, sandbox test images, Chromium,
# code-server (+ a browser smoke check) and Verdaccio. Idempotent; a warm rerun takes seconds.
# Skip a step with SAFE_INSTALL_SKIP_<STEP>=1, e.g. SAFE_INSTALL_SKIP_CODE_SERVER=1
# (steps: DOCKER, TEST_IMAGES, CHROMIUM, CODE_SERVER, SMOKE, VERDACCIO, ATTACK_TOOLS).
SI_STEP=setup:test
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
here="$(dirname "${BASH_SOURCE[0]}")"

summary=()
run_step() { # STEP_ENV_NAME, command...
  local key="$1"; shift
  local skip_var="SAFE_INSTALL_SKIP_$key"
  if [ "${!skip_var:-}" = 1 ]; then log "skipping $key ($skip_var=1)"; summary+=("$key: skipped"); return 0; fi
  local t0=$SECONDS
  log "== $key"
  "$@" || die "step $key failed (see above); set $skip_var=1 to skip it"
  summary+=("$key: $((SECONDS - t0))s")
}

run_step DOCKER bash "$here/docker.sh"
run_step TEST_IMAGES bash "$here/test-images.sh"
run_step CHROMIUM bash "$here/chromium.sh"
run_step CODE_SERVER bash "$here/code-server.sh"
if [ "${SAFE_INSTALL_SKIP_CODE_SERVER:-}" = 1 ] || [ "${SAFE_INSTALL_SKIP_CHROMIUM:-}" = 1 ]; then
  SAFE_INSTALL_SKIP_SMOKE=1
fi
run_step SMOKE node "$here/smoke-code-server.mjs"
run_step VERDACCIO bash "$here/verdaccio.sh"
# Host tools for the attack suite's control runs (owned by the attack-suite work; run when present).
if [ -f "$here/attack-tools.sh" ]; then run_step ATTACK_TOOLS bash "$here/attack-tools.sh"; fi

log "done in $(elapsed): $(IFS=,; echo "${summary[*]}")"
log "cache dir: $SI_CACHE"
