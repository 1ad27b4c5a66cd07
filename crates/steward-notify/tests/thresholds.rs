//! Each regime's threshold edges and triggers, one side of the line and the
//! other.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;

const AWARE: &str = "awareness_at: 2025-11-17T16:00:00+09:00\ndiscovered_at: 2025-11-17T16:00:00+09:00\ndetermined_at: 2025-11-17T16:00:00+09:00\nassessed_at: 2025-11-17T16:00:00+09:00\n";

fn with(extra: &str) -> steward_notify::IncidentFacts {
    facts(&format!("{AWARE}{extra}"))
}

#[test]
fn korea_pipa_regulator_from_1000_subjects() {
    let f = with("cause: insider\n");
    let below = run(&country("KR", 999, &[NAME, EMAIL]), &f);
    assert!(duty(&below, "kr-pipa/regulator").is_none());
    let why = why_not(&below, "kr-pipa", Some("regulator")).unwrap();
    assert!(why.contains("999 people, needs at least 1000"), "{why}");
    // Individuals are owed notice whatever the count.
    assert!(duty(&below, "kr-pipa/individuals").is_some());

    let at = run(&country("KR", 1000, &[NAME, EMAIL]), &f);
    let d = duty(&at, "kr-pipa/regulator").unwrap();
    assert!(
        d.reason.contains("1000 people (at least 1000)"),
        "{}",
        d.reason
    );
}

#[test]
fn korea_pipa_regulator_below_1000_when_hacked_or_unique_ids_leak() {
    let hacked = run(
        &country("KR", 3, &[NAME]),
        &with("cause: unauthorised_external_access\n"),
    );
    assert!(duty(&hacked, "kr-pipa/regulator").is_some());
    let rrn = run(
        &country(
            "KR",
            3,
            &[
                NAME,
                "user.government_id.national_identification_number.kr_rrn",
            ],
        ),
        &with("cause: insider\n"),
    );
    let d = duty(&rrn, "kr-pipa/regulator").unwrap();
    assert!(d.reason.contains("kr_rrn"), "{}", d.reason);
}

#[test]
fn korea_network_act_only_for_intrusions() {
    let s = country("KR", 10, &[NAME]);
    assert!(
        duty(
            &run(&s, &with("cause: insider\n")),
            "kr-network-act/regulator"
        )
        .is_none()
    );
    assert!(
        duty(
            &run(&s, &with("cause: unauthorised_external_access\n")),
            "kr-network-act/regulator"
        )
        .is_some()
    );
}

#[test]
fn california_ag_copy_above_500_residents() {
    let f = with("encrypted: false\n");
    let at = run(&state("US-CA", 500, &[NAME, SSN]), &f);
    assert!(duty(&at, "us-ca/individuals").is_some());
    assert!(duty(&at, "us-ca/ag-copy").is_none());
    let why = why_not(&at, "us-ca", Some("ag-copy")).unwrap();
    assert!(
        why.contains("US-CA 500") && why.contains("needs more than 500"),
        "{why}"
    );
    let above = run(&state("US-CA", 501, &[NAME, SSN]), &f);
    assert!(duty(&above, "us-ca/ag-copy").is_some());
}

#[test]
fn california_needs_its_kind_of_personal_information() {
    // Name and e-mail only, as in the 2025 case: outside the statute.
    let e = run(&state("US-CA", 412, &[NAME, EMAIL]), &with(""));
    assert!(duty(&e, "us-ca/individuals").is_none());
    let why = why_not(&e, "us-ca", None).unwrap();
    assert!(
        why.contains("no personal information as the regime defines it"),
        "{why}"
    );
    // Name and SSN, but encrypted with the key kept safe: exempt.
    let enc = run(
        &state("US-CA", 412, &[NAME, SSN]),
        &with("encrypted: true\n"),
    );
    assert!(duty(&enc, "us-ca/individuals").is_none());
    // E-mail with password is enough without a name.
    let creds = run(
        &state("US-CA", 2, &[EMAIL, "user.authorization.password"]),
        &with("encrypted: false\n"),
    );
    assert!(duty(&creds, "us-ca/individuals").is_some());
}

#[test]
fn california_threshold_counts_only_people_with_qualifying_data() {
    // 600 residents affected, but only 450 had an SSN leaked.
    let s = common::summary(
        &[("US", j(600, 0, &[(NAME, 600), (SSN, 450)]))],
        &[("US-CA", j(600, 0, &[(NAME, 600), (SSN, 450)]))],
    );
    let e = run(&s, &with("encrypted: false\n"));
    assert!(duty(&e, "us-ca/ag-copy").is_none());
    assert!(
        why_not(&e, "us-ca", Some("ag-copy"))
            .unwrap()
            .contains("450 people")
    );
}

