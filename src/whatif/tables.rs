//! The what-if's tables: per institution (`tier_changes`), the tier-to-tier matrix
//! (`transitions`), program money per district, kind and in total (`budget`, also as JSON),
//! trainees at institutions newly banned or no longer banned (`trainees_affected`) and every
//! changed parameter (`parameters`). Money is `decimal(14,2)`; rows are sorted by their keys.

use super::{Band, Scenario};
use crate::rating::budget::{budget_frame, fen_column, grouped, BudgetRow, Grouped, Row};
use crate::columns as c;
use crate::error::{Error, PolarsContext, Result};
use crate::ingest::contract::Table;
use crate::ingest::Export;
use crate::money;
use crate::output::OutputFolder;
use crate::quarter::Quarter;
use crate::query::CollectStreaming;
use crate::report;
use polars::prelude::*;
use std::collections::BTreeMap;

use crate::vocab::{Action, Tier};

/// Writes every table into the staging folder.
pub fn write_all(export: &Export, quarter: Quarter, scenarios: &[Scenario], folder: &OutputFolder) -> Result<()> {
    let (baseline, reform) = (&scenarios[0], scenarios.last().expect("a baseline"));
    report::write_parquet(&mut tier_changes(baseline, reform)?, &folder.file("tier_changes.parquet"))?;
    report::write_parquet(&mut transitions(baseline, reform)?, &folder.file("transitions.parquet"))?;
    let budget = budget_rows(scenarios);
    report::write_parquet(&mut budget_frame(&budget)?, &folder.file("budget.parquet"))?;
    let json = budget_json(&budget, scenarios, quarter);
    let text = serde_json::to_string_pretty(&json).map_err(|e| Error::invalid(format!("cannot encode budget.json: {e}")))?;
    let path = folder.file("budget.json");
    std::fs::write(&path, format!("{text}\n")).map_err(|e| Error::io("writing budget.json", &path, e))?;
    report::write_parquet(&mut trainees_affected(export, quarter, baseline, reform)?, &folder.file("trainees_affected.parquet"))?;
    report::write_parquet(&mut parameters(scenarios)?, &folder.file("parameters.parquet"))?;
    Ok(())
}

fn tier_changes(baseline: &Scenario, reform: &Scenario) -> Result<DataFrame> {
    let pairs: Vec<(&Row, &Row)> = baseline.rows.values().filter_map(|b| Some((b, reform.rows.get(&b.institution_id)?))).collect();
    let text = |f: &dyn Fn(&Row, &Row) -> String| pairs.iter().map(|(b, r)| f(b, r)).collect::<Vec<_>>();
    let money = |f: &dyn Fn(&Row) -> i64, side: usize| pairs.iter().map(|pair| f(if side == 0 { pair.0 } else { pair.1 })).collect::<Vec<_>>();
    let next = |row: &Row| row.money.next_quarter();
    DataFrame::new_infer_height(vec![
        Column::new(c::INSTITUTION_ID.into(), text(&|b, _| b.institution_id.clone())),
        Column::new(c::NAME.into(), text(&|b, _| b.name.clone())),
        Column::new(c::DISTRICT.into(), text(&|b, _| b.district.clone())),
        Column::new(c::KIND.into(), text(&|b, _| b.kind.clone())),
        Column::new("baseline_tier".into(), text(&|b, _| b.tier.clone())),
        Column::new("reform_tier".into(), text(&|_, r| r.tier.clone())),
        Column::new("baseline_score".into(), pairs.iter().map(|(b, _)| b.score).collect::<Vec<_>>()),
        Column::new("reform_score".into(), pairs.iter().map(|(_, r)| r.score).collect::<Vec<_>>()),
        Column::new("baseline_action".into(), text(&|b, _| b.action.clone())),
        Column::new("reform_action".into(), text(&|_, r| r.action.clone())),
        Column::new("baseline_uplift_pct".into(), pairs.iter().map(|(b, _)| b.uplift_pct).collect::<Vec<_>>()),
        Column::new("reform_uplift_pct".into(), pairs.iter().map(|(_, r)| r.uplift_pct).collect::<Vec<_>>()),
        fen_column("subsidy_base", money(&|row| row.money.base, 0))?,
        fen_column("baseline_next_quarter", money(&next, 0))?,
        fen_column("reform_next_quarter", money(&next, 1))?,
        Column::new("band".into(), text(&|b, r| Band::of(b.money.next_quarter(), r.money.next_quarter()).code().to_string())),
    ])
    .context("building tier_changes")
}

