//! Consent tokens: the survivor's signed "yes", and everything it limits.
//!
//! ```text
//! token   = "SVCT" ‖ 0x01 ‖ postcard(TokenBody) ‖ signature (64 bytes)
//! signed  = "survivor-vault/v1/consent-token\0" ‖ "SVCT" ‖ 0x01 ‖ postcard(TokenBody)
//! ```
//!
//! The body's public claims are what the relay needs to enforce consent
//! without learning its content: token id, issuer (a pairwise key, never
//! the survivor's main key), audience, validity window, maximum uses, and
//! the length and SHA-256 of the sealed share. The private claims — the
//! scope, the purpose, the hash of the consent text the survivor was shown
//! — are sealed with ChaCha20-Poly1305 under a key derived from the share
//! secret, padded so their length does not reveal the purpose's.
//!
//! Decoding is canonical (no trailing bytes, one encoding per value), the
//! signature is checked with `verify_strict` over the exact bytes
//! received, and only [`UnverifiedToken::verify`] turns bytes into a
//! [`Token`]. See `docs/spec/consent-token-v1.md` for every byte.

#[cfg(test)]
mod tests;

use ed25519_dalek::{Signature, Signer, VerifyingKey};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto;
use crate::format::{self, FrameError};
use crate::id::{Identity, PublicId, Role};
use crate::scope::Scope;
use crate::share::link::{ShareSecret, TokenId};

/// Magic at the start of every token.
pub const MAGIC: &[u8; 4] = b"SVCT";
/// The token version this build writes and reads.
pub const VERSION: u8 = 1;
/// Domain separation for the signature.
pub const SIGNING_LABEL: &[u8] = b"survivor-vault/v1/consent-token\0";
const CLAIMS_AAD_LABEL: &[u8] = b"survivor-vault/v1/claims\0";
/// Sealed claims are padded to a multiple of this many bytes.
pub const CLAIMS_BLOCK: usize = 256;
/// Longest validity window: 90 days. No token lasts for ever.
pub const MAX_VALIDITY_SECS: u64 = 90 * 86_400;
/// Most uses one token can allow.
pub const MAX_USES: u32 = 1000;
/// Longest purpose, in bytes of UTF-8.
pub const MAX_PURPOSE_LEN: usize = 500;
const SIGNATURE_LEN: usize = 64;
/// Smallest `payload_len` a token may sign: the smallest real sealed
/// share, one chunk of [`MIN_PADDED`](crate::share::MIN_PADDED) (4096)
/// plaintext bytes and its 16-byte tag, 4112 bytes. Every share is padded
/// to at least 4096 bytes, so a token naming fewer names no share at all;
/// it is refused (`bad_length`) before anyone fetches or stores a byte.
pub const MIN_PAYLOAD_LEN: u64 = crate::share::MIN_PADDED + crate::crypto::TAG_LEN as u64;

/// The signed body of a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenBody {
    /// HKDF of the share secret; the relay's handle on the share.
    pub token_id: TokenId,
    /// The pairwise Ed25519 key that signs this token.
    pub issuer: [u8; 32],
    /// The agency key that may redeem, or `None` for whoever holds the link.
    pub audience: Option<[u8; 32]>,
    /// First second of validity (seconds since 1970, UTC).
    pub not_before: u64,
    /// First second after validity.
    pub expires: u64,
    /// How many redemptions the relay may allow.
    pub max_uses: u32,
    /// Length in bytes of the sealed share.
    pub payload_len: u64,
    /// SHA-256 of the sealed share.
    pub payload_hash: [u8; 32],
    /// The private claims, sealed and padded.
    pub sealed_claims: Vec<u8>,
}

/// The private claims, readable only with the share secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Which fields the share covers.
    pub scope: Scope,
    /// Why, in the survivor's words.
    pub purpose: String,
    /// SHA-256 of the exact consent text the survivor was shown.
    pub consent_hash: [u8; 32],
}

