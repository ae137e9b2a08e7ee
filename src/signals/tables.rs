//! The signal stage's output tables, each sorted by its key so that the same inputs write the
//! same bytes.

use super::benford::{expected_share, Digits};
use super::risk::{self, Scored};
use super::{data, name, Context, SignalValue};
use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::ingest::contract::Table;
use crate::report::texts::{ARGS_SUFFIX, CODE_SUFFIX};
use crate::vocab::messages::nested::{self, Sentence};
use crate::vocab::messages::signals as m;
use crate::vocab::{Lang, SignalId};
use polars::prelude::*;
use std::collections::BTreeMap;

/// The three columns of a text kept from its sentences: `name` (rendered in Chinese, the
/// default; the run folder renders it again in the run's language), `name_code` and
/// `name_args` (`list[str]`).
fn text_columns(name: &str, sentences: &[Sentence]) -> Result<[Column; 3]> {
    let text: Vec<String> = sentences.iter().map(|s| s.render(Lang::Zh)).collect();
    let codes: Vec<&str> = sentences.iter().map(|s| s.message.code).collect();
    let args: Vec<Series> = sentences.iter().map(|s| Series::new("".into(), s.args.clone())).collect();
    let args = if args.is_empty() {
        Series::new_empty(format!("{name}{ARGS_SUFFIX}").into(), &DataType::List(Box::new(DataType::String)))
    } else {
        Series::new(format!("{name}{ARGS_SUFFIX}").into(), args)
    };
    // A sentence without arguments stores an empty list, of strings like the others.
    let args = args.cast(&DataType::List(Box::new(DataType::String))).context("text arguments")?;
    Ok([Column::new(name.into(), text), Column::new(format!("{name}{CODE_SUFFIX}").into(), codes), args.into()])
}

/// The text columns of `leads.parquet`, each rendered from its `_code` and `_args`.
pub const LEAD_TEXTS: [&str; 3] = ["evidence", "related_leads", "contributions"];

/// A lead with statistical evidence (a signal fired or graded above zero).
pub const STATISTICAL: &str = "statistical";
/// A lead whose only evidence is its own rule breaches.
pub const BREACHES_ONLY: &str = "breaches_only";

