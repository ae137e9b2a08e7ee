#!/usr/bin/env bash
# The engine against its peer: `traincredit evaluate` and the same rule breaches, procedural
# findings, money and indicators written as DuckDB SQL (benches/peer/rules.sql), on the same
# Parquet export with the same thread count. Prints both medians, both peak RSS and the ratios
# engine ÷ DuckDB, then the two tools' breach counts per rule and money totals side by side.
#
#   benches/peer.sh [--size medium|province] [--threads N] [--export DIR] [--runs N]
#                   [--quarter 2026Q3] [--rebuild] [--keep] [--with-signals]
#
#   --size     medium (default): `sample --institutions 600 --seed 1`;
#              province: `sample --scale province --seed 1` when `sample --help` lists it.
#   --export   an existing export folder to use instead (never modified).
#   --threads  both tools' worker threads (default: nproc).
#   --runs     timed runs of each tool (default 3).
#   --rebuild  run `cargo build --release` even when target/release/traincredit exists.
#   --keep     keep every engine run folder (default: deleted; logs and timings always stay).
#   --with-signals  run the engine with the stock pipelines/. By default it runs with a copy whose
#              risk signals are all switched off (signals.toml `enabled = false`), because the SQL
#              computes none: the engine then does what the SQL does, plus tiers and its report.
#
# Needs: cargo, python3 (duckdb 2.0.1 is installed into a venv when missing), GNU time
# (/usr/bin/time; installed with apt-get when missing and run as root). PEER_BIN=PATH uses another
# traincredit binary (e.g. a debug one) and never builds. Exports are generated once
# under target/peer/ and reused; work files go to target/peer/work-<size|export>/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZE=medium
THREADS=$(nproc)
EXPORT=""
RUNS=3
QUARTER=2026Q3
REBUILD=0
KEEP=0
SIGNALS=0
DUCKDB_VERSION=2.0.1

while [ $# -gt 0 ]; do
    case "$1" in
        --size) SIZE=$2; shift 2 ;;
        --threads) THREADS=$2; shift 2 ;;
        --export) EXPORT=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --quarter) QUARTER=$2; shift 2 ;;
        --rebuild) REBUILD=1; shift ;;
        --keep) KEEP=1; shift ;;
        --with-signals) SIGNALS=1; shift ;;
        -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "peer.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
case "$SIZE" in medium|province) ;; *) echo "peer.sh: --size is medium or province" >&2; exit 2 ;; esac

say() { printf '\n== %s\n' "$*" >&2; }

# --- tools -----------------------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
    say "installing GNU time (Debian package 'time')"
    if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq time >/dev/null
    else sudo apt-get update -qq && sudo apt-get install -y -qq time >/dev/null; fi
fi

PY=python3
if ! "$PY" -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$DUCKDB_VERSION')" 2>/dev/null; then
    VENV=${PEER_VENV:-$ROOT/target/peer/venv}
    if ! "$VENV/bin/python" -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$DUCKDB_VERSION')" 2>/dev/null; then
        say "installing duckdb==$DUCKDB_VERSION into $VENV"
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install --quiet "duckdb==$DUCKDB_VERSION"
    fi
    PY=$VENV/bin/python
fi

BIN=${PEER_BIN:-$ROOT/target/release/traincredit}
if [ -z "${PEER_BIN:-}" ] && { [ ! -x "$BIN" ] || [ "$REBUILD" -eq 1 ]; }; then
    say "cargo build --release (a first build takes 20-30 minutes on 2 cores)"
    (cd "$ROOT" && cargo build --release --bin traincredit)
fi

# --- the export ------------------------------------------------------------------------------
LABEL=$SIZE
if [ -n "$EXPORT" ]; then LABEL=export; fi
if [ -z "$EXPORT" ]; then
    EXPORT=$ROOT/target/peer/export-$SIZE
    if [ "$SIZE" = medium ]; then
        GENERATE=(sample --out "$EXPORT" --institutions 600 --seed 1)
    elif "$BIN" sample --help 2>/dev/null | grep -q -- '--scale'; then
        GENERATE=(sample --out "$EXPORT" --scale province --seed 1)
    else
        # ~1M enrollments, as `--scale province` (3,300 institutions).
        GENERATE=(sample --out "$EXPORT" --institutions "${PEER_PROVINCE_INSTITUTIONS:-3300}" --seed 1)
        echo "peer.sh: 'sample' has no --scale; using --institutions ${PEER_PROVINCE_INSTITUTIONS:-3300} (set PEER_PROVINCE_INSTITUTIONS)" >&2
    fi
    STAMP="$EXPORT/.peer-generated-by"
    if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "${GENERATE[*]}" ]; then
        if ! "$BIN" sample --help >/dev/null 2>&1; then
            echo "peer.sh: $BIN has no 'sample' command; pass --export DIR" >&2
            exit 1
        fi
        say "generating the $SIZE export: traincredit ${GENERATE[*]}"
        rm -rf "$EXPORT"
        /usr/bin/time -v -o "$ROOT/target/peer/generate-$SIZE.time" "$BIN" "${GENERATE[@]}" >&2
        echo "${GENERATE[*]}" > "$STAMP"
        grep -E "Elapsed|Maximum resident" "$ROOT/target/peer/generate-$SIZE.time" >&2
    else
        say "reusing $EXPORT (generated by: traincredit ${GENERATE[*]})"
    fi
