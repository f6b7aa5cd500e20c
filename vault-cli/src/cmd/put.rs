//! `vault put`: save text or a document under a field name.

use std::fs::File;
use std::io::{self, IsTerminal, Read};

use serde_json::json;
use vault_core::vault::MAX_TEXT_LEN;
use vault_core::{Kind, Vault, VaultError};
use zeroize::Zeroizing;

use super::{field, printed};
use crate::cli::PutArgs;
use crate::error::CliError;
use crate::output::{confirm, human_size};
use crate::Ctx;

pub fn run(ctx: &Ctx, args: &PutArgs) -> Result<(), CliError> {
    let path = field(&args.field)?;
    // Open the input before the vault, so a missing file is reported
    // before anyone types a passphrase.
    let input = match &args.file {
        Some(f) => {
            let file = File::open(f).map_err(|e| CliError::file(f, "read", &e))?;
            let meta = file.metadata().map_err(|e| CliError::file(f, "read", &e))?;
            if meta.is_dir() {
                let e = io::Error::from(io::ErrorKind::IsADirectory);
                return Err(CliError::file(f, "read", &e));
            }
            Some((file, meta.len()))
        }
        None => None,
    };
    let vault = ctx.open_vault(vault_core::Role::Survivor)?;
    if !args.replace && !may_replace(&vault, &path)? {
        return Err(CliError::cancelled());
    }
    let (kind, size) = match input {
        Some((mut file, len)) => {
            let bar = ctx.out.progress(len);
            let size = vault
                .put_document(&path, &mut file, &mut |n| bar.set_position(n))
                .map_err(|e| match e {
                    VaultError::Io(e) => args
                        .file
                        .as_deref()
                        .map(|f| CliError::file(f, "read", &e))
                        .unwrap_or_else(|| VaultError::Io(e).into()),
                    e => e.into(),
                })?;
            bar.finish_and_clear();
            (Kind::Document, size)
        }
        None => {
            let text = match &args.value {
                Some(v) if v.is_empty() => {
                    return Err(CliError::usage(
                        "empty_value",
                        "There was nothing to save. Give the text after the field name, or type it when asked.",
                    ))
                }
                Some(v) => Zeroizing::new(v.clone()),
                None => read_text()?,
            };
            vault.put_text(&path, &text)?;
            (Kind::Text, text.len() as u64)
        }
    };
    ctx.out.note(&format!(
        "Saved {path} ({}, {}).",
        kind.as_str(),
        human_size(size)
    ));
    printed(ctx.out.result(
        json!({ "field": path.as_str(), "kind": kind.as_str(), "size": size }),
        None,
    ))
}

/// Asks before replacing what is saved; `true` if there is nothing there.
fn may_replace(vault: &Vault, path: &vault_core::FieldPath) -> Result<bool, CliError> {
    match vault.info(path) {
        Err(VaultError::FieldNotFound(_)) => Ok(true),
        // A damaged field may be replaced: that is how it gets repaired.
        Ok(_) | Err(VaultError::Unreadable(_)) => confirm(
            &format!("Something is already saved under {path}. Replace it?"),
            "--replace",
        ),
        Err(e) => Err(e.into()),
    }
}

/// The text to save, from the terminal or from piped input.
fn read_text() -> Result<Zeroizing<String>, CliError> {
    let stdin = io::stdin();
    let mut text = Zeroizing::new(String::new());
    if stdin.is_terminal() {
        eprintln!("Type what you want to save, then press Enter:");
        stdin.read_line(&mut text).map_err(|e| read_failed(&e))?;
    } else {
        let mut limited = stdin.lock().take(MAX_TEXT_LEN as u64 + 1);
        let mut bytes = Zeroizing::new(Vec::new());
        limited
            .read_to_end(&mut bytes)
            .map_err(|e| read_failed(&e))?;
        *text = String::from_utf8(bytes.to_vec()).map_err(|_| {
            CliError::usage(
                "not_text",
                "The input is not text. To save a file, use --file PATH.",
            )
        })?;
    }
    // The line break that ends typed or piped text is not part of it.
    crate::output::strip_line_end(&mut text);
    if text.is_empty() {
        return Err(CliError::usage(
            "empty_value",
            "There was nothing to save. Give the text after the field name, or type it when asked.",
        ));
    }
    Ok(text)
}

fn read_failed(e: &io::Error) -> CliError {
    CliError::usage("io", format!("Could not read the text to save: {e}."))
}
