//! The OpenAPI 3.1 document served at `/openapi.json`, written out by
//! hand so it says exactly what the routes do.
//!
//! Every operation declares its parameters (the four signed-request
//! headers with the exact patterns `vault_core::relay::request` accepts),
//! its request body with an exact schema, and every status it can answer
//! with: its own refusals, and the ones every route shares (`408`, `413`,
//! `429`). Each error answer has the JSON error body, its `error` limited
//! to the stable codes that go with that status (`crate::error::codes`).
//! `405` (a known path, another method) and `404` (an unknown path) are in
//! `components.responses`, since no operation answers them for itself.
//! Every answer declares the headers every answer carries
//! ([`crate::headers`]), pages also `Cross-Origin-Opener-Policy`.
//!
//! The router tests check every answer they observe against this document
//! (`app/tests.rs`), and `scripts/schemathesis.sh` runs schemathesis
//! against a live relay with it (`docs/spec/relay-api.md` §14).

use serde_json::{json, Map, Value};

use crate::{error, headers};

/// The Bech32 data alphabet (`qpzry9x8gf2tvdw0s3jn54khce6mua7l`) as a
/// character class: digits and lower-case letters except `1`, `b`, `i`, `o`.
const BECH32: &str = "[02-9ac-hj-np-z]";
/// A 32-byte key in Bech32m: 52 data characters and 6 of checksum.
const ID_CHARS: usize = 58;

/// `x-vault-timestamp`: ASCII digits, no sign, no leading zero except
/// `0`. (Values above `u64::MAX`, which also match, are refused too.)
pub const TIMESTAMP_PATTERN: &str = "^(0|[1-9][0-9]{0,19})$";
/// 16 bytes in canonical base64url without padding: 22 characters, the
/// last with its 4 filler bits zero.
pub const NONCE_PATTERN: &str = "^[A-Za-z0-9_-]{21}[AQgw]$";
/// 64 bytes (an Ed25519 signature) in canonical base64url: 86 characters,
/// the last with its 4 filler bits zero.
pub const SIGNATURE_PATTERN: &str = "^[A-Za-z0-9_-]{85}[AQgw]$";
/// 32 bytes (a hash) in canonical base64url: 43 characters, the last with
/// its 2 filler bits zero.
pub const HASH_PATTERN: &str = "^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$";
/// Any bytes in canonical base64url without padding.
pub const BASE64URL_PATTERN: &str =
    "^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-][AQgw]|[A-Za-z0-9_-]{2}[AEIMQUYcgkosw048])?$";
/// A token id as the relay accepts it: 64 hex digits, either case.
pub const TOKEN_ID_PATTERN: &str = "^[0-9a-fA-F]{64}$";
/// A token id as the relay writes it: 64 lower-case hex digits.
const TOKEN_ID_OUT_PATTERN: &str = "^[0-9a-f]{64}$";
/// The largest JSON integer a `u64` field takes.
const U64_MAX: u64 = u64::MAX;

/// The pattern of a printed id of one of `roles` (`survivor`, `agency`, …),
/// in its canonical lower-case form.
pub fn id_pattern(roles: &[&str]) -> String {
    format!("^({})1{BECH32}{{{ID_CHARS}}}$", roles.join("|"))
}

/// Who may sign a request to a route.
#[derive(Clone, Copy)]
enum Signers {
    /// Not a signed request.
    Nobody,
    /// The survivor's main key only.
    Survivor,
    /// The survivor's main key, or an advocate's key.
    SurvivorOrAdvocate,
}

/// The statuses every route can answer with, whatever it does: a body
/// with malformed HTTP framing, the time limits, the body limit, and the
/// per-address limits (rate, requests in flight).
const EVERY_ROUTE: [u16; 4] = [400, 408, 413, 429];

