//! Planted rule breaches (R01–R12), procedural findings (P01–P04), sanctions, decisions, appeals
//! and rows a correct reader must reject.
//!
//! Each case is put into a class no other case uses, in an ordinary institution (never an
//! excellent one, a scheme or a special role), so cases cannot mix by accident. Most cases are
//! a planted trainee (a fresh person unless the case needs an old one) whose lines the honest
//! machinery then files; the rest edit or add lines once the honest lines exist. Every case
//! leaves a mark (rule bits and a note) on the row it breaks: the truth file is read off those
//! marks, and boundary controls (an exact 80%, age 60, a cap met to the fen, …) leave none.

use super::catalogue::{self, Group};
use super::honest::{add_assessment, add_enrollment, dropout_plan, fresh_person};
use super::model::*;
use super::people;
use crate::{Error, Quarter, Result};
use chrono::{Datelike, Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::Rng;
use std::collections::BTreeSet;

/// Lines of a planted trainee are only the ones the case is about.
const QUIET: u16 = NO_ALLOWANCE_LINE | NO_APPRAISAL_LINE | NO_EMPLOYMENT;

/// Work decided before the honest lines exist and carried out after.
#[derive(Default)]
pub struct Pending {
    /// R01: (host class, how its lines are claimed again).
    duplicate_claims: Vec<(u32, DuplicateCopy)>,
    /// R07: lines pointing to enrollments that do not exist.
    missing_lines: Vec<u32>,
    /// R07: (enrollment of another class, claim it is put into).
    misfiled: Vec<(u32, u32)>,
    /// R07: (enrollment, its class, institution that claims it).
    foreign: Vec<(u32, u32, u32)>,
    allowances: Vec<AllowanceCase>,
    appraisals: Vec<AppraisalCase>,
    /// R11: (host class, how the line is raised).
    over_standard: Vec<(u32, Raise)>,
    /// P04: (host class, amount difference, headcount difference).
    totals: Vec<(u32, i64, i64)>,
    overturned: Option<u32>,
    upheld: Option<u32>,
}

#[derive(Clone, Copy)]
enum DuplicateCopy {
    /// A later supplementary claim repeating two lines.
    Supplementary,
    /// A later claim, rejected, repeating one line.
    RejectedCopy,
    /// A second claim filed the same day, repeating one line.
    SameDay,
}

/// How an R11 line is raised above its standard.
#[derive(Clone, Copy)]
enum Raise {
    /// By this many fen.
    By(i64),
    /// To exactly 110% (what an uplift would allow, but the sample has no previous run).
    TenPercent,
}

/// A planted trainee's living-allowance lines, each in a claim of its own.
struct AllowanceCase {
    class: u32,
    enrollment: u32,
    lines: Vec<AllowanceLine>,
    note: &'static str,
}

#[derive(Clone, Copy)]
struct AllowanceLine {
    /// Days after the host's training claim that this claim is filed.
    after: i64,
    /// The line's `days` (None: missing, counted as 30).
    days: Option<i64>,
    amount: AllowanceAmount,
    /// Status forced on the claim (else as its date makes it).
    status: Option<Status>,
}

fn allowance(after: i64, days: Option<i64>, amount: AllowanceAmount, status: Option<Status>) -> AllowanceLine {
    AllowanceLine { after, days, amount, status }
}

#[derive(Clone, Copy)]
enum AllowanceAmount {
    /// Days × the district's daily cap (the line's own days).
    Days(i64),
    /// The cap for `days` plus one fen.
    CapPlusOneFen(i64),
}

/// A planted trainee's appraisal lines, each in a claim of its own.
struct AppraisalCase {
    class: u32,
    enrollment: u32,
    claims: Vec<AppraisalClaim>,
    /// Which of the claims breach R09, and what their part is (None: whole line).
    breaches: Vec<(usize, Option<i64>)>,
    note: &'static str,
}

#[derive(Clone, Copy)]
struct AppraisalClaim {
    /// Days after the class end that the claim is filed.
    after_end: i64,
    /// Share of the assessment fee claimed, per mille.
    per_mille: i64,
    status: Option<Status>,
}

fn appraisal(after_end: i64, per_mille: i64, status: Option<Status>) -> AppraisalClaim {
    AppraisalClaim { after_end, per_mille, status }
}

/// How a planted trainee attends, from the class's planned hours.
type PlanFor = fn(i64) -> AttendancePlan;

/// Whether class `c` may host a planted case.
fn host_ok(world: &World, c: u32) -> bool {
    let class = &world.classes[c as usize];
    !class.used
        && !class.split_claims
        && class.training_claims.len() == 1
        && class.end() <= world.last_day
        && class.enrollments.len() >= 4
        && world.may_host_class(c)
}

fn training_claim(world: &World, class: u32) -> u32 {
    world.classes[class as usize].training_claims[0]
}

/// Picks an unused host class whose training claim was filed `back` quarters before the last
/// one with the wanted status (a rejected one is made by rejecting a paid claim), trying nearby
/// quarters when none fits.
fn take_host(
    world: &mut World,
    back: i32,
    want: Status,
    what: &str,
    filter: &dyn Fn(&World, u32) -> bool,
) -> Result<u32> {
    let span = world.options.from.through(world.options.to).len() as i32;
    let mut tries = vec![back];
    for step in 1..span {
        tries.push(back + step);
        tries.push(back - step);
    }
    let statuses: &[Status] = match want {
        Status::Pending => &[Status::Pending, Status::Paid],
        _ => &[Status::Paid],
    };
    for &status in statuses {
        for &offset in &tries {
            if offset < 0 || offset >= span {
                continue;
            }
            let quarter = world.quarter_back(offset);
            let candidates: Vec<u32> = (0..world.classes.len() as u32)
                .filter(|&c| host_ok(world, c) && filter(world, c))
                .filter(|&c| {
                    let claim = &world.claims[training_claim(world, c) as usize];
                    claim.status == status && Quarter::of_date(claim.submitted_on) == quarter
                })
                .collect();
            if let Some(&class) = candidates.choose(&mut world.rng) {
                world.classes[class as usize].used = true;
                if want == Status::Rejected {
                    let claim = training_claim(world, class);
                    world.claims[claim as usize].status = Status::Rejected;
                }
                return Ok(class);
            }
        }
    }
    Err(Error::invalid(format!("sample: no class can host the planted case `{what}`; use more institutions")))
}

fn district_of_class(world: &World, class: u32) -> usize {
    world.institution_of_class(class).district
}

/// A fresh person enrolled in `class` as a planted trainee.
fn plant_trainee(
    world: &mut World,
    class: u32,
    group: Group,
    completed: bool,
    plan: AttendancePlan,
    flags: u16,
) -> u32 {
    let start = world.classes[class as usize].start;
    let district = district_of_class(world, class);
    let person = fresh_person(world, group, district, start, None, 0.5);
    let enrollment = add_enrollment(world, class, person, group, completed, plan);
    let e = &mut world.enrollments[enrollment as usize];
    e.exam = ExamPlan::None;
    e.flags |= flags;
    enrollment
}

fn mark(world: &mut World, enrollment: u32, rules: u16, note: &str) {
    world.enrollments[enrollment as usize].marks |= rules;
    if !note.is_empty() {
        World::note(&mut world.enrollment_notes, enrollment, note);
    }
}

/// Plants everything that needs enrollments to exist before exams, jobs and lines are made.
pub fn before_outcomes(world: &mut World) -> Result<Pending> {
    let mut pending = Pending::default();
    invalid_people(world)?;
    ages(world, &mut pending)?;
    not_completed(world, &mut pending)?;
    attendance(world)?;
    duplicates(world, &mut pending)?;
    annual_cap(world)?;
    mismatches(world, &mut pending)?;
    allowances(world, &mut pending)?;
    appraisals(world, &mut pending)?;
    for (back, status, raise) in [
        (0, Status::Pending, Raise::By(15_000)),
        (1, Status::Paid, Raise::TenPercent),
        (5, Status::Rejected, Raise::By(8_800)),
    ] {
        let class = take_host(world, back, status, "R11", &|_, _| true)?;
        pending.over_standard.push((class, raise));
    }
    claims_before_end(world)?;
    over_capacity(world)?;
    double_presence(world)?;
    for (back, amount, headcount) in [(0, 10_000, 0), (1, -5_000, 0), (2, 0, 1), (0, 0, -1)] {
        let class = take_host(world, back, Status::Paid, "P04", &|_, _| true)?;
        pending.totals.push((class, amount, headcount));
    }
    Ok(pending)
}

/// R03: ID numbers that are not valid (wrong check character, impossible birth date, wrong shape).
fn invalid_people(world: &mut World) -> Result<()> {
    let cases = [
        (0, Status::Pending, "R03: ID number with a wrong check character"),
        (1, Status::Paid, "R03: ID number whose birth date (30 February) does not exist"),
        (2, Status::Rejected, "R03: malformed ID number (17 characters)"),
        (0, Status::Paid, "R03: malformed ID number (a letter among the digits)"),
    ];
    for (case, (back, status, note)) in cases.into_iter().enumerate() {
        let class = take_host(world, back, status, "R03", &|_, _| true)?;
        // The impossible-date trainee is also entitled to an allowance: that line breaches R03 too.
        let (group, flags) = if case == 1 {
            (Group::PovertyRegistered, NO_APPRAISAL_LINE | NO_EMPLOYMENT)
        } else {
            (Group::Unemployed, QUIET)
        };
        let enrollment = plant_trainee(world, class, group, true, AttendancePlan::Full, flags);
        let person = world.enrollments[enrollment as usize].person as usize;
        let valid = world.persons[person].id.clone();
        let invalid = match case {
            0 => people::with_wrong_check(&valid),
            1 => {
                let sequence = world.rng.gen_range(100..999);
                people::with_impossible_birth_date(&valid[..6], world.persons[person].birth.year(), sequence)
            }
            2 => valid[..17].to_string(),
            _ => format!("{}A{}", &valid[..15], &valid[16..]),
        };
        world.ids.reserve(&invalid);
        world.persons[person].id = invalid;
        mark(world, enrollment, R03, note);
    }
    Ok(())
}

/// R04: ages outside 16–60 on enrolled_on, with the two boundaries that are not breaches.
fn ages(world: &mut World, pending: &mut Pending) -> Result<()> {
    // (back, status, years, exactly on the birthday (else the day before it), breach, note)
    let cases = [
        (0, Status::Paid, 61, true, true, "R04: aged exactly 61 on enrolled_on (61st birthday)"),
        (1, Status::Pending, 16, false, true, "R04: aged 15 on enrolled_on (16 the next day)"),
        (2, Status::Rejected, 63, true, true, "R04: aged 63 on enrolled_on"),
        (1, Status::Paid, 61, false, false, ""),
        (0, Status::Paid, 16, true, false, ""),
    ];
    for (case, (back, status, years, on_birthday, breach, note)) in cases.into_iter().enumerate() {
        let class = take_host(world, back, status, "R04", &|_, _| true)?;
        let start = world.classes[class as usize].start;
        let enrolled_on = start - Duration::days(10);
        let birthday = people::years_before(enrolled_on, years);
        let birth = if on_birthday { birthday } else { birthday + Duration::days(1) };
        let district = district_of_class(world, class);
        let person = fresh_person(world, Group::Unemployed, district, start, Some(birth), 0.5);
        let enrollment = add_enrollment(world, class, person, Group::Unemployed, true, AttendancePlan::Full);
        let e = &mut world.enrollments[enrollment as usize];
        e.enrolled_on = enrolled_on;
        e.exam = ExamPlan::None;
        e.flags |= QUIET;
        if breach {
            mark(world, enrollment, R04, note);
        }
        if case == 0 {
            pending.upheld = Some(enrollment);
        }
    }
    Ok(())
}

/// R05: claimed although not completed (one with full attendance, one who dropped out).
fn not_completed(world: &mut World, pending: &mut Pending) -> Result<()> {
    let cases =
        [(0, Status::Paid, false), (0, Status::Pending, true), (1, Status::Rejected, false), (5, Status::Paid, false)];
    for (case, (back, status, dropped_out)) in cases.into_iter().enumerate() {
        let class = take_host(world, back, status, "R05", &|_, _| true)?;
        let plan = if dropped_out { dropout_plan(world, class) } else { AttendancePlan::Full };
        let enrollment = plant_trainee(world, class, Group::Unemployed, false, plan, QUIET | FORCE_TRAINING_LINE);
        World::note(&mut world.enrollment_notes, enrollment, "R05: claimed although completed = false");
        if let AttendancePlan::Dropout { sessions } = plan {
            mark(world, enrollment, R06, &format!("R06: left after {sessions} sessions"));
        }
        if case == 0 {
            pending.overturned = Some(enrollment);
        }
    }
    Ok(())
}

/// R06: attendance just below, at and around 80% of the planned hours.
fn attendance(world: &mut World) -> Result<()> {
    // Enough sessions that the exact plans never run out of them.
    let roomy = |world: &World, c: u32| {
        let class = &world.classes[c as usize];
        class.planned_hours >= 10 * class.session_hours
    };
    let cases: [(i32, Status, PlanFor, &str); 5] = [
        (0, Status::Pending, |p| AttendancePlan::Exact { seconds: 2880 * p }, ""),
        (
            0,
            Status::Paid,
            |p| AttendancePlan::Exact { seconds: 2880 * p - 1 },
            "R06: attended one second less than 80% of the planned hours",
        ),
        (
            1,
            Status::Paid,
            |p| AttendancePlan::ExactMissingCheckout { seconds: 2700 * p },
            "R06: 75% attended plus one session without check_out (counts 0)",
        ),
        (
            2,
            Status::Rejected,
            |p| AttendancePlan::ExactOutsideDates { seconds: 2520 * p },
            "R06: 70% within the class dates plus four sessions before start_date (not counted)",
        ),
        (
            1,
            Status::Pending,
            |p| AttendancePlan::ExactOverlong { seconds: 2880 * p - 13 * 3600 },
            "R06: one 20-hour session clipped to 12 h leaves 80% minus one hour",
        ),
    ];
    for (back, status, plan, note) in cases {
        let class = take_host(world, back, status, "R06", &roomy)?;
        let planned = world.classes[class as usize].planned_hours as i64;
        let enrollment = plant_trainee(world, class, Group::Unemployed, true, plan(planned), QUIET);
        if !note.is_empty() {
            mark(world, enrollment, R06, note);
        }
    }
    Ok(())
}

/// R01: the same training claimed twice — by a later claim, by a second registration, at a
/// second institution, by a rejected copy and by a copy filed the same day.
fn duplicates(world: &mut World, pending: &mut Pending) -> Result<()> {
    for (back, status, copy) in [
        (1, Status::Paid, DuplicateCopy::Supplementary),
        (2, Status::Paid, DuplicateCopy::RejectedCopy),
        (0, Status::Pending, DuplicateCopy::SameDay),
    ] {
        let class = take_host(world, back, status, "R01", &|_, _| true)?;
        pending.duplicate_claims.push((class, copy));
    }

    // Registered twice in the same class: both lines in one claim, the later enrollment is R01.
    let class = take_host(world, 1, Status::Paid, "R01", &|_, _| true)?;
    let original =
        honest_completer(world, class).ok_or_else(|| Error::invalid("sample: R01 host without a completer"))?;
    let person = world.enrollments[original as usize].person;
    let group = world.enrollments[original as usize].group;
    let twice = add_enrollment(world, class, person, group, true, AttendancePlan::Full);
    quiet(world, twice);
    world.enrollment_line_rules.push((twice, R01));
    World::note(
        &mut world.enrollment_notes,
        twice,
        "R01: the same person registered twice in one class and claimed twice",
    );

    // Trained again in the same occupation and level at another institution.
    for back in [0, 3] {
        let (earlier, later, original) = second_institution_pair(world, back)?;
        let person = world.enrollments[original as usize].person;
        let group = world.enrollments[original as usize].group;
        let again = add_enrollment(world, later, person, group, true, AttendancePlan::Full);
        quiet(world, again);
        world.enrollment_line_rules.push((again, R01));
        let note = format!(
            "R01: same occupation and level already claimed for {} at {}",
            Enrollment::id_of(original),
            world.institution_of_class(earlier).id()
        );
        World::note(&mut world.enrollment_notes, again, &note);
    }
    Ok(())
}

fn quiet(world: &mut World, enrollment: u32) {
    let e = &mut world.enrollments[enrollment as usize];
    e.exam = ExamPlan::None;
    e.flags |= QUIET;
}

/// An honest, completed trainee of `class` who trained nowhere else.
fn honest_completer(world: &World, class: u32) -> Option<u32> {
    world.classes[class as usize].enrollments.iter().copied().find(|&e| {
        let row = &world.enrollments[e as usize];
        row.completed
            && row.flags == 0
            && row.marks == 0
            && row.plan == AttendancePlan::Full
            && world.persons[row.person as usize].enrollments == 1
    })
}

/// Two classes of the same occupation and level at two institutions, the later one's claim
/// filed `back` quarters before the last, and a completer of the earlier one.
fn second_institution_pair(world: &mut World, back: i32) -> Result<(u32, u32, u32)> {
    let span = world.options.from.through(world.options.to).len() as i32;
    for offset in [back, back + 1, back - 1, back + 2] {
        if offset < 0 || offset >= span {
            continue;
        }
        let quarter = world.quarter_back(offset);
        let mut laters: Vec<u32> = (0..world.classes.len() as u32)
            .filter(|&c| host_ok(world, c))
            .filter(|&c| {
                let claim = &world.claims[training_claim(world, c) as usize];
                claim.status != Status::Rejected && Quarter::of_date(claim.submitted_on) == quarter
            })
            .collect();
        laters.shuffle(&mut world.rng);
        for later in laters {
            let l = &world.classes[later as usize];
            let later_claim = world.claims[training_claim(world, later) as usize].submitted_on;
            let earlier = (0..world.classes.len() as u32).find(|&c| {
                let e = &world.classes[c as usize];
                host_ok(world, c)
                    && e.institution != l.institution
                    && (e.occupation, e.level) == (l.occupation, l.level)
                    && e.end() + Duration::days(30) < l.start
                    && world.claims[training_claim(world, c) as usize].status != Status::Rejected
                    && world.claims[training_claim(world, c) as usize].submitted_on < later_claim
                    && honest_completer(world, c).is_some()
            });
            if let Some(earlier) = earlier {
                let original = honest_completer(world, earlier).expect("checked");
                world.classes[earlier as usize].used = true;
                world.classes[later as usize].used = true;
                return Ok((earlier, later, original));
            }
        }
    }
    Err(Error::invalid("sample: no pair of classes can host the planted case `R01` (second institution)"))
}

/// R02: people with four or five training lines in one calendar year, and one whose duplicate
/// (R01) line must not count toward the three.
fn annual_cap(world: &mut World) -> Result<()> {
    let to = world.options.to;
    let year = if to.number() >= 3 { to.year() } else { to.year() - 1 };
    // (lines, position of a line repeating the first one's occupation and level)
    for (length, repeat_at) in [(4usize, None), (5, None), (4, Some(1usize))] {
        let chain = chain_of_classes(world, year, length, repeat_at).ok_or_else(|| {
            Error::invalid("sample: no chain of classes can host the planted case `R02`; use more institutions")
        })?;
        let mut ordered = chain.clone();
        ordered.sort_by_key(|&c| {
            let claim = &world.claims[training_claim(world, c) as usize];
            (claim.submitted_on, claim.sequence)
        });
        let first = chain[0];
        let start = world.classes[first as usize].start;
        let district = district_of_class(world, first);
        let person = fresh_person(world, Group::Unemployed, district, start, None, 0.5);
        let mut enrollments = Vec::new();
        for &class in &chain {
            world.classes[class as usize].used = true;
            let enrollment = add_enrollment(world, class, person, Group::Unemployed, true, AttendancePlan::Full);
            quiet(world, enrollment);
            enrollments.push((class, enrollment));
        }
        // By construction: walk the person's lines in line order as the planted design says.
        let mut seen = BTreeSet::new();
        let mut counted = 0;
        for class in ordered {
            let enrollment = enrollments.iter().find(|(c, _)| *c == class).expect("chain member").1;
            let key = (world.classes[class as usize].occupation, world.classes[class as usize].level);
            if !seen.insert(key) {
                world.enrollment_line_rules.push((enrollment, R01));
                World::note(
                    &mut world.enrollment_notes,
                    enrollment,
                    "R01: repeats the occupation and level of the person's earlier line (and so does not count toward R02)",
                );
                continue;
            }
            if counted >= 3 {
                world.enrollment_line_rules.push((enrollment, R02));
                let note = format!(
                    "R02: training line number {} of the person in {year} (3 or more earlier lines)",
                    counted + 1
                );
                World::note(&mut world.enrollment_notes, enrollment, &note);
            }
            counted += 1;
        }
    }
    Ok(())
}

/// `length` classes one after another with claims filed in `year`, all of distinct occupation
/// and level except the one at `repeat_at`, which repeats the first.
fn chain_of_classes(world: &mut World, year: i32, length: usize, repeat_at: Option<usize>) -> Option<Vec<u32>> {
    let mut candidates: Vec<u32> = (0..world.classes.len() as u32)
        .filter(|&c| host_ok(world, c))
        .filter(|&c| {
            let claim = &world.claims[training_claim(world, c) as usize];
            claim.status != Status::Rejected && claim.submitted_on.year() == year
        })
        .collect();
    candidates.sort_by_key(|&c| (world.classes[c as usize].start, c));
    let starts = candidates.len().min(40);
    let mut first_choices: Vec<usize> = (0..starts).collect();
    first_choices.shuffle(&mut world.rng);
    for first in first_choices {
        let mut chain = vec![candidates[first]];
        for &c in &candidates[first + 1..] {
            if chain.len() == length {
                break;
            }
            let class = &world.classes[c as usize];
            let previous = &world.classes[*chain.last().expect("non-empty") as usize];
            if class.start <= previous.end() + Duration::days(3) {
                continue;
            }
            let key = (class.occupation, class.level);
            let first_key = (world.classes[chain[0] as usize].occupation, world.classes[chain[0] as usize].level);
            let fits = if repeat_at == Some(chain.len()) {
                key == first_key
            } else {
                chain.iter().all(|&o| (world.classes[o as usize].occupation, world.classes[o as usize].level) != key)
            };
            if fits {
                chain.push(c);
            }
        }
        if chain.len() == length {
            return Some(chain);
        }
    }
    None
}

/// R07: a line for an enrollment that does not exist, one for another class's trainee, one
/// filed by another institution, and one whose enrollment is rejected on reading.
fn mismatches(world: &mut World, pending: &mut Pending) -> Result<()> {
    let class = take_host(world, 0, Status::Pending, "R07", &|_, _| true)?;
    pending.missing_lines.push(class);

    // Misfiled: a trainee of a sister class put into this class's claim instead of their own.
    let sister_of = |world: &World, host: u32| -> Option<u32> {
        let h = &world.classes[host as usize];
        (0..world.classes.len() as u32).find(|&c| {
            c != host
                && host_ok(world, c)
                && world.classes[c as usize].institution == h.institution
                && honest_completer(world, c).is_some()
        })
    };
    let host = take_host(world, 1, Status::Paid, "R07", &|w, c| sister_of(w, c).is_some())?;
    let sister = sister_of(world, host).expect("checked by the filter");
    world.classes[sister as usize].used = true;
    let trainee = honest_completer(world, sister).expect("checked by the filter");
    world.enrollments[trainee as usize].flags |= NO_TRAINING_LINE;
    pending.misfiled.push((trainee, training_claim(world, host)));
    World::note(&mut world.enrollment_notes, trainee, "R07: enrollment of another class than the claim's class");

    // Another institution claims a trainee of this class.
    let class = take_host(world, 2, Status::Paid, "R07", &|w, c| honest_completer(w, c).is_some())?;
    let trainee = honest_completer(world, class).expect("checked by the filter");
    world.enrollments[trainee as usize].flags |= NO_TRAINING_LINE;
    let owner = world.classes[class as usize].institution;
    let claimants: Vec<u32> = (0..world.institutions.len() as u32)
        .filter(|&i| i != owner && world.may_host(i))
        .collect();
    let claimant =
        *claimants.choose(&mut world.rng).ok_or_else(|| Error::invalid("sample: no institution can claim R07"))?;
    pending.foreign.push((trainee, class, claimant));
    World::note(
        &mut world.enrollment_notes,
        trainee,
        "R07: claimed by another institution than the one running its class",
    );

    // A trainee whose group the contract does not know: the reader rejects the enrollment.
    let class = take_host(world, 0, Status::Rejected, "R07", &|_, _| true)?;
    let start = world.classes[class as usize].start;
    let district = district_of_class(world, class);
    let birth = people::years_before(start, 58) - Duration::days(40);
    let person = fresh_person(world, Group::Other, district, start, Some(birth), 0.5);
    let enrollment = add_enrollment(world, class, person, Group::Retiree, true, AttendancePlan::None);
    let e = &mut world.enrollments[enrollment as usize];
    e.exam = ExamPlan::None;
    e.flags |= QUIET | NO_SURVEY | REJECTED_ON_READ;
    World::note(
        &mut world.enrollment_notes,
        enrollment,
        "R07: enrollment rejected on reading (unknown group `retiree`)",
    );
    world.rejects.push(RejectPlant { table: "enrollments", count: 1, reason: "unknown enum value (group `retiree`)" });
    Ok(())
}

/// R08: living allowances for an ineligible group, for too many days, without days, after an
/// earlier allowance, one fen over the cap; and two that are exactly right.
fn allowances(world: &mut World, pending: &mut Pending) -> Result<()> {
    fn length(world: &World, c: u32) -> i64 {
        world.classes[c as usize].length_days as i64
    }
    /// Whether claims can still be filed `days` after the host's training claim.
    fn room(world: &World, c: u32, days: i64) -> bool {
        world.claims[training_claim(world, c) as usize].submitted_on + Duration::days(days) <= world.last_day
    }
    type Filter = fn(&World, u32) -> bool;
    let filters: [(i32, Status, Group, Filter); 7] = [
        (1, Status::Paid, Group::Unemployed, |w, c| room(w, c, 5)),
        (0, Status::Pending, Group::SchoolLeaver, |w, c| length(w, c) >= 35 && room(w, c, 5)),
        (2, Status::Paid, Group::Veteran, |w, c| length(w, c) <= 25 && room(w, c, 5)),
        (1, Status::Paid, Group::PovertyRegistered, |w, c| length(w, c) >= 21 && room(w, c, 30)),
        (0, Status::Paid, Group::LowIncome, |w, c| {
            catalogue::DISTRICTS[w.institution_of_class(c).district].minimum_wage_fen == 201_000 && room(w, c, 5)
        }),
        (3, Status::Paid, Group::Veteran, |w, c| room(w, c, 5)),
        (2, Status::Paid, Group::SchoolLeaver, |w, c| length(w, c) >= 21 && room(w, c, 30)),
    ];
    for (case, (back, status, group, filter)) in filters.into_iter().enumerate() {
        let class = take_host(world, back, status, "R08", &filter)?;
        let enrollment = plant_trainee(world, class, group, true, AttendancePlan::Full, QUIET);
        let (lines, note) = match case {
            0 => (
                vec![allowance(3, Some(10), AllowanceAmount::Days(10), None)],
                "R08: living allowance for group `unemployed`, which has no entitlement",
            ),
            1 => (
                vec![allowance(3, Some(35), AllowanceAmount::Days(35), None)],
                "R08: 35 days claimed, at most 30 allowed",
            ),
            2 => (
                vec![allowance(3, None, AllowanceAmount::Days(30), Some(Status::Rejected))],
                "R08: days missing (counted as 30) but the class lasted fewer days",
            ),
            3 => (
                vec![
                    allowance(3, Some(20), AllowanceAmount::Days(20), Some(Status::Paid)),
                    allowance(25, Some(15), AllowanceAmount::Days(15), None),
                ],
                "R08: 20 days already paid, so only 10 of these 15 are allowed",
            ),
            4 => (vec![allowance(3, Some(12), AllowanceAmount::CapPlusOneFen(12), None)], "R08: one fen above the cap"),
            5 => (vec![allowance(3, Some(12), AllowanceAmount::Days(12), None)], ""),
            _ => (
                vec![
                    allowance(3, Some(20), AllowanceAmount::Days(20), Some(Status::Rejected)),
                    allowance(25, Some(15), AllowanceAmount::Days(15), None),
                ],
                "",
            ),
        };
        pending.allowances.push(AllowanceCase { class, enrollment, lines, note });
    }
    Ok(())
}

/// R09: appraisal subsidies without a qualifying pass or above the 80%/90% cap, and two that
/// are exactly at the cap.
fn appraisals(world: &mut World, pending: &mut Pending) -> Result<()> {
    type Filter = fn(&World, u32) -> bool;
    /// A class with an exam whose claims can be filed `days` after its end, key industry or not.
    fn fits(w: &World, c: u32, days: i64, key: Option<bool>) -> bool {
        let class = &w.classes[c as usize];
        class.level > 0
            && class.end() + Duration::days(days) <= w.last_day
            && key.is_none_or(|k| class.key_industry == k)
    }
    let cases: [(i32, Filter, f64, bool, bool, i64); 7] = [
        (0, |w, c| fits(w, c, 30, Some(false)), 48.0, false, false, 7),
        (1, |w, c| fits(w, c, 25, None), 75.0, true, true, 25),
        (2, |w, c| fits(w, c, 30, None), 70.0, true, false, 7),
        (1, |w, c| fits(w, c, 50, None), 82.0, true, true, 7),
        (0, |w, c| fits(w, c, 30, Some(false)), 77.0, true, true, 7),
        (2, |w, c| fits(w, c, 30, Some(true)), 71.0, true, true, 7),
        (3, |w, c| fits(w, c, 30, Some(false)), 66.0, true, true, 7),
    ];
    for (case, (back, filter, score, passed, certificate, days_after_end)) in cases.into_iter().enumerate() {
        let class = take_host(world, back, Status::Paid, "R09", &filter)?;
        let enrollment = plant_trainee(world, class, Group::Unemployed, true, AttendancePlan::Full, QUIET);
        world.enrollments[enrollment as usize].exam = ExamPlan::Fixed { score, passed, certificate, days_after_end };
        let rate = if world.classes[class as usize].key_industry { 900 } else { 800 };
        let (claims, breaches, note): (_, Vec<(usize, Option<i64>)>, _) = match case {
            0 => (vec![appraisal(30, rate, None)], vec![(0, None)], "R09: appraisal subsidy for a failed exam"),
            1 => {
                (vec![appraisal(15, rate, None)], vec![(0, None)], "R09: the pass was dated after the claim was filed")
            }
            2 => (
                vec![appraisal(30, rate, Some(Status::Rejected))],
                vec![(0, None)],
                "R09: passed but no certificate was issued",
            ),
            3 => (
                vec![appraisal(25, rate, None), appraisal(50, rate, None)],
                vec![(1, None)],
                "R09: the one pass already supported an earlier appraisal line",
            ),
            4 => (vec![appraisal(30, 1000, None)], vec![(0, Some(200))], "R09: 100% of the fee claimed, 80% allowed"),
            _ => (vec![appraisal(30, rate, None)], vec![], ""),
        };
        pending.appraisals.push(AppraisalCase { class, enrollment, claims, breaches, note });
    }
    Ok(())
}

/// P01: reimbursement claims filed before the class ended (and one filed on the last day).
fn claims_before_end(world: &mut World) -> Result<()> {
    let reimbursed = |w: &World, c: u32| !w.claims[training_claim(w, c) as usize].credit_mode;
    for (back, early) in [(0, true), (1, true), (3, true), (2, false)] {
        let class = take_host(world, back, Status::Paid, "P01", &reimbursed)?;
        let end = world.classes[class as usize].end();
        let claim = training_claim(world, class);
        let date = if early { end - Duration::days(world.rng.gen_range(1..=5)) } else { end };
        world.claims[claim as usize].submitted_on = date;
        if early {
            let institution = world.classes[class as usize].institution;
            world.procedural.push(ProceduralPlant {
                quarter: Quarter::of_date(date),
                rule: "P01",
                entity: ProceduralEntity::Claim(claim),
                institution,
                note: format!("P01: reimbursement claim filed {date}, before the class ended {end}"),
            });
        }
    }
    Ok(())
}

/// P02: classes with more enrollments than seats (and one exactly full).
fn over_capacity(world: &mut World) -> Result<()> {
    for (back, margin) in [(0, -2), (1, -1), (2, -3), (1, 0)] {
        let quarter = world.quarter_back(back);
        let candidates: Vec<u32> = (0..world.classes.len() as u32)
            .filter(|&c| {
                let class = &world.classes[c as usize];
                !class.used
                    && Quarter::of_date(class.start) == quarter
                    && world.may_host_class(c)
            })
            .collect();
        let class = *candidates
            .choose(&mut world.rng)
            .ok_or_else(|| Error::invalid("sample: no class can host the planted case `P02`"))?;
        let c = &mut world.classes[class as usize];
        c.used = true;
        c.capacity_margin = margin;
        if margin < 0 {
            let institution = c.institution;
            world.procedural.push(ProceduralPlant {
                quarter,
                rule: "P02",
                entity: ProceduralEntity::Class(class),
                institution,
                note: format!("P02: {} more enrollments than seats", -margin),
            });
        }
    }
    Ok(())
}

/// P03: one person signed in at two institutions' classes within the hour (and one pair exactly
/// an hour apart, which is not a finding).
fn double_presence(world: &mut World) -> Result<()> {
    let span = world.options.from.through(world.options.to).len() as i32;
    let dates = |world: &World, c: u32| -> BTreeSet<NaiveDate> {
        let class = &world.classes[c as usize];
        (0..class.sessions).map(|i| class.session_date(i)).collect()
    };
    for (back, offset) in [(1, 1800), (0, 2400), (2, 600), (1, 3600)] {
        let mut found = None;
        for quarter_back in [back, back + 1, back + 2, back + 3] {
            if quarter_back >= span {
                break;
            }
            let quarter = world.quarter_back(quarter_back);
            // The whole of both classes in one quarter keeps the finding in that quarter.
            let mut candidates: Vec<u32> = (0..world.classes.len() as u32)
                .filter(|&c| {
                    let class = &world.classes[c as usize];
                    !class.used
                        && !class.split_claims
                        && class.enrollments.len() >= 4
                        && world.may_host_class(c)
                        && class.start >= quarter.first_day()
                        && class.end() <= quarter.last_day().min(world.last_day)
                })
                .collect();
            candidates.shuffle(&mut world.rng);
            'search: for (i, &a) in candidates.iter().enumerate() {
                let a_dates = dates(world, a);
                for &b in &candidates[i + 1..] {
                    if world.classes[b as usize].institution == world.classes[a as usize].institution {
                        continue;
                    }
                    let shared = dates(world, b).intersection(&a_dates).count();
                    if shared > 0 {
                        found = Some((a, b, shared, quarter));
                        break 'search;
                    }
                }
            }
            if found.is_some() {
                break;
            }
        }
        let (a, b, shared, quarter) =
            found.ok_or_else(|| Error::invalid("sample: no pair of classes can host the planted case `P03`"))?;
        world.classes[a as usize].used = true;
        world.classes[b as usize].used = true;
        let start = world.classes[a as usize].start;
        let district = district_of_class(world, a);
        let person = fresh_person(world, Group::Unemployed, district, start, None, 0.5);
        let first = add_enrollment(world, a, person, Group::Unemployed, true, AttendancePlan::Perfect);
        quiet(world, first);
        let second = add_enrollment(
            world,
            b,
            person,
            Group::Unemployed,
            true,
            AttendancePlan::Shadow { partner: first, offset },
        );
        quiet(world, second);
        if offset < 3600 {
            let (ia, ib) = (world.classes[a as usize].institution, world.classes[b as usize].institution);
            let note = format!(
                "P03: the same person signed in at {} and {} {} minutes apart on {shared} day(s); one finding charged to both institutions",
                world.institutions[ia as usize].id(),
                world.institutions[ib as usize].id(),
                offset / 60
            );
            world.procedural.push(ProceduralPlant {
                quarter,
                rule: "P03",
                entity: ProceduralEntity::Pair(first, second),
                institution: ia,
                note,
            });
        }
    }
    Ok(())
}

