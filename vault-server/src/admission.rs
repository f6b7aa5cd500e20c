//! Who gets in, and for how long: what one address may hold, deadlines on
//! reading request bodies, and the processing slots requests wait for.
//!
//! A slow client must not be able to keep anyone else out. So:
//!
//! - **Connections** are counted per address and in total in the accept
//!   loop ([`crate::serve`]); one over the cap is answered `429` and
//!   closed at once. Idle keep-alive connections are closed by the
//!   header timeout (it also runs while waiting for the next request).
//! - **Requests in flight** are counted per address ([`admit`]); one over
//!   the cap is answered `429` at once and its connection closed.
//! - **Bodies** are read to the end *before* a processing slot is taken,
//!   within [`SMALL_BODY_TIMEOUT`] (every route but uploads). An upload's
//!   body is read by its handler, on a pool of its own
//!   ([`UPLOAD_SLOTS`]), within a deadline that grows with its length at
//!   [`MIN_UPLOAD_RATE`] ([`upload_deadline`]). A body that misses its
//!   deadline gets `408 timeout` and the connection is closed.
//! - **Processing slots**: withdrawals (`POST /v1/revoke`,
//!   `POST /v1/revoke-all`, which advocates use too) may take a slot from
//!   a reserved pool ([`WITHDRAWAL_SLOTS`]) no other route can use, or
//!   from the general pool ([`GENERAL_SLOTS`]) when it has room; every
//!   other route takes a general slot. A request that gets no slot and no
//!   answer within [`REQUEST_TIMEOUT`] gets `408 timeout`.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::LengthLimitError;
use hyper::body::{Body as HttpBody, Frame, SizeHint};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use vault_core::relay::api::ErrorBody;
use vault_core::relay::Refusal;

use crate::error::refusal_response;
use crate::state::{AppState, Metrics};

/// Processing slots for every route but withdrawals and uploads.
pub const GENERAL_SLOTS: usize = 256;
/// Processing slots only withdrawals may use (they may also use general
/// ones).
pub const WITHDRAWAL_SLOTS: usize = 32;
/// Uploads handled at once (their bodies are read while they hold one).
pub const UPLOAD_SLOTS: usize = 32;
/// Uploads in flight from one address.
pub const UPLOADS_PER_ADDRESS: usize = 4;
/// Longest a request may wait for a slot and be handled, once its body
/// is in (for uploads: once their body deadline has passed).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Time to send a whole body of at most `MAX_BODY` once the headers are in.
pub const SMALL_BODY_TIMEOUT: Duration = Duration::from_secs(5);
/// An upload's body may take this long plus its length at
/// [`MIN_UPLOAD_RATE`].
pub const UPLOAD_GRACE: Duration = Duration::from_secs(10);
/// The slowest an upload may arrive, in bytes per second (1 Mbit/s).
pub const MIN_UPLOAD_RATE: u64 = 128 * 1024;

/// Connection caps for the accept loop, set at start-up (the cap on
/// requests in flight per address is in [`crate::state::Limits`]).
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    /// Open connections from one address.
    pub conns_per_ip: usize,
    /// Open connections in total (keep it under the process's limit on
    /// open files, `ulimit -n`).
    pub conns_total: usize,
}

impl Default for Caps {
    fn default() -> Self {
        Self {
            conns_per_ip: 64,
            conns_total: 1000,
        }
    }
}

/// A count per address with a cap; entering returns a guard that leaves
/// when dropped.
#[derive(Debug)]
pub struct PerAddress {
    limit: usize,
    counts: Mutex<HashMap<IpAddr, usize>>,
}

impl PerAddress {
    /// Counts at most `limit` at once for each address.
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Self {
            limit,
            counts: Mutex::new(HashMap::new()),
        })
    }

    /// One more for `ip`, or `None` if it already holds `limit`.
    pub fn try_enter(self: &Arc<Self>, ip: IpAddr) -> Option<Entry> {
        let ip = address_key(ip);
        let mut m = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let n = m.entry(ip).or_insert(0);
        if *n >= self.limit {
            return None;
        }
        *n += 1;
        Some(Entry {
            of: Arc::clone(self),
            ip,
        })
    }

    /// How many `ip` holds now.
    pub fn held(&self, ip: IpAddr) -> usize {
        let ip = address_key(ip);
        let m = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        m.get(&ip).copied().unwrap_or(0)
    }
}

