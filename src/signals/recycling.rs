//! `recycled_trainees`: persons put through training again at another institution within a
//! window of this training. One person's subsidy claimed twice under different occupations (R01
//! catches only the same occupation and level), or trainees passed between institutions that
//! split the cohort, shows as a share of trainees far above peers and as a pair of institutions
//! sharing many of them.
//!
//! A person is **shared** by two institutions when the person has an enrollment at each, in
//! classes starting within `within_days` of each other, and at least one of the two classes ends
//! in the window (Q−3 … Q). The pair is symmetric: both ends count the same persons, whichever
//! trained first and whichever class ended in the window (a partner that trained the host's
//! trainees a year before the window is as much part of the pair as the host). An institution's
//! trainees are the persons of its classes ending in the window and the persons it shares; it is
//! measured from `min_rows` persons of classes ending in the window. Retraining somewhere is
//! common (a person learns a second trade), so the value is the share of the institution's
//! trainees shared with **one** other institution, the one sharing most: a pair passing trainees
//! back and forth. It fires from `min_share` with at least `min_pair_trainees` shared; the
//! evidence gives the share shared with anyone, the institutions shared with and example persons
//! (pseudonyms, shortened).

use super::robust::Direction;
use super::{data, judge_all, percent, short, Comparison, Context, Measurement, SignalValue};
use crate::columns as c;
use crate::error::Result;
use crate::ingest::contract::Table;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use crate::vocab::messages::nested::{self, Sentence};
use crate::vocab::messages::signals as m;

pub const SIGNAL: crate::vocab::SignalId = crate::vocab::SignalId::RecycledTrainees;

/// One enrollment reduced to what recycling needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolled {
    /// The enrollment's row in the export's enrollments table (the rows behind a lead).
    pub row: usize,
    pub institution_id: String,
    pub person: u32,
    pub class_start: NaiveDate,
    pub class_end: NaiveDate,
}

/// One institution's trainees and whom it shares with other institutions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recycling {
    /// Persons of its classes ending in the window, and the persons it shares.
    pub trainees: BTreeSet<u32>,
    /// How many persons of its classes ending in the window (what `min_rows` counts).
    pub in_window: usize,
    /// Other institution → the persons shared with it.
    pub partners: BTreeMap<String, BTreeSet<u32>>,
    /// Other institution → this institution's enrollment rows of those persons, in the classes
    /// that make the pair.
    pub rows: BTreeMap<String, BTreeSet<usize>>,
}

impl Recycling {
    pub fn recycled(&self) -> BTreeSet<u32> {
        self.partners.values().flatten().copied().collect()
    }
}

/// Recycling per institution with trainees in classes ending `from` … `to`, or sharing a person
/// with a class elsewhere ending then.
pub fn recycling(enrolled: &[Enrolled], from: NaiveDate, to: NaiveDate, within_days: i64) -> BTreeMap<String, Recycling> {
    let mut by_person: BTreeMap<u32, Vec<&Enrolled>> = BTreeMap::new();
    for e in enrolled {
        by_person.entry(e.person).or_default().push(e);
    }
    let in_window = |e: &Enrolled| e.class_end >= from && e.class_end <= to;
    let mut found: BTreeMap<String, Recycling> = BTreeMap::new();
    let mut window_persons: BTreeMap<&str, BTreeSet<u32>> = BTreeMap::new();
    for list in by_person.values() {
        for here in list.iter() {
            if in_window(here) {
                window_persons.entry(here.institution_id.as_str()).or_default().insert(here.person);
            }
            for there in list.iter().filter(|e| e.institution_id != here.institution_id) {
                let close = (there.class_start - here.class_start).num_days().abs() <= within_days;
                if close && (in_window(here) || in_window(there)) {
                    let entry = found.entry(here.institution_id.clone()).or_default();
                    entry.partners.entry(there.institution_id.clone()).or_default().insert(here.person);
                    entry.rows.entry(there.institution_id.clone()).or_default().insert(here.row);
                    entry.trainees.insert(here.person);
                }
            }
        }
    }
    for (institution, persons) in window_persons {
        let entry = found.entry(institution.to_string()).or_default();
        entry.in_window = persons.len();
        entry.trainees.extend(persons);
    }
    found
}

/// The settings of [`measurement`].
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub within_days: i64,
    pub min_rows: usize,
    pub min_share: f64,
    pub min_pair_trainees: usize,
}

