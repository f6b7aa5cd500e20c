//! Calendar arithmetic for UTC timestamps (seconds since 1970), with no
//! time-zone database: H. Hinnant's `days_from_civil` and
//! `civil_from_days`. Everything the vault shows or signs is in UTC, so a
//! consent text renders the same on every device.

/// A UTC calendar date and time, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    /// Year, e.g. 2026.
    pub year: i64,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, 1–31.
    pub day: u32,
    /// Hour, 0–23.
    pub hour: u32,
    /// Minute, 0–59.
    pub minute: u32,
    /// Second, 0–59.
    pub second: u32,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Civil {
    /// The calendar date of `secs` seconds after 1970-01-01T00:00:00Z.
    pub fn from_unix(secs: u64) -> Self {
        let days = (secs / 86_400) as i64;
        let rem = secs % 86_400;
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        Self {
            year: yoe + era * 400 + i64::from(month <= 2),
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: (rem % 3600 / 60) as u32,
            second: (rem % 60) as u32,
        }
    }

    /// Seconds since 1970, or `None` for an impossible or pre-1970 date.
    pub fn to_unix(&self) -> Option<u64> {
        let days_in_month = match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if self.year % 4 == 0 && (self.year % 100 != 0 || self.year % 400 == 0) => 29,
            2 => 28,
            _ => return None,
        };
        if self.day == 0
            || self.day > days_in_month
            || self.hour > 23
            || self.minute > 59
            || self.second > 59
        {
            return None;
        }
        let y = self.year - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        let secs = days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second);
        u64::try_from(secs).ok()
    }
}

/// `2026-11-24 17:30` (UTC, to the minute), for tables.
pub fn short(secs: u64) -> String {
    let c = Civil::from_unix(secs);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        c.year, c.month, c.day, c.hour, c.minute
    )
}

/// `24 November 2026, 17:30 UTC`, for sentences people read.
pub fn long(secs: u64) -> String {
    let c = Civil::from_unix(secs);
    format!(
        "{} {} {}, {:02}:{:02} UTC",
        c.day,
        MONTHS[(c.month - 1) as usize],
        c.year,
        c.hour,
        c.minute
    )
}

/// `24 November 2026, 17:30 CET` in the language set with
/// [`crate::messages::set_language`] (`24 de noviembre de 2026, 17:30
/// CET`): `at` is the date and time in `zone`. For sentences a person reads
/// on their own screen; what is signed (the consent text) uses [`long`],
/// which is always English, as its spec fixes.
pub fn long_text(at: &Civil, zone: &str) -> String {
    crate::msg!(
        "time-long",
        day = u64::from(at.day),
        month = u64::from(at.month),
        year = at.year.to_string(),
        time = format!("{:02}:{:02}", at.hour, at.minute),
        zone = zone
    )
}

/// [`long_text`] in UTC.
pub fn long_utc_text(secs: u64) -> String {
    long_text(&Civil::from_unix(secs), "UTC")
}

/// [`span`] in the language set with [`crate::messages::set_language`]
/// (`1 día y 6 horas`): for sentences a person reads, not for the signed
/// consent text.
pub fn span_text(secs: u64) -> String {
    let minutes = |n: u64| crate::msg!("time-minutes", count = n);
    let hours = |n: u64| crate::msg!("time-hours", count = n);
    let days = |n: u64| crate::msg!("time-days", count = n);
    let two =
        |first: String, second: String| crate::msg!("time-two", first = first, second = second);
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    match (d, h, m) {
        (0, 0, m) => minutes(m),
        (0, h, 0) => hours(h),
        (0, h, m) => two(hours(h), minutes(m)),
        (d, 0, 0) if d % 7 == 0 => crate::msg!("time-weeks", count = d / 7),
        (d, 0, 0) => days(d),
        (d, h, 0) => two(days(d), hours(h)),
        (d, 0, m) => two(days(d), minutes(m)),
        (d, h, m) => crate::msg!(
            "time-three",
            first = days(d),
            second = hours(h),
            third = minutes(m)
        ),
    }
}

/// [`long_text`] in a zone `offset_minutes` east of UTC, the zone said as an
/// offset: `5 December 2026, 15:03 UTC+01:00` (`UTC` for 0). For a device
/// that knows its offset at that instant but has no zone database (the
/// browser module asks the browser for it).
pub fn long_at_offset(secs: u64, offset_minutes: i32) -> String {
    let shifted = if offset_minutes >= 0 {
        secs.saturating_add(offset_minutes as u64 * 60)
    } else {
        secs.saturating_sub(u64::from(offset_minutes.unsigned_abs()) * 60)
    };
    let zone = if offset_minutes == 0 {
        "UTC".to_owned()
    } else {
        let m = offset_minutes.unsigned_abs();
        format!(
            "UTC{}{:02}:{:02}",
            if offset_minutes < 0 { '-' } else { '+' },
            m / 60,
            m % 60
        )
    };
    long_text(&Civil::from_unix(shifted), &zone)
}

