//! Sign-in signals, over sign-ins whose check-in date lies in the window Q−3 … Q.
//!
//! - `synchronized_sign_ins`: many trainees of one class checking in within the same second. A
//!   terminal reads one card or face at a time, so a burst of `min_burst` or more trainees in one
//!   second means someone pressed many cards at once (proxy sign-in). Hand-written (`manual`)
//!   times carry minutes only and `online` sessions may open together: both are left out.
//!   Value: the share of machine sign-ins that fall in bursts.
//! - `manual_sign_ins`: the share of in-person (not `online`) sign-ins entered by hand, which
//!   nobody can check against a terminal.
//!
//! Both are judged from [`SignInCounts`]: the window's sign-ins counted once per class and per
//! second, in ranges of days when the sign-ins are streamed from disk (`ingest::IngestOptions`).

use super::robust::Direction;
use super::{data, judge_all, optional, percent, Comparison, Context, Entity, Measurement, SignalValue};
use crate::vocab::messages::nested::{self, Sentence};
use crate::vocab::messages::signals as m;
use crate::vocab::SignalId;
use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::ingest::contract::Table;
use crate::query::CollectStreaming;
use chrono::NaiveDate;
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

pub const SYNCHRONIZED: SignalId = SignalId::SynchronizedSignIns;
pub const MANUAL: SignalId = SignalId::ManualSignIns;
pub const BULK: SignalId = SignalId::BulkSignIns;

/// Internal columns: a class's and an enrollment's position in their tables. The sign-ins of a
/// window are grouped by class and second: numbers make those keys a few bytes, where the texts
/// of a nation's month of sign-ins would take gigabytes.
const CLASS_NUMBER: &str = "__class_number";
const ENROLLMENT_NUMBER: &str = "__enrollment_number";

/// Sign-ins in the window with their class: [`ENROLLMENT_NUMBER`], [`CLASS_NUMBER`], `check_in`,
/// `method`, `device_id`; as one frame when the sign-ins are held, and as consecutive ranges of
/// days when they are streamed from disk, each range small enough to hold (a burst lies within
/// one second, so no burst straddles two ranges). [`class_texts`] names the classes.
pub fn window_chunks(ctx: &Context) -> Vec<LazyFrame> {
    let enrollments = ctx
        .export
        .frame(Table::Enrollments)
        .clone()
        .lazy()
        .select([col(c::ENROLLMENT_ID), col(c::CLASS_ID)])
        .with_row_index(ENROLLMENT_NUMBER, None)
        .inner_join(class_texts(ctx), col(c::CLASS_ID), col(c::CLASS_ID))
        .select([col(c::ENROLLMENT_ID), col(ENROLLMENT_NUMBER), col(CLASS_NUMBER)]);
    let attendance = ctx.export.table(Table::Attendance);
    let chunks = if attendance.streamed.is_some() { attendance.rows_used().div_ceil(SIGN_INS_PER_CHUNK).max(1) } else { 1 };
    day_ranges(ctx.from, ctx.to, chunks)
        .into_iter()
        .map(|(first, last)| {
            let day = col(c::CHECK_IN).dt().date();
            ctx.export
                .scan_between(Table::Attendance, first, last)
                .filter(day.clone().gt_eq(lit(first)).and(day.lt_eq(lit(last))))
                .select([col(c::ENROLLMENT_ID), col(c::CHECK_IN), col(c::METHOD), col(c::DEVICE_ID)])
                .inner_join(enrollments.clone(), col(c::ENROLLMENT_ID), col(c::ENROLLMENT_ID))
                .select([col(ENROLLMENT_NUMBER), col(CLASS_NUMBER), col(c::CHECK_IN), col(c::METHOD), col(c::DEVICE_ID)])
        })
        .collect()
}

/// [`CLASS_NUMBER`], `class_id`, `institution_id` of every class.
fn class_texts(ctx: &Context) -> LazyFrame {
    ctx.export
        .frame(Table::Classes)
        .clone()
        .lazy()
        .select([col(c::CLASS_ID), col(c::INSTITUTION_ID)])
        .with_row_index(CLASS_NUMBER, None)
}

/// Streamed sign-ins are read in ranges of days holding at most about this many of the table's
/// rows (all of them would fall in the window at worst).
const SIGN_INS_PER_CHUNK: usize = 20_000_000;

/// `[from, to]` cut into at most `parts` consecutive ranges of whole days, none empty.
fn day_ranges(from: NaiveDate, to: NaiveDate, parts: usize) -> Vec<(NaiveDate, NaiveDate)> {
    let days = (to - from).num_days() + 1;
    if days <= 0 {
        return vec![(from, to)];
    }
    let parts = (parts as i64).clamp(1, days);
    (0..parts)
        .map(|part| {
            let first = from + chrono::Duration::days(days * part / parts);
            let last = from + chrono::Duration::days(days * (part + 1) / parts - 1);
            (first, last)
        })
        .collect()
}

/// The window's sign-ins reduced to what the two sign-in signals judge, counted range by range
/// so that a nation's year of sign-ins is never held at once.
pub struct SignInCounts {
    /// `institution_id`, `total`: machine sign-ins (methods the burst rule does not exclude).
    machine: DataFrame,
    /// `institution_id`, `class_id`, `check_in`, `trainees`, `sign_ins`, `devices`, `device`,
    /// `at`: every burst of `min_burst` or more trainees of one class in one second.
    bursts: DataFrame,
    /// `institution_id`, `class_id`, `total`, `manual`: in-person (not `online`) sign-ins.
    in_person: DataFrame,
    /// `institution_id`, `class_id`, `minute`, `at`, `trainees`, `sign_ins`, `manual`: every
    /// group of `min_bulk` or more trainees of one class whose in-person sign-ins were recorded
    /// in the same minute, machine sign-ins of a same-second burst left out (empty when
    /// `bulk_sign_ins` is off).
    bulk: DataFrame,
}

