//! Sealed shares: the fields a survivor chose, encrypted for one token.
//!
//! The plaintext of a share is
//!
//! ```text
//! be32(len(manifest)) ‖ postcard(Manifest) ‖ entry bytes, in manifest order ‖ zero padding
//! ```
//!
//! padded to [`padded_len`] (Padmé, at least 4 KiB), so the relay learns
//! only a rough size. It is sealed with the STREAM construction (64 KiB
//! chunks, as vault documents are) under the payload key derived from the
//! share secret, with the token id as associated data of every chunk. The
//! token signs the sealed share's length and SHA-256, so an agency knows
//! the bytes are the survivor's, and the relay cannot swap them.
//!
//! Sealing and opening both stream: memory is one chunk whatever the size
//! of the documents shared.

pub mod bundle;
pub mod link;
pub mod open;
pub mod redeem;

use std::io::{self, Read, Write};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto::stream::{
    StreamError, StreamOpener, StreamSealer, CHUNK_SIZE, SEALED_CHUNK_SIZE,
};
use crate::crypto::TAG_LEN;
use crate::format;
use crate::path::FieldPath;
use link::ShareSecret;

/// The smallest padded share: small shares all look alike.
pub const MIN_PADDED: u64 = 4096;
/// Longest manifest accepted.
pub const MAX_MANIFEST: usize = 64 * 1024;

/// What a share holds, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The exact consent text the survivor was shown (its SHA-256 is in
    /// the token's sealed claims).
    pub consent_text: String,
    /// The fields, in the order their bytes follow.
    pub entries: Vec<ManifestEntry>,
}

/// One shared field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// The field's path.
    pub path: FieldPath,
    /// Text or document.
    pub kind: EntryKind,
    /// Length of its bytes.
    pub len: u64,
}

/// The kind of a shared field. The variants' order is the format
/// (postcard writes the index): add new ones at the end, never reorder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryKind {
    /// UTF-8 text.
    Text,
    /// A document's bytes, without a name (saved before names were kept).
    Document,
    /// A document's bytes with its original file name and media type
    /// (consent-token-v1 §10.1, variant 2). Both come from the survivor's
    /// device: save it under [`crate::docname::safe_file_name`], offer it
    /// as [`crate::docname::harmless_media_type`].
    NamedDocument {
        /// The file name, as the survivor's file was called.
        name: String,
        /// Its media type, from the extension.
        media_type: String,
    },
}

impl EntryKind {
    /// A document, named or not.
    pub fn is_document(&self) -> bool {
        !matches!(self, EntryKind::Text)
    }

    /// The original file name, if the share carries one.
    pub fn file_name(&self) -> Option<&str> {
        match self {
            EntryKind::NamedDocument { name, .. } => Some(name),
            _ => None,
        }
    }

    /// The media type, if the share carries one.
    pub fn media_type(&self) -> Option<&str> {
        match self {
            EntryKind::NamedDocument { media_type, .. } => Some(media_type),
            _ => None,
        }
    }
}

impl Manifest {
    /// Bytes of plaintext before padding.
    ///
    /// `None` if it does not fit in 64 bits (only a forged manifest can
    /// claim that much).
    pub fn content_len(&self) -> Option<u64> {
        self.entries
            .iter()
            .try_fold(4 + format::encode(self).len() as u64, |acc, e| {
                acc.checked_add(e.len)
            })
    }

    /// Entries are in strictly increasing path order (so no path repeats),
    /// as a grant writes them, and every document name and media type
    /// passes [`crate::docname::DocName::new`]'s checks.
    pub fn is_canonical(&self) -> bool {
        self.entries.windows(2).all(|w| w[0].path < w[1].path)
            && self.entries.iter().all(|e| match &e.kind {
                EntryKind::NamedDocument { name, media_type } => {
                    crate::docname::DocName::new(name, media_type).is_ok()
                }
                _ => true,
            })
    }
}

/// Padmé (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files
/// and Communication with PURBs", 2019), with a floor of [`MIN_PADDED`]:
/// at most 12% overhead, and only O(log log n) bits of the size leak.
/// Saturates at `u64::MAX` rather than overflow (no real share is near).
pub fn padded_len(len: u64) -> u64 {
    let len = len.max(MIN_PADDED);
    let e = 63 - u64::from(len.leading_zeros()); // floor(log2 len)
    let s = 64 - u64::from(e.leading_zeros()); // floor(log2 e) + 1
    let last_bits = e - s;
    let mask = (1u64 << last_bits) - 1;
    len.saturating_add(mask) & !mask
}