/// One operation of the document.
struct Op {
    path: &'static str,
    method: &'static str,
    summary: &'static str,
    description: &'static str,
    signers: Signers,
    query: Vec<Value>,
    /// The request body's `content` (media type → schema), if any.
    body: Option<Value>,
    ok: (u16, Value),
    /// Its own error statuses (besides [`EVERY_ROUTE`]).
    errors: &'static [u16],
}

fn header(name: &str, pattern: &str, description: &str) -> Value {
    json!({
        "name": name,
        "in": "header",
        "required": true,
        "description": description,
        "schema": { "type": "string", "pattern": pattern }
    })
}

/// The four headers of a signed request (relay-api.md §4).
fn signed_headers(roles: &[&str]) -> Vec<Value> {
    vec![
        header(
            "x-vault-signer",
            &id_pattern(roles),
            "The signer's printed id (Bech32m, lower case).",
        ),
        header(
            "x-vault-timestamp",
            TIMESTAMP_PATTERN,
            "The signing time, seconds since 1970: ASCII digits, no sign, no leading zero; within 300 s of the relay's clock.",
        ),
        header(
            "x-vault-nonce",
            NONCE_PATTERN,
            "16 random bytes, base64url without padding; never used before.",
        ),
        header(
            "x-vault-signature",
            SIGNATURE_PATTERN,
            "Ed25519 signature over the request (relay-api.md §4.1), base64url without padding.",
        ),
    ]
}

fn json_content(schema: Value) -> Value {
    json!({ "application/json": { "schema": schema } })
}

/// A JSON request body of the named schema.
fn json_body(schema: &str) -> Value {
    json_content(schema_ref(schema))
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn ok_json(description: &str, schema: &str) -> (u16, Value) {
    (
        200,
        json!({ "description": description, "content": json_content(schema_ref(schema)) }),
    )
}

/// The headers on every answer (`crate::headers`), and on pages also
/// `Cross-Origin-Opener-Policy`.
pub fn answer_headers(page: bool) -> Map<String, Value> {
    let exact =
        |value: &str| json!({ "required": true, "schema": { "type": "string", "const": value } });
    let mut out = Map::new();
    for (name, value) in headers::EVERY_ANSWER {
        out.insert(display_name(name), exact(value));
    }
    if page {
        out.insert(
            display_name(headers::CROSS_ORIGIN_OPENER_POLICY.as_str()),
            exact(headers::COOP),
        );
    }
    out
}

/// `content-security-policy` → `Content-Security-Policy`.
fn display_name(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// A page's `200`: HTML, with the pages' headers.
fn page(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "text/html": { "schema": { "type": "string" } } },
        "headers": answer_headers(true),
    })
}

/// An asset's `200`: a style sheet, a script, a WebAssembly module, a
/// message catalogue the app fetches (`/web/pkg/es.ftl`), or the app's
/// manifest or an icon.
fn asset(description: &str) -> Value {
    json!({
        "description": description,
        "content": {
            "text/css": { "schema": { "type": "string" } },
            "text/javascript": { "schema": { "type": "string" } },
            "application/wasm": { "schema": { "type": "string", "format": "binary" } },
            "text/plain": { "schema": { "type": "string" } },
            "application/manifest+json": { "schema": { "type": "object" } },
            "image/svg+xml": { "schema": { "type": "string" } },
            "image/png": { "schema": { "type": "string", "format": "binary" } }
        },
    })
}

/// The `name` path parameter of `/web/{name}`, `/web/pkg/{name}` and
/// `/app/{name}`.
fn asset_name() -> Value {
    json!({
        "name": "name",
        "in": "path",
        "required": true,
        "description": "The file's exact name (letters, digits, '.', '_', '-').",
        "schema": { "type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$" }
    })
}

