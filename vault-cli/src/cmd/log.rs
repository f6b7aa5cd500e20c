//! `vault log`: every use, refusal and withdrawal of your shares, with
//! the relay's signed, hash-chained history checked against what this
//! vault saw last time (`vault_core::history`, which the app calls too).

use serde_json::json;
use vault_core::display::visible;
use vault_core::history::{self, HistoryError};
use vault_core::relay::api::LogResponse;
use vault_core::{msg, Role};

use super::printed;
use crate::error::{CliError, Code};
use crate::Ctx;

fn history_error(e: HistoryError) -> CliError {
    match e {
        HistoryError::Tampered(message) => CliError::new(Code::Damaged, "log_tampered", message),
        HistoryError::MemoryDamaged => {
            CliError::new(Code::Damaged, "vault_damaged", msg!("log-memory-damaged"))
        }
        HistoryError::Vault(v) => v.into(),
        other => CliError::new(Code::Failure, "failure", other.to_string()),
    }
}

pub fn run(ctx: &Ctx) -> Result<(), CliError> {
    let vault = ctx.open_vault(Role::Survivor)?;
    let relay = ctx.relay()?;
    let answer: LogResponse = relay
        .get("/v1/log", Some(vault.identity()))
        .map_err(|e| e.into_cli(relay.origin(), &msg!("log-what-history")))?;
    let checked = history::check(&vault, relay.origin(), &answer, &crate::local::long)
        .map_err(history_error)?;
    // Before a permission ends, say so (asked after the history is checked).
    super::permission::warn(ctx, relay.origin(), vault.identity());
    if checked.first_time {
        ctx.out.note(&msg!(
            "log-first-time",
            relay_id = checked.relay.to_string()
        ));
    }
    let (known, _) = vault_core::contacts::list(&vault)?;
    let lines: Vec<String> = checked
        .lines
        .iter()
        .map(|l| {
            // A refusal's reason is the relay's text: shown inert.
            let text = vault_core::contacts::name_ids(&l.text, &known);
            format!("{}  {}", crate::local::short(l.at), visible(&text))
        })
        .collect();
    if lines.is_empty() {
        ctx.out.note(&msg!("log-empty"));
    } else {
        ctx.out.note(&msg!(
            "log-checked",
            count = lines.len(),
            kept = if checked.first_time { "no" } else { "yes" }
        ));
    }
    printed(ctx.out.result(
        json!({
            "verified": true,
            "entries": checked.lines.iter().map(|l| json!({ "seq": l.seq, "at": l.at, "text": l.text })).collect::<Vec<_>>(),
            "relay": checked.relay.to_string(),
        }),
        (!lines.is_empty()).then(|| lines.join("\n")).as_deref(),
    ))
}
