//! Readers on good and bad input: every format classifies columns or finds
//! values, and unreadable, truncated, binary, mis-encoded or malformed
//! input is reported with its path and reason while the scan goes on.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;

use steward_model::finding::Location;
use steward_model::masked::FingerprintKey;
use steward_scan::detectors::builtin;
use steward_scan::engine::{Engine, EngineOptions};
use steward_scan::{Collected, ScanOptions, Scanner, SourceReport, SourceStatus};

fn scanner() -> Scanner {
    Scanner::new(
        Engine::new(builtin(), EngineOptions::default()).unwrap(),
        FingerprintKey::from_bytes([3; 32]),
        ScanOptions::default(),
    )
}

fn detectors(r: &SourceReport) -> Vec<String> {
    let mut v: Vec<String> = r.findings.iter().map(|f| f.detector.clone()).collect();
    v.sort();
    v.dedup();
    v
}

const JSONL: &str = "{\"id\":1,\"phone\":\"010-1234-5678\",\"note\":\"메일 minsu.kim@naver.com 로\"}\n{\"id\":2,\"phone\":\"010-2345-6789\",\"note\":\"-\"}\n";

#[test]
fn json_lines_classify_fields_and_report_free_text() {
    let r = scanner().scan_bytes("a.jsonl", JSONL.as_bytes().to_vec());
    assert_eq!(r.status, SourceStatus::Scanned);
    assert_eq!(r.records, 2);
    let phone = r.findings.iter().find(|f| f.detector == "PHONE").unwrap();
    assert!(matches!(&phone.location, Location::Column { column, .. } if column == "$.phone"));
    assert_eq!(phone.column.as_ref().unwrap().values, 2);
    let email = r.findings.iter().find(|f| f.detector == "EMAIL").unwrap();
    assert!(
        matches!(&email.location, Location::Field { field, record: 1, offset: Some(7), .. } if field == "$.note")
    );
}

#[test]
fn malformed_json_lines_are_counted_and_skipped() {
    let text = format!(
        "{JSONL}{{\"id\":3,\"phone\":\"010-3456-7890\"\nnot json at all\n{{\"id\":4,\"phone\":\"010-4567-8901\"}}\n"
    );
    let r = scanner().scan_bytes("a.jsonl", text.into_bytes());
    assert_eq!(r.malformed, 2);
    assert!(r.problems[0].starts_with("line 3: "), "{:?}", r.problems);
    assert!(r.problems[1].starts_with("line 4: "), "{:?}", r.problems);
    let phone = r.findings.iter().find(|f| f.detector == "PHONE").unwrap();
    assert_eq!(phone.column.as_ref().unwrap().values, 3);
}

#[test]
fn escaped_json_strings_are_decoded() {
    let line = "{\"body\":\"\\uc804\\ud654 010-1234-5678\\n\\uc8fc\\ubbfc\\ubc88\\ud638 960121-1021413\"}\n";
    let r = scanner().scan_bytes("t.jsonl", line.as_bytes().to_vec());
    assert_eq!(detectors(&r), ["KR_RRN", "PHONE"]);
}

#[test]
fn csv_columns_and_ragged_rows() {
    let csv = "name,phone,comment\n김민수,010-1234-5678,ok\n이영희,010-2345-6789\n박철수,010-3456-7890,card 5440-5819-4630-2888 please\n";
    let r = scanner().scan_bytes("m.csv", csv.as_bytes().to_vec());
    assert_eq!(r.malformed, 1);
    assert!(
        r.problems[0].contains("2 fields, header has 3"),
        "{:?}",
        r.problems
    );
    assert_eq!(detectors(&r), ["PAYMENT_CARD", "PERSON_NAME", "PHONE"]);
    let card = r
        .findings
        .iter()
        .find(|f| f.detector == "PAYMENT_CARD")
        .unwrap();
    assert!(
        matches!(&card.location, Location::Field { record: 3, field, .. } if field == "comment")
    );
}

