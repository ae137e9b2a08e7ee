//! `publication/` through `evaluate`: the four CSV files in their default layout, 万元 exact to
//! the fen, a province's mapping file that renames and reorders columns, the calendar carried
//! over chained quarters until a repair ends it, and credit codes as data-quality findings.

use crate::rating::{breaching_cohort, cohort, evaluate, evaluate_incomplete};
use crate::util::*;
use pretty_assertions::assert_eq;
use std::path::Path;
use traincredit::ingest::contract::Table;

const CODE: &str = "91350100M000100Y43";

/// The lines of a published file: its BOM checked and removed, split at CRLF.
fn csv_lines(dir: &Path, run: &str, file: &str) -> Vec<String> {
    let bytes = std::fs::read(dir.join(run).join("publication").join(file)).unwrap();
    assert_eq!(&bytes[..3], b"\xef\xbb\xbf", "{file} starts with a BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.ends_with("\r\n"), "{file} ends with CRLF");
    text.trim_end_matches("\r\n").split("\r\n").map(str::to_string).collect()
}

fn summary(dir: &Path, run: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join(run).join("summary.json")).unwrap()).unwrap()
}

/// An institution with a valid code and a confirmed fraud of 12,345.67 yuan: tier X.
fn defrauding() -> Fixture {
    let mut fixture = cohort(20, 15);
    fixture.clear(Table::Institutions).add(Table::Institutions, &[("credit_code", CODE), ("legal_rep", "370102198001010011")]);
    fixture.add(Table::CaseDecisions, &[("decided_on", "2026-08-15"), ("finding", "fraud_confirmed"), ("amount_defrauded", "12345.67")]);
    fixture
}

#[test]
fn a_disqualification_is_published_in_the_default_layout() {
    let dir = temp_dir();
    defrauding().write(&dir.path().join("export"));
    evaluate(dir.path(), "export", "2026Q3", "run", None);
    let policy_hash = summary(dir.path(), "run")["policy_hash"].as_str().unwrap().to_string();
    assert_eq!(
        csv_lines(dir.path(), "run", "credit_evaluation.csv"),
        vec![
            "机构名称,统一社会信用代码,信用等级,等级名称,评价得分,评价期间,评价日期,有效期至,评价机关,评价标准版本,申诉状态".to_string(),
            format!("济南示例职业培训学校,{CODE},X,取消资格,86.36,2026Q3,2026-09-30,2026-12-31,济南市人力资源和社会保障局,{policy_hash},申诉期至 2026-10-30"),
        ]
    );
    let penalties = csv_lines(dir.path(), "run", "administrative_penalties.csv");
    assert_eq!(penalties[0], "行政相对人名称,统一社会信用代码,法定代表人（假名化）,行政处罚决定书文号,违法行为类型,违法事实,处罚依据,处罚类别,处罚内容,追回金额（万元）,处罚决定日期,处罚期限,公示截止期,处罚机关,数据来源单位");
    assert_eq!(penalties.len(), 2);
    let fields: Vec<&str> = penalties[1].split(',').collect();
    // The raw ID number of the legal representative never leaves ingest: a 64-hex pseudonym.
    assert_eq!((fields[0], fields[1], fields[3]), ("济南示例职业培训学校", CODE, ""));
    assert!(fields[2].len() == 64 && fields[2].chars().all(|c| c.is_ascii_hexdigit()), "{}", fields[2]);
    assert_eq!(
        &fields[4..],
        &[
            "骗取职业技能培训补贴资金",
            "经调查认定骗取职业技能培训补贴（2026-08-15 决定，认定金额 12345.67 元）；2026Q3 信用评价为 X 级（取消资格）",
            "《济南市关于推行终身职业技能培训制度的实施意见》第二十一条",
            "其他-取消补贴性培训承训资格",
            "取消政府补贴性职业技能培训承训资格，追回违规补贴资金",
            // 12,345.67 yuan = 1,234,567 fen = 1.234567 万元.
            "1.234567",
            "2026-09-30",
            "2026Q3起，无期限",
            "2029-09-29",
            "济南市人力资源和社会保障局",
            "济南市人力资源和社会保障局",
        ]
    );
    assert_eq!(
        csv_lines(dir.path(), "run", "dishonesty_list_candidates.csv")[1..],
        [format!(
            "济南示例职业培训学校,{CODE},{},2026-08-15,12345.67,1.234567,fraud_confirmed 决定认定骗取金额 12345.67 元 ≥ 10000.00 元；仅为候选，须经人工审核决定",
            fields[2]
        )]
    );
    assert_eq!(
        csv_lines(dir.path(), "run", "calendar.csv"),
        vec![
            "机构编号,机构名称,统一社会信用代码,处罚种类,起始季度,截止季度,失信等级,决定日期,公示起始日,公示截止日,最早可修复日,修复日期,本季公示状态,本季仍应公示".to_string(),
            format!("I1,济南示例职业培训学校,{CODE},disqualified,2026Q3,,严重,2026-09-30,2026-09-30,2029-09-29,2027-09-30,,to_publish,true"),
        ]
    );
    // No trainee in any published file: no enrollment, person or phone.
    for file in ["credit_evaluation.csv", "administrative_penalties.csv", "dishonesty_list_candidates.csv", "calendar.csv"] {
        let text = csv_lines(dir.path(), "run", file).join("\n");
        for trainee in ["E1", "13800000000", "370102198001010011"] {
            assert!(!text.contains(trainee), "{file} holds {trainee}");
        }
    }
    let report = std::fs::read_to_string(dir.path().join("run/report.html")).unwrap();
    assert!(report.contains("<tr data-status=\"to_publish\">"), "report lists the record to publish");
}

