//! Indicators, score, tiers and actions through `evaluate`, chained quarter to quarter: the
//! ban that persists and expires, the C→A guard from a previous run, a confirmed fraud decision,
//! an appeal that removes a deduction, and N for a small cohort.

use crate::util::*;
use pretty_assertions::assert_eq;
use std::path::Path;
use traincredit::ingest::contract::Table;

/// Institution I1 with class K1 (July 2026, level 4, upgrading) of `trainees` fully attended, completed
/// enrollments, `passes` of them passing the exam, one paid training claim line each.
pub fn cohort(trainees: u32, passes: u32) -> Fixture {
    let mut fixture = Fixture::new();
    // An upgrading class: no employment indicator, so later quarters have no data at all.
    fixture.add(Table::Institutions, &[]).add(Table::Classes, &[("category", "upgrading")]);
    for n in 1..=trainees {
        let enrollment = format!("E{n}");
        let person = id_number(&format!("19{:02}-03-04", 80 + n % 20), 2 * n + 1);
        let claim = format!("C{n}");
        fixture
            .add(Table::Enrollments, &[("enrollment_id", enrollment.as_str()), ("person_id", person.as_str())])
            .add(Table::Claims, &[("claim_id", claim.as_str())])
            .add(Table::ClaimLines, &[("claim_id", claim.as_str()), ("enrollment_id", enrollment.as_str())]);
        fixture.attend_fully(enrollment.as_str());
        if n <= passes {
            let assessment = format!("A{n}");
            fixture.add(Table::Assessments, &[("assessment_id", assessment.as_str()), ("person_id", person.as_str())]);
        }
    }
    fixture.observed_through("2026-09-30");
    fixture
}

/// [`cohort`] of 20 with two more paid lines of uncompleted enrollments: breach share
/// 2 ÷ 22 = 9.09% > 5%, so tier D and a new ban Q+1 … Q+4.
pub fn breaching_cohort() -> Fixture {
    let mut fixture = cohort(20, 15);
    for n in [21, 22] {
        let enrollment = format!("E{n}");
        let claim = format!("C{n}");
        let person = id_number("1980-01-01", 2 * n + 1);
        fixture
            .add(Table::Enrollments, &[("enrollment_id", enrollment.as_str()), ("person_id", person.as_str()), ("completed", "false")])
            .add(Table::Claims, &[("claim_id", claim.as_str())])
            .add(Table::ClaimLines, &[("claim_id", claim.as_str()), ("enrollment_id", enrollment.as_str())]);
        fixture.attend_fully(enrollment.as_str());
    }
    fixture
}

pub fn evaluate(dir: &Path, export: &str, quarter: &str, out: &str, previous: Option<&str>) {
    evaluate_with(dir, export, quarter, out, previous, &[]);
}

/// As [`evaluate`], for a quarter the export does not cover (no claims in it): `--allow-incomplete`.
pub fn evaluate_incomplete(dir: &Path, export: &str, quarter: &str, out: &str, previous: Option<&str>) {
    evaluate_with(dir, export, quarter, out, previous, &["--allow-incomplete"]);
}

fn evaluate_with(dir: &Path, export: &str, quarter: &str, out: &str, previous: Option<&str>, extra: &[&str]) {
    let mut args = vec!["evaluate", "--data", export, "--quarter", quarter, "--out", out, "--demo-key"];
    if let Some(previous) = previous {
        args.extend(["--previous", previous]);
    }
    args.extend(extra);
    let output = run(dir, &args);
    assert_eq!(output.code, 0, "{}", output.stderr);
}

fn scores(dir: &Path, run: &str, columns: &[&str]) -> Vec<String> {
    rows(&joined_lists(read_parquet(&dir.join(run).join("institution_scores.parquet"))), columns)
}

/// `frame` with each `list[str]` column (`tier_rule_args`) as its items joined by commas.
pub fn joined_lists(frame: polars::prelude::DataFrame) -> polars::prelude::DataFrame {
    use polars::prelude::*;
    let lists: Vec<Expr> = frame
        .columns()
        .iter()
        .filter(|c| matches!(c.dtype(), DataType::List(_)))
        .map(|c| col(c.name().clone()).list().join(lit(","), true))
        .collect();
    frame.lazy().with_columns(lists).collect().unwrap()
}

