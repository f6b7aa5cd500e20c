//! `vault agency redeem`: open a share a survivor gave this agency.
//!
//! The relay counts the use before it answers, so nothing here may fail
//! after the answer without saying exactly why. Every check (token
//! signature, window, audience, token id, share hash, claims, consent
//! text, scope, receipt) is vault-core's [`open_received`], the one path
//! the vectors and the browser also take; it runs on the whole share
//! before a single file is written.

use std::io;
use std::path::{Path, PathBuf};

use serde_json::json;
use vault_core::display::{visible, visible_lines};
use vault_core::docname::{numbered, safe_file_name};
use vault_core::relay::api::RedeemResponse;
use vault_core::relay::{hex, Refusal};
use vault_core::share::open::{open_received, Answer};
use vault_core::share::redeem;
use vault_core::share::EntryKind;
use vault_core::words::Problem;
use vault_core::{msg, time, PublicId, Role, ShareLink};
use zeroize::Zeroizing;

use super::printed;
use super::relay_pin::{self, Pin};
use crate::cli::RedeemArgs;
use crate::client::ClientError;
use crate::error::{CliError, Code};
use crate::output::PrivateFile;
use crate::Ctx;

fn not_genuine(what: &str) -> CliError {
    CliError::new(
        Code::Damaged,
        "not_genuine",
        msg!("redeem-not-genuine", what = what),
    )
}

/// The most read from standard input for a link (a link is about 100).
const MAX_LINK_INPUT: u64 = 4096;

/// The link from the argument or the QR picture.
fn link(args: &RedeemArgs) -> Result<ShareLink, CliError> {
    let text = match (&args.link, &args.image) {
        (Some(l), _) if l == "-" => {
            let mut bytes = Zeroizing::new(Vec::new());
            io::Read::read_to_end(
                &mut io::Read::take(io::stdin(), MAX_LINK_INPUT + 1),
                &mut bytes,
            )
            .map_err(|_| CliError::usage("bad_link", msg!("redeem-stdin-unreadable")))?;
            if bytes.len() as u64 > MAX_LINK_INPUT {
                return Err(CliError::usage(
                    "bad_link",
                    msg!("redeem-stdin-too-long", max = MAX_LINK_INPUT),
                ));
            }
            let line = std::str::from_utf8(&bytes)
                .map_err(|_| CliError::usage("bad_link", msg!("redeem-stdin-not-text")))?;
            Zeroizing::new(line.trim().to_owned())
        }
        (Some(l), _) => Zeroizing::new(l.clone()),
        (None, Some(path)) => Zeroizing::new(super::qr_text_from_picture(path, "share")?),
        (None, None) => return Err(CliError::usage("bad_arguments", msg!("redeem-no-link"))),
    };
    ShareLink::parse(&text)
        .map_err(|e| CliError::usage("bad_link", msg!("redeem-bad-link", reason = e.to_string())))
}

/// A new folder for documents when none was given: never lose what the
/// relay has already counted as used.
fn default_out(id: &str) -> PathBuf {
    PathBuf::from(format!("shared-{}", &id[..12]))
}

/// A new private file in `dir` for a document: named after the
/// survivor's file (made safe, [`safe_file_name`]) or, without a name,
/// after the field (field paths are `[a-z0-9_.-]`, safe as file names).
/// If that is taken: `passport-2.jpg`, `passport-3.jpg`, … (or
/// `documents.passport-2` for a field name). Never overwrites.
fn free_file(
    dir: &Path,
    file_name: Option<&str>,
    field: &str,
) -> Result<(PathBuf, PrivateFile), CliError> {
    let base = safe_file_name(file_name, field);
    let named = file_name.is_some() && base != field;
    for n in 1..=1000 {
        let name = match (n, named) {
            (1, _) => base.clone(),
            (_, true) => numbered(&base, n),
            (_, false) => format!("{base}-{n}"),
        };
        let dest = dir.join(name);
        if dest.symlink_metadata().is_ok() {
            continue;
        }
        match PrivateFile::create(&dest) {
            Ok(f) => return Ok((dest, f)),
            Err(e) if e.kind == "output_exists" => continue,
            Err(e) => return Err(e),
        }
    }
    Err(CliError::usage(
        "output_exists",
        msg!(
            "redeem-no-free-name",
            field = field,
            folder = dir.display().to_string()
        ),
    ))
}

