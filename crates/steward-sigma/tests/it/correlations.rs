//! Correlation semantics: window edges, missing group-by fields, event time
//! with out-of-order arrival, each correlation type.

use steward_model::event::AccessEvent;
use steward_sigma::{Caps, CorrelationKind, EngineConfig};

use crate::harness::{MIN, READS, SEC, T0, With, ev, rules, run, run_with, times};

fn corr(kind: &str, body: &str) -> String {
    format!(
        "{READS}---\ntitle: C\nid: c\ncorrelation:\n  type: {kind}\n  rules: [reads]\n{body}level: high\n"
    )
}

fn count_rule(threshold: u32) -> String {
    corr(
        "event_count",
        &format!(
            "  group-by: [principal.id]\n  timespan: 1h\n  condition:\n    gte: {threshold}\n"
        ),
    )
}

#[test]
fn event_count_window_is_inclusive_at_both_ends() {
    let r = rules(&count_rule(3));
    // Exactly one hour apart: [t - 1h, t] holds all three.
    let inside = [ev("a", T0), ev("b", T0 + 30 * MIN), ev("c", T0 + 60 * MIN)];
    assert_eq!(times(&run(&r, &inside), "c"), vec![T0 + 60 * MIN]);
    // One millisecond more and the first has left.
    let outside = [
        ev("a", T0),
        ev("b", T0 + 30 * MIN),
        ev("c", T0 + 60 * MIN + 1),
    ];
    assert!(times(&run(&r, &outside), "c").is_empty());
}

#[test]
fn event_count_reports_once_per_episode() {
    let r = rules(&count_rule(2));
    let mut events: Vec<AccessEvent> = (0..10)
        .map(|i| ev(&format!("e{i}"), T0 + i * MIN))
        .collect();
    // A quiet two hours, then the pattern again.
    events.extend((0..3).map(|i| ev(&format!("f{i}"), T0 + 180 * MIN + i * MIN)));
    let m = run(&r, &events);
    assert_eq!(times(&m, "c"), vec![T0 + MIN, T0 + 181 * MIN]);
    let first = m.iter().find(|m| &*m.rule_id == "c").unwrap();
    assert_eq!(first.group_value("principal.id"), Some("1042"));
    assert_eq!(first.event_ids, ["e0", "e1"]);
    let detail = first.correlation.as_ref().unwrap();
    assert_eq!(detail.kind, CorrelationKind::EventCount);
    assert!((detail.value - 2.0).abs() < 1e-9);
    assert_eq!(detail.window_start_ms, T0 + MIN - 60 * MIN);
    assert!(!detail.approximate);
}

#[test]
fn a_value_hovering_at_the_threshold_is_one_episode() {
    let r = rules(&corr(
        "event_count",
        "  group-by: [principal.id]\n  timespan: 10m\n  condition:\n    gte: 3\n",
    ));
    // Holds at 2, 9, 12, not at 20, again at 21 (within ten minutes of the
    // last time it held: same episode), then a new episode at 42.
    let events: Vec<AccessEvent> = [0, 1, 2, 9, 12, 20, 21, 40, 41, 42]
        .iter()
        .map(|m| ev(&format!("e{m}"), T0 + m * MIN))
        .collect();
    assert_eq!(
        times(&run(&r, &events), "c"),
        vec![T0 + 2 * MIN, T0 + 42 * MIN]
    );
}

#[test]
fn base_rules_are_not_reported_unless_generate() {
    let r = rules(&count_rule(2));
    let m = run(&r, &[ev("a", T0), ev("b", T0 + SEC)]);
    assert!(m.iter().all(|m| m.is_correlation()));
    let generating = count_rule(2).replace("level: high", "generate: true\nlevel: high");
    let m = run(&rules(&generating), &[ev("a", T0), ev("b", T0 + SEC)]);
    assert_eq!(m.iter().filter(|m| !m.is_correlation()).count(), 2);
}

