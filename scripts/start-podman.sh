#!/usr/bin/env bash
# Makes sure Podman's Docker-compatible API answers at unix:///run/podman/podman.sock
# (the Podman lane), with the base-image stand-ins in its store. Installs Debian's
# podman if it is missing, starts `podman system service` in the background, then
# copies each stand-in from the Docker engine (docker save | podman load) under the
# name a pull from Docker Hub would give it. Nothing is ever pulled. Safe to run again.
#
# Usage: scripts/start-podman.sh [image...]   (default: the images the Podman tests build on)
# Then: DOCKER_HOST=unix:///run/podman/podman.sock pr-image-report compare ...
#
# Settings, and why they suit a sandbox without a network route:
# - storage: overlay (kernel overlayfs, rootful) in /var/lib/containers/storage, Podman's
#   default; checked, since vfs would copy every layer in full.
# - network: none configured. Podman 4.3 runs a build's RUN steps in the host's network
#   namespace whatever the build's network mode says, so nothing needs a bridge or NAT.
set -euo pipefail

readonly SOCKET=/run/podman/podman.sock
readonly PODMAN_HOST=unix://$SOCKET
readonly PID_FILE=/run/podman/service.pid
readonly SERVICE_LOG=/tmp/podman-service.log
readonly WAIT_SECONDS=30
# Where the stand-ins are: the Docker engine that scripts/make-base-images.sh made them on.
readonly SOURCE_DOCKER_HOST=${PR_IMAGE_REPORT_STAND_INS_HOST:-unix:///var/run/docker.sock}
readonly DEFAULT_IMAGES=(python:3.11-slim python:3.11)

say() { echo "start-podman: $*"; }
fail() { echo "start-podman: error: $*" >&2; exit 1; }

api_answers() {
    timeout 10 podman --remote --url "$PODMAN_HOST" version >/dev/null 2>&1
}

# The name a pull gives a Docker Hub image ("python:3.11" is docker.io/library/python:3.11);
# other registries' names are already whole.
qualified() {
    local name=$1 first=${1%%/*}
    if [[ $name != */* ]]; then
        echo "docker.io/library/$name"
    elif [[ $first != *.* && $first != *:* && $first != localhost ]]; then
        echo "docker.io/$name"
    else
        echo "$name"
    fi
}

docker_client() {
    if [[ -x /usr/bin/docker ]]; then echo /usr/bin/docker; else command -v docker || true; fi
}

started=$SECONDS
if ! command -v podman >/dev/null 2>&1; then
    [[ $EUID -eq 0 ]] || fail "podman is missing and installing it needs root; rerun as root"
    [[ -r /etc/debian_version ]] || fail "podman is missing and this is not Debian; install Podman 4.3 or later, then rerun"
    apt_log=$(mktemp /tmp/start-podman-apt.XXXXXX.log)
    say "podman missing: installing Debian package podman (log: $apt_log)"
    # No recommends: buildah, slirp4netns, fuse-overlayfs and uidmap are for rootless use; podman builds with its own Buildah.
    if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends podman; } >"$apt_log" 2>&1; then
        tail -n 20 "$apt_log" >&2
        fail "apt-get could not install podman; see $apt_log"
    fi
    say "installed $(dpkg-query -W -f '${Package} ${Version}' podman) in $((SECONDS - started))s"
fi

driver=$(podman info --format '{{.Store.GraphDriverName}}' 2>/dev/null) || fail "podman info fails; run it to see why"
[[ $driver == overlay ]] || say "warning: podman's storage driver is $driver, not overlay; layers are stored (and loaded) in full"

if api_answers; then
    say "the API answers at $PODMAN_HOST; not starting another service"
else
    [[ $EUID -eq 0 ]] || fail "starting the rootful service at $SOCKET needs root; rerun as root"
    mkdir -p "$(dirname "$SOCKET")"
    if [[ -f "$PID_FILE" ]] && [[ "$(cat "/proc/$(cat "$PID_FILE")/comm" 2>/dev/null)" == podman ]]; then
        say "podman system service already running (pid $(cat "$PID_FILE")) but not answering yet; waiting for it"
    else
        # --time=0: the service stays up between requests instead of exiting after 5 s idle.
        say "starting podman system service --time=0 $PODMAN_HOST (log: $SERVICE_LOG)"
        setsid podman system service --time=0 "$PODMAN_HOST" >"$SERVICE_LOG" 2>&1 </dev/null &
        echo $! >"$PID_FILE"
    fi
    service_pid=$(cat "$PID_FILE")
    for ((second = 1; ; second++)); do
        api_answers && break
        if ! kill -0 "$service_pid" 2>/dev/null; then
            tail -n 20 "$SERVICE_LOG" >&2
            fail "podman system service exited during start-up; see $SERVICE_LOG"
        fi
        ((second < WAIT_SECONDS)) || { tail -n 20 "$SERVICE_LOG" >&2; fail "the API did not answer within ${WAIT_SECONDS}s; see $SERVICE_LOG"; }
        sleep 1
    done
    say "the API answers after ${second}s"
fi
docker=$(docker_client)
say "Podman $(podman --remote --url "$PODMAN_HOST" version --format '{{.Server.Version}}'), Docker API $(
    [[ -n "$docker" ]] && DOCKER_HOST=$PODMAN_HOST timeout 10 "$docker" version --format '{{.Server.APIVersion}}' 2>/dev/null || echo unknown), storage $driver"

images=("$@")
[[ ${#images[@]} -gt 0 ]] || images=("${DEFAULT_IMAGES[@]}")
for name in "${images[@]}"; do
    target=$(qualified "$name")
    wanted=""
    if [[ -n "$docker" ]]; then
        wanted=$(DOCKER_HOST=$SOURCE_DOCKER_HOST "$docker" image inspect --format '{{.Id}}' "$name" 2>/dev/null || true)
    fi
    have=$(podman image inspect --format 'sha256:{{.Id}}' "$target" 2>/dev/null || true)
    if [[ -n "$have" && ( -z "$wanted" || "$have" == "$wanted" ) ]]; then
        say "$target: present, skipped"
        continue
    fi
    [[ -n "$wanted" ]] || fail "$name is neither in podman's store nor on the Docker engine at $SOURCE_DOCKER_HOST; run scripts/start-docker.sh and scripts/make-base-images.sh first"
    loaded_at=$SECONDS
    # podman load names an unqualified image localhost/NAME; it gets the name a pull would give it instead.
    loaded=$(DOCKER_HOST=$SOURCE_DOCKER_HOST "$docker" save "$name" | podman load --quiet) || fail "could not copy $name from the Docker engine into podman"
    loaded=${loaded##*Loaded image: }
    loaded=${loaded##*Loaded image(s): }
    if [[ "$loaded" != "$target" ]]; then
        podman tag "$loaded" "$target"
        podman untag "$loaded" "$loaded"
    fi
    say "$target: loaded in $((SECONDS - loaded_at))s"
done
say "ready in $((SECONDS - started))s: DOCKER_HOST=$PODMAN_HOST"
