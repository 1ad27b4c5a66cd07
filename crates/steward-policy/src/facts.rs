//! What steward knows about one manifest, resolved before any rule runs:
//! countries of systems and recipients, the scan inventory joined to the
//! datasets it came from, the people each dataset is about, the signing
//! keys' custodians joined to the HR roster, and dates as day numbers.
//!
//! Everything a rule would otherwise have to join across collections is
//! joined here once, so each rule walks one collection and stays linear.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

use jiff::civil::Date;
use regorus::Value;
use serde::{Deserialize, Serialize};
use steward_model::manifest::{Dataset, Manifest, StaffMember, System};
use steward_model::region::{self, CloudProvider};

use crate::value::{ToValue, obj};

/// One row of the scan inventory: what a detector found where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    /// Manifest dataset id, or the scanned path (absolute, or relative to
    /// the manifest's folder) when the scan did not know the dataset.
    pub dataset: String,
    /// Column, JSON path or table inside it (`members.email`), or empty.
    pub location: String,
    /// Data category key.
    pub category: String,
    /// Detector id (`KR_RRN`, `JWT_SECRET`, …).
    pub detector: String,
    /// Country code of the people, or empty.
    pub jurisdiction: String,
    /// Values found.
    pub count: u64,
}

/// Everything a check needs besides the policies.
#[derive(Debug, Clone, Copy)]
pub struct CheckInput<'a> {
    /// The manifest.
    pub manifest: &'a Manifest,
    /// Folder the manifest's relative paths start from.
    pub root: &'a Path,
    /// The scan inventory.
    pub found: &'a [Found],
    /// The HR roster, when known.
    pub roster: Option<&'a [StaffMember]>,
    /// The day the check is about.
    pub as_of: Date,
}

/// Whether a category is about a person.
#[must_use]
pub fn is_personal(category: &str) -> bool {
    category.starts_with("user.")
}

/// Whether a category is a secret that must not sit in a data store:
/// private keys, signing secrets and cloud access keys (bearer tokens are
/// short-lived and left to `hunt`).
#[must_use]
pub fn is_secret(category: &str) -> bool {
    [
        "system.authentication.private_key",
        "system.authentication.signing_secret",
        "system.authentication.cloud_access_key",
    ]
    .iter()
    .any(|p| category.starts_with(p))
}

/// Whether a category is a unique identifier in the sense of PIPA Art. 24
/// (resident registration, passport, driver's licence and alien registration
/// numbers; other countries' national numbers counted alike).
#[must_use]
pub fn is_unique_id(category: &str) -> bool {
    [
        "user.government_id.national_identification_number",
        "user.government_id.passport_number",
        "user.government_id.drivers_license_number",
    ]
    .iter()
    .any(|p| category.starts_with(p))
}

/// Whether a category is sensitive information in the sense of PIPA Art. 23
/// and GDPR Art. 9.
#[must_use]
pub fn is_sensitive(category: &str) -> bool {
    [
        "user.health_and_medical",
        "user.biometric",
        "user.criminal_history",
        "user.demographic.political_opinion",
        "user.demographic.religious_belief",
        "user.demographic.race_ethnicity",
        "user.demographic.sexual_orientation",
    ]
    .iter()
    .any(|p| category.starts_with(p))
}

fn days(d: Date) -> i64 {
    d.since(Date::constant(1970, 1, 1))
        .map_or(0, |s| i64::from(s.get_days()))
}

fn day(d: Date) -> Value {
    obj! { "date": d.to_string(), "day": days(d) }
}

/// The country of a system: its region's, an override's, or its own field.
fn system_country(m: &Manifest, s: &System) -> Option<String> {
    if let (Some(p), Some(r)) = (s.provider, &s.region) {
        if let Some(o) = m
            .region_overrides
            .iter()
            .find(|o| o.provider == p && o.region.eq_ignore_ascii_case(r))
        {
            return Some(o.country.code().to_owned());
        }
        if let Ok(info) = region::lookup(p, r) {
            return Some(info.country.code().to_owned());
        }
        // Korean clouds name regions loosely; a country code is accepted.
        if matches!(
            p,
            CloudProvider::Ncloud | CloudProvider::Ktcloud | CloudProvider::Nhncloud
        ) && let Ok(c) = steward_model::jurisdiction::Country::parse(r)
        {
            return Some(c.code().to_owned());
        }
    }
    s.country.map(|c| c.code().to_owned())
}

