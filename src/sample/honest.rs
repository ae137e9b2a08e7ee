//! The honest world: institutions, the classes they run, the people who train, what becomes of
//! them (exams, jobs, surveys) and the claims institutions file for them.
//!
//! Everything here is clean by construction: nobody trains twice in the same occupation and level
//! or more than twice at all, nobody is in two classes at once, attendance stays at 90% or more,
//! every line is within its standard or cap and every claim adds up. Planted cases (`plant`) and
//! schemes (`schemes`) are the only departures, so the truth file can list them exhaustively.

use super::catalogue::{self, Category, Group, Kind, Mode, OCCUPATIONS};
use super::model::*;
use super::people;
use crate::Quarter;
use chrono::{Datelike, Duration, NaiveDate};
use rand::seq::SliceRandom;
use rand::Rng;
use std::collections::{BTreeMap, VecDeque};

/// An institution's place in the sample before it is built.
struct Role {
    special: Special,
    scheme: Option<Scheme>,
    profile: Profile,
}

/// Creates the institutions with their roles (profiles, schemes, sanctions) and the employers.
pub fn build_institutions(world: &mut World) {
    let count = world.options.institutions;
    let copies = (count / 60).max(1);
    let mut roles = vec![
        Role { special: Special::Banned, scheme: None, profile: Profile::Poor },
        Role { special: Special::Disqualified, scheme: None, profile: Profile::Poor },
        Role { special: Special::FraudStated, scheme: None, profile: Profile::Mediocre },
        Role { special: Special::FraudUnstated, scheme: None, profile: Profile::Good },
        Role { special: Special::FraudCleared, scheme: None, profile: Profile::Good },
        Role { special: Special::LicensedLate, scheme: None, profile: Profile::Good },
        Role { special: Special::LicensedLate, scheme: None, profile: Profile::Good },
        Role { special: Special::Violation, scheme: None, profile: Profile::Mediocre },
    ];
    for scheme in Scheme::ALL {
        let (copies, profile) = match scheme {
            Scheme::Successor => (if count >= 45 { 2 } else { 1 }, Profile::Good),
            Scheme::ManualSignIns | Scheme::Ring => (copies, Profile::Mediocre),
            _ => (copies, Profile::Good),
        };
        for _ in 0..copies {
            roles.push(Role { special: Special::None, scheme: Some(scheme), profile });
        }
    }
    for _ in 0..(count / 20).max(2) {
        roles.push(Role { special: Special::None, scheme: None, profile: Profile::Tiny });
    }
    let regular = count.saturating_sub(roles.len());
    let excellent = regular * 25 / 100;
    let poor = regular * 18 / 100;
    let mediocre = regular * 22 / 100;
    for index in 0..regular {
        let profile = if index < excellent {
            Profile::Excellent
        } else if index < excellent + poor {
            Profile::Poor
        } else if index < excellent + poor + mediocre {
            Profile::Mediocre
        } else {
            Profile::Good
        };
        roles.push(Role { special: Special::None, scheme: None, profile });
    }
    roles.truncate(count);
    roles.shuffle(&mut world.rng);

    let mut words: Vec<usize> = (0..catalogue::NAME_WORDS.len()).collect();
    words.shuffle(&mut world.rng);
    let to = world.options.to;
    let mut late_licences = 0;
    let mut number = 100u32;
    for (index, role) in roles.into_iter().enumerate() {
        let rng = &mut world.rng;
        number += rng.gen_range(1..=4);
        let kind = match (role.scheme, role.special, role.profile) {
            // Big institutions: the schemes need enough claims or exams to stand out.
            (Some(Scheme::Benford), _, _) => Kind::VocationalCollege,
            (Some(Scheme::AssessorCollusion), _, _) => Kind::TechnicalSchool,
            (Some(Scheme::Successor), _, _) | (_, Special::LicensedLate, _) => Kind::PrivateTraining,
            (_, _, Profile::Tiny) => {
                if rng.gen_bool(0.5) {
                    Kind::PrivateTraining
                } else {
                    Kind::EnterpriseCenter
                }
            }
            _ => weighted(
                rng,
                &[
                    (Kind::PrivateTraining, 40),
                    (Kind::TechnicalSchool, 15),
                    (Kind::EnterpriseCenter, 15),
                    (Kind::PublicBase, 15),
                    (Kind::VocationalCollege, 15),
                ],
            ),
        };
        let district =
            weighted(rng, &catalogue::DISTRICTS.iter().enumerate().map(|(i, d)| (i, d.weight)).collect::<Vec<_>>());
        let word = catalogue::NAME_WORDS[words[index % words.len()]];
        let word = if index >= words.len() {
            format!("{}{}", catalogue::NAME_WORDS[words[(index / words.len()) % words.len()]], word)
        } else {
            word.to_string()
        };
        let name = kind.institution_name(&word, catalogue::DISTRICTS[district].name, rng.gen_range(0..2));
        let licensed_on = match (role.special, role.scheme) {
            (Special::LicensedLate, _) => {
                late_licences += 1;
                if late_licences == 1 {
                    to.offset(-2).first_day() + Duration::days(25)
                } else {
                    to.first_day() + Duration::days(20)
                }
            }
            (_, Some(Scheme::Successor)) => to.offset(-1).first_day() + Duration::days(rng.gen_range(10..=30)),
            _ => world.first_day - Duration::days(rng.gen_range(400..=6000)),
        };
        let status = match role.special {
            Special::Banned => "suspended",
            Special::Disqualified => "revoked",
            _ => "active",
        };
        let rep_age = rng.gen_range(35..=58);
        let rep_birth = people::birth_for_age(rng, licensed_on, rep_age);
        let rep_district = catalogue::DISTRICTS[rng.gen_range(0..catalogue::DISTRICTS.len())].area_code;
        let male = rng.gen_bool(0.7);
        let legal_rep = world.ids.issue(&mut world.rng, rep_district, rep_birth, male);
        let rng = &mut world.rng;
        let bank_account = people::corporate_account(rng, index as u64);
        let mut specialties: Vec<usize> = (0..OCCUPATIONS.len()).collect();
        specialties.shuffle(rng);
        specialties.truncate(rng.gen_range(3..=5));
        let primary_method = if role.scheme == Some(Scheme::SynchronizedSignIns) {
            Method::Card
        } else {
            weighted(rng, &[(Method::Face, 60), (Method::Fingerprint, 25), (Method::Card, 15)])
        };
        world.institutions.push(Institution {
            number,
            name,
            kind,
            district,
            licensed_on,
            status,
            capacity: 0,
            legal_rep,
            bank_account,
            profile: role.profile,
            scheme: role.scheme,
            special: role.special,
            specialties,
            primary_method,
            devices: rng.gen_range(1..=4),
            flat_allowance: rng.gen_bool(0.2),
            reduced_for_employees: rng.gen_bool(0.3),
        });
    }

    let employers = (count * 2).max(80);
    for _ in 0..employers {
        let rng = &mut world.rng;
        let district =
            weighted(rng, &catalogue::DISTRICTS.iter().enumerate().map(|(i, d)| (i, d.weight)).collect::<Vec<_>>());
        let prefix = weighted(rng, &[("91", 85), ("12", 10), ("52", 5)]);
        let area = if rng.gen_bool(0.4) { "370100" } else { catalogue::DISTRICTS[district].area_code };
        let new_style = prefix == "91" && rng.gen_bool(0.55);
        let code = people::social_credit_code(rng, prefix, area, new_style);
        world.employers.push(Employer { code });
    }
}

