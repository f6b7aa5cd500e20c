//! The agency's redemption between the two network calls, without I/O and
//! without a clock, so the CLI and the browser page build the same request
//! and judge the relay's answer the same way.
//!
//! ```text
//! request(link, key, now)  ->  POST /v1/redeem  ->  read_answer(status, body, link, me, now)
//! ```
//!
//! [`request`] is the body the CLI sends: the token id derived from the
//! link's secret (the secret itself never leaves), and with an agency key
//! the agency's id, the time and its proof (relay-api §5.2).
//! [`read_answer`] turns whatever came back into either what was shared,
//! every check of [`open_received`] passed, or one [`Problem`]:
//!
//! - a refusal of the relay (JSON `ErrorBody` with a known code, on a
//!   status other than 200) is that refusal's problem; `wrong_audience`
//!   without a key is [`ProblemKind::NeedsKey`];
//! - a 200 is read as a `RedeemResponse` and opened; a failed check is
//!   [`ProblemKind::NotGenuine`] with the check's `OpenError::kind` as
//!   detail;
//! - anything else (an answer that is not JSON, an unknown code, an odd
//!   status) is [`ProblemKind::Unknown`]: never shown as valid.

use super::link::ShareLink;
use super::open::{open_received, Answer, Received};
use crate::id::{Identity, PublicId};
use crate::relay::api::{ErrorBody, RedeemRequest, RedeemResponse};
use crate::relay::redeem::prove;
use crate::relay::{b64, hex, Refusal};
use crate::words::{Problem, ProblemKind};

/// The body of `POST /v1/redeem` for `link`: the token id, and with `key`
/// (the agency's identity) its id, `now` and its proof over the link's
/// origin, the token id and `now`.
pub fn request(link: &ShareLink, key: Option<&Identity>, now: u64) -> RedeemRequest {
    let id = link.token_id();
    match key {
        None => RedeemRequest {
            token_id: hex(&id),
            agency: None,
            timestamp: None,
            proof: None,
        },
        Some(key) => RedeemRequest {
            token_id: hex(&id),
            agency: Some(key.public().to_string()),
            timestamp: Some(now),
            proof: Some(b64(&prove(key, &link.origin(), &id, now))),
        },
    }
}

/// The problem a relay's refusal means for an agency (`me`: the key the
/// request was proved with, if any). `None` for refusals a redemption is
/// never meant to meet (`bad_request`, `conflict`, …): the caller says
/// [`ProblemKind::Unknown`].
fn refusal_problem(r: Refusal, me: Option<&PublicId>) -> Option<ProblemKind> {
    Some(match r {
        Refusal::Revoked => ProblemKind::Revoked,
        Refusal::Expired => ProblemKind::Expired,
        Refusal::UsedUp => ProblemKind::UsedUp,
        Refusal::NotYetValid => ProblemKind::NotYetValid,
        Refusal::WrongAudience if me.is_none() => ProblemKind::NeedsKey,
        Refusal::WrongAudience => ProblemKind::WrongAudience,
        Refusal::ClockSkew => ProblemKind::ClockSkew,
        Refusal::NotFound => ProblemKind::NotFound,
        Refusal::RateLimited => ProblemKind::RateLimited,
        Refusal::Busy => ProblemKind::Busy,
        _ => return None,
    })
}

