//! `whatif`: what a change of the policy would do to tiers, bans, money and trainees before the
//! bureau adopts it (benefit-policy simulators such as PolicyEngine and OpenFisca are the model: a
//! reform against a baseline, program totals, winners and losers in bands, every changed
//! parameter with its article, stacked reforms each with its own contribution).
//!
//! The export is read once; each policy (the baseline, then the baseline with each reform applied
//! in order, [`overlay`]) is judged on it with the same [`crate::pipeline::judge`] that `evaluate`
//! runs, so a scenario's tables are exactly what `evaluate --policy` of that policy writes. The
//! money follows `pipelines/budget.toml` ([`crate::rating::budget`]).

pub mod overlay;
mod page;
mod tables;

use crate::error::Result;
use crate::ingest;
use crate::output::{self, OutputFolder};
use crate::person::Pseudonymiser;
use crate::pipeline;
use crate::policy::Policy;
use crate::quarter::Quarter;
use crate::rating;
use crate::report::{self, tables as report_tables, Lang};
use crate::rating::budget::{self, Row};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a what-if needs.
pub struct WhatifOptions<'a> {
    pub data: &'a Path,
    pub quarter: Quarter,
    /// The baseline policy folder (default: the policy `evaluate` would use).
    pub baseline: Option<&'a Path>,
    /// Reform folders, applied in order.
    pub reforms: &'a [PathBuf],
    pub previous: Option<&'a Path>,
    pub out: &'a Path,
    pub key: &'a Pseudonymiser,
    pub ingest: ingest::IngestOptions,
    pub lang: Lang,
    /// Evaluate a quarter the export does not fully cover, as `evaluate --allow-incomplete`.
    pub allow_incomplete: bool,
}

/// One policy's outcome.
pub struct Scenario {
    /// `baseline`, or the reform folder as given.
    pub label: String,
    /// What this step changed against the one before (empty for the baseline).
    pub changes: Vec<overlay::Change>,
    /// By institution id.
    pub rows: BTreeMap<String, Row>,
}

/// What a what-if wrote.
pub struct WhatifOutcome {
    pub folder: PathBuf,
    pub scenarios: Vec<Scenario>,
}

/// Evaluates the quarter under the baseline and each stacked reform, and writes the what-if folder.
pub fn run(options: &WhatifOptions) -> Result<WhatifOutcome> {
    if let Some(previous) = options.previous {
        report::previous::check(previous, options.quarter, options.key)?;
    }
    let mut inputs = vec![output::Input { label: "export folder", path: options.data }];
    if let Some(previous) = options.previous {
        inputs.push(output::Input { label: "previous run", path: previous });
    }
    if let Some(baseline) = options.baseline {
        inputs.push(output::Input { label: "policy folder", path: baseline });
    }
    inputs.extend(options.reforms.iter().map(|reform| output::Input { label: "reform folder", path: reform }));
    // Every policy is read and checked before the export: a typo in a reform costs nothing.
    // As `evaluate`: every district of the export needs a minimum wage under every policy, said
    // with the policy's other problems (exit 4) before the export is read. An export whose
    // institutions cannot be read is said by ingest below.
    let districts = ingest::districts(options.data).ok();
    let baseline_policy = match &districts {
        Some(districts) => Policy::resolve_for(options.baseline, districts)?,
        None => Policy::resolve(options.baseline)?,
    };
    let mut texts = Policy::texts(options.baseline)?;
    let mut policies = vec![("baseline".to_string(), baseline_policy, Vec::new())];
    for reform in options.reforms {
        let (merged, changes) = overlay::apply(&texts, reform)?;
        let policy = Policy::from_texts(merged.clone(), format!("{} over the step before", reform.display()), reform)?;
        let wages: Vec<String> = policy.minimum_wage_fen.keys().cloned().collect();
        if let Some(problem) = districts.as_deref().and_then(|districts| crate::policy::unknown_districts(districts, &wages)) {
            return Err(crate::ErrorKind::Policy { dir: reform.clone(), problems: vec![problem] }.into());
        }
        texts = merged;
        policies.push((reform.display().to_string(), policy, changes));
    }
    // Open cases hold uplifts under every policy, as in `evaluate`.
    let previous_cases = options.previous.map(crate::cases::read_previous).transpose()?.unwrap_or_default();
    let case_standing = crate::cases::CaseStanding::of(&previous_cases);
    let folder = OutputFolder::prepare(options.out, output::Kind::Whatif, &inputs)?;

    let export = ingest::ingest_with(options.data, options.key, options.ingest)?;
    let coverage = ingest::coverage::Coverage::of(&export)?;
    let mut scenarios = Vec::new();
    for (index, (label, policy, changes)) in policies.into_iter().enumerate() {
        let judgement = pipeline::judge(&export, &policy, options.quarter, options.previous, &coverage, options.allow_incomplete, &case_standing)?;
        let dir = folder.file(&scenario_folder(index));
        std::fs::create_dir(&dir).map_err(|e| crate::Error::io("creating a scenario folder", &dir, e))?;
        let mut scores = rating::scores_table(&judgement.ratings, options.quarter, options.lang)?;
        report::write_parquet(&mut scores, &dir.join("institution_scores.parquet"))?;
        report::write_parquet(&mut report_tables::money_table(&judgement.findings.recoveries)?, &dir.join("recoveries.parquet"))?;
        report::write_parquet(&mut report_tables::money_table(&judgement.findings.holds)?, &dir.join("holds.parquet"))?;
        let rows = budget::rows(&export, policy.budget.base_quarters, options.quarter, &scores, &judgement.findings)?;
        scenarios.push(Scenario { label, changes, rows });
    }
    tables::write_all(&export, options.quarter, &scenarios, &folder)?;
    page::write(&scenarios, options.quarter, options.lang, folder.path())?;
    let folder = folder.commit()?;
    Ok(WhatifOutcome { folder, scenarios })
}

