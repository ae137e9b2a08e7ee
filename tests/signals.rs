//! Risk signals end to end: on exports from `sample` (several seeds and sizes), every planted
//! scheme ranks at the top of the leads and institutions with nothing planted are rare there;
//! hand-made exports where a signal must fire and where it must not; the learned model on
//! decided cases; same inputs → identical tables.

use crate::util::*;
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use traincredit::features::indicators::IndicatorTable;
use traincredit::ingest::contract::{Logical, Table};
use traincredit::ingest::{self, Export};
use traincredit::person::Pseudonymiser;
use traincredit::policy::Policy;
use traincredit::rating::score::LeadStanding;
use traincredit::rules::{self, Findings};
use traincredit::sample::{self, SampleOptions};
use traincredit::signals::{self, Leads, SignalsConfig, SignalsInput};
use traincredit::vocab::Lang;
use traincredit::Quarter;

/// A text column rendered again from its codes, in `lang` (the tables hold Chinese by default).
fn rendered(frame: &DataFrame, column: &str, lang: Lang) -> Vec<String> {
    texts(&traincredit::report::texts::render(frame.clone(), column, lang).unwrap(), column)
}

fn read(dir: &Path) -> Export {
    ingest::ingest(dir, &Pseudonymiser::new(Pseudonymiser::DEMO_KEY.as_bytes())).unwrap()
}

fn findings(export: &Export, policy: &Policy, quarter: Quarter) -> Findings {
    rules::evaluate(export, policy, quarter, &Default::default()).unwrap()
}

/// The signal stage on `export` for `quarter`, with the shipped policy and `config`.
fn detect_with(export: &Export, quarter: Quarter, config: &SignalsConfig) -> Leads {
    detect_full(export, quarter, config, &BTreeMap::new())
}

/// The signal stage with the previous ledger's resolutions as labels.
fn detect_labelled(export: &Export, quarter: Quarter, labels: &BTreeMap<String, bool>) -> Leads {
    detect_full(export, quarter, &SignalsConfig::defaults(), labels)
}

fn detect_full(export: &Export, quarter: Quarter, config: &SignalsConfig, case_labels: &BTreeMap<String, bool>) -> Leads {
    let policy = Policy::defaults().unwrap();
    let findings = findings(export, &policy, quarter);
    let indicators = IndicatorTable::compute(export, &policy, quarter, &findings.lines_in_scope).unwrap();
    signals::detect(&SignalsInput { export, findings: &findings, indicators: &indicators, policy: &policy, config, quarter, case_labels }).unwrap()
}

fn detect(export: &Export, quarter: Quarter) -> Leads {
    detect_with(export, quarter, &SignalsConfig::defaults())
}

fn truth(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap()
}

/// institution → planted scheme names.
fn schemes(truth: &serde_json::Value) -> BTreeMap<String, Vec<String>> {
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for scheme in truth["schemes"].as_array().unwrap() {
        found.entry(scheme["institution_id"].as_str().unwrap().to_string()).or_default().push(scheme["scheme"].as_str().unwrap().to_string());
    }
    found
}

/// Institutions with anything planted: schemes, breach lines, procedural findings, decisions,
/// sanctions. The rest are honest.
fn planted(truth: &serde_json::Value) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for key in ["schemes", "lines", "procedural", "decisions", "sanctions"] {
        for row in truth[key].as_array().unwrap() {
            ids.insert(row["institution_id"].as_str().unwrap().to_string());
        }
    }
    ids
}

/// The signal meant to find a planted scheme.
fn expected_signal(scheme: &str) -> &str {
    match scheme {
        "assessor_collusion" => "assessor_pass_rate",
        "ring" => "shared_contacts",
        other => other,
    }
}

