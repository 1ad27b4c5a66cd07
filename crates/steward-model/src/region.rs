//! Cloud regions and the country that holds their data centres. A vendored
//! table with the source of each row: `data/cloud_regions.csv`, provenance in
//! `data/cloud_regions.md`.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::error::ModelError;
use crate::jurisdiction::{Country, Jurisdiction};

const REGIONS_CSV: &str = include_str!("../data/cloud_regions.csv");

/// A cloud provider steward knows the regions of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum CloudProvider {
    /// Amazon Web Services.
    Aws,
    /// Google Cloud.
    Gcp,
    /// Microsoft Azure.
    Azure,
    /// Naver Cloud Platform.
    Ncloud,
    /// KT Cloud.
    Ktcloud,
    /// NHN Cloud.
    Nhncloud,
}

impl CloudProvider {
    /// Every provider.
    pub const ALL: [Self; 6] = [
        Self::Aws,
        Self::Gcp,
        Self::Azure,
        Self::Ncloud,
        Self::Ktcloud,
        Self::Nhncloud,
    ];

    /// The lowercase identifier used in manifests and the table.
    #[must_use]
    pub const fn id(self) -> &'static str {
        match self {
            Self::Aws => "aws",
            Self::Gcp => "gcp",
            Self::Azure => "azure",
            Self::Ncloud => "ncloud",
            Self::Ktcloud => "ktcloud",
            Self::Nhncloud => "nhncloud",
        }
    }
}

impl fmt::Display for CloudProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for CloudProvider {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|p| p.id() == lower)
            .ok_or_else(|| ModelError::UnknownProvider {
                provider: s.to_owned(),
            })
    }
}

/// One row of the region table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionInfo {
    /// Provider.
    pub provider: CloudProvider,
    /// Region identifier as used in the provider's APIs.
    pub region: String,
    /// Country of the data centres.
    pub country: Country,
    /// ISO 3166-2 subdivision, where known.
    pub subdivision: Option<String>,
    /// The provider's human name.
    pub display_name: String,
    /// Where the row was checked.
    pub source: String,
}

impl RegionInfo {
    /// The jurisdiction whose territory holds the region.
    #[must_use]
    pub fn jurisdiction(&self) -> Jurisdiction {
        Jurisdiction {
            country: self.country,
            subdivision: self.subdivision.clone(),
        }
    }
}

static REGIONS: LazyLock<HashMap<(CloudProvider, String), RegionInfo>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for r in csv::Reader::from_reader(REGIONS_CSV.as_bytes())
        .into_records()
        .flatten()
    {
        let f = |i: usize| r.get(i).unwrap_or_default().trim().to_owned();
        let (Ok(provider), Ok(country)) = (f(0).parse::<CloudProvider>(), Country::parse(&f(2)))
        else {
            continue;
        };
        let subdivision = Some(f(3)).filter(|s| !s.is_empty());
        let info = RegionInfo {
            provider,
            region: f(1),
            country,
            subdivision,
            display_name: f(4),
            source: f(5),
        };
        map.insert((provider, f(1).to_ascii_lowercase()), info);
    }
    map
});

/// Looks up a region of a provider (case-insensitive).
///
/// # Errors
/// [`ModelError::UnknownRegion`], naming up to three known regions of that
/// provider that share the longest prefix with the one asked for.
pub fn lookup(provider: CloudProvider, region: &str) -> Result<&'static RegionInfo, ModelError> {
    let key = region.trim().to_ascii_lowercase();
    if let Some(info) = REGIONS.get(&(provider, key.clone())) {
        return Ok(info);
    }
    let mut scored: Vec<(usize, &str)> = REGIONS
        .values()
        .filter(|r| r.provider == provider)
        .map(|r| {
            let common = r
                .region
                .to_ascii_lowercase()
                .bytes()
                .zip(key.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            (common, r.region.as_str())
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let hint = scored
        .iter()
        .take(3)
        .map(|(_, r)| format!("`{r}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Err(ModelError::UnknownRegion {
        provider,
        region: region.to_owned(),
        hint,
    })
}

/// Every region in the table, sorted by provider and region.
#[must_use]
pub fn regions() -> Vec<&'static RegionInfo> {
    let mut all: Vec<_> = REGIONS.values().collect();
    all.sort_by(|a, b| (a.provider, &a.region).cmp(&(b.provider, &b.region)));
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_regions_map_to_countries() {
        for (provider, region, country) in [
            (CloudProvider::Aws, "ap-northeast-2", "KR"),
            (CloudProvider::Aws, "us-east-1", "US"),
            (CloudProvider::Aws, "ap-southeast-5", "MY"),
            (CloudProvider::Aws, "ap-east-1", "HK"),
            (CloudProvider::Aws, "cn-north-1", "CN"),
            (CloudProvider::Aws, "us-gov-west-1", "US"),
            (CloudProvider::Gcp, "asia-northeast3", "KR"),
            (CloudProvider::Azure, "koreacentral", "KR"),
            (CloudProvider::Azure, "japaneast", "JP"),
        ] {
            let info = lookup(provider, region).unwrap();
            assert_eq!(info.country.code(), country, "{provider} {region}");
            assert!(!info.source.is_empty(), "{provider} {region} has no source");
        }
        assert_eq!(
            lookup(CloudProvider::Aws, "us-east-1")
                .unwrap()
                .subdivision
                .as_deref(),
            Some("US-VA")
        );
    }

    #[test]
    fn every_provider_has_rows_and_every_row_a_source() {
        for p in CloudProvider::ALL {
            assert!(
                regions().iter().any(|r| r.provider == p),
                "{p} has no regions"
            );
        }
        assert!(
            regions()
                .iter()
                .all(|r| !r.source.is_empty() && !r.display_name.is_empty())
        );
        assert!(regions().len() > 120, "{}", regions().len());
    }

    #[test]
    fn unknown_region_is_a_clear_error() {
        let err = lookup(CloudProvider::Aws, "ap-northeast-9")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("unknown aws region `ap-northeast-9`"),
            "{err}"
        );
        assert!(err.contains("`ap-northeast-"), "{err}");
        assert!("oracle".parse::<CloudProvider>().is_err());
    }
}
