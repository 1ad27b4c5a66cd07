//! Where each system is: its provider region looked up in the region table
//! (the manifest's `region_overrides` first), or its declared country.

use serde::Serialize;
use steward_model::jurisdiction::Country;
use steward_model::manifest::{Manifest, RegionOverride, System};
use steward_model::region::{self, CloudProvider};

use crate::check::Checker;

/// How a system's country was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum PlacedBy {
    /// The built-in region table; `source` is where that row was checked.
    RegionTable {
        /// The provider's name for the region.
        display_name: String,
        /// Where the row of the table was checked.
        source: String,
    },
    /// One of the manifest's `region_overrides`.
    RegionOverride,
    /// The system's own `country`.
    Declared,
}

/// Where a system's data is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placement {
    /// The country.
    pub country: Country,
    /// Provider, when hosted in a cloud.
    pub provider: Option<CloudProvider>,
    /// Provider region.
    pub region: Option<String>,
    /// How the country was found.
    pub by: PlacedBy,
}

fn find_override<'m>(
    overrides: &'m [RegionOverride],
    provider: CloudProvider,
    region: &str,
) -> Option<&'m RegionOverride> {
    overrides
        .iter()
        .find(|o| o.provider == provider && o.region.eq_ignore_ascii_case(region.trim()))
}

/// Places system `i`; reports what stops it being placed.
pub(crate) fn place(
    manifest: &Manifest,
    i: usize,
    system: &System,
    c: &mut Checker,
) -> Option<Placement> {
    let at = |f: &str| format!("systems[{i}].{f}");
    let from_region = match (system.provider, &system.region) {
        (Some(provider), Some(region)) => {
            match find_override(&manifest.region_overrides, provider, region) {
                Some(o) => Some((o.country, PlacedBy::RegionOverride)),
                None => match region::lookup(provider, region) {
                    Ok(info) => Some((
                        info.country,
                        PlacedBy::RegionTable {
                            display_name: info.display_name.clone(),
                            source: info.source.clone(),
                        },
                    )),
                    Err(e) => {
                        c.error(&at("region"), e.to_string());
                        return None;
                    }
                },
            }
        }
        (None, Some(region)) => {
            c.error(
                &at("region"),
                format!("region `{region}` needs a `provider` (aws, gcp, azure, ncloud, ktcloud, nhncloud)"),
            );
            return None;
        }
        (_, None) => None,
    };
    let (country, by) = match (from_region, system.country) {
        (Some((found, by)), Some(declared)) => {
            if found != declared {
                c.error(
                    &at("country"),
                    format!(
                        "country `{declared}` contradicts region `{}`, which is in `{found}`",
                        system.region.as_deref().unwrap_or_default()
                    ),
                );
                return None;
            }
            (found, by)
        }
        (Some(found), None) => found,
        (None, Some(declared)) => (declared, PlacedBy::Declared),
        (None, None) => {
            c.error_at_key(
                &at("id"),
                format!(
                    "system `{}` has no place: give `provider` and `region`, or `country`",
                    system.id
                ),
            );
            return None;
        }
    };
    Some(Placement {
        country,
        provider: system.provider,
        region: system.region.clone(),
        by,
    })
}

/// Checks the overrides themselves: one per region, and a note where one
/// changes a country the built-in table knows.
pub(crate) fn check_overrides(manifest: &Manifest, c: &mut Checker) {
    for (i, o) in manifest.region_overrides.iter().enumerate() {
        let field = format!("region_overrides[{i}].region");
        if let Some(j) = manifest.region_overrides.iter().position(|p| {
            p.provider == o.provider && p.region.eq_ignore_ascii_case(o.region.trim())
        }) && j < i
        {
            c.error(
                &field,
                format!(
                    "{} region `{}` is overridden twice (first at line {})",
                    o.provider,
                    o.region,
                    c.line_of(&format!("region_overrides[{j}].region"))
                ),
            );
        }
        if let Ok(info) = region::lookup(o.provider, &o.region)
            && info.country != o.country
        {
            c.warn(
                &format!("region_overrides[{i}].country"),
                format!(
                    "overrides the built-in table, which places {} region `{}` in `{}`",
                    o.provider, info.region, info.country
                ),
            );
        }
    }
}
