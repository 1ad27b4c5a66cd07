//! Joins a loaded manifest and the scan inventory into a [`DataMap`].
//!
//! Inventory rows name a manifest dataset id when the scanned path was
//! registered for it; otherwise they name the scanned path, which is matched
//! to the dataset whose location it is (`stores/customers.sqlite#members`
//! takes the rows of table `members` of that file; `stores/config/` every
//! file below it). Paths are compared component by component from the end,
//! without touching the file system.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use steward_manifest::{LoadedManifest, PlacedBy};
use steward_model::manifest::{Dataset, Manifest};

use crate::model::{
    Basis, Controller, CountryNode, DataMap, DatasetNode, Evidence, FlowEdge, Holding, SystemNode,
    UNKNOWN_SUBJECTS, Unplaced, VendorNode,
};

/// One inventory row, as `steward scan` records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// Dataset id, or the scanned path when no dataset was registered for it.
    pub dataset: String,
    /// Column, JSON path or file inside the dataset.
    pub location: String,
    /// Data-category key.
    pub category: String,
    /// Jurisdiction of the people, empty when unknown.
    pub jurisdiction: String,
    /// Values found.
    pub values: u64,
}

/// True when category `a` is `b` or lies below it.
pub(crate) fn within(a: &str, b: &str) -> bool {
    a == b || (a.starts_with(b) && a.as_bytes().get(b.len()) == Some(&b'.'))
}

/// Category → (jurisdiction → values, evidence).
type Tally = BTreeMap<String, (BTreeMap<String, u64>, Evidence)>;

fn add(tally: &mut Tally, category: &str, jurisdiction: &str, values: u64, evidence: Evidence) {
    let j = if jurisdiction.is_empty() {
        UNKNOWN_SUBJECTS
    } else {
        jurisdiction
    };
    let entry = tally
        .entry(category.to_owned())
        .or_insert_with(|| (BTreeMap::new(), evidence));
    entry.1 = entry.1.with(evidence);
    let count = entry.0.entry(j.to_owned()).or_default();
    *count = count.saturating_add(values);
}

fn holdings(tally: Tally) -> Vec<Holding> {
    tally
        .into_iter()
        .map(|(category, (subjects, evidence))| Holding {
            category,
            subjects,
            evidence,
        })
        .collect()
}

/// Removes `user:password@` from a URL.
pub(crate) fn without_credentials(location: &str) -> String {
    let Some(scheme_end) = location.find("://") else {
        return location.to_owned();
    };
    let rest = location.get(scheme_end + 3..).unwrap_or_default();
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest.get(..authority_end).and_then(|a| a.rfind('@')) {
        Some(at) => format!(
            "{}***{}",
            location.get(..scheme_end + 3).unwrap_or_default(),
            rest.get(at..).unwrap_or_default()
        ),
        None => location.to_owned(),
    }
}

/// Whether `path` (as scanned) is `rel` (as written in the manifest),
/// resolved against `base` or matched from the end.
fn same_path(path: &Path, rel: &Path, base: Option<&Path>) -> bool {
    if rel.as_os_str().is_empty() {
        return false;
    }
    path == rel
        || base.is_some_and(|b| path == b.join(rel))
        || (rel.is_relative() && path.ends_with(rel))
}

/// Whether an inventory row belongs to a dataset's location.
fn covers(dataset: &Dataset, obs: &Observation, base: Option<&Path>) -> bool {
    let location = dataset.location.as_str();
    if location.contains("://") {
        return false;
    }
    let path = Path::new(&obs.dataset);
    match location.split_once('#') {
        Some((file, table)) => {
            same_path(path, Path::new(file), base)
                && (obs.location == table
                    || obs
                        .location
                        .strip_prefix(table)
                        .is_some_and(|r| r.starts_with('.')))
        }
        None if location.ends_with('/') => {
            let dir = Path::new(location.trim_end_matches('/'));
            path.ancestors().skip(1).any(|a| same_path(a, dir, base))
        }
        None => same_path(path, Path::new(location), base),
    }
}

/// The dataset an inventory row belongs to.
fn attribute<'m>(loaded: &'m LoadedManifest, obs: &Observation) -> Option<&'m str> {
    if let Some((_, d)) = loaded.dataset(&obs.dataset) {
        return Some(&d.id);
    }
    let base = loaded.base_dir.as_deref();
    loaded
        .manifest
        .systems
        .iter()
        .flat_map(|s| &s.datasets)
        .find(|d| covers(d, obs, base))
        .map(|d| d.id.as_str())
}