#[test]
fn a_rated_institution_gets_its_score_tier_and_reasons() {
    let dir = temp_dir();
    cohort(20, 15).write(&dir.path().join("export"));
    evaluate(dir.path(), "export", "2026Q3", "run", None);
    // completion 100% → 100, pass 75% → 70, compliance 100% → 100; employment, retention and
    // satisfaction have no data: (15×100 + 25×70 + 15×100) ÷ 55 = 86.36.
    assert_eq!(
        scores(dir.path(), "run", &["institution_id", "completion_rate", "pass_rate", "employment_rate", "compliance", "score", "tier", "action", "subsidy_uplift_pct"]),
        vec!["I1 | 1.0 | 0.75 | null | 1.0 | 86.36 | A | uplift | 10.0"]
    );
    // The reasons are in the run's language (Chinese by default), the rule kept as a code.
    assert_eq!(
        scores(dir.path(), "run", &["reasons"]),
        vec!["结业率 100.0%（下限 60.0%，目标 95.0%）→ 100 分；取证率 75.0%（下限 40.0%，目标 90.0%）→ 70 分；合规率 100.0%（下限 90.0%，目标 100.0%）→ 100 分；等级 A：得分 86.36 ≥ 85.00，无违规明细，上季度等级允许评 A"]
    );
    assert_eq!(scores(dir.path(), "run", &["tier_rule", "tier_rule_args"]), vec!["tier.a.score | 86.36,85.00"]);
    evaluate_with(dir.path(), "export", "2026Q3", "english", None, &["--lang", "en"]);
    assert_eq!(
        scores(dir.path(), "english", &["reasons"]),
        vec!["completion rate 100.0% (floor 60.0%, target 95.0%) → 100 points; pass rate 75.0% (floor 40.0%, target 90.0%) → 70 points; compliance 100.0% (floor 90.0%, target 100.0%) → 100 points; tier A: score 86.36 ≥ 85.00, no breach line, previous tier allows A"]
    );
    assert_eq!(scores(dir.path(), "english", &["tier_rule", "tier_rule_args"]), vec!["tier.a.score | 86.36,85.00"]);
}

#[test]
fn no_jump_to_a_from_a_previous_c() {
    let dir = temp_dir();
    cohort(20, 15).write(&dir.path().join("export"));
    evaluate(dir.path(), "export", "2026Q3", "first", None);
    // Make the first run say C, as a bureau's earlier quarter would.
    let path = dir.path().join("first/institution_scores.parquet");
    let mut frame = read_parquet(&path);
    frame.with_column(polars::prelude::Column::new("tier".into(), vec!["C"])).unwrap();
    frame.with_column(polars::prelude::Column::new("quarter".into(), vec!["2026Q2"])).unwrap();
    write_parquet(&mut frame, &path);
    let summary = dir.path().join("first/summary.json");
    let text = std::fs::read_to_string(&summary).unwrap().replace("\"quarter\": \"2026Q3\"", "\"quarter\": \"2026Q2\"");
    std::fs::write(&summary, text).unwrap();
    evaluate(dir.path(), "export", "2026Q3", "second", Some("first"));
    assert_eq!(scores(dir.path(), "second", &["score", "tier", "previous_tier", "action"]), vec!["86.36 | B | C | standard"]);
}

#[test]
fn a_small_cohort_is_not_rated() {
    let dir = temp_dir();
    cohort(19, 19).write(&dir.path().join("export"));
    evaluate(dir.path(), "export", "2026Q3", "run", None);
    assert_eq!(
        scores(dir.path(), "run", &["score", "tier", "action", "tier_rule", "tier_rule_args", "reasons"]),
        vec!["null | N | none | tier.n.few_completed | 19,20,2025Q4,2026Q3 | 结业率 100.0%（下限 60.0%，目标 95.0%）→ 100 分；取证率 100.0%（下限 40.0%，目标 90.0%）→ 100 分；合规率 100.0%（下限 90.0%，目标 100.0%）→ 100 分；等级 N：2025Q4–2026Q3 结束的培训班结业人数 19 人，少于 20 人：不评级"]
    );
}

