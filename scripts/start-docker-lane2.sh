#!/usr/bin/env bash
# Engine lane 2, the engine of today's runners: Debian unstable's docker.io 28.5 with containerd 2.1 and the
# containerd image store on, buildx 0.29 as the default builder. It runs beside lane 1 (scripts/start-docker.sh)
# from a root of its own made with mmdebstrap: containerd and dockerd by chroot, in their own network namespace
# (otherwise this dockerd could remove lane 1's docker0 bridge), with their own sockets, data and exec roots.
# Safe to run again. Writes $LANE2_DIR/lane2.env, which sets DOCKER_HOST and PR_IMAGE_REPORT_DOCKER_CLI for lane 2.
#
# LANE2_MIN_API (default 1.44) is the oldest Engine API the engine accepts, as Docker 29.0-29.2 refuse older clients.
set -euo pipefail

readonly LANE2_DIR=${LANE2_DIR:-/var/lib/pr-image-report/lane2}
readonly ROOT=$LANE2_DIR/root
readonly SOCKET=$ROOT/run/lane2/docker.sock
readonly ENV_FILE=$LANE2_DIR/lane2.env
readonly LOG=$LANE2_DIR/dockerd.log
readonly MIN_API=${LANE2_MIN_API:-1.44}
readonly WAIT_SECONDS=90
readonly PACKAGES=docker.io,docker-cli,docker-buildx,containerd,runc,iptables,ca-certificates

say() { echo "start-docker-lane2: $*" >&2; }
fail() { echo "start-docker-lane2: error: $*" >&2; exit 1; }

client() { DOCKER_HOST=unix://$SOCKET timeout 10 "$ROOT/usr/bin/docker" "$@"; }
engine_answers() { [[ -S "$SOCKET" ]] && client info >/dev/null 2>&1; }

# The lane's docker client with its buildx plugin. The CLI looks for plugins only in fixed system folders, and
# putting buildx there would give lane 1's client buildx too; so the client runs in a mount namespace of its own
# where /usr/libexec/docker is the lane root's.
write_client() {
    mkdir -p "$LANE2_DIR/bin" /usr/libexec/docker
    cat >"$LANE2_DIR/bin/docker" <<EOF
#!/bin/sh
# Lane 2's docker client (docker-cli 28 with docker-buildx), made by scripts/start-docker-lane2.sh.
exec unshare --mount -- /bin/sh -c 'mount --bind "\$0/usr/libexec/docker" /usr/libexec/docker && exec "\$0/usr/bin/docker" "\$@"' "$ROOT" "\$@"
EOF
    chmod +x "$LANE2_DIR/bin/docker"
}

write_env() {
    write_client
    cat >"$ENV_FILE" <<EOF
# Engine lane 2 (scripts/start-docker-lane2.sh): Docker $(client version --format '{{.Server.Version}}'), containerd image store, buildx.
export DOCKER_HOST=unix://$SOCKET
export PR_IMAGE_REPORT_DOCKER_CLI=$LANE2_DIR/bin/docker
EOF
    say "engine answers: Docker $(client version --format '{{.Server.Version}} (API {{.Server.APIVersion}}, minimum {{.Server.MinAPIVersion}})'), store $(client info --format '{{.Driver}}'); source $ENV_FILE to use it"
}

mount_lane() {
    # runc needs / to be a mount point; the daemons need the host's /proc, /sys and /dev.
    mountpoint -q "$ROOT" || mount --bind "$ROOT" "$ROOT"
    # /tmp too, and the lane's socket under its host path: `docker run -v HOST_PATH:…` names paths the engine
    # resolves in its own root, and on a runner the engine sees the host's files.
    for dir in proc sys dev tmp; do
        if ! mountpoint -q "$ROOT/$dir"; then
            mount --rbind "/$dir" "$ROOT/$dir"
            mount --make-rslave "$ROOT/$dir"
        fi
    done
    mkdir -p "$ROOT$LANE2_DIR"
    if [[ ! -L "$ROOT$ROOT" ]]; then
        # A `docker run -v` of the socket before this link existed made empty folders in its place.
        [[ -d "$ROOT$ROOT" ]] && find "$ROOT$ROOT" -depth -type d -empty -delete
        ln -sn / "$ROOT$ROOT"
    fi
}

# Root also for the lane's client, which binds its plugin folder in a mount namespace of its own.
[[ $EUID -eq 0 ]] || fail "lane 2 needs root (chroot, mounts, namespaces); rerun as root"
if engine_answers; then
    mount_lane
    write_env
    exit 0
fi
if ! command -v ip >/dev/null 2>&1; then
    say "ip missing (it brings up the namespace's loopback): installing iproute2 with apt-get"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y iproute2; } >/tmp/start-docker-lane2-apt.log 2>&1 \
        || { tail -n 20 /tmp/start-docker-lane2-apt.log >&2; fail "apt-get could not install iproute2"; }
