//! Writes the world as the data contract's Parquet export (zstd), one table at a time.
//!
//! Types are exactly the contract's: strings, `date32` dates, microsecond timestamps without a
//! zone, Int32 integers, Float64 scores and `decimal(p,2)` money built from integer fen. Rows are
//! sorted by each table's key so that the same options give byte-identical files. Attendance is
//! generated and written one month partition at a time to keep memory flat.

use super::attendance::{sign_ins, SignIn};
use super::model::*;
use super::truth::class_id;
use crate::error::PolarsContext;
use crate::{Error, Result};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use polars::prelude::*;
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::Path;

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")
}

fn day_number(date: NaiveDate) -> i32 {
    (date - epoch()).num_days() as i32
}

fn micros(at: NaiveDateTime) -> i64 {
    at.and_utc().timestamp() * 1_000_000
}

fn strings(name: &str, values: Vec<String>) -> Column {
    Column::new(name.into(), values)
}

/// A string column from borrowed text (no copy per row before polars takes it).
fn borrowed<'a>(name: &str, values: impl Iterator<Item = &'a str>) -> Column {
    StringChunked::from_iter_values(name.into(), values).into_column()
}

fn optional_strings(name: &str, values: Vec<Option<String>>) -> Column {
    Column::new(name.into(), values)
}

fn dates(name: &str, values: Vec<NaiveDate>) -> Column {
    let days: Vec<i32> = values.into_iter().map(day_number).collect();
    Series::new(name.into(), days).into_date().into_column()
}

fn timestamps(name: &str, values: Vec<Option<i64>>) -> Column {
    Series::new(name.into(), values).into_datetime(TimeUnit::Microseconds, None).into_column()
}

fn int32(name: &str, values: Vec<i32>) -> Column {
    Column::new(name.into(), values)
}

fn optional_int32(name: &str, values: Vec<Option<i32>>) -> Column {
    Column::new(name.into(), values)
}

fn booleans(name: &str, values: Vec<bool>) -> Column {
    Column::new(name.into(), values)
}

/// A `decimal(precision, 2)` column from amounts in fen (never through floating point).
fn money(name: &str, fen: Vec<Option<i64>>, precision: usize) -> Result<Column> {
    let unscaled: Vec<Option<i128>> = fen.into_iter().map(|v| v.map(i128::from)).collect();
    Ok(Series::new(name.into(), unscaled).into_decimal(precision, 2).context(name)?.into_column())
}

fn write_table(path: &Path, columns: Vec<Column>) -> Result<usize> {
    let mut frame = DataFrame::new_infer_height(columns).context("assembling a sample table")?;
    let file = File::create(path).map_err(|e| Error::io("writing the sample export", path, e))?;
    ParquetWriter::new(file)
        .with_compression(ParquetCompression::Zstd(None))
        .finish(&mut frame)
        .context(&format!("writing {}", path.display()))?;
    Ok(frame.height())
}

/// Rows per row group of the large tables (polars' default row-group size).
const CHUNK_ROWS: usize = 512 * 512;

/// Writes a large table one row group at a time, so that only one chunk of its columns is ever
/// built: `columns` makes the columns of a range of rows.
fn write_chunked(
    path: &Path,
    rows: usize,
    columns: impl Fn(std::ops::Range<usize>) -> Result<Vec<Column>>,
) -> Result<usize> {
    let context = format!("writing {}", path.display());
    let first = DataFrame::new_infer_height(columns(0..rows.min(CHUNK_ROWS))?).context("assembling a sample table")?;
    let file = File::create(path).map_err(|e| Error::io("writing the sample export", path, e))?;
    let mut writer = ParquetWriter::new(file)
        .with_compression(ParquetCompression::Zstd(None))
        .batched(first.schema())
        .context(&context)?;
    writer.write_batch(&first).context(&context)?;
    drop(first);
    for start in (CHUNK_ROWS..rows).step_by(CHUNK_ROWS) {
        let chunk = DataFrame::new_infer_height(columns(start..rows.min(start + CHUNK_ROWS))?)
            .context("assembling a sample table")?;
        writer.write_batch(&chunk).context(&context)?;
    }
    writer.finish().context(&context)?;
    Ok(rows)
}

