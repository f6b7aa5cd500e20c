//! The relay's storage: what it keeps, and the one place where each
//! decision is made and recorded atomically.
//!
//! Two places, behind vault-core's traits: one sled tree (a [`Store`]) for
//! the small records, and one file per sealed share (a [`Documents`],
//! `DATA/shares/`, named by the token id in hex). Shares are files because
//! sled 0.34's memory and disk grow with the bytes that pass through it:
//! with 4 KiB ciphertexts in the same tree, the token index could not stay
//! cached (see `docs/performance-sharing.md`).
//!
//! Keys in the tree:
//!
//! | key | value |
//! |---|---|
//! | `T` ‖ token id | [`TokenRecord`]: the token bytes, its account, uses, revoked, share_len |
//! | `P` ‖ token id | empty: the share file of this token is garbage |
//! | `A` ‖ survivor key ‖ token id | empty: the survivor's shares |
//! | `D` ‖ survivor key ‖ advocate key | be64(until): a delegation |
//! | `L` ‖ survivor key ‖ be64(seq) | log entry `seq`, `postcard(Entry)` |
//! | `H` ‖ survivor key | `postcard((seq, hash))`: the log's head |
//! | `N` ‖ nonce | be64(expiry): a request nonce already seen |
//!
//! (`C` ‖ token id ‖ be32(i), pieces of a share kept inside the tree, is
//! what earlier versions wrote; [`recover`] moves such pieces into files.)
//!
//! Every function that changes state is called with the relay's write
//! lock held, builds one batch (state change and its log entry
//! together), applies it atomically and flushes (fsync) before returning,
//! so an answer is only ever given for a durable decision.
//!
//! A share file is written and removed around those batches so that a
//! crash at any point leaves no file that nothing names, using garbage
//! marks (`P`) as the survivor's vault does:
//!
//! - **upload**: the mark is inserted and flushed *before* the file
//!   exists; the file is written and synced; then the batch that stores
//!   the record also lifts the mark, and is flushed.
//! - **deletion** (last use, expired, withdrawn): the mark goes into the
//!   same batch as the state change (`share_len = 0`, log entry), which is
//!   flushed; then, with the write lock released and before the answer,
//!   the file is removed (synced), then the mark (not flushed: a mark
//!   left behind is only tried again). See [`Removals`].
//! - **start-up** ([`recover`]): every marked file is removed, best
//!   effort; a file that cannot be removed keeps its mark for next time.
//!
//! A marked file is never one a record still needs: a mark is only ever
//! inserted for a token with no record yet (upload) or in the batch that
//! sets its `share_len` to 0.

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};
use vault_core::relay::log::{self, Entry, Event, Head};
use vault_core::relay::Refusal;
use vault_core::store::{Documents, Op, Store, StoreError};
use vault_core::token::UnverifiedToken;
use vault_core::TokenId;

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
    /// Length of the sealed share still stored in its file (0 once
    /// deleted).
    pub share_len: u64,
}

fn key(prefix: u8, parts: &[&[u8]]) -> Vec<u8> {
    let mut k = vec![prefix];
    for p in parts {
        k.extend_from_slice(p);
    }
    k
}

