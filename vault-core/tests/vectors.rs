//! Runs every test vector in `tests/vectors/` (at the workspace root)
//! against vault-core and compares the outcome with the vector's `expect`.
//!
//! The vectors are written by `examples/gen_vectors.rs`; their layout and
//! every key are described in `tests/vectors/README.md`. This test reads
//! only the files, so it is also the model for a verifier in another
//! language: for each kind it runs the checks in the documented order and
//! reports the first refusal as its stable code.

use std::fmt::Write as _;
use std::path::PathBuf;

use data_encoding::HEXLOWER;
use vault_core::share::bundle;
use vault_core::share::open::{open_received, Answer};
use vault_core::share::EntryKind;
use vault_core::token::{Claims, Token, UnverifiedToken};
use vault_core::{crypto, LinkError, PublicId, Role, ShareLink, ShareSecret};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors");
/// Fewer vectors than this means files went missing.
const MIN_VECTORS: usize = 30;

/// Every refusal code a token vector may expect (`TokenError::kind`).
const TOKEN_ERRORS: &[&str] = &[
    "bad_magic",
    "unknown_version",
    "trailing_bytes",
    "malformed",
    "non_canonical",
    "bad_key",
    "bad_signature",
    "bad_uses",
    "bad_window",
    "too_long",
    "not_yet_valid",
    "expired",
    "wrong_audience",
    "wrong_secret",
];
/// Refusals of the open step (`OpenError::kind`) beyond the token's own
/// codes, each of which an open vector may also expect.
const OPEN_ERRORS: &[&str] = &[
    "malformed_answer",
    "wrong_token_id",
    "not_signed",
    "bad_share",
    "consent_mismatch",
    "out_of_scope",
    "bad_receipt",
];

/// One vector file: `key: value` lines in order (comments dropped).
#[derive(Clone)]
struct Vector {
    name: String,
    fields: Vec<(String, String)>,
}

impl Vector {
    fn parse(name: &str, text: &str) -> Result<Self, String> {
        let mut fields = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') {
                continue;
            }
            let (k, v) = line
                .split_once(": ")
                .ok_or_else(|| format!("line {} is not `key: value`: {line:?}", i + 1))?;
            fields.push((k.to_string(), v.to_string()));
        }
        Ok(Self {
            name: name.to_string(),
            fields,
        })
    }

    fn all(&self, key: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn get(&self, key: &str) -> Result<&str, String> {
        match self.all(key)[..] {
            [v] => Ok(v),
            [] => Err(format!("no `{key}`")),
            _ => Err(format!("`{key}` given more than once")),
        }
    }
}

fn hex(s: &str) -> Result<Vec<u8>, String> {
    HEXLOWER
        .decode(s.as_bytes())
        .map_err(|e| format!("bad hex ({e}): {s:.40}"))
}

fn hex32(s: &str) -> Result<[u8; 32], String> {
    hex(s)?.try_into().map_err(|_| format!("not 32 bytes: {s}"))
}

fn number(s: &str) -> Result<u64, String> {
    s.parse().map_err(|_| format!("not a number: {s}"))
}

/// The keys a vector of `kind` must have: always, and only when valid.
fn keys(kind: &str) -> Result<(&'static [&'static str], &'static [&'static str]), String> {
    Ok(match kind {
        "token" => (
            &["kind", "expect", "now", "presenter", "secret", "token"],
            &[
                "token_id",
                "issuer",
                "audience",
                "not_before",
                "expires",
                "max_uses",
                "payload_len",
                "payload_hash",
                "scope",
                "purpose",
                "consent_hash",
            ],
        ),
        "open" => (
            &[
                "kind",
                "expect",
                "now",
                "presenter",
                "link",
                "token",
                "share",
                "receipt",
                "receipt_signature",
                "relay",
            ],
            &["consent_text", "entry"],
        ),
        "bundle" => (
            &["kind", "expect", "bundle"],
            &["share_len", "share_sha256", "token_sha256"],
        ),
        "link" => (
            &["kind", "expect", "link"],
            &[
                "origin",
                "secret",
                "token_id",
                "claims_key",
                "payload_key",
                "canonical",
            ],
        ),
        other => return Err(format!("unknown kind `{other}`")),
    })
}

