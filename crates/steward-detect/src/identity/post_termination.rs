//! `post-termination`: activity by staff after their HR end date.
//!
//! **What it finds.** An event by a staff principal (principal kind
//! `staff`, or any principal whose id is an employee id in the HR roster)
//! on or after the start (UTC) of the day after the roster's `end_date`
//! (their last day): an access with any outcome (denied attempts are
//! evidence too), or a token issued to them (an issuance record with
//! outcome `success`). One detection per principal per episode.
//!
//! **Why.** Accounts and sessions of leavers that still work are the
//! classic insider path; the 2025 breach was a departed employee. IdP and
//! HR drift is common, so the roster is checked against what the logs
//! show, not what deprovisioning claims.
//!
//! **Settings** ([`PostTerminationConfig`], seconds): `episode_gap_s`
//! (86,400), `update_every_s` (600), `max_episodes` (10,000).
//!
//! **False-positive guards.** Only the day after the end date counts (the
//! last day is worked). A roster row whose end date is before its start
//! date is read as a rehire. Staff principals missing from the roster are
//! counted `undecided`, not alerted. Failed logins (issuance records without
//! success) are ignored: they name accounts, not the person trying.
//!
//! **State.** Open episodes only (at most `max_episodes`), with distinct
//! counts capped at [`DISTINCT_CAP`](super::support::DISTINCT_CAP).

use crate::HashMap;

use serde::{Deserialize, Serialize};
use steward_model::alert::Severity;
use steward_model::event::{AccessEvent, Outcome, PrincipalKind};

use super::engine::{Engine, Hit, Look, Rules};
use super::episodes::{Episode, Head};
use super::support::{
    self, Distinct, Spread, days_after, departed_from_ms, episode_settings, episode_timing,
};
use crate::context::Context;
use crate::detector::{Detection, EventRole};
use crate::error::DetectError;

/// Stable id.
pub const ID: &str = "post-termination";

/// Settings of `post-termination`; durations in seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PostTerminationConfig {
    /// Run it.
    pub enabled: bool,
    /// An episode ends after this long without activity.
    pub episode_gap_s: i64,
    /// Updates of an open episode at most this often.
    pub update_every_s: i64,
    /// Open episodes at most.
    pub max_episodes: usize,
}

impl Default for PostTerminationConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            episode_gap_s: 86_400,
            update_every_s: 600,
            max_episodes: 10_000,
        }
    }
}

episode_settings!(PostTerminationConfig);

/// Figures of one leaver's episode.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    departed_ms: i64,
    spread: Spread,
    subjects: Distinct,
    succeeded: u64,
    denied: u64,
    tokens_issued: u64,
}

/// The `post-termination` rules.
#[derive(Debug, Clone)]
pub struct PostTerminationRules {
    /// Roster: employee id → departed from (epoch ms), if departed.
    roster: HashMap<String, Option<i64>>,
}

/// The `post-termination` detector.
pub type PostTermination = Engine<PostTerminationRules>;

impl PostTermination {
    /// A detector over the context's roster.
    ///
    /// # Errors
    /// A setting is out of range.
    pub fn new(context: &Context, config: &PostTerminationConfig) -> Result<Self, DetectError> {
        let timing = episode_timing(ID, config)?;
        let roster = context
            .staff_members()
            .map(|m| (m.employee_id.clone(), departed_from_ms(m)))
            .collect();
        Ok(Self::with_rules(PostTerminationRules { roster }, timing))
    }
}

impl Rules for PostTerminationRules {
    const ID: &'static str = ID;
    type Facts = Facts;
    type State = ();
    /// When the principal counts as departed.
    type Mark = i64;

    fn judge(&self, _state: &mut (), look: Look<'_, i64>) {
        let Some(id) = look.acting_principal() else {
            return;
        };
        match self.roster.get(id) {
            Some(Some(departed)) if look.event.time_ms >= *departed => {
                look.hits.push(Hit::now(id.to_owned(), *departed));
            }
            Some(_) => {}
            None => {
                if look.event.principal.kind == PrincipalKind::Staff {
                    look.stats.undecided += 1;
                }
            }
        }
    }

    fn update(&self, f: &mut Facts, departed: &i64, event: Option<(&AccessEvent, EventRole)>) {
        let Some((event, role)) = event else {
            return;
        };
        f.departed_ms = *departed;
        f.spread.add_event(event);
        for s in &event.subjects {
            f.subjects.insert(s);
        }
        match (role, event.outcome) {
            (EventRole::Issuance, _) => f.tokens_issued += 1,
            (EventRole::Access, Outcome::Success) => f.succeeded += 1,
            (EventRole::Access, Outcome::Denied) => f.denied += 1,
            (EventRole::Access, _) => {}
        }
    }

