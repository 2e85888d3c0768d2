#!/usr/bin/env bash
# Makes local stand-ins for the Docker Hub base images the project builds on, since
# nothing can be pulled here: each is a Debian root filesystem made with mmdebstrap
# (bookworm, plus this machine's own .NET SDK for the .NET images; unstable for the
# docker CLI image, whose client and buildx plugin are Debian's current packages) and
# imported under the Docker Hub name. An image already present locally is left
# alone; nothing is ever pulled.
#
# Usage: scripts/make-base-images.sh [image...]   (default: every image below)
#        scripts/make-base-images.sh --list       (the names, one a line)
# MAX_JOBS (default: the number of cores) bounds how many are made at once; each
# mmdebstrap keeps about one core busy (dpkg and maintainer scripts).
set -euo pipefail

readonly SYSTEM_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# The images, one per line: Docker Hub name; packages on top of mmdebstrap's minbase
# variant; image config as docker import --change lines separated by '|'.
# PATH is always set: a Dockerfile's ENV PATH=...:$PATH expands an unset PATH to nothing.
# golang gets gcc and libc6-dev because Go 1.19 builds the net package with cgo unless
# CGO_ENABLED=0, which the real image allows.
# The .NET images carry files from this machine (see host_files below): the packages
# are those of the real images' Debian base (runtime-deps), and the SDK one adds git
# and curl as the real SDK image does. The docker CLI image is made from unstable's
# docker-cli and docker-buildx, which speak Engine API 1.51 (bookworm's docker.io is
# 20.10: API 1.41, too old for Docker 29, and no buildx).
readonly DOTNET_ENV="ENV DOTNET_RUNNING_IN_CONTAINER=true|ENV DOTNET_ROOT=/usr/share/dotnet|ENV DOTNET_CLI_TELEMETRY_OPTOUT=1|ENV DOTNET_NOLOGO=1"
readonly IMAGES=(
    "debian:bookworm-slim;;ENV PATH=$SYSTEM_PATH|ENV LANG=C.UTF-8|CMD [\"bash\"]"
    "python:3.11-slim;python3,python3-venv;ENV PATH=$SYSTEM_PATH|ENV LANG=C.UTF-8|CMD [\"python3\"]"
    "python:3.11;python3,python3-venv,build-essential,python3-dev,git;ENV PATH=$SYSTEM_PATH|ENV LANG=C.UTF-8|CMD [\"python3\"]"
    "golang:1.19;golang-go,gcc,libc6-dev;ENV PATH=/go/bin:$SYSTEM_PATH|ENV GOPATH=/go|ENV LANG=C.UTF-8|WORKDIR /go|CMD [\"bash\"]"
    "mcr.microsoft.com/dotnet/runtime:10.0;ca-certificates,libicu72,libssl3,tzdata;ENV PATH=$SYSTEM_PATH|$DOTNET_ENV|ENV LANG=C.UTF-8"
    "mcr.microsoft.com/dotnet/sdk:10.0;ca-certificates,libicu72,libssl3,tzdata,git,curl;ENV PATH=$SYSTEM_PATH|$DOTNET_ENV|ENV LANG=C.UTF-8|CMD [\"bash\"]"
    "docker:28-cli;ca-certificates,docker-cli,docker-buildx;ENV PATH=$SYSTEM_PATH|ENV LANG=C.UTF-8|CMD [\"bash\"]"
)
# The Debian suite of each image that is not made from bookworm.
declare -A SUITE_OF=([docker:28-cli]=sid)
declare -A PACKAGES=() CHANGES=()
ALL_IMAGES=()
for spec in "${IMAGES[@]}"; do
    IFS=';' read -r name packages changes <<<"$spec"
    ALL_IMAGES+=("$name")
    PACKAGES[$name]=$packages
    CHANGES[$name]=$changes
