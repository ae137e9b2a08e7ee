//! The rows behind every lead (`lead_evidence.parquet`) and the money in each signal's window
//! (`lead_money.parquet`), checked against the export and the signal values they explain: the
//! rows are exactly those each signal counted, each names a row that exists in the export, the
//! cap is accounted for, and the money equals the export's claims to the fen.

use crate::util::*;
use pretty_assertions::assert_eq;
use std::collections::{BTreeMap, BTreeSet};
use traincredit::sample::{self, SampleOptions};
use traincredit::signals::behind::ROWS_PER_SIGNAL;

/// "1234.5" → 123450 fen.
fn fen(text: &str) -> i64 {
    let negative = text.starts_with('-');
    let (whole, fraction) = text.trim_start_matches('-').split_once('.').unwrap_or((text.trim_start_matches('-'), "0"));
    let value = whole.parse::<i64>().unwrap() * 100 + format!("{fraction:0<2}").parse::<i64>().unwrap();
    if negative { -value } else { value }
}

#[test]
fn the_rows_behind_each_lead_are_those_its_signals_counted_and_exist_in_the_export() {
    let dir = temp_dir();
    let export = dir.path().join("export");
    sample::generate(&SampleOptions::default(), &export).unwrap();
    let output = run(dir.path(), &["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "run", "--demo-key"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let run_dir = dir.path().join("run");

    // Every lead's fired signals have a money row, ranked as in leads.parquet.
    let leads = read_parquet(&run_dir.join("leads.parquet"));
    let rank_of: BTreeMap<String, String> = texts(&leads, "institution_id").into_iter().zip(texts(&leads, "rank")).collect();
    let money = read_parquet(&run_dir.join("lead_money.parquet"));
    let money_rows = rows(&money, &["institution_id", "signal", "fired", "rank", "rows", "rows_written", "rows_left_out", "paid", "pending", "first_day", "last_day"]);
    let counted: BTreeSet<(String, String)> = money_rows.iter().map(|r| {
        let f: Vec<&str> = r.split(" | ").collect();
        (f[0].to_string(), f[1].to_string())
    }).collect();
    assert_eq!(counted.len(), money.height(), "one money row per lead and signal");
    for (id, signals) in texts(&leads, "institution_id").into_iter().zip(texts(&leads, "signals")) {
        for signal in signals.split(", ").filter(|s| !s.is_empty() && *s != "null") {
            assert!(counted.contains(&(id.clone(), signal.to_string())), "{id} {signal} has no money row");
        }
    }

    // The rows written per lead and signal, and what the cap left out.
    let evidence = read_parquet(&run_dir.join("lead_evidence.parquet"));
    let mut written: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (id, signal) in texts(&evidence, "institution_id").into_iter().zip(texts(&evidence, "signal")) {
        *written.entry((id, signal)).or_default() += 1;
    }
    let values = read_parquet(&run_dir.join("signal_values.parquet"));
    let mut counted_by_signal: BTreeMap<(String, String), i64> = BTreeMap::new();
    for r in rows(&values, &["institution_id", "signal", "value", "rows"]) {
        let f: Vec<&str> = r.split(" | ").collect();
        // The signal's value is a share of its rows: value × rows is what it counted.
        counted_by_signal.insert((f[0].to_string(), f[1].to_string()), (f[2].parse::<f64>().unwrap() * f[3].parse::<f64>().unwrap()).round() as i64);
    }
    let claims = read_parquet(&export.join("claims.parquet"));
    let claim_rows = rows(&claims, &["institution_id", "submitted_on", "status", "paid_amount", "amount"]);
    let mut capped = 0;
    let mut exact = BTreeSet::new();
    for r in &money_rows {
        let f: Vec<&str> = r.split(" | ").collect();
        let (id, signal) = (f[0].to_string(), f[1].to_string());
        assert_eq!(f[3], rank_of[&id], "{id}: the lead's rank");
        let (all, kept, left) = (f[4].parse::<usize>().unwrap(), f[5].parse::<usize>().unwrap(), f[6].parse::<usize>().unwrap());
        assert_eq!((kept, left), (all.min(ROWS_PER_SIGNAL), all - all.min(ROWS_PER_SIGNAL)), "{id} {signal}");
        assert_eq!(written.get(&(id.clone(), signal.clone())).copied().unwrap_or(0), kept, "{id} {signal}");
        capped += usize::from(left > 0);
        if ["synchronized_sign_ins", "manual_sign_ins", "bulk_sign_ins", "score_heaping", "short_employment"].contains(&signal.as_str()) {
            assert_eq!(all as i64, counted_by_signal[&(id.clone(), signal.clone())], "{id} {signal}: the rows the signal counted");
            exact.insert(signal.clone());
        }
        // Paid and pending: the export's claims submitted in the window, to the fen.
        let (mut paid, mut pending) = (0, 0);
        for c in &claim_rows {
            let c: Vec<&str> = c.split(" | ").collect();
            if c[0] == id && c[1] >= f[9] && c[1] <= f[10] {
                match c[2] {
                    "paid" => paid += fen(c[3]),
                    "pending" => pending += fen(c[4]),
                    _ => {}
                }
            }
        }
        assert_eq!((fen(f[7]), fen(f[8])), (paid, pending), "{id} {signal}: paid and pending {}–{}", f[9], f[10]);
    }
    assert!(capped > 0, "the sample's burst and hand-written sign-ins exceed the cap");
    for signal in ["synchronized_sign_ins", "manual_sign_ins", "score_heaping", "short_employment"] {
        assert!(exact.contains(signal), "{signal} was not checked: {exact:?}");
    }

    // Every row names a row of the export; persons are pseudonyms.
    let assessments: BTreeSet<String> = texts(&read_parquet(&export.join("assessments.parquet")), "assessment_id").into_iter().collect();
    let lines = read_parquet(&export.join("claim_lines.parquet"));
    let lines: BTreeSet<String> = texts(&lines, "claim_id").into_iter().zip(texts(&lines, "enrollment_id")).map(|(c, e)| format!("{c}/{e}")).collect();
    let enrollments: BTreeSet<String> = texts(&read_parquet(&export.join("enrollments.parquet")), "enrollment_id").into_iter().collect();
    let mut tables = BTreeSet::new();
    for r in rows(&evidence, &["table", "row_key", "enrollment_id", "person_id"]) {
        let f: Vec<&str> = r.split(" | ").collect();
        let known = match f[0] {
            "assessments" => assessments.contains(f[1]),
            "claim_lines" => lines.contains(f[1]),
            "enrollments" => enrollments.contains(f[1]),
            "attendance" => enrollments.contains(f[2]) && f[1].starts_with(&format!("{}@", f[2])),
            _ => true,
        };
        assert!(known, "{r}");
        assert!(f[3] == "null" || (f[3].len() == 64 && f[3].bytes().all(|b| b.is_ascii_hexdigit())), "{r}");
        tables.insert(f[0].to_string());
    }
    assert_eq!(tables.into_iter().collect::<Vec<_>>(), ["assessments", "attendance", "claim_lines", "employment", "enrollments", "indicators", "institutions"]);

    // Each lead's dossier shows its rows: the count per signal and the first rows themselves.
    let first: BTreeMap<String, String> = {
        let mut first = BTreeMap::new();
        for (id, key) in texts(&evidence, "institution_id").into_iter().zip(texts(&evidence, "row_key")) {
            first.entry(id).or_insert(key);
        }
        first
    };
    for (id, key) in &first {
        let html = std::fs::read_to_string(run_dir.join("dossiers").join(format!("{id}.html"))).unwrap();
        assert!(html.contains("信号背后的数据行"), "{id}");
        assert!(html.contains(&key.replace('&', "&amp;")), "{id}: {key}");
    }
}
