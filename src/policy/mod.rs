//! The bureau's settings, loaded from `pipelines/*.toml` and checked before any data is read.
//! Every number a rule, indicator or tier uses comes from here (defaults in
//! `../shared/spec/policy.md`). Unknown keys are refused (`deny_unknown_fields`) and
//! [`Policy::validate`] lists every problem at once, so a bureau fixes its files in one pass.

pub mod publication;
pub mod signals;

use crate::error::{Error, ErrorKind, Result};
use crate::vocab::{RuleId, Severity};
use publication::PublicationConfig;
use signals::SignalsConfig;
use rust_decimal::Decimal;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The policy files, in the order they are hashed.
pub const FILES: [&str; 7] = ["policy.toml", "rules.toml", "indicators.toml", "tiers.toml", "signals.toml", "publication.toml", "budget.toml"];

/// The shipped defaults, used when no `--policy` folder is given and `./pipelines` is absent.
const DEFAULTS: [(&str, &str); 7] = [
    ("policy.toml", include_str!("../../pipelines/policy.toml")),
    ("rules.toml", include_str!("../../pipelines/rules.toml")),
    ("indicators.toml", include_str!("../../pipelines/indicators.toml")),
    ("tiers.toml", include_str!("../../pipelines/tiers.toml")),
    ("signals.toml", signals::DEFAULT_TOML),
    ("publication.toml", publication::DEFAULT_TOML),
    ("budget.toml", include_str!("../../pipelines/budget.toml")),
];

/// `budget.toml`: how next quarter's subsidy base is estimated (what-if, the report's budget).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// The base is the mean claimed amount of the last this many quarters (1–8).
    pub base_quarters: u32,
}

/// `policy.toml`: the numbers of the subsidy rules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Assessment pass mark, 0–100.
    pub pass_mark: f64,
    pub ages: Ages,
    pub training: Training,
    pub living_allowance: LivingAllowance,
    pub appraisal: Appraisal,
    pub procedural: Procedural,
    pub appeals: Appeals,
    /// Monthly minimum wage per district, yuan text ("2200.00").
    pub minimum_wage: BTreeMap<String, String>,
}

/// R04's age bounds in completed years, inclusive, per sex.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ages {
    pub male_min: i32,
    pub male_max: i32,
    pub female_min: i32,
    pub female_max: i32,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// R02: training lines per person and calendar year.
    pub max_lines_per_year: u32,
    /// R06: attended share of planned hours, percent.
    pub attendance_percent: u32,
    /// R06: hours one sign-in counts at most.
    pub max_session_hours: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LivingAllowance {
    /// R08: groups entitled to an allowance.
    pub eligible_groups: Vec<String>,
    /// R08: daily cap as a percentage of the monthly minimum wage ÷ `days_per_month`.
    pub percent_of_minimum_wage: u32,
    pub days_per_month: u32,
    /// R08: most days one enrollment may be paid.
    pub max_days: u32,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Appraisal {
    /// R09: cap as a percentage of the fee.
    pub percent_of_fee: u32,
    /// R09: cap for a key-industry class.
    pub key_industry_percent_of_fee: u32,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedural {
    /// P03: check-ins closer than this at two institutions.
    pub double_presence_seconds: i64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Appeals {
    pub window_days: u32,
}

/// `rules.toml`: one entry per rule id.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSetting {
    /// The rule's name in the policy (e.g. `duplicate_subsidy`).
    pub name: String,
    pub enabled: bool,
    /// `low`, `medium` or `high` (anything else is refused when the file is read).
    pub severity: Severity,
}

/// `rules.toml`'s sections keyed by rule id. Read with text keys first, so that an unknown or a
/// missing rule is one problem among all the others (listed with the known ids), not the end
/// of reading; `DECISION` is no rule of the file.
fn typed_rule_settings(read: BTreeMap<String, RuleSetting>, problems: &mut Vec<String>) -> BTreeMap<RuleId, RuleSetting> {
    let configurable: Vec<RuleId> = RuleId::ALL.iter().copied().filter(|id| id.configurable()).collect();
    for id in &configurable {
        if !read.contains_key(id.as_str()) {
            problems.push(format!("rules.toml: rule {id} is missing"));
        }
    }
    let mut typed = BTreeMap::new();
    for (text, setting) in read {
        match RuleId::parse(&text).filter(|id| id.configurable()) {
            Some(id) => {
                typed.insert(id, setting);
            }
            None => {
                let known: Vec<&str> = configurable.iter().map(|id| id.as_str()).collect();
                problems.push(format!("rules.toml: unknown rule {text} (known: {})", known.join(", ")));
            }
        }
    }
    typed
}

/// One indicator of `indicators.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub weight: f64,
    pub floor: f64,
    pub target: f64,
    /// Quarter offsets of the classes it looks at, e.g. `[-3, 0]`.
    #[serde(default)]
    pub window: Option<[i32; 2]>,
    /// pass_rate: days after a class's end a pass still counts.
    #[serde(default)]
    pub days_after_end: Option<i64>,
    /// employment_rate, retention_rate: calendar months after the end month.
    #[serde(default)]
    pub months_after_end: Option<u32>,
    /// retention_rate: contribution months needed.
    #[serde(default)]
    pub min_months: Option<u32>,
}

/// `indicators.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicators {
    pub completion_rate: Indicator,
    pub pass_rate: Indicator,
    pub employment_rate: Indicator,
    pub retention_rate: Indicator,
    pub satisfaction: Indicator,
    pub compliance: Indicator,
}

