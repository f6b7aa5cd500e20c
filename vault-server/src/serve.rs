//! The serve loop: accepts connections, counts them per address and in
//! total, and serves each with HTTP/1.1 and a header timeout, until asked
//! to stop; then lets in-flight requests finish (for up to 10 s).
//!
//! A connection over a cap ([`Caps`]) is answered `429 rate_limited`
//! (best effort: the answer is written only if the socket takes it at
//! once) and closed straight away, so a flood of connections costs the
//! relay one accept each. The header timeout also runs while a
//! keep-alive connection waits for its next request, so idle connections
//! are closed after [`HEADER_TIMEOUT`].

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

use crate::admission::{Caps, PerAddress};
use crate::state::{AppState, Metrics};

/// Time a client has to send its request headers, and that a keep-alive
/// connection may stay idle between requests.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// What a connection over a cap is told before it is closed: the JSON
/// `429 rate_limited`, with the headers every answer carries
/// ([`crate::headers::EVERY_ANSWER`]).
static OVER_CAP: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let body = "{\"error\":\"rate_limited\",\"message\":\"Too many connections from this address right now. Please wait a moment and try again.\"}";
    let mut head =
        String::from("HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\n");
    for (name, value) in crate::headers::EVERY_ANSWER {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "connection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    ));
    head.into_bytes()
});

/// The open connections, per address and in total.
#[derive(Debug)]
struct Connections {
    per_ip: Arc<PerAddress>,
    total: Arc<AtomicUsize>,
    max_total: usize,
}

/// One counted connection; leaves both counts when dropped.
#[derive(Debug)]
struct Counted {
    _entry: crate::admission::Entry,
    total: Arc<AtomicUsize>,
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.total.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Connections {
    fn new(caps: Caps) -> Self {
        Self {
            per_ip: PerAddress::new(caps.conns_per_ip),
            total: Arc::new(AtomicUsize::new(0)),
            max_total: caps.conns_total,
        }
    }

    fn try_enter(&self, peer: SocketAddr) -> Option<Counted> {
        let prev = self.total.fetch_add(1, Ordering::Relaxed);
        if prev >= self.max_total {
            self.total.fetch_sub(1, Ordering::Relaxed);
            return None;
        }
        match self.per_ip.try_enter(peer.ip()) {
            Some(entry) => Some(Counted {
                _entry: entry,
                total: Arc::clone(&self.total),
            }),
            None => {
                self.total.fetch_sub(1, Ordering::Relaxed);
                None
            }
        }
    }
}

/// Serves `router` on `listener` until `stop` resolves; `state` is the
/// router's, for its counters.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    state: AppState,
    caps: Caps,
    stop: impl Future<Output = ()>,
) {
    let conns = Connections::new(caps);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    let mut refused: u64 = 0;
    loop {
        tokio::select! {
            conn = listener.accept() => {
                let (stream, peer) = match conn {
                    Ok(c) => c,
                    Err(e) => {
                        // Out of file descriptors, most likely: give
                        // connections time to close rather than spin.
                        tracing::warn!(target: "vault_server", error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let Some(counted) = conns.try_enter(peer) else {
                    refused += 1;
                    Metrics::inc(&state.inner.metrics.connections_refused);
                    // One line per 1000, so a flood cannot flood the log.
                    if refused % 1000 == 1 {
                        tracing::info!(target: "vault_server", refused, "connection over the cap refused");
                    }
                    refuse(stream);
                    continue;
                };
                let router = router.clone();
                let svc = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(ConnectInfo(peer));
                    router.clone().oneshot(req.map(axum::body::Body::new))
                });
                let conn = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT)
                    .serve_connection(TokioIo::new(stream), svc);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                    drop(counted);
                });
            }
            () = &mut stop => break,
        }
    }
    drop(listener);
    tracing::info!(target: "vault_server", "shutting down");
    let _ = tokio::time::timeout(Duration::from_secs(10), graceful.shutdown()).await;
}

/// Tells a connection over a cap why, if its socket takes the answer at
/// once, and closes it.
fn refuse(stream: TcpStream) {
    let _ = stream.try_write(&OVER_CAP);
    drop(stream);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_cap_answer_declares_its_length() {
        let text = std::str::from_utf8(&OVER_CAP).expect("ASCII");
        let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let v: serde_json::Value = serde_json::from_str(body).expect("JSON");
        assert_eq!(v["error"], "rate_limited");
    }

    #[test]
    fn over_cap_answer_carries_the_headers_of_every_answer() {
        let text = std::str::from_utf8(&OVER_CAP).expect("ASCII");
        let (head, _) = text.split_once("\r\n\r\n").expect("a head and a body");
        for (name, value) in crate::headers::EVERY_ANSWER {
            assert!(
                head.lines().any(|l| l == format!("{name}: {value}")),
                "{name} missing from: {head}"
            );
        }
    }

    #[test]
    fn counts_connections_per_address_and_in_total() {
        let conns = Connections::new(Caps {
            conns_per_ip: 2,
            conns_total: 3,
        });
        let a: SocketAddr = ([192, 0, 2, 1], 1000).into();
        let b: SocketAddr = ([192, 0, 2, 2], 1000).into();
        let c: SocketAddr = ([192, 0, 2, 3], 1000).into();
        let a1 = conns.try_enter(a).expect("a1");
        let _a2 = conns.try_enter(a).expect("a2");
        assert!(conns.try_enter(a).is_none(), "a third from one address");
        let _b1 = conns.try_enter(b).expect("b1");
        assert!(conns.try_enter(c).is_none(), "over the total");
        drop(a1);
        assert!(
            conns.try_enter(c).is_some(),
            "a closed connection frees both"
        );
    }
}
