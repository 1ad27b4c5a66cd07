//! The identity detectors on a generated platform (5,000 members, 14 days,
//! every attack): the replayed token forgery is found within five minutes
//! of its first forged token, the departed custodian's key is flagged, and
//! nothing else fires on benign traffic.
//!
//! The gateway log is read as access events and the auth service's log as
//! issuance events, merged here by event time (issuance first on ties), and
//! fed as the hunt pipeline does: observe, then advance to the newest time.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::print_stderr
)]

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::Path;

use steward_detect::identity::{self, Config};
use steward_detect::{Context, Detection, EventRole};
use steward_logs::{LogSource, Mapping};
use steward_model::event::AccessEvent;
use steward_synth::paths;

/// A detection with the watermark at which it was reported.
struct Reported {
    detection: Detection,
    at_ms: i64,
}

fn attack_events(dir: &Path) -> HashMap<String, String> {
    let file = std::fs::File::open(dir.join(paths::TRUTH_ATTACK_EVENTS)).unwrap();
    let reader = std::io::BufReader::new(zstd::Decoder::new(file).unwrap());
    reader
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
            (
                v["event_id"].as_str().unwrap().to_owned(),
                v["attack"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn next(source: &mut LogSource) -> Option<AccessEvent> {
    source.next().map(|r| r.unwrap())
}

/// Runs every identity detector over the platform's two logs.
fn hunt(dir: &Path) -> Vec<Reported> {
    let context = Context::load(&dir.join(paths::MANIFEST)).unwrap();
    let mut detectors = identity::detectors(&context, &Config::default()).unwrap();
    let gateway = Mapping::builtin("steward-gateway").unwrap();
    let auth = Mapping::builtin("steward-auth").unwrap();
    let mut access = LogSource::open(dir.join(paths::GATEWAY_LOG), &gateway).unwrap();
    let mut issuance = LogSource::open(dir.join(paths::AUTH_LOG), &auth).unwrap();
    let (mut a, mut i) = (next(&mut access), next(&mut issuance));
    let mut reported = Vec::new();
    let mut out = Vec::new();
    let mut now = i64::MIN;
    loop {
        let (event, role) = match (a.take(), i.take()) {
            (None, None) => break,
            (Some(x), Some(y)) if x.time_ms < y.time_ms => {
                i = Some(y);
                (x, EventRole::Access)
            }
            (Some(x), Some(y)) => {
                a = Some(x);
                (y, EventRole::Issuance)
            }
            (Some(x), None) => (x, EventRole::Access),
            (None, Some(y)) => (y, EventRole::Issuance),
        };
        now = now.max(event.time_ms);
        for d in &mut detectors {
            d.observe(&event, role, &mut out);
            d.advance(now, &mut out);
        }
        reported.extend(out.drain(..).map(|detection| Reported {
            detection,
            at_ms: now,
        }));
        match role {
            EventRole::Access => a = next(&mut access),
            EventRole::Issuance => i = next(&mut issuance),
        }
    }
    for d in &mut detectors {
        d.finish(&mut out);
        let stats = d.stats();
        eprintln!(
            "{:<24} events {:>7} detections {:>3} undecided {:>5} evicted {}",
            d.id(),
            stats.events,
            stats.detections,
            stats.undecided,
            stats.evicted
        );
    }
    reported.extend(out.drain(..).map(|detection| Reported {
        detection,
        at_ms: now,
    }));
    reported
}

#[test]
fn the_replay_is_found_within_five_minutes_and_benign_traffic_is_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = steward_synth::Config {
        customers: 5_000,
        days: 14,
        ..steward_synth::Config::default()
    };
    steward_synth::generate(&cfg, dir.path(), &steward_synth::NoProgress).unwrap();
    check(dir.path());
}

/// The same checks on a platform generated beforehand, named by the
/// `STEWARD_PLATFORM` environment variable (`steward generate --out DIR`):
/// `STEWARD_PLATFORM=/work/synth-20k cargo test -p steward-detect --test
/// identity_platform -- --ignored --nocapture`.
#[test]
#[ignore = "needs a generated platform in STEWARD_PLATFORM"]
fn a_generated_platform() {
    let dir = std::env::var_os("STEWARD_PLATFORM").expect("STEWARD_PLATFORM is set");
    check(Path::new(&dir));
}

fn check(dir: &Path) {
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join(paths::TRUTH_SUMMARY)).unwrap()).unwrap();
    let replay = &truth["attacks"]["replay"];
    let truth_forged = replay["forged_tokens"].as_u64().unwrap();
    assert!(truth_forged > 0);
    let first_forged: jiff::Timestamp = replay["first_event"].as_str().unwrap().parse().unwrap();
    let first_forged = first_forged.as_millisecond();
    let attacks = attack_events(dir);

    let reported = hunt(dir);

    // Latency: the first forged-token detection after the first forged token.
    let first = reported
        .iter()
        .find(|r| r.detection.detector == "forged-token")
        .expect("the replay is detected");
    let latency_ms = first.at_ms - first_forged;
    eprintln!(
        "forged-token: first forged token at {first_forged}, reported at {} ({} s later)",
        first.at_ms,
        latency_ms / 1000
    );
    assert_eq!(first.detection.first_event_ms, first_forged);
    assert_eq!(first.detection.key, "member-2021");
    assert!(latency_ms <= 5 * 60_000, "latency {latency_ms} ms");

    // The last report of each alert (detector, key, window start), as the
    // hunt pipeline keeps it.
    let mut alerts: BTreeMap<(&str, String, i64), &Detection> = BTreeMap::new();
    for r in &reported {
        let d = &r.detection;
        alerts.insert((d.detector, d.key.clone(), d.window_start_ms), d);
    }
    let mut by_detector: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    let mut benign = Vec::new();
    for ((detector, key, _), d) in &alerts {
        let attack = d.sample_event_ids.iter().any(|id| attacks.contains_key(id));
        let counts = by_detector.entry(detector).or_default();
        if attack {
            counts.0 += 1;
        } else {
            counts.1 += 1;
            benign.push(format!("{detector} {key}"));
        }
    }
    for (detector, (attack, other)) in &by_detector {
        eprintln!(
            "{detector:<24} on attack traffic {attack:>3}, on benign traffic only {other:>3}"
        );
    }
    let forged: Vec<_> = alerts
        .values()
        .filter(|d| d.detector == "forged-token")
        .collect();
    let forged_tokens: u64 = forged
        .iter()
        .map(|d| d.facts["forged_tokens"].as_u64().unwrap())
        .sum();
    eprintln!(
        "forged-token: {} episodes, {forged_tokens} forged tokens (truth {})",
        forged.len(),
        truth_forged
    );
    assert_eq!(forged_tokens, truth_forged);
    assert!(forged.iter().all(|d| d.key == "member-2021"));
    let custodian = alerts
        .values()
        .find(|d| d.detector == "departed-custodian-key" && d.key == "member-2021")
        .expect("the departed custodian's key is flagged");
    assert_eq!(
        custodian.facts["custodians_departed"],
        serde_json::json!(["E0113"])
    );
    // Benign traffic: only the key-hygiene finding, which is about the key,
    // not the traffic.
    assert_eq!(benign, ["departed-custodian-key member-2021"]);
}
