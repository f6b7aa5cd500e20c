//! # vault-core
//!
//! The domain of Survivor Vault, with no HTTP and no terminal in it.
//!
//! A survivor keeps their history, needs and documents in a [`Vault`]: a
//! directory that nobody can read without the passphrase, not even the
//! names of the fields. The pieces fit together like this:
//!
//! - [`crypto`] wraps the primitives (ChaCha20-Poly1305, HKDF-SHA256 and
//!   HMAC-SHA256 from `ring`, Argon2id from `argon2`) and the STREAM
//!   chunking that documents use;
//! - [`id`] gives every survivor, agency and advocate an Ed25519 identity
//!   with a typed, checksummed printed form (`survivor1…`);
//! - [`path`] validates field names (`needs.housing`);
//! - [`display`] shows text that came from someone else with its control
//!   and invisible characters made visible;
//! - [`store`] hides the storage engine behind a small trait (one file per
//!   record for vaults, sled for the relay); every value it holds is
//!   already sealed;
//! - [`vault`] puts them together: key wrapping, sealed records, documents,
//!   crash-safe writes;
//! - [`keyfile`] seals an agency's or an advocate's identity under a
//!   passphrase of its own, so the agency's page in a browser, or the app
//!   for an advocate, can load it;
//! - [`advocate`] has the words an advocate reads when listing and
//!   withdrawing a person's shares (the CLI and the app).
//!
//! ```
//! use vault_core::{FieldPath, KdfParams, MemoryDocuments, MemoryStore, Role, Vault};
//!
//! # fn main() -> Result<(), vault_core::VaultError> {
//! // Real vaults use `Vault::create(dir, ..)` and `KdfParams::DEFAULT`.
//! let vault = Vault::create_in(
//!     Box::new(MemoryStore::new()),
//!     Box::new(MemoryDocuments::new()),
//!     b"correct horse battery staple",
//!     Role::Survivor,
//!     KdfParams::INSECURE_FOR_TESTS,
//! )?;
//! let path = FieldPath::parse("needs.housing").expect("a valid path");
//! vault.put_text(&path, "a ground-floor flat, near the school")?;
//! assert_eq!(
//!     vault.get_text(&path)?.as_deref().map(String::as_str),
//!     Some("a ground-floor flat, near the school")
//! );
//! assert!(vault.identity().public().to_string().starts_with("survivor1"));
//! # Ok(()) }
//! ```

//! ## Features and the browser
//!
//! The default feature `native` holds what needs an operating system: the
//! sled and folder stores, [`store::documents::FolderDocuments`], file
//! modes, `Vault::create`/`open` on a folder with its lock file, and
//! [`time::now`]. Without it (`--no-default-features`) the core builds for
//! `wasm32-unknown-unknown`, with [`MemoryStore`], [`MemoryDocuments`] and
//! [`Vault::create_in`]/[`Vault::open_in`] over the [`Store`] and
//! [`Documents`] traits.
//!
//! **Time comes from outside.** Nothing built without `native` reads the
//! clock (`SystemTime::now()` panics in the browser): functions that sign
//! or record a time take `now` (seconds since 1970) from the caller, and a
//! vault takes its `updated` times from [`Vault::set_clock`].

#![deny(missing_docs)]
// The library never prints: output belongs to the binaries' contracts.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub use vault::backup;
pub mod advocate;
pub mod contacts;
pub mod crypto;
pub mod display;
pub mod docname;
pub mod format;
#[cfg(feature = "native")]
pub mod fsmode;
pub mod grant;
pub mod history;
pub mod id;
pub mod keyfile;
pub mod messages;
pub mod path;
pub mod preview;
pub mod qr;
pub mod relay;
pub mod scope;
pub mod share;
pub mod shares;
pub mod store;
pub mod strength;
pub mod time;
pub mod token;
pub mod vault;
#[cfg(feature = "vectors")]
pub mod vectors;
pub mod words;

pub use crypto::kdf::KdfParams;
pub use id::{IdError, Identity, PublicId, Role};
pub use path::{FieldPath, PathError};
pub use scope::{Scope, ScopeEntry, ScopeError};
pub use share::link::{LinkError, ShareLink, ShareSecret, TokenId};
pub use store::{Documents, MemoryDocuments, MemoryStore, Store, StoreError};
#[cfg(feature = "native")]
pub use store::{FolderDocuments, FolderStore, SledStore};
pub use token::{Claims, Token, TokenError, UnverifiedToken};
pub use vault::{CheckReport, EntryInfo, Kind, Repair, Vault, VaultError};
