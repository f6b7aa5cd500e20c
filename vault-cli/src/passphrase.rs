//! Getting a passphrase: from a file (scripts) or a hidden prompt on the
//! terminal. Never from an argument or an environment variable, which other
//! programs on the device can read.

use std::io::{IsTerminal, Read};
use std::path::Path;

use vault_core::msg;
use zeroize::Zeroizing;

use crate::error::CliError;

/// The shortest passphrase `init` and `passwd` accept (vault-core's rule,
/// which the app keeps too).
pub const MIN_LEN: usize = vault_core::vault::MIN_PASSPHRASE_CHARS;

/// A passphrase, wiped from memory when dropped.
pub type Passphrase = Zeroizing<String>;

/// The longest passphrase file read, in bytes: far more than any
/// passphrase, and a bound on what a wrong file (a disk image, `/dev/zero`)
/// can cost.
pub const MAX_FILE_LEN: u64 = 1024;

fn from_file(path: &Path) -> Result<Passphrase, CliError> {
    let file = std::fs::File::open(path).map_err(|e| CliError::file(path, "read", &e))?;
    let mut bytes = Zeroizing::new(Vec::with_capacity(MAX_FILE_LEN as usize + 1));
    file.take(MAX_FILE_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::file(path, "read", &e))?;
    if bytes.len() as u64 > MAX_FILE_LEN {
        return Err(CliError::usage(
            "passphrase_file_too_long",
            msg!(
                "passphrase-file-too-long",
                path = path.display().to_string(),
                max_file_len = MAX_FILE_LEN
            ),
        ));
    }
    let mut text = Zeroizing::new(String::from_utf8(bytes.to_vec()).map_err(|_| {
        CliError::usage(
            "bad_passphrase_file",
            msg!(
                "passphrase-file-not-text",
                path = path.display().to_string()
            ),
        )
    })?);
    // One trailing line break is how editors end a file; it is not part
    // of the passphrase. Anything else is kept exactly.
    crate::output::strip_line_end(&mut text);
    if text.is_empty() {
        return Err(CliError::usage(
            "empty_passphrase",
            msg!("passphrase-file-empty", path = path.display().to_string()),
        ));
    }
    Ok(text)
}

fn prompt(text: &str) -> Result<Passphrase, CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(no_terminal());
    }
    let p = Zeroizing::new(rpassword::prompt_password(text).map_err(|_| no_terminal())?);
    if p.is_empty() {
        return Err(CliError::usage(
            "empty_passphrase",
            msg!("passphrase-none-typed"),
        ));
    }
    Ok(p)
}

fn no_terminal() -> CliError {
    CliError::usage("no_passphrase", msg!("passphrase-none-given"))
}

/// The passphrase that opens an existing vault.
pub fn existing(file: Option<&Path>) -> Result<Passphrase, CliError> {
    match file {
        Some(f) => from_file(f),
        None => prompt(&format!("{} ", msg!("passphrase-prompt"))),
    }
}

/// A new passphrase: from a file, or typed twice on the terminal.
pub fn new(file: Option<&Path>) -> Result<Passphrase, CliError> {
    choose(
        file,
        &format!("{} ", msg!("passphrase-prompt-new", min_len = MIN_LEN)),
    )
}

/// A new passphrase for a key file (not the vault's), with the
/// same rules as [`new`].
pub fn new_for_key_file(file: Option<&Path>) -> Result<Passphrase, CliError> {
    choose(
        file,
        &format!("{} ", msg!("passphrase-prompt-key-file", min_len = MIN_LEN)),
    )
}

/// A new passphrase is long enough, checked as soon as it is typed (before
/// it is asked for again), so nobody types a refused one twice.
fn long_enough(p: &str) -> Result<(), CliError> {
    if p.chars().count() < MIN_LEN {
        return Err(CliError::usage(
            "passphrase_too_short",
            msg!("passphrase-too-short", min_len = MIN_LEN),
        ));
    }
    Ok(())
}

fn choose(file: Option<&Path>, first_prompt: &str) -> Result<Passphrase, CliError> {
    match file {
        Some(f) => {
            let p = from_file(f)?;
            long_enough(&p)?;
            Ok(p)
        }
        None => {
            let first = prompt(first_prompt)?;
            long_enough(&first)?;
            let again = prompt(&format!("{} ", msg!("passphrase-prompt-again")))?;
            if first.as_bytes() != again.as_bytes() {
                return Err(CliError::usage(
                    "passphrase_mismatch",
                    msg!("passphrase-mismatch"),
                ));
            }
            Ok(first)
        }
    }
}

/// How many passphrases one run asks for at a terminal before it stops.
pub const TRIES: u32 = 3;

/// Said after each wrong passphrase but the last, before asking again.
pub fn try_again() -> String {
    msg!("passphrase-try-again")
}

/// The last wrong passphrase of a run at a terminal: what the person can
/// check, and the truth about a lost passphrase. Nothing is counted or
/// kept between runs (a count on disk would tell whoever holds the device
/// that someone tried).
pub fn last_wrong() -> CliError {
    CliError::new(
        crate::error::Code::WrongPassphrase,
        "wrong_passphrase",
        msg!("passphrase-last-wrong", tries = u64::from(TRIES)),
    )
}