/// Schedules every class of every institution, quarter by quarter, and the claims it will lead to.
pub fn schedule_classes(world: &mut World) {
    let quarters = world.options.from.through(world.options.to);
    let to = world.options.to;
    let mut classes = Vec::new();
    let mut late_seen = 0;
    for institution in 0..world.institutions.len() {
        let (special, scheme, kind, profile, licensed_on) = {
            let i = &world.institutions[institution];
            (i.special, i.scheme, i.kind, i.profile, i.licensed_on)
        };
        let licence_quarter = Quarter::of_date(licensed_on);
        if special == Special::LicensedLate {
            late_seen += 1;
        }
        for (position, &quarter) in quarters.iter().enumerate() {
            if quarter < licence_quarter {
                continue;
            }
            let rng = &mut world.rng;
            let count = match (special, scheme, profile) {
                (_, _, Profile::Tiny) => usize::from((position + institution) % 2 == 0),
                (_, Some(Scheme::Benford), _) => 4,
                (_, Some(Scheme::Successor), _) | (Special::LicensedLate, _, _) => 1,
                (Special::Banned, _, _) if quarter >= to.offset(-1) => 1,
                (Special::Disqualified, _, _) if quarter >= to.offset(-2) => 1,
                _ => match kind {
                    Kind::VocationalCollege | Kind::TechnicalSchool | Kind::PublicBase => 2,
                    Kind::PrivateTraining => rng.gen_range(1..=2),
                    Kind::EnterpriseCenter => 1,
                },
            };
            for slot in 0..count {
                let earliest = quarter.first_day().max(licensed_on + Duration::days(5)).max(world.first_day);
                let latest = quarter.last_day() - Duration::days(5);
                if earliest > latest {
                    continue;
                }
                let start = earliest + Duration::days(world.rng.gen_range(0..=(latest - earliest).num_days()));
                if !world.may_open_class(special, start) {
                    continue;
                }
                let mut class = new_class(world, institution as u32, start);
                if special == Special::LicensedLate && quarter == licence_quarter && slot == 0 {
                    // The institution ran its first class before its licence came through (R12).
                    class.start = licensed_on - Duration::days(world.rng.gen_range(7..=20));
                    class.length_days = class.length_days.min(21).max(class.sessions);
                    class.before_licence = true;
                    if class.level > 0 {
                        class.exam_date = Some(class.end() + Duration::days(world.rng.gen_range(3..=20)));
                    }
                    classes.push(class);
                    if late_seen == 1 {
                        // …and its second started on the very day of the licence (not a breach).
                        let mut control = new_class(world, institution as u32, licensed_on);
                        control.start = licensed_on;
                        classes.push(control);
                    }
                    continue;
                }
                classes.push(class);
            }
        }
    }
    // Class ids follow start dates, as a registry numbering classes when they open would.
    classes.sort_by_key(|class| (class.start, class.institution));
    world.classes = classes;
    for index in 0..world.classes.len() {
        if world.classes[index].before_licence {
            let licensed = world.institution_of_class(index as u32).licensed_on;
            World::note(
                &mut world.class_notes,
                index as u32,
                &format!("R12: class started {} before the licence of {}", world.classes[index].start, licensed),
            );
        }
        schedule_claims(world, index as u32);
    }
}

