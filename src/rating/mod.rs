//! Rating: each institution's indicators, points, score, credit tier and action for the
//! quarter, with the rule that set the tier as a code and its numbers ([`score::TierRule`]) and
//! the reasons rendered in the run's language, and the updated sanctions ledger that the next
//! quarter reads. Tiers follow `../shared/spec/policy.md` ("Tiers and what follows") in its
//! order; the previous run (`--previous`) supplies previous tiers for the C→A guard.

pub mod budget;
mod ledger;
pub mod score;

use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::ingest::contract::Table;
use crate::ingest::Export;
use crate::policy::Policy;
use crate::quarter::Quarter;
use crate::rules::sanctions::{Sanction, Standing};
use crate::rules::{self, Findings};
use crate::query::CollectStreaming;
use polars::prelude::*;
use crate::vocab::messages::rating as m;
use crate::vocab::{Action, IndicatorId, Lang, Message};
use score::{Deductions, Disqualification, LeadStanding, Tier, TierInputs, TierRule};
use std::collections::HashMap;

pub use crate::features::indicators::{IndicatorTable, INDICATORS};
pub use ledger::updated_ledger;

/// What the previous run said about an institution.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviousRating {
    pub tier: Tier,
    /// The last tier other than N (what N "keeps").
    pub last_rated: Option<Tier>,
}

/// One institution's rating.
#[derive(Debug, Clone)]
pub struct Rating {
    pub institution_id: String,
    pub name: Option<String>,
    pub kind: String,
    pub district: String,
    pub values: [Option<f64>; 6],
    pub points: [Option<f64>; 6],
    pub weighted_points: Option<f64>,
    pub deductions: Deductions,
    /// Score before the N rule hides it.
    pub score: Option<f64>,
    pub completed_enrollments: i64,
    pub breach_lines: i64,
    pub procedural_findings: i64,
    pub violations: i64,
    pub breach_share_percent: f64,
    pub risk_score: Option<f64>,
    /// Its rank among the investigation leads (`None`: not a lead).
    pub lead_rank: Option<u32>,
    /// Why the uplift is held (`lead`, `open_case`, or both joined by a comma), for `uplift_held`.
    pub uplift_hold: Option<String>,
    /// The open case that holds the uplift, if one does.
    pub hold_case: Option<String>,
    pub tier: Tier,
    /// The tier's action, or `uplift_held` / `watch` where the lead changes it.
    pub action: Action,
    pub previous_tier: Option<Tier>,
    pub tier_rule: TierRule,
    pub subsidy_uplift_pct: f64,
    pub banned_until: Option<Quarter>,
    pub new_ban: bool,
    /// Why, in parts (indicators, deductions, the tier's rule, holds), rendered in the run's
    /// language when the table is written.
    pub reasons: Vec<Reason>,
}

/// One part of an institution's reasons.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// A message of the catalogue with its arguments.
    Said(&'static Message, Vec<(&'static str, String)>),
    /// The tier and the rule that set it, with the score when the rule does not state it.
    Tier { tier: Tier, rule: TierRule, score: Option<f64> },
}

impl Reason {
    fn said(message: &'static Message, args: &[(&'static str, String)]) -> Reason {
        Reason::Said(message, args.to_vec())
    }

    /// The part in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let render = |message: &Message, args: &[(&str, String)]| {
            let named: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
            message.render(lang, &named)
        };
        match self {
            Reason::Said(message, args) => render(message, args),
            Reason::Tier { tier, rule, score } => {
                let mut said = rule.render(lang);
                if let Some(score) = score.filter(|_| !rule.states_score()) {
                    said.push_str(&render(&m::WITH_SCORE, &[("score", format!("{score:.2}"))]));
                }
                render(&m::TIER_IS, &[("tier", tier.to_string()), ("rule", said)])
            }
        }
    }
}

/// An institution's reasons in `lang`, joined.
pub fn render_reasons(reasons: &[Reason], lang: Lang) -> String {
    reasons.iter().map(|r| r.render(lang)).collect::<Vec<_>>().join(m::SEPARATOR.template(lang))
}

/// The message of an indicator's part of the reasons.
fn indicator_message(id: IndicatorId) -> &'static Message {
    match id {
        IndicatorId::CompletionRate => &m::COMPLETION_RATE,
        IndicatorId::PassRate => &m::PASS_RATE,
        IndicatorId::EmploymentRate => &m::EMPLOYMENT_RATE,
        IndicatorId::RetentionRate => &m::RETENTION_RATE,
        IndicatorId::Satisfaction => &m::SATISFACTION,
        IndicatorId::Compliance => &m::COMPLIANCE,
    }
}