#[test]
fn a_ban_persists_for_four_quarters_then_expires() {
    let dir = temp_dir();
    breaching_cohort().write(&dir.path().join("export"));
    evaluate(dir.path(), "export", "2026Q3", "q3", None);
    assert_eq!(scores(dir.path(), "q3", &["tier", "action", "banned_until"]), vec!["D | ban | 2027Q3"]);
    let ledger = read_parquet(&dir.path().join("q3/sanctions.parquet"));
    assert_eq!(
        rows(&ledger, &["institution_id", "kind", "from_quarter", "until_quarter", "reason_code", "reason"]),
        vec!["I1 | ban | 2026Q4 | 2027Q3 | rules.ledger.tier_d | 2026Q3 信用评级为 D 级（不达标）：2026Q4–2027Q3 禁止承接政府补贴培训项目"]
    );
    // Next quarter: the ban is in force, no new ban starts.
    // The export holds no claims after 2026Q3: the later quarters are evaluated for the ledger.
    evaluate_incomplete(dir.path(), "export", "2026Q4", "q4", Some("q3"));
    assert_eq!(scores(dir.path(), "q4", &["tier", "action", "banned_until", "tier_rule"]), vec!["D | ban | 2027Q3 | tier.d.ban_in_force"]);
    assert_eq!(scores(dir.path(), "q4", &["tier_rule_args"]), vec!["2026Q4,2027Q3"]);
    assert_eq!(read_parquet(&dir.path().join("q4/sanctions.parquet")).height(), 1);
    // Its last quarter, then the first quarter after it.
    evaluate_incomplete(dir.path(), "export", "2027Q3", "last", Some("q4"));
    assert_eq!(scores(dir.path(), "last", &["tier", "banned_until"]), vec!["D | 2027Q3"]);
    evaluate_incomplete(dir.path(), "export", "2027Q4", "after", Some("last"));
    assert_eq!(scores(dir.path(), "after", &["tier", "banned_until", "previous_tier"]), vec!["N | null | D"]);
}

#[test]
fn a_ban_extending_one_in_force_is_a_decision_of_its_own_with_its_reason_in_the_runs_language() {
    let dir = temp_dir();
    let mut fixture = breaching_cohort();
    fixture.add(Table::Sanctions, &[("from_quarter", "2026Q1"), ("until_quarter", "2026Q4"), ("reason", "局里的处罚决定")]);
    fixture.write(&dir.path().join("export"));
    evaluate(dir.path(), "export", "2026Q3", "q3", None);
    evaluate_with(dir.path(), "export", "2026Q3", "q3en", None, &["--lang", "en"]);
    // The bureau's ban 2026Q1–2026Q4 and the engine's new one 2026Q4–2027Q3: two decisions, each
    // with its own row (publication/ publishes the new one as a penalty of this quarter).
    let columns = ["institution_id", "kind", "from_quarter", "until_quarter", "reason_code", "reason"];
    assert_eq!(
        rows(&read_parquet(&dir.path().join("q3/sanctions.parquet")), &columns),
        vec![
            "I1 | ban | 2026Q1 | 2026Q4 | text | 局里的处罚决定",
            "I1 | ban | 2026Q4 | 2027Q3 | rules.ledger.tier_d | 2026Q3 信用评级为 D 级（不达标）：2026Q4–2027Q3 禁止承接政府补贴培训项目",
        ]
    );
    assert_eq!(
        rows(&read_parquet(&dir.path().join("q3en/sanctions.parquet")), &["reason"]),
        vec!["局里的处罚决定", "tier D in 2026Q3: banned from government training projects 2026Q4–2027Q3"]
    );
    let ledger = read_parquet(&dir.path().join("q3/sanctions.parquet"));
    let args = ledger.column("reason_args").unwrap().list().unwrap().get_as_series(1).unwrap();
    let args: Vec<&str> = args.str().unwrap().iter().map(|v| v.unwrap()).collect();
    assert_eq!(args, ["2026Q3", "2026Q4", "2027Q3"]);
    let penalties = std::fs::read_to_string(dir.path().join("q3/publication/administrative_penalties.csv")).unwrap();
    assert_eq!(penalties.lines().count(), 2, "the new ban is published: {penalties}");
    // The next quarter reads the ledger back with its codes, rendered in that run's language
    // (English here, though the previous run wrote Chinese).
    evaluate_with(dir.path(), "export", "2026Q4", "q4", Some("q3"), &["--allow-incomplete", "--lang", "en"]);
    assert_eq!(
        rows(&read_parquet(&dir.path().join("q4/sanctions.parquet")), &["from_quarter", "until_quarter", "reason"]),
        vec!["2026Q1 | 2026Q4 | 局里的处罚决定", "2026Q4 | 2027Q3 | tier D in 2026Q3: banned from government training projects 2026Q4–2027Q3"]
    );
}