/// The measurement of one institution (`None` below `min_rows` trainees); `pseudonym` names a
/// person in evidence.
pub fn measurement(found: &Recycling, rules: Rules, window: &str, pseudonym: &dyn Fn(u32) -> String) -> Option<Measurement> {
    let trainees = found.trainees.len();
    if found.in_window < rules.min_rows.max(1) {
        return None;
    }
    let recycled = found.recycled();
    // Partners with most shared trainees first, then by id.
    let mut partners: Vec<(&String, &BTreeSet<u32>)> = found.partners.iter().collect();
    partners.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let largest_pair = partners.first().map(|(_, persons)| persons.len()).unwrap_or(0);
    // Retraining somewhere is common; many trainees passed to one institution is the scheme.
    let share = largest_pair as f64 / trainees as f64;
    let partner = partners.first().map(|(partner, persons)| {
        let others: Vec<Sentence> = partners
            .iter()
            .skip(1)
            .take(2)
            .map(|(id, persons)| Sentence::new(&m::RECYCLED_OTHER, &[("partner", id.as_str()), ("n", &persons.len().to_string())]))
            .collect();
        let others = (!others.is_empty()).then(|| Sentence::new(&m::RECYCLED_OTHERS, &[("list", &nested::join(&others, &nested::LIST))]));
        let examples: Vec<String> = persons.iter().take(3).map(|p| short(&pseudonym(*p))).collect();
        Sentence::new(
            &m::RECYCLED_PARTNER,
            &[
                ("n", &persons.len().to_string()),
                ("share", &percent(share)),
                ("partner", partner.as_str()),
                ("others", &super::optional(others)),
                ("examples", &nested::join_values(&examples, &nested::LIST)),
            ],
        )
    });
    let facts = Sentence::new(
        &m::RECYCLED,
        &[
            ("recycled", &recycled.len().to_string()),
            ("trainees", &trainees.to_string()),
            ("window", window),
            ("share", &percent(recycled.len() as f64 / trainees as f64)),
            ("days", &rules.within_days.to_string()),
            ("partner", &super::optional(partner)),
        ],
    );
    let passes_bar = share >= rules.min_share && largest_pair >= rules.min_pair_trainees;
    Some(Measurement { value: share, rows: trainees as i64, passes_bar, facts, entities: Vec::new() })
}

/// Every enrollment with its class's institution and dates.
fn enrolled(ctx: &Context) -> Result<Vec<Enrolled>> {
    let classes = ctx.export.frame(Table::Classes);
    let ids = data::text(classes, c::CLASS_ID)?;
    let institutions = data::text(classes, c::INSTITUTION_ID)?;
    let starts = data::date(classes, c::START_DATE)?;
    let ends = data::date(classes, c::END_DATE)?;
    let mut facts = BTreeMap::new();
    for i in 0..classes.height() {
        if let (Some(id), Some(institution), Some(start), Some(end)) = (ids[i], institutions[i], starts[i], ends[i]) {
            facts.insert(id, (institution, start, end));
        }
    }
    let enrollments = ctx.export.frame(Table::Enrollments);
    let classes_of = data::text(enrollments, c::CLASS_ID)?;
    let persons = data::person(enrollments, c::PERSON_ID)?;
    Ok(classes_of
        .iter()
        .zip(persons)
        .enumerate()
        .filter_map(|(row, (class, person))| {
            let (institution, start, end) = facts.get((*class)?)?;
            Some(Enrolled { row, institution_id: institution.to_string(), person: person?, class_start: *start, class_end: *end })
        })
        .collect())
}

/// The enrollments behind `recycled_trainees` for `wanted`: each of the institution's
/// enrollments of a person it shares with a partner, in a class that makes the pair
/// (`partner:ID`, the partner named), as [`recycling`] found them.
pub fn behind(ctx: &Context, found: &BTreeMap<String, Recycling>, wanted: &BTreeSet<String>) -> Result<Vec<(String, super::behind::Row)>> {
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let enrollments = ctx.export.frame(Table::Enrollments);
    let enrollment_ids = data::text(enrollments, c::ENROLLMENT_ID)?;
    let persons = data::person(enrollments, c::PERSON_ID)?;
    let mut rows = Vec::new();
    for institution in wanted {
        let Some(recycling) = found.get(institution) else { continue };
        for (partner, shared_rows) in &recycling.rows {
            for &i in shared_rows {
                let (Some(enrollment), Some(person)) = (enrollment_ids[i], persons[i]) else { continue };
                let row = super::behind::Row {
                    enrollment_id: Some(enrollment.to_string()),
                    person_id: ctx.export.persons.pseudonym(person),
                    other_institution_id: Some(partner.clone()),
                    ..super::behind::row("enrollments", enrollment, format!("partner:{partner}"))
                };
                rows.push((institution.clone(), row));
            }
        }
    }
    Ok(rows)
}