/// One class of `institution` starting on `start`, drawn from the catalogue.
fn new_class(world: &mut World, institution: u32, start: NaiveDate) -> Class {
    let (kind, scheme, profile, specialties) = {
        let i = &world.institutions[institution as usize];
        (i.kind, i.scheme, i.profile, i.specialties.clone())
    };
    let options = world.options;
    // At a set intensity a scheme that is a class's property (proxy sign-ins, fabricated
    // claims, the friendly assessor) touches that share of the institution's classes, spread
    // evenly from its first class on (class n is involved when ⌈(n+1)·p⌉ > ⌈n·p⌉); at none,
    // every class. No random draw: the catalogue sample stays byte-identical.
    let involved = match (scheme, options.intensity_percent) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(_), Some(percent)) => {
            let n = world.scheme_classes.entry(institution).or_insert(0);
            let share = percent as u32;
            let hit = ((*n + 1) * share).div_ceil(100) > (*n * share).div_ceil(100);
            *n += 1;
            hit
        }
    };
    let fabricated = involved && scheme == Some(Scheme::Benford);
    let synchronized = involved && scheme == Some(Scheme::SynchronizedSignIns);
    let colluding = involved && scheme == Some(Scheme::AssessorCollusion);
    let rng = &mut world.rng;
    let category = match scheme {
        Some(Scheme::ShortEmployment | Scheme::EmployerConcentration | Scheme::Ring | Scheme::SpreadJobs | Scheme::GhostTrainees) => {
            weighted(rng, &[(Category::Employment, 70), (Category::Reemployment, 30)])
        }
        _ => match kind {
            Kind::VocationalCollege => weighted(
                rng,
                &[
                    (Category::Reserve, 35),
                    (Category::Employment, 35),
                    (Category::Upgrading, 10),
                    (Category::Entrepreneurship, 15),
                    (Category::Reemployment, 5),
                ],
            ),
            Kind::TechnicalSchool => weighted(
                rng,
                &[
                    (Category::Reserve, 30),
                    (Category::Employment, 30),
                    (Category::Upgrading, 20),
                    (Category::Apprenticeship, 15),
                    (Category::Reemployment, 5),
                ],
            ),
            Kind::PrivateTraining => weighted(
                rng,
                &[
                    (Category::Employment, 45),
                    (Category::Reemployment, 20),
                    (Category::Upgrading, 15),
                    (Category::Entrepreneurship, 20),
                ],
            ),
            Kind::EnterpriseCenter => {
                weighted(rng, &[(Category::Upgrading, 55), (Category::Apprenticeship, 35), (Category::Employment, 10)])
            }
            Kind::PublicBase => weighted(
                rng,
                &[
                    (Category::Employment, 40),
                    (Category::Reemployment, 30),
                    (Category::Entrepreneurship, 15),
                    (Category::Upgrading, 15),
                ],
            ),
        },
    };
    let occupation = if category == Category::Entrepreneurship {
        OCCUPATIONS.len() + rng.gen_range(0..catalogue::ENTREPRENEURSHIP.len())
    } else {
        specialties[rng.gen_range(0..specialties.len())]
    };
    let entry = catalogue::occupation(occupation);
    let wanted: &[(u8, u32)] = match category {
        Category::Entrepreneurship => &[(0, 1)],
        Category::Upgrading => &[(4, 40), (3, 35), (2, 15), (1, 10)],
        Category::Apprenticeship => &[(4, 50), (3, 50)],
        _ => &[(5, 65), (4, 35)],
    };
    let offered: Vec<(u8, u32)> = wanted.iter().copied().filter(|(level, _)| entry.levels.contains(level)).collect();
    let level = if offered.is_empty() { entry.levels[0] } else { weighted(rng, &offered) };
    let mode = if entry.hands_on {
        weighted(rng, &[(Mode::Offline, 90), (Mode::Blended, 10)])
    } else if category == Category::Entrepreneurship {
        weighted(rng, &[(Mode::Offline, 50), (Mode::Online, 30), (Mode::Blended, 20)])
    } else {
        weighted(rng, &[(Mode::Offline, 60), (Mode::Blended, 20), (Mode::Online, 20)])
    };
    let (low, high) = catalogue::planned_hours_range(level);
    let planned_hours = (rng.gen_range(low..=high) / 4 * 4) as u32;
    let session_hours = match mode {
        Mode::Online => 3,
        Mode::Blended => 4,
        Mode::Offline if planned_hours > 100 => weighted(rng, &[(8, 60), (6, 40)]),
        Mode::Offline => weighted(rng, &[(8, 40), (6, 25), (4, 35)]),
    };
    let start_seconds = match (mode, session_hours) {
        (Mode::Online, _) => 70_200,
        (_, 8) => weighted(rng, &[(28_800, 50), (30_600, 50)]),
        (_, 6) => weighted(rng, &[(30_600, 50), (32_400, 50)]),
        (Mode::Blended, _) => weighted(rng, &[(30_600, 50), (50_400, 50)]),
        _ => weighted(rng, &[(30_600, 40), (50_400, 35), (66_600, 25)]),
    };
    let sessions = (planned_hours * 106).div_ceil(100 * session_hours);
    let shortest = (sessions + sessions / 3 + 1).clamp(14, 56);
    let length_days = rng.gen_range(shortest..=56.max(shortest));
    let subsidy_fen = if fabricated {
        100_000
    } else {
        let choices = catalogue::subsidy_choices_fen(level);
        choices[rng.gen_range(0..choices.len())]
    };
    // Assessor 0 passes nearly everyone at the collusion institution; elsewhere it assesses
    // mediocre and poor institutions only, so that it passes about two in three there.
    let assessor = match (scheme, profile) {
        _ if colluding => 0,
        (None, Profile::Mediocre) if rng.gen_bool(0.6) => 0,
        (None, Profile::Poor) if rng.gen_bool(0.5) => 0,
        _ => rng.gen_range(1..catalogue::ASSESSORS.len()),
    };
    let planned_size = match (profile, kind) {
        (Profile::Tiny, _) => rng.gen_range(6..=9),
        (_, Kind::VocationalCollege) => rng.gen_range(25..=38),
        (_, Kind::TechnicalSchool) => rng.gen_range(20..=34),
        (_, Kind::PrivateTraining) => rng.gen_range(16..=30),
        (_, Kind::EnterpriseCenter) => rng.gen_range(15..=28),
        (_, Kind::PublicBase) => rng.gen_range(24..=40),
    };
    let manual_percent = if scheme == Some(Scheme::ManualSignIns) { options.intensity_percent.map(u32::from).unwrap_or(65) } else { rng.gen_range(0..=2) };
    let mut class = Class {
        institution,
        occupation,
        level,
        category,
        mode,
        start,
        length_days,
        sessions,
        session_hours,
        start_seconds,
        planned_hours,
        subsidy_fen,
        key_industry: entry.key_industry,
        assessor,
        exam_date: None,
        manual_percent,
        synchronized,
        enrollments: Vec::new(),
        training_claims: Vec::new(),
        appraisal_claim: None,
        allowance_claim: None,
        capacity_margin: rng.gen_range(3..=10),
        capacity: 0,
        before_licence: false,
        split_claims: fabricated,
        used: false,
        planned_size,
    };
    if level > 0 {
        class.exam_date = Some(class.end() + Duration::days(rng.gen_range(3..=20)));
    }
    class
}

