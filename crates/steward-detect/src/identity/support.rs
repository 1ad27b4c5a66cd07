//! Helpers the identity detectors share: stable hashes, capped distinct
//! counts, checkpoint envelopes, HR departure instants and setting checks.

use std::collections::BTreeSet;
use std::net::IpAddr;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use steward_model::event::AccessEvent;
use steward_model::jurisdiction::Country;
use steward_model::manifest::StaffMember;

use super::episodes::Timing;
use crate::HashSet;
use crate::context::day_start_ms;
use crate::error::DetectError;

/// Version of every identity detector's saved state; a checkpoint of another
/// version is refused. Version 2: [`hash64`] reads eight bytes at a time and
/// IP addresses are hashed from their bytes.
pub const STATE_VERSION: u32 = 2;

/// Distinct values (token ids, principals, IPs) counted exactly per
/// episode; beyond this the count is a lower bound and the detection says
/// so with a `*_capped` fact.
pub const DISTINCT_CAP: usize = 65_536;

/// Source IPs named as actors per detection.
pub const ACTOR_IPS: usize = 3;

/// A stable 64-bit hash of a text (eight bytes at a time, then a murmur3
/// finaliser): the same on every platform and Rust version, so checkpoints
/// stay valid.
#[must_use]
pub fn hash64(text: &str) -> u64 {
    hash_bytes(text.as_bytes())
}

/// [`hash64`] of raw bytes.
#[must_use]
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ (bytes.len() as u64).wrapping_mul(K);
    let mut words = bytes.chunks_exact(8);
    for w in words.by_ref() {
        let mut a = [0u8; 8];
        a.copy_from_slice(w);
        h = (h ^ u64::from_le_bytes(a)).wrapping_mul(K).rotate_left(29);
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        h = (h ^ steward_model::bytes::le_word(rest))
            .wrapping_mul(K)
            .rotate_left(29);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// [`hash_bytes`] of an address's bytes (4 or 16, so the two families
/// never collide by construction of the length).
#[must_use]
pub fn ip_hash(ip: IpAddr) -> u64 {
    match ip {
        IpAddr::V4(v4) => hash_bytes(&v4.octets()),
        IpAddr::V6(v6) => hash_bytes(&v6.octets()),
    }
}

/// Seconds to milliseconds, saturating.
#[must_use]
pub const fn ms(seconds: i64) -> i64 {
    seconds.saturating_mul(1000)
}

/// A distinct count over hashed values, exact up to [`DISTINCT_CAP`]. Saved
/// as a sorted list, so a checkpoint does not depend on hash order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "SavedDistinct", into = "SavedDistinct")]
pub struct Distinct {
    values: HashSet<u64>,
    capped: bool,
}

#[derive(Serialize, Deserialize)]
struct SavedDistinct {
    values: Vec<u64>,
    capped: bool,
}

impl From<Distinct> for SavedDistinct {
    fn from(d: Distinct) -> Self {
        let mut values: Vec<u64> = d.values.into_iter().collect();
        values.sort_unstable();
        Self {
            values,
            capped: d.capped,
        }
    }
}

impl From<SavedDistinct> for Distinct {
    fn from(s: SavedDistinct) -> Self {
        Self {
            values: s.values.into_iter().take(DISTINCT_CAP).collect(),
            capped: s.capped,
        }
    }
}

impl Distinct {
    /// Counts `value` (hashed).
    pub fn insert(&mut self, value: &str) {
        self.insert_hash(hash64(value));
    }

    /// Counts an already hashed value.
    pub fn insert_hash(&mut self, hash: u64) {
        if self.values.len() < DISTINCT_CAP {
            self.values.insert(hash);
        } else if !self.values.contains(&hash) {
            self.capped = true;
        }
    }

    /// Values counted (a lower bound when [`Self::capped`]).
    #[must_use]
    pub fn count(&self) -> usize {
        self.values.len()
    }

    /// Whether values were left uncounted at the cap.
    #[must_use]
    pub const fn capped(&self) -> bool {
        self.capped
    }
}

/// The first few distinct source IPs of an episode, for `ip:` actors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstIps(Vec<IpAddr>);

impl FirstIps {
    /// Keeps `ip` when it is new and there is room.
    pub fn add(&mut self, ip: Option<IpAddr>) {
        if let Some(ip) = ip
            && self.0.len() < ACTOR_IPS
            && !self.0.contains(&ip)
        {
            self.0.push(ip);
        }
    }

    /// `ip:<addr>` actors, in the order first seen.
    pub fn actors(&self) -> impl Iterator<Item = String> + '_ {
        self.0.iter().map(|ip| format!("ip:{ip}"))
    }
}

