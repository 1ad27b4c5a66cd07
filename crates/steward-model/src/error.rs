//! Errors of the vocabulary crate.

use crate::region::CloudProvider;

/// Something in the input is not part of steward's vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// A data-category key not in the taxonomy.
    #[error("unknown data category `{key}`{}", hint.as_ref().map(|h| format!(" (closest known: `{h}`)")).unwrap_or_default())]
    UnknownCategory {
        /// The key given.
        key: String,
        /// The closest known key.
        hint: Option<String>,
    },
    /// A country code not assigned in ISO 3166-1.
    #[error("unknown country code `{code}` (expected an ISO 3166-1 alpha-2 or alpha-3 code)")]
    UnknownCountry {
        /// The code given.
        code: String,
    },
    /// A subdivision code steward has no table entry for.
    #[error("unknown subdivision `{code}` (expected an ISO 3166-2 code such as `US-CA`)")]
    UnknownSubdivision {
        /// The code given.
        code: String,
    },
    /// A cloud provider steward has no region table for.
    #[error(
        "unknown cloud provider `{provider}` (expected one of aws, gcp, azure, ncloud, ktcloud, nhncloud)"
    )]
    UnknownProvider {
        /// The provider given.
        provider: String,
    },
    /// A region not in the provider's table.
    #[error(
        "unknown {provider} region `{region}` (closest known: {hint}); add it to the manifest's `region_overrides` if it is new"
    )]
    UnknownRegion {
        /// The provider.
        provider: CloudProvider,
        /// The region given.
        region: String,
        /// Close known regions.
        hint: String,
    },
}
