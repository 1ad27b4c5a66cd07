//! Every shipped mapping over its fixture: a snapshot of the mapped events
//! and the record errors, and the facts that matter checked by hand.

use insta::assert_yaml_snapshot;
use serde_json::Value;
use steward_logs::{InputFormat, Mapping};

use crate::harness::{fixture, render, run_builtin};

fn field<'a>(e: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(e, |v, k| &v[k])
}

#[test]
fn every_builtin_compiles_and_has_a_fixture() {
    let names = Mapping::builtin_names();
    assert_eq!(names.len(), 9);
    for name in names {
        let m = Mapping::builtin(name).unwrap();
        assert_eq!(
            m.name(),
            name,
            "the file's name field matches its table name"
        );
        assert!(!m.description().is_empty());
        let on_disk = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../mappings")
                .join(format!("{name}.yaml")),
        )
        .unwrap();
        assert_eq!(Mapping::builtin_text(name), Some(on_disk.as_str()));
        // The Parquet gateway mapping is checked against a generated log
        // instead (`the_parquet_gateway_log_maps_to_the_same_events`).
        let has_fixture = name == "steward-gateway-parquet"
            || ["jsonl", "json", "csv"]
                .iter()
                .any(|ext| fixture(&format!("{name}.{ext}")).exists());
        assert!(has_fixture, "{name} has no fixture");
    }
}

#[test]
fn steward_gateway() {
    let run = run_builtin("steward-gateway", &fixture("steward-gateway.jsonl"));
    assert_yaml_snapshot!(render(&run));
    let e = &run.events;
    assert_eq!(e.len(), 8);
    // Login: anonymous, no subject, outcome from the status.
    assert_eq!(field(&e[0], "principal.kind"), "anonymous");
    assert_eq!(field(&e[0], "outcome"), "success");
    assert!(e[0].get("subjects").is_none());
    // A member reading their own address book.
    assert_eq!(field(&e[2], "principal.id"), "952");
    assert_eq!(field(&e[2], "principal.kind"), "customer");
    assert_eq!(field(&e[2], "credential.key_id"), "member-2021");
    assert_eq!(
        field(&e[2], "credential.issued_at_ms"),
        1_744_212_045_000_i64
    );
    assert_eq!(e[2]["subjects"], serde_json::json!(["952"]));
    assert_eq!(e[2]["record_types"], serde_json::json!(["address_book"]));
    assert_eq!(e[2]["time_ms"], 1_744_212_163_051_i64);
    // Products have no record type.
    assert!(e[1].get("record_types").is_none());
    // Partner by API key, staff, service.
    assert_eq!(field(&e[4], "principal.kind"), "api_key");
    assert_eq!(field(&e[4], "principal.id"), "ak_hanriver_prod");
    assert_eq!(field(&e[4], "credential.api_key_id"), "ak_hanriver_prod");
    assert_eq!(field(&e[5], "principal.kind"), "staff");
    assert_eq!(e[5]["record_types"], serde_json::json!(["member_record"]));
    assert_eq!(field(&e[3], "principal.kind"), "service");
    assert_eq!(field(&e[6], "outcome"), "not_found");
    assert_eq!(field(&e[7], "outcome"), "denied");
    assert_eq!(field(&e[7], "source.country"), "CN");
}

#[test]
fn steward_auth() {
    let run = run_builtin("steward-auth", &fixture("steward-auth.jsonl"));
    assert_yaml_snapshot!(render(&run));
    let e = &run.events;
    assert_eq!(e.len(), 5);
    assert_eq!(
        field(&e[0], "credential.token_id"),
        "910a2dec-8902-4cc1-bf8b-249e43028a5d"
    );
    assert_eq!(e[0]["event_id"], "910a2dec-8902-4cc1-bf8b-249e43028a5d");
    assert_eq!(e[0]["method"], "token_issued");
    assert_eq!(e[0]["endpoint"], "auth/password");
    assert_eq!(e[1]["endpoint"], "auth/client_credentials");
    assert_eq!(field(&e[2], "principal.kind"), "staff");
    // Failed logins: anonymous, the account is the subject, id from file:line.
    assert_eq!(field(&e[3], "principal.kind"), "anonymous");
    assert_eq!(e[3]["event_id"], "steward-auth.jsonl:4");
    assert_eq!(e[3]["outcome"], "denied");
    assert!(e[3].get("subjects").is_none());
    assert_eq!(e[4]["subjects"], serde_json::json!(["68"]));
}

