//! `traincredit sample`: a deterministic generator of realistic synthetic exports in exactly the
//! data contract, with planted cases and a truth file, so that tests can *measure* detection
//! (what the engine finds against what was planted) instead of asserting what the code happens
//! to do.
//!
//! The world is built in one pass, in this order:
//!
//! ```text
//! honest::build_institutions → camouflage::choose_hosts → schemes::link_successors
//!   → honest::schedule_classes → honest::enroll → schemes::recycle_trainees
//!   → schemes::make_rings → camouflage::plant_ghosts → plant::before_outcomes (planted
//!   trainees, dates, capacities) → honest::outcomes (exams, jobs, surveys) → honest::build_lines
//!   (claims) → plant::after_lines (line edits, sanctions, decisions, appeals, rejects)
//!   → schemes::record → camouflage::record → settle::withdraw → honest::finalise
//!   → write::write_all + truth::assemble
//! ```
//!
//! With `stop_banned` (`--stop-banned`, the committed demo sample) that pass runs in rounds:
//! `settle` evaluates each round's world with the engine and stops the institutions it bans, so
//! that they file no claims under their ban (`settle`'s module doc says how and why).
//!
//! Same options → byte-identical files: one seeded ChaCha8 stream drives everything (attendance
//! uses per-enrollment streams derived from the seed), nothing iterates a hash map, and every
//! table is sorted by its key before it is written.
//!
//! Readings of the policy the truth file relies on, where its text leaves room:
//! - R02 counts earlier lines that are themselves R02 (only R01 lines and rejected ones are left
//!   out); the planted cases give the same answer either way.
//! - R08's "days of earlier allowance lines" count a missing `days` as 30, like the line's own;
//!   no planted earlier line has missing days.
//! - R09's pass is the earliest qualifying one; a rejected line uses none.
//! - R10: no claim is filed on the day a `cleared` decision ends a disqualification (whether
//!   that day still counts is not settled).
//! - An overturned line keeps its part, recovery or hold in `truth.json` (with
//!   `overturned: true`): it is the engine that drops it from points and money.
//! - P03 is one finding per pair of enrollments; `truth.json` charges it to the first
//!   enrollment's institution and names both in the note.

mod attendance;
mod camouflage;
mod catalogue;
mod honest;
mod model;
mod people;
mod plant;
mod schemes;
mod settle;
mod truth;
mod write;

#[cfg(test)]
mod tests;

use crate::{Error, Quarter, Result};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleOptions {
    /// Number of institutions (at least 40: the planted cases need ordinary hosts).
    pub institutions: usize,
    pub seed: u64,
    /// First quarter with classes and claims.
    pub from: Quarter,
    /// Last quarter: the export is taken on its last day.
    pub to: Quarter,
    /// How much of a scheme institution's trainees, sign-ins, claims or exams its scheme involves,
    /// in percent (the detection benchmark plants 5, 15 and 40); `None`: the strong catalogue
    /// schemes (65% manual sign-ins, 85% short jobs, …), which the committed sample uses.
    pub intensity_percent: Option<u8>,
    /// Institutions the engine bans in the demo's chain stop claiming from their ban on (asked
    /// of the engine itself, `settle`); the committed demo sample sets it.
    pub stop_banned: bool,
}

impl SampleOptions {
    /// The share of a scheme's rows involved: the intensity when one is set, else `default`.
    pub fn scheme_share(&self, default: f64) -> f64 {
        self.intensity_percent.map(|p| p as f64 / 100.0).unwrap_or(default)
    }
}

impl Default for SampleOptions {
    fn default() -> SampleOptions {
        SampleOptions {
            institutions: 60,
            seed: 20261126,
            from: Quarter::new(2025, 1).expect("valid quarter"),
            to: Quarter::new(2026, 3).expect("valid quarter"),
            intensity_percent: None,
            stop_banned: false,
        }
    }
}

