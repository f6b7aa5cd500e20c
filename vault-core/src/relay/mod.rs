//! The relay protocol: what survivors, agencies, advocates and the relay
//! say to each other, and how each message is authenticated.
//!
//! The relay is blind: it stores a token's public claims, its sealed
//! claims and the sealed share, and never a share secret. Every message
//! that asks the relay to act for someone is signed by that someone:
//!
//! - survivors sign requests with their **main** key ([`request`]); the
//!   relay files each share under the survivor whose main key uploaded it,
//!   so `grants`, `revoke --all`, the log and delegations work, while
//!   agencies only ever see the token's pairwise issuer key;
//! - advocates sign requests with their own key, and the relay acts only
//!   within a live delegation the survivor signed;
//! - agencies prove an audience-bound redemption with a signature over the
//!   token id, the relay's origin and a timestamp ([`redeem`]);
//! - the relay signs receipts and the head of each survivor's hash-chained
//!   audit log ([`log`]), so it cannot rewrite history unnoticed by a
//!   survivor who has seen a later head.
//!
//! Wire bodies are JSON ([`api`]); binary fields are base64url without
//! padding. See `docs/spec/relay-api.md`.

pub mod api;
pub mod log;
pub mod redeem;
pub mod request;

use base64ct::{Base64UrlUnpadded, Encoding};

/// How far a signed timestamp may be from the relay's clock, in seconds.
pub const CLOCK_WINDOW_SECS: u64 = 300;

/// How far after the relay's clock an uploaded token may start
/// (`not_before`), in seconds: the same allowance as a signed request's
/// clock. The survivor's program signs `not_before` from its own clock,
/// rounded down to the minute, so a token from a device whose clock is
/// within [`CLOCK_WINDOW_SECS`] always passes; one that starts later was
/// made by a device whose clock is wrong, and is refused at upload, when
/// the survivor can still fix it, rather than at the agency.
pub const UPLOAD_START_ALLOWANCE_SECS: u64 = CLOCK_WINDOW_SECS;

/// Stable refusal codes the relay answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Refusal {
    /// The share was withdrawn.
    Revoked,
    /// The consent's time is over.
    Expired,
    /// The consent has not started.
    NotYetValid,
    /// Every allowed use was made.
    UsedUp,
    /// Bound to another agency, or no valid proof from it.
    WrongAudience,
    /// No such share, or not yours (the two look the same).
    NotFound,
    /// The request is not well-formed or not validly signed.
    BadRequest,
    /// Too many requests; try later.
    RateLimited,
    /// The request is too large.
    TooLarge,
    /// The share already exists.
    Conflict,
    /// The relay has no room for this now (too many large uploads at
    /// once); try again shortly.
    Busy,
    /// The path exists but does not take this method (405).
    MethodNotAllowed,
    /// The agency's signed time is more than [`CLOCK_WINDOW_SECS`] from
    /// the relay's: its clock is wrong. The answer carries the relay's
    /// time (`relay_time`); nothing was counted.
    ClockSkew,
    /// An advocate asked to act for a survivor without a live delegation
    /// from them. The answer carries `ended_at` only when a delegation
    /// from that survivor to this advocate existed and has run out.
    NoPermission,
}

impl Refusal {
    /// Every refusal, in the order of `docs/spec/relay-api.md` §13.
    pub const ALL: [Self; 14] = [
        Self::BadRequest,
        Self::NotFound,
        Self::Revoked,
        Self::Expired,
        Self::UsedUp,
        Self::NotYetValid,
        Self::WrongAudience,
        Self::ClockSkew,
        Self::NoPermission,
        Self::Conflict,
        Self::TooLarge,
        Self::RateLimited,
        Self::MethodNotAllowed,
        Self::Busy,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Revoked => "revoked",
            Self::Expired => "expired",
            Self::NotYetValid => "not_yet_valid",
            Self::UsedUp => "used_up",
            Self::WrongAudience => "wrong_audience",
            Self::NotFound => "not_found",
            Self::BadRequest => "bad_request",
            Self::RateLimited => "rate_limited",
            Self::TooLarge => "too_large",
            Self::Conflict => "conflict",
            Self::Busy => "busy",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::ClockSkew => "clock_skew",
            Self::NoPermission => "no_permission",
        }
    }

    /// The code's refusal, for clients reading an answer.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The HTTP status that goes with it.
    pub fn status(self) -> u16 {
        match self {
            Self::Revoked => 410,
            Self::Expired => 410,
            Self::NotYetValid => 403,
            Self::UsedUp => 410,
            Self::WrongAudience => 403,
            Self::NotFound => 404,
            Self::BadRequest => 400,
            Self::RateLimited => 429,
            Self::TooLarge => 413,
            Self::Conflict => 409,
            Self::Busy => 503,
            Self::MethodNotAllowed => 405,
            Self::ClockSkew => 403,
            Self::NoPermission => 403,
        }
    }

    /// Plain words for the person on the other end.
    pub fn message(self) -> String {
        match self {
            // Never says who acted: whoever holds the code must not learn that
            // the survivor (or their advocate) withdrew it.
            Self::Revoked => crate::msg!("refusal-revoked"),
            Self::Expired => crate::msg!("refusal-expired"),
            Self::NotYetValid => crate::msg!("refusal-not-yet-valid"),
            Self::UsedUp => crate::msg!("refusal-used-up"),
            Self::WrongAudience => crate::msg!("refusal-wrong-audience"),
            // Says nothing of whether a share ever existed or what became
            // of it: "withdrawn" would tell a code holder the survivor acted.
            Self::NotFound => crate::msg!("refusal-not-found"),
            Self::BadRequest => crate::msg!("refusal-bad-request"),
            Self::RateLimited => crate::msg!("refusal-rate-limited"),
            Self::TooLarge => crate::msg!("refusal-too-large"),
            Self::Conflict => crate::msg!("refusal-conflict"),
            Self::Busy => crate::msg!("refusal-busy"),
            Self::MethodNotAllowed => crate::msg!("refusal-method-not-allowed"),
            Self::ClockSkew => crate::msg!("refusal-clock-skew"),
            Self::NoPermission => crate::msg!("refusal-no-permission"),
        }
    }
}

