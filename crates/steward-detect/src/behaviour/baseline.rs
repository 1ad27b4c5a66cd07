//! Robust baselines shared by the windowed detectors (`breadth`,
//! `export-volume`): each principal against its own past windows and
//! against its peer group.
//!
//! For every closed window a detector hands in one figure per metric and
//! principal (distinct subjects; records and bytes). A figure is judged
//! against the baselines as they stood before the window, so the order in
//! which principals close does not matter:
//!
//! - **own**: the principal's last `history` active windows (a ring), once
//!   it holds `min_history` of them: `max(median + k · scale, q-quantile)`;
//! - **peers**: the last `peer_samples` windows of every principal in the
//!   same peer group (role from the HR roster for staff, else the principal
//!   kind), once it holds `min_peer_samples`:
//!   `max(median + peer_k · scale, q-quantile)`;
//! - `scale = max(1.4826 · MAD, √median, 1)`: the MAD scaled to a standard
//!   deviation, floored at the Poisson noise of a count, so a principal with
//!   perfectly regular windows is not flagged for one more read.
//!
//! A figure is flagged when it reaches the metric's floor and exceeds both
//! bounds; a principal without enough own history is judged against
//! `new_principal_factor ×` the peer bound alone; with neither baseline the
//! window is undecided. Flagged figures enter the rings clipped to the
//! threshold, so an attack cannot raise its own bar while a lasting change
//! is still learned, slowly.
//!
//! Flagged windows of a principal form one episode while each starts within
//! `episode_gap_ms` of the end of the previous one; only an episode's first
//! window is reported.
//!
//! State: a ring of at most `history` figures per metric per principal (at
//! most `max_principals` principals; the least recently active are evicted
//! first) and a ring of at most `peer_samples` per metric per peer group.

use std::collections::{BTreeMap, VecDeque};

use crate::HashMap;

use compact_str::{CompactString, format_compact};
use serde::{Deserialize, Serialize};
use steward_model::event::PrincipalKind;

use crate::context::Context;
use crate::error::DetectError;

/// Settings of a baseline (the `baseline:` section of `breadth` and
/// `export_volume`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Active windows kept per principal.
    pub history: usize,
    /// Own windows needed before the own baseline is used.
    pub min_history: usize,
    /// MAD multiplier of the own bound.
    pub k: f64,
    /// MAD multiplier of the peer bound.
    pub peer_k: f64,
    /// Quantile that also bounds both (0.99: the "p99" of the windows).
    pub quantile: f64,
    /// Windows kept per peer group.
    pub peer_samples: usize,
    /// Peer windows needed before the peer bound is used.
    pub min_peer_samples: usize,
    /// A principal with too little history must exceed this multiple of the
    /// peer bound.
    pub new_principal_factor: f64,
    /// Flagged windows closer than this to the previous flagged window of
    /// the same principal continue its episode, milliseconds.
    pub episode_gap_ms: i64,
    /// Principals whose history is kept; the least recently active are
    /// evicted beyond it.
    pub max_principals: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            history: 168,
            min_history: 24,
            k: 4.0,
            peer_k: 3.0,
            quantile: 0.99,
            peer_samples: 2_048,
            min_peer_samples: 8,
            new_principal_factor: 2.0,
            episode_gap_ms: 6 * 3_600_000,
            max_principals: 50_000,
        }
    }
}

impl Settings {
    /// Checks ranges.
    ///
    /// # Errors
    /// A value is out of range; the error names it.
    pub fn validate(&self, detector: &'static str) -> Result<(), DetectError> {
        let bad = |message: &str| {
            Err(DetectError::Config {
                detector,
                message: message.to_owned(),
            })
        };
        if self.history == 0 || self.min_history > self.history {
            return bad("baseline.history must be positive and at least baseline.min_history");
        }
        if self.peer_samples == 0 || self.min_peer_samples > self.peer_samples {
            return bad(
                "baseline.peer_samples must be positive and at least baseline.min_peer_samples",
            );
        }
        if !(self.k.is_finite() && self.k >= 0.0 && self.peer_k.is_finite() && self.peer_k >= 0.0) {
            return bad("baseline.k and baseline.peer_k must be finite and not negative");
        }
        if !(self.quantile > 0.0 && self.quantile <= 1.0) {
            return bad("baseline.quantile must be in (0, 1]");
        }
        if !(self.new_principal_factor.is_finite() && self.new_principal_factor >= 1.0) {
            return bad("baseline.new_principal_factor must be at least 1");
        }
        if self.episode_gap_ms < 0 || self.max_principals == 0 {
            return bad("baseline.episode_gap_ms must not be negative, max_principals positive");
        }
        Ok(())
    }
}