/// Checks the leads of one sample export: every planted scheme institution ranks within the
/// top (one place per scheme institution plus a margin of 10% of the institutions, at least 5)
/// and is named by its signal; institutions with nothing planted are rare there. Prints recall.
fn check_sample(seed: u64, institutions: usize) {
    let dir = temp_dir();
    let options = SampleOptions { seed, institutions, ..SampleOptions::default() };
    sample::generate(&options, dir.path()).unwrap();
    let truth = truth(dir.path());
    let export = read(dir.path());
    let leads = detect(&export, options.to);

    let ranked = texts(&leads.leads, "institution_id");
    let signals_of = texts(&leads.leads, "signals");
    let schemes = schemes(&truth);
    let planted = planted(&truth);
    // The top: one place per planted scheme institution, plus a margin of 10% of the
    // institutions (at least 5) for whatever else deserves a visit.
    let margin = (institutions as f64 * 0.10).ceil().max(5.0) as usize;
    let top = schemes.len() + margin;
    let rank_of: BTreeMap<&str, usize> = ranked.iter().enumerate().map(|(i, id)| (id.as_str(), i + 1)).collect();
    let mut missed = Vec::new();
    for (id, names) in &schemes {
        match rank_of.get(id.as_str()) {
            Some(&rank) if rank <= top => {}
            Some(&rank) => missed.push(format!("{id} ({}) ranked {rank}", names.join(", "))),
            None => missed.push(format!("{id} ({}) is no lead", names.join(", "))),
        }
    }
    let within = |n: usize| ranked.iter().take(n).filter(|id| schemes.contains_key(*id)).count();
    let honest_in_top: Vec<String> =
        ranked.iter().zip(&signals_of).take(top).filter(|(id, _)| !planted.contains(*id)).map(|(id, s)| format!("{id} [{s}]")).collect();
    println!(
        "signals: seed {seed}, {institutions} institutions: {} planted scheme institutions; recall in the top {} = {}/{} ({:.0}%), in the top {top} = {}/{}; \
         honest institutions in the top {top}: {} {honest_in_top:?}; leads {}",
        schemes.len(),
        schemes.len(),
        within(schemes.len()),
        schemes.len(),
        100.0 * within(schemes.len()) as f64 / schemes.len() as f64,
        within(top),
        schemes.len(),
        honest_in_top.len(),
        ranked.len()
    );
    assert!(missed.is_empty(), "seed {seed}: planted schemes outside the top {top}: {missed:?}\nleads: {ranked:?}");
    assert!(honest_in_top.len() <= margin / 2, "seed {seed}: too many honest institutions in the top {top}: {honest_in_top:?}");
    // Every scheme is named by the signal meant to find it.
    for (id, names) in &schemes {
        let fired = &signals_of[rank_of[id.as_str()] - 1];
        for name in names {
            assert!(fired.contains(expected_signal(name)), "seed {seed}: {id} planted {name} but fired [{fired}]");
        }
    }
}

#[test]
fn planted_schemes_rank_at_the_top_of_the_leads_on_several_seeds() {
    for seed in [SampleOptions::default().seed, 1, 2] {
        check_sample(seed, 60);
    }
}

#[test]
fn planted_schemes_rank_at_the_top_of_the_leads_on_a_larger_sample() {
    check_sample(3, 150);
}

