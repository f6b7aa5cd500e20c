//! The headers on every answer of the relay: pages, assets, the API's
//! JSON, and every refusal (404, 405, 408, 413, 429, …), set by one
//! layer ([`add`], the outermost of [`crate::app::app`]) rather than per
//! route, so no answer can miss them. The serve loop's own answer to a
//! connection over its cap carries them too ([`crate::serve`]).
//!
//! The policy allows scripts, styles, images and requests from the relay
//! itself only (and WebAssembly compilation, which the agency's page
//! needs); nothing inline, nothing from anywhere else, no framing. Answers
//! are never stored and send no referrer. Pages also get
//! `cross-origin-opener-policy: same-origin`, so a page that opened ours
//! keeps no handle on it. `docs/spec/relay-api.md` §3 lists them.

use axum::http::header::{
    HeaderName, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::HeaderValue;
use axum::response::Response;

/// `content-security-policy` on every answer.
pub const CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/// `referrer-policy` on every answer.
pub const REFERRER: &str = "no-referrer";
/// `cache-control` on every answer.
pub const CACHE: &str = "no-store";
/// `x-content-type-options` on every answer.
pub const NOSNIFF: &str = "nosniff";
/// `cross-origin-opener-policy`, on pages (HTML answers) only.
pub const COOP: &str = "same-origin";
/// The header name of [`COOP`] (the `http` crate has no constant for it).
pub const CROSS_ORIGIN_OPENER_POLICY: HeaderName =
    HeaderName::from_static("cross-origin-opener-policy");

/// The headers every answer carries, name and value.
pub const EVERY_ANSWER: [(&str, &str); 4] = [
    ("content-security-policy", CSP),
    ("referrer-policy", REFERRER),
    ("cache-control", CACHE),
    ("x-content-type-options", NOSNIFF),
];

/// Sets the headers on `res` (replacing any a route set), and COOP if it
/// is a page.
pub async fn add(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(REFERRER_POLICY, HeaderValue::from_static(REFERRER));
    h.insert(CACHE_CONTROL, HeaderValue::from_static(CACHE));
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static(NOSNIFF));
    let is_page = h
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    if is_page {
        h.insert(CROSS_ORIGIN_OPENER_POLICY, HeaderValue::from_static(COOP));
    }
    res
}