/// Checks one vector: its shape, then its expectation.
fn check(v: &Vector) -> Result<(), String> {
    let kind = v.get("kind")?;
    let expect = v.get("expect")?;
    let known: Vec<&str> = match kind {
        "token" => TOKEN_ERRORS.to_vec(),
        "open" => [TOKEN_ERRORS, OPEN_ERRORS].concat(),
        "bundle" => vec!["bad_bundle"],
        "link" => vec!["bad_link"],
        other => return Err(format!("unknown kind `{other}`")),
    };
    if expect != "ok" && !known.contains(&expect) {
        return Err(format!("unknown expect `{expect}` for a {kind} vector"));
    }
    if !v.name.starts_with(&format!("{kind}_")) {
        return Err(format!("the name does not start with `{kind}_`"));
    }
    if v.name.starts_with(&format!("{kind}_ok")) != (expect == "ok") {
        return Err("valid vectors, and only they, are named `<kind>_ok…`".into());
    }
    let (always, if_ok) = keys(kind)?;
    let mut allowed: Vec<&str> = always.to_vec();
    if expect == "ok" {
        allowed.extend_from_slice(if_ok);
    } else if kind == "link" {
        allowed.push("reason");
    }
    for (k, _) in &v.fields {
        if !allowed.contains(&k.as_str()) {
            return Err(format!("unexpected key `{k}`"));
        }
    }
    for k in &allowed {
        if v.all(k).is_empty() {
            return Err(format!("missing key `{k}`"));
        }
        if v.all(k).len() > 1 && *k != "entry" {
            return Err(format!("`{k}` given more than once"));
        }
    }
    let got = match kind {
        "token" => run_token(v)?,
        "open" => run_open(v)?,
        "bundle" => run_bundle(v)?,
        _ => run_link(v)?,
    };
    match (got, expect) {
        (Ok(actual), "ok") => compare(v, &actual),
        (Ok(_), _) => Err(format!("expected `{expect}`, but it was accepted")),
        (Err(code), _) if code == expect => Ok(()),
        (Err(code), _) => Err(format!("expected `{expect}`, got `{code}`")),
    }
}

