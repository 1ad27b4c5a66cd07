//! `geo-travel`: a principal in a new country, or in two countries too far
//! apart for the time between its events.
//!
//! **What it finds.**
//!
//! - `new-country` (medium): an event from a country the principal was not
//!   seen in during its learning period (`learning_s` from the first time it
//!   is seen). Principals seen for less than the learning period are not
//!   judged. A new country stays evidence while it keeps appearing; after
//!   `episode_gap_s` without it, it counts as known.
//! - `impossible-travel` (high): two consecutive located events of a
//!   principal from different countries whose distance (between the
//!   countries' representative points, see [`super::geo`]) could not be
//!   covered in the time between them at `speed_kmh` plus `slack_s`.
//!
//! One detection per principal per kind per episode.
//!
//! **Why.** A staff account, service or partner API key used from abroad is
//! how stolen credentials show (the 2025 breach came through overseas
//! servers, which nobody flagged; the scraper replay uses a leaked partner
//! key from many countries). Successful issuance records count as locations
//! too.
//!
//! **Settings** ([`GeoTravelConfig`], seconds): `kinds` (`staff`,
//! `service`, `api_key`), `learning_s` (604,800 = 7 days), `speed_kmh`
//! (900), `slack_s` (3,600), `min_distance_km` (500), `episode_gap_s`
//! (86,400), `update_every_s` (600), `max_principals` (100,000),
//! `max_episodes` (10,000).
//!
//! **False-positive guards.** Customers are left out by default: they travel
//! and roam, and a customer base is too large to learn. Learning before
//! judging new countries; a one-hour slack and a 500 km floor for travel
//! (neighbouring countries, coarse country points); events without a known
//! country, and countries without a point, are not judged for travel.
//!
//! **State.** Per principal: first and last seen, known countries, new
//! countries and the last location; at most `max_principals` (the least
//! recently seen tenth is dropped at the cap, counted as evicted, and
//! relearns). Open episodes at most `max_episodes`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use steward_model::alert::Severity;
use steward_model::event::{AccessEvent, PrincipalKind};
use steward_model::jurisdiction::Country;

use super::engine::{Engine, Hit, Look, Rules};
use super::episodes::{Episode, Head};
use super::geo::distance_km;
use super::support::{
    self, FirstIps, check_cap, check_range, country_codes, episode_settings, episode_timing, ms,
};
use crate::detector::{Detection, DetectorStats, EventRole};
use crate::error::DetectError;

/// Stable id.
pub const ID: &str = "geo-travel";

const NEW_COUNTRY: &str = "new-country";
const IMPOSSIBLE: &str = "impossible-travel";

/// Settings of `geo-travel`; durations in seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GeoTravelConfig {
    /// Run it.
    pub enabled: bool,
    /// Principal kinds judged.
    pub kinds: Vec<PrincipalKind>,
    /// Countries seen this long after a principal is first seen are its
    /// known ones.
    pub learning_s: i64,
    /// Fastest plausible travel, km/h.
    pub speed_kmh: i64,
    /// Added to the travel time.
    pub slack_s: i64,
    /// Countries closer than this are never impossible travel.
    pub min_distance_km: i64,
    /// An episode ends after this long without evidence; a new country
    /// not seen for this long counts as known.
    pub episode_gap_s: i64,
    /// Updates of an open episode at most this often.
    pub update_every_s: i64,
    /// Principals tracked at most.
    pub max_principals: usize,
    /// Open episodes at most.
    pub max_episodes: usize,
}

impl Default for GeoTravelConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            kinds: vec![
                PrincipalKind::Staff,
                PrincipalKind::Service,
                PrincipalKind::ApiKey,
            ],
            learning_s: 7 * 86_400,
            speed_kmh: 900,
            slack_s: 3_600,
            min_distance_km: 500,
            episode_gap_s: 86_400,
            update_every_s: 600,
            max_principals: 100_000,
            max_episodes: 10_000,
        }
    }
}

episode_settings!(GeoTravelConfig);

/// One located event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Place {
    time_ms: i64,
    country: Country,
}

