//! Statistical schemes: whole institutions that break no rule but look wrong against their peers
//! (fabricated amounts, proxy and hand-written sign-ins, pushed exam marks, a friendly assessor,
//! paper jobs, one employer taking everyone, shared phones and accounts, a successor of a
//! sanctioned institution).
//!
//! Most of a scheme is switched on where the honest generator draws (classes, scores, jobs); this
//! module holds what happens after the fact (successor identities, rings) and the truth notes.

use super::catalogue::Group;
use super::model::*;
use super::people;
use rand::Rng;

/// Gives each successor the legal representative of the disqualified institution, or the bank
/// account of the banned one: the same people under a new licence.
pub fn link_successors(world: &mut World) {
    let find = |world: &World, special: Special| world.institutions.iter().position(|i| i.special == special);
    let disqualified = find(world, Special::Disqualified);
    let banned = find(world, Special::Banned);
    let successors: Vec<usize> =
        (0..world.institutions.len()).filter(|&i| world.institutions[i].scheme == Some(Scheme::Successor)).collect();
    for (nth, successor) in successors.into_iter().enumerate() {
        let (note, source) = if nth % 2 == 0 {
            let Some(source) = disqualified else { continue };
            world.institutions[successor].legal_rep = world.institutions[source].legal_rep.clone();
            ("licensed recently; same legal representative as the disqualified institution", source)
        } else {
            let Some(source) = banned else { continue };
            world.institutions[successor].bank_account = world.institutions[source].bank_account.clone();
            ("licensed recently; same bank account as the banned institution", source)
        };
        let note = format!(
            "{note} {} (licensed {})",
            world.institutions[source].id(),
            world.institutions[successor].licensed_on
        );
        world.schemes.push(SchemePlant { scheme: Scheme::Successor, institution: successor as u32, note });
    }
}

/// Rings: in each class of a ring institution, two groups of six trainees share one phone and
/// one payout account (their living allowances all land in the same hands).
pub fn make_rings(world: &mut World) {
    let mut ring_number = 0u64;
    for class in 0..world.classes.len() {
        let institution = world.classes[class].institution as usize;
        if world.institutions[institution].scheme != Some(Scheme::Ring) {
            continue;
        }
        // Two groups of six per class; at a set intensity, that share of the class's trainees in
        // groups of six (a fraction of a group drawn).
        let wanted = match world.options.intensity_percent {
            None => 12,
            Some(percent) => {
                let groups = world.classes[class].enrollments.len() as f64 * percent as f64 / 100.0 / 6.0;
                6 * (groups.floor() as usize + usize::from(world.rng.gen_bool(groups.fract())))
            }
        };
        let members: Vec<u32> = world.classes[class]
            .enrollments
            .iter()
            .copied()
            .filter(|&e| world.enrollments[e as usize].flags == 0)
            .take(wanted)
            .collect();
        for ring in members.chunks_exact(6) {
            // Numbers far above any person's index stay distinct from every honest one.
            let phone = people::phone(&mut world.rng, 90_000_000 + ring_number);
            let account = people::bank_card(&mut world.rng, 900_000_000 + ring_number);
            ring_number += 1;
            for &enrollment in ring {
                let group = if world.rng.gen_bool(0.5) { Group::PovertyRegistered } else { Group::LowIncome };
                let e = &mut world.enrollments[enrollment as usize];
                e.group = group;
                e.phone = phone;
                e.payout_account = Some(account);
                world.persons[e.person as usize].group = group;
            }
        }
    }
}

/// Truth notes of every scheme institution (successors are noted when linked).
pub fn record(world: &mut World) {
    for index in 0..world.institutions.len() {
        let Some(scheme) = world.institutions[index].scheme else { continue };
        let note = match scheme {
            Scheme::Benford => "training claims filed one trainee at a time with fabricated amounts starting 4, 5 or 9 (never above the standard)",
            Scheme::SynchronizedSignIns => "every trainee of a session checks in at the same second (proxy card sign-in)",
            Scheme::ManualSignIns => "about 65% of in-person sign-ins entered by hand (a `cleared` inspection in Q-1)",
            Scheme::ScoreHeaping => "85% of scores at 60-62, nobody fails",
            Scheme::AssessorCollusion => "all exams by assessor Y000037010001, which passes nearly all here and about 70% elsewhere",
            Scheme::ShortEmployment => "85% of employed trainees contribute only 1-2 months starting the month after the class",
            Scheme::EmployerConcentration => "about 80% of employed trainees at one employer",
            Scheme::Ring => "groups of six trainees share one phone and one payout account",
            Scheme::Successor => continue,
        };
        let note = match (world.options.intensity_percent, scheme) {
            (Some(percent), _) => format!("planted at {percent}% intensity (of classes, sign-ins, jobs or exams): {}", scheme.name()),
            (None, Scheme::EmployerConcentration) => {
                let employer = (index * 7 + 3) % world.employers.len();
                format!("{note} ({})", world.employers[employer].code)
            }
            (None, _) => note.to_string(),
        };
        world.schemes.push(SchemePlant { scheme, institution: index as u32, note });
    }
}
