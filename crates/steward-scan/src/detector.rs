//! What a detector is: a pattern that finds candidates, a validator that
//! accepts or rejects each one with a confidence, and the words (in the text
//! or in a column name) that make a match more likely to be what it seems.

use steward_model::masked::MaskStyle;

/// A validator's answer for one candidate it accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    /// Confidence from the value alone, before context, in `[0, 1]`.
    pub confidence: f32,
    /// Whose identifier this is, as an ISO 3166-1 alpha-2 code, when the
    /// value itself tells (a phone's country code, an IBAN's country).
    pub jurisdiction: Option<&'static str>,
}

impl Verdict {
    /// A verdict with a confidence and the detector's own jurisdiction.
    #[must_use]
    pub const fn new(confidence: f32) -> Self {
        Self {
            confidence,
            jurisdiction: None,
        }
    }

    /// The same verdict for a given jurisdiction.
    #[must_use]
    pub const fn of(self, country: &'static str) -> Self {
        Self {
            confidence: self.confidence,
            jurisdiction: Some(country),
        }
    }
}

/// Accepts a candidate (the text the pattern matched, or the `v` group when
/// the pattern has one) or rejects it with `None`.
pub type Validator = fn(&str) -> Option<Verdict>;

/// A stretch of the haystack where a detector's pattern may match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// First byte a match may start at.
    pub start: usize,
    /// Matches start before this.
    pub end: usize,
    /// Matches end by this; the engine widens the search when a match
    /// touches it.
    pub limit: usize,
}

/// Finds the next [`Region`] at or after `from` where a detector's pattern
/// could match, much faster than running the pattern over every byte (a
/// memchr for `@`, a run of digits and dots). Contract: every match of the
/// pattern that starts at or after `from` starts in `start..end` of a
/// region returned by successive calls (each from the previous region's
/// `end`), and ends by its `limit` or runs on from there.
pub type Candidates = fn(hay: &[u8], from: usize) -> Option<Region>;

/// A part of a detector's pattern that runs only where its finder points,
/// outside the engine's one-pass union. A detector's spans together find
/// what its pattern finds.
#[derive(Debug, Clone)]
pub struct Span {
    /// Alternatives of the detector's pattern; the whole pattern when
    /// `None`.
    pub pattern: Option<String>,
    /// Where the part may match.
    pub finder: Candidates,
    /// Matches start only at a region's `start`: the finder points at the
    /// exact starts (a literal every match begins with), so the search is
    /// anchored and needs no reverse pass to find where a match begins.
    pub anchored: bool,
}

/// One detector. Built-in detectors live one per file under
/// [`crate::detectors`]; users add their own in a config file.
#[derive(Debug, Clone)]
pub struct Detector {
    /// Stable id, such as `KR_RRN`. Used as the SARIF rule id.
    pub id: String,
    /// Short human name.
    pub name: String,
    /// fideslang data-category key of what it finds.
    pub category: String,
    /// Whose data this is, when the detector is country-specific.
    pub jurisdiction: Option<String>,
    /// Regular expression (Rust `regex` syntax) that finds candidates in
    /// text. When it has a group named `v`, only that group is the value
    /// and the rest of the match is context. `None` for detectors that only
    /// classify columns whose name says what they hold.
    pub pattern: Option<String>,
    /// Pattern for a whole cell of a column whose name hints at this
    /// detector; defaults to `pattern`.
    pub cell_pattern: Option<String>,
    /// Accepts or rejects a candidate.
    pub validate: Validator,
    /// Words that, near a match, raise confidence (lowercase; ASCII words
    /// match whole words, others as substrings).
    pub context: Vec<String>,
    /// Column or field names (lowercase, `_`/`-`/spaces removed) that say a
    /// column holds this kind of data; matched as substrings.
    pub columns: Vec<String>,
    /// Column names that rule this detector out even when a hint matches.
    pub not_columns: Vec<String>,
    /// A match in text without a context word is dropped.
    pub needs_context: bool,
    /// How excerpts are masked.
    pub mask: MaskStyle,
    /// What the detector is for, for generated reference docs.
    pub description: String,
    /// Confidence of an accepted value, replacing the validator's (set by
    /// user-defined detectors).
    pub base_confidence: Option<f32>,
    /// Fast finders of the regions where parts of `pattern` can match; the
    /// pattern then runs only there instead of in the engine's one-pass
    /// union. Empty: the pattern runs in the union.
    pub spans: Vec<Span>,
}

impl Detector {
    /// A detector with the fields every detector sets; the rest default to
    /// empty and can be set with the builder methods.
    #[must_use]
    pub fn new(id: &str, name: &str, category: &str, validate: Validator) -> Self {
        Self {
            id: id.to_owned(),
            name: name.to_owned(),
            category: category.to_owned(),
            jurisdiction: None,
            pattern: None,
            cell_pattern: None,
            validate,
            context: Vec::new(),
            columns: Vec::new(),
            not_columns: Vec::new(),
            needs_context: false,
            mask: MaskStyle::Generic,
            description: String::new(),
            base_confidence: None,
            spans: Vec::new(),
        }
    }

