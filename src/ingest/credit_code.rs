//! 统一社会信用代码 (unified social credit code, GB 32100-2015): the check every credit platform
//! applies before it accepts a record. An institution's code is what 信用中国 files its evaluation
//! and penalties under, and an employer id in the same shape is a code too: a code that fails its
//! check character was mistyped somewhere, and a record published under it lands on the wrong
//! party or is refused. A missing or invalid code is a data-quality finding, never a reject: the
//! institution is still rated, the bureau fixes the code before publishing.
//!
//! The check runs on the text as read (credit codes are public registrations, not personal
//! identifiers, so they are neither hashed nor numbered); only counts and the institutions'
//! problems leave this module.

use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::ingest::contract::Table;
use crate::ingest::Export;
use polars::prelude::*;
use serde::Serialize;
use std::fmt;

/// The 31 characters a code may hold (no I, O, S, V, Z), in the order of their values 0–30.
pub(crate) const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// A code's length: 17 characters and the check character.
pub(crate) const LENGTH: usize = 18;
/// Weight of position i (1-based) is 3^(i−1) mod 31.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// Why a code is not a valid unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum CodeProblem {
    Missing,
    Length { found: usize },
    Character { position: usize, found: char },
    CheckCharacter { expected: char, found: char },
}

impl fmt::Display for CodeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeProblem::Missing => write!(f, "no credit code"),
            CodeProblem::Length { found } => write!(f, "{found} characters, expected {LENGTH}"),
            CodeProblem::Character { position, found } => {
                write!(f, "character {position} '{found}' is not one of 0-9 A-H J-N P-R T U W X Y")
            }
            CodeProblem::CheckCharacter { expected, found } => write!(f, "check character '{found}', expected '{expected}'"),
        }
    }
}

fn value(character: char) -> Option<u32> {
    ALPHABET.find(character).map(|index| index as u32)
}

/// The check character of the first 17 characters of a code, `None` when they are not 17
/// characters of the alphabet.
pub(crate) fn check_character(first17: &str) -> Option<char> {
    let values: Vec<u32> = first17.chars().map(value).collect::<Option<_>>()?;
    if values.len() != WEIGHTS.len() {
        return None;
    }
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    ALPHABET.chars().nth(check as usize)
}

/// Whether `text` has a code's shape: 18 characters of the alphabet (the check not yet checked).
pub(crate) fn has_code_shape(text: &str) -> bool {
    text.chars().count() == LENGTH && text.chars().all(|ch| value(ch).is_some())
}

/// Checks a code as written (no case folding: the standard writes capitals).
pub(crate) fn check(code: Option<&str>) -> std::result::Result<(), CodeProblem> {
    let Some(code) = code.filter(|code| !code.is_empty()) else { return Err(CodeProblem::Missing) };
    let length = code.chars().count();
    if length != LENGTH {
        return Err(CodeProblem::Length { found: length });
    }
    if let Some((index, found)) = code.chars().enumerate().find(|(_, ch)| value(*ch).is_none()) {
        return Err(CodeProblem::Character { position: index + 1, found });
    }
    let (first17, last) = code.split_at(LENGTH - 1);
    let expected = check_character(first17).expect("17 characters of the alphabet");
    let found = last.chars().next().expect("an 18th character");
    if expected == found {
        Ok(())
    } else {
        Err(CodeProblem::CheckCharacter { expected, found })
    }
}

/// One institution whose code cannot be published as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstitutionCodeFinding {
    pub institution_id: String,
    #[serde(flatten)]
    pub problem: CodeProblem,
    /// The problem in words, as the report shows it.
    pub message: String,
}

/// Distinct employer ids by shape: hashed or other ids are not codes and are not judged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EmployerCodeCounts {
    pub distinct: usize,
    pub in_code_shape: usize,
    pub valid: usize,
    pub invalid_check_character: usize,
}

/// The credit-code part of a run's data quality (`summary.json` → `notes.credit_codes`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CreditCodeQuality {
    /// Whether the institutions table had a `credit_code` column at all.
    pub column_present: bool,
    pub institutions: usize,
    pub institutions_valid: usize,
    /// Every institution with a missing or invalid code, by institution id.
    pub institution_findings: Vec<InstitutionCodeFinding>,
    pub employers: EmployerCodeCounts,
}