/// Writes every table into `out` and returns (table, rows written).
pub fn write_all(world: &World, out: &Path) -> Result<Vec<(String, usize)>> {
    let mut counts = Vec::new();
    let mut table = |name: &str, rows: usize| counts.push((name.to_string(), rows));
    table("institutions", institutions(world, &out.join("institutions.parquet"))?);
    table("classes", classes(world, &out.join("classes.parquet"))?);
    table("enrollments", enrollments(world, &out.join("enrollments.parquet"))?);
    table("attendance", attendance(world, &out.join("attendance"))?);
    table("assessments", assessments(world, &out.join("assessments.parquet"))?);
    table("employment", employment(world, &out.join("employment.parquet"))?);
    let (claims, lines) = claims(world, out)?;
    table("claims", claims);
    table("claim_lines", lines);
    table("surveys", surveys(world, &out.join("surveys.parquet"))?);
    table("case_decisions", decisions(world, &out.join("case_decisions.parquet"))?);
    table("sanctions", sanctions(world, &out.join("sanctions.parquet"))?);
    table("appeals", appeals(world, &out.join("appeals.parquet"))?);
    Ok(counts)
}

fn institutions(world: &World, path: &Path) -> Result<usize> {
    let rows = &world.institutions;
    write_table(
        path,
        vec![
            strings("institution_id", rows.iter().map(Institution::id).collect()),
            strings("name", rows.iter().map(|i| i.name.clone()).collect()),
            strings("kind", rows.iter().map(|i| i.kind.name().to_string()).collect()),
            strings(
                "district",
                rows.iter().map(|i| super::catalogue::DISTRICTS[i.district].name.to_string()).collect(),
            ),
            dates("licensed_on", rows.iter().map(|i| i.licensed_on).collect()),
            strings("status", rows.iter().map(|i| i.status.to_string()).collect()),
            int32("capacity", rows.iter().map(|i| i.capacity as i32).collect()),
            strings("legal_rep", rows.iter().map(|i| i.legal_rep.clone()).collect()),
            strings("bank_account", rows.iter().map(|i| i.bank_account.clone()).collect()),
        ],
    )
}

fn classes(world: &World, path: &Path) -> Result<usize> {
    // A withdrawn class (its institution was stopped before it started) is not written; the
    // others keep their ids.
    let kept: Vec<u32> = (0..world.classes.len() as u32).filter(|&c| !world.withdrawn_class(c)).collect();
    let rows: Vec<&Class> = kept.iter().map(|&c| &world.classes[c as usize]).collect();
    write_table(
        path,
        vec![
            strings("class_id", kept.iter().map(|&c| class_id(c)).collect()),
            strings("institution_id", rows.iter().map(|c| world.institutions[c.institution as usize].id()).collect()),
            strings("occupation_code", rows.iter().map(|c| c.occupation().code.to_string()).collect()),
            strings("occupation_name", rows.iter().map(|c| c.occupation().name.to_string()).collect()),
            int32("level", rows.iter().map(|c| c.level as i32).collect()),
            strings("category", rows.iter().map(|c| c.category.name().to_string()).collect()),
            strings("mode", rows.iter().map(|c| c.mode.name().to_string()).collect()),
            dates("start_date", rows.iter().map(|c| c.start).collect()),
            dates("end_date", rows.iter().map(|c| c.end()).collect()),
            int32("planned_hours", rows.iter().map(|c| c.planned_hours as i32).collect()),
            int32("capacity", rows.iter().map(|c| c.capacity as i32).collect()),
            money("subsidy_per_head", rows.iter().map(|c| Some(c.subsidy_fen)).collect(), 12)?,
            booleans("key_industry", rows.iter().map(|c| c.key_industry).collect()),
        ],
    )
}

/// The person id as the enrollments table carries it.
fn enrolled_person_id(world: &World, person: u32) -> String {
    let p = &world.persons[person as usize];
    if p.lower_x {
        format!("{}x", &p.id[..p.id.len() - 1])
    } else {
        p.id.clone()
    }
}

