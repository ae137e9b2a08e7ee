//! The output tables of `../shared/spec/outputs.md`: flags, recoveries, holds, rejects. Money
//! leaves the engine here, converted from integer fen to `decimal(14,2)`; every table is sorted
//! by its key columns so that the same inputs write the same bytes.

use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::policy::Policy;
use crate::quarter::Quarter;
use crate::rules::evidence::{self, Said, Stored, EVIDENCE_ARGS, EVIDENCE_CODE};
use crate::rules::{self, Findings};
use crate::vocab::messages::rules as m;
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

/// Columns of the flags: a note rendered after the evidence (overturned on appeal, claim
/// rejected, a decision's own note), as a message code and its arguments; null when none.
pub const EVIDENCE_NOTE_CODE: &str = "evidence_note_code";
pub const EVIDENCE_NOTE_ARGS: &str = "evidence_note_args";

/// The columns of `flags.parquet`, in order (`amount_fen` becomes `amount_at_risk`, `evidence` is
/// rendered from its code and arguments when the table is written).
const FLAG_COLUMNS: [&str; 14] = [
    FLAG_ID,
    KIND,
    c::RULE,
    SEVERITY,
    c::INSTITUTION_ID,
    ENTITY_KIND,
    c::ENTITY_ID,
    "amount_fen",
    rules::EVIDENCE,
    rules::OVERTURNED,
    EVIDENCE_CODE,
    EVIDENCE_ARGS,
    EVIDENCE_NOTE_CODE,
    EVIDENCE_NOTE_ARGS,
];

/// `frame` in [`FLAG_COLUMNS`] order, with an (unrendered) `evidence` and no note where it has none.
fn flag_columns(frame: LazyFrame, schema: &Schema) -> LazyFrame {
    let columns: Vec<Expr> = FLAG_COLUMNS
        .iter()
        .map(|name| match *name {
            rules::EVIDENCE => lit(NULL).cast(DataType::String).alias(rules::EVIDENCE),
            EVIDENCE_NOTE_CODE | EVIDENCE_NOTE_ARGS if schema.get(name).is_none() => {
                let none = Said::nothing();
                if *name == EVIDENCE_NOTE_CODE { none.code.alias(*name) } else { none.args.alias(*name) }
            }
            EVIDENCE_ARGS | EVIDENCE_NOTE_ARGS => col(*name).cast(evidence::args_type()),
            _ => col(*name),
        })
        .collect();
    frame.select(columns)
}

/// `flags.parquet`: the rules' findings, the decisions dated in the quarter, and the signals'
/// rows (`signal_flags`, in the same columns with `amount_fen`). Evidence is kept as codes and
/// arguments; `texts::render` writes its text in the run's language.
pub fn flags(findings: &Findings, signal_flags: &DataFrame, policy: &Policy, quarter: Quarter) -> Result<DataFrame> {
    let severity = |frame: LazyFrame| {
        let mut expr = lit(Severity::Medium.as_str());
        for id in RuleId::ALL.iter().filter(|id| id.configurable()) {
            expr = when(col(c::RULE).eq(lit(id.as_str()))).then(lit(policy.severity(*id).as_str())).otherwise(expr);
        }
        frame.with_column(expr.alias(SEVERITY))
    };
    let rejected = col(c::CLAIM_STATUS).eq(lit("rejected"));
    let at_stake = when(rejected.clone().or(col(rules::OVERTURNED))).then(lit(0i64)).otherwise(col(rules::PART_FEN));
    let note = Said::when(
        col(rules::OVERTURNED),
        Said::of(&m::OVERTURNED, &[]),
        Said::when(rejected, Said::of(&m::CLAIM_REJECTED, &[]), Said::nothing()),
    );
    let breaches = severity(findings.line_flags.clone().lazy()).select([
        concat_str([col(c::RULE), lit(":"), col(c::LINE_ID)], "", false).alias(FLAG_ID),
        lit("breach").alias(KIND),
        col(c::RULE),
        col(SEVERITY),
        col(c::INSTITUTION_ID),
        lit("claim_line").alias(ENTITY_KIND),
        col(c::LINE_ID).alias(c::ENTITY_ID),
        at_stake.alias("amount_fen"),
        col(rules::OVERTURNED),
        col(EVIDENCE_CODE),
        col(EVIDENCE_ARGS),
        note.code.alias(EVIDENCE_NOTE_CODE),
        note.args.alias(EVIDENCE_NOTE_ARGS),
    ]);
    let note = Said::when(col(rules::OVERTURNED), Said::of(&m::OVERTURNED_PROCEDURAL, &[]), Said::nothing());
    let procedural = severity(findings.procedural.clone().lazy()).select([
        concat_str([col(c::RULE), lit(":"), col(c::ENTITY_ID)], "", false).alias(FLAG_ID),
        lit("procedural").alias(KIND),
        col(c::RULE),
        col(SEVERITY),
        col(c::INSTITUTION_ID),
        col(ENTITY_KIND),
        col(c::ENTITY_ID),
        lit(0i64).cast(DataType::Int64).alias("amount_fen"),
        col(rules::OVERTURNED),
        col(EVIDENCE_CODE),
        col(EVIDENCE_ARGS),
        note.code.alias(EVIDENCE_NOTE_CODE),
        note.args.alias(EVIDENCE_NOTE_ARGS),
    ]);
    let with_notes = Schema::from_iter([Field::new(EVIDENCE_NOTE_CODE.into(), DataType::String), Field::new(EVIDENCE_NOTE_ARGS.into(), evidence::args_type())]);
    let breaches = flag_columns(breaches, &with_notes);
    let procedural = flag_columns(procedural, &with_notes);
    let decisions = decision_flags(findings, quarter)?;
    let decisions = flag_columns(decisions.lazy(), &with_notes);
    let signals = flag_columns(signal_flags.clone().lazy(), signal_flags.schema());
    let frame = concat([breaches, procedural, decisions, signals], UnionArgs::default())
        .and_then(|all| {
            all.with_column(lit(quarter.to_string()).alias(QUARTER))
                .sort([FLAG_ID, c::INSTITUTION_ID], SortMultipleOptions::default().with_maintain_order(true))
                .collect()
        })
        .context("gathering flags")?;
    with_decimal(frame, "amount_fen", AMOUNT_AT_RISK)
}

