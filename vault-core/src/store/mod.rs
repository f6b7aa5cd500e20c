//! Storage behind a small trait, so the engine can be swapped.
//!
//! The vault asks little of its store: point reads, inserts that become
//! durable at [`Store::flush`], atomic batches, and prefix scans. Every value
//! it stores is already sealed, so the store never sees plaintext; and every
//! value it returns is treated as untrusted (the vault authenticates it).
//!
//! [`FolderStore`] keeps a vault on disk, one file per key, so that damage
//! to the disk costs only the records it touches. [`SledStore`] serves the
//! relay (and reads vaults made before the folder store, to migrate them).
//! [`MemoryStore`] serves tests.
//!
//! Documents, which can be gigabytes, are not values in the store: their
//! sealed bytes go to a [`Documents`] store (see [`documents`]).

pub mod documents;
#[cfg(feature = "native")]
pub mod folder;
mod memory;
#[cfg(feature = "native")]
mod sled_store;

#[cfg(feature = "native")]
pub use documents::FolderDocuments;
pub use documents::{DocumentWriter, Documents, MemoryDocuments};
#[cfg(feature = "native")]
pub use folder::FolderStore;
pub use memory::MemoryStore;
#[cfg(feature = "native")]
pub use sled_store::SledStore;

/// A stored key and its value.
pub type Entry = (Vec<u8>, Vec<u8>);

/// One change in an atomic batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Set `key` to `value`.
    Insert(Vec<u8>, Vec<u8>),
    /// Remove `key` (no error if absent).
    Remove(Vec<u8>),
}

/// A storage failure. The detail is for logs, not for survivors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The storage engine or the file system failed.
    #[error("{}", crate::msg!("store-io", value = .0))]
    Io(String),
}

/// A key-value store with atomic batches and an explicit durability point.
pub trait Store: Send + Sync {
    /// Reads one value.
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError>;
    /// Writes one value; durable only after [`Store::flush`].
    fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), StoreError>;
    /// Applies every op or none, even across a crash; durable only after
    /// [`Store::flush`].
    fn apply(&self, ops: Vec<Op>) -> Result<(), StoreError>;
    /// Every key and value whose key starts with `prefix`, in key order.
    fn scan_prefix(&self, prefix: &[u8]) -> Result<Vec<Entry>, StoreError>;
    /// Every key that starts with `prefix`, in key order.
    fn keys_with_prefix(&self, prefix: &[u8]) -> Result<Vec<Vec<u8>>, StoreError>;
    /// Makes every earlier write durable (fsync) before returning.
    fn flush(&self) -> Result<(), StoreError>;
}

/// A shared store is a store (tests keep a handle to tamper with).
impl<S: Store + ?Sized> Store for std::sync::Arc<S> {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        (**self).get(key)
    }
    fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        (**self).insert(key, value)
    }
    fn apply(&self, ops: Vec<Op>) -> Result<(), StoreError> {
        (**self).apply(ops)
    }
    fn scan_prefix(&self, prefix: &[u8]) -> Result<Vec<Entry>, StoreError> {
        (**self).scan_prefix(prefix)
    }
    fn keys_with_prefix(&self, prefix: &[u8]) -> Result<Vec<Vec<u8>>, StoreError> {
        (**self).keys_with_prefix(prefix)
    }
    fn flush(&self) -> Result<(), StoreError> {
        (**self).flush()
    }
}

#[cfg(test)]
pub(crate) mod contract {
    //! The behaviour every `Store` must have, run against each engine.
    use super::*;

    pub fn check(store: &dyn Store) {
        assert_eq!(store.get(b"a").expect("get"), None);
        store.insert(b"a1", b"one").expect("insert");
        store.insert(b"a2", b"two").expect("insert");
        store.insert(b"b1", b"three").expect("insert");
        assert_eq!(store.get(b"a1").expect("get"), Some(b"one".to_vec()));
        let scanned = store.scan_prefix(b"a").expect("scan");
        assert_eq!(
            scanned,
            vec![
                (b"a1".to_vec(), b"one".to_vec()),
                (b"a2".to_vec(), b"two".to_vec())
            ]
        );
        store
            .apply(vec![
                Op::Remove(b"a1".to_vec()),
                Op::Insert(b"a3".to_vec(), b"four".to_vec()),
                Op::Remove(b"missing".to_vec()),
            ])
            .expect("apply");
        assert_eq!(
            store.keys_with_prefix(b"a").expect("keys"),
            vec![b"a2".to_vec(), b"a3".to_vec()]
        );
        store.flush().expect("flush");
    }
}
