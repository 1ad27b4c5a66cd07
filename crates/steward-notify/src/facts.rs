//! What is known about the incident: when each clock-starting event
//! happened, its cause, and facts about the company. Loaded from a YAML or
//! JSON facts file and completed from command-line flags.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::DataError;
use crate::regime::{Clock, TzName};

/// The cause of the breach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// Someone outside got in without authority (hacking, forged tokens,
    /// stolen credentials).
    UnauthorisedExternalAccess,
    /// Staff or a contractor misused access they had.
    Insider,
    /// A device, file or document was lost or stolen.
    Loss,
    /// Personal data was sent or published by mistake.
    AccidentalDisclosure,
    /// Anything else.
    Other,
}

impl Cause {
    /// Words for reasons.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::UnauthorisedExternalAccess => "unauthorised external access",
            Self::Insider => "insider misuse",
            Self::Loss => "loss or theft",
            Self::AccidentalDisclosure => "accidental disclosure",
            Self::Other => "other",
        }
    }
}

/// The assessed risk to the people affected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Harm {
    /// Unlikely to result in any risk or harm.
    Unlikely,
    /// A risk of harm (identity theft, fraud, distress).
    Possible,
    /// High risk, significant or serious harm likely.
    LikelySerious,
}

impl Harm {
    /// Words for reasons.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Unlikely => "unlikely",
            Self::Possible => "possible",
            Self::LikelySerious => "likely serious",
        }
    }
}

/// Text in the two languages notice drafts are written in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localised {
    /// English.
    #[serde(default)]
    pub en: Option<String>,
    /// Korean.
    #[serde(default)]
    pub ko: Option<String>,
}

/// What notice drafts say beyond the counts: who the controller is, what
/// happened, what was done, whom to call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeFacts {
    /// The controller's name.
    #[serde(default)]
    pub controller: Localised,
    /// What happened, in plain words.
    #[serde(default)]
    pub what_happened: Localised,
    /// Measures taken.
    #[serde(default)]
    pub measures: Vec<Localised>,
    /// Steps people can take.
    #[serde(default)]
    pub steps: Vec<Localised>,
    /// Help desk: phone, e-mail, web page (the controller's, not personal
    /// data).
    #[serde(default)]
    pub contact: Localised,
}

/// The facts of one incident.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentFacts {
    /// The controller became aware of the breach.
    #[serde(default)]
    pub awareness_at: Option<Timestamp>,
    /// The breach was discovered.
    #[serde(default)]
    pub discovered_at: Option<Timestamp>,
    /// It was determined that a breach occurred.
    #[serde(default)]
    pub determined_at: Option<Timestamp>,
    /// The registrant determined the incident is material.
    #[serde(default)]
    pub materiality_determined_at: Option<Timestamp>,
    /// The assessment was completed.
    #[serde(default)]
    pub assessed_at: Option<Timestamp>,
    /// A breach was first suspected.
    #[serde(default)]
    pub suspected_at: Option<Timestamp>,
    /// The time deadlines are judged against (missed or not).
    #[serde(default)]
    pub now: Option<Timestamp>,
    /// The cause.
    #[serde(default)]
    pub cause: Option<Cause>,
    /// The assessed harm.
    #[serde(default)]
    pub harm: Option<Harm>,
    /// Whether the company files with the SEC.
    #[serde(default)]
    pub sec_registrant: Option<bool>,
    /// Whether the incident was determined material. Implied by
    /// `materiality_determined_at` unless set to false.
    #[serde(default)]
    pub material: Option<bool>,
    /// Whether the data was encrypted with the key kept safe.
    #[serde(default)]
    pub encrypted: Option<bool>,
    /// Whether the company operates critical information infrastructure.
    #[serde(default)]
    pub critical_infrastructure: Option<bool>,
    /// Countries the controller is established in (ISO 3166-1).
    #[serde(default)]
    pub established_in: Vec<String>,
    /// Markets the company is listed on (`NYSE`).
    #[serde(default)]
    pub listed_on: Vec<String>,
    /// Notices already given: `regime/recipient` → when.
    #[serde(default)]
    pub reported: BTreeMap<String, Timestamp>,
    /// Time zone overrides per regime (the lead supervisory authority's zone
    /// under the GDPR, for instance).
    #[serde(default)]
    pub zones: BTreeMap<String, TzName>,
    /// What notice drafts say.
    #[serde(default)]
    pub notice: NoticeFacts,
}

impl IncidentFacts {
    /// Parses a facts file: JSON when it starts with `{`, YAML otherwise.
    ///
    /// # Errors
    /// A [`DataError`] with the line and column of the problem.
    pub fn parse(file: &str, text: &str) -> Result<Self, DataError> {
        if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| crate::error::json_error(file, &e))
        } else {
            serde_norway::from_str(text).map_err(|e| crate::error::yaml_error_in(file, text, &e))
        }
    }

    /// When the event that starts `clock` happened, if known.
    #[must_use]
    pub const fn clock(&self, clock: Clock) -> Option<Timestamp> {
        match clock {
            Clock::Awareness => self.awareness_at,
            Clock::Discovery => self.discovered_at,
            Clock::Determination => self.determined_at,
            Clock::MaterialityDetermination => self.materiality_determined_at,
            Clock::Assessment => self.assessed_at,
            Clock::Suspicion => self.suspected_at,
        }
    }

    /// Whether the incident is material: as stated, else true once a
    /// materiality determination is recorded.
    #[must_use]
    pub fn is_material(&self) -> Option<bool> {
        self.material
            .or_else(|| self.materiality_determined_at.map(|_| true))
    }

    /// The earliest known moment of the incident's handling, used to decide
    /// which rules were in force: the first of the clock events, else now.
    #[must_use]
    pub fn reference_time(&self) -> Option<Timestamp> {
        [
            self.suspected_at,
            self.awareness_at,
            self.discovered_at,
            self.determined_at,
        ]
        .into_iter()
        .flatten()
        .min()
        .or(self.now)
    }
}
