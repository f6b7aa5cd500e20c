//! The advocate's side of the app ("Acting for someone"): an advocate who
//! uses Folio with a vault of their own loads their advocate key file
//! (`vault advocate export-key`), and lists and withdraws the shares of
//! the people who gave them permission. Never content: the relay gives an
//! advocate only a share's token id, audience, times, uses and status.
//!
//! The key is kept sealed in the vault (`NS_ADVOCATE_KEY`, vault-format
//! §4) and read again for each request, so `lock` drops it with the vault.
//! Relay calls are sans-IO as in the rest of the module: `…Request` builds
//! the signed request, the Worker fetches, the answer function reads it.
//! Every sentence is vault-core's (`vault_core::advocate`, the words of
//! `vault advocate …`).

use js_sys::Array;
use vault_core::advocate::{self as words, NotDone};
use vault_core::display::visible;
use vault_core::keyfile::{self, KeyFileError};
use vault_core::relay::api::{
    DelegationsResponse, ErrorBody, RevokeAllRequest, RevokeRequest, RevokeResponse, SharesResponse,
};
use vault_core::relay::{unhex, Refusal};
use vault_core::vault::NS_ADVOCATE_KEY;
use vault_core::{contacts, Identity, PublicId, Role, Vault};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use super::{
    answer_as, local_long, object, refusal, secs, sentence, set, signed_by, with_vault, Answer,
    Problem,
};

/// The one record's id in [`NS_ADVOCATE_KEY`].
const KEY_ID: &[u8] = b"key";

/// A key file that did not open, in its own words (which name the right
/// file); `bad_input`, never `wrong_passphrase`, which the page reads as
/// Folio's own passphrase.
fn key_file_problem(e: KeyFileError) -> Problem {
    Problem::saying("bad_input", sentence(&e))
}