/// Why a token was refused. `kind()` gives the stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// Not a consent token.
    #[error("{}", crate::msg!("token-bad-magic"))]
    BadMagic,
    /// A version this build does not know.
    #[error("{}", crate::msg!("token-unknown-version"))]
    UnknownVersion,
    /// Bytes after the signature.
    #[error("{}", crate::msg!("token-trailing-bytes"))]
    TrailingBytes,
    /// Cut short, or a body that does not decode.
    #[error("{}", crate::msg!("token-malformed"))]
    Malformed,
    /// A value written in more bytes than it needs.
    #[error("{}", crate::msg!("token-non-canonical"))]
    NonCanonical,
    /// The issuer key is not a valid, strong Ed25519 key.
    #[error("{}", crate::msg!("token-bad-key"))]
    BadKey,
    /// The signature does not verify.
    #[error("{}", crate::msg!("token-bad-signature"))]
    BadSignature,
    /// `max_uses` is 0 or above [`MAX_USES`].
    #[error("{}", crate::msg!("token-bad-uses"))]
    BadUses,
    /// `expires` is not after `not_before`.
    #[error("{}", crate::msg!("token-bad-window"))]
    BadWindow,
    /// Valid for longer than [`MAX_VALIDITY_SECS`].
    #[error("{}", crate::msg!("token-too-long"))]
    TooLong,
    /// `payload_len` is below [`MIN_PAYLOAD_LEN`]: no share is that small.
    #[error("{}", crate::msg!("token-bad-length"))]
    BadLength,
    /// Before `not_before`.
    #[error("{}", crate::msg!("token-not-yet-valid"))]
    NotYetValid,
    /// At or after `expires`.
    #[error("{}", crate::msg!("token-expired"))]
    Expired,
    /// Bound to another agency.
    #[error("{}", crate::msg!("token-wrong-audience"))]
    WrongAudience,
    /// The secret does not belong to this token, or the claims were changed.
    #[error("{}", crate::msg!("token-wrong-secret"))]
    WrongSecret,
}

impl TokenError {
    /// The stable code, as used in test vectors and by the relay.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::BadMagic => "bad_magic",
            Self::UnknownVersion => "unknown_version",
            Self::TrailingBytes => "trailing_bytes",
            Self::Malformed => "malformed",
            Self::NonCanonical => "non_canonical",
            Self::BadKey => "bad_key",
            Self::BadSignature => "bad_signature",
            Self::BadUses => "bad_uses",
            Self::BadWindow => "bad_window",
            Self::TooLong => "too_long",
            Self::BadLength => "bad_length",
            Self::NotYetValid => "not_yet_valid",
            Self::Expired => "expired",
            Self::WrongAudience => "wrong_audience",
            Self::WrongSecret => "wrong_secret",
        }
    }
}

pub(crate) fn claims_aad(token_id: &TokenId) -> Vec<u8> {
    let mut a = CLAIMS_AAD_LABEL.to_vec();
    a.extend_from_slice(token_id);
    a
}

/// Seals claims: postcard, zero-padded to a multiple of [`CLAIMS_BLOCK`],
/// ChaCha20-Poly1305 under the claims key with an all-zero nonce (the key
/// is used exactly once) and the token id in the associated data.
pub fn seal_claims(secret: &ShareSecret, claims: &Claims) -> Vec<u8> {
    let mut buf = Zeroizing::new(format::encode(claims));
    let padded = buf.len().div_ceil(CLAIMS_BLOCK).max(1) * CLAIMS_BLOCK;
    buf.resize(padded, 0);
    let mut out = buf.to_vec();
    secret.claims_key().aead().seal_in_place(
        [0; crypto::NONCE_LEN],
        &claims_aad(&secret.token_id()),
        &mut out,
    );
    out
}

pub(crate) fn open_claims(
    secret: &ShareSecret,
    token_id: &TokenId,
    sealed: &[u8],
) -> Result<Claims, TokenError> {
    let mut buf = Zeroizing::new(sealed.to_vec());
    secret
        .claims_key()
        .aead()
        .open_in_place([0; crypto::NONCE_LEN], &claims_aad(token_id), &mut buf)
        .map_err(|_| TokenError::WrongSecret)?;
    let (claims, rest): (Claims, &[u8]) =
        postcard::take_from_bytes(&buf).map_err(|_| TokenError::Malformed)?;
    let used = buf.len() - rest.len();
    if format::encode(&claims) != buf[..used] {
        return Err(TokenError::NonCanonical);
    }
    if rest.iter().any(|&b| b != 0)
        || buf.len() != used.div_ceil(CLAIMS_BLOCK).max(1) * CLAIMS_BLOCK
    {
        return Err(TokenError::Malformed);
    }
    if claims.purpose.len() > MAX_PURPOSE_LEN || claims.purpose.chars().any(char::is_control) {
        return Err(TokenError::Malformed);
    }
    Ok(claims)
}

