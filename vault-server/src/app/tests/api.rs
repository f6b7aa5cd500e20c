//! The relay's API surface against its description: every answer a router
//! test observes is checked against `/openapi.json` (status, content type,
//! body schema, declared headers), and every request the relay accepted
//! must be one the document describes. Then the rules of the surface
//! itself: routes and methods, signed headers and their exact spelling,
//! the stable error codes, `405`, `408`.
//!
//! The schemas are checked by a small validator of the JSON Schema subset
//! the document uses; it refuses any keyword it does not know, so nothing
//! in the document goes unchecked by accident.

use std::sync::OnceLock;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use regex::Regex;
use serde_json::{json, Value};
use tower::ServiceExt;
use vault_core::relay::request::{self, parse_timestamp};
use vault_core::relay::{unb64_array, Refusal};

use super::{
    advocate, delegate, grant, now, relay, revoke, send, sign_at, signed, survivor, unsigned,
    upload, Answer, APP_SOURCE,
};
use crate::app::app;
use crate::error;
use crate::openapi::{
    id_pattern, NONCE_PATTERN, SIGNATURE_PATTERN, TIMESTAMP_PATTERN, TOKEN_ID_PATTERN,
};

/// The relay's own specification, whose §13 lists every error code.
const SPEC: &str = include_str!("../../../../docs/spec/relay-api.md");

/// The document, built once.
pub(super) fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(crate::openapi::document)
}

/// Follows a local `$ref`.
fn resolve(v: &Value) -> &Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let target = document()
                .pointer(r.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("{r} points nowhere in /openapi.json"));
            resolve(target)
        }
        None => v,
    }
}

fn integer(v: &Value) -> Option<i128> {
    v.as_u64()
        .map(i128::from)
        .or_else(|| v.as_i64().map(i128::from))
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => integer(v).is_some(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        other => panic!("unknown JSON Schema type {other}"),
    }
}

/// Validates `value` against `schema` (the subset /openapi.json uses).
pub(super) fn validate(schema: &Value, value: &Value) -> Result<(), String> {
    let schema = resolve(schema);
    let keywords = schema
        .as_object()
        .unwrap_or_else(|| panic!("a schema is an object: {schema}"));
    for (k, s) in keywords {
        match k.as_str() {
            "description" => {}
            "type" => {
                let ok = match s {
                    Value::String(t) => has_type(value, t),
                    Value::Array(ts) => ts
                        .iter()
                        .any(|t| has_type(value, t.as_str().expect("type names"))),
                    _ => panic!("bad type keyword {s}"),
                };
                if !ok {
                    return Err(format!("{value} is not of type {s}"));
                }
            }
            "required" => {
                if let Some(o) = value.as_object() {
                    for name in s.as_array().expect("required is a list") {
                        let name = name.as_str().expect("names");
                        if !o.contains_key(name) {
                            return Err(format!("{name} is missing from {value}"));
                        }
                    }
                }
            }
            "dependentRequired" => {
                if let Some(o) = value.as_object() {
                    for (if_present, needs) in s.as_object().expect("a map") {
                        if o.contains_key(if_present) {
                            for n in needs.as_array().expect("a list") {
                                let n = n.as_str().expect("names");
                                if !o.contains_key(n) {
                                    return Err(format!("{if_present} needs {n} in {value}"));
                                }
                            }
                        }
                    }
                }
            }
            "properties" => {
                if let Some(o) = value.as_object() {
                    for (name, sub) in s.as_object().expect("properties is a map") {
                        if let Some(v) = o.get(name) {
                            validate(sub, v).map_err(|e| format!("{name}: {e}"))?;
                        }
                    }
                }
            }
            "additionalProperties" => {
                assert_eq!(s, &json!(false), "only `false` is used");
                if let Some(o) = value.as_object() {
                    let known = keywords.get("properties").and_then(Value::as_object);
                    for name in o.keys() {
                        if !known.is_some_and(|k| k.contains_key(name)) {
                            return Err(format!("{name} is not a declared property of {value}"));
                        }
                    }
                }
            }
            "items" => {
                if let Some(a) = value.as_array() {
                    for v in a {
                        validate(s, v)?;
                    }
                }
            }
            "pattern" => {
                if let Some(text) = value.as_str() {
                    let re = Regex::new(s.as_str().expect("a pattern is a string"))
                        .expect("the document's patterns compile");
                    if !re.is_match(text) {
                        return Err(format!("{text:?} does not match {s}"));
                    }
                }
            }
            "enum" => {
                if !s.as_array().expect("enum is a list").contains(value) {
                    return Err(format!("{value} is not one of {s}"));
                }
            }
            "const" => {
                if s != value {
                    return Err(format!("{value} is not {s}"));
                }
            }
            "minimum" | "maximum" => {
                if let (Some(v), Some(bound)) = (integer(value), integer(s)) {
                    let ok = if k == "minimum" {
                        v >= bound
                    } else {
                        v <= bound
                    };
                    if !ok {
                        return Err(format!("{value} is out of range ({k} {s})"));
                    }
                }
            }
            "minLength" => {
                if let Some(text) = value.as_str() {
                    let min = s.as_u64().expect("a length");
                    if (text.chars().count() as u64) < min {
                        return Err(format!("{text:?} is shorter than {min}"));
                    }
                }
            }
            "oneOf" => {
                let matching = s
                    .as_array()
                    .expect("oneOf is a list")
                    .iter()
                    .filter(|sub| validate(sub, value).is_ok())
                    .count();
                if matching != 1 {
                    return Err(format!("{value} matches {matching} of oneOf {s}"));
                }
            }
            other => panic!("the test validator does not know the keyword {other}"),
        }
    }
    Ok(())
}