#[test]
fn texas_attorney_general_from_250_texans() {
    let f = with("encrypted: false\n");
    assert!(
        duty(
            &run(&state("US-TX", 249, &[NAME, SSN]), &f),
            "us-tx/attorney-general"
        )
        .is_none()
    );
    let d = run(&state("US-TX", 250, &[NAME, SSN]), &f);
    assert!(duty(&d, "us-tx/attorney-general").is_some());
    assert!(duty(&d, "us-tx/cras").is_none());
}

#[test]
fn new_york_credit_agencies_above_5000() {
    let f = with("encrypted: false\n");
    let at = run(&state("US-NY", 5000, &[NAME, SSN]), &f);
    assert!(duty(&at, "us-ny/cras").is_none());
    assert!(duty(&at, "us-ny/individuals").is_some());
    assert!(duty(&at, "us-ny/state-agencies").is_some());
    assert!(duty(&run(&state("US-NY", 5001, &[NAME, SSN]), &f), "us-ny/cras").is_some());
}

#[test]
fn florida_department_from_500() {
    let f = with("encrypted: false\nharm: possible\n");
    assert!(duty(&run(&state("US-FL", 499, &[NAME, CARD]), &f), "us-fl/dla").is_none());
    assert!(duty(&run(&state("US-FL", 500, &[NAME, CARD]), &f), "us-fl/dla").is_some());
    // Credit agencies only above 1,000.
    assert!(duty(&run(&state("US-FL", 1000, &[NAME, CARD]), &f), "us-fl/cras").is_none());
    assert!(duty(&run(&state("US-FL", 1001, &[NAME, CARD]), &f), "us-fl/cras").is_some());
}

#[test]
fn washington_attorney_general_above_500_and_no_duty_without_risk() {
    let f = with("encrypted: false\nharm: possible\n");
    assert!(
        duty(
            &run(&state("US-WA", 500, &[NAME, SSN]), &f),
            "us-wa/attorney-general"
        )
        .is_none()
    );
    assert!(
        duty(
            &run(&state("US-WA", 501, &[NAME, SSN]), &f),
            "us-wa/attorney-general"
        )
        .is_some()
    );
    let none = run(
        &state("US-WA", 501, &[NAME, SSN]),
        &with("encrypted: false\nharm: unlikely\n"),
    );
    assert!(duty(&none, "us-wa/individuals").is_none());
    assert!(
        why_not(&none, "us-wa", Some("individuals"))
            .unwrap()
            .contains("harm assessed as unlikely")
    );
}

#[test]
fn massachusetts_has_no_numeric_minimum() {
    let e = run(
        &state("US-MA", 1, &[NAME, SSN]),
        &with("encrypted: false\nharm: possible\n"),
    );
    assert!(duty(&e, "us-ma/individuals").is_some());
    assert!(duty(&e, "us-ma/ag-ocabr").is_some());
}

#[test]
fn singapore_commission_from_500_or_significant_harm() {
    let f = with("harm: possible\n");
    assert!(duty(&run(&country("SG", 499, &[NAME]), &f), "sg-pdpa/regulator").is_none());
    assert!(duty(&run(&country("SG", 500, &[NAME]), &f), "sg-pdpa/regulator").is_some());
    let serious = run(&country("SG", 3, &[NAME]), &with("harm: likely_serious\n"));
    assert!(duty(&serious, "sg-pdpa/regulator").is_some());
    assert!(duty(&serious, "sg-pdpa/individuals").is_some());
}

#[test]
fn japan_commission_above_1000_persons() {
    let f = with("cause: loss\n");
    let at = run(&country("JP", 1000, &[NAME, EMAIL]), &f);
    assert!(duty(&at, "jp-appi/ppc-preliminary").is_none());
    assert!(duty(&at, "jp-appi/ppc-final").is_none());
    let above = run(&country("JP", 1001, &[NAME, EMAIL]), &f);
    assert!(duty(&above, "jp-appi/ppc-preliminary").is_some());
    assert!(duty(&above, "jp-appi/ppc-final").is_some());
    assert!(duty(&above, "jp-appi/ppc-final-improper-purpose").is_none());
}

#[test]
fn japan_improper_purpose_gets_60_days_for_any_count() {
    let e = run(
        &country("JP", 2, &[NAME]),
        &with("cause: unauthorised_external_access\n"),
    );
    assert!(duty(&e, "jp-appi/ppc-final").is_none());
    let d = duty(&e, "jp-appi/ppc-final-improper-purpose").unwrap();
    assert_eq!(
        d.deadline.as_ref().unwrap().to_string(),
        "2026-01-16T23:59:59+09:00[Asia/Tokyo]"
    );
}

