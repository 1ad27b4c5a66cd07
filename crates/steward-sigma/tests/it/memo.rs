//! The detection memo changes no result: the shipped pack, and rules of
//! every shape the memo treats differently, over a generated platform's
//! events give the same matches with the memo on and off; traffic whose
//! field combinations never repeat switches it off.

use std::sync::Arc;

use steward_model::event::{AccessEvent, Outcome, PrincipalKind};
use steward_sigma::{EngineConfig, MemoStats, RuleSet, RuleSetBuilder, SigmaEngine, SigmaMatch};

use crate::pack::{pack, pack_dir};
use crate::synth::Platform;

/// As `platform.rs`: a minute of lateness absorbs the generator's slightly
/// early records.
fn config() -> EngineConfig {
    EngineConfig {
        allowed_lateness_ms: 60_000,
        ..EngineConfig::default()
    }
}

fn run(rules: &Arc<RuleSet>, events: &[AccessEvent], memo: bool) -> (Vec<SigmaMatch>, MemoStats) {
    let mut engine = SigmaEngine::new(Arc::clone(rules), config());
    engine.set_memo(memo);
    let mut out = Vec::new();
    for e in events {
        engine.process(e, &mut out);
    }
    engine.finish(&mut out);
    (out, engine.memo_stats())
}

fn platform_events() -> Vec<AccessEvent> {
    let mut events = Vec::new();
    Platform {
        customers: 2_000,
        days: 3,
        seed: 2025,
        events: None,
    }
    .for_each(|e, _| events.push(e.clone()));
    events
}

