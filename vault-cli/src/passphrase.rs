//! Getting a passphrase: from a file (scripts) or a hidden prompt on the
//! terminal. Never from an argument or an environment variable, which other
//! programs on the device can read.

use std::io::{IsTerminal, Read};
use std::path::Path;

use zeroize::Zeroizing;

use crate::error::CliError;

/// The shortest passphrase `init` and `passwd` accept.
pub const MIN_LEN: usize = 8;

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
            format!(
                "The passphrase file {} is longer than {MAX_FILE_LEN} bytes, so it cannot be a passphrase file. Check that you gave the right file.",
                path.display()
            ),
        ));
    }
    let mut text = Zeroizing::new(String::from_utf8(bytes.to_vec()).map_err(|_| {
        CliError::usage(
            "bad_passphrase_file",
            format!(
                "The passphrase file {} is not text. Save the passphrase as plain text.",
                path.display()
            ),
        )
    })?);
    // One trailing line break is how editors end a file; it is not part
    // of the passphrase. Anything else is kept exactly.
    crate::output::strip_line_end(&mut text);
    if text.is_empty() {
        return Err(CliError::usage(
            "empty_passphrase",
            format!(
                "The passphrase file {} is empty. Put the passphrase in it, then try again.",
                path.display()
            ),
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
            "No passphrase was typed, so nothing was changed. Please try again.",
        ));
    }
    Ok(p)
}

fn no_terminal() -> CliError {
    CliError::usage(
        "no_passphrase",
        "No passphrase was given. Run this in a terminal to be asked for it, or use --passphrase-file FILE.",
    )
}

/// The passphrase that opens an existing vault.
pub fn existing(file: Option<&Path>) -> Result<Passphrase, CliError> {
    match file {
        Some(f) => from_file(f),
        None => prompt("Passphrase: "),
    }
}

/// A new passphrase: from a file, or typed twice on the terminal.
pub fn new(file: Option<&Path>) -> Result<Passphrase, CliError> {
    choose(
        file,
        &format!(
            "Choose a passphrase (at least {MIN_LEN} characters; a few unrelated words work well).\nIt is not shown as you type.\nNew passphrase: "
        ),
    )
}

/// A new passphrase for an agency key file (not the vault's), with the
/// same rules as [`new`].
pub fn new_for_key_file(file: Option<&Path>) -> Result<Passphrase, CliError> {
    choose(
        file,
        &format!(
            "Choose a passphrase for the key file, different from the vault's (at least {MIN_LEN} characters; a few unrelated words work well).\nYou will type it on the agency's page to load the key. It is not shown as you type.\nKey file passphrase: "
        ),
    )
}

/// A new passphrase is long enough, checked as soon as it is typed (before
/// it is asked for again), so nobody types a refused one twice.
fn long_enough(p: &str) -> Result<(), CliError> {
    if p.chars().count() < MIN_LEN {
        return Err(CliError::usage(
            "passphrase_too_short",
            format!("That passphrase is too short, so nothing was changed. Please choose a passphrase of at least {MIN_LEN} characters; a few unrelated words are easy to remember and hard to guess."),
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
            let again = prompt("Type it again to check: ")?;
            if first.as_bytes() != again.as_bytes() {
                return Err(CliError::usage(
                    "passphrase_mismatch",
                    "The two passphrases were not the same, so nothing was changed. Please try again.",
                ));
            }
            Ok(first)
        }
    }
}

/// How many passphrases one run asks for at a terminal before it stops.
pub const TRIES: u32 = 3;

/// Said after each wrong passphrase but the last, before asking again.
pub const TRY_AGAIN: &str = "That passphrase did not open the vault. Please type it again.";

/// The last wrong passphrase of a run at a terminal: what the person can
/// check, and the truth about a lost passphrase. Nothing is counted or
/// kept between runs (a count on disk would tell whoever holds the device
/// that someone tried).
pub fn last_wrong() -> CliError {
    CliError::new(
        crate::error::Code::WrongPassphrase,
        "wrong_passphrase",
        format!("That passphrase did not open the vault either ({TRIES} tries), so nothing was changed. Check that Caps Lock is off and that the keyboard is set to the language you used when you chose the passphrase, then run the command again. Nobody can recover a lost passphrase, not even the people who made this program: without it, what is in this vault cannot be opened."),
    )
}
