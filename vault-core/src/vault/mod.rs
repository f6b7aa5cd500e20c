//! The survivor's vault: a directory that only the passphrase opens.
//!
//! Layout of the directory:
//!
//! - `header` and `header-copy`: the master key wrapped under the
//!   passphrase, twice (each its own file, replaced atomically, so a new
//!   passphrase leaves no old wrapping behind); one damaged copy is
//!   rewritten from the other when the vault is opened;
//! - `lock`: an empty file, locked exclusively while a program has the
//!   vault open, so two programs never write at once;
//! - `records/`: the [`FolderStore`] holding every record, sealed, one file
//!   per record, so damage to the disk costs only the records it touches
//!   (a vault made before kept them in a sled database in `store/`, which
//!   opening moves into `records/`);
//! - `documents/`: one file per document, its chunks sealed by STREAM (a
//!   [`FolderDocuments`]), so that a document of any size passes through
//!   memory one chunk at a time.
//!
//! Inside the store (see `docs/spec/vault-format.md` for every byte):
//!
//! | key                         | value                                  |
//! |-----------------------------|----------------------------------------|
//! | `H`, `h`                    | the header and its copy, only for in-memory vaults (on disk they are files) |
//! | `K`, `k`                    | the identity (role and Ed25519 seed), sealed, twice |
//! | `R` ‖ HMAC(index key, path) | one field: its path, kind and value, sealed |
//! | `P` ‖ document id           | empty: this document's file is garbage |
//! | `G` ‖ HMAC(index key, id)   | a grant record, sealed                 |
//! | `S` ‖ HMAC(index key, origin) | what the vault knows of a relay, sealed |
//! | `C` ‖ HMAC(index key, folded name) | a contact, sealed              |
//! | `D` ‖ HMAC(index key, advocate key) | a permission given to an advocate, sealed |
//! | `B` ‖ HMAC(index key, `"last"`) | when the last backup was made, sealed |
//!
//! Field names never reach the disk in the clear: the store key is a keyed
//! hash, the name itself lives inside the sealed value. Every sealed value
//! binds its own store key as associated data, so values cannot be swapped.
//!
//! Writes are crash-safe: a new document is marked as garbage, then its
//! file is written and synced, then one atomic batch points the field at it
//! and lifts the mark; the old value's file is marked as garbage in that
//! same batch and removed afterwards. A crash at any point leaves either
//! the old or the new value readable, never neither, and the next open
//! removes whatever a crash left marked.

pub mod backup;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod header;
mod record;

#[cfg(feature = "native")]
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
#[cfg(feature = "native")]
use std::path::Path;
use std::path::PathBuf;
use std::sync::Mutex;

use zeroize::Zeroizing;

use crate::crypto::kdf::KdfParams;
use crate::crypto::stream::{self, StreamOpener, StreamSealer, CHUNK_SIZE, SEALED_CHUNK_SIZE};
use crate::crypto::{self, CryptoError, SecretKey};
use crate::docname::DocName;
use crate::id::{Identity, Role};
use crate::path::FieldPath;
use crate::share::padded_len;
use crate::store::{DocumentWriter, Documents, Op, Store, StoreError};
#[cfg(feature = "native")]
use crate::store::{FolderDocuments, FolderStore, SledStore};

use record::{DocId, Keys, RecordBody, Value};
pub use record::{EntryInfo, Kind};

/// Decrypted bytes, wiped from memory when dropped.
pub type Plaintext = Zeroizing<Vec<u8>>;

/// The most bytes a text field may hold; longer values go in a document.
pub const MAX_TEXT_LEN: usize = 32 * 1024;

/// The shortest new passphrase a vault is given, in characters (the
/// command line and the app refuse a shorter one before creating or
/// re-wrapping anything).
pub const MIN_PASSPHRASE_CHARS: usize = 8;

#[cfg(feature = "native")]
const LOCK_FILE: &str = "lock";
#[cfg(feature = "native")]
const HEADER_FILE: &str = "header";
/// The header's second copy, so one bad sector does not lose the vault.
#[cfg(feature = "native")]
const HEADER_COPY_FILE: &str = "header-copy";
/// What `write_atomic` names the header while writing it.
#[cfg(feature = "native")]
const HEADER_TMP: &str = "header.tmp";
#[cfg(feature = "native")]
const HEADER_COPY_TMP: &str = "header-copy.tmp";
/// The records, one file each ([`FolderStore`]).
#[cfg(feature = "native")]
const RECORDS_DIR: &str = "records";
/// Where records are copied while an older vault's store is migrated.
#[cfg(feature = "native")]
const RECORDS_NEW_DIR: &str = "records.new";
/// Where sled reads a copy of an older vault's store: sled's recovery
/// rewrites a damaged database in place (measured: one flipped bit in its
/// first byte, and sled zeroed everything after it), so it never opens the
/// original.
#[cfg(feature = "native")]
const STORE_READ_DIR: &str = "store.read";
/// The sled database of vaults made before the folder store.
#[cfg(feature = "native")]
const STORE_DIR: &str = "store";
#[cfg(feature = "native")]
const DOCUMENTS_DIR: &str = "documents";
const KEY_HEADER: &[u8] = b"H";
const KEY_HEADER_COPY: &[u8] = b"h";
const KEY_IDENTITY: &[u8] = b"K";
/// The identity's second copy.
const KEY_IDENTITY_COPY: &[u8] = b"k";
const PREFIX_RECORD: u8 = b'R';
const PREFIX_GARBAGE: u8 = b'P';
/// Namespace of grant records (`G` ‖ token id).
pub const NS_GRANT: u8 = b'G';
/// Namespace of what the vault remembers about a relay (`S` ‖ origin).
pub const NS_RELAY: u8 = b'S';
/// Namespace of contacts (`C` ‖ folded name; see [`crate::contacts`]).
pub const NS_CONTACT: u8 = b'C';
/// Namespace of permissions given to advocates, as this vault remembers
/// them (`D` ‖ advocate key).
pub const NS_DELEGATION: u8 = b'D';

/// Namespace of when the vault was last backed up (`B` ‖ `"last"`; see
/// [`backup`]).
pub const NS_BACKUP: u8 = b'B';

/// Namespace of an advocate's key kept in the app's vault (`A` ‖ `"key"`:
/// the advocate's role code ‖ Ed25519 seed, as inside a key file), so a
/// person who is also an advocate can act for others from Folio.
pub const NS_ADVOCATE_KEY: u8 = b'A';

/// Every namespace of private records.
const NAMESPACES: [u8; 6] = [
    NS_GRANT,
    NS_RELAY,
    NS_CONTACT,
    NS_DELEGATION,
    NS_BACKUP,
    NS_ADVOCATE_KEY,
];

/// `namespace ‖ HMAC(index key, label ‖ namespace ‖ id)`.
fn private_key(keys: &Keys, namespace: u8, id: &[u8]) -> Vec<u8> {
    debug_assert!(NAMESPACES.contains(&namespace));
    let mut key = vec![namespace];
    key.extend_from_slice(&keys.private_index_of(namespace, id));
    key
}

