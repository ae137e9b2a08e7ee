//! The sanctions ledger a run writes (`sanctions.parquet`): the standing sanctions carried
//! forward and the bans and disqualifications this quarter's tiers add. It is its own file
//! because the next quarter reads it back as its input ledger (data-contract.md, `sanctions`),
//! so its rows are a contract of their own, apart from how tiers are decided.
//!
//! One row per sanction decision, not per continuous period (issue 16 asked for the latter "or
//! say why not"): a ban decided while another is in force extends it in effect (policy.md, tier
//! D), but it is a decision of its own, taken in its own quarter, and `publication/` publishes it
//! as an administrative penalty with its own decision day, publication period and earliest
//! repair, and a later `cleared` decision ends only the disqualifications decided before it.
//! Merging the rows would lose those dates and stop the extension from being published. The
//! report's publication table lists them per decision, with their status; `until_quarter` of the
//! latest row is when the institution may claim again.

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
/// for each new tier D, a `disqualified` sanction from Q for each new tier X, one row each.
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
    let rows: Vec<(String, Sanction)> = rows.into_iter().map(|((id, _, _), sanction)| (id, sanction)).collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Quarter {
        text.parse().unwrap()
    }

    fn ban(id: &str, from: &str, until: Option<&str>, reason: &str) -> ((String, String, Quarter), Sanction) {
        let reasons = vec![Stored::new(&crate::vocab::messages::TEXT, &[("text", reason)])];
        ((id.into(), "ban".into(), q(from)), Sanction { kind: "ban".into(), from: q(from), until: until.map(q), reasons })
    }

    #[test]
    fn a_carried_sanction_keeps_its_row_and_the_bureaus_reason_as_written() {
        let ledger: BTreeMap<_, _> = [ban("I1", "2026Q1", Some("2026Q4"), "局里的处罚决定")].into_iter().collect();
        let frame = updated_ledger(&ledger, &[], q("2026Q3")).unwrap();
        assert_eq!(frame.height(), 1);
        let codes: Vec<Option<&str>> = frame.column(REASON_CODE).unwrap().str().unwrap().iter().collect();
        assert_eq!(codes, vec![Some("text")]);
        let froms: Vec<Option<&str>> = frame.column(c::FROM_QUARTER).unwrap().str().unwrap().iter().collect();
        assert_eq!(froms, vec![Some("2026Q1")]);
    }
}