fn enrollments(world: &World, path: &Path) -> Result<usize> {
    let kept: Vec<u32> = (0..world.enrollments.len() as u32).filter(|&e| !world.withdrawn_enrollment(e)).collect();
    write_chunked(path, kept.len(), |range| {
        let rows: Vec<&Enrollment> = kept[range.clone()].iter().map(|&e| &world.enrollments[e as usize]).collect();
        Ok(vec![
            strings("enrollment_id", kept[range].iter().map(|&e| Enrollment::id_of(e)).collect()),
            strings("class_id", rows.iter().map(|e| class_id(e.class)).collect()),
            strings("person_id", rows.iter().map(|e| enrolled_person_id(world, e.person)).collect()),
            borrowed("group", rows.iter().map(|e| e.group.name())),
            dates("enrolled_on", rows.iter().map(|e| e.enrolled_on).collect()),
            booleans("completed", rows.iter().map(|e| e.completed).collect()),
            strings("phone", rows.iter().map(|e| e.phone.to_string()).collect()),
            optional_strings("payout_account", rows.iter().map(|e| e.payout_account.map(|a| a.to_string())).collect()),
        ])
    })
}

/// Removes month partitions an earlier export left behind, so a reader never mixes two exports.
fn clear_old_partitions(folder: &Path) -> Result<()> {
    let Ok(entries) = fs::read_dir(folder) else { return Ok(()) };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_month = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("month="));
        if is_month && path.is_dir() {
            let part = path.join("part-0.parquet");
            if part.exists() {
                fs::remove_file(&part).map_err(|e| Error::io("removing an old attendance partition", &part, e))?;
            }
            // Only empty folders go: anything else in there is not ours.
            let _ = fs::remove_dir(&path);
        }
    }
    Ok(())
}

fn attendance(world: &World, folder: &Path) -> Result<usize> {
    clear_old_partitions(folder)?;
    fs::create_dir_all(folder).map_err(|e| Error::io("creating the attendance folder", folder, e))?;
    let mut months: BTreeMap<(i32, u32), Vec<u32>> = BTreeMap::new();
    for (index, class) in world.classes.iter().enumerate() {
        if world.withdrawn_class(index as u32) {
            continue;
        }
        // Planted early sessions start up to four days before the class.
        let first = month_start_after(class.start - chrono::Duration::days(5), 0);
        let last = class.end().min(world.last_day);
        let mut month = first;
        while month <= last {
            months.entry((month.year(), month.month())).or_default().push(index as u32);
            month = month_start_after(month, 1);
        }
    }
    for extra in &world.extra_sign_ins {
        let month = (extra.check_in.year(), extra.check_in.month());
        months.entry(month).or_default();
    }
    let mut total = 0;
    for ((year, month), classes) in months {
        let mut rows: Vec<(u32, SignIn)> = Vec::new();
        for class in classes {
            for &enrollment in &world.classes[class as usize].enrollments {
                for row in sign_ins(world, enrollment) {
                    if (row.check_in.year(), row.check_in.month()) == (year, month) {
                        rows.push((enrollment, row));
                    }
                }
            }
        }
        for extra in &world.extra_sign_ins {
            if (extra.check_in.year(), extra.check_in.month()) == (year, month) && !world.withdrawn_enrollment(extra.enrollment) {
                let row = SignIn {
                    check_in: extra.check_in,
                    check_out: extra.check_out,
                    method: extra.method,
                    device: extra.device.clone(),
                };
                rows.push((extra.enrollment, row));
            }
        }
        if rows.is_empty() {
            continue;
        }
        rows.sort_by_key(|(enrollment, row)| (*enrollment, row.check_in));
        let partition = folder.join(format!("month={year:04}-{month:02}"));
        fs::create_dir_all(&partition).map_err(|e| Error::io("creating an attendance partition", &partition, e))?;
        total += write_table(
            &partition.join("part-0.parquet"),
            vec![
                strings("enrollment_id", rows.iter().map(|(e, _)| Enrollment::id_of(*e)).collect()),
                timestamps("check_in", rows.iter().map(|(_, r)| Some(micros(r.check_in))).collect()),
                timestamps("check_out", rows.iter().map(|(_, r)| r.check_out.map(micros)).collect()),
                borrowed("method", rows.iter().map(|(_, r)| r.method.name())),
                borrowed("device_id", rows.iter().map(|(_, r)| r.device.as_str())),
            ],
        )?;
    }
    Ok(total)
}

