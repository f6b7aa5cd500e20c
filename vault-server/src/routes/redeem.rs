//! `POST /v1/redeem`: one atomic, durable step.

use axum::extract::State;
use axum::Json;
use vault_core::relay::api::{RedeemRequest, RedeemResponse};
use vault_core::relay::redeem::{check_proof, Receipt};
use vault_core::relay::{b64, unb64_array, Refusal, CLOCK_WINDOW_SECS};
use vault_core::Role;

use crate::auth::json;
use crate::db;
use crate::decide::Presenter;
use crate::error::AppError;
use crate::state::{allow, AppState, Metrics};

/// Redeems a token: parses the request and checks the agency's proof,
/// then [`db::redeem`] loads the token's record, decides
/// ([`crate::decide::redeem`]: revocation, the terms verified at upload —
/// window, audience —, the use count), counts the use and appends the log
/// entry in one batch and makes it durable; only then does this answer
/// with the token, the sealed share and a signed receipt. Refusals are
/// logged to the survivor too.
pub async fn redeem(
    State(state): State<AppState>,
    body: axum::body::Body,
) -> Result<Json<RedeemResponse>, AppError> {
    // Read by hand (not axum's `Bytes`) so an oversized body, declared or
    // streamed, is refused with the JSON `too_large` like every route.
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|_| Refusal::TooLarge)?;
    let req: RedeemRequest = json(&body)?;
    let id = super::token_id(&req.token_id)?;
    let now = vault_core::time::now();
    if !allow(
        &state.inner.token_buckets,
        id,
        state.inner.limits.per_token_per_minute,
        now,
    ) {
        Metrics::inc(&state.inner.metrics.rate_limited);
        return Err(Refusal::RateLimited.into());
    }
    // The agency's proof, if any, is checked here; whether the token needs
    // one is decided with its record ([`crate::decide::redeem`]).
    let (agency, stale) = match &req.agency {
        Some(text) => {
            let agency = super::id(text, Role::Agency)?;
            let ts = req.timestamp.ok_or(Refusal::BadRequest)?;
            let proof: [u8; 64] = req
                .proof
                .as_deref()
                .and_then(unb64_array)
                .ok_or(Refusal::BadRequest)?;
            let signed = check_proof(&agency, &state.inner.origin, &id, ts, &proof);
            let fresh = ts.abs_diff(now) <= CLOCK_WINDOW_SECS;
            // An invalid proof counts as no proof: the token decides. A
            // validly signed one at the wrong time is kept aside: if it
            // alone stands between this agency and its token, the answer is
            // `clock_skew`, not `wrong_audience`.
            match (signed, fresh) {
                (true, true) => (Some(agency), None),
                (true, false) => (None, Some(agency)),
                (false, _) => (None, None),
            }
        }
        None => (None, None),
    };
    let by = Presenter {
        agency: agency.map(|a| *a.key_bytes()),
        stale: stale.map(|a| *a.key_bytes()),
    };
    let outcome = state
        .durably(move |i| db::redeem(&i.db, &id, by, now))
        .await??;
    let db::Redeemed {
        record,
        terms,
        share,
    } = match outcome {
        Ok(v) => v,
        Err(e) => {
            Metrics::inc(&state.inner.metrics.refused);
            return Err(e.into());
        }
    };
    Metrics::inc(&state.inner.metrics.redeemed);
    let relay = state.inner.relay.public();
    let receipt = Receipt {
        origin: state.inner.origin.clone(),
        token_id: id,
        use_number: record.uses,
        max_uses: terms.max_uses,
        at: now,
        agency: by.agency,
        payload_hash: terms.payload_hash,
    };
    let sig = receipt.sign(&state.inner.relay);
    tracing::info!(target: "vault_server", use_number = record.uses, "share redeemed");
    Ok(Json(RedeemResponse {
        token: b64(&record.token),
        share: b64(&share),
        receipt: b64(
            &postcard::to_allocvec(&receipt).map_err(|e| AppError::Internal(e.to_string()))?
        ),
        receipt_signature: b64(&sig),
        relay: relay.to_string(),
    }))
}
