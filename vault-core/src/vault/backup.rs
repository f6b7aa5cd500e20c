//! One encrypted file that holds a whole vault, to keep it somewhere else
//! or move it to another device (`vault export` / `vault import`, and the
//! app's Settings). Every byte is specified in `docs/spec/backup-format.md`.
//!
//! ```text
//! header: "SVBK" ‖ 0x01 ‖ salt [32] ‖ be64(body_len) ‖ be16(n) ‖ vault header [n]
//! body:   STREAM chunks of body_len bytes of plaintext, under
//!         HKDF-SHA256(master key, salt, "survivor-vault/v1/backup-key"),
//!         every chunk's associated data "survivor-vault/v1/backup\0" ‖ header
//! ```
//!
//! The vault header inside is the vault's own (the master key wrapped
//! under the passphrase, with its Argon2id parameters), byte for byte, so
//! the passphrase that opened the vault when the backup was made opens the
//! backup, and the imported vault is the same vault: same master key, same
//! identity, every record and document the same bytes. The body carries
//! the store's sealed records as they are and each document's sealed
//! chunks as they are, so nothing is decrypted to be backed up except to
//! check it, and nothing about the vault's contents is readable from the
//! file: the body is padded (Padmé) as a whole, so even the number of
//! fields and the sizes of documents show only as one rough total.
//!
//! Both directions stream: memory holds the (small) records and one chunk
//! of a document, whatever the documents' sizes. An import checks
//! everything (every chunk authenticated, every record and document of the
//! vault opens, nothing missing, nothing extra) before it commits the
//! records in one atomic batch; documents written on the way are removed
//! if anything fails, so a failed import leaves nothing behind.
//!
//! The vault also remembers, in a sealed record of its own (`B`), when its
//! last backup was saved and a digest of what it then held, so that the app
//! can say calmly when something changed since ([`changed_since_backup`]).

use std::collections::BTreeMap;
use std::io::{self, Read, Write};

use zeroize::Zeroizing;

use super::header;
use super::record::{DocId, Keys, Value};
use super::{
    private_key, read_sealed, HeaderSlot, SealedReadError, Vault, VaultError, KEY_HEADER,
    KEY_HEADER_COPY, KEY_IDENTITY, KEY_IDENTITY_COPY, NS_BACKUP, NS_RELAY, PREFIX_GARBAGE,
    PREFIX_RECORD,
};
use crate::crypto::stream::{self, StreamOpener, StreamSealer, CHUNK_SIZE, SEALED_CHUNK_SIZE};
use crate::crypto::{self, CryptoError, SecretKey, TAG_LEN};
use crate::format;
use crate::id::Role;
use crate::share::{padded_len, sealed_len};
use crate::store::{Documents, Op, Store, StoreError};

/// Magic at the start of a backup file.
pub const MAGIC: &[u8; 4] = b"SVBK";
/// The backup format version this build writes and reads.
pub const VERSION: u8 = 1;
/// Length of the random salt that makes every backup's key its own.
pub const SALT_LEN: usize = 32;
/// Bytes of the header before the vault header.
pub const FIXED_HEADER_LEN: usize = 4 + 1 + SALT_LEN + 8 + 2;
/// The longest vault header a backup may carry (a real one is under 100).
pub const MAX_VAULT_HEADER_LEN: usize = 1024;
/// The longest store key a backup may carry (real ones are 1 or 33).
pub const MAX_KEY_LEN: usize = 64;
/// The longest store value a backup may carry (a text field is at most
/// 32 KiB; a sealed record adds 29 bytes and its name and path).
pub const MAX_VALUE_LEN: usize = 1024 * 1024;
/// The most bytes of records (keys and values) one backup may carry: they
/// are held in memory until the import commits.
pub const MAX_RECORD_BYTES: u64 = 64 * 1024 * 1024;
/// The largest body accepted (1 TiB), so a changed length cannot ask for
/// an absurd number of chunks.
pub const MAX_BODY_LEN: u64 = 1 << 40;

/// HKDF info of the body key.
pub const LABEL_BACKUP_KEY: &[u8] = b"survivor-vault/v1/backup-key";
/// Start of every chunk's associated data (then the header's bytes).
pub const LABEL_BACKUP_AAD: &[u8] = b"survivor-vault/v1/backup\0";
/// Start of the digest of what a vault holds ([`changed_since_backup`]).
const LABEL_STATE: &[u8] = b"survivor-vault/v1/backup-state\0";
/// The id of the one record in [`NS_BACKUP`].
const LAST_BACKUP_ID: &[u8] = b"last";

/// Item tags of the body.
const TAG_END: u8 = 0x00;
const TAG_ENTRY: u8 = 0x01;
const TAG_DOCUMENT: u8 = 0x02;
/// Bytes of the end item: tag, be64(made), be32(entries), be32(documents).
const END_LEN: u64 = 1 + 8 + 4 + 4;

