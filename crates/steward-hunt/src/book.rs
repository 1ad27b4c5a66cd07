//! Open alerts: evidence gathered per episode until the watermark passes
//! its idle gap, then closed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::alert::{Alert, Status};

/// What happened to an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// First raised.
    Opened,
    /// Its episode ended; final evidence.
    Closed,
}

/// An alert as it changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertChange {
    /// Opened or closed.
    pub change: Change,
    /// The alert at that moment.
    pub alert: Alert,
}

/// Alerts not yet closed, by id, with an index from (rule, key) to the open
/// episode for Sigma detection-rule matches.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AlertBook {
    open: BTreeMap<String, Alert>,
    episodes: BTreeMap<String, String>,
    /// Idle gap after which an alert closes, ms.
    pub idle_gap_ms: i64,
    /// Alerts opened so far.
    pub opened: u64,
    /// Alerts closed so far.
    pub closed: u64,
    /// No open alert is due to close before this watermark (a lower bound:
    /// `close` skips its scan of the open alerts below it).
    #[serde(skip, default = "unknown_due")]
    next_due_ms: i64,
}

const fn unknown_due() -> i64 {
    i64::MIN
}

impl Default for AlertBook {
    fn default() -> Self {
        Self {
            open: BTreeMap::new(),
            episodes: BTreeMap::new(),
            idle_gap_ms: 0,
            opened: 0,
            closed: 0,
            next_due_ms: unknown_due(),
        }
    }
}

impl AlertBook {
    /// A book closing alerts after `idle_gap_ms` without new evidence.
    #[must_use]
    pub fn new(idle_gap_ms: i64) -> Self {
        Self {
            idle_gap_ms,
            ..Self::default()
        }
    }

    /// The watermark past which `alert` closes.
    fn due(&self, alert: &Alert) -> i64 {
        alert
            .last_event_ms
            .max(alert.window_end_ms)
            .saturating_add(self.idle_gap_ms)
    }

    /// The open episode of `(rule, key)`, if any.
    #[must_use]
    pub fn episode(&self, rule: &str, key: &str) -> Option<&str> {
        self.episodes
            .get(&episode_key(rule, key))
            .map(String::as_str)
    }

    /// Mutable access to an open alert.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Alert> {
        // The caller may move its evidence either way: scan on the next
        // close.
        self.next_due_ms = unknown_due();
        self.open.get_mut(id)
    }

    /// Open alerts.
    pub fn open_alerts(&self) -> impl Iterator<Item = &Alert> {
        self.open.values()
    }

    /// Adds an alert or newer evidence of an open one. Returns `true` when
    /// the alert is new (then the caller reports it as opened).
    pub fn upsert(&mut self, alert: Alert) -> bool {
        if let Some(known) = self.open.get_mut(&alert.id) {
            known.absorb(alert);
            let due = known
                .last_event_ms
                .max(known.window_end_ms)
                .saturating_add(self.idle_gap_ms);
            self.next_due_ms = self.next_due_ms.min(due);
            return false;
        }
        self.next_due_ms = self.next_due_ms.min(self.due(&alert));
        self.episodes
            .insert(episode_key(&alert.rule_id, &alert.key), alert.id.clone());
        self.open.insert(alert.id.clone(), alert);
        self.opened += 1;
        true
    }

    /// Closes alerts whose last evidence is older than the watermark minus
    /// the idle gap (all of them when `watermark_ms` is `None`), in order of
    /// window start and id.
    pub fn close(&mut self, watermark_ms: Option<i64>, out: &mut Vec<Alert>) {
        if watermark_ms.is_some_and(|w| w <= self.next_due_ms) {
            return;
        }
        let gap = self.idle_gap_ms;
        let due: Vec<String> = self
            .open
            .values()
            .filter(|a| watermark_ms.is_none_or(|w| a.last_event_ms.max(a.window_end_ms) + gap < w))
            .map(|a| a.id.clone())
            .collect();
        let mut closed: Vec<Alert> = due.iter().filter_map(|id| self.open.remove(id)).collect();
        closed.sort_by(|a, b| (a.window_start_ms, &a.id).cmp(&(b.window_start_ms, &b.id)));
        for mut a in closed {
            self.episodes.remove(&episode_key(&a.rule_id, &a.key));
            a.status = Status::Closed;
            self.closed += 1;
            out.push(a);
        }
        self.next_due_ms = self
            .open
            .values()
            .map(|a| self.due(a))
            .min()
            .unwrap_or(i64::MAX);
    }
}

fn episode_key(rule: &str, key: &str) -> String {
    format!("{rule}\u{1f}{key}")
}
