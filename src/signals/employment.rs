//! Employment signals, over completed enrollments of classes ending in `short_employment.window`
//! (Q−5 … Q−1 by default: a job that ended must be visible in the contribution months) whose
//! person was *employed after training*: a contribution month (contribution null or above 0, as
//! for the employment indicator) at a **new** employer — one the person paid nothing at in the
//! `prior_months` before the class started nor during it — from the class's end month to
//! `months_after_end` months after it. Trainees who simply kept their job are left out, so an
//! enterprise training its own staff is not a concentration.
//!
//! - `short_employment`: the contributions start at most `start_within_months` after the end
//!   month and run at most `max_months` consecutive months, with the month after the run visible
//!   (the last month of the data or of Q, whichever is earlier). Value: share of such short jobs.
//! - `employer_concentration`: value: the share of the employed-after-training trainees whose
//!   first new employer is the most frequent one.
//! - `employment_clusters`: fake jobs spread over several short-lived employers so that no one
//!   employer stands out. A cluster employer took at least `min_trainees` of the institution's
//!   employed-after-training trainees, at least `min_short_share` of them in short jobs. Value:
//!   the share of those trainees at cluster employers; fires with `min_employers` or more.

use super::robust::Direction;
use super::{data, judge_all, percent, short, Comparison, Context, Measurement, SignalValue};
use crate::vocab::messages::nested::{self, Sentence};
use crate::vocab::messages::signals as m;
use crate::vocab::SignalId;
use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::ingest::contract::Table;
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};

pub const SHORT: SignalId = SignalId::ShortEmployment;
pub const CONCENTRATION: SignalId = SignalId::EmployerConcentration;
pub const CLUSTERS: SignalId = SignalId::EmploymentClusters;

/// What became of one trainee after training.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub institution_id: String,
    pub class_id: String,
    pub person_id: String,
    pub class_end: chrono::NaiveDate,
    /// The first new employer after the class, and the month index it starts.
    pub employer_id: String,
    pub first_month: i32,
    /// Consecutive contribution months from `first_month` (any employer).
    pub run_months: i32,
    pub short: bool,
}

/// The settings [`after_training`] needs.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub months_after_end: u32,
    pub prior_months: u32,
    pub start_within_months: u32,
    pub max_months: u32,
    /// Last month index visible in the data.
    pub horizon: i32,
}

/// The employment after training of one person from their contribution months `(month index,
/// employer)`, for a class starting in month `start` and ending in month `end`; `None` when the
/// person was not employed after training at a new employer.
pub fn after_training(months: &[(i32, &str)], start: i32, end: i32, rules: Rules) -> Option<(String, i32, i32, bool)> {
    let existing: BTreeSet<&str> = months
        .iter()
        .filter(|(month, _)| *month >= start - rules.prior_months as i32 && *month < end)
        .map(|(_, employer)| *employer)
        .collect();
    let (first_month, employer) = months
        .iter()
        .filter(|(month, employer)| *month >= end && *month <= end + rules.months_after_end as i32 && !existing.contains(employer))
        .min()?;
    let worked: BTreeSet<i32> = months.iter().map(|(month, _)| *month).collect();
    let mut run = 0;
    while worked.contains(&(first_month + run)) {
        run += 1;
    }
    let closed = first_month + run <= rules.horizon;
    let short = first_month - end <= rules.start_within_months as i32 && run <= rules.max_months as i32 && closed;
    Some((employer.to_string(), *first_month, run, short))
}

