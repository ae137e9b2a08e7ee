#!/usr/bin/env bash
# The detection benchmark (issue 14): exports from `sample` with every statistical scheme planted
# at graded intensity, the engine's ranked leads scored against truth.json per scheme x intensity
# (recall in the top k, honest institutions in the top k, average precision; medians over seeds)
# beside scikit-learn's IsolationForest over the same indicators and signal values. Small enough
# for a shared 2-core machine: 60 and 120 institutions x 5 seeds x 3 intensities, about 7 s a run
# with the debug binary.
#
#   benches/detection.sh [--sizes "60 120"] [--seeds "1 2 3 4 5"] [--intensities "5 15 40"]
#                        [--quarter 2026Q3] [--policy DIR] [--keep]
#
#   --intensities  percent of a scheme institution's classes, sign-ins, jobs or exams involved
#              (`sample --intensity`); "catalogue" runs the sample's strong default schemes.
#   --policy   evaluate with another pipelines/ folder (default: the engine's ./pipelines).
#   --keep     keep the exports and run folders under target/detection/ (default: only the
#              metrics.json of each run stays).
#
# Needs: python3 with pyarrow and scikit-learn (installed into target/detection/venv with pip
# when missing, as peer.sh installs duckdb). DETECTION_BIN=PATH uses another traincredit binary;
# by default target/debug/traincredit, built with `cargo build` when missing (never --release).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZES="60 120"
SEEDS="1 2 3 4 5"
INTENSITIES="5 15 40"
QUARTER=2026Q3
KEEP=0
POLICY=()
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) SIZES=$2; shift 2 ;;
        --seeds) SEEDS=$2; shift 2 ;;
        --intensities) INTENSITIES=$2; shift 2 ;;
        --quarter) QUARTER=$2; shift 2 ;;
        --keep) KEEP=1; shift ;;
        --policy) POLICY=(--policy "$2"); shift 2 ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "detection.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

say() { printf '== %s\n' "$*" >&2; }

PY=python3
if ! "$PY" -c "import pyarrow, sklearn" 2>/dev/null; then
    VENV=${DETECTION_VENV:-$ROOT/target/detection/venv}
    if ! "$VENV/bin/python" -c "import pyarrow, sklearn" 2>/dev/null; then
        say "installing pyarrow and scikit-learn into $VENV"
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install --quiet pyarrow scikit-learn
    fi
    PY=$VENV/bin/python
fi

BIN=${DETECTION_BIN:-$ROOT/target/debug/traincredit}
if [ -z "${DETECTION_BIN:-}" ] && [ ! -x "$BIN" ]; then
    say "cargo build (debug)"
    (cd "$ROOT" && cargo build --bin traincredit)
fi

WORK=$ROOT/target/detection/runs
rm -rf "$WORK"
mkdir -p "$WORK"
for size in $SIZES; do
    for seed in $SEEDS; do
        for intensity in $INTENSITIES; do
            folder=$WORK/$size-$seed-$intensity
            mkdir -p "$folder"
            flag=()
            if [ "$intensity" != catalogue ]; then flag=(--intensity "$intensity"); fi
            say "size $size, seed $seed, intensity $intensity"
            "$BIN" sample --out "$folder/export" --institutions "$size" --seed "$seed" "${flag[@]}" >/dev/null
            "$BIN" evaluate --data "$folder/export" --quarter "$QUARTER" --out "$folder/run" --demo-key "${POLICY[@]}" >/dev/null 2>"$folder/evaluate.log"
        done
    done
done
"$PY" "$ROOT/benches/detection.py" --runs "$WORK"
if [ "$KEEP" -eq 0 ]; then
    find "$WORK" -mindepth 2 -maxdepth 2 \( -name export -o -name run \) -exec rm -rf {} +
fi
