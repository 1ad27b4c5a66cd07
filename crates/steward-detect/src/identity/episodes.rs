//! Episodes: the evidence one detection covers, per key, from its first
//! event until `gap` passes without another.
//!
//! Every identity detector reports through this, the same way:
//!
//! - the **first** event of an episode reports a detection at once (small
//!   detection latency);
//! - while the episode grows, an **update** with the same `key` and
//!   `window_start_ms` (so the same alert id) is reported at most every
//!   `update` of watermark time, and only when there is new evidence; the
//!   hunt pipeline keeps the newest evidence of an alert, and an update
//!   period shorter than its alert idle gap keeps the alert open while the
//!   episode lasts;
//! - when the episode **closes** (the watermark is more than `gap` past its
//!   last event, a new event comes after such a gap, the open-episode cap
//!   is reached, or the input ends) a final update is reported if evidence
//!   arrived since the last report.
//!
//! Windows start at the first event and never move, so the alert id
//! depends only on the events. Output follows key order, never hash order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::detector::{Detection, DetectorStats};
use crate::evidence::Evidence;

/// How episodes are cut and reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// An episode ends after this long without an event, ms.
    pub gap_ms: i64,
    /// Updates are reported at most this often, ms of watermark time.
    pub update_ms: i64,
    /// Open episodes kept; at the cap the least recently active one is
    /// closed early (counted as evicted).
    pub cap: usize,
}

/// One open episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Episode<F> {
    /// Window start: the time of the first event; never moves.
    pub start_ms: i64,
    /// Counts, bounds and sample event ids.
    pub evidence: Evidence,
    /// The detector's own figures.
    pub facts: F,
    /// When it was last reported (event or watermark time).
    reported_ms: i64,
    /// Whether evidence arrived since.
    dirty: bool,
}

impl<F> Episode<F> {
    /// A detection with this episode's window and evidence.
    pub fn detection(&self, head: Head) -> Detection {
        Detection {
            detector: head.detector,
            severity: head.severity,
            title: head.title,
            key: head.key,
            principal: head.principal,
            actors: head.actors,
            window_start_ms: self.start_ms,
            window_end_ms: self.evidence.last_ms.max(self.start_ms),
            events: self.evidence.events,
            first_event_ms: self.evidence.first_ms,
            last_event_ms: self.evidence.last_ms,
            sample_event_ids: self.evidence.sample_ids(),
            facts: head.facts,
        }
    }
}

/// What a detector says about an episode; the window and evidence come
/// from the episode.
#[derive(Debug, Clone)]
pub struct Head {
    /// Detector id.
    pub detector: &'static str,
    /// Severity.
    pub severity: steward_model::alert::Severity,
    /// Title without personal data.
    pub title: String,
    /// Episode key.
    pub key: String,
    /// Principal, if the detection is about one.
    pub principal: String,
    /// Actors.
    pub actors: Vec<String>,
    /// Facts.
    pub facts: serde_json::Map<String, serde_json::Value>,
}

/// Renders an open episode as a detection.
pub type Render<'a, F> = &'a dyn Fn(&str, &Episode<F>) -> Detection;

/// Open episodes by key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Episodes<F> {
    open: BTreeMap<String, Episode<F>>,
    /// No episode lapses or is due an update before this watermark (a
    /// lower bound, so [`Episodes::tick`] can skip its pass over every open
    /// episode; `None` when unknown, as after a restore).
    #[serde(skip)]
    next_ms: Option<i64>,
}

impl<F: PartialEq> PartialEq for Episodes<F> {
    fn eq(&self, other: &Self) -> bool {
        self.open == other.open
    }
}

impl<F> Default for Episodes<F> {
    fn default() -> Self {
        Self {
            open: BTreeMap::new(),
            next_ms: None,
        }
    }
}

/// The watermark at which `ep` lapses or is due an update.
fn due<F>(ep: &Episode<F>, timing: Timing) -> i64 {
    let lapse = ep
        .evidence
        .last_ms
        .saturating_add(timing.gap_ms)
        .saturating_add(1);
    if ep.dirty {
        lapse.min(ep.reported_ms.saturating_add(timing.update_ms))
    } else {
        lapse
    }
}

