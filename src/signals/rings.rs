//! `shared_contacts`: rings of trainees linked by shared phones or payout accounts.
//!
//! Persons, phones and payout accounts of enrollments in classes running in the window (ending in
//! Q−3 … or later, started by Q's end) form a graph; persons sharing a phone or an account are
//! joined (petgraph's union-find), and a connected component of at least `min_ring_size` persons
//! is a ring: several trainees whose allowance lands in the same hands or whom one number
//! answers for. A phone or account shared by more than `max_degree` persons (an office
//! switchboard, a school's own number) links nobody: it would merge unrelated trainees. Rings may
//! span institutions; each institution is measured by its own trainees in rings.
//! Value: the share of the institution's trainees (persons) that belong to a ring.

use super::robust::Direction;
use super::{data, judge_all, percent, short, Comparison, Context, Entity, Measurement, SignalValue};
use crate::vocab::messages::nested::{self, Sentence};
use crate::vocab::messages::signals as m;
use crate::vocab::SignalId;
use crate::columns as c;
use crate::error::Result;
use crate::ingest::contract::Table;
use petgraph::unionfind::UnionFind;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

pub const SIGNAL: SignalId = SignalId::SharedContacts;

/// One enrollment's contacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub institution_id: String,
    pub class_id: String,
    pub enrollment_id: String,
    pub person_id: String,
    pub phone: Option<String>,
    pub account: Option<String>,
}

/// A ring: persons joined through shared contacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ring {
    pub persons: BTreeSet<String>,
    pub phones: BTreeSet<String>,
    pub accounts: BTreeSet<String>,
}

