//! The relay's decisions, apart from its storage.
//!
//! Each function here takes what is stored (already loaded), the request
//! and the time, and returns a [`Decision`]: the answer (or refusal), the
//! writes, the log events, which share file to read before the writes
//! count and which share files to remove once they are durable. Nothing
//! here reads a store, a file or the clock, or takes a lock: a storage
//! type ([`crate::db::RelayStore`]) loads what a decision needs, applies
//! its [`Plan`] atomically and durably, and only then is the answer
//! given. The rules (who may withdraw what, when a use is counted, when a
//! share's ciphertext is dropped, what goes into the survivor's log) live
//! here once, whatever the storage engine.
//!
//! Tokens are verified once, at upload; the verified claims a decision
//! needs ([`Terms`]) are kept beside the token's exact bytes, so a
//! redemption checks time, audience and uses against them without
//! decoding or verifying the token again.

use serde::{Deserialize, Serialize};
use vault_core::relay::log::{self, Entry, Event};
use vault_core::relay::Refusal;
use vault_core::token::{TokenBody, TokenError, UnverifiedToken, MAX_VALIDITY_SECS};
use vault_core::{PublicId, Role, TokenId};

/// What the relay keeps about one token (as every version has written it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// The signed token, exactly as uploaded.
    pub token: Vec<u8>,
    /// The survivor main key that uploaded it.
    pub account: [u8; 32],
    /// Redemptions made.
    pub uses: u32,
    /// Withdrawn?
    pub revoked: bool,
    /// When uploaded.
    pub created: u64,
    /// Length of the sealed share still stored in its file (0 once
    /// deleted).
    pub share_len: u64,
}

/// The claims of a token that the relay verified (signature, limits,
/// issuer key) when it was uploaded: all a decision needs of the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    /// The agency key that may redeem, or `None` for whoever holds the link.
    pub audience: Option<[u8; 32]>,
    /// First second of validity.
    pub not_before: u64,
    /// First second after validity.
    pub expires: u64,
    /// How many redemptions are allowed.
    pub max_uses: u32,
    /// Length of the sealed share.
    pub payload_len: u64,
    /// SHA-256 of the sealed share.
    pub payload_hash: [u8; 32],
}

impl Terms {
    /// The terms of a token body whose signature the caller verified.
    pub fn of(b: &TokenBody) -> Self {
        Self {
            audience: b.audience,
            not_before: b.not_before,
            expires: b.expires,
            max_uses: b.max_uses,
            payload_len: b.payload_len,
            payload_hash: b.payload_hash,
        }
    }

    /// Verifies stored token bytes (limits, issuer key, signature: no
    /// time, no audience) and returns their terms: for records written
    /// before the terms were kept, once, when first loaded.
    pub fn verify_stored(token: &[u8]) -> Result<Self, TokenError> {
        let t = UnverifiedToken::decode(token)?;
        t.verify_signature()?;
        Ok(Self::of(t.body()))
    }
}

/// A token record and its verified terms: what a decision about a token
/// is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredToken {
    pub record: TokenRecord,
    pub terms: Terms,
}

/// Why a request is not granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// A refusal with its code.
    Refused(Refusal),
    /// An advocate without a live delegation; `ended_at` only if one
    /// existed and ran out.
    NoPermission { ended_at: Option<u64> },
}

impl From<Refusal> for Denied {
    fn from(r: Refusal) -> Self {
        Self::Refused(r)
    }
}

/// One change a decision makes, in the relay's own terms (not keys): a
/// storage type maps each to its rows or keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    /// Stores (or replaces) a token's record and terms.
    Token(TokenId, StoredToken),
    /// Lists the token among its account's shares.
    Listed { account: [u8; 32], id: TokenId },
    /// The share file of this token is garbage: durable with the
    /// decision, the file is removed afterwards (or at the next start).
    MarkGarbage(TokenId),
    /// The share file of this token is named by its record now.
    Unmark(TokenId),
    /// Lets an advocate act for a survivor until a time.
    Delegation {
        survivor: [u8; 32],
        advocate: [u8; 32],
        until: u64,
    },
    /// Ends a delegation.
    EndDelegation {
        survivor: [u8; 32],
        advocate: [u8; 32],
    },
}

/// What a decision asks its storage to do, atomically and durably.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The changes, applied all or none.
    pub writes: Vec<Write>,
    /// Appended, in order, to the log of the account the decision is
    /// about, in the same batch as the writes.
    pub events: Vec<Event>,
    /// When the events happened (seconds since 1970), stamped on their
    /// log entries.
    pub at: u64,
    /// A share to read (token id, length) before anything is applied: if
    /// it cannot be read, nothing is written (a use is never spent on a
    /// share the relay cannot serve).
    pub serve: Option<(TokenId, u64)>,
    /// Share files to remove once the writes are durable (each also has
    /// a [`Write::MarkGarbage`] in `writes`).
    pub remove: Vec<TokenId>,
}

