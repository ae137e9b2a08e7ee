#!/usr/bin/env bash
# Issue 7's "rebuild after touching one source file of the crate (debug)": how long a developer
# waits between saving a file and having the binary, or the test binaries, again. Makes a real
# edit (a new function appended to one source file: rustc must type-check the crate again and
# generate code for the changed module; a comment alone would let incremental compilation skip
# code generation), times
# the rebuild, restores the file and rebuilds, RUNS times each; prints the medians.
#
#   benches/rebuild.sh [--runs N] [--file src/signals/rings.rs]
#
# Needs only cargo. The first (warm-up) build is not timed: it brings target/debug up to date.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=5
FILE=src/signals/rings.rs
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS=$2; shift 2 ;;
        --file) FILE=$2; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "rebuild.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
cd "$ROOT"
BACKUP=$(mktemp)
cp "$FILE" "$BACKUP"
trap 'cp "$BACKUP" "$FILE"; rm -f "$BACKUP"' EXIT

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N); awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f\n", e - s }'; }
probe() { printf '\n#[allow(dead_code)]\nfn rebuild_probe() -> u32 {\n    %s\n}\n' "$1" >> "$FILE"; }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "warming up: cargo build && cargo test --no-run" >&2
cargo build -q && cargo test -q --no-run >/dev/null 2>&1
build=(); tests=()
for run in $(seq "$RUNS"); do
    probe "$run"
    build+=("$(seconds cargo build)")
    cp "$BACKUP" "$FILE"
    cargo build -q
    probe "$run"
    tests+=("$(seconds cargo test --no-run)")
    cp "$BACKUP" "$FILE"
    cargo test -q --no-run >/dev/null 2>&1
    echo "run $run: cargo build ${build[-1]} s, cargo test --no-run ${tests[-1]} s" >&2
done
echo >&2
printf 'edited file: %s, %s runs, %s\n' "$FILE" "$RUNS" "$(nproc) cores"
printf 'cargo build (lib + binary), median:              %.2f s\n' "$(printf '%s\n' "${build[@]}" | median)"
printf 'cargo test --no-run (lib + integration tests), median: %.2f s\n' "$(printf '%s\n' "${tests[@]}" | median)"
