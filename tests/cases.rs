//! The case ledger carried between quarters as investigators use it: evaluate Q2, edit its
//! `cases.csv` (close one as confirmed, one as a false positive, assign one), evaluate Q3 with
//! `--previous`: the cases carry, nothing duplicates, a closed case reopens only when its lead
//! escalates; a bad edit stops the run with exit 2, naming the file, row and column.

use crate::util::*;
use pretty_assertions::assert_eq;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use traincredit::cases::scheme_of;
use traincredit::sample::{self, SampleOptions};

/// The sample export in `dir/export`, the shipped policy in `dir/policy` with the risk model's
/// learning switched off, and the 2026Q2 run in `dir/run2`. Without learning, an investigator's
/// resolutions (labels for the model, tested in `signals`) cannot move the leads, so the cases a
/// test picks from one run keep their outcome in the next.
fn export_and_q2(dir: &Path) {
    sample::generate(&SampleOptions::default(), &dir.join("export")).unwrap();
    copy_dir(&root().join("pipelines"), &dir.join("policy"));
    let signals = std::fs::read_to_string(dir.join("policy/signals.toml")).unwrap();
    let (head, tail) = signals.split_once("[learning]").unwrap();
    std::fs::write(dir.join("policy/signals.toml"), format!("{head}[learning]{}", tail.replacen("enabled = true", "enabled = false", 1))).unwrap();
    let output = run(dir, &["evaluate", "--data", "export", "--quarter", "2026Q2", "--out", "run2", "--demo-key", "--policy", "policy"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
}

/// 2026Q3 of the export, with `dir/policy` when [`export_and_q2`] wrote it.
fn q3(dir: &Path, out: &str, previous: Option<&str>) -> Output {
    let mut args = vec!["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", out, "--demo-key"];
    if let Some(previous) = previous {
        args.extend(["--previous", previous]);
    }
    if dir.join("policy").is_dir() {
        args.extend(["--policy", "policy"]);
    }
    run(dir, &args)
}

/// The records of a ledger CSV as written by the engine: BOM, CRLF, quoted fields only where
/// needed. The first twelve columns (up to `note`) are split on commas: the engine's own rows
/// hold none there.
fn ledger_lines(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.starts_with('\u{feff}'), "no byte-order mark: Excel would not read it as UTF-8");
    let text = &text['\u{feff}'.len_utf8()..];
    assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'), "every record ends in CRLF");
    text.split_terminator("\r\n").map(str::to_string).collect()
}

/// A lead of a run: institution → (risk score, signals).
fn leads(run: &Path) -> BTreeMap<String, (f64, Vec<String>)> {
    let frame = read_parquet(&run.join("leads.parquet"));
    let ids = texts(&frame, "institution_id");
    let risks: Vec<f64> = frame.column("risk_score").unwrap().f64().unwrap().iter().map(|r| r.unwrap()).collect();
    let signals = texts(&frame, "signals");
    ids.into_iter()
        .zip(risks)
        .zip(signals)
        .map(|((id, risk), signals)| (id, (risk, signals.split(", ").filter(|s| !s.is_empty()).map(str::to_string).collect())))
        .collect()
}

/// The schemes a lead's signals make (breaches alone: `breaches`).
fn schemes_of(signals: &[String]) -> BTreeMap<String, Vec<String>> {
    let mut schemes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for signal in signals {
        schemes.entry(scheme_of(signal).to_string()).or_default().push(signal.clone());
    }
    if schemes.is_empty() {
        schemes.insert("breaches".into(), Vec::new());
    }
    schemes
}

/// A case row of the ledger parquet: the columns a test compares.
fn case_rows(run: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let frame = read_parquet(&run.join("cases.parquet"));
    let columns = [
        "institution_id", "scheme", "opened_in", "last_seen_in", "status", "assignee", "due_on", "resolution", "resolution_reason", "note",
        "signals", "risk_score",
    ];
    let ids = texts(&frame, "case_id");
    let values: Vec<Vec<String>> = columns.iter().map(|column| texts(&frame, column)).collect();
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ids.len(), "a case appears twice: {ids:?}");
    ids.iter()
        .enumerate()
        .map(|(row, id)| (id.clone(), columns.iter().zip(&values).map(|(column, values)| (column.to_string(), values[row].clone())).collect()))
        .collect()
}

