//! What the engine returns: the duties that apply, each with its reason and
//! deadline, and the regimes or notices considered and not triggered.

use jiff::ZonedDateTime;
use serde::Serialize;

use crate::regime::{Clock, Who};

/// Where a duty stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The deadline passed and no notice is recorded.
    Missed,
    /// A notice is recorded after the deadline.
    Late,
    /// The deadline is ahead.
    Due,
    /// The event that starts the clock is not recorded yet.
    ClockNotStarted,
    /// The deadline could not be computed (a calendar lacks the year).
    Undetermined,
    /// The rule sets no fixed time ("without undue delay").
    NoFixedDeadline,
    /// A notice is recorded in time.
    Met,
}

impl Status {
    /// Label for tables.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Missed => "MISSED",
            Self::Late => "late",
            Self::Due => "due",
            Self::ClockNotStarted => "clock not started",
            Self::Undetermined => "undetermined",
            Self::NoFixedDeadline => "no fixed deadline",
            Self::Met => "met",
        }
    }

    /// True for missed deadlines and late notices.
    #[must_use]
    pub const fn is_overdue(self) -> bool {
        matches!(self, Self::Missed | Self::Late)
    }
}

/// One notice the company owes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duty {
    /// Regime id (`kr-pipa`).
    pub regime: String,
    /// Regime name.
    pub regime_name: String,
    /// Jurisdiction label (`KR`, `US-CA`).
    pub jurisdiction: String,
    /// Recipient id within the regime.
    pub recipient: String,
    /// Kind of recipient.
    pub who: Who,
    /// Who exactly.
    pub recipient_name: String,
    /// People the regime covers in this breach.
    pub people: u64,
    /// True when the regime covers everyone affected (an establishment or
    /// listing), not only residents.
    pub everyone: bool,
    /// Of which customers.
    pub customers: u64,
    /// Of which third parties (non-members in customers' records).
    pub third_parties: u64,
    /// People whose data meets the regime's definition (upper bound when the
    /// definition depends on categories).
    pub qualifying: u64,
    /// Why the duty fires, with counts.
    pub reason: String,
    /// Facts that were missing and taken to hold.
    pub assumptions: Vec<String>,
    /// The deadline rule in words.
    pub rule: String,
    /// What starts the clock.
    pub clock: Clock,
    /// When it started, in the regulator's time zone.
    pub clock_start: Option<ZonedDateTime>,
    /// The deadline, in the regulator's time zone; `None` when the rule sets
    /// no fixed time or the clock has not started.
    pub deadline: Option<ZonedDateTime>,
    /// Where the duty stands.
    pub status: Status,
    /// When the notice was given, if recorded.
    pub reported_at: Option<ZonedDateTime>,
    /// Remarks: holidays skipped, phased reporting, missing facts.
    pub notes: Vec<String>,
    /// What the notice must contain.
    pub content: Vec<String>,
    /// Legal citation.
    pub citation: String,
}

impl Duty {
    /// `regime/recipient`.
    #[must_use]
    pub fn key(&self) -> String {
        format!("{}/{}", self.regime, self.recipient)
    }
}

/// A regime or notice that was considered and does not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotTriggered {
    /// Regime id.
    pub regime: String,
    /// Regime name.
    pub regime_name: String,
    /// Recipient id, when the regime applies but this notice does not.
    pub recipient: Option<String>,
    /// Why not, with counts.
    pub reason: String,
}

/// Everything the engine found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Duties, missed and late first, then by deadline, open-ended last.
    pub duties: Vec<Duty>,
    /// What was considered and does not apply.
    pub not_triggered: Vec<NotTriggered>,
    /// Regimes considered.
    pub regimes_considered: usize,
    /// The time statuses were judged at.
    pub now: Option<jiff::Timestamp>,
}

impl Evaluation {
    /// True when a deadline was missed or a notice was late.
    #[must_use]
    pub fn any_overdue(&self) -> bool {
        self.duties.iter().any(|d| d.status.is_overdue())
    }
}

/// Sort order of duties: overdue first, then by deadline, open-ended last.
pub(crate) fn order(a: &Duty, b: &Duty) -> std::cmp::Ordering {
    let rank = |d: &Duty| match d.status {
        Status::Missed | Status::Late => 0,
        _ if d.deadline.is_some() => 1,
        _ => 2,
    };
    rank(a)
        .cmp(&rank(b))
        .then_with(|| {
            let t = |d: &Duty| d.deadline.as_ref().map(ZonedDateTime::timestamp);
            t(a).cmp(&t(b))
        })
        .then_with(|| a.regime.cmp(&b.regime))
        .then_with(|| a.recipient.cmp(&b.recipient))
}
