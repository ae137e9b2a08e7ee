//! Tests of the sample generator: determinism, size, coverage of the truth file, and independent
//! cross-checks that scan the written tables for the simplest invariants (claims add up, ID
//! numbers check, nobody is trained twice) and accept departures only where the truth file says
//! a case was planted. The in-memory checks (attendance margins, double presence, ages) read the
//! world the generator built, again against the planted marks.

use super::attendance::{counted_seconds, sign_ins};
use super::model::*;
use super::*;
use crate::person::{age_on, normalise_id, person_facts, IdForm};
use polars::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A fresh folder under the system temp dir, unique to this test process and tag. Folders that
/// earlier test processes left behind (their process is gone) are removed on the way.
fn temp_folder(tag: &str) -> PathBuf {
    let temp = std::env::temp_dir();
    if let Ok(entries) = std::fs::read_dir(&temp) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            let Some(rest) = name.strip_prefix("traincredit-sample-") else { continue };
            let pid = rest.rsplit('-').next().and_then(|p| p.parse::<u32>().ok());
            let gone = pid.is_some_and(|pid| {
                pid != std::process::id()
                    && Path::new("/proc/self").exists()
                    && !Path::new(&format!("/proc/{pid}")).exists()
            });
            if gone {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let path = temp.join(format!("traincredit-sample-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&path);
    path
}

/// The default export, generated once for all tests of this process.
fn default_export() -> &'static (PathBuf, SampleSummary) {
    static EXPORT: OnceLock<(PathBuf, SampleSummary)> = OnceLock::new();
    EXPORT.get_or_init(|| {
        let folder = temp_folder("default");
        let started = std::time::Instant::now();
        let summary = generate(&SampleOptions::default(), &folder).expect("the default sample generates");
        eprintln!("default sample generated in {:.2?}: {summary:?}", started.elapsed());
        (folder, summary)
    })
}

fn default_world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| build(&SampleOptions::default()).expect("the default world builds"))
}

fn truth() -> Value {
    let text = std::fs::read_to_string(default_export().0.join("truth.json")).expect("truth.json");
    serde_json::from_str(&text).expect("truth.json is JSON")
}

fn read(path: &Path) -> DataFrame {
    ParquetReader::new(File::open(path).expect("table file")).finish().expect("readable Parquet")
}

fn table(name: &str) -> DataFrame {
    read(&default_export().0.join(format!("{name}.parquet")))
}

fn texts(frame: &DataFrame, column: &str) -> Vec<Option<String>> {
    frame
        .column(column)
        .unwrap()
        .as_materialized_series()
        .str()
        .unwrap()
        .iter()
        .map(|v| v.map(str::to_string))
        .collect()
}

fn fen(frame: &DataFrame, column: &str) -> Vec<Option<i64>> {
    let series = frame.column(column).unwrap().as_materialized_series();
    assert!(matches!(series.dtype(), DataType::Decimal(_, 2)), "{column} is decimal(p,2)");
    series.decimal().unwrap().physical().iter().map(|v| v.map(|v| v as i64)).collect()
}

fn int32s(frame: &DataFrame, column: &str) -> Vec<Option<i32>> {
    frame.column(column).unwrap().as_materialized_series().i32().unwrap().iter().collect()
}

fn days(frame: &DataFrame, column: &str) -> Vec<Option<i32>> {
    frame.column(column).unwrap().as_materialized_series().date().unwrap().physical().iter().collect()
}

/// Every file under `root`, by relative path.
fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.insert(path.strip_prefix(root).unwrap().to_path_buf(), std::fs::read(&path).unwrap());
            }
        }
    }
    found
}

/// Truth lines as (claim_id/enrollment_id) → rules.
fn truth_lines(truth: &Value) -> BTreeMap<String, Vec<String>> {
    truth["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let key = format!("{}/{}", l["claim_id"].as_str().unwrap(), l["enrollment_id"].as_str().unwrap());
            let rules = l["rules"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_string()).collect();
            (key, rules)
        })
        .collect()
}

