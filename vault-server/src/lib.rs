//! The Survivor Vault relay as a library: the router ([`app::app`]), its
//! state, storage and routes, so tests and benchmarks can drive exactly
//! what the `vault-server` binary serves.

pub mod app;
pub mod auth;
pub mod db;
pub mod error;
pub mod openapi;
pub mod routes;
pub mod state;

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use vault_core::store::documents::file_name;
use vault_core::store::{DocumentWriter, Documents, Op, SledStore, Store, StoreError};

/// The folder inside the data folder with one file per sealed share.
pub const SHARES_DIR: &str = "shares";
/// The folder inside the data folder with the sled store.
pub const STORE_DIR: &str = "store";

/// `DATA/shares`, created if missing, readable by the owner only (0700,
/// also if it existed with wider permissions).
pub fn shares_dir(data: &Path) -> io::Result<PathBuf> {
    let dir = data.join(SHARES_DIR);
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(&dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(dir)
}

/// A store whose flush does nothing: for measuring what durability costs.
#[derive(Debug)]
pub struct NoFsync(pub SledStore);

impl Store for NoFsync {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.0.get(key)
    }
    fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        self.0.insert(key, value)
    }
    fn apply(&self, ops: Vec<Op>) -> Result<(), StoreError> {
        self.0.apply(ops)
    }
    fn scan_prefix(&self, prefix: &[u8]) -> Result<Vec<vault_core::store::Entry>, StoreError> {
        self.0.scan_prefix(prefix)
    }
    fn keys_with_prefix(&self, prefix: &[u8]) -> Result<Vec<Vec<u8>>, StoreError> {
        self.0.keys_with_prefix(prefix)
    }
    fn flush(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

/// Share files like [`vault_core::store::FolderDocuments`] (same names,
/// mode 0600, written once), but nothing is synced: `commit` and `remove`
/// return without fsync. For measuring what durability costs, and for
/// filling a benchmark's store quickly; never for real shares.
#[derive(Debug)]
pub struct NoFsyncDocuments {
    dir: PathBuf,
}

impl NoFsyncDocuments {
    /// Uses `dir`, which must exist.
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_owned(),
        }
    }
}

fn io_error(e: io::Error) -> StoreError {
    StoreError::Io(e.to_string())
}

/// A share file being written, never synced.
struct UnsyncedFile(File);

impl Write for UnsyncedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl DocumentWriter for UnsyncedFile {
    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        Ok(())
    }
}

impl Documents for NoFsyncDocuments {
    fn create(&self, id: &[u8]) -> Result<Box<dyn DocumentWriter + '_>, StoreError> {
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let file = opts.open(self.dir.join(file_name(id))).map_err(io_error)?;
        Ok(Box::new(UnsyncedFile(file)))
    }

    fn open(&self, id: &[u8]) -> Result<Option<Box<dyn Read + '_>>, StoreError> {
        match File::open(self.dir.join(file_name(id))) {
            Ok(f) => Ok(Some(Box::new(f))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error(e)),
        }
    }

    fn remove(&self, id: &[u8]) -> Result<(), StoreError> {
        match std::fs::remove_file(self.dir.join(file_name(id))) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(docs: &dyn Documents, id: &[u8]) -> Option<Vec<u8>> {
        docs.open(id).expect("open").map(|mut r| {
            let mut out = Vec::new();
            r.read_to_end(&mut out).expect("read");
            out
        })
    }

    #[test]
    fn no_fsync_documents_write_once_read_and_remove_like_folder_documents() {
        let dir = tempfile::tempdir().expect("tempdir");
        let docs = NoFsyncDocuments::new(dir.path());
        let id = [0xabu8; 32];
        assert!(read(&docs, &id).is_none());
        let mut w = docs.create(&id).expect("create");
        w.write_all(b"sealed").expect("write");
        w.commit().expect("commit");
        assert_eq!(read(&docs, &id).as_deref(), Some(&b"sealed"[..]));
        assert!(docs.create(&id).is_err(), "a share file is written once");
        // The same file the durable store would name and read.
        let folder = vault_core::store::FolderDocuments::new(dir.path());
        assert_eq!(read(&folder, &id).as_deref(), Some(&b"sealed"[..]));
        docs.remove(&id).expect("remove");
        assert!(read(&docs, &id).is_none());
        docs.remove(&id).expect("removing twice is fine");
    }

    #[cfg(unix)]
    #[test]
    fn shares_dir_is_private_even_if_it_existed() {
        use std::os::unix::fs::PermissionsExt;
        let data = tempfile::tempdir().expect("tempdir");
        let made = shares_dir(data.path()).expect("made");
        assert_eq!(made, data.path().join("shares"));
        let mode = |p: &Path| std::fs::metadata(p).expect("dir").permissions().mode() & 0o777;
        assert_eq!(mode(&made), 0o700);
        std::fs::set_permissions(&made, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        shares_dir(data.path()).expect("opened again");
        assert_eq!(mode(&made), 0o700);
    }
}
