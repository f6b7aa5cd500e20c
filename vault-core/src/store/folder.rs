//! A store whose damage stays local: one small file per key.
//!
//! sled keeps every record in one log file, and one flipped bit anywhere in
//! it made sled refuse the whole database (issue 10, item 2): a survivor's
//! only copy of their vault died of one bad sector. Here every key is its
//! own file, named by the key in lower-case hex (the vault's keys are
//! already opaque keyed hashes), holding exactly the value's bytes. The
//! vault seals every value, so a flipped bit, a cut or a lost file costs
//! exactly that one record, which the vault reports as damaged; every
//! other file still reads.
//!
//! Writes are atomic and durable on their own: a value is written to
//! `<name>.tmp`, synced, renamed over `<name>`, and the folder is synced.
//! A batch of several changes is first written whole to `journal` (same
//! steps), with a SHA-256 over its bytes; then each change is made, the
//! folder synced and the journal removed. Opening the store finishes a
//! journal whose checksum holds (every change in it can be made twice) and
//! removes one whose checksum does not, and any `*.tmp` left by a crash.
//! See `docs/spec/vault-format.md` §4 for every byte.
//!
//! Files are created `0600` in a `0700` folder on Unix.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use super::{Entry, Op, Store, StoreError};

/// The journal of a batch that is being applied.
pub const JOURNAL_FILE: &str = "journal";
/// Magic at the start of a journal.
pub const JOURNAL_MAGIC: &[u8; 4] = b"SVJL";
/// The journal version this build writes and reads.
pub const JOURNAL_VERSION: u8 = 1;
/// What a file being written is called until it is complete.
const TMP_SUFFIX: &str = ".tmp";
/// The longest key: its hex name (plus `.tmp`) must fit in the 255 bytes
/// most file systems allow for a name.
pub const MAX_KEY_LEN: usize = 120;
const SHA256_LEN: usize = 32;

/// One change in a journal: the same as [`Op`], with a stable encoding.
#[derive(Debug, Serialize, Deserialize)]
enum JournalOp {
    Insert(Vec<u8>, Vec<u8>),
    Remove(Vec<u8>),
}

fn io(e: io::Error) -> StoreError {
    StoreError::Io(e.to_string())
}

/// The file name of `key`: its bytes in lower-case hex.
pub fn file_name(key: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(key)
}

/// The key a file name stands for, if it is one this store wrote.
fn key_of(name: &str) -> Option<Vec<u8>> {
    if name.is_empty() || name.len() > 2 * MAX_KEY_LEN {
        return None;
    }
    data_encoding::HEXLOWER.decode(name.as_bytes()).ok()
}

/// Whether a read failure means the bytes are gone (a bad sector, a
/// damaged file system) rather than that the program may not read them.
fn is_damage(e: &io::Error) -> bool {
    // EIO, and what Rust reports for a file that changed under it.
    e.raw_os_error() == Some(5) || e.kind() == io::ErrorKind::InvalidData
}

/// `0600` on Unix; the umask cannot widen it.
fn private_options() -> OpenOptions {
    let mut opts = OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts
}

/// The on-disk store of a vault's records.
#[derive(Debug)]
pub struct FolderStore {
    dir: PathBuf,
    // One change at a time: the journal is a single file, and a reader
    // never sees half of a batch made in this process.
    lock: Mutex<()>,
}

