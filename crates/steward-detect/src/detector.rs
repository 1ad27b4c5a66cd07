//! The contract every native detector keeps.

use serde::{Deserialize, Serialize};
use steward_model::alert::Severity;
use steward_model::event::AccessEvent;

use crate::error::DetectError;

/// What a source's events are to the detectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EventRole {
    /// An access to an API or a data store (gateway, database audit log).
    #[default]
    Access,
    /// A credential-issuance record (the auth service's token log): a token
    /// that was really issued, or a failed login.
    Issuance,
}

/// One thing a detector found, before it becomes an alert.
///
/// The alert id is derived from `detector`, `key` and `window_start_ms`, so
/// these three must depend only on the events, never on when or how often
/// the detector was called.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    /// Stable detector id (`forged-token`, …).
    pub detector: &'static str,
    /// Severity.
    pub severity: Severity,
    /// One-line title, without personal data.
    pub title: String,
    /// What this detection is about within the detector (a principal, a key
    /// id, a source IP); unique per episode together with the window start.
    pub key: String,
    /// The principal the detection is about (may be empty when the actor
    /// is a key or an address, not an identity).
    pub principal: String,
    /// Actor attributes that tie detections of one attacker together into an
    /// incident: `principal:<id>`, `key:<kid>`, `ip:<addr>`, `api_key:<id>`.
    pub actors: Vec<String>,
    /// Start of the window the evidence covers, epoch ms.
    pub window_start_ms: i64,
    /// End of the window, epoch ms.
    pub window_end_ms: i64,
    /// Events that make up the evidence.
    pub events: u64,
    /// Time of the first and last evidence event, epoch ms.
    pub first_event_ms: i64,
    /// See `first_event_ms`.
    pub last_event_ms: i64,
    /// Up to a few event ids, oldest first.
    pub sample_event_ids: Vec<String>,
    /// Figures behind the decision (counts, baselines, thresholds), and
    /// masked values; never raw personal data.
    pub facts: serde_json::Map<String, serde_json::Value>,
}

/// What a detector counted, for the run summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetectorStats {
    /// Events observed.
    pub events: u64,
    /// Detections reported.
    pub detections: u64,
    /// Events older than the watermark, left out of windowed state.
    pub late_events: u64,
    /// State entries dropped at a cap.
    pub evicted: u64,
    /// Events the detector could not judge (say, a token issued before the
    /// issuance log begins).
    pub undecided: u64,
}

/// A native detector.
///
/// The pipeline calls [`Detector::observe`] for every event in event-time
/// order (events may be out of order by up to the pipeline's lateness;
/// an event older than the last watermark is late and may be left out of
/// windowed state, but per-event checks still apply), then
/// [`Detector::advance`] whenever the watermark moves, and
/// [`Detector::finish`] at the end of a batch run. Results must depend only
/// on the events and the watermarks, never on wall-clock time, so `hunt` and
/// `watch` give the same detections, and a state saved with
/// [`Detector::save`] and restored with [`Detector::restore`] continues
/// exactly as if the run had not stopped.
pub trait Detector: Send {
    /// Stable id.
    fn id(&self) -> &'static str;
    /// Looks at one event.
    fn observe(&mut self, event: &AccessEvent, role: EventRole, out: &mut Vec<Detection>);
    /// Every event at or before `watermark_ms` has been observed: close
    /// windows and settle pending joins up to it.
    fn advance(&mut self, watermark_ms: i64, out: &mut Vec<Detection>);
    /// The input ended: settle everything still pending.
    fn finish(&mut self, out: &mut Vec<Detection>);
    /// The state, for a checkpoint.
    ///
    /// # Errors
    /// The state could not be serialised.
    fn save(&self) -> Result<serde_json::Value, DetectError>;
    /// Replaces the state with a saved one.
    ///
    /// # Errors
    /// The saved state is not this detector's, or not this version's.
    fn restore(&mut self, state: serde_json::Value) -> Result<(), DetectError>;
    /// Counters so far.
    fn stats(&self) -> DetectorStats;
}
