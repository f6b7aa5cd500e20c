//! HTTP-level tests of the router with `oneshot` (no network).
//!
//! Every fixture is real: a survivor vault in memory, grants made with
//! `grant::prepare` + `grant::issue`, requests signed with
//! `relay::request::sign`, agency proofs made with `relay::redeem::prove`.
//! Each refusal is checked by its HTTP status and its stable JSON code.

use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering::SeqCst;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use tower::ServiceExt;
use vault_core::grant::{self, GrantRequest, Issued};
use vault_core::relay::api::{
    DelegationInfo, DelegationsResponse, LogResponse, RedeemResponse, SharesResponse,
};
use vault_core::relay::log::{verify_log, Entry, Event, Head};
use vault_core::relay::redeem::{prove, Receipt};
use vault_core::relay::{b64, hex, request, unb64, unb64_array, CLOCK_WINDOW_SECS};
use vault_core::share::ShareReader;
use vault_core::store::{Documents, Store};
use vault_core::token::{UnverifiedToken, MAX_VALIDITY_SECS};
use vault_core::{
    crypto, FieldPath, Identity, KdfParams, MemoryDocuments, MemoryStore, PublicId, Role, Scope,
    Vault,
};

use crate::app::{app, MAX_BODY, MAX_UPLOAD};
use crate::db::RelayStore;
use crate::decide::{Plan, Write};
use crate::state::{AppState, Limits};

/// The origin the relay under test signs for (a loopback `http` origin,
/// which share links accept).
const ORIGIN: &str = "http://127.0.0.1:8080";
/// The purpose every test grant is made for; the relay must never show it.
const PURPOSE: &str = "Housing application";

/// The relay's source, to find every route it declares.
const APP_SOURCE: &str = include_str!("../app.rs");

fn now() -> u64 {
    vault_core::time::now()
}

fn relay() -> AppState {
    relay_on(Arc::default(), Arc::default())
}

/// A relay (started, so it has tidied up) over storage the test keeps a
/// handle on.
fn relay_on(store: Arc<MemoryStore>, shares: Arc<MemoryDocuments>) -> AppState {
    AppState::new(
        Box::new(store),
        Box::new(shares),
        Identity::from_seed(Role::Relay, &[7; 32]),
        ORIGIN.into(),
        Limits::default(),
    )
}

/// A relay and handles on its store and share files.
fn relay_with_storage() -> (AppState, Arc<MemoryStore>, Arc<MemoryDocuments>) {
    let (store, shares) = (
        Arc::new(MemoryStore::new()),
        Arc::new(MemoryDocuments::new()),
    );
    (
        relay_on(Arc::clone(&store), Arc::clone(&shares)),
        store,
        shares,
    )
}

/// Lets the relay remove the files of shares deleted so far, as its
/// `share-remover` thread does a moment after the answer (which may
/// already have removed them).
fn removals_done(state: &AppState) {
    state.inner.db.remove_deleted();
}

/// The token ids (hex) that have a share file, in order.
fn share_files(shares: &MemoryDocuments) -> Vec<String> {
    shares.raw().into_iter().map(|(id, _)| hex(&id)).collect()
}

/// The token ids (hex) whose share file is marked as garbage.
fn garbage_marks(store: &MemoryStore) -> Vec<String> {
    store
        .keys_with_prefix(b"P")
        .expect("the store reads")
        .into_iter()
        .map(|k| hex(&k[1..]))
        .collect()
}

/// A survivor vault with two fields a grant shares and one it does not.
fn survivor() -> Vault {
    let v = Vault::create_in(
        Box::new(MemoryStore::new()),
        Box::new(vault_core::MemoryDocuments::new()),
        b"pass",
        Role::Survivor,
        KdfParams::INSECURE_FOR_TESTS,
    )
    .expect("a vault in memory can be created");
    for (path, text) in [
        ("identity.name", "Ama"),
        ("needs.housing", "ground floor"),
        ("history.events", "private"),
    ] {
        v.put_text(&FieldPath::parse(path).expect("a valid path"), text)
            .expect("a field can be saved");
    }
    v
}

fn agency(n: u8) -> Identity {
    Identity::from_seed(Role::Agency, &[n; 32])
}

fn advocate() -> Identity {
    Identity::from_seed(Role::Advocate, &[40; 32])
}

/// A grant of `identity.name` and `needs.*`: the token, the link and the
/// sealed share.
struct Grant {
    issued: Issued,
    share: Vec<u8>,
}

impl Grant {
    fn id(&self) -> String {
        hex(&self.issued.link.token_id())
    }
}

/// A grant valid from a minute ago for an hour.
fn grant(v: &Vault, audience: Option<&Identity>, max_uses: u32) -> Grant {
    let now = now();
    grant_window(v, audience, max_uses, now - 60, now + 3600)
}

fn grant_window(
    v: &Vault,
    audience: Option<&Identity>,
    max_uses: u32,
    not_before: u64,
    expires: u64,
) -> Grant {
    let prepared = grant::prepare(
        v,
        GrantRequest {
            scope: Scope::parse_list("identity.name,needs.*").expect("a valid scope"),
            audience: audience.map(Identity::public),
            purpose: PURPOSE.into(),
            not_before,
            expires,
            max_uses,
        },
    )
    .expect("the grant's fields exist and its terms have the right shape");
    let (issued, share) = grant::issue(v, &prepared, ORIGIN, vault_core::time::now(), Vec::new())
        .expect("the grant can be issued");
    Grant { issued, share }
}

/// A body that records whether the relay read from it: an upload refused
/// from its headers must leave it untouched.
/// It can also break off after its bytes, as a failed connection does.
struct Tripwire {
    bytes: Option<Bytes>,
    then_fail: bool,
    read: Arc<AtomicBool>,
}

impl axum::body::HttpBody for Tripwire {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        self.read.store(true, SeqCst);
        let next = match self.bytes.take() {
            Some(b) => Some(Ok(hyper::body::Frame::data(b))),
            None if std::mem::take(&mut self.then_fail) => {
                Some(Err(std::io::Error::other("connection reset")))
            }
            None => None,
        };
        std::task::Poll::Ready(next)
    }
}

/// `body` behind a tripwire, and the flag that says whether it was read.
fn tripwire(body: &[u8]) -> (Body, Arc<AtomicBool>) {
    let read = Arc::new(AtomicBool::new(false));
    let body = Body::new(Tripwire {
        bytes: Some(Bytes::copy_from_slice(body)),
        then_fail: false,
        read: Arc::clone(&read),
    });
    (body, read)
}

/// An upload as clients send it: the share raw, its length declared, the
/// token in `x-vault-token`, and `headers` (usually a signature).
fn upload_with(headers: &Headers, token: &[u8], share: &[u8]) -> Request<Body> {
    let mut req = build("POST", "/v1/shares", headers, share.to_vec());
    let h = req.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/octet-stream"),
    );
    h.insert(
        "x-vault-token",
        b64(token)
            .parse()
            .expect("base64url is a valid header value"),
    );
    h.insert(header::CONTENT_LENGTH, share.len().into());
    req
}

/// An upload of `token` and `share` signed now by `who` over the share.
fn upload_request(who: &Identity, token: &[u8], share: &[u8]) -> Request<Body> {
    upload_with(
        &sign_at(who, "POST", "/v1/shares", now(), share),
        token,
        share,
    )
}

/// `req` with its body replaced by a tripwire over the same bytes.
fn tripwired(req: Request<Body>, share: &[u8]) -> (Request<Body>, Arc<AtomicBool>) {
    let (parts, _) = req.into_parts();
    let (body, read) = tripwire(share);
    (Request::from_parts(parts, body), read)
}

type Headers = Vec<(&'static str, String)>;

fn sign_at(who: &Identity, method: &str, path: &str, timestamp: u64, body: &[u8]) -> Headers {
    request::sign(who, ORIGIN, method, path, timestamp, body)
        .expect("the system CSPRNG gives a nonce")
}

fn build(method: &str, path: &str, headers: &Headers, body: Vec<u8>) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    for (name, value) in headers {
        b = b.header(*name, value.as_str());
    }
    b.body(Body::from(body))
        .expect("method, path and headers are valid")
}