/// Plants everything that edits or adds lines, then sanctions, decisions, appeals and rejects.
pub fn after_lines(world: &mut World, pending: Pending) -> Result<()> {
    for &(enrollment, rules) in &world.enrollment_line_rules.clone() {
        for line in 0..world.lines.len() {
            let l = &world.lines[line];
            if l.enrollment == EnrollmentRef::Known(enrollment)
                && world.claims[l.claim as usize].kind == ClaimKind::Training
            {
                world.lines[line].rules |= rules;
            }
        }
    }
    for &(class, copy) in &pending.duplicate_claims {
        copy_lines(world, class, copy);
    }
    // Numbers past the last enrollment: no row has them.
    let first_missing = world.enrollments.len() as u32 + 1000;
    for (missing_number, &class) in (first_missing..).zip(&pending.missing_lines) {
        let claim = training_claim(world, class);
        let amount = world.classes[class as usize].subsidy_fen;
        let line = world.add_line(claim, EnrollmentRef::Missing(missing_number), amount, None);
        world.lines[line as usize].rules |= R07;
        World::note(&mut world.line_notes, line, "R07: the line's enrollment does not exist");
    }
    for &(trainee, claim) in &pending.misfiled {
        let own = world.class_of(trainee).subsidy_fen;
        let host = world.classes[world.claims[claim as usize].class.expect("training claims have a class") as usize]
            .subsidy_fen;
        let line = world.add_line(claim, EnrollmentRef::Known(trainee), own.min(host), None);
        world.lines[line as usize].rules |= R07;
    }
    for &(trainee, class, claimant) in &pending.foreign {
        let date =
            (world.classes[class as usize].end() + Duration::days(world.rng.gen_range(10..=20))).min(world.last_day);
        let (status, paid) = world.natural_status(date);
        let claim = world.add_claim(claimant, Some(class), ClaimKind::Training, date, status, false);
        world.claims[claim as usize].paid_per_mille = paid;
        let amount = world.classes[class as usize].subsidy_fen;
        let line = world.add_line(claim, EnrollmentRef::Known(trainee), amount, None);
        world.lines[line as usize].rules |= R07;
    }
    for case in &pending.allowances {
        plant_allowance(world, case);
    }
    for case in &pending.appraisals {
        plant_appraisal(world, case);
    }
    for &(class, raise) in &pending.over_standard {
        let claim = training_claim(world, class);
        let subsidy = world.classes[class as usize].subsidy_fen;
        if let Some(&line) =
            world.claims[claim as usize].lines.iter().find(|&&l| world.lines[l as usize].amount_fen == subsidy)
        {
            let raised = match raise {
                Raise::By(fen) => subsidy + fen,
                Raise::TenPercent => subsidy * 110 / 100,
            };
            let l = &mut world.lines[line as usize];
            l.amount_fen = raised;
            l.rules |= R11;
            l.partial_fen = raised - subsidy;
            let note = format!(
                "R11: {} claimed against a standard of {}",
                crate::money::yuan(raised),
                crate::money::yuan(subsidy)
            );
            World::note(&mut world.line_notes, line, &note);
        }
    }
    for &(class, amount, headcount) in &pending.totals {
        let claim = training_claim(world, class);
        let lines = world.claims[claim as usize].lines.len() as i64;
        let headcount = if lines + headcount < 1 { 1 } else { headcount };
        let c = &mut world.claims[claim as usize];
        c.amount_adjust_fen = amount;
        c.headcount_adjust = headcount;
        let note = if amount != 0 {
            format!("P04: amount differs from the sum of the lines by {}", crate::money::yuan(amount))
        } else {
            format!("P04: headcount differs from the number of lines by {headcount}")
        };
        let (quarter, institution) = (Quarter::of_date(c.submitted_on), c.institution);
        world.procedural.push(ProceduralPlant {
            quarter,
            rule: "P04",
            entity: ProceduralEntity::Claim(claim),
            institution,
            note,
        });
    }
    sanctions_and_decisions(world);
    appeals(world, &pending);
    rejects(world);
    Ok(())
}