#[test]
fn missing_group_by_fields_are_left_out_and_counted() {
    let r = rules(&corr(
        "event_count",
        "  group-by: [source.ip]\n  timespan: 1h\n  condition:\n    gte: 2\n",
    ));
    let mut engine = steward_sigma::SigmaEngine::new(r.clone(), EngineConfig::default());
    let mut out = Vec::new();
    for (i, e) in [
        ev("a", T0),
        ev("b", T0 + SEC),
        ev("c", T0 + 2 * SEC).ip("198.51.100.4"),
    ]
    .iter()
    .enumerate()
    {
        let _ = i;
        engine.process(e, &mut out);
    }
    engine.finish(&mut out);
    assert!(out.is_empty(), "events without an IP do not form a group");
    assert_eq!(engine.counters().missing_group_key, 2);
    // Two with the IP do.
    let m = run(
        &r,
        &[
            ev("a", T0).ip("198.51.100.4"),
            ev("b", T0 + SEC).ip("198.51.100.4"),
        ],
    );
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].group_value("source.ip"), Some("198.51.100.4"));
}

#[test]
fn no_group_by_is_one_global_group() {
    let r = rules(&corr(
        "event_count",
        "  timespan: 10m\n  condition:\n    gte: 3\n",
    ));
    let events: Vec<AccessEvent> = ["1", "2", "3"]
        .iter()
        .enumerate()
        .map(|(i, p)| ev(&format!("e{i}"), T0 + i as i64 * SEC).principal(p))
        .collect();
    let m = run(&r, &events);
    assert_eq!(m.len(), 1);
    assert!(m[0].group.is_empty());
}

#[test]
fn condition_ranges_need_every_bound() {
    let r = rules(&corr(
        "event_count",
        "  group-by: [principal.id]\n  timespan: 1h\n  condition:\n    gte: 2\n    lte: 3\n",
    ));
    let events: Vec<AccessEvent> = (0..5).map(|i| ev(&format!("e{i}"), T0 + i * SEC)).collect();
    // Holds at 2 (reported), still at 3, not at 4: one episode.
    assert_eq!(times(&run(&r, &events), "c"), vec![T0 + SEC]);
}

#[test]
fn value_count_counts_distinct_values_in_the_sliding_window() {
    let r = rules(&corr(
        "value_count",
        "  group-by: [source.ip]\n  timespan: 10m\n  condition:\n    gte: 3\n    field: subjects\n",
    ));
    let at = |id: &str, t: i64, s: &str| ev(id, t).ip("203.0.113.9").subject(s);
    // 1, 2, 2, 2: only two distinct.
    let few = [
        at("a", T0, "1"),
        at("b", T0 + MIN, "2"),
        at("c", T0 + 2 * MIN, "2"),
        at("d", T0 + 3 * MIN, "2"),
    ];
    assert!(run(&r, &few).is_empty());
    // 1 leaves the window before 3 arrives.
    let slid = [
        at("a", T0, "1"),
        at("b", T0 + MIN, "2"),
        at("c", T0 + 11 * MIN, "3"),
    ];
    assert!(run(&r, &slid).is_empty());
    // 1 seen again keeps it in.
    let kept = [
        at("a", T0, "1"),
        at("b", T0 + MIN, "2"),
        at("a2", T0 + 9 * MIN, "1"),
        at("c", T0 + 11 * MIN, "3"),
    ];
    let m = run(&r, &kept);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].time_ms, T0 + 11 * MIN);
    assert!((m[0].correlation.as_ref().unwrap().value - 3.0).abs() < 1e-9);
}

#[test]
fn value_count_counts_each_element_of_a_list() {
    let r = rules(&corr(
        "value_count",
        "  group-by: [principal.id]\n  timespan: 10m\n  condition:\n    gte: 4\n    field: subjects\n",
    ));
    let mut e = ev("bulk", T0);
    e.subjects = vec!["1".into(), "2".into(), "3".into(), "4".into()];
    assert_eq!(run(&r, &[e]).len(), 1);
}

