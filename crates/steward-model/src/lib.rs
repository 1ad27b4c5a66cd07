//! steward's shared vocabulary. No I/O: the types every stage agrees on.
//!
//! - [`alert`]: alert severity.
//! - [`calling_codes`]: telephone country calling codes.
//! - [`category`]: data categories (fideslang, CC BY 4.0, plus steward's
//!   country-specific extensions).
//! - [`jurisdiction`]: ISO 3166-1 countries and the ISO 3166-2 subdivisions
//!   whose laws differ.
//! - [`region`]: cloud regions to countries, with the source of each row.
//! - [`event`]: the normalised access event.
//! - [`finding`]: findings with locations and masked excerpts.
//! - [`masked`]: the [`masked::Sensitive`] wrapper and keyed fingerprints.
//! - [`checks`]: identifier check digits and ranges.
//! - [`manifest`]: the platform manifest.
//! - [`impact`]: who was affected, which data, where and when.
//! - [`progress`]: how long stages report progress to a front end.
//!
//! ```
//! use steward_model::{masked::{Sensitive, MaskStyle}, region::{lookup, CloudProvider}};
//!
//! let seoul = lookup(CloudProvider::Aws, "ap-northeast-2").unwrap();
//! assert_eq!(seoul.country.code(), "KR");
//! let phone = Sensitive::new("010-1234-5678", MaskStyle::Generic);
//! assert_eq!(phone.to_string(), "***-****-**78");
//! ```

pub mod alert;
pub mod bytes;
pub mod calling_codes;
pub mod category;
pub mod checks;
pub mod error;
pub mod event;
pub mod finding;
pub mod impact;
pub mod jurisdiction;
pub mod located;
pub mod manifest;
pub mod masked;
pub mod net;
pub mod progress;
pub mod region;
pub mod time;

pub use error::ModelError;
pub use located::LocatedError;
