//! Exports written by other tools read the same: the fixtures of `tests/fixtures/writers/`
//! (see its README) hold one logical export written by pyarrow with every codec, with and
//! without dictionaries, with other physical types, as hive-partitioned folders, and by DuckDB.

use crate::util::*;
use pretty_assertions::assert_eq;
use polars::prelude::*;
use traincredit::ingest::{self, contract::Table, contract::ALL_TABLES};
use traincredit::person::Pseudonymiser;
use traincredit::vocab::Lang;

fn expected() -> serde_json::Value {
    let text = std::fs::read_to_string(fixture("writers/expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn sum_fen(export: &ingest::Export, table: Table, column: &str) -> i64 {
    let frame = export.frame(table);
    frame.column(column).unwrap().i64().unwrap().iter().flatten().sum()
}

fn read_writer(name: &str) -> ingest::Export {
    let key = Pseudonymiser::new(b"a test key of some length");
    ingest::ingest(&fixture(&format!("writers/{name}")), &key).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_writer_reads_every_row_with_the_same_values() {
    let expected = expected();
    let writers: Vec<String> = expected["writers"].as_array().unwrap().iter().map(|w| w.as_str().unwrap().to_string()).collect();
    assert_eq!(writers.len(), 10);
    let values = &expected["values"];
    for writer in &writers {
        let export = read_writer(writer);
        for table in ALL_TABLES {
            let ingested = export.table(table);
            let rows = expected["rows"][table.name()].as_u64().unwrap() as usize;
            assert_eq!((writer.as_str(), table.name(), ingested.rows_read), (writer.as_str(), table.name(), rows));
            assert_eq!(
                (writer.as_str(), table.name(), ingested.rows_used(), ingested.rows_rejected()),
                (writer.as_str(), table.name(), rows, 0),
                "rejects: {:?}",
                ingested.rejects
            );
        }
        assert_eq!(sum_fen(&export, Table::Claims, "amount_fen"), values["claims.amount_fen_sum"].as_i64().unwrap(), "{writer}");
        assert_eq!(sum_fen(&export, Table::ClaimLines, "amount_fen"), values["claim_lines.amount_fen_sum"].as_i64().unwrap(), "{writer}");
        assert_eq!(sum_fen(&export, Table::Classes, "subsidy_per_head_fen"), values["classes.subsidy_per_head_fen_sum"].as_i64().unwrap(), "{writer}");
        assert_eq!(sum_fen(&export, Table::Assessments, "fee_fen"), values["assessments.fee_fen_sum"].as_i64().unwrap(), "{writer}");
        assert_eq!(
            sum_fen(&export, Table::Employment, "contribution_fen"),
            values["employment.contribution_fen_sum"].as_i64().unwrap(),
            "{writer}"
        );
        let attendance = export.frame(Table::Attendance);
        let first = attendance
            .clone()
            .lazy()
            .select([col("check_in").min().dt().strftime("%Y-%m-%d %H:%M:%S")])
            .collect()
            .unwrap();
        assert_eq!(texts(&first, "check_in"), vec!["2026-04-07 08:30:00".to_string()], "{writer}");
        assert_eq!(attendance.column("check_out").unwrap().null_count(), 3, "{writer}");
    }
}

#[test]
fn a_double_of_exactly_half_a_fen_rounds_up() {
    // pyarrow_types stores claim JN-CLM-2026-0003's 1588.13 as the double 1588.125.
    let export = read_writer("pyarrow_types");
    let claims = export.frame(Table::Claims);
    let row = claims
        .clone()
        .lazy()
        .filter(col("claim_id").eq(lit("JN-CLM-2026-0003")))
        .select([col("amount_fen")])
        .collect()
        .unwrap();
    assert_eq!(row.column("amount_fen").unwrap().i64().unwrap().get(0), Some(158813));
    let notes: Vec<String> = export.table(Table::Claims).coercions.iter().map(|n| n.render(Lang::En)).collect();
    assert!(notes.contains(&"amount: double rounded half-up to the fen".to_string()), "{notes:?}");
    let notes: Vec<String> = export.table(Table::Claims).coercions.iter().map(|n| n.render(Lang::Zh)).collect();
    assert!(notes.contains(&"amount：浮点金额按四舍五入取到分".to_string()), "{notes:?}");
}

#[test]
fn zoned_timestamps_become_local_time() {
    let export = read_writer("pyarrow_types");
    let notes: Vec<String> = export.table(Table::Attendance).coercions.iter().map(|n| n.render(Lang::En)).collect();
    assert!(notes.contains(&"check_in: timestamps in UTC converted to Asia/Shanghai".to_string()), "{notes:?}");
    let notes: Vec<String> = export.table(Table::Attendance).coercions.iter().map(|n| n.render(Lang::Zh)).collect();
    assert!(notes.contains(&"check_in：UTC 时区的时间戳已换算为 Asia/Shanghai 时间".to_string()), "{notes:?}");
    let attendance = export.frame(Table::Attendance);
    let row = attendance
        .clone()
        .lazy()
        .filter(col("enrollment_id").eq(lit("JN-ENR-2026-0003")))
        .select([col("check_in").dt().strftime("%Y-%m-%d %H:%M:%S")])
        .collect()
        .unwrap();
    // Written as 2026-05-31 23:45:00 UTC: local time is the next morning.
    assert!(texts(&row, "check_in").contains(&"2026-06-01 07:45:00".to_string()), "{:?}", texts(&row, "check_in"));
}

#[test]
fn person_facts_come_from_the_raw_number_and_only_hashes_remain() {
    let export = read_writer("pyarrow_snappy");
    let enrollments = export.frame(Table::Enrollments);
    // person_id holds each person's number; the pseudonym behind it is a 64-hex keyed hash.
    let numbers = enrollments.column("person_id").unwrap().u32().unwrap();
    let persons: Vec<String> = numbers.iter().flatten().map(|id| export.persons.pseudonym(id).unwrap()).collect();
    assert_eq!(persons.len(), enrollments.height());
    assert!(persons.iter().all(|p| traincredit::person::is_hex_hash(p)), "{persons:?}");
    let key = Pseudonymiser::new(b"a test key of some length");
    assert!(persons.contains(&key.pseudonymise("370102198803140241")), "{persons:?}");
    assert!(texts(enrollments, "person_id_form").iter().all(|f| f == "raw_valid"));
    let births = texts(enrollments, "birth_date");
    assert!(births.contains(&"1992-02-29".to_string()), "{births:?}");
    // The raw numbers appear nowhere in the kept tables.
    for table in ALL_TABLES {
        let frame = export.frame(table);
        for column in frame.columns() {
            if let Ok(values) = column.str() {
                for value in values.iter().flatten() {
                    assert!(!value.contains("370102198803140241"), "{} holds a raw ID", table.name());
                }
            }
        }
    }
}

#[test]
fn the_hive_folder_stacks_its_parts_and_the_files_column_wins() {
    let export = read_writer("pyarrow_hive");
    let attendance = export.table(Table::Attendance);
    assert!(attendance.files.len() > 1, "{:?}", attendance.files);
    let claims = export.frame(Table::Claims);
    let mut statuses = texts(claims, "status");
    statuses.sort();
    assert_eq!(statuses, vec!["paid", "pending", "rejected"]);
}

#[test]
fn a_hive_partition_fills_a_missing_column_and_never_overrides_the_files_own() {
    let dir = temp_dir();
    copy_dir(&fixture("writers/pyarrow_snappy"), dir.path());
    let claims = read_parquet(&dir.path().join("claims.parquet"));
    std::fs::remove_file(dir.path().join("claims.parquet")).unwrap();
    // The file keeps its own status under a partition that says otherwise: the file wins.
    let folder = dir.path().join("claims/status=bogus");
    std::fs::create_dir_all(&folder).unwrap();
    write_parquet(&mut claims.clone(), &folder.join("part-0.parquet"));
    // Another table's files lack `days`: the partition value fills it in.
    let lines = read_parquet(&dir.path().join("claim_lines.parquet"));
    std::fs::remove_file(dir.path().join("claim_lines.parquet")).unwrap();
    let folder = dir.path().join("claim_lines/days=7");
    std::fs::create_dir_all(&folder).unwrap();
    write_parquet(&mut lines.drop("days").unwrap(), &folder.join("part-0.parquet"));
    let export = ingest::ingest(dir.path(), &Pseudonymiser::new(b"a test key of some length")).unwrap();
    let mut statuses = texts(export.frame(Table::Claims), "status");
    statuses.sort();
    assert_eq!(statuses, vec!["paid", "pending", "rejected"]);
    assert_eq!(export.table(Table::Claims).rows_rejected(), 0);
    assert_eq!(texts(export.frame(Table::ClaimLines), "days"), vec!["7"; 6]);
    assert!(export.table(Table::ClaimLines).coercions.iter().any(|n| n.render(Lang::En) == "days: taken from the folder's hive partition"));
}
