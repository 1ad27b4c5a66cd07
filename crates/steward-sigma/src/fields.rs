//! The Sigma field names steward gives an [`AccessEvent`]'s parts.
//!
//! Rules name these fields; they are stable (renaming one is a breaking
//! change to every rule pack). [`Field::ALL`] is the table `docs/sigma.md`
//! documents.

use std::fmt::Write as _;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use steward_model::event::{AccessEvent, Outcome};

/// A field of the normalised access event, as Sigma rules name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Field {
    /// `time`: event time, RFC 3339 UTC with milliseconds.
    Time,
    /// `time_ms`: event time, epoch milliseconds.
    TimeMs,
    /// `event_id`: the request id in the source log.
    EventId,
    /// `principal.id`: who made the request.
    PrincipalId,
    /// `principal.kind`: `customer`, `staff`, `service`, `api_key`, `anonymous`, `unknown`.
    PrincipalKind,
    /// `credential.token_id`: the token's `jti`.
    TokenId,
    /// `credential.session_id`: the session the token claims.
    SessionId,
    /// `credential.key_id`: the signing key's `kid`.
    KeyId,
    /// `credential.issued_at_ms`: the token's issued-at, epoch milliseconds.
    IssuedAtMs,
    /// `credential.api_key_id`: the API key, for key-authenticated calls.
    ApiKeyId,
    /// `source.ip`: client IP address.
    SourceIp,
    /// `source.country`: ISO 3166-1 alpha-2 country of the client IP.
    SourceCountry,
    /// `method`: HTTP method or database operation.
    Method,
    /// `endpoint`: route template or table.
    Endpoint,
    /// `subjects`: ids of the data subjects whose records were touched (a list).
    Subjects,
    /// `subject_count`: how many subjects the request touched.
    SubjectCount,
    /// `record_types`: record types touched (a list: `profile`, `address_book`, …).
    RecordTypes,
    /// `outcome`: `success`, `denied`, `not_found`, `error`, `unknown`.
    Outcome,
    /// `status`: HTTP status.
    Status,
    /// `records`: records returned.
    Records,
    /// `bytes`: bytes returned.
    Bytes,
}

impl Field {
    /// Every field, in documentation order.
    pub const ALL: [Self; 21] = [
        Self::Time,
        Self::TimeMs,
        Self::EventId,
        Self::PrincipalId,
        Self::PrincipalKind,
        Self::TokenId,
        Self::SessionId,
        Self::KeyId,
        Self::IssuedAtMs,
        Self::ApiKeyId,
        Self::SourceIp,
        Self::SourceCountry,
        Self::Method,
        Self::Endpoint,
        Self::Subjects,
        Self::SubjectCount,
        Self::RecordTypes,
        Self::Outcome,
        Self::Status,
        Self::Records,
        Self::Bytes,
    ];

    /// The name rules use.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Time => "time",
            Self::TimeMs => "time_ms",
            Self::EventId => "event_id",
            Self::PrincipalId => "principal.id",
            Self::PrincipalKind => "principal.kind",
            Self::TokenId => "credential.token_id",
            Self::SessionId => "credential.session_id",
            Self::KeyId => "credential.key_id",
            Self::IssuedAtMs => "credential.issued_at_ms",
            Self::ApiKeyId => "credential.api_key_id",
            Self::SourceIp => "source.ip",
            Self::SourceCountry => "source.country",
            Self::Method => "method",
            Self::Endpoint => "endpoint",
            Self::Subjects => "subjects",
            Self::SubjectCount => "subject_count",
            Self::RecordTypes => "record_types",
            Self::Outcome => "outcome",
            Self::Status => "status",
            Self::Records => "records",
            Self::Bytes => "bytes",
        }
    }

    /// The field a rule's name refers to; names are case-sensitive.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "time" => Self::Time,
            "time_ms" => Self::TimeMs,
            "event_id" => Self::EventId,
            "principal.id" => Self::PrincipalId,
            "principal.kind" => Self::PrincipalKind,
            "credential.token_id" => Self::TokenId,
            "credential.session_id" => Self::SessionId,
            "credential.key_id" => Self::KeyId,
            "credential.issued_at_ms" => Self::IssuedAtMs,
            "credential.api_key_id" => Self::ApiKeyId,
            "source.ip" => Self::SourceIp,
            "source.country" => Self::SourceCountry,
            "method" => Self::Method,
            "endpoint" => Self::Endpoint,
            "subjects" => Self::Subjects,
            "subject_count" => Self::SubjectCount,
            "record_types" => Self::RecordTypes,
            "outcome" => Self::Outcome,
            "status" => Self::Status,
            "records" => Self::Records,
            "bytes" => Self::Bytes,
            _ => return None,
        })
    }

    /// The value's type, for documentation.
    #[must_use]
    pub const fn kind(self) -> &'static str {
        match self {
            Self::TimeMs
            | Self::IssuedAtMs
            | Self::SubjectCount
            | Self::Status
            | Self::Records
            | Self::Bytes => "integer",
            Self::Subjects | Self::RecordTypes => "list of strings",
            _ => "string",
        }
    }
}