/// R01: copies of lines already claimed, in a later, a rejected or a same-day claim.
fn copy_lines(world: &mut World, class: u32, copy: DuplicateCopy) {
    let main = training_claim(world, class);
    let (institution, date, status) = {
        let c = &world.claims[main as usize];
        (c.institution, c.submitted_on, c.status)
    };
    let originals: Vec<u32> = world.claims[main as usize].lines.clone();
    let (date, status, count, note) = match copy {
        DuplicateCopy::Supplementary => {
            let date = (date + Duration::days(world.rng.gen_range(20..=40))).min(world.last_day);
            (date, world.natural_status(date).0, 2, "R01: claimed again in a later supplementary claim")
        }
        DuplicateCopy::RejectedCopy => {
            let date = (date + Duration::days(world.rng.gen_range(10..=30))).min(world.last_day);
            (date, Status::Rejected, 1, "R01: claimed again in a later claim (rejected, so flagged only)")
        }
        DuplicateCopy::SameDay => {
            (date, status, 1, "R01: claimed again in a second claim filed the same day (higher claim id)")
        }
    };
    let claim = world.add_claim(institution, Some(class), ClaimKind::Training, date, status, false);
    for &original in originals.iter().take(count) {
        let (enrollment, amount) =
            (world.lines[original as usize].enrollment, world.lines[original as usize].amount_fen);
        let line = world.add_line(claim, enrollment, amount, None);
        world.lines[line as usize].rules |= R01;
        World::note(&mut world.line_notes, line, note);
    }
}

