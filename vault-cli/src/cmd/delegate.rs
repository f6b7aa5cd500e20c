//! `vault delegate` and `vault undelegate`.

use serde_json::json;
use vault_core::relay::api::{DelegationRequest, UndelegateRequest};
use vault_core::{time, PublicId, Role};

use super::{printed, sentence};
use crate::cli::{DelegateArgs, UndelegateArgs};
use crate::error::CliError;
use crate::Ctx;

fn advocate(text: &str) -> Result<PublicId, CliError> {
    PublicId::parse(text, Role::Advocate).map_err(|e| CliError::usage("bad_id", sentence(e)))
}

pub fn add(ctx: &Ctx, args: &DelegateArgs) -> Result<(), CliError> {
    let adv = advocate(&args.advocate)?;
    let until = super::grant::parse_expiry(&args.expires, time::now())?;
    let vault = ctx.open_vault(Role::Survivor)?;
    let relay = ctx.relay()?;
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
    ctx.out.note(&format!(
        "Until {}, the advocate {adv} can see when your shares were made, used and how they stand, and withdraw them if you ask. They can never read what you shared. To stop this sooner: vault undelegate {adv}",
        time::long(until)
    ));
    printed(
        ctx.out
            .result(json!({ "advocate": adv.to_string(), "until": until }), None),
    )
}

pub fn remove(ctx: &Ctx, args: &UndelegateArgs) -> Result<(), CliError> {
    let adv = advocate(&args.advocate)?;
    let vault = ctx.open_vault(Role::Survivor)?;
    let relay = ctx.relay()?;
    let _: () = relay
        .post(
            "/v1/delegations/remove",
            &UndelegateRequest {
                advocate: adv.to_string(),
            },
            Some(vault.identity()),
        )
        .map_err(|e| match e {
            crate::client::ClientError::Refused(vault_core::relay::Refusal::NotFound) => CliError::new(
                crate::error::Code::Refused,
                "not_found",
                format!("The advocate {adv} did not have permission to act for you, so nothing changed."),
            ),
            e => e.into_cli(relay.origin(), "whether the permission was removed"),
        })?;
    ctx.out
        .note(&format!("The advocate {adv} can no longer act for you."));
    printed(ctx.out.result(
        json!({ "advocate": adv.to_string(), "removed": true }),
        None,
    ))
}
