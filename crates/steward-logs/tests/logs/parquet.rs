//! Parquet: flat, nested and list columns, typed timestamps, compressed
//! Parquet read into memory.

use std::sync::Arc;

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{
    ArrayRef, Int32Array, RecordBatch, StringArray, StructArray, TimestampMicrosecondArray,
};
use arrow_schema::{DataType, Field, Fields};
use parquet::arrow::ArrowWriter;
use steward_logs::{Compression, InputFormat, LogSource, Mapping};

use crate::harness::drain;

fn write_parquet() -> Vec<u8> {
    let ts = TimestampMicrosecondArray::from(vec![
        1_744_600_000_123_456,
        1_744_600_001_000_000,
        1_744_600_002_000_000,
    ]);
    let user_fields = Fields::from(vec![
        Field::new("uid", DataType::Utf8, true),
        Field::new("kind", DataType::Utf8, true),
    ]);
    let user = StructArray::new(
        user_fields.clone(),
        vec![
            Arc::new(StringArray::from(vec![Some("E0042"), Some("952"), None])) as ArrayRef,
            Arc::new(StringArray::from(vec![
                Some("staff"),
                Some("customer"),
                None,
            ])) as ArrayRef,
        ],
        Some(vec![true, true, false].into()),
    );
    let mut members = ListBuilder::new(StringBuilder::new());
    members.values().append_value("42");
    members.values().append_value("43");
    members.append(true);
    members.append(true);
    members.values().append_value("7");
    members.append(true);
    let members = members.finish();
    let status = Int32Array::from(vec![Some(200), Some(403), None]);
    let route = StringArray::from(vec!["/a/{id}", "/b/{id}", "/c"]);
    let batch = RecordBatch::try_from_iter(vec![
        ("ts", Arc::new(ts) as ArrayRef),
        ("user", Arc::new(user) as ArrayRef),
        ("members", Arc::new(members) as ArrayRef),
        ("http.status", Arc::new(status) as ArrayRef),
        ("route", Arc::new(route) as ArrayRef),
        (
            "unused",
            Arc::new(StringArray::from(vec!["x", "y", "z"])) as ArrayRef,
        ),
    ])
    .unwrap();
    let mut out = Vec::new();
    let mut w = ArrowWriter::try_new(&mut out, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    out
}

fn mapping() -> Mapping {
    Mapping::from_yaml(
        "p.yaml",
        "name: p\nfields:\n  time_ms: ts\n  principal.id: user.uid\n  principal.kind: {path: user.kind, default: anonymous}\n  subjects: members\n  record_types: 'members[1]'\n  status: http.status\n  endpoint: route\n",
    )
    .unwrap()
}

#[test]
fn nested_list_and_flat_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.parquet");
    std::fs::write(&path, write_parquet()).unwrap();
    let run = drain(LogSource::open(&path, &mapping()).unwrap());
    assert_eq!(run.report.format, InputFormat::Parquet);
    assert!(run.errors.is_empty(), "{:?}", run.errors);
    let e = &run.events;
    assert_eq!(e.len(), 3);
    assert_eq!(
        e[0]["time_ms"], 1_744_600_000_123_i64,
        "microseconds to milliseconds"
    );
    assert_eq!(e[0]["principal"]["id"], "E0042");
    assert_eq!(e[0]["principal"]["kind"], "staff");
    assert_eq!(e[0]["subjects"], serde_json::json!(["42", "43"]));
    assert_eq!(e[0]["record_types"], serde_json::json!(["43"]));
    assert_eq!(e[0]["status"], 200);
    assert_eq!(e[0]["outcome"], "success");
    assert_eq!(e[1]["outcome"], "denied");
    assert!(e[1].get("subjects").is_none(), "an empty list");
    // A null struct hides its children.
    assert_eq!(e[2]["principal"]["kind"], "anonymous");
    assert_eq!(e[2]["principal"]["id"], "");
    assert!(e[2].get("status").is_none());
    assert_eq!(e[2]["event_id"], "events.parquet#3");
}

#[test]
fn compressed_parquet_is_read_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.parquet.zst");
    std::fs::write(&path, zstd::encode_all(&write_parquet()[..], 1).unwrap()).unwrap();
    let run = drain(LogSource::open(&path, &mapping()).unwrap());
    assert_eq!(run.report.compression, Compression::Zstd);
    assert_eq!(run.events.len(), 3);
}

#[test]
fn a_broken_parquet_file_is_an_error_not_a_panic() {
    let mut bytes = write_parquet();
    let n = bytes.len();
    for b in &mut bytes[8..n - 12] {
        *b ^= 0x5a;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.parquet");
    std::fs::write(&path, &bytes).unwrap();
    match LogSource::open(&path, &mapping()) {
        Err(e) => assert!(e.to_string().contains("bad.parquet"), "{e}"),
        Ok(source) => {
            let run = drain(source);
            assert!(
                run.report.counters.read_errors == 1 || run.errors.len() + run.events.len() <= 3
            );
        }
    }
    std::fs::write(&path, b"PAR1 but nothing else").unwrap();
    let e = LogSource::open(&path, &mapping()).unwrap_err();
    assert!(e.to_string().contains("not a readable Parquet file"), "{e}");
}