fn plant_allowance(world: &mut World, case: &AllowanceCase) {
    let institution = world.classes[case.class as usize].institution;
    let district = world.institutions[institution as usize].district;
    let per_day = catalogue::allowance_per_day_fen(district);
    let class_days = world.classes[case.class as usize].length_days as i64;
    let base = world.claims[training_claim(world, case.class) as usize].submitted_on;
    let mut earlier_days = 0;
    for &AllowanceLine { after, days, amount, status: forced } in &case.lines {
        let date = (base + Duration::days(after)).min(world.last_day);
        let (status, paid) = match forced {
            Some(status) => (status, 1000),
            None => world.natural_status(date),
        };
        let claim = world.add_claim(institution, Some(case.class), ClaimKind::LivingAllowance, date, status, false);
        world.claims[claim as usize].paid_per_mille = paid;
        let amount = match amount {
            AllowanceAmount::Days(d) => per_day * d,
            AllowanceAmount::CapPlusOneFen(d) => catalogue::allowance_cap_fen(district, d) + 1,
        };
        let line = world.add_line(claim, EnrollmentRef::Known(case.enrollment), amount, days);
        // The planted design's own arithmetic: what the case was built to exceed.
        let group = world.enrollments[case.enrollment as usize].group;
        let part = if !group.allowance_eligible() {
            amount
        } else {
            let allowed = days.unwrap_or(30).min(30 - earlier_days).min(class_days).max(0);
            (amount - catalogue::allowance_cap_fen(district, allowed)).max(0)
        };
        if status != Status::Rejected {
            earlier_days += days.unwrap_or(30);
        }
        if part > 0 {
            let l = &mut world.lines[line as usize];
            l.rules |= R08;
            l.partial_fen = part;
            World::note(&mut world.line_notes, line, case.note);
        }
    }
}

