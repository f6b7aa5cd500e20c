//! Writes the consent-token, open (token, sealed share and receipt as an
//! agency receives them), share-link, upload-bundle and backup test vectors to a directory (CI runs it as
//! `cargo run -q -p vault-core --example gen_vectors -- tests/vectors`).
//!
//! Everything is deterministic: every key, seed and secret is derived with
//! HKDF-SHA256 from one fixed root and a label naming its use, times are
//! fixed, Ed25519 signing is deterministic, and every nonce in the formats
//! is fixed by construction. Running it twice gives the same bytes; CI
//! re-runs it and fails on any difference.
//!
//! Valid objects are made with the public API (`TokenTerms::sign`,
//! `ShareWriter`, `ShareLink::new`). Invalid ones are made by editing
//! bodies or bytes and re-signing where the rule under test needs a good
//! signature, so that each negative vector breaks exactly one rule. Before
//! writing, every vector is checked against vault-core here as well, so
//! the generator never writes an expectation the code does not meet.
//!
//! The layout of a vector file is described in `tests/vectors/README.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use data_encoding::HEXLOWER;
use ed25519_dalek::{Signature, Signer, Verifier, VerifyingKey};

use vault_core::crypto::stream::{StreamSealer, CHUNK_SIZE};
use vault_core::crypto::{self, SecretKey, NONCE_LEN};
use vault_core::format;
use vault_core::id::{Identity, PublicId, Role};
use vault_core::path::FieldPath;
use vault_core::preview::{self, Terms};
use vault_core::relay::redeem::{Receipt, RECEIPT_LABEL};
use vault_core::scope::Scope;
use vault_core::share::link::{ShareLink, ShareSecret, TokenId};
use vault_core::share::open::{open_received, Answer};
use vault_core::share::{self, bundle, EntryKind, Manifest, ManifestEntry, ShareWriter};
use vault_core::token::{self, Claims, Token, TokenBody, TokenTerms, UnverifiedToken};

/// The `now` of every vector unless it says otherwise: 18 November 2026,
/// 11:06:40 UTC.
const NOW: u64 = 1_795_000_000;
const HOUR: u64 = 3600;
const DAY: u64 = 86_400;
/// The relay origin in links.
const ORIGIN: &str = "https://relay.example.org";

/// The label of the pairwise issuer seed (`vault/record.rs`).
const LABEL_PAIRWISE: &[u8] = b"survivor-vault/v1/pairwise\0";
/// The associated-data label of the sealed claims (`token/mod.rs`).
const LABEL_CLAIMS_AAD: &[u8] = b"survivor-vault/v1/claims\0";
/// Pairwise context for a token bound to one agency: `0x01 ‖ agency key`.
const CONTEXT_AGENCY: u8 = 1;
/// Pairwise context for a link anyone may redeem: `0x02 ‖ 32 random bytes`.
const CONTEXT_ANYONE: u8 = 2;

/// The group order of Ed25519, ℓ = 2^252 + 27742317777372353535851937790883648493,
/// as little-endian 64-bit limbs.
const ELL: [u64; 4] = [
    0x5812_631a_5cf5_d3ed,
    0x14de_f9de_a2f7_9cd6,
    0,
    0x1000_0000_0000_0000,
];

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/vectors".to_string());
    let mut out = Vectors::default();
    token_vectors(&mut out);
    open_vectors(&mut out);
    bundle_vectors(&mut out);
    link_vectors(&mut out);
    backup_vectors(&mut out);
    keyfile_vectors(&mut out);
    let n = out.write(Path::new(&dir));
    eprintln!("wrote {n} vectors to {dir}");
}

// ---------------------------------------------------------------------------
// Deterministic keys.

/// 32 bytes for `label`: HKDF-SHA256 with the root `SHA-256("survivor-vault
/// test vectors v1")` as input keying material, an empty salt and
/// `"vector/" ‖ label` as info.
fn key(label: &str) -> [u8; 32] {
    let root = SecretKey::from_bytes(crypto::sha256(&[b"survivor-vault test vectors v1"]));
    *root
        .derive(b"", &[b"vector/", label.as_bytes()])
        .expect("HKDF-SHA256 can always give 32 bytes")
        .expose()
}

fn secret(label: &str) -> ShareSecret {
    ShareSecret::from_bytes(key(&format!("share secret/{label}")))
}

fn agency(label: &str) -> Identity {
    Identity::from_seed(Role::Agency, &key(&format!("agency/{label}")))
}

/// The survivor's vault master key (the vectors' stand-in for the random
/// key in a real vault).
fn master_key() -> SecretKey {
    SecretKey::from_bytes(key("survivor master key"))
}

/// The pairwise issuer seed, exactly as `Vault::pairwise_identity` derives
/// it: HKDF-SHA256(master key, salt empty, info = label ‖ context).
fn pairwise_seed(context: &[u8]) -> [u8; 32] {
    *master_key()
        .derive(b"", &[LABEL_PAIRWISE, context])
        .expect("HKDF-SHA256 can always give 32 bytes")
        .expose()
}

fn hex(bytes: &[u8]) -> String {
    HEXLOWER.encode(bytes)
}

fn path(s: &str) -> FieldPath {
    FieldPath::parse(s).expect("vector paths are valid")
}

fn scope(s: &str) -> Scope {
    Scope::parse_list(s).expect("vector scopes are valid")
}

// ---------------------------------------------------------------------------
// Vector files.

/// One vector: comment lines, then `key: value` lines, in order.
struct Vector {
    name: String,
    about: Vec<String>,
    kv: Vec<(&'static str, String)>,
}

impl Vector {
    fn new(name: &str, kind: &str, expect: &str, about: &str) -> Self {
        assert!(
            name.starts_with(&format!("{kind}_")),
            "{name}: a vector's name starts with its kind"
        );
        assert_eq!(
            name.starts_with(&format!("{kind}_ok")),
            expect == "ok",
            "{name}: exactly the valid vectors are named {kind}_ok…"
        );
        let mut v = Self {
            name: name.to_string(),
            about: Vec::new(),
            kv: Vec::new(),
        };
        v.note(about);
        v.set("kind", kind).set("expect", expect);
        v
    }

    fn note(&mut self, text: &str) -> &mut Self {
        if text.is_empty() {
            self.about.push(String::new());
        }
        self.about.extend(text.lines().map(str::to_string));
        self
    }

    fn set(&mut self, key: &'static str, value: impl ToString) -> &mut Self {
        let value = value.to_string();
        assert!(
            !value.contains('\n') && value.trim_end() == value,
            "{}: value of {key} must be one line without trailing space",
            self.name
        );
        self.kv.push((key, value));
        self
    }

    fn render(&self) -> String {
        let mut s = String::new();
        writeln!(s, "# {}", self.name).expect("writing to a String");
        writeln!(s, "#").expect("writing to a String");
        for line in &self.about {
            if line.is_empty() {
                s.push_str("#\n");
            } else {
                writeln!(s, "# {line}").expect("writing to a String");
            }
        }
        for (k, v) in &self.kv {
            writeln!(s, "{k}: {v}").expect("writing to a String");
        }
        s
    }
}

#[derive(Default)]
struct Vectors(BTreeMap<String, String>);

impl Vectors {
    fn add(&mut self, v: &Vector) {
        let old = self.0.insert(format!("{}.vec", v.name), v.render());
        assert!(old.is_none(), "two vectors named {}", v.name);
    }

    /// Writes every vector, removes `*.vec` files no longer generated, and
    /// returns how many vectors there are.
    fn write(&self, dir: &Path) -> usize {
        std::fs::create_dir_all(dir).expect("create the vector directory");
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("read the vector directory")
            .map(|e| e.expect("read a directory entry").path())
            .collect();
        entries.sort();
        for p in entries {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            if name.ends_with(".vec") && !self.0.contains_key(&name) {
                std::fs::remove_file(&p).expect("remove a stale vector");
            }
        }
        for (name, text) in &self.0 {
            let p = dir.join(name);
            if std::fs::read(&p).ok().as_deref() == Some(text.as_bytes()) {
                continue;
            }
            let mut f = std::fs::File::create(&p).expect("create a vector file");
            f.write_all(text.as_bytes()).expect("write a vector file");
        }
        self.0.len()
    }
}

// ---------------------------------------------------------------------------
// Grants: everything one token and its share are made from.

#[derive(Clone)]
struct Grant {
    /// What the pairwise issuer key is derived from.
    context: Vec<u8>,
    secret: ShareSecret,
    audience: Option<PublicId>,
    not_before: u64,
    expires: u64,
    max_uses: u32,
    scope: Scope,
    purpose: String,
    fields: Vec<(FieldPath, EntryKind, Vec<u8>)>,
}

impl Grant {
    /// A housing application, bound to agency A: two text fields.
    fn to_agency(name: &str) -> Self {
        let a = agency("A").public();
        Self {
            context: [&[CONTEXT_AGENCY][..], a.key_bytes()].concat(),
            secret: secret(name),
            audience: Some(a),
            not_before: NOW - HOUR,
            expires: NOW - HOUR + 7 * DAY,
            max_uses: 1,
            scope: scope("identity.name,needs.*"),
            purpose: "Housing application".into(),
            fields: vec![
                (
                    path("identity.name"),
                    EntryKind::Text,
                    b"Ama Mensah".to_vec(),
                ),
                (
                    path("needs.housing"),
                    EntryKind::Text,
                    b"A ground-floor flat near the school, for me and my two children.".to_vec(),
                ),
            ],
        }
    }

    /// A clinic registration anyone holding the link may redeem, three times.
    fn to_anyone(name: &str) -> Self {
        Self {
            context: [
                &[CONTEXT_ANYONE][..],
                &key(&format!("anyone-link nonce/{name}")),
            ]
            .concat(),
            secret: secret(name),
            audience: None,
            not_before: NOW - 10 * 60,
            expires: NOW - 10 * 60 + 2 * DAY,
            max_uses: 3,
            scope: scope("needs.health"),
            purpose: "Registering at the walk-in clinic".into(),
            fields: vec![(
                path("needs.health"),
                EntryKind::Text,
                b"Asthma; I use an inhaler twice a day.".to_vec(),
            )],
        }
    }

    fn issuer(&self) -> Identity {
        Identity::from_seed(Role::Survivor, &pairwise_seed(&self.context))
    }

    fn consent_text(&self) -> String {
        let paths: Vec<FieldPath> = self.fields.iter().map(|f| f.0.clone()).collect();
        preview::consent_text(&Terms {
            fields: &paths,
            scope: &self.scope,
            audience: self.audience.as_ref(),
            purpose: &self.purpose,
            not_before: self.not_before,
            expires: self.expires,
            max_uses: self.max_uses,
        })
    }

    fn claims(&self) -> Claims {
        Claims {
            scope: self.scope.clone(),
            purpose: self.purpose.clone(),
            consent_hash: token::consent_hash(&self.consent_text()),
        }
    }

    fn manifest(&self) -> Manifest {
        Manifest {
            consent_text: self.consent_text(),
            entries: self
                .fields
                .iter()
                .map(|(p, k, data)| ManifestEntry {
                    path: p.clone(),
                    kind: k.clone(),
                    len: data.len() as u64,
                })
                .collect(),
        }
    }

    /// The share's plaintext, built by hand from the layout:
    /// `be32(len) ‖ postcard(manifest) ‖ entries ‖ zeros` to the Padmé length.
    fn plaintext(&self) -> Vec<u8> {
        let m = format::encode(&self.manifest());
        let mut p = (m.len() as u32).to_be_bytes().to_vec();
        p.extend_from_slice(&m);
        for (_, _, data) in &self.fields {
            p.extend_from_slice(data);
        }
        p.resize(share::padded_len(p.len() as u64) as usize, 0);
        p
    }

    /// The sealed share, made with `ShareWriter` and checked against a
    /// sealing by hand of [`Grant::plaintext`].
    fn share(&self) -> Vec<u8> {
        let mut w =
            ShareWriter::start(&self.secret, &self.manifest(), Vec::new()).expect("start a share");
        for (_, _, data) in &self.fields {
            w.write_all(data).expect("write a share entry");
        }
        let (out, len, hash) = w.finish().expect("finish a share");
        assert_eq!(out.len() as u64, len);
        assert_eq!(hash, crypto::sha256(&[&out]));
        assert_eq!(
            out,
            seal_share(
                &self.secret,
                &self.secret.token_id(),
                &self.plaintext(),
                true
            ),
            "ShareWriter follows the documented layout"
        );
        out
    }

    fn terms(&self) -> TokenTerms {
        TokenTerms {
            audience: self.audience,
            not_before: self.not_before,
            expires: self.expires,
            max_uses: self.max_uses,
            claims: self.claims(),
        }
    }

