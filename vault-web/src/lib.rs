//! # vault-web
//!
//! vault-core in the browser: the wasm-bindgen bindings the agency's page
//! (`web/share.js`) calls, and nothing decided here. Every function converts
//! JavaScript values to Rust, calls vault-core, and converts the result
//! back; which request to send, how to read the relay's answer, which
//! checks an answer must pass and which words describe a problem are all
//! vault-core's ([`vault_core::share::redeem`], [`vault_core::share::open`],
//! [`vault_core::words`]), so the page and `vault agency redeem` cannot
//! disagree.
//!
//! The API (`--target no-modules`, global `wasm_bindgen`; the contract is
//! in the repository's `web/` notes and `vault-web/README.md`):
//!
//! ```text
//! linkInfo(href)                                  -> { origin, tokenId }, throws Problem
//! redeemBody(href, key, nowSecs)                  -> the JSON body of POST /v1/redeem, throws Problem
//! openAnswer(href, status, bodyText, key, nowSecs) -> Opened | Problem
//! unreachable()                                   -> Problem (kind "unknown")
//! AgencyKey.load(bytes, passphrase)               -> AgencyKey, throws Problem
//! key.id()                                        -> "agency1…"
//! key.free()                                      -> wipes the key
//! ```
//!
//! `Problem` is `{ ok: false, kind, title, message, next, detail? }` and
//! `Opened` is `{ ok: true, from, purpose, consentText, notBefore, expires,
//! expiresText, useNumber, maxUses, relay, entries }`, plain JS objects.
//! Texts from the survivor are passed through [`vault_core::display`] (their
//! hidden characters made visible) exactly as the CLI shows them; the page
//! sets them with `textContent` only.
//!
//! The crate also builds natively (so the workspace's tests, clippy and docs
//! cover it); the functions only make sense in WebAssembly.

#[cfg(feature = "app")]
pub mod app;

use std::cell::{Cell, RefCell};

use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use vault_core::display::{visible, visible_lines};
use vault_core::docname::{harmless_media_type, safe_file_name};
use vault_core::relay::hex;
use vault_core::share::open::{OpenError, Received};
use vault_core::share::{redeem, EntryKind};
use vault_core::words::{Problem, ProblemKind};
use vault_core::{keyfile, time, Identity, PublicId, Role, ShareLink};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

/// An agency's key, loaded into the page's memory only. Dropping it (the
/// page calls `key.free()`) wipes the key.
// The key itself lives in `KEYS`, not in this object: wasm-bindgen 0.2.130
// cannot take an exported object as an *optional borrowed* argument
// (`Option<&AgencyKey>`), only by value, which would hand the object over
// and make it unusable after one call. So `redeemBody` and `openAnswer`
// take the key as a plain JS value, ask it for its `id()`, and find the
// loaded key with that id here.
#[wasm_bindgen]
pub struct AgencyKey {
    slot: u64,
    id: String,
}

impl std::fmt::Debug for AgencyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgencyKey").field("id", &self.id).finish()
    }
}

thread_local! {
    /// The loaded keys, by slot: the browser runs this module on one thread.
    /// `Identity` wipes its secret when dropped.
    static KEYS: RefCell<Vec<(u64, Identity)>> = const { RefCell::new(Vec::new()) };
    static NEXT_SLOT: Cell<u64> = const { Cell::new(0) };
}

impl AgencyKey {
    /// Keeps `identity` (an agency's) in memory and returns its handle.
    fn keep(identity: Identity) -> Self {
        let slot = NEXT_SLOT.with(|n| {
            let slot = n.get();
            n.set(slot + 1);
            slot
        });
        let id = identity.public().to_string();
        KEYS.with(|k| k.borrow_mut().push((slot, identity)));
        Self { slot, id }
    }
}

impl Drop for AgencyKey {
    fn drop(&mut self) {
        KEYS.with(|k| k.borrow_mut().retain(|(slot, _)| *slot != self.slot));
    }
}

#[wasm_bindgen]
impl AgencyKey {
    /// `AgencyKey.load(bytes, passphrase)`: opens an agency key file
    /// (`vault agency export-key`, docs/spec/agency-key-v1.md) in memory,
    /// or throws a `Problem` (`bad_key_file`, `wrong_passphrase`). The
    /// passphrase is wiped once used; nothing is stored.
    pub fn load(bytes: &[u8], passphrase: String) -> Result<AgencyKey, JsValue> {
        let passphrase = Zeroizing::new(passphrase);
        keyfile::open(bytes, passphrase.as_bytes())
            .map(Self::keep)
            .map_err(|e| problem(Problem::from(&e)))
    }

    /// The agency's id, `agency1…`, to show the worker which key is loaded.
    pub fn id(&self) -> String {
        self.id.clone()
    }
}

