//! `forged-token`: access tokens that match no issuance record.
//!
//! **What it finds.** A token presented at the gateway (an
//! [`EventRole::Access`] event with a `credential.token_id`, the JWT `jti`)
//! that the auth service never issued: no [`EventRole::Issuance`] event with
//! outcome `success` (or unstated) and the same token id, at or before the
//! access time plus a bounded clock skew.
//!
//! **Why.** This is the 2025 breach's mechanism: a departed engineer's
//! retained signing key minted tokens that the gateway accepted because it
//! never checked that a presented token had really been issued (MSIT's
//! first named cause). A validly signed token without an issuance record is
//! proof of a leaked key, whatever the traffic looks like.
//!
//! **How.** Issued token ids are remembered as 64-bit hashes for as long as
//! a token can live. An access whose token is not (yet) known is held until
//! the watermark passes its time plus the skew, then decided: issued,
//! forged, or undecided. Forged tokens are grouped per signing key id (the
//! actor is whoever holds the key) into episodes; the first forged token of
//! an episode is reported as soon as it is decided (about `skew_s` after
//! the access), and updates with the same key and window start follow while
//! the episode grows (see [`super::episodes`]).
//!
//! **Settings** ([`ForgedTokenConfig`], seconds): `skew_s` (120),
//! `max_token_life_s` (86,400), `episode_gap_s` (3,600), `update_every_s`
//! (600), `max_issued` (2,000,000 remembered tokens), `max_pending`
//! (1,000,000 held accesses), `max_episodes` (1,000).
//!
//! **False-positive guards.** A token is judged only when the issuance log
//! covers its issue time: tokens whose `iat` is before the first issuance
//! record seen, or at or before the newest record forgotten (expired after
//! `max_token_life_s` or evicted at `max_issued`), are counted `undecided`,
//! never alerted; a token without `iat` is treated as if issued
//! `max_token_life_s` before the access. Without any issuance source every
//! token is undecided, so the detector stays silent. An access held past
//! `max_pending` is undecided too. Assumes the auth service stamps `iat`
//! from the clock it logs with (`iat` ≤ its issuance record time).
//!
//! **State.** Issued tokens: about 40 bytes each, at most `max_issued`;
//! held accesses: at most `max_pending`; open episodes: at most
//! `max_episodes`, each with distinct counts capped at
//! [`DISTINCT_CAP`](super::support::DISTINCT_CAP).

use std::collections::VecDeque;

use crate::HashMap;
use std::net::IpAddr;

use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use steward_model::alert::Severity;
use steward_model::event::{AccessEvent, Outcome};
use steward_model::jurisdiction::Country;

use super::engine::{Engine, Hit, Look, Rules};
use super::episodes::{Episode, Head};
use super::support::{
    self, Spread, check_cap, check_range, episode_settings, episode_timing, hash64, ms,
};
use crate::detector::{Detection, DetectorStats, EventRole};
use crate::error::DetectError;

/// Stable id.
pub const ID: &str = "forged-token";

/// Settings of `forged-token`; durations in seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ForgedTokenConfig {
    /// Run it.
    pub enabled: bool,
    /// Clock skew between gateway and auth service: an issuance at or
    /// before the access time plus this counts.
    pub skew_s: i64,
    /// Longest a token lives after issuance; issued ids are remembered this
    /// long.
    pub max_token_life_s: i64,
    /// An episode ends after this long without a forged token.
    pub episode_gap_s: i64,
    /// Updates of an open episode at most this often.
    pub update_every_s: i64,
    /// Issued token ids remembered at most.
    pub max_issued: usize,
    /// Accesses held for a decision at most.
    pub max_pending: usize,
    /// Open episodes at most.
    pub max_episodes: usize,
}

impl Default for ForgedTokenConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            skew_s: 120,
            max_token_life_s: 86_400,
            episode_gap_s: 3_600,
            update_every_s: 600,
            max_issued: 2_000_000,
            max_pending: 1_000_000,
            max_episodes: 1_000,
        }
    }
}

episode_settings!(ForgedTokenConfig);

