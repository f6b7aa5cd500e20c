//! What unlocking, small fields and documents cost, measured with criterion.
//!
//! Each group puts the vault's own path next to the baseline it should be
//! judged against, in the same run, so the ratio means something on
//! whatever machine runs it:
//!
//! - `unlock`: `Vault::open` on a real on-disk vault with
//!   `KdfParams::DEFAULT`, next to Argon2id alone with the same parameters,
//!   and next to `Vault::open` of a vault whose KDF costs nothing (what is
//!   left is sled, the lock file and key derivation);
//! - `text`: `put_text` (which ends in a durable flush, i.e. fsync) and
//!   `get_text` on an open sled vault;
//! - `document_crypto`: the STREAM layer over 16 MiB in memory, next to raw
//!   ChaCha20-Poly1305 over the same bytes in the same 64 KiB chunks;
//! - `document_store`: `put_document` / `read_document` of 64 MiB in a
//!   real on-disk vault (the document's own file, its record in sled).
//!
//! `docs/performance.md` has the figures and how to reproduce them:
//!
//! ```text
//! CARGO_TARGET_DIR=/tmp/target-bench cargo bench -p vault-core --bench vault
//! ```

use std::hint::black_box;
use std::io;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode, Throughput};
use vault_core::crypto::kdf::SALT_LEN;
use vault_core::crypto::stream::{chunk_count, StreamOpener, StreamSealer, CHUNK_SIZE};
use vault_core::crypto::{SecretKey, NONCE_LEN, TAG_LEN};
use vault_core::{FieldPath, KdfParams, Role, Vault, VaultError};

const PASSPHRASE: &[u8] = b"correct horse battery staple";
/// Bytes run through the STREAM layer and raw AEAD per iteration.
const CRYPTO_BYTES: usize = 16 * 1024 * 1024;
/// Bytes of the document put into and read out of an on-disk vault.
const STORE_BYTES: usize = 64 * 1024 * 1024;

fn field(path: &str) -> FieldPath {
    FieldPath::parse(path).expect("the benchmark's field paths are valid")
}

/// Deterministic, incompressible-looking bytes (splitmix64).
fn test_bytes(len: usize) -> Vec<u8> {
    let mut state = 0x5eed_u64;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        out.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A vault on disk, created and then closed, so `Vault::open` can be timed.
fn closed_vault(dir: &Path, kdf: KdfParams) {
    drop(Vault::create(dir, PASSPHRASE, Role::Survivor, kdf).expect("create a vault"));
}

fn unlock(c: &mut Criterion) {
    let mut g = c.benchmark_group("unlock");
    // Each iteration is a few hundred milliseconds: ten flat samples.
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(5));

    let salt = [7u8; SALT_LEN];
    g.bench_function("argon2id_default_params", |b| {
        b.iter(|| {
            KdfParams::DEFAULT
                .derive(black_box(PASSPHRASE), &salt)
                .expect("the default parameters are in range")
        })
    });

    let real = tempfile::tempdir().expect("tempdir");
    closed_vault(real.path(), KdfParams::DEFAULT);
    g.bench_function("vault_open_default_params", |b| {
        // Includes the drop (sled flush, lock release) of each opened vault.
        b.iter(|| Vault::open(real.path(), black_box(PASSPHRASE)).expect("open"))
    });

    let cheap = tempfile::tempdir().expect("tempdir");
    closed_vault(cheap.path(), KdfParams::INSECURE_FOR_TESTS);
    g.bench_function("vault_open_without_kdf_cost", |b| {
        b.iter(|| Vault::open(cheap.path(), black_box(PASSPHRASE)).expect("open"))
    });
    g.finish();
}

fn text(c: &mut Criterion) {
    let mut g = c.benchmark_group("text");
    let dir = tempfile::tempdir().expect("tempdir");
    let vault = Vault::create(dir.path(), PASSPHRASE, Role::Survivor, KdfParams::DEFAULT)
        .expect("create a vault");
    let path = field("needs.housing");
    let value = "a ground-floor flat near the school, two bedrooms, no stairs";

    // The records folder syncs the record's file and the folder before
    // `put_text` returns: this is a durable write.
    g.bench_function("put_text_durable", |b| {
        b.iter(|| vault.put_text(&path, black_box(value)).expect("put_text"))
    });
    g.bench_function("get_text", |b| {
        b.iter(|| vault.get_text(black_box(&path)).expect("get_text"))
    });
    g.finish();
}

/// The nonce raw AEAD uses: a plain counter, so the baseline does no more
/// than ring must.
fn counter_nonce(i: u64) -> [u8; NONCE_LEN] {
    let mut n = [0u8; NONCE_LEN];
    n[..8].copy_from_slice(&i.to_le_bytes());
    n
}