/// Counts the sign-in rows of `chunks` (the columns of [`window_chunks`]); `classes` names the
/// classes ([`class_texts`]). Each chunk is gathered once, narrow, then counted per class and
/// per second: the seconds where a class has fewer than `min_burst` machine sign-ins (nearly all
/// of them) are dropped before the trainees and devices of a second are counted.
///
/// With `min_bulk`, it also counts the minutes in which `min_bulk` or more trainees of one class
/// signed in in person, whatever the method: sign-ins typed in at one time. The machine sign-ins
/// of a crowded second are left out of them, since `synchronized_sign_ins` counts those.
pub fn count_sign_ins(chunks: Vec<LazyFrame>, classes: LazyFrame, exclude_methods: &[String], min_burst: usize, min_bulk: Option<usize>) -> Result<SignInCounts> {
    let excluded = Series::new("excluded".into(), exclude_methods.to_vec());
    let is_machine = col(c::METHOD).is_in(lit(excluded).implode(false), false).not();
    let second = [col(CLASS_NUMBER), col(c::CHECK_IN)];
    let (mut per_class, mut bursts, mut bulk) = (Vec::new(), Vec::new(), Vec::new());
    for rows in chunks {
        let rows = rows.collect_streaming().context("sign-ins in the window")?;
        per_class.push(
            rows.clone()
                .lazy()
                .group_by([col(CLASS_NUMBER)])
                .agg([
                    is_machine.clone().cast(DataType::Int64).sum().alias("machine"),
                    col(c::METHOD).neq(lit("online")).cast(DataType::Int64).sum().alias("total"),
                    col(c::METHOD).eq(lit("manual")).cast(DataType::Int64).sum().alias("manual"),
                ])
                .collect()
                .context("sign-ins per class")?
                .lazy(),
        );
        let machine = rows.clone().lazy().filter(is_machine.clone());
        let mut crowded = crowded_seconds(machine.clone(), CLASS_NUMBER, min_burst);
        if let Some(min_bulk) = min_bulk {
            // The bursts and the bulk minutes both need the crowded seconds: found once.
            crowded = crowded.collect().context("crowded seconds")?.lazy();
            let minute = [col(CLASS_NUMBER), col("minute")];
            bulk.push(
                bulk_candidates(rows.lazy(), CLASS_NUMBER, &is_machine, crowded.clone())?
                    .with_column(col(c::CHECK_IN).dt().truncate(lit("1m")).alias("minute"))
                    .group_by(minute)
                    .agg([
                        col(ENROLLMENT_NUMBER).n_unique().cast(DataType::Int64).alias("trainees"),
                        len().cast(DataType::Int64).alias("sign_ins"),
                        col(c::METHOD).eq(lit("manual")).cast(DataType::Int64).sum().alias("manual"),
                    ])
                    .filter(col("trainees").gt_eq(lit(min_bulk as i64)))
                    .collect()
                    .context("bulk-entered sign-ins")?
                    .lazy(),
            );
        }
        bursts.push(
            machine
                .join(crowded, second.clone(), second.clone(), JoinArgs::new(JoinType::Semi))
                .group_by(second.clone())
                .agg([
                    col(ENROLLMENT_NUMBER).n_unique().cast(DataType::Int64).alias("trainees"),
                    len().cast(DataType::Int64).alias("sign_ins"),
                    col(c::DEVICE_ID).n_unique().cast(DataType::Int64).alias("devices"),
                    col(c::DEVICE_ID).min().alias("device"),
                ])
                .filter(col("trainees").gt_eq(lit(min_burst as i64)))
                .collect()
                .context("synchronized sign-ins: bursts")?
                .lazy(),
        );
    }
    let named = |counted: LazyFrame| counted.inner_join(classes.clone(), col(CLASS_NUMBER), col(CLASS_NUMBER));
    let per_class = concat(per_class, UnionArgs::default())
        .and_then(|all| {
            named(all.group_by([col(CLASS_NUMBER)]).agg([col("machine").sum(), col("total").sum(), col("manual").sum()]))
                .select([col(c::INSTITUTION_ID), col(c::CLASS_ID), col("machine"), col("total"), col("manual")])
                .sort([c::INSTITUTION_ID, c::CLASS_ID], SortMultipleOptions::default().with_maintain_order(true))
                .collect()
        })
        .context("sign-ins per class")?;
    let machine = per_class
        .clone()
        .lazy()
        .filter(col("machine").gt(lit(0i64)))
        .group_by([col(c::INSTITUTION_ID)])
        .agg([col("machine").sum().alias("total")])
        .sort([c::INSTITUTION_ID], SortMultipleOptions::default())
        .collect()
        .context("synchronized sign-ins: machine sign-ins per institution")?;
    let in_person = per_class
        .lazy()
        .filter(col("total").gt(lit(0i64)))
        .select([col(c::INSTITUTION_ID), col(c::CLASS_ID), col("total"), col("manual")])
        .collect()
        .context("manual sign-ins per class")?;
    let bursts = concat(bursts, UnionArgs::default())
        .and_then(|all| {
            named(all)
                .select([
                    col(c::INSTITUTION_ID),
                    col(c::CLASS_ID),
                    col(c::CHECK_IN),
                    col("trainees"),
                    col("sign_ins"),
                    col("devices"),
                    col("device"),
                    col(c::CHECK_IN).dt().strftime("%Y-%m-%d %H:%M:%S").alias("at"),
                ])
                .sort([c::INSTITUTION_ID, c::CLASS_ID, c::CHECK_IN], SortMultipleOptions::default().with_maintain_order(true))
                .collect()
        })
        .context("synchronized sign-ins: bursts")?;
    let bulk = if bulk.is_empty() {
        DataFrame::empty_with_schema(&Schema::from_iter([
            Field::new(c::INSTITUTION_ID.into(), DataType::String),
            Field::new(c::CLASS_ID.into(), DataType::String),
            Field::new("at".into(), DataType::String),
            Field::new("trainees".into(), DataType::Int64),
            Field::new("sign_ins".into(), DataType::Int64),
            Field::new("manual".into(), DataType::Int64),
        ]))
    } else {
        concat(bulk, UnionArgs::default())
            .and_then(|all| {
                named(all)
                    .select([
                        col(c::INSTITUTION_ID),
                        col(c::CLASS_ID),
                        col("minute").dt().strftime("%Y-%m-%d %H:%M").alias("at"),
                        col("trainees"),
                        col("sign_ins"),
                        col("manual"),
                    ])
                    .sort([c::INSTITUTION_ID, c::CLASS_ID, "at"], SortMultipleOptions::default().with_maintain_order(true))
                    .collect()
            })
            .context("bulk-entered sign-ins")?
    };
    Ok(SignInCounts { machine, bursts, in_person, bulk })
}

