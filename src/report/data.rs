//! What the report reads: a run folder's tables, and nothing else. Every figure the report,
//! the charts and the scorecards show is computed here or from these rows, so a reader can
//! reproduce it from the Parquet files and `summary.json` beside `report.html`.
//!
//! Columns are read by name and by meaning rather than by exact type: a text column may be a
//! string or a list of strings, money is `decimal(14,2)` (read as text and turned into fen, never
//! through a float), counts may be any integer type. The signal tables (`leads`,
//! `signal_values`, `benford_digits`) and `history` are optional: absent, the report says so.

use crate::error::{Error, PolarsContext, Result};
use crate::rating::INDICATORS;
use crate::vocab::{messages, Action, Lang, Tier};
use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The tiers' ids in [`Tier::ALL`] order, for the charts until they take [`Tier`] itself: the
/// list and its order live in `vocab::Tier` only.
pub const TIERS: [&str; 6] = {
    let mut ids = [""; 6];
    let mut index = 0;
    while index < ids.len() {
        ids[index] = Tier::ALL[index].as_str();
        index += 1;
    }
    ids
};

/// A text column of a table with the code and arguments it was rendered from (`evidence`,
/// `evidence_code`, `evidence_args`), so the report shows it in its own language whatever the
/// run's; a run from before the codes keeps only its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Said {
    /// The text as the table holds it (in the run's language).
    pub text: String,
    pub code: Option<String>,
    pub args: Vec<String>,
}

impl Said {
    /// A text kept as written, with no code (an older run).
    pub fn plain(text: impl Into<String>) -> Said {
        Said { text: text.into(), code: None, args: Vec::new() }
    }

    /// A text of `summary.json`: a plain string, or an object keeping the text under `name` with
    /// its code and arguments under `name_code` and `name_args` (as the tables do).
    pub fn from_json(value: &serde_json::Value, name: &str) -> Said {
        use crate::report::texts::{ARGS_SUFFIX, CODE_SUFFIX};
        if let Some(text) = value.as_str() {
            return Said::plain(text);
        }
        Said {
            text: value[name].as_str().unwrap_or_default().to_string(),
            code: value[format!("{name}{CODE_SUFFIX}")].as_str().map(str::to_string),
            args: value[format!("{name}{ARGS_SUFFIX}")]
                .as_array()
                .into_iter()
                .flatten()
                .map(|arg| arg.as_str().unwrap_or_default().to_string())
                .collect(),
        }
    }

    /// The text in `lang`: rendered from its code when the catalogue knows it, else as written.
    pub fn show(&self, lang: Lang) -> String {
        match self.code.as_deref().filter(|code| messages::find(code).is_some()) {
            Some(code) => {
                let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
                messages::render_code(lang, code, &args)
            }
            None => self.text.clone(),
        }
    }
}

/// One row of `institution_scores.parquet`.
#[derive(Debug, Clone)]
pub struct Institution {
    pub id: String,
    pub quarter: String,
    pub name: String,
    pub kind: String,
    pub district: String,
    /// The six indicators, in [`INDICATORS`] order (0–1, `None` = no data).
    pub values: [Option<f64>; 6],
    pub points: [Option<f64>; 6],
    pub weighted_points: Option<f64>,
    pub deductions: Option<f64>,
    pub score: Option<f64>,
    pub risk_score: Option<f64>,
    pub tier: Tier,
    pub previous_tier: Option<Tier>,
    pub action: Action,
    pub subsidy_uplift_pct: Option<f64>,
    pub banned_until: Option<String>,
    /// Why, as the run wrote it (in the run's language).
    pub reasons: String,
    /// The tier rule's code (`tier.b.previous_tier`) and its arguments; a run from before the
    /// codes holds an English sentence here and no arguments (`None`).
    pub tier_rule: String,
    pub tier_rule_args: Option<Vec<String>>,
    pub completed_enrollments: Option<i64>,
    pub breach_lines: Option<i64>,
    pub procedural_findings: Option<i64>,
    pub violations: Option<i64>,
    /// Parts at stake ÷ line amounts (0–1).
    pub breach_share: Option<f64>,
    /// Rank among the investigation leads (`None`: not a lead, or a run from before the column).
    pub lead_rank: Option<i64>,
    /// Why the uplift is held (`lead`, `open_case`, both joined by a comma), and the open case.
    pub uplift_hold: Option<String>,
    pub hold_case: Option<String>,
}

impl Default for Institution {
    /// An institution with nothing known: not rated, no action.
    fn default() -> Institution {
        Institution {
            id: String::new(),
            quarter: String::new(),
            name: String::new(),
            kind: String::new(),
            district: String::new(),
            values: [None; 6],
            points: [None; 6],
            weighted_points: None,
            deductions: None,
            score: None,
            risk_score: None,
            tier: Tier::N,
            previous_tier: None,
            action: Action::None,
            subsidy_uplift_pct: None,
            banned_until: None,
            reasons: String::new(),
            tier_rule: String::new(),
            tier_rule_args: None,
            completed_enrollments: None,
            breach_lines: None,
            procedural_findings: None,
            violations: None,
            breach_share: None,
            lead_rank: None,
            uplift_hold: None,
            hold_case: None,
        }
    }
}

/// An id column's value as its type: a clear error naming the table, row and what was expected.
fn typed<T: std::str::FromStr<Err = crate::vocab::UnknownId>>(text: &str, table: &str, id: &str) -> Result<T> {
    text.parse().map_err(|e: crate::vocab::UnknownId| Error::invalid(format!("{table}: {id}: {e}")))
}

