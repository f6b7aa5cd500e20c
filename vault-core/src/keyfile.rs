//! The key file: an agency's or an advocate's identity, sealed under a
//! passphrase of its own, so that the agency's page in a browser (and any
//! other tool) can prove who it is without the agency's vault, and an
//! advocate can act in the app (Folio) on their phone.
//!
//! `vault agency export-key` and `vault advocate export-key` write it; the
//! agency's page loads it into memory with the same [`open`] the CLI's tests
//! call, the app with [`open_advocate`]. Every byte is specified in
//! `docs/spec/agency-key-v1.md`; in short, a fixed 110-byte layout:
//!
//! ```text
//! offset  len  field
//!      0    4  magic "SVAK"
//!      4    1  version 0x01
//!      5    4  Argon2id memory in KiB   (u32, little-endian)
//!      9    4  Argon2id passes          (u32, little-endian)
//!     13    4  Argon2id lanes           (u32, little-endian)
//!     17   32  Argon2id salt            (random per file)
//!     49   12  ChaCha20-Poly1305 nonce  (random per file)
//!     61   33  ciphertext of: role code (0x02 agency, 0x03 advocate) ‖ Ed25519 seed (32)
//!     94   16  Poly1305 tag
//! ```
//!
//! The key is `Argon2id(passphrase, salt)` with the stored parameters, the
//! same derivation that wraps a vault's master key ([`KdfParams::derive`]),
//! and the associated data is the 61 bytes before the ciphertext, so the
//! magic, the version, the parameters, the salt and the nonce cannot be
//! changed without opening failing.
//!
//! The stored parameters are untrusted input read by a phone's browser: on
//! top of the vault's own bounds ([`KdfParams::check`]) they must stay
//! within [`MAX_MEMORY_KIB`] and [`MAX_ITERATIONS`], so a hostile file
//! cannot make the page allocate gigabytes or compute for minutes. Nothing
//! here reads a clock or a file: it builds for `wasm32-unknown-unknown`.
//!
//! Checks, in this order (the first that fails is the answer):
//! 1. at most [`MAX_INPUT_LEN`] bytes, before anything is read
//!    ([`KeyFileError::TooLarge`]);
//! 2. not empty ([`KeyFileError::Empty`]); starts with the magic, or with
//!    as much of it as there is ([`KeyFileError::NotKeyFile`]); has a
//!    version byte ([`KeyFileError::Truncated`]) that is 1
//!    ([`KeyFileError::UnknownVersion`]); is exactly [`FILE_LEN`] bytes long
//!    ([`KeyFileError::Truncated`] if shorter, [`KeyFileError::Damaged`] if
//!    longer);
//! 3. the parameters within bounds ([`KeyFileError::Settings`]);
//! 4. the AEAD opens ([`KeyFileError::WrongPassphrase`]: a wrong passphrase
//!    and a changed ciphertext look the same, by design);
//! 5. the role inside is the one the reader wants: agency for [`open`]
//!    ([`KeyFileError::NotAgency`]), advocate for [`open_advocate`]
//!    ([`KeyFileError::NotAdvocate`]). The role is sealed, and the two kinds
//!    of file are otherwise the same bytes: an agency's page never takes an
//!    advocate's key, nor the app an agency's.

use zeroize::Zeroizing;

use crate::crypto::kdf::{KdfParams, SALT_LEN};
use crate::crypto::{self, NONCE_LEN, TAG_LEN};
use crate::id::{Identity, Role};

/// The first four bytes of every key file ("Survivor Vault Access Key"; the
/// name was first read as "Agency Key", and the bytes stayed when advocates'
/// keys came: the role is inside, sealed).
pub const MAGIC: &[u8; 4] = b"SVAK";
/// The only version this build writes and reads.
pub const VERSION: u8 = 1;
/// The file name extension the CLI suggests and the page accepts.
pub const EXTENSION: &str = "vaultkey";

/// Length of the Ed25519 seed inside.
const SEED_LEN: usize = 32;
/// Length of the sealed plaintext: role code ‖ seed.
const PLAIN_LEN: usize = 1 + SEED_LEN;
/// Offsets of the fields (see the module docs).
const AT_VERSION: usize = MAGIC.len();
const AT_MEMORY: usize = AT_VERSION + 1;
const AT_ITERATIONS: usize = AT_MEMORY + 4;
const AT_PARALLELISM: usize = AT_ITERATIONS + 4;
const AT_SALT: usize = AT_PARALLELISM + 4;
const AT_NONCE: usize = AT_SALT + SALT_LEN;

