//! Argon2id with `KdfParams::DEFAULT` (64 MiB, t = 3, p = 4) with its four
//! lanes one after another and on threads, in one criterion run
//! (`argon2_lanes`):
//!
//! - `sequential_argon2_0_5`: the `argon2` crate 0.5.3, which vault-core
//!   used before (no `parallel` feature in that line);
//! - `parallel_argon2_0_6`: the `argon2` crate 0.6 with `parallel` (rayon's
//!   global pool, one thread per core), as vault-core now builds it for
//!   computers;
//! - `kdf_derive`: `KdfParams::DEFAULT.derive`, vault-core's own call (the
//!   one an unlock makes), which should be the same as the line above.
//!
//! Before measuring, it checks that all three give the same 32 bytes.
//!
//! ```text
//! CARGO_TARGET_DIR=/tmp/target-bench2 cargo bench -p vault-bench --bench argon2_lanes
//! ```

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use vault_core::crypto::kdf::SALT_LEN;
use vault_core::KdfParams;

const PASSPHRASE: &[u8] = b"correct horse battery staple";
const SALT: [u8; SALT_LEN] = [7; SALT_LEN];

fn old(p: &KdfParams) -> [u8; 32] {
    use argon2_05::{Algorithm, Argon2, Params, Version};
    let params = Params::new(p.memory_kib, p.iterations, p.parallelism, Some(32))
        .expect("the default parameters are valid");
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(black_box(PASSPHRASE), &SALT, &mut out)
        .expect("argon2 0.5 hashes");
    out
}

fn new(p: &KdfParams) -> [u8; 32] {
    use argon2::{Algorithm, Argon2, Params, Version};
    let params = Params::new(p.memory_kib, p.iterations, p.parallelism, Some(32))
        .expect("the default parameters are valid");
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(black_box(PASSPHRASE), &SALT, &mut out)
        .expect("argon2 0.6 hashes");
    out
}

fn derive(p: &KdfParams) -> [u8; 32] {
    *p.derive(black_box(PASSPHRASE), &SALT)
        .expect("the default parameters are in range")
        .expose()
}

fn lanes(c: &mut Criterion) {
    let p = KdfParams::DEFAULT;
    let reference = old(&p);
    assert_eq!(new(&p), reference, "argon2 0.6 (parallel) differs from 0.5");
    assert_eq!(
        derive(&p),
        reference,
        "vault-core's derive differs from 0.5"
    );

    let mut g = c.benchmark_group("argon2_lanes");
    // Each iteration is a few hundred milliseconds: ten flat samples.
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(5));
    g.bench_function("sequential_argon2_0_5", |b| b.iter(|| old(&p)));
    g.bench_function("parallel_argon2_0_6", |b| b.iter(|| new(&p)));
    g.bench_function("kdf_derive", |b| b.iter(|| derive(&p)));
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = lanes
}
criterion_main!(benches);
