//! `benford`: the first-digit test of an institution's claim-line amounts (every line of its
//! claims submitted in the window Q−3 … Q). Amounts made up by people favour some digits; amounts
//! that arise from many honest cases follow Benford's law more closely. Nigrini's mean absolute
//! deviation (MAD) between observed and expected first-digit shares is the measure, with his
//! first-digit conformity bands (0.006 / 0.012 / 0.015). Amounts below 1 yuan have no first
//! digit in yuan and are skipped; fewer than `min_count` amounts are not tested.
//!
//! Benford's law describes amounts that arise from many independent cases, not amounts fixed by a
//! tariff: a catalogue standard claimed for 300 trainees is one amount chosen once. So each
//! **distinct** amount counts once, and only institutions with at least `min_count` distinct
//! amounts are tested (an institution billing standards only has nothing to test). The signal
//! fires on nonconformity (MAD above the last band) that is also unusual against the institution's
//! tested peers (robust z of the MAD). Where fewer than `min_comparable` peers could be tested,
//! the reference is Nigrini's nonconformity bound plus the MAD a Benford-conforming set of the
//! same size shows by chance (√(2/π) × mean over digits of √(p(1−p)/n)), with `min_scale` as
//! the scale.

use super::{data, judged, number, optional, percent, Comparison, Context, Measurement, SignalValue};
use crate::vocab::messages::nested::{self, Sentence};
use crate::vocab::messages::signals as m;
use crate::vocab::{Message, SignalId};
use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::ingest::contract::Table;
use polars::prelude::*;
use std::collections::BTreeMap;

pub const SIGNAL: SignalId = SignalId::Benford;

/// Benford's expected share of first digit `digit` (1–9): log10(1 + 1/digit).
pub fn expected_share(digit: usize) -> f64 {
    (1.0 + 1.0 / digit as f64).log10()
}

/// First significant digit of an amount in fen, as yuan: `None` below 1 yuan (100 fen).
pub fn first_digit(amount_fen: i64) -> Option<usize> {
    if amount_fen < 100 {
        return None;
    }
    let mut value = amount_fen;
    while value >= 10 {
        value /= 10;
    }
    Some(value as usize)
}

/// Counts of first digits 1–9 of `amounts_fen`, and how many were below 1 yuan.
pub fn digit_counts(amounts_fen: &[i64]) -> ([i64; 9], usize) {
    let mut counts = [0i64; 9];
    let mut skipped = 0;
    for &amount in amounts_fen {
        match first_digit(amount) {
            Some(digit) => counts[digit - 1] += 1,
            None => skipped += 1,
        }
    }
    (counts, skipped)
}

/// Nigrini's MAD: mean over the nine digits of |observed share − expected share|; `None` when
/// nothing was counted.
pub fn nigrini_mad(counts: &[i64; 9]) -> Option<f64> {
    let total: i64 = counts.iter().sum();
    if total == 0 {
        return None;
    }
    let sum: f64 = (1..=9).map(|digit| (counts[digit - 1] as f64 / total as f64 - expected_share(digit)).abs()).sum();
    Some(sum / 9.0)
}

/// Nigrini's first-digit conformity class of a MAD.
pub fn conformity(mad: f64, bands: [f64; 3]) -> &'static Message {
    if mad <= bands[0] {
        &m::BENFORD_CLOSE
    } else if mad <= bands[1] {
        &m::BENFORD_ACCEPTABLE
    } else if mad <= bands[2] {
        &m::BENFORD_MARGINAL
    } else {
        &m::BENFORD_NONCONFORMITY
    }
}

/// One claim line's amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    /// `claim_id/enrollment_id`.
    pub line_id: String,
    pub amount_fen: i64,
}

/// Digits clearly more frequent than Benford expects (observed share at least 2 points above
/// the expected one), the strongest three at most, in digit order.
pub fn heavy_digits(counts: &[i64; 9]) -> Vec<usize> {
    let total: i64 = counts.iter().sum();
    if total == 0 {
        return Vec::new();
    }
    let mut excess: Vec<(usize, f64)> = (1..=9)
        .map(|digit| (digit, counts[digit - 1] as f64 / total as f64 - expected_share(digit)))
        .filter(|(_, excess)| *excess >= 0.02)
        .collect();
    excess.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    excess.truncate(3);
    let mut heavy: Vec<usize> = excess.iter().map(|(d, _)| *d).collect();
    heavy.sort_unstable();
    heavy
}

