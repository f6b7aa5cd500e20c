//! `vault get`: show a text field, or write a field to a new file.

use std::io::{self, IsTerminal, Write};

use serde_json::json;
use vault_core::{msg, Kind, VaultError};

use super::{field, printed};
use crate::cli::GetArgs;
use crate::error::CliError;
use crate::output::{human_size, PrivateFile};
use crate::Ctx;

pub fn run(ctx: &Ctx, args: &GetArgs) -> Result<(), CliError> {
    let path = field(&args.field)?;
    if let Some(out) = &args.out {
        if out.exists() {
            let e = io::Error::from(io::ErrorKind::AlreadyExists);
            return Err(CliError::file(out, "write", &e));
        }
    }
    let vault = ctx.open_vault(vault_core::Role::Survivor)?;
    let info = vault.info(&path)?;

    if let Some(out) = &args.out {
        let mut file = PrivateFile::create(out)?;
        let bar = ctx.out.progress(info.size);
        vault
            .read_document(&path, file.writer(), &mut |n| bar.set_position(n))
            .map_err(|e| write_error(e, out))?;
        bar.finish_and_clear();
        file.finish()?;
        ctx.out.note(&msg!(
            "get-wrote",
            field = path.to_string(),
            path = out.display().to_string(),
            size = human_size(info.size)
        ));
        return printed(ctx.out.result(
            json!({ "field": path.as_str(), "kind": info.kind.as_str(), "size": info.size, "out": out.display().to_string() }),
            None,
        ));
    }

    match info.kind {
        Kind::Text => {
            let text = vault.get_text(&path)?.unwrap_or_default();
            // On a terminal, control characters are shown, not obeyed (a
            // vault folder can be copied from someone else); line breaks
            // and tabs stay. Piped, the value goes out exactly as saved.
            let shown = zeroize::Zeroizing::new(if io::stdout().is_terminal() {
                vault_core::display::visible_lines(&text).into_owned()
            } else {
                text.to_string()
            });
            printed(ctx.out.result(
                json!({ "field": path.as_str(), "kind": "text", "value": text.as_str() }),
                Some(&shown),
            ))
        }
        Kind::Document => {
            if ctx.out.json || io::stdout().is_terminal() {
                return Err(CliError::usage(
                    "document_needs_out",
                    match &info.name {
                        // The name this vault kept, to help choose one.
                        Some(n) => msg!(
                            "get-document-named",
                            field = path.to_string(),
                            name = vault_core::display::visible(n.name())
                        ),
                        None => msg!("get-document", field = path.to_string()),
                    },
                ));
            }
            // Piped: stream the bytes to the next program.
            let mut stdout = io::stdout().lock();
            match vault.read_document(&path, &mut stdout, &mut |_| {}) {
                Err(VaultError::Io(e)) => printed(Err(e)),
                other => {
                    other?;
                    printed(stdout.flush())
                }
            }
        }
    }
}

fn write_error(e: VaultError, out: &std::path::Path) -> CliError {
    match e {
        VaultError::Io(e) => CliError::file(out, "write", &e),
        e => e.into(),
    }
}
