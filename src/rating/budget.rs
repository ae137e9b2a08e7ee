//! The money a policy moves next quarter (`pipelines/budget.toml` for the basis): per institution
//! the subsidy base, the uplift's cost, the volume at banned institutions, and this quarter's
//! recoveries and holds, all in integer fen; then per district, kind and in total. A run writes it
//! as `budget.parquet` for the report's budget section; `whatif` compares it across policies.

use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::ingest::contract::Table;
use crate::ingest::Export;
use crate::money;
use crate::quarter::Quarter;
use crate::query::CollectStreaming;
use crate::rules;
use polars::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// One institution's money under one policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Money {
    /// What it is expected to claim next quarter (the base), whatever its tier.
    pub base: i64,
    /// The uplift on the base (tier A, action `uplift`).
    pub uplift: i64,
    /// The base of an institution that may not claim next quarter (`ban`, `disqualify`).
    pub banned: i64,
    pub recoveries: i64,
    pub holds: i64,
}

impl Money {
    /// What the program pays it next quarter: the base and the uplift, or nothing when banned.
    pub fn next_quarter(&self) -> i64 {
        self.base - self.banned + self.uplift
    }

    pub fn add(&mut self, other: &Money) {
        self.base += other.base;
        self.uplift += other.uplift;
        self.banned += other.banned;
        self.recoveries += other.recoveries;
        self.holds += other.holds;
    }

    pub fn minus(&self, other: &Money) -> Money {
        Money {
            base: self.base - other.base,
            uplift: self.uplift - other.uplift,
            banned: self.banned - other.banned,
            recoveries: self.recoveries - other.recoveries,
            holds: self.holds - other.holds,
        }
    }
}

/// Each institution's subsidy base: the mean over Q and the `quarters − 1` quarters before it of
/// what it claimed in claims that were not rejected, half-up to the fen.
pub fn subsidy_base(export: &Export, quarter: Quarter, quarters: u32) -> Result<HashMap<String, i64>> {
    let first = quarter.offset(1 - quarters as i32).first_day();
    let claimed = export
        .frame(Table::Claims)
        .clone()
        .lazy()
        .filter(
            col(c::SUBMITTED_ON)
                .gt_eq(lit(first))
                .and(col(c::SUBMITTED_ON).lt_eq(lit(quarter.last_day())))
                .and(col(c::STATUS).neq(lit("rejected"))),
        )
        .group_by([col(c::INSTITUTION_ID)])
        .agg([col(c::fen(c::AMOUNT)).sum().alias("claimed")])
        .collect_streaming()
        .context("summing claims for the subsidy base")?;
    let ids = claimed.column(c::INSTITUTION_ID).context("base")?.str().context("base")?;
    let sums = claimed.column("claimed").context("base")?.i64().context("base")?;
    Ok(ids
        .iter()
        .zip(sums.iter())
        .filter_map(|(id, sum)| Some((id?.to_string(), money::scale_half_up(sum?, 1, i64::from(quarters)))))
        .collect())
}

/// Money to recover or hold per institution, from a findings table (`recoveries`, `holds`).
pub fn per_institution(rows: &DataFrame) -> Result<HashMap<String, i64>> {
    let summed = rows
        .clone()
        .lazy()
        .group_by([col(c::INSTITUTION_ID)])
        .agg([col(rules::AMOUNT_FEN).sum()])
        .collect_streaming()
        .context("summing money per institution")?;
    let ids = summed.column(c::INSTITUTION_ID).context("money")?.str().context("money")?;
    let fen = summed.column(rules::AMOUNT_FEN).context("money")?.i64().context("money")?;
    Ok(ids.iter().zip(fen.iter()).filter_map(|(id, fen)| Some((id?.to_string(), fen?))).collect())
}

/// The uplift on `base` at `percent` (10.0 = +10%), half-up to the fen.
pub fn uplift(base: i64, percent: f64) -> i64 {
    let basis_points = (percent * 100.0).round() as i64;
    money::scale_half_up(base, basis_points, 10_000)
}

/// An institution's money under a policy, from its action and uplift.
pub fn money(base: i64, action: &str, uplift_pct: f64, recoveries: i64, holds: i64) -> Money {
    let banned = if matches!(action, "ban" | "disqualify") { base } else { 0 };
    let uplift = if action == "uplift" { uplift(base, uplift_pct) } else { 0 };
    Money { base, uplift, banned, recoveries, holds }
}

/// One institution's tier, action and money under one policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub institution_id: String,
    pub name: String,
    pub kind: String,
    pub district: String,
    pub tier: String,
    pub score: Option<f64>,
    pub action: String,
    pub uplift_pct: f64,
    pub money: Money,
}

