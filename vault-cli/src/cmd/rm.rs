//! `vault rm`: remove a field, after asking.

use serde_json::json;
use vault_core::msg;

use super::{field, printed};
use crate::cli::RmArgs;
use crate::error::CliError;
use crate::output::confirm;
use crate::Ctx;

pub fn run(ctx: &Ctx, args: &RmArgs) -> Result<(), CliError> {
    let path = field(&args.field)?;
    let vault = ctx.open_vault(vault_core::Role::Survivor)?;
    // Fails with "nothing saved" before asking anything.
    match vault.info(&path) {
        // A damaged field may still be removed.
        Ok(_) | Err(vault_core::VaultError::Unreadable(_)) => {}
        Err(e) => return Err(e.into()),
    }
    if !args.yes && !confirm(&msg!("rm-question", path = path.as_str()), "--yes")? {
        return Err(CliError::cancelled());
    }
    vault.remove(&path)?;
    ctx.out.note(&msg!("rm-removed", path = path.as_str()));
    printed(
        ctx.out
            .result(json!({ "field": path.as_str(), "removed": true }), None),
    )
}