#[test]
fn same_options_give_identical_files() {
    let first = &default_export().0;
    let second = temp_folder("again");
    generate(&SampleOptions::default(), &second).unwrap();
    let (a, b) = (files(first), files(&second));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{} differs between two runs", path.display());
    }
    // A different seed gives a different export.
    let other = temp_folder("other-seed");
    generate(&SampleOptions { seed: 7, ..SampleOptions::default() }, &other).unwrap();
    assert_ne!(
        std::fs::read(first.join("enrollments.parquet")).unwrap(),
        std::fs::read(other.join("enrollments.parquet")).unwrap()
    );
    let _ = std::fs::remove_dir_all(&second);
    let _ = std::fs::remove_dir_all(&other);
}

#[test]
fn every_table_has_rows_and_the_export_is_small() {
    let (folder, summary) = default_export();
    let names: Vec<&str> = summary.tables.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "institutions",
            "classes",
            "enrollments",
            "attendance",
            "assessments",
            "employment",
            "claims",
            "claim_lines",
            "surveys",
            "case_decisions",
            "sanctions",
            "appeals"
        ]
    );
    for (name, rows) in &summary.tables {
        assert!(*rows > 0, "{name} is empty");
    }
    assert_eq!(summary.tables[0].1, 60);
    let bytes: usize = files(folder).values().map(Vec::len).sum();
    eprintln!("default export: {bytes} bytes");
    assert!(bytes <= 6 * 1024 * 1024, "default export is {bytes} bytes");
    assert!(summary.planted_lines > 0 && summary.planted_findings > 0 && summary.schemes >= 9);
}

#[test]
fn contract_types_are_exact() {
    let claims = table("claims");
    assert_eq!(claims.column("amount").unwrap().dtype(), &DataType::Decimal(14, 2));
    assert_eq!(claims.column("submitted_on").unwrap().dtype(), &DataType::Date);
    assert_eq!(table("classes").column("subsidy_per_head").unwrap().dtype(), &DataType::Decimal(12, 2));
    assert_eq!(table("claim_lines").column("amount").unwrap().dtype(), &DataType::Decimal(12, 2));
    let assessments = table("assessments");
    assert_eq!(assessments.column("fee").unwrap().dtype(), &DataType::Decimal(10, 2));
    assert_eq!(assessments.column("score").unwrap().dtype(), &DataType::Float64);
    let month = std::fs::read_dir(default_export().0.join("attendance")).unwrap().next().unwrap().unwrap().path();
    let attendance = read(&month.join("part-0.parquet"));
    assert_eq!(attendance.column("check_in").unwrap().dtype(), &DataType::Datetime(TimeUnit::Microseconds, None));
    assert_eq!(attendance.column("check_out").unwrap().dtype(), &DataType::Datetime(TimeUnit::Microseconds, None));
}

