//! Where the survivor's vault lives in the browser: records in IndexedDB,
//! documents in the origin-private file system (OPFS), both written by the
//! Worker (`web/app/worker.js`). The layout and its crash rules are in
//! `docs/spec/vault-format.md` ("In the browser").
//!
//! vault-core's [`Store`] and [`Documents`] are synchronous, IndexedDB is
//! not. So the records are loaded whole into a [`JournalStore`] when the
//! Worker starts (they are small and sealed), every change is also kept in
//! a journal, and after each operation the Worker takes the journal
//! ([`JournalStore::take_changes`]) and writes it in ONE IndexedDB
//! transaction with `durability: "strict"` before it answers. An operation
//! is therefore all-or-nothing on disk, whatever vault-core did inside it;
//! `flush` is where the Worker's commit will happen, not a write of its own.
//! If the commit fails, the Worker loads the records again
//! ([`JournalStore::load`]) so memory never disagrees with disk.
//!
//! Documents go through `FileSystemSyncAccessHandle`s, which are
//! synchronous once open. The Worker opens them before calling in, and
//! keeps one empty spare file for [`Documents::create`]; the Worker gives
//! it its final name only after the records that point at it are durable,
//! and removals wait for that commit too ([`HostDocuments`]).

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::sync::Mutex;

use vault_core::store::documents::file_name;
use vault_core::store::{DocumentWriter, Documents, Entry, Op, Store, StoreError};
use wasm_bindgen::prelude::*;

/// The records of one vault, in memory, with the changes not yet written
/// to IndexedDB.
#[derive(Debug, Default)]
pub struct JournalStore {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    map: BTreeMap<Vec<u8>, Vec<u8>>,
    /// Each changed key and its last value (`None`: removed), since the
    /// last [`JournalStore::take_changes`].
    changed: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
}

impl JournalStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // Every method finishes its map changes before releasing the guard;
        // a panic cannot leave them half-done (and wasm32 aborts on panic).
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces everything with `entries` (as read from IndexedDB) and
    /// forgets the journal.
    pub fn load(&self, entries: Vec<Entry>) {
        let mut s = self.state();
        s.map = entries.into_iter().collect();
        s.changed.clear();
    }

    /// The changes since the last call, each key once with its final value
    /// (`None`: removed), in key order; the journal is then empty.
    pub fn take_changes(&self) -> Vec<(Vec<u8>, Option<Vec<u8>>)> {
        std::mem::take(&mut self.state().changed)
            .into_iter()
            .collect()
    }

    /// Whether a vault is kept here (its header, `H` or its copy `h`).
    pub fn has_vault(&self) -> bool {
        let s = self.state();
        s.map.contains_key(&b"H"[..]) || s.map.contains_key(&b"h"[..])
    }
}

impl State {
    fn set(&mut self, key: Vec<u8>, value: Option<Vec<u8>>) {
        match &value {
            Some(v) => {
                self.map.insert(key.clone(), v.clone());
            }
            None => {
                self.map.remove(&key);
            }
        }
        self.changed.insert(key, value);
    }
}

