#!/usr/bin/env bash
# Makes sure a Docker engine answers. When none does, installs Debian's docker.io
# (if dockerd is missing) and starts dockerd in the background. Safe to run again.
set -euo pipefail

readonly DEFAULT_SOCKET=/var/run/docker.sock
readonly PID_FILE=/var/run/docker.pid
readonly CONTAINERD_PID_FILE=/var/run/docker/containerd/containerd.pid
readonly DOCKERD_LOG=/tmp/dockerd.log
readonly WAIT_SECONDS=60

say() { echo "start-docker: $*"; }
fail() { echo "start-docker: error: $*" >&2; exit 1; }

# The Debian client (/usr/bin/docker) matches the Debian engine; another client on PATH will do otherwise.
docker_client() {
    if [[ -x /usr/bin/docker ]]; then
        echo /usr/bin/docker
    else
        command -v docker || true
    fi
}

# A hung engine must not hang the caller, hence the timeout.
engine_answers() {
    local client
    client=$(docker_client)
    [[ -n "$client" ]] && timeout 10 "$client" info >/dev/null 2>&1
}

engine_version() {
    timeout 10 "$(docker_client)" version --format '{{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null || echo unknown
}

# True when the pid file names a live process with the given command name.
pid_file_live() {
    local file=$1 command=$2
    [[ -f "$file" ]] && [[ "$(cat "/proc/$(cat "$file")/comm" 2>/dev/null)" == "$command" ]]
}

say "checking for a Docker engine at ${DOCKER_HOST:-unix://$DEFAULT_SOCKET}"
if engine_answers; then
    say "engine answers: Docker $(engine_version); nothing to do"
    exit 0
fi

if [[ -n "${DOCKER_HOST:-}" && "$DOCKER_HOST" != "unix://$DEFAULT_SOCKET" ]]; then
    fail "DOCKER_HOST=$DOCKER_HOST does not answer; this script only starts a local dockerd at $DEFAULT_SOCKET (unset DOCKER_HOST or start that engine)"
fi
[[ $EUID -eq 0 ]] || fail "no engine answers and starting dockerd needs root; rerun as root (e.g. sudo $0)"

if ! command -v dockerd >/dev/null 2>&1; then
    [[ -r /etc/debian_version ]] || fail "dockerd is missing and this is not Debian; install Docker Engine, then rerun"
    apt_log=$(mktemp /tmp/start-docker-apt.XXXXXX.log)
    say "dockerd missing: installing Debian package docker.io (log: $apt_log)"
    if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y docker.io; } >"$apt_log" 2>&1; then
        tail -n 20 "$apt_log" >&2
        fail "apt-get could not install docker.io; see $apt_log"
    fi
    say "installed $(dpkg-query -W -f '${Package} ${Version}' docker.io)"
fi

if pid_file_live "$PID_FILE" dockerd; then
    say "dockerd already running (pid $(cat "$PID_FILE")) but not answering yet; waiting for it"
else
    # Pid files left behind by a killed dockerd and its containerd: if their pids now belong
    # to other processes, dockerd refuses to start or waits on a containerd that is not there.
    for file in "$PID_FILE" "$CONTAINERD_PID_FILE"; do
        if [[ -f "$file" ]] && ! pid_file_live "$file" "$(basename "$file" .pid)"; then
            say "removing stale $file"
            rm -f "$file"
        fi
    done
    # --iptables=false: dockerd leaves the host's firewall rules alone; containers here have no outside network anyway.
    say "starting dockerd --iptables=false (log: $DOCKERD_LOG)"
    setsid dockerd --iptables=false >"$DOCKERD_LOG" 2>&1 </dev/null &
    dockerd_pid=$!
fi

say "waiting up to ${WAIT_SECONDS}s for $DEFAULT_SOCKET and 'docker info'"
for ((second = 1; second <= WAIT_SECONDS; second++)); do
    if [[ -S "$DEFAULT_SOCKET" ]] && engine_answers; then
        say "engine answers after ${second}s: Docker $(engine_version)"
        exit 0
    fi
    if [[ -n "${dockerd_pid:-}" ]] && ! kill -0 "$dockerd_pid" 2>/dev/null; then
        tail -n 20 "$DOCKERD_LOG" >&2
        fail "dockerd exited during start-up; see $DOCKERD_LOG"
    fi
    sleep 1
done
tail -n 20 "$DOCKERD_LOG" >&2
fail "no engine answered within ${WAIT_SECONDS}s; see $DOCKERD_LOG"
