//! Times as a person reads them on their own device: in the device's local
//! time, with its zone (`TZ` is respected; the system's time zone database
//! is used). `--json` keeps Unix seconds, and text that leaves the device
//! (the signed consent text) stays in UTC: see `vault_core::time`.

use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

/// `secs` in the device's time zone; `None` only for times out of range.
fn zoned(secs: u64) -> Option<ZonedDateTime> {
    let ts = Timestamp::from_second(i64::try_from(secs).ok()?).ok()?;
    Some(ts.to_zoned_datetime(TimeZone::try_system().unwrap_or(TimeZone::UTC)))
}

/// `2026-12-05 14:03 CET`, for tables and log lines.
pub fn short(secs: u64) -> String {
    zoned(secs).map_or_else(
        || vault_core::time::short(secs) + " UTC",
        |z| z.strftime("%Y-%m-%d %H:%M %Z").to_string(),
    )
}

/// `5 December 2026, 14:03 CET` (`5 de diciembre de 2026, 14:03 CET`),
/// for sentences: in the language `vault` speaks.
pub fn long(secs: u64) -> String {
    zoned(secs).map_or_else(
        || vault_core::time::long_utc_text(secs),
        |z| {
            // jiff's fields are in range (month 1–12, day 1–31, …).
            let at = vault_core::time::Civil {
                year: i64::from(z.year()),
                month: u32::try_from(z.month()).unwrap_or(1),
                day: u32::try_from(z.day()).unwrap_or(1),
                hour: u32::try_from(z.hour()).unwrap_or(0),
                minute: u32::try_from(z.minute()).unwrap_or(0),
                second: u32::try_from(z.second()).unwrap_or(0),
            };
            vault_core::time::long_text(&at, &z.strftime("%Z").to_string())
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_the_zone_and_uses_it() {
        let z = Timestamp::from_second(1_796_479_380)
            .expect("in range")
            .to_zoned_datetime(TimeZone::get("Europe/Paris").expect("the tzdb has Paris"));
        assert_eq!(
            z.strftime("%-d %B %Y, %H:%M %Z").to_string(),
            "5 December 2026, 15:03 CET"
        );
        assert_eq!(
            z.strftime("%Y-%m-%d %H:%M %Z").to_string(),
            "2026-12-05 15:03 CET"
        );
        // The words of a sentence are the catalogue's, the same in English.
        let at = vault_core::time::Civil {
            year: 2026,
            month: 12,
            day: 5,
            hour: 15,
            minute: 3,
            second: 0,
        };
        assert_eq!(
            vault_core::time::long_text(&at, "CET"),
            "5 December 2026, 15:03 CET"
        );
        // Whatever the device's zone, the zone is said.
        let s = short(1_796_479_380);
        assert!(s.split(' ').count() == 3, "{s}");
    }
}
