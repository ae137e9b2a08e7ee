//! Sign-in signals, over sign-ins whose check-in date lies in the window Q−3 … Q.
//!
//! - `synchronized_sign_ins`: many trainees of one class checking in within the same second. A
//!   terminal reads one card or face at a time, so a burst of `min_burst` or more trainees in one
//!   second means someone pressed many cards at once (proxy sign-in). Hand-written (`manual`)
//!   times carry minutes only and `online` sessions may open together: both are left out.
//!   Value: the share of machine sign-ins that fall in bursts.
//! - `manual_sign_ins`: the share of in-person (not `online`) sign-ins entered by hand, which
//!   nobody can check against a terminal.

use super::robust::Direction;
use super::{data, judge_all, percent, Comparison, Context, Entity, Measurement, SignalValue};
use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::ingest::contract::Table;
use polars::prelude::*;
use std::collections::BTreeMap;

pub const SYNCHRONIZED: &str = "synchronized_sign_ins";
pub const MANUAL: &str = "manual_sign_ins";

/// Sign-ins in the window with their class and institution: `institution_id`, `class_id`,
/// `enrollment_id`, `check_in`, `method`, `device_id`.
pub fn sign_ins_in_window(ctx: &Context) -> LazyFrame {
    let classes = ctx.export.frame(Table::Classes).clone().lazy().select([col(c::CLASS_ID), col(c::INSTITUTION_ID)]);
    let enrollments = ctx
        .export
        .frame(Table::Enrollments)
        .clone()
        .lazy()
        .select([col(c::ENROLLMENT_ID), col(c::CLASS_ID)])
        .inner_join(classes, col(c::CLASS_ID), col(c::CLASS_ID));
    let day = col(c::CHECK_IN).dt().date();
    ctx.export
        .scan(Table::Attendance)
        .filter(day.clone().gt_eq(lit(ctx.from)).and(day.lt_eq(lit(ctx.to))))
        .select([col(c::ENROLLMENT_ID), col(c::CHECK_IN), col(c::METHOD), col(c::DEVICE_ID)])
        .inner_join(enrollments, col(c::ENROLLMENT_ID), col(c::ENROLLMENT_ID))
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

/// `synchronized_sign_ins` measurements from sign-in rows (the columns of
/// [`sign_ins_in_window`]), per institution with at least `min_rows` machine sign-ins.
pub fn synchronized_measurements(
    rows: LazyFrame,
    class_sizes: &BTreeMap<String, i64>,
    exclude_methods: &[String],
    min_burst: usize,
    min_rows: usize,
    min_share: f64,
    window: &str,
) -> Result<BTreeMap<String, Measurement>> {
    let excluded = Series::new("excluded".into(), exclude_methods.to_vec());
    let machine = rows.filter(col(c::METHOD).is_in(lit(excluded).implode(false), false).not());
    let totals = machine
        .clone()
        .group_by([col(c::INSTITUTION_ID)])
        .agg([len().cast(DataType::Int64).alias("total")])
        .sort([c::INSTITUTION_ID], SortMultipleOptions::default())
        .collect()
        .context("synchronized sign-ins: machine sign-ins per institution")?;
    let bursts = machine
        .group_by([col(c::INSTITUTION_ID), col(c::CLASS_ID), col(c::CHECK_IN)])
        .agg([
            col(c::ENROLLMENT_ID).n_unique().cast(DataType::Int64).alias("trainees"),
            len().cast(DataType::Int64).alias("sign_ins"),
            col(c::DEVICE_ID).n_unique().cast(DataType::Int64).alias("devices"),
            col(c::DEVICE_ID).min().alias("device"),
        ])
        .filter(col("trainees").gt_eq(lit(min_burst as i64)))
        .with_column(col(c::CHECK_IN).dt().strftime("%Y-%m-%d %H:%M:%S").alias("at"))
        .sort([c::INSTITUTION_ID, c::CLASS_ID, c::CHECK_IN], SortMultipleOptions::default().with_maintain_order(true))
        .collect()
        .context("synchronized sign-ins: bursts")?;

    let mut by_institution: BTreeMap<String, Vec<Burst>> = BTreeMap::new();
    {
        let institutions = data::text(&bursts, c::INSTITUTION_ID)?;
        let classes = data::text(&bursts, c::CLASS_ID)?;
        let at = data::text(&bursts, "at")?;
        let trainees = data::int(&bursts, "trainees")?;
        let sign_ins = data::int(&bursts, "sign_ins")?;
        let devices = data::int(&bursts, "devices")?;
        let device = data::text(&bursts, "device")?;
        for i in 0..bursts.height() {
            let Some(institution) = institutions[i] else { continue };
            by_institution.entry(institution.to_string()).or_default().push(Burst {
                class_id: classes[i].unwrap_or("").to_string(),
                check_in: at[i].unwrap_or("").to_string(),
                trainees: trainees[i].unwrap_or(0),
                sign_ins: sign_ins[i].unwrap_or(0),
                device: device[i].unwrap_or("(no device)").to_string(),
                devices: devices[i].unwrap_or(0),
            });
        }
    }

    let institutions = data::text(&totals, c::INSTITUTION_ID)?;
    let counts = data::int(&totals, "total")?;
    let mut measurements = BTreeMap::new();
    for (institution, total) in institutions.iter().zip(counts) {
        let (Some(institution), Some(total)) = (institution, total) else { continue };
        if (total as usize) < min_rows.max(1) {
            continue;
        }
        let bursts = by_institution.remove(*institution).unwrap_or_default();
        let in_bursts: i64 = bursts.iter().map(|b| b.sign_ins).sum();
        let share = in_bursts as f64 / total as f64;
        let mut facts = format!(
            "{in_bursts} of {total} machine sign-ins dated {window} ({}) fell in {} bursts of {min_burst} or more trainees of one class checking in within the same second",
            percent(share),
            bursts.len()
        );
        let device_text = |b: &Burst| {
            if b.devices > 1 {
                format!("on {} devices ({} …)", b.devices, b.device)
            } else {
                format!("on device {}", b.device)
            }
        };
        let size = |class: &str| class_sizes.get(class).copied().unwrap_or(0);
        if let Some(largest) = bursts.iter().max_by(|a, b| a.trainees.cmp(&b.trainees).then(b.class_id.cmp(&a.class_id)).then(b.check_in.cmp(&a.check_in))) {
            facts.push_str(&format!(
                "; largest: {} of {} trainees of class {} checked in at {} {}",
                largest.trainees,
                size(&largest.class_id),
                largest.class_id,
                largest.check_in,
                device_text(largest)
            ));
        }
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
                    evidence: format!(
                        "class {class}: {} sessions with {min_burst} or more trainees checking in within the same second; largest {} of {} trainees at {} {}",
                        list.len(),
                        largest.trainees,
                        size(class),
                        largest.check_in,
                        device_text(largest)
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

/// `manual_sign_ins` measurements from sign-in rows, per institution with at least `min_rows`
/// in-person sign-ins.
pub fn manual_measurements(rows: LazyFrame, min_rows: usize, min_share: f64, window: &str) -> Result<BTreeMap<String, Measurement>> {
    let per_class = rows
        .filter(col(c::METHOD).neq(lit("online")))
        .group_by([col(c::INSTITUTION_ID), col(c::CLASS_ID)])
        .agg([
            len().cast(DataType::Int64).alias("total"),
            col(c::METHOD).eq(lit("manual")).cast(DataType::Int64).sum().alias("manual"),
        ])
        .sort([c::INSTITUTION_ID, c::CLASS_ID], SortMultipleOptions::default().with_maintain_order(true))
        .collect()
        .context("manual sign-ins per class")?;
    let institutions = data::text(&per_class, c::INSTITUTION_ID)?;
    let classes = data::text(&per_class, c::CLASS_ID)?;
    let totals = data::int(&per_class, "total")?;
    let manuals = data::int(&per_class, "manual")?;
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
        let top: Vec<String> = list
            .iter()
            .filter(|(_, m, _)| *m > 0)
            .take(3)
            .map(|(class, m, t)| format!("class {class} {m} of {t} ({})", percent(*m as f64 / *t as f64)))
            .collect();
        let mut facts = format!("{manual} of {total} in-person sign-ins dated {window} ({}) entered by hand", percent(share));
        if !top.is_empty() {
            facts.push_str(&format!("; most in {}", top.join(", ")));
        }
        measurements.insert(institution, Measurement { value: share, rows: total, passes_bar: share >= min_share, facts, entities: Vec::new() });
    }
    Ok(measurements)
}

/// `synchronized_sign_ins` for every institution with enough machine sign-ins.
pub fn synchronized(ctx: &Context) -> Result<Vec<SignalValue>> {
    let s = &ctx.config.synchronized_sign_ins;
    let sizes = class_sizes(ctx)?;
    let measurements =
        synchronized_measurements(sign_ins_in_window(ctx), &sizes, &s.exclude_methods, s.min_burst, s.min_rows, s.min_share, &ctx.window_label())?;
    let comparison = Comparison { direction: Direction::High, bar: s.min_share, z_threshold: s.z_threshold, min_scale: s.min_scale, format: percent };
    Ok(judge_all(ctx, SYNCHRONIZED, measurements, comparison))
}

/// `manual_sign_ins` for every institution with enough in-person sign-ins.
pub fn manual(ctx: &Context) -> Result<Vec<SignalValue>> {
    let m = &ctx.config.manual_sign_ins;
    let measurements = manual_measurements(sign_ins_in_window(ctx), m.min_rows, m.min_share, &ctx.window_label())?;
    let comparison = Comparison { direction: Direction::High, bar: m.min_share, z_threshold: m.z_threshold, min_scale: m.min_scale, format: percent };
    Ok(judge_all(ctx, MANUAL, measurements, comparison))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sign-in rows: (institution, class, enrollment, check-in "YYYY-mm-dd HH:MM:SS", method, device).
    fn rows(list: &[(&str, &str, String, String, &str, &str)]) -> LazyFrame {
        let micros: Vec<i64> = list
            .iter()
            .map(|r| chrono::NaiveDateTime::parse_from_str(&r.3, "%Y-%m-%d %H:%M:%S").unwrap().and_utc().timestamp_micros())
            .collect();
        let check_in = Column::new(c::CHECK_IN.into(), micros).cast(&DataType::Datetime(TimeUnit::Microseconds, None)).unwrap();
        DataFrame::new(
            list.len(),
            vec![
                Column::new(c::INSTITUTION_ID.into(), list.iter().map(|r| r.0).collect::<Vec<_>>()),
                Column::new(c::CLASS_ID.into(), list.iter().map(|r| r.1).collect::<Vec<_>>()),
                Column::new(c::ENROLLMENT_ID.into(), list.iter().map(|r| r.2.clone()).collect::<Vec<_>>()),
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

    fn sizes() -> BTreeMap<String, i64> {
        BTreeMap::from([("K1".to_string(), 12), ("K2".to_string(), 12)])
    }

    #[test]
    fn a_class_checking_in_within_one_second_fires_with_the_class_named() {
        let found = synchronized_measurements(rows(&sessions("I1", "K1", 12, true, "card")), &sizes(), &["manual".into(), "online".into()], 5, 100, 0.2, "2026Q3").unwrap();
        let m = &found["I1"];
        assert_eq!(m.value, 1.0);
        assert!(m.passes_bar);
        assert!(m.facts.contains("120 of 120 machine sign-ins dated 2026Q3 (100.0%) fell in 10 bursts"), "{}", m.facts);
        assert!(m.facts.contains("largest: 12 of 12 trainees of class K1 checked in at 2026-07-01 08:00:00 on device D9"), "{}", m.facts);
        assert_eq!(m.entities.len(), 1);
        assert_eq!(m.entities[0].kind, "class");
        assert_eq!(m.entities[0].id, "K1");
    }

    #[test]
    fn spread_check_ins_and_hand_written_minutes_do_not_fire() {
        let mut list = sessions("I1", "K1", 12, false, "card");
        // Hand-written registers carry minutes only: the same "second" is no burst.
        list.extend(sessions("I1", "K2", 12, true, "manual"));
        let found = synchronized_measurements(rows(&list), &sizes(), &["manual".into(), "online".into()], 5, 100, 0.2, "2026Q3").unwrap();
        let m = &found["I1"];
        assert_eq!(m.value, 0.0);
        assert_eq!(m.rows, 120);
        assert!(!m.passes_bar);
        assert!(m.entities.is_empty());
    }

    #[test]
    fn too_few_machine_sign_ins_give_no_value() {
        let found = synchronized_measurements(rows(&sessions("I1", "K1", 5, true, "card")), &sizes(), &[], 5, 100, 0.2, "2026Q3").unwrap();
        assert!(found.is_empty());
    }

    #[test]
    fn manual_share_counts_in_person_sign_ins_only() {
        let mut list = sessions("I1", "K1", 12, false, "manual");
        list.extend(sessions("I1", "K2", 12, false, "face"));
        list.extend(sessions("I1", "K2", 3, false, "online"));
        list.extend(sessions("I2", "K3", 12, false, "face"));
        let found = manual_measurements(rows(&list), 100, 0.25, "2026Q3").unwrap();
        let m = &found["I1"];
        assert_eq!(m.value, 0.5);
        assert_eq!(m.rows, 240);
        assert!(m.passes_bar);
        assert!(m.facts.starts_with("120 of 240 in-person sign-ins dated 2026Q3 (50.0%) entered by hand; most in class K1 120 of 120 (100.0%)"), "{}", m.facts);
        let clean = &found["I2"];
        assert_eq!(clean.value, 0.0);
        assert!(!clean.passes_bar);
    }
}
