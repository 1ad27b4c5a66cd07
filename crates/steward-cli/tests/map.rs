//! `steward map` as a user runs it: on the synthetic platform after a scan,
//! every output format, declared-only maps, and a malformed manifest.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use assert_cmd::Command;
use predicates::prelude::*;

fn steward(dir: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("steward").unwrap();
    c.current_dir(dir).arg("--quiet");
    c
}

/// Generates a small synthetic platform in `dir/pa`; `extra` options go
/// to `generate`.
fn generate(dir: &std::path::Path, extra: &[&str]) {
    steward(dir)
        .args([
            "generate",
            "--out",
            "pa",
            "--customers",
            "100",
            "--days",
            "3",
        ])
        .args(extra)
        .assert()
        .success();
}

/// A small synthetic platform in `dir/pa`, scanned into `dir/.steward`.
fn platform() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), &[]);
    steward(dir.path()).args(["scan", "pa"]).assert().code(1);
    dir
}

#[test]
fn map_of_the_scanned_platform_in_every_format() {
    let dir = platform();
    let summary = steward(dir.path())
        .args(["map", "--manifest", "pa/manifest.yaml"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let summary = String::from_utf8(summary).unwrap();
    assert!(summary.contains("with the scan inventory"), "{summary}");
    for line in [
        "KR Korea, Republic of:",
        "US United States of America:",
        "CN China: 1 vendor",
    ] {
        assert!(summary.contains(line), "{line}\n{summary}");
    }
    assert!(
        summary.contains("Cross-border flows: 2 of 3 flows"),
        "{summary}"
    );
    assert_eq!(summary.matches("NO BASIS RECORDED").count(), 2, "{summary}");
    // Personal data found outside every dataset of the manifest.
    assert!(summary.contains("pa/hr/roster.csv: user.name"), "{summary}");

    let json = steward(dir.path())
        .args(["map", "--manifest", "pa/manifest.yaml", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let map: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let codes: Vec<&str> = map["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["KR", "CN", "US"]);
    assert_eq!(map["inventory"], true);
    let us = &map["countries"][2]["systems"][0]["datasets"][0];
    assert_eq!(us["id"], "analytics-us.members");
    let phone = us["holdings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["category"] == "user.contact.phone_number")
        .unwrap();
    assert_eq!(phone["evidence"], "both");
    assert!(phone["subjects"]["KR"].as_u64().unwrap() > 0, "{phone}");
    // Categories and counts only: no value from the stores.
    let text = String::from_utf8(json).unwrap();
    assert!(
        !text.contains("010-") && !text.contains("@example"),
        "a value leaked"
    );

    for (format, file, starts) in [
        ("mermaid", "map.mmd", "flowchart LR"),
        ("dot", "map.dot", "digraph data_map {"),
        ("svg", "map.svg", "<svg xmlns"),
        ("ropa-csv", "ropa.csv", "controller,controller_country,dpo"),
        ("ropa-xlsx", "ropa.xlsx", "PK"),
    ] {
        steward(dir.path())
            .args([
                "map",
                "--manifest",
                "pa/manifest.yaml",
                "--format",
                format,
                "-o",
                file,
            ])
            .assert()
            .code(0)
            .stdout("");
        let bytes = std::fs::read(dir.path().join(file)).unwrap();
        assert!(bytes.starts_with(starts.as_bytes()), "{format}");
    }
    let svg = std::fs::read_to_string(dir.path().join("map.svg")).unwrap();
    for id in [
        "country-KR",
        "country-US",
        "country-CN",
        "flow-flow-crossborder-cn",
    ] {
        assert!(svg.contains(&format!("id=\"{id}\"")), "{id}");
    }
    // A workbook on a pipe is fine.
    steward(dir.path())
        .args([
            "map",
            "--manifest",
            "pa/manifest.yaml",
            "--format",
            "ropa-xlsx",
        ])
        .assert()
        .code(0)
        .stdout(predicate::function(|b: &[u8]| b.starts_with(b"PK")));
}

#[test]
fn without_state_the_map_is_declared_only() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), &["--state", "other.db"]);
    steward(dir.path())
        .args(["map", "--manifest", "pa/manifest.yaml", "--no-state"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("declared categories only"))
        .stdout(predicate::str::contains("KR -> CN  flow-crossborder-cn"));
    // No state database at the default path: declared only, and none is
    // created.
    steward(dir.path())
        .args(["map", "--manifest", "pa/manifest.yaml"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("declared categories only"));
    assert!(!dir.path().join(".steward/state.db").exists());
}

#[test]
fn a_malformed_manifest_is_an_error_with_its_location() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.yaml"),
        "version: 1\norganization: {name: X, established_in: KR}\nsystems:\n  - id: db\n    name: DB\n    provider: aws\n    region: eu-central-9\n    datasets: []\n",
    )
    .unwrap();
    steward(dir.path())
        .args(["map", "--manifest", "bad.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.yaml:7:13: `systems[0].region`: unknown aws region `eu-central-9`",
        ));
    steward(dir.path())
        .args(["map", "--manifest", "missing.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read `missing.yaml`"));
}
