//! Risk signals: what is statistically unusual about an institution against its peers, combined
//! into a ranked list of investigation leads, each with the facts a person can check.
//!
//! Signals never ban an institution or recover money (`../shared/spec/policy.md`, "Risk
//! signals"): they rank leads, and a high-priority lead (`risk_score` ≥ `tiers.toml`'s
//! `cutoffs.high_priority_risk_score`) puts the institution on watch, tier C at best.
//!
//! ```text
//! export + findings + indicators
//!   → one module per signal: a measurement per institution (value, rows behind it, facts)
//!   → robust::judge against the institution's peers (same kind when ≥ min_peers, else all;
//!     median and MAD, never mean and sd) → fired, robust z, strength
//!   → outlier (robust Mahalanobis distance of the outcome-indicator profile, above peers only)
//!   → risk (graded evidence of every signal, fired or not; a logistic model on case
//!     decisions shrunk toward it) → leads (statistical, then breaches only; related leads), flags
//! ```
//!
//! Signals: `benford`, `synchronized_sign_ins`, `manual_sign_ins` and `bulk_sign_ins` (sign_ins),
//! `score_heaping` and `assessor_pass_rate` (exams), `short_employment`,
//! `employer_concentration` and `employment_clusters` (employment), `shared_contacts` (rings),
//! `recycled_trainees` (recycling), `successor`, `outlier`.
//!
//! Data windows (quarter offsets from the evaluated quarter Q, in `signals.toml`): claims
//! submitted, sign-ins dated, exams sat and classes ending in Q−3 … Q (`window`); jobs after
//! classes ending in Q−5 … Q−1 (`short_employment.window`: a job's end must be visible).
//! Same inputs give the same outputs: every map is sorted, ties are broken by institution id,
//! and nothing is random.

pub mod behind;
pub mod benford;
/// The settings of `pipelines/signals.toml` live with the rest of the policy.
pub use crate::policy::signals as config;
mod data;
pub mod employment;
pub mod exams;
pub mod outlier;
pub mod recycling;
pub mod rings;
pub mod risk;
pub mod robust;
pub mod sign_ins;
pub mod successor;
mod tables;

pub use config::SignalsConfig;

use crate::error::Result;
use crate::progress::timed;
use crate::features::indicators::IndicatorTable;
use crate::ingest::Export;
use crate::policy::Policy;
use crate::quarter::Quarter;
use crate::rating::score::LeadStanding;
use crate::rules::Findings;
use crate::vocab::messages::nested::Sentence;
use crate::vocab::messages::signals as m;
use crate::vocab::SignalId;
use chrono::NaiveDate;
use polars::prelude::DataFrame;
use robust::{Direction, PeerStats};
use std::collections::{BTreeMap, HashMap};

pub use crate::policy::signals::SIGNALS;

/// What [`detect`] needs.
pub struct SignalsInput<'a> {
    pub export: &'a Export,
    pub findings: &'a Findings,
    pub indicators: &'a IndicatorTable,
    pub policy: &'a Policy,
    pub config: &'a SignalsConfig,
    pub quarter: Quarter,
    /// Institutions whose cases the previous ledger holds closed and resolved: `true` confirmed,
    /// `false` cleared or false positive (`cases::CaseStanding::labels`). Labels for the risk model
    /// beside the export's case decisions.
    pub case_labels: &'a BTreeMap<String, bool>,
}

