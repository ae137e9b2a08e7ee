//! What people act on after a run: what `evaluate` prints (both languages, no stage logs without
//! `-v`), the spreadsheets (CSV with a byte-order mark, the workbook), the A4 print layout of the
//! report in a real browser.

use crate::util::*;
use pretty_assertions::assert_eq;
use std::io::Read;
use std::path::Path;
use traincredit::ingest::contract::Table;

/// The clean fixture plus E2, not completed and never signed in (R05, R06): its paid line of
/// 1,234.56 yuan is to be recovered in full.
fn one_recovery(dir: &Path) {
    let mut fixture = Fixture::clean();
    let person = id_number("1970-03-03", 9);
    fixture
        .clear(Table::Classes)
        .add(Table::Classes, &[("subsidy_per_head", "2000.00"), ("capacity", "30")])
        .clear(Table::Claims)
        .add(Table::Claims, &[("headcount", "2"), ("amount", "2234.56"), ("paid_amount", "2234.56")])
        .add(Table::Enrollments, &[("enrollment_id", "E2"), ("completed", "false"), ("person_id", person.as_str())])
        .add(Table::ClaimLines, &[("enrollment_id", "E2"), ("amount", "1234.56")])
        .observed_through("2026-09-30");
    fixture.write(&dir.join("export"));
}

/// Runs the binary without `TRAINCREDIT_LOG`: the log level is the command line's own.
fn run_plain(dir: &Path, args: &[&str]) -> Output {
    run_with_log(dir, args, None)
}