fn assessments(world: &World, path: &Path) -> Result<usize> {
    // An exam of a withdrawn enrollment was never sat.
    let kept: Vec<usize> = (0..world.assessments.len())
        .filter(|&a| !world.assessments[a].enrollment.is_some_and(|e| world.withdrawn_enrollment(e)))
        .collect();
    write_chunked(path, kept.len(), |range| {
        let rows: Vec<&Assessment> = kept[range.clone()].iter().map(|&a| &world.assessments[a]).collect();
        Ok(vec![
            strings("assessment_id", kept[range].iter().map(|&i| format!("JN-ASM-{:07}", i + 1)).collect()),
            borrowed("person_id", rows.iter().map(|a| world.persons[a.person as usize].id.as_str())),
            optional_strings(
                "enrollment_id",
                rows.iter().map(|a| a.enrollment.filter(|_| a.link_enrollment).map(Enrollment::id_of)).collect(),
            ),
            strings(
                "occupation_code",
                rows.iter().map(|a| super::catalogue::occupation(a.occupation).code.to_string()).collect(),
            ),
            int32("level", rows.iter().map(|a| a.level as i32).collect()),
            dates("exam_date", rows.iter().map(|a| a.exam_date).collect()),
            strings("assessor_id", rows.iter().map(|a| super::catalogue::ASSESSORS[a.assessor].to_string()).collect()),
            Column::new("score".into(), rows.iter().map(|a| a.score).collect::<Vec<Option<f64>>>()),
            booleans("passed", rows.iter().map(|a| a.passed).collect()),
            optional_strings("certificate_no", rows.iter().map(|a| a.certificate.clone()).collect()),
            money("fee", rows.iter().map(|a| Some(a.fee_fen)).collect(), 10)?,
        ])
    })
}

fn employment(world: &World, path: &Path) -> Result<usize> {
    let mut order: Vec<usize> = (0..world.employment.len()).collect();
    let key = |i: &usize| {
        let row = &world.employment[*i];
        (
            world.persons[row.person as usize].id.as_str(),
            world.employers[row.employer as usize].code.as_str(),
            row.month,
        )
    };
    order.sort_by(|a, b| key(a).cmp(&key(b)));
    // One row per key: a person back in training can be reported twice for the same month.
    order.dedup_by(|a, b| key(a) == key(b));
    write_chunked(path, order.len(), |range| {
        let rows: Vec<&EmploymentMonth> = order[range].iter().map(|&i| &world.employment[i]).collect();
        Ok(vec![
            borrowed("person_id", rows.iter().map(|r| world.persons[r.person as usize].id.as_str())),
            borrowed("employer_id", rows.iter().map(|r| world.employers[r.employer as usize].code.as_str())),
            dates("month", rows.iter().map(|r| r.month).collect()),
            money("contribution", rows.iter().map(|r| r.contribution_fen).collect(), 12)?,
        ])
    })
}

fn claims(world: &World, out: &Path) -> Result<(usize, usize)> {
    let mut order: Vec<&Claim> = world.claims.iter().filter(|c| !c.dropped).collect();
    order.sort_by_key(|c| c.number);
    let claims = write_table(
        &out.join("claims.parquet"),
        vec![
            strings("claim_id", order.iter().map(|c| c.id()).collect()),
            strings("institution_id", order.iter().map(|c| world.institutions[c.institution as usize].id()).collect()),
            optional_strings("class_id", order.iter().map(|c| c.class.map(class_id)).collect()),
            strings("claim_type", order.iter().map(|c| c.kind.name().to_string()).collect()),
            dates("submitted_on", order.iter().map(|c| c.submitted_on).collect()),
            int32("headcount", order.iter().map(|c| (c.lines.len() as i64 + c.headcount_adjust) as i32).collect()),
            money("amount", order.iter().map(|c| Some(c.amount_fen)).collect(), 14)?,
            money("paid_amount", order.iter().map(|c| c.paid_fen).collect(), 14)?,
            strings(
                "payment_mode",
                order.iter().map(|c| if c.credit_mode { "credit" } else { "reimburse" }.to_string()).collect(),
            ),
            strings("status", order.iter().map(|c| c.status.name().to_string()).collect()),
        ],
    )?;
    let mut lines: Vec<(u32, String, &Line)> = Vec::new();
    for claim in &order {
        for &line in &claim.lines {
            let l = &world.lines[line as usize];
            lines.push((claim.number, l.enrollment.id(), l));
        }
    }
    lines.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let claim_ids: BTreeMap<u32, String> = order.iter().map(|c| (c.number, c.id())).collect();
    let written = write_chunked(&out.join("claim_lines.parquet"), lines.len(), |range| {
        let lines = &lines[range];
        Ok(vec![
            borrowed("claim_id", lines.iter().map(|(n, _, _)| claim_ids[n].as_str())),
            borrowed("enrollment_id", lines.iter().map(|(_, e, _)| e.as_str())),
            money("amount", lines.iter().map(|(_, _, l)| Some(l.amount_fen)).collect(), 12)?,
            optional_int32("days", lines.iter().map(|(_, _, l)| l.days.map(|d| d as i32)).collect()),
        ])
    })?;
    Ok((claims, written))
}