#[test]
fn the_tables_have_their_contract_shape_and_order() {
    let dir = temp_dir();
    let options = SampleOptions::default();
    sample::generate(&options, dir.path()).unwrap();
    let export = read(dir.path());
    let leads = detect(&export, options.to);
    let policy = Policy::defaults().unwrap();

    let schema = |frame: &DataFrame| frame.schema().iter().map(|(n, t)| format!("{n}: {t}")).collect::<Vec<_>>();
    assert_eq!(
        schema(&leads.signal_flags),
        ["flag_id: str", "kind: str", "rule: str", "severity: str", "institution_id: str", "entity_kind: str", "entity_id: str", "amount_fen: i64", "evidence: str", "overturned: bool", "evidence_code: str", "evidence_args: list[str]"]
    );
    let lead_columns = schema(&leads.leads);
    for wanted in ["rank: u32", "institution_id: str", "risk_score: f64", "high_priority: bool", "signals: str", "evidence: str", "evidence_code: str", "evidence_args: list[str]"] {
        assert!(lead_columns.contains(&wanted.to_string()), "{lead_columns:?}");
    }
    let value_columns = schema(&leads.signal_values);
    for wanted in ["institution_id: str", "signal: str", "value: f64", "peer_value: f64", "threshold: f64", "fired: bool", "rows: i64", "evidence: str", "unit: str"] {
        assert!(value_columns.contains(&wanted.to_string()), "{value_columns:?}");
    }
    assert_eq!(schema(&leads.benford_digits), ["institution_id: str", "digit: i64", "observed: i64", "expected_share: f64"]);

    // In Chinese (the default) the evidence holds no English word: what is in Latin letters is an
    // id (a signal, an indicator, a column, a pseudonym), a unit or a name the catalogue allows.
    let english = |text: &str| -> Vec<String> {
        text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| w.len() > 2 && w.chars().any(|c| c.is_ascii_lowercase()))
            .filter(|w| !traincredit::vocab::messages::looks_like_id(w) && traincredit::vocab::IndicatorId::parse(w).is_none())
            .map(str::to_string)
            .collect()
    };
    let texts_of = [
        (&leads.leads, "evidence"),
        (&leads.leads, "related_leads"),
        (&leads.leads, "contributions"),
        (&leads.signal_flags, "evidence"),
        (&leads.signal_values, "evidence"),
        (&leads.signal_values, "peers"),
    ];
    let mut shown = 0;
    for (frame, column) in texts_of {
        for text in texts(frame, column) {
            assert!(english(&text).is_empty(), "{column}: {:?} in {text}", english(&text));
            shown += 1;
        }
    }
    assert!(texts(&leads.leads, "evidence").iter().any(|e| e.contains("同类中位数")), "the sample has leads compared with their peers");
    assert!(shown > 100, "{shown}");

    // Ranks 1…n by falling risk, ties by falling risk evidence (which keeps growing where the
    // score rounds to 1), then institution id; high priority exactly from the cut-off.
    let ranks = texts(&leads.leads, "rank");
    assert_eq!(ranks, (1..=ranks.len()).map(|r| r.to_string()).collect::<Vec<_>>());
    let ids = texts(&leads.leads, "institution_id");
    let risk: Vec<f64> = texts(&leads.leads, "risk_score").iter().map(|r| r.parse().unwrap()).collect();
    let evidence: Vec<f64> = texts(&leads.leads, "risk_evidence").iter().map(|r| r.parse().unwrap()).collect();
    for i in 1..risk.len() {
        let key = |j: usize| (std::cmp::Reverse(risk[j].to_bits()), std::cmp::Reverse(evidence[j].to_bits()), ids[j].clone());
        assert!(key(i - 1) < key(i), "rank {i}: {} {} {} / {} {} {}", ids[i - 1], risk[i - 1], evidence[i - 1], ids[i], risk[i], evidence[i]);
        // The score is the evidence's: 1 − exp(−evidence), to the 6 decimals written.
        assert!((risk[i] - (1.0 - (-evidence[i]).exp())).abs() < 2e-6, "{} {} {}", ids[i], risk[i], evidence[i]);
    }
    // Every lead lists every computed signal's contribution.
    // Two lists: statistical leads, and leads whose only evidence is their own breaches (no
    // signal fired or graded above zero); each ranked 1… within its list, in the global order.
    let lists = texts(&leads.leads, "lead_list");
    let list_ranks = texts(&leads.leads, "list_rank");
    for list in ["statistical", "breaches_only"] {
        let within: Vec<String> = (0..ids.len()).filter(|&i| lists[i] == list).map(|i| list_ranks[i].clone()).collect();
        assert_eq!(within, (1..=within.len()).map(|r| r.to_string()).collect::<Vec<_>>(), "{list}");
    }
    for ((list, signals), contributions) in lists.iter().zip(texts(&leads.leads, "signals")).zip(rendered(&leads.leads, "contributions", Lang::En)) {
        // Shown to 3 decimals: a graded part that shows is statistical evidence.
        let graded = contributions.split("; ").any(|part| !part.starts_with("breaches ") && !part.contains(" 0.000 ("));
        if list == "breaches_only" {
            assert!(signals.is_empty() && !graded && contributions.contains("breaches "), "{list}: [{signals}] {contributions}");
        } else {
            assert_eq!(list, "statistical");
        }
        if !signals.is_empty() || graded {
            assert_eq!(list, "statistical", "[{signals}] {contributions}");
        }
    }
    assert!(lists.contains(&"breaches_only".to_string()), "the sample plants institutions with breaches only");
    // Related leads name leads only.
    for related in rendered(&leads.leads, "related_leads", Lang::En).iter().filter(|r| !r.is_empty()) {
        for part in related.split("; ") {
            let id = part.split(' ').next().unwrap();
            assert!(ids.iter().any(|lead| lead == id), "{related}");
        }
    }
    let valued = texts(&leads.signal_values, "institution_id");
    for (id, contributions) in ids.iter().zip(rendered(&leads.leads, "contributions", Lang::En)) {
        let computed = valued.iter().filter(|v| *v == id).count();
        assert_eq!(contributions.split("; ").filter(|part| !part.starts_with("breaches ")).count(), computed, "{id}: {contributions}");
    }
    let cutoff = policy.tiers.cutoffs.high_priority_risk_score;
    for (id, flag) in ids.iter().zip(texts(&leads.leads, "high_priority")) {
        let (score, high) = (leads.risk[id].risk_score, leads.risk[id].high_priority);
        // The rank rating sees is the leads table's.
        assert_eq!(leads.risk[id].rank, Some(ids.iter().position(|other| other == id).unwrap() as u32 + 1));
        assert_eq!(flag == "true", high);
        assert_eq!(high, score >= cutoff, "{id}");
        assert!((0.0..=1.0).contains(&score));
    }
    // Every institution has a risk for rating; every lead has evidence.
    assert_eq!(leads.risk.len(), export.frame(Table::Institutions).height());
    assert!(texts(&leads.leads, "evidence").iter().all(|e| !e.is_empty() && e != "null"));
    // Flags: one per concrete entity, unique ids, only signal kinds and no money.
    let flag_ids = texts(&leads.signal_flags, "flag_id");
    assert_eq!(flag_ids.iter().collect::<BTreeSet<_>>().len(), flag_ids.len());
    let mut sorted = flag_ids.clone();
    sorted.sort();
    assert_eq!(flag_ids, sorted);
    assert!(texts(&leads.signal_flags, "kind").iter().all(|k| k == "signal"));
    assert!(texts(&leads.signal_flags, "amount_fen").iter().all(|a| a == "0"));
    assert!(texts(&leads.signal_flags, "overturned").iter().all(|o| o == "false"));
    for (id, rule) in flag_ids.iter().zip(texts(&leads.signal_flags, "rule")) {
        assert!(id.starts_with(&format!("{rule}:")), "{id}");
        assert!(rule.parse::<traincredit::vocab::SignalId>().is_ok_and(|s| signals::SIGNALS.contains(&s)), "{rule}");
    }
    // Benford digits: nine rows per tested institution, observed counts behind the MAD.
    let digits = &leads.benford_digits;
    assert_eq!(digits.height() % 9, 0);
    assert!(digits.height() >= 9, "the benford institution is tested");
    // No raw identifier leaks: every 64-hex pseudonym in evidence is shortened to 12 characters.
    let hex64 = |text: &str| text.split(|c: char| !c.is_ascii_hexdigit()).any(|word| word.len() >= 64);
    for frame in [&leads.leads, &leads.signal_flags, &leads.signal_values] {
        assert!(texts(frame, "evidence").iter().all(|e| !hex64(e)));
    }
    assert_eq!(leads.model["method"], "fixed weights");
    assert!(leads.model["reason"].as_str().unwrap().contains("at least 3 and 3 are needed"), "{}", leads.model);
}