/// Creates the training, appraisal and allowance claims a class leads to (lines come later).
fn schedule_claims(world: &mut World, class_index: u32) {
    let (institution, end, start, exam, split) = {
        let c = &world.classes[class_index as usize];
        (c.institution, c.end(), c.start, c.exam_date, c.split_claims)
    };
    let (kind, profile) = {
        let i = &world.institutions[institution as usize];
        (i.kind, i.profile)
    };
    let last_day = world.last_day;
    let mut training_date = end + Duration::days(world.rng.gen_range(5..=30));
    if !split {
        let credit = matches!(kind, Kind::PublicBase | Kind::VocationalCollege)
            && matches!(profile, Profile::Excellent | Profile::Good)
            && world.rng.gen_bool(0.4);
        if credit {
            // Credit payment (信用支付): may be filed before the class ends.
            training_date = (end + Duration::days(world.rng.gen_range(-10..=10))).max(start + Duration::days(3));
        }
        if training_date <= last_day {
            let (mut status, paid) = world.natural_status(training_date);
            let rejected_then_fixed = status == Status::Paid && world.rng.gen_bool(0.03);
            if rejected_then_fixed {
                status = Status::Rejected;
            }
            let claim =
                world.add_claim(institution, Some(class_index), ClaimKind::Training, training_date, status, credit);
            world.claims[claim as usize].paid_per_mille = paid;
            world.classes[class_index as usize].training_claims.push(claim);
            let resubmitted = training_date + Duration::days(world.rng.gen_range(15..=40));
            if rejected_then_fixed && resubmitted <= last_day {
                // Sent back for a missing document and filed again: the rejected copy never
                // makes the new one a duplicate.
                let (status, paid) = world.natural_status(resubmitted);
                let again =
                    world.add_claim(institution, Some(class_index), ClaimKind::Training, resubmitted, status, false);
                world.claims[again as usize].paid_per_mille = paid;
                world.classes[class_index as usize].training_claims.push(again);
            }
        }
    }
    if let Some(exam) = exam {
        let date = exam + Duration::days(world.rng.gen_range(15..=35));
        if date <= last_day {
            let (status, paid) = world.natural_status(date);
            let claim = world.add_claim(institution, Some(class_index), ClaimKind::Appraisal, date, status, false);
            world.claims[claim as usize].paid_per_mille = paid;
            world.classes[class_index as usize].appraisal_claim = Some(claim);
        }
    }
    if kind != Kind::PublicBase {
        let date = training_date.max(end + Duration::days(5)) + Duration::days(world.rng.gen_range(0..=10));
        if date <= last_day {
            let (status, paid) = world.natural_status(date);
            let claim =
                world.add_claim(institution, Some(class_index), ClaimKind::LivingAllowance, date, status, false);
            world.claims[claim as usize].paid_per_mille = paid;
            world.classes[class_index as usize].allowance_claim = Some(claim);
        }
    }
}

