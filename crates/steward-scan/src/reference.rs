//! The detector reference (`docs/detectors.md`), generated from the
//! detectors themselves; a test fails when the checked-in file is stale.

use std::fmt::Write as _;

use crate::detectors::builtin;

/// Renders the reference as Markdown.
#[must_use]
pub fn detectors_markdown() -> String {
    let mut out = String::from(
        "# Detectors\n\nGenerated from `crates/steward-scan/src/detectors/` by \
         `STEWARD_UPDATE_DOCS=1 cargo test -p steward-scan reference`; do not edit by hand.\n\n\
         Confidence: a validated value starts at the detector's base; a context word within 64 bytes \
         before (or 32 after) on the same line, or a column name that hints at the detector, adds 0.3. \
         Matches below the minimum confidence (default 0.6) are dropped. Detectors marked *needs \
         context* report nothing without a context word or column hint.\n\n\
         | id | what | category | country | needs context |\n|---|---|---|---|---|\n",
    );
    for d in builtin() {
        let _ = writeln!(
            out,
            "| `{}` | {} | `{}` | {} | {} |",
            d.id,
            d.name,
            d.category,
            d.jurisdiction.as_deref().unwrap_or("—"),
            if d.needs_context { "yes" } else { "" }
        );
    }
    out.push('\n');
    for d in builtin() {
        let _ = write!(out, "## `{}`\n\n{}\n\n", d.id, d.description);
        if !d.context.is_empty() {
            let _ = writeln!(out, "- Context words: {}", d.context.join(", "));
        }
        if !d.columns.is_empty() {
            let _ = writeln!(out, "- Column hints: {}", d.columns.join(", "));
        }
        let _ = writeln!(out, "- Masked as: {:?}\n", d.mask);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn reference_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/detectors.md");
        let want = super::detectors_markdown();
        if std::env::var_os("STEWARD_UPDATE_DOCS").is_some() {
            std::fs::write(path, &want).unwrap_or_default();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "docs/detectors.md is stale: run STEWARD_UPDATE_DOCS=1 cargo test -p steward-scan reference"
        );
    }
}