#[test]
fn the_same_export_gives_byte_identical_tables() {
    let dir = temp_dir();
    let options = SampleOptions { seed: 5, ..SampleOptions::default() };
    sample::generate(&options, dir.path()).unwrap();
    let out = temp_dir();
    let mut bytes = Vec::new();
    for run in 0..2 {
        let export = read(dir.path());
        let mut leads = detect(&export, options.to);
        let mut files = Vec::new();
        for (name, frame) in [
            ("leads", &mut leads.leads),
            ("flags", &mut leads.signal_flags),
            ("values", &mut leads.signal_values),
            ("digits", &mut leads.benford_digits),
        ] {
            let path = out.path().join(format!("{name}-{run}.parquet"));
            write_parquet(frame, &path);
            files.push(std::fs::read(&path).unwrap());
        }
        files.push(serde_json::to_vec(&leads.model).unwrap());
        let mut risk: Vec<_> = leads.risk.into_iter().collect();
        risk.sort_by(|a, b| a.0.cmp(&b.0));
        files.push(format!("{risk:?}").into_bytes());
        bytes.push(files);
    }
    assert!(bytes[0] == bytes[1], "two runs differ");
}

/// Case decisions on `confirmed` (fraud_confirmed) and `cleared` institutions, dated `on`.
fn write_decisions(dir: &Path, confirmed: &[String], cleared: &[String], on: &str) {
    let mut ids = Vec::new();
    let mut findings = Vec::new();
    for (list, finding) in [(confirmed, "fraud_confirmed"), (cleared, "cleared")] {
        for id in list {
            ids.push(Some(id.clone()));
            findings.push(Some(finding.to_string()));
        }
    }
    let n = ids.len();
    let mut frame = DataFrame::new(
        n,
        vec![
            typed_column("institution_id", Logical::Text, &ids),
            typed_column("decided_on", Logical::Date, &vec![Some(on.to_string()); n]),
            typed_column("finding", Logical::Text, &findings),
            typed_column("amount_defrauded", Logical::Money, &vec![None; n]),
            typed_column("note", Logical::Text, &vec![None; n]),
        ],
    )
    .unwrap();
    write_parquet(&mut frame, &dir.join("case_decisions.parquet"));
}

