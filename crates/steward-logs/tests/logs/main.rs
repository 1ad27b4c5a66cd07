//! steward-logs integration tests: one binary, a small harness, one module
//! per concern. Fixtures are in `tests/fixtures/`, snapshots in
//! `tests/logs/snapshots/` (review with `cargo insta review`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod harness;

mod compression;
mod errors;
mod follow;
mod mapping_errors;
mod mappings;
mod merge;
mod parquet;
mod tabular;
