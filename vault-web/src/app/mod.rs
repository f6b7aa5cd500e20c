//! The survivor's app (feature `app`, built to `web/pkg/folio_app*`): the
//! bindings the app's Worker (`web/app/worker.js`) calls, and nothing
//! decided here. The contract between the page, the Worker and this module
//! is `docs/app-worker.md`; where the vault's bytes live is [`storage`].
//!
//! The open vault lives in this module's memory only, inside the Worker;
//! `lock()` drops it (vault-core's key types wipe themselves on drop). Each
//! call that may fail throws a `Problem` object `{ kind, title, message,
//! next }`, every sentence from the catalogue (`app-problem-…`).
//!
//! Relay calls are sans-IO: the module builds the request (method, path,
//! the signed headers, the body) and reads the answer (status and text);
//! the Worker only runs `fetch`.

pub mod advocate;
pub mod backup;
pub mod storage;

use std::cell::RefCell;
use std::sync::Arc;

use js_sys::{Array, Object, Reflect, Uint8Array};
use vault_core::crypto::kdf::KdfParams;
use vault_core::display::{human_size, visible, visible_lines};
use vault_core::docname::DocName;
use vault_core::grant::{self, GrantError, GrantRequest, Prepared};
use vault_core::history::HistoryError;
use vault_core::messages::{self, Arg};
use vault_core::relay::api::{
    DelegationRequest, ErrorBody, LogResponse, RevokeAllRequest, RevokeRequest, RevokeResponse,
    SharesResponse, UndelegateRequest, UploadResponse, H_TOKEN, UPLOAD_CONTENT_TYPE,
};
use vault_core::relay::{hex, request, unhex, Refusal};
use vault_core::token::{MAX_USES, MAX_VALIDITY_SECS};
use vault_core::vault::{DocumentReader, MIN_PASSPHRASE_CHARS, NS_GRANT};
use vault_core::{contacts, qr, time, FieldPath, Kind, PublicId, Role, Scope, Vault, VaultError};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use self::storage::{HostDocuments, HostInput, HostOutput, JournalStore};

thread_local! {
    /// The records as IndexedDB holds them (plus this operation's changes).
    /// The browser runs this module on one thread, the Worker's.
    static RECORDS: Arc<JournalStore> = Arc::new(JournalStore::new());
    /// The open vault, if unlocked.
    static VAULT: RefCell<Option<Vault>> = const { RefCell::new(None) };
    /// A share built and waiting for the relay's answer to its upload.
    static PENDING: RefCell<Option<PendingShare>> = const { RefCell::new(None) };
    /// A permission given or ended, waiting for the relay's answer.
    static PENDING_HELPER: RefCell<Option<PendingHelper>> = const { RefCell::new(None) };
    /// The document being downloaded chunk by chunk (`readBegin`), if any.
    static READER: RefCell<Option<DocumentReader>> = const { RefCell::new(None) };
}

/// What the app says went wrong: a kind the page relies on, and the
/// sentence if it is more precise than the kind's own.
#[derive(Debug)]
pub struct Problem {
    kind: &'static str,
    message: Option<String>,
}

impl Problem {
    fn new(kind: &'static str) -> Self {
        Self {
            kind,
            message: None,
        }
    }

    fn saying(kind: &'static str, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: Some(message.into()),
        }
    }

    /// `{ kind, title, message, next }`, from the catalogue's
    /// `app-problem-<kind>` (with `-` for `_`).
    fn to_js(&self) -> JsValue {
        let id = format!("app-problem-{}", self.kind.replace('_', "-"));
        let o = Object::new();
        set(&o, "kind", self.kind);
        set(&o, "title", messages::text(&id, &[]));
        set(
            &o,
            "message",
            self.message
                .clone()
                .unwrap_or_else(|| messages::text(&format!("{id}.message"), &[])),
        );
        set(&o, "next", messages::text(&format!("{id}.next"), &[]));
        o.into()
    }
}

impl From<Problem> for JsValue {
    fn from(p: Problem) -> Self {
        p.to_js()
    }
}

impl From<VaultError> for Problem {
    fn from(e: VaultError) -> Self {
        match e {
            VaultError::WrongPassphrase => Problem::new("wrong_passphrase"),
            // The browser's own words are never shown.
            VaultError::Store(_) | VaultError::Io(_) => Problem::new("storage"),
            VaultError::FieldNotFound(_) | VaultError::TextTooLong => {
                Problem::saying("bad_input", sentence(&e))
            }
            other => Problem::saying("unknown", sentence(&other)),
        }
    }
}

impl From<GrantError> for Problem {
    fn from(e: GrantError) -> Self {
        match e {
            GrantError::Vault(v) => v.into(),
            GrantError::Io(_) => Problem::new("storage"),
            other => Problem::saying("bad_input", sentence(&other)),
        }
    }
}

impl From<contacts::ContactError> for Problem {
    fn from(e: contacts::ContactError) -> Self {
        match e {
            contacts::ContactError::Vault(v) => v.into(),
            other => Problem::saying("bad_input", sentence(&other)),
        }
    }
}

/// vault-core's error words as one sentence: capital first letter, full
/// stop (they are written to follow "Could not …: " in the CLI too).
fn sentence(e: &dyn std::fmt::Display) -> String {
    let text = e.to_string();
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => return text,
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

type Answer = Result<JsValue, JsValue>;

/// Sets `key` on a plain object made here (cannot fail).
fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value.into());
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn object() -> Object {
    Object::new()
}

/// `secs` for a person reading on this device: in the browser's zone at
/// that instant, the zone said as an offset. (What leaves the device, the
/// consent text, stays in UTC: vault-core writes it.)
fn local_long(secs: u64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(secs as f64 * 1000.0));
    // getTimezoneOffset is minutes WEST of UTC; NaN for an invalid date.
    let west = date.get_timezone_offset();
    let east = if west.is_finite() && west.abs() <= 24.0 * 60.0 {
        -(west as i32)
    } else {
        0
    };
    time::long_at_offset(secs, east)
}