done
# --list: the names alone, for scripts that copy the images to other engines.
if [[ "${1:-}" == --list ]]; then
    printf '%s\n' "${ALL_IMAGES[@]}"
    exit 0
fi
readonly DEFAULT_SUITE=bookworm
readonly MAX_JOBS=${MAX_JOBS:-$(nproc)}

say() { echo "make-base-images: $*"; }
fail() { echo "make-base-images: error: $*" >&2; exit 1; }

docker_client() {
    if [[ -x /usr/bin/docker ]]; then echo /usr/bin/docker; else command -v docker || true; fi
}
DOCKER=$(docker_client)
[[ -n "$DOCKER" ]] || fail "no docker client found; run scripts/start-docker.sh first"
"$DOCKER" info >/dev/null 2>&1 || fail "the Docker engine does not answer; run scripts/start-docker.sh first"

# The mmdebstrap customize hooks that copy this machine's files into the images made
# from them, one a line (each runs here with "$1" the new root); none for the others.
# The SDK is the whole of this machine's; the runtime is only the dotnet host and the
# Microsoft.NETCore.App shared framework, as in the real runtime image. The SDK image
# also trusts this machine's extra CA certificates, since NuGet may be reached through
# a TLS-intercepting proxy here. The docker CLI image gets its client and buildx
# plugin copied to where the real image (Alpine, static binaries) has them, which is
# where the action's Dockerfile takes them from; Debian's are linked against glibc
# 2.34 at most, so they also run on the bookworm-based action image (glibc 2.36).
host_files() {
    case $1 in
        mcr.microsoft.com/dotnet/runtime:*) printf '%s\n' \
            'mkdir -p "$1/usr/share/dotnet/shared"' \
            'cp -a /usr/share/dotnet/dotnet /usr/share/dotnet/host /usr/share/dotnet/LICENSE.txt "$1/usr/share/dotnet/"' \
            'cp -a /usr/share/dotnet/shared/Microsoft.NETCore.App "$1/usr/share/dotnet/shared/"' \
            'ln -s /usr/share/dotnet/dotnet "$1/usr/bin/dotnet"' ;;
        mcr.microsoft.com/dotnet/sdk:*) printf '%s\n' \
            'cp -a /usr/share/dotnet "$1/usr/share/"' \
            'ln -s /usr/share/dotnet/dotnet "$1/usr/bin/dotnet"' \
            'find /usr/local/share/ca-certificates -maxdepth 1 -name "*.crt" -exec cp -t "$1/usr/local/share/ca-certificates/" {} +' \
            'chroot "$1" update-ca-certificates' ;;
        docker:*) printf '%s\n' \
            'mkdir -p "$1/usr/local/libexec/docker/cli-plugins"' \
            'cp -a "$1/usr/bin/docker" "$1/usr/local/bin/docker"' \
            'cp -a "$1/usr/libexec/docker/cli-plugins/docker-buildx" "$1/usr/local/libexec/docker/cli-plugins/docker-buildx"' ;;
    esac
}

# What host_files copies, which must be on this machine.
host_sources() {
    case $1 in
        mcr.microsoft.com/dotnet/runtime:*) echo /usr/share/dotnet/dotnet /usr/share/dotnet/host/fxr /usr/share/dotnet/shared/Microsoft.NETCore.App ;;
        mcr.microsoft.com/dotnet/sdk:*) echo /usr/share/dotnet/dotnet /usr/share/dotnet/sdk ;;
    esac
}