/// What counts as one address: an IPv4 address (also written as an
/// IPv4-mapped IPv6 one), or an IPv6 /64 (one network's share: a single
/// host usually has a whole /64 to pick addresses from).
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// One counted connection or request; leaves its count when dropped.
#[derive(Debug)]
pub struct Entry {
    of: Arc<PerAddress>,
    ip: IpAddr,
}

impl Drop for Entry {
    fn drop(&mut self) {
        let mut m = self.of.counts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = m.get_mut(&self.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                m.remove(&self.ip);
            }
        }
    }
}

/// The relay's admission state: requests in flight per address and the
/// processing pools (one shared set, not one per router clone).
#[derive(Debug)]
pub struct Admission {
    in_flight: Arc<PerAddress>,
    uploads: Arc<PerAddress>,
    general: Arc<Semaphore>,
    withdrawals: Arc<Semaphore>,
    upload_slots: Arc<Semaphore>,
}

impl Admission {
    /// Pools of the default sizes; `in_flight_per_ip` requests per address.
    pub fn new(in_flight_per_ip: usize) -> Self {
        Self {
            in_flight: PerAddress::new(in_flight_per_ip),
            uploads: PerAddress::new(UPLOADS_PER_ADDRESS),
            general: Arc::new(Semaphore::new(GENERAL_SLOTS)),
            withdrawals: Arc::new(Semaphore::new(WITHDRAWAL_SLOTS)),
            upload_slots: Arc::new(Semaphore::new(UPLOAD_SLOTS)),
        }
    }

    /// Requests `ip` has in flight now.
    pub fn in_flight(&self, ip: IpAddr) -> usize {
        self.in_flight.held(ip)
    }

    /// Waits for a processing slot for `class`.
    async fn slot(&self, class: Class) -> Option<OwnedSemaphorePermit> {
        match class {
            Class::Withdrawal => {
                // A free reserved slot first, then whichever frees first.
                if let Ok(p) = Arc::clone(&self.withdrawals).try_acquire_owned() {
                    return Some(p);
                }
                tokio::select! {
                    biased;
                    p = Arc::clone(&self.withdrawals).acquire_owned() => p.ok(),
                    p = Arc::clone(&self.general).acquire_owned() => p.ok(),
                }
            }
            Class::Upload => Arc::clone(&self.upload_slots).acquire_owned().await.ok(),
            Class::Other => Arc::clone(&self.general).acquire_owned().await.ok(),
        }
    }
}

/// Which pool a request draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// `POST /v1/revoke`, `POST /v1/revoke-all`.
    Withdrawal,
    /// `POST /v1/shares`.
    Upload,
    /// Everything else.
    Other,
}

impl Class {
    /// The class of a request by its method and path.
    pub fn of(method: &Method, path: &str) -> Self {
        match (method, path) {
            (&Method::POST, "/v1/revoke" | "/v1/revoke-all") => Self::Withdrawal,
            (&Method::POST, "/v1/shares") => Self::Upload,
            _ => Self::Other,
        }
    }
}

/// How long an upload of `declared` bytes (or of the largest allowed, if
/// not declared) may take to arrive.
pub fn upload_deadline(declared: Option<u64>, max: usize) -> Duration {
    let len = declared.unwrap_or(max as u64).min(max as u64);
    UPLOAD_GRACE + Duration::from_secs(len.div_ceil(MIN_UPLOAD_RATE))
}

/// Why reading a body failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFailure {
    /// Longer than the route allows.
    TooLarge,
    /// Not all there before its deadline.
    TooSlow,
    /// Not valid HTTP framing (a malformed chunk), or the client left.
    Malformed,
}

/// The error a [`Deadline`] body fails with.
#[derive(Debug)]
pub struct DeadlineElapsed;

impl std::fmt::Display for DeadlineElapsed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request body did not arrive before its deadline")
    }
}