/// Who and where an episode's events came from: distinct tokens,
/// principals and source IPs (counted, never listed), the countries, and the
/// first few IPs for actors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spread {
    tokens: Distinct,
    principals: Distinct,
    ips: Distinct,
    first_ips: FirstIps,
    countries: BTreeSet<Country>,
}

impl Spread {
    /// Adds one event's credential and source.
    pub fn add_event(&mut self, event: &AccessEvent) {
        self.add(
            event.credential.token_id.as_deref().map(hash64),
            hash64(&event.principal.id),
            event.source.ip,
            event.source.country,
        );
    }

    /// Adds hashed token and principal ids and a source.
    pub fn add(
        &mut self,
        token: Option<u64>,
        principal: u64,
        ip: Option<IpAddr>,
        country: Option<Country>,
    ) {
        if let Some(t) = token {
            self.tokens.insert_hash(t);
        }
        self.principals.insert_hash(principal);
        if let Some(ip) = ip {
            self.ips.insert_hash(ip_hash(ip));
        }
        self.first_ips.add(ip);
        self.countries.extend(country);
    }

    /// Writes the counts (`<tokens_name>`, `principals`, `source_ips`, with
    /// `*_capped` when a count is a lower bound) and `countries`.
    pub fn write(&self, tokens_name: &str, facts: &mut serde_json::Map<String, serde_json::Value>) {
        for (name, d) in [
            (tokens_name, &self.tokens),
            ("principals", &self.principals),
            ("source_ips", &self.ips),
        ] {
            facts.insert(name.to_owned(), d.count().into());
            if d.capped() {
                facts.insert(format!("{name}_capped"), true.into());
            }
        }
        facts.insert("countries".to_owned(), country_codes(&self.countries));
    }

    /// `ip:<addr>` actors for the first few source IPs.
    pub fn ip_actors(&self) -> impl Iterator<Item = String> + '_ {
        self.first_ips.actors()
    }
}

/// Country codes as a JSON array, in code order.
#[must_use]
pub fn country_codes(countries: &BTreeSet<Country>) -> serde_json::Value {
    countries
        .iter()
        .map(Country::code)
        .collect::<Vec<_>>()
        .into()
}

/// A JSON object from `json!({...})`.
#[must_use]
pub fn object(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match value {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

/// The first instant (epoch ms) a staff member counts as departed: the
/// start (UTC) of the day after their HR end date, their last day.
///
/// `None` when they have no end date, or when the end date falls before
/// the start date: the roster then describes a rehire (left, came back),
/// and the person is treated as employed.
#[must_use]
pub fn departed_from_ms(member: &StaffMember) -> Option<i64> {
    let end = member.end_date?;
    if end < member.start_date {
        return None;
    }
    let next = end.tomorrow().ok()?;
    Some(day_start_ms(next))
}

/// Days after a last working day at `time_ms`, given the instant the
/// person counts as departed ([`departed_from_ms`]): 1 on the day after the
/// end date, 2 the day after that, and so on (0 before).
#[must_use]
pub const fn days_after(departed_ms: i64, time_ms: i64) -> i64 {
    let d = time_ms.saturating_sub(departed_ms);
    if d < 0 { 0 } else { d / 86_400_000 + 1 }
}

/// A detector's saved state: its id and the state version around the
/// state itself, so a checkpoint of another detector or version is refused.
#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    detector: String,
    version: u32,
    state: T,
}

/// Serialises `state` for detector `id`.
///
/// # Errors
/// The state does not serialise.
pub fn save_state<T: Serialize>(
    id: &'static str,
    state: &T,
) -> Result<serde_json::Value, DetectError> {
    serde_json::to_value(Envelope {
        detector: id.to_owned(),
        version: STATE_VERSION,
        state,
    })
    .map_err(|e| DetectError::State {
        detector: id,
        message: e.to_string(),
    })
}

/// Reads a state saved by [`save_state`] for detector `id`.
///
/// # Errors
/// The value is another detector's, another version's, or malformed.
pub fn restore_state<T: DeserializeOwned>(
    id: &'static str,
    value: serde_json::Value,
) -> Result<T, DetectError> {
    let bad = |message: String| DetectError::State {
        detector: id,
        message,
    };
    let envelope: Envelope<T> = serde_json::from_value(value).map_err(|e| bad(e.to_string()))?;
    if envelope.detector != id {
        return Err(bad(format!("saved by detector `{}`", envelope.detector)));
    }
    if envelope.version != STATE_VERSION {
        return Err(bad(format!(
            "version {} (this build reads {STATE_VERSION})",
            envelope.version
        )));
    }
    Ok(envelope.state)
}

/// Checks that a setting lies in `min..=max`.
///
/// # Errors
/// [`DetectError::Config`] naming the setting.
pub fn check_range(
    detector: &'static str,
    name: &str,
    value: i64,
    min: i64,
    max: i64,
) -> Result<(), DetectError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(DetectError::Config {
            detector,
            message: format!("`{name}` is {value}, must be between {min} and {max}"),
        })
    }
}

