//! `breadth` throughput against the number of distinct subjects.
//!
//! `breadth/{100,100000}`: 200,000 reads by one support agent within one
//! hour window, cycling over 100 and over 100,000 distinct subjects, fed to
//! a fresh detector and the window closed. The target is that 100,000
//! distinct subjects (past the exact cap of 10,000, so counted by the
//! bottom-k sketch) cost no more than twice as much as 100.
//! `breadth/100000-exact` raises the cap above 100,000 to show what exact
//! counting at that size costs.
//!
//! Run: `cargo bench -p steward-detect --bench breadth`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use steward_detect::behaviour::breadth::{Breadth, Config};
use steward_detect::{Context, Detector, EventRole};
use steward_model::event::{AccessEvent, Outcome, Principal, PrincipalKind};

/// 2025-04-14 00:00 UTC.
const T0: i64 = 1_744_588_800_000;
/// Reads per run, all in one hour.
const EVENTS: i64 = 200_000;

fn events(distinct: i64) -> Vec<AccessEvent> {
    (0..EVENTS)
        .map(|i| AccessEvent {
            time_ms: T0 + i * 3_600_000 / EVENTS,
            event_id: format!("r{i}"),
            principal: Principal {
                id: "E0031".into(),
                kind: PrincipalKind::Staff,
            },
            source: steward_model::event::Source {
                ip: "211.111.200.5".parse().ok(),
                country: None,
            },
            endpoint: "/internal/cs/members/{id}".into(),
            // Spread over a large id space so the ids are not in order.
            subjects: vec![((i % distinct) * 7_919 % 1_000_003 + 1).to_string()],
            outcome: Outcome::Success,
            status: Some(200),
            records: Some(1),
            bytes: Some(1_500),
            ..AccessEvent::default()
        })
        .collect()
}

fn run(config: &Config, events: &[AccessEvent]) -> usize {
    let mut det = Breadth::new(&Context::default(), config.clone()).unwrap();
    let mut out = Vec::new();
    for e in events {
        det.observe(e, EventRole::Access, &mut out);
    }
    det.advance(T0 + 3_600_000, &mut out);
    det.finish(&mut out);
    out.len() + det.stats().undecided as usize
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("breadth");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(8))
        .throughput(Throughput::Elements(EVENTS as u64));
    let config = Config::default();
    for distinct in [100, 100_000] {
        let input = events(distinct);
        group.bench_function(distinct.to_string(), |b| {
            b.iter(|| black_box(run(&config, &input)));
        });
    }
    let exact = Config {
        exact_cap: 200_000,
        ..Config::default()
    };
    let input = events(100_000);
    group.bench_function("100000-exact", |b| {
        b.iter(|| black_box(run(&exact, &input)));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
