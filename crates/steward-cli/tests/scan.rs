//! `steward scan` as a user runs it: exit codes, every output format, the
//! inventory, skipping unchanged files, and no raw value anywhere unless
//! asked for.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use assert_cmd::Command;
use predicates::prelude::*;
use steward_store::StateStore;

fn steward(dir: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("steward").unwrap();
    c.current_dir(dir).arg("--quiet");
    c
}

#[test]
fn exit_codes_say_clean_findings_or_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("clean.txt"),
        "nothing personal here, order 12 shipped\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("leak.log"),
        "checkout phone=010-1234-5678\n",
    )
    .unwrap();
    steward(dir.path())
        .args(["scan", "clean.txt"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no personal data"));
    steward(dir.path())
        .args(["scan", "leak.log"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("user.contact.phone_number"));
    steward(dir.path())
        .args(["scan", "missing.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.csv"));
    std::fs::write(
        dir.path().join("bad.yaml"),
        "detectors:\n  - id: X\n    category: user.nope\n    pattern: x\n",
    )
    .unwrap();
    steward(dir.path())
        .args(["scan", "--config", "bad.yaml", "clean.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.yaml: detector `X`"));
}

#[test]
fn no_raw_value_leaks_into_any_output_or_the_state_database() {
    let dir = tempfile::tempdir().unwrap();
    steward(dir.path())
        .args([
            "generate",
            "--customers",
            "2000",
            "--days",
            "3",
            "--out",
            "p",
        ])
        .assert()
        .success();
    // Values planted in text, and whole columns of the member database.
    let mut planted: Vec<String> =
        std::fs::read_to_string(dir.path().join("p/truth/pii_text.jsonl"))
            .unwrap()
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["value"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
    let conn = rusqlite::Connection::open(dir.path().join("p/stores/customers.sqlite")).unwrap();
    let mut stmt = conn
        .prepare("SELECT phone, email, address FROM members LIMIT 200")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok([
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ])
        })
        .unwrap();
    for r in rows {
        planted.extend(r.unwrap());
    }
    planted.retain(|v| v.len() >= 8);
    assert!(planted.len() > 500);
    let mut outputs = Vec::new();
    for format in ["text", "json", "jsonl", "csv", "sarif"] {
        let out = steward(dir.path())
            .args([
                "scan",
                "--force",
                "--exclude",
                "**/truth/**",
                "--format",
                format,
                "p",
            ])
            .assert()
            .code(1)
            .get_output()
            .clone();
        outputs.push(String::from_utf8_lossy(&out.stdout).into_owned());
        outputs.push(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let state = std::fs::read(dir.path().join(".steward/state.db")).unwrap();
    outputs.push(String::from_utf8_lossy(&state).into_owned());
    for v in &planted {
        for o in &outputs {
            assert!(!o.contains(v.as_str()), "raw value leaked: {v}");
        }
    }
    // Raw values appear only when asked for.
    let raw = steward(dir.path())
        .args([
            "scan",
            "--no-state",
            "--show-raw",
            "--format",
            "jsonl",
            "p/stores/cs_tickets.jsonl",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let raw = String::from_utf8(raw).unwrap();
    assert!(planted.iter().any(|v| raw.contains(v.as_str())));
}

#[test]
fn the_inventory_is_filled_and_unchanged_files_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("members.csv"),
        "name,phone\n김민수,010-1234-5678\n이영희,010-2345-6789\n",
    )
    .unwrap();
    steward(dir.path())
        .args(["scan", "members.csv"])
        .assert()
        .code(1);
    let store = steward_store::SqliteStore::open(&dir.path().join(".steward/state.db")).unwrap();
    let inv = store.inventory().unwrap();
    let phone = inv.iter().find(|r| r.detector == "PHONE").unwrap();
    assert_eq!(
        (
            phone.dataset_id.as_str(),
            phone.location.as_str(),
            phone.value_count
        ),
        ("members.csv", "phone", 2)
    );
    assert_eq!(phone.jurisdiction, "KR");
    drop(store);
    let json = steward(dir.path())
        .args(["scan", "--format", "json", "members.csv"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(doc["sources"][0]["status"], "unchanged");
    assert_eq!(doc["summary"]["unchanged"], 1);
    std::fs::write(
        dir.path().join("members.csv"),
        "name,phone\n김민수,010-1234-5678\n",
    )
    .unwrap();
    steward(dir.path())
        .args(["scan", "members.csv"])
        .assert()
        .code(1);
    let store = steward_store::SqliteStore::open(&dir.path().join(".steward/state.db")).unwrap();
    let phone = store
        .inventory()
        .unwrap()
        .into_iter()
        .find(|r| r.detector == "PHONE")
        .unwrap();
    assert_eq!(
        phone.value_count, 1,
        "a changed file is rescanned and its inventory replaced"
    );
}

#[test]
fn sarif_has_stable_rules_and_fingerprints() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.log"),
        "주민번호 960121-1021413\nphone 010-1234-5678\n",
    )
    .unwrap();
    let out = steward(dir.path())
        .args(["scan", "--no-state", "-f", "sarif", "t.log"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let sarif: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "KR_RRN"));
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let rrn = results.iter().find(|r| r["ruleId"] == "KR_RRN").unwrap();
    assert_eq!(rrn["level"], "error");
    assert_eq!(
        rrn["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    assert_eq!(
        rules[rrn["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "KR_RRN"
    );
    assert!(
        rrn["partialFingerprints"]["steward/v1"]
            .as_str()
            .unwrap()
            .starts_with("fp:")
    );
    assert!(!String::from_utf8_lossy(&out).contains("1021413"));
}

#[test]
fn custom_detectors_allow_lists_and_minimum_confidence_apply() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("steward-scan.yaml"),
        "allow:\n  values: ['010-1111-2222']\n  paths: ['**/vendor/**']\ndetectors:\n  - id: EMPLOYEE_ID\n    category: user.unique_id\n    pattern: '(?-u:\\b)E\\d{4}(?-u:\\b)'\n    confidence: 0.7\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("vendor")).unwrap();
    std::fs::write(dir.path().join("vendor/x.log"), "phone 010-3333-4444\n").unwrap();
    std::fs::write(
        dir.path().join("a.log"),
        "staff E0113 called 010-1111-2222 and 010-5555-6666\n",
    )
    .unwrap();
    let out = steward(dir.path())
        .args([
            "scan",
            "--no-state",
            "-c",
            "steward-scan.yaml",
            "-f",
            "jsonl",
            ".",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let found: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = found
        .iter()
        .map(|f| f["detector"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["EMPLOYEE_ID", "PHONE"], "{found:?}");
    assert!(
        found
            .iter()
            .all(|f| f["source"].as_str().unwrap().ends_with("a.log"))
    );
    // A minimum above the custom detector's confidence drops it.
    let out = steward(dir.path())
        .args([
            "scan",
            "--no-state",
            "-c",
            "steward-scan.yaml",
            "--min-confidence",
            "0.75",
            "-f",
            "jsonl",
            "a.log",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert!(!String::from_utf8(out).unwrap().contains("EMPLOYEE_ID"));
}
