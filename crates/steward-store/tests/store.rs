//! Store behaviour, written once against the [`StateStore`] trait so every
//! backend runs the same checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use serde_json::json;
use steward_store::*;

fn backends() -> Vec<(&'static str, Box<dyn StateStore>)> {
    vec![(
        "sqlite-memory",
        Box::new(SqliteStore::open_in_memory().unwrap()),
    )]
}

fn alert(id: &str, start: &str) -> AlertRecord {
    AlertRecord {
        id: id.into(),
        rule_id: "STW-FORGED-TOKEN".into(),
        severity: "critical".into(),
        principal: "key:member-2021".into(),
        window_start: start.into(),
        window_end: start.into(),
        incident_id: None,
        evidence: json!({"events": 3, "sample": ["r-1"]}),
        created_at: "2026-11-24T00:00:00Z".into(),
    }
}

#[test]
fn runs_are_recorded_newest_first() {
    for (name, mut s) in backends() {
        let a = s.begin_run("generate", "2026-11-24T00:00:00Z").unwrap();
        let b = s.begin_run("demo", "2026-11-24T00:01:00Z").unwrap();
        s.finish_run(
            b,
            "ok",
            "2026-11-24T00:02:00Z",
            Some(&json!({"customers": 10})),
        )
        .unwrap();
        let runs = s.recent_runs(10).unwrap();
        assert_eq!(runs.len(), 2, "{name}");
        assert_eq!(runs[0].id, b);
        assert_eq!(runs[0].summary, Some(json!({"customers": 10})));
        assert_eq!(runs[1].id, a);
        assert_eq!(runs[1].status, "running");
    }
}

#[test]
fn alerts_are_idempotent() {
    for (name, mut s) in backends() {
        let batch = [
            alert("a1", "2025-04-14T00:00:00Z"),
            alert("a2", "2025-04-13T00:00:00Z"),
        ];
        assert_eq!(s.put_alerts(&batch).unwrap(), 2, "{name}");
        assert_eq!(
            s.put_alerts(&batch).unwrap(),
            0,
            "{name}: re-run must not duplicate"
        );
        let all = s.alerts().unwrap();
        assert_eq!(
            all.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
            ["a2", "a1"]
        );
        assert_eq!(all[0].evidence["events"], 3);
    }
}

#[test]
fn detections_commit_with_their_checkpoint_and_update_known_alerts() {
    for (name, mut s) in backends() {
        let checkpoint = |pos: &str| Checkpoint {
            name: "watch".into(),
            position: pos.into(),
            state: vec![1, 2, 3],
            updated_at: "2026-11-25T00:00:00Z".into(),
        };
        let first = [alert("a1", "2025-04-14T00:00:00Z")];
        assert_eq!(
            s.commit_detections(&first, &[], Some(&checkpoint("p1")))
                .unwrap(),
            1,
            "{name}"
        );
        let mut later = alert("a1", "2025-04-14T00:00:00Z");
        later.window_end = "2025-04-15T00:00:00Z".into();
        later.evidence = json!({"events": 9});
        let batch = [later, alert("a2", "2025-04-16T00:00:00Z")];
        assert_eq!(
            s.commit_detections(&batch, &[], Some(&checkpoint("p2")))
                .unwrap(),
            1,
            "{name}: one new id, one update"
        );
        let all = s.alerts().unwrap();
        assert_eq!(all.len(), 2, "{name}");
        assert_eq!(all[0].evidence["events"], 9, "{name}: evidence updated");
        assert_eq!(all[0].window_end, "2025-04-15T00:00:00Z", "{name}");
        assert_eq!(s.load_checkpoint("watch").unwrap().unwrap().position, "p2");
        // An alert pointing at an incident that does not exist breaks the
        // foreign key: nothing of the batch is kept, not even the checkpoint.
        let mut orphan = alert("a3", "2025-04-17T00:00:00Z");
        orphan.incident_id = Some("missing".into());
        assert!(
            s.commit_detections(&[orphan], &[], Some(&checkpoint("p3")))
                .is_err()
        );
        assert_eq!(s.alerts().unwrap().len(), 2, "{name}: rolled back");
        assert_eq!(s.load_checkpoint("watch").unwrap().unwrap().position, "p2");
    }
}