/// One row of `flags.parquet`.
#[derive(Debug, Clone, Default)]
pub struct Flag {
    pub flag_id: String,
    pub kind: String,
    pub rule: String,
    pub severity: String,
    pub institution_id: String,
    pub entity_kind: String,
    pub entity_id: String,
    pub amount_fen: i64,
    pub evidence: Said,
    pub overturned: bool,
}

/// One row of `recoveries.parquet` or `holds.parquet`.
#[derive(Debug, Clone, Default)]
pub struct MoneyRow {
    pub claim_id: Option<String>,
    pub enrollment_id: Option<String>,
    pub institution_id: String,
    pub rules: String,
    pub amount_fen: i64,
}

/// One row of `budget.parquet`: next quarter's money of a group of institutions.
#[derive(Debug, Clone, Default)]
pub struct BudgetLine {
    /// `total`, `district` or `kind`.
    pub scope: String,
    pub group: String,
    pub institutions: i64,
    pub subsidy_base_fen: i64,
    pub uplift_cost_fen: i64,
    pub banned_volume_fen: i64,
    pub next_quarter_fen: i64,
}

/// One row of `rejects.parquet`.
#[derive(Debug, Clone, Default)]
pub struct Reject {
    pub table: String,
    pub row_key: String,
    pub reason: Said,
}

/// One row of `leads.parquet`.
#[derive(Debug, Clone, Default)]
pub struct Lead {
    pub rank: i64,
    pub institution_id: String,
    pub risk_score: Option<f64>,
    pub high_priority: bool,
    pub signals: String,
    pub evidence: Said,
    /// `statistical` or `breaches_only` (runs from before the column: `statistical`).
    pub lead_list: String,
    /// Other leads tied to this one ("JN-ORG-000120 (recycled_trainees); …"), empty when none.
    pub related_leads: String,
}

/// One row of `signal_values.parquet`.
#[derive(Debug, Clone, Default)]
pub struct SignalValue {
    pub institution_id: String,
    pub signal: String,
    pub value: Option<f64>,
    pub peer_value: Option<f64>,
    pub threshold: Option<f64>,
    pub fired: bool,
    pub rows: Option<String>,
    pub evidence: Said,
    /// The value's unit (`signal_values.unit`; from the signal's id in a run without it).
    pub unit: Option<String>,
}

/// One row of `benford_digits.parquet`.
#[derive(Debug, Clone, Default)]
pub struct BenfordDigit {
    pub institution_id: String,
    pub digit: i64,
    pub observed: i64,
    pub expected_share: f64,
}

/// One row of `history.parquet`.
#[derive(Debug, Clone, Default)]
pub struct HistoryRow {
    pub quarter: String,
    pub institution_id: String,
    pub score: Option<f64>,
    pub tier: String,
    pub action: String,
    pub values: [Option<f64>; 6],
}

/// One sanction of `sanctions.parquet` with its publication calendar (written by
/// `publication::calendar`; the calendar's fields are empty in an older run folder).
#[derive(Debug, Clone, Default)]
pub struct LedgerRow {
    pub institution_id: String,
    pub kind: String,
    pub from_quarter: String,
    pub until_quarter: Option<String>,
    pub class: String,
    pub decided_on: String,
    pub publication_end: Option<String>,
    pub earliest_repair: String,
    pub repaired_on: Option<String>,
    pub publication_status: String,
    /// Why the sanction stands (`reason`, from `reason_code` / `reason_args` when the run keeps them).
    pub reason: Said,
}

/// The score cut-offs and indicator settings the run used, as far as the run folder records
/// them (`summary.json` → `notes.policy_settings`, written by [`policy_settings`]); otherwise
/// the engine's built-in defaults, and [`Settings::recorded`] says which.
#[derive(Debug, Clone)]
pub struct Settings {
    pub cutoff_a: f64,
    pub cutoff_b: f64,
    pub cutoff_c: f64,
    pub max_breach_share_percent: f64,
    pub min_completed_enrollments: f64,
    pub high_priority_risk_score: f64,
    pub uplift_hold_risk_score: f64,
    /// (weight, floor, target) per indicator, in [`INDICATORS`] order.
    pub indicators: [(f64, f64, f64); 6],
    pub per_breach_line: f64,
    pub breach_lines_max: f64,
    pub per_procedural_finding: f64,
    pub procedural_max: f64,
    pub per_violation: f64,
    pub subsidy_uplift_pct: f64,
    /// Where they come from.
    pub source: SettingsSource,
}

/// Where the cut-offs shown come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsSource {
    /// `summary.json` records them.
    Recorded,
    /// Not recorded, but the run's policy hash is the built-in defaults' hash: they are exact.
    DefaultsByHash,
    /// Not recorded and the policy differs from the defaults (or is unknown): shown for
    /// orientation only.
    DefaultsAssumed,
}

impl Settings {
    pub fn recorded(&self) -> bool {
        self.source != SettingsSource::DefaultsAssumed
    }

    /// The built-in policy's settings (for a run that records none, and for tests).
    pub fn defaults() -> Result<Settings> {
        Ok(settings_from(&crate::policy::Policy::defaults()?, SettingsSource::DefaultsByHash))
    }
}