/// A request signed now by `who` over exactly `body`.
fn signed(who: &Identity, method: &str, path: &str, body: &[u8]) -> Request<Body> {
    build(
        method,
        path,
        &sign_at(who, method, path, now(), body),
        body.to_vec(),
    )
}

fn unsigned(method: &str, path: &str, body: Vec<u8>) -> Request<Body> {
    build(method, path, &Vec::new(), body)
}

/// An answer, read whole.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    #[track_caller]
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not a JSON body ({e}): {}", self.text()))
    }

    #[track_caller]
    fn ok<T: DeserializeOwned>(&self) -> T {
        assert_eq!(self.status, StatusCode::OK, "answer: {}", self.text());
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not the expected JSON ({e}): {}", self.text()))
    }

    /// Asserts the status and the JSON `error` code.
    #[track_caller]
    fn refused(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "answer: {}", self.text());
        assert_eq!(self.json()["error"], code, "answer: {}", self.text());
        assert!(
            self.json()["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "a refusal says what happened: {}",
            self.text()
        );
    }
}

/// Sends `req` to the router and checks the answer against
/// `/openapi.json` (see `api::check`).
async fn send(state: &AppState, req: Request<Body>) -> Answer {
    let (parts, body) = req.into_parts();
    // An upload's raw body goes through untouched (the upload tests watch
    // whether and how it is read, and the document has no schema for it);
    // a JSON body is kept to check an accepted request against the document.
    let raw = parts.method == axum::http::Method::POST && parts.uri.path() == "/v1/shares";
    let (kept, body) = if raw {
        (Bytes::new(), body)
    } else {
        let bytes = body
            .collect()
            .await
            .expect("a test's body is in memory")
            .to_bytes();
        (bytes.clone(), Body::from(bytes))
    };
    let sent = api::Sent {
        method: parts.method.clone(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers.clone(),
        body: kept,
    };
    let resp = app(state.clone())
        .oneshot(Request::from_parts(parts, body))
        .await
        .expect("the router's error type is Infallible");
    let (parts, body) = resp.into_parts();
    let body = body
        .collect()
        .await
        .expect("an in-memory body can be read")
        .to_bytes();
    let answer = Answer {
        status: parts.status,
        headers: parts.headers,
        body,
    };
    api::check(&sent, &answer);
    answer
}

async fn upload(state: &AppState, v: &Vault, g: &Grant) -> Answer {
    send(
        state,
        upload_request(v.identity(), &g.issued.token, &g.share),
    )
    .await
}

async fn redeem(state: &AppState, token_id: &str) -> Answer {
    let body = serde_json::to_vec(&json!({ "token_id": token_id })).expect("JSON");
    send(state, unsigned("POST", "/v1/redeem", body)).await
}

/// Redeems as `agency`, with its proof made at `timestamp`.
async fn redeem_as(state: &AppState, g: &Grant, agency: &Identity, timestamp: u64) -> Answer {
    let proof = prove(agency, ORIGIN, &g.issued.link.token_id(), timestamp);
    let body = serde_json::to_vec(&json!({
        "token_id": g.id(),
        "agency": agency.public().to_string(),
        "timestamp": timestamp,
        "proof": b64(&proof),
    }))
    .expect("JSON");
    send(state, unsigned("POST", "/v1/redeem", body)).await
}

async fn post_signed(state: &AppState, who: &Identity, path: &str, body: Value) -> Answer {
    let body = serde_json::to_vec(&body).expect("JSON");
    send(state, signed(who, "POST", path, &body)).await
}

async fn revoke(state: &AppState, who: &Identity, g: &Grant) -> Answer {
    post_signed(state, who, "/v1/revoke", json!({ "token_id": g.id() })).await
}

async fn delegate(state: &AppState, v: &Vault, advocate: &Identity, until: u64) -> Answer {
    post_signed(
        state,
        v.identity(),
        "/v1/delegations",
        json!({ "advocate": advocate.public().to_string(), "until": until }),
    )
    .await
}

/// `GET /v1/shares` as the survivor's advocate.
async fn list_as_advocate(state: &AppState, v: &Vault, advocate: &Identity) -> Answer {
    let path = format!("/v1/shares?survivor={}", v.identity().public());
    send(state, signed(advocate, "GET", &path, b"")).await
}

/// The survivor's log, checked with `verify_log` against the relay's key.
async fn verified_log(state: &AppState, v: &Vault) -> Vec<Entry> {
    let l: LogResponse = send(state, signed(v.identity(), "GET", "/v1/log", b""))
        .await
        .ok();
    let relay = PublicId::parse(&l.relay, Role::Relay).expect("the relay's id");
    assert_eq!(relay, state.inner.relay.public());
    let entries: Vec<Vec<u8>> = l
        .entries
        .iter()
        .map(|e| unb64(e).expect("entries are base64url"))
        .collect();
    let head = Head {
        seq: l.head.seq,
        hash: unb64_array(&l.head.hash).expect("a 32-byte hash"),
        at: l.head.at,
    };
    let sig = unb64_array(&l.head.signature).expect("a 64-byte signature");
    let (entries, seen) = verify_log(&entries, &head, &sig, &relay, &v.identity().public(), None)
        .expect("the relay's log verifies");
    assert_eq!(seen.seq, entries.len() as u64);
    entries
}

fn event_name(e: &Entry) -> &'static str {
    match e.event {
        Event::ShareCreated { .. } => "ShareCreated",
        Event::Redeemed { .. } => "Redeemed",
        Event::Refused { .. } => "Refused",
        Event::Revoked { .. } => "Revoked",
        _ => "other",
    }
}

/// Routes as declared in app.rs: `.route("PATH", …)`.
fn declared_routes() -> Vec<&'static str> {
    // `.route("PATH", …)`, or as rustfmt wraps a long one,
    // `.route(\n    "PATH",\n    …)`.
    APP_SOURCE
        .split(".route(")
        .skip(1)
        .map(|rest| {
            rest.trim_start()
                .trim_start_matches('"')
                .split('"')
                .next()
                .expect("split always yields a first piece")
        })
        .collect()
}

mod api;
mod pages;

// ---------------------------------------------------------------- meta

#[tokio::test]
async fn healthz_answers_ok() {
    let a = send(&relay(), unsigned("GET", "/healthz", Vec::new())).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json(), json!({ "status": "ok" }));
}

#[tokio::test]
async fn unknown_route_is_json_not_found() {
    let a = send(&relay(), unsigned("GET", "/no/such/route", Vec::new())).await;
    a.refused(404, "not_found");
}

#[tokio::test]
async fn openapi_lists_every_route_in_app_rs() {
    let doc = send(&relay(), unsigned("GET", "/openapi.json", Vec::new()))
        .await
        .ok::<Value>();
    let routes = declared_routes();
    assert!(routes.len() >= 12, "found routes: {routes:?}");
    let paths = doc["paths"].as_object().expect("paths is an object");
    for r in &routes {
        assert!(paths.contains_key(*r), "{r} is not in /openapi.json");
    }
    for p in paths.keys() {
        assert!(
            routes.contains(&p.as_str()),
            "{p} is documented but not served"
        );
    }
}

#[tokio::test]
async fn metrics_are_prometheus_text() {
    let a = send(&relay(), unsigned("GET", "/metrics", Vec::new())).await;
    assert_eq!(a.status, StatusCode::OK);
    let ct = a.headers[header::CONTENT_TYPE]
        .to_str()
        .expect("ASCII content type");
    assert!(ct.starts_with("text/plain"), "content type {ct}");
    let text = a.text();
    assert!(
        text.contains("# TYPE vault_requests_total counter\n"),
        "{text}"
    );
    let count: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("vault_requests_total "))
        .expect("a vault_requests_total sample")
        .parse()
        .expect("a number");
    assert!(count >= 1, "this request is counted");
    for name in ["vault_store_flushes_total", "vault_store_batches_total"] {
        assert!(
            text.contains(&format!("# TYPE {name} counter\n{name} ")),
            "{text}"
        );
    }
}

