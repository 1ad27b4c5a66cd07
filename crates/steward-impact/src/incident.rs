//! Selectors from what `steward hunt` stored: an incident (its alerts'
//! actors) or one alert.
//!
//! - An incident or alert with a `steward.forged-token` alert selects the
//!   forged tokens of its signing keys: every such token is the attacker's,
//!   whenever and from wherever it was used, and nothing else is.
//! - Otherwise its actors select: principals and partner API keys, signing
//!   keys, and source IPs where the stored value is a whole address (the
//!   evidence keeps IPs masked, so these come from the incident's own key),
//!   from the first evidence event on. Detection stops reporting before an
//!   attacker stops, so no end is set; give `--until` to close the window.
//!
//! The caller reads the records from the state database; nothing here
//! opens it.

use steward_store::{AlertRecord, IncidentRecord};

use crate::error::{ImpactError, Result};
use crate::selector::Selector;

/// The native detector whose alerts mean forged tokens.
const FORGED: &str = "steward.forged-token";

fn actors(alert: &AlertRecord) -> Vec<String> {
    alert
        .evidence
        .get("actors")
        .and_then(|a| a.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn forged_key(alert: &AlertRecord) -> Option<String> {
    if alert.rule_id != FORGED {
        return None;
    }
    alert
        .evidence
        .pointer("/facts/key_id")
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .or_else(|| {
            actors(alert)
                .iter()
                .find_map(|a| a.strip_prefix("key:").map(str::to_owned))
        })
}

fn push(list: &mut Vec<String>, value: &str) {
    if !value.is_empty() && !list.iter().any(|v| v == value) {
        list.push(value.to_owned());
    }
}

/// Adds one actor (`principal:…`, `api_key:…`, `key:…`, `ip:…`).
fn add_actor(s: &mut Selector, actor: &str) {
    if let Some(p) = actor
        .strip_prefix("principal:")
        .or_else(|| actor.strip_prefix("api_key:"))
    {
        push(&mut s.principals, p);
    } else if let Some(k) = actor.strip_prefix("key:") {
        push(&mut s.signing_keys, k);
    } else if let Some(ip) = actor.strip_prefix("ip:")
        && ip.parse::<std::net::IpAddr>().is_ok()
    {
        push(&mut s.ips, ip);
    }
}

fn since(text: &str) -> Option<i64> {
    steward_model::time::parse_rfc3339_millis(text).ok()
}

fn build(
    what: &str,
    id: &str,
    alerts: &[&AlertRecord],
    key: &str,
    start: &str,
) -> Result<Selector> {
    let keys: Vec<String> = alerts.iter().filter_map(|a| forged_key(a)).collect();
    if !keys.is_empty() {
        let mut s = Selector {
            forged_only: true,
            ..Selector::default()
        };
        for k in &keys {
            push(&mut s.signing_keys, k);
        }
        return Ok(s);
    }
    let mut s = Selector::default();
    // The grouping key: `ip:203.0.113.7`, `principal:E0113`, or a bare
    // principal or API key.
    if key.contains(':') {
        add_actor(&mut s, key);
    } else if !key.is_empty() && key != "all" {
        push(&mut s.principals, key);
    }
    for a in alerts {
        for actor in actors(a) {
            add_actor(&mut s, &actor);
        }
        if !a.principal.is_empty() {
            push(&mut s.principals, &a.principal);
        }
    }
    // A departed custodian of a key is an actor of the key's alerts, not a
    // principal that made requests; the key selects their tokens.
    if !s.signing_keys.is_empty() {
        s.principals.clear();
    }
    if s.principals.is_empty() && s.signing_keys.is_empty() && s.ips.is_empty() {
        return Err(ImpactError::Selector(format!(
            "{what} `{id}` names no principal, signing key or whole IP address to select by; give a selector (`--principal`, `--ip`, `--since`…)"
        )));
    }
    s.since_ms = since(start);
    Ok(s)
}

/// The selector for an incident and the alerts grouped into it.
///
/// # Errors
/// [`ImpactError::Selector`] when the incident names no actor.
pub fn from_incident(incident: &IncidentRecord, alerts: &[AlertRecord]) -> Result<Selector> {
    let mine: Vec<&AlertRecord> = alerts
        .iter()
        .filter(|a| a.incident_id.as_deref() == Some(incident.id.as_str()))
        .collect();
    build(
        "incident",
        &incident.id,
        &mine,
        &incident.principal,
        &incident.first_seen,
    )
}

/// The selector for one alert.
///
/// # Errors
/// [`ImpactError::Selector`] when the alert names no actor.
pub fn from_alert(alert: &AlertRecord) -> Result<Selector> {
    build(
        "alert",
        &alert.id,
        &[alert],
        &alert.principal,
        &alert.window_start,
    )
}

/// The one record whose id is `id` or starts with it (at least six
/// characters, as the terminal summary shows twelve).
///
/// # Errors
/// [`ImpactError::Selector`] for an unknown or ambiguous id.
pub fn find<'a, T>(
    what: &str,
    id: &str,
    all: &'a [T],
    id_of: impl Fn(&T) -> &str,
) -> Result<&'a T> {
    if let Some(exact) = all.iter().find(|r| id_of(r) == id) {
        return Ok(exact);
    }
    let matching: Vec<&T> = if id.len() >= 6 {
        all.iter().filter(|r| id_of(r).starts_with(id)).collect()
    } else {
        Vec::new()
    };
    match matching.as_slice() {
        [one] => Ok(one),
        [] => Err(ImpactError::Selector(format!(
            "unknown {what} `{id}` ({} in the state database; run `steward hunt` first)",
            all.len()
        ))),
        _ => Err(ImpactError::Selector(format!(
            "{what} id `{id}` is ambiguous: {} match",
            matching.len()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn alert(id: &str, rule: &str, principal: &str, evidence: serde_json::Value) -> AlertRecord {
        AlertRecord {
            id: id.into(),
            rule_id: rule.into(),
            severity: "high".into(),
            principal: principal.into(),
            window_start: "2025-04-11T00:12:15.898Z".into(),
            window_end: "2025-04-11T09:12:43.333Z".into(),
            incident_id: Some("inc1".into()),
            evidence,
            created_at: "2026-01-01T00:00:00.000Z".into(),
        }
    }

    fn incident(principal: &str) -> IncidentRecord {
        IncidentRecord {
            id: "inc1".into(),
            title: "t".into(),
            severity: "high".into(),
            principal: principal.into(),
            first_seen: "2025-04-10T05:01:08.731Z".into(),
            last_seen: "2025-04-12T00:00:00.000Z".into(),
            awareness_at: None,
            status: "closed".into(),
            created_at: "2026-01-01T00:00:00.000Z".into(),
        }
    }

    #[test]
    fn a_forged_token_incident_selects_the_keys_forged_tokens() {
        let alerts = [
            alert(
                "a1",
                "steward.departed-custodian-key",
                "",
                json!({"actors": ["key:member-2021", "principal:E0113"]}),
            ),
            alert(
                "a2",
                FORGED,
                "",
                json!({"actors": ["key:member-2021", "ip:47.95.*.*"], "facts": {"key_id": "member-2021"}}),
            ),
        ];
        let s = from_incident(&incident("key:member-2021"), &alerts).unwrap();
        assert_eq!(s.signing_keys, ["member-2021"]);
        assert!(s.forged_only && s.principals.is_empty() && s.since_ms.is_none());
    }

    #[test]
    fn other_incidents_select_their_actors_from_the_first_event() {
        let alerts = [alert(
            "a1",
            "steward.export-volume",
            "E0031",
            json!({"actors": ["principal:E0031", "ip:211.111.*.*"]}),
        )];
        let s = from_incident(&incident("E0031"), &alerts).unwrap();
        assert_eq!(s.principals, ["E0031"]);
        assert!(s.ips.is_empty(), "masked IPs are not selectors");
        assert_eq!(s.since_ms, Some(1_744_261_268_731));
        let s = from_incident(&incident("ip:116.62.0.1"), &[]).unwrap();
        assert_eq!(s.ips, ["116.62.0.1"]);
    }

    #[test]
    fn an_incident_without_actors_is_refused() {
        let e = from_incident(&incident("all"), &[]).map_err(|e| e.to_string());
        assert!(e.is_err_and(|m| m.contains("names no principal")));
    }

    #[test]
    fn ids_match_exactly_or_by_a_unique_prefix() {
        let ids = ["3f003f90ea85", "3f0099aa0000", "d4b3f25db75c"];
        let by = |id: &str| {
            find("incident", id, &ids, |s| s)
                .copied()
                .map_err(|e| e.to_string())
        };
        assert_eq!(by("d4b3f2"), Ok("d4b3f25db75c"));
        assert!(by("3f00").is_err_and(|m| m.contains("unknown incident `3f00`")));
        assert!(by("3f0099aa0000").is_ok());
        assert!(by("3f009").is_err());
        assert!(by("3f00ff").is_err_and(|m| m.contains("unknown")));
        assert!(find("incident", "3f00", &ids[..1], |s| s).is_err());
        let two = ["abcdef01", "abcdef02"];
        assert!(
            find("alert", "abcdef", &two, |s| s)
                .is_err_and(|e| e.to_string().contains("ambiguous"))
        );
    }
}