#[test]
fn a_confirmed_fraud_disqualifies_and_recovers() {
    let dir = temp_dir();
    let mut fixture = cohort(20, 15);
    fixture.add(Table::CaseDecisions, &[("decided_on", "2026-08-15"), ("finding", "fraud_confirmed"), ("amount_defrauded", "5000.00")]);
    fixture.write(&dir.path().join("export"));
    evaluate(dir.path(), "export", "2026Q3", "run", None);
    assert_eq!(scores(dir.path(), "run", &["tier", "action", "tier_rule"]), vec!["X | disqualify | tier.x.decision"]);
    assert!(scores(dir.path(), "run", &["reasons"])[0].ends_with("等级 X：2026-08-15 调查处理决定认定骗取补贴资金：取消培训资格（得分 86.36）"), "{:?}", scores(dir.path(), "run", &["reasons"]));
    let recoveries = read_parquet(&dir.path().join("run/recoveries.parquet"));
    assert_eq!(rows(&recoveries, &["claim_id", "enrollment_id", "institution_id", "rules", "amount"]), vec!["null | null | I1 | DECISION | 5000.00"]);
    let ledger = read_parquet(&dir.path().join("run/sanctions.parquet"));
    assert_eq!(
        rows(&ledger, &["kind", "from_quarter", "until_quarter", "reason"]),
        vec!["disqualified | 2026Q3 | null | 2026Q3 信用评级为 X 级：自 2026Q3 起取消培训资格"]
    );
    let flags = read_parquet(&dir.path().join("run/flags.parquet"));
    let decision: Vec<String> = rows(&flags, &["flag_id", "amount_at_risk", "evidence"]).into_iter().filter(|r| r.starts_with("DECISION:")).collect();
    assert_eq!(decision, vec!["DECISION:I1@2026-08-15 | 5000.00 | 2026-08-15 认定骗取补贴资金，认定骗取金额 5000.00 元"]);

    // Without a stated amount: every paid line of the last four quarters, at its paid share.
    let dir = temp_dir();
    let mut fixture = cohort(20, 15);
    fixture.add(Table::CaseDecisions, &[("decided_on", "2026-08-15"), ("finding", "fraud_confirmed")]);
    fixture.write(&dir.path().join("export"));
    evaluate(dir.path(), "export", "2026Q3", "run", None);
    let recoveries = read_parquet(&dir.path().join("run/recoveries.parquet"));
    assert_eq!(recoveries.height(), 20);
    assert_eq!(rows(&recoveries, &["claim_id", "rules", "amount"])[0], "C1 | DECISION | 1000.00");
}