impl Plan {
    /// Nothing to write or log.
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty() && self.events.is_empty()
    }
}

/// A decision: the answer and what must be durable before it is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision<T> {
    pub answer: Result<T, Denied>,
    pub plan: Plan,
}

impl<T> Decision<T> {
    fn nothing(answer: Result<T, Denied>) -> Self {
        Self {
            answer,
            plan: Plan::default(),
        }
    }
}

// ------------------------------------------------------------------ upload

/// Verifies an uploaded token, once: signature, limits and that it has
/// not expired, presenting its own audience, at its start if that is
/// later than `now` (an upload is not a redemption; how much later it may
/// start is [`starts_too_late`], checked after the request's signature).
pub fn upload_terms(token: &UnverifiedToken, now: u64) -> Result<Terms, TokenError> {
    let b = token.body();
    let audience = b
        .audience
        .and_then(|a| PublicId::from_key_bytes(Role::Agency, &a));
    let at = now.max(b.not_before);
    let verified = token.clone().verify(at, audience.as_ref())?;
    Ok(Terms::of(verified.body()))
}

/// Whether a token starts later than the upload allowance.
pub fn starts_too_late(terms: &Terms, now: u64) -> bool {
    terms.not_before > now.saturating_add(vault_core::relay::UPLOAD_START_ALLOWANCE_SECS)
}

/// The first step of an upload of a share of `len` bytes: a token id
/// already stored is a `conflict`; otherwise, unless the share is empty
/// (no file), its file is marked as garbage durably before it exists.
pub fn begin_upload(existing: Option<&StoredToken>, id: &TokenId, len: u64) -> Decision<()> {
    if existing.is_some() {
        return Decision::nothing(Err(Refusal::Conflict.into()));
    }
    let mut plan = Plan::default();
    // An empty share (no real client sends one: shares are padded to at
    // least 4 KiB) gets no file, so `share_len == 0` always means "no
    // file to remove".
    if len > 0 {
        plan.writes.push(Write::MarkGarbage(*id));
    }
    Decision {
        answer: Ok(()),
        plan,
    }
}

/// The last step of an upload, the share's file (of `len` bytes) already
/// committed: the record with its verified terms, the listing and the log
/// entry, lifting the file's mark.
pub fn finish_upload(
    existing: Option<&StoredToken>,
    account: &[u8; 32],
    token: &[u8],
    id: &TokenId,
    terms: Terms,
    len: u64,
    now: u64,
) -> Decision<()> {
    if existing.is_some() {
        return Decision::nothing(Err(Refusal::Conflict.into()));
    }
    let stored = StoredToken {
        record: TokenRecord {
            token: token.to_vec(),
            account: *account,
            uses: 0,
            revoked: false,
            created: now,
            share_len: len,
        },
        terms,
    };
    let mut writes = vec![
        Write::Token(*id, stored),
        Write::Listed {
            account: *account,
            id: *id,
        },
    ];
    if len > 0 {
        writes.push(Write::Unmark(*id));
    }
    Decision {
        answer: Ok(()),
        plan: Plan {
            writes,
            events: vec![Event::ShareCreated {
                token_id: *id,
                audience: terms.audience,
                expires: terms.expires,
                max_uses: terms.max_uses,
            }],
            at: now,
            ..Plan::default()
        },
    }
}

// -------------------------------------------------------------- redemption

/// Who presents a token for redemption.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Presenter {
    /// The agency whose fresh, valid proof came with the request.
    pub agency: Option<[u8; 32]>,
    /// An agency whose proof was validly signed at a time outside the
    /// clock window: named in the log only when the refusal is
    /// `clock_skew`.
    pub stale: Option<[u8; 32]>,
}

/// A granted redemption: the record after counting this use, and the
/// token's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Granted {
    pub record: TokenRecord,
    pub terms: Terms,
}

/// Checks a token's terms at `now` for `agency` (what the token itself
/// allows, before revocation and uses): its window, then its audience.
fn admits(terms: &Terms, agency: Option<[u8; 32]>, now: u64) -> Result<(), Refusal> {
    if now < terms.not_before {
        return Err(Refusal::NotYetValid);
    }
    if now >= terms.expires {
        return Err(Refusal::Expired);
    }
    match terms.audience {
        Some(aud) if agency != Some(aud) => Err(Refusal::WrongAudience),
        _ => Ok(()),
    }
}

