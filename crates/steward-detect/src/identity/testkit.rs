//! Event builders and a tiny driver for the identity detectors' unit tests.

use steward_model::event::{AccessEvent, Outcome, PrincipalKind};
use steward_model::jurisdiction::Country;

use crate::detector::{Detection, Detector, EventRole};

/// Seconds to ms from an arbitrary epoch in 2025 (2025-04-14T00:00:00Z).
pub const T0: i64 = 1_744_588_800_000;

/// `T0 + s` seconds.
pub const fn at(s: i64) -> i64 {
    T0 + s * 1000
}

/// An access event builder.
pub struct Ev(AccessEvent);

impl Ev {
    /// A successful access at `time_ms`.
    pub fn new(time_ms: i64, id: &str) -> Self {
        Self(AccessEvent {
            time_ms,
            event_id: id.to_owned(),
            endpoint: "/api/v1/members/{id}/profile".into(),
            outcome: Outcome::Success,
            status: Some(200),
            ..AccessEvent::default()
        })
    }

    /// By `id` of `kind`.
    pub fn by(mut self, id: &str, kind: PrincipalKind) -> Self {
        self.0.principal.id = id.to_owned();
        self.0.principal.kind = kind;
        self
    }

    /// With token `jti` signed by `kid`, issued at `iat_ms`.
    pub fn token(mut self, jti: &str, kid: &str, iat_ms: Option<i64>) -> Self {
        self.0.credential.token_id = Some(jti.to_owned());
        self.0.credential.key_id = Some(kid.to_owned());
        self.0.credential.issued_at_ms = iat_ms;
        self
    }

    /// From `ip` in `country`.
    pub fn from(mut self, ip: &str, country: &str) -> Self {
        self.0.source.ip = ip.parse().ok();
        self.0.source.country = Country::parse(country).ok();
        self
    }

    /// With outcome `outcome`.
    pub fn outcome(mut self, outcome: Outcome) -> Self {
        self.0.outcome = outcome;
        self
    }

    /// Reading `subject`.
    pub fn subject(mut self, subject: &str) -> Self {
        self.0.subjects.push(subject.to_owned());
        self
    }

    /// The event, as an access.
    pub fn access(self) -> (AccessEvent, EventRole) {
        (self.0, EventRole::Access)
    }

    /// The event, as an issuance record.
    pub fn issuance(self) -> (AccessEvent, EventRole) {
        (self.0, EventRole::Issuance)
    }
}

/// Feeds `events` like the hunt pipeline does (observe, then advance to
/// the newest time seen), then finishes.
pub fn run(det: &mut dyn Detector, events: &[(AccessEvent, EventRole)]) -> Vec<Detection> {
    let mut out = Vec::new();
    feed(det, events, &mut out);
    det.finish(&mut out);
    out
}

fn feed(det: &mut dyn Detector, events: &[(AccessEvent, EventRole)], out: &mut Vec<Detection>) {
    let mut now = i64::MIN;
    for (e, role) in events {
        det.observe(e, *role, out);
        now = now.max(e.time_ms);
        det.advance(now, out);
    }
}

/// Checks that saving after every prefix of `events`, restoring into a
/// fresh detector (through JSON text) and continuing gives exactly the
/// detections of an uninterrupted run. Returns those detections.
pub fn assert_resumable(
    make: &dyn Fn() -> Box<dyn Detector>,
    events: &[(AccessEvent, EventRole)],
) -> Vec<Detection> {
    let mut reference = make();
    let whole = run(reference.as_mut(), events);
    for split in 0..=events.len() {
        let (head, tail) = events.split_at(split);
        let mut first = make();
        let mut out = Vec::new();
        feed(first.as_mut(), head, &mut out);
        let text = serde_json::to_string(&first.save().unwrap()).unwrap();
        let mut second = make();
        second
            .restore(serde_json::from_str(&text).unwrap())
            .unwrap();
        // The watermark carries over: events in the tail are newer.
        let mut now = head
            .iter()
            .map(|(e, _)| e.time_ms)
            .max()
            .unwrap_or(i64::MIN);
        for (e, role) in tail {
            second.observe(e, *role, &mut out);
            now = now.max(e.time_ms);
            second.advance(now, &mut out);
        }
        second.finish(&mut out);
        assert_eq!(out, whole, "resumed after {split} events");
        assert_eq!(
            second.stats(),
            reference.stats(),
            "resumed after {split} events"
        );
        assert_eq!(first.stats().events, split as u64);
    }
    whole
}