/// The note the pipeline records in `summary.json` (`notes.policy_settings`) so that a report
/// shows the cut-offs and indicator floors and targets the run actually used.
pub fn policy_settings(policy: &crate::policy::Policy) -> serde_json::Value {
    let cutoffs = &policy.tiers.cutoffs;
    let indicators: serde_json::Map<String, serde_json::Value> = policy
        .indicators
        .all()
        .iter()
        .map(|(id, indicator)| {
            (id.to_string(), serde_json::json!({"weight": indicator.weight, "floor": indicator.floor, "target": indicator.target}))
        })
        .collect();
    serde_json::json!({
        "cutoffs": {
            "a": cutoffs.a,
            "b": cutoffs.b,
            "c": cutoffs.c,
            "max_breach_share_percent": cutoffs.max_breach_share_percent,
            "min_completed_enrollments": cutoffs.min_completed_enrollments,
            "high_priority_risk_score": cutoffs.high_priority_risk_score,
            "uplift_hold_risk_score": cutoffs.uplift_hold_risk_score,
        },
        "indicators": indicators,
        "deductions": {
            "per_breach_line": policy.tiers.deductions.per_breach_line,
            "breach_lines_max": policy.tiers.deductions.breach_lines_max,
            "per_procedural_finding": policy.tiers.deductions.per_procedural_finding,
            "procedural_max": policy.tiers.deductions.procedural_max,
            "per_violation": policy.tiers.deductions.per_violation,
        },
        "subsidy_uplift_pct": policy.tiers.actions.subsidy_uplift_pct,
    })
}

fn settings_from(policy: &crate::policy::Policy, source: SettingsSource) -> Settings {
    let cutoffs = &policy.tiers.cutoffs;
    let all = policy.indicators.all();
    let mut indicators = [(0.0, 0.0, 0.0); 6];
    for (index, (_, indicator)) in all.iter().enumerate() {
        indicators[index] = (indicator.weight, indicator.floor, indicator.target);
    }
    Settings {
        cutoff_a: cutoffs.a,
        cutoff_b: cutoffs.b,
        cutoff_c: cutoffs.c,
        max_breach_share_percent: cutoffs.max_breach_share_percent,
        min_completed_enrollments: cutoffs.min_completed_enrollments as f64,
        high_priority_risk_score: cutoffs.high_priority_risk_score,
        uplift_hold_risk_score: cutoffs.uplift_hold_risk_score,
        indicators,
        per_breach_line: policy.tiers.deductions.per_breach_line,
        breach_lines_max: policy.tiers.deductions.breach_lines_max,
        per_procedural_finding: policy.tiers.deductions.per_procedural_finding,
        procedural_max: policy.tiers.deductions.procedural_max,
        per_violation: policy.tiers.deductions.per_violation,
        subsidy_uplift_pct: policy.tiers.actions.subsidy_uplift_pct,
        source,
    }
}

fn settings(summary: &serde_json::Value) -> Result<Settings> {
    let defaults = crate::policy::Policy::defaults()?;
    let recorded = &summary["notes"]["policy_settings"];
    if recorded.is_object() {
        let mut settings = settings_from(&defaults, SettingsSource::Recorded);
        let number = |value: &serde_json::Value, fallback: f64| value.as_f64().unwrap_or(fallback);
        let cutoffs = &recorded["cutoffs"];
        settings.cutoff_a = number(&cutoffs["a"], settings.cutoff_a);
        settings.cutoff_b = number(&cutoffs["b"], settings.cutoff_b);
        settings.cutoff_c = number(&cutoffs["c"], settings.cutoff_c);
        settings.max_breach_share_percent = number(&cutoffs["max_breach_share_percent"], settings.max_breach_share_percent);
        settings.min_completed_enrollments = number(&cutoffs["min_completed_enrollments"], settings.min_completed_enrollments);
        settings.high_priority_risk_score = number(&cutoffs["high_priority_risk_score"], settings.high_priority_risk_score);
        settings.uplift_hold_risk_score = number(&cutoffs["uplift_hold_risk_score"], settings.uplift_hold_risk_score);
        for (index, id) in INDICATORS.iter().enumerate() {
            let indicator = &recorded["indicators"][*id];
            let (weight, floor, target) = settings.indicators[index];
            settings.indicators[index] =
                (number(&indicator["weight"], weight), number(&indicator["floor"], floor), number(&indicator["target"], target));
        }
        let deductions = &recorded["deductions"];
        settings.per_breach_line = number(&deductions["per_breach_line"], settings.per_breach_line);
        settings.breach_lines_max = number(&deductions["breach_lines_max"], settings.breach_lines_max);
        settings.per_procedural_finding = number(&deductions["per_procedural_finding"], settings.per_procedural_finding);
        settings.procedural_max = number(&deductions["procedural_max"], settings.procedural_max);
        settings.per_violation = number(&deductions["per_violation"], settings.per_violation);
        settings.subsidy_uplift_pct = number(&recorded["subsidy_uplift_pct"], settings.subsidy_uplift_pct);
        return Ok(settings);
    }
    let same = summary["policy_hash"].as_str() == Some(defaults.hash.as_str());
    Ok(settings_from(&defaults, if same { SettingsSource::DefaultsByHash } else { SettingsSource::DefaultsAssumed }))
}

/// A run folder's tables, read once.
#[derive(Debug, Clone)]
pub struct RunData {
    pub dir: PathBuf,
    /// `summary.json` as written (`Null` when absent).
    pub summary: serde_json::Value,
    pub quarter: String,
    pub institutions: Vec<Institution>,
    pub flags: Vec<Flag>,
    pub recoveries: Vec<MoneyRow>,
    pub holds: Vec<MoneyRow>,
    pub rejects: Vec<Reject>,
    pub leads: Option<Vec<Lead>>,
    pub signal_values: Option<Vec<SignalValue>>,
    pub benford: Option<Vec<BenfordDigit>>,
    pub history: Option<Vec<HistoryRow>>,
    /// `budget.parquet` (runs before the budget have none).
    pub budget: Option<Vec<BudgetLine>>,
    /// `sanctions.parquet` with its publication calendar (`None` in a folder without one, or
    /// from a run before the calendar existed).
    pub ledger: Option<Vec<LedgerRow>>,
    pub settings: Settings,
}

