//! `vault init`, `vault agency init`, `vault advocate init`: make new keys.

use serde_json::json;
use vault_core::{KdfParams, Role, Vault};

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
        Role::Survivor => format!(
            "Your vault is ready in {}.\nOnly your passphrase opens it. Nobody can recover it for you, so keep the passphrase somewhere safe, away from this device.",
            dir.display()
        ),
        Role::Agency => format!(
            "The agency's keys are ready in {}. Give survivors the id below so they can share with this agency.",
            dir.display()
        ),
        Role::Advocate | Role::Relay => format!(
            "The advocate's keys are ready in {}. Give survivors the id below if they want you to be able to withdraw their shares for them.",
            dir.display()
        ),
    });
    let label = match role {
        Role::Survivor => "Your id",
        Role::Agency => "Agency id",
        Role::Advocate | Role::Relay => "Advocate id",
    };
    printed(ctx.out.result(
        json!({ "vault": dir.display().to_string(), "id": id }),
        Some(&format!("{label}: {id}")),
    ))
}