/// The seconds (`class`, `check_in`) in which a class has `min_burst` or more of `machine`'s
/// sign-ins.
fn crowded_seconds(machine: LazyFrame, class: &str, min_burst: usize) -> LazyFrame {
    let second = [col(class), col(c::CHECK_IN)];
    machine.group_by(second.clone()).agg([len().alias("sign_ins")]).filter(col("sign_ins").gt_eq(lit(min_burst as IdxSize))).select(second)
}

/// The sign-ins `bulk_sign_ins` groups by minute: in person (not `online`), whatever the method,
/// but for the machine sign-ins of a `crowded` second ([`crowded_seconds`] of the machine
/// sign-ins: `synchronized_sign_ins` counts those). One definition for the counting and for the
/// rows behind a lead; `class` names the class column.
fn bulk_candidates(rows: LazyFrame, class: &str, is_machine: &Expr, crowded: LazyFrame) -> Result<LazyFrame> {
    let second = [col(class), col(c::CHECK_IN)];
    let in_person = rows.filter(col(c::METHOD).neq(lit("online")));
    let not_machine = in_person.clone().filter(is_machine.clone().not());
    let machine_alone = in_person.filter(is_machine.clone()).join(crowded, second.clone(), second, JoinArgs::new(JoinType::Anti));
    concat([not_machine, machine_alone], UnionArgs::default()).context("bulk-entered sign-ins")
}

/// The sign-in counts of the window, for whichever sign-in signals are enabled.
pub fn counts_in_window(ctx: &Context) -> Result<SignInCounts> {
    let s = &ctx.config.synchronized_sign_ins;
    let b = &ctx.config.bulk_sign_ins;
    count_sign_ins(window_chunks(ctx), class_texts(ctx), &s.exclude_methods, s.min_burst, b.enabled.then_some(b.min_bulk))
}

/// Enrollments per class (the "of N trainees" in evidence).
pub fn class_sizes(ctx: &Context) -> Result<BTreeMap<String, i64>> {
    let sizes = ctx
        .export
        .frame(Table::Enrollments)
        .clone()
        .lazy()
        .group_by([col(c::CLASS_ID)])
        .agg([len().cast(DataType::Int64).alias("size")])
        .collect()
        .context("class sizes")?;
    let ids = data::text(&sizes, c::CLASS_ID)?;
    let counts = data::int(&sizes, "size")?;
    Ok(ids.iter().zip(counts).filter_map(|(id, n)| Some((id.as_ref()?.to_string(), n?))).collect())
}

/// One burst: trainees of one class with the same check-in second.
#[derive(Debug, Clone, PartialEq)]
struct Burst {
    class_id: String,
    check_in: String,
    trainees: i64,
    sign_ins: i64,
    device: String,
    devices: i64,
}

/// `synchronized_sign_ins` measurements from the counts, per institution with at least
/// `min_rows` machine sign-ins.
pub fn synchronized_measurements(
    counts: &SignInCounts,
    class_sizes: &BTreeMap<String, i64>,
    min_burst: usize,
    min_rows: usize,
    min_share: f64,
    window: &str,
) -> Result<BTreeMap<String, Measurement>> {
    let (totals, bursts) = (&counts.machine, &counts.bursts);
    let mut by_institution: BTreeMap<String, Vec<Burst>> = BTreeMap::new();
    {
        let institutions = data::text(bursts, c::INSTITUTION_ID)?;
        let classes = data::text(bursts, c::CLASS_ID)?;
        let at = data::text(bursts, "at")?;
        let trainees = data::int(bursts, "trainees")?;
        let sign_ins = data::int(bursts, "sign_ins")?;
        let devices = data::int(bursts, "devices")?;
        let device = data::text(bursts, "device")?;
        for i in 0..bursts.height() {
            let Some(institution) = institutions[i] else { continue };
            by_institution.entry(institution.to_string()).or_default().push(Burst {
                class_id: classes[i].unwrap_or("").to_string(),
                check_in: at[i].unwrap_or("").to_string(),
                trainees: trainees[i].unwrap_or(0),
                sign_ins: sign_ins[i].unwrap_or(0),
                device: device[i].unwrap_or("—").to_string(),
                devices: devices[i].unwrap_or(0),
            });
        }
    }

    let institutions = data::text(totals, c::INSTITUTION_ID)?;
    let machine_totals = data::int(totals, "total")?;
    let mut measurements = BTreeMap::new();
    for (institution, total) in institutions.iter().zip(machine_totals) {
        let (Some(institution), Some(total)) = (institution, total) else { continue };
        if (total as usize) < min_rows.max(1) {
            continue;
        }
        let bursts = by_institution.remove(*institution).unwrap_or_default();
        let in_bursts: i64 = bursts.iter().map(|b| b.sign_ins).sum();
        let share = in_bursts as f64 / total as f64;
        let device_text = |b: &Burst| {
            if b.devices > 1 {
                Sentence::new(&m::ON_DEVICES, &[("devices", &b.devices.to_string()), ("device", &b.device)]).embed()
            } else {
                Sentence::new(&m::ON_DEVICE, &[("device", &b.device)]).embed()
            }
        };
        let size = |class: &str| class_sizes.get(class).copied().unwrap_or(0);
        let largest = bursts.iter().max_by(|a, b| a.trainees.cmp(&b.trainees).then(b.class_id.cmp(&a.class_id)).then(b.check_in.cmp(&a.check_in))).map(|largest| {
            Sentence::new(
                &m::SYNCHRONIZED_LARGEST,
                &[
                    ("trainees", &largest.trainees.to_string()),
                    ("size", &size(&largest.class_id).to_string()),
                    ("class", &largest.class_id),
                    ("at", &largest.check_in.to_string()),
                    ("device", &device_text(largest)),
                ],
            )
        });
        let facts = Sentence::new(
            &m::SYNCHRONIZED,
            &[
                ("in_bursts", &in_bursts.to_string()),
                ("total", &total.to_string()),
                ("window", window),
                ("share", &percent(share)),
                ("bursts", &bursts.len().to_string()),
                ("min_burst", &min_burst.to_string()),
                ("largest", &optional(largest)),
            ],
        );
        // One flag per class with bursts.
        let mut per_class: BTreeMap<&str, Vec<&Burst>> = BTreeMap::new();
        for burst in &bursts {
            per_class.entry(burst.class_id.as_str()).or_default().push(burst);
        }
        let entities = per_class
            .into_iter()
            .map(|(class, list)| {
                let largest = list.iter().max_by(|a, b| a.trainees.cmp(&b.trainees).then(b.check_in.cmp(&a.check_in))).expect("non-empty");
                Entity {
                    kind: "class",
                    id: class.to_string(),
                    evidence: Sentence::new(
                        &m::SYNCHRONIZED_CLASS,
                        &[
                            ("class", class),
                            ("sessions", &list.len().to_string()),
                            ("min_burst", &min_burst.to_string()),
                            ("trainees", &largest.trainees.to_string()),
                            ("size", &size(class).to_string()),
                            ("at", &largest.check_in.to_string()),
                            ("device", &device_text(largest)),
                        ],
                    ),
                }
            })
            .collect();
        measurements.insert(
            institution.to_string(),
            Measurement { value: share, rows: total, passes_bar: share >= min_share && !bursts.is_empty(), facts, entities },
        );
    }
    Ok(measurements)
}

