//! The rule packs shipped in `policies/`, built into the binary so
//! `steward check` works from any folder.

macro_rules! pack {
    ($($path:literal),* $(,)?) => {
        /// The packs' files: path (relative to the repository) and text.
        pub const FILES: &[(&str, &str)] = &[
            $(($path, include_str!(concat!("../../../", $path)))),*
        ];
    };
}

pack![
    "policies/lib/common.rego",
    "policies/data/kr_rrn_placement.rego",
    "policies/data/undeclared_personal_data.rego",
    "policies/keys/departed_custodian.rego",
    "policies/keys/plaintext_key.rego",
    "policies/keys/rotation.rego",
    "policies/keys/secrets_in_stores.rego",
    "policies/retention/kr_access_log.rego",
    "policies/retention/vn_system_logs.rego",
    "policies/transfer/cn_38.rego",
    "policies/transfer/cn_40.rego",
    "policies/transfer/eu_chapter_v.rego",
    "policies/transfer/in_16.rego",
    "policies/transfer/kr_28_8.rego",
    "policies/transfer/ru_242.rego",
    "policies/transfer/vn_d53.rego",
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// Every `.rego` file under `policies/` is built in.
    #[test]
    fn every_pack_file_is_embedded() {
        fn walk(dir: &std::path::Path, root: &std::path::Path, out: &mut BTreeSet<String>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, root, out);
                } else if p.extension().is_some_and(|x| x == "rego") {
                    let rel = p
                        .strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/");
                    out.insert(rel);
                }
            }
        }
        let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
        let mut on_disk = BTreeSet::new();
        walk(&root.join("policies"), root, &mut on_disk);
        let embedded: BTreeSet<String> =
            super::FILES.iter().map(|(p, _)| (*p).to_owned()).collect();
        assert_eq!(on_disk, embedded);
    }
}