impl std::error::Error for DeadlineElapsed {}

/// What reading a body failed with, by the errors in its chain: a length
/// limit is `TooLarge`, a deadline `TooSlow`, anything else (a malformed
/// chunk, a client that went away) `Malformed`.
pub fn classify(err: &(dyn std::error::Error + 'static)) -> BodyFailure {
    let mut cur = Some(err);
    while let Some(e) = cur {
        if e.is::<LengthLimitError>() {
            return BodyFailure::TooLarge;
        }
        if e.is::<DeadlineElapsed>() {
            return BodyFailure::TooSlow;
        }
        cur = e.source();
    }
    BodyFailure::Malformed
}

/// The refusal for a body that could not be read (for handlers that read
/// bodies themselves). A missed deadline is answered by [`admit`].
pub fn body_refusal(err: &axum::Error) -> Refusal {
    match classify(err) {
        BodyFailure::TooLarge => Refusal::TooLarge,
        BodyFailure::TooSlow | BodyFailure::Malformed => Refusal::BadRequest,
    }
}

/// `408 {"error":"timeout"}`, closing the connection.
pub fn timeout_response(message: &str) -> Response {
    let mut res = (
        StatusCode::REQUEST_TIMEOUT,
        axum::Json(ErrorBody {
            error: crate::error::TIMEOUT.into(),
            message: message.into(),
            relay_time: None,
            ended_at: None,
        }),
    )
        .into_response();
    close(&mut res);
    res
}

const BODY_TOO_SLOW: &str =
    "The request did not arrive in time, so it was not carried out. Check the connection and try again.";
const ANSWER_TOO_SLOW: &str =
    "The relay could not answer in time, so whether anything changed is unknown. Please check, then try again.";

/// Asks hyper to close the connection after this answer.
fn close(res: &mut Response) {
    res.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
}

/// A refusal that also closes the connection (its body may be unread).
fn refuse_and_close(r: Refusal) -> Response {
    let mut res = refusal_response(r);
    close(&mut res);
    res
}

/// The admission layer: per-address in-flight cap, body deadline, then a
/// processing slot and the request timeout. Runs inside the body size
/// limit, so the bodies it reads are already bounded.
pub async fn admit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let res = admit_inner(&state, req, next).await;
    if res.status() == StatusCode::REQUEST_TIMEOUT {
        Metrics::inc(&state.inner.metrics.timeouts);
    }
    res
}

async fn admit_inner(state: &AppState, req: Request, next: Next) -> Response {
    let adm = &state.inner.admission;
    let class = Class::of(req.method(), req.uri().path());
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip());
    let mut entries = Vec::new();
    if let Some(ip) = ip {
        let Some(e) = adm.in_flight.try_enter(ip) else {
            tracing::debug!(target: "vault_server", "too many requests in flight from one address");
            Metrics::inc(&state.inner.metrics.rate_limited);
            return refuse_and_close(Refusal::RateLimited);
        };
        entries.push(e);
        if class == Class::Upload {
            let Some(e) = adm.uploads.try_enter(ip) else {
                tracing::debug!(target: "vault_server", "too many uploads in flight from one address");
                Metrics::inc(&state.inner.metrics.rate_limited);
                return refuse_and_close(Refusal::RateLimited);
            };
            entries.push(e);
        }
    }

    if class == Class::Upload {
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let deadline = upload_deadline(declared, crate::app::MAX_UPLOAD);
        let missed = Arc::new(AtomicBool::new(false));
        let (parts, body) = req.into_parts();
        let body = Body::new(Deadline::new(body, deadline, Arc::clone(&missed)));
        let req = Request::from_parts(parts, body);
        let run = async {
            let Some(_slot) = adm.slot(class).await else {
                return timeout_response(ANSWER_TOO_SLOW);
            };
            next.run(req).await
        };
        let res = match tokio::time::timeout(deadline + REQUEST_TIMEOUT, run).await {
            Ok(res) => res,
            Err(_) => timeout_response(ANSWER_TOO_SLOW),
        };
        if missed.load(Ordering::Relaxed) {
            tracing::debug!(target: "vault_server", "upload body too slow");
            return timeout_response(BODY_TOO_SLOW);
        }
        return res;
    }

    // Every other route: the whole body first, outside any slot (at most
    // MAX_BODY, whatever the method: only an upload may be larger).
    let (parts, body) = req.into_parts();
    let bytes: Bytes = match tokio::time::timeout(
        SMALL_BODY_TIMEOUT,
        axum::body::to_bytes(body, crate::app::MAX_BODY),
    )
    .await
    {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => {
            return match classify(&e) {
                BodyFailure::TooLarge => refuse_and_close(Refusal::TooLarge),
                BodyFailure::TooSlow => timeout_response(BODY_TOO_SLOW),
                BodyFailure::Malformed => {
                    tracing::debug!(target: "vault_server", error = %e, "request body unreadable");
                    refuse_and_close(Refusal::BadRequest)
                }
            };
        }
        Err(_) => {
            tracing::debug!(target: "vault_server", "request body too slow");
            return timeout_response(BODY_TOO_SLOW);
        }
    };
    let req = Request::from_parts(parts, Body::from(bytes));
    let run = async {
        let Some(_slot) = adm.slot(class).await else {
            return timeout_response(ANSWER_TOO_SLOW);
        };
        next.run(req).await
    };
    match tokio::time::timeout(REQUEST_TIMEOUT, run).await {
        Ok(res) => res,
        Err(_) => {
            tracing::warn!(target: "vault_server", "request timed out");
            timeout_response(ANSWER_TOO_SLOW)
        }
    }
}

