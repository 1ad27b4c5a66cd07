//! The result of `steward impact`, as `steward notify` and the reports read
//! it: who was affected, which data, in which jurisdictions, and when.
//!
//! Counts only; no raw personal data. People are listed separately, as
//! [`AffectedPerson`] rows whose contact is a [`Sensitive`] value.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::masked::Sensitive;

/// Whether an affected person is a customer or someone whose details sit in
/// a customer's records (an address-book entry, an order recipient).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonKind {
    /// A customer (member) of the platform.
    Customer,
    /// A person who is not a customer, known from a customer's records.
    ThirdParty,
}

/// How a person's jurisdiction was established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JurisdictionBasis {
    /// The country of residence on the customer record.
    Declared,
    /// Inferred from the phone number's country calling code.
    InferredFromPhone,
    /// Inferred from the postal address.
    InferredFromAddress,
    /// Not known.
    Unknown,
}

/// Totals for one jurisdiction (a country, or a country subdivision such as
/// `US-CA` where the law differs by state).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JurisdictionImpact {
    /// Distinct people.
    pub people: u64,
    /// Of which customers.
    pub customers: u64,
    /// Of which third parties.
    pub third_parties: u64,
    /// Distinct people per data category key.
    pub by_category: BTreeMap<String, u64>,
    /// People whose jurisdiction was inferred rather than declared, by basis.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inferred: BTreeMap<JurisdictionBasis, u64>,
}

/// One bucket of the access time line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineBucket {
    /// Bucket start.
    pub start: Timestamp,
    /// Matching access events in the bucket.
    pub events: u64,
    /// People first affected in the bucket.
    pub new_people: u64,
}

/// The impact of one incident or selector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpactSummary {
    /// Human description of what was selected (principals, keys, window…).
    pub selector: String,
    /// First matching access.
    pub first_access: Option<Timestamp>,
    /// Last matching access.
    pub last_access: Option<Timestamp>,
    /// Access events that matched the selector.
    pub events: u64,
    /// Of which returned personal data (successful reads).
    pub reads: u64,
    /// Distinct people affected.
    pub people: u64,
    /// Of which customers.
    pub customers: u64,
    /// Of which third parties.
    pub third_parties: u64,
    /// Totals per country code (`KR`).
    pub by_country: BTreeMap<String, JurisdictionImpact>,
    /// Totals per subdivision (`US-CA`), where known.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by_subdivision: BTreeMap<String, JurisdictionImpact>,
    /// Access time line.
    #[serde(default)]
    pub timeline: Vec<TimelineBucket>,
}

/// One affected person, for notice lists. The contact is masked unless the
/// caller exposes it on purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AffectedPerson {
    /// Stable id: `m:<member id>` for customers, `t:<fingerprint>` for third
    /// parties.
    pub id: String,
    /// Customer or third party.
    pub kind: PersonKind,
    /// Country code.
    pub country: Option<String>,
    /// Subdivision code, where known.
    pub subdivision: Option<String>,
    /// How the jurisdiction was established.
    pub basis: JurisdictionBasis,
    /// Data categories exposed.
    pub categories: Vec<String>,
    /// Channel to reach the person: `email`, `sms`, `post`.
    pub channel: String,
    /// Contact address on that channel.
    pub contact: Sensitive,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::masked::MaskStyle;

    #[test]
    fn a_person_serialises_with_a_masked_contact() {
        let p = AffectedPerson {
            id: "m:7".into(),
            kind: PersonKind::Customer,
            country: Some("KR".into()),
            subdivision: None,
            basis: JurisdictionBasis::Declared,
            categories: vec!["user.contact.email".into()],
            channel: "sms".into(),
            contact: Sensitive::new("010-1234-5678", MaskStyle::Generic),
        };
        let json = serde_json::to_string(&p).unwrap_or_default();
        assert!(!json.contains("1234-5678"), "{json}");
        assert!(json.contains("\"kind\":\"customer\""), "{json}");
    }

    #[test]
    fn a_summary_round_trips_through_json() {
        let mut by_country = BTreeMap::new();
        by_country.insert(
            "KR".to_owned(),
            JurisdictionImpact {
                people: 3,
                customers: 2,
                third_parties: 1,
                by_category: BTreeMap::from([("user.name".to_owned(), 3)]),
                inferred: BTreeMap::from([(JurisdictionBasis::InferredFromPhone, 1)]),
            },
        );
        let s = ImpactSummary {
            selector: "principal=E0113".into(),
            first_access: None,
            last_access: None,
            events: 10,
            reads: 8,
            people: 3,
            customers: 2,
            third_parties: 1,
            by_country,
            by_subdivision: BTreeMap::new(),
            timeline: Vec::new(),
        };
        let json = serde_json::to_string(&s).unwrap_or_default();
        let back: Result<ImpactSummary, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(s));
    }
}
