//! `duties.json`: one JSON document.
//!
//! ```text
//! {
//!   "format": "steward-notify/1",
//!   "incident": "inc-…" | null, "title": "…" | null,
//!   "now": "2025-12-16T00:00:00Z" | null,
//!   "impact": { "selector", "people", "customers", "third_parties",
//!               "first_access", "last_access", "by_country", "by_subdivision" },
//!   "duties": [ Duty… ],          // see crate::duty::Duty; times are RFC 9557
//!                                 // strings with the zone: "2025-11-20T16:00:00+09:00[Asia/Seoul]"
//!   "not_triggered": [ { "regime", "regime_name", "recipient", "reason" } ],
//!   "regimes_considered": 17
//! }
//! ```
//!
//! Counts only: no personal data is in the document.

use serde::Serialize;
use steward_model::impact::JurisdictionImpact;

use super::Report;
use crate::duty::{Duty, NotTriggered};

#[derive(Serialize)]
struct Impact<'a> {
    selector: &'a str,
    people: u64,
    customers: u64,
    third_parties: u64,
    first_access: Option<jiff::Timestamp>,
    last_access: Option<jiff::Timestamp>,
    by_country: &'a std::collections::BTreeMap<String, JurisdictionImpact>,
    by_subdivision: &'a std::collections::BTreeMap<String, JurisdictionImpact>,
}

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    incident: Option<&'a str>,
    title: Option<&'a str>,
    now: Option<jiff::Timestamp>,
    impact: Impact<'a>,
    duties: &'a [Duty],
    not_triggered: &'a [NotTriggered],
    regimes_considered: usize,
}

/// The report as pretty-printed JSON.
#[must_use]
pub fn render(report: &Report<'_>) -> String {
    let s = report.summary;
    let doc = Document {
        format: "steward-notify/1",
        incident: report.incident,
        title: report.title,
        now: report.evaluation.now,
        impact: Impact {
            selector: &s.selector,
            people: s.people,
            customers: s.customers,
            third_parties: s.third_parties,
            first_access: s.first_access,
            last_access: s.last_access,
            by_country: &s.by_country,
            by_subdivision: &s.by_subdivision,
        },
        duties: &report.evaluation.duties,
        not_triggered: &report.evaluation.not_triggered,
        regimes_considered: report.evaluation.regimes_considered,
    };
    // Serialising plain data into a string cannot fail.
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}