/// A path without `.` parts, for comparing.
fn normal(p: &Path) -> PathBuf {
    p.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// Finds the manifest dataset an inventory row belongs to.
struct Resolver<'a> {
    ids: BTreeSet<&'a str>,
    files: HashMap<PathBuf, Vec<(&'a str, Option<&'a str>)>>,
    dirs: Vec<(PathBuf, &'a str)>,
    root: PathBuf,
}

impl<'a> Resolver<'a> {
    fn new(m: &'a Manifest, root: &Path) -> Self {
        let mut r = Self {
            ids: BTreeSet::new(),
            files: HashMap::new(),
            dirs: Vec::new(),
            root: normal(root),
        };
        for d in m.systems.iter().flat_map(|s| &s.datasets) {
            r.ids.insert(&d.id);
            if d.location.contains("://") {
                continue;
            }
            let (file, table) = match d.location.split_once('#') {
                Some((f, t)) => (f, Some(t)),
                None => (d.location.as_str(), None),
            };
            if file.ends_with('/') {
                r.dirs.push((normal(Path::new(file)), &d.id));
            } else {
                r.files
                    .entry(normal(Path::new(file)))
                    .or_default()
                    .push((&d.id, table));
            }
        }
        r
    }

    fn resolve(&self, f: &Found) -> Option<&'a str> {
        if let Some(id) = self.ids.get(f.dataset.as_str()) {
            return Some(id);
        }
        let p = normal(Path::new(&f.dataset));
        let rel = p.strip_prefix(&self.root).unwrap_or(&p);
        if let Some(candidates) = self.files.get(rel) {
            let table = f.location.split('.').next().unwrap_or_default();
            return candidates
                .iter()
                .find(|(_, t)| t.is_none_or(|t| t == table))
                .map(|(id, _)| *id);
        }
        self.dirs
            .iter()
            .filter(|(d, _)| rel.starts_with(d))
            .max_by_key(|(d, _)| d.components().count())
            .map(|(_, id)| *id)
    }
}

/// What the scan found in one place, grouped.
#[derive(Default)]
struct Seen {
    personal: BTreeSet<String>,
    secrets: BTreeMap<String, u64>,
    detectors: BTreeMap<String, u64>,
    jurisdictions: BTreeSet<String>,
    categories: BTreeSet<String>,
}

impl Seen {
    fn add(&mut self, f: &Found) {
        self.categories.insert(f.category.clone());
        *self.detectors.entry(f.detector.clone()).or_default() += f.count;
        if is_personal(&f.category) {
            self.personal.insert(f.category.clone());
        }
        if is_secret(&f.category) {
            *self.secrets.entry(f.detector.clone()).or_default() += f.count;
        }
        if let Some(c) = f.jurisdiction.get(..2).filter(|c| !c.is_empty()) {
            self.jurisdictions.insert(c.to_owned());
        }
    }

    fn value(&self) -> Value {
        obj! {
            "personal": self.personal,
            "secrets": self.secrets,
            "detectors": self.detectors,
            "jurisdictions": self.jurisdictions,
            "unique_ids": self.categories.iter().any(|c| is_unique_id(c)),
            "sensitive": self.categories.iter().any(|c| is_sensitive(c)),
        }
    }
}

struct DatasetFacts {
    country: Option<String>,
    subjects: BTreeSet<String>,
    /// `subjects` as a value, shared by every flow from the dataset.
    subjects_value: Value,
    count: Option<u64>,
    personal: bool,
}

/// The input document the rules read (see `docs/check.md` for its shape)
/// and the manifest line of each id in it.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// The document.
    pub doc: Value,
    /// Manifest line of each id.
    pub lines: &'a HashMap<String, usize>,
}