/// What a test sent, kept to check the answer against the document.
pub(super) struct Sent {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// The operation the document declares for `method` on `path`, if any,
/// and whether the path is declared at all.
fn operation(method: &Method, path: &str) -> (bool, Option<&'static Value>) {
    let paths = document()["paths"].as_object().expect("paths");
    let item = paths.get(path).or_else(|| {
        paths
            .iter()
            .find(|(template, _)| matches_template(template, path))
            .map(|(_, item)| item)
    });
    let op = item.and_then(|i| i.get(method.as_str().to_ascii_lowercase()));
    (item.is_some(), op)
}

/// Whether `path` is an instance of `template` (`/web/{name}`): the same
/// segments, a `{…}` one matching any single non-empty segment.
fn matches_template(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    template.contains('{')
        && t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| {
            if t.starts_with('{') && t.ends_with('}') {
                !p.is_empty()
            } else {
                t == p
            }
        })
}

/// Asserts that `answer` is one the document declares for `sent`, and
/// that a request the relay accepted is one the document describes.
#[track_caller]
pub(super) fn check(sent: &Sent, answer: &Answer) {
    let status = answer.status.as_u16();
    let what = format!("{} {} answered {status}", sent.method, sent.path);
    let (path_known, op) = operation(&sent.method, &sent.path);
    let response = match op {
        Some(op) => op["responses"].get(status.to_string()).unwrap_or_else(|| {
            panic!(
                "{what}, which /openapi.json does not declare for it: {}",
                answer.text()
            )
        }),
        None => {
            // No operation: only what any path can answer.
            let own = if path_known { 405 } else { 404 };
            assert!(
                [own, 400, 408, 413, 429].contains(&status),
                "{what}, which no path without this operation answers: {}",
                answer.text()
            );
            &document()["components"]["responses"][format!("E{status}")]
        }
    };
    let response = resolve(response);
    match response.get("content").and_then(Value::as_object) {
        None => assert!(
            answer.body.is_empty(),
            "{what} with a body the document does not declare: {}",
            answer.text()
        ),
        Some(content) => {
            let ct = answer
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let media = ct.split(';').next().unwrap_or("").trim();
            let m = content.get(media).unwrap_or_else(|| {
                panic!(
                    "{what} with content type {ct:?}, not one of {:?}",
                    content.keys().collect::<Vec<_>>()
                )
            });
            if media == "application/json" {
                let body: Value = serde_json::from_slice(&answer.body)
                    .unwrap_or_else(|e| panic!("{what} with a body that is not JSON ({e})"));
                if let Err(e) = validate(&m["schema"], &body) {
                    panic!("{what} with a body that does not fit its schema: {e}");
                }
            }
        }
    }
    if let Some(headers) = response.get("headers").and_then(Value::as_object) {
        for (name, h) in headers {
            match answer.headers.get(name).and_then(|v| v.to_str().ok()) {
                Some(v) => {
                    if let Err(e) = validate(&h["schema"], &json!(v)) {
                        panic!("{what} with header {name}: {e}");
                    }
                }
                None => assert!(
                    h["required"] != json!(true),
                    "{what} without the declared header {name}"
                ),
            }
        }
    }
    if let (true, Some(op)) = (answer.status.is_success(), op) {
        check_request(op, sent, &what);
    }
}

