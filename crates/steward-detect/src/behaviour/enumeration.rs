//! `enumeration`: an actor walks data-subject ids in sequence.
//!
//! **What.** Per actor (each principal, and separately each source IP
//! address), the numeric subject ids of its successful reads in the order
//! read, as session runs: a run ends when the actor's next read comes more
//! than `max_gap_ms` after its last. A run is flagged once it holds at least
//! `min_reads` reads over at least `min_ids` distinct consecutive ids, and
//! at least `min_sequential` of the steps between consecutive distinct ids
//! move by 1 to `max_step` in one direction (ascending or descending).
//! After `check_after` steps, a run whose share of such steps is below
//! `min_sequential` starts afresh, so a random reader never builds one up.
//!
//! **Why.** Sequential integer ids let whoever holds a working credential,
//! or a token-forging key, read every member in turn; that is how the 2025
//! breach read 33.7 million accounts (§1.2 and §1.5 requirement 4 of the
//! domain reference). The replay forges a new token per victim, so its
//! principal changes with every request while its few source addresses
//! walk the ids: hence the per-address actor.
//!
//! **Settings** ([`Config`]): `max_gap_ms` (600,000), `min_reads` (50),
//! `min_ids` (20), `max_step` (3), `min_sequential` (0.8), `check_after`
//! (10), `by_ip` and `by_principal` (true), `exempt_kinds` (`[service]`),
//! `episode_gap_ms` (3,600,000), `max_actors` (200,000).
//!
//! **False-positive guards.** Repeated reads of one id (a customer on its
//! own record) are no steps; a customer reading only its own record is no
//! principal actor; random orders (support agents, partners, shared
//! addresses) restart the run every `check_after` steps; reads by
//! principals of `exempt_kinds` are ignored (the nightly batch job walks
//! ids in order by design; exempt a service only where that is true); one
//! detection per actor per episode (flagged runs less than
//! `episode_gap_ms` apart).
//!
//! **State bounds.** Per actor: the last id and time, the run's counters,
//! up to five sample event ids and three addresses, principals and
//! countries. Actors idle past both gaps are dropped as the watermark
//! moves; beyond `max_actors` the least recently active are evicted
//! (counted in `evicted`). Only ids that are canonical decimal numbers are
//! followed; reads without one are counted as undecided.

use crate::HashMap;
use std::net::IpAddr;

use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use steward_model::alert::Severity;
use steward_model::event::{AccessEvent, PrincipalKind};
use steward_model::jurisdiction::Country;

use super::baseline::sorted;
use super::checkpoint;
use super::distinct::numeric_id;
use super::windows;
use crate::context::Context;
use crate::detector::{Detection, Detector, DetectorStats, EventRole};
use crate::error::DetectError;
use crate::evidence::Evidence;

/// Stable id.
pub const ID: &str = "enumeration";

/// Attribute values kept per run (addresses, principals, countries).
const KEEP: usize = 3;

/// Settings of `enumeration`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Whether the detector runs.
    pub enabled: bool,
    /// A run ends when the actor's next read is later than this, ms.
    pub max_gap_ms: i64,
    /// Fewest reads in a flagged run.
    pub min_reads: u64,
    /// Fewest steps between distinct ids in a flagged run.
    pub min_ids: u64,
    /// Largest step that counts as sequential.
    pub max_step: u64,
    /// Share of sequential steps a flagged run needs.
    pub min_sequential: f64,
    /// Steps after which a run below `min_sequential` starts afresh.
    pub check_after: u64,
    /// Follow each source address.
    pub by_ip: bool,
    /// Follow each principal.
    pub by_principal: bool,
    /// Principal kinds whose reads are ignored.
    pub exempt_kinds: Vec<PrincipalKind>,
    /// Flagged runs of one actor closer than this continue its episode, ms.
    pub episode_gap_ms: i64,
    /// Actors followed at most.
    pub max_actors: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            enabled: true,
            max_gap_ms: 600_000,
            min_reads: 50,
            min_ids: 20,
            max_step: 3,
            min_sequential: 0.8,
            check_after: 10,
            by_ip: true,
            by_principal: true,
            exempt_kinds: vec![PrincipalKind::Service],
            episode_gap_ms: 12 * 3_600_000,
            max_actors: 200_000,
        }
    }
}