#[tokio::test]
async fn metrics_count_the_syncs_and_batches_that_made_decisions_durable() {
    let state = relay();
    let sample = |text: &str, name: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .expect("a sample")
            .parse()
            .expect("a number")
    };
    let before = send(&state, unsigned("GET", "/metrics", Vec::new()))
        .await
        .text();
    let v = survivor();
    let up = upload(&state, &v, &grant(&v, None, 1)).await;
    assert_eq!(up.status, StatusCode::OK, "{}", up.text());
    let after = send(&state, unsigned("GET", "/metrics", Vec::new()))
        .await
        .text();
    for name in ["vault_store_flushes_total", "vault_store_batches_total"] {
        assert!(
            sample(&after, name) > sample(&before, name),
            "{name} counts the upload's decision:\n{after}"
        );
    }
}

#[tokio::test]
async fn relay_info_gives_id_and_origin() {
    let state = relay();
    let v: Value = send(&state, unsigned("GET", "/v1/relay", Vec::new()))
        .await
        .ok();
    assert_eq!(v["relay"], state.inner.relay.public().to_string());
    assert_eq!(v["origin"], ORIGIN);
    assert_eq!(v["web_bundle"], crate::web::bundle_id());
}

// -------------------------------------------------------------- upload

#[tokio::test]
async fn accepts_upload_signed_by_survivor_main_key() {
    let (state, store, shares) = relay_with_storage();
    let v = survivor();
    let g = grant(&v, None, 1);
    let r: Value = upload(&state, &v, &g).await.ok();
    let id = r["token_id"].as_str().expect("token_id is a string");
    assert_eq!(id.len(), 64);
    assert!(id
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    assert_eq!(id, g.id());
    // The sealed share is its own file, byte for byte, and not in the store.
    assert_eq!(
        shares.raw(),
        [(g.issued.link.token_id().to_vec(), g.share.clone())]
    );
    assert!(garbage_marks(&store).is_empty());
    let start = &g.share[..64];
    assert!(
        store
            .raw_entries()
            .iter()
            .all(|(_, v)| !v.windows(64).any(|w| w == start)),
        "the store holds share bytes"
    );
}

/// Sends the upload `make` builds from a fresh grant and expects
/// `bad_request`; the relay must then know nothing of the grant, hold no
/// file or garbage mark for it, and have given its room back. Returns
/// whether the relay read the body.
async fn assert_upload_refused(make: impl FnOnce(&Vault, &Grant) -> Request<Body>) -> bool {
    let (state, store, shares) = relay_with_storage();
    let v = survivor();
    let g = grant(&v, None, 1);
    let (parts, body) = make(&v, &g).into_parts();
    let read = Arc::new(AtomicBool::new(false));
    let watched = Body::new(Watched {
        inner: body,
        read: Arc::clone(&read),
    });
    send(&state, Request::from_parts(parts, watched))
        .await
        .refused(400, "bad_request");
    redeem(&state, &g.id()).await.refused(404, "not_found");
    assert!(
        share_files(&shares).is_empty(),
        "a refused upload left a file"
    );
    assert!(
        garbage_marks(&store).is_empty(),
        "a refused upload left a mark"
    );
    assert_eq!(state.inner.uploads.in_flight(), (0, 0));
    read.load(SeqCst)
}

/// Like [`assert_upload_refused`], and the body must not have been read.
async fn assert_refused_unread(make: impl FnOnce(&Vault, &Grant) -> Request<Body>) {
    assert!(
        !assert_upload_refused(make).await,
        "the relay read the body of an upload it could refuse from its headers"
    );
}

/// A body that records whether it was read.
struct Watched {
    inner: Body,
    read: Arc<AtomicBool>,
}

impl axum::body::HttpBody for Watched {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        self.read.store(true, SeqCst);
        std::pin::Pin::new(&mut self.inner).poll_frame(cx)
    }
}

#[tokio::test]
async fn refuses_upload_sent_as_json_the_old_form_without_reading_it() {
    assert_refused_unread(|v, g| {
        let body = serde_json::to_vec(&json!({
            "token": b64(&g.issued.token),
            "share": b64(&g.share),
        }))
        .expect("JSON");
        signed(v.identity(), "POST", "/v1/shares", &body)
    })
    .await;
}

#[tokio::test]
async fn refuses_upload_without_a_token_header_without_reading_it() {
    assert_refused_unread(|v, g| {
        let mut req = upload_request(v.identity(), &g.issued.token, &g.share);
        req.headers_mut().remove("x-vault-token");
        req
    })
    .await;
}

#[tokio::test]
async fn refuses_upload_with_bad_base64_token_without_reading_it() {
    assert_refused_unread(|v, g| {
        let mut req = upload_request(v.identity(), &g.issued.token, &g.share);
        req.headers_mut()
            .insert("x-vault-token", header::HeaderValue::from_static("AAAA=="));
        req
    })
    .await;
}

#[tokio::test]
async fn refuses_upload_whose_length_is_not_the_signed_length_without_reading_it() {
    for delta in [-1i64, 1] {
        assert_refused_unread(|v, g| {
            let mut req = upload_request(v.identity(), &g.issued.token, &g.share);
            let declared = (g.share.len() as i64 + delta) as u64;
            req.headers_mut()
                .insert(header::CONTENT_LENGTH, declared.into());
            req
        })
        .await;
    }
}

#[tokio::test]
async fn refuses_upload_without_a_declared_length_without_reading_it() {
    assert_refused_unread(|v, g| {
        let mut req = upload_request(v.identity(), &g.issued.token, &g.share);
        req.headers_mut().remove(header::CONTENT_LENGTH);
        req.headers_mut().insert(
            header::TRANSFER_ENCODING,
            header::HeaderValue::from_static("chunked"),
        );
        req
    })
    .await;
}

#[tokio::test]
async fn refuses_upload_of_share_the_token_did_not_sign_and_keeps_no_file() {
    // Signed over the changed bytes: the request's signature holds, the
    // token's hash does not. The relay can only tell once it has read
    // them, so it streams them to a file and removes it again.
    let read = assert_upload_refused(|v, g| {
        let mut share = g.share.clone();
        share[100] ^= 1;
        let headers = sign_at(v.identity(), "POST", "/v1/shares", now(), &g.share);
        upload_with(&headers, &g.issued.token, &share)
    })
    .await;
    assert!(read);
}

#[tokio::test]
async fn refuses_upload_whose_body_breaks_off_and_keeps_no_file() {
    assert!(
        assert_upload_refused(|v, g| {
            let (parts, _) = upload_request(v.identity(), &g.issued.token, &g.share).into_parts();
            // Half the share, then the connection fails.
            let body = Body::new(Tripwire {
                bytes: Some(Bytes::copy_from_slice(&g.share[..g.share.len() / 2])),
                then_fail: true,
                read: Arc::default(),
            });
            Request::from_parts(parts, body)
        })
        .await
    );
}

#[tokio::test]
async fn refuses_upload_of_token_that_does_not_decode_without_reading_it() {
    assert_refused_unread(|v, g| {
        let mut token = g.issued.token.clone();
        token.push(0);
        upload_request(v.identity(), &token, &g.share)
    })
    .await;
    assert_refused_unread(|v, g| upload_request(v.identity(), b"not a token", &g.share)).await;
}

#[tokio::test]
async fn refuses_upload_with_changed_token_signature_without_reading_it() {
    assert_refused_unread(|v, g| {
        let mut token = g.issued.token.clone();
        let last = token.len() - 1;
        token[last] ^= 1;
        upload_request(v.identity(), &token, &g.share)
    })
    .await;
}

#[tokio::test]
async fn refuses_upload_signed_by_an_advocate_without_reading_it() {
    assert_refused_unread(|_, g| upload_request(&advocate(), &g.issued.token, &g.share)).await;
}

#[tokio::test]
async fn refuses_upload_signed_by_an_agency_without_reading_it() {
    assert_refused_unread(|_, g| upload_request(&agency(1), &g.issued.token, &g.share)).await;
}

#[tokio::test]
async fn refuses_upload_of_expired_token() {
    let state = relay();
    let v = survivor();
    let now = now();
    let g = grant_window(&v, None, 1, now - 7200, now - 3600);
    upload(&state, &v, &g).await.refused(400, "bad_request");
    redeem(&state, &g.id()).await.refused(404, "not_found");
}

