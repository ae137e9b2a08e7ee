//! Banned institutions stop claiming (`sample --stop-banned`, the committed demo sample).
//!
//! Which institutions the engine rates D (a ban from the next quarter) depends on the whole
//! world: peer medians, breach shares, the previous tier. The generator cannot guess it, so it
//! asks the engine: it writes the world into a scratch folder, evaluates the quarters the demo
//! chains before its last one (`to − 2`, then `to − 1` with `--previous`), reads the sanctions
//! ledger of the second run, and builds the world again with those institutions stopped from the
//! first day of their ban: no class starts and no claim is filed after it (`withdraw`), and no
//! planted case is put there (`World::may_host`). Stopping institutions moves peer medians, so
//! another institution may cross a line: the rounds repeat until the engine bans exactly the
//! stopped institutions (a fixed point), at most `MAX_ROUNDS` times.
//!
//! The planted sanctions and fraud decisions (`Special::Banned`, `Disqualified`, `Fraud*`) are
//! left as they are: those institutions are the deliberate defiants that keep claiming while
//! sanctioned, so that R10 stays planted and listed in `truth.json`.
//!
//! Each round rebuilds the world from the seed, so the result depends only on the options and
//! the built-in policy: the same seed writes the same bytes. It costs two evaluations per round
//! (a few seconds at 60 institutions), which is why it is an option and not the default for
//! every size, and it ties the sample to the engine: a change of the tier rules can change which
//! institutions are stopped, and the committed sample must then be generated again.

use super::model::{Special, World};
use super::{build_with, write, SampleOptions};
use crate::person::Pseudonymiser;
use crate::pipeline::{self, EvaluateOptions};
use crate::policy::Policy;
use crate::{Error, Quarter, Result};
use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Rounds of generate → evaluate before giving up (the committed sample settles in a few).
const MAX_ROUNDS: usize = 8;

/// Institution (index) → the first quarter of its ban.
pub(super) type Stops = BTreeMap<u32, Quarter>;

/// The world with every institution the engine bans stopped, at a fixed point: the engine, run
/// on the world, bans exactly the stopped institutions from exactly the quarters they stop.
pub(super) fn settled_world(options: &SampleOptions) -> Result<World> {
    let scratch = Scratch::new()?;
    let mut stops = Stops::new();
    let mut spared = Stops::new();
    for round in 1..=MAX_ROUNDS {
        let world = build_with(options, &stops, &spared)?;
        let banned = engine_bans(&world, &scratch.0.join(format!("round-{round}")))?;
        tracing::debug!(round, stopped = ?ids(&world, &stops), banned = ?ids(&world, &banned), "sample: settling the engine's bans");
        if banned == stops {
            return Ok(world);
        }
        for (&institution, &from) in &banned {
            spared.entry(institution).and_modify(|q| *q = (*q).min(from)).or_insert(from);
        }
        stops = banned;
    }
    Err(Error::invalid(format!(
        "sample: the institutions the engine bans did not settle within {MAX_ROUNDS} rounds; try another seed or leave out --stop-banned"
    )))
}

fn ids(world: &World, stops: &Stops) -> Vec<String> {
    stops.iter().map(|(&i, q)| format!("{}@{q}", world.institutions[i as usize].id())).collect()
}

/// Stops the world's stopped institutions: their claims filed from the first day of the ban go
/// (with their lines), and so do lines of other claims whose enrollment was withdrawn with its
/// class. Classes, enrollments and what hangs on them are left out when written
/// (`World::withdrawn_class`).
pub(super) fn withdraw(world: &mut World) {
    if world.stops.is_empty() {
        return;
    }
    for c in 0..world.claims.len() {
        let claim = &world.claims[c];
        let kept: Vec<u32> = if world.stopped_on(claim.institution, claim.submitted_on) {
            Vec::new()
        } else {
            claim
                .lines
                .iter()
                .copied()
                .filter(|&l| match world.lines[l as usize].enrollment {
                    super::model::EnrollmentRef::Known(e) => !world.withdrawn_enrollment(e),
                    super::model::EnrollmentRef::Missing(_) => true,
                })
                .collect()
        };
        // A claim left without lines is dropped by `honest::finalise`.
        world.claims[c].lines = kept;
    }
}

/// Institutions the engine bans or disqualifies in the demo's chain, with the first quarter of
/// the sanction (within the export), except the planted defiants.
fn engine_bans(world: &World, dir: &Path) -> Result<Stops> {
    let export = dir.join("export");
    std::fs::create_dir_all(&export).map_err(|e| Error::io("creating a scratch export", &export, e))?;
    write::write_all(world, &export)?;
    let policy = Policy::defaults()?;
    let key = Pseudonymiser::new(Pseudonymiser::DEMO_KEY.as_bytes());
    let to = world.options.to;
    let mut previous: Option<PathBuf> = None;
    for quarter in [to.offset(-2), to.offset(-1)] {
        let out = dir.join(quarter.to_string());
        let outcome = pipeline::evaluate(&EvaluateOptions {
            data: &export,
            quarter,
            out: &out,
            policy: &policy,
            key: &key,
            demo_key: true,
            previous: previous.as_deref(),
            ingest: Default::default(),
            allow_incomplete: false,
            lang: Default::default(),
        })?;
        previous = Some(outcome.folder);
    }
    let ledger = previous.expect("two quarters were evaluated").join("sanctions.parquet");
    let file = std::fs::File::open(&ledger).map_err(|e| Error::io("reading the scratch ledger", &ledger, e))?;
    let frame = ParquetReader::new(file)
        .finish()
        .map_err(|e| Error::invalid(format!("sample: cannot read {}: {e}", ledger.display())))?;
    let column = |name: &str| -> Result<Vec<String>> {
        let series = frame
            .column(name)
            .and_then(|c| c.as_materialized_series().cast(&DataType::String))
            .map_err(|e| Error::invalid(format!("sample: the scratch ledger's {name}: {e}")))?;
        let texts = series.str().map_err(|e| Error::invalid(format!("sample: the scratch ledger's {name}: {e}")))?;
        Ok(texts.iter().map(|t| t.unwrap_or_default().to_string()).collect())
    };
    let index: BTreeMap<String, u32> =
        world.institutions.iter().enumerate().map(|(i, institution)| (institution.id(), i as u32)).collect();
    let mut bans = Stops::new();
    for (institution, from) in column("institution_id")?.into_iter().zip(column("from_quarter")?) {
        let Some(&i) = index.get(&institution) else { continue };
        let from: Quarter = from.parse().map_err(|_| Error::invalid(format!("sample: the scratch ledger's quarter {from}")))?;
        if from > to || !stoppable(world.institutions[i as usize].special) {
            continue;
        }
        bans.entry(i).and_modify(|q| *q = (*q).min(from)).or_insert(from);
    }
    Ok(bans)
}

/// Whether a banned institution of this role stops claiming: every role but the planted
/// sanctions and fraud decisions, whose claims while sanctioned are the planted R10 cases.
fn stoppable(special: Special) -> bool {
    match special {
        Special::None | Special::LicensedLate | Special::Violation => true,
        Special::Banned
        | Special::Disqualified
        | Special::FraudStated
        | Special::FraudUnstated
        | Special::FraudCleared => false,
    }
}

/// A scratch folder under the system temp dir, removed when dropped (also on an error).
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Scratch> {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let path = std::env::temp_dir().join(format!("traincredit-settle-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).map_err(|e| Error::io("creating a scratch folder", &path, e))?;
        Ok(Scratch(path))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
