//! `vault passwd`: re-wrap the master key under a new passphrase.

use serde_json::json;
use vault_core::{msg, KdfParams};

use super::printed;
use crate::cli::PasswdArgs;
use crate::error::CliError;
use crate::{passphrase, Ctx};

pub fn run(ctx: &Ctx, args: &PasswdArgs) -> Result<(), CliError> {
    let vault = ctx.open_vault(vault_core::Role::Survivor)?;
    let new = passphrase::new(args.new_passphrase_file.as_deref())?;
    vault.change_passphrase(new.as_bytes(), KdfParams::DEFAULT)?;
    ctx.out.note(&msg!("passwd-changed"));
    printed(ctx.out.result(json!({ "changed": true }), None))
}