/// One run of reads by one actor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Run {
    start_ms: i64,
    reads: u64,
    /// Steps between distinct consecutive ids.
    steps: u64,
    up: u64,
    down: u64,
    /// Reads whose principal differs from the previous read's.
    principal_changes: u64,
    evidence: Evidence,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    principals: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    ips: Vec<IpAddr>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    api_keys: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    countries: Vec<Country>,
    /// Already reported, or merged into an open episode.
    flagged: bool,
}

impl Run {
    /// Starts a new run at `start_ms`, as `Run { start_ms, ..default }`
    /// but keeping the buffers of the lists and the evidence (a run
    /// restarts on most of an actor's reads).
    fn restart(&mut self, start_ms: i64) {
        self.start_ms = start_ms;
        self.reads = 0;
        self.steps = 0;
        self.up = 0;
        self.down = 0;
        self.principal_changes = 0;
        self.evidence.clear();
        self.principals.clear();
        self.ips.clear();
        self.api_keys.clear();
        self.countries.clear();
        self.flagged = false;
        debug_assert_eq!(
            *self,
            Self {
                start_ms,
                ..Self::default()
            }
        );
    }

    fn sequential(&self) -> u64 {
        self.up.max(self.down)
    }

    fn share(&self) -> f64 {
        if self.steps == 0 {
            0.0
        } else {
            self.sequential() as f64 / self.steps as f64
        }
    }
}

/// What is followed of one actor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Actor {
    last_ms: i64,
    last_id: u64,
    /// Hash of the last read's principal id.
    last_principal: u64,
    run: Run,
    /// Last read of its last flagged run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    flagged_until_ms: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct State {
    #[serde(serialize_with = "sorted")]
    ips: HashMap<IpAddr, Actor>,
    #[serde(serialize_with = "sorted")]
    principals: HashMap<CompactString, Actor>,
    watermark_ms: Option<i64>,
    swept_ms: Option<i64>,
    stats: DetectorStats,
}

/// The `enumeration` detector.
#[derive(Debug, Clone)]
pub struct Enumeration {
    config: Config,
    state: State,
}

/// Who an actor is, for the detection.
enum Who<'a> {
    Ip(IpAddr),
    Principal(&'a str),
}

impl Enumeration {
    /// A detector with `config`.
    ///
    /// # Errors
    /// A setting is out of range.
    pub fn new(_context: &Context, config: Config) -> Result<Self, DetectError> {
        let ok = config.max_gap_ms > 0
            && config.episode_gap_ms >= 0
            && config.max_step >= 1
            && config.min_ids >= 1
            && config.check_after >= 1
            && config.max_actors >= 10
            && (0.0..=1.0).contains(&config.min_sequential);
        if !ok {
            return Err(DetectError::Config {
                detector: ID,
                message: "max_gap_ms, max_step, min_ids and check_after must be positive, \
                          max_actors at least 10, min_sequential within [0, 1]"
                    .to_owned(),
            });
        }
        Ok(Self {
            config,
            state: State::default(),
        })
    }

    /// Drops actors idle past both gaps, at most once per `max_gap_ms` of
    /// watermark progress.
    fn sweep(&mut self, watermark: i64) {
        if self
            .state
            .swept_ms
            .is_some_and(|s| watermark - s < self.config.max_gap_ms)
        {
            return;
        }
        self.state.swept_ms = Some(watermark);
        let (gap, episode) = (self.config.max_gap_ms, self.config.episode_gap_ms);
        let live = |a: &Actor| {
            a.last_ms.saturating_add(gap) >= watermark
                || a.flagged_until_ms
                    .is_some_and(|u| u.saturating_add(episode) >= watermark)
        };
        self.state.ips.retain(|_, a| live(a));
        self.state.principals.retain(|_, a| live(a));
    }

