//! The shipped rule pack (`rules/` at the repository root): it loads clean,
//! every rule is documented, and every reported rule has a fixture under
//! `tests/fixtures/pack/` whose `true` events make it match (snapshotted)
//! and whose `false` events do not.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use steward_model::event::AccessEvent;
use steward_sigma::{RuleSet, SigmaMatch};

use crate::harness::run;

pub fn pack_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules")
}

pub fn pack() -> Arc<RuleSet> {
    let loaded = RuleSet::load([pack_dir()]);
    assert!(loaded.errors.is_empty(), "{:#?}", loaded.errors);
    assert!(loaded.warnings.is_empty(), "{:#?}", loaded.warnings);
    Arc::new(loaded.rules)
}

#[derive(Deserialize)]
struct Fixture {
    rule: String,
    #[serde(rename = "true")]
    positive: Vec<Burst>,
    #[serde(rename = "false")]
    negative: Vec<Burst>,
}

/// `count` events `every_ms` apart from `start`; in `event`, `{i}` is the
/// event's index and `{i%N}` the index modulo N.
#[derive(Deserialize)]
struct Burst {
    start: String,
    every_ms: i64,
    count: i64,
    event: serde_json::Value,
}

fn merge(base: &mut serde_json::Value, over: &serde_json::Value) {
    match (base, over) {
        (serde_json::Value::Object(b), serde_json::Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

fn substitute(text: &str, i: i64) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("{i") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 2..];
        if let Some(after) = tail.strip_prefix('}') {
            out.push_str(&i.to_string());
            rest = after;
        } else if let Some(modulo) = tail.strip_prefix('%')
            && let Some(end) = modulo.find('}')
        {
            let n: i64 = modulo[..end].parse().expect("{i%N}");
            out.push_str(&(i % n).to_string());
            rest = &modulo[end + 1..];
        } else {
            out.push_str("{i");
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

fn render(bursts: &[Burst], tag: &str) -> Vec<AccessEvent> {
    let mut events = Vec::new();
    for (b, burst) in bursts.iter().enumerate() {
        let start = steward_model::time::parse_rfc3339_millis(&burst.start).unwrap();
        let mut template = serde_json::to_value(AccessEvent::default()).unwrap();
        merge(&mut template, &burst.event);
        let text = template.to_string();
        for i in 0..burst.count {
            let mut e: AccessEvent = serde_json::from_str(&substitute(&text, i)).unwrap();
            e.time_ms = start + i * burst.every_ms;
            e.event_id = format!("{tag}{b}-{i:03}");
            events.push(e);
        }
    }
    events.sort_by(|a, b| (a.time_ms, &a.event_id).cmp(&(b.time_ms, &b.event_id)));
    events
}

fn of_rule<'a>(matches: &'a [SigmaMatch], id: &str) -> Vec<&'a SigmaMatch> {
    matches.iter().filter(|m| &*m.rule_id == id).collect()
}

#[test]
fn every_pack_rule_is_documented() {
    let rules = pack();
    let uuid = |s: &str| {
        let parts: Vec<&str> = s.split('-').collect();
        parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
            && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
    };
    let mut reported = 0;
    for info in rules.infos() {
        assert!(uuid(&info.id), "{} has no UUID id", info.title);
        assert!(info.level.is_some(), "{}", info.title);
        assert!(!info.tags.is_empty(), "{}", info.title);
        assert!(
            info.description.as_deref().is_some_and(|d| d.len() > 20),
            "{}",
            info.title
        );
        assert!(!info.falsepositives.is_empty(), "{}", info.title);
        reported += usize::from(info.reported);
    }
    assert!(reported >= 11, "{reported} reported rules");
}

#[test]
fn pack_fixtures_match_and_stay_quiet() {
    let rules = pack();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pack");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let mut covered = Vec::new();
    for path in paths {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let fixture: Fixture =
            yaml_serde::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let info = rules
            .info(&fixture.rule)
            .unwrap_or_else(|| panic!("{stem}: no rule {}", fixture.rule));
        assert!(info.reported, "{stem}: {} is not reported", info.title);
        covered.push(fixture.rule.clone());

        let positive = run(&rules, &render(&fixture.positive, "t"));
        let hits = of_rule(&positive, &fixture.rule);
        assert!(!hits.is_empty(), "{stem}: `{}` did not match", info.title);
        insta::assert_yaml_snapshot!(format!("pack-{stem}"), hits);

        let negative = run(&rules, &render(&fixture.negative, "f"));
        let hits = of_rule(&negative, &fixture.rule);
        assert!(
            hits.is_empty(),
            "{stem}: `{}` matched benign events: {hits:#?}",
            info.title
        );
    }
    for info in rules.infos().filter(|i| i.reported) {
        assert!(
            covered.iter().any(|c| **c == *info.id),
            "`{}` has no fixture",
            info.title
        );
    }
}

#[test]
fn substitution() {
    assert_eq!(substitute("a{i}b{i%3}c{id}", 7), "a7b1c{id}");
}

#[test]
fn the_field_table_in_the_docs_is_current() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/sigma.md"))
            .unwrap();
    let rows: Vec<&str> = doc.lines().filter(|l| l.starts_with("| `")).collect();
    for field in steward_sigma::Field::ALL {
        let row = format!("| `{}` | {} |", field.name(), field.kind());
        assert!(
            rows.iter().any(|r| r.starts_with(&row)),
            "docs/sigma.md lacks the row `{row}`"
        );
    }
}
