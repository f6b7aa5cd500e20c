//! `vault log`: every use, refusal and withdrawal of your shares, with
//! the relay's signed, hash-chained history checked against what this
//! vault saw last time.

use serde::{Deserialize, Serialize};
use serde_json::json;
use vault_core::display::visible;
use vault_core::relay::api::LogResponse;
use vault_core::relay::log::{self, Entry, Event, Head, Seen};
use vault_core::relay::{hex, unb64, unb64_array, Refusal};
use vault_core::vault::NS_RELAY;
use vault_core::{msg, PublicId, Role, Vault};

use super::{printed, sentence};
use crate::error::{CliError, Code};
use crate::Ctx;

/// What the vault remembers about a relay: its key, pinned the first time
/// it answered, and the last log head seen.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct RelayMemory {
    relay: [u8; 32],
    seen: Option<Seen>,
}

fn recall(vault: &Vault, origin: &str) -> Result<Option<RelayMemory>, CliError> {
    Ok(match vault.get_private(NS_RELAY, origin.as_bytes())? {
        Some(bytes) => Some(postcard::from_bytes(&bytes).map_err(|_| {
            CliError::new(Code::Damaged, "vault_damaged", msg!("log-memory-damaged"))
        })?),
        None => None,
    })
}

fn remember(vault: &Vault, origin: &str, m: &RelayMemory) -> Result<(), CliError> {
    let bytes = postcard::to_allocvec(m)
        .map_err(|_| CliError::new(Code::Failure, "failure", msg!("log-not-saved")))?;
    vault.put_private(NS_RELAY, origin.as_bytes(), &bytes)?;
    Ok(())
}

fn tampered(what: impl std::fmt::Display) -> CliError {
    CliError::new(
        Code::Damaged,
        "log_tampered",
        msg!("log-tampered", what = sentence(what)),
    )
}

fn agency(key: &Option<[u8; 32]>) -> String {
    key.and_then(|k| PublicId::from_key_bytes(Role::Agency, &k))
        .map_or_else(
            || msg!("log-someone"),
            |a| msg!("log-the-agency", agency = a.to_string()),
        )
}

/// An advocate's id, or "an advocate".
fn advocate_name(key: &[u8; 32]) -> String {
    PublicId::from_key_bytes(Role::Advocate, key)
        .map_or_else(|| msg!("log-an-advocate"), |a| a.to_string())
}