/// Counts one redemption of `id` (stored as `stored`), or refuses and
/// logs why. Refused: not found (nothing logged), withdrawn, not started,
/// expired (its ciphertext is dropped), bound to another agency (or
/// `clock_skew` if only the stale proof's time stands in the way), used
/// up. Granted: the use is counted and logged; on the last use the
/// ciphertext is dropped once the answer's share is read.
pub fn redeem(
    stored: Option<&StoredToken>,
    id: &TokenId,
    by: Presenter,
    now: u64,
) -> Decision<Granted> {
    let Some(StoredToken { record, terms }) = stored else {
        return Decision::nothing(Err(Refusal::NotFound.into()));
    };
    let verdict = if record.revoked {
        Err(Refusal::Revoked)
    } else {
        match admits(terms, by.agency, now) {
            // Only the clock is wrong: with a fresh time, this agency's
            // proof would have opened it.
            Err(Refusal::WrongAudience) if by.stale.is_some() && terms.audience == by.stale => {
                Err(Refusal::ClockSkew)
            }
            Err(r) => Err(r),
            Ok(()) if record.uses >= terms.max_uses => Err(Refusal::UsedUp),
            Ok(()) => Ok(()),
        }
    };
    let mut rec = record.clone();
    let mut plan = Plan {
        at: now,
        ..Plan::default()
    };
    match verdict {
        Err(refusal) => {
            // An expired share is no use to anyone: drop its ciphertext.
            if refusal == Refusal::Expired && rec.share_len > 0 {
                rec.share_len = 0;
                plan.writes.push(Write::MarkGarbage(*id));
                plan.writes.push(Write::Token(
                    *id,
                    StoredToken {
                        record: rec,
                        terms: *terms,
                    },
                ));
                plan.remove.push(*id);
            }
            let agency = by
                .agency
                .or(by.stale.filter(|_| refusal == Refusal::ClockSkew));
            plan.events.push(Event::Refused {
                token_id: *id,
                agency,
                reason: refusal.code().into(),
            });
            Decision {
                answer: Err(refusal.into()),
                plan,
            }
        }
        Ok(()) => {
            plan.serve = Some((*id, rec.share_len));
            rec.uses += 1;
            let counted = rec.clone();
            // The last use: the relay keeps no ciphertext it will never serve.
            if rec.uses == terms.max_uses && rec.share_len > 0 {
                rec.share_len = 0;
                plan.writes.push(Write::MarkGarbage(*id));
                plan.remove.push(*id);
            }
            plan.writes.push(Write::Token(
                *id,
                StoredToken {
                    record: rec,
                    terms: *terms,
                },
            ));
            plan.events.push(Event::Redeemed {
                token_id: *id,
                agency: by.agency,
                use_number: counted.uses,
            });
            Decision {
                answer: Ok(Granted {
                    record: counted,
                    terms: *terms,
                }),
                plan,
            }
        }
    }
}

// -------------------------------------------------------------- withdrawal

/// Who asks to withdraw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withdrawer {
    /// The survivor, by their main key.
    Survivor([u8; 32]),
    /// An advocate, by their key.
    Advocate([u8; 32]),
}

impl Withdrawer {
    fn key(self) -> [u8; 32] {
        match self {
            Self::Survivor(k) | Self::Advocate(k) => k,
        }
    }
}

/// Withdraws `stored` into `plan` (already allowed); `false` if it was
/// withdrawn before (nothing changes).
fn withdraw(plan: &mut Plan, id: &TokenId, stored: &StoredToken, by: Withdrawer) -> bool {
    if stored.record.revoked {
        return false;
    }
    let mut rec = stored.record.clone();
    // A used-up or expired share's file is already gone (or marked).
    if rec.share_len > 0 {
        plan.writes.push(Write::MarkGarbage(*id));
        plan.remove.push(*id);
    }
    rec.revoked = true;
    rec.share_len = 0;
    plan.writes.push(Write::Token(
        *id,
        StoredToken {
            record: rec,
            terms: stored.terms,
        },
    ));
    plan.events.push(Event::Revoked {
        token_id: *id,
        by: by.key(),
        by_advocate: matches!(by, Withdrawer::Advocate(_)),
    });
    true
}

/// Withdraws one share. "Not yours" and "no such share" look the same
/// (`not_found`), except to an advocate whose delegation from the share's
/// survivor ran out (`until`, loaded for the share's account: 0 if none):
/// they had permission, so they are told when it ended. `true` if this
/// request withdrew it, `false` if it was withdrawn already.
pub fn revoke(
    stored: Option<&StoredToken>,
    id: &TokenId,
    by: Withdrawer,
    until: u64,
    now: u64,
) -> Decision<bool> {
    let Some(s) = stored else {
        return Decision::nothing(Err(Refusal::NotFound.into()));
    };
    let allowed = match by {
        Withdrawer::Survivor(k) => s.record.account == k,
        Withdrawer::Advocate(_) => {
            if until > 0 && until <= now {
                return Decision::nothing(Err(Denied::NoPermission {
                    ended_at: Some(until),
                }));
            }
            until > now
        }
    };
    if !allowed {
        return Decision::nothing(Err(Refusal::NotFound.into()));
    }
    let mut plan = Plan {
        at: now,
        ..Plan::default()
    };
    let changed = withdraw(&mut plan, id, s, by);
    Decision {
        answer: Ok(changed),
        plan,
    }
}