/// Outcomes of every completed enrollment of classes ending in the employment window whose
/// person was employed after training, in (institution, class, person) order.
pub fn outcomes(ctx: &Context) -> Result<Vec<Outcome>> {
    let export = ctx.export;
    let settings = &ctx.config.short_employment;
    let [first, last] = settings.window;
    let (from, to) = (ctx.quarter.offset(first).first_day(), ctx.quarter.offset(last).last_day());

    let classes = export.frame(Table::Classes);
    let class_ids = data::text(classes, c::CLASS_ID)?;
    let institutions = data::text(classes, c::INSTITUTION_ID)?;
    let starts = data::date(classes, c::START_DATE)?;
    let ends = data::date(classes, c::END_DATE)?;
    let mut class_facts = BTreeMap::new();
    for i in 0..classes.height() {
        let (Some(id), Some(institution), Some(start), Some(end)) = (class_ids[i], institutions[i], starts[i], ends[i]) else { continue };
        if end >= from && end <= to {
            class_facts.insert(id, (institution, start, end));
        }
    }

    let enrollments = export.frame(Table::Enrollments);
    let enrollment_classes = data::text(enrollments, c::CLASS_ID)?;
    let enrollment_persons = data::person(enrollments, c::PERSON_ID)?;
    let completed = data::boolean(enrollments, c::COMPLETED)?;
    // Only the trainees judged need their months kept. Employment is read as it is walked, never
    // copied: a nation's table has tens of millions of rows.
    let wanted: HashSet<u32> = (0..enrollments.height())
        .filter_map(|i| match (enrollment_classes[i], enrollment_persons[i], completed[i]) {
            (Some(class), Some(person), Some(true)) if class_facts.contains_key(class) => Some(person),
            _ => None,
        })
        .collect();

    let employment = export.frame(Table::Employment);
    let what = "reading the employment table";
    let persons = employment.column(c::PERSON_ID).context(what)?.u32().context(what)?;
    // Held as categories (see `ingest::read`): each row's text is looked up, never copied.
    let employers = employment.column(c::EMPLOYER_ID).context(what)?.cat32().context(what)?;
    let months = employment.column(c::MONTH).context(what)?.cast(&DataType::Date).context(what)?;
    let months = &months.date().context(what)?.phys;
    let contributions = employment.column(&c::fen(c::CONTRIBUTION)).context(what)?.cast(&DataType::Int64).context(what)?;
    let contributions = contributions.i64().context(what)?;
    let mut by_person: BTreeMap<u32, Vec<(i32, &str)>> = BTreeMap::new();
    let mut last_month = i32::MIN;
    let rows = persons.iter().zip(employers.iter_str()).zip(months.iter()).zip(contributions.iter());
    for (((person, employer), month), contribution) in rows {
        let (Some(person), Some(employer), Some(month)) = (person, employer, month) else { continue };
        if contribution.is_some_and(|fen| fen <= 0) {
            continue;
        }
        let index = data::month_index(crate::frame::date_from_days(month));
        last_month = last_month.max(index);
        if wanted.contains(&person) {
            by_person.entry(person).or_default().push((index, employer));
        }
    }
    for list in by_person.values_mut() {
        list.sort_unstable();
    }
    let rules = Rules {
        months_after_end: settings.months_after_end,
        prior_months: settings.prior_months,
        start_within_months: settings.start_within_months,
        max_months: settings.max_months,
        horizon: last_month.min(data::month_index(ctx.quarter.last_day())),
    };

    let mut found = Vec::new();
    let mut seen: BTreeSet<(&str, u32)> = BTreeSet::new();
    for i in 0..enrollments.height() {
        let (Some(class), Some(person), Some(true)) = (enrollment_classes[i], enrollment_persons[i], completed[i]) else { continue };
        let Some(&(institution, start, end)) = class_facts.get(class) else { continue };
        if !seen.insert((class, person)) {
            continue;
        }
        let Some(months) = by_person.get(&person) else { continue };
        let Some((employer, first_month, run_months, short)) = after_training(months, data::month_index(start), data::month_index(end), rules) else {
            continue;
        };
        found.push(Outcome {
            institution_id: institution.to_string(),
            class_id: class.to_string(),
            person_id: export.persons.pseudonym(person).unwrap_or_default(),
            class_end: end,
            employer_id: employer,
            first_month,
            run_months,
            short,
        });
    }
    found.sort_by(|a, b| (&a.institution_id, &a.class_id, &a.person_id).cmp(&(&b.institution_id, &b.class_id, &b.person_id)));
    Ok(found)
}

fn by_institution(outcomes: &[Outcome]) -> BTreeMap<&str, Vec<&Outcome>> {
    let mut grouped: BTreeMap<&str, Vec<&Outcome>> = BTreeMap::new();
    for outcome in outcomes {
        grouped.entry(outcome.institution_id.as_str()).or_default().push(outcome);
    }
    grouped
}