/// Everything that can go wrong with a vault. Messages are for people.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// No vault in that directory.
    #[error("{}", crate::msg!("vault-not-found", folder = .0.display().to_string()))]
    NotFound(PathBuf),
    /// A vault already exists there.
    #[error("{}", crate::msg!("vault-already-exists", folder = .0.display().to_string()))]
    AlreadyExists(PathBuf),
    /// The path is a file, not a folder.
    #[error("{}", crate::msg!("vault-not-a-folder", folder = .0.display().to_string()))]
    NotAFolder(PathBuf),
    /// The directory holds something else.
    #[error("{}", crate::msg!("vault-not-empty", folder = .0.display().to_string()))]
    NotEmpty(PathBuf),
    /// Another program has the vault open.
    #[error("{}", crate::msg!("vault-locked"))]
    Locked,
    /// The passphrase did not unwrap the master key.
    #[error("{}", crate::msg!("vault-wrong-passphrase"))]
    WrongPassphrase,
    /// The header is damaged or unreadable.
    #[error("{}", crate::msg!("vault-header-damaged"))]
    HeaderDamaged,
    /// The vault was written by a newer version.
    #[error("{}", crate::msg!("vault-newer"))]
    Newer,
    /// No field at that path.
    #[error("{}", crate::msg!("vault-field-not-found", field = .0.to_string()))]
    FieldNotFound(FieldPath),
    /// A field's record or chunks failed authentication.
    #[error("{}", crate::msg!("vault-unreadable", field = .0.to_string()))]
    Unreadable(FieldPath),
    /// The identity record failed authentication.
    #[error("{}", crate::msg!("vault-identity-unreadable"))]
    IdentityUnreadable,
    /// A grant or relay record failed authentication.
    #[error("{}", crate::msg!("vault-record-unreadable"))]
    RecordUnreadable,
    /// A vault made by an earlier version keeps its records in a sled
    /// database, which could not be read to move them to the folder store.
    #[error("{}", crate::msg!("vault-old-store-unreadable"))]
    OldStoreUnreadable,
    /// A file or folder of the vault can be read by others and its
    /// permissions could not be changed.
    #[error("{}", crate::msg!("vault-not-private", folder = .0.display().to_string()))]
    NotPrivate(PathBuf),
    /// Text longer than [`MAX_TEXT_LEN`].
    #[error("{}", crate::msg!("vault-text-too-long", max_text_len = MAX_TEXT_LEN))]
    TextTooLong,
    /// The storage engine failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Reading the input or writing the output failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The system random generator failed.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

/// What [`Vault::check`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Fields that read correctly, documents to their last chunk, by path.
    pub readable: Vec<EntryInfo>,
    /// Fields whose record reads but whose document file is damaged or
    /// missing.
    pub damaged_documents: Vec<FieldPath>,
    /// Field records that do not open. A field's name is inside its
    /// sealed record, so these cannot be named.
    pub damaged_records: usize,
    /// Grant and relay records that do not open.
    pub damaged_other: usize,
}

impl CheckReport {
    /// Whether everything read correctly.
    pub fn is_whole(&self) -> bool {
        self.damaged_documents.is_empty() && self.damaged_records == 0 && self.damaged_other == 0
    }
}

/// Writes `identity`, sealed, under `key` (the identity or its copy; the
/// sealed value binds the key, so the two copies differ on disk).
fn identity_op(keys: &Keys, key: &[u8], identity: &Identity) -> Result<Op, CryptoError> {
    Ok(Op::Insert(key.to_vec(), keys.seal_identity(key, identity)?))
}

/// An open, unlocked vault.
pub struct Vault {
    store: Box<dyn Store>,
    documents: Box<dyn Documents>,
    keys: Keys,
    identity: Identity,
    header: HeaderSlot,
    repairs: Vec<Repair>,
    // One writer at a time inside this process (the lock file keeps other
    // processes out): a commit reads the old value and replaces it.
    write: Mutex<()>,
    // Where `updated` times come from (see [`Vault::set_clock`]).
    clock: fn() -> u64,
    // Held for the vault's lifetime; the OS releases the lock on drop.
    #[cfg(feature = "native")]
    _lock: Option<File>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("identity", &self.identity)
            .finish_non_exhaustive()
    }
}

/// What opening the vault found wrong and put right, so the person can be
/// told (nothing was lost in any of these).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Repair {
    /// One of the two copies of the header was damaged or missing and was
    /// rewritten from the other.
    HeaderCopy,
    /// One of the two copies of the identity was damaged or missing and
    /// was rewritten from the other.
    IdentityCopy,
    /// These files or folders could be read by other people; they were
    /// made private (folders `0700`, files `0600`).
    Permissions(Vec<PathBuf>),
    /// The records were moved from the older sled store into `records/`.
    Migrated {
        /// How many records were moved.
        records: usize,
    },
}

impl Repair {
    /// What to tell the person, calmly (nothing was lost).
    pub fn words(&self) -> String {
        match self {
            Repair::HeaderCopy => crate::msg!("main-repaired-header"),
            Repair::IdentityCopy => crate::msg!("main-repaired-identity"),
            Repair::Permissions(paths) => {
                crate::msg!("main-repaired-permissions", count = paths.len())
            }
            Repair::Migrated { records } => crate::msg!("main-migrated", count = *records),
        }
    }
}

#[cfg(feature = "native")]
fn lock(dir: &Path) -> Result<File, VaultError> {
    let mut opts = OpenOptions::new();
    opts.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let file = opts.open(dir.join(LOCK_FILE))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(VaultError::Locked),
        Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
    }
}

/// The clock a vault starts with: the system's where there is one.
#[cfg(feature = "native")]
const DEFAULT_CLOCK: fn() -> u64 = crate::time::now;
/// Without the `native` feature there is no clock to read (the browser's
/// `SystemTime::now()` panics): times read as 0 until
/// [`Vault::set_clock`] gives the vault one.
#[cfg(not(feature = "native"))]
const DEFAULT_CLOCK: fn() -> u64 = || 0;

fn record_key(keys: &Keys, path: &FieldPath) -> Vec<u8> {
    let mut k = vec![PREFIX_RECORD];
    k.extend_from_slice(&keys.index_of(path));
    k
}

fn garbage_key(doc: &DocId) -> Vec<u8> {
    let mut k = vec![PREFIX_GARBAGE];
    k.extend_from_slice(doc);
    k
}

/// A failure of the document files, reported like the store's.
fn storage(e: io::Error) -> VaultError {
    VaultError::Store(StoreError::Io(e.to_string()))
}

/// The vault's `documents` folder, created (owner only) if missing.
#[cfg(feature = "native")]
fn open_documents(dir: &Path) -> Result<FolderDocuments, VaultError> {
    let path = dir.join(DOCUMENTS_DIR);
    create_private_dir(&path)?;
    Ok(FolderDocuments::new(&path))
}

/// Reads until `buf` holds `CHUNK_SIZE` bytes or the input ends.
fn read_chunk(input: &mut dyn Read, buf: &mut Vec<u8>) -> io::Result<()> {
    buf.clear();
    input.take(CHUNK_SIZE as u64).read_to_end(buf)?;
    Ok(())
}

/// Why a sealed document stream did not read to its end.
#[derive(Debug)]
enum SealedReadError {
    /// A chunk failed authentication, was missing or out of place, the
    /// padding was not zeros, or bytes followed the last chunk.
    Unreadable,
    /// Reading the sealed bytes failed (other than their ending early).
    Read(io::Error),
    /// Writing the plaintext to `out` failed.
    Write(io::Error),
}

/// The checks of one document's sealed stream (vault-format §10.2), one
/// chunk at a time: every chunk authenticated in its place (STREAM), the
/// last one sealed as last, the padding zeros, and nothing after it. Kept
/// between calls by [`DocumentReader`]; run in one loop by [`read_sealed`].
#[derive(Debug)]
struct SealedChunks {
    opener: StreamOpener,
    len: u64,
    padded: u64,
    chunks: u64,
    next: u64,
    done: u64,
}

