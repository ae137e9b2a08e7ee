"""R10's share of the demo's money at stake (issue 16, item 5): claims during a ban against
everything the demo's three quarters put at stake. Reads the run folders `traincredit demo`
writes (default reports/demo); needs pyarrow.

    cargo run -- demo --out reports/demo && python3 benches/r10_share.py reports/demo

Two measures, per quarter and over the three quarters:
- flags: sum of `amount_at_risk` of the R10 flags over the sum of `amount_at_risk` of all flags
  (flags.parquet; a DECISION flag's reclaimed lines included);
- at stake: the R10 flags' amount (overturned ones left out) over the first screen's "at stake"
  (summary.json totals.at_risk: breach lines, each line once at its largest part).
"""

import json
import sys
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq


def percent(part, whole):
    return f"{float(part / whole):.1%}" if whole else "-"


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "reports/demo")
    quarters = sorted(p.name for p in root.iterdir() if (p / "flags.parquet").is_file())
    total = {"r10": Decimal(0), "r10_live": Decimal(0), "flags": Decimal(0), "stake": Decimal(0)}
    print("quarter | R10 flags (institutions) | R10 yuan | all flags yuan | at stake yuan | share of flags | share of at stake")
    for quarter in quarters:
        flags = pq.read_table(root / quarter / "flags.parquet", columns=["rule", "institution_id", "amount_at_risk", "overturned"]).to_pylist()
        amount = lambda f: f["amount_at_risk"] or Decimal(0)
        r10 = [f for f in flags if f["rule"] == "R10"]
        figures = {
            "r10": sum((amount(f) for f in r10), Decimal(0)),
            "r10_live": sum((amount(f) for f in r10 if not f["overturned"]), Decimal(0)),
            "flags": sum((amount(f) for f in flags), Decimal(0)),
            "stake": Decimal(json.loads((root / quarter / "summary.json").read_text())["totals"]["at_risk"]),
        }
        for key, value in figures.items():
            total[key] += value
        institutions = len({f["institution_id"] for f in r10})
        print(
            f"{quarter} | {len(r10)} ({institutions}) | {figures['r10']} | {figures['flags']} | {figures['stake']} | "
            f"{percent(figures['r10'], figures['flags'])} | {percent(figures['r10_live'], figures['stake'])}"
        )
    print(
        f"all | | {total['r10']} | {total['flags']} | {total['stake']} | "
        f"{percent(total['r10'], total['flags'])} | {percent(total['r10_live'], total['stake'])}"
    )


if __name__ == "__main__":
    main()
