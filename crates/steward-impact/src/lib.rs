//! steward's blast radius: from a selection of access events (a principal,
//! tokens, a signing key with only its forged tokens, IPs, routes, a time
//! window), the exact people whose data was returned, customers and third
//! parties (people listed in the address books that were read), each
//! counted once, with the data categories exposed and where they live.
//!
//! The access logs are queried with Apache DataFusion ([`query`]): JSON
//! Lines and Parquet logs become one flat `access` table, the selector a
//! filter pushed into the scan, and one aggregate returns the distinct
//! (member, route) reads per hour. The rest is compressed id sets
//! (`roaring`): members read per route ([`reads`]), the people listed in the
//! returned address books keyed by normalised phone number ([`books`]),
//! customers matched by phone and name and placed by their declared
//! residence ([`members`]), third parties placed by phone calling code and,
//! for US states, address ([`infer`]). Totals by jurisdiction and category
//! are intersections of those sets ([`summary`]).
//!
//! Nothing here prints or opens the state database.
//!
//! ```no_run
//! use steward_impact::{Inputs, Selector, compute, NoProgress};
//!
//! let inputs = Inputs::platform(std::path::Path::new("steward-demo"));
//! let selector = Selector {
//!     signing_keys: vec!["member-2021".into()],
//!     forged_only: true,
//!     ..Selector::default()
//! };
//! let impact = compute(&inputs, &selector, &[], &NoProgress).unwrap();
//! println!("{} people", impact.summary.people);
//! ```

pub mod books;
pub mod categories;
pub mod error;
pub mod incident;
pub mod infer;
pub mod inputs;
pub mod members;
pub mod people;
pub mod phone;
pub mod query;
pub mod reads;
pub mod render;
pub mod selector;
pub mod sql;
pub mod summary;

use std::collections::BTreeMap;

use roaring::RoaringTreemap;
use steward_model::impact::{ImpactSummary, PersonKind};
use steward_model::manifest::Manifest;

pub use error::{ImpactError, Result};
pub use inputs::{Inputs, LogFormat};
pub use query::Engine;
pub use selector::Selector;

use crate::books::{Listed, Owners};
use crate::categories::Categories;
use crate::members::{Customers, Members, Place};
use crate::reads::{Buckets, Reads};

pub use steward_model::progress::{NoProgress, Progress};

/// A computed impact: the summary, remarks about how it was computed, and
/// the sets behind it for listing the people.
pub struct Impact {
    /// Totals.
    pub summary: ImpactSummary,
    /// How the result was reached where it matters to a reader: inferred
    /// jurisdictions, undeclared routes, entries that could not be placed.
    pub notes: Vec<String>,
    categories: Categories,
    customers: Customers,
    customer_categories: Vec<RoaringTreemap>,
    third: RoaringTreemap,
    third_categories: Vec<RoaringTreemap>,
    listed: Listed,
    members: Option<std::path::PathBuf>,
}

impl Impact {
    /// Every affected customer's member id.
    #[must_use]
    pub const fn customer_ids(&self) -> &RoaringTreemap {
        &self.customers.all
    }

    /// Every affected third party, by normalised phone number (E.164).
    #[must_use]
    pub const fn third_party_numbers(&self) -> &RoaringTreemap {
        &self.third
    }
}

fn load_manifest(inputs: &Inputs) -> Result<Option<Manifest>> {
    let Some(path) = &inputs.manifest else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path).map_err(|source| ImpactError::Read {
        path: path.clone(),
        source,
    })?;
    serde_norway::from_str(&text)
        .map(Some)
        .map_err(|e| ImpactError::Manifest {
            path: path.clone(),
            message: e.to_string(),
        })
}

/// Where the address books are: `inputs.address_books`, else the dataset
/// the manifest names for related people.
fn address_books(
    inputs: &Inputs,
    manifest: Option<&Manifest>,
    categories: &Categories,
) -> Option<std::path::PathBuf> {
    if let Some(p) = &inputs.address_books {
        return Some(p.clone());
    }
    let (m, id, base) = (
        manifest?,
        categories.related_dataset()?,
        inputs.manifest.as_ref()?.parent()?,
    );
    m.systems
        .iter()
        .flat_map(|s| &s.datasets)
        .find(|d| d.id == id || id.starts_with(&format!("{}.", d.id)))
        .map(|d| base.join(&d.location))
}

/// Third parties by place: US numbers by the state in their address, the
/// rest by their calling code.
fn place_third_parties(third: &RoaringTreemap, listed: &Listed) -> BTreeMap<Place, RoaringTreemap> {
    use steward_model::impact::JurisdictionBasis;
    let mut out: BTreeMap<Place, RoaringTreemap> = BTreeMap::new();
    let mut by_address = RoaringTreemap::new();
    for (state, set) in &listed.by_state {
        let here = set & third;
        by_address |= &here;
        out.insert(
            (
                "US".to_owned(),
                Some(state.clone()),
                JurisdictionBasis::InferredFromAddress,
            ),
            here,
        );
    }
    for n in &(third - &by_address) {
        let place = match phone::country(n) {
            Some(c) => (c.to_owned(), None, JurisdictionBasis::InferredFromPhone),
            None => (
                members::UNKNOWN.to_owned(),
                None,
                JurisdictionBasis::Unknown,
            ),
        };
        out.entry(place).or_default().insert(n);
    }
    out.retain(|_, s| !s.is_empty());
    out
}