    /// The body of the token over `payload` (the sealed share).
    fn body(&self, payload: &[u8]) -> TokenBody {
        TokenBody {
            token_id: self.secret.token_id(),
            issuer: *self.issuer().public().key_bytes(),
            audience: self.audience.map(|a| *a.key_bytes()),
            not_before: self.not_before,
            expires: self.expires,
            max_uses: self.max_uses,
            payload_len: payload.len() as u64,
            payload_hash: crypto::sha256(&[payload]),
            sealed_claims: token::seal_claims(&self.secret, &self.claims()),
        }
    }

    /// The token over `payload`, made with `TokenTerms::sign` and checked
    /// against a signing by hand of the documented message.
    fn token_for(&self, payload: &[u8]) -> Vec<u8> {
        if (payload.len() as u64) < token::MIN_PAYLOAD_LEN {
            // `sign` refuses to sign for a share this small: sign the body
            // as it would have been.
            return token::sign_body(&self.issuer(), &self.body(payload));
        }
        let t = self
            .terms()
            .sign(
                &self.issuer(),
                &self.secret,
                payload.len() as u64,
                crypto::sha256(&[payload]),
            )
            .expect("the grant respects every limit");
        let body = self.body(payload);
        assert_eq!(t, token::sign_body(&self.issuer(), &body));
        assert_eq!(t, sign_raw(&self.issuer(), &format::encode(&body)));
        assert_eq!(
            body.sealed_claims,
            seal_claims_raw(
                &self.secret,
                &self.secret.token_id(),
                pad_claims(format::encode(&self.claims()))
            ),
            "seal_claims follows the documented layout"
        );
        t
    }

    fn token(&self) -> Vec<u8> {
        self.token_for(&self.share())
    }

    /// A token whose body is edited by `edit`, then signed by the issuer.
    fn token_edited(&self, edit: impl FnOnce(&mut TokenBody)) -> Vec<u8> {
        let mut body = self.body(&self.share());
        edit(&mut body);
        token::sign_body(&self.issuer(), &body)
    }

    /// The expected decoded values of a valid token of this grant.
    fn expected(&self, v: &mut Vector) {
        let share = self.share();
        v.set("token_id", hex(&self.secret.token_id()))
            .set("issuer", self.issuer().public())
            .set(
                "audience",
                self.audience
                    .map_or_else(|| "none".to_string(), |a| a.to_string()),
            )
            .set("not_before", self.not_before)
            .set("expires", self.expires)
            .set("max_uses", self.max_uses)
            .set("payload_len", share.len())
            .set("payload_hash", hex(&crypto::sha256(&[&share])))
            .set("scope", self.scope.to_strings().join(","))
            .set("purpose", &self.purpose)
            .set(
                "consent_hash",
                hex(&crypto::sha256(&[self.consent_text().as_bytes()])),
            );
    }
}

/// `MAGIC ‖ VERSION ‖ body ‖ Ed25519(label ‖ MAGIC ‖ VERSION ‖ body)`, for
/// body bytes that need not be a canonical encoding.
fn sign_raw(signer: &Identity, body: &[u8]) -> Vec<u8> {
    let mut framed = token::MAGIC.to_vec();
    framed.push(token::VERSION);
    framed.extend_from_slice(body);
    let sig = signer.signing_key().sign(&signed_message(&framed));
    framed.extend_from_slice(&sig.to_bytes());
    framed
}

fn signed_message(framed: &[u8]) -> Vec<u8> {
    [token::SIGNING_LABEL, framed].concat()
}

/// The fields of a token body, each encoded on its own; postcard encodes
/// a struct as the concatenation of its fields.
fn body_fields(body: &TokenBody) -> Vec<Vec<u8>> {
    let fields = vec![
        format::encode(&body.token_id),
        format::encode(&body.issuer),
        format::encode(&body.audience),
        format::encode(&body.not_before),
        format::encode(&body.expires),
        format::encode(&body.max_uses),
        format::encode(&body.payload_len),
        format::encode(&body.payload_hash),
        format::encode(&body.sealed_claims),
    ];
    assert_eq!(fields.concat(), format::encode(body));
    fields
}

/// The same value as `varint`, written one byte longer than it needs.
fn overlong_varint(varint: &[u8]) -> Vec<u8> {
    let mut v = varint.to_vec();
    *v.last_mut().expect("a varint has at least one byte") |= 0x80;
    v.push(0);
    v
}

/// Zero-pads claims plaintext to the next multiple of 256 bytes (at least 256).
fn pad_claims(mut plain: Vec<u8>) -> Vec<u8> {
    let n = plain.len().div_ceil(token::CLAIMS_BLOCK).max(1) * token::CLAIMS_BLOCK;
    plain.resize(n, 0);
    plain
}

/// ChaCha20-Poly1305 under the claims key, all-zero nonce, associated data
/// `"survivor-vault/v1/claims\0" ‖ token id`, of an arbitrary plaintext.
fn seal_claims_raw(secret: &ShareSecret, token_id: &TokenId, mut plain: Vec<u8>) -> Vec<u8> {
    let aad = [LABEL_CLAIMS_AAD, &token_id[..]].concat();
    secret
        .claims_key()
        .aead()
        .seal_in_place([0; NONCE_LEN], &aad, &mut plain);
    plain
}

/// STREAM-seals `plain` under the payload key of `secret` with `aad`. With
/// `last_flag` false, even the final chunk is sealed as "not last".
fn seal_share(secret: &ShareSecret, aad: &TokenId, plain: &[u8], last_flag: bool) -> Vec<u8> {
    let mut sealer = StreamSealer::with_aad(&secret.payload_key(), aad);
    let chunks: Vec<&[u8]> = plain.chunks(CHUNK_SIZE).collect();
    let mut out = Vec::new();
    for (i, c) in chunks.iter().enumerate() {
        let mut buf = c.to_vec();
        let last = i + 1 == chunks.len() && last_flag;
        // A short final chunk cannot be sealed as "not last" by the sealer,
        // which refuses it; seal it by hand with the documented nonce.
        if !last && buf.len() != CHUNK_SIZE {
            let mut nonce = [0u8; NONCE_LEN];
            nonce[3..11].copy_from_slice(&(i as u64).to_be_bytes());
            secret
                .payload_key()
                .aead()
                .seal_in_place(nonce, aad, &mut buf);
        } else {
            sealer.seal_chunk(&mut buf, last).expect("seal a chunk");
        }
        out.extend_from_slice(&buf);
    }
    out
}

// ---------------------------------------------------------------------------
// Arithmetic modulo ℓ, only to build the signatures that only a non-strict
// Ed25519 verifier would accept (they need no secret of ours but the seed).

type Limbs = [u64; 4];

fn geq(a: &Limbs, b: &Limbs) -> bool {
    for i in (0..4).rev() {
        if a[i] != b[i] {
            return a[i] > b[i];
        }
    }
    true
}

fn sub(a: &Limbs, b: &Limbs) -> Limbs {
    let mut out = [0u64; 4];
    let mut borrow = false;
    for i in 0..4 {
        let (d, b1) = a[i].overflowing_sub(b[i]);
        let (d, b2) = d.overflowing_sub(u64::from(borrow));
        out[i] = d;
        borrow = b1 || b2;
    }
    out
}

fn add(a: &Limbs, b: &Limbs) -> Limbs {
    let mut out = [0u64; 4];
    let mut carry = false;
    for i in 0..4 {
        let (s, c1) = a[i].overflowing_add(b[i]);
        let (s, c2) = s.overflowing_add(u64::from(carry));
        out[i] = s;
        carry = c1 || c2;
    }
    assert!(!carry, "sums here stay below 2^256");
    out
}

/// `2a + bit mod ℓ`, for `a < ℓ`.
fn double_add_bit(a: &Limbs, bit: bool) -> Limbs {
    let mut r = add(a, a);
    if bit {
        r = add(&r, &[1, 0, 0, 0]);
    }
    if geq(&r, &ELL) {
        r = sub(&r, &ELL);
    }
    r
}

/// A little-endian integer of any length, reduced mod ℓ.
fn reduce(le: &[u8]) -> Limbs {
    let mut r = [0u64; 4];
    for byte in le.iter().rev() {
        for bit in (0..8).rev() {
            r = double_add_bit(&r, byte >> bit & 1 == 1);
        }
    }
    r
}

fn mul_mod(a: &Limbs, b: &Limbs) -> Limbs {
    let mut r = [0u64; 4];
    for i in (0..256).rev() {
        r = double_add_bit(&r, false);
        if b[i / 64] >> (i % 64) & 1 == 1 {
            r = add(&r, a);
            if geq(&r, &ELL) {
                r = sub(&r, &ELL);
            }
        }
    }
    r
}

fn limbs_to_bytes(a: &Limbs) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, l) in a.iter().enumerate() {
        out[i * 8..i * 8 + 8].copy_from_slice(&l.to_le_bytes());
    }
    out
}

fn sha512(parts: &[&[u8]]) -> Vec<u8> {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA512);
    for p in parts {
        ctx.update(p);
    }
    ctx.finish().as_ref().to_vec()
}

/// The encoding of the neutral element, a point of small order.
fn identity_point() -> [u8; 32] {
    let mut p = [0u8; 32];
    p[0] = 1;
    p
}

/// A signature by `signer` on `message` whose R is the neutral element:
/// s = k·a mod ℓ with k = SHA-512(R ‖ A ‖ M). `[s]B − [k]A` is then the
/// neutral element, so a non-strict verifier accepts it; `verify_strict`
/// refuses R of small order.
fn small_order_r_signature(signer: &Identity, message: &[u8]) -> [u8; 64] {
    let h = sha512(&[&signer.seed()[..]]);
    let mut a = [0u8; 32];
    a.copy_from_slice(&h[..32]);
    a[0] &= 248;
    a[31] &= 127;
    a[31] |= 64;
    let r = identity_point();
    let k = reduce(&sha512(&[&r, signer.public().key_bytes(), message]));
    let s = mul_mod(&k, &reduce(&a));
    let mut sig = [0u8; 64];
    sig[..32].copy_from_slice(&r);
    sig[32..].copy_from_slice(&limbs_to_bytes(&s));
    sig
}

/// `s + ℓ` in place of `s`: the same signature, non-canonical scalar.
fn non_canonical_s(sig: &[u8]) -> Vec<u8> {
    let mut s = [0u64; 4];
    for (i, l) in s.iter_mut().enumerate() {
        *l = u64::from_le_bytes(sig[32 + i * 8..40 + i * 8].try_into().expect("8 bytes"));
    }
    let big = add(&s, &ELL);
    let mut out = sig[..32].to_vec();
    out.extend_from_slice(&limbs_to_bytes(&big));
    out
}

// ---------------------------------------------------------------------------
// The pipeline every vector is checked against before it is written (the
// test in vault-core/tests/vectors.rs does the same from the files).

fn open_token(
    bytes: &[u8],
    now: u64,
    presenter: Option<&PublicId>,
    secret: &ShareSecret,
) -> Result<(Token, Claims), &'static str> {
    let t = UnverifiedToken::decode(bytes)
        .and_then(|t| t.verify(now, presenter))
        .map_err(|e| e.kind())?;
    let claims = t.open_claims(secret).map_err(|e| e.kind())?;
    Ok((t, claims))
}

fn presenter_text(p: Option<&PublicId>) -> String {
    p.map_or_else(|| "none".to_string(), ToString::to_string)
}

/// A token vector: checks the expectation, then records it.
#[allow(clippy::too_many_arguments)]
fn token_vector(
    out: &mut Vectors,
    name: &str,
    about: &str,
    expect: &str,
    now: u64,
    presenter: Option<&PublicId>,
    secret: &ShareSecret,
    token: &[u8],
    grant: Option<&Grant>,
) {
    let got = open_token(token, now, presenter, secret);
    match (&got, expect) {
        (Ok((t, claims)), "ok") => {
            let g = grant.expect("a valid vector names its grant");
            assert_eq!(t.body(), &g.body(&g.share()), "{name}");
            assert_eq!(claims, &g.claims(), "{name}");
        }
        (Err(kind), _) => assert_eq!(*kind, expect, "{name}"),
        (Ok(_), _) => panic!("{name}: expected {expect}, but the token is valid"),
    }
    let mut v = Vector::new(name, "token", expect, about);
    v.set("now", now)
        .set("presenter", presenter_text(presenter))
        .set("secret", hex(secret.expose()))
        .set("token", hex(token));
    if expect == "ok" {
        grant
            .expect("a valid vector names its grant")
            .expected(&mut v);
    }
    out.add(&v);
}

/// The relay that answers every open vector.
fn relay() -> Identity {
    Identity::from_seed(Role::Relay, &key("relay"))
}

/// The receipt a genuine relay gives for the first use of `grant`'s
/// token over `share`, to the presenter the grant names.
fn receipt_for(grant: &Grant, share: &[u8]) -> Receipt {
    Receipt {
        origin: ORIGIN.into(),
        token_id: grant.secret.token_id(),
        use_number: 1,
        max_uses: grant.max_uses,
        at: NOW,
        agency: grant.audience.map(|a| *a.key_bytes()),
        payload_hash: crypto::sha256(&[share]),
    }
}

