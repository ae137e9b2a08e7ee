//! `explain`: one institution's rating taken apart from a run folder's tables alone: its
//! indicators against its peers' medians (same kind), the points each earned, every deduction
//! with its flag and evidence, and the rule that set the tier and action.

use crate::columns as c;
use crate::error::{Error, PolarsContext, Result};
use crate::rating::INDICATORS;
use crate::query::CollectStreaming;
use polars::prelude::*;
use std::fmt::Write;
use std::path::Path;

fn read(path: &Path) -> Result<DataFrame> {
    if !path.is_file() {
        return Err(Error::invalid(format!("{} is missing: is this a run folder written by `evaluate`?", path.display())));
    }
    LazyFrame::scan_parquet(PlRefPath::from(path.to_string_lossy().as_ref()), Default::default())
        .and_then(|scan| scan.collect_streaming())
        .context(&format!("reading {}", path.display()))
}

fn text(frame: &DataFrame, column: &str, row: usize) -> Result<Option<String>> {
    let values = frame.column(column).context(column)?.cast(&DataType::String).context(column)?;
    Ok(values.str().context(column)?.get(row).map(str::to_string))
}

fn number(frame: &DataFrame, column: &str, row: usize) -> Result<Option<f64>> {
    let values = frame.column(column).context(column)?.cast(&DataType::Float64).context(column)?;
    Ok(values.f64().context(column)?.get(row))
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len() % 2 == 0 { (values[middle - 1] + values[middle]) / 2.0 } else { values[middle] })
}

fn shown(value: Option<f64>) -> String {
    value.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_else(|| "no data".into())
}

/// The explanation of `institution` in the run folder `run`, as text.
pub fn render(run: &Path, institution: &str) -> Result<String> {
    let scores = read(&run.join("institution_scores.parquet"))?;
    let flags = read(&run.join("flags.parquet"))?;
    let ids = scores.column(c::INSTITUTION_ID).context("ids")?.str().context("ids")?.clone();
    let row = ids
        .iter()
        .position(|id| id == Some(institution))
        .ok_or_else(|| Error::invalid(format!("institution {institution} is not in {}", run.join("institution_scores.parquet").display())))?;
    let kind = text(&scores, c::KIND, row)?.unwrap_or_default();
    let kinds = scores.column(c::KIND).context("kinds")?.str().context("kinds")?.clone();
    let peers: Vec<usize> = (0..scores.height()).filter(|&i| kinds.get(i) == Some(kind.as_str())).collect();

    let mut out = String::new();
    let name = text(&scores, c::NAME, row)?.unwrap_or_default();
    let quarter = text(&scores, "quarter", row)?.unwrap_or_default();
    writeln!(out, "{institution} {name} ({kind}, {}) in {quarter}", text(&scores, c::DISTRICT, row)?.unwrap_or_default()).ok();
    writeln!(out, "\nindicators (peers: {} institutions of kind {kind}):", peers.len()).ok();
    for id in INDICATORS {
        let value = number(&scores, id, row)?;
        let mut peer_values = Vec::new();
        for &peer in &peers {
            if let Some(v) = number(&scores, id, peer)? {
                peer_values.push(v);
            }
        }
        let points = number(&scores, &format!("{id}_points"), row)?;
        writeln!(
            out,
            "  {id:<16} {:>8}   peer median {:>8}   {}",
            shown(value),
            shown(median(peer_values)),
            points.map(|p| format!("{p:.2} points")).unwrap_or_else(|| "left out, weights renormalised".into())
        )
        .ok();
    }
    writeln!(
        out,
        "\nweighted points {}, deductions −{}, score {}",
        number(&scores, "weighted_points", row)?.map(|v| format!("{v:.2}")).unwrap_or_else(|| "none".into()),
        number(&scores, "deductions", row)?.unwrap_or(0.0),
        number(&scores, "score", row)?.map(|v| format!("{v:.2}")).unwrap_or_else(|| "not rated".into())
    )
    .ok();

    writeln!(out, "\nfindings:").ok();
    let flag_institutions = flags.column(c::INSTITUTION_ID).context("flags")?.str().context("flags")?.clone();
    let mut any = false;
    for i in 0..flags.height() {
        if flag_institutions.get(i) != Some(institution) {
            continue;
        }
        any = true;
        let overturned = text(&flags, "overturned", i)?.as_deref() == Some("true");
        writeln!(
            out,
            "  {} [{}{}] {}: {}",
            text(&flags, "flag_id", i)?.unwrap_or_default(),
            text(&flags, "kind", i)?.unwrap_or_default(),
            if overturned { ", overturned" } else { "" },
            text(&flags, "amount_at_risk", i)?.unwrap_or_default(),
            text(&flags, "evidence", i)?.unwrap_or_default()
        )
        .ok();
    }
    if !any {
        writeln!(out, "  none").ok();
    }
    writeln!(
        out,
        "\ntier {} (previous {}), action {}: {}",
        text(&scores, "tier", row)?.unwrap_or_default(),
        text(&scores, "previous_tier", row)?.unwrap_or_else(|| "unknown".into()),
        text(&scores, "action", row)?.unwrap_or_default(),
        text(&scores, "tier_rule", row)?.unwrap_or_default()
    )
    .ok();
    if let Some(until) = text(&scores, "banned_until", row)? {
        writeln!(out, "banned until {until}").ok();
    }
    writeln!(out, "reasons: {}", text(&scores, "reasons", row)?.unwrap_or_default()).ok();
    Ok(out)
}
