//! Detection measured against what the sample generator planted (`truth.json`): on exports from
//! `sample`, every planted breach is found with its exact part at stake, recovery and hold, every
//! planted procedural finding is found, and nothing that was not planted; invariants of the money
//! hold on exports of several seeds.

use crate::util::*;
use pretty_assertions::assert_eq;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use traincredit::ingest::{self, contract::Table, Export};
use traincredit::person::Pseudonymiser;
use traincredit::policy::Policy;
use traincredit::rules::{self, Findings};
use traincredit::sample::{self, SampleOptions};
use traincredit::Quarter;

fn truth(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap()
}

fn yuan_to_fen(text: &str) -> i64 {
    traincredit::money::fen_from_decimal(text.parse().unwrap()).unwrap()
}

fn findings(export: &Export, quarter: Quarter) -> Findings {
    rules::evaluate(export, &Policy::defaults().unwrap(), quarter, &Default::default()).unwrap()
}

/// line id → "rules | part | recovery | hold" as found.
fn found_lines(findings: &Findings) -> BTreeMap<String, String> {
    let mut rules_by_line: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (line, rule) in texts(&findings.line_flags, "line_id").into_iter().zip(texts(&findings.line_flags, "rule")) {
        rules_by_line.entry(line).or_default().insert(rule);
    }
    let money = |frame: &polars::prelude::DataFrame| -> BTreeMap<String, String> {
        let claims = texts(frame, "claim_id");
        let enrollments = texts(frame, "enrollment_id");
        let amounts = texts(frame, "amount_fen");
        let rules = texts(frame, "rules");
        // A line that a decision reclaims whole shows as "decision" (its breach part is inside).
        (0..frame.height())
            .filter(|&i| rules[i] != "DECISION")
            .map(|i| {
                let amount = if rules[i].contains("DECISION") { "decision".to_string() } else { amounts[i].clone() };
                (format!("{}/{}", claims[i], enrollments[i]), amount)
            })
            .collect()
    };
    let recoveries = money(&findings.recoveries);
    let holds = money(&findings.holds);
    let parts: BTreeMap<String, String> =
        texts(&findings.lines_in_scope, "line_id").into_iter().zip(texts(&findings.lines_in_scope, "part_fen")).collect();
    rules_by_line
        .into_iter()
        .map(|(line, rules)| {
            let text = format!(
                "{} | part {} | recovery {} | hold {}",
                rules.into_iter().collect::<Vec<_>>().join(","),
                parts.get(&line).cloned().unwrap_or_default(),
                recoveries.get(&line).cloned().unwrap_or_else(|| "none".into()),
                holds.get(&line).cloned().unwrap_or_else(|| "none".into()),
            );
            (line, text)
        })
        .collect()
}

