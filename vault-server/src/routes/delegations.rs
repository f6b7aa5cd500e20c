//! `POST /v1/delegations` and `POST /v1/delegations/remove` (survivor),
//! `GET /v1/delegations` (survivor or advocate).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use vault_core::relay::api::{
    DelegationInfo, DelegationRequest, DelegationsResponse, UndelegateRequest,
};
use vault_core::{PublicId, Role};

use crate::auth::{json, Signed, SignedBySurvivor};
use crate::db::{self, RelayStore};
use crate::error::AppError;
use crate::state::AppState;

/// Lets an advocate list and withdraw the survivor's shares until a time
/// (at most 90 days ahead; a delegation, like consent, ends:
/// [`crate::decide::delegate`]).
pub async fn add(
    State(state): State<AppState>,
    SignedBySurvivor(req): SignedBySurvivor,
) -> Result<StatusCode, AppError> {
    let body: DelegationRequest = json(&req.body)?;
    let advocate = super::id(&body.advocate, Role::Advocate)?;
    let now = vault_core::time::now();
    let survivor = *req.signer.key_bytes();
    state
        .blocking(move |i| db::delegate(&i.db, &survivor, advocate.key_bytes(), body.until, now))
        .await???;
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
        .blocking(move |i| db::undelegate(&i.db, &survivor, advocate.key_bytes(), now))
        .await???;
    Ok(StatusCode::NO_CONTENT)
}

/// Lists delegations: to a survivor, the ones they gave; to an advocate,
/// the ones naming them (so they can say for whom they may act, and until
/// when), ended ones included. Nobody sees anyone else's.
pub async fn list(
    State(state): State<AppState>,
    req: Signed,
) -> Result<Json<DelegationsResponse>, AppError> {
    let signer = req.signer;
    let as_advocate = signer.role() == Role::Advocate;
    let found = state
        .blocking(move |i| i.db.delegations(signer.key_bytes(), as_advocate))
        .await??;
    let delegations = found
        .into_iter()
        .filter_map(|(s, a, until)| {
            Some(DelegationInfo {
                survivor: PublicId::from_key_bytes(Role::Survivor, &s)?.to_string(),
                advocate: PublicId::from_key_bytes(Role::Advocate, &a)?.to_string(),
                until,
            })
        })
        .collect();
    Ok(Json(DelegationsResponse { delegations }))
}
