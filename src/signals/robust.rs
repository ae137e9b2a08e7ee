//! Robust statistics and the peer comparison every signal shares: medians and median absolute
//! deviations (never means and standard deviations, which one fraudster's extreme value would
//! drag along), peer groups by institution kind, and the judgement that turns a value into a
//! robust z-score, a fired flag and a strength.

use crate::vocab::messages::nested::Sentence;
use crate::vocab::messages::signals as m;
use std::collections::BTreeMap;

/// Scale factor that makes the MAD estimate the standard deviation of a normal distribution.
pub const MAD_TO_SD: f64 = 1.4826;

/// Median of `values` (NaN-free), `None` when empty.
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    Some(if sorted.len() % 2 == 1 { sorted[middle] } else { (sorted[middle - 1] + sorted[middle]) / 2.0 })
}

/// Median absolute deviation from `center`.
pub fn mad(values: &[f64], center: f64) -> f64 {
    let deviations: Vec<f64> = values.iter().map(|v| (v - center).abs()).collect();
    median(&deviations).unwrap_or(0.0)
}

/// The logistic function.
pub fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Where an institution stands among its peers for one value.
#[derive(Debug, Clone, PartialEq)]
pub struct PeerStats {
    /// Median of the peers' values (the institution itself left out).
    pub median: f64,
    /// Median absolute deviation of the peers' values.
    pub mad: f64,
    /// How many peers had a value.
    pub count: usize,
    /// Who the peers are, for evidence: "12 vocational_college institutions" or "59 institutions".
    pub label: crate::vocab::messages::nested::Sentence,
    /// Whether `median` is a fixed reference standing in for peers (too few to compare with).
    pub reference: bool,
}

impl PeerStats {
    /// `(value − median) / max(1.4826 × MAD, min_scale)`; positive = above the peers.
    pub fn z(&self, value: f64, min_scale: f64) -> f64 {
        (value - self.median) / self.scale(min_scale)
    }

    pub fn scale(&self, min_scale: f64) -> f64 {
        (MAD_TO_SD * self.mad).max(min_scale)
    }
}

/// Peer statistics of every institution with a value: the other institutions of its kind when
/// at least `min_peers` of that kind have a value, else every other institution with a value.
/// `kinds` maps institution → kind; `values` institution → value. Deterministic (sorted maps).
pub fn peer_stats(values: &BTreeMap<String, f64>, kinds: &BTreeMap<String, String>, min_peers: usize) -> BTreeMap<String, PeerStats> {
    let mut by_kind: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for (id, value) in values {
        let kind = kinds.get(id).map(String::as_str).unwrap_or("");
        by_kind.entry(kind).or_default().push(*value);
    }
    let mut groups: BTreeMap<&str, LeaveOneOut> = by_kind.into_iter().map(|(kind, group)| (kind, LeaveOneOut::new(group))).collect();
    let mut everyone = LeaveOneOut::new(values.values().copied().collect());
    let mut stats = BTreeMap::new();
    for (id, value) in values {
        let kind = kinds.get(id).map(String::as_str).unwrap_or("");
        let same_kind = groups.get_mut(kind).expect("every kind was grouped");
        let (group, label) = if same_kind.len() >= min_peers {
            let n = (same_kind.len() - 1).to_string();
            let label = Sentence::new(&m::PEERS_OF_KIND, &[("n", &n), ("kind", kind)]);
            (same_kind, label)
        } else {
            let label = Sentence::new(&m::PEERS_ALL, &[("n", &(everyone.len() - 1).to_string())]);
            (&mut everyone, label)
        };
        let (center, spread) = group.without(*value);
        stats.insert(id.clone(), PeerStats { median: center, mad: spread, count: group.len() - 1, label, reference: false });
    }
    stats
}