    /// Evicts the least recently active actors (ties: addresses before
    /// principals, then by key) down to nine tenths of the cap.
    fn evict(&mut self) {
        let total = self.state.ips.len() + self.state.principals.len();
        if total < self.config.max_actors {
            return;
        }
        let keep = self.config.max_actors - self.config.max_actors / 10;
        let mut order: Vec<(i64, u8, String)> = self
            .state
            .ips
            .iter()
            .map(|(ip, a)| (a.last_ms, 0, ip.to_string()))
            .chain(
                self.state
                    .principals
                    .iter()
                    .map(|(p, a)| (a.last_ms, 1, p.to_string())),
            )
            .collect();
        order.sort_unstable();
        for (_, kind, key) in order.into_iter().take(total.saturating_sub(keep)) {
            if kind == 0 {
                if let Ok(ip) = key.parse::<IpAddr>() {
                    self.state.ips.remove(&ip);
                }
            } else {
                self.state.principals.remove(key.as_str());
            }
            self.state.stats.evicted += 1;
        }
    }
}

/// Adds `value` to `list` unless present or full.
fn keep<T: PartialEq + Clone>(list: &mut Vec<T>, value: &T) {
    if list.len() < KEEP && !list.contains(value) {
        list.push(value.clone());
    }
}

fn principal_hash(id: &str) -> u64 {
    super::distinct::subject_hash(id)
}

/// Follows one read of `id` by `actor`; returns whether the run became
/// flagged with this read and starts a new episode.
fn step(
    actor: &mut Actor,
    event: &AccessEvent,
    id: u64,
    first: bool,
    config: &Config,
) -> Option<bool> {
    let t = event.time_ms;
    let fresh = actor.run.reads == 0 || t.saturating_sub(actor.last_ms) > config.max_gap_ms;
    if fresh {
        actor.run.restart(t);
    } else if id != actor.last_id {
        let run = &mut actor.run;
        run.steps += 1;
        if id > actor.last_id && id - actor.last_id <= config.max_step {
            run.up += 1;
        } else if id < actor.last_id && actor.last_id - id <= config.max_step {
            run.down += 1;
        }
        if run.steps >= config.check_after && run.share() < config.min_sequential {
            run.restart(t);
        }
    }
    let principal = principal_hash(&event.principal.id);
    let run = &mut actor.run;
    if run.reads > 0 && principal != actor.last_principal {
        run.principal_changes += 1;
    }
    run.reads += 1;
    if first || run.evidence.is_empty() {
        run.evidence.add(t, &event.event_id);
    }
    if event.principal.kind != PrincipalKind::Customer && !event.principal.id.is_empty() {
        keep(&mut run.principals, &event.principal.id);
    }
    if let Some(ip) = &event.source.ip {
        keep(&mut run.ips, ip);
    }
    if let Some(key) = &event.credential.api_key_id {
        keep(&mut run.api_keys, key);
    }
    if let Some(country) = &event.source.country {
        keep(&mut run.countries, country);
    }
    actor.last_ms = t;
    actor.last_id = id;
    actor.last_principal = principal;
    if run.flagged {
        actor.flagged_until_ms = Some(t);
        return None;
    }
    let qualifies = run.reads >= config.min_reads
        && run.steps >= config.min_ids
        && run.share() >= config.min_sequential;
    if !qualifies {
        return None;
    }
    run.flagged = true;
    let continues = actor
        .flagged_until_ms
        .is_some_and(|u| run.start_ms.saturating_sub(u) <= config.episode_gap_ms);
    actor.flagged_until_ms = Some(t);
    Some(!continues)
}

