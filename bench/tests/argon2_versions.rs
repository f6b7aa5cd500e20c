//! vault-core's Argon2id (the `argon2` crate 0.6, lanes on threads on
//! computers) gives the same bytes as the crate it used before (0.5.3,
//! lanes one after another), for one to sixteen lanes: raising the crate
//! and computing the lanes in parallel changes no key and no vault.

use vault_core::crypto::kdf::SALT_LEN;
use vault_core::KdfParams;

fn argon2_0_5(p: &KdfParams, passphrase: &[u8], salt: &[u8; SALT_LEN]) -> [u8; 32] {
    use argon2_05::{Algorithm, Argon2, Params, Version};
    let params = Params::new(p.memory_kib, p.iterations, p.parallelism, Some(32))
        .expect("the parameters are valid");
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase, salt, &mut out)
        .expect("argon2 0.5 hashes");
    out
}

#[test]
fn derive_gives_the_bytes_argon2_0_5_gave() {
    let salt = [0x42; SALT_LEN];
    for (memory_kib, iterations, parallelism) in [
        (64, 1, 1),
        (256, 3, 2),
        (1024, 3, 4),
        (4096, 2, 4),
        (2048, 1, 16),
    ] {
        let p = KdfParams {
            memory_kib,
            iterations,
            parallelism,
        };
        let passphrase = format!("passphrase for m={memory_kib} t={iterations} p={parallelism}");
        let ours = p
            .derive(passphrase.as_bytes(), &salt)
            .expect("the parameters are in range");
        assert_eq!(
            ours.expose(),
            &argon2_0_5(&p, passphrase.as_bytes(), &salt),
            "m={memory_kib} t={iterations} p={parallelism}"
        );
    }
}

#[test]
fn derive_gives_the_bytes_argon2_0_5_gave_with_the_default_parameters() {
    let p = KdfParams::DEFAULT;
    let salt = [7; SALT_LEN];
    let ours = p
        .derive(b"correct horse battery staple", &salt)
        .expect("the defaults are in range");
    assert_eq!(
        ours.expose(),
        &argon2_0_5(&p, b"correct horse battery staple", &salt)
    );
}