#[test]
fn value_count_over_a_field_tuple() {
    let r = rules(&corr(
        "value_count",
        "  group-by: [principal.id]\n  timespan: 10m\n  condition:\n    gte: 3\n    field: [source.ip, source.country]\n",
    ));
    let e = |id: &str, t, ip: &str, c: &str| ev(id, t).ip(ip).country(c);
    let two = [
        e("a", T0, "192.0.2.1", "KR"),
        e("b", T0 + 1, "192.0.2.1", "KR"),
        e("c", T0 + 2, "192.0.2.2", "KR"),
    ];
    assert!(run(&r, &two).is_empty());
    let three = [
        e("a", T0, "192.0.2.1", "KR"),
        e("b", T0 + 1, "192.0.2.1", "JP"),
        e("c", T0 + 2, "192.0.2.2", "KR"),
    ];
    assert_eq!(run(&r, &three).len(), 1);
}

#[test]
fn value_count_turns_approximate_past_the_cap() {
    let r = rules(&corr(
        "value_count",
        "  group-by: [principal.id]\n  timespan: 1h\n  condition:\n    gte: 4000\n    field: subjects\n",
    ));
    let config = EngineConfig {
        caps: Caps {
            distinct_exact: 500,
            ..Caps::default()
        },
        ..EngineConfig::default()
    };
    let events: Vec<AccessEvent> = (0..6_000)
        .map(|i| ev(&format!("e{i}"), T0 + i * 100).subject(&i.to_string()))
        .collect();
    let m = run_with(&r, config, &events);
    assert_eq!(m.len(), 1);
    let d = m[0].correlation.as_ref().unwrap();
    assert!(d.approximate);
    // Reported when the estimate first reached 4,000: within 5 % of the
    // true count at that moment.
    let true_count = ((m[0].time_ms - T0) / 100 + 1) as f64;
    assert!(
        (true_count - 4_000.0).abs() / 4_000.0 < 0.05,
        "{true_count}"
    );
}

#[test]
fn value_sum_avg_and_percentile() {
    let recs = |kind: &str, cond: &str| {
        rules(&corr(
            kind,
            &format!("  group-by: [principal.id]\n  timespan: 1h\n  condition:\n{cond}"),
        ))
    };
    let events: Vec<AccessEvent> = [10, 20, 30, 100]
        .iter()
        .enumerate()
        .map(|(i, n)| ev(&format!("e{i}"), T0 + i as i64 * MIN).records(*n))
        .collect();
    let sum = run(
        &recs("value_sum", "    gte: 60\n    field: records\n"),
        &events,
    );
    assert_eq!(times(&sum, "c"), vec![T0 + 2 * MIN]);
    let avg = run(
        &recs("value_avg", "    gt: 30\n    field: records\n"),
        &events,
    );
    assert_eq!(times(&avg, "c"), vec![T0 + 3 * MIN]);
    assert!((avg[0].correlation.as_ref().unwrap().value - 40.0).abs() < 1e-9);
    // p90 of [10, 20, 30, 100] = 30 + 0.7 × 70 = 79.
    let p90 = run(
        &recs(
            "value_percentile",
            "    percentile: 90\n    gte: 79\n    field: records\n",
        ),
        &events,
    );
    assert_eq!(times(&p90, "c"), vec![T0 + 3 * MIN]);
    assert!((p90[0].correlation.as_ref().unwrap().value - 79.0).abs() < 1e-9);
    let median = run(
        &recs("value_median", "    gte: 20\n    field: records\n"),
        &events,
    );
    assert_eq!(times(&median, "c"), vec![T0 + 2 * MIN]);
}

#[test]
fn value_types_skip_events_without_a_number() {
    let r = rules(&corr(
        "value_sum",
        "  group-by: [principal.id]\n  timespan: 1h\n  condition:\n    gte: 2\n    field: bytes\n",
    ));
    let mut a = ev("a", T0);
    a.bytes = None;
    let mut engine = steward_sigma::SigmaEngine::new(r, EngineConfig::default());
    let mut out = Vec::new();
    engine.process(&a, &mut out);
    assert_eq!(engine.counters().missing_value, 1);
    assert!(out.is_empty());
}

const TWO: &str = "title: A\nname: a\nlogsource: {product: steward}\ndetection:\n  s:\n    outcome: denied\n  condition: s\n---\n\
title: B\nname: b\nlogsource: {product: steward}\ndetection:\n  s:\n    outcome: success\n  condition: s\n---\n";