#[test]
fn enough_decided_cases_fit_a_logistic_model_with_its_cross_validated_auc() {
    let dir = temp_dir();
    let options = SampleOptions::default();
    sample::generate(&options, dir.path()).unwrap();
    let truth = truth(dir.path());
    let schemes = schemes(&truth);
    let planted = planted(&truth);
    let confirmed: Vec<String> = schemes.keys().cloned().collect();
    let all: Vec<String> = texts(read(dir.path()).frame(Table::Institutions), "institution_id");
    let cleared: Vec<String> = all.iter().filter(|id| !planted.contains(*id)).take(12).cloned().collect();
    assert!(confirmed.len() >= 10 && cleared.len() >= 10);
    write_decisions(dir.path(), &confirmed, &cleared, "2026-05-15");

    let export = read(dir.path());
    let leads = detect(&export, options.to);
    let model = &leads.model;
    println!("signals: learned model {model}");
    assert!(model["method"].as_str().unwrap().starts_with("logistic regression"), "{model}");
    assert_eq!(model["decided_institutions"]["fraud_confirmed"], confirmed.len());
    assert_eq!(model["decided_institutions"]["cleared"], cleared.len());
    let auc = model["cv_auc"].as_f64().unwrap();
    assert!((0.8..=1.0).contains(&auc), "cross-validated AUC {auc}");
    assert!(model["weights"]["synchronized_sign_ins"].is_number());
    // The model's probabilities rank the confirmed above the cleared.
    let lowest_confirmed = confirmed.iter().map(|id| leads.risk[id].risk_score).fold(f64::INFINITY, f64::min);
    let highest_cleared = cleared.iter().map(|id| leads.risk[id].risk_score).fold(0.0, f64::max);
    assert!(lowest_confirmed > highest_cleared, "{lowest_confirmed} vs {highest_cleared}");
    // Switched off, the same decisions leave the fixed weights in place, and say so.
    let mut config = SignalsConfig::defaults();
    config.learning.enabled = false;
    let fixed = detect_with(&export, options.to, &config);
    assert_eq!(fixed.model["method"], "fixed weights");
    assert_eq!(fixed.model["reason"], "learning is switched off in signals.toml");
}

/// Closed cases of the investigators' ledger are labels beside the case decisions: half the
/// labels as decisions and half as resolved cases fit the same kind of model; a decision wins
/// over a case resolution of the same institution.
#[test]
fn resolved_cases_of_the_ledger_are_labels_for_the_model_beside_decisions() {
    let dir = temp_dir();
    let options = SampleOptions::default();
    sample::generate(&options, dir.path()).unwrap();
    let truth = truth(dir.path());
    let planted = planted(&truth);
    let confirmed: Vec<String> = schemes(&truth).keys().cloned().collect();
    let all: Vec<String> = texts(read(dir.path()).frame(Table::Institutions), "institution_id");
    let cleared: Vec<String> = all.iter().filter(|id| !planted.contains(*id)).take(12).cloned().collect();
    let (confirmed_decided, confirmed_cases) = confirmed.split_at(confirmed.len() / 2);
    let (cleared_decided, cleared_cases) = cleared.split_at(cleared.len() / 2);
    write_decisions(dir.path(), confirmed_decided, cleared_decided, "2026-05-15");
    let export = read(dir.path());

    let mut labels: BTreeMap<String, bool> = confirmed_cases.iter().map(|id| (id.clone(), true)).collect();
    labels.extend(cleared_cases.iter().map(|id| (id.clone(), false)));
    // A decided institution whose case an investigator closed otherwise: the decision counts.
    labels.insert(confirmed_decided[0].clone(), false);
    let leads = detect_labelled(&export, options.to, &labels);
    let model = &leads.model;
    assert_eq!(model["decided_institutions"]["fraud_confirmed"], confirmed.len(), "{model}");
    assert_eq!(model["decided_institutions"]["cleared"], cleared.len(), "{model}");
    assert!(model["method"].as_str().unwrap().starts_with("logistic regression"), "{model}");

    // Without the ledger, only the decisions count.
    let alone = detect(&export, options.to);
    assert_eq!(alone.model["decided_institutions"]["fraud_confirmed"], confirmed_decided.len());
    assert_eq!(alone.model["decided_institutions"]["cleared"], cleared_decided.len());
}

