//! `successor`: an institution sharing its legal representative or its bank account with an
//! institution that is banned or disqualified — the same people under a new licence.
//!
//! Sanctioned: a `ban` or `disqualified` sanction (input ledger and any previous run's ledger in
//! `findings.standing`) that began in Q or earlier, or a standing `fraud_confirmed` decision on
//! or before Q's last day. The successor is every other institution not itself under such a
//! sanction in Q. Its strength is 1 when it was licensed no earlier than `new_within_days` before
//! the sanction or decision began (a new entity), `existing_strength` otherwise. No peers: the
//! link is a fact, not a deviation.

use super::{data, name, short, Context, SignalValue};
use crate::vocab::messages::nested::{self, Sentence};
use crate::vocab::messages::signals as m;
use crate::vocab::SignalId;
use crate::columns as c;
use crate::error::Result;
use crate::ingest::contract::Table;
use crate::rules::sanctions::Standing;
use chrono::NaiveDate;
use std::collections::BTreeMap;

pub const SIGNAL: SignalId = SignalId::Successor;

/// An institution's identity facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub institution_id: String,
    pub licensed_on: Option<NaiveDate>,
    pub legal_rep: Option<String>,
    pub bank_account: Option<String>,
}

/// Why an institution counts as sanctioned: (since, its sanctions and decisions as one embedded
/// argument).
pub type Sanctioned = BTreeMap<String, (NaiveDate, String)>;

/// Institutions banned or disqualified by Q (from `standing`), with the day it began.
pub fn sanctioned(standing: &Standing, quarter: crate::Quarter) -> Sanctioned {
    let mut found: Sanctioned = BTreeMap::new();
    let mut ids: Vec<&String> = standing.sanctions.keys().chain(standing.decisions.keys()).collect();
    ids.sort();
    ids.dedup();
    for id in ids {
        let mut reasons: Vec<(NaiveDate, String)> = Vec::new();
        for sanction in standing.sanctions.get(id).into_iter().flatten() {
            if sanction.from <= quarter {
                let kind = sanction_kind(&sanction.kind);
                let from = sanction.from.to_string();
                let text = match sanction.until {
                    Some(until) => Sentence::new(&m::SUCCESSOR_SANCTION, &[("kind", &kind), ("from", &from), ("until", &until.to_string())]),
                    None => Sentence::new(&m::SUCCESSOR_SANCTION_OPEN, &[("kind", &kind), ("from", &from)]),
                };
                reasons.push((sanction.from.first_day(), text.embed()));
            }
        }
        if let Some(decision) = standing.disqualifying_decision(id, quarter.last_day()) {
            reasons.push((decision.decided_on, Sentence::new(&m::SUCCESSOR_DECISION, &[("date", &decision.decided_on.to_string())]).embed()));
        }
        reasons.sort();
        if let Some(first) = reasons.first() {
            let texts: Vec<&str> = reasons.iter().map(|(_, t)| t.as_str()).collect();
            found.insert(id.clone(), (first.0, nested::join_values(&texts, &nested::LIST)));
        }
    }
    found
}

/// A sanction's kind as the sentence's language names it (an unknown kind as written).
fn sanction_kind(kind: &str) -> String {
    match kind {
        "ban" => Sentence::new(&m::SANCTION_BAN, &[]).embed(),
        "disqualified" => Sentence::new(&m::SANCTION_DISQUALIFIED, &[]).embed(),
        other => other.to_string(),
    }
}

/// Whether an institution is itself banned or disqualified in Q (then it is no successor).
fn sanctioned_now(standing: &Standing, id: &str, quarter: crate::Quarter) -> bool {
    standing.disqualifying_decision(id, quarter.last_day()).is_some()
        || standing.sanctions.get(id).is_some_and(|list| list.iter().any(|s| s.covers(quarter)))
}

/// One successor link.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub institution_id: String,
    pub evidence: Sentence,
    /// 1 for a new institution, `existing_strength` otherwise.
    pub strength: f64,
    /// The sanctioned institutions it shares a representative or account with.
    pub sources: Vec<String>,
}