/// The `short_employment` measurement of one institution's outcomes (`None` below `min_rows`).
pub fn short_measurement(outcomes: &[&Outcome], min_rows: usize, min_share: f64, window: &str) -> Option<Measurement> {
    if outcomes.len() < min_rows.max(1) {
        return None;
    }
    let short: Vec<&&Outcome> = outcomes.iter().filter(|o| o.short).collect();
    let share = short.len() as f64 / outcomes.len() as f64;
    let examples: Vec<Sentence> = short
        .iter()
        .take(3)
        .map(|o| {
            let months = if o.run_months == 1 {
                data::month_label(o.first_month)
            } else {
                Sentence::new(&m::MONTHS, &[("from", &data::month_label(o.first_month)), ("to", &data::month_label(o.first_month + o.run_months - 1))]).embed()
            };
            Sentence::new(
                &m::SHORT_EXAMPLE,
                &[
                    ("person", &short_id(&o.person_id)),
                    ("months", &months),
                    ("employer", &short_id(&o.employer_id)),
                    ("class", &o.class_id),
                    ("ended", &o.class_end.to_string()),
                ],
            )
        })
        .collect();
    let examples = (!examples.is_empty()).then(|| Sentence::new(&m::EXAMPLES, &[("examples", &nested::join(&examples, &nested::SEMICOLON))]));
    let facts = Sentence::new(
        &m::SHORT,
        &[
            ("short", &short.len().to_string()),
            ("total", &outcomes.len().to_string()),
            ("window", window),
            ("share", &percent(share)),
            ("examples", &super::optional(examples)),
        ],
    );
    Some(Measurement { value: share, rows: outcomes.len() as i64, passes_bar: share >= min_share, facts, entities: Vec::new() })
}

/// The persons each first new employer took.
fn persons_per_employer<'a>(outcomes: &[&'a Outcome]) -> BTreeMap<&'a str, BTreeSet<&'a str>> {
    let mut per_employer: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for outcome in outcomes {
        per_employer.entry(outcome.employer_id.as_str()).or_default().insert(outcome.person_id.as_str());
    }
    per_employer
}

/// The first new employer of the most trainees; the smaller employer id on a tie.
fn top_employer<'a>(outcomes: &[&'a Outcome]) -> Option<&'a str> {
    persons_per_employer(outcomes).into_iter().max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(a.0))).map(|(employer, _)| employer)
}

/// Cluster employers (employer, trainees, short jobs), most trainees first, then by id.
fn cluster_employers<'a>(outcomes: &[&'a Outcome], rules: ClusterRules) -> Vec<(&'a str, usize, usize)> {
    let mut per_employer: BTreeMap<&str, (BTreeSet<&str>, usize)> = BTreeMap::new();
    for outcome in outcomes {
        let entry = per_employer.entry(outcome.employer_id.as_str()).or_default();
        if entry.0.insert(outcome.person_id.as_str()) && outcome.short {
            entry.1 += 1;
        }
    }
    let mut clusters: Vec<(&str, usize, usize)> = per_employer
        .iter()
        .filter(|(_, (persons, short))| persons.len() >= rules.min_trainees && *short as f64 >= rules.min_short_share * persons.len() as f64)
        .map(|(employer, (persons, short))| (*employer, persons.len(), *short))
        .collect();
    clusters.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    clusters
}

/// The `employer_concentration` measurement of one institution's outcomes.
pub fn concentration_measurement(outcomes: &[&Outcome], min_rows: usize, min_share: f64, window: &str) -> Option<Measurement> {
    if outcomes.len() < min_rows.max(1) {
        return None;
    }
    let per_employer = persons_per_employer(outcomes);
    let employer = top_employer(outcomes)?;
    let persons = &per_employer[employer];
    let share = persons.len() as f64 / outcomes.len() as f64;
    let facts = Sentence::new(
        &m::CONCENTRATION,
        &[
            ("top", &persons.len().to_string()),
            ("total", &outcomes.len().to_string()),
            ("window", window),
            ("employer", &short_id(employer)),
            ("share", &percent(share)),
            ("employers", &per_employer.len().to_string()),
        ],
    );
    Some(Measurement { value: share, rows: outcomes.len() as i64, passes_bar: share >= min_share, facts, entities: Vec::new() })
}

/// The settings of [`clusters_measurement`].
#[derive(Debug, Clone, Copy)]
pub struct ClusterRules {
    pub min_trainees: usize,
    pub min_short_share: f64,
    pub min_employers: usize,
    pub min_rows: usize,
    pub min_share: f64,
}

impl ClusterRules {
    /// The settings of `signals.toml`'s `employment_clusters`.
    pub fn of(ctx: &Context) -> ClusterRules {
        let k = &ctx.config.employment_clusters;
        ClusterRules { min_trainees: k.min_trainees, min_short_share: k.min_short_share, min_employers: k.min_employers, min_rows: k.min_rows, min_share: k.min_share }
    }
}

