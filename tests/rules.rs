//! R01–R12 and P01–P04 on small hand-made exports, at their boundaries, with exact money.
//! Each test starts from `Fixture::clean()` (one institution, class K1 of 40 planned hours in
//! July 2026, enrollment E1 with full attendance, a paid training claim C1 of one 1000.00 line)
//! and adds only what the case is about.

use crate::util::*;
use pretty_assertions::assert_eq;
use std::collections::HashMap;
use std::path::Path;
use traincredit::ingest::{self, contract::Table};
use traincredit::person::Pseudonymiser;
use traincredit::policy::Policy;
use traincredit::rules::{self, Findings};
use traincredit::vocab::Lang;

fn evaluate_with(fixture: &Fixture, policy: &Policy, quarter: &str) -> Findings {
    let dir = temp_dir();
    fixture.write(dir.path());
    let export = ingest::ingest(dir.path(), &Pseudonymiser::new(b"a test key of some length")).unwrap();
    rules::evaluate(&export, policy, quarter.parse().unwrap(), &HashMap::new()).unwrap()
}

fn evaluate(fixture: &Fixture) -> Findings {
    evaluate_with(fixture, &Policy::defaults().unwrap(), "2026Q3")
}

/// "rule | line | part in fen" of every breach flag.
fn breaches(findings: &Findings) -> Vec<String> {
    rows(&findings.line_flags, &["rule", "line_id", "part_fen"])
}

/// The evidence of rule `rule`'s flags, rendered in English from its code and arguments.
fn evidence(findings: &Findings, rule: &str) -> Vec<String> {
    evidence_in(findings, rule, Lang::En)
}

fn evidence_in(findings: &Findings, rule: &str, lang: Lang) -> Vec<String> {
    let flags = traincredit::report::texts::render(findings.line_flags.clone(), "evidence", lang).unwrap();
    texts(&flags, "rule").iter().zip(texts(&flags, "evidence")).filter(|(r, _)| *r == rule).map(|(_, e)| e).collect()
}

fn money(frame: &polars::prelude::DataFrame) -> Vec<String> {
    rows(frame, &["claim_id", "enrollment_id", "institution_id", "rules", "amount_fen"])
}

/// A second enrollment E`n` of a person born on `birth` in class K1, fully attended.
fn add_trainee(fixture: &mut Fixture, n: u32, birth: &str) -> String {
    let enrollment = format!("E{n}");
    let person = id_number(birth, n * 2 + 1);
    fixture.add(Table::Enrollments, &[("enrollment_id", enrollment.as_str()), ("person_id", person.as_str())]);
    fixture.attend_fully(enrollment.as_str());
    enrollment
}

#[test]
fn a_clean_export_breaks_no_rule() {
    let findings = evaluate(&Fixture::clean());
    assert_eq!(breaches(&findings), Vec::<String>::new());
    assert_eq!(findings.procedural.height(), 0);
    assert_eq!(findings.recoveries.height(), 0);
}

