//! One test per kind of bad input: each gets its exact message (fatal problems) or reject reason
//! (row problems), and rows read = rows used + rows rejected always holds.

use crate::util::*;
use pretty_assertions::assert_eq;
use polars::prelude::*;
use traincredit::ingest::{self, contract::Table, contract::ALL_TABLES};
use traincredit::person::Pseudonymiser;

fn key() -> Pseudonymiser {
    Pseudonymiser::new(b"a test key of some length")
}

fn ingest_fixture(fixture: &Fixture) -> (tempfile::TempDir, Result<ingest::Export, traincredit::Error>) {
    let dir = temp_dir();
    fixture.write(dir.path());
    let result = ingest::ingest(dir.path(), &key());
    (dir, result)
}

fn rejects(export: &ingest::Export, table: Table) -> Vec<String> {
    rows(&export.table(table).rejects, &["table", "row_key", "reason"])
}

fn assert_counts_balance(export: &ingest::Export) {
    for table in ALL_TABLES {
        let t = export.table(table);
        assert_eq!(t.rows_read, t.rows_used() + t.rows_rejected(), "{}", table.name());
    }
}

#[test]
fn missing_table() {
    let dir = temp_dir();
    Fixture::clean().write(dir.path());
    std::fs::remove_file(dir.path().join("claims.parquet")).unwrap();
    let error = ingest::ingest(dir.path(), &key()).unwrap_err().to_string();
    assert_eq!(
        error,
        format!("table claims: required table is missing: expected claims.parquet or a folder claims/ of Parquet files in {}", dir.path().display())
    );
    let output = run(dir.path(), &["check", "--data", "."]);
    assert_eq!(output.code, 3);
    assert!(output.stderr.contains("table claims: required table is missing"), "{}", output.stderr);
}

#[test]
fn missing_column() {
    let dir = temp_dir();
    Fixture::clean().write(dir.path());
    let path = dir.path().join("classes.parquet");
    let mut frame = read_parquet(&path).drop("level").unwrap();
    write_parquet(&mut frame, &path);
    let error = ingest::ingest(dir.path(), &key()).unwrap_err().to_string();
    assert_eq!(
        error,
        format!("table classes, column level: required column is missing in {} (expected integer (int8 … int64))", path.display())
    );
}

#[test]
fn wrong_type() {
    let dir = temp_dir();
    Fixture::clean().write(dir.path());
    let path = dir.path().join("classes.parquet");
    let mut frame = read_parquet(&path);
    let level = frame.column("level").unwrap().cast(&DataType::String).unwrap();
    frame.with_column(level).unwrap();
    write_parquet(&mut frame, &path);
    let error = ingest::ingest(dir.path(), &key()).unwrap_err().to_string();
    assert_eq!(
        error,
        format!("table classes, column level: wrong type in {}: expected integer (int8 … int64), found str", path.display())
    );
}

#[test]
fn truncated_file() {
    let dir = temp_dir();
    Fixture::clean().write(dir.path());
    let path = dir.path().join("claims.parquet");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let error = ingest::ingest(dir.path(), &key()).unwrap_err().to_string();
    let prefix = format!("table claims: cannot read {} as Parquet (truncated, corrupt or not Parquet): ", path.display());
    assert!(error.starts_with(&prefix), "{error}");
    let output = run(dir.path(), &["check", "--data", "."]);
    assert_eq!(output.code, 3, "{}", output.stderr);
}

#[test]
fn empty_table() {
    let mut fixture = Fixture::clean();
    fixture.write_empty_optional = false;
    let dir = temp_dir();
    fixture.write(dir.path());
    // An empty attendance table is a warning (nothing is lost), and every claim then breaks R06.
    let mut empty = Fixture::new().frame(Table::Attendance);
    write_parquet(&mut empty, &dir.path().join("attendance.parquet"));
    let export = ingest::ingest(dir.path(), &key()).unwrap();
    assert_eq!(
        export.warnings,
        vec!["table attendance has no rows", "table assessments has no rows", "table employment has no rows"]
    );
    // An empty institutions table leaves nothing to evaluate.
    let mut empty = Fixture::new().frame(Table::Institutions);
    let path = dir.path().join("institutions.parquet");
    write_parquet(&mut empty, &path);
    let error = ingest::ingest(dir.path(), &key()).unwrap_err().to_string();
    assert_eq!(error, format!("table institutions: has no rows in {}; there is nothing to evaluate", path.display()));
}