#[tokio::test]
async fn refuses_unsigned_upload_without_reading_it() {
    assert_refused_unread(|_, g| upload_with(&Vec::new(), &g.issued.token, &g.share)).await;
}

#[tokio::test]
async fn refuses_upload_signed_over_another_body_without_reading_it() {
    assert_refused_unread(|v, g| {
        let headers = sign_at(v.identity(), "POST", "/v1/shares", now(), b"{}");
        upload_with(&headers, &g.issued.token, &g.share)
    })
    .await;
}

#[tokio::test]
async fn refuses_upload_signed_for_another_path_without_reading_it() {
    assert_refused_unread(|v, g| {
        let headers = sign_at(v.identity(), "POST", "/v1/revoke", now(), &g.share);
        upload_with(&headers, &g.issued.token, &g.share)
    })
    .await;
}

#[tokio::test]
async fn refuses_a_signed_request_outside_the_window_as_clock_skew_with_the_relays_time() {
    let state = relay();
    let v = survivor();
    let g = grant(&v, None, 1);
    let now = now();
    // One second more on the future side, in case the relay's clock ticks
    // between signing and checking.
    for ts in [now - CLOCK_WINDOW_SECS - 1, now + CLOCK_WINDOW_SECS + 2] {
        let headers = sign_at(v.identity(), "POST", "/v1/shares", ts, &g.share);
        let a = send(&state, upload_with(&headers, &g.issued.token, &g.share)).await;
        a.refused(403, "clock_skew");
        let relay_time = a.json()["relay_time"]
            .as_u64()
            .expect("the relay says its time");
        assert!(
            relay_time >= now && relay_time <= self::now(),
            "{}",
            a.text()
        );
        // A list signed with the wrong time: the same.
        let headers = sign_at(v.identity(), "GET", "/v1/shares", ts, b"");
        send(&state, build("GET", "/v1/shares", &headers, Vec::new()))
            .await
            .refused(403, "clock_skew");
    }
    // Well inside the window, the same upload is accepted.
    let headers = sign_at(v.identity(), "POST", "/v1/shares", now - 200, &g.share);
    send(&state, upload_with(&headers, &g.issued.token, &g.share))
        .await
        .ok::<Value>();
}

#[tokio::test]
async fn refuses_a_replayed_request() {
    let state = relay();
    let v = survivor();
    let g = grant(&v, None, 1);
    let headers = sign_at(v.identity(), "POST", "/v1/shares", now(), &g.share);
    send(&state, upload_with(&headers, &g.issued.token, &g.share))
        .await
        .ok::<Value>();
    send(&state, upload_with(&headers, &g.issued.token, &g.share))
        .await
        .refused(400, "bad_request");
}

#[tokio::test]
async fn refuses_the_same_token_uploaded_twice() {
    let (state, _, shares) = relay_with_storage();
    let v = survivor();
    let g = grant(&v, None, 1);
    upload(&state, &v, &g).await.ok::<Value>();
    let (req, read) = tripwired(
        upload_request(v.identity(), &g.issued.token, &g.share),
        &g.share,
    );
    send(&state, req).await.refused(409, "conflict");
    assert!(!read.load(SeqCst));
    assert_eq!(
        share_files(&shares),
        [g.id()],
        "the first upload's file stays"
    );
}

#[tokio::test]
async fn refuses_an_upload_of_a_token_already_being_uploaded() {
    let (state, _, shares) = relay_with_storage();
    let v = survivor();
    let g = grant(&v, None, 1);
    let held = state
        .inner
        .uploads
        .reserve(None, g.issued.link.token_id(), 1)
        .expect("room");
    let (req, read) = tripwired(
        upload_request(v.identity(), &g.issued.token, &g.share),
        &g.share,
    );
    send(&state, req).await.refused(409, "conflict");
    assert!(!read.load(SeqCst));
    assert!(share_files(&shares).is_empty());
    drop(held);
    upload(&state, &v, &g).await.ok::<Value>();
}

#[tokio::test]
async fn refuses_upload_beyond_the_budget_as_busy_with_retry_after_without_reading_it() {
    let (state, _, shares) = relay_with_storage();
    let v = survivor();
    let g = grant(&v, None, 1);
    let len = g.share.len() as u64;
    let from = std::net::SocketAddr::from(([192, 0, 2, 9], 4000));
    let limits = crate::state::UploadLimits {
        per_address: 1,
        per_address_bytes: len,
        total: 2,
        total_bytes: 2 * len,
    };
    state.inner.uploads.set_limits(limits);
    let with_addr = |mut req: Request<Body>| {
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(from));
        req
    };
    // This address already has an upload under way.
    let held = state
        .inner
        .uploads
        .reserve(Some(from.ip()), [0xee; 32], 1)
        .expect("room");
    let (req, read) = tripwired(
        upload_request(v.identity(), &g.issued.token, &g.share),
        &g.share,
    );
    let a = send(&state, with_addr(req)).await;
    a.refused(503, "busy");
    assert!(a.headers.contains_key(header::RETRY_AFTER));
    assert!(!read.load(SeqCst));
    drop(held);
    // The relay as a whole is full: two uploads from elsewhere.
    let a1 = state
        .inner
        .uploads
        .reserve(None, [0xe1; 32], len)
        .expect("room");
    let a2 = state
        .inner
        .uploads
        .reserve(None, [0xe2; 32], len)
        .expect("room");
    send(
        &state,
        with_addr(upload_request(v.identity(), &g.issued.token, &g.share)),
    )
    .await
    .refused(503, "busy");
    drop((a1, a2));
    // With room again, the same share is stored (a fresh signature: the
    // nonce of a refused request is spent).
    send(
        &state,
        with_addr(upload_request(v.identity(), &g.issued.token, &g.share)),
    )
    .await
    .ok::<Value>();
    assert_eq!(share_files(&shares), [g.id()]);
    assert_eq!(state.inner.uploads.in_flight(), (0, 0));
}

#[tokio::test]
async fn refuses_upload_declared_larger_than_max_upload() {
    let state = relay();
    let v = survivor();
    let headers = sign_at(v.identity(), "POST", "/v1/shares", now(), b"");
    let mut req = build("POST", "/v1/shares", &headers, Vec::new());
    req.headers_mut()
        .insert(header::CONTENT_LENGTH, (MAX_UPLOAD + 1).into());
    send(&state, req).await.refused(413, "too_large");
}

// -------------------------------------------------------------- redeem

#[tokio::test]
async fn redeems_anyone_token_once_then_used_up() {
    let (state, store, shares) = relay_with_storage();
    let v = survivor();
    let g = grant(&v, None, 1);
    upload(&state, &v, &g).await.ok::<Value>();
    assert_eq!(share_files(&shares), [g.id()]);

    let r: RedeemResponse = redeem(&state, &g.id()).await.ok();

    // The token is the survivor's, byte for byte, and verifies.
    let token_bytes = unb64(&r.token).expect("token is base64url");
    assert_eq!(token_bytes, g.issued.token);
    let token = UnverifiedToken::decode(&token_bytes)
        .expect("the token decodes")
        .verify(now(), None)
        .expect("the token verifies");
    // The share is the one the token signed, and opens with the link.
    let share = unb64(&r.share).expect("share is base64url");
    assert_eq!(crypto::sha256(&[&share]), token.body().payload_hash);
    let secret = g.issued.link.secret();
    let claims = token
        .open_claims(secret)
        .expect("the link opens the claims");
    assert_eq!(claims.purpose, PURPOSE);
    let (manifest, mut reader) = ShareReader::open(secret, token.body().payload_len, &share[..])
        .expect("the link opens the share");
    let mut fields = Vec::new();
    for e in &manifest.entries {
        let mut buf = Vec::new();
        reader.copy_entry(e.len, &mut buf).expect("an entry");
        fields.push((
            e.path.to_string(),
            String::from_utf8(buf).expect("text fields are UTF-8"),
        ));
    }
    reader.finish().expect("only padding follows");
    assert_eq!(
        fields,
        [
            ("identity.name".to_string(), "Ama".to_string()),
            ("needs.housing".to_string(), "ground floor".to_string()),
        ]
    );

    // The receipt is the relay's, about this redemption.
    let relay_id = PublicId::parse(&r.relay, Role::Relay).expect("the relay's id");
    assert_eq!(relay_id, state.inner.relay.public());
    let receipt: Receipt = postcard::from_bytes(&unb64(&r.receipt).expect("receipt is base64url"))
        .expect("the receipt decodes");
    let sig = unb64_array(&r.receipt_signature).expect("a 64-byte signature");
    assert!(receipt.verify(&relay_id, &sig));
    assert_eq!(
        receipt,
        Receipt {
            origin: ORIGIN.into(),
            token_id: g.issued.link.token_id(),
            use_number: 1,
            max_uses: 1,
            at: receipt.at,
            agency: None,
            payload_hash: token.body().payload_hash,
        }
    );

    // The one use is spent: its file went with it, and so did the mark.
    removals_done(&state);
    assert!(
        share_files(&shares).is_empty(),
        "a used-up share's file stays"
    );
    assert!(garbage_marks(&store).is_empty());

    redeem(&state, &g.id()).await.refused(410, "used_up");
}

