//! Identities and their printed form.
//!
//! Every survivor, agency and advocate has an Ed25519 key pair. The public
//! key is printed as Bech32m (BIP-350) with the role as the human-readable
//! part: `survivor1…`, `agency1…`, `advocate1…`. The checksum catches every
//! single typo and almost every longer one, and the role prefix means an
//! agency id can never be accepted where a survivor id is expected.

use std::fmt;
use std::str::FromStr;

use bech32::primitives::decode::CheckedHrpstring;
use bech32::{Bech32m, Hrp};
use ed25519_dalek::{SigningKey, VerifyingKey};
use zeroize::Zeroizing;

use crate::crypto::{self, CryptoError};

/// Who an identity belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A person keeping a vault.
    Survivor,
    /// A service that redeems consent tokens.
    Agency,
    /// A case worker who may revoke on a survivor's request.
    Advocate,
    /// The relay server (signs receipts and log heads).
    Relay,
}

impl Role {
    /// The human-readable part of the printed id.
    pub fn prefix(self) -> &'static str {
        match self {
            Role::Survivor => "survivor",
            Role::Agency => "agency",
            Role::Advocate => "advocate",
            Role::Relay => "relay",
        }
    }

    fn from_prefix(s: &str) -> Option<Self> {
        [Role::Survivor, Role::Agency, Role::Advocate, Role::Relay]
            .into_iter()
            .find(|r| r.prefix() == s)
    }

    /// The byte that stands for the role wherever a sealed identity is
    /// stored: the vault's identity record and the agency key file
    /// (`docs/spec/vault-format.md`, `docs/spec/agency-key-v1.md`).
    pub fn code(self) -> u8 {
        match self {
            Role::Survivor => 1,
            Role::Agency => 2,
            Role::Advocate => 3,
            Role::Relay => 4,
        }
    }

    /// The role a stored byte stands for (the inverse of [`Role::code`]).
    pub fn from_code(b: u8) -> Option<Self> {
        [Role::Survivor, Role::Agency, Role::Advocate, Role::Relay]
            .into_iter()
            .find(|r| r.code() == b)
    }

    /// The role in plain words, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Role::Survivor => "a survivor",
            Role::Agency => "an agency",
            Role::Advocate => "an advocate",
            Role::Relay => "a relay",
        }
    }
}

/// Why a printed id was refused. Every message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// Nothing was given.
    #[error("{}", crate::msg!("id-empty", expected_prefix = .expected.prefix()))]
    Empty {
        /// The role that was expected.
        expected: Role,
    },
    /// A well-formed id of another role.
    #[error("{}", crate::msg!("id-wrong-role", found = .found.prefix(), expected = .expected.prefix()))]
    WrongRole {
        /// The role that was expected.
        expected: Role,
        /// The role the id has.
        found: Role,
    },
    /// Typo, truncation, or not an id at all.
    #[error("{}", crate::msg!("id-malformed", expected_prefix = .expected.prefix()))]
    Malformed {
        /// The role that was expected.
        expected: Role,
    },
}

/// A public identity: a role and an Ed25519 public key.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicId {
    role: Role,
    key: [u8; 32],
}

impl PublicId {
    /// The id of `key` in `role`.
    pub fn new(role: Role, key: &VerifyingKey) -> Self {
        Self {
            role,
            key: key.to_bytes(),
        }
    }

    /// The id of raw key bytes, if they are a valid Ed25519 key.
    pub fn from_key_bytes(role: Role, key: &[u8; 32]) -> Option<Self> {
        VerifyingKey::from_bytes(key)
            .ok()
            .map(|k| Self::new(role, &k))
    }

    /// The role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The raw 32-byte public key.
    pub fn key_bytes(&self) -> &[u8; 32] {
        &self.key
    }

    /// The key, ready to verify with (`verify_strict`).
    pub fn verifying_key(&self) -> VerifyingKey {
        VerifyingKey::from_bytes(&self.key).expect("a PublicId only ever holds a valid key")
    }

    /// Parses a printed id, requiring `expected` as its role.
    ///
    /// Rule: Bech32m only, lower case (upper case is accepted and folded,
    /// mixed case is not), the human-readable part must be `expected`'s,
    /// the data exactly 32 bytes and a valid Ed25519 point.
    pub fn parse(s: &str, expected: Role) -> Result<Self, IdError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(IdError::Empty { expected });
        }
        let malformed = IdError::Malformed { expected };
        let checked = CheckedHrpstring::new::<Bech32m>(s).map_err(|_| malformed.clone())?;
        let hrp = checked.hrp().to_lowercase();
        let role = Role::from_prefix(&hrp).ok_or_else(|| malformed.clone())?;
        let bytes: Vec<u8> = checked.byte_iter().collect();
        let key: [u8; 32] = bytes.try_into().map_err(|_| malformed.clone())?;
        VerifyingKey::from_bytes(&key).map_err(|_| malformed)?;
        if role != expected {
            return Err(IdError::WrongRole {
                expected,
                found: role,
            });
        }
        Ok(Self { role, key })
    }
}

