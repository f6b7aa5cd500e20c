//! Chunked authenticated encryption for documents: the STREAM construction
//! (Hoang, Reyhanitabar, Rogaway and Vizár, 2015), as age uses it.
//!
//! A document is cut into chunks of [`CHUNK_SIZE`] plaintext bytes; only the
//! last may be shorter, and it is empty only when the whole document is.
//! Chunk `i` is sealed with ChaCha20-Poly1305 under the document's own key
//! and the nonce `be88(i) ‖ last`, where `last` is `0x01` for the final
//! chunk and `0x00` otherwise. So:
//!
//! - reordering fails (the counter is in the nonce),
//! - truncation fails (the chunk that is now last was not sealed as last),
//! - appending fails (nothing follows a chunk sealed as last),
//! - swapping chunks between documents fails (every document has its own
//!   key, derived from a fresh random document id).
//!
//! Memory is one chunk, whatever the document's size.

use super::{AeadKey, CryptoError, SecretKey, NONCE_LEN, TAG_LEN};

/// Plaintext bytes in every chunk but the last.
pub const CHUNK_SIZE: usize = 64 * 1024;
/// Bytes of a sealed full chunk.
pub const SEALED_CHUNK_SIZE: usize = CHUNK_SIZE + TAG_LEN;

/// Why a chunk stream was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError {
    /// A chunk failed authentication, was out of place, or was missing.
    #[error("{}", crate::msg!("stream-decrypt"))]
    Decrypt,
    /// The caller broke the chunking rules (a bug, not bad data).
    #[error("{}", crate::msg!("stream-misuse"))]
    Misuse,
}

impl From<CryptoError> for StreamError {
    fn from(_: CryptoError) -> Self {
        Self::Decrypt
    }
}

fn nonce(index: u64, last: bool) -> [u8; NONCE_LEN] {
    let mut n = [0u8; NONCE_LEN];
    // be88(i): the top three of the eleven counter bytes stay zero for u64.
    n[3..11].copy_from_slice(&index.to_be_bytes());
    n[11] = u8::from(last);
    n
}

/// Number of chunks a document of `len` bytes is cut into (at least one).
pub fn chunk_count(len: u64) -> u64 {
    len.div_ceil(CHUNK_SIZE as u64).max(1)
}

/// Seals a document chunk by chunk.
#[derive(Debug)]
pub struct StreamSealer {
    key: AeadKey,
    aad: Vec<u8>,
    next: u64,
    finished: bool,
}

impl StreamSealer {
    /// A sealer for one document under `key`. Never reuse a key.
    pub fn new(key: &SecretKey) -> Self {
        Self::with_aad(key, b"")
    }

    /// A sealer whose every chunk also authenticates `aad`.
    pub fn with_aad(key: &SecretKey, aad: &[u8]) -> Self {
        Self {
            key: key.aead(),
            aad: aad.to_vec(),
            next: 0,
            finished: false,
        }
    }

    /// Seals `buf` (one chunk of plaintext) in place, appending the tag.
    /// Every chunk but the last must hold exactly [`CHUNK_SIZE`] bytes.
    pub fn seal_chunk(&mut self, buf: &mut Vec<u8>, last: bool) -> Result<(), StreamError> {
        let size_ok = if last {
            buf.len() <= CHUNK_SIZE && (self.next == 0 || !buf.is_empty())
        } else {
            buf.len() == CHUNK_SIZE
        };
        if self.finished || !size_ok {
            return Err(StreamError::Misuse);
        }
        self.key
            .seal_in_place(nonce(self.next, last), &self.aad, buf);
        self.next += 1;
        self.finished = last;
        Ok(())
    }

    /// Chunks sealed so far.
    pub fn chunks(&self) -> u64 {
        self.next
    }
}

/// Opens a document chunk by chunk, in order.
#[derive(Debug)]
pub struct StreamOpener {
    key: AeadKey,
    aad: Vec<u8>,
    next: u64,
    finished: bool,
}

impl StreamOpener {
    /// An opener for one document under `key`.
    pub fn new(key: &SecretKey) -> Self {
        Self::with_aad(key, b"")
    }

    /// An opener whose every chunk must also authenticate `aad`.
    pub fn with_aad(key: &SecretKey, aad: &[u8]) -> Self {
        Self {
            key: key.aead(),
            aad: aad.to_vec(),
            next: 0,
            finished: false,
        }
    }

