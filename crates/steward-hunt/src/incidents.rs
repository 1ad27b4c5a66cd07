//! Incidents: alerts that share an actor (a principal that is not a
//! customer, a source IP, a signing key, an API key) within a gap of each
//! other belong to one incident, so one attacker is one incident.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use steward_model::alert::Severity;
use steward_model::time::rfc3339_millis;
use steward_store::IncidentRecord;

use crate::alert::{Alert, stable_id};

/// One incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Deterministic id (from its first alert's id).
    pub id: String,
    /// Title: its most severe rule's title.
    pub title: String,
    /// Highest severity of its alerts.
    pub severity: Severity,
    /// A representative actor.
    pub principal: String,
    /// Every actor seen in its alerts (bounded).
    pub actors: BTreeSet<String>,
    /// Rules that alerted.
    pub rules: BTreeSet<String>,
    /// Alerts in it.
    pub alerts: u64,
    /// First evidence event, epoch ms.
    pub first_ms: i64,
    /// Last evidence event, epoch ms.
    pub last_ms: i64,
    /// `open`, `closed`, or `merged into <id>`.
    pub status: String,
}

impl Incident {
    /// The row for the state database.
    #[must_use]
    pub fn record(&self, created_at: &str) -> IncidentRecord {
        IncidentRecord {
            id: self.id.clone(),
            title: self.title.clone(),
            severity: self.severity.as_str().to_owned(),
            principal: self.principal.clone(),
            first_seen: rfc3339_millis(self.first_ms),
            last_seen: rfc3339_millis(self.last_ms),
            awareness_at: None,
            status: self.status.clone(),
            created_at: created_at.to_owned(),
        }
    }
}

/// Actors kept per incident.
const MAX_ACTORS: usize = 256;

/// Incidents still taking alerts, and the actor index.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IncidentBook {
    live: BTreeMap<String, Incident>,
    by_actor: BTreeMap<String, String>,
    /// Alerts join an incident whose last event is at most this much
    /// earlier, ms.
    pub gap_ms: i64,
    /// Incidents changed since [`IncidentBook::take_changed`].
    #[serde(default)]
    changed: BTreeSet<String>,
    /// Incidents merged away or closed since the last take.
    #[serde(default)]
    merged: Vec<Incident>,
    /// Merged-away incident id to the live incident it went into.
    #[serde(default)]
    aliases: BTreeMap<String, String>,
    /// No live incident's last event is older than this (a lower bound:
    /// `expire` skips its scan while nothing can be due; incidents' last
    /// events only move forward).
    #[serde(skip)]
    oldest_ms: Option<i64>,
}

impl IncidentBook {
    /// A book joining alerts within `gap_ms` of an incident.
    #[must_use]
    pub fn new(gap_ms: i64) -> Self {
        Self {
            gap_ms,
            ..Self::default()
        }
    }

    /// Puts an alert into an incident, creating or merging incidents as its
    /// actors require; returns the incident id (also set on the alert).
    pub fn assign(&mut self, alert: &mut Alert) -> String {
        let mut hits: Vec<String> = alert
            .actors
            .iter()
            .filter_map(|a| self.by_actor.get(a))
            .filter(|id| {
                self.live
                    .get(*id)
                    .is_some_and(|i| i.last_ms + self.gap_ms >= alert.first_event_ms)
            })
            .cloned()
            .collect();
        hits.sort_by(|a, b| {
            let key = |id: &String| self.live.get(id).map(|i| (i.first_ms, i.id.clone()));
            key(a).cmp(&key(b))
        });
        hits.dedup();
        let id = match hits.split_first() {
            None => {
                let id = stable_id(&["incident", &alert.id]);
                self.oldest_ms = self.oldest_ms.map(|o| o.min(alert.last_event_ms));
                self.live.insert(
                    id.clone(),
                    Incident {
                        id: id.clone(),
                        title: alert.title.clone(),
                        severity: alert.severity,
                        principal: representative(alert),
                        actors: BTreeSet::new(),
                        rules: BTreeSet::new(),
                        alerts: 0,
                        first_ms: alert.first_event_ms,
                        last_ms: alert.last_event_ms,
                        status: "open".to_owned(),
                    },
                );
                id
            }
            Some((into, others)) => {
                for other in others {
                    self.merge(other, into);
                }
                into.clone()
            }
        };
        if let Some(inc) = self.live.get_mut(&id) {
            if alert.severity > inc.severity {
                inc.severity = alert.severity;
                inc.title.clone_from(&alert.title);
            }
            inc.alerts += 1;
            inc.first_ms = inc.first_ms.min(alert.first_event_ms);
            inc.last_ms = inc.last_ms.max(alert.last_event_ms);
            inc.rules.insert(alert.rule_id.clone());
            for a in &alert.actors {
                if inc.actors.len() < MAX_ACTORS {
                    inc.actors.insert(a.clone());
                }
                self.by_actor.insert(a.clone(), id.clone());
            }
        }
        self.changed.insert(id.clone());
        alert.incident_id = Some(id.clone());
        id
    }

