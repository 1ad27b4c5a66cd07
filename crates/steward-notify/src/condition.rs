//! Conditions on a breach: counts of people, the data categories exposed,
//! and facts about the incident. A regime's triggers are lists of
//! conditions, any one of which fires; inside one condition every field
//! must hold.
//!
//! A condition that depends on a fact nobody gave (the harm assessment, for
//! instance) is taken to hold, and the assumption is reported with the duty:
//! steward would rather list a duty the user can strike out than hide one.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use crate::facts::{Cause, Harm, IncidentFacts};

/// A data category key, checked against the taxonomy while parsing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CategoryKey(String);

impl CategoryKey {
    /// A checked key.
    ///
    /// # Errors
    /// The key is not in steward's taxonomy.
    pub fn new(key: &str) -> Result<Self, String> {
        steward_model::category::DataCategory::new(key)
            .map(|c| Self(c.as_str().to_owned()))
            .map_err(|e| e.to_string())
    }

    /// The dotted key.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when `key` is this category or lies below it.
    #[must_use]
    pub fn covers(&self, key: &str) -> bool {
        key == self.0
            || (key.starts_with(&self.0) && key.as_bytes().get(self.0.len()) == Some(&b'.'))
    }
}

impl<'de> Deserialize<'de> for CategoryKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let key = String::deserialize(d)?;
        Self::new(&key).map_err(serde::de::Error::custom)
    }
}

/// One trigger: every field given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// At least this many people qualify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people_at_least: Option<u64>,
    /// More than this many people qualify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people_more_than: Option<u64>,
    /// At least one of these categories (or one below it) was exposed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories_any: Vec<CategoryKey>,
    /// Every one of these categories (or one below each) was exposed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories_all: Vec<CategoryKey>,
    /// The cause is one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cause: Vec<Cause>,
    /// The cause is none of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cause_not: Vec<Cause>,
    /// The assessed harm is at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub harm_at_least: Option<Harm>,
    /// The company is (or is not) an SEC registrant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sec_registrant: Option<bool>,
    /// The incident was (or was not) determined material.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub material: Option<bool>,
    /// The data was (or was not) encrypted with the key kept safe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<bool>,
    /// The company is (or is not) a critical-infrastructure operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical_infrastructure: Option<bool>,
    /// The controller is established in one of these countries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub established_in: Vec<String>,
    /// The company is listed on one of these markets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub listed_on: Vec<String>,
}

/// The people a regime covers, summed over its jurisdictions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Population {
    /// Distinct people.
    pub people: u64,
    /// Of which customers.
    pub customers: u64,
    /// Of which third parties.
    pub third_parties: u64,
    /// People per data category.
    pub by_category: BTreeMap<String, u64>,
    /// People whose data meets the regime's definition of personal
    /// information: exact when no definition applies, else an upper bound
    /// from the per-category counts.
    pub qualifying: u64,
    /// What was summed (`KR 1000`, `US-CA 12`, `everyone …`).
    pub parts: Vec<String>,
    /// True when the regime covers everyone affected, not only residents.
    pub everyone: bool,
}

impl Population {
    /// People with a category at or below `key` (an upper bound when
    /// several sub-categories are summed, capped at the population).
    #[must_use]
    pub fn with_category(&self, key: &CategoryKey) -> u64 {
        self.by_category
            .iter()
            .filter(|(k, _)| key.covers(k))
            .map(|(_, n)| *n)
            .sum::<u64>()
            .min(self.people)
    }
}

/// The outcome of checking a condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// It holds: why, and which missing facts were assumed.
    Holds {
        /// What held, with counts.
        because: Vec<String>,
        /// Facts that were missing and taken to hold.
        assumed: Vec<String>,
    },
    /// It does not hold: the first reason.
    Fails(String),
}

impl Condition {
    /// Upper bound of the people whose exposed categories meet this
    /// condition's category part.
    #[must_use]
    pub fn category_estimate(&self, pop: &Population) -> u64 {
        let mut n = pop.people;
        for k in &self.categories_all {
            n = n.min(pop.with_category(k));
        }
        if !self.categories_any.is_empty() {
            let any: u64 = self
                .categories_any
                .iter()
                .map(|k| pop.with_category(k))
                .sum();
            n = n.min(any);
        }
        n
    }

