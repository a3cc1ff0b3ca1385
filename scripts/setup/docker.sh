#!/usr/bin/env bash
# Makes a Docker engine answer `docker info`: installs Debian's docker.io when no dockerd exists, then
# starts the daemon (systemd when it runs, otherwise a background dockerd with a pidfile and a log
# under the cache dir). Env: SAFE_INSTALL_DOCKER_STORAGE_DRIVER forces a storage driver (e.g. vfs,
# fuse-overlayfs) when overlay2 does not work; SAFE_INSTALL_DOCKER_TIMEOUT bounds the wait (seconds).
SI_STEP=docker
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOCKER_DIR="$SI_CACHE/docker"
PIDFILE="$DOCKER_DIR/dockerd.pid"
LOGFILE="$DOCKER_DIR/dockerd.log"
TIMEOUT="${SAFE_INSTALL_DOCKER_TIMEOUT:-60}"
mkdir -p "$DOCKER_DIR"

daemon_answers() { docker info >/dev/null 2>&1; }

# True while PID is a live (not zombie) process.
alive() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$st" ] && [ "${st#Z}" = "$st" ]; }

# Wait for `docker info` with a bound. Returns 1 early when the daemon process (PID, optional) exits;
# dies with the daemon log tail when it never answers.
wait_for_daemon() {
  local pid="${1:-}" i
  for ((i = 0; i < TIMEOUT * 2; i++)); do
    daemon_answers && return 0
    if [ -n "$pid" ] && ! alive "$pid"; then return 1; fi
    sleep 0.5
  done
  [ -f "$LOGFILE" ] && tail -n 30 "$LOGFILE" >&2
  die "the Docker daemon did not answer within ${TIMEOUT}s (log: $LOGFILE)"
}

install_engine() {
  # Debian's docker.io conflicts with Docker's own packages; never replace those behind the user's back.
  if debs_installed docker-ce || debs_installed docker-ce-cli; then
    die "docker-ce/docker-ce-cli packages are installed but no dockerd exists; install docker-ce (Docker's package) or remove them so docker.io can be installed"
  fi
  local cli
  cli=$(command -v docker || true)
  if [ -n "$cli" ] && ! dpkg -S "$(readlink -f "$cli")" >/dev/null 2>&1; then
    # A docker CLI outside dpkg (a static binary) does not collide with docker.io's files; it stays first on PATH.
    log "keeping the existing docker CLI at $cli ($(docker version --format '{{.Client.Version}}' 2>/dev/null || echo unknown)); docker.io adds its own under /usr/bin"
  fi
  apt_install docker.io iptables
}

launch_dockerd() {
  local args=(--pidfile "$PIDFILE")
  if [ -n "${SAFE_INSTALL_DOCKER_STORAGE_DRIVER:-}" ]; then
    args+=(--storage-driver "$SAFE_INSTALL_DOCKER_STORAGE_DRIVER")
  fi
  log "starting dockerd ${args[*]} (log: $LOGFILE)"
  rm -f "$PIDFILE"
  # setsid + nohup: the daemon outlives this script and the terminal that ran it.
  as_root setsid nohup dockerd "${args[@]}" >>"$LOGFILE" 2>&1 </dev/null &
  local launcher=$! i
  # dockerd writes the pidfile once it is up far enough; until then follow the launcher.
  for ((i = 0; i < 20; i++)); do [ -s "$PIDFILE" ] && break; sleep 0.25; done
  wait_for_daemon "$(cat "$PIDFILE" 2>/dev/null || echo "$launcher")" && return 0
  tail -n 30 "$LOGFILE" >&2
  die "dockerd exited during start-up (log: $LOGFILE)"
}

start_daemon() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  if [ -n "$pid" ] && alive "$pid" && [ "$(ps -o comm= -p "$pid")" = "dockerd" ]; then
    log "dockerd (pid $pid) is running but not answering yet; waiting"
    wait_for_daemon "$pid" && return 0
    log "that dockerd exited; starting a new one"
  elif [ "$(ps -o comm= -p 1 2>/dev/null)" = "systemd" ] && command -v systemctl >/dev/null 2>&1 \
     && [ -z "${SAFE_INSTALL_DOCKER_STORAGE_DRIVER:-}" ]; then
    log "starting docker with systemctl"
    as_root systemctl start docker
    wait_for_daemon
    return 0
  fi
  launch_dockerd
}

if daemon_answers; then
  log "daemon already answering"
else
  command -v dockerd >/dev/null 2>&1 || [ -x /usr/sbin/dockerd ] || install_engine
  command -v docker >/dev/null 2>&1 || die "no docker CLI on PATH after installing docker.io"
  start_daemon
fi

driver=$(docker info --format '{{.Driver}}')
server=$(docker version --format '{{.Server.Version}}')
log "ready in $(elapsed): server $server, storage driver $driver, cgroup $(docker info --format '{{.CgroupVersion}}' 2>/dev/null || echo '?')"
