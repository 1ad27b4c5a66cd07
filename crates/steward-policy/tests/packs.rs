//! Every rule against its passing and failing fixtures.
//!
//! A fixture (`fixtures/<pack>/<rule file>.{pass,fail}.yaml`) holds a
//! manifest, optionally the scan inventory (`found`), the HR roster
//! (`roster`) and the evaluation date (`as_of`), and the exact decisions it
//! must give (`expect`, as `RULE-ID resource`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use steward_model::manifest::{Manifest, StaffMember};
use steward_policy::{CheckInput, Decision, Found, PolicySet};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    as_of: jiff::civil::Date,
    #[serde(default)]
    roster: Option<Vec<StaffMember>>,
    #[serde(default)]
    found: Vec<Found>,
    #[serde(default)]
    data: Option<serde_json::Value>,
    expect: Vec<String>,
    manifest: Manifest,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn run(path: &Path) -> (Fixture, Vec<Decision>) {
    let text = std::fs::read_to_string(path).unwrap();
    let fx: Fixture =
        serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut rules = PolicySet::builtin().unwrap();
    if let Some(d) = &fx.data {
        rules.add_data("fixture", &d.to_string()).unwrap();
    }
    let input = CheckInput {
        manifest: &fx.manifest,
        root: Path::new("/platform"),
        found: &fx.found,
        roster: fx.roster.as_deref(),
        as_of: fx.as_of,
    };
    let decisions = steward_policy::check(&mut rules, &input, &Default::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (fx, decisions)
}

fn pairs(d: &[Decision]) -> BTreeSet<String> {
    d.iter()
        .map(|d| format!("{} {}", d.rule_id, d.resource))
        .collect()
}

#[test]
fn every_fixture_gives_exactly_its_expected_decisions() {
    let mut seen = 0;
    for pack in std::fs::read_dir(fixtures()).unwrap() {
        for f in std::fs::read_dir(pack.unwrap().path()).unwrap() {
            let path = f.unwrap().path();
            if path.extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let (fx, decisions) = run(&path);
            let want: BTreeSet<String> = fx.expect.iter().cloned().collect();
            assert_eq!(pairs(&decisions), want, "{}", path.display());
            for d in &decisions {
                assert!(!d.message.is_empty() && !d.citation.is_empty() && !d.fix.is_empty());
                assert!(
                    d.facts.is_object(),
                    "{}: facts of {}",
                    path.display(),
                    d.rule_id
                );
            }
            seen += 1;
        }
    }
    assert!(seen > 0);
}

/// Each rule file has a passing and a failing fixture, and the failing one
/// fires that rule while the passing one does not.
#[test]
fn every_rule_has_a_passing_and_a_failing_fixture() {
    let mut rules = PolicySet::builtin().unwrap();
    for rule in rules.rules().unwrap() {
        let stem = Path::new(&rule.file)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let dir = fixtures().join(&rule.pack);
        let fail = dir.join(format!("{stem}.fail.yaml"));
        let pass = dir.join(format!("{stem}.pass.yaml"));
        assert!(
            fail.exists() && pass.exists(),
            "{}: no {} or {}",
            rule.id,
            fail.display(),
            pass.display()
        );
        let (_, d) = run(&fail);
        assert!(
            d.iter().any(|d| d.rule_id == rule.id),
            "{} does not fire on {}",
            rule.id,
            fail.display()
        );
        let (_, d) = run(&pass);
        assert!(
            !d.iter().any(|d| d.rule_id == rule.id),
            "{} fires on {}",
            rule.id,
            pass.display()
        );
    }
}

#[test]
fn every_rule_has_a_citation_and_a_source() {
    let mut rules = PolicySet::builtin().unwrap();
    let all = rules.rules().unwrap();
    assert!(all.len() >= 10, "{} rules", all.len());
    for r in &all {
        assert!(r.id.starts_with("POL-"), "{}", r.id);
        assert!(r.citation.len() > 8, "{}: citation `{}`", r.id, r.citation);
        assert!(
            r.source.starts_with("https://"),
            "{}: source `{}`",
            r.id,
            r.source
        );
        assert!(r.fix.len() > 20, "{}: fix", r.id);
        assert!(root().join(&r.file).exists(), "{}", r.file);
    }
}
