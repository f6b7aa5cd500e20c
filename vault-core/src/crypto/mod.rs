//! The few cryptographic operations the vault is built from, each a thin,
//! typed wrapper over `ring` (AEAD, HKDF, HMAC, randomness) or `argon2`.
//!
//! Nothing here is a new primitive: ChaCha20-Poly1305 seals every record and
//! chunk, HKDF-SHA256 derives every subkey under its own label, HMAC-SHA256
//! makes the opaque storage keys, and Argon2id stretches the passphrase.
//! Failures are deliberately opaque: the caller learns "could not decrypt",
//! never which check failed.

pub mod kdf;
pub mod stream;

use ring::aead::{self, Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305};
use ring::{hkdf, hmac};
use zeroize::Zeroizing;

/// Length in bytes of every symmetric key in the vault.
pub const KEY_LEN: usize = 32;
/// Length in bytes of a ChaCha20-Poly1305 nonce.
pub const NONCE_LEN: usize = 12;
/// Length in bytes of a Poly1305 tag.
pub const TAG_LEN: usize = 16;

/// A cryptographic operation failed. Deliberately carries no detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// Authentication failed: wrong key, or the bytes were changed.
    #[error("{}", crate::msg!("crypto-decrypt"))]
    Decrypt,
    /// The operating system's random number generator failed.
    #[error("{}", crate::msg!("crypto-random"))]
    Random,
    /// A key derivation was asked for an impossible output.
    #[error("{}", crate::msg!("crypto-derive"))]
    Derive,
}

/// A 256-bit secret key, wiped from memory when dropped.
#[derive(Clone)]
pub struct SecretKey(Zeroizing<[u8; KEY_LEN]>);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

impl SecretKey {
    /// Wraps raw key bytes.
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// A fresh key from the system CSPRNG.
    pub fn generate() -> Result<Self, CryptoError> {
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        fill_random(&mut k[..])?;
        Ok(Self(k))
    }

    /// The raw key bytes. Keep the borrow short.
    pub fn expose(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// HKDF-SHA256 (RFC 5869) with this key as input keying material.
    ///
    /// `salt` may be empty (then HKDF uses a zero salt); `info` is the
    /// label that separates one use of the key from every other.
    pub fn derive(&self, salt: &[u8], info: &[&[u8]]) -> Result<SecretKey, CryptoError> {
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(&self.0[..]);
        let okm = prk
            .expand(info, hkdf::HKDF_SHA256)
            .map_err(|_| CryptoError::Derive)?;
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        okm.fill(&mut out[..]).map_err(|_| CryptoError::Derive)?;
        Ok(Self(out))
    }

    /// HMAC-SHA256 of `msg` under this key.
    pub fn mac(&self, msg: &[&[u8]]) -> [u8; 32] {
        let key = hmac::Key::new(hmac::HMAC_SHA256, &self.0[..]);
        let mut ctx = hmac::Context::with_key(&key);
        for part in msg {
            ctx.update(part);
        }
        let tag = ctx.sign();
        let mut out = [0u8; 32];
        out.copy_from_slice(tag.as_ref());
        out
    }

    /// A ChaCha20-Poly1305 key for sealing and opening.
    pub fn aead(&self) -> AeadKey {
        let unbound = UnboundKey::new(&CHACHA20_POLY1305, &self.0[..])
            .expect("a 32-byte key is always valid for ChaCha20-Poly1305");
        AeadKey(LessSafeKey::new(unbound))
    }
}

/// A ChaCha20-Poly1305 key, ready to use.
pub struct AeadKey(LessSafeKey);

impl std::fmt::Debug for AeadKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AeadKey(..)")
    }
}

impl AeadKey {
    /// Encrypts `buf` in place and appends the 16-byte tag.
    pub fn seal_in_place(&self, nonce: [u8; NONCE_LEN], aad: &[u8], buf: &mut Vec<u8>) {
        self.0
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(aad), buf)
            .expect("ChaCha20-Poly1305 sealing only fails past 256 GiB per message");
    }

    /// Authenticates and decrypts `buf` (ciphertext ‖ tag) in place; on
    /// success `buf` holds exactly the plaintext.
    pub fn open_in_place(
        &self,
        nonce: [u8; NONCE_LEN],
        aad: &[u8],
        buf: &mut Vec<u8>,
    ) -> Result<(), CryptoError> {
        let len = self
            .0
            .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::from(aad), buf)
            .map_err(|_| CryptoError::Decrypt)?
            .len();
        buf.truncate(len);
        Ok(())
    }
}

/// Fills `buf` from the system CSPRNG.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub fn fill_random(buf: &mut [u8]) -> Result<(), CryptoError> {
    use ring::rand::{SecureRandom, SystemRandom};
    SystemRandom::new()
        .fill(buf)
        .map_err(|_| CryptoError::Random)
}

/// Fills `buf` from the platform's CSPRNG through `getrandom`, the crate
/// ring itself reads on this target (ring's `SystemRandom` exists here only
/// with its JavaScript feature, which the browser crate chooses, not the
/// core). A program built for the browser must give `getrandom` its source
/// (its `js` feature, or `register_custom_getrandom!`), or it does not
/// link: there is no weak fallback.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub fn fill_random(buf: &mut [u8]) -> Result<(), CryptoError> {
    getrandom::getrandom(buf).map_err(|_| CryptoError::Random)
}

/// `N` fresh random bytes.
pub fn random_array<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut out = [0u8; N];
    fill_random(&mut out)?;
    Ok(out)
}

/// SHA-256 of the concatenation of `parts`.
pub fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    for p in parts {
        ctx.update(p);
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

/// SHA-256 over bytes that arrive in pieces (a share streamed to disk), so
/// nothing has to hold them all at once.
#[derive(Clone)]
pub struct Sha256(ring::digest::Context);

impl std::fmt::Debug for Sha256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sha256")
    }
}

impl Default for Sha256 {
    fn default() -> Self {
        Self::new()
    }
}

impl Sha256 {
    /// Nothing hashed yet.
    pub fn new() -> Self {
        Self(ring::digest::Context::new(&ring::digest::SHA256))
    }

    /// Adds the next piece.
    pub fn update(&mut self, piece: &[u8]) {
        self.0.update(piece);
    }

    /// The digest of every piece, in order.
    pub fn finish(self) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(self.0.finish().as_ref());
        out
    }
}

/// Re-exported so callers never reach for `ring` to name the algorithm.
pub use aead::CHACHA20_POLY1305 as AEAD_ALGORITHM;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_sha256_is_sha256_of_the_whole() {
        let mut h = Sha256::new();
        h.update(b"hello ");
        h.update(b"");
        h.update(b"world");
        assert_eq!(h.finish(), sha256(&[b"hello world"]));
    }

    #[test]
    fn derive_separates_labels() {
        let k = SecretKey::from_bytes([7; 32]);
        let a = k.derive(b"", &[b"one"]).expect("derive");
        let b = k.derive(b"", &[b"two"]).expect("derive");
        assert_ne!(a.expose(), b.expose());
    }

    #[test]
    fn rejects_wrong_aad() {
        let k = SecretKey::from_bytes([1; 32]).aead();
        let mut buf = b"hello".to_vec();
        k.seal_in_place([0; 12], b"a", &mut buf);
        let mut copy = buf.clone();
        assert_eq!(
            k.open_in_place([0; 12], b"b", &mut copy),
            Err(CryptoError::Decrypt)
        );
        k.open_in_place([0; 12], b"a", &mut buf).expect("opens");
        assert_eq!(buf, b"hello");
    }
}
