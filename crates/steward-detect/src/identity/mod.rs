//! Identity and credential detectors: what the 2025 token-forgery breach
//! would have tripped.
//!
//! | id | finds | severity |
//! |---|---|---|
//! | [`forged-token`](forged_token) | tokens that match no issuance record, per signing key | critical |
//! | [`signing-key`](signing_key) | unknown or retired keys, tokens dated outside their key's life | critical / high |
//! | [`departed-custodian-key`](departed_custodian_key) | a key still in use after a custodian left | high |
//! | [`post-termination`](post_termination) | staff activity after their HR end date | high |
//! | [`geo-travel`](geo_travel) | new countries after learning, impossible travel | medium / high |
//!
//! Every detector reports one detection per episode (first event at once,
//! updates with the same key and window start while it grows, see
//! [`episodes`]), keeps bounded state that round-trips through
//! [`Detector::save`] and [`Detector::restore`], and never puts customer
//! data in titles or facts (subjects are only counted).
//!
//! Settings are the `identity:` part of the detectors' configuration, one
//! section per detector; every duration is a whole number of seconds in a
//! setting whose name ends in `_s`:
//!
//! ```
//! let config: steward_detect::identity::Config = serde_norway::from_str(
//!     "forged_token: {skew_s: 60}\ngeo_travel: {enabled: false}\n",
//! )
//! .unwrap();
//! assert_eq!(config.forged_token.skew_s, 60);
//! assert_eq!(config.forged_token.max_token_life_s, 86_400);
//! let detectors =
//!     steward_detect::identity::detectors(&steward_detect::Context::default(), &config).unwrap();
//! let ids: Vec<_> = detectors.iter().map(|d| d.id()).collect();
//! assert_eq!(ids, ["forged-token", "signing-key", "departed-custodian-key", "post-termination"]);
//! ```

use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::detector::Detector;
use crate::error::DetectError;

pub mod departed_custodian_key;
pub mod engine;
pub mod episodes;
pub mod forged_token;
pub mod geo;
pub mod geo_travel;
pub mod post_termination;
pub mod signing_key;
pub mod support;

#[cfg(test)]
mod testkit;

pub use departed_custodian_key::{DepartedCustodianKey, DepartedCustodianKeyConfig};
pub use forged_token::{ForgedToken, ForgedTokenConfig};
pub use geo_travel::{GeoTravel, GeoTravelConfig};
pub use post_termination::{PostTermination, PostTerminationConfig};
pub use signing_key::{SigningKeyCheck, SigningKeyConfig};

/// Settings of the identity detectors, one section each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `forged-token`.
    pub forged_token: ForgedTokenConfig,
    /// `signing-key`.
    pub signing_key: SigningKeyConfig,
    /// `departed-custodian-key`.
    pub departed_custodian_key: DepartedCustodianKeyConfig,
    /// `post-termination`.
    pub post_termination: PostTerminationConfig,
    /// `geo-travel`.
    pub geo_travel: GeoTravelConfig,
}

/// The enabled identity detectors, in the order of the table above.
///
/// # Errors
/// A setting is out of range ([`DetectError::Config`] names the detector
/// and setting), even for a disabled detector.
pub fn detectors(
    context: &Context,
    config: &Config,
) -> Result<Vec<Box<dyn Detector>>, DetectError> {
    let all: [(bool, Box<dyn Detector>); 5] = [
        (
            config.forged_token.enabled,
            Box::new(ForgedToken::new(&config.forged_token)?),
        ),
        (
            config.signing_key.enabled,
            Box::new(SigningKeyCheck::new(context, &config.signing_key)?),
        ),
        (
            config.departed_custodian_key.enabled,
            Box::new(DepartedCustodianKey::new(
                context,
                &config.departed_custodian_key,
            )?),
        ),
        (
            config.post_termination.enabled,
            Box::new(PostTermination::new(context, &config.post_termination)?),
        ),
        (
            config.geo_travel.enabled,
            Box::new(GeoTravel::new(&config.geo_travel)?),
        ),
    ];
    Ok(all
        .into_iter()
        .filter_map(|(enabled, d)| enabled.then_some(d))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_detectors_by_default_with_unique_ids() {
        let d = detectors(&Context::default(), &Config::default()).unwrap();
        let ids: Vec<_> = d.iter().map(|d| d.id()).collect();
        assert_eq!(
            ids,
            [
                "forged-token",
                "signing-key",
                "departed-custodian-key",
                "post-termination",
                "geo-travel"
            ]
        );
    }

    #[test]
    fn out_of_range_settings_are_refused_and_unknown_ones_too() {
        let config = Config {
            geo_travel: GeoTravelConfig {
                speed_kmh: 0,
                enabled: false,
                ..GeoTravelConfig::default()
            },
            ..Config::default()
        };
        let err = detectors(&Context::default(), &config)
            .err()
            .unwrap()
            .to_string();
        assert_eq!(
            err,
            "detector geo-travel: `speed_kmh` is 0, must be between 1 and 100000"
        );
        assert!(serde_json::from_str::<Config>(r#"{"forged_token":{"skew":1}}"#).is_err());
        let kinds: Config =
            serde_json::from_str(r#"{"geo_travel":{"kinds":["staff","customer"]}}"#).unwrap();
        assert_eq!(kinds.geo_travel.kinds.len(), 2);
    }
}
