//! Loading: errors point at the file, line and rule; the rest loads.

use std::path::Path;

use steward_sigma::{RuleErrorKind, RuleSet, RuleSetBuilder};

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/load"))
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{needle} not in fixture"))
}

#[test]
fn bad_documents_are_reported_at_their_line_and_the_rest_loads() {
    let path = fixtures().join("bad-rules.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    let loaded = RuleSet::load([&path]);
    let ids: Vec<&str> = loaded.rules.infos().map(|i| &*i.id).collect();
    assert_eq!(
        ids,
        [
            "11111111-1111-4111-8111-111111111111",
            "77777777-7777-4777-8777-777777777777"
        ],
        "the good rule and the one with an unknown field (a warning) load"
    );
    let at = |needle: &str| {
        let line = line_of(&text, needle);
        loaded
            .errors
            .iter()
            .find(|e| e.location.line == Some(line))
            .unwrap_or_else(|| panic!("no error at line {line} ({needle}): {:#?}", loaded.errors))
    };
    assert!(matches!(
        at("endpoint|containz").kind,
        RuleErrorKind::Parse(_)
    ));
    assert_eq!(at("endpoint|containz").location.column, Some(13));
    assert!(
        at("condition: sel and and")
            .to_string()
            .contains("`Broken condition`")
    );
    let yaml = at("   condition: sel");
    assert!(matches!(yaml.kind, RuleErrorKind::Yaml(_)), "{yaml}");
    assert_eq!(
        at("- no_such_rule").kind,
        RuleErrorKind::UnknownRule("no_such_rule".into())
    );
    assert!(at("timespan: 1 hour").to_string().contains("timespan"));
    assert_eq!(
        at("group-by: [user.name]").kind,
        RuleErrorKind::UnknownField("user.name".into())
    );
    assert!(matches!(
        at("window: tumbling").kind,
        RuleErrorKind::Unsupported(_)
    ));
    assert!(matches!(
        loaded
            .errors
            .iter()
            .find(|e| e.to_string().contains("Duplicate id"))
            .unwrap()
            .kind,
        RuleErrorKind::Duplicate(_)
    ));
    assert!(
        loaded
            .errors
            .iter()
            .any(|e| e.to_string().contains("needs `condition.field`"))
    );
    // The unknown detection field is a warning at its line.
    let warning = loaded
        .warnings
        .iter()
        .find(|w| w.kind == RuleErrorKind::UnknownField("principal.name".into()))
        .unwrap();
    assert_eq!(
        warning.location.line,
        Some(line_of(&text, "principal.name: alice"))
    );
    assert!(warning.hint().unwrap().contains("`principal.id`"));

    let rendered: Vec<String> = loaded
        .errors
        .iter()
        .chain(&loaded.warnings)
        .map(|e| e.to_string().replace(env!("CARGO_MANIFEST_DIR"), "."))
        .collect();
    insta::assert_yaml_snapshot!(rendered);
}

#[test]
fn a_directory_loads_every_good_file_and_names_the_bad_one() {
    let dir = fixtures().join("dir");
    let loaded = RuleSet::load([&dir]);
    let titles: Vec<&str> = loaded.rules.infos().map(|i| &*i.title).collect();
    assert_eq!(titles, ["Retired key", "Denied"]);
    let bad = loaded
        .errors
        .iter()
        .find(|e| e.location.file.ends_with("b-bad.yaml"))
        .expect("the bad file is reported");
    assert!(matches!(bad.kind, RuleErrorKind::Yaml(_)));
    assert!(bad.location.line.is_some());
    // The two correlations refer to each other: both reported, neither loaded.
    let cycles = loaded
        .errors
        .iter()
        .filter(|e| matches!(e.kind, RuleErrorKind::Cycle(_)))
        .count();
    assert_eq!(cycles, 2);
    assert!(
        loaded
            .errors
            .iter()
            .all(|e| !e.location.file.ends_with("notes.txt"))
    );
}

#[test]
fn a_missing_path_is_an_error_not_a_panic() {
    let loaded = RuleSet::load(["/nonexistent/rules"]);
    assert_eq!(loaded.errors.len(), 1);
    assert!(matches!(loaded.errors[0].kind, RuleErrorKind::Io(_)));
}

#[test]
fn line_numbers_count_from_the_file_start_across_documents() {
    let text = "title: A\nname: a\nlogsource: {product: steward}\ndetection:\n  s:\n    outcome: denied\n  condition: s\n---\n# comment\n\ntitle: B\nlogsource: {product: steward}\ndetection:\n  s:\n    outcome|nope: x\n  condition: s\n";
    let loaded = RuleSetBuilder::new().yaml("mem.yml", text).build();
    assert_eq!(loaded.errors.len(), 1, "{:#?}", loaded.errors);
    let e = &loaded.errors[0];
    assert_eq!(e.location.line, Some(15));
    assert_eq!(
        e.to_string(),
        "mem.yml:15:12: rule `B`: unknown modifier `nope`"
    );
}

#[test]
fn garbage_does_not_panic() {
    for text in [
        "",
        "---\n---\n",
        "- a\n- b\n",
        "title: [\n",
        "title: x\ndetection: 5\n",
        "title: x\ncorrelation: {type: value_count, rules: [], timespan: 0s, condition: {gte: 1}}\n",
        "action: global\ntitle: g\n---\nlogsource: {product: x}\ndetection: {s: {a: 1}, condition: s}\n",
        "\u{feff}title: bom\n",
    ] {
        let loaded = RuleSetBuilder::new().yaml("g.yml", text).build();
        for e in &loaded.errors {
            assert!(!e.to_string().is_empty());
        }
    }
}