/// `manual_sign_ins` measurements from the counts, per institution with at least `min_rows`
/// in-person sign-ins.
pub fn manual_measurements(counts: &SignInCounts, min_rows: usize, min_share: f64, window: &str) -> Result<BTreeMap<String, Measurement>> {
    let per_class = &counts.in_person;
    let institutions = data::text(per_class, c::INSTITUTION_ID)?;
    let classes = data::text(per_class, c::CLASS_ID)?;
    let totals = data::int(per_class, "total")?;
    let manuals = data::int(per_class, "manual")?;
    let mut grouped: BTreeMap<String, Vec<(String, i64, i64)>> = BTreeMap::new();
    for i in 0..per_class.height() {
        let Some(institution) = institutions[i] else { continue };
        grouped.entry(institution.to_string()).or_default().push((
            classes[i].unwrap_or("").to_string(),
            manuals[i].unwrap_or(0),
            totals[i].unwrap_or(0),
        ));
    }
    let mut measurements = BTreeMap::new();
    for (institution, mut list) in grouped {
        let total: i64 = list.iter().map(|(_, _, t)| t).sum();
        if (total as usize) < min_rows.max(1) {
            continue;
        }
        let manual: i64 = list.iter().map(|(_, m, _)| m).sum();
        let share = manual as f64 / total as f64;
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let top: Vec<Sentence> = list
            .iter()
            .filter(|(_, by_hand, _)| *by_hand > 0)
            .take(3)
            .map(|(class, by_hand, t)| {
                Sentence::new(
                    &m::MANUAL_CLASS,
                    &[("class", class), ("manual", &by_hand.to_string()), ("total", &t.to_string()), ("share", &percent(*by_hand as f64 / *t as f64))],
                )
            })
            .collect();
        let top = (!top.is_empty()).then(|| Sentence::new(&m::MANUAL_TOP, &[("classes", &nested::join(&top, &nested::LIST))]));
        let facts = Sentence::new(
            &m::MANUAL,
            &[("manual", &manual.to_string()), ("total", &total.to_string()), ("window", window), ("share", &percent(share)), ("top", &optional(top))],
        );
        measurements.insert(institution, Measurement { value: share, rows: total, passes_bar: share >= min_share, facts, entities: Vec::new() });
    }
    Ok(measurements)
}

/// `synchronized_sign_ins` for every institution with enough machine sign-ins.
pub fn synchronized(ctx: &Context, counts: &SignInCounts) -> Result<Vec<SignalValue>> {
    let s = &ctx.config.synchronized_sign_ins;
    let sizes = class_sizes(ctx)?;
    let measurements = synchronized_measurements(counts, &sizes, s.min_burst, s.min_rows, s.min_share, &ctx.window_label())?;
    let comparison = Comparison { direction: Direction::High, bar: s.min_share, z_threshold: s.z_threshold, min_scale: s.min_scale, format: percent };
    Ok(judge_all(ctx, SYNCHRONIZED, measurements, comparison))
}

/// `manual_sign_ins` for every institution with enough in-person sign-ins.
pub fn manual(ctx: &Context, counts: &SignInCounts) -> Result<Vec<SignalValue>> {
    let m = &ctx.config.manual_sign_ins;
    let measurements = manual_measurements(counts, m.min_rows, m.min_share, &ctx.window_label())?;
    let comparison = Comparison { direction: Direction::High, bar: m.min_share, z_threshold: m.z_threshold, min_scale: m.min_scale, format: percent };
    Ok(judge_all(ctx, MANUAL, measurements, comparison))
}

