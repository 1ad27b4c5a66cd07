//! `login-failure-spread`: refused logins arrive from far more distinct
//! source addresses than the platform usually sees at that time of day.
//!
//! **What.** Platform-wide, the distinct source addresses of refused logins
//! (access events with outcome `denied` on an endpoint ending with one of
//! `endpoints`) per tumbling window (default ten minutes, aligned to the
//! epoch). When a window closes its count is judged against the platform's
//! own earlier windows at the same time of day: the windows `tolerance`
//! either side of it on each of the last `days` days (windows with no
//! refused login count as zero, back to the start of the log). Flagged when
//! the count reaches `min_addresses` and exceeds both
//! `median + k · scale` (`scale = max(1.4826 · MAD, √median, 1)`) and
//! `factor ×` the largest comparable window. While the log holds fewer than
//! `min_comparables` such windows (its first day), the `recent` windows
//! before it stand in, with the bar raised `preceding_factor` times (the
//! daily rhythm is not known yet); with fewer still the window is
//! undecided.
//!
//! **Why.** Credential stuffing spread over a proxy network keeps every
//! single address below any per-address bar; what stands out is how many
//! addresses fail at once. An absolute bar (the Sigma `value_count` this
//! replaces) cannot fit every platform: a large platform's ordinary
//! mistyped passwords at its busiest hour cross any bar a small platform's
//! stuffing would reach. Measured against its own rate at that hour, the
//! platform's size and daily rhythm cancel out.
//!
//! **Settings** ([`Config`]): `endpoints` (`["/login"]`), `window_ms`
//! (600,000; must divide a day), `min_addresses` (50), `days` (7),
//! `tolerance` (1), `recent` (6), `preceding_factor` (2.0),
//! `min_comparables` (3), `k` (6.0), `factor` (1.5), `exact_cap` (10,000),
//! `episode_gap_ms` (21,600,000).
//!
//! **False-positive guards.** The bar follows the platform's own daily
//! rhythm, is at least `factor` times anything it saw at that hour on the
//! days before, and never below `min_addresses`; flagged windows enter the
//! history clipped to the bar, so an attack does not raise its own bar;
//! without enough history the window is undecided, not flagged; one
//! detection per episode (flagged windows less than `episode_gap_ms`
//! apart).
//!
//! **State bounds.** Per open window a distinct counter exact up to
//! `exact_cap` addresses and a bottom-k sketch beyond (relative standard
//! error `1/√(exact_cap − 2)`), its evidence and three addresses; one
//! figure per non-empty closed window of the last `days` days (at most
//! 1,008 with the defaults).

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use steward_model::alert::Severity;
use steward_model::event::{AccessEvent, Outcome};

use super::baseline::{Robust, round2};
use super::checkpoint;
use super::distinct::{Distinct, address_hash};
use super::windows::{ADDRESSES, window_start};
use crate::context::Context;
use crate::detector::{Detection, Detector, DetectorStats, EventRole};
use crate::error::DetectError;
use crate::evidence::Evidence;

/// Stable id.
pub const ID: &str = "login-failure-spread";

/// A day, milliseconds.
const DAY_MS: i64 = 86_400_000;

/// Settings of `login-failure-spread`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Whether the detector runs.
    pub enabled: bool,
    /// Endpoint suffixes of login requests.
    pub endpoints: Vec<String>,
    /// Window width, milliseconds (must divide a day).
    pub window_ms: i64,
    /// Fewest distinct addresses in a window that can be flagged.
    pub min_addresses: u64,
    /// Earlier days compared at the same time of day.
    pub days: u32,
    /// Windows either side of the same time of day that also compare.
    pub tolerance: u32,
    /// Preceding windows that stand in while the log is younger than a day.
    pub recent: u32,
    /// Multiplier of the bar while the preceding windows stand in.
    pub preceding_factor: f64,
    /// Comparable windows needed for a verdict.
    pub min_comparables: usize,
    /// Scale multiplier of the bar.
    pub k: f64,
    /// The bar is at least this multiple of the largest comparable window.
    pub factor: f64,
    /// Distinct addresses counted exactly per window; an estimate beyond.
    pub exact_cap: usize,
    /// Flagged windows closer than this continue one episode, ms.
    pub episode_gap_ms: i64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            enabled: true,
            endpoints: vec!["/login".to_owned()],
            window_ms: 600_000,
            min_addresses: 50,
            days: 7,
            tolerance: 1,
            recent: 6,
            preceding_factor: 2.0,
            min_comparables: 3,
            k: 6.0,
            factor: 1.5,
            exact_cap: 10_000,
            episode_gap_ms: 6 * 3_600_000,
        }
    }
}

