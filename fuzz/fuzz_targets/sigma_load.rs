//! The Sigma rule loader (steward-sigma): multi-document YAML split by line,
//! YAML and Sigma parsing (rsigma-parser), detection compilation
//! (rsigma-eval), filters, correlation resolution and ordering. Whatever
//! loads is then evaluated over a few fixed access events, with a lateness
//! so hits are held and a checkpoint taken mid-way, so compiled rules,
//! correlation state and its serialisation are exercised too. Nothing may
//! panic; every error must render with a location.
#![no_main]
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use steward_model::event::{AccessEvent, Outcome, Principal, PrincipalKind};
use steward_sigma::{EngineConfig, RuleSetBuilder, SigmaEngine, SigmaState};

fn events() -> Vec<AccessEvent> {
    (0..12i64)
        .map(|i| AccessEvent {
            time_ms: 1_744_588_800_000 + (i % 5) * 40_000 + i * 1_000,
            event_id: format!("e{i}"),
            principal: Principal {
                id: format!("p{}", i % 3),
                kind: if i % 4 == 0 { PrincipalKind::Staff } else { PrincipalKind::Customer },
            },
            method: Some("GET".into()),
            endpoint: "/api/v1/members/{id}/profile".into(),
            subjects: vec![(i % 5).to_string()],
            record_types: vec!["profile".into()],
            outcome: if i % 3 == 0 { Outcome::Denied } else { Outcome::Success },
            status: Some(200),
            records: Some(i as u64),
            bytes: Some(100 * i as u64),
            source: steward_model::event::Source {
                ip: format!("192.0.2.{}", i % 4).parse().ok(),
                country: steward_model::jurisdiction::Country::parse(if i % 2 == 0 { "KR" } else { "CN" }).ok(),
            },
            ..AccessEvent::default()
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    steward_fuzz::contain_third_party_panics();
    let text = String::from_utf8_lossy(data);
    let loaded = RuleSetBuilder::new().yaml("fuzz.yml", &text).build();
    for e in loaded.errors.iter().chain(&loaded.warnings) {
        assert!(e.to_string().starts_with("fuzz.yml"));
        let _ = e.hint();
    }
    let rules = Arc::new(loaded.rules);
    let config = EngineConfig {
        allowed_lateness_ms: 30_000,
        ..EngineConfig::default()
    };
    let mut engine = SigmaEngine::new(Arc::clone(&rules), config);
    let mut out = Vec::new();
    let events = events();
    for e in &events[..6] {
        engine.process(e, &mut out);
    }
    let json = serde_json::to_string(engine.state()).expect("state serialises");
    let state: SigmaState = serde_json::from_str(&json).expect("state deserialises");
    let mut engine = SigmaEngine::restore(rules, config, state).expect("own state restores");
    for e in &events[6..] {
        engine.process(e, &mut out);
    }
    engine.finish(&mut out);
});
