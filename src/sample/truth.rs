//! `truth.json`: what was planted, read off the marks the planting left on rows.
//!
//! Tests compare the engine against this file, so it is assembled from construction (rule bits on
//! lines, enrollments, classes and claims; planted procedural findings; the sanctions and
//! decisions written) and never by re-running rule logic over the finished tables. Amounts are
//! yuan strings with two decimals; every array is sorted so that the file is byte-stable.

use super::catalogue::DISTRICTS;
use super::model::*;
use crate::money::{scale_half_up, yuan};
use crate::Quarter;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

#[derive(Serialize)]
pub struct Truth {
    pub generator: &'static str,
    pub seed: u64,
    pub institutions: usize,
    pub from: String,
    pub to: String,
    /// The schemes' intensity in percent, when one was set (absent: the catalogue's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intensity_percent: Option<u8>,
    pub minimum_wage: MinimumWages,
    pub lines: Vec<LineTruth>,
    pub procedural: Vec<ProceduralTruth>,
    pub decisions: Vec<DecisionTruth>,
    pub sanctions: Vec<SanctionTruth>,
    pub schemes: Vec<SchemeTruth>,
    pub rejects: Vec<RejectTruth>,
    pub profiles: Vec<ProfileTruth>,
    /// Institutions the engine bans in the demo's chain, which therefore stop claiming (absent
    /// when the sample was not settled, `--stop-banned`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stopped: Vec<StoppedTruth>,
}

/// An institution the engine banned: from the first day of `from_quarter` it starts no class and
/// files no claim.
#[derive(Serialize)]
pub struct StoppedTruth {
    pub institution_id: String,
    pub from_quarter: String,
}

/// District → wage, in the catalogue's order.
pub struct MinimumWages;

impl Serialize for MinimumWages {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(DISTRICTS.len()))?;
        for district in DISTRICTS {
            map.serialize_entry(district.name, &yuan(district.minimum_wage_fen))?;
        }
        map.end()
    }
}

#[derive(Serialize)]
pub struct LineTruth {
    pub quarter: String,
    pub claim_id: String,
    pub enrollment_id: String,
    pub institution_id: String,
    pub rules: Vec<String>,
    pub part_at_stake: String,
    pub status: &'static str,
    pub recovery: Option<String>,
    pub hold: Option<String>,
    pub overturned: bool,
    pub note: String,
}

#[derive(Serialize)]
pub struct ProceduralTruth {
    pub quarter: String,
    pub rule: &'static str,
    pub entity_kind: &'static str,
    pub entity_id: String,
    pub institution_id: String,
    pub note: String,
}

#[derive(Serialize)]
pub struct DecisionTruth {
    pub institution_id: String,
    pub decided_on: String,
    pub finding: &'static str,
    pub amount: Option<String>,
}

#[derive(Serialize)]
pub struct SanctionTruth {
    pub institution_id: String,
    pub kind: &'static str,
    pub from_quarter: String,
    pub until_quarter: Option<String>,
    pub reason: String,
}

#[derive(Serialize)]
pub struct SchemeTruth {
    pub scheme: &'static str,
    pub institution_id: String,
    pub note: String,
}

#[derive(Serialize)]
pub struct RejectTruth {
    pub table: &'static str,
    pub count: usize,
    pub reason: &'static str,
}

#[derive(Serialize)]
pub struct ProfileTruth {
    pub institution_id: String,
    pub profile: &'static str,
}

/// The rules a line breaches by construction, and the notes that say why.
pub fn line_rules(world: &World, line: u32) -> (u16, Vec<String>) {
    let l = &world.lines[line as usize];
    let claim = &world.claims[l.claim as usize];
    let mut rules = l.rules;
    let mut notes = Vec::new();
    if let Some(note) = world.line_notes.get(&line) {
        notes.push(note.clone());
    }
    if let EnrollmentRef::Known(enrollment) = l.enrollment {
        let e = &world.enrollments[enrollment as usize];
        if e.flags & REJECTED_ON_READ != 0 {
            // The reader never sees the enrollment: only the mismatch is knowable.
            rules |= R07;
        } else {
            rules |= e.marks & (R03 | R04);
            if claim.kind == ClaimKind::Training {
                rules |= e.marks & R06;
                if !e.completed {
                    rules |= R05;
                }
            }
            if world.classes[e.class as usize].before_licence {
                rules |= R12;
                if let Some(note) = world.class_notes.get(&e.class) {
                    notes.push(note.clone());
                }
            }
        }
        if let Some(note) = world.enrollment_notes.get(&enrollment) {
            notes.push(note.clone());
        }
    }
    if claim.sanctioned {
        rules |= R10;
        if let Some(note) = world.claim_notes.get(&l.claim) {
            notes.push(note.clone());
        }
    }
    (rules, notes)
}