/// Reads the previous run's tiers (`institution_scores.parquet`).
pub fn previous_ratings(previous: &std::path::Path) -> Result<HashMap<String, PreviousRating>> {
    let path = previous.join("institution_scores.parquet");
    if !path.is_file() {
        return Ok(HashMap::new());
    }
    let frame = LazyFrame::scan_parquet(PlRefPath::from(path.to_string_lossy().as_ref()), Default::default())
        .and_then(|scan| scan.select([col(c::INSTITUTION_ID), col("tier"), col("previous_tier")]).collect_streaming())
        .context(&format!("reading previous tiers from {}", path.display()))?;
    let ids = frame.column(c::INSTITUTION_ID).context("previous")?.str().context("previous")?;
    let tiers = frame.column("tier").context("previous")?.str().context("previous")?;
    let before = frame.column("previous_tier").context("previous")?.str().context("previous")?;
    let mut ratings = HashMap::new();
    for i in 0..frame.height() {
        let (Some(id), Some(tier)) = (ids.get(i), tiers.get(i).and_then(Tier::parse)) else { continue };
        let last_rated = if tier == Tier::N { before.get(i).and_then(Tier::parse) } else { Some(tier) };
        ratings.insert(id.to_string(), PreviousRating { tier, last_rated });
    }
    Ok(ratings)
}

fn count_map(frame: &DataFrame, filter: Expr, what: &str) -> Result<HashMap<String, i64>> {
    let counted = frame
        .clone()
        .lazy()
        .filter(filter)
        .group_by([col(c::INSTITUTION_ID)])
        .agg([len().cast(DataType::Int64).alias("count")])
        .collect_streaming()
        .context(what)?;
    let ids = counted.column(c::INSTITUTION_ID).context(what)?.str().context(what)?;
    let counts = counted.column("count").context(what)?.i64().context(what)?;
    Ok((0..counted.height()).filter_map(|i| Some((ids.get(i)?.to_string(), counts.get(i)?))).collect())
}

/// Per institution: sum of effective parts and of line amounts over lines of non-rejected claims
/// in scope (the breach share's numerator and denominator, fen).
fn breach_shares(lines: &DataFrame) -> Result<HashMap<String, (i64, i64)>> {
    let frame = lines
        .clone()
        .lazy()
        .filter(col(c::CLAIM_STATUS).neq(lit("rejected")))
        .group_by([col(c::INSTITUTION_ID)])
        .agg([col(rules::PART_FEN).sum().alias("parts"), col(c::LINE_AMOUNT_FEN).sum().alias("amounts")])
        .collect_streaming()
        .context("breach shares")?;
    let ids = frame.column(c::INSTITUTION_ID).context("shares")?.str().context("shares")?;
    let parts = frame.column("parts").context("shares")?.i64().context("shares")?;
    let amounts = frame.column("amounts").context("shares")?.i64().context("shares")?;
    Ok((0..frame.height()).filter_map(|i| Some((ids.get(i)?.to_string(), (parts.get(i).unwrap_or(0), amounts.get(i).unwrap_or(0))))).collect())
}

fn percent(value: f64) -> String {
    format!("{:.1}%", value * 100.0)
}

