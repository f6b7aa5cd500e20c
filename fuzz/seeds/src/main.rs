//! Writes a few seeds per fuzz target into `<corpus>/<target>/seed-*`,
//! from the test vectors in `tests/vectors/` (and a handful of hand-made
//! inputs where a target's input is not a vector's bytes: the decrypted
//! plaintext of a share, a backup's body, sealed claims, a record).
//!
//! `cargo run --manifest-path fuzz/Cargo.toml -p vault-fuzz-seeds -- VECTORS CORPUS`

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use vault_core::backup::{body_key, Header, LABEL_BACKUP_AAD};
use vault_core::crypto::stream::{StreamOpener, CHUNK_SIZE, SEALED_CHUNK_SIZE};
use vault_core::crypto::TAG_LEN;
use vault_core::format;
use vault_core::relay::{b64, hex, unhex};
use vault_core::token::CLAIMS_BLOCK;
use vault_core::vault::fuzzing::open_claims;
use vault_core::vectors::Vector;
use vault_core::{ShareLink, UnverifiedToken};

struct Seeds {
    root: PathBuf,
    count: usize,
}

impl Seeds {
    fn put(&mut self, target: &str, name: &str, bytes: &[u8]) {
        let dir = self.root.join(target);
        fs::create_dir_all(&dir).expect("make the corpus folder");
        fs::write(dir.join(format!("seed-{name}")), bytes).expect("write a seed");
        self.count += 1;
    }
}

fn bytes(v: &Vector, key: &str) -> Option<Vec<u8>> {
    unhex(v.get(key).ok()?)
}

/// The padded plaintext of a sealed STREAM of `padded` bytes under `key`.
fn open_stream(key: &vault_core::crypto::SecretKey, aad: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
    let mut opener = StreamOpener::with_aad(key, aad);
    let chunks: Vec<&[u8]> = sealed.chunks(SEALED_CHUNK_SIZE).collect();
    let mut out = Vec::new();
    for (i, c) in chunks.iter().enumerate() {
        let mut buf = c.to_vec();
        opener.open_chunk(&mut buf, i + 1 == chunks.len()).ok()?;
        out.extend_from_slice(&buf);
    }
    Some(out)
}

/// A field record's body as the vault encodes it (vault-format §9.2).
#[derive(Serialize)]
struct Record<'a> {
    path: &'a str,
    updated: u64,
    value: Value<'a>,
}

#[derive(Serialize)]
enum Value<'a> {
    Text(&'a str),
    Document {
        id: [u8; 16],
        len: u64,
    },
    NamedDocument {
        id: [u8; 16],
        len: u64,
        name: (&'a str, &'a str),
    },
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, vectors, corpus] = &args[..] else {
        eprintln!("usage: vault-fuzz-seeds VECTORS_DIR CORPUS_DIR");
        std::process::exit(2);
    };
    let mut s = Seeds {
        root: PathBuf::from(corpus),
        count: 0,
    };
    let mut names: Vec<PathBuf> = fs::read_dir(vectors)
        .expect("the vectors folder")
        .map(|e| e.expect("a vector").path())
        .filter(|p| p.extension().is_some_and(|e| e == "vec"))
        .collect();
    names.sort();
    for path in &names {
        let name = path.file_stem().and_then(|n| n.to_str()).expect("a name");
        let text = fs::read_to_string(path).expect("read a vector");
        let v = Vector::parse(name, &text).expect("a vector parses");
        vector_seeds(&mut s, name, &v);
    }
    hand_made(&mut s);
    println!("{} seeds in {}", s.count, Path::new(corpus).display());
}