/// Each institution's row, from a run's scores table (`institution_scores.parquet` as
/// [`crate::rating::scores_table`] builds it) and its findings.
pub fn rows(export: &Export, base_quarters: u32, quarter: Quarter, scores: &DataFrame, findings: &rules::Findings) -> Result<BTreeMap<String, Row>> {
    let base = subsidy_base(export, quarter, base_quarters)?;
    let recoveries = per_institution(&findings.recoveries)?;
    let holds = per_institution(&findings.holds)?;
    let text = |name: &str| -> Result<Vec<Option<String>>> {
        Ok(scores.column(name).context("scores")?.str().context("scores")?.iter().map(|v| v.map(str::to_string)).collect())
    };
    let (ids, names, kinds, districts, tiers, actions) =
        (text(c::INSTITUTION_ID)?, text(c::NAME)?, text(c::KIND)?, text(c::DISTRICT)?, text("tier")?, text("action")?);
    let score = scores.column("score").context("scores")?.f64().context("scores")?;
    let uplift_pct = scores.column("subsidy_uplift_pct").context("scores")?.f64().context("scores")?;
    let mut rows = BTreeMap::new();
    for i in 0..scores.height() {
        let Some(id) = ids[i].clone() else { continue };
        let action = actions[i].clone().unwrap_or_default();
        let percent = uplift_pct.get(i).unwrap_or(0.0);
        let money = money(
            base.get(&id).copied().unwrap_or(0),
            &action,
            percent,
            recoveries.get(&id).copied().unwrap_or(0),
            holds.get(&id).copied().unwrap_or(0),
        );
        let row = Row {
            institution_id: id.clone(),
            name: names[i].clone().unwrap_or_default(),
            kind: kinds[i].clone().unwrap_or_default(),
            district: districts[i].clone().unwrap_or_default(),
            tier: tiers[i].clone().unwrap_or_default(),
            score: score.get(i),
            action,
            uplift_pct: percent,
            money,
        };
        rows.insert(id, row);
    }
    Ok(rows)
}

/// Institutions and money per (scope, group): scope `total` (group `all`), `district`, `kind`.
pub type Grouped = BTreeMap<(&'static str, String), (u32, Money)>;

pub fn grouped(rows: &BTreeMap<String, Row>) -> Grouped {
    let mut out = Grouped::new();
    for row in rows.values() {
        for key in [("total", "all".to_string()), ("district", row.district.clone()), ("kind", row.kind.clone())] {
            let entry = out.entry(key).or_default();
            entry.0 += 1;
            entry.1.add(&row.money);
        }
    }
    out
}

/// One row of `budget.parquet`: a group of institutions under one scenario (or a difference).
pub struct BudgetRow {
    pub scope: &'static str,
    pub group: String,
    pub scenario: String,
    pub institutions: u32,
    pub money: Money,
}

/// The rows of `grouped` under the name `scenario`.
pub fn budget_rows(scenario: &str, grouped: &Grouped) -> Vec<BudgetRow> {
    grouped
        .iter()
        .map(|((scope, group), (institutions, money))| BudgetRow {
            scope,
            group: group.clone(),
            scenario: scenario.to_string(),
            institutions: *institutions,
            money: *money,
        })
        .collect()
}

/// Amounts in fen as a `decimal(14,2)` column named `name` (the budget's and what-if's money).
pub fn fen_column(name: &str, values: Vec<i64>) -> Result<Column> {
    crate::report::tables::decimal_from_fen(name, &Column::new(name.into(), values))
}

/// `budget.parquet`: `scope`, `group`, `scenario`, `institutions`, then the money as
/// `decimal(14,2)`.
pub fn budget_frame(rows: &[BudgetRow]) -> Result<DataFrame> {
    let fen = |name: &str, f: &dyn Fn(&Money) -> i64| fen_column(name, rows.iter().map(|r| f(&r.money)).collect());
    DataFrame::new_infer_height(vec![
        Column::new("scope".into(), rows.iter().map(|r| r.scope).collect::<Vec<_>>()),
        Column::new("group".into(), rows.iter().map(|r| r.group.clone()).collect::<Vec<_>>()),
        Column::new("scenario".into(), rows.iter().map(|r| r.scenario.clone()).collect::<Vec<_>>()),
        Column::new("institutions".into(), rows.iter().map(|r| r.institutions).collect::<Vec<_>>()),
        fen("subsidy_base", &|m| m.base)?,
        fen("uplift_cost", &|m| m.uplift)?,
        fen("banned_volume", &|m| m.banned)?,
        fen("next_quarter_subsidy", &|m| m.next_quarter())?,
        fen("recoveries", &|m| m.recoveries)?,
        fen("holds", &|m| m.holds)?,
    ])
    .context("building budget")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uplift_rounds_half_up_to_the_fen() {
        // 10% of 1,234.55 yuan = 123.455 → 123.46.
        assert_eq!(uplift(123_455, 10.0), 12_346);
        assert_eq!(uplift(123_455, 0.0), 0);
        assert_eq!(uplift(100_000, 12.5), 12_500);
    }

    #[test]
    fn a_banned_institution_gets_nothing_next_quarter() {
        let banned = money(500_000, "ban", 0.0, 1_000, 2_000);
        assert_eq!(banned.next_quarter(), 0);
        assert_eq!(banned.banned, 500_000);
        let uplifted = money(500_000, "uplift", 10.0, 0, 0);
        assert_eq!(uplifted.next_quarter(), 550_000);
        // Withheld pending review: no uplift paid.
        assert_eq!(money(500_000, "uplift_held", 0.0, 0, 0).next_quarter(), 500_000);
    }
}
