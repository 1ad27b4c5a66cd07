//! Timestamps to epoch milliseconds: RFC 3339 (with a fast path for the
//! common `YYYY-MM-DDTHH:MM:SS.fffZ` shape, checked against jiff), epoch
//! seconds to nanoseconds, strftime formats through jiff, and a guess.

use jiff::Timestamp;
use jiff::fmt::strtime;

use crate::value::Value;

/// How a time field is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeFormat {
    /// RFC 3339 / ISO 8601 with an offset (`T` or a space between date and
    /// time).
    Rfc3339,
    /// Seconds since the epoch (integer or fractional).
    EpochS,
    /// Milliseconds since the epoch.
    EpochMs,
    /// Microseconds since the epoch.
    EpochUs,
    /// Nanoseconds since the epoch.
    EpochNs,
    /// Numbers by magnitude (seconds below 10^11, milliseconds below 10^14,
    /// microseconds below 10^17, nanoseconds above), text as RFC 3339.
    Auto,
    /// A strftime format (jiff's `strtime`); UTC when it has no offset.
    Strftime(String),
}

impl TimeFormat {
    /// Parses the mapping's `time:` value: a keyword, or a format with `%`.
    ///
    /// # Errors
    /// Neither a keyword nor a format.
    pub fn parse(text: &str) -> Result<Self, String> {
        Ok(match text {
            "rfc3339" | "iso8601" => Self::Rfc3339,
            "epoch_s" | "epoch" => Self::EpochS,
            "epoch_ms" => Self::EpochMs,
            "epoch_us" => Self::EpochUs,
            "epoch_ns" => Self::EpochNs,
            "auto" => Self::Auto,
            f if f.contains('%') => Self::Strftime(f.to_owned()),
            other => {
                return Err(format!(
                    "unknown time format `{other}`: expected rfc3339, epoch_s, epoch_ms, \
                     epoch_us, epoch_ns, auto or a strftime format with `%`"
                ));
            }
        })
    }

    /// [`TimeFormat::to_millis_in`] with nothing remembered (tests).
    #[cfg(test)]
    pub(crate) fn to_millis(&self, v: &Value<'_>) -> Result<i64, &'static str> {
        self.to_millis_in(v, &mut Minute::default())
    }

    /// Converts a value to epoch milliseconds; `minute` remembers the last
    /// RFC 3339 minute read (see [`Minute`]), which changes no result.
    ///
    /// # Errors
    /// A reason naming the expected form (never the value).
    pub(crate) fn to_millis_in(
        &self,
        v: &Value<'_>,
        minute: &mut Minute,
    ) -> Result<i64, &'static str> {
        match (self, v) {
            (_, Value::TimeMs(ms)) => Ok(*ms),
            (Self::Rfc3339, Value::Str(s)) => rfc3339_in(s, minute),
            (Self::Strftime(f), Value::Str(s)) => strftime_ms(f, s),
            (Self::Auto, Value::Str(s)) => match crate::value::parse_number(s) {
                Ok(n) => guess(&n),
                Err(_) => rfc3339_in(s, minute),
            },
            (Self::Auto, n @ (Value::Int(_) | Value::Float(_))) => guess(n),
            (Self::EpochS | Self::EpochMs | Self::EpochUs | Self::EpochNs, Value::Str(s)) => {
                let n = crate::value::parse_number(s).map_err(|_| "not an epoch number")?;
                self.epoch(&n)
            }
            (Self::EpochS | Self::EpochMs | Self::EpochUs | Self::EpochNs, n) => self.epoch(n),
            (Self::Rfc3339, _) => Err("not an RFC 3339 timestamp"),
            (Self::Strftime(_), _) => Err("not text in the mapping's time format"),
            (Self::Auto, _) => Err("not a timestamp"),
        }
    }

