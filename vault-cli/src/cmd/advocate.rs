//! `vault advocate shares` and `vault advocate revoke`: acting on a
//! survivor's request, within their delegation, never seeing content.

use serde_json::json;
use vault_core::display::visible;
use vault_core::relay::api::{RevokeAllRequest, RevokeRequest, RevokeResponse, SharesResponse};
use vault_core::{time, Role};

use super::printed;
use crate::cli::{AdvocateRevokeArgs, AdvocateSharesArgs};
use crate::error::CliError;
use crate::Ctx;

pub fn shares(ctx: &Ctx, args: &AdvocateSharesArgs) -> Result<(), CliError> {
    super::contacts::early(&args.survivor, Role::Survivor)?;
    let keys = ctx.open_vault(Role::Advocate)?;
    let (who, _, _) = super::contacts::resolve(&keys, &args.survivor, Role::Survivor)?;
    let (known, _) = vault_core::contacts::list(&keys)?;
    let relay = ctx.relay()?;
    let list: SharesResponse = relay
        .get(&format!("/v1/shares?survivor={who}"), Some(keys.identity()))
        .map_err(|e| e.into_cli(relay.origin(), "the list of shares"))?;
    if list.shares.is_empty() {
        ctx.out.note("No shares to show. Either this survivor has none, or they have not allowed you to act for them (or that permission has ended).");
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
                time::long(s.expires),
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

pub fn revoke(ctx: &Ctx, args: &AdvocateRevokeArgs) -> Result<(), CliError> {
    if let Some(s) = &args.all {
        super::contacts::early(s, Role::Survivor)?;
    }
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
        (Some(id), None) => relay.post(
            "/v1/revoke",
            &RevokeRequest {
                token_id: id.trim().to_ascii_lowercase(),
            },
            Some(keys.identity()),
        ),
        (None, None) => {
            return Err(CliError::usage(
                "bad_arguments",
                "Give a token id, or --all SURVIVOR_ID.",
            ))
        }
    }
    .map_err(|e| e.into_cli(relay.origin(), "whether anything was withdrawn"))?;
    // The relay lists shares by survivor, so only with --all can the
    // advocate ask which of them could still be used.
    let (mut text, json) = match target {
        Some(who) => super::revoke::outcome(
            relay.origin(),
            keys.identity(),
            &format!("/v1/shares?survivor={who}"),
            &answer.revoked,
            now,
            false,
        ),
        None => super::revoke::outcome_unknown(&answer.revoked, true),
    };
    if !answer.revoked.is_empty() {
        text.push_str(" Let the survivor know it is done.");
    }
    ctx.out.note(&text);
    printed(ctx.out.result(json, None))
}
