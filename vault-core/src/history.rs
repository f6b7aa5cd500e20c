//! A survivor's history at a relay, checked: every use, refusal and
//! withdrawal of their shares, from the relay's signed, hash-chained log
//! ([`crate::relay::log`]), checked against what this vault saw last time
//! and put in words. `vault log` and the app call [`check`] with the
//! relay's answer to `GET /v1/log`; neither keeps a rule of its own.
//!
//! The vault remembers, per relay origin (sealed, [`NS_RELAY`]), the
//! relay's key as pinned the first time it answered and the last log head
//! seen, so a relay that rewrites or shortens history, or changes its key,
//! is caught.

use serde::{Deserialize, Serialize};

use crate::relay::api::LogResponse;
use crate::relay::log::{self, Entry, Event, Head, Seen};
use crate::relay::{hex, unb64, unb64_array, Refusal};
use crate::vault::{Vault, VaultError, NS_RELAY};
use crate::{msg, PublicId, Role};

/// What the vault remembers about a relay: its key, pinned the first time
/// it answered, and the last log head seen.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct RelayMemory {
    relay: [u8; 32],
    seen: Option<Seen>,
}

/// Why the history could not be shown as checked. Messages are for people.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// The relay's history does not hold together, or its key changed:
    /// the warning to show (already a whole message).
    #[error("{0}")]
    Tampered(String),
    /// What the vault remembers about this relay cannot be read.
    #[error("{}", msg!("log-memory-damaged"))]
    MemoryDamaged,
    /// What was seen could not be remembered.
    #[error("{}", msg!("log-not-saved"))]
    NotSaved,
    /// The vault failed.
    #[error(transparent)]
    Vault(#[from] VaultError),
}

/// One event of the history, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Its place in the log.
    pub seq: u64,
    /// When (seconds since 1970).
    pub at: u64,
    /// What happened, one sentence (ids as ids; see
    /// [`crate::contacts::name_ids`] to show contacts' names).
    pub text: String,
}

/// A checked history.
#[derive(Debug, Clone)]
pub struct History {
    /// Every event, oldest first.
    pub lines: Vec<Line>,
    /// The relay, as it signs.
    pub relay: PublicId,
    /// Whether this vault had never seen this relay's history before (its
    /// key is pinned now).
    pub first_time: bool,
}

fn recall(vault: &Vault, origin: &str) -> Result<Option<RelayMemory>, HistoryError> {
    Ok(match vault.get_private(NS_RELAY, origin.as_bytes())? {
        Some(bytes) => Some(postcard::from_bytes(&bytes).map_err(|_| HistoryError::MemoryDamaged)?),
        None => None,
    })
}

fn remember(vault: &Vault, origin: &str, m: &RelayMemory) -> Result<(), HistoryError> {
    let bytes = postcard::to_allocvec(m).map_err(|_| HistoryError::NotSaved)?;
    vault.put_private(NS_RELAY, origin.as_bytes(), &bytes)?;
    Ok(())
}

/// vault-core's words as one sentence: capital first letter, one full stop.
fn sentence(e: impl std::fmt::Display) -> String {
    let s = e.to_string();
    let mut c = s.chars();
    match c.next() {
        Some(f) => format!("{}{}.", f.to_uppercase(), c.as_str().trim_end_matches('.')),
        None => String::new(),
    }
}

fn tampered(what: impl std::fmt::Display) -> HistoryError {
    HistoryError::Tampered(msg!("log-tampered", what = sentence(what)))
}

/// Checks the relay's answer to `GET /v1/log` for this vault's survivor:
/// the chain, the signed head, the relay's key and the head remembered
/// from last time; then remembers this head. `long` writes a time for a
/// person (the CLI's and the app's own zone).
pub fn check(
    vault: &Vault,
    origin: &str,
    answer: &LogResponse,
    long: &dyn Fn(u64) -> String,
) -> Result<History, HistoryError> {
    let me = vault.identity().public();
    let relay_id = PublicId::parse(&answer.relay, Role::Relay)
        .map_err(|_| tampered(msg!("log-no-relay-id")))?;
    let memory = recall(vault, origin)?;
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
        vault,
        origin,
        &RelayMemory {
            relay: *relay_id.key_bytes(),
            seen: Some(now_seen),
        },
    )?;
    Ok(History {
        lines: events
            .iter()
            .map(|e| Line {
                seq: e.seq,
                at: e.at,
                text: upper_first(&describe(e, &me, long)),
            })
            .collect(),
        relay: relay_id,
        first_time: memory.is_none(),
    })
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