/// Reads a Parquet file of the run folder.
pub fn read_table(path: &Path) -> Result<DataFrame> {
    LazyFrame::scan_parquet(PlRefPath::from(path.to_string_lossy().as_ref()), Default::default())
        .and_then(|scan| scan.collect())
        .context(&format!("reading {}", path.display()))
}

fn required(dir: &Path, name: &str) -> Result<DataFrame> {
    let path = dir.join(name);
    if !path.is_file() {
        return Err(Error::invalid(format!("{} is missing: is this a run folder written by `evaluate`?", path.display())));
    }
    read_table(&path)
}

fn optional(dir: &Path, name: &str) -> Result<Option<DataFrame>> {
    let path = dir.join(name);
    if path.is_file() {
        read_table(&path).map(Some)
    } else {
        Ok(None)
    }
}

/// Typed access to one table's columns, tolerant of absent columns (an older run folder).
pub struct Cells<'a> {
    frame: &'a DataFrame,
    table: &'a str,
}

impl<'a> Cells<'a> {
    pub fn new(frame: &'a DataFrame, table: &'a str) -> Cells<'a> {
        Cells { frame, table }
    }

    pub fn height(&self) -> usize {
        self.frame.height()
    }

    fn column(&self, name: &str) -> Option<&Column> {
        self.frame.column(name).ok()
    }

    fn what(&self, name: &str) -> String {
        format!("{}: column {name}", self.table)
    }

    /// A text column; a list becomes its items joined by ", ", anything else its display text.
    pub fn texts(&self, name: &str) -> Result<Vec<Option<String>>> {
        let Some(column) = self.column(name) else { return Ok(vec![None; self.height()]) };
        match column.dtype() {
            DataType::String => Ok(column.str().context(&self.what(name))?.iter().map(|v| v.map(str::to_string)).collect()),
            DataType::List(_) => {
                let mut out = Vec::with_capacity(self.height());
                for i in 0..self.height() {
                    out.push(match column.get(i).context(&self.what(name))? {
                        AnyValue::List(items) => {
                            let items = items.cast(&DataType::String).context(&self.what(name))?;
                            let items: Vec<String> = items.str().context(&self.what(name))?.iter().flatten().map(str::to_string).collect();
                            Some(items.join(", "))
                        }
                        AnyValue::Null => None,
                        other => Some(other.to_string()),
                    });
                }
                Ok(out)
            }
            DataType::Struct(_) => {
                let mut out = Vec::with_capacity(self.height());
                for i in 0..self.height() {
                    let value = column.get(i).context(&self.what(name))?;
                    out.push(if value.is_null() { None } else { Some(value.to_string()) });
                }
                Ok(out)
            }
            _ => {
                let cast = column.cast(&DataType::String).context(&self.what(name))?;
                Ok(cast.str().context(&self.what(name))?.iter().map(|v| v.map(str::to_string)).collect())
            }
        }
    }

    pub fn text_or_empty(&self, name: &str) -> Result<Vec<String>> {
        Ok(self.texts(name)?.into_iter().map(Option::unwrap_or_default).collect())
    }

    pub fn numbers(&self, name: &str) -> Result<Vec<Option<f64>>> {
        let Some(column) = self.column(name) else { return Ok(vec![None; self.height()]) };
        let cast = column.cast(&DataType::Float64).context(&self.what(name))?;
        Ok(cast.f64().context(&self.what(name))?.iter().collect())
    }

    pub fn integers(&self, name: &str) -> Result<Vec<Option<i64>>> {
        let Some(column) = self.column(name) else { return Ok(vec![None; self.height()]) };
        let cast = column.cast(&DataType::Int64).context(&self.what(name))?;
        Ok(cast.i64().context(&self.what(name))?.iter().collect())
    }

    pub fn booleans(&self, name: &str) -> Result<Vec<bool>> {
        let Some(column) = self.column(name) else { return Ok(vec![false; self.height()]) };
        let cast = column.cast(&DataType::Boolean).context(&self.what(name))?;
        Ok(cast.bool().context(&self.what(name))?.iter().map(|v| v.unwrap_or(false)).collect())
    }

    /// A money column (`decimal(14,2)`, or any number) in fen, exact for decimals.
    pub fn fen(&self, name: &str) -> Result<Vec<i64>> {
        let Some(column) = self.column(name) else { return Ok(vec![0; self.height()]) };
        if matches!(column.dtype(), DataType::Float32 | DataType::Float64) {
            return Ok(self.numbers(name)?.into_iter().map(|v| v.and_then(crate::money::fen_from_f64).unwrap_or(0)).collect());
        }
        let mut out = Vec::with_capacity(self.height());
        for text in self.texts(name)? {
            out.push(match text {
                None => 0,
                Some(text) => parse_fen(&text).ok_or_else(|| Error::invalid(format!("{}: {text:?} is not an amount", self.what(name))))?,
            });
        }
        Ok(out)
    }

    /// A `list[str]` column, item by item (`None` for a null row or an absent column).
    pub fn lists(&self, name: &str) -> Result<Vec<Option<Vec<String>>>> {
        let Some(column) = self.column(name) else { return Ok(vec![None; self.height()]) };
        let lists = column.list().context(&self.what(name))?;
        let mut out = Vec::with_capacity(self.height());
        for list in lists.amortized_iter() {
            out.push(match list {
                Some(items) => {
                    let items = items.as_ref().cast(&DataType::String).context(&self.what(name))?;
                    Some(items.str().context(&self.what(name))?.iter().map(|v| v.unwrap_or("").to_string()).collect())
                }
                None => None,
            });
        }
        Ok(out)
    }

    /// A text column with its `NAME_code` and `NAME_args` beside it, when the table has them.
    pub fn said(&self, name: &str) -> Result<Vec<Said>> {
        use crate::report::texts::{ARGS_SUFFIX, CODE_SUFFIX};
        let texts = self.text_or_empty(name)?;
        let codes = self.texts(&format!("{name}{CODE_SUFFIX}"))?;
        let args = self.lists(&format!("{name}{ARGS_SUFFIX}"))?;
        Ok(texts
            .into_iter()
            .zip(codes)
            .zip(args)
            .map(|((text, code), args)| Said { text, code, args: args.unwrap_or_default() })
            .collect())
    }

    /// The first column whose name is one of `names`.
    pub fn first_of<'n>(&self, names: &[&'n str]) -> Option<&'n str> {
        names.iter().copied().find(|name| self.column(name).is_some())
    }
}