#[test]
fn china_major_incident_above_a_million_and_ciio_within_an_hour() {
    let f = with("");
    assert!(
        duty(
            &run(&country("CN", 1_000_000, &[NAME]), &f),
            "cn-pipl/regulator-major"
        )
        .is_none()
    );
    let major = run(&country("CN", 1_000_001, &[NAME]), &f);
    let d = duty(&major, "cn-pipl/regulator-major").unwrap();
    assert_eq!(
        d.deadline.as_ref().unwrap().to_string(),
        "2025-11-17T19:00:00+08:00[Asia/Shanghai]"
    );
    let ciio = run(
        &country("CN", 5, &[NAME]),
        &with("critical_infrastructure: true\n"),
    );
    assert!(duty(&ciio, "cn-pipl/regulator-ciio").is_some());
}

#[test]
fn sec_needs_a_registrant_and_materiality() {
    let s = country("KR", 10, &[NAME]);
    let not_listed = run(&s, &with("sec_registrant: false\n"));
    assert!(duty(&not_listed, "us-sec-8k/investors").is_none());
    let unknown = run(&s, &with(""));
    let why = why_not(&unknown, "us-sec-8k", None).unwrap();
    assert!(why.contains("sec_registrant"), "{why}");
    let not_material = run(&s, &with("sec_registrant: true\nmaterial: false\n"));
    assert!(duty(&not_material, "us-sec-8k/investors").is_none());
    let material = run(
        &s,
        &with("sec_registrant: true\nmateriality_determined_at: 2025-11-18T22:52:00+09:00\n"),
    );
    let d = duty(&material, "us-sec-8k/investors").unwrap();
    assert!(d.everyone && d.people == 10, "{d:?}");
}

#[test]
fn gdpr_by_residence_or_establishment_and_by_risk() {
    let de = country("DE", 4, &[NAME]);
    let e = run(&de, &with("harm: possible\n"));
    assert!(duty(&e, "eu-gdpr/regulator").is_some());
    assert!(duty(&e, "eu-gdpr/individuals").is_none());
    let unlikely = run(&de, &with("harm: unlikely\n"));
    assert!(duty(&unlikely, "eu-gdpr/regulator").is_none());
    // Established in Ireland: Korean customers are covered too.
    let kr = country("KR", 7, &[NAME]);
    let est = run(
        &kr,
        &with("harm: likely_serious\nencrypted: false\nestablished_in: [IE]\n"),
    );
    let d = duty(&est, "eu-gdpr/individuals").unwrap();
    assert!(d.everyone && d.people == 7);
    assert!(duty(&run(&kr, &with("harm: possible\n")), "eu-gdpr/regulator").is_none());
}

#[test]
fn missing_facts_are_assumed_and_said() {
    let e = run(&country("DE", 4, &[NAME]), &with(""));
    let d = duty(&e, "eu-gdpr/regulator").unwrap();
    assert!(
        d.assumptions
            .iter()
            .any(|a| a.contains("`harm` not assessed")),
        "{:?}",
        d.assumptions
    );
}

#[test]
fn rules_not_yet_in_force_are_considered_not_applied() {
    let s = country("IN", 50, &[NAME]);
    let e = run(&s, &with(""));
    assert!(e.duties.iter().all(|d| d.regime != "in-dpdp"));
    assert!(
        why_not(&e, "in-dpdp", None)
            .unwrap()
            .contains("in force from 2027-05-13")
    );
    let later = run(&s, &facts("awareness_at: 2027-06-01T09:00:00+05:30\n"));
    let d = duty(&later, "in-dpdp/board-report").unwrap();
    assert_eq!(
        d.deadline.as_ref().unwrap().to_string(),
        "2027-06-04T09:00:00+05:30[Asia/Kolkata]"
    );
    // Taiwan's amended reporting duty is a draft.
    let tw = run(&country("TW", 500, &[NAME]), &with(""));
    assert!(duty(&tw, "tw-pdpa/individuals").is_some());
    assert!(duty(&tw, "tw-pdpa/regulator").is_none());
    assert!(
        why_not(&tw, "tw-pdpa", Some("regulator"))
            .unwrap()
            .contains("not yet in force")
    );
}

#[test]
fn australia_needs_serious_harm_but_the_assessment_clock_runs_from_suspicion() {
    let s = country("AU", 20, &[NAME]);
    let e = run(
        &s,
        &facts("suspected_at: 2025-03-01T10:00:00+11:00\nharm: possible\n"),
    );
    assert!(duty(&e, "au-ndb/regulator").is_none());
    let a = duty(&e, "au-ndb/assessment").unwrap();
    assert_eq!(
        a.deadline.as_ref().unwrap().to_string(),
        "2025-03-31T23:59:59+11:00[Australia/Sydney]"
    );
}

#[test]
fn regimes_without_residents_are_listed_as_not_triggered() {
    let e = run(&country("KR", 5, &[NAME]), &with("sec_registrant: false\n"));
    let why = why_not(&e, "jp-appi", None).unwrap();
    assert_eq!(why, "no affected residents of JP");
    assert_eq!(e.regimes_considered, 17);
}