impl SealedChunks {
    fn new(key: &SecretKey, len: u64) -> Self {
        let padded = padded_len(len);
        Self {
            opener: StreamOpener::new(key),
            len,
            padded,
            chunks: stream::chunk_count(padded),
            next: 0,
            done: 0,
        }
    }

    /// Whether a chunk is still to be read.
    fn remaining(&self) -> bool {
        self.next < self.chunks
    }

    /// Where the next chunk starts in the sealed bytes (every chunk before
    /// it is full).
    fn offset(&self) -> u64 {
        self.next * SEALED_CHUNK_SIZE as u64
    }

    /// Reads the next chunk from `file` (at [`Self::offset`]) into `buf`
    /// and opens it; `buf` is then the document's bytes in it (none of the
    /// padding).
    fn read_next(&mut self, file: &mut dyn Read, buf: &mut Vec<u8>) -> Result<(), SealedReadError> {
        use SealedReadError::Unreadable;
        if !self.remaining() {
            return Err(Unreadable);
        }
        let i = self.next;
        let last = i + 1 == self.chunks;
        let start = i * CHUNK_SIZE as u64;
        // Every chunk but the last is full; the last holds the rest.
        let plain = if last {
            self.padded - start
        } else {
            CHUNK_SIZE as u64
        };
        let sealed = usize::try_from(plain)
            .ok()
            .filter(|&n| n <= CHUNK_SIZE)
            .ok_or(Unreadable)?
            + crypto::TAG_LEN;
        buf.resize(sealed, 0);
        file.read_exact(buf).map_err(read_failed)?;
        self.opener.open_chunk(buf, last).map_err(|_| Unreadable)?;
        // The document's bytes, then (in the last chunks) zeros.
        let ours = self.len.saturating_sub(start).min(buf.len() as u64) as usize;
        if buf[ours..].iter().any(|&b| b != 0) {
            return Err(Unreadable);
        }
        buf.truncate(ours);
        self.next += 1;
        self.done += ours as u64;
        Ok(())
    }

    /// After the last chunk: the stream was whole, and nothing follows it
    /// in `file` (bytes after the last chunk were added by someone else).
    fn finish(&self, file: &mut dyn Read) -> Result<(), SealedReadError> {
        use SealedReadError::Unreadable;
        self.opener.finish().map_err(|_| Unreadable)?;
        if self.done != self.len || file.read(&mut [0u8; 1]).map_err(SealedReadError::Read)? != 0 {
            return Err(Unreadable);
        }
        Ok(())
    }
}

/// A short or missing file, like a bad tag, means the document was damaged
/// or changed; only other read failures are the disk's.
fn read_failed(e: io::Error) -> SealedReadError {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => SealedReadError::Unreadable,
        _ => SealedReadError::Read(e),
    }
}

/// Reads the sealed document stream of a document of `len` bytes from
/// `file` (vault-format §10.2), sealed under `key`, and writes its
/// plaintext to `out` chunk by chunk, each chunk authenticated before it is
/// written. Memory is one chunk. Shared by [`Vault::read_document`] and the
/// backup, which passes a document's sealed bytes through it to check them.
fn read_sealed(
    key: &SecretKey,
    len: u64,
    file: &mut dyn Read,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(u64),
) -> Result<u64, SealedReadError> {
    let mut chunks = SealedChunks::new(key, len);
    let mut buf = Zeroizing::new(Vec::with_capacity(SEALED_CHUNK_SIZE));
    while chunks.remaining() {
        chunks.read_next(file, &mut buf)?;
        out.write_all(&buf).map_err(SealedReadError::Write)?;
        progress(chunks.done);
    }
    chunks.finish(file)?;
    Ok(len)
}

/// What a failed read of document `path` is to the vault's caller.
fn sealed_error(path: &FieldPath, e: SealedReadError) -> VaultError {
    match e {
        SealedReadError::Unreadable => VaultError::Unreadable(path.clone()),
        SealedReadError::Read(e) => storage(e),
        SealedReadError::Write(e) => VaultError::Io(e),
    }
}

/// A document read back one chunk per call ([`Vault::document_reader`]),
/// for a caller that cannot wait inside one call: the browser app's
/// download, which the browser pulls chunk by chunk. It owns what it needs
/// between calls (the document's id, its opener with the document key, its
/// place) and borrows the vault only during [`DocumentReader::next_chunk`].
/// The checks are the whole-document read's ([`Vault::read_document`]).
/// A chunk is handed out only once authenticated, but a document cut
/// short or changed is found only when its reader gets there: a caller discards what it was given when a call
/// fails. Dropping it wipes the key and the chunk it holds.
pub struct DocumentReader {
    path: FieldPath,
    len: u64,
    source: ReaderSource,
    buf: Zeroizing<Vec<u8>>,
}

enum ReaderSource {
    /// A text field: its bytes, handed out once.
    Text(Option<Zeroizing<Vec<u8>>>),
    /// A document's sealed chunks (boxed: the opener holds the key's
    /// expanded state).
    Sealed {
        doc: DocId,
        chunks: Box<SealedChunks>,
    },
    /// A call failed: the reader gives nothing more.
    Failed,
}

impl std::fmt::Debug for DocumentReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Neither the path nor anything read is printed.
        f.debug_struct("DocumentReader").finish_non_exhaustive()
    }
}

impl DocumentReader {
    /// The document's length in bytes (what all the chunks add up to).
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the document is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The next piece of the document (at most one chunk, 64 KiB), opened
    /// and authenticated; `None` once the whole document was given and
    /// checked. `vault` must be the vault that made this reader. After an
    /// error the reader gives nothing more.
    pub fn next_chunk(&mut self, vault: &Vault) -> Result<Option<&[u8]>, VaultError> {
        let result = self.advance(vault);
        match result {
            Ok(true) => Ok(Some(&self.buf[..])),
            Ok(false) => Ok(None),
            Err(e) => {
                self.source = ReaderSource::Failed;
                self.buf.clear();
                Err(e)
            }
        }
    }

    /// Puts the next piece in `buf`: true if there was one.
    fn advance(&mut self, vault: &Vault) -> Result<bool, VaultError> {
        let path = &self.path;
        match &mut self.source {
            ReaderSource::Text(text) => match text.take() {
                Some(bytes) => {
                    self.buf.clear();
                    self.buf.extend_from_slice(&bytes);
                    Ok(true)
                }
                None => Ok(false),
            },
            ReaderSource::Sealed { doc, chunks } => {
                if !chunks.remaining() {
                    return Ok(false);
                }
                let mut file = vault
                    .documents
                    .open_at(&doc[..], chunks.offset())?
                    .ok_or_else(|| VaultError::Unreadable(path.clone()))?;
                chunks
                    .read_next(&mut file, &mut self.buf)
                    .map_err(|e| sealed_error(path, e))?;
                if !chunks.remaining() {
                    chunks
                        .finish(&mut file)
                        .map_err(|e| sealed_error(path, e))?;
                }
                Ok(true)
            }
            ReaderSource::Failed => Err(VaultError::Unreadable(path.clone())),
        }
    }
}

