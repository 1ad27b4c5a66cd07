//! Sigma 2.1 detection semantics over access events, modifier by modifier.

use crate::harness::{T0, With, detects, ev};

fn sel(item: &str) -> String {
    format!("  sel:\n    {item}\n  condition: sel")
}

#[test]
fn plain_values_are_case_insensitive_and_exact() {
    let e = ev("r", T0);
    assert!(detects(&sel("endpoint: /API/V1/MEMBERS/{ID}/PROFILE"), &e));
    assert!(!detects(&sel("endpoint: /api/v1/members"), &e));
    // A list of values is an OR.
    assert!(detects(&sel("principal.kind: [staff, customer]"), &e));
    assert!(!detects(&sel("principal.kind: [staff, service]"), &e));
}

#[test]
fn wildcards_and_escapes() {
    let e = ev("r", T0);
    assert!(detects(&sel("endpoint: '/api/*/profile'"), &e));
    assert!(detects(&sel("endpoint: '/api/v?/members/*'"), &e));
    assert!(!detects(&sel("endpoint: '/api/v??/members/*'"), &e));
    // `\*` is a literal star.
    assert!(!detects(&sel(r"endpoint: '/api/\*'"), &e));
}

#[test]
fn contains_startswith_endswith() {
    let e = ev("r", T0);
    assert!(detects(&sel("endpoint|contains: members/{id}"), &e));
    assert!(!detects(&sel("endpoint|contains: orders"), &e));
    assert!(detects(&sel("endpoint|startswith: /API/v1"), &e));
    assert!(!detects(&sel("endpoint|startswith: /internal"), &e));
    assert!(detects(&sel("endpoint|endswith: /profile"), &e));
    assert!(!detects(&sel("endpoint|endswith: /addresses"), &e));
}

#[test]
fn contains_all_needs_every_value() {
    let e = ev("r", T0);
    assert!(detects(
        &sel("endpoint|contains|all: [members, profile]"),
        &e
    ));
    assert!(!detects(
        &sel("endpoint|contains|all: [members, orders]"),
        &e
    ));
    // Without `all`, either value.
    assert!(detects(&sel("endpoint|contains: [members, orders]"), &e));
}

#[test]
fn cased_forces_case() {
    let e = ev("r", T0);
    assert!(detects(&sel("method|cased: GET"), &e));
    assert!(!detects(&sel("method|cased: get"), &e));
}

#[test]
fn regular_expressions_are_case_sensitive_unless_i() {
    let e = ev("r", T0).principal("agent-0042");
    assert!(detects(&sel("principal.id|re: '^agent-\\d{4}$'"), &e));
    assert!(!detects(&sel("principal.id|re: '^AGENT-'"), &e));
    assert!(detects(&sel("principal.id|re|i: '^AGENT-'"), &e));
    assert!(!detects(&sel("principal.id|re: '^\\d+$'"), &e));
}

#[test]
fn cidr_over_ipv4_and_ipv6() {
    let v4 = ev("r", T0).ip("211.111.200.17");
    assert!(detects(&sel("source.ip|cidr: 211.111.200.0/24"), &v4));
    assert!(!detects(&sel("source.ip|cidr: 211.111.201.0/24"), &v4));
    assert!(detects(
        &sel("source.ip|cidr: [10.0.0.0/8, 211.111.0.0/16]"),
        &v4
    ));
    let v6 = ev("r", T0).ip("2001:db8::7");
    assert!(detects(&sel("source.ip|cidr: '2001:db8::/32'"), &v6));
    assert!(!detects(&sel("source.ip|cidr: 211.111.200.0/24"), &v6));
    // No IP, no match.
    assert!(!detects(&sel("source.ip|cidr: 0.0.0.0/0"), &ev("r", T0)));
}

#[test]
fn exists_and_null() {
    let mut e = ev("r", T0);
    assert!(detects(&sel("credential.key_id|exists: false"), &e));
    assert!(detects(&sel("credential.key_id: null"), &e));
    e.credential.key_id = Some("member-2021".into());
    assert!(detects(&sel("credential.key_id|exists: true"), &e));
    assert!(!detects(&sel("credential.key_id: null"), &e));
    // An empty subject list counts as absent.
    e.subjects.clear();
    assert!(detects(&sel("subjects|exists: false"), &e));
}

