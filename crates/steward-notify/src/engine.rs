//! The engine: given the regimes, the impact summary and the incident facts,
//! every duty that applies, its deadline in the regulator's time zone, and
//! whether it was missed. Pure: no clock, no files, no printing.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ZonedDateTime};
use steward_model::impact::{ImpactSummary, JurisdictionImpact};

use crate::condition::{Check, Population, any_of};
use crate::duty::{Duty, Evaluation, NotTriggered, Status, order};
use crate::facts::IncidentFacts;
use crate::library::Library;
use crate::regime::{Period, Recipient, Regime};

/// Evaluates every regime of the library.
#[must_use]
pub fn evaluate(library: &Library, summary: &ImpactSummary, facts: &IncidentFacts) -> Evaluation {
    let mut out = Evaluation {
        duties: Vec::new(),
        not_triggered: Vec::new(),
        regimes_considered: library.regimes.len(),
        now: facts.now,
    };
    for regime in &library.regimes {
        evaluate_regime(library, regime, summary, facts, &mut out);
    }
    out.duties.sort_by(order);
    out
}

fn not(regime: &Regime, recipient: Option<&Recipient>, reason: String) -> NotTriggered {
    NotTriggered {
        regime: regime.id.clone(),
        regime_name: regime.name.clone(),
        recipient: recipient.map(|r| r.id.clone()),
        reason,
    }
}

fn not_yet_in_force(effective: Date, zone: &TimeZone, facts: &IncidentFacts) -> bool {
    facts
        .reference_time()
        .is_some_and(|t| t.to_zoned_datetime(zone.clone()).date() < effective)
}

fn add(pop: &mut Population, label: &str, j: &JurisdictionImpact) {
    pop.people += j.people;
    pop.customers += j.customers;
    pop.third_parties += j.third_parties;
    for (k, n) in &j.by_category {
        *pop.by_category.entry(k.clone()).or_default() += n;
    }
    pop.parts.push(format!("{label} {}", j.people));
}

/// The people a regime covers, or why it covers nobody.
fn population(
    regime: &Regime,
    summary: &ImpactSummary,
    facts: &IncidentFacts,
) -> Result<Population, String> {
    let mut pop = Population::default();
    if let Some(cond) = &regime.covers.everyone_when {
        let whole = Population {
            people: summary.people,
            qualifying: summary.people,
            ..Population::default()
        };
        match cond.check(&whole, facts) {
            Check::Holds { because, assumed } if assumed.is_empty() => {
                pop.everyone = true;
                pop.people = summary.people;
                pop.customers = summary.customers;
                pop.third_parties = summary.third_parties;
                for j in summary.by_country.values() {
                    for (k, n) in &j.by_category {
                        *pop.by_category.entry(k.clone()).or_default() += n;
                    }
                }
                pop.parts.push(format!(
                    "everyone {} ({})",
                    summary.people,
                    because.join(", ")
                ));
                return Ok(pop);
            }
            Check::Holds { assumed, .. }
                if regime.covers.countries.is_empty() && regime.covers.subdivisions.is_empty() =>
            {
                return Err(format!("applies only if {}", assumed.join(", ")));
            }
            Check::Fails(why)
                if regime.covers.countries.is_empty() && regime.covers.subdivisions.is_empty() =>
            {
                return Err(why);
            }
            _ => {}
        }
    }
    for c in &regime.covers.countries {
        if let Some(j) = summary.by_country.get(c) {
            add(&mut pop, c, j);
        }
    }
    for s in &regime.covers.subdivisions {
        if let Some(j) = summary.by_subdivision.get(s) {
            add(&mut pop, s, j);
        }
    }
    if pop.people == 0 {
        return Err(format!("no affected residents of {}", regime.jurisdiction));
    }
    Ok(pop)
}

fn evaluate_regime(
    library: &Library,
    regime: &Regime,
    summary: &ImpactSummary,
    facts: &IncidentFacts,
    out: &mut Evaluation,
) {
    let zone = facts
        .zones
        .get(&regime.id)
        .unwrap_or(&regime.time_zone)
        .zone();
    if not_yet_in_force(regime.effective, &zone, facts) {
        out.not_triggered.push(not(
            regime,
            None,
            format!("in force from {}, after this incident", regime.effective),
        ));
        return;
    }
    let mut pop = match population(regime, summary, facts) {
        Ok(p) => p,
        Err(why) => {
            out.not_triggered.push(not(regime, None, why));
            return;
        }
    };
    pop.qualifying = pop.people;
    let mut definition = Vec::new();
    if !regime.personal_information.is_empty() {
        match any_of(&regime.personal_information, &pop, facts) {
            Check::Fails(why) => {
                out.not_triggered.push(not(
                    regime,
                    None,
                    format!(
                        "{}: no personal information as the regime defines it ({why})",
                        pop.parts.join(", ")
                    ),
                ));
                return;
            }
            Check::Holds { because, assumed } => {
                pop.qualifying = regime
                    .personal_information
                    .iter()
                    .filter(|c| matches!(c.check(&pop, facts), Check::Holds { .. }))
                    .map(|c| c.category_estimate(&pop))
                    .max()
                    .unwrap_or(pop.people);
                definition.push(because.join(", "));
                definition.extend(assumed);
            }
        }
    }
    for recipient in &regime.recipients {
        if !recipient.in_force {
            out.not_triggered.push(not(
                regime,
                Some(recipient),
                recipient
                    .note
                    .clone()
                    .unwrap_or_else(|| "not in force".to_owned()),
            ));
            continue;
        }
        if let Some(eff) = recipient.effective
            && not_yet_in_force(eff, &zone, facts)
        {
            out.not_triggered.push(not(
                regime,
                Some(recipient),
                format!("in force from {eff}, after this incident"),
            ));
            continue;
        }
        match any_of(&recipient.when, &pop, facts) {
            Check::Fails(why) => out.not_triggered.push(not(
                regime,
                Some(recipient),
                format!("{}: {why}", pop.parts.join(", ")),
            )),
            Check::Holds { because, assumed } => {
                let mut reason = pop.parts.join(", ");
                if let Some(d) = definition.first().filter(|d| !d.is_empty()) {
                    reason.push_str("; personal information: ");
                    reason.push_str(d);
                }
                if !because.is_empty() {
                    reason.push_str("; ");
                    reason.push_str(&because.join(", "));
                }
                let mut assumptions: Vec<String> = definition.iter().skip(1).cloned().collect();
                assumptions.extend(assumed);
                out.duties.push(duty(
                    library,
                    regime,
                    recipient,
                    &pop,
                    reason,
                    assumptions,
                    facts,
                ));
            }
        }
    }
}

