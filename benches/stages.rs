//! Criterion benchmarks, one group per pipeline stage, on a generated medium export (sample with
//! `TRAINCREDIT_BENCH_INSTITUTIONS` institutions, default 300, seed 1, written once under
//! target/bench-export). Whole-command timings against DuckDB live in `benches/peer.sh`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::collections::HashMap;
use std::path::PathBuf;
use traincredit::features::indicators::IndicatorTable;
use traincredit::person::Pseudonymiser;
use traincredit::policy::Policy;
use traincredit::sample::{self, SampleOptions};
use traincredit::{ingest, rating, rules, Quarter};

fn export_dir() -> PathBuf {
    let institutions: usize = std::env::var("TRAINCREDIT_BENCH_INSTITUTIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(300);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-export-{institutions}"));
    if !dir.join("truth.json").exists() {
        sample::generate(&SampleOptions { institutions, seed: 1, ..SampleOptions::default() }, &dir).expect("generating the bench export");
    }
    dir
}

fn stages(c: &mut Criterion) {
    let dir = export_dir();
    let key = Pseudonymiser::new(Pseudonymiser::DEMO_KEY.as_bytes());
    let policy = Policy::defaults().unwrap();
    let quarter: Quarter = "2026Q3".parse().unwrap();
    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    group.bench_function("ingest", |b| b.iter(|| ingest::ingest(&dir, &key).unwrap()));
    let export = ingest::ingest(&dir, &key).unwrap();
    group.bench_function("rules", |b| b.iter(|| rules::evaluate(&export, &policy, quarter, &HashMap::new()).unwrap()));
    let findings = rules::evaluate(&export, &policy, quarter, &HashMap::new()).unwrap();
    group.bench_function("indicators", |b| b.iter(|| IndicatorTable::compute(&export, &policy, quarter, &findings.lines_in_scope).unwrap()));
    let indicators = IndicatorTable::compute(&export, &policy, quarter, &findings.lines_in_scope).unwrap();
    group.bench_function("rating", |b| {
        b.iter(|| rating::rate(&export, &policy, quarter, &findings, &indicators, &findings.standing, &HashMap::new(), &HashMap::new(), &HashMap::new()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