impl Store for JournalStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.state().map.get(key).cloned())
    }

    fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        self.state().set(key.to_vec(), Some(value.to_vec()));
        Ok(())
    }

    fn apply(&self, ops: Vec<Op>) -> Result<(), StoreError> {
        let mut s = self.state();
        for op in ops {
            match op {
                Op::Insert(k, v) => s.set(k, Some(v)),
                Op::Remove(k) => s.set(k, None),
            }
        }
        Ok(())
    }

    fn scan_prefix(&self, prefix: &[u8]) -> Result<Vec<Entry>, StoreError> {
        Ok(self
            .state()
            .map
            .range(prefix.to_vec()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect())
    }

    fn keys_with_prefix(&self, prefix: &[u8]) -> Result<Vec<Vec<u8>>, StoreError> {
        Ok(self
            .scan_prefix(prefix)?
            .into_iter()
            .map(|(k, _)| k)
            .collect())
    }

    /// Nothing to do here: the Worker commits the journal, in one
    /// transaction, once the operation is over (see the module docs).
    fn flush(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

// The Worker's side of the documents (`folioHost` in web/app/worker.js).
// Plain imported functions, not a JS object held here, so that
// `HostDocuments` holds nothing JavaScript and is `Send + Sync` as the
// traits require, with no `unsafe`.
#[wasm_bindgen]
extern "C" {
    /// Gives the spare file the document name `name`; false if there is no
    /// spare (or it is in use).
    #[wasm_bindgen(catch, js_namespace = folioHost, js_name = docCreate)]
    fn host_create(name: &str) -> Result<bool, JsValue>;
    /// 1: an open handle for `name` is ready; 0: there is no such document.
    #[wasm_bindgen(catch, js_namespace = folioHost, js_name = docOpen)]
    fn host_open(name: &str) -> Result<u32, JsValue>;
    /// Up to `len` bytes of `name` from byte `at` (fewer only at its end).
    #[wasm_bindgen(catch, js_namespace = folioHost, js_name = docRead)]
    fn host_read(name: &str, at: f64, len: u32) -> Result<js_sys::Uint8Array, JsValue>;
    /// Writes `bytes` into `name` at byte `at`; how many were written.
    #[wasm_bindgen(catch, js_namespace = folioHost, js_name = docWrite)]
    fn host_write(name: &str, at: f64, bytes: &[u8]) -> Result<f64, JsValue>;
    /// Flushes `name` to disk.
    #[wasm_bindgen(catch, js_namespace = folioHost, js_name = docFlush)]
    fn host_flush(name: &str) -> Result<(), JsValue>;
    /// Removes `name` once the operation's records are durable.
    #[wasm_bindgen(catch, js_namespace = folioHost, js_name = docRemove)]
    fn host_remove(name: &str) -> Result<(), JsValue>;
    /// Up to `len` bytes of the document being saved (`FileReaderSync`);
    /// empty at its end.
    #[wasm_bindgen(catch, js_namespace = folioHost, js_name = inputRead)]
    fn host_input(len: u32) -> Result<js_sys::Uint8Array, JsValue>;
    /// Adds `bytes` to the document being read out (a part of a `Blob`).
    #[wasm_bindgen(catch, js_namespace = folioHost, js_name = outputWrite)]
    fn host_output(bytes: &[u8]) -> Result<(), JsValue>;
}

/// What a failed call into the Worker is, for logs only (a browser's own
/// words never reach a person; the Worker answers problem `storage`).
fn failed(_: JsValue) -> StoreError {
    StoreError::Io("the browser refused a storage call".into())
}

fn io_failed(_: JsValue) -> io::Error {
    io::Error::other("the browser refused a storage call")
}

/// The documents, through the Worker's open access handles.
#[derive(Debug, Default)]
pub struct HostDocuments;

struct HostWriter {
    name: String,
    at: u64,
}

impl Write for HostWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = host_write(&self.name, self.at as f64, buf).map_err(io_failed)? as usize;
        self.at += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl DocumentWriter for HostWriter {
    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        host_flush(&self.name).map_err(failed)
    }
}

struct HostReader {
    name: String,
    at: u64,
}

impl Read for HostReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = u32::try_from(buf.len()).unwrap_or(u32::MAX);
        let got = host_read(&self.name, self.at as f64, want).map_err(io_failed)?;
        let n = (got.length() as usize).min(buf.len());
        got.subarray(0, n as u32).copy_to(&mut buf[..n]);
        self.at += n as u64;
        Ok(n)
    }
}

