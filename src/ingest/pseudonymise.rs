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

/// Every person of an export, numbered. After ingest a `person_id` column holds a person's
/// number (UInt32), not the 64-character pseudonym: a province's employment table repeats
/// millions of persons, and a number is a twentieth of the text to hold, hash and compare. The
/// numbers follow the pseudonyms' sorted order, so sorting by number sorts by pseudonym and
/// outputs come out in the same order as if the text were kept. The pseudonym itself is needed
/// only where a person is shown: evidence and rejected rows' keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonIndex {
    /// HMAC-SHA256 digests, sorted; a person's number is its position.
    digests: Vec<[u8; 32]>,
}

impl PersonIndex {
    pub fn len(&self) -> usize {
        self.digests.len()
    }

    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }

    /// The pseudonym (64 lower-case hex characters) of person `id`; `None` for a number that
    /// names nobody.
    pub fn pseudonym(&self, id: u32) -> Option<String> {
        self.digests.get(id as usize).map(hex::encode)
    }

    /// The number of the person with this pseudonym.
    pub fn id_of(&self, pseudonym: &str) -> Option<u32> {
        let mut digest = [0u8; 32];
        hex::decode_to_slice(pseudonym, &mut digest).ok()?;
        self.digests.binary_search(&digest).ok().map(|position| position as u32)
    }

    /// `ids` (person numbers) as a column of pseudonyms named `name`; a missing id stays missing.
    pub fn pseudonyms(&self, ids: &Column, name: &str) -> Result<Column> {
        let numbers = ids.u32().context("reading person numbers")?;
        let texts: Vec<Option<String>> = numbers.iter().map(|id| id.and_then(|id| self.pseudonym(id))).collect();
        Ok(Column::new(name.into(), texts))
    }
}

/// The person ids found in an export's tables, each with its number and facts.
pub struct PersonLookup {
    pub index: PersonIndex,
    /// `__raw` (the text as read), `__pseudonym` (the person's number), `person_id_form`,
    /// `birth_date`, `male`.
    frame: DataFrame,
}

impl PersonLookup {
    /// Numbers every distinct `person_id` of `frames` (tables as read). Each distinct text is
    /// normalised and hashed once, in parallel.
    pub fn build<'a>(frames: impl IntoIterator<Item = &'a DataFrame>, key: &Pseudonymiser) -> Result<PersonLookup> {
        let mut texts: Vec<String> = Vec::new();
        for frame in frames {
            let Some(values) = frame.column(c::PERSON_ID).ok() else { continue };
            let unique = values.unique().context("distinct person ids")?;
            texts.extend(unique.str().context("reading person ids")?.iter().flatten().map(str::to_string));
        }
        PersonLookup::build_from_texts(texts, key)
    }

    /// The numbers' pseudonyms, the lookup from raw text dropped.
    pub fn into_index(self) -> PersonIndex {
        self.index
    }

    /// As [`PersonLookup::build`], from the person ids' texts as read (repeats allowed).
    pub fn build_from_texts(mut distinct: Vec<String>, key: &Pseudonymiser) -> Result<PersonLookup> {
        distinct.par_sort_unstable();
        distinct.dedup();
        let mapped: Vec<([u8; 32], PersonFacts)> = distinct
            .par_iter()
            .map(|text| {
                let normalised = person::normalise_id(text);
                (key.digest(&normalised), person::person_facts(&normalised))
            })
            .collect();
        let mut digests: Vec<[u8; 32]> = mapped.iter().map(|(digest, _)| *digest).collect();
        digests.par_sort_unstable();
        digests.dedup();
        let numbers: Vec<u32> = mapped
            .par_iter()
            .map(|(digest, _)| digests.binary_search(digest).expect("every digest was collected") as u32)
            .collect();
        let births: Vec<Option<i32>> = mapped.iter().map(|(_, facts)| facts.birth_date.map(days_since_epoch)).collect();
        let frame = DataFrame::new(
            distinct.len(),
            vec![
                Column::new(PSEUDONYM.into(), numbers),
                Column::new(c::PERSON_ID_FORM.into(), mapped.iter().map(|(_, facts)| facts.form.name()).collect::<Vec<_>>()),
                Column::new(c::BIRTH_DATE.into(), births).cast(&DataType::Date).context("birth dates")?,
                Column::new(c::MALE.into(), mapped.iter().map(|(_, facts)| facts.male).collect::<Vec<_>>()),
                Column::new(RAW.into(), distinct),
            ],
        )
        .context("building the person lookup")?;
        Ok(PersonLookup { index: PersonIndex { digests }, frame })
    }
}

