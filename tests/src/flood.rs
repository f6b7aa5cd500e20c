//! Floods of large uploads at a relay on loopback, for the memory test
//! (`tests/flow_flood_upload.rs`) and the `flood_upload` script
//! (`examples/flood_upload.rs`).
//!
//! Each upload is raw HTTP/1.1 on its own connection, so the attacker
//! controls exactly what is declared and sent. Bodies are generated while
//! they are sent (the attacker holds 64 KiB per connection, not the whole
//! body), and everything is bounded: the number of uploads, their size,
//! and a time limit on every read and write.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::thread;
use std::time::Duration;

use vault_core::relay::{api, b64, request};
use vault_core::token::{sign_body, TokenBody};
use vault_core::{crypto, Identity, Role};

/// How long one read or write may wait before the upload gives up.
const IO_LIMIT: Duration = Duration::from_secs(60);

/// What each upload in a flood claims to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attack {
    /// No signature and no token at all: the relay must refuse it from its
    /// headers, without reading the body.
    Unsigned,
    /// A well-formed upload by a survivor key the attacker made: a valid
    /// token for a share of the declared length, and a valid request
    /// signature over the token's hash, but a body with other bytes. The
    /// relay can only tell once it has read it.
    WrongHash,
}

impl Attack {
    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Unsigned => "unsigned",
            Self::WrongHash => "self-signed, wrong hash",
        }
    }
}

/// How the uploads of a flood ended.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Answers by HTTP status.
    pub answered: BTreeMap<u16, usize>,
    /// Uploads whose connection ended without an answer that could be
    /// read (the relay closes a connection whose body it refused to read).
    pub cut_off: usize,
}

impl Outcome {
    /// Uploads the relay accepted (200): a flood must have none.
    pub fn accepted(&self) -> usize {
        self.answered.get(&200).copied().unwrap_or(0)
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts: Vec<String> = self
            .answered
            .iter()
            .map(|(status, n)| format!("{n} x {status}"))
            .collect();
        if self.cut_off > 0 {
            parts.push(format!("{} cut off", self.cut_off));
        }
        f.write_str(&parts.join(", "))
    }
}

/// Sends `uploads` uploads of `bytes` bytes each, all at once (one thread
/// and one connection each), to the relay at `origin` (`http://HOST:PORT`,
/// on loopback). With `sources` above 1, the connections come from that
/// many loopback addresses in turn (127.0.0.2, 127.0.0.3, …), as from
/// several machines, so the relay's per-address limits do not stop them.
pub fn flood(origin: &str, attack: Attack, uploads: usize, bytes: u64, sources: u8) -> Outcome {
    let threads: Vec<_> = (0..uploads)
        .map(|i| {
            let origin = origin.to_owned();
            let source = (sources > 1)
                .then(|| Ipv4Addr::new(127, 0, 0, 2 + (i % usize::from(sources)) as u8));
            thread::spawn(move || one(&origin, attack, bytes, source))
        })
        .collect();
    let mut out = Outcome::default();
    for t in threads {
        match t.join().ok().flatten() {
            Some(status) => *out.answered.entry(status).or_default() += 1,
            None => out.cut_off += 1,
        }
    }
    out
}

/// A connection to `host` (`IP:PORT`), from `source` if given.
fn connect(host: &str, source: Option<Ipv4Addr>) -> std::io::Result<TcpStream> {
    let to: SocketAddr = host
        .parse()
        .map_err(|_| std::io::Error::other("not an IP:PORT"))?;
    let Some(source) = source else {
        return TcpStream::connect(to);
    };
    let socket = socket2::Socket::new(
        socket2::Domain::IPV4,
        socket2::Type::STREAM,
        Some(socket2::Protocol::TCP),
    )?;
    socket.bind(&SocketAddr::from((source, 0)).into())?;
    socket.connect(&to.into())?;
    Ok(socket.into())
}

