//! Remembered conversions change no result: records mapped while
//! remembering, into one reused event (as `steward hunt` reads), against the
//! same records mapped afresh into a new event each, for a mapping that
//! remembers every kind of field over varied records. (A generated
//! platform's logs are compared line by line against fresh sources in
//! `tests/logs/mappings.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Cursor;

use steward_model::event::AccessEvent;

use crate::{LogSource, Mapping, OpenOptions};

type Mapped = Vec<Result<AccessEvent, String>>;

/// Every record of `bytes`, remembering into a reused event, and afresh.
fn both_ways(name: &str, bytes: &[u8], mapping: &Mapping) -> (Mapped, Mapped) {
    let open = || {
        LogSource::from_reader(
            name,
            Cursor::new(bytes.to_vec()),
            mapping,
            OpenOptions::default(),
        )
        .unwrap()
    };
    let mut source = open();
    let mut ev = AccessEvent::default();
    let mut reused = Vec::new();
    while let Some(r) = source.read_into(&mut ev) {
        reused.push(r.map(|()| ev.clone()).map_err(|e| e.to_string()));
    }
    let mut fresh = open().forgetful();
    let afresh: Mapped = fresh
        .by_ref()
        .map(|r| r.map_err(|e| e.to_string()))
        .collect();
    assert_eq!(source.counters(), fresh.counters());
    (reused, afresh)
}

fn assert_same(name: &str, bytes: &[u8], mapping: &Mapping) -> Mapped {
    let (reused, fresh) = both_ways(name, bytes, mapping);
    assert_eq!(reused.len(), fresh.len());
    for (k, (a, b)) in reused.iter().zip(&fresh).enumerate() {
        assert_eq!(a, b, "{name} record {k}");
    }
    reused
}

/// A small deterministic generator of varied values.
struct Lcg(u64);

impl Lcg {
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let k = usize::try_from(self.0 >> 33).unwrap() % from.len();
        from[k]
    }
}

#[test]
fn varied_records_map_alike_remembering_or_not() {
    let mapping = Mapping::from_yaml(
        "varied.yaml",
        r#"
name: varied
fields:
  time_ms: {path: t, time: epoch_ms}
  event_id: {const: fixed, lowercase: true}
  subjects: {all: ['a[*]', b], lowercase: true}
  record_types: {first: [c, 'd[*]'], regex: '^(\w+)', default: none}
  endpoint: {template: '{e}/{f}', replace: [{pattern: '[0-9]+', with: N}]}
  principal.kind: {first: [k1, k2], lowercase: true}
  outcome: o
  source.country: g
  source.ip: {path: ip, regex: '^\[?([0-9a-f.:]+)', lenient: true}
  method: {path: m, map: {x: X}, otherwise: null, default: D}
  status: {path: s, lowercase: true}
"#,
    )
    .unwrap();
    let scalars = [
        "",
        "null",
        "1",
        "2",
        "2.5",
        "-3",
        "true",
        "\"\"",
        "\"-\"",
        "\"x\"",
        "\"X\"",
        "\"y\"",
        "\"A\\u0042c\"",
        "\"Staff\"",
        "\"customer\"",
        "\"200\"",
        "\"404\"",
        "\"denied\"",
        "\"kr\"",
        "\"KOR\"",
        "\"zz\"",
        "\"10.0.0.1\"",
        "\"[2001:db8::1]:443\"",
        "\"no ip\"",
        "\"12/34\"",
    ];
    let lists = [
        "",
        "[]",
        "null",
        "[\"A\",\"a\",null,\"B\"]",
        "[\"b\",\"A\"]",
        "[1,2,1]",
        "[\"x y\",\"\"]",
        "\"solo\"",
        "[\"A\\u0042\"]",
        "[[\"nested\"],{\"o\":1}]",
    ];
    let statuses = [
        "", "200", "404", "\"201\"", "\"abc\"", "1000", "null", "\"-\"",
    ];
    let mut r = Lcg(7);
    let mut lines = String::new();
    for t in 0..3000 {
        let mut fields = vec![format!("\"t\":{t}")];
        for key in ["b", "c", "e", "f", "k1", "k2", "o", "g", "ip", "m"] {
            let v = r.pick(&scalars);
            if !v.is_empty() {
                fields.push(format!("\"{key}\":{v}"));
            }
        }
        for key in ["a", "d"] {
            let v = r.pick(&lists);
            if !v.is_empty() {
                fields.push(format!("\"{key}\":{v}"));
            }
        }
        let s = r.pick(&statuses);
        if !s.is_empty() {
            fields.push(format!("\"s\":{s}"));
        }
        lines.push('{');
        lines.push_str(&fields.join(","));
        lines.push_str("}\n");
    }
    let events = assert_same("varied.jsonl", lines.as_bytes(), &mapping);
    let ok = events.iter().filter(|r| r.is_ok()).count();
    assert!(ok > 1000 && ok < events.len(), "{ok} of {}", events.len());
}

