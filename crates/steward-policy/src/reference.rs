//! The rule reference in `docs/check.md` (between the `rules:begin` and
//! `rules:end` markers), generated from the packs.

use std::fmt::Write as _;

use crate::decision::RuleInfo;

/// Renders the reference page for `rules`.
#[must_use]
pub fn markdown(rules: &[RuleInfo]) -> String {
    let mut rules: Vec<&RuleInfo> = rules.iter().collect();
    rules.sort_by(|a, b| (&a.pack, &a.id).cmp(&(&b.pack, &b.id)));
    let mut out = String::from(
        "<!-- Generated from policies/ by `cargo test -p steward-policy reference`; \
         STEWARD_UPDATE_DOCS=1 rewrites it. -->\n\n\
         | id | pack | severity | title |\n|---|---|---|---|\n",
    );
    for r in &rules {
        let _ = writeln!(
            out,
            "| [`{}`](#{}) | {} | {} | {} |",
            r.id,
            r.id.to_ascii_lowercase(),
            r.pack,
            r.severity.as_str(),
            r.title
        );
    }
    for r in &rules {
        let _ = write!(
            out,
            "\n### {}\n\n{}\n\n- Pack: `{}` (`{}`), severity {}\n- Citation: {} ({})\n- Fix: {}\n",
            r.id,
            r.title,
            r.pack,
            r.file,
            r.severity.as_str(),
            r.citation,
            r.source,
            r.fix
        );
    }
    out
}

/// Marks the start of the generated part of `docs/check.md`.
pub const BEGIN: &str = "<!-- rules:begin -->\n";
/// Marks its end.
pub const END: &str = "<!-- rules:end -->";

/// `page` with the text between [`BEGIN`] and [`END`] replaced by
/// `rules`; `None` when the markers are missing.
#[must_use]
pub fn splice(page: &str, rules: &str) -> Option<String> {
    let a = page.find(BEGIN)? + BEGIN.len();
    let b = page.get(a..)?.find(END)? + a;
    Some(format!("{}{rules}{}", page.get(..a)?, page.get(b..)?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn reference_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/check.md");
        let mut set = crate::PolicySet::builtin().unwrap();
        let rules = super::markdown(&set.rules().unwrap());
        let have = std::fs::read_to_string(path).unwrap();
        let want = super::splice(&have, &rules).expect("docs/check.md has no rules markers");
        if std::env::var_os("STEWARD_UPDATE_DOCS").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        assert!(
            have == want,
            "docs/check.md is stale: run STEWARD_UPDATE_DOCS=1 cargo test -p steward-policy reference"
        );
        for r in set.rules().unwrap() {
            assert!(want.contains(&r.id) && want.contains(&r.citation) && want.contains(&r.fix));
        }
    }
}
