//! Deadline arithmetic: elapsed hours in the regulator's zone, calendar days
//! ending at local midnight, business days skipping weekends and public
//! holidays, changes of daylight-saving time, and the statuses that follow.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use steward_notify::Status;

fn deadline(e: &steward_notify::Evaluation, key: &str) -> String {
    duty(e, key)
        .and_then(|d| d.deadline.as_ref())
        .map(ToString::to_string)
        .unwrap_or_else(|| panic!("no deadline for {key}"))
}

fn sec(determined: &str) -> steward_notify::Evaluation {
    run(
        &country("KR", 10, &[NAME]),
        &facts(&format!(
            "sec_registrant: true\nmateriality_determined_at: {determined}\n"
        )),
    )
}

#[test]
fn sec_four_business_days_across_a_weekend() {
    // Friday 14 Nov 2025: Mon 17, Tue 18, Wed 19, Thu 20.
    let e = sec("2025-11-14T10:00:00-05:00");
    assert_eq!(
        deadline(&e, "us-sec-8k/investors"),
        "2025-11-20T17:30:00-05:00[America/New_York]"
    );
    assert!(
        duty(&e, "us-sec-8k/investors")
            .unwrap()
            .notes
            .iter()
            .all(|n| !n.contains("skip"))
    );
}

#[test]
fn sec_four_business_days_across_thanksgiving() {
    // Monday 24 Nov 2025: Tue 25, Wed 26, (Thu 27 Thanksgiving), Fri 28, Mon 1 Dec.
    let e = sec("2025-11-24T09:00:00-05:00");
    assert_eq!(
        deadline(&e, "us-sec-8k/investors"),
        "2025-12-01T17:30:00-05:00[America/New_York]"
    );
    let d = duty(&e, "us-sec-8k/investors").unwrap();
    assert!(
        d.notes
            .iter()
            .any(|n| n.contains("2025-11-27 Thanksgiving Day")),
        "{:?}",
        d.notes
    );
}

#[test]
fn sec_clock_runs_in_new_york_not_seoul() {
    // 18 Nov 22:52 in Seoul is 18 Nov 08:52 in New York: due Monday 24 Nov,
    // the date the 2025 class action used.
    let e = sec("2025-11-18T22:52:00+09:00");
    assert_eq!(
        deadline(&e, "us-sec-8k/investors"),
        "2025-11-24T17:30:00-05:00[America/New_York]"
    );
    // Late on 19 Nov in Seoul is still the morning of the 19th in New York.
    let e = sec("2025-11-19T23:30:00+09:00");
    assert_eq!(
        deadline(&e, "us-sec-8k/investors"),
        "2025-11-25T17:30:00-05:00[America/New_York]"
    );
}

#[test]
fn sec_count_past_the_calendar_is_undetermined_not_guessed() {
    let e = sec("2027-12-29T09:00:00-05:00");
    let d = duty(&e, "us-sec-8k/investors").unwrap();
    assert_eq!(d.status, Status::Undetermined);
    assert!(d.deadline.is_none());
    assert!(
        d.notes
            .iter()
            .any(|n| n.contains("no published holidays for 2028")),
        "{:?}",
        d.notes
    );
}

#[test]
fn korea_72_hours_and_network_act_24_hours_in_seoul() {
    let f = facts("awareness_at: 2025-11-17T07:00:00Z\ncause: unauthorised_external_access\n");
    let e = run(&country("KR", 1000, &[NAME]), &f);
    assert_eq!(
        deadline(&e, "kr-pipa/regulator"),
        "2025-11-20T16:00:00+09:00[Asia/Seoul]"
    );
    assert_eq!(
        deadline(&e, "kr-network-act/regulator"),
        "2025-11-18T16:00:00+09:00[Asia/Seoul]"
    );
    assert_eq!(
        duty(&e, "kr-pipa/regulator")
            .unwrap()
            .clock_start
            .as_ref()
            .unwrap()
            .to_string(),
        "2025-11-17T16:00:00+09:00[Asia/Seoul]"
    );
}

#[test]
fn the_awareness_time_decides_whether_the_kisa_report_was_late() {
    let s = country("KR", 1000, &[NAME]);
    let reported = "cause: unauthorised_external_access\nreported:\n  kr-network-act/regulator: 2025-11-19T21:35:00+09:00\n";
    // The regulator's awareness time: 17 Nov 16:00. Late.
    let msit = run(
        &s,
        &facts(&format!(
            "awareness_at: 2025-11-17T16:00:00+09:00\n{reported}"
        )),
    );
    assert_eq!(
        duty(&msit, "kr-network-act/regulator").unwrap().status,
        Status::Late
    );
    // The company's: 18 Nov 22:52. In time.
    let company = run(
        &s,
        &facts(&format!(
            "awareness_at: 2025-11-18T22:52:00+09:00\n{reported}"
        )),
    );
    assert_eq!(
        duty(&company, "kr-network-act/regulator").unwrap().status,
        Status::Met
    );
}

#[test]
fn new_york_30_days_after_discovery_end_of_day() {
    let e = run(
        &state("US-NY", 10, &[NAME, SSN]),
        &facts("discovered_at: 2025-01-10T15:00:00-05:00\nencrypted: false\n"),
    );
    assert_eq!(
        deadline(&e, "us-ny/individuals"),
        "2025-02-09T23:59:59-05:00[America/New_York]"
    );
}

