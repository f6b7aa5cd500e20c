//! `POST /v1/shares` (upload) and `GET /v1/shares` (list).

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, Request, State};
use axum::http::header;
use axum::Json;
use http_body_util::BodyExt;
use tokio::sync::mpsc;
use vault_core::relay::api::{
    ShareInfo, SharesResponse, UploadResponse, H_TOKEN, UPLOAD_CONTENT_TYPE,
};
use vault_core::relay::{hex, unb64, Refusal};
use vault_core::token::UnverifiedToken;
use vault_core::{crypto, PublicId, Role};

use crate::app::MAX_UPLOAD;
use crate::auth::{check_signature, Signed};
use crate::db::{self, DbError, RelayStore};
use crate::decide::{self, Terms};
use crate::error::AppError;
use crate::state::{AppState, Inner, Metrics};

/// Largest piece of a share handed from the connection to the thread that
/// writes it, and how many pieces may wait: about 256 KiB per upload.
const PIECE: usize = 64 * 1024;
const PIECES_WAITING: usize = 4;

/// Stores a share, streamed: everything that can be checked from the
/// headers is checked before a byte of the body is read (the token, the
/// declared length, the survivor's signature over the token's
/// `payload_hash`, the nonce, a token not stored yet, room in the upload
/// budget); then the body goes to the share's file in pieces while it is
/// hashed, and the share is recorded only if it is exactly the bytes the
/// token signed. See `docs/spec/relay-api.md` §5.1.
pub async fn upload(
    State(state): State<AppState>,
    req: Request,
) -> Result<Json<UploadResponse>, AppError> {
    let (parts, body) = req.into_parts();
    let refuse = |why: &'static str| {
        tracing::info!(target: "vault_server", reason = why, "upload refused");
        AppError::from(Refusal::BadRequest)
    };
    let headers = &parts.headers;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if content_type.as_deref() != Some(UPLOAD_CONTENT_TYPE) {
        return Err(refuse("not application/octet-stream"));
    }
    let token_bytes = headers
        .get(H_TOKEN)
        .and_then(|v| v.to_str().ok())
        .and_then(unb64)
        .ok_or_else(|| refuse("no readable token header"))?;
    let now = vault_core::time::now();
    let unverified =
        UnverifiedToken::decode(&token_bytes).map_err(|_| refuse("token does not decode"))?;
    // Verified once, here ([`decide::upload_terms`]); its terms are kept
    // with the record, so no redemption verifies it again. How much later
    // than now it may start is checked after the request's signature, so
    // that a device whose clock is wrong hears `clock_skew` (with the
    // relay's time) first.
    let terms =
        decide::upload_terms(&unverified, now).map_err(|_| refuse("token does not verify"))?;
    let (len, hash) = (terms.payload_len, terms.payload_hash);
    if len > MAX_UPLOAD as u64 {
        return Err(Refusal::TooLarge.into());
    }
    if headers.contains_key(header::TRANSFER_ENCODING) {
        return Err(refuse("transfer-encoding instead of content-length"));
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|v| v.parse::<u64>().ok());
    if declared != Some(len) {
        return Err(refuse("content-length is not the token's payload_len"));
    }
    // The body's SHA-256 must be the token's payload_hash, so that is the
    // hash the request's signature is checked over, before the body.
    let signer = check_signature(&parts, &state, &[Role::Survivor], &hash).await?;
    if decide::starts_too_late(&terms, now) {
        return Err(refuse("token starts later than the clock allowance"));
    }
    let id = *unverified.token_id();
    let addr = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let reservation = state
        .inner
        .uploads
        .reserve(addr, id, len)
        .inspect_err(|r| {
            if *r == Refusal::Busy {
                Metrics::inc(&state.inner.metrics.busy);
                tracing::info!(target: "vault_server", "upload refused: no room");
            }
        })?;
    let account = *signer.key_bytes();
    state
        .blocking(move |i| db::begin_upload(&i.db, &account, &id, len))
        .await??;

    // From here the writing thread owns the upload: if this request is
    // dropped (the client went away, or the request timed out), the
    // pieces stop, and that thread removes the file and its mark.
    let (tx, rx) = mpsc::channel::<Piece>(PIECES_WAITING);
    let writer = state.inner.clone();
    let stored = tokio::task::spawn_blocking(move || {
        let _room = reservation;
        store_streamed(&writer, rx, &unverified, terms, account, now)
    });
    let read = forward(body, len, &tx).await;
    drop(tx);
    let stored = stored.await?;
    read?;
    stored?;
    Metrics::inc(&state.inner.metrics.uploads);
    tracing::info!(target: "vault_server", "share uploaded");
    Ok(Json(UploadResponse { token_id: hex(&id) }))
}

/// What the connection hands to the writing thread.
enum Piece {
    /// The next bytes of the share.
    Bytes(Vec<u8>),
    /// The body ended after exactly the declared length.
    End,
}

