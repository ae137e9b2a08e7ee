//! The sanctions ledger a run writes (`sanctions.parquet`): the standing sanctions carried
//! forward and the bans and disqualifications this quarter's tiers add. It is its own file
//! because the next quarter reads it back as its input ledger (data-contract.md, `sanctions`),
//! so its rows are a contract of their own, apart from how tiers are decided.
//!
//! One row per institution and continuous ban: a ban decided while another is in force extends
//! it (policy.md, tier D), so bans that overlap or touch (the next starts at most one quarter
//! after the last ends) are one ban, from the earliest start to the latest end (none when either
//! has none), keeping every reason in order. A gap of a quarter or more leaves two rows. A ban
//! never merges with a disqualification (different sanctions, different consequences), and
//! disqualifications stay one row each: a later `cleared` decision ends a disqualification
//! decided before it (policy.md), so each one's own start decides which clearance ends it, and a
//! merged start would let the clearance of the first end the second (the engine adds none while
//! one is in force, so only a bureau's own rows can stand side by side).

use super::Rating;
use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::quarter::Quarter;
use crate::rules::evidence::{self, Stored};
use crate::rules::sanctions::{encode_reasons, Sanction, REASON_ARGS, REASON_CODE};
use crate::vocab::messages::rules as m;
use crate::vocab::Tier;
use polars::prelude::*;
use std::collections::BTreeMap;

/// The ledger after this quarter: every standing sanction carried forward, a `ban` Q+1 … Q+n
/// for each new tier D, a `disqualified` sanction from Q for each new tier X, periods merged.
/// `reason` is left null for `texts::render` to write in the run's language from `reason_code`
/// and `reason_args`.
pub fn updated_ledger(ledger: &BTreeMap<(String, String, Quarter), Sanction>, ratings: &[Rating], quarter: Quarter) -> Result<DataFrame> {
    let mut rows = ledger.clone();
    let in_quarter = quarter.to_string();
    for rating in ratings {
        let key_ban = (rating.institution_id.clone(), "ban".to_string(), quarter.offset(1));
        if rating.tier == Tier::D && rating.new_ban {
            let from = quarter.offset(1).to_string();
            let reason = match rating.banned_until {
                Some(until) => Stored::new(&m::LEDGER_TIER_D, &[("quarter", &in_quarter), ("from", &from), ("until", &until.to_string())]),
                None => Stored::new(&m::LEDGER_TIER_D_OPEN, &[("quarter", &in_quarter), ("from", &from)]),
            };
            let mut reasons = rows.get(&key_ban).map(|held| held.reasons.clone()).unwrap_or_default();
            reasons.push(reason);
            rows.insert(key_ban, Sanction { kind: "ban".into(), from: quarter.offset(1), until: rating.banned_until, reasons });
        }
        if rating.tier == Tier::X {
            let already = rows.iter().any(|((id, kind, _), s)| id == &rating.institution_id && kind == "disqualified" && s.covers(quarter));
            if !already {
                let reason = Stored::new(&m::LEDGER_TIER_X, &[("quarter", &in_quarter), ("from", &in_quarter)]);
                rows.insert(
                    (rating.institution_id.clone(), "disqualified".into(), quarter),
                    Sanction { kind: "disqualified".into(), from: quarter, until: None, reasons: vec![reason] },
                );
            }
        }
    }
    let rows = merge_periods(rows);
    let height = rows.len();
    let mut ids = Vec::with_capacity(height);
    let mut kinds = Vec::with_capacity(height);
    let mut froms = Vec::with_capacity(height);
    let mut untils = Vec::with_capacity(height);
    let mut codes = Vec::with_capacity(height);
    let mut args = Vec::with_capacity(height);
    for (id, sanction) in rows {
        let (code, stored) = encode_reasons(&sanction.reasons);
        ids.push(id);
        kinds.push(sanction.kind);
        froms.push(sanction.from.to_string());
        untils.push(sanction.until.map(|q| q.to_string()));
        codes.push(code);
        args.push(stored);
    }
    let args = evidence::args_column(REASON_ARGS, args.iter().map(|a| Some(a.as_slice()))).context("the ledger's reasons")?;
    DataFrame::new(
        height,
        vec![
            Column::new(c::INSTITUTION_ID.into(), ids),
            Column::new(c::KIND.into(), kinds),
            Column::new(c::FROM_QUARTER.into(), froms),
            Column::new(c::UNTIL_QUARTER.into(), untils),
            Column::new_empty(c::REASON.into(), &DataType::String).extend_constant(AnyValue::Null, height).context("the ledger's reasons")?,
            Column::new(REASON_CODE.into(), codes),
            args,
        ],
    )
    .context("building the sanctions ledger")
}

