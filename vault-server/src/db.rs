//! The relay's storage: what it keeps, and the one place where each
//! decision is made and recorded atomically.
//!
//! Keys (one sled tree, behind vault-core's `Store` trait):
//!
//! | key | value |
//! |---|---|
//! | `T` ‖ token id | [`TokenRecord`]: the token bytes, its account, uses, revoked |
//! | `C` ‖ token id ‖ be32(i) | piece `i` of the sealed share (≤ 64 KiB) |
//! | `A` ‖ survivor key ‖ token id | empty: the survivor's shares |
//! | `D` ‖ survivor key ‖ advocate key | be64(until): a delegation |
//! | `L` ‖ survivor key ‖ be64(seq) | log entry `seq`, `postcard(Entry)` |
//! | `H` ‖ survivor key | `postcard((seq, hash))`: the log's head |
//! | `N` ‖ nonce | be64(expiry): a request nonce already seen |
//!
//! Every function that changes state is called with the relay's write
//! lock held, builds one batch (state change and its log entry
//! together), applies it atomically and flushes (fsync) before returning,
//! so an answer is only ever given for a durable decision.

use serde::{Deserialize, Serialize};
use vault_core::relay::log::{self, Entry, Event, Head};
use vault_core::relay::Refusal;
use vault_core::store::{Op, Store, StoreError};
use vault_core::token::UnverifiedToken;
use vault_core::TokenId;

/// Bytes of sealed share per stored piece.
pub const PIECE: usize = 64 * 1024;

/// What the relay keeps about one token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// The signed token, exactly as uploaded.
    pub token: Vec<u8>,
    /// The survivor main key that uploaded it.
    pub account: [u8; 32],
    /// Redemptions made.
    pub uses: u32,
    /// Withdrawn?
    pub revoked: bool,
    /// When uploaded.
    pub created: u64,
    /// Length of the sealed share still stored (0 once deleted).
    pub share_len: u64,
}

fn key(prefix: u8, parts: &[&[u8]]) -> Vec<u8> {
    let mut k = vec![prefix];
    for p in parts {
        k.extend_from_slice(p);
    }
    k
}

/// Errors from storage are never shown to clients in detail.
#[derive(Debug)]
pub enum DbError {
    /// A refusal to answer with.
    Refused(Refusal),
    /// Storage failed, or stored data is damaged.
    Internal(String),
}

impl From<StoreError> for DbError {
    fn from(e: StoreError) -> Self {
        Self::Internal(e.to_string())
    }
}

impl From<Refusal> for DbError {
    fn from(r: Refusal) -> Self {
        Self::Refused(r)
    }
}

/// Reads a token record.
pub fn token(store: &dyn Store, id: &TokenId) -> Result<Option<TokenRecord>, DbError> {
    match store.get(&key(b'T', &[id]))? {
        None => Ok(None),
        Some(bytes) => postcard::from_bytes(&bytes)
            .map(Some)
            .map_err(|_| DbError::Internal("a stored token record is damaged".into())),
    }
}

fn put_token(id: &TokenId, rec: &TokenRecord) -> Op {
    Op::Insert(
        key(b'T', &[id]),
        postcard::to_allocvec(rec).expect("encoding into a Vec cannot fail"),
    )
}

/// The sealed share of a token, joined from its pieces.
pub fn share(store: &dyn Store, id: &TokenId, len: u64) -> Result<Vec<u8>, DbError> {
    let mut out = Vec::with_capacity(len as usize);
    for (_, piece) in store.scan_prefix(&key(b'C', &[id]))? {
        out.extend_from_slice(&piece);
    }
    if out.len() as u64 != len {
        return Err(DbError::Internal("a stored share is incomplete".into()));
    }
    Ok(out)
}

fn delete_share(store: &dyn Store, id: &TokenId) -> Result<Vec<Op>, DbError> {
    Ok(store
        .keys_with_prefix(&key(b'C', &[id]))?
        .into_iter()
        .map(Op::Remove)
        .collect())
}

/// The log's head for `survivor`: (seq, hash).
pub fn head(store: &dyn Store, survivor: &[u8; 32]) -> Result<(u64, [u8; 32]), DbError> {
    match store.get(&key(b'H', &[survivor]))? {
        None => Ok((0, Head::EMPTY)),
        Some(b) => postcard::from_bytes(&b)
            .map_err(|_| DbError::Internal("a stored log head is damaged".into())),
    }
}

