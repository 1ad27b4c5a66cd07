//! Public-holiday calendars, as data (`regimes/calendars/<code>.yaml`), for
//! deadlines counted in business days.
//!
//! A calendar lists, per year, the public holidays and any weekend days that
//! are working days (China's make-up days). A year the source has not yet
//! published is listed with `status: unpublished`; counting business days
//! through it is an error rather than a guess.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::DataError;

/// How far a year's list can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum YearStatus {
    /// Copied from the source's published list for that year.
    Official,
    /// Published but subject to confirmation (moon-sighting holidays,
    /// proclamations still to come).
    Provisional,
    /// Only the holidays that fall on fixed dates or follow from statute;
    /// others are missing.
    Partial,
    /// Not yet published by the source: no business-day count may use it.
    Unpublished,
}

/// One holiday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    /// The day off (the observed day where a holiday moves).
    pub date: Date,
    /// Its name.
    pub name: String,
}

/// One year of a calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Year {
    /// How far the list can be trusted.
    pub status: YearStatus,
    /// Days off.
    #[serde(default)]
    pub holidays: Vec<Holiday>,
    /// Weekend days that are working days.
    #[serde(default)]
    pub working_days: Vec<Date>,
    /// Why the year has this status.
    #[serde(default)]
    pub note: Option<String>,
}

/// A source used for the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Where.
    pub url: String,
    /// What it is.
    pub title: String,
}

/// A public-holiday calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    /// Code used by regimes (`us-federal`, `kr`).
    pub code: String,
    /// Human name.
    pub name: String,
    /// Days of the week that are not working days.
    pub weekend: Vec<WeekdayName>,
    /// Where the dates come from.
    pub sources: Vec<Source>,
    /// Years.
    pub years: BTreeMap<i16, Year>,
}

/// A weekday, as written in calendar files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[expect(missing_docs, reason = "the names say it")]
pub enum WeekdayName {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl WeekdayName {
    const fn matches(self, day: Weekday) -> bool {
        matches!(
            (self, day),
            (Self::Monday, Weekday::Monday)
                | (Self::Tuesday, Weekday::Tuesday)
                | (Self::Wednesday, Weekday::Wednesday)
                | (Self::Thursday, Weekday::Thursday)
                | (Self::Friday, Weekday::Friday)
                | (Self::Saturday, Weekday::Saturday)
                | (Self::Sunday, Weekday::Sunday)
        )
    }
}

/// Why a business-day count could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarGap {
    /// The calendar.
    pub calendar: String,
    /// The year it lacks.
    pub year: i16,
}

impl std::fmt::Display for CalendarGap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "calendar `{}` has no published holidays for {}",
            self.calendar, self.year
        )
    }
}

impl Calendar {
    /// Parses a calendar file; `file` names it in errors.
    ///
    /// # Errors
    /// A [`DataError`] with the line and column of the problem.
    pub fn parse(file: &str, text: &str) -> Result<Self, DataError> {
        let cal: Self = serde_norway::from_str(text)
            .map_err(|e| crate::error::yaml_error_in(file, text, &e))?;
        for (year, y) in &cal.years {
            let bad = y
                .holidays
                .iter()
                .map(|h| h.date)
                .chain(y.working_days.iter().copied())
                .find(|d| d.year() != *year);
            if let Some(d) = bad {
                return Err(locate(file, text, &d.to_string(), || {
                    format!("`{d}` is listed under {year}")
                }));
            }
        }
        Ok(cal)
    }

    /// The year's entry, unless it is missing or unpublished.
    fn year(&self, year: i16) -> Result<&Year, CalendarGap> {
        self.years
            .get(&year)
            .filter(|y| y.status != YearStatus::Unpublished)
            .ok_or_else(|| CalendarGap {
                calendar: self.code.clone(),
                year,
            })
    }