/// Issued token ids in arrival order, each once (a repeated id keeps its
/// first record); the index is rebuilt on restore.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Issued {
    /// (issuance time, token hash), oldest first.
    order: VecDeque<(i64, u64)>,
    #[serde(skip)]
    index: HashMap<u64, i64>,
}

impl Issued {
    fn rebuild(&mut self) {
        self.index = self.order.iter().map(|&(t, h)| (h, t)).collect();
    }

    /// Whether `hash` was issued at or before `by_ms`.
    fn issued_by(&self, hash: u64, by_ms: i64) -> bool {
        self.index.get(&hash).is_some_and(|&t| t <= by_ms)
    }

    fn insert(&mut self, time_ms: i64, hash: u64) {
        if let std::collections::hash_map::Entry::Vacant(v) = self.index.entry(hash) {
            v.insert(time_ms);
            self.order.push_back((time_ms, hash));
        }
    }

    /// Forgets the oldest record; returns its time.
    fn pop_oldest(&mut self) -> Option<i64> {
        let (t, h) = self.order.pop_front()?;
        self.index.remove(&h);
        Some(t)
    }

    fn oldest(&self) -> Option<i64> {
        self.order.front().map(|&(t, _)| t)
    }

    fn len(&self) -> usize {
        self.order.len()
    }
}

/// An access whose token is not known as issued yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    time_ms: i64,
    event_id: CompactString,
    token: u64,
    key_id: Option<CompactString>,
    principal: u64,
    ip: Option<IpAddr>,
    country: Option<Country>,
    iat_ms: Option<i64>,
}

/// What is kept between events besides the episodes.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    /// Time of the first issuance record seen.
    first_issuance_ms: Option<i64>,
    /// Time of the newest issuance record forgotten.
    forgotten_ms: Option<i64>,
    issued: Issued,
    pending: VecDeque<Pending>,
}

impl State {
    fn forget_oldest(&mut self) {
        if let Some(t) = self.issued.pop_oldest() {
            self.forgotten_ms = Some(self.forgotten_ms.map_or(t, |f| f.max(t)));
        }
    }

    /// The earliest `iat` the remembered issuance records cover.
    fn coverage_ms(&self) -> Option<i64> {
        let first = self.first_issuance_ms?;
        Some(
            self.forgotten_ms
                .map_or(first, |f| first.max(f.saturating_add(1))),
        )
    }
}

/// The `forged-token` rules.
#[derive(Debug, Clone)]
pub struct ForgedTokenRules {
    config: ForgedTokenConfig,
}

/// The `forged-token` detector.
pub type ForgedToken = Engine<ForgedTokenRules>;

impl ForgedToken {
    /// A detector with `config`.
    ///
    /// # Errors
    /// A setting is out of range.
    pub fn new(config: &ForgedTokenConfig) -> Result<Self, DetectError> {
        check_range(ID, "skew_s", config.skew_s, 0, 3_600)?;
        check_range(
            ID,
            "max_token_life_s",
            config.max_token_life_s,
            60,
            400 * 86_400,
        )?;
        check_cap(ID, "max_issued", config.max_issued)?;
        check_cap(ID, "max_pending", config.max_pending)?;
        let timing = episode_timing(ID, config)?;
        Ok(Self::with_rules(
            ForgedTokenRules {
                config: config.clone(),
            },
            timing,
        ))
    }
}

impl ForgedTokenRules {
    fn skew_ms(&self) -> i64 {
        ms(self.config.skew_s)
    }

    /// Decides one held access.
    fn decide(&self, state: &State, stats: &mut DetectorStats, p: Pending) -> Option<Hit<Pending>> {
        if state
            .issued
            .issued_by(p.token, p.time_ms.saturating_add(self.skew_ms()))
        {
            return None;
        }
        let iat = p
            .iat_ms
            .unwrap_or_else(|| p.time_ms.saturating_sub(ms(self.config.max_token_life_s)));
        if state.coverage_ms().is_none_or(|c| iat < c) {
            stats.undecided += 1;
            return None;
        }
        Some(Hit {
            key: p.key_id.as_deref().unwrap_or("-").into(),
            held: Some((p.time_ms, p.event_id.clone())),
            mark: p,
        })
    }

