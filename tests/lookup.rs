//! `traincredit lookup`: a pseudonym from a run's tables turned back into the export rows that
//! hold it, masked unless `--reveal`, with exact output and exit codes.

use crate::util::*;
use pretty_assertions::assert_eq;
use traincredit::ingest::contract::Table;
use traincredit::person::Pseudonymiser;

/// The demo key's pseudonym of an already normalised value.
fn demo_pseudonym(value: &str) -> String {
    Pseudonymiser::new(Pseudonymiser::DEMO_KEY.as_bytes()).pseudonymise(value)
}

fn lookup(dir: &std::path::Path, pseudonym: &str, more: &[&str]) -> Output {
    let mut args = vec!["lookup", "--data", "export", "--demo-key", "--pseudonym", pseudonym];
    args.extend(more);
    run(dir, &args)
}

/// The clean export, with the person also assessed (their id written padded, as some exports
/// do), employed, and a second person who shares the first one's phone.
fn export(dir: &std::path::Path) -> String {
    let person = id_number("1990-01-01", 1);
    let other = id_number("1985-05-05", 3);
    let mut fixture = Fixture::clean();
    fixture
        .add(Table::Assessments, &[("person_id", format!(" {} ", person.to_lowercase()).as_str())])
        .add(Table::Employment, &[("person_id", other.as_str())])
        .add(Table::Employment, &[("person_id", person.as_str()), ("month", "2026-09-01")])
        .add(Table::Enrollments, &[("enrollment_id", "E2"), ("person_id", other.as_str())]);
    fixture.write(&dir.join("export"));
    person
}

#[test]
fn lookup_prints_every_row_of_a_person_with_personal_values_masked() {
    let dir = temp_dir();
    let person = export(dir.path());
    assert_eq!(person, "37010219900101001X");
    let output = lookup(dir.path(), &demo_pseudonym(&person), &[]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert_eq!(
        output.stdout,
        "table enrollments, file enrollments.parquet, row 1 (pseudonym in person_id)
  enrollment_id: E1
  class_id: K1
  person_id: 3701**********001X
  group: unemployed
  enrolled_on: 2026-06-25
  completed: true
  phone: 138****0000
  payout_account: (missing)
table assessments, file assessments.parquet, row 1 (pseudonym in person_id)
  assessment_id: A1
  person_id: 3701**********001x
  enrollment_id: (missing)
  occupation_code: 4-10-01-06
  level: 4
  exam_date: 2026-07-15
  assessor_id: AS1
  score: 75.0
  passed: true
  certificate_no: CERT1
  fee: 300.00
table employment, file employment.parquet, row 2 (pseudonym in person_id)
  person_id: 3701**********001X
  employer_id: 91370100MA3C000001
  month: 2026-09-01
  contribution: 900.00
3 row(s) hold this pseudonym (personal values masked; --reveal shows them)
"
    );
    assert!(!output.stdout.contains(&person) && !output.stderr.contains(&person), "a raw id escaped the mask");
}

#[test]
fn lookup_reveals_raw_values_only_when_asked_and_finds_phones_and_bank_accounts() {
    let dir = temp_dir();
    export(dir.path());
    let output = lookup(dir.path(), &demo_pseudonym("13800000000"), &["--reveal"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let headers: Vec<&str> = output.stdout.lines().filter(|line| !line.starts_with("  ")).collect();
    assert_eq!(
        headers,
        vec![
            "table enrollments, file enrollments.parquet, row 1 (pseudonym in phone)",
            "table enrollments, file enrollments.parquet, row 2 (pseudonym in phone)",
            "2 row(s) hold this pseudonym (personal values revealed)",
        ]
    );
    assert!(output.stdout.contains("  person_id: 37010219850505003"), "{}", output.stdout);
    assert!(output.stdout.contains("  phone: 13800000000\n"), "{}", output.stdout);

    let output = lookup(dir.path(), &demo_pseudonym("6222000011112222").to_uppercase(), &[]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert_eq!(
        output.stdout,
        "table institutions, file institutions.parquet, row 1 (pseudonym in bank_account)
  institution_id: I1
  name: 济南示例职业培训学校
  kind: private_training
  district: 历下区
  licensed_on: 2020-01-01
  status: active
  capacity: 200
  legal_rep: (missing)
  bank_account: 6222********2222
  credit_code: (missing)
1 row(s) hold this pseudonym (personal values masked; --reveal shows them)
"
    );
}

#[test]
fn lookup_says_when_no_row_holds_the_pseudonym() {
    let dir = temp_dir();
    export(dir.path());
    let nobody = demo_pseudonym("nobody");
    let output = lookup(dir.path(), &nobody, &[]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert_eq!(output.stdout, format!("no row holds this pseudonym ({nobody}) in the 4 file(s) of tables with personal columns\n"));
    // Under another key the same person's pseudonym is a different text: only key holders resolve.
    let other_key = Pseudonymiser::new(b"another bureau's key").pseudonymise("37010219900101001X");
    let output = lookup(dir.path(), &other_key, &[]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(output.stdout.starts_with("no row holds this pseudonym"), "{}", output.stdout);
}

#[test]
fn lookup_refuses_a_malformed_pseudonym_with_exit_2() {
    let dir = temp_dir();
    export(dir.path());
    let output = lookup(dir.path(), "abc123", &[]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert!(
        output.stderr.contains(
            "invalid value 'abc123' for '--pseudonym <HEX>': a pseudonym is 64 hexadecimal characters (0-9, a-f), as in the run's tables; got 6 character(s)"
        ),
        "{}",
        output.stderr
    );
    assert_eq!(output.stdout, "");
}

#[test]
fn lookup_in_an_already_pseudonymised_export_matches_the_hex_text() {
    let dir = temp_dir();
    let hashed = demo_pseudonym("37010219900101001X");
    let mut fixture = Fixture::clean();
    fixture.add(Table::Enrollments, &[("enrollment_id", "E2"), ("person_id", hashed.to_uppercase().as_str()), ("phone", "null")]);
    fixture.write(&dir.path().join("export"));
    let output = lookup(dir.path(), &hashed, &[]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let headers: Vec<&str> = output.stdout.lines().filter(|line| !line.starts_with("  ")).collect();
    assert_eq!(
        headers,
        vec![
            "table enrollments, file enrollments.parquet, row 1 (pseudonym in person_id)",
            "table enrollments, file enrollments.parquet, row 2 (pseudonym in person_id)",
            "2 row(s) hold this pseudonym (personal values masked; --reveal shows them)",
        ]
    );
    // A pseudonym is no raw value: it is shown as the file holds it.
    assert!(output.stdout.contains(&format!("  person_id: {}\n", hashed.to_uppercase())), "{}", output.stdout);
}

#[test]
fn lookup_names_the_file_of_a_table_split_in_a_folder() {
    let dir = temp_dir();
    let person = export(dir.path());
    let export = dir.path().join("export");
    std::fs::create_dir_all(export.join("employment/year=2026")).unwrap();
    std::fs::rename(export.join("employment.parquet"), export.join("employment/year=2026/part-0.parquet")).unwrap();
    let output = lookup(dir.path(), &demo_pseudonym(&person), &[]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(
        output.stdout.contains("\ntable employment, file employment/year=2026/part-0.parquet, row 2 (pseudonym in person_id)\n"),
        "{}",
        output.stdout
    );
}