#[test]
fn an_overturned_appeal_removes_the_deduction() {
    let dir = temp_dir();
    let mut fixture = cohort(20, 15);
    // A line of a not-completed enrollment (R05, R06) costs 2 points and rules out tier A.
    fixture.add(Table::Enrollments, &[("enrollment_id", "E21"), ("completed", "false"), ("person_id", id_number("1977-07-07", 43).as_str())]);
    fixture.add(Table::ClaimLines, &[("claim_id", "C20"), ("enrollment_id", "E21")]);
    fixture.write(&dir.path().join("export"));
    evaluate(dir.path(), "export", "2026Q3", "before", None);
    // Compliance 20 ÷ 21 → 52.38 points; (15×100 + 25×70 + 15×52.38) ÷ 55 − 3 = 70.38: B.
    assert_eq!(scores(dir.path(), "before", &["breach_lines", "deductions", "score", "tier"]), vec!["1 | 3.0 | 70.38 | B"]);
    let mut appealed = fixture.clone();
    appealed.add(Table::Appeals, &[("rule", "R05"), ("entity_id", "C20/E21"), ("decided_on", "2026-09-01")]);
    appealed.add(Table::Appeals, &[("rule", "R06"), ("entity_id", "C20/E21"), ("decided_on", "2026-09-01")]);
    appealed.write(&dir.path().join("export2"));
    evaluate(dir.path(), "export2", "2026Q3", "after", None);
    // The P04 finding of C20 (two lines, headcount 1) is not appealed: −1.
    assert_eq!(scores(dir.path(), "after", &["breach_lines", "deductions", "score", "tier"]), vec!["0 | 1.0 | 85.36 | A"]);
    let recoveries = read_parquet(&dir.path().join("after/recoveries.parquet"));
    assert_eq!(recoveries.height(), 0);
}

#[test]
fn a_second_run_writes_identical_tables() {
    let dir = temp_dir();
    cohort(20, 15).write(&dir.path().join("export"));
    evaluate(dir.path(), "export", "2026Q3", "one", None);
    evaluate(dir.path(), "export", "2026Q3", "two", None);
    for table in [
        "institution_scores.parquet",
        "sanctions.parquet",
        "flags.parquet",
        "recoveries.parquet",
        "holds.parquet",
        "rejects.parquet",
        "publication/credit_evaluation.csv",
        "publication/administrative_penalties.csv",
        "publication/dishonesty_list_candidates.csv",
        "publication/calendar.csv",
    ] {
        let one = std::fs::read(dir.path().join("one").join(table)).unwrap();
        let two = std::fs::read(dir.path().join("two").join(table)).unwrap();
        assert!(one == two, "{table} differs");
    }
}

fn indicator_values(fixture: &Fixture, quarter: &str) -> [Option<f64>; 6] {
    let dir = temp_dir();
    fixture.write(dir.path());
    let export = traincredit::ingest::ingest(dir.path(), &traincredit::person::Pseudonymiser::new(b"a test key of some length")).unwrap();
    let policy = traincredit::policy::Policy::defaults().unwrap();
    let quarter = quarter.parse().unwrap();
    let findings = traincredit::rules::evaluate(&export, &policy, quarter, &Default::default()).unwrap();
    traincredit::rating::IndicatorTable::compute(&export, &policy, quarter, &findings.lines_in_scope).unwrap().values("I1")
}

#[test]
fn a_pass_counts_until_90_days_after_the_class_ends() {
    // K1 ends 2026-07-10: 2026-10-08 is day 90 after it, 2026-10-09 day 91.
    let mut fixture = cohort(2, 0);
    let person1 = id_number("1981-03-04", 3);
    let person2 = id_number("1982-03-04", 5);
    fixture
        .add(Table::Assessments, &[("assessment_id", "A1"), ("person_id", person1.as_str()), ("exam_date", "2026-10-08")])
        .add(Table::Assessments, &[("assessment_id", "A2"), ("person_id", person2.as_str()), ("exam_date", "2026-10-09")])
        .observed_through("2026-12-31");
    assert_eq!(indicator_values(&fixture, "2026Q4")[1], Some(0.5));
}