/// Length of the sealed share for `plain_len` bytes of padded plaintext.
pub fn sealed_len(plain_len: u64) -> u64 {
    plain_len.saturating_add(crate::crypto::stream::chunk_count(plain_len) * TAG_LEN as u64)
}

/// Why a share could not be opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ShareError {
    /// Authentication failed somewhere, or the layout is wrong.
    #[error("{}", crate::msg!("share-decrypt"))]
    Decrypt,
    /// Reading or writing failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl From<StreamError> for ShareError {
    fn from(_: StreamError) -> Self {
        Self::Decrypt
    }
}

/// Seals a share's plaintext as it is written, chunk by chunk.
///
/// Write the manifest with [`ShareWriter::start`], then each entry's bytes
/// in manifest order; [`ShareWriter::finish`] pads and seals the last
/// chunk. Sealed bytes go to `out` as they are made.
pub struct ShareWriter<W: Write> {
    sealer: StreamSealer,
    buf: Zeroizing<Vec<u8>>,
    out: W,
    written: u64,
    total: u64,
    sealed: u64,
    hash: ring::digest::Context,
}

impl<W: Write> std::fmt::Debug for ShareWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShareWriter")
            .field("written", &self.written)
            .field("total", &self.total)
            .finish_non_exhaustive()
    }
}

impl<W: Write> ShareWriter<W> {
    /// Starts a share for `manifest` under `secret`, writing the length
    /// prefix and manifest.
    pub fn start(secret: &ShareSecret, manifest: &Manifest, out: W) -> io::Result<Self> {
        let encoded = Zeroizing::new(format::encode(manifest));
        if encoded.len() > MAX_MANIFEST {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "too many fields in one share",
            ));
        }
        let mut w = Self {
            sealer: StreamSealer::with_aad(&secret.payload_key(), &secret.token_id()),
            buf: Zeroizing::new(Vec::with_capacity(CHUNK_SIZE + TAG_LEN)),
            out,
            written: 0,
            total: padded_len(manifest.content_len().ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "the shared fields are too large",
                )
            })?),
            sealed: 0,
            hash: ring::digest::Context::new(&ring::digest::SHA256),
        };
        w.write_all(&(encoded.len() as u32).to_be_bytes())?;
        w.write_all(&encoded)?;
        Ok(w)
    }

    fn seal_buffered(&mut self, last: bool) -> io::Result<()> {
        self.sealer
            .seal_chunk(&mut self.buf, last)
            .map_err(|_| io::Error::other("share chunking went wrong"))?;
        self.hash.update(&self.buf);
        self.out.write_all(&self.buf)?;
        self.sealed += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    /// Pads, seals the last chunk, and returns the writer, the sealed
    /// length and its SHA-256.
    pub fn finish(mut self) -> io::Result<(W, u64, [u8; 32])> {
        let pad = self.total - self.written;
        let zeros = [0u8; 1024];
        let mut left = pad;
        while left > 0 {
            let n = left.min(zeros.len() as u64) as usize;
            self.write_all(&zeros[..n])?;
            left -= n as u64;
        }
        self.seal_buffered(true)?;
        self.out.flush()?;
        let mut hash = [0u8; 32];
        hash.copy_from_slice(self.hash.clone().finish().as_ref());
        Ok((self.out, self.sealed, hash))
    }
}

impl<W: Write> Write for ShareWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if data.is_empty() {
            return Ok(0);
        }
        if self.written + data.len() as u64 > self.total {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "more share data than the manifest announced",
            ));
        }
        // A full chunk is sealed only once more data arrives, so the last
        // chunk is always sealed as last.
        if self.buf.len() == CHUNK_SIZE {
            self.seal_buffered(false)?;
        }
        let n = data.len().min(CHUNK_SIZE - self.buf.len());
        self.buf.extend_from_slice(&data[..n]);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Opens a sealed share as a stream, in the order it was written.
pub struct ShareReader<R: Read> {
    opener: StreamOpener,
    input: R,
    chunks_left: u64,
    plain: Zeroizing<Vec<u8>>,
    pos: usize,
    read_total: u64,
    padded: u64,
}

impl<R: Read> std::fmt::Debug for ShareReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShareReader")
            .field("read_total", &self.read_total)
            .finish_non_exhaustive()
    }
}