fn dataset_node(d: &Dataset, tally: Option<Tally>) -> DatasetNode {
    let mut tally = tally.unwrap_or_default();
    let declared_subjects: Vec<String> = d
        .subjects_from
        .iter()
        .map(|c| c.code().to_owned())
        .collect();
    for field in &d.fields {
        for declared in &field.categories {
            let mut found = false;
            for (key, entry) in &mut tally {
                if entry.1 != Evidence::Declared && (within(key, declared) || within(declared, key))
                {
                    entry.1 = entry.1.with(Evidence::Declared);
                    found = true;
                }
            }
            if !found {
                if declared_subjects.is_empty() {
                    add(&mut tally, declared, "", 0, Evidence::Declared);
                }
                for j in &declared_subjects {
                    add(&mut tally, declared, j, 0, Evidence::Declared);
                }
            }
        }
    }
    DatasetNode {
        id: d.id.clone(),
        location: without_credentials(&d.location),
        format: d.format.clone(),
        personal_data: d.personal_data,
        purpose: d.purpose.clone(),
        subjects: d.subjects.clone(),
        subjects_from: declared_subjects,
        legal_basis: d.legal_basis.clone(),
        retention_days: d.retention_days,
        holdings: holdings(tally),
    }
}

fn controller(m: &Manifest) -> Controller {
    let o = &m.organization;
    Controller {
        name: o.name.clone(),
        established_in: o.established_in.code().to_owned(),
        listed_on: o.listed_on.clone(),
        parent: o.parent.clone(),
        dpo: o.dpo.clone(),
        representative: o.representative.clone(),
    }
}

/// Builds the map. `inventory` is `None` when no scan inventory is used;
/// then every category is the manifest's declaration.
#[must_use]
pub fn build(loaded: &LoadedManifest, inventory: Option<&[Observation]>) -> DataMap {
    let m = &loaded.manifest;
    let mut per_dataset: BTreeMap<String, Tally> = BTreeMap::new();
    let mut unplaced: BTreeMap<String, Tally> = BTreeMap::new();
    for obs in inventory.unwrap_or_default() {
        let tally = match attribute(loaded, obs) {
            Some(id) => per_dataset.entry(id.to_owned()).or_default(),
            None => unplaced.entry(obs.dataset.clone()).or_default(),
        };
        add(
            tally,
            &obs.category,
            &obs.jurisdiction,
            obs.values,
            Evidence::Scanned,
        );
    }

    let mut countries: BTreeMap<String, CountryNode> = BTreeMap::new();
    let node = |code: &str| -> CountryNode {
        let name = steward_model::jurisdiction::Country::parse(code)
            .map(|c| c.name().to_owned())
            .unwrap_or_else(|_| code.to_owned());
        CountryNode {
            code: code.to_owned(),
            name,
            systems: Vec::new(),
            vendors: Vec::new(),
            holdings: Vec::new(),
        }
    };
    for s in &m.systems {
        let Some(p) = loaded.placements.get(&s.id) else {
            continue;
        };
        let code = p.country.code().to_owned();
        let datasets = s
            .datasets
            .iter()
            .map(|d| dataset_node(d, per_dataset.remove(&d.id)))
            .collect();
        let system = SystemNode {
            id: s.id.clone(),
            name: s.name.clone(),
            provider: s.provider.map(|p| p.id().to_owned()),
            region: s.region.clone(),
            placed_by: match p.by {
                PlacedBy::RegionTable { .. } => "region_table",
                PlacedBy::RegionOverride => "region_override",
                PlacedBy::Declared => "declared",
            }
            .to_owned(),
            owner: s.owner.clone(),
            log_retention_days: s.log_retention_days,
            datasets,
        };
        countries
            .entry(code.clone())
            .or_insert_with(|| node(&code))
            .systems
            .push(system);
    }
    for v in &m.vendors {
        let code = v.country.code().to_owned();
        let receives: BTreeSet<String> = m
            .flows
            .iter()
            .filter(|f| f.to == v.id)
            .flat_map(|f| f.categories.iter().cloned())
            .collect();
        countries
            .entry(code.clone())
            .or_insert_with(|| node(&code))
            .vendors
            .push(VendorNode {
                id: v.id.clone(),
                name: v.name.clone(),
                certifications: v.certifications.clone(),
                receives: receives.into_iter().collect(),
            });
    }
    for c in countries.values_mut() {
        let mut tally = Tally::new();
        for h in c
            .systems
            .iter()
            .flat_map(|s| &s.datasets)
            .flat_map(|d| &d.holdings)
        {
            for (j, n) in &h.subjects {
                add(&mut tally, &h.category, j, *n, h.evidence);
            }
        }
        // A declared category with unknown people adds nothing next to
        // counted ones of the same category.
        for (subjects, _) in tally.values_mut() {
            if subjects.len() > 1 && subjects.get(UNKNOWN_SUBJECTS) == Some(&0) {
                subjects.remove(UNKNOWN_SUBJECTS);
            }
        }
        c.holdings = holdings(tally);
    }

    let home = m.organization.established_in.code().to_owned();
    let mut ordered: Vec<CountryNode> = countries.into_values().collect();
    ordered.sort_by_key(|c| (c.code != home, c.code.clone()));

    let mut map = DataMap {
        version: 1,
        manifest: loaded.origin.clone(),
        inventory: inventory.is_some(),
        controller: controller(m),
        countries: ordered,
        flows: Vec::new(),
        unplaced: unplaced
            .into_iter()
            .map(|(input, tally)| Unplaced {
                input,
                holdings: holdings(tally),
            })
            .collect(),
    };
    map.flows = flows(loaded, &map);
    map
}

