//! A consent token check next to the bare signature check and two other
//! token formats, on the same claims, in one criterion run
//! (`token_compare`):
//!
//! - `vault_token`: `UnverifiedToken::decode` + `verify` of an audience
//!   token (canonical decode, limits, issuer key parsed from its 32 bytes,
//!   `verify_strict` over the exact bytes, window, audience);
//! - `bare_key_from_bytes_verify_strict`: `VerifyingKey::from_bytes` +
//!   `verify_strict` of the same message and signature (issue 14's
//!   baseline: "a bare `verify_strict` including key parsing");
//! - `bare_verify_strict`: the same with the key already parsed;
//! - `biscuit`: `biscuit-auth` 6, `PublicKey::from_bytes` (the root key
//!   from its 32 bytes) + `Biscuit::from` + an authorizer that checks the
//!   same things: audience is the presenter, now is inside the window, the
//!   uses are within bounds, and the token carries a scope;
//! - `jwt_eddsa`: `jsonwebtoken` 9, `DecodingKey::from_ed_der` (the raw 32
//!   bytes) + `decode` with `Validation` for EdDSA: audience, `exp`, `nbf`,
//!   no leeway, and the same claims deserialised.
//!
//! Before criterion's own measurements, the same checks are also timed
//! interleaved (a few calls of each in turn, 300 rounds), which keeps the
//! ratios steady on a shared machine whose load moves from second to
//! second.
//!
//! Biscuit and JWT carry the scope and purpose in plain text; the vault
//! token seals them (256 bytes padded), which is why they cost a token
//! check nothing there and only the holder of the share secret can read
//! them. Before the measurements it prints each token's size in bytes.
//!
//! ```text
//! CARGO_TARGET_DIR=/tmp/target-bench2 cargo bench -p vault-bench --bench token_compare
//! ```

#![allow(
    clippy::print_stdout,
    reason = "a benchmark program: the token sizes are part of its output"
)]

use std::hint::black_box;
use std::time::Duration;

