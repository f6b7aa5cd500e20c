use super::*;
use crate::id::{Identity, Role};
use proptest::prelude::*;

const T0: u64 = 1_795_000_000;

fn issuer() -> Identity {
    Identity::from_seed(Role::Survivor, &[11; 32])
}

fn agency(n: u8) -> PublicId {
    Identity::from_seed(Role::Agency, &[n; 32]).public()
}

fn secret() -> ShareSecret {
    ShareSecret::from_bytes([22; 32])
}

fn terms(audience: Option<PublicId>) -> TokenTerms {
    TokenTerms {
        audience,
        not_before: T0,
        expires: T0 + 3600,
        max_uses: 1,
        claims: Claims {
            scope: Scope::parse_list("identity.name,needs.*").expect("scope"),
            purpose: "Housing application".into(),
            consent_hash: consent_hash("the text"),
        },
    }
}

fn token(audience: Option<PublicId>) -> Vec<u8> {
    terms(audience)
        .sign(&issuer(), &secret(), 4112, [7; 32])
        .expect("sign")
}

fn body_of(bytes: &[u8]) -> TokenBody {
    UnverifiedToken::decode(bytes).expect("decode").body
}

fn check(bytes: &[u8], now: u64, presenter: Option<&PublicId>) -> Result<Token, TokenError> {
    UnverifiedToken::decode(bytes)?.verify(now, presenter)
}

#[test]
fn accepts_valid_token_and_opens_claims() {
    let t = check(&token(Some(agency(1))), T0 + 10, Some(&agency(1))).expect("valid");
    let claims = t.open_claims(&secret()).expect("claims");
    assert_eq!(claims, terms(None).claims);
    assert_eq!(t.audience(), Some(agency(1)));
    assert_eq!(t.issuer(), issuer().public());
}

#[test]
fn accepts_token_at_exact_not_before() {
    check(&token(None), T0, None).expect("valid at not_before");
}

#[test]
fn rejects_token_before_not_before() {
    assert_eq!(
        check(&token(None), T0 - 1, None).err(),
        Some(TokenError::NotYetValid)
    );
}

#[test]
fn rejects_token_at_exact_expiry() {
    check(&token(None), T0 + 3599, None).expect("valid in its last second");
    assert_eq!(
        check(&token(None), T0 + 3600, None).err(),
        Some(TokenError::Expired)
    );
}

#[test]
fn rejects_wrong_audience() {
    let t = token(Some(agency(1)));
    assert_eq!(
        check(&t, T0, Some(&agency(2))).err(),
        Some(TokenError::WrongAudience)
    );
    assert_eq!(check(&t, T0, None).err(), Some(TokenError::WrongAudience));
    // The same key presented as another role is not the agency.
    let as_advocate = PublicId::new(Role::Advocate, &agency(1).verifying_key());
    assert_eq!(
        check(&t, T0, Some(&as_advocate)).err(),
        Some(TokenError::WrongAudience)
    );
}

#[test]
fn anyone_token_accepts_any_presenter() {
    let t = token(None);
    check(&t, T0, Some(&agency(2))).expect("any agency");
    check(&t, T0, None).expect("no presenter");
}

#[test]
fn rejects_trailing_bytes() {
    let mut t = token(None);
    t.push(0);
    assert_eq!(check(&t, T0, None).err(), Some(TokenError::TrailingBytes));
}

#[test]
fn rejects_truncated_token() {
    let t = token(None);
    for n in 0..t.len() {
        assert!(
            UnverifiedToken::decode(&t[..n]).is_err(),
            "accepted {n} bytes"
        );
    }
}

#[test]
fn rejects_unknown_version_and_magic() {
    let mut t = token(None);
    t[4] = 2;
    assert_eq!(check(&t, T0, None).err(), Some(TokenError::UnknownVersion));
    let mut t = token(None);
    t[0] = b'X';
    assert_eq!(check(&t, T0, None).err(), Some(TokenError::BadMagic));
}