/// "1234.5" / "1234.56" / "-0.05" → fen.
pub fn parse_fen(text: &str) -> Option<i64> {
    let value: rust_decimal::Decimal = text.trim().parse().ok()?;
    crate::money::fen_from_decimal(value)
}

fn institutions(frame: &DataFrame) -> Result<Vec<Institution>> {
    let cells = Cells::new(frame, "institution_scores");
    let ids = cells.text_or_empty("institution_id")?;
    let quarters = cells.text_or_empty("quarter")?;
    let names = cells.text_or_empty("name")?;
    let kinds = cells.text_or_empty("kind")?;
    let districts = cells.text_or_empty("district")?;
    let mut values = Vec::new();
    let mut points = Vec::new();
    for id in INDICATORS {
        values.push(cells.numbers(id)?);
        points.push(cells.numbers(&format!("{id}_points"))?);
    }
    let weighted = cells.numbers("weighted_points")?;
    let deductions = cells.numbers("deductions")?;
    let scores = cells.numbers("score")?;
    let risks = cells.numbers("risk_score")?;
    let tiers = cells.text_or_empty("tier")?;
    let previous = cells.texts("previous_tier")?;
    let actions = cells.text_or_empty("action")?;
    let uplifts = cells.numbers("subsidy_uplift_pct")?;
    let banned = cells.texts("banned_until")?;
    let reasons = cells.text_or_empty("reasons")?;
    let rules = cells.text_or_empty("tier_rule")?;
    let rule_args = cells.lists("tier_rule_args")?;
    let completed = cells.integers("completed_enrollments")?;
    let breaches = cells.integers("breach_lines")?;
    let procedural = cells.integers("procedural_findings")?;
    let violations = cells.integers("violations")?;
    let shares = cells.numbers("breach_share")?;
    let lead_ranks = cells.integers("lead_rank")?;
    let (holds, hold_cases) = (cells.texts("uplift_hold")?, cells.texts("hold_case")?);
    let mut rows = Vec::with_capacity(cells.height());
    for i in 0..cells.height() {
        let mut row = Institution {
            id: ids[i].clone(),
            quarter: quarters[i].clone(),
            name: names[i].clone(),
            kind: kinds[i].clone(),
            district: districts[i].clone(),
            weighted_points: weighted[i],
            deductions: deductions[i],
            score: scores[i],
            risk_score: risks[i],
            tier: typed(&tiers[i], "institution_scores.parquet", &ids[i])?,
            previous_tier: previous[i].as_deref().map(|t| typed(t, "institution_scores.parquet", &ids[i])).transpose()?,
            action: typed(&actions[i], "institution_scores.parquet", &ids[i])?,
            subsidy_uplift_pct: uplifts[i],
            banned_until: banned[i].clone(),
            reasons: reasons[i].clone(),
            tier_rule: rules[i].clone(),
            tier_rule_args: rule_args[i].clone(),
            completed_enrollments: completed[i],
            breach_lines: breaches[i],
            procedural_findings: procedural[i],
            violations: violations[i],
            breach_share: shares[i],
            lead_rank: lead_ranks[i],
            uplift_hold: holds[i].clone(),
            hold_case: hold_cases[i].clone(),
            ..Institution::default()
        };
        for index in 0..INDICATORS.len() {
            row.values[index] = values[index][i];
            row.points[index] = points[index][i];
        }
        rows.push(row);
    }
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(rows)
}

fn flags(frame: &DataFrame) -> Result<Vec<Flag>> {
    let cells = Cells::new(frame, "flags");
    let ids = cells.text_or_empty("flag_id")?;
    let kinds = cells.text_or_empty("kind")?;
    let rules = cells.text_or_empty("rule")?;
    let severities = cells.text_or_empty("severity")?;
    let institutions = cells.text_or_empty("institution_id")?;
    let entity_kinds = cells.text_or_empty("entity_kind")?;
    let entity_ids = cells.text_or_empty("entity_id")?;
    let amounts = cells.fen("amount_at_risk")?;
    let evidence = cells.said("evidence")?;
    let overturned = cells.booleans("overturned")?;
    Ok((0..cells.height())
        .map(|i| Flag {
            flag_id: ids[i].clone(),
            kind: kinds[i].clone(),
            rule: rules[i].clone(),
            severity: severities[i].clone(),
            institution_id: institutions[i].clone(),
            entity_kind: entity_kinds[i].clone(),
            entity_id: entity_ids[i].clone(),
            amount_fen: amounts[i],
            evidence: evidence[i].clone(),
            overturned: overturned[i],
        })
        .collect())
}