/// What is known of one principal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Track {
    first_ms: i64,
    last_ms: i64,
    known: BTreeSet<Country>,
    /// New countries still counted as evidence, with when last seen.
    flagged: BTreeMap<Country, i64>,
    last_place: Option<Place>,
}

/// Principals tracked, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    tracks: BTreeMap<String, Track>,
}

/// A pair of events too far apart for the time between them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    from: Country,
    to: Country,
    distance_km: u64,
    minutes: u64,
    implied_kmh: u64,
}

/// What an event showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sighting {
    /// An impossible hop from the previous location.
    Hop(Hop),
    /// A new country; the known ones.
    New(Country, BTreeSet<Country>),
}

/// Figures of one episode.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    kind: PrincipalKind,
    /// New countries, or the countries of impossible hops.
    countries: BTreeSet<Country>,
    /// Known countries when the episode opened.
    known: BTreeSet<Country>,
    hops: u64,
    fastest: Option<Hop>,
    first_ips: FirstIps,
}

/// The `geo-travel` rules.
#[derive(Debug, Clone)]
pub struct GeoTravelRules {
    config: GeoTravelConfig,
}

/// The `geo-travel` detector.
pub type GeoTravel = Engine<GeoTravelRules>;

impl GeoTravel {
    /// A detector with `config`.
    ///
    /// # Errors
    /// A setting is out of range.
    pub fn new(config: &GeoTravelConfig) -> Result<Self, DetectError> {
        check_range(ID, "learning_s", config.learning_s, 0, 400 * 86_400)?;
        check_range(ID, "speed_kmh", config.speed_kmh, 1, 100_000)?;
        check_range(ID, "slack_s", config.slack_s, 0, 7 * 86_400)?;
        check_range(ID, "min_distance_km", config.min_distance_km, 0, 40_000)?;
        check_cap(ID, "max_principals", config.max_principals)?;
        let timing = episode_timing(ID, config)?;
        Ok(Self::with_rules(
            GeoTravelRules {
                config: config.clone(),
            },
            timing,
        ))
    }
}

impl GeoTravelRules {
    /// The hop from `prev` to `place` when it is too fast.
    fn hop(&self, prev: Place, place: Place) -> Option<Hop> {
        if prev.country == place.country {
            return None;
        }
        let km = distance_km(prev.country, place.country)?;
        let dt = place.time_ms.saturating_sub(prev.time_ms).unsigned_abs();
        let travel_ms = km / self.config.speed_kmh as f64 * 3_600_000.0;
        let slack_ms = ms(self.config.slack_s) as f64;
        if km < self.config.min_distance_km as f64 || dt as f64 >= travel_ms + slack_ms {
            return None;
        }
        let hours = dt.max(60_000) as f64 / 3_600_000.0;
        Some(Hop {
            from: prev.country,
            to: place.country,
            distance_km: km.round() as u64,
            minutes: dt / 60_000,
            implied_kmh: (km / hours).round() as u64,
        })
    }

    /// Whether `country` is new for `track` at `time_ms` (learning it
    /// during the learning period, and once flagged and quiet for a gap).
    fn is_new(&self, track: &mut Track, country: Country, time_ms: i64) -> bool {
        if time_ms < track.first_ms.saturating_add(ms(self.config.learning_s)) {
            track.known.insert(country);
            return false;
        }
        if track.known.contains(&country) {
            return false;
        }
        if track
            .flagged
            .get(&country)
            .is_some_and(|&last| time_ms.saturating_sub(last) > ms(self.config.episode_gap_s))
        {
            track.flagged.remove(&country);
            track.known.insert(country);
            return false;
        }
        track.flagged.insert(country, time_ms);
        true
    }

    /// Drops the least recently seen tenth of the principals.
    fn evict(state: &mut State, stats: &mut DetectorStats) {
        let mut by_age: Vec<(i64, String)> = state
            .tracks
            .iter()
            .map(|(id, t)| (t.last_ms, id.clone()))
            .collect();
        by_age.sort();
        let drop = (by_age.len() / 10).max(1);
        for (_, id) in by_age.into_iter().take(drop) {
            state.tracks.remove(&id);
            stats.evicted += 1;
        }
    }
}