    /// True when `day` is a working day.
    ///
    /// # Errors
    /// The calendar lacks the day's year.
    pub fn is_business_day(&self, day: Date) -> Result<bool, CalendarGap> {
        let year = self.year(day.year())?;
        if year.working_days.contains(&day) {
            return Ok(true);
        }
        if self.weekend.iter().any(|w| w.matches(day.weekday())) {
            return Ok(false);
        }
        Ok(!year.holidays.iter().any(|h| h.date == day))
    }

    /// The holiday on `day`, if any.
    #[must_use]
    pub fn holiday(&self, day: Date) -> Option<&Holiday> {
        self.years
            .get(&day.year())?
            .holidays
            .iter()
            .find(|h| h.date == day)
    }

    /// The `n`th business day after `start` (`start` itself is not
    /// counted), with the non-working days skipped on the way.
    ///
    /// # Errors
    /// The calendar lacks a year the count passes through.
    pub fn add_business_days(&self, start: Date, n: u32) -> Result<BusinessDays, CalendarGap> {
        let mut day = start;
        let mut counted = 0;
        let mut skipped = BTreeSet::new();
        while counted < n {
            day = day.tomorrow().map_err(|_| CalendarGap {
                calendar: self.code.clone(),
                year: day.year(),
            })?;
            if self.is_business_day(day)? {
                counted += 1;
            } else {
                skipped.insert(day);
            }
        }
        Ok(BusinessDays { end: day, skipped })
    }
}

/// The result of counting business days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessDays {
    /// The last business day counted.
    pub end: Date,
    /// Weekend days and holidays passed over.
    pub skipped: BTreeSet<Date>,
}

/// A [`DataError`] at the first line of `text` containing `needle`.
pub(crate) fn locate(
    file: &str,
    text: &str,
    needle: &str,
    message: impl FnOnce() -> String,
) -> DataError {
    match text.lines().position(|l| l.contains(needle)) {
        Some(i) => DataError::at_line(file, i + 1, message()),
        None => DataError::new(file, message()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TEXT: &str = "code: t\nname: test\nweekend: [saturday, sunday]\nsources: []\nyears:\n  2025:\n    status: official\n    holidays:\n      - { date: 2025-11-27, name: Thanksgiving }\n    working_days: [2025-11-29]\n  2026:\n    status: unpublished\n";

    #[test]
    fn counts_over_weekends_holidays_and_working_saturdays() {
        let cal = Calendar::parse("t.yaml", TEXT).unwrap();
        // Tue 25 Nov + 4: Wed 26, (Thu 27 holiday), Fri 28, Sat 29 (working), (Sun 30), Mon 1 Dec.
        let r = cal.add_business_days(date(2025, 11, 25), 4).unwrap();
        assert_eq!(r.end, date(2025, 12, 1));
        assert!(r.skipped.contains(&date(2025, 11, 27)));
        assert!(r.skipped.contains(&date(2025, 11, 30)));
        assert!(!r.skipped.contains(&date(2025, 11, 29)));
    }

    #[test]
    fn an_unpublished_year_is_a_gap_not_a_guess() {
        let cal = Calendar::parse("t.yaml", TEXT).unwrap();
        let gap = cal.add_business_days(date(2025, 12, 30), 3).unwrap_err();
        assert_eq!(gap.year, 2026);
        assert!(gap.to_string().contains("`t`"), "{gap}");
    }

    #[test]
    fn a_date_under_the_wrong_year_is_pointed_at() {
        let text = TEXT.replace("2025-11-27", "2024-11-28");
        let e = Calendar::parse("t.yaml", &text).unwrap_err();
        assert_eq!(e.line, Some(9), "{e}");
    }

    #[test]
    fn unknown_fields_are_errors_with_a_line() {
        let text = TEXT.replace("status: official", "status: official\n    extra: 1");
        let e = Calendar::parse("t.yaml", &text).unwrap_err();
        assert_eq!(e.line, Some(8), "{e}");
        assert!(e.to_string().starts_with("t.yaml:8:"), "{e}");
    }
}