/// The event an episode grows by.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    /// Episode key.
    pub key: &'a str,
    /// Event time, epoch ms.
    pub time_ms: i64,
    /// Event id.
    pub event_id: &'a str,
}

/// Where the detections of one call go, and what is counted.
pub struct Sink<'a> {
    /// Detections.
    pub out: &'a mut Vec<Detection>,
    /// Counters (`detections` counts episodes, `evicted` early closes).
    pub stats: &'a mut DetectorStats,
}

impl<F: Default> Episodes<F> {
    /// Adds an event to `key`'s episode (opening one, and reporting it,
    /// when there is none or the last one has lapsed); `update` adds the
    /// detector's figures. Returns whether a new episode opened.
    pub fn event(
        &mut self,
        at: At<'_>,
        timing: Timing,
        sink: &mut Sink<'_>,
        update: impl FnOnce(&mut F),
        render: Render<'_, F>,
    ) -> bool {
        let At {
            key,
            time_ms,
            event_id,
        } = at;
        let lapsed = match self.open.get_mut(key) {
            Some(ep) if time_ms.saturating_sub(ep.evidence.last_ms) > timing.gap_ms => true,
            Some(ep) => {
                ep.evidence.add(time_ms, event_id);
                update(&mut ep.facts);
                ep.dirty = true;
                let d = due(ep, timing);
                self.next_ms = self.next_ms.map(|n| n.min(d));
                return false;
            }
            None => false,
        };
        if lapsed && let Some(ep) = self.open.remove(key) {
            close(key, &ep, sink.out, render);
        }
        while self.open.len() >= timing.cap.max(1) {
            let Some(oldest) = self
                .open
                .iter()
                .min_by_key(|(k, ep)| (ep.evidence.last_ms, *k))
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(ep) = self.open.remove(&oldest) {
                close(&oldest, &ep, sink.out, render);
            }
            sink.stats.evicted += 1;
        }
        let mut ep = Episode {
            start_ms: time_ms,
            evidence: Evidence::default(),
            facts: F::default(),
            reported_ms: time_ms,
            dirty: false,
        };
        ep.evidence.add(time_ms, event_id);
        update(&mut ep.facts);
        sink.out.push(render(key, &ep));
        sink.stats.detections += 1;
        let d = due(&ep, timing);
        self.next_ms = self.next_ms.map(|n| n.min(d));
        self.open.insert(key.to_owned(), ep);
        true
    }

    /// Whether [`Episodes::tick`] at `watermark_ms` would find nothing to
    /// lapse or report (known without a pass over the episodes).
    #[inline]
    #[must_use]
    pub fn quiet_before(&self, watermark_ms: i64) -> bool {
        self.next_ms.is_some_and(|n| watermark_ms < n)
    }

    /// The watermark moved to `watermark_ms`: reports due updates and
    /// closes lapsed episodes.
    pub fn tick(
        &mut self,
        watermark_ms: i64,
        timing: Timing,
        out: &mut Vec<Detection>,
        render: Render<'_, F>,
    ) {
        if self.quiet_before(watermark_ms) {
            return;
        }
        let mut lapsed = Vec::new();
        for (key, ep) in &mut self.open {
            if watermark_ms.saturating_sub(ep.evidence.last_ms) > timing.gap_ms {
                lapsed.push(key.clone());
            } else if ep.dirty && watermark_ms.saturating_sub(ep.reported_ms) >= timing.update_ms {
                out.push(render(key, ep));
                ep.reported_ms = watermark_ms;
                ep.dirty = false;
            }
        }
        for key in lapsed {
            if let Some(ep) = self.open.remove(&key) {
                close(&key, &ep, out, render);
            }
        }
        self.next_ms = Some(
            self.open
                .values()
                .map(|ep| due(ep, timing))
                .min()
                .unwrap_or(i64::MAX),
        );
    }

