//! Camouflaged schemes, planted only at a set intensity (`sample --intensity`; the catalogue
//! sample has none, so it stays byte-identical): the frauds of the statistical schemes dressed
//! so that the signal made for the plain one barely moves (issue 14).
//!
//! - `typed_in_sign_ins`: in every in-person session of every class, sign-ins of ⌈p × class size⌉
//!   trainees who were not there are typed into the manual register at one time: method
//!   `manual`, the manual register's device, and one minute for all of the session's forged
//!   entries. The block of forged trainees moves round the class from session to session, so no
//!   trainee stands out as always absent. Meant for `bulk_sign_ins` and `manual_sign_ins`.
//! - `spread_jobs`: ⌈p × employed⌉ of the trainees employed after training (an even share, in
//!   the order they are drawn) are given 1–2 contribution months from the month after the class
//!   at one of five employers, three at a time in turn, so that no one employer stands out.
//!   Meant for `employment_clusters` and `short_employment`.
//! - `ghost_trainees`: ⌈p × class size⌉ trainees of each class exist on paper only: claimed
//!   (training and living allowance), signed in by hand at every session, no exam, job or
//!   survey. Each keeps their own phone (distinct), but their allowances are paid into a few
//!   shared accounts, four or more consecutive ghosts to an account: the residual trace a
//!   ghost scheme cannot avoid, since the money has to reach the organiser. Meant for `shared_contacts`
//!   (accounts) and `manual_sign_ins`.
//!
//! Each takes an ordinary institution (no scheme, no special role, a good or mediocre profile)
//! as host, chosen before classes are scheduled so that planted rule breaches go elsewhere:
//! a camouflaged scheme adds no rule breach of its own.

use super::attendance::{at, SignIn};
use super::catalogue::Group;
use super::model::*;
use super::people;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// Employers a spread-jobs host sends its fake jobs to…
const SPREAD_EMPLOYERS: usize = 5;
/// …this many jobs to one before the next takes its turn.
const SPREAD_BLOCK: usize = 3;
/// Fewest ghosts sharing one payout account (a ring of `shared_contacts` needs four persons).
const GHOSTS_PER_ACCOUNT: usize = 4;

/// Hosts and bookkeeping of the camouflaged schemes.
#[derive(Debug, Default)]
pub struct Plan {
    pub typed_in: Option<u32>,
    pub spread: Option<u32>,
    pub ghosts: Option<u32>,
    /// The spread host's employers (indices of `World::employers`), in turn order.
    pub spread_employers: Vec<u32>,
    /// Trainees of the spread host employed after training so far.
    pub employed: u32,
    /// Fake jobs planted: (enrollment, employer).
    pub spread_jobs: Vec<(u32, u32)>,
    /// Ghost enrollments, in class order.
    pub ghost_enrollments: Vec<u32>,
    /// Payout accounts the ghosts share.
    pub ghost_accounts: usize,
}

impl Plan {
    /// Counts one trainee of the spread host employed after training and returns the employer
    /// of its fake job when it falls in the share (trainee n is involved when ⌈(n+1)·p⌉ > ⌈n·p⌉,
    /// as classes are for class-level schemes: no random draw).
    pub fn spread_job(&mut self, enrollment: u32, percent: Option<u8>) -> Option<u32> {
        let share = percent? as u32;
        let n = self.employed;
        self.employed += 1;
        if ((n + 1) * share).div_ceil(100) <= (n * share).div_ceil(100) || self.spread_employers.is_empty() {
            return None;
        }
        let employer = self.spread_employers[(self.spread_jobs.len() / SPREAD_BLOCK) % self.spread_employers.len()];
        self.spread_jobs.push((enrollment, employer));
        Some(employer)
    }
}

/// The share of a class involved: ⌈p × size⌉ (none without an intensity).
fn involved(size: usize, percent: Option<u8>) -> usize {
    percent.map_or(0, |p| (size * p as usize).div_ceil(100))
}

