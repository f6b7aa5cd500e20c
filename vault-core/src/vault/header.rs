//! The vault header: the master key, wrapped under the passphrase.
//!
//! Stored as the file `DIR/header` (or, for in-memory vaults, under the
//! store key `H`) as `"SVLT" ‖ 0x01 ‖ postcard(HeaderBody)`. The wrapping key is
//! `Argon2id(passphrase, salt, params)`; the master key is sealed with
//! ChaCha20-Poly1305 under it, with associated data
//! `"survivor-vault/v1/header\0" ‖ postcard(params) ‖ salt`, so the stored
//! parameters and salt cannot be changed without the unwrap failing.

use serde::{Deserialize, Serialize};

use crate::crypto::kdf::{KdfParams, SALT_LEN};
use crate::crypto::{self, CryptoError, SecretKey, KEY_LEN, NONCE_LEN, TAG_LEN};
use crate::format::{self, FrameError};

/// Magic at the start of a header.
pub const MAGIC: &[u8; 4] = b"SVLT";
/// The header version this build writes and reads.
pub const VERSION: u8 = 1;
const AAD_LABEL: &[u8] = b"survivor-vault/v1/header\0";

/// The decoded header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderBody {
    /// Argon2id parameters.
    pub kdf: KdfParams,
    /// Argon2id salt, random per wrap.
    pub salt: [u8; SALT_LEN],
    /// AEAD nonce, random per wrap.
    pub nonce: [u8; NONCE_LEN],
    /// The encrypted master key.
    pub wrapped: [u8; KEY_LEN],
    /// Its Poly1305 tag.
    pub tag: [u8; TAG_LEN],
}

/// Why a header did not give up its master key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnwrapError {
    /// The passphrase is wrong (or the header was altered).
    WrongPassphrase,
    /// The header is not one this build can read.
    Damaged(FrameError),
    /// The header is from a newer version.
    Newer,
}

fn aad(kdf: &KdfParams, salt: &[u8; SALT_LEN]) -> Vec<u8> {
    let mut a = AAD_LABEL.to_vec();
    a.extend_from_slice(&format::encode(kdf));
    a.extend_from_slice(salt);
    a
}

/// Wraps `master` under `passphrase` with fresh salt and nonce.
pub fn wrap(master: &SecretKey, passphrase: &[u8], kdf: KdfParams) -> Result<Vec<u8>, CryptoError> {
    let salt = crypto::random_array::<SALT_LEN>()?;
    let nonce = crypto::random_array::<NONCE_LEN>()?;
    let kek = kdf
        .derive(passphrase, &salt)
        .map_err(|_| CryptoError::Derive)?;
    let mut buf = master.expose().to_vec();
    kek.aead().seal_in_place(nonce, &aad(&kdf, &salt), &mut buf);
    let (ct, tag) = buf.split_at(KEY_LEN);
    let body = HeaderBody {
        kdf,
        salt,
        nonce,
        wrapped: ct
            .try_into()
            .expect("ciphertext of a 32-byte key is 32 bytes"),
        tag: tag.try_into().expect("the Poly1305 tag is 16 bytes"),
    };
    Ok(format::frame(MAGIC, VERSION, &body))
}

/// Decodes a stored header without unwrapping it.
pub fn decode(bytes: &[u8]) -> Result<HeaderBody, UnwrapError> {
    format::unframe::<HeaderBody>(MAGIC, VERSION, bytes).map_err(|e| match e {
        FrameError::UnknownVersion => UnwrapError::Newer,
        e => UnwrapError::Damaged(e),
    })
}

/// Unwraps the master key from a stored header.
pub fn unwrap(bytes: &[u8], passphrase: &[u8]) -> Result<(SecretKey, KdfParams), UnwrapError> {
    let body = decode(bytes)?;
    let kek = body
        .kdf
        .derive(passphrase, &body.salt)
        .map_err(|_| UnwrapError::Damaged(FrameError::Malformed))?;
    let mut buf = zeroize::Zeroizing::new(Vec::with_capacity(KEY_LEN + TAG_LEN));
    buf.extend_from_slice(&body.wrapped);
    buf.extend_from_slice(&body.tag);
    kek.aead()
        .open_in_place(body.nonce, &aad(&body.kdf, &body.salt), &mut buf)
        .map_err(|_| UnwrapError::WrongPassphrase)?;
    let key: [u8; KEY_LEN] = buf[..]
        .try_into()
        .map_err(|_| UnwrapError::WrongPassphrase)?;
    Ok((SecretKey::from_bytes(key), body.kdf))
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: KdfParams = KdfParams::INSECURE_FOR_TESTS;

    #[test]
    fn rejects_wrong_passphrase() {
        let m = SecretKey::from_bytes([3; 32]);
        let h = wrap(&m, b"right horse", P).expect("wrap");
        assert_eq!(
            unwrap(&h, b"wrong horse").err(),
            Some(UnwrapError::WrongPassphrase)
        );
        let (got, _) = unwrap(&h, b"right horse").expect("unwrap");
        assert_eq!(got.expose(), m.expose());
    }

    #[test]
    fn rejects_every_single_bit_flip() {
        let m = SecretKey::from_bytes([3; 32]);
        let h = wrap(&m, b"pass", P).expect("wrap");
        for i in 0..h.len() * 8 {
            let mut t = h.clone();
            t[i / 8] ^= 1 << (i % 8);
            assert!(unwrap(&t, b"pass").is_err(), "flip of bit {i} accepted");
        }
    }

    #[test]
    fn reports_newer_version() {
        let m = SecretKey::from_bytes([3; 32]);
        let mut h = wrap(&m, b"pass", P).expect("wrap");
        h[4] = 2;
        assert_eq!(unwrap(&h, b"pass").err(), Some(UnwrapError::Newer));
    }
}
