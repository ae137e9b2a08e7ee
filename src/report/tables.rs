//! The output tables of `../shared/spec/outputs.md`: flags, recoveries, holds, rejects. Money
//! leaves the engine here, converted from integer fen to `decimal(14,2)`; every table is sorted
//! by its key columns so that the same inputs write the same bytes.

use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::policy::Policy;
use crate::quarter::Quarter;
use crate::rules::{self, Findings};
use crate::vocab::{RuleId, Severity};
use polars::prelude::*;

/// Output columns.
pub const FLAG_ID: &str = "flag_id";
pub const KIND: &str = "kind";
pub const SEVERITY: &str = "severity";
pub const ENTITY_KIND: &str = "entity_kind";
pub const AMOUNT_AT_RISK: &str = "amount_at_risk";
pub const QUARTER: &str = "quarter";

/// A fen column as `decimal(14,2)` named `name`.
pub fn decimal_from_fen(name: &str, fen: &Column) -> Result<Column> {
    let values = fen.i64().context("money in fen")?;
    let wide: Int128Chunked = values.iter().map(|value| value.map(i128::from)).collect();
    let decimal = wide.with_name(name.into()).into_decimal(14, 2).context("money as decimal(14,2)")?;
    Ok(decimal.into_series().into_column())
}

/// Replaces the fen column `fen_name` of `frame` by a decimal column `name`, in place.
pub fn with_decimal(mut frame: DataFrame, fen_name: &str, name: &str) -> Result<DataFrame> {
    let position = frame.get_column_index(fen_name).ok_or_else(|| crate::Error::invalid(format!("no column {fen_name}")))?;
    let decimal = decimal_from_fen(name, frame.column(fen_name).context("money")?)?;
    frame.replace_column(position, decimal).context("replacing money")?;
    Ok(frame)
}

/// `flags.parquet`: the rules' findings, the decisions dated in the quarter, and the signals'
/// rows (`signal_flags`, in the same columns with `amount_fen`).
pub fn flags(findings: &Findings, signal_flags: &DataFrame, policy: &Policy, quarter: Quarter) -> Result<DataFrame> {
    let severity = |frame: LazyFrame| {
        let mut expr = lit(Severity::Medium.as_str());
        for id in RuleId::ALL.iter().filter(|id| id.configurable()) {
            expr = when(col(c::RULE).eq(lit(id.as_str()))).then(lit(policy.severity(*id).as_str())).otherwise(expr);
        }
        frame.with_column(expr.alias(SEVERITY))
    };
    let at_stake = when(col(c::CLAIM_STATUS).eq(lit("rejected")).or(col(rules::OVERTURNED)))
        .then(lit(0i64))
        .otherwise(col(rules::PART_FEN));
    let suffix = when(col(rules::OVERTURNED))
        .then(lit("; overturned on appeal: no points, no money"))
        .when(col(c::CLAIM_STATUS).eq(lit("rejected")))
        .then(lit("; claim rejected: no money at stake"))
        .otherwise(lit(""));
    let breaches = severity(findings.line_flags.clone().lazy()).select([
        concat_str([col(c::RULE), lit(":"), col(c::LINE_ID)], "", false).alias(FLAG_ID),
        lit("breach").alias(KIND),
        col(c::RULE),
        col(SEVERITY),
        col(c::INSTITUTION_ID),
        lit("claim_line").alias(ENTITY_KIND),
        col(c::LINE_ID).alias(c::ENTITY_ID),
        at_stake.alias("amount_fen"),
        concat_str([col(rules::EVIDENCE), suffix], "", false).alias(rules::EVIDENCE),
        col(rules::OVERTURNED),
    ]);
    let procedural = severity(findings.procedural.clone().lazy()).select([
        concat_str([col(c::RULE), lit(":"), col(c::ENTITY_ID)], "", false).alias(FLAG_ID),
        lit("procedural").alias(KIND),
        col(c::RULE),
        col(SEVERITY),
        col(c::INSTITUTION_ID),
        col(ENTITY_KIND),
        col(c::ENTITY_ID),
        lit(0i64).cast(DataType::Int64).alias("amount_fen"),
        concat_str(
            [col(rules::EVIDENCE), when(col(rules::OVERTURNED)).then(lit("; overturned on appeal: no points")).otherwise(lit(""))],
            "",
            false,
        )
        .alias(rules::EVIDENCE),
        col(rules::OVERTURNED),
    ]);
    let keep_codes = |frame: LazyFrame, schema_has_code: bool| if schema_has_code { frame } else { super::texts::stored(frame, rules::EVIDENCE) };
    let has_code = |frame: &DataFrame| frame.get_column_index("evidence_code").is_some();
    let breaches = keep_codes(breaches, findings.line_flags.get_column_index("evidence_code").is_some());
    let procedural = keep_codes(procedural, findings.procedural.get_column_index("evidence_code").is_some());
    let decisions = decision_flags(findings, quarter)?;
    let decisions = keep_codes(decisions.clone().lazy(), has_code(&decisions));
    let signals = keep_codes(signal_flags.clone().lazy(), has_code(signal_flags));
    let frame = concat([breaches, procedural, decisions, signals], UnionArgs::default())
        .and_then(|all| {
            all.with_column(lit(quarter.to_string()).alias(QUARTER))
                .sort([FLAG_ID, c::INSTITUTION_ID], SortMultipleOptions::default().with_maintain_order(true))
                .collect()
        })
        .context("gathering flags")?;
    with_decimal(frame, "amount_fen", AMOUNT_AT_RISK)
}

