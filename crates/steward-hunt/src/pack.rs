//! The Sigma rule pack shipped in `rules/access/`, built into the binary so
//! `steward hunt` works from any folder.

use steward_sigma::{Loaded, RuleSetBuilder};

/// The pack's files: name and text.
pub const FILES: [(&str, &str); 9] = [
    (
        "rules/access/address-book-volume.yml",
        include_str!("../../../rules/access/address-book-volume.yml"),
    ),
    (
        "rules/access/credential-stuffing.yml",
        include_str!("../../../rules/access/credential-stuffing.yml"),
    ),
    (
        "rules/access/customer-reads-other-member.yml",
        include_str!("../../../rules/access/customer-reads-other-member.yml"),
    ),
    (
        "rules/access/foreign-member-reads.yml",
        include_str!("../../../rules/access/foreign-member-reads.yml"),
    ),
    (
        "rules/access/partner-key-abuse.yml",
        include_str!("../../../rules/access/partner-key-abuse.yml"),
    ),
    (
        "rules/access/retired-signing-key.yml",
        include_str!("../../../rules/access/retired-signing-key.yml"),
    ),
    (
        "rules/access/subjects-per-principal.yml",
        include_str!("../../../rules/access/subjects-per-principal.yml"),
    ),
    (
        "rules/access/subjects-per-source-ip.yml",
        include_str!("../../../rules/access/subjects-per-source-ip.yml"),
    ),
    (
        "rules/access/support-console-off-hours.yml",
        include_str!("../../../rules/access/support-console-off-hours.yml"),
    ),
];

/// A builder holding the built-in pack, to which user rule paths can be
/// added.
#[must_use]
pub fn builder() -> RuleSetBuilder {
    FILES
        .iter()
        .fold(RuleSetBuilder::new(), |b, (name, text)| b.yaml(name, text))
}

/// The built-in pack alone.
#[must_use]
pub fn load() -> Loaded {
    builder().build()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_pack_loads_without_errors_and_matches_the_folder() {
        let loaded = super::load();
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/access"))
            .unwrap()
            .count();
        assert_eq!(on_disk, super::FILES.len(), "a rule file is not built in");
    }
}