/// What [`detect`] found.
#[derive(Debug, Clone)]
pub struct Leads {
    /// `leads.parquet`: `rank` (u32, 1 = most suspicious), `institution_id`, `name`, `kind`,
    /// `risk_score`, `high_priority`, `signals` (fired signal names, strongest first),
    /// `signal_count`, `breach_lines`, `breach_share`, `cleared_on`, `evidence`, `risk_evidence`,
    /// `contributions`, `lead_list`, `related_leads`, `list_rank`, then the `_code`/`_args`
    /// columns its texts are rendered from ([`render_leads`]); sorted by rank.
    pub leads: DataFrame,
    /// Rows for `flags.parquet`: `flag_id`, `kind` (`signal`), `rule`, `severity`,
    /// `institution_id`, `entity_kind`, `entity_id`, `amount_fen` (0), `evidence`, `overturned`,
    /// `evidence_code`, `evidence_args` (the text is rendered when the run is written).
    pub signal_flags: DataFrame,
    /// `signal_values.parquet`: one row per institution × signal computed: `institution_id`,
    /// `signal`, `value`, `peer_value`, `threshold` (the value from which it fires), `fired`,
    /// `rows`, `robust_z`, `strength`, `peers` (who was compared), `evidence`, `unit` (of value,
    /// peer_value and threshold: [`unit`]), then `peers_code`/`peers_args` and
    /// `evidence_code`/`evidence_args` the texts are rendered from.
    pub signal_values: DataFrame,
    /// `benford_digits.parquet`: observed first-digit counts against Benford's shares.
    pub benford_digits: DataFrame,
    /// `lead_evidence.parquet` and `lead_money.parquet` ([`behind`]): the rows behind every
    /// signal that counts for a lead, and the money paid and pending in each signal's window.
    pub lead_evidence: behind::LeadEvidence,
    /// institution → its risk score, high priority and lead rank, for every institution, for
    /// rating (the uplift hold and watch).
    pub risk: HashMap<String, LeadStanding>,
    /// For `summary.json`'s `notes["risk_model"]`.
    pub model: serde_json::Value,
}

/// A concrete row behind a fired signal: one flag.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// `institution`, `class`, `enrollment`, …: the flags' `entity_kind`.
    pub kind: &'static str,
    pub id: String,
    pub evidence: Sentence,
}

/// One institution's measurement of one signal, before the comparison with peers.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    pub value: f64,
    /// How many rows the value rests on.
    pub rows: i64,
    /// Whether the signal's own absolute conditions hold (besides the peer comparison).
    pub passes_bar: bool,
    /// The facts behind the value, with concrete rows.
    pub facts: Sentence,
    /// Rows for flags when the signal fires (none: one flag on the institution).
    pub entities: Vec<Entity>,
}

/// One signal of one institution, judged against its peers.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalValue {
    pub institution_id: String,
    pub signal: SignalId,
    pub value: f64,
    pub peer_value: f64,
    pub threshold: f64,
    pub fired: bool,
    pub rows: i64,
    pub z: f64,
    /// Whether `z` measures a distance from enough peers (at least `min_comparable`), so that
    /// the risk score may grade it whether or not it fired; false for too few peers and for
    /// facts without peers (successor), which count by their strength when they fire.
    pub comparable: bool,
    /// 0–1: the flags' severity, and a fact's contribution to the risk score when it fires.
    pub strength: f64,
    /// Who was compared.
    pub peers: Sentence,
    pub evidence: Sentence,
    /// The value against its peers in one line, for the flags of concrete entities.
    pub summary: Sentence,
    pub entities: Vec<Entity>,
    /// What ties this institution to others in this signal's evidence, as keys: `institution:ID`
    /// (another institution named: the sanctioned one a successor follows, the partner sharing
    /// recycled trainees) or `assessor:ID` (the assessor whose pass rate is suspect). Leads
    /// sharing a key, or naming each other, are related leads.
    pub related: Vec<String>,
}

