//! Precision and recall of every detector on the synthetic platform's
//! planted ground truth, and silence on its look-alike clean store.
//!
//! Run with `--nocapture` to see the per-detector table.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout
)]

use std::collections::{BTreeMap, HashMap};

use steward_model::finding::Location;
use steward_model::masked::FingerprintKey;
use steward_scan::detectors::builtin;
use steward_scan::engine::{Engine, EngineOptions};
use steward_scan::{Collected, ScanOptions, Scanner};

type Key = (String, String, String, String);

#[derive(Default, Debug)]
struct Score {
    tp: u64,
    fp: u64,
    fn_: u64,
    truth_values: u64,
    found_values: u64,
}

#[test]
fn every_detector_meets_precision_and_recall_on_the_platform() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = steward_synth::Config {
        customers: 3_000,
        days: 3,
        seed: 7,
        ..steward_synth::Config::default()
    };
    steward_synth::generate(&cfg, dir.path(), &steward_synth::NoProgress).unwrap();
    let key = FingerprintKey::from_bytes([9; 32]);
    let engine = Engine::new(builtin(), EngineOptions::default()).unwrap();
    let mut ignore = globset::GlobSetBuilder::new();
    ignore.add(globset::Glob::new("**/truth/**").unwrap());
    let options = ScanOptions {
        ignore: Some(ignore.build().unwrap()),
        cap: usize::MAX,
        ..ScanOptions::default()
    };
    let scanner = Scanner::new(engine, key.clone(), options);
    let root = dir.path().display().to_string();
    let inputs = scanner.inputs(std::slice::from_ref(&root)).unwrap();
    let sink = Collected::default();
    scanner.scan(&inputs, &sink);
    let reports = sink.into_reports();
    let rel = |p: &str| {
        p.strip_prefix(&root)
            .unwrap_or(p)
            .trim_start_matches('/')
            .to_owned()
    };

    // What was planted.
    let mut truth: HashMap<Key, u64> = HashMap::new();
    let mut column_values: HashMap<Key, u64> = HashMap::new();
    for line in std::fs::read_to_string(dir.path().join("truth/pii_columns.jsonl"))
        .unwrap()
        .lines()
    {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let k = (
            v["path"].as_str().unwrap().to_owned(),
            v["location"].as_str().unwrap().to_owned(),
            v["detector"].as_str().unwrap().to_owned(),
            String::new(),
        );
        column_values.insert(k.clone(), v["values"].as_u64().unwrap());
        *truth.entry(k).or_default() += 1;
    }
    for line in std::fs::read_to_string(dir.path().join("truth/pii_text.jsonl"))
        .unwrap()
        .lines()
    {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let k = (
            v["path"].as_str().unwrap().to_owned(),
            v["line"].as_u64().unwrap().to_string(),
            v["detector"].as_str().unwrap().to_owned(),
            key.fingerprint(v["value"].as_str().unwrap()).to_string(),
        );
        *truth.entry(k).or_default() += 1;
    }

    // What was found.
    let mut found: HashMap<Key, u64> = HashMap::new();
    let mut found_values: HashMap<Key, u64> = HashMap::new();
    let mut clean = 0;
    for r in &reports {
        assert!(r.error.is_none(), "{}: {:?}", r.path, r.error);
        for f in &r.findings {
            let path = rel(&r.path);
            if path.starts_with("clean/") {
                clean += 1;
                println!("clean store finding: {f:?}");
                continue;
            }
            let k = match &f.location {
                Location::Column { table, column, .. } => {
                    let loc = if table.is_empty() {
                        column.clone()
                    } else {
                        format!("{table}.{column}")
                    };
                    let k = (path, loc, f.detector.clone(), String::new());
                    found_values.insert(k.clone(), f.column.as_ref().unwrap().values);
                    k
                }
                Location::File { line, .. } => (
                    path,
                    line.to_string(),
                    f.detector.clone(),
                    f.fingerprint.to_string(),
                ),
                Location::Field { record, .. } => (
                    path,
                    record.to_string(),
                    f.detector.clone(),
                    f.fingerprint.to_string(),
                ),
            };
            *found.entry(k).or_default() += 1;
        }
    }

    let mut scores: BTreeMap<String, Score> = BTreeMap::new();
    for d in builtin() {
        scores.entry(d.id).or_default();
    }
    let mut misses = Vec::new();
    for (k, n) in &truth {
        let got = found.get(k).copied().unwrap_or(0);
        let s = scores.entry(k.2.clone()).or_default();
        s.tp += got.min(*n);
        s.fn_ += n.saturating_sub(got);
        if got < *n {
            misses.push(format!("missed {k:?}"));
        }
    }
    for (k, n) in &found {
        let want = truth.get(k).copied().unwrap_or(0);
        let s = scores.entry(k.2.clone()).or_default();
        s.fp += n.saturating_sub(want);
        if *n > want {
            misses.push(format!("extra  {k:?}"));
        }
    }
    for (k, v) in &column_values {
        let s = scores.entry(k.2.clone()).or_default();
        s.truth_values += v;
        s.found_values += found_values.get(k).copied().unwrap_or(0).min(*v);
    }
    misses.sort();
    for m in misses.iter().take(40) {
        println!("{m}");
    }
    println!(
        "{:<20} {:>6} {:>6} {:>6} {:>9} {:>7} {:>13}",
        "detector", "tp", "fp", "fn", "precision", "recall", "value recall"
    );
    let mut failures = Vec::new();
    for (id, s) in &scores {
        let p = if s.tp + s.fp == 0 {
            1.0
        } else {
            s.tp as f64 / (s.tp + s.fp) as f64
        };
        let r = if s.tp + s.fn_ == 0 {
            1.0
        } else {
            s.tp as f64 / (s.tp + s.fn_) as f64
        };
        let vr = if s.truth_values == 0 {
            1.0
        } else {
            s.found_values as f64 / s.truth_values as f64
        };
        println!(
            "{id:<20} {:>6} {:>6} {:>6} {p:>9.3} {r:>7.3} {vr:>13.3}",
            s.tp, s.fp, s.fn_
        );
        if p < 0.98 || r < 0.98 || vr < 0.98 {
            failures.push(id.clone());
        }
    }
    assert_eq!(clean, 0, "the clean store must give no findings");
    assert!(failures.is_empty(), "below 0.98: {failures:?}");
}
