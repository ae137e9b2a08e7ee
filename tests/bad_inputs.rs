//! One test per kind of bad input: each gets its exact message (fatal problems) or reject reason
//! (row problems), and rows read = rows used + rows rejected always holds.

use crate::util::*;
use pretty_assertions::assert_eq;
use polars::prelude::*;
use traincredit::ingest::{self, contract::Table, contract::ALL_TABLES};
use traincredit::person::Pseudonymiser;
use traincredit::vocab::Lang;

fn key() -> Pseudonymiser {
    Pseudonymiser::new(b"a test key of some length")
}

fn ingest_fixture(fixture: &Fixture) -> (tempfile::TempDir, Result<ingest::Export, traincredit::Error>) {
    let dir = temp_dir();
    fixture.write(dir.path());
    let result = ingest::ingest(dir.path(), &key());
    (dir, result)
}

/// A table's rejects with their reasons in English (the tables hold Chinese by default; both
/// are rendered from the same code and arguments).
fn rejects(export: &ingest::Export, table: Table) -> Vec<String> {
    let english = traincredit::report::texts::render(export.table(table).rejects.clone(), "reason", Lang::En).unwrap();
    rows(&english, &["table", "row_key", "reason"])
}

/// The export's warnings in `lang`.
fn warnings(export: &ingest::Export, lang: Lang) -> Vec<String> {
    export.warnings.iter().map(|w| w.render(lang)).collect()
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
    // A column named in another case is named too.
    let mut frame = Fixture::clean().frame(Table::Classes);
    frame.rename("level", "Level".into()).unwrap();
    write_parquet(&mut frame, &path);
    let error = ingest::ingest(dir.path(), &key()).unwrap_err().to_string();
    assert_eq!(
        error,
        format!(
            "table classes, column level: required column is missing in {} (expected integer (int8 … int64)); found Level, which differs only in case: rename it",
            path.display()
        )
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
        warnings(&export, Lang::En),
        vec!["table attendance has no rows", "table assessments has no rows", "table employment has no rows"]
    );
    assert_eq!(warnings(&export, Lang::Zh), vec!["数据表 attendance 没有数据行", "数据表 assessments 没有数据行", "数据表 employment 没有数据行"]);
    let codes: Vec<&str> = export.warnings.iter().map(|w| w.message.code).collect();
    assert_eq!(codes, vec!["ingest.empty_table"; 3]);
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
        // The same reasons in Chinese (the default), from the codes kept beside them.
        let mut chinese = rows(&export.table(Table::Attendance).rejects, &["reason_code", "reason"]);
        chinese.sort();
        assert_eq!(
            chinese,
            vec![
                "ingest.before | 不可能的值：check_out 早于 check_in",
                "ingest.duplicate_key | 主键（enrollment_id, check_in）重复：共 2 行",
                "ingest.duplicate_key | 主键（enrollment_id, check_in）重复：共 2 行",
                "ingest.missing_required | 缺少必填值：check_in",
                "ingest.unknown_parent | enrollment_id“E9”没有对应的记录（enrollments 表中没有可用的行）",
                "ingest.unknown_value | method 的取值“pigeon”不在允许范围内（应为以下之一：face, fingerprint, card, manual, online）",
            ]
        );
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
fn a_district_without_a_minimum_wage_is_a_policy_error_listed_with_the_others() {
    let mut fixture = Fixture::clean();
    fixture.add(Table::Institutions, &[("institution_id", "I2"), ("district", "高新区")]);
    let dir = temp_dir();
    fixture.write(&dir.path().join("export"));
    let output = run(dir.path(), &["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "run", "--demo-key"]);
    assert_eq!(output.code, 4, "{}", output.stderr);
    let wages = "policy.toml: district(s) '高新区' of the export's institutions have no minimum wage in [minimum_wage] (known: 历下区, 历城区, 商河县, 天桥区, 市中区, 平阴县, 槐荫区, 济阳区, 章丘区, 莱芜区, 钢城区, 长清区)";
    assert!(output.stderr.contains(wages), "{}", output.stderr);
    assert!(!dir.path().join("run").exists(), "a failed run leaves nothing behind");
    // With an unknown key as well: both in one message. The claims file is unreadable, and the
    // policy error still comes first: the districts are read before any other table.
    traincredit::policy::write_defaults(&dir.path().join("policy")).unwrap();
    let tiers = dir.path().join("policy/tiers.toml");
    let text = std::fs::read_to_string(&tiers).unwrap().replace("ban_quarters = 4", "ban_quarters = 4\nban_years = 1");
    std::fs::write(&tiers, text).unwrap();
    std::fs::write(dir.path().join("export/claims.parquet"), b"not parquet").unwrap();
    let output = run(dir.path(), &["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "run", "--demo-key", "--policy", "policy"]);
    assert_eq!(output.code, 4, "{}", output.stderr);
    assert_eq!(
        output.stderr.trim(),
        format!("error: policy in policy: tiers.toml: unknown field `ban_years`, expected `subsidy_uplift_pct` or `ban_quarters` (line 41); {wages}")
    );
}

#[test]
fn a_table_given_as_a_file_and_a_folder_is_refused_naming_both() {
    let dir = temp_dir();
    Fixture::clean().write(dir.path());
    std::fs::create_dir(dir.path().join("attendance")).unwrap();
    let mut more = Fixture::new().attend_fully("E1").frame(Table::Attendance);
    write_parquet(&mut more, &dir.path().join("attendance/part-0.parquet"));
    let error = ingest::ingest(dir.path(), &key()).unwrap_err().to_string();
    assert_eq!(
        error,
        format!(
            "table attendance: given 2 times, as the file {0}/attendance.parquet and as the folder {0}/attendance; keep one of them (reading one would ignore the others' rows)",
            dir.path().display()
        )
    );
    let output = run(dir.path(), &["check", "--data", "."]);
    assert_eq!(output.code, 3, "{}", output.stderr);
    assert_eq!(
        output.stderr.trim(),
        "error: table attendance: given 2 times, as the file ./attendance.parquet and as the folder ./attendance; keep one of them (reading one would ignore the others' rows)"
    );
    // Spark writes a folder named like a file: read as the table's folder, and counted as a third.
    std::fs::create_dir(dir.path().join("attendance.parquet.tmp")).unwrap();
    std::fs::rename(dir.path().join("attendance.parquet"), dir.path().join("attendance.parquet.tmp/part-0.parquet")).unwrap();
    std::fs::rename(dir.path().join("attendance.parquet.tmp"), dir.path().join("attendance.parquet")).unwrap();
    let error = ingest::ingest(dir.path(), &key()).unwrap_err().to_string();
    assert_eq!(
        error,
        format!(
            "table attendance: given 2 times, as the folder {0}/attendance and as the folder {0}/attendance.parquet; keep one of them (reading one would ignore the others' rows)",
            dir.path().display()
        )
    );
    std::fs::remove_dir_all(dir.path().join("attendance")).unwrap();
    let export = ingest::ingest(dir.path(), &key()).unwrap();
    assert_eq!(export.table(Table::Attendance).rows_read, 5);
    assert!(warnings(&export, Lang::En).iter().all(|w| !w.contains("attendance")), "{:?}", export.warnings);
}

#[test]
fn an_export_folder_that_is_not_there_is_a_bad_export() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("export.zip"), b"PK").unwrap();
    for data in ["nowhere", "export.zip"] {
        let output = run(dir.path(), &["check", "--data", data]);
        assert_eq!(output.code, 3, "{}", output.stderr);
        assert_eq!(output.stderr.trim(), format!("error: export folder {data} does not exist or is not a folder"));
    }
    let output = run(dir.path(), &["evaluate", "--data", "nowhere", "--quarter", "2026Q3", "--out", "run", "--demo-key"]);
    assert_eq!(output.code, 3, "{}", output.stderr);
    assert_eq!(output.stderr.lines().last(), Some("error: export folder nowhere does not exist or is not a folder"));
}

#[test]
fn every_missing_required_table_is_named_at_once() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("README.md"), "an export that never came").unwrap();
    let error = ingest::ingest(dir.path(), &key()).unwrap_err().to_string();
    assert_eq!(
        error,
        format!(
            "tables institutions, classes, enrollments, attendance, assessments, employment, claims, claim_lines: required tables are missing: expected NAME.parquet or a folder NAME/ of Parquet files for each in {}",
            dir.path().display()
        )
    );
    let output = run(dir.path(), &["check", "--data", "."]);
    assert_eq!(output.code, 3, "{}", output.stderr);
}

#[test]
fn invalid_utf8_names_the_table_column_file_and_row_group() {
    let dir = temp_dir();
    Fixture::clean().write(dir.path());
    // Three row groups of one row; the second name is GBK bytes, not UTF-8.
    let path = dir.path().join("institutions.parquet");
    let mut frame = Fixture::new()
        .add(Table::Institutions, &[])
        .add(Table::Institutions, &[("institution_id", "I2")])
        .add(Table::Institutions, &[("institution_id", "I3")])
        .frame(Table::Institutions);
    let names: Vec<&[u8]> = vec!["济南一校".as_bytes(), b"\xbc\xc3\xc4\xcf", "济南三校".as_bytes()];
    frame.with_column(Column::new("name".into(), names)).unwrap();
    let file = std::fs::File::create(&path).unwrap();
    ParquetWriter::new(file).with_row_group_size(Some(1)).finish(&mut frame).unwrap();
    let error = ingest::ingest(dir.path(), &key()).unwrap_err().to_string();
    assert_eq!(
        error,
        format!(
            "table institutions, column name: invalid UTF-8 text in {}, row group 2 of 3 (rows 2–2); text columns must be UTF-8 (convert a GBK or GB18030 export first)",
            path.display()
        )
    );
    let output = run(dir.path(), &["check", "--data", "."]);
    assert_eq!(output.code, 3, "{}", output.stderr);
}

#[test]
fn nan_infinite_and_huge_amounts_are_rejected_for_what_they_are() {
    let dir = temp_dir();
    let mut fixture = Fixture::clean();
    for claim in ["C2", "C3", "C4", "C5", "C6"] {
        fixture.add(Table::Claims, &[("claim_id", claim)]);
    }
    fixture.write(dir.path());
    // Money written as doubles by a tool that let NaN, infinity and 1e300 through.
    let path = dir.path().join("claims.parquet");
    let mut frame = read_parquet(&path);
    let amounts = [1000.0, f64::NAN, f64::INFINITY, 1e300, -1e300, 1000.0];
    let paid = [Some(1000.0), Some(0.0), Some(0.0), Some(0.0), Some(0.0), Some(f64::NAN)];
    frame.with_column(Column::new("amount".into(), amounts.to_vec())).unwrap();
    frame.with_column(Column::new("paid_amount".into(), paid.to_vec())).unwrap();
    write_parquet(&mut frame, &path);
    let export = ingest::ingest(dir.path(), &key()).unwrap();
    assert_eq!(
        rejects(&export, Table::Claims),
        vec![
            "claims | claim_id=C2 | impossible value: amount is not a finite amount (NaN or infinity)".to_string(),
            "claims | claim_id=C3 | impossible value: amount is not a finite amount (NaN or infinity)".to_string(),
            "claims | claim_id=C4 | impossible value: amount out of range (above 999999999999.99 yuan)".to_string(),
            "claims | claim_id=C5 | impossible value: amount out of range (above 999999999999.99 yuan)".to_string(),
            "claims | claim_id=C6 | impossible value: paid_amount is not a finite amount (NaN or infinity)".to_string(),
        ]
    );
    assert_counts_balance(&export);
}

#[test]
fn decimal_amounts_beyond_the_runs_decimal_14_2_are_out_of_range() {
    let dir = temp_dir();
    let mut fixture = Fixture::clean();
    fixture.add(Table::Claims, &[("claim_id", "C2")]).add(Table::Claims, &[("claim_id", "C3")]);
    fixture.write(dir.path());
    // decimal(38,2): 1000.00, 10^13 yuan (fits 64-bit fen, not decimal(14,2)), 10^20 yuan.
    let path = dir.path().join("claims.parquet");
    let mut frame = read_parquet(&path);
    let unscaled: Int128Chunked = [Some(100_000i128), Some(10i128.pow(15)), Some(10i128.pow(22))].into_iter().collect();
    let amounts = unscaled.with_name("amount".into()).into_decimal(38, 2).unwrap().into_series().into_column();
    frame.with_column(amounts).unwrap();
    write_parquet(&mut frame, &path);
    let export = ingest::ingest(dir.path(), &key()).unwrap();
    assert_eq!(
        rejects(&export, Table::Claims),
        vec![
            "claims | claim_id=C2 | impossible value: amount out of range (above 999999999999.99 yuan)".to_string(),
            "claims | claim_id=C3 | impossible value: amount out of range (above 999999999999.99 yuan)".to_string(),
        ]
    );
    assert_counts_balance(&export);
}

#[test]
fn an_unsigned_integer_beyond_int64_stops_the_read_naming_the_column() {
    let dir = temp_dir();
    let mut fixture = Fixture::clean();
    fixture.add(Table::ClaimLines, &[("enrollment_id", "E2")]);
    fixture.write(dir.path());
    // days is nullable: a value cast to null would be lost without a word.
    let path = dir.path().join("claim_lines.parquet");
    let mut frame = read_parquet(&path);
    frame.with_column(Column::new("days".into(), vec![Some(3u64), Some(u64::MAX)])).unwrap();
    write_parquet(&mut frame, &path);
    let error = ingest::ingest(dir.path(), &key()).unwrap_err().to_string();
    assert_eq!(
        error,
        format!(
            "table claim_lines, column days: cannot read its values in {}, row group 1 of 1 (rows 1–2): conversion from `u64` to `i64` failed in column 'days' for 1 out of 1 values: [18446744073709551615]",
            path.display()
        )
    );
    assert_eq!(run(dir.path(), &["check", "--data", "."]).code, 3);
}

#[test]
fn a_zero_byte_file_is_said_to_be_empty() {
    let dir = temp_dir();
    Fixture::clean().write(dir.path());
    let path = dir.path().join("claims.parquet");
    std::fs::write(&path, b"").unwrap();
    let error = ingest::ingest(dir.path(), &key()).unwrap_err().to_string();
    assert_eq!(error, format!("table claims: cannot read {} as Parquet (truncated, corrupt or not Parquet): the file is empty (0 bytes)", path.display()));
    assert_eq!(run(dir.path(), &["check", "--data", "."]).code, 3);
}

#[test]
fn a_table_folder_without_parquet_says_what_it_holds() {
    let dir = temp_dir();
    Fixture::clean().write(dir.path());
    std::fs::remove_file(dir.path().join("attendance.parquet")).unwrap();
    std::fs::create_dir(dir.path().join("attendance")).unwrap();
    std::fs::write(dir.path().join("attendance/part-0.csv"), "enrollment_id,check_in\n").unwrap();
    std::fs::write(dir.path().join("attendance/_SUCCESS"), "").unwrap();
    let error = ingest::ingest(dir.path(), &key()).unwrap_err().to_string();
    assert_eq!(error, format!("table attendance: folder {}/attendance holds no .parquet file (found: part-0.csv)", dir.path().display()));
    assert_eq!(run(dir.path(), &["check", "--data", "."]).code, 3);
}

#[test]
fn files_that_are_not_read_are_said_so() {
    let dir = temp_dir();
    Fixture::clean().write(dir.path());
    // A folder table with a stray CSV beside its Parquet file, and a misspelt optional table.
    std::fs::remove_file(dir.path().join("attendance.parquet")).unwrap();
    std::fs::create_dir(dir.path().join("attendance")).unwrap();
    let mut frame = Fixture::clean().frame(Table::Attendance);
    write_parquet(&mut frame, &dir.path().join("attendance/part-0.parquet"));
    std::fs::write(dir.path().join("attendance/part-1.csv"), "enrollment_id,check_in\n").unwrap();
    let mut surveys = Fixture::new().add(Table::Surveys, &[]).frame(Table::Surveys);
    write_parquet(&mut surveys, &dir.path().join("survey.parquet"));
    std::fs::write(dir.path().join("notes.txt"), "not data").unwrap();
    let export = ingest::ingest(dir.path(), &key()).unwrap();
    assert_eq!(
        warnings(&export, Lang::En),
        vec![
            "survey.parquet in the export folder is not a table of the contract: not read",
            "table attendance: attendance/part-1.csv is not a .parquet file: not read",
            "table assessments has no rows",
            "table employment has no rows",
        ]
    );
    assert_eq!(export.table(Table::Attendance).rows_read, 5);
}

#[test]
fn a_symbolic_link_loop_in_a_table_folder_is_listed_once_and_upper_case_names_are_read() {
    let dir = temp_dir();
    Fixture::clean().write(dir.path());
    std::fs::remove_file(dir.path().join("attendance.parquet")).unwrap();
    std::fs::create_dir(dir.path().join("attendance")).unwrap();
    let mut frame = Fixture::clean().frame(Table::Attendance);
    write_parquet(&mut frame, &dir.path().join("attendance/PART-0.PARQUET"));
    std::os::unix::fs::symlink("..", dir.path().join("attendance/again")).unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("attendance/loop")).unwrap();
    let export = ingest::ingest(dir.path(), &key()).unwrap();
    assert_eq!(export.table(Table::Attendance).rows_read, 5);
    assert_eq!(export.table(Table::Attendance).files.len(), 1);
}

