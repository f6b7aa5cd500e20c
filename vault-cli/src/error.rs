//! What the `vault` command says when something goes wrong, and its exit
//! codes (documented in `docs/cli.md`).
//!
//! Every error is one or two calm sentences: what happened, and what to do
//! next. None of them ever contains a passphrase, a key or a saved value.

use std::fmt;
use std::path::Path;

use vault_core::{msg, VaultError};

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
    /// An advocate has no live permission from this survivor: nothing was
    /// done (relay answer `no_permission`).
    NoPermission = 11,
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
        Self::new(Code::Cancelled, "cancelled", msg!("error-cancelled"))
    }

    /// Turns an I/O error on a named file into a sentence. `action` is
    /// `read`, `write` or `create`. The system's own wording ("os error
    /// 13") is never shown.
    pub fn file(path: &Path, action: &str, e: &std::io::Error) -> Self {
        use std::io::ErrorKind::*;
        let p = path.display();
        match e.kind() {
            NotFound if action == "read" => Self::usage(
                "file_not_found",
                msg!("error-file-not-found", path = p.to_string()),
            ),
            // Writing makes the file, so what is missing is its folder.
            NotFound | NotADirectory => {
                let folder = path
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                Self::usage(
                    "folder_not_found",
                    msg!(
                        "error-folder-not-found",
                        folder = folder.display().to_string(),
                        path = p.to_string()
                    ),
                )
            }
            PermissionDenied => Self::usage(
                "permission_denied",
                msg!(
                    "error-permission-denied",
                    action = action,
                    path = p.to_string()
                ),
            ),
            AlreadyExists => Self::usage(
                "output_exists",
                msg!("error-output-exists", path = p.to_string()),
            ),
            IsADirectory => Self::usage(
                "is_a_folder",
                msg!("error-is-a-folder", path = p.to_string()),
            ),
            ReadOnlyFilesystem => Self::usage(
                "read_only_disk",
                msg!("error-read-only-disk", path = p.to_string()),
            ),
            StorageFull | QuotaExceeded | FileTooLarge => Self::new(
                Code::Failure,
                "no_space",
                msg!("error-no-space", action = action, path = p.to_string()),
            ),
            InvalidFilename | InvalidInput => {
                Self::usage("bad_output", msg!("error-bad-output", path = p.to_string()))
            }
            _ => Self::new(
                Code::Failure,
                "io",
                msg!("error-io", action = action, path = p.to_string()),
            ),
        }
    }

    /// The vault folder `dir` exists but this user may not look inside it.
    pub fn vault_not_readable(dir: &Path) -> Self {
        Self::new(
            Code::Failure,
            "vault_not_readable",
            msg!(
                "error-vault-not-readable",
                folder = dir.display().to_string()
            ),
        )
    }
}

/// The folder of the vault this run opens, for messages about it (each
/// run of `vault` opens at most one).
static VAULT_DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

/// Remembers the vault folder this run uses, for [`From<VaultError>`].
pub fn set_vault_dir(dir: &Path) {
    let _ = VAULT_DIR.set(dir.to_owned());
}

/// "the vault in DIR", or "the vault" before the folder is known.
fn the_vault() -> String {
    VAULT_DIR.get().map_or_else(
        || msg!("error-the-vault"),
        |d| msg!("error-the-vault-in", folder = d.display().to_string()),
    )
}

/// A storage failure of the vault itself, as a sentence that names the
/// folder and says what to do; never the system's or the engine's wording.
fn vault_io(kind: Option<std::io::ErrorKind>) -> CliError {
    use std::io::ErrorKind::*;
    let v = the_vault();
    let mut v_cap = v.clone();
    v_cap.replace_range(..1, "T");
    match kind {
        Some(PermissionDenied) => CliError::new(
            Code::Failure,
            "vault_not_writable",
            msg!("error-vault-not-writable", vault = &v),
        ),
        Some(ReadOnlyFilesystem) => CliError::new(
            Code::Failure,
            "vault_not_writable",
            msg!("error-vault-read-only", vault_cap = &v_cap),
        ),
        Some(StorageFull | QuotaExceeded) => CliError::new(
            Code::Failure,
            "no_space",
            msg!("error-vault-no-space", vault = &v),
        ),
        _ => CliError::new(
            Code::Failure,
            "storage",
            msg!("error-vault-storage", vault_cap = &v_cap),
        ),
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
                msg!("error-no-vault", folder = d.display().to_string()),
            ),
            VaultError::AlreadyExists(d) => Self::new(
                Code::VaultPresence,
                "vault_exists",
                msg!("error-vault-exists", folder = d.display().to_string()),
            ),
            VaultError::NotEmpty(d) => Self::new(
                Code::VaultPresence,
                "folder_not_empty",
                msg!("error-folder-not-empty", folder = d.display().to_string()),
            ),
            VaultError::NotAFolder(d) => Self::usage(
                "not_a_folder",
                msg!("error-not-a-folder", folder = d.display().to_string()),
            ),
            VaultError::Locked => Self::new(Code::Locked, "locked", msg!("error-locked")),
            VaultError::WrongPassphrase => Self::new(
                Code::WrongPassphrase,
                "wrong_passphrase",
                msg!("error-wrong-passphrase"),
            ),
            VaultError::HeaderDamaged => {
                Self::new(Code::Damaged, "vault_damaged", msg!("error-header-damaged"))
            }
            VaultError::IdentityUnreadable => Self::new(
                Code::Damaged,
                "vault_damaged",
                msg!("error-identity-damaged"),
            ),
            VaultError::Newer => Self::new(
                Code::VaultPresence,
                "newer_vault",
                msg!("error-newer-vault"),
            ),
            VaultError::FieldNotFound(p) => Self::new(
                Code::FieldNotFound,
                "field_not_found",
                msg!("error-field-not-found", field = p.to_string()),
            ),
            VaultError::Unreadable(p) => Self::new(
                Code::Damaged,
                "could_not_decrypt",
                msg!("error-could-not-decrypt", field = p.to_string()),
            ),
            VaultError::OldStoreUnreadable => Self::new(
                Code::Damaged,
                "vault_damaged",
                msg!("error-old-store-unreadable"),
            ),
            VaultError::NotPrivate(p) => Self::new(
                Code::Failure,
                "not_private",
                msg!("error-not-private", path = p.display().to_string()),
            ),
            VaultError::TextTooLong => Self::usage(
                "text_too_long",
                msg!(
                    "error-text-too-long",
                    max_text_len = vault_core::vault::MAX_TEXT_LEN
                ),
            ),
            VaultError::Store(e) => vault_io(store_io_kind(&e)),
            VaultError::Io(e) => vault_io(Some(e.kind())),
            VaultError::Crypto(_) => Self::new(Code::Failure, "random", msg!("error-random")),
            _ => Self::new(
                Code::Failure,
                "failure",
                msg!(
                    "error-failure",
                    vault_cap = {
                        let mut v = the_vault();
                        v.replace_range(..1, "T");
                        v
                    }
                ),
            ),
        }
    }
}

/// The I/O error inside a storage error, if there is one.
fn store_io_kind(e: &vault_core::StoreError) -> Option<std::io::ErrorKind> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = err.source();
    }
    None
}
