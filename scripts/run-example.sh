#!/usr/bin/env bash
# Runs pr-image-report on the bundled example: the multi-stage School API image as the
# base side, its single-stage rewrite on the fat base as the head side, and prints the
# report. The head side is a deliberate regression, so the tool's verdict is "fail"
# (exit code 1); that is the expected outcome here and this script still exits 0.
#
# Usage: scripts/run-example.sh [report-file]   (default: /tmp/pr-image-report-example.md)
set -euo pipefail

cd "$(dirname "$0")/.."
readonly REPORT=${1:-${TMPDIR:-/tmp}/pr-image-report-example.md}
readonly EXAMPLE=examples/school-api

say() { echo "run-example: $*"; }
fail() { echo "run-example: error: $*" >&2; exit 1; }

say "step 1/4: making sure a Docker engine answers"
scripts/start-docker.sh

say "step 2/4: making the base images the example needs"
scripts/make-base-images.sh python:3.11-slim python:3.11

say "step 3/4: building the CLI (dotnet build -c Release src/PrImageReport.Cli)"
dotnet build -c Release --nologo -v quiet src/PrImageReport.Cli

say "step 4/4: comparing $EXAMPLE/Dockerfile (base) with $EXAMPLE/Dockerfile.single-stage (head)"
rm -f "$REPORT"
status=0
dotnet run --project src/PrImageReport.Cli -c Release --no-build -- compare \
    --base-dockerfile "$EXAMPLE/Dockerfile" \
    --head-dockerfile "$EXAMPLE/Dockerfile.single-stage" \
    --context "$EXAMPLE" \
    --output "$REPORT" || status=$?

case $status in
    0 | 1)
        [[ -s "$REPORT" ]] || fail "pr-image-report exited $status but wrote no report to $REPORT"
        say "report ($REPORT):"
        echo
        cat "$REPORT"
        echo
        say "pr-image-report exited $status ($([[ $status -eq 0 ]] && echo 'pass or warn' || echo 'fail: the expected verdict for this regression'))"
        ;;
    *)
        echo "run-example: error: pr-image-report exited $status (2 = bad input, 3 = infrastructure); see its messages above" >&2
        exit "$status"
        ;;
esac
