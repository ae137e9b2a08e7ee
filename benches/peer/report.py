#!/usr/bin/env python3
"""Summarises the timed runs of benches/peer.sh: reads WORK/engine.N.{time,err} and
WORK/duckdb.N.{time,json} and prints medians (with min and max), peak RSS and the ratios
engine ÷ DuckDB, for the whole command and for the rules + indicators alone.

    python3 benches/peer/report.py WORK
"""

import json
import re
import statistics
import sys
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;]*m")
STAGE = re.compile(r'done\s+stage="([^"]+)"\s+rows=(\d+)\s+seconds="?([0-9.]+)')


def wall_seconds(text):
    match = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    parts = [float(p) for p in match.group(1).split(":")]
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def peak_kib(text):
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))


def cpu_percent(text):
    match = re.search(r"Percent of CPU this job got: (\d+)%", text)
    return int(match.group(1)) if match else 0


def exit_status(text):
    match = re.search(r"Exit status: (\d+)", text)
    return int(match.group(1)) if match else None


def stages(text):
    found = {}
    for line in ANSI.sub("", text).splitlines():
        match = STAGE.search(line)
        if match:
            found[match.group(1)] = (float(match.group(3)), int(match.group(2)))
    return found


def spread(values):
    return f"{statistics.median(values):8.2f} s  (min {min(values):.2f}, max {max(values):.2f})"


def main():
    work = Path(sys.argv[1])
    engine, duck = [], []
    for time_file in sorted(work.glob("engine.*.time")):
        n = time_file.name.split(".")[1]
        text = time_file.read_text()
        err = (work / f"engine.{n}.err").read_text()
        if exit_status(text) != 0:
            sys.exit(f"engine run {n} failed:\n{err[-3000:]}")
        engine.append(dict(wall=wall_seconds(text), rss=peak_kib(text), cpu=cpu_percent(text), stages=stages(err)))
    for time_file in sorted(work.glob("duckdb.*.time")):
        n = time_file.name.split(".")[1]
        text = time_file.read_text()
        if exit_status(text) != 0:
            sys.exit(f"duckdb run {n} failed:\n{(work / f'duckdb.{n}.err').read_text()[-3000:]}")
        result = json.loads((work / f"duckdb.{n}.json").read_text())
        duck.append(dict(wall=wall_seconds(text), rss=peak_kib(text), cpu=cpu_percent(text), phases=result["phases"]))
    if not engine or not duck:
        sys.exit("no runs to summarise")

    stage_names = list(engine[0]["stages"])
    judged = [s for s in stage_names if s.startswith("judging")]
    # The six indicators are computed in the stage that also computes risk signals when there is
    # one (peer.sh switches the signals off by default), else inside the rating stage.
    rated = [s for s in stage_names if s.startswith("computing indicators") or s.startswith("rating")]
    engine_rules = [sum(run["stages"][s][0] for s in judged + rated) for run in engine]
    duck_rules = [run["phases"]["rules_and_indicators"] for run in duck]
    engine_wall = [run["wall"] for run in engine]
    duck_wall = [run["wall"] for run in duck]

    print(f"runs: engine {len(engine)}, duckdb {len(duck)}; figures are medians (min, max)")
    print()
    print("engine stages (from its stderr):")
    for name in stage_names:
        values = [run["stages"][name][0] for run in engine if name in run["stages"]]
        print(f"  {name:<58} {spread(values)}   rows {engine[0]['stages'][name][1]}")
    print("duckdb phases (in process):")
    for name in ["load", "rules", "indicators"]:
        print(f"  {name:<58} {spread([run['phases'][name] for run in duck])}")
    print()
    rss_e = statistics.median(run["rss"] for run in engine) / 1024
    rss_d = statistics.median(run["rss"] for run in duck) / 1024
    rows = [
        ("whole command, wall", statistics.median(engine_wall), statistics.median(duck_wall), "s"),
        ("rules + indicators", statistics.median(engine_rules), statistics.median(duck_rules), "s"),
        ("peak RSS", rss_e, rss_d, "MiB"),
    ]
    print(f"engine 'rules + indicators' = {' + '.join(repr(s) for s in judged + rated)}")
    print("  (the six indicators, then scores and tiers; reading, writing the run folder and drawing the")
    print("   report are not counted. Where the indicator stage also computes risk signals, switch them")
    print("   off (peer.sh does unless --with-signals): the SQL computes none)")
    print()
    print(f"{'':<24}{'engine':>12}{'duckdb':>12}{'engine/duckdb':>16}")
    for label, a, b, unit in rows:
        print(f"{label:<24}{a:>10.2f} {unit:<3}{b:>8.2f} {unit:<3}{a / b:>12.2f}")
    cpu_e = statistics.median(run["cpu"] for run in engine)
    cpu_d = statistics.median(run["cpu"] for run in duck)
    print(f"{'CPU (user+sys / wall)':<24}{cpu_e:>10.0f} %  {cpu_d:>8.0f} %    (below 100 × threads: idle or a busy machine)")
    summary = dict(
        engine_wall_median=statistics.median(engine_wall), duckdb_wall_median=statistics.median(duck_wall),
        engine_rules_indicators_median=statistics.median(engine_rules), duckdb_rules_indicators_median=statistics.median(duck_rules),
        engine_peak_rss_mib=rss_e, duckdb_peak_rss_mib=rss_d, engine_cpu_percent=cpu_e, duckdb_cpu_percent=cpu_d,
        engine_stages={name: statistics.median(run["stages"][name][0] for run in engine if name in run["stages"]) for name in stage_names},
        duckdb_phases={name: statistics.median(run["phases"][name] for run in duck) for name in ["load", "rules", "indicators"]},
    )
    (work / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