#[test]
fn employment_counts_the_six_months_after_the_end_month_and_retention_six_of_twelve() {
    // Class K1 (employment category) ends in July 2026; evaluated in 2027Q1 (employment window
    // Q−5 … Q−2 = 2025Q4 … 2026Q3) and 2027Q3 (retention window Q−7 … Q−4 = 2025Q4 … 2026Q3).
    let mut fixture = Fixture::new();
    fixture.add(Table::Institutions, &[]).add(Table::Classes, &[]);
    let months: [&[&str]; 4] = [
        &["2026-07-01"],                                                             // end month only: not employed
        &["2027-01-01"],                                                             // 6th month after: employed
        &["2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01", "2026-12-01", "2027-07-01"], // 6 of 12: retained
        &["2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01", "2026-12-01", "2027-08-01"], // 13th month: 5 of 12
    ];
    for (n, worked) in months.iter().enumerate() {
        let enrollment = format!("E{n}");
        let person = id_number("1985-05-05", 2 * n as u32 + 1);
        fixture.add(Table::Enrollments, &[("enrollment_id", enrollment.as_str()), ("person_id", person.as_str())]);
        for month in worked.iter() {
            fixture.add(Table::Employment, &[("person_id", person.as_str()), ("month", month)]);
        }
    }
    // A contribution of 0.00 is no employment; a missing one is.
    let person = id_number("1986-06-06", 21);
    fixture
        .add(Table::Enrollments, &[("enrollment_id", "E8"), ("person_id", person.as_str())])
        .add(Table::Employment, &[("person_id", person.as_str()), ("month", "2026-08-01"), ("contribution", "0.00")]);
    let person = id_number("1987-07-07", 23);
    fixture
        .add(Table::Enrollments, &[("enrollment_id", "E9"), ("person_id", person.as_str())])
        .add(Table::Employment, &[("person_id", person.as_str()), ("month", "2026-08-01"), ("contribution", "null")]);
    // The export observes employment through September 2027, the end of 2027Q3's windows.
    fixture.observed_through("2027-09-30");
    // Employed: E1, E2, E3, E9 of 6.
    assert_eq!(indicator_values(&fixture, "2027Q1")[2], Some(4.0 / 6.0));
    // Retained (6+ months in the 12 after July 2026) of those employed: E2 only of E1, E2, E3, E9.
    assert_eq!(indicator_values(&fixture, "2027Q3")[3], Some(0.25));
}

