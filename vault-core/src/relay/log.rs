//! The survivor's audit log at the relay: append-only and hash-chained,
//! with a head the relay signs.
//!
//! Entry `n` (from 1) is `postcard(Entry)`; the chain is
//! `h(0) = 32 zero bytes`,
//! `h(n) = SHA-256("survivor-vault/v1/log\0" ‖ h(n-1) ‖ entry n)`.
//! The head is `(survivor key, n, h(n), time)`, signed by the relay over
//! `"survivor-vault/v1/log-head\0" ‖ survivor key ‖ be64(n) ‖ h(n) ‖ be64(time)`.
//!
//! A survivor's CLI checks the chain and the signature, and remembers the
//! last head it saw; a later log must still contain that entry with that
//! hash. So the relay cannot rewrite or cut history without the survivor
//! being told, once they have seen it.

use ed25519_dalek::{Signature, Signer};
use serde::{Deserialize, Serialize};

use crate::crypto;
use crate::format;
use crate::id::{Identity, PublicId};
use crate::share::link::TokenId;

/// Domain separation for the chain.
pub const CHAIN_LABEL: &[u8] = b"survivor-vault/v1/log\0";
/// Domain separation for heads.
pub const HEAD_LABEL: &[u8] = b"survivor-vault/v1/log-head\0";

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// A share was uploaded.
    ShareCreated {
        /// The token.
        token_id: TokenId,
        /// Its audience, if bound.
        audience: Option<[u8; 32]>,
        /// Its expiry.
        expires: u64,
        /// Its maximum uses.
        max_uses: u32,
    },
    /// A share was redeemed.
    Redeemed {
        /// The token.
        token_id: TokenId,
        /// The agency that proved itself (audience-bound tokens).
        agency: Option<[u8; 32]>,
        /// Which use this was.
        use_number: u32,
    },
    /// A redemption was refused.
    Refused {
        /// The token.
        token_id: TokenId,
        /// The agency that claimed to redeem, if any.
        agency: Option<[u8; 32]>,
        /// The refusal code.
        reason: String,
    },
    /// A share was withdrawn.
    Revoked {
        /// The token.
        token_id: TokenId,
        /// Who withdrew it (survivor main key or advocate key).
        by: [u8; 32],
        /// Whether `by` is an advocate.
        by_advocate: bool,
    },
    /// An advocate was allowed to list and withdraw shares.
    DelegationAdded {
        /// The advocate.
        advocate: [u8; 32],
        /// Until when.
        until: u64,
    },
    /// An advocate's permission was removed.
    DelegationRemoved {
        /// The advocate.
        advocate: [u8; 32],
    },
}

/// One log entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Position, from 1.
    pub seq: u64,
    /// When (seconds since 1970).
    pub at: u64,
    /// What.
    pub event: Event,
}

/// The signed head of a log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    /// Number of entries.
    pub seq: u64,
    /// `h(seq)`.
    pub hash: [u8; 32],
    /// When the relay signed it.
    pub at: u64,
}

/// `h(n)` from `h(n-1)` and entry `n`'s bytes.
pub fn chain(prev: &[u8; 32], entry_bytes: &[u8]) -> [u8; 32] {
    crypto::sha256(&[CHAIN_LABEL, prev, entry_bytes])
}

impl Head {
    /// The head of an empty log.
    pub const EMPTY: [u8; 32] = [0; 32];

    fn message(&self, survivor: &PublicId) -> Vec<u8> {
        let mut m = HEAD_LABEL.to_vec();
        m.extend_from_slice(survivor.key_bytes());
        m.extend_from_slice(&self.seq.to_be_bytes());
        m.extend_from_slice(&self.hash);
        m.extend_from_slice(&self.at.to_be_bytes());
        m
    }

    /// The relay's signature on this head for `survivor`.
    pub fn sign(&self, relay: &Identity, survivor: &PublicId) -> [u8; 64] {
        relay.signing_key().sign(&self.message(survivor)).to_bytes()
    }

    /// Checks the relay's signature (strictly).
    pub fn verify(&self, relay: &PublicId, survivor: &PublicId, sig: &[u8; 64]) -> bool {
        relay
            .verifying_key()
            .verify_strict(&self.message(survivor), &Signature::from_bytes(sig))
            .is_ok()
    }
}

/// What a survivor remembers of a log: the last head seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// Entries seen.
    pub seq: u64,
    /// `h(seq)`.
    pub hash: [u8; 32],
}

/// Why a log did not check out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LogError {
    /// An entry does not decode, or is out of sequence.
    #[error("{}", crate::msg!("log-damaged"))]
    Damaged,
    /// The entries do not hash to the signed head.
    #[error("{}", crate::msg!("log-chain-mismatch"))]
    ChainMismatch,
    /// The head's signature is not the relay's.
    #[error("{}", crate::msg!("log-bad-signature"))]
    BadSignature,
    /// The log no longer contains what was seen before.
    #[error("{}", crate::msg!("log-rewritten"))]
    Rewritten,
}