impl Config {
    fn problem(&self) -> Option<&'static str> {
        if self.window_ms < 1_000 || DAY_MS % self.window_ms != 0 {
            return Some("window_ms must be at least 1000 and divide a day (86400000)");
        }
        if self.endpoints.is_empty() || self.endpoints.iter().any(String::is_empty) {
            return Some("endpoints must name at least one non-empty suffix");
        }
        if self.days == 0 && self.recent == 0 {
            return Some("days and recent cannot both be 0");
        }
        if self.min_comparables == 0 {
            return Some("min_comparables must be at least 1");
        }
        let finite = |x: f64| x.is_finite() && x >= 0.0;
        if !(finite(self.k) && finite(self.factor)) {
            return Some("k and factor must be finite and not negative");
        }
        if !(self.preceding_factor.is_finite() && self.preceding_factor >= 1.0) {
            return Some("preceding_factor must be at least 1");
        }
        if self.exact_cap < 16 {
            return Some("exact_cap must be at least 16");
        }
        if self.episode_gap_ms < 0 {
            return Some("episode_gap_ms must not be negative");
        }
        None
    }
}

/// One open window.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Open {
    addresses: Distinct,
    evidence: Evidence,
    /// The first few distinct addresses, for the detection's actors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    ips: Vec<IpAddr>,
    /// The time-of-day bar and the baseline behind it, once known while
    /// the window is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    early: Option<(f64, Robust)>,
    /// Whether the window was reported while open.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    reported: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct State {
    /// Start of the earliest window of the log: windows from here on with
    /// no refused login count as zero.
    since_ms: Option<i64>,
    watermark_ms: Option<i64>,
    open: BTreeMap<i64, Open>,
    /// Closed windows with at least one address, by start (flagged ones
    /// clipped to their bar).
    history: BTreeMap<i64, u64>,
    /// End of the last flagged window.
    last_flagged_end_ms: Option<i64>,
    stats: DetectorStats,
}

/// The `login-failure-spread` detector.
#[derive(Debug, Clone)]
pub struct LoginSpread {
    config: Config,
    state: State,
}

/// Where a window's comparables came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Basis {
    TimeOfDay,
    Preceding,
}

impl LoginSpread {
    /// A detector with `config`.
    ///
    /// # Errors
    /// A setting is out of range.
    pub fn new(_context: &Context, config: Config) -> Result<Self, DetectError> {
        if let Some(message) = config.problem() {
            return Err(DetectError::Config {
                detector: ID,
                message: message.to_owned(),
            });
        }
        Ok(Self {
            config,
            state: State::default(),
        })
    }

    fn is_login_refusal(&self, event: &AccessEvent, role: EventRole) -> bool {
        role == EventRole::Access
            && event.outcome == Outcome::Denied
            && self
                .config
                .endpoints
                .iter()
                .any(|suffix| event.endpoint.ends_with(suffix.as_str()))
    }

    /// The windows a window starting at `start` is compared with.
    fn comparables(&self, start: i64) -> Option<(Basis, Vec<u64>)> {
        let since = self.state.since_ms.unwrap_or(start);
        let width = self.config.window_ms;
        let figure = |t: i64| self.state.history.get(&t).copied().unwrap_or(0);
        let tolerance = i64::from(self.config.tolerance);
        let mut seasonal = Vec::new();
        for day in 1..=i64::from(self.config.days) {
            for offset in -tolerance..=tolerance {
                let t = start - day * DAY_MS + offset * width;
                if t >= since {
                    seasonal.push(figure(t));
                }
            }
        }
        if seasonal.len() >= self.config.min_comparables {
            return Some((Basis::TimeOfDay, seasonal));
        }
        let preceding: Vec<u64> = (1..=i64::from(self.config.recent))
            .map(|i| start - i * width)
            .filter(|t| *t >= since)
            .map(figure)
            .collect();
        (preceding.len() >= self.config.min_comparables).then_some((Basis::Preceding, preceding))
    }