/// Where the header and its copy live: two files in the vault folder on
/// disk (so a new passphrase replaces the old wrapping outright instead of
/// leaving it in a store's log), or the store keys `H` and `h` for
/// in-memory vaults.
#[derive(Debug)]
enum HeaderSlot {
    /// The vault folder.
    #[cfg(feature = "native")]
    File(PathBuf),
    Store,
}

fn unwrap_error(e: header::UnwrapError) -> VaultError {
    match e {
        header::UnwrapError::WrongPassphrase => VaultError::WrongPassphrase,
        header::UnwrapError::Newer => VaultError::Newer,
        header::UnwrapError::Damaged(_) => VaultError::HeaderDamaged,
    }
}

/// A header file's bytes; `None` if it is missing. Bytes the disk lost
/// read as empty, which is a damaged header, not a failure to open.
#[cfg(feature = "native")]
fn read_header_file(path: &Path) -> Result<Option<Vec<u8>>, VaultError> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.raw_os_error() == Some(5) || e.kind() == io::ErrorKind::InvalidData => {
            Ok(Some(Vec::new()))
        }
        Err(e) => Err(e.into()),
    }
}

impl HeaderSlot {
    /// Both copies, as stored (`None` where one is missing).
    fn read(&self, store: Option<&dyn Store>) -> Result<[Option<Vec<u8>>; 2], VaultError> {
        match (self, store) {
            #[cfg(feature = "native")]
            (HeaderSlot::File(dir), _) => Ok([
                read_header_file(&dir.join(HEADER_FILE))?,
                read_header_file(&dir.join(HEADER_COPY_FILE))?,
            ]),
            (HeaderSlot::Store, Some(store)) => {
                Ok([store.get(KEY_HEADER)?, store.get(KEY_HEADER_COPY)?])
            }
            (HeaderSlot::Store, None) => Err(VaultError::HeaderDamaged),
        }
    }

    /// Unwraps the master key from whichever copy opens, and rewrites the
    /// other from it if it differs. Returns whether a copy that existed
    /// was damaged (a missing copy is a vault made before there were two,
    /// and is written without fuss).
    fn unwrap(
        &self,
        store: Option<&dyn Store>,
        passphrase: &[u8],
    ) -> Result<(SecretKey, bool), VaultError> {
        let [main, copy] = self.read(store)?;
        let mut errors = Vec::new();
        let mut opened = None;
        for bytes in [&main, &copy].into_iter().flatten() {
            // Two equal copies need one (slow) Argon2 run, not two.
            if errors.iter().any(|(b, _)| b == bytes) {
                continue;
            }
            match header::unwrap(bytes, passphrase) {
                Ok((master, _)) => {
                    opened = Some((master, bytes.clone()));
                    break;
                }
                Err(e) => errors.push((bytes.clone(), e)),
            }
        }
        let Some((master, good)) = opened else {
            // Saying "wrong passphrase" whenever one copy says so keeps a
            // flipped bit in the other from hiding a mistyped passphrase.
            let kinds: Vec<_> = errors.into_iter().map(|(_, e)| e).collect();
            return Err(if kinds.is_empty() {
                VaultError::HeaderDamaged
            } else if kinds.contains(&header::UnwrapError::WrongPassphrase) {
                VaultError::WrongPassphrase
            } else if kinds.contains(&header::UnwrapError::Newer) {
                VaultError::Newer
            } else {
                unwrap_error(kinds[0])
            });
        };
        let damaged =
            main.as_ref().is_none_or(|m| *m != good) || copy.as_ref().is_some_and(|c| *c != good);
        if main.as_ref() != Some(&good) || copy.as_ref() != Some(&good) {
            self.write_both(store, &good)?;
        }
        Ok((master, damaged))
    }

    /// Writes the header of a vault just filled (by an import): the two
    /// files, the copy first, for a folder; nothing for a store, whose
    /// batch already held `H` and `h`.
    fn write_new(&self, bytes: &[u8]) -> Result<(), VaultError> {
        match self {
            #[cfg(feature = "native")]
            HeaderSlot::File(dir) => {
                write_atomic(&dir.join(HEADER_COPY_FILE), bytes)?;
                write_atomic(&dir.join(HEADER_FILE), bytes)?;
                Ok(())
            }
            HeaderSlot::Store => {
                let _ = bytes;
                Ok(())
            }
        }
    }

    /// Replaces both copies with `bytes`, the copy first.
    fn write_both(&self, store: Option<&dyn Store>, bytes: &[u8]) -> Result<(), VaultError> {
        match (self, store) {
            #[cfg(feature = "native")]
            (HeaderSlot::File(dir), _) => {
                write_atomic(&dir.join(HEADER_COPY_FILE), bytes)?;
                write_atomic(&dir.join(HEADER_FILE), bytes)?;
            }
            (HeaderSlot::Store, Some(store)) => {
                store.apply(vec![
                    Op::Insert(KEY_HEADER_COPY.to_vec(), bytes.to_vec()),
                    Op::Insert(KEY_HEADER.to_vec(), bytes.to_vec()),
                ])?;
                store.flush()?;
            }
            (HeaderSlot::Store, None) => return Err(VaultError::HeaderDamaged),
        }
        Ok(())
    }
}

/// Replaces `path` atomically and durably: write a temporary file, sync
/// it, rename it over `path`, sync the folder. A crash leaves the old or
/// the new file, never a mix.
#[cfg(feature = "native")]
fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut opts = OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent() {
        sync_dir(dir)?;
    }
    Ok(())
}

impl Vault {
    /// Makes a new vault in `dir` (created if missing, else it must be
    /// empty) for an identity of `role`, locked by `passphrase`.
    #[cfg(feature = "native")]
    pub fn create(
        dir: &Path,
        passphrase: &[u8],
        role: Role,
        kdf: KdfParams,
    ) -> Result<Self, VaultError> {
        Self::check_can_create(dir, false)?;
        create_private_dir(dir)?;
        let lock = lock(dir)?;
        if Self::exists(dir) {
            return Err(VaultError::AlreadyExists(dir.to_owned()));
        }
        // What an older init left: nothing in it yet.
        if dir.join(STORE_DIR).is_dir() {
            std::fs::remove_dir_all(dir.join(STORE_DIR))?;
        }
        let store = FolderStore::open(&dir.join(RECORDS_DIR))?;
        let documents = open_documents(dir)?;
        let master = SecretKey::generate()?;
        let keys = Keys::derive(&master)?;
        let identity = Identity::generate(role)?;
        store.apply(vec![
            identity_op(&keys, KEY_IDENTITY, &identity)?,
            identity_op(&keys, KEY_IDENTITY_COPY, &identity)?,
        ])?;
        store.flush()?;
        // The header file is written last: a vault exists exactly when it
        // does (its copy first, so a crash between leaves one to open).
        let wrapped = header::wrap(&master, passphrase, kdf)?;
        write_atomic(&dir.join(HEADER_COPY_FILE), &wrapped)?;
        write_atomic(&dir.join(HEADER_FILE), &wrapped)?;
        Ok(Self {
            store: Box::new(store),
            documents: Box::new(documents),
            keys,
            identity,
            header: HeaderSlot::File(dir.to_owned()),
            repairs: Vec::new(),
            write: Mutex::new(()),
            clock: DEFAULT_CLOCK,
            _lock: Some(lock),
        })
    }

