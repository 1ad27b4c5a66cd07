//! The synthetic platform: every planted violation is found and nothing
//! else (`truth/violations.json`), and its clean variant gives no decision.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout
)]

use std::collections::BTreeSet;
use std::path::Path;

use steward_model::masked::FingerprintKey;
use steward_policy::{CheckInput, Decision, Found, PolicySet};
use steward_scan::detectors::builtin;
use steward_scan::engine::{Engine, EngineOptions};
use steward_scan::{Collected, ScanOptions, Scanner};

/// Scans the platform as `steward scan` does and returns its inventory.
fn inventory(dir: &Path) -> Vec<Found> {
    let engine = Engine::new(builtin(), EngineOptions::default()).unwrap();
    let mut ignore = globset::GlobSetBuilder::new();
    ignore.add(globset::Glob::new("**/truth/**").unwrap());
    let options = ScanOptions {
        ignore: Some(ignore.build().unwrap()),
        ..ScanOptions::default()
    };
    let scanner = Scanner::new(engine, FingerprintKey::from_bytes([3; 32]), options);
    let inputs = scanner.inputs(&[dir.display().to_string()]).unwrap();
    let sink = Collected::default();
    scanner.scan(&inputs, &sink);
    let mut found = Vec::new();
    for r in sink.into_reports() {
        for f in &r.findings {
            let location = f.location.within_source();
            found.push(Found {
                dataset: r.path.clone(),
                location,
                category: f.category.as_str().to_owned(),
                detector: f.detector.clone(),
                jurisdiction: f
                    .jurisdiction
                    .map(|j| j.code().to_owned())
                    .unwrap_or_default(),
                count: f.column.as_ref().map_or(1, |c| c.values),
            });
        }
    }
    found
}

fn check(dir: &Path, as_of: jiff::civil::Date) -> Vec<Decision> {
    let loaded = steward_policy::load::load_manifest(&dir.join("manifest.yaml")).unwrap();
    let roster = steward_policy::load::load_roster(&dir.join("hr/roster.csv")).unwrap();
    let found = inventory(dir);
    let mut rules = PolicySet::builtin().unwrap();
    let input = CheckInput {
        manifest: &loaded.manifest,
        root: dir,
        found: &found,
        roster: Some(&roster),
        as_of,
    };
    steward_policy::check(&mut rules, &input, &loaded.lines).unwrap()
}

fn generate(variant: steward_synth::Variant) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let cfg = steward_synth::Config {
        customers: 2_000,
        days: 3,
        seed: 11,
        variant,
        ..steward_synth::Config::default()
    };
    steward_synth::generate(&cfg, dir.path(), &steward_synth::NoProgress).unwrap();
    dir
}

#[derive(serde::Deserialize)]
struct Truth {
    as_of: jiff::civil::Date,
    violations: Vec<Planted>,
}

#[derive(serde::Deserialize)]
struct Planted {
    rule: String,
    resource: String,
}

fn truth(dir: &Path) -> Truth {
    serde_json::from_str(&std::fs::read_to_string(dir.join("truth/violations.json")).unwrap())
        .unwrap()
}

#[test]
fn every_planted_violation_is_found_and_nothing_else() {
    let dir = generate(steward_synth::Variant::Planted);
    let t = truth(dir.path());
    let decisions = check(dir.path(), t.as_of);
    for d in &decisions {
        println!(
            "{} {} {} :: {}",
            d.rule_id,
            d.resource,
            d.line.unwrap_or(0),
            d.message
        );
    }
    let got: BTreeSet<(String, String)> = decisions
        .iter()
        .map(|d| (d.rule_id.clone(), d.resource.clone()))
        .collect();
    let want: BTreeSet<(String, String)> = t
        .violations
        .into_iter()
        .map(|p| (p.rule, p.resource))
        .collect();
    assert_eq!(got, want);
    // Every decision points at its manifest line.
    assert!(decisions.iter().all(|d| d.line.is_some()), "{decisions:#?}");
}

#[test]
fn the_clean_variant_gives_no_decision() {
    let dir = generate(steward_synth::Variant::Clean);
    let t = truth(dir.path());
    assert!(
        t.violations.is_empty(),
        "{:?}",
        t.violations
            .iter()
            .map(|v| (&v.rule, &v.resource))
            .collect::<Vec<_>>()
    );
    let decisions = check(dir.path(), t.as_of);
    assert!(decisions.is_empty(), "{decisions:#?}");
}
