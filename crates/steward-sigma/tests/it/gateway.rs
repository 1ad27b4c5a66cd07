//! Test helper: one line of the synthetic gateway's access log (JSON Lines)
//! as an `AccessEvent`, the way `mappings/steward-gateway.yaml` maps it.
//! Kept out of the crate's API; steward-logs owns log mapping.

use serde_json::Value;
use steward_model::event::{AccessEvent, Credential, Outcome, Principal, PrincipalKind, Source};
use steward_model::jurisdiction::Country;

fn text(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    match cur {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn number(v: &Value, path: &[&str]) -> Option<i64> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_i64()
}

fn record_type(route: &str) -> Option<&'static str> {
    Some(match route {
        "/api/v1/members/{id}/profile" | "/internal/batch/members/{id}/profile" => "profile",
        "/api/v1/members/{id}/addresses" => "address_book",
        "/api/v1/members/{id}/orders" => "orders",
        "/internal/cs/members/{id}" => "member_record",
        "/partner/v1/members/{id}/shipping-address" => "shipping_address",
        _ => return None,
    })
}

/// Maps one gateway log line; `None` when it is not a gateway record.
pub fn access_event(line: &str) -> Option<AccessEvent> {
    let v: Value = serde_json::from_str(line).ok()?;
    let time_ms = steward_model::time::parse_rfc3339_millis(&text(&v, &["ts"])?).ok()?;
    let kind = match text(&v, &["auth", "sub_type"]).as_deref() {
        Some("member") => PrincipalKind::Customer,
        Some("staff") => PrincipalKind::Staff,
        Some("service") => PrincipalKind::Service,
        Some("partner") => PrincipalKind::ApiKey,
        Some(_) => PrincipalKind::Unknown,
        None => PrincipalKind::Anonymous,
    };
    let route = text(&v, &["http", "route"]).unwrap_or_default();
    let status = number(&v, &["http", "status"]).and_then(|s| u16::try_from(s).ok());
    Some(AccessEvent {
        time_ms,
        event_id: text(&v, &["request_id"])?,
        principal: Principal {
            id: text(&v, &["auth", "sub"])
                .or_else(|| text(&v, &["auth", "api_key"]))
                .unwrap_or_default(),
            kind,
        },
        credential: Credential {
            token_id: text(&v, &["auth", "jti"]),
            session_id: text(&v, &["auth", "sid"]),
            key_id: text(&v, &["auth", "kid"]),
            issued_at_ms: number(&v, &["auth", "iat"]).map(|s| s * 1000),
            api_key_id: text(&v, &["auth", "api_key"]),
        },
        source: Source {
            ip: text(&v, &["client", "ip"]).and_then(|s| s.parse().ok()),
            country: text(&v, &["client", "geo"]).and_then(|c| Country::parse(&c).ok()),
        },
        method: text(&v, &["http", "method"]),
        subjects: text(&v, &["target", "member_id"]).into_iter().collect(),
        record_types: record_type(&route)
            .map(|r| vec![r.to_owned()])
            .unwrap_or_default(),
        endpoint: route,
        outcome: status.map_or(Outcome::Unknown, Outcome::from_http_status),
        status,
        records: number(&v, &["resp", "records"]).and_then(|n| u64::try_from(n).ok()),
        bytes: number(&v, &["resp", "bytes"]).and_then(|n| u64::try_from(n).ok()),
    })
}
