//! One quarter's leads laid over the ledger the investigators handed back: a lead seen again
//! updates its case, a closed case reopens only when its lead escalates (a higher risk score or a
//! signal it did not have), and every other case is carried as it was.

use super::{scheme_of, Case, Lead, Status, BREACHES};
use crate::quarter::Quarter;
use crate::vocab::messages::cases as msg;
use crate::vocab::Lang;
use std::collections::{BTreeMap, HashMap};

/// The ledger after `quarter`: `previous` (as edited) updated by `leads`, sorted by case id.
/// `money` gives each institution's paid and pending fen in the quarter. What the run writes into
/// a reopened case's note is in `lang`.
pub fn carry(previous: Vec<Case>, leads: &[Lead], money: &HashMap<String, (i64, i64)>, quarter: Quarter, lang: Lang) -> Vec<Case> {
    let quarter = quarter.to_string();
    let mut cases: BTreeMap<String, Case> = previous
        .into_iter()
        .map(|mut case| {
            // Opened by an earlier run: no longer new.
            if case.status == Status::New {
                case.status = Status::Open;
            }
            (case.case_id.clone(), case)
        })
        .collect();
    for lead in leads {
        let (paid_fen, pending_fen) = money.get(&lead.institution_id).copied().unwrap_or((0, 0));
        for (scheme, signals) in schemes(lead) {
            let case_id = format!("{}/{scheme}", lead.institution_id);
            let seen = Case {
                case_id: case_id.clone(),
                institution_id: lead.institution_id.clone(),
                scheme: scheme.to_string(),
                opened_in: quarter.clone(),
                last_seen_in: quarter.clone(),
                status: Status::New,
                priority: if lead.high_priority { "high" } else { "normal" }.to_string(),
                assignee: None,
                due_on: None,
                resolution: None,
                resolution_reason: None,
                note: None,
                signals: signals.join(", "),
                risk_score: lead.risk_score,
                rank: lead.rank,
                paid_fen,
                pending_fen,
            };
            match cases.get_mut(&case_id) {
                None => {
                    cases.insert(case_id, seen);
                }
                Some(case) => update(case, seen, &quarter, lang),
            }
        }
    }
    cases.into_values().collect()
}

/// The lead's fired signals by scheme, each scheme's signals strongest first.
fn schemes(lead: &Lead) -> BTreeMap<&str, Vec<&str>> {
    let mut schemes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for signal in &lead.signals {
        schemes.entry(scheme_of(signal)).or_default().push(signal);
    }
    if schemes.is_empty() {
        schemes.insert(BREACHES, Vec::new());
    }
    schemes
}

/// `case` seen again as `seen`. An open case takes the lead's figures; a closed one keeps those it
/// was closed on (so that escalation is measured against them) unless the lead escalated, when it
/// reopens with the reason and its earlier resolution written into the note.
fn update(case: &mut Case, seen: Case, quarter: &str, lang: Lang) {
    case.last_seen_in = quarter.to_string();
    if case.status == Status::Closed {
        let Some(reasons) = escalation(case, &seen, lang) else { return };
        let closed_as = case.resolution.map_or("", |resolution| resolution.label(lang));
        let closing_reason =
            case.resolution_reason.take().map(|reason| msg::CLOSING_REASON.render(lang, &[("reason", &reason)])).unwrap_or_default();
        let reopened = msg::REOPENED.render(
            lang,
            &[("quarter", quarter), ("reasons", &reasons), ("closed_as", closed_as), ("closing_reason", &closing_reason)],
        );
        case.note = Some(match case.note.take() {
            Some(note) if !note.is_empty() => format!("{note}\n{reopened}"),
            _ => reopened,
        });
        case.status = Status::Open;
        case.resolution = None;
    }
    case.priority = seen.priority;
    case.signals = seen.signals;
    case.risk_score = seen.risk_score;
    case.rank = seen.rank;
    case.paid_fen = seen.paid_fen;
    case.pending_fen = seen.pending_fen;
}

/// Why a lead seen again escalates its closed case, or `None`: a higher risk score, or a signal
/// of the scheme the case did not have.
fn escalation(case: &Case, seen: &Case, lang: Lang) -> Option<String> {
    let had: Vec<&str> = case.signals.split(", ").filter(|signal| !signal.is_empty()).collect();
    let new: Vec<&str> = seen.signals.split(", ").filter(|signal| !signal.is_empty() && !had.contains(signal)).collect();
    let mut reasons = Vec::new();
    if seen.risk_score > case.risk_score {
        let (from, to) = (format!("{:.4}", case.risk_score), format!("{:.4}", seen.risk_score));
        reasons.push(msg::RISK_ROSE.render(lang, &[("from", &from), ("to", &to)]));
    }
    if !new.is_empty() {
        reasons.push(msg::NEW_SIGNALS.render(lang, &[("signals", &new.join(", "))]));
    }
    (!reasons.is_empty()).then(|| reasons.join(msg::AND.template(lang)))
}