/// What a survivor signs, before signing.
#[derive(Debug, Clone)]
pub struct TokenTerms {
    /// The agency, or `None` for whoever holds the link.
    pub audience: Option<PublicId>,
    /// First second of validity.
    pub not_before: u64,
    /// First second after validity.
    pub expires: u64,
    /// How many redemptions.
    pub max_uses: u32,
    /// The private claims.
    pub claims: Claims,
}

impl TokenTerms {
    /// Checks the limits every token must respect.
    pub fn check(&self) -> Result<(), TokenError> {
        check_limits(
            self.not_before,
            self.expires,
            self.max_uses,
            MIN_PAYLOAD_LEN,
        )?;
        if self.claims.purpose.len() > MAX_PURPOSE_LEN
            || self.claims.purpose.chars().any(char::is_control)
        {
            return Err(TokenError::Malformed);
        }
        if self.audience.is_some_and(|a| a.role() != Role::Agency) {
            return Err(TokenError::WrongAudience);
        }
        Ok(())
    }

    /// Builds and signs the token bytes with the pairwise `issuer` key.
    pub fn sign(
        &self,
        issuer: &Identity,
        secret: &ShareSecret,
        payload_len: u64,
        payload_hash: [u8; 32],
    ) -> Result<Vec<u8>, TokenError> {
        self.check()?;
        if payload_len < MIN_PAYLOAD_LEN {
            return Err(TokenError::BadLength);
        }
        let body = TokenBody {
            token_id: secret.token_id(),
            issuer: *issuer.public().key_bytes(),
            audience: self.audience.map(|a| *a.key_bytes()),
            not_before: self.not_before,
            expires: self.expires,
            max_uses: self.max_uses,
            payload_len,
            payload_hash,
            sealed_claims: seal_claims(secret, &self.claims),
        };
        Ok(sign_body(issuer, &body))
    }
}

/// Frames and signs `body` (also used by vectors to make bad tokens).
pub fn sign_body(issuer: &Identity, body: &TokenBody) -> Vec<u8> {
    let mut bytes = format::frame(MAGIC, VERSION, body);
    let sig = issuer.signing_key().sign(&signed_message(&bytes));
    bytes.extend_from_slice(&sig.to_bytes());
    bytes
}

fn signed_message(framed: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(SIGNING_LABEL.len() + framed.len());
    m.extend_from_slice(SIGNING_LABEL);
    m.extend_from_slice(framed);
    m
}

/// V1–V3a of consent-token-v1 §9.2: the limits, which need no key.
fn check_limits(
    not_before: u64,
    expires: u64,
    max_uses: u32,
    payload_len: u64,
) -> Result<(), TokenError> {
    if max_uses == 0 || max_uses > MAX_USES {
        return Err(TokenError::BadUses);
    }
    if expires <= not_before {
        return Err(TokenError::BadWindow);
    }
    if expires - not_before > MAX_VALIDITY_SECS {
        return Err(TokenError::TooLong);
    }
    if payload_len < MIN_PAYLOAD_LEN {
        return Err(TokenError::BadLength);
    }
    Ok(())
}

/// Token bytes that decode, not yet verified. Only the token id may be
/// used before [`UnverifiedToken::verify`] (to look the token up).
#[derive(Debug, Clone)]
pub struct UnverifiedToken {
    bytes: Vec<u8>,
    body: TokenBody,
}

impl UnverifiedToken {
    /// Decodes canonically: magic, version, one canonical body, exactly 64
    /// signature bytes, nothing after.
    pub fn decode(bytes: &[u8]) -> Result<Self, TokenError> {
        let rest = bytes.strip_prefix(MAGIC).ok_or(TokenError::BadMagic)?;
        let (&version, body_and_sig) = rest.split_first().ok_or(TokenError::Malformed)?;
        if version != VERSION {
            return Err(TokenError::UnknownVersion);
        }
        let (body, after): (TokenBody, &[u8]) =
            postcard::take_from_bytes(body_and_sig).map_err(|_| TokenError::Malformed)?;
        let body_len = body_and_sig.len() - after.len();
        if after.len() < SIGNATURE_LEN {
            return Err(TokenError::Malformed);
        }
        if after.len() > SIGNATURE_LEN {
            return Err(TokenError::TrailingBytes);
        }
        if format::encode(&body) != body_and_sig[..body_len] {
            return Err(TokenError::NonCanonical);
        }
        Ok(Self {
            bytes: bytes.to_vec(),
            body,
        })
    }

