//! Opening what an agency received: the one path from the relay's answer
//! to verified fields.
//!
//! The relay counts a use before it answers, and its answer is untrusted.
//! [`open_received`] runs every check an agency must make, in one order
//! (consent-token-v1 §11.1, steps O1–O9), on the whole share, and returns
//! a [`Received`] only if all of them pass. Nothing here does I/O or reads
//! a clock: the time is a parameter and the share is in memory, so the CLI
//! (which then writes files) and the browser (which then makes downloads)
//! call the same code and cannot disagree.
//!
//! ```text
//! O1  the token decodes and verifies at `now` for `me`     D1–D6, V1–V8
//! O2  its token id is the link's                           wrong_token_id
//! O3  the share is the one the token signs                 not_signed      (S1)
//! O4  the claims open with the link's secret               C1–C6
//! O5  the share opens and its manifest is sound            bad_share       (S2–S5)
//! O6  the consent text is the one the survivor saw         consent_mismatch (S6)
//! O7  every field is within the scope                      out_of_scope    (S7)
//! O8  every entry, the padding and the end read            bad_share       (S8–S9)
//! O9  the relay's receipt verifies and matches             malformed_answer, bad_receipt
//! ```
//!
//! The first failing step decides the error.

use ed25519_dalek::Signature;

use super::link::ShareLink;
use super::{Manifest, ShareError, ShareReader};
use crate::crypto;
use crate::format;
use crate::id::{PublicId, Role};
use crate::relay::api::RedeemResponse;
use crate::relay::redeem::{Receipt, RECEIPT_LABEL};
use crate::relay::{unb64, unb64_array};
use crate::token::{self, Claims, Token, TokenError, UnverifiedToken};

/// A part of the relay's answer, to say which one could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Part {
    /// The token.
    Token,
    /// The sealed share.
    Share,
    /// The receipt.
    Receipt,
    /// The receipt's signature.
    ReceiptSignature,
    /// The relay's id.
    Relay,
}

/// Why what an agency received could not be opened. One variant per rule
/// of the open step; `kind()` is the stable code the vectors use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// A part of the answer is not in its encoding (base64url, a relay
    /// id, a 64-byte signature, a canonical receipt).
    #[error("{}", crate::msg!("open-unreadable", part = match .0 {
        Part::Token => "token",
        Part::Share => "share",
        Part::Receipt => "receipt",
        Part::ReceiptSignature => "receipt-signature",
        Part::Relay => "relay",
    }))]
    Unreadable(Part),
    /// The token was refused (O1, O4): its own rule says which.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The token is not the one the link is for (O2).
    #[error("{}", crate::msg!("open-wrong-token-id"))]
    WrongTokenId,
    /// The sealed share is not the one the token signed (O3).
    #[error("{}", crate::msg!("open-not-signed"))]
    NotSigned,
    /// The share does not decrypt or breaks its layout (O5, O8). Opaque:
    /// it does not say which check failed.
    #[error("{}", crate::msg!("open-bad-share"))]
    BadShare,
    /// The consent text in the share is not the one the claims sign (O6).
    #[error("{}", crate::msg!("open-consent-mismatch"))]
    ConsentMismatch,
    /// The share holds a field the scope does not cover (O7).
    #[error("{}", crate::msg!("open-out-of-scope"))]
    OutOfScope,
    /// The relay's receipt does not verify, or does not match the link,
    /// the token or the share (O9).
    #[error("{}", crate::msg!("open-bad-receipt"))]
    BadReceipt,
}

impl OpenError {
    /// The stable code: a token's own code, or the open step's.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unreadable(_) => "malformed_answer",
            Self::Token(e) => e.kind(),
            Self::WrongTokenId => "wrong_token_id",
            Self::NotSigned => "not_signed",
            Self::BadShare => "bad_share",
            Self::ConsentMismatch => "consent_mismatch",
            Self::OutOfScope => "out_of_scope",
            Self::BadReceipt => "bad_receipt",
        }
    }
}

impl From<ShareError> for OpenError {
    fn from(_: ShareError) -> Self {
        // The share is in memory: every failure is the share's own.
        Self::BadShare
    }
}

/// The relay's answer to a redemption, its binary parts decoded. Nothing
/// in it is verified.
#[derive(Clone)]
pub struct Answer {
    /// The token bytes.
    pub token: Vec<u8>,
    /// The sealed share.
    pub share: Vec<u8>,
    /// `postcard(Receipt)`, exactly as the relay signed it.
    pub receipt: Vec<u8>,
    /// The relay's signature on the receipt.
    pub receipt_signature: [u8; 64],
    /// The relay's key.
    pub relay: PublicId,
}

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answer")
            .field("token_len", &self.token.len())
            .field("share_len", &self.share.len())
            .field("relay", &self.relay)
            .finish_non_exhaustive()
    }
}