/// The rows behind one institution's test: its claim lines whose amount starts with a heavy
/// digit ([`heavy_digits`] of the distinct amounts, as [`measure`] counts them).
pub fn behind(amounts: &[Amount]) -> Vec<super::behind::Row> {
    let mut distinct: Vec<i64> = amounts.iter().map(|a| a.amount_fen).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let heavy = heavy_digits(&digit_counts(&distinct).0);
    amounts
        .iter()
        .filter_map(|a| {
            let digit = first_digit(a.amount_fen).filter(|d| heavy.contains(d))?;
            let (claim, enrollment) = a.line_id.split_once('/').unwrap_or((a.line_id.as_str(), ""));
            Some(super::behind::Row {
                claim_id: Some(claim.to_string()),
                enrollment_id: Some(enrollment.to_string()),
                amount_fen: Some(a.amount_fen),
                ..super::behind::row("claim_lines", a.line_id.clone(), format!("digit:{digit}"))
            })
        })
        .collect()
}

/// The MAD a Benford-conforming set of `n` amounts shows by chance (its expectation).
pub fn chance_mad(n: usize) -> f64 {
    if n == 0 {
        return f64::NAN;
    }
    let mean_sd: f64 = (1..=9).map(|d| (expected_share(d) * (1.0 - expected_share(d)) / n as f64).sqrt()).sum::<f64>() / 9.0;
    (2.0 / std::f64::consts::PI).sqrt() * mean_sd
}

/// The test of one institution's amounts: each distinct amount of 1 yuan or more counts once;
/// `None` below `min_count` distinct amounts.
pub fn measure(amounts: &[Amount], min_count: usize, bands: [f64; 3], window: &str) -> Option<(Measurement, [i64; 9])> {
    let mut distinct: Vec<i64> = amounts.iter().map(|a| a.amount_fen).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let (counts, skipped) = digit_counts(&distinct);
    let total: i64 = counts.iter().sum();
    if (total as usize) < min_count.max(1) {
        return None;
    }
    let lines = amounts.iter().filter(|a| a.amount_fen >= 100).count();
    let mad = nigrini_mad(&counts)?;
    let heavy = heavy_digits(&counts);
    let skipped_text = (skipped > 0).then(|| Sentence::new(&m::BENFORD_SKIPPED, &[("skipped", &skipped.to_string())]));
    let mut heavy_text = None;
    if !heavy.is_empty() {
        let observed: i64 = heavy.iter().map(|d| counts[d - 1]).sum();
        let expected: f64 = heavy.iter().map(|d| expected_share(*d)).sum();
        let digits: Vec<String> = heavy.iter().map(|d| d.to_string()).collect();
        let examples: Vec<Sentence> = amounts
            .iter()
            .filter(|a| first_digit(a.amount_fen).is_some_and(|d| heavy.contains(&d)))
            .take(3)
            .map(|a| Sentence::new(&m::BENFORD_EXAMPLE, &[("line", &a.line_id), ("amount", &crate::money::yuan(a.amount_fen))]))
            .collect();
        heavy_text = Some(Sentence::new(
            &m::BENFORD_HEAVY,
            &[
                ("digits", &nested::join_values(&digits, &nested::LIST)),
                ("observed", &observed.to_string()),
                ("total", &total.to_string()),
                ("share", &percent(observed as f64 / total as f64)),
                ("expected", &percent(expected)),
                ("examples", &nested::join(&examples, &nested::LIST)),
            ],
        ));
    }
    let facts = Sentence::new(
        &m::BENFORD,
        &[
            ("mad", &number(mad)),
            ("total", &total.to_string()),
            ("lines", &lines.to_string()),
            ("window", window),
            ("skipped", &optional(skipped_text)),
            ("conformity", &Sentence::new(conformity(mad, bands), &[]).embed()),
            ("bound", &bands[2].to_string()),
            ("heavy", &optional(heavy_text)),
        ],
    );
    Some((Measurement { value: mad, rows: lines as i64, passes_bar: mad > bands[2], facts, entities: Vec::new() }, counts))
}

/// Observed first-digit counts of every tested institution.
#[derive(Debug, Clone, Default)]
pub struct Digits {
    pub counts: BTreeMap<String, [i64; 9]>,
}

/// Amounts of every line of claims submitted in the window, per institution, in line order.
pub fn amounts_in_window(ctx: &Context) -> Result<BTreeMap<String, Vec<Amount>>> {
    let claims = ctx.export.frame(Table::Claims).clone().lazy().select([col(c::CLAIM_ID), col(c::INSTITUTION_ID), col(c::SUBMITTED_ON)]);
    let lines = ctx
        .export
        .frame(Table::ClaimLines)
        .clone()
        .lazy()
        .select([col(c::CLAIM_ID), col(c::ENROLLMENT_ID), col(c::fen(c::AMOUNT))])
        .inner_join(claims, col(c::CLAIM_ID), col(c::CLAIM_ID))
        .filter(col(c::SUBMITTED_ON).gt_eq(lit(ctx.from)).and(col(c::SUBMITTED_ON).lt_eq(lit(ctx.to))))
        .sort([c::INSTITUTION_ID, c::CLAIM_ID, c::ENROLLMENT_ID], SortMultipleOptions::default().with_maintain_order(true))
        .collect()
        .context("benford: claim lines in the window")?;
    let institutions = data::text(&lines, c::INSTITUTION_ID)?;
    let claim_ids = data::text(&lines, c::CLAIM_ID)?;
    let enrollments = data::text(&lines, c::ENROLLMENT_ID)?;
    let amounts = data::int(&lines, &c::fen(c::AMOUNT))?;
    let mut by_institution: BTreeMap<String, Vec<Amount>> = BTreeMap::new();
    for i in 0..lines.height() {
        let (Some(institution), Some(amount)) = (institutions[i], amounts[i]) else { continue };
        let line_id = format!("{}/{}", claim_ids[i].unwrap_or(""), enrollments[i].unwrap_or(""));
        by_institution.entry(institution.to_string()).or_default().push(Amount { line_id, amount_fen: amount });
    }
    Ok(by_institution)
}

