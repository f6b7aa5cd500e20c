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
use std::io::Read;
use std::sync::Arc;

use vault_core::backup::{self, BackupError, Summary};
use vault_core::store::{Documents, Op, Store};
use vault_core::Vault;
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use super::storage::{HostDocuments, HostInput, HostOutput, JournalStore};
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
    let mut vault = import_into(
        &store,
        &mut HostInput,
        passphrase.as_bytes(),
        Box::new(HostDocuments),
    )
    .map_err(Problem::from)?;
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

/// Imports the backup read from `input` into `store` in place of what it
/// holds: every record is removed in the journal first, so that the
/// journal then holds the whole swap (old records removed, new ones
/// written) for ONE commit. On failure `store` holds what it held before
/// and its journal is empty again (it was empty before: the last
/// operation was committed).
fn import_into(
    store: &Arc<JournalStore>,
    input: &mut dyn Read,
    passphrase: &[u8],
    documents: Box<dyn Documents>,
) -> Result<Vault, BackupError> {
    let before = store.scan_prefix(b"")?;
    let clear: Vec<Op> = before.iter().map(|(k, _)| Op::Remove(k.clone())).collect();
    let imported = store
        .apply(clear)
        .map_err(BackupError::from)
        .and_then(|()| backup::import(input, passphrase, Box::new(Arc::clone(store)), documents));
    if imported.is_err() {
        store.take_changes();
        store.load(before);
    }
    imported
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

    const OLD_PASS: &[u8] = b"the passphrase of the vault that is here";
    const NEW_PASS: &[u8] = b"the passphrase of the vault in the backup";

    /// A vault in a journal store, committed (the journal taken), with
    /// `field` set to `value`.
    fn vault_with(pass: &[u8], field: &str, value: &str) -> (Arc<JournalStore>, Vault) {
        let store = Arc::new(JournalStore::new());
        let vault = Vault::create_in(
            Box::new(Arc::clone(&store)),
            Box::new(vault_core::MemoryDocuments::new()),
            pass,
            vault_core::Role::Survivor,
            vault_core::KdfParams::INSECURE_FOR_TESTS,
        )
        .expect("created");
        let path = vault_core::FieldPath::parse(field).expect("path");
        vault.put_text(&path, value).expect("put");
        store.take_changes();
        (store, vault)
    }

    fn text(vault: &Vault, field: &str) -> Option<String> {
        let path = vault_core::FieldPath::parse(field).expect("path");
        // A field that is not there is an error (FieldNotFound).
        vault
            .get_text(&path)
            .ok()
            .flatten()
            .map(|v| v.as_str().to_owned())
    }

    #[test]
    fn swaps_every_record_in_one_journal_when_the_import_succeeds() {
        let (here, old) = vault_with(OLD_PASS, "needs.old", "kept before");
        let old_id = old.identity().public().to_string();
        drop(old);
        let (_, other) = vault_with(NEW_PASS, "needs.new", "from the backup");
        let mut file = Vec::new();
        backup::export(&other, &mut file).expect("exported");
        let disk = here.scan_prefix(b"").expect("scan");

        let vault = import_into(
            &here,
            &mut &file[..],
            NEW_PASS,
            Box::new(vault_core::MemoryDocuments::new()),
        )
        .expect("imported");
        assert_eq!(vault.identity().public(), other.identity().public());
        assert_ne!(vault.identity().public().to_string(), old_id);
        assert_eq!(
            text(&vault, "needs.new").as_deref(),
            Some("from the backup")
        );
        assert_eq!(text(&vault, "needs.old"), None);

        // What the Worker commits, applied to what IndexedDB held, is
        // exactly the imported vault: nothing of the old one is left.
        let mut committed: std::collections::BTreeMap<_, _> = disk.into_iter().collect();
        for (k, v) in here.take_changes() {
            match v {
                Some(v) => committed.insert(k, v),
                None => committed.remove(&k),
            };
        }
        let now: std::collections::BTreeMap<_, _> =
            here.scan_prefix(b"").expect("scan").into_iter().collect();
        assert_eq!(committed, now);
        assert!(!backup::changed_since_backup(&vault));
    }

    #[test]
    fn leaves_the_records_and_the_journal_as_they_were_when_the_import_fails() {
        let (here, old) = vault_with(OLD_PASS, "needs.old", "kept before");
        let (_, other) = vault_with(NEW_PASS, "needs.new", "from the backup");
        let mut file = Vec::new();
        backup::export(&other, &mut file).expect("exported");
        let disk = here.scan_prefix(b"").expect("scan");
        let mut damaged = file.clone();
        let at = damaged.len() - 20;
        damaged[at] ^= 1;
        for (input, pass, kind) in [
            (&file[..], OLD_PASS, "wrong_passphrase"),
            (&damaged[..], NEW_PASS, "damaged"),
            (&file[..file.len() - 30], NEW_PASS, "truncated"),
            (&b"not a backup"[..], NEW_PASS, "not_a_backup"),
        ] {
            let e = import_into(
                &here,
                &mut &input[..],
                pass,
                Box::new(vault_core::MemoryDocuments::new()),
            )
            .expect_err("refused");
            assert_eq!(e.kind(), kind);
            assert!(here.take_changes().is_empty(), "nothing to commit");
            assert_eq!(here.scan_prefix(b"").expect("scan"), disk);
            // The vault that was open still reads.
            assert_eq!(text(&old, "needs.old").as_deref(), Some("kept before"));
        }
    }
}
