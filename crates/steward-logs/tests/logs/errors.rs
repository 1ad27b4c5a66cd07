//! Records that do not parse or map: counted, reported with file and line,
//! never with the value; the run goes on.

use std::io::Write as _;

use steward_logs::{LogSource, Mapping, OpenOptions, RecordErrorKind};

use crate::harness::{drain, fixture, fixture_bytes, run_builtin};

#[test]
fn malformed_records_are_counted_with_lines_and_the_run_goes_on() {
    let run = run_builtin("steward-gateway", &fixture("steward-gateway.jsonl"));
    let c = run.report.counters;
    assert_eq!(c.records, 13, "the blank line 4 is not a record");
    assert_eq!(c.events, 8);
    assert_eq!(c.parse_errors, 1);
    assert_eq!(
        c.field_errors, 4,
        "a JSON array is well-formed but has no `ts`"
    );
    assert_eq!(c.errors(), 5);
    let lines: Vec<u64> = run.report.examples.iter().map(|e| e.line).collect();
    assert_eq!(lines, [10, 11, 12, 13, 14]);
    let kinds: Vec<&str> = run.report.examples.iter().map(|e| e.kind.name()).collect();
    assert_eq!(kinds, ["parse", "field", "field", "field", "field"]);
    assert!(matches!(
        &run.report.examples[1].kind,
        RecordErrorKind::Field { field: "time_ms", path: Some(p), .. } if &**p == "ts"
    ));
    assert!(matches!(
        &run.report.examples[2].kind,
        RecordErrorKind::Field {
            field: "source.ip",
            ..
        }
    ));
    assert!(matches!(
        &run.report.examples[3].kind,
        RecordErrorKind::Field {
            field: "status",
            ..
        }
    ));
    // Events after the errors are still read: the unknown country code on
    // line 13 is no error, the status `OK` is.
    assert_eq!(run.report.examples[0].record, 9);
}

#[test]
fn messages_name_fields_and_positions_never_values() {
    let run = run_builtin("steward-gateway", &fixture("steward-gateway.jsonl"));
    for e in &run.errors {
        for raw in [
            "010-1234-5678",
            "not-an-ip",
            "yesterday",
            "OK",
            "47.95.20.179",
        ] {
            assert!(!e.contains(raw), "{e} shows `{raw}`");
        }
    }
    assert!(run.errors[2].ends_with(
        "steward-gateway.jsonl:12: field `source.ip` from `client.ip`: not an IP address"
    ));
    let run = run_builtin("steward-auth", &fixture("steward-auth.jsonl"));
    assert_eq!(run.report.counters.field_errors, 2);
    assert!(run.errors[0].ends_with("steward-auth.jsonl:6: field `time_ms` from `ts`: missing"));
    assert!(run.errors[1].ends_with(
        "steward-auth.jsonl:7: field `event_id` from `jti`: invalid escape in a string"
    ));
}

