//! Tests of the behaviour detectors: `breadth`, `enumeration`,
//! `export-volume`, their checkpoints, fixture snapshots and a run over the
//! synthetic platform.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stderr
)]

mod breadth;
mod enumeration;
mod export;
mod harness;
mod login_spread;
mod snapshots;
mod synth;
mod windows;
