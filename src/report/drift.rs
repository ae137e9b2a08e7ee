//! Drift: how far each indicator's distribution over the institutions moved since the previous
//! quarter, as the population stability index (PSI), so the bureau sees when a score moves
//! because the population did (a new policy, a data problem) rather than an institution.
//!
//! PSI = Σ (now − before) × ln(now ÷ before) over ten equal bins of 0–1, shares of the
//! institutions with data on each side (an empty bin counts as 0.0001 so the logarithm exists).
//! Institutions without data are left out, never counted as 0; an indicator without data on
//! either side has no PSI (null). Above 0.25 is the usual mark of a shift worth explaining.

use crate::error::{PolarsContext, Result};
use crate::quarter::Quarter;
use crate::vocab::IndicatorId;
use polars::prelude::*;
use std::path::Path;

/// The run folder's drift table.
pub const DRIFT_PARQUET: &str = "drift.parquet";

/// A PSI above this is flagged as a shift (the common rule of thumb: below 0.1 stable, 0.1–0.25
/// moderate, above 0.25 a shift). It marks a row for a reader; nothing is decided on it.
pub const SHIFT_ABOVE: f64 = 0.25;

const BINS: usize = 10;
const EMPTY_SHARE: f64 = 0.0001;

/// The shares of `values` (0–1) in ten equal bins; `None` when there is no value.
fn shares(values: &[f64]) -> Option<[f64; BINS]> {
    if values.is_empty() {
        return None;
    }
    let mut counts = [0usize; BINS];
    for value in values {
        let bin = ((value.clamp(0.0, 1.0) * BINS as f64) as usize).min(BINS - 1);
        counts[bin] += 1;
    }
    Some(counts.map(|count| count as f64 / values.len() as f64))
}

/// The PSI of `now` against `before`; `None` when either side has no value.
pub fn psi(now: &[f64], before: &[f64]) -> Option<f64> {
    let (now, before) = (shares(now)?, shares(before)?);
    let value: f64 = now
        .iter()
        .zip(before.iter())
        .map(|(&n, &b)| {
            let (n, b) = (n.max(EMPTY_SHARE), b.max(EMPTY_SHARE));
            (n - b) * (n / b).ln()
        })
        .sum();
    // Rounded so that the table's bytes do not depend on summation noise.
    Some((value * 1e6).round() / 1e6)
}

fn values(frame: &DataFrame, indicator: IndicatorId) -> Result<Vec<f64>> {
    let Ok(column) = frame.column(indicator.as_str()) else { return Ok(Vec::new()) };
    let column = column.cast(&DataType::Float64).context("indicator values")?;
    Ok(column.f64().context("indicator values")?.iter().flatten().filter(|v| v.is_finite()).collect())
}

/// `drift.parquet`: one row per indicator, this quarter's scores against the previous run's
/// (`previous` is the previous run folder, already checked; without it the table has the
/// indicators with null PSI, so a reader sees there was nothing to compare with).
pub fn drift_table(scores: &DataFrame, previous: Option<&Path>, quarter: Quarter) -> Result<DataFrame> {
    let before = match previous.map(|p| p.join("institution_scores.parquet")).filter(|p| p.is_file()) {
        Some(path) => Some(super::data::read_table(&path)?),
        None => None,
    };
    let mut rows: Vec<(String, u32, Option<u32>, Option<f64>)> = Vec::new();
    for indicator in IndicatorId::ALL {
        let now = values(scores, *indicator)?;
        let earlier = before.as_ref().map(|frame| values(frame, *indicator)).transpose()?;
        let psi = earlier.as_deref().and_then(|earlier| psi(&now, earlier));
        rows.push((indicator.as_str().to_string(), now.len() as u32, earlier.map(|e| e.len() as u32), psi));
    }
    let previous_quarter = previous.map(|_| quarter.offset(-1).to_string());
    let height = rows.len();
    DataFrame::new(
        height,
        vec![
            Column::new("quarter".into(), vec![quarter.to_string(); height]),
            Column::new("previous_quarter".into(), vec![previous_quarter; height]),
            Column::new("indicator".into(), rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>()),
            Column::new("institutions".into(), rows.iter().map(|r| r.1).collect::<Vec<_>>()),
            Column::new("institutions_before".into(), rows.iter().map(|r| r.2).collect::<Vec<_>>()),
            Column::new("psi".into(), rows.iter().map(|r| r.3).collect::<Vec<_>>()),
            Column::new("shifted".into(), rows.iter().map(|r| r.3.map(|psi| psi > SHIFT_ABOVE)).collect::<Vec<_>>()),
        ],
    )
    .context("building the drift table")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psi_is_zero_for_the_same_population_and_grows_with_a_shift() {
        let before = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95];
        assert_eq!(psi(&before, &before), Some(0.0));
        // Everyone moved up one bin: the lowest bin empties, the top one doubles.
        let now = [0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 0.96];
        let expected = (0.0001f64 - 0.1) * (0.0001f64 / 0.1).ln() + (0.2f64 - 0.1) * (0.2f64 / 0.1).ln();
        assert_eq!(psi(&now, &before), Some((expected * 1e6).round() / 1e6));
        assert!(psi(&now, &before).unwrap() > SHIFT_ABOVE);
        // 1.0 falls in the top bin, not past it.
        assert_eq!(psi(&[1.0], &[0.95]), Some(0.0));
        // No data on a side: no PSI, never a 0.
        assert_eq!(psi(&[], &before), None);
        assert_eq!(psi(&before, &[]), None);
    }

    #[test]
    fn drift_table_leaves_institutions_without_data_out() {
        let dir = std::env::temp_dir().join(format!("traincredit-drift-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut before = polars::df!("institution_id" => ["I1", "I2", "I3"], "completion_rate" => [Some(0.9), Some(0.8), None]).unwrap();
        super::super::write_parquet(&mut before, &dir.join("institution_scores.parquet")).unwrap();
        let now = polars::df!("institution_id" => ["I1", "I2", "I3"], "completion_rate" => [Some(0.9), Some(0.85), Some(0.1)]).unwrap();
        let table = drift_table(&now, Some(&dir), "2026Q3".parse().unwrap()).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(table.height(), IndicatorId::ALL.len());
        let row = |name: &str| -> (u32, Option<u32>, Option<f64>) {
            let i = table.column("indicator").unwrap().str().unwrap().iter().position(|v| v == Some(name)).unwrap();
            (
                table.column("institutions").unwrap().u32().unwrap().get(i).unwrap(),
                table.column("institutions_before").unwrap().u32().unwrap().get(i),
                table.column("psi").unwrap().f64().unwrap().get(i),
            )
        };
        // Before: 0.9 and 0.8 (bins 9 and 8); now 0.9, 0.85, 0.1 (bins 9, 8, 1).
        let (n, b) = ([0.0001f64, 1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0], [0.0001f64, 0.0001, 0.5, 0.5]);
        let expected: f64 = n.iter().zip(b.iter()).map(|(n, b)| (n - b) * (n / b).ln()).sum::<f64>();
        let (count, count_before, psi) = row("completion_rate");
        assert_eq!((count, count_before), (3, Some(2)));
        assert!((psi.unwrap() - expected).abs() < 1e-6, "{psi:?} vs {expected}");
        // An indicator absent on both sides: counted 0, no PSI.
        assert_eq!(row("pass_rate"), (0, Some(0), None));
    }
}
