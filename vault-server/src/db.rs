//! The relay's storage: what it keeps, and how each decision
//! ([`crate::decide`]) is applied atomically and durably.
//!
//! The rules are not here: a decision function gets what is stored, the
//! request and the time, and returns a [`Plan`] (writes, log events, a
//! share to serve, share files to remove). This module holds the
//! [`RelayStore`] trait (what any storage engine must guarantee), its
//! implementation over a vault-core [`Store`] ([`KvRelay`]; in the relay,
//! the journal in front of sled, [`crate::journal`]), the share-file crash
//! protocol, group commit and start-up
//! migration ([`recover`]).
//!
//! Two places, behind vault-core's traits: one tree (a [`Store`]: the
//! journal and sled) for the small records, and one file per sealed share (a [`Documents`],
//! `DATA/shares/`, named by the token id in hex). Shares are files because
//! sled 0.34's memory and disk grow with the bytes that pass through it:
//! with 4 KiB ciphertexts in the same tree, the token index could not stay
//! cached (see `docs/performance-sharing.md`).
//!
//! Keys in the tree:
//!
//! | key | value |
//! |---|---|
//! | `T` ‖ token id | `postcard(TokenRecord) ‖ postcard(Terms)`: the token bytes, its account, uses, revoked, share_len; then the claims verified at upload ([`Terms`]) |
//! | `P` ‖ token id | empty: the share file of this token is garbage |
//! | `A` ‖ survivor key ‖ token id | empty: the survivor's shares |
//! | `D` ‖ survivor key ‖ advocate key | be64(until): a delegation |
//! | `L` ‖ survivor key ‖ be64(seq) | log entry `seq`, `postcard(Entry)` |
//! | `H` ‖ survivor key | `postcard((seq, hash))`: the log's head |
//! | `N` ‖ nonce | be64(expiry): a request nonce already seen |
//!
//! A `T` value without the terms is what earlier versions wrote: its
//! token is verified (signature, limits, issuer key) the first time it is
//! loaded, refused as damaged if that fails, and the terms are written
//! with the first decision about it. (`C` ‖ token id ‖ be32(i), pieces of
//! a share kept inside the tree, is also what earlier versions wrote;
//! [`recover`] moves such pieces into files.)
//!
//! **Atomicity.** Every decision is about one survivor's records (a
//! token's record and the log of the survivor who uploaded it, their
//! delegations): [`KvRelay`] holds that account's lock stripe (one of
//! [`STRIPES`] mutexes, chosen by the account key) while it loads, decides
//! and applies the plan's writes and log entries as one batch. Decisions
//! about other survivors run at the same time. Request nonces have their
//! own lock.
//!
//! **Durability: group commit.** After its batch is applied (and its
//! stripe released), a decision waits until a flush (fsync) that started
//! after its batch has finished: the first waiter flushes for everyone
//! whose batch was applied before it began, the others wait for it. An
//! answer is still only ever given for a durable decision, and a decision
//! that read another's writes waits for them too (their batch came
//! first). A decision that writes nothing waits for what it read.
//!
//! A share file is written and removed around those batches so that a
//! crash at any point leaves no file that nothing names, using garbage
//! marks (`P`) as the survivor's vault does:
//!
//! - **upload**: the mark is applied and made durable *before* the file
//!   exists; the file is written and synced; then the batch that stores
//!   the record also lifts the mark, and is made durable.
//! - **deletion** (last use, expired, withdrawn): the mark goes into the
//!   same batch as the state change (`share_len = 0`, log entry), which is
//!   made durable; then, with no lock held and before the answer, the
//!   file is removed (synced), then the mark (not flushed: a mark left
//!   behind is only tried again). Each removal syncs the shares folder on
//!   its own; removals are not batched (they happen once per share, after
//!   its last use, and outside every lock).
//! - **start-up** ([`recover`]): every marked file is removed, best
//!   effort; a file that cannot be removed keeps its mark for next time.
//!
//! A marked file is never one a record still needs: a mark is only ever
//! inserted for a token with no record yet (upload) or in the batch that
//! sets its `share_len` to 0.

use std::io::{Read, Write as _};
use std::sync::{Condvar, Mutex, MutexGuard};

use vault_core::relay::log::Head;
use vault_core::relay::Refusal;
use vault_core::store::{DocumentWriter, Documents, Op, Store, StoreError};
use vault_core::token::UnverifiedToken;
use vault_core::TokenId;

pub use crate::decide::TokenRecord;
use crate::decide::{self, Decision, Denied, LogHead, Plan, StoredToken, Terms, Write};

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

fn damaged(what: &str) -> DbError {
    DbError::Internal(format!("a stored {what} is damaged"))
}

/// One stored delegation: the survivor's key, the advocate's key, and
/// until when (seconds since 1970).
pub type Delegation = ([u8; 32], [u8; 32], u64);

// ------------------------------------------------------------ the trait

/// What a decision may read while its storage holds the decision's
/// account (see [`RelayStore::decide`]).
pub trait Load {
    /// A token's record and verified terms.
    fn token(&mut self, id: &TokenId) -> Result<Option<StoredToken>, DbError>;
    /// Until when `advocate` may act for `survivor`, if a delegation is
    /// stored (ended ones included).
    fn delegation(
        &mut self,
        survivor: &[u8; 32],
        advocate: &[u8; 32],
    ) -> Result<Option<u64>, DbError>;
    /// Every share of `survivor`, with its record.
    fn shares(&mut self, survivor: &[u8; 32]) -> Result<Vec<(TokenId, StoredToken)>, DbError>;
}

/// The relay's storage: loads what a decision needs and makes the
/// decision's writes atomic and durable. No rule lives here: every
/// implementation runs the same decision functions ([`crate::decide`])
/// through the functions below ([`redeem`], [`revoke`], …).
///
/// What an implementation must guarantee:
///
/// - **One decision at a time per account.** While `decide` runs for an
///   account, no other decision about that account's records (its tokens,
///   its log, its delegations) reads or writes them. The sled
///   implementation holds the account's lock stripe. A PostgreSQL
///   implementation would run the closure in one transaction that first
///   takes `SELECT … FOR UPDATE` on the account's log head row (created on
///   first use with `INSERT … ON CONFLICT DO NOTHING`), then reads the
///   token rows it needs (`FOR UPDATE` as well), so two relay processes
///   serialise on the same rows; on a serialisation failure it rolls back
///   and calls the closure again (it is `FnMut` for that reason). A token's
///   account never changes after upload, so looking it up first, outside
///   the transaction, is safe.
/// - **All or nothing.** The plan's writes and the log entries for its
///   events (chained from the head read under the same lock) are applied
///   together or not at all, even across a crash.
/// - **Durable before returning.** `decide` returns only once the plan
///   (and everything it read) is durable: a PostgreSQL implementation
///   returns after `COMMIT` with `synchronous_commit = on`; the sled one
///   after a group-committed flush (an `fdatasync` of the journal).
///   Answers are given only after that. A failed flush or batch stops the
///   store for good (every later call is refused; see `GroupCommit`).
///   (`KvRelay::deferring` lets a caller that waits itself, before it
///   answers, take the wait off the deciding thread.)
/// - **Serve before counting.** If the plan names a share to serve, it is
///   read before anything is applied; if it cannot be read (missing, the
///   wrong length), nothing is applied and the result is an error.
/// - **Share files.** Writes of [`Write::MarkGarbage`] are durable before
///   the files in `plan.remove` are removed (then the marks, lazily),
///   before `decide` returns or later (the server's relay defers them,
///   [`KvRelay::deferring_removals`]); a file named by a mark is removed at
///   start-up.
pub trait RelayStore: Send + Sync {
    /// Runs one decision about `account`'s records: `f` loads what it
    /// needs and returns its plan, which is applied atomically and made
    /// durable; then the share files the plan deletes are removed (or
    /// queued for removal). Returns the share the plan serves (empty if
    /// none).
    fn decide(
        &self,
        account: &[u8; 32],
        f: &mut dyn FnMut(&mut dyn Load) -> Result<Plan, DbError>,
    ) -> Result<Vec<u8>, DbError>;

    /// The account that uploaded token `id`, if stored (it never changes).
    fn account_of(&self, id: &TokenId) -> Result<Option<[u8; 32]>, DbError>;

    /// A token's record and terms, outside any decision (for listing).
    fn token(&self, id: &TokenId) -> Result<Option<StoredToken>, DbError>;

    /// Every token id of `survivor`.
    fn account_tokens(&self, survivor: &[u8; 32]) -> Result<Vec<TokenId>, DbError>;

    /// Until when `advocate` may act for `survivor` (0 if not at all).
    fn delegation(&self, survivor: &[u8; 32], advocate: &[u8; 32]) -> Result<u64, DbError>;

    /// The delegations `signer` may see: as a survivor, those they gave;
    /// as an advocate, those naming them. Ended ones included, soonest
    /// end first.
    fn delegations(&self, signer: &[u8; 32], as_advocate: bool)
        -> Result<Vec<Delegation>, DbError>;

    /// Every entry of `survivor`'s log and its head, consistent with each
    /// other and durable.
    fn log(&self, survivor: &[u8; 32]) -> Result<(Vec<Vec<u8>>, LogHead), DbError>;

