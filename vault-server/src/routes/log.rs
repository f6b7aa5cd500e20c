//! `GET /v1/log` (survivor): every entry and a freshly signed head.

use axum::extract::State;
use axum::Json;
use vault_core::relay::api::{HeadJson, LogResponse};
use vault_core::relay::b64;
use vault_core::relay::log::Head;

use crate::auth::SignedBySurvivor;
use crate::db::RelayStore;
use crate::error::AppError;
use crate::state::AppState;

pub async fn read(
    State(state): State<AppState>,
    SignedBySurvivor(req): SignedBySurvivor,
) -> Result<Json<LogResponse>, AppError> {
    let survivor = req.signer;
    let now = vault_core::time::now();
    // Entries and head are read together, so they agree, and are durable.
    let key = *survivor.key_bytes();
    let (entries, (seq, hash)) = state.blocking(move |i| i.db.log(&key)).await??;
    let relay = state.inner.relay.public();
    let head = Head { seq, hash, at: now };
    let signature = head.sign(&state.inner.relay, &survivor);
    Ok(Json(LogResponse {
        entries: entries.iter().map(|e| b64(e)).collect(),
        head: HeadJson {
            seq,
            hash: b64(&hash),
            at: now,
            signature: b64(&signature),
        },
        relay: relay.to_string(),
    }))
}