/// The relay's answer: `token`, `share`, and `receipt` signed by the relay.
fn answer(token: &[u8], share: &[u8], receipt: &[u8]) -> Answer {
    let relay = relay();
    let sig = relay
        .signing_key()
        .sign(&[RECEIPT_LABEL, receipt].concat())
        .to_bytes();
    Answer {
        token: token.to_vec(),
        share: share.to_vec(),
        receipt: receipt.to_vec(),
        receipt_signature: sig,
        relay: relay.public(),
    }
}

/// What the agency opens, and as whom: the answer, the presenter and
/// the clock of an open vector.
struct Opening {
    answer: Answer,
    presenter: Option<PublicId>,
    now: u64,
}

impl Opening {
    /// A genuine relay's answer with `grant`'s token over `signed`, the
    /// share bytes `share`, opened by the grant's audience at [`NOW`].
    fn of(grant: &Grant, token: &[u8], share: &[u8]) -> Self {
        Self {
            answer: answer(token, share, &format::encode(&receipt_for(grant, share))),
            presenter: grant.audience,
            now: NOW,
        }
    }
}

/// An open vector: the relay's answer for `grant`'s link, opened with
/// vault-core's one open path; checks the expectation, then records it.
fn open_vector(
    out: &mut Vectors,
    name: &str,
    about: &str,
    expect: &str,
    grant: &Grant,
    o: Opening,
) {
    let link = ShareLink::new(ORIGIN, grant.secret.clone()).expect("the vector origin is valid");
    let got = open_received(o.answer.clone(), &link, o.presenter.as_ref(), o.now);
    match (&got, expect) {
        (Ok(r), "ok") => {
            assert_eq!(r.manifest, grant.manifest(), "{name}");
            let mut reader = r.entries().expect("entries of a valid share");
            for (e, (p, k, data)) in r.manifest.entries.iter().zip(&grant.fields) {
                let mut buf = Vec::new();
                reader.copy_entry(e.len, &mut buf).expect("an entry");
                assert_eq!((&e.path, &e.kind, &buf), (p, k, data), "{name}");
            }
        }
        (Err(e), _) => assert_eq!(e.kind(), expect, "{name}"),
        (Ok(_), _) => panic!("{name}: expected {expect}, but the answer opens"),
    }
    let a = &o.answer;
    let mut v = Vector::new(name, "open", expect, about);
    v.set("now", o.now)
        .set("presenter", presenter_text(o.presenter.as_ref()))
        .set("link", link.to_text().as_str())
        .set("token", hex(&a.token))
        .set("share", hex(&a.share))
        .set("receipt", hex(&a.receipt))
        .set("receipt_signature", hex(&a.receipt_signature))
        .set("relay", a.relay);
    if expect == "ok" {
        v.note("");
        v.note("The consent text in the manifest (its SHA-256 is the claims' consent_hash):");
        for line in grant.consent_text().lines() {
            v.note(&format!("  | {line}"));
        }
        v.set("consent_text", hex(grant.consent_text().as_bytes()));
        for (p, k, data) in &grant.fields {
            let data = if data.is_empty() {
                "-".into()
            } else {
                hex(data)
            };
            let len = grant.fields_len(p);
            v.set(
                "entry",
                match k {
                    EntryKind::Text => format!("{p} text {len} {data}"),
                    EntryKind::Document => format!("{p} document {len} {data}"),
                    EntryKind::NamedDocument { name, media_type } => format!(
                        "{p} named_document {len} {data} {} {media_type}",
                        hex(name.as_bytes())
                    ),
                },
            );
        }
    }
    out.add(&v);
}

/// An open vector with a genuine relay's answer: `grant`'s token `token`
/// and the share bytes `share` given to the agency.
fn share_vector(
    out: &mut Vectors,
    name: &str,
    about: &str,
    expect: &str,
    grant: &Grant,
    token: &[u8],
    share: &[u8],
) {
    open_vector(
        out,
        name,
        about,
        expect,
        grant,
        Opening::of(grant, token, share),
    );
}

impl Grant {
    fn fields_len(&self, p: &FieldPath) -> usize {
        self.fields
            .iter()
            .find(|f| &f.0 == p)
            .map_or(0, |f| f.2.len())
    }
}

// ---------------------------------------------------------------------------
// Token vectors.