/// What each error status means, in the words of relay-api.md §13.
fn status_description(status: u16) -> &'static str {
    match status {
        400 => "bad_request: the request is not well-formed (on any route: a body with malformed HTTP framing), or not validly signed (every unsigned or badly signed request to a signed route gets this)",
        403 => "refused: not_yet_valid, wrong_audience, clock_skew (this clock is more than 300 s from the relay's) or no_permission",
        404 => "not_found: no such share, or not yours (they look the same); also any unknown path",
        405 => "method_not_allowed: the path exists but takes another method (see the Allow header)",
        408 => "timeout: the body did not arrive by its deadline (nothing was done), or the relay could not answer in time (whether anything changed is unknown); the connection is closed",
        409 => "conflict: this share is already at the relay, or being uploaded right now",
        503 => "busy: the relay has no room for this upload now (too many uploads, or too many bytes, under way from this address or in all); retry-after says when to try again",
        410 => "revoked, expired or used_up",
        413 => "too_large: the body is over the route's limit",
        429 => "rate_limited: too many requests from this address, or in flight from it (or for this token); try again later",
        500 => "server_error: the relay failed; whether anything changed is unknown",
        _ => "an error",
    }
}

/// The JSON error body of `status`, its code limited to that status's.
fn error_response(status: u16) -> Value {
    let codes: Vec<&str> = error::codes()
        .filter(|(_, s)| *s == status)
        .map(|(c, _)| c)
        .collect();
    let mut properties = json!({
        "error": { "type": "string", "enum": codes },
        "message": { "type": "string", "minLength": 1 }
    });
    if status == 403 {
        // `clock_skew` says the relay's time; `no_permission` may say
        // when the advocate's permission ended.
        properties["relay_time"] = json!({ "type": "integer", "minimum": 0, "maximum": U64_MAX });
        properties["ended_at"] = json!({ "type": "integer", "minimum": 0, "maximum": U64_MAX });
    }
    let mut response = json!({
        "description": status_description(status),
        "content": json_content(json!({
            "type": "object",
            "required": ["error", "message"],
            "additionalProperties": false,
            "properties": properties
        }))
    });
    let mut headers = answer_headers(false);
    if status == 503 {
        headers.insert(
            "Retry-After".into(),
            json!({ "required": true, "description": "Seconds to wait before trying again.", "schema": { "type": "string", "pattern": "^[0-9]+$" } }),
        );
    }
    if status == 405 {
        headers.insert(
            "Allow".into(),
            json!({ "required": true, "description": "The methods the path takes.", "schema": { "type": "string" } }),
        );
    }
    response["headers"] = Value::Object(headers);
    response
}

