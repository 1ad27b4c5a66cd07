//! steward's detection pipeline behind `steward hunt` and `steward watch`.
//!
//! Access logs (and the auth service's issuance log) are read through
//! steward-logs' mappings and merged in event time; each event goes to the
//! Sigma engine (steward-sigma) and the native detectors (steward-detect);
//! what they report becomes [`Alert`]s with deterministic ids, grouped into
//! [`Incident`]s by shared actors. [`Pipeline`] is the same for the batch
//! replay and the stream, and its whole state serialises for checkpoints.

pub mod alert;
pub mod book;
pub mod error;
pub mod incidents;
pub mod input;
pub mod output;
pub mod pack;
pub mod pipeline;
pub mod run;
pub mod setup;
pub mod watch;

pub use alert::{Alert, Origin, Status};
pub use book::{AlertChange, Change};
pub use error::HuntError;
pub use incidents::Incident;
pub use input::InputSpec;
pub use pipeline::{Pipeline, PipelineConfig, PipelineCounters, PipelineState};
pub use setup::{Built, Setup};