/// Withdraws every share of an account (`shares`: all of them), by its
/// survivor or by an advocate whose delegation from it lasts until
/// `until` (0 if none). An advocate without a live one withdraws nothing
/// and is told so (with when it ended only if it existed). Returns the
/// ids this request withdrew.
pub fn revoke_all(
    shares: &[(TokenId, StoredToken)],
    by: Withdrawer,
    until: u64,
    now: u64,
) -> Decision<Vec<TokenId>> {
    if matches!(by, Withdrawer::Advocate(_)) && until <= now {
        return Decision::nothing(Err(Denied::NoPermission {
            ended_at: (until > 0).then_some(until),
        }));
    }
    let mut plan = Plan {
        at: now,
        ..Plan::default()
    };
    let mut out = Vec::new();
    for (id, s) in shares {
        if withdraw(&mut plan, id, s, by) {
            out.push(*id);
        }
    }
    Decision {
        answer: Ok(out),
        plan,
    }
}

// ------------------------------------------------------------- delegation

/// Lets an advocate list and withdraw the survivor's shares until a time
/// in the future, at most 90 days ahead (a delegation, like consent,
/// ends); otherwise `bad_request`.
pub fn delegate(survivor: &[u8; 32], advocate: &[u8; 32], until: u64, now: u64) -> Decision<()> {
    if until <= now || until - now > MAX_VALIDITY_SECS {
        return Decision::nothing(Err(Refusal::BadRequest.into()));
    }
    Decision {
        answer: Ok(()),
        plan: Plan {
            writes: vec![Write::Delegation {
                survivor: *survivor,
                advocate: *advocate,
                until,
            }],
            events: vec![Event::DelegationAdded {
                advocate: *advocate,
                until,
            }],
            at: now,
            ..Plan::default()
        },
    }
}

/// Ends a delegation (`existing`: until when it was stored, if at all);
/// `not_found` if there was none.
pub fn undelegate(
    existing: Option<u64>,
    survivor: &[u8; 32],
    advocate: &[u8; 32],
    now: u64,
) -> Decision<()> {
    if existing.is_none() {
        return Decision::nothing(Err(Refusal::NotFound.into()));
    }
    Decision {
        answer: Ok(()),
        plan: Plan {
            writes: vec![Write::EndDelegation {
                survivor: *survivor,
                advocate: *advocate,
            }],
            events: vec![Event::DelegationRemoved {
                advocate: *advocate,
            }],
            at: now,
            ..Plan::default()
        },
    }
}

// ---------------------------------------------------------------- listing

/// A share's status as listed to its survivor or advocate.
pub fn status(s: &StoredToken, now: u64) -> &'static str {
    if s.record.revoked {
        "revoked"
    } else if now >= s.terms.expires {
        "expired"
    } else if s.record.uses >= s.terms.max_uses {
        "used_up"
    } else {
        "active"
    }
}

// -------------------------------------------------------------------- log

/// A log's head: (seq, hash).
pub type LogHead = (u64, [u8; 32]);

/// The entries (seq, bytes) that append `events` at `at` to a log whose
/// head is `head`, and the new head.
pub fn append(head: LogHead, at: u64, events: &[Event]) -> (Vec<(u64, Vec<u8>)>, LogHead) {
    let mut h = head;
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        let seq = h.0 + 1;
        let bytes = postcard::to_allocvec(&Entry {
            seq,
            at,
            event: event.clone(),
        })
        .expect("encoding into a Vec cannot fail");
        h = (seq, log::chain(&h.1, &bytes));
        out.push((seq, bytes));
    }
    (out, h)
}

// ------------------------------------------------------------------ nonce

/// Whether a request nonce is fresh, given until when it was last seen
/// (if at all): a nonce is refused until that time, then accepted again.
pub fn nonce_fresh(seen_until: Option<u64>, now: u64) -> bool {
    seen_until.is_none_or(|until| until <= now)
}

/// Whether recording this nonce also drops expired ones: about once in
/// 64 requests (nonces are random, so this is a fair coin), keeping each
/// request's work small.
pub fn prunes(nonce: &[u8; 16]) -> bool {
    nonce[0] < 4
}

#[cfg(test)]
mod tests {
    //! Every decision on its own, without any store.

    use vault_core::token::sign_body;
    use vault_core::{Identity, Role};

    use super::*;

    const NOW: u64 = 1_795_000_000;
    const ACCOUNT: [u8; 32] = [1; 32];
    const ID: TokenId = [3; 32];
    const AGENCY: [u8; 32] = [4; 32];

    fn terms(max_uses: u32, audience: Option<[u8; 32]>) -> Terms {
        Terms {
            audience,
            not_before: NOW - 10,
            expires: NOW + 100,
            max_uses,
            payload_len: 5000,
            payload_hash: [8; 32],
        }
    }

