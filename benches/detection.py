"""Scores the engine's ranked leads against the schemes `sample` planted (truth.json), per scheme
and intensity, with scikit-learn's IsolationForest over the same institutions' indicators and
signal values as the baseline an analyst would run. Called by benches/detection.sh, which
generates the exports and runs the engine; this file only reads run folders.

Definitions (one run = one size x seed x intensity):
- positives: institutions with a planted statistical scheme (truth.json "schemes");
- honest: institutions with nothing planted at all (no scheme, breach line, procedural finding,
  decision or sanction); institutions with planted rule breaches only are left out of every
  metric (they are neither);
- k = planted scheme institutions + 10% of the institutions (as tests/signals.rs), counted in the
  ranking of positives and honest institutions only;
- recall@k of a scheme: its institutions within the top k of the whole ranking;
- honest@k: honest institutions within the top k;
- AP of a scheme: average precision of the ranking restricted to that scheme's institutions and
  the honest ones;
- honest in top n: honest institutions within the top n, n = planted scheme institutions;
- uplift: scheme institutions whose action is `uplift` (must be 0).
The engine's ranking is leads.parquet by rank, then every other institution by risk_score,
then id. Medians are over seeds.
"""

import argparse
import json
import math
import statistics
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score

INDICATORS = ["completion_rate", "pass_rate", "employment_rate", "retention_rate", "satisfaction", "compliance"]


def planted(truth):
    schemes = defaultdict(set)
    for row in truth["schemes"]:
        schemes[row["institution_id"]].add(row["scheme"])
    other = set()
    for key in ["lines", "procedural", "decisions", "sanctions"]:
        for row in truth.get(key, []):
            other.add(row["institution_id"])
    return schemes, other


def engine_ranking(run):
    leads = pq.read_table(run / "leads.parquet").to_pylist()
    scores = pq.read_table(run / "institution_scores.parquet").to_pylist()
    order = [row["institution_id"] for row in sorted(leads, key=lambda r: r["rank"])]
    seen = set(order)
    rest = sorted((r for r in scores if r["institution_id"] not in seen), key=lambda r: (-(r["risk_score"] or 0.0), r["institution_id"]))
    return order + [r["institution_id"] for r in rest], {r["institution_id"]: r for r in scores}


def forest_ranking(run, seed):
    scores = pq.read_table(run / "institution_scores.parquet").to_pylist()
    values = pq.read_table(run / "signal_values.parquet").to_pylist()
    ids = [r["institution_id"] for r in scores]
    signals = sorted({v["signal"] for v in values})
    by = {(v["institution_id"], v["signal"]): v["value"] for v in values}
    rows = []
    for r in scores:
        row = [r.get(name) for name in INDICATORS] + [by.get((r["institution_id"], s)) for s in signals]
        rows.append([math.nan if x is None else float(x) for x in row])
    matrix = np.array(rows, dtype=float)
    # Missing values: the column's median (an analyst's usual choice); empty columns: 0.
    for j in range(matrix.shape[1]):
        column = matrix[:, j]
        known = column[~np.isnan(column)]
        column[np.isnan(column)] = np.median(known) if known.size else 0.0
    forest = IsolationForest(n_estimators=300, random_state=seed).fit(matrix)
    anomaly = -forest.score_samples(matrix)
    order = sorted(range(len(ids)), key=lambda i: (-anomaly[i], ids[i]))
    return [ids[i] for i in order]


def metrics(ranking, schemes, other, institutions):
    # Institutions with planted rule breaches only are neither positives nor honest: they are
    # left out of the ranking judged, so that they take no place in the top k.
    ranking = [i for i in ranking if i not in other or i in schemes]
    honest = [i for i in ranking if i not in schemes]
    k = len(schemes) + math.ceil(0.10 * institutions)
    top = set(ranking[:k])
    # The top k holds 10% of the institutions beyond the planted ones, so even a perfect ranking
    # has honest institutions there; the top n (n = planted) shows whether any outrank a scheme.
    top_n = set(ranking[: len(schemes)])
    out = {"k": k, "honest_at_k": sum(1 for i in top if i not in schemes), "honest_at_n": sum(1 for i in top_n if i not in schemes), "schemes": {}}
    names = sorted({s for ss in schemes.values() for s in ss})
    for name in names:
        members = {i for i, ss in schemes.items() if name in ss}
        judged = [i for i in ranking if i in members or i in set(honest)]
        labels = [1 if i in members else 0 for i in judged]
        score = [len(judged) - n for n in range(len(judged))]
        ap = average_precision_score(labels, score) if any(labels) and not all(labels) else float("nan")
        out["schemes"][name] = {"planted": len(members), "recall_at_k": len(members & top) / len(members), "ap": ap}
    judged = [i for i in ranking if i in schemes or i in set(honest)]
    labels = [1 if i in schemes else 0 for i in judged]
    out["ap_all"] = average_precision_score(labels, [len(judged) - n for n in range(len(judged))])
    out["recall_all"] = len(set(schemes) & top) / max(1, len(schemes))
    return out