/// Ops that append `event` to `survivor`'s log, given its current head.
/// Returns the ops and the new head.
fn append(
    head: (u64, [u8; 32]),
    survivor: &[u8; 32],
    at: u64,
    event: Event,
) -> (Vec<Op>, (u64, [u8; 32])) {
    let seq = head.0 + 1;
    let bytes =
        postcard::to_allocvec(&Entry { seq, at, event }).expect("encoding into a Vec cannot fail");
    let hash = log::chain(&head.1, &bytes);
    let ops = vec![
        Op::Insert(key(b'L', &[survivor, &seq.to_be_bytes()]), bytes),
        Op::Insert(
            key(b'H', &[survivor]),
            postcard::to_allocvec(&(seq, hash)).expect("encoding into a Vec cannot fail"),
        ),
    ];
    (ops, (seq, hash))
}

/// Applies `ops` plus the log entries for `events` atomically and durably.
fn commit(
    store: &dyn Store,
    mut ops: Vec<Op>,
    survivor: &[u8; 32],
    at: u64,
    events: Vec<Event>,
) -> Result<(), DbError> {
    let mut h = head(store, survivor)?;
    for e in events {
        let (more, next) = append(h, survivor, at, e);
        ops.extend(more);
        h = next;
    }
    store.apply(ops)?;
    store.flush()?;
    Ok(())
}

/// Every log entry of `survivor`, in order.
pub fn log_entries(store: &dyn Store, survivor: &[u8; 32]) -> Result<Vec<Vec<u8>>, DbError> {
    Ok(store
        .scan_prefix(&key(b'L', &[survivor]))?
        .into_iter()
        .map(|(_, v)| v)
        .collect())
}

/// Stores a new share (token already verified by the caller, share
/// already checked against its hash).
pub fn upload(
    store: &dyn Store,
    account: &[u8; 32],
    token: &UnverifiedToken,
    share: &[u8],
    now: u64,
) -> Result<(), DbError> {
    let id = *token.token_id();
    if store.get(&key(b'T', &[&id]))?.is_some() {
        return Err(Refusal::Conflict.into());
    }
    let rec = TokenRecord {
        token: token.bytes().to_vec(),
        account: *account,
        uses: 0,
        revoked: false,
        created: now,
        share_len: share.len() as u64,
    };
    let mut ops = vec![
        put_token(&id, &rec),
        Op::Insert(key(b'A', &[account, &id]), Vec::new()),
    ];
    for (i, piece) in share.chunks(PIECE).enumerate() {
        ops.push(Op::Insert(
            key(b'C', &[&id, &(i as u32).to_be_bytes()]),
            piece.to_vec(),
        ));
    }
    let b = token.body();
    let event = Event::ShareCreated {
        token_id: id,
        audience: b.audience,
        expires: b.expires,
        max_uses: b.max_uses,
    };
    commit(store, ops, account, now, vec![event])
}

/// The outcome of a redemption attempt, already durable.
#[derive(Debug)]
pub enum Redeemed {
    /// Granted: the record after counting, and the share.
    Granted { record: TokenRecord, share: Vec<u8> },
}

/// Counts one redemption, or refuses and logs why. `check` verifies the
/// token at `now` for the presenting agency (everything but uses and
/// revocation) and returns the token's max uses.
pub fn redeem(
    store: &dyn Store,
    id: &TokenId,
    agency: Option<[u8; 32]>,
    now: u64,
    check: impl FnOnce(&TokenRecord) -> Result<u32, Refusal>,
) -> Result<Redeemed, DbError> {
    let Some(mut rec) = token(store, id)? else {
        return Err(Refusal::NotFound.into());
    };
    let verdict = if rec.revoked {
        Err(Refusal::Revoked)
    } else {
        check(&rec).and_then(|max| {
            if rec.uses >= max {
                Err(Refusal::UsedUp)
            } else {
                Ok(max)
            }
        })
    };
    let account = rec.account;
    match verdict {
        Err(refusal) => {
            let mut ops = Vec::new();
            // An expired share is no use to anyone: drop its ciphertext.
            if refusal == Refusal::Expired && rec.share_len > 0 {
                ops = delete_share(store, id)?;
                rec.share_len = 0;
                ops.push(put_token(id, &rec));
            }
            commit(
                store,
                ops,
                &account,
                now,
                vec![Event::Refused {
                    token_id: *id,
                    agency,
                    reason: refusal.code().into(),
                }],
            )?;
            Err(refusal.into())
        }
        Ok(max) => {
            let share = share(store, id, rec.share_len)?;
            rec.uses += 1;
            let mut ops = Vec::new();
            let mut record = rec.clone();
            if rec.uses == max {
                // The last use: the relay keeps no ciphertext it will never serve.
                ops = delete_share(store, id)?;
                record.share_len = 0;
            }
            ops.push(put_token(id, &record));
            commit(
                store,
                ops,
                &account,
                now,
                vec![Event::Redeemed {
                    token_id: *id,
                    agency,
                    use_number: rec.uses,
                }],
            )?;
            Ok(Redeemed::Granted { record: rec, share })
        }
    }
}