#[test]
fn a_fraud_below_the_threshold_is_no_candidate() {
    let dir = temp_dir();
    let mut fixture = cohort(20, 15);
    fixture.add(Table::CaseDecisions, &[("decided_on", "2026-08-15"), ("finding", "fraud_confirmed"), ("amount_defrauded", "9999.99")]);
    fixture.write(&dir.path().join("export"));
    evaluate(dir.path(), "export", "2026Q3", "run", None);
    assert_eq!(csv_lines(dir.path(), "run", "dishonesty_list_candidates.csv").len(), 1);
    assert_eq!(csv_lines(dir.path(), "run", "administrative_penalties.csv").len(), 2);
}

#[test]
fn a_province_mapping_renames_and_reorders_columns() {
    let dir = temp_dir();
    defrauding().write(&dir.path().join("export"));
    let policy = dir.path().join("province");
    traincredit::policy::write_defaults(&policy).unwrap();
    let path = policy.join("publication.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("[files.credit_evaluation]").unwrap();
    let end = text.find("# publication/administrative_penalties.csv").unwrap();
    let mapped = "[files.credit_evaluation]\ncolumns = [\n    { field = \"credit_code\", header = \"TYSHXYDM\" },\n    { field = \"tier\", header = \"XYDJ\" },\n    { field = \"name\", header = \"XDR_MC\" },\n    { field = \"institution_id\", header = \"JGBH\" },\n]\n\n";
    std::fs::write(&path, format!("{}{mapped}{}", &text[..start], &text[end..])).unwrap();
    let output = run(dir.path(), &["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "run", "--demo-key", "--policy", "province"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert_eq!(
        csv_lines(dir.path(), "run", "credit_evaluation.csv"),
        vec!["TYSHXYDM,XYDJ,XDR_MC,JGBH".to_string(), format!("{CODE},X,济南示例职业培训学校,I1")]
    );

    // A field the engine does not know is a policy error naming it (exit 4), before any data is read.
    std::fs::write(&path, std::fs::read_to_string(&path).unwrap().replace("field = \"tier\"", "field = \"grade\"")).unwrap();
    let output = run(dir.path(), &["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "bad", "--demo-key", "--policy", "province"]);
    assert_eq!(output.code, 4, "{}", output.stderr);
    assert!(
        output.stderr.contains("publication.toml: files.credit_evaluation: unknown field 'grade' (known: institution_id, name, credit_code, tier,"),
        "{}",
        output.stderr
    );
}

#[test]
fn the_calendar_is_carried_over_chained_quarters_until_a_repair() {
    let dir = temp_dir();
    breaching_cohort().write(&dir.path().join("export"));
    evaluate(dir.path(), "export", "2026Q3", "q3", None);
    let calendar = |run: &str| csv_lines(dir.path(), run, "calendar.csv")[1..].to_vec();
    assert_eq!(calendar("q3"), vec!["I1,济南示例职业培训学校,,ban,2026Q4,2027Q3,一般,2026-09-30,2026-09-30,2027-09-29,2026-12-30,,to_publish,true"]);
    let penalties = csv_lines(dir.path(), "q3", "administrative_penalties.csv");
    assert_eq!(penalties.len(), 2);
    assert!(penalties[1].contains(",2026Q4至2027Q3,2027-09-29,"), "{}", penalties[1]);

    // The bureau dated its decision 2026-10-09: the ledger carries that day into the next quarter.
    let ledger_path = dir.path().join("q3/sanctions.parquet");
    let mut ledger = read_parquet(&ledger_path);
    assert_eq!(rows(&ledger, &["kind", "decided_on", "repaired_on", "class", "publication_status"]), vec!["ban | 2026-09-30 | null | 一般 | to_publish"]);
    let decided = typed_column("decided_on", traincredit::ingest::contract::Logical::Date, &[Some("2026-10-09".to_string())]);
    ledger.with_column(decided).unwrap();
    write_parquet(&mut ledger, &ledger_path);
    evaluate_incomplete(dir.path(), "export", "2026Q4", "q4", Some("q3"));
    // Decided inside 2026Q4 now: published from that day.
    assert_eq!(calendar("q4"), vec!["I1,济南示例职业培训学校,,ban,2026Q4,2027Q3,一般,2026-10-09,2026-10-09,2027-10-08,2027-01-09,,to_publish,true"]);
    // No new ban in 2026Q4: nothing to publish as a penalty.
    assert_eq!(csv_lines(dir.path(), "q4", "administrative_penalties.csv").len(), 1);

    // A repair recorded in the bureau's sanctions table (its quarter written in its own way) ends
    // publication in its quarter.
    let mut repaired = breaching_cohort();
    repaired.add(
        Table::Sanctions,
        &[("from_quarter", "2026q4"), ("until_quarter", "2027Q3"), ("reason", "tier D in 2026Q3"), ("repaired_on", "2027-02-01")],
    );
    repaired.write(&dir.path().join("export2"));
    evaluate_incomplete(dir.path(), "export2", "2027Q1", "q1", Some("q4"));
    assert_eq!(calendar("q1"), vec!["I1,济南示例职业培训学校,,ban,2026Q4,2027Q3,一般,2026-10-09,2026-10-09,2027-10-08,2027-01-09,2027-02-01,repaired,false"]);
    let report = std::fs::read_to_string(dir.path().join("q1/report.html")).unwrap();
    assert!(report.contains("<tr data-status=\"repaired\">"), "report lists the repair");
    assert_eq!(
        summary(dir.path(), "q1")["notes"]["publication"],
        serde_json::json!({
            "rows": {"administrative_penalties.csv": 0, "calendar.csv": 1, "credit_evaluation.csv": 1, "dishonesty_list_candidates.csv": 0},
            "statuses": {"repaired": 1},
        })
    );
    // The repair stays in the ledger: the next quarter sees it ended, with no input sanction.
    evaluate_incomplete(dir.path(), "export", "2027Q2", "q2", Some("q1"));
    assert_eq!(calendar("q2"), vec!["I1,济南示例职业培训学校,,ban,2026Q4,2027Q3,一般,2026-10-09,2026-10-09,2027-10-08,2027-01-09,2027-02-01,ended,false"]);
    let report = std::fs::read_to_string(dir.path().join("q2/report.html")).unwrap();
    assert!(report.contains("本季度没有需要新公示、撤下或因信用修复而结束公示的记录。"));
}

#[test]
fn credit_codes_are_data_quality_findings_not_rejects() {
    let dir = temp_dir();
    let mut fixture = cohort(20, 15);
    fixture
        .clear(Table::Institutions)
        .add(Table::Institutions, &[("credit_code", "91350100M000100Y44")])
        .add(Table::Institutions, &[("institution_id", "I2"), ("credit_code", CODE)])
        .add(Table::Institutions, &[("institution_id", "I3")]);
    // Employer ids: the default (a code whose check character should be 'E'), a valid code, and
    // a hashed one (not a code's shape: not judged).
    let person = id_number("1981-03-04", 3);
    fixture.add(Table::Employment, &[("person_id", person.as_str())]);
    fixture.add(Table::Employment, &[("person_id", person.as_str()), ("employer_id", CODE)]);
    fixture.add(Table::Employment, &[("person_id", person.as_str()), ("employer_id", "a".repeat(64).as_str())]);
    fixture.write(&dir.path().join("export"));
    evaluate(dir.path(), "export", "2026Q3", "run", None);
    let codes = &summary(dir.path(), "run")["notes"]["credit_codes"];
    assert_eq!(
        codes,
        &serde_json::json!({
            "column_present": true,
            "institutions": 3,
            "institutions_valid": 1,
            "institution_findings": [
                {"institution_id": "I1", "problem": "check_character", "expected": "3", "found": "4", "message": "check character '4', expected '3'"},
                {"institution_id": "I3", "problem": "missing", "message": "no credit code"},
            ],
            "employers": {"distinct": 3, "in_code_shape": 2, "valid": 1, "invalid_check_character": 1},
        })
    );
    let institutions_read = &summary(dir.path(), "run")["inputs"][0];
    assert_eq!((institutions_read["rows_read"].as_u64(), institutions_read["rows_rejected"].as_u64()), (Some(3), Some(0)));
    let report = std::fs::read_to_string(dir.path().join("run/report.html")).unwrap();
    assert!(report.contains("校验位为“4”，应为“3”"), "the report lists the wrong check character");

    let output = run(dir.path(), &["check", "--data", "export"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(
        output.stdout.contains("\ncredit codes: 1 of 3 institutions valid\n  I1: check character '4', expected '3'\n  I3: no credit code\n  employer ids: 3 distinct, 2 in a credit code's shape, 1 of them with a wrong check character\n"),
        "{}",
        output.stdout
    );

    // A run folder from before the calendar: the report says so rather than "nothing to publish".
    let ledger = dir.path().join("run/sanctions.parquet");
    let mut frame = read_parquet(&ledger).drop("publication_status").unwrap();
    write_parquet(&mut frame, &ledger);
    let output = run(dir.path(), &["report", "--run", "run"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let report = std::fs::read_to_string(dir.path().join("run/report.html")).unwrap();
    assert!(report.contains("本次运行的 sanctions.parquet 没有公示日历。"), "the report says the calendar is missing");

    // An export from before the column existed: read, every institution found without a code.
    let path = dir.path().join("export/institutions.parquet");
    let mut frame = read_parquet(&path).drop("credit_code").unwrap();
    write_parquet(&mut frame, &path);
    evaluate(dir.path(), "export", "2026Q3", "old", None);
    let codes = &summary(dir.path(), "old")["notes"]["credit_codes"];
    assert_eq!((codes["column_present"].as_bool(), codes["institutions_valid"].as_u64()), (Some(false), Some(0)));
    assert_eq!(codes["institution_findings"].as_array().unwrap().len(), 3);
    let report = std::fs::read_to_string(dir.path().join("old/report.html")).unwrap();
    assert!(report.contains("（导出的机构表没有 credit_code 列）"), "the report says the column is absent");
    assert!(!report.contains("credit-codes-table"), "and lists no institution one by one");
}
