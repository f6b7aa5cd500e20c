//! `vault revoke TOKEN_ID` and `vault revoke --all`.

use serde_json::json;
use std::time::Duration;

use vault_core::relay::api::{RevokeAllRequest, RevokeRequest, RevokeResponse, SharesResponse};
use vault_core::relay::hex;
use vault_core::{grant, msg, Identity, Role};

use super::printed;
use crate::cli::RevokeArgs;
use crate::error::{CliError, Code};
use crate::Ctx;

/// How long the follow-up question "which of these could still be used?"
/// may take: the withdrawal is already done, so it must not keep anyone
/// waiting.
const STATUS_LIMIT: Duration = Duration::from_secs(5);

/// What a withdrawal did, in words and as JSON: `revoked` are the shares
/// this request withdrew; `live`, those of them that could still be used
/// (not expired, not used up), or `None` if the relay could not say.
/// Also returned: the token ids that were stopped, those that could
/// still be used, or (if the relay could not say) every one withdrawn.
pub fn outcome(
    relay_origin: &str,
    signer: &Identity,
    list_path: &str,
    revoked: &[String],
    now: u64,
    one: bool,
) -> (String, serde_json::Value, Vec<String>) {
    let live: Option<Vec<String>> = if revoked.is_empty() {
        Some(Vec::new())
    } else {
        crate::client::Relay::with_time_limit(relay_origin, STATUS_LIMIT)
            .get::<SharesResponse>(list_path, Some(signer))
            .ok()
            .map(|list| vault_core::shares::still_live(revoked, &list, now))
    };
    let json = json!({ "revoked": revoked, "live": live });
    let text = words(revoked.len(), live.as_ref().map(Vec::len), one);
    (text, json, live.unwrap_or_else(|| revoked.to_vec()))
}

/// The lines naming each stopped share, after a heading; empty if none.
/// `line` shows one token id.
pub fn named(stopped: &[String], line: impl Fn(&str) -> String) -> String {
    if stopped.is_empty() {
        return String::new();
    }
    let mut text = "\nStopped:".to_owned();
    for id in stopped {
        text.push_str("\n  ");
        text.push_str(&line(id));
    }
    text
}

/// [`outcome`] when there is no way to ask which shares could still be
/// used.
pub fn outcome_unknown(revoked: &[String], one: bool) -> (String, serde_json::Value) {
    let json = json!({ "revoked": revoked, "live": null });
    (words(revoked.len(), None, one), json)
}

/// The words of a withdrawal (vault-core's, which the app says too).
fn words(revoked: usize, live: Option<usize>, one: bool) -> String {
    vault_core::shares::withdrawn_words(revoked, live, one)
}

pub fn run(ctx: &Ctx, args: &RevokeArgs) -> Result<(), CliError> {
    if let Some(t) = &args.token_id {
        let t = t.trim().to_ascii_lowercase();
        if t.len() < 8 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(CliError::usage("bad_token_id", msg!("revoke-bad-token-id")));
        }
    }
    let vault = ctx.open_vault(Role::Survivor)?;
    let relay = ctx.relay()?;
    let now = vault_core::time::now();
    let answer: RevokeResponse = match &args.token_id {
        None => relay
            .post(
                "/v1/revoke-all",
                &RevokeAllRequest { survivor: None },
                Some(vault.identity()),
            )
            .map_err(|e| e.into_cli(relay.origin(), &msg!("revoke-what-all")))?,
        Some(prefix) => {
            let prefix = prefix.trim().to_ascii_lowercase();
            let (records, _) = grant::records(&vault)?;
            let matches: Vec<String> = records
                .iter()
                .map(|r| hex(&r.token_id))
                .filter(|id| id.starts_with(&prefix))
                .collect();
            let id = match matches.as_slice() {
                [one] => one.clone(),
                [] if prefix.len() == 64 => prefix,
                [] => {
                    return Err(CliError::new(
                        Code::FieldNotFound,
                        "not_found",
                        msg!("revoke-no-such-token"),
                    ))
                }
                _ => {
                    return Err(CliError::usage(
                        "ambiguous_token_id",
                        msg!("revoke-ambiguous"),
                    ))
                }
            };
            relay
                .post(
                    "/v1/revoke",
                    &RevokeRequest { token_id: id },
                    Some(vault.identity()),
                )
                .map_err(|e| e.into_cli(relay.origin(), &msg!("revoke-what-one")))?
        }
    };
    let (mut text, json, stopped) = outcome(
        relay.origin(),
        vault.identity(),
        "/v1/shares",
        &answer.revoked,
        now,
        args.token_id.is_some(),
    );
    // With --all, each share stopped on its own line: its short id, who
    // it was for and what for, from this vault's own records.
    if args.token_id.is_none() {
        let (records, _) = grant::records(&vault)?;
        let (known, _) = vault_core::contacts::list(&vault)?;
        text.push_str(&named(&stopped, |id| {
            vault_core::shares::stopped_line(id, &records, &known)
        }));
    }
    ctx.out.note(&text);
    printed(ctx.out.result(json, None))
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn counts_only_what_could_still_be_used_with_the_right_pronoun() {
        assert!(words(1, Some(1), true).starts_with("Withdrawn. From now on nobody can use it."));
        assert!(words(0, Some(0), true).starts_with("That share was already withdrawn"));
        assert!(words(1, Some(1), false).starts_with(
            "Withdrew 1 share that could still be used. From now on nobody can use it."
        ));
        assert!(words(2, Some(2), false).starts_with(
            "Withdrew 2 shares that could still be used. From now on nobody can use them."
        ));
        assert!(words(3, Some(1), false).ends_with(
            " 2 more had already ended (expired or used up) and are now withdrawn too."
        ));
        assert!(words(2, Some(1), false)
            .ends_with(" 1 more had already ended (expired or used up) and is now withdrawn too."));
        assert!(words(2, Some(0), false)
            .starts_with("Nothing could still be used: those 2 shares had already ended"));
        assert!(words(1, Some(0), false)
            .contains("that share had already ended (expired or used up), and is now"));
        assert!(words(0, Some(0), false).starts_with("There was nothing left to withdraw"));
        assert!(words(2, None, false).starts_with("Withdrew 2 shares; some may already have ended"));
        assert!(words(1, None, false).starts_with("Withdrawn. From now on nobody can use it."));
        for n in 0..4 {
            for live in [None, Some(0), Some(n)] {
                let w = words(n, live, n == 1);
                assert!(!w.contains("(s)"), "{w}");
                assert!(!w.contains("1 shares"), "{w}");
            }
        }
    }
}