/// The episode settings every identity detector has.
pub trait EpisodeSettings {
    /// `episode_gap_s`, `update_every_s` and `max_episodes`.
    fn episode_settings(&self) -> (i64, i64, usize);
}

/// Implements [`EpisodeSettings`] for a config with the three fields.
macro_rules! episode_settings {
    ($config:ty) => {
        impl $crate::identity::support::EpisodeSettings for $config {
            fn episode_settings(&self) -> (i64, i64, usize) {
                (self.episode_gap_s, self.update_every_s, self.max_episodes)
            }
        }
    };
}
pub(crate) use episode_settings;

/// Checks a detector's episode settings and returns their [`Timing`].
///
/// # Errors
/// [`DetectError::Config`] naming the setting.
pub fn episode_timing(
    detector: &'static str,
    config: &impl EpisodeSettings,
) -> Result<Timing, DetectError> {
    let (episode_gap_s, update_every_s, max_episodes) = config.episode_settings();
    check_range(detector, "episode_gap_s", episode_gap_s, 1, 400 * 86_400)?;
    check_range(detector, "update_every_s", update_every_s, 1, 86_400)?;
    check_cap(detector, "max_episodes", max_episodes)?;
    Ok(Timing {
        gap_ms: ms(episode_gap_s),
        update_ms: ms(update_every_s),
        cap: max_episodes,
    })
}

/// Checks that a cap is at least 1.
///
/// # Errors
/// [`DetectError::Config`] naming the setting.
pub fn check_cap(detector: &'static str, name: &str, value: usize) -> Result<(), DetectError> {
    if value == 0 {
        Err(DetectError::Config {
            detector,
            message: format!("`{name}` must be at least 1"),
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_stable() {
        assert_eq!(hash64("a"), hash64("a"));
        assert_ne!(hash64("a"), hash64("b"));
        // Pinned: a changed hash would invalidate saved checkpoints (and
        // must come with a new STATE_VERSION).
        assert_eq!(hash64("jti-1"), 0x3806_d0d8_7e24_ad14);
        // Every length, and trailing NULs, give distinct hashes.
        let texts: Vec<String> = (0..40).map(|n| "x".repeat(n)).collect();
        let mut seen: BTreeSet<u64> = texts.iter().map(|t| hash64(t)).collect();
        seen.insert(hash64("x\0"));
        seen.insert(hash64("x\0\0\0\0\0\0\0\0"));
        assert_eq!(seen.len(), 42);
        let v4 = IpAddr::from([10, 0, 0, 7]);
        let v6 = IpAddr::from([0u16, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0007]);
        assert_ne!(ip_hash(v4), ip_hash(v6));
        assert_eq!(ip_hash(v4), hash_bytes(&[10, 0, 0, 7]));
    }

    #[test]
    fn departure_is_the_day_after_the_end_date_unless_rehired() {
        let member = |start, end| StaffMember {
            employee_id: "E1".into(),
            name: "n".into(),
            role: "r".into(),
            team: "t".into(),
            start_date: start,
            end_date: end,
        };
        let d = jiff::civil::date;
        assert_eq!(
            departed_from_ms(&member(d(2020, 1, 1), Some(d(1970, 1, 1)))),
            None
        );
        assert_eq!(
            departed_from_ms(&member(d(1969, 1, 1), Some(d(1970, 1, 1)))),
            Some(86_400_000)
        );
        assert_eq!(departed_from_ms(&member(d(1969, 1, 1), None)), None);
    }

    #[test]
    fn envelopes_refuse_other_detectors_and_versions() {
        let v = save_state("a", &5_u32).unwrap();
        assert_eq!(restore_state::<u32>("a", v.clone()).unwrap(), 5);
        assert!(restore_state::<u32>("b", v).is_err());
        let old = serde_json::json!({"detector": "a", "version": 0, "state": 5});
        assert!(restore_state::<u32>("a", old).is_err());
    }
}