/// Checks a whole log: every entry decodes canonically and is in
/// sequence, the chain reaches the signed head, the relay signed it, and
/// it extends `seen`. Returns the entries and the new [`Seen`].
pub fn verify_log(
    entries: &[Vec<u8>],
    head: &Head,
    signature: &[u8; 64],
    relay: &PublicId,
    survivor: &PublicId,
    seen: Option<Seen>,
) -> Result<(Vec<Entry>, Seen), LogError> {
    if !head.verify(relay, survivor, signature) {
        return Err(LogError::BadSignature);
    }
    let mut hash = Head::EMPTY;
    let mut out = Vec::with_capacity(entries.len());
    let mut matched_seen = seen.is_none_or(|s| s.seq == 0 && s.hash == Head::EMPTY);
    for (i, bytes) in entries.iter().enumerate() {
        let entry: Entry = format::decode_canonical(bytes).map_err(|_| LogError::Damaged)?;
        if entry.seq != i as u64 + 1 {
            return Err(LogError::Damaged);
        }
        hash = chain(&hash, bytes);
        if let Some(s) = seen {
            if s.seq == entry.seq {
                if s.hash != hash {
                    return Err(LogError::Rewritten);
                }
                matched_seen = true;
            }
        }
        out.push(entry);
    }
    if head.seq != entries.len() as u64 || head.hash != hash {
        return Err(LogError::ChainMismatch);
    }
    if !matched_seen {
        return Err(LogError::Rewritten);
    }
    Ok((
        out,
        Seen {
            seq: head.seq,
            hash,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::Role;

    fn relay() -> Identity {
        Identity::from_seed(Role::Relay, &[7; 32])
    }

    fn survivor() -> PublicId {
        Identity::from_seed(Role::Survivor, &[8; 32]).public()
    }

    fn log(n: u64) -> (Vec<Vec<u8>>, Head, [u8; 64]) {
        let mut hash = Head::EMPTY;
        let mut entries = Vec::new();
        for seq in 1..=n {
            let e = Entry {
                seq,
                at: 100 + seq,
                event: Event::Redeemed {
                    token_id: [seq as u8; 32],
                    agency: None,
                    use_number: 1,
                },
            };
            let bytes = format::encode(&e);
            hash = chain(&hash, &bytes);
            entries.push(bytes);
        }
        let head = Head {
            seq: n,
            hash,
            at: 500,
        };
        let sig = head.sign(&relay(), &survivor());
        (entries, head, sig)
    }

    #[test]
    fn accepts_a_growing_log() {
        let (e, h, s) = log(3);
        let (_, seen) =
            verify_log(&e, &h, &s, &relay().public(), &survivor(), None).expect("valid");
        let (e, h, s) = log(5);
        let (entries, _) =
            verify_log(&e, &h, &s, &relay().public(), &survivor(), Some(seen)).expect("extends");
        assert_eq!(entries.len(), 5);
    }

    #[test]
    fn detects_truncation_after_a_seen_head() {
        let (e, h, s) = log(5);
        let (_, seen) =
            verify_log(&e, &h, &s, &relay().public(), &survivor(), None).expect("valid");
        let (e, h, s) = log(3);
        assert_eq!(
            verify_log(&e, &h, &s, &relay().public(), &survivor(), Some(seen)).err(),
            Some(LogError::Rewritten)
        );
    }

    #[test]
    fn detects_a_changed_entry() {
        let (mut e, h, s) = log(3);
        e[1] = format::encode(&Entry {
            seq: 2,
            at: 999,
            event: Event::DelegationRemoved { advocate: [0; 32] },
        });
        assert_eq!(
            verify_log(&e, &h, &s, &relay().public(), &survivor(), None).err(),
            Some(LogError::ChainMismatch)
        );
    }

    #[test]
    fn detects_rewritten_history_with_a_valid_new_head() {
        let (e, h, s) = log(3);
        let (_, seen) =
            verify_log(&e, &h, &s, &relay().public(), &survivor(), None).expect("valid");
        // The relay rebuilds a different history of the same length and signs it.
        let mut hash = Head::EMPTY;
        let mut forged = Vec::new();
        for seq in 1..=4u64 {
            let bytes = format::encode(&Entry {
                seq,
                at: 1,
                event: Event::DelegationRemoved {
                    advocate: [seq as u8; 32],
                },
            });
            hash = chain(&hash, &bytes);
            forged.push(bytes);
        }
        let head = Head {
            seq: 4,
            hash,
            at: 600,
        };
        let sig = head.sign(&relay(), &survivor());
        assert_eq!(
            verify_log(
                &forged,
                &head,
                &sig,
                &relay().public(),
                &survivor(),
                Some(seen)
            )
            .err(),
            Some(LogError::Rewritten)
        );
    }

    #[test]
    fn rejects_head_signed_by_another_key() {
        let (e, h, _) = log(2);
        let other = Identity::from_seed(Role::Relay, &[9; 32]);
        let sig = h.sign(&other, &survivor());
        assert_eq!(
            verify_log(&e, &h, &sig, &relay().public(), &survivor(), None).err(),
            Some(LogError::BadSignature)
        );
    }
}
