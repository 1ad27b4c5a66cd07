//! Alerts: what detection reports, with ids that depend only on the evidence.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use steward_detect::Detection;
use steward_model::alert::Severity;
use steward_model::time::rfc3339_millis;
use steward_store::AlertRecord;

/// Where an alert came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A Sigma detection or correlation rule.
    Sigma,
    /// A native detector.
    Native,
}

/// Whether an alert can still grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// New evidence may still be added.
    Open,
    /// Its episode ended; it will not change.
    Closed,
}

/// One alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// Deterministic id: a hash of rule id, key and window start.
    pub id: String,
    /// Sigma rule id or native detector id (`steward.<id>`).
    pub rule_id: String,
    /// Sigma or native.
    pub origin: Origin,
    /// Title, without personal data.
    pub title: String,
    /// Severity.
    pub severity: Severity,
    /// What the alert is about within its rule (principal, IP, key, group).
    pub key: String,
    /// Principal, when the alert is about one.
    pub principal: String,
    /// Actor attributes (`principal:…`, `ip:…`, `key:…`, `api_key:…`) that
    /// group alerts into incidents.
    pub actors: Vec<String>,
    /// Window start, epoch ms.
    pub window_start_ms: i64,
    /// Window end, epoch ms.
    pub window_end_ms: i64,
    /// Evidence events.
    pub events: u64,
    /// First evidence event, epoch ms.
    pub first_event_ms: i64,
    /// Last evidence event, epoch ms.
    pub last_event_ms: i64,
    /// Event time at which steward raised it (the newest event time seen).
    pub detected_at_ms: i64,
    /// A few evidence event ids, oldest first.
    pub sample_event_ids: Vec<String>,
    /// Figures behind the decision; masked values only.
    pub facts: serde_json::Map<String, serde_json::Value>,
    /// Incident it belongs to.
    pub incident_id: Option<String>,
    /// Open or closed.
    pub status: Status,
}

/// A hex id from the SHA-256 of the parts (128 bits).
#[must_use]
pub fn stable_id(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(32);
    for b in digest.iter().take(16) {
        for nibble in [b >> 4, b & 0xf] {
            out.push(HEX.get(usize::from(nibble)).map_or('0', |&c| char::from(c)));
        }
    }
    out
}

/// The id of an alert of `rule_id` about `key` whose window starts at
/// `window_start_ms`.
#[must_use]
pub fn alert_id(rule_id: &str, key: &str, window_start_ms: i64) -> String {
    stable_id(&[rule_id, key, &window_start_ms.to_string()])
}

/// The rule id of a native detector.
#[must_use]
pub fn native_rule_id(detector: &str) -> String {
    format!("steward.{detector}")
}

impl Alert {
    /// An alert from a native detection, raised at `now_ms`.
    #[must_use]
    pub fn from_detection(d: Detection, now_ms: i64) -> Self {
        let rule_id = native_rule_id(d.detector);
        Self {
            id: alert_id(&rule_id, &d.key, d.window_start_ms),
            rule_id,
            origin: Origin::Native,
            title: d.title,
            severity: d.severity,
            key: d.key,
            principal: d.principal,
            actors: d.actors,
            window_start_ms: d.window_start_ms,
            window_end_ms: d.window_end_ms,
            events: d.events,
            first_event_ms: d.first_event_ms,
            last_event_ms: d.last_event_ms,
            detected_at_ms: now_ms,
            sample_event_ids: d.sample_event_ids,
            facts: d.facts,
            incident_id: None,
            status: Status::Open,
        }
    }

    /// Takes newer evidence of the same alert (same id): widens the window,
    /// keeps the first detection time and incident.
    pub fn absorb(&mut self, newer: Self) {
        self.window_start_ms = self.window_start_ms.min(newer.window_start_ms);
        self.window_end_ms = self.window_end_ms.max(newer.window_end_ms);
        self.first_event_ms = self.first_event_ms.min(newer.first_event_ms);
        self.last_event_ms = self.last_event_ms.max(newer.last_event_ms);
        self.events = self.events.max(newer.events);
        self.severity = self.severity.max(newer.severity);
        for a in newer.actors {
            if !self.actors.contains(&a) && self.actors.len() < 16 {
                self.actors.push(a);
            }
        }
        if self.sample_event_ids.len() < newer.sample_event_ids.len() {
            self.sample_event_ids = newer.sample_event_ids;
        }
        if !newer.facts.is_empty() {
            self.facts = newer.facts;
        }
    }

    /// The evidence as stored, IP addresses masked.
    #[must_use]
    pub fn evidence(&self) -> serde_json::Value {
        let masked = |t: &str| crate::output::mask_actor(t, false);
        serde_json::json!({
            "title": self.title,
            "origin": self.origin,
            "key": masked(&self.key),
            "actors": self.actors.iter().map(|a| masked(a)).collect::<Vec<_>>(),
            "events": self.events,
            "first_event": rfc3339_millis(self.first_event_ms),
            "last_event": rfc3339_millis(self.last_event_ms),
            "detected_at": rfc3339_millis(self.detected_at_ms),
            "sample_event_ids": self.sample_event_ids,
            "facts": self.facts,
            "status": self.status,
        })
    }

    /// The row for the state database.
    #[must_use]
    pub fn record(&self, created_at: &str) -> AlertRecord {
        AlertRecord {
            id: self.id.clone(),
            rule_id: self.rule_id.clone(),
            severity: self.severity.as_str().to_owned(),
            principal: self.principal.clone(),
            window_start: rfc3339_millis(self.window_start_ms),
            window_end: rfc3339_millis(self.window_end_ms),
            incident_id: self.incident_id.clone(),
            evidence: self.evidence(),
            created_at: created_at.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_separate_their_parts() {
        assert_eq!(alert_id("r", "k", 5), alert_id("r", "k", 5));
        assert_ne!(alert_id("r", "k", 5), alert_id("r", "k", 6));
        assert_ne!(stable_id(&["ab", "c"]), stable_id(&["a", "bc"]));
        assert_eq!(alert_id("r", "k", 5).len(), 32);
    }
}
