//! Shared state: the relay's storage (the store and the share files), its
//! key, its origin, the rate limiter and the counters.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use vault_core::relay::Refusal;
use vault_core::store::{Documents, Store};
use vault_core::{Identity, TokenId};

use crate::admission::Admission;
use crate::db;

/// Everything handlers share.
#[derive(Clone)]
pub struct AppState {
    pub inner: Arc<Inner>,
}

/// The shared part of [`AppState`].
pub struct Inner {
    /// The store and the share files (`DATA/shares/`): each decision is
    /// applied through this, atomically and durably ([`db::RelayStore`]).
    pub db: db::KvRelay<'static>,
    pub relay: Identity,
    pub origin: String,
    pub limits: Limits,
    pub ip_buckets: Mutex<HashMap<IpAddr, Window>>,
    pub token_buckets: Mutex<HashMap<[u8; 32], Window>>,
    /// Share uploads under way, and the bytes they declared.
    pub uploads: Uploads,
    pub metrics: Metrics,
    /// Requests in flight per address and the processing pools.
    pub admission: Admission,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inner")
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("origin", &self.inner.origin)
            .finish_non_exhaustive()
    }
}

/// Request limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Requests per minute from one address.
    pub per_ip_per_minute: u32,
    /// Redemption attempts per minute for one token.
    pub per_token_per_minute: u32,
    /// Requests from one address being read or handled at once.
    pub in_flight_per_ip: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_ip_per_minute: 600,
            per_token_per_minute: 60,
            in_flight_per_ip: 32,
        }
    }
}

/// How much uploading may be under way at once: shares being received
/// are streamed to disk, so these bound the disk and the threads that
/// uploads hold, per address and in total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadLimits {
    /// Uploads from one address at once.
    pub per_address: u32,
    /// Declared bytes from one address at once.
    pub per_address_bytes: u64,
    /// Uploads at once, from every address.
    pub total: u32,
    /// Declared bytes at once, from every address.
    pub total_bytes: u64,
}

impl Default for UploadLimits {
    fn default() -> Self {
        Self {
            per_address: 4,
            per_address_bytes: 128 * 1024 * 1024,
            total: 32,
            total_bytes: 1024 * 1024 * 1024,
        }
    }
}

/// What is reserved for the uploads under way.
#[derive(Debug, Default)]
struct InFlight {
    limits: UploadLimits,
    uploads: u32,
    bytes: u64,
    /// Per address: (uploads, bytes).
    per_address: HashMap<IpAddr, (u32, u64)>,
    /// Token ids being uploaded: one upload per id at a time.
    ids: HashSet<TokenId>,
}

/// The budget of uploads in flight ([`UploadLimits`]). An upload reserves
/// its declared length before a byte of its body is read, and gives it
/// back when its [`Reservation`] is dropped.
#[derive(Debug, Clone, Default)]
pub struct Uploads(Arc<Mutex<InFlight>>);

impl Uploads {
    fn lock(&self) -> std::sync::MutexGuard<'_, InFlight> {
        // Every change below is made whole before the guard is dropped.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces the limits (uploads already under way keep their place).
    pub fn set_limits(&self, limits: UploadLimits) {
        self.lock().limits = limits;
    }

    /// Reserves room for an upload of `bytes` of token `id` from `addr`
    /// (`None`: a request with no peer address, as in router tests, counts
    /// in the totals only). `conflict` if the same token is being
    /// uploaded; `busy` if the address or the relay has no room now.
    pub fn reserve(
        &self,
        addr: Option<IpAddr>,
        id: TokenId,
        bytes: u64,
    ) -> Result<Reservation, Refusal> {
        let mut f = self.lock();
        if f.ids.contains(&id) {
            return Err(Refusal::Conflict);
        }
        let l = f.limits;
        if f.uploads >= l.total || f.bytes.saturating_add(bytes) > l.total_bytes {
            return Err(Refusal::Busy);
        }
        if let Some(a) = addr {
            let (n, b) = f.per_address.get(&a).copied().unwrap_or((0, 0));
            if n >= l.per_address || b.saturating_add(bytes) > l.per_address_bytes {
                return Err(Refusal::Busy);
            }
            f.per_address.insert(a, (n + 1, b + bytes));
        }
        f.uploads += 1;
        f.bytes += bytes;
        f.ids.insert(id);
        Ok(Reservation {
            uploads: self.clone(),
            addr,
            id,
            bytes,
        })
    }

    /// (uploads, bytes) reserved now, for tests and logs.
    pub fn in_flight(&self) -> (u32, u64) {
        let f = self.lock();
        (f.uploads, f.bytes)
    }
}

