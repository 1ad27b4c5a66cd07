//! `breadth`: busy principals against their baselines.

use steward_detect::behaviour::baseline;
use steward_detect::behaviour::breadth::{Breadth, Config};
use steward_detect::{Detector, EventRole};
use steward_model::alert::Severity;
use steward_model::event::PrincipalKind::{ApiKey, Customer, Service, Staff};

use super::harness::{HOUR, T0, context, hour_of_reads, in_time_order, read, run};

fn breadth(config: Config) -> Breadth {
    Breadth::new(&context(4), config).unwrap()
}

/// Four support agents reading about 800 distinct customers an hour for
/// `hours` hours, then whatever `extra` adds.
fn busy_agents(hours: i64) -> Vec<steward_model::event::AccessEvent> {
    let mut events = Vec::new();
    for h in 0..hours {
        for a in 1..=4u64 {
            let n = 700 + (super::harness::mix(h as u64 * 7 + a) % 200);
            events.extend(hour_of_reads(
                T0 + h * HOUR,
                &format!("E{a:03}"),
                Staff,
                n,
                1_000_000,
                a,
            ));
        }
    }
    events
}

#[test]
fn busy_agent_steady_is_quiet_and_a_twentyfold_jump_is_flagged_once() {
    let mut events = busy_agents(30);
    // Agent E002 reads 20,000 customers in each of two consecutive hours.
    for h in 30..32 {
        events.extend(hour_of_reads(
            T0 + h * HOUR,
            "E002",
            Staff,
            20_000,
            1_000_000,
            9,
        ));
        events.extend(hour_of_reads(
            T0 + h * HOUR,
            "E001",
            Staff,
            800,
            1_000_000,
            1,
        ));
    }
    let events = in_time_order(events);
    let mut det = breadth(Config::default());
    let out = run(&mut det, &events, 0);
    assert_eq!(out.len(), 1, "{out:#?}");
    let d = &out[0];
    assert_eq!((d.detector, d.severity), ("breadth", Severity::High));
    assert_eq!((d.key.as_str(), d.principal.as_str()), ("E002", "E002"));
    assert_eq!(d.window_start_ms, T0 + 30 * HOUR);
    assert_eq!(d.window_end_ms, T0 + 31 * HOUR);
    assert_eq!(d.actors, ["principal:E002", "ip:198.51.100.7"]);
    assert_eq!(d.facts["peer_group"], "role:support_agent");
    assert_eq!(d.facts["distinct_exact"], false);
    let counted = d.facts["distinct_subjects"].as_u64().unwrap();
    // 20,000 reads of a million ids: about 19,800 distinct.
    assert!((19_000..20_600).contains(&counted), "{counted}");
    assert_eq!(d.facts["distinct_subjects_own_windows"], 30);
    assert!(d.facts["distinct_subjects_threshold"].as_f64().unwrap() < 1_100.0);
    assert!(!d.title.contains("E002"));
    let stats = det.stats();
    assert_eq!((stats.detections, stats.late_events), (1, 0));
}

#[test]
fn new_principal_is_judged_against_its_peers_with_a_stricter_bar() {
    // Twelve windows each: below min_history (24), so every agent is judged
    // against the support agents' bound times new_principal_factor (2).
    let mut events = busy_agents(12);
    events.extend(hour_of_reads(
        T0 + 12 * HOUR,
        "E001",
        Staff,
        1_200,
        1_000_000,
        5,
    ));
    // A fifth agent on its first hour, and an engineer without peers.
    events.extend(hour_of_reads(
        T0 + 12 * HOUR,
        "E005",
        Staff,
        3_000,
        1_000_000,
        6,
    ));
    events.extend(hour_of_reads(
        T0 + 12 * HOUR,
        "E900",
        Staff,
        6_000,
        1_000_000,
        7,
    ));
    let mut det = Breadth::new(&context(5), Config::default()).unwrap();
    let out = run(&mut det, &in_time_order(events), 0);
    // 1,200 is above the peers' bound (about 1,020) but not twice it.
    assert_eq!(out.len(), 1, "{out:#?}");
    let d = &out[0];
    assert_eq!(d.key, "E005");
    assert_eq!(d.facts["peer_group"], "role:support_agent");
    assert!(d.facts.get("distinct_subjects_own_windows").is_none());
    let peer_upper = d.facts["distinct_subjects_peer_upper"].as_f64().unwrap();
    let threshold = d.facts["distinct_subjects_threshold"].as_f64().unwrap();
    assert!(
        (threshold - 2.0 * peer_upper).abs() < 0.02,
        "{threshold} {peer_upper}"
    );
    assert!(d.title.contains("peer group"), "{}", d.title);
    // Undecided: the agents' first two hours (fewer than min_peer_samples
    // peer windows) and the engineer, who has no peers.
    assert_eq!(det.stats().undecided, 4 + 4 + 1);
}

