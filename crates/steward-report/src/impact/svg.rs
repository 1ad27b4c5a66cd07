//! The charts, as inline SVG. Each function returns one `<svg>` element
//! with an `id` the tests look for.

use std::fmt::Write as _;

use jiff::Timestamp;
use steward_model::impact::{ImpactSummary, TimelineBucket};
use steward_notify::{Duty, Status};

use super::html::esc;

const W: f64 = 760.0;

/// Horizontal bars: people per jurisdiction, customers and third parties
/// stacked.
pub fn jurisdictions(summary: &ImpactSummary) -> String {
    let rows: Vec<(&String, u64, u64)> = summary
        .by_country
        .iter()
        .chain(summary.by_subdivision.iter())
        .map(|(k, j)| (k, j.customers, j.third_parties))
        .collect();
    let max = rows.iter().map(|(_, c, t)| c + t).max().unwrap_or(1).max(1);
    let label_w = 70.0;
    let bar_w = W - label_w - 90.0;
    let h = 26.0 * rows.len() as f64 + 30.0;
    let mut o = format!(
        r#"<svg id="chart-jurisdictions" class="chart" viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img" aria-label="People affected by jurisdiction">"#
    );
    for (i, (code, customers, third)) in rows.iter().enumerate() {
        let y = 10.0 + 26.0 * i as f64;
        let wc = bar_w * (*customers as f64) / (max as f64);
        let wt = bar_w * (*third as f64) / (max as f64);
        let _ = write!(
            o,
            r#"<text x="0" y="{ty}" class="label">{code}</text><rect class="bar customers" x="{label_w}" y="{y}" width="{wc:.1}" height="18"><title>{code}: {customers} customers</title></rect><rect class="bar third" x="{x2:.1}" y="{y}" width="{wt:.1}" height="18"><title>{code}: {third} third parties</title></rect><text x="{x3:.1}" y="{ty}" class="value">{total}</text>"#,
            ty = y + 14.0,
            code = esc(code),
            x2 = label_w + wc,
            x3 = label_w + wc + wt + 6.0,
            total = customers + third,
        );
    }
    let ly = h - 8.0;
    let _ = write!(
        o,
        r#"<rect class="bar customers" x="{label_w}" y="{r}" width="12" height="10"/><text x="{a}" y="{ly}" class="legend">customers</text><rect class="bar third" x="{b}" y="{r}" width="12" height="10"/><text x="{c}" y="{ly}" class="legend">third parties (not customers)</text></svg>"#,
        r = ly - 9.0,
        a = label_w + 16.0,
        b = label_w + 100.0,
        c = label_w + 116.0,
    );
    o
}

/// Heat table: people per jurisdiction and data category.
pub fn categories(summary: &ImpactSummary) -> String {
    let rows: Vec<_> = summary
        .by_country
        .iter()
        .chain(summary.by_subdivision.iter())
        .collect();
    let mut cats: Vec<&String> = rows
        .iter()
        .flat_map(|(_, j)| j.by_category.keys())
        .collect();
    cats.sort();
    cats.dedup();
    let label_w = 70.0;
    let cell_w = ((W - label_w) / cats.len().max(1) as f64).min(120.0);
    let head = 110.0;
    let h = head + 24.0 * rows.len() as f64 + 6.0;
    let mut o = format!(
        r#"<svg id="chart-categories" class="chart" viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img" aria-label="People affected by jurisdiction and data category">"#
    );
    for (c, key) in cats.iter().enumerate() {
        let x = label_w + cell_w * c as f64 + cell_w / 2.0;
        let short = key.rsplit('.').next().unwrap_or(key);
        let _ = write!(
            o,
            r#"<text class="label" transform="translate({x:.1},{y}) rotate(-40)"><title>{full}</title>{short}</text>"#,
            y = head - 6.0,
            full = esc(key),
            short = esc(short)
        );
    }
    for (r, (code, j)) in rows.iter().enumerate() {
        let y = head + 24.0 * r as f64;
        let _ = write!(
            o,
            r#"<text x="0" y="{ty}" class="label">{code}</text>"#,
            ty = y + 16.0,
            code = esc(code)
        );
        for (c, key) in cats.iter().enumerate() {
            let n = j.by_category.get(*key).copied().unwrap_or(0);
            let share = if j.people == 0 {
                0.0
            } else {
                n as f64 / j.people as f64
            };
            let x = label_w + cell_w * c as f64;
            let _ = write!(
                o,
                r#"<rect class="cell" x="{x:.1}" y="{y}" width="{w:.1}" height="22" fill-opacity="{op:.2}"><title>{code} · {key}: {n}</title></rect><text x="{tx:.1}" y="{ty}" class="cellvalue">{n}</text>"#,
                w = cell_w - 2.0,
                op = 0.08 + 0.85 * share,
                code = esc(code),
                key = esc(key),
                tx = x + cell_w / 2.0,
                ty = y + 15.0,
            );
        }
    }
    o.push_str("</svg>");
    o
}

