//! The runner of the test vectors in `tests/vectors/` (feature `vectors`).
//!
//! The vectors are written by `examples/gen_vectors.rs`; their layout and
//! every key are described in `tests/vectors/README.md`. The runner reads
//! only a vector's text, so the same code runs in `tests/vectors.rs`
//! (natively) and in the browser module (`vault-web`, feature `vectors`),
//! which shows the two give the same result on every file. It is also the
//! model for a verifier in another language: for each kind it runs the
//! checks in the documented order and reports the first refusal as its
//! stable code.
//!
//! Not for production builds: it exists to be tested against.

use std::fmt::Write as _;

use data_encoding::HEXLOWER;

use crate::backup;
use crate::share::bundle;
use crate::share::open::{open_received, Answer};
use crate::share::EntryKind;
use crate::token::{Claims, Token, UnverifiedToken};
use crate::{crypto, Kind, MemoryDocuments, MemoryStore, PublicId, Role, ShareLink, ShareSecret};

/// Every refusal code a token vector may expect (`TokenError::kind`).
pub const TOKEN_ERRORS: &[&str] = &[
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
    "bad_length",
    "not_yet_valid",
    "expired",
    "wrong_audience",
    "wrong_secret",
];
/// Refusals of the open step (`OpenError::kind`) beyond the token's own
/// codes, each of which an open vector may also expect.
pub const OPEN_ERRORS: &[&str] = &[
    "malformed_answer",
    "wrong_token_id",
    "not_signed",
    "bad_share",
    "consent_mismatch",
    "out_of_scope",
    "bad_receipt",
];

/// Every refusal code a backup vector may expect (`BackupError::kind`).
pub const BACKUP_ERRORS: &[&str] = &[
    "not_a_backup",
    "newer_backup",
    "wrong_passphrase",
    "truncated",
    "damaged",
];

/// Every refusal code a key-file vector may expect (`KeyFileError::kind`
/// of `keyfile::open` and `keyfile::open_advocate`).
pub const KEYFILE_ERRORS: &[&str] = &[
    "bad_key_file",
    "wrong_passphrase",
    "not_agency",
    "not_advocate",
];

/// One vector file: `key: value` lines in order (comments dropped).
#[derive(Debug, Clone)]
pub struct Vector {
    /// The file's name without `.vec`.
    pub name: String,
    /// Its `key: value` lines, in order.
    pub fields: Vec<(String, String)>,
}

impl Vector {
    /// Reads a vector's text; `name` is its file name without `.vec`.
    pub fn parse(name: &str, text: &str) -> Result<Self, String> {
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

    /// Every value of `key`, in order.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The one value of `key`.
    pub fn get(&self, key: &str) -> Result<&str, String> {
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
        "backup" => (
            &["kind", "expect", "passphrase", "backup"],
            &["identity", "made", "entry"],
        ),
        "keyfile" => (
            &["kind", "expect", "role", "passphrase", "file"],
            &["identity", "seed"],
        ),
        other => return Err(format!("unknown kind `{other}`")),
    })
}

/// Checks one vector: its shape, then its expectation.
pub fn check_vector(v: &Vector) -> Result<(), String> {
    let kind = v.get("kind")?;
    let expect = v.get("expect")?;
    let known: Vec<&str> = match kind {
        "token" => TOKEN_ERRORS.to_vec(),
        "open" => [TOKEN_ERRORS, OPEN_ERRORS].concat(),
        "bundle" => vec!["bad_bundle"],
        "link" => vec!["bad_link"],
        "backup" => BACKUP_ERRORS.to_vec(),
        "keyfile" => KEYFILE_ERRORS.to_vec(),
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
        "backup" => run_backup(v)?,
        "keyfile" => run_keyfile(v)?,
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
        let data = if data.is_empty() {
            "-".to_string()
        } else {
            HEXLOWER.encode(&data)
        };
        // A named document adds its name (hex of the UTF-8: a name may
        // hold spaces) and media type after the contents.
        let line = match &e.kind {
            EntryKind::Text => format!("{} text {} {data}", e.path, e.len),
            EntryKind::Document => format!("{} document {} {data}", e.path, e.len),
            EntryKind::NamedDocument { name, media_type } => format!(
                "{} named_document {} {data} {} {media_type}",
                e.path,
                e.len,
                HEXLOWER.encode(name.as_bytes())
            ),
        };
        out.push(("entry", line));
    }
    Ok(Ok(out))
}

