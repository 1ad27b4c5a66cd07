//! Identity detectors (filled in by the identity work).

use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::detector::Detector;
use crate::error::DetectError;

/// Settings of the identity detectors.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {}

/// The identity detectors.
///
/// # Errors
/// A setting is out of range.
pub fn detectors(
    _context: &Context,
    _config: &Config,
) -> Result<Vec<Box<dyn Detector>>, DetectError> {
    Ok(Vec::new())
}
