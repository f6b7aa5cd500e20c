//! Signed requests: a survivor or advocate asks the relay to act.
//!
//! Four headers carry the signature; the body is sent as is:
//!
//! | header | value |
//! |---|---|
//! | `x-vault-signer` | the signer's printed id (`survivor1…` or `advocate1…`), canonical: lower case, nothing around it |
//! | `x-vault-timestamp` | seconds since 1970: ASCII digits, no sign, no leading zero (except `0` itself), at most `u64::MAX` |
//! | `x-vault-nonce` | 16 random bytes, base64url without padding, canonical (22 characters) |
//! | `x-vault-signature` | Ed25519 signature, base64url without padding, canonical (86 characters) |
//!
//! Each header has exactly one spelling per value ([`parse_timestamp`],
//! [`super::unb64`], the id's canonical print), so what the relay accepts
//! is what `docs/spec/relay-api.md` §4 and the OpenAPI patterns say.
//!
//! The signature covers
//! `"survivor-vault/v1/request\0" ‖ origin ‖ 0x00 ‖ METHOD ‖ 0x00 ‖
//! path-and-query ‖ 0x00 ‖ be64(timestamp) ‖ nonce ‖ SHA-256(body)`,
//! so a request cannot be moved to another relay, route or body. The relay
//! refuses timestamps more than [`CLOCK_WINDOW_SECS`] away from its clock
//! and any nonce it has already seen within that window.
//!
//! Because only the body's hash is signed, the relay can check a signature
//! *before* it reads a large body, when it already knows which hash the
//! body must have ([`verify_hashed`]): a share upload's body must hash to
//! the `payload_hash` its token signed. It then reads the body while
//! hashing it and refuses it if the hash differs.

use ed25519_dalek::{Signature, Signer};

use super::{b64, unb64_array, CLOCK_WINDOW_SECS};
use crate::crypto;
use crate::id::{Identity, PublicId, Role};

/// Domain separation for request signatures.
pub const LABEL: &[u8] = b"survivor-vault/v1/request\0";
/// Header names.
pub const H_SIGNER: &str = "x-vault-signer";
/// Header names.
pub const H_TIMESTAMP: &str = "x-vault-timestamp";
/// Header names.
pub const H_NONCE: &str = "x-vault-nonce";
/// Header names.
pub const H_SIGNATURE: &str = "x-vault-signature";

/// Why a signed request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// A header is missing or not well-formed.
    #[error("{}", crate::msg!("request-malformed"))]
    Malformed,
    /// Signed by a role that may not make this request.
    #[error("{}", crate::msg!("request-wrong-role"))]
    WrongRole,
    /// The timestamp is outside the window.
    #[error("{}", crate::msg!("request-stale"))]
    Stale,
    /// The signature does not verify.
    #[error("{}", crate::msg!("request-bad-signature"))]
    BadSignature,
}

/// The exact bytes a request signature covers.
pub fn message(
    origin: &str,
    method: &str,
    path_and_query: &str,
    timestamp: u64,
    nonce: &[u8; 16],
    body: &[u8],
) -> Vec<u8> {
    message_hashed(
        origin,
        method,
        path_and_query,
        timestamp,
        nonce,
        &crypto::sha256(&[body]),
    )
}

/// The same bytes as [`message`], given `SHA-256(body)` instead of the body.
pub fn message_hashed(
    origin: &str,
    method: &str,
    path_and_query: &str,
    timestamp: u64,
    nonce: &[u8; 16],
    body_hash: &[u8; 32],
) -> Vec<u8> {
    let mut m = Vec::with_capacity(LABEL.len() + origin.len() + path_and_query.len() + 64);
    m.extend_from_slice(LABEL);
    m.extend_from_slice(origin.as_bytes());
    m.push(0);
    m.extend_from_slice(method.as_bytes());
    m.push(0);
    m.extend_from_slice(path_and_query.as_bytes());
    m.push(0);
    m.extend_from_slice(&timestamp.to_be_bytes());
    m.extend_from_slice(nonce);
    m.extend_from_slice(body_hash);
    m
}

/// The four headers for a request signed by `signer`.
pub fn sign(
    signer: &Identity,
    origin: &str,
    method: &str,
    path_and_query: &str,
    timestamp: u64,
    body: &[u8],
) -> Result<Vec<(&'static str, String)>, crypto::CryptoError> {
    let nonce = crypto::random_array::<16>()?;
    let sig = signer.signing_key().sign(&message(
        origin,
        method,
        path_and_query,
        timestamp,
        &nonce,
        body,
    ));
    Ok(vec![
        (H_SIGNER, signer.public().to_string()),
        (H_TIMESTAMP, timestamp.to_string()),
        (H_NONCE, b64(&nonce)),
        (H_SIGNATURE, b64(&sig.to_bytes())),
    ])
}

