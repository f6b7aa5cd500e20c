//! `POST /v1/shares` (upload) and `GET /v1/shares` (list).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::Json;
use vault_core::relay::api::{ShareInfo, SharesResponse, UploadRequest, UploadResponse};
use vault_core::relay::{hex, unb64, Refusal};
use vault_core::token::UnverifiedToken;
use vault_core::{crypto, PublicId, Role};

use crate::auth::{json, Signed, SignedBySurvivor};
use crate::db;
use crate::error::AppError;
use crate::state::{AppState, Metrics};

/// Stores a share. The token must verify now (signature, limits,
/// window), the share must be exactly the bytes it signed, and the
/// request must be signed by the survivor's main key, which files the
/// share under that survivor.
pub async fn upload(
    State(state): State<AppState>,
    SignedBySurvivor(req): SignedBySurvivor,
) -> Result<Json<UploadResponse>, AppError> {
    let body: UploadRequest = json(&req.body)?;
    let token_bytes = unb64(&body.token).ok_or(Refusal::BadRequest)?;
    let share = unb64(&body.share).ok_or(Refusal::BadRequest)?;
    let now = vault_core::time::now();
    let unverified = UnverifiedToken::decode(&token_bytes).map_err(|_| Refusal::BadRequest)?;
    // An upload is not a redemption: verify the signature, limits and
    // that it has not expired, presenting the token's own audience; a
    // share may start later (not_before in the future).
    let audience = unverified
        .body()
        .audience
        .and_then(|a| PublicId::from_key_bytes(Role::Agency, &a));
    let at = now.max(unverified.body().not_before);
    let token = unverified
        .clone()
        .verify(at, audience.as_ref())
        .map_err(|_| Refusal::BadRequest)?;
    let b = token.body();
    if b.payload_len != share.len() as u64 || b.payload_hash != crypto::sha256(&[&share]) {
        return Err(Refusal::BadRequest.into());
    }
    let account = *req.signer.key_bytes();
    let id = *unverified.token_id();
    state
        .write(move |i| db::upload(&*i.store, &*i.shares, &account, &unverified, &share, now))
        .await??;
    Metrics::inc(&state.inner.metrics.uploads);
    tracing::info!(target: "vault_server", "share uploaded");
    Ok(Json(UploadResponse { token_id: hex(&id) }))
}

/// Lists a survivor's shares (metadata only): for the survivor, or for an
/// advocate with a live delegation (`?survivor=survivor1…`). Anyone else
/// gets an empty list, which is what a survivor with no shares gets.
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
    req: Signed,
) -> Result<Json<SharesResponse>, AppError> {
    let now = vault_core::time::now();
    let account = match req.signer.role() {
        Role::Survivor => *req.signer.key_bytes(),
        _ => {
            let survivor = super::id(
                q.get("survivor").ok_or(Refusal::BadRequest)?,
                Role::Survivor,
            )?;
            *survivor.key_bytes()
        }
    };
    let signer = req.signer;
    let shares = state
        .read(move |i| -> Result<Vec<ShareInfo>, db::DbError> {
            if signer.role() == Role::Advocate
                && db::delegation(&*i.store, &account, signer.key_bytes())? <= now
            {
                return Ok(Vec::new());
            }
            let mut out = Vec::new();
            for id in db::account_tokens(&*i.store, &account)? {
                let Some(rec) = db::token(&*i.store, &id)? else {
                    continue;
                };
                let Ok(t) = UnverifiedToken::decode(&rec.token) else {
                    continue;
                };
                let b = t.body();
                let status = if rec.revoked {
                    "revoked"
                } else if now >= b.expires {
                    "expired"
                } else if rec.uses >= b.max_uses {
                    "used_up"
                } else {
                    "active"
                };
                out.push(ShareInfo {
                    token_id: hex(&id),
                    audience: b
                        .audience
                        .and_then(|a| PublicId::from_key_bytes(Role::Agency, &a))
                        .map(|a| a.to_string()),
                    not_before: b.not_before,
                    expires: b.expires,
                    max_uses: b.max_uses,
                    uses: rec.uses,
                    status: status.into(),
                    created: rec.created,
                });
            }
            out.sort_by_key(|s| s.created);
            Ok(out)
        })
        .await??;
    Ok(Json(SharesResponse { shares }))
}
