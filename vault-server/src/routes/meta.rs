//! Routes about the relay itself: health, metrics, its identity, its API
//! description, and the page a share link opens in a browser.

use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::Json;
use serde_json::{json, Value};
use vault_core::relay::api::RelayInfo;

use crate::state::AppState;

/// Liveness: the process is up and answering.
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// Counters in the Prometheus text format.
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.inner.metrics.render(),
    )
}

/// The relay's id and origin, so clients can pin its key.
pub async fn relay(State(state): State<AppState>) -> Json<RelayInfo> {
    Json(RelayInfo {
        relay: state.inner.relay.public().to_string(),
        origin: state.inner.origin.clone(),
    })
}

/// What a share link opens in a browser. The secret is in the fragment,
/// which the browser never sends here; this page neither reads nor sends
/// it.
pub async fn share_page() -> impl IntoResponse {
    (
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ),
        ],
        Html(include_str!("share_page.html")),
    )
}

/// The OpenAPI 3.1 description of every route.
pub async fn openapi() -> Json<Value> {
    Json(crate::openapi::document())
}
