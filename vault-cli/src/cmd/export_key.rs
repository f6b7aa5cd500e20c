//! `vault agency export-key --out FILE`: the agency's key, sealed under a
//! passphrase of its own, for the agency's page on a phone (format:
//! `docs/spec/agency-key-v1.md`).

use std::io::Write;
use std::path::Path;

use serde_json::json;
use vault_core::keyfile::{self, KeyFileError};
use vault_core::Role;

use super::printed;
use crate::cli::ExportKeyArgs;
use crate::error::{CliError, Code};
use crate::output::PrivateFile;
use crate::{passphrase, Ctx};

pub fn run(ctx: &Ctx, args: &ExportKeyArgs) -> Result<(), CliError> {
    let out = &args.out;
    // Every refusal about the file comes before any passphrase is asked.
    if out.symlink_metadata().is_ok() {
        return Err(CliError::usage(
            "output_exists",
            format!(
                "{} already exists, so no key file was written; choose a new file name.",
                out.display()
            ),
        ));
    }
    // A trial of the temporary file, removed at once: a folder that does
    // not exist or cannot be written to is found before any passphrase is
    // typed, and nothing is left behind if the person stops at a prompt.
    drop(PrivateFile::create(out).map_err(|e| folder_error(e, out))?);
    let vault = ctx.open_vault(Role::Agency)?;
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
    ctx.out.note(&format!(
        "Wrote the agency's key file to {}. Load it into the agency's page, with the passphrase you just chose, to open shares meant for this agency on a phone or another computer.\n\
         Whoever has this file and its passphrase can open shares meant for this agency, so keep it like the agency's vault itself: only on devices the agency controls, never by email or in a shared folder, and delete copies that are no longer needed.{}",
        out.display(),
        if named_well {
            String::new()
        } else {
            format!("\nTip: rename it to end in {ending}, the ending the agency's page looks for.")
        }
    ));
    printed(ctx.out.result(
        json!({ "out": out.display().to_string(), "id": id, "format": "agency-key-v1" }),
        Some(&format!("Agency id: {id}")),
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
        format!(
            "This user may not make files in the folder {}, so no key file was written; choose a folder you can write to.",
            folder.display()
        ),
    )
}

fn export_error(e: KeyFileError) -> CliError {
    match e {
        KeyFileError::Random => CliError::new(
            Code::Failure,
            "random",
            "This computer's random number generator failed, so no key file was written. Please try again.",
        ),
        // The vault was opened as an agency's, so this cannot happen; if
        // it does, say so plainly.
        e => CliError::new(
            Code::Failure,
            e.kind(),
            format!("{}, so no key file was written.", super::sentence(e).trim_end_matches('.')),
        ),
    }
}