/// A new person of `group`, of an age the group has (or as `birth` says), registered in `district`.
pub fn fresh_person(
    world: &mut World,
    group: Group,
    district: usize,
    on: NaiveDate,
    birth: Option<NaiveDate>,
    male_share: f64,
) -> u32 {
    let rng = &mut world.rng;
    let birth = birth.unwrap_or_else(|| {
        let (low, high) = group.age_range();
        let age = rng.gen_range(low..=high);
        people::birth_for_age(rng, on, age)
    });
    let area = if group == Group::NonlocalDomestic {
        catalogue::NONLOCAL_AREA_CODES[rng.gen_range(0..catalogue::NONLOCAL_AREA_CODES.len())]
    } else if rng.gen_bool(0.7) {
        catalogue::DISTRICTS[district].area_code
    } else {
        catalogue::DISTRICTS[rng.gen_range(0..catalogue::DISTRICTS.len())].area_code
    };
    let male = rng.gen_bool(male_share);
    let id = world.ids.issue(&mut world.rng, area, birth, male);
    let index = world.persons.len() as u32;
    let phone = people::phone(&mut world.rng, index as u64);
    let account = group.allowance_eligible().then(|| people::bank_card(&mut world.rng, index as u64));
    world.persons.push(Person { id, lower_x: false, birth, group, phone, account, busy_until: on, enrollments: 0 });
    index
}

/// Share of men among trainees of an occupation (care work is mostly women, trades mostly men).
pub fn male_share(occupation: usize) -> f64 {
    match catalogue::occupation(occupation).code {
        "4-10-01-02" | "4-10-01-03" | "4-10-01-06" | "4-10-01-05" => 0.1,
        "4-12-01-01" | "6-31-01-03" | "6-18-02-04" => 0.9,
        _ => 0.5,
    }
}

/// Adds an enrollment of `person` to `class` and returns its index.
pub fn add_enrollment(
    world: &mut World,
    class: u32,
    person: u32,
    group: Group,
    completed: bool,
    plan: AttendancePlan,
) -> u32 {
    let start = world.classes[class as usize].start;
    let end = world.classes[class as usize].end();
    let enrolled_on = start - Duration::days(world.rng.gen_range(3..=15));
    if group.allowance_eligible() && world.persons[person as usize].account.is_none() {
        let index = person as u64;
        world.persons[person as usize].account = Some(people::bank_card(&mut world.rng, index));
    }
    let p = &mut world.persons[person as usize];
    p.busy_until = p.busy_until.max(end);
    p.enrollments += 1;
    let index = world.enrollments.len() as u32;
    world.enrollments.push(Enrollment {
        class,
        person,
        group,
        enrolled_on,
        completed,
        phone: p.phone,
        payout_account: if group.allowance_eligible() { p.account } else { None },
        plan,
        exam: ExamPlan::Auto,
        flags: 0,
        marks: 0,
        pass: None,
    });
    world.classes[class as usize].enrollments.push(index);
    index
}

/// The plan of a trainee who left early: so few sessions that even the longest ones stay under 78%.
pub fn dropout_plan(world: &mut World, class: u32) -> AttendancePlan {
    let c = &world.classes[class as usize];
    let longest = c.session_hours as i64 * 3600 + 1500;
    let most = ((c.planned_hours as i64 * 3600 * 78 / 100 - 1) / longest).max(1) as u32;
    AttendancePlan::Dropout { sessions: world.rng.gen_range(1..=most.min(c.sessions)) }
}