/// Decoded values of an accepted vector, as `(key, value)` in file form.
type Decoded = Vec<(&'static str, String)>;
/// `Err(String)`: the vector itself is unreadable. `Ok(Err(code))`: the
/// object was refused with `code`.
type Outcome = Result<Result<Decoded, String>, String>;

fn compare(v: &Vector, actual: &Decoded) -> Result<(), String> {
    let mut keys: Vec<&str> = actual.iter().map(|(k, _)| *k).collect();
    keys.dedup();
    let mut diffs = String::new();
    for k in keys {
        let want = v.all(k);
        let got: Vec<&str> = actual
            .iter()
            .filter(|(ak, _)| *ak == k)
            .map(|(_, av)| av.as_str())
            .collect();
        if want != got {
            writeln!(diffs, "  {k}: expected {want:?}, got {got:?}").expect("String");
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(format!("decoded values differ:\n{diffs}"))
    }
}

fn presenter(v: &Vector) -> Result<Option<PublicId>, String> {
    match v.get("presenter")? {
        "none" => Ok(None),
        s => s
            .parse::<PublicId>()
            .map(Some)
            .map_err(|e| format!("bad presenter: {e}")),
    }
}

/// Decode, verify at `now` for `presenter`, open the claims with `secret`.
fn open_token(v: &Vector) -> Result<Result<(Token, Claims, ShareSecret), String>, String> {
    let now = number(v.get("now")?)?;
    let presenter = presenter(v)?;
    let secret = ShareSecret::from_bytes(hex32(v.get("secret")?)?);
    let bytes = hex(v.get("token")?)?;
    let opened = UnverifiedToken::decode(&bytes)
        .and_then(|t| t.verify(now, presenter.as_ref()))
        .and_then(|t| t.open_claims(&secret).map(|c| (t, c, secret)))
        .map_err(|e| e.kind().to_string());
    Ok(opened)
}

fn run_token(v: &Vector) -> Outcome {
    Ok(open_token(v)?.map(|(t, claims, _)| {
        let b = t.body();
        vec![
            ("token_id", HEXLOWER.encode(&b.token_id)),
            ("issuer", t.issuer().to_string()),
            (
                "audience",
                t.audience()
                    .map_or_else(|| "none".to_string(), |a| a.to_string()),
            ),
            ("not_before", b.not_before.to_string()),
            ("expires", b.expires.to_string()),
            ("max_uses", b.max_uses.to_string()),
            ("payload_len", b.payload_len.to_string()),
            ("payload_hash", HEXLOWER.encode(&b.payload_hash)),
            ("scope", claims.scope.to_strings().join(",")),
            ("purpose", claims.purpose.clone()),
            ("consent_hash", HEXLOWER.encode(&claims.consent_hash)),
        ]
    }))
}

fn hex64(s: &str) -> Result<[u8; 64], String> {
    hex(s)?
        .try_into()
        .map_err(|_| format!("not 64 bytes: {s:.40}"))
}

/// The relay's answer for the link, opened with vault-core's one open
/// path (`open_received`, checks O1–O9 in order); then every entry read.
fn run_open(v: &Vector) -> Outcome {
    let link = ShareLink::parse(v.get("link")?).map_err(|e| format!("bad link: {e}"))?;
    let answer = Answer {
        token: hex(v.get("token")?)?,
        share: hex(v.get("share")?)?,
        receipt: hex(v.get("receipt")?)?,
        receipt_signature: hex64(v.get("receipt_signature")?)?,
        relay: PublicId::parse(v.get("relay")?, Role::Relay)
            .map_err(|e| format!("bad relay: {e}"))?,
    };
    let now = number(v.get("now")?)?;
    let received = match open_received(answer, &link, presenter(v)?.as_ref(), now) {
        Ok(r) => r,
        Err(e) => return Ok(Err(e.kind().to_string())),
    };
    let mut out = vec![(
        "consent_text",
        HEXLOWER.encode(received.manifest.consent_text.as_bytes()),
    )];
    let mut reader = received
        .entries()
        .map_err(|e| format!("a verified share no longer opens: {e}"))?;
    for e in &received.manifest.entries {
        let mut data = Vec::new();
        reader
            .copy_entry(e.len, &mut data)
            .map_err(|e| format!("a verified entry no longer reads: {e}"))?;
        let kind = match e.kind {
            EntryKind::Text => "text",
            EntryKind::Document => "document",
        };
        let data = if data.is_empty() {
            "-".to_string()
        } else {
            HEXLOWER.encode(&data)
        };
        out.push(("entry", format!("{} {kind} {} {data}", e.path, e.len)));
    }
    Ok(Ok(out))
}

fn run_bundle(v: &Vector) -> Outcome {
    let bytes = hex(v.get("bundle")?)?;
    Ok(match bundle::split(&bytes) {
        Ok((share, token)) => Ok(vec![
            ("share_len", share.len().to_string()),
            ("share_sha256", HEXLOWER.encode(&crypto::sha256(&[share]))),
            ("token_sha256", HEXLOWER.encode(&crypto::sha256(&[token]))),
        ]),
        Err(_) => Err("bad_bundle".into()),
    })
}

fn link_reason(e: LinkError) -> &'static str {
    match e {
        LinkError::Scheme => "scheme",
        LinkError::Insecure => "insecure",
        LinkError::Host => "host",
        LinkError::Path => "path",
        LinkError::MissingSecret => "missing_secret",
        LinkError::Encoding => "encoding",
        LinkError::Length => "length",
        other => panic!("a LinkError this test does not know: {other:?}"),
    }
}

fn run_link(v: &Vector) -> Outcome {
    let text = v.get("link")?;
    Ok(match ShareLink::parse(text) {
        Ok(link) => {
            let s = link.secret();
            Ok(vec![
                ("origin", link.origin()),
                ("secret", HEXLOWER.encode(s.expose())),
                ("token_id", HEXLOWER.encode(&s.token_id())),
                ("claims_key", HEXLOWER.encode(s.claims_key().expose())),
                ("payload_key", HEXLOWER.encode(s.payload_key().expose())),
                ("canonical", link.to_text().to_string()),
            ])
        }
        Err(e) => {
            // vault-core also says which rule the link broke; a verifier in
            // another language need only answer `bad_link`.
            let want = v.get("reason")?;
            if link_reason(e) != want {
                return Err(format!(
                    "refused for `{}`, not for `{want}`",
                    link_reason(e)
                ));
            }
            Err(e.kind().to_string())
        }
    })
}

fn load() -> Vec<Vector> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(DIR)
        .unwrap_or_else(|e| panic!("cannot read the vectors in {DIR}: {e}"))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "vec"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let name = p
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("vector names are UTF-8");
            let text = std::fs::read_to_string(p)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            Vector::parse(name, &text).unwrap_or_else(|e| panic!("{name}.vec: {e}"))
        })
        .collect()
}

