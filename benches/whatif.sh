#!/usr/bin/env bash
# `whatif` against one `evaluate` of the same quarter on the same export: the what-if reads the
# export once and judges it once per policy, so with one reform it should take well under two
# evaluations (target: ≤ 1.5 ×). Runs the two commands in turn (evaluate, whatif, evaluate, …)
# and prints each run's wall seconds and peak RSS, the medians and the ratio of the medians.
#
#   benches/whatif.sh [--size small|medium|province] [--runs N] [--quarter 2026Q3] [--export DIR]
#
# The reform is a stricter tier A (tiers.toml [cutoffs] a = 90.0) and a larger uplift, a partial
# policy folder written under the work folder. Needs a release build (built when missing) and GNU
# time (/usr/bin/time, installed with apt-get when missing). BIN=PATH uses another binary.
# Exports are generated once under target/whatif-bench/ and reused.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZE=province
RUNS=3
QUARTER=2026Q3
EXPORT=""
while [ $# -gt 0 ]; do
    case "$1" in
        --size) SIZE=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --quarter) QUARTER=$2; shift 2 ;;
        --export) EXPORT=$2; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "whatif.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
case "$SIZE" in small|medium|province) ;; *) echo "whatif.sh: --size is small, medium or province" >&2; exit 2 ;; esac

if [ ! -x /usr/bin/time ]; then
    apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
BIN=${BIN:-$ROOT/target/release/traincredit}
if [ ! -x "$BIN" ]; then
    (cd "$ROOT" && cargo build --release --locked)
fi
WORK=$ROOT/target/whatif-bench
mkdir -p "$WORK"
if [ -z "$EXPORT" ]; then
    EXPORT=$WORK/export-$SIZE
    if [ ! -f "$EXPORT/institutions.parquet" ]; then
        "$BIN" sample --scale "$SIZE" --seed 1 --out "$EXPORT" >/dev/null
    fi
fi
REFORM=$WORK/reform
mkdir -p "$REFORM"
printf '[cutoffs]\na = 90.0\n\n[actions]\nsubsidy_uplift_pct = 15.0\n' > "$REFORM/tiers.toml"

# One timed run: prints "wall_seconds peak_mib".
timed() {
    local log=$WORK/time.log
    /usr/bin/time -v "$@" >/dev/null 2>"$log"
    local wall peak
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$log")
    peak=$(awk -F': ' '/Maximum resident set size/ {printf "%d", $2/1024}' "$log")
    echo "$wall $peak"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

: > "$WORK/evaluate.txt"; : > "$WORK/whatif.txt"
for run in $(seq "$RUNS"); do
    rm -rf "$WORK/run" "$WORK/wi"
    timed "$BIN" evaluate --data "$EXPORT" --quarter "$QUARTER" --out "$WORK/run" --demo-key | tee -a "$WORK/evaluate.txt" | sed "s/^/evaluate run $run: seconds, MiB: /"
    timed "$BIN" whatif --data "$EXPORT" --quarter "$QUARTER" --policy "$REFORM" --out "$WORK/wi" --demo-key | tee -a "$WORK/whatif.txt" | sed "s/^/whatif   run $run: seconds, MiB: /"
done
E=$(cut -d' ' -f1 "$WORK/evaluate.txt" | median); W=$(cut -d' ' -f1 "$WORK/whatif.txt" | median)
EM=$(cut -d' ' -f2 "$WORK/evaluate.txt" | median); WM=$(cut -d' ' -f2 "$WORK/whatif.txt" | median)
echo "size $SIZE, $RUNS runs each, $(nproc) cores"
echo "evaluate median ${E} s, peak ${EM} MiB"
echo "whatif   median ${W} s, peak ${WM} MiB (baseline + 1 reform)"
awk -v w="$W" -v e="$E" 'BEGIN {printf "whatif ÷ evaluate = %.2f\n", w / e}'
