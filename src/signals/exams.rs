//! Exam signals, over assessments sat (`exam_date`) in the window Q−3 … Q by an institution's
//! trainees. An assessment belongs to the institution of its enrollment; one without an
//! enrollment belongs to the class of the same person, occupation and level whose dates cover the
//! exam (start_date … end_date + the pass-rate indicator's `days_after_end`), the latest such
//! class when several do.
//!
//! - `score_heaping`: scores piled just above the pass mark (`policy.toml`'s `pass_mark`, up to
//!   `heap_width` points above it), or nearly everyone passing with a very small spread of
//!   scores. Value: the share of scored exams in the heap.
//! - `assessor_pass_rate`: an assessor (assessment body) passing this institution's trainees far
//!   more often than it passes other institutions' trainees. The peers here are the assessor's
//!   other institutions: value = the assessor's pass rate here, peer value = its pass rate
//!   elsewhere; it fires when the gap is at least `min_gap` and a two-proportion z-test of here
//!   against elsewhere reaches `min_test_z` (overwhelming evidence, not a hunch), and its strength
//!   comes from that test's z. Of the institution's assessors with enough exams on both sides,
//!   the one with the largest gap is reported.

use super::robust::{self, Direction};
use super::{data, judged, name, one_decimal, percent, Comparison, Context, Measurement, SignalValue};
use crate::vocab::messages::nested::Sentence;
use crate::vocab::messages::signals as m;
use crate::vocab::SignalId;
use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::ingest::contract::Table;
use chrono::NaiveDate;
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

pub const HEAPING: SignalId = SignalId::ScoreHeaping;
pub const ASSESSOR: SignalId = SignalId::AssessorPassRate;

/// One exam sitting attributed to an institution.
#[derive(Debug, Clone, PartialEq)]
pub struct Exam {
    pub assessment_id: String,
    pub institution_id: String,
    pub assessor_id: String,
    pub score: Option<f64>,
    pub passed: bool,
}

