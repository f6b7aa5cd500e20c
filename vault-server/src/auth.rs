//! Who is asking: extractors that verify a signed request before a
//! handler runs, so a handler's signature says who may call it.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::request::Parts;
use vault_core::relay::request;
use vault_core::relay::{Refusal, CLOCK_WINDOW_SECS};
use vault_core::{crypto, PublicId, Role};

use crate::app::MAX_BODY;
use crate::db::RelayStore;
use crate::error::AppError;
use crate::state::AppState;

/// A request signed by a survivor's main key or an advocate's key, with
/// a fresh nonce. Holds the exact body bytes that were signed.
#[derive(Debug)]
pub struct Signed {
    pub signer: PublicId,
    pub body: Bytes,
}

/// A request signed by a survivor's main key.
#[derive(Debug)]
pub struct SignedBySurvivor(pub Signed);

impl FromRequest<AppState> for Signed {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let (parts, body) = req.into_parts();
        // Small bodies only (the body limit layer allows no more than
        // MAX_BODY on these routes; the upload streams and never comes
        // here): they are read, then hashed for the signature.
        let body = axum::body::to_bytes(body, MAX_BODY)
            .await
            .map_err(|e| crate::admission::body_refusal(&e))?;
        let signer = check_signature(
            &parts,
            state,
            &[Role::Survivor, Role::Advocate],
            &crypto::sha256(&[&body]),
        )
        .await?;
        Ok(Signed { signer, body })
    }
}

/// Checks a signed request from its headers alone, given the SHA-256 its
/// body has (or, for a body not read yet, must have: the caller then
/// refuses a body with another hash), and records its nonce. Refuses a
/// signer not in `roles`, a bad signature and a replayed nonce, all as
/// `bad_request` (the reason goes to the log); a timestamp outside the
/// clock window as `clock_skew` with the relay's time, so that the client
/// can say its clock is wrong (and sign again with the relay's time).
pub async fn check_signature(
    parts: &Parts,
    state: &AppState,
    roles: &[Role],
    body_hash: &[u8; 32],
) -> Result<PublicId, AppError> {
    let now = vault_core::time::now();
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let verified = request::verify_hashed(
        |name| parts.headers.get(name).and_then(|v| v.to_str().ok()),
        roles,
        &state.inner.origin,
        parts.method.as_str(),
        path,
        body_hash,
        now,
    )
    .map_err(|e| {
        tracing::info!(target: "vault_server", reason = %e, "signed request refused");
        match e {
            request::RequestError::Stale => Refusal::ClockSkew,
            _ => Refusal::BadRequest,
        }
    })?;
    let nonce = verified.nonce;
    let expiry = verified.timestamp + CLOCK_WINDOW_SECS + 1;
    let fresh = state
        .blocking(move |i| i.db.fresh_nonce(&nonce, expiry, now))
        .await??;
    if !fresh {
        tracing::info!(target: "vault_server", "replayed request refused");
        return Err(Refusal::BadRequest.into());
    }
    Ok(verified.signer)
}

impl FromRequest<AppState> for SignedBySurvivor {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let signed = Signed::from_request(req, state).await?;
        if signed.signer.role() != Role::Survivor {
            return Err(Refusal::BadRequest.into());
        }
        Ok(Self(signed))
    }
}

/// Parses a JSON body; any problem is `bad_request`.
pub fn json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    serde_json::from_slice(body).map_err(|_| Refusal::BadRequest.into())
}