#[test]
fn rejects_non_canonical_encoding() {
    // max_uses = 1 re-written as a two-byte varint, then properly signed:
    // the signature is fine, the encoding is not.
    let t = token(None);
    let body = body_of(&t);
    let framed = format::frame(MAGIC, VERSION, &body);
    let mut tail = format::encode(&(
        body.payload_len,
        body.payload_hash,
        body.sealed_claims.clone(),
    ));
    let head_len = framed.len() - tail.len() - 1; // the one-byte max_uses
    assert_eq!(framed[head_len], 1);
    let mut long = framed[..head_len].to_vec();
    long.extend_from_slice(&[0x81, 0x00]);
    long.append(&mut tail);
    let sig = issuer().signing_key().sign(&signed_message(&long));
    long.extend_from_slice(&sig.to_bytes());
    assert_eq!(check(&long, T0, None).err(), Some(TokenError::NonCanonical));
}

#[test]
fn rejects_bad_signature() {
    let mut t = token(None);
    let last = t.len() - 1;
    t[last] ^= 0x80;
    assert_eq!(check(&t, T0, None).err(), Some(TokenError::BadSignature));
}

#[test]
fn rejects_token_signed_by_another_key() {
    let body = body_of(&token(None));
    let other = Identity::from_seed(Role::Survivor, &[99; 32]);
    let mut forged = format::frame(MAGIC, VERSION, &body);
    let sig = other.signing_key().sign(&signed_message(&forged));
    forged.extend_from_slice(&sig.to_bytes());
    assert_eq!(
        check(&forged, T0, None).err(),
        Some(TokenError::BadSignature)
    );
}

#[test]
fn rejects_zero_and_excessive_uses() {
    for uses in [0, MAX_USES + 1] {
        let mut body = body_of(&token(None));
        body.max_uses = uses;
        assert_eq!(
            check(&sign_body(&issuer(), &body), T0, None).err(),
            Some(TokenError::BadUses)
        );
        let mut t = terms(None);
        t.max_uses = uses;
        assert_eq!(
            t.sign(&issuer(), &secret(), MIN_PAYLOAD_LEN, [0; 32]).err(),
            Some(TokenError::BadUses)
        );
    }
}

#[test]
fn rejects_token_that_never_expires() {
    let mut body = body_of(&token(None));
    body.expires = u64::MAX;
    assert_eq!(
        check(&sign_body(&issuer(), &body), T0, None).err(),
        Some(TokenError::TooLong)
    );
    body.expires = body.not_before + MAX_VALIDITY_SECS;
    check(&sign_body(&issuer(), &body), T0, None).expect("the longest allowed window");
}

#[test]
fn rejects_token_naming_a_share_smaller_than_the_smallest_real_one() {
    for len in [0, 1, MIN_PAYLOAD_LEN - 1] {
        let mut body = body_of(&token(None));
        body.payload_len = len;
        assert_eq!(
            check(&sign_body(&issuer(), &body), T0, None).err(),
            Some(TokenError::BadLength),
            "payload_len {len}"
        );
        assert_eq!(
            terms(None).sign(&issuer(), &secret(), len, [0; 32]).err(),
            Some(TokenError::BadLength)
        );
    }
    // A limit: refused before the signature is looked at.
    let mut body = body_of(&token(None));
    body.payload_len = 0;
    let mut t = format::frame(MAGIC, VERSION, &body);
    t.extend_from_slice(&[0u8; 64]);
    assert_eq!(check(&t, T0, None).err(), Some(TokenError::BadLength));
}

#[test]
fn accepts_token_naming_the_smallest_real_share() {
    assert_eq!(MIN_PAYLOAD_LEN, 4112);
    let t = terms(None)
        .sign(&issuer(), &secret(), MIN_PAYLOAD_LEN, [0; 32])
        .expect("sign");
    check(&t, T0, None).expect("the smallest sealed share");
}