#[test]
fn r04_ages_16_and_60_pass_15_and_61_do_not() {
    let mut fixture = Fixture::clean();
    // Enrolled on 2026-06-25.
    for (n, birth) in [(2, "2010-06-25"), (3, "2010-06-26"), (4, "1966-06-25"), (5, "1965-06-25"), (6, "1965-06-26")] {
        let enrollment = add_trainee(&mut fixture, n, birth);
        let claim = format!("C{n}");
        fixture.add(Table::Claims, &[("claim_id", claim.as_str())]).add(Table::ClaimLines, &[("claim_id", claim.as_str()), ("enrollment_id", enrollment.as_str())]);
    }
    let findings = evaluate(&fixture);
    assert_eq!(breaches(&findings), vec!["R04 | C3/E3 | 100000", "R04 | C5/E5 | 100000"]);
    assert_eq!(evidence(&findings, "R04"), vec!["age 15 on enrolled_on 2026-06-25 (allowed 16–60)", "age 61 on enrolled_on 2026-06-25 (allowed 16–60)"]);
    assert_eq!(
        evidence_in(&findings, "R04", Lang::Zh),
        vec!["报名日 2026-06-25 时年龄 15 岁（允许 16–60 岁）", "报名日 2026-06-25 时年龄 61 岁（允许 16–60 岁）"]
    );
    // The table keeps the code and the arguments in the message's order, not the sentence.
    assert_eq!(rows(&findings.line_flags, &["evidence_code"]), vec!["rules.r04.age"; 2]);
    let lists = findings.line_flags.column("evidence_args").unwrap().list().unwrap().clone();
    let args: Vec<String> = (0..lists.len())
        .map(|i| lists.get_as_series(i).unwrap().str().unwrap().iter().map(|v| v.unwrap().to_string()).collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(args, vec!["15,2026-06-25,16,60", "61,2026-06-25,16,60"]);
}

#[test]
fn r06_exactly_80_percent_is_enough_one_second_less_is_not() {
    let mut fixture = Fixture::new();
    fixture
        .add(Table::Institutions, &[])
        .add(Table::Classes, &[])
        .add(Table::Enrollments, &[("person_id", id_number("1990-01-01", 1).as_str())])
        .add(Table::Enrollments, &[("enrollment_id", "E2"), ("person_id", id_number("1990-01-02", 3).as_str())])
        .add(Table::Enrollments, &[("enrollment_id", "E3"), ("person_id", id_number("1990-01-03", 5).as_str())])
        .add(Table::Claims, &[("headcount", "3"), ("amount", "3000.00"), ("paid_amount", "3000.00")]);
    for enrollment in ["E1", "E2", "E3"] {
        fixture.add(Table::ClaimLines, &[("enrollment_id", enrollment)]);
    }
    // 32 h of 40 h = 80% exactly: four days of 8 h.
    for day in 1..=4 {
        let (check_in, check_out) = (format!("2026-07-{day:02} 08:00:00"), format!("2026-07-{day:02} 16:00:00"));
        fixture.add(Table::Attendance, &[("enrollment_id", "E1"), ("check_in", check_in.as_str()), ("check_out", check_out.as_str())]);
        let check_out_short = if day == 4 { format!("2026-07-{day:02} 15:59:59") } else { check_out.clone() };
        fixture.add(Table::Attendance, &[("enrollment_id", "E2"), ("check_in", check_in.as_str()), ("check_out", check_out_short.as_str())]);
        // E3: the fourth day has no check_out, and a sign-in outside the class dates does not count.
        let check_out_missing = if day == 4 { "null".to_string() } else { check_out.clone() };
        fixture.add(Table::Attendance, &[("enrollment_id", "E3"), ("check_in", check_in.as_str()), ("check_out", check_out_missing.as_str())]);
    }
    fixture.add(Table::Attendance, &[("enrollment_id", "E3"), ("check_in", "2026-07-11 08:00:00"), ("check_out", "2026-07-11 16:00:00")]);
    let findings = evaluate(&fixture);
    assert_eq!(breaches(&findings), vec!["R06 | C1/E2 | 100000", "R06 | C1/E3 | 100000"]);
    assert_eq!(
        evidence(&findings, "R06"),
        vec![
            "attended 31.9 h of 40 h planned (79.9% < 80%) between 2026-07-01 and 2026-07-10",
            "attended 24.0 h of 40 h planned (60.0% < 80%) between 2026-07-01 and 2026-07-10",
        ]
    );
    assert_eq!(
        evidence_in(&findings, "R06", Lang::Zh)[0],
        "2026-07-01 至 2026-07-10 期间出勤 31.9 小时，计划 40 小时（出勤率 79.9%，低于 80%）"
    );
}

#[test]
fn r01_the_same_occupation_and_level_twice_ties_broken_by_claim_id_and_rejected_claims_do_not_count() {
    let mut fixture = Fixture::clean();
    // Same enrollment claimed again by C0 (same day, earlier claim_id) and by C3 (later).
    fixture
        .add(Table::Claims, &[("claim_id", "C0"), ("status", "rejected"), ("paid_amount", "null")])
        .add(Table::ClaimLines, &[("claim_id", "C0")])
        .add(Table::Claims, &[("claim_id", "C3"), ("submitted_on", "2026-08-01"), ("status", "pending"), ("paid_amount", "null")])
        .add(Table::ClaimLines, &[("claim_id", "C3")]);
    let findings = evaluate(&fixture);
    // C0 is earlier than C1 on the same day but rejected: it does not make C1 a duplicate, and is
    // itself not a duplicate. C3 is.
    assert_eq!(breaches(&findings), vec!["R01 | C3/E1 | 100000"]);
    assert!(evidence(&findings, "R01")[0].contains("already has training line C1/E1 for occupation 4-10-01-06 level 4"));
    assert_eq!(money(&findings.holds), vec!["C3 | E1 | I1 | R01 | 100000"]);
    assert_eq!(findings.recoveries.height(), 0);
}

#[test]
fn r02_a_fourth_training_line_in_a_year_and_duplicates_do_not_count() {
    let mut fixture = Fixture::clean();
    let person = id_number("1990-01-01", 1);
    // Four more classes of other occupations, each with an enrollment of the same person.
    for (n, occupation) in [(2, "4-03-02-01"), (3, "4-10-01-05"), (4, "6-20-04-05"), (5, "4-07-03-03")] {
        let class = format!("K{n}");
        let enrollment = format!("E{n}");
        let claim = format!("C{n}");
        let submitted = format!("2026-08-{n:02}");
        fixture
            .add(Table::Classes, &[("class_id", class.as_str()), ("occupation_code", occupation)])
            .add(Table::Enrollments, &[("enrollment_id", enrollment.as_str()), ("class_id", class.as_str()), ("person_id", person.as_str())])
            .add(Table::Claims, &[("claim_id", claim.as_str()), ("class_id", class.as_str()), ("submitted_on", submitted.as_str())])
            .add(Table::ClaimLines, &[("claim_id", claim.as_str()), ("enrollment_id", enrollment.as_str())]);
        for day in 1..=5 {
            let (check_in, check_out) = (format!("2026-07-{day:02} 0{n}:00:00"), format!("2026-07-{day:02} 1{n}:00:00"));
            fixture.add(Table::Attendance, &[("enrollment_id", enrollment.as_str()), ("check_in", check_in.as_str()), ("check_out", check_out.as_str())]);
        }
    }
    // A duplicate of E1 on 2026-07-25: R01, and not counted toward the cap.
    fixture.add(Table::Claims, &[("claim_id", "C1b"), ("submitted_on", "2026-07-25")]).add(Table::ClaimLines, &[("claim_id", "C1b")]);
    let findings = evaluate(&fixture);
    // Counted: C1, C2, C3; C1b is a duplicate and does not count, so C4 is the fourth line.
    assert_eq!(breaches(&findings), vec!["R01 | C1b/E1 | 100000", "R02 | C4/E4 | 100000", "R02 | C5/E5 | 100000"]);
    assert!(evidence(&findings, "R02")[0].ends_with("already has 3 training lines in 2026 (cap 3 a year)"), "{:?}", evidence(&findings, "R02"));
    assert!(evidence_in(&findings, "R02", Lang::Zh)[0].ends_with(" 在 2026 年已有 3 条培训申领明细（每年上限 3 条）"), "{:?}", evidence_in(&findings, "R02", Lang::Zh));
}

#[test]
fn r03_wrong_check_character_and_malformed_ids_but_not_hashes_or_a_final_x() {
    let mut fixture = Fixture::clean();
    let with_x = (1..200).map(|n| id_number("1988-08-08", n)).find(|id| id.ends_with('X')).unwrap();
    let lower_x = with_x.to_lowercase();
    let wrong = format!("{}{}", &with_x[..17], "0");
    for (n, person) in [(2, lower_x.as_str()), (3, wrong.as_str()), (4, "37010219900101")] {
        let enrollment = format!("E{n}");
        let claim = format!("C{n}");
        fixture
            .add(Table::Enrollments, &[("enrollment_id", enrollment.as_str()), ("person_id", person)])
            .add(Table::Claims, &[("claim_id", claim.as_str()), ("status", "pending"), ("paid_amount", "null")])
            .add(Table::ClaimLines, &[("claim_id", claim.as_str()), ("enrollment_id", enrollment.as_str())]);
        fixture.attend_fully(enrollment.as_str());
    }
    let findings = evaluate(&fixture);
    assert_eq!(breaches(&findings), vec!["R03 | C3/E3 | 100000", "R03 | C4/E4 | 100000"]);
    assert_eq!(
        evidence(&findings, "R03"),
        vec![
            "raw ID number with a wrong check character (ISO 7064 MOD 11-2)",
            "person id is neither an 18-character ID number nor a 64-hex hash",
        ]
    );
    assert_eq!(
        evidence_in(&findings, "R03", Lang::Zh),
        vec!["身份证号码的校验码错误（GB 11643 校验规则）", "人员标识既不是 18 位身份证号码，也不是 64 位十六进制哈希值"]
    );
}

#[test]
fn r05_r07_r11_r12_with_recoveries_at_the_paid_share() {
    let mut fixture = Fixture::new();
    fixture
        .add(Table::Institutions, &[])
        .add(Table::Institutions, &[("institution_id", "I2"), ("licensed_on", "2026-07-05")])
        .add(Table::Classes, &[])
        .add(Table::Classes, &[("class_id", "K2"), ("institution_id", "I2")])
        .add(Table::Enrollments, &[("person_id", id_number("1990-01-01", 1).as_str()), ("completed", "false")])
        .add(Table::Enrollments, &[("enrollment_id", "E2"), ("class_id", "K2"), ("person_id", id_number("1991-01-01", 3).as_str())])
        // C1: paid 1500.00 of 2000.00; E1 did not complete (R05) and its line is over standard by 0.01.
        .add(Table::Claims, &[("headcount", "2"), ("amount", "2000.00"), ("paid_amount", "1500.00")])
        .add(Table::ClaimLines, &[("amount", "1000.01")])
        // E9 does not exist (R07); 999.99 at 3/4 paid = 749.9925 → 749.99.
        .add(Table::ClaimLines, &[("enrollment_id", "E9"), ("amount", "999.99")])
        // C2 by I2 for K2, which started before I2's licence (R12).
        .add(Table::Claims, &[("claim_id", "C2"), ("institution_id", "I2"), ("class_id", "K2")])
        .add(Table::ClaimLines, &[("claim_id", "C2"), ("enrollment_id", "E2")]);
    for (enrollment, day) in [("E1", 1), ("E1", 2), ("E1", 3), ("E1", 4), ("E1", 5), ("E2", 1), ("E2", 2), ("E2", 3), ("E2", 4), ("E2", 5)] {
        let (check_in, check_out) = (format!("2026-07-{day:02} 08:00:00"), format!("2026-07-{day:02} 16:00:00"));
        fixture.add(Table::Attendance, &[("enrollment_id", enrollment), ("check_in", check_in.as_str()), ("check_out", check_out.as_str())]);
    }
    let findings = evaluate(&fixture);
    assert_eq!(
        breaches(&findings),
        vec!["R05 | C1/E1 | 100001", "R07 | C1/E9 | 99999", "R11 | C1/E1 | 1", "R12 | C2/E2 | 100000"]
    );
    assert_eq!(
        money(&findings.recoveries),
        vec!["C1 | E1 | I1 | R05,R11 | 75001", "C1 | E9 | I1 | R07 | 74999", "C2 | E2 | I2 | R12 | 100000"]
    );
    assert_eq!(evidence(&findings, "R07"), vec!["enrollment E9 is missing from the export or was rejected on reading"]);
    assert_eq!(evidence(&findings, "R11"), vec!["line 1000.01 above the class's standard 1000.00"]);
    assert_eq!(evidence(&findings, "R12"), vec!["class K2 started 2026-07-01, before I2 was licensed on 2026-07-05"]);
    assert_eq!(evidence_in(&findings, "R07", Lang::Zh), vec!["报名 E9 不在导出数据中，或读取时已被拒收"]);
    assert_eq!(evidence_in(&findings, "R11", Lang::Zh), vec!["申领金额 1000.01 元超过班级补贴标准 1000.00 元"]);
    assert_eq!(evidence_in(&findings, "R12", Lang::Zh), vec!["班级 K2 于 2026-07-01 开班，早于 I2 取得办学许可的日期 2026-07-05"]);
}

fn policy_with_wage(dir: &Path, district: &str, wage: &str) -> Policy {
    traincredit::policy::write_defaults(dir).unwrap();
    let path = dir.join("policy.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace(&format!("\"{district}\" = \"2200.00\""), &format!("\"{district}\" = \"{wage}\""));
    std::fs::write(&path, text).unwrap();
    Policy::load(dir).unwrap()
}

