//! A notification regime, as written in `regimes/<id>.yaml`: who must be
//! told, when a duty fires, by when, and what the notice must say.
//!
//! Files are read with `deny_unknown_fields` everywhere, and category keys,
//! time zones and calendars are checked while parsing, so every mistake is
//! reported with its file, line and column.

use jiff::civil::{Date, Time};
use serde::{Deserialize, Deserializer, Serialize};

use crate::condition::Condition;
use crate::error::DataError;

/// A notification regime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regime {
    /// Stable id, the file's stem (`kr-pipa`).
    pub id: String,
    /// Human name.
    pub name: String,
    /// Jurisdiction label (`KR`, `EU`, `US-CA`).
    pub jurisdiction: String,
    /// Legal citation.
    pub citation: String,
    /// Date from which the rules below apply.
    pub effective: Date,
    /// Public sources used to write the file.
    pub sources: Vec<String>,
    /// How far the file was checked against primary text.
    pub status: String,
    /// The regulator's time zone, used for deadlines unless a recipient
    /// says otherwise.
    pub time_zone: TzName,
    /// Whose breaches the regime covers.
    pub covers: Covers,
    /// What counts as personal information under the regime: any one of
    /// these holds. Empty: any personal data.
    #[serde(default)]
    pub personal_information: Vec<Condition>,
    /// Who must be told.
    pub recipients: Vec<Recipient>,
    /// Remarks shown with the regime's duties.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Whose data brings a breach under the regime.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Covers {
    /// Residents of these countries (ISO 3166-1 alpha-2).
    #[serde(default)]
    pub countries: Vec<String>,
    /// Residents of these subdivisions (ISO 3166-2, `US-CA`).
    #[serde(default)]
    pub subdivisions: Vec<String>,
    /// Everyone affected, wherever they live, when this holds (an
    /// establishment in the jurisdiction, a listing).
    #[serde(default)]
    pub everyone_when: Option<Condition>,
}

/// Who receives a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Who {
    /// A data-protection or sector regulator.
    Regulator,
    /// The affected people.
    Individuals,
    /// A state attorney general or consumer-protection office.
    AttorneyGeneral,
    /// Consumer reporting agencies.
    CreditReportingAgencies,
    /// Investors, through a securities filing.
    Investors,
    /// The controller itself (an assessment it must finish).
    Controller,
}

impl Who {
    /// Lowercase label for tables.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Regulator => "regulator",
            Self::Individuals => "individuals",
            Self::AttorneyGeneral => "attorney general",
            Self::CreditReportingAgencies => "credit reporting agencies",
            Self::Investors => "investors",
            Self::Controller => "controller",
        }
    }
}

/// One notice a regime requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    /// Id within the regime (`regulator`, `individuals`, `ag-copy`).
    pub id: String,
    /// Kind of recipient.
    pub who: Who,
    /// Who exactly (`PIPC or KISA`).
    pub name: String,
    /// The duty fires when any one of these holds. Empty: always.
    #[serde(default)]
    pub when: Vec<Condition>,
    /// False for rules passed but not in force, or still drafts: listed as
    /// considered, never as duties.
    #[serde(default = "yes")]
    pub in_force: bool,
    /// Date from which this notice applies, when later than the regime's.
    #[serde(default)]
    pub effective: Option<Date>,
    /// By when.
    pub deadline: Deadline,
    /// What the notice must contain.
    pub content: Vec<String>,
    /// Time zone, when it differs from the regime's.
    #[serde(default)]
    pub time_zone: Option<TzName>,
    /// A remark shown with the duty.
    #[serde(default)]
    pub note: Option<String>,
}

const fn yes() -> bool {
    true
}

/// The event that starts a deadline's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// The controller became aware of the breach.
    Awareness,
    /// The breach was discovered.
    Discovery,
    /// The controller determined that a breach occurred.
    Determination,
    /// The registrant determined the incident is material.
    MaterialityDetermination,
    /// The assessment of the breach was completed.
    Assessment,
    /// A breach was first suspected.
    Suspicion,
}

impl Clock {
    /// Words for tables and notices.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Awareness => "awareness",
            Self::Discovery => "discovery",
            Self::Determination => "determination of the breach",
            Self::MaterialityDetermination => "materiality determination",
            Self::Assessment => "completed assessment",
            Self::Suspicion => "suspicion of a breach",
        }
    }

    /// The facts field that records this event.
    #[must_use]
    pub const fn fact(self) -> &'static str {
        match self {
            Self::Awareness => "awareness_at",
            Self::Discovery => "discovered_at",
            Self::Determination => "determined_at",
            Self::MaterialityDetermination => "materiality_determined_at",
            Self::Assessment => "assessed_at",
            Self::Suspicion => "suspected_at",
        }
    }
}