impl Indicators {
    /// Indicators in the order of the policy table, with their ids.
    pub fn all(&self) -> [(&'static str, &Indicator); 6] {
        [
            ("completion_rate", &self.completion_rate),
            ("pass_rate", &self.pass_rate),
            ("employment_rate", &self.employment_rate),
            ("retention_rate", &self.retention_rate),
            ("satisfaction", &self.satisfaction),
            ("compliance", &self.compliance),
        ]
    }
}

/// `tiers.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tiers {
    pub deductions: Deductions,
    pub cutoffs: Cutoffs,
    pub actions: Actions,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deductions {
    pub per_breach_line: f64,
    pub breach_lines_max: f64,
    pub per_procedural_finding: f64,
    pub procedural_max: f64,
    pub per_violation: f64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cutoffs {
    pub a: f64,
    pub b: f64,
    pub c: f64,
    pub min_completed_enrollments: u32,
    pub max_breach_share_percent: f64,
    pub high_priority_risk_score: f64,
    /// A tier-A institution whose lead has at least this risk score gets `uplift_held`.
    pub uplift_hold_risk_score: f64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actions {
    pub subsidy_uplift_pct: f64,
    pub ban_quarters: u32,
}

/// Every policy file, loaded and checked.
#[derive(Debug, Clone)]
pub struct Policy {
    pub rules: Rules,
    pub rule_settings: BTreeMap<RuleId, RuleSetting>,
    pub indicators: Indicators,
    pub tiers: Tiers,
    /// `signals.toml`: the risk signals' settings.
    pub signals: SignalsConfig,
    /// `publication.toml`: what is published on the credit platforms, in which layout.
    pub publication: PublicationConfig,
    /// `budget.toml`.
    pub budget: Budget,
    /// Where it came from: a folder, or the defaults built into the binary.
    pub source: String,
    /// SHA-256 of each file's text.
    pub file_hashes: BTreeMap<String, String>,
    /// SHA-256 over every file's name and text, in [`FILES`] order.
    pub hash: String,
    /// Minimum wages in fen, parsed from `rules.minimum_wage`.
    pub minimum_wage_fen: BTreeMap<String, i64>,
}

impl Policy {
    /// The defaults shipped in the binary (the committed `pipelines/`).
    pub fn defaults() -> Result<Policy> {
        let texts = DEFAULTS.iter().map(|(name, text)| (name.to_string(), text.to_string())).collect();
        Policy::from_texts(texts, "built-in defaults (pipelines/ of this build)".into(), Path::new("pipelines"))
    }

    /// Loads `dir`/*.toml.
    pub fn load(dir: &Path) -> Result<Policy> {
        let texts = Policy::texts(Some(dir))?;
        Policy::from_texts(texts, dir.display().to_string(), dir)
    }

    /// `--policy DIR` when given; else `./pipelines` when it exists; else the built-in defaults.
    pub fn resolve(dir: Option<&Path>) -> Result<Policy> {
        match chosen_folder(dir) {
            Some(dir) => Policy::load(&dir),
            None => Policy::defaults(),
        }
    }

    /// As [`Policy::resolve`], and every district of the export's institutions (`districts`, read
    /// before any other table) must have a minimum wage: a missing one is a policy problem listed
    /// with all the others (an unknown key too), before the export is read.
    pub fn resolve_for(dir: Option<&Path>, districts: &[String]) -> Result<Policy> {
        let resolved = Policy::resolve(dir);
        let known: Option<Vec<String>> = match &resolved {
            Ok(policy) => Some(policy.minimum_wage_fen.keys().cloned().collect()),
            // A policy that did not load: its wages as written, when policy.toml parses as TOML.
            Err(_) => chosen_text(dir, "policy.toml")
                .and_then(|text| text.parse::<toml::Table>().ok())
                .and_then(|table| table.get("minimum_wage").and_then(|wages| wages.as_table()).map(|wages| wages.keys().cloned().collect())),
        };
        let Some(problem) = known.and_then(|known| unknown_districts(districts, &known)) else { return resolved };
        match resolved {
            Ok(_) => Err(ErrorKind::Policy { dir: chosen_folder(dir).unwrap_or_else(|| PathBuf::from("pipelines")), problems: vec![problem] }.into()),
            Err(Error { kind: ErrorKind::Policy { dir, mut problems } }) => {
                problems.push(problem);
                Err(ErrorKind::Policy { dir, problems }.into())
            }
            Err(other) => Err(other),
        }
    }

    /// The policy files' texts that [`Policy::resolve`] would read, by file name in [`FILES`]
    /// order (what-if overlays reforms on them).
    pub fn texts(dir: Option<&Path>) -> Result<Vec<(String, String)>> {
        let Some(dir) = chosen_folder(dir) else {
            return Ok(DEFAULTS.iter().map(|(name, text)| (name.to_string(), text.to_string())).collect());
        };
        let dir = dir.as_path();
        let mut texts = Vec::new();
        let mut problems = Vec::new();
        for name in FILES {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => texts.push((name.to_string(), text)),
                Err(error) => problems.push(format!("{name}: cannot read {}: {error}", path.display())),
            }
        }
        if !problems.is_empty() {
            return Err(ErrorKind::Policy { dir: dir.to_path_buf(), problems }.into());
        }
        Ok(texts)
    }

    /// A policy from the files' texts (`source` and `dir` name where they came from).
    pub fn from_texts(texts: Vec<(String, String)>, source: String, dir: &Path) -> Result<Policy> {
        let mut problems = Vec::new();
        let text = |name: &str| texts.iter().find(|(n, _)| n == name).map(|(_, t)| t.as_str()).unwrap_or("");
        fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str, problems: &mut Vec<String>) -> Option<T> {
            toml::from_str(text).map_err(|error| problems.push(toml_problem(name, text, &error))).ok()
        }
        let rules: Option<Rules> = parse("policy.toml", text("policy.toml"), &mut problems);
        let rule_settings: Option<BTreeMap<String, RuleSetting>> = parse("rules.toml", text("rules.toml"), &mut problems);
        // Checked after every file is parsed, so its problems follow the parse errors of all of them.
        let mut rule_problems = Vec::new();
        let rule_settings = rule_settings.map(|read| typed_rule_settings(read, &mut rule_problems));
        let indicators: Option<Indicators> = parse("indicators.toml", text("indicators.toml"), &mut problems);
        let tiers: Option<Tiers> = parse("tiers.toml", text("tiers.toml"), &mut problems);
        let signals = SignalsConfig::from_toml(text("signals.toml"))
            .map_err(|found| {
                problems.extend(found.into_iter().map(|problem| {
                    if problem.starts_with("signals.toml") { problem } else { format!("signals.toml: {problem}") }
                }))
            })
            .ok();
        let publication = PublicationConfig::from_toml(text("publication.toml")).map_err(|found| problems.extend(found)).ok();
        let budget: Option<Budget> = parse("budget.toml", text("budget.toml"), &mut problems);
        let (Some(rules), Some(rule_settings), Some(indicators), Some(tiers), Some(signals), Some(publication), Some(budget)) =
            (rules, rule_settings, indicators, tiers, signals, publication, budget)
        else {
            return Err(ErrorKind::Policy { dir: dir.to_path_buf(), problems }.into());
        };

        let mut file_hashes = BTreeMap::new();
        let mut whole = Sha256::new();
        for (name, body) in &texts {
            file_hashes.insert(name.clone(), hex::encode(Sha256::digest(body.as_bytes())));
            whole.update(name.as_bytes());
            whole.update([0]);
            whole.update(body.as_bytes());
            whole.update([0]);
        }
        let mut policy = Policy {
            rules,
            rule_settings,
            indicators,
            tiers,
            signals,
            publication,
            budget,
            source,
            file_hashes,
            hash: hex::encode(whole.finalize()),
            minimum_wage_fen: BTreeMap::new(),
        };
        problems.extend(rule_problems);
        problems.extend(policy.validate());
        if !problems.is_empty() {
            return Err(ErrorKind::Policy { dir: dir.to_path_buf(), problems }.into());
        }
        Ok(policy)
    }

    /// Lists every problem of a parsed policy (and fills the parsed minimum wages).
    pub fn validate(&mut self) -> Vec<String> {
        let mut problems = Vec::new();
        if !(1..=8).contains(&self.budget.base_quarters) {
            problems.push(format!("budget.toml: base_quarters {} must be 1–8", self.budget.base_quarters));
        }
        let rules = &self.rules;
        if !(0.0..=100.0).contains(&rules.pass_mark) {
            problems.push(format!("policy.toml: pass_mark {} is outside 0–100", rules.pass_mark));
        }
        let ages = rules.ages;
        for (sex, min, max) in [("male", ages.male_min, ages.male_max), ("female", ages.female_min, ages.female_max)] {
            if min > max || min < 0 {
                problems.push(format!("policy.toml: ages.{sex}_min {min} must be ≥ 0 and ≤ ages.{sex}_max {max}"));
            }
        }
        let percent = |name: &str, value: u32, problems: &mut Vec<String>| {
            if value == 0 || value > 100 {
                problems.push(format!("policy.toml: {name} {value} must be 1–100"));
            }
        };
        percent("training.attendance_percent", rules.training.attendance_percent, &mut problems);
        percent("living_allowance.percent_of_minimum_wage", rules.living_allowance.percent_of_minimum_wage, &mut problems);
        percent("appraisal.percent_of_fee", rules.appraisal.percent_of_fee, &mut problems);
        percent("appraisal.key_industry_percent_of_fee", rules.appraisal.key_industry_percent_of_fee, &mut problems);
        if rules.training.max_session_hours == 0 {
            problems.push("policy.toml: training.max_session_hours must be positive".into());
        }
        if rules.living_allowance.days_per_month == 0 {
            problems.push("policy.toml: living_allowance.days_per_month must be positive".into());
        }
        for group in &rules.living_allowance.eligible_groups {
            if !crate::ingest::contract::GROUPS.contains(&group.as_str()) {
                problems.push(format!("policy.toml: living_allowance.eligible_groups has unknown group '{group}'"));
            }
        }
        let mut wages = BTreeMap::new();
        for (district, text) in &rules.minimum_wage {
            match Decimal::from_str(text.trim()).ok().and_then(crate::money::fen_from_decimal) {
                Some(fen) if fen > 0 => {
                    wages.insert(district.clone(), fen);
                }
                _ => problems.push(format!("policy.toml: minimum_wage.{district} = '{text}' is not a positive amount in yuan")),
            }
        }
        self.minimum_wage_fen = wages;

        let mut total_weight = 0.0;
        for (id, indicator) in self.indicators.all() {
            if indicator.weight < 0.0 {
                problems.push(format!("indicators.toml: {id}.weight {} is negative", indicator.weight));
            }
            if indicator.target <= indicator.floor {
                problems.push(format!(
                    "indicators.toml: {id}.target {} must be above its floor {}",
                    indicator.target, indicator.floor
                ));
            }
            if let Some([from, to]) = indicator.window {
                if from > to || to > 0 {
                    problems.push(format!("indicators.toml: {id}.window [{from}, {to}] must run from an earlier to a later offset ≤ 0"));
                }
            } else if id != "compliance" {
                problems.push(format!("indicators.toml: {id}.window is missing"));
            }
            total_weight += indicator.weight;
        }
        if total_weight <= 0.0 {
            problems.push("indicators.toml: the weights must add up to more than 0".into());
        }
        for (id, needed) in [
            ("pass_rate", self.indicators.pass_rate.days_after_end.is_some()),
            ("employment_rate", self.indicators.employment_rate.months_after_end.is_some()),
            ("retention_rate", self.indicators.retention_rate.months_after_end.is_some()),
            ("retention_rate", self.indicators.retention_rate.min_months.is_some()),
        ] {
            if !needed {
                problems.push(format!("indicators.toml: {id} lacks its window setting (days_after_end, months_after_end or min_months)"));
            }
        }

        let cutoffs = self.tiers.cutoffs;
        if !(cutoffs.c <= cutoffs.b && cutoffs.b <= cutoffs.a && cutoffs.a <= 100.0 && cutoffs.c >= 0.0) {
            problems.push(format!(
                "tiers.toml: cutoffs must satisfy 0 ≤ c ≤ b ≤ a ≤ 100 (found c {}, b {}, a {})",
                cutoffs.c, cutoffs.b, cutoffs.a
            ));
        }
        if !(0.0..=1.0).contains(&cutoffs.high_priority_risk_score) {
            problems.push("tiers.toml: cutoffs.high_priority_risk_score must be 0–1".into());
        }
        // Above the high-priority cut-off it could never apply: such a lead is tier C already.
        if !(0.0..=cutoffs.high_priority_risk_score).contains(&cutoffs.uplift_hold_risk_score) {
            problems.push(format!(
                "tiers.toml: cutoffs.uplift_hold_risk_score must be 0 … high_priority_risk_score ({}), found {}",
                cutoffs.high_priority_risk_score, cutoffs.uplift_hold_risk_score
            ));
        }
        if self.tiers.actions.ban_quarters == 0 {
            problems.push("tiers.toml: actions.ban_quarters must be at least 1".into());
        }
        problems
    }

    /// The monthly minimum wage of a district in fen, or an error naming the district.
    pub fn minimum_wage_fen(&self, district: &str) -> Result<i64> {
        self.minimum_wage_fen.get(district).copied().ok_or_else(|| {
            Error::invalid(format!(
                "policy.toml: district '{district}' of an institution has no minimum wage in [minimum_wage] (known: {})",
                self.minimum_wage_fen.keys().cloned().collect::<Vec<_>>().join(", ")
            ))
        })
    }

    /// Whether rule `id` runs.
    pub fn enabled(&self, id: RuleId) -> bool {
        self.rule_settings.get(&id).is_some_and(|setting| setting.enabled)
    }

    /// The severity of rule `id`'s flags (`DECISION`, which `rules.toml` does not set: medium).
    pub fn severity(&self, id: RuleId) -> Severity {
        self.rule_settings.get(&id).map(|setting| setting.severity).unwrap_or(Severity::Medium)
    }
}

/// A TOML error of policy file `name` as a problem line: `NAME: message (line N)`.
pub(crate) fn toml_problem(name: &str, text: &str, error: &toml::de::Error) -> String {
    let line = error.span().map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
    let place = line.map(|line| format!(" (line {line})")).unwrap_or_default();
    format!("{name}: {}{place}", error.message().trim())
}

/// The policy folder [`Policy::resolve`] reads: `dir`, else `./pipelines` when it holds a policy;
/// `None` for the built-in defaults.
fn chosen_folder(dir: Option<&Path>) -> Option<PathBuf> {
    match dir {
        Some(dir) => Some(dir.to_path_buf()),
        None if Path::new("pipelines/policy.toml").is_file() => Some(PathBuf::from("pipelines")),
        None => None,
    }
}

/// The text of policy file `name` as [`Policy::resolve`] would read it.
fn chosen_text(dir: Option<&Path>, name: &str) -> Option<String> {
    match chosen_folder(dir) {
        Some(dir) => std::fs::read_to_string(dir.join(name)).ok(),
        None => DEFAULTS.iter().find(|(file, _)| *file == name).map(|(_, text)| text.to_string()),
    }
}

/// The problem of the export's `districts` that have no minimum wage among `known`, if any.
pub(crate) fn unknown_districts(districts: &[String], known: &[String]) -> Option<String> {
    let mut unknown: Vec<&String> = districts.iter().filter(|district| !known.contains(district)).collect();
    unknown.sort();
    unknown.dedup();
    (!unknown.is_empty()).then(|| {
        format!(
            "policy.toml: district(s) {} of the export's institutions have no minimum wage in [minimum_wage] (known: {})",
            unknown.iter().map(|d| format!("'{d}'")).collect::<Vec<_>>().join(", "),
            known.join(", ")
        )
    })
}

/// A folder holding a copy of the default policy, for tests and for bureaus starting their own.
pub fn write_defaults(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("creating a policy folder", dir, e))?;
    let mut written = Vec::new();
    for (name, text) in DEFAULTS {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| Error::io("writing a policy file", &path, e))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts_with(name: &str, replace: (&str, &str)) -> Vec<(String, String)> {
        DEFAULTS
            .iter()
            .map(|(n, t)| (n.to_string(), if *n == name { t.replace(replace.0, replace.1) } else { t.to_string() }))
            .collect()
    }

