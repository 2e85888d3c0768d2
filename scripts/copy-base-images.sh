#!/usr/bin/env bash
# Copies the base-image stand-ins (scripts/make-base-images.sh, made on lane 1's engine) to another engine, such as
# lane 2, by `docker save | docker load`: nothing can be pulled here. An image the target already has is
# left alone, so a pull is never needed and never tried.
#
# Usage: scripts/copy-base-images.sh TARGET_DOCKER_HOST [TARGET_CLI [image...]]
#   TARGET_CLI: the docker client that speaks to the target (default: docker on PATH); images need it named first.
#   The source is lane 1 through /usr/bin/docker (or docker on PATH) at the default socket.
set -euo pipefail

cd "$(dirname "$0")/.."

say() { echo "copy-base-images: $*" >&2; }
fail() { echo "copy-base-images: error: $*" >&2; exit 1; }

[[ $# -ge 1 ]] || fail "usage: $0 TARGET_DOCKER_HOST [TARGET_CLI] [image...]"
TARGET_HOST=$1
TARGET_CLI=${2:-$(command -v docker || true)}
shift $(($# >= 2 ? 2 : 1))
[[ -x "$TARGET_CLI" ]] || fail "no docker client for the target (give its path as the second argument)"
if [[ -x /usr/bin/docker ]]; then SOURCE_CLI=/usr/bin/docker; else SOURCE_CLI=$(command -v docker || true); fi
[[ -x "$SOURCE_CLI" ]] || fail "no docker client for lane 1; run scripts/start-docker.sh first"
readonly TARGET_HOST TARGET_CLI SOURCE_CLI SOURCE_HOST=unix:///var/run/docker.sock

source_docker() { DOCKER_HOST=$SOURCE_HOST "$SOURCE_CLI" "$@"; }
target_docker() { DOCKER_HOST=$TARGET_HOST "$TARGET_CLI" "$@"; }

images=("$@")
[[ ${#images[@]} -gt 0 ]] || mapfile -t images < <(scripts/make-base-images.sh --list)

target_docker info >/dev/null 2>&1 || fail "no engine answers at $TARGET_HOST"
started=$SECONDS
for name in "${images[@]}"; do
    if target_docker image inspect "$name" >/dev/null 2>&1; then
        say "$name: present at $TARGET_HOST, skipped"
        continue
    fi
    source_docker image inspect "$name" >/dev/null 2>&1 || fail "$name is not on lane 1 either; run scripts/make-base-images.sh first"
    say "$name: copying to $TARGET_HOST"
    # pipefail makes a failed save fail the copy, not load a truncated stream silently.
    source_docker save "$name" | target_docker load >/dev/null
done
say "done in $((SECONDS - started))s"
