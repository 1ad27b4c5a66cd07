//! The HTML page: a header with the totals, the four charts, the duties
//! (overdue in red) with their reasons and required content, and what was
//! considered and not triggered. One file, no scripts, no external fonts,
//! images or style sheets.

use std::fmt::Write as _;

use steward_notify::write::{Report, when};
use steward_notify::{Duty, Status};

use super::svg;

/// Escapes text for HTML element content and attribute values.
#[must_use]
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

const STYLE: &str = r"
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:60rem;color:#1d232a;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
.meta{color:#57606a}.totals{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.totals div{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem}
.totals b{display:block;font-size:1.4rem}.totals .bad b{color:#cf222e}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
tr.missed td,tr.late td{background:#ffebe9}.status{font-weight:600}.missed .status,.late .status{color:#cf222e}
.chart{max-width:100%;height:auto;display:block;margin:.5rem 0}
.chart text{font-size:12px;fill:#1d232a}.chart .tick,.chart .legend{font-size:11px;fill:#57606a}
.bar.customers{fill:#0969da}.bar.third{fill:#bf8700}.bar.access{fill:#8250df}.cell{fill:#0969da}
.cellvalue{text-anchor:middle;font-size:11px}.axis{stroke:#8c959f}
.span{stroke-width:4}.span.ontime{stroke:#1a7f37}.span.missed{stroke:#cf222e}
.deadline.ontime{fill:#1a7f37}.deadline.missed{fill:#cf222e}.reported{fill:#1d232a}.now{stroke:#57606a;stroke-dasharray:4 3}
details{margin:.6rem 0;border:1px solid #d0d7de;border-radius:6px;padding:.4rem .8rem}summary{cursor:pointer;font-weight:600}
footer{margin-top:3rem;color:#57606a;font-size:.8rem}
@media print{details{break-inside:avoid}details[open] summary{list-style:none}}
";

/// The report as one HTML document.
#[must_use]
pub fn render(report: &Report<'_>) -> String {
    let s = report.summary;
    let ev = report.evaluation;
    let overdue = ev.duties.iter().filter(|d| d.status.is_overdue()).count();
    let heading = esc(&report.heading());
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{heading}</title><style>{STYLE}</style></head><body>\n<h1>{heading}</h1>\n<p class=\"meta\">"
    );
    if let Some(id) = report.incident {
        let _ = write!(o, "Incident <code>{}</code>. ", esc(id));
    }
    let _ = write!(o, "Selected: {}. ", esc(&s.selector));
    if let Some(now) = ev.now {
        let _ = write!(o, "Deadlines judged at {now}.");
    }
    o.push_str("</p>\n<div class=\"totals\">");
    for (label, n, bad) in [
        ("people affected", s.people, false),
        ("customers", s.customers, false),
        ("third parties", s.third_parties, false),
        ("duties", ev.duties.len() as u64, false),
        ("overdue", overdue as u64, overdue > 0),
    ] {
        let _ = write!(
            o,
            "<div{}><b>{n}</b>{label}</div>",
            if bad { " class=\"bad\"" } else { "" }
        );
    }
    o.push_str("</div>\n");
    o.push_str("<h2>Deadlines</h2>\n");
    o.push_str(&svg::deadlines(&ev.duties, ev.now));
    duties_table(&mut o, &ev.duties);
    o.push_str("<h2>Who was affected</h2>\n");
    o.push_str(&svg::jurisdictions(s));
    o.push_str("<h2>Which data, where</h2>\n");
    o.push_str(&svg::categories(s));
    o.push_str("<h2>When</h2>\n");
    if let (Some(a), Some(b)) = (s.first_access, s.last_access) {
        let _ = write!(
            o,
            "<p>Access from {a} to {b}; {} reads of personal data.</p>",
            s.reads
        );
    }
    o.push_str(&svg::access(&s.timeline));
    o.push_str("<h2>Each duty</h2>\n");
    for d in &ev.duties {
        duty(&mut o, d);
    }
    if !ev.not_triggered.is_empty() {
        o.push_str("<h2>Considered, not triggered</h2>\n<table><thead><tr><th>regime</th><th>notice</th><th>why not</th></tr></thead><tbody>");
        for n in &ev.not_triggered {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&n.regime_name),
                esc(n.recipient.as_deref().unwrap_or("(all)")),
                esc(&n.reason)
            );
        }
        o.push_str("</tbody></table>\n");
    }
    let _ = write!(
        o,
        "<footer>Made by steward {}. Counts only: this report holds no personal data. Deadlines are computed from the regimes' data files; have them checked before relying on them.</footer>\n</body></html>\n",
        env!("CARGO_PKG_VERSION")
    );
    o
}

fn duties_table(o: &mut String, duties: &[Duty]) {
    o.push_str("<table id=\"duties\"><thead><tr><th>status</th><th>deadline (regulator's time)</th><th>regime</th><th>recipient</th><th>people</th></tr></thead><tbody>");
    for d in duties {
        let class = match d.status {
            Status::Missed => "missed",
            Status::Late => "late",
            _ => "ok",
        };
        let _ = write!(
            o,
            "<tr class=\"{class}\"><td class=\"status\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(d.status.label()),
            esc(&d.deadline.as_ref().map_or_else(|| d.rule.clone(), when)),
            esc(&d.regime_name),
            esc(&d.recipient_name),
            d.people
        );
    }
    o.push_str("</tbody></table>\n");
}

fn duty(o: &mut String, d: &Duty) {
    let _ = write!(
        o,
        "<details{}><summary>{}: {} ({})</summary><ul>",
        if d.status.is_overdue() { " open" } else { "" },
        esc(&d.regime_name),
        esc(&d.recipient_name),
        esc(d.status.label())
    );
    let mut li = |k: &str, v: &str| {
        let _ = write!(o, "<li><b>{k}:</b> {}</li>", esc(v));
    };
    li("Why", &d.reason);
    li("Rule", &format!("{} (clock: {})", d.rule, d.clock.label()));
    if let Some(c) = &d.clock_start {
        li("Clock started", &when(c));
    }
    if let Some(dl) = &d.deadline {
        li("Deadline", &when(dl));
    }
    if let Some(r) = &d.reported_at {
        li("Reported", &when(r));
    }
    for a in &d.assumptions {
        li("Assumed", a);
    }
    for n in &d.notes {
        li("Note", n);
    }
    li("Citation", &d.citation);
    o.push_str("</ul><p>The notice must contain:</p><ul>");
    for c in &d.content {
        let _ = write!(o, "<li>{}</li>", esc(c));
    }
    o.push_str("</ul></details>\n");
}
