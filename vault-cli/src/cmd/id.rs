//! `vault id`, `vault agency id`, `vault advocate id`: print the public id,
//! and with `--qr` a QR code of it for a survivor's contacts.

use serde_json::json;
use vault_core::{msg, qr, Role};

use super::{printed, sentence};
use crate::error::{CliError, Code};
use crate::Ctx;

pub fn run(ctx: &Ctx, role: Role, with_qr: bool) -> Result<(), CliError> {
    let vault = ctx.open_vault(role)?;
    let id = vault.identity().public().to_string();
    if !with_qr {
        return printed(ctx.out.result(json!({ "id": id }), Some(&id)));
    }
    // Capitals: QR's compact alphanumeric mode, and `contacts add` reads
    // them as the same id.
    let qr_text = id.to_uppercase();
    let code =
        qr::encode(&qr_text).map_err(|e| CliError::new(Code::Failure, "qr", sentence(&e)))?;
    let picture = super::qr_picture(qr::to_terminal(&code));
    ctx.out.note(&msg!("id-qr-note", id = &id));
    printed(ctx.out.result(
        json!({ "id": id, "qr_text": qr_text }),
        Some(&format!("{picture}\n{id}")),
    ))
}