    /// Forgets issuance records no held or future access can need.
    fn expire(&self, state: &mut State, watermark_ms: i64) {
        let skew = self.skew_ms();
        let oldest_pending = state.pending.front().map_or(i64::MAX, |p| p.time_ms);
        let horizon = watermark_ms
            .saturating_sub(skew)
            .min(oldest_pending)
            .saturating_sub(ms(self.config.max_token_life_s))
            .saturating_sub(skew);
        while state.issued.oldest().is_some_and(|t| t < horizon) {
            state.forget_oldest();
        }
    }
}

impl Rules for ForgedTokenRules {
    const ID: &'static str = ID;
    const SETTLES: bool = true;
    type Facts = Spread;
    type State = State;
    type Mark = Pending;

    fn judge(&self, state: &mut State, look: Look<'_, Pending>) {
        let Look {
            event, role, stats, ..
        } = look;
        let Some(jti) = event
            .credential
            .token_id
            .as_deref()
            .filter(|j| !j.is_empty())
        else {
            return;
        };
        let token = hash64(jti);
        match role {
            EventRole::Issuance => {
                // A record with a token id whose outcome the log does not
                // state still issued it; only stated failures do not count.
                if !matches!(event.outcome, Outcome::Success | Outcome::Unknown) {
                    return;
                }
                state.first_issuance_ms = Some(
                    state
                        .first_issuance_ms
                        .map_or(event.time_ms, |f| f.min(event.time_ms)),
                );
                state.issued.insert(event.time_ms, token);
                while state.issued.len() > self.config.max_issued {
                    state.forget_oldest();
                    stats.evicted += 1;
                }
            }
            EventRole::Access => {
                let by = event.time_ms.saturating_add(self.skew_ms());
                if state.issued.issued_by(token, by) {
                    return;
                }
                if state.pending.len() >= self.config.max_pending {
                    state.pending.pop_front();
                    stats.evicted += 1;
                    stats.undecided += 1;
                }
                state.pending.push_back(Pending {
                    time_ms: event.time_ms,
                    event_id: CompactString::from(event.event_id.as_str()),
                    token,
                    key_id: event.credential.key_id.as_deref().map(CompactString::from),
                    principal: hash64(&event.principal.id),
                    ip: event.source.ip,
                    country: event.source.country,
                    iat_ms: event.credential.issued_at_ms,
                });
            }
        }
    }

    /// Decides held accesses with `time + skew < watermark` (all when
    /// `None`), then forgets what no decision can need any more.
    fn settle(
        &self,
        state: &mut State,
        stats: &mut DetectorStats,
        watermark_ms: Option<i64>,
        hits: &mut Vec<Hit<Pending>>,
    ) {
        let skew = self.skew_ms();
        while let Some(front) = state.pending.front() {
            if watermark_ms.is_some_and(|w| front.time_ms.saturating_add(skew) >= w) {
                break;
            }
            if let Some(p) = state.pending.pop_front() {
                hits.extend(self.decide(state, stats, p));
            }
        }
        if let Some(w) = watermark_ms {
            self.expire(state, w);
        }
    }

    /// Every access at or before this instant is decided.
    fn decided_to(&self, watermark_ms: i64) -> i64 {
        watermark_ms.saturating_sub(self.skew_ms().saturating_add(1))
    }

    fn update(&self, facts: &mut Spread, p: &Pending, _event: Option<(&AccessEvent, EventRole)>) {
        facts.add(Some(p.token), p.principal, p.ip, p.country);
    }

    fn render(&self, key: &str, ep: &Episode<Spread>) -> Detection {
        let mut facts = support::object(serde_json::json!({
            "key_id": key,
            "skew_s": self.config.skew_s,
        }));
        ep.facts.write("forged_tokens", &mut facts);
        let mut actors = vec![format!("key:{key}")];
        actors.extend(ep.facts.ip_actors());
        ep.detection(Head {
            detector: ID,
            severity: Severity::Critical,
            title: format!("Access tokens that match no issuance record, signed with key {key}"),
            key: key.to_owned(),
            principal: String::new(),
            actors,
            facts,
        })
    }

    fn restored(state: &mut State) {
        state.issued.rebuild();
    }
}

#[cfg(test)]
#[path = "forged_token_tests.rs"]
mod tests;