/// base64url without padding, as every binary field in JSON.
pub fn b64(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// Decodes base64url without padding; `None` on anything else, also on a
/// second spelling of the same bytes (unused bits that are not zero): one
/// text per value, as `b64` writes it.
pub fn unb64(s: &str) -> Option<Vec<u8>> {
    let bytes = Base64UrlUnpadded::decode_vec(s).ok()?;
    (b64(&bytes) == s).then_some(bytes)
}

/// Decodes base64url of exactly `N` bytes.
pub fn unb64_array<const N: usize>(s: &str) -> Option<[u8; N]> {
    unb64(s)?.try_into().ok()
}

/// Lower-case hex, for token ids people copy.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses lower- or upper-case hex: hex digits only, two per byte
/// (`u8::from_str_radix` alone would also take a `+` sign, so `"+f"` would
/// be a second spelling of `"0f"`).
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Refusal::ALL {
            assert_eq!(Refusal::from_code(r.code()), Some(r));
        }
        assert_eq!(Refusal::from_code("nope"), None);
    }

    #[test]
    fn keeps_every_refusal_in_all_once() {
        // An exhaustive match: a new variant does not compile until it is
        // counted here, and so listed in `ALL` (and in the spec's table).
        let counted = |r: Refusal| match r {
            Refusal::Revoked
            | Refusal::Expired
            | Refusal::NotYetValid
            | Refusal::UsedUp
            | Refusal::WrongAudience
            | Refusal::NotFound
            | Refusal::BadRequest
            | Refusal::RateLimited
            | Refusal::TooLarge
            | Refusal::Conflict
            | Refusal::MethodNotAllowed
            | Refusal::Busy
            | Refusal::ClockSkew
            | Refusal::NoPermission => 1,
        };
        assert_eq!(Refusal::ALL.into_iter().map(counted).sum::<usize>(), 14);
        let codes: std::collections::BTreeSet<_> = Refusal::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(codes.len(), Refusal::ALL.len(), "codes are distinct");
    }

    #[test]
    fn keeps_who_withdrew_a_share_out_of_the_revoked_refusal() {
        // Whoever holds the code reads this (an agency, or anyone who took
        // the code): it must not learn that the survivor acted.
        let m = Refusal::Revoked.message().to_lowercase();
        for word in ["survivor", "withdr", "revok", "advocate"] {
            assert!(!m.contains(word), "{m:?} says {word:?}");
        }
        assert_eq!(m, "this code can no longer be used.");
    }

    #[test]
    fn keeps_what_anyone_did_out_of_every_refusal_a_code_holder_meets() {
        // What an agency or anyone holding a code can be answered at
        // /v1/redeem: none may say that the share was withdrawn.
        for r in [
            Refusal::Revoked,
            Refusal::Expired,
            Refusal::NotYetValid,
            Refusal::UsedUp,
            Refusal::WrongAudience,
            Refusal::NotFound,
            Refusal::ClockSkew,
        ] {
            let m = r.message().to_lowercase();
            for word in ["withdr", "revok", "advocate", "cancel"] {
                assert!(!m.contains(word), "{r:?}: {m:?} says {word:?}");
            }
        }
    }

    #[test]
    fn refuses_hex_with_a_sign_or_space() {
        for s in ["+f", "+f+f", "-1", " f", "f ", "0x", "\u{ff10}0"] {
            assert_eq!(unhex(s), None, "{s:?}");
        }
    }

    #[test]
    fn hex_and_base64_round_trip() {
        let b = [0u8, 1, 0xab, 0xff];
        assert_eq!(unhex(&hex(&b)), Some(b.to_vec()));
        assert_eq!(unhex("0g"), None);
        assert_eq!(unhex("AbFf"), Some(vec![0xab, 0xff]));
        assert_eq!(unb64(&b64(&b)), Some(b.to_vec()));
        assert_eq!(unb64("a=="), None);
    }

    #[test]
    fn writes_rfc_4648_base64url_and_reads_one_spelling_only() {
        // RFC 4648 §10, without padding; then the URL-safe letters.
        for (bytes, text) in [
            (&b""[..], ""),
            (b"f", "Zg"),
            (b"fo", "Zm8"),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg"),
            (b"fooba", "Zm9vYmE"),
            (b"foobar", "Zm9vYmFy"),
            (&[0xfb, 0xff, 0xbf], "-_-_"),
        ] {
            assert_eq!(b64(bytes), text);
            assert_eq!(unb64(text).as_deref(), Some(bytes), "{text}");
        }
        // Padding, the other alphabet, a lone character, unused bits set.
        for s in [
            "Zg==", "Zm8=", "+/+/", "Z", "Zh", "Zm9", "Zm9vYh", " Zg", "Zg\n",
        ] {
            assert_eq!(unb64(s), None, "{s:?}");
        }
        assert_eq!(unb64("Zm8"), Some(b"fo".to_vec()));
    }
}
