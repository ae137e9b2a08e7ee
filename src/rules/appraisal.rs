//! R09 appraisal_cap: each qualifying pass supports one appraisal line. Passes are handed out
//! in line order (earliest exam first, then assessment_id), which is a sequential allocation,
//! so this rule runs in Rust over the appraisal lines and passes rather than as an expression.

use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::frame;
use crate::ingest::contract::Table;
use crate::ingest::Export;
use crate::money;
use crate::policy::Policy;
use crate::query::CollectStreaming;
use crate::vocab::messages::rules as m;
use crate::vocab::RuleId;
use super::evidence::{self, Stored};
use super::line_rules::{breach_column, evidence_columns, part_column};
use polars::prelude::*;
// foldhash, not std's SipHash: the keys hold 64-character pseudonyms.
use foldhash::{HashMap, HashMapExt};

/// A qualifying pass: passed, with a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pass<'a> {
    pub assessment_id: &'a str,
    /// Days since 1970-01-01.
    pub exam_day: i32,
    pub fee_fen: i64,
}

/// An appraisal line, in line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppraisalLine<'a> {
    pub line_id: &'a str,
    /// (person, occupation_code, level); `None` when the enrollment is missing (R07's case).
    pub qualification: Option<Qualification<'a>>,
    pub submitted_day: i32,
    pub counts_as_earlier: bool,
    pub key_industry: bool,
    pub amount_fen: i64,
    pub in_scope: bool,
}

/// (person number, occupation_code, level), borrowed from the frames: a province has hundreds of
/// thousands of appraisal lines and passes, and owned copies of their keys cost more than the
/// allocation itself.
pub type Qualification<'a> = (u32, &'a str, i64);

/// R09's verdict on one line in scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub line_id: String,
    pub part_fen: i64,
    pub evidence: Stored,
}

/// Allocates passes to lines in order and judges the lines in scope. A line of a rejected claim
/// is judged against the passes still free but uses none.
pub fn judge(lines: &[AppraisalLine], passes: &HashMap<Qualification, Vec<Pass>>, policy: &Policy) -> Vec<Verdict> {
    let mut used: HashMap<Qualification, Vec<bool>> = HashMap::new();
    let mut verdicts = Vec::new();
    for line in lines {
        let Some(qualification) = &line.qualification else { continue };
        let candidates = passes.get(qualification).map(Vec::as_slice).unwrap_or(&[]);
        let flags = used.entry(*qualification).or_insert_with(|| vec![false; candidates.len()]);
        let free = candidates.iter().enumerate().find(|(index, pass)| !flags[*index] && pass.exam_day <= line.submitted_day);
        if let Some((index, _)) = free {
            if line.counts_as_earlier {
                flags[index] = true;
            }
        }
        // Lines of earlier quarters only use up passes; only the lines in scope are judged.
        if !line.in_scope {
            continue;
        }
        let verdict = match free {
            None => Some(Verdict {
                line_id: line.line_id.to_string(),
                part_fen: line.amount_fen,
                // "All later or already used" says nothing when there is none at all.
                evidence: if candidates.is_empty() {
                    Stored::new(&m::R09_NO_PASS_ON_RECORD, &[("occupation", qualification.1), ("level", &qualification.2.to_string())])
                } else {
                    Stored::new(
                        &m::R09_NO_PASS,
                        &[("occupation", qualification.1), ("level", &qualification.2.to_string()), ("passes", &candidates.len().to_string())],
                    )
                },
            }),
            Some((_, pass)) => {
                let percent = if line.key_industry {
                    policy.rules.appraisal.key_industry_percent_of_fee
                } else {
                    policy.rules.appraisal.percent_of_fee
                };
                let cap = money::scale_half_up(pass.fee_fen, percent as i64, 100);
                (line.amount_fen > cap).then(|| Verdict {
                    line_id: line.line_id.to_string(),
                    part_fen: line.amount_fen - cap,
                    evidence: Stored::new(
                        &m::R09_OVER_CAP,
                        &[
                            ("amount", &money::yuan(line.amount_fen)),
                            ("cap", &money::yuan(cap)),
                            ("percent", &percent.to_string()),
                            ("fee", &money::yuan(pass.fee_fen)),
                            ("assessment", pass.assessment_id),
                        ],
                    ),
                })
            }
        };
        verdicts.extend(verdict);
    }
    verdicts
}

