//! Entry points for the `fuzz/` targets into decoders that are private
//! (feature `fuzzing`, hidden from the docs). Each is a thin call into the
//! code the vault, the token and the share really use, never a copy, so a
//! crash found through them is a crash of the real path.

use crate::crypto::{CryptoError, SecretKey};
use crate::format;
use crate::id::Identity;
use crate::path::FieldPath;
use crate::share::link::{ShareSecret, TokenId};
use crate::token::{Claims, TokenError};

use super::record::Keys;
use super::{read_sealed, KEY_IDENTITY, PREFIX_RECORD};

/// Opens a token's sealed claims ([`crate::Token::open_claims`] without
/// the token: the AEAD, the canonical postcard, padding and purpose rules).
pub fn open_claims(
    secret: &ShareSecret,
    token_id: &TokenId,
    sealed: &[u8],
) -> Result<Claims, TokenError> {
    crate::token::open_claims(secret, token_id, sealed)
}

/// Seals `plaintext` (not necessarily valid claims) exactly as
/// [`crate::token::seal_claims`] seals the encoded claims, so a target can
/// reach the decoding behind the AEAD.
pub fn seal_claims_plaintext(secret: &ShareSecret, plaintext: &[u8]) -> Vec<u8> {
    let mut out = plaintext.to_vec();
    secret.claims_key().aead().seal_in_place(
        [0; crate::crypto::NONCE_LEN],
        &crate::token::claims_aad(&secret.token_id()),
        &mut out,
    );
    out
}

/// A vault's record keys, derived from its master key as the vault does.
pub struct RecordKeys(Keys);

impl std::fmt::Debug for RecordKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecordKeys")
    }
}

impl RecordKeys {
    /// Derives the keys of the vault whose master key is `master`.
    pub fn derive(master: &SecretKey) -> Result<Self, CryptoError> {
        Keys::derive(master).map(Self)
    }

    /// The store key of the field `path` (`R` ‖ keyed hash of the path).
    pub fn record_key(&self, path: &FieldPath) -> Vec<u8> {
        let mut key = vec![PREFIX_RECORD];
        key.extend_from_slice(&self.0.index_of(path));
        key
    }

    /// The store key of the identity.
    pub fn identity_key(&self) -> &'static [u8] {
        KEY_IDENTITY
    }

    /// Seals `plaintext` as a record value under `store_key` (random nonce).
    pub fn seal(&self, store_key: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.0.seal(store_key, plaintext)
    }

    /// Opens a field record as the vault does; on success, the record's
    /// canonical encoding (so a caller can check it re-encodes to the
    /// plaintext it sealed).
    pub fn open_record(
        &self,
        store_key: &[u8],
        sealed: &[u8],
        expect: Option<&FieldPath>,
    ) -> Option<Vec<u8>> {
        let body = self.0.open_record(store_key, sealed, expect)?;
        // The vault shows a record through `info`; it must not fail for a
        // record that opened.
        assert!(body.info().is_some(), "an opened record has no info");
        Some(format::encode(&body))
    }

    /// Opens the identity record as the vault does.
    pub fn open_identity(&self, store_key: &[u8], sealed: &[u8]) -> Option<Identity> {
        self.0.open_identity(store_key, sealed)
    }
}

/// Reads a vault document's sealed stream of a document of `len` bytes
/// (vault-format §10.2) as [`crate::Vault::read_document`] does; the
/// plaintext, or `None` if it is unreadable.
pub fn read_document_stream(key: &SecretKey, len: u64, sealed: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut input = sealed;
    read_sealed(key, len, &mut input, &mut out, &mut |_| {}).ok()?;
    Some(out)
}
