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

use vault_core::store::{Op, SledStore, Store, StoreError};

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