/// Exams sat in the window, attributed to institutions, in assessment id order.
pub fn exams_in_window(ctx: &Context) -> Result<Vec<Exam>> {
    let export = ctx.export;
    let classes = export.frame(Table::Classes);
    let class_ids = data::text(classes, c::CLASS_ID)?;
    let class_institutions = data::text(classes, c::INSTITUTION_ID)?;
    let occupations = data::text(classes, c::OCCUPATION_CODE)?;
    let levels = data::int(classes, c::LEVEL)?;
    let starts = data::date(classes, c::START_DATE)?;
    let ends = data::date(classes, c::END_DATE)?;
    struct ClassFacts<'a> {
        institution: &'a str,
        occupation: &'a str,
        level: i64,
        start: NaiveDate,
        end: NaiveDate,
    }
    let mut class_facts: BTreeMap<&str, ClassFacts> = BTreeMap::new();
    for i in 0..classes.height() {
        let (Some(id), Some(institution), Some(occupation), Some(level), Some(start), Some(end)) =
            (class_ids[i], class_institutions[i], occupations[i], levels[i], starts[i], ends[i])
        else {
            continue;
        };
        class_facts.insert(id, ClassFacts { institution, occupation, level, start, end });
    }
    let enrollments = export.frame(Table::Enrollments);
    let enrollment_ids = data::text(enrollments, c::ENROLLMENT_ID)?;
    let enrollment_classes = data::text(enrollments, c::CLASS_ID)?;
    let persons = data::person(enrollments, c::PERSON_ID)?;
    let mut class_of: BTreeMap<&str, &str> = BTreeMap::new();
    // (person, occupation, level) → classes taken.
    let mut taken: BTreeMap<(u32, &str, i64), Vec<&str>> = BTreeMap::new();
    for i in 0..enrollments.height() {
        let (Some(id), Some(class)) = (enrollment_ids[i], enrollment_classes[i]) else { continue };
        class_of.insert(id, class);
        if let (Some(person), Some(facts)) = (persons[i], class_facts.get(class)) {
            taken.entry((person, facts.occupation, facts.level)).or_default().push(class);
        }
    }
    let days_after_end = ctx.policy.indicators.pass_rate.days_after_end.unwrap_or(90);

    let assessments = export
        .frame(Table::Assessments)
        .clone()
        .lazy()
        .filter(col(c::EXAM_DATE).gt_eq(lit(ctx.from)).and(col(c::EXAM_DATE).lt_eq(lit(ctx.to))))
        .sort([c::ASSESSMENT_ID], SortMultipleOptions::default())
        .collect()
        .context("exams in the window")?;
    let ids = data::text(&assessments, c::ASSESSMENT_ID)?;
    let exam_persons = data::person(&assessments, c::PERSON_ID)?;
    let exam_enrollments = data::text(&assessments, c::ENROLLMENT_ID)?;
    let exam_occupations = data::text(&assessments, c::OCCUPATION_CODE)?;
    let exam_levels = data::int(&assessments, c::LEVEL)?;
    let dates = data::date(&assessments, c::EXAM_DATE)?;
    let assessors = data::text(&assessments, c::ASSESSOR_ID)?;
    let scores = data::real(&assessments, c::SCORE)?;
    let passed = data::boolean(&assessments, c::PASSED)?;
    let mut exams = Vec::with_capacity(assessments.height());
    for i in 0..assessments.height() {
        let (Some(id), Some(assessor), Some(date)) = (ids[i], assessors[i], dates[i]) else { continue };
        let linked = exam_enrollments[i].and_then(|e| class_of.get(e)).and_then(|class| class_facts.get(class));
        let institution = match linked {
            Some(facts) => Some(facts.institution),
            None => {
                // An exam without a person matches no class: nobody's qualification is unnamed.
                let key = exam_persons[i].map(|person| (person, exam_occupations[i].unwrap_or(""), exam_levels[i].unwrap_or(-1)));
                key.and_then(|key| taken.get(&key))
                    .into_iter()
                    .flatten()
                    .filter_map(|class| Some((*class, class_facts.get(class)?)))
                    .filter(|(_, f)| f.start <= date && date <= f.end + chrono::Duration::days(days_after_end))
                    .max_by(|a, b| a.1.end.cmp(&b.1.end).then(b.0.cmp(a.0)))
                    .map(|(_, f)| f.institution)
            }
        };
        let Some(institution) = institution else { continue };
        exams.push(Exam {
            assessment_id: id.to_string(),
            institution_id: institution.to_string(),
            assessor_id: assessor.to_string(),
            score: scores[i],
            passed: passed[i].unwrap_or(false),
        });
    }
    Ok(exams)
}

/// Scores of one institution, summarised.
#[derive(Debug, Clone, PartialEq)]
pub struct HeapStats {
    /// Scored exams.
    pub scored: usize,
    /// Scores from the pass mark up to, not including, pass mark + width.
    pub heap: usize,
    /// Scores from pass mark − width up to, not including, the pass mark.
    pub below: usize,
    /// Passed exams among the scored ones.
    pub passed: usize,
    pub median: f64,
    /// 1.4826 × MAD of the scores, in points.
    pub spread: f64,
}

/// Summarises `(score, passed)` pairs.
pub fn heap_stats(scores: &[(f64, bool)], pass_mark: f64, width: f64) -> HeapStats {
    let values: Vec<f64> = scores.iter().map(|(s, _)| *s).collect();
    let median = robust::median(&values).unwrap_or(f64::NAN);
    HeapStats {
        scored: scores.len(),
        heap: values.iter().filter(|s| **s >= pass_mark && **s < pass_mark + width).count(),
        below: values.iter().filter(|s| **s >= pass_mark - width && **s < pass_mark).count(),
        passed: scores.iter().filter(|(_, p)| *p).count(),
        median,
        spread: robust::MAD_TO_SD * robust::mad(&values, median),
    }
}

