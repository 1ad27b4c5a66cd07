//! `login-failure-spread`: distinct addresses of refused logins against the
//! platform's own rate at that time of day.

use steward_detect::behaviour::login_spread::{Config, LoginSpread};
use steward_detect::{Detector, EventRole};
use steward_model::event::{AccessEvent, Outcome};

use super::harness::{HOUR, T0, assert_checkpoints_continue, context, in_time_order, mix, run};

const WINDOW: i64 = 600_000;
const DAY: i64 = 24 * HOUR;

/// A refused login from `ip` at `time_ms`.
fn refused(time_ms: i64, ip: &str) -> AccessEvent {
    AccessEvent {
        time_ms,
        event_id: format!("login-{time_ms}-{ip}"),
        source: steward_model::event::Source {
            ip: ip.parse().ok(),
            country: None,
        },
        method: Some("POST".into()),
        endpoint: "/api/v1/auth/login".into(),
        outcome: Outcome::Denied,
        status: Some(401),
        ..AccessEvent::default()
    }
}

/// Home addresses failing in a window: 80 at the evening peak
/// (18:00–22:00), 20 otherwise; drawn from a pool of 5,000 so that windows
/// differ.
fn usual(window_start: i64) -> usize {
    let hour = (window_start.rem_euclid(DAY)) / HOUR;
    if (18..22).contains(&hour) { 80 } else { 20 }
}

/// `n` refused logins from distinct addresses spread over the window at
/// `start`, from the home pool (`proxy` false) or a proxy range.
fn window(start: i64, n: usize, proxy: bool, seed: u64) -> Vec<AccessEvent> {
    (0..n)
        .map(|i| {
            let t = start + (i as i64 * WINDOW) / n as i64;
            let r = mix(seed ^ (i as u64) << 24 ^ start as u64);
            let ip = if proxy {
                format!(
                    "177.{}.{}.{}",
                    40 + r % 10,
                    (r >> 8) % 250,
                    (r >> 16) % 250 + 1
                )
            } else {
                let k = r % 5_000;
                format!("211.234.{}.{}", k / 250, k % 250 + 1)
            };
            refused(t, &ip)
        })
        .collect()
}

/// `days` days of ordinary refused logins from `T0`.
fn ordinary(days: i64) -> Vec<AccessEvent> {
    let mut events = Vec::new();
    let mut start = T0;
    while start < T0 + days * DAY {
        events.extend(window(start, usual(start), false, 7));
        start += WINDOW;
    }
    events
}

/// Four ordinary days; on the fourth, from 03:00, 300 proxy addresses
/// fail in each window for an hour. The attack's start and the events in
/// time order.
fn night_attack() -> (i64, Vec<AccessEvent>) {
    let mut events = ordinary(4);
    let attack = T0 + 3 * DAY + 3 * HOUR;
    for w in 0..6 {
        events.extend(window(attack + w * WINDOW, 300, true, 11));
    }
    (attack, in_time_order(events))
}

fn detector(config: Config) -> LoginSpread {
    LoginSpread::new(&context(1), config).unwrap()
}

#[test]
fn the_evening_peak_is_ordinary_and_stuffing_at_night_is_not() {
    // Four days: the peak of 80 addresses clears an absolute bar of 50
    // every evening, yet it is the platform's usual rhythm. On the fourth
    // day, at 03:00, 300 proxy addresses fail in each window for an hour.
    let (attack, events) = night_attack();
    let mut det = detector(Config::default());
    let out = run(&mut det, &events, 0);
    assert_eq!(out.len(), 1, "{out:#?}");
    let d = &out[0];
    assert_eq!(d.detector, "login-failure-spread");
    assert_eq!(d.window_start_ms, attack);
    assert_eq!(d.key, "platform");
    assert_eq!(d.facts["basis"], "time_of_day");
    // Three days of the same window and one either side.
    assert_eq!(d.facts["baseline_windows"], 9);
    // Reported at the refused login that took the count over the bar,
    // known from earlier days while the window was still open.
    let distinct = d.facts["distinct_addresses"].as_u64().unwrap() as f64;
    let bar = d.facts["threshold"].as_f64().unwrap();
    assert!(
        distinct > bar && distinct <= bar + 1.0,
        "{distinct} over {bar}"
    );
    assert!(d.last_event_ms < attack + 2 * 60_000, "{}", d.last_event_ms);
    assert!(d.title.starts_with("Refused logins came from "));
    assert!(d.title.contains("usual rate at this time of day"));
    assert!(d.actors.iter().all(|a| a.starts_with("ip:")) && !d.actors.is_empty());
    assert_eq!(d.sample_event_ids.len(), 5);
    let stats = det.stats();
    assert_eq!(stats.detections, 1);
    assert_eq!(stats.undecided, 0);
}

#[test]
fn the_same_surge_at_the_peak_is_judged_against_the_peak() {
    // 160 addresses at 03:00 are eight times the night's usual 20: flagged.
    // At 20:00 they are twice the peak of 80: flagged too, by less.
    // 110 at 20:00 (1.4× the peak) is not.
    let flagged_at = |at: i64, n: usize| {
        let mut events = ordinary(4);
        events.retain(|e| !(at..at + WINDOW).contains(&e.time_ms));
        events.extend(window(at, n, false, 3));
        let mut det = detector(Config::default());
        let out = run(&mut det, &in_time_order(events), 0);
        out.iter().any(|d| d.window_start_ms == at)
    };
    assert!(flagged_at(T0 + 3 * DAY + 3 * HOUR, 160));
    assert!(flagged_at(T0 + 3 * DAY + 20 * HOUR, 160));
    assert!(!flagged_at(T0 + 3 * DAY + 20 * HOUR, 110));
}

