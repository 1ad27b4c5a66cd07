//! Checkpoints: state serialises, restores, and carries on as if never
//! interrupted; a checkpoint from other rules or another format is refused.

use steward_model::event::AccessEvent;
use steward_sigma::{EngineConfig, SigmaEngine, SigmaMatch, SigmaState, StateError};

use crate::harness::{MIN, READS, T0, With, ev, rules};

fn pack() -> String {
    format!(
        "{READS}---\ntitle: Distinct\nid: d\ncorrelation:\n  type: value_count\n  rules: [reads]\n  group-by: [source.ip]\n  timespan: 30m\n  condition: {{gte: 5, field: subjects}}\nlevel: high\n\
---\ntitle: Count\nid: c\ncorrelation:\n  type: event_count\n  rules: [reads]\n  group-by: [principal.id]\n  timespan: 20m\n  condition: {{gte: 4}}\nlevel: high\n\
---\ntitle: Sum\nid: s\ncorrelation:\n  type: value_sum\n  rules: [reads]\n  group-by: [principal.id]\n  timespan: 1h\n  condition: {{gte: 50, field: records}}\nlevel: high\n"
    )
}

fn events() -> Vec<AccessEvent> {
    (0..300)
        .map(|i| {
            ev(&format!("e{i:03}"), T0 + i * 37_000)
                .ip(&format!("192.0.2.{}", i % 4))
                .principal(&format!("p{}", i % 5))
                .subject(&format!("{}", (i * 7) % 23))
                .records((i % 6) as u64)
        })
        .collect()
}

fn config() -> EngineConfig {
    EngineConfig {
        allowed_lateness_ms: 5 * MIN,
        ..EngineConfig::default()
    }
}

#[test]
fn a_restored_checkpoint_gives_the_same_matches() {
    let r = rules(&pack());
    let events = events();
    let mut whole = SigmaEngine::new(r.clone(), config());
    let mut expected = Vec::new();
    for e in &events {
        whole.process(e, &mut expected);
    }
    whole.finish(&mut expected);
    assert!(expected.len() > 3);

    for cut in [1, 57, 150, 299] {
        let mut first = SigmaEngine::new(r.clone(), config());
        let mut got: Vec<SigmaMatch> = Vec::new();
        for e in &events[..cut] {
            first.process(e, &mut got);
        }
        let json = serde_json::to_string(first.state()).unwrap();
        drop(first);
        let state: SigmaState = serde_json::from_str(&json).unwrap();
        let mut second = SigmaEngine::restore(r.clone(), config(), state).unwrap();
        for e in &events[cut..] {
            second.process(e, &mut got);
        }
        second.finish(&mut got);
        assert_eq!(got, expected, "checkpoint after {cut} events");
    }
}

#[test]
fn state_of_removed_correlations_is_dropped_and_new_ones_start_empty() {
    let r = rules(&pack());
    let mut engine = SigmaEngine::new(r, config());
    let mut out = Vec::new();
    for e in &events()[..100] {
        engine.process(e, &mut out);
    }
    engine.finish(&mut out);
    let state = engine.state().clone();
    assert!(state.groups() > 0);
    let fewer = rules(&format!(
        "{READS}---\ntitle: Count\nid: c\ncorrelation:\n  type: event_count\n  rules: [reads]\n  group-by: [principal.id]\n  timespan: 20m\n  condition: {{gte: 4}}\nlevel: high\n"
    ));
    let restored = SigmaEngine::restore(fewer, config(), state).unwrap();
    assert!(restored.state().groups() <= 5);
}

#[test]
fn refuses_other_formats_and_mismatched_state() {
    let r = rules(&pack());
    let engine = SigmaEngine::new(r.clone(), config());
    let mut json: serde_json::Value = serde_json::to_value(engine.state()).unwrap();
    json["version"] = serde_json::json!(999);
    let state: SigmaState = serde_json::from_value(json).unwrap();
    assert_eq!(
        SigmaEngine::restore(r.clone(), config(), state).unwrap_err(),
        StateError::Version {
            found: 999,
            expected: steward_sigma::STATE_VERSION
        }
    );
    // Held hits captured under other rules cannot be replayed.
    let mut engine = SigmaEngine::new(r, config());
    let mut out = Vec::new();
    engine.process(&events()[0], &mut out);
    assert!(engine.state().pending() > 0);
    let other = rules(&format!("{READS}---\ntitle: X\nid: x\ncorrelation:\n  type: event_count\n  rules: [reads]\n  group-by: [source.ip]\n  timespan: 1h\n  condition: {{gte: 2}}\nlevel: low\n").replace("name: reads", "name: reads\nid: other-id"));
    assert!(SigmaEngine::restore(other, config(), engine.state().clone()).is_err());
}
