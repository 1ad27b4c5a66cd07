//! steward's native detectors: what Sigma rules cannot express.
//!
//! Each detector is a [`Detector`] in its own module with a stable id:
//!
//! - identity and credentials ([`identity`]): tokens that match no issuance,
//!   unknown or retired signing keys, keys of departed custodians, activity
//!   after an HR end date, new countries and impossible travel;
//! - behaviour ([`behaviour`]): breadth of subjects read against the
//!   principal's own baseline and its peer group, enumeration of subject
//!   ids, export volume.
//!
//! Detectors see events in event-time order with a watermark, keep bounded
//! state that serialises for checkpoints, and report [`Detection`]s that the
//! hunt pipeline turns into alerts and incidents.

pub mod behaviour;
pub mod context;
pub mod detector;
pub mod error;
pub mod evidence;
pub mod identity;

use serde::{Deserialize, Serialize};

pub use context::Context;
pub use detector::{Detection, Detector, DetectorStats, EventRole};
pub use error::DetectError;

/// The detectors' hash map: keyed by principal, key and staff ids on every
/// event, where `std`'s SipHash cost more than the lookups' other work.
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// The set counterpart of [`HashMap`].
pub type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

/// The value under `id` in a map keyed by inline strings, made by `make`
/// when missing. An id `CompactString` holds inline (up to 24 bytes) costs
/// no allocation, so the entry API finds it with one probe; a longer id is
/// looked up before a key is built, so an existing entry allocates nothing.
pub(crate) fn entry_of<'m, V>(
    map: &'m mut HashMap<compact_str::CompactString, V>,
    id: &str,
    make: impl FnOnce() -> V,
) -> Option<&'m mut V> {
    if id.len() <= std::mem::size_of::<compact_str::CompactString>() {
        return Some(
            map.entry(compact_str::CompactString::from(id))
                .or_insert_with(make),
        );
    }
    if !map.contains_key(id) {
        map.insert(compact_str::CompactString::from(id), make());
    }
    map.get_mut(id)
}

/// Settings of every native detector (a `detectors:` section of the hunt
/// configuration).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Identity and credential detectors.
    pub identity: identity::Config,
    /// Behavioural detectors.
    pub behaviour: behaviour::Config,
}

/// Every native detector, configured.
///
/// # Errors
/// A setting is out of range.
pub fn all(context: &Context, config: &Config) -> Result<Vec<Box<dyn Detector>>, DetectError> {
    let mut out = identity::detectors(context, &config.identity)?;
    out.extend(behaviour::detectors(context, &config.behaviour)?);
    Ok(out)
}