impl fmt::Display for PublicId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hrp = Hrp::parse(self.role.prefix()).expect("role prefixes are valid HRPs");
        let s = bech32::encode_lower::<Bech32m>(hrp, &self.key).map_err(|_| fmt::Error)?;
        f.write_str(&s)
    }
}

impl fmt::Debug for PublicId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicId({self})")
    }
}

impl FromStr for PublicId {
    type Err = IdError;
    /// Parses an id of any role.
    fn from_str(s: &str) -> Result<Self, IdError> {
        let prefix = s.trim().split('1').next().unwrap_or("").to_lowercase();
        let role = Role::from_prefix(&prefix).unwrap_or(Role::Survivor);
        Self::parse(s, role)
    }
}

/// A secret identity: an Ed25519 signing key, wiped on drop.
pub struct Identity {
    role: Role,
    key: SigningKey,
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Identity({})", self.public())
    }
}

impl Identity {
    /// A fresh identity from the system CSPRNG.
    pub fn generate(role: Role) -> Result<Self, CryptoError> {
        let seed = Zeroizing::new(crypto::random_array::<32>()?);
        Ok(Self::from_seed(role, &seed))
    }

    /// The identity whose 32-byte Ed25519 seed is `seed`.
    pub fn from_seed(role: Role, seed: &[u8; 32]) -> Self {
        Self {
            role,
            key: SigningKey::from_bytes(seed),
        }
    }

    /// The 32-byte seed, for sealing into a vault.
    pub fn seed(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.key.to_bytes())
    }

    /// The role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The public id.
    pub fn public(&self) -> PublicId {
        PublicId::new(self.role, &self.key.verifying_key())
    }

    /// The signing key, for the token layer.
    pub fn signing_key(&self) -> &SigningKey {
        &self.key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(role: Role) -> PublicId {
        Identity::from_seed(role, &[42; 32]).public()
    }

    #[test]
    fn prints_with_role_prefix_and_parses_back() {
        for role in [Role::Survivor, Role::Agency, Role::Advocate] {
            let s = id(role).to_string();
            assert!(s.starts_with(&format!("{}1", role.prefix())), "{s}");
            assert_eq!(PublicId::parse(&s, role), Ok(id(role)));
            assert_eq!(s.parse::<PublicId>(), Ok(id(role)));
        }
    }

    #[test]
    fn accepts_upper_case_and_surrounding_space() {
        let s = id(Role::Agency).to_string();
        let upper = format!("  {}\n", s.to_uppercase());
        assert_eq!(PublicId::parse(&upper, Role::Agency), Ok(id(Role::Agency)));
    }

    #[test]
    fn rejects_every_single_character_typo() {
        let s = id(Role::Survivor).to_string();
        let alphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
        for i in 0..s.len() {
            for c in alphabet.chars() {
                let mut t: Vec<char> = s.chars().collect();
                if t[i] == c {
                    continue;
                }
                t[i] = c;
                let t: String = t.into_iter().collect();
                assert!(
                    PublicId::parse(&t, Role::Survivor).is_err(),
                    "typo accepted: {t}"
                );
            }
        }
    }

    #[test]
    fn rejects_truncated_id() {
        let s = id(Role::Survivor).to_string();
        for n in 0..s.len() {
            assert!(PublicId::parse(&s[..n], Role::Survivor).is_err());
        }
    }

    #[test]
    fn rejects_id_of_another_role() {
        let s = id(Role::Advocate).to_string();
        assert_eq!(
            PublicId::parse(&s, Role::Agency),
            Err(IdError::WrongRole {
                expected: Role::Agency,
                found: Role::Advocate
            })
        );
    }

    #[test]
    fn keeps_the_stored_role_codes() {
        // Stored in every vault and key file: these numbers never change.
        let codes = [
            (Role::Survivor, 1),
            (Role::Agency, 2),
            (Role::Advocate, 3),
            (Role::Relay, 4),
        ];
        for (role, code) in codes {
            assert_eq!(role.code(), code);
            assert_eq!(Role::from_code(code), Some(role));
        }
        assert_eq!(Role::from_code(0), None);
        assert_eq!(Role::from_code(5), None);
    }

    #[test]
    fn rejects_bech32_without_m() {
        let hrp = Hrp::parse("agency").expect("hrp");
        let s = bech32::encode_lower::<bech32::Bech32>(hrp, id(Role::Agency).key_bytes())
            .expect("encode");
        assert!(PublicId::parse(&s, Role::Agency).is_err());
    }
}
