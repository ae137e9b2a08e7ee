//! Person facts and pseudonymisation. Raw ID numbers are checked (shape, ISO 7064 MOD 11-2
//! check character, birth date) and their facts kept *before* every personal identifier (ID
//! numbers, phones, accounts, legal representatives) is replaced by its keyed hash; nothing
//! after this module ever sees a raw identifier.
//!
//! Each distinct value is hashed once, in parallel, and the results joined back onto the rows:
//! a province's employment table repeats each person many times.

use super::contract::Table;
use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::person::{self, PersonFacts, Pseudonymiser};
use crate::query::CollectStreaming;
use polars::prelude::*;
use rayon::prelude::*;

/// How many person ids of a table had each shape: the mixed-form check needs it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdFormCounts {
    pub raw: usize,
    pub hashed: usize,
    pub malformed: usize,
}

const RAW: &str = "__raw";
const PSEUDONYM: &str = "__pseudonym";

/// Replaces the personal columns of `frame` with keyed hashes. A `person_id` column also yields
/// `person_id_form`, and in enrollments `birth_date` and `male`, derived from the raw value.
pub fn pseudonymise(table: Table, mut frame: DataFrame, key: &Pseudonymiser) -> Result<(DataFrame, IdFormCounts)> {
    let mut counts = IdFormCounts::default();
    for spec in table.columns().iter().filter(|spec| spec.personal) {
        let is_person = spec.name == c::PERSON_ID;
        let distinct: Vec<String> = {
            let values = frame.column(spec.name).context("reading a personal column")?;
            let unique = values.unique().context("distinct identifiers")?;
            unique.str().context("reading a personal column")?.iter().flatten().map(str::to_string).collect()
        };
        let mapped: Vec<(String, PersonFacts)> = distinct
            .par_iter()
            .map(|text| {
                let normalised = if is_person { person::normalise_id(text) } else { normalise_other(text) };
                (key.pseudonymise(&normalised), person::person_facts(&normalised))
            })
            .collect();
        let height = distinct.len();
        let mut lookup = vec![
            Column::new(RAW.into(), distinct),
            Column::new(PSEUDONYM.into(), mapped.iter().map(|(hash, _)| hash.as_str()).collect::<Vec<_>>()),
        ];
        let mut derived = vec![];
        if is_person {
            lookup.push(Column::new(c::PERSON_ID_FORM.into(), mapped.iter().map(|(_, f)| f.form.name()).collect::<Vec<_>>()));
            derived.push(col(c::PERSON_ID_FORM));
            if table == Table::Enrollments {
                let births: Vec<Option<i32>> = mapped.iter().map(|(_, f)| f.birth_date.map(days_since_epoch)).collect();
                lookup.push(Column::new(c::BIRTH_DATE.into(), births).cast(&DataType::Date).context("birth dates")?);
                lookup.push(Column::new(c::MALE.into(), mapped.iter().map(|(_, f)| f.male).collect::<Vec<_>>()));
                derived.extend([col(c::BIRTH_DATE), col(c::MALE)]);
            }
        }
        let lookup = DataFrame::new(height, lookup).context("building the pseudonym table")?;
        let mut args = JoinArgs::new(JoinType::Left);
        args.maintain_order = MaintainOrderJoin::Left;
        let mut replaced = vec![col(PSEUDONYM).alias(spec.name)];
        replaced.extend(derived);
        let original_order: Vec<Expr> = frame.get_column_names().iter().map(|name| col(name.as_str())).collect();
        let mut order = original_order.clone();
        order.extend(replaced.iter().skip(1).cloned());
        frame = frame
            .lazy()
            .join(lookup.lazy(), [col(spec.name)], [col(RAW)], args)
            .with_columns(replaced)
            .select(order)
            .collect_streaming()
            .context("replacing identifiers by pseudonyms")?;
        if is_person {
            let forms = frame.column(c::PERSON_ID_FORM).context("forms")?.str().context("forms")?;
            for form in forms.iter().flatten() {
                match form {
                    "hashed" => counts.hashed += 1,
                    "malformed" => counts.malformed += 1,
                    _ => counts.raw += 1,
                }
            }
        }
    }
    Ok((frame, counts))
}

/// Phones and accounts: trimmed; a hex hash is lower-cased so that it passes through unchanged.
fn normalise_other(text: &str) -> String {
    let trimmed = text.trim();
    let lower = trimmed.to_ascii_lowercase();
    if person::is_hex_hash(&lower) {
        lower
    } else {
        trimmed.to_string()
    }
}

fn days_since_epoch(date: chrono::NaiveDate) -> i32 {
    (date - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_gets_its_own_pseudonym_and_facts_in_order() {
        let key = Pseudonymiser::new(b"key");
        let ids = [Some("11010519491231002x"), Some("  11010519491231002X"), Some("bad"), None, Some("11010519491231002X")];
        let frame = DataFrame::new(
            5,
            vec![Column::new(c::ENROLLMENT_ID.into(), ["E1", "E2", "E3", "E4", "E5"]), Column::new(c::PERSON_ID.into(), ids.to_vec())],
        )
        .unwrap();
        let (frame, counts) = pseudonymise(Table::Assessments, frame, &key).unwrap();
        assert_eq!(counts, IdFormCounts { raw: 3, hashed: 0, malformed: 1 });
        let persons: Vec<Option<&str>> = frame.column(c::PERSON_ID).unwrap().str().unwrap().iter().collect();
        let expected = key.pseudonymise("11010519491231002X");
        let bad = key.pseudonymise("bad");
        assert_eq!(persons, vec![Some(expected.as_str()), Some(expected.as_str()), Some(bad.as_str()), None, Some(expected.as_str())]);
        let enrollments: Vec<&str> = frame.column(c::ENROLLMENT_ID).unwrap().str().unwrap().iter().flatten().collect();
        assert_eq!(enrollments, vec!["E1", "E2", "E3", "E4", "E5"]);
    }
}
