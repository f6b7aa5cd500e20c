//! `vault export --out FILE` and `vault import FILE`: the whole vault in
//! one encrypted file, to keep elsewhere or move to another device (the
//! app reads and writes the same file; format:
//! `docs/spec/backup-format.md`).

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;

use serde_json::json;
use vault_core::backup::{self, BackupError};
use vault_core::{msg, Role, Vault, VaultError};

use super::{printed, sentence};
use crate::cli::{ExportArgs, ImportArgs};
use crate::error::{CliError, Code};
use crate::output::{human_size, PrivateFile};
use crate::{passphrase, Ctx};

pub fn export(ctx: &Ctx, args: &ExportArgs) -> Result<(), CliError> {
    let out = &args.out;
    // Every refusal about the file comes before any passphrase is asked.
    if out.symlink_metadata().is_ok() {
        return Err(CliError::usage(
            "output_exists",
            msg!("export-file-exists", path = out.display().to_string()),
        ));
    }
    // A trial of the temporary file, removed at once: a folder that does
    // not exist or cannot be written to is found before the passphrase.
    drop(PrivateFile::create(out)?);
    let vault = ctx.open_vault(Role::Survivor)?;
    let mut file = PrivateFile::create(out)?;
    let summary = {
        let mut w = BufWriter::with_capacity(256 * 1024, file.writer());
        let summary = backup::export(&vault, &mut w).map_err(|e| export_error(e, out))?;
        w.flush().map_err(|e| CliError::file(out, "write", &e))?;
        summary
    };
    file.finish()?;
    // The file is in its place: only now does the vault remember it. If
    // that fails, the backup is still whole; the vault just does not know.
    let _ = backup::mark_saved(&vault, &summary);
    ctx.out.note(&msg!(
        "export-saved",
        records = summary.records,
        documents = summary.documents,
        path = out.display().to_string(),
        size = human_size(summary.bytes)
    ));
    printed(ctx.out.result(
        json!({
            "out": out.display().to_string(),
            "records": summary.records,
            "documents": summary.documents,
            "bytes": summary.bytes,
            "format": "backup-v1",
        }),
        None,
    ))
}

fn export_error(e: BackupError, out: &Path) -> CliError {
    match e {
        BackupError::Write(e) => CliError::file(out, "write", &e),
        BackupError::VaultDamaged => CliError::new(Code::Damaged, "vault_damaged", sentence(e)),
        BackupError::Store(e) => VaultError::Store(e).into(),
        BackupError::Vault(e) => e.into(),
        BackupError::Crypto(_) => CliError::new(Code::Failure, "random", msg!("error-random")),
        e => CliError::new(Code::Failure, e.kind(), sentence(e)),
    }
}

pub fn import(ctx: &Ctx, args: &ImportArgs) -> Result<(), CliError> {
    let dir = ctx.vault_dir(Role::Survivor)?;
    let path = &args.file;
    // Never over a vault, and never merged into one: say how to keep both.
    if Vault::exists(&dir) {
        return Err(CliError::new(
            Code::VaultPresence,
            "vault_exists",
            msg!(
                "import-vault-exists",
                folder = dir.display().to_string(),
                file = path.display().to_string()
            ),
        ));
    }
    // The file is found, and is a file, before any passphrase is asked.
    open(path)?;
    let file = ctx.global.passphrase_file.as_deref();
    let mut tries = 0;
    let vault = loop {
        let pass = passphrase::existing(file)?;
        tries += 1;
        let mut input = BufReader::with_capacity(256 * 1024, open(path)?);
        match backup::import_into_folder(&mut input, pass.as_bytes(), &dir, Role::Survivor) {
            Err(BackupError::WrongPassphrase) if file.is_none() && tries < passphrase::TRIES => {
                ctx.out.note(&msg!("import-try-again"));
            }
            Err(BackupError::WrongPassphrase) if file.is_none() => {
                return Err(CliError::new(
                    Code::WrongPassphrase,
                    "wrong_passphrase",
                    msg!("import-last-wrong", tries = u64::from(passphrase::TRIES)),
                ));
            }
            other => break other.map_err(|e| import_error(e, path))?,
        }
    };
    let (entries, _) = vault.list()?;
    let documents = entries
        .iter()
        .filter(|e| e.kind == vault_core::Kind::Document)
        .count();
    let records = entries.len() - documents;
    let id = vault.identity().public().to_string();
    ctx.out.note(&msg!(
        "import-done",
        records = records,
        documents = documents,
        folder = dir.display().to_string()
    ));
    printed(ctx.out.result(
        json!({
            "vault": dir.display().to_string(),
            "id": id,
            "records": records,
            "documents": documents,
        }),
        None,
    ))
}

/// The backup file, opened for reading; a folder is refused.
fn open(path: &Path) -> Result<File, CliError> {
    let f = File::open(path).map_err(|e| CliError::file(path, "read", &e))?;
    let meta = f.metadata().map_err(|e| CliError::file(path, "read", &e))?;
    if meta.is_dir() {
        let e = std::io::Error::from(std::io::ErrorKind::IsADirectory);
        return Err(CliError::file(path, "read", &e));
    }
    Ok(f)
}

fn import_error(e: BackupError, path: &Path) -> CliError {
    let p = path.display().to_string();
    match e {
        BackupError::WrongPassphrase => CliError::new(
            Code::WrongPassphrase,
            "wrong_passphrase",
            msg!("import-wrong-passphrase", file = &p),
        ),
        BackupError::NotABackup | BackupError::Newer => CliError::new(
            Code::Usage,
            e.kind(),
            msg!("import-bad-file", file = &p, reason = e.to_string()),
        ),
        BackupError::Truncated | BackupError::Damaged => CliError::new(
            Code::Damaged,
            e.kind(),
            msg!("import-bad-file", file = &p, reason = e.to_string()),
        ),
        BackupError::OtherRole(_) => CliError::new(
            Code::VaultPresence,
            "wrong_kind",
            msg!("import-bad-file", file = &p, reason = e.to_string()),
        ),
        BackupError::Read(e) => CliError::file(path, "read", &e),
        BackupError::Store(e) => VaultError::Store(e).into(),
        BackupError::Vault(e) => e.into(),
        BackupError::Crypto(_) => CliError::new(Code::Failure, "random", msg!("error-random")),
        e => CliError::new(Code::Failure, e.kind(), sentence(e)),
    }
}
