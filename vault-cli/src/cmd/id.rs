//! `vault id`, `vault agency id`, `vault advocate id`: print the public id.

use serde_json::json;
use vault_core::Role;

use super::printed;
use crate::error::CliError;
use crate::Ctx;

pub fn run(ctx: &Ctx, role: Role) -> Result<(), CliError> {
    let vault = ctx.open_vault(role)?;
    let id = vault.identity().public().to_string();
    printed(ctx.out.result(json!({ "id": id }), Some(&id)))
}