/// Rings among `links`, and the contacts left out for exceeding the degree cap
/// (`(what, contact, persons)`), both in a stable order.
///
/// Linear in the links: every contact is visited twice (once to join its users, once to hand
/// it to its ring), so a province's million enrollments take a second, not a ring × contact
/// scan.
pub fn find_rings(links: &[Link], max_degree: usize, min_ring_size: usize) -> (Vec<Ring>, Vec<(&'static str, String, usize)>) {
    let mut persons: Vec<&str> = links.iter().map(|l| l.person_id.as_str()).collect();
    persons.sort_unstable();
    persons.dedup();
    let index: HashMap<&str, usize> = persons.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    // contact → persons using it (sorted and deduplicated below)
    let mut contacts: HashMap<(&'static str, &str), Vec<usize>> = HashMap::new();
    for link in links {
        let person = index[link.person_id.as_str()];
        if let Some(phone) = &link.phone {
            contacts.entry(("phone", phone.as_str())).or_default().push(person);
        }
        if let Some(account) = &link.account {
            contacts.entry(("account", account.as_str())).or_default().push(person);
        }
    }
    let mut contacts: Vec<((&'static str, &str), Vec<usize>)> = contacts
        .into_iter()
        .map(|(contact, mut users)| {
            users.sort_unstable();
            users.dedup();
            (contact, users)
        })
        .collect();
    contacts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut union = UnionFind::<usize>::new(persons.len());
    let mut skipped = Vec::new();
    for ((what, contact), users) in &contacts {
        if users.len() > max_degree {
            skipped.push((*what, contact.to_string(), users.len()));
            continue;
        }
        for &other in &users[1..] {
            union.union(users[0], other);
        }
    }
    let mut components: HashMap<usize, Vec<usize>> = HashMap::new();
    for person in 0..persons.len() {
        components.entry(union.find(person)).or_default().push(person);
    }
    let mut ring_of_root: HashMap<usize, usize> = HashMap::new();
    let mut rings: Vec<Ring> = Vec::new();
    for (root, members) in components {
        if members.len() >= min_ring_size.max(2) {
            ring_of_root.insert(root, rings.len());
            rings.push(Ring {
                persons: members.iter().map(|&p| persons[p].to_string()).collect(),
                phones: BTreeSet::new(),
                accounts: BTreeSet::new(),
            });
        }
    }
    // A contact's users were all joined above, so its first user's component is theirs.
    for ((what, contact), users) in &contacts {
        if users.len() < 2 || users.len() > max_degree {
            continue;
        }
        if let Some(&ring) = ring_of_root.get(&union.find(users[0])) {
            match *what {
                "phone" => rings[ring].phones.insert(contact.to_string()),
                _ => rings[ring].accounts.insert(contact.to_string()),
            };
        }
    }
    rings.sort_by(|a, b| a.persons.iter().next().cmp(&b.persons.iter().next()));
    (rings, skipped)
}

/// At most `limit` items (shortened pseudonyms), then how many more, as one argument.
fn list(items: &BTreeSet<String>, limit: usize) -> String {
    let mut shown: Vec<String> = items.iter().take(limit).map(|i| short(i)).collect();
    if items.len() > limit {
        shown.push(Sentence::new(&m::MORE, &[("n", &(items.len() - limit).to_string())]).embed());
    }
    nested::join_values(&shown, &nested::LIST)
}

/// `shared_contacts` measurements per institution from its links and the rings found.
pub fn measurements(
    links: &[Link],
    rings: &[Ring],
    skipped: &[(&'static str, String, usize)],
    min_members: usize,
    max_degree: usize,
    window: &str,
) -> BTreeMap<String, Measurement> {
    let ring_of: BTreeMap<&str, usize> = rings.iter().enumerate().flat_map(|(r, ring)| ring.persons.iter().map(move |p| (p.as_str(), r))).collect();
    let mut per_institution: BTreeMap<&str, Vec<&Link>> = BTreeMap::new();
    for link in links {
        per_institution.entry(link.institution_id.as_str()).or_default().push(link);
    }
    let mut found = BTreeMap::new();
    for (institution, own) in per_institution {
        let trainees: BTreeSet<&str> = own.iter().map(|l| l.person_id.as_str()).collect();
        // ring → this institution's enrollments in it
        let mut touched: BTreeMap<usize, Vec<&Link>> = BTreeMap::new();
        for link in &own {
            if let Some(&ring) = ring_of.get(link.person_id.as_str()) {
                touched.entry(ring).or_default().push(link);
            }
        }
        let members: BTreeSet<&str> = touched.values().flatten().map(|l| l.person_id.as_str()).collect();
        let share = members.len() as f64 / trainees.len().max(1) as f64;
        // The first three rings and the contacts left out, each after a semicolon.
        let mut details = String::new();
        let semicolon = Sentence::new(&nested::SEMICOLON, &[]).embed();
        let mut entities = Vec::new();
        for (ring, enrollments) in &touched {
            let ring = &rings[*ring];
            let mut classes: Vec<&str> = enrollments.iter().map(|l| l.class_id.as_str()).collect::<BTreeSet<_>>().into_iter().collect();
            classes.truncate(5);
            let mut shares = Vec::new();
            if !ring.phones.is_empty() {
                shares.push(Sentence::new(&m::RING_PHONES, &[("list", &list(&ring.phones, 3))]));
            }
            if !ring.accounts.is_empty() {
                shares.push(Sentence::new(&m::RING_ACCOUNTS, &[("list", &list(&ring.accounts, 3))]));
            }
            let elsewhere = ring.persons.len() - enrollments.iter().map(|l| l.person_id.as_str()).collect::<BTreeSet<_>>().len();
            let elsewhere_text = (elsewhere > 0).then(|| Sentence::new(&m::RING_ELSEWHERE, &[("n", &elsewhere.to_string())]));
            let description = Sentence::new(
                &m::RING,
                &[
                    ("persons", &ring.persons.len().to_string()),
                    ("members", &list(&ring.persons, 6)),
                    ("shares", &nested::join(&shares, &m::AND)),
                    ("elsewhere", &super::optional(elsewhere_text)),
                    ("classes", &nested::join_values(&classes, &nested::LIST)),
                ],
            );
            let first = enrollments.iter().map(|l| l.enrollment_id.as_str()).min().unwrap_or("");
            entities.push(Entity { kind: "enrollment", id: first.to_string(), evidence: description.clone() });
            if entities.len() <= 3 {
                details.push_str(&semicolon);
                details.push_str(&description.embed());
            }
        }
        let own_contacts: HashSet<(&str, &str)> = if skipped.is_empty() {
            HashSet::new()
        } else {
            own.iter()
                .flat_map(|l| [l.phone.as_deref().map(|p| ("phone", p)), l.account.as_deref().map(|a| ("account", a))])
                .flatten()
                .collect()
        };
        let capped: Vec<Sentence> = skipped
            .iter()
            .filter(|(what, contact, _)| own_contacts.contains(&(*what, contact.as_str())))
            .map(|(what, contact, users)| {
                let message = if *what == "phone" { &m::CAPPED_PHONE } else { &m::CAPPED_ACCOUNT };
                Sentence::new(message, &[("contact", &short(contact)), ("users", &users.to_string()), ("max_degree", &max_degree.to_string())])
            })
            .collect();
        if !capped.is_empty() {
            details.push_str(&semicolon);
            details.push_str(&nested::join(&capped, &nested::LIST));
        }
        let facts = Sentence::new(
            &m::RINGS,
            &[
                ("members", &members.len().to_string()),
                ("trainees", &trainees.len().to_string()),
                ("window", window),
                ("rings", &touched.len().to_string()),
                ("details", &details),
            ],
        );
        found.insert(
            institution.to_string(),
            Measurement { value: share, rows: trainees.len() as i64, passes_bar: members.len() >= min_members.max(1), facts, entities },
        );
    }
    found
}

/// Enrollments of classes running in the window, with their contacts.
pub fn links_in_window(ctx: &Context) -> Result<Vec<Link>> {
    let export = ctx.export;
    let classes = export.frame(Table::Classes);
    let class_ids = data::text(classes, c::CLASS_ID)?;
    let institutions = data::text(classes, c::INSTITUTION_ID)?;
    let starts = data::date(classes, c::START_DATE)?;
    let ends = data::date(classes, c::END_DATE)?;
    let mut running = BTreeMap::new();
    for i in 0..classes.height() {
        let (Some(id), Some(institution), Some(start), Some(end)) = (class_ids[i], institutions[i], starts[i], ends[i]) else { continue };
        if end >= ctx.from && start <= ctx.to {
            running.insert(id, institution);
        }
    }
    let enrollments = export.frame(Table::Enrollments);
    let ids = data::text(enrollments, c::ENROLLMENT_ID)?;
    let enrollment_classes = data::text(enrollments, c::CLASS_ID)?;
    let persons = data::person(enrollments, c::PERSON_ID)?;
    // Numbered at ingest (`ingest::pseudonymise::ContactLookup`); the pseudonym is looked up.
    let phones = data::person(enrollments, c::PHONE)?;
    let accounts = data::person(enrollments, c::PAYOUT_ACCOUNT)?;
    let mut links = Vec::new();
    for i in 0..enrollments.height() {
        let (Some(id), Some(class), Some(person)) = (ids[i], enrollment_classes[i], persons[i]) else { continue };
        let Some(institution) = running.get(class) else { continue };
        let contact = |number: Option<u32>| number.and_then(|number| export.contacts.pseudonym(number));
        links.push(Link {
            institution_id: institution.to_string(),
            class_id: class.to_string(),
            enrollment_id: id.to_string(),
            person_id: export.persons.pseudonym(person).unwrap_or_default(),
            phone: contact(phones[i]),
            account: contact(accounts[i]),
        });
    }
    links.sort_by(|a, b| a.enrollment_id.cmp(&b.enrollment_id));
    Ok(links)
}

/// `shared_contacts` for every institution with trainees in the window, with the links and
/// rings it found (for the rows behind the leads).
pub fn detect(ctx: &Context) -> Result<(Vec<SignalValue>, Vec<Link>, Vec<Ring>)> {
    let s = &ctx.config.shared_contacts;
    let links = links_in_window(ctx)?;
    let (rings, skipped) = find_rings(&links, s.max_degree, s.min_ring_size);
    let found = measurements(&links, &rings, &skipped, s.min_members, s.max_degree, &ctx.window_label());
    let comparison = Comparison { direction: Direction::High, bar: 0.0, z_threshold: s.z_threshold, min_scale: s.min_scale, format: percent };
    Ok((judge_all(ctx, SIGNAL, found, comparison), links, rings))
}

/// The enrollments behind `shared_contacts` for `wanted`: each enrollment of the institution
/// whose person is in a ring (`ring:N`, N the ring's place among all rings), with the phone or
/// account it shares with the ring.
pub fn behind(links: &[Link], rings: &[Ring], wanted: &BTreeSet<String>) -> Vec<(String, super::behind::Row)> {
    let mut ring_of: HashMap<&str, usize> = HashMap::new();
    for (index, ring) in rings.iter().enumerate() {
        for person in &ring.persons {
            ring_of.insert(person.as_str(), index);
        }
    }
    links
        .iter()
        .filter(|link| wanted.contains(&link.institution_id))
        .filter_map(|link| {
            let index = *ring_of.get(link.person_id.as_str())?;
            let ring = &rings[index];
            let shared = link.phone.clone().filter(|p| ring.phones.contains(p)).or_else(|| link.account.clone().filter(|a| ring.accounts.contains(a)));
            let row = super::behind::Row {
                enrollment_id: Some(link.enrollment_id.clone()),
                person_id: Some(link.person_id.clone()),
                contact: shared,
                ..super::behind::row("enrollments", link.enrollment_id.clone(), format!("ring:{}", index + 1))
            };
            Some((link.institution_id.clone(), row))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(institution: &str, n: usize, phone: &str, account: Option<&str>) -> Link {
        Link {
            institution_id: institution.into(),
            class_id: format!("K-{institution}"),
            enrollment_id: format!("E{n:03}"),
            person_id: format!("P{n:03}"),
            phone: Some(phone.into()),
            account: account.map(str::to_string),
        }
    }

    #[test]
    fn six_trainees_sharing_a_phone_and_an_account_form_one_ring() {
        let mut links: Vec<Link> = (0..6).map(|n| link("I1", n, "PHONE-RING", Some("ACC-RING"))).collect();
        links.extend((6..30).map(|n| link("I1", n, &format!("PHONE-{n}"), None)));
        let (rings, skipped) = find_rings(&links, 20, 4);
        assert_eq!(rings.len(), 1);
        assert_eq!(rings[0].persons.len(), 6);
        assert!(skipped.is_empty());
        let found = measurements(&links, &rings, &skipped, 4, 20, "Q");
        let m = &found["I1"];
        assert!(m.passes_bar);
        assert_eq!(m.value, 0.2);
        assert!(m.facts.render(crate::vocab::Lang::En).contains("6 of 30 trainees of classes running Q belong to 1 ring(s)"), "{:?}", m.facts);
        assert!(m.facts.render(crate::vocab::Lang::En).contains("sharing phone(s) PHONE-RING and payout account(s) ACC-RING"), "{:?}", m.facts);
        assert_eq!(m.entities.len(), 1);
        assert_eq!((m.entities[0].kind, m.entities[0].id.as_str()), ("enrollment", "E000"));
    }

    #[test]
    fn chains_through_phones_and_accounts_join_one_component() {
        // P0–P1 share a phone, P1–P2 an account, P2–P3 a phone: one ring of four.
        let links = vec![
            link("I1", 0, "A", None),
            link("I1", 1, "A", Some("X")),
            link("I1", 2, "B", Some("X")),
            link("I2", 3, "B", None),
        ];
        let (rings, _) = find_rings(&links, 20, 4);
        assert_eq!(rings.len(), 1);
        let found = measurements(&links, &rings, &[], 3, 20, "Q");
        assert!(found["I1"].passes_bar);
        assert!(found["I1"].facts.render(crate::vocab::Lang::En).contains("1 of them trained elsewhere"), "{:?}", found["I1"].facts);
        // I2 has one trainee in the ring: below min_members.
        assert!(!found["I2"].passes_bar);
    }

    #[test]
    fn a_switchboard_number_above_the_degree_cap_merges_nobody() {
        // 50 trainees give the school's switchboard; two pairs also share private numbers.
        let mut links: Vec<Link> = (0..50).map(|n| link("I1", n, "SWITCHBOARD", None)).collect();
        links.push(Link { phone: Some("PRIVATE-1".into()), enrollment_id: "E900".into(), ..link("I1", 1, "", None) });
        links.push(Link { phone: Some("PRIVATE-1".into()), enrollment_id: "E901".into(), ..link("I1", 2, "", None) });
        let (rings, skipped) = find_rings(&links, 20, 4);
        assert!(rings.is_empty(), "{rings:?}");
        assert_eq!(skipped, vec![("phone", "SWITCHBOARD".to_string(), 50)]);
        let found = measurements(&links, &rings, &skipped, 4, 20, "Q");
        assert!(!found["I1"].passes_bar);
        assert!(found["I1"].facts.render(crate::vocab::Lang::En).contains("phone SWITCHBOARD of 50 persons ignored (above 20)"), "{:?}", found["I1"].facts);
        // Without the cap everyone would be one ring.
        let (uncapped, _) = find_rings(&links, 100, 4);
        assert_eq!(uncapped.len(), 1);
        assert_eq!(uncapped[0].persons.len(), 50);
    }

    #[test]
    fn a_couple_sharing_a_phone_is_not_a_ring() {
        let links = vec![link("I1", 0, "HOME", None), link("I1", 1, "HOME", None), link("I1", 2, "OTHER", None)];
        let (rings, _) = find_rings(&links, 20, 4);
        assert!(rings.is_empty());
    }

    #[test]
    fn the_rows_behind_a_ring_are_its_members_enrollments_with_the_shared_contact() {
        let mut links: Vec<Link> = (0..6).map(|n| link("I1", n, "PHONE-RING", None)).collect();
        links.extend((6..10).map(|n| link("I1", n, &format!("PHONE-{n}"), None)));
        links.push(link("I2", 10, "PHONE-RING", None));
        let (rings, _) = find_rings(&links, 20, 4);
        let rows = behind(&links, &rings, &BTreeSet::from(["I1".to_string()]));
        assert_eq!(rows.len(), 6);
        let (id, first) = &rows[0];
        assert_eq!((id.as_str(), first.table, first.row_key.as_str(), first.part.as_str()), ("I1", "enrollments", "E000", "ring:1"));
        assert_eq!((first.person_id.as_deref(), first.contact.as_deref()), (Some("P000"), Some("PHONE-RING")));
    }
}