/// Vertical bars: access events per time-line bucket.
pub fn access(timeline: &[TimelineBucket]) -> String {
    let h = 200.0;
    let base = h - 30.0;
    let max = timeline.iter().map(|b| b.events).max().unwrap_or(1).max(1);
    let n = timeline.len().max(1) as f64;
    let step = (W - 60.0) / n;
    let mut o = format!(
        r#"<svg id="chart-access" class="chart" viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img" aria-label="Access events over time">"#
    );
    let _ = write!(
        o,
        r#"<line class="axis" x1="50" y1="{base}" x2="{W}" y2="{base}"/><text x="0" y="14" class="legend">{max} events</text>"#
    );
    for (i, b) in timeline.iter().enumerate() {
        let bh = (base - 20.0) * (b.events as f64) / (max as f64);
        let x = 50.0 + step * i as f64;
        let _ = write!(
            o,
            r#"<rect class="bar access" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{bh:.1}"><title>{day}: {events} events, {people} people first affected</title></rect>"#,
            y = base - bh,
            w = (step - 2.0).max(1.0),
            day = b.start.strftime("%Y-%m-%d"),
            events = b.events,
            people = b.new_people,
        );
        if timeline.len() <= 12 || i % (timeline.len() / 12 + 1) == 0 {
            let _ = write!(
                o,
                r#"<text x="{x:.1}" y="{ty}" class="tick">{day}</text>"#,
                ty = base + 16.0,
                day = b.start.strftime("%Y-%m-%d")
            );
        }
    }
    if timeline.is_empty() {
        let _ = write!(
            o,
            r#"<text x="60" y="{}" class="legend">no time line in the impact summary</text>"#,
            base / 2.0
        );
    }
    o.push_str("</svg>");
    o
}

/// One row per duty with a fixed deadline: clock start to deadline, missed
/// and late ones in red, a mark where the notice was given, and now.
pub fn deadlines(duties: &[Duty], now: Option<Timestamp>) -> String {
    let rows: Vec<&Duty> = duties.iter().filter(|d| d.deadline.is_some()).collect();
    let mut times: Vec<Timestamp> = rows
        .iter()
        .flat_map(|d| {
            [
                d.clock_start.as_ref().map(jiff::ZonedDateTime::timestamp),
                d.deadline.as_ref().map(jiff::ZonedDateTime::timestamp),
                d.reported_at.as_ref().map(jiff::ZonedDateTime::timestamp),
            ]
        })
        .flatten()
        .collect();
    times.extend(now);
    let lo = times.iter().min().copied().unwrap_or_default();
    let hi = times.iter().max().copied().unwrap_or_default();
    let span = (hi.as_second() - lo.as_second()).max(1) as f64;
    let label_w = 230.0;
    let plot = W - label_w - 20.0;
    let x = |t: Timestamp| label_w + plot * ((t.as_second() - lo.as_second()) as f64) / span;
    let h = 40.0 + 24.0 * rows.len() as f64;
    let mut o = format!(
        r#"<svg id="chart-deadlines" class="chart" viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img" aria-label="Deadlines">"#
    );
    for (i, d) in rows.iter().enumerate() {
        let y = 10.0 + 24.0 * i as f64;
        let overdue = matches!(d.status, Status::Missed | Status::Late);
        let class = if overdue { "missed" } else { "ontime" };
        let Some(deadline) = d.deadline.as_ref() else {
            continue;
        };
        let end = x(deadline.timestamp());
        let start = d.clock_start.as_ref().map_or(end, |s| x(s.timestamp()));
        let _ = write!(
            o,
            r#"<text x="0" y="{ty}" class="label">{label}</text><line class="span {class}" x1="{start:.1}" y1="{my}" x2="{end:.1}" y2="{my}"/><circle class="deadline {class}" cx="{end:.1}" cy="{my}" r="6"><title>{label}: {when} ({status})</title></circle>"#,
            ty = y + 14.0,
            my = y + 10.0,
            label = esc(&format!("{} / {}", d.regime, d.recipient)),
            when = esc(&deadline.to_string()),
            status = d.status.label(),
        );
        if let Some(r) = &d.reported_at {
            let _ = write!(
                o,
                r#"<path class="reported" d="M{rx:.1} {a} l5 8 l-10 0 z"><title>reported {when}</title></path>"#,
                rx = x(r.timestamp()),
                a = y + 2.0,
                when = esc(&r.to_string()),
            );
        }
    }
    if let Some(n) = now {
        let nx = x(n);
        let _ = write!(
            o,
            r#"<line class="now" x1="{nx:.1}" y1="0" x2="{nx:.1}" y2="{b}"/><text x="{nx:.1}" y="{t}" class="tick">now {day}</text>"#,
            b = h - 22.0,
            t = h - 8.0,
            day = n.strftime("%Y-%m-%d"),
        );
    }
    if rows.is_empty() {
        o.push_str(r#"<text x="10" y="24" class="legend">no duty with a fixed deadline</text>"#);
    } else {
        let _ = write!(
            o,
            r#"<text x="{label_w}" y="{t}" class="tick">{a}</text><text x="{e}" y="{t}" class="tick" text-anchor="end">{b}</text>"#,
            t = h - 8.0,
            e = W - 20.0,
            a = lo.strftime("%Y-%m-%d"),
            b = hi.strftime("%Y-%m-%d"),
        );
    }
    o.push_str("</svg>");
    o
}