/// The vault's clock: the browser's, in whole seconds.
fn clock() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// Runs `f` with the open vault, or problem `locked`.
fn with_vault<T>(f: impl FnOnce(&Vault) -> Result<T, Problem>) -> Result<T, Problem> {
    VAULT.with(|v| match v.borrow().as_ref() {
        Some(vault) => f(vault),
        None => Err(Problem::new("locked")),
    })
}

fn path(text: &str) -> Result<FieldPath, Problem> {
    FieldPath::parse(text.trim()).map_err(|e| Problem::saying("bad_path", sentence(&e)))
}

/// `setLanguage(tag)`: speak the language of `tag` (a BCP 47 tag such as
/// `es-MX`, or a code of `vault_core::messages::LANGUAGES`) from now on,
/// English when there is no catalogue for it; answers the code used. The
/// page and the Worker each call it for their own instance.
#[wasm_bindgen(js_name = setLanguage)]
pub fn set_language(tag: &str) -> String {
    vault_core::messages::set_language(vault_core::messages::negotiate(&[tag])).to_owned()
}

/// `loadCatalogue(lang, text)`: takes the translation `lang` (`es`) from
/// the text of its catalogue (`/web/pkg/es.ftl`, which the page fetches:
/// the module embeds English only, so that a person who reads English
/// does not download Spanish). True when the language can now be set; false
/// (and English kept) for a code without a catalogue or a text that is not
/// the whole catalogue.
#[wasm_bindgen(js_name = loadCatalogue)]
pub fn load_catalogue(lang: &str, text: &str) -> bool {
    vault_core::messages::load(lang, text).is_ok()
}

/// `text(id, args)`: the catalogue's message `id` (or `id.attribute`)
/// with `args`, a plain object of strings and numbers. For the page, with
/// no vault needed.
#[wasm_bindgen]
pub fn text(id: &str, args: JsValue) -> String {
    let mut owned: Vec<(String, Arg<'static>)> = Vec::new();
    if args.is_object() {
        let keys = Object::keys(&Object::from(args.clone()));
        for key in keys.iter() {
            let Some(name) = key.as_string() else {
                continue;
            };
            let value = get(&args, &name);
            let arg = match (value.as_f64(), value.as_string()) {
                (Some(n), _) if n >= 0.0 && n.fract() == 0.0 => Arg::Number(n as u64),
                (_, Some(s)) => Arg::from(s),
                (Some(n), _) => Arg::from(n.to_string()),
                _ => continue,
            };
            owned.push((name, arg));
        }
    }
    let args: Vec<(&str, Arg<'_>)> = owned.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    messages::text(id, &args)
}

/// `qrSvg(text)`: the QR code of `text` as an SVG picture (the CLI's
/// `--qr-svg`), or throws `bad_input`.
#[wasm_bindgen(js_name = qrSvg)]
pub fn qr_svg(text: &str) -> Result<String, JsValue> {
    let code = qr::encode(text).map_err(|e| Problem::saying("bad_input", sentence(&e)))?;
    Ok(qr::to_svg(&code))
}

/// `passphraseHint(passphrase)` → `{ score, text }`: a rough strength hint
/// (0 too short … 4 strong) while a new passphrase is typed
/// ([`vault_core::strength`]); nothing is kept.
#[wasm_bindgen(js_name = passphraseHint)]
pub fn passphrase_hint(passphrase: String) -> JsValue {
    let passphrase = Zeroizing::new(passphrase);
    let o = object();
    set(&o, "score", vault_core::strength::score(&passphrase));
    set(&o, "text", vault_core::strength::words(&passphrase));
    o.into()
}

/// `load(entries)`: the records as read from IndexedDB, an array of
/// `[hexKey, Uint8Array]`; replaces what this module holds and forgets
/// its journal (at start, and after a failed commit). A key that is not
/// hex is skipped (it is not ours).
#[wasm_bindgen]
pub fn load(entries: Array) {
    let mut out = Vec::with_capacity(entries.length() as usize);
    for e in entries.iter() {
        let pair = Array::from(&e);
        let Some(key) = pair.get(0).as_string().and_then(|k| unhex(&k)) else {
            continue;
        };
        let Ok(value) = pair.get(1).dyn_into::<Uint8Array>() else {
            continue;
        };
        out.push((key, value.to_vec()));
    }
    RECORDS.with(|r| r.load(out));
}

/// `hasVault()`: whether the records hold a vault.
#[wasm_bindgen(js_name = hasVault)]
pub fn has_vault() -> bool {
    RECORDS.with(|r| r.has_vault())
}

/// `isOpen()`: whether a vault is unlocked.
#[wasm_bindgen(js_name = isOpen)]
pub fn is_open() -> bool {
    VAULT.with(|v| v.borrow().is_some())
}

/// `takeChanges()`: the records changed since the last call, as
/// `[hexKey, Uint8Array | null]` (null: removed), for the Worker to
/// commit in one IndexedDB transaction.
#[wasm_bindgen(js_name = takeChanges)]
pub fn take_changes() -> Array {
    let out = Array::new();
    for (k, v) in RECORDS.with(|r| r.take_changes()) {
        let pair = Array::new();
        pair.push(&JsValue::from_str(&hex(&k)));
        pair.push(&match v {
            Some(v) => Uint8Array::from(&v[..]).into(),
            None => JsValue::NULL,
        });
        out.push(&pair);
    }
    out
}

fn opened(vault: Vault) -> Object {
    let o = object();
    set(&o, "id", vault.identity().public().to_string());
    let repairs = Array::new();
    for r in vault.repairs() {
        repairs.push(&JsValue::from_str(&r.words()));
    }
    set(&o, "repairs", repairs);
    VAULT.with(|v| *v.borrow_mut() = Some(vault));
    o
}

/// `create(passphrase)`: a new survivor's vault (Argon2id with the CLI's
/// parameters) → `{ id, repairs }`. Refused if a vault exists or the
/// passphrase is too short.
#[wasm_bindgen]
pub fn create(passphrase: String) -> Answer {
    let passphrase = Zeroizing::new(passphrase);
    if has_vault() {
        return Err(Problem::new("exists").into());
    }
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Problem::saying(
            "bad_input",
            vault_core::msg!("passphrase-too-short", min_len = MIN_PASSPHRASE_CHARS),
        )
        .into());
    }
    let store = RECORDS.with(Arc::clone);
    let mut vault = Vault::create_in(
        Box::new(store),
        Box::new(HostDocuments),
        passphrase.as_bytes(),
        Role::Survivor,
        KdfParams::DEFAULT,
    )
    .map_err(Problem::from)?;
    vault.set_clock(clock);
    Ok(opened(vault).into())
}

