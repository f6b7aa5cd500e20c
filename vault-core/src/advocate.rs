//! What an advocate is told when they list and withdraw a person's shares:
//! the words of `vault advocate shares`, `revoke` and `clients`, which the
//! app (Folio, "Acting for someone") says too. Times are formatted by the
//! caller (`long`), in the local zone of whoever reads them: the CLI's and
//! the browser's differ.
//!
//! An advocate never sees content: a share is its token id, who it is for,
//! until when, its uses and status, nothing more.

use crate::contacts::{self, Contact};
use crate::display::visible;
use crate::relay::api::ShareInfo;
use crate::{msg, time};

/// Warn when a permission ends within this long.
pub const WARN_BEFORE_SECS: u64 = 7 * 86_400;

/// "2 December 2026, 10:00 UTC (in 3 days)": how long is left, rounded to
/// the nearest day, hour or minute.
pub fn ends_in(until: u64, now: u64, long: &dyn Fn(u64) -> String) -> String {
    let left = until.saturating_sub(now);
    let rounded = if left >= 86_400 {
        (left + 43_200) / 86_400 * 86_400
    } else if left >= 3600 {
        (left + 1800) / 3600 * 3600
    } else {
        (left + 30).max(60) / 60 * 60
    };
    msg!(
        "advocate-ends-in",
        at = long(until),
        span = time::span_text(rounded)
    )
}

/// What was not done when the relay said there is no permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotDone {
    /// Asked to list: nothing listed, nothing withdrawn.
    NotListed,
    /// Asked to withdraw: nothing withdrawn.
    NothingWithdrawn,
}

/// What an advocate is told when the relay says they have no permission:
/// from whom (`whom`: how the advocate knows them, if they named them),
/// since when it ended (if it existed), and that nothing was done. Never
/// "no share was found", which a hotline worker would pass on as "done".
pub fn no_permission(
    whom: Option<&str>,
    ended_at: Option<u64>,
    not_done: NotDone,
    long: &dyn Fn(u64) -> String,
) -> String {
    let whom = whom.map_or_else(
        || msg!("advocate-whom-unknown"),
        |w| visible(w).into_owned(),
    );
    let done = match not_done {
        NotDone::NotListed => msg!("advocate-done-not-listed"),
        NotDone::NothingWithdrawn => msg!("advocate-done-nothing-withdrawn"),
    };
    match ended_at {
        Some(t) => msg!(
            "advocate-permission-ended",
            whom = &whom,
            ended = long(t),
            done = &done
        ),
        None => msg!("advocate-no-permission", whom = &whom, done = &done),
    }
}

/// Who a share is for, as the advocate knows them: a contact's label, the
/// agency's id, or "anyone with the code" (the relay's strings, inert).
pub fn to_whom(share: &ShareInfo, known: &[Contact]) -> String {
    let anyone = msg!("grants-to-anyone");
    visible(&contacts::name_ids(
        share.audience.as_deref().unwrap_or(&anyone),
        known,
    ))
    .into_owned()
}

/// One share in a list: token id, status, uses, until when, to whom.
pub fn share_line(share: &ShareInfo, known: &[Contact], long: &dyn Fn(u64) -> String) -> String {
    msg!(
        "advocate-share-line",
        token_id = visible(&share.token_id),
        status = visible(&share.status),
        uses = u64::from(share.uses),
        max_uses = u64::from(share.max_uses),
        until = long(share.expires),
        to = to_whom(share, known)
    )
}

/// The warning that the permission from this person ends soon, if it does
/// (within [`WARN_BEFORE_SECS`]).
pub fn permission_ending(
    until: Option<u64>,
    now: u64,
    long: &dyn Fn(u64) -> String,
) -> Option<String> {
    let until = until?;
    (until.saturating_sub(now) <= WARN_BEFORE_SECS).then(|| {
        msg!(
            "advocate-permission-ending",
            until = ends_in(until, now, long)
        )
    })
}

/// Until when a permission lasts, in words: ended, ends soon, or until.
pub fn client_when(until: u64, now: u64, long: &dyn Fn(u64) -> String) -> String {
    if until <= now {
        msg!("advocate-client-ended", at = long(until))
    } else if until - now <= WARN_BEFORE_SECS {
        msg!(
            "advocate-client-ends-soon",
            until = ends_in(until, now, long)
        )
    } else {
        msg!("advocate-client-until", until = long(until))
    }
}

/// The words after a withdrawal the advocate asked for: what the relay
/// withdrew (as [`crate::shares::withdrawn_words`]), and, if anything was,
/// to let the person know. `live`: how many of them could still be used,
/// if known.
pub fn withdrawn_words(revoked: usize, live: Option<usize>, one: bool) -> String {
    let mut text = crate::shares::withdrawn_words(revoked, live, one);
    if revoked > 0 {
        text.push(' ');
        text.push_str(&msg!("advocate-tell-them"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long(t: u64) -> String {
        format!("T{t}")
    }

    fn share(audience: Option<&str>) -> ShareInfo {
        ShareInfo {
            token_id: "ab".repeat(32),
            audience: audience.map(str::to_owned),
            not_before: 0,
            expires: 500,
            max_uses: 2,
            uses: 1,
            status: "active".into(),
            created: 0,
        }
    }

    #[test]
    fn says_nothing_was_done_without_permission_never_not_found() {
        let t = no_permission(Some("Ama"), None, NotDone::NothingWithdrawn, &long);
        assert!(
            t.contains("Ama") && t.contains("nothing was withdrawn"),
            "{t}"
        );
        let t = no_permission(None, Some(42), NotDone::NotListed, &long);
        assert!(t.contains("T42") && t.contains("cannot be listed"), "{t}");
        assert!(!t.to_lowercase().contains("not found"), "{t}");
    }

    #[test]
    fn lists_a_share_without_content() {
        let line = share_line(&share(None), &[], &long);
        assert!(line.contains(&"ab".repeat(32)), "{line}");
        assert!(
            line.contains("used 1 of 2") && line.contains("T500"),
            "{line}"
        );
        assert!(line.contains("anyone with the code"), "{line}");
    }

    #[test]
    fn warns_only_when_the_permission_ends_within_a_week() {
        assert!(permission_ending(Some(WARN_BEFORE_SECS + 11), 10, &long).is_none());
        assert!(permission_ending(Some(WARN_BEFORE_SECS + 10), 10, &long).is_some());
        assert!(permission_ending(None, 10, &long).is_none());
        assert!(client_when(5, 10, &long).contains("ended"));
        assert!(client_when(20, 10, &long).contains("ends soon"));
    }

    #[test]
    fn asks_to_tell_the_person_only_when_something_was_withdrawn() {
        assert!(withdrawn_words(1, Some(1), true).contains("Let the person know"));
        assert!(!withdrawn_words(0, Some(0), true).contains("Let the person know"));
    }
}