#[test]
fn duplicate_key_rejects_every_copy_and_what_hangs_on_it() {
    let mut fixture = Fixture::clean();
    fixture.add(Table::Enrollments, &[("person_id", id_number("1985-05-05", 3).as_str())]);
    let (_dir, export) = ingest_fixture(&fixture);
    let export = export.unwrap();
    assert_eq!(
        rejects(&export, Table::Enrollments),
        vec![
            "enrollments | enrollment_id=E1 | duplicate primary key (enrollment_id): 2 copies".to_string(),
            "enrollments | enrollment_id=E1 | duplicate primary key (enrollment_id): 2 copies".to_string(),
        ]
    );
    // The sign-ins of a rejected enrollment point nowhere; its claim line stays (rule R07).
    assert_eq!(export.table(Table::Attendance).rows_rejected(), 5);
    assert_eq!(
        rejects(&export, Table::Attendance)[0],
        "attendance | enrollment_id=E1, check_in=2026-07-01 08:00:00 | unknown enrollment_id 'E1' (no kept row in enrollments)"
    );
    assert_eq!(export.table(Table::ClaimLines).rows_used(), 1);
    assert_counts_balance(&export);
}

#[test]
fn a_rejected_row_names_its_person_by_pseudonym() {
    // The same person, employer and month twice (the second written with a lower-case `x`):
    // both copies are rejected, and their key shows the keyed hash, never the raw number or the
    // engine's internal person number.
    let mut fixture = Fixture::clean();
    fixture
        .add(Table::Employment, &[])
        .add(Table::Employment, &[("person_id", "37010219900101001x"), ("contribution", "950.00")]);
    let (_dir, export) = ingest_fixture(&fixture);
    let export = export.unwrap();
    let pseudonym = key().pseudonymise("37010219900101001X");
    let expected = format!(
        "employment | person_id={pseudonym}, employer_id=91370100MA3C000001, month=2026-08-01 | duplicate primary key (person_id, employer_id, month): 2 copies"
    );
    assert_eq!(rejects(&export, Table::Employment), vec![expected.clone(), expected]);
    assert_counts_balance(&export);
}

#[test]
fn dangling_key() {
    let mut fixture = Fixture::clean();
    fixture.add(Table::Classes, &[("class_id", "K2"), ("institution_id", "I9")]);
    let (_dir, export) = ingest_fixture(&fixture);
    let export = export.unwrap();
    assert_eq!(
        rejects(&export, Table::Classes),
        vec!["classes | class_id=K2 | unknown institution_id 'I9' (no kept row in institutions)".to_string()]
    );
    assert_counts_balance(&export);
}

#[test]
fn null_in_a_required_column() {
    let mut fixture = Fixture::clean();
    fixture.add(Table::Claims, &[("claim_id", "C2"), ("submitted_on", "null")]);
    let (_dir, export) = ingest_fixture(&fixture);
    let export = export.unwrap();
    assert_eq!(rejects(&export, Table::Claims), vec!["claims | claim_id=C2 | missing required value: submitted_on".to_string()]);
    assert_counts_balance(&export);
}

#[test]
fn unknown_enum_value() {
    let mut fixture = Fixture::clean();
    fixture.add(Table::Enrollments, &[("enrollment_id", "E2"), ("group", "Retiree"), ("person_id", id_number("1980-02-02", 5).as_str())]);
    let (_dir, export) = ingest_fixture(&fixture);
    let export = export.unwrap();
    assert_eq!(
        rejects(&export, Table::Enrollments),
        vec!["enrollments | enrollment_id=E2 | unknown value 'retiree' in group (expected one of: unemployed, rural_migrant, veteran, poverty_registered, low_income, school_leaver, graduate, student, employee, disabled, nonlocal_domestic, other)".to_string()]
    );
}

