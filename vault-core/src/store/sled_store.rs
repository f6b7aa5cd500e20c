use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{Entry, Op, Store, StoreError};

/// The default store: a `sled` database in a directory.
///
/// sled 0.34 is beta, so the vault leans on it only for what it does well:
/// small values, atomic batches, and `flush`, which (with the
/// `fdatasync` below) makes every earlier write durable before returning.
/// Documents are not stored here: sled's memory grows with the bytes that
/// pass through it whatever its cache setting (measured: 1 GiB read back
/// took 1 GiB of RAM; see `docs/performance.md`), so their sealed chunks
/// go to a [`Documents`](super::Documents) store instead.
///
/// **Durability.** sled 0.34's own `flush` writes its buffers with
/// `sync_file_range`, which waits for the data to reach the device but
/// neither asks the device to empty its write cache nor records the file's
/// new length (its log grows as it fills), so a power cut could still take
/// back writes it reported flushed; only its background thread (every
/// 500 ms) calls `fsync`. So [`Store::flush`] here also calls `fdatasync`
/// on sled's log file (`db` in the folder) after sled's flush, and the
/// folder itself is synced once when the store is opened, so that the log
/// file's name is durable too. sled writes a message larger than about
/// 128 KiB (a tree node of very large values) to its own file in `blobs/`,
/// never synced: those files, if any, and their folder are synced before
/// the log file.
#[derive(Debug)]
pub struct SledStore {
    db: sled::Db,
    /// sled's log file, kept open to `fdatasync` it.
    log: File,
    /// sled's folder of large messages (made by sled when it needs one).
    blobs: PathBuf,
}

/// sled 0.34's log file, in the folder it is opened in.
const SLED_LOG: &str = "db";
/// sled 0.34's folder of large messages, in the folder it is opened in.
const SLED_BLOBS: &str = "blobs";

impl SledStore {
    /// Syncs every file in sled's `blobs/` folder, and the folder (nothing
    /// to do when there is none, as for the vault's and the relay's small
    /// values).
    fn sync_blobs(&self) -> Result<(), StoreError> {
        let entries = match std::fs::read_dir(&self.blobs) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(file_io(e)),
        };
        let mut any = false;
        for entry in entries {
            let path = entry.map_err(file_io)?.path();
            match File::open(&path) {
                Ok(f) => f.sync_all().map_err(file_io)?,
                // Removed by sled meanwhile: nothing to keep.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(file_io(e)),
            }
            any = true;
        }
        if any {
            File::open(&self.blobs)
                .and_then(|d| d.sync_all())
                .map_err(file_io)?;
        }
        Ok(())
    }
}

/// sled's page cache; small, since values are read once and streamed.
const CACHE_BYTES: u64 = 16 * 1024 * 1024;

fn io(e: sled::Error) -> StoreError {
    StoreError::Io(e.to_string())
}

fn file_io(e: std::io::Error) -> StoreError {
    StoreError::Io(e.to_string())
}

/// How long [`SledStore::open`] waits for another handle to let go.
const LOCK_WAIT: Duration = Duration::from_secs(20);

impl SledStore {
    /// Opens (creating if needed) the database in `dir`.
    ///
    /// sled locks its `db` file, and a dropped handle lets go only when
    /// sled's own background thread has finished with it: reopening at
    /// once in the same process can find it still locked (issue 10, item
    /// 10: a test failed that way on a busy machine). So a lock held
    /// elsewhere is waited for, up to 20 seconds, before giving up.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        let deadline = Instant::now() + LOCK_WAIT;
        loop {
            match sled::Config::new()
                .path(dir)
                .cache_capacity(CACHE_BYTES)
                .mode(sled::Mode::LowSpace)
                .open()
            {
                Ok(db) => {
                    let log = File::open(dir.join(SLED_LOG)).map_err(file_io)?;
                    // The log file's name (new the first time) is durable.
                    File::open(dir)
                        .and_then(|d| d.sync_all())
                        .map_err(file_io)?;
                    return Ok(Self {
                        db,
                        log,
                        blobs: dir.join(SLED_BLOBS),
                    });
                }
                // sled says so only in words (an `Other` I/O error).
                Err(sled::Error::Io(e))
                    if e.to_string().contains("could not acquire lock")
                        && Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(io(e)),
            }
        }
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
        self.db.flush().map_err(io)?;
        // What sled's flush leaves out (see the type's docs): large
        // messages' files, the device's cache and the log's length.
        self.sync_blobs()?;
        self.log.sync_data().map_err(file_io)
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
    fn reopening_waits_for_a_handle_still_being_released() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = SledStore::open(dir.path()).expect("open");
        first.insert(b"k", b"v").expect("insert");
        first.flush().expect("flush");
        // Let go a little later, as sled's background thread does.
        let releaser = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            drop(first);
        });
        let again = SledStore::open(dir.path()).expect("reopens once released");
        assert_eq!(again.get(b"k").expect("get"), Some(b"v".to_vec()));
        releaser.join().expect("the releasing thread");
    }

    #[test]
    fn a_value_sled_keeps_in_its_own_file_is_synced_and_read_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let big = vec![7u8; 300 * 1024];
        {
            let s = SledStore::open(dir.path()).expect("open");
            s.insert(b"big", &big).expect("insert");
            s.flush().expect("flush syncs the blob too");
            assert!(
                std::fs::read_dir(dir.path().join(SLED_BLOBS))
                    .expect("sled made its blobs folder")
                    .next()
                    .is_some(),
                "a 300 KiB value goes to its own file"
            );
        }
        let s = SledStore::open(dir.path()).expect("reopen");
        assert_eq!(s.get(b"big").expect("get"), Some(big));
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
