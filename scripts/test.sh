#!/usr/bin/env bash
# The project's test run (also what CI runs): starts the engines, makes the base images the integration tests
# build on, installs the Node tools for the GitHub API checks, tests the bundled example API, runs the unit and
# GitHub tests once, then the Docker, CLI and action integration tests once per engine lane. Exits non-zero when
# any step fails.
#
# LANES (default "lane1 lane2 podman") selects the engine lanes, e.g. LANES=lane2 for a quick local run:
#   lane1   Debian bookworm's Docker 20.10, overlay2, classic builder (scripts/start-docker.sh)
#   lane2   Debian unstable's Docker 28.5 with the containerd image store and buildx (scripts/start-docker-lane2.sh)
#   podman  Debian bookworm's Podman 4.3 through its Docker API (scripts/start-podman.sh): the CLI's lane tests only
set -euo pipefail

cd "$(dirname "$0")/.."

say() { echo "test: $*"; }

read -r -a lanes <<<"${LANES:-lane1 lane2 podman}"
for lane in "${lanes[@]}"; do
    [[ $lane == lane1 || $lane == lane2 || $lane == podman ]] || { echo "test: error: unknown lane '$lane' in LANES; known: lane1 lane2 podman" >&2; exit 2; }
done

# Lane 1's engine is also where the base images are made, so it always starts.
say "step 1/6: making sure the engines answer (lanes: ${lanes[*]})"
scripts/start-docker.sh
lane2_env=/var/lib/pr-image-report/lane2/lane2.env
if [[ " ${lanes[*]} " == *" lane2 "* ]]; then
    scripts/start-docker-lane2.sh
fi

say "step 2/6: making the base images"
scripts/make-base-images.sh
if [[ " ${lanes[*]} " == *" lane2 "* ]]; then
    (source "$lane2_env" && scripts/copy-base-images.sh "$DOCKER_HOST" "$PR_IMAGE_REPORT_DOCKER_CLI")
fi
# Podman's own store: the script starts the service and loads the stand-ins it needs from lane 1.
if [[ " ${lanes[*]} " == *" podman "* ]]; then
    scripts/start-podman.sh
fi

if [[ -f scripts/install-node-tools.sh ]]; then
    say "step 3/6: installing Node tools (scripts/install-node-tools.sh)"
    bash scripts/install-node-tools.sh
else
    say "step 3/6: no scripts/install-node-tools.sh, skipped"
fi

# The remote-engine tests serve an engine over TLS (socat, openssl) and over ssh (a local sshd on loopback).
missing=()
for tool in socat:socat sshd:openssh-server ssh:openssh-client openssl:openssl; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || [[ -x /usr/sbin/${tool%%:*} ]] || missing+=("${tool#*:}")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing ${missing[*]} for the remote-engine tests"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; } >/tmp/test-apt.log 2>&1 \
        || { tail -n 20 /tmp/test-apt.log >&2; echo "test: error: apt-get could not install ${missing[*]}" >&2; exit 1; }
fi

say "step 4/6: unit tests of the example API (examples/school-api/tests)"
PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s examples/school-api/tests

say "step 5/6: dotnet build PrImageReport.sln -c Release"
dotnet build PrImageReport.sln -c Release

log=$(mktemp /tmp/dotnet-test.XXXXXX.log)
status=0
# Runs one test project on the already built solution, appending to the log the summary is read from.
# Usage: run_tests PROJECT [VAR=VALUE...] [-- dotnet test options...]
run_tests() {
    local project=$1 variables=() options=()
    shift
    while [[ $# -gt 0 && $1 != -- ]]; do variables+=("$1"); shift; done
    [[ $# -gt 0 ]] && shift && options=("$@")
    env "${variables[@]}" dotnet test "$project" -c Release --no-build --logger "console;verbosity=normal" "${options[@]}" 2>&1 | tee -a "$log" || status=1
}

say "step 6/6: dotnet test: unit and GitHub tests, then the engine tests on each lane"
run_tests tests/PrImageReport.Core.Tests PR_IMAGE_REPORT_TEST_LANE=none
run_tests tests/PrImageReport.GitHub.IntegrationTests PR_IMAGE_REPORT_TEST_LANE=none
for lane in "${lanes[@]}"; do
    case $lane in
        lane1) settings=(DOCKER_HOST=unix:///var/run/docker.sock PR_IMAGE_REPORT_DOCKER_CLI= "PATH=$PATH") ;;
        # The lane's own client first on PATH, so tests that run `docker` speak to it in an API it accepts.
        lane2) settings=("DOCKER_HOST=$(source "$lane2_env" && echo "$DOCKER_HOST")"
                         "PR_IMAGE_REPORT_DOCKER_CLI=$(source "$lane2_env" && echo "$PR_IMAGE_REPORT_DOCKER_CLI")"
                         "PATH=/var/lib/pr-image-report/lane2/bin:$PATH") ;;
        podman) settings=(DOCKER_HOST=unix:///run/podman/podman.sock PR_IMAGE_REPORT_DOCKER_CLI= "PATH=$PATH") ;;
    esac
    if [[ $lane == podman ]]; then
        say "podman: tests/PrImageReport.Cli.IntegrationTests (Lane=podman)"
        run_tests tests/PrImageReport.Cli.IntegrationTests PR_IMAGE_REPORT_TEST_LANE=podman "${settings[@]}" -- --filter Lane=podman
        continue
    fi
    for project in tests/PrImageReport.Docker.IntegrationTests tests/PrImageReport.Cli.IntegrationTests; do
        say "$lane: $project"
        # Tests of what only one lane has (Lane=lane1, Lane=lane2) run in its pass alone.
        filter="Lane!=podman&Lane!=lane1"
        [[ $lane == lane1 ]] && filter="Lane!=podman&Lane!=lane2"
        run_tests "$project" PR_IMAGE_REPORT_TEST_LANE="$lane" "${settings[@]}" -- --filter "$filter"
    done
done

# One closing line over all test runs, from VSTest's per-project summary blocks:
#   Test Run Successful.      (or Failed. / Aborted.)
#   Total tests: 12
#        Passed: 11
#        Failed: 1
awk '/^Test Run (Successful|Failed|Aborted)\./ { in_summary = 1; if ($3 == "Aborted.") aborted++; next }
     in_summary && /^ +(Passed|Failed|Skipped): +[0-9]+ *$/ { count[$1] += $2; next }
     in_summary && !/^Total tests:/ { in_summary = 0 }
     END {
         if (aborted) printf "test: %d test run(s) aborted (see above)\n", aborted
         printf "dotnet: %d passed, %d failed, %d skipped\n", count["Passed:"], count["Failed:"], count["Skipped:"]
     }' "$log"
rm -f "$log"
exit "$status"