    fn stored(uses: u32, max_uses: u32, audience: Option<[u8; 32]>) -> StoredToken {
        StoredToken {
            record: TokenRecord {
                token: vec![1, 2, 3],
                account: ACCOUNT,
                uses,
                revoked: false,
                created: NOW - 20,
                share_len: 5000,
            },
            terms: terms(max_uses, audience),
        }
    }

    fn anyone() -> Presenter {
        Presenter::default()
    }

    fn refused<T: std::fmt::Debug>(d: &Decision<T>) -> Refusal {
        match d.answer {
            Err(Denied::Refused(r)) => r,
            ref other => panic!("expected a refusal, got {other:?}"),
        }
    }

    /// The refusal event a refused redemption logs, and nothing else.
    fn logs_refusal<T>(d: &Decision<T>, agency: Option<[u8; 32]>, reason: &str) {
        assert_eq!(
            d.plan.events,
            [Event::Refused {
                token_id: ID,
                agency,
                reason: reason.into(),
            }]
        );
        assert_eq!(d.plan.serve, None, "a refusal serves no share");
    }

    // -------------------------------------------------------- redemption

    #[test]
    fn redeem_of_an_unknown_token_is_not_found_and_logs_nothing() {
        let d = redeem(None, &ID, anyone(), NOW);
        assert_eq!(refused(&d), Refusal::NotFound);
        assert!(d.plan.is_empty());
    }

    #[test]
    fn redeem_counts_a_use_serves_the_share_and_logs_it() {
        let s = stored(0, 2, None);
        let d = redeem(Some(&s), &ID, anyone(), NOW);
        let g = d.answer.clone().expect("granted");
        assert_eq!((g.record.uses, g.terms), (1, s.terms));
        assert_eq!(d.plan.serve, Some((ID, 5000)));
        assert!(d.plan.remove.is_empty(), "not the last use");
        let Write::Token(_, after) = &d.plan.writes[0] else {
            panic!("the record is written: {:?}", d.plan.writes)
        };
        assert_eq!((after.record.uses, after.record.share_len), (1, 5000));
        assert_eq!(
            d.plan.events,
            [Event::Redeemed {
                token_id: ID,
                agency: None,
                use_number: 1
            }]
        );
    }

    #[test]
    fn the_last_use_drops_the_ciphertext_after_serving_it() {
        let s = stored(1, 2, None);
        let d = redeem(Some(&s), &ID, anyone(), NOW);
        assert_eq!(d.answer.clone().expect("granted").record.uses, 2);
        assert_eq!(d.plan.serve, Some((ID, 5000)), "still served");
        assert_eq!(d.plan.remove, [ID]);
        assert_eq!(d.plan.writes[0], Write::MarkGarbage(ID));
        let Write::Token(_, after) = &d.plan.writes[1] else {
            panic!("the record is written")
        };
        assert_eq!((after.record.uses, after.record.share_len), (2, 0));
    }

    #[test]
    fn redeem_beyond_the_allowed_uses_is_used_up() {
        let mut s = stored(2, 2, None);
        s.record.share_len = 0;
        let d = redeem(Some(&s), &ID, anyone(), NOW);
        assert_eq!(refused(&d), Refusal::UsedUp);
        logs_refusal(&d, None, "used_up");
        assert!(d.plan.writes.is_empty());
    }

    #[test]
    fn redeem_of_a_withdrawn_share_is_revoked_whatever_else_holds() {
        let mut s = stored(5, 2, Some(AGENCY));
        s.record.revoked = true;
        let d = redeem(Some(&s), &ID, anyone(), NOW + 1000);
        assert_eq!(refused(&d), Refusal::Revoked);
        logs_refusal(&d, None, "revoked");
    }

    #[test]
    fn redeem_keeps_to_the_window_at_both_edges() {
        let s = stored(0, 1, None);
        let before = redeem(Some(&s), &ID, anyone(), NOW - 11);
        assert_eq!(refused(&before), Refusal::NotYetValid);
        logs_refusal(&before, None, "not_yet_valid");
        assert!(before.plan.writes.is_empty(), "the share stays");
        assert!(redeem(Some(&s), &ID, anyone(), NOW - 10).answer.is_ok());
        assert!(redeem(Some(&s), &ID, anyone(), NOW + 99).answer.is_ok());
        let after = redeem(Some(&s), &ID, anyone(), NOW + 100);
        assert_eq!(refused(&after), Refusal::Expired);
    }

