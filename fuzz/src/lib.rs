//! What the fuzz targets share: fixed keys and the few test vectors whose
//! keys or passphrases let a target reach past the AEAD of a format.
//!
//! Everything here is fixed, so a crash reproduces from its input alone.

use std::sync::OnceLock;

use vault_core::crypto::SecretKey;
use vault_core::vectors::Vector;
use vault_core::{Identity, Role, ShareLink, ShareSecret};

/// The share secret the structured targets seal under (claims, share).
pub fn secret() -> ShareSecret {
    ShareSecret::from_bytes([0x5a; 32])
}

/// The relay that signs the log heads of the `log` target.
pub fn relay() -> &'static Identity {
    static R: OnceLock<Identity> = OnceLock::new();
    R.get_or_init(|| Identity::from_seed(Role::Relay, &[0x11; 32]))
}

/// The survivor whose log the `log` target checks.
pub fn survivor() -> &'static Identity {
    static S: OnceLock<Identity> = OnceLock::new();
    S.get_or_init(|| Identity::from_seed(Role::Survivor, &[0x22; 32]))
}

/// An agency, the presenter of the `token` and `redeem_answer` targets.
pub fn agency() -> &'static Identity {
    static A: OnceLock<Identity> = OnceLock::new();
    A.get_or_init(|| Identity::from_seed(Role::Agency, &[0x33; 32]))
}

/// A fixed vault master key (the `record` and `document_stream` targets).
pub fn master() -> SecretKey {
    SecretKey::from_bytes([0x44; 32])
}

/// Lower-case hex to bytes (vectors only; panics on bad hex, which would
/// be a broken vector, not a finding).
pub fn unhex(s: &str) -> Vec<u8> {
    vault_core::relay::unhex(s).expect("the vector's hex")
}

fn vector(name: &str, text: &str) -> Vector {
    Vector::parse(name, text).expect("the vector parses")
}

/// `backup_ok_text_and_documents`: its backup bytes and passphrase.
pub fn backup_vector() -> &'static (Vec<u8>, Vec<u8>) {
    static V: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    V.get_or_init(|| {
        let v = vector(
            "backup_ok_text_and_documents",
            include_str!("../../tests/vectors/backup_ok_text_and_documents.vec"),
        );
        (
            unhex(v.get("backup").expect("backup")),
            unhex(v.get("passphrase").expect("passphrase")),
        )
    })
}

/// `keyfile_ok_agency`'s passphrase (its file uses cheap Argon2id
/// settings, so the `keyfile` target derives a key on every input).
pub fn keyfile_passphrase() -> &'static [u8] {
    static P: OnceLock<Vec<u8>> = OnceLock::new();
    P.get_or_init(|| {
        let v = vector(
            "keyfile_ok_agency",
            include_str!("../../tests/vectors/keyfile_ok_agency.vec"),
        );
        unhex(v.get("passphrase").expect("passphrase"))
    })
}

/// `open_ok_text_and_document`: the link, the agency presenting, `now`.
pub fn open_vector() -> &'static (ShareLink, vault_core::PublicId, u64) {
    static V: OnceLock<(ShareLink, vault_core::PublicId, u64)> = OnceLock::new();
    V.get_or_init(|| {
        let v = vector(
            "open_ok_text_and_document",
            include_str!("../../tests/vectors/open_ok_text_and_document.vec"),
        );
        (
            ShareLink::parse(v.get("link").expect("link")).expect("the vector's link"),
            vault_core::PublicId::parse(v.get("presenter").expect("presenter"), Role::Agency)
                .expect("the vector's presenter"),
            v.get("now").expect("now").parse().expect("a number"),
        )
    })
}

/// Splits `data` into a 32-bit little-endian number and the rest (zero if
/// `data` is shorter than 4 bytes).
pub fn take_u32(data: &[u8]) -> (u32, &[u8]) {
    match data.split_first_chunk::<4>() {
        Some((n, rest)) => (u32::from_le_bytes(*n), rest),
        None => (0, data),
    }
}