fn token_vectors(out: &mut Vectors) {
    let a = agency("A").public();
    let b = agency("B").public();

    // --- valid tokens -----------------------------------------------------
    let g = Grant::to_agency("token_ok_audience");
    token_vector(
        out,
        "token_ok_audience",
        "A valid token bound to one agency (agency A), presented by agency A\n\
         within its window. The secret opens the sealed claims. The issuer is\n\
         the survivor's pairwise key for agency A (context 0x01 ‖ agency A's key).",
        "ok",
        NOW,
        Some(&a),
        &g.secret,
        &g.token(),
        Some(&g),
    );

    let g = Grant::to_anyone("token_ok_anyone");
    token_vector(
        out,
        "token_ok_anyone",
        "A valid token with no audience (whoever holds the link may redeem it),\n\
         presented by no agency. Its issuer is a fresh pairwise key (context\n\
         0x02 ‖ 32 random bytes).",
        "ok",
        NOW,
        None,
        &g.secret,
        &g.token(),
        Some(&g),
    );

    let g = Grant::to_anyone("token_ok_anyone_any_presenter");
    token_vector(
        out,
        "token_ok_anyone_any_presenter",
        "A token with no audience accepts any presenter: here agency B.",
        "ok",
        NOW,
        Some(&b),
        &g.secret,
        &g.token(),
        Some(&g),
    );

    let g = Grant::to_agency("token_ok_at_exact_not_before");
    token_vector(
        out,
        "token_ok_at_exact_not_before",
        "now == not_before: the first second of the window is inside it\n\
         (not_before is inclusive).",
        "ok",
        g.not_before,
        Some(&a),
        &g.secret,
        &g.token(),
        Some(&g),
    );

    let g = Grant::to_agency("token_ok_last_second");
    token_vector(
        out,
        "token_ok_last_second",
        "now == expires - 1: the last second of the window is inside it.",
        "ok",
        g.expires - 1,
        Some(&a),
        &g.secret,
        &g.token(),
        Some(&g),
    );

    let mut g = Grant::to_anyone("token_ok_at_limits");
    g.max_uses = token::MAX_USES;
    g.not_before = NOW - DAY;
    g.expires = g.not_before + token::MAX_VALIDITY_SECS;
    token_vector(
        out,
        "token_ok_at_limits",
        "Every limit at its largest allowed value: max_uses = 1000 and a\n\
         window of exactly 90 days (7776000 seconds).",
        "ok",
        NOW,
        None,
        &g.secret,
        &g.token(),
        Some(&g),
    );

    let mut g = Grant::to_agency("token_ok_non_ascii_purpose");
    g.purpose = "Demande de logement — hébergement d’urgence".into();
    g.scope = scope("needs.housing,identity.*");
    g.fields.push((
        path("identity.pronouns"),
        EntryKind::Text,
        b"she/her".to_vec(),
    ));
    g.fields.sort_by(|x, y| x.0.cmp(&y.0));
    token_vector(
        out,
        "token_ok_non_ascii_purpose",
        "A purpose in UTF-8 with non-ASCII characters (its length is counted\n\
         in bytes), and a scope mixing fields and prefixes: the canonical\n\
         order puts every exact field (sorted) before every prefix (sorted),\n\
         which is not plain string order.",
        "ok",
        NOW,
        Some(&a),
        &g.secret,
        &g.token(),
        Some(&g),
    );

    // --- time window --------------------------------------------------------
    let g = Grant::to_agency("token_expired");
    token_vector(
        out,
        "token_expired",
        "now is an hour after expires.",
        "expired",
        g.expires + HOUR,
        Some(&a),
        &g.secret,
        &g.token(),
        None,
    );

    let g = Grant::to_agency("token_expired_at_exact_expiry");
    token_vector(
        out,
        "token_expired_at_exact_expiry",
        "now == expires: expires is the first second after the window\n\
         (exclusive), so the token is already expired.",
        "expired",
        g.expires,
        Some(&a),
        &g.secret,
        &g.token(),
        None,
    );

    let g = Grant::to_agency("token_not_yet_valid");
    token_vector(
        out,
        "token_not_yet_valid",
        "now == not_before - 1: one second before the window opens.",
        "not_yet_valid",
        g.not_before - 1,
        Some(&a),
        &g.secret,
        &g.token(),
        None,
    );

    // --- audience -----------------------------------------------------------
    let g = Grant::to_agency("token_wrong_audience");
    token_vector(
        out,
        "token_wrong_audience",
        "A token for agency A presented by agency B.",
        "wrong_audience",
        NOW,
        Some(&b),
        &g.secret,
        &g.token(),
        None,
    );

    let g = Grant::to_agency("token_audience_missing_presenter");
    token_vector(
        out,
        "token_audience_missing_presenter",
        "A token for agency A presented by nobody: a token with an audience\n\
         refuses a missing presenter.",
        "wrong_audience",
        NOW,
        None,
        &g.secret,
        &g.token(),
        None,
    );

    let g = Grant::to_agency("token_audience_presenter_not_agency");
    let advocate = PublicId::new(Role::Advocate, &a.verifying_key());
    token_vector(
        out,
        "token_audience_presenter_not_agency",
        "The presenter has agency A's key but the advocate role (advocate1…):\n\
         the audience must be matched by an agency id, not only by key bytes.",
        "wrong_audience",
        NOW,
        Some(&advocate),
        &g.secret,
        &g.token(),
        None,
    );

    // --- limits (all signed correctly) ---------------------------------------
    let g = Grant::to_agency("token_zero_uses");
    token_vector(
        out,
        "token_zero_uses",
        "max_uses = 0, correctly signed: a token must allow at least one use.",
        "bad_uses",
        NOW,
        Some(&a),
        &g.secret,
        &g.token_edited(|b| b.max_uses = 0),
        None,
    );

    let g = Grant::to_agency("token_too_many_uses");
    token_vector(
        out,
        "token_too_many_uses",
        "max_uses = 1001, correctly signed: at most 1000 uses.",
        "bad_uses",
        NOW,
        Some(&a),
        &g.secret,
        &g.token_edited(|b| b.max_uses = token::MAX_USES + 1),
        None,
    );

    let g = Grant::to_agency("token_never_expires");
    token_vector(
        out,
        "token_never_expires",
        "expires = 2^64 - 1, correctly signed: no consent lasts for ever; the\n\
         window is longer than 90 days.",
        "too_long",
        NOW,
        Some(&a),
        &g.secret,
        &g.token_edited(|b| b.expires = u64::MAX),
        None,
    );

    let g = Grant::to_agency("token_too_long");
    token_vector(
        out,
        "token_too_long",
        "expires - not_before = 90 days + 1 second, correctly signed.",
        "too_long",
        NOW,
        Some(&a),
        &g.secret,
        &g.token_edited(|b| b.expires = b.not_before + token::MAX_VALIDITY_SECS + 1),
        None,
    );

    let g = Grant::to_agency("token_share_too_small");
    token_vector(
        out,
        "token_share_too_small",
        "payload_len = 4111, correctly signed: the smallest real sealed share is\n\
         4112 bytes (4096 padded bytes and one 16-byte tag), so no share is\n\
         smaller. A limit: checked before the signature.",
        "bad_length",
        NOW,
        Some(&a),
        &g.secret,
        &g.token_edited(|b| b.payload_len = token::MIN_PAYLOAD_LEN - 1),
        None,
    );

    let g = Grant::to_agency("token_empty_share");
    token_vector(
        out,
        "token_empty_share",
        "payload_len = 0 and payload_hash = SHA-256 of nothing, correctly\n\
         signed: a token for an empty share names no share at all.",
        "bad_length",
        NOW,
        Some(&a),
        &g.secret,
        &g.token_edited(|b| {
            b.payload_len = 0;
            b.payload_hash = crypto::sha256(&[]);
        }),
        None,
    );

    let g = Grant::to_agency("token_ends_before_start");
    token_vector(
        out,
        "token_ends_before_start",
        "expires < not_before, correctly signed.",
        "bad_window",
        NOW,
        Some(&a),
        &g.secret,
        &g.token_edited(|b| b.expires = b.not_before - 1),
        None,
    );

    let g = Grant::to_agency("token_empty_window");
    token_vector(
        out,
        "token_empty_window",
        "expires == not_before, correctly signed: the window holds no second.",
        "bad_window",
        NOW,
        Some(&a),
        &g.secret,
        &g.token_edited(|b| b.expires = b.not_before),
        None,
    );

    let g = Grant::to_agency("token_limits_before_signature");
    let mut t = g.token_edited(|b| b.max_uses = 0);
    *t.last_mut().expect("a token has a signature") ^= 0x01;
    token_vector(
        out,
        "token_limits_before_signature",
        "max_uses = 0 and a broken signature: the limits are checked before\n\
         the signature, so the answer is bad_uses.",
        "bad_uses",
        NOW,
        Some(&a),
        &g.secret,
        &t,
        None,
    );

    // --- signatures and keys ------------------------------------------------
    let g = Grant::to_agency("token_bad_signature");
    let mut t = g.token();
    let n = t.len();
    t[n - 64] ^= 0x01;
    token_vector(
        out,
        "token_bad_signature",
        "A valid token with the lowest bit of the signature's first byte\n\
         flipped.",
        "bad_signature",
        NOW,
        Some(&a),
        &g.secret,
        &t,
        None,
    );

    let g = Grant::to_agency("token_changed_after_signing");
    let body = g.body(&g.share());
    let mut fields = body_fields(&body);
    fields[5] = format::encode(&2u32);
    let signed = token::sign_body(&g.issuer(), &body);
    let t = [&signed[..5], &fields.concat(), &signed[signed.len() - 64..]].concat();
    assert_eq!(t.len(), signed.len());
    token_vector(
        out,
        "token_changed_after_signing",
        "A valid token whose max_uses was changed from 1 to 2 after signing\n\
         (the signature is the original one).",
        "bad_signature",
        NOW,
        Some(&a),
        &g.secret,
        &t,
        None,
    );

    let g = Grant::to_agency("token_signed_by_other_key");
    let other = Identity::from_seed(Role::Survivor, &key("other signer"));
    token_vector(
        out,
        "token_signed_by_other_key",
        "The body names the survivor's pairwise key as issuer, but the\n\
         signature was made with another key.",
        "bad_signature",
        NOW,
        Some(&a),
        &g.secret,
        &token::sign_body(&other, &g.body(&g.share())),
        None,
    );

    let g = Grant::to_agency("token_weak_issuer_key");
    let mut body = g.body(&g.share());
    body.issuer = identity_point();
    let framed = format::frame(token::MAGIC, token::VERSION, &body);
    let mut sig = [0u8; 64];
    // R = the base point B (0x58 followed by 31 bytes 0x66), s = 1.
    sig[0] = 0x58;
    sig[1..32].fill(0x66);
    sig[32] = 1;
    let weak = VerifyingKey::from_bytes(&identity_point()).expect("the neutral element decodes");
    let msg = signed_message(&framed);
    assert!(weak.is_weak());
    assert!(
        weak.verify(&msg, &Signature::from_bytes(&sig)).is_ok(),
        "a non-strict verifier accepts (R = B, s = 1) under the neutral element"
    );
    let t = [framed, sig.to_vec()].concat();
    token_vector(
        out,
        "token_weak_issuer_key",
        "The issuer key is the neutral element (0x01 followed by 31 zero\n\
         bytes), a point of small order. With it, R = B and s = 1 \"verify\"\n\
         for every message under a non-strict Ed25519 check, which is what\n\
         this token carries. Weak keys are refused before the signature.",
        "bad_key",
        NOW,
        Some(&a),
        &g.secret,
        &t,
        None,
    );

    let g = Grant::to_agency("token_issuer_not_a_point");
    let not_a_point = (2u8..=255)
        .map(|y| {
            let mut k = [0u8; 32];
            k[0] = y;
            k
        })
        .find(|k| VerifyingKey::from_bytes(k).is_err())
        .expect("some small y is not on the curve");
    let t = g.token_edited(|b| b.issuer = not_a_point);
    token_vector(
        out,
        "token_issuer_not_a_point",
        &format!(
            "The issuer key does not decode to a curve point (y = {}, no x\n\
             satisfies the curve equation). The signature bytes are the\n\
             honest issuer's.",
            not_a_point[0]
        ),
        "bad_key",
        NOW,
        Some(&a),
        &g.secret,
        &t,
        None,
    );

    let g = Grant::to_agency("token_small_order_r");
    let framed = format::frame(token::MAGIC, token::VERSION, &g.body(&g.share()));
    let msg = signed_message(&framed);
    let sig = small_order_r_signature(&g.issuer(), &msg);
    let vk = g.issuer().public().verifying_key();
    assert!(
        vk.verify(&msg, &Signature::from_bytes(&sig)).is_ok(),
        "a non-strict verifier accepts R = neutral element"
    );
    assert!(vk
        .verify_strict(&msg, &Signature::from_bytes(&sig))
        .is_err());
    token_vector(
        out,
        "token_small_order_r",
        "A signature by the right key whose R is the neutral element (small\n\
         order), s = k·a mod ℓ. The non-strict equation [s]B = R + [k]A holds;\n\
         strict verification refuses an R of small order.",
        "bad_signature",
        NOW,
        Some(&a),
        &g.secret,
        &[framed, sig.to_vec()].concat(),
        None,
    );

    let g = Grant::to_agency("token_non_canonical_s");
    let t = g.token();
    let split = t.len() - 64;
    let t2 = [
        &t[..split],
        &t[split..split + 32],
        &non_canonical_s(&t[split..])[32..],
    ]
    .concat();
    token_vector(
        out,
        "token_non_canonical_s",
        "A valid token whose signature scalar s was replaced by s + ℓ: the\n\
         same signature in the group, but s is not below ℓ (malleability).",
        "bad_signature",
        NOW,
        Some(&a),
        &g.secret,
        &t2,
        None,
    );

    // --- framing and encoding -------------------------------------------------
    let g = Grant::to_agency("token_trailing_bytes");
    let mut t = g.token();
    t.push(0);
    token_vector(
        out,
        "token_trailing_bytes",
        "A valid token with one zero byte appended after the signature.",
        "trailing_bytes",
        NOW,
        Some(&a),
        &g.secret,
        &t,
        None,
    );

    let g = Grant::to_agency("token_truncated");
    let mut t = g.token();
    t.pop();
    token_vector(
        out,
        "token_truncated",
        "A valid token without the last byte of its signature.",
        "malformed",
        NOW,
        Some(&a),
        &g.secret,
        &t,
        None,
    );

    let g = Grant::to_agency("token_truncated_body");
    let t = g.token()[..100].to_vec();
    token_vector(
        out,
        "token_truncated_body",
        "The first 100 bytes of a valid token: the body ends early.",
        "malformed",
        NOW,
        Some(&a),
        &g.secret,
        &t,
        None,
    );

    let g = Grant::to_agency("token_magic_only");
    token_vector(
        out,
        "token_magic_only",
        "Only the magic \"SVCT\", no version byte.",
        "malformed",
        NOW,
        Some(&a),
        &g.secret,
        token::MAGIC,
        None,
    );

    let g = Grant::to_agency("token_unknown_version");
    let mut t = g.token();
    t[4] = 2;
    token_vector(
        out,
        "token_unknown_version",
        "A valid token with its version byte changed from 0x01 to 0x02.",
        "unknown_version",
        NOW,
        Some(&a),
        &g.secret,
        &t,
        None,
    );

    let g = Grant::to_agency("token_bad_magic");
    let mut t = g.token();
    t[..4].copy_from_slice(b"SVCX");
    token_vector(
        out,
        "token_bad_magic",
        "A valid token whose magic reads \"SVCX\" instead of \"SVCT\".",
        "bad_magic",
        NOW,
        Some(&a),
        &g.secret,
        &t,
        None,
    );

    let g = Grant::to_agency("token_non_canonical_varint");
    let body = g.body(&g.share());
    let mut fields = body_fields(&body);
    fields[3] = overlong_varint(&fields[3]);
    token_vector(
        out,
        "token_non_canonical_varint",
        "not_before written as a varint one byte longer than needed (the last\n\
         byte gets its continuation bit and a 0x00 byte follows). It decodes\n\
         to the same number, and the signature covers these exact bytes, but\n\
         a value has exactly one valid encoding.",
        "non_canonical",
        NOW,
        Some(&a),
        &g.secret,
        &sign_raw(&g.issuer(), &fields.concat()),
        None,
    );

    let g = Grant::to_agency("token_bad_option_tag");
    let body = g.body(&g.share());
    let mut fields = body_fields(&body);
    fields[2][0] = 2;
    token_vector(
        out,
        "token_bad_option_tag",
        "The audience's Option tag is 0x02 (only 0x00 = none and 0x01 = some\n\
         exist), correctly signed.",
        "malformed",
        NOW,
        Some(&a),
        &g.secret,
        &sign_raw(&g.issuer(), &fields.concat()),
        None,
    );

    let g = Grant::to_agency("token_claims_length_past_end");
    let body = g.body(&g.share());
    let mut fields = body_fields(&body);
    fields[8] = [format::encode(&300u64), body.sealed_claims.clone()].concat();
    token_vector(
        out,
        "token_claims_length_past_end",
        "sealed_claims announces 300 bytes, but only the 272 sealed bytes and\n\
         the 64-byte signature follow (the body cannot be decoded in full: 300\n\
         bytes run into the signature, leaving fewer than 64).",
        "malformed",
        NOW,
        Some(&a),
        &g.secret,
        &sign_raw(&g.issuer(), &fields.concat()),
        None,
    );

    // --- the secret and the sealed claims -------------------------------------
    let g = Grant::to_agency("token_wrong_secret");
    token_vector(
        out,
        "token_wrong_secret",
        "A valid token opened with the secret of another share: the secret\n\
         does not derive this token id.",
        "wrong_secret",
        NOW,
        Some(&a),
        &secret("some other share"),
        &g.token(),
        None,
    );

    let g = Grant::to_agency("token_tampered_sealed_claims");
    let t = g.token_edited(|b| b.sealed_claims[10] ^= 0x80);
    token_vector(
        out,
        "token_tampered_sealed_claims",
        "One bit of the sealed claims flipped, then signed again by the\n\
         issuer: the signature holds, the AEAD tag does not.",
        "wrong_secret",
        NOW,
        Some(&a),
        &g.secret,
        &t,
        None,
    );

    let g = Grant::to_agency("token_claims_wrong_aad");
    let wrong_id = secret("some other share").token_id();
    let sealed = seal_claims_raw(
        &g.secret,
        &wrong_id,
        pad_claims(format::encode(&g.claims())),
    );
    token_vector(
        out,
        "token_claims_wrong_aad",
        "Claims sealed under the right claims key but with another token id\n\
         in the associated data, correctly signed.",
        "wrong_secret",
        NOW,
        Some(&a),
        &g.secret,
        &g.token_edited(|b| b.sealed_claims = sealed),
        None,
    );

    let g = Grant::to_agency("token_claims_nonzero_padding");
    let mut plain = pad_claims(format::encode(&g.claims()));
    *plain.last_mut().expect("claims are padded") = 1;
    let sealed = seal_claims_raw(&g.secret, &g.secret.token_id(), plain);
    token_vector(
        out,
        "token_claims_nonzero_padding",
        "The last padding byte of the claims is 0x01 instead of 0x00\n\
         (sealed and signed correctly).",
        "malformed",
        NOW,
        Some(&a),
        &g.secret,
        &g.token_edited(|b| b.sealed_claims = sealed),
        None,
    );

    let g = Grant::to_agency("token_claims_overpadded");
    let mut plain = format::encode(&g.claims());
    plain.resize(2 * token::CLAIMS_BLOCK, 0);
    let sealed = seal_claims_raw(&g.secret, &g.secret.token_id(), plain);
    token_vector(
        out,
        "token_claims_overpadded",
        "Claims that fit in 256 bytes padded with zeros to 512: padding goes\n\
         to the next multiple of 256 and no further.",
        "malformed",
        NOW,
        Some(&a),
        &g.secret,
        &g.token_edited(|b| b.sealed_claims = sealed),
        None,
    );

    let g = Grant::to_agency("token_claims_unpadded");
    let sealed = seal_claims_raw(&g.secret, &g.secret.token_id(), format::encode(&g.claims()));
    token_vector(
        out,
        "token_claims_unpadded",
        "Claims sealed without any padding.",
        "malformed",
        NOW,
        Some(&a),
        &g.secret,
        &g.token_edited(|b| b.sealed_claims = sealed),
        None,
    );

    let mut g = Grant::to_agency("token_claims_scope_not_canonical");
    g.scope = scope("needs.housing,needs.*");
    let mut strings = g.scope.to_strings();
    assert_eq!(strings, ["needs.housing", "needs.*"]);
    strings.sort();
    let plain = format::encode(&(strings, g.purpose.clone(), g.claims().consent_hash));
    let sealed = seal_claims_raw(&g.secret, &g.secret.token_id(), pad_claims(plain));
    token_vector(
        out,
        "token_claims_scope_not_canonical",
        "The scope [\"needs.*\", \"needs.housing\"] in plain string order. The\n\
         canonical order is exact fields first, then prefixes:\n\
         [\"needs.housing\", \"needs.*\"].",
        "malformed",
        NOW,
        Some(&a),
        &g.secret,
        &g.token_edited(|b| b.sealed_claims = sealed),
        None,
    );

    let g = Grant::to_agency("token_claims_non_canonical_varint");
    let c = g.claims();
    let plain = [
        format::encode(&c.scope),
        overlong_varint(&format::encode(&(c.purpose.len() as u64))),
        c.purpose.as_bytes().to_vec(),
        c.consent_hash.to_vec(),
    ]
    .concat();
    let sealed = seal_claims_raw(&g.secret, &g.secret.token_id(), pad_claims(plain));
    token_vector(
        out,
        "token_claims_non_canonical_varint",
        "The purpose's length written as a two-byte varint (0x93 0x00 for 19)\n\
         inside correctly sealed, padded and signed claims.",
        "non_canonical",
        NOW,
        Some(&a),
        &g.secret,
        &g.token_edited(|b| b.sealed_claims = sealed),
        None,
    );

    let g = Grant::to_agency("token_claims_purpose_too_long");
    let mut long = String::new();
    while long.len() < token::MAX_PURPOSE_LEN + 1 {
        long.push_str("To support my application for housing. ");
    }
    long.truncate(token::MAX_PURPOSE_LEN + 1);
    let c = Claims {
        purpose: long,
        ..g.claims()
    };
    let sealed = seal_claims_raw(
        &g.secret,
        &g.secret.token_id(),
        pad_claims(format::encode(&c)),
    );
    token_vector(
        out,
        "token_claims_purpose_too_long",
        "A purpose of 501 bytes (the limit is 500), correctly sealed, padded\n\
         and signed.",
        "malformed",
        NOW,
        Some(&a),
        &g.secret,
        &g.token_edited(|b| b.sealed_claims = sealed),
        None,
    );
}

