//! Findings: a detected piece of personal data or a secret, with where it was,
//! how sure steward is, and a masked excerpt. Never the raw value.

use serde::Serialize;

use crate::category::DataCategory;
use crate::jurisdiction::Country;
use crate::masked::Fingerprint;

/// Where a finding was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Location {
    /// A place in a text file.
    File {
        /// Path as given to the scanner.
        path: String,
        /// 1-based line.
        line: u64,
        /// Byte offset of the match from the start of the file.
        byte_offset: u64,
    },
    /// A field of a structured record (JSON path).
    Field {
        /// Path of the file or dataset.
        path: String,
        /// 1-based line or record number.
        record: u64,
        /// JSON path of the field, such as `$.entries[2].phone`.
        field: String,
    },
    /// A column of a table (classified once, not per cell).
    Column {
        /// Dataset: file path or database URL without credentials.
        dataset: String,
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable detector id, such as `KR_RRN`.
    pub detector: String,
    /// Data category of what was found.
    pub category: DataCategory,
    /// Whose identifier this is, when the detector knows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<Country>,
    /// Confidence in `[0, 1]`.
    pub confidence: f32,
    /// Where.
    pub location: Location,
    /// Masked excerpt of the match.
    pub excerpt: String,
    /// Keyed fingerprint of the raw value.
    pub fingerprint: Fingerprint,
}