/// Rates every kept institution for `quarter` from its indicators (`table`, computed once for
/// signals and rating), the rules' findings and the standing sanctions and decisions.
pub fn rate(
    export: &Export,
    policy: &Policy,
    quarter: Quarter,
    findings: &Findings,
    table: &IndicatorTable,
    standing: &Standing,
    previous: &HashMap<String, PreviousRating>,
    leads: &HashMap<String, LeadStanding>,
    open_cases: &HashMap<String, score::OpenCase>,
) -> Result<Vec<Rating>> {
    let specs = &policy.indicators;
    let completed = &table.completed;
    let breach_lines = count_map(&findings.lines_in_scope, col(rules::BREACH), "breach lines")?;
    let procedural = count_map(&findings.procedural, col(rules::OVERTURNED).not(), "procedural findings")?;
    let shares = breach_shares(&findings.lines_in_scope)?;

    let institutions = export.frame(Table::Institutions).sort([c::INSTITUTION_ID], SortMultipleOptions::default()).context("institutions")?;
    let ids = institutions.column(c::INSTITUTION_ID).context("institutions")?.str().context("institutions")?;
    let names = institutions.column(c::NAME).context("institutions")?.str().context("institutions")?;
    let kinds = institutions.column(c::KIND).context("institutions")?.str().context("institutions")?;
    let districts = institutions.column(c::DISTRICT).context("institutions")?.str().context("institutions")?;
    let weights: Vec<(&str, &crate::policy::Indicator)> = specs.all().to_vec();

    let mut ratings = Vec::new();
    for i in 0..institutions.height() {
        let Some(id) = ids.get(i) else { continue };
        let mut values = [None; 6];
        let mut points = [None; 6];
        let mut reasons = Vec::new();
        for (index, (name, indicator)) in weights.iter().enumerate() {
            let Some(value) = table.values(id)[index] else { continue };
            let earned = score::points(value, indicator.floor, indicator.target);
            values[index] = Some(value);
            points[index] = Some(earned);
            if let Some(id) = IndicatorId::parse(name) {
                reasons.push(Reason::said(
                    indicator_message(id),
                    &[("value", percent(value)), ("floor", percent(indicator.floor)), ("target", percent(indicator.target)), ("points", format!("{earned:.0}"))],
                ));
            }
        }
        let weighted = score::weighted_points(&weights.iter().zip(points).map(|((_, indicator), p)| (indicator.weight, p)).collect::<Vec<_>>());
        let breaches = breach_lines.get(id).copied().unwrap_or(0);
        let procedural_count = procedural.get(id).copied().unwrap_or(0);
        let violations = standing
            .decisions
            .get(id)
            .map(|list| list.iter().filter(|d| d.finding == "violation" && quarter.contains(d.decided_on)).count())
            .unwrap_or(0);
        let deductions = Deductions::new(breaches as usize, procedural_count as usize, violations, policy);
        for (message, count, points) in [
            (&m::BREACH_LINES, breaches, deductions.breach_lines),
            (&m::PROCEDURAL, procedural_count, deductions.procedural),
            (&m::VIOLATIONS, violations as i64, deductions.violations),
        ] {
            if count > 0 {
                reasons.push(Reason::said(message, &[("count", count.to_string()), ("points", format!("{points:.0}"))]));
            }
        }
        let score = weighted.map(|w| score::score(w, &deductions));
        let (parts, amounts) = shares.get(id).copied().unwrap_or((0, 0));
        let share = if amounts > 0 { 100.0 * parts as f64 / amounts as f64 } else { 0.0 };
        let previous_rating = previous.get(id);
        let previous_tier = previous_rating.and_then(|p| p.last_rated);
        let lead = leads.get(id);
        let high_priority = lead.is_some_and(|l| l.high_priority);
        let inputs = TierInputs {
            disqualified: disqualification(standing, id, quarter),
            ban_in_force: ban_in_force(standing, id, quarter),
            score,
            breach_share_percent: share,
            completed_enrollments: completed.get(id).copied().unwrap_or(0),
            high_priority_lead: high_priority,
            breach_line_in_quarter: breaches > 0,
            previous_tier,
        };
        let decision = score::decide_tier(&inputs, policy, quarter);
        if share > 0.0 {
            reasons.push(Reason::said(&m::BREACH_SHARE, &[("share", format!("{share:.2}"))]));
        }
        let shown_score = if decision.tier == Tier::N { None } else { score };
        reasons.push(Reason::Tier { tier: decision.tier, rule: decision.because, score: shown_score });
        // A `cleared` decision dated in Q−3 … Q releases a lead's hold (the lead's data window).
        let cleared_on = standing.decisions.get(id).and_then(|list| {
            list.iter()
                .filter(|d| d.finding == "cleared" && d.decided_on >= quarter.offset(-3).first_day() && d.decided_on <= quarter.last_day())
                .map(|d| d.decided_on)
                .max()
        });
        let action = score::decide_action(decision.tier, high_priority, score::holds(lead, open_cases.get(id), cleared_on, policy), policy);
        if let (Some(day), Some(l)) = (cleared_on, lead.filter(|l| l.rank.is_some())) {
            if decision.tier == Tier::A && l.risk_score >= policy.tiers.cutoffs.uplift_hold_risk_score {
                reasons.push(Reason::said(&m::LEAD_CLEARED, &[("risk", format!("{:.3}", l.risk_score)), ("decided_on", day.to_string())]));
            }
        }
        reasons.extend(action.holds.iter().map(|hold| {
            let (message, args) = hold.message();
            Reason::Said(message, args)
        }));
        if decision.tier == Tier::N && action.action == Action::Watch {
            reasons.push(Reason::said(&m::WATCH_LEAD, &[]));
        }
        ratings.push(Rating {
            institution_id: id.to_string(),
            name: names.get(i).map(str::to_string),
            kind: kinds.get(i).unwrap_or_default().to_string(),
            district: districts.get(i).unwrap_or_default().to_string(),
            values,
            points,
            weighted_points: weighted,
            deductions,
            score,
            completed_enrollments: inputs.completed_enrollments,
            breach_lines: breaches,
            procedural_findings: procedural_count,
            violations: violations as i64,
            breach_share_percent: share,
            risk_score: lead.map(|l| l.risk_score),
            lead_rank: lead.and_then(|l| l.rank),
            uplift_hold: (!action.holds.is_empty()).then(|| action.holds.iter().map(score::Hold::code).collect::<Vec<_>>().join(",")),
            hold_case: action.holds.iter().find_map(|hold| match hold {
                score::Hold::OpenCase(case) => Some(case.case_id.clone()),
                score::Hold::Lead { .. } => None,
            }),
            tier: decision.tier,
            action: action.action,
            previous_tier: previous_rating.map(|p| if p.tier == Tier::N { p.last_rated.unwrap_or(Tier::N) } else { p.tier }),
            tier_rule: decision.because,
            subsidy_uplift_pct: action.subsidy_uplift_pct,
            banned_until: decision.banned_until,
            new_ban: decision.new_ban,
            reasons,
        });
    }
    Ok(ratings)
}

