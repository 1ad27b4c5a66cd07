//! Test helper: the synthetic platform's gateway traffic, generated in
//! process hour by hour (as `steward generate` does), written as gateway
//! JSON lines and mapped back with [`super::gateway::access_event`], with
//! the attack (if any) that produced each event.

use steward_model::event::AccessEvent;
use steward_synth::staff::Roster;
use steward_synth::traffic::records::write_gateway_json;
use steward_synth::traffic::{
    Attack, HOUR_MS, Merger, Plan, RecordKind, generate_slice, plan_sizing,
};

/// 2025-04-10 00:00 KST, the generator's default first day (a Thursday).
pub const START_MS: i64 = 1_744_210_800_000;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Platform {
    pub customers: u64,
    pub days: u32,
    pub seed: u64,
    /// Target gateway events; `None` for the generator's default.
    pub events: Option<u64>,
}

impl Platform {
    pub fn plan(&self) -> Plan {
        let target = self
            .events
            .unwrap_or(self.customers * u64::from(self.days) * 20 / 30);
        let hours_to_breach = 4 * 24;
        Plan::new(
            self.seed,
            START_MS,
            3,
            self.days,
            self.customers,
            Roster::build(self.seed, self.customers),
            &plan_sizing(target, 0.6),
            &Attack::ALL,
            Some(hours_to_breach),
        )
    }

    /// Calls `f` with every gateway event in time order and its attack.
    pub fn for_each(&self, mut f: impl FnMut(&AccessEvent, Option<Attack>)) {
        let plan = self.plan();
        let staff_ids = Roster::build(self.seed, self.customers).ids();
        let mut merger = Merger::new();
        let mut line = Vec::new();
        let mut emit = |records: Vec<steward_synth::traffic::Record>| {
            for r in records {
                if let RecordKind::Gateway(req) = &r.kind {
                    line.clear();
                    write_gateway_json(&mut line, r.ts, r.seq, req, &staff_ids);
                    let text = std::str::from_utf8(&line).expect("utf-8");
                    let event = super::gateway::access_event(text).expect("gateway line maps");
                    f(&event, r.attack);
                }
            }
        };
        for hour in 0..plan.hours {
            let end = START_MS + i64::from(hour + 1) * HOUR_MS;
            emit(merger.push(generate_slice(&plan, hour), end));
        }
        emit(merger.finish());
    }
}
