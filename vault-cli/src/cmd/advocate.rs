//! `vault advocate shares`, `vault advocate revoke` and `vault advocate
//! clients`: acting on a survivor's request, within their delegation,
//! never seeing content.
//!
//! Without a live permission the relay answers `no_permission` (and when
//! it ended, if it existed): the advocate is told exactly that, and that
//! nothing was withdrawn (exit 11), never "no share was found", which a
//! hotline worker would pass on as "done".

use serde_json::json;
use vault_core::display::visible;
use vault_core::relay::api::{
    DelegationsResponse, RevokeAllRequest, RevokeRequest, RevokeResponse, SharesResponse,
};
use vault_core::relay::Refusal;
use vault_core::{time, PublicId, Role};

use super::printed;
use crate::cli::{AdvocateRevokeArgs, AdvocateSharesArgs};
use crate::client::ClientError;
use crate::error::{CliError, Code};
use crate::Ctx;

/// Warn when a permission ends within this long.
pub const WARN_BEFORE_SECS: u64 = 7 * 86_400;

/// "2 December 2026, 10:00 UTC (in 3 days)": how long is left, rounded to
/// the nearest day, hour or minute.
pub fn ends_in(until: u64, now: u64) -> String {
    let left = until.saturating_sub(now);
    let rounded = if left >= 86_400 {
        (left + 43_200) / 86_400 * 86_400
    } else if left >= 3600 {
        (left + 1800) / 3600 * 3600
    } else {
        (left + 30).max(60) / 60 * 60
    };
    format!("{} (in {})", crate::local::long(until), time::span(rounded))
}

/// What an advocate is told when the relay says they have no permission:
/// who (if they named the survivor), since when (if it ended), and that
/// nothing was `done`. Other answers are as usual.
fn no_permission(
    e: ClientError,
    who: Option<&PublicId>,
    done: &str,
    origin: &str,
    what: &str,
) -> CliError {
    let ended_at = match &e {
        ClientError::Detailed {
            refusal: Refusal::NoPermission,
            ended_at,
            ..
        } => *ended_at,
        ClientError::Refused(Refusal::NoPermission) => None,
        _ => return e.into_cli(origin, what),
    };
    let whom = who.map_or("the person who made this share".to_string(), |w| {
        w.to_string()
    });
    let text = match ended_at {
        Some(t) => format!(
            "Your permission to act for {whom} ended on {}, so {done}. Ask them to give you permission again (vault delegate), or to do it themselves (vault revoke --all withdraws all their shares).",
            crate::local::long(t)
        ),
        None => format!(
            "You have no permission from {whom} to act for them, so {done}. Check the id, and ask them to give you permission (vault delegate with your id from \"vault advocate id\"), or to do it themselves (vault revoke --all withdraws all their shares)."
        ),
    };
    CliError::new(Code::NoPermission, "no_permission", text)
}

pub fn shares(ctx: &Ctx, args: &AdvocateSharesArgs) -> Result<(), CliError> {
    super::contacts::early(&args.survivor, Role::Survivor)?;
    let keys = ctx.open_vault(Role::Advocate)?;
    let (who, _, _) = super::contacts::resolve(&keys, &args.survivor, Role::Survivor)?;
    let (known, _) = vault_core::contacts::list(&keys)?;
    let relay = ctx.relay()?;
    let list: SharesResponse = relay
        .get(&format!("/v1/shares?survivor={who}"), Some(keys.identity()))
        .map_err(|e| {
            no_permission(
                e,
                Some(&who),
                "their shares cannot be listed, and nothing was withdrawn",
                relay.origin(),
                "the list of shares",
            )
        })?;
    let now = time::now();
    if list.shares.is_empty() {
        ctx.out.note("This survivor has no shares at the relay.");
    }
    if let Some(until) = list.permission_until {
        if until.saturating_sub(now) <= WARN_BEFORE_SECS {
            ctx.out.note(&format!(
                "Your permission to act for this survivor ends on {}. After that you cannot list or withdraw their shares: if they still want your help, ask them to give you permission again before then.",
                ends_in(until, now)
            ));
        }
    }
    let human: Vec<String> = list
        .shares
        .iter()
        .map(|s| {
            // Every string here is the relay's: shown inert.
            format!(
                "{}  {}  used {} of {}  until {}  to {}",
                visible(&s.token_id),
                visible(&s.status),
                s.uses,
                s.max_uses,
                crate::local::long(s.expires),
                visible(&vault_core::contacts::name_ids(
                    s.audience.as_deref().unwrap_or("anyone with the code"),
                    &known
                ))
            )
        })
        .collect();
    printed(ctx.out.result(
        serde_json::to_value(&list).unwrap_or_else(|_| json!({})),
        (!human.is_empty()).then(|| human.join("\n")).as_deref(),
    ))
}