fn plant_appraisal(world: &mut World, case: &AppraisalCase) {
    let (institution, end, level) = {
        let c = &world.classes[case.class as usize];
        (c.institution, c.end(), c.level)
    };
    let fee = catalogue::assessment_fee_fen(level);
    for (index, &AppraisalClaim { after_end, per_mille, status: forced }) in case.claims.iter().enumerate() {
        let date = end + Duration::days(after_end);
        let (status, paid) = match forced {
            Some(status) => (status, 1000),
            None => world.natural_status(date),
        };
        let claim = world.add_claim(institution, Some(case.class), ClaimKind::Appraisal, date, status, false);
        world.claims[claim as usize].paid_per_mille = paid;
        let amount = fee * per_mille / 1000;
        let line = world.add_line(claim, EnrollmentRef::Known(case.enrollment), amount, None);
        if let Some(&(_, part_per_mille)) = case.breaches.iter().find(|(i, _)| *i == index) {
            let l = &mut world.lines[line as usize];
            l.rules |= R09;
            l.partial_fen = part_per_mille.map_or(amount, |p| fee * p / 1000);
            World::note(&mut world.line_notes, line, case.note);
        }
    }
}

fn institutions_with(world: &World, special: Special) -> Vec<u32> {
    (0..world.institutions.len() as u32).filter(|&i| world.institutions[i as usize].special == special).collect()
}