/// `P` ‖ token id: the share file of `id` is garbage.
fn garbage_key(id: &TokenId) -> Vec<u8> {
    key(b'P', &[id])
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

/// The sealed share of a token: its whole file, which must be exactly
/// `len` bytes (the record's `share_len`). An empty share has no file.
pub fn share(shares: &dyn Documents, id: &TokenId, len: u64) -> Result<Vec<u8>, DbError> {
    if len == 0 {
        return Ok(Vec::new());
    }
    let file = shares
        .open(id)?
        .ok_or_else(|| DbError::Internal("a stored share is missing".into()))?;
    // `len` comes from the relay's own record (at most an upload's size);
    // reading one byte more tells a longer file from a whole one.
    let mut out = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(len.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| DbError::Internal(format!("a stored share cannot be read: {e}")))?;
    if out.len() as u64 != len {
        return Err(DbError::Internal(
            "a stored share has the wrong length".into(),
        ));
    }
    Ok(out)
}

/// Writes `bytes` as the share file of `id` and makes it durable.
fn write_share(shares: &dyn Documents, id: &TokenId, bytes: &[u8]) -> Result<(), DbError> {
    let mut file = shares.create(id)?;
    file.write_all(bytes)
        .map_err(|e| DbError::Internal(format!("a share file cannot be written: {e}")))?;
    file.commit()?;
    Ok(())
}

/// Removes the share file of `id`, then its garbage mark. The mark's
/// removal is not flushed: should it be lost, the next start-up removes
/// the (already absent) file again. If the file cannot be removed, the
/// mark stays and [`recover`] tries again at the next start-up.
fn drop_share(store: &dyn Store, shares: &dyn Documents, id: &TokenId) -> Result<(), StoreError> {
    shares.remove(id)?;
    store.apply(vec![Op::Remove(garbage_key(id))])
}

/// Share files whose deletion is already durable (their marks are in a
/// flushed batch) and that are still to be removed. The decision
/// functions collect them, and the caller runs them once the write lock
/// is released ([`crate::state::AppState::write_then_remove`]): nothing
/// else touches a share file once its deletion is decided, and an fsync
/// less under the lock is a redemption more a second.
#[derive(Debug, Default)]
#[must_use = "a deleted share's file stays until these run (or the next start)"]
pub struct Removals(Vec<TokenId>);

impl Removals {
    /// Removes each file, then its mark. A failure does not turn the
    /// decision's answer into an error; it is logged, the mark stays,
    /// and the next start-up tries again.
    pub fn run(self, store: &dyn Store, shares: &dyn Documents) {
        for id in self.0 {
            if let Err(e) = drop_share(store, shares, &id) {
                tracing::warn!(
                    target: "vault_server",
                    error = %e,
                    "a deleted share's file stays until the relay starts again"
                );
            }
        }
    }
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

/// `ops` followed by the ops that append `events` to `survivor`'s log.
fn with_log(
    store: &dyn Store,
    mut ops: Vec<Op>,
    survivor: &[u8; 32],
    at: u64,
    events: Vec<Event>,
) -> Result<Vec<Op>, DbError> {
    let mut h = head(store, survivor)?;
    for e in events {
        let (more, next) = append(h, survivor, at, e);
        ops.extend(more);
        h = next;
    }
    Ok(ops)
}

/// Applies `ops` plus the log entries for `events` atomically and durably.
fn commit(
    store: &dyn Store,
    ops: Vec<Op>,
    survivor: &[u8; 32],
    at: u64,
    events: Vec<Event>,
) -> Result<(), DbError> {
    store.apply(with_log(store, ops, survivor, at, events)?)?;
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
/// already checked against its hash), all at once: [`begin_upload`], the
/// file, [`finish_upload`]. The relay's route streams instead (the same
/// three steps, with the file written outside the write lock); this is
/// for tests and for filling benchmarks.
pub fn upload(
    store: &dyn Store,
    shares: &dyn Documents,
    account: &[u8; 32],
    token: &UnverifiedToken,
    share: &[u8],
    now: u64,
) -> Result<(), DbError> {
    let id = *token.token_id();
    begin_upload(store, &id, share.len() as u64)?;
    if !share.is_empty() {
        if let Err(e) = write_share(shares, &id, share) {
            abandon_upload(store, shares, &id);
            return Err(e);
        }
    }
    finish_upload(store, shares, account, token, share.len() as u64, now)
}

/// The first step of an upload of a share of `len` bytes, with the write
/// lock held: refuses a token id already stored (`conflict`); otherwise,
/// unless the share is empty, marks its file as garbage durably before
/// the file exists. Only one upload of a token id may be under way at a
/// time (the relay keeps a set of them), since a failed one removes the
/// file.
pub fn begin_upload(store: &dyn Store, id: &TokenId, len: u64) -> Result<(), DbError> {
    if store.get(&key(b'T', &[id]))?.is_some() {
        return Err(Refusal::Conflict.into());
    }
    // An empty share (no real client sends one: shares are padded to at
    // least 4 KiB) gets no file, so `share_len == 0` always means "no
    // file to remove".
    if len > 0 {
        store.insert(&garbage_key(id), b"")?;
        store.flush()?;
    }
    Ok(())
}

/// Removes the file and the mark of an upload that did not finish (best
/// effort: a mark left behind makes the next start-up remove the file).
pub fn abandon_upload(store: &dyn Store, shares: &dyn Documents, id: &TokenId) {
    if let Err(e) = drop_share(store, shares, id) {
        tracing::warn!(
            target: "vault_server",
            error = %e,
            "a failed upload's file stays until the relay starts again"
        );
    }
}

/// The last step of an upload, with the write lock held and the share's
/// file (of `len` bytes) already committed: the record, the index and the
/// log entry in one batch that also lifts the mark, then a flush. If the
/// batch fails, the file and the mark are removed.
pub fn finish_upload(
    store: &dyn Store,
    shares: &dyn Documents,
    account: &[u8; 32],
    token: &UnverifiedToken,
    len: u64,
    now: u64,
) -> Result<(), DbError> {
    let id = *token.token_id();
    let file = len > 0;
    let rec = TokenRecord {
        token: token.bytes().to_vec(),
        account: *account,
        uses: 0,
        revoked: false,
        created: now,
        share_len: len,
    };
    let b = token.body();
    let event = Event::ShareCreated {
        token_id: id,
        audience: b.audience,
        expires: b.expires,
        max_uses: b.max_uses,
    };
    let mut ops = vec![
        put_token(&id, &rec),
        Op::Insert(key(b'A', &[account, &id]), Vec::new()),
    ];
    if file {
        ops.push(Op::Remove(garbage_key(&id)));
    }
    let applied = with_log(store, ops, account, now, vec![event])
        .and_then(|ops| store.apply(ops).map_err(DbError::from));
    if let Err(e) = applied {
        // The batch was not applied: nothing names the file.
        if file {
            let _ = drop_share(store, shares, &id);
        }
        return Err(e);
    }
    // Should the flush fail, the batch may still reach the disk, naming
    // the file: it stays. If the batch is lost instead, its durable mark
    // makes the next start-up remove the file.
    store.flush()?;
    Ok(())
}

/// The outcome of a redemption attempt, already durable.
#[derive(Debug)]
pub enum Redeemed {
    /// Granted: the record after counting, and the share.
    Granted { record: TokenRecord, share: Vec<u8> },
}

/// Counts one redemption, or refuses and logs why. `check` verifies the
/// token at `now` for the presenting agency (everything but uses and
/// revocation) and returns the token's max uses. A share deleted by this
/// decision (last use, expired) is added to `later`. `agency` is the
/// agency that proved itself; `stale_agency` one whose proof was validly
/// signed at a time outside the clock window, named in the log only when
/// the refusal is `clock_skew`.
#[allow(
    clippy::too_many_arguments,
    reason = "one atomic step; each input is distinct"
)]
pub fn redeem(
    store: &dyn Store,
    shares: &dyn Documents,
    later: &mut Removals,
    id: &TokenId,
    agency: Option<[u8; 32]>,
    stale_agency: Option<[u8; 32]>,
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
            let delete = refusal == Refusal::Expired && rec.share_len > 0;
            if delete {
                rec.share_len = 0;
                ops.push(put_token(id, &rec));
                ops.push(Op::Insert(garbage_key(id), Vec::new()));
            }
            commit(
                store,
                ops,
                &account,
                now,
                vec![Event::Refused {
                    token_id: *id,
                    agency: agency.or(stale_agency.filter(|_| refusal == Refusal::ClockSkew)),
                    reason: refusal.code().into(),
                }],
            )?;
            if delete {
                later.0.push(*id);
            }
            Err(refusal.into())
        }
        Ok(max) => {
            // Read before counting: a use is never spent on a share the
            // relay cannot serve.
            let share = share(shares, id, rec.share_len)?;
            rec.uses += 1;
            let mut ops = Vec::new();
            let mut record = rec.clone();
            // The last use: the relay keeps no ciphertext it will never serve.
            let delete = rec.uses == max && rec.share_len > 0;
            if delete {
                record.share_len = 0;
                ops.push(Op::Insert(garbage_key(id), Vec::new()));
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
            if delete {
                later.0.push(*id);
            }
            Ok(Redeemed::Granted { record: rec, share })
        }
    }
}

