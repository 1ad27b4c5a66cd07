//! `signing-key`: tokens signed with a key the manifest does not know, a
//! retired key, or issued outside their key's life.
//!
//! **What it finds.** An event whose credential names a signing key id
//! (`kid`) that is
//!
//! - `unknown`: not among the manifest's `signing_keys` (critical);
//! - `retired`: the event is on or after the key's `retired` date, when
//!   the gateway should no longer accept it (critical);
//! - `iat-outside-life`: the token's issued-at is before the key's
//!   `created` date, or after its `rotated` date, when it should no longer
//!   sign new tokens (high).
//!
//! Access and issuance events are both checked: an issuance record with
//! such a key means the auth service itself signs with it.
//!
//! **Why.** A key the manifest does not list, or one that should be dead,
//! still validating tokens is key-management failure of the kind MSIT named
//! in the 2025 breach (no revocation, keys valid for years); tokens dated
//! outside a key's life are minted by someone holding the key, not by the
//! auth service, which signs with the current key.
//!
//! **Settings** ([`SigningKeyConfig`], seconds): `episode_gap_s` (3,600),
//! `update_every_s` (600), `max_episodes` (1,000). One detection per
//! (key id, reason) episode.
//!
//! **False-positive guards.** Silent when the manifest lists no keys (no
//! inventory, nothing to compare with). Dates are whole UTC days: a key is
//! retired from the start of its `retired` day, alive for tokens issued from
//! the start of its `created` day up to the end of its `rotated` day (the day
//! of the switch may still sign with the old key). Tokens without `iat` are
//! not judged on key life. One reason per event, the gravest first
//! (unknown, retired, iat outside life).
//!
//! **State.** Open episodes only (at most `max_episodes`), each with
//! distinct counts capped at [`DISTINCT_CAP`](super::support::DISTINCT_CAP).

use crate::HashMap;

use serde::{Deserialize, Serialize};
use steward_model::alert::Severity;
use steward_model::event::AccessEvent;

use super::engine::{Engine, Hit, Look, Rules};
use super::episodes::{Episode, Head};
use super::support::{self, Spread, episode_settings, episode_timing};
use crate::context::{Context, day_start_ms};
use crate::detector::{Detection, EventRole};
use crate::error::DetectError;

/// Stable id.
pub const ID: &str = "signing-key";

/// Settings of `signing-key`; durations in seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SigningKeyConfig {
    /// Run it.
    pub enabled: bool,
    /// An episode ends after this long without another such token.
    pub episode_gap_s: i64,
    /// Updates of an open episode at most this often.
    pub update_every_s: i64,
    /// Open episodes at most.
    pub max_episodes: usize,
}

impl Default for SigningKeyConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            episode_gap_s: 3_600,
            update_every_s: 600,
            max_episodes: 1_000,
        }
    }
}

episode_settings!(SigningKeyConfig);

/// A key's life in epoch ms.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Life {
    /// Start of the `created` day.
    created_ms: i64,
    /// End of the `rotated` day.
    rotated_end_ms: Option<i64>,
    /// Start of the `retired` day.
    retired_ms: Option<i64>,
    /// The manifest's dates, for the facts.
    dates: serde_json::Value,
}

/// Why a key use is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The manifest does not list the key.
    Unknown,
    /// Used on or after its retirement day.
    Retired,
    /// Issued before its creation day.
    BeforeCreated,
    /// Issued after its rotation day.
    AfterRotated,
}

impl Reason {
    const fn name(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Retired => "retired",
            Self::BeforeCreated | Self::AfterRotated => "iat-outside-life",
        }
    }
}

/// Figures of one (key, reason) episode.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    spread: Spread,
    issuance_events: u64,
    before_created: u64,
    after_rotated: u64,
    iat_min_ms: Option<i64>,
    iat_max_ms: Option<i64>,
}

/// The `signing-key` rules.
#[derive(Debug, Clone)]
pub struct SigningKeyRules {
    keys: HashMap<String, Life>,
}

/// The `signing-key` detector.
pub type SigningKeyCheck = Engine<SigningKeyRules>;

impl SigningKeyCheck {
    /// A detector over the context's signing keys.
    ///
    /// # Errors
    /// A setting is out of range.
    pub fn new(context: &Context, config: &SigningKeyConfig) -> Result<Self, DetectError> {
        let timing = episode_timing(ID, config)?;
        let keys = context
            .keys()
            .map(|k| {
                let life = Life {
                    created_ms: day_start_ms(k.created),
                    rotated_end_ms: k.rotated.and_then(|d| d.tomorrow().ok()).map(day_start_ms),
                    retired_ms: k.retired.map(day_start_ms),
                    dates: serde_json::json!({
                        "created": k.created.to_string(),
                        "rotated": k.rotated.map(|d| d.to_string()),
                        "retired": k.retired.map(|d| d.to_string()),
                    }),
                };
                (k.id.clone(), life)
            })
            .collect();
        Ok(Self::with_rules(SigningKeyRules { keys }, timing))
    }
}