/// Claims of `institution` (not dropped later: only those with lines), by date and sequence.
fn claims_of(world: &World, institution: u32) -> Vec<u32> {
    let mut claims: Vec<u32> = (0..world.claims.len() as u32)
        .filter(|&c| world.claims[c as usize].institution == institution && !world.claims[c as usize].lines.is_empty())
        .collect();
    claims.sort_by_key(|&c| (world.claims[c as usize].submitted_on, world.claims[c as usize].sequence));
    claims
}

/// Puts one of the institution's claims on `date` itself: a claim filed on the very day of a
/// decision is already R10. The last claim of the two months before is moved later (which never
/// breaks anything else: a training claim stays after its class, an appraisal claim after its
/// exams); failing that, the first allowance claim of the month after is moved earlier (no rule
/// dates an allowance claim).
fn move_claim_onto(world: &mut World, institution: u32, date: NaiveDate) {
    let claims = claims_of(world, institution);
    let filed = |c: u32| world.claims[c as usize].submitted_on;
    let before = claims.iter().copied().rfind(|&c| filed(c) < date && filed(c) >= date - Duration::days(60));
    let after = claims.iter().copied().find(|&c| {
        filed(c) > date
            && filed(c) <= date + Duration::days(30)
            && world.claims[c as usize].kind == ClaimKind::LivingAllowance
    });
    if let Some(claim) = before.or(after) {
        world.claims[claim as usize].submitted_on = date;
    }
}

