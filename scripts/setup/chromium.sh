#!/usr/bin/env bash
# Installs Debian's chromium for the editor smoke tests (driven headless through playwright-core;
# no browser download from anywhere but the Debian mirror).
SI_STEP=chromium
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ -x /usr/bin/chromium ]; then
  log "already installed"
else
  apt_install chromium
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium missing after apt-get install chromium"
log "ready in $(elapsed): $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium (version unknown)')"
