use steward_model::event::{Outcome, PrincipalKind};

use super::*;
use crate::detector::Detector;
use crate::identity::testkit::{Ev, assert_resumable, at, run};

const KEY: &str = "member-2021";

fn issued(s: i64, jti: &str) -> (AccessEvent, EventRole) {
    Ev::new(at(s), jti)
        .by("42", PrincipalKind::Customer)
        .token(jti, KEY, Some(at(s)))
        .issuance()
}

fn used(s: i64, id: &str, jti: &str, iat_s: i64) -> (AccessEvent, EventRole) {
    Ev::new(at(s), id)
        .by("42", PrincipalKind::Customer)
        .token(jti, KEY, Some(at(iat_s)))
        .from("203.0.113.7", "CN")
        .subject("42")
        .access()
}

/// An event that only moves the watermark.
fn tick(s: i64) -> (AccessEvent, EventRole) {
    Ev::new(at(s), &format!("tick-{s}")).access()
}

fn detector() -> ForgedToken {
    ForgedToken::new(&ForgedTokenConfig::default()).unwrap()
}

#[test]
fn an_issued_token_is_fine_and_an_unissued_one_is_forged() {
    let events = [
        issued(0, "t-ok"),
        used(10, "r1", "t-ok", 0),
        used(20, "r2", "t-forged", 15),
        tick(200),
    ];
    let out = run(&mut detector(), &events);
    assert_eq!(out.len(), 1);
    let d = &out[0];
    assert_eq!((d.detector, d.key.as_str()), (ID, KEY));
    assert_eq!(d.severity, Severity::Critical);
    assert_eq!(d.window_start_ms, at(20));
    assert_eq!(d.sample_event_ids, ["r2"]);
    assert_eq!(d.actors, ["key:member-2021", "ip:203.0.113.7"]);
    assert_eq!(d.facts["forged_tokens"], 1);
    assert_eq!(d.facts["countries"], serde_json::json!(["CN"]));
}

#[test]
fn a_forged_token_is_reported_once_the_skew_has_passed() {
    let mut det = detector();
    let mut out = Vec::new();
    det.observe(&issued(0, "t0").0, EventRole::Issuance, &mut out);
    det.observe(&used(100, "r1", "t-x", 90).0, EventRole::Access, &mut out);
    det.advance(at(220), &mut out);
    assert!(out.is_empty(), "an issuance at 220 s would still count");
    det.advance(at(220) + 1, &mut out);
    assert_eq!(out.len(), 1);
}

#[test]
fn skew_edges_119_seconds_is_issued_121_is_forged() {
    let events = [
        issued(0, "first"),
        used(1000, "r-late-ok", "t-119", 1000),
        used(1000, "r-too-late", "t-121", 1000),
        issued(1119, "t-119"),
        issued(1121, "t-121"),
        tick(1300),
    ];
    let out = run(&mut detector(), &events);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].sample_event_ids, ["r-too-late"]);
    // Exactly at the skew still counts.
    let events = [
        issued(0, "first"),
        used(1000, "r", "t-120", 1000),
        issued(1120, "t-120"),
        tick(1300),
    ];
    assert!(run(&mut detector(), &events).is_empty());
}

#[test]
fn tokens_issued_before_the_issuance_log_begins_are_undecided() {
    let mut det = detector();
    let events = [
        used(5, "r0", "t-old", 1),
        issued(10, "first"),
        used(20, "r1", "t-older", 9),
        tick(500),
    ];
    assert!(run(&mut det, &events).is_empty());
    assert_eq!(det.stats().undecided, 2);
    // No issuance source at all: everything undecided, nothing reported.
    let mut det = detector();
    assert!(run(&mut det, &[used(20, "r1", "t", 19), tick(500)]).is_empty());
    assert_eq!(det.stats().undecided, 1);
}

#[test]
fn forgotten_issuance_records_make_tokens_undecided_not_forged() {
    let mut det = ForgedToken::new(&ForgedTokenConfig {
        max_issued: 2,
        ..ForgedTokenConfig::default()
    })
    .unwrap();
    let events = [
        issued(0, "a"),
        issued(10, "b"),
        issued(20, "c"),
        // `a` was evicted at the cap: its use cannot be judged.
        used(30, "r-a", "a", 0),
        // `x` claims an iat after the evicted record: judged, forged.
        used(31, "r-x", "x", 25),
        tick(400),
    ];
    let out = run(&mut det, &events);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].sample_event_ids, ["r-x"]);
    let stats = det.stats();
    assert_eq!((stats.evicted, stats.undecided), (1, 1));
}

