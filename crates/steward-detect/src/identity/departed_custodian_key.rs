//! `departed-custodian-key`: a signing key still in use after one of its
//! custodians left.
//!
//! **What it finds.** Any event (access or issuance) whose credential names
//! a signing key one of whose manifest `custodians` has an HR end date
//! before the event: the event is on or after the start (UTC) of the day
//! after their last day. One detection per key per episode, not per event.
//!
//! **Why.** The 2025 breach's root cause as MSIT put it: the signing key was
//! not invalidated when the engineer who could read it left, and there was
//! no rotation step on departure. Every token the key still signs or
//! validates is a token the departed custodian could have forged. This is
//! key hygiene, reported once per episode with the figures to act on.
//!
//! **Settings** ([`DepartedCustodianKeyConfig`], seconds): `episode_gap_s`
//! (604,800 = 7 days), `update_every_s` (600), `max_episodes` (1,000).
//!
//! **False-positive guards.** A custodian who left before the key was
//! created never held its material and is ignored. A roster row whose end
//! date is before its start date is read as a rehire (employed). Custodians
//! missing from the roster are not judged. Dates are whole UTC days.
//!
//! **State.** Open episodes only (at most `max_episodes`, one per key in
//! practice), with distinct token counts capped at
//! [`DISTINCT_CAP`](super::support::DISTINCT_CAP).

use std::collections::BTreeMap;

use crate::HashMap;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use steward_model::alert::Severity;
use steward_model::event::AccessEvent;

use super::engine::{Engine, Hit, Look, Rules};
use super::episodes::{Episode, Head};
use super::support::{
    self, Distinct, days_after, departed_from_ms, episode_settings, episode_timing,
};
use crate::context::{Context, day_start_ms};
use crate::detector::{Detection, EventRole};
use crate::error::DetectError;

/// Stable id.
pub const ID: &str = "departed-custodian-key";

/// Settings of `departed-custodian-key`; durations in seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DepartedCustodianKeyConfig {
    /// Run it.
    pub enabled: bool,
    /// An episode ends after this long without a use of the key.
    pub episode_gap_s: i64,
    /// Updates of an open episode at most this often.
    pub update_every_s: i64,
    /// Open episodes at most.
    pub max_episodes: usize,
}

impl Default for DepartedCustodianKeyConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            episode_gap_s: 7 * 86_400,
            update_every_s: 600,
            max_episodes: 1_000,
        }
    }
}

episode_settings!(DepartedCustodianKeyConfig);

/// A key whose custodians include leavers.
#[derive(Debug, Clone, PartialEq, Eq)]
struct KeyInfo {
    /// The key id, shared by every hit on it.
    id: Arc<str>,
    /// (departed from, employee id), earliest first.
    leavers: Vec<(i64, String)>,
    storage: Option<String>,
}

/// Figures of one key's episode.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    tokens: Distinct,
    issuance_events: u64,
    /// Leavers seen departed during the episode, with their departure.
    leavers: BTreeMap<String, i64>,
}

/// The `departed-custodian-key` rules.
#[derive(Debug, Clone)]
pub struct DepartedCustodianKeyRules {
    /// Key id to its position in `infos`.
    keys: HashMap<String, u32>,
    infos: Vec<KeyInfo>,
}

impl DepartedCustodianKeyRules {
    /// Key `kid`'s position in `infos` and what is known of it.
    fn info(&self, kid: &str) -> Option<(u32, &KeyInfo)> {
        let at = *self.keys.get(kid)?;
        Some((at, self.infos.get(at as usize)?))
    }
}

/// The `departed-custodian-key` detector.
pub type DepartedCustodianKey = Engine<DepartedCustodianKeyRules>;

