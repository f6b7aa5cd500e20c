//! The relay's key, pinned in an agency's folder on first use.
//!
//! A survivor's vault pins the key of each relay the first time it reads
//! the relay's history (`vault log`). An agency pins it the first time it
//! redeems a share there, from the relay's signed receipt: the same
//! record (`S` ‖ origin, postcard `{relay, seen}`, vault-format §4), with
//! no history seen. A later answer signed by another key is not refused:
//! the share has already been counted as used and is still the survivor's
//! own (their signature checks), so the agency is warned, in one sentence
//! that says what to do, and the first key stays pinned until the agency
//! confirms the new one (`--relay-key`), as the relay's operator gives it.

use serde::{Deserialize, Serialize};
use vault_core::relay::log::Seen;
use vault_core::vault::NS_RELAY;
use vault_core::{PublicId, Vault};

/// The record a survivor's `vault log` keeps too; `seen` stays `None` in an
/// agency's folder.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct RelayMemory {
    relay: [u8; 32],
    seen: Option<Seen>,
}

/// What the folder knew about the key that signed this answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pin {
    /// The first answer from this relay: its key is now remembered.
    First,
    /// The key remembered before.
    Same,
    /// Another key than the one remembered, which stays remembered.
    Changed,
    /// Another key, which the agency confirmed with `--relay-key`: now
    /// remembered instead.
    Confirmed,
    /// Not the key the agency gave with `--relay-key`; nothing changed.
    NotTheGivenKey,
    /// The folder could not read or keep the record; nothing is known.
    NotKept,
}

impl Pin {
    /// The word for `--json` output.
    pub fn word(&self) -> &'static str {
        match self {
            Self::First => "first_use",
            Self::Same => "same",
            Self::Changed => "changed",
            Self::Confirmed => "confirmed",
            Self::NotTheGivenKey => "not_the_given_key",
            Self::NotKept => "not_kept",
        }
    }
}

/// Checks `relay` (the key that signed the receipt) against the key
/// remembered for `origin`, and remembers it when it is the first, or the
/// one the agency confirmed (`given`). Never fails: the use is counted.
pub fn check(keys: &Vault, origin: &str, relay: &PublicId, given: Option<&PublicId>) -> Pin {
    let remembered = match keys.get_private(NS_RELAY, origin.as_bytes()) {
        Ok(Some(bytes)) => match postcard::from_bytes::<RelayMemory>(&bytes) {
            Ok(m) => Some(m.relay),
            Err(_) => return Pin::NotKept,
        },
        Ok(None) => None,
        Err(_) => return Pin::NotKept,
    };
    let now = relay.key_bytes();
    let pin = match (remembered, given) {
        (Some(before), _) if &before == now => return Pin::Same,
        (_, Some(g)) if g.key_bytes() != now => return Pin::NotTheGivenKey,
        (None, _) => Pin::First,
        (Some(_), Some(_)) => Pin::Confirmed,
        (Some(_), None) => return Pin::Changed,
    };
    let record = RelayMemory {
        relay: *now,
        seen: None,
    };
    let kept = postcard::to_allocvec(&record).ok().is_some_and(|bytes| {
        keys.put_private(NS_RELAY, origin.as_bytes(), &bytes)
            .is_ok()
    });
    if kept {
        pin
    } else {
        Pin::NotKept
    }
}