/// Seven institutions, each with one class of ten trainees signing in at ten sessions with
/// `method(institution number)`; the first `synchronized` institutions' trainees all check in
/// within the same second.
fn sign_in_fixture(synchronized: usize, method: impl Fn(usize) -> &'static str) -> Fixture {
    let mut fixture = Fixture::new();
    let mut sequence = 0;
    for i in 1..=7 {
        let institution = format!("I{i}");
        let class = format!("K{i}");
        fixture.add(Table::Institutions, &[("institution_id", &institution), ("bank_account", &format!("62220000{i:08}"))]);
        fixture.add(Table::Classes, &[("class_id", &class), ("institution_id", &institution)]);
        for t in 0..10 {
            sequence += 1;
            let enrollment = format!("E{i}-{t}");
            let person = id_number("1990-01-01", sequence);
            let phone = format!("1380000{sequence:04}");
            fixture.add(Table::Enrollments, &[("enrollment_id", &enrollment), ("class_id", &class), ("person_id", &person), ("phone", &phone)]);
            for day in 1..=10 {
                let second = if i <= synchronized { 0 } else { t * 53 + i * 7 };
                let check_in = format!("2026-07-{day:02} 08:{:02}:{:02}", second / 60, second % 60);
                let check_out = format!("2026-07-{day:02} 16:00:00");
                fixture.add(
                    Table::Attendance,
                    &[("enrollment_id", &enrollment), ("check_in", &check_in), ("check_out", &check_out), ("method", method(i)), ("device_id", &format!("D{i}"))],
                );
            }
        }
    }
    fixture
}

fn value_of(leads: &Leads, institution: &str, signal: &str) -> Option<(String, String)> {
    let ids = texts(&leads.signal_values, "institution_id");
    let names = texts(&leads.signal_values, "signal");
    let fired = texts(&leads.signal_values, "fired");
    let evidence = rendered(&leads.signal_values, "evidence", Lang::En);
    (0..ids.len()).find(|&i| ids[i] == institution && names[i] == signal).map(|i| (fired[i].clone(), evidence[i].clone()))
}

#[test]
fn a_class_checking_in_within_one_second_is_a_lead_with_its_class_flagged() {
    let dir = temp_dir();
    sign_in_fixture(1, |_| "card").write(dir.path());
    let leads = detect(&read(dir.path()), "2026Q3".parse().unwrap());
    let (fired, evidence) = value_of(&leads, "I1", "synchronized_sign_ins").unwrap();
    assert_eq!(fired, "true", "{evidence}");
    assert!(evidence.starts_with("100 of 100 machine sign-ins dated 2025Q4–2026Q3 (100.0%) fell in 10 bursts"), "{evidence}");
    assert!(evidence.contains("largest: 10 of 10 trainees of class K1 checked in at 2026-07-01 08:00:00 on device D1"), "{evidence}");
    assert_eq!(value_of(&leads, "I2", "synchronized_sign_ins").unwrap().0, "false");
    assert_eq!(texts(&leads.leads, "institution_id"), ["I1"]);
    assert_eq!(texts(&leads.leads, "signals"), ["synchronized_sign_ins"]);
    assert_eq!(texts(&leads.signal_flags, "flag_id"), ["synchronized_sign_ins:K1"]);
    assert_eq!(texts(&leads.signal_flags, "entity_kind"), ["class"]);
    // The flag's evidence: the class, then the institution against its peers, in either language.
    assert_eq!(texts(&leads.signal_flags, "evidence_code"), ["signal.entity"]);
    let zh = &texts(&leads.signal_flags, "evidence")[0];
    assert!(
        zh.starts_with("班级 K1：10 次课有 5 名及以上学员在同一秒内签到；最多一次为 10 名学员中的 10 名于 2026-07-01 08:00:00 在设备 D1 上签到；机构 I1：同秒集中签到 100.0%（同类中位数 0.0%（"),
        "{zh}"
    );
    let en = &rendered(&leads.signal_flags, "evidence", Lang::En)[0];
    assert!(
        en.starts_with("class K1: 10 sessions with 5 or more trainees checking in within the same second; largest 10 of 10 trainees at 2026-07-01 08:00:00 on device D1; institution I1: synchronized_sign_ins 100.0% (peer median 0.0% over "),
        "{en}"
    );
    let units: BTreeSet<String> = texts(&leads.signal_values, "unit").into_iter().collect();
    assert!(units.contains("share") && units.iter().all(|u| ["share", "mad", "distance", "link"].contains(&u.as_str())), "{units:?}");
}

