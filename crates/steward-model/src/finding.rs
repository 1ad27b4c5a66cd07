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
        /// JSON path of the field, such as `$.entries[*].phone`, or the
        /// column name of a CSV or table cell.
        field: String,
        /// Byte offset of the match within the field's value.
        #[serde(skip_serializing_if = "Option::is_none")]
        offset: Option<u64>,
    },
    /// A column of a table (classified once, not per cell).
    Column {
        /// Dataset: file path or database URL without credentials.
        dataset: String,
        /// Table name.
        table: String,
        /// Column name, or JSON path for JSON records.
        column: String,
        /// Key of the first row that matched, such as `member_id=3` or
        /// `row 3`.
        #[serde(skip_serializing_if = "Option::is_none")]
        first_row: Option<String>,
    },
}

impl Location {
    /// Where the finding sits within its source, as the inventory keys it:
    /// the JSON path, the column (`table.column` in a database), or empty
    /// for a text file.
    #[must_use]
    pub fn within_source(&self) -> String {
        match self {
            Self::File { .. } => String::new(),
            Self::Field { field, .. } => field.clone(),
            Self::Column { table, column, .. } if table.is_empty() => column.clone(),
            Self::Column { table, column, .. } => format!("{table}.{column}"),
        }
    }
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
    /// Keyed fingerprint of the raw value (for a column: of the first
    /// matching value).
    pub fingerprint: Fingerprint,
    /// For a classified column: how many values matched out of how many.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<ColumnSummary>,
    /// The raw value, only when the user explicitly asked for raw values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
}

/// A column classified once rather than cell by cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnSummary {
    /// Values that matched the detector.
    pub values: u64,
    /// Non-empty values in the column (of the rows read).
    pub non_empty: u64,
    /// Rows read.
    pub rows: u64,
    /// `values / non_empty`.
    pub match_ratio: f64,
    /// Rows read per table when sampling, `None` when every row was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample: Option<u64>,
    /// Matched values per jurisdiction (ISO 3166-1 alpha-2), where the
    /// values tell.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub jurisdictions: std::collections::BTreeMap<String, u64>,
}