/// "60–62" for whole numbers, else "60.5 up to 62.5" (embedded, so that it reads in the
/// sentence's language).
fn score_range(from: f64, width: f64) -> String {
    if from.fract() == 0.0 && width.fract() == 0.0 {
        format!("{}–{}", from, from + width - 1.0)
    } else {
        Sentence::new(&m::SCORE_RANGE, &[("from", &from.to_string()), ("to", &(from + width).to_string())]).embed()
    }
}

/// The heap measurement of one institution's stats.
pub fn heap_measurement(stats: &HeapStats, pass_mark: f64, width: f64, min_heap_share: f64, window: &str) -> Measurement {
    let share = stats.heap as f64 / stats.scored.max(1) as f64;
    let facts = Sentence::new(
        &m::HEAPING,
        &[
            ("heap", &stats.heap.to_string()),
            ("scored", &stats.scored.to_string()),
            ("window", window),
            ("share", &percent(share)),
            ("above", &score_range(pass_mark, width)),
            ("pass_mark", &pass_mark.to_string()),
            ("below", &stats.below.to_string()),
            ("below_range", &score_range(pass_mark - width, width)),
            ("pass_rate", &percent(stats.passed as f64 / stats.scored.max(1) as f64)),
            ("median", &one_decimal(stats.median)),
            ("spread", &one_decimal(stats.spread)),
        ],
    );
    Measurement { value: share, rows: stats.scored as i64, passes_bar: share >= min_heap_share, facts, entities: Vec::new() }
}

/// `score_heaping` for every institution with enough scored exams.
pub fn score_heaping(ctx: &Context, exams: &[Exam]) -> Vec<SignalValue> {
    let h = &ctx.config.score_heaping;
    let pass_mark = ctx.policy.rules.pass_mark;
    let window = ctx.window_label();
    let mut scores: BTreeMap<&str, Vec<(f64, bool)>> = BTreeMap::new();
    for exam in exams {
        if let Some(score) = exam.score {
            scores.entry(exam.institution_id.as_str()).or_default().push((score, exam.passed));
        }
    }
    let mut stats = BTreeMap::new();
    for (institution, list) in scores {
        if list.len() >= h.min_rows.max(1) {
            stats.insert(institution.to_string(), heap_stats(&list, pass_mark, h.heap_width));
        }
    }
    let measurements: BTreeMap<String, Measurement> =
        stats.iter().map(|(id, s)| (id.clone(), heap_measurement(s, pass_mark, h.heap_width, h.min_heap_share, &window))).collect();
    let heap_values: BTreeMap<String, f64> = measurements.iter().map(|(id, m)| (id.clone(), m.value)).collect();
    let spreads: BTreeMap<String, f64> = stats.iter().map(|(id, s)| (id.clone(), s.spread)).collect();
    let heap_peers = robust::peer_stats(&heap_values, &ctx.kinds, ctx.config.min_peers);
    let spread_peers = robust::peer_stats(&spreads, &ctx.kinds, ctx.config.min_peers);
    let comparison =
        Comparison { direction: Direction::High, bar: h.min_heap_share, z_threshold: h.z_threshold, min_scale: h.min_scale, format: percent };
    let strength = ctx.config.strength;
    measurements
        .into_iter()
        .map(|(id, measurement)| {
            let s = &stats[&id];
            let mut value = judged(ctx, HEAPING, id.clone(), measurement, &heap_peers[&id], comparison);
            // Nearly everyone passes with very little spread: scores written, not earned.
            let pass_rate = s.passed as f64 / s.scored.max(1) as f64;
            let peers = &spread_peers[&id];
            let flat = robust::judge(
                s.spread,
                peers,
                Direction::Low,
                h.max_spread,
                pass_rate >= h.near_full_pass && s.spread <= h.max_spread,
                h.z_threshold,
                h.min_spread_scale,
                ctx.config.min_comparable,
            );
            if flat.fired {
                value.fired = true;
                value.z = value.z.max(flat.z);
                value.strength = robust::strength(value.z, strength.z_mid, strength.z_scale);
                let flat_text = Sentence::new(
                    &m::HEAPING_FLAT,
                    &[
                        ("pass_rate", &percent(pass_rate)),
                        ("spread", &one_decimal(s.spread)),
                        ("peer_spread", &one_decimal(peers.median)),
                        ("z", &super::z_text(flat.z)),
                    ],
                );
                value.evidence = Sentence::new(&m::EVIDENCE_MORE, &[("evidence", &value.evidence.embed()), ("more", &flat_text.embed())]);
            }
            value
        })
        .collect()
}