#[test]
fn spread_sign_ins_and_hand_written_minutes_make_no_lead() {
    let dir = temp_dir();
    sign_in_fixture(0, |_| "card").write(dir.path());
    let leads = detect(&read(dir.path()), "2026Q3".parse().unwrap());
    assert_eq!(leads.leads.height(), 0, "{:?}", texts(&leads.leads, "evidence"));
    // A hand-written register of one institution writes everyone at 08:00: no burst, but a
    // manual share far above its peers', and every trainee of a class recorded in one minute
    // (bulk_sign_ins: typed in at one time, whatever the method).
    let dir = temp_dir();
    sign_in_fixture(1, |i| if i == 1 { "manual" } else { "face" }).write(dir.path());
    let leads = detect(&read(dir.path()), "2026Q3".parse().unwrap());
    assert_eq!(value_of(&leads, "I1", "synchronized_sign_ins").map(|v| v.0), None, "no machine sign-ins at I1");
    let (fired, evidence) = value_of(&leads, "I1", "manual_sign_ins").unwrap();
    assert_eq!(fired, "true", "{evidence}");
    assert!(evidence.starts_with("100 of 100 in-person sign-ins dated 2025Q4–2026Q3 (100.0%) entered by hand"), "{evidence}");
    let (fired, evidence) = value_of(&leads, "I1", "bulk_sign_ins").unwrap();
    assert_eq!(fired, "true", "{evidence}");
    assert!(evidence.starts_with("100 of 100 in-person sign-ins dated 2025Q4–2026Q3 (100.0%) fall in 10 minutes in which 5 or more trainees of one class signed in (100 of them entered by hand)"), "{evidence}");
    assert_eq!(value_of(&leads, "I2", "bulk_sign_ins").unwrap().0, "false");
    assert_eq!(texts(&leads.leads, "signals"), ["bulk_sign_ins, manual_sign_ins"]);
}

#[test]
fn a_new_institution_with_the_legal_representative_of_a_disqualified_one_is_a_high_priority_lead() {
    let rep = id_number("1970-05-05", 11);
    let other_rep = id_number("1972-03-03", 13);
    let mut fixture = Fixture::clean();
    fixture
        .add(Table::Institutions, &[("institution_id", "OLD"), ("legal_rep", rep.as_str()), ("bank_account", "6222000000000001"), ("status", "revoked")])
        .add(Table::Institutions, &[("institution_id", "NEW"), ("legal_rep", rep.as_str()), ("bank_account", "6222000000000002"), ("licensed_on", "2026-04-20")])
        .add(Table::Institutions, &[("institution_id", "SISTER"), ("legal_rep", other_rep.as_str()), ("bank_account", "6222000000000003")])
        .add(Table::Sanctions, &[("institution_id", "OLD"), ("kind", "disqualified"), ("from_quarter", "2026Q1"), ("reason", "fraud")]);
    let dir = temp_dir();
    fixture.write(dir.path());
    let leads = detect(&read(dir.path()), "2026Q3".parse().unwrap());
    assert_eq!(texts(&leads.leads, "institution_id"), ["NEW"]);
    assert_eq!(texts(&leads.leads, "signals"), ["successor"]);
    assert_eq!(texts(&leads.leads, "high_priority"), ["true"]);
    let evidence = &rendered(&leads.leads, "evidence", Lang::En)[0];
    assert!(evidence.starts_with("successor: shares its legal representative "), "{evidence}");
    let zh = &texts(&leads.leads, "evidence")[0];
    assert!(zh.starts_with("受处罚机构的承继机构：与 OLD 共用法定代表人 "), "{zh}");
    assert!(zh.ends_with("（取消资格处罚 2026Q1 起，无截止期）；2026-04-20 取得办学许可，晚于 OLD 受处罚"), "{zh}");
    assert!(evidence.contains(" with OLD (disqualified sanction 2026Q1 with no end); licensed 2026-04-20, after OLD was sanctioned"), "{evidence}");
    assert_eq!(leads.risk["NEW"], LeadStanding { risk_score: 0.95, high_priority: true, rank: Some(1) });
    assert_eq!(leads.risk["SISTER"], LeadStanding { risk_score: 0.0, high_priority: false, rank: None });
    assert_eq!(texts(&leads.signal_flags, "flag_id"), ["successor:NEW"]);
    assert_eq!(texts(&leads.signal_flags, "severity"), ["high"]);
}