/// The median and MAD of a group's values with one value left out, for every member in turn.
/// Recomputing both from the other values costs a sort per member, and a nation's 66,000
/// institutions made that hours of sorting; from the sorted values each is found by position.
/// The results are those of [`median`] and [`mad`] over the other values, bit for bit.
struct LeaveOneOut {
    /// The values, ascending by `total_cmp`.
    sorted: Vec<f64>,
    /// The deviations of every value from a center, ascending, per center (its bits): a group
    /// has at most three leave-one-out medians.
    deviations: std::collections::HashMap<u64, Vec<f64>>,
}

impl LeaveOneOut {
    fn new(mut values: Vec<f64>) -> LeaveOneOut {
        values.sort_by(f64::total_cmp);
        LeaveOneOut { sorted: values, deviations: std::collections::HashMap::new() }
    }

    fn len(&self) -> usize {
        self.sorted.len()
    }

    /// (median, MAD) of the group without one copy of `value` (a member's): NaN and 0 when no
    /// other value is left.
    fn without(&mut self, value: f64) -> (f64, f64) {
        let position = position_of(&self.sorted, value);
        let Some(center) = median_without(&self.sorted, position) else { return (f64::NAN, 0.0) };
        let sorted = &self.sorted;
        let deviations = self.deviations.entry(center.to_bits()).or_insert_with(|| {
            let mut deviations: Vec<f64> = sorted.iter().map(|v| (v - center).abs()).collect();
            deviations.sort_by(f64::total_cmp);
            deviations
        });
        let own = position_of(deviations, (value - center).abs());
        (center, median_without(deviations, own).unwrap_or(0.0))
    }
}

/// A position of `value` in `sorted` (ascending by `total_cmp`, which holds it): removing any
/// copy of equal values leaves the same values.
fn position_of(sorted: &[f64], value: f64) -> usize {
    sorted.binary_search_by(|probe| probe.total_cmp(&value)).expect("the value is one of the sorted values")
}

/// [`median`] of `sorted` without the value at `left_out`, read by position.
fn median_without(sorted: &[f64], left_out: usize) -> Option<f64> {
    let remaining = sorted.len().checked_sub(1).filter(|n| *n > 0)?;
    let at = |index: usize| if index < left_out { sorted[index] } else { sorted[index + 1] };
    let middle = remaining / 2;
    Some(if remaining % 2 == 1 { at(middle) } else { (at(middle - 1) + at(middle)) / 2.0 })
}

/// Which way is suspicious.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    High,
    Low,
}

/// A value's comparison with its peers.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub z: f64,
    /// The value from which the signal fires: the absolute bar or median + z_threshold × scale,
    /// whichever is stricter.
    pub threshold: f64,
    pub fired: bool,
}

/// Judges `value` against `stats`: fired when `passes_bar` (the signal's absolute conditions),
/// enough peers exist and the robust z in the suspicious direction reaches `z_threshold`.
#[allow(clippy::too_many_arguments)]
pub fn judge(
    value: f64,
    stats: &PeerStats,
    direction: Direction,
    bar: f64,
    passes_bar: bool,
    z_threshold: f64,
    min_scale: f64,
    min_comparable: usize,
) -> Judgement {
    if stats.count == 0 || !stats.median.is_finite() {
        return Judgement { z: 0.0, threshold: bar, fired: false };
    }
    let scale = stats.scale(min_scale);
    let (z, threshold) = match direction {
        Direction::High => ((value - stats.median) / scale, bar.max(stats.median + z_threshold * scale)),
        Direction::Low => ((stats.median - value) / scale, bar.min(stats.median - z_threshold * scale)),
    };
    let fired = passes_bar && stats.count >= min_comparable && z >= z_threshold;
    Judgement { z, threshold, fired }
}