impl DepartedCustodianKey {
    /// A detector over the context's keys and roster.
    ///
    /// # Errors
    /// A setting is out of range.
    pub fn new(
        context: &Context,
        config: &DepartedCustodianKeyConfig,
    ) -> Result<Self, DetectError> {
        let timing = episode_timing(ID, config)?;
        let mut keys = HashMap::default();
        let mut infos = Vec::new();
        for key in context.keys() {
            let created = day_start_ms(key.created);
            let mut leavers: Vec<(i64, String)> = key
                .custodians
                .iter()
                .filter_map(|id| {
                    let from = departed_from_ms(context.staff(id)?)?;
                    (from > created).then(|| (from, id.clone()))
                })
                .collect();
            leavers.sort();
            if leavers.is_empty() {
                continue;
            }
            let info = KeyInfo {
                id: key.id.as_str().into(),
                leavers,
                storage: key.storage.clone(),
            };
            // A key listed twice: the later entry stands.
            match keys.get(&key.id).and_then(|&at| infos.get_mut(at as usize)) {
                Some(kept) => *kept = info,
                None => {
                    keys.insert(key.id.clone(), infos.len() as u32);
                    infos.push(info);
                }
            }
        }
        Ok(Self::with_rules(
            DepartedCustodianKeyRules { keys, infos },
            timing,
        ))
    }
}

impl Rules for DepartedCustodianKeyRules {
    const ID: &'static str = ID;
    type Facts = Facts;
    type State = ();
    /// The key's position in `infos`, found once per event.
    type Mark = u32;

    fn judge(&self, _state: &mut (), look: Look<'_, u32>) {
        let Look { event, hits, .. } = look;
        let Some(kid) = event.credential.key_id.as_deref() else {
            return;
        };
        if let Some((at, info)) = self.info(kid)
            && info
                .leavers
                .first()
                .is_some_and(|(from, _)| *from <= event.time_ms)
        {
            hits.push(Hit::now(Arc::clone(&info.id), at));
        }
    }

    fn update(&self, f: &mut Facts, at: &u32, event: Option<(&AccessEvent, EventRole)>) {
        let Some((event, role)) = event else {
            return;
        };
        if let Some(jti) = event.credential.token_id.as_deref() {
            f.tokens.insert(jti);
        }
        if role == EventRole::Issuance {
            f.issuance_events += 1;
        }
        let leavers = self
            .infos
            .get(*at as usize)
            .map_or(&[][..], |info| info.leavers.as_slice());
        for (from, id) in leavers
            .iter()
            .take_while(|(from, _)| *from <= event.time_ms)
        {
            // Every use of the key names the same leavers: clone the id
            // only the first time.
            match f.leavers.get_mut(id) {
                Some(at) => *at = *from,
                None => {
                    f.leavers.insert(id.clone(), *from);
                }
            }
        }
    }