// ---------------------------------------------------------------------------
// Share vectors.

/// A grant with a text field and a small document, for agency A.
fn document_grant(name: &str) -> Grant {
    let mut g = Grant::to_agency(name);
    g.scope = scope("identity.name,documents.*");
    g.purpose = "Proof of identity for the tenancy".into();
    let mut doc = b"%PDF-1.4\n% passport scan (test vector)\n".to_vec();
    doc.extend((0u32..200).map(|i| (i.wrapping_mul(37) % 251) as u8));
    g.fields = vec![
        (path("documents.passport"), EntryKind::Document, doc),
        (
            path("identity.name"),
            EntryKind::Text,
            b"Ama Mensah".to_vec(),
        ),
    ];
    g
}

fn open_vectors(out: &mut Vectors) {
    let g = document_grant("open_ok_text_and_document");
    let share = g.share();
    share_vector(
        out,
        "open_ok_text_and_document",
        "A sealed share with a document and a text field, for agency A. The\n\
         share is one chunk: 4096 bytes of padded plaintext and a 16-byte tag.",
        "ok",
        &g,
        &g.token_for(&share),
        &share,
    );

    let g = named_document_grant("open_ok_named_document", "Pasaporte de María.pdf");
    let share = g.share();
    share_vector(
        out,
        "open_ok_named_document",
        "A share with a document that carries its original file name and\n\
         media type (EntryKind variant 2, NamedDocument), and a text field.\n\
         The name is UTF-8 with spaces; the entry line gives it in hex after\n\
         the contents, then the media type.",
        "ok",
        &g,
        &g.token_for(&share),
        &share,
    );

    let mut g = Grant::to_anyone("open_ok_anyone");
    g.scope = scope("needs.*");
    g.fields = vec![
        (path("needs.childcare"), EntryKind::Text, Vec::new()),
        (
            path("needs.health"),
            EntryKind::Text,
            b"Asthma; I use an inhaler twice a day.".to_vec(),
        ),
    ];
    let share = g.share();
    share_vector(
        out,
        "open_ok_anyone",
        "A share for whoever holds the link, with a prefix scope (needs.*) and\n\
         an empty text entry (its contents are written as \"-\").",
        "ok",
        &g,
        &g.token_for(&share),
        &share,
    );

    let g = document_grant("open_tampered_chunk");
    let mut share = g.share();
    share[100] ^= 0x01;
    share_vector(
        out,
        "open_tampered_chunk",
        "One bit of the sealed chunk flipped; the token signs the changed\n\
         bytes, so only the AEAD tag catches it.",
        "bad_share",
        &g,
        &g.token_for(&share),
        &share,
    );

    let g = document_grant("open_truncated");
    let mut share = g.share();
    share.truncate(share.len() - 16);
    share_vector(
        out,
        "open_truncated",
        "The share without its last 16 bytes (the tag); the token signs the\n\
         shorter bytes. 4096 sealed bytes cannot be a share (one chunk of\n\
         4080 plaintext bytes is not a Padmé length), and a token naming\n\
         fewer than 4112 is refused before the share is looked at.",
        "bad_length",
        &g,
        &g.token_for(&share),
        &share,
    );

    let g = document_grant("open_wrong_secret");
    let other = secret("open_wrong_secret/other");
    let share = seal_share(&other, &other.token_id(), &g.plaintext(), true);
    share_vector(
        out,
        "open_wrong_secret",
        "The plaintext sealed under another share secret's payload key (with\n\
         that secret's token id as associated data); the token and claims\n\
         belong to this vector's secret and sign the bytes.",
        "bad_share",
        &g,
        &g.token_for(&share),
        &share,
    );

    let g = document_grant("open_wrong_aad");
    let share = seal_share(
        &g.secret,
        &secret("open_wrong_aad/other").token_id(),
        &g.plaintext(),
        true,
    );
    share_vector(
        out,
        "open_wrong_aad",
        "The plaintext sealed under the right payload key, but with another\n\
         token id as associated data; the token signs the bytes.",
        "bad_share",
        &g,
        &g.token_for(&share),
        &share,
    );

    let g = document_grant("open_hash_mismatch");
    let signed = g.share();
    let mut share = signed.clone();
    share[200] ^= 0x01;
    share_vector(
        out,
        "open_hash_mismatch",
        "The token signs the SHA-256 of the original share; the bytes given\n\
         differ in one bit (same length).",
        "not_signed",
        &g,
        &g.token_for(&signed),
        &share,
    );

    let g = document_grant("open_length_mismatch");
    let share = g.share();
    let t = g.token_edited(|b| b.payload_len += 16);
    share_vector(
        out,
        "open_length_mismatch",
        "The token signs the share's SHA-256 but a payload_len 16 bytes\n\
         longer than the share.",
        "not_signed",
        &g,
        &t,
        &share,
    );

    let mut g = document_grant("open_out_of_scope");
    g.scope = scope("identity.name");
    let share = g.share();
    share_vector(
        out,
        "open_out_of_scope",
        "The share holds documents.passport, but the signed scope covers only\n\
         identity.name.",
        "out_of_scope",
        &g,
        &g.token_for(&share),
        &share,
    );

    let g = document_grant("open_consent_mismatch");
    let share = g.share();
    let mut claims = g.claims();
    claims.consent_hash = token::consent_hash("A different text the survivor never saw.\n");
    let sealed = token::seal_claims(&g.secret, &claims);
    let t = g.token_edited(|b| b.sealed_claims = sealed);
    share_vector(
        out,
        "open_consent_mismatch",
        "The consent text in the share is not the one whose SHA-256 the\n\
         sealed claims carry.",
        "consent_mismatch",
        &g,
        &t,
        &share,
    );

    let g = document_grant("open_nonzero_padding");
    let mut plain = g.plaintext();
    *plain.last_mut().expect("a share has padding") = 1;
    let share = seal_share(&g.secret, &g.secret.token_id(), &plain, true);
    share_vector(
        out,
        "open_nonzero_padding",
        "The last padding byte of the plaintext is 0x01; sealed and signed\n\
         correctly.",
        "bad_share",
        &g,
        &g.token_for(&share),
        &share,
    );

    let g = document_grant("open_last_flag_missing");
    let share = seal_share(&g.secret, &g.secret.token_id(), &g.plaintext(), false);
    share_vector(
        out,
        "open_last_flag_missing",
        "The only chunk sealed with the last-chunk flag 0x00 in its nonce.",
        "bad_share",
        &g,
        &g.token_for(&share),
        &share,
    );

    let g = document_grant("open_not_padme_length");
    let mut plain = g.plaintext();
    plain.resize(4100, 0);
    let share = seal_share(&g.secret, &g.secret.token_id(), &plain, true);
    share_vector(
        out,
        "open_not_padme_length",
        "4100 bytes of plaintext: not a Padmé length (4096 is, and then 4352).",
        "bad_share",
        &g,
        &g.token_for(&share),
        &share,
    );

    let g = document_grant("open_below_minimum");
    let mut plain = g.plaintext();
    let content =
        4 + format::encode(&g.manifest()).len() + g.fields.iter().map(|f| f.2.len()).sum::<usize>();
    plain.truncate(content.div_ceil(256) * 256);
    let share = seal_share(&g.secret, &g.secret.token_id(), &plain, true);
    share_vector(
        out,
        "open_below_minimum",
        &format!(
            "The plaintext padded to {} bytes only: shares are at least 4096\n\
             (4112 sealed), so the token that signs it is refused as a limit.",
            plain.len()
        ),
        "bad_length",
        &g,
        &g.token_for(&share),
        &share,
    );

    let g = document_grant("open_entries_past_end");
    let mut m = g.manifest();
    m.entries[0].len = 5000;
    let mb = format::encode(&m);
    let mut plain = (mb.len() as u32).to_be_bytes().to_vec();
    plain.extend_from_slice(&mb);
    plain.resize(4096, 0x41);
    let share = seal_share(&g.secret, &g.secret.token_id(), &plain, true);
    share_vector(
        out,
        "open_entries_past_end",
        "The manifest announces a 5000-byte document in a 4096-byte share.",
        "bad_share",
        &g,
        &g.token_for(&share),
        &share,
    );

    let g = document_grant("open_manifest_non_canonical");
    let m = g.manifest();
    let mut mb = format::encode(&m.consent_text);
    mb.push(m.entries.len() as u8);
    for (i, e) in m.entries.iter().enumerate() {
        mb.extend(format::encode(&e.path));
        mb.extend(format::encode(&e.kind));
        let len = format::encode(&e.len);
        // The second entry's length in one byte more than it needs.
        mb.extend(if i == 1 { overlong_varint(&len) } else { len });
    }
    let mut plain = (mb.len() as u32).to_be_bytes().to_vec();
    plain.extend_from_slice(&mb);
    for (_, _, data) in &g.fields {
        plain.extend_from_slice(data);
    }
    plain.resize(4096, 0);
    let share = seal_share(&g.secret, &g.secret.token_id(), &plain, true);
    share_vector(
        out,
        "open_manifest_non_canonical",
        "The manifest writes the second entry's length as a varint one byte\n\
         longer than needed (the be32 length prefix counts it).",
        "bad_share",
        &g,
        &g.token_for(&share),
        &share,
    );

    let g = named_document_grant("open_named_document_bad_name", "../passport.pdf");
    let share = g.share();
    share_vector(
        out,
        "open_named_document_bad_name",
        "A NamedDocument whose name is a path (\"../passport.pdf\"): a name\n\
         holds no / or \\, no control or hidden character and is at most 255\n\
         bytes, so the manifest is refused. Everything else is genuine.",
        "bad_share",
        &g,
        &g.token_for(&share),
        &share,
    );

    open_refusal_vectors(out);
}

/// [`document_grant`] with the passport carrying the file name `name`
/// (media type `application/pdf`).
fn named_document_grant(label: &str, name: &str) -> Grant {
    let mut g = document_grant(label);
    g.fields[0].1 = EntryKind::NamedDocument {
        name: name.into(),
        media_type: "application/pdf".into(),
    };
    g
}

/// An open vector for `document_grant(name)` whose receipt is edited by
/// `edit`, then signed by the relay.
fn receipt_vector(
    out: &mut Vectors,
    name: &str,
    about: &str,
    expect: &str,
    edit: impl FnOnce(&mut Receipt),
) {
    let g = document_grant(name);
    let share = g.share();
    let mut r = receipt_for(&g, &share);
    edit(&mut r);
    let o = Opening {
        answer: answer(&g.token_for(&share), &share, &format::encode(&r)),
        ..Opening::of(&g, &[], &share)
    };
    open_vector(out, name, about, expect, &g, o);
}

