//! Mapping errors point at the file, line and column.

use steward_logs::{Mapping, MappingError};

fn err(text: &str) -> MappingError {
    Mapping::from_yaml("m.yaml", text).unwrap_err()
}

fn at(e: &MappingError) -> (Option<usize>, Option<usize>) {
    (e.line, e.column)
}

#[test]
fn unknown_target_field() {
    let e = err("name: x\nfields:\n  time_ms: ts\n  principal.name: user\n");
    assert_eq!(at(&e), (Some(4), Some(3)));
    assert!(
        e.message
            .starts_with("fields: unknown field `principal.name`"),
        "{e}"
    );
    assert!(e.to_string().starts_with("m.yaml:4:3: "), "{e}");
}

#[test]
fn unknown_option_and_top_level_key() {
    let e = err("name: x\nfields:\n  time_ms:\n    path: ts\n    format: rfc3339\n");
    assert_eq!(at(&e), (Some(5), Some(5)));
    assert!(e.message.contains("unknown field `format`"), "{e}");
    let e = err("name: x\nfilter: []\nfields:\n  time_ms: ts\n");
    assert_eq!(at(&e), (Some(2), Some(1)));
}

#[test]
fn bad_regex_path_time_format_and_template() {
    let e =
        err("name: x\nfields:\n  time_ms: ts\n  endpoint:\n    path: p\n    regex: '(unclosed'\n");
    assert_eq!(e.line, Some(6));
    assert!(e.message.contains("bad regex"), "{e}");
    let e = err("name: x\nfields:\n  time_ms: ts\n  method: 'http..method'\n");
    assert_eq!(e.line, Some(4));
    assert!(
        e.message.contains("path `http..method`: empty field name"),
        "{e}"
    );
    let e = err("name: x\nfields:\n  time_ms: {path: ts, time: fortnightly}\n");
    assert_eq!(e.line, Some(3));
    assert!(
        e.message.contains("unknown time format `fortnightly`"),
        "{e}"
    );
    let e = err("name: x\nfields:\n  time_ms: ts\n  event_id: {template: 'id-{a'}\n");
    assert_eq!(e.line, Some(4));
    assert!(e.message.contains("is not closed"), "{e}");
}

#[test]
fn options_a_field_does_not_take() {
    let e = err("name: x\nfields:\n  time_ms: ts\n  method: {path: a, const: GET}\n");
    assert_eq!(e.line, Some(4));
    assert!(e.message.contains("takes only one of"), "{e}");
    let e = err("name: x\nfields:\n  time_ms: ts\n  status: {path: s, time: epoch_s}\n");
    assert!(e.message.contains("`time` is for time fields"), "{e}");
    assert_eq!(e.line, Some(4));
    let e = err("name: x\nfields:\n  time_ms: ts\n  method: {all: [a, b]}\n");
    assert!(e.message.contains("`all` is for list fields"), "{e}");
    let e = err("name: x\nfields:\n  time_ms: ts\n  method: {regex: a}\n");
    assert!(e.message.contains("needs one of"), "{e}");
    let e = err("name: x\nfields:\n  time_ms: ts\n  method: {path: a, otherwise: b}\n");
    assert!(e.message.contains("`otherwise` needs `map`"), "{e}");
    let e =
        err("name: x\nkeep:\n  - path: a\n    in: [1]\n    exists: true\nfields:\n  time_ms: ts\n");
    assert!(e.message.contains("exactly one of"), "{e}");
    assert!(e.line.is_some());
}

#[test]
fn yaml_syntax_and_missing_parts() {
    let e = err("name: x\nfields:\n  time_ms: [ts\n");
    assert!(e.line.is_some() && e.column.is_some(), "{e}");
    let e = err("name: x\nfields:\n  endpoint: p\n");
    assert!(e.message.contains("missing field `time_ms`"), "{e}");
    let e = err("fields:\n  time_ms: ts\n");
    assert!(e.message.contains("missing field `name`"), "{e}");
}

#[test]
fn checks_after_parsing_name_the_file() {
    let e = err("name: x\ncsv: {header: false}\nfields:\n  time_ms: ts\n");
    assert_eq!(
        e.to_string(),
        "m.yaml: `csv`: without a header row, `columns` must name the columns"
    );
    let e = err("name: x\nrecords: a.b\nfields:\n  time_ms: ts\n");
    assert!(
        e.message.contains("must be one top-level field name"),
        "{e}"
    );
    let e = err("name: x\ncsv: {delimiter: ';;'}\nfields:\n  time_ms: ts\n");
    assert!(e.message.contains("one ASCII character"), "{e}");
    assert_eq!(e.line, Some(2));
}

#[test]
fn unknown_builtin_and_unreadable_file() {
    let e = Mapping::builtin("splunk").unwrap_err();
    assert!(e.message.contains("no built-in mapping `splunk`"), "{e}");
    assert!(e.message.contains("steward-gateway"));
    let e = Mapping::from_file(std::path::Path::new("/nonexistent/m.yaml")).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("/nonexistent/m.yaml: cannot read"),
        "{e}"
    );
}
