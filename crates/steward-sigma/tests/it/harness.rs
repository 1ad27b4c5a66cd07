//! Building events and running rules in tests.

use std::sync::Arc;

use steward_model::event::{AccessEvent, Outcome, Principal, PrincipalKind};
use steward_sigma::{EngineConfig, Loaded, RuleSet, RuleSetBuilder, SigmaEngine, SigmaMatch};

/// 2025-04-14 00:00 UTC.
pub const T0: i64 = 1_744_588_800_000;
pub const SEC: i64 = 1_000;
pub const MIN: i64 = 60 * SEC;

/// A successful customer read, to be adjusted with the builder methods.
pub fn ev(id: &str, time_ms: i64) -> AccessEvent {
    AccessEvent {
        time_ms,
        event_id: id.to_owned(),
        principal: Principal {
            id: "1042".into(),
            kind: PrincipalKind::Customer,
        },
        method: Some("GET".into()),
        endpoint: "/api/v1/members/{id}/profile".into(),
        subjects: vec!["1042".into()],
        record_types: vec!["profile".into()],
        outcome: Outcome::Success,
        status: Some(200),
        records: Some(1),
        bytes: Some(460),
        ..AccessEvent::default()
    }
}

pub trait With {
    fn principal(self, id: &str) -> Self;
    fn subject(self, id: &str) -> Self;
    fn ip(self, ip: &str) -> Self;
    fn country(self, c: &str) -> Self;
    fn records(self, n: u64) -> Self;
}

impl With for AccessEvent {
    fn principal(mut self, id: &str) -> Self {
        self.principal.id = id.to_owned();
        self
    }
    fn subject(mut self, id: &str) -> Self {
        self.subjects = vec![id.to_owned()];
        self
    }
    fn ip(mut self, ip: &str) -> Self {
        self.source.ip = ip.parse().ok();
        self
    }
    fn country(mut self, c: &str) -> Self {
        self.source.country = steward_model::jurisdiction::Country::parse(c).ok();
        self
    }
    fn records(mut self, n: u64) -> Self {
        self.records = Some(n);
        self
    }
}

/// Loads rules from text; panics on any load error.
pub fn rules(yaml: &str) -> Arc<RuleSet> {
    let loaded = RuleSetBuilder::new().yaml("test.yml", yaml).build();
    assert!(loaded.errors.is_empty(), "{:#?}", loaded.errors);
    Arc::new(loaded.rules)
}

/// Loads rules from text, keeping errors.
pub fn load(yaml: &str) -> Loaded {
    RuleSetBuilder::new().yaml("test.yml", yaml).build()
}

/// Runs events through a fresh engine and finishes it; checks that the
/// detection memo changes nothing (the same run with it off).
pub fn run_with(
    rules: &Arc<RuleSet>,
    config: EngineConfig,
    events: &[AccessEvent],
) -> Vec<SigmaMatch> {
    let run = |memo: bool| {
        let mut engine = SigmaEngine::new(Arc::clone(rules), config);
        engine.set_memo(memo);
        let mut out = Vec::new();
        for e in events {
            engine.process(e, &mut out);
        }
        engine.finish(&mut out);
        out
    };
    let out = run(true);
    assert_eq!(out, run(false), "the detection memo changed the matches");
    out
}

pub fn run(rules: &Arc<RuleSet>, events: &[AccessEvent]) -> Vec<SigmaMatch> {
    run_with(rules, EngineConfig::default(), events)
}

/// Whether one event matches the single detection rule in `yaml`.
pub fn detects(yaml_detection: &str, event: &AccessEvent) -> bool {
    let yaml = format!(
        "title: t\nlogsource: {{product: steward}}\ndetection:\n{yaml_detection}\nlevel: low\n"
    );
    let loaded = load(&yaml);
    assert!(loaded.errors.is_empty(), "{:#?}", loaded.errors);
    let rules = Arc::new(loaded.rules);
    let once = run(&rules, std::slice::from_ref(event)).len();
    // The second event is answered from the memo when the rule is memoisable.
    let twice = run(&rules, &[event.clone(), event.clone()]).len();
    assert_eq!(twice, 2 * once, "the detection memo changed the verdict");
    once > 0
}

/// A base detection rule named `name` reading customer API member reads.
pub const READS: &str = "title: Reads\nname: reads\nlogsource: {product: steward}\n\
detection:\n  sel:\n    endpoint|startswith: /api/v1/members/\n  condition: sel\n";

/// The times of the correlation matches of rule `id`.
pub fn times(matches: &[SigmaMatch], id: &str) -> Vec<i64> {
    matches
        .iter()
        .filter(|m| &*m.rule_id == id)
        .map(|m| m.time_ms)
        .collect()
}