#[test]
fn new_york_30_days_across_the_end_of_daylight_saving() {
    // Discovered in EDT, due in EST: still the end of the 30th local day.
    let e = run(
        &state("US-NY", 10, &[NAME, SSN]),
        &facts("discovered_at: 2025-10-20T12:00:00-04:00\nencrypted: false\n"),
    );
    assert_eq!(
        deadline(&e, "us-ny/individuals"),
        "2025-11-19T23:59:59-05:00[America/New_York]"
    );
}

#[test]
fn gdpr_72_hours_in_the_lead_authority_zone_across_the_spring_change() {
    // Friday 28 Mar 2025 10:00 UTC; Ireland moves to summer time on 30 Mar:
    // 72 elapsed hours end at 11:00 local on Monday.
    let e = run(
        &country("IE", 5, &[NAME]),
        &facts(
            "awareness_at: 2025-03-28T10:00:00Z\nharm: possible\nzones:\n  eu-gdpr: Europe/Dublin\n",
        ),
    );
    assert_eq!(
        deadline(&e, "eu-gdpr/regulator"),
        "2025-03-31T11:00:00+01:00[Europe/Dublin]"
    );
    // Without an override the deadline is shown in Brussels time.
    let e = run(
        &country("IE", 5, &[NAME]),
        &facts("awareness_at: 2025-03-28T10:00:00Z\nharm: possible\n"),
    );
    assert_eq!(
        deadline(&e, "eu-gdpr/regulator"),
        "2025-03-31T12:00:00+02:00[Europe/Brussels]"
    );
}

#[test]
fn uk_72_hours_across_the_autumn_change() {
    // Friday 24 Oct 2025 09:00 BST; clocks go back on 26 Oct.
    let e = run(
        &country("GB", 5, &[NAME]),
        &facts("awareness_at: 2025-10-24T09:00:00+01:00\nharm: possible\n"),
    );
    assert_eq!(
        deadline(&e, "uk-gdpr/regulator"),
        "2025-10-27T08:00:00+00:00[Europe/London]"
    );
}

#[test]
fn singapore_three_calendar_days_after_assessment() {
    let e = run(
        &country("SG", 600, &[NAME]),
        &facts("assessed_at: 2025-12-31T20:00:00+08:00\nharm: possible\n"),
    );
    assert_eq!(
        deadline(&e, "sg-pdpa/regulator"),
        "2026-01-03T23:59:59+08:00[Asia/Singapore]"
    );
}

#[test]
fn texas_attorney_general_30_days_and_individuals_60_from_determination() {
    let e = run(
        &state("US-TX", 300, &[NAME, SSN]),
        &facts("determined_at: 2025-02-01T10:00:00-06:00\nencrypted: false\n"),
    );
    assert_eq!(
        deadline(&e, "us-tx/attorney-general"),
        "2025-03-03T23:59:59-06:00[America/Chicago]"
    );
    assert_eq!(
        deadline(&e, "us-tx/individuals"),
        "2025-04-02T23:59:59-05:00[America/Chicago]"
    );
}

#[test]
fn missed_due_no_fixed_deadline_and_clock_not_started() {
    let s = state("US-NY", 10, &[NAME, SSN]);
    let before = run(
        &s,
        &facts(
            "discovered_at: 2025-01-10T15:00:00-05:00\nnow: 2025-02-09T23:00:00-05:00\nencrypted: false\n",
        ),
    );
    assert_eq!(
        duty(&before, "us-ny/individuals").unwrap().status,
        Status::Due
    );
    let after = run(
        &s,
        &facts(
            "discovered_at: 2025-01-10T15:00:00-05:00\nnow: 2025-02-10T00:00:00-05:00\nencrypted: false\n",
        ),
    );
    assert_eq!(
        duty(&after, "us-ny/individuals").unwrap().status,
        Status::Missed
    );
    assert!(after.any_overdue());
    assert_eq!(
        duty(&after, "us-ny/state-agencies").unwrap().status,
        Status::NoFixedDeadline
    );
    let no_clock = run(&s, &facts("encrypted: false\n"));
    let d = duty(&no_clock, "us-ny/individuals").unwrap();
    assert_eq!(d.status, Status::ClockNotStarted);
    assert!(
        d.notes.iter().any(|n| n.contains("`discovered_at`")),
        "{:?}",
        d.notes
    );
}

#[test]
fn duties_are_sorted_overdue_first_then_by_deadline() {
    let s = common::summary(
        &[
            ("KR", j(2000, 0, &[(NAME, 2000)])),
            ("US", j(10, 0, &[(NAME, 10), (SSN, 10)])),
        ],
        &[("US-NY", j(10, 0, &[(NAME, 10), (SSN, 10)]))],
    );
    let e = run(
        &s,
        &facts(
            "awareness_at: 2025-11-17T16:00:00+09:00\ndiscovered_at: 2025-11-18T22:52:00+09:00\nnow: 2025-11-19T00:00:00+09:00\ncause: unauthorised_external_access\nencrypted: false\nsec_registrant: false\n",
        ),
    );
    let keys: Vec<String> = e.duties.iter().map(steward_notify::Duty::key).collect();
    assert_eq!(
        keys.first().map(String::as_str),
        Some("kr-network-act/regulator"),
        "{keys:?}"
    );
    assert_eq!(e.duties[0].status, Status::Missed);
    let fixed: Vec<_> = e
        .duties
        .iter()
        .filter_map(|d| d.deadline.as_ref().map(|z| z.timestamp()))
        .collect();
    assert!(fixed.windows(2).all(|w| w[0] <= w[1]), "{keys:?}");
    assert!(e.duties.last().unwrap().deadline.is_none());
}