    /// Checks the condition against the population and the facts.
    #[must_use]
    pub fn check(&self, pop: &Population, facts: &IncidentFacts) -> Check {
        let mut because = Vec::new();
        let mut assumed = Vec::new();
        let n = pop.qualifying;
        if let Some(min) = self.people_at_least {
            if n < min {
                return Check::Fails(format!("{n} people, needs at least {min}"));
            }
            because.push(format!("{n} people (at least {min})"));
        }
        if let Some(min) = self.people_more_than {
            if n <= min {
                return Check::Fails(format!("{n} people, needs more than {min}"));
            }
            because.push(format!("{n} people (more than {min})"));
        }
        for k in &self.categories_all {
            let c = pop.with_category(k);
            if c == 0 {
                return Check::Fails(format!("no `{}` exposed", k.as_str()));
            }
            because.push(format!("`{}` exposed ({c})", k.as_str()));
        }
        if !self.categories_any.is_empty() {
            let hit: Vec<String> = pop
                .by_category
                .iter()
                .filter(|(k, n)| **n > 0 && self.categories_any.iter().any(|t| t.covers(k)))
                .map(|(k, n)| format!("`{k}` ({n})"))
                .collect();
            if hit.is_empty() {
                let keys: Vec<&str> = self
                    .categories_any
                    .iter()
                    .map(CategoryKey::as_str)
                    .collect();
                return Check::Fails(format!("none of `{}` exposed", keys.join("`, `")));
            }
            because.push(format!("exposed {}", hit.join(", ")));
        }
        if !self.cause.is_empty() || !self.cause_not.is_empty() {
            match facts.cause {
                Some(c) if !self.cause.is_empty() && !self.cause.contains(&c) => {
                    return Check::Fails(format!("cause is {}", c.label()));
                }
                Some(c) if self.cause_not.contains(&c) => {
                    return Check::Fails(format!("cause is {}", c.label()));
                }
                Some(c) => because.push(format!("cause: {}", c.label())),
                None => assumed.push("cause (`cause` not given)".to_owned()),
            }
        }
        if let Some(min) = self.harm_at_least {
            match facts.harm {
                Some(h) if h < min => {
                    return Check::Fails(format!("harm assessed as {}", h.label()));
                }
                Some(h) => because.push(format!("harm: {}", h.label())),
                None => assumed.push(format!("harm is {} (`harm` not assessed)", min.label())),
            }
        }
        let flags = [
            (
                self.sec_registrant,
                facts.sec_registrant,
                "SEC registrant",
                "sec_registrant",
            ),
            (self.material, facts.is_material(), "material", "material"),
            (self.encrypted, facts.encrypted, "encrypted", "encrypted"),
            (
                self.critical_infrastructure,
                facts.critical_infrastructure,
                "critical-infrastructure operator",
                "critical_infrastructure",
            ),
        ];
        for (want, have, words, field) in flags {
            let Some(want) = want else { continue };
            let not = if want { "" } else { "not " };
            match have {
                Some(h) if h != want => {
                    let is = if h { "" } else { "not " };
                    return Check::Fails(format!("{is}{words}"));
                }
                Some(_) => because.push(format!("{not}{words}")),
                None => assumed.push(format!("{not}{words} (`{field}` not given)")),
            }
        }
        if !self.established_in.is_empty() {
            match self
                .established_in
                .iter()
                .find(|c| facts.established_in.contains(c))
            {
                Some(c) => because.push(format!("established in {c}")),
                None => return Check::Fails("not established there".to_owned()),
            }
        }
        if !self.listed_on.is_empty() {
            match self.listed_on.iter().find(|c| facts.listed_on.contains(c)) {
                Some(c) => because.push(format!("listed on {c}")),
                None => return Check::Fails("not listed there".to_owned()),
            }
        }
        Check::Holds { because, assumed }
    }
}

/// Checks alternatives: the first that holds, or every reason they fail.
#[must_use]
pub fn any_of(conditions: &[Condition], pop: &Population, facts: &IncidentFacts) -> Check {
    if conditions.is_empty() {
        return Check::Holds {
            because: Vec::new(),
            assumed: Vec::new(),
        };
    }
    let mut fails = Vec::new();
    // A condition that holds without assumptions beats one that needs them.
    let mut assumed_hold = None;
    for c in conditions {
        match c.check(pop, facts) {
            Check::Holds { because, assumed } if assumed.is_empty() => {
                return Check::Holds { because, assumed };
            }
            h @ Check::Holds { .. } => {
                if assumed_hold.is_none() {
                    assumed_hold = Some(h);
                }
            }
            Check::Fails(r) => fails.push(r),
        }
    }
    assumed_hold.unwrap_or_else(|| Check::Fails(fails.join("; ")))
}
