//! The scan summary and its terminal rendering: totals, a category ×
//! input table with counts, and the inputs that could not be read.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;
use steward_scan::{SourceReport, SourceStatus};

/// Totals of a scan.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Inputs given (after expanding directories).
    pub inputs: u64,
    /// Inputs read this time.
    pub scanned: u64,
    /// Inputs skipped because they are unchanged since the last scan.
    pub unchanged: u64,
    /// Inputs that failed or were skipped (binary).
    pub failed: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Seconds spent.
    pub seconds: f64,
    /// Findings listed.
    pub findings: u64,
    /// Matches (cells and occurrences) per detector.
    pub matches: BTreeMap<String, u64>,
    /// Malformed records skipped.
    pub malformed: u64,
}

impl Summary {
    /// Totals over reports.
    #[must_use]
    pub fn of(sources: &[SourceReport], seconds: f64) -> Self {
        let mut s = Self {
            inputs: sources.len() as u64,
            seconds,
            ..Self::default()
        };
        for r in sources {
            match r.status {
                SourceStatus::Scanned => s.scanned += 1,
                SourceStatus::Unchanged => s.unchanged += 1,
                SourceStatus::Failed | SourceStatus::Skipped => s.failed += 1,
                SourceStatus::Ignored => {}
            }
            s.bytes += r.bytes;
            s.findings += r.findings.len() as u64;
            s.malformed += r.malformed;
            for (k, v) in &r.counts {
                *s.matches.entry(k.clone()).or_default() += v;
            }
        }
        s
    }
}

fn human_bytes(n: u64) -> String {
    let n = n as f64;
    if n >= 1e9 {
        format!("{:.2} GB", n / 1e9)
    } else if n >= 1e6 {
        format!("{:.1} MB", n / 1e6)
    } else if n >= 1e3 {
        format!("{:.1} kB", n / 1e3)
    } else {
        format!("{n} B")
    }
}

/// Renders the summary for a terminal.
///
/// # Errors
/// I/O errors.
pub fn write_terminal(
    w: &mut dyn Write,
    summary: &Summary,
    sources: &[SourceReport],
) -> std::io::Result<()> {
    let rate = if summary.seconds > 0.0 {
        format!(
            " ({}/s)",
            human_bytes((summary.bytes as f64 / summary.seconds) as u64)
        )
    } else {
        String::new()
    };
    writeln!(
        w,
        "scanned {} of {} inputs, {} in {:.2} s{rate}; {} unchanged, {} not readable",
        summary.scanned,
        summary.inputs,
        human_bytes(summary.bytes),
        summary.seconds,
        summary.unchanged,
        summary.failed
    )?;
    // Category × input table.
    let mut rows: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    for r in sources {
        for f in &r.findings {
            let e = rows
                .entry((r.path.clone(), f.category.as_str().to_owned()))
                .or_default();
            match &f.column {
                Some(c) => e.1 += c.values,
                None => e.0 += 1,
            }
        }
    }
    if rows.is_empty() {
        writeln!(w, "no personal data or secrets found")?;
    } else {
        let width = rows
            .keys()
            .map(|(p, _)| p.chars().count())
            .max()
            .unwrap_or(5)
            .clamp(5, 60);
        let cwidth = rows.keys().map(|(_, c)| c.len()).max().unwrap_or(8).max(8);
        writeln!(w)?;
        writeln!(
            w,
            "{:<width$}  {:<cwidth$}  {:>9}  {:>12}",
            "input", "category", "in text", "in columns"
        )?;
        let mut last = String::new();
        for ((path, cat), (text, cols)) in &rows {
            let shown = if *path == last {
                String::new()
            } else {
                shorten(path, width)
            };
            last.clone_from(path);
            writeln!(
                w,
                "{shown:<width$}  {cat:<cwidth$}  {:>9}  {:>12}",
                num(*text),
                num(*cols)
            )?;
        }
    }
    if !summary.matches.is_empty() {
        writeln!(w)?;
        let total: u64 = summary.matches.values().sum();
        let list: Vec<String> = summary
            .matches
            .iter()
            .map(|(k, v)| format!("{k} {}", num(*v)))
            .collect();
        writeln!(w, "{} matches: {}", num(total), list.join(", "))?;
    }
    for r in sources {
        if let Some(e) = &r.error {
            writeln!(w, "warning: {}: {e}", r.path)?;
        }
        if r.malformed > 0 {
            let first = r.problems.first().map(String::as_str).unwrap_or_default();
            writeln!(
                w,
                "warning: {}: {} malformed record(s) skipped (first: {first})",
                r.path,
                num(r.malformed)
            )?;
        }
        if r.unlisted > 0 {
            writeln!(
                w,
                "note: {}: {} more matches counted but not listed",
                r.path,
                num(r.unlisted)
            )?;
        }
    }
    Ok(())
}

fn shorten(p: &str, width: usize) -> String {
    let n = p.chars().count();
    if n <= width {
        return p.to_owned();
    }
    let tail: String = p.chars().skip(n - (width - 1)).collect();
    format!("…{tail}")
}

/// `1234567` as `1,234,567`.
#[must_use]
pub fn num(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_thousands() {
        assert_eq!(num(0), "0");
        assert_eq!(num(1234567), "1,234,567");
        assert_eq!(human_bytes(1_500_000), "1.5 MB");
        assert_eq!(shorten("abcdefghij", 5), "…ghij");
    }
}
