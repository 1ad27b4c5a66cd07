//! Behaviour detectors: what a principal, a source address or the platform
//! as a whole does across many events.
//!
//! | id | what | severity |
//! |---|---|---|
//! | [`breadth`] | distinct data subjects per principal per window against its own and its peers' baselines | high |
//! | [`enumeration`] | subject ids walked in sequence, per principal and per source address | high |
//! | [`export`] (`export-volume`) | records and bytes per principal per window against the same baselines | medium or high |
//! | [`login_spread`] (`login-failure-spread`) | distinct source addresses of refused logins per window, platform-wide, against the platform's rate at that time of day | high |
//!
//! Only successful accesses with at least one subject count as reads
//! (`login-failure-spread` counts refused logins instead); a
//! customer reading only its own record never makes a breadth, volume or
//! per-principal enumeration candidate. Windows are tumbling and aligned to
//! the epoch; they close when the watermark reaches their end or at
//! [`Detector::finish`]; events older than the last watermark are late and
//! left out. All state serialises (sorted) for checkpoints. The reference
//! is `docs/detectors-behaviour.md`.

pub mod baseline;
pub mod breadth;
mod checkpoint;
pub mod distinct;
pub mod enumeration;
pub mod export;
pub mod login_spread;
pub mod windowed;
pub mod windows;

use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::detector::Detector;
use crate::error::DetectError;

pub use breadth::Breadth;
pub use enumeration::Enumeration;
pub use export::ExportVolume;
pub use login_spread::LoginSpread;

/// Settings of the behaviour detectors.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `breadth`.
    pub breadth: breadth::Config,
    /// `enumeration`.
    pub enumeration: enumeration::Config,
    /// `export-volume`.
    pub export_volume: export::Config,
    /// `login-failure-spread`.
    pub login_failure_spread: login_spread::Config,
}

/// The enabled behaviour detectors, in id order.
///
/// # Errors
/// A setting is out of range.
pub fn detectors(
    context: &Context,
    config: &Config,
) -> Result<Vec<Box<dyn Detector>>, DetectError> {
    let mut out: Vec<Box<dyn Detector>> = Vec::new();
    if config.breadth.enabled {
        out.push(Box::new(Breadth::new(context, config.breadth.clone())?));
    }
    if config.enumeration.enabled {
        out.push(Box::new(Enumeration::new(
            context,
            config.enumeration.clone(),
        )?));
    }
    if config.export_volume.enabled {
        out.push(Box::new(ExportVolume::new(
            context,
            config.export_volume.clone(),
        )?));
    }
    if config.login_failure_spread.enabled {
        out.push(Box::new(LoginSpread::new(
            context,
            config.login_failure_spread.clone(),
        )?));
    }
    Ok(out)
}