impl SampleOptions {
    /// The committed demo sample (`data-samples/jinan`): the defaults with banned institutions
    /// stopped, so that the demo's money at stake is not claims during bans the sample never
    /// meant (`sample --stop-banned`).
    pub fn demo() -> SampleOptions {
        SampleOptions { stop_banned: true, ..SampleOptions::default() }
    }
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleSummary {
    /// (table name, rows written), in the contract's order.
    pub tables: Vec<(String, usize)>,
    /// Claim lines in the truth file (lines breaching at least one rule).
    pub planted_lines: usize,
    /// Procedural findings in the truth file.
    pub planted_findings: usize,
    /// Scheme institutions in the truth file.
    pub schemes: usize,
}

/// Fewest institutions that leave enough ordinary hosts for every planted case.
const MINIMUM_INSTITUTIONS: usize = 40;
/// Fewest quarters: sanctions, decisions and R10 windows reach three quarters back.
const MINIMUM_QUARTERS: usize = 4;

/// Generates an export with its `truth.json` into a new or empty folder `out`, or in place of a
/// sample written there before: the folder is checked before any work and swapped into place
/// whole (`crate::output`), so a folder holding anything else is refused, never overwritten.
pub fn generate(options: &SampleOptions, out: &Path) -> Result<SampleSummary> {
    validate(options)?;
    let folder = crate::output::OutputFolder::prepare(out, crate::output::Kind::Sample, &[])?;
    let summary = write_into(options, folder.path())?;
    folder.commit()?;
    Ok(summary)
}

/// Builds the world and writes its tables and truth file into the existing folder `out`.
fn write_into(options: &SampleOptions, out: &Path) -> Result<SampleSummary> {
    let world = if options.stop_banned { settle::settled_world(options)? } else { build(options)? };
    std::fs::create_dir_all(out).map_err(|e| Error::io("creating the sample folder", out, e))?;
    let tables = write::write_all(&world, out)?;
    let truth = truth::assemble(&world);
    let json = serde_json::to_string_pretty(&truth)
        .map_err(|e| Error::invalid(format!("sample: cannot encode truth.json: {e}")))?;
    let path = out.join("truth.json");
    std::fs::write(&path, format!("{json}\n")).map_err(|e| Error::io("writing truth.json", &path, e))?;
    Ok(SampleSummary {
        tables,
        planted_lines: truth.lines.len(),
        planted_findings: truth.procedural.len(),
        schemes: truth.schemes.len(),
    })
}

/// Builds the whole world in memory (tests inspect it directly).
fn build(options: &SampleOptions) -> Result<model::World> {
    build_with(options, &settle::Stops::new(), &settle::Stops::new())
}

/// The same with `stops` (institution → first quarter of its ban) stopped, their classes and
/// claims from the ban on withdrawn, and `spared` institutions hosting no planted case from
/// their quarter on (`settle`).
fn build_with(options: &SampleOptions, stops: &settle::Stops, spared: &settle::Stops) -> Result<model::World> {
    validate(options)?;
    let mut world = model::World::new(*options, ChaCha8Rng::seed_from_u64(options.seed));
    world.stops = stops.clone();
    world.spared = spared.clone();
    honest::build_institutions(&mut world);
    camouflage::choose_hosts(&mut world);
    schemes::link_successors(&mut world);
    honest::schedule_classes(&mut world);
    honest::enroll(&mut world);
    schemes::recycle_trainees(&mut world);
    schemes::make_rings(&mut world);
    camouflage::plant_ghosts(&mut world);
    let pending = plant::before_outcomes(&mut world)?;
    honest::outcomes(&mut world);
    honest::build_lines(&mut world);
    plant::after_lines(&mut world, pending)?;
    schemes::record(&mut world);
    camouflage::record(&mut world);
    settle::withdraw(&mut world);
    honest::finalise(&mut world);
    Ok(world)
}

fn validate(options: &SampleOptions) -> Result<()> {
    if options.institutions < MINIMUM_INSTITUTIONS {
        return Err(Error::invalid(format!(
            "sample: {} institutions are too few; at least {MINIMUM_INSTITUTIONS} are needed to host every planted case",
            options.institutions
        )));
    }
    if let Some(percent) = options.intensity_percent.filter(|p| !(1..=100).contains(p)) {
        return Err(Error::invalid(format!("sample: intensity {percent}% must be 1–100 (the share of a scheme institution's rows involved)")));
    }
    let quarters = options.from.through(options.to).len();
    if quarters < MINIMUM_QUARTERS {
        return Err(Error::invalid(format!(
            "sample: {}…{} spans {quarters} quarter(s); at least {MINIMUM_QUARTERS} are needed (sanctions and decisions reach three quarters back)",
            options.from, options.to
        )));
    }
    Ok(())
}