    /// Records a request nonce valid until `expiry`; `false` if it was
    /// seen and has not run out ([`decide::nonce_fresh`]). Durable before
    /// returning.
    fn fresh_nonce(&self, nonce: &[u8; 16], expiry: u64, now: u64) -> Result<bool, DbError>;

    /// A new share file for token `id` (its mark must be durable first).
    fn create_share(&self, id: &TokenId) -> Result<Box<dyn DocumentWriter + '_>, DbError>;

    /// Removes the share file of `id` and then its mark, best effort: a
    /// mark left behind makes the next start-up remove the file.
    fn drop_share(&self, id: &TokenId);
}

// ---------------------------------------------- decisions, any storage

/// Runs a decision through `db`: its answer, and the share it serves.
fn run<T>(
    db: &dyn RelayStore,
    account: &[u8; 32],
    mut f: impl FnMut(&mut dyn Load) -> Result<Decision<T>, DbError>,
) -> Result<(Result<T, Denied>, Vec<u8>), DbError> {
    let mut answer = None;
    let served = db.decide(account, &mut |load| {
        let d = f(load)?;
        answer = Some(d.answer);
        Ok(d.plan)
    })?;
    let answer = answer.ok_or_else(|| DbError::Internal("a decision gave no answer".into()))?;
    Ok((answer, served))
}

/// A granted redemption, already durable: the record after counting, the
/// terms, and the share.
#[derive(Debug)]
pub struct Redeemed {
    pub record: TokenRecord,
    pub terms: Terms,
    pub share: Vec<u8>,
}

/// Counts one redemption of `id` or refuses ([`decide::redeem`]); the
/// refusal is logged to the survivor (except `not_found`).
pub fn redeem(
    db: &dyn RelayStore,
    id: &TokenId,
    by: decide::Presenter,
    now: u64,
) -> Result<Result<Redeemed, Denied>, DbError> {
    let Some(account) = db.account_of(id)? else {
        return Ok(Err(Refusal::NotFound.into()));
    };
    let (answer, share) = run(db, &account, |l| {
        Ok(decide::redeem(l.token(id)?.as_ref(), id, by, now))
    })?;
    Ok(answer.map(|g| Redeemed {
        record: g.record,
        terms: g.terms,
        share,
    }))
}

/// Withdraws one share ([`decide::revoke`]): `true` if this request
/// withdrew it.
pub fn revoke(
    db: &dyn RelayStore,
    id: &TokenId,
    by: decide::Withdrawer,
    now: u64,
) -> Result<Result<bool, Denied>, DbError> {
    let Some(account) = db.account_of(id)? else {
        return Ok(Err(Refusal::NotFound.into()));
    };
    Ok(run(db, &account, |l| {
        let until = match by {
            decide::Withdrawer::Advocate(a) => l.delegation(&account, &a)?.unwrap_or(0),
            decide::Withdrawer::Survivor(_) => 0,
        };
        Ok(decide::revoke(l.token(id)?.as_ref(), id, by, until, now))
    })?
    .0)
}

/// Withdraws every share of `account` ([`decide::revoke_all`]) in one
/// atomic step; the ids withdrawn.
pub fn revoke_all(
    db: &dyn RelayStore,
    account: &[u8; 32],
    by: decide::Withdrawer,
    now: u64,
) -> Result<Result<Vec<TokenId>, Denied>, DbError> {
    Ok(run(db, account, |l| {
        let until = match by {
            decide::Withdrawer::Advocate(a) => l.delegation(account, &a)?.unwrap_or(0),
            decide::Withdrawer::Survivor(_) => 0,
        };
        Ok(decide::revoke_all(&l.shares(account)?, by, until, now))
    })?
    .0)
}

/// Records a delegation ([`decide::delegate`]).
pub fn delegate(
    db: &dyn RelayStore,
    survivor: &[u8; 32],
    advocate: &[u8; 32],
    until: u64,
    now: u64,
) -> Result<Result<(), Denied>, DbError> {
    Ok(run(db, survivor, |_| {
        Ok(decide::delegate(survivor, advocate, until, now))
    })?
    .0)
}

/// Ends a delegation ([`decide::undelegate`]).
pub fn undelegate(
    db: &dyn RelayStore,
    survivor: &[u8; 32],
    advocate: &[u8; 32],
    now: u64,
) -> Result<Result<(), Denied>, DbError> {
    Ok(run(db, survivor, |l| {
        Ok(decide::undelegate(
            l.delegation(survivor, advocate)?,
            survivor,
            advocate,
            now,
        ))
    })?
    .0)
}

/// The first step of an upload of `len` bytes by `account`
/// ([`decide::begin_upload`]): `conflict` for a token id already stored;
/// otherwise the file's mark is durable when this returns. Only one
/// upload of a token id may be under way at a time (the relay keeps a set
/// of them), since a failed one removes the file.
pub fn begin_upload(
    db: &dyn RelayStore,
    account: &[u8; 32],
    id: &TokenId,
    len: u64,
) -> Result<(), DbError> {
    run(db, account, |l| {
        Ok(decide::begin_upload(l.token(id)?.as_ref(), id, len))
    })?
    .0
    .map_err(denied)
}

/// The last step of an upload, the share's file (of `len` bytes) already
/// committed ([`decide::finish_upload`]). If the batch was not applied,
/// the file and its mark are removed; if it was but its flush failed, the
/// file stays (the record may name it).
#[allow(
    clippy::too_many_arguments,
    reason = "one step of an upload; each input is distinct"
)]
pub fn finish_upload(
    db: &dyn RelayStore,
    account: &[u8; 32],
    token: &[u8],
    id: &TokenId,
    terms: Terms,
    len: u64,
    now: u64,
) -> Result<(), DbError> {
    let done = run(db, account, |l| {
        Ok(decide::finish_upload(
            l.token(id)?.as_ref(),
            account,
            token,
            id,
            terms,
            len,
            now,
        ))
    });
    match done {
        Ok((answer, _)) => answer.map_err(denied),
        Err(e) => {
            // The batch was not applied: nothing names the file.
            if len > 0 && matches!(db.account_of(id), Ok(None)) {
                db.drop_share(id);
            }
            Err(e)
        }
    }
}

/// A refusal as a storage result (uploads have no `no_permission`).
fn denied(d: Denied) -> DbError {
    match d {
        Denied::Refused(r) => DbError::Refused(r),
        Denied::NoPermission { .. } => DbError::Refused(Refusal::NoPermission),
    }
}

// --------------------------------------------------- over a vault Store

/// How many lock stripes [`KvRelay`] spreads accounts over.
pub const STRIPES: usize = 64;

thread_local! {
    /// Set by [`KvRelay::deferring`]: the generation its decisions must
    /// wait for, and the share files they deleted.
    static DEFERRED: std::cell::RefCell<Option<(u64, Vec<TokenId>)>> =
        const { std::cell::RefCell::new(None) };
}

/// The relay's storage over a vault-core [`Store`] (sled in the relay;
/// memory in tests) and a [`Documents`] for the share files: per-account
/// lock stripes for atomicity, group commit for durability.
pub struct KvRelay<'a> {
    store: Box<dyn Store + 'a>,
    shares: Box<dyn Documents + 'a>,
    stripes: Box<[Mutex<()>]>,
    nonces: Mutex<()>,
    commit: GroupCommit,
    /// Whether deleted shares' files are left to [`KvRelay::remove_deleted`]
    /// rather than removed before the answer.
    defer: bool,
    deleted: Deleted,
    /// Whether a thread calls [`KvRelay::flush_requested`], so that
    /// [`KvRelay::deferring`] may defer.
    flusher: std::sync::atomic::AtomicBool,
}

/// Share files whose deletion is already durable (`share_len` 0 and a
/// garbage mark in the decision's batch), waiting to be removed.
#[derive(Debug, Default)]
struct Deleted {
    ids: Mutex<Vec<TokenId>>,
    added: Condvar,
    /// Held while a batch of files is removed, so that a call at a stop
    /// waits for one already under way.
    removing: Mutex<()>,
}

impl std::fmt::Debug for KvRelay<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KvRelay").finish_non_exhaustive()
    }
}