    fn epoch(&self, n: &Value<'_>) -> Result<i64, &'static str> {
        let per_ms: f64 = match self {
            Self::EpochS => 1e-3,
            Self::EpochUs => 1e3,
            Self::EpochNs => 1e6,
            _ => 1.0,
        };
        match n {
            Value::Int(i) => Ok(match self {
                Self::EpochS => i.saturating_mul(1000),
                Self::EpochUs => i.div_euclid(1000),
                Self::EpochNs => i.div_euclid(1_000_000),
                _ => *i,
            }),
            Value::Float(f) => {
                let ms = (f / per_ms).floor();
                if ms.is_finite() && ms.abs() < 9.0e15 {
                    #[expect(
                        clippy::cast_possible_truncation,
                        reason = "checked to be finite and within ±9e15"
                    )]
                    Ok(ms as i64)
                } else {
                    Err("epoch number out of range")
                }
            }
            _ => Err("not an epoch number"),
        }
    }
}

fn guess(n: &Value<'_>) -> Result<i64, &'static str> {
    let magnitude = match n {
        Value::Int(i) => i.unsigned_abs() as f64,
        Value::Float(f) => f.abs(),
        _ => return Err("not a timestamp"),
    };
    let unit = if magnitude < 1e11 {
        TimeFormat::EpochS
    } else if magnitude < 1e14 {
        TimeFormat::EpochMs
    } else if magnitude < 1e17 {
        TimeFormat::EpochUs
    } else {
        TimeFormat::EpochNs
    };
    unit.epoch(n)
}

/// [`rfc3339_in`] with nothing remembered (tests).
#[cfg(test)]
pub(crate) fn rfc3339_ms(s: &str) -> Result<i64, &'static str> {
    rfc3339_in(s, &mut Minute::default())
}

/// The minute an RFC 3339 text read last: its first 16 bytes
/// (`YYYY-MM-DDTHH:MM`) and their epoch seconds. A log's lines mostly
/// share the minute of the line before, which is then not read again.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Minute {
    head: u128,
    secs: Option<i64>,
}

/// RFC 3339 to epoch milliseconds: the fast path (which reuses the last
/// minute read, kept in `minute`), else jiff.
pub(crate) fn rfc3339_in(s: &str, minute: &mut Minute) -> Result<i64, &'static str> {
    if let Some(ms) = fast_rfc3339(s.as_bytes(), minute) {
        return Ok(ms);
    }
    // jiff also takes a space for `T`, lower-case `t`/`z` and leap seconds.
    s.parse::<Timestamp>()
        .map(|t| t.as_millisecond())
        .map_err(|_| "not an RFC 3339 timestamp")
}

fn strftime_ms(format: &str, s: &str) -> Result<i64, &'static str> {
    const WHY: &str = "does not match the mapping's time format";
    let tm = strtime::parse(format, s).map_err(|_| WHY)?;
    if let Ok(ts) = tm.to_timestamp() {
        return Ok(ts.as_millisecond());
    }
    if tm.iana_time_zone().is_some()
        && let Ok(z) = tm.to_zoned_datetime()
    {
        return Ok(z.timestamp().as_millisecond());
    }
    let dt = tm.to_datetime().map_err(|_| WHY)?;
    jiff::tz::Offset::UTC
        .to_timestamp(dt)
        .map(|t| t.as_millisecond())
        .map_err(|_| "time out of range")
}

