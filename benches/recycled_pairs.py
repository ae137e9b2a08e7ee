#!/usr/bin/env python3
"""The robust z of `recycled_trainees` at the planted recycling institutions, one-sided (the
seventh session's definition: a person counts only from the end whose class ends in the window)
or symmetric (either class ends in the window), recomputed from an export in Python so that both
definitions are measured on the same files (peers: all institutions; window 2025Q4-2026Q3, the
benchmark's 2026Q3).

    benches/detection.sh --sizes 120 --intensities 40 --keep
    python3 benches/recycled_pairs.py [--one-sided] target/detection/runs/120-*-40

Prints, per run folder, the planted institutions' z and the top eight institutions by z
(True: planted).
"""
import collections
import datetime
import json
import statistics
import sys

import pyarrow.parquet as pq

WITHIN_DAYS, MIN_ROWS, MIN_SCALE = 365, 20, 0.02
LO, HI = datetime.date(2025, 10, 1), datetime.date(2026, 9, 30)


def values(export, symmetric):
    classes = {r["class_id"]: r for r in pq.read_table(f"{export}/classes.parquet").to_pylist()}
    enrollments = pq.read_table(f"{export}/enrollments.parquet", columns=["class_id", "person_id"]).to_pylist()
    by_person = collections.defaultdict(list)
    for e in enrollments:
        c = classes.get(e["class_id"])
        if c:
            by_person[e["person_id"]].append((c["institution_id"], c["start_date"], c["end_date"]))
    in_window = lambda e: LO <= e[2] <= HI
    own = collections.defaultdict(set)
    shared = collections.defaultdict(lambda: collections.defaultdict(set))
    for person, enrolled in by_person.items():
        for here in enrolled:
            if in_window(here):
                own[here[0]].add(person)
            for there in enrolled:
                close = there[0] != here[0] and abs((there[1] - here[1]).days) <= WITHIN_DAYS
                if close and (in_window(here) or (symmetric and in_window(there))):
                    shared[here[0]][there[0]].add(person)
    found = {}
    for institution, persons in own.items():
        if len(persons) < MIN_ROWS:
            continue
        cohort = set(persons)
        if symmetric:
            for s in shared[institution].values():
                cohort |= s
        largest = max((len(s) for s in shared[institution].values()), default=0)
        found[institution] = largest / len(cohort)
    return found


def main():
    args = sys.argv[1:]
    symmetric = "--one-sided" not in args
    for run in [a for a in args if not a.startswith("--")]:
        truth = json.load(open(f"{run}/export/truth.json"))
        planted = sorted({s["institution_id"] for s in truth["schemes"] if s["scheme"] == "recycled_trainees"})
        found = values(f"{run}/export", symmetric)
        median = statistics.median(found.values())
        scale = max(1.4826 * statistics.median(abs(v - median) for v in found.values()), MIN_SCALE)
        z = {i: (v - median) / scale for i, v in found.items()}
        top = sorted(z, key=lambda i: (-z[i], i))[:8]
        print(run, "planted z", [round(z[i], 1) if i in z else None for i in planted],
              "top", [(round(z[i], 1), i in planted) for i in top])


if __name__ == "__main__":
    main()