#[tokio::test]
async fn refuses_audience_token_without_agency_proof() {
    let state = relay();
    let v = survivor();
    let g = grant(&v, Some(&agency(1)), 1);
    upload(&state, &v, &g).await.ok::<Value>();
    redeem(&state, &g.id()).await.refused(403, "wrong_audience");
}

#[tokio::test]
async fn refuses_audience_token_with_another_agencys_valid_proof() {
    let state = relay();
    let v = survivor();
    let g = grant(&v, Some(&agency(1)), 1);
    upload(&state, &v, &g).await.ok::<Value>();
    redeem_as(&state, &g, &agency(2), now())
        .await
        .refused(403, "wrong_audience");
}

#[tokio::test]
async fn refuses_the_agencys_stale_proof_as_clock_skew_without_spending_the_use() {
    let state = relay();
    let v = survivor();
    let g = grant(&v, Some(&agency(1)), 1);
    upload(&state, &v, &g).await.ok::<Value>();
    for off in [-(CLOCK_WINDOW_SECS as i64) - 1, 600, -600] {
        let before = now();
        let a = redeem_as(&state, &g, &agency(1), before.saturating_add_signed(off)).await;
        a.refused(403, "clock_skew");
        let relay_time = a.json()["relay_time"]
            .as_u64()
            .expect("the relay says its time");
        assert!(relay_time >= before && relay_time <= now(), "{}", a.text());
    }
    // The one use was not spent: with a right clock, it opens.
    redeem_as(&state, &g, &agency(1), now())
        .await
        .ok::<RedeemResponse>();
    // The survivor's log names the agency and the reason.
    let log = verified_log(&state, &v).await;
    let skewed = log.iter().any(|e| {
        e.event
            == Event::Refused {
                token_id: g.issued.link.token_id(),
                agency: Some(*agency(1).public().key_bytes()),
                reason: "clock_skew".into(),
            }
    });
    assert!(skewed, "the log says the agency's clock was wrong: {log:?}");
}

#[tokio::test]
async fn refuses_another_agencys_stale_proof_as_wrong_audience() {
    // Only the clock of the agency the token is for is "wrong": another
    // agency learns nothing more than before.
    let state = relay();
    let v = survivor();
    let g = grant(&v, Some(&agency(1)), 1);
    upload(&state, &v, &g).await.ok::<Value>();
    redeem_as(&state, &g, &agency(2), now() - CLOCK_WINDOW_SECS - 1)
        .await
        .refused(403, "wrong_audience");
}

#[tokio::test]
async fn redeems_a_token_for_anyone_despite_a_stale_proof() {
    let state = relay();
    let v = survivor();
    let g = grant(&v, None, 1);
    upload(&state, &v, &g).await.ok::<Value>();
    redeem_as(&state, &g, &agency(1), now() - 600)
        .await
        .ok::<RedeemResponse>();
}

#[tokio::test]
async fn refuses_audience_token_with_proof_signed_by_another_key() {
    let state = relay();
    let v = survivor();
    let g = grant(&v, Some(&agency(1)), 1);
    upload(&state, &v, &g).await.ok::<Value>();
    let ts = now();
    // Agency 2 signs, but claims to be agency 1.
    let proof = prove(&agency(2), ORIGIN, &g.issued.link.token_id(), ts);
    let body = serde_json::to_vec(&json!({
        "token_id": g.id(),
        "agency": agency(1).public().to_string(),
        "timestamp": ts,
        "proof": b64(&proof),
    }))
    .expect("JSON");
    send(&state, unsigned("POST", "/v1/redeem", body))
        .await
        .refused(403, "wrong_audience");
}

#[tokio::test]
async fn redeems_audience_token_with_the_agencys_fresh_proof() {
    let state = relay();
    let v = survivor();
    let g = grant(&v, Some(&agency(1)), 1);
    upload(&state, &v, &g).await.ok::<Value>();
    let r: RedeemResponse = redeem_as(&state, &g, &agency(1), now()).await.ok();
    let receipt: Receipt = postcard::from_bytes(&unb64(&r.receipt).expect("receipt is base64url"))
        .expect("the receipt decodes");
    assert_eq!(receipt.agency, Some(*agency(1).public().key_bytes()));
    let sig = unb64_array(&r.receipt_signature).expect("a 64-byte signature");
    assert!(receipt.verify(&state.inner.relay.public(), &sig));
}

#[tokio::test]
async fn refuses_unknown_token_id_as_not_found() {
    redeem(&relay(), &hex(&[0xab; 32]))
        .await
        .refused(404, "not_found");
}

#[tokio::test]
async fn refuses_token_id_that_is_not_hex() {
    let state = relay();
    redeem(&state, &"zz".repeat(32))
        .await
        .refused(400, "bad_request");
    redeem(&state, "abcd").await.refused(400, "bad_request");
}

#[tokio::test]
async fn refuses_redeem_with_unknown_field() {
    let body =
        serde_json::to_vec(&json!({ "token_id": hex(&[1; 32]), "extra": true })).expect("JSON");
    send(&relay(), unsigned("POST", "/v1/redeem", body))
        .await
        .refused(400, "bad_request");
}

#[tokio::test]
async fn refuses_redeem_body_declared_over_max_body() {
    let body = vec![b' '; MAX_BODY + 1];
    let mut req = unsigned("POST", "/v1/redeem", body);
    req.headers_mut()
        .insert(header::CONTENT_LENGTH, (MAX_BODY + 1).into());
    send(&relay(), req).await.refused(413, "too_large");
}

#[tokio::test]
async fn refuses_streamed_redeem_body_over_max_body() {
    // No content-length: the limit is found while reading.
    let body = vec![b' '; MAX_BODY + 1];
    send(&relay(), unsigned("POST", "/v1/redeem", body))
        .await
        .refused(413, "too_large");
}

// -------------------------------------------------------------- revoke

#[tokio::test]
async fn owner_revokes_then_redeem_is_revoked() {
    let (state, store, shares) = relay_with_storage();
    let v = survivor();
    let g = grant(&v, None, 2);
    let kept = grant(&v, None, 2);
    upload(&state, &v, &g).await.ok::<Value>();
    upload(&state, &v, &kept).await.ok::<Value>();
    let r: Value = revoke(&state, v.identity(), &g).await.ok();
    assert_eq!(r["revoked"], json!([g.id()]));
    redeem(&state, &g.id()).await.refused(410, "revoked");
    // The ciphertext is gone with the share (removed by the share remover,
    // after the answer); the other share keeps its own.
    removals_done(&state);
    assert_eq!(share_files(&shares), [kept.id()]);
    assert!(garbage_marks(&store).is_empty());
}

#[tokio::test]
async fn withdrawing_again_changes_nothing_and_lists_nothing() {
    let state = relay();
    let v = survivor();
    let g = grant(&v, None, 1);
    upload(&state, &v, &g).await.ok::<Value>();
    let first: Value = revoke(&state, v.identity(), &g).await.ok();
    assert_eq!(first["revoked"], json!([g.id()]));
    let log_before = verified_log(&state, &v).await.len();
    // `revoked` lists only what this request withdrew (the CLI says
    // "already withdrawn" from it); no second log entry.
    let again: Value = revoke(&state, v.identity(), &g).await.ok();
    assert_eq!(again["revoked"], json!([]));
    assert_eq!(verified_log(&state, &v).await.len(), log_before);
}