/// Peer groups: `role:<role>` for staff on the HR roster, else
/// `kind:<kind>`.
#[derive(Debug, Clone, Default)]
pub struct PeerGroups {
    /// Employee id → `role:<role>`.
    roles: HashMap<String, CompactString>,
}

impl PeerGroups {
    /// The roles of the context's roster.
    #[must_use]
    pub fn new(context: &Context) -> Self {
        Self {
            roles: context
                .staff_members()
                .map(|s| (s.employee_id.clone(), format_compact!("role:{}", s.role)))
                .collect(),
        }
    }

    /// The peer group of a principal.
    #[must_use]
    pub fn of(&self, id: &str, kind: PrincipalKind) -> CompactString {
        match self.roles.get(id) {
            Some(role) if kind == PrincipalKind::Staff => role.clone(),
            _ => {
                let mut group = CompactString::const_new("kind:");
                group.push_str(kind.name());
                group
            }
        }
    }
}

/// A bounded ring of window figures, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Ring(VecDeque<u64>);

impl Ring {
    fn push(&mut self, value: u64, cap: usize) {
        self.0.push_back(value);
        while self.0.len() > cap {
            self.0.pop_front();
        }
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn summary(&self, k: f64, quantile: f64) -> Option<Robust> {
        Robust::of(self.0.iter().copied().collect(), k, quantile)
    }
}

/// Robust statistics of a set of window figures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Robust {
    /// Windows summarised.
    pub windows: usize,
    /// Median.
    pub median: f64,
    /// Median absolute deviation.
    pub mad: f64,
    /// `max(1.4826 · MAD, √median, 1)`.
    pub scale: f64,
    /// The configured quantile (nearest rank).
    pub quantile: f64,
    /// `max(median + k · scale, quantile)`.
    pub upper: f64,
}

impl Robust {
    /// Statistics of `values` (none when empty).
    #[must_use]
    pub fn of(mut values: Vec<u64>, k: f64, quantile: f64) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        values.sort_unstable();
        let median = median_of_sorted(&values);
        let mut deviations: Vec<f64> = values.iter().map(|v| (*v as f64 - median).abs()).collect();
        deviations.sort_unstable_by(f64::total_cmp);
        let mad = median_of_sorted_f64(&deviations);
        let rank = ((quantile * values.len() as f64).ceil() as usize).clamp(1, values.len());
        let q = values.get(rank - 1).copied().unwrap_or_default() as f64;
        let scale = (1.4826 * mad).max(median.sqrt()).max(1.0);
        Some(Self {
            windows: values.len(),
            median,
            mad,
            scale,
            quantile: q,
            upper: (median + k * scale).max(q),
        })
    }

    fn facts(&self, prefix: &str, facts: &mut serde_json::Map<String, serde_json::Value>) {
        facts.insert(format!("{prefix}_windows"), self.windows.into());
        facts.insert(format!("{prefix}_median"), round2(self.median).into());
        facts.insert(format!("{prefix}_mad"), round2(self.mad).into());
        facts.insert(format!("{prefix}_quantile"), round2(self.quantile).into());
        facts.insert(format!("{prefix}_upper"), round2(self.upper).into());
    }
}

fn median_of_sorted(values: &[u64]) -> f64 {
    let n = values.len();
    let mid = |i: usize| values.get(i).copied().unwrap_or_default() as f64;
    if n % 2 == 1 {
        mid(n / 2)
    } else {
        f64::midpoint(mid(n / 2 - 1), mid(n / 2))
    }
}

fn median_of_sorted_f64(values: &[f64]) -> f64 {
    let n = values.len();
    let mid = |i: usize| values.get(i).copied().unwrap_or_default();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        mid(n / 2)
    } else {
        f64::midpoint(mid(n / 2 - 1), mid(n / 2))
    }
}