/// The rules of the open step beyond the share itself: the token at the
/// agency's clock and id, the token id against the link, the receipt.
fn open_refusal_vectors(out: &mut Vectors) {
    let mut g = Grant::to_anyone("open_ok_last_use");
    g.max_uses = 3;
    let share = g.share();
    let mut r = receipt_for(&g, &share);
    r.use_number = 3;
    let o = Opening {
        answer: answer(&g.token_for(&share), &share, &format::encode(&r)),
        ..Opening::of(&g, &[], &share)
    };
    open_vector(
        out,
        "open_ok_last_use",
        "The third and last use of a link anyone may open: the receipt says\n\
         use 3 of 3.",
        "ok",
        &g,
        o,
    );

    let g = document_grant("open_expired");
    let share = g.share();
    let o = Opening {
        now: g.expires,
        ..Opening::of(&g, &g.token_for(&share), &share)
    };
    open_vector(
        out,
        "open_expired",
        "Opened at the token's expiry (the agency's clock): the token step\n\
         comes first, whatever the relay answered.",
        "expired",
        &g,
        o,
    );

    let g = document_grant("open_wrong_audience");
    let share = g.share();
    let o = Opening {
        presenter: Some(agency("B").public()),
        ..Opening::of(&g, &g.token_for(&share), &share)
    };
    open_vector(
        out,
        "open_wrong_audience",
        "Agency B opens a share bound to agency A.",
        "wrong_audience",
        &g,
        o,
    );

    let g = document_grant("open_wrong_token_id");
    let mut other = g.clone();
    other.secret = secret("open_wrong_token_id/other");
    let share = other.share();
    open_vector(
        out,
        "open_wrong_token_id",
        "The relay answers with another valid token of the same survivor\n\
         for agency A, and its share, instead of the token of this link.",
        "wrong_token_id",
        &g,
        Opening {
            answer: answer(
                &other.token_for(&share),
                &share,
                &format::encode(&receipt_for(&g, &share)),
            ),
            ..Opening::of(&g, &[], &share)
        },
    );

    let g = document_grant("open_bad_receipt");
    let share = g.share();
    let mut o = Opening::of(&g, &g.token_for(&share), &share);
    let forger = Identity::from_seed(Role::Relay, &key("relay/other"));
    o.answer.receipt_signature = forger
        .signing_key()
        .sign(&[RECEIPT_LABEL, &o.answer.receipt[..]].concat())
        .to_bytes();
    open_vector(
        out,
        "open_bad_receipt",
        "The receipt is signed by another relay key than the one the answer\n\
         names.",
        "bad_receipt",
        &g,
        o,
    );

    let g = document_grant("open_malformed_receipt");
    let share = g.share();
    let mut receipt = format::encode(&receipt_for(&g, &share));
    receipt.push(0);
    open_vector(
        out,
        "open_malformed_receipt",
        "A genuine receipt with one byte after it, signed with it.",
        "malformed_answer",
        &g,
        Opening {
            answer: answer(&g.token_for(&share), &share, &receipt),
            ..Opening::of(&g, &[], &share)
        },
    );

    receipt_vector(
        out,
        "open_receipt_wrong_origin",
        "The receipt names another relay's origin than the link's.",
        "bad_receipt",
        |r| r.origin = "https://other.example.org".into(),
    );
    receipt_vector(
        out,
        "open_receipt_wrong_token_id",
        "The receipt names another token id than the link's.",
        "bad_receipt",
        |r| r.token_id = secret("open_receipt_wrong_token_id/other").token_id(),
    );
    receipt_vector(
        out,
        "open_receipt_wrong_payload_hash",
        "The receipt's payload_hash is not the SHA-256 of the share handed\n\
         over (one bit differs).",
        "bad_receipt",
        |r| r.payload_hash[0] ^= 1,
    );
    receipt_vector(
        out,
        "open_receipt_wrong_max_uses",
        "The receipt's max_uses is not the token's.",
        "bad_receipt",
        |r| r.max_uses += 1,
    );
    receipt_vector(
        out,
        "open_receipt_use_beyond_max",
        "The receipt says use 2 of a token allowed once.",
        "bad_receipt",
        |r| r.use_number = 2,
    );
    receipt_vector(
        out,
        "open_receipt_wrong_agency",
        "The token is bound to agency A; the receipt names agency B.",
        "bad_receipt",
        |r| r.agency = Some(*agency("B").public().key_bytes()),
    );
}

// ---------------------------------------------------------------------------
// Bundle vectors.

fn bundle_vectors(out: &mut Vectors) {
    let g = document_grant("bundle_ok");
    let share = g.share();
    let token = g.token_for(&share);
    let mut b = bundle::MAGIC.to_vec();
    b.push(bundle::VERSION);
    b.extend_from_slice(&(share.len() as u64).to_be_bytes());
    b.extend_from_slice(&share);
    b.extend_from_slice(&token);
    assert_eq!(bundle::split(&b), Ok((&share[..], &token[..])));
    let mut v = Vector::new(
        "bundle_ok",
        "bundle",
        "ok",
        "An upload bundle: \"SVUB\" ‖ 0x01 ‖ be64(share length) ‖ share ‖ token.\n\
         The share and token are those of a valid share (agency A).",
    );
    v.set("bundle", hex(&b))
        .set("share_len", share.len())
        .set("share_sha256", hex(&crypto::sha256(&[&share])))
        .set("token_sha256", hex(&crypto::sha256(&[&token])));
    out.add(&v);

    let small = |version: u8, len: u64, rest: &[u8]| {
        let mut b = bundle::MAGIC.to_vec();
        b.push(version);
        b.extend_from_slice(&len.to_be_bytes());
        b.extend_from_slice(rest);
        b
    };
    let cases: [(&str, &str, Vec<u8>); 4] = [
        (
            "bundle_no_token",
            "The share length covers every byte after it: no token follows.",
            small(1, 5, b"SHARE"),
        ),
        (
            "bundle_length_past_end",
            "The share length (2^32) runs past the end of the bundle.",
            small(1, 1 << 32, b"SHARETOKEN"),
        ),
        (
            "bundle_unknown_version",
            "Version byte 0x02.",
            small(2, 5, b"SHARETOKEN"),
        ),
        (
            "bundle_bad_magic",
            "Magic \"SVCT\" (a token's) instead of \"SVUB\".",
            [&b"SVCT"[..], &small(1, 5, b"SHARETOKEN")[4..]].concat(),
        ),
    ];
    for (name, about, bytes) in cases {
        assert!(bundle::split(&bytes).is_err(), "{name}");
        let mut v = Vector::new(name, "bundle", "bad_bundle", about);
        v.set("bundle", hex(&bytes));
        out.add(&v);
    }
}

// ---------------------------------------------------------------------------
// Link vectors.

fn link_vectors(out: &mut Vectors) {
    let ok = |out: &mut Vectors, name: &str, about: &str, origin: &str, text: &str| {
        let s = secret(name);
        let link = ShareLink::parse(text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(link.origin(), origin, "{name}");
        assert_eq!(link.secret().expose(), s.expose(), "{name}");
        let mut v = Vector::new(name, "link", "ok", about);
        v.set("link", text)
            .set("origin", origin)
            .set("secret", hex(s.expose()))
            .set("token_id", hex(&s.token_id()))
            .set("claims_key", hex(s.claims_key().expose()))
            .set("payload_key", hex(s.payload_key().expose()))
            .set("canonical", &*link.to_text());
        out.add(&v);
    };
    let text = |origin: &str, name: &str| -> String {
        ShareLink::new(origin, secret(name))
            .expect("vector origins are valid")
            .to_text()
            .to_string()
    };

    let t = text(ORIGIN, "link_ok_https");
    ok(
        out,
        "link_ok_https",
        "A link as vault-core writes it: upper case, https, path /S, the\n\
         secret as 52 characters of base32 without padding after #.",
        ORIGIN,
        &t,
    );

    let t = text(ORIGIN, "link_ok_lower_case").to_lowercase();
    ok(
        out,
        "link_ok_lower_case",
        "The same kind of link typed in lower case: letters may be in either\n\
         case everywhere.",
        ORIGIN,
        &t,
    );

    let t = text(ORIGIN, "link_ok_mixed_case");
    let (head, frag) = t.split_once('#').expect("a link has #");
    let mixed: String = frag
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_ascii_lowercase()
            } else {
                c
            }
        })
        .collect();
    let t = format!("https://Relay.Example.ORG/s#{mixed}");
    assert!(head.eq_ignore_ascii_case("https://relay.example.org/s"));
    ok(
        out,
        "link_ok_mixed_case",
        "Mixed case in scheme, host, path and secret.",
        ORIGIN,
        &t,
    );

    let t = text("https://relay.example.org:8443", "link_ok_with_port");
    ok(
        out,
        "link_ok_with_port",
        "An https link with an explicit port.",
        "https://relay.example.org:8443",
        &t,
    );

    let t = text("http://127.0.0.1:8080", "link_ok_loopback_http");
    ok(
        out,
        "link_ok_loopback_http",
        "http is allowed only to this machine: here 127.0.0.1.",
        "http://127.0.0.1:8080",
        &t,
    );

    let t = text("http://localhost:3000", "link_ok_localhost_http");
    ok(
        out,
        "link_ok_localhost_http",
        "http to localhost.",
        "http://localhost:3000",
        &t,
    );

    let t = text("http://[::1]:8080", "link_ok_ipv6_loopback_http");
    ok(
        out,
        "link_ok_ipv6_loopback_http",
        "http to the IPv6 loopback address [::1].",
        "http://[::1]:8080",
        &t,
    );

    let bad = |out: &mut Vectors, name: &str, about: &str, text: &str| {
        let e = ShareLink::parse(text)
            .err()
            .unwrap_or_else(|| panic!("{name}: the link parses"));
        let mut v = Vector::new(name, "link", "bad_link", about);
        v.set("link", text).set("reason", e.rule());
        out.add(&v);
    };
    let good = text(ORIGIN, "link bad");
    let (head, frag) = good.split_once('#').expect("a link has #");
    let host_and_rest = head.strip_prefix("HTTPS://").expect("upper-case https");

    bad(
        out,
        "link_bad_scheme",
        "ftp is not a share-link scheme.",
        &format!("FTP://{host_and_rest}#{frag}"),
    );
    bad(
        out,
        "link_no_scheme",
        "No scheme at all.",
        &format!("{host_and_rest}#{frag}"),
    );
    bad(
        out,
        "link_http_to_remote_host",
        "http to a machine other than this one would expose the request.",
        &format!("HTTP://{host_and_rest}#{frag}"),
    );
    bad(
        out,
        "link_http_to_lookalike_loopback",
        "127.evil.example.org is a remote name that only starts like 127.0.0.0/8;\n\
         http is allowed only to four decimal octets 127.a.b.c, localhost or [::1].",
        &format!("HTTP://127.EVIL.EXAMPLE.ORG/S#{frag}"),
    );
    bad(
        out,
        "link_port_out_of_range",
        "Ports are 1 to 65535.",
        &format!("HTTPS://RELAY.EXAMPLE.ORG:99999/S#{frag}"),
    );
    bad(
        out,
        "link_bad_base32",
        "The secret contains 0 (zero), which is not in the base32 alphabet\n\
         A–Z 2–7.",
        &format!("{head}#{}0{}", &frag[..10], &frag[11..]),
    );
    bad(
        out,
        "link_wrong_length",
        "51 characters of base32 instead of 52.",
        &format!("{head}#{}", &frag[..51]),
    );
    bad(
        out,
        "link_too_long",
        "53 characters of base32 instead of 52.",
        &format!("{head}#{frag}A"),
    );
    bad(out, "link_missing_fragment", "No # and no secret.", head);
    bad(
        out,
        "link_empty_fragment",
        "A # with nothing after it.",
        &format!("{head}#"),
    );
    bad(
        out,
        "link_wrong_path",
        "Path /T instead of /S.",
        &format!("HTTPS://RELAY.EXAMPLE.ORG/T#{frag}"),
    );
    bad(
        out,
        "link_trailing_slash",
        "Path /S/ instead of /S.",
        &format!("HTTPS://RELAY.EXAMPLE.ORG/S/#{frag}"),
    );
    bad(
        out,
        "link_no_path",
        "No path before the #.",
        &format!("HTTPS://RELAY.EXAMPLE.ORG#{frag}"),
    );
    bad(
        out,
        "link_query_string",
        "A query string after /S.",
        &format!("HTTPS://RELAY.EXAMPLE.ORG/S?X=1#{frag}"),
    );
    bad(
        out,
        "link_padding",
        "The secret followed by base32 padding (====): no padding is written\n\
         or accepted.",
        &format!("{head}#{frag}===="),
    );
    let last = frag.chars().last().expect("52 characters");
    assert!(
        last == 'A' || last == 'Q',
        "the last character carries 1 bit"
    );
    let flipped = if last == 'A' { 'B' } else { 'R' };
    bad(
        out,
        "link_nonzero_trailing_bits",
        "52 base32 characters carry 260 bits for 256: the last character's\n\
         4 low bits must be zero (it can only be A or Q). Here it is one\n\
         more (B or R).",
        &format!("{head}#{}{flipped}", &frag[..51]),
    );
    bad(
        out,
        "link_userinfo",
        "A user name before the host (user@host) is not allowed.",
        &format!("HTTPS://SOMEONE@{host_and_rest}#{frag}"),
    );
    bad(
        out,
        "link_bad_host_character",
        "An underscore is not allowed in a host name.",
        &format!("HTTPS://RELAY_1.EXAMPLE.ORG/S#{frag}"),
    );
    bad(
        out,
        "link_empty_host",
        "No host between :// and /S.",
        &format!("HTTPS:///S#{frag}"),
    );
    bad(
        out,
        "link_empty_label",
        "An empty label in the host (two dots in a row).",
        &format!("HTTPS://RELAY..EXAMPLE.ORG/S#{frag}"),
    );
    bad(
        out,
        "link_port_too_long",
        "A port of more than five digits.",
        &format!("HTTPS://RELAY.EXAMPLE.ORG:443443/S#{frag}"),
    );
}