#[test]
fn r08_allowance_cap_rounds_half_up_and_counts_earlier_days() {
    let policy_dir = temp_dir();
    // 60% × 2010.25 ÷ 30 = 40.205 a day: one day's cap rounds half-up to 40.21.
    let policy = policy_with_wage(policy_dir.path(), "历下区", "2010.25");
    let mut fixture = Fixture::clean();
    fixture
        // A class of 61 days, so that the class length does not limit the days.
        .add(Table::Classes, &[("class_id", "K5"), ("start_date", "2026-06-01"), ("end_date", "2026-07-31"), ("occupation_code", "4-03-02-01")])
        .add(Table::Enrollments, &[("enrollment_id", "E2"), ("class_id", "K5"), ("group", "veteran"), ("person_id", id_number("1985-01-01", 3).as_str())])
        .add(Table::Enrollments, &[("enrollment_id", "E3"), ("group", "graduate"), ("person_id", id_number("1985-01-02", 5).as_str())])
        // Earlier allowance line of E2: 29 days, within its cap.
        .add(Table::Claims, &[("claim_id", "L1"), ("class_id", "K5"), ("claim_type", "living_allowance"), ("submitted_on", "2026-07-11"), ("amount", "1000.00"), ("paid_amount", "1000.00")])
        .add(Table::ClaimLines, &[("claim_id", "L1"), ("enrollment_id", "E2"), ("amount", "1000.00"), ("days", "29")])
        // Later line of E2 claims 5 days, only 1 remains: cap 40.21, part 9.79.
        .add(Table::Claims, &[("claim_id", "L2"), ("class_id", "K5"), ("claim_type", "living_allowance"), ("submitted_on", "2026-07-12"), ("amount", "50.00"), ("paid_amount", "50.00")])
        .add(Table::ClaimLines, &[("claim_id", "L2"), ("enrollment_id", "E2"), ("amount", "50.00"), ("days", "5")])
        // E3 is a graduate: not entitled, all of it.
        .add(Table::Claims, &[("claim_id", "L3"), ("claim_type", "living_allowance"), ("amount", "40.00"), ("status", "pending"), ("paid_amount", "null")])
        .add(Table::ClaimLines, &[("claim_id", "L3"), ("enrollment_id", "E3"), ("amount", "40.00"), ("days", "1")]);
    let findings = evaluate_with(&fixture, &policy, "2026Q3");
    assert_eq!(breaches(&findings), vec!["R08 | L2/E2 | 979", "R08 | L3/E3 | 4000"]);
    assert_eq!(
        evidence(&findings, "R08")[0],
        "amount 50.00 above the cap 40.21 = 60% × minimum wage 2010.25 ÷ 30 × 1 allowed day(s) (5 claimed, 29 paid before)"
    );
    assert_eq!(
        evidence_in(&findings, "R08", Lang::Zh)[0],
        "申领金额 50.00 元超过上限 40.21 元（= 60% × 最低工资 2010.25 元 ÷ 30 × 核定 1 天；申领 5 天，此前已付 29 天）"
    );
    assert_eq!(money(&findings.holds), vec!["L3 | E3 | I1 | R08 | 4000"]);
}

