//! Where documents' sealed bytes live: outside the key-value store.
//!
//! A document can be gigabytes. Kept as values in sled 0.34, its pages stay
//! in the engine's memory (measured: reading 1 GiB back took 1 GiB of
//! RAM). So a document's sealed chunks go to a [`Documents`] store instead:
//! one byte stream per document id, written once from start to end, read
//! from start to end, removed whole. The key-value store keeps only the
//! small sealed record that names the document and the garbage marks that
//! make writing it crash-safe.
//!
//! [`FolderDocuments`] keeps one file per document in a folder (vaults on
//! disk); [`MemoryDocuments`] keeps them in memory (tests). Like
//! [`Store`](super::Store), neither ever sees plaintext, and everything it
//! returns is authenticated by the vault before use.

use std::collections::BTreeMap;
#[cfg(feature = "native")]
use std::fs::{File, OpenOptions};
use std::io::{self, Cursor, Read, Write};
#[cfg(feature = "native")]
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::StoreError;

/// A store of write-once byte streams, each named by an id (a few random or
/// hashed bytes: the vault's 16-byte document ids, the relay's 32-byte
/// token ids).
pub trait Documents: Send + Sync {
    /// Starts writing document `id`, which must not exist yet. Nothing is
    /// durable until [`DocumentWriter::commit`].
    fn create(&self, id: &[u8]) -> Result<Box<dyn DocumentWriter + '_>, StoreError>;
    /// Reads document `id` from its start; `None` if there is none.
    fn open(&self, id: &[u8]) -> Result<Option<Box<dyn Read + '_>>, StoreError>;
    /// Removes document `id` durably (no error if it does not exist).
    fn remove(&self, id: &[u8]) -> Result<(), StoreError>;
    /// Removes every document in `ids` (no error for one that does not
    /// exist) and makes all the removals durable before returning, once
    /// for all where the store can (a folder is synced once, not once per
    /// file). On an error, some may have been removed and some not. The
    /// default calls [`Documents::remove`] for each.
    fn remove_all(&self, ids: &[&[u8]]) -> Result<(), StoreError> {
        ids.iter().try_for_each(|id| self.remove(id))
    }
    /// Reads document `id` from byte `at` (for a reader that keeps only a
    /// position between calls, as the browser app's download does); `None`
    /// if there is none. A document shorter than `at` reads as empty. The
    /// default opens it and skips `at` bytes; a store that reads by offset
    /// does better.
    fn open_at(&self, id: &[u8], at: u64) -> Result<Option<Box<dyn Read + '_>>, StoreError> {
        let Some(mut reader) = self.open(id)? else {
            return Ok(None);
        };
        io::copy(&mut (&mut reader).take(at), &mut io::sink())
            .map_err(|e| StoreError::Io(e.to_string()))?;
        Ok(Some(reader))
    }
}

/// A document being written.
pub trait DocumentWriter: Write {
    /// Makes every byte written, and the document's name, durable (fsync)
    /// before returning.
    fn commit(self: Box<Self>) -> Result<(), StoreError>;
}

/// A shared document store is a document store (tests keep a handle).
impl<D: Documents + ?Sized> Documents for Arc<D> {
    fn create(&self, id: &[u8]) -> Result<Box<dyn DocumentWriter + '_>, StoreError> {
        (**self).create(id)
    }
    fn open(&self, id: &[u8]) -> Result<Option<Box<dyn Read + '_>>, StoreError> {
        (**self).open(id)
    }
    fn remove(&self, id: &[u8]) -> Result<(), StoreError> {
        (**self).remove(id)
    }
    fn remove_all(&self, ids: &[&[u8]]) -> Result<(), StoreError> {
        (**self).remove_all(ids)
    }
    fn open_at(&self, id: &[u8], at: u64) -> Result<Option<Box<dyn Read + '_>>, StoreError> {
        (**self).open_at(id, at)
    }
}

#[cfg(feature = "native")]
fn io(e: io::Error) -> StoreError {
    StoreError::Io(e.to_string())
}

