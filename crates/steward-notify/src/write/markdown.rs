//! `report.md`: the duties for a privacy officer, in Markdown.

use std::fmt::Write as _;

use super::{Report, when};
use crate::duty::Duty;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The report as Markdown.
#[must_use]
pub fn render(report: &Report<'_>) -> String {
    let mut o = String::new();
    let s = report.summary;
    let ev = report.evaluation;
    let _ = writeln!(o, "# Notification duties: {}\n", cell(&report.heading()));
    if let Some(id) = report.incident {
        let _ = writeln!(o, "Incident `{id}`.");
    }
    if let Some(now) = ev.now {
        let _ = writeln!(o, "Deadlines judged at {now} (UTC).");
    }
    let _ = writeln!(
        o,
        "\n## Impact\n\n{} people affected ({} customers, {} third parties), {} reads of personal data.",
        s.people, s.customers, s.third_parties, s.reads
    );
    if let (Some(a), Some(b)) = (s.first_access, s.last_access) {
        let _ = writeln!(o, "Access from {a} to {b}.");
    }
    let _ = writeln!(
        o,
        "\n| jurisdiction | people | customers | third parties |\n|---|---:|---:|---:|"
    );
    for (code, j) in s.by_country.iter().chain(s.by_subdivision.iter()) {
        let _ = writeln!(
            o,
            "| {code} | {} | {} | {} |",
            j.people, j.customers, j.third_parties
        );
    }
    let overdue = ev.duties.iter().filter(|d| d.status.is_overdue()).count();
    let _ = writeln!(
        o,
        "\n## Duties\n\n{} duties from {} regimes considered; {overdue} overdue.\n",
        ev.duties.len(),
        ev.regimes_considered
    );
    let _ = writeln!(
        o,
        "| status | deadline (regulator's time) | regime | recipient | people |\n|---|---|---|---|---:|"
    );
    for d in &ev.duties {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            d.status.label(),
            d.deadline.as_ref().map_or_else(|| d.rule.clone(), when),
            cell(&d.regime_name),
            cell(&d.recipient_name),
            d.people
        );
    }
    for d in &ev.duties {
        duty(&mut o, d);
    }
    if !ev.not_triggered.is_empty() {
        let _ = writeln!(
            o,
            "\n## Considered, not triggered\n\n| regime | notice | why not |\n|---|---|---|"
        );
        for n in &ev.not_triggered {
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                cell(&n.regime_name),
                n.recipient.as_deref().unwrap_or("(all)"),
                cell(&n.reason)
            );
        }
    }
    o
}

fn duty(o: &mut String, d: &Duty) {
    let _ = writeln!(
        o,
        "\n### {}: {}\n\n- Status: **{}**",
        d.regime_name,
        d.recipient_name,
        d.status.label()
    );
    let _ = writeln!(o, "- Why: {}", d.reason);
    let _ = writeln!(o, "- Rule: {} (clock: {})", d.rule, d.clock.label());
    if let Some(c) = &d.clock_start {
        let _ = writeln!(o, "- Clock started: {}", when(c));
    }
    if let Some(dl) = &d.deadline {
        let _ = writeln!(o, "- Deadline: {}", when(dl));
    }
    if let Some(r) = &d.reported_at {
        let _ = writeln!(o, "- Reported: {}", when(r));
    }
    for a in &d.assumptions {
        let _ = writeln!(o, "- Assumed: {a}");
    }
    for n in &d.notes {
        let _ = writeln!(o, "- Note: {n}");
    }
    let _ = writeln!(o, "- Citation: {}", d.citation);
    let _ = writeln!(o, "- The notice must contain:");
    for c in &d.content {
        let _ = writeln!(o, "  - [ ] {c}");
    }
}