/// The pack's detection rules without its correlations, so that every
/// detection match is reported (none is only a correlation's input).
fn detections_only() -> Arc<RuleSet> {
    let mut builder = RuleSetBuilder::new();
    let mut files: Vec<_> = std::fs::read_dir(pack_dir().join("access"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let docs: Vec<&str> = text
            .split("\n---\n")
            .filter(|doc| !doc.contains("\ncorrelation:") && !doc.starts_with("correlation:"))
            .collect();
        builder = builder.yaml(&path, &docs.join("\n---\n"));
    }
    let loaded = builder.build();
    assert!(loaded.errors.is_empty(), "{:#?}", loaded.errors);
    Arc::new(loaded.rules)
}

#[test]
fn memoisable_pack_rules() {
    let rules = pack();
    let memoised: Vec<&str> = rules.memoised().map(|r| &*r.title).collect();
    let others: Vec<&str> = rules
        .infos()
        .filter(|r| r.kind == steward_sigma::RuleKind::Detection)
        .map(|r| &*r.title)
        .filter(|t| !memoised.contains(t))
        .collect();
    assert_eq!(
        memoised,
        [
            "Address book read",
            "Login denied",
            "Login succeeded",
            "Member record read through the customer API from abroad",
            "Call with a partner API key",
            "Partner API key call from abroad",
            "Token signed with a retired signing key",
            "Data-subject record read by a customer account",
            "Member record read through the customer API",
        ]
    );
    assert_eq!(
        others,
        [
            "Customer token reads another member's record",
            "Support console read outside business hours",
        ]
    );
}

#[test]
fn pack_over_platform_same_with_memo_on_and_off() {
    let events = platform_events();
    for rules in [pack(), detections_only()] {
        let (on, stats) = run(&rules, &events, true);
        let (off, off_stats) = run(&rules, &events, false);
        assert_eq!(off_stats, MemoStats::default());
        assert_eq!(stats.lookups, events.len() as u64);
        assert!(stats.hits * 10 > stats.lookups * 9, "{stats:?}");
        assert!(!on.is_empty());
        assert_eq!(on.len(), off.len());
        assert!(on == off, "memo on and off differ");
    }
}

#[test]
fn memo_pauses_when_combinations_do_not_repeat() {
    let rules = detections_only();
    let mut events = platform_events();
    events.truncate(40_000);
    // Every event a different endpoint, key and country: no two keys equal.
    for (i, e) in events.iter_mut().enumerate() {
        e.endpoint = format!("/api/v1/members/{i}/profile");
        e.credential.key_id = Some(format!("k{}", i % 3));
    }
    let (on, stats) = run(&rules, &events, true);
    let (off, _) = run(&rules, &events, false);
    assert!(on == off, "memo on and off differ");
    assert!(!on.is_empty());
    assert_eq!(stats.pauses, 1, "{stats:?}");
    assert_eq!(stats.hits, 0, "{stats:?}");
    assert!(stats.lookups < 5_000, "{stats:?}");
}

#[test]
fn restored_engine_memoises_again() {
    let rules = detections_only();
    let events = platform_events();
    let (half, rest) = events.split_at(events.len() / 2);
    let mut first = SigmaEngine::new(Arc::clone(&rules), config());
    let mut out = Vec::new();
    for e in half {
        first.process(e, &mut out);
    }
    assert!(first.memo_stats().hits > 0);
    let state = first.state().clone();
    let mut second = SigmaEngine::restore(Arc::clone(&rules), config(), state).unwrap();
    assert_eq!(second.memo_stats(), MemoStats::default());
    for e in rest {
        second.process(e, &mut out);
    }
    second.finish(&mut out);
    assert!(second.memo_stats().hits > 0);
    let (all, _) = run(&rules, &events, false);
    assert!(out == all, "restored run differs");
}

/// Rules of every shape: memoised, guarded exactly or by a probe (the
/// decided items of a detection), with `not`, `or`, selectors and lists of
/// maps, and rules the key says nothing about.
const SHAPES: &str = "\
title: memoised
logsource: {product: steward}
detection:
  sel:
    endpoint|contains: members
    outcome: [success, not_found]
  abroad:
    source.country: KR
  partner:
    credential.api_key_id|exists: true
  condition: sel and not abroad or partner
---
title: guarded exactly
logsource: {product: steward}
detection:
  sel:
    principal.kind: customer
    endpoint|startswith: /api/v1/members/
  own:
    subjects|fieldref: principal.id
  condition: sel and not own
---
title: guarded by a probe
logsource: {product: steward}
detection:
  sel:
    principal.kind: [staff, customer]
    endpoint|re: '^/(internal|api)/'
    time|hour: [0, 1, 2, 3, 4, 5, 6, 22, 23]
  condition: sel
---
title: selectors
logsource: {product: steward}
detection:
  sel_kind:
    principal.kind: customer
  sel_own:
    subjects|fieldref: principal.id
  sel_size:
    bytes|lt: 2000
  condition: 2 of sel_* or all of sel_k*
---
title: not of a probe
logsource: {product: steward}
detection:
  sel:
    - outcome: success
      time|minute: [45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59]
    - record_types: address_book
      subjects|fieldref: principal.id
  condition: not sel
---
title: nothing decided
logsource: {product: steward}
detection:
  sel:
    principal.id|startswith: '1'
  kw:
    - KR
  condition: sel or kw
";

#[test]
fn rules_of_every_shape_same_with_memo_on_and_off() {
    let loaded = RuleSetBuilder::new().yaml("shapes.yml", SHAPES).build();
    assert!(loaded.errors.is_empty(), "{:#?}", loaded.errors);
    let rules = Arc::new(loaded.rules);
    let memoised: Vec<&str> = rules.memoised().map(|r| &*r.title).collect();
    assert_eq!(memoised, ["memoised"]);
    let kinds = [
        PrincipalKind::Customer,
        PrincipalKind::Staff,
        PrincipalKind::Service,
        PrincipalKind::ApiKey,
    ];
    let endpoints = [
        "/api/v1/members/{id}/profile",
        "/api/v1/members/{id}/addresses",
        "/internal/cs/members/{id}",
        "/auth/login",
    ];
    // Platform events with their kinds, endpoints, outcomes and principals
    // mixed, so that every combination occurs with and without a customer
    // reading their own record.
    let mut events = platform_events();
    for (i, e) in events.iter_mut().enumerate() {
        e.principal.kind = kinds[i % kinds.len()];
        if i % 3 == 0 {
            e.endpoint = endpoints[i / 3 % endpoints.len()].to_owned();
        }
        if i % 5 == 0 {
            e.outcome = Outcome::NotFound;
        }
        if i % 2 == 0
            && let Some(s) = e.subjects.first()
        {
            e.principal.id = s.clone();
        }
    }
    let (on, stats) = run(&rules, &events, true);
    let (off, _) = run(&rules, &events, false);
    assert!(stats.hits * 10 > stats.lookups * 9, "{stats:?}");
    let mut titles: Vec<&str> = on.iter().map(|m| &*m.title).collect();
    titles.sort_unstable();
    titles.dedup();
    assert_eq!(
        titles.len(),
        6,
        "every rule matches some events: {titles:?}"
    );
    assert_eq!(on.len(), off.len());
    assert!(on == off, "memo on and off differ");
}