/// One `decision` flag per case decision dated in the quarter.
fn decision_flags(findings: &Findings, quarter: Quarter) -> Result<DataFrame> {
    let mut rows: Vec<[String; 4]> = Vec::new();
    let mut amounts = Vec::new();
    for (institution, decisions) in &findings.standing.decisions {
        for decision in decisions.iter().filter(|d| quarter.contains(d.decided_on)) {
            let severity = match decision.finding.as_str() {
                "fraud_confirmed" => "high",
                "violation" => "medium",
                _ => "low",
            };
            let amount = decision.amount_fen.map(|fen| format!(", amount defrauded {}", crate::money::yuan(fen))).unwrap_or_default();
            let note = decision.note.as_deref().map(|n| format!(": {n}")).unwrap_or_default();
            rows.push([
                format!("DECISION:{institution}@{}", decision.decided_on),
                severity.to_string(),
                institution.clone(),
                format!("{} decided on {}{amount}{note}", decision.finding, decision.decided_on),
            ]);
            amounts.push(if decision.finding == "fraud_confirmed" { decision.amount_fen.unwrap_or(0) } else { 0 });
        }
    }
    let height = rows.len();
    let column = |index: usize| rows.iter().map(|row| row[index].clone()).collect::<Vec<_>>();
    DataFrame::new(
        height,
        vec![
            Column::new(FLAG_ID.into(), column(0)),
            Column::new(KIND.into(), vec!["decision"; height]),
            Column::new(c::RULE.into(), vec!["DECISION"; height]),
            Column::new(SEVERITY.into(), column(1)),
            Column::new(c::INSTITUTION_ID.into(), column(2)),
            Column::new(ENTITY_KIND.into(), vec!["institution"; height]),
            Column::new(c::ENTITY_ID.into(), column(2)),
            Column::new("amount_fen".into(), amounts),
            Column::new(rules::EVIDENCE.into(), column(3)),
            Column::new(rules::OVERTURNED.into(), vec![false; height]),
        ],
    )
    .context("building decision flags")
}

/// `recoveries.parquet` or `holds.parquet` from the rules' money rows.
pub fn money_table(rows: &DataFrame) -> Result<DataFrame> {
    let frame = with_decimal(rows.clone(), rules::AMOUNT_FEN, c::AMOUNT)?;
    Ok(frame)
}
