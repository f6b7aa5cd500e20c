//! `vault grant`: share chosen fields, after showing exactly what that
//! means and asking.

use std::io;

use serde_json::json;
use vault_core::grant::{self, GrantError, GrantRequest};
use vault_core::time::{self, Civil};
use vault_core::token::{MAX_USES, MAX_VALIDITY_SECS};
use vault_core::vault::NS_GRANT;
use vault_core::{msg, qr, Role, Scope};

use super::{printed, sentence};
use crate::cli::GrantArgs;
use crate::error::{CliError, Code};
use crate::output::{confirm, PrivateFile};
use crate::Ctx;

pub fn run(ctx: &Ctx, args: &GrantArgs) -> Result<(), CliError> {
    // Everything that can be checked without the vault is checked first,
    // so a typo never costs a passphrase.
    let scope =
        Scope::parse_list(&args.fields).map_err(|e| CliError::usage("bad_fields", sentence(&e)))?;
    // An id is checked now; a contact's name once the vault is open.
    if let Some(to) = &args.audience.to {
        super::contacts::early(to, Role::Agency)?;
    }
    if args.uses == 0 || args.uses > MAX_USES {
        return Err(CliError::usage(
            "bad_uses",
            msg!("grant-bad-uses", max_uses = u64::from(MAX_USES)),
        ));
    }
    let relay = ctx.relay()?;
    let origin = relay.origin().to_owned();
    // Whole minutes, so the consent text states the exact times signed.
    let now = time::now();
    let not_before = now / 60 * 60;
    let expires = parse_expiry(&args.expires, now)?;
    for out in [
        args.bundle_out.as_ref(),
        args.qr_png.as_ref(),
        args.qr_print.as_ref(),
        args.qr_svg.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        if out.exists() {
            let e = io::Error::from(io::ErrorKind::AlreadyExists);
            return Err(CliError::file(out, "write", &e));
        }
    }

    let vault = ctx.open_vault(Role::Survivor)?;
    let (audience, shown, known) = match &args.audience.to {
        Some(to) => {
            let (id, shown, known) = super::contacts::resolve(&vault, to, Role::Agency)?;
            (Some(id), Some(shown), known)
        }
        None => (None, None, true),
    };
    let prepared = grant::prepare(
        &vault,
        GrantRequest {
            scope,
            audience,
            purpose: args.purpose.trim().to_owned(),
            not_before,
            expires,
            max_uses: args.uses,
        },
    )
    .map_err(grant_error)?;

    // The survivor sees what leaves and whom it goes to by their own name
    // for it; the agency is shown the signed text (prepared.consent_text).
    ctx.out.note(
        &prepared
            .survivor_preview(&vault, shown.as_deref())
            .map_err(grant_error)?,
    );
    if let (Some(a), false) = (&audience, known) {
        ctx.out.note(&super::contacts::unknown_note(a));
    }
    if !args.yes && !confirm(&msg!("grant-ask"), "--yes")? {
        return Err(CliError::cancelled());
    }

    let (issued, bundle) = grant::issue_bundle(
        &vault,
        &prepared,
        &origin,
        vault_core::time::now(),
        Vec::new(),
    )
    .map_err(grant_error)?;
    let (share, token) = vault_core::share::bundle::split(&bundle)
        .map_err(|e| CliError::new(Code::Failure, "failure", sentence(e)))?;
    let link_text = issued.link.to_text();
    let code =
        qr::encode(&link_text).map_err(|e| CliError::new(Code::Failure, "qr", sentence(&e)))?;

    // Files first, upload last: if anything fails before the relay has the
    // share, nobody can use it, and nothing half-done is left behind.
    let mut written = Vec::new();
    let token_id = vault_core::relay::hex(&issued.record.token_id);
    let page = Printable {
        expires,
        uses: args.uses,
        withdraw_id: &token_id[..12],
    };
    let outcome = write_files(args, &bundle, &code, &page, &mut written).and_then(|()| {
        relay
            .upload_share(token, share, vault.identity())
            .map_err(|e| {
                let mut err = e.into_cli(&origin, &msg!("grant-what-stored"));
                // No link was shown, so nobody can use what may have
                // reached the relay. Say so, and "try again" only once.
                err.message = if err.message.contains("try again") {
                    format!("{} {}", err.message, msg!("grant-nothing-shared"))
                } else {
                    format!("{} {}", err.message, msg!("grant-nothing-shared-again"))
                };
                err
            })
    });
    if let Err(e) = outcome {
        let _ = vault.remove_private(NS_GRANT, &issued.record.token_id);
        for path in written {
            let _ = std::fs::remove_file(path);
        }
        return Err(e);
    }

    let who = match &audience {
        Some(a) => msg!(
            "grant-show-to-agency",
            agency = shown
                .as_deref()
                .map_or_else(|| a.to_string(), str::to_owned)
        ),
        None => msg!("grant-show-to-anyone"),
    };
    ctx.out.note(&msg!(
        "grant-shared",
        who = who,
        until = crate::local::long(expires),
        withdraw_id = &token_id[..12]
    ));
    let qr_text = super::qr_picture(qr::to_terminal(&code));
    printed(ctx.out.result(
        json!({
            "token_id": token_id,
            "link": link_text.as_str(),
            "fields": issued.record.fields.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
            "audience": audience.map(|a| a.to_string()),
            "not_before": not_before,
            "expires": expires,
            "uses": args.uses,
            "relay": origin,
            "sealed_len": issued.sealed_len,
            "qr_version": qr::version(&link_text).ok(),
        }),
        Some(&format!(
            "{qr_text}\n{}\n{}",
            link_text.as_str(),
            msg!("grant-token-id", token_id = &token_id)
        )),
    ))
}

