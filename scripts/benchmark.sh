#!/usr/bin/env bash
# Benchmarks pr-image-report's image analysis next to `docker save IMAGE > /dev/null` on the same images, in one
# run: wall time and peak RSS (GNU time), the median of REPS repetitions of each, printed as a Markdown table and
# written to benchmarks/results.md with the date, the machine and the engine.
#
# The images (built with the classic builder, no network; see benchmarks/):
#   bench     benchmarks/Dockerfile: python:3.11 + ~31 MB of random files + a layer deleting a third: ~600 MB
#   slim      python:3.11-slim as it is: ~220 MB
#   bigfiles  benchmarks/Dockerfile.bigfiles: python:3.11-slim + 400 MiB in four files: ~640 MB, the slim file count
# slim and bigfiles check that the tool's peak memory follows the number of files, not the layer bytes.
#
# The tool has no single-image command. `compare --base-image X --head-image X` analyses X twice (once per side);
# `compare --base-image tiny --head-image X` analyses X once, tiny being one small file on scratch. Both are
# measured; `compare tiny tiny` gives the floor (process start-up, JIT, report writing).
# An analysis is what the tool does to an image it is handed: inspect, history, and the engine's export
# (GET /images/{name}/get, the endpoint `docker save` uses) read as it streams. The peak RSS figures are of the
# client processes (the docker CLI, the tool); dockerd does the exporting in both cases and is not counted.
#
# Usage: scripts/benchmark.sh
#   REPS=N         repetitions of each measurement (default 5; the median is reported)
#   KEEP_IMAGES=1  keep the benchmark images (pr-image-report-bench:*); removed at the end otherwise
# Needs root the first time (it may start dockerd, make the base images and install Debian's `time`).
set -euo pipefail

cd "$(dirname "$0")/.."
readonly REPS=${REPS:-5}
readonly KEEP_IMAGES=${KEEP_IMAGES:-0}
readonly RESULTS=benchmarks/results.md
readonly DOCKER=/usr/bin/docker
readonly GNU_TIME=/usr/bin/time
readonly BENCH=pr-image-report-bench:image
readonly BIGFILES=pr-image-report-bench:bigfiles
readonly TINY=pr-image-report-bench:tiny
readonly SLIM=python:3.11-slim

say() { echo "benchmark: $*" >&2; }
fail() { echo "benchmark: error: $*" >&2; exit 1; }

[[ "$REPS" =~ ^[1-9][0-9]*$ ]] || fail "REPS=$REPS: expected a positive whole number of repetitions"

work=$(mktemp -d /tmp/pr-image-report-bench.XXXXXX)
cleanup() {
    if [[ "$KEEP_IMAGES" != 1 ]]; then
        "$DOCKER" image rm "$BENCH" "$BIGFILES" "$TINY" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

say "step 1/6: making sure a Docker engine answers"
scripts/start-docker.sh >&2
[[ -x "$DOCKER" ]] || fail "$DOCKER is missing; the benchmark uses Debian's docker client (package docker.io) to build and save"

say "step 2/6: making the base images (python:3.11, python:3.11-slim)"
scripts/make-base-images.sh python:3.11 python:3.11-slim >&2

if [[ ! -x "$GNU_TIME" ]]; then
    [[ $EUID -eq 0 ]] || fail "GNU time ($GNU_TIME) is missing; install Debian's 'time' package (apt-get install time) or rerun as root"
    say "GNU time missing: installing Debian's 'time' package"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y time; } >"$work/apt.log" 2>&1 \
        || { tail -n 20 "$work/apt.log" >&2; fail "apt-get could not install time"; }
fi

# A private artifacts folder: the measured binary cannot change under the benchmark, and the build does not share
# obj/ with other builds of the tree.
say "step 3/6: building the CLI (dotnet build -c Release, into $work/artifacts)"
dotnet build -c Release --nologo -v quiet --artifacts-path "$work/artifacts" src/PrImageReport.Cli >&2
readonly CLI=$work/artifacts/bin/PrImageReport.Cli/release/pr-image-report
[[ -x "$CLI" ]] || fail "the build produced no $CLI"

