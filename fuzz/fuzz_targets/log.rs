//! Relay log (`vault_core::relay::log`): entries decoded and the chain
//! checked by `verify_log`, as `vault history` and the app check what the
//! relay returns.
//!
//! Input (`arbitrary`): entry bytes, a remembered `Seen` (or none), and
//! whether the head is the true chain head. The head is signed here by a
//! fixed relay key, so every input reaches entry decoding and the chain.
//! Round trip: entries that verify re-encode to exactly their bytes, and
//! the returned `Seen` is the head's.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use vault_core::format;
use vault_core::relay::log::{chain, verify_log, Head, Seen};

#[derive(Debug, Arbitrary)]
struct Input {
    entries: Vec<Vec<u8>>,
    seen: Option<(u64, bool, [u8; 32])>,
    true_head: bool,
    head_seq: u64,
    at: u64,
}

fuzz_target!(|input: Input| {
    let mut hashes = vec![Head::EMPTY];
    for e in &input.entries {
        let h = chain(hashes.last().expect("one hash"), e);
        hashes.push(h);
    }
    let head = if input.true_head {
        Head {
            seq: input.entries.len() as u64,
            hash: *hashes.last().expect("one hash"),
            at: input.at,
        }
    } else {
        Head {
            seq: input.head_seq,
            hash: hashes[(input.head_seq % hashes.len() as u64) as usize],
            at: input.at,
        }
    };
    // A remembered head: on the true chain (by position) or made up.
    let seen = input.seen.map(|(seq, on_chain, hash)| {
        if on_chain {
            let i = (seq % hashes.len() as u64) as usize;
            Seen {
                seq: i as u64,
                hash: hashes[i],
            }
        } else {
            Seen { seq, hash }
        }
    });
    let relay = vault_fuzz::relay();
    let survivor = vault_fuzz::survivor().public();
    let sig = head.sign(relay, &survivor);
    let Ok((entries, new_seen)) = verify_log(
        &input.entries,
        &head,
        &sig,
        &relay.public(),
        &survivor,
        seen,
    ) else {
        return;
    };
    assert_eq!(entries.len(), input.entries.len());
    for (i, (e, bytes)) in entries.iter().zip(&input.entries).enumerate() {
        assert_eq!(
            &format::encode(e),
            bytes,
            "an entry re-encodes to other bytes"
        );
        assert_eq!(e.seq, i as u64 + 1);
    }
    assert_eq!(new_seen.seq, head.seq);
    assert_eq!(new_seen.hash, head.hash);
    // Another relay's signature on the same head is refused.
    let other = vault_core::Identity::from_seed(vault_core::Role::Relay, &[0x99; 32]);
    let forged = head.sign(&other, &survivor);
    assert!(verify_log(
        &input.entries,
        &head,
        &forged,
        &relay.public(),
        &survivor,
        seen
    )
    .is_err());
});