/// Room held by one upload; given back when dropped.
#[derive(Debug)]
#[must_use = "the room is given back as soon as this is dropped"]
pub struct Reservation {
    uploads: Uploads,
    addr: Option<IpAddr>,
    id: TokenId,
    bytes: u64,
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let mut f = self.uploads.lock();
        f.uploads = f.uploads.saturating_sub(1);
        f.bytes = f.bytes.saturating_sub(self.bytes);
        f.ids.remove(&self.id);
        if let Some(a) = self.addr {
            if let Some((n, b)) = f.per_address.get_mut(&a) {
                *n = n.saturating_sub(1);
                *b = b.saturating_sub(self.bytes);
                if *n == 0 {
                    f.per_address.remove(&a);
                }
            }
        }
    }
}

/// A fixed one-minute window counter.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    minute: u64,
    count: u32,
}

/// Counts a hit in `map[key]`; `false` if over `limit` this minute.
pub fn allow<K: std::hash::Hash + Eq>(
    map: &Mutex<HashMap<K, Window>>,
    key: K,
    limit: u32,
    now: u64,
) -> bool {
    let minute = now / 60;
    let mut m = map.lock().unwrap_or_else(|p| p.into_inner());
    if m.len() > 100_000 {
        m.retain(|_, w| w.minute == minute);
    }
    let w = m.entry(key).or_insert(Window { minute, count: 0 });
    if w.minute != minute {
        *w = Window { minute, count: 0 };
    }
    w.count += 1;
    w.count <= limit
}

/// Counters for `/metrics`.
#[derive(Debug, Default)]
pub struct Metrics {
    pub requests: AtomicU64,
    pub uploads: AtomicU64,
    pub redeemed: AtomicU64,
    pub refused: AtomicU64,
    pub revoked: AtomicU64,
    pub rate_limited: AtomicU64,
    /// Answers `408 timeout` (a body too slow, or no answer in time).
    pub timeouts: AtomicU64,
    /// Connections closed at once for being over a connection cap.
    pub connections_refused: AtomicU64,
    /// Uploads answered `503 busy`.
    pub busy: AtomicU64,
}

impl Metrics {
    pub fn inc(c: &AtomicU64) {
        c.fetch_add(1, Ordering::Relaxed);
    }

    /// Prometheus text exposition format.
    pub fn render(&self) -> String {
        let rows = [
            ("vault_requests_total", "Requests answered.", &self.requests),
            ("vault_uploads_total", "Shares uploaded.", &self.uploads),
            (
                "vault_redemptions_total",
                "Redemptions granted.",
                &self.redeemed,
            ),
            (
                "vault_refusals_total",
                "Redemptions refused.",
                &self.refused,
            ),
            (
                "vault_revocations_total",
                "Shares withdrawn.",
                &self.revoked,
            ),
            (
                "vault_rate_limited_total",
                "Requests refused for rate.",
                &self.rate_limited,
            ),
            (
                "vault_timeouts_total",
                "Requests answered 408 timeout.",
                &self.timeouts,
            ),
            (
                "vault_connections_refused_total",
                "Connections closed for being over a connection cap.",
                &self.connections_refused,
            ),
            (
                "vault_busy_total",
                "Uploads refused for want of room.",
                &self.busy,
            ),
        ];
        let mut out = String::new();
        for (name, help, v) in rows {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}\n",
                v.load(Ordering::Relaxed)
            ));
        }
        out
    }
}

/// How long the share remover gathers deleted shares' files before it
/// removes them (off the answers' path; the deletions are durable already).
const REMOVAL_GATHER: Duration = Duration::from_millis(100);