/// Withdraws `id` if `allowed(record)`; otherwise `not_found` (the same
/// answer as for a token that does not exist).
pub fn revoke(
    store: &dyn Store,
    id: &TokenId,
    by: [u8; 32],
    by_advocate: bool,
    now: u64,
    allowed: impl Fn(&TokenRecord) -> bool,
) -> Result<bool, DbError> {
    let Some(mut rec) = token(store, id)? else {
        return Err(Refusal::NotFound.into());
    };
    if !allowed(&rec) {
        return Err(Refusal::NotFound.into());
    }
    if rec.revoked {
        return Ok(false);
    }
    let mut ops = delete_share(store, id)?;
    rec.revoked = true;
    rec.share_len = 0;
    ops.push(put_token(id, &rec));
    let account = rec.account;
    commit(
        store,
        ops,
        &account,
        now,
        vec![Event::Revoked {
            token_id: *id,
            by,
            by_advocate,
        }],
    )?;
    Ok(true)
}

/// Every token id of `survivor`.
pub fn account_tokens(store: &dyn Store, survivor: &[u8; 32]) -> Result<Vec<TokenId>, DbError> {
    store
        .keys_with_prefix(&key(b'A', &[survivor]))?
        .into_iter()
        .map(|k| {
            k[33..]
                .try_into()
                .map_err(|_| DbError::Internal("a stored index key is damaged".into()))
        })
        .collect()
}

/// Until when `advocate` may act for `survivor` (0 if not at all).
pub fn delegation(
    store: &dyn Store,
    survivor: &[u8; 32],
    advocate: &[u8; 32],
) -> Result<u64, DbError> {
    Ok(match store.get(&key(b'D', &[survivor, advocate]))? {
        Some(b) => u64::from_be_bytes(
            b.try_into()
                .map_err(|_| DbError::Internal("a stored delegation is damaged".into()))?,
        ),
        None => 0,
    })
}

/// Records a delegation.
pub fn delegate(
    store: &dyn Store,
    survivor: &[u8; 32],
    advocate: &[u8; 32],
    until: u64,
    now: u64,
) -> Result<(), DbError> {
    commit(
        store,
        vec![Op::Insert(
            key(b'D', &[survivor, advocate]),
            until.to_be_bytes().to_vec(),
        )],
        survivor,
        now,
        vec![Event::DelegationAdded {
            advocate: *advocate,
            until,
        }],
    )
}

/// Removes a delegation; `not_found` if there was none.
pub fn undelegate(
    store: &dyn Store,
    survivor: &[u8; 32],
    advocate: &[u8; 32],
    now: u64,
) -> Result<(), DbError> {
    if store.get(&key(b'D', &[survivor, advocate]))?.is_none() {
        return Err(Refusal::NotFound.into());
    }
    commit(
        store,
        vec![Op::Remove(key(b'D', &[survivor, advocate]))],
        survivor,
        now,
        vec![Event::DelegationRemoved {
            advocate: *advocate,
        }],
    )
}