fn vector_seeds(s: &mut Seeds, name: &str, v: &Vector) {
    let kind = v.get("kind").unwrap_or("");
    if let Some(token) = bytes(v, "token") {
        s.put("token", name, &token);
        s.put("bundle", &format!("{name}-token"), &token);
        let mut upload = vec![5u8];
        upload.extend_from_slice(b64(&token).as_bytes());
        s.put("relay_bodies", &format!("{name}-upload"), &upload);
        // The claims' plaintext, when the secret opens them.
        let secret = v
            .get("secret")
            .ok()
            .and_then(unhex)
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .map(vault_core::ShareSecret::from_bytes)
            .or_else(|| {
                v.get("link")
                    .ok()
                    .and_then(|l| ShareLink::parse(l).ok())
                    .map(|l| l.secret().clone())
            });
        if let (Some(secret), Ok(t)) = (secret, UnverifiedToken::decode(&token)) {
            if let Ok(claims) = open_claims(&secret, &t.body().token_id, &t.body().sealed_claims) {
                let mut plain = format::encode(&claims);
                plain.resize(plain.len().div_ceil(CLAIMS_BLOCK).max(1) * CLAIMS_BLOCK, 0);
                s.put("claims", name, &plain);
            }
        }
    }
    match kind {
        "link" => {
            if let Ok(link) = v.get("link") {
                s.put("link", name, link.as_bytes());
            }
        }
        "bundle" => {
            if let Some(b) = bytes(v, "bundle") {
                s.put("bundle", name, &b);
            }
        }
        "keyfile" => {
            if let Some(f) = bytes(v, "file") {
                s.put("keyfile", name, &f);
            }
        }
        "backup" => {
            if let Some(b) = bytes(v, "backup") {
                let mut raw = vec![0u8];
                raw.extend_from_slice(&b);
                s.put("backup", name, &raw);
                if let Some(plain) = backup_body(&b, &bytes(v, "passphrase").unwrap_or_default()) {
                    let mut body = vec![1u8];
                    body.extend_from_slice(&plain);
                    s.put("backup", &format!("{name}-body"), &body);
                }
            }
        }
        "open" => open_seeds(s, name, v),
        _ => {}
    }
    for key in ["presenter", "identity", "relay", "token_id"] {
        if let Ok(id) = v.get(key) {
            s.put("ids", &format!("{name}-{key}"), id.as_bytes());
        }
    }
}

fn open_seeds(s: &mut Seeds, name: &str, v: &Vector) {
    let (Ok(link_text), Some(token), Some(share), Some(receipt), Some(sig), Ok(relay)) = (
        v.get("link"),
        bytes(v, "token"),
        bytes(v, "share"),
        bytes(v, "receipt"),
        bytes(v, "receipt_signature"),
        v.get("relay"),
    ) else {
        return;
    };
    s.put("redeem_answer", &format!("{name}-receipt"), &receipt);
    let json = format!(
        "{{\"token\":\"{}\",\"share\":\"{}\",\"receipt\":\"{}\",\"receipt_signature\":\"{}\",\"relay\":\"{relay}\"}}",
        b64(&token),
        b64(&share),
        b64(&receipt),
        b64(&sig)
    );
    let mut answer = vec![0u8, 0];
    answer.extend_from_slice(link_text.as_bytes());
    answer.push(b'\n');
    answer.extend_from_slice(json.as_bytes());
    s.put("redeem_answer", name, &answer);
    let Ok(link) = ShareLink::parse(link_text) else {
        return;
    };
    let secret = link.secret();
    let mut raw = vec![1u8];
    raw.extend_from_slice(&share);
    s.put("share", &format!("{name}-sealed"), &raw);
    if let Some(plain) = open_stream(&secret.payload_key(), &secret.token_id(), &share) {
        let mut p = vec![0u8];
        p.extend_from_slice(&plain);
        s.put("share", name, &p);
    }
    let mut redeem = vec![0u8];
    redeem.extend_from_slice(format!("{{\"token_id\":\"{}\"}}", hex(&link.token_id())).as_bytes());
    s.put("relay_bodies", &format!("{name}-redeem"), &redeem);
}

fn backup_body(file: &[u8], passphrase: &[u8]) -> Option<Vec<u8>> {
    let (header, header_bytes) = Header::read(&mut &file[..]).ok()?;
    let master = header.unwrap(passphrase).ok()?;
    let key = body_key(&master, &header.salt).ok()?;
    let mut aad = LABEL_BACKUP_AAD.to_vec();
    aad.extend_from_slice(&header_bytes);
    open_stream(&key, &aad, &file[header_bytes.len()..])
}

