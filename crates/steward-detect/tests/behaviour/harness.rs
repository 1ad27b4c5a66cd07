//! Events, a driver that feeds detectors with a watermark, and a
//! checkpoint check.

use steward_detect::context::Context;
use steward_detect::{Detection, Detector, EventRole};
use steward_model::event::{AccessEvent, Outcome, Principal, PrincipalKind};
use steward_model::manifest::StaffMember;

/// 2025-04-14 00:00 UTC, on an hour boundary.
pub const T0: i64 = 1_744_588_800_000;
/// One hour.
pub const HOUR: i64 = 3_600_000;

/// A successful read of `subject` by `principal` at `time_ms`.
pub fn read(time_ms: i64, principal: &str, kind: PrincipalKind, subject: &str) -> AccessEvent {
    AccessEvent {
        time_ms,
        event_id: format!("{principal}-{time_ms}-{subject}"),
        principal: Principal {
            id: principal.to_owned(),
            kind,
        },
        source: steward_model::event::Source {
            ip: "198.51.100.7".parse().ok(),
            country: None,
        },
        method: Some("GET".into()),
        endpoint: "/internal/cs/members/{id}".into(),
        subjects: vec![subject.to_owned()],
        record_types: vec!["member_record".into()],
        outcome: Outcome::Success,
        status: Some(200),
        records: Some(1),
        bytes: Some(1500),
        ..AccessEvent::default()
    }
}

/// A roster of support agents `E001`… and one engineer `E900`.
pub fn context(agents: usize) -> Context {
    let member = |id: String, role: &str| StaffMember {
        employee_id: id,
        name: "n".into(),
        role: role.into(),
        team: "t".into(),
        start_date: jiff::civil::date(2020, 1, 1),
        end_date: None,
    };
    let mut staff: Vec<StaffMember> = (1..=agents)
        .map(|i| member(format!("E{i:03}"), "support_agent"))
        .collect();
    staff.push(member("E900".into(), "backend_engineer"));
    Context::new(Vec::new(), staff)
}

/// A deterministic pseudo-random number (splitmix64).
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `n` reads by `principal` spread over the hour starting at `hour_start`,
/// of subjects drawn from `1..=universe` (seeded by `seed`).
pub fn hour_of_reads(
    hour_start: i64,
    principal: &str,
    kind: PrincipalKind,
    n: u64,
    universe: u64,
    seed: u64,
) -> Vec<AccessEvent> {
    (0..n)
        .map(|i| {
            let t = hour_start + (i as i64 * HOUR) / n.max(1) as i64;
            let subject = mix(seed ^ (i << 20) ^ hour_start as u64) % universe + 1;
            read(t, principal, kind, &subject.to_string())
        })
        .collect()
}

/// Sorts events by time (stable), as the pipeline delivers them.
pub fn in_time_order(mut events: Vec<AccessEvent>) -> Vec<AccessEvent> {
    events.sort_by_key(|e| e.time_ms);
    events
}

/// Feeds `events` (already in time order) with the watermark one
/// `lateness` behind each event, then finishes.
pub fn run(det: &mut dyn Detector, events: &[AccessEvent], lateness: i64) -> Vec<Detection> {
    let mut out = Vec::new();
    feed(det, events, lateness, &mut out);
    det.finish(&mut out);
    out
}

/// Feeds events without finishing.
pub fn feed(
    det: &mut dyn Detector,
    events: &[AccessEvent],
    lateness: i64,
    out: &mut Vec<Detection>,
) {
    for e in events {
        det.observe(e, EventRole::Access, out);
        det.advance(e.time_ms - lateness, out);
    }
}

/// Runs `events` once straight through and once stopped after each of
/// `cuts` events, saved, restored into a fresh detector and continued; the
/// detections and counters must agree.
pub fn assert_checkpoints_continue(
    make: impl Fn() -> Box<dyn Detector>,
    events: &[AccessEvent],
    cuts: &[usize],
) -> Vec<Detection> {
    let mut straight = make();
    let expected = run(straight.as_mut(), events, 0);
    for &cut in cuts {
        let mut first = make();
        let mut out = Vec::new();
        feed(first.as_mut(), &events[..cut], 0, &mut out);
        let saved = first.save().unwrap();
        let text = serde_json::to_string(&saved).unwrap();
        let mut second = make();
        second
            .restore(serde_json::from_str(&text).unwrap())
            .unwrap();
        assert_eq!(second.save().unwrap(), saved, "restore is lossless");
        feed(second.as_mut(), &events[cut..], 0, &mut out);
        second.finish(&mut out);
        assert_eq!(out, expected, "cut after {cut} events");
        assert_eq!(second.stats(), straight.stats(), "cut after {cut} events");
    }
    expected
}