#[test]
fn evaluate_prints_tiers_movements_money_and_where_to_look_in_both_languages() {
    let dir = temp_dir();
    one_recovery(dir.path());
    let zh = run_plain(dir.path(), &["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "run", "--demo-key"]);
    assert_eq!(zh.code, 0, "{}", zh.stderr);
    assert_eq!(
        zh.stdout,
        concat!(
        "导出数据覆盖范围：\n",
        "  补贴申领 (claims)，按 submitted_on：2026-07-20 … 2026-07-20\n",
        "  签到记录 (attendance)，按 check_in：2026-07-01 … 2026-07-05\n",
        "  社保缴费 (employment)，按 month：2026-09-01 … 2026-09-01\n",
        "  技能评价 (assessments)，按 exam_date：2026-09-30 … 2026-09-30\n",
        "  满意度调查 (surveys)，按 answered_on：未提供\n",
        "无数据：就业率本季度没有可用数据，为空值，不计入得分（原因见 summary.json）\n",
        "无数据：稳定就业率本季度没有可用数据，为空值，不计入得分（原因见 summary.json）\n",
        "无数据：满意度本季度没有可用数据，为空值，不计入得分（原因见 summary.json）\n",
        "运行结果已写入 run\n",
        "2026Q3 各信用等级机构数：\n",
        "  A     0 家  优秀\n",
        "  B     0 家  良好\n",
        "  C     0 家  合格\n",
        "  D     1 家  不达标\n",
        "  X     0 家  取消资格\n",
        "  N     0 家  未评级\n",
        "较上季度的等级变动：\n",
        "  新参评 → D  1 家\n",
        "资金：申领 2,234.56 元；涉险 1,234.56 元；应追回 1,234.56 元；应暂扣 0.00 元\n",
        "报告：run/report.html\n",
        "电子表格：run/traincredit.xlsx（CSV 文件在 run/csv）\n",
        "查看一家机构的评级依据：traincredit explain --run run --institution I1\n",
    )
    );
    // Without -v: the demo key's warning, no stage line.
    assert_eq!(zh.stderr.lines().filter(|l| l.contains("INFO")).count(), 0, "{}", zh.stderr);
    assert!(zh.stderr.contains("WARN using the public demo key: pseudonyms are not secret (synthetic data only)"), "{}", zh.stderr);

    let en = run_plain(dir.path(), &["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "run-en", "--demo-key", "--lang", "en"]);
    assert_eq!(en.code, 0, "{}", en.stderr);
    assert_eq!(
        en.stdout,
        concat!(
        "coverage:\n",
        "  claims (submitted_on): 2026-07-20 … 2026-07-20\n",
        "  attendance (check_in): 2026-07-01 … 2026-07-05\n",
        "  employment (month): 2026-09-01 … 2026-09-01\n",
        "  assessments (exam_date): 2026-09-30 … 2026-09-30\n",
        "  surveys (answered_on): absent\n",
        "no data: employment_rate (no institution has data in its window (classes ending 2025Q2 … 2026Q1)): null, left out of the score\n",
        "no data: retention_rate (no institution has data in its window (classes ending 2024Q4 … 2025Q3)): null, left out of the score\n",
        "no data: satisfaction (table surveys is absent): null, left out of the score\n",
        "run written to run-en\n",
        "2026Q3: institutions per tier\n",
        "  A     0  excellent\n",
        "  B     0  good\n",
        "  C     0  adequate\n",
        "  D     1  below standard\n",
        "  X     0  disqualified\n",
        "  N     0  not rated\n",
        "movements since the previous quarter:\n",
        "  new → D  1\n",
        "money: claimed ¥2,234.56; at stake ¥1,234.56; to recover ¥1,234.56; to hold ¥0.00\n",
        "report: run-en/report.en.html\n",
        "spreadsheets: run-en/traincredit.xlsx (CSV files in run-en/csv)\n",
        "why an institution got its tier: traincredit explain --run run-en --institution I1\n",
    )
    );
    // The Chinese report is in every run; the English one beside it (outputs.md).
    let zh_report = std::fs::read_to_string(dir.path().join("run-en/report.html")).unwrap();
    assert!(zh_report.contains("<html lang=\"zh-CN\""), "{}", &zh_report[..200]);
    assert!(dir.path().join("run-en/report.en.html").is_file());

    let verbose = run_plain(dir.path(), &["-v", "evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "run", "--demo-key"]);
    assert_eq!(verbose.code, 0, "{}", verbose.stderr);
    assert!(verbose.stderr.contains("INFO done stage=\"reading and validating the export\" rows="), "{}", verbose.stderr);
    assert_eq!(verbose.stdout, zh.stdout);
}

fn zip_text(path: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    archive.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}")).read_to_string(&mut text).unwrap();
    text
}

#[test]
fn every_run_writes_csv_and_a_workbook_of_the_tables_people_act_on() {
    let dir = temp_dir();
    one_recovery(dir.path());
    let output = run(dir.path(), &["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "run", "--demo-key"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let run_folder = dir.path().join("run");
    let csv = std::fs::read(run_folder.join("csv/recoveries.csv")).unwrap();
    assert_eq!(&csv[..3], b"\xEF\xBB\xBF", "no byte-order mark");
    assert_eq!(String::from_utf8(csv[3..].to_vec()).unwrap(), "claim_id,enrollment_id,institution_id,rules,amount\r\nC1,E2,I1,\"R05,R06\",1234.56\r\n");
    // One row per finding, money as the decimal's text (the evidence is the run's text).
    let flags = std::fs::read_to_string(run_folder.join("csv/flags.csv")).unwrap();
    let lines: Vec<&str> = flags.split("\r\n").collect();
    assert_eq!(lines[0], "\u{feff}flag_id,kind,rule,severity,institution_id,entity_kind,entity_id,amount_at_risk,evidence,overturned,evidence_code,evidence_note_code,quarter");
    assert_eq!(lines.len(), 4, "{flags}");
    assert!(lines[1].starts_with("R05:C1/E2,breach,R05,medium,I1,claim_line,C1/E2,1234.56,") && lines[1].ends_with(",2026Q3"), "{flags}");
    assert!(lines[2].starts_with("R06:C1/E2,breach,R06,medium,I1,claim_line,C1/E2,1234.56,"), "{flags}");
    assert_eq!(lines[3], "");
    let scores = std::fs::read_to_string(run_folder.join("csv/institution_scores.csv")).unwrap();
    assert!(scores.starts_with("\u{feff}institution_id,"), "{scores}");
    for name in ["holds", "leads"] {
        let text = std::fs::read_to_string(run_folder.join(format!("csv/{name}.csv"))).unwrap();
        assert!(text.starts_with('\u{feff}') && text.ends_with("\r\n"), "{name}: {text}");
    }

    // The leads' texts in the CSV are the table's, in the run's language.
    let output = run(dir.path(), &["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "run_en", "--demo-key", "--lang", "en"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let leads = read_parquet(&dir.path().join("run_en/leads.parquet"));
    let contributions = texts(&leads, "contributions");
    assert!(!contributions.is_empty() && contributions[0].is_ascii(), "{contributions:?}");
    let csv = std::fs::read_to_string(dir.path().join("run_en/csv/leads.csv")).unwrap();
    assert!(csv.contains(&contributions[0]), "{csv}");

    let book = run_folder.join("traincredit.xlsx");
    let workbook = zip_text(&book, "xl/workbook.xml");
    let sheets: Vec<&str> = workbook.split("<sheet name=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    assert_eq!(sheets, ["institution_scores", "recoveries", "holds", "flags", "leads"]);
    let recoveries = zip_text(&book, "xl/worksheets/sheet2.xml");
    assert!(recoveries.contains("state=\"frozen\""), "{recoveries}");
    assert!(recoveries.contains("<v>1234.56</v>"), "{recoveries}");

    // The marker lists the new files: a second run to the same folder replaces them.
    let marker: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(run_folder.join(".traincredit-run")).unwrap()).unwrap();
    let entries: Vec<&str> = marker["entries"].as_array().unwrap().iter().map(|e| e.as_str().unwrap()).collect();
    assert!(entries.contains(&"csv") && entries.contains(&"traincredit.xlsx"), "{entries:?}");
    let first = std::fs::read(&book).unwrap();
    let again = run(dir.path(), &["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "run", "--demo-key"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(first == std::fs::read(&book).unwrap(), "the workbook differs between two runs of the same export");
}

#[test]
fn the_report_prints_on_a4_with_the_overview_on_page_one() {
    let Some(chromium) = crate::report::chromium() else { return };
    let dir = temp_dir();
    one_recovery(dir.path());
    let output = run(dir.path(), &["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "run", "--demo-key"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let pdf = dir.path().join("report.pdf");
    let profile = dir.path().join("profile");
    let page = dir.path().join("run/report.html").canonicalize().unwrap();
    let printed = std::process::Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-pdf-header-footer"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(printed.status.success(), "{}", String::from_utf8_lossy(&printed.stderr));
    let bytes = std::fs::read(&pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    // Every page is A4 (210 × 297 mm in points), none Letter (612 × 792).
    let boxes: Vec<&str> = text.match_indices("/MediaBox [").map(|(at, _)| &text[at..at + text[at..].find(']').unwrap() + 1]).collect();
    assert!(!boxes.is_empty());
    assert!(boxes.iter().all(|b| *b == "/MediaBox [0 0 594.95996 841.91998]"), "{boxes:?}");
    // The overview is followed by a page break: the report has at least two pages.
    let pages = text.matches("/Type /Page\n").count();
    assert!(pages >= 2, "{pages} page(s)");
    let css = traincredit::report::style::css();
    for rule in ["@page { size: A4;", "thead { display: table-header-group; }", "nav.toc { display: none; }", "section#glance { break-after: page; }"] {
        assert!(css.contains(rule), "{rule}");
    }
}
