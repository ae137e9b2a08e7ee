//! The sanctions ledger a run writes (`sanctions.parquet`): the standing sanctions carried
//! forward and the bans and disqualifications this quarter's tiers add. It is its own file
//! because the next quarter reads it back as its input ledger (data-contract.md, `sanctions`),
//! so its rows are a contract of their own, apart from how tiers are decided.

use super::Rating;
use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::quarter::Quarter;
use crate::rules::sanctions::Sanction;
use crate::vocab::Tier;
use polars::prelude::*;
use std::collections::BTreeMap;

/// The ledger after this quarter: every standing sanction carried forward, a `ban` Q+1 … Q+n
/// for each new tier D, a `disqualified` sanction from Q for each new tier X.
pub fn updated_ledger(ledger: &BTreeMap<(String, String, Quarter), Sanction>, ratings: &[Rating], quarter: Quarter) -> Result<DataFrame> {
    let mut rows = ledger.clone();
    for rating in ratings {
        let key_ban = (rating.institution_id.clone(), "ban".to_string(), quarter.offset(1));
        if rating.tier == Tier::D && rating.new_ban {
            rows.insert(
                key_ban,
                Sanction { kind: "ban".into(), from: quarter.offset(1), until: rating.banned_until, reason: Some(format!("tier D in {quarter}: {}", rating.tier_rule)) },
            );
        }
        if rating.tier == Tier::X {
            let already = rows.iter().any(|((id, kind, _), s)| id == &rating.institution_id && kind == "disqualified" && s.covers(quarter));
            if !already {
                rows.insert(
                    (rating.institution_id.clone(), "disqualified".into(), quarter),
                    Sanction { kind: "disqualified".into(), from: quarter, until: None, reason: Some(format!("tier X in {quarter}: {}", rating.tier_rule)) },
                );
            }
        }
    }
    let height = rows.len();
    let mut ids = Vec::with_capacity(height);
    let mut kinds = Vec::with_capacity(height);
    let mut froms = Vec::with_capacity(height);
    let mut untils = Vec::with_capacity(height);
    let mut reasons = Vec::with_capacity(height);
    for ((id, kind, from), sanction) in rows {
        ids.push(id);
        kinds.push(kind);
        froms.push(from.to_string());
        untils.push(sanction.until.map(|q| q.to_string()));
        reasons.push(sanction.reason);
    }
    DataFrame::new(
        height,
        vec![
            Column::new(c::INSTITUTION_ID.into(), ids),
            Column::new(c::KIND.into(), kinds),
            Column::new(c::FROM_QUARTER.into(), froms),
            Column::new(c::UNTIL_QUARTER.into(), untils),
            Column::new(c::REASON.into(), reasons),
        ],
    )
    .context("building the sanctions ledger")
}