#[test]
fn impossible_values() {
    let mut fixture = Fixture::clean();
    fixture
        .add(Table::Claims, &[("claim_id", "C2"), ("amount", "-5.00")])
        .add(Table::Attendance, &[("check_in", "2026-07-06 08:00:00"), ("check_out", "2026-07-06 07:59:59")])
        .add(Table::Classes, &[("class_id", "K2"), ("level", "7")])
        .add(Table::Assessments, &[("score", "104")]);
    let (_dir, export) = ingest_fixture(&fixture);
    let export = export.unwrap();
    assert_eq!(rejects(&export, Table::Claims), vec!["claims | claim_id=C2 | impossible value: amount is negative".to_string()]);
    assert_eq!(
        rejects(&export, Table::Attendance),
        vec!["attendance | enrollment_id=E1, check_in=2026-07-06 08:00:00 | impossible value: check_out before check_in".to_string()]
    );
    assert_eq!(rejects(&export, Table::Classes), vec!["classes | class_id=K2 | impossible value: level outside 0–5".to_string()]);
    assert_eq!(rejects(&export, Table::Assessments), vec!["assessments | assessment_id=A1 | impossible value: score outside 0–100".to_string()]);
    assert_counts_balance(&export);
}

#[test]
fn streamed_sign_ins_keep_and_reject_the_same_rows_as_held_ones() {
    let mut fixture = Fixture::clean();
    fixture
        .add(Table::Attendance, &[("check_in", "2026-07-06 08:00:00"), ("check_out", "2026-07-06 07:59:59")])
        .add(Table::Attendance, &[("check_in", "2026-07-03 08:00:00"), ("check_out", "2026-07-03 12:00:00"), ("method", "card")])
        .add(Table::Attendance, &[("enrollment_id", "E9"), ("check_in", "2026-07-07 08:00:00"), ("check_out", "2026-07-07 16:00:00")])
        .add(Table::Attendance, &[("check_in", "2026-07-08 08:00:00"), ("check_out", "2026-07-08 16:00:00"), ("method", "pigeon")])
        .add(Table::Attendance, &[("check_in", "2026-07-09 08:00:00"), ("check_out", "2026-07-09 16:00:00")])
        .add(Table::Attendance, &[("check_in", "null"), ("check_out", "2026-07-10 16:00:00")]);
    let dir = temp_dir();
    fixture.write(dir.path());
    let held = ingest::ingest(dir.path(), &key()).unwrap();
    // Slices of two rows: the copies of 3 July lie in different slices.
    let options = ingest::IngestOptions { stream_rows_above: 0, batch_rows: 2 };
    let streamed = ingest::ingest_with(dir.path(), &key(), options).unwrap();
    assert!(streamed.table(Table::Attendance).streamed.is_some());
    let expected = vec![
        "attendance | enrollment_id=E1, check_in=2026-07-03 08:00:00 | duplicate primary key (enrollment_id, check_in): 2 copies".to_string(),
        "attendance | enrollment_id=E1, check_in=2026-07-03 08:00:00 | duplicate primary key (enrollment_id, check_in): 2 copies".to_string(),
        "attendance | enrollment_id=E1, check_in=2026-07-06 08:00:00 | impossible value: check_out before check_in".to_string(),
        "attendance | enrollment_id=E1, check_in=2026-07-08 08:00:00 | unknown value 'pigeon' in method (expected one of: face, fingerprint, card, manual, online)".to_string(),
        "attendance | enrollment_id=E1, check_in=null | missing required value: check_in".to_string(),
        "attendance | enrollment_id=E9, check_in=2026-07-07 08:00:00 | unknown enrollment_id 'E9' (no kept row in enrollments)".to_string(),
    ];
    for export in [&held, &streamed] {
        let mut found = rejects(export, Table::Attendance);
        found.sort();
        assert_eq!(found, expected);
        assert_eq!((export.table(Table::Attendance).rows_read, export.table(Table::Attendance).rows_used()), (11, 5));
        assert_counts_balance(export);
    }
    let kept = |export: &ingest::Export| {
        let frame = export.scan(Table::Attendance).collect().unwrap();
        rows(&frame, &["enrollment_id", "check_in", "check_out", "method", "device_id"])
    };
    assert_eq!(kept(&streamed), kept(&held));
    assert_eq!(kept(&held).len(), 5);
}