/// Rounds to two decimals for facts.
#[must_use]
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// How one metric of one window was judged.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// The window's figure.
    pub value: u64,
    /// The bar it had to clear (none when undecided, and none when no
    /// figure of the window reached its floor: then nothing is summarised).
    pub threshold: Option<f64>,
    /// Whether it was flagged.
    pub flagged: bool,
    /// The own baseline, when used.
    pub own: Option<Robust>,
    /// The peer baseline, when used.
    pub peer: Option<Robust>,
}

impl Judgement {
    /// `value / threshold`, at least 1 when flagged.
    #[must_use]
    pub fn ratio(&self) -> f64 {
        self.threshold
            .map_or(0.0, |t| self.value as f64 / t.max(1.0))
    }

    /// The figures behind the judgement, prefixed by the metric name.
    pub fn facts(&self, metric: &str, facts: &mut serde_json::Map<String, serde_json::Value>) {
        facts.insert(metric.to_owned(), self.value.into());
        if let Some(t) = self.threshold {
            facts.insert(format!("{metric}_threshold"), round2(t).into());
        }
        if let Some(own) = &self.own {
            own.facts(&format!("{metric}_own"), facts);
        }
        if let Some(peer) = &self.peer {
            peer.facts(&format!("{metric}_peer"), facts);
        }
    }
}

/// One principal's figures for one closed window.
#[derive(Debug, Clone)]
pub struct Figures<'a> {
    /// Principal id.
    pub principal: &'a str,
    /// Principal kind.
    pub kind: PrincipalKind,
    /// Peer group ([`PeerGroups::of`]).
    pub group: &'a str,
    /// One figure per metric.
    pub values: Metrics,
}

/// One figure per metric, inline for the one or two metrics a detector
/// keeps (no allocation per principal per window).
pub type Metrics = smallvec::SmallVec<[u64; 2]>;

/// The verdict on one principal's closed window.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// One judgement per metric (inline for up to two).
    pub judgements: smallvec::SmallVec<[Judgement; 2]>,
    /// Whether any metric was flagged.
    pub flagged: bool,
    /// Whether the window starts a new episode (report it).
    pub new_episode: bool,
    /// Whether the window could not be judged although a figure reached
    /// its floor.
    pub undecided: bool,
}

/// What one principal's history holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Profile {
    /// One ring per metric.
    rings: Vec<Ring>,
    /// Start of its last active window.
    last_active_ms: i64,
    /// End of its last flagged window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    flagged_until_ms: Option<i64>,
}

/// Baselines of every principal and peer group for `metrics` metrics.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Baselines {
    #[serde(serialize_with = "sorted")]
    profiles: HashMap<String, Profile>,
    peers: BTreeMap<String, Vec<Ring>>,
}

/// Serialises a map in key order.
///
/// # Errors
/// As the serializer.
pub fn sorted<K: Ord + Serialize, V: Serialize, S: serde::Serializer>(
    map: &HashMap<K, V>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let ordered: BTreeMap<&K, &V> = map.iter().collect();
    ordered.serialize(serializer)
}

