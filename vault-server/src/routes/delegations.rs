//! `POST /v1/delegations` and `POST /v1/delegations/remove` (survivor).

use axum::extract::State;
use axum::http::StatusCode;
use vault_core::relay::api::{DelegationRequest, UndelegateRequest};
use vault_core::relay::Refusal;
use vault_core::token::MAX_VALIDITY_SECS;
use vault_core::Role;

use crate::auth::{json, SignedBySurvivor};
use crate::db;
use crate::error::AppError;
use crate::state::AppState;

/// Lets an advocate list and withdraw the survivor's shares until a time
/// (at most 90 days ahead; a delegation, like consent, ends).
pub async fn add(
    State(state): State<AppState>,
    SignedBySurvivor(req): SignedBySurvivor,
) -> Result<StatusCode, AppError> {
    let body: DelegationRequest = json(&req.body)?;
    let advocate = super::id(&body.advocate, Role::Advocate)?;
    let now = vault_core::time::now();
    if body.until <= now || body.until - now > MAX_VALIDITY_SECS {
        return Err(Refusal::BadRequest.into());
    }
    let survivor = *req.signer.key_bytes();
    state
        .write(move |i| db::delegate(&*i.store, &survivor, advocate.key_bytes(), body.until, now))
        .await??;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes an advocate's permission.
pub async fn remove(
    State(state): State<AppState>,
    SignedBySurvivor(req): SignedBySurvivor,
) -> Result<StatusCode, AppError> {
    let body: UndelegateRequest = json(&req.body)?;
    let advocate = super::id(&body.advocate, Role::Advocate)?;
    let now = vault_core::time::now();
    let survivor = *req.signer.key_bytes();
    state
        .write(move |i| db::undelegate(&*i.store, &survivor, advocate.key_bytes(), now))
        .await??;
    Ok(StatusCode::NO_CONTENT)
}