/// A token id as typed: 8 to 64 characters 0-9 and a-f, lower-cased;
/// anything else (`localhost`, a survivor id) is told plainly, before the
/// passphrase is asked.
fn token_prefix(text: &str) -> Result<String, CliError> {
    let t = text.trim().to_ascii_lowercase();
    if t.starts_with(Role::Survivor.prefix()) {
        return Err(CliError::usage(
            "bad_token_id",
            "That is a person's id, not a share's token id. To withdraw all of their shares, give it with --all; to withdraw one, give its token id from `vault advocate shares`.",
        ));
    }
    if t.len() < 8 || t.len() > 64 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(CliError::usage(
            "bad_token_id",
            format!(
                "`{}` is not a token id. Give the share's token id from `vault advocate shares` (at least its first 8 characters, 0-9 and a-f).",
                visible(text.trim())
            ),
        ));
    }
    Ok(t)
}

/// The whole token id a short one names, among the shares of everyone who
/// has given this advocate permission (as `vault advocate shares` lists
/// them). None matching, or more than one, is said plainly.
fn whole_token_id(
    keys: &vault_core::Vault,
    relay: &crate::client::Relay,
    prefix: &str,
) -> Result<String, CliError> {
    if prefix.len() == 64 {
        return Ok(prefix.to_owned());
    }
    let clients: DelegationsResponse = relay
        .get("/v1/delegations", Some(keys.identity()))
        .map_err(|e| e.into_cli(relay.origin(), "which share that token id names"))?;
    let now = time::now();
    let (known, _) = vault_core::contacts::list(keys)?;
    let mut found: Vec<(String, String)> = Vec::new();
    for d in clients.delegations.iter().filter(|d| d.until > now) {
        let Ok(list) = relay.get::<SharesResponse>(
            &format!("/v1/shares?survivor={}", d.survivor),
            Some(keys.identity()),
        ) else {
            continue;
        };
        for s in list.shares {
            if s.token_id.starts_with(prefix) {
                found.push((
                    s.token_id,
                    vault_core::contacts::name_ids(&d.survivor, &known),
                ));
            }
        }
    }
    match found.as_slice() {
        [(one, _)] => Ok(one.clone()),
        [] => {
            // A permission that ran out is said, never hidden behind
            // "not found" (issue 12, crisis path 1).
            let ended = clients
                .delegations
                .iter()
                .filter(|d| d.until <= now)
                .count();
            let mut text = "None of the shares you can see starts with that token id, so nothing was withdrawn. Run `vault advocate shares` with the person's contact name or id to see their shares.".to_owned();
            if ended > 0 {
                text.push_str(&format!(
                    " Your permission from {} has ended, so their shares were not searched; `vault advocate clients` lists who and when.",
                    if ended == 1 { "1 person".to_owned() } else { format!("{ended} people") }
                ));
            }
            Err(CliError::new(Code::FieldNotFound, "not_found", text))
        }
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|(id, who)| format!("  {}  of {}", visible(id), visible(who)))
                .collect();
            Err(CliError::usage(
                "ambiguous_token_id",
                format!(
                    "More than one share starts with that, so nothing was withdrawn. Give more of the token id; these match:\n{}",
                    list.join("\n")
                ),
            ))
        }
    }
}