#[test]
fn numeric_comparisons() {
    let e = ev("r", T0).records(40);
    assert!(detects(&sel("records|gt: 39"), &e));
    assert!(!detects(&sel("records|gt: 40"), &e));
    assert!(detects(&sel("records|gte: 40"), &e));
    assert!(detects(&sel("records|lt: 41"), &e));
    assert!(!detects(&sel("records|lt: 40"), &e));
    assert!(detects(&sel("records|lte: 40"), &e));
    assert!(detects(&sel("status|gte: 200"), &e));
    assert!(detects(&sel("subject_count|lte: 1"), &e));
    // An absent number matches no comparison.
    let mut none = e.clone();
    none.bytes = None;
    assert!(!detects(&sel("bytes|gte: 0"), &none));
}

#[test]
fn fieldref_compares_two_fields() {
    let own = ev("r", T0);
    let other = ev("r", T0).subject("77");
    let rule = "  sel:\n    subjects|fieldref: principal.id\n  condition: sel";
    assert!(detects(rule, &own));
    assert!(!detects(rule, &other));
    let negated = "  sel:\n    principal.kind: customer\n  own:\n    subjects|fieldref: principal.id\n  condition: sel and not own";
    assert!(detects(negated, &other));
    assert!(!detects(negated, &own));
}

#[test]
fn base64_and_base64offset() {
    let mut e = ev("r", T0);
    // A token id that carries "admin" base64-encoded at some offset.
    e.credential.token_id = Some("xYWRtaW4=".into());
    assert!(detects(
        &sel("credential.token_id|base64offset|contains: admin"),
        &e
    ));
    e.credential.token_id = Some("YWRtaW4=".into());
    assert!(detects(&sel("credential.token_id|base64: admin"), &e));
    assert!(!detects(&sel("credential.token_id|base64: root"), &e));
}

#[test]
fn neq_matches_other_values_and_absent_fields() {
    let e = ev("r", T0).country("CN");
    assert!(detects(&sel("source.country|neq: KR"), &e));
    assert!(!detects(&sel("source.country|neq: CN"), &e));
}

#[test]
fn lists_match_any_element() {
    let mut e = ev("r", T0);
    e.subjects = vec!["7".into(), "1042".into(), "9".into()];
    assert!(detects(&sel("subjects: '9'"), &e));
    assert!(!detects(&sel("subjects: '8'"), &e));
    assert!(detects(&sel("record_types: PROFILE"), &e));
}

#[test]
fn keywords_search_every_string_value() {
    let e = ev("r", T0).ip("203.0.113.7");
    assert!(detects("  kw:\n    - '203.0.113.*'\n  condition: kw", &e));
    assert!(!detects("  kw:\n    - 'okhttp'\n  condition: kw", &e));
}

#[test]
fn date_parts_of_the_event_time() {
    // T0 is 00:00 UTC on a Monday.
    let e = ev("r", T0 + 13 * 3_600_000);
    assert!(detects(&sel("time|hour: 13"), &e));
    assert!(!detects(&sel("time|hour: 12"), &e));
    assert!(detects(&sel("time|hour: [9, 13, 22]"), &e));
    assert!(detects(&sel("time|day: 14"), &e));
    assert!(detects(&sel("time|month: 4"), &e));
    // rsigma-eval allows one operator per field: a date part with `gte` is
    // a load error, reported rather than silently mis-evaluated.
    let loaded = crate::harness::load(&format!(
        "title: t\nlogsource: {{product: steward}}\ndetection:\n{}\nlevel: low\n",
        sel("time|hour|gte: 9")
    ));
    assert_eq!(loaded.errors.len(), 1);
    assert_eq!(loaded.errors[0].location.line, Some(5));
    assert_eq!(loaded.errors[0].location.column, Some(14));
}

#[test]
fn conditions_and_or_not_of() {
    let e = ev("r", T0).country("CN");
    let base = "  a:\n    principal.kind: customer\n  b:\n    source.country: KR\n  c_x:\n    outcome: success\n  c_y:\n    outcome: denied\n";
    assert!(detects(&format!("{base}  condition: a and not b"), &e));
    assert!(!detects(&format!("{base}  condition: a and b"), &e));
    assert!(detects(&format!("{base}  condition: b or a"), &e));
    assert!(detects(&format!("{base}  condition: 1 of c_*"), &e));
    assert!(!detects(&format!("{base}  condition: all of c_*"), &e));
    assert!(detects(
        &format!("{base}  condition: a and (b or 1 of c_*)"),
        &e
    ));
    // Precedence: not binds tighter than and, and tighter than or.
    assert!(detects(&format!("{base}  condition: not b and a or b"), &e));
}
