//! Shared state: the store, the share files, the relay's key, its origin,
//! the write lock, the rate limiter and the counters.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use vault_core::store::{Documents, Store};
use vault_core::Identity;

use crate::admission::Admission;
use crate::db;

/// Everything handlers share.
#[derive(Clone)]
pub struct AppState {
    pub inner: Arc<Inner>,
}

/// The shared part of [`AppState`].
pub struct Inner {
    pub store: Box<dyn Store>,
    /// One sealed share per token, named by its id (`DATA/shares/`).
    pub shares: Box<dyn Documents>,
    pub relay: Identity,
    pub origin: String,
    /// Every state change holds this, so each decision (read, decide,
    /// write, log, flush) is atomic with respect to every other.
    pub write: Mutex<()>,
    pub limits: Limits,
    pub ip_buckets: Mutex<HashMap<IpAddr, Window>>,
    pub token_buckets: Mutex<HashMap<[u8; 32], Window>>,
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
        Self {
            inner: Arc::new(Inner {
                store,
                shares,
                relay,
                origin,
                write: Mutex::new(()),
                limits,
                ip_buckets: Mutex::new(HashMap::new()),
                token_buckets: Mutex::new(HashMap::new()),
                metrics: Metrics::default(),
                admission: Admission::new(limits.in_flight_per_ip),
            }),
        }
    }

    /// Runs `f` with the write lock held, on a blocking thread.
    pub async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Inner) -> T + Send + 'static,
    ) -> Result<T, tokio::task::JoinError> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let _guard = inner.write.lock().unwrap_or_else(|p| p.into_inner());
            f(&inner)
        })
        .await
    }

    /// Runs `f` with the write lock held, on a blocking thread; then,
    /// with the lock released, removes the share files whose deletion `f`
    /// made durable ([`db::Removals`]), before returning.
    pub async fn write_then_remove<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Inner, &mut db::Removals) -> T + Send + 'static,
    ) -> Result<T, tokio::task::JoinError> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let mut later = db::Removals::default();
            let out = {
                let _guard = inner.write.lock().unwrap_or_else(|p| p.into_inner());
                f(&inner, &mut later)
            };
            later.run(&*inner.store, &*inner.shares);
            out
        })
        .await
    }

    /// Runs a read-only `f` on a blocking thread.
    pub async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Inner) -> T + Send + 'static,
    ) -> Result<T, tokio::task::JoinError> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || f(&inner)).await
    }
}