/// Withdraws `id` if `allowed(record)`; otherwise `not_found` (the same
/// answer as for a token that does not exist). The share's file, if any,
/// is added to `later`.
pub fn revoke(
    store: &dyn Store,
    later: &mut Removals,
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
    // A used-up or expired share's file is already gone (or marked).
    let delete = rec.share_len > 0;
    let mut ops = Vec::new();
    if delete {
        ops.push(Op::Insert(garbage_key(id), Vec::new()));
    }
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
    if delete {
        later.0.push(*id);
    }
    Ok(true)
}

/// What [`recover`] did at start-up.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Recovered {
    /// Share files removed because they were marked as garbage.
    pub removed: usize,
    /// Marked files that could not be removed (tried again next time).
    pub left: usize,
    /// Shares moved from pieces inside the store into files.
    pub moved: usize,
}

/// Start-up work, before anything is served: removes every share file
/// marked as garbage (left by an upload or a deletion that a crash
/// interrupted), then moves the shares an earlier version kept as
/// pieces inside the store (`C` ‖ token id ‖ be32(i)) into files.
///
/// Removing garbage never fails start-up: a file that cannot be removed
/// keeps its mark and is counted in [`Recovered::left`].
pub fn recover(store: &dyn Store, shares: &dyn Documents) -> Result<Recovered, DbError> {
    let mut done = Recovered::default();
    for mark in store.keys_with_prefix(b"P")? {
        // A mark of another length is not one this relay wrote.
        let Ok(id) = TokenId::try_from(&mark[1..]) else {
            continue;
        };
        match drop_share(store, shares, &id) {
            Ok(()) => done.removed += 1,
            Err(_) => done.left += 1,
        }
    }
    if done.removed > 0 {
        store.flush()?;
    }
    done.moved = move_pieces(store, shares)?;
    Ok(done)
}