#[test]
fn expired_records_are_forgotten_and_old_tokens_undecided() {
    let mut det = ForgedToken::new(&ForgedTokenConfig {
        max_token_life_s: 3_600,
        ..ForgedTokenConfig::default()
    })
    .unwrap();
    let events = [
        issued(0, "a"),
        tick(10_000),
        // Issued long ago, its record expired: undecided.
        used(10_001, "r-a", "a", 0),
        tick(10_500),
    ];
    assert!(run(&mut det, &events).is_empty());
    assert_eq!(det.state.rules.issued.len(), 0);
    assert_eq!(det.stats().undecided, 1);
}

#[test]
fn a_token_without_iat_is_judged_when_the_log_covers_a_token_life() {
    let config = ForgedTokenConfig {
        max_token_life_s: 3_600,
        ..ForgedTokenConfig::default()
    };
    let no_iat = |s: i64, id: &str| {
        Ev::new(at(s), id)
            .by("42", PrincipalKind::Customer)
            .token("t-none", KEY, None)
            .access()
    };
    let mut det = ForgedToken::new(&config).unwrap();
    assert!(run(&mut det, &[issued(0, "a"), no_iat(100, "r"), tick(400)]).is_empty());
    assert_eq!(det.stats().undecided, 1);
    let mut det = ForgedToken::new(&config).unwrap();
    let out = run(&mut det, &[issued(0, "a"), no_iat(4_000, "r"), tick(4_400)]);
    assert_eq!(out.len(), 1);
}

#[test]
fn one_episode_per_key_with_updates_and_a_new_window_after_the_gap() {
    let mut events = vec![issued(0, "first")];
    for i in 0..5 {
        let s = 100 + i * 60;
        let mut e = used(s, &format!("r{i}"), &format!("f{i}"), s - 5);
        e.0.principal.id = format!("{}", 100 + i);
        e.0.source.ip = format!("198.51.100.{i}").parse().ok();
        events.push(e);
    }
    events.push(tick(2_000));
    // Another key, same time: its own episode.
    let mut other = used(2_001, "k2", "g0", 2_000);
    other.0.credential.key_id = Some("staff-2024".into());
    events.push(other);
    // After more than an hour: a new episode for the first key.
    events.push(used(100 + 4 * 60 + 3_601, "late", "f9", 3_900));
    events.push(tick(9_000));
    let mut det = detector();
    let out = run(&mut det, &events);
    let summary: Vec<_> = out
        .iter()
        .map(|d| (d.key.as_str(), d.window_start_ms, d.events))
        .collect();
    assert_eq!(
        summary,
        [
            (KEY, at(100), 1),
            (KEY, at(100), 5),
            ("staff-2024", at(2_001), 1),
            (KEY, at(3_941), 1),
        ]
    );
    let update = &out[1];
    assert_eq!(update.facts["forged_tokens"], 5);
    assert_eq!(update.facts["principals"], 5);
    assert_eq!(update.facts["source_ips"], 5);
    assert_eq!(update.actors.len(), 1 + crate::identity::support::ACTOR_IPS);
    assert!(!update.title.contains("100"), "no principal ids in titles");
    assert_eq!(det.stats().detections, 3, "episodes, not updates");
}

#[test]
fn failed_issuance_records_do_not_count_unstated_outcomes_do() {
    let mut denied = issued(5, "t-denied");
    denied.0.outcome = Outcome::Denied;
    let mut unstated = issued(6, "t-unstated");
    unstated.0.outcome = Outcome::Unknown;
    let events = [
        issued(0, "first"),
        denied,
        unstated,
        used(10, "r", "t-denied", 5),
        used(11, "r2", "t-unstated", 6),
        tick(400),
    ];
    let out = run(&mut detector(), &events);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].sample_event_ids, ["r"]);
}

#[test]
fn save_and_restore_continue_exactly() {
    let mut events = vec![issued(0, "first"), issued(5, "ok")];
    for i in 0..6 {
        let s = 10 + i * 100;
        events.push(used(s, &format!("r{i}"), &format!("f{}", i % 3), s - 1));
        events.push(used(s + 1, &format!("ok{i}"), "ok", 5));
    }
    events.push(issued(900, "later"));
    events.push(tick(5_000));
    events.push(used(5_001, "again", "f0", 4_990));
    let out = assert_resumable(&|| Box::new(detector()), &events);
    assert!(out.len() >= 3);
}

#[test]
fn restore_refuses_another_detectors_state() {
    let other = support::save_state("signing-key", &0_u32).unwrap();
    assert!(detector().restore(other).is_err());
}

#[test]
fn settings_are_checked() {
    let bad = ForgedTokenConfig {
        skew_s: -1,
        ..ForgedTokenConfig::default()
    };
    let err = ForgedToken::new(&bad).err().unwrap().to_string();
    assert_eq!(
        err,
        "detector forged-token: `skew_s` is -1, must be between 0 and 3600"
    );
}