/// One assessor at one institution, against the same assessor elsewhere.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessorGap {
    pub assessor_id: String,
    pub passed_here: usize,
    pub exams_here: usize,
    pub passed_elsewhere: usize,
    pub exams_elsewhere: usize,
    pub institutions_elsewhere: usize,
    /// Pass rate here − pass rate elsewhere.
    pub gap: f64,
    /// Two-proportion z-test (pooled) of here against elsewhere.
    pub test_z: f64,
}

/// Every (institution, assessor) pair with at least `min_here` exams here, `min_elsewhere`
/// exams elsewhere over at least `min_institutions` other institutions, per institution.
pub fn assessor_gaps(exams: &[Exam], min_here: usize, min_elsewhere: usize, min_institutions: usize) -> BTreeMap<String, Vec<AssessorGap>> {
    let mut pairs: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    let mut totals: BTreeMap<&str, (usize, usize, BTreeSet<&str>)> = BTreeMap::new();
    for exam in exams {
        let pair = pairs.entry((exam.institution_id.as_str(), exam.assessor_id.as_str())).or_default();
        pair.0 += usize::from(exam.passed);
        pair.1 += 1;
        let total = totals.entry(exam.assessor_id.as_str()).or_default();
        total.0 += usize::from(exam.passed);
        total.1 += 1;
        total.2.insert(exam.institution_id.as_str());
    }
    let mut gaps: BTreeMap<String, Vec<AssessorGap>> = BTreeMap::new();
    for ((institution, assessor), (passed_here, exams_here)) in pairs {
        let (passed_all, exams_all, institutions) = &totals[assessor];
        let passed_elsewhere = passed_all - passed_here;
        let exams_elsewhere = exams_all - exams_here;
        let institutions_elsewhere = institutions.len() - 1;
        if exams_here < min_here.max(1) || exams_elsewhere < min_elsewhere.max(1) || institutions_elsewhere < min_institutions {
            continue;
        }
        let here = passed_here as f64 / exams_here as f64;
        let elsewhere = passed_elsewhere as f64 / exams_elsewhere as f64;
        let pooled = *passed_all as f64 / *exams_all as f64;
        let standard_error = (pooled * (1.0 - pooled) * (1.0 / exams_here as f64 + 1.0 / exams_elsewhere as f64)).sqrt();
        let test_z = if standard_error > 0.0 { (here - elsewhere) / standard_error } else { 0.0 };
        gaps.entry(institution.to_string()).or_default().push(AssessorGap {
            assessor_id: assessor.to_string(),
            passed_here,
            exams_here,
            passed_elsewhere,
            exams_elsewhere,
            institutions_elsewhere,
            gap: here - elsewhere,
            test_z,
        });
    }
    gaps
}