#[test]
fn r09_appraisal_needs_a_pass_and_is_capped_at_80_percent_of_the_fee() {
    let mut fixture = Fixture::clean();
    fixture
        // Fee 300.00: cap 240.00; the line asks 250.00.
        .add(Table::Assessments, &[])
        .add(Table::Claims, &[("claim_id", "P1"), ("claim_type", "appraisal"), ("amount", "250.00"), ("paid_amount", "250.00"), ("submitted_on", "2026-07-20")])
        .add(Table::ClaimLines, &[("claim_id", "P1"), ("amount", "250.00")])
        // A second appraisal line for the same pass: no qualifying pass left.
        .add(Table::Claims, &[("claim_id", "P2"), ("claim_type", "appraisal"), ("amount", "200.00"), ("paid_amount", "200.00"), ("submitted_on", "2026-07-21")])
        .add(Table::ClaimLines, &[("claim_id", "P2"), ("amount", "200.00")]);
    let findings = evaluate(&fixture);
    assert_eq!(breaches(&findings), vec!["R09 | P1/E1 | 1000", "R09 | P2/E1 | 20000"]);
}

#[test]
fn r10_claims_in_the_first_and_last_quarter_of_a_ban() {
    let mut fixture = Fixture::clean();
    fixture.add(Table::Sanctions, &[("from_quarter", "2026Q3"), ("until_quarter", "2026Q4")]);
    let in_first = evaluate(&fixture);
    assert_eq!(breaches(&in_first), vec!["R10 | C1/E1 | 100000"]);
    assert_eq!(evidence(&in_first, "R10"), vec!["claim submitted 2026-07-20 (2026Q3) while I1 is under a ban 2026Q3–2026Q4"]);
    assert_eq!(evidence_in(&in_first, "R10", Lang::Zh), vec!["申领提交于 2026-07-20（2026Q3），其时 I1 处于禁止承接政府补贴培训期（2026Q3–2026Q4）"]);
    assert_eq!(rows(&in_first.line_flags, &["evidence_code"]), vec!["rules.r10.ban"]);
    let mut last = Fixture::clean();
    last.add(Table::Sanctions, &[("from_quarter", "2026Q2"), ("until_quarter", "2026Q3")]);
    assert_eq!(breaches(&evaluate(&last)), vec!["R10 | C1/E1 | 100000"]);
    let mut ended = Fixture::clean();
    ended.add(Table::Sanctions, &[("from_quarter", "2026Q1"), ("until_quarter", "2026Q2")]);
    assert_eq!(breaches(&evaluate(&ended)), Vec::<String>::new());
}