say "step 4/6: building the benchmark images (classic builder, no network)"
mkdir "$work/context"
echo tiny >"$work/context/marker"
build_image() {
    local tag=$1 dockerfile=$2
    DOCKER_BUILDKIT=0 "$DOCKER" build --network none --quiet --tag "$tag" --file "$dockerfile" "$work/context" >/dev/null \
        || fail "could not build $tag from $dockerfile"
}
build_image "$BENCH" benchmarks/Dockerfile
build_image "$BIGFILES" benchmarks/Dockerfile.bigfiles
build_image "$TINY" benchmarks/Dockerfile.tiny

readonly IMAGES=("$BENCH" "$SLIM" "$BIGFILES")
declare -A LABEL=(
    [$BENCH]="python:3.11 + 31 MB of files + deletions"
    [$SLIM]="python:3.11-slim"
    [$BIGFILES]="python:3.11-slim + 400 MiB in 4 files"
)

# Image facts, and a first untimed export of each image so every timed run finds the same warm page cache.
declare -A SIZE=() LAYERS=() FILES=() EXPORT=()
for image in "${IMAGES[@]}"; do
    SIZE[$image]=$("$DOCKER" image inspect --format '{{.Size}}' "$image")
    LAYERS[$image]=$("$DOCKER" image inspect --format '{{len .RootFS.Layers}}' "$image")
    FILES[$image]=$("$DOCKER" run --rm --network none --entrypoint find "$image" / -xdev -not -type d | wc -l)
    EXPORT[$image]=$("$DOCKER" save "$image" | wc -c)
done
"$DOCKER" save "$TINY" >/dev/null

mkdir "$work/runs"
# Runs a command under GNU time, its output to /dev/null, and appends "seconds peak-KiB user-CPU system-CPU" to a
# runs file (CPU time suffers less than wall time when other work shares the machine).
# GNU time writes "Command exited with non-zero status N" before its figures when the command fails, hence tail.
timed() {
    local runs=$1 allowed=$2 log=$3 status=0
    shift 3
    "$GNU_TIME" -f '%e %M %U %S' -o "$work/time" "$@" >/dev/null 2>>"$log" || status=$?
    if [[ " $allowed " != *" $status "* ]]; then
        tail -n 20 "$log" >&2
        fail "$* exited $status (expected $allowed); its messages are above"
    fi
    tail -n 1 "$work/time" >>"$runs"
}

# The tool's reports go to /dev/null too. Exit 1 is the verdict "fail" (tiny against a large image is a
# regression), not an error.
compare=("$CLI" compare --json /dev/null --output /dev/null --no-color)

say "step 5/6: measuring, $REPS repetitions, interleaved (docker save, tool with 1 analysis, tool with 2)"
log=$work/tool.log
"${compare[@]}" --base-image "$TINY" --head-image "$TINY" 2>>"$log" || fail "the warm-up run of the tool failed: $(tail -n 3 "$log")"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((rep = 1; rep <= REPS; rep++)); do
    for image in "${IMAGES[@]}"; do
        say "  repetition $rep/$REPS: $image"
        key=${image//[:\/]/_}
        timed "$work/runs/$key.save" 0 "$work/save.log" "$DOCKER" save "$image"
        timed "$work/runs/$key.one" "0 1" "$log" "${compare[@]}" --base-image "$TINY" --head-image "$image"
        timed "$work/runs/$key.two" "0 1" "$log" "${compare[@]}" --base-image "$image" --head-image "$image"
    done
    timed "$work/runs/floor" "0 1" "$log" "${compare[@]}" --base-image "$TINY" --head-image "$TINY"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

say "step 6/6: writing $RESULTS"
# median FILE FIELD: the median over a runs file's lines of one field, or of user + system CPU for "cpu".
median() {
    awk -v field="$2" '{ print (field == "cpu" ? $3 + $4 : $field) }' "$1" | sort -g \
        | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
seconds() { LC_ALL=C awk -v s="$(median "$1" "${2:-1}")" 'BEGIN { printf "%.1f s", s }'; }
mebibytes() { LC_ALL=C awk -v k="$(median "$1" 2)" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
megabytes() { LC_ALL=C awk -v b="$1" 'BEGIN { printf "%.0f MB", b / 1e6 }'; }
ratio() { LC_ALL=C awk -v a="$(median "$1" 1)" -v b="$(median "$2" 1)" 'BEGIN { printf "%.1f×", a / b }'; }
all_runs() { awk '{ printf "%s%s s / %.0f MiB / %.1f s CPU", (NR > 1 ? ", " : ""), $1, $2 / 1024, $3 + $4 } END { print "" }' "$1"; }

# row TITLE FORMAT SUFFIX [FIELD]: one table row, a column per image, the cell being FORMAT applied to the image's
# runs file with that suffix (FORMAT "size", "layers" and "files" read the image facts instead).
row() {
    local title=$1 format=$2 suffix=$3 field=${4:-} image key line
    line="| $title |"
    for image in "${IMAGES[@]}"; do
        key=$work/runs/${image//[:\/]/_}
        case $format in
            size) line+=" $(megabytes "${SIZE[$image]}") |" ;;
            layers) line+=" ${LAYERS[$image]} |" ;;
            files) line+=" ${FILES[$image]} |" ;;
            ratio) line+=" $(ratio "$key.one" "$key.save") |" ;;
            *) line+=" $($format "$key.$suffix" "$field") |" ;;
        esac
    done
    echo "$line"
}

