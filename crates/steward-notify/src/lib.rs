//! Breach-notification duties for `steward notify`.
//!
//! Each regime (Korea's PIPA and Network Act, the GDPR, the SEC's Item 1.05,
//! US state laws, Japan, Taiwan, Singapore, China, India, Australia) is a
//! YAML file in `regimes/`, embedded at build time: who must be told, when a
//! duty fires (people counts, data categories, facts about the incident),
//! the deadline and the event that starts its clock, the time zone, and the
//! notice's required content. Business-day rules count in the public-holiday
//! calendars of `regimes/calendars/`.
//!
//! [`evaluate`] takes the regimes, an [`ImpactSummary`] and the
//! [`IncidentFacts`] and returns every duty that applies, with its deadline
//! as an exact time in the regulator's zone and its status (due, missed, no
//! fixed deadline, clock not started), plus what was considered and why it
//! does not apply. The writers in [`mod@write`] render JSON, Markdown, the
//! per-regime lists of people to notify (masked) and notice drafts.
//!
//! ```
//! use steward_notify::{IncidentFacts, Library, evaluate};
//! use steward_model::impact::{ImpactSummary, JurisdictionImpact};
//!
//! let library = Library::builtin()?;
//! let mut summary: ImpactSummary = serde_json::from_str(
//!     r#"{"selector":"demo","first_access":null,"last_access":null,"events":1,
//!        "reads":1,"people":1000,"customers":1000,"third_parties":0,"by_country":{}}"#,
//! )?;
//! summary.by_country.insert("KR".into(), JurisdictionImpact { people: 1000, customers: 1000, ..Default::default() });
//! let facts = IncidentFacts::parse("facts.yaml", "awareness_at: 2025-11-17T16:00:00+09:00\ncause: insider\n")?;
//! let found = evaluate(&library, &summary, &facts);
//! let pipc = found.duties.iter().find(|d| d.key() == "kr-pipa/regulator").ok_or("no duty")?;
//! assert_eq!(pipc.deadline.as_ref().map(ToString::to_string).as_deref(),
//!            Some("2025-11-20T16:00:00+09:00[Asia/Seoul]"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`ImpactSummary`]: steward_model::impact::ImpactSummary

pub mod calendar;
pub mod condition;
pub mod duty;
pub mod engine;
pub mod error;
pub mod facts;
pub mod library;
pub mod people;
pub mod regime;
pub mod write;

pub use duty::{Duty, Evaluation, NotTriggered, Status};
pub use engine::evaluate;
pub use error::{DataError, NotifyError};
pub use facts::{Cause, Harm, IncidentFacts};
pub use library::Library;
pub use regime::{Clock, Regime, Who};