/// Links of every institution in `identities` (not in `excluded`) to a sanctioned one.
pub fn links(identities: &[Identity], sanctioned: &Sanctioned, excluded: &dyn Fn(&str) -> bool, new_within_days: i64, existing_strength: f64) -> Vec<Link> {
    let mut found = Vec::new();
    for candidate in identities {
        if sanctioned.contains_key(&candidate.institution_id) || excluded(&candidate.institution_id) {
            continue;
        }
        let mut reasons = Vec::new();
        let mut sources = Vec::new();
        let mut strength: f64 = 0.0;
        for source in identities {
            if source.institution_id == candidate.institution_id {
                continue;
            }
            let Some((since, why)) = sanctioned.get(&source.institution_id) else { continue };
            let mut shared = Vec::new();
            if candidate.legal_rep.is_some() && candidate.legal_rep == source.legal_rep {
                shared.push(Sentence::new(&m::SUCCESSOR_REP, &[("rep", &short(candidate.legal_rep.as_deref().unwrap_or("")))]));
            }
            if candidate.bank_account.is_some() && candidate.bank_account == source.bank_account {
                shared.push(Sentence::new(&m::SUCCESSOR_ACCOUNT, &[("account", &short(candidate.bank_account.as_deref().unwrap_or("")))]));
            }
            if shared.is_empty() {
                continue;
            }
            let new = candidate.licensed_on.is_some_and(|licensed| licensed >= *since - chrono::Duration::days(new_within_days));
            strength = strength.max(if new { 1.0 } else { existing_strength });
            let licence = match candidate.licensed_on {
                Some(day) if new => Sentence::new(&m::SUCCESSOR_NEW, &[("day", &day.to_string()), ("source", &source.institution_id)]),
                Some(day) => Sentence::new(&m::SUCCESSOR_OLD, &[("day", &day.to_string())]),
                None => Sentence::new(&m::SUCCESSOR_UNKNOWN, &[]),
            };
            reasons.push(Sentence::new(
                &m::SUCCESSOR_LINK,
                &[("shared", &nested::join(&shared, &m::AND)), ("source", &source.institution_id), ("why", why), ("licence", &licence.embed())],
            ));
            sources.push(source.institution_id.clone());
        }
        if !reasons.is_empty() {
            let evidence = Sentence::new(&m::SUCCESSOR, &[("links", &nested::join(&reasons, &nested::SEMICOLON))]);
            found.push(Link { institution_id: candidate.institution_id.clone(), evidence, strength, sources });
        }
    }
    found
}

/// The identities of every institution, in id order.
pub fn identities(ctx: &Context) -> Result<Vec<Identity>> {
    let institutions = ctx.export.frame(Table::Institutions);
    let ids = data::text(institutions, c::INSTITUTION_ID)?;
    let licensed = data::date(institutions, c::LICENSED_ON)?;
    let reps = data::text(institutions, c::LEGAL_REP)?;
    let accounts = data::text(institutions, c::BANK_ACCOUNT)?;
    let clean = |value: Option<&str>| value.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    let mut found: Vec<Identity> = (0..institutions.height())
        .filter_map(|i| {
            Some(Identity { institution_id: ids[i]?.to_string(), licensed_on: licensed[i], legal_rep: clean(reps[i]), bank_account: clean(accounts[i]) })
        })
        .collect();
    found.sort_by(|a, b| a.institution_id.cmp(&b.institution_id));
    Ok(found)
}

/// The rows behind `successor` for `wanted`: each sanctioned institution it shares a legal
/// representative or bank account with (`source:ID`).
pub fn behind(found: &BTreeMap<String, Link>, wanted: &std::collections::BTreeSet<String>) -> Vec<(String, super::behind::Row)> {
    found
        .iter()
        .filter(|(id, _)| wanted.contains(*id))
        .flat_map(|(id, link)| {
            link.sources.iter().map(move |source| {
                let row = super::behind::Row {
                    other_institution_id: Some(source.clone()),
                    ..super::behind::row("institutions", source.clone(), format!("source:{source}"))
                };
                (id.clone(), row)
            })
        })
        .collect()
}

