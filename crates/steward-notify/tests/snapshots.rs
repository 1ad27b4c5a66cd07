//! The rendered outputs of a scaled-down replay of the 2025 breach:
//! Markdown report, notice drafts, the people CSV and the JSON document.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use steward_model::impact::ImpactSummary;
use steward_notify::write::{self, Report};
use steward_notify::{Evaluation, IncidentFacts, Library, evaluate};

fn fixture() -> (Library, ImpactSummary, IncidentFacts, Evaluation) {
    let lib = Library::builtin().unwrap();
    let summary: ImpactSummary =
        serde_json::from_str(include_str!("fixtures/coupang-impact.json")).unwrap();
    let facts = IncidentFacts::parse(
        "coupang-facts.yaml",
        include_str!("fixtures/coupang-facts.yaml"),
    )
    .unwrap();
    let ev = evaluate(&lib, &summary, &facts);
    (lib, summary, facts, ev)
}

#[test]
fn markdown_report() {
    let (_, summary, _, ev) = fixture();
    let md = write::markdown::render(&Report {
        incident: Some("inc-2025-11"),
        title: Some("Forged-token access to member accounts"),
        summary: &summary,
        evaluation: &ev,
    });
    insta::assert_snapshot!(md);
}

#[test]
fn the_replay_gets_the_known_outcomes() {
    let (_, _, _, ev) = fixture();
    let status = |k: &str| {
        ev.duties
            .iter()
            .find(|d| d.key() == k)
            .map(|d| d.status)
            .unwrap_or_else(|| panic!("no {k}"))
    };
    use steward_notify::Status::{Late, Missed, NoFixedDeadline};
    assert_eq!(status("kr-network-act/regulator"), Late);
    assert_eq!(status("us-sec-8k/investors"), Late);
    assert_eq!(status("kr-pipa/regulator"), Missed);
    assert_eq!(status("kr-pipa/individuals"), Missed);
    assert_eq!(status("tw-pdpa/individuals"), NoFixedDeadline);
    // California: 412 residents, and no personal information in the statute's sense.
    assert!(
        ev.not_triggered
            .iter()
            .any(|n| n.regime == "us-ca" && n.recipient.is_none())
    );
    // The Korean individual notice counts the 4,330 non-members too.
    let kr = ev
        .duties
        .iter()
        .find(|d| d.key() == "kr-pipa/individuals")
        .unwrap();
    assert_eq!((kr.people, kr.third_parties), (37550, 4330));
}

#[test]
fn drafts_in_korean_and_english() {
    let (lib, summary, facts, ev) = fixture();
    let d = ev
        .duties
        .iter()
        .find(|d| d.key() == "kr-pipa/individuals")
        .unwrap();
    let drafts = write::drafts::render(lib.regime("kr-pipa").unwrap(), d, &summary, &facts);
    for text in [&drafts.ko, &drafts.en] {
        assert!(text.contains("DRAFT – for legal review"), "{text}");
    }
    assert!(drafts.ko.contains("유출") && !drafts.ko.contains("노출"));
    assert!(drafts.en.contains("leaked") && !drafts.en.to_lowercase().contains("exposure"));
    assert!(drafts.ko.contains("공동현관 출입번호"));
    assert!(drafts.en.contains("Building entrance code"));
    assert!(drafts.en.contains("4330 people who are not our customers"));
    insta::assert_snapshot!("draft_kr_pipa_ko", drafts.ko);
    insta::assert_snapshot!("draft_kr_pipa_en", drafts.en);
}

#[test]
fn drafts_without_notice_facts_leave_marked_blanks() {
    let (lib, summary, _, _) = fixture();
    let bare = IncidentFacts::parse("f.yaml", "awareness_at: 2025-11-17T16:00:00+09:00\n").unwrap();
    let ev = evaluate(&lib, &summary, &bare);
    let d = ev
        .duties
        .iter()
        .find(|d| d.key() == "tw-pdpa/individuals")
        .unwrap();
    let drafts = write::drafts::render(lib.regime("tw-pdpa").unwrap(), d, &summary, &bare);
    assert!(drafts.en.contains("[company name]"), "{}", drafts.en);
    assert!(drafts.ko.contains("[회사명]"), "{}", drafts.ko);
    assert!(
        !drafts.en.contains("entrance"),
        "Taiwan's people had no entrance codes leaked"
    );
}

#[test]
fn people_csv_is_masked_unless_asked() {
    let (lib, _, _, _) = fixture();
    let people = steward_notify::people::read_jsonl(
        "people.jsonl",
        include_str!("fixtures/coupang-people.jsonl").as_bytes(),
    )
    .unwrap();
    let regime = lib.regime("kr-pipa").unwrap();
    let mut out = Vec::new();
    let n = write::csv::write(&mut out, regime, false, &people, false).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(n, 2);
    assert!(
        !text.contains("minsu.kim") && !text.contains("1234-5678"),
        "{text}"
    );
    insta::assert_snapshot!(text);
    let mut raw = Vec::new();
    write::csv::write(&mut raw, regime, false, &people, true).unwrap();
    assert!(String::from_utf8(raw).unwrap().contains("010-1234-5678"));
}

#[test]
fn a_bad_people_line_is_named_without_its_content() {
    let e = steward_notify::people::read_jsonl(
        "people.jsonl",
        "{\"id\":\"m:1\",\"kind\":\"customer\",\"channel\":\"sms\",\"contact\":\"010-1111-2222\"}\n{\"id\":\"m:2\",\"kind\":\"alien\",\"channel\":\"sms\",\"contact\":\"010-9999-8888\"}\n"
            .as_bytes(),
    )
    .unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(!e.to_string().contains("9999"), "{e}");
}

#[test]
fn json_document() {
    let (_, summary, _, ev) = fixture();
    let json = write::json::render(&Report {
        incident: Some("inc-2025-11"),
        title: None,
        summary: &summary,
        evaluation: &ev,
    });
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["format"], "steward-notify/1");
    let sec = v["duties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["regime"] == "us-sec-8k")
        .unwrap();
    assert_eq!(
        sec["deadline"],
        "2025-11-24T17:30:00-05:00[America/New_York]"
    );
    assert_eq!(sec["status"], "late");
}