fn transitions(baseline: &Scenario, reform: &Scenario) -> Result<DataFrame> {
    let mut counts: BTreeMap<(usize, usize), u32> = BTreeMap::new();
    // An unknown tier counts as N (not rated), the last of `Tier::ALL`.
    let position = |tier: &str| report::data::tier_index(tier).unwrap_or(Tier::ALL.len() - 1);
    for row in baseline.rows.values() {
        if let Some(after) = reform.rows.get(&row.institution_id) {
            *counts.entry((position(&row.tier), position(&after.tier))).or_insert(0) += 1;
        }
    }
    let tiers = Tier::ALL.len();
    let cells: Vec<(usize, usize)> = (0..tiers).flat_map(|from| (0..tiers).map(move |to| (from, to))).collect();
    DataFrame::new_infer_height(vec![
        Column::new("baseline_tier".into(), cells.iter().map(|(from, _)| Tier::ALL[*from].as_str()).collect::<Vec<_>>()),
        Column::new("reform_tier".into(), cells.iter().map(|(_, to)| Tier::ALL[*to].as_str()).collect::<Vec<_>>()),
        Column::new("institutions".into(), cells.iter().map(|cell| counts.get(cell).copied().unwrap_or(0)).collect::<Vec<_>>()),
    ])
    .context("building transitions")
}

/// Money per (scope, group) for every scenario, each step's change against the step before,
/// and the whole difference (last reform − baseline).
pub fn budget_rows(scenarios: &[Scenario]) -> Vec<BudgetRow> {
    use crate::rating::budget::budget_rows as named;
    let per_scenario: Vec<Grouped> = scenarios.iter().map(|s| grouped(&s.rows)).collect();
    let diff = |after: &Grouped, before: &Grouped| -> Grouped {
        after.iter().map(|(key, (n, money))| (key.clone(), (*n, money.minus(&before.get(key).map(|b| b.1).unwrap_or_default())))).collect()
    };
    let mut rows = named("baseline", &per_scenario[0]);
    for step in 1..scenarios.len() {
        rows.extend(named(&format!("reform_{step}"), &per_scenario[step]));
        rows.extend(named(&format!("change_{step}"), &diff(&per_scenario[step], &per_scenario[step - 1])));
    }
    rows.extend(named("difference", &diff(per_scenario.last().expect("a baseline"), &per_scenario[0])));
    rows
}

fn budget_json(rows: &[BudgetRow], scenarios: &[Scenario], quarter: Quarter) -> serde_json::Value {
    let totals: serde_json::Map<String, serde_json::Value> = rows
        .iter()
        .filter(|r| r.scope == "total")
        .map(|r| {
            let m = &r.money;
            (
                r.scenario.clone(),
                serde_json::json!({
                    "institutions": r.institutions,
                    "subsidy_base": money::yuan(m.base),
                    "uplift_cost": money::yuan(m.uplift),
                    "banned_volume": money::yuan(m.banned),
                    "next_quarter_subsidy": money::yuan(m.next_quarter()),
                    "recoveries": money::yuan(m.recoveries),
                    "holds": money::yuan(m.holds),
                }),
            )
        })
        .collect();
    serde_json::json!({
        "quarter": quarter.to_string(),
        "next_quarter": quarter.offset(1).to_string(),
        "basis": "pipelines/budget.toml: subsidy base = mean claimed amount of non-rejected claims over the last base_quarters quarters; uplift cost = base × subsidy_uplift_pct of institutions whose action is uplift; banned volume = base of institutions whose action is ban or disqualify; next quarter's subsidy = base − banned volume + uplift cost",
        "steps": scenarios.iter().enumerate().map(|(i, s)| serde_json::json!({"scenario": if i == 0 { "baseline".to_string() } else { format!("reform_{i}") }, "policy": s.label, "changed_parameters": s.changes.len()})).collect::<Vec<_>>(),
        "totals": totals,
    })
}