/// Why a backup was not made or not imported. Every message says what to
/// do next; none says which cryptographic check failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    /// The file does not start like a backup.
    #[error("{}", crate::msg!("backup-not-a-backup"))]
    NotABackup,
    /// A backup made by a newer version (or holding a newer vault header).
    #[error("{}", crate::msg!("backup-newer"))]
    Newer,
    /// The passphrase did not open the backup's vault header.
    #[error("{}", crate::msg!("backup-wrong-passphrase"))]
    WrongPassphrase,
    /// The file ends before the backup does: cut short while copying.
    #[error("{}", crate::msg!("backup-truncated"))]
    Truncated,
    /// A chunk failed authentication, or what it holds breaks a rule.
    #[error("{}", crate::msg!("backup-damaged"))]
    Damaged,
    /// The store to import into is not empty.
    #[error("{}", crate::msg!("backup-not-empty"))]
    NotEmpty,
    /// [`import_into_folder`] only: the backup holds the keys of another
    /// role than the one asked for.
    #[error("{}", crate::msg!("backup-other-role", found = .0.noun()))]
    OtherRole(Role),
    /// Export only: a field of the vault cannot be read, so the backup
    /// would not give the vault back.
    #[error("{}", crate::msg!("backup-vault-damaged"))]
    VaultDamaged,
    /// Reading the backup failed (other than its ending early).
    #[error("{}", crate::msg!("backup-read-failed"))]
    Read(#[source] io::Error),
    /// Writing the backup failed.
    #[error("{}", crate::msg!("backup-write-failed"))]
    Write(#[source] io::Error),
    /// The vault's storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The system random generator failed.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// Opening, making or writing the vault failed (a folder that holds a
    /// vault already, a lock, a disk error).
    #[error(transparent)]
    Vault(#[from] VaultError),
}

impl BackupError {
    /// A stable code for programs (the CLI's JSON `error`, the app's
    /// problem kind, the test vectors' `expect`).
    pub fn kind(&self) -> &'static str {
        match self {
            BackupError::NotABackup => "not_a_backup",
            BackupError::Newer => "newer_backup",
            BackupError::WrongPassphrase => "wrong_passphrase",
            BackupError::Truncated => "truncated",
            BackupError::Damaged => "damaged",
            BackupError::NotEmpty => "not_empty",
            BackupError::OtherRole(_) => "wrong_kind",
            BackupError::VaultDamaged => "vault_damaged",
            BackupError::Read(_) => "read_failed",
            BackupError::Write(_) => "write_failed",
            BackupError::Store(_) => "storage",
            BackupError::Crypto(_) => "random",
            BackupError::Vault(_) => "vault",
        }
    }
}

/// What a backup holds, for "Saved N pieces of information and M
/// documents". Shares, contacts, helpers and what the vault knows of the
/// relay travel with them and are not counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Text fields.
    pub records: u64,
    /// Documents.
    pub documents: u64,
    /// Bytes of the backup file.
    pub bytes: u64,
    /// When it was made (the vault's clock), for [`mark_saved`].
    made: u64,
    /// What the vault held, for [`changed_since_backup`].
    state: [u8; 32],
}

/// The file name to suggest for a backup made at `now` (seconds since
/// 1970, UTC): `folio-YYYY-MM-DD.backup`, neutral like the app's name.
pub fn suggested_file_name(now: u64) -> String {
    let day = crate::time::short(now);
    let date = day.split(' ').next().unwrap_or("backup");
    format!("folio-{date}.backup")
}

// ---------------------------------------------------------------------
// The header.

/// A backup's header, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The salt of the body key, random per backup.
    pub salt: [u8; SALT_LEN],
    /// Bytes of plaintext in the body, padding included.
    pub body_len: u64,
    /// The vault header (vault-format §7), as the vault kept it.
    pub vault_header: Vec<u8>,
}