/// The agency id of the `key` argument: `None` for `undefined` or `null`;
/// else what its `id()` says, which must be an agency id (`bad_key_file`
/// otherwise, e.g. a key already freed).
fn key_id(key: &JsValue) -> Result<Option<PublicId>, Problem> {
    if key.is_undefined() || key.is_null() {
        return Ok(None);
    }
    let bad = || Problem::with_detail(ProblemKind::BadKeyFile, "not_a_loaded_key");
    let id = Reflect::get(key, &JsValue::from_str("id"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| f.call0(key).ok())
        .and_then(|id| id.as_string())
        .ok_or_else(bad)?;
    PublicId::parse(&id, Role::Agency)
        .map(Some)
        .map_err(|_| bad())
}

/// Runs `f` with the loaded key whose id is `id` (`None`: no key).
fn with_key<T>(
    id: Option<&PublicId>,
    f: impl FnOnce(Option<&Identity>) -> T,
) -> Result<T, Problem> {
    let Some(id) = id else {
        return Ok(f(None));
    };
    KEYS.with(|k| {
        let keys = k.borrow();
        match keys.iter().find(|(_, identity)| identity.public() == *id) {
            Some((_, identity)) => Ok(f(Some(identity))),
            None => Err(Problem::with_detail(
                ProblemKind::BadKeyFile,
                "not_a_loaded_key",
            )),
        }
    })
}

/// Sets `key` on a plain object. `Reflect.set` on an ordinary object made
/// here (no setter, not frozen, no proxy) cannot fail.
fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value.into());
}

/// A `Problem` object: `{ ok: false, kind, title, message, next, detail? }`.
fn problem(p: Problem) -> JsValue {
    let words = p.words();
    let o = Object::new();
    set(&o, "ok", false);
    set(&o, "kind", p.kind.code());
    set(&o, "title", words.title);
    // For a wrong clock, by how much, from the relay's time.
    set(&o, "message", p.message().as_str());
    set(&o, "next", words.next);
    if let Some(detail) = p.detail {
        set(&o, "detail", detail);
    }
    o.into()
}

/// A JS number of seconds as vault-core's `u64`: fractions dropped,
/// negatives and NaN as 0, huge values saturated (Rust's `as`).
fn secs(now: f64) -> u64 {
    now as u64
}

/// A JS number as an HTTP status: any value that is not a whole number in
/// 0..=65535 reads as 0, which no answer of the API has (so "unknown").
fn status(n: f64) -> u16 {
    if n.fract() == 0.0 && (0.0..=f64::from(u16::MAX)).contains(&n) {
        n as u16
    } else {
        0
    }
}

fn parse(href: &str) -> Result<ShareLink, Problem> {
    ShareLink::parse(href).map_err(|e| Problem::with_detail(ProblemKind::BadLink, e.kind()))
}

/// `linkInfo(href)`: the relay's origin and the token id (hex) of a share
/// link, or throws a `Problem` (`bad_link`). The secret stays in the link.
#[wasm_bindgen(js_name = linkInfo)]
pub fn link_info(href: &str) -> Result<JsValue, JsValue> {
    let link = parse(href).map_err(problem)?;
    let o = Object::new();
    set(&o, "origin", link.origin());
    set(&o, "tokenId", hex(&link.token_id()));
    Ok(o.into())
}

/// `redeemBody(href, key, nowSecs)`: the exact JSON body of
/// `POST /v1/redeem` that `vault agency redeem` sends (token id; with a key
/// also agency, timestamp and proof), or throws a `Problem` (`bad_link`).
#[wasm_bindgen(js_name = redeemBody)]
pub fn redeem_body(href: &str, key: JsValue, now_secs: f64) -> Result<String, JsValue> {
    let link = parse(href).map_err(problem)?;
    let id = key_id(&key).map_err(problem)?;
    let request =
        with_key(id.as_ref(), |k| redeem::request(&link, k, secs(now_secs))).map_err(problem)?;
    Ok(serde_json::to_string(&request)
        .expect("a redeem request is strings and numbers, which always serialize"))
}

/// `openAnswer(href, status, bodyText, key, nowSecs)`: the relay's answer
/// to the redemption of `href` (made with `key`, or without), read by
/// vault-core: an `Opened` if the status is 200 and every check passed,
/// else a `Problem`. Never throws.
#[wasm_bindgen(js_name = openAnswer)]
pub fn open_answer(
    href: &str,
    status_code: f64,
    body_text: &str,
    key: JsValue,
    now_secs: f64,
) -> JsValue {
    let opened = parse(href).and_then(|link| {
        let me = key_id(&key)?;
        let received = redeem::read_answer(
            status(status_code),
            body_text.as_bytes(),
            &link,
            me.as_ref(),
            secs(now_secs),
        )?;
        opened(&received)
    });
    opened.unwrap_or_else(problem)
}

