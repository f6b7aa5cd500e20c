//! `vault ls`: what is saved, never the values.

use serde_json::json;

use super::printed;
use crate::error::CliError;
use crate::output::human_size;
use crate::Ctx;

pub fn run(ctx: &Ctx) -> Result<(), CliError> {
    let vault = ctx.open_vault(vault_core::Role::Survivor)?;
    let (entries, unreadable) = vault.list()?;
    let json = json!({
        "fields": entries.iter().map(|e| json!({
            "field": e.path.as_str(),
            "kind": e.kind.as_str(),
            "size": e.size,
            "updated": e.updated,
        })).collect::<Vec<_>>(),
        "unreadable": unreadable,
    });
    let width = entries
        .iter()
        .map(|e| e.path.as_str().len())
        .max()
        .unwrap_or(0)
        .max("FIELD".len());
    let mut human = format!(
        "{:width$}  {:8}  {:>10}  SAVED (UTC)",
        "FIELD", "KIND", "SIZE"
    );
    for e in &entries {
        human.push_str(&format!(
            "\n{:width$}  {:8}  {:>10}  {}",
            e.path.as_str(),
            e.kind.as_str(),
            human_size(e.size),
            utc(e.updated)
        ));
    }
    if entries.is_empty() && unreadable == 0 {
        ctx.out
            .note("Nothing is saved yet. Save something with `vault put FIELD`.");
        return printed(ctx.out.result(json, None));
    }
    if unreadable > 0 {
        ctx.out.note(&format!(
            "{unreadable} saved item(s) could not be decrypted; they may have been damaged or changed. Everything listed here is fine."
        ));
    }
    printed(ctx.out.result(json, Some(&human)))
}

/// Seconds since 1970 as `YYYY-MM-DD HH:MM` (UTC), by the civil-from-days
/// algorithm (H. Hinnant), so no date library is needed.
fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_utc_dates() {
        assert_eq!(super::utc(0), "1970-01-01 00:00");
        assert_eq!(super::utc(1_795_000_000), "2026-11-18 11:06");
        assert_eq!(super::utc(951_782_400), "2000-02-29 00:00");
    }
}