#[test]
fn a_second_day_of_stuffing_is_a_new_episode_and_did_not_raise_its_bar() {
    let mut events = ordinary(5);
    for day in [3, 4] {
        let at = T0 + day * DAY + 3 * HOUR;
        for w in 0..3 {
            events.extend(window(at + w * WINDOW, 300, true, day as u64));
        }
    }
    let mut det = detector(Config::default());
    let out = run(&mut det, &in_time_order(events), 0);
    let starts: Vec<i64> = out.iter().map(|d| d.window_start_ms).collect();
    assert_eq!(
        starts,
        [T0 + 3 * DAY + 3 * HOUR, T0 + 4 * DAY + 3 * HOUR],
        "one detection per episode; the first day's surge entered the history at its bar"
    );
    let bar = |d: &steward_detect::Detection| d.facts["threshold"].as_f64().unwrap();
    assert!(bar(&out[1]) < 100.0, "bar {}", bar(&out[1]));
}

#[test]
fn an_early_report_is_the_one_the_window_would_get_when_it_closes() {
    // The same attack, with events fed and the watermark held back by
    // varying lateness: the detection's id parts, window and episode are
    // the same, and no window reports twice.
    let (_, events) = night_attack();
    let keys = |lateness: i64| {
        let mut det = detector(Config::default());
        let out = run(&mut det, &events, lateness);
        out.iter()
            .map(|d| {
                (
                    d.key.clone(),
                    d.window_start_ms,
                    d.facts["distinct_addresses"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let straight = keys(0);
    assert_eq!(straight.len(), 1);
    assert_eq!(keys(60_000), straight);
    assert_eq!(keys(WINDOW * 3), straight);
}

#[test]
fn on_the_first_day_the_preceding_windows_stand_in() {
    let mut events = ordinary(1);
    let at = T0 + 2 * HOUR;
    events.extend(window(at, 200, true, 5));
    let mut det = detector(Config::default());
    let out = run(&mut det, &in_time_order(events), 0);
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!(out[0].facts["basis"], "preceding_windows");
    assert!(out[0].title.contains("preceding windows"));
}

#[test]
fn without_history_a_surge_is_undecided_not_flagged() {
    let mut det = detector(Config::default());
    let out = run(&mut det, &window(T0, 200, true, 5), 0);
    assert!(out.is_empty());
    assert_eq!(det.stats().undecided, 1);
}

#[test]
fn only_refused_logins_with_an_address_count() {
    let mut base = ordinary(1);
    let at = T0 + 3 * HOUR;
    let mut noise = window(at, 300, true, 9);
    for (i, e) in noise.iter_mut().enumerate() {
        match i % 3 {
            0 => e.outcome = Outcome::Success,
            1 => e.endpoint = "/api/v1/members/{id}/profile".into(),
            _ => e.source.ip = None,
        }
    }
    base.extend(noise);
    let events = in_time_order(base);
    let mut det = detector(Config::default());
    let out = run(&mut det, &events, 0);
    assert!(out.is_empty(), "{out:#?}");
    assert_eq!(det.stats().undecided, 100, "refusals without an address");
    // The issuance log's failed logins are not the gateway's refusals.
    let mut det = detector(Config::default());
    let mut out = Vec::new();
    for e in &window(at, 300, true, 9) {
        det.observe(e, EventRole::Issuance, &mut out);
    }
    det.finish(&mut out);
    assert!(out.is_empty() && det.stats().events == 300);
}

#[test]
fn late_events_are_left_out() {
    let mut det = detector(Config::default());
    let mut out = Vec::new();
    det.observe(
        &refused(T0 + HOUR, "211.234.0.1"),
        EventRole::Access,
        &mut out,
    );
    det.advance(T0 + HOUR, &mut out);
    det.observe(&refused(T0, "211.234.0.2"), EventRole::Access, &mut out);
    assert_eq!(det.stats().late_events, 1);
}

#[test]
fn checkpoints_continue() {
    let mut events = ordinary(2);
    let at = T0 + DAY + 3 * HOUR;
    for w in 0..3 {
        events.extend(window(at + w * WINDOW, 300, true, 4));
    }
    let events = in_time_order(events);
    let n = events.len();
    // Cut before the attack, inside its first window before and right
    // around the refused login that reports it (the open window's bar and
    // its reported flag are then in the saved state), and after.
    let mut det = detector(Config::default());
    let straight = run(&mut det, &events, 0);
    let first = events.iter().position(|e| e.time_ms >= at).unwrap();
    let crossing = events
        .iter()
        .position(|e| e.time_ms == straight[0].last_event_ms)
        .unwrap();
    assert!(crossing > first + 40, "reported inside the window");
    let cuts = [
        1,
        n / 3,
        first,
        first + 20,
        crossing,
        crossing + 1,
        crossing + 30,
        n - 1,
    ];
    let out = assert_checkpoints_continue(|| Box::new(detector(Config::default())), &events, &cuts);
    assert_eq!(out, straight);
    assert_eq!(out.len(), 1);
}

#[test]
fn settings_out_of_range_are_refused() {
    let bad = |config: Config| {
        LoginSpread::new(&context(1), config)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert!(
        bad(Config {
            window_ms: 700_000,
            ..Config::default()
        })
        .contains("divide a day")
    );
    assert!(
        bad(Config {
            endpoints: vec![],
            ..Config::default()
        })
        .contains("endpoints")
    );
    assert!(
        bad(Config {
            factor: f64::NAN,
            ..Config::default()
        })
        .contains("factor")
    );
    let config: Config =
        serde_norway::from_str("min_addresses: 20\nendpoints: [/signin, /login]\n").unwrap();
    assert_eq!(config.min_addresses, 20);
    assert!(serde_norway::from_str::<Config>("min_adresses: 20\n").is_err());
}