/// What the printable page (`--qr-print`) says under the code.
struct Printable<'a> {
    expires: u64,
    uses: u32,
    /// The short token id the survivor gives `vault revoke`.
    withdraw_id: &'a str,
}

/// The printable page's heading: neutral words only, as a stranger may
/// see the paper.
pub fn print_heading() -> [String; 2] {
    [msg!("grant-print-heading"), msg!("grant-print-scan")]
}

impl Printable<'_> {
    fn details(&self) -> [String; 3] {
        [
            msg!(
                "grant-print-until",
                until = time::long_utc_text(self.expires)
            ),
            msg!("grant-print-uses", uses = u64::from(self.uses)),
            msg!("grant-print-withdraw-id", withdraw_id = self.withdraw_id),
        ]
    }
}

/// Writes the optional bundle and QR files, recording each one made.
fn write_files(
    args: &GrantArgs,
    bundle: &[u8],
    code: &qrcode::QrCode,
    page: &Printable<'_>,
    written: &mut Vec<std::path::PathBuf>,
) -> Result<(), CliError> {
    if let Some(path) = &args.bundle_out {
        let mut f = PrivateFile::create(path)?;
        io::Write::write_all(f.writer(), bundle).map_err(|e| CliError::file(path, "write", &e))?;
        f.finish()?;
        written.push(path.clone());
    }
    if let Some(path) = &args.qr_png {
        let mut f = PrivateFile::create(path)?;
        qr::write_png(code, f.writer()).map_err(|e| picture_error(path, e))?;
        f.finish()?;
        written.push(path.clone());
    }
    if let Some(path) = &args.qr_print {
        let mut f = PrivateFile::create(path)?;
        let details = page.details();
        let details: Vec<&str> = details.iter().map(String::as_str).collect();
        let heading = print_heading();
        let heading: Vec<&str> = heading.iter().map(String::as_str).collect();
        qr::write_print_png(code, &heading, &details, f.writer())
            .map_err(|e| picture_error(path, e))?;
        f.finish()?;
        written.push(path.clone());
    }
    if let Some(path) = &args.qr_svg {
        let mut f = PrivateFile::create(path)?;
        io::Write::write_all(f.writer(), qr::to_svg(code).as_bytes())
            .map_err(|e| CliError::file(path, "write", &e))?;
        f.finish()?;
        written.push(path.clone());
    }
    Ok(())
}

/// A picture that could not be written: a file error names the file and
/// says what to do (never the system's own words).
fn picture_error(path: &std::path::Path, e: qr::QrError) -> CliError {
    match e {
        qr::QrError::Io(io) => CliError::file(path, "write", &io),
        other => CliError::new(Code::Failure, "qr", sentence(&other)),
    }
}

/// Why the sealed share could not be written, as a catalogue choice
/// (never the system's own words).
fn upload_file_problem(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind::*;
    match e.kind() {
        StorageFull | QuotaExceeded | FileTooLarge => "full",
        PermissionDenied | ReadOnlyFilesystem => "not-allowed",
        _ => "other",
    }
}

fn grant_error(e: GrantError) -> CliError {
    match e {
        GrantError::Vault(v) => v.into(),
        GrantError::NothingMatches(_) => {
            CliError::new(Code::FieldNotFound, "field_not_found", sentence(&e))
        }
        GrantError::Io(e) => CliError::new(
            Code::Failure,
            "io",
            msg!("grant-upload-file-failed", kind = upload_file_problem(&e)),
        ),
        other => CliError::usage("bad_grant", sentence(&other)),
    }
}