#[test]
fn invalid_utf8_in_streamed_sign_ins_is_named_as_in_held_ones() {
    let dir = temp_dir();
    Fixture::clean().write(dir.path());
    let path = dir.path().join("attendance.parquet");
    let mut frame = read_parquet(&path);
    let methods: Vec<&[u8]> = vec![b"face", b"face", b"face", b"\xc1\xb3", b"face"];
    frame.with_column(Column::new("method".into(), methods)).unwrap();
    write_parquet(&mut frame, &path);
    let expected = "error: table attendance, column method: invalid UTF-8 text in ./attendance.parquet, row group 1 of 1 (rows 1–5); text columns must be UTF-8 (convert a GBK or GB18030 export first)";
    for stream in ["40000000", "0"] {
        let output = run(dir.path(), &["check", "--data", ".", "--stream-above", stream]);
        assert_eq!(output.code, 3, "{}", output.stderr);
        assert_eq!(output.stderr.trim(), expected, "--stream-above {stream}");
    }
}

#[test]
fn a_hive_partition_value_that_does_not_parse_names_column_and_value() {
    let dir = temp_dir();
    Fixture::clean().write(dir.path());
    std::fs::remove_file(dir.path().join("classes.parquet")).unwrap();
    let folder = dir.path().join("classes/level=four");
    std::fs::create_dir_all(&folder).unwrap();
    let mut frame = Fixture::clean().frame(Table::Classes).drop("level").unwrap();
    let path = folder.join("part-0.parquet");
    write_parquet(&mut frame, &path);
    let error = ingest::ingest(dir.path(), &key()).unwrap_err().to_string();
    assert_eq!(error, format!("table classes, column level: hive partition value 'four' in the path of {} is not an integer", path.display()));
    assert_eq!(run(dir.path(), &["check", "--data", "."]).code, 3);
    // Spark's folder for a missing value is a missing value, rejected as such, not the text.
    std::fs::remove_dir_all(dir.path().join("classes")).unwrap();
    let folder = dir.path().join("classes/category=__HIVE_DEFAULT_PARTITION__");
    std::fs::create_dir_all(&folder).unwrap();
    let mut frame = Fixture::clean().frame(Table::Classes).drop("category").unwrap();
    write_parquet(&mut frame, &folder.join("part-0.parquet"));
    let export = ingest::ingest(dir.path(), &key()).unwrap();
    assert_eq!(rejects(&export, Table::Classes), vec!["classes | class_id=K1 | missing required value: category".to_string()]);
}