#[test]
fn inventory_is_replaced_per_dataset() {
    for (name, mut s) in backends() {
        let row = |loc: &str, n: u64| InventoryRecord {
            dataset_id: "customer-db.members".into(),
            location: loc.into(),
            category: "user.contact.email".into(),
            detector: "EMAIL".into(),
            jurisdiction: "KR".into(),
            value_count: n,
            row_count: Some(n),
            match_ratio: Some(1.0),
            scanned_at: "2026-11-24T00:00:00Z".into(),
        };
        s.replace_inventory("customer-db.members", &[row("email", 5), row("contact", 2)])
            .unwrap();
        s.replace_inventory("customer-db.members", &[row("email", 7)])
            .unwrap();
        let inv = s.inventory().unwrap();
        assert_eq!(inv.len(), 1, "{name}: stale rows must go");
        assert_eq!(inv[0].value_count, 7);
    }
}

#[test]
fn incidents_keep_first_awareness_and_widen_their_window() {
    for (name, mut s) in backends() {
        let mut inc = IncidentRecord {
            id: "inc-1".into(),
            title: "forged tokens".into(),
            severity: "critical".into(),
            principal: "key:member-2021".into(),
            first_seen: "2025-04-14T00:00:00Z".into(),
            last_seen: "2025-04-15T00:00:00Z".into(),
            awareness_at: Some("2025-04-14T00:05:00Z".into()),
            status: "open".into(),
            created_at: "2026-11-24T00:00:00Z".into(),
        };
        s.put_incidents(std::slice::from_ref(&inc)).unwrap();
        inc.first_seen = "2025-04-13T00:00:00Z".into();
        inc.last_seen = "2025-04-14T12:00:00Z".into();
        inc.awareness_at = Some("2025-05-01T00:00:00Z".into());
        s.put_incidents(&[inc]).unwrap();
        let got = &s.incidents().unwrap()[0];
        assert_eq!(got.first_seen, "2025-04-13T00:00:00Z", "{name}");
        assert_eq!(got.last_seen, "2025-04-15T00:00:00Z", "{name}");
        assert_eq!(
            got.awareness_at.as_deref(),
            Some("2025-04-14T00:05:00Z"),
            "{name}: awareness is immutable"
        );
    }
}

#[test]
fn checkpoints_datasets_impact_and_scanned_files_round_trip() {
    for (name, mut s) in backends() {
        let cp = Checkpoint {
            name: "watch".into(),
            position: "gateway.jsonl:1024".into(),
            state: vec![1, 2, 3],
            updated_at: "t".into(),
        };
        s.save_checkpoint(&cp).unwrap();
        s.save_checkpoint(&Checkpoint {
            position: "gateway.jsonl:2048".into(),
            ..cp.clone()
        })
        .unwrap();
        assert_eq!(
            s.load_checkpoint("watch").unwrap().unwrap().position,
            "gateway.jsonl:2048",
            "{name}"
        );
        assert!(s.load_checkpoint("other").unwrap().is_none());

        let d = DatasetRecord {
            id: "orders".into(),
            system: Some("order-svc".into()),
            location: "stores/orders.parquet".into(),
            format: "parquet".into(),
            country: Some("KR".into()),
            region: Some("ap-northeast-2".into()),
        };
        s.register_datasets(std::slice::from_ref(&d), "t").unwrap();
        assert_eq!(s.datasets().unwrap(), vec![d]);

        let imp = ImpactRecord {
            id: "imp-1".into(),
            incident_id: None,
            selector: "key=member-2021".into(),
            computed_at: "t".into(),
            summary: json!({"KR": {"user.contact.email": 3}}),
        };
        s.put_impact(&imp).unwrap();
        assert_eq!(s.impact("imp-1").unwrap(), Some(imp));

        let f = ScannedFile {
            path: "a.log".into(),
            size: 10,
            mtime_ns: 5,
            content_hash: "h".into(),
            scanned_at: "t".into(),
        };
        s.put_scanned_files(std::slice::from_ref(&f)).unwrap();
        assert_eq!(s.scanned_file("a.log").unwrap(), Some(f));
    }
}

#[test]
fn file_store_persists_and_refuses_a_newer_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/.steward/state.db");
    {
        let mut s = SqliteStore::open(&path).unwrap();
        s.put_alerts(&[alert("a1", "2025-04-14T00:00:00Z")])
            .unwrap();
        assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    }
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.alerts().unwrap().len(), 1);
    drop(s);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = SqliteStore::open(&path).unwrap_err().to_string();
    assert!(err.contains("newer than this steward"), "{err}");
}

#[test]
fn unwritable_location_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let err = SqliteStore::open(&file.join("state.db"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("not-a-dir"), "{err}");
}