    /// Records newer evidence of an alert already assigned.
    pub fn extend(&mut self, alert: &Alert) {
        if let Some(inc) = alert
            .incident_id
            .as_ref()
            .and_then(|id| self.live.get_mut(id))
        {
            inc.last_ms = inc.last_ms.max(alert.last_event_ms);
            inc.first_ms = inc.first_ms.min(alert.first_event_ms);
            self.changed.insert(inc.id.clone());
        }
    }

    fn merge(&mut self, from: &str, into: &str) {
        let Some(mut gone) = self.live.remove(from) else {
            return;
        };
        for a in &gone.actors {
            self.by_actor.insert(a.clone(), into.to_owned());
        }
        if let Some(inc) = self.live.get_mut(into) {
            if gone.severity > inc.severity {
                inc.severity = gone.severity;
                inc.title.clone_from(&gone.title);
            }
            inc.alerts += gone.alerts;
            inc.first_ms = inc.first_ms.min(gone.first_ms);
            inc.last_ms = inc.last_ms.max(gone.last_ms);
            inc.rules.extend(gone.rules.iter().cloned());
            for a in &gone.actors {
                if inc.actors.len() < MAX_ACTORS {
                    inc.actors.insert(a.clone());
                }
            }
        }
        self.changed.remove(from);
        self.changed.insert(into.to_owned());
        for target in self.aliases.values_mut() {
            if target == from {
                *target = into.to_owned();
            }
        }
        self.aliases.insert(from.to_owned(), into.to_owned());
        gone.status = format!("merged into {into}");
        self.merged.push(gone);
    }

    /// Where an incident id now points: itself, or the live incident it
    /// was merged into.
    #[must_use]
    pub fn resolve<'a>(&'a self, id: &'a str) -> &'a str {
        self.aliases.get(id).map_or(id, String::as_str)
    }

    /// Drops incidents idle for more than the gap before `watermark_ms`
    /// (all when `None`), marking them closed among the changed ones.
    pub fn expire(&mut self, watermark_ms: Option<i64>) {
        let gap = self.gap_ms;
        if let (Some(w), Some(oldest)) = (watermark_ms, self.oldest_ms)
            && oldest.saturating_add(gap) >= w
        {
            return;
        }
        let due: Vec<String> = self
            .live
            .values()
            .filter(|i| watermark_ms.is_none_or(|w| i.last_ms + gap < w))
            .map(|i| i.id.clone())
            .collect();
        for id in due {
            if let Some(mut inc) = self.live.remove(&id) {
                self.by_actor.retain(|_, v| *v != id);
                self.aliases.retain(|_, v| *v != id);
                inc.status = "closed".to_owned();
                self.changed.remove(&id);
                self.merged.push(inc);
            }
        }
        self.oldest_ms = Some(
            self.live
                .values()
                .map(|i| i.last_ms)
                .min()
                .unwrap_or(i64::MAX),
        );
    }

    /// Incidents changed since the last call (live ones as they are now,
    /// then closed and merged ones), for the state database and outputs.
    pub fn take_changed(&mut self) -> Vec<Incident> {
        let mut out: Vec<Incident> = std::mem::take(&mut self.changed)
            .iter()
            .filter_map(|id| self.live.get(id).cloned())
            .collect();
        out.append(&mut self.merged);
        out
    }

    /// Incidents still live.
    pub fn live(&self) -> impl Iterator<Item = &Incident> {
        self.live.values()
    }
}

fn representative(alert: &Alert) -> String {
    if !alert.principal.is_empty() {
        return alert.principal.clone();
    }
    alert
        .actors
        .first()
        .cloned()
        .unwrap_or_else(|| alert.key.clone())
}