/// Marks R10 on the claims an institution filed while sanctioned, spreading their statuses.
fn sanction_claims(world: &mut World, institution: u32, within: &dyn Fn(NaiveDate) -> bool, why: &str) {
    let mut nth = 0;
    for claim in claims_of(world, institution) {
        let date = world.claims[claim as usize].submitted_on;
        if !within(date) {
            continue;
        }
        let c = &mut world.claims[claim as usize];
        c.sanctioned = true;
        if c.status == Status::Paid && nth % 3 == 1 {
            // The bureau caught some of them.
            c.status = Status::Rejected;
        }
        nth += 1;
        World::note(&mut world.claim_notes, claim, why);
    }
}

fn sanctions_and_decisions(world: &mut World) {
    let to = world.options.to;
    for institution in institutions_with(world, Special::Banned) {
        let (from, until) = (to.offset(-1), to.offset(2));
        world.sanctions.push(Sanction {
            institution,
            kind: "ban",
            from,
            until: Some(until),
            reason: "信用评价不达标（D级），禁止承接政府补贴性培训项目".to_string(),
        });
        let why = format!("R10: filed while banned ({from}…{until})");
        sanction_claims(world, institution, &|d| Quarter::of_date(d) >= from && Quarter::of_date(d) <= until, &why);
    }
    for institution in institutions_with(world, Special::Disqualified) {
        let from = to.offset(-2);
        world.sanctions.push(Sanction {
            institution,
            kind: "disqualified",
            from,
            until: None,
            reason: "以虚报培训人数方式骗取补贴资金，取消培训资质".to_string(),
        });
        let why = format!("R10: filed while disqualified (from {from}, no end)");
        sanction_claims(world, institution, &|d| Quarter::of_date(d) >= from, &why);
    }
    for institution in institutions_with(world, Special::FraudStated) {
        let (decided_on, _) = world.decision_dates(Special::FraudStated).expect("a fraud role has dates");
        move_claim_onto(world, institution, decided_on);
        let earlier_paid: i64 = claims_of(world, institution)
            .iter()
            .map(|&c| &world.claims[c as usize])
            .filter(|c| {
                c.submitted_on < decided_on && c.submitted_on >= to.offset(-2).first_day() && c.status == Status::Paid
            })
            .flat_map(|c| c.lines.iter().map(|&l| world.lines[l as usize].amount_fen))
            .sum();
        let amount = (earlier_paid * 40 / 100 / 100 * 100).max(500_000);
        world.decisions.push(Decision {
            institution,
            decided_on,
            finding: "fraud_confirmed",
            amount_fen: Some(amount),
            note: Some("虚报培训人数、伪造签到记录骗取培训补贴".to_string()),
        });
        let why = format!("R10: filed on or after the fraud_confirmed decision of {decided_on}");
        sanction_claims(world, institution, &|d| d >= decided_on, &why);
    }
    for institution in institutions_with(world, Special::FraudUnstated) {
        let (decided_on, _) = world.decision_dates(Special::FraudUnstated).expect("a fraud role has dates");
        move_claim_onto(world, institution, decided_on);
        world.decisions.push(Decision {
            institution,
            decided_on,
            finding: "fraud_confirmed",
            amount_fen: None,
            note: Some("冒用他人身份信息申领补贴，金额待审计".to_string()),
        });
        let why = format!("R10: filed on or after the fraud_confirmed decision of {decided_on}");
        sanction_claims(world, institution, &|d| d >= decided_on, &why);
    }
    for institution in institutions_with(world, Special::FraudCleared) {
        let (fraud_on, cleared) = world.decision_dates(Special::FraudCleared).expect("a fraud role has dates");
        move_claim_onto(world, institution, fraud_on);
        // Whether a claim filed on the clearing day itself counts is not settled: keep that day free.
        let dates: BTreeSet<NaiveDate> =
            claims_of(world, institution).iter().map(|&c| world.claims[c as usize].submitted_on).collect();
        let mut cleared_on = cleared.expect("cleared later");
        while dates.contains(&cleared_on) {
            cleared_on += Duration::days(1);
        }
        world.decisions.push(Decision {
            institution,
            decided_on: fraud_on,
            finding: "fraud_confirmed",
            amount_fen: Some(860_000),
            note: Some("举报核查认定虚报课时".to_string()),
        });
        world.decisions.push(Decision {
            institution,
            decided_on: cleared_on,
            finding: "cleared",
            amount_fen: None,
            note: Some("复核撤销原认定，恢复资格".to_string()),
        });
        let why =
            format!("R10: filed between the fraud_confirmed decision of {fraud_on} and its clearing on {cleared_on}");
        sanction_claims(world, institution, &|d| d >= fraud_on && d < cleared_on, &why);
    }
    for institution in institutions_with(world, Special::Violation) {
        world.decisions.push(Decision {
            institution,
            decided_on: to.first_day() + Duration::days(45),
            finding: "violation",
            amount_fen: None,
            note: Some("未按规定公示培训计划".to_string()),
        });
    }
    let manual = (0..world.institutions.len() as u32)
        .find(|&i| world.institutions[i as usize].scheme == Some(Scheme::ManualSignIns));
    if let Some(institution) = manual {
        world.decisions.push(Decision {
            institution,
            decided_on: to.offset(-1).first_day() + Duration::days(60),
            finding: "cleared",
            amount_fen: None,
            note: Some("现场核查未发现问题".to_string()),
        });
    }
}

