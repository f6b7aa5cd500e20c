//! `vault delegate` and `vault undelegate`.

use serde_json::json;
use vault_core::relay::api::{DelegationRequest, UndelegateRequest};
use vault_core::{contacts, msg, preview, time, Role};

use super::printed;
use crate::cli::{DelegateArgs, UndelegateArgs};
use crate::error::CliError;
use crate::output::confirm;
use crate::Ctx;

pub fn add(ctx: &Ctx, args: &DelegateArgs) -> Result<(), CliError> {
    super::contacts::early(&args.advocate, Role::Advocate)?;
    let until = expiry(&args.expires, time::now())?;
    let relay = ctx.relay()?;
    let vault = ctx.open_vault(Role::Survivor)?;
    let (adv, shown, known) = super::contacts::resolve(&vault, &args.advocate, Role::Advocate)?;
    let now = time::now();
    let previous = contacts::delegation(&vault, &adv)
        .ok()
        .flatten()
        .map(|d| d.until)
        .filter(|&end| end > now);
    ctx.out
        .note(&preview::delegation_text(&shown, now, until, previous));
    if !known {
        ctx.out.note(&super::contacts::unknown_note(&adv));
    }
    let question = match previous {
        Some(_) => msg!("delegate-replace"),
        None => msg!("delegate-ask"),
    };
    if !args.yes && !confirm(&question, "--yes")? {
        return Err(CliError::cancelled());
    }
    let _: () = relay
        .post(
            "/v1/delegations",
            &DelegationRequest {
                advocate: adv.to_string(),
                until,
            },
            Some(vault.identity()),
        )
        .map_err(|e| e.into_cli(relay.origin(), &msg!("delegate-what-given")))?;
    let remembered = contacts::remember_delegation(
        &vault,
        &contacts::Delegation {
            advocate: *adv.key_bytes(),
            until,
            given: now,
        },
    );
    if remembered.is_err() {
        ctx.out.note(&msg!("delegate-not-noted"));
    }
    let me = vault.identity().public();
    ctx.out.note(&msg!(
        "delegate-done",
        until = crate::local::long(until),
        advocate = &shown,
        id = me.to_string(),
        undelegate = if known {
            format!("\"{}\"", args.advocate.trim())
        } else {
            adv.to_string()
        }
    ));
    printed(ctx.out.result(
        json!({ "advocate": adv.to_string(), "until": until, "survivor": me.to_string(), "replaced_until": previous }),
        None,
    ))
}

/// How long a permission lasts: the same lengths as a share's, said about
/// a permission ("A permission must last at least 5 minutes").
fn expiry(text: &str, now: u64) -> Result<u64, CliError> {
    super::grant::parse_expiry(text, now).map_err(|mut e| {
        e.message = match e.kind {
            "bad_expiry" if e.message == msg!("grant-too-short") => {
                msg!("delegate-too-short")
            }
            "expiry_too_far" => msg!(
                "delegate-too-long",
                longest = time::span_text(vault_core::token::MAX_VALIDITY_SECS)
            ),
            "expiry_passed" => {
                msg!("delegate-passed")
            }
            _ => e.message,
        };
        e
    })
}

pub fn remove(ctx: &Ctx, args: &UndelegateArgs) -> Result<(), CliError> {
    super::contacts::early(&args.advocate, Role::Advocate)?;
    let relay = ctx.relay()?;
    let vault = ctx.open_vault(Role::Survivor)?;
    let (adv, shown, _) = super::contacts::resolve(&vault, &args.advocate, Role::Advocate)?;
    let _: () = relay
        .post(
            "/v1/delegations/remove",
            &UndelegateRequest {
                advocate: adv.to_string(),
            },
            Some(vault.identity()),
        )
        .map_err(|e| match e {
            crate::client::ClientError::Refused(vault_core::relay::Refusal::NotFound) => {
                // The relay has none: this vault's note of one is stale.
                let _ = contacts::forget_delegation(&vault, &adv);
                CliError::new(
                    crate::error::Code::Refused,
                    "not_found",
                    msg!("undelegate-none", advocate = &shown),
                )
            }
            e => e.into_cli(relay.origin(), &msg!("undelegate-what-removed")),
        })?;
    let _ = contacts::forget_delegation(&vault, &adv);
    ctx.out.note(&msg!("undelegate-done", advocate = &shown));
    printed(ctx.out.result(
        json!({ "advocate": adv.to_string(), "removed": true }),
        None,
    ))
}
