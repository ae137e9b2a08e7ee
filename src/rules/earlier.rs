//! What R01, R02 and R08 count of a line's earlier lines, in one pass over the claim-line fact
//! table in line order (`features::lines::in_line_order`).
//!
//! The three rules ask the same question of different groups: how many earlier lines (or
//! allowance days) share this line's person and qualification, person and year, or enrollment.
//! Window functions answer it per group, which on a province's million persons costs seconds;
//! a hash map walked once in line order costs a fraction of that, and "earlier" is then
//! literally the lines already walked past. Lines of rejected claims never count as earlier
//! (`counts_as_earlier`); a line never counts itself.
//!
//! The columns it adds ([`R01_EARLIER`] …) are read by the rule expressions in
//! [`super::line_rules`].

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
    pub line_id: &'a str,
    pub enrollment_id: &'a str,
    pub person_id: Option<u32>,
    pub occupation_code: Option<&'a str>,
    pub level: Option<i64>,
    pub claim_type: &'a str,
    pub year: Option<i32>,
    pub days: Option<i64>,
    pub counts_as_earlier: bool,
}

/// The counts of one line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Earlier<'a> {
    pub r01_lines: i64,
    pub r01_first: Option<&'a str>,
    pub r02_lines: i64,
    pub r08_days: i64,
}