/// A deadline: a fixed period after the clock starts, or none ("without
/// undue delay").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    /// What starts the clock.
    pub clock: Clock,
    /// Elapsed hours.
    #[serde(default)]
    pub hours: Option<u32>,
    /// Calendar days: the end of the Nth day after the clock's day, in the
    /// regulator's time zone.
    #[serde(default)]
    pub days: Option<u32>,
    /// Business days: the end of the Nth working day after the clock's day,
    /// skipping weekends and the calendar's public holidays.
    #[serde(default)]
    pub business_days: Option<u32>,
    /// The holiday calendar business days are counted in.
    #[serde(default)]
    pub calendar: Option<String>,
    /// For day counts: the local time at which the last day ends (the SEC's
    /// 17:30 filing cut-off). Default: midnight at the end of the day.
    #[serde(default)]
    pub cutoff: Option<Time>,
    /// The rule in words, as the law puts it.
    pub rule: String,
}

/// A fixed period, once checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Elapsed hours.
    Hours(u32),
    /// Calendar days.
    Days(u32),
    /// Business days.
    BusinessDays(u32),
}

impl Deadline {
    /// The fixed period, if the rule has one.
    #[must_use]
    pub fn period(&self) -> Option<Period> {
        match (self.hours, self.days, self.business_days) {
            (Some(h), _, _) => Some(Period::Hours(h)),
            (None, Some(d), _) => Some(Period::Days(d)),
            (None, None, Some(b)) => Some(Period::BusinessDays(b)),
            (None, None, None) => None,
        }
    }
}

/// An IANA time zone name, checked against the bundled database.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct TzName(String);

impl TzName {
    /// A checked name.
    ///
    /// # Errors
    /// The name is not in the time zone database.
    pub fn new(name: &str) -> Result<Self, String> {
        jiff::tz::TimeZone::get(name)
            .map(|_| Self(name.to_owned()))
            .map_err(|_| format!("unknown time zone `{name}`"))
    }

    /// The name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The zone. Names are checked when made, so this only fails if the
    /// database changed underneath.
    #[must_use]
    pub fn zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.0).unwrap_or(jiff::tz::TimeZone::UTC)
    }
}

impl<'de> Deserialize<'de> for TzName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Self::new(&name).map_err(serde::de::Error::custom)
    }
}

impl Regime {
    /// Parses a regime file; `file` names it in errors.
    ///
    /// # Errors
    /// A [`DataError`] with the line and column of the problem.
    pub fn parse(file: &str, text: &str) -> Result<Self, DataError> {
        let regime: Self = serde_norway::from_str(text)
            .map_err(|e| crate::error::yaml_error_in(file, text, &e))?;
        let locate =
            |needle: &str, message: String| crate::calendar::locate(file, text, needle, || message);
        let stem = std::path::Path::new(file)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if stem != regime.id {
            return Err(locate(
                "id:",
                format!("id `{}` differs from the file name `{stem}`", regime.id),
            ));
        }
        if regime.recipients.is_empty() {
            return Err(DataError::new(file, "no recipients"));
        }
        for (i, r) in regime.recipients.iter().enumerate() {
            if regime.recipients.iter().take(i).any(|o| o.id == r.id) {
                return Err(locate(
                    &format!("id: {}", r.id),
                    format!("recipient id `{}` is used twice", r.id),
                ));
            }
            let d = &r.deadline;
            let set = [
                d.hours.is_some(),
                d.days.is_some(),
                d.business_days.is_some(),
            ]
            .into_iter()
            .filter(|b| *b)
            .count();
            let here = format!("id: {}", r.id);
            if set > 1 {
                return Err(locate(
                    &here,
                    format!(
                        "recipient `{}`: give one of `hours`, `days`, `business_days`",
                        r.id
                    ),
                ));
            }
            if d.business_days.is_some() != d.calendar.is_some() {
                return Err(locate(
                    &here,
                    format!(
                        "recipient `{}`: `business_days` and `calendar` go together",
                        r.id
                    ),
                ));
            }
            if d.cutoff.is_some() && d.days.is_none() && d.business_days.is_none() {
                return Err(locate(
                    &here,
                    format!("recipient `{}`: `cutoff` needs a day count", r.id),
                ));
            }
        }
        Ok(regime)
    }
}