fn money(frame: &DataFrame, table: &str) -> Result<Vec<MoneyRow>> {
    let cells = Cells::new(frame, table);
    let claims = cells.texts("claim_id")?;
    let enrollments = cells.texts("enrollment_id")?;
    let institutions = cells.text_or_empty("institution_id")?;
    let rules = cells.text_or_empty("rules")?;
    let amounts = cells.fen("amount")?;
    Ok((0..cells.height())
        .map(|i| MoneyRow {
            claim_id: claims[i].clone(),
            enrollment_id: enrollments[i].clone(),
            institution_id: institutions[i].clone(),
            rules: rules[i].clone(),
            amount_fen: amounts[i],
        })
        .collect())
}

fn budget(frame: &DataFrame) -> Result<Vec<BudgetLine>> {
    let cells = Cells::new(frame, "budget");
    let (scopes, groups) = (cells.text_or_empty("scope")?, cells.text_or_empty("group")?);
    let institutions = frame.column("institutions").context("budget")?.cast(&DataType::Int64).context("budget")?;
    let institutions = institutions.i64().context("budget")?;
    let (base, uplift, banned, next) =
        (cells.fen("subsidy_base")?, cells.fen("uplift_cost")?, cells.fen("banned_volume")?, cells.fen("next_quarter_subsidy")?);
    Ok((0..cells.height())
        .map(|i| BudgetLine {
            scope: scopes[i].clone(),
            group: groups[i].clone(),
            institutions: institutions.get(i).unwrap_or(0),
            subsidy_base_fen: base[i],
            uplift_cost_fen: uplift[i],
            banned_volume_fen: banned[i],
            next_quarter_fen: next[i],
        })
        .collect())
}

fn ledger(frame: &DataFrame) -> Result<Vec<LedgerRow>> {
    use crate::publication::calendar as cal;
    let cells = Cells::new(frame, "sanctions");
    let [ids, kinds, froms, classes, decided, repairable, statuses] =
        ["institution_id", "kind", "from_quarter", cal::CLASS, "decided_on", cal::EARLIEST_REPAIR, cal::PUBLICATION_STATUS]
            .map(|name| cells.text_or_empty(name));
    let [untils, ends, repaired] = ["until_quarter", cal::PUBLICATION_END, "repaired_on"].map(|name| cells.texts(name));
    let (ids, kinds, froms, classes, decided, repairable, statuses) = (ids?, kinds?, froms?, classes?, decided?, repairable?, statuses?);
    let (untils, ends, repaired) = (untils?, ends?, repaired?);
    let reasons = cells.said("reason")?;
    Ok((0..cells.height())
        .map(|i| LedgerRow {
            institution_id: ids[i].clone(),
            kind: kinds[i].clone(),
            from_quarter: froms[i].clone(),
            until_quarter: untils[i].clone(),
            class: classes[i].clone(),
            decided_on: decided[i].clone(),
            publication_end: ends[i].clone(),
            earliest_repair: repairable[i].clone(),
            repaired_on: repaired[i].clone(),
            publication_status: statuses[i].clone(),
            reason: reasons[i].clone(),
        })
        .collect())
}

fn rejects(frame: &DataFrame) -> Result<Vec<Reject>> {
    let cells = Cells::new(frame, "rejects");
    let tables = cells.text_or_empty("table")?;
    let keys = cells.text_or_empty("row_key")?;
    let reasons = cells.said("reason")?;
    Ok((0..cells.height()).map(|i| Reject { table: tables[i].clone(), row_key: keys[i].clone(), reason: reasons[i].clone() }).collect())
}

fn leads(frame: &DataFrame) -> Result<Vec<Lead>> {
    let cells = Cells::new(frame, "leads");
    let ranks = cells.integers("rank")?;
    let institutions = cells.text_or_empty("institution_id")?;
    let risks = cells.numbers("risk_score")?;
    let high = cells.booleans("high_priority")?;
    let signals = cells.text_or_empty("signals")?;
    let evidence = cells.said("evidence")?;
    let lists = cells.texts("lead_list")?;
    let related = cells.texts("related_leads")?;
    let mut rows: Vec<Lead> = (0..cells.height())
        .map(|i| Lead {
            rank: ranks[i].unwrap_or(i as i64 + 1),
            institution_id: institutions[i].clone(),
            risk_score: risks[i],
            high_priority: high[i],
            signals: signals[i].clone(),
            evidence: evidence[i].clone(),
            lead_list: lists[i].clone().unwrap_or_else(|| "statistical".into()),
            related_leads: related[i].clone().unwrap_or_default(),
        })
        .collect();
    rows.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.institution_id.cmp(&b.institution_id)));
    Ok(rows)
}

