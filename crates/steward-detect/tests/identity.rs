//! The identity detectors over small fixtures, through the public API:
//! snapshots of what each reports, checkpoints at every event, and no
//! customer data in what they say.
//!
//! Fixtures (`tests/fixtures/identity/<detector>.jsonl`) hold one
//! `AccessEvent` per line as serde writes it, plus `"role": "issuance"` on
//! the auth service's records (access when absent). `manifest.yaml` and
//! `roster.csv` beside them are the context. Snapshots live in
//! `tests/fixtures/identity/snapshots/`; review changes with
//! `cargo insta review`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use steward_detect::identity::{self, Config};
use steward_detect::{Context, Detection, Detector, EventRole};
use steward_model::event::AccessEvent;

const DETECTORS: [&str; 5] = [
    "forged-token",
    "signing-key",
    "departed-custodian-key",
    "post-termination",
    "geo-travel",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/identity")
}

fn context() -> Context {
    Context::load(&fixtures().join("manifest.yaml")).unwrap()
}

fn events(name: &str) -> Vec<(AccessEvent, EventRole)> {
    let text = std::fs::read_to_string(fixtures().join(format!("{name}.jsonl"))).unwrap();
    text.lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let role = match value.get("role").and_then(|r| r.as_str()) {
                Some("issuance") => EventRole::Issuance,
                None | Some("access") => EventRole::Access,
                Some(other) => panic!("unknown role {other}"),
            };
            (serde_json::from_value(value).unwrap(), role)
        })
        .collect()
}

fn detector(id: &str) -> Box<dyn Detector> {
    identity::detectors(&context(), &Config::default())
        .unwrap()
        .into_iter()
        .find(|d| d.id() == id)
        .unwrap()
}

/// Observe, advance to the newest time, as the hunt pipeline does; then
/// finish.
fn run(det: &mut dyn Detector, events: &[(AccessEvent, EventRole)]) -> Vec<Detection> {
    let mut out = Vec::new();
    let mut now = i64::MIN;
    for (e, role) in events {
        det.observe(e, *role, &mut out);
        now = now.max(e.time_ms);
        det.advance(now, &mut out);
    }
    det.finish(&mut out);
    out
}

fn snapshot(id: &str) -> Vec<Detection> {
    let mut det = detector(id);
    let out = run(det.as_mut(), &events(id));
    insta::with_settings!({
        snapshot_path => fixtures().join("snapshots"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_json_snapshot!(id, out);
    });
    out
}

/// The distinct episode keys reported, sorted.
fn keys(out: &[Detection]) -> Vec<&str> {
    let set: std::collections::BTreeSet<_> = out.iter().map(|d| d.key.as_str()).collect();
    set.into_iter().collect()
}

#[test]
fn forged_token_fixture() {
    let out = snapshot("forged-token");
    let episodes: Vec<_> = out
        .iter()
        .map(|d| (d.key.as_str(), d.window_start_ms))
        .collect();
    assert!(
        episodes
            .iter()
            .all(|(k, _)| ["member-2021", "staff-2024"].contains(k))
    );
    let ids: Vec<_> = out.iter().flat_map(|d| &d.sample_event_ids).collect();
    for fine in ["r-ok", "r-before-log", "r-early"] {
        assert!(!ids.iter().any(|i| *i == fine), "{fine}");
    }
    assert!(
        ids.iter().any(|i| *i == "r-late-issue"),
        "issued 121 s late"
    );
}

#[test]
fn signing_key_fixture() {
    let out = snapshot("signing-key");
    assert_eq!(
        keys(&out),
        [
            "dev-test:unknown",
            "member-2017:retired",
            "staff-2024:iat-outside-life"
        ]
    );
}

#[test]
fn departed_custodian_key_fixture() {
    let out = snapshot("departed-custodian-key");
    assert!(out.iter().all(|d| d.key == "member-2021"));
    let windows: std::collections::BTreeSet<_> = out.iter().map(|d| d.window_start_ms).collect();
    assert_eq!(windows.len(), 2, "an 8-day quiet gap splits the episodes");
}

#[test]
fn post_termination_fixture() {
    let out = snapshot("post-termination");
    assert_eq!(keys(&out), ["E0024", "E0200"]);
}

#[test]
fn geo_travel_fixture() {
    let out = snapshot("geo-travel");
    assert_eq!(
        keys(&out),
        [
            "impossible-travel:E0031",
            "impossible-travel:ak_partner",
            "new-country:E0031",
            "new-country:ak_partner",
            "new-country:svc:batch"
        ]
    );
}

/// Every detector over every fixture, checkpointed (through JSON text)
/// after every event, gives the same detections and counters as a run
/// that never stopped.
#[test]
fn checkpoints_after_any_event_change_nothing() {
    let mut all: Vec<_> = DETECTORS.iter().flat_map(|name| events(name)).collect();
    all.sort_by_key(|(e, _)| e.time_ms);
    for id in DETECTORS {
        let mut reference = detector(id);
        let whole = run(reference.as_mut(), &all);
        let mut out = Vec::new();
        let mut current = detector(id);
        let mut now = i64::MIN;
        for (e, role) in &all {
            current.observe(e, *role, &mut out);
            now = now.max(e.time_ms);
            current.advance(now, &mut out);
            let text = serde_json::to_string(&current.save().unwrap()).unwrap();
            current = detector(id);
            current
                .restore(serde_json::from_str(&text).unwrap())
                .unwrap();
        }
        current.finish(&mut out);
        assert_eq!(out, whole, "{id}");
        assert_eq!(current.stats(), reference.stats(), "{id}");
        assert!(!whole.is_empty(), "{id} finds something in the fixtures");
    }
}

/// Titles and facts never carry the subjects read (customer ids), only
/// counts.
#[test]
fn no_customer_data_in_titles_or_facts() {
    for id in DETECTORS {
        let events = events(id);
        let out = run(detector(id).as_mut(), &events);
        for d in &out {
            let said = format!("{} {}", d.title, serde_json::Value::Object(d.facts.clone()));
            for (e, _) in &events {
                for subject in &e.subjects {
                    assert!(!said.contains(subject.as_str()), "{id}: {said}");
                }
            }
        }
    }
}

#[test]
fn stats_count_every_event_and_undecided_ones() {
    let events = events("forged-token");
    let mut det = detector("forged-token");
    run(det.as_mut(), &events);
    let stats = det.stats();
    assert_eq!(stats.events, events.len() as u64);
    assert_eq!(stats.undecided, 1, "the token issued before the log began");
    assert_eq!(stats.detections, 2, "one episode per key");
}
