//! The data map: what [`crate::build`] makes and every writer reads. Its
//! JSON form (`steward map --format json`) is this structure serialised;
//! fields are described here.

use std::collections::BTreeMap;

use serde::Serialize;

/// Where a category in a dataset is known from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Found by `steward scan` (inventory counts).
    Scanned,
    /// Declared in the manifest and not found by a scan (or none ran).
    Declared,
    /// Declared and found.
    Both,
}

impl Evidence {
    /// `scanned`, `declared` or `both`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Scanned => "scanned",
            Self::Declared => "declared",
            Self::Both => "both",
        }
    }

    pub(crate) fn with(self, other: Self) -> Self {
        if self == other { self } else { Self::Both }
    }
}

/// One data category held in a place, and whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holding {
    /// Data-category key.
    pub category: String,
    /// Jurisdiction of the people (`KR`, `US-CA`; `??` when the detector
    /// could not tell and the manifest does not say) → values found; 0 for
    /// a declared category no scan counted.
    pub subjects: BTreeMap<String, u64>,
    /// Where the category is known from.
    pub evidence: Evidence,
}

impl Holding {
    /// The people as text: `KR 915, US 3`, or just `KR` for a declared
    /// jurisdiction no scan counted.
    #[must_use]
    pub fn people(&self) -> String {
        self.subjects
            .iter()
            .map(|(j, n)| {
                if *n > 0 {
                    format!("{j} {n}")
                } else {
                    j.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The jurisdiction shown when none is known.
pub const UNKNOWN_SUBJECTS: &str = "??";

/// A dataset and what it holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatasetNode {
    /// Id.
    pub id: String,
    /// Location as written in the manifest, credentials removed from URLs.
    pub location: String,
    /// Format.
    pub format: String,
    /// Whether the owners say it holds personal data.
    pub personal_data: bool,
    /// Purpose.
    pub purpose: Option<String>,
    /// Kinds of people (`customer`, `employee`).
    pub subjects: Vec<String>,
    /// Countries of the people, as declared.
    pub subjects_from: Vec<String>,
    /// Lawful basis.
    pub legal_basis: Option<String>,
    /// Days records are kept.
    pub retention_days: Option<u32>,
    /// Categories held, sorted by key.
    pub holdings: Vec<Holding>,
}

/// A system and its datasets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemNode {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Cloud provider.
    pub provider: Option<String>,
    /// Provider region.
    pub region: Option<String>,
    /// How the country was found: `region_table`, `region_override`,
    /// `declared`.
    pub placed_by: String,
    /// Owning team.
    pub owner: Option<String>,
    /// Days access logs are kept.
    pub log_retention_days: Option<u32>,
    /// Datasets.
    pub datasets: Vec<DatasetNode>,
}

/// An outside recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VendorNode {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Certifications.
    pub certifications: Vec<String>,
    /// Categories it receives through flows.
    pub receives: Vec<String>,
}

/// A country and what is stored there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryNode {
    /// ISO 3166-1 alpha-2 code.
    pub code: String,
    /// English short name.
    pub name: String,
    /// Systems placed there.
    pub systems: Vec<SystemNode>,
    /// Vendors processing there.
    pub vendors: Vec<VendorNode>,
    /// Categories stored there (all its datasets), by category.
    pub holdings: Vec<Holding>,
}

/// A recorded transfer basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Basis {
    /// Kind (`consent`, `scc`, …).
    pub kind: String,
    /// Reference.
    pub reference: Option<String>,
    /// Disclosed in the privacy policy.
    pub disclosed: bool,
}

/// A flow between places.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlowEdge {
    /// Id.
    pub id: String,
    /// Source dataset.
    pub from: String,
    /// Destination dataset or vendor.
    pub to: String,
    /// `dataset` or `vendor`.
    pub to_kind: String,
    /// Source country.
    pub from_country: String,
    /// Destination country.
    pub to_country: String,
    /// Whether the countries differ.
    pub cross_border: bool,
    /// Purpose.
    pub purpose: String,
    /// Kind (`replication`, `provision`, …).
    pub kind: String,
    /// Categories moved.
    pub categories: Vec<String>,
    /// Jurisdictions of the people whose data moves: those the source (and
    /// a destination dataset) holds for these categories, and those they
    /// declare.
    pub subjects: Vec<String>,
    /// Recorded basis; `None` when none is recorded.
    pub basis: Option<Basis>,
}

/// Personal data a scan found outside every dataset of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unplaced {
    /// The scanned input (path or dataset id from the inventory).
    pub input: String,
    /// Categories found.
    pub holdings: Vec<Holding>,
}

/// The controller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Controller {
    /// Legal name.
    pub name: String,
    /// Country of establishment.
    pub established_in: String,
    /// Exchanges listed on.
    pub listed_on: Vec<String>,
    /// Parent company.
    pub parent: Option<String>,
    /// Data protection officer.
    pub dpo: Option<String>,
    /// Representative.
    pub representative: Option<String>,
}

/// The whole map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataMap {
    /// Format version of this JSON; this is version 1.
    pub version: u32,
    /// The manifest it was built from.
    pub manifest: String,
    /// Whether scan inventory was used.
    pub inventory: bool,
    /// The controller.
    pub controller: Controller,
    /// Countries, the establishment country first, then by code.
    pub countries: Vec<CountryNode>,
    /// Flows in manifest order.
    pub flows: Vec<FlowEdge>,
    /// Scanned inputs holding personal data that no dataset of the manifest
    /// covers.
    pub unplaced: Vec<Unplaced>,
}

impl DataMap {
    /// The flows that cross a border.
    pub fn cross_border(&self) -> impl Iterator<Item = &FlowEdge> {
        self.flows.iter().filter(|f| f.cross_border)
    }

    /// A dataset by id, with its system and country.
    #[must_use]
    pub fn dataset(&self, id: &str) -> Option<(&CountryNode, &SystemNode, &DatasetNode)> {
        self.countries.iter().find_map(|c| {
            c.systems
                .iter()
                .find_map(|s| s.datasets.iter().find(|d| d.id == id).map(|d| (c, s, d)))
        })
    }
}
