//! `POST /v1/redeem`: one atomic, durable step.

use axum::extract::State;
use axum::Json;
use vault_core::relay::api::{RedeemRequest, RedeemResponse};
use vault_core::relay::redeem::{check_proof, Receipt};
use vault_core::relay::{b64, unb64_array, Refusal, CLOCK_WINDOW_SECS};
use vault_core::token::{TokenError, UnverifiedToken};
use vault_core::Role;

use crate::auth::json;
use crate::db::{self, Redeemed};
use crate::error::AppError;
use crate::state::{allow, AppState, Metrics};

fn refusal(e: TokenError) -> Refusal {
    match e {
        TokenError::Expired => Refusal::Expired,
        TokenError::NotYetValid => Refusal::NotYetValid,
        TokenError::WrongAudience => Refusal::WrongAudience,
        // The signature was checked just before; nothing else can fail.
        _ => Refusal::NotFound,
    }
}

/// Redeems a token: under the write lock, checks revocation, the token
/// (signature, window, audience with the agency's fresh proof) and the
/// use count; counts the use and appends the log entry in one batch;
/// flushes; only then answers with the token, the sealed share and a
/// signed receipt. Refusals are logged to the survivor too.
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
    // The agency's proof, if any, is checked before the lock; whether the
    // token needs one is decided inside it.
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
    let agency_key = agency.map(|a| *a.key_bytes());
    let stale_key = stale.map(|a| *a.key_bytes());
    let outcome = state
        .write_then_remove(move |i, later| {
            // A stored token that no longer carries its issuer's signature
            // was changed at rest: answer nothing, and say so in the log.
            if let Some(rec) = db::token(&*i.store, &id)? {
                let intact = UnverifiedToken::decode(&rec.token)
                    .and_then(|t| t.verify_signature())
                    .is_ok();
                if !intact {
                    return Err(db::DbError::Internal(
                        "a stored token fails its signature: damaged or changed at rest".into(),
                    ));
                }
            }
            db::redeem(
                &*i.store,
                &*i.shares,
                later,
                &id,
                agency_key,
                stale_key,
                now,
                |rec| {
                    let decode = || UnverifiedToken::decode(&rec.token).map_err(refusal);
                    match decode()?.verify(now, agency.as_ref()) {
                        Ok(t) => Ok(t.body().max_uses),
                        // Only the clock is wrong: with a fresh time, this
                        // agency's proof would have opened it.
                        Err(TokenError::WrongAudience)
                            if stale.as_ref().is_some_and(|s| {
                                decode().is_ok_and(|t| t.verify(now, Some(s)).is_ok())
                            }) =>
                        {
                            Err(Refusal::ClockSkew)
                        }
                        Err(e) => Err(refusal(e)),
                    }
                },
            )
            .map(|r| (r, i.relay.public()))
        })
        .await?;
    let (Redeemed::Granted { record, share }, relay) = match outcome {
        Ok(v) => v,
        Err(e) => {
            Metrics::inc(&state.inner.metrics.refused);
            return Err(e.into());
        }
    };
    Metrics::inc(&state.inner.metrics.redeemed);
    let token = UnverifiedToken::decode(&record.token)
        .map_err(|_| AppError::Internal("stored token no longer decodes".into()))?;
    let receipt = Receipt {
        origin: state.inner.origin.clone(),
        token_id: id,
        use_number: record.uses,
        max_uses: token.body().max_uses,
        at: now,
        agency: agency_key,
        payload_hash: token.body().payload_hash,
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