#[test]
fn examples_are_capped_but_every_error_is_counted() {
    let mut log = Vec::new();
    for i in 0..50 {
        writeln!(log, "{{\"ts\": {i}").unwrap();
    }
    writeln!(log, r#"{{"ts":"2025-04-14T00:00:00Z"}}"#).unwrap();
    let m = Mapping::builtin("steward-gateway").unwrap();
    let options = OpenOptions {
        max_examples: 5,
        ..OpenOptions::default()
    };
    let run =
        drain(LogSource::from_reader("bad.jsonl", std::io::Cursor::new(log), &m, options).unwrap());
    assert_eq!(run.report.counters.parse_errors, 50);
    assert_eq!(run.report.examples.len(), 5);
    assert_eq!(run.errors.len(), 50, "the iterator yields every error");
    assert_eq!(run.events.len(), 1);
    assert_eq!(run.report.examples[4].line, 5);
}

#[test]
fn records_over_the_limit_are_skipped_and_reported() {
    let long = format!(
        r#"{{"ts":"2025-04-14T00:00:00Z","request_id":"{}"}}"#,
        "x".repeat(500)
    );
    let log = format!("{long}\n{{\"ts\":\"2025-04-14T00:00:01Z\"}}\n{long}");
    let m = Mapping::builtin("steward-gateway").unwrap();
    let options = OpenOptions {
        max_record: 100,
        ..OpenOptions::default()
    };
    let mut source = LogSource::from_reader(
        "long.jsonl",
        std::io::Cursor::new(log.into_bytes()),
        &m,
        options,
    )
    .unwrap();
    let first = source.next().unwrap().unwrap_err();
    assert_eq!(
        first.to_string(),
        "long.jsonl:1: record longer than 100 bytes, skipped"
    );
    let ok = source.next().unwrap().unwrap();
    assert_eq!(ok.time_ms, 1_744_588_801_000);
    assert_eq!(source.position().line, 2);
    let last = source.next().unwrap().unwrap_err();
    assert_eq!(
        last.line, 3,
        "a last line without a newline is still a record"
    );
    assert!(source.next().is_none());
    assert_eq!(source.counters().too_long, 2);
}

#[test]
fn a_corrupt_stream_ends_the_input_with_a_read_error() {
    let plain = fixture_bytes("steward-gateway.jsonl");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&plain).unwrap();
    let mut bytes = gz.finish().unwrap();
    let cut = bytes.len() / 2;
    bytes.truncate(cut);
    bytes.extend_from_slice(&[0xff; 64]);
    let m = Mapping::builtin("steward-gateway").unwrap();
    let run = drain(
        LogSource::from_reader(
            "cut.jsonl.gz",
            std::io::Cursor::new(bytes),
            &m,
            OpenOptions::default(),
        )
        .unwrap(),
    );
    assert_eq!(run.report.counters.read_errors, 1);
    assert!(
        run.errors
            .last()
            .unwrap()
            .contains("input unreadable from here")
    );
    assert!(run.events.len() < 8);
}

#[test]
fn records_that_are_not_objects_or_not_json_documents() {
    let m = Mapping::builtin("aws-cloudtrail").unwrap();
    let log = b"{\"Records\":[{\"eventTime\":\"2025-04-14T03:06:40Z\"} {\"eventTime\":\"x\"}]}\n\
                garbage here\n\
                {\"eventTime\":\"2025-04-14T03:06:41Z\",\"eventID\":\"e2\"}\n"
        .to_vec();
    let run = drain(
        LogSource::from_reader(
            "ct.json",
            std::io::Cursor::new(log),
            &m,
            OpenOptions::default(),
        )
        .unwrap(),
    );
    assert_eq!(run.events.len(), 2);
    assert_eq!(
        run.events[0]["event_id"], "ct.json:1#1",
        "no eventID: file, line and record"
    );
    assert_eq!(run.events[1]["event_id"], "e2");
    assert_eq!(
        run.errors,
        [
            "ct.json:1: not parsed at byte 0: expected `,` or `]` between records",
            "ct.json:2: not parsed at byte 0: not a JSON document",
        ]
    );
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_not_errors() {
    let m = Mapping::builtin("steward-auth").unwrap();
    let log = b"\xef\xbb\xbf{\"ts\":\"2025-04-14T00:00:00Z\",\"jti\":\"a\"}\r\n\r\n{\"ts\":\"2025-04-14T00:00:01Z\",\"jti\":\"b\"}\r\n".to_vec();
    let run = drain(
        LogSource::from_reader(
            "bom.jsonl",
            std::io::Cursor::new(log),
            &m,
            OpenOptions::default(),
        )
        .unwrap(),
    );
    assert!(run.errors.is_empty(), "{:?}", run.errors);
    assert_eq!(run.events.len(), 2);
    assert_eq!(run.report.counters.records, 2);
}
