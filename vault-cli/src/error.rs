//! What the `vault` command says when something goes wrong, and its exit
//! codes (documented in `docs/cli.md`).
//!
//! Every error is one or two calm sentences: what happened, and what to do
//! next. None of them ever contains a passphrase, a key or a saved value.

use std::fmt;
use std::path::Path;

use vault_core::VaultError;

/// Exit codes, stable for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// Storage or system failure not listed below.
    Failure = 1,
    /// The command line or an input was not usable.
    Usage = 2,
    /// The passphrase did not open the vault.
    WrongPassphrase = 3,
    /// No vault where one was expected, or one where none should be.
    VaultPresence = 4,
    /// Nothing saved under that field name.
    FieldNotFound = 5,
    /// Another program has the vault open.
    Locked = 6,
    /// Stored data failed authentication.
    Damaged = 7,
    /// The person said no at a question; nothing was changed.
    Cancelled = 8,
    /// The relay refused (revoked, expired, used up, wrong agency, not found, …).
    Refused = 9,
    /// The relay could not be reached or gave no usable answer: the outcome is unknown.
    Unreachable = 10,
}

/// An error ready to show.
#[derive(Debug)]
pub struct CliError {
    pub code: Code,
    /// Stable machine code for `--json`.
    pub kind: &'static str,
    pub message: String,
}

impl CliError {
    pub fn new(code: Code, kind: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            kind,
            message: message.into(),
        }
    }

    pub fn usage(kind: &'static str, message: impl Into<String>) -> Self {
        Self::new(Code::Usage, kind, message)
    }

    pub fn cancelled() -> Self {
        Self::new(Code::Cancelled, "cancelled", "Nothing was changed.")
    }

    /// Turns an I/O error on a named file into a sentence.
    pub fn file(path: &Path, action: &str, e: &std::io::Error) -> Self {
        use std::io::ErrorKind::*;
        let p = path.display();
        match e.kind() {
            NotFound => Self::usage(
                "file_not_found",
                format!("The file {p} was not found. Check the name and the folder, then try again."),
            ),
            PermissionDenied => Self::usage(
                "permission_denied",
                format!("This program is not allowed to {action} {p}. Check the file's permissions."),
            ),
            AlreadyExists => Self::usage(
                "output_exists",
                format!("{p} already exists, so nothing was written. Choose a new file name, or move that file first."),
            ),
            IsADirectory => Self::usage(
                "is_a_folder",
                format!("{p} is a folder, not a file. Give the path of a file."),
            ),
            _ => Self::new(
                Code::Failure,
                "io",
                format!("Could not {action} {p}: {e}."),
            ),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<VaultError> for CliError {
    fn from(e: VaultError) -> Self {
        match e {
            VaultError::NotFound(d) => Self::new(
                Code::VaultPresence,
                "no_vault",
                format!("There is no vault in {} yet. To make one, run `vault init`; if your vault is in another folder, give it with --vault.", d.display()),
            ),
            VaultError::AlreadyExists(d) => Self::new(
                Code::VaultPresence,
                "vault_exists",
                format!("There is already a vault in {}, so nothing was changed. To make another one, choose a new folder with --vault.", d.display()),
            ),
            VaultError::NotEmpty(d) => Self::new(
                Code::VaultPresence,
                "folder_not_empty",
                format!("The folder {} already has other files in it, so no vault was made there. Choose an empty or new folder with --vault.", d.display()),
            ),
            VaultError::NotAFolder(d) => Self::usage(
                "not_a_folder",
                format!("{} is a file, not a folder, so no vault was made there. Choose a folder for the vault with --vault.", d.display()),
            ),
            VaultError::Locked => Self::new(
                Code::Locked,
                "locked",
                "The vault is open in another program right now. Close that program, then try again.",
            ),
            VaultError::WrongPassphrase => Self::new(
                Code::WrongPassphrase,
                "wrong_passphrase",
                "That passphrase did not open the vault. Nothing was changed; please try again.",
            ),
            VaultError::HeaderDamaged => Self::new(
                Code::Damaged,
                "vault_damaged",
                "Both copies of the vault's key information are damaged, so the vault cannot be opened. If you have a copy of the vault folder, try the copy.",
            ),
            VaultError::IdentityUnreadable => Self::new(
                Code::Damaged,
                "vault_damaged",
                "Both copies of the vault's identity are damaged, so the vault cannot be opened. If you have a copy of the vault folder, try the copy.",
            ),
            VaultError::Newer => Self::new(
                Code::VaultPresence,
                "newer_vault",
                "This vault was made by a newer version of Survivor Vault. Please update this program, then try again.",
            ),
            VaultError::FieldNotFound(p) => Self::new(
                Code::FieldNotFound,
                "field_not_found",
                format!("There is nothing saved under {p}. Run `vault ls` to see what is saved."),
            ),
            VaultError::Unreadable(p) => Self::new(
                Code::Damaged,
                "could_not_decrypt",
                format!("{p} is damaged and cannot be read; your other fields are not affected. To keep it, save it again with `vault put --replace {p}`, and run `vault check` to see whether anything else is damaged."),
            ),
            VaultError::OldStoreUnreadable => Self::new(
                Code::Damaged,
                "vault_damaged",
                "This vault was saved by an earlier version, and its records could not be read to bring them up to date; the folder was left exactly as it was. If you have a copy of the vault folder, try the copy.",
            ),
            VaultError::NotPrivate(p) => Self::new(
                Code::Failure,
                "not_private",
                format!("Other people on this computer can read {}, and this program could not make it private, so the vault was not opened. Make the folder and its files yours alone (for example: chmod -R go-rwx), then try again.", p.display()),
            ),
            VaultError::TextTooLong => Self::usage(
                "text_too_long",
                format!("That text is longer than {} bytes. Save it as a document instead, with --file PATH.", vault_core::vault::MAX_TEXT_LEN),
            ),
            VaultError::Store(e) => Self::new(
                Code::Failure,
                "storage",
                format!("The vault could not be read or written ({e}). Check that the disk has space and the folder can be written to; your saved data has not been changed."),
            ),
            VaultError::Io(e) => Self::new(Code::Failure, "io", format!("Reading or writing failed: {e}.")),
            VaultError::Crypto(_) => Self::new(
                Code::Failure,
                "random",
                "This computer's random number generator failed, so nothing was saved. Please try again.",
            ),
            other => Self::new(Code::Failure, "failure", format!("Something went wrong: {other}.")),
        }
    }
}