fn signal_values(frame: &DataFrame) -> Result<Vec<SignalValue>> {
    let cells = Cells::new(frame, "signal_values");
    let institutions = cells.text_or_empty("institution_id")?;
    let signals = cells.text_or_empty("signal")?;
    let values = cells.numbers("value")?;
    let peers = cells.numbers("peer_value")?;
    let thresholds = cells.numbers("threshold")?;
    let fired = cells.booleans("fired")?;
    let rows = cells.texts("rows")?;
    let evidence = cells.said("evidence")?;
    let units = cells.texts("unit")?;
    Ok((0..cells.height())
        .map(|i| SignalValue {
            institution_id: institutions[i].clone(),
            signal: signals[i].clone(),
            value: values[i],
            peer_value: peers[i],
            threshold: thresholds[i],
            fired: fired[i],
            rows: rows[i].clone(),
            evidence: evidence[i].clone(),
            unit: units[i].clone(),
        })
        .collect())
}

fn benford(frame: &DataFrame) -> Result<Vec<BenfordDigit>> {
    let cells = Cells::new(frame, "benford_digits");
    let institutions = cells.text_or_empty("institution_id")?;
    let digits = cells.integers("digit")?;
    let observed_column = cells.first_of(&["observed", "observed_count", "count"]).unwrap_or("observed");
    let observed = cells.integers(observed_column)?;
    let expected = cells.numbers("expected_share")?;
    Ok((0..cells.height())
        .filter_map(|i| {
            let digit = digits[i]?;
            Some(BenfordDigit {
                institution_id: institutions[i].clone(),
                digit,
                observed: observed[i].unwrap_or(0),
                expected_share: expected[i].unwrap_or_else(|| (1.0 + 1.0 / digit as f64).log10()),
            })
        })
        .collect())
}

fn history(frame: &DataFrame) -> Result<Vec<HistoryRow>> {
    let cells = Cells::new(frame, "history");
    let quarters = cells.text_or_empty("quarter")?;
    let institutions = cells.text_or_empty("institution_id")?;
    let scores = cells.numbers("score")?;
    let tiers = cells.text_or_empty("tier")?;
    let actions = cells.text_or_empty("action")?;
    let mut values = Vec::new();
    for id in INDICATORS {
        values.push(cells.numbers(id)?);
    }
    let mut rows: Vec<HistoryRow> = (0..cells.height())
        .map(|i| {
            let mut row = HistoryRow {
                quarter: quarters[i].clone(),
                institution_id: institutions[i].clone(),
                score: scores[i],
                tier: tiers[i].clone(),
                action: actions[i].clone(),
                values: [None; 6],
            };
            for (index, column) in values.iter().enumerate() {
                row.values[index] = column[i];
            }
            row
        })
        .collect();
    rows.sort_by(|a, b| a.quarter.cmp(&b.quarter).then_with(|| a.institution_id.cmp(&b.institution_id)));
    Ok(rows)
}

impl RunData {
    /// Reads the run folder `dir`.
    pub fn read(dir: &Path) -> Result<RunData> {
        let summary_path = dir.join("summary.json");
        let summary = if summary_path.is_file() {
            let text = std::fs::read_to_string(&summary_path).map_err(|e| Error::io("reading the run's summary", &summary_path, e))?;
            serde_json::from_str(&text).map_err(|e| Error::invalid(format!("{}: not valid JSON: {e}", summary_path.display())))?
        } else {
            serde_json::Value::Null
        };
        let institutions = institutions(&required(dir, "institution_scores.parquet")?)?;
        let quarter =
            summary["quarter"].as_str().map(str::to_string).or_else(|| institutions.first().map(|i| i.quarter.clone())).unwrap_or_default();
        Ok(RunData {
            dir: dir.to_path_buf(),
            quarter,
            institutions,
            flags: flags(&required(dir, "flags.parquet")?)?,
            recoveries: money(&required(dir, "recoveries.parquet")?, "recoveries")?,
            holds: money(&required(dir, "holds.parquet")?, "holds")?,
            rejects: optional(dir, "rejects.parquet")?.map(|f| rejects(&f)).transpose()?.unwrap_or_default(),
            leads: optional(dir, "leads.parquet")?.map(|f| leads(&f)).transpose()?,
            signal_values: optional(dir, "signal_values.parquet")?.map(|f| signal_values(&f)).transpose()?,
            benford: optional(dir, "benford_digits.parquet")?.map(|f| benford(&f)).transpose()?,
            history: optional(dir, "history.parquet")?.map(|f| history(&f)).transpose()?,
            budget: optional(dir, "budget.parquet")?.map(|f| budget(&f)).transpose()?,
            ledger: optional(dir, "sanctions.parquet")?
                .filter(|f| f.column(crate::publication::calendar::PUBLICATION_STATUS).is_ok())
                .map(|f| ledger(&f))
                .transpose()?,
            settings: settings(&summary)?,
            summary,
        })
    }

    pub fn institution(&self, id: &str) -> Option<&Institution> {
        self.institutions.iter().find(|i| i.id == id)
    }

    /// Institutions per tier, counted from `institution_scores.parquet`, every tier present.
    pub fn tier_counts(&self) -> BTreeMap<String, usize> {
        let mut counts: BTreeMap<String, usize> = Tier::ALL.iter().map(|t| (t.to_string(), 0)).collect();
        for institution in &self.institutions {
            *counts.entry(institution.tier.to_string()).or_insert(0) += 1;
        }
        counts
    }

    /// Sum of the recoveries' amounts, fen.
    pub fn recoveries_fen(&self) -> i64 {
        self.recoveries.iter().map(|r| r.amount_fen).sum()
    }