# Builds one image; its output goes to a log so parallel builds stay readable.
make_image() {
    local name=$1 work=$2
    local tarball="$work/rootfs.tar" log="$work/mmdebstrap.log"
    local suite=${SUITE_OF[$name]:-$DEFAULT_SUITE}
    local include=() change=() lines=() line hooks=() hook aptopts=()
    [[ -n "${PACKAGES[$name]}" ]] && include=(--include="${PACKAGES[$name]}")
    # Unstable's Release file may be past its Valid-Until where the mirror is a snapshot.
    [[ $suite == "$DEFAULT_SUITE" ]] || aptopts=(--aptopt='Acquire::Check-Valid-Until "false"')
    IFS='|' read -r -a lines <<<"${CHANGES[$name]}"
    for line in "${lines[@]}"; do change+=(--change "$line"); done
    while IFS= read -r hook; do
        [[ -n "$hook" ]] && hooks+=(--customize-hook="$hook")
    done < <(host_files "$name")

    # A tarball first, then import: a truncated stream piped into docker import could leave a broken image behind.
    mmdebstrap --variant=minbase --format=tar "${aptopts[@]}" "${include[@]}" "${hooks[@]}" "$suite" "$tarball" >"$log" 2>&1 || return 1
    "$DOCKER" import "${change[@]}" --message "mmdebstrap $suite minbase ${PACKAGES[$name]}" \
        "$tarball" "$name" >>"$log" 2>&1 || return 1
}

requested=("$@")
[[ ${#requested[@]} -gt 0 ]] || requested=("${ALL_IMAGES[@]}")

for name in "${requested[@]}"; do
    [[ -v "PACKAGES[$name]" ]] || fail "unknown image '$name'; known: ${ALL_IMAGES[*]}"
done

missing=()
for name in "${requested[@]}"; do
    if [[ " ${missing[*]} " == *" $name "* ]]; then
        continue
    elif "$DOCKER" image inspect "$name" >/dev/null 2>&1; then
        say "$name: present, skipped"
    else
        missing+=("$name")
    fi
done
[[ ${#missing[@]} -gt 0 ]] || exit 0

for name in "${missing[@]}"; do
    for source in $(host_sources "$name"); do
        [[ -e "$source" ]] || fail "$name is made from this machine's $source, which is missing; install the .NET 10 SDK under /usr/share/dotnet"
    done
done

[[ $EUID -eq 0 ]] || fail "making ${missing[*]} needs root (mmdebstrap root mode); rerun as root"
if ! command -v mmdebstrap >/dev/null 2>&1; then
    say "mmdebstrap missing: installing it with apt-get"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y mmdebstrap; } >/tmp/make-base-images-apt.log 2>&1 \
        || { tail -n 20 /tmp/make-base-images-apt.log >&2; fail "apt-get could not install mmdebstrap; see /tmp/make-base-images-apt.log"; }
fi

workroot=$(mktemp -d /var/tmp/make-base-images.XXXXXX)
trap 'rm -rf "$workroot"' EXIT

declare -A name_of_pid=() started_at=()
failed=()
started=$SECONDS

# Reaps whichever build ends first and reports it.
reap_one() {
    local pid name
    if wait -n -p pid; then
        name=${name_of_pid[$pid]}
        say "$name: made in $((SECONDS - ${started_at[$name]}))s, $("$DOCKER" image inspect --format '{{.Size}}' "$name" | numfmt --to=si)B"
    else
        name=${name_of_pid[$pid]}
        tail -n 20 "$workroot/$name/mmdebstrap.log" >&2
        say "$name: FAILED (last lines of its log above)"
        failed+=("$name")
    fi
    unset "name_of_pid[$pid]"
}

for name in "${missing[@]}"; do
    [[ ${#name_of_pid[@]} -lt $MAX_JOBS ]] || reap_one
    mkdir -p "$workroot/$name"
    say "$name: making from Debian ${SUITE_OF[$name]:-$DEFAULT_SUITE} minbase${PACKAGES[$name]:+ + ${PACKAGES[$name]}}"
    started_at[$name]=$SECONDS
    make_image "$name" "$workroot/$name" &
    name_of_pid[$!]=$name
done
while [[ ${#name_of_pid[@]} -gt 0 ]]; do reap_one; done

[[ ${#failed[@]} -eq 0 ]] || fail "could not make: ${failed[*]}"
say "done in $((SECONDS - started))s"