/// Everything the signal modules share.
pub struct Context<'a> {
    pub export: &'a Export,
    pub findings: &'a Findings,
    pub indicators: &'a IndicatorTable,
    pub policy: &'a Policy,
    pub config: &'a SignalsConfig,
    pub quarter: Quarter,
    /// See [`SignalsInput::case_labels`].
    pub case_labels: &'a BTreeMap<String, bool>,
    /// Every kept institution → kind, in id order.
    pub kinds: BTreeMap<String, String>,
    /// First and last day of the signal window.
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl<'a> Context<'a> {
    pub fn new(input: &SignalsInput<'a>) -> Result<Context<'a>> {
        let institutions = input.export.frame(crate::ingest::contract::Table::Institutions);
        let ids = data::text(institutions, crate::columns::INSTITUTION_ID)?;
        let kinds = data::text(institutions, crate::columns::KIND)?;
        let kinds = ids
            .iter()
            .zip(kinds.iter())
            .filter_map(|(id, kind)| Some((id.as_ref()?.to_string(), kind.unwrap_or("").to_string())))
            .collect();
        let [first, last] = input.config.window;
        Ok(Context {
            export: input.export,
            findings: input.findings,
            indicators: input.indicators,
            policy: input.policy,
            config: input.config,
            quarter: input.quarter,
            case_labels: input.case_labels,
            kinds,
            from: input.quarter.offset(first).first_day(),
            to: input.quarter.offset(last).last_day(),
        })
    }

    /// The window as quarters: "2025Q4–2026Q3".
    pub fn window_label(&self) -> String {
        quarters_label(self.quarter, self.config.window)
    }
}

/// "2025Q4–2026Q3" for offsets `[from, to]` of `quarter`.
pub fn quarters_label(quarter: Quarter, [from, to]: [i32; 2]) -> String {
    if from == to {
        quarter.offset(from).to_string()
    } else {
        format!("{}–{}", quarter.offset(from), quarter.offset(to))
    }
}

/// How a signal's comparison with peers is made.
#[derive(Debug, Clone, Copy)]
pub struct Comparison {
    pub direction: Direction,
    /// The signal's absolute bar (for the threshold column).
    pub bar: f64,
    pub z_threshold: f64,
    pub min_scale: f64,
    /// How values read in evidence.
    pub format: fn(f64) -> String,
}

/// Judges every institution's measurement against its peers.
pub fn judge_all(ctx: &Context, signal: SignalId, measurements: BTreeMap<String, Measurement>, comparison: Comparison) -> Vec<SignalValue> {
    let values: BTreeMap<String, f64> = measurements.iter().map(|(id, m)| (id.clone(), m.value)).collect();
    let stats = robust::peer_stats(&values, &ctx.kinds, ctx.config.min_peers);
    measurements
        .into_iter()
        .map(|(id, measurement)| {
            let peer = &stats[&id];
            judged(ctx, signal, id, measurement, peer, comparison)
        })
        .collect()
}

/// One measurement judged against `peer`.
pub fn judged(ctx: &Context, signal: SignalId, id: String, measured: Measurement, peer: &PeerStats, comparison: Comparison) -> SignalValue {
    let judgement = robust::judge(
        measured.value,
        peer,
        comparison.direction,
        comparison.bar,
        measured.passes_bar,
        comparison.z_threshold,
        comparison.min_scale,
        ctx.config.min_comparable,
    );
    let strength = robust::strength(judgement.z, ctx.config.strength.z_mid, ctx.config.strength.z_scale);
    let format = comparison.format;
    let z = z_text(judgement.z);
    let peer_text = if peer.count == 0 || !peer.median.is_finite() {
        Sentence::new(&m::NO_PEERS, &[])
    } else if peer.reference {
        Sentence::new(&m::PEER_REFERENCE, &[("reference", &format(peer.median)), ("label", &peer.label.embed()), ("z", &z)])
    } else {
        Sentence::new(&m::PEER_MEDIAN, &[("median", &format(peer.median)), ("label", &peer.label.embed()), ("z", &z)])
    };
    SignalValue {
        institution_id: id,
        signal,
        value: measured.value,
        peer_value: if peer.median.is_finite() { peer.median } else { f64::NAN },
        threshold: judgement.threshold,
        fired: judgement.fired,
        rows: measured.rows,
        z: judgement.z,
        comparable: peer.count >= ctx.config.min_comparable && peer.median.is_finite(),
        strength,
        peers: peer.label.clone(),
        evidence: Sentence::new(&m::EVIDENCE, &[("facts", &measured.facts.embed()), ("peers", &peer_text.embed())]),
        summary: Sentence::new(&m::SUMMARY, &[("signal", &name(signal).embed()), ("value", &format(measured.value)), ("peers", &peer_text.embed())]),
        entities: measured.entities,
        related: Vec::new(),
    }
}

/// A signal's name as sentences read it (the id in English).
pub fn name(signal: SignalId) -> Sentence {
    let message = match signal {
        SignalId::Benford => &m::NAME_BENFORD,
        SignalId::SynchronizedSignIns => &m::NAME_SYNCHRONIZED_SIGN_INS,
        SignalId::ManualSignIns => &m::NAME_MANUAL_SIGN_INS,
        SignalId::BulkSignIns => &m::NAME_BULK_SIGN_INS,
        SignalId::ScoreHeaping => &m::NAME_SCORE_HEAPING,
        SignalId::AssessorPassRate => &m::NAME_ASSESSOR_PASS_RATE,
        SignalId::ShortEmployment => &m::NAME_SHORT_EMPLOYMENT,
        SignalId::EmployerConcentration => &m::NAME_EMPLOYER_CONCENTRATION,
        SignalId::SharedContacts => &m::NAME_SHARED_CONTACTS,
        SignalId::RecycledTrainees => &m::NAME_RECYCLED_TRAINEES,
        SignalId::EmploymentClusters => &m::NAME_EMPLOYMENT_CLUSTERS,
        SignalId::Successor => &m::NAME_SUCCESSOR,
        SignalId::Outlier => &m::NAME_OUTLIER,
    };
    Sentence::new(message, &[])
}

/// The unit of a signal's `value`, `peer_value` and `threshold` in `signal_values.parquet`:
/// `share` (0–1, printed as %), `mad` (Nigrini's mean absolute deviation of first-digit shares),
/// `distance` (robust distance of a profile, in robust standard deviations) or `link` (1 linked
/// to a sanctioned institution, 0 not).
pub fn unit(signal: SignalId) -> &'static str {
    match signal {
        SignalId::Benford => "mad",
        SignalId::SynchronizedSignIns
        | SignalId::ManualSignIns
        | SignalId::BulkSignIns
        | SignalId::ScoreHeaping
        | SignalId::AssessorPassRate
        | SignalId::ShortEmployment
        | SignalId::EmployerConcentration
        | SignalId::SharedContacts
        | SignalId::RecycledTrainees
        | SignalId::EmploymentClusters => "share",
        SignalId::Successor => "link",
        SignalId::Outlier => "distance",
    }
}

