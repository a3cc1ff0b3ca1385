#!/usr/bin/env bash
# Builds the sandbox test images without any image registry: debootstraps a minimal Debian bookworm
# rootfs from the mirror apt already uses (tarball cached), imports it as safe-install-test/base:bookworm,
# then builds test/images/<name>/Dockerfile on top as safe-install-test/<name>:bookworm.
# An image is rebuilt only when its input hash label (Dockerfile + base image id) changes.
# Env: SAFE_INSTALL_TEST_IMAGES="python node" limits the set; SAFE_INSTALL_DEBIAN_MIRROR overrides the mirror;
# SAFE_INSTALL_REBUILD_BASE=1 debootstraps afresh (newer Debian packages) and so rebuilds every image.
SI_STEP=test-images
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SUITE=bookworm
IMAGES_DIR="$SI_CACHE/images"
ROOTFS_TAR="$IMAGES_DIR/$SUITE-minbase.tar"
BASE_IMAGE="safe-install-test/base:$SUITE"
HASH_LABEL="org.safe-install.test.input-sha256"
read -r -a NAMES <<<"${SAFE_INSTALL_TEST_IMAGES:-python node ruby rust go}"
MIRROR="${SAFE_INSTALL_DEBIAN_MIRROR:-$(apt_mirror)}"
mkdir -p "$IMAGES_DIR"

docker info >/dev/null 2>&1 || die "Docker is not answering; run scripts/setup/docker.sh first"
# The legacy builder works with every daemon version and needs no buildx plugin.
export DOCKER_BUILDKIT=0

label_of() { docker image inspect -f "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$1" 2>/dev/null || true; }

build_rootfs_tarball() {
  if [ -s "$ROOTFS_TAR" ]; then log "rootfs tarball cached: $ROOTFS_TAR"; return 0; fi
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  local dir="$IMAGES_DIR/rootfs.tmp"
  as_root rm -rf "$dir"
  mkdir -p "$IMAGES_DIR/debs"
  log "debootstrap --variant=minbase $SUITE from $MIRROR (takes a minute or two)"
  as_root debootstrap --variant=minbase --cache-dir="$IMAGES_DIR/debs" "$SUITE" "$dir" "$MIRROR" \
    >"$IMAGES_DIR/debootstrap.log" 2>&1 \
    || { tail -n 30 "$IMAGES_DIR/debootstrap.log" >&2; die "debootstrap failed (log: $IMAGES_DIR/debootstrap.log)"; }
  # Package lists and downloaded .debs only bloat the image; every Dockerfile runs apt-get update itself.
  as_root rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/archives/*.deb
  # Write to a temp name and rename, so an interrupted run never leaves a truncated "cached" tarball.
  as_root tar --numeric-owner -C "$dir" -cf "$ROOTFS_TAR.tmp" .
  mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
  as_root rm -rf "$dir"
  log "rootfs tarball ready ($(du -h "$ROOTFS_TAR" | cut -f1)) at $(elapsed)"
}

import_base() {
  local sum
  sum=$(sha256sum "$ROOTFS_TAR" | cut -d' ' -f1)
  if [ "$(label_of "$BASE_IMAGE")" = "$sum" ]; then log "base image up to date: $BASE_IMAGE"; return 0; fi
  log "docker import $BASE_IMAGE"
  docker import -c "LABEL $HASH_LABEL=$sum" -c 'CMD ["/bin/bash"]' "$ROOTFS_TAR" "$BASE_IMAGE" >/dev/null
}

# Builds one image; its input hash covers the Dockerfile and the exact base image it starts from.
build_image() {
  local name="$1" dir="$SI_ROOT/test/images/$1" image="safe-install-test/$1:$SUITE" sum
  [ -f "$dir/Dockerfile" ] || die "no Dockerfile at test/images/$name"
  sum=$( { cat "$dir/Dockerfile"; docker image inspect -f '{{.Id}}' "$BASE_IMAGE"; } | sha256sum | cut -d' ' -f1)
  if [ "$(label_of "$image")" = "$sum" ]; then log "$image up to date"; return 0; fi
  local old
  old=$(label_of "$image")
  # Drop the stale content-hash tag so only the current build carries one.
  [ -n "$old" ] && docker rmi "safe-install-test/$name:${old:0:12}" >/dev/null 2>&1 || true
  log "building $image (log: $IMAGES_DIR/build-$name.log)"
  local t0=$SECONDS
  # Host network for apt inside the build: works even where the default bridge cannot reach the mirror.
  if ! docker build --network host --label "$HASH_LABEL=$sum" --label "org.safe-install.test.image=$name" \
       -t "$image" -t "safe-install-test/$name:${sum:0:12}" "$dir" >"$IMAGES_DIR/build-$name.log" 2>&1; then
    tail -n 30 "$IMAGES_DIR/build-$name.log" >&2
    die "docker build of $image failed (log: $IMAGES_DIR/build-$name.log)"
  fi
  log "built $image in $((SECONDS - t0))s"
}

# An existing base image is kept even when the cached tarball is gone: images depend on the image, not the file.
if [ "${SAFE_INSTALL_REBUILD_BASE:-}" = 1 ]; then
  log "SAFE_INSTALL_REBUILD_BASE=1: discarding the cached rootfs tarball"
  rm -f "$ROOTFS_TAR"
  build_rootfs_tarball
  import_base
elif docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  log "base image present: $BASE_IMAGE (SAFE_INSTALL_REBUILD_BASE=1 makes a fresh one)"
else
  build_rootfs_tarball
  import_base
fi
# Two builds at a time: downloads overlap with unpacking, and two cores are the common CI size.
running=0
for name in "${NAMES[@]}"; do
  if [ "$running" -ge 2 ]; then wait -n || die "an image build failed (see above)"; running=$((running - 1)); fi
  build_image "$name" &
  running=$((running + 1))
done
for ((; running > 0; running--)); do wait -n || die "an image build failed (see above)"; done

# Superseded builds of our images only (never anyone else's dangling images).
docker image prune -f --filter "label=$HASH_LABEL" >/dev/null || log "warning: could not prune superseded test images"

# Smoke check: each image runs as the builder user with no network.
for name in "${NAMES[@]}"; do
  out=$(docker run --rm --network none "safe-install-test/$name:$SUITE" id -u) \
    || die "safe-install-test/$name:$SUITE does not start"
  [ "$out" = "10001" ] || die "safe-install-test/$name:$SUITE runs as uid $out, expected 10001"
done
log "images ready in $(elapsed): base ${NAMES[*]}"