    /// Refuses a `dir` a new vault cannot be made in: a file, a folder
    /// with a vault (either copy of the header), or one holding anything
    /// but what an `init` that stopped half-way leaves (a `lock`, record
    /// files, an empty `documents` folder, temporary headers). With
    /// `documents_ok`, a `documents` folder of document files is such a
    /// leftover too (an import that stopped half-way; without a header
    /// nothing points at them).
    #[cfg(feature = "native")]
    fn check_can_create(dir: &Path, documents_ok: bool) -> Result<(), VaultError> {
        if dir.exists() && !dir.is_dir() {
            return Err(VaultError::NotAFolder(dir.to_owned()));
        }
        if !dir.exists() {
            return Ok(());
        }
        // Only our own files may be there: a `lock`, `records` and a
        // header copy left by an init that stopped before writing the
        // header hold nothing yet.
        for entry in std::fs::read_dir(dir)? {
            let name = entry?.file_name();
            // Either copy of the header means a vault is here, even if the
            // other copy was lost.
            if name == HEADER_FILE || name == HEADER_COPY_FILE {
                return Err(VaultError::AlreadyExists(dir.to_owned()));
            }
            let ours = match name.to_str() {
                Some(LOCK_FILE | HEADER_TMP | HEADER_COPY_TMP) => true,
                Some(RECORDS_DIR) => only_record_files(&dir.join(RECORDS_DIR))?,
                Some(STORE_DIR) => only_sled_files(&dir.join(STORE_DIR))?,
                Some(DOCUMENTS_DIR) if documents_ok => only_record_files(&dir.join(DOCUMENTS_DIR))?,
                Some(DOCUMENTS_DIR) => is_empty_dir(&dir.join(DOCUMENTS_DIR))?,
                _ => false,
            };
            if !ours {
                return Err(VaultError::NotEmpty(dir.to_owned()));
            }
        }
        Ok(())
    }

    /// Whether `dir` holds a vault (has a header file, or its copy).
    #[cfg(feature = "native")]
    pub fn exists(dir: &Path) -> bool {
        dir.join(HEADER_FILE).is_file() || dir.join(HEADER_COPY_FILE).is_file()
    }

    /// Makes a new vault in an empty `store` and `documents` (for tests and
    /// other engines); the header is kept in the store under `H` and `h`.
    pub fn create_in(
        store: Box<dyn Store>,
        documents: Box<dyn Documents>,
        passphrase: &[u8],
        role: Role,
        kdf: KdfParams,
    ) -> Result<Self, VaultError> {
        let master = SecretKey::generate()?;
        let keys = Keys::derive(&master)?;
        let identity = Identity::generate(role)?;
        let wrapped = header::wrap(&master, passphrase, kdf)?;
        store.apply(vec![
            identity_op(&keys, KEY_IDENTITY, &identity)?,
            identity_op(&keys, KEY_IDENTITY_COPY, &identity)?,
            Op::Insert(KEY_HEADER.to_vec(), wrapped.clone()),
            Op::Insert(KEY_HEADER_COPY.to_vec(), wrapped),
        ])?;
        store.flush()?;
        Ok(Self {
            store,
            documents,
            keys,
            identity,
            header: HeaderSlot::Store,
            repairs: Vec::new(),
            write: Mutex::new(()),
            clock: DEFAULT_CLOCK,
            #[cfg(feature = "native")]
            _lock: None,
        })
    }

    /// Opens the vault in `dir` with `passphrase`. The passphrase is
    /// checked before the store is opened, so a wrong guess changes
    /// nothing on disk (except permissions that were too open, which are
    /// made private first and reported by [`Vault::repairs`]).
    ///
    /// A vault made before the folder store has its records moved from
    /// `store/` (sled) into `records/` here: copied, read back and
    /// compared, then the new folder is renamed into place and only then
    /// the old one removed, so a crash at any point leaves one whole copy.
    #[cfg(feature = "native")]
    pub fn open(dir: &Path, passphrase: &[u8]) -> Result<Self, VaultError> {
        if !Self::exists(dir) {
            return Err(VaultError::NotFound(dir.to_owned()));
        }
        let loose = crate::fsmode::make_private(dir).map_err(|e| VaultError::NotPrivate(e.path))?;
        let lock = lock(dir)?;
        let slot = HeaderSlot::File(dir.to_owned());
        let (master, header_repaired) = slot.unwrap(None, passphrase)?;
        let migrated = migrate_sled(dir, &master)?;
        let store = FolderStore::open(&dir.join(RECORDS_DIR))?;
        let documents = open_documents(dir)?;
        let mut vault = Self::open_with(Box::new(store), Box::new(documents), &master, slot)?;
        vault._lock = Some(lock);
        let mut repairs = Vec::new();
        if !loose.is_empty() {
            repairs.push(Repair::Permissions(loose));
        }
        if let Some(records) = migrated {
            repairs.push(Repair::Migrated { records });
        }
        if header_repaired {
            repairs.push(Repair::HeaderCopy);
        }
        repairs.append(&mut vault.repairs);
        vault.repairs = repairs;
        Ok(vault)
    }

    /// Opens a vault kept in `store` (header under `H` and `h`) and
    /// `documents`.
    pub fn open_in(
        store: Box<dyn Store>,
        documents: Box<dyn Documents>,
        passphrase: &[u8],
    ) -> Result<Self, VaultError> {
        let (master, header_repaired) = HeaderSlot::Store.unwrap(Some(&*store), passphrase)?;
        let mut vault = Self::open_with(store, documents, &master, HeaderSlot::Store)?;
        if header_repaired {
            vault.repairs.insert(0, Repair::HeaderCopy);
        }
        Ok(vault)
    }

    fn open_with(
        store: Box<dyn Store>,
        documents: Box<dyn Documents>,
        master: &SecretKey,
        header: HeaderSlot,
    ) -> Result<Self, VaultError> {
        let keys = Keys::derive(master)?;
        let main = store.get(KEY_IDENTITY)?;
        let copy = store.get(KEY_IDENTITY_COPY)?;
        let open = |key: &[u8], sealed: &Option<Vec<u8>>| {
            sealed.as_ref().and_then(|s| keys.open_identity(key, s))
        };
        let (identity, main_ok, copy_ok) =
            match (open(KEY_IDENTITY, &main), open(KEY_IDENTITY_COPY, &copy)) {
                (Some(id), c) => (id, true, c.is_some()),
                (None, Some(id)) => (id, false, true),
                (None, None) => return Err(VaultError::IdentityUnreadable),
            };
        let mut repairs = Vec::new();
        let mut fix = Vec::new();
        if !main_ok {
            fix.push(identity_op(&keys, KEY_IDENTITY, &identity)?);
        }
        if !copy_ok {
            fix.push(identity_op(&keys, KEY_IDENTITY_COPY, &identity)?);
        }
        // A missing copy is a vault made before there were two: no news.
        if !main_ok || (!copy_ok && copy.is_some()) {
            repairs.push(Repair::IdentityCopy);
        }
        if !fix.is_empty() {
            store.apply(fix)?;
            store.flush()?;
        }
        let vault = Self {
            store,
            documents,
            keys,
            identity,
            header,
            repairs,
            write: Mutex::new(()),
            clock: DEFAULT_CLOCK,
            #[cfg(feature = "native")]
            _lock: None,
        };
        vault.collect_garbage()?;
        Ok(vault)
    }

    /// Gives the vault its clock (seconds since 1970), for the times it
    /// records (`updated`). Native builds start with the system clock;
    /// without the `native` feature there is none, and the caller (the
    /// browser) must give one before writing.
    pub fn set_clock(&mut self, clock: fn() -> u64) {
        self.clock = clock;
    }