/// Parses `x-vault-timestamp`.
///
/// Rule (relay-api.md §4): one or more ASCII digits, no sign, no space, no
/// leading zero unless the value is `0`, and the value fits a `u64`. So
/// `+123`, `0123`, ` 123` and `18446744073709551616` are refused: each time
/// has exactly one spelling.
pub fn parse_timestamp(text: &str) -> Option<u64> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if !canonical {
        return None;
    }
    // Only digits remain, so `parse` can fail only by overflow.
    text.parse().ok()
}

/// Parses `x-vault-signer`: a printed id in its canonical form (lower
/// case, no surrounding space), since the relay compares what was signed
/// for byte for byte and one spelling per signer keeps that simple.
fn parse_signer(text: &str) -> Option<PublicId> {
    let signer: PublicId = text.parse().ok()?;
    (signer.to_string() == text).then_some(signer)
}

/// A request whose signature verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    /// Who signed it.
    pub signer: PublicId,
    /// The nonce, for the relay's replay check.
    pub nonce: [u8; 16],
    /// The signed time.
    pub timestamp: u64,
}

/// Verifies a signed request. `header` looks a header up by name;
/// `roles` are the signers allowed. The caller must still refuse a nonce
/// it has seen.
pub fn verify<'a>(
    header: impl Fn(&str) -> Option<&'a str>,
    roles: &[Role],
    origin: &str,
    method: &str,
    path_and_query: &str,
    body: &[u8],
    now: u64,
) -> Result<Verified, RequestError> {
    verify_hashed(
        header,
        roles,
        origin,
        method,
        path_and_query,
        &crypto::sha256(&[body]),
        now,
    )
}