/// A request the relay accepted must fit the operation's parameters and
/// body schema: otherwise the document is stricter than the relay.
#[track_caller]
fn check_request(op: &Value, sent: &Sent, what: &str) {
    let empty = Vec::new();
    for p in op["parameters"].as_array().unwrap_or(&empty) {
        let p = resolve(p);
        let name = p["name"].as_str().expect("a parameter has a name");
        let value = match p["in"].as_str() {
            Some("header") => sent
                .headers
                .get(name)
                .map(|v| v.to_str().expect("test headers are text").to_owned()),
            Some("query") => sent.query.as_deref().and_then(|q| {
                q.split('&')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_owned())
            }),
            Some("path") => path_parameter(op, &sent.path, name),
            other => panic!("unexpected parameter location {other:?}"),
        };
        match value {
            Some(v) => {
                if let Err(e) = validate(&p["schema"], &json!(v)) {
                    panic!("{what}, accepting {name} that the document refuses: {e}");
                }
            }
            None => assert!(
                p["required"] != json!(true),
                "{what}, accepting a request without the required {name}"
            ),
        }
    }
    // A JSON body must fit its schema; another media type (a raw share,
    // say) has nothing here to check it against.
    if let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") {
        let v: Value = serde_json::from_slice(&sent.body)
            .unwrap_or_else(|e| panic!("{what}, accepting a body that is not JSON ({e})"));
        if let Err(e) = validate(schema, &v) {
            panic!("{what}, accepting a body the document refuses: {e}");
        }
    }
}

/// The value of the path parameter `name` of `op` in `path`: the segment
/// where the template of `op`'s path has `{name}`.
fn path_parameter(op: &Value, path: &str, name: &str) -> Option<String> {
    let (template, _) = document()["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .find(|(_, item)| {
            item.as_object()
                .is_some_and(|ops| ops.values().any(|o| std::ptr::eq(o, op)))
        })
        .expect("the operation is in the document");
    let slot = format!("{{{name}}}");
    template
        .split('/')
        .zip(path.split('/'))
        .find(|(t, _)| *t == slot)
        .map(|(_, p)| p.to_owned())
}

/// The routes app.rs declares, each with its methods:
/// `.route("PATH", get(…).post(…))`, on one line or, as rustfmt wraps a
/// long one, with the methods on the next.
fn routes_in_app_rs() -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for rest in APP_SOURCE.split(".route(").skip(1) {
        let rest = rest.trim_start().strip_prefix('"').expect("a quoted path");
        let (path, tail) = rest.split_once('"').expect("a quoted path");
        let mut lines = tail.lines();
        let first = lines.next().unwrap_or("");
        let line = if first.trim() == "," {
            lines.next().unwrap_or("")
        } else {
            first
        };
        let methods = ["get", "post", "put", "delete", "patch"]
            .into_iter()
            .filter(|m| {
                line.match_indices(&format!("{m}("))
                    .any(|(i, _)| i == 0 || !line.as_bytes()[i - 1].is_ascii_alphanumeric())
            })
            .map(str::to_owned)
            .collect();
        out.push((path.to_owned(), methods));
    }
    out
}

// ------------------------------------------------------------- the document

#[test]
fn declares_every_route_and_method_of_app_rs_and_nothing_else() {
    let routes = routes_in_app_rs();
    assert!(routes.len() >= 12, "found routes: {routes:?}");
    let paths = document()["paths"].as_object().expect("paths");
    for (path, methods) in &routes {
        assert!(!methods.is_empty(), "{path}: no method found in app.rs");
        let item = paths
            .get(path)
            .unwrap_or_else(|| panic!("{path} is not in /openapi.json"));
        let mut declared: Vec<&String> = item.as_object().expect("a path item").keys().collect();
        declared.sort();
        let mut served: Vec<&String> = methods.iter().collect();
        served.sort();
        assert_eq!(declared, served, "{path}: documented vs served methods");
    }
    for p in paths.keys() {
        assert!(
            routes.iter().any(|(r, _)| r == p),
            "{p} is documented but not served"
        );
    }
}