use biscuit_auth::{
    Algorithm, AuthorizerBuilder, AuthorizerLimits, Biscuit, KeyPair, PrivateKey, PublicKey,
};
use criterion::{criterion_group, criterion_main, Criterion};
use ed25519_dalek::{Signature, VerifyingKey};
use jsonwebtoken::{DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use vault_core::token::{self, Claims, TokenTerms, SIGNING_LABEL};
use vault_core::{Identity, Role, Scope, ShareSecret, UnverifiedToken};

const SIGNATURE_LEN: usize = 64;
const SCOPE: &str = "identity.name,needs.*";
const PURPOSE: &str = "Housing application for me and my two children";
const SHARE_LEN: u64 = 4112;

/// The seconds since 1970 now (jsonwebtoken reads the system clock, so
/// every token's window is around the real time).
fn now() -> u64 {
    vault_core::time::now()
}

/// The same claims for every format.
struct Terms {
    now: u64,
    not_before: u64,
    expires: u64,
    max_uses: u32,
    audience: Identity,
    issuer_seed: [u8; 32],
}

impl Terms {
    fn new() -> Self {
        let now = now();
        Self {
            now,
            not_before: now - 60,
            expires: now + 7 * 86_400,
            max_uses: 1,
            audience: Identity::from_seed(Role::Agency, &[7; 32]),
            issuer_seed: [3; 32],
        }
    }

    fn audience_id(&self) -> String {
        self.audience.public().to_string()
    }
}

/// The vault's audience token, and the message and signature inside it.
struct VaultFixture {
    bytes: Vec<u8>,
    key: [u8; 32],
    message: Vec<u8>,
    signature: Signature,
}

fn vault_fixture(t: &Terms) -> VaultFixture {
    let issuer = Identity::from_seed(Role::Survivor, &t.issuer_seed);
    let terms = TokenTerms {
        audience: Some(t.audience.public()),
        not_before: t.not_before,
        expires: t.expires,
        max_uses: t.max_uses,
        claims: Claims {
            scope: Scope::parse_list(SCOPE).expect("the scope is valid"),
            purpose: PURPOSE.into(),
            consent_hash: token::consent_hash("the consent text the survivor was shown"),
        },
    };
    let bytes = terms
        .sign(
            &issuer,
            &ShareSecret::from_bytes([0x5a; 32]),
            SHARE_LEN,
            [9; 32],
        )
        .expect("the terms respect every limit");
    let split = bytes.len() - SIGNATURE_LEN;
    VaultFixture {
        message: [SIGNING_LABEL, &bytes[..split]].concat(),
        signature: Signature::from_slice(&bytes[split..]).expect("64 bytes"),
        key: *issuer.public().key_bytes(),
        bytes,
    }
}

/// A biscuit with the same public and private claims as facts.
/// Returns its bytes, its root key and its length as base64 text.
fn biscuit_token(t: &Terms) -> (Vec<u8>, [u8; 32], usize) {
    let root = KeyPair::from(
        &PrivateKey::from_bytes(&t.issuer_seed, Algorithm::Ed25519).expect("32 bytes"),
    );
    let code = format!(
        r#"token_id(hex:{id});
audience("{aud}");
not_before({nb});
expires({exp});
max_uses({uses});
payload_len({len});
payload_hash(hex:{hash});
scope("identity.name");
scope("needs.*");
purpose("{PURPOSE}");
"#,
        id = "5a".repeat(32),
        aud = t.audience_id(),
        nb = t.not_before,
        exp = t.expires,
        uses = t.max_uses,
        len = SHARE_LEN,
        hash = "09".repeat(32),
    );
    let token = Biscuit::builder()
        .code(code)
        .expect("the facts parse")
        .build(&root)
        .expect("the biscuit builds");
    let key: [u8; 32] = root
        .public()
        .to_bytes()
        .try_into()
        .expect("an Ed25519 key is 32 bytes");
    let text = token.to_base64().expect("the biscuit serialises");
    (
        token.to_vec().expect("the biscuit serialises"),
        key,
        text.len(),
    )
}

/// What the relay would check, as an authorizer: the presenter is the
/// audience, now is inside the window, the uses are in bounds, and the
/// token has a scope.
fn biscuit_check(bytes: &[u8], key: &[u8; 32], presenter: &str, now: u64) {
    let root = PublicKey::from_bytes(key, Algorithm::Ed25519).expect("a valid key");
    let token = Biscuit::from(bytes, root).expect("the biscuit verifies");
    let mut authorizer = AuthorizerBuilder::new()
        .code(format!(
            r#"now({now});
presenter("{presenter}");
check if audience($a), presenter($a);
check if now($t), not_before($nb), expires($e), $t >= $nb, $t < $e;
check if max_uses($u), $u >= 1, $u <= 1000;
allow if scope($s);
"#
        ))
        .expect("the policy parses")
        // The default limit (1 ms of Datalog) is hit on a busy shared
        // machine; the rules here finish in microseconds.
        .set_limits(AuthorizerLimits {
            max_time: Duration::from_millis(100),
            ..AuthorizerLimits::default()
        })
        .build(&token)
        .expect("the authorizer builds");
    authorizer.authorize().expect("the biscuit is allowed");
}

/// The JWT's claims: registered ones and ours, in plain text.
#[derive(Debug, Serialize, Deserialize)]
struct JwtClaims {
    jti: String,
    aud: String,
    nbf: u64,
    exp: u64,
    max_uses: u32,
    payload_len: u64,
    payload_hash: String,
    scope: String,
    purpose: String,
}

fn jwt_token(t: &Terms) -> (String, [u8; 32]) {
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = ring::signature::Ed25519KeyPair::generate_pkcs8(&rng).expect("a key pair");
    let pair = ring::signature::Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).expect("parses");
    let key: [u8; 32] = ring::signature::KeyPair::public_key(&pair)
        .as_ref()
        .try_into()
        .expect("an Ed25519 key is 32 bytes");
    let claims = JwtClaims {
        jti: "5a".repeat(32),
        aud: t.audience_id(),
        nbf: t.not_before,
        exp: t.expires,
        max_uses: t.max_uses,
        payload_len: SHARE_LEN,
        payload_hash: "09".repeat(32),
        scope: SCOPE.into(),
        purpose: PURPOSE.into(),
    };
    let jwt = jsonwebtoken::encode(
        &Header::new(jsonwebtoken::Algorithm::EdDSA),
        &claims,
        &EncodingKey::from_ed_der(pkcs8.as_ref()),
    )
    .expect("the JWT signs");
    (jwt, key)
}

fn jwt_validation(audience: &str) -> Validation {
    let mut v = Validation::new(jsonwebtoken::Algorithm::EdDSA);
    v.set_audience(&[audience]);
    v.set_required_spec_claims(&["exp", "nbf", "aud"]);
    v.validate_exp = true;
    v.validate_nbf = true;
    v.leeway = 0;
    v
}

