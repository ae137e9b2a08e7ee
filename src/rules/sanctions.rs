//! R10 sanctioned_claimant: a claim submitted in a quarter in which its institution is under an
//! input sanction (`ban` or `disqualified`, from_quarter … until_quarter inclusive, null = no
//! end), or on or after a `fraud_confirmed` decision against it, unless a later `cleared`
//! decision came before the claim (the latest decision stands).

use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::ingest::contract::Table;
use crate::ingest::Export;
use crate::quarter::Quarter;
use crate::vocab::messages::rules as m;
use crate::vocab::RuleId;
use super::evidence::{self, Stored};
use super::line_rules::{breach_column, evidence_columns};
use chrono::NaiveDate;
use polars::prelude::*;
use std::collections::HashMap;

/// A standing sanction of the input ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sanction {
    pub kind: String,
    pub from: Quarter,
    pub until: Option<Quarter>,
    /// Why, as messages: the engine's own (a tier D or X, by code and arguments), or a bureau's
    /// text kept as written (message `text`). A ledger row that merged periods keeps each reason.
    pub reasons: Vec<Stored>,
}

impl Sanction {
    pub fn covers(&self, quarter: Quarter) -> bool {
        self.from <= quarter && self.until.is_none_or(|until| quarter <= until)
    }

    pub fn span(&self) -> String {
        match self.until {
            Some(until) => format!("{}–{until}", self.from),
            None => format!("{} with no end", self.from),
        }
    }
}

/// A case decision on an institution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub decided_on: NaiveDate,
    pub finding: String,
    pub amount_fen: Option<i64>,
    pub note: Option<String>,
}

/// Sanctions and decisions per institution, decisions in date order.
#[derive(Debug, Clone, Default)]
pub struct Standing {
    pub sanctions: HashMap<String, Vec<Sanction>>,
    pub decisions: HashMap<String, Vec<Decision>>,
}

impl Standing {
    pub fn from_export(export: &Export) -> Result<Standing> {
        let mut standing = Standing::default();
        standing.add_sanctions(export.frame(Table::Sanctions))?;
        standing.add_decisions(export.frame(Table::CaseDecisions))?;
        Ok(standing)
    }

    /// Adds the sanctions of a frame in the contract's shape; a sanction with the same
    /// (institution, kind, from_quarter) as one already held replaces it (a later ledger wins).
    pub fn add_sanctions(&mut self, sanctions: &DataFrame) -> Result<()> {
        let ids = sanctions.column(c::INSTITUTION_ID).context("sanctions")?.str().context("sanctions")?;
        let kinds = sanctions.column(c::KIND).context("sanctions")?.str().context("sanctions")?;
        let froms = sanctions.column(c::FROM_QUARTER).context("sanctions")?.str().context("sanctions")?;
        let untils = sanctions.column(c::UNTIL_QUARTER).context("sanctions")?.str().context("sanctions")?;
        let reasons = sanctions.column(c::REASON).context("sanctions")?.str().context("sanctions")?;
        for i in 0..sanctions.height() {
            // Validation rejected rows whose quarters do not parse.
            let (Some(id), Some(kind), Some(Ok(from))) = (ids.get(i), kinds.get(i), froms.get(i).map(str::parse::<Quarter>)) else {
                continue;
            };
            let until = untils.get(i).and_then(|text| text.parse().ok());
            let list = self.sanctions.entry(id.to_string()).or_default();
            list.retain(|held| !(held.kind == kind && held.from == from));
            let reasons = reasons.get(i).map(|text| vec![Stored::new(&crate::vocab::messages::TEXT, &[("text", text)])]).unwrap_or_default();
            list.push(Sanction { kind: kind.to_string(), from, until, reasons });
            list.sort_by(|a, b| (a.from, &a.kind).cmp(&(b.from, &b.kind)));
        }
        Ok(())
    }

    /// Adds a previous run's ledger (`sanctions.parquet`): its sanctions as [`Standing::add_sanctions`]
    /// does, each with the reasons it kept as codes (`reason_code`, `reason_args`) where the file
    /// has them, so they render in this run's language rather than the previous run's.
    pub fn add_ledger(&mut self, path: &std::path::Path) -> Result<()> {
        let files = vec![crate::ingest::read::TableFile { path: path.to_path_buf(), partitions: Vec::new() }];
        self.add_sanctions(&crate::ingest::read::read_table(Table::Sanctions, files)?.frame)?;
        let what = format!("reading the reasons of {}", path.display());
        let scan = LazyFrame::scan_parquet(PlRefPath::from(path.to_string_lossy().as_ref()), Default::default()).context(&what)?;
        let schema = scan.clone().collect_schema().context(&what)?;
        if schema.get(REASON_CODE).is_none() || schema.get(REASON_ARGS).is_none() {
            return Ok(());
        }
        let coded = scan
            .select([col(c::INSTITUTION_ID), col(c::KIND), col(c::FROM_QUARTER), col(REASON_CODE), col(REASON_ARGS)])
            .collect()
            .context(&what)?;
        let ids = coded.column(c::INSTITUTION_ID).context(&what)?.str().context(&what)?;
        let kinds = coded.column(c::KIND).context(&what)?.str().context(&what)?;
        let froms = coded.column(c::FROM_QUARTER).context(&what)?.str().context(&what)?;
        let codes = coded.column(REASON_CODE).context(&what)?.str().context(&what)?;
        let args = coded.column(REASON_ARGS).context(&what)?.list().context(&what)?;
        for i in 0..coded.height() {
            let (Some(id), Some(kind), Some(Ok(from)), Some(code)) = (ids.get(i), kinds.get(i), froms.get(i).map(str::parse::<Quarter>), codes.get(i)) else {
                continue;
            };
            let stored: Vec<String> = args
                .get_as_series(i)
                .and_then(|series| series.str().ok().map(|s| s.iter().map(|v| v.unwrap_or_default().to_string()).collect()))
                .unwrap_or_default();
            // A code this engine does not know keeps the text the file holds (read above).
            let Some(reasons) = decode_reasons(code, &stored) else { continue };
            if let Some(held) = self.sanctions.get_mut(id).and_then(|list| list.iter_mut().find(|s| s.kind == kind && s.from == from)) {
                held.reasons = reasons;
            }
        }
        Ok(())
    }

