//! Writers for what the engine found: JSON, Markdown, the per-regime CSV of
//! people to notify, and notice drafts. They render; they decide nothing.

pub mod csv;
pub mod drafts;
pub mod json;
pub mod markdown;

use jiff::ZonedDateTime;

/// A deadline as people read it: `2025-11-20 16:00 KST (Asia/Seoul)`.
#[must_use]
pub fn when(z: &ZonedDateTime) -> String {
    let abbr = z
        .time_zone()
        .to_offset_info(z.timestamp())
        .abbreviation()
        .to_owned();
    format!(
        "{} {abbr} ({})",
        z.strftime("%Y-%m-%d %H:%M"),
        z.time_zone().iana_name().unwrap_or("fixed offset")
    )
}

use steward_model::impact::ImpactSummary;

use crate::duty::Evaluation;

/// What a report is made of: the impact summary, the duties found, and an
/// optional incident id and title.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// The incident id, if known.
    pub incident: Option<&'a str>,
    /// A title for the report.
    pub title: Option<&'a str>,
    /// The impact.
    pub summary: &'a ImpactSummary,
    /// The duties.
    pub evaluation: &'a Evaluation,
}

impl Report<'_> {
    /// The heading: the title, else the incident id, else the selector.
    #[must_use]
    pub fn heading(&self) -> String {
        self.title
            .map(str::to_owned)
            .or_else(|| self.incident.map(|i| format!("Incident {i}")))
            .unwrap_or_else(|| format!("Impact of {}", self.summary.selector))
    }
}