/// One `decision` flag per case decision dated in the quarter. A `fraud_confirmed` decision
/// carries the money it recovers: its stated amount, or else the paid lines it reclaims in full
/// (`Findings::reclaimed`), so the flag agrees with the recoveries' `DECISION` rows.
fn decision_flags(findings: &Findings, quarter: Quarter) -> Result<DataFrame> {
    let mut rows: Vec<[String; 3]> = Vec::new();
    let mut amounts = Vec::new();
    let mut said = Vec::new();
    let mut notes = Vec::new();
    let mut institutions: Vec<&String> = findings.standing.decisions.keys().collect();
    institutions.sort();
    for institution in institutions {
        for decision in findings.standing.decisions[institution].iter().filter(|d| quarter.contains(d.decided_on)) {
            let decided_on = decision.decided_on.to_string();
            let reclaimed = findings.reclaimed.get(&(institution.clone(), decision.decided_on));
            let (severity, amount, evidence) = match (decision.finding.as_str(), decision.amount_fen, reclaimed) {
                ("fraud_confirmed", Some(fen), _) => (
                    Severity::High,
                    fen,
                    Stored::new(&m::DECISION_FRAUD_AMOUNT, &[("decided_on", &decided_on), ("amount", &crate::money::yuan(fen))]),
                ),
                ("fraud_confirmed", None, reclaimed) => {
                    let (from, to, lines, fen) = match reclaimed {
                        Some(r) => (r.from.to_string(), r.to.to_string(), r.lines, r.amount_fen),
                        None => (quarter.offset(-3).first_day().to_string(), quarter.last_day().to_string(), 0, 0),
                    };
                    let args = [("decided_on", decided_on.as_str()), ("from", &from), ("to", &to), ("lines", &lines.to_string())];
                    (Severity::High, fen, Stored::new(&m::DECISION_FRAUD, &args))
                }
                ("violation", _, _) => (Severity::Medium, 0, Stored::new(&m::DECISION_VIOLATION, &[("decided_on", &decided_on)])),
                // The contract knows three findings; validation refuses any other.
                _ => (Severity::Low, 0, Stored::new(&m::DECISION_CLEARED, &[("decided_on", &decided_on)])),
            };
            rows.push([format!("{}:{institution}@{decided_on}", RuleId::Decision), severity.as_str().to_string(), institution.clone()]);
            amounts.push(amount);
            said.push(evidence);
            // The investigator's note is their own words: kept as written, after the evidence.
            notes.push(decision.note.as_deref().map(|note| Stored::new(&m::DECISION_NOTE, &[("note", note)])));
        }
    }
    let height = rows.len();
    let column = |index: usize| rows.iter().map(|row| row[index].clone()).collect::<Vec<_>>();
    let [code, args] = evidence::columns(EVIDENCE_CODE, EVIDENCE_ARGS, &said).context("decision evidence")?;
    let note_codes = Column::new(EVIDENCE_NOTE_CODE.into(), notes.iter().map(|n| n.as_ref().map(|n| n.code)).collect::<Vec<_>>());
    let note_args = evidence::args_column(EVIDENCE_NOTE_ARGS, notes.iter().map(|n| n.as_ref().map(|n| n.args.as_slice()))).context("decision notes")?;
    DataFrame::new(
        height,
        vec![
            Column::new(FLAG_ID.into(), column(0)),
            Column::new(KIND.into(), vec!["decision"; height]),
            Column::new(c::RULE.into(), vec![RuleId::Decision.as_str(); height]),
            Column::new(SEVERITY.into(), column(1)),
            Column::new(c::INSTITUTION_ID.into(), column(2)),
            Column::new(ENTITY_KIND.into(), vec!["institution"; height]),
            Column::new(c::ENTITY_ID.into(), column(2)),
            Column::new("amount_fen".into(), amounts),
            Column::new(rules::OVERTURNED.into(), vec![false; height]),
            code,
            args,
            note_codes,
            note_args,
        ],
    )
    .context("building decision flags")
}

/// `recoveries.parquet` or `holds.parquet` from the rules' money rows.
pub fn money_table(rows: &DataFrame) -> Result<DataFrame> {
    let frame = with_decimal(rows.clone(), rules::AMOUNT_FEN, c::AMOUNT)?;
    Ok(frame)
}