#[test]
fn ocsf_api_activity() {
    let run = run_builtin("ocsf-api-activity", &fixture("ocsf-api-activity.jsonl"));
    assert_yaml_snapshot!(render(&run));
    let e = &run.events;
    assert_eq!(run.report.counters.skipped, 1, "the 6005 event is skipped");
    assert_eq!(e[0]["subjects"], serde_json::json!(["42", "43"]));
    assert_eq!(field(&e[0], "credential.key_id"), "member-2021");
    assert_eq!(field(&e[0], "principal.kind"), "staff");
    assert_eq!(e[0]["endpoint"], "GetMemberAddresses");
    assert_eq!(e[1]["outcome"], "denied");
    assert_eq!(field(&e[1], "principal.kind"), "service");
    assert_eq!(e[1]["method"], "Delete");
    assert_eq!(e[2]["outcome"], "error", "api.response.code 500");
    assert_eq!(
        e[2]["time_ms"], 1_744_600_080_000_i64,
        "RFC 3339 time read by auto"
    );
    assert_eq!(field(&e[2], "source.ip"), "2001:db8::7");
}

#[test]
fn ocsf_datastore_activity() {
    let run = run_builtin(
        "ocsf-datastore-activity",
        &fixture("ocsf-datastore-activity.jsonl"),
    );
    assert_yaml_snapshot!(render(&run));
    let e = &run.events;
    assert_eq!(e[0]["method"], "Query");
    assert_eq!(e[0]["endpoint"], "members");
    assert_eq!(e[0]["bytes"], 48_211);
    assert_eq!(e[1]["method"], "Read");
    assert_eq!(e[1]["endpoint"], "shop-exports");
    assert_eq!(e[1]["outcome"], "denied");
    assert_eq!(e[2]["endpoint"], "shop");
    assert_eq!(e[2]["method"], "Connect");
}

#[test]
fn aws_cloudtrail_records_file() {
    let run = run_builtin("aws-cloudtrail", &fixture("aws-cloudtrail.json"));
    assert_eq!(run.report.format, InputFormat::JsonDocuments);
    assert_yaml_snapshot!(render(&run));
    let e = &run.events;
    assert_eq!(e.len(), 5);
    assert_eq!(e[0]["endpoint"], "s3.amazonaws.com/GetObject");
    assert_eq!(e[0]["bytes"], 48_211);
    assert_eq!(e[0]["outcome"], "success");
    assert_eq!(field(&e[0], "principal.kind"), "staff");
    assert_eq!(
        e[0]["record_types"],
        serde_json::json!(["AWS::S3::Object", "AWS::S3::Bucket"])
    );
    assert_eq!(e[1]["outcome"], "denied");
    assert_eq!(field(&e[1], "principal.kind"), "unknown");
    // AWS acting for the caller: no IP, no error.
    assert!(e[2]["source"].get("ip").is_none());
    assert_eq!(field(&e[2], "principal.id"), "s3.amazonaws.com");
    assert_eq!(e[3]["outcome"], "not_found");
    assert_eq!(e[4]["outcome"], "error");
}

#[test]
fn aws_cloudtrail_lines() {
    let run = run_builtin("aws-cloudtrail", &fixture("aws-cloudtrail.jsonl"));
    assert_yaml_snapshot!(render(&run));
    assert_eq!(run.events.len(), 2);
    assert_eq!(run.events[0]["bytes"], 48_211, "numeric text is a count");
    assert_eq!(run.events[1]["time_ms"], 1_744_600_001_250_i64);
    assert_eq!(run.report.counters.parse_errors, 1);
}

#[test]
fn nginx_json() {
    let run = run_builtin("nginx-json", &fixture("nginx-json.jsonl"));
    assert_yaml_snapshot!(render(&run));
    let e = &run.events;
    assert_eq!(e[0]["endpoint"], "/api/v1/members/{id}/addresses");
    assert_eq!(
        field(&e[0], "source.ip"),
        "203.0.113.7",
        "first X-Forwarded-For address"
    );
    assert_eq!(e[0]["time_ms"], 1_744_600_000_000_i64);
    assert_eq!(e[0]["principal"]["id"], "");
    assert_eq!(e[1]["endpoint"], "/api/v1/orders/{id}/cancel");
    assert_eq!(
        field(&e[1], "source.ip"),
        "198.51.100.23",
        "peer when XFF is empty"
    );
    assert_eq!(e[1]["status"], 403);
    assert_eq!(e[1]["outcome"], "denied");
    assert_eq!(
        e[2]["time_ms"], 1_744_600_002_500_i64,
        "msec when no ISO time"
    );
    assert_eq!(field(&e[2], "principal.id"), "jkim");
    assert!(e[3]["source"].get("ip").is_none(), "unix: socket peer");
    assert!(e[3].get("bytes").is_none(), "`-` is no value");
}

