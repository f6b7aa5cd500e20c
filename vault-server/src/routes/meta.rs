//! Routes about the relay itself: health, metrics, its identity and the
//! bundle hash of the pages it serves, and its API description.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
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
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], {
        let mut text = state.inner.metrics.render();
        let db = &state.inner.db;
        for (name, help, v) in [
            (
                "vault_store_flushes_total",
                "Syncs that made decisions durable (one can serve many).",
                db.flushes(),
            ),
            (
                "vault_store_batches_total",
                "Batches of decisions' writes handed to the store (one can hold many).",
                db.batches(),
            ),
        ] {
            text.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {v}\n"
            ));
        }
        text
    })
}

/// The relay's id and origin, so clients can pin its key, and the hash
/// of the web bundle it serves, so anyone can compare it with a release.
pub async fn relay(State(state): State<AppState>) -> Json<RelayInfo> {
    Json(RelayInfo {
        relay: state.inner.relay.public().to_string(),
        origin: state.inner.origin.clone(),
        web_bundle: crate::web::bundle_id(),
    })
}

/// The OpenAPI 3.1 description of every route.
pub async fn openapi() -> Json<Value> {
    Json(crate::openapi::document())
}