/// Fills every class with its honest intake, in start order; some people come back later for a
/// different occupation or level (never more than twice, never overlapping).
pub fn enroll(world: &mut World) {
    let mut returning: VecDeque<(u32, NaiveDate, usize, u8)> = VecDeque::new();
    let mut lower_x_left = 2;
    for class in 0..world.classes.len() as u32 {
        let (size, category, occupation, level, start, end, institution) = {
            let c = &world.classes[class as usize];
            (c.planned_size, c.category, c.occupation, c.level, c.start, c.end(), c.institution)
        };
        let (district, profile) = {
            let i = &world.institutions[institution as usize];
            (i.district, i.profile)
        };
        let ended = end <= world.last_day;
        for _ in 0..size {
            let mut chosen = None;
            if world.rng.gen_bool(0.1) {
                while let Some(&(person, free_from, last_occupation, last_level)) = returning.front() {
                    if (last_occupation, last_level) == (occupation, level) {
                        returning.pop_front();
                        continue;
                    }
                    if start > free_from + Duration::days(20) {
                        returning.pop_front();
                        chosen = Some(person);
                    }
                    break;
                }
            }
            let (person, group) = match chosen {
                Some(person) => (person, world.persons[person as usize].group),
                None => {
                    let group = weighted(&mut world.rng, Group::intake(category));
                    let person = fresh_person(world, group, district, start, None, male_share(occupation));
                    (person, group)
                }
            };
            let completed = ended && world.rng.gen_bool(profile.completion_rate());
            let plan = if completed || !ended { AttendancePlan::Full } else { dropout_plan(world, class) };
            add_enrollment(world, class, person, group, completed, plan);
            if completed && world.persons[person as usize].enrollments == 1 && world.rng.gen_bool(0.15) {
                returning.push_back((person, end + Duration::days(21), occupation, level));
            }
            let p = &mut world.persons[person as usize];
            if lower_x_left > 0 && p.id.ends_with('X') && p.enrollments == 1 && completed {
                // Written `…x` in enrollments and `…X` elsewhere: normalisation must join them.
                p.lower_x = true;
                lower_x_left -= 1;
            }
        }
    }
}

/// Exams, jobs and survey answers of every enrollment that is read (planted ones included).
pub fn outcomes(world: &mut World) {
    for enrollment in 0..world.enrollments.len() as u32 {
        let e = &world.enrollments[enrollment as usize];
        if e.flags & REJECTED_ON_READ != 0 {
            continue;
        }
        let class = &world.classes[e.class as usize];
        let ended = class.end() <= world.last_day;
        if !(e.completed && ended) {
            continue;
        }
        exam(world, enrollment);
        let e = &world.enrollments[enrollment as usize];
        if e.flags & NO_EMPLOYMENT == 0 {
            employment(world, enrollment);
        }
        let e = &world.enrollments[enrollment as usize];
        if e.flags & NO_SURVEY == 0 && world.rng.gen_bool(0.7) {
            let class = &world.classes[e.class as usize];
            let profile = world.institutions[class.institution as usize].profile;
            let answered_on = class.end() + Duration::days(world.rng.gen_range(0..=10));
            if answered_on <= world.last_day {
                let weights = profile.survey_weights();
                let score = weighted(
                    &mut world.rng,
                    &[(1u8, weights[0]), (2, weights[1]), (3, weights[2]), (4, weights[3]), (5, weights[4])],
                );
                world.surveys.push(Survey { enrollment: EnrollmentRef::Known(enrollment), answered_on, score });
            }
        }
    }
}

/// Records one sitting and returns its index.
#[allow(clippy::too_many_arguments)]
pub fn add_assessment(
    world: &mut World,
    enrollment: u32,
    date: NaiveDate,
    score: Option<f64>,
    passed: bool,
    certificate: bool,
) -> u32 {
    let e = &world.enrollments[enrollment as usize];
    let class = &world.classes[e.class as usize];
    let (occupation, level, assessor) = (class.occupation, class.level, class.assessor);
    let person = e.person;
    let certificate = certificate.then(|| {
        world.certificates += 1;
        format!("S{}{:02}{}{:06}", &catalogue::ASSESSORS[assessor][1..], date.year() % 100, level, world.certificates)
    });
    let link_enrollment = world.rng.gen_bool(0.9);
    let index = world.assessments.len() as u32;
    world.assessments.push(Assessment {
        person,
        enrollment: Some(enrollment),
        link_enrollment,
        occupation,
        level,
        exam_date: date,
        assessor,
        score,
        passed,
        certificate,
        fee_fen: catalogue::assessment_fee_fen(level),
    });
    if passed && world.enrollments[enrollment as usize].pass.is_none() {
        world.enrollments[enrollment as usize].pass = Some(index);
    }
    index
}

fn exam(world: &mut World, enrollment: u32) {
    let e = &world.enrollments[enrollment as usize];
    let class = &world.classes[e.class as usize];
    let Some(exam_date) = class.exam_date else { return };
    let end = class.end();
    let institution = &world.institutions[class.institution as usize];
    let (profile, scheme) = (institution.profile, institution.scheme);
    // Collusion covers the exams of the classes the friendly assessor was given.
    let scheme = if scheme == Some(Scheme::AssessorCollusion) && class.assessor != 0 { None } else { scheme };
    let heap_share = world.options.scheme_share(0.85);
    let plan = e.exam;
    match plan {
        ExamPlan::None => {}
        ExamPlan::Fixed { score, passed, certificate, days_after_end } => {
            let date = end + Duration::days(days_after_end);
            if date <= world.last_day {
                add_assessment(world, enrollment, date, Some(score), passed, certificate);
            }
        }
        ExamPlan::Auto => {
            if exam_date > world.last_day || !world.rng.gen_bool(0.95) {
                return;
            }
            let rng = &mut world.rng;
            let score = match scheme {
                // Marks pushed just over the pass line: a heap at 60–62, nobody fails.
                Some(Scheme::ScoreHeaping) => {
                    if rng.gen_bool(heap_share) {
                        60.0 + rng.gen_range(0..=2) as f64
                    } else {
                        63.0 + rng.gen_range(0..=7) as f64
                    }
                }
                Some(Scheme::AssessorCollusion) => normal(rng, 80.0, 7.0).round().clamp(61.0, 99.0),
                _ => {
                    let (mean, sd) = profile.score_mean_sd();
                    normal(rng, mean, sd).round().clamp(12.0, 100.0)
                }
            };
            if world.rng.gen_bool(0.01) {
                // Absent from the exam: no score.
                add_assessment(world, enrollment, exam_date, None, false, false);
                return;
            }
            let passed = score >= 60.0;
            add_assessment(world, enrollment, exam_date, Some(score), passed, passed);
            let retake = exam_date + Duration::days(world.rng.gen_range(35..=50));
            if !passed && retake <= world.last_day && world.rng.gen_bool(0.35) {
                let score = normal(&mut world.rng, 66.0, 8.0).round().clamp(30.0, 100.0);
                add_assessment(world, enrollment, retake, Some(score), score >= 60.0, score >= 60.0);
            }
        }
    }
}