/// The file name of document `id`: its bytes in lower-case hex (32 digits
/// for a 16-byte id).
pub fn file_name(id: &[u8]) -> String {
    crate::relay::hex(id)
}

#[cfg(feature = "native")]
/// One file per document, named by [`file_name`], in one folder. Files are
/// readable by the owner only.
#[derive(Debug)]
pub struct FolderDocuments {
    dir: PathBuf,
    fsync: bool,
}

#[cfg(feature = "native")]
impl FolderDocuments {
    /// Uses `dir`, which must exist.
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_owned(),
            fsync: true,
        }
    }

    /// Like [`FolderDocuments::new`], but `commit` and `remove` never
    /// fsync, so nothing is durable until the system writes it back. For
    /// measuring what durability costs and for filling benchmarks; never
    /// for real data.
    pub fn without_fsync(dir: &Path) -> Self {
        Self {
            fsync: false,
            ..Self::new(dir)
        }
    }

    fn path(&self, id: &[u8]) -> PathBuf {
        self.dir.join(file_name(id))
    }

    /// Makes the folder's entries (a new or removed name) durable.
    fn sync_dir(&self) -> Result<(), StoreError> {
        if !self.fsync {
            return Ok(());
        }
        File::open(&self.dir).and_then(|d| d.sync_all()).map_err(io)
    }
}

#[cfg(feature = "native")]
struct FileWriter<'a> {
    file: File,
    folder: &'a FolderDocuments,
}

#[cfg(feature = "native")]
impl Write for FileWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(feature = "native")]
impl DocumentWriter for FileWriter<'_> {
    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        if self.folder.fsync {
            self.file.sync_all().map_err(io)?;
        }
        self.folder.sync_dir()
    }
}

#[cfg(feature = "native")]
impl Documents for FolderDocuments {
    fn create(&self, id: &[u8]) -> Result<Box<dyn DocumentWriter + '_>, StoreError> {
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let file = opts.open(self.path(id)).map_err(io)?;
        Ok(Box::new(FileWriter { file, folder: self }))
    }

    fn open(&self, id: &[u8]) -> Result<Option<Box<dyn Read + '_>>, StoreError> {
        match File::open(self.path(id)) {
            Ok(f) => Ok(Some(Box::new(f))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(e)),
        }
    }

    fn open_at(&self, id: &[u8], at: u64) -> Result<Option<Box<dyn Read + '_>>, StoreError> {
        use std::io::{Seek, SeekFrom};
        match File::open(self.path(id)) {
            Ok(mut f) => {
                f.seek(SeekFrom::Start(at)).map_err(io)?;
                Ok(Some(Box::new(f)))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(e)),
        }
    }

    fn remove(&self, id: &[u8]) -> Result<(), StoreError> {
        self.remove_all(&[id])
    }

    fn remove_all(&self, ids: &[&[u8]]) -> Result<(), StoreError> {
        let mut removed = false;
        let mut failed = None;
        for id in ids {
            match std::fs::remove_file(self.path(id)) {
                Ok(()) => removed = true,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => {
                    failed.get_or_insert(io(e));
                }
            }
        }
        // The names removed are durable even when another one failed.
        if removed {
            self.sync_dir()?;
        }
        failed.map_or(Ok(()), Err)
    }
}

/// Documents in memory, for tests. Nothing is durable.
#[derive(Debug, Default)]
pub struct MemoryDocuments {
    map: Mutex<BTreeMap<Vec<u8>, Vec<u8>>>,
}

impl MemoryDocuments {
    /// No documents.
    pub fn new() -> Self {
        Self::default()
    }

    fn map(&self) -> std::sync::MutexGuard<'_, BTreeMap<Vec<u8>, Vec<u8>>> {
        // Every operation is one map call: a panic cannot leave it half-done.
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Every document's id and bytes, for tests that inspect or tamper.
    #[doc(hidden)]
    pub fn raw(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        self.map()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Replaces a document's bytes, for tamper tests.
    #[doc(hidden)]
    pub fn set_raw(&self, id: &[u8], bytes: Vec<u8>) {
        self.map().insert(id.to_vec(), bytes);
    }
}

struct MemoryWriter<'a> {
    id: Vec<u8>,
    buf: Vec<u8>,
    docs: &'a MemoryDocuments,
}

