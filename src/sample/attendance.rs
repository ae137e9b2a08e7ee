//! Sign-ins, generated on demand from an enrollment's attendance plan.
//!
//! Attendance is by far the largest table, so it is never held whole: each enrollment's rows are
//! a pure function of the seed, the enrollment and its class, recomputed when a month partition is
//! written or when a planted case needs them. Plans that matter to R06 produce their attended
//! seconds exactly (an exact 80% is not a breach, one second less is), and honest plans stay at
//! 90% or more of the planned hours even with the worst jitter.

use super::model::{AttendancePlan, Class, Method, World};
use chrono::{NaiveDate, NaiveDateTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One sign-in row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignIn {
    pub check_in: NaiveDateTime,
    pub check_out: Option<NaiveDateTime>,
    pub method: Method,
    pub device: String,
}

/// Shortest honest session relative to its scheduled length: 20 minutes lost to jitter and one
/// minute to rounding of hand-written times.
const WORST_SESSION_LOSS: i64 = 1200 + 60;

/// The sign-ins of `enrollment`, in time order.
pub fn sign_ins(world: &World, enrollment: u32) -> Vec<SignIn> {
    let row = &world.enrollments[enrollment as usize];
    let class = &world.classes[row.class as usize];
    let mut rng = ChaCha8Rng::seed_from_u64(
        world.options.seed ^ 0x5EED_A77E_0000_0000 ^ (enrollment as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
    );
    let session = |rng: &mut ChaCha8Rng, index: u32, exact: Option<i64>| {
        make_session(world, enrollment, class, index, exact, rng)
    };
    let mut rows = Vec::new();
    // Sign-ins typed in for absent trainees (`camouflage`) take the place of the session,
    // whether the trainee skipped it or had left: nobody is there.
    let typed_in = super::camouflage::TypedIn::of(world, enrollment);
    let forged = |index: u32| typed_in.as_ref().filter(|t| t.forged(world, index)).map(|t| t.row(world, index));
    match row.plan {
        AttendancePlan::None => {}
        AttendancePlan::Full | AttendancePlan::Perfect => {
            let skipped = if row.plan == AttendancePlan::Full { skipped_sessions(class, &mut rng) } else { Vec::new() };
            for index in 0..class.sessions {
                if let Some(row) = forged(index) {
                    rows.push(row);
                } else if !skipped.contains(&index) {
                    rows.push(session(&mut rng, index, None));
                }
            }
        }
        AttendancePlan::Dropout { sessions } => {
            for index in 0..class.sessions {
                if let Some(row) = forged(index) {
                    rows.push(row);
                } else if index < sessions {
                    rows.push(session(&mut rng, index, None));
                }
            }
        }
        AttendancePlan::Exact { seconds } => {
            exact_sessions(class, seconds, &mut rng, &mut |index, duration, rng| {
                rows.push(session(rng, index, Some(duration)))
            });
        }
        AttendancePlan::ExactMissingCheckout { seconds } => {
            let next = exact_sessions(class, seconds, &mut rng, &mut |index, duration, rng| {
                rows.push(session(rng, index, Some(duration)))
            });
            let mut forgotten = session(&mut rng, next, None);
            forgotten.check_out = None;
            rows.push(forgotten);
        }
        AttendancePlan::ExactOutsideDates { seconds } => {
            // Four "preparatory" sessions in the days before the class officially started.
            for days_before in (1..=4).rev() {
                let mut early = session(&mut rng, 0, Some(class.session_hours as i64 * 3600));
                let shift = chrono::Duration::days(days_before);
                early.check_in -= shift;
                early.check_out = early.check_out.map(|out| out - shift);
                rows.push(early);
            }
            exact_sessions(class, seconds, &mut rng, &mut |index, duration, rng| {
                rows.push(session(rng, index, Some(duration)))
            });
        }
        AttendancePlan::ExactOverlong { seconds } => {
            let next = exact_sessions(class, seconds, &mut rng, &mut |index, duration, rng| {
                rows.push(session(rng, index, Some(duration)))
            });
            rows.push(session(&mut rng, next, Some(20 * 3600)));
        }
        AttendancePlan::Shadow { partner, offset } => {
            let elsewhere = sign_ins(world, partner);
            for index in 0..class.sessions {
                let mut row = session(&mut rng, index, None);
                let date = class.session_date(index);
                if let Some(there) = elsewhere.iter().find(|s| s.check_in.date() == date) {
                    let duration = row.check_out.map(|out| out - row.check_in);
                    row.check_in = there.check_in + chrono::Duration::seconds(offset);
                    row.check_out = duration.map(|d| row.check_in + d);
                    if row.method == Method::Manual {
                        row.method = world.institutions[class.institution as usize].primary_method;
                    }
                }
                rows.push(row);
            }
        }
    }
    rows.retain(|row| row.check_in.date() <= world.last_day);
    rows.sort_by_key(|row| row.check_in);
    rows
}

/// Sessions an honest trainee misses: at most two, and never so many that the worst-case
/// attended time drops below 90% of the planned hours.
fn skipped_sessions(class: &Class, rng: &mut ChaCha8Rng) -> Vec<u32> {
    let worst_session = class.session_hours as i64 * 3600 - WORST_SESSION_LOSS;
    let needed_seconds = ceil_div(class.planned_hours as i64 * 3600 * 9, 10);
    let needed_sessions = ceil_div(needed_seconds, worst_session) as u32;
    let spare = class.sessions.saturating_sub(needed_sessions).min(2);
    if spare == 0 || rng.gen_bool(0.7) {
        return Vec::new();
    }
    let count = rng.gen_range(1..=spare);
    let mut skipped = Vec::new();
    while skipped.len() < count as usize {
        let index = rng.gen_range(0..class.sessions);
        if !skipped.contains(&index) {
            skipped.push(index);
        }
    }
    skipped
}

/// Splits `seconds` over consecutive sessions from the first, each near the scheduled length,
/// with durations summing exactly to `seconds`. Returns the next unused session index.
fn exact_sessions(
    class: &Class,
    seconds: i64,
    rng: &mut ChaCha8Rng,
    emit: &mut dyn FnMut(u32, i64, &mut ChaCha8Rng),
) -> u32 {
    let scheduled = class.session_hours as i64 * 3600;
    let count = ceil_div(seconds, scheduled).max(1);
    let base = seconds / count;
    let remainder = seconds % count;
    let mut durations: Vec<i64> = (0..count).map(|i| base + i64::from(i < remainder)).collect();
    // Pairwise jitter keeps the sum while making the durations look like real sessions.
    for pair in durations.chunks_mut(2) {
        if let [first, second] = pair {
            let jitter = rng.gen_range(0..600);
            *first += jitter;
            *second -= jitter;
        }
    }
    for (index, duration) in durations.into_iter().enumerate() {
        emit(index as u32, duration, rng);
    }
    count as u32
}

/// One sign-in at session `index`; `exact` fixes its duration (and forbids hand-written times,
/// whose rounding would change it).
fn make_session(
    world: &World,
    enrollment: u32,
    class: &Class,
    index: u32,
    exact: Option<i64>,
    rng: &mut ChaCha8Rng,
) -> SignIn {
    let institution = &world.institutions[class.institution as usize];
    let date = class.session_date(index);
    let online = class.session_online(index);
    let scheduled = class.session_hours as i64 * 3600;
    let (base, jitter) = if online {
        if class.mode == super::catalogue::Mode::Online {
            (70_200, rng.gen_range(-3600..=3600))
        } else {
            (66_600, rng.gen_range(-1800..=1800))
        }
    } else if class.synchronized {
        // The proxy presses every card at once: one second for the whole session.
        let class_index = world.enrollments[enrollment as usize].class as u64;
        let mut shared = ChaCha8Rng::seed_from_u64(world.options.seed ^ (class_index << 20) ^ index as u64);
        (class.start_seconds as i64, shared.gen_range(-900..=300))
    } else {
        (class.start_seconds as i64, rng.gen_range(-1200..=600))
    };
    let duration = exact.unwrap_or_else(|| scheduled + rng.gen_range(-1200..=1500));
    let ghost = world.enrollments[enrollment as usize].flags & super::model::GHOST != 0;
    let method = if online {
        Method::Online
    } else if ghost {
        // Nobody to sign: the register is filled in by hand.
        Method::Manual
    } else if exact.is_none() && rng.gen_range(0..100) < class.manual_percent {
        Method::Manual
    } else if rng.gen_bool(0.92) {
        institution.primary_method
    } else if institution.primary_method == Method::Card {
        Method::Face
    } else {
        Method::Card
    };
    let mut check_in = at(date, base + jitter);
    let mut check_out = check_in + chrono::Duration::seconds(duration);
    if method == Method::Manual {
        // Hand-written registers carry minutes, not seconds.
        check_in -= chrono::Duration::seconds(check_in.and_utc().timestamp().rem_euclid(60));
        check_out -= chrono::Duration::seconds(check_out.and_utc().timestamp().rem_euclid(60));
    }
    let device = match method {
        Method::Online => "JNPX-ONLINE-01".to_string(),
        Method::Manual => format!("JNKQ-{:06}-M00", institution.number),
        other => format!(
            "JNKQ-{:06}-{}{:02}",
            institution.number,
            other.device_letter(),
            1 + enrollment % institution.devices
        ),
    };
    SignIn { check_in, check_out: Some(check_out), method, device }
}

/// `numerator ÷ denominator` rounded up, for positive numbers.
fn ceil_div(numerator: i64, denominator: i64) -> i64 {
    (numerator + denominator - 1) / denominator
}

/// Local date-time `seconds` after midnight of `date` (may run into the next day).
pub fn at(date: NaiveDate, seconds: i64) -> NaiveDateTime {
    date.and_hms_opt(0, 0, 0).expect("midnight") + chrono::Duration::seconds(seconds)
}

/// Seconds of attendance R06 counts: sign-ins dated within the class, clipped to 0…12 h, a
/// missing check_out counting 0. Used by the generator's own tests, never to build the truth.
#[cfg(test)]
pub fn counted_seconds(class: &Class, rows: &[SignIn]) -> i64 {
    rows.iter()
        .filter(|row| row.check_in.date() >= class.start && row.check_in.date() <= class.end())
        .map(|row| row.check_out.map_or(0, |out| (out - row.check_in).num_seconds().clamp(0, 12 * 3600)))
        .sum()
}
