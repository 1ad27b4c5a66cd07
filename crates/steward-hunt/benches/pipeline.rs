//! The detection pipeline alone (events already mapped): the built-in
//! Sigma pack and every native detector over a generated platform's
//! gateway and issuance events, in time order. Separates detection cost
//! from reading and mapping (which `bench/hunt-e2e.sh` includes). Building
//! the pipeline (loading the rule pack) is inside the timed part: about a
//! millisecond against a run of a few hundred.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use steward_hunt::Setup;
use steward_logs::{MergeOptions, merge_sources};
use steward_model::event::AccessEvent;

/// Builds the pipeline and feeds it every event; returns the alert changes.
fn run(setup: &Setup, events: &[(AccessEvent, usize)]) -> usize {
    let mut p = setup.build().unwrap().pipeline;
    let mut out = Vec::new();
    let mut n = 0;
    for (e, s) in events {
        p.process(e, *s, &mut out);
        n += out.len();
        out.clear();
    }
    p.finish(&mut out);
    n + out.len()
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = steward_synth::Config {
        customers: 20_000,
        days: 7,
        ..steward_synth::Config::default()
    };
    steward_synth::generate(&cfg, dir.path(), &steward_synth::NoProgress).unwrap();
    let setup = Setup::platform(dir.path());
    let sources = setup.inputs.iter().map(|i| i.open().unwrap()).collect();
    let mut merged = merge_sources(sources, MergeOptions::default());
    let mut events = Vec::new();
    while let Some(r) = merged.next() {
        events.push((r.unwrap(), merged.last_source()));
    }
    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Elements(events.len() as u64));
    g.sample_size(10);
    let mut detectors_only = setup.clone();
    detectors_only.no_builtin_rules = true;
    g.bench_function("pack+detectors", |b| b.iter(|| run(&setup, &events)));
    g.bench_function("detectors only", |b| {
        b.iter(|| run(&detectors_only, &events));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