// ---------------------------------------------------------------------------
// Backups (docs/spec/backup-format.md): a vault made by hand from the
// vault format's rules (vault-format §7–§10), with fixed keys and nonces,
// then its backup body written item by item from the backup spec and
// sealed with `BodyWriter`. Only the sealing of the body is vault-core's.

/// The labels of vault-format §8 and §9.
const LABEL_RECORD_KEY: &[u8] = b"survivor-vault/v1/record-key";
const LABEL_INDEX_KEY: &[u8] = b"survivor-vault/v1/index-key";
const LABEL_DOCUMENT_KEY: &[u8] = b"survivor-vault/v1/document-key";
const LABEL_RECORD_AAD: &[u8] = b"survivor-vault/v1/record\0";
const LABEL_FIELD_INDEX: &[u8] = b"survivor-vault/v1/field\0";
const LABEL_HEADER_AAD: &[u8] = b"survivor-vault/v1/header\0";

/// The passphrase of the backup vectors.
const BACKUP_PASSPHRASE: &[u8] = b"kettle orbit plum seven lantern";

/// vault-format §9.2, as postcard encodes it.
#[derive(serde::Serialize)]
struct RecordBody {
    path: String,
    updated: u64,
    value: RecordValue,
}

#[derive(serde::Serialize)]
enum RecordValue {
    Text(String),
    #[allow(dead_code)]
    Document {
        id: [u8; 16],
        len: u64,
    },
    NamedDocument {
        id: [u8; 16],
        len: u64,
        name: vault_core::docname::DocName,
    },
}

fn nonce12(label: &str) -> [u8; NONCE_LEN] {
    key(label)[..NONCE_LEN].try_into().expect("12 bytes")
}

/// vault-format §9: `0x01 ‖ nonce ‖ ChaCha20-Poly1305(record key, nonce,
/// label ‖ store key, plaintext)`.
fn seal_value(store_key: &[u8], plain: &[u8], nonce_label: &str) -> Vec<u8> {
    let record_key = master_key().derive(b"", &[LABEL_RECORD_KEY]).expect("HKDF");
    let nonce = nonce12(nonce_label);
    let mut buf = plain.to_vec();
    record_key
        .aead()
        .seal_in_place(nonce, &[LABEL_RECORD_AAD, store_key].concat(), &mut buf);
    [&[1u8][..], &nonce, &buf].concat()
}

/// The vault header (vault-format §7) wrapping the vectors' master key
/// under `BACKUP_PASSPHRASE`, with the test parameters.
fn backup_vault_header() -> Vec<u8> {
    use vault_core::vault::header::{HeaderBody, MAGIC, VERSION};
    let kdf = vault_core::KdfParams::INSECURE_FOR_TESTS;
    let salt = key("backup/kdf salt");
    let nonce = nonce12("backup/header nonce");
    let kek = kdf.derive(BACKUP_PASSPHRASE, &salt).expect("Argon2id");
    let mut buf = master_key().expose().to_vec();
    let aad = [LABEL_HEADER_AAD, &format::encode(&kdf), &salt].concat();
    kek.aead().seal_in_place(nonce, &aad, &mut buf);
    let body = HeaderBody {
        kdf,
        salt,
        nonce,
        wrapped: buf[..32].try_into().expect("32 bytes"),
        tag: buf[32..].try_into().expect("16 bytes"),
    };
    format::frame(MAGIC, VERSION, &body)
}

/// A field's store key: `"R" ‖ HMAC(index key, label ‖ path)`.
fn field_key(path: &str) -> Vec<u8> {
    let index = master_key().derive(b"", &[LABEL_INDEX_KEY]).expect("HKDF");
    [&b"R"[..], &index.mac(&[LABEL_FIELD_INDEX, path.as_bytes()])].concat()
}

fn field_entry(path: &str, value: RecordValue) -> (Vec<u8>, Vec<u8>) {
    let k = field_key(path);
    let body = RecordBody {
        path: path.to_string(),
        updated: NOW - DAY,
        value,
    };
    let v = seal_value(&k, &format::encode(&body), &format!("backup/nonce/{path}"));
    (k, v)
}

/// The identity and its copy (`K`, `k`): a survivor's seed.
fn identity_entries() -> Vec<(Vec<u8>, Vec<u8>)> {
    let body = format::encode(&(Role::Survivor.code(), key("backup/survivor seed")));
    [&b"K"[..], b"k"]
        .into_iter()
        .map(|k| {
            let v = seal_value(k, &body, &format!("backup/nonce/identity/{}", k[0]));
            (k.to_vec(), v)
        })
        .collect()
}

/// A document's sealed stream (vault-format §10): zeros to its padded
/// length, STREAM under HKDF(master, salt = id, document-key label).
fn sealed_document(id: &[u8; 16], data: &[u8]) -> Vec<u8> {
    let doc_key = master_key()
        .derive(id, &[LABEL_DOCUMENT_KEY])
        .expect("HKDF");
    let mut plain = data.to_vec();
    plain.resize(share::padded_len(data.len() as u64) as usize, 0);
    let mut sealer = StreamSealer::new(&doc_key);
    let chunks: Vec<&[u8]> = plain.chunks(CHUNK_SIZE).collect();
    let mut out = Vec::new();
    for (i, c) in chunks.iter().enumerate() {
        let mut buf = c.to_vec();
        sealer
            .seal_chunk(&mut buf, i + 1 == chunks.len())
            .expect("seal");
        out.extend_from_slice(&buf);
    }
    out
}

/// What a backup body holds, before it is written.
#[derive(Clone)]
struct BackupBody {
    entries: Vec<(Vec<u8>, Vec<u8>)>,
    documents: Vec<([u8; 16], Vec<u8>)>,
    made: u64,
    /// The counts the end item states.
    counts: (u32, u32),
}

impl BackupBody {
    fn new(mut entries: Vec<(Vec<u8>, Vec<u8>)>, mut documents: Vec<([u8; 16], Vec<u8>)>) -> Self {
        entries.sort();
        documents.sort();
        let counts = (entries.len() as u32, documents.len() as u32);
        Self {
            entries,
            documents,
            made: NOW,
            counts,
        }
    }

    /// The content (backup-format §5): entries, documents, the end item.
    fn content(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (k, v) in &self.entries {
            out.push(0x01);
            out.extend_from_slice(&(k.len() as u16).to_be_bytes());
            out.extend_from_slice(k);
            out.extend_from_slice(&(v.len() as u32).to_be_bytes());
            out.extend_from_slice(v);
        }
        for (id, sealed) in &self.documents {
            out.push(0x02);
            out.extend_from_slice(id);
            out.extend_from_slice(&(sealed.len() as u64).to_be_bytes());
            out.extend_from_slice(sealed);
        }
        out.push(0x00);
        out.extend_from_slice(&self.made.to_be_bytes());
        out.extend_from_slice(&self.counts.0.to_be_bytes());
        out.extend_from_slice(&self.counts.1.to_be_bytes());
        out
    }
}

/// The backup file: header, then `plain` sealed as a body of `body_len`
/// bytes (zeros after `plain`).
fn backup_file(plain: &[u8], body_len: u64) -> Vec<u8> {
    use vault_core::backup::{body_key, BodyWriter, Header};
    let header = Header {
        salt: key("backup/salt"),
        body_len,
        vault_header: backup_vault_header(),
    };
    let header_bytes = header.encode();
    let mut out = header_bytes.clone();
    let body = body_key(&master_key(), &header.salt).expect("HKDF");
    let mut w = BodyWriter::new(&body, &header, &header_bytes, &mut out);
    w.write_all(plain).expect("the body fits");
    w.finish().expect("sealed");
    out
}

/// The usual file for a body: padded to Padmé of its content.
fn backup_of(body: &BackupBody) -> Vec<u8> {
    let content = body.content();
    backup_file(&content, share::padded_len(content.len() as u64))
}

/// A refused backup vector: name, expected code, what it breaks, the file,
/// the passphrase.
type BackupCase = (
    &'static str,
    &'static str,
    &'static str,
    Vec<u8>,
    &'static [u8],
);

