//! `vault id`: print the survivor's public id.

use serde_json::json;

use super::printed;
use crate::error::CliError;
use crate::Ctx;

pub fn run(ctx: &Ctx) -> Result<(), CliError> {
    let vault = ctx.open_vault()?;
    let id = vault.identity().public().to_string();
    printed(ctx.out.result(json!({ "id": id }), Some(&id)))
}