/// Locks a mutex whose data is `()`: a panic under it leaves nothing half
/// made, so poisoning is ignored.
fn lock(m: &Mutex<()>) -> MutexGuard<'_, ()> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl<'a> KvRelay<'a> {
    /// The relay's storage over `store` and `shares`, as it is: call
    /// [`recover`] on them first, before anything is served.
    pub fn new(store: Box<dyn Store + 'a>, shares: Box<dyn Documents + 'a>) -> Self {
        Self {
            store,
            shares,
            stripes: (0..STRIPES).map(|_| Mutex::new(())).collect(),
            nonces: Mutex::new(()),
            commit: GroupCommit::default(),
            defer: false,
            deleted: Deleted::default(),
            flusher: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Leaves the removal of deleted shares' files to
    /// [`KvRelay::remove_deleted`] (which the server calls from its own
    /// thread, and once more when it stops), instead of removing each file
    /// and syncing the folder before the answer. The deletion itself is
    /// durable before the answer either way: the file is no longer served,
    /// and its garbage mark has it removed at the next start should the
    /// relay stop first.
    #[must_use]
    pub fn deferring_removals(mut self) -> Self {
        self.defer = true;
        self
    }

    /// Waits up to `limit` for deleted shares' files to remove; whether
    /// there are any.
    pub fn wait_for_deleted(&self, limit: std::time::Duration) -> bool {
        let ids = self.deleted.ids.lock().unwrap_or_else(|p| p.into_inner());
        let (ids, _) = self
            .deleted
            .added
            .wait_timeout_while(ids, limit, |ids| ids.is_empty())
            .unwrap_or_else(|p| p.into_inner());
        !ids.is_empty()
    }

    /// What the server does when it stops: removes the deleted shares'
    /// files still waiting ([`KvRelay::remove_deleted`]) and flushes, so
    /// that every lifted mark is durable too (those lifted while serving
    /// are made durable by the next decision's flush, if any).
    pub fn finish(&self) -> Result<(), DbError> {
        // Files queue only once their deletion is durable, so they may go
        // even after a failure; but after one, nothing is flushed again.
        self.remove_deleted();
        self.commit.check()?;
        Ok(self.store.flush()?)
    }

    /// Removes every deleted share's file waiting (see
    /// [`KvRelay::deferring_removals`]) with one folder sync, then lifts
    /// their garbage marks in one batch (not flushed: a mark that
    /// survives a crash only has the next start remove an absent file).
    /// If a file cannot be removed, every mark of the batch stays and the
    /// next start tries again. Returns how many files were handled.
    pub fn remove_deleted(&self) -> usize {
        let _removing = lock(&self.deleted.removing);
        let ids = std::mem::take(&mut *self.deleted.ids.lock().unwrap_or_else(|p| p.into_inner()));
        if ids.is_empty() {
            return 0;
        }
        let names: Vec<&[u8]> = ids.iter().map(|id| &id[..]).collect();
        match self.shares.remove_all(&names) {
            Ok(()) => {
                let lift = ids.iter().map(|id| Op::Remove(garbage_key(id))).collect();
                // A failure here stops the relay (see `GroupCommit`); the
                // marks only have the next start remove absent files.
                let _ = self.commit.apply(&*self.store, lift);
            }
            Err(e) => tracing::warn!(
                target: "vault_server",
                error = %e,
                "deleted shares' files stay until the relay starts again"
            ),
        }
        ids.len()
    }

    /// Runs `f`, whose decisions return once their writes are applied
    /// instead of once they are durable (only when removals are deferred,
    /// as in the server; otherwise decisions wait as usual). Returns what
    /// `f` returned, the generation to wait for with
    /// [`KvRelay::durable`] **before anything is answered**, and the
    /// share files to queue for removal once it is durable
    /// ([`KvRelay::queue_removals`]). So a decision's blocking thread does
    /// not park waiting for the disk: its request's task waits instead.
    pub fn deferring<T>(&self, f: impl FnOnce() -> T) -> (T, u64, Vec<TokenId>) {
        if !self.flusher.load(std::sync::atomic::Ordering::Acquire) {
            // No thread would flush for an async waiter: wait as usual.
            return (f(), 0, Vec::new());
        }
        /// Ends the deferral even if `f` panics: a later decision on this
        /// pooled thread, whose caller does not wait, must wait itself.
        struct Reset;
        impl Drop for Reset {
            fn drop(&mut self) {
                DEFERRED.with_borrow_mut(|d| *d = None);
            }
        }
        DEFERRED.with_borrow_mut(|d| *d = Some((0, Vec::new())));
        let reset = Reset;
        let out = f();
        let (generation, removals) = DEFERRED.with_borrow_mut(|d| d.take()).unwrap_or_default();
        drop(reset);
        (out, generation, removals)
    }

    /// Waits (without a thread) until `generation` is durable: the
    /// relay's flushing thread ([`KvRelay::flush_requested`]) makes it so.
    /// Refused as `internal` once a batch or a flush has failed.
    pub async fn durable(&self, generation: u64) -> Result<(), DbError> {
        let mut rx = self.commit.durable.subscribe();
        if generation > rx.borrow().0 {
            self.commit.request(generation);
        }
        let reached = rx
            .wait_for(|(durable, failed)| *failed || *durable >= generation)
            .await
            .map(|v| !v.1)
            .unwrap_or(false);
        if reached {
            Ok(())
        } else {
            Err(stopped())
        }
    }

    /// Queues share files whose deletion is durable for the share remover.
    pub fn queue_removals(&self, ids: Vec<TokenId>) {
        if !ids.is_empty() {
            self.deleted
                .ids
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .extend(ids);
            self.deleted.added.notify_one();
        }
    }

    /// The flushing thread's step: waits up to `limit` for a generation
    /// asked for by [`KvRelay::durable`], then flushes for it (or waits
    /// for a flush under way).
    pub fn flush_requested(&self, limit: std::time::Duration) {
        self.flusher
            .store(true, std::sync::atomic::Ordering::Release);
        self.commit.flush_requested(&*self.store, limit);
    }

    /// The tree.
    pub fn store(&self) -> &dyn Store {
        &*self.store
    }

    /// The share files.
    pub fn shares(&self) -> &dyn Documents {
        &*self.shares
    }

    fn stripe(&self, account: &[u8; 32]) -> &Mutex<()> {
        let n = u64::from_le_bytes(account[..8].try_into().expect("8 bytes"));
        &self.stripes[(n % STRIPES as u64) as usize]
    }

    /// Whether any decision holds a lock now (for tests).
    pub fn locked(&self) -> bool {
        self.stripes.iter().any(|m| m.try_lock().is_err()) || self.nonces.try_lock().is_err()
    }

    /// Becomes `true` when a batch or a flush has failed: from then on
    /// every call is refused, and the server should stop (see
    /// `GroupCommit` in this module's source).
    pub fn stopped(&self) -> tokio::sync::watch::Receiver<bool> {
        self.commit.stopped.subscribe()
    }

    /// How many flushes have made decisions durable (for tests and
    /// benchmarks: fewer than decisions under concurrency).
    pub fn flushes(&self) -> u64 {
        self.commit.state().flushes
    }

    /// How many store batches decisions were applied in (for tests and
    /// benchmarks: fewer than decisions when they are made at the same
    /// time on several accounts).
    pub fn batches(&self) -> u64 {
        self.commit.state().batches
    }

    /// The ops for a plan's writes and its log entries, on top of the
    /// current head of `account`'s log.
    fn ops(&self, account: &[u8; 32], plan: &Plan) -> Result<Vec<Op>, DbError> {
        let mut ops = Vec::with_capacity(plan.writes.len() + 2 * plan.events.len());
        for w in &plan.writes {
            ops.push(match w {
                Write::Token(id, s) => Op::Insert(key(b'T', &[id]), encode_token(s)),
                Write::Listed { account, id } => Op::Insert(key(b'A', &[account, id]), Vec::new()),
                Write::MarkGarbage(id) => Op::Insert(garbage_key(id), Vec::new()),
                Write::Unmark(id) => Op::Remove(garbage_key(id)),
                Write::Delegation {
                    survivor,
                    advocate,
                    until,
                } => Op::Insert(
                    key(b'D', &[survivor, advocate]),
                    until.to_be_bytes().to_vec(),
                ),
                Write::EndDelegation { survivor, advocate } => {
                    Op::Remove(key(b'D', &[survivor, advocate]))
                }
            });
        }
        if !plan.events.is_empty() {
            let (entries, head) =
                decide::append(head(&*self.store, account)?, plan.at, &plan.events);
            for (seq, bytes) in entries {
                ops.push(Op::Insert(key(b'L', &[account, &seq.to_be_bytes()]), bytes));
            }
            ops.push(Op::Insert(
                key(b'H', &[account]),
                postcard::to_allocvec(&head).expect("encoding into a Vec cannot fail"),
            ));
        }
        Ok(ops)
    }
}

/// What a decision loads from the tree, under its account's stripe.
struct KvLoad<'a> {
    store: &'a dyn Store,
    /// Records written before terms were kept, verified now: their terms
    /// are written with the decision.
    migrated: Vec<(TokenId, StoredToken)>,
}

impl Load for KvLoad<'_> {
    fn token(&mut self, id: &TokenId) -> Result<Option<StoredToken>, DbError> {
        let Some((s, legacy)) = load_token(self.store, id)? else {
            return Ok(None);
        };
        if legacy && !self.migrated.iter().any(|(m, _)| m == id) {
            self.migrated.push((*id, s.clone()));
        }
        Ok(Some(s))
    }

    fn delegation(
        &mut self,
        survivor: &[u8; 32],
        advocate: &[u8; 32],
    ) -> Result<Option<u64>, DbError> {
        delegation(self.store, survivor, advocate)
    }

    fn shares(&mut self, survivor: &[u8; 32]) -> Result<Vec<(TokenId, StoredToken)>, DbError> {
        let mut out = Vec::new();
        for id in account_tokens(self.store, survivor)? {
            if let Some(s) = self.token(&id)? {
                out.push((id, s));
            }
        }
        Ok(out)
    }
}

