//! The pages and assets embedded from `web/`, and the headers on every
//! answer.
//!
//! Whatever `web/` held when the relay was built is checked: each file
//! at its path with its content type, each Subresource Integrity value
//! against the bytes the relay serves for that file (hashed here, not by
//! the build script's code), and the bundle hash against the served
//! bytes.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use sha2::{Digest, Sha256, Sha384};
use tower::ServiceExt;

use super::{relay, send, unsigned, Answer};
use crate::app::{app, MAX_BODY};
use crate::headers::EVERY_ANSWER;
use crate::state::{AppState, Limits};
use crate::web::ASSETS;

/// `web/` in the checkout: the sources the relay was built from.
fn web_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web")
}

#[track_caller]
fn assert_security_headers(what: &str, headers: &HeaderMap) {
    for (name, value) in EVERY_ANSWER {
        assert_eq!(
            headers.get(name).and_then(|v| v.to_str().ok()),
            Some(value),
            "{what}: {name}"
        );
    }
    let is_page = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    let coop = headers
        .get("cross-origin-opener-policy")
        .and_then(|v| v.to_str().ok());
    assert_eq!(coop, is_page.then_some("same-origin"), "{what}: COOP");
}

/// An answer straight from the router (for what `send` would check
/// against the document as something else: HEAD, say).
async fn raw(state: &AppState, req: Request<Body>) -> Answer {
    let resp = app(state.clone()).oneshot(req).await.expect("infallible");
    let (parts, body) = resp.into_parts();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body: body.collect().await.expect("in memory").to_bytes(),
    }
}

fn sri(bytes: &[u8]) -> String {
    format!(
        "sha384-{}",
        data_encoding::BASE64.encode(&Sha384::digest(bytes))
    )
}

#[tokio::test]
async fn serves_a_neutral_home_page_at_the_root() {
    let a = send(&relay(), unsigned("GET", "/", Vec::new())).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    let text = a.text();
    assert!(text.contains("<title>Relay</title>"), "{text}");
    let lower = text.to_ascii_lowercase();
    for word in ["survivor", "trafficking", "victim", "vault"] {
        assert!(!lower.contains(word), "the page says {word:?}");
    }
    for inline in ["<script", "<style", "style="] {
        assert!(!lower.contains(inline), "the page has inline {inline:?}");
    }
    assert!(!text.trim_start().starts_with('{'), "not JSON");
}

#[tokio::test]
async fn keeps_the_headers_on_every_route_and_refusal() {
    let state = relay();
    let mut requests = vec![
        unsigned("GET", "/", Vec::new()),
        unsigned("GET", "/S", Vec::new()),
        unsigned("GET", "/healthz", Vec::new()),
        unsigned("GET", "/metrics", Vec::new()),
        unsigned("GET", "/openapi.json", Vec::new()),
        unsigned("GET", "/v1/relay", Vec::new()),
        // Refusals: unsigned (400), unknown path and asset (404), wrong
        // method (405), too large (413).
        unsigned("GET", "/v1/log", Vec::new()),
        unsigned("POST", "/v1/redeem", b"{".to_vec()),
        unsigned("GET", "/nothing-here", Vec::new()),
        unsigned("GET", "/web/nothing.js", Vec::new()),
        unsigned("GET", "/web/pkg/nothing.wasm", Vec::new()),
        unsigned("GET", "/app/nothing.js", Vec::new()),
        unsigned("DELETE", "/v1/redeem", Vec::new()),
        unsigned("POST", "/", Vec::new()),
        unsigned("POST", "/v1/redeem", vec![b' '; MAX_BODY + 1]),
    ];
    for a in ASSETS {
        requests.push(unsigned("GET", a.path, Vec::new()));
    }
    for req in requests {
        let what = format!("{} {}", req.method(), req.uri());
        let a = send(&state, req).await;
        assert_security_headers(&format!("{what} ({})", a.status), &a.headers);
    }
    // HEAD answers like GET, without the body.
    for path in ["/", "/v1/relay", "/nothing-here"] {
        let req = Request::head(path).body(Body::empty()).expect("a request");
        let a = raw(&state, req).await;
        assert!(a.body.is_empty(), "HEAD {path} has a body");
        assert_security_headers(&format!("HEAD {path}"), &a.headers);
    }
}

#[tokio::test]
async fn keeps_the_headers_on_a_rate_limited_answer() {
    let state = AppState::new(
        Box::new(vault_core::MemoryStore::new()),
        Box::new(vault_core::MemoryDocuments::new()),
        vault_core::Identity::from_seed(vault_core::Role::Relay, &[7; 32]),
        super::ORIGIN.into(),
        Limits {
            per_ip_per_minute: 1,
            ..Limits::default()
        },
    );
    let from = |path: &str| {
        let mut req = Request::get(path).body(Body::empty()).expect("a request");
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([192, 0, 2, 9], 4000))));
        req
    };
    assert_eq!(raw(&state, from("/")).await.status, StatusCode::OK);
    let a = raw(&state, from("/")).await;
    a.refused(429, "rate_limited");
    assert_security_headers("a second request in the minute", &a.headers);
}

