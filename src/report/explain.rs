//! `explain`: one institution's rating taken apart from a run folder's tables alone, in Chinese
//! or English: its tier, action and the rule that set it (rendered from `tier_rule` and its
//! arguments), each indicator against its peers' median (same kind) with its weight and points,
//! the findings grouped by rule with their count and money at stake, the money to recover and to
//! hold, and its standing among the leads.
//!
//! It reads the run through the report's reader ([`RunData`]), which turns each table's columns
//! into rows once, so explaining is linear in the run's size (the former reader converted a
//! whole column per cell: quadratic in institutions × flags).

use crate::error::{Error, Result};
use crate::rating::INDICATORS;
use crate::report::data::{median, Institution, MoneyRow, RunData};
use crate::report::figures::reason;
use crate::report::links::{dossier_file, DOSSIERS_DIR};
use crate::report::text;
use crate::vocab::messages::rating as m;
use crate::vocab::{Lang, Message};
use std::collections::BTreeMap;
use std::path::Path;

/// The explanation of `institution` in the run folder `run`, as text in `lang`.
pub fn render(run: &Path, institution: &str, lang: Lang) -> Result<String> {
    let data = RunData::read(run)?;
    let Some(row) = data.institution(institution) else {
        return Err(Error::invalid(format!("institution {institution} is not in {}", run.join("institution_scores.parquet").display())));
    };
    Ok(explain(&data, row, lang))
}

/// A message in `lang` with named arguments.
fn say(lang: Lang, message: &Message, args: &[(&str, String)]) -> String {
    let named: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
    message.render(lang, &named)
}

/// What one rule found at an institution: findings that count, their money at stake (fen), the
/// first finding's id, and findings overturned on appeal.
#[derive(Default)]
struct RuleFindings {
    count: usize,
    amount_fen: i64,
    example: String,
    overturned: usize,
}