fn appeals(world: &mut World, pending: &Pending) {
    let training_line_of = |world: &World, enrollment: u32| {
        (0..world.lines.len() as u32).find(|&l| {
            let line = &world.lines[l as usize];
            line.enrollment == EnrollmentRef::Known(enrollment)
                && world.claims[line.claim as usize].kind == ClaimKind::Training
        })
    };
    let decided = world.last_day - Duration::days(10);
    if let Some(line) = pending.overturned.and_then(|e| training_line_of(world, e)) {
        world.appeals.push(Appeal {
            rule: "R05",
            line,
            decided_on: decided,
            outcome: "overturned",
            note: "结业证明补交，认定已结业".to_string(),
        });
        World::note(&mut world.line_notes, line, "overturned on appeal: no points, no money");
    }
    if let Some(line) = pending.upheld.and_then(|e| training_line_of(world, e)) {
        world.appeals.push(Appeal {
            rule: "R04",
            line,
            decided_on: decided - Duration::days(10),
            outcome: "upheld",
            note: "年龄超限事实清楚，维持原认定".to_string(),
        });
        World::note(&mut world.line_notes, line, "appeal upheld");
    }
}

/// Rows a correct reader must reject, none of which any planted rule case depends on.
fn rejects(world: &mut World) {
    let dropouts: Vec<u32> = (0..world.enrollments.len() as u32)
        .filter(|&e| {
            let row = &world.enrollments[e as usize];
            let class = &world.classes[row.class as usize];
            matches!(row.plan, AttendancePlan::Dropout { sessions } if sessions < class.sessions)
                && row.flags == 0
                && row.marks == 0
                && !class.used
        })
        .collect();
    if dropouts.len() >= 3 {
        for &enrollment in &dropouts[..2] {
            if let Some(row) = super::attendance::sign_ins(world, enrollment).into_iter().next() {
                world.extra_sign_ins.push(ExtraSignIn {
                    enrollment,
                    check_in: row.check_in,
                    check_out: row.check_out,
                    method: row.method,
                    device: row.device,
                });
            }
        }
        world.rejects.push(RejectPlant {
            table: "attendance",
            count: 4,
            reason: "duplicate primary key (enrollment_id, check_in)",
        });
        let enrollment = dropouts[2];
        if let AttendancePlan::Dropout { sessions } = world.enrollments[enrollment as usize].plan {
            let class = world.class_of(enrollment);
            let date = class.session_date(sessions);
            let institution = world.institutions[class.institution as usize].number;
            world.extra_sign_ins.push(ExtraSignIn {
                enrollment,
                check_in: super::attendance::at(date, 9 * 3600),
                check_out: Some(super::attendance::at(date, 8 * 3600 + 600)),
                method: Method::Card,
                device: format!("JNKQ-{institution:06}-C01"),
            });
            world.rejects.push(RejectPlant { table: "attendance", count: 1, reason: "check_out before check_in" });
        }
    }
    let failed = (0..world.assessments.len()).find(|&a| {
        let row = &world.assessments[a];
        let e = row.enrollment.map(|e| &world.enrollments[e as usize]);
        !row.passed && row.score.is_some() && e.is_some_and(|e| e.pass.is_none() && e.flags == 0 && e.marks == 0)
    });
    if let Some(failed) = failed {
        let row = &world.assessments[failed];
        let (enrollment, date) = (row.enrollment.expect("checked"), row.exam_date + Duration::days(1));
        let index = add_assessment(world, enrollment, date, Some(104.0), true, true);
        // Not a usable pass: the reader drops it, so nothing may rely on it.
        world.enrollments[enrollment as usize].pass = None;
        world.assessments[index as usize].link_enrollment = true;
        world.rejects.push(RejectPlant { table: "assessments", count: 1, reason: "score outside 0–100" });
    }
    let nowhere = EnrollmentRef::Missing(world.enrollments.len() as u32 + 2000);
    world.surveys.push(Survey { enrollment: nowhere, answered_on: world.last_day - Duration::days(5), score: 4 });
    world.rejects.push(RejectPlant { table: "surveys", count: 1, reason: "foreign key: enrollment_id points nowhere" });
}
