//! steward-sigma's integration tests: one binary, a small harness.
//!
//! - `modifiers`: detection semantics per modifier and condition operator;
//! - `correlations`: each correlation type, window edges, missing group-by
//!   fields, event time with out-of-order arrival;
//! - `loading`: error locations for bad YAML and bad rules;
//! - `state`: checkpoint and restore;
//! - `pack`: the shipped rules against their fixtures (snapshots);
//! - `platform`: the pack against the synthetic platform's attacks;
//! - `memo`: the detection memo changes no result.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod correlations;
mod gateway;
mod harness;
mod loading;
mod memo;
mod modifiers;
mod pack;
mod platform;
mod state;
mod synth;