/// Length of the clear header, which is also the associated data.
pub const HEADER_LEN: usize = AT_NONCE + NONCE_LEN;
/// Length of every version-1 key file.
pub const FILE_LEN: usize = HEADER_LEN + PLAIN_LEN + TAG_LEN;
/// Inputs longer than this are refused before anything else is looked at.
pub const MAX_INPUT_LEN: usize = 4096;
/// Largest Argon2id memory accepted from a file: 128 MiB, twice the default.
pub const MAX_MEMORY_KIB: u32 = 128 * 1024;
/// Largest Argon2id pass count accepted from a file: twice the default.
pub const MAX_ITERATIONS: u32 = 6;

/// Why a key file was not made or not opened.
///
/// The messages are calm, whole sentences that say what to do next; they
/// never say which cryptographic check failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyFileError {
    /// More than [`MAX_INPUT_LEN`] bytes: not a key file.
    #[error("{}", crate::msg!("key-file-too-large"))]
    TooLarge,
    /// No bytes at all.
    #[error("{}", crate::msg!("key-file-empty"))]
    Empty,
    /// It does not start with the magic.
    #[error("{}", crate::msg!("key-file-not-key-file"))]
    NotKeyFile,
    /// Shorter than a key file: cut off while copying.
    #[error("{}", crate::msg!("key-file-truncated"))]
    Truncated,
    /// Longer than a key file, or its content is not valid.
    #[error("{}", crate::msg!("key-file-damaged"))]
    Damaged,
    /// A version this build does not read.
    #[error("{}", crate::msg!("key-file-unknown-version"))]
    UnknownVersion,
    /// Key-derivation settings outside the accepted bounds.
    #[error("{}", crate::msg!("key-file-settings"))]
    Settings,
    /// The AEAD did not open: a wrong passphrase, or a changed file.
    #[error("{}", crate::msg!("key-file-wrong-passphrase"))]
    WrongPassphrase,
    /// The file holds another role's key, where an agency's was wanted
    /// ([`open`]).
    #[error("{}", crate::msg!("key-file-not-agency"))]
    NotAgency,
    /// The file holds another role's key, where an advocate's was wanted
    /// ([`open_advocate`]).
    #[error("{}", crate::msg!("key-file-not-advocate"))]
    NotAdvocate,
    /// Only an agency's or an advocate's identity goes into a key file
    /// ([`export`] only).
    #[error("{}", crate::msg!("key-file-wrong-role"))]
    WrongRole,
    /// The system's random number generator failed ([`export`] only).
    #[error("{}", crate::msg!("key-file-random"))]
    Random,
}

impl KeyFileError {
    /// A stable code for programs (the page's `Problem.kind`, the CLI's
    /// JSON `error`): `bad_key_file`, `wrong_passphrase`, `not_agency`,
    /// `not_advocate`, or, from [`export`] only, `wrong_role` and
    /// `random_failed`.
    pub fn kind(&self) -> &'static str {
        match self {
            KeyFileError::TooLarge
            | KeyFileError::Empty
            | KeyFileError::NotKeyFile
            | KeyFileError::Truncated
            | KeyFileError::Damaged
            | KeyFileError::UnknownVersion
            | KeyFileError::Settings => "bad_key_file",
            KeyFileError::WrongPassphrase => "wrong_passphrase",
            KeyFileError::NotAgency => "not_agency",
            KeyFileError::NotAdvocate => "not_advocate",
            KeyFileError::WrongRole => "wrong_role",
            KeyFileError::Random => "random_failed",
        }
    }
}

/// Seals an agency's or an advocate's identity under `passphrase`, with the
/// vault's Argon2id parameters ([`KdfParams::DEFAULT`]) and a fresh random
/// salt and nonce. Refuses any other identity ([`KeyFileError::WrongRole`]).
///
/// The passphrase is used as given (its bytes; no normalisation): the
/// caller refuses empty or short ones.
pub fn export(identity: &Identity, passphrase: &[u8]) -> Result<Vec<u8>, KeyFileError> {
    check_role(identity.role())?;
    let salt = crypto::random_array::<SALT_LEN>().map_err(|_| KeyFileError::Random)?;
    let nonce = crypto::random_array::<NONCE_LEN>().map_err(|_| KeyFileError::Random)?;
    seal(identity, passphrase, KdfParams::DEFAULT, &salt, nonce)
}

