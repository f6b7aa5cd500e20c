//! The web pages and their assets, embedded at build time from `web/` at
//! the workspace root (`build.rs`), so one binary serves the API and the
//! pages, and the bundle hash that lets anyone check the served code
//! against a release (`docs/spec/web-bundle.md`).
//!
//! Only the files that exist when the relay is built are embedded; a
//! missing one (say `web/pkg/` before the WebAssembly is built) is simply
//! not served.

pub mod bundle;

/// One embedded file.
#[derive(Debug)]
pub struct Asset {
    /// Its name relative to `web/` (`share.js`, `pkg/vault_web.js`).
    pub name: &'static str,
    /// The path the relay serves it at (`/`, `/S`, `/web/share.js`).
    pub path: &'static str,
    /// Its `content-type`.
    pub content_type: &'static str,
    /// The bytes served (a page with its placeholders filled in).
    pub bytes: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));

/// The file served at `path`, if any (exact match).
pub fn find(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.path == path)
}

/// The bundle hash as the relay reports it: `sha256:` and 64 hex digits.
pub fn bundle_id() -> String {
    format!("sha256:{BUNDLE_HASH}")
}
