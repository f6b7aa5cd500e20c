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
use vault_core::{PublicId, Role, Vault};

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
            CliError::new(
                Code::Damaged,
                "vault_damaged",
                "What this vault remembers about the relay is damaged.",
            )
        })?),
        None => None,
    })
}

fn remember(vault: &Vault, origin: &str, m: &RelayMemory) -> Result<(), CliError> {
    let bytes = postcard::to_allocvec(m)
        .map_err(|_| CliError::new(Code::Failure, "failure", "Could not save the log summary."))?;
    vault.put_private(NS_RELAY, origin.as_bytes(), &bytes)?;
    Ok(())
}

fn tampered(what: impl std::fmt::Display) -> CliError {
    CliError::new(
        Code::Damaged,
        "log_tampered",
        format!(
            "Warning: {} Do not trust this relay's history. Your vault is safe; tell your advocate or the relay's operator.",
            sentence(what)
        ),
    )
}

fn agency(key: &Option<[u8; 32]>) -> String {
    key.and_then(|k| PublicId::from_key_bytes(Role::Agency, &k))
        .map_or("someone holding the code".to_string(), |a| {
            format!("the agency {a}")
        })
}

fn describe(e: &Entry, me: &PublicId) -> String {
    let id = |t: &[u8; 32]| hex(t)[..12].to_string();
    match &e.event {
        Event::ShareCreated {
            token_id,
            audience,
            expires,
            max_uses,
        } => format!(
            "You shared {} with {}, until {}, for up to {max_uses} use(s).",
            id(token_id),
            audience
                .and_then(|k| PublicId::from_key_bytes(Role::Agency, &k))
                .map_or("anyone holding the code".to_string(), |a| format!(
                    "the agency {a}"
                )),
            crate::local::long(*expires)
        ),
        Event::Redeemed {
            token_id,
            agency: who,
            use_number,
        } => format!(
            "Share {} was opened by {} (use {use_number}).",
            id(token_id),
            agency(who)
        ),
        // A wrong clock is not a stranger: the agency the share is for
        // asked, and its computer's clock was off. Nothing was counted.
        Event::Refused {
            token_id,
            agency: who,
            reason,
        } if reason == Refusal::ClockSkew.code() => format!(
            "{} asked to open share {}, but was refused because that computer's clock is wrong. No use was counted; it can try again once its clock is right.",
            who.and_then(|k| PublicId::from_key_bytes(Role::Agency, &k))
                .map_or("An agency".to_string(), |a| format!("The agency {a}")),
            id(token_id)
        ),
        Event::Refused {
            token_id,
            agency: who,
            reason,
        } => format!(
            "{} tried to open share {} and was refused: {}",
            agency(who),
            id(token_id),
            Refusal::from_code(reason).map_or_else(|| reason.clone(), |r| r.message())
        ),
        Event::Revoked {
            token_id,
            by,
            by_advocate,
        } => {
            let share = id(token_id);
            if *by_advocate {
                match PublicId::from_key_bytes(Role::Advocate, by) {
                    Some(a) => format!("Your advocate ({a}) withdrew share {share}."),
                    None => format!("An advocate withdrew share {share}."),
                }
            } else if by == me.key_bytes() {
                format!("You withdrew share {share}.")
            } else {
                format!("Share {share} was withdrawn by a key that is not yours.")
            }
        }
        Event::DelegationAdded { advocate, until } => format!(
            "You allowed {} to act for you until {}.",
            PublicId::from_key_bytes(Role::Advocate, advocate)
                .map_or("an advocate".to_string(), |a| a.to_string()),
            crate::local::long(*until)
        ),
        Event::DelegationRemoved { advocate } => format!(
            "You removed the permission of {}.",
            PublicId::from_key_bytes(Role::Advocate, advocate)
                .map_or("an advocate".to_string(), |a| a.to_string())
        ),
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
        .map_err(|e| e.into_cli(relay.origin(), "your history"))?;
    let relay_id = PublicId::parse(&answer.relay, Role::Relay)
        .map_err(|_| tampered("the relay did not say who it is."))?;
    let memory = recall(&vault, relay.origin())?;
    if let Some(m) = &memory {
        if &m.relay != relay_id.key_bytes() {
            return Err(tampered(
                "this relay now signs with a different key than the first time you used it.",
            ));
        }
    }
    let entries: Vec<Vec<u8>> = answer
        .entries
        .iter()
        .map(|e| unb64(e))
        .collect::<Option<_>>()
        .ok_or_else(|| tampered("the history could not be read."))?;
    let head = Head {
        seq: answer.head.seq,
        hash: unb64_array(&answer.head.hash)
            .ok_or_else(|| tampered("the history's summary could not be read."))?,
        at: answer.head.at,
    };
    let sig: [u8; 64] = unb64_array(&answer.head.signature)
        .ok_or_else(|| tampered("the history's signature could not be read."))?;
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
        ctx.out.note(&format!(
            "This is the first time this vault reads this relay's history. From now on it remembers the relay's key ({relay_id}) and warns you if history is ever changed."
        ));
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
        ctx.out.note("Nothing has happened with your shares yet.");
    } else {
        ctx.out.note(&format!(
            "History checked: {} entries, signed by the relay{}.",
            lines.len(),
            if seen.is_some() {
                ", and it still holds everything you saw before"
            } else {
                ""
            }
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
