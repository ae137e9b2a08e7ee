//! Person facts and pseudonymisation. Raw ID numbers are checked (shape, ISO 7064 MOD 11-2
//! check character, birth date) and their facts kept *before* every personal identifier (ID
//! numbers, phones, accounts, legal representatives) is replaced by its keyed hash; nothing
//! after this module ever sees a raw identifier.

use super::contract::Table;
use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::person::{self, IdForm, Pseudonymiser};
use polars::prelude::*;
use std::collections::HashMap;

/// How many person ids of a table had each shape: the mixed-form check needs it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdFormCounts {
    pub raw: usize,
    pub hashed: usize,
    pub malformed: usize,
}

/// Replaces the personal columns of `frame` with keyed hashes. A `person_id` column also yields
/// `person_id_form`, and in enrollments `birth_date` and `male`, derived from the raw value.
pub fn pseudonymise(table: Table, mut frame: DataFrame, key: &Pseudonymiser) -> Result<(DataFrame, IdFormCounts)> {
    let mut counts = IdFormCounts::default();
    for spec in table.columns().iter().filter(|spec| spec.personal) {
        let values = frame.column(spec.name).context("reading a personal column")?.str().context("reading a personal column")?.clone();
        let mut cache: HashMap<&str, (String, person::PersonFacts)> = HashMap::new();
        let is_person = spec.name == c::PERSON_ID;
        let mut hashed = Vec::with_capacity(values.len());
        let mut forms = Vec::with_capacity(values.len());
        let mut births: Vec<Option<i32>> = Vec::with_capacity(values.len());
        let mut males = Vec::with_capacity(values.len());
        for value in values.iter() {
            let Some(text) = value else {
                hashed.push(None);
                forms.push(None);
                births.push(None);
                males.push(None);
                continue;
            };
            let (pseudonym, facts) = cache
                .entry(text)
                .or_insert_with(|| {
                    let normalised = if is_person { person::normalise_id(text) } else { normalise_other(text) };
                    let facts = person::person_facts(&normalised);
                    (key.pseudonymise(&normalised), facts)
                })
                .clone();
            if is_person {
                match facts.form {
                    form if form.is_raw() => counts.raw += 1,
                    IdForm::Hashed => counts.hashed += 1,
                    _ => counts.malformed += 1,
                }
            }
            hashed.push(Some(pseudonym));
            forms.push(Some(facts.form.name()));
            births.push(facts.birth_date.map(days_since_epoch));
            males.push(facts.male);
        }
        frame.with_column(Column::new(spec.name.into(), hashed)).context("replacing a personal column")?;
        if is_person {
            frame.with_column(Column::new(c::PERSON_ID_FORM.into(), forms)).context("adding person id forms")?;
            if table == Table::Enrollments {
                let births = Column::new(c::BIRTH_DATE.into(), births).cast(&DataType::Date).context("birth dates")?;
                frame.with_column(births).context("adding birth dates")?;
                frame.with_column(Column::new(c::MALE.into(), males)).context("adding sexes")?;
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
