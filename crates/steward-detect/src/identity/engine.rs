//! The one [`Detector`] implementation behind every identity detector.
//!
//! A detector is a set of [`Rules`]: what an event (or, for joins held
//! back until the watermark passes, a settled decision) says — zero or
//! more [`Hit`]s on episode keys — how a hit adds to an episode's facts,
//! and how an episode reads as a [`Detection`]. The [`Engine`] does the
//! rest the same way for all: counting events, episodes and their reports
//! ([`super::episodes`]), watermarks, and checkpoints of the whole state.

use std::sync::Arc;

use compact_str::CompactString;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use steward_model::event::{AccessEvent, Outcome};

use super::episodes::{At, Episode, Episodes, Sink, Timing};
use super::support;
use crate::detector::{Detection, Detector, DetectorStats, EventRole};
use crate::error::DetectError;

/// An event counting towards the episode `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit<M> {
    /// Episode key (shared, so a key named on every event is not copied
    /// each time).
    pub key: Arc<str>,
    /// What the rules found, for [`Rules::update`].
    pub mark: M,
    /// Time and id of the event when it is not the one being observed (a
    /// decision settled later).
    pub held: Option<(i64, CompactString)>,
}

impl<M> Hit<M> {
    /// A hit by the event being observed.
    pub fn now(key: impl Into<Arc<str>>, mark: M) -> Self {
        Self {
            key: key.into(),
            mark,
            held: None,
        }
    }
}

/// What [`Rules::judge`] looks at, and where it reports.
pub struct Look<'a, M> {
    /// The event.
    pub event: &'a AccessEvent,
    /// Its role.
    pub role: EventRole,
    /// Counters (`undecided`, `evicted`).
    pub stats: &'a mut DetectorStats,
    /// Hits found.
    pub hits: &'a mut Vec<Hit<M>>,
}

impl<'a, M> Look<'a, M> {
    /// The principal the event shows acting: its id on accesses and on
    /// successful issuance records (a failed login names an account, not
    /// who tried), when there is one.
    #[must_use]
    pub fn acting_principal(&self) -> Option<&'a str> {
        if self.role == EventRole::Issuance && self.event.outcome != Outcome::Success {
            return None;
        }
        let event: &'a AccessEvent = self.event;
        Some(event.principal.id.as_str()).filter(|id| !id.is_empty())
    }
}

/// What one detector decides; the [`Engine`] runs it.
pub trait Rules: Send + 'static {
    /// Stable detector id.
    const ID: &'static str;
    /// Figures kept per episode.
    type Facts: Default + Serialize + DeserializeOwned + Send;
    /// State kept beside the episodes (saved with them).
    type State: Default + Serialize + DeserializeOwned + Send;
    /// What a hit carries to [`Rules::update`].
    type Mark: Send;

    /// Whether [`Rules::settle`] does anything: rules that hold no
    /// decision back leave it `false`, and the watermark then only has
    /// episodes to lapse or report.
    const SETTLES: bool = false;

    /// Looks at one event; pushes its hits.
    fn judge(&self, state: &mut Self::State, look: Look<'_, Self::Mark>);

    /// Settles decisions held until `watermark_ms` (everything when
    /// `None`), pushing their hits with [`Hit::held`] set.
    fn settle(
        &self,
        _state: &mut Self::State,
        _stats: &mut DetectorStats,
        _watermark_ms: Option<i64>,
        _hits: &mut Vec<Hit<Self::Mark>>,
    ) {
    }

    /// The time up to which every event has been decided, given the
    /// watermark (episodes lapse and update against it).
    fn decided_to(&self, watermark_ms: i64) -> i64 {
        watermark_ms
    }

    /// Adds a hit to its episode's facts; `event` is the observed event
    /// for hits by it, `None` for settled ones.
    fn update(
        &self,
        facts: &mut Self::Facts,
        mark: &Self::Mark,
        event: Option<(&AccessEvent, EventRole)>,
    );

    /// The detection an episode reads as.
    fn render(&self, key: &str, episode: &Episode<Self::Facts>) -> Detection;

    /// Rebuilds indexes left out of the saved state.
    fn restored(_state: &mut Self::State) {}
}

/// Everything a detector keeps between events, saved whole.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(bound(
    serialize = "F: Serialize, S: Serialize",
    deserialize = "F: DeserializeOwned, S: DeserializeOwned"
))]
pub struct EngineState<F, S> {
    /// Open episodes.
    pub episodes: Episodes<F>,
    /// The rules' own state.
    pub rules: S,
    /// Counters.
    pub stats: DetectorStats,
}