/// Seven institutions with one class of 20 trainees each (the fixture's default class dates);
/// `shared` of I1's trainees are also trainees of I2.
fn recycling_fixture(shared: usize) -> Fixture {
    let mut fixture = Fixture::new();
    let mut sequence = 0;
    for i in 1..=7 {
        let institution = format!("I{i}");
        let class = format!("K{i}");
        fixture.add(Table::Institutions, &[("institution_id", &institution), ("bank_account", &format!("62220000{i:08}"))]);
        fixture.add(Table::Classes, &[("class_id", &class), ("institution_id", &institution)]);
        for t in 0..20 {
            // I2's first `shared` trainees are I1's first ones: the same persons.
            let person_sequence = if i == 2 && t < shared { 1 + t } else { sequence + 1 };
            if !(i == 2 && t < shared) {
                sequence += 1;
            }
            let person = id_number("1990-01-01", person_sequence as u32);
            let enrollment = format!("E{i}-{t}");
            let phone = format!("1390000{:04}", i * 100 + t);
            fixture.add(Table::Enrollments, &[("enrollment_id", &enrollment), ("class_id", &class), ("person_id", &person), ("phone", &phone)]);
        }
    }
    fixture
}

#[test]
fn a_pair_of_institutions_sharing_their_trainees_is_two_related_leads() {
    let dir = temp_dir();
    recycling_fixture(8).write(dir.path());
    let leads = detect(&read(dir.path()), "2026Q3".parse().unwrap());
    let (fired, evidence) = value_of(&leads, "I1", "recycled_trainees").unwrap();
    assert_eq!(fired, "true", "{evidence}");
    assert!(
        evidence.starts_with("8 of 20 trainees (40.0%) were trained both here and at another institution within 365 days, one of the two classes ending 2025Q4–2026Q3; 8 of them (40.0%) at I2 (e.g. persons "),
        "{evidence}"
    );
    assert_eq!(value_of(&leads, "I2", "recycled_trainees").unwrap().0, "true");
    assert_eq!(value_of(&leads, "I3", "recycled_trainees").unwrap().0, "false");
    let ids = texts(&leads.leads, "institution_id");
    assert_eq!(ids, ["I1", "I2"]);
    assert_eq!(texts(&leads.leads, "signals"), ["recycled_trainees", "recycled_trainees"]);
    assert_eq!(rendered(&leads.leads, "related_leads", Lang::En), ["I2 (recycled_trainees)", "I1 (recycled_trainees)"]);
    assert_eq!(texts(&leads.leads, "related_leads"), ["I2（学员在机构间循环培训）", "I1（学员在机构间循环培训）"]);
    // One fewer than min_pair_trainees (8) shared: the pair does not fire (it still grades).
    let dir = temp_dir();
    recycling_fixture(7).write(dir.path());
    let leads = detect(&read(dir.path()), "2026Q3".parse().unwrap());
    assert_eq!(value_of(&leads, "I1", "recycled_trainees").unwrap().0, "false");
    assert!(texts(&leads.leads, "signals").iter().all(|s| s.is_empty()), "{:?}", texts(&leads.leads, "signals"));
}