#[tokio::test]
async fn serves_each_embedded_file_at_its_path_with_its_content_type() {
    let state = relay();
    assert!(
        ASSETS.iter().any(|a| a.path == "/"),
        "web/home.html is embedded"
    );
    for asset in ASSETS {
        let a = send(&state, unsigned("GET", asset.path, Vec::new())).await;
        assert_eq!(a.status, StatusCode::OK, "{}", asset.path);
        assert_eq!(&a.body[..], asset.bytes, "{}", asset.path);
        let want = match asset.name.rsplit_once('.').map(|(_, e)| e) {
            Some("html") => "text/html; charset=utf-8",
            Some("css") => "text/css; charset=utf-8",
            Some("js") => "text/javascript; charset=utf-8",
            Some("wasm") => "application/wasm",
            Some("webmanifest") => "application/manifest+json",
            Some("svg") => "image/svg+xml",
            Some("png") => "image/png",
            Some("ftl") => "text/plain; charset=utf-8",
            other => panic!(
                "{} has an ending that is never embedded: {other:?}",
                asset.name
            ),
        };
        assert_eq!(a.headers[header::CONTENT_TYPE], want, "{}", asset.path);
        let expected_path = match asset.name {
            "home.html" => "/".to_owned(),
            "share.html" => "/S".to_owned(),
            "app/index.html" => "/app/".to_owned(),
            name => match name.strip_prefix("app/") {
                Some(file) => format!("/app/{file}"),
                None => format!("/web/{name}"),
            },
        };
        assert_eq!(asset.path, expected_path);
        // A file that is not a page is served byte for byte as in web/.
        if !asset.name.ends_with(".html") {
            let source = std::fs::read(web_dir().join(asset.name)).expect("the source");
            assert_eq!(asset.bytes, &source[..], "{}", asset.name);
        }
        let head = Request::head(asset.path)
            .body(Body::empty())
            .expect("a request");
        let h = raw(&state, head).await;
        assert_eq!(h.status, StatusCode::OK);
        assert_eq!(h.headers[header::CONTENT_TYPE], want, "HEAD {}", asset.path);
        assert!(h.body.is_empty());
    }
    let wasm = ASSETS
        .iter()
        .find(|a| a.path == "/web/pkg/vault_web_bg.wasm");
    if let Some(wasm) = wasm {
        assert_eq!(wasm.content_type, "application/wasm");
    }
}

#[tokio::test]
async fn refuses_any_other_name_under_web_as_json_not_found() {
    let state = relay();
    for path in [
        "/web/nothing.js",
        "/web/pkg/nothing.wasm",
        "/web/home.html",
        "/web/share.html",
        "/web/pkg",
        "/web/",
        "/web",
        "/web/%2e%2e/Cargo.toml",
        "/web/pkg/%2e%2e%2fshare.js",
        "/web/tests/browser.mjs",
        "/web/package.json",
        "/web/SHARE.JS",
        "/app/nothing.js",
        "/app/%2e%2e/share.js",
        "/web/app/worker.js",
        "/home.html",
        "/s",
        "/app/index.html",
        "/app/nothing.js",
        "/app/%2e%2e/share.js",
        "/app/tests/app-ui.mjs",
        "/app/pkg/folio_app.js",
        "/app",
    ] {
        send(&state, unsigned("GET", path, Vec::new()))
            .await
            .refused(404, "not_found");
    }
    // A name with a trailing slash is another name.
    if let Some(a) = ASSETS.iter().find(|a| a.path.starts_with("/web/")) {
        send(&state, unsigned("GET", &format!("{}/", a.path), Vec::new()))
            .await
            .refused(404, "not_found");
    }
}

#[tokio::test]
async fn fills_in_integrity_values_that_match_the_served_files() {
    let state = relay();
    for page in ASSETS.iter().filter(|a| a.name.ends_with(".html")) {
        let source = std::fs::read_to_string(web_dir().join(page.name)).expect("the source");
        let served = send(&state, unsigned("GET", page.path, Vec::new())).await;
        assert_eq!(served.status, StatusCode::OK);
        // Rebuild the page from its source with values computed here
        // from what the relay serves for each named file.
        let mut expected = String::new();
        let mut rest = source.as_str();
        while let Some(at) = rest.find("{{sri:") {
            expected.push_str(&rest[..at]);
            let after = &rest[at + "{{sri:".len()..];
            let end = after.find("}}").expect("a closed placeholder");
            let name = &after[..end];
            let path = match name.strip_prefix("app/") {
                Some(file) => format!("/app/{file}"),
                None => format!("/web/{name}"),
            };
            let file = send(&state, unsigned("GET", &path, Vec::new())).await;
            assert_eq!(file.status, StatusCode::OK, "{} names {name}", page.name);
            expected.push_str(&sri(&file.body));
            rest = &after[end + 2..];
        }
        expected.push_str(rest);
        assert_eq!(served.text(), expected, "{}", page.name);
        assert!(!served.text().contains("{{"), "{}", page.name);
    }
}

#[tokio::test]
async fn reports_the_bundle_hash_of_what_it_serves() {
    let state = relay();
    let mut lines = Vec::new();
    for asset in ASSETS {
        let a = send(&state, unsigned("GET", asset.path, Vec::new())).await;
        assert_eq!(a.status, StatusCode::OK);
        lines.push(format!(
            "{} {}\n",
            asset.path,
            data_encoding::HEXLOWER.encode(&Sha256::digest(&a.body))
        ));
    }
    lines.sort();
    let expected = format!(
        "sha256:{}",
        data_encoding::HEXLOWER.encode(&Sha256::digest(lines.concat().as_bytes()))
    );
    let info: Value = send(&state, unsigned("GET", "/v1/relay", Vec::new()))
        .await
        .ok();
    assert_eq!(info["web_bundle"], expected);
}