THRESHOLDS = [0.01, 0.05, 0.1, 0.2, 0.3, 0.5]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=Path, required=True, help="folder of <size>-<seed>-<intensity>/ with export/ and run/")
    args = parser.parse_args()
    rows = []
    for folder in sorted(p for p in args.runs.iterdir() if (p / "run" / "leads.parquet").exists()):
        size, seed, intensity = folder.name.split("-")
        truth = json.loads((folder / "export" / "truth.json").read_text())
        schemes, other = planted(truth)
        ranking, scores = engine_ranking(folder / "run")
        uplift = sorted((i, round(scores[i]["risk_score"] or 0.0, 3)) for i in schemes if scores[i]["action"] == "uplift")
        held = sorted(i for i in schemes if scores[i]["action"] == "uplift_held")
        # Every institution the uplift concerns (tier A: `uplift` or `uplift_held`), with its risk
        # score and whether a scheme is planted there: what a hold threshold would catch and cost.
        eligible = sorted(
            (i, round(r["risk_score"] or 0.0, 6), i in schemes, i in other)
            for i, r in scores.items()
            if r["action"] in ("uplift", "uplift_held")
        )
        engine = metrics(ranking, schemes, other, int(size))
        forest = metrics(forest_ranking(folder / "run", int(seed)), schemes, other, int(size))
        rows.append({"size": int(size), "seed": int(seed), "intensity": intensity, "engine": engine, "forest": forest, "uplift": uplift, "held": held, "eligible": eligible})
        (folder / "metrics.json").write_text(json.dumps(rows[-1], indent=1, sort_keys=True, default=float))

    def med(values):
        values = [v for v in values if not (isinstance(v, float) and math.isnan(v))]
        return statistics.median(values) if values else float("nan")

    groups = defaultdict(list)
    for row in rows:
        groups[(row["size"], row["intensity"])].append(row)
    print("| size | intensity | scheme | planted/run | recall@k | AP | forest recall@k | forest AP |")
    print("|---|---|---|---|---|---|---|---|")
    summary = []
    for (size, intensity), runs in sorted(groups.items(), key=lambda kv: (kv[0][0], int(kv[0][1]) if kv[0][1].isdigit() else 999)):
        names = sorted({n for r in runs for n in r["engine"]["schemes"]})
        for name in names:
            e = [r["engine"]["schemes"][name] for r in runs if name in r["engine"]["schemes"]]
            f = [r["forest"]["schemes"][name] for r in runs if name in r["forest"]["schemes"]]
            print(
                f"| {size} | {intensity} | {name} | {med([x['planted'] for x in e]):g} | {med([x['recall_at_k'] for x in e]):.2f} | {med([x['ap'] for x in e]):.2f}"
                f" | {med([x['recall_at_k'] for x in f]):.2f} | {med([x['ap'] for x in f]):.2f} |"
            )
        summary.append((size, intensity, runs))
    print()
    print("| size | intensity | seeds | k | recall@k (all) | honest@k | honest in top n | AP (all) | forest recall@k | forest honest@k | forest honest in top n | forest AP | scheme institutions with `uplift` | with `uplift_held` |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size, intensity, runs in summary:
        print(
            f"| {size} | {intensity} | {len(runs)} | {med([r['engine']['k'] for r in runs]):g}"
            f" | {med([r['engine']['recall_all'] for r in runs]):.2f} | {med([r['engine']['honest_at_k'] for r in runs]):g} | {med([r['engine']['honest_at_n'] for r in runs]):g} | {med([r['engine']['ap_all'] for r in runs]):.2f}"
            f" | {med([r['forest']['recall_all'] for r in runs]):.2f} | {med([r['forest']['honest_at_k'] for r in runs]):g} | {med([r['forest']['honest_at_n'] for r in runs]):g} | {med([r['forest']['ap_all'] for r in runs]):.2f}"
            f" | {sum(len(r['uplift']) for r in runs)} | {sum(len(r['held']) for r in runs)} |"
        )
    print()
    print("Tier-A institutions (uplift or uplift_held) by risk score, all runs: scheme / honest institutions a hold from each risk score would catch")
    print()
    print("| intensity | tier A: schemes | tier A: honest | " + " | ".join(f"risk ≥ {t:g}" for t in THRESHOLDS) + " |")
    print("|---|---|---|" + "---|" * len(THRESHOLDS))
    for intensity in sorted({r["intensity"] for r in rows}, key=lambda x: int(x) if x.isdigit() else 999):
        eligible = [e for r in rows if r["intensity"] == intensity for e in r["eligible"]]
        schemes_a = [e for e in eligible if e[2]]
        honest_a = [e for e in eligible if not e[2] and not e[3]]
        cells = [f"{sum(1 for e in schemes_a if e[1] >= t)} / {sum(1 for e in honest_a if e[1] >= t)}" for t in THRESHOLDS]
        print(f"| {intensity} | {len(schemes_a)} | {len(honest_a)} | " + " | ".join(cells) + " |")
    uplifted = [(r["size"], r["seed"], r["intensity"], i, risk) for r in rows for i, risk in r["uplift"]]
    if uplifted:
        print("\nplanted-scheme institutions given `uplift` (size, seed, intensity, id, risk_score):")
        for row in uplifted:
            print("  ", row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
