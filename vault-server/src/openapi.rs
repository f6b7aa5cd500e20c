//! The OpenAPI 3.1 document served at `/openapi.json`, written out by
//! hand so it says exactly what the routes do.

use serde_json::{json, Value};

fn signed(desc: &str, roles: &str) -> Value {
    json!(format!("{desc} Signed request ({roles}): headers x-vault-signer, x-vault-timestamp, x-vault-nonce, x-vault-signature; see docs/spec/relay-api.md."))
}

fn error_responses() -> Value {
    json!({
        "400": { "description": "bad_request", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "404": { "description": "not_found (also: not yours)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "413": { "description": "too_large" },
        "429": { "description": "rate_limited" },
        "500": { "description": "server_error: nothing was decided" }
    })
}

/// The whole document.
pub fn document() -> Value {
    let mut redeem_errors = error_responses();
    redeem_errors["403"] = json!({ "description": "wrong_audience or not_yet_valid" });
    redeem_errors["410"] = json!({ "description": "revoked, expired or used_up" });
    let mut upload_errors = error_responses();
    upload_errors["409"] =
        json!({ "description": "conflict: already uploaded, or being uploaded" });
    upload_errors["503"] = json!({ "description": "busy: no room for more uploads now; retry-after says when to try again" });
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Survivor Vault relay",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "A blind relay: stores signed consent tokens and sealed shares, counts uses atomically, refuses after expiry or revocation, and keeps a hash-chained log per survivor."
        },
        "paths": {
            "/healthz": { "get": { "summary": "Liveness", "responses": { "200": { "description": "{\"status\":\"ok\"}" } } } },
            "/metrics": { "get": { "summary": "Counters, Prometheus text format", "responses": { "200": { "description": "text/plain" } } } },
            "/openapi.json": { "get": { "summary": "This document", "responses": { "200": { "description": "OpenAPI 3.1" } } } },
            "/S": { "get": { "summary": "The page a share link opens in a browser (the secret stays in the fragment)", "responses": { "200": { "description": "text/html" } } } },
            "/v1/relay": { "get": { "summary": "The relay's id and origin", "responses": { "200": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RelayInfo" } } }, "description": "ok" } } } },
            "/v1/shares": {
                "post": {
                    "summary": "Upload a signed token and its sealed share",
                    "description": signed("The body is the sealed share, raw; the signed token is in x-vault-token (base64url); content-length must equal the token's payload_len. The token must verify now and the share must be the bytes it signed (its SHA-256 is the token's payload_hash, which is also the body hash the request signature covers).", "survivor main key"),
                    "parameters": [{ "name": "x-vault-token", "in": "header", "required": true, "schema": { "type": "string", "contentEncoding": "base64url" } }],
                    "requestBody": { "required": true, "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } },
                    "responses": { "200": { "description": "stored", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/UploadResponse" } } } } }
                },
                "get": {
                    "summary": "List a survivor's shares (metadata only)",
                    "description": signed("Advocates add ?survivor=survivor1… and need a live delegation.", "survivor or advocate"),
                    "parameters": [{ "name": "survivor", "in": "query", "required": false, "schema": { "type": "string" } }],
                    "responses": { "200": { "description": "ok", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SharesResponse" } } } } }
                }
            },
            "/v1/redeem": {
                "post": {
                    "summary": "Redeem a token: one atomic, durable step",
                    "description": "Unsigned. Audience-bound tokens need agency, timestamp and proof (the agency's signature over label, origin, token id and timestamp).",
                    "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RedeemRequest" } } } },
                    "responses": { "200": { "description": "granted", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RedeemResponse" } } } } }
                }
            },
            "/v1/revoke": { "post": { "summary": "Withdraw one share", "description": signed("", "survivor, or advocate with a live delegation"), "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RevokeRequest" } } } }, "responses": { "200": { "description": "withdrawn", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RevokeResponse" } } } } } } },
            "/v1/revoke-all": { "post": { "summary": "Withdraw every share of a survivor", "description": signed("Advocates name the survivor.", "survivor, or advocate with a live delegation"), "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RevokeAllRequest" } } } }, "responses": { "200": { "description": "withdrawn", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RevokeResponse" } } } } } } },
            "/v1/delegations": { "post": { "summary": "Let an advocate list and withdraw shares until a time", "description": signed("", "survivor"), "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/DelegationRequest" } } } }, "responses": { "204": { "description": "recorded" } } } },
            "/v1/delegations/remove": { "post": { "summary": "Remove an advocate's permission", "description": signed("", "survivor"), "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/UndelegateRequest" } } } }, "responses": { "204": { "description": "removed" } } } },
            "/v1/log": { "get": { "summary": "The survivor's hash-chained log and a signed head", "description": signed("", "survivor"), "responses": { "200": { "description": "ok", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/LogResponse" } } } } } } }
        },
        "components": {
            "schemas": {
                "Error": { "type": "object", "required": ["error", "message"], "properties": { "error": { "type": "string", "enum": ["revoked", "expired", "not_yet_valid", "used_up", "wrong_audience", "not_found", "bad_request", "rate_limited", "too_large", "conflict", "busy", "server_error"] }, "message": { "type": "string" } } },
                "RelayInfo": { "type": "object", "properties": { "relay": { "type": "string" }, "origin": { "type": "string" } } },
                "UploadResponse": { "type": "object", "properties": { "token_id": { "type": "string", "pattern": "^[0-9a-f]{64}$" } } },
                "RedeemRequest": { "type": "object", "required": ["token_id"], "additionalProperties": false, "properties": { "token_id": { "type": "string", "pattern": "^[0-9a-f]{64}$" }, "agency": { "type": "string" }, "timestamp": { "type": "integer" }, "proof": { "type": "string", "contentEncoding": "base64url" } } },
                "RedeemResponse": { "type": "object", "properties": { "token": { "type": "string" }, "share": { "type": "string" }, "receipt": { "type": "string" }, "receipt_signature": { "type": "string" }, "relay": { "type": "string" } } },
                "RevokeRequest": { "type": "object", "required": ["token_id"], "additionalProperties": false, "properties": { "token_id": { "type": "string" } } },
                "RevokeAllRequest": { "type": "object", "additionalProperties": false, "properties": { "survivor": { "type": "string" } } },
                "RevokeResponse": { "type": "object", "properties": { "revoked": { "type": "array", "items": { "type": "string" } } } },
                "DelegationRequest": { "type": "object", "required": ["advocate", "until"], "additionalProperties": false, "properties": { "advocate": { "type": "string" }, "until": { "type": "integer" } } },
                "UndelegateRequest": { "type": "object", "required": ["advocate"], "additionalProperties": false, "properties": { "advocate": { "type": "string" } } },
                "ShareInfo": { "type": "object", "properties": { "token_id": { "type": "string" }, "audience": { "type": ["string", "null"] }, "not_before": { "type": "integer" }, "expires": { "type": "integer" }, "max_uses": { "type": "integer" }, "uses": { "type": "integer" }, "status": { "type": "string", "enum": ["active", "expired", "used_up", "revoked"] }, "created": { "type": "integer" } } },
                "SharesResponse": { "type": "object", "properties": { "shares": { "type": "array", "items": { "$ref": "#/components/schemas/ShareInfo" } } } },
                "LogResponse": { "type": "object", "properties": { "entries": { "type": "array", "items": { "type": "string" } }, "head": { "type": "object", "properties": { "seq": { "type": "integer" }, "hash": { "type": "string" }, "at": { "type": "integer" }, "signature": { "type": "string" } } }, "relay": { "type": "string" } } }
            }
        },
        "x-error-responses": { "redeem": redeem_errors, "upload": upload_errors }
    })
}