    fn judge(&mut self, start: i64, window: Open, out: &mut Vec<Detection>) {
        let config = &self.config;
        let end = start.saturating_add(config.window_ms);
        let count = window.addresses.count();
        let mut figure = count.value;
        let reached = count.value >= config.min_addresses;
        let comparables = if reached {
            self.comparables(start)
        } else {
            None
        };
        match comparables {
            None if reached => self.state.stats.undecided += 1,
            None => {}
            Some((basis, values)) => {
                let Some(robust) = Robust::of(values, config.k, 1.0) else {
                    return;
                };
                let bar = self.bar(basis, &robust);
                if count.value as f64 > bar {
                    figure = bar.ceil() as u64;
                    if !window.reported && self.flag(end) {
                        out.push(detection(&self.config, start, &window, basis, &robust, bar));
                    }
                }
            }
        }
        if figure > 0 {
            self.state.history.insert(start, figure);
        }
        let keep_from = start
            - i64::from(self.config.days) * DAY_MS
            - i64::from(self.config.tolerance.max(self.config.recent)) * self.config.window_ms;
        self.state.history = self.state.history.split_off(&keep_from);
    }

    fn bar(&self, basis: Basis, robust: &Robust) -> f64 {
        let config = &self.config;
        let raise = match basis {
            Basis::TimeOfDay => 1.0,
            Basis::Preceding => config.preceding_factor,
        };
        ((robust.median + config.k * robust.scale).max(config.factor * robust.quantile) * raise)
            .max(config.min_addresses as f64)
    }

    /// Notes a flagged window ending at `end`; whether it starts an episode
    /// (and is counted as a detection).
    fn flag(&mut self, end: i64) -> bool {
        let start = end - self.config.window_ms;
        let new_episode = self
            .state
            .last_flagged_end_ms
            .is_none_or(|last| start - last > self.config.episode_gap_ms);
        let last = self.state.last_flagged_end_ms.map_or(end, |l| l.max(end));
        self.state.last_flagged_end_ms = Some(last);
        if new_episode {
            self.state.stats.detections += 1;
        }
        new_episode
    }

    /// The time-of-day bar of the open window at `start`, once every
    /// window it compares with has closed; none before that, or when the
    /// preceding windows would stand in.
    fn early_bar(&self, start: i64) -> Option<(f64, Robust)> {
        let config = &self.config;
        let newest_end = start - DAY_MS + (i64::from(config.tolerance) + 1) * config.window_ms;
        if config.days == 0 || self.state.watermark_ms.is_none_or(|w| w < newest_end) {
            return None;
        }
        let (basis, values) = self.comparables(start)?;
        if basis != Basis::TimeOfDay {
            return None;
        }
        let robust = Robust::of(values, config.k, 1.0)?;
        Some((self.bar(basis, &robust), robust))
    }

    /// Reports the open window at `start` if its count just went over a
    /// bar that is already known.
    fn check_open(&mut self, start: i64, out: &mut Vec<Detection>) {
        let Some(window) = self.state.open.get(&start) else {
            return;
        };
        if window.reported {
            return;
        }
        let Some(count) = window.addresses.exact_len() else {
            return;
        };
        if count < self.config.min_addresses {
            return;
        }
        let (bar, robust) = match window.early {
            Some(known) => known,
            None => {
                let Some(known) = self.early_bar(start) else {
                    return;
                };
                if let Some(w) = self.state.open.get_mut(&start) {
                    w.early = Some(known);
                }
                known
            }
        };
        if count as f64 <= bar {
            return;
        }
        let new_episode = self.flag(start.saturating_add(self.config.window_ms));
        let Some(window) = self.state.open.get_mut(&start) else {
            return;
        };
        window.reported = true;
        if new_episode {
            out.push(detection(
                &self.config,
                start,
                window,
                Basis::TimeOfDay,
                &robust,
                bar,
            ));
        }
    }
}