impl RelayStore for KvRelay<'_> {
    fn decide(
        &self,
        account: &[u8; 32],
        f: &mut dyn FnMut(&mut dyn Load) -> Result<Plan, DbError>,
    ) -> Result<Vec<u8>, DbError> {
        self.commit.check()?;
        let (generation, served, remove) = {
            let _stripe = lock(self.stripe(account));
            let mut load = KvLoad {
                store: &*self.store,
                migrated: Vec::new(),
            };
            let mut plan = f(&mut load)?;
            // Read before counting: a use is never spent on a share the
            // relay cannot serve.
            let served = match plan.serve {
                Some((id, len)) => share(&*self.shares, &id, len)?,
                None => Vec::new(),
            };
            // Records verified now keep their terms (unless the plan
            // rewrites them anyway).
            for (id, s) in load.migrated {
                if !plan
                    .writes
                    .iter()
                    .any(|w| matches!(w, Write::Token(t, _) if *t == id))
                {
                    plan.writes.push(Write::Token(id, s));
                }
            }
            let generation = if plan.is_empty() {
                self.commit.current()
            } else {
                let ops = self.ops(account, &plan)?;
                // Applied (with other accounts' decisions waiting at the
                // same time) before the stripe is released, so the next
                // decision on this account reads it.
                self.commit.apply(&*self.store, ops)?
            };
            (generation, served, plan.remove)
        };
        if self.defer {
            let deferred = DEFERRED.with_borrow_mut(|d| {
                d.as_mut().map(|(g, ids)| {
                    *g = (*g).max(generation);
                    ids.extend(remove.iter().copied());
                })
            });
            if deferred.is_some() {
                // The caller waits for `generation` before it answers
                // ([`KvRelay::durable`]), then queues the removals.
                return Ok(served);
            }
        }
        self.commit.wait(&*self.store, generation)?;
        if self.defer {
            self.queue_removals(remove);
            return Ok(served);
        }
        for id in remove {
            if let Err(e) = remove_share(&*self.store, &*self.shares, &id) {
                tracing::warn!(
                    target: "vault_server",
                    error = %e,
                    "a deleted share's file stays until the relay starts again"
                );
            }
        }
        Ok(served)
    }

    fn account_of(&self, id: &TokenId) -> Result<Option<[u8; 32]>, DbError> {
        self.commit.check()?;
        match self.store.get(&key(b'T', &[id]))? {
            None => Ok(None),
            Some(bytes) => postcard::take_from_bytes::<TokenRecord>(&bytes)
                .map(|(r, _)| Some(r.account))
                .map_err(|_| damaged("token record")),
        }
    }

    fn token(&self, id: &TokenId) -> Result<Option<StoredToken>, DbError> {
        self.commit.check()?;
        Ok(load_token(&*self.store, id)?.map(|(s, _)| s))
    }

    fn account_tokens(&self, survivor: &[u8; 32]) -> Result<Vec<TokenId>, DbError> {
        self.commit.check()?;
        account_tokens(&*self.store, survivor)
    }

    fn delegation(&self, survivor: &[u8; 32], advocate: &[u8; 32]) -> Result<u64, DbError> {
        self.commit.check()?;
        Ok(delegation(&*self.store, survivor, advocate)?.unwrap_or(0))
    }

    fn delegations(
        &self,
        signer: &[u8; 32],
        as_advocate: bool,
    ) -> Result<Vec<Delegation>, DbError> {
        self.commit.check()?;
        let prefix = if as_advocate {
            key(b'D', &[])
        } else {
            key(b'D', &[signer])
        };
        let mut out = Vec::new();
        for (k, v) in self.store.scan_prefix(&prefix)? {
            let survivor: [u8; 32] = k
                .get(1..33)
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| damaged("delegation"))?;
            let advocate: [u8; 32] = k
                .get(33..65)
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| damaged("delegation"))?;
            let until = u64::from_be_bytes(v.try_into().map_err(|_| damaged("delegation"))?);
            if !as_advocate || &advocate == signer {
                out.push((survivor, advocate, until));
            }
        }
        out.sort_by_key(|d| d.2);
        Ok(out)
    }

    fn log(&self, survivor: &[u8; 32]) -> Result<(Vec<Vec<u8>>, LogHead), DbError> {
        self.commit.check()?;
        let (out, generation) = {
            let _stripe = lock(self.stripe(survivor));
            let entries = log_entries(&*self.store, survivor)?;
            let head = head(&*self.store, survivor)?;
            ((entries, head), self.commit.current())
        };
        // Nothing is shown that a crash could still take back.
        self.commit.wait(&*self.store, generation)?;
        Ok(out)
    }

    fn fresh_nonce(&self, nonce: &[u8; 16], expiry: u64, now: u64) -> Result<bool, DbError> {
        self.commit.check()?;
        let generation = {
            let _nonces = lock(&self.nonces);
            let k = key(b'N', &[nonce]);
            let seen = self
                .store
                .get(&k)?
                .map(|b| b.try_into().map(u64::from_be_bytes).unwrap_or(u64::MAX));
            if !decide::nonce_fresh(seen, now) {
                return Ok(false);
            }
            let mut ops = vec![Op::Insert(k.clone(), expiry.to_be_bytes().to_vec())];
            if decide::prunes(nonce) {
                for (old, v) in self.store.scan_prefix(b"N")? {
                    // The nonce just accepted may be its own expired entry: keep it.
                    if old == k {
                        continue;
                    }
                    if v.try_into().map(u64::from_be_bytes).is_ok_and(|u| u <= now) {
                        ops.push(Op::Remove(old));
                    }
                }
            }
            self.commit.apply(&*self.store, ops)?
        };
        self.commit.wait(&*self.store, generation)?;
        Ok(true)
    }

    fn create_share(&self, id: &TokenId) -> Result<Box<dyn DocumentWriter + '_>, DbError> {
        Ok(self.shares.create(id)?)
    }

    fn drop_share(&self, id: &TokenId) {
        if let Err(e) = remove_share(&*self.store, &*self.shares, id) {
            tracing::warn!(
                target: "vault_server",
                error = %e,
                "a failed upload's file stays until the relay starts again"
            );
        }
    }
}

// -------------------------------------------------------- group commit

/// Group commit: decisions made at the same time share one store batch
/// and one flush.
///
/// **Applying.** A decision hands its ops to [`GroupCommit::apply`] and
/// gets a ticket. The first decision to find no batch under way applies
/// every op queued so far (its own and those of decisions on other
/// accounts that queued meanwhile) as **one** atomic store batch, in
/// ticket order; the others wait for it. (Each batch is one record of the
/// relay's journal; straight into sled 0.34, every batch cost about 60 µs
/// and 3 KB even for one key, which is why batches are shared.) A
/// decision keeps its account's stripe until its ops are applied, so the
/// next decision on that account reads them; a merged batch is atomic as
/// a whole, so each decision in it is still all or nothing after a crash.
///
/// **Flushing.** A decision then waits until a flush (fsync) that began
/// after its batch was applied has finished; the first waiter flushes for
/// everyone. Applying and flushing overlap: the next batch is applied
/// while the last one is being flushed.
///
/// **A failed batch or flush stops every decision for good** (fail-stop).
/// After a failed `fsync` the system may have dropped the dirty pages and
/// may report the next `fsync` as a success without them, and a batch
/// that failed may be half applied in memory: nothing later can say what
/// the disk holds. So every later decision, and every log read, is
/// refused as `internal`, and [`KvRelay::stopped`] tells the server to
/// stop; what the disk holds is read again at the next start.
#[derive(Debug)]
struct GroupCommit {
    state: Mutex<Generations>,
    /// Signalled when a batch is applied (or the relay stops).
    applied: Condvar,
    /// Signalled when a flush ends (or the relay stops): waiters on
    /// either never wake for the other's news.
    flushed: Condvar,
    /// Signalled when a generation is asked for by an async waiter.
    wanted: Condvar,
    /// The durable generation and whether the relay stopped, for async
    /// waiters ([`KvRelay::durable`]).
    durable: tokio::sync::watch::Sender<(u64, bool)>,
    stopped: tokio::sync::watch::Sender<bool>,
}

impl Default for GroupCommit {
    fn default() -> Self {
        Self {
            state: Mutex::default(),
            applied: Condvar::new(),
            flushed: Condvar::new(),
            wanted: Condvar::new(),
            durable: tokio::sync::watch::channel((0, false)).0,
            stopped: tokio::sync::watch::channel(false).0,
        }
    }
}

#[derive(Debug, Default)]
struct Generations {
    /// The last ticket handed out.
    queued: u64,
    /// Ops of the tickets after `applied`, in ticket order.
    queue: Vec<Op>,
    /// Every ticket up to this one is applied to the store.
    applied: u64,
    /// Every ticket up to this one is durable.
    durable: u64,
    /// A batch or a flush failed: nothing is decided any more.
    failed: bool,
    /// Someone is applying a batch now.
    applying: bool,
    /// Someone is flushing now.
    flushing: bool,
    /// The highest generation an async waiter asked to be made durable.
    requested: u64,
    /// Store batches applied.
    batches: u64,
    /// Flushes done.
    flushes: u64,
}

/// What every decision is told once a batch or a flush has failed.
fn stopped() -> DbError {
    DbError::Internal("the store could not make a decision durable; the relay stops".into())
}

impl GroupCommit {
    fn state(&self) -> MutexGuard<'_, Generations> {
        // Every change to the numbers is whole before the guard drops.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Refuses once a batch or a flush has failed (before anything is
    /// read or applied).
    fn check(&self) -> Result<(), DbError> {
        if self.state().failed {
            Err(stopped())
        } else {
            Ok(())
        }
    }

    /// The last ticket applied: what a decision that wrote nothing read.
    fn current(&self) -> u64 {
        self.state().applied
    }

