//! Correlation and evaluation throughput.
//!
//! - `value_count/steward/{100,100000}`: a `value_count` rule (distinct
//!   subjects per principal per hour) with 100 and with 100,000 distinct
//!   subjects in each principal's window (four principals, 400,000 events in
//!   the window, warmed before timing); the target is that 100,000 keeps at
//!   least half the throughput of 100. `100000-exact` raises the exact cap
//!   above 100,000 to show the cost of exact counting at that size.
//! - `value_count/rsigma-eval/{window}x{distinct}`: the same rule through
//!   rsigma-eval 0.23's `CorrelationEngine` (JSON events), at windows of
//!   1,000 and 10,000 events: it rebuilds a set of the whole window per
//!   event, so its cost grows with the window (the measurement that decided
//!   to write steward's own correlation state).
//! - `pack/*`: the shipped rule pack over the synthetic platform's gateway
//!   events: steward over borrowed events (`steward`, and `steward-memo-off`
//!   with the detection memo off, which evaluates every rule with rsigma-eval
//!   as before the memo), and the cost of turning each event into JSON (what
//!   rsigma-eval's `JsonEvent` would need).
//!
//! Figures are in docs/PERFORMANCE.md ("Sigma evaluation").
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    dead_code
)]

#[path = "../tests/it/gateway.rs"]
mod gateway;
#[path = "../tests/it/synth.rs"]
mod synth;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use rsigma_eval::event::JsonEvent;
use rsigma_eval::{CorrelationConfig, CorrelationEngine};
use steward_model::event::{AccessEvent, Principal, PrincipalKind};
use steward_sigma::{Caps, EngineConfig, RuleSet, RuleSetBuilder, SigmaEngine};

const RULE: &str = concat!(
    // rsigma-eval only correlates detection rules that have an `id`.
    "title: Reads\nid: 7f0c1d2e-0000-4000-8000-000000000001\nname: reads\nlogsource: {product: steward}\n",
    "detection:\n  sel:\n    endpoint|startswith: /api/v1/members/\n  condition: sel\n---\n",
    "title: Many subjects per principal\nid: vc\n",
    "correlation:\n  type: value_count\n  rules: [reads]\n  group-by: [principal.id]\n",
    "  timespan: 1h\n  condition:\n    gte: 150\n    field: subjects\nlevel: high\n",
);

const T0: i64 = 1_744_588_800_000;
const PRINCIPALS: i64 = 4;

/// Event `i`: principals round-robin, subjects cycling over `distinct` per
/// principal, 10 ms apart (360,000 events per hour).
fn event(i: i64, distinct: i64) -> AccessEvent {
    let p = i % PRINCIPALS;
    let subject = (i / PRINCIPALS) % distinct;
    AccessEvent {
        time_ms: T0 + i * 10,
        event_id: format!("e{i}"),
        principal: Principal {
            id: format!("agent-{p}"),
            kind: PrincipalKind::Staff,
        },
        endpoint: "/api/v1/members/{id}/profile".into(),
        subjects: vec![subject.to_string()],
        ..AccessEvent::default()
    }
}

fn rules() -> Arc<RuleSet> {
    let loaded = RuleSetBuilder::new().yaml("bench.yml", RULE).build();
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    Arc::new(loaded.rules)
}

fn value_count_steward(c: &mut Criterion) {
    const WARM: i64 = 400_000;
    const BATCH: i64 = 50_000;
    let mut group = c.benchmark_group("value_count/steward");
    group.sample_size(10);
    group.throughput(Throughput::Elements(BATCH as u64));
    for (name, distinct, cap) in [
        ("100", 100, Caps::default().distinct_exact),
        ("100000", 100_000, Caps::default().distinct_exact),
        ("100000-exact", 100_000, 200_000),
    ] {
        let config = EngineConfig {
            caps: Caps {
                distinct_exact: cap,
                ..Caps::default()
            },
            ..EngineConfig::default()
        };
        let mut warmed = SigmaEngine::new(rules(), config);
        let mut sink = Vec::new();
        for i in 0..WARM {
            warmed.process(&event(i, distinct), &mut sink);
        }
        let batch: Vec<AccessEvent> = (WARM..WARM + BATCH).map(|i| event(i, distinct)).collect();
        group.bench_function(name, |b| {
            b.iter_batched(
                || warmed.clone(),
                |mut engine| {
                    let mut out = Vec::new();
                    for e in &batch {
                        engine.process(e, &mut out);
                    }
                    black_box(out.len())
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

fn json_event(i: i64, distinct: i64) -> serde_json::Value {
    let p = i % PRINCIPALS;
    serde_json::json!({
        "endpoint": "/api/v1/members/{id}/profile",
        "principal": {"id": format!("agent-{p}"), "kind": "staff"},
        "subjects": ((i / PRINCIPALS) % distinct).to_string(),
    })
}

fn value_count_rsigma(c: &mut Criterion) {
    const BATCH: i64 = 500;
    let collection = rsigma_parser::parse_sigma_yaml(RULE).unwrap();
    let mut group = c.benchmark_group("value_count/rsigma-eval");
    group.sample_size(10);
    group.throughput(Throughput::Elements(BATCH as u64));
    for (window, distinct) in [
        (1_000i64, 100i64),
        (1_000, 1_000),
        (10_000, 100),
        (10_000, 10_000),
    ] {
        // One event per second per principal group; the 1 h window holds
        // `window` events once warmed (timestamps advance so it stays full).
        let events: Vec<serde_json::Value> = (0..window + BATCH)
            .map(|i| json_event(i, distinct))
            .collect();
        let secs = |i: i64| 1_744_588_800 + i * 3_600 / window;
        group.bench_function(format!("{window}x{distinct}"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let mut engine = CorrelationEngine::new(CorrelationConfig::default());
                    engine.add_collection(&collection).unwrap();
                    for (i, v) in events.iter().enumerate().take(window as usize) {
                        engine.process_event_at(&JsonEvent::borrow(v), secs(i as i64));
                    }
                    assert!(
                        engine.state_count() > 0,
                        "rsigma-eval holds correlation state"
                    );
                    let start = Instant::now();
                    for (i, v) in events.iter().enumerate().skip(window as usize) {
                        black_box(engine.process_event_at(&JsonEvent::borrow(v), secs(i as i64)));
                    }
                    total += start.elapsed();
                }
                total
            });
        });
    }
    group.finish();
}

fn platform_events() -> Vec<AccessEvent> {
    let mut events = Vec::new();
    synth::Platform {
        customers: 20_000,
        days: 7,
        seed: 2025,
        events: None,
    }
    .for_each(|e, _| events.push(e.clone()));
    events
}

fn pack(c: &mut Criterion) {
    let events = platform_events();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let loaded = RuleSet::load([dir]);
    assert!(loaded.errors.is_empty());
    let rules = Arc::new(loaded.rules);
    let mut group = c.benchmark_group("pack");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events.len() as u64));
    for (name, memo) in [("steward", true), ("steward-memo-off", false)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut engine = SigmaEngine::new(Arc::clone(&rules), EngineConfig::default());
                engine.set_memo(memo);
                let mut out = Vec::new();
                for e in &events {
                    engine.process(e, &mut out);
                }
                engine.finish(&mut out);
                black_box(out.len())
            });
        });
    }
    group.bench_function("event-to-json-only", |b| {
        b.iter(|| {
            for e in &events {
                black_box(serde_json::to_value(e).unwrap());
            }
        });
    });
    group.finish();
}

criterion_group!(benches, value_count_steward, value_count_rsigma, pack);
criterion_main!(benches);