impl Header {
    /// The header's bytes (also the body's associated data, after the
    /// label).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(FIXED_HEADER_LEN + self.vault_header.len());
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.extend_from_slice(&self.salt);
        out.extend_from_slice(&self.body_len.to_be_bytes());
        let n = u16::try_from(self.vault_header.len()).expect("a vault header is short");
        out.extend_from_slice(&n.to_be_bytes());
        out.extend_from_slice(&self.vault_header);
        out
    }

    /// Reads a header from the start of `input`, checking rules H1–H5 of
    /// the spec in order. Returns the header and its bytes.
    pub fn read(input: &mut dyn Read) -> Result<(Self, Vec<u8>), BackupError> {
        // H1: the magic. An empty file, or one that starts otherwise, is
        // not a backup; the start of the magic alone is one cut short.
        let mut magic = [0u8; 4];
        let got = read_up_to(input, &mut magic)?;
        if magic[..got] != MAGIC[..got] || got == 0 {
            return Err(BackupError::NotABackup);
        }
        if got < magic.len() {
            return Err(BackupError::Truncated);
        }
        let mut fixed = [0u8; FIXED_HEADER_LEN - 4];
        read_all(input, &mut fixed)?;
        // H2: the version.
        match fixed[0] {
            VERSION => {}
            v if v > VERSION => return Err(BackupError::Newer),
            _ => return Err(BackupError::Damaged),
        }
        let salt: [u8; SALT_LEN] = fixed[1..1 + SALT_LEN]
            .try_into()
            .expect("the salt is SALT_LEN bytes");
        let body_len = u64::from_be_bytes(
            fixed[1 + SALT_LEN..9 + SALT_LEN]
                .try_into()
                .expect("eight bytes"),
        );
        let n = u16::from_be_bytes(
            fixed[9 + SALT_LEN..11 + SALT_LEN]
                .try_into()
                .expect("two bytes"),
        ) as usize;
        // H3: the body's length is a padded length, within bounds. H4:
        // the vault header's length is within bounds.
        if body_len > MAX_BODY_LEN
            || padded_len(body_len) != body_len
            || n == 0
            || n > MAX_VAULT_HEADER_LEN
        {
            return Err(BackupError::Damaged);
        }
        let mut vault_header = vec![0u8; n];
        read_all(input, &mut vault_header)?;
        let header = Header {
            salt,
            body_len,
            vault_header,
        };
        let bytes = header.encode();
        Ok((header, bytes))
    }

    /// H5: unwraps the master key from the vault header with `passphrase`.
    pub fn unwrap(&self, passphrase: &[u8]) -> Result<SecretKey, BackupError> {
        header::unwrap(&self.vault_header, passphrase)
            .map(|(master, _)| master)
            .map_err(|e| match e {
                header::UnwrapError::WrongPassphrase => BackupError::WrongPassphrase,
                header::UnwrapError::Newer => BackupError::Newer,
                header::UnwrapError::Damaged(_) => BackupError::Damaged,
            })
    }
}

/// The body key: HKDF-SHA256(ikm = master key, salt, info = label).
pub fn body_key(master: &SecretKey, salt: &[u8; SALT_LEN]) -> Result<SecretKey, CryptoError> {
    master.derive(salt, &[LABEL_BACKUP_KEY])
}

fn body_aad(header: &[u8]) -> Vec<u8> {
    let mut aad = LABEL_BACKUP_AAD.to_vec();
    aad.extend_from_slice(header);
    aad
}

/// Reads into `buf` until it is full or the input ends; returns how many
/// bytes were read.
fn read_up_to(input: &mut dyn Read, buf: &mut [u8]) -> Result<usize, BackupError> {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(BackupError::Read(e)),
        }
    }
    Ok(got)
}

/// Fills `buf` from the file; ending early is [`BackupError::Truncated`].
fn read_all(input: &mut dyn Read, buf: &mut [u8]) -> Result<(), BackupError> {
    if read_up_to(input, buf)? < buf.len() {
        return Err(BackupError::Truncated);
    }
    Ok(())
}

// ---------------------------------------------------------------------
// The body: STREAM chunks of a known total length.

/// Seals a body of exactly `body_len` bytes of plaintext as it is written,
/// and writes the sealed chunks to `out` as they are made. Memory is one
/// chunk.
pub struct BodyWriter<'a> {
    sealer: StreamSealer,
    out: &'a mut dyn Write,
    buf: Zeroizing<Vec<u8>>,
    body_len: u64,
    written: u64,
    sealed: u64,
}

impl std::fmt::Debug for BodyWriter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BodyWriter")
            .field("written", &self.written)
            .field("body_len", &self.body_len)
            .finish_non_exhaustive()
    }
}

impl<'a> BodyWriter<'a> {
    /// A writer of the body that follows `header` (whose bytes are
    /// `header_bytes`), sealed under `key` ([`body_key`]).
    pub fn new(
        key: &SecretKey,
        header: &Header,
        header_bytes: &[u8],
        out: &'a mut dyn Write,
    ) -> Self {
        Self {
            sealer: StreamSealer::with_aad(key, &body_aad(header_bytes)),
            out,
            buf: Zeroizing::new(Vec::with_capacity(SEALED_CHUNK_SIZE)),
            body_len: header.body_len,
            written: 0,
            sealed: 0,
        }
    }

