//! Data categories: the fideslang taxonomy (CC BY 4.0, see
//! `data/NOTICE-fideslang.md`) extended with the country-specific identifiers
//! and secrets steward detects.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::error::ModelError;

const FIDESLANG_CSV: &str = include_str!("../data/fideslang_data_categories.csv");

/// steward's extension keys: `(key, parent, name, description)`. Each extends
/// an existing fideslang class, as fideslang recommends.
const EXTENSIONS: &[(&str, &str, &str, &str)] = &[
    (
        "user.government_id.national_identification_number.kr_rrn",
        "user.government_id.national_identification_number",
        "Korean Resident Registration Number",
        "주민등록번호: YYMMDD-GNNNNNC, check digit before October 2020.",
    ),
    (
        "user.government_id.national_identification_number.kr_frn",
        "user.government_id.national_identification_number",
        "Korean Foreigner Registration Number",
        "외국인등록번호: RRN shape with gender digit 5-8.",
    ),
    (
        "user.government_id.national_identification_number.us_ssn",
        "user.government_id.national_identification_number",
        "US Social Security Number",
        "AAA-GG-SSSS in an issued range.",
    ),
    (
        "user.government_id.national_identification_number.us_itin",
        "user.government_id.national_identification_number",
        "US Individual Taxpayer Identification Number",
        "9XX-GG-XXXX with an ITIN group.",
    ),
    (
        "user.government_id.national_identification_number.jp_my_number",
        "user.government_id.national_identification_number",
        "Japanese Individual Number (My Number)",
        "個人番号: twelve digits with a mod-11 check digit.",
    ),
    (
        "user.government_id.national_identification_number.tw_id",
        "user.government_id.national_identification_number",
        "Taiwanese National ID",
        "國民身分證統一編號: letter, sex digit, eight digits.",
    ),
    (
        "user.government_id.national_identification_number.tw_arc",
        "user.government_id.national_identification_number",
        "Taiwanese Resident Certificate Number",
        "居留證: letter, 8 or 9, eight digits (2021 format).",
    ),
    (
        "user.government_id.national_identification_number.eu_national_id",
        "user.government_id.national_identification_number",
        "EU national identifier",
        "A national identifier of an EU member state.",
    ),
    (
        "user.government_id.kr_brn",
        "user.government_id",
        "Korean Business Registration Number",
        "사업자등록번호: personal data for sole proprietors.",
    ),
    (
        "user.government_id.kr_pccc",
        "user.government_id",
        "Korean Personal Customs Clearance Code",
        "개인통관고유부호: P followed by twelve digits.",
    ),
    (
        "user.contact.address.entrance_code",
        "user.contact.address",
        "Building entrance code",
        "공동현관 비밀번호: door code stored with a delivery address.",
    ),
    (
        "user.contact.address.kr_road_address",
        "user.contact.address.street",
        "Korean road-name or lot-number address",
        "도로명 or 지번 address.",
    ),
    (
        "system.authentication.private_key",
        "system.authentication",
        "Private key",
        "A PEM-encoded private key.",
    ),
    (
        "system.authentication.signing_secret",
        "system.authentication",
        "Token signing secret",
        "A secret that signs access tokens (JWT HMAC secret or signing key).",
    ),
    (
        "system.authentication.access_token",
        "system.authentication",
        "Access token",
        "A bearer token such as a JWT.",
    ),
    (
        "system.authentication.cloud_access_key",
        "system.authentication",
        "Cloud access key",
        "A cloud provider access key pair.",
    ),
];

/// A data-category key, such as `user.contact.email`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DataCategory(String);

impl DataCategory {
    /// A category checked against the taxonomy.
    ///
    /// # Errors
    /// [`ModelError::UnknownCategory`] when the key is not in the taxonomy.
    pub fn new(key: &str) -> Result<Self, ModelError> {
        taxonomy()
            .get(key)
            .map(|c| Self(c.key.clone()))
            .ok_or_else(|| ModelError::UnknownCategory {
                key: key.to_owned(),
                hint: taxonomy().closest(key),
            })
    }

    /// The dotted key.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when this category equals `ancestor` or lies below it.
    #[must_use]
    pub fn is_within(&self, ancestor: &str) -> bool {
        self.0 == ancestor
            || (self.0.starts_with(ancestor)
                && self.0.as_bytes().get(ancestor.len()) == Some(&b'.'))
    }
}

impl fmt::Display for DataCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One entry of the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryInfo {
    /// Dotted key.
    pub key: String,
    /// Parent key; `None` for `user` and `system`.
    pub parent: Option<String>,
    /// Human name.
    pub name: String,
    /// One-line description.
    pub description: String,
    /// Where the entry comes from: `fideslang` or `steward`.
    pub source: &'static str,
}

/// The taxonomy: fideslang's data categories plus steward's extensions.
#[derive(Debug)]
pub struct Taxonomy {
    entries: Vec<CategoryInfo>,
    index: HashMap<String, usize>,
}

