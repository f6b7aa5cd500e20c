//! One module per subcommand.

pub mod advocate;
pub mod backup;
pub mod check;
pub mod contacts;
pub mod delegate;
pub mod export_key;
pub mod get;
pub mod grant;
pub mod grants;
pub mod id;
pub mod init;
pub mod log;
pub mod ls;
pub mod passwd;
pub mod permission;
pub mod put;
pub mod redeem;
pub mod relay_pin;
pub mod revoke;
pub mod rm;

use crate::error::{CliError, Code};

/// Printing the result failed: a closed pipe is not an error (the reader
/// has all it wanted); anything else is.
pub fn printed(r: std::io::Result<()>) -> Result<(), CliError> {
    match r {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            Err(CliError::new(Code::Failure, "broken_pipe", ""))
        }
        Err(_) => Err(CliError::new(
            Code::Failure,
            "io",
            vault_core::msg!("cmd-print-failed"),
        )),
    }
}

/// Parses a field name argument.
pub fn field(s: &str) -> Result<vault_core::FieldPath, CliError> {
    vault_core::FieldPath::parse(s).map_err(|e| {
        CliError::usage(
            "bad_field",
            vault_core::msg!(
                "cmd-bad-field",
                value = s.escape_debug().to_string(),
                reason = e.to_string()
            ),
        )
    })
}

/// An error's text as a sentence: capital first letter, full stop.
/// A QR code's text ([`vault_core::qr::to_terminal`]) for standard output: black on white whatever the
/// terminal's colours when it is a terminal, so phones read it; plain
/// otherwise.
pub fn qr_picture(text: String) -> String {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return text;
    }
    text.lines()
        .map(|l| format!("\x1b[30;107m{l}\x1b[0m"))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn sentence(e: impl std::fmt::Display) -> String {
    let s = e.to_string();
    let mut c = s.chars();
    match c.next() {
        Some(f) => format!("{}{}.", f.to_uppercase(), c.as_str().trim_end_matches('.')),
        None => String::new(),
    }
}

/// The largest picture read for a QR code: a phone's photo is a few MiB.
pub const MAX_PICTURE_LEN: u64 = 64 * 1024 * 1024;

/// The text of the QR code in the picture at `path` (PNG or JPEG; HEIC and
/// anything else get their own sentence). `what` names the code for the
/// sentences: `share` or `id`.
pub fn qr_text_from_picture(path: &std::path::Path, what: &str) -> Result<String, CliError> {
    use std::io::Read;
    let too_large = || {
        CliError::usage(
            "bad_picture",
            vault_core::msg!(
                "picture-too-large",
                path = path.display().to_string(),
                max_mib = MAX_PICTURE_LEN / (1024 * 1024),
                what = what
            ),
        )
    };
    let f = std::fs::File::open(path).map_err(|e| CliError::file(path, "read", &e))?;
    let meta = f.metadata().map_err(|e| CliError::file(path, "read", &e))?;
    if meta.is_dir() {
        let e = std::io::Error::from(std::io::ErrorKind::IsADirectory);
        return Err(CliError::file(path, "read", &e));
    }
    if meta.len() > MAX_PICTURE_LEN {
        return Err(too_large());
    }
    // A pipe or device has no length: read at most the limit.
    let mut bytes = Vec::new();
    f.take(MAX_PICTURE_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::file(path, "read", &e))?;
    if bytes.len() as u64 > MAX_PICTURE_LEN {
        return Err(too_large());
    }
    vault_core::qr::decode_picture(&bytes).map_err(|e| CliError::usage("bad_picture", sentence(e)))
}
