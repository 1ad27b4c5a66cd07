//! `export-volume`: records and bytes against the principal's baseline.

use steward_detect::Detector;
use steward_detect::behaviour::export::{Config, ExportVolume};
use steward_model::alert::Severity;
use steward_model::event::AccessEvent;
use steward_model::event::PrincipalKind::Staff;

use super::harness::{HOUR, T0, context, hour_of_reads, in_time_order, run};

/// `reads` reads of `records` records of 1,500 bytes each.
fn hour(h: i64, agent: &str, reads: u64, records: u64, seed: u64) -> Vec<AccessEvent> {
    let mut events = hour_of_reads(T0 + h * HOUR, agent, Staff, reads, 1_000_000, seed);
    for e in &mut events {
        e.records = Some(records);
        e.bytes = Some(records * 1_500);
    }
    events
}

/// Three agents, 30 hours of about 600 single-record reads an hour.
fn steady() -> Vec<AccessEvent> {
    let mut events = Vec::new();
    for h in 0..30 {
        for a in 1..=3u64 {
            let n = 550 + super::harness::mix(h as u64 * 3 + a) % 100;
            events.extend(hour(h, &format!("E{a:03}"), n, 1, a));
        }
    }
    events
}

fn export(config: Config) -> ExportVolume {
    ExportVolume::new(&context(3), config).unwrap()
}

#[test]
fn a_bulk_export_is_flagged_by_ratio() {
    let mut events = steady();
    // E001 pulls whole order histories: 600 reads of 60 records (36,000
    // records, 54 MB): high. E002 reads 600 of 4 records: medium.
    events.extend(hour(30, "E001", 600, 60, 1));
    events.extend(hour(30, "E002", 600, 4, 2));
    events.extend(hour(30, "E003", 600, 1, 3));
    let mut det = export(Config::default());
    let out = run(&mut det, &in_time_order(events), 0);
    let got: Vec<(&str, Severity)> = out.iter().map(|d| (d.key.as_str(), d.severity)).collect();
    assert_eq!(
        got,
        [("E001", Severity::High), ("E002", Severity::Medium)],
        "{out:#?}"
    );
    assert_eq!(out[0].facts["records"], 36_000);
    assert_eq!(out[0].facts["bytes"], 54_000_000);
    assert_eq!(out[1].facts["records"], 2_400);
    assert!(
        out[0]
            .title
            .starts_with("staff principal received 36000 records")
    );
}

#[test]
fn floors_keep_small_principals_quiet() {
    let mut events = steady();
    // Ten times its usual records, but below both floors.
    events.extend(hour(30, "E003", 600, 3, 3));
    let config = Config {
        min_records: 5_000,
        min_bytes: 20_000_000,
        ..Config::default()
    };
    let mut det = export(config);
    assert!(run(&mut det, &in_time_order(events), 0).is_empty());
}

#[test]
fn checkpoints_continue_exactly() {
    let mut events = steady();
    events.extend(hour(30, "E001", 600, 60, 1));
    events.extend(hour(31, "E001", 600, 60, 1));
    let events = in_time_order(events);
    let n = events.len();
    let out = super::harness::assert_checkpoints_continue(
        || Box::new(export(Config::default())),
        &events,
        &[n / 2, n - 700],
    );
    assert_eq!(out.len(), 1);
    let det = export(Config::default());
    let err = {
        let mut det = det;
        det.restore(serde_json::json!({"version": 99, "state": {}}))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err,
        "detector export-volume: saved state not usable: version 99 where 1 was expected"
    );
}