/// The phones and payout accounts of an export's enrollments, numbered like persons (a `UInt32`
/// in the sorted order of their pseudonyms, [`PersonIndex`] holding the digests): a nation's
/// enrollments hold forty million of them, and the 64-character text of each would be the
/// largest part of the table. Only `shared_contacts` reads them, and it shows the pseudonym.
pub struct ContactLookup {
    pub index: PersonIndex,
    /// `__raw` (the text as read), `__pseudonym` (the contact's number).
    frame: DataFrame,
}

impl ContactLookup {
    /// Numbers every distinct text of `texts` (repeats allowed).
    pub fn build(mut distinct: Vec<String>, key: &Pseudonymiser) -> Result<ContactLookup> {
        distinct.par_sort_unstable();
        distinct.dedup();
        let mapped: Vec<[u8; 32]> = distinct.par_iter().map(|text| key.digest(&normalise_other(text))).collect();
        let mut digests = mapped.clone();
        digests.par_sort_unstable();
        digests.dedup();
        let numbers: Vec<u32> =
            mapped.par_iter().map(|digest| digests.binary_search(digest).expect("every digest was collected") as u32).collect();
        let frame = DataFrame::new(distinct.len(), vec![Column::new(RAW.into(), distinct), Column::new(PSEUDONYM.into(), numbers)])
            .context("building the contact lookup")?;
        Ok(ContactLookup { index: PersonIndex { digests }, frame })
    }

    /// The numbers' pseudonyms, the lookup from raw text dropped.
    pub fn into_index(self) -> PersonIndex {
        self.index
    }

    /// Whether `column` of `table` holds contacts numbered here.
    pub fn numbers(table: Table, column: &str) -> bool {
        table == Table::Enrollments && (column == c::PHONE || column == c::PAYOUT_ACCOUNT)
    }
}

/// Replaces the personal columns of `frame` with keyed hashes, `person_id` with the person's
/// number in `persons`, and an enrollment's phone and payout account with their numbers in
/// `contacts`. The forms of the person ids are counted; enrollments also keep each row's
/// `person_id_form`, `birth_date` and `male`, derived from the raw value.
pub fn pseudonymise(
    table: Table,
    mut frame: DataFrame,
    key: &Pseudonymiser,
    persons: &PersonLookup,
    contacts: &ContactLookup,
) -> Result<(DataFrame, IdFormCounts)> {
    let mut counts = IdFormCounts::default();
    for spec in table.columns().iter().filter(|spec| spec.personal) {
        let is_person = spec.name == c::PERSON_ID;
        let (lookup, derived) = if is_person {
            let mut derived = vec![col(c::PERSON_ID_FORM)];
            let mut columns = vec![col(RAW), col(PSEUDONYM), col(c::PERSON_ID_FORM)];
            if table == Table::Enrollments {
                derived.extend([col(c::BIRTH_DATE), col(c::MALE)]);
                columns.extend([col(c::BIRTH_DATE), col(c::MALE)]);
            }
            (persons.frame.clone().lazy().select(columns), derived)
        } else if ContactLookup::numbers(table, spec.name) {
            (contacts.frame.clone().lazy(), Vec::new())
        } else {
            let distinct: Vec<String> = {
                let values = frame.column(spec.name).context("reading a personal column")?;
                let unique = values.unique().context("distinct identifiers")?;
                unique.str().context("reading a personal column")?.iter().flatten().map(str::to_string).collect()
            };
            let hashes: Vec<String> = distinct.par_iter().map(|text| key.pseudonymise(&normalise_other(text))).collect();
            let lookup = DataFrame::new(distinct.len(), vec![Column::new(RAW.into(), distinct), Column::new(PSEUDONYM.into(), hashes)])
                .context("building the pseudonym table")?;
            (lookup.lazy(), Vec::new())
        };
        let mut args = JoinArgs::new(JoinType::Left);
        args.maintain_order = MaintainOrderJoin::Left;
        let mut replaced = vec![col(PSEUDONYM).alias(spec.name)];
        replaced.extend(derived);
        let original_order: Vec<Expr> = frame.get_column_names().iter().map(|name| col(name.as_str())).collect();
        let mut order = original_order.clone();
        order.extend(replaced.iter().skip(1).cloned());
        frame = frame
            .lazy()
            .join(lookup, [col(spec.name)], [col(RAW)], args)
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
            // Only the rules on enrollments read the form (R03, R04); employment would repeat it
            // for every contribution month.
            if table != Table::Enrollments {
                frame = frame.drop(c::PERSON_ID_FORM).context("dropping the form of person ids")?;
            }
        }
    }
    Ok((frame, counts))
}

