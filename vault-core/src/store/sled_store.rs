use std::path::Path;

use super::{Entry, Op, Store, StoreError};

/// The default store: a `sled` database in a directory.
///
/// sled 0.34 is beta, so the vault leans on it only for what it does well:
/// small values, atomic batches, and `flush`, which fsyncs before
/// returning. Documents are not stored here: sled's memory grows with the
/// bytes that pass through it whatever its cache setting (measured: 1 GiB
/// read back took 1 GiB of RAM; see `docs/performance.md`), so their sealed
/// chunks go to a [`Documents`](super::Documents) store instead.
#[derive(Debug)]
pub struct SledStore {
    db: sled::Db,
}

/// sled's page cache; small, since values are read once and streamed.
const CACHE_BYTES: u64 = 16 * 1024 * 1024;

fn io(e: sled::Error) -> StoreError {
    StoreError::Io(e.to_string())
}

impl SledStore {
    /// Opens (creating if needed) the database in `dir`.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        let db = sled::Config::new()
            .path(dir)
            .cache_capacity(CACHE_BYTES)
            .mode(sled::Mode::LowSpace)
            .open()
            .map_err(io)?;
        Ok(Self { db })
    }
}

impl Store for SledStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.db.get(key).map_err(io)?.map(|v| v.to_vec()))
    }

    fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        self.db.insert(key, value).map_err(io)?;
        Ok(())
    }

    fn apply(&self, ops: Vec<Op>) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        for op in ops {
            match op {
                Op::Insert(k, v) => batch.insert(k, v),
                Op::Remove(k) => batch.remove(k),
            }
        }
        self.db.apply_batch(batch).map_err(io)
    }

    fn scan_prefix(&self, prefix: &[u8]) -> Result<Vec<Entry>, StoreError> {
        self.db
            .scan_prefix(prefix)
            .map(|r| r.map(|(k, v)| (k.to_vec(), v.to_vec())).map_err(io))
            .collect()
    }

    fn keys_with_prefix(&self, prefix: &[u8]) -> Result<Vec<Vec<u8>>, StoreError> {
        self.db
            .scan_prefix(prefix)
            .map(|r| r.map(|(k, _)| k.to_vec()).map_err(io))
            .collect()
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.db.flush().map(|_| ()).map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meets_the_store_contract() {
        let dir = tempfile::tempdir().expect("tempdir");
        super::super::contract::check(&SledStore::open(dir.path()).expect("open"));
    }

    #[test]
    fn flushed_writes_survive_reopen() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let s = SledStore::open(dir.path()).expect("open");
            s.insert(b"k", b"v").expect("insert");
            s.flush().expect("flush");
        }
        let s = SledStore::open(dir.path()).expect("reopen");
        assert_eq!(s.get(b"k").expect("get"), Some(b"v".to_vec()));
    }
}