/// Why an institution is disqualified in `quarter`: a standing fraud_confirmed decision, or a
/// `disqualified` sanction not ended by a later clearance.
pub fn disqualification(standing: &Standing, institution: &str, quarter: Quarter) -> Option<Disqualification> {
    if let Some(decision) = standing.disqualifying_decision(institution, quarter.last_day()) {
        return Some(Disqualification::Decision { decided_on: decision.decided_on });
    }
    let sanction = standing.sanctions.get(institution)?.iter().find(|s| s.kind == "disqualified" && s.covers(quarter))?;
    let cleared_since = standing.decisions.get(institution).is_some_and(|list| {
        list.iter().any(|d| d.finding == "cleared" && d.decided_on >= sanction.from.first_day() && d.decided_on <= quarter.last_day())
    });
    (!cleared_since).then_some(Disqualification::Sanction { from: sanction.from, until: sanction.until })
}

/// The last quarter of a `ban` in force in `quarter` (`Some(None)`: a ban with no end).
pub fn ban_in_force(standing: &Standing, institution: &str, quarter: Quarter) -> Option<Option<Quarter>> {
    let bans: Vec<&Sanction> = standing.sanctions.get(institution)?.iter().filter(|s| s.kind == "ban" && s.covers(quarter)).collect();
    if bans.is_empty() {
        return None;
    }
    if bans.iter().any(|s| s.until.is_none()) {
        return Some(None);
    }
    Some(bans.iter().filter_map(|s| s.until).max())
}

