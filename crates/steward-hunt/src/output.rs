//! Alert output: JSON Lines, OCSF Detection Finding (class 2004), and the
//! terminal summary. IP addresses are masked unless raw values are asked
//! for; principals are pseudonymous ids and are shown.

use std::fmt::Write as _;

use steward_model::time::rfc3339_millis;

use crate::alert::{Alert, Origin};
use crate::book::{AlertChange, Change};
use crate::incidents::Incident;

/// Output format of alert changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per alert change.
    Jsonl,
    /// One OCSF 1.3 Detection Finding per alert change.
    Ocsf,
}

/// Masks an IP address: the first two IPv4 octets or IPv6 groups are kept.
#[must_use]
pub fn mask_ip(ip: &str) -> String {
    steward_model::masked::mask_ip(ip)
}

/// Masks the IP addresses inside an actor (`ip:…`) or a key
/// (`source.ip=…;…`).
#[must_use]
pub fn mask_actor(text: &str, raw: bool) -> String {
    if raw {
        return text.to_owned();
    }
    text.split(';')
        .map(|part| {
            for prefix in ["ip:", "source.ip="] {
                if let Some(ip) = part.strip_prefix(prefix) {
                    return format!("{prefix}{}", mask_ip(ip));
                }
            }
            part.to_owned()
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn shown(alert: &Alert, raw: bool) -> (String, Vec<String>) {
    (
        mask_actor(&alert.key, raw),
        alert.actors.iter().map(|a| mask_actor(a, raw)).collect(),
    )
}

/// An alert change as one JSON object.
#[must_use]
pub fn jsonl(change: &AlertChange, raw: bool) -> serde_json::Value {
    let a = &change.alert;
    let (key, actors) = shown(a, raw);
    serde_json::json!({
        "change": change.change,
        "id": a.id,
        "rule_id": a.rule_id,
        "origin": a.origin,
        "title": a.title,
        "severity": a.severity,
        "principal": a.principal,
        "key": key,
        "actors": actors,
        "window_start": rfc3339_millis(a.window_start_ms),
        "window_end": rfc3339_millis(a.window_end_ms),
        "events": a.events,
        "first_event": rfc3339_millis(a.first_event_ms),
        "last_event": rfc3339_millis(a.last_event_ms),
        "detected_at": rfc3339_millis(a.detected_at_ms),
        "sample_event_ids": a.sample_event_ids,
        "facts": a.facts,
        "incident_id": a.incident_id,
        "status": a.status,
    })
}

/// OCSF schema version written.
pub const OCSF_VERSION: &str = "1.3.0";

/// An alert change as an OCSF Detection Finding (class 2004): activity
/// Create when opened, Close when its episode ended.
#[must_use]
pub fn ocsf(change: &AlertChange, raw: bool) -> serde_json::Value {
    let a = &change.alert;
    let (key, actors) = shown(a, raw);
    let (activity_id, activity) = match change.change {
        Change::Opened => (1, "Create"),
        Change::Closed => (3, "Close"),
    };
    let severity = match a.severity.ocsf_id() {
        1 => "Informational",
        2 => "Low",
        3 => "Medium",
        4 => "High",
        _ => "Critical",
    };
    let mut v = serde_json::json!({
        "class_uid": 2004,
        "class_name": "Detection Finding",
        "category_uid": 2,
        "category_name": "Findings",
        "activity_id": activity_id,
        "activity_name": activity,
        "type_uid": 200_400 + activity_id,
        "type_name": format!("Detection Finding: {activity}"),
        "time": match change.change { Change::Opened => a.detected_at_ms, Change::Closed => a.window_end_ms },
        "start_time": a.window_start_ms,
        "end_time": a.window_end_ms,
        "count": a.events,
        "severity_id": a.severity.ocsf_id(),
        "severity": severity,
        "status_id": 1,
        "status": "New",
        "message": a.title,
        "finding_info": {
            "uid": a.id,
            "title": a.title,
            "types": [match a.origin { Origin::Sigma => "sigma", Origin::Native => "native" }],
            "first_seen_time": a.first_event_ms,
            "last_seen_time": a.last_event_ms,
            "created_time": a.detected_at_ms,
            "analytic": {
                "uid": a.rule_id,
                "name": a.title,
                "type_id": 1,
                "type": "Rule",
            },
            "related_events": a.sample_event_ids.iter().map(|id| serde_json::json!({"uid": id})).collect::<Vec<_>>(),
        },
        "metadata": {
            "version": OCSF_VERSION,
            "product": {"name": "steward", "vendor_name": "steward", "version": env!("CARGO_PKG_VERSION")},
            "uid": a.id,
        },
        "unmapped": {
            "key": key,
            "actors": actors,
            "facts": a.facts,
        },
    });
    if let Some(obj) = v.as_object_mut() {
        if let Some(incident) = &a.incident_id
            && let Some(meta) = obj.get_mut("metadata").and_then(|m| m.as_object_mut())
        {
            meta.insert("correlation_uid".into(), incident.clone().into());
        }
        if !a.principal.is_empty() {
            obj.insert(
                "actor".into(),
                serde_json::json!({"user": {"uid": a.principal}}),
            );
        }
    }
    v
}

/// One line of `format`.
#[must_use]
pub fn line(change: &AlertChange, format: Format, raw: bool) -> String {
    let v = match format {
        Format::Jsonl => jsonl(change, raw),
        Format::Ocsf => ocsf(change, raw),
    };
    v.to_string()
}

/// The terminal summary: incidents, then their alerts by rule.
#[must_use]
pub fn summary(incidents: &[Incident], alerts: &[Alert], raw: bool) -> String {
    let mut out = String::new();
    if incidents.is_empty() {
        out.push_str("no alerts\n");
        return out;
    }
    let _ = writeln!(
        out,
        "{} incident(s), {} alert(s)\n",
        incidents.len(),
        alerts.len()
    );
    for inc in incidents {
        let _ = writeln!(
            out,
            "{:<9} incident {}  {}",
            inc.severity.as_str().to_uppercase(),
            inc.id.get(..12).unwrap_or(&inc.id),
            inc.title
        );
        let _ = writeln!(
            out,
            "          {} → {}  {} alert(s), actors: {}",
            rfc3339_millis(inc.first_ms),
            rfc3339_millis(inc.last_ms),
            inc.alerts,
            inc.actors
                .iter()
                .take(4)
                .map(|a| mask_actor(a, raw))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut mine: Vec<&Alert> = alerts
            .iter()
            .filter(|a| a.incident_id.as_deref() == Some(inc.id.as_str()))
            .collect();
        mine.sort_by(|a, b| (a.window_start_ms, &a.id).cmp(&(b.window_start_ms, &b.id)));
        let mut by_rule: Vec<(&str, &str, u64, u64, i64)> = Vec::new();
        for a in mine {
            match by_rule.iter_mut().find(|r| r.0 == a.rule_id) {
                Some(r) => {
                    r.2 += 1;
                    r.3 += a.events;
                }
                None => by_rule.push((&a.rule_id, &a.title, 1, a.events, a.detected_at_ms)),
            }
        }
        for (_, title, n, events, detected) in by_rule {
            let _ = writeln!(
                out,
                "          - {title}: {n} alert(s), {events} event(s), first raised at {}",
                rfc3339_millis(detected)
            );
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ips_are_masked_unless_raw() {
        assert_eq!(mask_actor("ip:203.0.113.7", false), "ip:203.0.*.*");
        assert_eq!(mask_actor("ip:203.0.113.7", true), "ip:203.0.113.7");
        assert_eq!(
            mask_actor("source.ip=2001:db8::1;principal.id=E1", false),
            "source.ip=2001:db8:*;principal.id=E1"
        );
        assert_eq!(mask_actor("key:member-2021", false), "key:member-2021");
    }
}
