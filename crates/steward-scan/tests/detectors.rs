//! Every detector against its fixture: `+` lines must give a finding of
//! that detector, `-` lines must not. The masked findings of the `+` lines
//! are snapshotted (`cargo insta review` after a change).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;

use steward_model::masked::Sensitive;
use steward_scan::detectors::builtin;
use steward_scan::engine::{Engine, EngineOptions};

#[test]
fn every_detector_has_a_fixture_with_true_and_false_examples() {
    let engine = Engine::new(builtin(), EngineOptions::default()).unwrap();
    let mut cache = engine.cache();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/detectors");
    let mut failures = Vec::new();
    for d in engine.detectors() {
        let path = dir.join(format!("{}.txt", d.id));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (mut pos, mut neg) = (0, 0);
        let mut snapshot = String::new();
        for (n, line) in text.lines().enumerate() {
            let (want, example) = match line.split_at_checked(2) {
                Some(("+ ", rest)) => (true, rest),
                Some(("- ", rest)) => (false, rest),
                _ => continue,
            };
            let mut hits = Vec::new();
            engine.find(&mut cache, example.as_bytes(), &[], &mut hits);
            let mine: Vec<_> = hits
                .iter()
                .filter(|h| engine.detectors()[h.detector].id == d.id)
                .collect();
            if want {
                pos += 1;
                if mine.is_empty() {
                    failures.push(format!("{}:{}: not found: {example}", d.id, n + 1));
                }
                for h in mine {
                    let masked = Sensitive::new(&example[h.start..h.end], d.mask).masked();
                    writeln!(
                        snapshot,
                        "line {}: bytes {}..{} confidence {:.2} {masked}",
                        n + 1,
                        h.start,
                        h.end,
                        h.confidence
                    )
                    .unwrap();
                }
            } else {
                neg += 1;
                if !mine.is_empty() {
                    failures.push(format!("{}:{}: false positive: {example}", d.id, n + 1));
                }
            }
        }
        assert!(
            pos > 0 && neg > 0,
            "{}: needs true and false examples",
            d.id
        );
        insta::assert_snapshot!(d.id.clone(), snapshot);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
