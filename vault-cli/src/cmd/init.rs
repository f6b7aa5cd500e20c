//! `vault init`: make a new vault.

use serde_json::json;
use vault_core::{KdfParams, Role, Vault};

use super::printed;
use crate::error::CliError;
use crate::{passphrase, Ctx};

pub fn run(ctx: &Ctx) -> Result<(), CliError> {
    let dir = ctx.vault_dir()?;
    // Refuse early, before asking for a passphrase, if a vault is there.
    if Vault::exists(&dir) {
        return Err(vault_core::VaultError::AlreadyExists(dir).into());
    }
    let pass = passphrase::new(ctx.global.passphrase_file.as_deref())?;
    let vault = Vault::create(&dir, pass.as_bytes(), Role::Survivor, KdfParams::DEFAULT)?;
    let id = vault.identity().public().to_string();
    ctx.out.note(&format!(
        "Your vault is ready in {}.\nOnly your passphrase opens it. Nobody can recover it for you, so keep the passphrase somewhere safe, away from this device.",
        dir.display()
    ));
    printed(ctx.out.result(
        json!({ "vault": dir.display().to_string(), "id": id }),
        Some(&format!("Your id: {id}")),
    ))
}