    fn seal_buffered(&mut self) -> io::Result<()> {
        let last = self.written == self.body_len;
        self.sealer
            .seal_chunk(&mut self.buf, last)
            .map_err(|_| io::Error::other("backup chunking went wrong"))?;
        self.out.write_all(&self.buf)?;
        self.sealed += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    /// Pads with zeros to the body's length (sealing the last chunk as
    /// last) and returns the sealed bytes written.
    pub fn finish(mut self) -> io::Result<u64> {
        let zeros = [0u8; 4096];
        while self.written < self.body_len {
            let n = (self.body_len - self.written).min(zeros.len() as u64) as usize;
            self.write_all(&zeros[..n])?;
        }
        self.out.flush()?;
        Ok(self.sealed)
    }
}

impl Write for BodyWriter<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if data.is_empty() {
            return Ok(0);
        }
        if self.written + data.len() as u64 > self.body_len {
            return Err(io::Error::other(
                "more backup data than its header announced",
            ));
        }
        let n = data.len().min(CHUNK_SIZE - self.buf.len());
        self.buf.extend_from_slice(&data[..n]);
        self.written += n as u64;
        if self.buf.len() == CHUNK_SIZE || self.written == self.body_len {
            self.seal_buffered()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Opens a body of `body_len` bytes of plaintext chunk by chunk, in order,
/// as it is read. A failure is kept ([`BodyReader::failure`]) so the caller
/// can say which it was; reading on gives an error.
struct BodyReader<'a> {
    opener: StreamOpener,
    input: &'a mut dyn Read,
    chunks: u64,
    plain: Zeroizing<Vec<u8>>,
    pos: usize,
    body_len: u64,
    consumed: u64,
    failure: Option<BackupError>,
}

impl<'a> BodyReader<'a> {
    fn new(key: &SecretKey, header: &Header, header_bytes: &[u8], input: &'a mut dyn Read) -> Self {
        Self {
            opener: StreamOpener::with_aad(key, &body_aad(header_bytes)),
            input,
            chunks: stream::chunk_count(header.body_len),
            plain: Zeroizing::new(Vec::with_capacity(SEALED_CHUNK_SIZE)),
            pos: 0,
            body_len: header.body_len,
            consumed: 0,
            failure: None,
        }
    }

    /// Reads and opens the next chunk (rules B1–B3 of the spec).
    fn next_chunk(&mut self) -> Result<(), BackupError> {
        let index = self.opener.chunks();
        if index == self.chunks {
            return Err(BackupError::Damaged);
        }
        let last = index + 1 == self.chunks;
        let plain_len = if last {
            self.body_len - index * CHUNK_SIZE as u64
        } else {
            CHUNK_SIZE as u64
        };
        self.plain.clear();
        self.plain.resize(plain_len as usize + TAG_LEN, 0);
        read_all(self.input, &mut self.plain)?;
        self.opener
            .open_chunk(&mut self.plain, last)
            .map_err(|_| BackupError::Damaged)?;
        self.pos = 0;
        if last {
            // B3: nothing follows the last chunk.
            let mut extra = [0u8; 1];
            if read_up_to(self.input, &mut extra)? != 0 {
                return Err(BackupError::Damaged);
            }
        }
        Ok(())
    }

    /// Plaintext bytes of the body not yet read.
    fn remaining(&self) -> u64 {
        self.body_len - self.consumed
    }

    /// The failure that stopped reading, if any (taken once).
    fn failure(&mut self) -> Option<BackupError> {
        self.failure.take()
    }

    /// B5: everything after the end item is zeros, to the body's end.
    fn finish(&mut self) -> Result<(), BackupError> {
        let mut buf = [0u8; 4096];
        while self.remaining() > 0 {
            let n = self.remaining().min(buf.len() as u64) as usize;
            self.read_exact(&mut buf[..n])
                .map_err(|_| self.failure().unwrap_or(BackupError::Damaged))?;
            if buf[..n].iter().any(|&b| b != 0) {
                return Err(BackupError::Damaged);
            }
        }
        if self.opener.finish().is_err() {
            return Err(BackupError::Damaged);
        }
        Ok(())
    }
}

impl Read for BodyReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.failure.is_some() {
            return Err(io::Error::other("the backup did not read"));
        }
        if out.is_empty() || self.remaining() == 0 {
            return Ok(0);
        }
        if self.pos == self.plain.len() {
            if let Err(e) = self.next_chunk() {
                self.failure = Some(e);
                return Err(io::Error::other("the backup did not read"));
            }
        }
        let n = out.len().min(self.plain.len() - self.pos);
        out[..n].copy_from_slice(&self.plain[self.pos..self.pos + n]);
        self.pos += n;
        self.consumed += n as u64;
        Ok(n)
    }
}

/// Reads exactly `buf.len()` bytes of body, with the reader's own failure
/// if it had one, else [`BackupError::Damaged`] (the content claims more
/// than the body holds).
fn body_exact(body: &mut BodyReader<'_>, buf: &mut [u8]) -> Result<(), BackupError> {
    body.read_exact(buf)
        .map_err(|_| body.failure().unwrap_or(BackupError::Damaged))
}

fn body_u8(body: &mut BodyReader<'_>) -> Result<u8, BackupError> {
    let mut b = [0u8; 1];
    body_exact(body, &mut b)?;
    Ok(b[0])
}

fn body_u16(body: &mut BodyReader<'_>) -> Result<u16, BackupError> {
    let mut b = [0u8; 2];
    body_exact(body, &mut b)?;
    Ok(u16::from_be_bytes(b))
}

fn body_u32(body: &mut BodyReader<'_>) -> Result<u32, BackupError> {
    let mut b = [0u8; 4];
    body_exact(body, &mut b)?;
    Ok(u32::from_be_bytes(b))
}

fn body_u64(body: &mut BodyReader<'_>) -> Result<u64, BackupError> {
    let mut b = [0u8; 8];
    body_exact(body, &mut b)?;
    Ok(u64::from_be_bytes(b))
}