pub fn run(ctx: &Ctx, args: &RedeemArgs) -> Result<(), CliError> {
    let link = link(args)?;
    if let Some(out) = &args.out {
        if out.exists() && !out.is_dir() {
            return Err(CliError::usage(
                "bad_output",
                msg!("redeem-out-is-file", path = out.display().to_string()),
            ));
        }
    }
    // Checked before anything is sent: no use is spent on a typing slip.
    let given_relay = args
        .relay_key
        .as_deref()
        .map(|k| {
            PublicId::parse(k.trim(), Role::Relay)
                .map_err(|_| CliError::usage("bad_relay_key", msg!("redeem-relay-key-bad")))
        })
        .transpose()?;
    let keys = ctx.open_vault(Role::Agency)?;
    let me = keys.identity().public();
    let origin = link.origin();
    let relay = crate::client::Relay::new(&origin);
    let id = link.token_id();
    let now = time::now();
    let request = redeem::request(&link, Some(keys.identity()), now);
    let answer: RedeemResponse = relay
        .post("/v1/redeem", &request, None)
        .map_err(|e| match e {
            ClientError::Refused(r) => CliError::new(Code::Refused, r.code(), r.message()),
            // The key's proof carried this computer's wrong time: said as
            // the agency's page says it, with how far off it is.
            ClientError::Detailed {
                refusal: r @ Refusal::ClockSkew,
                relay_time,
                ..
            } => {
                let p = Problem::clock_skew(time::now(), relay_time);
                CliError::new(
                    Code::Refused,
                    r.code(),
                    format!("{} {}", p.message(), p.words().next),
                )
            }
            other => other.into_cli(&origin, &msg!("redeem-what-opened")),
        })?;
    // Every check, on the whole share, before anything is shown or saved.
    let received = Answer::from_response(&answer).map_err(|e| not_genuine(&e.to_string()))?;
    let relay_id = received.relay;
    let opened = open_received(received, &link, Some(&me), time::now())
        .map_err(|e| not_genuine(&e.to_string()))?;
    // The receipt is genuine: is it the relay this folder knows?
    let pin = relay_pin::check(&keys, &origin, &relay_id, given_relay.as_ref());
    match pin {
        Pin::First => ctx.out.note(&msg!(
            "redeem-relay-first-time",
            relay_id = relay_id.to_string()
        )),
        Pin::Changed => ctx.out.note(&msg!(
            "redeem-relay-key-changed",
            origin = origin.as_str(),
            relay_id = relay_id.to_string()
        )),
        Pin::Confirmed => ctx.out.note(&msg!(
            "redeem-relay-key-confirmed",
            relay_id = relay_id.to_string()
        )),
        Pin::NotTheGivenKey => ctx.out.note(&msg!(
            "redeem-relay-key-not-given",
            relay_id = relay_id.to_string()
        )),
        Pin::NotKept => ctx.out.note(&msg!("redeem-relay-key-not-kept")),
        Pin::Same => {}
    }

    // Everything checked: now show texts and save documents.
    let mut reader = opened.entries().map_err(|e| not_genuine(&e.to_string()))?;
    let has_docs = opened.manifest.entries.iter().any(|e| e.kind.is_document());
    let out_dir = match (&args.out, has_docs) {
        (Some(d), _) => Some(d.clone()),
        (None, true) => Some(default_out(&hex(&id))),
        (None, false) => None,
    };
    if let Some(d) = &out_dir {
        create_private_dir(d).map_err(|e| CliError::file(d, "create", &e))?;
    }
    let mut fields = Vec::new();
    let mut human = Vec::new();
    for e in &opened.manifest.entries {
        match &e.kind {
            EntryKind::Text => {
                let mut buf = Zeroizing::new(Vec::new());
                reader
                    .copy_entry(e.len, &mut *buf)
                    .map_err(|e| not_genuine(&e.to_string()))?;
                // Not checked to be UTF-8 (consent-token-v1 §11): shown
                // with any invalid bytes replaced.
                let text = String::from_utf8_lossy(&buf).into_owned();
                // From someone else: shown with its control characters
                // made visible, never able to drive the agency's terminal.
                human.push(format!("{}: {}", e.path, visible(&text)));
                fields.push(json!({ "field": e.path.as_str(), "kind": "text", "value": text }));
            }
            kind => {
                let dir = out_dir.as_deref().unwrap_or(Path::new("."));
                // The use is already counted: never fail on a name that is
                // taken, pick the next free one instead.
                let (dest, mut f) = free_file(dir, kind.file_name(), e.path.as_str())?;
                reader
                    .copy_entry(e.len, f.writer())
                    .map_err(|err| match err {
                        vault_core::share::ShareError::Io(io) => {
                            CliError::file(&dest, "write", &io)
                        }
                        other => not_genuine(&other.to_string()),
                    })?;
                f.finish()?;
                human.push(format!(
                    "{}: {}",
                    e.path,
                    msg!(
                        "redeem-document-saved",
                        size = e.len,
                        path = visible(&dest.display().to_string())
                    )
                ));
                let mut field = json!({ "field": e.path.as_str(), "kind": "document", "size": e.len, "saved_as": dest.display().to_string() });
                // What the survivor's file was called, as sent (JSON
                // escapes it); the type only as a hint, never trusted.
                if let Some(n) = kind.file_name() {
                    field["file_name"] = json!(n);
                }
                if let Some(t) = kind.media_type() {
                    field["media_type"] = json!(t);
                }
                fields.push(field);
            }
        }
    }
    let issuer = opened.token.issuer();
    let b = opened.token.body();
    ctx.out.note(&msg!(
        "redeem-verified",
        issuer = issuer.to_string(),
        purpose = visible(&opened.claims.purpose),
        until = time::long_utc_text(b.expires),
        use_number = u64::from(opened.receipt.use_number),
        max_uses = u64::from(b.max_uses),
        consent_text = visible_lines(opened.manifest.consent_text.trim_end()),
    ));
    printed(ctx.out.result(
        json!({
            "issuer": issuer.to_string(),
            "purpose": opened.claims.purpose,
            "not_before": b.not_before,
            "expires": b.expires,
            "use_number": opened.receipt.use_number,
            "max_uses": b.max_uses,
            "consent_text": opened.manifest.consent_text,
            "fields": fields,
            "relay": relay_id.to_string(),
            "relay_key": pin.word(),
        }),
        Some(&human.join("\n")),
    ))
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}