#[test]
fn direct_programs_map_plain_values_as_the_general_path_does() {
    // Every field a direct program can fill, from one path or the first of
    // two, over plain values and every kind that must go the general way:
    // escapes, null, blanks, floats, long and negative integers, texts a
    // field cannot convert, and a line with invalid UTF-8.
    let mapping = Mapping::from_yaml(
        "direct.yaml",
        r#"
name: direct
fields:
  time_ms: {path: t, time: rfc3339}
  event_id: id
  principal.id: {first: [p1, p2]}
  credential.token_id: tok
  credential.session_id: {first: [s1, s2]}
  credential.issued_at_ms: {path: iat, time: epoch_s, lenient: true}
  method: m
  endpoint: e
  source.ip: {path: ip, lenient: true}
  status: {path: st, lenient: true}
  records: {path: n, lenient: true}
  bytes: b
  subjects: {path: sub, map: {x: mapped, y: ''}}
  record_types: {path: rt, map: {x: X, '7': seven, '-': dash}, otherwise: null}
  source.country: {path: sub, map: {x: KR}, otherwise: US}
"#,
    )
    .unwrap();
    let times = [
        "\"2025-04-09T15:21:03.011Z\"",
        "\"2025-04-09T15:21:04Z\"",
        "\"2025-04-09T15:22:00+09:00\"",
        "\"2025-04-09 15:22:00Z\"",
        "\"-\"",
        "\"\"",
        "1744212045000",
        "null",
        "\"late\"",
        "",
    ];
    let values = [
        "",
        "null",
        "\"\"",
        "\"-\"",
        "\"x\"",
        "\"y\"",
        "\"a\\\"b\"",
        "\"caf\\u00e9\"",
        "\"한국\"",
        "0",
        "7",
        "-3",
        "200",
        "999",
        "1000",
        "2.5",
        "1e3",
        "1234567890123456789",
        "true",
        "\"10.0.0.1\"",
        "\" 10.0.0.2 \"",
        "\"2001:db8::1\"",
        "\"300.1.1.1\"",
        "\"404\"",
        "1744212045",
        "{\"o\":1}",
        "[]",
        "[\"a\",\"b\",\"a\"]",
        "[7,null,\"\"]",
    ];
    let mut r = Lcg(11);
    let mut lines: Vec<u8> = Vec::new();
    for k in 0..4000 {
        let mut fields = Vec::new();
        let t = r.pick(&times);
        if !t.is_empty() {
            fields.push(format!("\"t\":{t}"));
        }
        for key in [
            "id", "p1", "p2", "tok", "s1", "s2", "iat", "m", "e", "ip", "st", "n", "b", "sub", "rt",
        ] {
            let v = r.pick(&values);
            if !v.is_empty() {
                fields.push(format!("\"{key}\":{v}"));
            }
        }
        lines.push(b'{');
        lines.extend_from_slice(fields.join(",").as_bytes());
        if k % 97 == 0 {
            lines.extend_from_slice(b",\"junk\":\"\xff\"");
        }
        // A key written twice: lists take both values, fields the first.
        if k % 13 == 0 {
            lines.extend_from_slice(b",\"sub\":\"again\",\"id\":\"again\"");
        }
        lines.extend_from_slice(b"}\n");
    }
    let events = assert_same("direct.jsonl", &lines, &mapping);
    let ok = events.iter().filter(|r| r.is_ok()).count();
    assert!(ok > 500 && ok < events.len(), "{ok} of {}", events.len());
    // Plain values did reach the fields.
    assert!(events.iter().flatten().any(|e| e.status == Some(200)));
    assert!(
        events
            .iter()
            .flatten()
            .any(|e| e.credential.token_id.as_deref() == Some("x"))
    );
    assert!(events.iter().flatten().any(|e| e.principal.id == "7"));
    assert!(events.iter().flatten().any(|e| e.subjects == ["mapped"]));
    assert!(events.iter().flatten().any(|e| e.record_types == ["X"]));
    assert!(events.iter().flatten().any(|e| e.record_types == ["dash"]));
    assert!(events.iter().flatten().any(|e| e.subjects.len() == 2));
}

#[test]
fn shipped_mappings_map_their_fixtures_alike_direct_or_not() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = 0;
    for name in Mapping::builtin_names() {
        for ext in ["jsonl", "json", "csv"] {
            let file = format!("{name}.{ext}");
            let Ok(bytes) = std::fs::read(dir.join(&file)) else {
                continue;
            };
            let events = assert_same(&file, &bytes, &Mapping::builtin(name).unwrap());
            assert!(events.iter().any(Result::is_ok), "{file}");
            files += 1;
        }
    }
    assert!(files >= 8, "{files} fixtures");
}