/// The `employment_clusters` measurement of one institution's outcomes (`None` below
/// `min_rows`): which employers took several of its trainees mostly for short jobs.
pub fn clusters_measurement(outcomes: &[&Outcome], rules: ClusterRules, window: &str) -> Option<Measurement> {
    if outcomes.len() < rules.min_rows.max(1) {
        return None;
    }
    let clusters = cluster_employers(outcomes, rules);
    let clustered: usize = clusters.iter().map(|(_, n, _)| n).sum();
    let share = clustered as f64 / outcomes.len() as f64;
    let named: Vec<Sentence> = clusters
        .iter()
        .take(5)
        .map(|(employer, n, short)| {
            Sentence::new(&m::CLUSTERS_EMPLOYER, &[("employer", &short_id(employer)), ("trainees", &n.to_string()), ("short", &short.to_string())])
        })
        .collect();
    let named = (!named.is_empty()).then(|| Sentence::new(&m::CLUSTERS_NAMED, &[("list", &nested::join(&named, &nested::SEMICOLON))]));
    let facts = Sentence::new(
        &m::CLUSTERS,
        &[
            ("clustered", &clustered.to_string()),
            ("total", &outcomes.len().to_string()),
            ("window", window),
            ("share", &percent(share)),
            ("employers", &clusters.len().to_string()),
            ("min_trainees", &rules.min_trainees.to_string()),
            ("named", &super::optional(named)),
        ],
    );
    let passes_bar = share >= rules.min_share && clusters.len() >= rules.min_employers;
    Some(Measurement { value: share, rows: outcomes.len() as i64, passes_bar, facts, entities: Vec::new() })
}

/// The jobs behind an employment signal for `wanted`, from the same outcomes its measurement
/// counts: every short job (`short_employment`), the jobs at the most frequent first employer
/// (`employer_concentration`), or the jobs at the cluster employers (`employment_clusters`).
pub fn behind(outcomes: &[Outcome], signal: SignalId, wanted: &BTreeSet<String>, rules: ClusterRules) -> Vec<(String, super::behind::Row)> {
    let mut rows = Vec::new();
    for (institution, list) in by_institution(outcomes) {
        if !wanted.contains(institution) {
            continue;
        }
        let chosen: Vec<&&Outcome> = match signal {
            SHORT => list.iter().filter(|o| o.short).collect(),
            CONCENTRATION => {
                let top = top_employer(&list);
                list.iter().filter(|o| Some(o.employer_id.as_str()) == top).collect()
            }
            CLUSTERS => {
                let clusters: BTreeSet<&str> = cluster_employers(&list, rules).into_iter().map(|(employer, _, _)| employer).collect();
                list.iter().filter(|o| clusters.contains(o.employer_id.as_str())).collect()
            }
            _ => Vec::new(),
        };
        for o in chosen {
            let month = super::data::month_label(o.first_month);
            let row = super::behind::Row {
                enrollment_id: None,
                person_id: Some(o.person_id.clone()),
                at: Some(month.clone()),
                employer_id: Some(o.employer_id.clone()),
                months: Some(o.run_months),
                ..super::behind::row("employment", format!("{}|{}|{month}", o.person_id, o.employer_id), format!("employer:{}", o.employer_id))
            };
            rows.push((institution.to_string(), row));
        }
    }
    rows
}

fn short_id(id: &str) -> String {
    short(id)
}

/// `short_employment` for every institution with enough trainees employed after training.
pub fn short_employment(ctx: &Context, outcomes: &[Outcome]) -> Vec<SignalValue> {
    let s = &ctx.config.short_employment;
    let window = super::quarters_label(ctx.quarter, s.window);
    let measurements = by_institution(outcomes)
        .into_iter()
        .filter_map(|(id, list)| Some((id.to_string(), short_measurement(&list, s.min_rows, s.min_share, &window)?)))
        .collect();
    let comparison = Comparison { direction: Direction::High, bar: s.min_share, z_threshold: s.z_threshold, min_scale: s.min_scale, format: percent };
    judge_all(ctx, SHORT, measurements, comparison)
}