#[test]
fn text_compressed_binary_and_mis_encoded() {
    let s = scanner();
    let plain = "2025-04-09 INFO checkout phone=010-1234-5678 email=minsu.kim@naver.com\n";
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(plain.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let r = s.scan_bytes("app.log.gz", gz.clone());
    assert_eq!(r.format, "text+gzip");
    assert_eq!(detectors(&r), ["EMAIL", "PHONE"]);
    let zst = zstd::encode_all(plain.as_bytes(), 3).unwrap();
    assert_eq!(
        detectors(&s.scan_bytes("app.log.zst", zst)),
        ["EMAIL", "PHONE"]
    );

    let truncated = s.scan_bytes("app.log.gz", gz[..gz.len() / 2].to_vec());
    assert_eq!(truncated.status, SourceStatus::Failed);
    assert!(
        truncated.error.as_deref().unwrap().contains("read stopped"),
        "{:?}",
        truncated.error
    );

    let binary = s.scan_bytes("blob.bin", vec![0, 1, 2, 0, 255, 0]);
    assert_eq!(binary.status, SourceStatus::Skipped);
    assert!(binary.error.as_deref().unwrap().contains("binary"));

    let mut latin1 = b"caf\xe9 phone=010-1234-5678\n".to_vec();
    latin1.extend_from_slice(plain.as_bytes());
    let r = s.scan_bytes("latin1.log", latin1);
    assert!(
        r.problems.iter().any(|p| p.contains("not valid UTF-8")),
        "{:?}",
        r.problems
    );
    assert_eq!(detectors(&r), ["EMAIL", "PHONE"]);

    let mut utf16 = vec![0xff, 0xfe];
    for u in "전화 010-1234-5678\n".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    assert_eq!(detectors(&s.scan_bytes("w.txt", utf16)), ["PHONE"]);
}

#[test]
fn corrupt_structured_files_fail_with_a_reason() {
    let s = scanner();
    for (name, bytes) in [
        ("x.parquet", b"PAR1 this is not parquet PAR1".to_vec()),
        ("x.xlsx", b"PK\x03\x04 not a zip".to_vec()),
        ("x.sqlite", b"SQLite format 3\0 truncated".to_vec()),
        ("x.json", b"{\"a\": [1, 2,".to_vec()),
    ] {
        let r = s.scan_bytes(name, bytes);
        assert_eq!(r.status, SourceStatus::Failed, "{name}: {r:?}");
        assert!(!r.error.as_deref().unwrap_or_default().is_empty(), "{name}");
    }
}

#[test]
fn spreadsheets_are_tables_per_sheet() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/files/members.xlsx"
    ))
    .unwrap();
    let r = scanner().scan_bytes("members.xlsx", bytes);
    assert_eq!(r.status, SourceStatus::Scanned, "{:?}", r.error);
    assert_eq!(detectors(&r), ["EMAIL", "PERSON_NAME", "PHONE"]);
    let name = r
        .findings
        .iter()
        .find(|f| f.detector == "PERSON_NAME")
        .unwrap();
    assert!(
        matches!(&name.location, Location::Column { table, column, .. } if table == "Members" && column == "name")
    );
    let phone_in_note = r.findings.iter().filter(|f| f.detector == "PHONE").count();
    assert_eq!(
        phone_in_note, 2,
        "the phone column and the number in the note"
    );
}

#[test]
fn sqlite_tables_are_classified_with_row_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE members (member_id INTEGER PRIMARY KEY, phone TEXT, rrn TEXT);
         INSERT INTO members VALUES (7, '010-1234-5678', '960121-1021413'), (8, '010-2345-6789', NULL);",
    )
    .unwrap();
    drop(conn);
    let r = scanner().scan_bytes("c.sqlite", std::fs::read(&db).unwrap());
    assert_eq!(detectors(&r), ["KR_RRN", "PHONE"]);
    let rrn = r.findings.iter().find(|f| f.detector == "KR_RRN").unwrap();
    assert!(
        matches!(&rrn.location, Location::Column { table, column, first_row: Some(row), .. }
        if table == "members" && column == "rrn" && row == "member_id=7")
    );
}

#[test]
fn a_directory_scan_goes_on_past_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.jsonl"), JSONL).unwrap();
    std::fs::write(dir.path().join("b.parquet"), b"PAR1 broken").unwrap();
    std::fs::write(dir.path().join("c.bin"), [0u8, 159, 146, 150]).unwrap();
    let s = scanner();
    let inputs = s.inputs(&[dir.path().display().to_string()]).unwrap();
    assert_eq!(inputs.len(), 3);
    let sink = Collected::default();
    s.scan(&inputs, &sink);
    let mut reports = sink.into_reports();
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    assert_eq!(reports[0].status, SourceStatus::Scanned);
    assert_eq!(reports[1].status, SourceStatus::Failed);
    assert!(reports[1].path.ends_with("b.parquet"));
    assert_eq!(reports[2].status, SourceStatus::Skipped);
    assert!(
        s.inputs(&["/no/such/path".to_owned()])
            .unwrap_err()
            .to_string()
            .starts_with("/no/such/path:")
    );
}

