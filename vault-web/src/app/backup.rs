//! The app's backup file (`exportBackup`, `importBackup`, `backupState` in
//! docs/app-worker.md): the same file as `vault export` / `vault import`
//! (`vault_core::backup`, docs/spec/backup-format.md), so a vault moves
//! between the app and the command line in either direction.
//!
//! Export streams through the module: the documents are read through the
//! Worker's open file handles chunk by chunk and the sealed backup is
//! handed to the Worker's `outputWrite` as it is made (the parts of a
//! `Blob`). The vault notes the backup ([`backup_saved`]) only after the
//! Worker holds the whole `Blob`.
//!
//! Import reads the file through the Worker's `inputRead` (`FileReaderSync`
//! in slices) into an EMPTY journal: the records the module holds are
//! removed in memory first (journaled, so the Worker's one commit removes
//! the old records and writes the new ones together), and the Worker
//! points the documents at a fresh OPFS folder while it runs. Nothing
//! reaches IndexedDB or the vault's own document folder unless the import
//! fully succeeded; on any failure the records are put back as they were
//! and the Worker throws the fresh folder away. The order of the swap is
//! vault-format §17 ("Importing a backup").

use std::cell::RefCell;

use vault_core::backup::{self, BackupError, Summary};
use vault_core::store::{Op, Store};
use vault_core::Vault;
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use super::storage::{HostDocuments, HostInput, HostOutput};
use super::{
    clock, has_vault, local_long, lock, object, opened, sentence, set, with_vault, Answer, Problem,
    RECORDS,
};

thread_local! {
    /// A backup handed to the Worker, waiting for it to say the `Blob` is
    /// whole ([`backup_saved`]).
    static MADE: RefCell<Option<Summary>> = const { RefCell::new(None) };
}

impl From<BackupError> for Problem {
    fn from(e: BackupError) -> Self {
        match e {
            BackupError::WrongPassphrase => Problem::saying("wrong_passphrase", sentence(&e)),
            BackupError::NotEmpty => Problem::new("exists"),
            BackupError::NotABackup
            | BackupError::Newer
            | BackupError::Truncated
            | BackupError::Damaged
            | BackupError::OtherRole(_)
            | BackupError::Read(_) => Problem::saying("bad_input", sentence(&e)),
            // The browser's own words are never shown.
            BackupError::Write(_) | BackupError::Store(_) => Problem::new("storage"),
            BackupError::Vault(v) => v.into(),
            other => Problem::saying("unknown", sentence(&other)),
        }
    }
}

/// `exportBackup()`: writes the whole backup to the Worker's `outputWrite`
/// → `{ fileName, records, documents, bytes }`. On a problem the Worker
/// discards what it was given; nothing in the vault changed.
#[wasm_bindgen(js_name = exportBackup)]
pub fn export_backup() -> Answer {
    MADE.with(|m| m.borrow_mut().take());
    with_vault(|vault| {
        let summary = backup::export(vault, &mut HostOutput)?;
        let o = object();
        set(&o, "fileName", backup::suggested_file_name(clock()));
        set(&o, "records", summary.records as f64);
        set(&o, "documents", summary.documents as f64);
        set(&o, "bytes", summary.bytes as f64);
        MADE.with(|m| *m.borrow_mut() = Some(summary));
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// `backupSaved()`: the Worker holds the whole backup from
/// [`export_backup`]; the vault notes it (for `backupState`). The Worker
/// commits this with the operation.
#[wasm_bindgen(js_name = backupSaved)]
pub fn backup_saved() -> Answer {
    let Some(summary) = MADE.with(|m| m.borrow_mut().take()) else {
        return Err(Problem::new("unknown").into());
    };
    with_vault(|vault| {
        backup::mark_saved(vault, &summary)?;
        Ok(object().into())
    })
    .map_err(JsValue::from)
}

/// `backupState()` → `{ changedSinceBackup, lastBackup, lastBackupText }`
/// (`lastBackup` and its text null when no backup was made).
#[wasm_bindgen(js_name = backupState)]
pub fn backup_state() -> Answer {
    with_vault(|vault| {
        let last = backup::last_backup(vault);
        let o = object();
        set(
            &o,
            "changedSinceBackup",
            backup::changed_since_backup(vault),
        );
        match last {
            Some(t) => {
                set(&o, "lastBackup", t as f64);
                set(&o, "lastBackupText", local_long(t));
            }
            None => {
                set(&o, "lastBackup", JsValue::NULL);
                set(&o, "lastBackupText", JsValue::NULL);
            }
        }
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// `importBackup(passphrase, replace)`: imports what the Worker's
/// `inputRead` yields → `{ id, repairs, records, documents }`, the vault
/// open (the backup's own id). A vault already here is replaced only when
/// `replace` is true (else problem `exists`); its records are removed in
/// the same journal the import fills, so the Worker's one commit swaps
/// them. On any problem the records are as they were, and a vault that
/// was open stays open.
#[wasm_bindgen(js_name = importBackup)]
pub fn import_backup(passphrase: String, replace: bool) -> Answer {
    let passphrase = Zeroizing::new(passphrase);
    if has_vault() && !replace {
        return Err(Problem::new("exists").into());
    }
    let store = RECORDS.with(|r| r.clone());
    let before = store
        .scan_prefix(b"")
        .map_err(|_| Problem::new("storage"))?;
    let clear: Vec<Op> = before.iter().map(|(k, _)| Op::Remove(k.clone())).collect();
    let imported = store
        .apply(clear)
        .map_err(BackupError::from)
        .and_then(|()| {
            backup::import(
                &mut HostInput,
                passphrase.as_bytes(),
                Box::new(store.clone()),
                Box::new(HostDocuments),
            )
        });
    let mut vault: Vault = match imported {
        Ok(v) => v,
        Err(e) => {
            // The journal was empty before (the last operation was
            // committed): memory is the disk again.
            store.load(before);
            return Err(Problem::from(e).into());
        }
    };
    vault.set_clock(clock);
    // The vault that was open (if any) is dropped only now: a failed import
    // leaves it as it was.
    lock();
    let (entries, _) = vault.list().map_err(Problem::from)?;
    let documents = entries
        .iter()
        .filter(|e| e.kind == vault_core::Kind::Document)
        .count();
    let records = entries.len() - documents;
    let o = opened(vault);
    set(&o, "records", records as f64);
    set(&o, "documents", documents as f64);
    Ok(o.into())
}

/// `cancelImport()`: the Worker could not finish an import the module
/// accepted (its documents could not be put in place, or the commit
/// failed): the vault is dropped; the Worker loads the records again.
#[wasm_bindgen(js_name = cancelImport)]
pub fn cancel_import() {
    lock();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_a_wrong_passphrase_and_a_damaged_file_in_their_own_words() {
        let p = Problem::from(BackupError::WrongPassphrase);
        assert_eq!(p.kind, "wrong_passphrase");
        assert!(p
            .message
            .as_deref()
            .is_some_and(|m| m.starts_with("The passphrase did not open this backup")));
        for e in [
            BackupError::NotABackup,
            BackupError::Truncated,
            BackupError::Damaged,
        ] {
            let words = sentence(&e);
            let p = Problem::from(e);
            assert_eq!(p.kind, "bad_input");
            assert_eq!(p.message.as_deref(), Some(words.as_str()));
        }
        assert_eq!(Problem::from(BackupError::NotEmpty).kind, "exists");
        assert_eq!(
            Problem::from(BackupError::Write(std::io::Error::other("x"))).kind,
            "storage"
        );
    }
}
