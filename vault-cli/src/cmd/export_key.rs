//! `vault agency export-key --out FILE` and `vault advocate export-key --out
//! FILE`: the agency's key, sealed under a passphrase of its own, for the
//! agency's page on a phone, or the advocate's, for Folio (format:
//! `docs/spec/agency-key-v1.md`; the role is sealed inside).

use std::io::Write;
use std::path::Path;

use serde_json::json;
use vault_core::keyfile::{self, KeyFileError};
use vault_core::{msg, Role};

use super::printed;
use crate::cli::ExportKeyArgs;
use crate::error::{CliError, Code};
use crate::output::PrivateFile;
use crate::{passphrase, Ctx};

/// Writes the key of the vault of `role` (agency or advocate).
pub fn run(ctx: &Ctx, role: Role, args: &ExportKeyArgs) -> Result<(), CliError> {
    let out = &args.out;
    // Every refusal about the file comes before any passphrase is asked.
    if out.symlink_metadata().is_ok() {
        return Err(CliError::usage(
            "output_exists",
            msg!("key-file-exists", path = out.display().to_string()),
        ));
    }
    // A trial of the temporary file, removed at once: a folder that does
    // not exist or cannot be written to is found before any passphrase is
    // typed, and nothing is left behind if the person stops at a prompt.
    drop(PrivateFile::create(out).map_err(|e| folder_error(e, out))?);
    let vault = ctx.open_vault(role)?;
    let pass = passphrase::new_for_key_file(args.key_passphrase_file.as_deref())?;
    let bytes = keyfile::export(vault.identity(), pass.as_bytes()).map_err(export_error)?;
    let mut file = PrivateFile::create(out).map_err(|e| folder_error(e, out))?;
    file.writer()
        .write_all(&bytes)
        .map_err(|e| CliError::file(out, "write", &e))?;
    file.finish()?;

    let id = vault.identity().public().to_string();
    let ending = format!(".{}", keyfile::EXTENSION);
    let named_well = out
        .file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with(&ending));
    let path = out.display().to_string();
    let advocate = role == Role::Advocate;
    let mut note = if advocate {
        msg!("key-file-written-advocate", path = &path)
    } else {
        msg!("key-file-written", path = &path)
    };
    if !named_well {
        note.push('\n');
        note.push_str(&if advocate {
            msg!("key-file-rename-tip-advocate", ending = &ending)
        } else {
            msg!("key-file-rename-tip", ending = &ending)
        });
    }
    ctx.out.note(&note);
    let shown = if advocate {
        msg!("key-file-advocate-id", id = &id)
    } else {
        msg!("key-file-agency-id", id = &id)
    };
    printed(ctx.out.result(
        json!({
            "out": path,
            "id": id,
            "role": if advocate { "advocate" } else { "agency" },
            "format": "agency-key-v1",
        }),
        Some(&shown),
    ))
}

/// The key file is new, so "not allowed to write" is about its folder.
fn folder_error(e: CliError, out: &Path) -> CliError {
    if e.kind != "permission_denied" {
        return e;
    }
    let folder = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    CliError::usage(
        "permission_denied",
        msg!(
            "key-file-folder-not-allowed",
            folder = folder.display().to_string()
        ),
    )
}

fn export_error(e: KeyFileError) -> CliError {
    match e {
        KeyFileError::Random => {
            CliError::new(Code::Failure, "random", msg!("key-file-random-failed"))
        }
        // The vault was opened as an agency's or an advocate's, so this
        // cannot happen; if it does, say so plainly.
        e => CliError::new(
            Code::Failure,
            e.kind(),
            msg!(
                "key-file-not-written",
                reason = super::sentence(e).trim_end_matches('.')
            ),
        ),
    }
}