/// R09 over the export: `line_id`, `R09`, `R09_part` and R09's evidence columns for lines in breach.
/// `history`: every claim line, in line order (`features::lines::history`).
pub fn r09_appraisal_cap(export: &Export, history: &DataFrame, policy: &Policy) -> Result<DataFrame> {
    let lines_frame = appraisal_frame(history)?;
    let passes_frame = passes_frame(export, history)?;
    let lines = appraisal_lines(&lines_frame)?;
    let passes = qualifying_passes(&passes_frame)?;
    let verdicts = judge(&lines, &passes, policy);
    let ids: Vec<&str> = verdicts.iter().map(|v| v.line_id.as_str()).collect();
    let parts: Vec<i64> = verdicts.iter().map(|v| v.part_fen).collect();
    let said: Vec<Stored> = verdicts.iter().map(|v| v.evidence.clone()).collect();
    let [code, args] = evidence_columns(RuleId::R09);
    let [code, args] = evidence::columns(&code, &args, &said).context("building R09's evidence")?;
    DataFrame::new(
        verdicts.len(),
        vec![
            Column::new(c::LINE_ID.into(), ids),
            Column::new(breach_column(RuleId::R09).into(), vec![true; verdicts.len()]),
            Column::new(part_column(RuleId::R09).into(), parts),
            code,
            args,
        ],
    )
    .context("building R09's verdicts")
}

/// The appraisal lines of the history (any quarter), in line order.
fn appraisal_frame(history: &DataFrame) -> Result<DataFrame> {
    history
        .clone()
        .lazy()
        .filter(col(c::CLAIM_TYPE).eq(lit("appraisal")))
        .select([
            concat_str([col(c::CLAIM_ID), lit("/"), col(c::ENROLLMENT_ID)], "", false).alias(c::LINE_ID),
            col(c::PERSON_ID),
            col(c::OCCUPATION_CODE),
            col(c::LEVEL),
            crate::features::day_number(col(c::SUBMITTED_ON)).alias(c::SUBMITTED_ON),
            col(c::COUNTS_AS_EARLIER),
            col(c::KEY_INDUSTRY).fill_null(lit(false)),
            col(c::LINE_AMOUNT_FEN),
            col(c::IN_SCOPE),
        ])
        .collect_streaming()
        .context("selecting appraisal lines")
}

fn appraisal_lines(frame: &DataFrame) -> Result<Vec<AppraisalLine<'_>>> {
    let ids = frame::text(frame, c::LINE_ID)?;
    let persons = frame::person(frame, c::PERSON_ID)?;
    let occupations = frame::text(frame, c::OCCUPATION_CODE)?;
    let levels = frame::int(frame, c::LEVEL)?;
    let days = frame::int(frame, c::SUBMITTED_ON)?;
    let counts = frame::boolean(frame, c::COUNTS_AS_EARLIER)?;
    let key = frame::boolean(frame, c::KEY_INDUSTRY)?;
    let amounts = frame::int(frame, c::LINE_AMOUNT_FEN)?;
    let scope = frame::boolean(frame, c::IN_SCOPE)?;
    Ok((0..frame.height())
        .map(|i| AppraisalLine {
            line_id: ids[i].unwrap_or_default(),
            qualification: match (persons[i], occupations[i], levels[i]) {
                (Some(person), Some(occupation), Some(level)) => Some((person, occupation, level)),
                _ => None,
            },
            submitted_day: days[i].map_or(i32::MAX, |day| day as i32),
            counts_as_earlier: counts[i].unwrap_or(false),
            key_industry: key[i].unwrap_or(false),
            amount_fen: amounts[i].unwrap_or(0),
            in_scope: scope[i].unwrap_or(false),
        })
        .collect())
}

/// Qualifying passes (passed, with a certificate) of the persons that appraisal lines claim for:
/// only those can support a line.
fn passes_frame(export: &Export, history: &DataFrame) -> Result<DataFrame> {
    let claimants = history
        .clone()
        .lazy()
        .filter(col(c::CLAIM_TYPE).eq(lit("appraisal")))
        .select([col(c::PERSON_ID)])
        .unique(None, UniqueKeepStrategy::Any);
    export
        .frame(Table::Assessments)
        .clone()
        .lazy()
        .filter(col(c::PASSED).and(col(c::CERTIFICATE_NO).is_not_null()))
        .join(claimants, [col(c::PERSON_ID)], [col(c::PERSON_ID)], JoinArgs::new(JoinType::Semi))
        .select([
            col(c::PERSON_ID),
            col(c::OCCUPATION_CODE),
            col(c::LEVEL),
            crate::features::day_number(col(c::EXAM_DATE)).alias(c::EXAM_DATE),
            col(c::ASSESSMENT_ID),
            col(&c::fen(c::FEE)),
        ])
        .collect_streaming()
        .context("selecting qualifying passes")
}

