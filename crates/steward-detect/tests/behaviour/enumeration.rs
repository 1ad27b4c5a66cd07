//! `enumeration`: sequential walks against random orders.

use steward_detect::behaviour::enumeration::{Config, Enumeration};
use steward_detect::{Detector, EventRole};
use steward_model::alert::Severity;
use steward_model::event::AccessEvent;
use steward_model::event::PrincipalKind::{Customer, Service, Staff};

use super::harness::{T0, context, in_time_order, mix, read, run};

fn enumeration(config: Config) -> Enumeration {
    Enumeration::new(&context(2), config).unwrap()
}

/// The replay's shape: from one address, a forged token per victim, each
/// victim's profile and address book read in turn, ids `from..from + n`
/// (descending when `step` is negative), `every_ms` apart.
fn walk(from: u64, n: u64, step: i64, every_ms: i64, ip: &str, start: i64) -> Vec<AccessEvent> {
    let mut out = Vec::new();
    for i in 0..n {
        let id = (from as i64 + step * i as i64) as u64;
        let member = id.to_string();
        for k in 0..2 {
            let mut e = read(start + i as i64 * every_ms + k, &member, Customer, &member);
            e.source.ip = ip.parse().ok();
            e.source.country = steward_model::jurisdiction::Country::parse("CN").ok();
            out.push(e);
        }
    }
    out
}

#[test]
fn a_forged_token_walk_is_found_per_source_address() {
    let events = walk(1, 200, 1, 20_000, "116.62.0.1", T0);
    let mut det = enumeration(Config::default());
    let out = run(&mut det, &events, 0);
    assert_eq!(out.len(), 1, "{out:#?}");
    let d = &out[0];
    assert_eq!((d.detector, d.severity), ("enumeration", Severity::High));
    assert_eq!(d.key, "ip:116.62.0.1");
    assert_eq!(d.principal, "");
    assert_eq!(d.actors, ["ip:116.62.0.1"]);
    assert_eq!(d.window_start_ms, T0);
    // Flagged at the 50th read: the 25th id's second read.
    assert_eq!(d.events, 50);
    assert_eq!(d.facts["reads"], 50);
    assert_eq!(d.facts["distinct_ids"], 25);
    assert_eq!(d.facts["sequential_share"], 1.0);
    assert_eq!(d.facts["direction"], "ascending");
    assert_eq!(d.facts["principal_changes"], 24);
    assert_eq!(d.facts["source_countries"], serde_json::json!(["CN"]));
    assert!(!d.title.contains("116.62"), "{}", d.title);
    assert_eq!(det.stats().detections, 1);
}

#[test]
fn descending_walks_and_small_skips_count_too() {
    let mut events = walk(5_000, 40, -2, 10_000, "47.95.0.9", T0);
    events.extend(walk(9_000, 40, 3, 10_000, "47.95.0.10", T0));
    let mut det = enumeration(Config::default());
    let out = run(&mut det, &in_time_order(events), 0);
    let keys: Vec<&str> = out.iter().map(|d| d.key.as_str()).collect();
    assert_eq!(keys, ["ip:47.95.0.9", "ip:47.95.0.10"]);
    assert_eq!(out[0].facts["direction"], "descending");
}

#[test]
fn random_orders_and_own_records_stay_quiet() {
    let mut events = Vec::new();
    // Support agents read customers in random order all day.
    for i in 0..4_000u64 {
        let agent = if i % 2 == 0 { "E001" } else { "E002" };
        let subject = mix(i) % 20_000 + 1;
        events.push(read(
            T0 + i as i64 * 5_000,
            agent,
            Staff,
            &subject.to_string(),
        ));
    }
    // Customers browse their own records from a shared address.
    for i in 0..3_000u64 {
        let c = (mix(i ^ 0xabc) % 50 + 1).to_string();
        let mut e = read(T0 + i as i64 * 3_000, &c, Customer, &c);
        e.source.ip = "112.169.9.232".parse().ok();
        events.push(e);
    }
    let mut det = enumeration(Config::default());
    let out = run(&mut det, &in_time_order(events), 0);
    assert!(out.is_empty(), "{out:#?}");
}

