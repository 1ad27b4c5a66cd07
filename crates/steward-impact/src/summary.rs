//! Totals by jurisdiction and category, and the time line, computed by set
//! algebra over the compressed id sets: a person counted in a jurisdiction
//! and a category is a member of both sets, so nobody is counted twice.

use std::collections::BTreeMap;

use jiff::Timestamp;
use roaring::RoaringTreemap;
use steward_model::impact::{
    ImpactSummary, JurisdictionBasis, JurisdictionImpact, PersonKind, TimelineBucket,
};

use crate::categories::Categories;
use crate::members::Place;
use crate::query::HOUR_MS;
use crate::reads::{Buckets, Reads, first_seen};

/// The people of one kind, by place, with their category sets (indexed as
/// [`Categories::names`]).
pub struct Group<'a> {
    /// Customer or third party.
    pub kind: PersonKind,
    /// People by place.
    pub by_place: &'a BTreeMap<Place, RoaringTreemap>,
    /// People per category.
    pub by_category: &'a [RoaringTreemap],
}

fn add(
    into: &mut JurisdictionImpact,
    g: &Group<'_>,
    set: &RoaringTreemap,
    basis: JurisdictionBasis,
    names: &[String],
) {
    let n = set.len();
    into.people += n;
    match g.kind {
        PersonKind::Customer => into.customers += n,
        PersonKind::ThirdParty => into.third_parties += n,
    }
    for (name, cat) in names.iter().zip(g.by_category) {
        let k = set.intersection_len(cat);
        if k > 0 {
            *into.by_category.entry(name.clone()).or_default() += k;
        }
    }
    if basis != JurisdictionBasis::Declared && n > 0 {
        *into.inferred.entry(basis).or_default() += n;
    }
}

/// Builds the summary.
#[must_use]
pub fn summarise(
    selector: String,
    reads: &Reads,
    categories: &Categories,
    groups: &[Group<'_>],
    new_by_bucket: &BTreeMap<i64, u64>,
    buckets: Buckets,
) -> ImpactSummary {
    let mut by_country: BTreeMap<String, JurisdictionImpact> = BTreeMap::new();
    let mut by_subdivision: BTreeMap<String, JurisdictionImpact> = BTreeMap::new();
    let (mut customers, mut third) = (0, 0);
    for g in groups {
        for ((country, sub, basis), set) in g.by_place {
            let names = categories.names();
            add(
                by_country.entry(country.clone()).or_default(),
                g,
                set,
                *basis,
                names,
            );
            if let Some(sub) = sub {
                add(
                    by_subdivision.entry(sub.clone()).or_default(),
                    g,
                    set,
                    *basis,
                    names,
                );
            }
            match g.kind {
                PersonKind::Customer => customers += set.len(),
                PersonKind::ThirdParty => third += set.len(),
            }
        }
    }
    let mut events: BTreeMap<i64, u64> = BTreeMap::new();
    for (h, n) in &reads.hour_events {
        *events.entry(buckets.of(*h)).or_default() += n;
    }
    let timeline = events
        .iter()
        .map(|(b, n)| TimelineBucket {
            start: Timestamp::from_millisecond(b * HOUR_MS).unwrap_or(Timestamp::UNIX_EPOCH),
            events: *n,
            new_people: new_by_bucket.get(b).copied().unwrap_or_default(),
        })
        .collect();
    let at = |ms: Option<i64>| ms.and_then(|m| Timestamp::from_millisecond(m).ok());
    ImpactSummary {
        selector,
        first_access: at(reads.first_ms),
        last_access: at(reads.last_ms),
        events: reads.events,
        reads: reads.reads,
        people: customers + third,
        customers,
        third_parties: third,
        by_country,
        by_subdivision,
        timeline,
    }
}

/// People first exposed per bucket, from per-bucket sets of each kind.
#[must_use]
pub fn new_people(kinds: &[BTreeMap<i64, RoaringTreemap>]) -> BTreeMap<i64, u64> {
    let mut out: BTreeMap<i64, u64> = BTreeMap::new();
    for by_bucket in kinds {
        for (b, set) in first_seen(by_bucket) {
            *out.entry(b).or_default() += set.len();
        }
    }
    out
}