    /// Stops every decision (see the type's docs).
    fn fail(&self, s: &mut Generations, what: &str, e: &StoreError) {
        s.failed = true;
        tracing::error!(
            target: "vault_server",
            error = %e,
            "the store could not {what}; the relay stops deciding"
        );
        self.stopped.send_replace(true);
        self.durable.send_replace((s.durable, true));
        self.applied.notify_all();
        self.flushed.notify_all();
        self.wanted.notify_all();
    }

    /// Queues `ops` and returns once they are applied to the store (with
    /// whatever else was queued), applying the batch itself if no one
    /// else is: the ticket to wait on with [`GroupCommit::wait`].
    fn apply(&self, store: &dyn Store, ops: Vec<Op>) -> Result<u64, DbError> {
        let mut s = self.state();
        if s.failed {
            return Err(stopped());
        }
        s.queue.extend(ops);
        s.queued += 1;
        let ticket = s.queued;
        loop {
            if s.failed {
                return Err(stopped());
            }
            if s.applied >= ticket {
                return Ok(ticket);
            }
            if s.applying {
                s = self.applied.wait(s).unwrap_or_else(|p| p.into_inner());
                continue;
            }
            // Lead: every ticket queued up to now goes in this batch.
            let target = s.queued;
            let batch = std::mem::take(&mut s.queue);
            s.applying = true;
            drop(s);
            let applied = store.apply(batch);
            s = self.state();
            s.applying = false;
            s.batches += 1;
            match applied {
                Ok(()) => s.applied = target,
                Err(e) => self.fail(&mut s, "apply a batch of decisions", &e),
            }
            self.applied.notify_all();
        }
    }

    /// Asks the flushing thread to make `generation` durable.
    fn request(&self, generation: u64) {
        let mut s = self.state();
        if generation > s.requested {
            s.requested = generation;
            self.wanted.notify_one();
        }
    }

    /// Waits up to `limit` for a generation asked for and not yet durable,
    /// then makes it durable (see [`GroupCommit::wait`]).
    fn flush_requested(&self, store: &dyn Store, limit: std::time::Duration) {
        let s = self.state();
        let (s, _) = self
            .wanted
            .wait_timeout_while(s, limit, |s| !s.failed && s.requested <= s.durable)
            .unwrap_or_else(|p| p.into_inner());
        if s.failed || s.requested <= s.durable {
            return;
        }
        let target = s.requested;
        drop(s);
        // A failure is recorded (and every waiter told) by `wait`.
        let _ = self.wait(store, target);
    }

    /// Waits until ticket `generation` is durable, flushing for everyone
    /// waiting if no flush is under way.
    fn wait(&self, store: &dyn Store, generation: u64) -> Result<(), DbError> {
        let mut s = self.state();
        loop {
            if s.failed {
                return Err(stopped());
            }
            if s.durable >= generation {
                return Ok(());
            }
            if s.flushing {
                s = self.flushed.wait(s).unwrap_or_else(|p| p.into_inner());
                continue;
            }
            // Lead: every ticket applied up to now is in the store before
            // this flush begins, so it is durable when the flush returns.
            let target = s.applied;
            s.flushing = true;
            drop(s);
            let flushed = store.flush();
            s = self.state();
            s.flushing = false;
            s.flushes += 1;
            match flushed {
                Ok(()) => {
                    s.durable = s.durable.max(target);
                    self.durable.send_replace((s.durable, false));
                }
                Err(e) => self.fail(&mut s, "make decisions durable", &e),
            }
            self.flushed.notify_all();
        }
    }
}

// ------------------------------------------------------- tree helpers

/// `postcard(record) ‖ postcard(terms)`.
fn encode_token(s: &StoredToken) -> Vec<u8> {
    let mut out = postcard::to_allocvec(&s.record).expect("encoding into a Vec cannot fail");
    out.extend(postcard::to_allocvec(&s.terms).expect("encoding into a Vec cannot fail"));
    out
}

/// A token's record and terms, and whether it was written without terms
/// by an earlier version (then its token is verified now, and refused as
/// damaged if that fails: changed at rest).
fn load_token(store: &dyn Store, id: &TokenId) -> Result<Option<(StoredToken, bool)>, DbError> {
    let Some(bytes) = store.get(&key(b'T', &[id]))? else {
        return Ok(None);
    };
    let (record, rest): (TokenRecord, &[u8]) =
        postcard::take_from_bytes(&bytes).map_err(|_| damaged("token record"))?;
    if rest.is_empty() {
        let terms = Terms::verify_stored(&record.token).map_err(|_| {
            DbError::Internal(
                "a stored token fails its signature: damaged or changed at rest".into(),
            )
        })?;
        return Ok(Some((StoredToken { record, terms }, true)));
    }
    let (terms, after): (Terms, &[u8]) =
        postcard::take_from_bytes(rest).map_err(|_| damaged("token record"))?;
    if !after.is_empty() {
        return Err(damaged("token record"));
    }
    Ok(Some((StoredToken { record, terms }, false)))
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
fn remove_share(store: &dyn Store, shares: &dyn Documents, id: &TokenId) -> Result<(), StoreError> {
    shares.remove(id)?;
    store.apply(vec![Op::Remove(garbage_key(id))])
}

/// The log's head for `survivor`: (seq, hash).
pub fn head(store: &dyn Store, survivor: &[u8; 32]) -> Result<LogHead, DbError> {
    match store.get(&key(b'H', &[survivor]))? {
        None => Ok((0, Head::EMPTY)),
        Some(b) => postcard::from_bytes(&b).map_err(|_| damaged("log head")),
    }
}

/// Every log entry of `survivor`, in order.
pub fn log_entries(store: &dyn Store, survivor: &[u8; 32]) -> Result<Vec<Vec<u8>>, DbError> {
    Ok(store
        .scan_prefix(&key(b'L', &[survivor]))?
        .into_iter()
        .map(|(_, v)| v)
        .collect())
}

fn account_tokens(store: &dyn Store, survivor: &[u8; 32]) -> Result<Vec<TokenId>, DbError> {
    store
        .keys_with_prefix(&key(b'A', &[survivor]))?
        .into_iter()
        .map(|k| k[33..].try_into().map_err(|_| damaged("index key")))
        .collect()
}

fn delegation(
    store: &dyn Store,
    survivor: &[u8; 32],
    advocate: &[u8; 32],
) -> Result<Option<u64>, DbError> {
    store
        .get(&key(b'D', &[survivor, advocate]))?
        .map(|b| {
            b.try_into()
                .map(u64::from_be_bytes)
                .map_err(|_| damaged("delegation"))
        })
        .transpose()
}

/// Stores a new share all at once (token already verified by the caller,
/// share already checked against its hash): [`begin_upload`], the file,
/// [`finish_upload`], on their own [`KvRelay`]. The relay's route streams
/// instead (the same three steps); this is for tests and for filling
/// benchmarks.
pub fn upload(
    store: &dyn Store,
    shares: &dyn Documents,
    account: &[u8; 32],
    token: &UnverifiedToken,
    share: &[u8],
    now: u64,
) -> Result<(), DbError> {
    let db = KvRelay::new(Box::new(ByRef(store)), Box::new(ByRef(shares)));
    upload_to(&db, account, token, share, now)
}

/// [`upload`] through any [`RelayStore`].
pub fn upload_to(
    db: &dyn RelayStore,
    account: &[u8; 32],
    token: &UnverifiedToken,
    share: &[u8],
    now: u64,
) -> Result<(), DbError> {
    let terms = Terms::of(token.body());
    let id = *token.token_id();
    let len = share.len() as u64;
    begin_upload(db, account, &id, len)?;
    if len > 0 {
        let written = db.create_share(&id).and_then(|mut f| {
            f.write_all(share)
                .map_err(|e| DbError::Internal(format!("a share file cannot be written: {e}")))?;
            f.commit()?;
            Ok(())
        });
        if let Err(e) = written {
            db.drop_share(&id);
            return Err(e);
        }
    }
    finish_upload(db, account, token.bytes(), &id, terms, len, now)
}

/// A borrowed store or documents, owned as a box (for [`upload`]).
struct ByRef<'a, T: ?Sized>(&'a T);

impl<T: Store + ?Sized> Store for ByRef<'_, T> {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.0.get(key)
    }
    fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        self.0.insert(key, value)
    }
    fn apply(&self, ops: Vec<Op>) -> Result<(), StoreError> {
        self.0.apply(ops)
    }
    fn scan_prefix(&self, prefix: &[u8]) -> Result<Vec<vault_core::store::Entry>, StoreError> {
        self.0.scan_prefix(prefix)
    }
    fn keys_with_prefix(&self, prefix: &[u8]) -> Result<Vec<Vec<u8>>, StoreError> {
        self.0.keys_with_prefix(prefix)
    }
    fn flush(&self) -> Result<(), StoreError> {
        self.0.flush()
    }
}

impl<T: Documents + ?Sized> Documents for ByRef<'_, T> {
    fn create(&self, id: &[u8]) -> Result<Box<dyn DocumentWriter + '_>, StoreError> {
        self.0.create(id)
    }
    fn open(&self, id: &[u8]) -> Result<Option<Box<dyn Read + '_>>, StoreError> {
        self.0.open(id)
    }
    fn remove(&self, id: &[u8]) -> Result<(), StoreError> {
        self.0.remove(id)
    }
    fn remove_all(&self, ids: &[&[u8]]) -> Result<(), StoreError> {
        self.0.remove_all(ids)
    }
}