#[test]
fn envoy_json() {
    let run = run_builtin("envoy-json", &fixture("envoy-json.jsonl"));
    assert_yaml_snapshot!(render(&run));
    let e = &run.events;
    assert_eq!(field(&e[0], "source.ip"), "203.0.113.7");
    assert_eq!(field(&e[0], "principal.id"), "2001");
    assert_eq!(e[0]["endpoint"], "/api/v1/members/{id}/addresses");
    assert_eq!(field(&e[1], "source.ip"), "2001:db8::9", "[v6]:port");
    assert_eq!(e[1]["endpoint"], "/api/v1/members/{id}");
    assert_eq!(e[1]["outcome"], "denied");
    assert_eq!(field(&e[2], "source.ip"), "2001:db8::10", "bare v6");
    assert_eq!(e[2]["outcome"], "unknown", "response code 0");
}

#[test]
fn pgaudit() {
    let run = run_builtin("pgaudit", &fixture("pgaudit.csv"));
    assert_eq!(run.report.format, InputFormat::Csv);
    assert_yaml_snapshot!(render(&run));
    let e = &run.events;
    assert_eq!(run.report.counters.skipped, 1, "the connection line");
    assert_eq!(e[0]["method"], "SELECT");
    assert_eq!(e[0]["endpoint"], "public.members");
    assert_eq!(e[0]["record_types"], serde_json::json!(["public.members"]));
    assert_eq!(e[0]["event_id"], "6619a1b0.1092:7");
    assert_eq!(e[0]["time_ms"], 1_744_600_000_123_i64);
    assert_eq!(field(&e[0], "source.ip"), "10.20.3.15");
    assert_eq!(e[1]["method"], "UPDATE");
    assert_eq!(e[1]["endpoint"], "public.address_book");
    assert_eq!(e[2]["method"], "CREATE ROLE");
    assert_eq!(e[2]["endpoint"], "");
    assert!(e[2].get("record_types").is_none());
    assert_eq!(field(&e[2], "source.ip"), "2001:db8::5");
    assert_eq!(e[3]["outcome"], "error");
    // The first record spans lines 1 and 2, so the last is on line 7.
    assert_eq!(run.errors.len(), 1);
    assert!(run.errors[0].ends_with(
        "pgaudit.csv:7: field `time_ms` from `log_time`: does not match the mapping's time format"
    ));
}

/// A small generated platform and its summary.
fn platform() -> (tempfile::TempDir, steward_synth::Summary) {
    platform_with(steward_synth::GatewayFormat::Jsonl)
}

/// A small generated platform with its gateway log in `format`.
fn platform_with(
    format: steward_synth::GatewayFormat,
) -> (tempfile::TempDir, steward_synth::Summary) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = steward_synth::Config {
        customers: 300,
        days: 3,
        seed: 5,
        gateway_format: format,
        ..steward_synth::Config::default()
    };
    let summary = steward_synth::generate(&cfg, dir.path(), &steward_synth::NoProgress).unwrap();
    (dir, summary)
}

#[test]
fn a_generated_platform_maps_without_errors_and_merges_in_order() {
    use steward_logs::{LogSource, MergeOptions, merge_sources};
    let (dir, summary) = platform();
    let gateway = dir.path().join("logs/gateway/access.jsonl");
    let auth = dir.path().join("logs/auth/issuance.jsonl");
    let lines = |p: &std::path::Path| std::fs::read_to_string(p).unwrap().lines().count() as u64;
    let g = Mapping::builtin("steward-gateway").unwrap();
    let a = Mapping::builtin("steward-auth").unwrap();
    let mut merged = merge_sources(
        vec![
            LogSource::open(&gateway, &g).unwrap(),
            LogSource::open(&auth, &a).unwrap(),
        ],
        MergeOptions {
            slack_ms: 0,
            ..MergeOptions::default()
        },
    );
    let mut last = i64::MIN;
    let mut n = 0u64;
    let mut ids = std::collections::HashSet::new();
    for r in merged.by_ref() {
        let e = r.unwrap();
        assert!(e.time_ms >= last, "out of order");
        last = e.time_ms;
        assert!(ids.insert(e.event_id.clone()), "event ids are unique");
        n += 1;
    }
    assert_eq!(merged.late(), 0, "each log is written in time order");
    let reports = merged.reports();
    assert_eq!(reports[0].counters.events, lines(&gateway));
    assert_eq!(reports[1].counters.events, lines(&auth));
    assert_eq!(
        reports[0].counters.errors() + reports[1].counters.errors(),
        0
    );
    assert_eq!(n, lines(&gateway) + lines(&auth));
    assert_eq!(reports[0].counters.events, summary.gateway_events);
    assert_eq!(reports[1].counters.events, summary.auth_events);
}