/// Social-insurance months after (and for employees, around) the training.
fn employment(world: &mut World, enrollment: u32) {
    let e = &world.enrollments[enrollment as usize];
    let class = &world.classes[e.class as usize];
    let institution = &world.institutions[class.institution as usize];
    let (profile, scheme) = (institution.profile, institution.scheme);
    let (category, start, end, person, group) = (class.category, class.start, class.end(), e.person, e.group);
    let last_month = month_start_after(world.last_day, 0);
    let first_month = month_start_after(world.first_day, 0);
    let employers = world.employers.len();
    // The employer a concentration institution sends most of its trainees to.
    let concentrated = (class.institution as usize * 7 + 3) % employers;
    let (concentration_share, short_share) = (world.options.scheme_share(0.8), world.options.scheme_share(0.85));
    let rng = &mut world.rng;
    let (employer, from, months) = if category.trainees_employed() || group == Group::Employee {
        let from = month_start_after(start, -rng.gen_range(3..=12)).max(first_month);
        let until = month_start_after(end, rng.gen_range(12..=24));
        (rng.gen_range(0..employers), from, months_between(from, until) + 1)
    } else {
        let rate = if scheme == Some(Scheme::ShortEmployment) { 0.9 } else { profile.employment_rate() };
        if !rng.gen_bool(rate) {
            return;
        }
        // A fake job of the spread-jobs host (`camouflage`): an even share of its employed.
        let spread = if scheme == Some(Scheme::SpreadJobs) {
            world.camouflage.spread_job(enrollment, world.options.intensity_percent)
        } else {
            None
        };
        let employer = if let Some(employer) = spread {
            employer as usize
        } else if scheme == Some(Scheme::EmployerConcentration) && rng.gen_bool(concentration_share) {
            concentrated
        } else {
            rng.gen_range(0..employers)
        };
        if spread.is_some() || (scheme == Some(Scheme::ShortEmployment) && rng.gen_bool(short_share)) {
            // Signed on the month after the class for a month or two, just long enough to count.
            (employer, month_start_after(end, 1), rng.gen_range(1..=2))
        } else {
            let offset = weighted(rng, &[(1, 30), (2, 30), (3, 20), (4, 12), (5, 8)]);
            let retained = rng.gen_bool(profile.retention_rate());
            let months = if retained { rng.gen_range(8..=20) } else { rng.gen_range(3..=5) };
            (employer, month_start_after(end, offset), months)
        }
    };
    let contribution = rng.gen_range(60_000..=150_000);
    for step in 0..months {
        let month = month_start_after(from, step);
        if month > last_month {
            break;
        }
        let contribution_fen = (!rng.gen_bool(0.005)).then_some(contribution);
        world.employment.push(EmploymentMonth { person, employer: employer as u32, month, contribution_fen });
    }
}

fn months_between(from: NaiveDate, until: NaiveDate) -> i32 {
    (until.year() - from.year()) * 12 + until.month() as i32 - from.month() as i32
}

/// A fabricated amount for the benford scheme: 4xx, 5xx or 9xx yuan, never above 1000.00.
fn benford_amount(world: &mut World) -> i64 {
    let first = weighted(&mut world.rng, &[(4i64, 35), (5, 35), (9, 30)]);
    first * 10_000 + world.rng.gen_range(0..10_000)
}