    /// Adds the case decisions of a frame in the contract's shape.
    pub fn add_decisions(&mut self, decisions: &DataFrame) -> Result<()> {
        let decisions = decisions
            .sort([c::INSTITUTION_ID, c::DECIDED_ON], SortMultipleOptions::default())
            .context("sorting decisions")?;
        let ids = decisions.column(c::INSTITUTION_ID).context("decisions")?.str().context("decisions")?;
        let dates = decisions.column(c::DECIDED_ON).context("decisions")?.date().context("decisions")?;
        let findings = decisions.column(c::FINDING).context("decisions")?.str().context("decisions")?;
        let amounts = decisions.column(&c::fen(c::AMOUNT_DEFRAUDED)).context("decisions")?.i64().context("decisions")?;
        let notes = decisions.column(c::NOTE).context("decisions")?.str().context("decisions")?;
        for i in 0..decisions.height() {
            let (Some(id), Some(day), Some(finding)) = (ids.get(i), dates.phys.get(i), findings.get(i)) else { continue };
            self.decisions.entry(id.to_string()).or_default().push(Decision {
                decided_on: crate::frame::date_from_days(day),
                finding: finding.to_string(),
                amount_fen: amounts.get(i),
                note: notes.get(i).map(str::to_string),
            });
        }
        Ok(())
    }

    /// Every sanction keyed by (institution, kind, from_quarter), in key order.
    pub fn ledger(&self) -> std::collections::BTreeMap<(String, String, Quarter), Sanction> {
        self.sanctions
            .iter()
            .flat_map(|(id, list)| list.iter().map(move |s| ((id.clone(), s.kind.clone(), s.from), s.clone())))
            .collect()
    }

    /// The latest `fraud_confirmed` or `cleared` decision on or before `on`, if it is a
    /// `fraud_confirmed`: the institution is disqualified then.
    pub fn disqualifying_decision(&self, institution: &str, on: NaiveDate) -> Option<&Decision> {
        self.decisions
            .get(institution)?
            .iter()
            .filter(|d| d.decided_on <= on && (d.finding == "fraud_confirmed" || d.finding == "cleared"))
            .next_back()
            .filter(|d| d.finding == "fraud_confirmed")
    }

    /// Why a claim of `institution` submitted on `on` breaks R10, if it does: the sanction by its
    /// kind and period (its reason is in the ledger), or the decision by its day.
    pub fn r10_reason(&self, institution: &str, on: NaiveDate) -> Option<Stored> {
        let quarter = Quarter::of_date(on);
        let (submitted, in_quarter) = (on.to_string(), quarter.to_string());
        if let Some(sanction) = self.sanctions.get(institution).and_then(|list| list.iter().find(|s| s.covers(quarter))) {
            // The contract knows two kinds; validation refuses any other.
            let message = match (sanction.kind == "ban", sanction.until.is_some()) {
                (true, true) => &m::R10_BAN,
                (true, false) => &m::R10_BAN_OPEN,
                (false, true) => &m::R10_DISQUALIFIED,
                (false, false) => &m::R10_DISQUALIFIED_OPEN,
            };
            let (from, until) = (sanction.from.to_string(), sanction.until.map(|q| q.to_string()).unwrap_or_default());
            return Some(Stored::new(
                message,
                &[("submitted", &submitted), ("quarter", &in_quarter), ("institution", institution), ("from", &from), ("until", &until)],
            ));
        }
        self.disqualifying_decision(institution, on).map(|d| {
            Stored::new(&m::R10_DECISION, &[("submitted", &submitted), ("decided_on", &d.decided_on.to_string()), ("institution", institution)])
        })
    }
}

/// Columns of the ledger a run writes: its reasons as one code (several joined, see
/// `messages::JOINED`) and their arguments; `reason` is rendered from them in the run's language.
pub const REASON_CODE: &str = "reason_code";
pub const REASON_ARGS: &str = "reason_args";