/// The passes of [`passes_frame`] per qualification, in allocation order: earliest exam first,
/// then assessment_id.
fn qualifying_passes(frame: &DataFrame) -> Result<HashMap<Qualification<'_>, Vec<Pass<'_>>>> {
    let persons = frame.column(c::PERSON_ID).context("person")?.u32().context("person")?;
    let occupations = frame.column(c::OCCUPATION_CODE).context("occupation")?.str().context("occupation")?;
    let levels = frame.column(c::LEVEL).context("level")?.i64().context("level")?;
    let days = frame.column(c::EXAM_DATE).context("exam")?.i32().context("exam")?;
    let ids = frame.column(c::ASSESSMENT_ID).context("assessment")?.str().context("assessment")?;
    let fees = frame.column(&c::fen(c::FEE)).context("fee")?.i64().context("fee")?;
    let mut passes: HashMap<Qualification, Vec<Pass>> = HashMap::new();
    let rows = persons.iter().zip(occupations.iter()).zip(levels.iter()).zip(days.iter()).zip(ids.iter()).zip(fees.iter());
    for (((((person, occupation), level), day), id), fee) in rows {
        let (Some(person), Some(occupation), Some(level), Some(day), Some(id), Some(fee)) = (person, occupation, level, day, id, fee) else {
            continue;
        };
        passes.entry((person, occupation, level)).or_default().push(Pass { assessment_id: id, exam_day: day, fee_fen: fee });
    }
    for list in passes.values_mut() {
        list.sort_by(|a, b| (a.exam_day, a.assessment_id).cmp(&(b.exam_day, b.assessment_id)));
    }
    Ok(passes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: &str, day: i32, amount: i64, counts: bool, key_industry: bool) -> AppraisalLine<'_> {
        AppraisalLine {
            line_id: id,
            qualification: Some((7, "4-10-01-06", 4)),
            submitted_day: day,
            counts_as_earlier: counts,
            key_industry,
            amount_fen: amount,
            in_scope: true,
        }
    }

    fn passes<'a>(list: &[(&'a str, i32, i64)]) -> HashMap<Qualification<'a>, Vec<Pass<'a>>> {
        let mut map = HashMap::new();
        map.insert((7, "4-10-01-06", 4), list.iter().map(|(id, day, fee)| Pass { assessment_id: id, exam_day: *day, fee_fen: *fee }).collect());
        map
    }

    #[test]
    fn cap_is_80_percent_of_the_fee_rounded_half_up() {
        let policy = Policy::defaults().unwrap();
        // Fee 300.01: 80% = 240.008 → cap 240.01. A line of exactly 240.01 is within the cap.
        let within = judge(&[line("a", 10, 24001, true, false)], &passes(&[("x", 5, 30001)]), &policy);
        assert_eq!(within, vec![]);
        let above = judge(&[line("a", 10, 24002, true, false)], &passes(&[("x", 5, 30001)]), &policy);
        assert_eq!(above[0].part_fen, 1);
        assert_eq!(above[0].evidence.render(crate::vocab::Lang::En), "amount 240.02 above the cap 240.01 = 80% of the fee 300.01 of pass x");
        assert_eq!(above[0].evidence.render(crate::vocab::Lang::Zh), "申领金额 240.02 元超过上限 240.01 元（= 鉴定 x 的费用 300.01 元 × 80%）");
        // Key industry: 90% of 300.00 = 270.00.
        let key = judge(&[line("a", 10, 28000, true, true)], &passes(&[("x", 5, 30000)]), &policy);
        assert_eq!(key[0].part_fen, 1000);
    }

    #[test]
    fn each_pass_supports_one_line_and_rejected_lines_use_none() {
        let policy = Policy::defaults().unwrap();
        let lines = [line("rejected", 10, 100, false, false), line("first", 11, 100, true, false), line("second", 12, 100, true, false)];
        let verdicts = judge(&lines, &passes(&[("x", 5, 30000)]), &policy);
        assert_eq!(verdicts.len(), 1);
        assert_eq!(verdicts[0].line_id, "second");
        assert_eq!(verdicts[0].part_fen, 100);
    }

    #[test]
    fn a_pass_after_the_claim_does_not_qualify_and_exam_on_the_day_does() {
        let policy = Policy::defaults().unwrap();
        let none = judge(&[line("a", 10, 100, true, false)], &passes(&[]), &policy);
        assert_eq!(none[0].evidence.render(crate::vocab::Lang::Zh), "该人员没有职业 4-10-01-06、4 级的鉴定合格记录");
        assert_eq!(none[0].evidence.render(crate::vocab::Lang::En), "no pass in 4-10-01-06 level 4 on record for the person");
        let later = judge(&[line("a", 10, 100, true, false)], &passes(&[("x", 11, 30000)]), &policy);
        assert_eq!(later.len(), 1);
        assert_eq!(
            later[0].evidence.render(crate::vocab::Lang::Zh),
            "申领日及之前没有职业 4-10-01-06、4 级可用的鉴定合格记录（共有 1 条合格记录，均晚于申领或已被使用）"
        );
        let same_day = judge(&[line("a", 10, 100, true, false)], &passes(&[("x", 10, 30000)]), &policy);
        assert!(same_day.is_empty());
    }
}
