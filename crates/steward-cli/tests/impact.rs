//! `steward impact` as a responder runs it: after `steward hunt`, the
//! forged-token incident's impact equals the replay's ground truth, lands in
//! the state database, and lists every affected person once with masked
//! contacts; bad input fails with a clear message and exit code 2.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;
use std::sync::LazyLock;

use assert_cmd::Command;
use steward_store::StateStore;

fn steward(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("steward").unwrap();
    c.current_dir(dir).arg("--quiet");
    c
}

/// A platform (Parquet gateway log only) hunted once; shared by the tests.
static HUNTED: LazyLock<tempfile::TempDir> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    steward(d)
        .args([
            "generate",
            "--customers",
            "3000",
            "--days",
            "3",
            "--gateway-format",
            "parquet",
            "--out",
            "p",
        ])
        .assert()
        .success();
    assert!(!d.join("p/logs/gateway/access.jsonl").exists());
    steward(d)
        .args(["hunt", "--platform", "p"])
        .assert()
        .code(1);
    dir
});

fn state(d: &Path) -> steward_store::SqliteStore {
    steward_store::SqliteStore::open(&d.join(steward_store::DEFAULT_STATE_PATH)).unwrap()
}

fn forged_incident(d: &Path) -> String {
    let store = state(d);
    let alerts = store.alerts().unwrap();
    let forged = alerts
        .iter()
        .find(|a| a.rule_id == "steward.forged-token")
        .expect("the replay raises a forged-token alert");
    forged.incident_id.clone().unwrap()
}

fn truth(d: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(d.join("p/truth/summary.json")).unwrap()).unwrap()
}

#[test]
fn the_forged_token_incident_is_the_replay() {
    let d = HUNTED.path();
    let incident = forged_incident(d);
    let out = steward(d)
        .args(["impact", "--platform", "p", "--incident", &incident[..12]])
        .args(["--format", "json", "--people", "people.jsonl"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let summary: steward_model::impact::ImpactSummary = serde_json::from_slice(&out).unwrap();
    let t = &truth(d)["attacks"]["replay"];
    assert_eq!(summary.selector, "key=member-2021 forged-only");
    assert_eq!(summary.customers, t["affected_customers"].as_u64().unwrap());
    assert_eq!(
        summary.third_parties,
        t["affected_third_parties"].as_u64().unwrap()
    );
    assert!(summary.third_parties > 0, "address books count");

    // Stored for `notify`, under the incident.
    let conn = rusqlite::Connection::open(d.join(steward_store::DEFAULT_STATE_PATH)).unwrap();
    let (stored_incident, json): (Option<String>, String) = conn
        .query_row(
            "SELECT incident_id, summary_json FROM impact_results WHERE selector = ?1",
            [&summary.selector],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(stored_incident.as_deref(), Some(incident.as_str()));
    let back: steward_model::impact::ImpactSummary = serde_json::from_str(&json).unwrap();
    assert_eq!(back, summary);

    // One line per person, no one twice, customers by member id.
    let text = std::fs::read_to_string(d.join("people.jsonl")).unwrap();
    let people: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(people.len() as u64, summary.people);
    let ids: std::collections::BTreeSet<&str> =
        people.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), people.len());
    let customers = people.iter().filter(|p| p["kind"] == "customer").count() as u64;
    assert_eq!(customers, summary.customers);
    assert!(people.iter().all(|p| p["basis"] != "unknown"));
}

/// Raw e-mail addresses and phone numbers of every member.
fn raw_contacts(d: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(d.join("p/stores/customers.sqlite")).unwrap();
    let mut stmt = conn.prepare("SELECT email, phone FROM members").unwrap();
    stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
        .flat_map(|r| {
            let (e, p) = r.unwrap();
            [e, p]
        })
        .collect()
}

#[test]
fn people_lists_mask_contacts_unless_raw_is_asked_for() {
    let d = HUNTED.path();
    let contacts = raw_contacts(d);
    let run = |extra: &[&str], file: &str| {
        steward(d)
            .args([
                "impact",
                "--platform",
                "p",
                "--principal",
                "ak_hanriver_prod",
            ])
            .args(["--not-country", "KR", "--no-state", "--people", file])
            .args(extra)
            .assert()
            .success();
        std::fs::read_to_string(d.join(file)).unwrap()
    };
    let masked = run(&[], "masked.jsonl");
    assert!(masked.lines().count() > 100);
    let leaked: Vec<&String> = contacts
        .iter()
        .filter(|c| masked.contains(c.as_str()))
        .collect();
    assert!(
        leaked.is_empty(),
        "raw contacts in the masked list: {leaked:?}"
    );
    let raw = run(&["--show-raw"], "raw.jsonl");
    assert_eq!(raw.lines().count(), masked.lines().count());
    assert!(contacts.iter().any(|c| raw.contains(c.as_str())));
}

#[test]
fn the_terminal_summary_is_counts_only() {
    let d = HUNTED.path();
    let out = steward(d)
        .args([
            "impact",
            "--platform",
            "p",
            "--principal",
            "ak_hanriver_prod",
        ])
        .args(["--not-country", "KR", "--no-state"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    insta::assert_snapshot!(text);
}

#[test]
fn sql_runs_over_the_logs_with_ip_addresses_masked() {
    let d = HUNTED.path();
    let query = "SELECT client_ip AS source, count(*) AS n FROM access \
                 WHERE auth_kid = 'member-2021' GROUP BY client_ip ORDER BY n DESC, source LIMIT 3";
    let run = |extra: &[&str]| {
        let out = steward(d)
            .args(["impact", "--platform", "p", "--sql", query])
            .args(extra)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let masked = run(&[]);
    assert!(masked.contains("| source"), "{masked}");
    assert!(masked.contains(".*.*"), "{masked}");
    let raw = run(&["--show-raw"]);
    assert!(!raw.contains(".*.*"), "{raw}");
}

fn fails_with(d: &Path, args: &[&str], message: &str) {
    let out = steward(d)
        .arg("impact")
        .args(args)
        .args(["--no-state"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains(message), "{text}");
}

#[test]
fn bad_input_fails_clearly() {
    let d = HUNTED.path();
    fails_with(
        d,
        &["--platform", "p", "--principal", "nobody"],
        "the selector `principal=nobody` matched no access event",
    );
    fails_with(
        d,
        &["--logs", "missing.parquet", "--principal", "E0031"],
        "access log `missing.parquet` does not exist",
    );
    fails_with(
        d,
        &["--platform", "p", "--alert", "0123456789ab"],
        "unknown alert `0123456789ab`",
    );
    fails_with(
        d,
        &["--platform", "p", "--incident", "0123456789ab"],
        "unknown incident `0123456789ab`",
    );
    fails_with(d, &["--platform", "p"], "nothing selected");
    fails_with(
        d,
        &["--platform", "p", "--ip", "10.0.0.300"],
        "is not an IP address",
    );
    fails_with(
        d,
        &[
            "--platform",
            "p",
            "--principal",
            "x",
            "--issuance",
            "nope.jsonl",
        ],
        "issuance log `nope.jsonl` does not exist",
    );
}
