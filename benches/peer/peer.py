#!/usr/bin/env python3
"""The peer of `traincredit evaluate`: the same rule breaches, procedural findings, money and
indicators written as DuckDB SQL over the same Parquet export (benches/peer/rules.sql).

    python3 benches/peer/peer.py --export DIR --quarter 2026Q3 --threads 2 [--json OUT]
        [--compare RUN_DIR]

Phases, each timed on its own and printed as one JSON line on stdout (`"phases"`):
  load        read every table, trim text, lower-case enums, money to fen, normalise person ids,
              derive the ID form / birth date / sex, and keep only valid rows (the contract's
              rejects: missing required values, unknown enums, impossible values, duplicated keys,
              dangling foreign keys), as in-memory tables;
  rules       claim-line facts, R01–R12, P01–P04, parts at stake, recoveries and holds;
  indicators  the six indicators per institution.
`--compare RUN_DIR` prints, side by side with an engine run folder, the breach lines per rule,
the procedural findings, the money totals and how many institutions' indicators differ.

Differences from the engine that are deliberate, so that only the work is compared:
  - person ids are not pseudonymised (no HMAC): the normalised raw id is the join key;
  - phones, accounts, legal representatives (hashed and never used by a rule) are not read;
  - no `--previous` run: no uplift (R11) and no previous tiers, like the bench's engine runs;
  - no output files are written; evidence text is short;
  - R09 pairs the n-th counting appraisal line with the n-th pass (see rules.sql).
"""

import argparse
import datetime as dt
import json
import os
import re
import string
import sys
import time
import tomllib
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent

# The data contract (src/ingest/contract.rs), only what validation and the rules read.
# (name, kind, required, allowed); kinds: text enum int bool date ts money real person
INSTITUTION_KINDS = ["vocational_college", "technical_school", "private_training", "enterprise_center", "public_base"]
GROUPS = ["unemployed", "rural_migrant", "veteran", "poverty_registered", "low_income", "school_leaver",
          "graduate", "student", "employee", "disabled", "nonlocal_domestic", "other"]
