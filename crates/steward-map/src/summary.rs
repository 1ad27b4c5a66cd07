//! The terminal summary: per country, its categories and whose they are;
//! then the cross-border flows; then personal data found outside the
//! manifest.

use std::io::{self, Write};

use crate::model::{DataMap, Holding};

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn holdings_table(w: &mut dyn Write, holdings: &[Holding], indent: &str) -> io::Result<()> {
    let width = holdings
        .iter()
        .map(|h| h.category.len())
        .max()
        .unwrap_or(0)
        .max("category".len());
    writeln!(
        w,
        "{indent}{:<width$}  {:<9}  subjects (values)",
        "category", "evidence"
    )?;
    for h in holdings {
        writeln!(
            w,
            "{indent}{:<width$}  {:<9}  {}",
            h.category,
            h.evidence.as_str(),
            h.people()
        )?;
    }
    Ok(())
}

/// Writes the summary.
///
/// # Errors
/// Writing fails.
pub fn write_summary(w: &mut dyn Write, map: &DataMap) -> io::Result<()> {
    writeln!(
        w,
        "Data map of {} (established in {}) from {}, {}",
        map.controller.name,
        map.controller.established_in,
        map.manifest,
        if map.inventory {
            "with the scan inventory"
        } else {
            "declared categories only (no scan inventory)"
        }
    )?;
    for c in &map.countries {
        let datasets: usize = c.systems.iter().map(|s| s.datasets.len()).sum();
        writeln!(w)?;
        let parts: Vec<String> = [
            (c.systems.len(), "system", "systems"),
            (datasets, "dataset", "datasets"),
            (c.vendors.len(), "vendor", "vendors"),
        ]
        .into_iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many)| plural(n, one, many))
        .collect();
        writeln!(w, "{} {}: {}", c.code, c.name, parts.join(", "))?;
        if !c.holdings.is_empty() {
            holdings_table(w, &c.holdings, "  ")?;
        }
        for v in &c.vendors {
            writeln!(w, "  vendor {} receives {}", v.id, v.receives.join(", "))?;
        }
    }
    let cross: Vec<_> = map.cross_border().collect();
    writeln!(w)?;
    writeln!(
        w,
        "Cross-border flows: {} of {}",
        cross.len(),
        plural(map.flows.len(), "flow", "flows")
    )?;
    for f in &cross {
        let basis = match &f.basis {
            Some(b) => format!(
                "basis {}{}",
                b.kind,
                b.reference
                    .as_ref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default()
            ),
            None => "NO BASIS RECORDED".to_owned(),
        };
        writeln!(
            w,
            "  {} -> {}  {}: {} -> {} ({}), {}; {}; subjects {}; {basis}",
            f.from_country,
            f.to_country,
            f.id,
            f.from,
            f.to,
            f.to_kind,
            f.kind,
            f.categories.join(", "),
            if f.subjects.is_empty() {
                "unknown".to_owned()
            } else {
                f.subjects.join(", ")
            },
        )?;
    }
    if !map.unplaced.is_empty() {
        writeln!(w)?;
        writeln!(
            w,
            "Not in the manifest: {} scanned {} personal data outside every dataset",
            map.unplaced.len(),
            if map.unplaced.len() == 1 {
                "input holds"
            } else {
                "inputs hold"
            }
        )?;
        for u in &map.unplaced {
            let cats: Vec<&str> = u.holdings.iter().map(|h| h.category.as_str()).collect();
            writeln!(w, "  {}: {}", u.input, cats.join(", "))?;
        }
    }
    Ok(())
}