fn backup_vectors(out: &mut Vectors) {
    let passport = b"%PDF-1.4 a scan of a passport\n".to_vec();
    let passport_id = key("backup/document id/passport")[..16]
        .try_into()
        .expect("16 bytes");
    let empty_id: [u8; 16] = key("backup/document id/empty")[..16]
        .try_into()
        .expect("16 bytes");
    let name = vault_core::docname::DocName::new("passport scan.pdf", "application/pdf")
        .expect("a good name");
    let mut entries = identity_entries();
    entries.push(field_entry(
        "needs.housing",
        RecordValue::Text("Ground floor flat near the school".into()),
    ));
    entries.push(field_entry(
        "documents.passport",
        RecordValue::NamedDocument {
            id: passport_id,
            len: passport.len() as u64,
            name,
        },
    ));
    entries.push(field_entry(
        "documents.empty",
        RecordValue::Document {
            id: empty_id,
            len: 0,
        },
    ));
    let documents = vec![
        (passport_id, sealed_document(&passport_id, &passport)),
        (empty_id, sealed_document(&empty_id, b"")),
    ];
    let full = BackupBody::new(entries.clone(), documents.clone());
    let good = backup_of(&full);
    let survivor = Identity::from_seed(Role::Survivor, &key("backup/survivor seed"))
        .public()
        .to_string();

    let about_ok = "A survivor's vault with a text, a named document and an empty\n\
         unnamed one, backed up. The vault is made by hand from vault-format\n\
         §7–§10 (master key, seeds and nonces fixed); the body holds its\n\
         records (K, k and three R) and the two documents' sealed streams,\n\
         padded as a whole, in one chunk.";
    let mut v = Vector::new("backup_ok_text_and_documents", "backup", "ok", about_ok);
    v.set("passphrase", hex(BACKUP_PASSPHRASE))
        .set("backup", hex(&good))
        .set("identity", &survivor)
        .set("made", NOW)
        .set("entry", "documents.empty document 0 -")
        .set(
            "entry",
            format!(
                "documents.passport named_document {} {} {} application/pdf",
                passport.len(),
                hex(&passport),
                hex(b"passport scan.pdf")
            ),
        )
        .set(
            "entry",
            format!(
                "needs.housing text 33 {}",
                hex(b"Ground floor flat near the school")
            ),
        );
    add_backup(out, &v);

    let only_text = BackupBody::new(
        [
            identity_entries(),
            vec![field_entry("needs.food", RecordValue::Text("rice".into()))],
        ]
        .concat(),
        Vec::new(),
    );
    let mut v = Vector::new(
        "backup_ok_one_text",
        "backup",
        "ok",
        "The smallest vault worth a backup: the identity and one text; the\n\
         body is 4096 bytes, the least a body is padded to.",
    );
    v.set("passphrase", hex(BACKUP_PASSPHRASE))
        .set("backup", hex(&backup_of(&only_text)))
        .set("identity", &survivor)
        .set("made", NOW)
        .set("entry", format!("needs.food text 4 {}", hex(b"rice")));
    add_backup(out, &v);

    let header_len =
        good.len() - share::sealed_len(share::padded_len(full.content().len() as u64)) as usize;
    let mut cases: Vec<BackupCase> = Vec::new();
    cases.push((
        "backup_wrong_passphrase",
        "wrong_passphrase",
        "The valid backup, opened with another passphrase (H5).",
        good.clone(),
        b"kettle orbit plum seven lanterns",
    ));
    cases.push((
        "backup_bad_magic",
        "not_a_backup",
        "The valid backup with the vault header's magic \"SVLT\" instead of \"SVBK\" (H1).",
        [&b"SVLT"[..], &good[4..]].concat(),
        BACKUP_PASSPHRASE,
    ));
    let mut newer = good.clone();
    newer[4] = 2;
    cases.push((
        "backup_unknown_version",
        "newer_backup",
        "Version byte 0x02: a backup from a newer version (H2).",
        newer,
        BACKUP_PASSPHRASE,
    ));
    cases.push((
        "backup_truncated",
        "truncated",
        "The valid backup without its last 100 bytes: the last chunk is cut (B1).",
        good[..good.len() - 100].to_vec(),
        BACKUP_PASSPHRASE,
    ));
    cases.push((
        "backup_trailing_bytes",
        "damaged",
        "The valid backup with one zero byte after the last chunk (B3).",
        [&good[..], &[0u8]].concat(),
        BACKUP_PASSPHRASE,
    ));
    let mut changed = good.clone();
    changed[header_len + 10] ^= 0x01;
    cases.push((
        "backup_changed_chunk",
        "damaged",
        "One bit of the body's first chunk changed: it does not authenticate (B2).",
        changed,
        BACKUP_PASSPHRASE,
    ));
    let mut changed_header = good.clone();
    changed_header[5] ^= 0x01;
    cases.push((
        "backup_changed_salt",
        "damaged",
        "One bit of the salt changed: the body key differs, and the header is\n\
         the associated data of every chunk (B2).",
        changed_header,
        BACKUP_PASSPHRASE,
    ));
    let content = full.content();
    let padded = share::padded_len(content.len() as u64);
    let mut plain = content.clone();
    plain.resize(padded as usize, 0);
    *plain.last_mut().expect("padding") = 1;
    cases.push((
        "backup_nonzero_padding",
        "damaged",
        "The last byte of the padding is 0x01 (B5); sealed correctly.",
        backup_file(&plain, padded),
        BACKUP_PASSPHRASE,
    ));
    cases.push((
        "backup_not_padme_length",
        "damaged",
        "The header's body length is one more than a Padmé length (H3).",
        backup_file(&content, padded + 1),
        BACKUP_PASSPHRASE,
    ));
    let bigger = share::padded_len(padded + 1);
    cases.push((
        "backup_padded_too_far",
        "damaged",
        "The body is padded to the next Padmé length after its content's,\n\
         so its length is not Padmé of its content (B4); sealed correctly.",
        backup_file(&content, bigger),
        BACKUP_PASSPHRASE,
    ));
    let mut unsorted = full.clone();
    unsorted.entries.swap(0, 1);
    cases.push((
        "backup_entries_out_of_order",
        "damaged",
        "Two entries swapped, so their keys are not in increasing order (C2).",
        backup_of(&unsorted),
        BACKUP_PASSPHRASE,
    ));
    let mut header_entry = full.clone();
    header_entry
        .entries
        .push((b"H".to_vec(), backup_vault_header()));
    header_entry.entries.sort();
    header_entry.counts.0 += 1;
    cases.push((
        "backup_carries_the_header",
        "damaged",
        "An entry `H` (the vault header), which travels in the backup's own\n\
         header and never as an entry (C3).",
        backup_of(&header_entry),
        BACKUP_PASSPHRASE,
    ));
    let mut no_identity = full.clone();
    no_identity.entries.retain(|(k, _)| k != b"K");
    no_identity.counts.0 -= 1;
    cases.push((
        "backup_no_identity",
        "damaged",
        "The entry `K` (the identity) is missing (C4).",
        backup_of(&no_identity),
        BACKUP_PASSPHRASE,
    ));
    let mut missing = full.clone();
    missing.documents.retain(|(id, _)| *id != passport_id);
    missing.counts.1 -= 1;
    cases.push((
        "backup_document_missing",
        "damaged",
        "documents.passport points at a document the body does not carry (E1).",
        backup_of(&missing),
        BACKUP_PASSPHRASE,
    ));
    let stray: [u8; 16] = [0xff; 16];
    let mut extra = full.clone();
    extra
        .documents
        .push((stray, sealed_document(&stray, b"nobody's")));
    extra.counts.1 += 1;
    cases.push((
        "backup_document_not_pointed_at",
        "damaged",
        "A document that no field points at (D1).",
        backup_of(&extra),
        BACKUP_PASSPHRASE,
    ));
    let mut counts = full.clone();
    counts.counts.0 += 1;
    cases.push((
        "backup_count_mismatch",
        "damaged",
        "The end item counts one entry more than the body holds (E1).",
        backup_of(&counts),
        BACKUP_PASSPHRASE,
    ));
    let mut swapped = full.clone();
    let other = sealed_document(&passport_id, b"%PDF-1.4 another scan entirely\n");
    swapped.documents.iter_mut().for_each(|(id, sealed)| {
        if *id == empty_id {
            *sealed = other.clone();
        }
    });
    cases.push((
        "backup_document_does_not_open",
        "damaged",
        "documents.empty's stream is one sealed for another document id, of\n\
         the same length: it does not authenticate under its own key (D2).",
        backup_of(&swapped),
        BACKUP_PASSPHRASE,
    ));
    for (name, expect, about, bytes, passphrase) in cases {
        let mut v = Vector::new(name, "backup", expect, about);
        v.set("passphrase", hex(passphrase))
            .set("backup", hex(&bytes));
        add_backup(out, &v);
    }
}

/// Adds a backup vector after checking it with vault-core's runner.
fn add_backup(out: &mut Vectors, v: &Vector) {
    if let Err(e) = vault_core::vectors::check(&v.name, &v.render()) {
        panic!("{}: {e}", v.name);
    }
    out.add(v);
}

// ---------------------------------------------------------------------------
// Key files (docs/spec/agency-key-v1.md): an agency's and an advocate's.

/// A refused key-file vector: name, role wanted, expect, file, passphrase.
type KeyFileCase = (
    &'static str,
    &'static str,
    &'static str,
    Vec<u8>,
    &'static [u8],
);

/// The passphrase of every key-file vector.
const KEYFILE_PASSPHRASE: &[u8] = b"correct horse battery staple";

/// A key file built by hand from the spec's layout (§1, §4): header, then
/// ChaCha20-Poly1305 over `role ‖ seed` with the header as associated data,
/// under Argon2id with the cheap test parameters (m = 64 KiB, t = 1, p = 1;
/// readers accept them), salt and nonce derived from `label`.
fn key_file(label: &str, role_code: u8, seed: &[u8; 32], kdf: vault_core::KdfParams) -> Vec<u8> {
    let salt = key(&format!("keyfile/salt/{label}"));
    let nonce = nonce12(&format!("keyfile/nonce/{label}"));
    let mut out = b"SVAK".to_vec();
    out.push(1);
    out.extend_from_slice(&kdf.memory_kib.to_le_bytes());
    out.extend_from_slice(&kdf.iterations.to_le_bytes());
    out.extend_from_slice(&kdf.parallelism.to_le_bytes());
    out.extend_from_slice(&salt);
    out.extend_from_slice(&nonce);
    let kek = kdf
        .derive(KEYFILE_PASSPHRASE, &salt)
        .expect("the vector's parameters derive");
    let mut buf = vec![role_code];
    buf.extend_from_slice(seed);
    kek.aead().seal_in_place(nonce, &out, &mut buf);
    out.extend_from_slice(&buf);
    assert_eq!(out.len(), vault_core::keyfile::FILE_LEN, "{label}");
    out
}

fn keyfile_vectors(out: &mut Vectors) {
    let cheap = vault_core::KdfParams::INSECURE_FOR_TESTS;
    let agency_seed = key("keyfile/agency seed");
    let advocate_seed = key("keyfile/advocate seed");
    let agency_file = key_file("agency", Role::Agency.code(), &agency_seed, cheap);
    let advocate_file = key_file("advocate", Role::Advocate.code(), &advocate_seed, cheap);
    let agency_id = Identity::from_seed(Role::Agency, &agency_seed);
    let advocate_id = Identity::from_seed(Role::Advocate, &advocate_seed);

    for (name, role, file, id, seed, about) in [
        (
            "keyfile_ok_agency",
            "agency",
            &agency_file,
            &agency_id,
            &agency_seed,
            "An agency's key file (role byte 02), opened as the agency's page\nopens it (keyfile::open).",
        ),
        (
            "keyfile_ok_advocate",
            "advocate",
            &advocate_file,
            &advocate_id,
            &advocate_seed,
            "An advocate's key file (role byte 03, spec §10), opened as the app\nopens it (keyfile::open_advocate).",
        ),
    ] {
        let mut v = Vector::new(name, "keyfile", "ok", about);
        v.set("role", role)
            .set("passphrase", hex(KEYFILE_PASSPHRASE))
            .set("file", hex(file))
            .set("identity", id.public())
            .set("seed", hex(seed));
        add_checked(out, &v);
    }

    let mut changed_tag = advocate_file.clone();
    *changed_tag.last_mut().expect("a tag") ^= 1;
    let mut changed_salt = agency_file.clone();
    changed_salt[17] ^= 1;
    let mut bad_magic = advocate_file.clone();
    bad_magic[..4].copy_from_slice(b"SVBK");
    let mut version = advocate_file.clone();
    version[4] = 2;
    let mut trailing = advocate_file.clone();
    trailing.push(0);
    let refusals: Vec<KeyFileCase> = vec![
        (
            "keyfile_advocate_file_on_agency_page",
            "agency",
            "not_agency",
            advocate_file.clone(),
            KEYFILE_PASSPHRASE,
        ),
        (
            "keyfile_agency_file_as_advocate",
            "advocate",
            "not_advocate",
            agency_file.clone(),
            KEYFILE_PASSPHRASE,
        ),
        (
            "keyfile_survivor_role",
            "agency",
            "not_agency",
            key_file("survivor", Role::Survivor.code(), &agency_seed, cheap),
            KEYFILE_PASSPHRASE,
        ),
        (
            "keyfile_unknown_role",
            "advocate",
            "bad_key_file",
            key_file("unknown role", 0, &advocate_seed, cheap),
            KEYFILE_PASSPHRASE,
        ),
        (
            "keyfile_wrong_passphrase",
            "advocate",
            "wrong_passphrase",
            advocate_file.clone(),
            b"correct horse battery stapler",
        ),
        (
            "keyfile_changed_tag",
            "advocate",
            "wrong_passphrase",
            changed_tag,
            KEYFILE_PASSPHRASE,
        ),
        (
            "keyfile_changed_salt",
            "agency",
            "wrong_passphrase",
            changed_salt,
            KEYFILE_PASSPHRASE,
        ),
        (
            "keyfile_bad_magic",
            "advocate",
            "bad_key_file",
            bad_magic,
            KEYFILE_PASSPHRASE,
        ),
        (
            "keyfile_unknown_version",
            "advocate",
            "bad_key_file",
            version,
            KEYFILE_PASSPHRASE,
        ),
        (
            "keyfile_trailing_bytes",
            "advocate",
            "bad_key_file",
            trailing,
            KEYFILE_PASSPHRASE,
        ),
        (
            "keyfile_truncated",
            "advocate",
            "bad_key_file",
            advocate_file[..advocate_file.len() - 1].to_vec(),
            KEYFILE_PASSPHRASE,
        ),
        (
            "keyfile_settings_out_of_range",
            "agency",
            "bad_key_file",
            key_file(
                "settings",
                Role::Agency.code(),
                &agency_seed,
                vault_core::KdfParams {
                    iterations: 7,
                    ..cheap
                },
            ),
            KEYFILE_PASSPHRASE,
        ),
    ];
    let about = |name: &str| {
        match name {
        "keyfile_advocate_file_on_agency_page" => "The advocate's valid key file, opened by the agency's page: its sealed\nrole byte is 03, so it is refused after the passphrase (§5 step 9).",
        "keyfile_agency_file_as_advocate" => "The agency's valid key file, opened by the app as an advocate's: role\n02, refused after the passphrase (§5 step 9).",
        "keyfile_survivor_role" => "A valid AEAD over role byte 01 (a survivor's): no reader takes it.",
        "keyfile_unknown_role" => "A valid AEAD over role byte 00, no role at all: damaged.",
        "keyfile_wrong_passphrase" => "The advocate's valid key file with another passphrase (§5 step 8).",
        "keyfile_changed_tag" => "The advocate's key file with the last bit of its tag flipped: the AEAD\nfails as for a wrong passphrase, by design (§5 step 8).",
        "keyfile_changed_salt" => "The agency's key file with one bit of the salt flipped: the key\ndiffers, the AEAD fails (§5 step 8).",
        "keyfile_bad_magic" => "The advocate's key file with the backup's magic \"SVBK\" (§5 step 3).",
        "keyfile_unknown_version" => "The advocate's key file with version byte 02 (§5 step 5).",
        "keyfile_trailing_bytes" => "The advocate's key file with one zero byte after the tag (§5 step 6).",
        "keyfile_truncated" => "The advocate's key file without its last byte (§5 step 6).",
        "keyfile_settings_out_of_range" => "An agency's key file asking for 7 Argon2id passes, one more than\nreaders accept: refused before any key is derived (§5 step 7).",
        _ => unreachable!("every key-file refusal is described"),
    }
    };
    for (name, role, expect, file, passphrase) in refusals {
        let mut v = Vector::new(name, "keyfile", expect, about(name));
        v.set("role", role)
            .set("passphrase", hex(passphrase))
            .set("file", hex(&file));
        add_checked(out, &v);
    }
}

/// Adds a vector after checking it with vault-core's runner.
fn add_checked(out: &mut Vectors, v: &Vector) {
    if let Err(e) = vault_core::vectors::check(&v.name, &v.render()) {
        panic!("{}: {e}", v.name);
    }
    out.add(v);
}
