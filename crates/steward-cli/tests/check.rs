//! `steward check` as a user runs it: the synthetic platform's planted
//! violations after a scan, its clean variant, exit codes, SARIF and JSON,
//! user rules and their errors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn steward(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("steward").unwrap();
    c.current_dir(dir).arg("--quiet");
    c
}

/// `steward check` of the platform `platform` made, against its scan.
fn check_platform(dir: &Path, as_of: &str) -> Command {
    let mut c = steward(dir);
    c.args([
        "--state",
        "state.db",
        "check",
        "--manifest",
        "p/manifest.yaml",
    ])
    .args(["--as-of", as_of]);
    c
}

/// Generates a small platform of `variant` in `dir/p` and scans it into
/// `dir/state.db`; returns the truth's `as_of` and violations.
fn platform(dir: &Path, variant: &str) -> (String, BTreeSet<(String, String)>) {
    steward(dir)
        .args([
            "--state",
            "state.db",
            "generate",
            "--out",
            "p",
            "--customers",
            "1000",
            "--days",
            "3",
        ])
        .args(["--variant", variant, "--attacks", "none"])
        .assert()
        .code(0);
    steward(dir)
        .args([
            "--state",
            "state.db",
            "scan",
            "p",
            "--exclude",
            "**/truth/**",
        ])
        .assert()
        .code(predicate::in_iter([0, 1]));
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("p/truth/violations.json")).unwrap(),
    )
    .unwrap();
    let set = truth["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["rule"].as_str().unwrap().to_owned(),
                v["resource"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (truth["as_of"].as_str().unwrap().to_owned(), set)
}

#[test]
fn the_planted_platform_fails_with_exactly_its_violations_in_json_and_sarif() {
    let dir = tempfile::tempdir().unwrap();
    let (as_of, want) = platform(dir.path(), "planted");
    assert!(want.len() > 10);
    let out = check_platform(dir.path(), &as_of)
        .args(["-f", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let got: BTreeSet<(String, String)> = doc["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert!(!d["citation"].as_str().unwrap().is_empty());
            assert!(!d["fix"].as_str().unwrap().is_empty());
            (
                d["rule_id"].as_str().unwrap().to_owned(),
                d["resource"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(got, want);

    check_platform(dir.path(), &as_of)
        .args(["-f", "sarif", "-o", "check.sarif"])
        .assert()
        .code(1);
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("check.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), want.len());
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        assert!(
            rules[i]["helpUri"]
                .as_str()
                .unwrap()
                .starts_with("https://")
        );
        assert_eq!(
            r["partialFingerprints"]["steward/v1"]
                .as_str()
                .unwrap()
                .len(),
            64
        );
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "p/manifest.yaml");
        assert!(loc["region"]["startLine"].as_u64().unwrap() > 1);
    }
    // No value the scan found is in the report.
    let raw = std::fs::read_to_string(dir.path().join("check.sarif")).unwrap();
    assert!(!raw.contains("BEGIN PRIVATE KEY") && !raw.contains("AKIA"));
}

#[test]
fn the_clean_variant_passes() {
    let dir = tempfile::tempdir().unwrap();
    let (as_of, want) = platform(dir.path(), "clean");
    assert!(want.is_empty());
    check_platform(dir.path(), &as_of)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 violations"));
}

const MANIFEST: &str = "version: 1
organization: { name: Shop, established_in: KR, markets: [KR] }
systems:
  - id: crm
    name: CRM
    country: KR
    log_retention_days: 730
    datasets:
      - { id: crm.people, location: people.csv, format: csv, personal_data: true }
";

#[test]
fn user_rules_exit_codes_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("manifest.yaml"), MANIFEST).unwrap();
    steward(d)
        .args(["check", "--no-state", "--as-of", "2025-05-01"])
        .assert()
        .code(0);
    std::fs::create_dir(d.join("rules")).unwrap();
    std::fs::write(
        d.join("rules/csv.rego"),
        r#"package steward.rules.no_csv

meta := {"id": "ACME-CSV", "title": "No CSV stores", "severity": "warning",
	"citation": "ACME data standard 2", "source": "https://example.org/std#2", "fix": "Use the warehouse."}

violations contains v if {
	some id, d in input.datasets
	endswith(d.location, ".csv")
	v := {"resource": id, "kind": "dataset", "message": sprintf("`%s` is a CSV file", [id])}
}
"#,
    )
    .unwrap();
    steward(d)
        .args([
            "check",
            "--no-state",
            "--as-of",
            "2025-05-01",
            "--policy",
            "rules",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ACME-CSV").and(predicate::str::contains("crm.people")));
    steward(d)
        .args(["check", "--list-rules", "--policy", "rules"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ACME-CSV").and(predicate::str::contains("POL-KR-28-8")));

    // Each error: the file to write, the arguments, what stderr must say.
    let manifest = |rest: &str| format!("{MANIFEST}{rest}");
    let cases = [
        (
            "rules/broken.rego",
            "package steward.rules.broken\n\nmeta := {\n".to_owned(),
            vec!["--policy", "rules"],
            "rules/broken.rego:",
        ),
        (
            "bad.yaml",
            manifest("bogus: 1\n"),
            vec!["--manifest", "bad.yaml"],
            "bad.yaml:10:",
        ),
        (
            "dangling.yaml",
            manifest(
                "flows:\n  - { id: f1, from: crm.people, to: nowhere, purpose: p, categories: [], kind: export }\n",
            ),
            vec!["--manifest", "dangling.yaml"],
            "dangling.yaml:11:37: `flows[0].to`: flow destination `nowhere` names no dataset or vendor",
        ),
        (
            "unused.txt",
            String::new(),
            vec!["--manifest", "missing.yaml"],
            "missing.yaml",
        ),
    ];
    for (file, text, args, says) in cases {
        std::fs::write(d.join(file), text).unwrap();
        steward(d)
            .args(["check", "--no-state"])
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
        if file.ends_with(".rego") {
            std::fs::remove_file(d.join(file)).unwrap();
        }
    }
}