/// `leads.parquet`: the contract columns (outputs.md), then `risk_evidence` (what the rank
/// rests on where risk_score rounds to 1), `contributions` (every signal's part), `lead_list`
/// ([`STATISTICAL`] or [`BREACHES_ONLY`]) and `list_rank` (the rank within that list).
pub fn leads(ctx: &Context, scored: &Scored) -> Result<DataFrame> {
    let institutions = ctx.export.frame(Table::Institutions);
    let ids = data::text(institutions, c::INSTITUTION_ID)?;
    let names = data::text(institutions, c::NAME)?;
    let name_of: BTreeMap<&str, Option<&str>> = ids.iter().zip(names.iter()).filter_map(|(id, name)| Some(((*id)?, *name))).collect();

    let order = risk::rank(&scored.institutions);
    let rows: Vec<&risk::InstitutionRisk> = order.iter().map(|&i| &scored.institutions[i]).collect();
    let height = rows.len();
    let evidence: Vec<Sentence> = rows
        .iter()
        .map(|r| {
            let mut parts: Vec<Sentence> = r
                .fired
                .iter()
                .map(|(signal, _, evidence)| Sentence::new(&m::LEAD_FIRED, &[("signal", &name(*signal).embed()), ("evidence", &evidence.embed())]))
                .collect();
            // Signals below their bar that still add evidence: why the lead ranks where it does.
            parts.extend(r.contributions.iter().filter(|c| !c.fired && c.evidence > 0.0).map(|c| {
                Sentence::new(&m::LEAD_BELOW_BAR, &[("signal", &name(c.signal).embed()), ("evidence", &c.facts.embed())])
            }));
            if let Some(breaches) = r.breaches.as_ref().filter(|b| b.strength > 0.0) {
                parts.push(breaches.evidence());
            }
            if let Some(cleared) = &r.cleared {
                parts.push(cleared.evidence());
            }
            Sentence::new(&m::LEAD, &[("parts", &nested::join(&parts, &m::LEAD_SEPARATOR))])
        })
        .collect();
    let [evidence, evidence_code, evidence_args] = text_columns("evidence", &evidence)?;
    let [related, related_code, related_args] = text_columns("related_leads", &related_leads(&rows))?;
    let contributions: Vec<Sentence> = rows.iter().map(|r| contributions(r, ctx.config.risk.breach_weight)).collect();
    let [contributions, contributions_code, contributions_args] = text_columns("contributions", &contributions)?;
    // Statistical leads, and leads whose only evidence is the institution's own rule breaches
    // (an inspector's list, not an analyst's); each ranked within its list too.
    let lists: Vec<&str> = rows
        .iter()
        .map(|r| if r.fired.is_empty() && r.contributions.iter().all(|c| c.evidence <= 0.0) { BREACHES_ONLY } else { STATISTICAL })
        .collect();
    let mut counted: BTreeMap<&str, u32> = BTreeMap::new();
    let list_ranks: Vec<u32> = lists
        .iter()
        .map(|list| {
            let n = counted.entry(list).or_insert(0);
            *n += 1;
            *n
        })
        .collect();
    DataFrame::new(
        height,
        vec![
            Column::new("rank".into(), (1..=height as u32).collect::<Vec<u32>>()),
            Column::new(c::INSTITUTION_ID.into(), rows.iter().map(|r| r.institution_id.clone()).collect::<Vec<_>>()),
            Column::new(c::NAME.into(), rows.iter().map(|r| name_of.get(r.institution_id.as_str()).copied().flatten()).collect::<Vec<_>>()),
            Column::new(c::KIND.into(), rows.iter().map(|r| ctx.kinds.get(&r.institution_id).cloned().unwrap_or_default()).collect::<Vec<_>>()),
            Column::new("risk_score".into(), rows.iter().map(|r| r.risk_score).collect::<Vec<_>>()),
            Column::new("high_priority".into(), rows.iter().map(|r| r.high_priority).collect::<Vec<_>>()),
            Column::new("signals".into(), rows.iter().map(|r| r.fired.iter().map(|(s, _, _)| s.as_str()).collect::<Vec<_>>().join(", ")).collect::<Vec<_>>()),
            Column::new("signal_count".into(), rows.iter().map(|r| r.fired.len() as u32).collect::<Vec<u32>>()),
            Column::new("breach_lines".into(), rows.iter().map(|r| r.breaches.as_ref().map(|b| b.breach_lines).unwrap_or(0)).collect::<Vec<i64>>()),
            Column::new("breach_share".into(), rows.iter().map(|r| r.breaches.as_ref().map(|b| b.share).unwrap_or(0.0)).collect::<Vec<f64>>()),
            Column::new("cleared_on".into(), rows.iter().map(|r| r.cleared.as_ref().map(|c| c.on.to_string())).collect::<Vec<_>>()),
            Column::new("risk_evidence".into(), rows.iter().map(|r| r.risk_evidence).collect::<Vec<f64>>()),
            contributions,
            Column::new("lead_list".into(), lists.iter().map(|l| l.to_string()).collect::<Vec<String>>()),
            related,
            Column::new("list_rank".into(), list_ranks),
            evidence,
            evidence_code,
            evidence_args,
            related_code,
            related_args,
            contributions_code,
            contributions_args,
        ],
    )
    .context("building leads")
}

/// Per lead, the other leads tied to it by a fired signal's evidence: one names the other
/// (a successor and the sanctioned institution, a pair sharing recycled trainees), or both name
/// the same assessor. "JN-ORG-000120 (recycled_trainees); JN-ORG-000140 (assessor_pass_rate:
/// assessor Y000037010001)", in rank order; empty when none.
fn related_leads(rows: &[&risk::InstitutionRisk]) -> Vec<Sentence> {
    // Indexed by key, so that a nation's thousands of leads are not compared pairwise.
    let position: BTreeMap<&str, usize> = rows.iter().enumerate().map(|(i, r)| (r.institution_id.as_str(), i)).collect();
    let mut holders: BTreeMap<&str, Vec<(usize, SignalId)>> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        for (key, signal) in &row.related {
            holders.entry(key.as_str()).or_default().push((i, *signal));
        }
    }
    rows.iter()
        .enumerate()
        .map(|(i, lead)| {
            // Other lead → why, first reason found: it is named, it names this one, a shared key.
            let mut why: BTreeMap<usize, Sentence> = BTreeMap::new();
            for (key, signal) in &lead.related {
                match key.strip_prefix("institution:") {
                    Some(other) => {
                        if let Some(&j) = position.get(other) {
                            why.entry(j).or_insert_with(|| name(*signal));
                        }
                    }
                    None => {
                        for &(j, _) in holders.get(key.as_str()).into_iter().flatten() {
                            why.entry(j).or_insert_with(|| {
                                let shared = match key.split_once(':') {
                                    Some(("assessor", assessor)) => Sentence::new(&m::RELATED_ASSESSOR, &[("assessor", assessor)]).embed(),
                                    _ => key.replacen(':', " ", 1),
                                };
                                Sentence::new(&m::RELATED_SHARED, &[("signal", &name(*signal).embed()), ("shared", &shared)])
                            });
                        }
                    }
                }
            }
            let me = format!("institution:{}", lead.institution_id);
            for &(j, signal) in holders.get(me.as_str()).into_iter().flatten() {
                why.entry(j).or_insert_with(|| name(signal));
            }
            why.remove(&i);
            let leads: Vec<Sentence> = why
                .into_iter()
                .map(|(j, reason)| Sentence::new(&m::RELATED, &[("lead", &rows[j].institution_id), ("why", &reason.embed())]))
                .collect();
            Sentence::new(&m::RELATED_LEADS, &[("leads", &nested::join(&leads, &nested::SEMICOLON))])
        })
        .collect()
}