/// The measurement of one institution: its assessor with the largest gap.
pub fn assessor_measurement(gaps: &[AssessorGap], min_gap: f64, min_test_z: f64, window: &str) -> Option<Measurement> {
    let worst = gaps.iter().max_by(|a, b| a.gap.total_cmp(&b.gap).then(b.assessor_id.cmp(&a.assessor_id)))?;
    let compared = (gaps.len() > 1).then(|| Sentence::new(&m::ASSESSOR_COMPARED, &[("n", &gaps.len().to_string())]));
    let facts = Sentence::new(
        &m::ASSESSOR,
        &[
            ("assessor", &worst.assessor_id),
            ("passed", &worst.passed_here.to_string()),
            ("exams", &worst.exams_here.to_string()),
            ("share", &percent(worst.passed_here as f64 / worst.exams_here as f64)),
            ("passed_elsewhere", &worst.passed_elsewhere.to_string()),
            ("exams_elsewhere", &worst.exams_elsewhere.to_string()),
            ("share_elsewhere", &percent(worst.passed_elsewhere as f64 / worst.exams_elsewhere as f64)),
            ("institutions", &worst.institutions_elsewhere.to_string()),
            ("window", window),
            ("gap", &one_decimal(worst.gap * 100.0)),
            ("z", &super::z_text(worst.test_z)),
            ("compared", &super::optional(compared)),
        ],
    );
    Some(Measurement {
        value: worst.gap,
        rows: worst.exams_here as i64,
        passes_bar: worst.gap >= min_gap && worst.test_z >= min_test_z,
        facts,
        entities: Vec::new(),
    })
}

/// `assessor_pass_rate` for every institution with an assessor comparable elsewhere.
pub fn assessor_pass_rate(ctx: &Context, exams: &[Exam]) -> Vec<SignalValue> {
    let a = &ctx.config.assessor_pass_rate;
    let strength = ctx.config.strength;
    let window = ctx.window_label();
    assessor_gaps(exams, a.min_exams_here, a.min_exams_elsewhere, a.min_institutions_elsewhere)
        .into_iter()
        .filter_map(|(institution, gaps)| {
            let measurement = assessor_measurement(&gaps, a.min_gap, a.min_test_z, &window)?;
            let worst = gaps.iter().max_by(|x, y| x.gap.total_cmp(&y.gap).then(y.assessor_id.cmp(&x.assessor_id)))?;
            let elsewhere = worst.passed_elsewhere as f64 / worst.exams_elsewhere as f64;
            Some(SignalValue {
                institution_id: institution,
                signal: ASSESSOR,
                value: worst.passed_here as f64 / worst.exams_here as f64,
                peer_value: elsewhere,
                threshold: (elsewhere + a.min_gap).min(1.0),
                fired: measurement.passes_bar,
                rows: measurement.rows,
                z: worst.test_z,
                // The assessor's own other institutions are the comparison (at least
                // min_institutions_elsewhere of them).
                comparable: true,
                strength: robust::strength(worst.test_z, strength.z_mid, strength.z_scale),
                peers: Sentence::new(&m::ASSESSOR_PEERS, &[("assessor", &worst.assessor_id), ("n", &worst.institutions_elsewhere.to_string())]),
                summary: Sentence::new(
                    &m::ASSESSOR_SUMMARY,
                    &[
                        ("signal", &name(ASSESSOR).embed()),
                        ("share", &percent(worst.passed_here as f64 / worst.exams_here as f64)),
                        ("elsewhere", &percent(elsewhere)),
                    ],
                ),
                related: if measurement.passes_bar { vec![format!("assessor:{}", worst.assessor_id)] } else { Vec::new() },
                evidence: measurement.facts,
                entities: Vec::new(),
            })
        })
        .collect()
}

/// An exam as a row behind a lead.
fn exam_row(exam: &Exam, part: String) -> (String, super::behind::Row) {
    let row = super::behind::Row {
        assessor_id: Some(exam.assessor_id.clone()),
        score: exam.score,
        passed: Some(exam.passed),
        ..super::behind::row("assessments", exam.assessment_id.clone(), part)
    };
    (exam.institution_id.clone(), row)
}