impl SigningKeyRules {
    fn reason(&self, kid: &str, event: &AccessEvent) -> Option<Reason> {
        let Some(life) = self.keys.get(kid) else {
            return (!self.keys.is_empty()).then_some(Reason::Unknown);
        };
        if life.retired_ms.is_some_and(|r| event.time_ms >= r) {
            return Some(Reason::Retired);
        }
        let iat = event.credential.issued_at_ms?;
        if iat < life.created_ms {
            Some(Reason::BeforeCreated)
        } else if life.rotated_end_ms.is_some_and(|r| iat >= r) {
            Some(Reason::AfterRotated)
        } else {
            None
        }
    }
}

impl Rules for SigningKeyRules {
    const ID: &'static str = ID;
    type Facts = Facts;
    type State = ();
    type Mark = Reason;

    fn judge(&self, _state: &mut (), look: Look<'_, Reason>) {
        let Look { event, hits, .. } = look;
        let Some(kid) = event.credential.key_id.as_deref().filter(|k| !k.is_empty()) else {
            return;
        };
        if let Some(reason) = self.reason(kid, event) {
            hits.push(Hit::now(format!("{kid}:{}", reason.name()), reason));
        }
    }

    fn update(&self, f: &mut Facts, reason: &Reason, event: Option<(&AccessEvent, EventRole)>) {
        let Some((event, role)) = event else {
            return;
        };
        f.spread.add_event(event);
        if role == EventRole::Issuance {
            f.issuance_events += 1;
        }
        match reason {
            Reason::BeforeCreated => f.before_created += 1,
            Reason::AfterRotated => f.after_rotated += 1,
            Reason::Unknown | Reason::Retired => {}
        }
        if let Some(iat) = event.credential.issued_at_ms {
            f.iat_min_ms = Some(f.iat_min_ms.map_or(iat, |m| m.min(iat)));
            f.iat_max_ms = Some(f.iat_max_ms.map_or(iat, |m| m.max(iat)));
        }
    }