/// `unreachable()`: the `Problem` for a relay that could not be reached
/// (kind `unknown`): whether the code is valid is not known.
#[wasm_bindgen]
pub fn unreachable() -> JsValue {
    problem(Problem::with_detail(ProblemKind::Unknown, "unreachable"))
}

/// The `Opened` object for what was received, every check passed.
fn opened(r: &Received) -> Result<JsValue, Problem> {
    // Every byte was checked already (O8): only a bug could fail here, and
    // it still shows nothing.
    let failed = |e: OpenError| Problem::with_detail(ProblemKind::NotGenuine, e.kind());
    let body = r.token.body();
    let entries = Array::new();
    let mut reader = r.entries().map_err(failed)?;
    for e in &r.manifest.entries {
        let mut bytes = Zeroizing::new(Vec::new());
        reader
            .copy_entry(e.len, &mut *bytes)
            .map_err(|e| failed(e.into()))?;
        let o = Object::new();
        set(&o, "field", e.path.as_str());
        match &e.kind {
            EntryKind::Text => {
                // Not checked to be UTF-8 (consent-token-v1 §11): shown with
                // invalid bytes replaced, as the CLI shows it.
                let text = String::from_utf8_lossy(&bytes);
                set(&o, "kind", "text");
                set(&o, "text", visible_lines(&text).as_ref());
            }
            kind => {
                set(&o, "kind", "document");
                set(&o, "size", e.len as f64);
                // The survivor's file name, made safe for any system (the
                // field path when the share has none), and only a type a
                // browser shows without running anything.
                set(
                    &o,
                    "fileName",
                    safe_file_name(kind.file_name(), e.path.as_str()).as_str(),
                );
                set(
                    &o,
                    "mediaType",
                    harmless_media_type(kind.media_type().unwrap_or("")),
                );
                set(&o, "bytes", Uint8Array::from(&bytes[..]));
            }
        }
        entries.push(&o);
    }
    let o = Object::new();
    set(&o, "ok", true);
    set(&o, "from", r.token.issuer().to_string());
    set(&o, "purpose", visible(&r.claims.purpose).as_ref());
    set(
        &o,
        "consentText",
        visible_lines(r.manifest.consent_text.trim_end()).as_ref(),
    );
    set(&o, "notBefore", body.not_before as f64);
    set(&o, "expires", body.expires as f64);
    set(&o, "expiresText", time::long(body.expires));
    set(&o, "useNumber", r.receipt.use_number);
    set(&o, "maxUses", body.max_uses);
    set(&o, "relay", r.relay.to_string());
    set(&o, "entries", entries);
    Ok(o.into())
}

/// `checkVector(name, text)` (feature `vectors`): runs one file of
/// `tests/vectors/` with vault-core's runner; `undefined` if vault-core
/// gives what it expects, else what differs.
#[cfg(feature = "vectors")]
#[wasm_bindgen(js_name = checkVector)]
pub fn check_vector(name: &str, text: &str) -> Option<String> {
    vault_core::vectors::check(name, text).err()
}

/// `checkTokenTimes(token, nowSecs, presenter, times)` (feature `vectors`):
/// decodes and verifies `token` `times` times, as the benchmark's loop;
/// returns how many were accepted.
#[cfg(feature = "vectors")]
#[wasm_bindgen(js_name = checkTokenTimes)]
pub fn check_token_times(
    token: &[u8],
    now_secs: f64,
    presenter: Option<String>,
    times: u32,
) -> Result<u32, JsValue> {
    let presenter = presenter
        .map(|p| p.parse::<vault_core::PublicId>())
        .transpose()
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(vault_core::vectors::check_token_times(
        token,
        secs(now_secs),
        presenter.as_ref(),
        times,
    ))
}

#[cfg(feature = "vectors")]
#[wasm_bindgen]
impl AgencyKey {
    /// `AgencyKey.fromSeed(seed)` (feature `vectors`, never in web/pkg/):
    /// the agency key made from 32 bytes, for tests in Node.
    #[wasm_bindgen(js_name = fromSeed)]
    pub fn from_seed(seed: &[u8]) -> Result<AgencyKey, JsValue> {
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| JsValue::from_str("a seed is 32 bytes"))?;
        Ok(Self::keep(Identity::from_seed(Role::Agency, &seed)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_whole_numbers_in_range_as_a_status() {
        assert_eq!(status(200.0), 200);
        assert_eq!(status(410.0), 410);
        // 65736 would wrap to 200 with a plain cast.
        for odd in [200.5, -200.0, 65_736.0, f64::NAN, f64::INFINITY] {
            assert_eq!(status(odd), 0, "{odd}");
        }
    }

    #[test]
    fn reads_seconds_without_wrapping() {
        assert_eq!(secs(1_795_000_000.9), 1_795_000_000);
        assert_eq!(secs(-5.0), 0);
        assert_eq!(secs(f64::NAN), 0);
        assert_eq!(secs(f64::INFINITY), u64::MAX);
    }
}