/// `employer_concentration` for every institution with enough trainees employed after training.
pub fn employer_concentration(ctx: &Context, outcomes: &[Outcome]) -> Vec<SignalValue> {
    let e = &ctx.config.employer_concentration;
    let window = super::quarters_label(ctx.quarter, ctx.config.short_employment.window);
    let measurements = by_institution(outcomes)
        .into_iter()
        .filter_map(|(id, list)| Some((id.to_string(), concentration_measurement(&list, e.min_rows, e.min_share, &window)?)))
        .collect();
    let comparison = Comparison { direction: Direction::High, bar: e.min_share, z_threshold: e.z_threshold, min_scale: e.min_scale, format: percent };
    judge_all(ctx, CONCENTRATION, measurements, comparison)
}

/// `employment_clusters` for every institution with enough trainees employed after training.
pub fn employment_clusters(ctx: &Context, outcomes: &[Outcome]) -> Vec<SignalValue> {
    let k = &ctx.config.employment_clusters;
    let window = super::quarters_label(ctx.quarter, ctx.config.short_employment.window);
    let rules = ClusterRules::of(ctx);
    let measurements =
        by_institution(outcomes).into_iter().filter_map(|(id, list)| Some((id.to_string(), clusters_measurement(&list, rules, &window)?))).collect();
    let comparison = Comparison { direction: Direction::High, bar: k.min_share, z_threshold: k.z_threshold, min_scale: k.min_scale, format: percent };
    judge_all(ctx, CLUSTERS, measurements, comparison)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: Rules = Rules { months_after_end: 6, prior_months: 3, start_within_months: 1, max_months: 2, horizon: 100 };

    #[test]
    fn a_two_month_job_starting_the_month_after_the_class_is_short() {
        // Class from month 10 to 12; contributions in months 13 and 14, nothing after.
        let months = [(13, "EMP1"), (14, "EMP1")];
        assert_eq!(after_training(&months, 10, 12, RULES), Some(("EMP1".into(), 13, 2, true)));
    }

    #[test]
    fn a_lasting_job_or_a_late_start_is_not_short() {
        let lasting: Vec<(i32, &str)> = (13..25).map(|m| (m, "EMP1")).collect();
        assert_eq!(after_training(&lasting, 10, 12, RULES), Some(("EMP1".into(), 13, 12, false)));
        let late = [(15, "EMP1"), (16, "EMP1")];
        assert_eq!(after_training(&late, 10, 12, RULES), Some(("EMP1".into(), 15, 2, false)));
    }

    #[test]
    fn a_job_whose_end_is_not_visible_yet_is_not_short() {
        let months = [(13, "EMP1"), (14, "EMP1")];
        let rules = Rules { horizon: 14, ..RULES };
        assert_eq!(after_training(&months, 10, 12, rules), Some(("EMP1".into(), 13, 2, false)));
    }

    #[test]
    fn keeping_the_old_job_is_not_employment_after_training() {
        let months: Vec<(i32, &str)> = (5..30).map(|m| (m, "OWN")).collect();
        assert_eq!(after_training(&months, 10, 12, RULES), None);
    }

    fn outcome(institution: &str, person: usize, employer: &str, short: bool) -> Outcome {
        Outcome {
            institution_id: institution.into(),
            class_id: "K1".into(),
            person_id: format!("P{person:02}"),
            class_end: chrono::NaiveDate::from_ymd_opt(2026, 2, 20).unwrap(),
            employer_id: employer.into(),
            first_month: 2026 * 12 + 2,
            run_months: if short { 2 } else { 9 },
            short,
        }
    }

    #[test]
    fn short_jobs_and_one_employer_pass_their_bars_with_examples() {
        let list: Vec<Outcome> = (0..20).map(|p| outcome("I1", p, if p < 16 { "EMPX" } else { "EMPY" }, p < 17)).collect();
        let refs: Vec<&Outcome> = list.iter().collect();
        let short = short_measurement(&refs, 10, 0.3, "2025Q2–2026Q2").unwrap();
        assert!(short.passes_bar);
        assert_eq!(short.value, 0.85);
        assert!(short.facts.render(crate::vocab::Lang::En).contains("e.g. person P00 2026-03 to 2026-04 at employer EMPX after class K1 ended 2026-02-20"), "{:?}", short.facts);
        let concentration = concentration_measurement(&refs, 10, 0.5, "2025Q2–2026Q2").unwrap();
        assert!(concentration.passes_bar);
        assert_eq!(concentration.value, 0.8);
        assert!(concentration.facts.render(crate::vocab::Lang::En).starts_with("16 of 20 trainees employed after classes ending 2025Q2–2026Q2 started at employer EMPX (80.0%); 2 employers"), "{:?}", concentration.facts);
    }

    #[test]
    fn several_short_lived_employers_taking_several_trainees_each_are_a_cluster() {
        let rules = ClusterRules { min_trainees: 3, min_short_share: 0.5, min_employers: 2, min_rows: 10, min_share: 0.2 };
        // 20 trainees: 3 at EMPA (2 short), 3 at EMPB (3 short), 3 at EMPC (1 short: not a
        // cluster), the rest at 11 employers of one each.
        let mut list = Vec::new();
        for p in 0..20 {
            let (employer, short) = match p {
                0..=2 => ("EMPA".to_string(), p < 2),
                3..=5 => ("EMPB".to_string(), true),
                6..=8 => ("EMPC".to_string(), p == 6),
                _ => (format!("EMP{p}"), false),
            };
            list.push(outcome("I1", p, &employer, short));
        }
        let refs: Vec<&Outcome> = list.iter().collect();
        let m = clusters_measurement(&refs, rules, "Q").unwrap();
        assert_eq!(m.value, 0.3);
        assert!(m.passes_bar);
        assert_eq!(
            m.facts.render(crate::vocab::Lang::Zh),
            "Q 结业班级的就业学员 20 人中，6 人（30.0%）去了 2 家单位，每家接收 3 人及以上且多为短期就业：单位 EMPA 3 人，其中短期 2 人；单位 EMPB 3 人，其中短期 3 人"
        );
        assert_eq!(
            m.facts.render(crate::vocab::Lang::En),
            "6 of 20 trainees employed after classes ending Q (30.0%) went to 2 employers that each took 3 or more of them, mostly for short jobs: employer EMPA 3 trainees, 2 short; employer EMPB 3 trainees, 3 short"
        );
        // One cluster employer alone does not pass (employer_concentration's business)…
        let one: Vec<&Outcome> = refs.iter().copied().filter(|o| o.employer_id != "EMPB").collect();
        assert!(!clusters_measurement(&one, rules, "Q").unwrap().passes_bar);
        // …nor two below the share, and two trainees per employer are no cluster at all.
        assert!(!clusters_measurement(&refs, ClusterRules { min_share: 0.31, ..rules }, "Q").unwrap().passes_bar);
        assert_eq!(clusters_measurement(&refs, ClusterRules { min_trainees: 4, ..rules }, "Q").unwrap().value, 0.0);
        assert!(clusters_measurement(&refs[..9], rules, "Q").is_none());
    }

    #[test]
    fn spread_lasting_jobs_do_not_pass_and_too_few_give_no_value() {
        let list: Vec<Outcome> = (0..20).map(|p| outcome("I1", p, &format!("EMP{}", p % 7), false)).collect();
        let refs: Vec<&Outcome> = list.iter().collect();
        assert!(!short_measurement(&refs, 10, 0.3, "Q").unwrap().passes_bar);
        assert!(!concentration_measurement(&refs, 10, 0.5, "Q").unwrap().passes_bar);
        assert!(short_measurement(&refs[..9], 10, 0.3, "Q").is_none());
    }

    #[test]
    fn the_rows_behind_each_employment_signal_are_its_own_jobs() {
        let rules = ClusterRules { min_trainees: 3, min_short_share: 0.5, min_employers: 2, min_rows: 10, min_share: 0.2 };
        // 12 trainees: 5 at EMPA (all short), 4 at EMPB (3 short), 3 at one employer each (long).
        let mut list = Vec::new();
        for p in 0..12 {
            let (employer, short) = match p {
                0..=4 => ("EMPA".to_string(), true),
                5..=8 => ("EMPB".to_string(), p < 8),
                _ => (format!("EMP{p}"), false),
            };
            list.push(outcome("I1", p, &employer, short));
        }
        list.push(outcome("I2", 40, "EMPA", true));
        let wanted = BTreeSet::from(["I1".to_string()]);
        let count = |signal| behind(&list, signal, &wanted, rules).len();
        assert_eq!((count(SHORT), count(CONCENTRATION), count(CLUSTERS)), (8, 5, 9));
        let rows = behind(&list, SHORT, &wanted, rules);
        let (id, first) = &rows[0];
        assert_eq!(id, "I1");
        assert_eq!((first.table, first.row_key.as_str(), first.part.as_str()), ("employment", "P00|EMPA|2026-03", "employer:EMPA"));
        assert_eq!((first.person_id.as_deref(), first.at.as_deref(), first.months), (Some("P00"), Some("2026-03"), Some(2)));
    }
}
