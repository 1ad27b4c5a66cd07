//! A self-contained SVG of the map, laid out here (no Graphviz): a column
//! per country (`<g id="country-KR">`) holding its systems with their
//! datasets and its vendors, and a curve per flow (`<g id="flow-…">`), red
//! and dashed across a border without a basis, amber across a border with
//! one, grey within a country. Hovering a box shows its categories.

mod layout;

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::graph::{EdgeStyle, category_count, flow_label, system_place};
use crate::model::{DataMap, Holding};
use layout::{CHAR_W, FONT, LEGEND_H, MARGIN, Placed, Rect, layout};

/// Text for XML content and attribute values.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// An XML id (`NCName`) from a manifest id: other characters become `_`.
pub(crate) fn xml_id(prefix: &str, id: &str) -> String {
    let mut out = String::from(prefix);
    for ch in id.chars() {
        out.push(
            if ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.') {
                ch
            } else {
                '_'
            },
        );
    }
    out
}

fn f(v: f64) -> String {
    format!("{v:.1}")
}

fn holdings_tooltip(holdings: &[Holding]) -> String {
    holdings
        .iter()
        .map(|h| format!("{}: {} ({})", h.category, h.people(), h.evidence.as_str()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn text(out: &mut String, x: f64, y: f64, size: f64, class: &str, content: &str) {
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="{size}" class="{class}">{}</text>"#,
        f(x),
        f(y),
        xml(content)
    );
}

fn rect(out: &mut String, r: &Rect, class: &str) {
    let _ = writeln!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="6" class="{class}"/>"#,
        f(r.x),
        f(r.y),
        f(r.w),
        f(r.h)
    );
}

const STYLE: &str = r#"<style>
text { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; fill: #111827; }
.country { fill: #eef2ff; stroke: #6366f1; stroke-width: 1.5; }
.system { fill: #ffffff; stroke: #94a3b8; }
.dataset { fill: #f1f5f9; stroke: #cbd5e1; }
.dataset.personal { fill: #fee2e2; stroke: #fca5a5; }
.vendor { fill: #fef3c7; stroke: #d97706; }
.muted { fill: #6b7280; }
.label-bg { fill: #ffffff; opacity: 0.85; }
</style>"#;

/// Writes the map as SVG.
///
/// # Errors
/// Writing fails.
pub fn write_svg(w: &mut dyn Write, map: &DataMap) -> io::Result<()> {
    w.write_all(render(map).as_bytes())
}

/// The SVG document as a string.
#[must_use]
pub fn render(map: &DataMap) -> String {
    let l = layout(map);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img">"#,
        w = f(l.width),
        h = f(l.height)
    );
    let _ = writeln!(
        out,
        "<title>{}</title>",
        xml(&format!("Data map: {}", map.controller.name))
    );
    out.push_str(STYLE);
    out.push('\n');
    let markers = [
        EdgeStyle::Domestic,
        EdgeStyle::CrossBorder,
        EdgeStyle::CrossBorderNoBasis,
    ];
    out.push_str("<defs>\n");
    for (i, m) in markers.iter().enumerate() {
        let _ = writeln!(
            out,
            r#"<marker id="arrow{i}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{}"/></marker>"#,
            m.colour()
        );
    }
    out.push_str("</defs>\n");
    let _ = writeln!(
        out,
        r##"<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>"##,
        f(l.width),
        f(l.height)
    );
    text(
        &mut out,
        MARGIN,
        MARGIN + 18.0,
        18.0,
        "title",
        &format!(
            "Data map: {} (established in {})",
            map.controller.name, map.controller.established_in
        ),
    );
    for (c, r) in map.countries.iter().zip(&l.countries) {
        countries(&mut out, c, r, &l);
    }
    for (n, flow) in map.flows.iter().enumerate() {
        edge(&mut out, flow, n, &l);
    }
    legend(&mut out, l.height - MARGIN - LEGEND_H + 10.0);
    out.push_str("</svg>\n");
    out
}

fn countries(out: &mut String, c: &crate::model::CountryNode, r: &Rect, l: &layout::Layout) {
    let _ = writeln!(
        out,
        r#"<g id="{}" class="country-node">"#,
        xml_id("country-", &c.code)
    );
    let _ = writeln!(
        out,
        "<title>{}</title>",
        xml(&holdings_tooltip(&c.holdings))
    );
    rect(out, r, "country");
    text(
        out,
        r.x + 12.0,
        r.y + 22.0,
        15.0,
        "country-label",
        &format!("{} {}", c.code, c.name),
    );
    for s in &c.systems {
        let Some(Placed { rect: sr, .. }) = l.boxes.get(&s.id) else {
            continue;
        };
        let _ = writeln!(out, r#"<g id="{}">"#, xml_id("system-", &s.id));
        rect(out, sr, "system");
        text(out, sr.x + 8.0, sr.y + 15.0, FONT, "system-label", &s.name);
        let place = system_place(s);
        text(out, sr.x + 8.0, sr.y + 30.0, 10.0, "muted", &place);
        for d in &s.datasets {
            let Some(Placed { rect: dr, .. }) = l.boxes.get(&d.id) else {
                continue;
            };
            let class = if d.personal_data || !d.holdings.is_empty() {
                "dataset personal"
            } else {
                "dataset"
            };
            let _ = writeln!(out, r#"<g id="{}">"#, xml_id("dataset-", &d.id));
            let _ = writeln!(
                out,
                "<title>{}</title>",
                xml(&holdings_tooltip(&d.holdings))
            );
            rect(out, dr, class);
            text(out, dr.x + 6.0, dr.y + 13.0, 11.0, "dataset-label", &d.id);
            let count = category_count(&d.holdings);
            let cw = CHAR_W * 11.0 / FONT;
            let width = f64::from(u32::try_from(count.len()).unwrap_or(0)) * cw;
            text(
                out,
                dr.right() - 6.0 - width,
                dr.y + 13.0,
                11.0,
                "muted",
                &count,
            );
            out.push_str("</g>\n");
        }
        out.push_str("</g>\n");
    }
    for v in &c.vendors {
        let Some(Placed { rect: vr, .. }) = l.boxes.get(&v.id) else {
            continue;
        };
        let _ = writeln!(out, r#"<g id="{}">"#, xml_id("vendor-", &v.id));
        let _ = writeln!(
            out,
            "<title>{}</title>",
            xml(&format!("receives {}", v.receives.join(", ")))
        );
        rect(out, vr, "vendor");
        text(out, vr.x + 8.0, vr.y + 16.0, FONT, "vendor-label", &v.name);
        let certs = if v.certifications.is_empty() {
            "vendor · no certification".to_owned()
        } else {
            format!("vendor · {}", v.certifications.join(", "))
        };
        text(out, vr.x + 8.0, vr.y + 32.0, 10.0, "muted", &certs);
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
}

/// A cubic curve from the source row to the destination box: rightwards
/// between neighbouring columns, or out to the right and back within one
/// column; flows that skip columns take their lane ([`lane_edge`]).
fn edge(out: &mut String, flow: &crate::model::FlowEdge, n: usize, l: &layout::Layout) {
    let (Some(a), Some(b)) = (l.boxes.get(&flow.from), l.boxes.get(&flow.to)) else {
        return;
    };
    if let Some(lane) = l.lanes.get(&flow.id) {
        lane_edge(out, flow, a, b, *lane);
        return;
    }
    let bulge = 40.0 + 12.0 * f64::from(u32::try_from(n % 6).unwrap_or(0));
    let (y0, y3) = (a.rect.mid_y(), b.rect.mid_y());
    let (x0, c1, c2, x3) = if b.column > a.column {
        let (x0, x3) = (a.rect.right(), b.rect.x);
        let mid = (x3 - x0) / 2.0;
        (x0, x0 + mid, x3 - mid, x3)
    } else if b.column < a.column {
        let (x0, x3) = (a.rect.x, b.rect.right());
        let mid = (x0 - x3) / 2.0;
        (x0, x0 - mid, x3 + mid, x3)
    } else {
        let (x0, x3) = (a.rect.right(), b.rect.right());
        let far = x0.max(x3) + bulge;
        (x0, far, far, x3)
    };
    let d = format!(
        "M{} {} C{} {} {} {} {} {}",
        f(x0),
        f(y0),
        f(c1),
        f(y0),
        f(c2),
        f(y3),
        f(x3),
        f(y3)
    );
    // The curve's midpoint, B(1/2) = (P0 + 3 P1 + 3 P2 + P3) / 8.
    let mid = (
        (x0 + 3.0 * c1 + 3.0 * c2 + x3) / 8.0,
        (y0 + 3.0 * y0 + 3.0 * y3 + y3) / 8.0,
    );
    draw_edge(out, flow, &d, mid);
}

/// A flow that skips columns: out of its source, up to its lane above the
/// countries, along it, and down into its destination, so that it crosses
/// no box.
fn lane_edge(out: &mut String, flow: &crate::model::FlowEdge, a: &Placed, b: &Placed, lane: f64) {
    let rightwards = b.column > a.column;
    let (x0, x3) = if rightwards {
        (a.rect.right(), b.rect.x)
    } else {
        (a.rect.x, b.rect.right())
    };
    let step = if rightwards { 40.0 } else { -40.0 };
    let (y0, y3) = (a.rect.mid_y(), b.rect.mid_y());
    let d = format!(
        "M{} {} C{} {} {} {} {} {} L{} {} C{} {} {} {} {} {}",
        f(x0),
        f(y0),
        f(x0 + step),
        f(y0),
        f(x0 + step),
        f(lane),
        f(x0 + 2.0 * step),
        f(lane),
        f(x3 - 2.0 * step),
        f(lane),
        f(x3 - step),
        f(lane),
        f(x3 - step),
        f(y3),
        f(x3),
        f(y3)
    );
    draw_edge(out, flow, &d, ((x0 + x3) / 2.0, lane + 4.0));
}

/// Draws an edge: its path with an arrow, a tooltip, and a label centred
/// just above `mid`.
fn draw_edge(out: &mut String, flow: &crate::model::FlowEdge, d: &str, (mx, my): (f64, f64)) {
    let style = EdgeStyle::of(flow);
    let marker = match style {
        EdgeStyle::Domestic => 0,
        EdgeStyle::CrossBorder => 1,
        EdgeStyle::CrossBorderNoBasis => 2,
    };
    let (width, dash) = match style {
        EdgeStyle::Domestic => ("1.5", ""),
        EdgeStyle::CrossBorder => ("3", ""),
        EdgeStyle::CrossBorderNoBasis => ("3", r#" stroke-dasharray="8 5""#),
    };
    let class = match style {
        EdgeStyle::Domestic => "flow",
        EdgeStyle::CrossBorder => "flow cross-border",
        EdgeStyle::CrossBorderNoBasis => "flow cross-border no-basis",
    };
    let _ = writeln!(
        out,
        r#"<g id="{}" class="{class}">"#,
        xml_id("flow-", &flow.id)
    );
    let _ = writeln!(
        out,
        "<title>{}</title>",
        xml(&format!(
            "{} → {}: {}",
            flow.from_country,
            flow.to_country,
            flow_label(flow)
        ))
    );
    let _ = writeln!(
        out,
        r#"<path d="{d}" fill="none" stroke="{}" stroke-width="{width}"{dash} marker-end="url(#arrow{marker})"/>"#,
        style.colour()
    );
    let label = match (&flow.basis, flow.cross_border) {
        (Some(b), _) => format!("{} · {}", flow.id, b.kind),
        (None, true) => format!("{} · NO BASIS", flow.id),
        (None, false) => flow.id.clone(),
    };
    let cw = CHAR_W * 10.0 / FONT;
    let lw = f64::from(u32::try_from(label.chars().count()).unwrap_or(0)) * cw + 8.0;
    let _ = writeln!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="14" class="label-bg"/>"#,
        f(mx - lw / 2.0),
        f(my - 16.0),
        f(lw)
    );
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="10" text-anchor="middle" style="fill: {}">{}</text>"#,
        f(mx),
        f(my - 5.0),
        style.colour(),
        xml(&label)
    );
    out.push_str("</g>\n");
}

fn legend(out: &mut String, y: f64) {
    out.push_str("<g id=\"legend\">\n");
    let items = [
        (EdgeStyle::Domestic, "flow within a country", ""),
        (
            EdgeStyle::CrossBorder,
            "cross-border flow with a recorded basis",
            "",
        ),
        (
            EdgeStyle::CrossBorderNoBasis,
            "cross-border flow with no basis recorded",
            r#" stroke-dasharray="8 5""#,
        ),
    ];
    for (i, (style, what, dash)) in items.iter().enumerate() {
        let row = y + 18.0 * f64::from(u32::try_from(i).unwrap_or(0));
        let _ = writeln!(
            out,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="3"{dash}/>"#,
            f(MARGIN),
            f(row),
            f(MARGIN + 40.0),
            f(row),
            style.colour()
        );
        text(out, MARGIN + 50.0, row + 4.0, 11.0, "legend-label", what);
    }
    out.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_is_escaped_and_ids_are_names() {
        assert_eq!(
            xml("a<b>&\"c'\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&apos;\u{fffd}"
        );
        assert_eq!(
            xml_id("dataset-", "order-db.orders"),
            "dataset-order-db.orders"
        );
        assert_eq!(xml_id("dataset-", "a b/c"), "dataset-a_b_c");
    }
}
