//! What R01, R02 and R08 count of a line's earlier lines, in one pass over the history of every
//! claim line (`features::lines::history`) in line order (`features::lines::sort_in_line_order`).
//!
//! The three rules ask the same question of different groups: how many earlier lines (or
//! allowance days) share this line's person and qualification, person and year, or enrollment.
//! Window functions answer it per group, which on a province's million persons costs seconds;
//! a hash map walked once in line order costs a fraction of that, and "earlier" is then
//! literally the lines already walked past. Lines of rejected claims never count as earlier
//! (`counts_as_earlier`); a line never counts itself.
//!
//! The columns it gives the lines in scope ([`R01_EARLIER`] …) are read by the rule expressions
//! in [`super::line_rules`].

use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::policy::Policy;
use chrono::Datelike;
use polars::prelude::*;
// foldhash, not std's SipHash: the keys are 64-character pseudonyms, a million of them.
use foldhash::{HashMap, HashMapExt};

/// Earlier countable training lines of the same person, occupation_code and level.
pub const R01_EARLIER: &str = "__r01_earlier";
/// The first of those lines (`line_id`), for R01's evidence.
pub const R01_FIRST: &str = "__r01_first_line";
/// Earlier countable training lines of the same person in the calendar year of submitted_on,
/// leaving out lines in breach of R01.
pub const R02_EARLIER: &str = "__r02_earlier";
/// Days of the enrollment's earlier countable allowance lines (missing days = max_days).
pub const R08_EARLIER_DAYS: &str = "__r08_earlier_days";

/// One line's facts that the counts need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line<'a> {
    pub enrollment_id: &'a str,
    pub person_id: Option<u32>,
    pub occupation_code: Option<&'a str>,
    pub level: Option<i64>,
    pub claim_type: &'a str,
    pub year: Option<i32>,
    pub days: Option<i64>,
    pub counts_as_earlier: bool,
    /// Whether the line is judged: only judged lines get their counts back.
    pub in_scope: bool,
}

/// The counts of one line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Earlier {
    pub r01_lines: i64,
    /// Position (in the lines counted) of the first of those lines.
    pub r01_first: Option<usize>,
    pub r02_lines: i64,
    pub r08_days: i64,
}

/// The counts of every line in scope, `lines` (every line) in line order. `r01_enabled`: whether lines in breach of
/// R01 leave R02's count (a disabled R01 breaches nothing). Lines that are not training lines
/// (R01, R02) or not allowance lines (R08), or lack the group's key, get 0: the rules never
/// judge them.
pub fn count<'a>(lines: impl IntoIterator<Item = Line<'a>>, max_days: i64, r01_enabled: bool) -> Vec<Earlier> {
    // A nation has tens of millions of lines and as many qualifications: the maps hold small
    // numbers, the occupation as its index among the few hundred codes met.
    let mut occupation_numbers: HashMap<&str, u32> = HashMap::new();
    let mut qualifications: HashMap<(u32, u32, i64), (u32, u32)> = HashMap::new();
    let mut years: HashMap<(u32, i32), u32> = HashMap::new();
    let mut allowance_days: HashMap<&str, i64> = HashMap::new();
    let mut counted = Vec::new();
    for (position, line) in lines.into_iter().enumerate() {
        let mut earlier = Earlier::default();
        if line.claim_type == "training" {
            let mut r01_breach = false;
            if let (Some(person), Some(occupation), Some(level)) = (line.person_id, line.occupation_code, line.level) {
                let next = occupation_numbers.len() as u32;
                let key = (person, *occupation_numbers.entry(occupation).or_insert(next), level);
                if let Some(&(lines, first)) = qualifications.get(&key) {
                    earlier.r01_lines = lines as i64;
                    earlier.r01_first = Some(first as usize);
                    r01_breach = r01_enabled && lines > 0;
                }
                if line.counts_as_earlier {
                    let entry = qualifications.entry(key).or_insert((0, position as u32));
                    entry.0 += 1;
                }
            }
            if let (Some(person), Some(year)) = (line.person_id, line.year) {
                let seen = years.entry((person, year)).or_insert(0);
                earlier.r02_lines = *seen as i64;
                if line.counts_as_earlier && !r01_breach {
                    *seen += 1;
                }
            }
        } else if line.claim_type == "living_allowance" {
            let seen = allowance_days.entry(line.enrollment_id).or_insert(0);
            earlier.r08_days = *seen;
            if line.counts_as_earlier {
                *seen += line.days.unwrap_or(max_days);
            }
        }
        if line.in_scope {
            counted.push(earlier);
        }
    }
    counted
}