/// A field's value, borrowed from the event where it can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Value<'a> {
    /// Text.
    Str(&'a str),
    /// A number.
    Int(i64),
    /// An IP address (rendered on demand).
    Ip(IpAddr),
    /// Event time in epoch milliseconds (rendered as RFC 3339 on demand).
    Time(i64),
    /// A list of strings.
    List(&'a [String]),
}

const fn non_empty(s: &str) -> Option<&str> {
    if s.is_empty() { None } else { Some(s) }
}

const fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Success => "success",
        Outcome::Denied => "denied",
        Outcome::NotFound => "not_found",
        Outcome::Error => "error",
        Outcome::Unknown => "unknown",
    }
}

fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// The value of `field` in `event`; `None` when absent. Empty strings and
/// empty lists count as absent, so `field: null` matches them.
pub(crate) fn value(event: &AccessEvent, field: Field) -> Option<Value<'_>> {
    fn opt(o: &Option<String>) -> Option<Value<'_>> {
        o.as_deref().and_then(non_empty).map(Value::Str)
    }
    match field {
        Field::Time => Some(Value::Time(event.time_ms)),
        Field::TimeMs => Some(Value::Int(event.time_ms)),
        Field::EventId => non_empty(&event.event_id).map(Value::Str),
        Field::PrincipalId => non_empty(&event.principal.id).map(Value::Str),
        Field::PrincipalKind => Some(Value::Str(event.principal.kind.name())),
        Field::TokenId => opt(&event.credential.token_id),
        Field::SessionId => opt(&event.credential.session_id),
        Field::KeyId => opt(&event.credential.key_id),
        Field::IssuedAtMs => event.credential.issued_at_ms.map(Value::Int),
        Field::ApiKeyId => opt(&event.credential.api_key_id),
        Field::SourceIp => event.source.ip.map(Value::Ip),
        Field::SourceCountry => event.source.country.as_ref().map(|c| Value::Str(c.code())),
        Field::Method => opt(&event.method),
        Field::Endpoint => non_empty(&event.endpoint).map(Value::Str),
        Field::Subjects => (!event.subjects.is_empty()).then_some(Value::List(&event.subjects)),
        Field::SubjectCount => Some(Value::Int(int(event.subjects.len() as u64))),
        Field::RecordTypes => {
            (!event.record_types.is_empty()).then_some(Value::List(&event.record_types))
        }
        Field::Outcome => Some(Value::Str(outcome_name(event.outcome))),
        Field::Status => event.status.map(|s| Value::Int(i64::from(s))),
        Field::Records => event.records.map(|r| Value::Int(int(r))),
        Field::Bytes => event.bytes.map(|b| Value::Int(int(b))),
    }
}

impl Value<'_> {
    /// Appends the value as text (a list joined with `,`).
    pub(crate) fn write_text(&self, out: &mut String) {
        match self {
            Value::Str(s) => out.push_str(s),
            Value::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Value::Ip(ip) => steward_model::net::push_ip(out, *ip),
            Value::Time(ms) => out.push_str(&steward_model::time::rfc3339_millis(*ms)),
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(item);
                }
            }
        }
    }

    /// The value as a number, when it is one or is text that parses as one.
    pub(crate) fn number(&self) -> Option<f64> {
        match self {
            Value::Int(n) | Value::Time(n) => Some(*n as f64),
            Value::Str(s) => s.trim().parse().ok(),
            Value::Ip(_) | Value::List(_) => None,
        }
    }
}

/// A value owned, for correlation hits held back until the watermark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum OwnedValue {
    /// Text or a number rendered as text.
    Text(String),
    /// A list.
    List(Vec<String>),
}

impl OwnedValue {
    pub(crate) fn capture(value: &Value<'_>) -> Self {
        match value {
            Value::List(items) => Self::List(items.to_vec()),
            Value::Str(s) => Self::Text((*s).to_owned()),
            other => {
                let mut s = String::new();
                other.write_text(&mut s);
                Self::Text(s)
            }
        }
    }

    pub(crate) fn borrow(&self) -> Value<'_> {
        match self {
            Self::Text(s) => Value::Str(s),
            Self::List(items) => Value::List(items),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in Field::ALL {
            assert_eq!(Field::parse(f.name()), Some(f));
        }
        assert_eq!(Field::parse("Principal.Id"), None);
    }

    #[test]
    fn empty_is_absent() {
        let e = AccessEvent::default();
        assert_eq!(value(&e, Field::PrincipalId), None);
        assert_eq!(value(&e, Field::Subjects), None);
        assert_eq!(value(&e, Field::SubjectCount), Some(Value::Int(0)));
        assert_eq!(value(&e, Field::Outcome), Some(Value::Str("unknown")));
        let mut t = String::new();
        value(&e, Field::Time).unwrap().write_text(&mut t);
        assert_eq!(t, "1970-01-01T00:00:00.000Z");
    }
}