    /// What opening the vault found wrong and put right (damaged copies,
    /// loose permissions, a migration), for the person to be told.
    pub fn repairs(&self) -> &[Repair] {
        &self.repairs
    }

    fn read_header(&self) -> Result<Vec<u8>, VaultError> {
        let [main, copy] = self.header.read(Some(&*self.store))?;
        // Opening left both copies whole; should one be damaged since, the
        // other serves.
        [main, copy]
            .into_iter()
            .flatten()
            .find(|b| header::decode(b).is_ok())
            .ok_or(VaultError::HeaderDamaged)
    }

    /// The vault owner's identity.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// The Argon2id parameters the header uses now.
    pub fn kdf_params(&self) -> Result<KdfParams, VaultError> {
        header::decode(&self.read_header()?)
            .map(|h| h.kdf)
            .map_err(|_| VaultError::HeaderDamaged)
    }

    /// Re-wraps the master key under `new_passphrase` (fresh salt, `kdf`
    /// parameters). No record is rewritten; the old passphrase stops
    /// working the moment this returns. Both copies of the header are
    /// replaced, the copy first (a crash between leaves one copy under
    /// each passphrase; the next open rewrites the other from the one that
    /// opened).
    pub fn change_passphrase(
        &self,
        new_passphrase: &[u8],
        kdf: KdfParams,
    ) -> Result<(), VaultError> {
        let bytes = header::wrap(self.keys.master(), new_passphrase, kdf)?;
        self.header.write_both(Some(&*self.store), &bytes)
    }

    /// Saves `value` as the text of `path`, replacing what was there.
    pub fn put_text(&self, path: &FieldPath, value: &str) -> Result<(), VaultError> {
        if value.len() > MAX_TEXT_LEN {
            return Err(VaultError::TextTooLong);
        }
        let body = RecordBody {
            path: path.as_str().to_owned(),
            updated: (self.clock)(),
            value: Value::Text(value.to_owned()),
        };
        self.replace(path, Some(&body), None)
    }

    /// Saves everything `input` yields as the document `path`, replacing
    /// what was there. Memory stays at two chunks, whatever the size.
    /// `progress` is called with the bytes stored so far. Returns the
    /// document's length.
    pub fn put_document(
        &self,
        path: &FieldPath,
        input: &mut dyn Read,
        progress: &mut dyn FnMut(u64),
    ) -> Result<u64, VaultError> {
        self.put_named_document(path, None, input, progress)
    }

    /// [`Vault::put_document`], keeping the document's original file name
    /// and media type with it (sealed in its record), if given.
    pub fn put_named_document(
        &self,
        path: &FieldPath,
        name: Option<&DocName>,
        input: &mut dyn Read,
        progress: &mut dyn FnMut(u64),
    ) -> Result<u64, VaultError> {
        let doc: DocId = crypto::random_array()?;
        // The new file is garbage until the record points at it: the mark
        // is durable before the file exists, so a crash half-way leaves
        // nothing the next open does not remove.
        self.store.insert(&garbage_key(&doc), b"")?;
        self.store.flush()?;
        let file = match self.documents.create(&doc) {
            Ok(file) => file,
            Err(e) => {
                // Nothing was created, so only the mark goes. (Should the
                // name exist already, that file is not ours to remove.)
                let _ = self.store.apply(vec![Op::Remove(garbage_key(&doc))]);
                let _ = self.store.flush();
                return Err(e.into());
            }
        };
        let written = self.write_document(&doc, file, input, progress);
        let len = match written {
            Ok(len) => len,
            Err(e) => {
                // Best effort: if removing fails too, the mark stays and
                // the next open removes the file.
                let _ = self.drop_document(&doc);
                return Err(e);
            }
        };
        let body = RecordBody {
            path: path.as_str().to_owned(),
            updated: (self.clock)(),
            value: match name {
                Some(name) => Value::NamedDocument {
                    id: doc,
                    len,
                    name: name.clone(),
                },
                None => Value::Document { id: doc, len },
            },
        };
        self.replace(path, Some(&body), Some(&doc))?;
        Ok(len)
    }

    /// Seals `input` into the new document file `doc`, chunk by chunk,
    /// followed by zeros up to [`padded_len`] (so the file shows the
    /// document's size only roughly), and makes it durable. Returns the
    /// document's length, without the padding.
    fn write_document(
        &self,
        doc: &DocId,
        mut file: Box<dyn DocumentWriter + '_>,
        input: &mut dyn Read,
        progress: &mut dyn FnMut(u64),
    ) -> Result<u64, VaultError> {
        let mut sealer = StreamSealer::new(&self.keys.document_key(doc)?);
        let mut cur = Zeroizing::new(Vec::with_capacity(SEALED_CHUNK_SIZE));
        let mut next = Zeroizing::new(Vec::with_capacity(SEALED_CHUNK_SIZE));
        let mut len = 0u64;
        read_chunk(input, &mut cur)?;
        loop {
            // One chunk of look-ahead tells whether the input ends here.
            if cur.len() == CHUNK_SIZE {
                read_chunk(input, &mut next)?;
            } else {
                next.clear();
            }
            len += cur.len() as u64;
            if next.is_empty() {
                break;
            }
            sealer
                .seal_chunk(&mut cur, false)
                .expect("chunks are cut to CHUNK_SIZE above");
            file.write_all(&cur).map_err(storage)?;
            progress(len);
            std::mem::swap(&mut cur, &mut next);
        }
        // `cur` holds the input's last bytes (perhaps none). Fill it, and
        // as many chunks after it as it takes, with zeros up to the padded
        // length; the chunk that reaches it is sealed as the last.
        let padded = padded_len(len);
        let mut sealed = len - cur.len() as u64;
        loop {
            let room = (padded - sealed).min(CHUNK_SIZE as u64);
            cur.resize(room as usize, 0);
            sealed += room;
            let last = sealed == padded;
            sealer
                .seal_chunk(&mut cur, last)
                .expect("chunks are cut to CHUNK_SIZE above");
            file.write_all(&cur).map_err(storage)?;
            if last {
                break;
            }
            cur.clear();
        }
        progress(len);
        file.commit()?;
        Ok(len)
    }

    /// Atomically points `path` at `body` (or removes it, for `None`).
    /// In the same batch the old value's chunks (if any) are marked as
    /// garbage and `new_doc`'s stop being; then the old chunks are dropped.
    fn replace(
        &self,
        path: &FieldPath,
        body: Option<&RecordBody>,
        new_doc: Option<&DocId>,
    ) -> Result<(), VaultError> {
        // A poisoned lock guards nothing half-done: the store's batch is
        // atomic on its own.
        let _writer = self.write.lock().unwrap_or_else(|p| p.into_inner());
        let key = record_key(&self.keys, path);
        let old = self.old_document(path, &key)?;
        let mut ops = Vec::with_capacity(3);
        if let Some(old) = &old {
            ops.push(Op::Insert(garbage_key(old), Vec::new()));
        }
        if let Some(doc) = new_doc {
            ops.push(Op::Remove(garbage_key(doc)));
        }
        ops.push(match body {
            Some(body) => Op::Insert(key.clone(), self.keys.seal_record(&key, body)?),
            None => Op::Remove(key),
        });
        self.store.apply(ops)?;
        self.store.flush()?;
        // The new value is saved: that is what the caller asked. If the old
        // file cannot be removed now, its mark stays and the next open
        // removes it.
        if let Some(old) = old {
            let _ = self.drop_document(&old);
        }
        Ok(())
    }