/// `recycled_trainees` for every institution with enough trainees, with what it found per
/// institution (for the rows behind the leads).
pub fn detect(ctx: &Context) -> Result<(Vec<SignalValue>, BTreeMap<String, Recycling>)> {
    let r = &ctx.config.recycled_trainees;
    let rules = Rules { within_days: r.within_days, min_rows: r.min_rows, min_share: r.min_share, min_pair_trainees: r.min_pair_trainees };
    let window = ctx.window_label();
    let pseudonym = |person: u32| ctx.export.persons.pseudonym(person).unwrap_or_default();
    let found = recycling(&enrolled(ctx)?, ctx.from, ctx.to, r.within_days);
    let measurements = found.iter().filter_map(|(id, f)| Some((id.clone(), measurement(f, rules, &window, &pseudonym)?))).collect();
    let comparison = Comparison { direction: Direction::High, bar: r.min_share, z_threshold: r.z_threshold, min_scale: r.min_scale, format: percent };
    let mut values = judge_all(ctx, SIGNAL, measurements, comparison);
    // A fired pair names its partners: both ends of a pair are related leads.
    for value in values.iter_mut().filter(|v| v.fired) {
        value.related = partners(&found[&value.institution_id], r.min_pair_trainees);
    }
    Ok((values, found))
}