/// Moves each share still kept as `C` pieces inside the store into its
/// own file, one share at a time and crash-safely: the mark is durable
/// before the file exists, and one batch removes the pieces and lifts
/// the mark. Pieces that no live record names are just removed.
fn move_pieces(store: &dyn Store, shares: &dyn Documents) -> Result<usize, DbError> {
    let mut ids: Vec<TokenId> = store
        .keys_with_prefix(b"C")?
        .iter()
        .filter_map(|k| k.get(1..33).and_then(|id| id.try_into().ok()))
        .collect();
    ids.dedup();
    let mut moved = 0;
    for id in ids {
        let pieces = store.scan_prefix(&key(b'C', &[&id]))?;
        let mut ops: Vec<Op> = pieces.iter().map(|(k, _)| Op::Remove(k.clone())).collect();
        let bytes: Vec<u8> = pieces.into_iter().flat_map(|(_, v)| v).collect();
        match token(store, &id)? {
            Some(rec) if rec.share_len > 0 => {
                if rec.share_len != bytes.len() as u64 {
                    // Never servable as it is; left as found, for a person
                    // to look at, rather than destroyed at start-up.
                    tracing::warn!(
                        target: "vault_server",
                        "a share kept inside the store is incomplete; it stays there"
                    );
                    continue;
                }
                store.insert(&garbage_key(&id), b"")?;
                store.flush()?;
                if let Err(e) = write_share(shares, &id, &bytes) {
                    let _ = drop_share(store, shares, &id);
                    return Err(e);
                }
                ops.push(Op::Remove(garbage_key(&id)));
                moved += 1;
            }
            // No record needs these pieces any more.
            _ => {}
        }
        store.apply(ops)?;
        store.flush()?;
    }
    Ok(moved)
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

/// One stored delegation: the survivor's key, the advocate's key, and
/// until when (seconds since 1970).
pub type Delegation = ([u8; 32], [u8; 32], u64);

/// The delegations `signer` may see: as a survivor, those they gave; as
/// an advocate, those naming them (a scan of every delegation: there are
/// few, one per survivor and advocate). `(survivor, advocate, until)`,
/// ended ones included, soonest end first.
pub fn delegations(
    store: &dyn Store,
    signer: &[u8; 32],
    as_advocate: bool,
) -> Result<Vec<Delegation>, DbError> {
    let prefix = if as_advocate {
        key(b'D', &[])
    } else {
        key(b'D', &[signer])
    };
    let mut out = Vec::new();
    for (k, v) in store.scan_prefix(&prefix)? {
        let damaged = || DbError::Internal("a stored delegation is damaged".into());
        let survivor: [u8; 32] = k
            .get(1..33)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(damaged)?;
        let advocate: [u8; 32] = k
            .get(33..65)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(damaged)?;
        let until = u64::from_be_bytes(v.try_into().map_err(|_| damaged())?);
        if !as_advocate || &advocate == signer {
            out.push((survivor, advocate, until));
        }
    }
    out.sort_by_key(|d| d.2);
    Ok(out)
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
    //! The storage functions on a `MemoryStore` and `MemoryDocuments`,
    //! without HTTP: each decision, what it records, what it deletes, and
    //! in which order the tree and the share files are written (a
    //! journal of every write), so that a crash anywhere leaves nothing
    //! behind.

    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};

    use vault_core::store::{DocumentWriter, Entry as StoreEntry, MemoryDocuments};
    use vault_core::token::{sign_body, TokenBody};
    use vault_core::{crypto, Identity, MemoryStore, Role};

    use super::*;

    const NOW: u64 = 1_795_000_000;
    const ACCOUNT: [u8; 32] = [1; 32];
    /// A share that is more than one 64 KiB piece (as earlier versions
    /// stored them): 2 × 64 KiB + 100 bytes.
    const SHARE_LEN: usize = 2 * 65_536 + 100;

    /// Every write to the tree and the share files, in order.
    type Journal = Arc<Mutex<Vec<String>>>;

    fn note(journal: &Journal, what: String) {
        journal
            .lock()
            .expect("no test panics while holding the journal")
            .push(what);
    }

    /// `+T -P …`: the first byte of each key, inserted or removed.
    fn describe(ops: &[Op]) -> String {
        ops.iter()
            .map(|op| match op {
                Op::Insert(k, _) => format!("+{}", k[0] as char),
                Op::Remove(k) => format!("-{}", k[0] as char),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A `MemoryStore` that journals its writes, and can be told to fail
    /// batches that insert a token record.
    #[derive(Default)]
    struct Tree {
        inner: MemoryStore,
        journal: Journal,
        fail_record_batches: AtomicBool,
    }

    impl Store for Tree {
        fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
            self.inner.get(key)
        }
        fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
            note(&self.journal, format!("insert {}", key[0] as char));
            self.inner.insert(key, value)
        }
        fn apply(&self, ops: Vec<Op>) -> Result<(), StoreError> {
            let what = describe(&ops);
            if self.fail_record_batches.load(Ordering::Relaxed) && what.contains("+T") {
                note(&self.journal, format!("FAILED apply {what}"));
                return Err(StoreError::Io("the disk is full".into()));
            }
            note(&self.journal, format!("apply {what}"));
            self.inner.apply(ops)
        }
        fn scan_prefix(&self, prefix: &[u8]) -> Result<Vec<StoreEntry>, StoreError> {
            self.inner.scan_prefix(prefix)
        }
        fn keys_with_prefix(&self, prefix: &[u8]) -> Result<Vec<Vec<u8>>, StoreError> {
            self.inner.keys_with_prefix(prefix)
        }
        fn flush(&self) -> Result<(), StoreError> {
            note(&self.journal, "flush".into());
            self.inner.flush()
        }
    }

    /// `MemoryDocuments` that journal their writes, and can be told to
    /// fail a commit (after the bytes are stored) or a removal.
    #[derive(Default)]
    struct Files {
        inner: MemoryDocuments,
        journal: Journal,
        fail_commit: AtomicBool,
        fail_remove: AtomicBool,
    }

    struct FileWriter<'a> {
        inner: Box<dyn DocumentWriter + 'a>,
        files: &'a Files,
    }

    impl std::io::Write for FileWriter<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.inner.write(buf)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.inner.flush()
        }
    }

    impl DocumentWriter for FileWriter<'_> {
        fn commit(self: Box<Self>) -> Result<(), StoreError> {
            self.inner.commit()?;
            if self.files.fail_commit.load(Ordering::Relaxed) {
                note(&self.files.journal, "FAILED commit".into());
                return Err(StoreError::Io("fsync failed".into()));
            }
            note(&self.files.journal, "commit".into());
            Ok(())
        }
    }

    impl Documents for Files {
        fn create(&self, id: &[u8]) -> Result<Box<dyn DocumentWriter + '_>, StoreError> {
            note(&self.journal, "create".into());
            Ok(Box::new(FileWriter {
                inner: self.inner.create(id)?,
                files: self,
            }))
        }
        fn open(&self, id: &[u8]) -> Result<Option<Box<dyn Read + '_>>, StoreError> {
            self.inner.open(id)
        }
        fn remove(&self, id: &[u8]) -> Result<(), StoreError> {
            if self.fail_remove.load(Ordering::Relaxed) {
                note(&self.journal, "FAILED remove".into());
                return Err(StoreError::Io("permission denied".into()));
            }
            note(&self.journal, "remove".into());
            self.inner.remove(id)
        }
    }

    /// The relay's tree and share files, journalled.
    struct Db {
        store: Tree,
        shares: Files,
        journal: Journal,
    }

    impl Db {
        fn new() -> Self {
            let journal = Journal::default();
            Self {
                store: Tree {
                    journal: Arc::clone(&journal),
                    ..Tree::default()
                },
                shares: Files {
                    journal: Arc::clone(&journal),
                    ..Files::default()
                },
                journal,
            }
        }

        /// The journal since the last call.
        fn take_journal(&self) -> Vec<String> {
            std::mem::take(&mut *self.journal.lock().expect("not poisoned"))
        }

        fn upload(&self, t: &UnverifiedToken, share: &[u8]) -> Result<(), DbError> {
            upload(&self.store, &self.shares, &ACCOUNT, t, share, NOW)
        }

        /// Redeems, then runs the removals, as the relay does once its
        /// write lock is released.
        fn redeem(
            &self,
            id: &TokenId,
            agency: Option<[u8; 32]>,
            now: u64,
            check: impl FnOnce(&TokenRecord) -> Result<u32, Refusal>,
        ) -> Result<Redeemed, DbError> {
            let mut later = Removals::default();
            let r = redeem(
                &self.store,
                &self.shares,
                &mut later,
                id,
                agency,
                None,
                now,
                check,
            );
            later.run(&self.store, &self.shares);
            r
        }

        /// Withdraws, then runs the removals.
        fn revoke(
            &self,
            id: &TokenId,
            by: [u8; 32],
            now: u64,
            allowed: bool,
        ) -> Result<bool, DbError> {
            let mut later = Removals::default();
            let r = revoke(&self.store, &mut later, id, by, false, now, |_| allowed);
            later.run(&self.store, &self.shares);
            r
        }

        /// The share files: (id, bytes).
        fn files(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
            self.shares.inner.raw()
        }

        /// The token ids marked as garbage.
        fn marks(&self) -> Vec<Vec<u8>> {
            self.store
                .keys_with_prefix(b"P")
                .expect("the store reads")
                .into_iter()
                .map(|k| k[1..].to_vec())
                .collect()
        }

        fn record(&self, id: &TokenId) -> TokenRecord {
            token(&self.store, id)
                .expect("the record reads")
                .expect("the record exists")
        }

        fn events(&self) -> Vec<Event> {
            log_entries(&self.store, &ACCOUNT)
                .expect("the log reads")
                .iter()
                .map(|b| {
                    postcard::from_bytes::<Entry>(b)
                        .expect("a log entry decodes")
                        .event
                })
                .collect()
        }
    }

    /// A signed token with id `[id; 32]` allowing `max_uses`, and the
    /// sealed share (`SHARE_LEN` bytes) that it signs.
    fn signed_token(id: u8, max_uses: u32) -> (UnverifiedToken, Vec<u8>) {
        let issuer = Identity::from_seed(Role::Survivor, &[9; 32]);
        let share: Vec<u8> = (0..SHARE_LEN).map(|i| (i % 251) as u8).collect();
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

    /// A relay holding token `id`, uploaded by `ACCOUNT` at `NOW`; the
    /// journal is emptied.
    fn stored(id: u8, max_uses: u32) -> (Db, TokenId, Vec<u8>) {
        let db = Db::new();
        let (t, share) = signed_token(id, max_uses);
        db.upload(&t, &share).expect("a new token is stored");
        db.take_journal();
        (db, *t.token_id(), share)
    }

    fn refused(r: &Result<impl std::fmt::Debug, DbError>) -> Option<Refusal> {
        match r {
            Err(DbError::Refused(refusal)) => Some(*refusal),
            _ => None,
        }
    }

    fn internal(r: &Result<impl std::fmt::Debug, DbError>) -> bool {
        matches!(r, Err(DbError::Internal(_)))
    }

    // ------------------------------------------------------------ upload

    #[test]
    fn upload_stores_the_share_in_its_own_file_and_logs_it() {
        let (db, id, share_bytes) = stored(1, 1);
        assert_eq!(db.files(), [(id.to_vec(), share_bytes.clone())]);
        assert!(db.marks().is_empty(), "the upload left its mark");
        // Nothing of the share is in the tree.
        assert!(db.store.keys_with_prefix(b"C").expect("scan").is_empty());
        let rec = db.record(&id);
        assert_eq!((rec.account, rec.uses, rec.revoked), (ACCOUNT, 0, false));
        assert_eq!(rec.share_len, share_bytes.len() as u64);
        assert_eq!(
            share(&db.shares, &id, rec.share_len).expect("the share reads"),
            share_bytes
        );
        assert_eq!(account_tokens(&db.store, &ACCOUNT).expect("index"), [id]);
        assert_eq!(
            db.events(),
            [Event::ShareCreated {
                token_id: id,
                audience: None,
                expires: NOW + 3600,
                max_uses: 1,
            }]
        );
    }

    #[test]
    fn upload_marks_durably_before_the_file_exists_and_lifts_the_mark_with_the_record() {
        let db = Db::new();
        let (t, share) = signed_token(1, 1);
        db.upload(&t, &share).expect("stored");
        assert_eq!(
            db.take_journal(),
            [
                "insert P",
                "flush",
                "create",
                "commit",
                "apply +T +A -P +L +H",
                "flush"
            ]
        );
    }

    #[test]
    fn an_empty_share_gets_no_file_and_reads_back_empty() {
        let db = Db::new();
        let issuer = Identity::from_seed(Role::Survivor, &[9; 32]);
        let body = TokenBody {
            token_id: [1; 32],
            issuer: *issuer.public().key_bytes(),
            audience: None,
            not_before: NOW - 60,
            expires: NOW + 3600,
            max_uses: 1,
            payload_len: 0,
            payload_hash: crypto::sha256(&[b""]),
            sealed_claims: vec![0; 256],
        };
        let t = UnverifiedToken::decode(&sign_body(&issuer, &body)).expect("decodes");
        db.upload(&t, b"").expect("stored");
        assert!(db.files().is_empty());
        assert_eq!(db.take_journal(), ["apply +T +A +L +H", "flush"]);
        let Redeemed::Granted { share, .. } = db
            .redeem(t.token_id(), None, NOW, |_| Ok(1))
            .expect("granted");
        assert!(share.is_empty());
        assert_eq!(db.take_journal(), ["apply +T +L +H", "flush"]);
    }

    #[test]
    fn refuses_upload_of_a_stored_token_as_conflict_and_keeps_its_file() {
        let (db, id, share_bytes) = stored(1, 1);
        let (t, share) = signed_token(1, 1);
        let r = upload(&db.store, &db.shares, &[2; 32], &t, &share, NOW + 1);
        assert_eq!(refused(&r), Some(Refusal::Conflict));
        assert!(db.take_journal().is_empty(), "a conflict writes nothing");
        assert_eq!(db.events().len(), 1);
        assert!(account_tokens(&db.store, &[2; 32])
            .expect("index")
            .is_empty());
        assert_eq!(db.files(), [(id.to_vec(), share_bytes)]);
    }

    #[test]
    fn upload_whose_batch_fails_leaves_no_file_no_mark_and_no_record() {
        let db = Db::new();
        db.store.fail_record_batches.store(true, Ordering::Relaxed);
        let (t, share) = signed_token(1, 1);
        assert!(internal(&db.upload(&t, &share)));
        assert!(db.files().is_empty(), "the file of a failed upload stays");
        assert!(db.marks().is_empty());
        assert!(token(&db.store, t.token_id()).expect("reads").is_none());
        // The same upload works once the store does.
        db.store.fail_record_batches.store(false, Ordering::Relaxed);
        db.upload(&t, &share).expect("stored on a second try");
        assert_eq!(db.files().len(), 1);
    }

    #[test]
    fn upload_whose_file_cannot_be_made_durable_leaves_no_file_no_mark_and_no_record() {
        let db = Db::new();
        db.shares.fail_commit.store(true, Ordering::Relaxed);
        let (t, share) = signed_token(1, 1);
        assert!(internal(&db.upload(&t, &share)));
        assert!(db.files().is_empty());
        assert!(db.marks().is_empty());
        assert!(token(&db.store, t.token_id()).expect("reads").is_none());
        assert!(db.events().is_empty());
    }

    // ------------------------------------------------------------ redeem

    #[test]
    fn expired_refusal_is_logged_and_removes_the_share_file() {
        let (db, id, _) = stored(1, 3);
        let r = db.redeem(&id, None, NOW + 4000, |_| Err(Refusal::Expired));
        assert_eq!(refused(&r), Some(Refusal::Expired));
        assert!(db.files().is_empty(), "an expired share's file stays");
        assert!(db.marks().is_empty());
        let rec = db.record(&id);
        assert_eq!((rec.uses, rec.share_len), (0, 0));
        assert_eq!(
            db.events().last(),
            Some(&Event::Refused {
                token_id: id,
                agency: None,
                reason: "expired".into(),
            })
        );
        // Asking again is refused and logged again, with nothing left to drop.
        db.take_journal();
        let r = db.redeem(&id, Some([5; 32]), NOW + 4001, |_| Err(Refusal::Expired));
        assert_eq!(refused(&r), Some(Refusal::Expired));
        assert_eq!(db.events().len(), 3);
        assert_eq!(db.take_journal(), ["apply +L +H", "flush"]);
    }

    #[test]
    fn deleting_marks_in_the_decision_batch_then_removes_the_file_then_the_mark() {
        let (db, id, _) = stored(1, 3);
        let _ = db.redeem(&id, None, NOW + 4000, |_| Err(Refusal::Expired));
        assert_eq!(
            db.take_journal(),
            ["apply +T +P +L +H", "flush", "remove", "apply -P"]
        );
        let (db, id, _) = stored(2, 1);
        db.redeem(&id, None, NOW, |_| Ok(1)).expect("the last use");
        assert_eq!(
            db.take_journal(),
            ["apply +P +T +L +H", "flush", "remove", "apply -P"]
        );
        let (db, id, _) = stored(3, 2);
        db.revoke(&id, ACCOUNT, NOW, true).expect("withdrawn");
        assert_eq!(
            db.take_journal(),
            ["apply +P +T +L +H", "flush", "remove", "apply -P"]
        );
    }

    #[test]
    fn other_refusals_keep_the_share_file() {
        let (db, id, share_bytes) = stored(1, 1);
        let r = db.redeem(&id, None, NOW, |_| Err(Refusal::WrongAudience));
        assert_eq!(refused(&r), Some(Refusal::WrongAudience));
        assert_eq!(db.files(), [(id.to_vec(), share_bytes)]);
        assert_eq!(db.record(&id).uses, 0);
        assert_eq!(db.take_journal(), ["apply +L +H", "flush"]);
    }

    #[test]
    fn last_use_removes_the_share_file() {
        let (db, id, share_bytes) = stored(1, 2);
        let Redeemed::Granted { record: r1, share } =
            db.redeem(&id, None, NOW, |_| Ok(2)).expect("first use");
        assert_eq!((r1.uses, share), (1, share_bytes.clone()));
        assert_eq!(
            db.files().len(),
            1,
            "the share file went before the last use"
        );
        assert_eq!(db.take_journal(), ["apply +T +L +H", "flush"]);
        let Redeemed::Granted { record: r2, share } = db
            .redeem(&id, Some([5; 32]), NOW + 1, |_| Ok(2))
            .expect("last use");
        assert_eq!((r2.uses, share), (2, share_bytes));
        assert!(db.files().is_empty(), "a used-up share's file stays");
        assert!(db.marks().is_empty());
        assert_eq!(db.record(&id).share_len, 0);

        let r = db.redeem(&id, None, NOW + 2, |_| Ok(2));
        assert_eq!(refused(&r), Some(Refusal::UsedUp));
        assert_eq!(
            db.events()[1..],
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
    fn redeem_of_a_share_whose_file_is_missing_counts_nothing() {
        let (db, id, _) = stored(1, 2);
        db.shares
            .inner
            .remove(&id)
            .expect("removed behind the relay's back");
        db.take_journal();
        let r = db.redeem(&id, None, NOW, |_| Ok(2));
        assert!(internal(&r), "{r:?}");
        assert_eq!(db.record(&id).uses, 0);
        assert!(db.take_journal().is_empty(), "nothing is written");
    }

    #[test]
    fn redeem_of_a_share_file_of_another_length_counts_nothing() {
        for len in [SHARE_LEN - 1, SHARE_LEN + 1] {
            let (db, id, _) = stored(1, 2);
            db.shares.inner.set_raw(&id, vec![0; len]);
            let r = db.redeem(&id, None, NOW, |_| Ok(2));
            assert!(internal(&r), "{len} bytes: {r:?}");
            assert_eq!(db.record(&id).uses, 0);
        }
    }

    #[test]
    fn a_file_that_cannot_be_removed_keeps_its_mark_and_the_decision_stands() {
        let (db, id, share_bytes) = stored(1, 1);
        db.shares.fail_remove.store(true, Ordering::Relaxed);
        let Redeemed::Granted { share, .. } = db
            .redeem(&id, None, NOW, |_| Ok(1))
            .expect("the use is granted");
        assert_eq!(share, share_bytes);
        assert_eq!(db.record(&id).uses, 1);
        assert_eq!(db.marks(), [id.to_vec()], "the mark went before its file");
        assert_eq!(db.files().len(), 1);
        // At the next start the file goes, then its mark.
        db.shares.fail_remove.store(false, Ordering::Relaxed);
        let done = recover(&db.store, &db.shares).expect("recovers");
        assert_eq!((done.removed, done.left), (1, 0));
        assert!(db.files().is_empty());
        assert!(db.marks().is_empty());
    }

    #[test]
    fn refuses_redeem_of_revoked_token_without_checking_it() {
        let (db, id, _) = stored(1, 1);
        assert!(db.revoke(&id, ACCOUNT, NOW, true).expect("revoke"));
        let r = db.redeem(&id, None, NOW, |_| {
            panic!("a revoked token is refused before it is checked")
        });
        assert_eq!(refused(&r), Some(Refusal::Revoked));
    }

    #[test]
    fn refuses_redeem_of_unknown_token_without_logging() {
        let db = Db::new();
        let r = db.redeem(&[3; 32], None, NOW, |_| Ok(1));
        assert_eq!(refused(&r), Some(Refusal::NotFound));
        assert!(db.take_journal().is_empty());
    }

    // ------------------------------------------------------------ revoke

    #[test]
    fn revoke_removes_the_share_file_and_is_idempotent() {
        let (db, id, _) = stored(1, 1);
        assert!(db.revoke(&id, ACCOUNT, NOW, true).expect("first revoke"));
        assert!(db.files().is_empty(), "a withdrawn share's file stays");
        assert!(db.marks().is_empty());
        db.take_journal();
        assert!(!db
            .revoke(&id, ACCOUNT, NOW + 1, true)
            .expect("second revoke"));
        assert!(db.take_journal().is_empty());
        let rec = db.record(&id);
        assert!(rec.revoked);
        assert_eq!(rec.share_len, 0);
        let revoked = db
            .events()
            .iter()
            .filter(|e| matches!(e, Event::Revoked { .. }))
            .count();
        assert_eq!(revoked, 1);
    }

    #[test]
    fn revoking_a_used_up_share_marks_no_file() {
        let (db, id, _) = stored(1, 1);
        db.redeem(&id, None, NOW, |_| Ok(1)).expect("the only use");
        db.take_journal();
        assert!(db.revoke(&id, ACCOUNT, NOW + 1, true).expect("withdrawn"));
        assert_eq!(db.take_journal(), ["apply +T +L +H", "flush"]);
    }

    #[test]
    fn revoke_not_allowed_looks_like_not_found() {
        let (db, id, share_bytes) = stored(1, 1);
        let r = db.revoke(&id, [2; 32], NOW, false);
        assert_eq!(refused(&r), Some(Refusal::NotFound));
        let r = db.revoke(&[4; 32], ACCOUNT, NOW, true);
        assert_eq!(refused(&r), Some(Refusal::NotFound));
        assert!(!db.record(&id).revoked);
        assert_eq!(db.files(), [(id.to_vec(), share_bytes)]);
        assert_eq!(db.events().len(), 1);
    }

    // ---------------------------------------------------------- start-up

    #[test]
    fn recover_removes_what_a_crash_left_marked_and_nothing_else() {
        let (db, live, live_bytes) = stored(1, 1);
        // A crash after an upload's mark and file, before its batch: a
        // mark, a file, no record.
        let (t, share) = signed_token(2, 1);
        let crashed = *t.token_id();
        db.store.insert(&garbage_key(&crashed), b"").expect("mark");
        let mut f = db.shares.create(&crashed).expect("create");
        f.write_all(&share).expect("write");
        f.commit().expect("commit");
        // A crash after a withdrawal's batch, before its file went.
        let (db2, withdrawn, _) = stored(3, 1);
        db2.shares.fail_remove.store(true, Ordering::Relaxed);
        db2.revoke(&withdrawn, ACCOUNT, NOW, true)
            .expect("withdrawn");
        for (k, v) in db2.store.inner.raw_entries() {
            db.store.insert(&k, &v).expect("copied");
        }
        for (id, bytes) in db2.files() {
            db.shares.inner.set_raw(&id, bytes);
        }
        // A mark of another length is not the relay's: left alone.
        db.store.insert(b"Pshort", b"").expect("odd mark");
        assert_eq!(db.files().len(), 3);

        let done = recover(&db.store, &db.shares).expect("recovers");
        assert_eq!(
            done,
            Recovered {
                removed: 2,
                left: 0,
                moved: 0
            }
        );
        assert_eq!(db.files(), [(live.to_vec(), live_bytes)]);
        assert_eq!(db.marks(), [b"short".to_vec()]);
        assert!(token(&db.store, &crashed).expect("reads").is_none());
        // The live share still redeems.
        db.redeem(&live, None, NOW, |_| Ok(1))
            .expect("still served");
    }

    #[test]
    fn recover_keeps_the_mark_of_a_file_it_cannot_remove() {
        let db = Db::new();
        let id = [7; 32];
        db.store.insert(&garbage_key(&id), b"").expect("mark");
        db.shares.inner.set_raw(&id, vec![1; 10]);
        db.shares.fail_remove.store(true, Ordering::Relaxed);
        let done = recover(&db.store, &db.shares).expect("start-up goes on");
        assert_eq!((done.removed, done.left), (0, 1));
        assert_eq!(db.marks(), [id.to_vec()]);
    }

    #[test]
    fn recover_moves_shares_kept_as_pieces_in_the_store_into_files() {
        let db = Db::new();
        // What earlier versions wrote: the record and 64 KiB pieces.
        let old = |id: u8, uses: u32, keep: bool| -> (TokenId, Vec<u8>) {
            let (t, share) = signed_token(id, 1);
            let tid = *t.token_id();
            let rec = TokenRecord {
                token: t.bytes().to_vec(),
                account: ACCOUNT,
                uses,
                revoked: false,
                created: NOW,
                share_len: if keep { share.len() as u64 } else { 0 },
            };
            let mut ops = vec![put_token(&tid, &rec)];
            for (i, piece) in share.chunks(65_536).enumerate() {
                ops.push(Op::Insert(
                    key(b'C', &[&tid, &(i as u32).to_be_bytes()]),
                    piece.to_vec(),
                ));
            }
            db.store.apply(ops).expect("old layout");
            (tid, share)
        };
        let (live, live_bytes) = old(1, 0, true);
        // Pieces no record needs (a crash cannot leave these, but a
        // damaged store might): removed, not moved.
        let (spent, _) = old(2, 1, false);
        assert_eq!(db.store.keys_with_prefix(b"C").expect("scan").len(), 6);

        let done = recover(&db.store, &db.shares).expect("recovers");
        assert_eq!(done.moved, 1);
        assert!(db.store.keys_with_prefix(b"C").expect("scan").is_empty());
        assert!(db.marks().is_empty());
        assert_eq!(db.files(), [(live.to_vec(), live_bytes.clone())]);
        assert!(db.shares.inner.open(&spent).expect("open").is_none());
        let Redeemed::Granted { share, .. } = db
            .redeem(&live, None, NOW, |_| Ok(1))
            .expect("served from its file");
        assert_eq!(share, live_bytes);
        // Done once: the next start moves nothing.
        assert_eq!(recover(&db.store, &db.shares).expect("again").moved, 0);
    }

    #[test]
    fn recover_leaves_pieces_of_the_wrong_length_where_they_are() {
        let db = Db::new();
        let (t, _) = signed_token(1, 1);
        let tid = *t.token_id();
        let rec = TokenRecord {
            token: t.bytes().to_vec(),
            account: ACCOUNT,
            uses: 0,
            revoked: false,
            created: NOW,
            share_len: 500,
        };
        db.store
            .apply(vec![
                put_token(&tid, &rec),
                Op::Insert(key(b'C', &[&tid, &0u32.to_be_bytes()]), vec![1; 100]),
            ])
            .expect("old layout");
        assert_eq!(recover(&db.store, &db.shares).expect("recovers").moved, 0);
        assert_eq!(db.store.keys_with_prefix(b"C").expect("scan").len(), 1);
        assert!(db.files().is_empty());
        assert!(db.marks().is_empty());
    }

    // ------------------------------------------------------------ others

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
        let db = Db::new();
        let store = &db.store;
        let advocate = [6; 32];
        let r = undelegate(store, &ACCOUNT, &advocate, NOW);
        assert_eq!(refused(&r), Some(Refusal::NotFound));
        assert!(db.events().is_empty());

        delegate(store, &ACCOUNT, &advocate, NOW + 3600, NOW).expect("delegate");
        assert_eq!(
            delegation(store, &ACCOUNT, &advocate).expect("read"),
            NOW + 3600
        );
        undelegate(store, &ACCOUNT, &advocate, NOW + 1).expect("undelegate");
        assert_eq!(delegation(store, &ACCOUNT, &advocate).expect("read"), 0);
        assert_eq!(
            db.events(),
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
        let (db, id, _) = stored(1, 1);
        db.redeem(&id, None, NOW + 1, |_| Ok(1)).expect("redeem");
        let _ = db.redeem(&id, None, NOW + 2, |_| Ok(1));
        db.revoke(&id, ACCOUNT, NOW + 3, true).expect("revoke");
        let entries = log_entries(&db.store, &ACCOUNT).expect("the log reads");
        let mut hash = Head::EMPTY;
        for (i, bytes) in entries.iter().enumerate() {
            let e: Entry = postcard::from_bytes(bytes).expect("an entry decodes");
            assert_eq!(e.seq, i as u64 + 1);
            hash = log::chain(&hash, bytes);
        }
        assert_eq!(head(&db.store, &ACCOUNT).expect("head"), (4, hash));
        // Another survivor's log is empty.
        assert_eq!(head(&db.store, &[2; 32]).expect("head"), (0, Head::EMPTY));
    }
}