    /// The document id `path` points at now, if it is a readable document.
    /// An unreadable old record is simply replaced (its chunks, if any,
    /// cannot be found without its key, and stay until the vault is wiped).
    fn old_document(&self, path: &FieldPath, key: &[u8]) -> Result<Option<DocId>, VaultError> {
        let Some(sealed) = self.store.get(key)? else {
            return Ok(None);
        };
        Ok(self
            .keys
            .open_record(key, &sealed, Some(path))
            .and_then(|b| b.value.document())
            .map(|(id, _)| id))
    }

    /// Removes every document file marked as garbage (left by a write
    /// that stopped half-way, or an old value not yet removed). Runs when
    /// the vault is opened, and never keeps it from opening: a file that
    /// cannot be removed now keeps its mark and is tried again next time.
    fn collect_garbage(&self) -> Result<(), VaultError> {
        for mark in self.store.keys_with_prefix(&[PREFIX_GARBAGE])? {
            // A mark of another length is not one this vault wrote.
            if let Ok(doc) = DocId::try_from(&mark[1..]) {
                let _ = self.drop_document(&doc);
            }
        }
        Ok(())
    }

    /// Removes a garbage document's file, then its mark.
    fn drop_document(&self, doc: &DocId) -> Result<(), VaultError> {
        self.documents.remove(doc)?;
        self.store.apply(vec![Op::Remove(garbage_key(doc))])?;
        self.store.flush()?;
        Ok(())
    }

    fn load(&self, path: &FieldPath) -> Result<RecordBody, VaultError> {
        let key = record_key(&self.keys, path);
        let sealed = self
            .store
            .get(&key)?
            .ok_or_else(|| VaultError::FieldNotFound(path.clone()))?;
        self.keys
            .open_record(&key, &sealed, Some(path))
            .ok_or_else(|| VaultError::Unreadable(path.clone()))
    }

    /// What is saved under `path`: its kind and size.
    pub fn info(&self, path: &FieldPath) -> Result<EntryInfo, VaultError> {
        self.load(path)?
            .info()
            .ok_or_else(|| VaultError::Unreadable(path.clone()))
    }

    /// The text saved under `path`; `None` if it is a document.
    pub fn get_text(&self, path: &FieldPath) -> Result<Option<Zeroizing<String>>, VaultError> {
        Ok(match &self.load(path)?.value {
            Value::Text(t) => Some(Zeroizing::new(t.clone())),
            Value::Document { .. } | Value::NamedDocument { .. } => None,
        })
    }

    /// Writes the document `path` to `out`, chunk by chunk, each chunk
    /// authenticated before it is written. The caller must discard what was
    /// written if this fails (a truncated document fails only at the end).
    /// A text field is written as its UTF-8 bytes.
    pub fn read_document(
        &self,
        path: &FieldPath,
        out: &mut dyn Write,
        progress: &mut dyn FnMut(u64),
    ) -> Result<u64, VaultError> {
        let body = self.load(path)?;
        let (doc, len) = match &body.value {
            Value::Text(t) => {
                out.write_all(t.as_bytes())?;
                return Ok(t.len() as u64);
            }
            Value::Document { id, len } | Value::NamedDocument { id, len, .. } => (*id, *len),
        };
        let unreadable = || VaultError::Unreadable(path.clone());
        let mut file = self.documents.open(&doc)?.ok_or_else(unreadable)?;
        let key = self.keys.document_key(&doc)?;
        read_sealed(&key, len, &mut file, out, progress).map_err(|e| sealed_error(path, e))
    }

    /// A reader that gives the document `path` one chunk per call, with
    /// the checks of [`Vault::read_document`] (a text field: its UTF-8
    /// bytes, in one piece). Nothing is read until
    /// [`DocumentReader::next_chunk`].
    pub fn document_reader(&self, path: &FieldPath) -> Result<DocumentReader, VaultError> {
        let body = self.load(path)?;
        let (len, source) = match &body.value {
            Value::Text(t) => (
                t.len() as u64,
                ReaderSource::Text(Some(Zeroizing::new(t.as_bytes().to_vec()))),
            ),
            Value::Document { id, len } | Value::NamedDocument { id, len, .. } => (
                *len,
                ReaderSource::Sealed {
                    doc: *id,
                    chunks: Box::new(SealedChunks::new(&self.keys.document_key(id)?, *len)),
                },
            ),
        };
        Ok(DocumentReader {
            path: path.clone(),
            len,
            source,
            buf: Zeroizing::new(Vec::with_capacity(SEALED_CHUNK_SIZE)),
        })
    }

    /// Every field, sorted by path, and how many records could not be read.
    pub fn list(&self) -> Result<(Vec<EntryInfo>, usize), VaultError> {
        let mut entries = Vec::new();
        let mut unreadable = 0;
        for (key, sealed) in self.store.scan_prefix(&[PREFIX_RECORD])? {
            match self
                .keys
                .open_record(&key, &sealed, None)
                .and_then(|b| b.info())
            {
                Some(info) => entries.push(info),
                None => unreadable += 1,
            }
        }
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        Ok((entries, unreadable))
    }

    /// Reads every record and every document chunk, and says which are
    /// damaged. Changes nothing.
    pub fn check(&self) -> Result<CheckReport, VaultError> {
        let mut report = CheckReport::default();
        for (key, sealed) in self.store.scan_prefix(&[PREFIX_RECORD])? {
            let Some(info) = self
                .keys
                .open_record(&key, &sealed, None)
                .and_then(|b| b.info())
            else {
                report.damaged_records += 1;
                continue;
            };
            if info.kind == Kind::Document {
                match self.read_document(&info.path, &mut io::sink(), &mut |_| {}) {
                    Ok(_) => {}
                    Err(VaultError::Unreadable(p)) => {
                        report.damaged_documents.push(p);
                        continue;
                    }
                    Err(e) => return Err(e),
                }
            }
            report.readable.push(info);
        }
        for namespace in NAMESPACES {
            report.damaged_other += self.private_records(namespace)?.1;
        }
        report.readable.sort_by(|a, b| a.path.cmp(&b.path));
        report.damaged_documents.sort();
        Ok(report)
    }

    /// Removes every field that cannot be read: records that do not open,
    /// and fields whose document is damaged (with its file). Grant and
    /// relay records are left as they are. Returns how many fields were
    /// removed.
    pub fn remove_damaged(&self) -> Result<usize, VaultError> {
        let damaged: Vec<Op> = {
            let _writer = self.write.lock().unwrap_or_else(|p| p.into_inner());
            self.store
                .scan_prefix(&[PREFIX_RECORD])?
                .into_iter()
                .filter(|(key, sealed)| self.keys.open_record(key, sealed, None).is_none())
                .map(|(key, _)| Op::Remove(key))
                .collect()
        };
        let mut removed = damaged.len();
        if !damaged.is_empty() {
            self.store.apply(damaged)?;
            self.store.flush()?;
        }
        for path in self.check()?.damaged_documents {
            self.remove(&path)?;
            removed += 1;
        }
        Ok(removed)
    }

    /// Removes `path` and, for a document, all its chunks.
    pub fn remove(&self, path: &FieldPath) -> Result<(), VaultError> {
        let key = record_key(&self.keys, path);
        if self.store.get(&key)?.is_none() {
            return Err(VaultError::FieldNotFound(path.clone()));
        }
        self.replace(path, None, None)
    }

