//! `vault delegate` and `vault undelegate`.

use serde_json::json;
use vault_core::relay::api::{DelegationRequest, UndelegateRequest};
use vault_core::{contacts, preview, time, Role};

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
        Some(_) => "Do you want to replace that permission with this one?",
        None => "Do you want to let this advocate act for you?",
    };
    if !args.yes && !confirm(question, "--yes")? {
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
        .map_err(|e| e.into_cli(relay.origin(), "whether the advocate may act for you"))?;
    let remembered = contacts::remember_delegation(
        &vault,
        &contacts::Delegation {
            advocate: *adv.key_bytes(),
            until,
            given: now,
        },
    );
    if remembered.is_err() {
        ctx.out.note("The permission was given, but this vault could not note it down; `vault delegate` will not be able to say what a new permission replaces.");
    }
    let me = vault.identity().public();
    ctx.out.note(&format!(
        "Done. Until {}, {shown} can see how your shares stand and withdraw them if you ask.\nFor a crisis call, give the advocate your id, so they can find your shares:\n  {me}\nTo stop this sooner: vault undelegate {}",
        crate::local::long(until),
        if known { format!("\"{}\"", args.advocate.trim()) } else { adv.to_string() }
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
            "bad_expiry" if e.message.starts_with("A share must last at least") => {
                "A permission must last at least 5 minutes; give a length like 7d (the longest is 90 days).".to_owned()
            }
            "expiry_too_far" => format!(
                "A permission can last at most {}; choose a shorter time. You can give permission again later.",
                time::span(vault_core::token::MAX_VALIDITY_SECS)
            ),
            "expiry_passed" => {
                "That time has already passed. Give a time in the future, like 7d.".to_owned()
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
                    format!("The advocate {shown} did not have permission to act for you, so nothing changed."),
                )
            }
            e => e.into_cli(relay.origin(), "whether the permission was removed"),
        })?;
    let _ = contacts::forget_delegation(&vault, &adv);
    ctx.out
        .note(&format!("The advocate {shown} can no longer act for you."));
    printed(ctx.out.result(
        json!({ "advocate": adv.to_string(), "removed": true }),
        None,
    ))
}