impl Write for MemoryWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl DocumentWriter for MemoryWriter<'_> {
    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        let this = *self;
        this.docs.map().insert(this.id, this.buf);
        Ok(())
    }
}

impl Documents for MemoryDocuments {
    fn create(&self, id: &[u8]) -> Result<Box<dyn DocumentWriter + '_>, StoreError> {
        if self.map().contains_key(id) {
            return Err(StoreError::Io("the document already exists".into()));
        }
        Ok(Box::new(MemoryWriter {
            id: id.to_vec(),
            buf: Vec::new(),
            docs: self,
        }))
    }

    fn open(&self, id: &[u8]) -> Result<Option<Box<dyn Read + '_>>, StoreError> {
        Ok(self
            .map()
            .get(id)
            .map(|b| Box::new(Cursor::new(b.clone())) as Box<dyn Read>))
    }

    fn remove(&self, id: &[u8]) -> Result<(), StoreError> {
        self.map().remove(id);
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod contract {
    //! The behaviour every `Documents` must have, run against each kind.
    use super::*;

    fn read(docs: &dyn Documents, id: &[u8]) -> Option<Vec<u8>> {
        docs.open(id).expect("open").map(|mut r| {
            let mut out = Vec::new();
            r.read_to_end(&mut out).expect("read");
            out
        })
    }

    pub fn check(docs: &dyn Documents) {
        let a = [1u8; 16];
        let b = [2u8; 16];
        assert!(read(docs, &a).is_none());
        let mut w = docs.create(&a).expect("create");
        w.write_all(b"hello ").expect("write");
        w.write_all(b"world").expect("write");
        w.commit().expect("commit");
        assert_eq!(read(docs, &a).as_deref(), Some(&b"hello world"[..]));
        assert!(docs.create(&a).is_err(), "a document is written once");
        for (at, rest) in [
            (0u64, &b"hello world"[..]),
            (6, b"world"),
            (11, b""),
            (99, b""),
        ] {
            let mut r = docs.open_at(&a, at).expect("open_at").expect("there");
            let mut out = Vec::new();
            r.read_to_end(&mut out).expect("read");
            assert_eq!(out, rest, "reading from byte {at}");
        }
        assert!(docs.open_at(&b, 3).expect("open_at").is_none());
        let mut w = docs.create(&b).expect("create");
        w.write_all(b"").expect("write");
        w.commit().expect("commit");
        assert_eq!(read(docs, &b).as_deref(), Some(&b""[..]));
        docs.remove(&a).expect("remove");
        assert!(read(docs, &a).is_none());
        docs.remove(&a).expect("removing twice is fine");
        assert!(read(docs, &b).is_some());
        let c = [3u8; 16];
        docs.create(&c).expect("create").commit().expect("commit");
        docs.remove_all(&[&a, &b, &c])
            .expect("remove_all, one already gone");
        for id in [a, b, c] {
            assert!(read(docs, &id).is_none());
        }
        docs.remove_all(&[]).expect("removing none is fine");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_meets_the_documents_contract() {
        contract::check(&MemoryDocuments::new());
    }

    #[test]
    fn folder_meets_the_documents_contract() {
        let dir = tempfile::tempdir().expect("tempdir");
        contract::check(&FolderDocuments::new(dir.path()));
        let unsynced = tempfile::tempdir().expect("tempdir");
        contract::check(&FolderDocuments::without_fsync(unsynced.path()));
    }

    #[cfg(unix)]
    #[test]
    fn folder_files_are_private_and_named_by_id() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let docs = FolderDocuments::new(dir.path());
        let id = [0xabu8; 16];
        docs.create(&id).expect("create").commit().expect("commit");
        let path = dir.path().join("abababababababababababababababab");
        let mode = std::fs::metadata(&path).expect("file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
