//! Graphviz DOT: a cluster per country holding a cluster per system (its
//! datasets as nodes) and the vendors; an edge per flow, thick and
//! coloured when it crosses a border, dashed when it has no basis.

use std::io::{self, Write};

use crate::graph::{EdgeStyle, NodeIds, category_count, flow_label, system_place};
use crate::model::DataMap;

/// A DOT double-quoted string.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes the map as a Graphviz `digraph`.
///
/// # Errors
/// Writing fails.
pub fn write_dot(w: &mut dyn Write, map: &DataMap) -> io::Result<()> {
    let ids = NodeIds::of(map);
    writeln!(w, "digraph data_map {{")?;
    writeln!(w, "  rankdir=LR;")?;
    writeln!(w, "  compound=true;")?;
    writeln!(
        w,
        "  label={}; labelloc=t;",
        quoted(&format!("Data map: {}", map.controller.name))
    )?;
    writeln!(
        w,
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\"];"
    )?;
    writeln!(w, "  edge [fontname=\"Helvetica\", fontsize=10];")?;
    for c in &map.countries {
        writeln!(w, "  subgraph \"cluster_country_{}\" {{", c.code)?;
        writeln!(w, "    id={};", quoted(&format!("country-{}", c.code)))?;
        writeln!(
            w,
            "    label={};",
            quoted(&format!("{} ({})", c.name, c.code))
        )?;
        writeln!(
            w,
            "    style=filled; fillcolor=\"#eef2ff\"; color=\"#6366f1\";"
        )?;
        for s in &c.systems {
            let place = system_place(s);
            writeln!(w, "    subgraph \"cluster_{}\" {{", ids.get(&s.id))?;
            writeln!(
                w,
                "      label={};",
                quoted(&format!("{}\n{place}", s.name))
            )?;
            writeln!(
                w,
                "      style=filled; fillcolor=\"#f8fafc\"; color=\"#94a3b8\";"
            )?;
            for d in &s.datasets {
                writeln!(
                    w,
                    "      {} [label={}];",
                    ids.get(&d.id),
                    quoted(&format!("{}\n{}", d.id, category_count(&d.holdings)))
                )?;
            }
            writeln!(w, "    }}")?;
        }
        for v in &c.vendors {
            writeln!(
                w,
                "    {} [shape=component, fillcolor=\"#fef3c7\", label={}];",
                ids.get(&v.id),
                quoted(&format!("{}\nvendor", v.name))
            )?;
        }
        writeln!(w, "  }}")?;
    }
    for f in &map.flows {
        let style = EdgeStyle::of(f);
        let extra = match style {
            EdgeStyle::Domestic => String::new(),
            EdgeStyle::CrossBorder => ", penwidth=2.5".to_owned(),
            EdgeStyle::CrossBorderNoBasis => ", penwidth=2.5, style=dashed".to_owned(),
        };
        writeln!(
            w,
            "  {} -> {} [id={}, label={}, color=\"{}\", fontcolor=\"{}\"{extra}];",
            ids.get(&f.from),
            ids.get(&f.to),
            quoted(&format!("flow-{}", f.id)),
            quoted(&flow_label(f)),
            style.colour(),
            style.colour()
        )?;
    }
    writeln!(w, "}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(quoted("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }
}
