//! The record of processing activities (ROPA): one row per dataset that
//! holds personal data, with the columns of UK GDPR Art. 30(1) (the ICO
//! template) and of Fides' data-map report: controller and DPO, purpose,
//! lawful basis, categories of people and of data, recipients, transfers to
//! third countries and their safeguards, retention. Written as CSV here and
//! as XLSX by [`crate::ropa_xlsx`].

use std::io::Write;

use serde::Serialize;

use crate::model::{DataMap, UNKNOWN_SUBJECTS};

/// Column headers, in order.
pub const COLUMNS: &[&str] = &[
    "controller",
    "controller_country",
    "dpo",
    "representative",
    "system",
    "system_owner",
    "dataset",
    "purpose",
    "legal_basis",
    "categories_of_subjects",
    "subject_jurisdictions",
    "categories_of_data",
    "evidence",
    "storage_country",
    "storage_region",
    "recipients",
    "third_country_transfers",
    "transfer_safeguards",
    "retention",
    "log_retention",
];

/// One row; fields are in [`COLUMNS`] order. Empty text means not recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RopaRow {
    pub controller: String,
    pub controller_country: String,
    pub dpo: String,
    pub representative: String,
    pub system: String,
    pub system_owner: String,
    pub dataset: String,
    pub purpose: String,
    pub legal_basis: String,
    pub categories_of_subjects: String,
    pub subject_jurisdictions: String,
    pub categories_of_data: String,
    pub evidence: String,
    pub storage_country: String,
    pub storage_region: String,
    pub recipients: String,
    pub third_country_transfers: String,
    pub transfer_safeguards: String,
    pub retention: String,
    pub log_retention: String,
}

impl RopaRow {
    /// The cells in [`COLUMNS`] order.
    #[must_use]
    pub fn cells(&self) -> [&str; 20] {
        [
            &self.controller,
            &self.controller_country,
            &self.dpo,
            &self.representative,
            &self.system,
            &self.system_owner,
            &self.dataset,
            &self.purpose,
            &self.legal_basis,
            &self.categories_of_subjects,
            &self.subject_jurisdictions,
            &self.categories_of_data,
            &self.evidence,
            &self.storage_country,
            &self.storage_region,
            &self.recipients,
            &self.third_country_transfers,
            &self.transfer_safeguards,
            &self.retention,
            &self.log_retention,
        ]
    }
}

fn days(d: Option<u32>) -> String {
    d.map(|d| format!("{d} days")).unwrap_or_default()
}

/// The rows, in map order (countries, systems, datasets).
#[must_use]
pub fn rows(map: &DataMap) -> Vec<RopaRow> {
    let c = &map.controller;
    let mut out = Vec::new();
    for country in &map.countries {
        for s in &country.systems {
            for d in &s.datasets {
                if !d.personal_data && d.holdings.is_empty() {
                    continue;
                }
                let mut jurisdictions: Vec<&str> = d
                    .holdings
                    .iter()
                    .flat_map(|h| h.subjects.keys())
                    .map(String::as_str)
                    .chain(d.subjects_from.iter().map(String::as_str))
                    .filter(|j| *j != UNKNOWN_SUBJECTS)
                    .collect();
                jurisdictions.sort_unstable();
                jurisdictions.dedup();
                let mut evidence: Vec<&str> =
                    d.holdings.iter().map(|h| h.evidence.as_str()).collect();
                evidence.sort_unstable();
                evidence.dedup();
                let outgoing: Vec<_> = map.flows.iter().filter(|f| f.from == d.id).collect();
                let recipients = outgoing
                    .iter()
                    .map(|f| format!("{} ({}, {}, {})", f.to, f.to_kind, f.to_country, f.purpose))
                    .collect::<Vec<_>>()
                    .join("; ");
                let abroad: Vec<_> = outgoing.iter().filter(|f| f.cross_border).collect();
                let mut countries: Vec<&str> =
                    abroad.iter().map(|f| f.to_country.as_str()).collect();
                countries.sort_unstable();
                countries.dedup();
                let safeguards = abroad
                    .iter()
                    .map(|f| match &f.basis {
                        Some(b) => format!(
                            "{}: {}{}",
                            f.id,
                            b.kind,
                            b.reference
                                .as_ref()
                                .map(|r| format!(" ({r})"))
                                .unwrap_or_default()
                        ),
                        None => format!("{}: none recorded", f.id),
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                out.push(RopaRow {
                    controller: c.name.clone(),
                    controller_country: c.established_in.clone(),
                    dpo: c.dpo.clone().unwrap_or_default(),
                    representative: c.representative.clone().unwrap_or_default(),
                    system: s.name.clone(),
                    system_owner: s.owner.clone().unwrap_or_default(),
                    dataset: d.id.clone(),
                    purpose: d.purpose.clone().unwrap_or_default(),
                    legal_basis: d.legal_basis.clone().unwrap_or_default(),
                    categories_of_subjects: d.subjects.join("; "),
                    subject_jurisdictions: jurisdictions.join("; "),
                    categories_of_data: d
                        .holdings
                        .iter()
                        .map(|h| h.category.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                    evidence: evidence.join("; "),
                    storage_country: country.code.clone(),
                    storage_region: [s.provider.as_deref(), s.region.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" "),
                    recipients,
                    third_country_transfers: countries.join("; "),
                    transfer_safeguards: safeguards,
                    retention: days(d.retention_days),
                    log_retention: days(s.log_retention_days),
                });
            }
        }
    }
    out
}

/// Writes the ROPA as CSV with a header row.
///
/// # Errors
/// Writing fails.
pub fn write_ropa_csv(w: &mut dyn Write, map: &DataMap) -> Result<(), csv::Error> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(COLUMNS)?;
    for row in rows(map) {
        out.write_record(row.cells())?;
    }
    out.flush()?;
    Ok(())
}