/// `institution:ID` of every partner sharing at least `min_pair_trainees` trainees.
pub fn partners(found: &Recycling, min_pair_trainees: usize) -> Vec<String> {
    found.partners.iter().filter(|(_, persons)| persons.len() >= min_pair_trainees).map(|(id, _)| format!("institution:{id}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn enrolled(institution: &str, person: u32, start: &str, end: &str) -> Enrolled {
        Enrolled { row: 0, institution_id: institution.into(), person, class_start: day(start), class_end: day(end) }
    }

    const RULES: Rules = Rules { within_days: 365, min_rows: 10, min_share: 0.15, min_pair_trainees: 5 };

    #[test]
    fn trainees_trained_again_elsewhere_within_the_window_are_recycled() {
        let mut list = Vec::new();
        for p in 0..20 {
            list.push(enrolled("A", p, "2026-03-01", "2026-04-30"));
        }
        // Persons 0–4 again at B 365 days after A's start (inside), person 5 at B 366 days after
        // (outside), person 6 at C before A, person 7 again at A itself (not another institution).
        for p in 0..5 {
            list.push(enrolled("B", p, "2027-03-01", "2027-04-30"));
        }
        list.push(enrolled("B", 5, "2027-03-02", "2027-04-30"));
        list.push(enrolled("C", 6, "2025-09-01", "2025-10-31"));
        list.push(enrolled("A", 7, "2026-06-01", "2026-07-31"));
        let found = recycling(&list, day("2025-10-01"), day("2026-09-30"), 365);
        let a = &found["A"];
        assert_eq!((a.trainees.len(), a.in_window), (20, 20));
        assert_eq!(a.recycled(), (0..5).chain([6]).collect::<BTreeSet<u32>>());
        assert_eq!(a.partners["B"].len(), 5);
        // The pair is symmetric: B's classes end after the window, but A's end in it, so B
        // shares the same five persons; with no trainee of its own in the window it is not
        // measured.
        assert_eq!(found["B"].partners["A"], (0..5).collect::<BTreeSet<u32>>());
        assert_eq!((found["B"].trainees.len(), found["B"].in_window), (5, 0));
        assert!(measurement(&found["B"], RULES, "Q", &|p| format!("P{p}")).is_none());
        // C's class ends 2025-10-31, inside: C's one trainee was also trained at A.
        assert_eq!(found["C"].partners["A"], BTreeSet::from([6]));
        let m = measurement(a, RULES, "2025Q4–2026Q3", &|p| format!("P{p}")).unwrap();
        assert_eq!(m.value, 0.25);
        assert!(m.passes_bar);
        assert_eq!(
            m.facts.render(crate::vocab::Lang::Zh),
            "20 名学员中，6 人（30.0%）在 365 天内先后在本机构和其他机构参加培训，两个班级中至少一个在 2025Q4–2026Q3 结业；其中 5 人（25.0%）去了 B，其次是 C（1 人）（例如人员 P0、P1、P2）"
        );
        assert_eq!(
            m.facts.render(crate::vocab::Lang::En),
            "6 of 20 trainees (30.0%) were trained both here and at another institution within 365 days, one of the two classes ending 2025Q4–2026Q3; 5 of them (25.0%) at B, then C 1 (e.g. persons P0, P1, P2)"
        );
        // One fewer shared with B: below min_pair_trainees.
        assert!(!measurement(a, Rules { min_pair_trainees: 6, ..RULES }, "Q", &|p| format!("P{p}")).unwrap().passes_bar);
    }

    #[test]
    fn a_partner_that_trained_the_persons_before_the_window_shares_them_as_much_as_the_host() {
        let mut list = Vec::new();
        // Host H: 40 trainees in a class ending in the window; P: 30 trainees of its own in a
        // class ending in the window, and, in a class ending before the window (2025-06), 10 of
        // H's trainees, 300 days before H's class started. Person 99 at P 366 days before: not
        // shared.
        for p in 0..40 {
            list.push(Enrolled { row: p as usize, ..enrolled("H", p, "2026-03-01", "2026-04-30") });
        }
        for p in 100..130 {
            list.push(enrolled("P", p, "2026-02-01", "2026-03-31"));
        }
        for p in 0..10 {
            list.push(Enrolled { row: 1000 + p as usize, ..enrolled("P", p, "2025-05-05", "2025-06-30") });
        }
        list.push(enrolled("H", 99, "2026-03-01", "2026-04-30"));
        list.push(enrolled("P", 99, "2025-02-28", "2025-04-30"));
        let found = recycling(&list, day("2025-10-01"), day("2026-09-30"), 365);
        let (h, p) = (&found["H"], &found["P"]);
        assert_eq!(h.partners["P"], (0..10).collect::<BTreeSet<u32>>());
        assert_eq!(p.partners["H"], h.partners["P"]);
        // P's trainees: its 30 of the window and the 10 it shares (their class ended before).
        assert_eq!((p.trainees.len(), p.in_window), (40, 30));
        assert_eq!((h.trainees.len(), h.in_window), (41, 41));
        // The rows behind: each end's own enrollments of the shared persons.
        assert_eq!(p.rows["H"], (1000..1010).collect::<BTreeSet<usize>>());
        assert_eq!(h.rows["P"], (0..10).collect::<BTreeSet<usize>>());
        let rules = Rules { min_rows: 30, ..RULES };
        let of_p = measurement(p, rules, "Q", &|p| format!("P{p}")).unwrap();
        assert_eq!((of_p.value, of_p.rows, of_p.passes_bar), (0.25, 40, true));
        // 29 persons of its own in the window: below min_rows 30, whatever it shares.
        let fewer: Vec<Enrolled> = list.iter().filter(|e| e.person != 129).cloned().collect();
        let found = recycling(&fewer, day("2025-10-01"), day("2026-09-30"), 365);
        assert!(measurement(&found["P"], rules, "Q", &|p| format!("P{p}")).is_none());
    }

    #[test]
    fn scattered_retraining_and_small_cohorts_do_not_pass() {
        let mut list = Vec::new();
        for p in 0..20 {
            list.push(enrolled("A", p, "2026-03-01", "2026-04-30"));
        }
        // Four persons retrained at four different institutions: 20% recycled, but 5% with any
        // one of them: scattered retraining, not a pair.
        for (p, other) in ["B", "C", "D", "E"].iter().enumerate() {
            list.push(enrolled(other, p as u32, "2026-09-01", "2026-10-31"));
        }
        let found = recycling(&list, day("2025-10-01"), day("2026-09-30"), 365);
        let m = measurement(&found["A"], RULES, "Q", &|p| format!("P{p}")).unwrap();
        assert_eq!(m.value, 0.05);
        assert!(!m.passes_bar);
        assert!(m.facts.render(crate::vocab::Lang::En).starts_with("4 of 20 trainees (20.0%) were trained both here and at another institution within 365 days, one of the two classes ending Q; 1 of them (5.0%) at B, then C 1, D 1"), "{:?}", m.facts);
        assert!(measurement(&found["A"], Rules { min_rows: 21, ..RULES }, "Q", &|p| format!("P{p}")).is_none());
    }
}