/// `successor` for every institution: value 1 with a link, 0 without; with the links found.
pub fn detect(ctx: &Context) -> Result<(Vec<SignalValue>, BTreeMap<String, Link>)> {
    let s = &ctx.config.successor;
    let identities = identities(ctx)?;
    let standing = &ctx.findings.standing;
    let sources = sanctioned(standing, ctx.quarter);
    let excluded = |id: &str| sanctioned_now(standing, id, ctx.quarter);
    let found: BTreeMap<String, Link> =
        links(&identities, &sources, &excluded, s.new_within_days, s.existing_strength).into_iter().map(|l| (l.institution_id.clone(), l)).collect();
    let linked_share = found.len() as f64 / identities.len().max(1) as f64;
    let values = identities
        .iter()
        .map(|identity| {
            let link = found.get(&identity.institution_id);
            SignalValue {
                institution_id: identity.institution_id.clone(),
                signal: SIGNAL,
                value: if link.is_some() { 1.0 } else { 0.0 },
                peer_value: linked_share,
                threshold: 1.0,
                fired: link.is_some(),
                rows: 1,
                z: 0.0,
                comparable: false,
                related: link.map(|l| l.sources.iter().map(|s| format!("institution:{s}")).collect()).unwrap_or_default(),
                strength: link.map(|l| l.strength).unwrap_or(0.0),
                peers: Sentence::new(&m::PEERS_ALL, &[("n", &identities.len().to_string())]),
                summary: Sentence::new(if link.is_some() { &m::SUCCESSOR_LINKED } else { &m::SUCCESSOR_NOT_LINKED }, &[("signal", &name(SIGNAL).embed())]),
                evidence: match link {
                    Some(link) => link.evidence.clone(),
                    None => Sentence::new(&m::SUCCESSOR_NONE, &[]),
                },
                entities: Vec::new(),
            }
        })
        .collect();
    Ok((values, found))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn identity(id: &str, licensed: NaiveDate, rep: &str, account: &str) -> Identity {
        Identity { institution_id: id.into(), licensed_on: Some(licensed), legal_rep: Some(rep.into()), bank_account: Some(account.into()) }
    }

    fn sanctioned_i1() -> Sanctioned {
        let sanction = Sentence::new(&m::SUCCESSOR_SANCTION_OPEN, &[("kind", &sanction_kind("disqualified")), ("from", "2026Q1")]);
        BTreeMap::from([("I1".to_string(), (day(2026, 1, 1), sanction.embed()))])
    }

    #[test]
    fn a_new_institution_with_the_legal_representative_of_a_disqualified_one_is_a_successor() {
        let rep = "a".repeat(64);
        let identities = vec![
            identity("I1", day(2015, 3, 1), &rep, "ACC1"),
            identity("I2", day(2026, 4, 20), &rep, "ACC2"),
            identity("I3", day(2018, 1, 1), "REP3", "ACC3"),
        ];
        let found = links(&identities, &sanctioned_i1(), &|_| false, 365, 0.6);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].institution_id, "I2");
        assert_eq!(found[0].strength, 1.0);
        assert_eq!(
            found[0].evidence.render(crate::vocab::Lang::Zh),
            "与 I1 共用法定代表人 aaaaaaaaaaaa（取消资格处罚 2026Q1 起，无截止期）；2026-04-20 取得办学许可，晚于 I1 受处罚"
        );
        assert_eq!(
            found[0].evidence.render(crate::vocab::Lang::En),
            "shares its legal representative aaaaaaaaaaaa with I1 (disqualified sanction 2026Q1 with no end); licensed 2026-04-20, after I1 was sanctioned"
        );
    }

    #[test]
    fn an_old_sister_institution_sharing_the_account_is_weaker_and_unrelated_ones_are_not_linked() {
        let identities = vec![identity("I1", day(2015, 3, 1), "REP1", "ACC1"), identity("I2", day(2016, 1, 1), "REP2", "ACC1"), identity("I3", day(2026, 4, 1), "REP3", "ACC3")];
        let found = links(&identities, &sanctioned_i1(), &|_| false, 365, 0.6);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].strength, 0.6);
        assert!(found[0].evidence.render(crate::vocab::Lang::En).starts_with("shares its bank account ACC1 with I1"), "{:?}", found[0].evidence);
    }

    #[test]
    fn no_sanctioned_institution_means_no_successor() {
        let identities = vec![identity("I1", day(2015, 3, 1), "REP", "ACC"), identity("I2", day(2026, 4, 20), "REP", "ACC")];
        assert!(links(&identities, &BTreeMap::new(), &|_| false, 365, 0.6).is_empty());
    }

    #[test]
    fn the_rows_behind_a_successor_name_each_sanctioned_source() {
        let found = BTreeMap::from([(
            "I2".to_string(),
            Link { institution_id: "I2".into(), evidence: Sentence::new(&m::SUCCESSOR_NONE, &[]), strength: 1.0, sources: vec!["I1".into(), "I9".into()] },
        )]);
        let rows = behind(&found, &std::collections::BTreeSet::from(["I2".to_string()]));
        let keys: Vec<(&str, &str, &str)> = rows.iter().map(|(id, r)| (id.as_str(), r.row_key.as_str(), r.part.as_str())).collect();
        assert_eq!(keys, [("I2", "I1", "source:I1"), ("I2", "I9", "source:I9")]);
        assert!(behind(&found, &std::collections::BTreeSet::from(["I1".to_string()])).is_empty());
    }
}