#[tokio::test]
async fn revoke_by_another_survivor_is_not_found() {
    let state = relay();
    let v = survivor();
    let g = grant(&v, None, 1);
    upload(&state, &v, &g).await.ok::<Value>();
    let other = Identity::from_seed(Role::Survivor, &[50; 32]);
    revoke(&state, &other, &g).await.refused(404, "not_found");
    // Exactly what a share that does not exist looks like.
    post_signed(
        &state,
        &other,
        "/v1/revoke",
        json!({ "token_id": hex(&[0xcd; 32]) }),
    )
    .await
    .refused(404, "not_found");
    redeem(&state, &g.id()).await.ok::<RedeemResponse>();
}

#[tokio::test]
async fn refuses_an_advocate_who_never_had_permission_saying_nothing_more() {
    let state = relay();
    let v = survivor();
    let g = grant(&v, None, 1);
    upload(&state, &v, &g).await.ok::<Value>();
    // One share by its id: "not yours" looks like "no such share".
    revoke(&state, &advocate(), &g)
        .await
        .refused(404, "not_found");
    // By the survivor's id: no permission, and no date of any kind.
    let a = list_as_advocate(&state, &v, &advocate()).await;
    a.refused(403, "no_permission");
    assert!(a.json().get("ended_at").is_none(), "{}", a.text());
    let a = post_signed(
        &state,
        &advocate(),
        "/v1/revoke-all",
        json!({ "survivor": v.identity().public().to_string() }),
    )
    .await;
    a.refused(403, "no_permission");
    assert!(a.json().get("ended_at").is_none(), "{}", a.text());
    // Nothing was withdrawn.
    redeem(&state, &g.id()).await.ok::<RedeemResponse>();
}

#[tokio::test]
async fn refuses_an_advocate_whose_permission_ended_saying_when_and_withdraws_nothing() {
    let state = relay();
    let v = survivor();
    let grants = [grant(&v, None, 1), grant(&v, None, 1)];
    for g in &grants {
        upload(&state, &v, g).await.ok::<Value>();
    }
    // A delegation that ran out a minute ago (the API takes only future
    // ones, so it is written as it stands after running out).
    let ended = now() - 60;
    let delegation = Write::Delegation {
        survivor: *v.identity().public().key_bytes(),
        advocate: *advocate().public().key_bytes(),
        until: ended,
    };
    state
        .inner
        .db
        .decide(v.identity().public().key_bytes(), &mut |_| {
            Ok(Plan {
                writes: vec![delegation.clone()],
                ..Plan::default()
            })
        })
        .expect("a delegation is stored");
    let by_id = revoke(&state, &advocate(), &grants[0]).await;
    by_id.refused(403, "no_permission");
    assert_eq!(by_id.json()["ended_at"], json!(ended));
    let all = post_signed(
        &state,
        &advocate(),
        "/v1/revoke-all",
        json!({ "survivor": v.identity().public().to_string() }),
    )
    .await;
    all.refused(403, "no_permission");
    assert_eq!(all.json()["ended_at"], json!(ended));
    let listed = list_as_advocate(&state, &v, &advocate()).await;
    listed.refused(403, "no_permission");
    assert_eq!(listed.json()["ended_at"], json!(ended));
    // Nothing was withdrawn: both shares still open.
    for g in &grants {
        redeem(&state, &g.id()).await.ok::<RedeemResponse>();
    }
}

#[tokio::test]
async fn lists_delegations_to_the_survivor_who_gave_them_and_the_advocate_they_name() {
    let state = relay();
    let v = survivor();
    let other = survivor();
    let until = now() + 3600;
    let a = delegate(&state, &v, &advocate(), until).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text());
    let a = delegate(&state, &other, &advocate(), until + 60).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text());
    let mine = |v: &Vault| DelegationInfo {
        survivor: v.identity().public().to_string(),
        advocate: advocate().public().to_string(),
        until: 0,
    };
    let r: DelegationsResponse = send(&state, signed(&advocate(), "GET", "/v1/delegations", b""))
        .await
        .ok();
    assert_eq!(
        r.delegations,
        vec![
            DelegationInfo { until, ..mine(&v) },
            DelegationInfo {
                until: until + 60,
                ..mine(&other)
            }
        ]
    );
    let r: DelegationsResponse = send(&state, signed(v.identity(), "GET", "/v1/delegations", b""))
        .await
        .ok();
    assert_eq!(r.delegations, vec![DelegationInfo { until, ..mine(&v) }]);
    // Another advocate sees none of them.
    let r: DelegationsResponse = send(
        &state,
        signed(
            &Identity::generate(Role::Advocate).expect("random"),
            "GET",
            "/v1/delegations",
            b"",
        ),
    )
    .await
    .ok();
    assert!(r.delegations.is_empty());
}

#[tokio::test]
async fn delegated_advocate_sees_only_metadata_and_revokes() {
    let state = relay();
    let v = survivor();
    let g = grant(&v, Some(&agency(1)), 3);
    upload(&state, &v, &g).await.ok::<Value>();
    let a = delegate(&state, &v, &advocate(), now() + 3600).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text());

    let listed = list_as_advocate(&state, &v, &advocate()).await;
    let r: SharesResponse = listed.ok();
    assert_eq!(r.shares.len(), 1);
    let s = &r.shares[0];
    assert_eq!(s.token_id, g.id());
    assert_eq!(s.audience, Some(agency(1).public().to_string()));
    assert_eq!((s.max_uses, s.uses), (3, 0));
    assert_eq!(s.status, "active");
    let text = listed.text();
    for secret in [
        PURPOSE,
        "Housing",
        "identity",
        "needs",
        "Ama",
        "ground floor",
    ] {
        assert!(
            !text.contains(secret),
            "{secret:?} shown to the advocate: {text}"
        );
    }

    let r: Value = revoke(&state, &advocate(), &g).await.ok();
    assert_eq!(r["revoked"], json!([g.id()]));
    redeem_as(&state, &g, &agency(1), now())
        .await
        .refused(410, "revoked");
    let log = verified_log(&state, &v).await;
    let by_advocate = log.iter().any(|e| {
        e.event
            == Event::Revoked {
                token_id: g.issued.link.token_id(),
                by: *advocate().public().key_bytes(),
                by_advocate: true,
            }
    });
    assert!(by_advocate, "the log names the advocate: {log:?}");
}

#[tokio::test]
async fn removed_delegation_gives_advocate_nothing() {
    let state = relay();
    let v = survivor();
    let g = grant(&v, None, 1);
    upload(&state, &v, &g).await.ok::<Value>();
    let a = delegate(&state, &v, &advocate(), now() + 3600).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text());
    let r: SharesResponse = list_as_advocate(&state, &v, &advocate()).await.ok();
    assert_eq!(r.shares.len(), 1);

    let a = post_signed(
        &state,
        v.identity(),
        "/v1/delegations/remove",
        json!({ "advocate": advocate().public().to_string() }),
    )
    .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text());

    revoke(&state, &advocate(), &g)
        .await
        .refused(404, "not_found");
    let a = list_as_advocate(&state, &v, &advocate()).await;
    a.refused(403, "no_permission");
    assert!(a.json().get("ended_at").is_none(), "{}", a.text());
    // Removing it again: there is none.
    post_signed(
        &state,
        v.identity(),
        "/v1/delegations/remove",
        json!({ "advocate": advocate().public().to_string() }),
    )
    .await
    .refused(404, "not_found");
}

