//! The commands as a person runs them: what they print, the files they write, exit codes, and
//! byte-identical tables on a second run.

use crate::util::*;
use pretty_assertions::assert_eq;

#[test]
fn check_prints_files_rows_and_coercions_per_table() {
    let dir = temp_dir();
    copy_dir(&fixture("writers/pyarrow_types"), dir.path());
    let output = run(dir.path(), &["check", "--data", "."]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(output.stdout.contains("\nclaims: 1 file(s): claims.parquet\n  rows read 3, used 3, rejected 0\n  coerced: submitted_on：时间戳按日期读取\n  coerced: amount：浮点金额按四舍五入取到分\n  coerced: paid_amount：浮点金额按四舍五入取到分\n"), "{}", output.stdout);
    assert!(output.stdout.contains("\ntotal: rows read 57 = used 57 + rejected 0\n"), "{}", output.stdout);
}

#[test]
fn check_lists_rejects_by_reason() {
    let dir = temp_dir();
    let mut fixture = Fixture::clean();
    fixture.add(traincredit::ingest::contract::Table::Claims, &[("claim_id", "C2"), ("status", "lost")]);
    fixture.write(dir.path());
    let output = run(dir.path(), &["check", "--data", "."]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(
        output.stdout.contains("  rows read 2, used 1, rejected 1\n    1 × status 的取值“lost”不在允许范围内（应为以下之一：paid, pending, rejected）\n"),
        "{}",
        output.stdout
    );
}

#[test]
fn evaluate_needs_a_key() {
    let dir = temp_dir();
    Fixture::clean().write(dir.path());
    let output = run(dir.path(), &["evaluate", "--data", ".", "--quarter", "2026Q3", "--out", "run"]);
    assert_eq!(output.code, 1);
    assert_eq!(
        output.stderr.trim(),
        "error: no pseudonymisation key: set TRAINCREDIT_KEY or pass --key-file FILE (or --demo-key for synthetic data only)"
    );
}

#[test]
fn a_policy_with_an_unknown_key_stops_the_run() {
    let dir = temp_dir();
    Fixture::clean().write(dir.path());
    traincredit::policy::write_defaults(&dir.path().join("policy")).unwrap();
    let tiers = dir.path().join("policy/tiers.toml");
    let text = std::fs::read_to_string(&tiers).unwrap().replace("ban_quarters = 4", "ban_quarters = 4\nban_years = 1");
    std::fs::write(&tiers, text).unwrap();
    let output = run(dir.path(), &["evaluate", "--data", ".", "--quarter", "2026Q3", "--out", "run", "--demo-key", "--policy", "policy"]);
    assert_eq!(output.code, 4, "{}", output.stderr);
    assert!(output.stderr.contains("tiers.toml: unknown field `ban_years`"), "{}", output.stderr);
}

#[test]
fn evaluate_writes_the_run_folder_and_the_same_tables_twice() {
    let dir = temp_dir();
    let mut fixture = Fixture::clean();
    fixture.add(traincredit::ingest::contract::Table::Enrollments, &[("enrollment_id", "E2"), ("completed", "false"), ("person_id", id_number("1970-03-03", 9).as_str())]);
    fixture.add(traincredit::ingest::contract::Table::ClaimLines, &[("enrollment_id", "E2")]).observed_through("2026-09-30");
    fixture.write(dir.path().join("export").as_path());
    for out in ["one", "two"] {
        let output = run(dir.path(), &["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", out, "--demo-key"]);
        assert_eq!(output.code, 0, "{}", output.stderr);
    }
    for table in ["rejects.parquet", "flags.parquet", "recoveries.parquet", "holds.parquet"] {
        let one = std::fs::read(dir.path().join("one").join(table)).unwrap();
        let two = std::fs::read(dir.path().join("two").join(table)).unwrap();
        assert!(one == two, "{table} differs between two runs");
    }
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("one/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["quarter"], "2026Q3");
    assert_eq!(summary["pseudonymisation_key"], "demo");
    let claims = summary["inputs"].as_array().unwrap().iter().find(|t| t["table"] == "claims").unwrap();
    assert_eq!(claims["rows_read"], 1);
    assert_eq!(claims["files"][0]["path"], "claims.parquet");
    assert_eq!(claims["files"][0]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(summary["totals"]["claimed"], "1000.00");
    // E2's line: not completed (R05) and no attendance (R06); the claim is paid in full.
    assert_eq!(summary["totals"]["to_recover"], "1000.00");
    assert_eq!(summary["flags_per_rule"]["R05"], 1);
    let recoveries = read_parquet(&dir.path().join("one/recoveries.parquet"));
    assert_eq!(rows(&recoveries, &["claim_id", "enrollment_id", "rules", "amount"]), vec!["C1 | E2 | R05,R06 | 1000.00"]);
    // No staging folder is left behind: only each output's lock file.
    let mut hidden: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with('.')).collect();
    hidden.sort();
    assert_eq!(hidden, vec![".one.lock", ".two.lock"]);
}

#[test]
fn reject_reasons_and_warnings_are_written_in_the_runs_language() {
    let dir = temp_dir();
    let mut fixture = Fixture::clean();
    fixture.add(traincredit::ingest::contract::Table::Claims, &[("claim_id", "C2"), ("status", "lost")]).observed_through("2026-09-30");
    fixture.write(dir.path().join("export").as_path());
    std::fs::write(dir.path().join("export/survey.parquet"), "a misspelt table name").unwrap();
    for (out, lang) in [("zh", None), ("en", Some("en"))] {
        let mut args = vec!["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", out, "--demo-key"];
        args.extend(lang.map(|lang| ["--lang", lang]).into_iter().flatten());
        let output = run(dir.path(), &args);
        assert_eq!(output.code, 0, "{}", output.stderr);
    }
    let rejects = |out: &str| read_parquet(&dir.path().join(out).join("rejects.parquet"));
    let columns = ["table", "row_key", "reason", "reason_code"];
    assert_eq!(
        rows(&rejects("zh"), &columns),
        vec!["claims | claim_id=C2 | status 的取值“lost”不在允许范围内（应为以下之一：paid, pending, rejected） | ingest.unknown_value"]
    );
    assert_eq!(rows(&rejects("en"), &columns), vec!["claims | claim_id=C2 | unknown value 'lost' in status (expected one of: paid, pending, rejected) | ingest.unknown_value"]);
    for out in ["zh", "en"] {
        let frame = rejects(out);
        let args = frame.column("reason_args").unwrap().list().unwrap().get_as_series(0).unwrap();
        let args: Vec<&str> = args.str().unwrap().iter().map(|a| a.unwrap()).collect();
        assert_eq!(args, ["lost", "status", "paid, pending, rejected"], "the arguments hold no language");
    }
    let summary = |out: &str| -> serde_json::Value { serde_json::from_str(&std::fs::read_to_string(dir.path().join(out).join("summary.json")).unwrap()).unwrap() };
    let (zh, en) = (summary("zh"), summary("en"));
    let claims = |summary: &serde_json::Value| summary["inputs"].as_array().unwrap().iter().find(|t| t["table"] == "claims").unwrap()["rejected_by_reason"].clone();
    assert_eq!(claims(&zh), serde_json::json!({"status 的取值“lost”不在允许范围内（应为以下之一：paid, pending, rejected）": 1}));
    assert_eq!(claims(&en), serde_json::json!({"unknown value 'lost' in status (expected one of: paid, pending, rejected)": 1}));
    // A misspelt table in the export folder: a warning, with its code.
    assert_eq!(zh["warning_codes"], serde_json::json!(["ingest.stray_entry"]));
    assert_eq!(en["warning_codes"], serde_json::json!(["ingest.stray_entry"]));
    assert_eq!(zh["warnings"], serde_json::json!(["导出目录中的 survey.parquet 不是约定的数据表，未读取"]));
    assert_eq!(en["warnings"], serde_json::json!(["survey.parquet in the export folder is not a table of the contract: not read"]));
}

#[test]
fn sign_ins_read_from_disk_give_the_same_tables_as_sign_ins_held() {
    // The committed sample has planted proxy sign-ins, double presence and attendance shortfalls:
    // every stage that reads sign-ins finds something in it.
    let dir = temp_dir();
    let sample = root().join("data-samples/jinan");
    let sample = sample.to_str().unwrap();
    let held = run_logging(dir.path(), &["evaluate", "--data", sample, "--quarter", "2026Q3", "--out", "held", "--demo-key"], "info");
    assert_eq!(held.code, 0, "{}", held.stderr);
    assert!(!held.stderr.contains("streamed from disk"), "{}", held.stderr);
    let streamed = run_logging(dir.path(), &["evaluate", "--data", sample, "--quarter", "2026Q3", "--out", "streamed", "--demo-key", "--stream-above", "0"], "info");
    assert_eq!(streamed.code, 0, "{}", streamed.stderr);
    assert!(streamed.stderr.contains("streamed from disk, not held table=\"attendance\""), "{}", streamed.stderr);
    let mut compared = 0;
    for entry in std::fs::read_dir(dir.path().join("held")).unwrap() {
        let name = entry.unwrap().file_name();
        if !name.to_string_lossy().ends_with(".parquet") {
            continue;
        }
        let one = std::fs::read(dir.path().join("held").join(&name)).unwrap();
        let two = std::fs::read(dir.path().join("streamed").join(&name)).unwrap();
        assert!(one == two, "{} differs between held and streamed sign-ins", name.to_string_lossy());
        compared += 1;
    }
    assert_eq!(compared, 16); // budget, cases, yield, drift, lead_evidence and lead_money included
    let flags = read_parquet(&dir.path().join("streamed/flags.parquet"));
    let rules = texts(&flags, "rule");
    for rule in ["R06", "P03", "synchronized_sign_ins"] {
        assert!(rules.iter().any(|r| r == rule), "no {rule} flag in the streamed run");
    }
    // flag_id is unique within the run (outputs.md): a P03 pair is charged to each side under
    // its own id, the pair's enrollments in id order, then the institution.
    let ids = texts(&flags, "flag_id");
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "flag_id repeats in flags.parquet");
    let p03: Vec<&String> = ids.iter().filter(|id| id.starts_with("P03:")).collect();
    assert_eq!(p03, ["P03:JN-ENR-0017111+JN-ENR-0017112@JN-ORG-000113", "P03:JN-ENR-0017111+JN-ENR-0017112@JN-ORG-000116"]);
    // The sample's fraud_confirmed decision of 2026-07-20 states no amount: its flag carries the
    // paid lines it reclaims in full, which are its DECISION rows in recoveries.parquet.
    let decision = rows(&flags, &["flag_id", "amount_at_risk", "evidence_code"]).into_iter().find(|row| row.starts_with("DECISION:JN-ORG-000222@")).unwrap();
    let recoveries = read_parquet(&dir.path().join("streamed/recoveries.parquet"));
    let reclaimed: i64 = rows(&recoveries, &["institution_id", "rules", "amount"])
        .iter()
        .filter(|row| row.starts_with("JN-ORG-000222 | ") && row.contains("DECISION"))
        .map(|row| row.rsplit(" | ").next().unwrap().replace('.', "").parse::<i64>().unwrap())
        .sum();
    assert_eq!(decision, format!("DECISION:JN-ORG-000222@2026-07-20 | {}.{:02} | rules.decision.fraud_confirmed", reclaimed / 100, reclaimed % 100));
    assert!(reclaimed > 0);
}

#[test]
fn check_prints_the_exports_coverage() {
    let dir = temp_dir();
    let sample = root().join("data-samples/jinan").display().to_string();
    let output = run(dir.path(), &["check", "--data", &sample]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(
        output.stdout.contains(
            "\ncoverage:\n  claims (submitted_on): 2025-01-23 … 2026-09-30\n  attendance (check_in): 2025-01-04 … 2026-09-30\n  employment (month): 2025-01-01 … 2026-09-01\n  assessments (exam_date): 2025-02-03 … 2026-09-30\n  surveys (answered_on): 2025-01-27 … 2026-09-30\n"
        ),
        "{}",
        output.stdout
    );
    // A sign-in table streamed from disk has the same coverage, from its files' ranges.
    let streamed = run(dir.path(), &["check", "--data", &sample, "--stream-above", "0"]);
    assert_eq!(streamed.code, 0, "{}", streamed.stderr);
    assert!(streamed.stdout.contains("  attendance (check_in): 2025-01-04 … 2026-09-30\n"), "{}", streamed.stdout);
}

#[test]
fn demo_runs_its_three_quarters_and_refuses_quarters_past_the_sample_unless_allowed() {
    let dir = temp_dir();
    let sample = root().join("data-samples/jinan").display().to_string();
    // The committed sample covers 2025Q1 … 2026Q3: the demo's own quarters need no flag.
    let output = run(dir.path(), &["demo", "--data", &sample, "--out", "demo"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    for quarter in ["2026Q1", "2026Q2", "2026Q3"] {
        let text = std::fs::read_to_string(dir.path().join("demo").join(quarter).join("summary.json")).unwrap();
        let summary: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(summary["indicators_without_data"], serde_json::json!([]), "{quarter}");
    }
    // 2026Q3 … 2027Q1: the second quarter has no claims.
    let output = run(dir.path(), &["demo", "--data", &sample, "--out", "later", "--quarter", "2027Q1"]);
    assert_eq!(output.code, 3, "{}", output.stderr);
    assert!(output.stderr.contains("error: the export does not cover 2026Q4: 2026Q4 has no claims submitted in it; "), "{}", output.stderr);
    let output = run(dir.path(), &["demo", "--data", &sample, "--out", "later", "--quarter", "2027Q1", "--allow-incomplete"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(output.stdout.contains("\n2027Q1 各信用等级机构数：\n"), "{}", output.stdout);
}

#[test]
fn check_says_whether_the_export_covers_a_quarter() {
    let dir = temp_dir();
    let sample = root().join("data-samples/jinan").display().to_string();
    let output = run(dir.path(), &["check", "--data", &sample, "--quarter", "2026Q3"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(output.stdout.ends_with("\n2026Q3: 379 claims submitted\n  evaluate --quarter 2026Q3 would run\n"), "{}", output.stdout);
    let output = run(dir.path(), &["check", "--data", &sample, "--quarter", "2027Q1"]);
    assert_eq!(output.code, 3, "{}", output.stderr);
    assert!(
        output.stdout.ends_with(
            "\n2027Q1: 0 claims submitted\n  no data: pass_rate (its window needs assessments through 2027-03; the export's assessments ends 2026-09-30): null, left out of the score\n  no data: employment_rate (its window needs employment through 2027-03; the export's employment ends 2026-09-01): null, left out of the score\n  no data: retention_rate (its window needs employment through 2027-03; the export's employment ends 2026-09-01): null, left out of the score\n  no data: satisfaction (its window needs surveys through 2027-03; the export's surveys ends 2026-09-30): null, left out of the score\n"
        ),
        "{}",
        output.stdout
    );
    assert!(output.stderr.trim().starts_with("error: the export does not cover 2027Q1: 2027Q1 has no claims submitted in it; "), "{}", output.stderr);
}