/// Each signed route with who may sign it: the extractor in its handler
/// (`Signed` or `SignedBySurvivor`), as routes/*.rs declare.
const SIGNED: [(&str, &str, &[&str]); 8] = [
    ("post", "/v1/shares", &["survivor"]),
    ("get", "/v1/shares", &["survivor", "advocate"]),
    ("post", "/v1/revoke", &["survivor", "advocate"]),
    ("post", "/v1/revoke-all", &["survivor", "advocate"]),
    ("post", "/v1/delegations", &["survivor"]),
    ("get", "/v1/delegations", &["survivor", "advocate"]),
    ("post", "/v1/delegations/remove", &["survivor"]),
    ("get", "/v1/log", &["survivor"]),
];

#[test]
fn declares_the_four_signed_headers_with_exact_patterns_on_every_signed_route() {
    let paths = document()["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("a path item") {
            let signers = SIGNED
                .iter()
                .find(|(m, p, _)| m == method && p == path)
                .map(|(_, _, s)| *s);
            let empty = Vec::new();
            let headers: Vec<(&str, &str)> = op["parameters"]
                .as_array()
                .unwrap_or(&empty)
                .iter()
                .filter(|p| p["in"] == "header")
                // Only the four signature headers: a route may take others
                // (an upload's token, say).
                .filter(|p| {
                    [
                        request::H_SIGNER,
                        request::H_TIMESTAMP,
                        request::H_NONCE,
                        request::H_SIGNATURE,
                    ]
                    .contains(&p["name"].as_str().unwrap_or(""))
                })
                .map(|p| {
                    assert_eq!(p["required"], true, "{method} {path}: {p}");
                    (
                        p["name"].as_str().expect("a name"),
                        p["schema"]["pattern"].as_str().expect("a pattern"),
                    )
                })
                .collect();
            match signers {
                Some(roles) => assert_eq!(
                    headers,
                    [
                        (request::H_SIGNER, id_pattern(roles).as_str()),
                        (request::H_TIMESTAMP, TIMESTAMP_PATTERN),
                        (request::H_NONCE, NONCE_PATTERN),
                        (request::H_SIGNATURE, SIGNATURE_PATTERN),
                    ],
                    "{method} {path}"
                ),
                None => assert!(headers.is_empty(), "{method} {path} is not signed"),
            }
        }
    }
}

#[test]
fn patterns_match_what_the_relay_accepts_and_nothing_it_refuses() {
    let re = |p: &str| Regex::new(p).expect("the document's patterns compile");
    let (ts, nonce, sig) = (
        re(TIMESTAMP_PATTERN),
        re(NONCE_PATTERN),
        re(SIGNATURE_PATTERN),
    );
    // Timestamps: the pattern and the parser agree on every spelling
    // (the pattern also lets through 20-digit values above u64::MAX,
    // which the relay refuses: the document says so).
    for t in [
        "0",
        "7",
        "1795000000",
        "18446744073709551615",
        "+1",
        "-1",
        "01",
        "00",
        "",
        " 1",
        "1e3",
        "0x1",
    ] {
        assert_eq!(ts.is_match(t), parse_timestamp(t).is_some(), "{t:?}");
    }
    // What a real signer sends matches; the refused spellings do not.
    let v = survivor();
    for (signer, roles) in [
        (v.identity(), &["survivor"][..]),
        (&advocate(), &["survivor", "advocate"][..]),
    ] {
        let h = sign_at(signer, "POST", "/v1/revoke", now(), b"{}");
        let get = |n: &str| {
            h.iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.clone())
                .expect("sign sets it")
        };
        let id = get(request::H_SIGNER);
        let signer_re = re(&id_pattern(roles));
        assert!(signer_re.is_match(&id), "{id}");
        assert!(!signer_re.is_match(&id.to_uppercase()));
        assert!(ts.is_match(&get(request::H_TIMESTAMP)));
        for (value, re, len) in [
            (get(request::H_NONCE), &nonce, 16),
            (get(request::H_SIGNATURE), &sig, 64),
        ] {
            assert!(re.is_match(&value), "{value}");
            let (head, _) = value.split_at(value.len() - 1);
            for bad in [
                format!("{value}=="),
                format!("{head}B"),
                format!("{head}+"),
                head.to_owned(),
            ] {
                assert!(!re.is_match(&bad), "{bad:?} matches");
                let decoded = match len {
                    16 => unb64_array::<16>(&bad).map(|_| ()),
                    _ => unb64_array::<64>(&bad).map(|_| ()),
                };
                assert_eq!(decoded, None, "{bad:?} decodes");
            }
        }
    }
    let hex = re(TOKEN_ID_PATTERN);
    assert!(hex.is_match(&"aB".repeat(32)));
    assert!(!hex.is_match(&"+f".repeat(32)));
    assert!(vault_core::relay::unhex(&"+f".repeat(32)).is_none());
}

