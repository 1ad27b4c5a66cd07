//! How much of each kind of traffic each simulated hour holds.

use crate::staff::Roster;

/// One hour in milliseconds.
pub const HOUR_MS: i64 = 3_600_000;

/// Relative customer activity by hour of day in Korea (KST).
pub const DIURNAL: [f64; 24] = [
    0.45, 0.30, 0.20, 0.15, 0.12, 0.15, 0.30, 0.55, 0.80, 0.95, 1.00, 1.05, 1.15, 1.10, 1.00, 0.95,
    0.95, 1.00, 1.05, 1.15, 1.30, 1.40, 1.30, 0.85,
];

/// The forged-token replay: which member ids it walks in which hour.
#[derive(Debug, Clone)]
pub struct ReplayPlan {
    /// First hour with forged traffic.
    pub start_hour: u32,
    /// Ids walked per hour (index = hour).
    pub counts: Vec<u32>,
    /// Ids walked before each hour.
    pub offsets: Vec<u64>,
    /// Total ids walked.
    pub total: u64,
}

/// Everything a slice needs to know.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Seed.
    pub seed: u64,
    /// Start of hour 0 (midnight KST), epoch milliseconds.
    pub start_ms: i64,
    /// Weekday of day 0 (0 = Monday).
    pub start_weekday: u32,
    /// Hours simulated.
    pub hours: u32,
    /// Members.
    pub customers: u64,
    /// The staff roster.
    pub roster: Roster,
    /// Mean customer sessions in an hour of weight 1.
    pub sessions_mean: f64,
    /// Mean distinct reads per support agent per working hour.
    pub agent_rate: f64,
    /// Members the nightly batch job reads.
    pub batch_per_night: u64,
    /// Mean partner reads per business hour.
    pub partner_rate: f64,
    /// The replay attack.
    pub replay: Option<ReplayPlan>,
    /// Credential stuffing: first hour and login attempts per hour (3 hours).
    pub stuffing: Option<(u32, u64)>,
    /// Insider: agent roster index, day, and distinct reads.
    pub insider: Option<(u32, u32, u64)>,
    /// Scraper: first hour, hours, reads per hour.
    pub scraper: Option<(u32, u32, u64)>,
}

/// Traffic sizes derived from the configuration.
pub struct Sizing {
    /// Target gateway events.
    pub events: u64,
    /// Replay share of members walked.
    pub replay_fraction: f64,
}

fn replay_weight(kst_hour: u32) -> f64 {
    // The operator works from UTC+8 during the day and evening.
    if (11..=23).contains(&kst_hour) || kst_hour <= 2 {
        1.0
    } else {
        0.1
    }
}

impl Plan {
    /// Builds the plan. `replay_start_hour`, when given, is where the replay
    /// begins (the real breach began on 14 April 2025).
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        seed: u64,
        start_ms: i64,
        start_weekday: u32,
        days: u32,
        customers: u64,
        roster: Roster,
        sizing: &Sizing,
        attacks: &[super::Attack],
        replay_start_hour: Option<u32>,
    ) -> Self {
        use super::Attack;
        let hours = days * 24;
        let n = customers;
        let has = |a: Attack| attacks.contains(&a);

        let replay = has(Attack::Replay).then(|| {
            let start_hour = replay_start_hour
                .filter(|h| *h + 72 <= hours)
                .unwrap_or(hours / 5);
            let total = ((n as f64) * sizing.replay_fraction).round() as u64;
            let weights: Vec<f64> = (0..hours)
                .map(|h| {
                    if h < start_hour {
                        0.0
                    } else {
                        replay_weight(h % 24)
                    }
                })
                .collect();
            let sum: f64 = weights.iter().sum();
            let mut counts: Vec<u32> = weights
                .iter()
                .map(|w| (total as f64 * w / sum.max(f64::MIN_POSITIVE)).floor() as u32)
                .collect();
            let mut left = total.saturating_sub(counts.iter().map(|c| u64::from(*c)).sum());
            for (c, w) in counts.iter_mut().zip(&weights) {
                if left == 0 {
                    break;
                }
                if *w > 0.5 {
                    *c += 1;
                    left -= 1;
                }
            }
            let mut offsets = Vec::with_capacity(counts.len());
            let mut acc = 0u64;
            for c in &counts {
                offsets.push(acc);
                acc += u64::from(*c);
            }
            ReplayPlan {
                start_hour,
                counts,
                offsets,
                total: acc,
            }
        });
        let stuffing_attempts = (n / 10).max(3000);
        let stuffing =
            has(Attack::Stuffing).then(|| ((days * 55 / 100) * 24 + 1, stuffing_attempts / 3));
        let agents = roster.support_agents();
        let insider_reads = (n / 20).clamp(500, 20_000);
        let insider = if has(Attack::Insider) {
            agents
                .get(3)
                .or(agents.first())
                .map(|a| (*a, days * 40 / 100, insider_reads))
        } else {
            None
        };
        let scraper_hours = 48.min(hours.saturating_sub((days * 70 / 100) * 24)).max(1);
        let scraper_reads = (n / 10).max(1000);
        let scraper = has(Attack::Scraper).then(|| {
            (
                (days * 70 / 100) * 24,
                scraper_hours,
                scraper_reads / u64::from(scraper_hours),
            )
        });

        // Normal traffic fills what the attacks leave of the target.
        let attack_events = replay.as_ref().map_or(0, |r| r.total * 21 / 10)
            + stuffing.map_or(0, |_| stuffing_attempts + stuffing_attempts / 200 * 4)
            + insider.map_or(0, |(_, _, r)| r)
            + scraper.map_or(0, |(_, h, r)| u64::from(h) * r);
        let normal = sizing
            .events
            .saturating_sub(attack_events)
            .max(sizing.events / 10) as f64;
        let days_f = f64::from(days.max(1));
        let weight_day: f64 = DIURNAL.iter().sum();
        let sessions_mean = normal * 0.80 / 5.05 / (days_f * weight_day);
        let agent_count = agents.len().max(1) as f64;
        let agent_rate = normal * 0.06 / (agent_count * days_f * 8.0);
        let batch_per_night = ((normal * 0.09 / days_f) as u64).min(n);
        let partner_rate = normal * 0.05 / (days_f * 13.0);
        Self {
            seed,
            start_ms,
            start_weekday,
            hours,
            customers: n,
            roster,
            sessions_mean,
            agent_rate,
            batch_per_night,
            partner_rate,
            replay,
            stuffing,
            insider,
            scraper,
        }
    }
}
