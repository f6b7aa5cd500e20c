//! `vault init`, `vault agency init`, `vault advocate init`: make new keys.

use serde_json::json;
use vault_core::{msg, KdfParams, Role, Vault};

use super::printed;
use crate::error::CliError;
use crate::{passphrase, Ctx};

pub fn run(ctx: &Ctx, role: Role) -> Result<(), CliError> {
    let dir = ctx.vault_dir(role)?;
    // Refuse early, before asking for a passphrase, if a vault is there.
    if Vault::exists(&dir) {
        return Err(vault_core::VaultError::AlreadyExists(dir).into());
    }
    let pass = passphrase::new(ctx.global.passphrase_file.as_deref())?;
    let vault = Vault::create(&dir, pass.as_bytes(), role, KdfParams::DEFAULT)?;
    let id = vault.identity().public().to_string();
    ctx.out.note(&match role {
        Role::Survivor => msg!("init-ready", folder = dir.display().to_string()),
        Role::Agency => msg!("init-ready-agency", folder = dir.display().to_string()),
        Role::Advocate | Role::Relay => {
            msg!("init-ready-advocate", folder = dir.display().to_string())
        }
    });
    let label = match role {
        Role::Survivor => msg!("init-your-id"),
        Role::Agency => msg!("init-agency-id"),
        Role::Advocate | Role::Relay => msg!("init-advocate-id"),
    };
    printed(ctx.out.result(
        json!({ "vault": dir.display().to_string(), "id": id }),
        Some(&format!("{label}: {id}")),
    ))
}
