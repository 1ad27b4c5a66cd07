//! What to generate.

use jiff::civil::Date;

use crate::error::{Result, SynthError};
use crate::traffic::Attack;

/// Which platform to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Variant {
    /// The platform with its planted policy violations (flows without a
    /// transfer basis, the departed custodian's key, short log retention,
    /// secrets in config, personal data in the application log).
    #[default]
    Planted,
    /// The same platform with none of them: bases and contracts recorded,
    /// keys rotated and retired, retention long enough, no personal data in
    /// the application log, no secrets in config, no resident registration
    /// numbers in tickets.
    Clean,
}

/// How the gateway access log is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GatewayFormat {
    /// `logs/gateway/access.jsonl` only (the default).
    #[default]
    Jsonl,
    /// `logs/gateway/access.parquet` only, flat columns.
    Parquet,
    /// Both files, the same events.
    Both,
}

impl GatewayFormat {
    /// Whether the JSON Lines log is written.
    #[must_use]
    pub const fn jsonl(self) -> bool {
        matches!(self, Self::Jsonl | Self::Both)
    }

    /// Whether the Parquet log is written.
    #[must_use]
    pub const fn parquet(self) -> bool {
        matches!(self, Self::Parquet | Self::Both)
    }
}

/// Generator settings. Everything is deterministic for a seed.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Members (customers).
    pub customers: u64,
    /// Days of access traffic.
    pub days: u32,
    /// Target gateway events; `None` for about 20 per member per month.
    pub events: Option<u64>,
    /// Seed.
    pub seed: u64,
    /// First simulated day (midnight KST).
    pub start: Date,
    /// Attacks to replay.
    pub attacks: Vec<Attack>,
    /// Share of members the replay walks.
    pub replay_fraction: f64,
    /// Planted or clean.
    pub variant: Variant,
    /// Gateway log format(s).
    pub gateway_format: GatewayFormat,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            customers: 100_000,
            days: 30,
            events: None,
            seed: 2025,
            start: jiff::civil::date(2025, 4, 10),
            attacks: Attack::ALL.to_vec(),
            replay_fraction: 0.6,
            variant: Variant::Planted,
            gateway_format: GatewayFormat::Jsonl,
        }
    }
}

impl Config {
    /// Checks ranges.
    ///
    /// # Errors
    /// [`SynthError::InvalidConfig`] naming the option.
    pub fn validate(&self) -> Result<()> {
        let bad = |field, value: String, reason| {
            Err(SynthError::InvalidConfig {
                field,
                value,
                reason,
            })
        };
        if !(100..=40_000_000).contains(&self.customers) {
            return bad(
                "--customers",
                self.customers.to_string(),
                "must be between 100 and 40,000,000",
            );
        }
        if !(3..=400).contains(&self.days) {
            return bad("--days", self.days.to_string(), "must be between 3 and 400");
        }
        if let Some(e) = self.events.filter(|e| !(1_000..=2_000_000_000).contains(e)) {
            return bad(
                "--events",
                e.to_string(),
                "must be between 1,000 and 2,000,000,000",
            );
        }
        if !(0.0..=1.0).contains(&self.replay_fraction) {
            return bad(
                "replay fraction",
                self.replay_fraction.to_string(),
                "must be between 0 and 1",
            );
        }
        Ok(())
    }

    /// The target number of gateway events.
    #[must_use]
    pub fn target_events(&self) -> u64 {
        self.events
            .unwrap_or(self.customers * u64::from(self.days) * 20 / 30)
    }
}