// ---------------------------------------------------------- error codes

/// The codes in relay-api.md §13, with their statuses.
fn codes_in_the_spec() -> Vec<(String, u16)> {
    let table = SPEC
        .split("## 13. Refusal codes")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the spec has §13");
    table
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let code = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            let status = cells.get(2)?.parse().ok()?;
            Some((code.to_owned(), status))
        })
        .collect()
}

#[test]
fn lists_every_error_code_in_the_spec_and_the_document() {
    let mut ours: Vec<(String, u16)> = error::codes().map(|(c, s)| (c.to_owned(), s)).collect();
    ours.sort();
    let mut spec = codes_in_the_spec();
    spec.sort();
    assert_eq!(ours, spec, "error::codes() vs relay-api.md §13");
    let enumerated: Vec<&str> = document()["components"]["schemas"]["Error"]["properties"]["error"]
        ["enum"]
        .as_array()
        .expect("an enumeration")
        .iter()
        .map(|c| c.as_str().expect("codes"))
        .collect();
    for (code, status) in &ours {
        assert!(enumerated.contains(&code.as_str()), "{code} not in Error");
        let per_status = &document()["components"]["responses"][format!("E{status}")]["content"]
            ["application/json"]["schema"]["properties"]["error"]["enum"];
        assert!(
            per_status
                .as_array()
                .is_some_and(|a| a.contains(&json!(code))),
            "{code} not in E{status}"
        );
    }
}

#[tokio::test]
async fn answers_a_wrong_method_with_a_code_the_spec_lists() {
    for (method, path) in [
        ("GET", "/v1/redeem"),
        ("DELETE", "/v1/shares"),
        ("PUT", "/healthz"),
    ] {
        let a = send(&relay(), unsigned(method, path, Vec::new())).await;
        a.refused(405, "method_not_allowed");
        assert!(a.headers.contains_key(header::ALLOW), "{method} {path}");
        let code = a.json()["error"].as_str().map(str::to_owned);
        assert!(
            codes_in_the_spec()
                .iter()
                .any(|(c, s)| Some(c) == code.as_ref() && *s == 405),
            "{code:?} is not in relay-api.md §13"
        );
    }
    assert_eq!(
        Refusal::from_code("method_not_allowed"),
        Some(Refusal::MethodNotAllowed)
    );
}

/// A body that never ends.
struct Endless;

impl axum::body::HttpBody for Endless {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        std::task::Poll::Pending
    }
}

#[tokio::test(start_paused = true)]
async fn answers_a_request_that_runs_out_of_time_with_a_json_timeout() {
    // Paused time: once nothing can progress, the clock jumps to the
    // time limit, so this takes no real time.
    let req = Request::post("/v1/redeem")
        .body(Body::new(Endless))
        .expect("a valid request");
    let resp = app(relay()).oneshot(req).await.expect("infallible");
    let (parts, body) = resp.into_parts();
    let answer = Answer {
        status: parts.status,
        headers: parts.headers,
        body: body.collect().await.expect("in memory").to_bytes(),
    };
    answer.refused(408, "timeout");
    check(
        &Sent {
            method: Method::POST,
            path: "/v1/redeem".into(),
            query: None,
            headers: HeaderMap::new(),
            body: Bytes::new(),
        },
        &answer,
    );
}

// ------------------------------------------------- signed-header spelling

/// A request signed now by the survivor, with one header's value replaced.
fn with_header(name: &str, value: impl Fn(&str) -> String) -> Request<Body> {
    let v = survivor();
    let body = b"{}".to_vec();
    let mut h = sign_at(v.identity(), "POST", "/v1/revoke-all", now(), &body);
    for (n, val) in &mut h {
        if *n == name {
            *val = value(val);
        }
    }
    super::build("POST", "/v1/revoke-all", &h, body)
}

