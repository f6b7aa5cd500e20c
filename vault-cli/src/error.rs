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
        Self::new(Code::Cancelled, "cancelled", "Nothing was changed.")
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
                format!("The file {p} was not found. Check the name and the folder, then try again."),
            ),
            // Writing makes the file, so what is missing is its folder.
            NotFound | NotADirectory => {
                let folder = path
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                Self::usage(
                    "folder_not_found",
                    format!(
                        "The folder {} does not exist, so {p} could not be made. Create the folder first, or give a path in a folder that exists.",
                        folder.display()
                    ),
                )
            }
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
            ReadOnlyFilesystem => Self::usage(
                "read_only_disk",
                format!("{p} is on a disk that cannot be written to, so nothing was written. Choose a place on another disk."),
            ),
            StorageFull | QuotaExceeded | FileTooLarge => Self::new(
                Code::Failure,
                "no_space",
                format!("There is not enough space on the disk to {action} {p}, so nothing was saved. Make room on the disk, then try again."),
            ),
            InvalidFilename | InvalidInput => Self::usage(
                "bad_output",
                format!("{p} is not a file name this system accepts. Choose a simpler name."),
            ),
            _ => Self::new(
                Code::Failure,
                "io",
                format!("Could not {action} {p}. Check the disk and the path, then try again."),
            ),
        }
    }

    /// The vault folder `dir` exists but this user may not look inside it.
    pub fn vault_not_readable(dir: &Path) -> Self {
        Self::new(
            Code::Failure,
            "vault_not_readable",
            format!(
                "The vault folder {} cannot be opened by this user (permission denied), so nothing was changed. Run this as the user who made the vault, or make the folder yours again.",
                dir.display()
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
    VAULT_DIR.get().map_or("the vault".to_owned(), |d| {
        format!("the vault in {}", d.display())
    })
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
            format!("This user is not allowed to change the files of {v} (permission denied), so nothing was changed. Run this as the user who made the vault, or make its folder and files yours again."),
        ),
        Some(ReadOnlyFilesystem) => CliError::new(
            Code::Failure,
            "vault_not_writable",
            format!("{v_cap} is on a disk that cannot be written to, so nothing was changed. Copy the vault folder to a disk that can be written to, then use it there with --vault."),
        ),
        Some(StorageFull | QuotaExceeded) => CliError::new(
            Code::Failure,
            "no_space",
            format!("The disk holding {v} is full, so nothing was changed. Make room on the disk, then try again."),
        ),
        _ => CliError::new(
            Code::Failure,
            "storage",
            format!("{v_cap} could not be read or written, so nothing was changed. Check that the disk has space and that the folder and its files belong to you, then try again."),
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
                "This vault was made by a newer version of this program. Please update it, then try again.",
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
            VaultError::Store(e) => vault_io(store_io_kind(&e)),
            VaultError::Io(e) => vault_io(Some(e.kind())),
            VaultError::Crypto(_) => Self::new(
                Code::Failure,
                "random",
                "This computer's random number generator failed, so nothing was saved. Please try again.",
            ),
            _ => Self::new(
                Code::Failure,
                "failure",
                format!("{} could not do that, so nothing was changed. Please try again.", {
                    let mut v = the_vault();
                    v.replace_range(..1, "T");
                    v
                }),
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