/// `bulk_sign_ins` measurements from the counts: per institution with at least `min_rows`
/// in-person sign-ins, the share of them recorded in a bulk minute (`min_bulk` or more trainees
/// of one class in the same minute).
pub fn bulk_measurements(counts: &SignInCounts, min_bulk: usize, min_rows: usize, min_share: f64, window: &str) -> Result<BTreeMap<String, Measurement>> {
    let mut totals: BTreeMap<&str, i64> = BTreeMap::new();
    for (institution, total) in data::text(&counts.in_person, c::INSTITUTION_ID)?.into_iter().zip(data::int(&counts.in_person, "total")?) {
        if let (Some(institution), Some(total)) = (institution, total) {
            *totals.entry(institution).or_default() += total;
        }
    }
    struct Group<'a> {
        class: &'a str,
        at: &'a str,
        trainees: i64,
        sign_ins: i64,
        manual: i64,
    }
    let bulk = &counts.bulk;
    let (institutions, classes, at) = (data::text(bulk, c::INSTITUTION_ID)?, data::text(bulk, c::CLASS_ID)?, data::text(bulk, "at")?);
    let (trainees, sign_ins, manual) = (data::int(bulk, "trainees")?, data::int(bulk, "sign_ins")?, data::int(bulk, "manual")?);
    let mut groups: BTreeMap<&str, Vec<Group>> = BTreeMap::new();
    for i in 0..bulk.height() {
        let Some(institution) = institutions[i] else { continue };
        groups.entry(institution).or_default().push(Group {
            class: classes[i].unwrap_or(""),
            at: at[i].unwrap_or(""),
            trainees: trainees[i].unwrap_or(0),
            sign_ins: sign_ins[i].unwrap_or(0),
            manual: manual[i].unwrap_or(0),
        });
    }
    let mut measurements = BTreeMap::new();
    for (institution, total) in totals {
        if (total as usize) < min_rows.max(1) {
            continue;
        }
        let list = groups.remove(institution).unwrap_or_default();
        let in_bulk: i64 = list.iter().map(|g| g.sign_ins).sum();
        let by_hand: i64 = list.iter().map(|g| g.manual).sum();
        let share = in_bulk as f64 / total as f64;
        let largest = list.iter().max_by(|a, b| a.trainees.cmp(&b.trainees).then(b.class.cmp(a.class)).then(b.at.cmp(a.at))).map(|g| {
            Sentence::new(&m::BULK_LARGEST, &[("trainees", &g.trainees.to_string()), ("class", g.class), ("at", g.at)])
        });
        let facts = Sentence::new(
            &m::BULK,
            &[
                ("in_bulk", &in_bulk.to_string()),
                ("total", &total.to_string()),
                ("window", window),
                ("share", &percent(share)),
                ("groups", &list.len().to_string()),
                ("min_bulk", &min_bulk.to_string()),
                ("manual", &by_hand.to_string()),
                ("largest", &optional(largest)),
            ],
        );
        let mut per_class: BTreeMap<&str, Vec<&Group>> = BTreeMap::new();
        for group in &list {
            per_class.entry(group.class).or_default().push(group);
        }
        let entities = per_class
            .into_iter()
            .map(|(class, groups)| {
                let largest = groups.iter().max_by(|a, b| a.trainees.cmp(&b.trainees).then(b.at.cmp(a.at))).expect("non-empty");
                Entity {
                    kind: "class",
                    id: class.to_string(),
                    evidence: Sentence::new(
                        &m::BULK_CLASS,
                        &[
                            ("class", class),
                            ("minutes", &groups.len().to_string()),
                            ("min_bulk", &min_bulk.to_string()),
                            ("trainees", &largest.trainees.to_string()),
                            ("at", largest.at),
                        ],
                    ),
                }
            })
            .collect();
        measurements.insert(
            institution.to_string(),
            Measurement { value: share, rows: total, passes_bar: share >= min_share && !list.is_empty(), facts, entities },
        );
    }
    Ok(measurements)
}

/// `bulk_sign_ins` for every institution with enough in-person sign-ins.
pub fn bulk(ctx: &Context, counts: &SignInCounts) -> Result<Vec<SignalValue>> {
    let b = &ctx.config.bulk_sign_ins;
    let measurements = bulk_measurements(counts, b.min_bulk, b.min_rows, b.min_share, &ctx.window_label())?;
    let comparison = Comparison { direction: Direction::High, bar: b.min_share, z_threshold: b.z_threshold, min_scale: b.min_scale, format: percent };
    Ok(judge_all(ctx, BULK, measurements, comparison))
}

