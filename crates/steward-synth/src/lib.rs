//! steward's synthetic platform: a deterministic e-commerce platform (members
//! mostly in Korea, some in Taiwan, Japan, the US and the EU) with its data
//! stores, manifest, HR roster, auth and gateway logs, a replay of the 2025
//! token-forgery breach and three other attacks, and the ground truth beside
//! it.
//!
//! Every person, address book and order is a pure function of the seed and an
//! id, and traffic is generated one simulated hour at a time, so memory stays
//! flat however large the platform is.
//!
//! ```no_run
//! use steward_synth::{generate, Config, NoProgress};
//!
//! let cfg = Config { customers: 1_000, days: 7, ..Config::default() };
//! let summary = generate(&cfg, std::path::Path::new("platform"), &NoProgress).unwrap();
//! assert!(summary.attacks["replay"].affected_customers > 0);
//! ```

pub mod clean;
pub mod config;
pub mod error;
pub mod generate;
pub mod idgen;
pub mod locale;
pub mod manifest_gen;
pub mod output;
pub mod people;
pub mod rng;
pub mod staff;
pub mod stores;
pub mod text;
pub mod traffic;
pub mod truth;
pub mod violations;

pub use config::{Config, GatewayFormat, Variant};
pub use error::{Result, SynthError};
pub use generate::{Summary, generate, paths};
pub use output::{NoProgress, Progress};
pub use traffic::Attack;