/// The deterministic core of [`export`], for the test vector. Never call it
/// with a salt or nonce that is not fresh and random.
fn seal(
    identity: &Identity,
    passphrase: &[u8],
    kdf: KdfParams,
    salt: &[u8; SALT_LEN],
    nonce: [u8; NONCE_LEN],
) -> Result<Vec<u8>, KeyFileError> {
    check_role(identity.role())?;
    check_settings(&kdf)?;
    let mut out = Vec::with_capacity(FILE_LEN);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    out.extend_from_slice(&kdf.memory_kib.to_le_bytes());
    out.extend_from_slice(&kdf.iterations.to_le_bytes());
    out.extend_from_slice(&kdf.parallelism.to_le_bytes());
    out.extend_from_slice(salt);
    out.extend_from_slice(&nonce);
    debug_assert_eq!(out.len(), HEADER_LEN);

    let kek = kdf
        .derive(passphrase, salt)
        .map_err(|_| KeyFileError::Settings)?;
    // Room for the tag up front: sealing must not reallocate and leave a
    // copy of the seed behind in freed memory.
    let mut buf = Zeroizing::new(Vec::with_capacity(PLAIN_LEN + TAG_LEN));
    buf.push(identity.role().code());
    buf.extend_from_slice(&identity.seed()[..]);
    kek.aead().seal_in_place(nonce, &out, &mut buf);
    out.extend_from_slice(&buf);
    debug_assert_eq!(out.len(), FILE_LEN);
    Ok(out)
}

/// The roles a key file may hold.
fn check_role(role: Role) -> Result<(), KeyFileError> {
    match role {
        Role::Agency | Role::Advocate => Ok(()),
        _ => Err(KeyFileError::WrongRole),
    }
}

/// Opens an agency's key file with its passphrase: the agency's identity,
/// or the first check that failed, in the order of the module docs. An
/// advocate's key file is refused ([`KeyFileError::NotAgency`]).
pub fn open(bytes: &[u8], passphrase: &[u8]) -> Result<Identity, KeyFileError> {
    open_as(bytes, passphrase, Role::Agency)
}

/// Opens an advocate's key file with its passphrase (the app's
/// `advocateImport`). An agency's key file is refused
/// ([`KeyFileError::NotAdvocate`]).
pub fn open_advocate(bytes: &[u8], passphrase: &[u8]) -> Result<Identity, KeyFileError> {
    open_as(bytes, passphrase, Role::Advocate)
}

/// Opens a key file that must hold `wanted`'s key (agency or advocate).
fn open_as(bytes: &[u8], passphrase: &[u8], wanted: Role) -> Result<Identity, KeyFileError> {
    let (kdf, salt, nonce) = read_header(bytes)?;
    let kek = kdf
        .derive(passphrase, &salt)
        .map_err(|_| KeyFileError::Settings)?;
    let (header, sealed) = bytes.split_at(HEADER_LEN);
    let mut buf = Zeroizing::new(Vec::with_capacity(sealed.len()));
    buf.extend_from_slice(sealed);
    kek.aead()
        .open_in_place(nonce, header, &mut buf)
        .map_err(|_| KeyFileError::WrongPassphrase)?;
    let (&code, seed) = buf.split_first().ok_or(KeyFileError::Damaged)?;
    let seed: &[u8; SEED_LEN] = seed.try_into().map_err(|_| KeyFileError::Damaged)?;
    match Role::from_code(code) {
        Some(role) if role == wanted => Ok(Identity::from_seed(role, seed)),
        Some(_) if wanted == Role::Advocate => Err(KeyFileError::NotAdvocate),
        Some(_) => Err(KeyFileError::NotAgency),
        None => Err(KeyFileError::Damaged),
    }
}