/// Institutions whose paid lines a `fraud_confirmed` decision without an amount reclaims in
/// `quarter` (it is dated in the quarter).
fn reclaimed_wholesale(truth: &serde_json::Value, quarter: &str) -> BTreeSet<String> {
    let quarter: Quarter = quarter.parse().unwrap();
    truth["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["finding"] == "fraud_confirmed" && d["amount"].is_null())
        .filter(|d| quarter.contains(chrono::NaiveDate::parse_from_str(d["decided_on"].as_str().unwrap(), "%Y-%m-%d").unwrap()))
        .map(|d| d["institution_id"].as_str().unwrap().to_string())
        .collect()
}

/// The same, as planted for `quarter`.
fn planted_lines(truth: &serde_json::Value, quarter: &str) -> BTreeMap<String, String> {
    let reclaimed = reclaimed_wholesale(truth, quarter);
    truth["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|line| line["quarter"] == quarter)
        .map(|line| {
            let id = format!("{}/{}", line["claim_id"].as_str().unwrap(), line["enrollment_id"].as_str().unwrap());
            let rules: Vec<&str> = line["rules"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
            let overturned = line["overturned"].as_bool().unwrap_or(false);
            let wholesale = reclaimed.contains(line["institution_id"].as_str().unwrap()) && line["status"] == "paid";
            let money = |key: &str| match line[key].as_str() {
                Some(_) if key == "recovery" && wholesale => "decision".to_string(),
                Some(amount) if !overturned && yuan_to_fen(amount) > 0 => yuan_to_fen(amount).to_string(),
                _ => "none".to_string(),
            };
            let part = if overturned { "0".to_string() } else { yuan_to_fen(line["part_at_stake"].as_str().unwrap()).to_string() };
            (id, format!("{} | part {part} | recovery {} | hold {}", rules.join(","), money("recovery"), money("hold")))
        })
        .collect()
}

fn procedural(findings: &Findings) -> BTreeSet<String> {
    let rules = texts(&findings.procedural, "rule");
    let entities = texts(&findings.procedural, "entity_id");
    // A P03 finding is charged to each side under its own entity (`E1+E7@I1`); truth.json names
    // the pair once.
    rules.into_iter().zip(entities).map(|(rule, entity)| format!("{rule}:{}", traincredit::rules::procedural::pair_of(&entity))).collect()
}

fn planted_procedural(truth: &serde_json::Value, quarter: &str) -> BTreeSet<String> {
    truth["procedural"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["quarter"] == quarter)
        .map(|finding| format!("{}:{}", finding["rule"].as_str().unwrap(), finding["entity_id"].as_str().unwrap()))
        .collect()
}

/// Quarters whose lines a decision without a stated amount reclaims wholesale: there the
/// comparison of breach lines stays exact, but recoveries carry DECISION rows on top.
fn check_export(dir: &Path) {
    let truth = truth(dir);
    let export = ingest::ingest(dir, &Pseudonymiser::new(Pseudonymiser::DEMO_KEY.as_bytes())).unwrap();
    let from: Quarter = truth["from"].as_str().unwrap().parse().unwrap();
    let to: Quarter = truth["to"].as_str().unwrap().parse().unwrap();
    let mut planted_total = 0;
    for quarter in from.through(to) {
        let found = findings(&export, quarter);
        let expected = planted_lines(&truth, &quarter.to_string());
        planted_total += expected.len();
        assert_eq!(found_lines(&found), expected, "breach lines in {quarter}");
        assert_eq!(procedural(&found), planted_procedural(&truth, &quarter.to_string()), "procedural findings in {quarter}");
    }
    assert!(planted_total > 0, "the sample plants breaches");
    // Rejects: the planted bad rows, per table.
    let mut planted: BTreeMap<String, usize> = BTreeMap::new();
    for reject in truth["rejects"].as_array().unwrap() {
        *planted.entry(reject["table"].as_str().unwrap().to_string()).or_default() += reject["count"].as_u64().unwrap() as usize;
    }
    let found: BTreeMap<String, usize> = export
        .tables
        .values()
        .filter(|t| t.rows_rejected() > 0)
        .map(|t| (t.table.name().to_string(), t.rows_rejected()))
        .collect();
    assert_eq!(found, planted, "rejected rows per table");
}

#[test]
fn the_committed_sample_finds_every_planted_case_and_nothing_else() {
    let dir = root().join("data-samples/jinan");
    assert!(dir.join("truth.json").is_file(), "the committed sample is missing: run `traincredit sample --out data-samples/jinan`");
    check_export(&dir);
}

#[test]
fn the_committed_sample_is_what_the_generator_writes() {
    let dir = temp_dir();
    sample::generate(&SampleOptions::demo(), dir.path()).unwrap();
    for name in ["institutions.parquet", "claims.parquet", "claim_lines.parquet", "enrollments.parquet", "truth.json"] {
        let committed = std::fs::read(root().join("data-samples/jinan").join(name)).unwrap();
        let generated = std::fs::read(dir.path().join(name)).unwrap();
        assert!(committed == generated, "{name} differs from `traincredit sample` output: regenerate data-samples/jinan");
    }
}

#[test]
fn other_seeds_find_every_planted_case_and_keep_the_money_invariants() {
    for seed in [1, 2] {
        let dir = temp_dir();
        sample::generate(&SampleOptions { seed, ..SampleOptions::default() }, dir.path()).unwrap();
        check_export(dir.path());
        money_invariants(dir.path());
    }
}

#[test]
fn graded_samples_plant_no_breach_they_do_not_list() {
    // At a set intensity the statistical and camouflaged schemes (typed-in sign-ins, spread
    // jobs, ghost trainees, recycled trainees) are planted too: none may add a rule breach,
    // procedural finding or reject that truth.json does not list.
    for (seed, intensity) in [(1, 40), (2, 15)] {
        let dir = temp_dir();
        sample::generate(&SampleOptions { seed, intensity_percent: Some(intensity), ..SampleOptions::default() }, dir.path()).unwrap();
        check_export(dir.path());
    }
}

/// Recoveries + holds never exceed what was claimed; every recovery and hold line exists in the
/// input with its claim's status; rejected claims recover and hold nothing.
fn money_invariants(dir: &Path) {
    let export = ingest::ingest(dir, &Pseudonymiser::new(Pseudonymiser::DEMO_KEY.as_bytes())).unwrap();
    let lines = export.frame(Table::ClaimLines);
    let claims = export.frame(Table::Claims);
    let status: BTreeMap<String, String> = texts(claims, "claim_id").into_iter().zip(texts(claims, "status")).collect();
    let line_amounts: BTreeMap<String, i64> = texts(lines, "claim_id")
        .into_iter()
        .zip(texts(lines, "enrollment_id"))
        .zip(texts(lines, "amount_fen"))
        .map(|((claim, enrollment), amount)| (format!("{claim}/{enrollment}"), amount.parse().unwrap()))
        .collect();
    for quarter in "2026Q1".parse::<Quarter>().unwrap().through("2026Q3".parse().unwrap()) {
        let found = findings(&export, quarter);
        for (frame, wanted) in [(&found.recoveries, "paid"), (&found.holds, "pending")] {
            let claims_of = texts(frame, "claim_id");
            let enrollments = texts(frame, "enrollment_id");
            let amounts = texts(frame, "amount_fen");
            for i in 0..frame.height() {
                if claims_of[i] == "null" {
                    continue; // a decision's stated amount
                }
                let line = format!("{}/{}", claims_of[i], enrollments[i]);
                let claimed = *line_amounts.get(&line).unwrap_or_else(|| panic!("{line} is not an input line"));
                let amount: i64 = amounts[i].parse().unwrap();
                assert!(amount > 0 && amount <= claimed, "{line}: {amount} of {claimed}");
                assert_eq!(status[&claims_of[i]], wanted, "{line}");
            }
        }
        let total = |frame: &polars::prelude::DataFrame| -> i64 {
            texts(frame, "amount_fen").iter().map(|a| a.parse::<i64>().unwrap()).sum()
        };
        let rules_column = texts(&found.recoveries, "rules");
        let decision_total: i64 = texts(&found.recoveries, "amount_fen")
            .iter()
            .zip(&rules_column)
            .filter(|(_, rules)| rules.as_str() == "DECISION")
            .map(|(a, _)| a.parse::<i64>().unwrap())
            .sum();
        let in_scope: i64 = texts(&found.lines_in_scope, "line_amount_fen").iter().map(|a| a.parse::<i64>().unwrap()).sum();
        let breach_money = total(&found.recoveries) - decision_total + total(&found.holds);
        let reclaimed_history = rules_column.iter().any(|r| r.contains("DECISION"));
        if !reclaimed_history {
            assert!(breach_money <= in_scope, "{quarter}: recoveries + holds {breach_money} > claimed {in_scope}");
        }
    }
}

/// The demo's chain on the committed sample (`sample --stop-banned`): the institutions the
/// engine bans stop claiming from their ban on, so claims during a ban (R10) are exactly the
/// planted defiants' (`truth.json`: a sanction in the export's ledger or a fraud decision), line
/// for line and to the fen; and the engine bans exactly the institutions the sample stopped,
/// from the quarter they stop.
#[test]
fn in_the_demo_only_the_planted_defiants_claim_while_banned() {
    let sample = root().join("data-samples/jinan");
    let truth = truth(&sample);
    let dir = temp_dir();
    let output = run(dir.path(), &["demo", "--data", sample.to_str().unwrap(), "--out", "demo"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let mut r10_fen = Vec::new();
    for quarter in ["2026Q1", "2026Q2", "2026Q3"] {
        let flags = read_parquet(&dir.path().join("demo").join(quarter).join("flags.parquet"));
        let mut found: BTreeMap<String, (usize, i64)> = BTreeMap::new();
        for row in rows(&flags, &["rule", "institution_id", "amount_at_risk"]) {
            let fields: Vec<&str> = row.split(" | ").collect();
            if fields[0] == "R10" {
                let entry = found.entry(fields[1].to_string()).or_default();
                entry.0 += 1;
                entry.1 += yuan_to_fen(fields[2]);
            }
        }
        // A line of a rejected claim or one overturned on appeal puts nothing at stake.
        let mut planted: BTreeMap<String, (usize, i64)> = BTreeMap::new();
        for line in truth["lines"].as_array().unwrap().iter().filter(|l| l["quarter"] == quarter) {
            if line["rules"].as_array().unwrap().iter().any(|r| r == "R10") {
                let entry = planted.entry(line["institution_id"].as_str().unwrap().to_string()).or_default();
                entry.0 += 1;
                if line["status"] != "rejected" && line["overturned"] != true {
                    entry.1 += yuan_to_fen(line["part_at_stake"].as_str().unwrap());
                }
            }
        }
        assert_eq!(found, planted, "R10 flags in the demo's {quarter}");
        r10_fen.push(found.values().map(|(_, fen)| fen).sum::<i64>());
    }
    // The planted defiants: JN-ORG-000115 (disqualified from 2026Q1), 000166 (banned from
    // 2026Q2), 000161 and 000222 (fraud confirmed on 2026-05-12 and 2026-07-20).
    assert_eq!(r10_fen, [5_163_000, 7_504_200, 3_425_560]);

    let planted: BTreeSet<String> = truth["sanctions"]
        .as_array()
        .unwrap()
        .iter()
        .chain(truth["decisions"].as_array().unwrap().iter().filter(|d| d["finding"] == "fraud_confirmed"))
        .map(|s| s["institution_id"].as_str().unwrap().to_string())
        .collect();
    let stopped: BTreeMap<String, String> = truth["stopped"]
        .as_array()
        .expect("truth.json lists the stopped institutions")
        .iter()
        .map(|s| (s["institution_id"].as_str().unwrap().to_string(), s["from_quarter"].as_str().unwrap().to_string()))
        .collect();
    let ledger = read_parquet(&dir.path().join("demo/2026Q2/sanctions.parquet"));
    let mut banned: BTreeMap<String, String> = BTreeMap::new();
    for row in rows(&ledger, &["institution_id", "from_quarter"]) {
        let (institution, from) = row.split_once(" | ").unwrap();
        if !planted.contains(institution) {
            let first = banned.entry(institution.to_string()).or_insert_with(|| from.to_string());
            *first = (*first).clone().min(from.to_string());
        }
    }
    assert_eq!(banned, stopped, "the engine's bans in 2026Q1 and Q2 against the stopped institutions");
    assert_eq!(stopped.len(), 8);
    // Nothing filed or started by a stopped institution from the first day of its ban.
    let claims = read_parquet(&sample.join("claims.parquet"));
    let classes = read_parquet(&sample.join("classes.parquet"));
    for (table, date) in [(&claims, "submitted_on"), (&classes, "start_date")] {
        for row in rows(table, &["institution_id", date]) {
            let (institution, on) = row.split_once(" | ").unwrap();
            if let Some(from) = stopped.get(institution) {
                let first_day = from.parse::<Quarter>().unwrap().first_day().to_string();
                assert!(on < first_day.as_str(), "{institution} ({date} {on}) is stopped from {from}");
            }
        }
    }
}