// ---------------------------------------------------------------------
// The body's items.

/// Bytes of one entry item.
fn entry_len(key: &[u8], value: &[u8]) -> u64 {
    1 + 2 + key.len() as u64 + 4 + value.len() as u64
}

/// Bytes of one document item for a document of `len` bytes.
fn document_item_len(len: u64) -> u64 {
    1 + 16 + 8 + document_sealed_len(len)
}

/// Bytes of a document's sealed stream (vault-format §10): its padded
/// length and one tag per chunk.
fn document_sealed_len(len: u64) -> u64 {
    sealed_len(padded_len(len))
}

/// Whether the store entry `key` is carried by a backup: everything but
/// the header (which travels in the backup's own header), garbage marks,
/// and the record of the last backup.
fn carried(key: &[u8]) -> bool {
    !(key == KEY_HEADER
        || key == KEY_HEADER_COPY
        || key.first() == Some(&PREFIX_GARBAGE)
        || key.first() == Some(&NS_BACKUP))
}

/// Whether the store entry `key` counts as a change for
/// [`changed_since_backup`]: what a person keeps (fields, shares,
/// contacts, helpers), not the identity (never changes), nor what the
/// vault notes for itself (what it knows of the relay's log, which every
/// look at the history updates).
fn counted(key: &[u8]) -> bool {
    carried(key)
        && key != KEY_IDENTITY
        && key != KEY_IDENTITY_COPY
        && key.first() != Some(&NS_RELAY)
}

/// SHA-256 of what the vault holds: its header and every counted entry, in
/// key order. Sealed values get fresh nonces on every write, so any save
/// changes it, and so does any removal.
fn state_digest<'e>(
    header: &[u8],
    entries: impl Iterator<Item = (&'e [u8], &'e [u8])>,
) -> [u8; 32] {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    ctx.update(LABEL_STATE);
    ctx.update(&(header.len() as u64).to_be_bytes());
    ctx.update(header);
    for (k, v) in entries.filter(|(k, _)| counted(k)) {
        ctx.update(&(k.len() as u64).to_be_bytes());
        ctx.update(k);
        ctx.update(&(v.len() as u64).to_be_bytes());
        ctx.update(v);
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

/// The plaintext of the `B` record: when, and what the vault then held.
type Mark = (u64, [u8; 32]);

/// A reader that hands every byte it reads to `copy` as well.
struct Tee<'r, 'w> {
    inner: &'r mut dyn Read,
    copy: &'w mut dyn Write,
    write_error: Option<io::Error>,
}

impl Read for Tee<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Err(e) = self.copy.write_all(&buf[..n]) {
            let kind = e.kind();
            self.write_error = Some(e);
            return Err(io::Error::new(kind, "the copy could not be written"));
        }
        Ok(n)
    }
}

// ---------------------------------------------------------------------
// Export.