/// Reads the body and hands it on in pieces of at most [`PIECE`] bytes;
/// [`Piece::End`] only if it ended after exactly `len` bytes. Stops early
/// (and says why) if the body breaks off, is longer, or the writer
/// stopped.
async fn forward(
    mut body: axum::body::Body,
    len: u64,
    tx: &mpsc::Sender<Piece>,
) -> Result<(), AppError> {
    let mut received = 0u64;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame
            .map_err(|e| {
                tracing::info!(target: "vault_server", error = %e, "upload body broke off");
                Refusal::BadRequest
            })?
            .into_data()
        else {
            continue;
        };
        received += data.len() as u64;
        if received > len {
            return Err(Refusal::BadRequest.into());
        }
        for piece in data.chunks(PIECE) {
            if tx.send(Piece::Bytes(piece.to_vec())).await.is_err() {
                // The writer stopped; its answer says why.
                return Ok(());
            }
        }
    }
    if received != len {
        return Err(Refusal::BadRequest.into());
    }
    let _ = tx.send(Piece::End).await;
    Ok(())
}

/// On a blocking thread: writes the pieces to the share's file (already
/// marked as garbage by [`db::begin_upload`]) while hashing them; if they
/// end with exactly the bytes the token signed, commits the file and
/// records the share; otherwise, or on any failure, removes the file and
/// its mark.
fn store_streamed(
    inner: &Inner,
    mut rx: mpsc::Receiver<Piece>,
    token: &UnverifiedToken,
    terms: Terms,
    account: [u8; 32],
    now: u64,
) -> Result<(), DbError> {
    let id = *token.token_id();
    let (len, hash) = (terms.payload_len, terms.payload_hash);
    let written = (|| -> Result<(), DbError> {
        let mut file = if len > 0 {
            Some(inner.db.create_share(&id)?)
        } else {
            None
        };
        let mut sha = crypto::Sha256::new();
        let mut ended = false;
        while let Some(piece) = rx.blocking_recv() {
            match piece {
                Piece::Bytes(b) => {
                    sha.update(&b);
                    if let Some(f) = file.as_mut() {
                        f.write_all(&b).map_err(|e| {
                            DbError::Internal(format!("a share file cannot be written: {e}"))
                        })?;
                    }
                }
                Piece::End => {
                    ended = true;
                    break;
                }
            }
        }
        if !ended {
            // The connection's side already has the answer.
            return Err(Refusal::BadRequest.into());
        }
        if sha.finish() != hash {
            tracing::info!(target: "vault_server", "upload refused: the share is not the bytes the token signed");
            return Err(Refusal::BadRequest.into());
        }
        if let Some(f) = file {
            f.commit()?;
        }
        Ok(())
    })();
    // No more pieces are taken: a sender still waiting gives up.
    drop(rx);
    if let Err(e) = written {
        if len > 0 {
            inner.db.drop_share(&id);
        }
        return Err(e);
    }
    db::finish_upload(&inner.db, &account, token.bytes(), &id, terms, len, now)
}

/// The shares listed, and to an advocate until when their permission
/// lasts.
type Listed = (Vec<ShareInfo>, Option<u64>);

/// Lists a survivor's shares (metadata only): for the survivor, or for an
/// advocate with a live delegation (`?survivor=survivor1…`). An advocate
/// without one is refused `no_permission` (with `ended_at` only if a
/// delegation from that survivor to them ran out), whether or not the
/// survivor has shares: never an empty list, which would read as "none".
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
        .blocking(
            move |i| -> Result<Result<Listed, Option<u64>>, db::DbError> {
                let mut permission_until = None;
                if signer.role() == Role::Advocate {
                    let until = i.db.delegation(&account, signer.key_bytes())?;
                    if until <= now {
                        return Ok(Err((until > 0).then_some(until)));
                    }
                    permission_until = Some(until);
                }
                let mut out = Vec::new();
                for id in i.db.account_tokens(&account)? {
                    let s = match i.db.token(&id) {
                        Ok(Some(s)) => s,
                        Ok(None) => continue,
                        // One damaged record does not hide the others.
                        Err(e) => {
                            tracing::warn!(target: "vault_server", error = ?e, "a stored share is left out of a list");
                            continue;
                        }
                    };
                    let t = &s.terms;
                    out.push(ShareInfo {
                        token_id: hex(&id),
                        audience: t
                            .audience
                            .and_then(|a| PublicId::from_key_bytes(Role::Agency, &a))
                            .map(|a| a.to_string()),
                        not_before: t.not_before,
                        expires: t.expires,
                        max_uses: t.max_uses,
                        uses: s.record.uses,
                        status: decide::status(&s, now).into(),
                        created: s.record.created,
                    });
                }
                out.sort_by_key(|s| s.created);
                Ok(Ok((out, permission_until)))
            },
        )
        .await??
        .map_err(|ended_at| AppError::NoPermission { ended_at })?;
    let (shares, permission_until) = shares;
    Ok(Json(SharesResponse {
        shares,
        permission_until,
    }))
}