    /// Sets the jurisdiction.
    #[must_use]
    pub fn jurisdiction(mut self, country: &str) -> Self {
        self.jurisdiction = Some(country.to_owned());
        self
    }

    /// Sets the text pattern.
    #[must_use]
    pub fn pattern(mut self, pattern: &str) -> Self {
        self.pattern = Some(pattern.to_owned());
        self
    }

    /// Sets the whole-cell pattern for hinted columns.
    #[must_use]
    pub fn cell_pattern(mut self, pattern: &str) -> Self {
        self.cell_pattern = Some(pattern.to_owned());
        self
    }

    /// Sets the context words.
    #[must_use]
    pub fn context(mut self, words: &[&str]) -> Self {
        self.context = words.iter().map(|w| w.to_lowercase()).collect();
        self
    }

    /// Sets the column-name hints.
    #[must_use]
    pub fn columns(mut self, names: &[&str]) -> Self {
        self.columns = names.iter().map(|w| normalize_column(w)).collect();
        self
    }

    /// Sets column names that rule the detector out.
    #[must_use]
    pub fn not_columns(mut self, names: &[&str]) -> Self {
        self.not_columns = names.iter().map(|w| normalize_column(w)).collect();
        self
    }

    /// Requires a context word in text.
    #[must_use]
    pub const fn needs_context(mut self) -> Self {
        self.needs_context = true;
        self
    }

    /// Sets the mask style.
    #[must_use]
    pub const fn mask(mut self, style: MaskStyle) -> Self {
        self.mask = style;
        self
    }

    /// Sets the candidate finder: the pattern runs only in the regions it
    /// returns.
    #[must_use]
    pub fn candidates(mut self, finder: Candidates) -> Self {
        self.spans = vec![Span {
            pattern: None,
            finder,
            anchored: false,
        }];
        self
    }

    /// Splits the pattern into parts, each run only where its finder
    /// points; together the parts must be the pattern's alternatives.
    #[must_use]
    pub fn spans(mut self, spans: Vec<Span>) -> Self {
        self.spans = spans;
        self
    }

    /// Sets the description.
    #[must_use]
    pub fn describe(mut self, text: &str) -> Self {
        text.clone_into(&mut self.description);
        self
    }

    /// Whether a column name hints at this detector: a hint is a substring
    /// of the normalised name, and no exclusion is a run of whole words of
    /// it (so `ship_address` is an address although it contains
    /// `ipaddress`).
    #[must_use]
    pub fn hinted_by(&self, column: &str) -> bool {
        let name = normalize_column(column);
        if name.is_empty() || !self.columns.iter().any(|h| name.contains(h.as_str())) {
            return false;
        }
        let words = column_words(column);
        !self.not_columns.iter().any(|h| {
            (0..words.len()).any(|i| {
                (i + 1..=words.len()).any(|j| words.get(i..j).is_some_and(|w| w.concat() == *h))
            })
        })
    }
}

/// Lowercases a column name and drops `_`, `-`, `.`, spaces and `$[*]`, so
/// `Recipient_Phone` and `$.entries[*].phone` compare as plain words.
#[must_use]
pub fn normalize_column(name: &str) -> String {
    // Only the last path segment of a JSON path names the field.
    let last = name
        .rsplit(['.', '/'])
        .find(|s| !s.is_empty())
        .unwrap_or(name);
    last.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' ' | '$' | '[' | ']' | '*'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of the last segment of a column name, lowercased: split at
/// non-alphanumerics and lower-to-upper case changes.
fn column_words(name: &str) -> Vec<String> {
    let last = name
        .rsplit(['.', '/'])
        .find(|s| !s.is_empty())
        .unwrap_or(name);
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in last.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_normalise_to_their_last_segment() {
        assert_eq!(normalize_column("Recipient_Phone"), "recipientphone");
        assert_eq!(normalize_column("$.entries[*].phone"), "phone");
        assert_eq!(normalize_column("주민등록번호"), "주민등록번호");
    }

    #[test]
    fn hints_and_exclusions() {
        let d = Detector::new("X", "x", "user.name", |_| None)
            .columns(&["name"])
            .not_columns(&["filename", "username"]);
        assert!(d.hinted_by("recipient_name"));
        assert!(!d.hinted_by("file_name"));
        assert!(!d.hinted_by("user-name"));
        assert!(!d.hinted_by("phone"));
        assert!(!d.hinted_by("fileName"));
        let a = Detector::new("A", "a", "user.contact.address.street", |_| None)
            .columns(&["address"])
            .not_columns(&["ipaddress"]);
        assert!(a.hinted_by("ship_address"));
        assert!(!a.hinted_by("client_ip_address"));
        assert!(!a.hinted_by("ipAddress"));
    }
}
