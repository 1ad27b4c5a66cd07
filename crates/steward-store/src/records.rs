//! The rows the state store keeps. Values here are masked or aggregated;
//! the store never holds a raw personal-data value.

use serde::{Deserialize, Serialize};

/// One invocation of a steward command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Store-assigned id.
    pub id: i64,
    /// Command name (`demo`, `generate`, `scan`, …).
    pub command: String,
    /// Start time, RFC 3339.
    pub started_at: String,
    /// End time, RFC 3339.
    pub finished_at: Option<String>,
    /// `running`, `ok` or `failed`.
    pub status: String,
    /// Command-specific summary.
    pub summary: Option<serde_json::Value>,
}

/// A dataset steward knows about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetRecord {
    /// Stable id (from the manifest or the path).
    pub id: String,
    /// System that holds it.
    pub system: Option<String>,
    /// Path or URL without credentials.
    pub location: String,
    /// Format.
    pub format: String,
    /// ISO 3166-1 country where it is stored.
    pub country: Option<String>,
    /// Cloud region.
    pub region: Option<String>,
}

/// One inventory row: a category found in a place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InventoryRecord {
    /// Dataset id.
    pub dataset_id: String,
    /// Column, JSON path or file inside the dataset.
    pub location: String,
    /// Data category key.
    pub category: String,
    /// Detector id.
    pub detector: String,
    /// Jurisdiction of the people, or empty when unknown.
    pub jurisdiction: String,
    /// Number of values found.
    pub value_count: u64,
    /// Rows examined, for columns.
    pub row_count: Option<u64>,
    /// Share of examined values that matched, for columns.
    pub match_ratio: Option<f64>,
    /// When, RFC 3339.
    pub scanned_at: String,
}

/// A file already scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScannedFile {
    /// Path.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: i64,
    /// Content hash.
    pub content_hash: String,
    /// When, RFC 3339.
    pub scanned_at: String,
}

/// A detection alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertRecord {
    /// Deterministic id: the same evidence always gives the same id.
    pub id: String,
    /// Rule or detector id.
    pub rule_id: String,
    /// `informational` … `critical`.
    pub severity: String,
    /// Principal the alert is about.
    pub principal: String,
    /// Window start, RFC 3339.
    pub window_start: String,
    /// Window end, RFC 3339.
    pub window_end: String,
    /// Incident it was grouped into.
    pub incident_id: Option<String>,
    /// Counts, first and last event, sample event ids, masked values.
    pub evidence: serde_json::Value,
    /// When steward raised it, RFC 3339.
    pub created_at: String,
}

/// A group of alerts about one actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentRecord {
    /// Deterministic id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Highest severity of its alerts.
    pub severity: String,
    /// Principal or grouping key.
    pub principal: String,
    /// First event time, RFC 3339.
    pub first_seen: String,
    /// Last event time, RFC 3339.
    pub last_seen: String,
    /// When the organisation became aware; starts the notification clocks.
    pub awareness_at: Option<String>,
    /// `open` or `closed`.
    pub status: String,
    /// When steward created it, RFC 3339.
    pub created_at: String,
}

/// A computed impact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImpactRecord {
    /// Id.
    pub id: String,
    /// Incident it belongs to.
    pub incident_id: Option<String>,
    /// The selector it was computed from.
    pub selector: String,
    /// When, RFC 3339.
    pub computed_at: String,
    /// Totals by jurisdiction and category (no raw values).
    pub summary: serde_json::Value,
}

/// A stream checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Name of the stream.
    pub name: String,
    /// Input position (file and offset, or stream sequence).
    pub position: String,
    /// Serialised detector state.
    pub state: Vec<u8>,
    /// When, RFC 3339.
    pub updated_at: String,
}