/// Optional part of a sentence: the embedded sentence, or nothing.
pub(crate) fn optional(part: Option<Sentence>) -> String {
    part.map(|p| p.embed()).unwrap_or_default()
}

/// A share as a percentage with one decimal: 0.625 → "62.5%".
pub fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// A plain number with four decimals.
pub fn number(value: f64) -> String {
    format!("{value:.4}")
}

/// A robust z with one decimal, never "-0.0": a value a hair below its peers' median reads 0.0.
pub fn z_text(z: f64) -> String {
    let text = format!("{z:.1}");
    if text == "-0.0" { "0.0".to_string() } else { text }
}

/// A number with one decimal.
pub fn one_decimal(value: f64) -> String {
    format!("{value:.1}")
}

/// A pseudonym shortened for evidence: 64-hex hashes to their first 12 characters, anything
/// else as it is.
pub fn short(id: &str) -> String {
    if id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        id[..12].to_string()
    } else {
        id.to_string()
    }
}

/// Finds the risk signals of every institution and ranks the leads.
pub fn detect(input: &SignalsInput) -> Result<Leads> {
    let ctx = Context::new(input)?;
    let config = input.config;
    let mut values: Vec<SignalValue> = Vec::new();
    let mut digits = benford::Digits::default();
    // What each signal gathered, kept until the leads are known: the rows behind them.
    let mut gathered = behind::Gathered::default();
    if config.benford.enabled {
        let amounts = timed("signals: claim lines in the window", || benford::amounts_in_window(&ctx))?;
        let (found, counted) = timed("signal benford", || benford::detect(&ctx, &amounts))?;
        values.extend(found);
        digits = counted;
        gathered.amounts = Some(amounts);
    }
    if config.synchronized_sign_ins.enabled || config.manual_sign_ins.enabled || config.bulk_sign_ins.enabled {
        let counts = timed("signals: sign-ins in the window", || sign_ins::counts_in_window(&ctx))?;
        if config.synchronized_sign_ins.enabled {
            values.extend(timed("signal synchronized_sign_ins", || sign_ins::synchronized(&ctx, &counts))?);
        }
        if config.manual_sign_ins.enabled {
            values.extend(timed("signal manual_sign_ins", || sign_ins::manual(&ctx, &counts))?);
        }
        if config.bulk_sign_ins.enabled {
            values.extend(timed("signal bulk_sign_ins", || sign_ins::bulk(&ctx, &counts))?);
        }
        gathered.sign_ins = Some(counts);
    }
    if config.score_heaping.enabled || config.assessor_pass_rate.enabled {
        let exams = timed("signals: exams in the window", || exams::exams_in_window(&ctx))?;
        if config.score_heaping.enabled {
            values.extend(timed("signal score_heaping", || exams::score_heaping(&ctx, &exams)));
        }
        if config.assessor_pass_rate.enabled {
            values.extend(timed("signal assessor_pass_rate", || exams::assessor_pass_rate(&ctx, &exams)));
        }
        gathered.exams = Some(exams);
    }
    if config.short_employment.enabled || config.employer_concentration.enabled || config.employment_clusters.enabled {
        let outcomes = timed("signals: employment outcomes", || employment::outcomes(&ctx))?;
        if config.employment_clusters.enabled {
            values.extend(timed("signal employment_clusters", || employment::employment_clusters(&ctx, &outcomes)));
        }
        if config.short_employment.enabled {
            values.extend(timed("signal short_employment", || employment::short_employment(&ctx, &outcomes)));
        }
        if config.employer_concentration.enabled {
            values.extend(timed("signal employer_concentration", || employment::employer_concentration(&ctx, &outcomes)));
        }
        gathered.outcomes = Some(outcomes);
    }
    if config.shared_contacts.enabled {
        let (found, links, rings) = timed("signal shared_contacts", || rings::detect(&ctx))?;
        values.extend(found);
        gathered.rings = Some((links, rings));
    }
    if config.recycled_trainees.enabled {
        let (found, recycling) = timed("signal recycled_trainees", || recycling::detect(&ctx))?;
        values.extend(found);
        gathered.recycling = Some(recycling);
    }
    if config.successor.enabled {
        let (found, links) = timed("signal successor", || successor::detect(&ctx))?;
        values.extend(found);
        gathered.successors = Some(links);
    }
    if config.outlier.enabled {
        let found = timed("signal outlier", || outlier::detect(&ctx, &values));
        values.extend(found);
    }
    values.sort_by(|a, b| (&a.institution_id, signal_order(a.signal)).cmp(&(&b.institution_id, signal_order(b.signal))));

    let breaches = timed("signals: breaches per institution", || risk::breaches(&ctx))?;
    let scored = timed("signals: risk score", || risk::score(&ctx, &values, &breaches))?;
    let leads = tables::leads(&ctx, &scored)?;
    let signal_flags = tables::signal_flags(&ctx, &values)?;
    let signal_values = tables::signal_values(&values)?;
    let benford_digits = tables::benford_digits(&digits)?;
    let mut risk: HashMap<String, LeadStanding> = scored
        .institutions
        .iter()
        .map(|i| (i.institution_id.clone(), LeadStanding { risk_score: i.risk_score, high_priority: i.high_priority, rank: None }))
        .collect();
    let mut wanted = Vec::new();
    for (position, &index) in risk::rank(&scored.institutions).iter().enumerate() {
        let lead = &scored.institutions[index];
        if let Some(standing) = risk.get_mut(&lead.institution_id) {
            standing.rank = Some(position as u32 + 1);
        }
        // The signals that count for the lead: fired, or adding evidence to its risk.
        wanted.extend(lead.contributions.iter().filter(|c| c.fired || c.evidence > 0.0).map(|c| behind::Wanted {
            institution_id: lead.institution_id.clone(),
            rank: position as u32 + 1,
            signal: c.signal,
            fired: c.fired,
            contribution: c.evidence,
        }));
    }
    let rows = timed("signals: the rows behind the leads", || behind::rows_of(&ctx, &gathered, &values, &wanted))?;
    drop(gathered);
    let money = |from, to| crate::cases::paid_and_pending(input.export, from, to);
    let lead_evidence = behind::tables(&ctx, &wanted, rows, &money)?;
    Ok(Leads { leads, signal_flags, signal_values, benford_digits, lead_evidence, risk, model: scored.model })
}

/// `leads.parquet` with its texts (`evidence`, `related_leads`, `contributions`) rendered in
/// `lang` from the codes beside them.
pub fn render_leads(mut leads: DataFrame, lang: crate::vocab::Lang) -> Result<DataFrame> {
    for column in tables::LEAD_TEXTS {
        leads = crate::report::texts::render(leads, column, lang)?;
    }
    Ok(leads)
}

/// Position of a signal in [`SIGNALS`].
pub fn signal_order(signal: SignalId) -> usize {
    SIGNALS.iter().position(|s| *s == signal).unwrap_or(SIGNALS.len())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_z_a_hair_below_zero_reads_zero_and_others_keep_their_sign() {
        assert_eq!((super::z_text(-0.04), super::z_text(-0.05), super::z_text(0.0), super::z_text(50.0)), ("0.0".into(), "-0.1".into(), "0.0".into(), "50.0".into()));
    }
}
