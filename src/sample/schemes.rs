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

/// Recycled trainees, planted only at a set intensity (the catalogue sample has none): three
/// ordinary institutions pass trainees around. That share of each class of the first is enrolled
/// again, as the same persons, in classes of the other two starting within a year (another
/// occupation, so that no rule is breached: R01 needs the same occupation and level).
pub fn recycle_trainees(world: &mut World) {
    let Some(percent) = world.options.intensity_percent else { return };
    let ordinary: Vec<u32> = (0..world.institutions.len() as u32)
        .rev()
        .filter(|&i| {
            let institution = &world.institutions[i as usize];
            institution.scheme.is_none() && institution.special == Special::None
        })
        .take(3)
        .collect();
    let [host, first, second] = ordinary[..] else { return };
    let partner_classes: Vec<u32> =
        (0..world.classes.len() as u32).filter(|&c| [first, second].contains(&world.classes[c as usize].institution)).collect();
    let mut taken: std::collections::BTreeSet<u32> = std::collections::BTreeSet::new();
    for class in (0..world.classes.len()).filter(|&c| world.classes[c].institution == host) {
        let (start, occupation) = (world.classes[class].start, world.classes[class].occupation);
        let trainees: Vec<u32> = world.classes[class].enrollments.iter().copied().filter(|&e| world.enrollments[e as usize].flags == 0).collect();
        let wanted = (trainees.len() * percent as usize).div_ceil(100);
        for (n, &enrollment) in trainees.iter().take(wanted).enumerate() {
            let person = world.enrollments[enrollment as usize].person;
            // The person's other classes (a returning trainee has one more): the new class must
            // not run at the same time as any of them (P03, two places at once) nor teach their
            // occupation (R01).
            let theirs: Vec<u32> = world.enrollments.iter().filter(|e| e.person == person).map(|e| e.class).collect();
            let clashes = |other: &super::model::Class| {
                theirs.iter().any(|&t| {
                    let mine = &world.classes[t as usize];
                    mine.occupation == other.occupation || (other.start <= mine.end() && mine.start <= other.end())
                })
            };
            // Alternate between the two partners, the nearest class in time that has a seat.
            let near = partner_classes.iter().copied().filter(|&c| {
                let other = &world.classes[c as usize];
                other.institution == [first, second][n % 2]
                    && other.occupation != occupation
                    && (other.start - start).num_days().abs() <= 365
                    && !clashes(other)
            });
            let seat = near
                .flat_map(|c| world.classes[c as usize].enrollments.clone())
                .find(|&e| world.enrollments[e as usize].flags == 0 && !taken.contains(&e) && world.enrollments[e as usize].person != person);
            if let Some(seat) = seat {
                taken.insert(seat);
                world.enrollments[seat as usize].person = person;
            }
        }
    }
    let ids: Vec<String> = [host, first, second].iter().map(|&i| world.institutions[i as usize].id()).collect();
    for (index, &institution) in [host, first, second].iter().enumerate() {
        let note = format!(
            "planted at {percent}% intensity: trainees of {} trained again at {} and {} within a year (another occupation){}",
            ids[0],
            ids[1],
            ids[2],
            if index == 0 { "" } else { "; this institution takes part" }
        );
        world.schemes.push(SchemePlant { scheme: Scheme::RecycledTrainees, institution, note });
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
            Scheme::Successor
            | Scheme::RecycledTrainees
            | Scheme::TypedInSignIns
            | Scheme::SpreadJobs
            | Scheme::GhostTrainees => continue,
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