#[test]
fn an_empty_employment_table_is_no_data_not_zero() {
    let dir = temp_dir();
    let mut fixture = Fixture::clean();
    // A completed enrollment of an employment class ending in 2026Q1, inside employment_rate's
    // window for 2026Q3 (Q−5 … Q−2): read as 0% employed before, when employment had no rows.
    let person = id_number("1988-08-08", 11);
    fixture
        .add(Table::Classes, &[("class_id", "K0"), ("start_date", "2026-03-01"), ("end_date", "2026-03-10")])
        .add(Table::Enrollments, &[("enrollment_id", "E0"), ("class_id", "K0"), ("person_id", person.as_str())]);
    fixture.write(&dir.path().join("export"));
    let output = run(dir.path(), &["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "run", "--demo-key"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(output.stdout.contains("\n无数据：就业率本季度没有可用数据，为空值，不计入得分（原因见 summary.json）\n"), "{}", output.stdout);
    let scores = read_parquet(&dir.path().join("run/institution_scores.parquet"));
    assert_eq!(
        rows(&scores, &["completion_rate", "pass_rate", "employment_rate", "retention_rate", "satisfaction", "compliance"]),
        vec!["1.0 | null | null | null | null | 1.0"]
    );
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("run/summary.json")).unwrap()).unwrap();
    assert_eq!(
        summary["indicators_without_data"],
        serde_json::json!([
            {"indicator": "pass_rate", "reason": "table assessments has no rows"},
            {"indicator": "employment_rate", "reason": "table employment has no rows"},
            {"indicator": "retention_rate", "reason": "table employment has no rows"},
            {"indicator": "satisfaction", "reason": "table surveys is absent"},
        ])
    );
    assert_eq!(summary["coverage"][2], serde_json::json!({"table": "employment", "column": "month", "present": true, "first": null, "last": null}));
    let html = std::fs::read_to_string(dir.path().join("run/report.html")).unwrap();
    let glance = &html[html.find("id=\"glance\"").unwrap()..];
    assert!(
        glance.starts_with("id=\"glance\"><h2>本季概览</h2><p class=\"warn\" id=\"no-data\">本季度以下指标无数据，未计入任何机构的得分（其余指标按权重重新归一），不按 0 计：取证率（table assessments has no rows）；就业率（table employment has no rows）；稳定就业率（table employment has no rows）；满意度（table surveys is absent）。</p>"),
        "{}",
        &glance[..600.min(glance.len())]
    );
    let coverage = &html[html.find("id=\"coverage-table\"").unwrap()..];
    assert!(coverage.contains("<tr data-table=\"employment\"><td>社保缴费 (employment)</td><td>month</td><td>无数据</td><td>无数据</td></tr>"), "{coverage}");
    assert!(coverage.contains("<tr data-table=\"surveys\"><td>满意度调查 (surveys)</td><td>answered_on</td><td>未提供</td><td>未提供</td></tr>"), "{coverage}");
    let output = run(dir.path(), &["report", "--run", "run", "--lang", "en"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let english = ["run/report.en.html", "run/report.html"].iter().map(|p| dir.path().join(p)).find(|p| p.is_file()).unwrap();
    let html = std::fs::read_to_string(english).unwrap();
    assert!(
        html.contains("<p class=\"warn\" id=\"no-data\">No data this quarter for: pass rate (table assessments has no rows); employment rate (table employment has no rows); retention rate (table employment has no rows); satisfaction (table surveys is absent). These indicators are left out of every score (the other weights renormalised), never counted as 0.</p>"),
        "{html}"
    );
}

/// The committed sample export: its data ends in 2026Q3.
fn sample() -> String {
    root().join("data-samples/jinan").display().to_string()
}

#[test]
fn a_quarter_past_the_exports_data_is_refused_with_its_coverage() {
    let dir = temp_dir();
    let sample = sample();
    let output = run(dir.path(), &["evaluate", "--data", &sample, "--quarter", "2027Q1", "--out", "run", "--demo-key"]);
    assert_eq!(output.code, 3, "{}", output.stderr);
    assert_eq!(
        output.stderr.lines().last().unwrap(),
        "error: the export does not cover 2027Q1: 2027Q1 has no claims submitted in it; \
pass_rate: its window needs assessments through 2027-03; the export's assessments ends 2026-09-30; \
employment_rate: its window needs employment through 2027-03; the export's employment ends 2026-09-01; \
retention_rate: its window needs employment through 2027-03; the export's employment ends 2026-09-01; \
satisfaction: its window needs surveys through 2027-03; the export's surveys ends 2026-09-30. \
Coverage: claims (submitted_on): 2025-01-23 … 2026-09-30; attendance (check_in): 2025-01-04 … 2026-09-30; \
employment (month): 2025-01-01 … 2026-09-01; assessments (exam_date): 2025-02-03 … 2026-09-30; \
surveys (answered_on): 2025-01-27 … 2026-09-30. \
To evaluate anyway, with the uncovered indicators null (left out of the score, never 0%), pass --allow-incomplete"
    );
    assert!(!dir.path().join("run").exists());
    let far = run(dir.path(), &["evaluate", "--data", &sample, "--quarter", "2030Q1", "--out", "run", "--demo-key"]);
    assert_eq!(far.code, 3, "{}", far.stderr);
    assert!(far.stderr.contains("error: the export does not cover 2030Q1: 2030Q1 has no claims submitted in it; "), "{}", far.stderr);

    // Allowed: the uncovered indicators are null for everyone, never 0, and said so.
    let output =
        run(dir.path(), &["evaluate", "--data", &sample, "--quarter", "2027Q1", "--out", "run", "--demo-key", "--allow-incomplete", "--lang", "en"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(output.stdout.starts_with("coverage:\n  claims (submitted_on): 2025-01-23 … 2026-09-30\n"), "{}", output.stdout);
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("run/summary.json")).unwrap()).unwrap();
    let without: Vec<String> = summary["indicators_without_data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|gap| format!("{}: {}", gap["indicator"].as_str().unwrap(), gap["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        without,
        vec![
            "pass_rate: its window needs assessments through 2027-03; the export's assessments ends 2026-09-30",
            "employment_rate: its window needs employment through 2027-03; the export's employment ends 2026-09-01",
            "retention_rate: its window needs employment through 2027-03; the export's employment ends 2026-09-01",
            "satisfaction: its window needs surveys through 2027-03; the export's surveys ends 2026-09-30",
            "compliance: no claim lines in scope in 2027Q1",
        ]
    );
    let scores = read_parquet(&dir.path().join("run/institution_scores.parquet"));
    for indicator in ["pass_rate", "employment_rate", "retention_rate", "satisfaction", "compliance"] {
        assert_eq!(scores.column(indicator).unwrap().null_count(), scores.height(), "{indicator} must be null for everyone");
    }
    assert_eq!(summary["totals"]["claimed"], "0.00");
}

#[test]
fn an_employment_table_whose_rows_are_all_rejected_is_no_data() {
    let mut fixture = Fixture::clean();
    fixture.add(Table::Employment, &[("contribution", "-900.00")]).add(Table::Employment, &[("month", "null")]);
    let (_dir, export) = ingest_fixture(&fixture);
    let export = export.unwrap();
    let coverage = traincredit::ingest::coverage::Coverage::of(&export).unwrap();
    let policy = traincredit::policy::Policy::defaults().unwrap();
    let quarter = "2026Q3".parse().unwrap();
    let completeness = traincredit::features::completeness::Completeness::assess(&export, &coverage, &policy, quarter).unwrap();
    let gaps: Vec<String> = completeness.gaps.iter().map(|gap| format!("{}: {}", gap.indicator, gap.reason)).collect();
    assert_eq!(
        gaps,
        vec![
            "pass_rate: table assessments has no rows",
            "employment_rate: table employment has no usable rows (all 2 rejected)",
            "retention_rate: table employment has no usable rows (all 2 rejected)",
            "satisfaction: table surveys is absent",
        ]
    );
    assert_eq!(completeness.claims_in_quarter, 1);
    // Nothing there refuses the run: the quarter has its claim, no table ends early.
    assert!(completeness.require_complete(quarter, &coverage).is_ok());
}