/// Every signal's contribution to a lead's risk evidence, largest first, then the breaches':
/// "synchronized_sign_ins 2.975 (z 9.0, fired); manual_sign_ins 0.300 (z 3.0); benford 0.000
/// (z −0.4); breaches 0.511". Signals not graded (too few peers, or a fact that does not hold) show "not graded".
fn contributions(r: &risk::InstitutionRisk, breach_weight: f64) -> Sentence {
    let mut parts: Vec<Sentence> = r
        .contributions
        .iter()
        .map(|c| {
            // −0.04 would print as "-0.0".
            let z = format!("{:.1}", if c.z.abs() < 0.05 { 0.0 } else { c.z });
            let message = match (c.comparable, c.fired) {
                (true, true) => &m::CONTRIBUTION_GRADED_FIRED,
                (true, false) => &m::CONTRIBUTION_GRADED,
                (false, true) => &m::CONTRIBUTION_FACT,
                (false, false) => &m::CONTRIBUTION_NOT_GRADED,
            };
            Sentence::new(message, &[("signal", &name(c.signal).embed()), ("evidence", &format!("{:.3}", c.evidence)), ("z", &z)])
        })
        .collect();
    if let Some(b) = r.breaches.as_ref().filter(|b| b.strength > 0.0) {
        parts.push(Sentence::new(&m::CONTRIBUTION_BREACHES, &[("evidence", &format!("{:.3}", risk::hazard(breach_weight * b.strength)))]));
    }
    Sentence::new(&m::CONTRIBUTIONS, &[("parts", &nested::join(&parts, &nested::SEMICOLON))])
}

/// Rows for `flags.parquet`: one per concrete entity of every fired signal (the institution when
/// the signal names none).
pub fn signal_flags(ctx: &Context, values: &[SignalValue]) -> Result<DataFrame> {
    let strength = ctx.config.strength;
    let mut rows: Vec<([String; 6], Sentence)> = Vec::new();
    for value in values.iter().filter(|v| v.fired) {
        let severity = if value.strength >= strength.severity_high {
            "high"
        } else if value.strength >= strength.severity_medium {
            "medium"
        } else {
            "low"
        };
        if value.entities.is_empty() {
            rows.push((
                [
                    format!("{}:{}", value.signal, value.institution_id),
                    value.signal.to_string(),
                    severity.to_string(),
                    value.institution_id.clone(),
                    "institution".to_string(),
                    value.institution_id.clone(),
                ],
                value.evidence.clone(),
            ));
        } else {
            for entity in &value.entities {
                rows.push((
                    [
                        format!("{}:{}", value.signal, entity.id),
                        value.signal.to_string(),
                        severity.to_string(),
                        value.institution_id.clone(),
                        entity.kind.to_string(),
                        entity.id.clone(),
                    ],
                    Sentence::new(
                        &m::ENTITY,
                        &[("entity", &entity.evidence.embed()), ("institution", &value.institution_id), ("summary", &value.summary.embed())],
                    ),
                ));
            }
        }
    }
    rows.sort_by(|a, b| (&a.0[0], &a.0[3]).cmp(&(&b.0[0], &b.0[3])));
    let height = rows.len();
    let column = |index: usize| rows.iter().map(|row| row.0[index].clone()).collect::<Vec<_>>();
    let sentences: Vec<Sentence> = rows.iter().map(|row| row.1.clone()).collect();
    let [evidence, evidence_code, evidence_args] = text_columns("evidence", &sentences)?;
    DataFrame::new(
        height,
        vec![
            Column::new("flag_id".into(), column(0)),
            Column::new("kind".into(), vec!["signal"; height]),
            Column::new(c::RULE.into(), column(1)),
            Column::new("severity".into(), column(2)),
            Column::new(c::INSTITUTION_ID.into(), column(3)),
            Column::new("entity_kind".into(), column(4)),
            Column::new(c::ENTITY_ID.into(), column(5)),
            Column::new("amount_fen".into(), vec![0i64; height]),
            evidence,
            Column::new("overturned".into(), vec![false; height]),
            evidence_code,
            evidence_args,
        ],
    )
    .context("building signal flags")
}

fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

