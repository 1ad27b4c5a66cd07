//! Each detector over its fixture (`tests/fixtures/behaviour/<id>.jsonl`,
//! serialised access events in time order), detections snapshotted as
//! JSON. Review changes with `cargo insta review`.

use std::path::Path;

use steward_detect::Detector;
use steward_detect::behaviour::{baseline, breadth, enumeration, export, login_spread};
use steward_model::event::AccessEvent;

use super::harness::{context, run};

fn fixture(id: &str) -> Vec<AccessEvent> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/behaviour")
        .join(format!("{id}.jsonl"));
    std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Baselines that a few hours of fixture can fill.
fn short_baseline() -> baseline::Settings {
    baseline::Settings {
        min_history: 4,
        min_peer_samples: 4,
        ..baseline::Settings::default()
    }
}

/// Every detector with settings its fixture can exercise: the baselines
/// shortened to a few hours, the floors lowered to the fixture's scale.
fn configured() -> Vec<Box<dyn Detector>> {
    let ctx = context(3);
    vec![
        Box::new(
            breadth::Breadth::new(
                &ctx,
                breadth::Config {
                    min_subjects: 20,
                    baseline: short_baseline(),
                    ..breadth::Config::default()
                },
            )
            .unwrap(),
        ),
        Box::new(enumeration::Enumeration::new(&ctx, enumeration::Config::default()).unwrap()),
        Box::new(
            export::ExportVolume::new(
                &ctx,
                export::Config {
                    min_records: 500,
                    min_bytes: 1_000_000,
                    baseline: short_baseline(),
                    ..export::Config::default()
                },
            )
            .unwrap(),
        ),
        Box::new(
            login_spread::LoginSpread::new(
                &ctx,
                login_spread::Config {
                    window_ms: 60_000,
                    days: 0,
                    recent: 5,
                    min_addresses: 10,
                    ..login_spread::Config::default()
                },
            )
            .unwrap(),
        ),
    ]
}

#[test]
fn fixtures() {
    for mut det in configured() {
        let id = det.id();
        let out = run(det.as_mut(), &fixture(id), 0);
        let value = serde_json::json!({ "detections": out, "stats": det.stats() });
        insta::assert_json_snapshot!(id, value);
    }
}

#[test]
fn detectors_follow_the_enabled_flags() {
    use steward_detect::behaviour::{Config, detectors};
    let ids = |config: &Config| -> Vec<&'static str> {
        detectors(&context(1), config)
            .unwrap()
            .iter()
            .map(|d| d.id())
            .collect()
    };
    assert_eq!(
        ids(&Config::default()),
        [
            "breadth",
            "enumeration",
            "export-volume",
            "login-failure-spread"
        ]
    );
    let config: Config =
        serde_norway::from_str(
            "breadth: {enabled: false}\nexport_volume: {enabled: false}\nlogin_failure_spread: {enabled: false}\n",
        )
            .unwrap();
    assert_eq!(ids(&config), ["enumeration"]);
    let all = steward_detect::Config::default();
    assert_eq!(all.behaviour, Config::default());
}