/// One ban per institution and continuous period, disqualifications as they are (see the
/// module's documentation), in (institution, kind, from) order. Reasons keep their order, each once.
pub(crate) fn merge_periods(rows: BTreeMap<(String, String, Quarter), Sanction>) -> Vec<(String, Sanction)> {
    let mut merged: Vec<(String, Sanction)> = Vec::with_capacity(rows.len());
    // Keys sort by institution, kind, then start: each run of one institution and kind is in
    // order of start, so a period can only continue the one before it.
    for ((id, kind, _), sanction) in rows {
        if let Some((last_id, last)) = merged.last_mut() {
            let continues =
                kind == "ban" && *last_id == id && last.kind == kind && last.until.is_none_or(|until| sanction.from <= until.offset(1));
            if continues {
                last.until = match (last.until, sanction.until) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
                for reason in sanction.reasons {
                    if !last.reasons.contains(&reason) {
                        last.reasons.push(reason);
                    }
                }
                continue;
            }
        }
        merged.push((id, sanction));
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Lang;

    fn q(text: &str) -> Quarter {
        text.parse().unwrap()
    }

    fn ban(id: &str, from: &str, until: Option<&str>, reason: &str) -> ((String, String, Quarter), Sanction) {
        let reasons = vec![Stored::new(&crate::vocab::messages::TEXT, &[("text", reason)])];
        ((id.into(), "ban".into(), q(from)), Sanction { kind: "ban".into(), from: q(from), until: until.map(q), reasons })
    }

    fn periods(rows: Vec<((String, String, Quarter), Sanction)>) -> Vec<String> {
        merge_periods(rows.into_iter().collect())
            .into_iter()
            .map(|(id, s)| {
                let reasons: Vec<String> = s.reasons.iter().map(|r| r.render(Lang::En)).collect();
                format!("{id} {} {}–{} {}", s.kind, s.from, s.until.map(|u| u.to_string()).unwrap_or("open".into()), reasons.join("/"))
            })
            .collect()
    }

    #[test]
    fn overlapping_and_adjacent_periods_merge_a_gap_of_a_quarter_does_not() {
        // Three overlapping bans of one institution (a ban extended each quarter): one row.
        assert_eq!(
            periods(vec![ban("I1", "2026Q2", Some("2027Q1"), "a"), ban("I1", "2026Q3", Some("2027Q2"), "b"), ban("I1", "2026Q4", Some("2027Q3"), "c")]),
            ["I1 ban 2026Q2–2027Q3 a/b/c"]
        );
        // The next quarter after the end: adjacent, one continuous ban.
        assert_eq!(periods(vec![ban("I1", "2026Q1", Some("2026Q2"), "a"), ban("I1", "2026Q3", Some("2026Q4"), "b")]), ["I1 ban 2026Q1–2026Q4 a/b"]);
        // A quarter with no ban in between: two sanctions.
        assert_eq!(
            periods(vec![ban("I1", "2026Q1", Some("2026Q2"), "a"), ban("I1", "2026Q4", Some("2027Q1"), "b")]),
            ["I1 ban 2026Q1–2026Q2 a", "I1 ban 2026Q4–2027Q1 b"]
        );
        // Across a year's end: 2026Q4 then 2027Q1 touch.
        assert_eq!(periods(vec![ban("I1", "2026Q3", Some("2026Q4"), "a"), ban("I1", "2027Q1", None, "b")]), ["I1 ban 2026Q3–open a/b"]);
    }

    #[test]
    fn an_open_ended_ban_absorbs_every_later_one_and_kinds_institutions_and_disqualifications_stay_apart() {
        assert_eq!(
            periods(vec![ban("I1", "2026Q1", None, "a"), ban("I1", "2027Q4", Some("2028Q1"), "b"), ban("I2", "2026Q1", Some("2026Q2"), "c")]),
            ["I1 ban 2026Q1–open a/b", "I2 ban 2026Q1–2026Q2 c"]
        );
        // A period inside a longer one: the longer end stands; the same reason is kept once.
        assert_eq!(periods(vec![ban("I1", "2026Q1", Some("2027Q4"), "a"), ban("I1", "2026Q2", Some("2026Q3"), "a")]), ["I1 ban 2026Q1–2027Q4 a"]);
        let (key, mut disqualified) = ban("I1", "2026Q2", None, "x");
        disqualified.kind = "disqualified".into();
        let rows = vec![ban("I1", "2026Q1", Some("2026Q4"), "a"), ((key.0.clone(), "disqualified".into(), key.2), disqualified.clone())];
        assert_eq!(periods(rows), ["I1 ban 2026Q1–2026Q4 a", "I1 disqualified 2026Q2–open x"]);
        // Two disqualifications stay apart, touching or not: each has its own start for a clearance.
        let earlier = Sanction { from: q("2025Q3"), until: Some(q("2026Q1")), ..disqualified.clone() };
        let rows = vec![((key.0.clone(), "disqualified".into(), q("2025Q3")), earlier), ((key.0, "disqualified".into(), key.2), disqualified)];
        assert_eq!(periods(rows), ["I1 disqualified 2025Q3–2026Q1 x", "I1 disqualified 2026Q2–open x"]);
    }
}