fn surveys(world: &World, path: &Path) -> Result<usize> {
    let withdrawn = |s: &Survey| matches!(s.enrollment, EnrollmentRef::Known(e) if world.withdrawn_enrollment(e));
    let mut rows: Vec<&Survey> = world.surveys.iter().filter(|s| !withdrawn(s)).collect();
    rows.sort_by_key(|s| s.enrollment);
    write_table(
        path,
        vec![
            strings("enrollment_id", rows.iter().map(|s| s.enrollment.id()).collect()),
            dates("answered_on", rows.iter().map(|s| s.answered_on).collect()),
            int32("score", rows.iter().map(|s| s.score as i32).collect()),
        ],
    )
}

fn decisions(world: &World, path: &Path) -> Result<usize> {
    let mut rows: Vec<&Decision> = world.decisions.iter().collect();
    rows.sort_by_key(|d| (world.institutions[d.institution as usize].number, d.decided_on));
    write_table(
        path,
        vec![
            strings("institution_id", rows.iter().map(|d| world.institutions[d.institution as usize].id()).collect()),
            dates("decided_on", rows.iter().map(|d| d.decided_on).collect()),
            strings("finding", rows.iter().map(|d| d.finding.to_string()).collect()),
            money("amount_defrauded", rows.iter().map(|d| d.amount_fen).collect(), 14)?,
            optional_strings("note", rows.iter().map(|d| d.note.clone()).collect()),
        ],
    )
}

fn sanctions(world: &World, path: &Path) -> Result<usize> {
    let mut rows: Vec<&Sanction> = world.sanctions.iter().collect();
    rows.sort_by_key(|s| (world.institutions[s.institution as usize].number, s.kind, s.from));
    write_table(
        path,
        vec![
            strings("institution_id", rows.iter().map(|s| world.institutions[s.institution as usize].id()).collect()),
            strings("kind", rows.iter().map(|s| s.kind.to_string()).collect()),
            strings("from_quarter", rows.iter().map(|s| s.from.to_string()).collect()),
            optional_strings("until_quarter", rows.iter().map(|s| s.until.map(|q| q.to_string())).collect()),
            strings("reason", rows.iter().map(|s| s.reason.clone()).collect()),
        ],
    )
}

/// The entity id of a claim line, as the engine writes it in flags.
pub fn line_entity(world: &World, line: u32) -> String {
    let l = &world.lines[line as usize];
    format!("{}/{}", world.claims[l.claim as usize].id(), l.enrollment.id())
}

fn appeals(world: &World, path: &Path) -> Result<usize> {
    let mut rows: Vec<(&Appeal, String)> = world.appeals.iter().map(|a| (a, line_entity(world, a.line))).collect();
    rows.sort_by(|a, b| (a.0.rule, &a.1).cmp(&(b.0.rule, &b.1)));
    write_table(
        path,
        vec![
            strings("rule", rows.iter().map(|(a, _)| a.rule.to_string()).collect()),
            strings("entity_id", rows.iter().map(|(_, e)| e.clone()).collect()),
            dates("decided_on", rows.iter().map(|(a, _)| a.decided_on).collect()),
            strings("outcome", rows.iter().map(|(a, _)| a.outcome.to_string()).collect()),
            optional_strings("note", rows.iter().map(|(a, _)| Some(a.note.clone())).collect()),
        ],
    )
}