/// Picks the three hosts (the first ordinary institutions of a good or mediocre profile, in
/// number order) and the spread host's employers; nothing without a set intensity.
pub fn choose_hosts(world: &mut World) {
    if world.options.intensity_percent.is_none() {
        return;
    }
    let hosts: Vec<u32> = (0..world.institutions.len() as u32)
        .filter(|&i| {
            let institution = &world.institutions[i as usize];
            institution.scheme.is_none()
                && institution.special == Special::None
                && matches!(institution.profile, Profile::Good | Profile::Mediocre)
        })
        .take(3)
        .collect();
    let [typed_in, spread, ghosts] = hosts[..] else { return };
    for (host, scheme) in [(typed_in, Scheme::TypedInSignIns), (spread, Scheme::SpreadJobs), (ghosts, Scheme::GhostTrainees)] {
        world.institutions[host as usize].scheme = Some(scheme);
    }
    // Employers nobody else is steered to: not those of the concentration schemes.
    let employers = world.employers.len();
    let concentrated: Vec<usize> = (0..world.institutions.len())
        .filter(|&i| world.institutions[i].scheme == Some(Scheme::EmployerConcentration))
        .map(|i| (i * 7 + 3) % employers)
        .collect();
    let mut chosen = Vec::new();
    let mut candidate = (spread as usize * 11 + 5) % employers;
    while chosen.len() < SPREAD_EMPLOYERS.min(employers) {
        if !concentrated.contains(&candidate) && !chosen.contains(&(candidate as u32)) {
            chosen.push(candidate as u32);
        }
        candidate = (candidate + 17) % employers;
    }
    world.camouflage = Plan { typed_in: Some(typed_in), spread: Some(spread), ghosts: Some(ghosts), spread_employers: chosen, ..Plan::default() };
}

/// Which sessions of one enrollment are typed in: the enrollment's place in its class and the
/// size of the block forged each session.
pub struct TypedIn {
    class: u32,
    position: usize,
    size: usize,
    block: usize,
}

impl TypedIn {
    /// For an enrollment of the typed-in host (`None` elsewhere).
    pub fn of(world: &World, enrollment: u32) -> Option<TypedIn> {
        let class = world.enrollments[enrollment as usize].class;
        let c = &world.classes[class as usize];
        if world.camouflage.typed_in != Some(c.institution) {
            return None;
        }
        let position = c.enrollments.iter().position(|&e| e == enrollment)?;
        let size = c.enrollments.len();
        let block = involved(size, world.options.intensity_percent);
        (block > 0).then_some(TypedIn { class, position, size, block })
    }

    /// Whether the trainee's sign-in at in-person session `session` is forged: the block starts
    /// `session × block` places further round the class each session.
    pub fn forged(&self, world: &World, session: u32) -> bool {
        let start = (session as usize * self.block) % self.size;
        !world.classes[self.class as usize].session_online(session) && (self.position + self.size - start) % self.size < self.block
    }

    /// The forged row: the session's scheduled hours, from the minute the clerk typed for all of
    /// the session's forged entries (within ten minutes of the scheduled start).
    pub fn row(&self, world: &World, session: u32) -> SignIn {
        let class = &world.classes[self.class as usize];
        let mut shared = ChaCha8Rng::seed_from_u64(world.options.seed ^ 0x7E1E_D000_0000_0000 ^ ((self.class as u64) << 20) ^ session as u64);
        let minute: i64 = shared.gen_range(-10..=10);
        let check_in = at(class.session_date(session), class.start_seconds as i64 + minute * 60);
        let institution = &world.institutions[class.institution as usize];
        SignIn {
            check_in,
            check_out: Some(check_in + chrono::Duration::hours(class.session_hours as i64)),
            method: Method::Manual,
            device: format!("JNKQ-{:06}-M00", institution.number),
        }
    }
}

