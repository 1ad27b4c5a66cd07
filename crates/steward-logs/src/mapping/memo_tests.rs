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