impl Documents for HostDocuments {
    fn create(&self, id: &[u8]) -> Result<Box<dyn DocumentWriter + '_>, StoreError> {
        let name = file_name(id);
        if !host_create(&name).map_err(failed)? {
            return Err(StoreError::Io("no spare document file".into()));
        }
        Ok(Box::new(HostWriter { name, at: 0 }))
    }

    fn open(&self, id: &[u8]) -> Result<Option<Box<dyn Read + '_>>, StoreError> {
        let name = file_name(id);
        match host_open(&name).map_err(failed)? {
            0 => Ok(None),
            _ => Ok(Some(Box::new(HostReader { name, at: 0 }))),
        }
    }

    /// The Worker reads by offset: nothing is read to get to `at`.
    fn open_at(&self, id: &[u8], at: u64) -> Result<Option<Box<dyn Read + '_>>, StoreError> {
        let name = file_name(id);
        match host_open(&name).map_err(failed)? {
            0 => Ok(None),
            _ => Ok(Some(Box::new(HostReader { name, at }))),
        }
    }

    fn remove(&self, id: &[u8]) -> Result<(), StoreError> {
        host_remove(&file_name(id)).map_err(failed)
    }
}

/// The document being saved, read from the Worker in slices.
#[derive(Debug, Default)]
pub struct HostInput;

impl Read for HostInput {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = u32::try_from(buf.len()).unwrap_or(u32::MAX);
        let got = host_input(want).map_err(io_failed)?;
        let n = (got.length() as usize).min(buf.len());
        got.subarray(0, n as u32).copy_to(&mut buf[..n]);
        Ok(n)
    }
}

/// The document being read, handed to the Worker chunk by chunk.
#[derive(Debug, Default)]
pub struct HostOutput;

impl Write for HostOutput {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        host_output(buf).map_err(io_failed)?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_each_changed_key_once_with_its_last_value() {
        let s = JournalStore::new();
        s.insert(b"a", b"1").expect("insert");
        s.apply(vec![
            Op::Insert(b"a".to_vec(), b"2".to_vec()),
            Op::Insert(b"b".to_vec(), b"3".to_vec()),
            Op::Remove(b"b".to_vec()),
            Op::Remove(b"c".to_vec()),
        ])
        .expect("apply");
        assert_eq!(
            s.take_changes(),
            vec![
                (b"a".to_vec(), Some(b"2".to_vec())),
                (b"b".to_vec(), None),
                (b"c".to_vec(), None),
            ]
        );
        assert!(s.take_changes().is_empty());
        assert_eq!(s.get(b"a").expect("get"), Some(b"2".to_vec()));
    }

    #[test]
    fn forgets_the_journal_when_loaded_again() {
        let s = JournalStore::new();
        s.insert(b"x", b"1").expect("insert");
        s.load(vec![(b"H".to_vec(), b"h".to_vec())]);
        assert!(s.take_changes().is_empty());
        assert_eq!(s.get(b"x").expect("get"), None);
        assert!(s.has_vault());
    }

    #[test]
    fn opens_and_writes_a_vault_like_any_store() {
        use std::sync::Arc;
        let s = Arc::new(JournalStore::new());
        let vault = vault_core::Vault::create_in(
            Box::new(s.clone()),
            Box::new(vault_core::MemoryDocuments::new()),
            b"a long enough passphrase",
            vault_core::Role::Survivor,
            vault_core::KdfParams::INSECURE_FOR_TESTS,
        )
        .expect("created");
        let path = vault_core::FieldPath::parse("needs.housing").expect("path");
        vault.put_text(&path, "a flat").expect("put");
        drop(vault);
        // What the Worker would write to IndexedDB, loaded into a new store.
        let disk: Vec<Entry> = s
            .take_changes()
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
        let again = Arc::new(JournalStore::new());
        again.load(disk);
        assert!(again.has_vault());
        let vault = vault_core::Vault::open_in(
            Box::new(again),
            Box::new(vault_core::MemoryDocuments::new()),
            b"a long enough passphrase",
        )
        .expect("opened");
        assert_eq!(
            vault
                .get_text(&path)
                .expect("read")
                .as_deref()
                .map(String::as_str),
            Some("a flat")
        );
    }
}
