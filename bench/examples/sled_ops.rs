//! What one sled write costs, by kind, through vault-core's `SledStore`:
//! why the relay shares batches between decisions (issue 14; see
//! `docs/performance-sharing.md`).
//!
//! ```text
//! cargo run --release -p vault-bench --example sled_ops
//! ```
//!
//! For each case, a fresh store in a temporary folder is filled with
//! 10,000 token-like records (`T` ‖ 32-byte id → 700 bytes) and an
//! account's log (`L`, `H`), flushed, and then 10,000 operations are timed
//! on one thread: the time per operation and the bytes the process wrote
//! to the disk per operation (`write_bytes` of `/proc/self/io`, so Linux
//! only), flushes included where the case flushes.
//!
//! - `insert H`: `Store::insert` of one 40-byte value (no batch);
//! - `batch H`: `Store::apply` of a batch holding that one insert;
//! - `batch redemption`: the batch of a redemption that spends a token's
//!   last use: its record (700 bytes), a log entry (150 bytes), the head
//!   (40 bytes) and a garbage mark;
//! - `batch redemption ×8`: the same ops for eight tokens in one batch
//!   (as the relay's group apply merges decisions made at once), per
//!   redemption;
//! - `… + flush/4`: the case with `Store::flush` (sled's flush and
//!   `fdatasync`) after every fourth operation, as group commit might.

#![allow(
    clippy::print_stdout,
    reason = "a benchmark program: its output is the result"
)]

use std::time::Instant;

use vault_core::store::{Op, SledStore, Store};

const RECORDS: usize = 10_000;
const ACCOUNT: [u8; 32] = [7; 32];

fn written() -> u64 {
    std::fs::read_to_string("/proc/self/io")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("write_bytes:"))
                .and_then(|v| v.trim().parse().ok())
        })
        .unwrap_or(0)
}

fn key(prefix: u8, parts: &[&[u8]]) -> Vec<u8> {
    let mut k = vec![prefix];
    for p in parts {
        k.extend_from_slice(p);
    }
    k
}

/// Random-looking ids (xorshift; the same every run).
fn ids() -> Vec<[u8; 32]> {
    let mut state = 0x1234_5678_9abc_def1u64;
    (0..RECORDS)
        .map(|_| {
            let mut id = [0u8; 32];
            for chunk in id.chunks_mut(8) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                chunk.copy_from_slice(&state.to_le_bytes());
            }
            id
        })
        .collect()
}

fn redemption(id: &[u8; 32], seq: u64) -> Vec<Op> {
    vec![
        Op::Insert(key(b'T', &[id]), vec![5; 700]),
        Op::Insert(key(b'L', &[&ACCOUNT, &seq.to_be_bytes()]), vec![1; 150]),
        Op::Insert(key(b'H', &[&ACCOUNT]), vec![2; 40]),
        Op::Insert(key(b'P', &[id]), Vec::new()),
    ]
}

#[derive(Clone, Copy)]
enum Case {
    InsertHead,
    BatchHead,
    Redemption,
    Redemptions8,
}

fn run(
    name: &str,
    case: Case,
    flush_every: Option<usize>,
) -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let store = SledStore::open(dir.path())?;
    let ids = ids();
    for (i, id) in ids.iter().enumerate() {
        store.apply(redemption(id, i as u64))?;
    }
    store.flush()?;
    let before = written();
    let start = Instant::now();
    let mut seq = RECORDS as u64;
    let mut ops_done = 0;
    let mut i = 0;
    while i < RECORDS {
        match case {
            Case::InsertHead => store.insert(&key(b'H', &[&ACCOUNT]), &[2; 40])?,
            Case::BatchHead => {
                store.apply(vec![Op::Insert(key(b'H', &[&ACCOUNT]), vec![2; 40])])?
            }
            Case::Redemption => store.apply(redemption(&ids[i], seq))?,
            Case::Redemptions8 => {
                let mut batch = Vec::new();
                for id in ids.iter().skip(i).take(8) {
                    batch.extend(redemption(id, seq));
                    seq += 1;
                }
                store.apply(batch)?;
                i += 7;
            }
        }
        seq += 1;
        i += 1;
        ops_done += 1;
        if flush_every.is_some_and(|n| ops_done % n == 0) {
            store.flush()?;
        }
    }
    store.flush()?;
    let elapsed = start.elapsed();
    let bytes = written().saturating_sub(before);
    println!(
        "| {name} | {:.1} µs | {:.2} KiB |",
        elapsed.as_secs_f64() * 1e6 / RECORDS as f64,
        bytes as f64 / RECORDS as f64 / 1024.0
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("| operation | time per redemption (or op) | written per redemption (or op) |");
    println!("|---|---:|---:|");
    run("insert H", Case::InsertHead, None)?;
    run("batch H", Case::BatchHead, None)?;
    run("batch redemption", Case::Redemption, None)?;
    run("batch redemption ×8", Case::Redemptions8, None)?;
    run("batch redemption + flush/4", Case::Redemption, Some(4))?;
    run("batch redemption ×8 + flush/4", Case::Redemptions8, Some(4))?;
    Ok(())
}
