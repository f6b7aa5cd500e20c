//! One error type for every route: a refusal with its stable code and
//! plain message, or an internal failure whose detail goes to the log
//! only.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use vault_core::relay::api::ErrorBody;
use vault_core::relay::Refusal;

use crate::db::DbError;
use crate::decide::Denied;

/// The code of a failure on the relay's side (500). The client cannot know
/// whether anything changed.
pub const SERVER_ERROR: &str = "server_error";
/// The code of a request the relay gave up on after its time limit (408).
/// The work may have finished anyway, so the client cannot know whether
/// anything changed either.
pub const TIMEOUT: &str = "timeout";

/// Every stable error code with its HTTP status: each refusal, then the
/// two answers whose outcome is unknown. `docs/spec/relay-api.md` §13 and
/// the OpenAPI document list exactly these.
pub fn codes() -> impl Iterator<Item = (&'static str, u16)> {
    Refusal::ALL
        .into_iter()
        .map(|r| (r.code(), r.status()))
        .chain([(TIMEOUT, 408), (SERVER_ERROR, 500)])
}

/// What a handler can fail with.
#[derive(Debug)]
pub enum AppError {
    /// A refusal the client should see.
    Refused(Refusal),
    /// `no_permission`, saying when the advocate's delegation from that
    /// survivor ended if it existed and ran out (`None`: there was none).
    NoPermission { ended_at: Option<u64> },
    /// A failure on our side; the string is for the log, never the client.
    Internal(String),
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        Self::Refused(r)
    }
}

impl From<Denied> for AppError {
    fn from(d: Denied) -> Self {
        match d {
            Denied::Refused(r) => Self::Refused(r),
            Denied::NoPermission { ended_at } => Self::NoPermission { ended_at },
        }
    }
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Refused(r) => Self::Refused(r),
            DbError::Internal(s) => Self::Internal(s),
        }
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        Self::Internal(format!("a storage task failed: {e}"))
    }
}

/// Seconds a client is asked to wait after `busy`.
pub const BUSY_RETRY_AFTER_SECS: u32 = 10;

/// Renders a refusal as the JSON error body (`busy` also says, in
/// `retry-after`, when to try again; `clock_skew` says the relay's time).
pub fn refusal_response(r: Refusal) -> Response {
    refusal_response_with(r, None)
}

/// [`refusal_response`], with `ended_at` for `no_permission`.
fn refusal_response_with(r: Refusal, ended_at: Option<u64>) -> Response {
    let status = StatusCode::from_u16(r.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut resp = (
        status,
        Json(ErrorBody {
            error: r.code().into(),
            message: r.message(),
            relay_time: (r == Refusal::ClockSkew).then(vault_core::time::now),
            ended_at: ended_at.filter(|_| r == Refusal::NoPermission),
        }),
    )
        .into_response();
    if r == Refusal::Busy {
        resp.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from(BUSY_RETRY_AFTER_SECS),
        );
    }
    resp
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            Self::Refused(r) => refusal_response(r),
            Self::NoPermission { ended_at } => {
                refusal_response_with(Refusal::NoPermission, ended_at)
            }
            Self::Internal(detail) => {
                tracing::error!(target: "vault_server", %detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Json(ErrorBody {
                        relay_time: None,
                        ended_at: None,
                        error: SERVER_ERROR.into(),
                        message: "The relay could not complete this request, so whether anything changed is unknown. Please check, then try again.".into(),
                    }),
                )
                    .into_response()
            }
        }
    }
}
