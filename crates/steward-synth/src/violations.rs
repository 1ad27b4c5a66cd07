//! The policy violations the platform plants (`truth/violations.json`),
//! and the manifest of the clean variant, which has none.
//!
//! The list is worked out from what the generator wrote (the manifest, the
//! roster, the values planted in text and columns), for the day the
//! simulated window ends, so `steward check` can be compared with it
//! exactly.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::Serialize;
use steward_model::manifest::{Manifest, TransferBasis};

use crate::config::Variant;
use crate::staff::Roster;
use crate::truth::{ColumnTruth, TextTruth};

/// One planted violation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Planted {
    /// Rule id (`POL-KR-28-8`).
    pub rule: &'static str,
    /// Flow, dataset, system or key id.
    pub resource: String,
    /// Why it is a violation.
    pub why: String,
}

/// The file.
#[derive(Debug, Clone, Serialize)]
pub struct ViolationTruth {
    /// `planted` or `clean`.
    pub variant: &'static str,
    /// The day the list holds for (`steward check --as-of`).
    pub as_of: String,
    /// The violations, sorted by rule and resource.
    pub violations: Vec<Planted>,
}

/// Categories that are unique identifiers (PIPA Art. 24).
fn unique_id(category: &str) -> bool {
    [
        "user.government_id.national_identification_number",
        "user.government_id.passport_number",
        "user.government_id.drivers_license_number",
    ]
    .iter()
    .any(|p| category.starts_with(p))
}

/// The dataset whose location covers `path` (a file or a folder) and, for
/// a table (`file#table`), the `table.column` location.
fn dataset_of<'a>(m: &'a Manifest, path: &str, location: &str) -> Option<&'a str> {
    m.systems.iter().flat_map(|s| &s.datasets).find_map(|d| {
        let (file, table) = match d.location.split_once('#') {
            Some((f, t)) => (f, Some(t)),
            None => (d.location.as_str(), None),
        };
        let hit = if file.ends_with('/') {
            path.starts_with(file)
        } else {
            path == file && table.is_none_or(|t| location.split('.').next() == Some(t))
        };
        hit.then_some(d.id.as_str())
    })
}

/// The country of a dataset's system or of a vendor.
fn country_of(m: &Manifest, id: &str) -> Option<String> {
    if let Some(v) = m.vendors.iter().find(|v| v.id == id) {
        return Some(v.country.code().to_owned());
    }
    let s = m
        .systems
        .iter()
        .find(|s| s.datasets.iter().any(|d| d.id == id))?;
    match (s.provider, &s.region) {
        (Some(p), Some(r)) => steward_model::region::lookup(p, r)
            .ok()
            .map(|i| i.country.code().to_owned())
            .or_else(|| (r.len() == 2).then(|| r.clone())),
        _ => s.country.map(|c| c.code().to_owned()),
    }
}