#[tokio::test]
async fn revoke_all_by_survivor_withdraws_every_share() {
    let (state, store, shares) = relay_with_storage();
    let v = survivor();
    let grants = [
        grant(&v, None, 1),
        grant(&v, Some(&agency(1)), 2),
        grant(&v, None, 5),
    ];
    for g in &grants {
        upload(&state, &v, g).await.ok::<Value>();
    }
    // Another survivor's share is not touched.
    let other = survivor();
    let theirs = grant(&other, None, 1);
    upload(&state, &other, &theirs).await.ok::<Value>();

    let r: Value = post_signed(&state, v.identity(), "/v1/revoke-all", json!({}))
        .await
        .ok();
    let mut revoked: Vec<String> = serde_json::from_value(r["revoked"].clone()).expect("ids");
    let mut want: Vec<String> = grants.iter().map(Grant::id).collect();
    revoked.sort();
    want.sort();
    assert_eq!(revoked, want);
    for g in &grants {
        redeem(&state, &g.id()).await.refused(410, "revoked");
    }
    let r: SharesResponse = send(&state, signed(v.identity(), "GET", "/v1/shares", b""))
        .await
        .ok();
    assert!(r.shares.iter().all(|s| s.status == "revoked"), "{r:?}");
    // Every withdrawn share's file is gone; the other survivor's stays
    // until its one use.
    removals_done(&state);
    assert_eq!(share_files(&shares), [theirs.id()]);
    redeem(&state, &theirs.id()).await.ok::<RedeemResponse>();
    removals_done(&state);
    assert!(share_files(&shares).is_empty());
    assert!(garbage_marks(&store).is_empty());
}

#[tokio::test]
async fn refuses_revoke_all_naming_a_survivor_when_signed_by_one() {
    let state = relay();
    let v = survivor();
    post_signed(
        &state,
        v.identity(),
        "/v1/revoke-all",
        json!({ "survivor": v.identity().public().to_string() }),
    )
    .await
    .refused(400, "bad_request");
}

#[tokio::test]
async fn refuses_delegation_until_in_the_past_or_beyond_90_days() {
    let state = relay();
    let v = survivor();
    let now = now();
    for until in [now - 10, now + MAX_VALIDITY_SECS + 60] {
        delegate(&state, &v, &advocate(), until)
            .await
            .refused(400, "bad_request");
    }
    // No delegation was recorded.
    list_as_advocate(&state, &v, &advocate())
        .await
        .refused(403, "no_permission");
}

#[tokio::test]
async fn refuses_delegation_signed_by_an_advocate() {
    let state = relay();
    let a = post_signed(
        &state,
        &advocate(),
        "/v1/delegations",
        json!({ "advocate": advocate().public().to_string(), "until": now() + 3600 }),
    )
    .await;
    a.refused(400, "bad_request");
}

// ----------------------------------------------------------------- log

#[tokio::test]
async fn log_verifies_and_lists_events_in_order() {
    let state = relay();
    let v = survivor();
    let g = grant(&v, None, 1);
    upload(&state, &v, &g).await.ok::<Value>();
    redeem(&state, &g.id()).await.ok::<RedeemResponse>();
    redeem(&state, &g.id()).await.refused(410, "used_up");
    revoke(&state, v.identity(), &g).await.ok::<Value>();

    let log = verified_log(&state, &v).await;
    let names: Vec<&str> = log.iter().map(event_name).collect();
    assert_eq!(names, ["ShareCreated", "Redeemed", "Refused", "Revoked"]);
    let id = g.issued.link.token_id();
    assert_eq!(
        log[1].event,
        Event::Redeemed {
            token_id: id,
            agency: None,
            use_number: 1
        }
    );
    assert_eq!(
        log[2].event,
        Event::Refused {
            token_id: id,
            agency: None,
            reason: "used_up".into()
        }
    );
    assert_eq!(
        log[3].event,
        Event::Revoked {
            token_id: id,
            by: *v.identity().public().key_bytes(),
            by_advocate: false
        }
    );
}

#[tokio::test]
async fn log_is_refused_to_an_advocate() {
    let state = relay();
    send(&state, signed(&advocate(), "GET", "/v1/log", b""))
        .await
        .refused(400, "bad_request");
}

// --------------------------------------------------------- concurrency

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_redemptions_grant_exactly_max_uses() {
    let (state, store, shares) = relay_with_storage();
    let v = survivor();
    let g = grant(&v, None, 3);
    upload(&state, &v, &g).await.ok::<Value>();

    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let state = state.clone();
            let id = g.id();
            tokio::spawn(async move { redeem(&state, &id).await })
        })
        .collect();
    let mut uses = Vec::new();
    let mut used_up = 0;
    for t in tasks {
        let a = t.await.expect("a redemption task does not panic");
        if a.status == StatusCode::OK {
            let r: RedeemResponse = a.ok();
            let receipt: Receipt = postcard::from_bytes(&unb64(&r.receipt).expect("base64url"))
                .expect("the receipt decodes");
            uses.push(receipt.use_number);
        } else {
            a.refused(410, "used_up");
            used_up += 1;
        }
    }
    uses.sort_unstable();
    assert_eq!(uses, [1, 2, 3]);
    assert_eq!(used_up, 29);

    let log = verified_log(&state, &v).await;
    let count = |name: &str| log.iter().filter(|e| event_name(e) == name).count();
    assert_eq!(count("Redeemed"), 3);
    assert_eq!(count("Refused"), 29);
    removals_done(&state);
    assert!(
        share_files(&shares).is_empty(),
        "a used-up share's file stays"
    );
    assert!(garbage_marks(&store).is_empty());
}

// ------------------------------------------------------------ start-up

#[tokio::test]
async fn start_up_removes_share_files_left_marked_and_keeps_live_ones() {
    let (state, store, shares) = relay_with_storage();
    let v = survivor();
    let live = grant(&v, None, 1);
    upload(&state, &v, &live).await.ok::<Value>();
    drop(state);
    // What a crash leaves between an upload's mark and its batch (a mark
    // and a file, no record), or between a deletion's batch and its file's
    // removal (a mark and a file).
    let left = [0xa1u8; 32];
    store
        .insert(&[&b"P"[..], &left].concat(), b"")
        .expect("mark");
    let mut f = shares.create(&left).expect("create");
    std::io::Write::write_all(&mut f, &[0x5a; 4112]).expect("write");
    f.commit().expect("commit");
    assert_eq!(share_files(&shares).len(), 2);

    let state = relay_on(Arc::clone(&store), Arc::clone(&shares));
    assert_eq!(share_files(&shares), [live.id()]);
    assert!(garbage_marks(&store).is_empty());
    // The live share is untouched and still served.
    let r: RedeemResponse = redeem(&state, &live.id()).await.ok();
    assert_eq!(unb64(&r.share).expect("base64url"), live.share);
}

/// Share files that note whether any of the relay's locks (an account's
/// stripe, the nonces') was held when a file was removed.
#[derive(Default)]
struct LockProbe {
    files: MemoryDocuments,
    relay: std::sync::OnceLock<std::sync::Weak<crate::state::Inner>>,
    removed: std::sync::atomic::AtomicUsize,
    removed_under_lock: std::sync::atomic::AtomicUsize,
}

impl Documents for LockProbe {
    fn create(
        &self,
        id: &[u8],
    ) -> Result<Box<dyn vault_core::store::DocumentWriter + '_>, vault_core::store::StoreError>
    {
        self.files.create(id)
    }
    fn open(
        &self,
        id: &[u8],
    ) -> Result<Option<Box<dyn std::io::Read + '_>>, vault_core::store::StoreError> {
        self.files.open(id)
    }
    fn remove(&self, id: &[u8]) -> Result<(), vault_core::store::StoreError> {
        use std::sync::atomic::Ordering::Relaxed;
        let inner = self
            .relay
            .get()
            .and_then(std::sync::Weak::upgrade)
            .expect("the relay is running");
        if inner.db.locked() {
            self.removed_under_lock.fetch_add(1, Relaxed);
        }
        self.removed.fetch_add(1, Relaxed);
        self.files.remove(id)
    }
}

