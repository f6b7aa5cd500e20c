//! `POST /v1/revoke` and `POST /v1/revoke-all`: by the survivor, or by an
//! advocate with a live delegation from the share's survivor. Who may
//! withdraw what is decided in [`crate::decide::revoke`] and
//! [`crate::decide::revoke_all`].

use axum::extract::State;
use axum::Json;
use vault_core::relay::api::{RevokeAllRequest, RevokeRequest, RevokeResponse};
use vault_core::relay::{hex, Refusal};
use vault_core::{PublicId, Role};

use crate::auth::{json, Signed};
use crate::db;
use crate::decide::Withdrawer;
use crate::error::AppError;
use crate::state::{AppState, Metrics};

/// The signer as one who withdraws (survivor or advocate).
fn withdrawer(signer: &PublicId) -> Withdrawer {
    match signer.role() {
        Role::Advocate => Withdrawer::Advocate(*signer.key_bytes()),
        _ => Withdrawer::Survivor(*signer.key_bytes()),
    }
}

/// Withdraws one share. "Not yours" and "no such share" look the same,
/// except to an advocate whose delegation from the share's survivor ran
/// out: they had permission, so they are told it ended (`no_permission`
/// with `ended_at`) rather than that nothing was found.
pub async fn revoke(
    State(state): State<AppState>,
    req: Signed,
) -> Result<Json<RevokeResponse>, AppError> {
    let body: RevokeRequest = json(&req.body)?;
    let id = super::token_id(&body.token_id)?;
    let now = vault_core::time::now();
    let by = withdrawer(&req.signer);
    let changed = state
        .durably(move |i| db::revoke(&i.db, &id, by, now))
        .await???;
    if changed {
        Metrics::inc(&state.inner.metrics.revoked);
    }
    tracing::info!(target: "vault_server", "share withdrawn");
    Ok(Json(RevokeResponse {
        // Only what this request changed: withdrawing twice is not news.
        revoked: if changed { vec![hex(&id)] } else { Vec::new() },
    }))
}

/// Withdraws every share of a survivor (the signer, or for an advocate
/// the named survivor who delegated to them), in one atomic step.
pub async fn revoke_all(
    State(state): State<AppState>,
    req: Signed,
) -> Result<Json<RevokeResponse>, AppError> {
    let body: RevokeAllRequest = json(&req.body)?;
    let now = vault_core::time::now();
    let signer = req.signer;
    let account = match (signer.role(), &body.survivor) {
        (Role::Survivor, None) => *signer.key_bytes(),
        (Role::Advocate, Some(s)) => *super::id(s, Role::Survivor)?.key_bytes(),
        _ => return Err(Refusal::BadRequest.into()),
    };
    let by = withdrawer(&signer);
    let revoked = state
        .durably(move |i| db::revoke_all(&i.db, &account, by, now))
        .await???;
    for _ in &revoked {
        Metrics::inc(&state.inner.metrics.revoked);
    }
    tracing::info!(target: "vault_server", count = revoked.len(), "shares withdrawn");
    Ok(Json(RevokeResponse {
        revoked: revoked.iter().map(|id| hex(id)).collect(),
    }))
}
