//! Shared test helpers: temporary folders, running the binary, hand-made exports built from the
//! contract itself (so a fixture names only the values a test is about), and readable diffs.

#![allow(dead_code)]

use polars::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use traincredit::ingest::contract::{Logical, Table, ALL_TABLES};


/// A temporary folder removed when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("traincredit-test-").tempdir().expect("temporary folder")
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/NAME`.
pub fn fixture(name: &str) -> PathBuf {
    root().join("tests").join("fixtures").join(name)
}

/// Output of one run of the binary.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `traincredit ARGS` in `dir` with the demo-free environment.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    run_logging(dir, args, "warn")
}

/// As [`run`], with the log filter `TRAINCREDIT_LOG=filter` (e.g. `info`).
pub fn run_logging(dir: &Path, args: &[&str], filter: &str) -> Output {
    run_with_log(dir, args, Some(filter))
}

/// As [`run`], with `TRAINCREDIT_LOG=filter`, or without the variable (`None`: the log level is
/// the command line's own, `-v` or not).
pub fn run_with_log(dir: &Path, args: &[&str], filter: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_traincredit"));
    command.args(args).current_dir(dir).env_remove("TRAINCREDIT_KEY");
    match filter {
        Some(filter) => command.env("TRAINCREDIT_LOG", filter),
        None => command.env_remove("TRAINCREDIT_LOG"),
    };
    let output = command.output().expect("running traincredit");
    Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A valid raw ID number for a birth date and a sequence number (odd = male).
pub fn id_number(birth: &str, sequence: u32) -> String {
    let first = format!("370102{}{:03}", birth.replace('-', ""), sequence);
    let check = traincredit::person::check_character(&first).unwrap();
    format!("{first}{check}")
}

/// A hand-made export: rows given as (column, value text) pairs over defaults per table.
/// Values are text in the column's logical type: `2026-07-01`, `2026-07-01 08:00:00`,
/// `1200.00`, `true`, `42`; `null` is a missing value.
#[derive(Debug, Clone, Default)]
pub struct Fixture {
    rows: std::collections::BTreeMap<Table, Vec<Vec<(String, String)>>>,
    /// Optional tables to write even when empty.
    pub write_empty_optional: bool,
}

/// Defaults per table: a row names only what differs.
fn defaults(table: Table) -> &'static [(&'static str, &'static str)] {
    match table {
        Table::Institutions => &[
            ("institution_id", "I1"),
            ("name", "济南示例职业培训学校"),
            ("kind", "private_training"),
            ("district", "历下区"),
            ("licensed_on", "2020-01-01"),
            ("status", "active"),
            ("capacity", "200"),
            ("legal_rep", "null"),
            ("bank_account", "6222000011112222"),
            ("credit_code", "null"),
        ],
        Table::Classes => &[
            ("class_id", "K1"),
            ("institution_id", "I1"),
            ("occupation_code", "4-10-01-06"),
            ("occupation_name", "育婴员"),
            ("level", "4"),
            ("category", "employment"),
            ("mode", "offline"),
            ("start_date", "2026-07-01"),
            ("end_date", "2026-07-10"),
            ("planned_hours", "40"),
            ("capacity", "30"),
            ("subsidy_per_head", "1000.00"),
            ("key_industry", "false"),
        ],
        Table::Enrollments => &[
            ("enrollment_id", "E1"),
            ("class_id", "K1"),
            ("person_id", "37010219900101001X"),
            ("group", "unemployed"),
            ("enrolled_on", "2026-06-25"),
            ("completed", "true"),
            ("phone", "13800000000"),
            ("payout_account", "null"),
        ],
        Table::Attendance => &[
            ("enrollment_id", "E1"),
            ("check_in", "2026-07-01 08:00:00"),
            ("check_out", "2026-07-01 16:00:00"),
            ("method", "face"),
            ("device_id", "D1"),
        ],
        Table::Assessments => &[
            ("assessment_id", "A1"),
            ("person_id", "37010219900101001X"),
            ("enrollment_id", "null"),
            ("occupation_code", "4-10-01-06"),
            ("level", "4"),
            ("exam_date", "2026-07-15"),
            ("assessor_id", "AS1"),
            ("score", "75"),
            ("passed", "true"),
            ("certificate_no", "CERT1"),
            ("fee", "300.00"),
        ],
        Table::Employment => &[
            ("person_id", "37010219900101001X"),
            ("employer_id", "91370100MA3C000001"),
            ("month", "2026-08-01"),
            ("contribution", "900.00"),
        ],
        Table::Claims => &[
            ("claim_id", "C1"),
            ("institution_id", "I1"),
            ("class_id", "K1"),
            ("claim_type", "training"),
            ("submitted_on", "2026-07-20"),
            ("headcount", "1"),
            ("amount", "1000.00"),
            ("paid_amount", "1000.00"),
            ("payment_mode", "reimburse"),
            ("status", "paid"),
        ],
        Table::ClaimLines => &[("claim_id", "C1"), ("enrollment_id", "E1"), ("amount", "1000.00"), ("days", "null")],
        Table::Surveys => &[("enrollment_id", "E1"), ("answered_on", "2026-07-11"), ("score", "5")],
        Table::CaseDecisions => &[
            ("institution_id", "I1"),
            ("decided_on", "2026-08-01"),
            ("finding", "violation"),
            ("amount_defrauded", "null"),
            ("note", "null"),
        ],
        Table::Sanctions => &[
            ("institution_id", "I1"),
            ("kind", "ban"),
            ("from_quarter", "2026Q1"),
            ("until_quarter", "null"),
            ("reason", "test"),
            ("decided_on", "null"),
            ("repaired_on", "null"),
        ],
        Table::Appeals => &[
            ("rule", "R06"),
            ("entity_id", "C1/E1"),
            ("decided_on", "2026-08-01"),
            ("outcome", "overturned"),
            ("note", "null"),
        ],
    }
}

impl Fixture {
    /// An empty export (no rows in any table).
    pub fn new() -> Fixture {
        Fixture::default()
    }

    /// Adds a row to `table`: the defaults with `values` replacing some of them.
    pub fn add(&mut self, table: Table, values: &[(&str, &str)]) -> &mut Fixture {
        for (name, _) in values {
            assert!(defaults(table).iter().any(|(column, _)| column == name), "{} has no column {name}", table.name());
        }
        let row = defaults(table)
            .iter()
            .map(|(name, default)| {
                let value = values.iter().find(|(n, _)| n == name).map(|(_, v)| *v).unwrap_or(default);
                (name.to_string(), value.to_string())
            })
            .collect();
        self.rows.entry(table).or_default().push(row);
        self
    }

    /// Removes every row of `table` (to add others in their place).
    pub fn clear(&mut self, table: Table) -> &mut Fixture {
        self.rows.remove(&table);
        self
    }

    /// Eight-hour sign-ins on 1–5 July 2026 for `enrollment`: 40 hours, the default class's
    /// planned hours, all within its dates.
    pub fn attend_fully(&mut self, enrollment: &str) -> &mut Fixture {
        for day in 1..=5 {
            let check_in = format!("2026-07-{day:02} 08:00:00");
            let check_out = format!("2026-07-{day:02} 16:00:00");
            self.add(Table::Attendance, &[("enrollment_id", enrollment), ("check_in", check_in.as_str()), ("check_out", check_out.as_str())]);
        }
        self
    }

    /// The export observes employment months and assessments up to `last_day` (YYYY-MM-DD), as
    /// a bureau's export taken at a quarter's end does: one person outside every class with a
    /// contribution month and a failed assessment then. Without it, the indicators reading those
    /// tables do not cover a quarter ending after the fixture's own rows, and `evaluate` refuses.
    pub fn observed_through(&mut self, last_day: &str) -> &mut Fixture {
        let person = id_number("1960-01-01", 99);
        let month = format!("{}-01", &last_day[..7]);
        let assessment = format!("A-OBSERVED-{last_day}");
        self.add(Table::Employment, &[("person_id", person.as_str()), ("month", month.as_str())]).add(
            Table::Assessments,
            &[("assessment_id", assessment.as_str()), ("person_id", person.as_str()), ("exam_date", last_day), ("passed", "false"), ("score", "10"), ("certificate_no", "null")],
        )
    }

    /// One institution, class, enrollment (a valid adult) with full attendance, and a paid
    /// training claim of one line: an export that breaks no rule.
    pub fn clean() -> Fixture {
        let person = id_number("1990-01-01", 1);
        let mut fixture = Fixture::new();
        fixture
            .add(Table::Institutions, &[])
            .add(Table::Classes, &[])
            .add(Table::Enrollments, &[("person_id", person.as_str())])
            .add(Table::Claims, &[])
            .add(Table::ClaimLines, &[])
            .attend_fully("E1");
        fixture
    }

    /// The frame of a table in the contract's physical types.
    pub fn frame(&self, table: Table) -> DataFrame {
        let rows = self.rows.get(&table).cloned().unwrap_or_default();
        let columns = table
            .columns()
            .iter()
            .map(|spec| {
                let texts: Vec<Option<String>> = rows
                    .iter()
                    .map(|row| {
                        let value = row.iter().find(|(n, _)| n == spec.name).map(|(_, v)| v.clone()).unwrap_or_else(|| "null".into());
                        (value != "null").then_some(value)
                    })
                    .collect();
                typed_column(spec.name, spec.logical, &texts)
            })
            .collect();
        DataFrame::new(rows.len(), columns).unwrap()
    }

    /// Writes every required table (and every optional one with rows) as `NAME.parquet`.
    pub fn write(&self, dir: &Path) {
        std::fs::create_dir_all(dir).unwrap();
        for table in ALL_TABLES {
            let has_rows = self.rows.contains_key(&table);
            if table.required() || has_rows || self.write_empty_optional {
                let mut frame = self.frame(table);
                write_parquet(&mut frame, &dir.join(format!("{}.parquet", table.name())));
            }
        }
    }
}

/// A column of the contract's physical type from value texts.
pub fn typed_column(name: &str, logical: Logical, texts: &[Option<String>]) -> Column {
    let name: PlSmallStr = name.into();
    match logical {
        Logical::Text => Column::new(name, texts.to_vec()),
        Logical::Integer => Column::new(name, texts.iter().map(|t| t.as_ref().map(|t| t.parse::<i64>().unwrap())).collect::<Vec<_>>()),
        Logical::Boolean => Column::new(name, texts.iter().map(|t| t.as_ref().map(|t| t == "true")).collect::<Vec<_>>()),
        Logical::Real => Column::new(name, texts.iter().map(|t| t.as_ref().map(|t| t.parse::<f64>().unwrap())).collect::<Vec<_>>()),
        Logical::Date => {
            let days: Vec<Option<i32>> = texts
                .iter()
                .map(|t| {
                    t.as_ref().map(|t| {
                        let date = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap();
                        (date - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days() as i32
                    })
                })
                .collect();
            Column::new(name, days).cast(&DataType::Date).unwrap()
        }
        Logical::Timestamp => {
            let micros: Vec<Option<i64>> = texts
                .iter()
                .map(|t| {
                    t.as_ref().map(|t| {
                        chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").unwrap().and_utc().timestamp_micros()
                    })
                })
                .collect();
            Column::new(name, micros).cast(&DataType::Datetime(TimeUnit::Microseconds, None)).unwrap()
        }
        Logical::Money => {
            let unscaled: Int128Chunked = texts
                .iter()
                .map(|t| {
                    t.as_ref().map(|t| {
                        let value: rust_decimal::Decimal = t.parse().unwrap();
                        i128::from(traincredit::money::fen_from_decimal(value).unwrap())
                    })
                })
                .collect();
            unscaled.with_name(name).into_decimal(12, 2).unwrap().into_series().into_column()
        }
    }
}

/// Writes a frame as Parquet (zstd).
pub fn write_parquet(frame: &mut DataFrame, path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    ParquetWriter::new(file).with_compression(ParquetCompression::Zstd(None)).finish(frame).unwrap();
}

/// Reads a Parquet file.
pub fn read_parquet(path: &Path) -> DataFrame {
    LazyFrame::scan_parquet(PlRefPath::from(path.to_string_lossy().as_ref()), Default::default()).unwrap().collect().unwrap()
}

/// The text values of a column (nulls as "null"), for readable comparisons.
pub fn texts(frame: &DataFrame, column: &str) -> Vec<String> {
    let values = frame.column(column).unwrap().cast(&DataType::String).unwrap();
    values.str().unwrap().iter().map(|v| v.unwrap_or("null").to_string()).collect()
}

/// Rows of chosen columns joined by " | ", for readable comparisons.
pub fn rows(frame: &DataFrame, columns: &[&str]) -> Vec<String> {
    let columns: Vec<Vec<String>> = columns.iter().map(|c| texts(frame, c)).collect();
    (0..frame.height()).map(|i| columns.iter().map(|c| c[i].clone()).collect::<Vec<_>>().join(" | ")).collect()
}