pub fn revoke(ctx: &Ctx, args: &AdvocateRevokeArgs) -> Result<(), CliError> {
    if let Some(s) = &args.all {
        super::contacts::early(s, Role::Survivor)?;
    }
    let prefix = args.token_id.as_deref().map(token_prefix).transpose()?;
    let keys = ctx.open_vault(Role::Advocate)?;
    let target = match &args.all {
        Some(s) => Some(super::contacts::resolve(&keys, s, Role::Survivor)?.0),
        None => None,
    };
    let relay = ctx.relay()?;
    let now = time::now();
    let answer: RevokeResponse = match (&args.token_id, target) {
        (_, Some(who)) => relay.post(
            "/v1/revoke-all",
            &RevokeAllRequest {
                survivor: Some(who.to_string()),
            },
            Some(keys.identity()),
        ),
        (Some(_), None) => {
            let id = whole_token_id(&keys, &relay, prefix.as_deref().unwrap_or(""))?;
            relay.post(
                "/v1/revoke",
                &RevokeRequest { token_id: id },
                Some(keys.identity()),
            )
        }
        (None, None) => {
            return Err(CliError::usage(
                "bad_arguments",
                "Give a token id, or --all SURVIVOR_ID.",
            ))
        }
    }
    .map_err(|e| {
        no_permission(
            e,
            target.as_ref(),
            "nothing was withdrawn: every share is as it was",
            relay.origin(),
            "whether anything was withdrawn",
        )
    })?;
    // The relay lists shares by survivor, so only with --all can the
    // advocate ask which of them could still be used.
    let (mut text, json) = match target {
        Some(who) => {
            let (mut text, json, stopped) = super::revoke::outcome(
                relay.origin(),
                keys.identity(),
                &format!("/v1/shares?survivor={who}"),
                &answer.revoked,
                now,
                false,
            );
            // Short ids only: the advocate never learns more about a share.
            text.push_str(&super::revoke::named(&stopped, |id| {
                id.get(..12).unwrap_or(id).to_owned()
            }));
            (text, json)
        }
        None => super::revoke::outcome_unknown(&answer.revoked, true),
    };
    if !answer.revoked.is_empty() {
        text.push_str(if target.is_some() {
            "\nLet the survivor know it is done."
        } else {
            " Let the survivor know it is done."
        });
    }
    ctx.out.note(&text);
    printed(ctx.out.result(json, None))
}

/// `vault advocate clients`: who has given this advocate permission, and
/// until when (from the relay), so an advocate on a crisis call is not stuck
/// without a 66-character id.
pub fn clients(ctx: &Ctx) -> Result<(), CliError> {
    let keys = ctx.open_vault(Role::Advocate)?;
    let relay = ctx.relay()?;
    let answer: DelegationsResponse = relay
        .get("/v1/delegations", Some(keys.identity()))
        .map_err(|e| e.into_cli(relay.origin(), "who has given you permission"))?;
    let now = time::now();
    if answer.delegations.is_empty() {
        ctx.out.note("Nobody has given you permission to act for them at this relay. A survivor does that with \"vault delegate\" and your id (\"vault advocate id\").");
    }
    let human: Vec<String> = answer
        .delegations
        .iter()
        .map(|d| {
            // The relay's strings: shown inert.
            let when = if d.until <= now {
                format!("ended on {}", crate::local::long(d.until))
            } else if d.until - now <= WARN_BEFORE_SECS {
                format!("until {} (ends soon)", ends_in(d.until, now))
            } else {
                format!("until {}", crate::local::long(d.until))
            };
            format!("{}  {when}", visible(&d.survivor))
        })
        .collect();
    printed(ctx.out.result(
        json!({
            "clients": answer.delegations.iter().map(|d| json!({
                "survivor": d.survivor,
                "until": d.until,
                "active": d.until > now,
            })).collect::<Vec<_>>(),
        }),
        (!human.is_empty()).then(|| human.join("\n")).as_deref(),
    ))
}