#[test]
fn cases_carry_from_q2_to_q3_with_the_investigators_edits_and_nothing_duplicates() {
    let dir = temp_dir();
    export_and_q2(dir.path());
    let run2 = dir.path().join("run2");
    let q2_cases = case_rows(&run2);
    // Every Q2 lead has one new case per scheme, and nothing else is in the ledger.
    let q2_leads = leads(&run2);
    let expected: BTreeSet<String> =
        q2_leads.iter().flat_map(|(id, (_, signals))| schemes_of(signals).into_keys().map(move |scheme| format!("{id}/{scheme}"))).collect();
    assert_eq!(q2_cases.keys().cloned().collect::<BTreeSet<_>>(), expected);
    assert!(q2_cases.values().all(|case| case["status"] == "new" && case["opened_in"] == "2026Q2"), "{q2_cases:?}");
    let lines = ledger_lines(&run2.join("cases.csv"));
    assert_eq!(
        lines[0],
        "case_id,institution_id,scheme,opened_in,last_seen_in,status,priority,assignee,due_on,resolution,resolution_reason,note,signals,risk_score,rank,paid,pending"
    );
    assert_eq!(lines.len(), q2_cases.len() + 1);

    // The Q3 leads, chained to the unedited Q2 run, to pick cases whose outcome is known (the
    // ledger never changes a lead; checked below).
    let plain = q3(dir.path(), "run3plain", Some("run2"));
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let q3_leads = leads(&dir.path().join("run3plain"));
    let q2_risk = |id: &str| q2_cases[id]["risk_score"].parse::<f64>().unwrap();
    let seen_in = |leads: &BTreeMap<String, (f64, Vec<String>)>, id: &str| -> Option<(f64, Vec<String>)> {
        let case = &q2_cases[id];
        let (risk, signals) = leads.get(&case["institution_id"])?;
        schemes_of(signals).remove(&case["scheme"]).map(|signals| (*risk, signals))
    };
    let seen_in_q3 = |id: &str| seen_in(&q3_leads, id);
    let same_signals = |id: &str, signals: &[String]| signals.join(", ") == q2_cases[id]["signals"];
    let pick = |wanted: &dyn Fn(&str) -> bool, taken: &[&str]| -> String {
        q2_cases.keys().find(|id| !taken.contains(&id.as_str()) && wanted(id)).cloned().expect("the sample holds such a case")
    };
    // Seen again, no higher risk, no new signal: stays closed.
    let confirmed = pick(&|id| seen_in_q3(id).is_some_and(|(risk, signals)| risk <= q2_risk(id) && same_signals(id, &signals)), &[]);
    // Seen again at a higher risk: reopens.
    let false_positive = pick(&|id| seen_in_q3(id).is_some_and(|(risk, signals)| risk > q2_risk(id) && same_signals(id, &signals)), &[&confirmed]);
    // No lead in Q3: stays open as assigned.
    let assigned = pick(&|id| seen_in_q3(id).is_none(), &[&confirmed, &false_positive]);

    // The investigator's edits, as Excel saves them (a date with slashes, a note with a comma,
    // quotes and a line break).
    let edited: Vec<String> = lines
        .iter()
        .map(|line| {
            let mut fields: Vec<String> = line.splitn(13, ',').map(str::to_string).collect();
            let id = fields[0].clone();
            let mut set = |status: &str, assignee: &str, due: &str, resolution: &str, reason: &str, note: &str| {
                fields[5] = status.into();
                fields[7] = assignee.into();
                fields[8] = due.into();
                fields[9] = resolution.into();
                fields[10] = reason.into();
                fields[11] = note.into();
            };
            match id.as_str() {
                id if id == confirmed => set("closed", "李强", "", "confirmed", "查实虚报培训人数", ""),
                id if id == false_positive => set("closed", "", "", "false_positive", "同一家庭共用电话", ""),
                id if id == assigned => set("open", "王芳", "2026/10/15", "", "", "\"约谈法人, 调取\"\"监控\"\"\n第二步\""),
                _ => {}
            }
            fields.join(",")
        })
        .collect();
    std::fs::write(run2.join("cases.csv"), format!("\u{feff}{}\r\n", edited.join("\r\n"))).unwrap();

    let output = q3(dir.path(), "run3", Some("run2"));
    assert_eq!(output.code, 0, "{}", output.stderr);
    let run3 = dir.path().join("run3");
    let q3_cases = case_rows(&run3);
    // The investigators' edits changed no lead (learning is off), but their two resolutions are
    // counted as the model's labels beside the export's decisions.
    let decided = |run: &str| -> serde_json::Value {
        let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join(run).join("summary.json")).unwrap()).unwrap();
        summary["notes"]["risk_model"]["decided_institutions"].clone()
    };
    let (before, after) = (decided("run3plain"), decided("run3"));
    assert_eq!(after["fraud_confirmed"].as_u64().unwrap(), before["fraud_confirmed"].as_u64().unwrap() + 1, "{before} → {after}");
    assert_eq!(after["cleared"].as_u64().unwrap(), before["cleared"].as_u64().unwrap() + 1, "{before} → {after}");
    let plain_leads = q3_leads;
    let q3_leads = leads(&run3);
    assert_eq!(q3_leads, plain_leads);
    let seen_in_q3 = |id: &str| seen_in(&q3_leads, id);

    // Nothing lost, nothing duplicated: the Q2 cases and one new case per new scheme of a Q3 lead.
    let mut expected: BTreeSet<String> = q2_cases.keys().cloned().collect();
    expected.extend(q3_leads.iter().flat_map(|(id, (_, signals))| schemes_of(signals).into_keys().map(move |scheme| format!("{id}/{scheme}"))));
    assert_eq!(q3_cases.keys().cloned().collect::<BTreeSet<_>>(), expected);
    for (id, case) in &q3_cases {
        let expected_opened = if q2_cases.contains_key(id) { "2026Q2" } else { "2026Q3" };
        assert_eq!(case["opened_in"], expected_opened, "{id}");
        let expected_status = if q2_cases.contains_key(id) { case["status"].as_str() } else { "new" };
        assert_eq!(case["status"], expected_status, "{id}");
    }

    let fields = |id: &str, columns: &[&str]| -> Vec<String> { columns.iter().map(|column| q3_cases[id][*column].clone()).collect() };
    let columns = ["last_seen_in", "status", "assignee", "due_on", "resolution", "resolution_reason", "note", "risk_score"];
    assert_eq!(
        fields(&confirmed, &columns),
        ["2026Q3", "closed", "李强", "null", "confirmed", "查实虚报培训人数", "null", q2_cases[&confirmed]["risk_score"].as_str()]
    );
    let (risk, _) = seen_in_q3(&false_positive).unwrap();
    assert_eq!(
        fields(&false_positive, &columns),
        [
            "2026Q3".to_string(),
            "open".into(),
            "null".into(),
            "null".into(),
            "null".into(),
            "null".into(),
            format!("2026Q3 重新打开：风险分 {:.4} → {risk:.4}；此前结案为“误报”（同一家庭共用电话）", q2_risk(&false_positive)),
            risk.to_string(),
        ]
    );
    assert_eq!(
        fields(&assigned, &columns),
        ["2026Q2", "open", "王芳", "2026-10-15", "null", "null", "约谈法人, 调取\"监控\"\n第二步", q2_cases[&assigned]["risk_score"].as_str()]
    );
    // Every case no Q3 lead touched is the same as in Q2 but for `new` becoming `open`.
    for (id, case) in q3_cases.iter().filter(|(id, _)| q2_cases.contains_key(*id) && seen_in_q3(id).is_none() && **id != assigned) {
        let mut before = q2_cases[id].clone();
        before.insert("status".into(), "open".into());
        assert_eq!(case, &before, "{id}");
    }
    // The CSV holds the same rows, the note quoted as RFC 4180 wants.
    let csv = std::fs::read_to_string(run3.join("cases.csv")).unwrap();
    // (A line break inside a cell stays as the spreadsheet wrote it, LF.)
    assert_eq!(csv.matches("\r\n").count(), q3_cases.len() + 1);
    assert!(csv.contains(&format!("\r\n{assigned},")) && csv.contains(",\"约谈法人, 调取\"\"监控\"\"\n第二步\","), "{csv}");

    // The yield counts the resolutions as the ledger holds them after Q3: the confirmed case
    // closed, the false positive reopened (its verdict withdrawn), the new cases opened in Q3.
    let yields = read_parquet(&run3.join("yield.parquet"));
    let sources = texts(&yields, "source");
    let row = |source: &str| -> BTreeMap<String, String> {
        let i = sources.iter().position(|s| s == source).unwrap_or_else(|| panic!("no yield row {source}: {sources:?}"));
        ["leads", "cases_opened", "cases_open", "cases_closed", "confirmed", "cleared", "false_positive", "precision"]
            .iter()
            .map(|column| (column.to_string(), texts(&yields, column)[i].clone()))
            .collect()
    };
    let all = row("all");
    let opened_in_q3 = q3_cases.values().filter(|case| case["opened_in"] == "2026Q3").count();
    let expected: BTreeMap<String, String> = [
        ("leads", q3_leads.len().to_string()),
        ("cases_opened", opened_in_q3.to_string()),
        ("cases_open", (q3_cases.len() - 1).to_string()),
        ("cases_closed", "1".to_string()),
        ("confirmed", "1".to_string()),
        ("cleared", "0".to_string()),
        ("false_positive", "0".to_string()),
        ("precision", "1.0".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(all, expected);
    // The confirmed case counts for each signal that raised it.
    for signal in q3_cases[&confirmed]["signals"].split(", ").filter(|s| !s.is_empty()) {
        assert_eq!(row(signal)["confirmed"], "1", "{signal}");
    }
    assert_eq!(texts(&yields, "quarter").iter().filter(|q| *q == "2026Q3").count(), yields.height());

    // The report's yield table shows the same cells.
    let report = std::fs::read_to_string(run3.join("report.html")).unwrap();
    let start = report.find("<tr data-source=\"all\">").expect("the report has the yield table");
    let row_html = &report[start..start + report[start..].find("</tr>").unwrap()];
    let cells: Vec<String> = row_html.split("<td").skip(1).map(|cell| cell.split('>').nth(1).unwrap().split('<').next().unwrap().to_string()).collect();
    assert_eq!(cells[1..8].to_vec(), ["leads", "cases_opened", "cases_open", "cases_closed", "confirmed", "cleared", "false_positive"].map(|c| all[c].clone()).to_vec());
    assert_eq!(cells[8], "100.0%");

    // Drift: every indicator of Q3 against Q2, institutions without data left out on each side.
    let drift = read_parquet(&run3.join("drift.parquet"));
    assert_eq!(texts(&drift, "indicator"), ["completion_rate", "pass_rate", "employment_rate", "retention_rate", "satisfaction", "compliance"]);
    assert_eq!(texts(&drift, "previous_quarter"), vec!["2026Q2"; 6]);
    let scores = read_parquet(&run3.join("institution_scores.parquet"));
    let with_data = |frame: &polars::prelude::DataFrame, column: &str| (frame.height() - frame.column(column).unwrap().null_count()).to_string();
    assert_eq!(texts(&drift, "institutions")[0], with_data(&scores, "completion_rate"));
    let scores2 = read_parquet(&run2.join("institution_scores.parquet"));
    assert_eq!(texts(&drift, "institutions_before")[2], with_data(&scores2, "employment_rate"));
    let psi: Vec<f64> = drift.column("psi").unwrap().f64().unwrap().iter().map(|v| v.expect("both quarters have data")).collect();
    assert!(psi.iter().all(|v| *v >= 0.0), "{psi:?}");
}

#[test]
fn a_bad_edit_of_the_ledger_stops_the_next_quarter_naming_the_row_and_column() {
    let dir = temp_dir();
    export_and_q2(dir.path());
    let ledger = dir.path().join("run2/cases.csv");
    let original = std::fs::read_to_string(&ledger).unwrap();
    let first_row: Vec<String> = original.split("\r\n").nth(1).unwrap().splitn(13, ',').map(str::to_string).collect();
    let case_id = first_row[0].clone();
    let institution = first_row[1].clone();
    let cases = [
        (5, "done", format!("row 2, column status: unknown status 'done' (expected new, open or closed)")),
        (9, "confirmed", format!("row 2, column resolution: confirmed on a case whose status is new: set the status to closed, or empty the resolution")),
        (9, "fraud", format!("row 2, column resolution: unknown resolution 'fraud' (expected confirmed, cleared, false_positive or empty)")),
        (5, "closed", format!("row 2, column resolution: a closed case needs a resolution (confirmed, cleared or false_positive)")),
        (8, "31/09/2026", format!("row 2, column due_on: '31/09/2026' is not a date (expected YYYY-MM-DD)")),
        (8, "2026-02-30", format!("row 2, column due_on: '2026-02-30' is not a date (expected YYYY-MM-DD)")),
        (1, "JN-ORG-999999", format!("row 2, column institution_id: changed from {institution} to 'JN-ORG-999999'; institution_id is never edited")),
        (0, "JN-ORG-999999/claims", format!("row 2, column case_id: 'JN-ORG-999999/claims' is no case of this ledger; case_id is never edited")),
    ];
    for (column, value, message) in cases {
        let mut fields = first_row.clone();
        fields[column] = value.to_string();
        let text = original.replacen(&first_row.join(","), &fields.join(","), 1);
        std::fs::write(&ledger, text).unwrap();
        let output = q3(dir.path(), "run3", Some("run2"));
        assert_eq!(output.code, 2, "{value}: {}", output.stderr);
        assert_eq!(output.stderr.trim().lines().last().unwrap(), format!("error: case ledger run2/cases.csv: {message}"), "{value}");
        assert!(!dir.path().join("run3").exists(), "nothing is written before the ledger is checked");
    }
    // A deleted row is refused: a case is closed, never deleted.
    let without_first: Vec<&str> = original.split("\r\n").enumerate().filter(|(i, _)| *i != 1).map(|(_, line)| line).collect();
    std::fs::write(&ledger, without_first.join("\r\n")).unwrap();
    let output = q3(dir.path(), "run3", Some("run2"));
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(
        output.stderr.trim().lines().last().unwrap(),
        format!("error: case ledger run2/cases.csv: case {case_id} is missing: a case is closed with a resolution, never deleted from the ledger")
    );
    // Saved as the plain "CSV" of a Chinese Excel (GBK), or with a column dropped from the header.
    let mut gbk = original.clone().into_bytes();
    gbk.extend([0xB2, 0xE2, b'\r', b'\n']);
    std::fs::write(&ledger, gbk).unwrap();
    let output = q3(dir.path(), "run3", Some("run2"));
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(
        output.stderr.trim().lines().last().unwrap(),
        "error: case ledger run2/cases.csv: is not UTF-8 text: save it from Excel or WPS as \"CSV UTF-8\""
    );
    std::fs::write(&ledger, original.replacen(",due_on,", ",due,", 1)).unwrap();
    let output = q3(dir.path(), "run3", Some("run2"));
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(output.stderr.trim().lines().last().unwrap(), "error: case ledger run2/cases.csv: row 1: the column due_on is missing from the header");
    // A row pasted twice.
    let rows = original.trim_end().split("\r\n").count();
    std::fs::write(&ledger, format!("{original}{}\r\n", first_row.join(","))).unwrap();
    let output = q3(dir.path(), "run3", Some("run2"));
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(
        output.stderr.trim().lines().last().unwrap(),
        format!("error: case ledger run2/cases.csv: row {}, column case_id: case {case_id} appears twice (also row 2)", rows + 1)
    );
    // The run's own file back: the chain works.
    std::fs::write(&ledger, &original).unwrap();
    let output = q3(dir.path(), "run3", Some("run2"));
    assert_eq!(output.code, 0, "{}", output.stderr);
}

#[test]
fn an_open_case_holds_a_tier_a_uplift_until_the_investigators_close_it() {
    // The demo's chain: 2026Q1 → 2026Q2 → 2026Q3, so that Q2's ledger holds cases opened in Q1.
    let dir = temp_dir();
    sample::generate(&SampleOptions::default(), &dir.path().join("export")).unwrap();
    for (quarter, out, previous) in [("2026Q1", "run1", None), ("2026Q2", "run2", Some("run1"))] {
        let mut args = vec!["evaluate", "--data", "export", "--quarter", quarter, "--out", out, "--demo-key"];
        args.extend(previous.iter().flat_map(|p| ["--previous", *p]));
        let output = run(dir.path(), &args);
        assert_eq!(output.code, 0, "{}", output.stderr);
    }
    let output = q3(dir.path(), "run3", Some("run2"));
    assert_eq!(output.code, 0, "{}", output.stderr);
    let q2_cases = case_rows(&dir.path().join("run2"));
    let scores = read_parquet(&dir.path().join("run3/institution_scores.parquet"));
    let table = rows(&scores, &["institution_id", "tier", "action", "subsidy_uplift_pct", "uplift_hold", "hold_case", "reasons"]);
    let first_case = |id: &str| q2_cases.iter().find(|(_, case)| case["institution_id"] == id).map(|(case_id, _)| case_id.clone());
    // Every tier-A institution with a case Q2 left open has its uplift held by that case.
    let mut held_by_case = Vec::new();
    for row in &table {
        let fields: Vec<&str> = row.split(" | ").collect();
        if fields[1] != "A" {
            continue;
        }
        match first_case(fields[0]) {
            Some(case_id) => {
                assert_eq!(fields[2], "uplift_held", "{row}");
                assert_eq!(fields[3], "0.0", "{row}");
                assert!(fields[4].split(',').any(|cause| cause == "open_case"), "{row}");
                assert_eq!(fields[5], case_id, "{row}");
                let opened_in = &q2_cases[&case_id]["opened_in"];
                // The reasons are in the run's language (Chinese by default).
                assert!(fields[6].contains(&format!("案件 {case_id} 于 {opened_in} 立案，尚未结案：暂缓上浮补贴，结案后发放")), "{row}");
                if fields[4] == "open_case" {
                    held_by_case.push((fields[0].to_string(), case_id));
                }
            }
            None => assert!(!fields[4].contains("open_case"), "no case, no case hold: {row}"),
        }
    }
    let (institution, case_id) = held_by_case.first().cloned().expect("the sample has a tier-A institution held by its case alone");
    let report = std::fs::read_to_string(dir.path().join("run3/report.html")).unwrap();
    assert!(report.contains(&format!("案件 {case_id} 尚未结案：暂缓上浮补贴，结案后发放")), "the report says why");

    // The investigators close the case as cleared: next time the uplift is paid.
    let path = dir.path().join("run2/cases.csv");
    let lines = ledger_lines(&path);
    let edited: Vec<String> = lines
        .iter()
        .map(|line| {
            let mut fields: Vec<String> = line.splitn(13, ',').map(str::to_string).collect();
            if fields[0] == case_id {
                fields[5] = "closed".into();
                fields[9] = "cleared".into();
                fields[10] = "visited; the register is genuine".into();
            }
            fields.join(",")
        })
        .collect();
    std::fs::write(&path, format!("\u{feff}{}\r\n", edited.join("\r\n"))).unwrap();
    let output = q3(dir.path(), "run3b", Some("run2"));
    assert_eq!(output.code, 0, "{}", output.stderr);
    let scores = read_parquet(&dir.path().join("run3b/institution_scores.parquet"));
    let row = rows(&scores, &["institution_id", "tier", "action", "subsidy_uplift_pct", "uplift_hold"])
        .into_iter()
        .find(|row| row.starts_with(&format!("{institution} |")))
        .unwrap();
    assert_eq!(row, format!("{institution} | A | uplift | 10.0 | null"));
}