#[cfg(test)]
mod tests {
    use super::super::Resolution;
    use super::*;

    fn lead(institution: &str, rank: u32, risk_score: f64, signals: &[&str]) -> Lead {
        Lead {
            institution_id: institution.into(),
            rank,
            risk_score,
            high_priority: risk_score >= 0.9,
            signals: signals.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn q(text: &str) -> Quarter {
        text.parse().unwrap()
    }

    #[test]
    fn a_lead_opens_one_case_per_scheme_and_updates_them_when_seen_again() {
        let money = HashMap::from([("I1".to_string(), (100_000, 25_050))]);
        let first = carry(Vec::new(), &[lead("I1", 1, 0.8, &["shared_contacts", "benford", "successor"]), lead("I2", 2, 0.3, &[])], &money, q("2026Q2"), Lang::Zh);
        let ids: Vec<(&str, &str, Status)> = first.iter().map(|c| (c.case_id.as_str(), c.signals.as_str(), c.status)).collect();
        assert_eq!(ids, vec![("I1/claims", "benford", Status::New), ("I1/network", "shared_contacts, successor", Status::New), ("I2/breaches", "", Status::New)]);
        assert_eq!((first[0].paid_fen, first[0].pending_fen, first[2].paid_fen), (100_000, 25_050, 0));

        let second = carry(first, &[lead("I1", 3, 0.95, &["successor"])], &HashMap::new(), q("2026Q3"), Lang::Zh);
        let rows: Vec<(&str, &str, &str, Status, u32, &str)> =
            second.iter().map(|c| (c.case_id.as_str(), c.opened_in.as_str(), c.last_seen_in.as_str(), c.status, c.rank, c.priority.as_str())).collect();
        assert_eq!(
            rows,
            vec![
                ("I1/claims", "2026Q2", "2026Q2", Status::Open, 1, "normal"),
                ("I1/network", "2026Q2", "2026Q3", Status::Open, 3, "high"),
                ("I2/breaches", "2026Q2", "2026Q2", Status::Open, 2, "normal"),
            ]
        );
    }

    #[test]
    fn a_closed_case_reopens_only_when_its_lead_escalates() {
        let mut ledger = carry(Vec::new(), &[lead("I1", 1, 0.8, &["shared_contacts"]), lead("I2", 2, 0.7, &["benford"])], &HashMap::new(), q("2026Q2"), Lang::Zh);
        for case in &mut ledger {
            case.status = Status::Closed;
            case.resolution = Some(Resolution::FalsePositive);
            case.resolution_reason = Some("同一家庭共用电话".into());
        }
        // I1: lower risk, same signal → stays closed, keeps what it was closed on. I2: higher risk.
        let next = carry(ledger, &[lead("I1", 4, 0.6, &["shared_contacts"]), lead("I2", 1, 0.85, &["benford"])], &HashMap::new(), q("2026Q3"), Lang::Zh);
        assert_eq!((next[0].status, next[0].risk_score, next[0].rank, next[0].last_seen_in.as_str()), (Status::Closed, 0.8, 1, "2026Q3"));
        assert_eq!(next[0].resolution, Some(Resolution::FalsePositive));
        assert_eq!((next[1].status, next[1].resolution, next[1].resolution_reason.as_deref()), (Status::Open, None, None));
        assert_eq!(next[1].note.as_deref(), Some("2026Q3 重新打开：风险分 0.7000 → 0.8500；此前结案为“误报”（同一家庭共用电话）"));

        // A new signal of the scheme reopens too, even at a lower risk; the earlier note is kept.
        let mut ledger = next;
        ledger[1].status = Status::Closed;
        ledger[1].resolution = Some(Resolution::Cleared);
        let next = carry(ledger, &[lead("I1", 2, 0.5, &["successor", "shared_contacts"]), lead("I2", 1, 0.5, &["benford"])], &HashMap::new(), q("2026Q4"), Lang::Zh);
        assert_eq!(next[0].status, Status::Open);
        assert_eq!(next[0].note.as_deref(), Some("2026Q4 重新打开：新信号 successor；此前结案为“误报”（同一家庭共用电话）"));
        assert_eq!(next[1].status, Status::Closed);

        // In English, the same reopening.
        let mut ledger = carry(Vec::new(), &[lead("I1", 1, 0.8, &["shared_contacts"])], &HashMap::new(), q("2026Q2"), Lang::En);
        ledger[0].status = Status::Closed;
        ledger[0].resolution = Some(Resolution::Confirmed);
        let next = carry(ledger, &[lead("I1", 1, 0.9, &["shared_contacts", "successor"])], &HashMap::new(), q("2026Q3"), Lang::En);
        assert_eq!(next[0].note.as_deref(), Some("2026Q3 reopened: risk score 0.8000 → 0.9000, new signals successor; previously closed as confirmed"));
    }
}