impl Baselines {
    /// Judges one closed window `[start, end)`: every principal's figures
    /// against the baselines as they were before it, then folds them in.
    /// `floors` holds one minimum per metric; returns verdicts in the order
    /// of `figures` and the number of principals evicted.
    pub fn close(
        &mut self,
        window: (i64, i64),
        figures: &[Figures<'_>],
        floors: &[u64],
        settings: &Settings,
    ) -> (Vec<Verdict>, u64) {
        let (start, end) = window;
        let metrics = floors.len();
        let mut peer_cache: BTreeMap<&str, Vec<Option<Robust>>> = BTreeMap::new();
        let mut verdicts = Vec::with_capacity(figures.len());
        for f in figures {
            // Below every floor a window is neither flagged nor undecided,
            // whatever the baselines say, so they are not summarised (most
            // principals' windows; each summary sorts a history).
            let due = floors
                .iter()
                .enumerate()
                .any(|(m, floor)| f.values.get(m).copied().unwrap_or_default() >= *floor);
            let peer: &[Option<Robust>] = if due {
                peer_cache.entry(f.group).or_insert_with(|| {
                    self.peers.get(f.group).map_or_else(
                        || vec![None; metrics],
                        |rings| {
                            (0..metrics)
                                .map(|m| {
                                    rings
                                        .get(m)
                                        .filter(|r| r.len() >= settings.min_peer_samples)
                                        .and_then(|r| r.summary(settings.peer_k, settings.quantile))
                                })
                                .collect()
                        },
                    )
                })
            } else {
                &[]
            };
            let profile = self.profiles.get(f.principal);
            let mut judgements: smallvec::SmallVec<[Judgement; 2]> =
                smallvec::SmallVec::with_capacity(metrics);
            for (m, floor) in floors.iter().enumerate() {
                let value = f.values.get(m).copied().unwrap_or_default();
                let own = profile
                    .filter(|_| due)
                    .and_then(|p| p.rings.get(m))
                    .filter(|r| r.len() >= settings.min_history)
                    .and_then(|r| r.summary(settings.k, settings.quantile));
                let peer = peer.get(m).copied().flatten();
                let threshold = match (&own, &peer) {
                    (Some(o), Some(p)) => Some(o.upper.max(p.upper)),
                    (Some(o), None) => Some(o.upper),
                    (None, Some(p)) => Some(p.upper * settings.new_principal_factor),
                    (None, None) => None,
                };
                let flagged = value >= *floor && threshold.is_some_and(|t| value as f64 > t);
                judgements.push(Judgement {
                    value,
                    threshold,
                    flagged,
                    own,
                    peer,
                });
            }
            let flagged = judgements.iter().any(|j| j.flagged);
            let undecided = !flagged
                && judgements
                    .iter()
                    .zip(floors)
                    .any(|(j, floor)| j.threshold.is_none() && j.value >= *floor);
            let new_episode = flagged
                && profile
                    .and_then(|p| p.flagged_until_ms)
                    .is_none_or(|until| start - until > settings.episode_gap_ms);
            verdicts.push(Verdict {
                judgements,
                flagged,
                new_episode,
                undecided,
            });
        }
        for (f, verdict) in figures.iter().zip(&verdicts) {
            self.fold(f, verdict, (start, end), settings, metrics);
        }
        let evicted = self.evict(settings.max_principals);
        (verdicts, evicted)
    }

    /// Adds a judged window to the rings (flagged figures clipped to their
    /// threshold).
    fn fold(
        &mut self,
        f: &Figures<'_>,
        verdict: &Verdict,
        (start, end): (i64, i64),
        settings: &Settings,
        metrics: usize,
    ) {
        let clipped = || {
            verdict.judgements.iter().map(|j| match j.threshold {
                Some(t) if j.flagged => t.floor().max(0.0) as u64,
                _ => j.value,
            })
        };
        // Looked up before inserting: an owned key would cost a copy of the
        // name for every principal of every window.
        if !self.peers.contains_key(f.group) {
            self.peers
                .insert(f.group.to_owned(), vec![Ring::default(); metrics]);
        }
        if let Some(rings) = self.peers.get_mut(f.group) {
            for (ring, v) in rings.iter_mut().zip(clipped()) {
                ring.push(v, settings.peer_samples);
            }
        }
        // Customers who read only themselves count for their peers but get
        // no history of their own: there would be one per customer.
        let idle_customer = f.kind == PrincipalKind::Customer && f.values.iter().all(|v| *v == 0);
        let profile = match self.profiles.get_mut(f.principal) {
            Some(p) => p,
            None if idle_customer => return,
            None => self.profiles.entry(f.principal.to_owned()).or_default(),
        };
        profile.rings.resize_with(metrics, Ring::default);
        for (ring, v) in profile.rings.iter_mut().zip(clipped()) {
            ring.push(v, settings.history);
        }
        profile.last_active_ms = start;
        if verdict.flagged {
            profile.flagged_until_ms = Some(end);
        }
    }

    /// Drops the least recently active principals beyond `cap` (ties by
    /// id), down to nine tenths of it.
    fn evict(&mut self, cap: usize) -> u64 {
        if self.profiles.len() <= cap {
            return 0;
        }
        let keep = cap - cap / 10;
        let mut order: Vec<(i64, &String)> = self
            .profiles
            .iter()
            .map(|(id, p)| (p.last_active_ms, id))
            .collect();
        order.sort_unstable();
        let drop: Vec<String> = order
            .iter()
            .take(self.profiles.len() - keep)
            .map(|(_, id)| (*id).clone())
            .collect();
        for id in &drop {
            self.profiles.remove(id);
        }
        drop.len() as u64
    }

    /// Principals with a history.
    #[must_use]
    pub fn principals(&self) -> usize {
        self.profiles.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures<'a>(principal: &'a str, group: &'a str, value: u64) -> Figures<'a> {
        Figures {
            principal,
            kind: PrincipalKind::Staff,
            group,
            values: smallvec::smallvec![value],
        }
    }

    #[test]
    fn robust_statistics() {
        let r = Robust::of(vec![10, 12, 11, 13, 9, 100], 4.0, 0.99).unwrap();
        assert!((r.median - 11.5).abs() < 1e-9);
        assert!((r.mad - 1.5).abs() < 1e-9);
        assert!((r.quantile - 100.0).abs() < 1e-9);
        assert!((r.upper - 100.0).abs() < 1e-9);
        // A constant series is floored at its Poisson noise.
        let c = Robust::of(vec![400; 30], 4.0, 0.99).unwrap();
        assert!((c.upper - 480.0).abs() < 1e-9);
        assert!(Robust::of(Vec::new(), 4.0, 0.99).is_none());
    }

    #[test]
    fn judged_against_own_history_then_episodes_merge() {
        let s = Settings {
            min_history: 4,
            min_peer_samples: 4,
            ..Settings::default()
        };
        let mut b = Baselines::default();
        let h = 3_600_000;
        for w in 0..6 {
            let (v, _) = b.close((w * h, (w + 1) * h), &[figures("a", "g", 100)], &[10], &s);
            assert!(!v[0].flagged);
        }
        let (v, _) = b.close((6 * h, 7 * h), &[figures("a", "g", 1000)], &[10], &s);
        assert!(v[0].flagged && v[0].new_episode);
        let (v, _) = b.close((8 * h, 9 * h), &[figures("a", "g", 1000)], &[10], &s);
        assert!(v[0].flagged && !v[0].new_episode);
        let (v, _) = b.close((20 * h, 21 * h), &[figures("a", "g", 1000)], &[10], &s);
        assert!(v[0].flagged && v[0].new_episode);
        // A floor above the figure keeps it quiet.
        let (v, _) = b.close((30 * h, 31 * h), &[figures("a", "g", 1000)], &[5000], &s);
        assert!(!v[0].flagged);
    }

    #[test]
    fn below_every_floor_is_quiet_unsummarised_and_still_learnt() {
        let s = Settings {
            min_history: 4,
            min_peer_samples: 4,
            ..Settings::default()
        };
        let h = 3_600_000;
        let mut b = Baselines::default();
        for w in 0..6 {
            b.close((w * h, (w + 1) * h), &[figures("a", "g", 3)], &[10], &s);
        }
        // Far above its own history of 3s but under the floor: quiet, and
        // no baseline is summarised for it.
        let (v, _) = b.close((6 * h, 7 * h), &[figures("a", "g", 9)], &[10], &s);
        let j = &v[0].judgements[0];
        assert!(!v[0].flagged && !v[0].undecided && !v[0].new_episode);
        assert_eq!((j.value, j.threshold, j.own, j.peer), (9, None, None, None));
        // The quiet windows were folded into the history all the same: at
        // the floor, the figure is judged against seven windows.
        let (v, _) = b.close((7 * h, 8 * h), &[figures("a", "g", 10)], &[10], &s);
        let own = v[0].judgements[0].own.expect("own history summarised");
        assert_eq!(own.windows, 7);
        assert!(v[0].flagged);
        // A never-seen principal below the floor is not undecided either.
        let (v, _) = b.close((8 * h, 9 * h), &[figures("new", "other", 2)], &[10], &s);
        assert!(!v[0].undecided && v[0].judgements[0].threshold.is_none());
    }

    #[test]
    fn without_baselines_it_is_undecided_and_eviction_is_bounded() {
        let s = Settings {
            max_principals: 10,
            ..Settings::default()
        };
        let mut b = Baselines::default();
        let ids: Vec<String> = (0..12).map(|i| format!("p{i:02}")).collect();
        let f: Vec<Figures> = ids.iter().map(|id| figures(id, "g", 50)).collect();
        let (v, evicted) = b.close((0, 10), &f, &[10], &s);
        assert!(v.iter().all(|v| v.undecided && !v.flagged));
        assert_eq!(evicted, 3);
        assert_eq!(b.principals(), 9);
    }
}