impl AppState {
    /// The relay's state over `store` and `shares`. Before anything is
    /// served, share files that a crash left marked as garbage are
    /// removed and shares an earlier version kept inside the store are
    /// moved into files ([`db::recover`]); this never keeps the relay
    /// from starting: what fails is logged and tried again next time.
    pub fn new(
        store: Box<dyn Store>,
        shares: Box<dyn Documents>,
        relay: Identity,
        origin: String,
        limits: Limits,
    ) -> Self {
        match db::recover(&*store, &*shares) {
            Ok(done) => {
                if done != db::Recovered::default() {
                    tracing::info!(
                        target: "vault_server",
                        removed = done.removed,
                        left = done.left,
                        moved = done.moved,
                        "share files tidied after the last stop"
                    );
                }
                if done.left > 0 {
                    tracing::warn!(
                        target: "vault_server",
                        left = done.left,
                        "some deleted shares' files could not be removed; trying again at the next start"
                    );
                }
            }
            Err(e) => tracing::warn!(
                target: "vault_server",
                error = ?e,
                "tidying share files failed; trying again at the next start"
            ),
        }
        let state = Self {
            inner: Arc::new(Inner {
                db: db::KvRelay::new(store, shares).deferring_removals(),
                relay,
                origin,
                limits,
                ip_buckets: Mutex::new(HashMap::new()),
                token_buckets: Mutex::new(HashMap::new()),
                uploads: Uploads::default(),
                metrics: Metrics::default(),
                admission: Admission::new(limits.in_flight_per_ip),
            }),
        };
        // Removes deleted shares' files off the answer's path, a batch at
        // a time (one folder sync each); ends once the state is dropped.
        let weak = Arc::downgrade(&state.inner);
        let spawned = std::thread::Builder::new()
            .name("share-remover".into())
            .spawn(move || {
                while let Some(inner) = weak.upgrade() {
                    if inner.db.wait_for_deleted(Duration::from_millis(500)) {
                        // Gathers what a moment brings: one folder sync
                        // and one batch of lifted marks serve them all.
                        std::thread::sleep(REMOVAL_GATHER);
                        inner.db.remove_deleted();
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(
                target: "vault_server",
                error = %e,
                "no thread to remove deleted shares' files; they are removed when the relay stops or starts"
            );
        }
        // Makes durable what requests wait for in their tasks
        // ([`AppState::durably`]); ends once the state is dropped.
        // (Until it first runs, and without it, decisions wait on their
        // own threads as before.)
        let weak = Arc::downgrade(&state.inner);
        let spawned = std::thread::Builder::new()
            .name("flusher".into())
            .spawn(move || {
                while let Some(inner) = weak.upgrade() {
                    inner.db.flush_requested(Duration::from_millis(500));
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(
                target: "vault_server",
                error = %e,
                "no flushing thread; decisions wait for the disk on their own threads"
            );
        }
        state
    }

    /// Runs the decisions of `f` on a blocking thread, then waits in this
    /// task (not on that thread) until they are durable, then queues the
    /// share files they deleted for removal ([`db::KvRelay::deferring`]).
    /// What `f` returned is given only once it is durable: answer nothing
    /// before. A failed flush is an `internal` error.
    pub async fn durably<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Inner) -> T + Send + 'static,
    ) -> Result<T, crate::error::AppError> {
        let inner = Arc::clone(&self.inner);
        let (out, generation, removals) =
            tokio::task::spawn_blocking(move || inner.db.deferring(|| f(&inner))).await?;
        self.inner.db.durable(generation).await?;
        self.inner.db.queue_removals(removals);
        Ok(out)
    }

    /// Runs `f` (storage work, which may wait for a disk) on a blocking
    /// thread.
    pub async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Inner) -> T + Send + 'static,
    ) -> Result<T, tokio::task::JoinError> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || f(&inner)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 2));

    fn small() -> Uploads {
        let u = Uploads::default();
        u.set_limits(UploadLimits {
            per_address: 2,
            per_address_bytes: 100,
            total: 3,
            total_bytes: 150,
        });
        u
    }

    #[test]
    fn refuses_room_beyond_an_address_budget_and_gives_it_back_when_an_upload_ends() {
        let u = small();
        let one = u.reserve(Some(A), [1; 32], 60).expect("room");
        // Bytes: 60 + 41 > 100 for this address.
        assert_eq!(u.reserve(Some(A), [2; 32], 41).err(), Some(Refusal::Busy));
        let two = u.reserve(Some(A), [2; 32], 40).expect("room");
        // Uploads: a third from the same address.
        assert_eq!(u.reserve(Some(A), [3; 32], 0).err(), Some(Refusal::Busy));
        // Another address still has room, within the totals.
        assert_eq!(u.reserve(Some(B), [3; 32], 51).err(), Some(Refusal::Busy));
        let three = u.reserve(Some(B), [3; 32], 50).expect("room");
        assert_eq!(u.reserve(None, [4; 32], 0).err(), Some(Refusal::Busy));
        assert_eq!(u.in_flight(), (3, 150));
        drop((one, two, three));
        assert_eq!(u.in_flight(), (0, 0));
        assert!(u.lock().per_address.is_empty(), "addresses are forgotten");
        let _again = u.reserve(Some(A), [1; 32], 100).expect("room again");
    }

    #[test]
    fn refuses_a_second_upload_of_a_token_under_way_as_conflict() {
        let u = small();
        let first = u.reserve(Some(A), [1; 32], 10).expect("room");
        assert_eq!(
            u.reserve(Some(B), [1; 32], 10).err(),
            Some(Refusal::Conflict)
        );
        drop(first);
        let _second = u.reserve(Some(B), [1; 32], 10).expect("room");
    }
}