/// Turns ⌈p × class size⌉ trainees of each class of the ghost host into ghosts (after the
/// rings, before the outcomes are drawn), and gives their allowances shared accounts.
pub fn plant_ghosts(world: &mut World) {
    let Some(host) = world.camouflage.ghosts else { return };
    let percent = world.options.intensity_percent;
    let mut ghosts = Vec::new();
    for class in (0..world.classes.len()).filter(|&c| world.classes[c].institution == host) {
        let ended = world.classes[class].end() <= world.last_day;
        let trainees: Vec<u32> = world.classes[class].enrollments.clone();
        for &enrollment in trainees.iter().take(involved(trainees.len(), percent)) {
            // Eligible for the living allowance, as the ring schemes' trainees are: that money
            // is what the ghosts are for.
            let group = if world.rng.gen_bool(0.5) { Group::PovertyRegistered } else { Group::LowIncome };
            let e = &mut world.enrollments[enrollment as usize];
            e.group = group;
            // On paper everyone finishes and every session is signed (by hand): no dropout
            // whose attendance would breach R06.
            e.completed = ended;
            e.plan = AttendancePlan::Full;
            e.exam = ExamPlan::None;
            e.flags |= GHOST | NO_EMPLOYMENT | NO_SURVEY;
            world.persons[e.person as usize].group = group;
            ghosts.push(enrollment);
        }
    }
    // Consecutive ghosts (same or neighbouring classes, so at the same time) share an account,
    // four or more to one: an account handed round over years would link nobody within the
    // signals' window, which is not how an organiser collects.
    let accounts = (ghosts.len() / GHOSTS_PER_ACCOUNT).max(usize::from(!ghosts.is_empty()));
    let numbers: Vec<u64> = (0..accounts).map(|k| people::bank_card(&mut world.rng, 950_000_000 + k as u64)).collect();
    for (n, &enrollment) in ghosts.iter().enumerate() {
        world.enrollments[enrollment as usize].payout_account = Some(numbers[n * accounts / ghosts.len()]);
    }
    world.camouflage.ghost_enrollments = ghosts;
    world.camouflage.ghost_accounts = accounts;
}

/// In-person sessions of the typed-in host's classes up to the export date, times the block
/// forged in each: the forged sign-ins written.
pub fn typed_in_count(world: &World) -> (usize, usize) {
    let Some(host) = world.camouflage.typed_in else { return (0, 0) };
    let mut classes = 0;
    let mut rows = 0;
    for class in world.classes.iter().filter(|c| c.institution == host) {
        classes += 1;
        let block = involved(class.enrollments.len(), world.options.intensity_percent);
        let sessions = (0..class.sessions).filter(|&s| !class.session_online(s) && class.session_date(s) <= world.last_day).count();
        rows += block * sessions;
    }
    (classes, rows)
}

/// Truth notes: what was planted at each host, and how much.
pub fn record(world: &mut World) {
    let Some(percent) = world.options.intensity_percent else { return };
    let plan = &world.camouflage;
    let mut plants = Vec::new();
    if let Some(host) = plan.typed_in {
        let (classes, rows) = typed_in_count(world);
        plants.push(SchemePlant {
            scheme: Scheme::TypedInSignIns,
            institution: host,
            note: format!(
                "planted at {percent}% intensity: in every in-person session of its {classes} classes, ⌈{percent}% of the class⌉ sign-ins of absent trainees typed into the manual register at one minute ({rows} forged sign-ins)"
            ),
        });
    }
    if let Some(host) = plan.spread {
        let mut per_employer: BTreeMap<u32, usize> = BTreeMap::new();
        for &(_, employer) in &plan.spread_jobs {
            *per_employer.entry(employer).or_default() += 1;
        }
        let list: Vec<String> = plan
            .spread_employers
            .iter()
            .filter_map(|e| per_employer.get(e).map(|n| format!("{} {n}", world.employers[*e as usize].code)))
            .collect();
        plants.push(SchemePlant {
            scheme: Scheme::SpreadJobs,
            institution: host,
            note: format!(
                "planted at {percent}% intensity: {} of its {} trainees employed after training given 1-2-month jobs from the month after the class, spread over employers ({})",
                plan.spread_jobs.len(),
                plan.employed,
                list.join(", ")
            ),
        });
    }
    if let Some(host) = plan.ghosts {
        plants.push(SchemePlant {
            scheme: Scheme::GhostTrainees,
            institution: host,
            note: format!(
                "planted at {percent}% intensity: {} ghost trainees (⌈{percent}%⌉ of each class) claimed and signed in by hand, with no exam, job or survey; distinct phones, allowances paid into {} shared accounts",
                plan.ghost_enrollments.len(),
                plan.ghost_accounts
            ),
        });
    }
    world.schemes.extend(plants);
}
