//! Lead dossiers as an investigator opens them: one page per lead, offline under the report's
//! strict CSP, the money behind the lead equal to the tables to the fen, every finding of the
//! institution listed (up to the cap, the rest counted), the network naming the linked rows.

use crate::util::*;
use pretty_assertions::assert_eq;
use std::collections::BTreeMap;
use traincredit::report::dossiers::{FINDING_ROWS, NETWORK_NODES};
use traincredit::sample::{self, SampleOptions};

/// Money as the dossier prints it in Chinese: "1,234.50 元".
fn yuan_zh(fen: i64) -> String {
    let text = format!("{}.{:02}", fen / 100, (fen % 100).abs());
    let (whole, fraction) = text.split_once('.').unwrap();
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{grouped}.{fraction} 元")
}

/// Per institution: the sum of a money column of a table.
fn sums(frame: &polars::prelude::DataFrame, column: &str) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for (id, amount) in texts(frame, "institution_id").into_iter().zip(texts(frame, column)) {
        let (whole, fraction) = amount.split_once('.').unwrap_or((&amount, "0"));
        let fen = whole.parse::<i64>().unwrap() * 100 + format!("{fraction:0<2}").parse::<i64>().unwrap();
        *out.entry(id).or_insert(0) += fen;
    }
    out
}

#[test]
fn every_lead_has_a_dossier_with_its_money_findings_and_network() {
    let dir = temp_dir();
    sample::generate(&SampleOptions::default(), &dir.path().join("export")).unwrap();
    let output = run(dir.path(), &["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "run", "--demo-key"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let run_dir = dir.path().join("run");
    let leads = read_parquet(&run_dir.join("leads.parquet"));
    let mut lead_ids = texts(&leads, "institution_id");
    lead_ids.sort();
    let mut files: Vec<String> = std::fs::read_dir(run_dir.join("dossiers")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert_eq!(files, lead_ids.iter().map(|id| format!("{id}.html")).collect::<Vec<_>>());

    let flags = read_parquet(&run_dir.join("flags.parquet"));
    let recoveries = sums(&read_parquet(&run_dir.join("recoveries.parquet")), "amount");
    let holds = sums(&read_parquet(&run_dir.join("holds.parquet")), "amount");
    let flag_ids = texts(&flags, "flag_id");
    let flag_institutions = texts(&flags, "institution_id");
    let (kinds, entities) = (texts(&flags, "kind"), texts(&flags, "entity_id"));
    let mut checked_network = false;
    let mut checked_money = false;
    for id in &lead_ids {
        let html = std::fs::read_to_string(run_dir.join("dossiers").join(format!("{id}.html"))).unwrap();
        assert!(html.contains("http-equiv=\"Content-Security-Policy\"") && !html.contains("<script"), "{id}");
        // Every finding of the institution is listed, up to the cap.
        let own: Vec<usize> = (0..flags.height()).filter(|&i| &flag_institutions[i] == id).collect();
        for &i in own.iter().take(FINDING_ROWS) {
            assert!(html.contains(&format!("<td>{}</td>", flag_ids[i])), "{id}: flag {} missing", flag_ids[i]);
        }
        if own.len() > FINDING_ROWS {
            assert!(html.contains(&format!("另有 {} 条未列出", own.len() - FINDING_ROWS)), "{id}");
        }
        // The money behind the lead equals the tables.
        let recover = recoveries.get(id).copied().unwrap_or(0);
        let hold = holds.get(id).copied().unwrap_or(0);
        assert!(html.contains(&format!("<tr><th>应追回</th><td class=\"num\">{}</td></tr>", yuan_zh(recover))), "{id}: to recover {recover}");
        assert!(html.contains(&format!("<tr><th>应暂扣</th><td class=\"num\">{}</td></tr>", yuan_zh(hold))), "{id}: to hold {hold}");
        checked_money |= recover > 0 || hold > 0;
        // The network names the rows of its signals' flags (up to its cap).
        let linked: Vec<&String> = own.iter().filter(|&&i| kinds[i] == "signal" && &entities[i] != id).map(|&i| &entities[i]).collect();
        if !linked.is_empty() {
            for entity in linked.iter().take(NETWORK_NODES) {
                assert!(html.contains(&format!(">{entity}</text>")), "{id}: {entity} not drawn");
            }
            checked_network = true;
        }
    }
    assert!(checked_network, "the sample has a lead with linked rows (a ring)");
    assert!(checked_money, "the sample has a lead with money to recover or hold");

    // The English report writes English dossiers beside the Chinese ones, never over them.
    let output = run(dir.path(), &["report", "--run", "run", "--lang", "en"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let first = &lead_ids[0];
    let english = std::fs::read_to_string(run_dir.join("dossiers").join(format!("{first}.en.html"))).unwrap();
    assert!(english.contains("<h2>Money behind the lead</h2>") && english.contains("<html lang=\"en\">"));
    assert!(std::fs::read_to_string(run_dir.join("dossiers").join(format!("{first}.html"))).unwrap().contains("<h2>线索背后的资金</h2>"));
}
