//! Many sources merged in event-time order.

use std::fmt::Write as _;

use steward_logs::{LogSource, Mapping, MergeOptions, OpenOptions, merge_sources};

fn mapping() -> Mapping {
    Mapping::from_yaml(
        "t.yaml",
        "name: t\nfields:\n  time_ms: {path: t, time: epoch_ms}\n  event_id: id\n",
    )
    .unwrap()
}

/// A source whose records have the given times and ids `<name>-<k>`.
fn source(name: &str, times: &[i64]) -> LogSource {
    let mut text = String::new();
    for (k, t) in times.iter().enumerate() {
        writeln!(text, r#"{{"t":{t},"id":"{name}-{k}"}}"#).unwrap();
    }
    LogSource::from_reader(
        name,
        std::io::Cursor::new(text.into_bytes()),
        &mapping(),
        OpenOptions::default(),
    )
    .unwrap()
}

fn ids_and_times(options: MergeOptions, sources: Vec<LogSource>) -> (Vec<(i64, String)>, u64) {
    let mut merged = merge_sources(sources, options);
    let out = merged
        .by_ref()
        .map(|r| {
            let e = r.unwrap();
            (e.time_ms, e.event_id)
        })
        .collect();
    (out, merged.late())
}

/// A deterministic sequence of roughly increasing times.
fn times(seed: u64, n: usize, jitter: i64) -> Vec<i64> {
    let mut x = seed;
    let mut t = 1_000i64;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            t += (x % 50) as i64;
            let j = if jitter > 0 {
                ((x >> 8) % (jitter as u64 + 1)) as i64
            } else {
                0
            };
            t - j
        })
        .collect()
}

#[test]
fn sorted_sources_merge_into_exact_time_order() {
    let a = times(1, 300, 0);
    let b = times(2, 200, 0);
    let c = times(3, 250, 0);
    let (out, late) = ids_and_times(
        MergeOptions {
            slack_ms: 0,
            ..MergeOptions::default()
        },
        vec![source("a", &a), source("b", &b), source("c", &c)],
    );
    assert_eq!(late, 0);
    assert_eq!(out.len(), 750);
    let mut all: Vec<i64> = a.iter().chain(&b).chain(&c).copied().collect();
    all.sort_unstable();
    assert_eq!(out.iter().map(|(t, _)| *t).collect::<Vec<_>>(), all);
}

#[test]
fn disorder_within_the_slack_is_repaired() {
    let a = times(4, 400, 30);
    let b = times(5, 400, 30);
    assert!(
        a.windows(2).any(|w| w[1] < w[0]),
        "the input is out of order"
    );
    let (out, late) = ids_and_times(
        MergeOptions {
            slack_ms: 30,
            ..MergeOptions::default()
        },
        vec![source("a", &a), source("b", &b)],
    );
    assert_eq!(late, 0);
    assert!(out.windows(2).all(|w| w[0].0 <= w[1].0));
    assert_eq!(out.len(), 800);
    // Beyond the slack, events are released late and counted.
    let (out, late) = ids_and_times(
        MergeOptions {
            slack_ms: 0,
            ..MergeOptions::default()
        },
        vec![source("a", &a), source("b", &b)],
    );
    assert!(late > 0);
    assert_eq!(out.len(), 800);
}

#[test]
fn ties_go_to_the_source_listed_first_then_input_order() {
    let (out, _) = ids_and_times(
        MergeOptions::default(),
        vec![source("x", &[5, 5, 7]), source("y", &[5, 6])],
    );
    let ids: Vec<&str> = out.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(ids, ["x-0", "x-1", "y-0", "y-1", "x-2"]);
}

#[test]
fn the_buffer_cap_bounds_memory() {
    let a = times(6, 500, 0);
    let mut merged = merge_sources(
        vec![source("a", &a), source("b", &a)],
        MergeOptions {
            slack_ms: 1_000_000,
            max_buffered: 16,
        },
    );
    let mut n = 0;
    while let Some(r) = merged.next() {
        r.unwrap();
        assert!(merged.held() <= 16);
        n += 1;
    }
    assert_eq!(n, 1000);
}

#[test]
fn record_errors_pass_through_and_reports_stay_per_source() {
    let good = source("good", &[1, 2, 3]);
    let bad = LogSource::from_reader(
        "bad",
        std::io::Cursor::new(b"{\"t\":2,\"id\":\"b\"}\n{oops\n{\"t\":4,\"id\":\"c\"}\n".to_vec()),
        &mapping(),
        OpenOptions::default(),
    )
    .unwrap();
    let mut merged = merge_sources(vec![good, bad], MergeOptions::default());
    let items: Vec<_> = merged.by_ref().collect();
    assert_eq!(items.iter().filter(|r| r.is_ok()).count(), 5);
    let errs: Vec<String> = items
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(ToString::to_string)
        .collect();
    assert_eq!(errs, ["bad:2: not parsed at byte 1: expected a field name"]);
    let reports = merged.reports();
    assert_eq!(reports[0].counters.events, 3);
    assert_eq!(reports[1].counters.parse_errors, 1);
}