TABLES = {
    "institutions": dict(required=True, pk=["institution_id"], fks=[], cols=[
        ("institution_id", "text", True, None), ("kind", "enum", True, INSTITUTION_KINDS),
        ("district", "text", True, None), ("licensed_on", "date", True, None),
        ("status", "enum", True, ["active", "suspended", "revoked"]), ("capacity", "int", False, None)]),
    "classes": dict(required=True, pk=["class_id"], fks=[("institution_id", "institutions")], cols=[
        ("class_id", "text", True, None), ("institution_id", "text", True, None),
        ("occupation_code", "text", True, None), ("level", "int", True, None),
        ("category", "enum", True, ["reserve", "employment", "upgrading", "reemployment", "entrepreneurship", "apprenticeship"]),
        ("mode", "enum", True, ["offline", "online", "blended"]), ("start_date", "date", True, None),
        ("end_date", "date", True, None), ("planned_hours", "int", True, None), ("capacity", "int", True, None),
        ("subsidy_per_head", "money", True, None), ("key_industry", "bool", True, None)]),
    "enrollments": dict(required=True, pk=["enrollment_id"], fks=[("class_id", "classes")], cols=[
        ("enrollment_id", "text", True, None), ("class_id", "text", True, None), ("person_id", "person", True, None),
        ("group", "enum", True, GROUPS), ("enrolled_on", "date", True, None), ("completed", "bool", True, None)]),
    "attendance": dict(required=True, pk=["enrollment_id", "check_in"], fks=[("enrollment_id", "enrollments")], cols=[
        ("enrollment_id", "text", True, None), ("check_in", "ts", True, None), ("check_out", "ts", False, None),
        ("method", "enum", True, ["face", "fingerprint", "card", "manual", "online"])]),
    "assessments": dict(required=True, pk=["assessment_id"], fks=[("enrollment_id", "enrollments")], cols=[
        ("assessment_id", "text", True, None), ("person_id", "person", True, None), ("enrollment_id", "text", False, None),
        ("occupation_code", "text", True, None), ("level", "int", True, None), ("exam_date", "date", True, None),
        ("assessor_id", "text", True, None), ("score", "real", False, None), ("passed", "bool", True, None),
        ("certificate_no", "text", False, None), ("fee", "money", True, None)]),
    "employment": dict(required=True, pk=["person_id", "employer_id", "month"], fks=[], cols=[
        ("person_id", "person", True, None), ("employer_id", "text", True, None), ("month", "date", True, None),
        ("contribution", "money", False, None)]),
    "claims": dict(required=True, pk=["claim_id"], fks=[("institution_id", "institutions"), ("class_id", "classes")], cols=[
        ("claim_id", "text", True, None), ("institution_id", "text", True, None), ("class_id", "text", False, None),
        ("claim_type", "enum", True, ["training", "appraisal", "living_allowance", "project"]),
        ("submitted_on", "date", True, None), ("headcount", "int", True, None), ("amount", "money", True, None),
        ("paid_amount", "money", False, None), ("payment_mode", "enum", True, ["reimburse", "credit"]),
        ("status", "enum", True, ["paid", "pending", "rejected"])]),
    "claim_lines": dict(required=True, pk=["claim_id", "enrollment_id"], fks=[("claim_id", "claims")], cols=[
        ("claim_id", "text", True, None), ("enrollment_id", "text", True, None), ("amount", "money", True, None),
        ("days", "int", False, None)]),
    "surveys": dict(required=False, pk=["enrollment_id"], fks=[("enrollment_id", "enrollments")], cols=[
        ("enrollment_id", "text", True, None), ("answered_on", "date", True, None), ("score", "int", True, None)]),
    "case_decisions": dict(required=False, pk=["institution_id", "decided_on"], fks=[("institution_id", "institutions")], cols=[
        ("institution_id", "text", True, None), ("decided_on", "date", True, None),
        ("finding", "enum", True, ["fraud_confirmed", "violation", "cleared"]), ("amount_defrauded", "money", False, None)]),
    "sanctions": dict(required=False, pk=["institution_id", "kind", "from_quarter"], fks=[("institution_id", "institutions")], cols=[
        ("institution_id", "text", True, None), ("kind", "enum", True, ["ban", "disqualified"]),
        ("from_quarter", "text", True, None), ("until_quarter", "text", False, None)]),
    "appeals": dict(required=False, pk=["rule", "entity_id"], fks=[], cols=[
        ("rule", "text", True, None), ("entity_id", "text", True, None), ("decided_on", "date", True, None),
        ("outcome", "enum", True, ["overturned", "upheld"])]),
}

# Impossible values per table (src/ingest/validate.rs), over the loaded column names.
IMPOSSIBLE = {
    "institutions": ["capacity < 0"],
    "classes": ["level < 0 OR level > 5", "end_date < start_date", "planned_hours <= 0", "capacity < 0", "subsidy_per_head_fen < 0"],
    "attendance": ["check_out < check_in"],
    "assessments": ["level < 0 OR level > 5", "score < 0 OR score > 100 OR isnan(score)", "fee_fen < 0"],
    "employment": ["contribution_fen < 0"],
    "claims": ["headcount < 0", "amount_fen < 0", "paid_amount_fen < 0"],
    "claim_lines": ["amount_fen < 0", "days < 0"],
    "surveys": ["score < 1 OR score > 5"],
    "case_decisions": ["amount_defrauded_fen < 0"],
    "sanctions": ["NOT regexp_full_match(from_quarter, '[0-9]{4}Q[1-4]')",
                  "until_quarter IS NOT NULL AND NOT regexp_full_match(until_quarter, '[0-9]{4}Q[1-4]')",
                  "until_quarter < from_quarter"],
}

