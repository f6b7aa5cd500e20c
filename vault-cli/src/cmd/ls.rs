//! `vault ls`: what is saved, never the values.

use serde_json::json;
use vault_core::msg;

use super::printed;
use crate::error::CliError;
use crate::output::human_size;
use crate::Ctx;

pub fn run(ctx: &Ctx) -> Result<(), CliError> {
    let vault = ctx.open_vault(vault_core::Role::Survivor)?;
    let (entries, unreadable) = vault.list()?;
    let json = json!({
        "fields": entries.iter().map(|e| json!({
            "field": e.path.as_str(),
            "kind": e.kind.as_str(),
            "size": e.size,
            "updated": e.updated,
        })).collect::<Vec<_>>(),
        "unreadable": unreadable,
    });
    let width = entries
        .iter()
        .map(|e| e.path.as_str().len())
        .max()
        .unwrap_or(0)
        .max("FIELD".len());
    let mut human = format!(
        "{:width$}  {:8}  {:>10}  SAVED (UTC)",
        "FIELD", "KIND", "SIZE"
    );
    for e in &entries {
        human.push_str(&format!(
            "\n{:width$}  {:8}  {:>10}  {}",
            e.path.as_str(),
            e.kind.as_str(),
            human_size(e.size),
            crate::local::short(e.updated)
        ));
    }
    if entries.is_empty() && unreadable == 0 {
        ctx.out.note(&msg!("ls-empty"));
        return printed(ctx.out.result(json, None));
    }
    if unreadable > 0 {
        ctx.out.note(&msg!("ls-unreadable", count = unreadable));
    }
    printed(ctx.out.result(json, Some(&human)))
}