    fn render(&self, key: &str, ep: &Episode<Facts>) -> Detection {
        let (kid, reason) = key.rsplit_once(':').unwrap_or((key, ""));
        let f = &ep.facts;
        let (severity, title) = match reason {
            "unknown" => (
                Severity::Critical,
                format!("Tokens signed with key {kid}, which the manifest does not list"),
            ),
            "retired" => (
                Severity::Critical,
                format!("Tokens signed with key {kid} used after the key was retired"),
            ),
            _ => (
                Severity::High,
                format!("Tokens signed with key {kid} dated outside the key's life"),
            ),
        };
        let mut facts = support::object(serde_json::json!({
            "key_id": kid,
            "reason": reason,
            "issuance_events": f.issuance_events,
        }));
        f.spread.write("tokens", &mut facts);
        if let Some(life) = self.keys.get(kid) {
            facts.insert("key_dates".into(), life.dates.clone());
        }
        if reason == "iat-outside-life" {
            facts.insert("before_created".into(), f.before_created.into());
            facts.insert("after_rotated".into(), f.after_rotated.into());
            facts.insert("iat_min_ms".into(), f.iat_min_ms.into());
            facts.insert("iat_max_ms".into(), f.iat_max_ms.into());
        }
        let mut actors = vec![format!("key:{kid}")];
        actors.extend(f.spread.ip_actors());
        ep.detection(Head {
            detector: ID,
            severity,
            title,
            key: key.to_owned(),
            principal: String::new(),
            actors,
            facts,
        })
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use steward_model::event::PrincipalKind;
    use steward_model::manifest::SigningKey;

    use super::*;
    use crate::identity::testkit::{Ev, T0, assert_resumable, at, run};

    fn key(id: &str, created: jiff::civil::Date) -> SigningKey {
        SigningKey {
            id: id.into(),
            algorithm: "HS256".into(),
            used_by: "auth".into(),
            created,
            rotation_days: Some(180),
            rotated: None,
            retired: None,
            custodians: vec!["E1".into()],
            storage: None,
        }
    }

    /// `T0` is 2025-04-14: `old` rotated 2025-04-10, retired 2025-04-14;
    /// `rot` created 2025-01-01 and rotated 2025-04-12; `cur` created
    /// 2025-04-13.
    fn context() -> Context {
        let mut old = key("old", date(2021, 2, 1));
        old.rotated = Some(date(2025, 4, 10));
        old.retired = Some(date(2025, 4, 14));
        let mut rot = key("rot", date(2025, 1, 1));
        rot.rotated = Some(date(2025, 4, 12));
        Context::new(vec![old, rot, key("cur", date(2025, 4, 13))], Vec::new())
    }

    fn detector() -> SigningKeyCheck {
        SigningKeyCheck::new(&context(), &SigningKeyConfig::default()).unwrap()
    }

    fn use_key(t: i64, id: &str, kid: &str, iat: Option<i64>) -> (AccessEvent, EventRole) {
        Ev::new(t, id)
            .by("7", PrincipalKind::Customer)
            .token(&format!("jti-{id}"), kid, iat)
            .from("192.0.2.1", "KR")
            .access()
    }

    const DAY: i64 = 86_400_000;

    fn reasons(out: &[Detection]) -> Vec<(String, Severity)> {
        out.iter().map(|d| (d.key.clone(), d.severity)).collect()
    }

    #[test]
    fn current_keys_within_their_life_are_fine() {
        let events = [
            use_key(at(10), "a", "cur", Some(at(0))),
            use_key(at(20), "b", "rot", Some(T0 - 2 * DAY - 1)),
            // Still accepted the day before retirement.
            use_key(T0 - 1, "c", "old", Some(T0 - 5 * DAY)),
            // No iat: life is not judged.
            use_key(at(30), "d", "cur", None),
        ];
        assert!(run(&mut detector(), &events).is_empty());
    }

    #[test]
    fn unknown_and_retired_keys_are_critical() {
        let events = [
            use_key(at(10), "a", "ghost", Some(at(0))),
            use_key(T0, "b", "old", Some(T0 - 5 * DAY)),
        ];
        let out = run(&mut detector(), &events);
        assert_eq!(
            reasons(&out),
            [
                ("ghost:unknown".into(), Severity::Critical),
                ("old:retired".into(), Severity::Critical),
            ]
        );
        assert_eq!(out[1].facts["key_dates"]["retired"], "2025-04-14");
        assert_eq!(out[0].actors, ["key:ghost", "ip:192.0.2.1"]);
    }

    #[test]
    fn tokens_dated_outside_the_key_life_are_high() {
        let events = [
            // `cur` was created on 2025-04-13: an iat the day before is outside.
            use_key(at(10), "a", "cur", Some(T0 - DAY - 1)),
            use_key(at(11), "b", "cur", Some(T0 - DAY)),
            // `rot` was rotated on 2025-04-12: iat on 04-12 is fine, 04-13 is not.
            use_key(at(12), "c", "rot", Some(T0 - DAY - 1)),
            use_key(at(13), "d", "rot", Some(T0 - DAY)),
        ];
        let out = run(&mut detector(), &events);
        assert_eq!(
            reasons(&out),
            [
                ("cur:iat-outside-life".into(), Severity::High),
                ("rot:iat-outside-life".into(), Severity::High),
            ]
        );
        assert_eq!(out[0].sample_event_ids, ["a"]);
        assert_eq!(out[1].sample_event_ids, ["d"]);
        assert_eq!(out[1].facts["after_rotated"], 1);
    }

    #[test]
    fn silent_without_a_key_inventory() {
        let mut det =
            SigningKeyCheck::new(&Context::default(), &SigningKeyConfig::default()).unwrap();
        assert!(run(&mut det, &[use_key(at(1), "a", "ghost", Some(at(0)))]).is_empty());
    }

    #[test]
    fn one_detection_per_key_and_reason_episode() {
        let mut events: Vec<_> = (0..4)
            .map(|i| use_key(at(i * 60), &format!("u{i}"), "ghost", Some(at(0))))
            .collect();
        events.push(use_key(at(2 * 3_600), "later", "ghost", Some(at(0))));
        let mut issued = use_key(at(2 * 3_600 + 1), "iss", "ghost", Some(at(0)));
        issued.1 = EventRole::Issuance;
        events.push(issued);
        let out = assert_resumable(&|| Box::new(detector()), &events);
        let windows: Vec<_> = out.iter().map(|d| (d.window_start_ms, d.events)).collect();
        assert_eq!(
            windows,
            [(at(0), 1), (at(0), 4), (at(7_200), 1), (at(7_200), 2)]
        );
        assert_eq!(out[3].facts["issuance_events"], 1);
        assert_eq!(out[1].facts["tokens"], 4);
    }
}