/// A length of time in plain words: `45 minutes`, `24 hours`, `7 days`,
/// `1 day and 6 hours`.
pub fn span(secs: u64) -> String {
    fn unit(n: u64, one: &str) -> String {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    }
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    match (d, h, m) {
        (0, 0, m) => unit(m, "minute"),
        (0, h, 0) => unit(h, "hour"),
        (0, h, m) => format!("{} and {}", unit(h, "hour"), unit(m, "minute")),
        (d, 0, 0) if d % 7 == 0 => unit(d / 7, "week"),
        (d, 0, 0) => unit(d, "day"),
        (d, h, 0) => format!("{} and {}", unit(d, "day"), unit(h, "hour")),
        (d, 0, m) => format!("{} and {}", unit(d, "day"), unit(m, "minute")),
        (d, h, m) => format!(
            "{}, {} and {}",
            unit(d, "day"),
            unit(h, "hour"),
            unit(m, "minute")
        ),
    }
}

/// The current time, in seconds since 1970, from the system clock.
///
/// Native only: `SystemTime::now()` panics in the browser, so code built
/// without the `native` feature takes the time as a parameter instead.
///
/// For tests only, a debug build adds [`CLOCK_OFFSET_ENV`] seconds (which
/// may be negative) to the system clock, so an end-to-end test can run a
/// program whose clock is wrong without sleeping or changing the machine's
/// clock. A release build never reads it.
#[cfg(feature = "native")]
pub fn now() -> u64 {
    let system = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    if cfg!(debug_assertions) {
        system.saturating_add_signed(test_offset())
    } else {
        system
    }
}

/// The variable a debug build reads in [`now`]: seconds to add to the
/// system clock (`600`, `-600`). For tests only; see `docs/cli.md`.
pub const CLOCK_OFFSET_ENV: &str = "VAULT_CLOCK_OFFSET_SECS";

#[cfg(feature = "native")]
fn test_offset() -> i64 {
    std::env::var(CLOCK_OFFSET_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_a_time_at_an_offset_with_the_offset() {
        assert_eq!(long_at_offset(1_796_479_380, 0), long(1_796_479_380));
        assert_eq!(
            long_at_offset(1_796_479_380, 60),
            "5 December 2026, 15:03 UTC+01:00"
        );
        assert_eq!(
            long_at_offset(1_796_479_380, -330),
            "5 December 2026, 08:33 UTC-05:30"
        );
        // Never before 1970, never a panic.
        assert!(long_at_offset(0, -60).starts_with("1 January 1970"));
    }

    #[test]
    fn formats_known_dates() {
        assert_eq!(short(0), "1970-01-01 00:00");
        assert_eq!(short(1_795_000_000), "2026-11-18 11:06");
        assert_eq!(short(951_782_400), "2000-02-29 00:00");
        assert_eq!(long(1_795_000_000), "18 November 2026, 11:06 UTC");
    }

    #[test]
    fn civil_round_trips() {
        for secs in (0..4_000_000_000u64).step_by(7_777_777) {
            assert_eq!(Civil::from_unix(secs).to_unix(), Some(secs));
        }
    }

    #[test]
    fn rejects_impossible_dates() {
        let mut c = Civil::from_unix(0);
        c.year = 2025;
        c.month = 2;
        c.day = 29;
        assert_eq!(c.to_unix(), None);
        c.month = 13;
        assert_eq!(c.to_unix(), None);
    }

    #[test]
    fn spans_read_naturally() {
        assert_eq!(span(60), "1 minute");
        assert_eq!(span(45 * 60), "45 minutes");
        assert_eq!(span(24 * 3600), "1 day");
        assert_eq!(span(7 * 86_400), "1 week");
        assert_eq!(span(86_400 + 6 * 3600), "1 day and 6 hours");
        assert_eq!(span(90 * 60), "1 hour and 30 minutes");
        assert_eq!(span(86_400 + 5 * 60), "1 day and 5 minutes");
    }

    #[test]
    fn says_spans_and_dates_in_the_catalogue_words_english_as_ever() {
        // The tests of this crate run in English (the default).
        for secs in [
            60,
            45 * 60,
            3600,
            90 * 60,
            86_400,
            7 * 86_400,
            90 * 86_400,
            86_400 + 6 * 3600,
            86_400 + 5 * 60,
            2 * 86_400 + 3 * 3600 + 4 * 60,
        ] {
            assert_eq!(span_text(secs), span(secs), "{secs}");
        }
        for secs in [0, 1_796_479_380, 1_800_000_000] {
            assert_eq!(long_utc_text(secs), long(secs));
        }
    }

    #[test]
    fn says_spans_and_dates_in_spanish() {
        use crate::messages::Arg;
        let es = |id: &str, args: &[(&str, Arg<'_>)]| crate::messages::text_in("es", id, args);
        assert_eq!(es("time-days", &[("count", 1u64.into())]), "1 día");
        assert_eq!(es("time-weeks", &[("count", 2u64.into())]), "2 semanas");
        assert_eq!(
            es(
                "time-three",
                &[
                    ("first", "2 días".into()),
                    ("second", "3 horas".into()),
                    ("third", "1 minuto".into())
                ]
            ),
            "2 días, 3 horas y 1 minuto"
        );
        assert_eq!(
            es(
                "time-long",
                &[
                    ("day", 5u64.into()),
                    ("month", 12u64.into()),
                    ("year", "2026".into()),
                    ("time", "15:03".into()),
                    ("zone", "CET".into())
                ]
            ),
            "5 de diciembre de 2026, 15:03 CET"
        );
    }
}