fn not_completed_with_appeal(decided_on: &str) -> Fixture {
    let mut fixture = Fixture::new();
    fixture
        .add(Table::Institutions, &[])
        .add(Table::Classes, &[])
        .add(Table::Enrollments, &[("person_id", id_number("1990-01-01", 1).as_str()), ("completed", "false")])
        .add(Table::Claims, &[])
        .add(Table::ClaimLines, &[])
        .add(Table::Appeals, &[("rule", "R05"), ("entity_id", "C1/E1"), ("decided_on", decided_on)]);
    fixture.attend_fully("E1");
    fixture
}

#[test]
fn an_overturned_appeal_removes_the_money_but_keeps_the_flag() {
    let findings = evaluate(&not_completed_with_appeal("2026-09-30"));
    assert_eq!(rows(&findings.line_flags, &["rule", "line_id", "overturned"]), vec!["R05 | C1/E1 | true"]);
    assert_eq!(findings.recoveries.height(), 0);
    assert_eq!(rows(&findings.lines_in_scope, &["line_id", "breach", "part_fen"]), vec!["C1/E1 | false | 0"]);
    // An appeal decided after the quarter's end does not count in this quarter's run.
    let findings = evaluate(&not_completed_with_appeal("2026-10-01"));
    assert_eq!(rows(&findings.line_flags, &["rule", "line_id", "overturned"]), vec!["R05 | C1/E1 | false"]);
    assert_eq!(money(&findings.recoveries), vec!["C1 | E1 | I1 | R05 | 100000"]);
}