MACROS = """
CREATE OR REPLACE MACRO norm_pid(p) AS
    CASE WHEN length(p) = 64 AND regexp_full_match(lower(p), '[0-9a-f]{64}') THEN lower(p)
         WHEN length(p) = 18 AND suffix(p, 'x') THEN left(p, 17) || 'X'
         ELSE p END;
CREATE OR REPLACE MACRO pid_digit(p, i) AS ascii(substr(p, i, 1)) - 48;
CREATE OR REPLACE MACRO pid_check(p) AS substr('10X98765432', ((
      pid_digit(p, 1) * 7 + pid_digit(p, 2) * 9 + pid_digit(p, 3) * 10 + pid_digit(p, 4) * 5
    + pid_digit(p, 5) * 8 + pid_digit(p, 6) * 4 + pid_digit(p, 7) * 2 + pid_digit(p, 8) * 1
    + pid_digit(p, 9) * 6 + pid_digit(p, 10) * 3 + pid_digit(p, 11) * 7 + pid_digit(p, 12) * 9
    + pid_digit(p, 13) * 10 + pid_digit(p, 14) * 5 + pid_digit(p, 15) * 8 + pid_digit(p, 16) * 4
    + pid_digit(p, 17) * 2) % 11) + 1, 1);
CREATE OR REPLACE MACRO pid_raw_shape(p) AS length(p) = 18 AND regexp_full_match(p, '[0-9]{17}[0-9X]');
CREATE OR REPLACE MACRO pid_birth(p) AS
    CASE WHEN pid_raw_shape(p) THEN CAST(try_strptime(substr(p, 7, 8), '%Y%m%d') AS DATE) END;
CREATE OR REPLACE MACRO pid_form(p) AS
    CASE WHEN length(p) = 64 AND regexp_full_match(p, '[0-9a-f]{64}') THEN 'hashed'
         WHEN NOT pid_raw_shape(p) THEN 'malformed'
         WHEN pid_check(p) <> substr(p, 18, 1) THEN 'raw_bad_check'
         WHEN pid_birth(p) IS NULL THEN 'raw_bad_birth_date'
         ELSE 'raw_valid' END;
"""


def quarter_parts(text):
    match = re.fullmatch(r"(\d{4})[Qq]([1-4])", text.strip())
    if not match:
        sys.exit(f"peer: bad quarter {text!r} (expected e.g. 2026Q3)")
    return int(match.group(1)), int(match.group(2))


def quarter_offset(quarter, offset):
    year, number = quarter
    index = year * 4 + number - 1 + offset
    return index // 4, index % 4 + 1


def first_day(quarter):
    return dt.date(quarter[0], (quarter[1] - 1) * 3 + 1, 1)


def last_day(quarter):
    return first_day(quarter_offset(quarter, 1)) - dt.timedelta(days=1)


def locate(export, table):
    """The read_parquet(...) source of a table, or None when it is absent."""
    single = export / f"{table}.parquet"
    folder = export / table
    if single.is_file():
        return f"read_parquet('{single}')"
    if folder.is_dir():
        files = [p for p in folder.rglob("*.parquet") if not any(part.startswith((".", "_")) for part in p.relative_to(folder).parts)]
        if not files:
            sys.exit(f"peer: table folder {folder} holds no Parquet file")
        hive = any("=" in part for p in files for part in p.relative_to(folder).parts[:-1])
        return f"read_parquet('{folder}/**/*.parquet', hive_partitioning = {str(hive).lower()}, union_by_name = true)"
    return None


def source_types(con, source):
    return {row[0]: row[1] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}


def column_expr(name, kind, found_type):
    quoted = f'"{name}"'
    if kind in ("text", "person", "enum"):
        expr = f"NULLIF(trim(CAST({quoted} AS VARCHAR)), '')"
        if kind == "enum":
            expr = f"lower({expr})"
        if kind == "person":
            expr = f"norm_pid({expr})"
        return expr, name
    if kind == "int":
        return f"CAST({quoted} AS BIGINT)", name
    if kind == "bool":
        return f"CAST({quoted} AS BOOLEAN)", name
    if kind == "real":
        return f"CAST({quoted} AS DOUBLE)", name
    if kind == "date":
        if found_type and "WITH TIME ZONE" in found_type:
            return f"CAST(timezone('Asia/Shanghai', {quoted}) AS DATE)", name
        return f"CAST({quoted} AS DATE)", name
    if kind == "ts":
        if found_type and "WITH TIME ZONE" in found_type:
            return f"timezone('Asia/Shanghai', {quoted})", name
        return f"CAST({quoted} AS TIMESTAMP)", name
    if kind == "money":
        if found_type and found_type.startswith("DECIMAL"):
            # Exact: scale ≤ 2 is a whole number of fen; a larger scale rounds half away from zero.
            return f"CAST(round({quoted} * 100) AS BIGINT)", f"{name}_fen"
        # A double: rounded half away from zero at the fen (the engine rounds its shortest decimal text).
        return f"CAST(round(CAST({quoted} AS DOUBLE) * 100) AS BIGINT)", f"{name}_fen"
    raise ValueError(kind)


