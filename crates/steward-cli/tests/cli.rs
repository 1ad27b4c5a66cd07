//! The `steward` binary as a user runs it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use assert_cmd::Command;
use predicates::prelude::*;

fn steward(dir: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("steward").unwrap();
    c.current_dir(dir).arg("--quiet");
    c
}

#[test]
fn demo_runs_and_records_its_run() {
    let dir = tempfile::tempdir().unwrap();
    steward(dir.path())
        .args(["demo", "--customers", "2000", "--days", "5"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("replay")
                .and(predicate::str::contains("non-members exposed"))
                .and(predicate::str::contains(
                    "look-alike clean store: 0 findings",
                ))
                .and(predicate::str::contains("hunt "))
                .and(predicate::str::contains("replay    detected"))
                .and(predicate::str::contains("NOT detected").not()),
        );
    assert!(dir.path().join("steward-demo/truth/summary.json").exists());
    let store = steward_store::SqliteStore::open(&dir.path().join(".steward/state.db")).unwrap();
    use steward_store::StateStore;
    let runs = store.recent_runs(5).unwrap();
    let demo = runs.iter().find(|r| r.command == "demo").unwrap();
    assert_eq!(demo.status, "ok");
    assert!(runs.iter().any(|r| r.command == "scan" && r.status == "ok"));
    let inventory = store.inventory().unwrap();
    assert!(
        inventory
            .iter()
            .any(|r| r.detector == "KR_PCCC" && r.value_count > 0)
    );
    assert!(!inventory.iter().any(|r| r.dataset_id.contains("/clean/")));
    assert!(
        !store.alerts().unwrap().is_empty(),
        "the demo's hunt records alerts"
    );
    assert!(
        store
            .datasets()
            .unwrap()
            .iter()
            .any(|d| d.id == "analytics-us.members" && d.country.as_deref() == Some("US"))
    );
}

#[test]
fn bad_arguments_name_the_option() {
    let dir = tempfile::tempdir().unwrap();
    steward(dir.path())
        .args(["generate", "--out", "x", "--customers", "5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid --customers `5`"));
    steward(dir.path())
        .args(["generate", "--out", "x", "--start", "2025-13-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--start"));
    steward(dir.path())
        .args(["generate", "--out", "x", "--attacks", "ransomware"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ransomware"));
    steward(dir.path())
        .args(["generate"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--out"));
}

#[test]
fn unwritable_output_folder_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("blocker"), b"a file, not a folder").unwrap();
    steward(dir.path())
        .args([
            "generate",
            "--out",
            "blocker/platform",
            "--customers",
            "200",
            "--days",
            "3",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("blocker"));
}

#[test]
fn generate_without_attacks_has_no_attack_truth() {
    let dir = tempfile::tempdir().unwrap();
    steward(dir.path())
        .args([
            "generate",
            "--out",
            "p",
            "--customers",
            "500",
            "--days",
            "3",
            "--attacks",
            "none",
        ])
        .assert()
        .success();
    let s: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("p/truth/summary.json")).unwrap())
            .unwrap();
    assert_eq!(s["attacks"], serde_json::json!({}));
}