/// Checks 1–3 of the module docs: everything that can be checked without
/// the passphrase. Returns the parameters, salt and nonce.
fn read_header(bytes: &[u8]) -> Result<(KdfParams, [u8; SALT_LEN], [u8; NONCE_LEN]), KeyFileError> {
    if bytes.len() > MAX_INPUT_LEN {
        return Err(KeyFileError::TooLarge);
    }
    if bytes.is_empty() {
        return Err(KeyFileError::Empty);
    }
    let head = &bytes[..bytes.len().min(MAGIC.len())];
    if !MAGIC.starts_with(head) {
        return Err(KeyFileError::NotKeyFile);
    }
    let Some(&version) = bytes.get(AT_VERSION) else {
        return Err(KeyFileError::Truncated);
    };
    if version != VERSION {
        return Err(KeyFileError::UnknownVersion);
    }
    if bytes.len() < FILE_LEN {
        return Err(KeyFileError::Truncated);
    }
    if bytes.len() > FILE_LEN {
        return Err(KeyFileError::Damaged);
    }
    let kdf = KdfParams {
        memory_kib: u32_at(bytes, AT_MEMORY),
        iterations: u32_at(bytes, AT_ITERATIONS),
        parallelism: u32_at(bytes, AT_PARALLELISM),
    };
    check_settings(&kdf)?;
    let mut salt = [0u8; SALT_LEN];
    salt.copy_from_slice(&bytes[AT_SALT..AT_NONCE]);
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&bytes[AT_NONCE..HEADER_LEN]);
    Ok((kdf, salt, nonce))
}

/// The little-endian `u32` at `at`; the caller has checked the length.
fn u32_at(bytes: &[u8], at: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(b)
}