/// Enrollments of classes ending in Q−3 … Q (the cohort that decides tier N: the trainees such an
/// institution trains in a year) at institutions newly banned or no longer banned, by occupation
/// and district.
fn trainees_affected(export: &Export, quarter: Quarter, baseline: &Scenario, reform: &Scenario) -> Result<DataFrame> {
    let banned = |row: &Row| matches!(Action::parse(&row.action), Some(Action::Ban | Action::Disqualify));
    let mut change: BTreeMap<&str, (&'static str, &str)> = BTreeMap::new();
    for row in baseline.rows.values() {
        let Some(after) = reform.rows.get(&row.institution_id) else { continue };
        match (banned(row), banned(after)) {
            (false, true) => change.insert(&row.institution_id, ("newly_banned", &row.district)),
            (true, false) => change.insert(&row.institution_id, ("no_longer_banned", &row.district)),
            _ => None,
        };
    }
    let classes = export
        .frame(Table::Classes)
        .clone()
        .lazy()
        .filter(col(c::END_DATE).gt_eq(lit(quarter.offset(-3).first_day())).and(col(c::END_DATE).lt_eq(lit(quarter.last_day()))))
        .select([col(c::CLASS_ID), col(c::INSTITUTION_ID), col(c::OCCUPATION_CODE), col(c::OCCUPATION_NAME)]);
    let counted = export
        .frame(Table::Enrollments)
        .clone()
        .lazy()
        .select([col(c::CLASS_ID)])
        .inner_join(classes, col(c::CLASS_ID), col(c::CLASS_ID))
        .group_by([col(c::INSTITUTION_ID), col(c::OCCUPATION_CODE), col(c::OCCUPATION_NAME)])
        .agg([len().cast(DataType::UInt32).alias("enrollments")])
        .collect_streaming()
        .context("counting enrollments of affected institutions")?;
    let text = |name: &str| -> Result<Vec<Option<String>>> {
        Ok(counted.column(name).context("enrollments")?.str().context("enrollments")?.iter().map(|v| v.map(str::to_string)).collect())
    };
    let (ids, codes, names) = (text(c::INSTITUTION_ID)?, text(c::OCCUPATION_CODE)?, text(c::OCCUPATION_NAME)?);
    let enrollments = counted.column("enrollments").context("enrollments")?.u32().context("enrollments")?;
    let mut grouped: BTreeMap<(&str, String, String, String), (std::collections::BTreeSet<String>, u32)> = BTreeMap::new();
    for i in 0..counted.height() {
        let Some(id) = ids[i].as_deref() else { continue };
        let Some((kind, district)) = change.get(id) else { continue };
        let key = (*kind, district.to_string(), codes[i].clone().unwrap_or_default(), names[i].clone().unwrap_or_default());
        let entry = grouped.entry(key).or_default();
        entry.0.insert(id.to_string());
        entry.1 += enrollments.get(i).unwrap_or(0);
    }
    DataFrame::new_infer_height(vec![
        Column::new("change".into(), grouped.keys().map(|k| k.0).collect::<Vec<_>>()),
        Column::new(c::DISTRICT.into(), grouped.keys().map(|k| k.1.clone()).collect::<Vec<_>>()),
        Column::new(c::OCCUPATION_CODE.into(), grouped.keys().map(|k| k.2.clone()).collect::<Vec<_>>()),
        Column::new(c::OCCUPATION_NAME.into(), grouped.keys().map(|k| k.3.clone()).collect::<Vec<_>>()),
        Column::new("institutions".into(), grouped.values().map(|v| v.0.len() as u32).collect::<Vec<_>>()),
        Column::new("enrollments".into(), grouped.values().map(|v| v.1).collect::<Vec<_>>()),
    ])
    .context("building trainees_affected")
}

fn parameters(scenarios: &[Scenario]) -> Result<DataFrame> {
    let changes: Vec<(u32, &super::overlay::Change)> =
        scenarios.iter().enumerate().skip(1).flat_map(|(step, s)| s.changes.iter().map(move |change| (step as u32, change))).collect();
    DataFrame::new_infer_height(vec![
        Column::new("step".into(), changes.iter().map(|(step, _)| *step).collect::<Vec<_>>()),
        Column::new("reform".into(), changes.iter().map(|(step, _)| scenarios[*step as usize].label.clone()).collect::<Vec<_>>()),
        Column::new("file".into(), changes.iter().map(|(_, c)| c.file.clone()).collect::<Vec<_>>()),
        Column::new("key".into(), changes.iter().map(|(_, c)| c.key.clone()).collect::<Vec<_>>()),
        Column::new("baseline_value".into(), changes.iter().map(|(_, c)| c.before.clone()).collect::<Vec<_>>()),
        Column::new("reform_value".into(), changes.iter().map(|(_, c)| c.after.clone()).collect::<Vec<_>>()),
        Column::new("article".into(), changes.iter().map(|(_, c)| c.article.map(str::to_string)).collect::<Vec<_>>()),
    ])
    .context("building parameters")
}