#[test]
fn there_are_enough_vectors() {
    let n = load().len();
    assert!(
        n >= MIN_VECTORS,
        "only {n} vectors in {DIR}; expected at least {MIN_VECTORS}. \
         Run `cargo run -q -p vault-core --example gen_vectors -- tests/vectors`."
    );
}

#[test]
fn every_vector_meets_its_expectation() {
    let vectors = load();
    let mut failures = String::new();
    for v in &vectors {
        if let Err(e) = check(v) {
            writeln!(failures, "{}.vec: {e}", v.name).expect("String");
        }
    }
    assert!(failures.is_empty(), "vectors failed:\n{failures}");
}

#[test]
fn every_kind_and_error_has_a_vector() {
    let vectors = load();
    let expects: Vec<(String, String)> = vectors
        .iter()
        .map(|v| {
            (
                v.get("kind").expect("kind").to_string(),
                v.get("expect").expect("expect").to_string(),
            )
        })
        .collect();
    let has = |kind: &str, expect: &str| expects.iter().any(|(k, e)| k == kind && e == expect);
    let mut missing = Vec::new();
    for (kind, codes) in [
        ("token", TOKEN_ERRORS),
        ("open", OPEN_ERRORS),
        ("bundle", &["bad_bundle"][..]),
        ("link", &["bad_link"][..]),
    ] {
        for code in std::iter::once(&"ok").chain(codes) {
            if !has(kind, code) {
                missing.push(format!("{kind}/{code}"));
            }
        }
    }
    assert!(missing.is_empty(), "no vector for {missing:?}");
}

/// The check is real: in every valid vector, changing one hex digit of any
/// hex or decimal value (an input or an expected output; not `now`) makes
/// the vector fail.
#[test]
fn changing_one_hex_digit_of_a_valid_vector_is_caught() {
    let is_hex = |s: &str| {
        s.len() >= 2 && s.len().is_multiple_of(2) && s.bytes().all(|b| b.is_ascii_hexdigit())
    };
    let mut tried = 0;
    for v in load() {
        if v.get("expect") != Ok("ok") {
            continue;
        }
        check(&v).unwrap_or_else(|e| panic!("{}.vec: {e}", v.name));
        for (i, (key, value)) in v.fields.iter().enumerate() {
            // An entry's contents are the last word of `path kind len hex`.
            let start = if key == "entry" {
                value.rfind(' ').map_or(0, |p| p + 1)
            } else {
                0
            };
            // `now` is an input a small change need not affect.
            if !is_hex(&value[start..]) || key == "now" {
                continue;
            }
            let len = value.len() - start;
            for at in [start, start + len / 2, value.len() - 1] {
                let mut m = v.clone();
                let mut bytes = value.clone().into_bytes();
                let d = (bytes[at] as char).to_digit(16).expect("a hex digit") ^ 1;
                bytes[at] = char::from_digit(d, 16).expect("a hex digit") as u8;
                m.fields[i].1 = String::from_utf8(bytes).expect("ASCII");
                assert!(
                    check(&m).is_err(),
                    "{}.vec: changing digit {at} of `{key}` went unnoticed",
                    v.name
                );
                tried += 1;
            }
        }
    }
    assert!(tried > 100, "only {tried} changes tried");
}
