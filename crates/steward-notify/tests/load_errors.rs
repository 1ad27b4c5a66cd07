//! Bad regime, calendar and facts files give errors that name the file,
//! line and column.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use steward_notify::calendar::Calendar;
use steward_notify::{IncidentFacts, Library, Regime};

const PIPA: &str = include_str!("../../../regimes/kr-pipa.yaml");

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn an_unknown_regime_field_names_file_line_and_column() {
    let text = PIPA.replace(
        "    who: regulator\n",
        "    who: regulator\n    treshold: 1000\n",
    );
    let e = Regime::parse("regimes/kr-pipa.yaml", &text).unwrap_err();
    let line = line_of(&text, "treshold");
    assert_eq!(e.line, Some(line), "{e}");
    assert_eq!(e.column, Some(5), "{e}");
    let shown = e.to_string();
    assert!(
        shown.starts_with(&format!("regimes/kr-pipa.yaml:{line}:5: ")),
        "{shown}"
    );
    assert!(shown.contains("unknown field `treshold`"), "{shown}");
}

#[test]
fn an_unknown_field_in_a_condition_is_pointed_at() {
    let text = PIPA.replace(
        "      - people_at_least: 1000",
        "      - people_atleast: 1000",
    );
    let e = Regime::parse("kr-pipa.yaml", &text).unwrap_err();
    assert_eq!(e.line, Some(line_of(&text, "people_atleast")), "{e}");
    assert!(e.to_string().contains("people_atleast"), "{e}");
}

#[test]
fn an_unknown_category_key_gets_a_line_and_a_hint() {
    let text = PIPA.replace(
        "          - user.biometric\n",
        "          - user.biometrics\n",
    );
    let e = Regime::parse("kr-pipa.yaml", &text).unwrap_err();
    assert_eq!(e.line, Some(line_of(&text, "user.biometrics")), "{e}");
    assert!(e.to_string().contains("`user.biometrics`"), "{e}");
}

#[test]
fn an_unknown_time_zone_is_pointed_at() {
    let text = PIPA.replace("time_zone: Asia/Seoul", "time_zone: Asia/Seol");
    let e = Regime::parse("kr-pipa.yaml", &text).unwrap_err();
    assert_eq!(e.line, Some(line_of(&text, "Asia/Seol")), "{e}");
    assert!(
        e.to_string().contains("unknown time zone `Asia/Seol`"),
        "{e}"
    );
}

#[test]
fn two_deadline_kinds_and_a_wrong_id_are_refused() {
    let text = PIPA.replacen("      hours: 72\n", "      hours: 72\n      days: 3\n", 1);
    let e = Regime::parse("kr-pipa.yaml", &text).unwrap_err();
    assert!(e.to_string().contains("give one of"), "{e}");
    assert_eq!(e.line, Some(line_of(&text, "id: individuals")), "{e}");
    let e = Regime::parse("other.yaml", PIPA).unwrap_err();
    assert!(e.to_string().contains("differs from the file name"), "{e}");
    assert_eq!(e.line, Some(1));
}

#[test]
fn an_unknown_calendar_is_pointed_at() {
    let sec = include_str!("../../../regimes/us-sec-8k.yaml")
        .replace("calendar: us-federal", "calendar: us-fed");
    let e = Library::from_texts(&[("us-sec-8k.yaml".into(), sec.clone())], &[]).unwrap_err();
    assert_eq!(e.line, Some(line_of(&sec, "calendar: us-fed")), "{e}");
    assert!(e.to_string().contains("unknown calendar `us-fed`"), "{e}");
}

#[test]
fn a_bad_calendar_date_is_pointed_at() {
    let text = include_str!("../../../regimes/calendars/us-federal.yaml")
        .replace("2025-11-27", "2025-11-31");
    let e = Calendar::parse("us-federal.yaml", &text).unwrap_err();
    assert_eq!(e.line, Some(line_of(&text, "2025-11-31")), "{e}");
}

#[test]
fn an_overlay_folder_error_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kr-pipa.yaml");
    std::fs::write(&path, PIPA.replace("status: >-", "stauts: >-")).unwrap();
    let mut lib = Library::builtin().unwrap();
    let e = lib.overlay_dir(dir.path()).unwrap_err();
    let shown = e.to_string();
    assert!(shown.starts_with(&path.display().to_string()), "{shown}");
    assert!(shown.contains("unknown field `stauts`"), "{shown}");
}

#[test]
fn an_overlay_replaces_a_builtin_regime_by_id() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("kr-pipa.yaml"),
        PIPA.replace("people_at_least: 1000", "people_at_least: 10"),
    )
    .unwrap();
    let mut lib = Library::builtin().unwrap();
    lib.overlay_dir(dir.path()).unwrap();
    assert_eq!(lib.regimes.len(), 17);
    let r = lib.regime("kr-pipa").unwrap();
    let reg = r.recipients.iter().find(|x| x.id == "regulator").unwrap();
    assert_eq!(reg.when[0].people_at_least, Some(10));
}

#[test]
fn facts_errors_carry_a_line_in_yaml_and_json() {
    let e = IncidentFacts::parse(
        "f.yaml",
        "cause: insider\nawarenes_at: 2025-01-01T00:00:00Z\n",
    )
    .unwrap_err();
    assert_eq!(e.line, Some(2), "{e}");
    let e = IncidentFacts::parse("f.json", "{\n  \"cause\": \"hacked\"\n}").unwrap_err();
    assert_eq!(e.line, Some(2), "{e}");
    assert!(e.to_string().starts_with("f.json:2:"), "{e}");
}
