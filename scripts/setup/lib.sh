# shellcheck shell=bash
# Shared helpers for the test-infrastructure setup scripts. Sourced, never run directly.
# Every step is idempotent: it checks what is already there and only does the missing work.
set -euo pipefail

# One cache dir for slow downloads and tools, outside the repository so a fresh clone reuses it.
SI_CACHE="${SAFE_INSTALL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/safe-install-dev}"
SI_TOOLS="$SI_CACHE/tools"
SI_STEP="${SI_STEP:-setup}"
SI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mkdir -p "$SI_CACHE" "$SI_TOOLS"

log() { printf '[%s] %s\n' "$SI_STEP" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$SI_STEP" "$*" >&2; exit 1; }
# Report the failing command and line so a broken step never fails silently.
trap 'rc=$?; printf "[%s] ERROR: command failed (exit %s) at %s:%s: %s\n" "$SI_STEP" "$rc" "${BASH_SOURCE[0]}" "$LINENO" "$BASH_COMMAND" >&2' ERR

# Seconds since the step started, for the progress lines and the measured times in the report.
SI_T0=$(date +%s)
elapsed() { echo "$(( $(date +%s) - SI_T0 ))s"; }

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root (or sudo) to run: $*"; fi
}

# True when every named Debian package is installed.
debs_installed() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1
  done
}

# Install the missing Debian packages only; apt-get update at most once per run.
# The lock timeout lets parallel setup runs queue instead of failing on dpkg's lock.
SI_APT_UPDATED=0
apt_install() {
  local missing=() p
  for p in "$@"; do debs_installed "$p" || missing+=("$p"); done
  if [ "${#missing[@]}" -eq 0 ]; then log "apt: already installed: $*"; return 0; fi
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install these packages yourself: ${missing[*]}"
  if [ "$SI_APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    as_root apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null || die "apt-get update failed"
    SI_APT_UPDATED=1
  fi
  log "apt-get install ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q \
    --no-install-recommends "${missing[@]}" >"$SI_CACHE/apt-install.log" 2>&1 \
    || { tail -n 30 "$SI_CACHE/apt-install.log" >&2; die "apt-get install ${missing[*]} failed (log: $SI_CACHE/apt-install.log)"; }
}

# The Debian mirror apt uses on this machine (first deb.debian-style URI), so debootstrap needs no other host.
apt_mirror() {
  local uri
  uri=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
        | grep -v -- '-security' | sed -E 's/^URIs:[[:space:]]*//; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//' \
        | awk '{print $1}' | grep -E '/debian/?$' | head -n1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

# A TCP port nobody listens on right now (the kernel picks it).
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