fn temporal(kind: &str) -> std::sync::Arc<steward_sigma::RuleSet> {
    rules(&format!(
        "{TWO}title: T\nid: t\ncorrelation:\n  type: {kind}\n  rules: [a, b]\n  group-by: [source.ip]\n  timespan: 5m\nlevel: high\n"
    ))
}

fn denied(id: &str, t: i64) -> AccessEvent {
    let mut e = ev(id, t).ip("192.0.2.50");
    e.outcome = steward_model::event::Outcome::Denied;
    e
}

#[test]
fn temporal_needs_every_rule_in_the_window_in_any_order() {
    let r = temporal("temporal");
    let ok = ev("s", T0).ip("192.0.2.50");
    assert_eq!(run(&r, &[ok.clone(), denied("d", T0 + MIN)]).len(), 1);
    assert_eq!(
        run(
            &r,
            &[denied("d", T0), {
                let mut o = ok.clone();
                o.time_ms = T0 + 5 * MIN;
                o
            }]
        )
        .len(),
        1
    );
    // Over five minutes apart.
    assert!(
        run(
            &r,
            &[denied("d", T0), {
                let mut o = ok.clone();
                o.time_ms = T0 + 5 * MIN + 1;
                o
            }]
        )
        .is_empty()
    );
    // Only one of the two.
    assert!(run(&r, &[denied("d", T0), denied("d2", T0 + 1)]).is_empty());
    // Different groups do not combine.
    assert!(run(&r, &[denied("d", T0), ev("s", T0 + 1).ip("192.0.2.51")]).is_empty());
}

#[test]
fn temporal_ordered_needs_strictly_increasing_times() {
    let r = temporal("temporal_ordered");
    let ok = |t| ev("s", t).ip("192.0.2.50");
    assert_eq!(
        times(&run(&r, &[denied("d", T0), ok(T0 + MIN)]), "t"),
        vec![T0 + MIN]
    );
    assert!(run(&r, &[ok(T0), denied("d", T0 + MIN)]).is_empty());
    // Same millisecond is not an order.
    assert!(run(&r, &[denied("d", T0), ok(T0)]).is_empty());
    assert!(run(&r, &[denied("d", T0), ok(T0 + 5 * MIN + 1)]).is_empty());
}

#[test]
fn temporal_boolean_condition() {
    let r = rules(&format!(
        "{TWO}title: T\nid: t\ncorrelation:\n  type: temporal\n  rules: [a, b]\n  group-by: [source.ip]\n  timespan: 5m\n  condition: a and not b\nlevel: high\n"
    ));
    assert_eq!(run(&r, &[denied("d", T0)]).len(), 1);
    assert!(run(&r, &[ev("s", T0).ip("192.0.2.50"), denied("d", T0 + 1)]).is_empty());
}

#[test]
fn chained_correlations_with_aliases() {
    // Burst of denials per IP, then a success from the same client, where
    // the success rule names the IP through an alias.
    let r = rules(&format!(
        "{TWO}title: Burst\nname: burst\ncorrelation:\n  type: event_count\n  rules: [a]\n  group-by: [source.ip]\n  timespan: 10m\n  condition: {{gte: 3}}\n---\n\
title: Burst then success\nid: chain\ncorrelation:\n  type: temporal_ordered\n  rules: [burst, b]\n  group-by: [client]\n  aliases:\n    client:\n      burst: source.ip\n      b: source.ip\n  timespan: 30m\nlevel: high\n"
    ));
    let ok = ev("s", T0 + 10 * MIN).ip("192.0.2.50");
    let events = [
        denied("d1", T0),
        denied("d2", T0 + MIN),
        denied("d3", T0 + 2 * MIN),
        ok.clone(),
    ];
    let m = run(&r, &events);
    assert_eq!(times(&m, "chain"), vec![T0 + 10 * MIN]);
    let chain = m.iter().find(|m| &*m.rule_id == "chain").unwrap();
    assert_eq!(chain.group_value("client"), Some("192.0.2.50"));
    // The inner correlation is only an input: not reported.
    assert!(m.iter().all(|m| &*m.rule_id != "burst"));
    // Two denials are not a burst.
    assert!(
        times(
            &run(&r, &[denied("d1", T0), denied("d2", T0 + MIN), ok]),
            "chain"
        )
        .is_empty()
    );
}