fn text_of(name: &str, times: &[i64]) -> String {
    let mut text = String::new();
    for (k, t) in times.iter().enumerate() {
        writeln!(text, r#"{{"t":{t},"id":"{name}-{k}"}}"#).unwrap();
    }
    text
}

/// Sources `s0`, `s1`, … reading `texts`, each from its byte offset in `from`.
fn open_at(texts: &[String], from: &[usize]) -> Vec<LogSource> {
    texts
        .iter()
        .zip(from)
        .enumerate()
        .map(|(k, (t, &o))| {
            LogSource::from_reader(
                &format!("s{k}"),
                std::io::Cursor::new(t.as_bytes()[o..].to_vec()),
                &mapping(),
                OpenOptions::default(),
            )
            .unwrap()
        })
        .collect()
}

#[test]
fn a_merge_stopped_anywhere_resumes_from_its_state_and_positions() {
    let options = MergeOptions {
        slack_ms: 50,
        max_buffered: 1 << 10,
    };
    let texts = [
        text_of("a", &times(3, 300, 40)),
        text_of("b", &times(4, 200, 40)),
    ];
    let open = |texts: &[String], from: &[usize]| open_at(texts, from);
    let whole: Vec<String> = merge_sources(open(&texts, &[0, 0]), options)
        .map(|r| r.unwrap().event_id)
        .collect();
    assert_eq!(whole.len(), 500);
    for stop in [0, 1, 7, 123, 250, 499] {
        let mut first = merge_sources(open(&texts, &[0, 0]), options);
        let mut got: Vec<String> = first
            .by_ref()
            .take(stop)
            .map(|r| r.unwrap().event_id)
            .collect();
        let state = first.state();
        let offsets: Vec<usize> = first
            .sources()
            .map(|s| usize::try_from(s.position().offset).unwrap())
            .collect();
        let resumed = steward_logs::resume_sources(open(&texts, &offsets), options, state);
        got.extend(resumed.map(|r| r.unwrap().event_id));
        assert_eq!(got, whole, "stopped after {stop}");
    }
}

#[test]
fn lent_events_come_in_the_order_read_into_gives_and_resume_the_same() {
    let options = MergeOptions {
        slack_ms: 50,
        max_buffered: 8,
    };
    let texts = [
        text_of("a", &times(5, 300, 40)),
        format!("{{oops\n{}", text_of("b", &times(6, 200, 40))),
    ];
    let open = |from: &[usize]| open_at(&texts, from);
    // What read_into gives: (id, source) per event, the error's text.
    let mut copied = merge_sources(open(&[0, 0]), options);
    let mut ev = steward_model::event::AccessEvent::default();
    let mut want = Vec::new();
    while let Some(r) = copied.read_into(&mut ev) {
        want.push(
            r.map(|()| (ev.event_id.clone(), copied.last_source()))
                .map_err(|e| e.to_string()),
        );
    }
    assert_eq!(want.iter().filter(|r| r.is_ok()).count(), 500);
    assert_eq!(want.iter().filter(|r| r.is_err()).count(), 1);
    // Lent: the same, the cap still bounding what is held.
    let mut lent = merge_sources(open(&[0, 0]), options);
    let mut got = Vec::new();
    while let Some(r) = lent.next_event() {
        got.push(
            r.map(|(e, s)| (e.event_id.clone(), s))
                .map_err(|e| e.to_string()),
        );
        assert!(lent.held() <= 8);
    }
    assert_eq!(got, want);
    assert_eq!(lent.late(), copied.late());
    // A checkpoint taken while an event is lent out holds the events not
    // yet handed out, and no other: resumed, the rest follows exactly.
    let ids: Vec<String> = want
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|(id, _)| id.clone())
        .collect();
    for stop in [1, 9, 260, 500] {
        let mut first = merge_sources(open(&[0, 0]), options);
        let mut seen = Vec::new();
        while seen.len() < stop {
            if let Ok((e, _)) = first.next_event().unwrap() {
                seen.push(e.event_id.clone());
            }
        }
        let state = first.state();
        let offsets: Vec<usize> = first
            .sources()
            .map(|s| usize::try_from(s.position().offset).unwrap())
            .collect();
        let mut resumed = steward_logs::resume_sources(open(&offsets), options, state);
        while let Some(r) = resumed.next_event() {
            if let Ok((e, _)) = r {
                seen.push(e.event_id.clone());
            }
        }
        assert_eq!(seen, ids, "stopped after {stop}");
    }
}