fn document_crypto(c: &mut Criterion) {
    let mut g = c.benchmark_group("document_crypto");
    g.throughput(Throughput::Bytes(CRYPTO_BYTES as u64));
    let key = SecretKey::from_bytes([9; 32]);
    let data = test_bytes(CRYPTO_BYTES);
    let chunks: Vec<&[u8]> = data.chunks(CHUNK_SIZE).collect();
    let n = chunks.len();
    assert_eq!(n as u64, chunk_count(CRYPTO_BYTES as u64));

    // Both sides copy each plaintext chunk into one reused buffer and seal
    // it in place: the difference is only what STREAM adds.
    g.bench_function("seal_stream", |b| {
        let mut buf = Vec::with_capacity(CHUNK_SIZE + TAG_LEN);
        b.iter(|| {
            let mut sealer = StreamSealer::new(&key);
            for (i, chunk) in chunks.iter().enumerate() {
                buf.clear();
                buf.extend_from_slice(chunk);
                sealer.seal_chunk(&mut buf, i + 1 == n).expect("seal");
                black_box(&buf);
            }
        })
    });
    g.bench_function("seal_raw_chacha20poly1305", |b| {
        let mut buf = Vec::with_capacity(CHUNK_SIZE + TAG_LEN);
        b.iter(|| {
            let aead = key.aead();
            for (i, chunk) in chunks.iter().enumerate() {
                buf.clear();
                buf.extend_from_slice(chunk);
                aead.seal_in_place(counter_nonce(i as u64), b"", &mut buf);
                black_box(&buf);
            }
        })
    });

    let stream_sealed: Vec<Vec<u8>> = {
        let mut sealer = StreamSealer::new(&key);
        chunks
            .iter()
            .enumerate()
            .map(|(i, chunk)| {
                let mut buf = chunk.to_vec();
                sealer.seal_chunk(&mut buf, i + 1 == n).expect("seal");
                buf
            })
            .collect()
    };
    let raw_sealed: Vec<Vec<u8>> = {
        let aead = key.aead();
        chunks
            .iter()
            .enumerate()
            .map(|(i, chunk)| {
                let mut buf = chunk.to_vec();
                aead.seal_in_place(counter_nonce(i as u64), b"", &mut buf);
                buf
            })
            .collect()
    };

    g.bench_function("open_stream", |b| {
        let mut buf = Vec::with_capacity(CHUNK_SIZE + TAG_LEN);
        b.iter(|| {
            let mut opener = StreamOpener::new(&key);
            for (i, sealed) in stream_sealed.iter().enumerate() {
                buf.clear();
                buf.extend_from_slice(sealed);
                opener.open_chunk(&mut buf, i + 1 == n).expect("open");
                black_box(&buf);
            }
            opener.finish().expect("the last chunk was opened");
        })
    });
    g.bench_function("open_raw_chacha20poly1305", |b| {
        let mut buf = Vec::with_capacity(CHUNK_SIZE + TAG_LEN);
        b.iter(|| {
            let aead = key.aead();
            for (i, sealed) in raw_sealed.iter().enumerate() {
                buf.clear();
                buf.extend_from_slice(sealed);
                aead.open_in_place(counter_nonce(i as u64), b"", &mut buf)
                    .expect("open");
                black_box(&buf);
            }
        })
    });
    g.finish();
}

fn document_store(c: &mut Criterion) {
    let mut g = c.benchmark_group("document_store");
    g.throughput(Throughput::Bytes(STORE_BYTES as u64))
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(10));
    let dir = tempfile::tempdir().expect("tempdir");
    let vault = Vault::create(dir.path(), PASSPHRASE, Role::Survivor, KdfParams::DEFAULT)
        .expect("create a vault");
    let data = test_bytes(STORE_BYTES);
    let path = field("documents.lease");

    // Each put goes to an empty field: the previous copy is removed (and
    // its file deleted) untimed, so the disk does not fill up.
    g.bench_function("put_document_disk", |b| {
        b.iter_batched(
            || match vault.remove(&path) {
                Ok(()) | Err(VaultError::FieldNotFound(_)) => {}
                Err(e) => panic!("removing the previous copy failed: {e}"),
            },
            |()| {
                vault
                    .put_document(&path, &mut &data[..], &mut |_| {})
                    .expect("put_document")
            },
            BatchSize::PerIteration,
        )
    });

    vault
        .put_document(&path, &mut &data[..], &mut |_| {})
        .expect("put_document");
    g.bench_function("read_document_disk", |b| {
        b.iter(|| {
            let len = vault
                .read_document(&path, &mut io::sink(), &mut |_| {})
                .expect("read_document");
            assert_eq!(len, STORE_BYTES as u64);
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    // Short runs: the benchmark machine has two cores and is shared.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = unlock, text, document_crypto, document_store
}
criterion_main!(benches);