fn duty(
    library: &Library,
    regime: &Regime,
    recipient: &Recipient,
    pop: &Population,
    reason: String,
    assumptions: Vec<String>,
    facts: &IncidentFacts,
) -> Duty {
    let zone = facts
        .zones
        .get(&regime.id)
        .or(recipient.time_zone.as_ref())
        .unwrap_or(&regime.time_zone)
        .zone();
    let spec = &recipient.deadline;
    let clock_start = facts
        .clock(spec.clock)
        .map(|t| t.to_zoned_datetime(zone.clone()));
    let key = format!("{}/{}", regime.id, recipient.id);
    let reported_at = facts
        .reported
        .get(&key)
        .map(|t| t.to_zoned_datetime(zone.clone()));
    let mut notes: Vec<String> = recipient.note.iter().cloned().collect();
    let (deadline, mut status) = match (spec.period(), &clock_start) {
        (None, _) => (None, Status::NoFixedDeadline),
        (Some(_), None) => {
            notes.push(format!(
                "give `{}` to start the clock ({})",
                spec.clock.fact(),
                spec.clock.label()
            ));
            (None, Status::ClockNotStarted)
        }
        (Some(period), Some(start)) => match deadline_after(library, spec, period, start) {
            Ok((at, mut more)) => {
                notes.append(&mut more);
                let status = match facts.now {
                    Some(now) if now > at.timestamp() => Status::Missed,
                    _ => Status::Due,
                };
                (Some(at), status)
            }
            Err(why) => {
                notes.push(why);
                (None, Status::Undetermined)
            }
        },
    };
    if let Some(rep) = &reported_at {
        status = match &deadline {
            Some(d) if rep.timestamp() > d.timestamp() => Status::Late,
            _ => Status::Met,
        };
    }
    Duty {
        regime: regime.id.clone(),
        regime_name: regime.name.clone(),
        jurisdiction: regime.jurisdiction.clone(),
        recipient: recipient.id.clone(),
        who: recipient.who,
        recipient_name: recipient.name.clone(),
        people: pop.people,
        everyone: pop.everyone,
        customers: pop.customers,
        third_parties: pop.third_parties,
        qualifying: pop.qualifying,
        reason,
        assumptions,
        rule: spec.rule.clone(),
        clock: spec.clock,
        clock_start,
        deadline,
        status,
        reported_at,
        notes,
        content: recipient.content.clone(),
        citation: regime.citation.clone(),
    }
}

/// The deadline after a clock start, with notes on days skipped.
///
/// # Errors
/// A message when the time library or a calendar cannot give the answer.
pub fn deadline_after(
    library: &Library,
    spec: &crate::regime::Deadline,
    period: Period,
    start: &ZonedDateTime,
) -> Result<(ZonedDateTime, Vec<String>), String> {
    let end_of = |date: Date| -> Result<ZonedDateTime, String> {
        let time = spec.cutoff.unwrap_or_else(|| Time::constant(23, 59, 59, 0));
        date.to_datetime(time)
            .to_zoned_datetime(start.time_zone().clone())
            .map_err(|e| e.to_string())
    };
    match period {
        Period::Hours(h) => {
            let t: Timestamp = start
                .timestamp()
                .checked_add(SignedDuration::from_hours(i64::from(h)))
                .map_err(|e| e.to_string())?;
            Ok((t.to_zoned_datetime(start.time_zone().clone()), Vec::new()))
        }
        Period::Days(d) => {
            let date = start
                .date()
                .checked_add(jiff::Span::new().days(i64::from(d)))
                .map_err(|e| e.to_string())?;
            Ok((end_of(date)?, Vec::new()))
        }
        Period::BusinessDays(n) => {
            let code = spec.calendar.as_deref().unwrap_or_default();
            let calendar = library
                .calendars
                .get(code)
                .ok_or_else(|| format!("no calendar `{code}`"))?;
            let counted = calendar
                .add_business_days(start.date(), n)
                .map_err(|gap| gap.to_string())?;
            let holidays: Vec<String> = counted
                .skipped
                .iter()
                .filter_map(|d| calendar.holiday(*d).map(|h| format!("{} {}", d, h.name)))
                .collect();
            let mut notes = Vec::new();
            if !holidays.is_empty() {
                notes.push(format!(
                    "{} business days skip {} ({})",
                    n,
                    holidays.join(", "),
                    calendar.name
                ));
            }
            Ok((end_of(counted.end)?, notes))
        }
    }
}