#[test]
fn without_any_baseline_a_window_is_undecided() {
    let events = hour_of_reads(T0, "svc-new", Service, 5_000, 1_000_000, 3);
    let mut det = breadth(Config::default());
    let out = run(&mut det, &events, 0);
    assert!(out.is_empty());
    assert_eq!(det.stats().undecided, 1);
}

#[test]
fn nightly_batch_job_stays_quiet_for_two_weeks() {
    let mut events = Vec::new();
    for day in 0..14 {
        for h in [2, 3] {
            let start = T0 + (day * 24 + h) * HOUR;
            // Walks 5,000 members in order each hour.
            events.extend((0..5_000u64).map(|i| {
                let member = (day as u64 * 10_000 + (h as u64 - 2) * 5_000 + i) % 1_000_000 + 1;
                read(
                    start + i as i64 * 700,
                    "recsys-batch",
                    Service,
                    &member.to_string(),
                )
            }));
        }
    }
    let mut det = breadth(Config::default());
    let out = run(&mut det, &events, 0);
    assert!(out.is_empty(), "{out:#?}");
    // Until its group held min_peer_samples (8) windows it was undecided.
    assert_eq!(det.stats().undecided, 8);
}

#[test]
fn customers_reading_themselves_never_count_but_reading_others_does() {
    let mut events = Vec::new();
    for h in 0..3 {
        for c in 1..=300u64 {
            let id = c.to_string();
            for k in 0..3 {
                events.push(read(
                    T0 + h * HOUR + k * 60_000 + c as i64,
                    &id,
                    Customer,
                    &id,
                ));
            }
        }
    }
    // Customer 77 reads 300 other members in hour 3.
    events.extend((0..300u64).map(|i| {
        read(
            T0 + 3 * HOUR + i as i64 * 1000,
            "77",
            Customer,
            &(1000 + i).to_string(),
        )
    }));
    events.push(read(T0 + 3 * HOUR + 5, "78", Customer, "78"));
    let events = in_time_order(events);
    let mut det = breadth(Config::default());
    let out = run(&mut det, &events, 0);
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!(out[0].key, "77");
    assert_eq!(out[0].facts["peer_group"], "kind:customer");
    assert_eq!(out[0].facts["distinct_subjects"], 300);
    assert_eq!(out[0].facts["distinct_exact"], true);
    assert!(out[0].title.starts_with("customer principal read 300 "));
}