/// Every operation, in the order of relay-api.md §5.
fn operations() -> Vec<Op> {
    let survivor_query = json!({
        "name": "survivor",
        "in": "query",
        "required": false,
        "description": "For an advocate: the survivor whose shares to list (required then). Ignored for a survivor.",
        "schema": { "type": "string", "pattern": id_pattern(&["survivor"]) }
    });
    vec![
        Op {
            path: "/v1/shares",
            method: "post",
            summary: "Upload a signed token and its sealed share",
            description: "The body is the sealed share, raw (application/octet-stream); the signed token travels in x-vault-token (base64url); content-length is required and must equal the token's payload_len (chunked bodies are refused). The token must verify now and the share must be the bytes it signed: its SHA-256 is the token's payload_hash, which is also the body hash the request signature covers, so the relay checks everything but the bytes before reading any. The share is filed under the survivor whose main key signed the request.",
            signers: Signers::Survivor,
            query: vec![header(
                "x-vault-token",
                BASE64URL_PATTERN,
                "The signed consent token (consent-token-v1), base64url without padding.",
            )],
            body: Some(json!({ "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } })),
            ok: ok_json("stored", "UploadResponse"),
            errors: &[400, 403, 409, 500, 503],
        },
        Op {
            path: "/v1/shares",
            method: "get",
            summary: "List a survivor's shares (metadata only)",
            description: "Advocates add ?survivor=survivor1… and see the list, with permission_until, only with a live delegation; otherwise 403 no_permission (with ended_at only if a delegation from that survivor to them ran out).",
            signers: Signers::SurvivorOrAdvocate,
            query: vec![survivor_query],
            body: None,
            ok: ok_json("ok", "SharesResponse"),
            errors: &[400, 403, 500],
        },
        Op {
            path: "/v1/redeem",
            method: "post",
            summary: "Redeem a token: one atomic, durable step",
            description: "Unsigned. Audience-bound tokens need agency, timestamp and proof (the agency's signature over label, origin, token id and timestamp). A token id the relay does not hold answers 404.",
            signers: Signers::Nobody,
            query: Vec::new(),
            body: Some(json_body("RedeemRequest")),
            ok: ok_json("granted", "RedeemResponse"),
            errors: &[400, 403, 404, 410, 500],
        },
        Op {
            path: "/v1/revoke",
            method: "post",
            summary: "Withdraw one share",
            description: "By the survivor, or an advocate with a live delegation from the share's survivor. Withdrawing twice answers an empty list. An advocate whose delegation from the share's survivor ran out gets 403 no_permission with ended_at; one who never had one, 404.",
            signers: Signers::SurvivorOrAdvocate,
            query: Vec::new(),
            body: Some(json_body("RevokeRequest")),
            ok: ok_json("withdrawn", "RevokeResponse"),
            errors: &[400, 403, 404, 500],
        },
        Op {
            path: "/v1/revoke-all",
            method: "post",
            summary: "Withdraw every share of a survivor",
            description: "A survivor sends {}; an advocate names the survivor and needs a live delegation, otherwise 403 no_permission (with ended_at only if a delegation from that survivor to them ran out) and nothing is withdrawn.",
            signers: Signers::SurvivorOrAdvocate,
            query: Vec::new(),
            body: Some(json_body("RevokeAllRequest")),
            ok: ok_json("withdrawn", "RevokeResponse"),
            errors: &[400, 403, 500],
        },
        Op {
            path: "/v1/delegations",
            method: "get",
            summary: "List delegations: a survivor's own, or those naming an advocate",
            description: "To a survivor, the delegations they gave; to an advocate, those naming them; ended ones included, soonest end first.",
            signers: Signers::SurvivorOrAdvocate,
            query: Vec::new(),
            body: None,
            ok: ok_json("ok", "DelegationsResponse"),
            errors: &[400, 403, 500],
        },
        Op {
            path: "/v1/delegations",
            method: "post",
            summary: "Let an advocate list and withdraw shares until a time",
            description: "At most 90 days ahead.",
            signers: Signers::Survivor,
            query: Vec::new(),
            body: Some(json_body("DelegationRequest")),
            ok: (204, json!({ "description": "recorded" })),
            errors: &[400, 403, 500],
        },
        Op {
            path: "/v1/delegations/remove",
            method: "post",
            summary: "Remove an advocate's permission",
            description: "404 if there was none.",
            signers: Signers::Survivor,
            query: Vec::new(),
            body: Some(json_body("UndelegateRequest")),
            ok: (204, json!({ "description": "removed" })),
            errors: &[400, 403, 404, 500],
        },
        Op {
            path: "/v1/log",
            method: "get",
            summary: "The survivor's hash-chained log and a signed head",
            description: "",
            signers: Signers::Survivor,
            query: Vec::new(),
            body: None,
            ok: ok_json("ok", "LogResponse"),
            errors: &[400, 403, 500],
        },
        Op {
            path: "/v1/relay",
            method: "get",
            summary: "The relay's id and origin, and the hash of the web bundle it serves",
            description: "",
            signers: Signers::Nobody,
            query: Vec::new(),
            body: None,
            ok: ok_json("ok", "RelayInfo"),
            errors: &[],
        },
        Op {
            path: "/healthz",
            method: "get",
            summary: "Liveness",
            description: "",
            signers: Signers::Nobody,
            query: Vec::new(),
            body: None,
            ok: ok_json("up", "Health"),
            errors: &[],
        },
        Op {
            path: "/metrics",
            method: "get",
            summary: "Counters, Prometheus text format",
            description: "",
            signers: Signers::Nobody,
            query: Vec::new(),
            body: None,
            ok: (
                200,
                json!({ "description": "Prometheus text format 0.0.4", "content": { "text/plain": { "schema": { "type": "string" } } } }),
            ),
            errors: &[],
        },
        Op {
            path: "/openapi.json",
            method: "get",
            summary: "This document",
            description: "",
            signers: Signers::Nobody,
            query: Vec::new(),
            body: None,
            ok: (
                200,
                json!({ "description": "OpenAPI 3.1", "content": json_content(json!({ "type": "object", "required": ["openapi", "paths"] })) }),
            ),
            errors: &[],
        },
        Op {
            path: "/",
            method: "get",
            summary: "The relay's own page: a few neutral words, no data",
            description: "web/home.html as embedded when the relay was built.",
            signers: Signers::Nobody,
            query: Vec::new(),
            body: None,
            ok: (200, page("the page")),
            errors: &[404],
        },
        Op {
            path: "/S",
            method: "get",
            summary: "The page a share link opens in a browser (the secret stays in the fragment)",
            description: "web/share.html as embedded when the relay was built, its Subresource Integrity placeholders filled in (docs/spec/web-bundle.md). 404 if the relay was built without it.",
            signers: Signers::Nobody,
            query: Vec::new(),
            body: None,
            ok: (200, page("the page")),
            errors: &[404],
        },
        Op {
            path: "/web/{name}",
            method: "get",
            summary: "A script or style sheet of the pages (web/*.css, web/*.js)",
            description: "Exact names only, as embedded when the relay was built; any other name answers 404.",
            signers: Signers::Nobody,
            query: vec![asset_name()],
            body: None,
            ok: (200, asset("the file")),
            errors: &[404],
        },
        Op {
            path: "/web/pkg/{name}",
            method: "get",
            summary: "The WebAssembly module and its JavaScript glue (web/pkg/*.js, web/pkg/*.wasm)",
            description: "Exact names only, as embedded when the relay was built; any other name answers 404.",
            signers: Signers::Nobody,
            query: vec![asset_name()],
            body: None,
            ok: (200, asset("the file")),
            errors: &[404],
        },
        Op {
            path: "/app/",
            method: "get",
            summary: "The survivor's app (Folio): one page, every screen in place",
            description: "web/app/index.html as embedded when the relay was built, its Subresource Integrity placeholders filled in (docs/spec/web-bundle.md). 404 if the relay was built without it.",
            signers: Signers::Nobody,
            query: Vec::new(),
            body: None,
            ok: (200, page("the page")),
            errors: &[404],
        },
        Op {
            path: "/app/{name}",
            method: "get",
            summary: "A file of the survivor's app: script, style sheet, Worker, service worker, manifest or icon (web/app/*)",
            description: "Exact names only, as embedded when the relay was built; any other name answers 404.",
            signers: Signers::Nobody,
            query: vec![asset_name()],
            body: None,
            ok: (200, asset("the file")),
            errors: &[404],
        },
    ]
}

fn operation(op: &Op) -> Value {
    let mut parameters = op.query.clone();
    let signed = match op.signers {
        Signers::Nobody => None,
        Signers::Survivor => Some(&["survivor"][..]),
        Signers::SurvivorOrAdvocate => Some(&["survivor", "advocate"][..]),
    };
    if let Some(roles) = signed {
        parameters.extend(signed_headers(roles));
    }
    let mut statuses: Vec<u16> = op.errors.iter().chain(&EVERY_ROUTE).copied().collect();
    statuses.sort_unstable();
    let mut responses = Map::new();
    let mut ok = op.ok.1.clone();
    if ok.get("headers").is_none() {
        ok["headers"] = Value::Object(answer_headers(false));
    }
    responses.insert(op.ok.0.to_string(), ok);
    for s in statuses {
        responses.insert(
            s.to_string(),
            json!({ "$ref": format!("#/components/responses/E{s}") }),
        );
    }
    let mut description = op.description.to_owned();
    if let Some(roles) = signed {
        let who = roles.join(" or ");
        description = format!(
            "{description} Signed request ({who}): headers x-vault-signer, x-vault-timestamp, x-vault-nonce, x-vault-signature (relay-api.md §4). An unsigned or badly signed request answers 400 bad_request."
        )
        .trim_start()
        .to_owned();
    }
    let mut out = json!({
        "summary": op.summary,
        "operationId": format!("{}{}", op.method, op.path.replace(['/', '-', '.', '{', '}'], "_")),
        "responses": responses,
    });
    if !description.is_empty() {
        out["description"] = json!(description);
    }
    if !parameters.is_empty() {
        out["parameters"] = json!(parameters);
    }
    if let Some(content) = &op.body {
        out["requestBody"] = json!({ "required": true, "content": content });
    }
    out
}

/// The request and answer bodies (`vault_core::relay::api`).
fn schemas() -> Value {
    let b64 = json!({ "type": "string", "pattern": BASE64URL_PATTERN });
    let token_id_in = json!({ "type": "string", "pattern": TOKEN_ID_PATTERN });
    let token_id_out = json!({ "type": "string", "pattern": TOKEN_ID_OUT_PATTERN });
    let time = json!({ "type": "integer", "minimum": 0, "maximum": U64_MAX });
    let count = json!({ "type": "integer", "minimum": 0, "maximum": u32::MAX });
    let id = |role: &str| json!({ "type": "string", "pattern": id_pattern(&[role]) });
    let all_codes: Vec<&str> = error::codes().map(|(c, _)| c).collect();
    json!({
        "Error": {
            "type": "object",
            "required": ["error", "message"],
            "additionalProperties": false,
            "description": "Every error answer. `error` is stable; `message` is for people and may change.",
            "properties": {
                "error": { "type": "string", "enum": all_codes },
                "message": { "type": "string", "minLength": 1 },
                "relay_time": {
                    "type": "integer", "minimum": 0, "maximum": U64_MAX,
                    "description": "clock_skew only: the relay's time, seconds since 1970."
                },
                "ended_at": {
                    "type": "integer", "minimum": 0, "maximum": U64_MAX,
                    "description": "no_permission only, when a delegation from that survivor to this advocate existed and ran out: when."
                }
            }
        },
        "Health": {
            "type": "object", "required": ["status"], "additionalProperties": false,
            "properties": { "status": { "const": "ok" } }
        },
        "RelayInfo": {
            "type": "object", "required": ["relay", "origin", "web_bundle"], "additionalProperties": false,
            "properties": {
                "relay": id("relay"),
                "origin": { "type": "string", "pattern": "^https?://[^/]+$" },
                "web_bundle": {
                    "type": "string", "pattern": "^sha256:[0-9a-f]{64}$",
                    "description": "The hash of the pages and assets the relay serves (docs/spec/web-bundle.md)."
                }
            }
        },
        "UploadResponse": {
            "type": "object", "required": ["token_id"], "additionalProperties": false,
            "properties": { "token_id": token_id_out }
        },
        "RedeemRequest": {
            "type": "object", "required": ["token_id"], "additionalProperties": false,
            "description": "An agency that names itself must send its proof and the proof's time too.",
            "dependentRequired": { "agency": ["timestamp", "proof"] },
            "properties": {
                "token_id": token_id_in,
                "agency": id("agency"),
                "timestamp": time,
                "proof": { "type": "string", "pattern": SIGNATURE_PATTERN }
            }
        },
        "RedeemResponse": {
            "type": "object",
            "required": ["token", "share", "receipt", "receipt_signature", "relay"],
            "additionalProperties": false,
            "properties": {
                "token": b64, "share": b64, "receipt": b64,
                "receipt_signature": { "type": "string", "pattern": SIGNATURE_PATTERN },
                "relay": id("relay")
            }
        },
        "RevokeRequest": {
            "type": "object", "required": ["token_id"], "additionalProperties": false,
            "properties": { "token_id": token_id_in }
        },
        "RevokeAllRequest": {
            "type": "object", "additionalProperties": false,
            "description": "A survivor sends {}; an advocate names the survivor.",
            "properties": { "survivor": id("survivor") }
        },
        "RevokeResponse": {
            "type": "object", "required": ["revoked"], "additionalProperties": false,
            "properties": { "revoked": { "type": "array", "items": token_id_out } }
        },
        "DelegationRequest": {
            "type": "object", "required": ["advocate", "until"], "additionalProperties": false,
            "description": "`until` must be after now and at most 90 days ahead.",
            "properties": { "advocate": id("advocate"), "until": time }
        },
        "UndelegateRequest": {
            "type": "object", "required": ["advocate"], "additionalProperties": false,
            "properties": { "advocate": id("advocate") }
        },
        "ShareInfo": {
            "type": "object",
            "required": ["token_id", "audience", "not_before", "expires", "max_uses", "uses", "status", "created"],
            "additionalProperties": false,
            "properties": {
                "token_id": token_id_out,
                "audience": { "oneOf": [id("agency"), { "type": "null" }] },
                "not_before": time, "expires": time,
                "max_uses": count, "uses": count,
                "status": { "type": "string", "enum": ["active", "expired", "used_up", "revoked"] },
                "created": time
            }
        },
        "SharesResponse": {
            "type": "object", "required": ["shares"], "additionalProperties": false,
            "properties": {
                "shares": { "type": "array", "items": schema_ref("ShareInfo") },
                "permission_until": {
                    "type": "integer", "minimum": 0, "maximum": U64_MAX,
                    "description": "To an advocate only: until when their permission from this survivor lasts."
                }
            }
        },
        "DelegationInfo": {
            "type": "object", "required": ["survivor", "advocate", "until"], "additionalProperties": false,
            "properties": { "survivor": id("survivor"), "advocate": id("advocate"), "until": time }
        },
        "DelegationsResponse": {
            "type": "object", "required": ["delegations"], "additionalProperties": false,
            "properties": { "delegations": { "type": "array", "items": schema_ref("DelegationInfo") } }
        },
        "LogResponse": {
            "type": "object", "required": ["entries", "head", "relay"], "additionalProperties": false,
            "properties": {
                "entries": { "type": "array", "items": b64 },
                "head": {
                    "type": "object", "required": ["seq", "hash", "at", "signature"], "additionalProperties": false,
                    "properties": {
                        "seq": time,
                        "hash": { "type": "string", "pattern": HASH_PATTERN },
                        "at": time,
                        "signature": { "type": "string", "pattern": SIGNATURE_PATTERN }
                    }
                },
                "relay": id("relay")
            }
        }
    })
}

/// The whole document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for op in operations() {
        let item = paths
            .entry(op.path.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        item[op.method] = operation(&op);
    }
    let mut responses = Map::new();
    let mut statuses: Vec<u16> = error::codes().map(|(_, s)| s).collect();
    statuses.sort_unstable();
    statuses.dedup();
    for s in statuses {
        responses.insert(format!("E{s}"), error_response(s));
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Folio relay",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "A blind relay: stores signed consent tokens and sealed shares, counts uses atomically, refuses after expiry or revocation, and keeps a hash-chained log per survivor. Signed requests, the decision order, storage and limits are in docs/spec/relay-api.md. Any path answers 404 (components.responses.E404) if unknown and 405 (E405, with Allow) for a method it does not take."
        },
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "responses": responses
        }
    })
}
