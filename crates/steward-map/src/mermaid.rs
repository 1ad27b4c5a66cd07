//! Mermaid flowchart: a subgraph per country holding a subgraph per system
//! (its datasets as nodes) and the vendors; an edge per flow, thick and
//! coloured when it crosses a border, labelled `NO BASIS` when it has none.

use std::io::{self, Write};

use crate::graph::{EdgeStyle, NodeIds, category_count, flow_label, system_place};
use crate::model::DataMap;

/// Text inside a quoted Mermaid label: quotes and angle brackets as entity
/// codes, line breaks as spaces.
fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Writes the map as a Mermaid `flowchart LR`.
///
/// # Errors
/// Writing fails.
pub fn write_mermaid(w: &mut dyn Write, map: &DataMap) -> io::Result<()> {
    let ids = NodeIds::of(map);
    writeln!(w, "flowchart LR")?;
    for c in &map.countries {
        writeln!(
            w,
            "  subgraph country_{}[\"{} ({})\"]",
            c.code,
            label(&c.name),
            c.code
        )?;
        for s in &c.systems {
            let place = system_place(s);
            writeln!(
                w,
                "    subgraph {}[\"{} · {}\"]",
                ids.get(&s.id),
                label(&s.name),
                label(&place)
            )?;
            for d in &s.datasets {
                writeln!(
                    w,
                    "      {}[\"{}<br/>{}\"]",
                    ids.get(&d.id),
                    label(&d.id),
                    category_count(&d.holdings)
                )?;
            }
            writeln!(w, "    end")?;
        }
        for v in &c.vendors {
            writeln!(
                w,
                "    {}[/\"{} (vendor)\"/]",
                ids.get(&v.id),
                label(&v.name)
            )?;
        }
        writeln!(w, "  end")?;
    }
    let mut styles = Vec::new();
    for (n, f) in map.flows.iter().enumerate() {
        let style = EdgeStyle::of(f);
        let arrow = if f.cross_border { "==>" } else { "-->" };
        writeln!(
            w,
            "  {} {arrow}|\"{}\"| {}",
            ids.get(&f.from),
            label(&flow_label(f)),
            ids.get(&f.to)
        )?;
        if style != EdgeStyle::Domestic {
            let dash = if style == EdgeStyle::CrossBorderNoBasis {
                ",stroke-dasharray:6 4"
            } else {
                ""
            };
            styles.push(format!(
                "  linkStyle {n} stroke:{},stroke-width:3px{dash}",
                style.colour()
            ));
        }
    }
    for s in styles {
        writeln!(w, "{s}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_cannot_break_out_of_quotes() {
        assert_eq!(label("a \"b\" <c>#\nd"), "a #quot;b#quot; #lt;c#gt;#35; d");
    }
}