    fn render(&self, kid: &str, ep: &Episode<Facts>) -> Detection {
        let f = &ep.facts;
        let last = ep.evidence.last_ms;
        let days: serde_json::Map<String, serde_json::Value> = f
            .leavers
            .iter()
            .map(|(id, &from)| (id.clone(), days_after(from, last).into()))
            .collect();
        let mut facts = support::object(serde_json::json!({
            "key_id": kid,
            "custodians_departed": f.leavers.keys().collect::<Vec<_>>(),
            "days_since_departure": days,
            "tokens": f.tokens.count(),
            "issuance_events": f.issuance_events,
            "storage": self.info(kid).and_then(|(_, k)| k.storage.clone()),
        }));
        if f.tokens.capped() {
            facts.insert("tokens_capped".into(), true.into());
        }
        let mut actors = vec![format!("key:{kid}")];
        actors.extend(f.leavers.keys().map(|id| format!("principal:{id}")));
        ep.detection(Head {
            detector: ID,
            severity: Severity::High,
            title: format!("Signing key {kid} still in use after a custodian left"),
            key: kid.to_owned(),
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
    use steward_model::manifest::{SigningKey, StaffMember};

    use super::*;
    use crate::identity::testkit::{Ev, T0, assert_resumable, at, run};

    const DAY: i64 = 86_400_000;

    fn staff(id: &str, start: jiff::civil::Date, end: Option<jiff::civil::Date>) -> StaffMember {
        StaffMember {
            employee_id: id.into(),
            name: "n".into(),
            role: "backend_engineer".into(),
            team: "platform-auth".into(),
            start_date: start,
            end_date: end,
        }
    }

    fn key(id: &str, created: jiff::civil::Date, custodians: &[&str]) -> SigningKey {
        SigningKey {
            id: id.into(),
            algorithm: "HS256".into(),
            used_by: "auth".into(),
            created,
            rotation_days: None,
            rotated: None,
            retired: None,
            custodians: custodians.iter().map(|&c| c.to_owned()).collect(),
            storage: Some("plaintext-config".into()),
        }
    }

    /// `T0` is 2025-04-14. E2 left on 2025-04-13 (their last day), E3 left
    /// before `late` was created, E4 was rehired, E5 is not in the roster.
    fn detector() -> DepartedCustodianKey {
        let roster = vec![
            staff("E1", date(2020, 1, 1), None),
            staff("E2", date(2022, 11, 7), Some(date(2025, 4, 13))),
            staff("E3", date(2019, 1, 1), Some(date(2023, 1, 1))),
            staff("E4", date(2024, 7, 15), Some(date(2024, 5, 27))),
        ];
        let keys = vec![
            key("member", date(2021, 2, 1), &["E1", "E2"]),
            key("late", date(2024, 1, 1), &["E1", "E3", "E4", "E5"]),
        ];
        DepartedCustodianKey::new(
            &Context::new(keys, roster),
            &DepartedCustodianKeyConfig::default(),
        )
        .unwrap()
    }

    fn use_key(t: i64, id: &str, kid: &str) -> (AccessEvent, EventRole) {
        Ev::new(t, id)
            .by("7", PrincipalKind::Customer)
            .token(&format!("jti-{id}"), kid, Some(t))
            .access()
    }

    #[test]
    fn fires_from_the_day_after_the_custodians_last_day() {
        let out = run(
            &mut detector(),
            &[
                use_key(T0 - 1, "last-day", "member"),
                use_key(T0, "next-day", "member"),
            ],
        );
        assert_eq!(out.len(), 1);
        let d = &out[0];
        assert_eq!((d.key.as_str(), d.severity), ("member", Severity::High));
        assert_eq!(d.sample_event_ids, ["next-day"]);
        assert_eq!(d.facts["custodians_departed"], serde_json::json!(["E2"]));
        assert_eq!(d.facts["days_since_departure"]["E2"], 1);
        assert_eq!(d.facts["storage"], "plaintext-config");
        assert_eq!(d.actors, ["key:member", "principal:E2"]);
    }

    #[test]
    fn leavers_before_creation_rehires_and_unknown_custodians_are_ignored() {
        assert!(run(&mut detector(), &[use_key(at(10), "a", "late")]).is_empty());
        assert!(run(&mut detector(), &[use_key(at(10), "a", "unlisted")]).is_empty());
    }

    #[test]
    fn one_detection_per_key_episode_with_token_counts() {
        let mut events: Vec<_> = (0..50)
            .map(|i| use_key(at(i * 3_600), &format!("u{i}"), "member"))
            .collect();
        // Eight quiet days, then a new episode.
        events.push(use_key(at(49 * 3_600) + 8 * DAY, "after", "member"));
        let out = assert_resumable(&|| Box::new(detector()), &events);
        let windows: Vec<_> = out.iter().map(|d| d.window_start_ms).collect();
        assert_eq!(windows.first(), Some(&T0));
        assert_eq!(windows.last(), Some(&(at(49 * 3_600) + 8 * DAY)));
        let episodes: std::collections::BTreeSet<_> = windows.iter().collect();
        assert_eq!(episodes.len(), 2);
        let last_of_first = out.iter().rfind(|d| d.window_start_ms == T0).unwrap();
        assert_eq!(last_of_first.events, 50);
        assert_eq!(last_of_first.facts["tokens"], 50);
        assert_eq!(last_of_first.facts["days_since_departure"]["E2"], 3);
    }
}