/// The Parquet gateway log, read through its flat-column mapping, gives
/// exactly the events the JSON Lines log gives through `steward-gateway`.
#[test]
fn the_parquet_gateway_log_maps_to_the_same_events() {
    use steward_logs::LogSource;
    let (dir, summary) = platform_with(steward_synth::GatewayFormat::Both);
    let json = LogSource::open(
        dir.path().join("logs/gateway/access.jsonl"),
        &Mapping::builtin("steward-gateway").unwrap(),
    )
    .unwrap();
    let parquet = LogSource::open(
        dir.path().join("logs/gateway/access.parquet"),
        &Mapping::builtin("steward-gateway-parquet").unwrap(),
    )
    .unwrap();
    let mut n = 0u64;
    for (a, b) in json.zip(parquet) {
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a, b, "event {n}");
        n += 1;
    }
    assert_eq!(n, summary.gateway_events);
    assert!(n > 1000, "{n}");
}

/// Gateway records through a mapping whose every field but the time has
/// steps (so that every field is remembered from record to record), some
/// failing, some leniently.
const EVERY_STEP: &str = r#"
name: every-step
fields:
  time_ms: {path: ts, time: rfc3339}
  event_id: {path: request_id, regex: '^[0-9a-f]{4}'}
  principal.id: {first: [auth.sub, auth.api_key], split: {on: "_", index: -1}}
  principal.kind:
    path: auth.sub_type
    map: {member: customer, staff: staff, service: service, partner: api_key}
    default: anonymous
  credential.token_id: {path: auth.jti, split: {on: "-", index: 0}}
  credential.session_id: {template: '{auth.sid}/{auth.kid}', lowercase: true}
  credential.key_id: {path: auth.kid, replace: [{pattern: '[0-9]+', with: 'N'}]}
  credential.issued_at_ms: {path: auth.iat, regex: '^[0-9]{9}', time: epoch_s}
  credential.api_key_id: {path: auth.partner, lowercase: true}
  source.ip: {path: client.ip, regex: '^([0-9]+)\.', lenient: true}
  source.country: {path: client.geo, lowercase: true}
  method: {path: http.method, lowercase: true, map: {get: read}, otherwise: null, default: other}
  endpoint: {path: http.path, replace: [{pattern: '/[0-9]+', with: '/{id}'}]}
  subjects: {path: target.member_id, regex: '[0-9]{1,3}'}
  record_types: {all: [http.route, http.method], lowercase: true, split: {on: "/", index: -1}}
  status: {path: http.status, regex: '^[0-9]{2}'}
  outcome: {path: http.status, map: {'200': success, '404': not_found}, otherwise: denied}
  records: {path: resp.records, map: {'0': none}}
  bytes: {path: resp.bytes, split: {on: "0", index: 0}, lenient: true}
"#;

/// One source read to the end into one reused event (what it remembers
/// from record to record, the strings it reuses) maps every line as a
/// fresh source given that line alone does, for the shipped mappings and
/// for one that remembers every field.
#[test]
fn a_generated_platform_maps_each_line_as_a_fresh_source_does() {
    use std::io::Cursor;
    use steward_logs::{LogSource, OpenOptions};
    use steward_model::event::AccessEvent;
    let (dir, _) = platform();
    let every_step = Mapping::from_yaml("every-step.yaml", EVERY_STEP).unwrap();
    for (log, m) in [
        (
            "logs/gateway/access.jsonl",
            Mapping::builtin("steward-gateway").unwrap(),
        ),
        (
            "logs/auth/issuance.jsonl",
            Mapping::builtin("steward-auth").unwrap(),
        ),
        ("logs/gateway/access.jsonl", every_step),
    ] {
        let text = std::fs::read_to_string(dir.path().join(log)).unwrap();
        let open = |bytes: &str| {
            LogSource::from_reader(
                "log.jsonl",
                Cursor::new(bytes.as_bytes().to_vec()),
                &m,
                OpenOptions::default(),
            )
            .unwrap()
        };
        let mut source = open(&text);
        let mut ev = AccessEvent::default();
        let mut lines = text.lines();
        let (mut n, mut failed) = (0, 0);
        while let Some(r) = source.read_into(&mut ev) {
            n += 1;
            let line = lines.next().unwrap();
            let alone: Vec<_> = open(line).collect();
            assert_eq!(alone.len(), 1);
            match (&r, &alone[0]) {
                (Ok(()), Ok(e)) => {
                    let mut e = e.clone();
                    // Records without an id are named by their line.
                    if e.event_id == "log.jsonl:1" {
                        e.event_id = format!("log.jsonl:{n}");
                    }
                    assert_eq!(ev, e, "{} line {n}", m.name());
                }
                (Err(a), Err(b)) => {
                    assert_eq!(a.kind, b.kind, "{} line {n}", m.name());
                    failed += 1;
                }
                (a, b) => panic!("{} line {n}: {a:?} against {b:?}", m.name()),
            }
        }
        assert_eq!(lines.next(), None);
        assert!(n > 100, "{log}: {n} records");
        if m.name() == "every-step" {
            assert!(failed > 0 && failed < n, "{failed} of {n} failed");
        } else {
            assert_eq!(failed, 0);
        }
    }
}