    #[test]
    fn an_expired_share_is_dropped_once() {
        let s = stored(0, 1, None);
        let d = redeem(Some(&s), &ID, anyone(), NOW + 100);
        assert_eq!(refused(&d), Refusal::Expired);
        logs_refusal(&d, None, "expired");
        assert_eq!(d.plan.remove, [ID]);
        assert_eq!(d.plan.writes[0], Write::MarkGarbage(ID));
        let Write::Token(_, after) = &d.plan.writes[1] else {
            panic!("the record is written")
        };
        assert_eq!((after.record.share_len, after.record.uses), (0, 0));
        // Once dropped, a second refusal marks nothing.
        let again = redeem(Some(after), &ID, anyone(), NOW + 101);
        assert_eq!(refused(&again), Refusal::Expired);
        assert!(again.plan.writes.is_empty() && again.plan.remove.is_empty());
    }

    #[test]
    fn a_bound_token_opens_only_for_its_agency() {
        let s = stored(0, 1, Some(AGENCY));
        let none = redeem(Some(&s), &ID, anyone(), NOW);
        assert_eq!(refused(&none), Refusal::WrongAudience);
        logs_refusal(&none, None, "wrong_audience");
        let other = Presenter {
            agency: Some([5; 32]),
            stale: None,
        };
        let d = redeem(Some(&s), &ID, other, NOW);
        assert_eq!(refused(&d), Refusal::WrongAudience);
        logs_refusal(&d, Some([5; 32]), "wrong_audience");
        let right = Presenter {
            agency: Some(AGENCY),
            stale: None,
        };
        let d = redeem(Some(&s), &ID, right, NOW);
        assert!(d.answer.is_ok());
        assert_eq!(
            d.plan.events,
            [Event::Redeemed {
                token_id: ID,
                agency: Some(AGENCY),
                use_number: 1
            }]
        );
    }

    #[test]
    fn an_anyone_token_opens_for_any_agency_and_names_it() {
        let s = stored(0, 1, None);
        let by = Presenter {
            agency: Some([5; 32]),
            stale: None,
        };
        let d = redeem(Some(&s), &ID, by, NOW);
        assert!(d.answer.is_ok());
        assert_eq!(
            d.plan.events,
            [Event::Redeemed {
                token_id: ID,
                agency: Some([5; 32]),
                use_number: 1
            }]
        );
    }

    #[test]
    fn a_stale_proof_of_the_right_agency_is_clock_skew_and_counts_nothing() {
        let s = stored(0, 1, Some(AGENCY));
        let stale = Presenter {
            agency: None,
            stale: Some(AGENCY),
        };
        let d = redeem(Some(&s), &ID, stale, NOW);
        assert_eq!(refused(&d), Refusal::ClockSkew);
        logs_refusal(&d, Some(AGENCY), "clock_skew");
        assert!(d.plan.writes.is_empty());
        // A stale proof of another agency is just the wrong audience, and
        // that agency is not named.
        let other = Presenter {
            agency: None,
            stale: Some([5; 32]),
        };
        let d = redeem(Some(&s), &ID, other, NOW);
        assert_eq!(refused(&d), Refusal::WrongAudience);
        logs_refusal(&d, None, "wrong_audience");
        // Expiry comes first.
        let d = redeem(Some(&s), &ID, stale, NOW + 100);
        assert_eq!(refused(&d), Refusal::Expired);
    }

    #[test]
    fn every_use_up_to_the_limit_is_granted_then_none() {
        let mut s = stored(0, 3, None);
        for n in 1..=3 {
            let d = redeem(Some(&s), &ID, anyone(), NOW);
            assert_eq!(d.answer.clone().expect("granted").record.uses, n);
            let Some(Write::Token(_, after)) = d.plan.writes.last() else {
                panic!("the record is written")
            };
            s = after.clone();
        }
        assert_eq!(s.record.share_len, 0);
        assert_eq!(
            refused(&redeem(Some(&s), &ID, anyone(), NOW)),
            Refusal::UsedUp
        );
    }

    // -------------------------------------------------------- withdrawal

    #[test]
    fn the_survivor_withdraws_their_share_once() {
        let s = stored(0, 1, None);
        let by = Withdrawer::Survivor(ACCOUNT);
        let d = revoke(Some(&s), &ID, by, 0, NOW);
        assert_eq!(d.answer, Ok(true));
        assert_eq!(d.plan.remove, [ID]);
        assert_eq!(d.plan.writes[0], Write::MarkGarbage(ID));
        let Write::Token(_, after) = &d.plan.writes[1] else {
            panic!("the record is written")
        };
        assert!(after.record.revoked);
        assert_eq!(after.record.share_len, 0);
        assert_eq!(
            d.plan.events,
            [Event::Revoked {
                token_id: ID,
                by: ACCOUNT,
                by_advocate: false
            }]
        );
        let again = revoke(Some(after), &ID, by, 0, NOW + 1);
        assert_eq!(again.answer, Ok(false));
        assert!(again.plan.is_empty(), "withdrawing twice is not news");
    }

