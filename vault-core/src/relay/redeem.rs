//! Redemption: the agency's proof and the relay's receipt.
//!
//! An audience-bound token is redeemed only with a fresh signature by that
//! agency's key over
//! `"survivor-vault/v1/redeem\0" ‖ origin ‖ 0x00 ‖ token id ‖ be64(timestamp)`.
//! The relay answers a redemption with a receipt it signs:
//! `"survivor-vault/v1/receipt\0" ‖ postcard(Receipt)`.

use ed25519_dalek::{Signature, Signer};
use serde::{Deserialize, Serialize};

use crate::format;
use crate::id::{Identity, PublicId};
use crate::share::link::TokenId;

/// Domain separation for the agency's proof.
pub const PROOF_LABEL: &[u8] = b"survivor-vault/v1/redeem\0";
/// Domain separation for receipts.
pub const RECEIPT_LABEL: &[u8] = b"survivor-vault/v1/receipt\0";

/// The bytes an agency signs to redeem `token_id` at `origin`.
pub fn proof_message(origin: &str, token_id: &TokenId, timestamp: u64) -> Vec<u8> {
    let mut m = PROOF_LABEL.to_vec();
    m.extend_from_slice(origin.as_bytes());
    m.push(0);
    m.extend_from_slice(token_id);
    m.extend_from_slice(&timestamp.to_be_bytes());
    m
}

/// The agency's proof for `token_id`.
pub fn prove(agency: &Identity, origin: &str, token_id: &TokenId, timestamp: u64) -> [u8; 64] {
    agency
        .signing_key()
        .sign(&proof_message(origin, token_id, timestamp))
        .to_bytes()
}

/// Checks an agency's proof (strictly).
pub fn check_proof(
    agency: &PublicId,
    origin: &str,
    token_id: &TokenId,
    timestamp: u64,
    proof: &[u8; 64],
) -> bool {
    agency
        .verifying_key()
        .verify_strict(
            &proof_message(origin, token_id, timestamp),
            &Signature::from_bytes(proof),
        )
        .is_ok()
}

/// What the relay attests about one redemption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The relay's origin.
    pub origin: String,
    /// The token redeemed.
    pub token_id: TokenId,
    /// This redemption's number, from 1.
    pub use_number: u32,
    /// The token's maximum.
    pub max_uses: u32,
    /// When (seconds since 1970).
    pub at: u64,
    /// The agency that proved itself, if the token is audience-bound.
    pub agency: Option<[u8; 32]>,
    /// SHA-256 of the sealed share handed over.
    pub payload_hash: [u8; 32],
}

impl Receipt {
    /// The exact bytes the relay signs.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let mut m = RECEIPT_LABEL.to_vec();
        m.extend_from_slice(&format::encode(self));
        m
    }

    /// Signs with the relay's key.
    pub fn sign(&self, relay: &Identity) -> [u8; 64] {
        relay.signing_key().sign(&self.signed_bytes()).to_bytes()
    }

    /// Checks the relay's signature (strictly).
    pub fn verify(&self, relay: &PublicId, sig: &[u8; 64]) -> bool {
        relay
            .verifying_key()
            .verify_strict(&self.signed_bytes(), &Signature::from_bytes(sig))
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::Role;

    #[test]
    fn proof_binds_origin_token_and_time() {
        let a = Identity::from_seed(Role::Agency, &[3; 32]);
        let p = prove(&a, "https://r.example", &[1; 32], 100);
        assert!(check_proof(
            &a.public(),
            "https://r.example",
            &[1; 32],
            100,
            &p
        ));
        assert!(!check_proof(
            &a.public(),
            "https://other.example",
            &[1; 32],
            100,
            &p
        ));
        assert!(!check_proof(
            &a.public(),
            "https://r.example",
            &[2; 32],
            100,
            &p
        ));
        assert!(!check_proof(
            &a.public(),
            "https://r.example",
            &[1; 32],
            101,
            &p
        ));
        let b = Identity::from_seed(Role::Agency, &[4; 32]);
        assert!(!check_proof(
            &b.public(),
            "https://r.example",
            &[1; 32],
            100,
            &p
        ));
    }

    #[test]
    fn receipt_signature_covers_every_field() {
        let relay = Identity::from_seed(Role::Relay, &[5; 32]);
        let r = Receipt {
            origin: "https://r.example".into(),
            token_id: [1; 32],
            use_number: 1,
            max_uses: 1,
            at: 100,
            agency: None,
            payload_hash: [2; 32],
        };
        let sig = r.sign(&relay);
        assert!(r.verify(&relay.public(), &sig));
        let mut changed = r.clone();
        changed.use_number = 2;
        assert!(!changed.verify(&relay.public(), &sig));
    }
}
