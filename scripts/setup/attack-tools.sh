#!/usr/bin/env bash
# Host tools the attack suite's CONTROL runs need (the plain package manager, run outside any sandbox):
# Ruby's gem for the extconf.rb attack, Go for the init() attack. npm, python3 and cargo come from the base machine.
# Idempotent; Debian packages only.
SI_STEP=attack-tools
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

debs=(ruby ruby-dev gcc make golang-go)
# The pip controls build sdists without build isolation against Debian's setuptools and wheel.
debs+=(python3-setuptools python3-wheel python3-venv)
apt_install "${debs[@]}"
command -v gem >/dev/null 2>&1 || die "gem not on PATH after installing ruby"
command -v go >/dev/null 2>&1 || die "go not on PATH after installing golang-go"
log "ready in $(elapsed): $(ruby --version), gem $(gem --version), $(go version)"