    #[test]
    fn withdrawing_a_used_up_share_marks_no_file() {
        let mut s = stored(1, 1, None);
        s.record.share_len = 0;
        let d = revoke(Some(&s), &ID, Withdrawer::Survivor(ACCOUNT), 0, NOW);
        assert_eq!(d.answer, Ok(true));
        assert!(d.plan.remove.is_empty());
        assert!(!d.plan.writes.contains(&Write::MarkGarbage(ID)));
    }

    #[test]
    fn not_yours_and_no_such_share_look_the_same() {
        let s = stored(0, 1, None);
        let other = Withdrawer::Survivor([2; 32]);
        let d = revoke(Some(&s), &ID, other, 0, NOW);
        assert_eq!(refused(&d), Refusal::NotFound);
        assert!(d.plan.is_empty());
        let d = revoke(None, &ID, Withdrawer::Survivor(ACCOUNT), 0, NOW);
        assert_eq!(refused(&d), Refusal::NotFound);
        // An advocate who never had permission learns nothing more.
        let d = revoke(Some(&s), &ID, Withdrawer::Advocate([6; 32]), 0, NOW);
        assert_eq!(refused(&d), Refusal::NotFound);
    }

    #[test]
    fn an_advocate_withdraws_while_permitted_and_hears_when_it_ended() {
        let s = stored(0, 1, None);
        let adv = Withdrawer::Advocate([6; 32]);
        let d = revoke(Some(&s), &ID, adv, NOW + 1, NOW);
        assert_eq!(d.answer, Ok(true));
        assert!(matches!(
            d.plan.events[0],
            Event::Revoked {
                by_advocate: true,
                ..
            }
        ));
        // At the second it ends, it has ended.
        let d = revoke(Some(&s), &ID, adv, NOW, NOW);
        assert_eq!(
            d.answer,
            Err(Denied::NoPermission {
                ended_at: Some(NOW)
            })
        );
        assert!(d.plan.is_empty());
    }

    #[test]
    fn withdrawing_everything_withdraws_each_live_share_in_one_plan() {
        let mut done = stored(0, 1, None);
        done.record.revoked = true;
        done.record.share_len = 0;
        let shares = [
            ([1; 32], stored(0, 1, None)),
            ([2; 32], done),
            ([3; 32], stored(1, 1, None)),
        ];
        let d = revoke_all(&shares, Withdrawer::Survivor(ACCOUNT), 0, NOW);
        assert_eq!(d.answer, Ok(vec![[1; 32], [3; 32]]));
        assert_eq!(d.plan.remove, [[1; 32], [3; 32]]);
        assert_eq!(d.plan.events.len(), 2);
    }

    #[test]
    fn an_advocate_without_live_permission_withdraws_nothing() {
        let shares = [([1; 32], stored(0, 1, None))];
        let adv = Withdrawer::Advocate([6; 32]);
        for (until, ended_at) in [(0, None), (NOW - 5, Some(NOW - 5)), (NOW, Some(NOW))] {
            let d = revoke_all(&shares, adv, until, NOW);
            assert_eq!(d.answer, Err(Denied::NoPermission { ended_at }));
            assert!(d.plan.is_empty());
        }
        assert!(revoke_all(&shares, adv, NOW + 1, NOW).answer.is_ok());
    }

    // -------------------------------------------------- upload, delegation

    #[test]
    fn an_upload_of_a_stored_token_is_a_conflict() {
        let s = stored(0, 1, None);
        assert_eq!(refused(&begin_upload(Some(&s), &ID, 10)), Refusal::Conflict);
        let d = finish_upload(Some(&s), &ACCOUNT, &[1], &ID, s.terms, 10, NOW);
        assert_eq!(refused(&d), Refusal::Conflict);
        assert!(d.plan.is_empty());
    }

    #[test]
    fn an_upload_marks_its_file_first_and_lifts_the_mark_with_its_record() {
        let begin = begin_upload(None, &ID, 10);
        assert_eq!(begin.plan.writes, [Write::MarkGarbage(ID)]);
        assert!(begin.plan.remove.is_empty(), "the file is still to come");
        assert!(begin_upload(None, &ID, 0).plan.is_empty(), "no file");
        let t = terms(2, Some(AGENCY));
        let d = finish_upload(None, &ACCOUNT, &[7, 7], &ID, t, 10, NOW);
        assert_eq!(d.answer, Ok(()));
        let Write::Token(_, s) = &d.plan.writes[0] else {
            panic!("the record is written")
        };
        assert_eq!(s.record.token, [7, 7]);
        assert_eq!((s.record.uses, s.record.share_len, s.terms), (0, 10, t));
        assert_eq!(d.plan.writes[2], Write::Unmark(ID));
        assert_eq!(
            d.plan.events,
            [Event::ShareCreated {
                token_id: ID,
                audience: Some(AGENCY),
                expires: t.expires,
                max_uses: 2
            }]
        );
    }