/// Computes the impact of `selector` over `inputs`. `fallback` is the list
/// of categories assumed for routes the manifest does not declare (the
/// categories the scan inventory found in member records).
///
/// # Errors
/// Missing inputs, a selector that matches nothing, unreadable files.
pub fn compute(
    inputs: &Inputs,
    selector: &Selector,
    fallback: &[String],
    progress: &dyn Progress,
) -> Result<Impact> {
    selector.validate()?;
    let engine = Engine::open(inputs)?;
    let manifest = load_manifest(inputs)?;
    let categories = Categories::new(manifest.as_ref(), fallback);
    let mut notes = Vec::new();

    progress.stage("access logs", 1);
    let mut reads = Reads::default();
    engine.reads(selector, |g| reads.add(&g, &categories))?;
    progress.advance(1);
    progress.finish_stage();
    if reads.events == 0 {
        return Err(ImpactError::NoMatch {
            selector: selector.describe(),
            logs: engine.logs().to_owned(),
        });
    }
    for route in reads.by_route.keys() {
        if !categories.route(route).2 {
            notes.push(format!(
                "route `{route}` is not declared in the manifest; assumed to return {}",
                if fallback.is_empty() {
                    "no categories (run `steward scan` to learn them)".to_owned()
                } else {
                    "the categories the scan inventory found in member records".to_owned()
                }
            ));
        }
    }
    let buckets = Buckets::for_span(
        reads.first_ms.unwrap_or_default(),
        reads.last_ms.unwrap_or_default(),
    );
    let direct = reads.members();

    // Related people: the address books of members whose books were read.
    let owners_by_mask = reads.owners_by_mask(&categories);
    let listed = if owners_by_mask.is_empty() {
        Listed::default()
    } else {
        let first: BTreeMap<i64, RoaringTreemap> =
            reads::first_seen(&buckets.coarsen(&reads.hour_owners));
        let mut first_bucket: Vec<(u64, i64)> = first
            .iter()
            .flat_map(|(b, set)| set.iter().map(move |o| (o, *b)))
            .collect();
        first_bucket.sort_unstable();
        match address_books(inputs, manifest.as_ref(), &categories) {
            Some(path) if path.is_file() => books::read(
                &path,
                &Owners {
                    by_mask: &owners_by_mask,
                    first_bucket: &first_bucket,
                },
                progress,
            )?,
            Some(path) => {
                return Err(ImpactError::Missing {
                    what: "address book",
                    path,
                });
            }
            None => {
                notes.push(
                    "address books were returned but none was given (`--address-books`): third parties are not counted"
                        .to_owned(),
                );
                Listed::default()
            }
        }
    };
    if listed.unplaced > 0 {
        notes.push(format!(
            "{} address-book entries have no phone number steward can normalise and are not counted",
            listed.unplaced
        ));
    }
    if listed.shared_numbers > 0 {
        notes.push(format!(
            "{} listed phone numbers appear under different names; each number is counted as one person",
            listed.shared_numbers
        ));
    }

    let customers = match &inputs.customers {
        Some(path) => members::resolve(&Members::open(path)?, &direct, &listed, progress)?,
        None => {
            notes.push(
                "no customer database given (`--customers`): customers are not placed and listed customers count as third parties"
                    .to_owned(),
            );
            Customers {
                all: direct.clone(),
                by_place: BTreeMap::from([(
                    (
                        members::UNKNOWN.to_owned(),
                        None,
                        steward_model::impact::JurisdictionBasis::Unknown,
                    ),
                    direct.clone(),
                )]),
                ..Customers::default()
            }
        }
    };
    let third = &listed.all - &customers.matched_numbers;
    let third_by_place = place_third_parties(&third, &listed);
    if !third.is_empty() {
        notes.push(
            "third parties are placed by their phone number's calling code (national numbering plan for numbers written without one), and US third parties by the state in their address"
                .to_owned(),
        );
    }

    // Category sets.
    let names = categories.names().len();
    let mut customer_categories = vec![RoaringTreemap::new(); names];
    let mut third_categories = vec![RoaringTreemap::new(); names];
    for (i, (c, t)) in customer_categories
        .iter_mut()
        .zip(third_categories.iter_mut())
        .enumerate()
    {
        let bit = 1u64 << i;
        for (route, set) in &reads.by_route {
            if categories.route(route).0 & bit != 0 {
                *c |= set;
            }
        }
        for (mask, set) in &customers.related_by_mask {
            if mask & bit != 0 {
                *c |= set;
            }
        }
        for (mask, set) in &listed.by_mask {
            if mask & bit != 0 {
                *t |= set;
            }
        }
        *t &= &third;
    }

    let mut customer_buckets = buckets.coarsen(&reads.hour_members);
    for (b, set) in &customers.related_by_bucket {
        *customer_buckets.entry(*b).or_default() |= set;
    }
    let third_buckets: BTreeMap<i64, RoaringTreemap> = listed
        .by_bucket
        .iter()
        .map(|(b, s)| (*b, s & &third))
        .collect();
    let new = summary::new_people(&[customer_buckets, third_buckets]);
    let summary = summary::summarise(
        selector.describe(),
        &reads,
        &categories,
        &[
            summary::Group {
                kind: PersonKind::Customer,
                by_place: &customers.by_place,
                by_category: &customer_categories,
            },
            summary::Group {
                kind: PersonKind::ThirdParty,
                by_place: &third_by_place,
                by_category: &third_categories,
            },
        ],
        &new,
        buckets,
    );
    Ok(Impact {
        summary,
        notes,
        categories,
        customers,
        customer_categories,
        third,
        third_categories,
        listed,
        members: inputs.customers.clone(),
    })
}
