//! Sigma rule evaluation over steward's normalised access events.
//!
//! - [`RuleSetBuilder`] / [`RuleSet::load`]: Sigma 2.1 detection, filter and
//!   correlation rules from YAML files and directories (multi-document). A
//!   bad rule is reported with its file, line and title ([`RuleError`]); the
//!   others load. Parsing and detection matching are rsigma-parser's and
//!   rsigma-eval's.
//! - [`AccessEventView`]: rsigma-eval's `Event` over a borrowed
//!   [`AccessEvent`](steward_model::event::AccessEvent), under the field names
//!   in [`Field`] (`principal.id`, `source.ip`, `subjects`, …); no JSON tree
//!   is built per event.
//! - [`SigmaEngine`]: detection matches per event (remembered per
//!   combination of the low-cardinality fields the rules read, see
//!   [`MemoStats`]), and steward's own
//!   correlation engine (`event_count`, `value_count`, `temporal`,
//!   `temporal_ordered`, `value_sum`, `value_avg`, `value_percentile`,
//!   `value_median`) over event time with an allowed lateness, sliding
//!   windows `[t − timespan, t]`, one match per episode (it ends after a
//!   timespan without the condition holding), and state bounded by
//!   [`Caps`] (exact below them, stated approximations above) that serialises
//!   as [`SigmaState`] for checkpoints.
//! - [`SigmaMatch`]: what a rule reports, independent of printing.
//!
//! ```
//! use std::sync::Arc;
//! use steward_model::event::AccessEvent;
//! use steward_sigma::{EngineConfig, RuleSet, RuleSetBuilder, SigmaEngine};
//!
//! let loaded = RuleSetBuilder::new()
//!     .yaml("retired.yml", "title: Retired signing key\nid: 2c1d7a4e-2f43-4a8e-9d56-1f0b9c7e3a10\n\
//!            logsource: {product: steward, category: access}\n\
//!            detection:\n  sel:\n    credential.key_id: [member-2017, legacy-2015]\n  condition: sel\n\
//!            level: critical\n")
//!     .build();
//! assert!(loaded.errors.is_empty());
//! let mut engine = SigmaEngine::new(Arc::new(loaded.rules), EngineConfig::default());
//! let mut event = AccessEvent { event_id: "r-9".into(), ..AccessEvent::default() };
//! event.credential.key_id = Some("member-2017".into());
//! let mut out = Vec::new();
//! engine.process(&event, &mut out);
//! assert_eq!(&*out[0].title, "Retired signing key");
//! assert_eq!(out[0].event_ids, ["r-9"]);
//! ```

mod engine;
mod error;
mod event;
mod fields;
mod info;
mod load;
mod matches;
mod memo;
mod native;
mod ruleset;
mod state;

pub use engine::{EngineConfig, SigmaEngine};
pub use error::{Location, RuleError, RuleErrorKind, StateError};
pub use event::AccessEventView;
pub use fields::Field;
pub use matches::{CorrelationDetail, SigmaMatch};
pub use memo::MemoStats;
pub use ruleset::{CorrelationKind, Level, Loaded, RuleInfo, RuleKind, RuleSet, RuleSetBuilder};
pub use state::{Caps, Counters, STATE_VERSION, SigmaState};