/// `30m`, `12h`, `7d`, `2w`, or a UTC time `2026-12-01`,
/// `2026-12-01T17:00Z`, `2026-12-01 17:00`; returns the expiry.
pub fn parse_expiry(s: &str, now: u64) -> Result<u64, CliError> {
    let s = s.trim();
    let bad = || {
        CliError::usage(
            "bad_expiry",
            msg!("grant-bad-expiry", value = s.escape_debug().to_string()),
        )
    };
    let expires = if let Some(unit) = s.chars().last().filter(|c| "mhdw".contains(*c)) {
        let n: u64 = s[..s.len() - 1].parse().map_err(|_| bad())?;
        let unit_secs = match unit {
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => 7 * 86_400,
        };
        let len = n.checked_mul(unit_secs).ok_or_else(too_long)?;
        if len > MAX_VALIDITY_SECS {
            return Err(too_long());
        }
        if len < MIN_LENGTH_SECS {
            return Err(CliError::usage("bad_expiry", msg!("grant-too-short")));
        }
        // From the start of this minute, so the consent text states whole
        // minutes ("1 day", not "23 hours and 59 minutes"); the 5-minute
        // floor leaves at least 4 minutes even late in a minute.
        now / 60 * 60 + len
    } else {
        parse_utc(s).ok_or_else(bad)?
    };
    if expires <= now {
        return Err(CliError::usage("expiry_passed", msg!("grant-passed")));
    }
    if expires - now / 60 * 60 > MAX_VALIDITY_SECS {
        return Err(too_long());
    }
    Ok(expires)
}

/// The shortest length a share may be given.
const MIN_LENGTH_SECS: u64 = 5 * 60;

fn too_long() -> CliError {
    CliError::usage(
        "expiry_too_far",
        msg!(
            "grant-too-long",
            longest = time::span_text(MAX_VALIDITY_SECS)
        ),
    )
}

fn parse_utc(s: &str) -> Option<u64> {
    let s = s.strip_suffix('Z').unwrap_or(s);
    let (date, clock) = match s.split_once(['T', ' ']) {
        Some((d, c)) => (d, Some(c)),
        None => (s, None),
    };
    let mut d = date.split('-');
    let (year, month, day) = (
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
    );
    if d.next().is_some() {
        return None;
    }
    let (hour, minute) = match clock {
        Some(c) => {
            let (h, m) = c.split_once(':')?;
            (h.parse().ok()?, m.parse().ok()?)
        }
        None => (0, 0),
    };
    Civil {
        year,
        month,
        day,
        hour,
        minute,
        second: 0,
    }
    .to_unix()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_795_000_037;

    #[test]
    fn parses_lengths_and_dates() {
        // Lengths count from the start of the current minute.
        let minute = NOW / 60 * 60;
        assert_ne!(NOW, minute);
        assert_eq!(parse_expiry("30m", NOW).ok(), Some(minute + 1800));
        assert_eq!(parse_expiry("24h", NOW).ok(), Some(minute + 86_400));
        assert_eq!(parse_expiry("2w", NOW).ok(), Some(minute + 14 * 86_400));
        assert_eq!(parse_expiry("5m", minute + 59).ok(), Some(minute + 300));
        assert_eq!(
            parse_expiry("90d", NOW).ok(),
            Some(minute + MAX_VALIDITY_SECS)
        );
        assert_eq!(parse_expiry("2026-12-01", NOW).ok(), Some(1_796_083_200));
        assert_eq!(
            parse_expiry("2026-12-01T17:00Z", NOW).ok(),
            Some(1_796_144_400)
        );
        assert_eq!(
            parse_expiry("2026-12-01 17:00", NOW).ok(),
            Some(1_796_144_400)
        );
    }

    #[test]
    fn refuses_past_far_and_nonsense() {
        for (s, kind) in [
            ("2020-01-01", "expiry_passed"),
            ("91d", "expiry_too_far"),
            ("99999999999999w", "expiry_too_far"),
            ("0h", "bad_expiry"),
            ("4m", "bad_expiry"),
            ("soon", "bad_expiry"),
            ("2026-02-30", "bad_expiry"),
            ("", "bad_expiry"),
        ] {
            assert_eq!(
                parse_expiry(s, NOW).err().map(|e| e.kind),
                Some(kind),
                "{s}"
            );
        }
    }
}