/// A body that fails with [`DeadlineElapsed`] if it has not ended by its
/// deadline, and records that it did.
pub struct Deadline {
    inner: Body,
    sleep: Pin<Box<tokio::time::Sleep>>,
    missed: Arc<AtomicBool>,
}

impl std::fmt::Debug for Deadline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deadline")
            .field("missed", &self.missed)
            .finish_non_exhaustive()
    }
}

impl Deadline {
    /// `inner`, due within `within`; `missed` is set if it is late.
    pub fn new(inner: Body, within: Duration, missed: Arc<AtomicBool>) -> Self {
        Self {
            inner,
            sleep: Box::pin(tokio::time::sleep(within)),
            missed,
        }
    }
}

impl HttpBody for Deadline {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        if self.sleep.as_mut().poll(cx).is_ready() {
            self.missed.store(true, Ordering::Relaxed);
            return Poll::Ready(Some(Err(axum::Error::new(DeadlineElapsed))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_an_address_over_its_cap_and_frees_on_drop() {
        let caps = PerAddress::new(2);
        let a: IpAddr = [192, 0, 2, 1].into();
        let b: IpAddr = [192, 0, 2, 2].into();
        let first = caps.try_enter(a).expect("first");
        let _second = caps.try_enter(a).expect("second");
        assert!(caps.try_enter(a).is_none(), "a third from the same address");
        assert!(
            caps.try_enter(b).is_some(),
            "another address is not affected"
        );
        drop(first);
        assert!(caps.try_enter(a).is_some(), "a slot freed by the guard");
    }

    #[test]
    fn counts_an_ipv6_slash_64_as_one_address() {
        let caps = PerAddress::new(1);
        let a: IpAddr = "2001:db8:1:2::1".parse().expect("an address");
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().expect("an address");
        let c: IpAddr = "2001:db8:1:3::1".parse().expect("an address");
        let _a = caps.try_enter(a).expect("first");
        assert!(caps.try_enter(b).is_none(), "same /64");
        assert!(caps.try_enter(c).is_some(), "another /64");
        let v4: IpAddr = [192, 0, 2, 1].into();
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().expect("an address");
        let _v4 = caps.try_enter(v4).expect("v4");
        assert!(caps.try_enter(mapped).is_none(), "the same IPv4 address");
    }

    #[test]
    fn keeps_no_entry_for_an_address_that_left() {
        let caps = PerAddress::new(3);
        let a: IpAddr = [192, 0, 2, 1].into();
        drop(caps.try_enter(a));
        assert_eq!(caps.held(a), 0);
        assert!(caps.counts.lock().expect("not poisoned").is_empty());
    }

    #[test]
    fn gives_withdrawals_their_own_class() {
        assert_eq!(Class::of(&Method::POST, "/v1/revoke"), Class::Withdrawal);
        assert_eq!(
            Class::of(&Method::POST, "/v1/revoke-all"),
            Class::Withdrawal
        );
        assert_eq!(Class::of(&Method::POST, "/v1/shares"), Class::Upload);
        assert_eq!(Class::of(&Method::GET, "/v1/shares"), Class::Other);
        assert_eq!(Class::of(&Method::GET, "/v1/revoke"), Class::Other);
        assert_eq!(Class::of(&Method::POST, "/v1/redeem"), Class::Other);
    }

    #[test]
    fn scales_the_upload_deadline_with_its_length() {
        assert_eq!(upload_deadline(Some(0), 1 << 20), UPLOAD_GRACE);
        assert_eq!(
            upload_deadline(Some(MIN_UPLOAD_RATE * 100), 1 << 30),
            UPLOAD_GRACE + Duration::from_secs(100)
        );
        // Undeclared or overlong: the route's maximum.
        assert_eq!(
            upload_deadline(None, 48 << 20),
            upload_deadline(Some(u64::MAX), 48 << 20)
        );
        assert_eq!(
            upload_deadline(None, 48 << 20),
            UPLOAD_GRACE + Duration::from_secs(384)
        );
    }

    /// A body that yields `frames` and then, if `hang`, never ends.
    struct Scripted {
        frames: std::collections::VecDeque<Result<Bytes, std::io::Error>>,
        hang: bool,
    }

    impl HttpBody for Scripted {
        type Data = Bytes;
        type Error = std::io::Error;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
            match self.frames.pop_front() {
                Some(f) => Poll::Ready(Some(f.map(Frame::data))),
                None if self.hang => Poll::Pending,
                None => Poll::Ready(None),
            }
        }
    }

    fn body(frames: Vec<Result<&'static [u8], std::io::Error>>, hang: bool) -> Body {
        Body::new(Scripted {
            frames: frames
                .into_iter()
                .map(|f| f.map(Bytes::from_static))
                .collect(),
            hang,
        })
    }

    fn relay(in_flight_per_ip: usize) -> AppState {
        AppState::new(
            Box::new(vault_core::MemoryStore::new()),
            Box::new(vault_core::MemoryDocuments::new()),
            vault_core::Identity::from_seed(vault_core::Role::Relay, &[7; 32]),
            "http://127.0.0.1:8080".into(),
            crate::state::Limits {
                in_flight_per_ip,
                ..crate::state::Limits::default()
            },
        )
    }

    fn post(path: &str, body: Body, from: Option<[u8; 4]>) -> Request {
        let mut req = Request::builder()
            .method("POST")
            .uri(path)
            .body(body)
            .expect("a request");
        if let Some(ip) = from {
            req.extensions_mut()
                .insert(ConnectInfo(SocketAddr::from((ip, 4000))));
        }
        req
    }

    async fn send(state: &AppState, req: Request) -> (StatusCode, String, Option<HeaderValue>) {
        use tower::ServiceExt;
        let res = crate::app::app(state.clone())
            .oneshot(req)
            .await
            .expect("the router answers");
        let status = res.status();
        let close = res.headers().get(header::CONNECTION).cloned();
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .expect("the answer is read");
        let code = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| v["error"].as_str().map(str::to_owned))
            .unwrap_or_default();
        (status, code, close)
    }