/// Writes a backup of `vault` to `out`: every record and document, so that
/// [`import`] gives back the same vault. Memory holds the records and one
/// chunk, whatever the documents' sizes. Every field and document is read
/// and authenticated on the way, so a backup is never made of a vault
/// that would not come back whole ([`BackupError::VaultDamaged`]).
///
/// The caller keeps `out` only if this succeeds, and then calls
/// [`mark_saved`] once the file is safely stored.
pub fn export(vault: &Vault, out: &mut dyn Write) -> Result<Summary, BackupError> {
    let keys = &vault.keys;
    let vault_header = vault.read_header()?;
    if vault_header.len() > MAX_VAULT_HEADER_LEN {
        return Err(BackupError::VaultDamaged);
    }
    let entries: Vec<(Vec<u8>, Vec<u8>)> = vault
        .store
        .scan_prefix(b"")?
        .into_iter()
        .filter(|(k, _)| carried(k))
        .collect();
    // Every field must open; its document, if any, is carried after the
    // records, in id order.
    let mut records = 0u64;
    let mut documents: BTreeMap<DocId, u64> = BTreeMap::new();
    let mut content = END_LEN;
    for (key, value) in &entries {
        if key.is_empty() || key.len() > MAX_KEY_LEN || value.len() > MAX_VALUE_LEN {
            return Err(BackupError::VaultDamaged);
        }
        content += entry_len(key, value);
        if key.first() != Some(&PREFIX_RECORD) {
            continue;
        }
        let body = keys
            .open_record(key, value, None)
            .ok_or(BackupError::VaultDamaged)?;
        match body.value.document() {
            Some((id, len)) => {
                if documents.insert(id, len).is_some() {
                    return Err(BackupError::VaultDamaged);
                }
                content += document_item_len(len);
            }
            None => records += 1,
        }
    }
    let header = Header {
        salt: crypto::random_array()?,
        body_len: padded_len(content),
        vault_header,
    };
    let header_bytes = header.encode();
    let key = body_key(keys.master(), &header.salt)?;
    out.write_all(&header_bytes).map_err(BackupError::Write)?;
    let mut body = BodyWriter::new(&key, &header, &header_bytes, out);
    let w = |r: io::Result<()>| r.map_err(BackupError::Write);
    for (k, v) in &entries {
        w(body.write_all(&[TAG_ENTRY]))?;
        w(body.write_all(&(k.len() as u16).to_be_bytes()))?;
        w(body.write_all(k))?;
        w(body.write_all(&(v.len() as u32).to_be_bytes()))?;
        w(body.write_all(v))?;
    }
    for (id, len) in &documents {
        w(body.write_all(&[TAG_DOCUMENT]))?;
        w(body.write_all(id))?;
        w(body.write_all(&document_sealed_len(*len).to_be_bytes()))?;
        let mut file = vault.documents.open(id)?.ok_or(BackupError::VaultDamaged)?;
        // The sealed bytes go into the backup as they are, and through the
        // document's own opener, so a damaged document is found now.
        let mut tee = Tee {
            inner: &mut file,
            copy: &mut body,
            write_error: None,
        };
        let read = read_sealed(
            &keys.document_key(id)?,
            *len,
            &mut tee,
            &mut io::sink(),
            &mut |_| {},
        );
        if let Some(e) = tee.write_error {
            return Err(BackupError::Write(e));
        }
        match read {
            Ok(_) => {}
            Err(SealedReadError::Unreadable) => return Err(BackupError::VaultDamaged),
            Err(SealedReadError::Read(e)) => {
                return Err(StoreError::Io(e.to_string()).into());
            }
            Err(SealedReadError::Write(e)) => return Err(BackupError::Write(e)),
        }
    }
    let made = (vault.clock)();
    w(body.write_all(&[TAG_END]))?;
    w(body.write_all(&made.to_be_bytes()))?;
    w(body.write_all(&(entries.len() as u32).to_be_bytes()))?;
    w(body.write_all(&(documents.len() as u32).to_be_bytes()))?;
    let sealed = body.finish().map_err(BackupError::Write)?;
    let state = state_digest(
        &header.vault_header,
        entries.iter().map(|(k, v)| (k.as_slice(), v.as_slice())),
    );
    Ok(Summary {
        records,
        documents: documents.len() as u64,
        bytes: header_bytes.len() as u64 + sealed,
        made,
        state,
    })
}

/// Records in `vault` that the backup `summary` describes was saved, for
/// [`last_backup`] and [`changed_since_backup`]. Call it once the file is
/// safely stored (synced, in its place), never before.
pub fn mark_saved(vault: &Vault, summary: &Summary) -> Result<(), BackupError> {
    let mark: Mark = (summary.made, summary.state);
    vault.put_private(NS_BACKUP, LAST_BACKUP_ID, &format::encode(&mark))?;
    Ok(())
}

fn read_mark(vault: &Vault) -> Option<Mark> {
    let plain = vault.get_private(NS_BACKUP, LAST_BACKUP_ID).ok()??;
    format::decode_canonical::<Mark>(&plain).ok()
}

/// When the last backup of this vault was saved (seconds since 1970), or
/// `None` if none was (or its record does not read). An imported vault
/// says when the backup it came from was made.
pub fn last_backup(vault: &Vault) -> Option<u64> {
    read_mark(vault).map(|(at, _)| at)
}

/// Whether the vault holds anything the last backup does not: a field,
/// share, contact or helper saved, changed or removed since, or a new
/// passphrase (an older backup still opens only with the old one). True
/// when no backup was ever saved, or when the vault cannot tell.
pub fn changed_since_backup(vault: &Vault) -> bool {
    let Some((_, saved)) = read_mark(vault) else {
        return true;
    };
    let (Ok(header), Ok(entries)) = (vault.read_header(), vault.store.scan_prefix(b"")) else {
        return true;
    };
    let now = state_digest(
        &header,
        entries.iter().map(|(k, v)| (k.as_slice(), v.as_slice())),
    );
    !bool::from(subtle::ConstantTimeEq::ct_eq(&now[..], &saved[..]))
}

// ---------------------------------------------------------------------
// Import.

/// Imports the backup read from `input`, opened with `passphrase`, into
/// `store` and `documents`, which must be empty, and opens the vault.
/// The vault's header is kept in the store (`H`, `h`), as
/// [`Vault::create_in`] keeps it.
///
/// Everything is checked before anything is committed: a wrong
/// passphrase, a file that is not a backup, a truncated or damaged one each
/// give their own error and leave the store as it was (documents written
/// on the way are removed).
pub fn import(
    input: &mut dyn Read,
    passphrase: &[u8],
    store: Box<dyn Store>,
    documents: Box<dyn Documents>,
) -> Result<Vault, BackupError> {
    import_with(input, passphrase, store, documents, HeaderSlot::Store, None)
}