#[test]
fn procedural_findings_p01_to_p04() {
    let mut fixture = Fixture::clean();
    fixture
        // P01: a reimburse training claim before the class ended (K1 ends 2026-07-10).
        .add(Table::Claims, &[("claim_id", "C2"), ("submitted_on", "2026-07-09"), ("status", "rejected"), ("paid_amount", "null"), ("amount", "0.00"), ("headcount", "0")])
        // P04: amount and headcount that do not match the lines.
        .add(Table::Claims, &[("claim_id", "C3"), ("amount", "1500.00"), ("headcount", "2"), ("status", "rejected"), ("paid_amount", "null")])
        .add(Table::ClaimLines, &[("claim_id", "C3"), ("enrollment_id", "E1")])
        // P02: class K3 of 1 seat, starting in the quarter, with 2 enrollments.
        .add(Table::Classes, &[("class_id", "K3"), ("capacity", "1"), ("start_date", "2026-08-01"), ("end_date", "2026-08-10"), ("occupation_code", "4-03-02-01")])
        .add(Table::Enrollments, &[("enrollment_id", "E5"), ("class_id", "K3"), ("person_id", id_number("1990-05-05", 11).as_str())])
        .add(Table::Enrollments, &[("enrollment_id", "E6"), ("class_id", "K3"), ("person_id", id_number("1990-06-06", 13).as_str())])
        // P03: E1's person also signs in at I2's class 30 minutes after a check-in at I1.
        .add(Table::Institutions, &[("institution_id", "I2")])
        .add(Table::Classes, &[("class_id", "K4"), ("institution_id", "I2"), ("occupation_code", "4-10-01-05")])
        .add(Table::Enrollments, &[("enrollment_id", "E7"), ("class_id", "K4"), ("person_id", id_number("1990-01-01", 1).as_str())])
        .add(Table::Attendance, &[("enrollment_id", "E7"), ("check_in", "2026-07-02 08:30:00"), ("check_out", "2026-07-02 10:30:00")]);
    let findings = evaluate(&fixture);
    assert_eq!(
        rows(&findings.procedural, &["rule", "institution_id", "entity_kind", "entity_id"]),
        vec![
            "P01 | I1 | claim | C2",
            "P02 | I1 | class | K3",
            "P03 | I1 | enrollment | E1+E7@I1",
            "P03 | I2 | enrollment | E1+E7@I2",
            "P04 | I1 | claim | C3",
        ]
    );
    let rendered = |lang| texts(&traincredit::report::texts::render(findings.procedural.clone(), "evidence", lang).unwrap(), "evidence");
    let (evidence, chinese) = (rendered(Lang::En), rendered(Lang::Zh));
    assert_eq!(evidence[1], "class has 2 enrollments for 1 seats");
    assert_eq!(chinese[1], "班级报名 2 人，超过额定的 1 人");
    assert!(evidence[2].ends_with("at 2026-07-02 08:00:00 (E1 of I1) and at 2026-07-02 08:30:00 (E7 of I2), 1800 s apart"), "{}", evidence[2]);
    assert!(
        chinese[2].ends_with("于 2026-07-02 08:00:00 在 I1 签到（报名 E1），又于 2026-07-02 08:30:00 在 I2 签到（报名 E7），相隔 1800 秒"),
        "{}",
        chinese[2]
    );
    assert_eq!(evidence[2], evidence[3], "one pair, charged to both institutions, with the same evidence");
    assert_eq!(evidence[4], "amount 1500.00 but its lines sum to 1000.00; headcount 2 but 1 line(s)");
    assert_eq!(chinese[4], "申领金额 1500.00 元，但明细合计 1000.00 元；申领人数 2 人，但明细为 1 条");
    assert_eq!(chinese[0], "报销制培训申领于 2026-07-09 提交，早于班级 K1 的结业日期 2026-07-10");
}