/// Creates the honest lines of every claim from the enrollments, passes and allowance days.
pub fn build_lines(world: &mut World) {
    let mut batches: BTreeMap<(u32, i32, u32), u32> = BTreeMap::new();
    for class in 0..world.classes.len() as u32 {
        let c = &world.classes[class as usize];
        let enrollments = c.enrollments.clone();
        let training_claims = c.training_claims.clone();
        let (subsidy, split, end, category, institution) =
            (c.subsidy_fen, c.split_claims, c.end(), c.category, c.institution);
        let appraisal_claim = c.appraisal_claim;
        let allowance_claim = c.allowance_claim;
        let allowance_days = (c.sessions.min(30).min(c.length_days)) as i64;
        let rate_per_mille = if c.key_industry { 900 } else { 800 };
        let (district, flat, reduced, kind) = {
            let i = &world.institutions[institution as usize];
            (i.district, i.flat_allowance, i.reduced_for_employees, i.kind)
        };
        for &enrollment in &enrollments {
            let e = &world.enrollments[enrollment as usize];
            let (completed, flags, group, pass) = (e.completed, e.flags, e.group, e.pass);
            let claimable = (completed && flags & NO_TRAINING_LINE == 0) || flags & FORCE_TRAINING_LINE != 0;
            if claimable {
                let amount = if reduced && group == Group::Employee && category == Category::Upgrading {
                    subsidy * 80 / 100
                } else {
                    subsidy
                };
                if split {
                    let date = end + Duration::days(world.rng.gen_range(5..=30));
                    if date <= world.last_day {
                        let (status, paid) = world.natural_status(date);
                        let claim = world.add_claim(institution, Some(class), ClaimKind::Training, date, status, false);
                        world.claims[claim as usize].paid_per_mille = paid;
                        world.classes[class as usize].training_claims.push(claim);
                        let amount = benford_amount(world);
                        world.add_line(claim, EnrollmentRef::Known(enrollment), amount, None);
                    }
                } else {
                    for &claim in &training_claims {
                        world.add_line(claim, EnrollmentRef::Known(enrollment), amount, None);
                    }
                }
            }
            if let (Some(claim), Some(pass)) = (appraisal_claim, pass) {
                let date = world.claims[claim as usize].submitted_on;
                let a = &world.assessments[pass as usize];
                if flags & NO_APPRAISAL_LINE == 0 && a.certificate.is_some() && a.exam_date <= date {
                    let amount = a.fee_fen * rate_per_mille / 1000;
                    world.add_line(claim, EnrollmentRef::Known(enrollment), amount, None);
                }
            }
            let wants_allowance = group.allowance_eligible()
                && completed
                && end <= world.last_day
                && flags & (NO_ALLOWANCE_LINE | REJECTED_ON_READ) == 0;
            if wants_allowance {
                let cap = catalogue::allowance_cap_fen(district, allowance_days);
                let amount = if flat { cap.min(4_000 * allowance_days) } else { cap };
                let claim = if kind == Kind::PublicBase {
                    // Public bases file allowances monthly for all their classes (no class id).
                    let due = end + Duration::days(world.rng.gen_range(5..=15));
                    let key = (institution, due.year(), due.month());
                    let date = month_start_after(due, 1) + Duration::days(world.rng.gen_range(4..=9));
                    match batches.get(&key) {
                        Some(&claim) => Some(claim),
                        None if date <= world.last_day => {
                            let (status, paid) = world.natural_status(date);
                            let claim =
                                world.add_claim(institution, None, ClaimKind::LivingAllowance, date, status, false);
                            world.claims[claim as usize].paid_per_mille = paid;
                            batches.insert(key, claim);
                            Some(claim)
                        }
                        None => None,
                    }
                } else {
                    allowance_claim
                };
                if let Some(claim) = claim {
                    world.add_line(claim, EnrollmentRef::Known(enrollment), amount, Some(allowance_days));
                }
            }
        }
    }
}

/// Capacities, claim totals and payments, claim numbers: the last touches before writing.
pub fn finalise(world: &mut World) {
    let withdrawn: Vec<bool> = (0..world.classes.len() as u32).map(|c| world.withdrawn_class(c)).collect();
    for class in &mut world.classes {
        let read =
            class.enrollments.iter().filter(|&&e| world.enrollments[e as usize].flags & REJECTED_ON_READ == 0).count()
                as i32;
        class.capacity = (read + class.capacity_margin).max(1) as u32;
    }
    let mut seats_by_quarter: BTreeMap<(u32, Quarter), u32> = BTreeMap::new();
    for (class, _) in world.classes.iter().zip(&withdrawn).filter(|(_, &withdrawn)| !withdrawn) {
        *seats_by_quarter.entry((class.institution, Quarter::of_date(class.start))).or_default() += class.capacity;
    }
    for ((institution, _), seats) in seats_by_quarter {
        let capacity = (seats * 3 / 2).div_ceil(50) * 50;
        let i = &mut world.institutions[institution as usize];
        i.capacity = i.capacity.max(capacity);
    }
    for institution in &mut world.institutions {
        institution.capacity = institution.capacity.max(50);
    }
    for claim in &mut world.claims {
        if claim.lines.is_empty() {
            claim.dropped = true;
            continue;
        }
        let total: i64 = claim.lines.iter().map(|&l| world.lines[l as usize].amount_fen).sum();
        claim.amount_fen = total + claim.amount_adjust_fen;
        claim.paid_fen = (claim.status == Status::Paid)
            .then(|| crate::money::scale_half_up(claim.amount_fen, claim.paid_per_mille, 1000));
    }
    let mut order: Vec<u32> = (0..world.claims.len() as u32).filter(|&c| !world.claims[c as usize].dropped).collect();
    order.sort_by_key(|&c| (world.claims[c as usize].submitted_on, world.claims[c as usize].sequence));
    for (rank, claim) in order.into_iter().enumerate() {
        world.claims[claim as usize].number = rank as u32 + 1;
    }
}