    fn problems(texts: Vec<(String, String)>) -> Vec<String> {
        match Policy::from_texts(texts, "test".into(), Path::new("test")) {
            Err(Error { kind: ErrorKind::Policy { problems, .. } }) => problems,
            other => panic!("expected a policy error, got {other:?}"),
        }
    }

    #[test]
    fn defaults_load_and_match_the_spec() {
        let policy = Policy::defaults().unwrap();
        assert_eq!(policy.minimum_wage_fen("历下区").unwrap(), 220_000);
        assert_eq!(policy.minimum_wage_fen("商河县").unwrap(), 201_000);
        assert_eq!(policy.rules.training.max_lines_per_year, 3);
        assert_eq!(policy.indicators.pass_rate.weight, 25.0);
        assert_eq!(policy.tiers.cutoffs.a, 85.0);
        assert_eq!(policy.hash.len(), 64);
        assert!(policy.enabled(RuleId::R01) && policy.enabled(RuleId::P04));
        assert_eq!((policy.severity(RuleId::R01), policy.severity(RuleId::R11), policy.severity(RuleId::Decision)), (Severity::High, Severity::Low, Severity::Medium));
    }

    #[test]
    fn unknown_key_is_refused_with_its_name() {
        let found = problems(texts_with("tiers.toml", ("ban_quarters = 4", "ban_quarters = 4\nban_years = 1")));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0], "tiers.toml: unknown field `ban_years`, expected `subsidy_uplift_pct` or `ban_quarters` (line 41)");
    }

    #[test]
    fn an_uplift_hold_score_above_the_high_priority_cut_off_is_refused() {
        let found = problems(texts_with("tiers.toml", ("uplift_hold_risk_score = 0.3", "uplift_hold_risk_score = 0.91")));
        assert_eq!(found, vec!["tiers.toml: cutoffs.uplift_hold_risk_score must be 0 … high_priority_risk_score (0.9), found 0.91".to_string()]);
    }

    #[test]
    fn every_problem_is_listed_at_once() {
        let mut texts = texts_with("indicators.toml", ("target = 0.95", "target = 0.50"));
        texts = texts
            .into_iter()
            .map(|(n, t)| if n == "tiers.toml" { (n, t.replace("a = 85.0", "a = 55.0")) } else { (n, t) })
            .map(|(n, t)| if n == "rules.toml" { (n, t.replace("[R12]", "[R99]")) } else { (n, t) })
            .collect();
        let found = problems(texts);
        assert_eq!(
            found,
            vec![
                "rules.toml: rule R12 is missing".to_string(),
                "rules.toml: unknown rule R99 (known: R01, R02, R03, R04, R05, R06, R07, R08, R09, R10, R11, R12, P01, P02, P03, P04)".to_string(),
                "indicators.toml: completion_rate.target 0.5 must be above its floor 0.6".to_string(),
                "tiers.toml: cutoffs must satisfy 0 ≤ c ≤ b ≤ a ≤ 100 (found c 60, b 70, a 55)".to_string(),
            ]
        );
    }

    #[test]
    fn a_severity_or_a_rule_outside_the_vocabulary_is_refused() {
        let found = problems(texts_with("rules.toml", ("[R11]\nname = \"over_standard\"\nenabled = true\nseverity = \"low\"", "[R11]\nname = \"over_standard\"\nenabled = true\nseverity = \"urgent\"")));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("rules.toml: unknown severity 'urgent' (expected one of low, medium, high)"), "{}", found[0]);
        // DECISION is a finding of a case decision, not a rule a bureau switches on or off.
        let found = problems(texts_with("rules.toml", ("[R12]", "[DECISION]")));
        assert_eq!(
            found,
            vec![
                "rules.toml: rule R12 is missing".to_string(),
                "rules.toml: unknown rule DECISION (known: R01, R02, R03, R04, R05, R06, R07, R08, R09, R10, R11, R12, P01, P02, P03, P04)".to_string(),
            ]
        );
    }

    #[test]
    fn a_district_without_a_wage_is_an_error_naming_it() {
        let policy = Policy::defaults().unwrap();
        let error = policy.minimum_wage_fen("高新区").unwrap_err().to_string();
        assert!(error.starts_with("policy.toml: district '高新区' of an institution has no minimum wage"), "{error}");
    }
}