#[test]
fn a_hashed_export_is_judged_by_pseudonym_without_ages() {
    // Upstream-pseudonymised: every person id is a 64-hex hash (upper case is normalised).
    let person = "AB".repeat(32);
    let mut fixture = Fixture::new();
    fixture
        .add(Table::Institutions, &[])
        .add(Table::Classes, &[])
        .add(Table::Enrollments, &[("person_id", person.as_str())])
        .add(Table::Claims, &[])
        .add(Table::ClaimLines, &[])
        .add(Table::Claims, &[("claim_id", "C2"), ("submitted_on", "2026-08-01")])
        .add(Table::ClaimLines, &[("claim_id", "C2")]);
    fixture.attend_fully("E1");
    let findings = evaluate(&fixture);
    // No R03 (a hash is a valid form) and no R04 (no birth date), but the duplicate is found.
    assert_eq!(breaches(&findings), vec!["R01 | C2/E1 | 100000"]);
    assert!(evidence(&findings, "R01")[0].starts_with("person abababababab already has training line C1/E1"), "{:?}", evidence(&findings, "R01"));
    assert!(
        evidence_in(&findings, "R01", Lang::Zh)[0].starts_with("人员 abababababab 已有同一职业 4-10-01-06、4 级的培训申领明细 C1/E1（此前共 1 条）"),
        "{:?}",
        evidence_in(&findings, "R01", Lang::Zh)
    );
}

/// `flags.parquet` of a run with no signals, its evidence rendered in `lang`.
fn flags_table(findings: &Findings, lang: Lang) -> polars::prelude::DataFrame {
    use polars::prelude::*;
    let no_signals = df!(
        "flag_id" => Vec::<String>::new(), "kind" => Vec::<String>::new(), "rule" => Vec::<String>::new(),
        "severity" => Vec::<String>::new(), "institution_id" => Vec::<String>::new(), "entity_kind" => Vec::<String>::new(),
        "entity_id" => Vec::<String>::new(), "amount_fen" => Vec::<i64>::new(), "evidence" => Vec::<String>::new(),
        "overturned" => Vec::<bool>::new(), "evidence_code" => Vec::<String>::new()
    )
    .unwrap();
    let mut no_signals = no_signals;
    no_signals.with_column(Series::new_empty("evidence_args".into(), &DataType::List(Box::new(DataType::String))).into_column()).unwrap();
    let flags = traincredit::report::tables::flags(findings, &no_signals, &Policy::defaults().unwrap(), "2026Q3".parse().unwrap()).unwrap();
    traincredit::report::texts::render(flags, "evidence", lang).unwrap()
}