/// `unlock(passphrase)` → `{ id, repairs }`; `wrong_passphrase`,
/// `no_vault`.
#[wasm_bindgen]
pub fn unlock(passphrase: String) -> Answer {
    let passphrase = Zeroizing::new(passphrase);
    if !has_vault() {
        return Err(Problem::new("no_vault").into());
    }
    lock();
    let store = RECORDS.with(Arc::clone);
    let mut vault = Vault::open_in(
        Box::new(store),
        Box::new(HostDocuments),
        passphrase.as_bytes(),
    )
    .map_err(Problem::from)?;
    if vault.identity().role() != Role::Survivor {
        return Err(Problem::new("unknown").into());
    }
    vault.set_clock(clock);
    Ok(opened(vault).into())
}

/// `lock()`: drops the vault and every key, and any share half-made.
#[wasm_bindgen]
pub fn lock() {
    PENDING.with(|p| p.borrow_mut().take());
    PENDING_HELPER.with(|p| p.borrow_mut().take());
    READER.with(|r| r.borrow_mut().take());
    VAULT.with(|v| v.borrow_mut().take());
}

/// `list()` → `{ entries: [{ path, kind, name, type, size, sizeText,
/// updated, updatedText }], damaged }`.
#[wasm_bindgen]
pub fn list() -> Answer {
    with_vault(|vault| {
        let (entries, damaged) = vault.list()?;
        let out = Array::new();
        for e in entries {
            let o = object();
            set(&o, "path", e.path.as_str());
            set(&o, "kind", e.kind.as_str());
            set(
                &o,
                "name",
                e.name.as_ref().map(|n| visible(n.name()).into_owned()),
            );
            set(
                &o,
                "type",
                e.name.as_ref().map(|n| n.media_type().to_owned()),
            );
            set(&o, "size", e.size as f64);
            set(&o, "sizeText", human_size(e.size));
            set(&o, "updated", e.updated as f64);
            set(&o, "updatedText", local_long(e.updated));
            out.push(&o);
        }
        let o = object();
        set(&o, "entries", out);
        set(&o, "damaged", damaged as f64);
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// `getText(path)` → `{ value }`; a document → `bad_input`.
#[wasm_bindgen(js_name = getText)]
pub fn get_text(path_text: &str) -> Answer {
    let p = path(path_text)?;
    with_vault(|vault| match vault.get_text(&p)? {
        Some(value) => {
            let o = object();
            set(&o, "value", value.as_str());
            Ok(o.into())
        }
        None => Err(Problem::saying(
            "bad_input",
            vault_core::msg!("app-not-text", field = p.as_str()),
        )),
    })
    .map_err(JsValue::from)
}

/// `putText(path, value)` → `{}`.
#[wasm_bindgen(js_name = putText)]
pub fn put_text(path_text: &str, value: String) -> Answer {
    let value = Zeroizing::new(value);
    let p = path(path_text)?;
    with_vault(|vault| {
        vault.put_text(&p, &value)?;
        Ok(object().into())
    })
    .map_err(JsValue::from)
}

/// `putDocument(path, name, type)`: saves what the Worker's `inputRead`
/// yields → `{ size, sizeText }`. The name and type are kept if they pass
/// vault-core's checks (a type it does not take is guessed from the name).
#[wasm_bindgen(js_name = putDocument)]
pub fn put_document(path_text: &str, name: &str, media_type: &str) -> Answer {
    let p = path(path_text)?;
    let doc_name = DocName::new(name, media_type)
        .or_else(|_| DocName::from_file_name(name))
        .ok();
    with_vault(|vault| {
        let size = vault.put_named_document(&p, doc_name.as_ref(), &mut HostInput, &mut |_| {})?;
        let o = object();
        set(&o, "size", size as f64);
        set(&o, "sizeText", human_size(size));
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// `readDocument(path)`: hands the document to the Worker's `outputWrite`
/// chunk by chunk → `{ name, type }` (the name made safe to save, the type
/// one a browser shows without running anything). On a problem, the
/// Worker discards what it was given.
#[wasm_bindgen(js_name = readDocument)]
pub fn read_document(path_text: &str) -> Answer {
    let p = path(path_text)?;
    with_vault(|vault| {
        let (name, media_type) = saved_as(vault, &p)?;
        vault.read_document(&p, &mut HostOutput, &mut |_| {})?;
        let o = object();
        set(&o, "name", name);
        set(&o, "type", media_type);
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// The name a document is saved under, and the type given with it: the
/// name made safe to save, the type one a browser shows without running
/// anything.
fn saved_as(vault: &Vault, p: &FieldPath) -> Result<(String, &'static str), Problem> {
    let info = vault.info(p)?;
    let name = info.name.as_ref().map(|n| n.name());
    Ok((
        vault_core::docname::safe_file_name(name, p.as_str()),
        vault_core::docname::harmless_media_type(info.name.as_ref().map_or("", |n| n.media_type())),
    ))
}

/// `readBegin(path)` → `{ name, type, size }`: starts reading the document
/// one chunk at a time for a download the browser pulls (`readNext`),
/// replacing one started before. Nothing is read yet.
#[wasm_bindgen(js_name = readBegin)]
pub fn read_begin(path_text: &str) -> Answer {
    READER.with(|r| r.borrow_mut().take());
    let p = path(path_text)?;
    with_vault(|vault| {
        let (name, media_type) = saved_as(vault, &p)?;
        let reader = vault.document_reader(&p)?;
        let o = object();
        set(&o, "name", name);
        set(&o, "type", media_type);
        set(&o, "size", reader.len() as f64);
        READER.with(|r| *r.borrow_mut() = Some(reader));
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// `readNext(max)` → the next bytes of the document begun with
/// `readBegin`: whole chunks, authenticated, at least one and as many as
/// fit in `max` bytes; empty once the whole document was given and
/// checked. A problem (a document damaged or changed, the vault locked)
/// ends the reading: the Worker abandons the download.
#[wasm_bindgen(js_name = readNext)]
pub fn read_next(max: u32) -> Answer {
    let result = with_vault(|vault| {
        READER.with(|r| {
            let mut slot = r.borrow_mut();
            let reader = slot.as_mut().ok_or_else(|| Problem::new("unknown"))?;
            let max = (max as usize).max(1);
            let mut out = Zeroizing::new(Vec::new());
            while out.len() < max {
                match reader.next_chunk(vault)? {
                    Some(chunk) => out.extend_from_slice(chunk),
                    None => break,
                }
                if out.len() + vault_core::crypto::stream::CHUNK_SIZE > max {
                    break;
                }
            }
            Ok(Uint8Array::from(&out[..]).into())
        })
    });
    if result.is_err() {
        READER.with(|r| r.borrow_mut().take());
    }
    result.map_err(JsValue::from)
}

/// `readEnd()`: drops the reader begun with `readBegin` (the download ended
/// or was cancelled).
#[wasm_bindgen(js_name = readEnd)]
pub fn read_end() {
    READER.with(|r| r.borrow_mut().take());
}

/// `remove(path)` → `{}`.
#[wasm_bindgen]
pub fn remove(path_text: &str) -> Answer {
    let p = path(path_text)?;
    with_vault(|vault| {
        vault.remove(&p)?;
        Ok(object().into())
    })
    .map_err(JsValue::from)
}

fn contact_js(c: &contacts::Contact) -> Object {
    let o = object();
    set(&o, "name", visible(&c.name).into_owned());
    if let Some(id) = c.id() {
        set(&o, "id", id.to_string());
        set(&o, "role", id.role().prefix());
        set(&o, "fingerprint", contacts::fingerprint(&id));
    }
    o
}

/// `contacts()` → `{ contacts: [{ name, id, role, fingerprint }] }`.
#[wasm_bindgen]
pub fn contacts() -> Answer {
    with_vault(|vault| {
        let (all, _) = contacts::list(vault)?;
        let out = Array::new();
        for c in &all {
            out.push(&contact_js(c));
        }
        let o = object();
        set(&o, "contacts", out);
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// `addContact(name, id)` → `{ contact }`.
#[wasm_bindgen(js_name = addContact)]
pub fn add_contact(name: &str, id: &str) -> Answer {
    with_vault(|vault| {
        let name = contacts::parse_name(name)?;
        let id = contacts::parse_id(id.trim(), Role::Survivor)?;
        let c = contacts::add(vault, &name, &id, clock())?;
        let o = object();
        set(&o, "contact", contact_js(&c));
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// `removeContact(name)` → `{}`.
#[wasm_bindgen(js_name = removeContact)]
pub fn remove_contact(name: &str) -> Answer {
    with_vault(|vault| {
        contacts::remove(vault, name)?;
        Ok(object().into())
    })
    .map_err(JsValue::from)
}

/// A share request as the page gives it.
struct ShareArgs {
    scope: Scope,
    to: Option<String>,
    purpose: String,
    hours: u64,
    uses: u32,
}

fn share_args(args: &JsValue) -> Result<ShareArgs, Problem> {
    let fields: Vec<String> = Array::from(&get(args, "fields"))
        .iter()
        .filter_map(|f| f.as_string())
        .collect();
    let scope = Scope::parse_list(&fields.join(","))
        .map_err(|e| Problem::saying("bad_input", sentence(&e)))?;
    let to = get(args, "to")
        .as_string()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    let purpose = get(args, "purpose").as_string().unwrap_or_default();
    let hours = get(args, "hours").as_f64().unwrap_or(0.0);
    let uses = get(args, "uses").as_f64().unwrap_or(0.0);
    let max_hours = MAX_VALIDITY_SECS / 3600;
    if !(hours >= 1.0 && hours.fract() == 0.0 && hours <= max_hours as f64) {
        return Err(Problem::saying(
            "bad_input",
            vault_core::msg!("app-bad-hours", max_hours = max_hours),
        ));
    }
    if !(uses >= 1.0 && uses.fract() == 0.0 && uses <= f64::from(MAX_USES)) {
        return Err(Problem::saying(
            "bad_input",
            vault_core::msg!("grant-bad-uses", max_uses = u64::from(MAX_USES)),
        ));
    }
    Ok(ShareArgs {
        scope,
        to,
        purpose: purpose.trim().to_owned(),
        hours: hours as u64,
        uses: uses as u32,
    })
}

/// The prepared share, who it goes to as the survivor knows them, and
/// whether that agency is one of their contacts.
fn prepare(
    vault: &Vault,
    args: ShareArgs,
    now: u64,
) -> Result<(Prepared, Option<String>, bool), Problem> {
    let (audience, shown, known) = match &args.to {
        Some(to) => {
            let id = contacts::resolve(vault, to, Role::Agency)?;
            let (all, _) = contacts::list(vault)?;
            let known = contacts::named(&all, &id).is_some();
            (Some(id), Some(contacts::show(&all, &id)), known)
        }
        None => (None, None, true),
    };
    // Whole minutes, as `vault grant`: the consent text states them.
    let not_before = now / 60 * 60;
    let prepared = grant::prepare(
        vault,
        GrantRequest {
            scope: args.scope,
            audience,
            purpose: args.purpose,
            not_before,
            expires: not_before + args.hours * 3600,
            max_uses: args.uses,
        },
    )?;
    Ok((prepared, shown, known))
}

/// `previewShare(args, nowSecs)` → `{ preview, leaving: [{ path, text }],
/// unknownAgency }`: the words `vault grant` shows before asking, and each
/// field's content as it will leave.
#[wasm_bindgen(js_name = previewShare)]
pub fn preview_share(args: JsValue, now_secs: f64) -> Answer {
    let args = share_args(&args)?;
    with_vault(|vault| {
        let (prepared, shown, known) = prepare(vault, args, secs(now_secs))?;
        let preview = prepared.survivor_preview(vault, shown.as_deref())?;
        let leaving = Array::new();
        for f in &prepared.fields {
            let text = match f.kind {
                Kind::Text => vault
                    .get_text(&f.path)?
                    .map(|t| visible_lines(&t).into_owned())
                    .unwrap_or_default(),
                Kind::Document => format!(
                    "{} ({})",
                    f.name.as_ref().map_or_else(
                        || f.path.as_str().to_owned(),
                        |n| visible(n.name()).into_owned()
                    ),
                    human_size(f.size)
                ),
            };
            let o = object();
            set(&o, "path", f.path.as_str());
            set(&o, "text", text);
            leaving.push(&o);
        }
        let o = object();
        set(&o, "preview", visible_lines(&preview).into_owned());
        set(&o, "leaving", leaving);
        set(&o, "unknownAgency", !known);
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// A share issued (its record kept in the vault) and not yet uploaded.
struct PendingShare {
    token_id: [u8; 32],
    link: Zeroizing<String>,
    expires: u64,
    uses: u32,
}

/// A JS number of seconds: fractions dropped, negatives and NaN as 0.
fn secs(now: f64) -> u64 {
    now as u64
}

/// `shareRequest(args, origin, nowSecs)`: builds the share (its record is
/// kept in the vault) and the upload → `{ method, path, headers: [[name,
/// value]], body: Uint8Array }`. The Worker sends it and gives the answer
/// to `shareAnswer`, or calls `shareAbandon` if the relay was not reached.
#[wasm_bindgen(js_name = shareRequest)]
pub fn share_request(args: JsValue, origin: &str, now_secs: f64) -> Answer {
    let args = share_args(&args)?;
    let now = secs(now_secs);
    share_abandon();
    with_vault(|vault| {
        let (prepared, _, _) = prepare(vault, args, now)?;
        let (issued, bundle) = grant::issue_bundle(vault, &prepared, origin, now, Vec::new())?;
        let (share, token) = vault_core::share::bundle::split(&bundle)
            .map_err(|e| Problem::saying("unknown", sentence(&e)))?;
        let path = "/v1/shares";
        let mut headers = request::sign(vault.identity(), origin, "POST", path, now, share)
            .map_err(|_| Problem::new("unknown"))?;
        headers.push((H_TOKEN, vault_core::relay::b64(token)));
        headers.push(("content-type", UPLOAD_CONTENT_TYPE.to_owned()));
        let list = Array::new();
        for (k, v) in headers {
            let pair = Array::new();
            pair.push(&JsValue::from_str(k));
            pair.push(&JsValue::from_str(&v));
            list.push(&pair);
        }
        let o = object();
        set(&o, "method", "POST");
        set(&o, "path", path);
        set(&o, "headers", list);
        set(&o, "body", Uint8Array::from(share));
        PENDING.with(|p| {
            *p.borrow_mut() = Some(PendingShare {
                token_id: issued.record.token_id,
                link: Zeroizing::new(issued.link.to_text().as_str().to_owned()),
                expires: prepared.request.expires,
                uses: prepared.request.max_uses,
            })
        });
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// `shareAbandon()`: the share being made is forgotten and its record
/// removed (the relay was not reached, so nobody can use it).
#[wasm_bindgen(js_name = shareAbandon)]
pub fn share_abandon() {
    if let Some(p) = PENDING.with(|p| p.borrow_mut().take()) {
        let _ = with_vault(|vault| Ok(vault.remove_private(NS_GRANT, &p.token_id)?));
    }
}

/// The relay's refusal in words (`refused`), or `unknown` for an answer
/// that is not the relay's.
pub(crate) fn refusal(status: u16, body: &str) -> Problem {
    match serde_json::from_str::<ErrorBody>(body)
        .ok()
        .and_then(|e| Refusal::from_code(&e.error))
    {
        Some(r) => Problem::saying("refused", sentence(&r.message())),
        None => Problem::saying(
            "unknown",
            vault_core::msg!("app-not-the-relay", status = u64::from(status)),
        ),
    }
}

/// `shareAnswer(status, bodyText)`: the relay's answer to the upload →
/// `{ link, qrSvg, tokenId, shortId, expires, expiresText, uses }`; if the
/// relay refused, the share's record is removed and the problem thrown.
#[wasm_bindgen(js_name = shareAnswer)]
pub fn share_answer(status_code: f64, body: &str) -> Answer {
    let Some(p) = PENDING.with(|p| p.borrow_mut().take()) else {
        return Err(Problem::new("unknown").into());
    };
    let status = status_code as u16;
    let accepted = (200..300).contains(&status)
        && serde_json::from_str::<UploadResponse>(body)
            .is_ok_and(|r| r.token_id == hex(&p.token_id));
    if !accepted {
        let _ = with_vault(|vault| Ok(vault.remove_private(NS_GRANT, &p.token_id)?));
        return Err(refusal(status, body).into());
    }
    let token_id = hex(&p.token_id);
    let o = object();
    set(&o, "link", p.link.as_str());
    set(&o, "qrSvg", qr_svg(&p.link)?);
    set(&o, "tokenId", token_id.as_str());
    set(&o, "shortId", &token_id[..12]);
    set(&o, "expires", p.expires as f64);
    set(&o, "expiresText", local_long(p.expires));
    set(&o, "uses", p.uses);
    Ok(o.into())
}

/// A request for the Worker to send: `{ method, path, headers: [[name,
/// value]], body }` (body a `Uint8Array`, or absent for a GET), signed by
/// the survivor's main key for `origin` at `now`.
fn signed_request(
    vault: &Vault,
    method: &str,
    path: &str,
    body: Option<Vec<u8>>,
    origin: &str,
    now: u64,
) -> Result<JsValue, Problem> {
    signed_by(vault.identity(), method, path, body, origin, now)
}

/// [`signed_request`] signed by `signer` (the advocate's key for the
/// advocate's requests).
fn signed_by(
    signer: &vault_core::Identity,
    method: &str,
    path: &str,
    body: Option<Vec<u8>>,
    origin: &str,
    now: u64,
) -> Result<JsValue, Problem> {
    let bytes = body.as_deref().unwrap_or(&[]);
    let mut headers = request::sign(signer, origin, method, path, now, bytes)
        .map_err(|_| Problem::new("unknown"))?;
    if body.is_some() {
        headers.push(("content-type", "application/json".to_owned()));
    }
    let list = Array::new();
    for (k, v) in headers {
        let pair = Array::new();
        pair.push(&JsValue::from_str(k));
        pair.push(&JsValue::from_str(&v));
        list.push(&pair);
    }
    let o = object();
    set(&o, "method", method);
    set(&o, "path", path);
    set(&o, "headers", list);
    if let Some(b) = body {
        set(&o, "body", Uint8Array::from(&b[..]));
    }
    Ok(o.into())
}

/// `clockOffset(status, bodyText, nowSecs)`: for an answer `403
/// clock_skew` that gives the relay's time, how many seconds to add to
/// this device's clock to sign again (once, and never an upload, as
/// `vault` does); otherwise `undefined`.
#[wasm_bindgen(js_name = clockOffset)]
pub fn clock_offset(status_code: f64, body: &str, now_secs: f64) -> Option<f64> {
    if status_code as u16 != 403 {
        return None;
    }
    let e = serde_json::from_str::<ErrorBody>(body).ok()?;
    if Refusal::from_code(&e.error) != Some(Refusal::ClockSkew) {
        return None;
    }
    e.relay_time.map(|t| t as f64 - now_secs.floor())
}

/// The relay's JSON answer as `T`, or the problem it means.
fn answer_as<T: serde::de::DeserializeOwned>(status_code: f64, body: &str) -> Result<T, Problem> {
    let status = status_code as u16;
    if !(200..300).contains(&status) {
        return Err(refusal(status, body));
    }
    serde_json::from_str(body).map_err(|_| {
        Problem::saying(
            "unknown",
            vault_core::msg!("app-not-the-relay", status = u64::from(status)),
        )
    })
}

/// `sharesRequest(origin, nowSecs)`: `GET /v1/shares`, signed.
#[wasm_bindgen(js_name = sharesRequest)]
pub fn shares_request(origin: &str, now_secs: f64) -> Answer {
    with_vault(|vault| signed_request(vault, "GET", "/v1/shares", None, origin, secs(now_secs)))
        .map_err(JsValue::from)
}

/// `shares(origin, status, bodyText)`: the vault's shares joined with the
/// relay's list (`status` 0: the relay was not reached) → `{ shares:
/// [{ tokenId, shortId, fields, who, purpose, expires, expiresText,
/// usesLeft, maxUses, status, statusText }], relayReached }`, newest first.
#[wasm_bindgen]
pub fn shares(origin: &str, status_code: f64, body: &str) -> Answer {
    let remote: Option<SharesResponse> = if status_code == 0.0 {
        None
    } else {
        Some(answer_as(status_code, body)?)
    };
    with_vault(|vault| {
        let (mut records, _) = grant::records(vault)?;
        records.sort_by_key(|r| std::cmp::Reverse(r.created));
        let (known, _) = contacts::list(vault)?;
        let out = Array::new();
        for r in &records {
            let st = vault_core::shares::status(r, remote.as_ref(), origin);
            let token_id = hex(&r.token_id);
            let fields = Array::new();
            for f in &r.fields {
                fields.push(&JsValue::from_str(f.as_str()));
            }
            let o = object();
            set(&o, "tokenId", token_id.as_str());
            set(&o, "shortId", &token_id[..12]);
            set(&o, "fields", fields);
            set(
                &o,
                "who",
                visible(&vault_core::shares::to_whom(r, &known)).into_owned(),
            );
            set(&o, "purpose", visible(&r.purpose).into_owned());
            set(&o, "expires", r.expires as f64);
            set(&o, "expiresText", local_long(r.expires));
            set(
                &o,
                "usesLeft",
                st.uses.map(|u| f64::from(r.max_uses.saturating_sub(u))),
            );
            set(&o, "maxUses", r.max_uses);
            set(&o, "status", st.status.as_str());
            set(
                &o,
                "statusText",
                vault_core::msg!("app-share-status", status = st.status.replace(' ', "_")),
            );
            out.push(&o);
        }
        let o = object();
        set(&o, "shares", out);
        set(&o, "relayReached", remote.is_some());
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// `withdrawRequest(tokenId, origin, nowSecs)`: `POST /v1/revoke` for one
/// share (`tokenId` the full id from `shares`), or `POST /v1/revoke-all`
/// when `tokenId` is null.
#[wasm_bindgen(js_name = withdrawRequest)]
pub fn withdraw_request(token_id: Option<String>, origin: &str, now_secs: f64) -> Answer {
    let (path, body) = match token_id {
        Some(t) => {
            let t = t.trim().to_ascii_lowercase();
            if t.len() != 64 || unhex(&t).is_none() {
                return Err(
                    Problem::saying("bad_input", vault_core::msg!("revoke-no-such-token")).into(),
                );
            }
            (
                "/v1/revoke",
                serde_json::to_vec(&RevokeRequest { token_id: t }),
            )
        }
        None => (
            "/v1/revoke-all",
            serde_json::to_vec(&RevokeAllRequest { survivor: None }),
        ),
    };
    let body = body.expect("a revoke request is strings, which always serialize");
    with_vault(|vault| signed_request(vault, "POST", path, Some(body), origin, secs(now_secs)))
        .map_err(JsValue::from)
}

/// `withdrawn(status, bodyText, listStatus, listText, nowSecs, one)`: the
/// relay's answer to a withdrawal, and to the `GET /v1/shares` asked right
/// after (`listStatus` 0: not reached) → `{ text, stopped: [line] }` in
/// the words of `vault revoke` (`one`: a single share was asked for).
#[wasm_bindgen]
pub fn withdrawn(
    status_code: f64,
    body: &str,
    list_status: f64,
    list_body: &str,
    now_secs: f64,
    one: bool,
) -> Answer {
    let answer: RevokeResponse = answer_as(status_code, body)?;
    let list: Option<SharesResponse> = if list_status == 0.0 {
        None
    } else {
        answer_as(list_status, list_body).ok()
    };
    let live = list
        .as_ref()
        .map(|l| vault_core::shares::still_live(&answer.revoked, l, secs(now_secs)));
    let text =
        vault_core::shares::withdrawn_words(answer.revoked.len(), live.as_ref().map(Vec::len), one);
    let stopped_ids = live.unwrap_or_else(|| answer.revoked.clone());
    with_vault(|vault| {
        let (records, _) = grant::records(vault)?;
        let (known, _) = contacts::list(vault)?;
        let stopped = Array::new();
        if !one {
            for id in &stopped_ids {
                stopped.push(&JsValue::from_str(&vault_core::shares::stopped_line(
                    id, &records, &known,
                )));
            }
        }
        let o = object();
        set(&o, "text", text);
        set(&o, "stopped", stopped);
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// `historyRequest(origin, nowSecs)`: `GET /v1/log`, signed.
#[wasm_bindgen(js_name = historyRequest)]
pub fn history_request(origin: &str, now_secs: f64) -> Answer {
    with_vault(|vault| signed_request(vault, "GET", "/v1/log", None, origin, secs(now_secs)))
        .map_err(JsValue::from)
}

/// `history(origin, status, bodyText)`: the relay's log, checked by
/// vault-core (chain, signed head, the head this vault remembers, which
/// is then updated) → `{ lines: [{ time, timeText, text }], verified,
/// warning }`; a history that does not hold together gives no lines,
/// `verified: false` and the warning `vault log` gives.
#[wasm_bindgen]
pub fn history(origin: &str, status_code: f64, body: &str) -> Answer {
    let answer: LogResponse = answer_as(status_code, body)?;
    with_vault(|vault| {
        let o = object();
        let lines = Array::new();
        match vault_core::history::check(vault, origin, &answer, &local_long) {
            Ok(h) => {
                let (known, _) = contacts::list(vault)?;
                for l in h.lines.iter().rev() {
                    let line = object();
                    set(&line, "time", l.at as f64);
                    set(&line, "timeText", local_long(l.at));
                    set(
                        &line,
                        "text",
                        visible(&contacts::name_ids(&l.text, &known)).into_owned(),
                    );
                    lines.push(&line);
                }
                set(&o, "verified", true);
                set(&o, "warning", JsValue::NULL);
            }
            Err(HistoryError::Tampered(warning)) => {
                set(&o, "verified", false);
                set(&o, "warning", warning);
            }
            Err(HistoryError::Vault(v)) => return Err(v.into()),
            Err(other) => return Err(Problem::saying("unknown", sentence(&other))),
        }
        set(&o, "lines", lines);
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// A permission for an advocate, built and waiting for the relay's answer.
struct PendingHelper {
    advocate: PublicId,
    shown: String,
    until: u64,
    given: u64,
}

/// The advocate `text` names (an id or a contact's name), how the survivor
/// knows them, until when a permission of `days` from `now` lasts, and
/// until when the one it replaces lasted.
fn helper_terms(
    vault: &Vault,
    text: &str,
    days: f64,
    now: u64,
) -> Result<(PublicId, String, u64, Option<u64>), Problem> {
    let max_days = MAX_VALIDITY_SECS / 86_400;
    if !(days >= 1.0 && days.fract() == 0.0 && days <= max_days as f64) {
        return Err(Problem::saying(
            "bad_input",
            vault_core::msg!("app-bad-days", max_days = max_days),
        ));
    }
    let advocate = contacts::resolve(vault, text.trim(), Role::Advocate)?;
    let (all, _) = contacts::list(vault)?;
    let shown = contacts::show(&all, &advocate);
    let previous = contacts::delegation(vault, &advocate)?
        .map(|d| d.until)
        .filter(|&end| end > now);
    Ok((
        advocate,
        shown,
        now / 60 * 60 + days as u64 * 86_400,
        previous,
    ))
}

/// `previewHelper(advocate, days, nowSecs)` → `{ preview, replaces }`: the
/// words `vault delegate` shows before asking (what the advocate will and
/// will not see).
#[wasm_bindgen(js_name = previewHelper)]
pub fn preview_helper(advocate: &str, days: f64, now_secs: f64) -> Answer {
    let now = secs(now_secs);
    with_vault(|vault| {
        let (_, shown, until, previous) = helper_terms(vault, advocate, days, now)?;
        let o = object();
        set(
            &o,
            "preview",
            vault_core::preview::delegation_text(&visible(&shown), now, until, previous),
        );
        set(&o, "replaces", previous.is_some());
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// `helperRequest(advocate, days, origin, nowSecs)`: `POST /v1/delegations`,
/// signed; `helperAnswer` reads the relay's answer.
#[wasm_bindgen(js_name = helperRequest)]
pub fn helper_request(advocate: &str, days: f64, origin: &str, now_secs: f64) -> Answer {
    let now = secs(now_secs);
    with_vault(|vault| {
        let (advocate, shown, until, _) = helper_terms(vault, advocate, days, now)?;
        let body = serde_json::to_vec(&DelegationRequest {
            advocate: advocate.to_string(),
            until,
        })
        .expect("a delegation request is strings and numbers, which always serialize");
        let req = signed_request(vault, "POST", "/v1/delegations", Some(body), origin, now)?;
        PENDING_HELPER.with(|p| {
            *p.borrow_mut() = Some(PendingHelper {
                advocate,
                shown,
                until,
                given: now,
            })
        });
        Ok(req)
    })
    .map_err(JsValue::from)
}

/// `helperAnswer(status, bodyText)` → `{ text }`; the permission is noted
/// in the vault once the relay has it.
#[wasm_bindgen(js_name = helperAnswer)]
pub fn helper_answer(status_code: f64, body: &str) -> Answer {
    let Some(p) = PENDING_HELPER.with(|p| p.borrow_mut().take()) else {
        return Err(Problem::new("unknown").into());
    };
    let status = status_code as u16;
    if !(200..300).contains(&status) {
        return Err(refusal(status, body).into());
    }
    with_vault(|vault| {
        contacts::remember_delegation(
            vault,
            &contacts::Delegation {
                advocate: *p.advocate.key_bytes(),
                until: p.until,
                given: p.given,
            },
        )?;
        let o = object();
        set(
            &o,
            "text",
            vault_core::msg!(
                "app-helper-added",
                advocate = visible(&p.shown),
                until = local_long(p.until)
            ),
        );
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// `helpers()` → `{ helpers: [{ advocate, name, until, untilText }] }`:
/// the permissions this vault gave, as it noted them, soonest end first.
#[wasm_bindgen]
pub fn helpers() -> Answer {
    with_vault(|vault| {
        let (all, _) = contacts::delegations(vault)?;
        let (known, _) = contacts::list(vault)?;
        let out = Array::new();
        for d in all {
            let Some(id) = PublicId::from_key_bytes(Role::Advocate, &d.advocate) else {
                continue;
            };
            let o = object();
            set(&o, "advocate", id.to_string());
            set(
                &o,
                "name",
                contacts::named(&known, &id).map(|c| visible(&c.name).into_owned()),
            );
            set(&o, "until", d.until as f64);
            set(&o, "untilText", local_long(d.until));
            out.push(&o);
        }
        let o = object();
        set(&o, "helpers", out);
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// `endHelperRequest(advocate, origin, nowSecs)`: `POST
/// /v1/delegations/remove`, signed; `endHelperAnswer` reads the answer.
#[wasm_bindgen(js_name = endHelperRequest)]
pub fn end_helper_request(advocate: &str, origin: &str, now_secs: f64) -> Answer {
    with_vault(|vault| {
        let id = contacts::resolve(vault, advocate.trim(), Role::Advocate)?;
        let (all, _) = contacts::list(vault)?;
        let body = serde_json::to_vec(&UndelegateRequest {
            advocate: id.to_string(),
        })
        .expect("an undelegate request is a string, which always serializes");
        let req = signed_request(
            vault,
            "POST",
            "/v1/delegations/remove",
            Some(body),
            origin,
            secs(now_secs),
        )?;
        PENDING_HELPER.with(|p| {
            *p.borrow_mut() = Some(PendingHelper {
                shown: contacts::show(&all, &id),
                advocate: id,
                until: 0,
                given: 0,
            })
        });
        Ok(req)
    })
    .map_err(JsValue::from)
}

/// `endHelperAnswer(status, bodyText)` → `{ text }` (`vault undelegate`'s
/// words). A relay that had no such permission: this vault's note of it
/// is stale and forgotten, and the problem says nothing changed.
#[wasm_bindgen(js_name = endHelperAnswer)]
pub fn end_helper_answer(status_code: f64, body: &str) -> Answer {
    let Some(p) = PENDING_HELPER.with(|p| p.borrow_mut().take()) else {
        return Err(Problem::new("unknown").into());
    };
    let status = status_code as u16;
    let not_found = serde_json::from_str::<ErrorBody>(body)
        .ok()
        .and_then(|e| Refusal::from_code(&e.error))
        == Some(Refusal::NotFound);
    with_vault(|vault| {
        let shown = visible(&p.shown).into_owned();
        if not_found {
            contacts::forget_delegation(vault, &p.advocate)?;
            return Err(Problem::saying(
                "refused",
                vault_core::msg!("undelegate-none", advocate = shown),
            ));
        }
        if !(200..300).contains(&status) {
            return Err(refusal(status, body));
        }
        contacts::forget_delegation(vault, &p.advocate)?;
        let o = object();
        set(
            &o,
            "text",
            vault_core::msg!("undelegate-done", advocate = shown),
        );
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// `relayUnreachable(origin)`: the problem for a relay that could not be
/// reached (nothing was sent, nothing kept).
#[wasm_bindgen(js_name = relayUnreachable)]
pub fn relay_unreachable(origin: &str) -> JsValue {
    Problem::saying(
        "relay_unreachable",
        vault_core::msg!("relay-unreachable", origin = origin),
    )
    .into()
}

/// `storageProblem()`: the problem for a commit the browser refused.
#[wasm_bindgen(js_name = storageProblem)]
pub fn storage_problem() -> JsValue {
    Problem::new("storage").into()
}

/// `problem(kind)`: the problem of that kind with its own words (for the
/// Worker's own refusals: `locked`, `no_vault`, `bad_input`, `unknown`).
#[wasm_bindgen]
pub fn problem(kind: &str) -> JsValue {
    let kind = match kind {
        "locked" => "locked",
        "no_vault" => "no_vault",
        "bad_input" => "bad_input",
        "storage" => "storage",
        "relay_unreachable" => "relay_unreachable",
        "open_elsewhere" => "open_elsewhere",
        "relay_elsewhere" => "relay_elsewhere",
        _ => "unknown",
    };
    Problem::new(kind).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_one_sentence_of_core_words() {
        assert_eq!(sentence(&"the text is long"), "The text is long.");
        assert_eq!(sentence(&"Done."), "Done.");
        assert_eq!(sentence(&""), "");
    }

    #[test]
    fn signs_again_only_for_a_clock_skew_that_gives_the_relays_time() {
        let skew = r#"{"error":"clock_skew","message":"x","relay_time":1000}"#;
        assert_eq!(clock_offset(403.0, skew, 400.5), Some(600.0));
        assert_eq!(clock_offset(400.0, skew, 400.0), None);
        assert_eq!(
            clock_offset(403.0, r#"{"error":"clock_skew","message":"x"}"#, 400.0),
            None
        );
        assert_eq!(
            clock_offset(
                403.0,
                r#"{"error":"no_permission","message":"x","relay_time":1}"#,
                1.0
            ),
            None
        );
        assert_eq!(clock_offset(403.0, "not json", 1.0), None);
    }

    #[test]
    fn reads_a_refusal_in_the_relays_words_and_anything_else_as_unknown() {
        let p = refusal(404, r#"{"error":"not_found","message":"x"}"#);
        assert_eq!(p.kind, "refused");
        assert_eq!(
            p.message.as_deref(),
            Some(sentence(&Refusal::NotFound.message()).as_str())
        );
        let p = refusal(502, "<html>bad gateway</html>");
        assert_eq!(p.kind, "unknown");
        assert!(p.message.as_deref().is_some_and(|m| m.contains("502")));
    }

    #[test]
    fn has_words_for_every_problem_kind() {
        for kind in [
            "wrong_passphrase",
            "locked",
            "no_vault",
            "exists",
            "bad_path",
            "bad_input",
            "relay_unreachable",
            "refused",
            "storage",
            "open_elsewhere",
            "relay_elsewhere",
            "unknown",
        ] {
            let id = format!("app-problem-{}", kind.replace('_', "-"));
            for part in [id.clone(), format!("{id}.message"), format!("{id}.next")] {
                messages::check_catalogue(&part, &[]).expect("in the catalogue");
            }
        }
    }
}