/// The sign-ins behind the sign-in signals for the leads that want them, each as (institution,
/// row): every sign-in of each burst of a `synchronized` institution (machine methods, the class
/// and second of a burst in `counts`), every hand-written sign-in of a `manual` one, and every
/// sign-in of each bulk minute of a `bulk` one (as [`count_sign_ins`] counts them: in person,
/// the machine sign-ins of a crowded second left out). The window is scanned once more, for
/// the leads' classes only.
pub fn behind(ctx: &Context, counts: &SignInCounts, [synchronized, manual, bulk]: [&BTreeSet<String>; 3]) -> Result<[Vec<(String, super::behind::Row)>; 3]> {
    let wanted: Vec<String> = synchronized.iter().chain(manual).chain(bulk).cloned().collect::<BTreeSet<_>>().into_iter().collect();
    let rows = wanted_sign_ins(ctx, &wanted)?;
    let s = &ctx.config.synchronized_sign_ins;
    let excluded = Series::new("excluded".into(), s.exclude_methods.clone());
    let is_machine = col(c::METHOD).is_in(lit(excluded).implode(false), false).not();
    let in_set = |set: &BTreeSet<String>| col(c::INSTITUTION_ID).is_in(lit(Series::new("wanted".into(), set.iter().cloned().collect::<Vec<_>>())).implode(false), false);
    let second = [col(c::CLASS_ID), col(c::CHECK_IN)];
    let bursts = counts.bursts.clone().lazy().filter(in_set(synchronized)).select(second.clone());
    let in_bursts = rows
        .clone()
        .lazy()
        .filter(in_set(synchronized).and(is_machine.clone()))
        .join(bursts, second.clone(), second.clone(), JoinArgs::new(JoinType::Semi))
        .collect()
        .context("synchronized sign-ins: the sign-ins of the bursts")?;
    let by_hand = rows
        .clone()
        .lazy()
        .filter(in_set(manual).and(col(c::METHOD).eq(lit("manual"))))
        .collect()
        .context("manual sign-ins: the hand-written sign-ins")?;
    let minute = [col(c::CLASS_ID), col("minute")];
    let groups = counts.bulk.clone().lazy().filter(in_set(bulk)).select([col(c::CLASS_ID), col("at").alias("minute")]);
    let of_bulk = rows.lazy().filter(in_set(bulk));
    let crowded = crowded_seconds(of_bulk.clone().filter(is_machine.clone()), c::CLASS_ID, s.min_burst);
    let in_bulk = bulk_candidates(of_bulk, c::CLASS_ID, &is_machine, crowded)?
        .with_column(col(c::CHECK_IN).dt().strftime("%Y-%m-%d %H:%M").alias("minute"))
        .join(groups, minute.clone(), minute, JoinArgs::new(JoinType::Semi))
        .sort([c::INSTITUTION_ID, c::ENROLLMENT_ID, c::CHECK_IN], SortMultipleOptions::default().with_maintain_order(true))
        .collect()
        .context("bulk-entered sign-ins: the sign-ins of the bulk minutes")?;
    Ok([sign_in_rows(&in_bursts, Part::Burst)?, sign_in_rows(&by_hand, Part::Class)?, sign_in_rows(&in_bulk, Part::Minute)?])
}

/// How [`sign_in_rows`] groups its rows.
#[derive(Clone, Copy)]
enum Part {
    /// `burst:CLASS@TIME`
    Burst,
    /// `class:ID`
    Class,
    /// `minute:CLASS@MINUTE`
    Minute,
}

/// The window's sign-ins of `institutions`' classes: `institution_id`, `class_id`,
/// `enrollment_id`, `check_in`, `at` (as text), `method`, `device_id`.
fn wanted_sign_ins(ctx: &Context, institutions: &[String]) -> Result<DataFrame> {
    let wanted = Series::new("wanted".into(), institutions.to_vec());
    let classes = ctx
        .export
        .frame(Table::Classes)
        .clone()
        .lazy()
        .select([col(c::CLASS_ID), col(c::INSTITUTION_ID)])
        .filter(col(c::INSTITUTION_ID).is_in(lit(wanted).implode(false), false));
    let enrollments = ctx
        .export
        .frame(Table::Enrollments)
        .clone()
        .lazy()
        .select([col(c::ENROLLMENT_ID), col(c::CLASS_ID)])
        .inner_join(classes, col(c::CLASS_ID), col(c::CLASS_ID));
    let attendance = ctx.export.table(Table::Attendance);
    let chunks = if attendance.streamed.is_some() { attendance.rows_used().div_ceil(SIGN_INS_PER_CHUNK).max(1) } else { 1 };
    let mut parts = Vec::new();
    for (first, last) in day_ranges(ctx.from, ctx.to, chunks) {
        let day = col(c::CHECK_IN).dt().date();
        parts.push(
            ctx.export
                .scan_between(Table::Attendance, first, last)
                .filter(day.clone().gt_eq(lit(first)).and(day.lt_eq(lit(last))))
                .select([col(c::ENROLLMENT_ID), col(c::CHECK_IN), col(c::METHOD), col(c::DEVICE_ID)])
                .inner_join(enrollments.clone(), col(c::ENROLLMENT_ID), col(c::ENROLLMENT_ID))
                .collect_streaming()
                .context("the leads' sign-ins in the window")?
                .lazy(),
        );
    }
    concat(parts, UnionArgs::default())
        .and_then(|all| {
            all.with_column(col(c::CHECK_IN).dt().strftime("%Y-%m-%d %H:%M:%S").alias("at"))
                .sort([c::INSTITUTION_ID, c::ENROLLMENT_ID, c::CHECK_IN], SortMultipleOptions::default().with_maintain_order(true))
                .collect()
        })
        .context("the leads' sign-ins in the window")
}