/// Works out the violations of a generated platform as of `as_of`.
#[must_use]
pub fn expected(
    m: &Manifest,
    roster: &Roster,
    text: &[TextTruth],
    columns: &[ColumnTruth],
    as_of: Date,
    variant: Variant,
) -> ViolationTruth {
    let mut out = BTreeSet::new();
    let mut add = |rule, resource: &str, why: String| {
        out.insert(Planted {
            rule,
            resource: resource.to_owned(),
            why,
        });
    };

    // Categories planted per dataset, from both truth files.
    let mut planted: BTreeMap<&str, BTreeSet<(&str, &str)>> = BTreeMap::new();
    for t in text {
        if let Some(d) = dataset_of(m, &t.path, "") {
            planted
                .entry(d)
                .or_default()
                .insert((t.category, t.detector));
        }
    }
    for c in columns {
        if let Some(d) = dataset_of(m, &c.path, &c.location) {
            planted
                .entry(d)
                .or_default()
                .insert((c.category, c.detector));
        }
    }
    let personal_in = |d: &str| {
        planted
            .get(d)
            .is_some_and(|s| s.iter().any(|(c, _)| c.starts_with("user.")))
    };

    // Flows: the analytics replica and the Chinese fulfilment partner.
    for f in &m.flows {
        if country_of(m, &f.to).is_none_or(|c| c == "KR") {
            continue;
        }
        let vendor = m.vendors.iter().any(|v| v.id == f.to);
        let basis_ok =
            matches!(&f.transfer_basis, Some(TransferBasis { kind, .. }) if kind == "consent");
        if !basis_ok || (vendor && f.contract.is_none()) {
            add(
                "POL-KR-28-8",
                &f.id,
                "members' data leaves Korea without a basis (and, to a vendor, a contract)".into(),
            );
        }
        if vendor && !basis_ok {
            add(
                "POL-EU-V",
                &f.id,
                "orders of EU members go to a recipient in China without a Chapter V basis".into(),
            );
        }
    }

    // Keys.
    let end_of = |id: &str| {
        roster
            .employees
            .iter()
            .find(|e| e.employee_id == id)
            .and_then(|e| e.end_date.as_deref())
            .and_then(|d| d.parse::<Date>().ok())
    };
    for k in &m.signing_keys {
        let valid = k.retired.is_none_or(|r| r > as_of);
        if let Some(days) = k.rotation_days
            && k.rotated.is_none()
            && k.retired.is_none()
            && k.created
                .saturating_add(jiff::Span::new().days(i64::from(days)))
                < as_of
        {
            add(
                "POL-KEY-ROTATION",
                &k.id,
                format!("{days}-day rotation, never rotated"),
            );
        }
        if valid
            && k.custodians
                .iter()
                .any(|c| end_of(c).is_some_and(|end| end <= as_of))
        {
            add(
                "POL-KEY-DEPARTED-CUSTODIAN",
                &k.id,
                "a custodian left and the key was never retired".into(),
            );
        }
        if k.retired.is_none() && k.storage.as_deref() == Some("plaintext-config") {
            add(
                "POL-KEY-PLAINTEXT",
                &k.id,
                "kept in the auth service's config".into(),
            );
        }
    }

    // Secrets, undeclared personal data, resident registration numbers.
    let datasets: Vec<_> = m.systems.iter().flat_map(|s| &s.datasets).collect();
    for d in &datasets {
        let cats = planted.get(d.id.as_str());
        let found = |pred: &dyn Fn(&str, &str) -> bool| {
            cats.is_some_and(|s| s.iter().any(|(c, det)| pred(c, det)))
        };
        if found(&|c, _| {
            c.starts_with("system.authentication.") && c != "system.authentication.access_token"
        }) {
            add(
                "POL-SECRET-IN-STORE",
                &d.id,
                "plaintext secrets in config files".into(),
            );
        }
        if !d.personal_data && personal_in(&d.id) {
            add(
                "POL-DATA-UNDECLARED",
                &d.id,
                "declared without personal data, but it is written there".into(),
            );
        }
        let declares_id = d
            .fields
            .iter()
            .flat_map(|f| &f.categories)
            .any(|c| c.starts_with("user.government_id.national_identification_number"));
        if !declares_id && found(&|_, det| det == "KR_RRN") {
            add(
                "POL-KR-24-2",
                &d.id,
                "resident registration numbers in free text".into(),
            );
        }
    }

    // Access-log retention: 1 year, 2 with unique identifiers.
    for s in &m.systems {
        let personal = s
            .datasets
            .iter()
            .any(|d| d.personal_data || personal_in(&d.id));
        if !personal {
            continue;
        }
        let unique = s.datasets.iter().any(|d| {
            d.fields
                .iter()
                .flat_map(|f| &f.categories)
                .any(|c| unique_id(c))
                || planted
                    .get(d.id.as_str())
                    .is_some_and(|p| p.iter().any(|(c, _)| unique_id(c)))
        });
        let required = if unique { 730 } else { 365 };
        let kept = s.log_retention_days.unwrap_or(0);
        if kept < required {
            add(
                "POL-KR-ACCESS-LOG",
                &s.id,
                format!("access logs kept {kept} days, {required} required"),
            );
        }
    }

    ViolationTruth {
        variant: match variant {
            Variant::Planted => "planted",
            Variant::Clean => "clean",
        },
        as_of: as_of.to_string(),
        violations: out.into_iter().collect(),
    }
}

/// Turns the planted manifest into the clean variant's: transfer bases and
/// the recipient contract recorded, the retained key rotated and retired
/// long ago, the newer keys created shortly before `start`, keys in a
/// vault, and access logs kept two years.
pub fn make_clean(m: &mut Manifest, start: Date) {
    let foreign: BTreeSet<String> = m
        .vendors
        .iter()
        .filter(|v| v.country.code() != "KR")
        .map(|v| v.id.clone())
        .collect();
    for f in &mut m.flows {
        if f.transfer_basis.is_none() {
            f.transfer_basis = Some(TransferBasis {
                kind: "consent".into(),
                reference: Some(format!("CONSENT-{}", f.id.to_ascii_uppercase())),
                disclosed: true,
            });
        }
        if foreign.contains(&f.to) && f.contract.is_none() {
            f.contract = Some(format!("DPA-{}", f.id.to_ascii_uppercase()));
        }
    }
    let recent = start.saturating_sub(jiff::Span::new().days(30));
    for k in &mut m.signing_keys {
        if k.rotated.is_none() && k.retired.is_none() {
            if k.id == "member-2021" {
                k.rotated = Some(jiff::civil::date(2021, 7, 30));
                k.retired = Some(jiff::civil::date(2021, 8, 30));
            } else {
                k.created = recent;
            }
        }
        if k.storage.as_deref() == Some("plaintext-config") {
            k.storage = Some("vault".into());
        }
    }
    for s in &mut m.systems {
        s.log_retention_days = Some(730);
    }
}