#[tokio::test]
async fn refuses_timestamp_with_a_plus_sign() {
    let state = relay();
    send(
        &state,
        with_header(request::H_TIMESTAMP, |t| format!("+{t}")),
    )
    .await
    .refused(400, "bad_request");
}

#[tokio::test]
async fn refuses_timestamp_with_leading_zeros() {
    let state = relay();
    for zeros in ["0", "00"] {
        send(
            &state,
            with_header(request::H_TIMESTAMP, |t| format!("{zeros}{t}")),
        )
        .await
        .refused(400, "bad_request");
    }
}

#[tokio::test]
async fn refuses_signer_in_upper_case() {
    send(&relay(), with_header(request::H_SIGNER, str::to_uppercase))
        .await
        .refused(400, "bad_request");
}

#[tokio::test]
async fn refuses_padded_or_non_canonical_nonce_and_signature() {
    let state = relay();
    for name in [request::H_NONCE, request::H_SIGNATURE] {
        for bad in [
            (|v: &str| format!("{v}==")) as fn(&str) -> String,
            |v: &str| {
                let (head, last) = v.split_at(v.len() - 1);
                let filler = if last == "A" { "B" } else { "A" };
                format!("{head}{filler}")
            },
        ] {
            send(&state, with_header(name, bad))
                .await
                .refused(400, "bad_request");
        }
    }
}

#[tokio::test]
async fn accepts_the_canonical_spelling() {
    let a = send(&relay(), with_header(request::H_TIMESTAMP, str::to_owned)).await;
    assert_eq!(a.status, StatusCode::OK, "answer: {}", a.text());
}

// ------------------------------------------------ unsigned signed routes

#[tokio::test]
async fn answers_bad_request_to_unsigned_requests_on_every_signed_route() {
    // What schemathesis sends: it cannot sign, so each of these is a
    // documented 400 (relay-api.md §14).
    let state = relay();
    for (method, path, _) in SIGNED {
        let body = if method == "post" {
            b"{}".to_vec()
        } else {
            Vec::new()
        };
        send(&state, unsigned(&method.to_ascii_uppercase(), path, body))
            .await
            .refused(400, "bad_request");
    }
}

#[tokio::test]
async fn every_answer_of_a_full_share_life_is_declared() {
    // Every route once, through `send`, which checks each answer (and
    // each accepted request) against the document.
    let state = relay();
    let v = survivor();
    let adv = advocate();
    let g = grant(&v, None, 2);
    upload(&state, &v, &g).await.ok::<Value>();
    upload(&state, &v, &g).await.refused(409, "conflict");
    let a = delegate(&state, &v, &adv, now() + 3600).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "answer: {}", a.text());
    let path = format!("/v1/shares?survivor={}", v.identity().public());
    send(&state, signed(&adv, "GET", &path, b""))
        .await
        .ok::<Value>();
    super::redeem(&state, &g.id()).await.ok::<Value>();
    send(&state, signed(v.identity(), "GET", "/v1/log", b""))
        .await
        .ok::<Value>();
    revoke(&state, v.identity(), &g).await.ok::<Value>();
    super::redeem(&state, &g.id()).await.refused(410, "revoked");
    let a = super::post_signed(&state, v.identity(), "/v1/revoke-all", json!({})).await;
    assert_eq!(a.ok::<Value>(), json!({ "revoked": [] }));
    let body = json!({ "advocate": adv.public().to_string() });
    let a = super::post_signed(&state, v.identity(), "/v1/delegations/remove", body.clone()).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "answer: {}", a.text());
    super::post_signed(&state, v.identity(), "/v1/delegations/remove", body)
        .await
        .refused(404, "not_found");
    for path in ["/", "/healthz", "/metrics", "/openapi.json", "/v1/relay"] {
        let a = send(&state, unsigned("GET", path, Vec::new())).await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
    }
    // The pages and assets there were to embed (web/share.html and the
    // rest may not exist yet in a checkout).
    for asset in crate::web::ASSETS {
        let a = send(&state, unsigned("GET", asset.path, Vec::new())).await;
        assert_eq!(a.status, StatusCode::OK, "{}", asset.path);
    }
    send(&state, unsigned("GET", "/web/none.js", Vec::new()))
        .await
        .refused(404, "not_found");
}