fi
EXPORT=$(cd "$EXPORT" && pwd)
WORK=$ROOT/target/peer/work-$LABEL
rm -rf "$WORK"
mkdir -p "$WORK"

say "export $EXPORT: $(du -sh "$EXPORT" | cut -f1), $(find "$EXPORT" -name '*.parquet' | wc -l) Parquet files"
"$PY" - "$EXPORT" <<'EOF' >&2
import duckdb, sys
from pathlib import Path
root = Path(sys.argv[1])
for name in ["institutions", "classes", "enrollments", "attendance", "assessments", "employment", "claims", "claim_lines", "surveys"]:
    single, folder = root / f"{name}.parquet", root / name
    source = f"'{single}'" if single.is_file() else f"read_parquet('{folder}/**/*.parquet', hive_partitioning = true)" if folder.is_dir() else None
    if source:
        print(f"  {name:<14}{duckdb.sql(f'SELECT count(*) FROM {source}').fetchall()[0][0]:>12,} rows")
EOF

# --- timed runs: engine and DuckDB in turn ---------------------------------------------------
ENGINE=("$BIN" --threads "$THREADS" evaluate --data "$EXPORT" --quarter "$QUARTER" --demo-key)
if [ "$SIGNALS" -eq 0 ] && [ -f "$ROOT/pipelines/signals.toml" ]; then
    POLICY=$WORK/policy-without-signals
    cp -r "$ROOT/pipelines" "$POLICY"
    sed -i 's/^enabled = true/enabled = false/' "$POLICY/signals.toml"
    ENGINE+=(--policy "$POLICY")
fi
PEER=("$PY" "$ROOT/benches/peer/peer.py" --export "$EXPORT" --quarter "$QUARTER" --threads "$THREADS")
say "engine: ${ENGINE[*]} --out RUN"
say "duckdb: ${PEER[*]}"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for run in $(seq 1 "$RUNS"); do
    say "run $run of $RUNS"
    /usr/bin/time -v -o "$WORK/engine.$run.time" "${ENGINE[@]}" --out "$WORK/run-$run" >/dev/null 2>"$WORK/engine.$run.err" || true
    grep -E "Elapsed" "$WORK/engine.$run.time" | sed 's/^\s*/  engine /' >&2
    /usr/bin/time -v -o "$WORK/duckdb.$run.time" "${PEER[@]}" --json "$WORK/duckdb.$run.json" >/dev/null 2>"$WORK/duckdb.$run.err" || true
    grep -E "Elapsed" "$WORK/duckdb.$run.time" | sed 's/^\s*/  duckdb /' >&2
    if [ "$run" -lt "$RUNS" ] && [ "$KEEP" -eq 0 ]; then rm -rf "$WORK/run-$run"; fi
done

echo
echo "peer benchmark: $([ "$LABEL" = export ] && echo "given export" || echo "size $SIZE"), quarter $QUARTER, threads $THREADS, $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'); load average before/after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
echo "versions: $("$BIN" --version) (work tree at $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo "?")), duckdb $("$PY" -c 'import duckdb; print(duckdb.__version__)'), $(rustc --version 2>/dev/null || echo 'rustc ?')"
[ -n "${PEER_BIN:-}" ] && echo "binary: PEER_BIN=$PEER_BIN ($(date -u -r "$PEER_BIN" '+built %Y-%m-%d %H:%M UTC'))"
echo "export: $EXPORT"
echo "engine policy: $([ "$SIGNALS" -eq 1 ] && echo "pipelines/ as it is (risk signals on)" || echo "pipelines/ with every risk signal switched off")"
"$PY" "$ROOT/benches/peer/report.py" "$WORK"

# --- did they do the same work? (one more DuckDB run, untimed, against the last engine run) ---
echo
echo "breach lines per rule, procedural findings (non-overturned), money and indicators:"
"$PY" "$ROOT/benches/peer/peer.py" --export "$EXPORT" --quarter "$QUARTER" --threads "$THREADS" \
    --compare "$WORK/run-$RUNS" | tail -n +2
if [ "$KEEP" -eq 0 ]; then rm -rf "$WORK/run-$RUNS"; fi