pub fn assemble(world: &World) -> Truth {
    let mut lines = Vec::new();
    for line in 0..world.lines.len() as u32 {
        let l = &world.lines[line as usize];
        let claim = &world.claims[l.claim as usize];
        // A line taken off its claim (its enrollment was withdrawn, `settle`) was never filed.
        if claim.dropped || (!world.stops.is_empty() && !claim.lines.contains(&line)) {
            continue;
        }
        let (rules, notes) = line_rules(world, line);
        if rules == 0 {
            continue;
        }
        let whole = if rules & !PARTIAL_RULES != 0 { l.amount_fen } else { 0 };
        let part = whole.max(if rules & PARTIAL_RULES != 0 { l.partial_fen } else { 0 }).min(l.amount_fen);
        let (recovery, hold) = match claim.status {
            Status::Paid => {
                let paid = claim.paid_fen.expect("paid claims have a paid amount");
                (Some(yuan(scale_half_up(part, paid, claim.amount_fen))), None)
            }
            Status::Pending => (None, Some(yuan(part))),
            Status::Rejected => (None, None),
        };
        let overturned = world.appeals.iter().any(|a| a.line == line && a.outcome == "overturned");
        lines.push(LineTruth {
            quarter: Quarter::of_date(claim.submitted_on).to_string(),
            claim_id: claim.id(),
            enrollment_id: l.enrollment.id(),
            institution_id: world.institutions[claim.institution as usize].id(),
            rules: rule_ids(rules),
            part_at_stake: yuan(part),
            status: claim.status.name(),
            recovery,
            hold,
            overturned,
            note: notes.join("; "),
        });
    }
    lines.sort_by(|a, b| (&a.quarter, &a.claim_id, &a.enrollment_id).cmp(&(&b.quarter, &b.claim_id, &b.enrollment_id)));

    let mut procedural: Vec<ProceduralTruth> = world
        .procedural
        .iter()
        .map(|p| {
            let (entity_kind, entity_id) = match p.entity {
                ProceduralEntity::Claim(claim) => ("claim", world.claims[claim as usize].id()),
                ProceduralEntity::Class(class) => ("class", class_id(class)),
                ProceduralEntity::Pair(a, b) => {
                    let (a, b) = (Enrollment::id_of(a), Enrollment::id_of(b));
                    let (first, second) = if a <= b { (a, b) } else { (b, a) };
                    ("enrollment", format!("{first}+{second}"))
                }
            };
            ProceduralTruth {
                quarter: p.quarter.to_string(),
                rule: p.rule,
                entity_kind,
                entity_id,
                institution_id: world.institutions[p.institution as usize].id(),
                note: p.note.clone(),
            }
        })
        .collect();
    procedural.sort_by(|a, b| (&a.quarter, a.rule, &a.entity_id).cmp(&(&b.quarter, b.rule, &b.entity_id)));

    let mut decisions: Vec<DecisionTruth> = world
        .decisions
        .iter()
        .map(|d| DecisionTruth {
            institution_id: world.institutions[d.institution as usize].id(),
            decided_on: d.decided_on.to_string(),
            finding: d.finding,
            amount: d.amount_fen.map(yuan),
        })
        .collect();
    decisions.sort_by(|a, b| (&a.institution_id, &a.decided_on).cmp(&(&b.institution_id, &b.decided_on)));

    let mut sanctions: Vec<SanctionTruth> = world
        .sanctions
        .iter()
        .map(|s| SanctionTruth {
            institution_id: world.institutions[s.institution as usize].id(),
            kind: s.kind,
            from_quarter: s.from.to_string(),
            until_quarter: s.until.map(|q| q.to_string()),
            reason: s.reason.clone(),
        })
        .collect();
    sanctions.sort_by(|a, b| {
        (&a.institution_id, a.kind, &a.from_quarter).cmp(&(&b.institution_id, b.kind, &b.from_quarter))
    });

    let mut schemes: Vec<SchemeTruth> = world
        .schemes
        .iter()
        .map(|s| SchemeTruth {
            scheme: s.scheme.name(),
            institution_id: world.institutions[s.institution as usize].id(),
            note: s.note.clone(),
        })
        .collect();
    schemes.sort_by(|a, b| (a.scheme, &a.institution_id).cmp(&(b.scheme, &b.institution_id)));

    let mut rejects: Vec<RejectTruth> =
        world.rejects.iter().map(|r| RejectTruth { table: r.table, count: r.count, reason: r.reason }).collect();
    rejects.sort_by(|a, b| (a.table, a.reason).cmp(&(b.table, b.reason)));

    let mut profiles: Vec<ProfileTruth> =
        world.institutions.iter().map(|i| ProfileTruth { institution_id: i.id(), profile: i.profile.name() }).collect();
    profiles.sort_by(|a, b| a.institution_id.cmp(&b.institution_id));

    Truth {
        generator: "traincredit sample",
        seed: world.options.seed,
        institutions: world.options.institutions,
        from: world.options.from.to_string(),
        to: world.options.to.to_string(),
        intensity_percent: world.options.intensity_percent,
        minimum_wage: MinimumWages,
        lines,
        procedural,
        decisions,
        sanctions,
        schemes,
        rejects,
        profiles,
        stopped: world
            .stops
            .iter()
            .map(|(&i, from)| StoppedTruth { institution_id: world.institutions[i as usize].id(), from_quarter: from.to_string() })
            .collect(),
    }
}

/// Id of a class by index.
pub fn class_id(class: u32) -> String {
    format!("JN-CLS-{:06}", class + 1)
}
