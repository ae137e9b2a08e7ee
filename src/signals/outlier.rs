//! `outlier`: how far an institution's profile — by default its five outcome indicators
//! (completion, pass, employment, retention, satisfaction; `outlier.features` may add compliance or
//! the share-valued signals) — lies from its peer group's, as a robust Mahalanobis distance.
//!
//! Compliance is left out by default because rule breaches already enter the risk score on their
//! own, and the other signals because each already fires on its own value: the outlier is meant
//! for profiles no single rule or signal names (e.g. a pass rate far above what the institution's
//! completion, jobs and satisfaction go with). With `upper_only` (the default) only deviations
//! *above* the peers count: fraud inflates outcomes, while poor outcomes are the credit score's
//! business, not an investigator's.
//!
//! Within the peer group (same kind when at least `min_peers` institutions have a vector, else
//! all), each feature is standardised by the group's median and MAD (at least
//! `feature_min_scale`) and clipped to ±`clip`; a missing value counts as the median. The
//! correlation of the clipped values, plus `ridge` on the diagonal, decorrelates them (with fewer
//! than twice as many institutions as features the correlation is not estimated and the
//! features count as independent). The distance is √(zᵀ R⁻¹ z / p), p the number of features:
//! about 1 for a typical institution. An indicator resting on fewer than `min_denominator` rows
//! counts as missing (a pass rate of 0 of 3 says little), and institutions with fewer than
//! `min_indicators` of the six indicators left are not scored. The distance is then judged against the peers' distances like any
//! other signal (and must reach `min_distance`).

use super::robust::{self, Direction};
use super::{judge_all, one_decimal, Comparison, Context, Measurement, SignalValue};
use crate::vocab::messages::nested::{self, Sentence};
use crate::vocab::messages::signals as m;
use crate::vocab::{IndicatorId, SignalId};
use std::collections::BTreeMap;

pub const SIGNAL: SignalId = SignalId::Outlier;

/// One institution's feature vector (`None`: no data).
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub institution_id: String,
    pub kind: String,
    pub values: Vec<Option<f64>>,
}

/// Distances of every profile within its group, and per profile its standardised values. With
/// `upper_only`, deviations below the peers count as none in the distance (the correlation is
/// still estimated from both sides).
pub fn distances(profiles: &[Profile], clip: f64, ridge: f64, min_scale: f64, upper_only: bool) -> Vec<(f64, Vec<f64>, Vec<f64>)> {
    let features = profiles.first().map(|p| p.values.len()).unwrap_or(0);
    let mut medians = vec![0.0; features];
    let mut scales = vec![min_scale; features];
    for f in 0..features {
        let present: Vec<f64> = profiles.iter().filter_map(|p| p.values[f]).collect();
        if let Some(center) = robust::median(&present) {
            medians[f] = center;
            scales[f] = (robust::MAD_TO_SD * robust::mad(&present, center)).max(min_scale);
        }
    }
    let standardised: Vec<Vec<f64>> = profiles
        .iter()
        .map(|p| (0..features).map(|f| p.values[f].map(|v| ((v - medians[f]) / scales[f]).clamp(-clip, clip)).unwrap_or(0.0)).collect())
        .collect();
    let n = profiles.len();
    let inverse = if n >= 2 * features && features > 0 {
        let mut second = vec![vec![0.0; features]; features];
        for z in &standardised {
            for j in 0..features {
                for k in 0..features {
                    second[j][k] += z[j] * z[k] / n as f64;
                }
            }
        }
        let mut correlation = vec![vec![0.0; features]; features];
        for j in 0..features {
            for k in 0..features {
                let denominator = (second[j][j] * second[k][k]).sqrt();
                correlation[j][k] = if j == k {
                    1.0 + ridge
                } else if denominator > 0.0 {
                    second[j][k] / denominator
                } else {
                    0.0
                };
            }
        }
        invert(correlation)
    } else {
        None
    };
    standardised
        .into_iter()
        .map(|z| {
            let counted: Vec<f64> = if upper_only { z.iter().map(|v| v.max(0.0)).collect() } else { z.clone() };
            let squared = match &inverse {
                Some(inverse) => {
                    let mut sum = 0.0;
                    for j in 0..features {
                        for k in 0..features {
                            sum += counted[j] * inverse[j][k] * counted[k];
                        }
                    }
                    sum.max(0.0)
                }
                None => counted.iter().map(|v| v * v).sum(),
            };
            (((squared) / features.max(1) as f64).sqrt(), z, medians.clone())
        })
        .collect()
}

