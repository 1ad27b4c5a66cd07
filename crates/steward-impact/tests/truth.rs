//! The impact of each attack on a generated platform, computed from the
//! written files only (logs, stores, manifest), equals the generator's
//! ground truth exactly: customers, third parties, people and categories by
//! jurisdiction, for the JSON Lines and the Parquet gateway log alike.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use serde_json::Value;
use steward_impact::{Engine, Inputs, NoProgress, Selector, compute};
use steward_model::impact::ImpactSummary;

struct Platform {
    _dir: tempfile::TempDir,
    root: PathBuf,
    truth: Value,
}

static PLATFORM: LazyLock<Platform> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let cfg = steward_synth::Config {
        customers: 3000,
        days: 3,
        gateway_format: steward_synth::GatewayFormat::Both,
        ..steward_synth::Config::default()
    };
    steward_synth::generate(&cfg, dir.path(), &steward_synth::NoProgress).unwrap();
    let root = dir.path().to_path_buf();
    let truth =
        serde_json::from_slice(&std::fs::read(root.join("truth/summary.json")).unwrap()).unwrap();
    Platform {
        _dir: dir,
        root,
        truth,
    }
});

fn inputs(root: &Path, log: &str) -> Inputs {
    Inputs {
        access: vec![root.join(log)],
        ..Inputs::platform(root)
    }
}

const LOGS: [&str; 2] = ["logs/gateway/access.jsonl", "logs/gateway/access.parquet"];

/// Jurisdiction keys as the truth writes them: the country, or for the US
/// the state.
fn by_jurisdiction(
    s: &ImpactSummary,
) -> (
    BTreeMap<String, u64>,
    BTreeMap<String, BTreeMap<String, u64>>,
) {
    let mut people = BTreeMap::new();
    let mut cats = BTreeMap::new();
    let countries = s.by_country.iter().filter(|(c, _)| c.as_str() != "US");
    let states = s
        .by_subdivision
        .iter()
        .filter(|(c, _)| c.starts_with("US-"));
    for (k, j) in countries.chain(states) {
        people.insert(k.clone(), j.people);
        cats.insert(k.clone(), j.by_category.clone());
    }
    (people, cats)
}

fn assert_matches_truth(attack: &str, s: &ImpactSummary) {
    let t = &PLATFORM.truth["attacks"][attack];
    assert_eq!(
        s.customers,
        t["affected_customers"].as_u64().unwrap(),
        "{attack}: customers"
    );
    assert_eq!(
        s.third_parties,
        t["affected_third_parties"].as_u64().unwrap(),
        "{attack}: third parties"
    );
    assert_eq!(s.people, s.customers + s.third_parties);
    let (people, cats) = by_jurisdiction(s);
    let want_people: BTreeMap<String, u64> =
        serde_json::from_value(t["people_by_jurisdiction"].clone()).unwrap();
    let want_cats: BTreeMap<String, BTreeMap<String, u64>> =
        serde_json::from_value(t["by_jurisdiction"].clone()).unwrap();
    assert_eq!(people, want_people, "{attack}: people by jurisdiction");
    assert_eq!(cats, want_cats, "{attack}: categories by jurisdiction");
    // Every US person has a state, so the country total is the states' sum.
    let us = s.by_country.get("US").map_or(0, |j| j.people);
    let states: u64 = want_people
        .iter()
        .filter(|(k, _)| k.starts_with("US-"))
        .map(|(_, v)| v)
        .sum();
    assert_eq!(us, states, "{attack}: US total");
    // The time line accounts for every event and every person once.
    assert_eq!(s.timeline.iter().map(|b| b.events).sum::<u64>(), s.events);
    assert_eq!(
        s.timeline.iter().map(|b| b.new_people).sum::<u64>(),
        s.people
    );
}

fn run(attack: &str, selector: &Selector) {
    for log in LOGS {
        let impact = compute(&inputs(&PLATFORM.root, log), selector, &[], &NoProgress)
            .unwrap_or_else(|e| panic!("{attack} over {log}: {e}"));
        assert_matches_truth(attack, &impact.summary);
    }
}

#[test]
fn replay_is_the_forged_tokens_of_the_retained_key() {
    let s = Selector {
        signing_keys: vec!["member-2021".into()],
        forged_only: true,
        ..Selector::default()
    };
    run("replay", &s);
    // The key alone also catches members' own legitimate sessions.
    let all = Selector {
        forged_only: false,
        ..s
    };
    let impact = compute(&inputs(&PLATFORM.root, LOGS[1]), &all, &[], &NoProgress).unwrap();
    let t = &PLATFORM.truth["attacks"]["replay"];
    assert!(impact.summary.events > t["events"].as_u64().unwrap());
}

#[test]
fn stuffing_is_the_attack_tool_sessions() {
    run(
        "stuffing",
        &Selector {
            user_agents: vec!["python-requests/2.31.0".into()],
            ..Selector::default()
        },
    );
}

#[test]
fn scraper_is_the_partner_key_used_from_abroad() {
    run(
        "scraper",
        &Selector {
            principals: vec!["ak_hanriver_prod".into()],
            exclude_countries: vec!["KR".into()],
            ..Selector::default()
        },
    );
}

/// The responder's question: which staff principal read the most member
/// records in one day (KST)? Its id and that day.
fn busiest_agent_day(root: &Path) -> (String, i64) {
    let engine = Engine::open(&inputs(root, LOGS[1])).unwrap();
    let day = "CAST((CAST(ts AS BIGINT) + 32400000) / 86400000 AS BIGINT)";
    let table = steward_impact::sql::run(
        &engine,
        &format!(
            "SELECT auth_sub, {day} AS day, count(*) AS n FROM access \
             WHERE auth_sub_type = 'staff' AND http_route = '/internal/cs/members/{{id}}' \
             GROUP BY auth_sub, day ORDER BY n DESC LIMIT 1"
        ),
        false,
    )
    .unwrap();
    let row = table.lines().nth(3).unwrap();
    let cells: Vec<&str> = row
        .split('|')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    (cells[0].to_owned(), cells[1].parse().unwrap())
}

#[test]
fn insider_is_the_agent_on_the_day_of_the_spree() {
    let (agent, day) = busiest_agent_day(&PLATFORM.root);
    let since = day * 86_400_000 - 9 * 3_600_000;
    run(
        "insider",
        &Selector {
            principals: vec![agent],
            since_ms: Some(since),
            until_ms: Some(since + 86_400_000),
            ..Selector::default()
        },
    );
}