impl FolderStore {
    /// Opens the store in `dir`, creating the folder (owner only) if
    /// needed, and finishes or discards what a crash left there.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(dir).map_err(io)?;
        let store = Self {
            dir: dir.to_owned(),
            lock: Mutex::new(()),
        };
        store.recover()?;
        Ok(store)
    }

    /// Replays a complete journal, drops a damaged one, removes temporary
    /// files.
    fn recover(&self) -> Result<(), StoreError> {
        let journal = self.dir.join(JOURNAL_FILE);
        match fs::read(&journal) {
            Ok(bytes) => {
                if let Some(ops) = decode_journal(&bytes) {
                    for op in ops {
                        self.apply_one(op)?;
                    }
                    self.sync_dir()?;
                }
                // A journal whose checksum fails was damaged after it was
                // written: the changes it names may be half made, and cost
                // at most those records.
                fs::remove_file(&journal).map_err(io)?;
                self.sync_dir()?;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) if is_damage(&e) => {
                let _ = fs::remove_file(&journal);
                self.sync_dir()?;
            }
            Err(e) => return Err(io(e)),
        }
        for entry in fs::read_dir(&self.dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            if entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.ends_with(TMP_SUFFIX))
            {
                fs::remove_file(entry.path()).map_err(io)?;
            }
        }
        Ok(())
    }

    fn guard(&self) -> MutexGuard<'_, ()> {
        // The guard protects no data of its own: every change on disk is
        // atomic by itself, so a panic elsewhere leaves nothing half-done.
        self.lock.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn path(&self, key: &[u8]) -> Result<PathBuf, StoreError> {
        if key.is_empty() || key.len() > MAX_KEY_LEN {
            return Err(StoreError::Io(format!(
                "a key of {} bytes cannot be a file name",
                key.len()
            )));
        }
        Ok(self.dir.join(file_name(key)))
    }

    /// Makes the folder's entries (new, renamed, removed names) durable.
    fn sync_dir(&self) -> Result<(), StoreError> {
        File::open(&self.dir).and_then(|d| d.sync_all()).map_err(io)
    }

    /// Writes `bytes` to `path` through a synced temporary file and a
    /// rename; the caller syncs the folder.
    fn write_file(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(TMP_SUFFIX);
        let tmp = PathBuf::from(tmp);
        let mut f = private_options().open(&tmp).map_err(io)?;
        f.write_all(bytes).map_err(io)?;
        f.sync_all().map_err(io)?;
        drop(f);
        fs::rename(&tmp, path).map_err(io)
    }

    /// Makes one change; idempotent, so a journal can be replayed. The
    /// caller syncs the folder.
    fn apply_one(&self, op: JournalOp) -> Result<(), StoreError> {
        match op {
            JournalOp::Insert(k, v) => Self::write_file(&self.path(&k)?, &v),
            JournalOp::Remove(k) => match fs::remove_file(self.path(&k)?) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(io(e)),
            },
        }
    }

    fn read(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        match fs::read(self.path(key)?) {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            // The disk lost these bytes: an empty value never opens, so
            // the vault reports this one record as damaged instead of
            // failing everything.
            Err(e) if is_damage(&e) => Ok(Some(Vec::new())),
            Err(e) => Err(io(e)),
        }
    }

    /// Every key in the folder that starts with `prefix`, sorted.
    fn keys(&self, prefix: &[u8]) -> Result<Vec<Vec<u8>>, StoreError> {
        let mut keys = Vec::new();
        for entry in fs::read_dir(&self.dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            let Some(key) = entry.file_name().to_str().and_then(key_of) else {
                continue;
            };
            if key.starts_with(prefix) {
                keys.push(key);
            }
        }
        keys.sort();
        Ok(keys)
    }
}

/// `magic ‖ version ‖ postcard(ops) ‖ SHA-256(everything before)`.
fn encode_journal(ops: &[JournalOp]) -> Vec<u8> {
    let mut out = JOURNAL_MAGIC.to_vec();
    out.push(JOURNAL_VERSION);
    out.extend_from_slice(&crate::format::encode(&ops));
    let sum = ring::digest::digest(&ring::digest::SHA256, &out);
    out.extend_from_slice(sum.as_ref());
    out
}

/// The journal's changes, if its checksum holds and it decodes exactly.
fn decode_journal(bytes: &[u8]) -> Option<Vec<JournalOp>> {
    let split = bytes.len().checked_sub(SHA256_LEN)?;
    let (body, sum) = bytes.split_at(split);
    let want = ring::digest::digest(&ring::digest::SHA256, body);
    if want.as_ref() != sum {
        return None;
    }
    crate::format::unframe(JOURNAL_MAGIC, JOURNAL_VERSION, body).ok()
}