    fn render(&self, id: &str, ep: &Episode<Facts>) -> Detection {
        let f = &ep.facts;
        let mut facts = support::object(serde_json::json!({
            "days_after_end_date_first": days_after(f.departed_ms, ep.evidence.first_ms),
            "days_after_end_date_last": days_after(f.departed_ms, ep.evidence.last_ms),
            "succeeded": f.succeeded,
            "denied": f.denied,
            "tokens_issued": f.tokens_issued,
            "subjects": f.subjects.count(),
        }));
        if f.subjects.capped() {
            facts.insert("subjects_capped".into(), true.into());
        }
        f.spread.write("tokens", &mut facts);
        let mut actors = vec![format!("principal:{id}")];
        actors.extend(f.spread.ip_actors());
        ep.detection(Head {
            detector: ID,
            severity: Severity::High,
            title: "Activity by a staff member after their HR end date".to_owned(),
            key: id.to_owned(),
            principal: id.to_owned(),
            actors,
            facts,
        })
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use steward_model::manifest::StaffMember;

    use super::*;
    use crate::detector::Detector;
    use crate::identity::testkit::{Ev, T0, assert_resumable, at, run};

    const DAY: i64 = 86_400_000;

    /// `T0` is 2025-04-14: E1 is employed, E2's last day was 2025-04-13,
    /// E3 was rehired (end before start).
    fn detector() -> PostTermination {
        let member = |id: &str, start, end| StaffMember {
            employee_id: id.into(),
            name: "n".into(),
            role: "support_agent".into(),
            team: "customer-service".into(),
            start_date: start,
            end_date: end,
        };
        let roster = vec![
            member("E1", date(2020, 1, 1), None),
            member("E2", date(2020, 1, 1), Some(date(2025, 4, 13))),
            member("E3", date(2024, 7, 15), Some(date(2024, 5, 27))),
        ];
        PostTermination::new(
            &Context::new(Vec::new(), roster),
            &PostTerminationConfig::default(),
        )
        .unwrap()
    }

    fn by(t: i64, id: &str, who: &str) -> Ev {
        Ev::new(t, id)
            .by(who, PrincipalKind::Staff)
            .from("211.111.200.32", "KR")
            .subject("1042")
    }

    #[test]
    fn the_last_day_is_fine_the_next_day_is_not() {
        let events = [
            by(T0 - 1, "last-day", "E2").access(),
            by(T0, "next-day", "E2").access(),
        ];
        let out = run(&mut detector(), &events);
        assert_eq!(out.len(), 1);
        let d = &out[0];
        assert_eq!((d.key.as_str(), d.principal.as_str()), ("E2", "E2"));
        assert_eq!(d.severity, Severity::High);
        assert_eq!(d.sample_event_ids, ["next-day"]);
        assert_eq!(d.facts["days_after_end_date_first"], 1);
        assert_eq!(d.facts["subjects"], 1);
        assert!(!d.title.contains("E2"));
        assert!(!serde_json::to_string(&d.facts).unwrap().contains("1042"));
    }

    #[test]
    fn employed_rehired_and_unknown_staff_are_not_alerted() {
        let mut det = detector();
        let events = [
            by(at(10), "a", "E1").access(),
            by(at(11), "b", "E3").access(),
            by(at(12), "c", "E9").access(),
        ];
        assert!(run(&mut det, &events).is_empty());
        assert_eq!(det.stats().undecided, 1);
    }

    #[test]
    fn a_roster_id_counts_whatever_the_kind_and_issued_tokens_count() {
        let mut service = by(at(1), "svc", "E2");
        service = service.by("E2", PrincipalKind::Service);
        let failed = by(at(2), "fail", "E2").outcome(Outcome::Denied).issuance();
        let issued = by(at(3), "tok", "E2").issuance();
        let denied = by(at(4), "deny", "E2").outcome(Outcome::Denied).access();
        let out = run(&mut detector(), &[service.access(), failed, issued, denied]);
        let last = out.last().unwrap();
        assert_eq!(last.sample_event_ids, ["svc", "tok", "deny"]);
        assert_eq!(last.facts["tokens_issued"], 1);
        assert_eq!(last.facts["denied"], 1);
        assert_eq!(last.facts["succeeded"], 1);
    }

    #[test]
    fn one_detection_per_principal_episode() {
        let mut events: Vec<_> = (0..6)
            .map(|i| by(at(i * 3_000), &format!("e{i}"), "E2").access())
            .collect();
        events.push(by(at(5 * 3_000) + DAY + 1, "later", "E2").access());
        let out = assert_resumable(&|| Box::new(detector()), &events);
        let starts: std::collections::BTreeSet<_> = out.iter().map(|d| d.window_start_ms).collect();
        assert_eq!(starts.len(), 2);
        let first = out.iter().rfind(|d| d.window_start_ms == T0).unwrap();
        assert_eq!(first.events, 6);
    }
}