/// `institution_scores.parquet`, sorted by institution: `tier_rule` keeps the rule's code and
/// `tier_rule_args` its numbers; `reasons` is rendered in `lang`, the run's language.
pub fn scores_table(ratings: &[Rating], quarter: Quarter, lang: Lang) -> Result<DataFrame> {
    let height = ratings.len();
    let text = |f: &dyn Fn(&Rating) -> Option<String>| ratings.iter().map(f).collect::<Vec<_>>();
    let mut columns = vec![
        Column::new(c::INSTITUTION_ID.into(), text(&|r| Some(r.institution_id.clone()))),
        Column::new("quarter".into(), vec![quarter.to_string(); height]),
        Column::new(c::NAME.into(), text(&|r| r.name.clone())),
        Column::new(c::KIND.into(), text(&|r| Some(r.kind.clone()))),
        Column::new(c::DISTRICT.into(), text(&|r| Some(r.district.clone()))),
    ];
    for (index, id) in INDICATORS.iter().enumerate() {
        columns.push(Column::new((*id).into(), ratings.iter().map(|r| r.values[index]).collect::<Vec<_>>()));
    }
    for (index, id) in INDICATORS.iter().enumerate() {
        columns.push(Column::new(format!("{id}_points").into(), ratings.iter().map(|r| r.points[index].map(score::round_score)).collect::<Vec<_>>()));
    }
    columns.extend([
        Column::new("weighted_points".into(), ratings.iter().map(|r| r.weighted_points.map(score::round_score)).collect::<Vec<_>>()),
        Column::new("deductions".into(), ratings.iter().map(|r| r.deductions.total()).collect::<Vec<_>>()),
        Column::new("score".into(), ratings.iter().map(|r| if r.tier == Tier::N { None } else { r.score }).collect::<Vec<_>>()),
        Column::new("risk_score".into(), ratings.iter().map(|r| r.risk_score).collect::<Vec<_>>()),
        Column::new("tier".into(), text(&|r| Some(r.tier.to_string()))),
        Column::new("previous_tier".into(), text(&|r| r.previous_tier.map(|t| t.to_string()))),
        Column::new("action".into(), text(&|r| Some(r.action.as_str().to_string()))),
        Column::new("subsidy_uplift_pct".into(), ratings.iter().map(|r| r.subsidy_uplift_pct).collect::<Vec<_>>()),
        Column::new("banned_until".into(), text(&|r| r.banned_until.map(|q| q.to_string()))),
        Column::new("reasons".into(), text(&|r| Some(render_reasons(&r.reasons, lang)))),
        Column::new("tier_rule".into(), text(&|r| Some(r.tier_rule.code().to_string()))),
        tier_rule_args(ratings)?,
        Column::new("completed_enrollments".into(), ratings.iter().map(|r| r.completed_enrollments).collect::<Vec<_>>()),
        Column::new("breach_lines".into(), ratings.iter().map(|r| r.breach_lines).collect::<Vec<_>>()),
        Column::new("procedural_findings".into(), ratings.iter().map(|r| r.procedural_findings).collect::<Vec<_>>()),
        Column::new("violations".into(), ratings.iter().map(|r| r.violations).collect::<Vec<_>>()),
        Column::new("breach_share".into(), ratings.iter().map(|r| r.breach_share_percent / 100.0).collect::<Vec<_>>()),
        Column::new("lead_rank".into(), ratings.iter().map(|r| r.lead_rank).collect::<Vec<_>>()),
        Column::new("uplift_hold".into(), text(&|r| r.uplift_hold.clone())),
        Column::new("hold_case".into(), text(&|r| r.hold_case.clone())),
    ]);
    DataFrame::new(height, columns).context("building institution scores")
}

/// `tier_rule_args`: each rating's rule's numbers as a `list[str]`.
fn tier_rule_args(ratings: &[Rating]) -> Result<Column> {
    let mut builder = ListStringChunkedBuilder::new("tier_rule_args".into(), ratings.len(), ratings.len() * 4);
    for rating in ratings {
        let stored = rating.tier_rule.stored();
        builder.append_values_iter(stored.iter().map(String::as_str));
    }
    Ok(builder.finish().into_series().into_column())
}

/// Quarters of history a run carries forward (for trends and migration matrices).
pub const HISTORY_QUARTERS: i32 = 8;

/// `history.parquet`: this quarter's tiers and indicators after the previous run's history (its
/// rows for earlier quarters, the last [`HISTORY_QUARTERS`] quarters), sorted by quarter and
/// institution.
pub fn history_table(scores: &DataFrame, previous: Option<&std::path::Path>, quarter: Quarter) -> Result<DataFrame> {
    let mut columns = vec![col("quarter"), col(c::INSTITUTION_ID), col("score"), col("risk_score"), col("tier"), col("action")];
    columns.extend(INDICATORS.iter().map(|id| col(*id)));
    let current = scores.clone().lazy().select(columns.clone());
    let oldest = quarter.offset(-(HISTORY_QUARTERS - 1)).to_string();
    let mut frames = Vec::new();
    if let Some(path) = previous.map(|p| p.join("history.parquet")).filter(|p| p.is_file()) {
        let earlier = LazyFrame::scan_parquet(PlRefPath::from(path.to_string_lossy().as_ref()), Default::default())
            .context(&format!("reading {}", path.display()))?
            .select(columns)
            // Quarter text sorts like the quarters themselves (YYYYQn).
            .filter(col("quarter").lt(lit(quarter.to_string())).and(col("quarter").gt_eq(lit(oldest))));
        frames.push(earlier);
    }
    frames.push(current);
    concat(frames, UnionArgs::default())
        .and_then(|all| all.sort(["quarter", c::INSTITUTION_ID], SortMultipleOptions::default().with_maintain_order(true)).collect_streaming())
        .context("building the history table")
}