fn hand_made(s: &mut Seeds) {
    let agency = "agency14nrge2a99rad90j6thwzyx0zspr2d9zak0ajgj7y78ud72f9930s86rqsu";
    let hex_id = "4d5891d9c90ae340aa347bcea746fc41f2b2a8aae1f42309907468a855a8ba38";
    let bodies: [(u8, String); 9] = [
        (0, format!("{{\"token_id\":\"{hex_id}\",\"agency\":\"{agency}\",\"timestamp\":1795000000,\"proof\":\"{}\"}}", b64(&[7; 64]))),
        (1, format!("{{\"token_id\":\"{hex_id}\"}}")),
        (2, "{}".into()),
        (2, "{\"survivor\":\"survivor1fkyfkx0uhwj75e3qm9cl60w7srclhkwna2pq59qqanh6czrlk7mqqh684r\"}".into()),
        (3, "{\"advocate\":\"advocate1qqqq\",\"until\":1795086400}".into()),
        (4, "{\"advocate\":\"advocate1qqqq\"}".into()),
        (6, format!("survivor1fkyfkx0uhwj75e3qm9cl60w7srclhkwna2pq59qqanh6czrlk7mqqh684r\n1795000000\n{}\n{}", b64(&[1; 16]), b64(&[2; 64]))),
        (7, "1795000000".into()),
        (7, "0".into()),
    ];
    for (i, (route, body)) in bodies.iter().enumerate() {
        let mut b = vec![*route];
        b.extend_from_slice(body.as_bytes());
        s.put("relay_bodies", &format!("hand-{i}"), &b);
    }
    for (i, t) in [
        "needs.housing",
        "identity.name",
        "documents.passport",
        "needs.*",
        "identity.name, needs.*,documents.passport",
        "passport scan.pdf",
        "CON.txt",
        "../../etc/passwd",
    ]
    .iter()
    .enumerate()
    {
        s.put("field_paths", &format!("hand-{i}"), t.as_bytes());
    }
    for (i, t) in [
        hex_id,
        "Ama Mensah",
        "AGENCY14NRGE2A99RAD90J6THWZYX0ZSPR2D9ZAK0AJGJ7Y78UD72F9930S86RQSU",
    ]
    .iter()
    .enumerate()
    {
        s.put("ids", &format!("hand-{i}"), t.as_bytes());
    }
    // Records: n, path, the record's plaintext.
    let records = [
        Record {
            path: "needs.housing",
            updated: 1_795_000_000,
            value: Value::Text("a ground-floor flat"),
        },
        Record {
            path: "documents.passport",
            updated: 1,
            value: Value::Document {
                id: [3; 16],
                len: 4096,
            },
        },
        Record {
            path: "documents.scan",
            updated: 2,
            value: Value::NamedDocument {
                id: [4; 16],
                len: 30,
                name: ("scan.pdf", "application/pdf"),
            },
        },
    ];
    for (i, r) in records.iter().enumerate() {
        let mut b = vec![r.path.len() as u8];
        b.extend_from_slice(r.path.as_bytes());
        b.extend_from_slice(&postcard::to_stdvec(r).expect("encode"));
        s.put("record", &format!("hand-{i}"), &b);
    }
    let mut identity = vec![0u8, 2];
    identity.extend_from_slice(&[9; 32]);
    s.put("record", "hand-identity", &identity);
    // Document streams: len (4 bytes LE; top bit: may pass 5,000), mode, bytes.
    for (i, (len, mode)) in [
        (100u32, 0u8),
        (0x8000_0000 | 70_000, 0),
        (5, 1),
        (0x8000_0000 | 140_000, 2),
        (0, 3),
        (4096, 4),
    ]
    .iter()
    .enumerate()
    {
        let mut b = len.to_le_bytes().to_vec();
        b.push(*mode);
        b.extend_from_slice(b"a document's bytes");
        if *mode == 4 {
            b.extend_from_slice(&[0; CHUNK_SIZE / 16 + TAG_LEN]);
        }
        s.put("document_stream", &format!("hand-{i}"), &b);
    }
}