/// Imports a backup of a vault of `role` into the vault folder `dir`,
/// which must not hold a vault (it is made if missing; an empty folder, or
/// the leftovers of an `init` or import that stopped half-way, are fine).
/// A backup of another role's keys is refused ([`BackupError::OtherRole`]). The header files are
/// written last, so a vault exists there only once everything is in. If
/// anything fails, what was written is removed (and the folder, if this
/// made it).
#[cfg(feature = "native")]
pub fn import_into_folder(
    input: &mut dyn Read,
    passphrase: &[u8],
    dir: &std::path::Path,
    role: Role,
) -> Result<Vault, BackupError> {
    use super::{
        create_private_dir, lock, open_documents, DOCUMENTS_DIR, HEADER_COPY_FILE, HEADER_COPY_TMP,
        HEADER_FILE, HEADER_TMP, RECORDS_DIR, STORE_DIR,
    };
    use crate::store::FolderStore;

    let existed = dir.exists();
    // The same rules as `Vault::create`: only a vault's own leftovers may
    // be there, and a header means a vault is.
    Vault::check_can_create(dir, true)?;
    create_private_dir(dir).map_err(VaultError::from)?;
    let lock = lock(dir)?;
    if Vault::exists(dir) {
        return Err(VaultError::AlreadyExists(dir.to_owned()).into());
    }
    let clean = || {
        for sub in [RECORDS_DIR, DOCUMENTS_DIR, STORE_DIR] {
            let p = dir.join(sub);
            if p.exists() {
                let _ = std::fs::remove_dir_all(p);
            }
        }
        for tmp in [HEADER_TMP, HEADER_COPY_TMP, HEADER_COPY_FILE, HEADER_FILE] {
            let _ = std::fs::remove_file(dir.join(tmp));
        }
    };
    // Nothing of a vault is here yet (no header): what a stopped attempt
    // left goes.
    clean();
    let imported = (|| {
        let store = FolderStore::open(&dir.join(RECORDS_DIR))?;
        let documents = open_documents(dir)?;
        import_with(
            input,
            passphrase,
            Box::new(store),
            Box::new(documents),
            HeaderSlot::File(dir.to_owned()),
            Some(role),
        )
    })();
    match imported {
        Ok(mut vault) => {
            vault._lock = Some(lock);
            Ok(vault)
        }
        Err(e) => {
            clean();
            drop(lock);
            if existed {
                let _ = std::fs::remove_file(dir.join(super::LOCK_FILE));
            } else {
                let _ = std::fs::remove_dir_all(dir);
            }
            Err(e)
        }
    }
}

/// What the body's records say about the vault, checked (rule C4).
struct Checked {
    entries: Vec<(Vec<u8>, Vec<u8>)>,
    /// Every document a field points at, and its length.
    documents: BTreeMap<DocId, u64>,
}

/// Reads the entry items (rules C1–C4) and checks them against the vault's
/// keys: the identity opens, every field record opens and no two point at
/// the same document. Returns them and the tag of the item that follows.
fn read_entries(
    body: &mut BodyReader<'_>,
    keys: &Keys,
    role: Option<Role>,
) -> Result<(Checked, u8), BackupError> {
    let mut entries: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    let mut total = 0u64;
    let mut tag = body_u8(body)?;
    while tag == TAG_ENTRY {
        let klen = body_u16(body)? as usize;
        if klen == 0 || klen > MAX_KEY_LEN {
            return Err(BackupError::Damaged);
        }
        let mut key = vec![0u8; klen];
        body_exact(body, &mut key)?;
        let vlen = body_u32(body)? as usize;
        if vlen > MAX_VALUE_LEN {
            return Err(BackupError::Damaged);
        }
        total += (klen + vlen) as u64;
        if total > MAX_RECORD_BYTES {
            return Err(BackupError::Damaged);
        }
        let mut value = vec![0u8; vlen];
        body_exact(body, &mut value)?;
        // C2: strictly increasing keys (so none repeats); C3: nothing a
        // backup does not carry.
        if entries.last().is_some_and(|(last, _)| *last >= key) || !carried(&key) {
            return Err(BackupError::Damaged);
        }
        entries.push((key, value));
        tag = body_u8(body)?;
    }
    // C4: the identity opens, and every field record opens.
    let identity = entries
        .iter()
        .find(|(k, _)| k.as_slice() == KEY_IDENTITY)
        .and_then(|(k, v)| keys.open_identity(k, v));
    let Some(identity) = identity else {
        return Err(BackupError::Damaged);
    };
    if role.is_some_and(|r| r != identity.role()) {
        return Err(BackupError::OtherRole(identity.role()));
    }
    let mut documents = BTreeMap::new();
    for (key, value) in entries.iter().filter(|(k, _)| k[0] == PREFIX_RECORD) {
        let record = keys
            .open_record(key, value, None)
            .ok_or(BackupError::Damaged)?;
        if let Value::Document { id, len } | Value::NamedDocument { id, len, .. } = record.value {
            if documents.insert(id, len).is_some() {
                return Err(BackupError::Damaged);
            }
        }
    }
    Ok((Checked { entries, documents }, tag))
}