/// A personal value as it is normalised before hashing: a person id as the data contract says
/// ([`person::normalise_id`]), anything else as [`normalise_other`]. `lookup` hashes with this,
/// so a pseudonym it is given names the same values that ingest hashed.
pub(crate) fn normalise_personal(column: &str, text: &str) -> String {
    if column == c::PERSON_ID {
        person::normalise_id(text)
    } else {
        normalise_other(text)
    }
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
    fn each_row_gets_its_own_person_number_and_facts_in_order() {
        let key = Pseudonymiser::new(b"key");
        let ids = [Some("11010519491231002x"), Some("  11010519491231002X"), Some("bad"), None, Some("11010519491231002X")];
        let frame = DataFrame::new(
            5,
            vec![Column::new(c::ENROLLMENT_ID.into(), ["E1", "E2", "E3", "E4", "E5"]), Column::new(c::PERSON_ID.into(), ids.to_vec())],
        )
        .unwrap();
        let persons = PersonLookup::build([&frame], &key).unwrap();
        assert_eq!(persons.index.len(), 2);
        let contacts = ContactLookup::build(Vec::new(), &key).unwrap();
        let (frame, counts) = pseudonymise(Table::Assessments, frame, &key, &persons, &contacts).unwrap();
        assert_eq!(counts, IdFormCounts { raw: 3, hashed: 0, malformed: 1 });
        let numbers = frame.column(c::PERSON_ID).unwrap();
        let persons: Vec<Option<String>> =
            persons.index.pseudonyms(numbers, "pseudonym").unwrap().str().unwrap().iter().map(|p| p.map(str::to_string)).collect();
        let expected = Some(key.pseudonymise("11010519491231002X"));
        let bad = Some(key.pseudonymise("bad"));
        assert_eq!(persons, vec![expected.clone(), expected.clone(), bad, None, expected]);
        let enrollments: Vec<&str> = frame.column(c::ENROLLMENT_ID).unwrap().str().unwrap().iter().flatten().collect();
        assert_eq!(enrollments, vec!["E1", "E2", "E3", "E4", "E5"]);
    }

    #[test]
    fn person_numbers_follow_the_order_of_the_pseudonyms() {
        let key = Pseudonymiser::new(b"key");
        let texts = ["11010519491231002X", "bad", "110105194912310029", "anything"];
        let frame = DataFrame::new(4, vec![Column::new(c::PERSON_ID.into(), texts.to_vec())]).unwrap();
        let index = PersonLookup::build([&frame], &key).unwrap().index;
        let mut pseudonyms: Vec<String> = texts.iter().map(|text| key.pseudonymise(&person::normalise_id(text))).collect();
        pseudonyms.sort();
        let numbered: Vec<String> = (0..4).map(|id| index.pseudonym(id).unwrap()).collect();
        assert_eq!(numbered, pseudonyms);
        assert_eq!(index.id_of(&pseudonyms[2]), Some(2));
        assert_eq!(index.pseudonym(4), None);
    }

    #[test]
    fn an_already_hashed_id_keeps_its_text() {
        let key = Pseudonymiser::new(b"key");
        let hashed = "ab".repeat(32);
        let frame = DataFrame::new(1, vec![Column::new(c::PERSON_ID.into(), [hashed.to_uppercase()])]).unwrap();
        let index = PersonLookup::build([&frame], &key).unwrap().index;
        assert_eq!(index.pseudonym(0), Some(hashed));
    }

    #[test]
    fn an_enrollments_phones_and_accounts_become_numbers_that_name_their_pseudonyms() {
        let key = Pseudonymiser::new(b"key");
        let hashed = "cd".repeat(32);
        let contacts = ContactLookup::build(vec!["13800000000".into(), hashed.to_uppercase(), "6222 0001".into()], &key).unwrap();
        let frame = DataFrame::new(
            3,
            vec![
                Column::new(c::ENROLLMENT_ID.into(), ["E1", "E2", "E3"]),
                Column::new(c::PERSON_ID.into(), ["11010519491231002X"; 3]),
                Column::new(c::PHONE.into(), [Some("13800000000"), None, Some("13800000000")]),
                Column::new(c::PAYOUT_ACCOUNT.into(), [Some(hashed.to_uppercase()), Some("6222 0001".to_string()), None]),
            ],
        )
        .unwrap();
        let persons = PersonLookup::build_from_texts(vec!["11010519491231002X".into()], &key).unwrap();
        let (frame, _) = pseudonymise(Table::Enrollments, frame, &key, &persons, &contacts).unwrap();
        let shown = |column: &str| -> Vec<Option<String>> {
            frame.column(column).unwrap().u32().unwrap().iter().map(|n| n.and_then(|n| contacts.index.pseudonym(n))).collect()
        };
        let phone = Some(key.pseudonymise("13800000000"));
        assert_eq!(shown(c::PHONE), vec![phone.clone(), None, phone]);
        // An already-hashed account keeps its (lower-case) text; a raw one is hashed as trimmed.
        assert_eq!(shown(c::PAYOUT_ACCOUNT), vec![Some(hashed), Some(key.pseudonymise("6222 0001")), None]);
        assert_eq!(contacts.index.len(), 3);
    }
}