/// Strength (0–1) of a z-score: `1 / (1 + exp(−(z − z_mid) / z_scale))`.
pub fn strength(z: f64, z_mid: f64, z_scale: f64) -> f64 {
    logistic(((z - z_mid) / z_scale).clamp(-50.0, 50.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_mad_ignore_one_extreme_value() {
        let values = [0.01, 0.02, 0.02, 0.03, 0.9];
        assert_eq!(median(&values), Some(0.02));
        assert!((mad(&values, 0.02) - 0.01).abs() < 1e-12);
        assert_eq!(median(&[1.0, 3.0]), Some(2.0));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn peers_are_the_same_kind_only_when_there_are_enough() {
        let mut values = BTreeMap::new();
        let mut kinds = BTreeMap::new();
        for i in 0..16 {
            values.insert(format!("A{i:02}"), 1.0);
            kinds.insert(format!("A{i:02}"), "college".to_string());
        }
        for i in 0..3 {
            values.insert(format!("B{i}"), 5.0);
            kinds.insert(format!("B{i}"), "school".to_string());
        }
        let stats = peer_stats(&values, &kinds, 15);
        assert_eq!(stats["A00"].label.render(crate::vocab::Lang::En), "15 college institutions");
        assert_eq!(stats["A00"].label.render(crate::vocab::Lang::Zh), "同为 college 类型的其他 15 家机构");
        assert_eq!(stats["A00"].median, 1.0);
        assert_eq!(stats["B0"].label.render(crate::vocab::Lang::En), "18 institutions");
        assert_eq!(stats["B0"].count, 18);
        assert_eq!(stats["B0"].median, 1.0);
    }

    #[test]
    fn judging_needs_the_bar_the_z_and_enough_peers() {
        let stats = PeerStats { median: 0.02, mad: 0.01, count: 20, label: Sentence::new(&m::NO_PEERS, &[]), reference: false };
        let high = judge(0.6, &stats, Direction::High, 0.2, true, 3.0, 0.02, 5);
        assert!(high.fired);
        assert!((high.threshold - 0.2).abs() < 1e-12);
        assert!(!judge(0.6, &stats, Direction::High, 0.2, false, 3.0, 0.02, 5).fired);
        assert!(!judge(0.05, &stats, Direction::High, 0.0, true, 3.0, 0.02, 5).fired);
        let few = PeerStats { count: 3, ..stats.clone() };
        assert!(!judge(0.6, &few, Direction::High, 0.2, true, 3.0, 0.02, 5).fired);
        let low = judge(0.0, &PeerStats { median: 10.0, mad: 1.0, count: 20, label: Sentence::new(&m::NO_PEERS, &[]), reference: false }, Direction::Low, 4.0, true, 3.0, 1.0, 5);
        assert!(low.fired && low.z > 6.0);
    }

    #[test]
    fn strength_is_one_half_at_the_midpoint_and_saturates() {
        assert!((strength(3.0, 3.0, 1.0) - 0.5).abs() < 1e-12);
        assert!(strength(10.0, 3.0, 1.0) > 0.999);
        assert!(strength(f64::INFINITY, 3.0, 1.0) <= 1.0);
    }

    #[test]
    fn leaving_one_out_by_position_gives_the_median_and_mad_of_the_others_exactly() {
        let values = [0.3, 0.1, 0.1, 0.7, 0.25, 0.1, 0.9, 0.4, 0.3];
        for size in 1..=values.len() {
            let group = &values[..size];
            let mut by_position = LeaveOneOut::new(group.to_vec());
            for (index, value) in group.iter().enumerate() {
                let others: Vec<f64> = group.iter().enumerate().filter(|(i, _)| *i != index).map(|(_, v)| *v).collect();
                let center = median(&others).unwrap_or(f64::NAN);
                let spread = if others.is_empty() { 0.0 } else { mad(&others, center) };
                let (found_center, found_spread) = by_position.without(*value);
                assert_eq!(found_center.to_bits(), center.to_bits(), "median without {value} of {group:?}");
                assert_eq!(found_spread.to_bits(), spread.to_bits(), "MAD without {value} of {group:?}");
            }
        }
    }
}