    /// The token id (safe to use before verification, for look-up only).
    pub fn token_id(&self) -> &TokenId {
        &self.body.token_id
    }

    /// The exact bytes decoded.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The claims as decoded, NOT verified: for routing and display of a
    /// token that was verified earlier (for example when it was stored).
    pub fn body(&self) -> &TokenBody {
        &self.body
    }

    /// Checks the limits, the issuer key and the signature only (no time,
    /// no audience): whether these are the bytes the issuer signed.
    pub fn verify_signature(&self) -> Result<(), TokenError> {
        let b = &self.body;
        check_limits(b.not_before, b.expires, b.max_uses, b.payload_len)?;
        let key = VerifyingKey::from_bytes(&b.issuer).map_err(|_| TokenError::BadKey)?;
        if key.is_weak() {
            return Err(TokenError::BadKey);
        }
        let split = self.bytes.len() - SIGNATURE_LEN;
        let sig =
            Signature::from_slice(&self.bytes[split..]).map_err(|_| TokenError::BadSignature)?;
        key.verify_strict(&signed_message(&self.bytes[..split]), &sig)
            .map_err(|_| TokenError::BadSignature)
    }

    /// Verifies everything that needs no secret, in this order: limits,
    /// issuer key, signature (`verify_strict`, over the exact bytes), time
    /// window at `now`, audience. `presenter` is the agency redeeming; a
    /// token with an audience refuses any other presenter, and none.
    pub fn verify(self, now: u64, presenter: Option<&PublicId>) -> Result<Token, TokenError> {
        self.verify_signature()?;
        let b = &self.body;
        if now < b.not_before {
            return Err(TokenError::NotYetValid);
        }
        if now >= b.expires {
            return Err(TokenError::Expired);
        }
        if let Some(aud) = &b.audience {
            let ok = presenter.is_some_and(|p| p.role() == Role::Agency && p.key_bytes() == aud);
            if !ok {
                return Err(TokenError::WrongAudience);
            }
        }
        Ok(Token {
            bytes: self.bytes,
            body: self.body,
        })
    }
}

/// A token whose signature, limits, window and audience were verified.
#[derive(Debug, Clone)]
pub struct Token {
    bytes: Vec<u8>,
    body: TokenBody,
}

impl Token {
    /// The exact bytes that were verified.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The verified body.
    pub fn body(&self) -> &TokenBody {
        &self.body
    }

    /// The issuer's pairwise id, as the agency knows the survivor.
    pub fn issuer(&self) -> PublicId {
        PublicId::new(
            Role::Survivor,
            &VerifyingKey::from_bytes(&self.body.issuer).expect("verify checked the issuer key"),
        )
    }

    /// The audience, if the token is bound to one agency.
    pub fn audience(&self) -> Option<PublicId> {
        self.body
            .audience
            .and_then(|a| PublicId::from_key_bytes(Role::Agency, &a))
    }

    /// Opens the private claims with the share secret, after checking that
    /// the secret derives this token's id.
    pub fn open_claims(&self, secret: &ShareSecret) -> Result<Claims, TokenError> {
        let derived = secret.token_id();
        if !bool::from(subtle::ConstantTimeEq::ct_eq(
            &derived[..],
            &self.body.token_id[..],
        )) {
            return Err(TokenError::WrongSecret);
        }
        open_claims(secret, &self.body.token_id, &self.body.sealed_claims)
    }
}

impl From<FrameError> for TokenError {
    fn from(e: FrameError) -> Self {
        match e {
            FrameError::BadMagic => Self::BadMagic,
            FrameError::UnknownVersion => Self::UnknownVersion,
            _ => Self::Malformed,
        }
    }
}

/// SHA-256 of the consent text, as signed in the claims.
pub fn consent_hash(text: &str) -> [u8; 32] {
    crypto::sha256(&[text.as_bytes()])
}
