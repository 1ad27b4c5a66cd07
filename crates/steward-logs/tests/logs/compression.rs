//! gzip and zstd found by magic bytes, whatever the name.

use std::io::Write as _;

use steward_logs::{Compression, LogSource, Mapping};

use crate::harness::{drain, fixture, fixture_bytes, run_builtin};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn gzip_zstd_and_plain_give_the_same_events() {
    let plain = run_builtin("steward-gateway", &fixture("steward-gateway.jsonl"));
    let bytes = fixture_bytes("steward-gateway.jsonl");
    let dir = tempfile::tempdir().unwrap();
    // Names that say nothing: the magic bytes decide.
    let gz = dir.path().join("gateway.log");
    std::fs::write(&gz, gzip(&bytes)).unwrap();
    let zst = dir.path().join("gateway.jsonl.gz");
    std::fs::write(&zst, zstd::encode_all(&bytes[..], 3).unwrap()).unwrap();
    for (path, kind) in [(gz, Compression::Gzip), (zst, Compression::Zstd)] {
        let run = run_builtin("steward-gateway", &path);
        assert_eq!(run.report.compression, kind);
        assert_eq!(run.events, plain.events);
        assert_eq!(run.report.counters.errors(), plain.report.counters.errors());
    }
}

#[test]
fn multi_member_gzip_is_read_to_the_end() {
    let bytes = fixture_bytes("steward-auth.jsonl");
    let (a, b) = bytes.split_at(bytes.iter().position(|c| *c == b'\n').unwrap() + 1);
    let mut joined = gzip(a);
    joined.extend(gzip(b));
    let m = Mapping::builtin("steward-auth").unwrap();
    let run = drain(
        LogSource::from_reader(
            "auth.gz",
            std::io::Cursor::new(joined),
            &m,
            Default::default(),
        )
        .unwrap(),
    );
    let plain = run_builtin("steward-auth", &fixture("steward-auth.jsonl"));
    assert_eq!(run.events.len(), plain.events.len());
    assert_eq!(run.events[0], plain.events[0]);
}

#[test]
fn compressed_csv_and_cloudtrail_documents() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("postgresql.csv.zst");
    std::fs::write(
        &csv,
        zstd::encode_all(&fixture_bytes("pgaudit.csv")[..], 1).unwrap(),
    )
    .unwrap();
    let run = run_builtin("pgaudit", &csv);
    assert_eq!(
        run.events,
        run_builtin("pgaudit", &fixture("pgaudit.csv")).events
    );
    let ct = dir
        .path()
        .join("123456789012_CloudTrail_ap-northeast-2_20250414T0305Z_abc.json.gz");
    std::fs::write(&ct, gzip(&fixture_bytes("aws-cloudtrail.json"))).unwrap();
    let run = run_builtin("aws-cloudtrail", &ct);
    assert_eq!(
        run.events,
        run_builtin("aws-cloudtrail", &fixture("aws-cloudtrail.json")).events
    );
    assert_eq!(run.report.compression, Compression::Gzip);
}

#[test]
fn a_missing_file_is_an_open_error() {
    let m = Mapping::builtin("steward-auth").unwrap();
    let e = LogSource::open(fixture("nope.jsonl"), &m).unwrap_err();
    assert!(e.to_string().contains("nope.jsonl: cannot open"), "{e}");
}