fi

if [[ ! -x "$ROOT/usr/sbin/dockerd" || ! -x "$ROOT/usr/bin/docker" ]]; then
    if ! command -v mmdebstrap >/dev/null 2>&1; then
        say "mmdebstrap missing: installing it with apt-get"
        { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y mmdebstrap; } >/tmp/start-docker-lane2-apt.log 2>&1 \
            || { tail -n 20 /tmp/start-docker-lane2-apt.log >&2; fail "apt-get could not install mmdebstrap"; }
    fi
    mkdir -p "$LANE2_DIR"
    partial=$LANE2_DIR/root.partial
    # A half-made root from an interrupted run holds no mounts (they are made only after the rename below).
    rm -rf "$partial"
    say "making the lane 2 root from Debian unstable ($PACKAGES)"
    # The unstable suite's Release file may be past its Valid-Until date.
    mmdebstrap --variant=minbase --include="$PACKAGES" --aptopt='Acquire::Check-Valid-Until "false"' \
        sid "$partial" >"$LANE2_DIR/mmdebstrap.log" 2>&1 \
        || { tail -n 20 "$LANE2_DIR/mmdebstrap.log" >&2; fail "mmdebstrap failed; see $LANE2_DIR/mmdebstrap.log"; }
    mv "$partial" "$ROOT"
fi


mount_lane
mkdir -p "$ROOT/etc/docker" "$ROOT/run/lane2"
cat >"$ROOT/etc/docker/daemon.json" <<'EOF'
{
  "features": { "containerd-snapshotter": true },
  "iptables": false,
  "ip6tables": false,
  "cgroup-parent": "/lane2"
}
EOF

# Stale pid files from a killed run make both daemons refuse to start.
rm -f "$ROOT/run/lane2/dockerd.pid" "$ROOT/run/lane2/containerd.pid"
say "starting containerd and dockerd in a new network namespace (log: $LOG)"
setsid unshare --net --fork -- /bin/sh -c '
    ip link set lo up
    exec chroot "$1" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        DOCKER_MIN_API_VERSION="$2" /bin/sh -c "
        containerd --address /run/lane2/containerd.sock --root /var/lib/containerd --state /run/containerd &
        echo \$! > /run/lane2/containerd.pid
        exec dockerd --host unix:///run/lane2/docker.sock --containerd /run/lane2/containerd.sock \
            --data-root /var/lib/docker --exec-root /run/lane2/exec --pidfile /run/lane2/dockerd.pid"
' sh "$ROOT" "$MIN_API" >"$LOG" 2>&1 </dev/null &
starter=$!

for ((second = 1; second <= WAIT_SECONDS; second++)); do
    if engine_answers; then
        say "answered after ${second}s"
        write_env
        exit 0
    fi
    kill -0 "$starter" 2>/dev/null || { tail -n 20 "$LOG" >&2; fail "dockerd exited during start-up; see $LOG"; }
    sleep 1
done
tail -n 20 "$LOG" >&2
fail "lane 2 did not answer within ${WAIT_SECONDS}s; see $LOG"