fn explain(data: &RunData, institution: &Institution, lang: Lang) -> String {
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    let kind = text::kind_name(lang, &institution.kind);
    line(say(
        lang,
        &m::EXPLAIN_HEADER,
        &[
            ("id", institution.id.clone()),
            ("name", institution.name.clone()),
            ("kind", kind.clone()),
            ("district", institution.district.clone()),
            ("quarter", institution.quarter.clone()),
        ],
    ));
    line(say(
        lang,
        &m::EXPLAIN_TIER,
        &[
            ("tier", text::tier_name(lang, institution.tier.as_str())),
            ("previous", institution.previous_tier.map(|t| text::tier_name(lang, t.as_str())).unwrap_or_else(|| "—".into())),
            ("action", text::action_name(lang, institution.action.as_str())),
        ],
    ));
    if let Some(until) = &institution.banned_until {
        line(say(lang, &m::EXPLAIN_BANNED, &[("until", until.clone())]));
    }
    line(say(lang, &m::EXPLAIN_REASON, &[("reason", reason(lang, institution, &data.settings))]));

    // Indicators against the peers' medians, with weights and points.
    let peers: Vec<&Institution> = data.peers(&institution.kind).collect();
    line(String::new());
    line(say(lang, &m::EXPLAIN_INDICATORS, &[("peers", peers.len().to_string()), ("kind", kind)]));
    let shown = |value: Option<f64>| text::percent(value).replace('—', &m::EXPLAIN_NO_DATA.render(lang, &[]));
    for (index, id) in INDICATORS.iter().enumerate() {
        let peer_median = median(peers.iter().filter_map(|p| p.values[index]).collect());
        let points = match institution.points[index] {
            Some(points) => say(lang, &m::EXPLAIN_POINTS, &[("points", format!("{points:.2}"))]),
            None => m::EXPLAIN_LEFT_OUT.render(lang, &[]),
        };
        line(say(
            lang,
            &m::EXPLAIN_INDICATOR,
            &[
                ("name", text::indicator_name(lang, id)),
                ("value", shown(institution.values[index])),
                ("median", shown(peer_median)),
                ("weight", format!("{:.0}", data.settings.indicators[index].0)),
                ("points", points),
            ],
        ));
    }
    let two = |value: Option<f64>| value.map(|v| format!("{v:.2}"));
    let not_rated = || m::EXPLAIN_NOT_RATED.render(lang, &[]);
    line(say(
        lang,
        &m::EXPLAIN_SCORE,
        &[
            ("weighted", two(institution.weighted_points).unwrap_or_else(not_rated)),
            ("deductions", format!("{:.0}", institution.deductions.unwrap_or(0.0))),
            ("score", two(institution.score).unwrap_or_else(not_rated)),
        ],
    ));

    // Findings by rule (rules in id order), with their money at stake.
    let mut by_rule: BTreeMap<&str, RuleFindings> = BTreeMap::new();
    for flag in data.flags.iter().filter(|f| f.institution_id == institution.id) {
        let entry = by_rule.entry(flag.rule.as_str()).or_default();
        if flag.overturned {
            entry.overturned += 1;
            continue;
        }
        if entry.count == 0 {
            entry.example = flag.flag_id.clone();
        }
        entry.count += 1;
        entry.amount_fen += flag.amount_fen;
    }
    line(String::new());
    line(m::EXPLAIN_FINDINGS.render(lang, &[]));
    if by_rule.is_empty() {
        line(m::EXPLAIN_NONE.render(lang, &[]));
    }
    for (rule, found) in &by_rule {
        let label = text::rule_label(lang, rule);
        if found.count > 0 {
            line(say(
                lang,
                &m::EXPLAIN_FINDING,
                &[
                    ("rule", label.clone()),
                    ("count", found.count.to_string()),
                    ("amount", text::money(lang, found.amount_fen)),
                    ("example", found.example.clone()),
                ],
            ));
        }
        if found.overturned > 0 {
            line(say(lang, &m::EXPLAIN_OVERTURNED, &[("rule", label), ("count", found.overturned.to_string())]));
        }
    }

    // Money and the lead.
    let mine = |rows: &[MoneyRow]| {
        rows.iter().filter(|r| r.institution_id == institution.id).fold((0i64, 0usize), |(fen, n), r| (fen + r.amount_fen, n + 1))
    };
    let (recover, recover_lines) = mine(&data.recoveries);
    let (hold, hold_lines) = mine(&data.holds);
    line(String::new());
    line(say(
        lang,
        &m::EXPLAIN_MONEY,
        &[
            ("recover", text::money(lang, recover)),
            ("recover_lines", recover_lines.to_string()),
            ("hold", text::money(lang, hold)),
            ("hold_lines", hold_lines.to_string()),
        ],
    ));
    match &data.leads {
        None => line(m::EXPLAIN_NO_LEADS.render(lang, &[])),
        Some(leads) => match leads.iter().find(|l| l.institution_id == institution.id) {
            None => line(m::EXPLAIN_NOT_A_LEAD.render(lang, &[])),
            Some(lead) => {
                let signals: Vec<String> =
                    lead.signals.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| text::signal_name(lang, s)).collect();
                let priority = if lead.high_priority { m::EXPLAIN_HIGH_PRIORITY.render(lang, &[]) } else { String::new() };
                line(say(
                    lang,
                    &m::EXPLAIN_LEAD,
                    &[
                        ("rank", lead.rank.to_string()),
                        ("leads", leads.len().to_string()),
                        ("risk", lead.risk_score.map(|r| format!("{r:.3}")).unwrap_or_else(|| "—".into())),
                        ("priority", priority),
                        ("signals", if signals.is_empty() { "—".into() } else { signals.join(m::LIST_SEPARATOR.template(lang)) }),
                    ],
                ));
                // The dossier in the page's language, else the one the run wrote (Chinese).
                let dossiers = data.dir.join(DOSSIERS_DIR);
                let dossier = [lang, Lang::Zh].map(|l| dossiers.join(dossier_file(&institution.id, l))).into_iter().find(|p| p.is_file());
                if let Some(dossier) = dossier {
                    line(m::EXPLAIN_DOSSIER.render(lang, &[("path", &dossier.display().to_string())]));
                }
            }
        },
    }
    out
}