    fn broken() -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::InvalidData, "invalid chunk size line")
    }

    #[tokio::test]
    async fn rejects_a_malformed_body_as_bad_request_not_too_large() {
        let state = relay(32);
        for path in ["/v1/revoke", "/v1/redeem", "/v1/shares"] {
            let req = post(path, body(vec![Ok(b"{\"tok"), Err(broken())], false), None);
            let (status, code, _) = send(&state, req).await;
            assert_eq!(
                (status, code.as_str()),
                (StatusCode::BAD_REQUEST, "bad_request"),
                "{path}"
            );
        }
    }

    #[tokio::test]
    async fn refuses_a_body_over_the_limit_while_reading_as_too_large() {
        let state = relay(32);
        let big: &'static [u8] = Box::leak(vec![b'x'; crate::app::MAX_BODY + 1].into_boxed_slice());
        let req = post("/v1/revoke", body(vec![Ok(big)], false), None);
        let (status, code, _) = send(&state, req).await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
        );
        // Only an upload may be larger: not a GET on the same path.
        let mut req = post("/v1/shares", body(vec![Ok(big)], false), None);
        *req.method_mut() = Method::GET;
        let (status, code, _) = send(&state, req).await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
        );
    }

    #[tokio::test]
    async fn answers_a_body_that_stops_arriving_with_timeout_and_closes() {
        let state = relay(32);
        let req = post("/v1/revoke-all", body(vec![Ok(b"{")], true), None);
        let (status, code, close) = tokio::time::timeout(
            SMALL_BODY_TIMEOUT + Duration::from_secs(20),
            send(&state, req),
        )
        .await
        .expect("the relay gives up on the body");
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::REQUEST_TIMEOUT, "timeout")
        );
        assert_eq!(close, Some(HeaderValue::from_static("close")));
        assert!(
            state
                .inner
                .metrics
                .render()
                .contains("\nvault_timeouts_total 1\n"),
            "counted in /metrics"
        );
    }

    #[tokio::test]
    async fn refuses_a_request_over_the_in_flight_cap_of_its_address() {
        let state = relay(1);
        let a = [192, 0, 2, 1];
        let hanging = post("/v1/revoke", body(vec![Ok(b"{")], true), Some(a));
        let first = tokio::spawn({
            let state = state.clone();
            async move { send(&state, hanging).await }
        });
        let ip = IpAddr::from(a);
        let waited = std::time::Instant::now();
        while state.inner.admission.in_flight(ip) == 0 {
            assert!(
                waited.elapsed() < Duration::from_secs(20),
                "the first request never got in"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let (status, code, close) = send(
            &state,
            post("/v1/redeem", body(vec![Ok(b"{}")], false), Some(a)),
        )
        .await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
        );
        assert_eq!(close, Some(HeaderValue::from_static("close")));
        // Another address is not affected.
        let (status, ..) = send(
            &state,
            post(
                "/v1/redeem",
                body(vec![Ok(b"{}")], false),
                Some([192, 0, 2, 2]),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "reached the handler");
        first.abort();
    }

    #[tokio::test]
    async fn keeps_withdrawals_reaching_their_handler_when_the_general_pool_is_full() {
        let state = relay(32);
        let _all: Vec<_> = (0..GENERAL_SLOTS)
            .map(|_| {
                Arc::clone(&state.inner.admission.general)
                    .try_acquire_owned()
                    .expect("a general slot")
            })
            .collect();
        // Unsigned, so the handler refuses it: what matters is that it got
        // there, and promptly.
        let (status, code, _) = tokio::time::timeout(
            Duration::from_secs(10),
            send(
                &state,
                post("/v1/revoke-all", body(vec![Ok(b"{}")], false), None),
            ),
        )
        .await
        .expect("a withdrawal is not kept waiting by the general pool");
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::BAD_REQUEST, "bad_request")
        );
    }

    #[tokio::test]
    async fn withdrawals_get_a_slot_when_the_general_pool_is_full() {
        let adm = Admission::new(8);
        let _all: Vec<_> = (0..GENERAL_SLOTS)
            .map(|_| {
                Arc::clone(&adm.general)
                    .try_acquire_owned()
                    .expect("a general slot")
            })
            .collect();
        let slot = tokio::time::timeout(Duration::from_secs(5), adm.slot(Class::Withdrawal))
            .await
            .expect("a withdrawal does not wait for the general pool");
        assert!(slot.is_some());
        let other = tokio::time::timeout(Duration::from_millis(100), adm.slot(Class::Other)).await;
        assert!(other.is_err(), "other routes cannot use the reserved pool");
    }
}
