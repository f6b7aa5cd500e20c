//! A survivor's shares as the relay sees them: the vault's own grant
//! records joined with the relay's `GET /v1/shares`, and the words of a
//! withdrawal. `vault grants`, `vault revoke` and the app call these, so
//! they say the same thing.

use crate::contacts::{self, Contact};
use crate::display::visible;
use crate::grant::GrantRecord;
use crate::relay::api::SharesResponse;
use crate::relay::hex;
use crate::{msg, PublicId, Role};

/// A share's status, from the relay's list (or why there is none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// `active`, `expired`, `used_up`, `revoked` (the relay's word), or
    /// `unknown` (the relay was not reached), `at another relay`, `not at
    /// the relay`.
    pub status: String,
    /// Uses made, if the relay said.
    pub uses: Option<u32>,
}

/// The status of `record`, given the relay's list (`None`: the relay
/// at `origin` was not reached).
pub fn status(record: &GrantRecord, remote: Option<&SharesResponse>, origin: &str) -> Status {
    let id = hex(&record.token_id);
    let at_relay = remote.and_then(|s| s.shares.iter().find(|x| x.token_id == id));
    let (status, uses) = match (remote, at_relay) {
        (None, _) => ("unknown".to_string(), None),
        (Some(_), None) if record.origin != origin => ("at another relay".to_string(), None),
        (Some(_), None) => ("not at the relay".to_string(), None),
        (Some(_), Some(x)) => (x.status.clone(), Some(x.uses)),
    };
    Status { status, uses }
}

/// Of the token ids `revoked`, those that could still have been used (not
/// expired, not used up) by the relay's list at `now`.
pub fn still_live(revoked: &[String], list: &SharesResponse, now: u64) -> Vec<String> {
    revoked
        .iter()
        .filter(|id| {
            list.shares
                .iter()
                .any(|s| &s.token_id == *id && s.expires > now && s.uses < s.max_uses)
        })
        .cloned()
        .collect()
}

/// What a withdrawal did: "1 share … it", "2 shares … them"; only what
/// could still be used counts as withdrawn, and the ones that had already
/// ended are said apart. `revoked`: how many the relay withdrew; `live`:
/// how many of them could still be used (`None`: not known); `one`: the
/// person asked for one share by its token id.
pub fn withdrawn_words(revoked: usize, live: Option<usize>, one: bool) -> String {
    match (revoked, live) {
        (0, _) if one => msg!("revoke-already"),
        (0, _) => msg!("revoke-nothing-left"),
        (1, Some(1)) if one => msg!("revoke-done-one"),
        (1, None) => msg!("revoke-done-one"),
        (n, None) => msg!("revoke-done-some-ended", count = n),
        (n, Some(0)) => msg!("revoke-all-ended", count = n),
        (n, Some(live)) => {
            let mut text = msg!("revoke-done-live", count = live);
            let ended = n.saturating_sub(live);
            if ended > 0 {
                text.push(' ');
                text.push_str(&msg!("revoke-also-ended", count = ended));
            }
            text
        }
    }
}

/// Who a share was for, as the survivor knows them: a contact's label, the
/// agency's id, or "anyone with the code".
pub fn to_whom(record: &GrantRecord, known: &[Contact]) -> String {
    record
        .audience
        .and_then(|a| PublicId::from_key_bytes(Role::Agency, &a))
        .map_or_else(|| msg!("grants-to-anyone"), |a| contacts::show(known, &a))
}

/// One stopped share in words: its short id, who it was for and what for,
/// from the vault's own records (or that it was not made here).
pub fn stopped_line(id: &str, records: &[GrantRecord], known: &[Contact]) -> String {
    let short = id.get(..12).unwrap_or(id);
    match records.iter().find(|r| hex(&r.token_id) == id) {
        Some(r) => msg!(
            "revoke-line",
            short_id = short,
            to = to_whom(r, known),
            purpose = visible(&r.purpose)
        ),
        None => msg!("revoke-line-elsewhere", short_id = short),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relay::api::ShareInfo;

    fn record(token: u8, origin: &str) -> GrantRecord {
        GrantRecord {
            token_id: [token; 32],
            origin: origin.into(),
            audience: None,
            pairwise_context: Vec::new(),
            scope: crate::Scope::parse_list("a").expect("scope"),
            fields: Vec::new(),
            purpose: "Housing".into(),
            not_before: 0,
            expires: 100,
            max_uses: 2,
            created: 0,
        }
    }

    fn info(token: u8, uses: u32, expires: u64) -> ShareInfo {
        ShareInfo {
            token_id: hex(&[token; 32]),
            audience: None,
            not_before: 0,
            expires,
            max_uses: 2,
            uses,
            status: "active".into(),
            created: 0,
        }
    }

    #[test]
    fn joins_records_with_the_relays_list() {
        let list = SharesResponse {
            shares: vec![info(1, 1, 100)],
            permission_until: None,
        };
        let here = "http://relay";
        assert_eq!(
            status(&record(1, here), Some(&list), here),
            Status {
                status: "active".into(),
                uses: Some(1)
            }
        );
        assert_eq!(
            status(&record(2, here), Some(&list), here).status,
            "not at the relay"
        );
        assert_eq!(
            status(&record(2, "http://elsewhere"), Some(&list), here).status,
            "at another relay"
        );
        assert_eq!(status(&record(1, here), None, here).status, "unknown");
    }

    #[test]
    fn counts_as_live_only_what_could_still_be_used() {
        let list = SharesResponse {
            shares: vec![info(1, 1, 100), info(2, 2, 100), info(3, 0, 50)],
            permission_until: None,
        };
        let ids: Vec<String> = [1u8, 2, 3].iter().map(|t| hex(&[*t; 32])).collect();
        assert_eq!(still_live(&ids, &list, 60), vec![ids[0].clone()]);
    }

    #[test]
    fn names_a_stopped_share_from_the_vaults_records() {
        let records = [record(1, "http://relay")];
        let line = stopped_line(&hex(&[1; 32]), &records, &[]);
        assert!(line.starts_with("010101010101"), "{line}");
        assert!(line.contains("Housing"), "{line}");
        let elsewhere = stopped_line(&hex(&[9; 32]), &records, &[]);
        assert!(elsewhere.starts_with("090909090909"), "{elsewhere}");
    }
}
