//! The normalised access event: what every log mapping produces and every
//! detector consumes.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::jurisdiction::Country;

/// What kind of identity made a request.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum PrincipalKind {
    /// A customer acting on their own account.
    Customer,
    /// An employee or contractor.
    Staff,
    /// A service or batch job.
    Service,
    /// A partner or vendor holding an API key.
    ApiKey,
    /// No authenticated identity.
    Anonymous,
    /// The mapping could not tell.
    #[default]
    Unknown,
}

impl PrincipalKind {
    /// The serialised name (`customer`, `api_key`, …).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Staff => "staff",
            Self::Service => "service",
            Self::ApiKey => "api_key",
            Self::Anonymous => "anonymous",
            Self::Unknown => "unknown",
        }
    }
}

/// Who made a request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Principal {
    /// Stable identifier (customer id, employee id, service or key name).
    pub id: String,
    /// Its kind.
    pub kind: PrincipalKind,
}

/// The credential presented with a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Credential {
    /// Token identifier (JWT `jti`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_id: Option<String>,
    /// Session identifier the token claims.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// Signing key identifier (JWT `kid`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// Issued-at claim, epoch milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued_at_ms: Option<i64>,
    /// API key identifier, for key-authenticated calls.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key_id: Option<String>,
}

/// Where a request came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Source {
    /// Client IP address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<IpAddr>,
    /// Country of the IP, from the log or enrichment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<Country>,
}

/// How a request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Data was returned or changed.
    Success,
    /// Authentication or authorisation failed.
    Denied,
    /// The resource did not exist.
    NotFound,
    /// The server failed.
    Error,
    /// Not stated.
    #[default]
    Unknown,
}

impl Outcome {
    /// The outcome an HTTP status implies.
    #[must_use]
    pub const fn from_http_status(status: u16) -> Self {
        match status {
            200..=399 => Self::Success,
            401 | 403 => Self::Denied,
            404 | 410 => Self::NotFound,
            500..=599 => Self::Error,
            _ => Self::Unknown,
        }
    }
}

/// One access to an API or data store, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AccessEvent {
    /// Event time (not arrival time), epoch milliseconds UTC.
    pub time_ms: i64,
    /// Identifier of the event in its source log (request id).
    pub event_id: String,
    /// Who.
    pub principal: Principal,
    /// With what credential.
    pub credential: Credential,
    /// From where.
    pub source: Source,
    /// HTTP method or database operation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Endpoint route or table.
    pub endpoint: String,
    /// Data subjects whose records were touched (customer ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
    /// Record types touched (`profile`, `address_book`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub record_types: Vec<String>,
    /// Outcome.
    pub outcome: Outcome,
    /// HTTP status, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Records returned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<u64>,
    /// Bytes returned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_maps_to_outcome() {
        assert_eq!(Outcome::from_http_status(200), Outcome::Success);
        assert_eq!(Outcome::from_http_status(401), Outcome::Denied);
        assert_eq!(Outcome::from_http_status(404), Outcome::NotFound);
        assert_eq!(Outcome::from_http_status(503), Outcome::Error);
        assert_eq!(Outcome::from_http_status(100), Outcome::Unknown);
    }

    #[test]
    fn round_trips_as_json() {
        let e = AccessEvent {
            time_ms: 1_744_600_000_000,
            event_id: "r-1".into(),
            principal: Principal {
                id: "1042".into(),
                kind: PrincipalKind::Customer,
            },
            credential: Credential {
                token_id: Some("t".into()),
                key_id: Some("member-2021".into()),
                ..Credential::default()
            },
            source: Source {
                ip: "203.0.113.7".parse().ok(),
                country: Country::parse("CN").ok(),
            },
            method: Some("GET".into()),
            endpoint: "/api/v1/members/{id}/addresses".into(),
            subjects: vec!["1042".into()],
            record_types: vec!["address_book".into()],
            outcome: Outcome::Success,
            status: Some(200),
            records: Some(3),
            bytes: Some(812),
        };
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<AccessEvent>(&json).unwrap(), e);
    }
}
