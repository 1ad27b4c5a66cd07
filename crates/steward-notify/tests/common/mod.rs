//! Builders for test summaries and facts.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use steward_model::impact::{ImpactSummary, JurisdictionImpact};
use steward_notify::{Duty, Evaluation, IncidentFacts, Library, evaluate};

/// One jurisdiction: people, of which third parties, and categories.
pub fn j(people: u64, third: u64, cats: &[(&str, u64)]) -> JurisdictionImpact {
    JurisdictionImpact {
        people,
        customers: people - third,
        third_parties: third,
        by_category: cats.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect(),
        inferred: BTreeMap::new(),
    }
}

/// A summary from countries and subdivisions.
pub fn summary(
    countries: &[(&str, JurisdictionImpact)],
    subdivisions: &[(&str, JurisdictionImpact)],
) -> ImpactSummary {
    let people = countries.iter().map(|(_, j)| j.people).sum();
    let third = countries.iter().map(|(_, j)| j.third_parties).sum();
    ImpactSummary {
        selector: "test".into(),
        first_access: None,
        last_access: None,
        events: people,
        reads: people,
        people,
        customers: people - third,
        third_parties: third,
        by_country: countries
            .iter()
            .map(|(c, j)| ((*c).to_owned(), j.clone()))
            .collect(),
        by_subdivision: subdivisions
            .iter()
            .map(|(c, j)| ((*c).to_owned(), j.clone()))
            .collect(),
        timeline: Vec::new(),
    }
}

/// People of one country with the given categories, everyone having all of them.
pub fn country(code: &str, people: u64, cats: &[&str]) -> ImpactSummary {
    let cats: Vec<(&str, u64)> = cats.iter().map(|c| (*c, people)).collect();
    summary(&[(code, j(people, 0, &cats))], &[])
}

/// People of one US state (the country row carries them too).
pub fn state(code: &str, people: u64, cats: &[&str]) -> ImpactSummary {
    let cats: Vec<(&str, u64)> = cats.iter().map(|c| (*c, people)).collect();
    summary(
        &[("US", j(people, 0, &cats))],
        &[(code, j(people, 0, &cats))],
    )
}

pub fn facts(yaml: &str) -> IncidentFacts {
    IncidentFacts::parse("facts.yaml", yaml).unwrap()
}

pub fn run(s: &ImpactSummary, f: &IncidentFacts) -> Evaluation {
    evaluate(&Library::builtin().unwrap(), s, f)
}

pub fn duty<'a>(e: &'a Evaluation, key: &str) -> Option<&'a Duty> {
    e.duties.iter().find(|d| d.key() == key)
}

/// The reason a notice was not triggered.
pub fn why_not(e: &Evaluation, regime: &str, recipient: Option<&str>) -> Option<String> {
    e.not_triggered
        .iter()
        .find(|n| n.regime == regime && n.recipient.as_deref() == recipient)
        .map(|n| n.reason.clone())
}

pub const NAME: &str = "user.name";
pub const EMAIL: &str = "user.contact.email";
pub const SSN: &str = "user.government_id.national_identification_number.us_ssn";
pub const CARD: &str = "user.financial.credit_card";