/// Builds the input document the rules read.
#[must_use]
pub fn build<'a>(input: &CheckInput<'_>, lines: &'a HashMap<String, usize>) -> Facts<'a> {
    let m = input.manifest;
    let resolver = Resolver::new(m, input.root);
    let mut seen: HashMap<&str, Seen> = HashMap::new();
    let mut elsewhere: BTreeMap<&str, Seen> = BTreeMap::new();
    for f in input.found {
        match resolver.resolve(f) {
            Some(id) => seen.entry(id).or_default().add(f),
            None => elsewhere.entry(&f.dataset).or_default().add(f),
        }
    }
    let empty = Seen::default();
    let markets: BTreeSet<String> = m
        .organization
        .markets
        .iter()
        .map(|c| c.code().to_owned())
        .collect();
    let line = |id: &str| lines.get(id).copied();

    let mut systems = BTreeMap::new();
    let mut datasets = BTreeMap::new();
    let mut ds_facts: HashMap<&str, DatasetFacts> = HashMap::new();
    for s in &m.systems {
        let country = system_country(m, s);
        let mut sys_personal = false;
        let (mut unique, mut sensitive) = (false, false);
        let mut subjects_max: Option<u64> = None;
        for d in &s.datasets {
            let sn = seen.get(d.id.as_str()).unwrap_or(&empty);
            let facts = dataset_facts(d, sn, &markets, country.clone());
            let declared: BTreeSet<&str> = d
                .fields
                .iter()
                .flat_map(|f| &f.categories)
                .map(String::as_str)
                .collect();
            let d_unique = declared.iter().any(|c| is_unique_id(c))
                || sn.categories.iter().any(|c| is_unique_id(c));
            let d_sensitive = declared.iter().any(|c| is_sensitive(c))
                || sn.categories.iter().any(|c| is_sensitive(c));
            sys_personal |= facts.personal;
            unique |= facts.personal && d_unique;
            sensitive |= facts.personal && d_sensitive;
            subjects_max = subjects_max.max(d.subject_count);
            datasets.insert(
                Value::from(d.id.as_str()),
                obj! {
                    "id": d.id,
                    "system": s.id,
                    "location": d.location,
                    "country": facts.country,
                    "declared_personal": d.personal_data,
                    "personal": facts.personal,
                    "declared_categories": declared,
                    "declares_national_id": declared.iter().any(|c| c.starts_with("user.government_id.national_identification_number")),
                    "subjects_from": facts.subjects,
                    "subjects_declared": !d.subjects_from.is_empty(),
                    "subjects": d.subject_count,
                    "found": sn.value(),
                    "line": line(&d.id),
                },
            );
            ds_facts.insert(&d.id, facts);
        }
        systems.insert(
            Value::from(s.id.as_str()),
            obj! {
                "id": s.id,
                "name": s.name,
                "country": country,
                "provider": s.provider.map(CloudProvider::id),
                "region": s.region,
                "log_retention_days": s.log_retention_days,
                "datasets": s.datasets.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
                "personal": sys_personal,
                "unique_ids": unique,
                "sensitive": sensitive,
                "subjects": subjects_max,
                "line": line(&s.id),
            },
        );
    }

    let vendors: BTreeMap<Value, Value> = m
        .vendors
        .iter()
        .map(|v| {
            (
                Value::from(v.id.as_str()),
                obj! {
                    "id": v.id,
                    "name": v.name,
                    "country": v.country.code(),
                    "certifications": v.certifications,
                    "line": line(&v.id),
                },
            )
        })
        .collect();

    let vendor_by_id: HashMap<&str, &steward_model::manifest::Vendor> =
        m.vendors.iter().map(|v| (v.id.as_str(), v)).collect();
    let mut flows = Vec::with_capacity(m.flows.len());
    let mut transfers = Vec::new();
    let mut strings = crate::value::Interner::default();
    let no_subjects = Value::from(Vec::new());
    let certifications: HashMap<&str, Value> = m
        .vendors
        .iter()
        .map(|v| (v.id.as_str(), v.certifications.to_value()))
        .collect();
    for f in &m.flows {
        let from = ds_facts.get(f.from.as_str());
        let to_ds = ds_facts.get(f.to.as_str());
        let vendor = vendor_by_id.get(f.to.as_str()).copied();
        let from_country = from.and_then(|d| d.country.as_deref());
        let to_country = to_ds
            .and_then(|d| d.country.as_deref())
            .or_else(|| vendor.map(|v| v.country.code()));
        let personal =
            f.categories.iter().any(|c| is_personal(c)) || from.is_some_and(|d| d.personal);
        let basis = f.transfer_basis.as_ref().map(|b| {
            obj! { "kind": b.kind, "reference": b.reference, "disclosed": b.disclosed }
        });
        let categories: Vec<Value> = f.categories.iter().map(|c| strings.get(c)).collect();
        let value = obj! {
            "id": f.id,
            "from": f.from,
            "to": f.to,
            "kind": strings.get(&f.kind),
            "purpose": strings.get(&f.purpose),
            "categories": categories,
            "personal": personal,
            "from_country": from_country.map(|c| strings.get(c)),
            "to_country": to_country.map(|c| strings.get(c)),
            "to_vendor": vendor.is_some(),
            "recipient_certifications": certifications.get(f.to.as_str()).cloned().unwrap_or_else(|| no_subjects.clone()),
            "subjects_from": from.map_or_else(|| no_subjects.clone(), |d| d.subjects_value.clone()),
            "subjects": from.and_then(|d| d.count),
            "basis": basis,
            "contract": f.contract,
            "line": line(&f.id),
        };
        // Transfer rules only look at personal data crossing a border; the
        // value is shared, not copied.
        if personal && to_country.is_some() && from_country != to_country {
            transfers.push(value.clone());
        }
        flows.push(value);
    }

    let staff: HashMap<&str, &StaffMember> = input
        .roster
        .unwrap_or_default()
        .iter()
        .map(|s| (s.employee_id.as_str(), s))
        .collect();
    let keys: Vec<Value> = m
        .signing_keys
        .iter()
        .map(|k| {
            let custodians: Vec<Value> = k
                .custodians
                .iter()
                .map(|c| {
                    let person = staff.get(c.as_str());
                    obj! {
                        "id": c,
                        "on_roster": person.is_some(),
                        "end_date": person.and_then(|p| p.end_date).map(day),
                    }
                })
                .collect();
            obj! {
                "id": k.id,
                "algorithm": k.algorithm,
                "used_by": k.used_by,
                "created": day(k.created),
                "rotation_days": k.rotation_days,
                "rotated": k.rotated.map(day),
                "retired": k.retired.map(day),
                "custodians": custodians,
                "storage": k.storage,
                "line": line(&k.id),
            }
        })
        .collect();

    let unmapped: Vec<Value> = elsewhere
        .iter()
        .map(|(path, sn)| obj! { "path": *path, "found": sn.value() })
        .collect();

    let doc = obj! {
        "as_of": day(input.as_of),
        "organization": obj! {
            "name": m.organization.name,
            "established_in": m.organization.established_in.code(),
            "markets": markets,
            "ciio_in": m.organization.ciio_in.iter().map(|c| c.code()).collect::<Vec<_>>(),
            "localisation_orders": m.organization.localisation_orders.iter().map(|c| c.code()).collect::<Vec<_>>(),
        },
        "roster_known": input.roster.is_some(),
        "systems": Value::from(systems),
        "datasets": Value::from(datasets),
        "vendors": Value::from(vendors),
        "flows": Value::from(flows),
        "transfers": Value::from(transfers),
        "keys": Value::from(keys),
        "unmapped": Value::from(unmapped),
    };
    Facts { doc, lines }
}

/// Countries of the people in a dataset: those declared, else the
/// organisation's markets, plus those whose identifiers the scan found.
fn dataset_facts(
    d: &Dataset,
    seen: &Seen,
    markets: &BTreeSet<String>,
    country: Option<String>,
) -> DatasetFacts {
    let personal = d.personal_data || !seen.personal.is_empty();
    let mut subjects: BTreeSet<String> = if d.subjects_from.is_empty() {
        if personal {
            markets.clone()
        } else {
            BTreeSet::new()
        }
    } else {
        d.subjects_from
            .iter()
            .map(|c| c.code().to_owned())
            .collect()
    };
    subjects.extend(seen.jurisdictions.iter().cloned());
    DatasetFacts {
        country,
        subjects_value: subjects.to_value(),
        subjects,
        count: d.subject_count,
        personal,
    }
}