    /// Chunks opened so far.
    pub fn chunks(&self) -> u64 {
        self.next
    }

    /// Opens the next chunk in place. `last` says whether the caller expects
    /// this to be the final chunk; the seal must agree.
    pub fn open_chunk(&mut self, buf: &mut Vec<u8>, last: bool) -> Result<(), StreamError> {
        if self.finished {
            return Err(StreamError::Decrypt);
        }
        self.key
            .open_in_place(nonce(self.next, last), &self.aad, buf)?;
        let size_ok = if last {
            buf.len() <= CHUNK_SIZE && (self.next == 0 || !buf.is_empty())
        } else {
            buf.len() == CHUNK_SIZE
        };
        if !size_ok {
            return Err(StreamError::Decrypt);
        }
        self.next += 1;
        self.finished = last;
        Ok(())
    }

    /// Succeeds only once the last chunk has been opened.
    pub fn finish(&self) -> Result<(), StreamError> {
        if self.finished {
            Ok(())
        } else {
            Err(StreamError::Decrypt)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seal_all(key: &SecretKey, data: &[u8]) -> Vec<Vec<u8>> {
        let mut s = StreamSealer::new(key);
        let n = chunk_count(data.len() as u64) as usize;
        let mut out = Vec::new();
        for i in 0..n {
            let end = ((i + 1) * CHUNK_SIZE).min(data.len());
            let mut buf = data[i * CHUNK_SIZE..end].to_vec();
            s.seal_chunk(&mut buf, i + 1 == n).expect("seal");
            out.push(buf);
        }
        out
    }

    fn open_all(key: &SecretKey, chunks: &[Vec<u8>]) -> Result<Vec<u8>, StreamError> {
        let mut o = StreamOpener::new(key);
        let mut out = Vec::new();
        for (i, c) in chunks.iter().enumerate() {
            let mut buf = c.clone();
            o.open_chunk(&mut buf, i + 1 == chunks.len())?;
            out.extend_from_slice(&buf);
        }
        o.finish()?;
        Ok(out)
    }

    fn key() -> SecretKey {
        SecretKey::from_bytes([9; 32])
    }

    #[test]
    fn round_trips_at_chunk_boundaries() {
        for len in [
            0,
            1,
            CHUNK_SIZE - 1,
            CHUNK_SIZE,
            CHUNK_SIZE + 1,
            3 * CHUNK_SIZE,
        ] {
            let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let chunks = seal_all(&key(), &data);
            assert_eq!(chunks.len() as u64, chunk_count(len as u64));
            assert_eq!(open_all(&key(), &chunks).expect("opens"), data);
        }
    }

    #[test]
    fn rejects_truncated_stream() {
        let data = vec![5u8; 3 * CHUNK_SIZE];
        let chunks = seal_all(&key(), &data);
        assert_eq!(open_all(&key(), &chunks[..2]), Err(StreamError::Decrypt));
    }

    #[test]
    fn rejects_reordered_chunks() {
        let data: Vec<u8> = (0..3 * CHUNK_SIZE)
            .map(|i| (i / CHUNK_SIZE) as u8)
            .collect();
        let mut chunks = seal_all(&key(), &data);
        chunks.swap(0, 1);
        assert_eq!(open_all(&key(), &chunks), Err(StreamError::Decrypt));
    }

    #[test]
    fn rejects_appended_chunk() {
        let data = vec![1u8; 10];
        let mut chunks = seal_all(&key(), &data);
        chunks.push(chunks[0].clone());
        assert_eq!(open_all(&key(), &chunks), Err(StreamError::Decrypt));
    }

    #[test]
    fn rejects_chunk_from_another_document() {
        let other = SecretKey::from_bytes([10; 32]);
        let mut a = seal_all(&key(), &vec![1u8; 2 * CHUNK_SIZE]);
        let b = seal_all(&other, &vec![1u8; 2 * CHUNK_SIZE]);
        a[1] = b[1].clone();
        assert_eq!(open_all(&key(), &a), Err(StreamError::Decrypt));
    }

    #[test]
    fn refuses_short_middle_chunk_when_sealing() {
        let mut s = StreamSealer::new(&key());
        let mut buf = vec![0u8; 10];
        assert_eq!(s.seal_chunk(&mut buf, false), Err(StreamError::Misuse));
    }
}
