//! What making and checking a consent token costs, measured with criterion.
//!
//! Each group puts the token's own path next to the bare Ed25519 operation
//! on the same bytes, in the same run, so the ratio means something on
//! whatever machine runs it:
//!
//! - `token_issue`: [`TokenTerms::sign`] (limits, HKDF of the token id and
//!   the claims key, sealing 256 bytes of claims, framing, signing) for an
//!   audience token and an anyone token, next to `SigningKey::sign` of the
//!   same signed message;
//! - `token_verify`: `UnverifiedToken::decode` + `verify` (canonical decode,
//!   limits, issuer key, `verify_strict` over the exact bytes, window,
//!   audience), next to `VerifyingKey::verify_strict` on the same message
//!   and signature with the key already parsed (`bare_verify_strict`: the
//!   goal's baseline), and with the key parsed from its 32 bytes each time
//!   (`bare_key_from_bytes_verify_strict`: what any check of a signature
//!   that arrives with its key must do);
//! - `token_claims`: [`Token::open_claims`] with the share secret.
//!
//! The goal: a token check costs at most 1.15× a bare signature check.
//! `docs/performance-sharing.md` has the figures and how to reproduce them:
//!
//! ```text
//! CARGO_TARGET_DIR=/tmp/target-bench2 cargo bench -p vault-core --bench token
//! ```

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use ed25519_dalek::{Signature, Signer, VerifyingKey};
use vault_core::token::{self, Claims, TokenTerms, SIGNING_LABEL};
use vault_core::{Identity, PublicId, Role, Scope, ShareSecret, Token, UnverifiedToken};

/// A fixed "now" inside every token's window.
const NOW: u64 = 1_795_000_000;
const SIGNATURE_LEN: usize = 64;

/// What a typical grant signs: two entries of scope, a short purpose.
fn terms(audience: Option<PublicId>) -> TokenTerms {
    TokenTerms {
        audience,
        not_before: NOW - 60,
        expires: NOW + 7 * 86_400,
        max_uses: 1,
        claims: Claims {
            scope: Scope::parse_list("identity.name,needs.*").expect("the scope is valid"),
            purpose: "Housing application for me and my two children".into(),
            consent_hash: token::consent_hash("the consent text the survivor was shown"),
        },
    }
}

fn agency() -> PublicId {
    Identity::from_seed(Role::Agency, &[7; 32]).public()
}

/// Everything one token needs: its terms, the signing material and bytes.
struct Fixture {
    terms: TokenTerms,
    issuer: Identity,
    secret: ShareSecret,
    bytes: Vec<u8>,
    presenter: Option<PublicId>,
}

impl Fixture {
    fn new(audience: Option<PublicId>) -> Self {
        let terms = terms(audience);
        let issuer = Identity::from_seed(Role::Survivor, &[3; 32]);
        let secret = ShareSecret::from_bytes([0x5a; 32]);
        let bytes = terms
            .sign(&issuer, &secret, 4112, [9; 32])
            .expect("the terms respect every limit");
        Self {
            terms,
            issuer,
            secret,
            bytes,
            presenter: audience,
        }
    }

    /// `SIGNING_LABEL ‖ token bytes without the signature`: what is signed.
    fn message(&self) -> Vec<u8> {
        let split = self.bytes.len() - SIGNATURE_LEN;
        [SIGNING_LABEL, &self.bytes[..split]].concat()
    }

    fn signature(&self) -> Signature {
        let split = self.bytes.len() - SIGNATURE_LEN;
        Signature::from_slice(&self.bytes[split..]).expect("64 bytes")
    }

    fn verified(&self) -> Token {
        UnverifiedToken::decode(&self.bytes)
            .expect("the fixture decodes")
            .verify(NOW, self.presenter.as_ref())
            .expect("the fixture verifies")
    }
}

fn issue(c: &mut Criterion) {
    let audience = Fixture::new(Some(agency()));
    let anyone = Fixture::new(None);
    let mut g = c.benchmark_group("token_issue");
    for (name, f) in [("sign_audience", &audience), ("sign_anyone", &anyone)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                f.terms
                    .sign(
                        black_box(&f.issuer),
                        black_box(&f.secret),
                        4112,
                        black_box([9; 32]),
                    )
                    .expect("the terms respect every limit")
            })
        });
    }
    let message = audience.message();
    g.bench_function("bare_ed25519_sign", |b| {
        b.iter(|| audience.issuer.signing_key().sign(black_box(&message)))
    });
    g.finish();
}

fn verify(c: &mut Criterion) {
    let audience = Fixture::new(Some(agency()));
    let anyone = Fixture::new(None);
    let mut g = c.benchmark_group("token_verify");
    for (name, f) in [
        ("decode_verify_audience", &audience),
        ("decode_verify_anyone", &anyone),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                UnverifiedToken::decode(black_box(&f.bytes))
                    .and_then(|t| t.verify(NOW, f.presenter.as_ref()))
                    .expect("the fixture verifies")
            })
        });
    }
    g.bench_function("decode_only", |b| {
        b.iter(|| UnverifiedToken::decode(black_box(&audience.bytes)).expect("decodes"))
    });
    // The same message and signature the audience token's check verifies.
    let message = audience.message();
    let signature = audience.signature();
    let key_bytes = *audience.issuer.public().key_bytes();
    let key = VerifyingKey::from_bytes(&key_bytes).expect("a valid key");
    g.bench_function("bare_verify_strict", |b| {
        b.iter(|| {
            key.verify_strict(black_box(&message), black_box(&signature))
                .expect("the signature verifies")
        })
    });
    g.bench_function("bare_key_from_bytes_verify_strict", |b| {
        b.iter(|| {
            VerifyingKey::from_bytes(black_box(&key_bytes))
                .expect("a valid key")
                .verify_strict(black_box(&message), black_box(&signature))
                .expect("the signature verifies")
        })
    });
    g.finish();
}

fn claims(c: &mut Criterion) {
    let f = Fixture::new(Some(agency()));
    let token = f.verified();
    let mut g = c.benchmark_group("token_claims");
    g.bench_function("open_claims", |b| {
        b.iter(|| {
            black_box(&token)
                .open_claims(black_box(&f.secret))
                .expect("the secret is this token's")
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    // Short runs: the benchmark machine has two cores and is shared.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = issue, verify, claims
}
criterion_main!(benches);