#[tokio::test]
async fn share_files_are_removed_after_the_answer_with_no_lock_held() {
    use std::sync::atomic::Ordering::Relaxed;
    let probe = Arc::new(LockProbe::default());
    let state = AppState::new(
        Box::new(MemoryStore::new()),
        Box::new(Arc::clone(&probe)),
        Identity::from_seed(Role::Relay, &[7; 32]),
        ORIGIN.into(),
        Limits::default(),
    );
    probe
        .relay
        .set(Arc::downgrade(&state.inner))
        .expect("set once");
    let v = survivor();
    let (used, withdrawn) = (grant(&v, None, 1), grant(&v, None, 1));
    let all = grant(&v, None, 1);
    for g in [&used, &withdrawn, &all] {
        upload(&state, &v, g).await.ok::<Value>();
    }
    redeem(&state, &used.id()).await.ok::<RedeemResponse>();
    removals_done(&state);
    assert_eq!(probe.removed.load(Relaxed), 1, "the used-up share's file");
    revoke(&state, v.identity(), &withdrawn).await.ok::<Value>();
    removals_done(&state);
    assert_eq!(probe.removed.load(Relaxed), 2);
    post_signed(&state, v.identity(), "/v1/revoke-all", json!({}))
        .await
        .ok::<Value>();
    removals_done(&state);
    assert_eq!(probe.removed.load(Relaxed), 3);
    assert_eq!(probe.removed_under_lock.load(Relaxed), 0);
    assert!(share_files(&probe.files).is_empty());
}

// ------------------------------------------------------- more rules

#[tokio::test]
async fn refuses_redeem_before_not_before() {
    let state = relay();
    let v = survivor();
    let now = now();
    // A share may be uploaded a little before it starts (a clock a few
    // minutes ahead)…
    let g = grant_window(&v, None, 1, now + 120, now + 3600);
    upload(&state, &v, &g).await.ok::<Value>();
    // …but not redeemed.
    redeem(&state, &g.id()).await.refused(403, "not_yet_valid");
}

#[tokio::test]
async fn accepts_upload_that_starts_within_the_clock_allowance() {
    let state = relay();
    let v = survivor();
    let now = now();
    // The allowance less a few seconds, so a tick of the relay's clock
    // during the test does not matter.
    let start = now + vault_core::relay::UPLOAD_START_ALLOWANCE_SECS - 5;
    let g = grant_window(&v, None, 1, start, start + 3600);
    upload(&state, &v, &g).await.ok::<Value>();
}

#[tokio::test]
async fn refuses_upload_that_starts_later_than_the_clock_allowance() {
    let state = relay();
    let v = survivor();
    let now = now();
    let start = now + vault_core::relay::UPLOAD_START_ALLOWANCE_SECS + 60;
    let g = grant_window(&v, None, 1, start, start + 3600);
    upload(&state, &v, &g).await.refused(400, "bad_request");
    // Nothing was kept.
    redeem(&state, &g.id()).await.refused(404, "not_found");
}

#[tokio::test]
async fn refuses_advocate_list_without_survivor() {
    send(&relay(), signed(&advocate(), "GET", "/v1/shares", b""))
        .await
        .refused(400, "bad_request");
}

#[tokio::test]
async fn refuses_list_with_undecodable_query() {
    let state = relay();
    let path = "/v1/shares?survivor=%ff";
    send(&state, signed(&advocate(), "GET", path, b""))
        .await
        .refused(400, "bad_request");
}

#[tokio::test]
async fn wrong_method_is_a_json_error() {
    let a = send(&relay(), unsigned("GET", "/v1/redeem", Vec::new())).await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.headers[header::ALLOW], "POST");
    assert!(a.json()["error"].is_string(), "answer: {}", a.text());
}

/// Runs `f` until it runs within one clock minute (rate windows are
/// per minute), at most three times.
async fn within_one_minute<F, Fut>(mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Vec<Answer>>,
{
    for _ in 0..3 {
        let before = now() / 60;
        let answers = f().await;
        if now() / 60 == before {
            let (last, rest) = answers.split_last().expect("at least one answer");
            for a in rest {
                a.refused(404, "not_found");
            }
            last.refused(429, "rate_limited");
            return;
        }
    }
    panic!("the minute changed during every attempt");
}

#[tokio::test]
async fn rate_limits_redemptions_of_one_token() {
    within_one_minute(|| async {
        let state = AppState::new(
            Box::new(MemoryStore::new()),
            Box::new(MemoryDocuments::new()),
            Identity::from_seed(Role::Relay, &[7; 32]),
            ORIGIN.into(),
            Limits {
                per_ip_per_minute: 1000,
                per_token_per_minute: 2,
                ..Limits::default()
            },
        );
        let id = hex(&[0x11; 32]);
        let mut out = Vec::new();
        for _ in 0..3 {
            out.push(redeem(&state, &id).await);
        }
        out
    })
    .await;
}

#[tokio::test]
async fn rate_limits_requests_from_one_address() {
    within_one_minute(|| async {
        let state = AppState::new(
            Box::new(MemoryStore::new()),
            Box::new(MemoryDocuments::new()),
            Identity::from_seed(Role::Relay, &[7; 32]),
            ORIGIN.into(),
            Limits {
                per_ip_per_minute: 2,
                per_token_per_minute: 1000,
                ..Limits::default()
            },
        );
        let mut out = Vec::new();
        for n in 0..3u8 {
            let mut req = unsigned("GET", "/no/such/route", Vec::new());
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                    [192, 0, 2, 1],
                    4000 + u16::from(n),
                ))));
            out.push(send(&state, req).await);
        }
        out
    })
    .await;
}

// ------------------------------------------- waiting for the disk

/// A store in memory whose flush fails once told to (as a disk that
/// refuses a sync), counting the flushes asked of it.
#[derive(Default)]
struct SyncSwitch {
    inner: MemoryStore,
    fail: AtomicBool,
    flushes: std::sync::atomic::AtomicU64,
}

impl Store for SyncSwitch {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, vault_core::store::StoreError> {
        self.inner.get(key)
    }
    fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), vault_core::store::StoreError> {
        self.inner.insert(key, value)
    }
    fn apply(&self, ops: Vec<vault_core::store::Op>) -> Result<(), vault_core::store::StoreError> {
        self.inner.apply(ops)
    }
    fn scan_prefix(
        &self,
        prefix: &[u8],
    ) -> Result<Vec<vault_core::store::Entry>, vault_core::store::StoreError> {
        self.inner.scan_prefix(prefix)
    }
    fn keys_with_prefix(
        &self,
        prefix: &[u8],
    ) -> Result<Vec<Vec<u8>>, vault_core::store::StoreError> {
        self.inner.keys_with_prefix(prefix)
    }
    fn flush(&self) -> Result<(), vault_core::store::StoreError> {
        self.flushes.fetch_add(1, SeqCst);
        if self.fail.load(SeqCst) {
            return Err(vault_core::store::StoreError::Io(
                "the disk refused a sync".into(),
            ));
        }
        Ok(())
    }
}

fn relay_over(store: &Arc<SyncSwitch>) -> AppState {
    AppState::new(
        Box::new(Arc::clone(store)),
        Box::new(MemoryDocuments::new()),
        Identity::from_seed(Role::Relay, &[7; 32]),
        ORIGIN.into(),
        Limits::default(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redemption_and_a_withdrawal_are_answered_only_once_a_flush_made_them_durable() {
    let store = Arc::new(SyncSwitch::default());
    let state = relay_over(&store);
    let v = survivor();
    let (g, w) = (grant(&v, None, 2), grant(&v, None, 2));
    upload(&state, &v, &g).await.ok::<Value>();
    upload(&state, &v, &w).await.ok::<Value>();
    for step in 0..2 {
        let before = store.flushes.load(SeqCst);
        if step == 0 {
            redeem(&state, &g.id()).await.ok::<RedeemResponse>();
        } else {
            revoke(&state, v.identity(), &w).await.ok::<Value>();
        }
        assert!(
            store.flushes.load(SeqCst) > before,
            "answered before a flush (step {step})"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redemption_whose_flush_fails_is_a_server_error_and_stops_the_relay() {
    let store = Arc::new(SyncSwitch::default());
    let state = relay_over(&store);
    let v = survivor();
    let g = grant(&v, None, 3);
    upload(&state, &v, &g).await.ok::<Value>();
    store.fail.store(true, SeqCst);
    redeem(&state, &g.id()).await.refused(500, "server_error");
    assert!(
        *state.inner.db.stopped().borrow(),
        "the relay is told to stop"
    );
    redeem(&state, &g.id()).await.refused(500, "server_error");
    revoke(&state, v.identity(), &g)
        .await
        .refused(500, "server_error");
}