/// Inverse of a small symmetric matrix by Gauss–Jordan elimination with partial pivoting.
pub fn invert(mut matrix: Vec<Vec<f64>>) -> Option<Vec<Vec<f64>>> {
    let n = matrix.len();
    let mut inverse: Vec<Vec<f64>> = (0..n).map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect()).collect();
    for column in 0..n {
        let pivot = (column..n).max_by(|&a, &b| matrix[a][column].abs().total_cmp(&matrix[b][column].abs()))?;
        if matrix[pivot][column].abs() < 1e-12 {
            return None;
        }
        matrix.swap(column, pivot);
        inverse.swap(column, pivot);
        let divisor = matrix[column][column];
        for k in 0..n {
            matrix[column][k] /= divisor;
            inverse[column][k] /= divisor;
        }
        for row in 0..n {
            if row != column {
                let factor = matrix[row][column];
                if factor != 0.0 {
                    for k in 0..n {
                        matrix[row][k] -= factor * matrix[column][k];
                        inverse[row][k] -= factor * inverse[column][k];
                    }
                }
            }
        }
    }
    Some(inverse)
}

pub use crate::policy::signals::{Feature, FEATURE_SIGNALS};

/// The other signals' values by (institution, signal), the profile's signal features.
type SignalValues<'a> = BTreeMap<(&'a str, SignalId), f64>;

/// One institution's profile as `outlier` compares it: each feature's value, `None` where an
/// indicator rests on fewer than `min_denominator` rows or a signal has no value; `None`
/// altogether below `min_indicators` indicators with a value.
fn profile(ctx: &Context, id: &str, kind: &str, signal_values: &SignalValues) -> Option<Profile> {
    let o = &ctx.config.outlier;
    // An indicator resting on fewer than `min_denominator` rows is too noisy to compare.
    // (Satisfaction's denominator is 4 × surveys.)
    let indicators: [Option<f64>; 6] = std::array::from_fn(|index| match ctx.indicators.ratios[index].get(id) {
        Some(&(numerator, denominator)) if denominator > 0 => {
            let rows = if IndicatorId::ALL[index] == IndicatorId::Satisfaction { denominator / 4 } else { denominator };
            (rows >= o.min_denominator as i64).then(|| numerator as f64 / denominator as f64)
        }
        _ => None,
    });
    if indicators.iter().filter(|x| x.is_some()).count() < o.min_indicators {
        return None;
    }
    let values = o
        .features
        .iter()
        .map(|feature| match feature {
            Feature::Indicator(indicator) => IndicatorId::ALL.iter().position(|i| i == indicator).and_then(|index| indicators[index]),
            Feature::Signal(signal) => signal_values.get(&(id, *signal)).copied(),
        })
        .collect();
    Some(Profile { institution_id: id.to_string(), kind: kind.to_string(), values })
}

/// `outlier` for every institution with enough indicators, from the other signals' values.
pub fn detect(ctx: &Context, values: &[SignalValue]) -> Vec<SignalValue> {
    let o = &ctx.config.outlier;
    let signal_values: SignalValues = values.iter().map(|v| ((v.institution_id.as_str(), v.signal), v.value)).collect();
    let names: Vec<&str> = o.features.iter().map(|f| f.as_str()).collect();
    let profiles: Vec<Profile> = ctx.kinds.iter().filter_map(|(id, kind)| profile(ctx, id, kind, &signal_values)).collect();
    // Peer groups: a kind with enough profiles, else everyone.
    let mut per_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for profile in &profiles {
        *per_kind.entry(profile.kind.as_str()).or_default() += 1;
    }
    let group_of = |profile: &Profile| if per_kind[profile.kind.as_str()] >= ctx.config.min_peers { profile.kind.clone() } else { String::new() };
    let mut groups: BTreeMap<String, Vec<&Profile>> = BTreeMap::new();
    for profile in &profiles {
        groups.entry(group_of(profile)).or_default().push(profile);
    }
    let mut measurements = BTreeMap::new();
    for members in groups.values() {
        let owned: Vec<Profile> = members.iter().map(|p| (*p).clone()).collect();
        for (profile, (distance, z, medians)) in owned.iter().zip(distances(&owned, o.clip, o.ridge, o.feature_min_scale, o.upper_only)) {
            let mut order: Vec<usize> = (0..names.len()).filter(|&f| profile.values[f].is_some() && (!o.upper_only || z[f] > 0.0)).collect();
            order.sort_by(|&a, &b| z[b].abs().total_cmp(&z[a].abs()).then(a.cmp(&b)));
            let unusual: Vec<Sentence> = order
                .iter()
                .take(3)
                .map(|&f| {
                    let value = profile.values[f].unwrap_or(f64::NAN);
                    Sentence::new(
                        &m::OUTLIER_FEATURE,
                        &[("feature", names[f]), ("value", &shown(names[f], value)), ("median", &shown(names[f], medians[f])), ("z", &super::z_text(z[f]))],
                    )
                })
                .collect();
            let present = profile.values.iter().filter(|v| v.is_some()).count();
            let facts = Sentence::new(
                &m::OUTLIER,
                &[
                    ("distance", &one_decimal(distance)),
                    ("present", &present.to_string()),
                    ("count", &names.len().to_string()),
                    ("features", &nested::join_values(&names, &nested::LIST)),
                    ("unusual", &nested::join(&unusual, &nested::LIST)),
                ],
            );
            measurements.insert(
                profile.institution_id.clone(),
                Measurement { value: distance, rows: present as i64, passes_bar: distance >= o.min_distance, facts, entities: Vec::new() },
            );
        }
    }
    let comparison = Comparison { direction: Direction::High, bar: o.min_distance, z_threshold: o.z_threshold, min_scale: o.min_scale, format: one_decimal };
    judge_all(ctx, SIGNAL, measurements, comparison)
}