    /// The pairwise identity for `context`: a survivor key that only this
    /// vault can derive, different for every context, and unlinkable to
    /// the main identity without the master key.
    pub fn pairwise_identity(&self, context: &[u8]) -> Result<Identity, VaultError> {
        let seed = self.keys.pairwise_seed(context)?;
        Ok(Identity::from_seed(Role::Survivor, seed.expose()))
    }

    /// Saves a small sealed record of the caller's own kind: `namespace`
    /// is one of the `NS_*` constants, `id` names the record within it.
    pub fn put_private(
        &self,
        namespace: u8,
        id: &[u8],
        plaintext: &[u8],
    ) -> Result<(), VaultError> {
        let key = private_key(&self.keys, namespace, id);
        let sealed = self.keys.seal(&key, plaintext)?;
        self.store.insert(&key, &sealed)?;
        self.store.flush()?;
        Ok(())
    }

    /// Reads one sealed record; `Ok(None)` if absent, an error if it does
    /// not open.
    pub fn get_private(&self, namespace: u8, id: &[u8]) -> Result<Option<Plaintext>, VaultError> {
        let key = private_key(&self.keys, namespace, id);
        match self.store.get(&key)? {
            None => Ok(None),
            Some(sealed) => self
                .keys
                .open(&key, &sealed)
                .map(Some)
                .ok_or(VaultError::RecordUnreadable),
        }
    }

    /// Removes one sealed record (no error if absent).
    pub fn remove_private(&self, namespace: u8, id: &[u8]) -> Result<(), VaultError> {
        self.store
            .apply(vec![Op::Remove(private_key(&self.keys, namespace, id))])?;
        self.store.flush()?;
        Ok(())
    }

    /// Every sealed record in `namespace` that opens, and how many did not.
    pub fn private_records(&self, namespace: u8) -> Result<(Vec<Plaintext>, usize), VaultError> {
        let mut ok = Vec::new();
        let mut bad = 0;
        for (key, sealed) in self.store.scan_prefix(&[namespace])? {
            match self.keys.open(&key, &sealed) {
                Some(plain) => ok.push(plain),
                None => bad += 1,
            }
        }
        Ok((ok, bad))
    }

    /// The underlying store, for tamper tests.
    #[doc(hidden)]
    pub fn store(&self) -> &dyn Store {
        &*self.store
    }
}

/// Whether `dir` is a folder with nothing in it.
#[cfg(feature = "native")]
fn is_empty_dir(dir: &Path) -> io::Result<bool> {
    Ok(dir.is_dir() && std::fs::read_dir(dir)?.next().is_none())
}

/// Whether `dir` is a folder holding only what a [`FolderStore`] writes
/// (hex names, `journal`, `*.tmp`): the leftovers of an `init` that
/// stopped half-way.
#[cfg(feature = "native")]
fn only_record_files(dir: &Path) -> io::Result<bool> {
    if !dir.is_dir() {
        return Ok(false);
    }
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name();
        let ours = name.to_str().is_some_and(|n| {
            let n = n.strip_suffix(".tmp").unwrap_or(n);
            n == crate::store::folder::JOURNAL_FILE
                || (!n.is_empty() && n.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        });
        if !ours {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Moves the records of a vault made before the folder store from its sled
/// database (`store/`) into `records/`. Returns how many were moved, or
/// `None` if there was nothing to move.
///
/// Safe at every step: the records are copied into `records.new/`, read
/// back and compared, and that folder is renamed to `records` before
/// `store/` is removed. A crash before the rename leaves `store/` whole (the
/// next open starts again); after it, `records/` is whole and the next open
/// only removes `store/`.
///
/// sled may answer a damaged database with fewer records instead of an
/// error (measured: one flipped bit in its first bytes gave an empty
/// store), so the identity must be among what it gave and must open under
/// this vault's key, or nothing is moved or removed.
#[cfg(feature = "native")]
fn migrate_sled(dir: &Path, master: &SecretKey) -> Result<Option<usize>, VaultError> {
    let old = dir.join(STORE_DIR);
    let records = dir.join(RECORDS_DIR);
    if !old.is_dir() {
        return Ok(None);
    }
    if records.is_dir() {
        std::fs::remove_dir_all(&old)?;
        sync_dir(dir)?;
        return Ok(None);
    }
    let new = dir.join(RECORDS_NEW_DIR);
    if new.exists() {
        std::fs::remove_dir_all(&new)?;
    }
    let entries = read_sled(&old)?;
    let keys = Keys::derive(master)?;
    let identity_opens = entries
        .iter()
        .any(|(k, v)| k.as_slice() == KEY_IDENTITY && keys.open_identity(k, v).is_some());
    if !identity_opens {
        return Err(VaultError::OldStoreUnreadable);
    }
    let store = FolderStore::open(&new)?;
    let count = entries.len();
    if !entries.is_empty() {
        store.apply(
            entries
                .iter()
                .map(|(k, v)| Op::Insert(k.clone(), v.clone()))
                .collect(),
        )?;
    }
    for (k, v) in &entries {
        if store.get(k)?.as_ref() != Some(v) {
            return Err(VaultError::Store(StoreError::Io(
                "a migrated record did not read back the same".into(),
            )));
        }
    }
    drop(store);
    std::fs::rename(&new, &records)?;
    sync_dir(dir)?;
    std::fs::remove_dir_all(&old)?;
    sync_dir(dir)?;
    Ok(Some(count))
}

/// Every entry of an older vault's sled store, read from a copy of it
/// (see [`STORE_READ_DIR`]). sled cannot read past a damaged byte, and is
/// beta: any failure, even a panic inside it, is reported as
/// [`VaultError::OldStoreUnreadable`], never passed on.
#[cfg(feature = "native")]
fn read_sled(old: &Path) -> Result<Vec<crate::store::Entry>, VaultError> {
    let parent = old.parent().unwrap_or(old);
    let copy = parent.join(STORE_READ_DIR);
    if copy.exists() {
        std::fs::remove_dir_all(&copy)?;
    }
    copy_dir(old, &copy)?;
    let read = std::panic::catch_unwind(|| {
        let sled = SledStore::open(&copy)?;
        let entries = sled.scan_prefix(b"")?;
        Ok::<_, StoreError>(entries)
    });
    std::fs::remove_dir_all(&copy)?;
    match read {
        // An in-memory vault's header key is never on disk; skip it if a
        // development build put it there.
        Ok(Ok(entries)) => Ok(entries
            .into_iter()
            .filter(|(k, _)| k.as_slice() != KEY_HEADER)
            .collect()),
        _ => Err(VaultError::OldStoreUnreadable),
    }
}

/// Copies the folder `from` to the new folder `to` (owner only), files and
/// sub-folders.
#[cfg(feature = "native")]
fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    create_private_dir(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(feature = "native")]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Whether `dir` is a folder holding only what sled writes (`conf`, `db`,
/// `blobs`, `snap.*`): the leftovers of an `init` that stopped half-way,
/// not someone's own folder that happens to be called `store`.
#[cfg(feature = "native")]
fn only_sled_files(dir: &Path) -> io::Result<bool> {
    if !dir.is_dir() {
        return Ok(false);
    }
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name();
        let sled = match name.to_str() {
            Some("conf" | "db" | "blobs") => true,
            Some(n) => n.starts_with("snap."),
            None => false,
        };
        if !sled {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Creates `dir` (and parents) readable by the owner only.
#[cfg(feature = "native")]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    // An existing folder keeps its old permissions unless told otherwise.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
