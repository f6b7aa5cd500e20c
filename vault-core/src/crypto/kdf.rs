//! Argon2id: the passphrase becomes the key that wraps the master key.
//!
//! The parameters are stored next to the wrapped key so that a later
//! version can raise them (`vault passwd` re-wraps with the current
//! defaults). Stored parameters are untrusted input: they are bounded before
//! use so that a tampered header cannot make unlocking allocate without
//! limit.

use argon2::{Algorithm, Argon2, Block, Params, Version};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{SecretKey, KEY_LEN};

/// Length of the random Argon2id salt.
pub const SALT_LEN: usize = 32;

/// Argon2id cost parameters (RFC 9106 names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB (`m`).
    pub memory_kib: u32,
    /// Number of passes (`t`).
    pub iterations: u32,
    /// Lanes (`p`).
    pub parallelism: u32,
}

/// Why parameters were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KdfError {
    /// The parameters are outside the range this version accepts.
    #[error("{}", crate::msg!("kdf-out-of-range"))]
    OutOfRange,
}

impl KdfParams {
    /// The defaults for new vaults and re-wraps: 64 MiB, t = 3, p = 4
    /// (RFC 9106's second recommended option, made slower).
    pub const DEFAULT: Self = Self {
        memory_kib: 64 * 1024,
        iterations: 3,
        parallelism: 4,
    };

    /// Largest memory cost accepted from a stored header: 4 GiB.
    pub const MAX_MEMORY_KIB: u32 = 4 * 1024 * 1024;
    /// Largest pass count accepted from a stored header.
    pub const MAX_ITERATIONS: u32 = 64;
    /// Largest lane count accepted from a stored header.
    pub const MAX_PARALLELISM: u32 = 16;

    /// Cheap parameters for unit tests of the layers above the KDF.
    /// Never used by the `vault` binary.
    #[doc(hidden)]
    pub const INSECURE_FOR_TESTS: Self = Self {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };

    /// Checks that stored parameters are within the accepted bounds.
    pub fn check(&self) -> Result<(), KdfError> {
        let ok = (1..=Self::MAX_PARALLELISM).contains(&self.parallelism)
            && (1..=Self::MAX_ITERATIONS).contains(&self.iterations)
            && self.memory_kib >= 8 * self.parallelism
            && self.memory_kib <= Self::MAX_MEMORY_KIB;
        if ok {
            Ok(())
        } else {
            Err(KdfError::OutOfRange)
        }
    }

    /// Argon2id(passphrase, salt) → a 256-bit key-encryption key.
    pub fn derive(&self, passphrase: &[u8], salt: &[u8; SALT_LEN]) -> Result<SecretKey, KdfError> {
        self.check()?;
        let params = Params::new(
            self.memory_kib,
            self.iterations,
            self.parallelism,
            Some(KEY_LEN),
        )
        .map_err(|_| KdfError::OutOfRange)?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        let mut memory = working_memory(argon.params().block_count())?;
        argon
            .hash_password_into_with_memory(passphrase, salt, &mut out[..], &mut memory[..])
            .map_err(|_| KdfError::OutOfRange)?;
        Ok(SecretKey::from_bytes(*out))
    }
}

/// Argon2id's working memory, wiped when dropped. The crate's own
/// allocation is freed without being wiped, and its last blocks are enough
/// to compute the key again; this one is ours to wipe. Refused in words,
/// not by aborting, when the memory cannot be had.
fn working_memory(blocks: usize) -> Result<Zeroizing<Vec<Block>>, KdfError> {
    let mut memory = Vec::new();
    memory
        .try_reserve_exact(blocks)
        .map_err(|_| KdfError::OutOfRange)?;
    memory.resize(blocks, Block::new());
    Ok(Zeroizing::new(memory))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_absurd_stored_parameters() {
        let mut p = KdfParams::DEFAULT;
        p.memory_kib = u32::MAX;
        assert_eq!(p.check(), Err(KdfError::OutOfRange));
        let mut p = KdfParams::DEFAULT;
        p.parallelism = 0;
        assert_eq!(p.check(), Err(KdfError::OutOfRange));
        let mut p = KdfParams::DEFAULT;
        p.iterations = 0;
        assert_eq!(p.check(), Err(KdfError::OutOfRange));
    }

    #[test]
    fn defaults_meet_the_floor() {
        let p = KdfParams::DEFAULT;
        assert!(p.memory_kib >= 64 * 1024 && p.iterations >= 3 && p.parallelism >= 4);
        p.check().expect("defaults are in range");
    }

    #[test]
    fn derive_depends_on_passphrase_and_salt() {
        let p = KdfParams::INSECURE_FOR_TESTS;
        let a = p.derive(b"one", &[0; SALT_LEN]).expect("kdf");
        let b = p.derive(b"two", &[0; SALT_LEN]).expect("kdf");
        let c = p.derive(b"one", &[1; SALT_LEN]).expect("kdf");
        assert_ne!(a.expose(), b.expose());
        assert_ne!(a.expose(), c.expose());
    }

    #[test]
    fn working_memory_is_the_parameters_size_and_wiped_on_drop() {
        fn wiped_on_drop<T: zeroize::ZeroizeOnDrop>(_: &T) {}
        let p = KdfParams::DEFAULT;
        let params = Params::new(p.memory_kib, p.iterations, p.parallelism, Some(KEY_LEN))
            .expect("defaults are valid");
        let memory = working_memory(params.block_count()).expect("64 MiB");
        assert_eq!(memory.len() * Block::SIZE, 64 * 1024 * 1024);
        wiped_on_drop(&memory);
    }

    #[test]
    fn a_memory_cost_that_cannot_be_had_is_refused_not_aborted() {
        assert_eq!(
            working_memory(usize::MAX / 2).err(),
            Some(KdfError::OutOfRange)
        );
    }
}