/// The signal for every institution with enough amounts, and their digit counts.
pub fn detect(ctx: &Context, amounts: &BTreeMap<String, Vec<Amount>>) -> Result<(Vec<SignalValue>, Digits)> {
    let settings = &ctx.config.benford;
    let window = ctx.window_label();
    let mut measurements = BTreeMap::new();
    let mut digits = Digits::default();
    for (institution, amounts) in amounts {
        if let Some((measurement, counts)) = measure(amounts, settings.min_count, settings.conformity_bands, &window) {
            measurements.insert(institution.clone(), measurement);
            digits.counts.insert(institution.clone(), counts);
        }
    }
    let comparison = Comparison {
        direction: super::robust::Direction::High,
        bar: settings.conformity_bands[2],
        z_threshold: settings.z_threshold,
        min_scale: settings.min_scale,
        format: number,
    };
    let values: BTreeMap<String, f64> = measurements.iter().map(|(id, m)| (id.clone(), m.value)).collect();
    let peers = super::robust::peer_stats(&values, &ctx.kinds, ctx.config.min_peers);
    let found = measurements
        .into_iter()
        .map(|(id, measurement)| {
            let mut reference = peers[&id].clone();
            if reference.count < ctx.config.min_comparable {
                // Too few tested peers: the reference is Nigrini's bound plus chance.
                let distinct = digits.counts[&id].iter().sum::<i64>() as usize;
                let chance = chance_mad(distinct);
                reference = super::robust::PeerStats {
                    median: settings.conformity_bands[2] + chance,
                    mad: 0.0,
                    count: ctx.config.min_comparable,
                    label: Sentence::new(
                        &m::BENFORD_REFERENCE,
                        &[
                            ("bound", &settings.conformity_bands[2].to_string()),
                            ("chance", &number(chance)),
                            ("distinct", &distinct.to_string()),
                            ("min_peers", &ctx.config.min_comparable.to_string()),
                            ("min_count", &settings.min_count.to_string()),
                        ],
                    ),
                    reference: true,
                };
            }
            judged(ctx, SIGNAL, id, measurement, &reference, comparison)
        })
        .collect();
    Ok((found, digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BANDS: [f64; 3] = [0.006, 0.012, 0.015];

    fn amounts(fen: &[i64]) -> Vec<Amount> {
        fen.iter().enumerate().map(|(i, &amount_fen)| Amount { line_id: format!("C{i}/E{i}"), amount_fen }).collect()
    }

    /// Amounts whose first digits follow Benford's shares exactly (per 1000).
    fn benford_like() -> Vec<i64> {
        let per_mille = [301, 176, 125, 97, 79, 67, 58, 51, 46];
        let mut fen = Vec::new();
        for (index, count) in per_mille.iter().enumerate() {
            for k in 0..*count {
                fen.push(((index as i64 + 1) * 1000 + k) * 100 + 37);
            }
        }
        fen
    }

    #[test]
    fn the_first_digit_is_that_of_the_yuan_amount() {
        assert_eq!(first_digit(100), Some(1));
        assert_eq!(first_digit(99), None);
        assert_eq!(first_digit(0), None);
        assert_eq!(first_digit(49_999), Some(4));
        assert_eq!(first_digit(930_010), Some(9));
    }

    #[test]
    fn amounts_that_follow_benford_conform_closely_and_do_not_pass_the_bar() {
        let (measurement, counts) = measure(&amounts(&benford_like()), 100, BANDS, "2026Q3").unwrap();
        assert_eq!(counts.iter().sum::<i64>(), 1000);
        assert!(measurement.value < 0.001, "{}", measurement.value);
        assert!(!measurement.passes_bar);
        assert!(measurement.facts.render(crate::vocab::Lang::En).contains("close conformity"), "{:?}", measurement.facts);
    }

    #[test]
    fn made_up_amounts_starting_4_5_9_are_nonconforming_with_examples() {
        let fen: Vec<i64> = (0..300).map(|i| [4, 5, 9][i % 3] * 10_000 + (i as i64 * 37) % 10_000).collect();
        let (measurement, _) = measure(&amounts(&fen), 100, BANDS, "2025Q4–2026Q3").unwrap();
        assert!(measurement.value > 0.1, "{}", measurement.value);
        assert!(measurement.passes_bar);
        assert!(measurement.facts.render(crate::vocab::Lang::En).contains("first digits 4, 5, 9 on 300 of 300 distinct amounts (100.0%, Benford expects 22.2%)"), "{:?}", measurement.facts);
        assert!(measurement.facts.render(crate::vocab::Lang::En).contains("e.g. lines C0/E0 400.00, C1/E1 500.37, C2/E2 900.74"), "{:?}", measurement.facts);
        let zh = measurement.facts.render(crate::vocab::Lang::Zh);
        assert!(zh.starts_with("2025Q4–2026Q3 提交的申领明细 300 条，不同金额 300 个，首位数字 MAD "), "{zh}");
        assert!(
            zh.ends_with("按尼格里尼标准为不符合（高于 0.015 即不符合）；首位数字为 4、5、9 的金额 300 个，占 300 个不同金额的 100.0%（本福特定律预期 22.2%）；例如明细 C0/E0（400.00 元）、C1/E1（500.37 元）、C2/E2（900.74 元）"),
            "{zh}"
        );
    }

    #[test]
    fn too_few_amounts_are_not_tested() {
        let fen: Vec<i64> = (0..99).map(|i| 40_000 + i).collect();
        assert!(measure(&amounts(&fen), 100, BANDS, "Q").is_none());
    }

    #[test]
    fn a_tariff_repeated_on_many_lines_counts_once() {
        // 500 lines at the 1500.00 standard and 60 distinct allowance amounts: 61 distinct.
        let mut fen = vec![150_000; 500];
        fen.extend((0..60).map(|i| 44_000 + i * 100));
        assert!(measure(&amounts(&fen), 100, BANDS, "Q").is_none());
    }

    #[test]
    fn chance_mad_shrinks_with_the_number_of_amounts() {
        assert!((chance_mad(100) - 0.0235).abs() < 0.001, "{}", chance_mad(100));
        assert!(chance_mad(1000) < chance_mad(100) / 3.0);
    }

    #[test]
    fn amounts_below_one_yuan_are_skipped_and_do_not_count_toward_the_minimum() {
        let mut fen: Vec<i64> = (0..99).map(|i| 40_000 + i).collect();
        fen.extend([5, 50, 99]);
        assert!(measure(&amounts(&fen), 100, BANDS, "Q").is_none());
        fen.push(100);
        let (measurement, counts) = measure(&amounts(&fen), 100, BANDS, "Q").unwrap();
        assert_eq!(counts[0], 1);
        assert_eq!(counts[3], 99);
        assert_eq!(measurement.rows, 100);
        assert!(measurement.facts.render(crate::vocab::Lang::En).contains("3 distinct amount(s) below 1 yuan skipped"), "{:?}", measurement.facts);
    }

    #[test]
    fn conformity_follows_nigrinis_bands() {
        assert_eq!(conformity(0.005, BANDS).en, "close conformity");
        assert_eq!(conformity(0.010, BANDS).en, "acceptable conformity");
        assert_eq!(conformity(0.014, BANDS).en, "marginally acceptable conformity");
        assert_eq!(conformity(0.016, BANDS).en, "nonconformity");
    }

    #[test]
    fn the_rows_behind_are_the_lines_whose_first_digit_is_heavy() {
        // 300 distinct amounts starting 4, 5 or 9 (all heavy), one line below 1 yuan, and one
        // line starting 1 (not heavy): the 300 lines come back, by digit, and nothing else.
        let mut fen: Vec<i64> = (0..300).map(|i| [4, 5, 9][i % 3] * 10_000 + (i as i64 * 37) % 10_000).collect();
        fen.extend([99, 12_345]);
        let rows = behind(&amounts(&fen));
        assert_eq!(rows.len(), 300);
        assert_eq!(rows.iter().filter(|r| r.part == "digit:4").count(), 100);
        let first = &rows[0];
        assert_eq!((first.table, first.row_key.as_str(), first.part.as_str()), ("claim_lines", "C0/E0", "digit:4"));
        assert_eq!((first.claim_id.as_deref(), first.enrollment_id.as_deref(), first.amount_fen), (Some("C0"), Some("E0"), Some(40_000)));
        assert!(rows.iter().all(|r| r.amount_fen != Some(12_345) && r.amount_fen != Some(99)));
        // Amounts that follow Benford have no heavy digit: no rows.
        assert!(behind(&amounts(&benford_like())).is_empty());
    }
}