impl<R: Read> ShareReader<R> {
    /// Starts reading a share of `sealed_len` bytes (the token's
    /// `payload_len`) and returns its manifest. The caller must have
    /// checked the sealed bytes' SHA-256 against the token first.
    pub fn open(
        secret: &ShareSecret,
        sealed_len: u64,
        input: R,
    ) -> Result<(Manifest, Self), ShareError> {
        let chunks = sealed_len.div_ceil(SEALED_CHUNK_SIZE as u64);
        if chunks == 0 || sealed_len < chunks * TAG_LEN as u64 {
            return Err(ShareError::Decrypt);
        }
        let padded = sealed_len - chunks * TAG_LEN as u64;
        if padded < MIN_PADDED || padded_len(padded) != padded {
            return Err(ShareError::Decrypt);
        }
        let mut r = Self {
            opener: StreamOpener::with_aad(&secret.payload_key(), &secret.token_id()),
            input,
            chunks_left: chunks,
            plain: Zeroizing::new(Vec::with_capacity(SEALED_CHUNK_SIZE)),
            pos: 0,
            read_total: 0,
            padded,
        };
        let mut len = [0u8; 4];
        r.read_exact_plain(&mut len)?;
        let len = u32::from_be_bytes(len) as usize;
        if len > MAX_MANIFEST {
            return Err(ShareError::Decrypt);
        }
        let mut encoded = Zeroizing::new(vec![0u8; len]);
        r.read_exact_plain(&mut encoded)?;
        let manifest: Manifest =
            format::decode_canonical(&encoded).map_err(|_| ShareError::Decrypt)?;
        if manifest.content_len().is_none_or(|n| n > padded) || !manifest.is_canonical() {
            return Err(ShareError::Decrypt);
        }
        Ok((manifest, r))
    }

    fn next_chunk(&mut self) -> Result<(), ShareError> {
        if self.chunks_left == 0 {
            return Err(ShareError::Decrypt);
        }
        let last = self.chunks_left == 1;
        self.plain.clear();
        let want = if last {
            // The last chunk holds whatever the length leaves.
            (self.padded - (self.read_total_chunks() * CHUNK_SIZE as u64)) as usize + TAG_LEN
        } else {
            SEALED_CHUNK_SIZE
        };
        self.plain.resize(want, 0);
        self.input
            .read_exact(&mut self.plain)
            .map_err(|e| match e.kind() {
                io::ErrorKind::UnexpectedEof => ShareError::Decrypt,
                _ => ShareError::Io(e),
            })?;
        self.opener.open_chunk(&mut self.plain, last)?;
        self.chunks_left -= 1;
        self.pos = 0;
        Ok(())
    }

    fn read_total_chunks(&self) -> u64 {
        self.opener.chunks()
    }

    fn read_exact_plain(&mut self, mut out: &mut [u8]) -> Result<(), ShareError> {
        while !out.is_empty() {
            if self.pos == self.plain.len() {
                self.next_chunk()?;
            }
            let n = out.len().min(self.plain.len() - self.pos);
            out[..n].copy_from_slice(&self.plain[self.pos..self.pos + n]);
            self.pos += n;
            self.read_total += n as u64;
            out = &mut out[n..];
        }
        Ok(())
    }

    /// Copies the next `len` bytes (one entry) to `out`.
    pub fn copy_entry(&mut self, len: u64, out: &mut dyn Write) -> Result<(), ShareError> {
        let mut left = len;
        while left > 0 {
            if self.pos == self.plain.len() {
                self.next_chunk()?;
            }
            let n = (left.min((self.plain.len() - self.pos) as u64)) as usize;
            out.write_all(&self.plain[self.pos..self.pos + n])?;
            self.pos += n;
            self.read_total += n as u64;
            left -= n as u64;
        }
        Ok(())
    }

    /// Checks that only zero padding remains and the last chunk was last.
    pub fn finish(mut self) -> Result<(), ShareError> {
        while self.read_total < self.padded {
            if self.pos == self.plain.len() {
                self.next_chunk()?;
            }
            let n = ((self.padded - self.read_total).min((self.plain.len() - self.pos) as u64))
                as usize;
            if self.plain[self.pos..self.pos + n].iter().any(|&b| b != 0) {
                return Err(ShareError::Decrypt);
            }
            self.pos += n;
            self.read_total += n as u64;
        }
        self.opener.finish()?;
        let mut extra = [0u8; 1];
        match self.input.read(&mut extra)? {
            0 => Ok(()),
            _ => Err(ShareError::Decrypt),
        }
    }
}

#[cfg(test)]
mod tests;