#[test]
fn windows_close_at_their_end_and_late_events_are_counted() {
    let config = Config {
        min_subjects: 1,
        ..Config::default()
    };
    let mut det = breadth(config);
    let mut out = Vec::new();
    // One read at the last millisecond of hour 0, one at the start of hour 1.
    det.observe(
        &read(T0 + HOUR - 1, "E001", Staff, "1"),
        EventRole::Access,
        &mut out,
    );
    det.observe(
        &read(T0 + HOUR, "E001", Staff, "2"),
        EventRole::Access,
        &mut out,
    );
    det.advance(T0 + HOUR - 1, &mut out);
    let open = |det: &Breadth| det.save().unwrap()["state"]["windows"]["open"].clone();
    assert_eq!(open(&det).as_object().unwrap().len(), 2);
    det.advance(T0 + HOUR, &mut out);
    let windows = open(&det);
    assert_eq!(windows.as_object().unwrap().len(), 1);
    assert!(windows.get((T0 + HOUR).to_string()).is_some());
    // Older than the watermark: late, left out.
    det.observe(
        &read(T0 + HOUR - 10, "E001", Staff, "3"),
        EventRole::Access,
        &mut out,
    );
    assert_eq!(det.stats().late_events, 1);
    // Failed and non-access events are not reads.
    let mut denied = read(T0 + HOUR + 5, "E001", Staff, "4");
    denied.outcome = steward_model::event::Outcome::Denied;
    det.observe(&denied, EventRole::Access, &mut out);
    det.observe(
        &read(T0 + HOUR + 6, "E001", Staff, "5"),
        EventRole::Issuance,
        &mut out,
    );
    let windows = open(&det);
    let slot = &windows[(T0 + HOUR).to_string()]["slots"]["E001"];
    assert_eq!(slot["evidence"]["events"], 1);
    assert_eq!(det.stats().events, 5);
    det.finish(&mut out);
    assert!(open(&det).as_object().unwrap().is_empty());
    assert!(out.is_empty());
}

#[test]
fn a_scraping_partner_key_is_flagged_and_names_its_key_and_addresses() {
    let mut events = Vec::new();
    for h in 0..40 {
        events.extend(hour_of_reads(
            T0 + h * HOUR,
            "ak_partner",
            ApiKey,
            300,
            1_000_000,
            h as u64,
        ));
    }
    let mut scrape = hour_of_reads(T0 + 40 * HOUR, "ak_partner", ApiKey, 3_000, 1_000_000, 77);
    for (i, e) in scrape.iter_mut().enumerate() {
        e.source.ip = format!("203.0.113.{}", i % 200).parse().ok();
    }
    events.extend(scrape);
    for e in &mut events {
        e.credential.api_key_id = Some("ak_partner".into());
    }
    let mut det = breadth(Config::default());
    let out = run(&mut det, &in_time_order(events), 0);
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!(
        out[0].actors,
        [
            "principal:ak_partner",
            "api_key:ak_partner",
            "ip:203.0.113.0",
            "ip:203.0.113.1",
            "ip:203.0.113.2"
        ]
    );
    assert_eq!(out[0].facts["peer_group"], "kind:api_key");
}

#[test]
fn checkpoints_continue_exactly() {
    let mut events = busy_agents(26);
    events.extend(hour_of_reads(
        T0 + 26 * HOUR,
        "E003",
        Staff,
        12_000,
        1_000_000,
        4,
    ));
    events.extend(hour_of_reads(
        T0 + 27 * HOUR,
        "E003",
        Staff,
        12_000,
        1_000_000,
        5,
    ));
    let events = in_time_order(events);
    let n = events.len();
    let out = super::harness::assert_checkpoints_continue(
        || Box::new(breadth(Config::default())),
        &events,
        &[n / 3, n - 15_000, n - 3],
    );
    assert_eq!(out.len(), 1);
}

#[test]
fn settings_are_checked() {
    let bad = Config {
        baseline: baseline::Settings {
            min_history: 500,
            ..baseline::Settings::default()
        },
        ..Config::default()
    };
    let err = Breadth::new(&context(1), bad).unwrap_err().to_string();
    assert!(
        err.starts_with("detector breadth: baseline.history"),
        "{err}"
    );
    let parsed: Config =
        serde_norway::from_str("min_subjects: 50\nbaseline: {min_history: 12}\n").unwrap();
    assert_eq!(parsed.min_subjects, 50);
    assert_eq!(parsed.baseline.min_history, 12);
    assert_eq!(parsed.window_ms, 3_600_000);
    assert!(serde_norway::from_str::<Config>("min_subject: 5\n").is_err());
}
