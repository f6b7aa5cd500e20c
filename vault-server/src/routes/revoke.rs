//! `POST /v1/revoke` and `POST /v1/revoke-all`: by the survivor, or by an
//! advocate with a live delegation from the share's survivor.

use axum::extract::State;
use axum::Json;
use vault_core::relay::api::{RevokeAllRequest, RevokeRequest, RevokeResponse};
use vault_core::relay::{hex, Refusal};
use vault_core::Role;

use crate::auth::{json, Signed};
use crate::db;
use crate::error::AppError;
use crate::state::{AppState, Metrics};

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
    let signer = req.signer;
    let changed = state
        .write_then_remove(
            move |i, later| -> Result<Result<bool, Option<u64>>, db::DbError> {
                let store = &*i.store;
                if signer.role() == Role::Advocate {
                    if let Some(rec) = db::token(store, &id)? {
                        let until = db::delegation(store, &rec.account, signer.key_bytes())?;
                        if until > 0 && until <= now {
                            return Ok(Err(Some(until)));
                        }
                    }
                }
                db::revoke(
                    store,
                    later,
                    &id,
                    *signer.key_bytes(),
                    signer.role() == Role::Advocate,
                    now,
                    |rec| match signer.role() {
                        Role::Survivor => rec.account == *signer.key_bytes(),
                        _ => db::delegation(store, &rec.account, signer.key_bytes())
                            .is_ok_and(|until| until > now),
                    },
                )
                .map(Ok)
            },
        )
        .await??
        .map_err(|ended_at| AppError::NoPermission { ended_at })?;
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
/// the named survivor who delegated to them).
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
    let revoked = state
        .write_then_remove(
            move |i, later| -> Result<Result<Vec<String>, Option<u64>>, db::DbError> {
                let store = &*i.store;
                if signer.role() == Role::Advocate {
                    // Nothing is withdrawn, and the advocate is told why: no
                    // permission from this survivor (and when it ended, only if
                    // it existed: one who never had it learns nothing more).
                    let until = db::delegation(store, &account, signer.key_bytes())?;
                    if until <= now {
                        return Ok(Err((until > 0).then_some(until)));
                    }
                }
                let mut out = Vec::new();
                for id in db::account_tokens(store, &account)? {
                    if db::revoke(
                        store,
                        later,
                        &id,
                        *signer.key_bytes(),
                        signer.role() == Role::Advocate,
                        now,
                        |_| true,
                    )? {
                        out.push(hex(&id));
                    }
                }
                Ok(Ok(out))
            },
        )
        .await??
        .map_err(|ended_at| AppError::NoPermission { ended_at })?;
    for _ in &revoked {
        Metrics::inc(&state.inner.metrics.revoked);
    }
    tracing::info!(target: "vault_server", count = revoked.len(), "shares withdrawn");
    Ok(Json(RevokeResponse { revoked }))
}
