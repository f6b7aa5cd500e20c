//! The router, separate from start-up so tests can drive it with
//! `tower::ServiceExt::oneshot`.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use vault_core::relay::Refusal;

use crate::admission::admit;
pub use crate::admission::REQUEST_TIMEOUT;
use crate::error::refusal_response;
use crate::routes::{delegations, log, meta, pages, redeem, revoke, shares};
use crate::state::{allow, AppState, Metrics};

/// Largest upload: the sealed share's bytes (the body of `POST
/// /v1/shares`, streamed to disk, never held in memory).
pub const MAX_UPLOAD: usize = 48 * 1024 * 1024;
/// Largest body of any other request.
pub const MAX_BODY: usize = 16 * 1024;

/// Every route the relay answers, with its limits. Outermost first: the
/// headers every answer carries ([`crate::headers`]), the per-address
/// rate limit, the body size limit, then admission (requests in flight
/// per address, the body deadline, a processing slot and the request
/// timeout: [`crate::admission`]).
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(meta::healthz))
        .route("/metrics", get(meta::metrics))
        .route("/openapi.json", get(meta::openapi))
        .route("/", get(pages::home))
        .route("/S", get(pages::share))
        .route("/web/{name}", get(pages::asset))
        .route("/web/pkg/{name}", get(pages::asset))
        .route("/app/", get(pages::asset))
        .route("/app/{name}", get(pages::asset))
        .route("/v1/relay", get(meta::relay))
        .route("/v1/shares", post(shares::upload).get(shares::list))
        .route("/v1/redeem", post(redeem::redeem))
        .route("/v1/revoke", post(revoke::revoke))
        .route("/v1/revoke-all", post(revoke::revoke_all))
        .route(
            "/v1/delegations",
            post(delegations::add).get(delegations::list),
        )
        .route("/v1/delegations/remove", post(delegations::remove))
        .route("/v1/log", get(log::read))
        .fallback(|| async { refusal_response(Refusal::NotFound) })
        .method_not_allowed_fallback(|| async { refusal_response(Refusal::MethodNotAllowed) })
        .layer(middleware::from_fn_with_state(state.clone(), admit))
        .layer(middleware::from_fn_with_state(state.clone(), limit_body))
        .layer(middleware::from_fn_with_state(state.clone(), rate_limit))
        .layer(middleware::map_response(crate::headers::add))
        .with_state(state)
}

/// Refuses bodies over the route's limit with a JSON `too_large`, by the
/// declared length or while reading. The upload's own checks (the length
/// its token signed, the upload budget) come after, in its handler.
async fn limit_body(State(_): State<AppState>, req: Request, next: Next) -> Response {
    let limit = if req.uri().path() == "/v1/shares" {
        MAX_UPLOAD
    } else {
        MAX_BODY
    };
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return refusal_response(Refusal::TooLarge);
    }
    let (parts, body) = req.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

/// Per-address rate limit (the address comes from the connection; tests
/// driving the router directly have none and are not limited).
async fn rate_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    Metrics::inc(&state.inner.metrics.requests);
    if let Some(ConnectInfo(addr)) = req.extensions().get::<ConnectInfo<SocketAddr>>() {
        let now = vault_core::time::now();
        if !allow(
            &state.inner.ip_buckets,
            addr.ip(),
            state.inner.limits.per_ip_per_minute,
            now,
        ) {
            Metrics::inc(&state.inner.metrics.rate_limited);
            return refusal_response(Refusal::RateLimited);
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests;