EMPTY_TYPES = {"text": "VARCHAR", "person": "VARCHAR", "enum": "VARCHAR", "int": "BIGINT", "bool": "BOOLEAN",
               "real": "DOUBLE", "date": "DATE", "ts": "TIMESTAMP", "money": "BIGINT"}


def load_statements(con, export):
    """One CREATE TABLE per table: normalised, validated, kept rows only."""
    statements = []
    for table, spec in TABLES.items():
        source = locate(export, table)
        if source is None:
            if spec["required"]:
                sys.exit(f"peer: required table {table} is missing from {export}")
            columns = ", ".join(
                f'CAST(NULL AS {EMPTY_TYPES[kind]}) AS "{name}_fen"' if kind == "money" else f'CAST(NULL AS {EMPTY_TYPES[kind]}) AS "{name}"'
                for name, kind, _, _ in spec["cols"])
            statements.append((table, f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {columns} LIMIT 0"))
            continue
        types = source_types(con, source)
        selects, names = [], []
        for name, kind, _, _ in spec["cols"]:
            if name not in types:
                sys.exit(f"peer: table {table} has no column {name}")
            expr, alias = column_expr(name, kind, types[name])
            selects.append(f'{expr} AS "{alias}"')
            names.append(alias)
        checks = []
        for (name, kind, required, allowed), alias in zip(spec["cols"], names):
            if required:
                checks.append(f'"{alias}" IS NULL')
            if allowed:
                values = ", ".join(f"'{v}'" for v in allowed)
                checks.append(f'"{alias}" NOT IN ({values})')
        checks += IMPOSSIBLE.get(table, [])
        for column, parent in spec["fks"]:
            parent_key = TABLES[parent]["pk"][0]
            checks.append(f'"{column}" IS NOT NULL AND "{column}" NOT IN (SELECT "{parent_key}" FROM {parent})')
        failed = " OR ".join(f"coalesce({check}, false)" for check in checks) or "false"
        pk = ", ".join(f'"{k}"' for k in spec["pk"])
        others = [n for n in names if n not in spec["pk"]]
        person = table == "enrollments"
        derived = ", pid_form(person_id) AS person_id_form, pid_birth(person_id) AS birth_date, " \
                  "(ascii(substr(person_id, 17, 1)) - 48) % 2 = 1 AND pid_raw_shape(person_id) AS male" if person else ""
        # Every copy of a duplicated key is rejected: keep keys held by exactly one row.
        carried = "".join(f', any_value("{n}") AS "{n}"' for n in others)
        unique = f"SELECT {pk}{carried} FROM src GROUP BY {pk} HAVING count(*) = 1"
        statements.append((table, f"""
CREATE OR REPLACE TEMP TABLE {table} AS
WITH src AS (SELECT {', '.join(selects)} FROM {source}),
unique_keys AS ({unique})
SELECT *{derived} FROM unique_keys WHERE NOT ({failed})"""))
    return statements


def wages_statement(policy):
    rows = ", ".join(f"('{district}', {round(float(wage) * 100)})" for district, wage in policy["minimum_wage"].items())
    return f"CREATE OR REPLACE TEMP TABLE wages AS SELECT * FROM (VALUES {rows}) t(district, wage_fen)"


def parameters(quarter_text, policy_dir):
    policy = tomllib.loads((policy_dir / "policy.toml").read_text())
    indicators = tomllib.loads((policy_dir / "indicators.toml").read_text())
    quarter = quarter_parts(quarter_text)
    q = lambda offset: quarter_offset(quarter, offset)

    def window(name):
        start, end = indicators[name].get("window", [0, 0])
        return first_day(q(start)).isoformat(), last_day(q(end)).isoformat()

    values = dict(
        quarter=f"{quarter[0]}Q{quarter[1]}",
        q_first=first_day(quarter).isoformat(), q_last=last_day(quarter).isoformat(),
        window_start=first_day(q(-3)).isoformat(),
        max_session_seconds=policy["training"]["max_session_hours"] * 3600,
        attendance_percent=policy["training"]["attendance_percent"],
        max_lines_per_year=policy["training"]["max_lines_per_year"],
        max_days=policy["living_allowance"]["max_days"],
        days_per_month=policy["living_allowance"]["days_per_month"],
        percent_of_minimum_wage=policy["living_allowance"]["percent_of_minimum_wage"],
        eligible_groups=", ".join(f"'{g}'" for g in policy["living_allowance"]["eligible_groups"]),
        percent_of_fee=policy["appraisal"]["percent_of_fee"],
        key_industry_percent_of_fee=policy["appraisal"]["key_industry_percent_of_fee"],
        male_min=policy["ages"]["male_min"], male_max=policy["ages"]["male_max"],
        female_min=policy["ages"]["female_min"], female_max=policy["ages"]["female_max"],
        double_presence_seconds=policy["procedural"]["double_presence_seconds"],
        days_after_end=indicators["pass_rate"].get("days_after_end", 90),
        employment_months=indicators["employment_rate"].get("months_after_end", 6),
        retention_months=indicators["retention_rate"].get("months_after_end", 12),
        retention_min_months=indicators["retention_rate"].get("min_months", 6),
    )
    for name, prefix in [("completion_rate", "completion"), ("pass_rate", "pass"), ("employment_rate", "employment"),
                         ("retention_rate", "retention"), ("satisfaction", "satisfaction")]:
        values[f"{prefix}_from"], values[f"{prefix}_to"] = window(name)
    return policy, values


def sql_phases(path, values):
    phases, current = {}, None
    text = string.Template(path.read_text()).substitute(values)
    for line in text.splitlines():
        match = re.match(r"--\s*@phase\s+(\w+)", line)
        if match:
            current = match.group(1)
            phases[current] = []
            continue
        if current is None:
            continue
        phases[current].append(line)
    result = {}
    for name, lines in phases.items():
        statements, buffer = [], []
        for line in lines:
            comment = line.strip().startswith("--")
            if (comment or not line.strip()) and not buffer:
                continue
            buffer.append(line)
            if not comment and line.rstrip().endswith(";"):
                statements.append("\n".join(buffer))
                buffer = []
        result[name] = statements
    return result


RULES = [f"R{n:02}" for n in range(1, 13)]
PROCEDURES = ["P01", "P02", "P03", "P04"]
INDICATORS = ["completion_rate", "pass_rate", "employment_rate", "retention_rate", "satisfaction", "compliance"]


def yuan(fen):
    fen = int(fen or 0)
    return f"{'-' if fen < 0 else ''}{abs(fen) // 100}.{abs(fen) % 100:02}"


def summarise(con):
    per_rule = dict(con.execute(
        "SELECT rule, count(*) FROM line_flags WHERE NOT overturned GROUP BY rule").fetchall())
    procedural = dict(con.execute("""
        SELECT p.rule, count(*) FROM procedural p
        LEFT JOIN overturned o ON o.rule = p.rule AND o.entity_id = p.entity_id
        WHERE o.rule IS NULL GROUP BY p.rule""").fetchall())
    at_risk = con.execute("SELECT sum(part_fen) FROM lines_in_scope WHERE status <> 'rejected'").fetchone()[0]
    recover = con.execute("SELECT sum(amount_fen), count(*) FROM recoveries").fetchone()
    hold = con.execute("SELECT sum(amount_fen), count(*) FROM holds").fetchone()
    scope = con.execute("SELECT count(*), sum(breach::INT) FROM lines_in_scope").fetchone()
    return {
        "flags_per_rule": {r: per_rule.get(r, 0) for r in RULES} | {p: procedural.get(p, 0) for p in PROCEDURES},
        "lines_in_scope": scope[0], "breach_lines": int(scope[1] or 0),
        "totals": {"at_risk": yuan(at_risk), "to_recover": yuan(recover[0]), "to_hold": yuan(hold[0]),
                   "recovery_rows": recover[1], "hold_rows": hold[1]},
    }


def compare(con, run_dir, mine):
    run = Path(run_dir)
    summary = json.loads((run / "summary.json").read_text())
    engine_flags = summary.get("flags_per_rule", {})
    print(f"{'':<14}{'engine':>16}{'duckdb':>16}")
    differ = []
    for rule in RULES + PROCEDURES:
        a, b = engine_flags.get(rule, 0), mine["flags_per_rule"].get(rule, 0)
        mark = "" if a == b else "   <- differs"
        if a != b:
            differ.append(rule)
        print(f"{rule:<14}{a:>16}{b:>16}{mark}")
    for key in ["at_risk", "to_recover", "to_hold"]:
        a, b = summary.get("totals", {}).get(key), mine["totals"][key]
        mark = "" if str(a) == str(b) else "   <- differs"
        if str(a) != str(b):
            differ.append(key)
        print(f"{key:<14}{str(a):>16}{b:>16}{mark}")
    # Row by row: the same findings on the same entities, with the same money.
    flags = run / "flags.parquet"
    if flags.is_file():
        con.execute(f"""CREATE OR REPLACE TEMP TABLE engine_flags AS
            SELECT rule, institution_id, entity_id, CAST(round(amount_at_risk * 100) AS BIGINT) AS fen
            FROM read_parquet('{flags}') WHERE NOT overturned AND kind IN ('breach', 'procedural')""")
        con.execute("""CREATE OR REPLACE TEMP TABLE peer_flags AS
            SELECT rule, institution_id, line_id AS entity_id, CASE WHEN status = 'rejected' THEN 0 ELSE part END AS fen
            FROM line_flags WHERE NOT overturned
            UNION ALL
            SELECT p.rule, p.institution_id, p.entity_id, NULL FROM procedural p
            LEFT JOIN overturned o ON o.rule = p.rule AND o.entity_id = p.entity_id WHERE o.rule IS NULL""")
        only_engine, only_peer, amounts = con.execute("""
            SELECT count(*) FILTER (WHERE d.rule IS NULL), count(*) FILTER (WHERE e.rule IS NULL),
                   count(*) FILTER (WHERE e.rule IS NOT NULL AND d.rule IS NOT NULL AND d.fen IS NOT NULL AND e.fen <> d.fen)
            FROM engine_flags e FULL JOIN peer_flags d
              ON d.rule = e.rule AND d.institution_id = e.institution_id AND d.entity_id = e.entity_id""").fetchone()
        print(f"flags row by row: {only_engine} only in the engine, {only_peer} only in duckdb, {amounts} parts differ")
        if only_engine or only_peer or amounts:
            differ.append("flag rows")
            for row in con.execute("""
                SELECT coalesce(e.rule, d.rule), coalesce(e.entity_id, d.entity_id), e.fen, d.fen
                FROM engine_flags e FULL JOIN peer_flags d
                  ON d.rule = e.rule AND d.institution_id = e.institution_id AND d.entity_id = e.entity_id
                WHERE e.rule IS NULL OR d.rule IS NULL OR (d.fen IS NOT NULL AND e.fen <> d.fen)
                ORDER BY 1, 2 LIMIT 10""").fetchall():
                print(f"    {row[0]} {row[1]}: engine {row[2]}, duckdb {row[3]}")
    for table in ["recoveries", "holds"]:
        path = run / f"{table}.parquet"
        if not path.is_file():
            continue
        only_engine, only_peer, amounts = con.execute(f"""
            WITH e AS (SELECT claim_id, enrollment_id, institution_id, CAST(round(amount * 100) AS BIGINT) AS fen
                       FROM read_parquet('{path}'))
            SELECT count(*) FILTER (WHERE d.institution_id IS NULL), count(*) FILTER (WHERE e.institution_id IS NULL),
                   count(*) FILTER (WHERE e.fen <> d.amount_fen)
            FROM e FULL JOIN {table} d
              ON d.claim_id IS NOT DISTINCT FROM e.claim_id AND d.enrollment_id IS NOT DISTINCT FROM e.enrollment_id
             AND d.institution_id = e.institution_id AND (e.claim_id IS NOT NULL OR e.fen = d.amount_fen)""").fetchone()
        print(f"{table} row by row: {only_engine} only in the engine, {only_peer} only in duckdb, {amounts} amounts differ")
        if only_engine or only_peer or amounts:
            differ.append(f"{table} rows")
    scores = run / "institution_scores.parquet"
    if scores.is_file():
        con.execute(f"CREATE OR REPLACE TEMP TABLE engine_scores AS SELECT * FROM read_parquet('{scores}')")
        for name in INDICATORS:
            n, bad = con.execute(f"""
                SELECT count(*), count(*) FILTER (WHERE NOT (e.{name} IS NULL AND d.{name} IS NULL)
                                                 AND (e.{name} IS NULL OR d.{name} IS NULL OR abs(e.{name} - d.{name}) > 1e-9))
                FROM engine_scores e JOIN indicators d USING (institution_id)""").fetchone()
            mark = "" if bad == 0 else "   <- differs"
            if bad:
                differ.append(name)
            print(f"{name:<16}{'':>2}{bad:>6} of {n} institutions differ{mark}")
    return differ


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--export", required=True, type=Path)
    parser.add_argument("--quarter", default="2026Q3")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--policy", type=Path, default=REPO / "pipelines")
    parser.add_argument("--sql", type=Path, default=HERE / "rules.sql")
    parser.add_argument("--json", type=Path, help="write the phases, counts and totals here")
    parser.add_argument("--compare", metavar="RUN_DIR", help="an engine run folder to compare with")
    parser.add_argument("--memory-limit", help="DuckDB memory_limit (default: DuckDB's own, 80%% of RAM)")
    parser.add_argument("--profile", action="store_true", help="print each statement's time on stderr")
    args = parser.parse_args()

    started = time.perf_counter()
    policy, values = parameters(args.quarter, args.policy)
    phases = sql_phases(args.sql, values)
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {args.threads}")
    if args.memory_limit:
        con.execute(f"SET memory_limit = '{args.memory_limit}'")
    con.execute(MACROS)

    timings = {}
    t = time.perf_counter()
    con.execute(wages_statement(policy))
    for table, statement in load_statements(con, args.export.resolve()):
        s = time.perf_counter()
        try:
            con.execute(statement)
        except duckdb.Error as error:
            sys.exit(f"peer: loading {table}: {error}\n{statement}")
        if args.profile:
            print(f"  {time.perf_counter() - s:7.3f} s  load {table}", file=sys.stderr)
    timings["load"] = time.perf_counter() - t
    for phase in ["rules", "indicators"]:
        t = time.perf_counter()
        for statement in phases[phase]:
            s = time.perf_counter()
            try:
                con.execute(statement)
            except duckdb.Error as error:
                sys.exit(f"peer: {phase}: {error}\n{statement}")
            if args.profile:
                first = next(line for line in statement.splitlines() if line.strip() and not line.strip().startswith("--"))
                print(f"  {time.perf_counter() - s:7.3f} s  {phase}: {first.strip()[:70]}", file=sys.stderr)
        timings[phase] = time.perf_counter() - t
    timings["rules_and_indicators"] = timings["rules"] + timings["indicators"]
    timings["total_in_process"] = time.perf_counter() - started

    result = summarise(con)
    rows = dict(con.execute(" UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in TABLES)).fetchall())
    result = {"phases": {k: round(v, 3) for k, v in timings.items()}, "rows_kept": rows, "threads": args.threads,
              "duckdb": duckdb.__version__} | result
    print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    if args.compare:
        differ = compare(con, args.compare, result)
        print("same counts, totals and indicators" if not differ else f"differences: {', '.join(differ)}")


if __name__ == "__main__":
    main()