    /// The input ended: closes every episode.
    pub fn finish(&mut self, out: &mut Vec<Detection>, render: Render<'_, F>) {
        for (key, ep) in std::mem::take(&mut self.open) {
            close(&key, &ep, out, render);
        }
    }

    /// Open episodes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.open.len()
    }

    /// Whether none is open.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.open.is_empty()
    }
}

fn close<F>(key: &str, ep: &Episode<F>, out: &mut Vec<Detection>, render: Render<'_, F>) {
    if ep.dirty {
        out.push(render(key, ep));
    }
}

#[cfg(test)]
mod tests {
    use steward_model::alert::Severity;

    use super::*;

    fn render(key: &str, ep: &Episode<u64>) -> Detection {
        ep.detection(Head {
            detector: "test",
            severity: Severity::Low,
            title: "t".into(),
            key: key.to_owned(),
            principal: String::new(),
            actors: Vec::new(),
            facts: crate::identity::support::object(serde_json::json!({ "n": ep.facts })),
        })
    }

    const TIMING: Timing = Timing {
        gap_ms: 100,
        update_ms: 10,
        cap: 2,
    };

    /// Adds `(key, time)` events, counting them in the facts.
    fn feed(
        eps: &mut Episodes<u64>,
        events: &[(&str, i64)],
        out: &mut Vec<Detection>,
        stats: &mut DetectorStats,
    ) -> Vec<bool> {
        let mut sink = Sink { out, stats };
        events
            .iter()
            .map(|&(key, time_ms)| {
                let at = At {
                    key,
                    time_ms,
                    event_id: "e",
                };
                eps.event(at, TIMING, &mut sink, |n| *n += 1, &render)
            })
            .collect()
    }

    #[test]
    fn reports_first_event_updates_and_final() {
        let mut eps = Episodes::<u64>::default();
        let mut out = Vec::new();
        let mut stats = DetectorStats::default();
        let opened = feed(&mut eps, &[("a", 0), ("a", 5)], &mut out, &mut stats);
        assert_eq!(opened, [true, false]);
        assert_eq!(out.len(), 1);
        eps.tick(9, TIMING, &mut out, &render);
        assert_eq!(out.len(), 1, "update not due yet");
        eps.tick(10, TIMING, &mut out, &render);
        assert_eq!(out.len(), 2);
        assert_eq!((out[1].events, out[1].window_start_ms), (2, 0));
        assert_eq!(out[1].facts["n"], 2);
        eps.tick(106, TIMING, &mut out, &render);
        assert_eq!(out.len(), 2, "closed without new evidence: nothing new");
        assert!(eps.is_empty());
        assert_eq!(stats.detections, 1);
    }

    #[test]
    fn a_gap_starts_a_new_window_and_the_cap_evicts_the_stalest() {
        let mut eps = Episodes::<u64>::default();
        let mut out = Vec::new();
        let mut stats = DetectorStats::default();
        let events = [("a", 0), ("a", 50), ("a", 151), ("b", 152), ("c", 153)];
        feed(&mut eps, &events, &mut out, &mut stats);
        let starts: Vec<_> = out
            .iter()
            .map(|d| (d.key.as_str(), d.window_start_ms))
            .collect();
        assert_eq!(
            starts,
            [("a", 0), ("a", 0), ("a", 151), ("b", 152), ("c", 153)]
        );
        assert_eq!(eps.len(), 2);
        assert_eq!(stats.evicted, 1);
    }

    #[test]
    fn finish_reports_what_is_new_and_closes_everything() {
        let mut eps = Episodes::<u64>::default();
        let mut out = Vec::new();
        let mut stats = DetectorStats::default();
        feed(
            &mut eps,
            &[("a", 0), ("b", 1), ("b", 2)],
            &mut out,
            &mut stats,
        );
        eps.finish(&mut out, &render);
        let keys: Vec<_> = out.iter().map(|d| (d.key.as_str(), d.events)).collect();
        assert_eq!(keys, [("a", 1), ("b", 1), ("b", 2)]);
        assert!(eps.is_empty());
    }
}
