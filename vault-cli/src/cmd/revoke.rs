//! `vault revoke TOKEN_ID` and `vault revoke --all`.

use serde_json::json;
use vault_core::relay::api::{RevokeAllRequest, RevokeRequest, RevokeResponse};
use vault_core::relay::hex;
use vault_core::{grant, Role};

use super::printed;
use crate::cli::RevokeArgs;
use crate::error::{CliError, Code};
use crate::Ctx;

/// What revocation can and cannot do, said every time.
pub const LIMITS: &str =
    "From now on nobody can use it. This cannot take back what an agency may already have seen.";

pub fn run(ctx: &Ctx, args: &RevokeArgs) -> Result<(), CliError> {
    if let Some(t) = &args.token_id {
        let t = t.trim().to_ascii_lowercase();
        if t.len() < 8 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(CliError::usage(
                "bad_token_id",
                "Give the share's token id from `vault grants` (at least its first 8 characters, 0-9 and a-f).",
            ));
        }
    }
    let vault = ctx.open_vault(Role::Survivor)?;
    let relay = ctx.relay()?;
    let answer: RevokeResponse = match &args.token_id {
        None => relay
            .post(
                "/v1/revoke-all",
                &RevokeAllRequest { survivor: None },
                Some(vault.identity()),
            )
            .map_err(|e| e.into_cli(relay.origin(), "whether your shares were withdrawn"))?,
        Some(prefix) => {
            let prefix = prefix.trim().to_ascii_lowercase();
            let (records, _) = grant::records(&vault)?;
            let matches: Vec<String> = records
                .iter()
                .map(|r| hex(&r.token_id))
                .filter(|id| id.starts_with(&prefix))
                .collect();
            let id =
                match matches.as_slice() {
                    [one] => one.clone(),
                    [] if prefix.len() == 64 => prefix,
                    [] => return Err(CliError::new(
                        Code::FieldNotFound,
                        "not_found",
                        "None of your shares has that token id. Run `vault grants` to see them.",
                    )),
                    _ => return Err(CliError::usage(
                        "ambiguous_token_id",
                        "More than one of your shares starts with that; give more of the token id.",
                    )),
                };
            relay
                .post(
                    "/v1/revoke",
                    &RevokeRequest { token_id: id },
                    Some(vault.identity()),
                )
                .map_err(|e| e.into_cli(relay.origin(), "whether the share was withdrawn"))?
        }
    };
    match answer.revoked.len() {
        0 => ctx.out.note("There was nothing left to withdraw."),
        1 => ctx.out.note(&format!("Withdrawn. {LIMITS}")),
        n => ctx.out.note(&format!("Withdrew {n} shares. {LIMITS}")),
    }
    printed(ctx.out.result(json!({ "revoked": answer.revoked }), None))
}