#[test]
fn explain_takes_a_rating_apart() {
    let dir = temp_dir();
    let mut fixture = cohort(20, 15);
    fixture.add(Table::Enrollments, &[("enrollment_id", "E21"), ("completed", "false"), ("person_id", id_number("1977-07-07", 43).as_str())]);
    fixture.add(Table::ClaimLines, &[("claim_id", "C20"), ("enrollment_id", "E21")]);
    fixture.write(&dir.path().join("export"));
    evaluate(dir.path(), "export", "2026Q3", "run", None);
    let output = run(dir.path(), &["explain", "--run", "run", "--institution", "I1"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert_eq!(
        output.stdout,
        "I1 济南示例职业培训学校（民办培训机构，历下区）2026Q3
等级 B 良好（上季度 —），处理：按标准补贴
原因：得分 70.38，在 70.00–84.99 之间；扣 3 分（违规明细 1 条，程序问题 1 项）

指标（同类机构 1 家，类型：民办培训机构）：
  结业率：95.2%，同类中位数 95.2%，权重 15，得 100.00 分
  取证率：75.0%，同类中位数 75.0%，权重 25，得 70.00 分
  就业率：无数据，同类中位数 无数据，权重 25，不计入（其余权重重新归一）
  稳定就业率：无数据，同类中位数 无数据，权重 10，不计入（其余权重重新归一）
  满意度：无数据，同类中位数 无数据，权重 10，不计入（其余权重重新归一）
  合规率：95.2%，同类中位数 95.2%，权重 15，得 52.38 分
加权得分 73.38，扣 3 分，得分 70.38

发现（按规则）：
  P04 申领合计不符：1 条，涉险金额 0.00 元，如 P04:C20
  R05 未结业：1 条，涉险金额 1,000.00 元，如 R05:C20/E21
  R06 出勤不足：1 条，涉险金额 1,000.00 元，如 R06:C20/E21

资金：应追回 1,000.00 元（1 条），应暂缓拨付 0.00 元（0 条）
调查线索：第 1 名（共 1 条），风险分 0.190（0–1）；信号：—
线索档案：run/dossiers/I1.html
"
    );
    let output = run(dir.path(), &["explain", "--run", "run", "--institution", "I1", "--lang", "en"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert_eq!(
        output.stdout,
        "I1 济南示例职业培训学校 (private training, 历下区) in 2026Q3
tier B good (previous —), action: standard
why: score 70.38 in 70.00–84.99; −3 points (1 breach line(s), 1 procedural finding(s))

indicators (peers: 1 institutions of kind private training):
  completion rate: 95.2%, peer median 95.2%, weight 15, 100.00 points
  pass rate: 75.0%, peer median 75.0%, weight 25, 70.00 points
  employment rate: no data, peer median no data, weight 25, left out (the other weights renormalised)
  retention rate: no data, peer median no data, weight 10, left out (the other weights renormalised)
  satisfaction: no data, peer median no data, weight 10, left out (the other weights renormalised)
  compliance: 95.2%, peer median 95.2%, weight 15, 52.38 points
weighted points 73.38, deductions −3, score 70.38

findings by rule:
  P04 claim totals: 1, at stake ¥0.00, e.g. P04:C20
  R05 not completed: 1, at stake ¥1,000.00, e.g. R05:C20/E21
  R06 attendance shortfall: 1, at stake ¥1,000.00, e.g. R06:C20/E21

money: to recover ¥1,000.00 (1 lines), to hold ¥0.00 (0 lines)
lead: rank 1 of 1, risk score 0.190 (0–1); signals: —
lead dossier: run/dossiers/I1.html
"
    );
    let missing = run(dir.path(), &["explain", "--run", "run", "--institution", "I9"]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("institution I9 is not in"), "{}", missing.stderr);
    let language = run(dir.path(), &["explain", "--run", "run", "--institution", "I1", "--lang", "fr"]);
    assert_eq!(language.code, 2, "{}", language.stderr);
    assert!(language.stderr.contains("unknown language 'fr' (expected zh or en)"), "{}", language.stderr);
}

/// Many findings of one rule are one line with their count and sum, not one line each.
#[test]
fn explain_groups_many_findings_of_a_rule_into_one_line() {
    let dir = temp_dir();
    let mut fixture = cohort(20, 15);
    for n in 21..=30 {
        let enrollment = format!("E{n}");
        fixture.add(Table::Enrollments, &[("enrollment_id", enrollment.as_str()), ("completed", "false"), ("person_id", id_number("1977-07-07", 2 * n + 1).as_str())]);
        fixture.add(Table::ClaimLines, &[("claim_id", "C20"), ("enrollment_id", enrollment.as_str())]);
    }
    fixture.write(&dir.path().join("export"));
    evaluate(dir.path(), "export", "2026Q3", "run", None);
    let output = run(dir.path(), &["explain", "--run", "run", "--institution", "I1"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let r05: Vec<&str> = output.stdout.lines().filter(|l| l.contains("R05")).collect();
    assert_eq!(r05, vec!["  R05 未结业：10 条，涉险金额 10,000.00 元，如 R05:C20/E21"]);
}

/// Rates `fixture` for 2026Q3 with the shipped policy, as if the signal stage had found `leads`
/// (institution → its standing among the leads): the tier, action, uplift, lead rank and risk
/// columns of `institution_scores.parquet`, and its reasons in English.
fn rated_with_leads(fixture: &Fixture, leads: &[(&str, traincredit::rating::score::LeadStanding)]) -> (Vec<String>, Vec<String>) {
    use traincredit::features::indicators::IndicatorTable;
    use traincredit::person::Pseudonymiser;
    use traincredit::policy::Policy;
    let dir = temp_dir();
    fixture.write(dir.path());
    let export = traincredit::ingest::ingest(dir.path(), &Pseudonymiser::new(Pseudonymiser::DEMO_KEY.as_bytes())).unwrap();
    let policy = Policy::defaults().unwrap();
    let quarter: traincredit::Quarter = "2026Q3".parse().unwrap();
    let findings = traincredit::rules::evaluate(&export, &policy, quarter, &Default::default()).unwrap();
    let indicators = IndicatorTable::compute(&export, &policy, quarter, &findings.lines_in_scope).unwrap();
    let leads = leads.iter().map(|(id, standing)| (id.to_string(), *standing)).collect();
    let ratings = traincredit::rating::rate(&export, &policy, quarter, &findings, &indicators, &findings.standing, &Default::default(), &leads, &Default::default()).unwrap();
    let table = traincredit::rating::scores_table(&ratings, quarter, traincredit::vocab::Lang::En).unwrap();
    (
        rows(&table, &["institution_id", "score", "tier", "action", "subsidy_uplift_pct", "lead_rank", "risk_score"]),
        rows(&table, &["reasons"]),
    )
}

#[test]
fn a_tier_a_lead_at_the_hold_score_keeps_a_but_its_uplift_is_held() {
    use traincredit::rating::score::LeadStanding;
    // The shipped hold score is 0.3 (tiers.toml); the high-priority cut-off 0.9.
    let held = LeadStanding { risk_score: 0.3, high_priority: false, rank: Some(2) };
    let (table, reasons) = rated_with_leads(&cohort(20, 15), &[("I1", held)]);
    assert_eq!(table, vec!["I1 | 86.36 | A | uplift_held | 0.0 | 2 | 0.3"]);
    assert!(
        reasons[0].ends_with("tier A: score 86.36 ≥ 85.00, no breach line, previous tier allows A; uplift held pending review: lead #2 with risk score 0.300 ≥ 0.3"),
        "{}",
        reasons[0]
    );
    // Just below the hold score: the uplift is paid; the lead's rank and risk still show.
    let below = LeadStanding { risk_score: 0.299999, high_priority: false, rank: Some(7) };
    assert_eq!(rated_with_leads(&cohort(20, 15), &[("I1", below)]).0, vec!["I1 | 86.36 | A | uplift | 10.0 | 7 | 0.299999"]);
    // A high-priority lead is tier C (watch) before A is considered: nothing to hold.
    let high = LeadStanding { risk_score: 0.93, high_priority: true, rank: Some(1) };
    assert_eq!(rated_with_leads(&cohort(20, 15), &[("I1", high)]).0, vec!["I1 | 86.36 | C | watch | 0.0 | 1 | 0.93"]);
    // No lead at all: the uplift as before, no rank.
    assert_eq!(rated_with_leads(&cohort(20, 15), &[]).0, vec!["I1 | 86.36 | A | uplift | 10.0 | null | null"]);
}

#[test]
fn a_cleared_decision_in_the_leads_window_releases_the_held_uplift() {
    use traincredit::rating::score::LeadStanding;
    let held = LeadStanding { risk_score: 0.7, high_priority: false, rank: Some(1) };
    let mut cleared = cohort(20, 15);
    cleared.add(Table::CaseDecisions, &[("decided_on", "2026-08-01"), ("finding", "cleared")]);
    let (table, reasons) = rated_with_leads(&cleared, &[("I1", held)]);
    assert_eq!(table, vec!["I1 | 86.36 | A | uplift | 10.0 | 1 | 0.7"]);
    assert!(reasons[0].ends_with("; uplift paid: the lead (risk score 0.700) was cleared by the decision of 2026-08-01"), "{}", reasons[0]);
    // Cleared before Q−3 (2025Q4 onwards for 2026Q3): the lead rests on newer data, still held.
    let mut old = cohort(20, 15);
    old.add(Table::CaseDecisions, &[("decided_on", "2025-09-30"), ("finding", "cleared")]);
    assert_eq!(rated_with_leads(&old, &[("I1", held)]).0, vec!["I1 | 86.36 | A | uplift_held | 0.0 | 1 | 0.7"]);
}

#[test]
fn an_unrated_institution_with_a_high_priority_lead_is_watched() {
    use traincredit::rating::score::LeadStanding;
    let high = LeadStanding { risk_score: 0.95, high_priority: true, rank: Some(1) };
    let (table, reasons) = rated_with_leads(&cohort(19, 19), &[("I1", high)]);
    assert_eq!(table, vec!["I1 | null | N | watch | 0.0 | 1 | 0.95"]);
    assert!(reasons[0].ends_with("; a high-priority investigation lead: watch"), "{}", reasons[0]);
    // Below the cut-off it stays `none`, whatever the hold score.
    let lower = LeadStanding { risk_score: 0.6, high_priority: false, rank: Some(3) };
    assert_eq!(rated_with_leads(&cohort(19, 19), &[("I1", lower)]).0, vec!["I1 | null | N | none | 0.0 | 3 | 0.6"]);
}
