//! The detector behind `breadth` and `export-volume`: reads accumulated per
//! principal per tumbling window ([`windows`]), judged against own and peer
//! baselines ([`baseline`]) when the window closes. What is accumulated and
//! how a flagged window reads is the [`Measure`]'s.

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use steward_model::alert::Severity;
use steward_model::event::AccessEvent;

use super::baseline::{self, Baselines, Figures, Metrics, PeerGroups, Verdict};
use super::checkpoint;
use super::windows::{self, Closed, Read, Slot, Windows};
use crate::context::Context;
use crate::detector::{Detection, Detector, DetectorStats, EventRole};
use crate::error::DetectError;

/// What a windowed detector accumulates, and how it reports.
pub trait Measure: Default + Clone + Debug + Serialize + DeserializeOwned + Send + 'static {
    /// Stable detector id.
    const ID: &'static str;
    /// The detector's settings.
    type Config: Clone + Debug + Send + 'static;

    /// Window, floors and baseline of `config`.
    fn frame(config: &Self::Config) -> Frame<'_>;
    /// What is wrong with the settings beyond window and baseline, if
    /// anything.
    fn check(config: &Self::Config) -> Option<&'static str>;
    /// Adds a read that goes beyond the principal's own record.
    fn add(&mut self, read: &Read<'_>, config: &Self::Config);
    /// One figure per metric.
    fn values(&self) -> Metrics;
    /// How a flagged window reads.
    fn report(&self, config: &Self::Config, slot: &Slot<Self>, verdict: &Verdict) -> Report;
}

/// What a [`Measure`] says about a flagged window.
#[derive(Debug, Clone)]
pub struct Report {
    /// Severity.
    pub severity: Severity,
    /// Title, without personal data.
    pub title: String,
    /// Figures behind the decision.
    pub facts: serde_json::Map<String, serde_json::Value>,
}

/// What every windowed detector's settings say: window width (ms), the
/// smallest figure per metric that can be flagged, own and peer baselines.
#[derive(Debug, Clone)]
pub struct Frame<'a>(pub i64, pub Vec<u64>, pub &'a baseline::Settings);

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(serialize = "M: Serialize", deserialize = "M: DeserializeOwned"))]
struct State<M: Measure> {
    windows: Windows<M>,
    baselines: Baselines,
    stats: DetectorStats,
}

impl<M: Measure> Default for State<M> {
    fn default() -> Self {
        Self {
            windows: Windows::default(),
            baselines: Baselines::default(),
            stats: DetectorStats::default(),
        }
    }
}

/// A windowed baseline detector.
#[derive(Debug, Clone)]
pub struct Windowed<M: Measure> {
    config: M::Config,
    groups: PeerGroups,
    state: State<M>,
}

impl<M: Measure> Windowed<M> {
    /// A detector with `config`, peer groups from `context`'s roster.
    ///
    /// # Errors
    /// A setting is out of range.
    pub fn new(context: &Context, config: M::Config) -> Result<Self, DetectError> {
        let frame = M::frame(&config);
        let problem = if frame.0 < 1_000 {
            Some("window_ms must be at least 1000")
        } else {
            M::check(&config)
        };
        if let Some(message) = problem {
            return Err(DetectError::Config {
                detector: M::ID,
                message: message.to_owned(),
            });
        }
        frame.2.validate(M::ID)?;
        Ok(Self {
            config,
            groups: PeerGroups::new(context),
            state: State::default(),
        })
    }

    fn judge(&mut self, closed: Closed<M>, out: &mut Vec<Detection>) {
        let figures: Vec<Figures> = closed
            .slots()
            .map(|(principal, slot)| Figures {
                principal,
                kind: slot.kind,
                group: &slot.group,
                values: slot.acc.values(),
            })
            .collect();
        let frame = M::frame(&self.config);
        let (verdicts, evicted) = self.state.baselines.close(
            (closed.start_ms, closed.end_ms),
            &figures,
            &frame.1,
            frame.2,
        );
        self.state.stats.evicted += evicted;
        for ((principal, slot), verdict) in closed.slots().zip(verdicts) {
            if verdict.undecided {
                self.state.stats.undecided += 1;
            }
            if !verdict.new_episode {
                continue;
            }
            let Report {
                severity,
                title,
                mut facts,
            } = slot.acc.report(&self.config, slot, &verdict);
            facts.insert("peer_group".into(), slot.group.as_str().into());
            facts.insert("principal_kind".into(), slot.kind.name().into());
            facts.insert("reads".into(), slot.evidence.events.into());
            facts.insert("window_ms".into(), frame.0.into());
            out.push(Detection {
                detector: M::ID,
                severity,
                title,
                key: principal.to_string(),
                principal: principal.to_string(),
                actors: slot.actors(principal),
                window_start_ms: closed.start_ms,
                window_end_ms: closed.end_ms,
                events: slot.evidence.events,
                first_event_ms: slot.evidence.first_ms,
                last_event_ms: slot.evidence.last_ms,
                sample_event_ids: slot.evidence.sample_ids(),
                facts,
            });
            self.state.stats.detections += 1;
        }
    }
}

/// Which baselines a flagged window was judged against, for titles.
#[must_use]
pub fn against(verdict: &Verdict) -> &'static str {
    if verdict.judgements.iter().any(|j| j.own.is_some()) {
        "its own and its peers' baselines"
    } else {
        "its peer group's baseline (little own history)"
    }
}

impl<M: Measure> Detector for Windowed<M> {
    fn id(&self) -> &'static str {
        M::ID
    }

    fn observe(&mut self, event: &AccessEvent, role: EventRole, _out: &mut Vec<Detection>) {
        self.state.stats.events += 1;
        let Some(read) = windows::read(event, role) else {
            return;
        };
        if self.state.windows.is_late(event.time_ms) {
            self.state.stats.late_events += 1;
            return;
        }
        let groups = &self.groups;
        let Some(slot) = self
            .state
            .windows
            .slot(event, M::frame(&self.config).0, || {
                groups.of(&event.principal.id, event.principal.kind)
            })
        else {
            return;
        };
        if read.own_only {
            // Active, with nothing read beyond itself: a zero for its peers.
            return;
        }
        slot.note(event);
        slot.acc.add(&read, &self.config);
    }

    fn advance(&mut self, watermark_ms: i64, out: &mut Vec<Detection>) {
        let width = M::frame(&self.config).0;
        for closed in self.state.windows.advance(watermark_ms, width) {
            self.judge(closed, out);
        }
    }

    fn finish(&mut self, out: &mut Vec<Detection>) {
        for closed in self.state.windows.finish(M::frame(&self.config).0) {
            self.judge(closed, out);
        }
    }

    fn save(&self) -> Result<serde_json::Value, DetectError> {
        checkpoint::save(M::ID, &self.state)
    }

    fn restore(&mut self, state: serde_json::Value) -> Result<(), DetectError> {
        self.state = checkpoint::restore(M::ID, state)?;
        Ok(())
    }

    fn stats(&self) -> DetectorStats {
        self.state.stats.clone()
    }
}
