//! `vault grants`: what you shared, joined with its status at the relay.

use serde_json::json;
use vault_core::display::visible;
use vault_core::relay::api::SharesResponse;
use vault_core::relay::hex;
use vault_core::{grant, msg, PublicId, Role};

use super::printed;
use crate::error::CliError;
use crate::Ctx;

pub fn run(ctx: &Ctx) -> Result<(), CliError> {
    let vault = ctx.open_vault(Role::Survivor)?;
    let relay = ctx.relay()?;
    let (records, unreadable) = grant::records(&vault)?;
    let (known, _) = vault_core::contacts::list(&vault)?;
    let remote: Option<SharesResponse> = match relay.get("/v1/shares", Some(vault.identity())) {
        Ok(r) => Some(r),
        Err(e) => {
            ctx.out.note(&format!(
                "{} {}",
                e.into_cli(relay.origin(), &msg!("grants-what-status"))
                    .message,
                msg!("grants-offline")
            ));
            None
        }
    };
    if remote.is_some() {
        super::permission::warn(ctx, relay.origin(), vault.identity());
    }
    let mut rows = Vec::new();
    let mut human = String::new();
    for r in &records {
        let id = hex(&r.token_id);
        let vault_core::shares::Status { status, uses } =
            vault_core::shares::status(r, remote.as_ref(), relay.origin());
        let agency = r
            .audience
            .and_then(|a| PublicId::from_key_bytes(Role::Agency, &a));
        let audience = agency.map(|a| a.to_string());
        let contact = agency.and_then(|a| vault_core::contacts::named(&known, &a));
        let fields: Vec<&str> = r.fields.iter().map(|f| f.as_str()).collect();
        human.push_str(&format!(
            "{}  {}\n  fields:  {}\n  to:      {}\n  purpose: \"{}\"\n  until:   {}\n  uses:    {} of {}\n\n",
            &id[..12],
            visible(&status),
            fields.join(", "),
            contact
                .map(|c| c.label())
                .or_else(|| audience.clone())
                .unwrap_or_else(|| msg!("grants-to-anyone")),
            visible(&r.purpose),
            crate::local::long(r.expires),
            uses.map_or("?".to_string(), |u| u.to_string()),
            r.max_uses,
        ));
        rows.push(json!({
            "token_id": id,
            "fields": fields,
            "audience": audience,
            "audience_name": contact.map(|c| c.name.clone()),
            "purpose": r.purpose,
            "not_before": r.not_before,
            "expires": r.expires,
            "max_uses": r.max_uses,
            "uses": uses,
            "status": status,
            "relay": r.origin,
        }));
    }
    if unreadable > 0 {
        ctx.out.note(&msg!("grants-unreadable", count = unreadable));
    }
    if records.is_empty() {
        ctx.out.note(&msg!("grants-none"));
        return printed(ctx.out.result(json!({ "grants": rows }), None));
    }
    printed(
        ctx.out
            .result(json!({ "grants": rows }), Some(human.trim_end())),
    )
}