fn describe(e: &Entry, me: &PublicId) -> String {
    let id = |t: &[u8; 32]| hex(t)[..12].to_string();
    match &e.event {
        Event::ShareCreated {
            token_id,
            audience,
            expires,
            max_uses,
        } => {
            let to = audience
                .and_then(|k| PublicId::from_key_bytes(Role::Agency, &k))
                .map_or_else(
                    || msg!("log-anyone"),
                    |a| msg!("log-the-agency", agency = a.to_string()),
                );
            msg!(
                "log-shared",
                share = id(token_id),
                to = to,
                until = crate::local::long(*expires),
                count = u64::from(*max_uses)
            )
        }
        Event::Redeemed {
            token_id,
            agency: who,
            use_number,
        } => msg!(
            "log-opened",
            share = id(token_id),
            by = agency(who),
            use_number = u64::from(*use_number)
        ),
        // A wrong clock is not a stranger: the agency the share is for
        // asked, and its computer's clock was off. Nothing was counted.
        Event::Refused {
            token_id,
            agency: who,
            reason,
        } if reason == Refusal::ClockSkew.code() => {
            let by_cap = who
                .and_then(|k| PublicId::from_key_bytes(Role::Agency, &k))
                .map_or_else(
                    || msg!("log-an-agency-cap"),
                    |a| msg!("log-the-agency-cap", agency = a.to_string()),
                );
            msg!("log-clock-refused", by_cap = by_cap, share = id(token_id))
        }
        Event::Refused {
            token_id,
            agency: who,
            reason,
        } => msg!(
            "log-refused",
            by = agency(who),
            share = id(token_id),
            reason = Refusal::from_code(reason).map_or_else(|| reason.clone(), |r| r.message())
        ),
        Event::Revoked {
            token_id,
            by,
            by_advocate,
        } => {
            let share = id(token_id);
            if *by_advocate {
                match PublicId::from_key_bytes(Role::Advocate, by) {
                    Some(a) => msg!(
                        "log-advocate-withdrew",
                        advocate = a.to_string(),
                        share = &share
                    ),
                    None => msg!("log-an-advocate-withdrew", share = &share),
                }
            } else if by == me.key_bytes() {
                msg!("log-you-withdrew", share = &share)
            } else {
                msg!("log-other-key-withdrew", share = &share)
            }
        }
        Event::DelegationAdded { advocate, until } => msg!(
            "log-delegated",
            advocate = advocate_name(advocate),
            until = crate::local::long(*until)
        ),
        Event::DelegationRemoved { advocate } => {
            msg!("log-undelegated", advocate = advocate_name(advocate))
        }
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

pub fn run(ctx: &Ctx) -> Result<(), CliError> {
    let vault = ctx.open_vault(Role::Survivor)?;
    let relay = ctx.relay()?;
    let me = vault.identity().public();
    let answer: LogResponse = relay
        .get("/v1/log", Some(vault.identity()))
        .map_err(|e| e.into_cli(relay.origin(), &msg!("log-what-history")))?;
    let relay_id = PublicId::parse(&answer.relay, Role::Relay)
        .map_err(|_| tampered(msg!("log-no-relay-id")))?;
    let memory = recall(&vault, relay.origin())?;
    if let Some(m) = &memory {
        if &m.relay != relay_id.key_bytes() {
            return Err(tampered(msg!("log-relay-key-changed")));
        }
    }
    let entries: Vec<Vec<u8>> = answer
        .entries
        .iter()
        .map(|e| unb64(e))
        .collect::<Option<_>>()
        .ok_or_else(|| tampered(msg!("log-history-unreadable")))?;
    let head = Head {
        seq: answer.head.seq,
        hash: unb64_array(&answer.head.hash)
            .ok_or_else(|| tampered(msg!("log-summary-unreadable")))?,
        at: answer.head.at,
    };
    let sig: [u8; 64] = unb64_array(&answer.head.signature)
        .ok_or_else(|| tampered(msg!("log-signature-unreadable")))?;
    let seen = memory.as_ref().and_then(|m| m.seen);
    let (events, now_seen) =
        log::verify_log(&entries, &head, &sig, &relay_id, &me, seen).map_err(tampered)?;
    remember(
        &vault,
        relay.origin(),
        &RelayMemory {
            relay: *relay_id.key_bytes(),
            seen: Some(now_seen),
        },
    )?;
    // Before a permission ends, say so (asked after the history is checked).
    super::permission::warn(ctx, relay.origin(), vault.identity());
    if memory.is_none() {
        ctx.out
            .note(&msg!("log-first-time", relay_id = relay_id.to_string()));
    }
    let (known, _) = vault_core::contacts::list(&vault)?;
    let lines: Vec<String> = events
        .iter()
        .map(|e| {
            // A refusal's reason is the relay's text: shown inert.
            let text = vault_core::contacts::name_ids(&upper_first(&describe(e, &me)), &known);
            format!("{}  {}", crate::local::short(e.at), visible(&text))
        })
        .collect();
    if lines.is_empty() {
        ctx.out.note(&msg!("log-empty"));
    } else {
        ctx.out.note(&msg!(
            "log-checked",
            count = lines.len(),
            kept = if seen.is_some() { "yes" } else { "no" }
        ));
    }
    printed(ctx.out.result(
        json!({
            "verified": true,
            "entries": events.iter().map(|e| json!({ "seq": e.seq, "at": e.at, "text": upper_first(&describe(e, &me)) })).collect::<Vec<_>>(),
            "relay": relay_id.to_string(),
        }),
        (!lines.is_empty()).then(|| lines.join("\n")).as_deref(),
    ))
}