fn compare(c: &mut Criterion) {
    let t = Terms::new();
    let presenter = t.audience.public();
    let vault = vault_fixture(&t);
    let (biscuit, biscuit_key, biscuit_text) = biscuit_token(&t);
    let (jwt, jwt_key) = jwt_token(&t);
    let audience = t.audience_id();
    let validation = jwt_validation(&audience);

    // Each check once, outside the timing, so a broken fixture fails loudly.
    UnverifiedToken::decode(&vault.bytes)
        .and_then(|x| x.verify(t.now, Some(&presenter)))
        .expect("the vault token verifies");
    biscuit_check(&biscuit, &biscuit_key, &audience, t.now);
    jsonwebtoken::decode::<JwtClaims>(&jwt, &DecodingKey::from_ed_der(&jwt_key), &validation)
        .expect("the JWT validates");

    println!("token bytes (same claims; vault seals scope and purpose):");
    println!("  vault audience token  {:>5}", vault.bytes.len());
    println!("  biscuit (protobuf)    {:>5}", biscuit.len());
    println!("  biscuit (base64)      {biscuit_text:>5}");
    println!("  JWT EdDSA (compact)   {:>5}", jwt.len());

    let parsed = VerifyingKey::from_bytes(&vault.key).expect("a valid key");
    interleaved(&[
        ("vault_token", &|| {
            UnverifiedToken::decode(black_box(&vault.bytes))
                .and_then(|x| x.verify(black_box(t.now), Some(&presenter)))
                .map(drop)
                .expect("the vault token verifies")
        }),
        ("bare_key_from_bytes_verify_strict", &|| {
            VerifyingKey::from_bytes(black_box(&vault.key))
                .expect("a valid key")
                .verify_strict(black_box(&vault.message), black_box(&vault.signature))
                .expect("the signature verifies")
        }),
        ("bare_verify_strict (key parsed once)", &|| {
            parsed
                .verify_strict(black_box(&vault.message), black_box(&vault.signature))
                .expect("the signature verifies")
        }),
        ("biscuit", &|| {
            biscuit_check(
                black_box(&biscuit),
                black_box(&biscuit_key),
                &audience,
                black_box(t.now),
            )
        }),
        ("jwt_eddsa", &|| {
            jsonwebtoken::decode::<JwtClaims>(
                black_box(&jwt),
                &DecodingKey::from_ed_der(black_box(&jwt_key)),
                &validation,
            )
            .map(drop)
            .expect("the JWT validates")
        }),
    ]);

    let mut g = c.benchmark_group("token_compare");
    g.bench_function("vault_token", |b| {
        b.iter(|| {
            UnverifiedToken::decode(black_box(&vault.bytes))
                .and_then(|x| x.verify(black_box(t.now), Some(&presenter)))
                .expect("the vault token verifies")
        })
    });
    g.bench_function("bare_key_from_bytes_verify_strict", |b| {
        b.iter(|| {
            VerifyingKey::from_bytes(black_box(&vault.key))
                .expect("a valid key")
                .verify_strict(black_box(&vault.message), black_box(&vault.signature))
                .expect("the signature verifies")
        })
    });
    let key = VerifyingKey::from_bytes(&vault.key).expect("a valid key");
    g.bench_function("bare_verify_strict", |b| {
        b.iter(|| {
            key.verify_strict(black_box(&vault.message), black_box(&vault.signature))
                .expect("the signature verifies")
        })
    });
    g.bench_function("biscuit", |b| {
        b.iter(|| {
            biscuit_check(
                black_box(&biscuit),
                black_box(&biscuit_key),
                &audience,
                black_box(t.now),
            )
        })
    });
    g.bench_function("jwt_eddsa", |b| {
        b.iter(|| {
            jsonwebtoken::decode::<JwtClaims>(
                black_box(&jwt),
                &DecodingKey::from_ed_der(black_box(&jwt_key)),
                &validation,
            )
            .expect("the JWT validates")
        })
    });
    g.finish();
}

/// Rounds of [`interleaved`], and calls of each check per round.
const ROUNDS: usize = 300;
const PER_ROUND: u32 = 20;

/// The checks taken in turn, `PER_ROUND` calls each, for `ROUNDS` rounds
/// (each round starting one check further on);
/// prints each one's median time per call and the median of its per-round
/// ratio to the second (the baseline). On a shared machine the load moves
/// from second to second; criterion measures one benchmark after another,
/// seconds apart, so its ratios move with the load. Here each round's
/// checks run within a few milliseconds of each other.
fn interleaved(checks: &[(&str, &dyn Fn())]) {
    let mut times = vec![Vec::with_capacity(ROUNDS); checks.len()];
    for round in 0..ROUNDS {
        // Each round starts with the next check, so none is always first.
        for k in 0..checks.len() {
            let i = (round + k) % checks.len();
            let f = checks[i].1;
            let t = std::time::Instant::now();
            for _ in 0..PER_ROUND {
                f();
            }
            times[i].push(t.elapsed().as_secs_f64() * 1e6 / f64::from(PER_ROUND));
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!("interleaved, {ROUNDS} rounds of {PER_ROUND} calls each (median per call; median of the per-round ratio to {}):", checks[1].0);
    for (i, (name, _)) in checks.iter().enumerate() {
        let mut ratios: Vec<f64> = times[i].iter().zip(&times[1]).map(|(a, b)| a / b).collect();
        let ratio = median(&mut ratios);
        println!("  {name:36} {:8.1} µs  {ratio:.3}×", median(&mut times[i]));
    }
}

criterion_group! {
    name = benches;
    // Short runs: the benchmark machine has two cores and is shared.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = compare
}
criterion_main!(benches);