impl Answer {
    /// Decodes the JSON answer's fields (base64url without padding, a
    /// `relay1…` id), in the order token, share, receipt, signature, relay.
    pub fn from_response(r: &RedeemResponse) -> Result<Self, OpenError> {
        let read = |s: &str, part| unb64(s).ok_or(OpenError::Unreadable(part));
        Ok(Self {
            token: read(&r.token, Part::Token)?,
            share: read(&r.share, Part::Share)?,
            receipt: read(&r.receipt, Part::Receipt)?,
            receipt_signature: unb64_array(&r.receipt_signature)
                .ok_or(OpenError::Unreadable(Part::ReceiptSignature))?,
            relay: PublicId::parse(&r.relay, Role::Relay)
                .map_err(|_| OpenError::Unreadable(Part::Relay))?,
        })
    }
}

/// What an agency received, every check passed.
pub struct Received {
    /// The verified token.
    pub token: Token,
    /// Its opened claims (scope, purpose, consent hash).
    pub claims: Claims,
    /// What the share holds, in order; its consent text is the one the
    /// survivor saw.
    pub manifest: Manifest,
    /// The relay's verified receipt (use number, time).
    pub receipt: Receipt,
    /// The relay that signed the receipt.
    pub relay: PublicId,
    link: ShareLink,
    share: Vec<u8>,
}

impl std::fmt::Debug for Received {
    /// Says which use it is, never what was shared (the purpose, the
    /// consent text and the field names are the survivor's).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Received")
            .field("use_number", &self.receipt.use_number)
            .field("max_uses", &self.receipt.max_uses)
            .field("entries", &self.manifest.entries.len())
            .finish_non_exhaustive()
    }
}

impl Received {
    /// The sealed share's bytes, as the token signs them.
    pub fn share(&self) -> &[u8] {
        &self.share
    }

    /// A reader positioned at the first entry: read each entry of
    /// [`Received::manifest`] in order with
    /// [`ShareReader::copy_entry`] (to a file, a buffer, a Blob). The bytes
    /// were all checked already, so only the writer can fail.
    pub fn entries(&self) -> Result<ShareReader<&[u8]>, OpenError> {
        let (_, reader) =
            ShareReader::open(self.link.secret(), self.share.len() as u64, &self.share[..])?;
        Ok(reader)
    }
}

/// Opens what the relay answered for `link`, as the agency `me` (or as
/// anyone, `None`), at `now` (seconds since 1970), with the checks O1–O9 in
/// the module's order. The receipt must name the link's origin: the relay
/// the agency asked.
pub fn open_received(
    answer: Answer,
    link: &ShareLink,
    me: Option<&PublicId>,
    now: u64,
) -> Result<Received, OpenError> {
    let secret = link.secret();
    let token_id = secret.token_id();
    // O1
    let token = UnverifiedToken::decode(&answer.token)?.verify(now, me)?;
    let body = token.body();
    // O2
    if body.token_id != token_id {
        return Err(OpenError::WrongTokenId);
    }
    // O3
    let share = answer.share;
    if share.len() as u64 != body.payload_len || crypto::sha256(&[&share]) != body.payload_hash {
        return Err(OpenError::NotSigned);
    }
    // O4
    let claims = token.open_claims(secret)?;
    // O5
    let (manifest, mut reader) = ShareReader::open(secret, share.len() as u64, &share[..])?;
    // O6
    if token::consent_hash(&manifest.consent_text) != claims.consent_hash {
        return Err(OpenError::ConsentMismatch);
    }
    // O7
    if !manifest
        .entries
        .iter()
        .all(|e| claims.scope.covers(&e.path))
    {
        return Err(OpenError::OutOfScope);
    }
    // O8: a full pass that keeps nothing.
    for e in &manifest.entries {
        reader.copy_entry(e.len, &mut std::io::sink())?;
    }
    reader.finish()?;
    // O9
    let receipt: Receipt = format::decode_canonical(&answer.receipt)
        .map_err(|_| OpenError::Unreadable(Part::Receipt))?;
    let signed = [RECEIPT_LABEL, &answer.receipt[..]].concat();
    let genuine = answer
        .relay
        .verifying_key()
        .verify_strict(&signed, &Signature::from_bytes(&answer.receipt_signature))
        .is_ok();
    if !genuine
        || receipt.origin != link.origin()
        || receipt.token_id != token_id
        || receipt.payload_hash != body.payload_hash
        || receipt.max_uses != body.max_uses
        || receipt.use_number == 0
        || receipt.use_number > body.max_uses
        || (body.audience.is_some() && receipt.agency != body.audience)
    {
        return Err(OpenError::BadReceipt);
    }
    Ok(Received {
        token,
        claims,
        manifest,
        receipt,
        relay: answer.relay,
        link: link.clone(),
        share,
    })
}

#[cfg(test)]
pub(crate) mod tests;