/// Records a request nonce; `false` if it was already seen. Old nonces
/// (past `now`) are dropped as a side effect, a few at a time.
pub fn fresh_nonce(
    store: &dyn Store,
    nonce: &[u8; 16],
    expiry: u64,
    now: u64,
) -> Result<bool, DbError> {
    let k = key(b'N', &[nonce]);
    if let Some(b) = store.get(&k)? {
        let until = b.try_into().map(u64::from_be_bytes).unwrap_or(u64::MAX);
        if until > now {
            return Ok(false);
        }
    }
    let ops_key = k.clone();
    let mut ops = vec![Op::Insert(k, expiry.to_be_bytes().to_vec())];
    // Prune expired nonces about once in 64 requests (nonces are random,
    // so this is a fair coin), keeping each request's work small.
    if nonce[0] < 4 {
        for (old, v) in store.scan_prefix(b"N")? {
            // The nonce just accepted may be its own expired entry: keep it.
            if old == ops_key {
                continue;
            }
            if v.try_into().map(u64::from_be_bytes).is_ok_and(|u| u <= now) {
                ops.push(Op::Remove(old));
            }
        }
    }
    store.apply(ops)?;
    store.flush()?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    //! The storage functions on a `MemoryStore`, without HTTP: each
    //! decision, what it records, and what it deletes.

    use vault_core::token::{sign_body, TokenBody};
    use vault_core::{crypto, Identity, MemoryStore, Role};

    use super::*;

    const NOW: u64 = 1_795_000_000;
    const ACCOUNT: [u8; 32] = [1; 32];

    /// A signed token with id `[id; 32]` allowing `max_uses`, and a sealed
    /// share of three pieces (the last one short) that it signs.
    fn signed_token(id: u8, max_uses: u32) -> (UnverifiedToken, Vec<u8>) {
        let issuer = Identity::from_seed(Role::Survivor, &[9; 32]);
        let share: Vec<u8> = (0..2 * PIECE + 100).map(|i| (i % 251) as u8).collect();
        let body = TokenBody {
            token_id: [id; 32],
            issuer: *issuer.public().key_bytes(),
            audience: None,
            not_before: NOW - 60,
            expires: NOW + 3600,
            max_uses,
            payload_len: share.len() as u64,
            payload_hash: crypto::sha256(&[&share]),
            sealed_claims: vec![0; 256],
        };
        let t = UnverifiedToken::decode(&sign_body(&issuer, &body))
            .expect("a freshly signed token decodes");
        (t, share)
    }

    /// A store holding token `id`, uploaded by `ACCOUNT` at `NOW`.
    fn stored(id: u8, max_uses: u32) -> (MemoryStore, TokenId, Vec<u8>) {
        let store = MemoryStore::new();
        let (t, share) = signed_token(id, max_uses);
        upload(&store, &ACCOUNT, &t, &share, NOW).expect("a new token is stored");
        (store, *t.token_id(), share)
    }

    fn events(store: &dyn Store) -> Vec<Event> {
        log_entries(store, &ACCOUNT)
            .expect("the log reads")
            .iter()
            .map(|b| {
                postcard::from_bytes::<Entry>(b)
                    .expect("a log entry decodes")
                    .event
            })
            .collect()
    }

    fn pieces(store: &dyn Store) -> usize {
        store.keys_with_prefix(b"C").expect("the store reads").len()
    }

    fn record(store: &dyn Store, id: &TokenId) -> TokenRecord {
        token(store, id)
            .expect("the record reads")
            .expect("the record exists")
    }

    fn refused(r: &Result<impl std::fmt::Debug, DbError>) -> Option<Refusal> {
        match r {
            Err(DbError::Refused(refusal)) => Some(*refusal),
            _ => None,
        }
    }

    #[test]
    fn upload_stores_the_share_in_pieces_and_logs_it() {
        let (store, id, share_bytes) = stored(1, 1);
        assert_eq!(pieces(&store), 3);
        let rec = record(&store, &id);
        assert_eq!((rec.account, rec.uses, rec.revoked), (ACCOUNT, 0, false));
        assert_eq!(rec.share_len, share_bytes.len() as u64);
        assert_eq!(
            share(&store, &id, rec.share_len).expect("the share reads"),
            share_bytes
        );
        assert_eq!(account_tokens(&store, &ACCOUNT).expect("index"), [id]);
        assert_eq!(
            events(&store),
            [Event::ShareCreated {
                token_id: id,
                audience: None,
                expires: NOW + 3600,
                max_uses: 1,
            }]
        );
    }

    #[test]
    fn refuses_upload_of_a_stored_token_as_conflict() {
        let (store, _, _) = stored(1, 1);
        let (t, share) = signed_token(1, 1);
        let r = upload(&store, &[2; 32], &t, &share, NOW + 1);
        assert_eq!(refused(&r), Some(Refusal::Conflict));
        assert_eq!(events(&store).len(), 1);
        assert!(account_tokens(&store, &[2; 32]).expect("index").is_empty());
    }

    #[test]
    fn expired_refusal_is_logged_and_drops_the_ciphertext() {
        let (store, id, _) = stored(1, 3);
        let r = redeem(&store, &id, None, NOW + 4000, |_| Err(Refusal::Expired));
        assert_eq!(refused(&r), Some(Refusal::Expired));
        assert_eq!(pieces(&store), 0);
        let rec = record(&store, &id);
        assert_eq!((rec.uses, rec.share_len), (0, 0));
        assert_eq!(
            events(&store).last(),
            Some(&Event::Refused {
                token_id: id,
                agency: None,
                reason: "expired".into(),
            })
        );
        // Asking again is refused and logged again, with nothing left to drop.
        let r = redeem(&store, &id, Some([5; 32]), NOW + 4001, |_| {
            Err(Refusal::Expired)
        });
        assert_eq!(refused(&r), Some(Refusal::Expired));
        assert_eq!(events(&store).len(), 3);
    }

    #[test]
    fn other_refusals_keep_the_ciphertext() {
        let (store, id, _) = stored(1, 1);
        let r = redeem(&store, &id, None, NOW, |_| Err(Refusal::WrongAudience));
        assert_eq!(refused(&r), Some(Refusal::WrongAudience));
        assert_eq!(pieces(&store), 3);
        assert_eq!(record(&store, &id).uses, 0);
    }

    #[test]
    fn last_use_drops_the_ciphertext() {
        let (store, id, share_bytes) = stored(1, 2);
        let Redeemed::Granted { record: r1, share } =
            redeem(&store, &id, None, NOW, |_| Ok(2)).expect("first use");
        assert_eq!((r1.uses, share), (1, share_bytes.clone()));
        assert_eq!(pieces(&store), 3);
        let Redeemed::Granted { record: r2, share } =
            redeem(&store, &id, Some([5; 32]), NOW + 1, |_| Ok(2)).expect("last use");
        assert_eq!((r2.uses, share), (2, share_bytes));
        assert_eq!(pieces(&store), 0);
        assert_eq!(record(&store, &id).share_len, 0);

        let r = redeem(&store, &id, None, NOW + 2, |_| Ok(2));
        assert_eq!(refused(&r), Some(Refusal::UsedUp));
        assert_eq!(
            events(&store)[1..],
            [
                Event::Redeemed {
                    token_id: id,
                    agency: None,
                    use_number: 1,
                },
                Event::Redeemed {
                    token_id: id,
                    agency: Some([5; 32]),
                    use_number: 2,
                },
                Event::Refused {
                    token_id: id,
                    agency: None,
                    reason: "used_up".into(),
                },
            ]
        );
    }

    #[test]
    fn refuses_redeem_of_revoked_token_without_checking_it() {
        let (store, id, _) = stored(1, 1);
        assert!(revoke(&store, &id, ACCOUNT, false, NOW, |_| true).expect("revoke"));
        let r = redeem(&store, &id, None, NOW, |_| {
            panic!("a revoked token is refused before it is checked")
        });
        assert_eq!(refused(&r), Some(Refusal::Revoked));
    }

    #[test]
    fn refuses_redeem_of_unknown_token_without_logging() {
        let store = MemoryStore::new();
        let r = redeem(&store, &[3; 32], None, NOW, |_| Ok(1));
        assert_eq!(refused(&r), Some(Refusal::NotFound));
        assert!(store.keys_with_prefix(b"L").expect("scan").is_empty());
    }

    #[test]
    fn revoke_is_idempotent() {
        let (store, id, _) = stored(1, 1);
        assert!(revoke(&store, &id, ACCOUNT, false, NOW, |_| true).expect("first revoke"));
        assert_eq!(pieces(&store), 0);
        assert!(!revoke(&store, &id, ACCOUNT, false, NOW + 1, |_| true).expect("second revoke"));
        let rec = record(&store, &id);
        assert!(rec.revoked);
        assert_eq!(rec.share_len, 0);
        let revoked = events(&store)
            .iter()
            .filter(|e| matches!(e, Event::Revoked { .. }))
            .count();
        assert_eq!(revoked, 1);
    }

    #[test]
    fn revoke_not_allowed_looks_like_not_found() {
        let (store, id, _) = stored(1, 1);
        let r = revoke(&store, &id, [2; 32], false, NOW, |_| false);
        assert_eq!(refused(&r), Some(Refusal::NotFound));
        let r = revoke(&store, &[4; 32], ACCOUNT, false, NOW, |_| true);
        assert_eq!(refused(&r), Some(Refusal::NotFound));
        assert!(!record(&store, &id).revoked);
        assert_eq!(pieces(&store), 3);
        assert_eq!(events(&store).len(), 1);
    }

    #[test]
    fn fresh_nonce_refuses_replay_until_expiry() {
        let store = MemoryStore::new();
        for n in [[0; 16], [9; 16]] {
            assert!(fresh_nonce(&store, &n, NOW + 100, NOW).expect("first"));
            assert!(!fresh_nonce(&store, &n, NOW + 200, NOW + 1).expect("replay"));
            assert!(!fresh_nonce(&store, &n, NOW + 200, NOW + 99).expect("replay"));
            assert!(fresh_nonce(&store, &n, NOW + 300, NOW + 100).expect("after expiry"));
        }
    }

    #[test]
    fn fresh_nonce_records_a_nonce_accepted_again_after_expiry() {
        let store = MemoryStore::new();
        // Nonces starting 0..4 also take the pruning path.
        for n in [[0; 16], [9; 16]] {
            assert!(fresh_nonce(&store, &n, NOW + 100, NOW).expect("first"));
            assert!(fresh_nonce(&store, &n, NOW + 300, NOW + 100).expect("after expiry"));
            assert!(
                !fresh_nonce(&store, &n, NOW + 400, NOW + 101).expect("replay"),
                "nonce {n:?} was accepted again, so it was not recorded"
            );
        }
    }

    #[test]
    fn fresh_nonce_drops_expired_nonces_and_keeps_live_ones() {
        let store = MemoryStore::new();
        assert!(fresh_nonce(&store, &[5; 16], NOW + 10, NOW).expect("old"));
        assert!(fresh_nonce(&store, &[6; 16], NOW + 500, NOW).expect("live"));
        // A later request whose nonce takes the pruning path in any version.
        assert!(fresh_nonce(&store, &[0; 16], NOW + 600, NOW + 100).expect("new"));
        let kept = store.keys_with_prefix(b"N").expect("scan");
        assert!(
            !kept.contains(&key(b'N', &[&[5; 16]])),
            "expired nonce kept"
        );
        assert!(kept.contains(&key(b'N', &[&[6; 16]])));
        assert!(kept.contains(&key(b'N', &[&[0; 16]])));
    }

    #[test]
    fn undelegate_of_missing_delegation_is_not_found() {
        let store = MemoryStore::new();
        let advocate = [6; 32];
        let r = undelegate(&store, &ACCOUNT, &advocate, NOW);
        assert_eq!(refused(&r), Some(Refusal::NotFound));
        assert!(events(&store).is_empty());

        delegate(&store, &ACCOUNT, &advocate, NOW + 3600, NOW).expect("delegate");
        assert_eq!(
            delegation(&store, &ACCOUNT, &advocate).expect("read"),
            NOW + 3600
        );
        undelegate(&store, &ACCOUNT, &advocate, NOW + 1).expect("undelegate");
        assert_eq!(delegation(&store, &ACCOUNT, &advocate).expect("read"), 0);
        assert_eq!(
            events(&store),
            [
                Event::DelegationAdded {
                    advocate,
                    until: NOW + 3600,
                },
                Event::DelegationRemoved { advocate },
            ]
        );
    }

    #[test]
    fn head_chains_every_entry_in_order() {
        let (store, id, _) = stored(1, 1);
        redeem(&store, &id, None, NOW + 1, |_| Ok(1)).expect("redeem");
        let _ = redeem(&store, &id, None, NOW + 2, |_| Ok(1));
        revoke(&store, &id, ACCOUNT, false, NOW + 3, |_| true).expect("revoke");
        let entries = log_entries(&store, &ACCOUNT).expect("the log reads");
        let mut hash = Head::EMPTY;
        for (i, bytes) in entries.iter().enumerate() {
            let e: Entry = postcard::from_bytes(bytes).expect("an entry decodes");
            assert_eq!(e.seq, i as u64 + 1);
            hash = log::chain(&hash, bytes);
        }
        assert_eq!(head(&store, &ACCOUNT).expect("head"), (4, hash));
        // Another survivor's log is empty.
        assert_eq!(head(&store, &[2; 32]).expect("head"), (0, Head::EMPTY));
    }
}