#[test]
fn truth_covers_every_rule_finding_and_scheme() {
    let truth = truth();
    let lines = truth["lines"].as_array().unwrap();
    let rules: BTreeSet<&str> =
        lines.iter().flat_map(|l| l["rules"].as_array().unwrap().iter().map(|r| r.as_str().unwrap())).collect();
    for rule in ["R01", "R02", "R03", "R04", "R05", "R06", "R07", "R08", "R09", "R10", "R11", "R12"] {
        assert!(rules.contains(rule), "no planted {rule}");
    }
    let statuses: BTreeSet<&str> = lines.iter().map(|l| l["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, BTreeSet::from(["paid", "pending", "rejected"]));
    for line in lines {
        match line["status"].as_str().unwrap() {
            "paid" => assert!(line["recovery"].is_string() && line["hold"].is_null()),
            "pending" => assert!(line["hold"].is_string() && line["recovery"].is_null()),
            _ => assert!(line["hold"].is_null() && line["recovery"].is_null()),
        }
    }
    assert_eq!(lines.iter().filter(|l| l["overturned"] == true).count(), 1);
    let findings: BTreeSet<&str> =
        truth["procedural"].as_array().unwrap().iter().map(|p| p["rule"].as_str().unwrap()).collect();
    assert_eq!(findings, BTreeSet::from(["P01", "P02", "P03", "P04"]));
    let schemes: BTreeSet<&str> =
        truth["schemes"].as_array().unwrap().iter().map(|s| s["scheme"].as_str().unwrap()).collect();
    for scheme in Scheme::ALL {
        assert!(schemes.contains(scheme.name()), "no planted scheme {}", scheme.name());
    }
    let findings: BTreeSet<&str> =
        truth["decisions"].as_array().unwrap().iter().map(|d| d["finding"].as_str().unwrap()).collect();
    assert_eq!(findings, BTreeSet::from(["cleared", "fraud_confirmed", "violation"]));
    let kinds: BTreeSet<&str> =
        truth["sanctions"].as_array().unwrap().iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, BTreeSet::from(["ban", "disqualified"]));
    assert_eq!(truth["minimum_wage"]["历下区"], "2200.00");
    assert_eq!(truth["minimum_wage"]["商河县"], "2010.00");
    assert_eq!(truth["profiles"].as_array().unwrap().len(), 60);
    let rejected: u64 = truth["rejects"].as_array().unwrap().iter().map(|r| r["count"].as_u64().unwrap()).sum();
    assert_eq!(rejected, 8);
}

#[test]
fn claims_add_up_except_planted_p04() {
    let (claims, lines) = (table("claims"), table("claim_lines"));
    let mut sums: BTreeMap<String, (i64, i32)> = BTreeMap::new();
    for (claim, amount) in texts(&lines, "claim_id").into_iter().zip(fen(&lines, "amount")) {
        let entry = sums.entry(claim.unwrap()).or_default();
        entry.0 += amount.unwrap();
        entry.1 += 1;
    }
    let mut off = BTreeSet::new();
    let ids = texts(&claims, "claim_id");
    for ((id, amount), headcount) in ids.iter().zip(fen(&claims, "amount")).zip(int32s(&claims, "headcount")) {
        let id = id.clone().unwrap();
        if sums.get(&id) != Some(&(amount.unwrap(), headcount.unwrap())) {
            off.insert(id);
        }
    }
    let truth = truth();
    let planted: BTreeSet<String> = truth["procedural"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["rule"] == "P04")
        .map(|p| p["entity_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(off, planted);
    assert_eq!(ids.len(), ids.iter().collect::<BTreeSet<_>>().len(), "claim ids are unique");
}

#[test]
fn id_numbers_check_except_planted_r03() {
    let enrollments = table("enrollments");
    let invalid: BTreeSet<String> = texts(&enrollments, "enrollment_id")
        .into_iter()
        .zip(texts(&enrollments, "person_id"))
        .filter(|(_, person)| person_facts(&normalise_id(person.as_deref().unwrap())).form != IdForm::RawValid)
        .map(|(enrollment, _)| enrollment.unwrap())
        .collect();
    let truth = truth();
    let planted: BTreeSet<String> = truth_lines(&truth)
        .into_iter()
        .filter(|(_, rules)| rules.iter().any(|r| r == "R03"))
        .map(|(key, _)| key.split_once('/').unwrap().1.to_string())
        .collect();
    assert_eq!(invalid, planted);
    assert!(invalid.len() >= 4);
    // Some honest numbers end in a lower-case x that normalisation must turn into X.
    assert!(texts(&enrollments, "person_id").iter().any(|p| p.as_deref().unwrap().ends_with('x')));
}

#[test]
fn nobody_is_trained_twice_except_planted_r01() {
    let (claims, lines, enrollments, classes) =
        (table("claims"), table("claim_lines"), table("enrollments"), table("classes"));
    let class_key: BTreeMap<String, (String, i32)> = texts(&classes, "class_id")
        .into_iter()
        .zip(texts(&classes, "occupation_code").into_iter().zip(int32s(&classes, "level")))
        .map(|(c, (o, l))| (c.unwrap(), (o.unwrap(), l.unwrap())))
        .collect();
    let person_key: BTreeMap<String, (String, (String, i32))> = texts(&enrollments, "enrollment_id")
        .into_iter()
        .zip(texts(&enrollments, "person_id").into_iter().zip(texts(&enrollments, "class_id")))
        .map(|(e, (p, c))| (e.unwrap(), (normalise_id(&p.unwrap()), class_key[&c.unwrap()].clone())))
        .collect();
    let claim_facts: BTreeMap<String, (i32, String, String)> = texts(&claims, "claim_id")
        .into_iter()
        .zip(
            days(&claims, "submitted_on")
                .into_iter()
                .zip(texts(&claims, "claim_type").into_iter().zip(texts(&claims, "status"))),
        )
        .map(|(id, (day, (kind, status)))| (id.unwrap(), (day.unwrap(), kind.unwrap(), status.unwrap())))
        .collect();
    let mut training: Vec<(i32, String, String)> = texts(&lines, "claim_id")
        .into_iter()
        .zip(texts(&lines, "enrollment_id"))
        .map(|(c, e)| (c.unwrap(), e.unwrap()))
        .filter(|(c, _)| claim_facts[c].1 == "training")
        .map(|(c, e)| (claim_facts[&c].0, c, e))
        .collect();
    training.sort();
    let truth = truth();
    let planted = truth_lines(&truth);
    let mut seen = BTreeSet::new();
    let mut duplicates = 0;
    for (_, claim, enrollment) in training {
        let Some(key) = person_key.get(&enrollment) else { continue };
        let is_r01 =
            planted.get(&format!("{claim}/{enrollment}")).is_some_and(|rules| rules.iter().any(|r| r == "R01"));
        let repeated = seen.contains(key);
        assert_eq!(repeated, is_r01, "line {claim}/{enrollment}: repeated = {repeated}, planted R01 = {is_r01}");
        duplicates += usize::from(repeated);
        if claim_facts[&claim].2 != "rejected" && !repeated {
            seen.insert(key.clone());
        }
    }
    assert!(duplicates >= 6);
}

#[test]
fn attendance_is_honest_except_planted_r06() {
    let world = default_world();
    let mut exact = 0;
    for (index, enrollment) in world.enrollments.iter().enumerate() {
        let claimed = world.lines.iter().any(|l| {
            l.enrollment == EnrollmentRef::Known(index as u32)
                && world.claims[l.claim as usize].kind == ClaimKind::Training
        });
        if !claimed || enrollment.flags & REJECTED_ON_READ != 0 {
            continue;
        }
        let class = &world.classes[enrollment.class as usize];
        let seconds = counted_seconds(class, &sign_ins(world, index as u32));
        let threshold = 4 * 3600 * class.planned_hours as i64;
        if enrollment.marks & R06 != 0 {
            assert!(5 * seconds < threshold, "planted R06 {index} attends {seconds}s");
        } else {
            assert!(5 * seconds >= threshold, "enrollment {index} attends {seconds}s of {}h", class.planned_hours);
            exact += usize::from(5 * seconds == threshold);
            if enrollment.plan == AttendancePlan::Full {
                assert!(10 * seconds >= 9 * 3600 * class.planned_hours as i64, "honest {index} under 90%");
            }
        }
    }
    assert_eq!(exact, 1, "one planted control attends exactly 80%");
}

#[test]
fn nobody_is_in_two_places_except_planted_p03() {
    let world = default_world();
    let mut by_person: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (index, e) in world.enrollments.iter().enumerate() {
        by_person.entry(e.person).or_default().push(index as u32);
    }
    let planted: BTreeSet<(u32, u32)> = world
        .procedural
        .iter()
        .filter_map(|p| match p.entity {
            ProceduralEntity::Pair(a, b) => Some((a, b)),
            _ => None,
        })
        .collect();
    let mut found = BTreeSet::new();
    for enrollments in by_person.values().filter(|e| e.len() > 1) {
        for (i, &a) in enrollments.iter().enumerate() {
            for &b in &enrollments[i + 1..] {
                if world.class_of(a).institution == world.class_of(b).institution {
                    continue;
                }
                let (rows_a, rows_b) = (sign_ins(world, a), sign_ins(world, b));
                let close =
                    rows_a.iter().any(|x| rows_b.iter().any(|y| (x.check_in - y.check_in).num_seconds().abs() < 3600));
                if close {
                    found.insert((a.min(b), a.max(b)));
                }
            }
        }
    }
    assert_eq!(found, planted);
    assert_eq!(planted.len(), 3);
}

#[test]
fn ages_are_in_range_except_planted_r04() {
    let world = default_world();
    for (index, e) in world.enrollments.iter().enumerate() {
        let facts = person_facts(&world.persons[e.person as usize].id);
        let Some(birth) = facts.birth_date.filter(|_| facts.form == IdForm::RawValid) else { continue };
        let age = age_on(birth, e.enrolled_on);
        let planted = e.marks & R04 != 0;
        assert_eq!(!(16..=60).contains(&age), planted, "enrollment {index} aged {age}");
    }
}

#[test]
fn enrollments_fit_their_classes_except_planted_p02() {
    let world = default_world();
    let planted: BTreeSet<u32> = world
        .procedural
        .iter()
        .filter_map(|p| match p.entity {
            ProceduralEntity::Class(c) => Some(c),
            _ => None,
        })
        .collect();
    for (index, class) in world.classes.iter().enumerate() {
        let read =
            class.enrollments.iter().filter(|&&e| world.enrollments[e as usize].flags & REJECTED_ON_READ == 0).count();
        assert_eq!(read > class.capacity as usize, planted.contains(&(index as u32)), "class {index}");
        assert!(class.start >= world.institutions[class.institution as usize].licensed_on || class.before_licence);
    }
}

#[test]
fn rejected_rows_are_in_the_files() {
    let folder = default_export().0.join("attendance");
    let mut keys = BTreeMap::new();
    let mut backwards = 0;
    for month in std::fs::read_dir(&folder).unwrap() {
        let frame = read(&month.unwrap().path().join("part-0.parquet"));
        let ins: Vec<Option<i64>> =
            frame.column("check_in").unwrap().as_materialized_series().datetime().unwrap().physical().iter().collect();
        let outs: Vec<Option<i64>> =
            frame.column("check_out").unwrap().as_materialized_series().datetime().unwrap().physical().iter().collect();
        for ((enrollment, check_in), check_out) in texts(&frame, "enrollment_id").into_iter().zip(ins).zip(outs) {
            *keys.entry((enrollment.unwrap(), check_in.unwrap())).or_insert(0) += 1;
            backwards += usize::from(check_out.is_some_and(|out| out < check_in.unwrap()));
        }
    }
    let duplicated: usize = keys.values().filter(|&&n| n > 1).sum();
    assert_eq!((duplicated, backwards), (4, 1));
    let groups = texts(&table("enrollments"), "group");
    assert_eq!(groups.iter().filter(|g| g.as_deref() == Some("retiree")).count(), 1);
}

#[test]
fn other_ranges_and_sizes_generate() {
    // The smallest accepted world, over four quarters ending earlier in the year.
    let options =
        SampleOptions { institutions: 40, seed: 3, from: "2025Q2".parse().unwrap(), to: "2026Q1".parse().unwrap(), intensity_percent: None, stop_banned: false };
    let world = build(&options).expect("a small world builds");
    let (mut rules, mut findings) = (0u16, BTreeSet::new());
    for line in 0..world.lines.len() as u32 {
        rules |= super::truth::line_rules(&world, line).0;
    }
    for p in &world.procedural {
        findings.insert(p.rule);
    }
    assert_eq!(rule_ids(rules).len(), 12, "{:?}", rule_ids(rules));
    assert_eq!(findings.len(), 4);
    assert!(build(&SampleOptions { institutions: 39, ..options }).is_err());
    assert!(build(&SampleOptions { to: "2025Q4".parse().unwrap(), ..options }).is_err());
}

#[test]
fn an_intensity_plants_each_scheme_in_that_share() {
    let options = SampleOptions { intensity_percent: Some(15), ..SampleOptions::default() };
    let world = build(&options).expect("a graded world builds");
    let scheme_of = |class: &super::model::Class| world.institutions[class.institution as usize].scheme;
    let classes_with = |scheme: Scheme| world.classes.iter().filter(|c| scheme_of(c) == Some(scheme)).collect::<Vec<_>>();
    // Hand-written sign-ins at exactly the intensity, on every class of the institution.
    assert!(classes_with(Scheme::ManualSignIns).iter().all(|c| c.manual_percent == 15));
    // Class-level schemes on part of the classes only: some, not all.
    for (scheme, involved) in [
        (Scheme::SynchronizedSignIns, &(|c: &super::model::Class| c.synchronized) as &dyn Fn(&super::model::Class) -> bool),
        (Scheme::Benford, &|c: &super::model::Class| c.split_claims),
        (Scheme::AssessorCollusion, &|c: &super::model::Class| c.assessor == 0),
    ] {
        let classes = classes_with(scheme);
        let hit = classes.iter().filter(|c| involved(c)).count();
        assert!(hit > 0 && hit < classes.len(), "{scheme:?}: {hit} of {}", classes.len());
    }
    let truth = serde_json::to_value(super::truth::assemble(&world)).unwrap();
    assert_eq!(truth["intensity_percent"], 15);
    assert!(truth["schemes"].as_array().unwrap().iter().any(|s| s["note"].as_str().unwrap().starts_with("planted at 15% intensity")));
    // Three ordinary institutions recycle trainees: the same persons in classes of the others.
    let recycled: Vec<u32> = world.schemes.iter().filter(|s| s.scheme == Scheme::RecycledTrainees).map(|s| s.institution).collect();
    assert_eq!(recycled.len(), 3);
    let persons_of = |institution: u32| -> BTreeSet<u32> {
        world.enrollments.iter().filter(|e| world.classes[e.class as usize].institution == institution).map(|e| e.person).collect()
    };
    let shared = persons_of(recycled[0]).intersection(&persons_of(recycled[1]).union(&persons_of(recycled[2])).copied().collect()).count();
    assert!(shared >= 8, "{shared} trainees recycled");
    assert!(default_world().schemes.iter().all(|s| s.scheme != Scheme::RecycledTrainees), "the catalogue sample has none");
    assert!(build(&SampleOptions { intensity_percent: Some(0), ..options }).is_err());
    assert!(build(&SampleOptions { intensity_percent: Some(101), ..options }).is_err());
    // The committed sample has no intensity and says none.
    assert!(default_world().options.intensity_percent.is_none());
}

/// Scale probe, run by hand: `cargo test --release --lib sample::tests::scale -- --ignored --nocapture`.
#[test]
#[ignore]
fn scale() {
    let institutions: usize = std::env::var("SAMPLE_INSTITUTIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(600);
    let folder = temp_folder("scale");
    let started = std::time::Instant::now();
    let seed = std::env::var("SAMPLE_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(SampleOptions::default().seed);
    let summary = generate(&SampleOptions { institutions, seed, ..SampleOptions::default() }, &folder).unwrap();
    let bytes: usize = files(&folder).values().map(Vec::len).sum();
    eprintln!(
        "{institutions} institutions in {:.2?}, {bytes} bytes in {}: {summary:?}",
        started.elapsed(),
        folder.display()
    );
    if std::env::var_os("SAMPLE_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&folder);
    }
}

#[test]
fn camouflaged_schemes_are_planted_in_exact_counts() {
    let options = SampleOptions { intensity_percent: Some(15), ..SampleOptions::default() };
    let world = build(&options).expect("a graded world builds");
    let plan = &world.camouflage;
    let host_of = |scheme: Scheme| {
        let hosts: Vec<u32> = world.schemes.iter().filter(|s| s.scheme == scheme).map(|s| s.institution).collect();
        assert_eq!(hosts.len(), 1, "{scheme:?}: one host");
        assert_eq!(world.institutions[hosts[0] as usize].scheme, Some(scheme));
        hosts[0]
    };
    let world = &world;
    let classes_of = |host: u32| (0..world.classes.len() as u32).filter(move |&c| world.classes[c as usize].institution == host).collect::<Vec<u32>>();
    let ceil_share = |n: usize| (n * 15).div_ceil(100);

    // Typed-in sign-ins: per in-person session, ⌈15% of the class⌉ manual rows at one minute,
    // the session's scheduled hours long, from the manual register.
    let typed_in = host_of(Scheme::TypedInSignIns);
    let (mut forged, mut sessions_seen) = (0usize, 0usize);
    for class in classes_of(typed_in) {
        let c = &world.classes[class as usize];
        let rows: Vec<_> = c.enrollments.iter().flat_map(|&e| sign_ins(world, e).into_iter().map(move |r| (e, r))).collect();
        let mut forged_by_enrollment: BTreeMap<u32, usize> = BTreeMap::new();
        for session in (0..c.sessions).filter(|&s| !c.session_online(s) && c.session_date(s) <= world.last_day) {
            sessions_seen += 1;
            let mut minutes: BTreeMap<chrono::NaiveDateTime, Vec<u32>> = BTreeMap::new();
            for (e, row) in rows.iter().filter(|(_, r)| r.method == Method::Manual && r.check_in.date() == c.session_date(session)) {
                assert!(row.device.ends_with("-M00"), "{}", row.device);
                minutes.entry(row.check_in).or_default().push(*e);
            }
            let (at, at_minute) = minutes.iter().max_by_key(|(_, list)| list.len()).expect("a typed-in minute every session");
            // An honest hand-written sign-in may fall in the same minute: the forged ones are
            // those of the trainees whose turn it is.
            let typed: Vec<u32> = at_minute
                .iter()
                .copied()
                .filter(|&e| super::camouflage::TypedIn::of(world, e).is_some_and(|t| t.forged(world, session)))
                .collect();
            assert!(at_minute.len() <= typed.len() + 1, "class {class} session {session}: {at_minute:?}");
            assert_eq!(typed.len(), ceil_share(c.enrollments.len()), "class {class} session {session}");
            let row = &rows.iter().find(|(e, r)| *e == typed[0] && r.check_in == *at).unwrap().1;
            assert_eq!(row.check_out.unwrap() - row.check_in, chrono::Duration::hours(c.session_hours as i64));
            forged += typed.len();
            for e in &typed {
                *forged_by_enrollment.entry(*e).or_default() += 1;
            }
        }
        // The forged block goes round the class: nobody is typed in at every session.
        let in_person = (0..c.sessions).filter(|&s| !c.session_online(s) && c.session_date(s) <= world.last_day).count();
        if in_person > 1 {
            assert!(forged_by_enrollment.values().all(|&n| n < in_person), "class {class}");
        }
    }
    assert_eq!((forged, sessions_seen), (super::camouflage::typed_in_count(world).1, 159));
    assert_eq!(forged, 820);

    // Spread jobs: ⌈15% of the employed⌉ 1–2-month jobs from the month after the class, at the
    // five employers three at a time; the persons' months there say the same.
    let spread = host_of(Scheme::SpreadJobs);
    assert_eq!(plan.spread, Some(spread));
    assert_eq!(plan.spread_jobs.len(), (plan.employed as usize * 15).div_ceil(100));
    assert_eq!((plan.spread_jobs.len(), plan.employed), (17, 113));
    let mut per_employer: BTreeMap<u32, usize> = BTreeMap::new();
    for &(enrollment, employer) in &plan.spread_jobs {
        let e = &world.enrollments[enrollment as usize];
        assert_eq!(world.classes[e.class as usize].institution, spread);
        let months: Vec<chrono::NaiveDate> =
            world.employment.iter().filter(|m| m.person == e.person && m.employer == employer).map(|m| m.month).collect();
        let first = month_start_after(world.class_of(enrollment).end(), 1);
        if world.persons[e.person as usize].enrollments == 1 {
            assert!((1..=2).contains(&months.len()), "{months:?}");
            assert_eq!(months[0], first);
        } else {
            // A returning trainee may have worked there after another class too.
            assert!(months.contains(&first), "{months:?}");
        }
        *per_employer.entry(employer).or_default() += 1;
    }
    assert_eq!(per_employer.len(), 5);
    assert!(per_employer.values().all(|&n| n >= 3), "{per_employer:?}");

    // Ghost trainees: ⌈15% of each class⌉, distinct phones, allowance accounts shared by four or
    // more, every in-person sign-in by hand, no exam, no survey; claimed when the class ended.
    let ghosts = host_of(Scheme::GhostTrainees);
    let expected: usize = classes_of(ghosts).into_iter().map(|c| ceil_share(world.classes[c as usize].enrollments.len())).sum();
    assert_eq!(plan.ghost_enrollments.len(), expected);
    assert_eq!(expected, 72);
    let phones: BTreeSet<u64> = plan.ghost_enrollments.iter().map(|&e| world.enrollments[e as usize].phone).collect();
    assert_eq!(phones.len(), plan.ghost_enrollments.len(), "distinct phones");
    let mut accounts: BTreeMap<u64, usize> = BTreeMap::new();
    for &g in &plan.ghost_enrollments {
        let e = &world.enrollments[g as usize];
        *accounts.entry(e.payout_account.expect("an allowance account")).or_default() += 1;
        assert!(e.group.allowance_eligible() && e.flags & GHOST != 0);
        assert!(world.assessments.iter().all(|a| a.enrollment != Some(g)), "no exam");
        assert!(world.surveys.iter().all(|s| s.enrollment != EnrollmentRef::Known(g)), "no survey");
        let class = world.class_of(g);
        assert_eq!(e.completed, class.end() <= world.last_day);
        assert!(sign_ins(world, g).iter().all(|r| r.method == Method::Manual || r.method == Method::Online));
    }
    assert_eq!(accounts.len(), plan.ghost_accounts);
    assert_eq!(accounts.len(), 18);
    assert!(accounts.values().all(|&n| n >= 4), "{accounts:?}");
    let claimed = plan.ghost_enrollments.iter().filter(|&&g| {
        world.lines.iter().any(|l| l.enrollment == EnrollmentRef::Known(g) && world.claims[l.claim as usize].kind == ClaimKind::LivingAllowance)
    });
    assert!(claimed.count() > 0, "ghosts draw living allowances");

    // The truth file says what was planted; the catalogue sample has none of it.
    let truth = serde_json::to_value(super::truth::assemble(&world)).unwrap();
    for (scheme, words) in [("typed_in_sign_ins", "(820 forged sign-ins)"), ("spread_jobs", "17 of its 113 trainees"), ("ghost_trainees", "72 ghost trainees")] {
        let row = truth["schemes"].as_array().unwrap().iter().find(|s| s["scheme"] == scheme).expect(scheme);
        assert!(row["note"].as_str().unwrap().contains(words), "{row}");
    }
    let camouflaged = [Scheme::TypedInSignIns, Scheme::SpreadJobs, Scheme::GhostTrainees];
    assert!(default_world().schemes.iter().all(|s| !camouflaged.contains(&s.scheme)));
    assert!(default_world().institutions.iter().all(|i| !i.scheme.is_some_and(|s| camouflaged.contains(&s))));
    // Same seed, same plants.
    let again = build(&options).unwrap();
    assert_eq!(again.camouflage.spread_jobs, plan.spread_jobs);
    assert_eq!(again.camouflage.ghost_enrollments, plan.ghost_enrollments);
}