    #[test]
    fn an_uploaded_token_is_verified_once_with_its_own_audience() {
        let issuer = Identity::from_seed(Role::Survivor, &[9; 32]);
        let agency = Identity::from_seed(Role::Agency, &[10; 32]);
        let body = |not_before: u64| TokenBody {
            token_id: ID,
            issuer: *issuer.public().key_bytes(),
            audience: Some(*agency.public().key_bytes()),
            not_before,
            expires: not_before + 3600,
            max_uses: 2,
            payload_len: vault_core::token::MIN_PAYLOAD_LEN,
            payload_hash: [8; 32],
            sealed_claims: vec![0; 256],
        };
        let bytes = sign_body(&issuer, &body(NOW - 10));
        let t = UnverifiedToken::decode(&bytes).expect("decodes");
        let terms = upload_terms(&t, NOW).expect("verifies");
        assert_eq!(terms.max_uses, 2);
        assert_eq!(terms.audience, Some(*agency.public().key_bytes()));
        assert_eq!(Terms::verify_stored(&bytes), Ok(terms));
        // Starting later is checked at its start, then against the allowance.
        let later =
            UnverifiedToken::decode(&sign_body(&issuer, &body(NOW + 10_000))).expect("decodes");
        let terms = upload_terms(&later, NOW).expect("verifies at its start");
        assert!(starts_too_late(&terms, NOW));
        // Expired, or changed after signing: refused.
        assert_eq!(
            upload_terms(&t, NOW + 3600).err(),
            Some(TokenError::Expired)
        );
        let mut changed = bytes.clone();
        let at = changed.len() - 3;
        changed[at] ^= 1;
        let changed = UnverifiedToken::decode(&changed).expect("decodes");
        assert_eq!(
            upload_terms(&changed, NOW).err(),
            Some(TokenError::BadSignature)
        );
    }

    #[test]
    fn a_delegation_ends_within_ninety_days_and_only_an_existing_one_ends() {
        let adv = [6; 32];
        for until in [NOW, NOW - 1, NOW + MAX_VALIDITY_SECS + 1] {
            let d = delegate(&ACCOUNT, &adv, until, NOW);
            assert_eq!(refused(&d), Refusal::BadRequest);
            assert!(d.plan.is_empty());
        }
        let d = delegate(&ACCOUNT, &adv, NOW + MAX_VALIDITY_SECS, NOW);
        assert_eq!(d.answer, Ok(()));
        assert_eq!(
            d.plan.events,
            [Event::DelegationAdded {
                advocate: adv,
                until: NOW + MAX_VALIDITY_SECS
            }]
        );
        assert_eq!(
            refused(&undelegate(None, &ACCOUNT, &adv, NOW)),
            Refusal::NotFound
        );
        let d = undelegate(Some(NOW + 5), &ACCOUNT, &adv, NOW);
        assert_eq!(
            d.plan.writes,
            [Write::EndDelegation {
                survivor: ACCOUNT,
                advocate: adv
            }]
        );
    }

    // ------------------------------------------------ listing, log, nonce

    #[test]
    fn status_says_withdrawn_then_expired_then_used_up() {
        let mut s = stored(1, 1, None);
        assert_eq!(status(&s, NOW), "used_up");
        assert_eq!(status(&s, NOW + 100), "expired");
        s.record.revoked = true;
        assert_eq!(status(&s, NOW + 100), "revoked");
        assert_eq!(status(&stored(0, 1, None), NOW), "active");
    }

    #[test]
    fn append_chains_entries_from_the_head() {
        let events = [
            Event::DelegationRemoved { advocate: [1; 32] },
            Event::DelegationRemoved { advocate: [2; 32] },
        ];
        let (entries, head) = append((0, log::Head::EMPTY), NOW, &events);
        assert_eq!(entries.len(), 2);
        let mut hash = log::Head::EMPTY;
        for (i, (seq, bytes)) in entries.iter().enumerate() {
            assert_eq!(*seq, i as u64 + 1);
            let e: Entry = postcard::from_bytes(bytes).expect("decodes");
            assert_eq!((e.seq, e.at, &e.event), (*seq, NOW, &events[i]));
            hash = log::chain(&hash, bytes);
        }
        assert_eq!(head, (2, hash));
        // Appending one by one gives the same log.
        let (one, h1) = append((0, log::Head::EMPTY), NOW, &events[..1]);
        let (two, h2) = append(h1, NOW, &events[1..]);
        assert_eq!([one, two].concat(), entries);
        assert_eq!(h2, head);
    }

    #[test]
    fn a_nonce_is_refused_until_its_time_runs_out() {
        assert!(nonce_fresh(None, NOW));
        assert!(!nonce_fresh(Some(NOW + 1), NOW));
        assert!(nonce_fresh(Some(NOW), NOW));
        assert!(prunes(&[3; 16]) && !prunes(&[4; 16]));
    }
}