#[test]
fn exempt_kinds_cover_the_batch_job() {
    let batch: Vec<AccessEvent> = (1..=500u64)
        .map(|i| {
            read(
                T0 + i as i64 * 1_000,
                "recsys-batch",
                Service,
                &i.to_string(),
            )
        })
        .collect();
    let mut det = enumeration(Config::default());
    assert!(run(&mut det, &batch, 0).is_empty());
    let mut det = enumeration(Config {
        exempt_kinds: Vec::new(),
        ..Config::default()
    });
    let keys: Vec<String> = run(&mut det, &batch, 0)
        .into_iter()
        .map(|d| d.key)
        .collect();
    assert_eq!(keys, ["ip:198.51.100.7", "principal:recsys-batch"]);
}

#[test]
fn gaps_end_runs_and_nearby_runs_share_an_episode() {
    // A walk, 30 minutes of silence (ends the run, within the 12-hour
    // episode gap), a second walk; then 13 hours of silence and a third.
    let mut events = walk(1, 40, 1, 5_000, "116.62.0.1", T0);
    events.extend(walk(100, 40, 1, 5_000, "116.62.0.1", T0 + 30 * 60_000));
    events.extend(walk(500, 40, 1, 5_000, "116.62.0.1", T0 + 14 * 3_600_000));
    let mut det = enumeration(Config::default());
    let out = run(&mut det, &events, 0);
    let starts: Vec<i64> = out.iter().map(|d| d.window_start_ms).collect();
    assert_eq!(starts, [T0, T0 + 14 * 3_600_000]);
    // Runs shorter than min_reads never fire: 24 ids read once each.
    let mut det = enumeration(Config::default());
    let once: Vec<AccessEvent> = walk(1, 24, 1, 5_000, "116.62.0.2", T0)
        .into_iter()
        .step_by(2)
        .collect();
    assert!(run(&mut det, &once, 0).is_empty());
}

#[test]
fn late_events_are_counted_and_non_numeric_ids_undecided() {
    let mut det = enumeration(Config::default());
    let mut out = Vec::new();
    det.observe(
        &read(T0 + 10_000, "E001", Staff, "5"),
        EventRole::Access,
        &mut out,
    );
    det.advance(T0 + 10_000, &mut out);
    det.observe(
        &read(T0 + 5_000, "E001", Staff, "6"),
        EventRole::Access,
        &mut out,
    );
    det.observe(
        &read(T0 + 20_000, "E001", Staff, "m-77"),
        EventRole::Access,
        &mut out,
    );
    det.observe(
        &read(T0 + 20_001, "E001", Staff, "0042"),
        EventRole::Access,
        &mut out,
    );
    let stats = det.stats();
    assert_eq!(
        (stats.events, stats.late_events, stats.undecided),
        (4, 1, 2)
    );
}

#[test]
fn actors_are_bounded_and_idle_ones_dropped() {
    let mut det = enumeration(Config {
        max_actors: 100,
        by_principal: false,
        ..Config::default()
    });
    let mut out = Vec::new();
    for i in 0..1_000u32 {
        let mut e = read(T0 + i64::from(i), "1", Customer, "1");
        e.source.ip = Some(std::net::IpAddr::V4(std::net::Ipv4Addr::from(
            0x0a00_0000 + i,
        )));
        det.observe(&e, EventRole::Access, &mut out);
    }
    assert!(det.stats().evicted >= 900, "{:?}", det.stats());
    let held = |det: &Enumeration| {
        det.save().unwrap()["state"]["ips"]
            .as_object()
            .unwrap()
            .len()
    };
    assert!(held(&det) <= 100);
    // Eleven minutes later every actor is idle past both gaps (none was
    // flagged, so only max_gap_ms applies).
    det.advance(T0 + 11 * 60_000, &mut out);
    assert_eq!(held(&det), 0);
}

#[test]
fn checkpoints_continue_exactly() {
    let mut events = walk(1, 300, 1, 7_000, "116.62.0.1", T0);
    events.extend(walk(10_000, 300, 1, 7_000, "116.62.0.2", T0 + 1_000));
    for i in 0..2_000u64 {
        events.push(read(
            T0 + i as i64 * 1_100,
            "E001",
            Staff,
            &(mix(i) % 9_000).to_string(),
        ));
    }
    let events = in_time_order(events);
    let n = events.len();
    let out = super::harness::assert_checkpoints_continue(
        || Box::new(enumeration(Config::default())),
        &events,
        &[1, 60, n / 2, n - 1],
    );
    assert_eq!(out.len(), 2);
}