#[test]
fn out_of_order_events_within_the_lateness_give_the_sorted_result() {
    let r = rules(&count_rule(3));
    let sorted: Vec<AccessEvent> = (0..40)
        .map(|i| ev(&format!("e{i:02}"), T0 + i * 10 * MIN).principal(&format!("p{}", i % 3)))
        .collect();
    let config = EngineConfig {
        allowed_lateness_ms: 30 * MIN,
        ..EngineConfig::default()
    };
    let expected = run_with(&r, config, &sorted);
    assert!(!expected.is_empty());
    // Swap neighbours: each arrives at most 10 minutes late.
    let mut shuffled = sorted.clone();
    for pair in shuffled.chunks_mut(2) {
        pair.reverse();
    }
    let got = run_with(&r, config, &shuffled);
    assert_eq!(got, expected);
    // Without lateness the late half is dropped from correlations.
    let mut engine = steward_sigma::SigmaEngine::new(r, EngineConfig::default());
    let mut out = Vec::new();
    for e in &shuffled {
        engine.process(e, &mut out);
    }
    engine.finish(&mut out);
    assert_eq!(engine.counters().late_events, 20);
}

#[test]
fn matches_use_event_time_not_arrival() {
    let r = rules(&count_rule(2));
    let config = EngineConfig {
        allowed_lateness_ms: 2 * 60 * MIN,
        ..EngineConfig::default()
    };
    // Arrive in reverse; two hours apart in event time: never together.
    let m = run_with(&r, config, &[ev("b", T0 + 120 * MIN), ev("a", T0)]);
    assert!(m.is_empty());
    let m = run_with(&r, config, &[ev("b", T0 + 59 * MIN), ev("a", T0)]);
    assert_eq!(times(&m, "c"), vec![T0 + 59 * MIN]);
}

#[test]
fn groups_past_their_window_leave_the_state_and_come_back_empty() {
    use steward_sigma::SigmaEngine;
    let r = rules(&count_rule(3));
    let mut engine = SigmaEngine::new(std::sync::Arc::clone(&r), EngineConfig::default());
    let mut out = Vec::new();
    let as_principal = |id: &str, who: &str, t: i64| {
        let mut e = ev(id, t);
        e.principal.id = who.into();
        e
    };
    engine.process(&as_principal("a1", "alice", T0), &mut out);
    engine.process(&as_principal("a2", "alice", T0 + MIN), &mut out);
    engine.process(&as_principal("b1", "bob", T0 + 50 * MIN), &mut out);
    assert_eq!(engine.state().groups(), 2);
    // Two hours on, the hourly sweep drops both (bob's newest hit left the
    // window too), keeping only carol's new group.
    engine.process(&as_principal("c1", "carol", T0 + 121 * MIN), &mut out);
    assert_eq!(engine.state().groups(), 1);
    // Alice is back: her old hits do not count.
    engine.process(&as_principal("a3", "alice", T0 + 122 * MIN), &mut out);
    engine.process(&as_principal("a4", "alice", T0 + 123 * MIN), &mut out);
    assert!(out.iter().all(|m| &*m.rule_id != "c"), "{out:?}");
    engine.process(&as_principal("a5", "alice", T0 + 124 * MIN), &mut out);
    let fired: Vec<_> = out.iter().filter(|m| &*m.rule_id == "c").collect();
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0].event_ids, ["a3", "a4", "a5"]);
}

#[test]
fn more_samples_than_a_group_holds_inline() {
    let r = rules(&count_rule(8));
    let config = EngineConfig {
        caps: Caps {
            samples: 7,
            ..Caps::default()
        },
        ..EngineConfig::default()
    };
    let long = "r-".to_owned() + &"x".repeat(40);
    let events: Vec<AccessEvent> = (0..8)
        .map(|i| ev(&format!("{long}{i}"), T0 + i * SEC))
        .collect();
    let m = run_with(&r, config, &events);
    let fired = m.iter().find(|m| &*m.rule_id == "c").unwrap();
    let want: Vec<String> = (1..8).map(|i| format!("{long}{i}")).collect();
    assert_eq!(fired.event_ids, want);
}