/// The vault's bounds, and the tighter ones of a file a browser opens.
fn check_settings(kdf: &KdfParams) -> Result<(), KeyFileError> {
    kdf.check().map_err(|_| KeyFileError::Settings)?;
    if kdf.memory_kib > MAX_MEMORY_KIB || kdf.iterations > MAX_ITERATIONS {
        return Err(KeyFileError::Settings);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const P: KdfParams = KdfParams::INSECURE_FOR_TESTS;
    const PASS: &[u8] = b"a long key-file passphrase";

    fn agency() -> Identity {
        Identity::from_seed(Role::Agency, &[7; 32])
    }

    /// A file with cheap parameters, so the tests that do not care about
    /// Argon2id's cost stay fast.
    fn cheap_file() -> Vec<u8> {
        seal(&agency(), PASS, P, &[1; SALT_LEN], [2; NONCE_LEN]).expect("seal")
    }

    /// A cheap file with its parameters replaced (not sealed again: the
    /// bounds must refuse it before any key is derived).
    fn file_with(kdf: KdfParams) -> Vec<u8> {
        let mut f = cheap_file();
        f[AT_MEMORY..AT_ITERATIONS].copy_from_slice(&kdf.memory_kib.to_le_bytes());
        f[AT_ITERATIONS..AT_PARALLELISM].copy_from_slice(&kdf.iterations.to_le_bytes());
        f[AT_PARALLELISM..AT_SALT].copy_from_slice(&kdf.parallelism.to_le_bytes());
        f
    }

    #[test]
    fn round_trips_with_the_vaults_parameters() {
        let id = agency();
        let file = export(&id, PASS).expect("export");
        assert_eq!(file.len(), FILE_LEN);
        assert_eq!(&file[..4], MAGIC);
        assert_eq!(file[4], VERSION);
        assert_eq!(u32_at(&file, AT_MEMORY), KdfParams::DEFAULT.memory_kib);
        assert_eq!(u32_at(&file, AT_ITERATIONS), KdfParams::DEFAULT.iterations);
        assert_eq!(
            u32_at(&file, AT_PARALLELISM),
            KdfParams::DEFAULT.parallelism
        );
        let opened = open(&file, PASS).expect("open");
        assert_eq!(opened.public(), id.public());
        assert_eq!(*opened.seed(), *id.seed());
    }

    #[test]
    fn keeps_salt_and_nonce_fresh_per_export() {
        let a = export(&agency(), PASS).expect("export");
        let b = export(&agency(), PASS).expect("export");
        assert_ne!(a[AT_SALT..AT_NONCE], b[AT_SALT..AT_NONCE]);
        assert_ne!(a[AT_NONCE..HEADER_LEN], b[AT_NONCE..HEADER_LEN]);
    }

    #[test]
    fn keeps_the_seed_out_of_the_file() {
        let id = Identity::from_seed(Role::Agency, &[0x5a; 32]);
        let file = seal(&id, PASS, P, &[1; SALT_LEN], [2; NONCE_LEN]).expect("seal");
        assert!(!file.windows(8).any(|w| w == [0x5a; 8]));
        assert!(!file.windows(8).any(|w| w == &id.public().key_bytes()[..8]));
    }

    #[test]
    fn rejects_wrong_passphrase() {
        let file = cheap_file();
        assert_eq!(
            open(&file, b"another passphrase").err(),
            Some(KeyFileError::WrongPassphrase)
        );
        assert_eq!(open(&file, b"").err(), Some(KeyFileError::WrongPassphrase));
        let mut longer = PASS.to_vec();
        longer.push(b' ');
        assert_eq!(
            open(&file, &longer).err(),
            Some(KeyFileError::WrongPassphrase)
        );
    }

    #[test]
    fn rejects_every_truncation() {
        let file = cheap_file();
        assert_eq!(open(&[], PASS).err(), Some(KeyFileError::Empty));
        for n in 1..file.len() {
            assert_eq!(
                open(&file[..n], PASS).err(),
                Some(KeyFileError::Truncated),
                "a file cut to {n} bytes"
            );
        }
    }

    #[test]
    fn rejects_every_single_bit_flip() {
        let file = cheap_file();
        for i in 0..file.len() * 8 {
            let mut t = file.clone();
            t[i / 8] ^= 1 << (i % 8);
            let err = open(&t, PASS).expect_err("a flipped bit must not open");
            let expected = match i / 8 {
                0..=3 => KeyFileError::NotKeyFile,
                4 => KeyFileError::UnknownVersion,
                // A flip in the parameters either leaves them in bounds
                // (then the key differs) or takes them out.
                AT_MEMORY..=16 => err,
                _ => KeyFileError::WrongPassphrase,
            };
            assert_eq!(err, expected, "flip of bit {i}");
            assert!(
                matches!(err.kind(), "bad_key_file" | "wrong_passphrase"),
                "flip of bit {i}: {err:?}"
            );
        }
    }

    #[test]
    fn rejects_wrong_magic_and_unknown_versions() {
        let mut f = cheap_file();
        f[..4].copy_from_slice(b"SVLT");
        assert_eq!(open(&f, PASS).err(), Some(KeyFileError::NotKeyFile));
        assert_eq!(
            open(b"hello, world", PASS).err(),
            Some(KeyFileError::NotKeyFile)
        );
        for v in [0u8, 2, 0xff] {
            let mut f = cheap_file();
            f[AT_VERSION] = v;
            assert_eq!(
                open(&f, PASS).err(),
                Some(KeyFileError::UnknownVersion),
                "version {v}"
            );
        }
    }

    #[test]
    fn rejects_trailing_bytes() {
        let mut f = cheap_file();
        f.push(0);
        assert_eq!(open(&f, PASS).err(), Some(KeyFileError::Damaged));
    }

    #[test]
    fn refuses_oversize_input_before_reading_it() {
        // A real key file followed by padding: the length alone refuses it.
        let mut f = cheap_file();
        f.resize(MAX_INPUT_LEN + 1, 0);
        assert_eq!(open(&f, PASS).err(), Some(KeyFileError::TooLarge));
        let huge = vec![0u8; 10 * 1024 * 1024];
        assert_eq!(open(&huge, PASS).err(), Some(KeyFileError::TooLarge));
        // Just under the cap is an ordinary damaged file.
        f.truncate(MAX_INPUT_LEN);
        assert_eq!(open(&f, PASS).err(), Some(KeyFileError::Damaged));
    }

    #[test]
    fn refuses_absurd_settings_without_deriving() {
        // Each of these would cost gigabytes or minutes if it were run; the
        // test finishing at all shows that none is.
        let refused = [
            KdfParams {
                memory_kib: u32::MAX,
                ..KdfParams::DEFAULT
            },
            KdfParams {
                memory_kib: MAX_MEMORY_KIB + 1,
                ..KdfParams::DEFAULT
            },
            KdfParams {
                iterations: u32::MAX,
                ..KdfParams::DEFAULT
            },
            KdfParams {
                iterations: MAX_ITERATIONS + 1,
                ..KdfParams::DEFAULT
            },
            KdfParams {
                iterations: 0,
                ..KdfParams::DEFAULT
            },
            KdfParams {
                parallelism: 0,
                ..KdfParams::DEFAULT
            },
            KdfParams {
                parallelism: KdfParams::MAX_PARALLELISM + 1,
                ..KdfParams::DEFAULT
            },
            KdfParams {
                memory_kib: 7,
                iterations: 1,
                parallelism: 1,
            },
        ];
        for kdf in refused {
            assert_eq!(
                open(&file_with(kdf), PASS).err(),
                Some(KeyFileError::Settings),
                "{kdf:?}"
            );
            assert_eq!(
                seal(&agency(), PASS, kdf, &[1; SALT_LEN], [2; NONCE_LEN]).err(),
                Some(KeyFileError::Settings),
                "{kdf:?}"
            );
        }
    }

    #[test]
    fn accepts_the_defaults_and_the_bounds() {
        check_settings(&KdfParams::DEFAULT).expect("the defaults are in bounds");
        check_settings(&KdfParams {
            memory_kib: MAX_MEMORY_KIB,
            iterations: MAX_ITERATIONS,
            parallelism: KdfParams::MAX_PARALLELISM,
        })
        .expect("the bounds themselves are in bounds");
    }

    #[test]
    fn refuses_to_export_a_survivor_or_relay_identity() {
        for role in [Role::Survivor, Role::Relay] {
            let id = Identity::from_seed(role, &[7; 32]);
            assert_eq!(
                export(&id, PASS).err(),
                Some(KeyFileError::WrongRole),
                "{role:?}"
            );
        }
    }

    #[test]
    fn round_trips_an_advocate_and_keeps_the_two_roles_apart() {
        let id = Identity::from_seed(Role::Advocate, &[9; 32]);
        let file = seal(&id, PASS, P, &[1; SALT_LEN], [2; NONCE_LEN]).expect("seal");
        assert_eq!(file.len(), FILE_LEN);
        let opened = open_advocate(&file, PASS).expect("open");
        assert_eq!(opened.role(), Role::Advocate);
        assert_eq!(opened.public(), id.public());
        // The agency's page never takes it, and the app never takes an
        // agency's key: the sealed role decides, after the passphrase.
        assert_eq!(open(&file, PASS).err(), Some(KeyFileError::NotAgency));
        assert_eq!(
            open_advocate(&cheap_file(), PASS).err(),
            Some(KeyFileError::NotAdvocate)
        );
        // A wrong passphrase is said as such whichever role is wanted.
        assert_eq!(
            open_advocate(&file, b"another passphrase").err(),
            Some(KeyFileError::WrongPassphrase)
        );
    }

    /// A file another tool might write: a valid AEAD over a role that is
    /// not agency (or no role at all). Sealed here by hand with the same
    /// primitives, since `seal` refuses to write one.
    fn sealed_with_role(code: u8) -> Vec<u8> {
        let mut f = cheap_file();
        f.truncate(HEADER_LEN);
        let salt: [u8; SALT_LEN] = f[AT_SALT..AT_NONCE].try_into().expect("32 bytes");
        let nonce: [u8; NONCE_LEN] = f[AT_NONCE..HEADER_LEN].try_into().expect("12 bytes");
        let kek = P.derive(PASS, &salt).expect("kdf");
        let mut buf = vec![code];
        buf.extend_from_slice(&[7; 32]);
        kek.aead().seal_in_place(nonce, &f, &mut buf);
        f.extend_from_slice(&buf);
        f
    }

    #[test]
    fn refuses_to_open_a_non_agency_identity() {
        assert!(open(&sealed_with_role(Role::Agency.code()), PASS).is_ok());
        for role in [Role::Survivor, Role::Advocate, Role::Relay] {
            assert_eq!(
                open(&sealed_with_role(role.code()), PASS).err(),
                Some(KeyFileError::NotAgency),
                "{role:?}"
            );
        }
        assert_eq!(
            open(&sealed_with_role(0), PASS).err(),
            Some(KeyFileError::Damaged)
        );
    }

    #[test]
    fn refuses_to_open_a_non_advocate_identity_as_an_advocate() {
        assert!(open_advocate(&sealed_with_role(Role::Advocate.code()), PASS).is_ok());
        for role in [Role::Survivor, Role::Agency, Role::Relay] {
            assert_eq!(
                open_advocate(&sealed_with_role(role.code()), PASS).err(),
                Some(KeyFileError::NotAdvocate),
                "{role:?}"
            );
        }
        assert_eq!(
            open_advocate(&sealed_with_role(0), PASS).err(),
            Some(KeyFileError::Damaged)
        );
    }

    #[test]
    fn gives_stable_kinds() {
        assert_eq!(KeyFileError::TooLarge.kind(), "bad_key_file");
        assert_eq!(KeyFileError::Settings.kind(), "bad_key_file");
        assert_eq!(KeyFileError::WrongPassphrase.kind(), "wrong_passphrase");
        assert_eq!(KeyFileError::NotAgency.kind(), "not_agency");
        assert_eq!(KeyFileError::NotAdvocate.kind(), "not_advocate");
        assert_eq!(KeyFileError::WrongRole.kind(), "wrong_role");
        assert!(KeyFileError::WrongPassphrase
            .to_string()
            .contains("the passphrase is wrong, or the file was changed"));
    }

    /// The test vector of `docs/spec/agency-key-v1.md`, with the vault's
    /// real parameters.
    const VECTOR_PASSPHRASE: &[u8] = b"correct horse battery staple";
    const VECTOR_SEED: [u8; 32] = {
        let mut s = [0u8; 32];
        let mut i = 0;
        while i < 32 {
            s[i] = 0x40 + i as u8;
            i += 1;
        }
        s
    };
    const VECTOR_SALT: [u8; SALT_LEN] = {
        let mut s = [0u8; SALT_LEN];
        let mut i = 0;
        while i < SALT_LEN {
            s[i] = i as u8;
            i += 1;
        }
        s
    };
    const VECTOR_NONCE: [u8; NONCE_LEN] = [
        0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab,
    ];
    const VECTOR_FILE_HEX: &str = concat!(
        "5356414b",                                                           // magic
        "01",                                                                 // version
        "00000100",                                                           // memory_kib = 65536
        "03000000",                                                           // iterations = 3
        "04000000",                                                           // parallelism = 4
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",   // salt
        "a0a1a2a3a4a5a6a7a8a9aaab",                                           // nonce
        "dfa4d13c7997e207ad52a3a181545f54c2adcf8c7b606773bec66878d8cdd9b0ea", // ciphertext
        "f6b53ce153a809f4fd5899da3fe68aaf",                                   // tag
    );

    /// The same inputs with an advocate's identity (spec §10): only the
    /// sealed role byte differs, so only the first ciphertext byte and the
    /// tag change.
    const VECTOR_ADVOCATE_FILE_HEX: &str = concat!(
        "5356414b",
        "01",
        "00000100",
        "03000000",
        "04000000",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        "a0a1a2a3a4a5a6a7a8a9aaab",
        "dea4d13c7997e207ad52a3a181545f54c2adcf8c7b606773bec66878d8cdd9b0ea",
        "7fa5862c217b9cd5f0526a1897dde7c3",
    );

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn vector_file() -> Vec<u8> {
        let id = Identity::from_seed(Role::Agency, &VECTOR_SEED);
        seal(
            &id,
            VECTOR_PASSPHRASE,
            KdfParams::DEFAULT,
            &VECTOR_SALT,
            VECTOR_NONCE,
        )
        .expect("seal")
    }

    #[test]
    fn keeps_the_test_vector() {
        let file = vector_file();
        assert_eq!(hex(&file), VECTOR_FILE_HEX);
        let id = open(&file, VECTOR_PASSPHRASE).expect("open");
        assert_eq!(*id.seed(), VECTOR_SEED);
        // The Ed25519 public key of the seed (RFC 8032), as the spec gives it.
        assert_eq!(
            hex(id.public().key_bytes()),
            "2543b92ff1095511476adc8369db6ddc933665a11978dda1404ee1066ca9559d"
        );
        assert_eq!(
            id.public().to_string(),
            "agency1y4pmjtl3p923z3m2mjpknkmdmjfnvedpr9udmg2qfmssvm9f2kws5yqszr"
        );
    }

    fn advocate_vector_file() -> Vec<u8> {
        let id = Identity::from_seed(Role::Advocate, &VECTOR_SEED);
        seal(
            &id,
            VECTOR_PASSPHRASE,
            KdfParams::DEFAULT,
            &VECTOR_SALT,
            VECTOR_NONCE,
        )
        .expect("seal")
    }

    /// The advocate's vector of spec §10: the code's, quoted by the spec,
    /// and the two roles refuse each other's file.
    #[test]
    fn keeps_the_advocate_spec_vector() {
        const SPEC: &str = include_str!("../../docs/spec/agency-key-v1.md");
        let file = advocate_vector_file();
        assert_eq!(hex(&file), VECTOR_ADVOCATE_FILE_HEX);
        let block = SPEC
            .split_once("<!-- vector:advocate-file -->\n```text\n")
            .and_then(|(_, rest)| rest.split_once("```"))
            .map(|(block, _)| block)
            .expect("the spec has the advocate vector's file block");
        let joined: String = block
            .lines()
            .filter_map(|line| line.split_whitespace().next())
            .collect();
        assert_eq!(
            joined, VECTOR_ADVOCATE_FILE_HEX,
            "the spec's advocate block"
        );
        let id = open_advocate(&file, VECTOR_PASSPHRASE).expect("open");
        assert_eq!(*id.seed(), VECTOR_SEED);
        let printed = id.public().to_string();
        assert_eq!(
            printed,
            "advocate1y4pmjtl3p923z3m2mjpknkmdmjfnvedpr9udmg2qfmssvm9f2kws8emxec"
        );
        assert!(SPEC.contains(&format!("| advocate id | `{printed}` |")));
        assert_eq!(
            open(&file, VECTOR_PASSPHRASE).err(),
            Some(KeyFileError::NotAgency)
        );
        assert_eq!(
            open_advocate(&vector_file(), VECTOR_PASSPHRASE).err(),
            Some(KeyFileError::NotAdvocate)
        );
    }

    /// The spec's copy of the vector is the code's: its file block, joined,
    /// and every input and output it quotes.
    #[test]
    fn keeps_the_spec_vector() {
        const SPEC: &str = include_str!("../../docs/spec/agency-key-v1.md");
        let block = SPEC
            .split_once("<!-- vector:file -->\n```text\n")
            .and_then(|(_, rest)| rest.split_once("```"))
            .map(|(block, _)| block)
            .expect("the spec has the vector's file block");
        let joined: String = block
            .lines()
            .filter_map(|line| line.split_whitespace().next())
            .collect();
        assert_eq!(joined, VECTOR_FILE_HEX, "the spec's file block");
        assert_eq!(joined, hex(&vector_file()), "the spec's file block");
        let id = open(&vector_file(), VECTOR_PASSPHRASE).expect("open");
        for quoted in [
            format!("`\"{}\"`", String::from_utf8_lossy(VECTOR_PASSPHRASE)),
            format!("| salt | `{}` |", hex(&VECTOR_SALT)),
            format!("| nonce | `{}` |", hex(&VECTOR_NONCE)),
            format!("| seed | `{}` |", hex(&VECTOR_SEED)),
            format!(
                "| Ed25519 public key | `{}` |",
                hex(id.public().key_bytes())
            ),
            format!("| agency id | `{}` |", id.public()),
            format!(
                "| `m`, `t`, `p` | {}, {}, {} |",
                KdfParams::DEFAULT.memory_kib,
                KdfParams::DEFAULT.iterations,
                KdfParams::DEFAULT.parallelism
            ),
            format!("≤ m ≤ {} ", group_thousands(MAX_MEMORY_KIB)),
            format!("1 ≤ t ≤ {} ", MAX_ITERATIONS),
            format!("1 ≤ p ≤ {} ", KdfParams::MAX_PARALLELISM),
            format!("at most {MAX_INPUT_LEN} bytes"),
            format!("exactly **{FILE_LEN} bytes**"),
        ] {
            assert!(SPEC.contains(&quoted), "the spec does not say {quoted:?}");
        }
    }

    /// 131072 as the spec writes it: "131 072".
    fn group_thousands(n: u32) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        #[test]
        fn round_trips_any_seed_and_passphrase(
            seed in any::<[u8; 32]>(),
            pass in proptest::collection::vec(any::<u8>(), 0..64),
        ) {
            let id = Identity::from_seed(Role::Agency, &seed);
            let file = seal(&id, &pass, P, &[3; SALT_LEN], [4; NONCE_LEN]).expect("seal");
            let opened = open(&file, &pass).expect("open");
            prop_assert_eq!(opened.public(), id.public());
        }

        #[test]
        fn random_bytes_never_panic_the_reader(
            bytes in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            // Mostly refused early; whatever reaches Argon2id has bounded
            // parameters.
            let _ = open(&bytes, PASS);
        }

        #[test]
        fn random_bytes_after_the_magic_never_open(
            rest in proptest::collection::vec(any::<u8>(), FILE_LEN - 4..=FILE_LEN - 4),
        ) {
            let mut bytes = MAGIC.to_vec();
            bytes.extend_from_slice(&rest);
            bytes[AT_VERSION] = VERSION;
            // Keep the parameters cheap, so that the AEAD is what refuses.
            bytes[AT_MEMORY..AT_SALT].copy_from_slice(&file_with(P)[AT_MEMORY..AT_SALT]);
            prop_assert!(open(&bytes, PASS).is_err());
        }
    }
}