/// `signal_values.parquet`, sorted by institution and signal.
pub fn signal_values(values: &[SignalValue]) -> Result<DataFrame> {
    let mut rows: Vec<&SignalValue> = values.iter().collect();
    rows.sort_by(|a, b| (&a.institution_id, a.signal.as_str()).cmp(&(&b.institution_id, b.signal.as_str())));
    let height = rows.len();
    let peers: Vec<Sentence> = rows.iter().map(|v| v.peers.clone()).collect();
    let [peers, peers_code, peers_args] = text_columns("peers", &peers)?;
    let evidence: Vec<Sentence> = rows.iter().map(|v| v.evidence.clone()).collect();
    let [evidence, evidence_code, evidence_args] = text_columns("evidence", &evidence)?;
    DataFrame::new(
        height,
        vec![
            Column::new(c::INSTITUTION_ID.into(), rows.iter().map(|v| v.institution_id.clone()).collect::<Vec<_>>()),
            Column::new("signal".into(), rows.iter().map(|v| v.signal.as_str()).collect::<Vec<_>>()),
            Column::new("value".into(), rows.iter().map(|v| finite(v.value)).collect::<Vec<_>>()),
            Column::new("peer_value".into(), rows.iter().map(|v| finite(v.peer_value)).collect::<Vec<_>>()),
            Column::new("threshold".into(), rows.iter().map(|v| finite(v.threshold)).collect::<Vec<_>>()),
            Column::new("fired".into(), rows.iter().map(|v| v.fired).collect::<Vec<_>>()),
            Column::new("rows".into(), rows.iter().map(|v| v.rows).collect::<Vec<i64>>()),
            Column::new("robust_z".into(), rows.iter().map(|v| finite(v.z)).collect::<Vec<_>>()),
            Column::new("strength".into(), rows.iter().map(|v| finite(v.strength)).collect::<Vec<_>>()),
            peers,
            evidence,
            Column::new("unit".into(), rows.iter().map(|v| super::unit(v.signal)).collect::<Vec<_>>()),
            peers_code,
            peers_args,
            evidence_code,
            evidence_args,
        ],
    )
    .context("building signal values")
}

/// `benford_digits.parquet`: nine rows per tested institution.
pub fn benford_digits(digits: &Digits) -> Result<DataFrame> {
    let mut ids = Vec::new();
    let mut digit = Vec::new();
    let mut observed = Vec::new();
    let mut expected = Vec::new();
    for (institution, counts) in &digits.counts {
        for d in 1..=9usize {
            ids.push(institution.clone());
            digit.push(d as i64);
            observed.push(counts[d - 1]);
            expected.push(expected_share(d));
        }
    }
    DataFrame::new(
        ids.len(),
        vec![
            Column::new(c::INSTITUTION_ID.into(), ids),
            Column::new("digit".into(), digit),
            Column::new("observed".into(), observed),
            Column::new("expected_share".into(), expected),
        ],
    )
    .context("building Benford digits")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead(id: &str, related: &[(&str, &'static str)]) -> risk::InstitutionRisk {
        let related = related.iter().map(|(k, s)| (k.to_string(), s.parse::<crate::vocab::SignalId>().unwrap())).collect();
        risk::InstitutionRisk {
            institution_id: id.into(),
            risk_score: 0.5,
            high_priority: false,
            risk_evidence: 0.7,
            contributions: Vec::new(),
            fired: Vec::new(),
            related,
            breaches: None,
            lead: true,
            cleared: None,
        }
    }

    #[test]
    fn leads_naming_each_other_or_one_assessor_are_related() {
        let rows = [
            lead("NEW", &[("institution:OLD", "successor")]),
            lead("A", &[("assessor:Y1", "assessor_pass_rate"), ("institution:B", "recycled_trainees")]),
            lead("B", &[]),
            lead("C", &[("assessor:Y1", "assessor_pass_rate")]),
            lead("OLD", &[]),
            lead("D", &[("institution:GONE", "successor")]),
        ];
        let refs: Vec<&risk::InstitutionRisk> = rows.iter().collect();
        let english: Vec<String> = related_leads(&refs).iter().map(|s| s.render(Lang::En)).collect();
        let chinese: Vec<String> = related_leads(&refs).iter().map(|s| s.render(Lang::Zh)).collect();
        assert_eq!(chinese[1], "B（学员在机构间循环培训）；C（考评员通过率偏高：考评员 Y1）");
        assert_eq!(chinese[5], "");
        assert_eq!(
            english,
            vec![
                "OLD (successor)".to_string(),
                "B (recycled_trainees); C (assessor_pass_rate: assessor Y1)".into(),
                "A (recycled_trainees)".into(),
                "A (assessor_pass_rate: assessor Y1)".into(),
                "NEW (successor)".into(),
                // Names an institution that is no lead: nothing to link.
                String::new(),
            ]
        );
    }
}