/// One event in words, for the survivor `me`.
pub fn describe(e: &Entry, me: &PublicId, long: &dyn Fn(u64) -> String) -> String {
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
                until = long(*expires),
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
            until = long(*until)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relay::api::HeadJson;
    use crate::relay::b64;
    use crate::{Identity, KdfParams, MemoryDocuments, MemoryStore};

    fn vault() -> Vault {
        Vault::create_in(
            Box::new(MemoryStore::new()),
            Box::new(MemoryDocuments::new()),
            b"passphrase",
            Role::Survivor,
            KdfParams::INSECURE_FOR_TESTS,
        )
        .expect("a vault")
    }

    /// The relay's answer for `events`, signed by `relay`.
    fn answer(relay: &Identity, me: &PublicId, events: &[Event]) -> LogResponse {
        let mut hash = Head::EMPTY;
        let mut entries = Vec::new();
        for (i, event) in events.iter().enumerate() {
            let e = Entry {
                seq: i as u64 + 1,
                at: 1_795_000_000 + i as u64,
                event: event.clone(),
            };
            let bytes = postcard::to_allocvec(&e).expect("encodes");
            hash = log::chain(&hash, &bytes);
            entries.push(b64(&bytes));
        }
        let head = Head {
            seq: events.len() as u64,
            hash,
            at: 1_795_000_100,
        };
        LogResponse {
            entries,
            head: HeadJson {
                seq: head.seq,
                hash: b64(&head.hash),
                at: head.at,
                signature: b64(&head.sign(relay, me)),
            },
            relay: relay.public().to_string(),
        }
    }

    fn utc(t: u64) -> String {
        crate::time::long(t)
    }

    #[test]
    fn checks_describes_and_remembers_the_history() {
        let v = vault();
        let me = v.identity().public();
        let relay = Identity::generate(Role::Relay).expect("a key");
        let token = [7u8; 32];
        let events = [
            Event::ShareCreated {
                token_id: token,
                audience: None,
                expires: 1_795_086_400,
                max_uses: 1,
            },
            Event::Revoked {
                token_id: token,
                by: *me.key_bytes(),
                by_advocate: false,
            },
        ];
        let a = answer(&relay, &me, &events);
        let h = check(&v, "http://relay", &a, &utc).expect("checked");
        assert!(h.first_time);
        assert_eq!(h.lines.len(), 2);
        assert!(h.lines[0].text.contains("070707070707"), "{:?}", h.lines);
        assert_eq!(
            h.lines[1].text,
            upper_first(&msg!("log-you-withdrew", share = "070707070707"))
        );
        // The second time, the head seen is known.
        let again = check(&v, "http://relay", &a, &utc).expect("checked again");
        assert!(!again.first_time);
    }

    #[test]
    fn refuses_a_shortened_history_and_a_new_relay_key() {
        let v = vault();
        let me = v.identity().public();
        let relay = Identity::generate(Role::Relay).expect("a key");
        let created = Event::ShareCreated {
            token_id: [1; 32],
            audience: None,
            expires: 1_795_086_400,
            max_uses: 1,
        };
        let full = answer(&relay, &me, &[created.clone(), created.clone()]);
        check(&v, "http://relay", &full, &utc).expect("checked");
        let short = answer(&relay, &me, std::slice::from_ref(&created));
        assert!(matches!(
            check(&v, "http://relay", &short, &utc),
            Err(HistoryError::Tampered(_))
        ));
        let other = Identity::generate(Role::Relay).expect("a key");
        let e =
            check(&v, "http://relay", &answer(&other, &me, &[created]), &utc).expect_err("refused");
        assert!(
            e.to_string()
                .contains(&sentence(msg!("log-relay-key-changed"))),
            "{e}"
        );
    }
}