/// `scenario-0-baseline`, `scenario-1-reform`, …: each step's tables as `evaluate` writes them.
pub fn scenario_folder(index: usize) -> String {
    if index == 0 {
        "scenario-0-baseline".to_string()
    } else {
        format!("scenario-{index}-reform")
    }
}

/// The five bands of money change (next quarter's subsidy, reform against baseline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Band {
    GainOver5,
    GainUpTo5,
    None,
    LossUpTo5,
    LossOver5,
}

impl Band {
    pub const ALL: [Band; 5] = [Band::GainOver5, Band::GainUpTo5, Band::None, Band::LossUpTo5, Band::LossOver5];

    /// The band of a change from `before` to `after` fen (a gain from nothing is over 5%).
    pub fn of(before: i64, after: i64) -> Band {
        let change = i128::from(after) - i128::from(before);
        let five_percent = i128::from(before.abs()) * 5;
        match change {
            0 => Band::None,
            c if c > 0 && c * 100 > five_percent => Band::GainOver5,
            c if c > 0 => Band::GainUpTo5,
            c if -c * 100 > five_percent => Band::LossOver5,
            _ => Band::LossUpTo5,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Band::GainOver5 => "gain_over_5pct",
            Band::GainUpTo5 => "gain_up_to_5pct",
            Band::None => "none",
            Band::LossUpTo5 => "loss_up_to_5pct",
            Band::LossOver5 => "loss_over_5pct",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Band::GainOver5 => lang.t("增加超过5%", "gain > 5%"),
            Band::GainUpTo5 => lang.t("增加不超过5%", "gain ≤ 5%"),
            Band::None => lang.t("不变", "no change"),
            Band::LossUpTo5 => lang.t("减少不超过5%", "loss ≤ 5%"),
            Band::LossOver5 => lang.t("减少超过5%", "loss > 5%"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_at_their_boundaries() {
        assert_eq!(Band::of(10_000, 10_500), Band::GainUpTo5);
        assert_eq!(Band::of(10_000, 10_501), Band::GainOver5);
        assert_eq!(Band::of(10_000, 10_000), Band::None);
        assert_eq!(Band::of(10_000, 9_500), Band::LossUpTo5);
        assert_eq!(Band::of(10_000, 9_499), Band::LossOver5);
        assert_eq!(Band::of(0, 1), Band::GainOver5);
        assert_eq!(Band::of(10_000, 0), Band::LossOver5);
    }
}