/// A 10.9 KB Parquet file whose page header declares Thrift fields past the
/// end of the data: the parquet crate skipped them with one empty read each,
/// 59 s from disk (1.3 s in memory) before failing. Both paths now stop at
/// the first run of empty reads.
#[test]
fn a_page_header_reading_past_the_end_fails_at_once() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/regressions/thrift-skip-past-end.parquet");
    let s = scanner();
    let started = std::time::Instant::now();
    let inputs = s.inputs(&[fixture.display().to_string()]).unwrap();
    let sink = Collected::default();
    s.scan(&inputs, &sink);
    let from_disk = sink.into_reports();
    let in_memory = s.scan_bytes("x.parquet", std::fs::read(&fixture).unwrap());
    let took = started.elapsed();
    for r in from_disk.iter().chain([&in_memory]) {
        assert_eq!(r.status, SourceStatus::Failed, "{r:?}");
        assert!(
            r.error.as_deref().unwrap().contains("past its end"),
            "{:?}",
            r.error
        );
    }
    assert_eq!(from_disk.len(), 1);
    // Debug builds are slower; the point is seconds, not a minute.
    assert!(took < std::time::Duration::from_secs(5), "{took:?}");
}

/// PostgreSQL is a real server in CI and on development machines
/// (127.0.0.1:5432, database `test`); without one the test says so and
/// passes, so `cargo test` needs no server.
#[test]
fn postgres_tables_are_classified() {
    let url = std::env::var("STEWARD_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let Ok(mut client) = postgres::Client::connect(&url, postgres::NoTls) else {
        eprintln!("skipped: no PostgreSQL at {url}");
        return;
    };
    let schema = format!("steward_scan_test_{}", std::process::id());
    client
        .batch_execute(&format!(
            "CREATE SCHEMA {schema};
             CREATE TABLE {schema}.members (id serial primary key, email text, phone text, memo text);
             INSERT INTO {schema}.members (email, phone, memo)
               SELECT 'user' || g || '@naver.com', '010-' || lpad((1000 + g)::text, 4, '0') || '-5678', 'n/a'
               FROM generate_series(1, 12000) g;"
        ))
        .unwrap();
    let s = scanner();
    let inputs = s.inputs(std::slice::from_ref(&url)).unwrap();
    let sink = Collected::default();
    s.scan(&inputs, &sink);
    client
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .unwrap();
    let reports = sink.into_reports();
    let r = &reports[0];
    assert_eq!(r.status, SourceStatus::Scanned, "{:?}", r.error);
    let table = format!("{schema}.members");
    let email = r
        .findings
        .iter()
        .find(|f| {
            f.detector == "EMAIL"
                && matches!(&f.location, Location::Column { table: t, .. } if *t == table)
        })
        .unwrap();
    assert_eq!(email.column.as_ref().unwrap().values, 12_000);
    assert!(r.findings.iter().any(|f| f.detector == "PHONE"));
}

/// Inputs the fuzzers found: a Parquet file that makes the parquet crate
/// panic, a spreadsheet with a broken range, a SQLite file whose generated
/// columns are expensive. Each fails or finishes on its own; none stops the
/// scan.
#[test]
fn fuzzer_findings_stay_contained() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/regressions");
    let s = scanner();
    let parquet = s.scan_bytes(
        "x.parquet",
        std::fs::read(dir.join("vlq-overflow.parquet")).unwrap(),
    );
    assert_eq!(parquet.status, SourceStatus::Failed);
    assert!(
        parquet.error.as_deref().unwrap().contains("crashed"),
        "{:?}",
        parquet.error
    );
    let xlsx = s.scan_bytes("x.xlsx", std::fs::read(dir.join("bad-range.xlsx")).unwrap());
    assert!(
        xlsx.status == SourceStatus::Failed || xlsx.malformed > 0,
        "{xlsx:?}"
    );
    let started = std::time::Instant::now();
    let _ = s.scan_bytes(
        "x.sqlite",
        std::fs::read(dir.join("generated-column.sqlite")).unwrap(),
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(120));
}