/// The backup imported into an empty in-memory vault with the passphrase
/// (`backup::import`: header, passphrase, every chunk and record checked
/// before anything is kept); then every field read back, in path order.
fn run_backup(v: &Vector) -> Outcome {
    let bytes = hex(v.get("backup")?)?;
    let passphrase = hex(v.get("passphrase")?)?;
    let vault = match backup::import(
        &mut &bytes[..],
        &passphrase,
        Box::new(MemoryStore::new()),
        Box::new(MemoryDocuments::new()),
    ) {
        Ok(vault) => vault,
        Err(e) => return Ok(Err(e.kind().to_string())),
    };
    let mut out = vec![
        ("identity", vault.identity().public().to_string()),
        (
            "made",
            backup::last_backup(&vault).map_or_else(|| "none".into(), |t| t.to_string()),
        ),
    ];
    let (entries, _) = vault
        .list()
        .map_err(|e| format!("an imported vault does not list: {e}"))?;
    for e in entries {
        let mut data = Vec::new();
        vault
            .read_document(&e.path, &mut data, &mut |_| {})
            .map_err(|err| format!("{} does not read: {err}", e.path))?;
        let data = if data.is_empty() {
            "-".to_string()
        } else {
            HEXLOWER.encode(&data)
        };
        let line = match (e.kind, &e.name) {
            (Kind::Text, _) => format!("{} text {} {data}", e.path, e.size),
            (Kind::Document, None) => format!("{} document {} {data}", e.path, e.size),
            (Kind::Document, Some(n)) => format!(
                "{} named_document {} {data} {} {}",
                e.path,
                e.size,
                HEXLOWER.encode(n.name().as_bytes()),
                n.media_type()
            ),
        };
        out.push(("entry", line));
    }
    Ok(Ok(out))
}

/// A key file opened as the `role` wants it: `agency` with
/// `keyfile::open` (the agency's page), `advocate` with
/// `keyfile::open_advocate` (the app).
fn run_keyfile(v: &Vector) -> Outcome {
    let file = hex(v.get("file")?)?;
    let passphrase = hex(v.get("passphrase")?)?;
    let opened = match v.get("role")? {
        "agency" => crate::keyfile::open(&file, &passphrase),
        "advocate" => crate::keyfile::open_advocate(&file, &passphrase),
        other => return Err(format!("unknown role `{other}` (agency or advocate)")),
    };
    match opened {
        Ok(id) => Ok(Ok(vec![
            ("identity", id.public().to_string()),
            ("seed", HEXLOWER.encode(&id.seed()[..])),
        ])),
        Err(e) => Ok(Err(e.kind().to_string())),
    }
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
            if e.rule() != want {
                return Err(format!("refused for `{}`, not for `{want}`", e.rule()));
            }
            Err(e.kind().to_string())
        }
    })
}

/// Checks the vector `name` (its file name without `.vec`) whose text is
/// `text`: `Ok` if vault-core gives what it expects, else what differs.
pub fn check(name: &str, text: &str) -> Result<(), String> {
    check_vector(&Vector::parse(name, text)?)
}

/// Decodes and verifies the token `token` at `now` for `presenter`
/// (`UnverifiedToken::decode` + `verify`: canonical decode, limits, issuer
/// key, `verify_strict`, window, audience) `times` times; returns how many
/// were accepted. The same loop natively and in WebAssembly, so the two
/// can be timed against each other.
pub fn check_token_times(token: &[u8], now: u64, presenter: Option<&PublicId>, times: u32) -> u32 {
    (0..times)
        .map(|_| {
            UnverifiedToken::decode(std::hint::black_box(token))
                .and_then(|t| t.verify(now, presenter))
                .is_ok()
        })
        .filter(|ok| *ok)
        .count() as u32
}