/// The reasons a ledger row keeps (see [`REASON_CODE`]), as one code and one argument list.
pub fn encode_reasons(reasons: &[Stored]) -> (Option<String>, Vec<String>) {
    if reasons.is_empty() {
        return (None, Vec::new());
    }
    let code = reasons.iter().map(|r| r.code).collect::<Vec<_>>().join(&crate::vocab::messages::JOINED.to_string());
    (Some(code), reasons.iter().flat_map(|r| r.args.iter().cloned()).collect())
}

/// The reasons of a stored code and arguments; `None` when a code is unknown or the arguments do
/// not fit.
pub fn decode_reasons(code: &str, args: &[String]) -> Option<Vec<Stored>> {
    let one = |message: &'static crate::vocab::Message, args: &[String]| Stored { code: message.code, args: args.to_vec() };
    match crate::vocab::messages::find(code) {
        Some(message) => (message.params().len() == args.len()).then(|| vec![one(message, args)]),
        None => crate::vocab::messages::split_joined(code, args).map(|parts| parts.into_iter().map(|(m, a)| one(m, a)).collect()),
    }
}

/// R10 over the claims in scope: `claim_id`, `R10` and R10's evidence columns for claims in breach.
pub fn r10_sanctioned_claimant(export: &Export, standing: &Standing, quarter: Quarter) -> Result<DataFrame> {
    let claims = export.frame(Table::Claims);
    let ids = claims.column(c::CLAIM_ID).context("claims")?.str().context("claims")?;
    let institutions = claims.column(c::INSTITUTION_ID).context("claims")?.str().context("claims")?;
    let dates = claims.column(c::SUBMITTED_ON).context("claims")?.date().context("claims")?;
    let mut breach_ids = Vec::new();
    let mut evidence = Vec::new();
    for i in 0..claims.height() {
        let (Some(id), Some(institution), Some(day)) = (ids.get(i), institutions.get(i), dates.phys.get(i)) else { continue };
        let submitted = crate::frame::date_from_days(day);
        if !quarter.contains(submitted) {
            continue;
        }
        if let Some(reason) = standing.r10_reason(institution, submitted) {
            breach_ids.push(id.to_string());
            evidence.push(reason);
        }
    }
    let [code, args] = evidence_columns(RuleId::R10);
    let [code, args] = evidence::columns(&code, &args, &evidence).context("building R10's evidence")?;
    DataFrame::new(
        breach_ids.len(),
        vec![Column::new(c::CLAIM_ID.into(), &breach_ids), Column::new(breach_column(RuleId::R10).into(), vec![true; breach_ids.len()]), code, args],
    )
    .context("building R10's verdicts")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Lang;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn standing() -> Standing {
        let mut standing = Standing::default();
        standing.sanctions.insert(
            "I".into(),
            vec![Sanction { kind: "ban".into(), from: "2026Q1".parse().unwrap(), until: Some("2026Q4".parse().unwrap()), reasons: Vec::new() }],
        );
        standing.decisions.insert(
            "J".into(),
            vec![
                Decision { decided_on: date(2026, 5, 12), finding: "fraud_confirmed".into(), amount_fen: None, note: None },
                Decision { decided_on: date(2026, 8, 1), finding: "cleared".into(), amount_fen: None, note: None },
            ],
        );
        standing
    }

    #[test]
    fn a_ban_covers_its_first_and_last_quarter_only() {
        let standing = standing();
        assert_eq!(standing.r10_reason("I", date(2025, 12, 31)), None);
        let reason = standing.r10_reason("I", date(2026, 1, 1)).unwrap();
        assert_eq!(reason.render(Lang::En), "claim submitted 2026-01-01 (2026Q1) while I is under a ban 2026Q1–2026Q4");
        assert_eq!(reason.render(Lang::Zh), "申领提交于 2026-01-01（2026Q1），其时 I 处于禁止承接政府补贴培训期（2026Q1–2026Q4）");
        assert_eq!((reason.code, reason.args.as_slice()), ("rules.r10.ban", ["2026-01-01", "2026Q1", "I", "2026Q1", "2026Q4"].map(String::from).as_slice()));
        assert!(standing.r10_reason("I", date(2026, 12, 31)).is_some());
        assert_eq!(standing.r10_reason("I", date(2027, 1, 1)), None);
    }

    #[test]
    fn a_fraud_decision_holds_from_its_day_until_a_later_clearance() {
        let standing = standing();
        assert_eq!(standing.r10_reason("J", date(2026, 5, 11)), None);
        let reason = standing.r10_reason("J", date(2026, 5, 12)).unwrap();
        assert_eq!(reason.render(Lang::En), "claim submitted 2026-05-12, on or after the fraud_confirmed decision of 2026-05-12 against J");
        assert_eq!(reason.render(Lang::Zh), "申领提交于 2026-05-12，在 2026-05-12 认定 J 骗取补贴之日或之后");
        assert!(standing.r10_reason("J", date(2026, 7, 31)).is_some());
        assert_eq!(standing.r10_reason("J", date(2026, 8, 1)), None);
    }
}