#[test]
fn a_fraud_decision_flag_carries_the_money_it_recovers() {
    // A stated amount: the flag shows it, as the recoveries' DECISION row does.
    let mut fixture = Fixture::clean();
    fixture.add(Table::CaseDecisions, &[("finding", "fraud_confirmed"), ("amount_defrauded", "12345.67"), ("note", "伪造签到记录")]);
    let findings = evaluate(&fixture);
    let columns = ["flag_id", "kind", "severity", "entity_id", "amount_at_risk", "evidence"];
    assert_eq!(
        rows(&flags_table(&findings, Lang::Zh), &columns),
        vec!["DECISION:I1@2026-08-01 | decision | high | I1 | 12345.67 | 2026-08-01 认定骗取补贴资金，认定骗取金额 12345.67 元；调查说明：伪造签到记录"]
    );
    assert_eq!(
        rows(&flags_table(&findings, Lang::En), &["evidence"]),
        vec!["fraud_confirmed decided on 2026-08-01, amount defrauded 12345.67; investigator's note: 伪造签到记录"]
    );
    assert_eq!(rows(&findings.recoveries, &["institution_id", "rules", "amount_fen"]), vec!["I1 | DECISION | 1234567"]);

    // No amount stated: the decision reclaims the paid lines of Q−3 … Q in full, C1's 1000.00.
    let mut fixture = Fixture::clean();
    fixture.add(Table::CaseDecisions, &[("finding", "fraud_confirmed")]);
    let findings = evaluate(&fixture);
    assert_eq!(money(&findings.recoveries), vec!["C1 | E1 | I1 | DECISION | 100000"]);
    let flags = flags_table(&findings, Lang::Zh);
    assert_eq!(
        rows(&flags, &columns),
        vec!["DECISION:I1@2026-08-01 | decision | high | I1 | 1000.00 | 2026-08-01 认定骗取补贴资金，未认定具体金额：2025-10-01 至 2026-09-30 提交的 1 条已付申领明细全额追缴"]
    );
    assert_eq!(
        rows(&flags_table(&findings, Lang::En), &["evidence"]),
        vec!["fraud_confirmed decided on 2026-08-01, no amount stated: 1 paid claim line(s) submitted 2025-10-01–2026-09-30 reclaimed in full"]
    );
}

#[test]
fn flags_keep_codes_and_render_notes_in_the_runs_language() {
    // R05 on a rejected claim: flagged, no money, and the note says why.
    let mut fixture = Fixture::clean();
    fixture.clear(Table::Claims).add(Table::Claims, &[("status", "rejected"), ("paid_amount", "null")]);
    fixture.clear(Table::Enrollments).add(Table::Enrollments, &[("completed", "false"), ("person_id", id_number("1990-01-01", 1).as_str())]);
    let findings = evaluate(&fixture);
    let columns = ["flag_id", "amount_at_risk", "evidence_code", "evidence_note_code", "evidence"];
    assert_eq!(
        rows(&flags_table(&findings, Lang::Zh), &columns),
        vec!["R05:C1/E1 | 0.00 | rules.r05.not_completed | rules.note.claim_rejected | 报名 E1 未完成培训（结业标记为否）；该申领已被驳回：不涉及资金"]
    );
    assert_eq!(
        rows(&flags_table(&findings, Lang::En), &["evidence"]),
        vec!["enrollment E1 did not complete its class (completed = false); claim rejected: no money at stake"]
    );
}

#[test]
fn an_appeal_overturns_one_side_of_a_p03_pair_or_the_whole_pair() {
    let with_appeal = |entity: &str| {
        let mut fixture = Fixture::clean();
        // E1's person also signs in at I2's class 30 minutes after a check-in at I1.
        fixture
            .add(Table::Institutions, &[("institution_id", "I2")])
            .add(Table::Classes, &[("class_id", "K4"), ("institution_id", "I2"), ("occupation_code", "4-10-01-05")])
            .add(Table::Enrollments, &[("enrollment_id", "E7"), ("class_id", "K4"), ("person_id", id_number("1990-01-01", 1).as_str())])
            .add(Table::Attendance, &[("enrollment_id", "E7"), ("check_in", "2026-07-02 08:30:00"), ("check_out", "2026-07-02 10:30:00")])
            .add(Table::Appeals, &[("rule", "P03"), ("entity_id", entity)]);
        rows(&evaluate(&fixture).procedural, &["rule", "institution_id", "entity_id", "overturned"])
    };
    assert_eq!(with_appeal("E1+E7@I2"), vec!["P03 | I1 | E1+E7@I1 | false", "P03 | I2 | E1+E7@I2 | true"]);
    assert_eq!(with_appeal("E1+E7"), vec!["P03 | I1 | E1+E7@I1 | true", "P03 | I2 | E1+E7@I2 | true"]);
    assert_eq!(with_appeal("E7+E1"), vec!["P03 | I1 | E1+E7@I1 | false", "P03 | I2 | E1+E7@I2 | false"]);
}