impl Taxonomy {
    fn load() -> Self {
        let mut entries = Vec::new();
        let mut reader = csv::Reader::from_reader(FIDESLANG_CSV.as_bytes());
        for record in reader.records().flatten() {
            let field = |i: usize| record.get(i).unwrap_or_default().to_owned();
            let parent = field(1);
            entries.push(CategoryInfo {
                key: field(0),
                parent: (!parent.is_empty()).then_some(parent),
                name: field(2),
                description: field(3),
                source: "fideslang",
            });
        }
        for (key, parent, name, description) in EXTENSIONS {
            entries.push(CategoryInfo {
                key: (*key).to_owned(),
                parent: Some((*parent).to_owned()),
                name: (*name).to_owned(),
                description: (*description).to_owned(),
                source: "steward",
            });
        }
        let index = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.key.clone(), i))
            .collect();
        Self { entries, index }
    }

    /// The entry for a key.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&CategoryInfo> {
        self.index.get(key).and_then(|i| self.entries.get(*i))
    }

    /// Every entry, fideslang's first in upstream order.
    #[must_use]
    pub fn entries(&self) -> &[CategoryInfo] {
        &self.entries
    }

    /// The key that shares the longest dotted prefix with `key`, as a hint.
    #[must_use]
    pub fn closest(&self, key: &str) -> Option<String> {
        let mut prefix = key;
        loop {
            if let Some(found) = self
                .entries
                .iter()
                .find(|e| e.key.starts_with(prefix) && !prefix.is_empty())
            {
                return Some(found.key.clone());
            }
            prefix = prefix.rsplit_once('.')?.0;
        }
    }
}

static TAXONOMY: LazyLock<Taxonomy> = LazyLock::new(Taxonomy::load);

/// The process-wide taxonomy, parsed once from the embedded data.
#[must_use]
pub fn taxonomy() -> &'static Taxonomy {
    &TAXONOMY
}

/// Keys steward's own code uses, checked by a test against the taxonomy.
pub mod keys {
    #![allow(missing_docs)]
    pub const NAME: &str = "user.name";
    pub const EMAIL: &str = "user.contact.email";
    pub const PHONE: &str = "user.contact.phone_number";
    pub const STREET: &str = "user.contact.address.street";
    pub const POSTAL_CODE: &str = "user.contact.address.postal_code";
    pub const CITY: &str = "user.contact.address.city";
    pub const ENTRANCE_CODE: &str = "user.contact.address.entrance_code";
    pub const DATE_OF_BIRTH: &str = "user.demographic.date_of_birth";
    pub const CREDIT_CARD: &str = "user.financial.credit_card";
    pub const BANK_ACCOUNT: &str = "user.financial.bank_account";
    pub const PURCHASE_HISTORY: &str = "user.behavior.purchase_history";
    pub const IP_ADDRESS: &str = "user.device.ip_address";
    pub const NATIONAL_ID: &str = "user.government_id.national_identification_number";
    pub const KR_RRN: &str = "user.government_id.national_identification_number.kr_rrn";
    pub const KR_FRN: &str = "user.government_id.national_identification_number.kr_frn";
    pub const US_SSN: &str = "user.government_id.national_identification_number.us_ssn";
    pub const JP_MY_NUMBER: &str = "user.government_id.national_identification_number.jp_my_number";
    pub const TW_ID: &str = "user.government_id.national_identification_number.tw_id";
    pub const KR_PCCC: &str = "user.government_id.kr_pccc";
    pub const PASSPORT: &str = "user.government_id.passport_number";
    pub const ACCOUNT: &str = "user.account";
    pub const PRIVATE_KEY: &str = "system.authentication.private_key";
    pub const SIGNING_SECRET: &str = "system.authentication.signing_secret";
    pub const ACCESS_TOKEN: &str = "system.authentication.access_token";
    pub const CLOUD_ACCESS_KEY: &str = "system.authentication.cloud_access_key";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_all_fideslang_entries_and_extensions() {
        let t = taxonomy();
        let upstream = t
            .entries()
            .iter()
            .filter(|e| e.source == "fideslang")
            .count();
        assert_eq!(upstream, 85);
        assert_eq!(t.entries().len(), 85 + EXTENSIONS.len());
        for e in t.entries() {
            if let Some(parent) = &e.parent {
                assert!(
                    t.get(parent).is_some(),
                    "{} has unknown parent {parent}",
                    e.key
                );
            }
        }
    }

    #[test]
    fn every_key_steward_uses_exists() {
        use keys::*;
        for key in [
            NAME,
            EMAIL,
            PHONE,
            STREET,
            POSTAL_CODE,
            CITY,
            ENTRANCE_CODE,
            DATE_OF_BIRTH,
            CREDIT_CARD,
            BANK_ACCOUNT,
            PURCHASE_HISTORY,
            IP_ADDRESS,
            NATIONAL_ID,
            KR_RRN,
            KR_FRN,
            US_SSN,
            JP_MY_NUMBER,
            TW_ID,
            KR_PCCC,
            PASSPORT,
            ACCOUNT,
            PRIVATE_KEY,
            SIGNING_SECRET,
            ACCESS_TOKEN,
            CLOUD_ACCESS_KEY,
        ] {
            assert!(DataCategory::new(key).is_ok(), "{key}");
        }
    }

    #[test]
    fn rrn_is_a_national_identifier() {
        let rrn = DataCategory::new(keys::KR_RRN).unwrap();
        assert!(rrn.is_within("user.government_id.national_identification_number"));
        assert!(rrn.is_within("user"));
        assert!(!rrn.is_within("user.gov"));
    }

    #[test]
    fn unknown_key_gets_a_hint() {
        let err = DataCategory::new("user.contact.emial").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("`user.contact.emial`"), "{text}");
        assert!(text.contains("user.contact"), "{text}");
    }
}