fn detection(who: &Who<'_>, actor: &Actor, config: &Config) -> Detection {
    let run = &actor.run;
    let (key, principal, mut actors) = match who {
        Who::Ip(ip) => (format!("ip:{ip}"), String::new(), vec![format!("ip:{ip}")]),
        Who::Principal(p) => (
            format!("principal:{p}"),
            (*p).to_owned(),
            vec![format!("principal:{p}")],
        ),
    };
    let mut others: Vec<String> = run
        .api_keys
        .iter()
        .map(|k| format!("api_key:{k}"))
        .chain(run.principals.iter().map(|p| format!("principal:{p}")))
        .chain(run.ips.iter().map(|ip| format!("ip:{ip}")))
        .filter(|a| *a != key)
        .collect();
    others.sort();
    actors.extend(others);
    let direction = if run.up >= run.down {
        "ascending"
    } else {
        "descending"
    };
    let duration_ms = run.evidence.last_ms - run.evidence.first_ms;
    let mut facts = serde_json::Map::new();
    facts.insert(
        "actor_kind".into(),
        match who {
            Who::Ip(_) => "ip",
            Who::Principal(_) => "principal",
        }
        .into(),
    );
    facts.insert("reads".into(), run.reads.into());
    facts.insert("distinct_ids".into(), (run.steps + 1).into());
    facts.insert("sequential_steps".into(), run.sequential().into());
    facts.insert(
        "sequential_share".into(),
        ((run.share() * 1000.0).round() / 1000.0).into(),
    );
    facts.insert("direction".into(), direction.into());
    facts.insert("max_step".into(), config.max_step.into());
    facts.insert("principal_changes".into(), run.principal_changes.into());
    facts.insert("duration_ms".into(), duration_ms.into());
    facts.insert(
        "source_countries".into(),
        run.countries
            .iter()
            .map(|c| serde_json::Value::from(c.code()))
            .collect(),
    );
    facts.insert("max_gap_ms".into(), config.max_gap_ms.into());
    let whom = match who {
        Who::Ip(_) => "source address",
        Who::Principal(_) => "principal",
    };
    Detection {
        detector: ID,
        severity: Severity::High,
        title: format!(
            "A {whom} walked {} data-subject ids in {direction} order ({} reads, {:.0} % sequential steps of at most {}) in {} min",
            run.steps + 1,
            run.reads,
            run.share() * 100.0,
            config.max_step,
            duration_ms / 60_000,
        ),
        key,
        principal,
        actors,
        window_start_ms: run.start_ms,
        window_end_ms: actor.last_ms,
        events: run.evidence.events,
        first_event_ms: run.evidence.first_ms,
        last_event_ms: run.evidence.last_ms,
        sample_event_ids: run.evidence.sample_ids(),
        facts,
    }
}

impl Detector for Enumeration {
    fn id(&self) -> &'static str {
        ID
    }

    fn observe(&mut self, event: &AccessEvent, role: EventRole, out: &mut Vec<Detection>) {
        self.state.stats.events += 1;
        let Some(read) = windows::read(event, role) else {
            return;
        };
        if self.config.exempt_kinds.contains(&event.principal.kind) {
            return;
        }
        if self.state.watermark_ms.is_some_and(|w| event.time_ms < w) {
            self.state.stats.late_events += 1;
            return;
        }
        let ids: SmallVec<[u64; 4]> = event
            .subjects
            .iter()
            .filter_map(|s| numeric_id(s))
            .collect();
        if ids.is_empty() {
            self.state.stats.undecided += 1;
            return;
        }
        self.evict();
        let config = &self.config;
        let mut found = Vec::new();
        if config.by_ip
            && let Some(ip) = event.source.ip
        {
            let actor = self.state.ips.entry(ip).or_default();
            for (i, id) in ids.iter().enumerate() {
                if step(actor, event, *id, i == 0, config) == Some(true) {
                    found.push(detection(&Who::Ip(ip), actor, config));
                }
            }
        }
        if config.by_principal && !read.own_only {
            let id = event.principal.id.as_str();
            if let Some(actor) = crate::entry_of(&mut self.state.principals, id, Actor::default) {
                for (i, subject) in ids.iter().enumerate() {
                    if step(actor, event, *subject, i == 0, config) == Some(true) {
                        found.push(detection(&Who::Principal(id), actor, config));
                    }
                }
            }
        }
        self.state.stats.detections += found.len() as u64;
        out.extend(found);
    }

    fn advance(&mut self, watermark_ms: i64, _out: &mut Vec<Detection>) {
        let watermark = self
            .state
            .watermark_ms
            .map_or(watermark_ms, |w| w.max(watermark_ms));
        self.state.watermark_ms = Some(watermark);
        self.sweep(watermark);
    }

    fn finish(&mut self, _out: &mut Vec<Detection>) {
        // Runs are reported as they qualify; nothing is pending.
    }

    fn save(&self) -> Result<serde_json::Value, DetectError> {
        checkpoint::save(ID, &self.state)
    }

    fn restore(&mut self, state: serde_json::Value) -> Result<(), DetectError> {
        self.state = checkpoint::restore(ID, state)?;
        Ok(())
    }

    fn stats(&self) -> DetectorStats {
        self.state.stats.clone()
    }
}
