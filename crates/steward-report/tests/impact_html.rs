//! The HTML impact report: self-contained, charts present, overdue duties
//! marked, text escaped.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use steward_model::impact::ImpactSummary;
use steward_notify::write::Report;
use steward_notify::{IncidentFacts, Library, evaluate};

fn page(selector: &str) -> String {
    let mut summary: ImpactSummary = serde_json::from_str(include_str!(
        "../../steward-notify/tests/fixtures/coupang-impact.json"
    ))
    .unwrap();
    summary.selector = selector.to_owned();
    let facts = IncidentFacts::parse(
        "coupang-facts.yaml",
        include_str!("../../steward-notify/tests/fixtures/coupang-facts.yaml"),
    )
    .unwrap();
    let ev = evaluate(&Library::builtin().unwrap(), &summary, &facts);
    steward_report::impact::render(&Report {
        incident: Some("inc-2025-11"),
        title: Some("Forged tokens <replay>"),
        summary: &summary,
        evaluation: &ev,
    })
}

#[test]
fn the_page_is_self_contained() {
    let html = page("key k-2019-07");
    assert!(html.starts_with("<!DOCTYPE html>"));
    for banned in [
        "<script", "<link", "<img", "@import", "url(", "http://", "https://",
    ] {
        assert!(!html.contains(banned), "found {banned}");
    }
}

#[test]
fn the_four_charts_are_there_with_their_marks() {
    let html = page("key k-2019-07");
    for id in [
        "chart-jurisdictions",
        "chart-categories",
        "chart-access",
        "chart-deadlines",
    ] {
        assert_eq!(
            html.matches(&format!("<svg id=\"{id}\"")).count(),
            1,
            "{id}"
        );
    }
    // Six jurisdictions: two bars each.
    assert_eq!(
        html.matches("class=\"bar customers\" x=\"70\" y=").count(),
        6 + 1
    );
    // Eight time-line buckets.
    assert_eq!(html.matches("class=\"bar access\"").count(), 8);
    // Overdue deadlines in red: network act, PIPA x2, SEC.
    assert_eq!(html.matches("class=\"deadline missed\"").count(), 4);
    assert_eq!(html.matches("<tr class=\"missed\">").count(), 2);
    assert_eq!(html.matches("<tr class=\"late\">").count(), 2);
}

#[test]
fn text_is_escaped() {
    let html = page("ip=<b>\"x\"</b>&more");
    assert!(html.contains("Forged tokens &lt;replay&gt;"));
    assert!(html.contains("ip=&lt;b&gt;&quot;x&quot;&lt;/b&gt;&amp;more"));
    assert!(!html.contains("<b>\"x\""));
}
