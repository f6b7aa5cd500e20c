//! The Survivor Vault relay as a library: the router ([`app::app`]), its
//! state, storage and routes, so tests and benchmarks can drive exactly
//! what the `vault-server` binary serves.

pub mod admission;
pub mod app;
pub mod auth;
pub mod db;
pub mod decide;
pub mod error;
pub mod headers;
pub mod journal;
pub mod openapi;
pub mod routes;
pub mod serve;
pub mod state;
pub mod web;

use std::io;
use std::path::{Path, PathBuf};

use vault_core::store::{Op, SledStore, Store, StoreError};

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

#[cfg(test)]
mod tests {
    use super::*;

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
