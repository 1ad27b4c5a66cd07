use steward_model::event::Outcome;

use super::*;
use crate::detector::Detector;
use crate::identity::testkit::{Ev, assert_resumable, at, run};

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

fn located(
    s: i64,
    id: &str,
    who: (&str, PrincipalKind),
    country: &str,
) -> (AccessEvent, EventRole) {
    Ev::new(at(s), id)
        .by(who.0, who.1)
        .from("192.0.2.10", country)
        .access()
}

fn from(s: i64, id: &str, who: &str, country: &str) -> (AccessEvent, EventRole) {
    located(s, id, (who, PrincipalKind::Staff), country)
}

fn detector() -> GeoTravel {
    GeoTravel::new(&GeoTravelConfig::default()).unwrap()
}

fn keys(out: &[Detection]) -> Vec<(String, Severity, i64)> {
    out.iter()
        .map(|d| (d.key.clone(), d.severity, d.window_start_ms))
        .collect()
}

#[test]
fn a_new_country_after_learning_is_reported_one_seen_while_learning_is_not() {
    let events = [
        from(0, "a", "E1", "KR"),
        from(DAY, "b", "E1", "JP"),
        from(8 * DAY, "c", "E1", "JP"),
        from(8 * DAY + 10 * HOUR, "d", "E1", "CN"),
        from(8 * DAY + 20 * HOUR, "e", "E1", "CN"),
    ];
    let out = run(&mut detector(), &events);
    assert_eq!(
        keys(&out),
        [
            (
                "new-country:E1".into(),
                Severity::Medium,
                at(8 * DAY + 10 * HOUR)
            ),
            (
                "new-country:E1".into(),
                Severity::Medium,
                at(8 * DAY + 10 * HOUR)
            ),
        ]
    );
    let last = &out[1];
    assert_eq!(last.events, 2);
    assert_eq!(last.facts["new_countries"], serde_json::json!(["CN"]));
    assert_eq!(
        last.facts["known_countries"],
        serde_json::json!(["JP", "KR"])
    );
    assert_eq!(last.actors, ["principal:E1", "ip:192.0.2.10"]);
    assert_eq!(last.principal, "E1");
}

#[test]
fn principals_seen_for_less_than_the_learning_period_are_not_judged() {
    let events = [
        from(0, "a", "E1", "KR"),
        from(3 * DAY, "b", "E1", "DE"),
        from(6 * DAY, "c", "E1", "US"),
    ];
    assert!(run(&mut detector(), &events).is_empty());
}

#[test]
fn a_new_country_becomes_known_after_a_quiet_gap() {
    let events = [
        from(0, "a", "E1", "KR"),
        from(8 * DAY, "b", "E1", "JP"),
        from(10 * DAY, "c", "E1", "JP"),
        from(12 * DAY, "d", "E1", "JP"),
    ];
    let out = run(&mut detector(), &events);
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!(out[0].sample_event_ids, ["b"]);
}

#[test]
fn customers_are_left_out_unless_configured() {
    let customer = ("1042", PrincipalKind::Customer);
    let events = [
        located(0, "a", customer, "KR"),
        located(60, "b", customer, "US"),
    ];
    assert!(run(&mut detector(), &events).is_empty());
    let mut det = GeoTravel::new(&GeoTravelConfig {
        kinds: vec![PrincipalKind::Customer],
        ..GeoTravelConfig::default()
    })
    .unwrap();
    assert_eq!(run(&mut det, &events).len(), 1);
}

#[test]
fn impossible_travel_is_high_and_plausible_travel_is_not_reported() {
    let events = [
        from(0, "a", "E1", "KR"),
        // Seoul to Tokyo in three hours: plausible (1.3 h flight + 1 h).
        from(3 * HOUR, "b", "E1", "JP"),
        // Tokyo to the US in two hours: impossible.
        from(5 * HOUR, "c", "E1", "US"),
        // Amsterdam to Frankfurt in minutes: under the distance floor.
        from(2 * DAY, "d", "E2", "NL"),
        from(2 * DAY + 900, "e", "E2", "DE"),
    ];
    let out = run(&mut detector(), &events);
    assert_eq!(
        keys(&out),
        [("impossible-travel:E1".into(), Severity::High, at(5 * HOUR))]
    );
    let fastest = &out[0].facts["fastest"];
    assert_eq!(fastest["from"], "JP");
    assert_eq!(fastest["to"], "US");
    assert_eq!(fastest["minutes"], 120);
    assert!(fastest["implied_kmh"].as_u64().unwrap() > 4_000);
}

#[test]
fn the_travel_edge_is_distance_over_speed_plus_slack() {
    let km = distance_km(Country::parse("KR").unwrap(), Country::parse("JP").unwrap()).unwrap();
    let limit = (km / 900.0 * 3_600.0 + 3_600.0) as i64;
    let pair = |dt: i64| [from(0, "a", "E1", "KR"), from(dt, "b", "E1", "JP")];
    assert_eq!(run(&mut detector(), &pair(limit - 1)).len(), 1);
    assert!(run(&mut detector(), &pair(limit + 1)).is_empty());
}

#[test]
fn api_keys_are_actors_as_api_keys_and_state_is_capped() {
    let mut det = GeoTravel::new(&GeoTravelConfig {
        max_principals: 2,
        ..GeoTravelConfig::default()
    })
    .unwrap();
    let events = [
        located(0, "a", ("ak_1", PrincipalKind::ApiKey), "KR"),
        located(1, "b", ("ak_2", PrincipalKind::ApiKey), "KR"),
        located(2, "c", ("ak_3", PrincipalKind::ApiKey), "KR"),
        located(60, "d", ("ak_3", PrincipalKind::ApiKey), "BR"),
    ];
    let out = run(&mut det, &events);
    assert_eq!(out[0].actors[0], "api_key:ak_3");
    assert_eq!(det.stats().evicted, 1);
    assert_eq!(det.state.rules.tracks.len(), 2);
}

#[test]
fn events_without_a_country_and_failed_logins_are_ignored() {
    let mut unlocated = from(60, "b", "E1", "KR");
    unlocated.0.source.country = None;
    let mut failed = from(120, "c", "E1", "US");
    failed.0.outcome = Outcome::Denied;
    failed.1 = EventRole::Issuance;
    let out = run(
        &mut detector(),
        &[from(0, "a", "E1", "KR"), unlocated, failed],
    );
    assert!(out.is_empty());
}

#[test]
fn save_and_restore_continue_exactly() {
    let mut events = vec![from(0, "a", "E1", "KR"), from(0, "k", "E2", "KR")];
    for i in 0..8 {
        let s = 8 * DAY + i * 1_800;
        let country = ["CN", "KR", "US", "KR"][(i % 4) as usize];
        events.push(from(s, &format!("e{i}"), "E1", country));
    }
    events.push(from(10 * DAY, "late", "E2", "DE"));
    let out = assert_resumable(&|| Box::new(detector()), &events);
    assert!(out.iter().any(|d| d.key == "impossible-travel:E1"));
    assert!(out.iter().any(|d| d.key == "new-country:E2"));
}