/// The exams behind `score_heaping` for `wanted`: the scored exams in the heap (the pass mark up
/// to `heap_width` points above it), as [`heap_stats`] counts them.
pub fn heaping_behind(exams: &[Exam], wanted: &BTreeSet<String>, pass_mark: f64, width: f64) -> Vec<(String, super::behind::Row)> {
    exams
        .iter()
        .filter(|e| wanted.contains(&e.institution_id))
        .filter(|e| e.score.is_some_and(|s| s >= pass_mark && s < pass_mark + width))
        .map(|e| exam_row(e, "heap".to_string()))
        .collect()
}

/// The exams behind `assessor_pass_rate` for `wanted`: the institution's exams with the
/// assessor its measurement reports (the largest gap, as [`assessor_measurement`] picks it).
/// `minimums` are `min_exams_here`, `min_exams_elsewhere` and `min_institutions_elsewhere`.
pub fn assessor_behind(exams: &[Exam], wanted: &BTreeSet<String>, [here, elsewhere, institutions]: [usize; 3]) -> Vec<(String, super::behind::Row)> {
    if wanted.is_empty() {
        return Vec::new();
    }
    let worst: BTreeMap<String, String> = assessor_gaps(exams, here, elsewhere, institutions)
        .into_iter()
        .filter(|(institution, _)| wanted.contains(institution))
        .filter_map(|(institution, gaps)| {
            let worst = gaps.iter().max_by(|x, y| x.gap.total_cmp(&y.gap).then(y.assessor_id.cmp(&x.assessor_id)))?;
            Some((institution, worst.assessor_id.clone()))
        })
        .collect();
    exams
        .iter()
        .filter(|e| worst.get(&e.institution_id).is_some_and(|assessor| *assessor == e.assessor_id))
        .map(|e| exam_row(e, format!("assessor:{}", e.assessor_id)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_heaped_at_the_pass_mark_pass_the_bar() {
        let scores: Vec<(f64, bool)> = (0..40).map(|i| (if i < 34 { 60.0 + (i % 3) as f64 } else { 70.0 }, true)).collect();
        let stats = heap_stats(&scores, 60.0, 3.0);
        assert_eq!((stats.scored, stats.heap, stats.below, stats.passed), (40, 34, 0, 40));
        let m = heap_measurement(&stats, 60.0, 3.0, 0.3, "2026Q3");
        assert!(m.passes_bar);
        assert!(m.facts.render(crate::vocab::Lang::En).starts_with("34 of 40 scored exams sat 2026Q3 (85.0%) scored 60–62 just above the pass mark 60, 0 scored 57–59 just below; pass rate 100.0%"), "{:?}", m.facts);
        assert!(
            m.facts.render(crate::vocab::Lang::Zh).starts_with("2026Q3 鉴定的 40 份有分数的考试中，34 份（85.0%）得分 60–62，刚过合格线 60 分；0 份得分 57–59，刚低于合格线；通过率 100.0%"),
            "{:?}",
            m.facts
        );
        // A pass mark with a fraction: the range reads in the sentence's language.
        let m = heap_measurement(&stats, 59.5, 3.0, 0.3, "2026Q3");
        assert!(m.facts.render(crate::vocab::Lang::En).contains("scored 59.5 up to 62.5 just above the pass mark 59.5"), "{:?}", m.facts);
        assert!(m.facts.render(crate::vocab::Lang::Zh).contains("得分 59.5 至 62.5，刚过合格线 59.5 分"), "{:?}", m.facts);
    }

    #[test]
    fn honest_scores_do_not_heap() {
        // Scores spread from 40 to 99.
        let scores: Vec<(f64, bool)> = (0..60).map(|i| (40.0 + i as f64, 40.0 + i as f64 >= 60.0)).collect();
        let stats = heap_stats(&scores, 60.0, 3.0);
        assert_eq!((stats.heap, stats.below), (3, 3));
        assert!(stats.spread > 20.0);
        assert!(!heap_measurement(&stats, 60.0, 3.0, 0.3, "Q").passes_bar);
    }

    fn exam(institution: &str, assessor: &str, passed: bool, n: usize) -> Vec<Exam> {
        (0..n)
            .map(|i| Exam {
                assessment_id: format!("{institution}-{assessor}-{passed}-{i}"),
                institution_id: institution.into(),
                assessor_id: assessor.into(),
                score: None,
                passed,
            })
            .collect()
    }

    #[test]
    fn an_assessor_passing_everyone_here_but_seventy_percent_elsewhere_passes_the_bar() {
        let mut exams = exam("I1", "AS3", true, 58);
        for other in ["I2", "I3", "I4", "I5"] {
            exams.extend(exam(other, "AS3", true, 35));
            exams.extend(exam(other, "AS3", false, 15));
        }
        let gaps = assessor_gaps(&exams, 20, 30, 3);
        let m = assessor_measurement(&gaps["I1"], 0.25, 3.0, "Q").unwrap();
        assert!(m.passes_bar, "{:?}", m.facts);
        assert!((m.value - 0.3).abs() < 1e-9);
        assert!(m.facts.render(crate::vocab::Lang::En).starts_with("assessor AS3 passed 58 of 58 exams here (100.0%) against 140 of 200 (70.0%) at 4 other institutions, exams sat Q; gap 30.0 points"), "{:?}", m.facts);
        assert!(
            m.facts.render(crate::vocab::Lang::Zh).starts_with("考评员 AS3 在本机构 Q 鉴定的 58 场考试中判定通过 58 场（100.0%），在其他 4 家机构的 200 场中通过 140 场（70.0%）；相差 30.0 个百分点，两比例检验 z "),
            "{:?}",
            m.facts
        );
        // The other institutions pass as often as the assessor does elsewhere.
        let other = assessor_measurement(&gaps["I2"], 0.25, 3.0, "Q").unwrap();
        assert!(!other.passes_bar);
    }

    #[test]
    fn an_assessor_seen_at_too_few_other_institutions_is_not_compared() {
        let mut exams = exam("I1", "AS3", true, 58);
        exams.extend(exam("I2", "AS3", false, 60));
        assert!(assessor_gaps(&exams, 20, 30, 3).is_empty());
    }

    #[test]
    fn the_rows_behind_heaping_are_the_exams_from_the_pass_mark_up_to_the_width() {
        let scored = |id: &str, score: f64| Exam { assessment_id: id.into(), institution_id: "I1".into(), assessor_id: "AS1".into(), score: Some(score), passed: score >= 60.0 };
        let exams = vec![scored("A1", 59.9), scored("A2", 60.0), scored("A3", 62.9), scored("A4", 63.0), Exam { score: None, ..scored("A5", 0.0) }];
        let wanted = BTreeSet::from(["I1".to_string()]);
        let rows = heaping_behind(&exams, &wanted, 60.0, 3.0);
        let keys: Vec<&str> = rows.iter().map(|(_, r)| r.row_key.as_str()).collect();
        assert_eq!(keys, ["A2", "A3"]);
        assert_eq!((rows[0].1.table, rows[0].1.part.as_str(), rows[0].1.score, rows[0].1.passed), ("assessments", "heap", Some(60.0), Some(true)));
        assert!(heaping_behind(&exams, &BTreeSet::new(), 60.0, 3.0).is_empty());
    }

    #[test]
    fn the_rows_behind_an_assessor_are_its_exams_at_the_institution_only() {
        let mut exams = exam("I1", "AS3", true, 58);
        exams.extend(exam("I1", "AS4", true, 5));
        for other in ["I2", "I3", "I4", "I5"] {
            exams.extend(exam(other, "AS3", true, 35));
            exams.extend(exam(other, "AS3", false, 15));
        }
        let rows = assessor_behind(&exams, &BTreeSet::from(["I1".to_string()]), [20, 30, 3]);
        assert_eq!(rows.len(), 58);
        assert!(rows.iter().all(|(id, r)| id == "I1" && r.part == "assessor:AS3" && r.assessor_id.as_deref() == Some("AS3")));
    }
}