// -------------------------------------------------------------- start-up

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
        match remove_share(store, shares, &id) {
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
        let share_len = match store.get(&key(b'T', &[&id]))? {
            Some(b) => {
                postcard::take_from_bytes::<TokenRecord>(&b)
                    .map_err(|_| damaged("token record"))?
                    .0
                    .share_len
            }
            None => 0,
        };
        if share_len > 0 {
            if share_len != bytes.len() as u64 {
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
                let _ = remove_share(store, shares, &id);
                return Err(e);
            }
            ops.push(Op::Remove(garbage_key(&id)));
            moved += 1;
        }
        // Otherwise no record needs these pieces any more.
        store.apply(ops)?;
        store.flush()?;
    }
    Ok(moved)
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

    use vault_core::relay::log::{self, Entry, Event};
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
        /// Flushes take 20 ms (to see decisions share them).
        slow_flush: AtomicBool,
        /// Batches take 5 ms (to see decisions share them).
        slow_apply: AtomicBool,
        /// Flushes fail.
        fail_flush: AtomicBool,
        /// What the last successful flush made durable (what a crash
        /// would leave).
        durable: Mutex<Vec<StoreEntry>>,
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
            if self.slow_apply.load(Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(5));
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
            let snapshot = self.inner.raw_entries();
            if self.slow_flush.load(Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            if self.fail_flush.load(Ordering::Relaxed) {
                note(&self.journal, "FAILED flush".into());
                return Err(StoreError::Io("fsync failed".into()));
            }
            note(&self.journal, "flush".into());
            *self.durable.lock().expect("not poisoned") = snapshot;
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

    /// The relay's tree and share files, journalled, and the relay's
    /// storage over them.
    struct Db {
        store: Arc<Tree>,
        shares: Arc<Files>,
        journal: Journal,
        relay: KvRelay<'static>,
    }

    /// A decision's refusal as a storage result, for `refused`.
    fn flat<T>(r: Result<Result<T, Denied>, DbError>) -> Result<T, DbError> {
        r.and_then(|a| a.map_err(denied))
    }

    impl Db {
        fn new() -> Self {
            let journal = Journal::default();
            let store = Arc::new(Tree {
                journal: Arc::clone(&journal),
                ..Tree::default()
            });
            let shares = Arc::new(Files {
                journal: Arc::clone(&journal),
                ..Files::default()
            });
            let relay = KvRelay::new(Box::new(Arc::clone(&store)), Box::new(Arc::clone(&shares)));
            Self {
                store,
                shares,
                journal,
                relay,
            }
        }

        /// Like [`Db::new`], with removals deferred, as the server runs.
        fn deferring() -> Self {
            let d = Self::new();
            let relay = KvRelay::new(
                Box::new(Arc::clone(&d.store)),
                Box::new(Arc::clone(&d.shares)),
            )
            .deferring_removals();
            Self { relay, ..d }
        }

        /// The journal since the last call.
        fn take_journal(&self) -> Vec<String> {
            std::mem::take(&mut *self.journal.lock().expect("not poisoned"))
        }

        fn upload(&self, t: &UnverifiedToken, share: &[u8]) -> Result<(), DbError> {
            upload_to(&self.relay, &ACCOUNT, t, share, NOW)
        }

        /// Redeems (the removals run before the answer, as in the relay).
        fn redeem(
            &self,
            id: &TokenId,
            agency: Option<[u8; 32]>,
            now: u64,
        ) -> Result<Redeemed, DbError> {
            let by = decide::Presenter {
                agency,
                stale: None,
            };
            flat(redeem(&self.relay, id, by, now))
        }

        /// Withdraws, as the survivor `by`.
        fn revoke(&self, id: &TokenId, by: [u8; 32], now: u64) -> Result<bool, DbError> {
            flat(revoke(
                &self.relay,
                id,
                decide::Withdrawer::Survivor(by),
                now,
            ))
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
            self.relay
                .token(id)
                .expect("the record reads")
                .expect("the record exists")
                .record
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

    /// The relay's storage over memory.
    fn memory() -> KvRelay<'static> {
        KvRelay::new(
            Box::new(MemoryStore::new()),
            Box::new(MemoryDocuments::new()),
        )
    }

    /// A token record as earlier versions wrote it: without its terms.
    fn legacy(id: &TokenId, rec: &TokenRecord) -> Op {
        Op::Insert(
            key(b'T', &[id]),
            postcard::to_allocvec(rec).expect("encodes"),
        )
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
                "apply +P",
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
        let Redeemed { share, .. } = db.redeem(t.token_id(), None, NOW).expect("granted");
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
    fn upload_whose_batch_fails_stops_the_relay_and_its_file_goes_at_the_next_start() {
        let db = Db::new();
        db.store.fail_record_batches.store(true, Ordering::Relaxed);
        let (t, share) = signed_token(1, 1);
        assert!(internal(&db.upload(&t, &share)));
        // A failed batch may be half applied in a real store's memory:
        // nothing more is decided or read, not even whether the file is
        // still needed; its durable mark has the next start remove it.
        assert!(
            *db.relay.stopped().borrow(),
            "a failed batch stops the relay"
        );
        assert!(internal(&db.relay.token(t.token_id())));
        assert_eq!((db.files().len(), db.marks().len()), (1, 1));
        // Started again once the store works: the file goes, and the same
        // upload is stored.
        db.store.fail_record_batches.store(false, Ordering::Relaxed);
        assert_eq!(
            recover(&*db.store, &*db.shares).expect("recovers").removed,
            1
        );
        assert!(db.files().is_empty(), "the file of a failed upload stays");
        assert!(db.marks().is_empty());
        let again = KvRelay::new(
            Box::new(Arc::clone(&db.store)),
            Box::new(Arc::clone(&db.shares)),
        );
        assert!(again.token(t.token_id()).expect("reads").is_none());
        upload_to(&again, &ACCOUNT, &t, &share, NOW).expect("stored on a second try");
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
        assert!(db.relay.token(t.token_id()).expect("reads").is_none());
        assert!(db.events().is_empty());
    }

    // ------------------------------------------------------------ redeem

    #[test]
    fn expired_refusal_is_logged_and_removes_the_share_file() {
        let (db, id, _) = stored(1, 3);
        let r = db.redeem(&id, None, NOW + 4000);
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
        let r = db.redeem(&id, Some([5; 32]), NOW + 4001);
        assert_eq!(refused(&r), Some(Refusal::Expired));
        assert_eq!(db.events().len(), 3);
        assert_eq!(db.take_journal(), ["apply +L +H", "flush"]);
    }

    #[test]
    fn deleting_marks_in_the_decision_batch_then_removes_the_file_then_the_mark() {
        let (db, id, _) = stored(1, 3);
        let _ = db.redeem(&id, None, NOW + 4000);
        assert_eq!(
            db.take_journal(),
            ["apply +P +T +L +H", "flush", "remove", "apply -P"]
        );
        let (db, id, _) = stored(2, 1);
        db.redeem(&id, None, NOW).expect("the last use");
        assert_eq!(
            db.take_journal(),
            ["apply +P +T +L +H", "flush", "remove", "apply -P"]
        );
        let (db, id, _) = stored(3, 2);
        db.revoke(&id, ACCOUNT, NOW).expect("withdrawn");
        assert_eq!(
            db.take_journal(),
            ["apply +P +T +L +H", "flush", "remove", "apply -P"]
        );
    }

    #[test]
    fn deferred_removal_answers_first_then_removes_a_batch_and_lifts_its_marks() {
        let d = Db::deferring();
        let ids: Vec<TokenId> = (1..=3)
            .map(|n| {
                let (t, share) = signed_token(n, 1);
                d.upload(&t, &share).expect("stored");
                *t.token_id()
            })
            .collect();
        d.take_journal();
        for id in &ids {
            d.redeem(id, None, NOW).expect("the one use");
        }
        // Each answer came once its batch (with the mark) was durable; the
        // files are still there, and no longer served.
        assert_eq!(d.take_journal(), ["apply +P +T +L +H", "flush"].repeat(3));
        assert_eq!((d.files().len(), d.marks().len()), (3, 3));
        assert_eq!(
            refused(&d.redeem(&ids[0], None, NOW)),
            Some(Refusal::UsedUp)
        );
        d.take_journal();
        assert_eq!(d.relay.remove_deleted(), 3);
        assert_eq!(
            d.take_journal(),
            ["remove", "remove", "remove", "apply -P -P -P"]
        );
        assert!(d.files().is_empty());
        assert!(d.marks().is_empty());
        assert_eq!(d.relay.remove_deleted(), 0, "nothing twice");
    }

    #[test]
    fn a_deferred_removal_that_fails_keeps_every_mark_for_the_next_start() {
        let d = Db::deferring();
        let (t, share) = signed_token(1, 1);
        d.upload(&t, &share).expect("stored");
        let id = *t.token_id();
        d.redeem(&id, None, NOW).expect("the one use");
        d.shares.fail_remove.store(true, Ordering::Relaxed);
        assert_eq!(d.relay.remove_deleted(), 1);
        assert_eq!(d.marks(), [id.to_vec()]);
        // The next start removes it.
        d.shares.fail_remove.store(false, Ordering::Relaxed);
        let done = recover(&*d.store, &*d.shares).expect("recovers");
        assert_eq!(done.removed, 1);
        assert!(d.files().is_empty());
        assert!(d.marks().is_empty());
    }

    #[test]
    fn waiting_for_deleted_files_wakes_when_a_share_is_deleted() {
        let d = Db::deferring();
        assert!(!d
            .relay
            .wait_for_deleted(std::time::Duration::from_millis(10)));
        let (t, share) = signed_token(1, 1);
        d.upload(&t, &share).expect("stored");
        std::thread::scope(|s| {
            let waiter = s.spawn(|| d.relay.wait_for_deleted(std::time::Duration::from_secs(60)));
            d.redeem(t.token_id(), None, NOW).expect("the one use");
            assert!(waiter.join().expect("the waiter"), "woken by the deletion");
        });
    }

    #[test]
    fn other_refusals_keep_the_share_file() {
        let (db, id, share_bytes) = stored(1, 1);
        let r = db.redeem(&id, None, NOW - 100);
        assert_eq!(refused(&r), Some(Refusal::NotYetValid));
        assert_eq!(db.files(), [(id.to_vec(), share_bytes)]);
        assert_eq!(db.record(&id).uses, 0);
        assert_eq!(db.take_journal(), ["apply +L +H", "flush"]);
    }

    #[test]
    fn last_use_removes_the_share_file() {
        let (db, id, share_bytes) = stored(1, 2);
        let Redeemed {
            record: r1, share, ..
        } = db.redeem(&id, None, NOW).expect("first use");
        assert_eq!((r1.uses, share), (1, share_bytes.clone()));
        assert_eq!(
            db.files().len(),
            1,
            "the share file went before the last use"
        );
        assert_eq!(db.take_journal(), ["apply +T +L +H", "flush"]);
        let Redeemed {
            record: r2, share, ..
        } = db.redeem(&id, Some([5; 32]), NOW + 1).expect("last use");
        assert_eq!((r2.uses, share), (2, share_bytes));
        assert!(db.files().is_empty(), "a used-up share's file stays");
        assert!(db.marks().is_empty());
        assert_eq!(db.record(&id).share_len, 0);

        let r = db.redeem(&id, None, NOW + 2);
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
        let r = db.redeem(&id, None, NOW);
        assert!(internal(&r), "{r:?}");
        assert_eq!(db.record(&id).uses, 0);
        assert!(db.take_journal().is_empty(), "nothing is written");
    }

    #[test]
    fn redeem_of_a_share_file_of_another_length_counts_nothing() {
        for len in [SHARE_LEN - 1, SHARE_LEN + 1] {
            let (db, id, _) = stored(1, 2);
            db.shares.inner.set_raw(&id, vec![0; len]);
            let r = db.redeem(&id, None, NOW);
            assert!(internal(&r), "{len} bytes: {r:?}");
            assert_eq!(db.record(&id).uses, 0);
        }
    }

    #[test]
    fn a_file_that_cannot_be_removed_keeps_its_mark_and_the_decision_stands() {
        let (db, id, share_bytes) = stored(1, 1);
        db.shares.fail_remove.store(true, Ordering::Relaxed);
        let Redeemed { share, .. } = db.redeem(&id, None, NOW).expect("the use is granted");
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
        assert!(db.revoke(&id, ACCOUNT, NOW).expect("revoke"));
        // Even when it is not valid yet.
        let r = db.redeem(&id, None, NOW - 100);
        assert_eq!(refused(&r), Some(Refusal::Revoked));
    }

    #[test]
    fn refuses_redeem_of_unknown_token_without_logging() {
        let db = Db::new();
        let r = db.redeem(&[3; 32], None, NOW);
        assert_eq!(refused(&r), Some(Refusal::NotFound));
        assert!(db.take_journal().is_empty());
    }

    // ------------------------------------------------------------ revoke

    #[test]
    fn revoke_removes_the_share_file_and_is_idempotent() {
        let (db, id, _) = stored(1, 1);
        assert!(db.revoke(&id, ACCOUNT, NOW).expect("first revoke"));
        assert!(db.files().is_empty(), "a withdrawn share's file stays");
        assert!(db.marks().is_empty());
        db.take_journal();
        assert!(!db.revoke(&id, ACCOUNT, NOW + 1).expect("second revoke"));
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
        db.redeem(&id, None, NOW).expect("the only use");
        db.take_journal();
        assert!(db.revoke(&id, ACCOUNT, NOW + 1).expect("withdrawn"));
        assert_eq!(db.take_journal(), ["apply +T +L +H", "flush"]);
    }

    #[test]
    fn revoke_not_allowed_looks_like_not_found() {
        let (db, id, share_bytes) = stored(1, 1);
        let r = db.revoke(&id, [2; 32], NOW);
        assert_eq!(refused(&r), Some(Refusal::NotFound));
        let r = db.revoke(&[4; 32], ACCOUNT, NOW);
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
        db2.revoke(&withdrawn, ACCOUNT, NOW).expect("withdrawn");
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
        assert!(db.relay.token(&crashed).expect("reads").is_none());
        // The live share still redeems.
        db.redeem(&live, None, NOW).expect("still served");
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
            let mut ops = vec![legacy(&tid, &rec)];
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
        let Redeemed { share, .. } = db.redeem(&live, None, NOW).expect("served from its file");
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
                legacy(&tid, &rec),
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
        let store = memory();
        for n in [[0; 16], [9; 16]] {
            assert!(store.fresh_nonce(&n, NOW + 100, NOW).expect("first"));
            assert!(!store.fresh_nonce(&n, NOW + 200, NOW + 1).expect("replay"));
            assert!(!store.fresh_nonce(&n, NOW + 200, NOW + 99).expect("replay"));
            assert!(store
                .fresh_nonce(&n, NOW + 300, NOW + 100)
                .expect("after expiry"));
        }
    }

    #[test]
    fn fresh_nonce_records_a_nonce_accepted_again_after_expiry() {
        let store = memory();
        // Nonces starting 0..4 also take the pruning path.
        for n in [[0; 16], [9; 16]] {
            assert!(store.fresh_nonce(&n, NOW + 100, NOW).expect("first"));
            assert!(store
                .fresh_nonce(&n, NOW + 300, NOW + 100)
                .expect("after expiry"));
            assert!(
                !store.fresh_nonce(&n, NOW + 400, NOW + 101).expect("replay"),
                "nonce {n:?} was accepted again, so it was not recorded"
            );
        }
    }

    #[test]
    fn fresh_nonce_drops_expired_nonces_and_keeps_live_ones() {
        let store = memory();
        assert!(store.fresh_nonce(&[5; 16], NOW + 10, NOW).expect("old"));
        assert!(store.fresh_nonce(&[6; 16], NOW + 500, NOW).expect("live"));
        // A later request whose nonce takes the pruning path in any version.
        assert!(store
            .fresh_nonce(&[0; 16], NOW + 600, NOW + 100)
            .expect("new"));
        let kept = store.store().keys_with_prefix(b"N").expect("scan");
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
        let store = &db.relay;
        let advocate = [6; 32];
        let r = flat(undelegate(store, &ACCOUNT, &advocate, NOW));
        assert_eq!(refused(&r), Some(Refusal::NotFound));
        assert!(db.events().is_empty());

        flat(delegate(store, &ACCOUNT, &advocate, NOW + 3600, NOW)).expect("delegate");
        assert_eq!(
            store.delegation(&ACCOUNT, &advocate).expect("read"),
            NOW + 3600
        );
        flat(undelegate(store, &ACCOUNT, &advocate, NOW + 1)).expect("undelegate");
        assert_eq!(store.delegation(&ACCOUNT, &advocate).expect("read"), 0);
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
        db.redeem(&id, None, NOW + 1).expect("redeem");
        let _ = db.redeem(&id, None, NOW + 2);
        db.revoke(&id, ACCOUNT, NOW + 3).expect("revoke");
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

    // ------------------------------------------- verify once, migration

    #[test]
    fn a_record_keeps_the_terms_verified_at_upload() {
        let (db, id, _) = stored(1, 2);
        let bytes = db
            .store
            .get(&key(b'T', &[&id]))
            .expect("get")
            .expect("stored");
        let (rec, rest): (TokenRecord, &[u8]) =
            postcard::take_from_bytes(&bytes).expect("the record comes first");
        let (t, _) = signed_token(1, 2);
        assert_eq!(rec.token, t.bytes(), "the exact token bytes are kept");
        let terms: Terms = postcard::from_bytes(rest).expect("then the terms");
        assert_eq!(terms, Terms::of(t.body()));
    }

    #[test]
    fn a_record_from_an_earlier_version_is_verified_once_and_keeps_its_terms() {
        let db = Db::new();
        let (t, share) = signed_token(1, 2);
        db.upload(&t, &share).expect("stored");
        let id = *t.token_id();
        let rec = db.record(&id);
        // As an earlier version wrote it: no terms.
        db.store.apply(vec![legacy(&id, &rec)]).expect("old layout");
        let r = db.redeem(&id, None, NOW).expect("granted");
        assert_eq!((r.record.uses, r.terms.max_uses), (1, 2));
        let bytes = db
            .store
            .get(&key(b'T', &[&id]))
            .expect("get")
            .expect("stored");
        assert_eq!(
            load_token(&db.store, &id).expect("loads"),
            Some((
                StoredToken {
                    record: TokenRecord { uses: 1, ..rec },
                    terms: Terms::of(t.body())
                },
                false
            )),
            "the terms are written with the first decision: {bytes:?}"
        );
    }

    #[test]
    fn a_refusal_also_keeps_the_terms_of_an_earlier_record() {
        let db = Db::new();
        let (t, share) = signed_token(1, 1);
        db.upload(&t, &share).expect("stored");
        let id = *t.token_id();
        db.store
            .apply(vec![legacy(&id, &db.record(&id))])
            .expect("old layout");
        let r = db.redeem(&id, None, NOW - 100);
        assert_eq!(refused(&r), Some(Refusal::NotYetValid));
        assert!(
            !load_token(&db.store, &id)
                .expect("loads")
                .expect("stored")
                .1
        );
    }

    #[test]
    fn an_earlier_record_whose_token_was_changed_at_rest_is_refused_and_nothing_counts() {
        let db = Db::new();
        let (t, share) = signed_token(1, 2);
        db.upload(&t, &share).expect("stored");
        let id = *t.token_id();
        let mut rec = db.record(&id);
        let at = rec.token.len() - 10;
        rec.token[at] ^= 1;
        db.store.apply(vec![legacy(&id, &rec)]).expect("changed");
        db.take_journal();
        assert!(internal(&db.redeem(&id, None, NOW)));
        assert!(db.take_journal().is_empty(), "nothing is written");
        assert_eq!(db.events().len(), 1);
    }

    // -------------------------------------------------------- concurrency

    #[test]
    fn concurrent_decisions_share_flushes_and_each_waits_for_its_own() {
        let db = Arc::new(Db::new());
        let mut ids = Vec::new();
        for i in 0..8u8 {
            let (t, share) = signed_token(10 + i, 5);
            db.upload(&t, &share).expect("stored");
            ids.push(*t.token_id());
        }
        db.take_journal();
        db.store.slow_flush.store(true, Ordering::Relaxed);
        let before = db.relay.flushes();
        std::thread::scope(|s| {
            for id in &ids {
                let db = Arc::clone(&db);
                s.spawn(move || {
                    for n in 1..=4 {
                        let r = db.redeem(id, None, NOW).expect("granted");
                        assert_eq!(r.record.uses, n);
                        // Answered only once its own batch was flushed.
                        let k = key(b'T', &[id]);
                        let durable = db.store.durable.lock().expect("not poisoned");
                        let (_, v) = durable
                            .iter()
                            .find(|(dk, _)| *dk == k)
                            .expect("the record is durable");
                        let rec: TokenRecord = postcard::from_bytes(v).expect("decodes");
                        assert!(rec.uses >= n, "use {n} answered before it was durable");
                    }
                });
            }
        });
        let flushes = db.relay.flushes() - before;
        assert!(
            flushes < 32,
            "32 decisions took {flushes} flushes: none was shared"
        );
        for id in &ids {
            assert_eq!(db.record(id).uses, 4);
        }
    }

    #[test]
    fn decisions_on_several_accounts_at_once_share_store_batches_and_stay_whole() {
        let db = Arc::new(Db::new());
        let mut ids = Vec::new();
        for i in 0..8u8 {
            let (t, share) = signed_token(20 + i, 5);
            upload_to(&db.relay, &[100 + i; 32], &t, &share, NOW).expect("stored");
            ids.push(([100 + i; 32], *t.token_id()));
        }
        db.take_journal();
        db.store.slow_apply.store(true, Ordering::Relaxed);
        let before = db.relay.batches();
        std::thread::scope(|s| {
            for (_, id) in &ids {
                let db = Arc::clone(&db);
                s.spawn(move || {
                    for n in 1..=4 {
                        let r = db.redeem(id, None, NOW).expect("granted");
                        assert_eq!(r.record.uses, n, "each use counted once, in order");
                    }
                });
            }
        });
        let batches = db.relay.batches() - before;
        assert!(
            batches < 32,
            "32 decisions on 8 accounts took {batches} batches: none was shared"
        );
        // Each account's history holds its own four uses, chained.
        for (account, id) in &ids {
            let (entries, head) = db.relay.log(account).expect("log");
            let uses: Vec<u32> = entries
                .iter()
                .filter_map(
                    |b| match postcard::from_bytes::<Entry>(b).expect("entry").event {
                        Event::Redeemed {
                            token_id,
                            use_number,
                            ..
                        } if token_id == *id => Some(use_number),
                        _ => None,
                    },
                )
                .collect();
            assert_eq!(uses, [1, 2, 3, 4]);
            assert_eq!(head.0, entries.len() as u64);
            assert_eq!(db.record(id).uses, 4);
        }
    }

    #[test]
    fn a_failed_flush_fails_its_decisions_and_stops_every_later_one() {
        let (db, id, _) = stored(1, 3);
        let stopped = db.relay.stopped();
        assert!(!*stopped.borrow());
        db.store.fail_flush.store(true, Ordering::Relaxed);
        assert!(internal(&db.redeem(&id, None, NOW)));
        assert!(*stopped.borrow(), "the server is told to stop");
        // Even once the store flushes again, nothing is decided or read:
        // after a failed fsync no later one says what the disk holds.
        db.store.fail_flush.store(false, Ordering::Relaxed);
        db.take_journal();
        assert!(internal(&db.redeem(&id, None, NOW)));
        assert!(internal(&db.revoke(&id, ACCOUNT, NOW).map(|_| ())));
        assert!(internal(&db.relay.log(&ACCOUNT)));
        assert!(internal(&db.relay.token(&id)));
        assert!(internal(&db.relay.fresh_nonce(&[9; 16], NOW + 60, NOW)));
        assert!(db.take_journal().is_empty(), "nothing more was written");
    }

    #[test]
    fn a_deferral_that_panics_leaves_later_decisions_on_the_thread_waiting() {
        let relay = memory().deferring_removals();
        let (t, share) = signed_token(3, 2);
        upload_to(&relay, &ACCOUNT, &t, &share, NOW).expect("stored");
        relay.flusher.store(true, Ordering::SeqCst);
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            relay.deferring(|| panic!("a decision panics"))
        }));
        assert!(panicked.is_err());
        let flushes = relay.flushes();
        flat(redeem(
            &relay,
            t.token_id(),
            decide::Presenter::default(),
            NOW,
        ))
        .expect("redeemed");
        assert!(
            relay.flushes() > flushes,
            "the decision waited for its flush"
        );
    }

    #[test]
    fn no_token_is_ever_redeemed_beyond_its_uses_whatever_the_concurrency() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sled = vault_core::store::SledStore::open(&dir.path().join("store")).expect("sled");
        redeemed_within_its_uses_whatever_the_concurrency(dir.path(), Box::new(sled));
    }

    #[test]
    fn no_token_is_ever_redeemed_beyond_its_uses_through_the_journal_and_its_checkpoints() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sled = vault_core::store::SledStore::open(&dir.path().join("store")).expect("sled");
        // A checkpoint every few decisions, while others are being made.
        let journal = std::sync::Arc::new(
            crate::journal::Journaled::with_limit(sled, &dir.path().join("journal"), true, 4096)
                .expect("journal"),
        );
        redeemed_within_its_uses_whatever_the_concurrency(
            dir.path(),
            Box::new(std::sync::Arc::clone(&journal)),
        );
        assert!(journal.checkpoints() > 0, "checkpoints were made meanwhile");
    }

    fn redeemed_within_its_uses_whatever_the_concurrency(
        dir: &std::path::Path,
        store: Box<dyn Store>,
    ) {
        let relay = KvRelay::new(
            store,
            Box::new(vault_core::store::FolderDocuments::new(
                &crate::shares_dir(dir).expect("shares"),
            )),
        );
        const USES: u32 = 7;
        let (t, share) = signed_token(1, USES);
        let id = *t.token_id();
        upload_to(&relay, &ACCOUNT, &t, &share, NOW).expect("stored");
        let granted = std::sync::atomic::AtomicU32::new(0);
        let used_up = std::sync::atomic::AtomicU32::new(0);
        std::thread::scope(|s| {
            for _ in 0..16 {
                s.spawn(|| {
                    for _ in 0..3 {
                        match redeem(&relay, &id, decide::Presenter::default(), NOW)
                            .expect("no storage failure")
                        {
                            Ok(r) => {
                                assert_eq!(r.share, share, "every granted use is served");
                                granted.fetch_add(1, Ordering::Relaxed);
                            }
                            Err(Denied::Refused(Refusal::UsedUp)) => {
                                used_up.fetch_add(1, Ordering::Relaxed);
                            }
                            Err(other) => panic!("unexpected {other:?}"),
                        }
                    }
                });
            }
        });
        assert_eq!(granted.load(Ordering::Relaxed), USES);
        assert_eq!(used_up.load(Ordering::Relaxed), 48 - USES);
        let s = relay.token(&id).expect("reads").expect("stored");
        assert_eq!((s.record.uses, s.record.share_len), (USES, 0));
        assert!(relay.shares().open(&id).expect("opens").is_none());
        // The log names each use once, in order.
        let uses: Vec<u32> = relay
            .log(&ACCOUNT)
            .expect("log")
            .0
            .iter()
            .filter_map(
                |b| match postcard::from_bytes::<Entry>(b).expect("entry").event {
                    Event::Redeemed { use_number, .. } => Some(use_number),
                    _ => None,
                },
            )
            .collect();
        assert_eq!(uses, (1..=USES).collect::<Vec<_>>());
    }
}