    /// The recoveries split by what orders them, fen: (by rule, by decision). Decision rows are
    /// those whose `rules` is `DECISION` (a `fraud_confirmed` decision's stated amount); the two
    /// sum to [`RunData::recoveries_fen`] exactly.
    pub fn recoveries_split_fen(&self) -> (i64, i64) {
        let decision = crate::vocab::RuleId::Decision.as_str();
        self.recoveries.iter().fold((0, 0), |(by_rule, by_decision), row| {
            if row.rules == decision {
                (by_rule, by_decision + row.amount_fen)
            } else {
                (by_rule + row.amount_fen, by_decision)
            }
        })
    }

    pub fn holds_fen(&self) -> i64 {
        self.holds.iter().map(|r| r.amount_fen).sum()
    }

    /// A total of `summary.json` (`totals.NAME`) in fen.
    pub fn summary_total_fen(&self, name: &str) -> Option<i64> {
        self.summary["totals"][name].as_str().and_then(parse_fen)
    }

    /// Money at stake per rule: the non-overturned flags' `amount_at_risk`, fen, and their count.
    pub fn at_stake_by_rule(&self) -> BTreeMap<String, (i64, usize)> {
        let mut by_rule: BTreeMap<String, (i64, usize)> = BTreeMap::new();
        for flag in self.flags.iter().filter(|f| !f.overturned) {
            let entry = by_rule.entry(flag.rule.clone()).or_default();
            entry.0 += flag.amount_fen;
            entry.1 += 1;
        }
        by_rule
    }

    /// The quarters of `history`, in order (this run's quarter included when history has it).
    pub fn history_quarters(&self) -> Vec<String> {
        let mut quarters: Vec<String> = self.history.iter().flatten().map(|h| h.quarter.clone()).collect();
        quarters.sort();
        quarters.dedup();
        quarters
    }

    /// Whether history reaches back before this run's quarter.
    pub fn has_earlier_quarters(&self) -> bool {
        self.history_quarters().iter().any(|q| q.as_str() < self.quarter.as_str())
    }

    /// Peers of an institution: the institutions of the same kind (itself included).
    pub fn peers<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Institution> + 'a {
        self.institutions.iter().filter(move |i| i.kind == kind)
    }
}

/// The median of some values (`None` for none).
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len().is_multiple_of(2) { (values[middle - 1] + values[middle]) / 2.0 } else { values[middle] })
}

/// A tier's place in [`Tier::ALL`] (the index of per-tier counts); `None` for an unknown id.
pub fn tier_index(tier: &str) -> Option<usize> {
    let tier = Tier::parse(tier)?;
    Tier::ALL.iter().position(|t| *t == tier)
}

/// A tier's rank for movements: higher is better; N (not rated) and an unknown id have none.
pub fn tier_rank(tier: &str) -> Option<i32> {
    match Tier::parse(tier)? {
        Tier::A => Some(5),
        Tier::B => Some(4),
        Tier::C => Some(3),
        Tier::D => Some(2),
        Tier::X => Some(1),
        Tier::N => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_column_shows_in_the_pages_language_from_its_code_or_as_written() {
        let coded = Said { text: "2026Q3 处于禁入期内（至 2027Q1）".into(), code: Some("tier.d.ban_in_force".into()), args: vec!["2026Q3".into(), "2027Q1".into()] };
        assert_eq!(coded.show(Lang::En), "a ban is in force in 2026Q3 (until 2027Q1)");
        assert_eq!(coded.show(Lang::Zh), "2026Q3 处于禁入期内（至 2027Q1）");
        let gap = serde_json::json!({"indicator": "x", "reason": "无", "reason_code": "tier.c.lead", "reason_args": []});
        assert_eq!(Said::from_json(&gap, "reason").show(Lang::En), "a high-priority investigation lead: watch, tier C at best");
        assert_eq!(Said::from_json(&serde_json::json!("as written"), "reason").show(Lang::En), "as written");
        // Free text kept as written (an investigator's note), in both languages.
        let note = Said { text: "现场核查".into(), code: Some("text".into()), args: vec!["现场核查".into()] };
        assert_eq!(note.show(Lang::En), "现场核查");
        // A run from before the codes, and a code this engine does not know: the text as written.
        assert_eq!(Said::plain("old sentence").show(Lang::Zh), "old sentence");
        let newer = Said { text: "from a newer engine".into(), code: Some("rules.r99".into()), args: Vec::new() };
        assert_eq!(newer.show(Lang::Zh), "from a newer engine");
    }

    #[test]
    fn the_tier_list_is_vocab_order_and_recoveries_split_to_the_fen() {
        assert_eq!(TIERS, ["A", "B", "C", "D", "X", "N"]);
        assert_eq!((tier_index("X"), tier_index("?"), tier_rank("N"), tier_rank("A")), (Some(4), None, None, Some(5)));
        let row = |rules: &str, amount_fen| MoneyRow { institution_id: "I1".into(), rules: rules.into(), amount_fen, ..MoneyRow::default() };
        let data = RunData {
            dir: PathBuf::new(),
            summary: serde_json::Value::Null,
            quarter: "2026Q3".into(),
            institutions: Vec::new(),
            flags: Vec::new(),
            recoveries: vec![row("R05,R06", 100_001), row("DECISION", 500_000), row("R10", 1), row("DECISION", 99)],
            holds: Vec::new(),
            rejects: Vec::new(),
            leads: None,
            signal_values: None,
            benford: None,
            history: None,
            budget: None,
            ledger: None,
            settings: Settings::defaults().unwrap(),
        };
        assert_eq!(data.recoveries_split_fen(), (100_002, 500_099));
        assert_eq!(data.recoveries_fen(), 600_101);
    }
}