#[test]
fn tables_read_in_slices_hold_what_tables_read_whole_hold() {
    // Every held table read (and pseudonymised) two rows at a time: the same kept rows, in the
    // same order, the same rejects, the same person numbers.
    let mut fixture = Fixture::clean();
    fixture
        .add(Table::Employment, &[])
        .add(Table::Employment, &[("person_id", "37010219900101001x"), ("contribution", "950.00")])
        .add(Table::Employment, &[("month", "2026-09-01")])
        .add(Table::Enrollments, &[("enrollment_id", "E7"), ("person_id", "12345")])
        .add(Table::Enrollments, &[("enrollment_id", "E8"), ("person_id", "67890")])
        .add(Table::Claims, &[("claim_id", "C2"), ("amount", "-1.00")]);
    let dir = temp_dir();
    fixture.write(dir.path());
    let whole = ingest::ingest(dir.path(), &key()).unwrap();
    let options = ingest::IngestOptions { stream_rows_above: usize::MAX, batch_rows: 2 };
    let sliced = ingest::ingest_with(dir.path(), &key(), options).unwrap();
    assert_eq!(sliced.persons, whole.persons);
    for table in ALL_TABLES {
        let (whole_table, sliced_table) = (whole.table(table), sliced.table(table));
        assert!(sliced_table.frame.equals_missing(&whole_table.frame), "{}: kept rows differ", table.name());
        assert_eq!(rejects(&sliced, table), rejects(&whole, table), "{}", table.name());
        assert_eq!(sliced_table.rows_read, whole_table.rows_read, "{}", table.name());
    }
    assert_eq!(whole.table(Table::Employment).rows_read, 3);
    assert_eq!(whole.table(Table::Employment).rows_rejected(), 2);
    assert_eq!(whole.table(Table::Enrollments).rows_read, 3);
    assert_counts_balance(&sliced);
}

#[test]
fn malformed_id_number_is_kept_for_rule_r03() {
    let mut fixture = Fixture::clean();
    let bad_check = {
        let good = id_number("1991-03-03", 7);
        let last = if good.ends_with('0') { '1' } else { '0' };
        format!("{}{last}", &good[..17])
    };
    fixture
        .add(Table::Enrollments, &[("enrollment_id", "E2"), ("person_id", "12345")])
        .add(Table::Enrollments, &[("enrollment_id", "E3"), ("person_id", bad_check.as_str())]);
    let (_dir, export) = ingest_fixture(&fixture);
    let export = export.unwrap();
    assert_eq!(export.table(Table::Enrollments).rows_rejected(), 0);
    let mut forms = texts(export.frame(Table::Enrollments), "person_id_form");
    forms.sort();
    assert_eq!(forms, vec!["malformed", "raw_bad_check", "raw_valid"]);
}

#[test]
fn mixed_raw_and_hashed_person_ids_are_fatal() {
    let mut fixture = Fixture::clean();
    fixture.add(Table::Employment, &[("person_id", "ab".repeat(32).as_str())]);
    let (_dir, result) = ingest_fixture(&fixture);
    assert_eq!(
        result.unwrap_err().to_string(),
        "person ids mix raw ID numbers and 64-hex hashes (1 raw, 1 hashed, first raw in table enrollments, first hashed in table employment); one export must use one form, or joins across tables would silently find nothing"
    );
}

#[test]
fn an_unknown_district_names_the_district() {
    let mut fixture = Fixture::clean();
    fixture.add(Table::Institutions, &[("institution_id", "I2"), ("district", "高新区")]);
    let dir = temp_dir();
    fixture.write(&dir.path().join("export"));
    let output = run(dir.path(), &["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "run", "--demo-key"]);
    assert_eq!(output.code, 1);
    assert!(
        output.stderr.contains("policy.toml: district(s) '高新区' of the export's institutions have no minimum wage in [minimum_wage]"),
        "{}",
        output.stderr
    );
    assert!(!dir.path().join("run").exists(), "a failed run leaves nothing behind");
}