/// Reads one document item's bytes (after its tag) into `documents`,
/// checking them as the vault reads them (rule D2). Returns its id.
fn read_document_item(
    body: &mut BodyReader<'_>,
    keys: &Keys,
    expected: &BTreeMap<DocId, u64>,
    documents: &dyn Documents,
    written: &mut Vec<DocId>,
) -> Result<DocId, BackupError> {
    let mut id: DocId = [0; 16];
    body_exact(body, &mut id)?;
    let sealed = body_u64(body)?;
    // D1: in id order, each once, pointed at by a field, of the length
    // that field's document has when sealed.
    let len = *expected.get(&id).ok_or(BackupError::Damaged)?;
    if written.last().is_some_and(|last| *last >= id) || sealed != document_sealed_len(len) {
        return Err(BackupError::Damaged);
    }
    if sealed > body.remaining() {
        return Err(BackupError::Damaged);
    }
    // The store is empty, so a document of this id can only be what an
    // import that stopped half-way left.
    documents.remove(&id)?;
    let mut file = documents.create(&id)?;
    written.push(id);
    let mut limited = (&mut *body).take(sealed);
    let mut tee = Tee {
        inner: &mut limited,
        copy: &mut file,
        write_error: None,
    };
    let read = read_sealed(
        &keys.document_key(&id)?,
        len,
        &mut tee,
        &mut io::sink(),
        &mut |_| {},
    );
    if let Some(e) = tee.write_error {
        return Err(StoreError::Io(e.to_string()).into());
    }
    if let Some(e) = body.failure() {
        return Err(e);
    }
    match read {
        Ok(_) => {}
        Err(SealedReadError::Unreadable | SealedReadError::Read(_)) => {
            return Err(BackupError::Damaged)
        }
        Err(SealedReadError::Write(e)) => return Err(BackupError::Read(e)),
    }
    file.commit()?;
    Ok(id)
}

fn import_with(
    input: &mut dyn Read,
    passphrase: &[u8],
    store: Box<dyn Store>,
    documents: Box<dyn Documents>,
    slot: HeaderSlot,
    role: Option<Role>,
) -> Result<Vault, BackupError> {
    if !store.keys_with_prefix(b"")?.is_empty() {
        return Err(BackupError::NotEmpty);
    }
    let (header, header_bytes) = Header::read(input)?;
    let master = header.unwrap(passphrase)?;
    let keys = Keys::derive(&master)?;
    let key = body_key(&master, &header.salt)?;
    let mut written: Vec<DocId> = Vec::new();
    let result = (|| {
        let mut body = BodyReader::new(&key, &header, &header_bytes, input);
        let (checked, mut tag) = read_entries(&mut body, &keys, role)?;
        while tag == TAG_DOCUMENT {
            read_document_item(
                &mut body,
                &keys,
                &checked.documents,
                &*documents,
                &mut written,
            )?;
            tag = body_u8(&mut body)?;
        }
        // E1: the end item, whose counts agree; then only zeros (B5),
        // which also checks the last chunk was sealed as last.
        if tag != TAG_END {
            return Err(BackupError::Damaged);
        }
        let made = body_u64(&mut body)?;
        let entries = body_u32(&mut body)? as usize;
        let docs = body_u32(&mut body)? as usize;
        if entries != checked.entries.len()
            || docs != written.len()
            || docs != checked.documents.len()
        {
            return Err(BackupError::Damaged);
        }
        // B4: the body is exactly as long as its padded content.
        let content = body.consumed;
        body.finish()?;
        if padded_len(content) != header.body_len {
            return Err(BackupError::Damaged);
        }
        Ok((checked.entries, made))
    })();
    let (entries, made) = match result {
        Ok(r) => r,
        Err(e) => {
            for id in &written {
                let _ = documents.remove(id);
            }
            return Err(e);
        }
    };
    // Everything checked: commit the records in one batch, with the mark
    // that the vault equals this backup.
    let state = state_digest(
        &header.vault_header,
        entries.iter().map(|(k, v)| (k.as_slice(), v.as_slice())),
    );
    let mark_key = private_key(&keys, NS_BACKUP, LAST_BACKUP_ID);
    let mark: Mark = (made, state);
    let mark_value = keys.seal(&mark_key, &format::encode(&mark))?;
    let mut ops: Vec<Op> = entries.into_iter().map(|(k, v)| Op::Insert(k, v)).collect();
    ops.push(Op::Insert(mark_key, mark_value));
    if matches!(slot, HeaderSlot::Store) {
        ops.push(Op::Insert(
            KEY_HEADER_COPY.to_vec(),
            header.vault_header.clone(),
        ));
        ops.push(Op::Insert(KEY_HEADER.to_vec(), header.vault_header.clone()));
    }
    let committed = store
        .apply(ops)
        .and_then(|()| store.flush())
        .map_err(BackupError::from)
        .and_then(|()| {
            slot.write_new(&header.vault_header)
                .map_err(BackupError::from)
        });
    if let Err(e) = committed {
        for id in &written {
            let _ = documents.remove(id);
        }
        return Err(e);
    }
    Ok(Vault::open_with(store, documents, &master, slot)?)
}

#[cfg(test)]
mod tests;