impl Store for FolderStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        let _g = self.guard();
        self.read(key)
    }

    fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        let _g = self.guard();
        Self::write_file(&self.path(key)?, value)?;
        self.sync_dir()
    }

    fn apply(&self, ops: Vec<Op>) -> Result<(), StoreError> {
        let _g = self.guard();
        let ops: Vec<JournalOp> = ops
            .into_iter()
            .map(|op| match op {
                Op::Insert(k, v) => JournalOp::Insert(k, v),
                Op::Remove(k) => JournalOp::Remove(k),
            })
            .collect();
        for op in &ops {
            let (JournalOp::Insert(k, _) | JournalOp::Remove(k)) = op;
            self.path(k)?;
        }
        if ops.len() > 1 {
            // The batch is decided once the journal's name is durable.
            Self::write_file(&self.dir.join(JOURNAL_FILE), &encode_journal(&ops))?;
            self.sync_dir()?;
            for op in ops {
                self.apply_one(op)?;
            }
            self.sync_dir()?;
            fs::remove_file(self.dir.join(JOURNAL_FILE)).map_err(io)?;
        } else {
            for op in ops {
                self.apply_one(op)?;
            }
        }
        // Also makes the journal's removal durable: a journal that came
        // back after a crash would undo later changes when replayed.
        self.sync_dir()
    }

    fn scan_prefix(&self, prefix: &[u8]) -> Result<Vec<Entry>, StoreError> {
        let _g = self.guard();
        let mut out = Vec::new();
        for key in self.keys(prefix)? {
            if let Some(value) = self.read(&key)? {
                out.push((key, value));
            }
        }
        Ok(out)
    }

    fn keys_with_prefix(&self, prefix: &[u8]) -> Result<Vec<Vec<u8>>, StoreError> {
        let _g = self.guard();
        self.keys(prefix)
    }

    fn flush(&self) -> Result<(), StoreError> {
        // Every change above is durable before it returns.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journal_of(ops: Vec<Op>) -> Vec<u8> {
        encode_journal(
            &ops.into_iter()
                .map(|op| match op {
                    Op::Insert(k, v) => JournalOp::Insert(k, v),
                    Op::Remove(k) => JournalOp::Remove(k),
                })
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn meets_the_store_contract() {
        let dir = tempfile::tempdir().expect("tempdir");
        super::super::contract::check(&FolderStore::open(dir.path()).expect("open"));
    }

    #[test]
    fn keeps_writes_across_reopen() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let s = FolderStore::open(dir.path()).expect("open");
            s.insert(b"k", b"v").expect("insert");
            s.apply(vec![
                Op::Insert(b"a".to_vec(), b"1".to_vec()),
                Op::Insert(b"b".to_vec(), b"2".to_vec()),
            ])
            .expect("apply");
        }
        let s = FolderStore::open(dir.path()).expect("reopen");
        assert_eq!(s.get(b"k").expect("get"), Some(b"v".to_vec()));
        assert_eq!(s.get(b"b").expect("get"), Some(b"2".to_vec()));
        assert!(!dir.path().join(JOURNAL_FILE).exists());
    }

    #[test]
    fn keeps_each_key_in_its_own_file_named_in_hex() {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = FolderStore::open(dir.path()).expect("open");
        s.insert(b"K", b"identity").expect("insert");
        s.insert(&[0x52, 0xab], b"record").expect("insert");
        assert_eq!(fs::read(dir.path().join("4b")).expect("read"), b"identity");
        assert_eq!(fs::read(dir.path().join("52ab")).expect("read"), b"record");
    }

    #[test]
    fn keeps_other_records_when_one_file_is_damaged_or_lost() {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = FolderStore::open(dir.path()).expect("open");
        for k in [b"a", b"b", b"c"] {
            s.insert(k, b"value").expect("insert");
        }
        fs::write(dir.path().join(file_name(b"a")), b"vbluf").expect("flip");
        fs::remove_file(dir.path().join(file_name(b"b"))).expect("lose");
        drop(s);
        let s = FolderStore::open(dir.path()).expect("opens all the same");
        assert_eq!(s.get(b"a").expect("get"), Some(b"vbluf".to_vec()));
        assert_eq!(s.get(b"b").expect("get"), None);
        assert_eq!(s.get(b"c").expect("get"), Some(b"value".to_vec()));
    }

    #[test]
    fn finishes_a_complete_journal_on_open() {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = FolderStore::open(dir.path()).expect("open");
        s.insert(b"old", b"x").expect("insert");
        drop(s);
        // A crash after the journal was durable, before any change.
        fs::write(
            dir.path().join(JOURNAL_FILE),
            journal_of(vec![
                Op::Remove(b"old".to_vec()),
                Op::Insert(b"new".to_vec(), b"y".to_vec()),
            ]),
        )
        .expect("journal");
        let s = FolderStore::open(dir.path()).expect("reopen");
        assert_eq!(s.get(b"old").expect("get"), None);
        assert_eq!(s.get(b"new").expect("get"), Some(b"y".to_vec()));
        assert!(!dir.path().join(JOURNAL_FILE).exists());
    }

    #[test]
    fn rejects_a_journal_whose_checksum_fails() {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = FolderStore::open(dir.path()).expect("open");
        s.insert(b"old", b"x").expect("insert");
        drop(s);
        let mut journal = journal_of(vec![
            Op::Remove(b"old".to_vec()),
            Op::Insert(b"new".to_vec(), b"y".to_vec()),
        ]);
        for bit in 0..journal.len() * 8 {
            journal[bit / 8] ^= 1 << (bit % 8);
            fs::write(dir.path().join(JOURNAL_FILE), &journal).expect("journal");
            let s = FolderStore::open(dir.path()).expect("reopen");
            assert_eq!(
                s.get(b"old").expect("get"),
                Some(b"x".to_vec()),
                "bit {bit}"
            );
            assert_eq!(s.get(b"new").expect("get"), None, "bit {bit}");
            assert!(!dir.path().join(JOURNAL_FILE).exists());
            journal[bit / 8] ^= 1 << (bit % 8);
        }
        // Cut short, it is refused too.
        fs::write(dir.path().join(JOURNAL_FILE), &journal[..journal.len() - 1]).expect("cut");
        let s = FolderStore::open(dir.path()).expect("reopen");
        assert_eq!(s.get(b"new").expect("get"), None);
    }

    #[test]
    fn removes_half_written_files_on_open() {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = FolderStore::open(dir.path()).expect("open");
        s.insert(b"k", b"v").expect("insert");
        drop(s);
        fs::write(dir.path().join("6b.tmp"), b"half").expect("write");
        fs::write(dir.path().join("journal.tmp"), b"half").expect("write");
        let s = FolderStore::open(dir.path()).expect("reopen");
        assert_eq!(s.get(b"k").expect("get"), Some(b"v".to_vec()));
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("6b")]);
    }

    #[test]
    fn ignores_files_it_did_not_write() {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = FolderStore::open(dir.path()).expect("open");
        s.insert(b"k", b"v").expect("insert");
        fs::write(dir.path().join("notes.txt"), b"x").expect("write");
        fs::write(dir.path().join("4B"), b"x").expect("write");
        assert_eq!(
            s.scan_prefix(b"").expect("scan"),
            vec![(b"k".to_vec(), b"v".to_vec())]
        );
    }

    #[test]
    fn refuses_keys_too_long_for_a_file_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = FolderStore::open(dir.path()).expect("open");
        assert!(s.insert(&[1; MAX_KEY_LEN + 1], b"v").is_err());
        assert!(s.insert(b"", b"v").is_err());
        s.insert(&[1; MAX_KEY_LEN], b"v").expect("the longest key");
    }

    #[cfg(unix)]
    #[test]
    fn keeps_files_private_whatever_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let store = dir.path().join("records");
        let s = FolderStore::open(&store).expect("open");
        s.insert(b"k", b"v").expect("insert");
        s.apply(vec![
            Op::Insert(b"a".to_vec(), b"1".to_vec()),
            Op::Insert(b"b".to_vec(), b"2".to_vec()),
        ])
        .expect("apply");
        let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&store), 0o700);
        for entry in fs::read_dir(&store).expect("list") {
            assert_eq!(mode(&entry.expect("entry").path()), 0o600);
        }
    }
}