/// `advocateImport(bytes, passphrase)`: opens an advocate's key file and
/// keeps the key sealed in this vault (replacing one loaded before) →
/// `{ id }`. An agency's key file is refused in words.
#[wasm_bindgen(js_name = advocateImport)]
pub fn advocate_import(bytes: &[u8], passphrase: String) -> Answer {
    let passphrase = Zeroizing::new(passphrase);
    with_vault(|vault| {
        let id = keyfile::open_advocate(bytes, passphrase.as_bytes()).map_err(key_file_problem)?;
        let mut plain = Zeroizing::new(Vec::with_capacity(33));
        plain.push(Role::Advocate.code());
        plain.extend_from_slice(&id.seed()[..]);
        vault.put_private(NS_ADVOCATE_KEY, KEY_ID, &plain)?;
        let o = object();
        set(&o, "id", id.public().to_string());
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// The advocate's key kept in `vault`, or `bad_input` saying to load it.
fn advocate_key(vault: &Vault) -> Result<Identity, Problem> {
    let none = || Problem::saying("bad_input", vault_core::msg!("app-advocate-no-key"));
    let plain = vault
        .get_private(NS_ADVOCATE_KEY, KEY_ID)?
        .ok_or_else(none)?;
    match plain.split_first() {
        Some((&code, seed)) if code == Role::Advocate.code() => {
            let seed: &[u8; 32] = seed.try_into().map_err(|_| none())?;
            Ok(Identity::from_seed(Role::Advocate, seed))
        }
        _ => Err(none()),
    }
}

/// `advocateId()` → `{ id }` (`advocate1…`), or null when no key is loaded.
#[wasm_bindgen(js_name = advocateId)]
pub fn advocate_id() -> Answer {
    with_vault(|vault| {
        Ok(match advocate_key(vault) {
            Ok(id) => {
                let o = object();
                set(&o, "id", id.public().to_string());
                o.into()
            }
            Err(_) => JsValue::NULL,
        })
    })
    .map_err(JsValue::from)
}

/// A survivor's id as the page gives it back (from `advocateClients`).
fn survivor(text: &str) -> Result<PublicId, Problem> {
    PublicId::parse(text.trim(), Role::Survivor)
        .map_err(|e| Problem::saying("bad_input", sentence(&e)))
}

/// The relay's `no_permission` in the advocate's words (what was not
/// done, since when the permission ended); any other refusal as usual.
fn advocate_refusal(status: u16, body: &str, whom: Option<&str>, not_done: NotDone) -> Problem {
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(e) if Refusal::from_code(&e.error) == Some(Refusal::NoPermission) => Problem::saying(
            "refused",
            words::no_permission(whom, e.ended_at, not_done, &local_long),
        ),
        _ => refusal(status, body),
    }
}

/// How the vault's owner named `id` (a contact), or the id.
fn shown(vault: &Vault, id: &PublicId) -> Result<(String, Option<String>), Problem> {
    let (known, _) = contacts::list(vault)?;
    let name = contacts::named(&known, id).map(|c| visible(&c.name).into_owned());
    Ok((contacts::show(&known, id), name))
}

/// `advocateClientsRequest(origin, nowSecs)`: `GET /v1/delegations`,
/// signed by the advocate's key.
#[wasm_bindgen(js_name = advocateClientsRequest)]
pub fn advocate_clients_request(origin: &str, now_secs: f64) -> Answer {
    with_vault(|vault| {
        let key = advocate_key(vault)?;
        signed_by(&key, "GET", "/v1/delegations", None, origin, secs(now_secs))
    })
    .map_err(JsValue::from)
}

/// `advocateClients(status, bodyText, nowSecs)` → `{ clients: [{ survivor,
/// name, until, untilText, active, whenText }] }`: who gave this advocate
/// permission, soonest end first, as the relay says.
#[wasm_bindgen(js_name = advocateClients)]
pub fn advocate_clients(status_code: f64, body: &str, now_secs: f64) -> Answer {
    let answer: DelegationsResponse = answer_as(status_code, body)?;
    let now = secs(now_secs);
    with_vault(|vault| {
        let out = Array::new();
        for d in &answer.delegations {
            let Ok(id) = PublicId::parse(&d.survivor, Role::Survivor) else {
                continue;
            };
            let (_, name) = shown(vault, &id)?;
            let o = object();
            set(&o, "survivor", id.to_string());
            set(&o, "name", name);
            set(&o, "until", d.until as f64);
            set(&o, "untilText", local_long(d.until));
            set(&o, "active", d.until > now);
            set(
                &o,
                "whenText",
                words::client_when(d.until, now, &local_long),
            );
            out.push(&o);
        }
        let o = object();
        set(&o, "clients", out);
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// `advocateSharesRequest(survivor, origin, nowSecs)`: `GET
/// /v1/shares?survivor=…`, signed by the advocate's key.
#[wasm_bindgen(js_name = advocateSharesRequest)]
pub fn advocate_shares_request(survivor_text: &str, origin: &str, now_secs: f64) -> Answer {
    let who = survivor(survivor_text)?;
    with_vault(|vault| {
        let key = advocate_key(vault)?;
        let path = format!("/v1/shares?survivor={who}");
        signed_by(&key, "GET", &path, None, origin, secs(now_secs))
    })
    .map_err(JsValue::from)
}

/// `advocateShares(survivor, status, bodyText, nowSecs)` → `{ shares:
/// [{ tokenId, shortId, fields: [], who, purpose: null, expires,
/// expiresText, usesLeft, maxUses, status, statusText, line }], warning }`,
/// newest first: what `vault advocate shares` lists (no fields, no
/// purpose: an advocate never sees them), and the warning that the
/// permission ends soon, or null.
#[wasm_bindgen(js_name = advocateShares)]
pub fn advocate_shares(survivor_text: &str, status_code: f64, body: &str, now_secs: f64) -> Answer {
    let who = survivor(survivor_text)?;
    let now = secs(now_secs);
    with_vault(|vault| {
        let (whom, _) = shown(vault, &who)?;
        let status = status_code as u16;
        if !(200..300).contains(&status) {
            return Err(advocate_refusal(
                status,
                body,
                Some(&whom),
                NotDone::NotListed,
            ));
        }
        let list: SharesResponse = answer_as(status_code, body)?;
        let (known, _) = contacts::list(vault)?;
        let out = Array::new();
        let mut shares = list.shares.clone();
        shares.sort_by_key(|s| std::cmp::Reverse(s.created));
        for s in &shares {
            if s.token_id.len() != 64 || unhex(&s.token_id).is_none() {
                continue;
            }
            let o = object();
            set(&o, "tokenId", s.token_id.as_str());
            set(&o, "shortId", &s.token_id[..12]);
            set(&o, "fields", Array::new());
            set(&o, "who", words::to_whom(s, &known));
            set(&o, "purpose", JsValue::NULL);
            set(&o, "expires", s.expires as f64);
            set(&o, "expiresText", local_long(s.expires));
            set(&o, "usesLeft", f64::from(s.max_uses.saturating_sub(s.uses)));
            set(&o, "maxUses", s.max_uses);
            set(&o, "status", visible(&s.status).into_owned());
            let code = match s.status.as_str() {
                "active" | "expired" | "used_up" | "revoked" => s.status.as_str(),
                _ => "unknown",
            };
            set(
                &o,
                "statusText",
                vault_core::msg!("app-share-status", status = code),
            );
            set(&o, "line", words::share_line(s, &known, &local_long));
            out.push(&o);
        }
        let o = object();
        set(&o, "shares", out);
        set(
            &o,
            "warning",
            words::permission_ending(list.permission_until, now, &local_long),
        );
        Ok(o.into())
    })
    .map_err(JsValue::from)
}

/// `advocateWithdrawRequest(survivor, tokenId, origin, nowSecs)`: `POST
/// /v1/revoke` for one share (`tokenId` the full id from
/// `advocateShares`), or `POST /v1/revoke-all` for every share of
/// `survivor` when `tokenId` is null; signed by the advocate's key.
#[wasm_bindgen(js_name = advocateWithdrawRequest)]
pub fn advocate_withdraw_request(
    survivor_text: &str,
    token_id: Option<String>,
    origin: &str,
    now_secs: f64,
) -> Answer {
    let who = survivor(survivor_text)?;
    let (path, body) = match token_id {
        Some(t) => {
            let t = t.trim().to_ascii_lowercase();
            if t.len() != 64 || unhex(&t).is_none() {
                return Err(Problem::saying(
                    "bad_input",
                    vault_core::msg!("advocate-no-such-token"),
                )
                .into());
            }
            (
                "/v1/revoke",
                serde_json::to_vec(&RevokeRequest { token_id: t }),
            )
        }
        None => (
            "/v1/revoke-all",
            serde_json::to_vec(&RevokeAllRequest {
                survivor: Some(who.to_string()),
            }),
        ),
    };
    let body = body.expect("a revoke request is strings, which always serialize");
    with_vault(|vault| {
        let key = advocate_key(vault)?;
        signed_by(&key, "POST", path, Some(body), origin, secs(now_secs))
    })
    .map_err(JsValue::from)
}

/// `advocateWithdrawn(survivor, status, bodyText, listStatus, listText,
/// nowSecs, one)`: the relay's answer to the withdrawal, and to the `GET
/// /v1/shares?survivor=…` asked right after (`listStatus` 0: not reached)
/// → `{ text }` in the words of `vault advocate revoke`.
#[wasm_bindgen(js_name = advocateWithdrawn)]
pub fn advocate_withdrawn(
    survivor_text: &str,
    status_code: f64,
    body: &str,
    list_status: f64,
    list_body: &str,
    now_secs: f64,
    one: bool,
) -> Answer {
    let who = survivor(survivor_text)?;
    with_vault(|vault| {
        let (whom, _) = shown(vault, &who)?;
        let status = status_code as u16;
        if !(200..300).contains(&status) {
            return Err(advocate_refusal(
                status,
                body,
                Some(&whom),
                NotDone::NothingWithdrawn,
            ));
        }
        let answer: RevokeResponse = answer_as(status_code, body)?;
        let list: Option<SharesResponse> = if list_status == 0.0 {
            None
        } else {
            answer_as(list_status, list_body).ok()
        };
        let live = list
            .as_ref()
            .map(|l| vault_core::shares::still_live(&answer.revoked, l, secs(now_secs)).len());
        let o = object();
        set(
            &o,
            "text",
            words::withdrawn_words(answer.revoked.len(), live, one),
        );
        Ok(o.into())
    })
    .map_err(JsValue::from)
}