/// Rows of sign-ins (`wanted_sign_ins`' columns), grouped as `part` says.
fn sign_in_rows(frame: &DataFrame, part: Part) -> Result<Vec<(String, super::behind::Row)>> {
    let institutions = data::text(frame, c::INSTITUTION_ID)?;
    let classes = data::text(frame, c::CLASS_ID)?;
    let enrollments = data::text(frame, c::ENROLLMENT_ID)?;
    let at = data::text(frame, "at")?;
    let methods = data::text(frame, c::METHOD)?;
    let devices = data::text(frame, c::DEVICE_ID)?;
    Ok((0..frame.height())
        .filter_map(|i| {
            let (institution, class, enrollment, at) = (institutions[i]?, classes[i].unwrap_or(""), enrollments[i]?, at[i]?);
            let part = match part {
                Part::Burst => format!("burst:{class}@{at}"),
                Part::Class => format!("class:{class}"),
                Part::Minute => format!("minute:{class}@{}", &at[..at.len().min(16)]),
            };
            let row = super::behind::Row {
                enrollment_id: Some(enrollment.to_string()),
                at: Some(at.to_string()),
                method: methods[i].map(str::to_string),
                device_id: devices[i].map(str::to_string),
                ..super::behind::row("attendance", format!("{enrollment}@{at}"), part)
            };
            Some((institution.to_string(), row))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The classes the tests use: `K1` and `K2` of `I1`, `K3` of `I2`, numbered 0, 1, 2.
    fn classes() -> LazyFrame {
        DataFrame::new(
            3,
            vec![
                Column::new(CLASS_NUMBER.into(), [0 as IdxSize, 1, 2]),
                Column::new(c::CLASS_ID.into(), ["K1", "K2", "K3"]),
                Column::new(c::INSTITUTION_ID.into(), ["I1", "I1", "I2"]),
            ],
        )
        .unwrap()
        .lazy()
    }

    /// Sign-in rows as [`window_chunks`] gives them, from (institution, class, enrollment
    /// `Kc-Et`, check-in "YYYY-mm-dd HH:MM:SS", method, device); enrollment `Kc-Et` is number
    /// c × 1000 + t.
    fn rows(list: &[(&str, &str, String, String, &str, &str)]) -> LazyFrame {
        let micros: Vec<i64> = list
            .iter()
            .map(|r| chrono::NaiveDateTime::parse_from_str(&r.3, "%Y-%m-%d %H:%M:%S").unwrap().and_utc().timestamp_micros())
            .collect();
        let check_in = Column::new(c::CHECK_IN.into(), micros).cast(&DataType::Datetime(TimeUnit::Microseconds, None)).unwrap();
        let class_number = |class: &str| class[1..].parse::<IdxSize>().unwrap() - 1;
        let enrollment_number = |enrollment: &str| {
            let (class, trainee) = enrollment.split_once("-E").unwrap();
            class_number(class) * 1000 + trainee.parse::<IdxSize>().unwrap()
        };
        DataFrame::new(
            list.len(),
            vec![
                Column::new(ENROLLMENT_NUMBER.into(), list.iter().map(|r| enrollment_number(&r.2)).collect::<Vec<_>>()),
                Column::new(CLASS_NUMBER.into(), list.iter().map(|r| class_number(r.1)).collect::<Vec<_>>()),
                check_in,
                Column::new(c::METHOD.into(), list.iter().map(|r| r.4).collect::<Vec<_>>()),
                Column::new(c::DEVICE_ID.into(), list.iter().map(|r| r.5).collect::<Vec<_>>()),
            ],
        )
        .unwrap()
        .lazy()
    }

    /// `trainees` trainees of class `class` at 10 sessions; `same_second` makes all of a
    /// session check in at 08:00:00, otherwise they spread over minutes and seconds.
    fn sessions(institution: &'static str, class: &'static str, trainees: usize, same_second: bool, method: &'static str) -> Vec<(&'static str, &'static str, String, String, &'static str, &'static str)> {
        let mut list = Vec::new();
        for day in 1..=10 {
            for t in 0..trainees {
                let seconds = if same_second { 0 } else { t * 67 % 3600 };
                let at = format!("2026-07-{day:02} 08:{:02}:{:02}", seconds / 60, seconds % 60);
                list.push((institution, class, format!("{class}-E{t}"), at, method, "D9"));
            }
        }
        list
    }

    /// The counts of `rows` with bursts of 5, the rows in one chunk.
    fn counted(rows: LazyFrame, exclude: &[&str]) -> SignInCounts {
        count_sign_ins(vec![rows], classes(), &exclude.iter().map(|m| m.to_string()).collect::<Vec<_>>(), 5, Some(5)).unwrap()
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn day_ranges_cover_the_window_without_gaps_or_overlaps() {
        let ranges = day_ranges(day("2025-10-01"), day("2026-09-30"), 4);
        assert_eq!(ranges.len(), 4);
        assert_eq!(ranges[0], (day("2025-10-01"), day("2025-12-30")));
        assert_eq!(ranges[3].1, day("2026-09-30"));
        for pair in ranges.windows(2) {
            assert_eq!(pair[0].1 + chrono::Duration::days(1), pair[1].0);
        }
        // More parts than days: one range per day.
        assert_eq!(day_ranges(day("2026-07-01"), day("2026-07-03"), 10).len(), 3);
        assert_eq!(day_ranges(day("2026-07-01"), day("2026-07-01"), 1), vec![(day("2026-07-01"), day("2026-07-01"))]);
    }

    #[test]
    fn counting_in_chunks_gives_the_counts_of_one_chunk() {
        let mut list = sessions("I1", "K1", 12, true, "card");
        list.extend(sessions("I1", "K2", 12, false, "manual"));
        list.extend(sessions("I2", "K3", 6, true, "face"));
        let whole = counted(rows(&list), &["manual", "online"]);
        let day_of = |row: &(&str, &str, String, String, &str, &str)| row.3[8..10].parse::<u32>().unwrap();
        let early: Vec<_> = list.iter().filter(|r| day_of(r) <= 4).cloned().collect();
        let late: Vec<_> = list.iter().filter(|r| day_of(r) > 4).cloned().collect();
        let excluded = vec!["manual".to_string(), "online".to_string()];
        let chunked = count_sign_ins(vec![rows(&late), rows(&early)], classes(), &excluded, 5, Some(5)).unwrap();
        assert!(chunked.machine.equals(&whole.machine), "{:?} {:?}", chunked.machine, whole.machine);
        assert!(chunked.bursts.equals(&whole.bursts));
        assert!(chunked.in_person.equals(&whole.in_person));
        assert!(chunked.bulk.equals(&whole.bulk));
        assert_eq!(whole.bursts.height(), 20);
        let totals = data::int(&whole.machine, "total").unwrap();
        assert_eq!(totals, vec![Some(120), Some(60)]);
    }

    fn sizes() -> BTreeMap<String, i64> {
        BTreeMap::from([("K1".to_string(), 12), ("K2".to_string(), 12)])
    }

    #[test]
    fn a_class_checking_in_within_one_second_fires_with_the_class_named() {
        let found = synchronized_measurements(&counted(rows(&sessions("I1", "K1", 12, true, "card")), &["manual", "online"]), &sizes(), 5, 100, 0.2, "2026Q3").unwrap();
        let m = &found["I1"];
        assert_eq!(m.value, 1.0);
        assert!(m.passes_bar);
        assert!(m.facts.render(crate::vocab::Lang::En).contains("120 of 120 machine sign-ins dated 2026Q3 (100.0%) fell in 10 bursts"), "{:?}", m.facts);
        assert!(m.facts.render(crate::vocab::Lang::En).contains("largest: 12 of 12 trainees of class K1 checked in at 2026-07-01 08:00:00 on device D9"), "{:?}", m.facts);
        assert_eq!(
            m.facts.render(crate::vocab::Lang::Zh),
            "2026Q3 的机器签到 120 次中，120 次（100.0%）落在 10 次集中签到里：同一班级 5 名及以上学员在同一秒内签到；规模最大的一次：班级 K1 的 12 名学员中有 12 名于 2026-07-01 08:00:00 在设备 D9 上签到"
        );
        assert_eq!(m.entities.len(), 1);
        assert_eq!(m.entities[0].kind, "class");
        assert_eq!(m.entities[0].id, "K1");
        assert_eq!(
            m.entities[0].evidence.render(crate::vocab::Lang::Zh),
            "班级 K1：10 次课有 5 名及以上学员在同一秒内签到；最多一次为 12 名学员中的 12 名于 2026-07-01 08:00:00 在设备 D9 上签到"
        );
    }

    #[test]
    fn spread_check_ins_and_hand_written_minutes_do_not_fire() {
        let mut list = sessions("I1", "K1", 12, false, "card");
        // Hand-written registers carry minutes only: the same "second" is no burst.
        list.extend(sessions("I1", "K2", 12, true, "manual"));
        let found = synchronized_measurements(&counted(rows(&list), &["manual", "online"]), &sizes(), 5, 100, 0.2, "2026Q3").unwrap();
        let m = &found["I1"];
        assert_eq!(m.value, 0.0);
        assert_eq!(m.rows, 120);
        assert!(!m.passes_bar);
        assert!(m.entities.is_empty());
    }

    #[test]
    fn too_few_machine_sign_ins_give_no_value() {
        let found = synchronized_measurements(&counted(rows(&sessions("I1", "K1", 5, true, "card")), &[]), &sizes(), 5, 100, 0.2, "2026Q3").unwrap();
        assert!(found.is_empty());
    }

    #[test]
    fn manual_share_counts_in_person_sign_ins_only() {
        let mut list = sessions("I1", "K1", 12, false, "manual");
        list.extend(sessions("I1", "K2", 12, false, "face"));
        list.extend(sessions("I1", "K2", 3, false, "online"));
        list.extend(sessions("I2", "K3", 12, false, "face"));
        let found = manual_measurements(&counted(rows(&list), &[]), 100, 0.25, "2026Q3").unwrap();
        let m = &found["I1"];
        assert_eq!(m.value, 0.5);
        assert_eq!(m.rows, 240);
        assert!(m.passes_bar);
        assert!(m.facts.render(crate::vocab::Lang::En).starts_with("120 of 240 in-person sign-ins dated 2026Q3 (50.0%) entered by hand; most in class K1 120 of 120 (100.0%)"), "{:?}", m.facts);
        assert!(
            m.facts.render(crate::vocab::Lang::Zh).starts_with("2026Q3 的现场签到 240 次中，120 次（50.0%）为手工录入；主要集中在班级 K1（120 次中 120 次，100.0%）"),
            "{:?}",
            m.facts
        );
        let clean = &found["I2"];
        assert_eq!(clean.value, 0.0);
        assert!(!clean.passes_bar);
    }

    #[test]
    fn trainees_typed_in_at_one_minute_are_bulk_whatever_the_method_but_a_machine_burst_is_not() {
        // K1: 12 card sign-ins in one second (a synchronized burst, left to that signal);
        // K2: 12 hand-written at 08:00 (bulk); K3 of I2: 12 card sign-ins spread 67 s apart.
        let mut list = sessions("I1", "K1", 12, true, "card");
        list.extend(sessions("I1", "K2", 12, true, "manual"));
        list.extend(sessions("I2", "K3", 12, false, "card"));
        let counts = counted(rows(&list), &["manual", "online"]);
        let found = bulk_measurements(&counts, 5, 100, 0.1, "2026Q3").unwrap();
        let m = &found["I1"];
        assert_eq!((m.value, m.rows, m.passes_bar), (0.5, 240, true));
        assert_eq!(
            m.facts.render(crate::vocab::Lang::En),
            "120 of 240 in-person sign-ins dated 2026Q3 (50.0%) fall in 10 minutes in which 5 or more trainees of one class signed in (120 of them entered by hand); the largest: 12 trainees of class K2 at 2026-07-01 08:00"
        );
        assert_eq!(
            m.facts.render(crate::vocab::Lang::Zh),
            "2026Q3 的现场签到 240 次中，120 次（50.0%）落在 10 个“同班 5 人及以上同一分钟签到”的时段内（其中手工录入 120 次）；最多一次为班级 K2 在 2026-07-01 08:00 同一分钟 12 人"
        );
        assert_eq!((m.entities.len(), m.entities[0].id.as_str()), (1, "K2"));
        let spread = &found["I2"];
        assert_eq!((spread.value, spread.passes_bar), (0.0, false));
    }

    #[test]
    fn a_bulk_minute_needs_min_bulk_trainees() {
        // Five trainees of K2 hand-written at 08:00 each day, then four: 5 is bulk, 4 is not.
        let five = sessions("I1", "K2", 5, true, "manual");
        let four = sessions("I1", "K2", 4, true, "manual");
        let spread = sessions("I1", "K1", 12, false, "card");
        let share = |extra: &Vec<(&'static str, &'static str, String, String, &'static str, &'static str)>| {
            let mut list = spread.clone();
            list.extend(extra.iter().cloned());
            let counts = counted(rows(&list), &["manual", "online"]);
            bulk_measurements(&counts, 5, 100, 0.1, "Q").unwrap()["I1"].value
        };
        assert_eq!(share(&five), 50.0 / 170.0);
        assert_eq!(share(&four), 0.0);
    }
}
