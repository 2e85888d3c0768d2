#!/usr/bin/env bash
# The project's test run (also what CI runs): starts Docker, makes the base images the
# integration tests build on, installs the Node tools for the GitHub API checks, tests
# the bundled example API, then runs every .NET test project. Exits with the first
# failing step's code.
set -euo pipefail

cd "$(dirname "$0")/.."

say() { echo "test: $*"; }

say "step 1/5: making sure a Docker engine answers"
scripts/start-docker.sh

say "step 2/5: making the base images"
scripts/make-base-images.sh

if [[ -f scripts/install-node-tools.sh ]]; then
    say "step 3/5: installing Node tools (scripts/install-node-tools.sh)"
    bash scripts/install-node-tools.sh
else
    say "step 3/5: no scripts/install-node-tools.sh, skipped"
fi

say "step 4/5: unit tests of the example API (examples/school-api/tests)"
PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s examples/school-api/tests

say "step 5/5: dotnet test PrImageReport.sln -c Release"
log=$(mktemp /tmp/dotnet-test.XXXXXX.log)
status=0
dotnet test PrImageReport.sln -c Release --logger "console;verbosity=normal" 2>&1 | tee "$log" || status=${PIPESTATUS[0]}

# One closing line over all test projects, from VSTest's per-project summary blocks:
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