/// The detection of a flagged window.
fn detection(
    config: &Config,
    start: i64,
    window: &Open,
    basis: Basis,
    robust: &Robust,
    bar: f64,
) -> Detection {
    let count = window.addresses.count();
    let approx = if count.exact { "" } else { "about " };
    let against = match basis {
        Basis::TimeOfDay => "the platform's usual rate at this time of day",
        Basis::Preceding => "the platform's rate in the preceding windows",
    };
    let title = format!(
        "Refused logins came from {approx}{} distinct source addresses within {} min, over the bar of {:.0} from {against} (median {:.0})",
        count.value,
        config.window_ms / 60_000,
        bar.floor(),
        robust.median,
    );
    let mut facts = serde_json::Map::new();
    facts.insert("distinct_addresses".into(), count.value.into());
    facts.insert("distinct_exact".into(), count.exact.into());
    facts.insert("refused_logins".into(), window.evidence.events.into());
    facts.insert("threshold".into(), round2(bar).into());
    facts.insert(
        "basis".into(),
        match basis {
            Basis::TimeOfDay => "time_of_day",
            Basis::Preceding => "preceding_windows",
        }
        .into(),
    );
    facts.insert("baseline_windows".into(), robust.windows.into());
    facts.insert("baseline_median".into(), round2(robust.median).into());
    facts.insert("baseline_mad".into(), round2(robust.mad).into());
    facts.insert("baseline_max".into(), round2(robust.quantile).into());
    facts.insert("min_addresses".into(), config.min_addresses.into());
    facts.insert("window_ms".into(), config.window_ms.into());
    let mut ips = window.ips.clone();
    ips.sort();
    Detection {
        detector: ID,
        severity: Severity::High,
        title,
        key: "platform".to_owned(),
        principal: String::new(),
        actors: ips.into_iter().map(|ip| format!("ip:{ip}")).collect(),
        window_start_ms: start,
        window_end_ms: start.saturating_add(config.window_ms),
        events: window.evidence.events,
        first_event_ms: window.evidence.first_ms,
        last_event_ms: window.evidence.last_ms,
        sample_event_ids: window.evidence.sample_ids(),
        facts,
    }
}

impl Detector for LoginSpread {
    fn id(&self) -> &'static str {
        ID
    }

    fn observe(&mut self, event: &AccessEvent, role: EventRole, out: &mut Vec<Detection>) {
        self.state.stats.events += 1;
        let late = self.state.watermark_ms.is_some_and(|w| event.time_ms < w);
        let width = self.config.window_ms;
        if !late && self.state.since_ms.is_none_or(|s| event.time_ms < s) {
            self.state.since_ms = Some(window_start(event.time_ms, width));
        }
        if !self.is_login_refusal(event, role) {
            return;
        }
        let start = window_start(event.time_ms, width);
        if late {
            self.state.stats.late_events += 1;
            return;
        }
        let Some(ip) = event.source.ip else {
            self.state.stats.undecided += 1;
            return;
        };
        let window = self.state.open.entry(start).or_default();
        window
            .addresses
            .insert(address_hash(ip), self.config.exact_cap);
        window.evidence.add(event.time_ms, &event.event_id);
        if window.ips.len() < ADDRESSES && !window.ips.contains(&ip) {
            window.ips.push(ip);
        }
        self.check_open(start, out);
    }

    fn advance(&mut self, watermark_ms: i64, out: &mut Vec<Detection>) {
        let watermark = self
            .state
            .watermark_ms
            .map_or(watermark_ms, |w| w.max(watermark_ms));
        self.state.watermark_ms = Some(watermark);
        while let Some(entry) = self.state.open.first_entry() {
            let start = *entry.key();
            if start.saturating_add(self.config.window_ms) > watermark {
                break;
            }
            let window = entry.remove();
            self.judge(start, window, out);
        }
    }

    fn finish(&mut self, out: &mut Vec<Detection>) {
        let open = std::mem::take(&mut self.state.open);
        for (start, window) in open {
            self.judge(start, window, out);
        }
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