/// The counts of every line, `lines` in line order. `r01_enabled`: whether lines in breach of
/// R01 leave R02's count (a disabled R01 breaches nothing). Lines that are not training lines
/// (R01, R02) or not allowance lines (R08), or lack the group's key, get 0: the rules never
/// judge them.
pub fn count<'a>(lines: impl IntoIterator<Item = Line<'a>>, max_days: i64, r01_enabled: bool) -> Vec<Earlier<'a>> {
    let mut qualifications: HashMap<(u32, &str, i64), (i64, &str)> = HashMap::new();
    let mut years: HashMap<(u32, i32), i64> = HashMap::new();
    let mut allowance_days: HashMap<&str, i64> = HashMap::new();
    let lines = lines.into_iter();
    let mut counted = Vec::with_capacity(lines.size_hint().0);
    for line in lines {
        let mut earlier = Earlier::default();
        if line.claim_type == "training" {
            let mut r01_breach = false;
            if let (Some(person), Some(occupation), Some(level)) = (line.person_id, line.occupation_code, line.level) {
                let key = (person, occupation, level);
                if let Some(&(lines, first)) = qualifications.get(&key) {
                    earlier.r01_lines = lines;
                    earlier.r01_first = Some(first);
                    r01_breach = r01_enabled && lines > 0;
                }
                if line.counts_as_earlier {
                    let entry = qualifications.entry(key).or_insert((0, line.line_id));
                    entry.0 += 1;
                }
            }
            if let (Some(person), Some(year)) = (line.person_id, line.year) {
                let seen = years.entry((person, year)).or_insert(0);
                earlier.r02_lines = *seen;
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
        counted.push(earlier);
    }
    counted
}

/// `facts` (in line order) with [`R01_EARLIER`], [`R01_FIRST`], [`R02_EARLIER`] and
/// [`R08_EARLIER_DAYS`] added.
pub fn with_earlier_lines(mut facts: DataFrame, policy: &Policy) -> Result<DataFrame> {
    let what = "counting earlier claim lines";
    let text = |name: &str| -> Result<StringChunked> { Ok(facts.column(name).context(what)?.str().context(what)?.clone()) };
    let int = |name: &str| -> Result<Int64Chunked> {
        Ok(facts.column(name).context(what)?.cast(&DataType::Int64).context(what)?.i64().context(what)?.clone())
    };
    let line_ids = text(c::LINE_ID)?;
    let enrollments = text(c::ENROLLMENT_ID)?;
    let persons = facts.column(c::PERSON_ID).context(what)?.u32().context(what)?.clone();
    let occupations = text(c::OCCUPATION_CODE)?;
    let claim_types = text(c::CLAIM_TYPE)?;
    let levels = int(c::LEVEL)?;
    let days = int(c::DAYS)?;
    let submitted = facts.column(c::SUBMITTED_ON).context(what)?.cast(&DataType::Date).context(what)?;
    let submitted = submitted.date().context(what)?.phys.clone();
    let counts = facts.column(c::COUNTS_AS_EARLIER).context(what)?.bool().context(what)?.clone();
    // Iterators, not `get(i)`: a streamed frame has many chunks, and `get` searches them. The
    // lines are never gathered into a vector: they are counted as they are read.
    let mut years = submitted.iter();
    let mut person_iter = persons.iter();
    let mut occupation_iter = occupations.iter();
    let mut level_iter = levels.iter();
    let mut day_iter = days.iter();
    let mut type_iter = claim_types.iter();
    let mut count_iter = counts.iter();
    let lines = line_ids.iter().zip(enrollments.iter()).map(|(line_id, enrollment_id)| Line {
        line_id: line_id.unwrap_or(""),
        enrollment_id: enrollment_id.unwrap_or(""),
        person_id: person_iter.next().flatten(),
        occupation_code: occupation_iter.next().flatten(),
        level: level_iter.next().flatten(),
        claim_type: type_iter.next().flatten().unwrap_or(""),
        year: years.next().flatten().map(|day| crate::frame::date_from_days(day).year()),
        days: day_iter.next().flatten(),
        counts_as_earlier: count_iter.next().flatten().unwrap_or(false),
    });
    let counted = count(lines, policy.rules.living_allowance.max_days as i64, policy.enabled("R01"));
    let columns = [
        Column::new(R01_EARLIER.into(), counted.iter().map(|e| e.r01_lines).collect::<Vec<i64>>()),
        Column::new(R01_FIRST.into(), counted.iter().map(|e| e.r01_first).collect::<Vec<Option<&str>>>()),
        Column::new(R02_EARLIER.into(), counted.iter().map(|e| e.r02_lines).collect::<Vec<i64>>()),
        Column::new(R08_EARLIER_DAYS.into(), counted.iter().map(|e| e.r08_days).collect::<Vec<i64>>()),
    ];
    facts.hstack_mut(&columns).context(what)?;
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn training(line_id: &str, person: u32, level: i64, year: i32, counts: bool) -> Line<'_> {
        Line {
            line_id,
            enrollment_id: line_id,
            person_id: Some(person),
            occupation_code: Some("4-01"),
            level: Some(level),
            claim_type: "training",
            year: Some(year),
            days: None,
            counts_as_earlier: counts,
        }
    }

    fn allowance<'a>(line_id: &'a str, enrollment: &'a str, days: Option<i64>, counts: bool) -> Line<'a> {
        Line { enrollment_id: enrollment, claim_type: "living_allowance", days, ..training(line_id, 1, 3, 2026, counts) }
    }

    #[test]
    fn a_second_training_line_for_the_same_qualification_counts_the_first() {
        let lines = [training("A", 1, 3, 2026, true), training("B", 1, 3, 2026, true), training("C", 1, 4, 2026, true)];
        let counted = count(lines, 30, true);
        assert_eq!(counted[0], Earlier { r01_lines: 0, r01_first: None, r02_lines: 0, r08_days: 0 });
        assert_eq!(counted[1], Earlier { r01_lines: 1, r01_first: Some("A"), r02_lines: 1, r08_days: 0 });
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
        assert_eq!((counted[2].r01_lines, counted[2].r01_first), (1, Some("B")));
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
            allowance("A", "E1", Some(10), true),
            allowance("B", "E1", None, true),
            allowance("C", "E2", Some(5), true),
            allowance("D", "E1", Some(3), false),
            allowance("E", "E1", Some(1), true),
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
}