fn digits<const N: usize>(b: &[u8], at: usize) -> Option<i64> {
    let mut n = 0i64;
    for k in 0..N {
        let d = *b.get(at + k)?;
        if !d.is_ascii_digit() {
            return None;
        }
        n = n * 10 + i64::from(d - b'0');
    }
    Some(n)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
const fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

const fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)` for years 1971–9999; `None`
/// for anything else (earlier years too, so that jiff's rounding of negative
/// instants need not be copied), which then goes to jiff.
fn fast_rfc3339(b: &[u8], minute: &mut Minute) -> Option<i64> {
    let head = u128::from_le_bytes(<[u8; 16]>::try_from(b.get(..16)?).ok()?);
    let base = match minute.secs {
        Some(secs) if minute.head == head => secs,
        _ => {
            let secs = minute_secs(b)?;
            *minute = Minute {
                head,
                secs: Some(secs),
            };
            secs
        }
    };
    let s = digits::<2>(b, 17)?;
    if b.get(16) != Some(&b':') || s > 59 {
        return None;
    }
    let mut i = 19;
    let mut ms = 0i64;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            if i - start < 3 {
                ms = ms * 10 + i64::from(c - b'0');
            }
            i += 1;
        }
        let n = i - start;
        if n == 0 || n > 9 {
            return None;
        }
        for _ in n..3 {
            ms *= 10;
        }
    }
    let offset_s = match b.get(i) {
        Some(b'Z') if i + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) if i + 6 == b.len() => {
            let oh = digits::<2>(b, i + 1)?;
            let om = digits::<2>(b, i + 4)?;
            if b.get(i + 3) != Some(&b':') || oh > 23 || om > 59 {
                return None;
            }
            let o = oh * 3600 + om * 60;
            if *sign == b'-' { -o } else { o }
        }
        _ => return None,
    };
    Some((base + s - offset_s) * 1000 + ms)
}

/// Epoch seconds of `YYYY-MM-DDTHH:MM` (the first 16 bytes of `b`, read
/// as local time of the text's offset) for years 1971–9999.
fn minute_secs(b: &[u8]) -> Option<i64> {
    let y = digits::<4>(b, 0)?;
    let mo = digits::<2>(b, 5)?;
    let d = digits::<2>(b, 8)?;
    let h = digits::<2>(b, 11)?;
    let mi = digits::<2>(b, 14)?;
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || b.get(10) != Some(&b'T')
        || b.get(13) != Some(&b':')
        || y < 1971
        || !(1..=12).contains(&mo)
        || d < 1
        || d > days_in_month(y, mo)
        || h > 23
        || mi > 59
    {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60)
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    fn jiff_ms(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn fast_path_agrees_with_jiff() {
        // A deterministic sweep over dates, times, fractions and offsets.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let y = 1970 + (x % 8000) as i64;
            let mo = 1 + (x >> 13) % 12;
            let d = 1 + (x >> 17) as i64 % days_in_month(y, mo as i64);
            let frac = match (x >> 23) % 5 {
                0 => String::new(),
                1 => format!(".{}", (x >> 29) % 10),
                2 => format!(".{:03}", (x >> 29) % 1000),
                3 => format!(".{:06}", (x >> 29) % 1_000_000),
                _ => format!(".{:09}", (x >> 29) % 1_000_000_000),
            };
            let off = match (x >> 41) % 4 {
                0 => "Z".to_owned(),
                1 => "+09:00".to_owned(),
                2 => "-05:30".to_owned(),
                _ => format!("+{:02}:{:02}", (x >> 45) % 15, (x >> 49) % 60),
            };
            let s = format!(
                "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}{frac}{off}",
                (x >> 53) % 24,
                (x >> 3) % 60,
                (x >> 7) % 60
            );
            match fast_rfc3339(s.as_bytes(), &mut Minute::default()) {
                Some(ms) => assert_eq!(ms, jiff_ms(&s), "{s}"),
                None => assert!(y < 1971, "{s}"),
            }
            assert_eq!(rfc3339_ms(&s), Ok(jiff_ms(&s)), "{s}");
        }
    }

    #[test]
    fn a_remembered_minute_gives_the_same_answers_as_a_fresh_read() {
        // Texts in a row that share their minute, change only the seconds,
        // fraction or offset, break after the minute, or change the minute.
        let texts = [
            "2025-04-09T15:21:03.011Z",
            "2025-04-09T15:21:59Z",
            "2025-04-09T15:21:07.5+09:00",
            "2025-04-09T15:21:60Z",
            "2025-04-09T15:21:0xZ",
            "2025-04-09T15:21",
            "2025-04-09T15:21:08-05:30",
            "2025-04-09T15:22:00Z",
            "2025-04-09T15:21:09Z",
            "2025-02-30T15:21:09Z",
            "2025-02-28T23:59:59.999Z",
            "2024-02-29T00:00:00Z",
            "1969-12-31T23:59:59Z",
            "2025-04-09t15:21:03Z",
            "2025-04-09T15:21:03Z",
        ];
        let mut minute = Minute::default();
        for s in texts {
            let fresh = rfc3339_ms(s);
            assert_eq!(rfc3339_in(s, &mut minute), fresh, "{s}");
            if let Ok(ms) = fresh {
                assert_eq!(ms, jiff_ms(s), "{s}");
            }
        }
        assert!(
            rfc3339_ms("2025-04-09T15:21:60Z").is_ok(),
            "jiff reads a leap second"
        );
        assert!(rfc3339_ms("2025-04-09T15:21:0xZ").is_err());
    }

    #[test]
    fn formats() {
        let t = |f: &str, v: Value<'_>| TimeFormat::parse(f).unwrap().to_millis(&v);
        let s = |x: &'static str| Value::Str(Cow::Borrowed(x));
        assert_eq!(
            t("rfc3339", s("2025-04-09T15:20:44.977Z")),
            Ok(1_744_212_044_977)
        );
        assert_eq!(
            t("rfc3339", s("2025-04-09 15:20:44.977+00:00")),
            Ok(1_744_212_044_977)
        );
        assert_eq!(t("rfc3339", s("1969-12-31T23:59:59.5Z")), Ok(-500));
        assert!(t("rfc3339", s("2025-02-30T00:00:00Z")).is_err());
        assert!(t("rfc3339", s("yesterday")).is_err());
        assert_eq!(
            t("epoch_s", Value::Int(1_744_212_044)),
            Ok(1_744_212_044_000)
        );
        assert_eq!(t("epoch_s", Value::Float(1.5)), Ok(1500));
        assert_eq!(t("epoch_s", s("1744212044.25")), Ok(1_744_212_044_250));
        assert_eq!(t("epoch_ms", Value::Int(5)), Ok(5));
        assert_eq!(
            t("epoch_us", Value::Int(1_744_212_044_977_123)),
            Ok(1_744_212_044_977)
        );
        assert_eq!(t("epoch_ns", Value::Int(-1)), Ok(-1));
        assert_eq!(t("auto", Value::Int(1_744_212_044)), Ok(1_744_212_044_000));
        assert_eq!(
            t("auto", Value::Int(1_744_212_044_977)),
            Ok(1_744_212_044_977)
        );
        assert_eq!(t("auto", s("1744212044977000")), Ok(1_744_212_044_977));
        assert_eq!(t("auto", s("2025-04-09T15:20:44Z")), Ok(1_744_212_044_000));
        assert_eq!(
            t("%d/%b/%Y:%H:%M:%S %z", s("09/Apr/2025:17:20:44 +0200")),
            Ok(1_744_212_044_000)
        );
        assert_eq!(
            t("%Y-%m-%d %H:%M:%S", s("2025-04-09 15:20:44")),
            Ok(1_744_212_044_000)
        );
        assert_eq!(
            t("%Y-%m-%d %H:%M:%S%.f %Q", s("2025-04-09 15:20:44.977 UTC")),
            Ok(1_744_212_044_977)
        );
        assert!(t("%Y-%m-%d", s("nope")).is_err());
        assert!(t("epoch_s", Value::Bool(true)).is_err());
        assert_eq!(t("rfc3339", Value::TimeMs(7)), Ok(7));
        assert!(TimeFormat::parse("weekly").is_err());
    }
}
