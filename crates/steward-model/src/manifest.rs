//! The platform manifest: the organisation, its systems and datasets with
//! their regions, the flows between them and their transfer basis, the API
//! endpoints and what each returns, the token-signing keys with their
//! custodians, and a link to the HR roster.
//!
//! These are the serde types; `steward generate` writes one for the synthetic
//! platform, and `map`/`check` read them.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::jurisdiction::Country;
use crate::region::CloudProvider;

/// The whole manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Format version; this is version 1.
    pub version: u32,
    /// The organisation.
    pub organization: Organization,
    /// Systems and the datasets they hold.
    pub systems: Vec<System>,
    /// Outside recipients of data.
    #[serde(default)]
    pub vendors: Vec<Vendor>,
    /// Movements of personal data between datasets or to vendors.
    #[serde(default)]
    pub flows: Vec<Flow>,
    /// API endpoints and the data they return.
    #[serde(default)]
    pub endpoints: Vec<Endpoint>,
    /// Token-signing keys.
    #[serde(default)]
    pub signing_keys: Vec<SigningKey>,
    /// Path of the HR roster CSV, relative to the manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hr_roster: Option<String>,
    /// Regions the built-in table does not know yet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub region_overrides: Vec<RegionOverride>,
}

/// The controller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// Legal name.
    pub name: String,
    /// Country of establishment.
    pub established_in: Country,
    /// Stock exchanges it is listed on (`NYSE`, …).
    #[serde(default)]
    pub listed_on: Vec<String>,
    /// Whether it files with the US SEC (Form 8-K Item 1.05 applies).
    #[serde(default)]
    pub sec_registrant: bool,
    /// Parent company, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Countries whose residents it serves.
    #[serde(default)]
    pub markets: Vec<Country>,
    /// Data protection officer: a role address or team, shown in the ROPA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpo: Option<String>,
    /// Representative in a country where it is not established (GDPR
    /// Art. 27, PIPA Art. 31-2), shown in the ROPA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representative: Option<String>,
    /// Countries where it is designated an operator of critical information
    /// infrastructure (China's CIIO under PIPL Art. 40).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ciio_in: Vec<Country>,
    /// Countries whose authority has ordered it to store data locally
    /// (a request of Vietnam's Ministry of Public Security under Decree 53).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub localisation_orders: Vec<Country>,
}

/// A system: a service or store run in one place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct System {
    /// Stable id.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Cloud provider, if hosted in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<CloudProvider>,
    /// Provider region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Country, when not given by a region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Country>,
    /// Owning team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Days the system keeps its access logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_retention_days: Option<u32>,
    /// Datasets held.
    #[serde(default)]
    pub datasets: Vec<Dataset>,
}

/// A dataset: a table, file or set of files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// Stable id, unique across the manifest.
    pub id: String,
    /// Path relative to the manifest, or a database URL.
    pub location: String,
    /// Format: `sqlite`, `parquet`, `jsonl`, `csv`, `text`, `postgres`.
    pub format: String,
    /// What the dataset is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// Whether the owners say it holds personal data.
    pub personal_data: bool,
    /// Declared fields and their categories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// Countries of the people whose data it holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects_from: Vec<Country>,
    /// Kinds of people whose data it holds (fideslang data subjects:
    /// `customer`, `employee`, `prospect`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
    /// Lawful basis of the processing (`contract`, `consent`,
    /// `legal_obligation`, `legitimate_interests`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
    /// Days records are kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u32>,
    /// About how many people's data it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_count: Option<u64>,
}

/// A declared field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Column name or JSON path.
    pub name: String,
    /// Data categories.
    pub categories: Vec<String>,
}

/// An outside recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Vendor {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Country where it processes the data.
    pub country: Country,
    /// Certifications held (`ISMS-P`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certifications: Vec<String>,
}

/// A transfer basis recorded for a flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TransferBasis {
    /// Kind, such as `consent`, `contract_necessity`, `certification`,
    /// `adequacy`, `scc`, `bcr`, `cac_standard_contract`.
    pub kind: String,
    /// Reference: consent id, contract number, certificate id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Whether the transfer is disclosed in the privacy policy.
    #[serde(default)]
    pub disclosed: bool,
}

/// A movement of personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Flow {
    /// Stable id.
    pub id: String,
    /// Source dataset id.
    pub from: String,
    /// Destination dataset id or vendor id.
    pub to: String,
    /// Why.
    pub purpose: String,
    /// Data categories moved.
    pub categories: Vec<String>,
    /// `replication`, `export`, `remote_access`, `entrustment`, `provision`.
    pub kind: String,
    /// Recorded transfer basis; `None` where none was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_basis: Option<TransferBasis>,
    /// Reference of the contract with the recipient (safety measures,
    /// grievance and dispute handling), for transfers to a vendor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<String>,
}

/// An API endpoint and the data it returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// HTTP method.
    pub method: String,
    /// Route with `{id}` for the data subject.
    pub route: String,
    /// Categories of the subject's own data returned.
    #[serde(default)]
    pub returns: Vec<String>,
    /// Categories returned about people listed in the subject's records
    /// (address-book recipients).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub returns_related: Vec<String>,
    /// Dataset the related people come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_dataset: Option<String>,
}

/// A token-signing key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SigningKey {
    /// Key id (JWT `kid`).
    pub id: String,
    /// Algorithm (`RS256`, `HS256`, `ES256`).
    pub algorithm: String,
    /// System that signs with it.
    pub used_by: String,
    /// Creation date.
    #[cfg_attr(feature = "schema", schemars(with = "String", extend("format" = "date")))]
    pub created: Date,
    /// Rotation policy in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_days: Option<u32>,
    /// Date the key stopped signing new tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<String>", extend("format" = "date"))
    )]
    pub rotated: Option<Date>,
    /// Date the gateway stopped accepting it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<String>", extend("format" = "date"))
    )]
    pub retired: Option<Date>,
    /// Employee ids of the people who could read the key material.
    pub custodians: Vec<String>,
    /// Where the key material is stored (`vault`, `kms`, `plaintext-config`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<String>,
}

/// A region the built-in table does not know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RegionOverride {
    /// Provider.
    pub provider: CloudProvider,
    /// Region id.
    pub region: String,
    /// Country of its data centres.
    pub country: Country,
}

/// One row of the HR roster CSV (`employee_id,name,role,team,start_date,end_date`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    /// Employee id, as it appears as a principal in access logs.
    pub employee_id: String,
    /// Name.
    pub name: String,
    /// Role (`support_agent`, `backend_engineer`, …).
    pub role: String,
    /// Team.
    pub team: String,
    /// First day.
    pub start_date: Date,
    /// Last day, for people who have left.
    pub end_date: Option<Date>,
}
