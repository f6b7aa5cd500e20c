//! Every request body and request header the relay reads, through the
//! functions its routes call: `vault_server::auth::json` (the JSON bodies
//! of redeem, revoke, revoke-all, delegations add and remove),
//! `vault_server::routes::{token_id, id}` (their ids), the agency's proof
//! (`unb64_array`, `check_proof`), the upload's `x-vault-token` header
//! (`unb64`, `UnverifiedToken::decode`, `verify`) and a signed request's
//! headers (`relay::request::verify_hashed`).
//!
//! The first byte picks the route; the rest is its body (or header
//! values, one a line). Round trip: a body that parses serialises to JSON
//! that parses to the same serialisation (serde_json's output is
//! canonical, its input is not); a timestamp that parses prints as itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Serialize;
use vault_core::relay::api::{
    DelegationRequest, RedeemRequest, RevokeAllRequest, RevokeRequest, UndelegateRequest,
};
use vault_core::relay::redeem::check_proof;
use vault_core::relay::request::{
    parse_timestamp, verify_hashed, H_NONCE, H_SIGNATURE, H_SIGNER, H_TIMESTAMP,
};
use vault_core::relay::{unb64, unb64_array};
use vault_core::{Role, UnverifiedToken};
use vault_server::auth::json;
use vault_server::routes::{id, token_id};

const ORIGIN: &str = "https://relay.example.org";
const NOW: u64 = 1_795_000_000;

/// Parses as the route does; if it parses, checks the JSON round trip.
fn body<T: Serialize + DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let parsed: T = json(bytes).ok()?;
    let once = serde_json::to_vec(&parsed).expect("a request serialises");
    let again: T = json(&once).expect("a serialised request parses");
    assert_eq!(serde_json::to_vec(&again).expect("serialises"), once);
    Some(parsed)
}

fuzz_target!(|data: &[u8]| {
    let Some((&route, rest)) = data.split_first() else {
        return;
    };
    match route % 8 {
        0 => {
            let Some(req) = body::<RedeemRequest>(rest) else {
                return;
            };
            let Ok(tid) = token_id(&req.token_id) else {
                return;
            };
            assert_eq!(
                vault_core::relay::hex(&tid),
                req.token_id.to_ascii_lowercase()
            );
            if let Some(agency) = req.agency.as_deref().and_then(|a| id(a, Role::Agency).ok()) {
                let proof: Option<[u8; 64]> = req.proof.as_deref().and_then(unb64_array);
                if let (Some(ts), Some(proof)) = (req.timestamp, proof) {
                    let _ = check_proof(&agency, ORIGIN, &tid, ts, &proof);
                }
            }
        }
        1 => {
            if let Some(req) = body::<RevokeRequest>(rest) {
                let _ = token_id(&req.token_id);
            }
        }
        2 => {
            if let Some(req) = body::<RevokeAllRequest>(rest) {
                if let Some(s) = req.survivor {
                    let _ = id(&s, Role::Survivor);
                }
            }
        }
        3 => {
            if let Some(req) = body::<DelegationRequest>(rest) {
                let _ = id(&req.advocate, Role::Advocate);
            }
        }
        4 => {
            if let Some(req) = body::<UndelegateRequest>(rest) {
                let _ = id(&req.advocate, Role::Advocate);
            }
        }
        5 => {
            // The upload's token header, as `routes::shares::upload` reads it.
            let Ok(text) = std::str::from_utf8(rest) else {
                return;
            };
            let Some(bytes) = unb64(text) else {
                return;
            };
            assert_eq!(vault_core::relay::b64(&bytes), text);
            if let Ok(t) = UnverifiedToken::decode(&bytes) {
                let audience = t
                    .body()
                    .audience
                    .and_then(|a| vault_core::PublicId::from_key_bytes(Role::Agency, &a));
                let at = NOW.max(t.body().not_before);
                let _ = t.verify(at, audience.as_ref());
            }
        }
        6 => {
            // A signed request's headers: signer, timestamp, nonce, signature.
            let Ok(text) = std::str::from_utf8(rest) else {
                return;
            };
            let mut lines = text.split('\n');
            let values: Vec<Option<&str>> = (0..4).map(|_| lines.next()).collect();
            let header = |name: &str| match name {
                H_SIGNER => values[0],
                H_TIMESTAMP => values[1],
                H_NONCE => values[2],
                H_SIGNATURE => values[3],
                _ => None,
            };
            let _ = verify_hashed(
                header,
                &[Role::Survivor, Role::Advocate],
                ORIGIN,
                "POST",
                "/v1/revoke",
                &[0; 32],
                NOW,
            );
        }
        _ => {
            let Ok(text) = std::str::from_utf8(rest) else {
                return;
            };
            if let Some(n) = parse_timestamp(text) {
                assert_eq!(n.to_string(), text, "a timestamp has two spellings");
            }
        }
    }
});