/// Verifies a signed request whose body has not been read yet, against the
/// hash the body must have. The signature then holds for the body only if
/// the caller, reading it, finds that it hashes to `body_hash`: a body
/// with any other hash must be refused and its bytes discarded.
pub fn verify_hashed<'a>(
    header: impl Fn(&str) -> Option<&'a str>,
    roles: &[Role],
    origin: &str,
    method: &str,
    path_and_query: &str,
    body_hash: &[u8; 32],
    now: u64,
) -> Result<Verified, RequestError> {
    let signer_text = header(H_SIGNER).ok_or(RequestError::Malformed)?;
    let signer = parse_signer(signer_text).ok_or(RequestError::Malformed)?;
    if !roles.contains(&signer.role()) {
        return Err(RequestError::WrongRole);
    }
    let timestamp = header(H_TIMESTAMP)
        .and_then(parse_timestamp)
        .ok_or(RequestError::Malformed)?;
    let nonce: [u8; 16] = header(H_NONCE)
        .and_then(unb64_array)
        .ok_or(RequestError::Malformed)?;
    let sig: [u8; 64] = header(H_SIGNATURE)
        .and_then(unb64_array)
        .ok_or(RequestError::Malformed)?;
    if timestamp.abs_diff(now) > CLOCK_WINDOW_SECS {
        return Err(RequestError::Stale);
    }
    signer
        .verifying_key()
        .verify_strict(
            &message_hashed(origin, method, path_and_query, timestamp, &nonce, body_hash),
            &Signature::from_bytes(&sig),
        )
        .map_err(|_| RequestError::BadSignature)?;
    Ok(Verified {
        signer,
        nonce,
        timestamp,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const O: &str = "https://relay.example.org";
    const NOW: u64 = 1_795_000_000;

    fn survivor() -> Identity {
        Identity::from_seed(Role::Survivor, &[1; 32])
    }

    fn run(
        headers: &[(&'static str, String)],
        path: &str,
        body: &[u8],
        now: u64,
    ) -> Result<Verified, RequestError> {
        verify(
            |name| {
                headers
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.as_str())
            },
            &[Role::Survivor],
            O,
            "POST",
            path,
            body,
            now,
        )
    }

    #[test]
    fn accepts_a_signed_request() {
        let h = sign(&survivor(), O, "POST", "/v1/revoke", NOW, b"{}").expect("sign");
        let v = run(&h, "/v1/revoke", b"{}", NOW + 10).expect("valid");
        assert_eq!(v.signer, survivor().public());
    }

    #[test]
    fn rejects_changed_body_path_or_origin() {
        let h = sign(&survivor(), O, "POST", "/v1/revoke", NOW, b"{}").expect("sign");
        assert_eq!(
            run(&h, "/v1/revoke", b"{ }", NOW),
            Err(RequestError::BadSignature)
        );
        assert_eq!(
            run(&h, "/v1/revoke-all", b"{}", NOW),
            Err(RequestError::BadSignature)
        );
        let other = verify(
            |name| h.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str()),
            &[Role::Survivor],
            "https://other.example.org",
            "POST",
            "/v1/revoke",
            b"{}",
            NOW,
        );
        assert_eq!(other, Err(RequestError::BadSignature));
    }

    #[test]
    fn verifies_against_the_hash_of_a_body_not_yet_read() {
        let body = b"a sealed share";
        let h = sign(&survivor(), O, "POST", "/v1/shares", NOW, body).expect("sign");
        let find = |name: &str| h.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str());
        let hashed = |hash: &[u8; 32]| {
            verify_hashed(find, &[Role::Survivor], O, "POST", "/v1/shares", hash, NOW)
        };
        let v = hashed(&crypto::sha256(&[body])).expect("valid for the body's hash");
        assert_eq!(v.signer, survivor().public());
        assert_eq!(
            hashed(&crypto::sha256(&[b"another body"])),
            Err(RequestError::BadSignature)
        );
    }

    #[test]
    fn rejects_stale_timestamps() {
        let h = sign(&survivor(), O, "POST", "/v1/revoke", NOW, b"").expect("sign");
        assert_eq!(
            run(&h, "/v1/revoke", b"", NOW + CLOCK_WINDOW_SECS + 1),
            Err(RequestError::Stale)
        );
        assert_eq!(
            run(&h, "/v1/revoke", b"", NOW - CLOCK_WINDOW_SECS - 1),
            Err(RequestError::Stale)
        );
    }

    /// The headers of a valid request with one header's value replaced.
    fn with(name: &str, value: &str) -> Vec<(&'static str, String)> {
        let mut h = sign(&survivor(), O, "POST", "/v1/revoke", NOW, b"{}").expect("sign");
        for (n, v) in &mut h {
            if *n == name {
                *v = value.to_owned();
            }
        }
        h
    }

    #[test]
    fn refuses_timestamp_with_a_sign_or_leading_zeros() {
        // Each names the same second as the signature covers, so only the
        // spelling is wrong.
        for t in [format!("+{NOW}"), format!("0{NOW}"), format!("00{NOW}")] {
            assert_eq!(
                run(&with(H_TIMESTAMP, &t), "/v1/revoke", b"{}", NOW),
                Err(RequestError::Malformed),
                "timestamp {t:?}"
            );
        }
        assert!(run(
            &with(H_TIMESTAMP, &NOW.to_string()),
            "/v1/revoke",
            b"{}",
            NOW
        )
        .is_ok());
    }

    #[test]
    fn accepts_only_canonical_decimal_timestamps() {
        for (text, want) in [
            ("0", Some(0)),
            ("7", Some(7)),
            ("1795000000", Some(1_795_000_000)),
            ("18446744073709551615", Some(u64::MAX)),
            ("18446744073709551616", None),
            ("99999999999999999999999", None),
            ("", None),
            ("+1", None),
            ("-1", None),
            ("00", None),
            ("01", None),
            (" 1", None),
            ("1 ", None),
            ("1_000", None),
            ("1e3", None),
            ("0x10", None),
            ("1.0", None),
            ("\u{ff11}", None),
        ] {
            assert_eq!(parse_timestamp(text), want, "{text:?}");
        }
    }

    #[test]
    fn refuses_nonce_and_signature_not_in_canonical_base64url() {
        let good = sign(&survivor(), O, "POST", "/v1/revoke", NOW, b"{}").expect("sign");
        for (name, value) in good
            .iter()
            .filter(|(n, _)| *n == H_NONCE || *n == H_SIGNATURE)
        {
            let (head, last) = value.split_at(value.len() - 1);
            // 16 and 64 bytes both end in a character that carries 2 data
            // bits and 4 zero bits; a non-zero filler is the same bytes to
            // a lax decoder.
            let filler = match last {
                "A" => "B",
                "Q" => "R",
                "g" => "h",
                _ => "x",
            };
            for bad in [
                format!("{value}=="),
                format!("{head}{filler}"),
                format!("{head}+"),
                format!("{head}/"),
                format!("{value}A"),
                head.to_owned(),
                format!(" {value}"),
                String::new(),
            ] {
                assert_eq!(
                    run(&with(name, &bad), "/v1/revoke", b"{}", NOW),
                    Err(RequestError::Malformed),
                    "{name}: {bad:?}"
                );
            }
        }
    }

    #[test]
    fn refuses_signer_not_in_canonical_form() {
        let id = survivor().public().to_string();
        for bad in [id.to_uppercase(), format!(" {id}"), format!("{id}\n")] {
            assert_eq!(
                run(&with(H_SIGNER, &bad), "/v1/revoke", b"{}", NOW),
                Err(RequestError::Malformed),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn rejects_wrong_role_and_missing_headers() {
        let adv = Identity::from_seed(Role::Advocate, &[2; 32]);
        let h = sign(&adv, O, "POST", "/v1/revoke", NOW, b"").expect("sign");
        assert_eq!(
            run(&h, "/v1/revoke", b"", NOW),
            Err(RequestError::WrongRole)
        );
        assert_eq!(
            run(&[], "/v1/revoke", b"", NOW),
            Err(RequestError::Malformed)
        );
    }
}