#[test]
fn rejects_window_that_ends_before_it_starts() {
    let mut body = body_of(&token(None));
    body.expires = body.not_before;
    assert_eq!(
        check(&sign_body(&issuer(), &body), T0, None).err(),
        Some(TokenError::BadWindow)
    );
}

#[test]
fn rejects_weak_issuer_key() {
    let mut body = body_of(&token(None));
    // The identity point: a small-order key that would verify anything.
    let mut weak = [0u8; 32];
    weak[0] = 1;
    body.issuer = weak;
    let mut t = format::frame(MAGIC, VERSION, &body);
    t.extend_from_slice(&[0u8; 64]);
    assert_eq!(check(&t, T0, None).err(), Some(TokenError::BadKey));
}

#[test]
fn rejects_wrong_secret() {
    let t = check(&token(None), T0, None).expect("valid");
    let other = ShareSecret::from_bytes([23; 32]);
    assert_eq!(t.open_claims(&other).err(), Some(TokenError::WrongSecret));
}

#[test]
fn sealed_claims_hide_purpose_length() {
    let mut short = terms(None);
    short.claims.purpose = "x".into();
    let mut long = terms(None);
    long.claims.purpose = "y".repeat(150);
    let a = body_of(
        &short
            .sign(&issuer(), &secret(), MIN_PAYLOAD_LEN, [0; 32])
            .expect("sign"),
    );
    let b = body_of(
        &long
            .sign(&issuer(), &secret(), MIN_PAYLOAD_LEN, [0; 32])
            .expect("sign"),
    );
    assert_eq!(a.sealed_claims.len(), b.sealed_claims.len());
}

#[test]
fn token_never_contains_purpose_or_scope_in_clear() {
    let t = token(None);
    for needle in [&b"Housing application"[..], b"identity.name", b"needs"] {
        assert!(!t.windows(needle.len()).any(|w| w == needle));
    }
}

#[test]
fn rejects_every_single_bit_flip() {
    let t = token(Some(agency(1)));
    for bit in 0..t.len() * 8 {
        let mut f = t.clone();
        f[bit / 8] ^= 1 << (bit % 8);
        let ok = check(&f, T0 + 1, Some(&agency(1))).and_then(|tok| tok.open_claims(&secret()));
        assert!(ok.is_err(), "flip of bit {bit} accepted");
    }
}

fn arb_body() -> impl Strategy<Value = TokenBody> {
    (
        any::<[u8; 32]>(),
        proptest::option::of(any::<[u8; 32]>()),
        any::<u64>(),
        any::<u64>(),
        any::<u32>(),
        any::<u64>(),
        any::<[u8; 32]>(),
        proptest::collection::vec(any::<u8>(), 0..600),
    )
        .prop_map(
            |(
                token_id,
                audience,
                not_before,
                expires,
                max_uses,
                payload_len,
                payload_hash,
                sealed_claims,
            )| TokenBody {
                token_id,
                issuer: *issuer().public().key_bytes(),
                audience,
                not_before,
                expires,
                max_uses,
                payload_len,
                payload_hash,
                sealed_claims,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn encode_then_decode_is_identity(body in arb_body()) {
        let bytes = sign_body(&issuer(), &body);
        let decoded = UnverifiedToken::decode(&bytes).expect("decodes");
        prop_assert_eq!(&decoded.body, &body);
    }

    #[test]
    fn decode_then_encode_gives_the_same_bytes(body in arb_body()) {
        let bytes = sign_body(&issuer(), &body);
        let decoded = UnverifiedToken::decode(&bytes).expect("decodes");
        prop_assert_eq!(sign_body(&issuer(), &decoded.body), bytes);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..800)) {
        let _ = UnverifiedToken::decode(&bytes).and_then(|t| t.verify(T0, None));
        let mut framed = MAGIC.to_vec();
        framed.push(VERSION);
        framed.extend_from_slice(&bytes);
        let _ = UnverifiedToken::decode(&framed).and_then(|t| t.verify(T0, None));
    }
}