fn flows(loaded: &LoadedManifest, map: &DataMap) -> Vec<FlowEdge> {
    let code = |id: &str| {
        loaded
            .country(id)
            .map_or_else(|| UNKNOWN_SUBJECTS.to_owned(), |c| c.code().to_owned())
    };
    loaded
        .manifest
        .flows
        .iter()
        .map(|f| {
            let (from_country, to_country) = (code(&f.from), code(&f.to));
            let mut subjects = BTreeSet::new();
            // Whose data moves: the people the source (and a destination
            // dataset, which holds the copies) has in these categories.
            for end in [&f.from, &f.to] {
                let Some((_, _, d)) = map.dataset(end) else {
                    continue;
                };
                subjects.extend(d.subjects_from.iter().cloned());
                for h in &d.holdings {
                    if f.categories
                        .iter()
                        .any(|c| within(&h.category, c) || within(c, &h.category))
                    {
                        subjects.extend(
                            h.subjects
                                .keys()
                                .filter(|j| j.as_str() != UNKNOWN_SUBJECTS)
                                .cloned(),
                        );
                    }
                }
            }
            FlowEdge {
                id: f.id.clone(),
                from: f.from.clone(),
                to: f.to.clone(),
                to_kind: if loaded.vendor(&f.to).is_some() {
                    "vendor"
                } else {
                    "dataset"
                }
                .to_owned(),
                cross_border: from_country != to_country,
                from_country,
                to_country,
                purpose: f.purpose.clone(),
                kind: f.kind.clone(),
                categories: f.categories.clone(),
                subjects: subjects.into_iter().collect(),
                basis: f.transfer_basis.as_ref().map(|b| Basis {
                    kind: b.kind.clone(),
                    reference: b.reference.clone(),
                    disclosed: b.disclosed,
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_removed_from_urls() {
        assert_eq!(
            without_credentials("postgres://app:s3cret@db.internal:5432/shop"),
            "postgres://***@db.internal:5432/shop"
        );
        assert_eq!(
            without_credentials("postgres://db.internal/shop?x=a@b"),
            "postgres://db.internal/shop?x=a@b"
        );
        assert_eq!(without_credentials("stores/a.csv"), "stores/a.csv");
    }

    #[test]
    fn categories_nest_by_dotted_prefix() {
        assert!(within("user.contact.email", "user.contact"));
        assert!(within("user.contact", "user.contact"));
        assert!(!within("user.contactless", "user.contact"));
    }

    #[test]
    fn scanned_paths_match_locations() {
        let d = |location: &str| Dataset {
            id: "x".into(),
            location: location.into(),
            format: "csv".into(),
            purpose: None,
            personal_data: true,
            fields: Vec::new(),
            subjects_from: Vec::new(),
            subjects: Vec::new(),
            legal_basis: None,
            retention_days: None,
            subject_count: None,
        };
        let o = |dataset: &str, location: &str| Observation {
            dataset: dataset.into(),
            location: location.into(),
            category: "user.name".into(),
            jurisdiction: String::new(),
            values: 1,
        };
        let base = Some(Path::new("/srv/pa"));
        assert!(covers(
            &d("stores/a.csv"),
            &o("/srv/pa/stores/a.csv", "name"),
            base
        ));
        assert!(covers(
            &d("stores/a.csv"),
            &o("pa/stores/a.csv", "name"),
            None
        ));
        assert!(!covers(
            &d("stores/a.csv"),
            &o("/srv/pa/stores/b.csv", "name"),
            base
        ));
        let table = d("stores/c.sqlite#members");
        assert!(covers(
            &table,
            &o("/srv/pa/stores/c.sqlite", "members.email"),
            base
        ));
        assert!(!covers(
            &table,
            &o("/srv/pa/stores/c.sqlite", "orders.email"),
            base
        ));
        assert!(!covers(
            &table,
            &o("/srv/pa/stores/c.sqlite", "members_old.email"),
            base
        ));
        let dir = d("stores/config/");
        assert!(covers(&dir, &o("/srv/pa/stores/config/app.env", ""), base));
        assert!(!covers(
            &dir,
            &o("/srv/pa/stores/configs/app.env", ""),
            base
        ));
        assert!(!covers(
            &d("postgres://h/db"),
            &o("postgres://h/db", "t.c"),
            base
        ));
    }
}