/// A detector made of [`Rules`].
pub struct Engine<R: Rules> {
    pub(crate) rules: R,
    timing: Timing,
    pub(crate) state: EngineState<R::Facts, R::State>,
    hits: Vec<Hit<R::Mark>>,
}

impl<R: Rules + std::fmt::Debug> std::fmt::Debug for Engine<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("rules", &self.rules)
            .field("timing", &self.timing)
            .field("stats", &self.state.stats)
            .finish_non_exhaustive()
    }
}

impl<R: Rules> Engine<R> {
    /// A detector running `rules`, with episodes cut and reported by
    /// `timing`, from an empty state.
    pub fn with_rules(rules: R, timing: Timing) -> Self {
        Self {
            rules,
            timing,
            state: EngineState::default(),
            hits: Vec::new(),
        }
    }

    /// Adds the hits found to their episodes. Most events give none, and
    /// then no more than this test runs (the work is out of line, so its
    /// prologue is not paid per event).
    #[inline]
    fn apply(&mut self, event: Option<(&AccessEvent, EventRole)>, out: &mut Vec<Detection>) {
        if !self.hits.is_empty() {
            self.apply_hits(event, out);
        }
    }

    #[inline(never)]
    fn apply_hits(&mut self, event: Option<(&AccessEvent, EventRole)>, out: &mut Vec<Detection>) {
        let rules = &self.rules;
        let timing = self.timing;
        for hit in self.hits.drain(..) {
            let (time_ms, event_id) = match (&hit.held, event) {
                (Some((t, id)), _) => (*t, id.as_str()),
                (None, Some((e, _))) => (e.time_ms, e.event_id.as_str()),
                (None, None) => continue,
            };
            let mut sink = Sink {
                out: &mut *out,
                stats: &mut self.state.stats,
            };
            self.state.episodes.event(
                At {
                    key: &hit.key,
                    time_ms,
                    event_id,
                },
                timing,
                &mut sink,
                |f| rules.update(f, &hit.mark, event),
                &|k, ep| rules.render(k, ep),
            );
        }
    }
}

impl<R: Rules> Detector for Engine<R> {
    fn id(&self) -> &'static str {
        R::ID
    }

    fn observe(&mut self, event: &AccessEvent, role: EventRole, out: &mut Vec<Detection>) {
        self.state.stats.events += 1;
        let look = Look {
            event,
            role,
            stats: &mut self.state.stats,
            hits: &mut self.hits,
        };
        self.rules.judge(&mut self.state.rules, look);
        self.apply(Some((event, role)), out);
    }

    fn advance(&mut self, watermark_ms: i64, out: &mut Vec<Detection>) {
        // Most watermark steps find nothing held back and no episode due.
        if !R::SETTLES
            && self
                .state
                .episodes
                .quiet_before(self.rules.decided_to(watermark_ms))
        {
            // Rules that say they hold nothing back must settle nothing:
            // checked in test builds, where skipping `settle` would
            // otherwise hide a `settle` written without `SETTLES`.
            #[cfg(debug_assertions)]
            {
                self.rules.settle(
                    &mut self.state.rules,
                    &mut self.state.stats,
                    Some(watermark_ms),
                    &mut self.hits,
                );
                debug_assert!(
                    self.hits.is_empty(),
                    "{} settles hits but leaves Rules::SETTLES false",
                    R::ID
                );
            }
            return;
        }
        self.rules.settle(
            &mut self.state.rules,
            &mut self.state.stats,
            Some(watermark_ms),
            &mut self.hits,
        );
        self.apply(None, out);
        let rules = &self.rules;
        self.state.episodes.tick(
            rules.decided_to(watermark_ms),
            self.timing,
            out,
            &|k, ep| rules.render(k, ep),
        );
    }

    fn finish(&mut self, out: &mut Vec<Detection>) {
        self.rules.settle(
            &mut self.state.rules,
            &mut self.state.stats,
            None,
            &mut self.hits,
        );
        self.apply(None, out);
        let rules = &self.rules;
        self.state
            .episodes
            .finish(out, &|k, ep| rules.render(k, ep));
    }

    fn save(&self) -> Result<serde_json::Value, DetectError> {
        support::save_state(R::ID, &self.state)
    }

    fn restore(&mut self, state: serde_json::Value) -> Result<(), DetectError> {
        let mut restored: EngineState<R::Facts, R::State> = support::restore_state(R::ID, state)?;
        R::restored(&mut restored.rules);
        self.state = restored;
        Ok(())
    }

    fn stats(&self) -> DetectorStats {
        self.state.stats.clone()
    }
}
