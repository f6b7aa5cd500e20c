//! Who is asking: extractors that verify a signed request before a
//! handler runs, so a handler's signature says who may call it.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use vault_core::relay::request;
use vault_core::relay::{Refusal, CLOCK_WINDOW_SECS};
use vault_core::{PublicId, Role};

use crate::db;
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
        let body = axum::body::to_bytes(body, usize::MAX)
            .await
            .map_err(|e| crate::admission::body_refusal(&e))?;
        let now = vault_core::time::now();
        let path = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let verified = request::verify(
            |name| parts.headers.get(name).and_then(|v| v.to_str().ok()),
            &[Role::Survivor, Role::Advocate],
            &state.inner.origin,
            parts.method.as_str(),
            path,
            &body,
            now,
        )
        .map_err(|e| {
            tracing::info!(target: "vault_server", reason = %e, "signed request refused");
            Refusal::BadRequest
        })?;
        let nonce = verified.nonce;
        let expiry = verified.timestamp + CLOCK_WINDOW_SECS + 1;
        let fresh = state
            .write(move |i| db::fresh_nonce(&*i.store, &nonce, expiry, now))
            .await??;
        if !fresh {
            tracing::info!(target: "vault_server", "replayed request refused");
            return Err(Refusal::BadRequest.into());
        }
        Ok(Signed {
            signer: verified.signer,
            body,
        })
    }
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