/// Reads the relay's answer (`status`, `body`) to the redemption of `link`
/// made by `me` (or by anyone, `None`), at `now` (seconds since 1970). See
/// the module's documentation for what each answer gives.
pub fn read_answer(
    status: u16,
    body: &[u8],
    link: &ShareLink,
    me: Option<&PublicId>,
    now: u64,
) -> Result<Received, Problem> {
    if status != 200 {
        let error = serde_json::from_slice::<ErrorBody>(body).ok();
        let refusal = error.as_ref().and_then(|e| Refusal::from_code(&e.error));
        return Err(match refusal {
            Some(Refusal::ClockSkew) => Problem::clock_skew(now, error.and_then(|e| e.relay_time)),
            Some(r) => match refusal_problem(r, me) {
                Some(kind) => Problem::new(kind),
                None => Problem::with_detail(ProblemKind::Unknown, r.code()),
            },
            None => Problem::with_detail(ProblemKind::Unknown, "unexpected_answer"),
        });
    }
    let response: RedeemResponse = serde_json::from_slice(body)
        .map_err(|_| Problem::with_detail(ProblemKind::Unknown, "unexpected_answer"))?;
    Answer::from_response(&response)
        .and_then(|answer| open_received(answer, link, me, now))
        .map_err(|e| Problem::with_detail(ProblemKind::NotGenuine, e.kind()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::Role;
    use crate::relay::redeem::check_proof;
    use crate::relay::unb64_array;
    use crate::share::open::tests::{Fixture, NOW};
    use crate::share::open::Part;

    fn json_of(answer: &Answer) -> Vec<u8> {
        let r = RedeemResponse {
            token: b64(&answer.token),
            share: b64(&answer.share),
            receipt: b64(&answer.receipt),
            receipt_signature: b64(&answer.receipt_signature),
            relay: answer.relay.to_string(),
        };
        serde_json::to_vec(&r).expect("JSON of strings")
    }

    fn refused(code: &str) -> Vec<u8> {
        serde_json::to_vec(&ErrorBody {
            error: code.into(),
            message: "words".into(),
            relay_time: None,
            ended_at: None,
        })
        .expect("JSON of strings")
    }

    fn problem(r: Result<Received, Problem>) -> Problem {
        match r {
            Ok(_) => panic!("the answer was accepted"),
            Err(p) => p,
        }
    }

    #[test]
    fn keeps_the_secret_out_of_the_request_and_proves_with_a_key() {
        let f = Fixture::new();
        let anyone = request(&f.link, None, NOW);
        assert_eq!(anyone.token_id, hex(&f.link.token_id()));
        assert_eq!(
            (anyone.agency, anyone.timestamp, anyone.proof),
            (None, None, None)
        );
        let json = serde_json::to_string(&request(&f.link, None, NOW)).expect("JSON");
        assert_eq!(
            json,
            format!("{{\"token_id\":\"{}\"}}", hex(&f.link.token_id()))
        );

        let bound = request(&f.link, Some(&f.agency), NOW);
        assert_eq!(bound.agency, Some(f.agency.public().to_string()));
        assert_eq!(bound.timestamp, Some(NOW));
        let proof: [u8; 64] =
            unb64_array(bound.proof.as_deref().expect("a proof")).expect("64 bytes");
        assert!(check_proof(
            &f.agency.public(),
            &f.link.origin(),
            &f.link.token_id(),
            NOW,
            &proof
        ));
        let secret = crate::relay::hex(f.link.secret().expose());
        let json = serde_json::to_string(&bound).expect("JSON");
        assert!(!json.contains(&secret) && !json.contains(&b64(f.link.secret().expose())));
    }

    #[test]
    fn accepts_a_genuine_answer() {
        let f = Fixture::new();
        let me = f.agency.public();
        let got = read_answer(200, &json_of(&f.answer()), &f.link, Some(&me), NOW)
            .expect("a genuine answer opens");
        assert_eq!(got.manifest, f.manifest);
        assert_eq!(got.receipt.use_number, 1);
    }

    #[test]
    fn refuses_each_refusal_of_the_relay_with_its_own_problem() {
        let f = Fixture::new();
        let me = f.agency.public();
        for (r, want) in [
            (Refusal::Revoked, ProblemKind::Revoked),
            (Refusal::Expired, ProblemKind::Expired),
            (Refusal::UsedUp, ProblemKind::UsedUp),
            (Refusal::NotYetValid, ProblemKind::NotYetValid),
            (Refusal::WrongAudience, ProblemKind::WrongAudience),
            (Refusal::ClockSkew, ProblemKind::ClockSkew),
            (Refusal::NotFound, ProblemKind::NotFound),
            (Refusal::RateLimited, ProblemKind::RateLimited),
            (Refusal::Busy, ProblemKind::Busy),
        ] {
            let body = refused(r.code());
            let p = problem(read_answer(r.status(), &body, &f.link, Some(&me), NOW));
            assert_eq!(p, Problem::new(want), "{r:?}");
        }
    }

    #[test]
    fn refuses_a_wrong_clock_saying_by_how_much_from_the_relays_time() {
        let f = Fixture::new();
        let me = f.agency.public();
        let body = serde_json::to_vec(&ErrorBody {
            error: "clock_skew".into(),
            message: "words".into(),
            relay_time: Some(NOW - 600),
            ended_at: None,
        })
        .expect("JSON of strings");
        let p = problem(read_answer(403, &body, &f.link, Some(&me), NOW));
        assert_eq!(p, Problem::clock_skew(NOW, Some(NOW - 600)));
        assert_eq!(p.clock_off_secs, Some(600));
        assert!(
            p.message().contains("about 10 minutes off"),
            "{}",
            p.message()
        );
    }

    #[test]
    fn refuses_wrong_audience_without_a_key_as_needs_key() {
        let f = Fixture::new();
        let body = refused("wrong_audience");
        let p = problem(read_answer(403, &body, &f.link, None, NOW));
        assert_eq!(p.kind, ProblemKind::NeedsKey);
    }

    #[test]
    fn refuses_a_share_that_fails_a_check_as_not_genuine_with_its_rule() {
        let f = Fixture::new();
        let me = f.agency.public();
        let mut answer = f.answer();
        answer.share[100] ^= 1;
        let p = problem(read_answer(200, &json_of(&answer), &f.link, Some(&me), NOW));
        assert_eq!(
            p,
            Problem::with_detail(ProblemKind::NotGenuine, "not_signed")
        );
        // Opened by anyone, a token for one agency fails its own check.
        let p = problem(read_answer(200, &json_of(&f.answer()), &f.link, None, NOW));
        assert_eq!(
            p,
            Problem::with_detail(ProblemKind::NotGenuine, "wrong_audience")
        );
        // A part that does not decode is not genuine either.
        let mut r: serde_json::Value = serde_json::from_slice(&json_of(&f.answer())).expect("JSON");
        r["receipt"] = "not base64!".into();
        let body = serde_json::to_vec(&r).expect("JSON");
        let p = problem(read_answer(200, &body, &f.link, Some(&me), NOW));
        assert_eq!(
            p,
            Problem::with_detail(
                ProblemKind::NotGenuine,
                crate::share::open::OpenError::Unreadable(Part::Receipt).kind()
            )
        );
    }

    #[test]
    fn refuses_an_answer_outside_the_api_as_unknown() {
        let f = Fixture::new();
        let me = Some(f.agency.public());
        let genuine = json_of(&f.answer());
        for (status, body) in [
            // Not JSON, or not the shape of a redemption's answer.
            (200, b"<html>hello</html>".to_vec()),
            (200, b"{}".to_vec()),
            (200, refused("revoked")),
            (200, Vec::new()),
            // A refusal code the relay never gives for a redemption.
            (400, refused("bad_request")),
            (409, refused("conflict")),
            // An unknown code, a server error, an odd status.
            (403, refused("no_such_code")),
            (500, refused("server_error")),
            (502, b"Bad Gateway".to_vec()),
            (204, Vec::new()),
            // A genuine body with a status that is not 200.
            (201, genuine.clone()),
            (302, genuine),
        ] {
            let p = problem(read_answer(status, &body, &f.link, me.as_ref(), NOW));
            assert_eq!(p.kind, ProblemKind::Unknown, "{status} {body:?}");
        }
    }

    #[test]
    fn keeps_the_relays_own_refusal_codes_mapped() {
        // Every refusal is either a problem of its own or `unknown`, and
        // the ones a redemption meets are their own.
        for r in Refusal::ALL {
            let kind = refusal_problem(
                r,
                Some(&Identity::from_seed(Role::Agency, &[1; 32]).public()),
            );
            if let Some(k) = kind {
                assert_eq!(k.code(), r.code(), "{r:?}");
            }
        }
    }
}