/// A feature's value as people read it (every feature is a share).
/// The rows behind `outlier` for `wanted`: the institution's profile, one row per feature
/// with its value (`indicators` for an outcome indicator, `signal_values` for a signal), as
/// [`detect`] compares it; features without a value are left out.
pub fn behind(ctx: &Context, values: &[SignalValue], wanted: &std::collections::BTreeSet<String>) -> Vec<(String, super::behind::Row)> {
    let signal_values: SignalValues = values.iter().filter(|v| wanted.contains(&v.institution_id)).map(|v| ((v.institution_id.as_str(), v.signal), v.value)).collect();
    let mut rows = Vec::new();
    for id in wanted {
        let kind = ctx.kinds.get(id).map(String::as_str).unwrap_or("");
        let Some(profile) = profile(ctx, id, kind, &signal_values) else { continue };
        for (feature, value) in ctx.config.outlier.features.iter().zip(profile.values) {
            let table = match feature {
                Feature::Indicator(_) => "indicators",
                Feature::Signal(_) => "signal_values",
            };
            if let Some(value) = value {
                rows.push((id.clone(), super::behind::Row { value: Some(value), ..super::behind::row(table, feature.as_str(), "profile") }));
            }
        }
    }
    rows
}

fn shown(_feature: &str, value: f64) -> String {
    super::percent(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(id: usize, values: Vec<f64>) -> Profile {
        Profile { institution_id: format!("I{id:02}"), kind: "k".into(), values: values.into_iter().map(Some).collect() }
    }

    #[test]
    #[allow(clippy::needless_range_loop)]
    fn inverting_undoes_a_matrix() {
        let matrix = vec![vec![2.0, 0.5, 0.0], vec![0.5, 1.0, 0.2], vec![0.0, 0.2, 3.0]];
        let inverse = invert(matrix.clone()).unwrap();
        for (i, row) in matrix.iter().enumerate() {
            for j in 0..3 {
                let product: f64 = (0..3).map(|k| row[k] * inverse[k][j]).sum();
                assert!((product - if i == j { 1.0 } else { 0.0 }).abs() < 1e-9);
            }
        }
        assert!(invert(vec![vec![1.0, 2.0], vec![2.0, 4.0]]).is_none());
    }

    #[test]
    fn an_institution_breaking_the_correlation_is_far_while_typical_ones_are_near() {
        // Two strongly correlated features (good institutions are good at both)…
        let mut profiles: Vec<Profile> = (0..40)
            .map(|i| {
                let quality = 0.5 + 0.01 * i as f64;
                profile(i, vec![quality, quality + 0.003 * ((i * 7) % 5) as f64])
            })
            .collect();
        // …and one that is excellent at the first and poor at the second.
        profiles.push(profile(40, vec![0.85, 0.52]));
        let found = distances(&profiles, 8.0, 0.1, 0.02, false);
        let typical = robust::median(&found[..40].iter().map(|d| d.0).collect::<Vec<_>>()).unwrap();
        assert!(typical < 1.5, "{typical}");
        assert!(found[40].0 > 3.0 * typical, "{} vs {typical}", found[40].0);
        // Each feature alone is within the others' range.
        assert!(found[40].1.iter().all(|z| z.abs() < 2.5), "{:?}", found[40].1);
    }

    #[test]
    fn with_upper_only_a_poor_profile_is_not_far_but_an_inflated_one_is() {
        let mut profiles: Vec<Profile> = (0..40).map(|i| profile(i, vec![0.6 + 0.005 * i as f64, 0.5 + 0.004 * ((i * 13) % 40) as f64])).collect();
        profiles.push(profile(40, vec![0.2, 0.1]));
        profiles.push(profile(41, vec![1.0, 0.6]));
        let both = distances(&profiles, 8.0, 0.1, 0.02, false);
        let upper = distances(&profiles, 8.0, 0.1, 0.02, true);
        assert!(both[40].0 > 3.0, "{}", both[40].0);
        assert_eq!(upper[40].0, 0.0);
        assert!(upper[41].0 > 1.5, "{}", upper[41].0);
    }
}