/// One upload; the answer's status, or `None` if none could be read.
fn one(origin: &str, attack: Attack, bytes: u64, source: Option<Ipv4Addr>) -> Option<u16> {
    let host = origin.strip_prefix("http://")?;
    let path = "/v1/shares";
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nhost: {host}\r\ncontent-type: {}\r\ncontent-length: {bytes}\r\nconnection: close\r\n",
        api::UPLOAD_CONTENT_TYPE
    );
    if attack == Attack::WrongHash {
        for (name, value) in self_signed_headers(origin, bytes)? {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("\r\n");

    let mut conn = connect(host, source).ok()?;
    conn.set_read_timeout(Some(IO_LIMIT)).ok()?;
    conn.set_write_timeout(Some(IO_LIMIT)).ok()?;
    if conn.write_all(head.as_bytes()).is_ok() {
        // Not the bytes the token signed (those hash to the token's
        // payload_hash); for an unsigned upload, anything.
        let piece = vec![0x5a_u8; 64 * 1024];
        let mut left = bytes;
        while left > 0 {
            let n = left.min(piece.len() as u64) as usize;
            if conn.write_all(&piece[..n]).is_err() {
                // The relay stopped reading: its answer may be waiting.
                break;
            }
            left -= n as u64;
        }
    }
    let mut answer = Vec::new();
    let _ = conn.take(64 * 1024).read_to_end(&mut answer);
    let line = answer.split(|b| *b == b'\r').next()?;
    std::str::from_utf8(line)
        .ok()?
        .split(' ')
        .nth(1)?
        .parse()
        .ok()
}

/// Starts a genuine upload of `share` (signed by `signer`, with its
/// `token`) and sends only its first `sent` bytes, leaving the connection
/// open: for crashing the relay in the middle of one.
pub fn start_upload(
    origin: &str,
    signer: &Identity,
    token: &[u8],
    share: &[u8],
    sent: usize,
) -> std::io::Result<TcpStream> {
    let host = origin.strip_prefix("http://").unwrap_or(origin);
    let path = "/v1/shares";
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nhost: {host}\r\ncontent-type: {}\r\ncontent-length: {}\r\n{}: {}\r\n",
        api::UPLOAD_CONTENT_TYPE,
        share.len(),
        api::H_TOKEN,
        b64(token)
    );
    let headers = request::sign(signer, origin, "POST", path, vault_core::time::now(), share)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut conn = TcpStream::connect(host)?;
    conn.set_write_timeout(Some(IO_LIMIT))?;
    conn.write_all(head.as_bytes())?;
    conn.write_all(&share[..sent.min(share.len())])?;
    conn.flush()?;
    Ok(conn)
}

/// Headers of an upload by a survivor key made on the spot: a token that
/// verifies, for `bytes` bytes with the hash of something else, and a
/// request signature over that hash.
fn self_signed_headers(origin: &str, bytes: u64) -> Option<Vec<(&'static str, String)>> {
    let attacker = Identity::generate(Role::Survivor).ok()?;
    let claimed = crypto::random_array::<32>().ok()?;
    let now = vault_core::time::now();
    let body = TokenBody {
        token_id: crypto::random_array::<32>().ok()?,
        issuer: *attacker.public().key_bytes(),
        audience: None,
        not_before: now - 60,
        expires: now + 3600,
        max_uses: 1,
        payload_len: bytes,
        payload_hash: crypto::sha256(&[&claimed]),
        sealed_claims: vec![0; 256],
    };
    let token = sign_body(&attacker, &body);
    let mut headers = request::sign(&attacker, origin, "POST", "/v1/shares", now, &claimed).ok()?;
    headers.push((api::H_TOKEN, b64(&token)));
    Some(headers)
}

/// A process's resident memory, from `/proc/PID/status` (Linux).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Memory {
    /// Resident now (`VmRSS`), KiB.
    pub rss_kib: u64,
    /// The highest resident so far (`VmHWM`), KiB.
    pub peak_kib: u64,
}

/// `pid`'s resident memory now and at its peak; `None` if it cannot be
/// read (no such process, not Linux).
pub fn memory(pid: u32) -> Option<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))?
            .trim()
            .strip_suffix("kB")?
            .trim()
            .parse()
            .ok()
    };
    Some(Memory {
        rss_kib: field("VmRSS:")?,
        peak_kib: field("VmHWM:")?,
    })
}

/// KiB as MiB, for reports.
pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