/// Checks every kept institution's code and every distinct employer id in a code's shape.
pub fn quality(export: &Export) -> Result<CreditCodeQuality> {
    let institutions = export.frame(Table::Institutions);
    let ids = institutions.column(c::INSTITUTION_ID).context("institutions")?.str().context("institutions")?;
    let codes = institutions.column(c::CREDIT_CODE).context("institutions")?.str().context("institutions")?;
    let mut findings = Vec::new();
    for (id, code) in ids.iter().zip(codes.iter()) {
        let Some(id) = id else { continue };
        if let Err(problem) = check(code) {
            findings.push(InstitutionCodeFinding { institution_id: id.to_string(), message: problem.to_string(), problem });
        }
    }
    findings.sort_by(|a, b| a.institution_id.cmp(&b.institution_id));
    let column_present = export.table(Table::Institutions).files.iter().any(|file| {
        read_schema_has(&file.path, c::CREDIT_CODE)
    });
    Ok(CreditCodeQuality {
        column_present,
        institutions: institutions.height(),
        institutions_valid: institutions.height() - findings.len(),
        institution_findings: findings,
        employers: employer_counts(export.frame(Table::Employment))?,
    })
}

fn read_schema_has(path: &std::path::Path, column: &str) -> bool {
    LazyFrame::scan_parquet(PlRefPath::from(path.to_string_lossy().as_ref()), Default::default())
        .and_then(|mut scan| scan.collect_schema())
        .is_ok_and(|schema| schema.contains(column))
}

/// Employer ids are held as categories: each distinct text is checked once.
fn employer_counts(employment: &DataFrame) -> Result<EmployerCodeCounts> {
    let what = "checking employer ids";
    let distinct = employment.column(c::EMPLOYER_ID).context(what)?.unique().context(what)?.cast(&DataType::String).context(what)?;
    let mut counts = EmployerCodeCounts::default();
    for text in distinct.str().context(what)?.iter().flatten() {
        counts.distinct += 1;
        if has_code_shape(text) {
            counts.in_code_shape += 1;
            if check(Some(text)).is_ok() {
                counts.valid += 1;
            } else {
                counts.invalid_check_character += 1;
            }
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standards_example_has_check_character_3() {
        assert_eq!(check_character("91350100M000100Y4"), Some('3'));
        assert_eq!(check(Some("91350100M000100Y43")), Ok(()));
    }

    #[test]
    fn a_sum_divisible_by_31_gives_check_0() {
        // 17 zeros: Σ = 0, 31 − 0 = 31 → '0'.
        assert_eq!(check_character("00000000000000000"), Some('0'));
        assert_eq!(check(Some("000000000000000000")), Ok(()));
    }

    #[test]
    fn corrupted_codes_are_refused_with_their_problem() {
        assert_eq!(
            check(Some("91350100M000100Y44")),
            Err(CodeProblem::CheckCharacter { expected: '3', found: '4' })
        );
        // One character changed in the body: the check no longer matches.
        assert_eq!(
            check(Some("91350100M000100Y53")),
            Err(CodeProblem::CheckCharacter { expected: '6', found: '3' })
        );
        // Two neighbours swapped.
        assert_eq!(check(Some("19350100M000100Y43")), Err(CodeProblem::CheckCharacter { expected: 'J', found: '3' }));
        assert_eq!(check(Some("91350100M000100Y4")), Err(CodeProblem::Length { found: 17 }));
        assert_eq!(check(Some("91350100I000100Y43")), Err(CodeProblem::Character { position: 9, found: 'I' }));
        assert_eq!(check(Some("91350100m000100Y43")), Err(CodeProblem::Character { position: 9, found: 'm' }));
        assert_eq!(check(None), Err(CodeProblem::Missing));
        assert_eq!(check(Some("")), Err(CodeProblem::Missing));
        assert_eq!(
            CodeProblem::CheckCharacter { expected: '3', found: '4' }.to_string(),
            "check character '4', expected '3'"
        );
    }

    #[test]
    fn a_hash_is_not_in_a_codes_shape() {
        assert!(has_code_shape("91350100M000100Y43"));
        assert!(!has_code_shape(&"a".repeat(64)));
        assert!(!has_code_shape("JN-ORG-000123"));
    }
}
