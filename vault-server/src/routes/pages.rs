//! The pages and their assets, as embedded from `web/` ([`crate::web`]):
//! `/` (the relay's own neutral page), `/S` (the page a share link opens;
//! the secret stays in the fragment, which the browser never sends here),
//! `/web/NAME`, `/web/pkg/NAME`, and the survivor's app at `/app/` and
//! `/app/NAME`. Exact names only: any other path, or a
//! file that was not there when the relay was built, is the API's JSON
//! `404 not_found`. HEAD is answered like GET, without the body.

use axum::http::{header, Uri};
use axum::response::{IntoResponse, Response};
use vault_core::relay::Refusal;

use crate::error::refusal_response;
use crate::web;

/// The embedded file served at `path`, or `404 not_found`.
fn serve(path: &str) -> Response {
    match web::find(path) {
        Some(a) => ([(header::CONTENT_TYPE, a.content_type)], a.bytes).into_response(),
        None => refusal_response(Refusal::NotFound),
    }
}

/// `GET /`: the relay's neutral page (`web/home.html`).
pub async fn home() -> Response {
    serve("/")
}

/// `GET /S`: the agency's page (`web/share.html`).
pub async fn share() -> Response {
    serve("/S")
}

/// `GET /web/NAME`, `GET /web/pkg/NAME`, `GET /app/` and `GET /app/NAME`:
/// a page, script, style sheet, module, manifest or icon, by its exact path.
pub async fn asset(uri: Uri) -> Response {
    serve(uri.path())
}