table=$work/table.md
{
    line="| |"
    rule="| --- |"
    for image in "${IMAGES[@]}"; do
        line+=" ${LABEL[$image]} |"
        rule+=" ---: |"
    done
    echo "$line"
    echo "$rule"
    row "image size" size ""
    row "layers" layers ""
    row "files" files ""
    row "\`docker save IMAGE > /dev/null\`: wall time" seconds save
    row "\`docker save\`: peak RSS" mebibytes save
    row "tool, 1 analysis: wall time" seconds one
    row "tool, 1 analysis: CPU time" seconds one cpu
    row "tool, 1 analysis: peak RSS" mebibytes one
    row "tool, 2 analyses (\`compare X X\`): wall time" seconds two
    row "tool, 2 analyses: peak RSS" mebibytes two
    row "1 analysis ÷ \`docker save\` (wall time)" ratio ""
    echo
    echo "Floor (\`compare\` of the one-file image with itself: start-up, JIT, report): $(seconds "$work/runs/floor") wall, $(seconds "$work/runs/floor" cpu) CPU, $(mebibytes "$work/runs/floor") peak RSS."
} >"$table"

memory_gib=$(awk '/^MemTotal:/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
{
    echo "# Benchmark: image analysis next to \`docker save\`"
    echo
    echo "Made by \`scripts/benchmark.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'); median of $REPS repetitions, interleaved."
    echo
    echo "- Machine: $(nproc) CPUs (${cpu:-unknown model}), $memory_gib GiB memory, Linux $(uname -r); load average $load_before before, $load_after after"
    echo "- Engine: Docker $("$DOCKER" version --format '{{.Server.Version}} (API {{.Server.APIVersion}})'), storage driver $("$DOCKER" info --format '{{.Driver}}'); .NET SDK $(dotnet --version)"
    echo "- Times are wall-clock, peak RSS is the client process's maximum resident set (GNU time \`%e %M\`): the docker CLI"
    echo "  for \`docker save IMAGE > /dev/null\`, the tool for \`pr-image-report compare --base-image A --head-image B"
    echo "  --json /dev/null --output /dev/null\`. The engine produces the export in both cases and is not counted."
    echo "  CPU time (user + system, GNU time \`%U %S\`) is the tool's own work and suffers less than wall time when other"
    echo "  work shares the machine."
    echo "- \"1 analysis\" is \`compare --base-image tiny --head-image IMAGE\` (tiny: one small file on scratch), \"2 analyses\""
    echo "  is \`compare --base-image IMAGE --head-image IMAGE\` (the tool analyses each side). Both include the tool's start-up."
    echo "- size: \`docker image inspect\` .Size; files: non-directory entries in the image's filesystem."
    echo
    cat "$table"
    echo
    echo "All runs (wall time / peak RSS / CPU time, user + system, of the client process):"
    echo
    for image in "${IMAGES[@]}"; do
        key=${image//[:\/]/_}
        echo "- ${LABEL[$image]} (\`$image\`, export $(megabytes "${EXPORT[$image]}")):"
        echo "  \`docker save\` $(all_runs "$work/runs/$key.save");"
        echo "  1 analysis $(all_runs "$work/runs/$key.one");"
        echo "  2 analyses $(all_runs "$work/runs/$key.two")"
    done
    echo "- floor: $(all_runs "$work/runs/floor")"
} >"$RESULTS"

cat "$table"
say "written to $RESULTS$([[ "$KEEP_IMAGES" == 1 ]] && echo "; kept $BENCH, $BIGFILES and $TINY" || echo "; removing the benchmark images")"
