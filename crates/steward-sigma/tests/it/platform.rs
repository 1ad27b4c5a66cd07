//! The pack on the synthetic platform: every planted attack but credential
//! stuffing is caught by some rule, and no match is made of benign events
//! alone. Stuffing across many addresses is the native
//! `login-failure-spread` detector's (its bar follows the platform's own
//! rate, which a Sigma threshold cannot); on large platforms the pack's
//! per-address rule catches it too.

use std::collections::{BTreeMap, HashMap};

use steward_sigma::{EngineConfig, SigmaEngine};
use steward_synth::traffic::Attack;

use crate::synth::Platform;

/// What a run of the pack over a platform found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Events per attack (and `benign`).
    pub events: BTreeMap<&'static str, u64>,
    /// Per attack: first match time and the rules that caught it.
    pub detected: BTreeMap<&'static str, (i64, Vec<String>)>,
    /// Matches whose events are all benign, per rule title.
    pub false_alerts: BTreeMap<String, u64>,
    /// Matches per rule title.
    pub per_rule: BTreeMap<String, u64>,
}

pub fn evaluate(platform: Platform) -> Outcome {
    let rules = crate::pack::pack();
    // The generator places a few records up to a minute before the hour they
    // are written in; a minute of lateness absorbs them.
    let config = EngineConfig {
        allowed_lateness_ms: 60_000,
        ..EngineConfig::default()
    };
    let mut engine = SigmaEngine::new(rules, config);
    let mut attack_of: HashMap<String, Attack> = HashMap::new();
    let mut outcome = Outcome::default();
    let mut matches = Vec::new();
    platform.for_each(|event, attack| {
        let name = attack.map_or("benign", Attack::name);
        *outcome.events.entry(name).or_default() += 1;
        if let Some(a) = attack {
            attack_of.insert(event.event_id.clone(), a);
        }
        engine.process(event, &mut matches);
    });
    engine.finish(&mut matches);
    for m in &matches {
        *outcome.per_rule.entry(m.title.to_string()).or_default() += 1;
        let attacks: Vec<Attack> = m
            .event_ids
            .iter()
            .filter_map(|id| attack_of.get(id).copied())
            .collect();
        if attacks.is_empty() {
            *outcome.false_alerts.entry(m.title.to_string()).or_default() += 1;
        }
        for a in attacks {
            let entry = outcome
                .detected
                .entry(a.name())
                .or_insert((m.time_ms, Vec::new()));
            entry.0 = entry.0.min(m.time_ms);
            if !entry.1.contains(&m.title.to_string()) {
                entry.1.push(m.title.to_string());
            }
        }
    }
    outcome
}

#[test]
fn pack_catches_every_planted_attack_without_false_alerts() {
    let outcome = evaluate(Platform {
        customers: 2_000,
        days: 3,
        seed: 2025,
        events: None,
    });
    for attack in Attack::ALL.into_iter().filter(|a| *a != Attack::Stuffing) {
        assert!(
            outcome.detected.contains_key(attack.name()),
            "{} not detected: {outcome:#?}",
            attack.name()
        );
    }
    assert!(outcome.false_alerts.is_empty(), "{outcome:#?}");
}