/// `claim_id`, `enrollment_id`, [`R01_EARLIER`], [`R01_FIRST`], [`R02_EARLIER`] and
/// [`R08_EARLIER_DAYS`] of the lines in scope, counted over `history` (every line, in line order).
pub fn earlier_lines_in_scope(history: &DataFrame, policy: &Policy) -> Result<DataFrame> {
    let what = "counting earlier claim lines";
    let text = |name: &str| -> Result<StringChunked> { Ok(history.column(name).context(what)?.str().context(what)?.rechunk().into_owned()) };
    let int = |name: &str| -> Result<Int64Chunked> {
        Ok(history.column(name).context(what)?.cast(&DataType::Int64).context(what)?.i64().context(what)?.clone())
    };
    let claim_ids = text(c::CLAIM_ID)?;
    let enrollments = text(c::ENROLLMENT_ID)?;
    let persons = history.column(c::PERSON_ID).context(what)?.u32().context(what)?.clone();
    let occupations = text(c::OCCUPATION_CODE)?;
    let claim_types = text(c::CLAIM_TYPE)?;
    let levels = int(c::LEVEL)?;
    let days = int(c::DAYS)?;
    let submitted = history.column(c::SUBMITTED_ON).context(what)?.cast(&DataType::Date).context(what)?;
    let submitted = submitted.date().context(what)?.phys.clone();
    let counts = history.column(c::COUNTS_AS_EARLIER).context(what)?.bool().context(what)?.clone();
    let in_scope = history.column(c::IN_SCOPE).context(what)?.bool().context(what)?.clone();
    // Iterators, not `get(i)`: a streamed frame has many chunks, and `get` searches them. The
    // lines are never gathered into a vector: they are counted as they are read.
    let mut years = submitted.iter();
    let mut person_iter = persons.iter();
    let mut occupation_iter = occupations.iter();
    let mut level_iter = levels.iter();
    let mut day_iter = days.iter();
    let mut type_iter = claim_types.iter();
    let mut count_iter = counts.iter();
    let mut scope_iter = in_scope.iter();
    let lines = enrollments.iter().map(|enrollment_id| Line {
        enrollment_id: enrollment_id.unwrap_or(""),
        person_id: person_iter.next().flatten(),
        occupation_code: occupation_iter.next().flatten(),
        level: level_iter.next().flatten(),
        claim_type: type_iter.next().flatten().unwrap_or(""),
        year: years.next().flatten().map(|day| crate::frame::date_from_days(day).year()),
        days: day_iter.next().flatten(),
        counts_as_earlier: count_iter.next().flatten().unwrap_or(false),
        in_scope: scope_iter.next().flatten().unwrap_or(false),
    });
    let scoped = count(lines, policy.rules.living_allowance.max_days as i64, policy.enabled(crate::vocab::RuleId::R01));
    // Rechunked above, so reading one row by its position is direct.
    let line_id = |position: usize| format!("{}/{}", claim_ids.get(position).unwrap_or(""), enrollments.get(position).unwrap_or(""));
    let in_scope = in_scope.fill_null_with_values(false).context(what)?;
    let columns = vec![
        claim_ids.filter(&in_scope).context(what)?.into_column(),
        enrollments.filter(&in_scope).context(what)?.into_column(),
        Column::new(R01_EARLIER.into(), scoped.iter().map(|e| e.r01_lines).collect::<Vec<i64>>()),
        Column::new(R01_FIRST.into(), scoped.iter().map(|e| e.r01_first.map(line_id)).collect::<Vec<Option<String>>>()),
        Column::new(R02_EARLIER.into(), scoped.iter().map(|e| e.r02_lines).collect::<Vec<i64>>()),
        Column::new(R08_EARLIER_DAYS.into(), scoped.iter().map(|e| e.r08_days).collect::<Vec<i64>>()),
    ];
    DataFrame::new(scoped.len(), columns).context(what)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn training(enrollment_id: &str, person: u32, level: i64, year: i32, counts: bool) -> Line<'_> {
        Line {
            enrollment_id,
            person_id: Some(person),
            occupation_code: Some("4-01"),
            level: Some(level),
            claim_type: "training",
            year: Some(year),
            days: None,
            counts_as_earlier: counts,
            in_scope: true,
        }
    }

    fn allowance(enrollment: &str, days: Option<i64>, counts: bool) -> Line<'_> {
        Line { claim_type: "living_allowance", days, ..training(enrollment, 1, 3, 2026, counts) }
    }

    #[test]
    fn a_second_training_line_for_the_same_qualification_counts_the_first() {
        let lines = [training("A", 1, 3, 2026, true), training("B", 1, 3, 2026, true), training("C", 1, 4, 2026, true)];
        let counted = count(lines, 30, true);
        assert_eq!(counted[0], Earlier { r01_lines: 0, r01_first: None, r02_lines: 0, r08_days: 0 });
        assert_eq!(counted[1], Earlier { r01_lines: 1, r01_first: Some(0), r02_lines: 1, r08_days: 0 });
        // Another level is another qualification; B broke R01 so it does not count toward the cap.
        assert_eq!(counted[2], Earlier { r01_lines: 0, r01_first: None, r02_lines: 1, r08_days: 0 });
    }

    #[test]
    fn with_r01_disabled_every_countable_line_counts_toward_the_cap() {
        let lines = [training("A", 1, 3, 2026, true), training("B", 1, 3, 2026, true), training("C", 1, 4, 2026, true)];
        assert_eq!(count(lines, 30, false)[2].r02_lines, 2);
    }

    #[test]
    fn rejected_lines_never_count_as_earlier() {
        let lines = [training("A", 1, 3, 2026, false), training("B", 1, 3, 2026, true), training("C", 1, 3, 2026, true)];
        let counted = count(lines, 30, true);
        assert_eq!((counted[1].r01_lines, counted[1].r01_first, counted[1].r02_lines), (0, None, 0));
        assert_eq!((counted[2].r01_lines, counted[2].r01_first), (1, Some(1)));
    }

    #[test]
    fn the_cap_counts_per_calendar_year() {
        let lines = [training("A", 1, 1, 2025, true), training("B", 1, 2, 2026, true), training("C", 1, 3, 2026, true)];
        let counted = count(lines, 30, true);
        assert_eq!(counted.iter().map(|e| e.r02_lines).collect::<Vec<_>>(), [0, 0, 1]);
    }

    #[test]
    fn allowance_days_add_up_per_enrollment_with_missing_days_as_the_maximum() {
        let lines = [
            allowance("E1", Some(10), true),
            allowance("E1", None, true),
            allowance("E2", Some(5), true),
            allowance("E1", Some(3), false),
            allowance("E1", Some(1), true),
        ];
        let counted = count(lines, 30, true);
        assert_eq!(counted.iter().map(|e| e.r08_days).collect::<Vec<_>>(), [0, 10, 0, 40, 40]);
        // Allowance lines are no training lines.
        assert!(counted.iter().all(|e| e.r01_lines == 0 && e.r02_lines == 0));
    }

    #[test]
    fn lines_without_a_person_count_nothing() {
        let mut unidentified = training("B", 1, 3, 2026, true);
        unidentified.person_id = None;
        let lines = [training("A", 1, 3, 2026, true), unidentified, training("C", 1, 3, 2026, true)];
        let counted = count(lines, 30, true);
        assert_eq!(counted[1], Earlier::default());
        assert_eq!(counted[2].r01_lines, 1);
    }

    #[test]
    fn lines_in_scope_get_their_counts_and_the_first_line_of_an_earlier_quarter_by_its_id() {
        let days = |values: [i32; 3]| Column::new(c::SUBMITTED_ON.into(), values).cast(&DataType::Date).unwrap();
        let history = DataFrame::new(
            3,
            vec![
                Column::new(c::CLAIM_ID.into(), ["C1", "C2", "C3"]),
                Column::new(c::ENROLLMENT_ID.into(), ["E1", "E2", "E3"]),
                Column::new(c::PERSON_ID.into(), [7u32, 7, 7]),
                Column::new(c::OCCUPATION_CODE.into(), ["4-01", "4-01", "4-01"]),
                Column::new(c::CLAIM_TYPE.into(), ["training", "training", "training"]),
                Column::new(c::LEVEL.into(), [3i64, 3, 3]),
                Column::new(c::DAYS.into(), [None::<i64>, None, None]),
                days([20_000, 20_100, 20_101]),
                Column::new(c::COUNTS_AS_EARLIER.into(), [true, true, true]),
                Column::new(c::IN_SCOPE.into(), [false, true, true]),
            ],
        )
        .unwrap();
        let policy = Policy::defaults().unwrap();
        let scoped = earlier_lines_in_scope(&history, &policy).unwrap();
        assert_eq!(scoped.height(), 2);
        let first: Vec<Option<&str>> = scoped.column(R01_FIRST).unwrap().str().unwrap().iter().collect();
        let claims: Vec<Option<&str>> = scoped.column(c::CLAIM_ID).unwrap().str().unwrap().iter().collect();
        let earlier: Vec<Option<i64>> = scoped.column(R01_EARLIER).unwrap().i64().unwrap().iter().collect();
        assert_eq!(claims, [Some("C2"), Some("C3")]);
        // Both lines in scope repeat the qualification of C1, an earlier quarter's line.
        assert_eq!(first, [Some("C1/E1"), Some("C1/E1")]);
        assert_eq!(earlier, [Some(1), Some(2)]);
    }

    #[test]
    fn lines_out_of_scope_count_but_get_no_counts_back() {
        let mut earlier_quarter = training("A", 1, 3, 2025, true);
        earlier_quarter.in_scope = false;
        let lines = [earlier_quarter, training("B", 1, 3, 2026, true)];
        assert_eq!(count(lines, 30, true), [Earlier { r01_lines: 1, r01_first: Some(0), r02_lines: 0, r08_days: 0 }]);
    }
}
