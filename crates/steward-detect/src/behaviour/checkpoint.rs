//! Checkpoints of the behaviour detectors: the whole state as JSON under a
//! version number.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::DetectError;

/// Version of every behaviour detector's saved state.
pub const VERSION: u64 = 1;

/// `{"version": 1, "state": …}`.
///
/// # Errors
/// The state could not be serialised.
pub fn save<T: Serialize>(
    detector: &'static str,
    state: &T,
) -> Result<serde_json::Value, DetectError> {
    let state = serde_json::to_value(state).map_err(|e| DetectError::State {
        detector,
        message: e.to_string(),
    })?;
    Ok(serde_json::json!({ "version": VERSION, "state": state }))
}

/// The state saved by [`save`].
///
/// # Errors
/// Not a saved state of this version, or not this detector's.
pub fn restore<T: DeserializeOwned>(
    detector: &'static str,
    mut saved: serde_json::Value,
) -> Result<T, DetectError> {
    let bad = |message: String| DetectError::State { detector, message };
    let version = saved.get("version").and_then(serde_json::Value::as_u64);
    if version != Some(VERSION) {
        return Err(bad(format!(
            "version {} where {VERSION} was expected",
            version.map_or_else(|| "missing".to_owned(), |v| v.to_string())
        )));
    }
    let state = saved
        .get_mut("state")
        .map(serde_json::Value::take)
        .ok_or_else(|| bad("no `state`".to_owned()))?;
    serde_json::from_value(state).map_err(|e| bad(e.to_string()))
}