impl Rules for GeoTravelRules {
    const ID: &'static str = ID;
    type Facts = Facts;
    type State = State;
    type Mark = Sighting;

    fn judge(&self, state: &mut State, look: Look<'_, Sighting>) {
        let Some(id) = look.acting_principal() else {
            return;
        };
        let Look {
            event, stats, hits, ..
        } = look;
        if !self.config.kinds.contains(&event.principal.kind) {
            return;
        }
        let Some(country) = event.source.country else {
            return;
        };
        let place = Place {
            time_ms: event.time_ms,
            country,
        };
        // A known principal is found without building an owned key.
        if !state.tracks.contains_key(id) {
            if state.tracks.len() >= self.config.max_principals {
                Self::evict(state, stats);
            }
            state.tracks.insert(
                id.to_owned(),
                Track {
                    first_ms: place.time_ms,
                    last_ms: place.time_ms,
                    known: BTreeSet::new(),
                    flagged: BTreeMap::new(),
                    last_place: None,
                },
            );
        }
        let Some(track) = state.tracks.get_mut(id) else {
            return;
        };
        track.last_ms = track.last_ms.max(place.time_ms);
        if let Some(hop) = track.last_place.and_then(|prev| self.hop(prev, place)) {
            hits.push(Hit::now(format!("{IMPOSSIBLE}:{id}"), Sighting::Hop(hop)));
        }
        if track.last_place.is_none_or(|p| place.time_ms >= p.time_ms) {
            track.last_place = Some(place);
        }
        if self.is_new(track, country, place.time_ms) {
            let known = track.known.clone();
            hits.push(Hit::now(
                format!("{NEW_COUNTRY}:{id}"),
                Sighting::New(country, known),
            ));
        }
    }

    fn update(&self, f: &mut Facts, sighting: &Sighting, event: Option<(&AccessEvent, EventRole)>) {
        if let Some((event, _)) = event {
            f.kind = event.principal.kind;
            f.first_ips.add(event.source.ip);
        }
        match sighting {
            Sighting::Hop(hop) => {
                f.hops += 1;
                f.countries.insert(hop.from);
                f.countries.insert(hop.to);
                if f.fastest
                    .as_ref()
                    .is_none_or(|h| hop.implied_kmh > h.implied_kmh)
                {
                    f.fastest = Some(hop.clone());
                }
            }
            Sighting::New(country, known) => {
                if f.countries.is_empty() {
                    f.known.clone_from(known);
                }
                f.countries.insert(*country);
            }
        }
    }

    fn render(&self, key: &str, ep: &Episode<Facts>) -> Detection {
        let (what, id) = key.split_once(':').unwrap_or((key, ""));
        let f = &ep.facts;
        let mut facts = support::object(serde_json::json!({
            "principal_kind": f.kind,
        }));
        let (severity, title) = if what == IMPOSSIBLE {
            facts.insert("hops".into(), f.hops.into());
            facts.insert("countries".into(), country_codes(&f.countries));
            facts.insert(
                "fastest".into(),
                serde_json::to_value(&f.fastest).unwrap_or_default(),
            );
            (
                Severity::High,
                "Impossible travel between countries".to_owned(),
            )
        } else {
            facts.insert("new_countries".into(), country_codes(&f.countries));
            facts.insert("known_countries".into(), country_codes(&f.known));
            (
                Severity::Medium,
                "Activity from a new country after the learning period".to_owned(),
            )
        };
        let actor = if f.kind == PrincipalKind::ApiKey {
            format!("api_key:{id}")
        } else {
            format!("principal:{id}")
        };
        let mut actors = vec![actor];
        actors.extend(f.first_ips.actors());
        ep.detection(Head {
            detector: ID,
            severity,
            title,
            key: key.to_owned(),
            principal: id.to_owned(),
            actors,
            facts,
        })
    }
}

#[cfg(test)]
#[path = "geo_travel_tests.rs"]
mod tests;
