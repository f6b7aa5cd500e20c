//! How many durable redemptions a second does the relay make, how long
//! does one take, and does that change as the relay fills up?
//!
//! Drives the real `vault-server` binary over HTTP on loopback, started in
//! a fresh temporary data folder each time with rate limits out of the
//! way (`--rate-per-ip 100000000 --rate-per-token 100000000`):
//!
//! 1. **Throughput** (issue 14: side by side in one run). For each
//!    `--threads` count (default 4, 16 and 64 client connections), three
//!    servers one after the other, each fresh: the relay as deployed
//!    (every decision flushed, i.e. fsynced, before the answer), the relay
//!    with `--unsafe-no-fsync`, and a **bare axum handler** (this program
//!    again, `--serve-bare`) that answers every `POST /v1/redeem` with a
//!    copy of one of the durable run's real answers: the same JSON, the
//!    same length; and (unless `--skip-memory`) **the relay's own router
//!    over a store in memory** (this program again, `--serve-memory`:
//!    the same routes, decisions, signatures and answers, with
//!    `MemoryStore` and `MemoryDocuments` in place of sled and the share
//!    folder), which shows what the storage costs apart from the rest.
//!    For the relays, `--tokens` real anyone-tokens (one use
//!    each, made with `grant::prepare` + `grant::issue` from a survivor
//!    vault in memory) are uploaded with signed `POST /v1/shares` (from 4
//!    threads: the relay admits 4 uploads at once from one address), then
//!    each is redeemed once with `POST /v1/redeem` from that many client
//!    threads, each with its own keep-alive connection. Prints redemptions
//!    a second and the latency of each request (p50, p90, p99, max, and
//!    when the three slowest happened), measured by the client from
//!    sending the request to having read the whole answer, the load
//!    average before and after, and at the end markdown tables of every
//!    run and of the ratios durable / no-fsync and durable / bare. Before
//!    the clock starts, each thread opens its connection and sends 25
//!    redemptions of unknown ids (answered `not_found` by the relay,
//!    changing nothing), so thread pools and the top of the store's tree
//!    are warm.
//! 2. **Store size** (only with `--size`). The same measurement, durable,
//!    from the first `--threads` count, with the relay
//!    holding `--small` and then `--large` token records. Uploading a
//!    million tokens over HTTP would take too long, so the data folder is
//!    filled before the server starts: `R = min(--tokens, --small)` real
//!    tokens are written with `vault_server::db::upload` (what the upload
//!    route calls once it has checked the request), spread evenly among
//!    filler records written the way `db::upload` writes them: the sealed
//!    share as its own file in `DATA/shares/` (named by the token id in
//!    hex), and `T`‖id → `TokenRecord`, `A`‖account‖id in `Store::apply`
//!    batches, except the log entries (`L`, `H`) and the garbage mark that
//!    an upload inserts and lifts again (`P`). Filler records all carry a
//!    copy of one real token and its sealed share under their own
//!    random-looking id; they are never redeemed. Nothing is synced while
//!    filling (`NoFsync`, `FolderDocuments::without_fsync`); the store is flushed once
//!    at the end and then everything is written back (`sync`, so the
//!    kernel is not still writing gigabytes of share files back while the
//!    server's fsyncs wait), then the server starts on it (making its
//!    `relay.key`) and the `R` real tokens are redeemed once each, so
//!    both sizes measure the same `R` redemptions.
//!
//! ```text
//! CARGO_TARGET_DIR=/tmp/target-bench2 \
//!     cargo run --release -p vault-server --example bench_relay
//! ```
//!
//! The server binary is `vault-server` in the same target folder, built
//! with `cargo build --release -p vault-server` (always when run through
//! cargo, which is a no-op when it is fresh; run directly, only if it is
//! missing). `--quick` runs a small version (of both parts with
//! `--size`), to check the program rather than the relay.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark program: its output is the result"
)]

use std::error::Error;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use vault_core::grant::{self, GrantRequest};
use vault_core::relay::api::{self, RedeemRequest};
use vault_core::relay::{b64, hex, request};
use vault_core::store::{Documents, Op, SledStore, Store};
use vault_core::token::UnverifiedToken;
use vault_core::{crypto, FieldPath, Identity, KdfParams, MemoryStore, Role, Scope, Vault};
use vault_server::db::{self, TokenRecord};
use vault_server::{shares_dir, NoFsync, STORE_DIR};

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

const USAGE: &str = "\
usage: bench_relay [--tokens N] [--threads N,N,...] [--small N] [--large N]
                   [--skip-durability] [--skip-bare] [--skip-memory] [--survivors N]
                   [--size] [--quick]

  --tokens N         redemptions per mode and thread count (default 3000)
  --threads N,N,...  client threads (connections), one run each (default 4,16,64)
  --small N          token records stored in the small store (default 1000)
  --large N          token records stored in the large store (default 1000000)
  --skip-durability  leave out part 1 (durable, --unsafe-no-fsync, bare handler)
  --skip-bare        leave the bare axum handler out of part 1
  --skip-memory      leave the relay over a store in memory out of part 1
  --survivors N      part 1's tokens come from N survivors, in turn (default 1:
                     every decision on one account, the worst case for the
                     relay's per-account locks and shared store batches)
  --size             also run part 2 (small vs large store; fills --large
                     records, which takes several minutes and gigabytes)
  --skip-size        (part 2 is off unless --size; kept for old commands)
  --quick            --tokens 200 --small 200 --large 20000: checks the program";

/// Limits high enough never to refuse a benchmark request.
const NO_LIMIT: &str = "100000000";
/// Ops in one `Store::apply` batch while filling the store.
const BATCH_OPS: usize = 10_000;

#[derive(Debug, Clone)]
struct Args {
    tokens: usize,
    /// One part-1 run per entry; part 2 uses the first.
    threads: Vec<usize>,
    small: usize,
    large: usize,
    durability: bool,
    bare: bool,
    memory: bool,
    survivors: usize,
    size: bool,
}

impl Args {
    fn parse() -> Result<Self> {
        let mut a = Self {
            tokens: 3000,
            threads: vec![4, 16, 64],
            small: 1000,
            large: 1_000_000,
            durability: true,
            bare: true,
            memory: true,
            survivors: 1,
            size: false,
        };
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            let mut number = |name: &str| -> Result<usize> {
                let v = it.next().ok_or(format!("{name} needs a number"))?;
                Ok(v.parse()
                    .map_err(|_| format!("{name}: not a number: {v}"))?)
            };
            match arg.as_str() {
                "--tokens" => a.tokens = number("--tokens")?,
                "--threads" => {
                    let v = it.next().ok_or("--threads needs numbers")?;
                    a.threads = v
                        .split(',')
                        .map(|n| n.trim().parse::<usize>())
                        .collect::<Result<_, _>>()
                        .map_err(|_| format!("--threads: not a list of numbers: {v}"))?;
                }
                "--small" => a.small = number("--small")?,
                "--large" => a.large = number("--large")?,
                "--skip-durability" => a.durability = false,
                "--skip-bare" => a.bare = false,
                "--skip-memory" => a.memory = false,
                "--survivors" => a.survivors = number("--survivors")?,
                "--size" => a.size = true,
                "--skip-size" => a.size = false,
                "--quick" => {
                    a.tokens = 200;
                    a.small = 200;
                    a.large = 20_000;
                }
                "-h" | "--help" => {
                    println!("{USAGE}");
                    std::process::exit(0);
                }
                other => return Err(format!("unknown argument {other}\n{USAGE}").into()),
            }
        }
        if a.tokens == 0
            || a.survivors == 0
            || a.threads.is_empty()
            || a.threads.contains(&0)
            || a.small == 0
            || a.large < a.small
        {
            return Err(
                format!("the numbers must be positive, --large >= --small\n{USAGE}").into(),
            );
        }
        Ok(a)
    }
}

/// A real token and its sealed share, as `vault grant` would upload them.
struct Real {
    /// Which survivor made it (an index into the benchmark's vaults).
    owner: usize,
    id: [u8; 32],
    token: Vec<u8>,
    share: Vec<u8>,
}

/// A survivor vault in memory with one small text field.
fn survivor_vault() -> Result<Vault> {
    let vault = Vault::create_in(
        Box::new(MemoryStore::new()),
        Box::new(vault_core::MemoryDocuments::new()),
        b"p",
        Role::Survivor,
        KdfParams::INSECURE_FOR_TESTS,
    )?;
    vault.put_text(&FieldPath::parse("needs.housing")?, "a ground-floor flat")?;
    Ok(vault)
}

/// `n` one-use anyone-tokens, each with its own secret and issuer key,
/// made by `vaults` in turn.
fn make_tokens(vaults: &[Vault], n: usize) -> Result<Vec<Real>> {
    let now = vault_core::time::now();
    let prepared = vaults
        .iter()
        .map(|vault| {
            grant::prepare(
                vault,
                GrantRequest {
                    scope: Scope::parse_list("needs.housing")?,
                    audience: None,
                    purpose: "Housing application".into(),
                    not_before: now - 60,
                    expires: now + 86_400,
                    max_uses: 1,
                },
            )
            .map_err(Into::into)
        })
        .collect::<Result<Vec<_>>>()?;
    (0..n)
        .map(|i| {
            let owner = i % vaults.len();
            // The link's origin is not part of the token: any will do.
            let (issued, share) = grant::issue(
                &vaults[owner],
                &prepared[owner],
                "https://relay.example",
                vault_core::time::now(),
                Vec::new(),
            )?;
            Ok(Real {
                owner,
                id: issued.record.token_id,
                token: issued.token,
                share,
            })
        })
        .collect()
}

/// `target/<profile>/`: this example lives in its `examples/` folder.
fn profile_dir() -> Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let examples = exe.parent().ok_or("the example has no folder")?;
    let dir = if examples.file_name() == Some(OsStr::new("examples")) {
        examples.parent().ok_or("examples/ has no parent")?
    } else {
        examples
    };
    Ok(dir.to_owned())
}

/// `target/release/vault-server`, next to this example, built if needed.
fn server_binary() -> Result<PathBuf> {
    let profile_dir = profile_dir()?;
    if profile_dir.file_name() != Some(OsStr::new("release")) {
        eprintln!("warning: this example is not a release build; run it with --release");
    }
    let target_dir = profile_dir
        .parent()
        .ok_or("the profile folder has no parent")?;
    let bin = target_dir
        .join("release")
        .join(format!("vault-server{}", std::env::consts::EXE_SUFFIX));
    let cargo = std::env::var_os("CARGO");
    if cargo.is_none() && bin.is_file() {
        return Ok(bin);
    }
    eprintln!("building {} ...", bin.display());
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("vault-server is inside the workspace")?;
    let status = Command::new(cargo.unwrap_or_else(|| "cargo".into()))
        .current_dir(workspace)
        .args(["build", "--quiet", "--release", "-p", "vault-server"])
        .args(["--bin", "vault-server", "--target-dir"])
        .arg(target_dir)
        .status()?;
    if !status.success() || !bin.is_file() {
        return Err(format!("building vault-server failed ({status})").into());
    }
    Ok(bin)
}

/// A running `vault-server`, stopped (SIGTERM, then SIGKILL) on drop.
struct Server {
    child: Child,
    origin: String,
    drain: Option<JoinHandle<Vec<String>>>,
}

impl Server {
    fn start(bin: &Path, data: &Path, no_fsync: bool) -> Result<Self> {
        let mut cmd = Command::new(bin);
        cmd.arg("--data")
            .arg(data)
            .args(["--listen", "127.0.0.1:0"])
            .args(["--rate-per-ip", NO_LIMIT, "--rate-per-token", NO_LIMIT])
            // Every client connection comes from 127.0.0.1.
            .args(["--conns-per-ip", NO_LIMIT, "--in-flight-per-ip", NO_LIMIT]);
        if no_fsync {
            cmd.arg("--unsafe-no-fsync");
        }
        // More of the relay's options, to compare settings (for example
        // BENCH_RELAY_ARGS="--checkpoint-bytes 1073741824").
        if let Ok(more) = std::env::var("BENCH_RELAY_ARGS") {
            cmd.args(more.split_whitespace());
        }
        Self::spawn(cmd)
    }

    /// This program again, as the bare handler (`--serve-bare FILE`).
    fn start_bare(answer: &Path) -> Result<Self> {
        let mut cmd = Command::new(std::env::current_exe()?);
        cmd.arg(SERVE_BARE).arg(answer);
        Self::spawn(cmd)
    }

    /// This program again, as the relay over a store in memory
    /// (`--serve-memory`).
    fn start_memory() -> Result<Self> {
        let mut cmd = Command::new(std::env::current_exe()?);
        cmd.arg(SERVE_MEMORY);
        Self::spawn(cmd)
    }

    /// Starts `cmd` and waits for its "… listening on ORIGIN" line.
    fn spawn(mut cmd: Command) -> Result<Self> {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn()?;
        let stderr = child.stderr.take().ok_or("stderr is piped")?;
        let mut lines = BufReader::new(stderr).lines();
        let mut seen = Vec::new();
        let origin = loop {
            let Some(line) = lines.next() else {
                let _ = child.kill();
                let _ = child.wait();
                return Err(
                    format!("the server stopped before listening:\n{}", seen.join("\n")).into(),
                );
            };
            let line = line?;
            if let Some(addr) = line.split(" listening on ").nth(1) {
                break addr.trim().to_owned();
            }
            seen.push(line);
        };
        // The server logs every request: keep reading so it never blocks,
        // and keep anything that is not an INFO line for the report.
        let drain = std::thread::spawn(move || {
            lines
                .map_while(|l| l.ok())
                .filter(|l| !l.contains(" INFO "))
                .take(20)
                .collect()
        });
        Ok(Self {
            child,
            origin,
            drain: Some(drain),
        })
    }

    /// CPU time the server's process has used (all its threads; user and
    /// system), from /proc in clock ticks of 10 ms.
    fn cpu(&self) -> Option<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).ok()?;
        // After the command's name in parentheses: state is field 3,
        // utime 14 and stime 15.
        let rest = stat.rsplit_once(')')?.1;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks: u64 =
            fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
        Some(Duration::from_millis(ticks * 10))
    }

    /// Peak and current resident memory of the server, from /proc.
    fn memory(&self) -> String {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|v| v.trim().to_owned())
                .unwrap_or_else(|| "?".into())
        };
        format!("server RSS {} (peak {})", field("VmRSS:"), field("VmHWM:"))
    }

    /// Asks the server to stop (SIGTERM: it finishes in-flight requests
    /// and closes its store) and waits; kills it after 30 s.
    fn stop(mut self) -> Result<Vec<String>> {
        #[cfg(unix)]
        {
            let _ = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(30);
            while self.child.try_wait()?.is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        if self.child.try_wait()?.is_none() {
            eprintln!("warning: vault-server did not stop; killing it");
            self.child.kill()?;
        }
        self.child.wait()?;
        Ok(self
            .drain
            .take()
            .and_then(|d| d.join().ok())
            .unwrap_or_default())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// Uploads in the relay's streaming form: the share as the raw body, the
/// token in `x-vault-token`, signed over the share.
fn upload(agent: &ureq::Agent, origin: &str, survivor: &Identity, real: &Real) -> Result<()> {
    let path = "/v1/shares";
    let headers = request::sign(
        survivor,
        origin,
        "POST",
        path,
        vault_core::time::now(),
        &real.share,
    )
    .map_err(|e| e.to_string())?;
    let mut req = agent
        .post(format!("{origin}{path}"))
        .header("content-type", api::UPLOAD_CONTENT_TYPE)
        .header(api::H_TOKEN, b64(&real.token));
    for (k, v) in &headers {
        req = req.header(*k, v);
    }
    let mut res = req.send(&real.share[..])?;
    let status = res.status().as_u16();
    let answer = res.body_mut().read_to_vec()?;
    if status != 200 {
        return Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&answer)).into());
    }
    Ok(())
}

/// Redeems `real` once; the answer's bytes (`Err` unless 200).
fn redeem(client: &mut Client, origin: &str, real: &Real) -> Result<Vec<u8>> {
    let body = serde_json::to_vec(&RedeemRequest {
        token_id: hex(&real.id),
        agency: None,
        timestamp: None,
        proof: None,
    })?;
    let answer = client
        .raw(origin)
        .and_then(|raw| raw.post("/v1/redeem", &body));
    match answer {
        Ok((200, answer)) => Ok(answer),
        Ok((status, answer)) => {
            Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&answer)).into())
        }
        Err(e) => {
            // Open a new connection for the next request.
            client.raw = None;
            Err(e)
        }
    }
}

/// The relay's `vault_store_flushes_total` (`None` from the bare handler).
fn store_flushes(origin: &str) -> Option<u64> {
    let mut res = agent().get(&format!("{origin}/metrics")).call().ok()?;
    if res.status().as_u16() != 200 {
        return None;
    }
    let text = res.body_mut().read_to_string().ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("vault_store_flushes_total "))?
        .trim()
        .parse()
        .ok()
}

/// Requests per client thread before the clock starts.
const WARM_UP: usize = 25;

/// Opens the connection and warms the server (its blocking threads, the
/// top of its store's tree) with redemptions of ids that do not exist:
/// they take the write lock and look the id up, and change nothing. The
/// relay answers them 404; the bare handler 200 (`expect`).
fn warm_up(client: &mut Client, origin: &str, expect: u16) -> Result<()> {
    for i in 0..WARM_UP {
        let id = crypto::random_array::<32>().map_err(|e| e.to_string())?;
        let body = serde_json::to_vec(&RedeemRequest {
            token_id: hex(&id),
            agency: None,
            timestamp: None,
            proof: None,
        })?;
        let (status, _) = client.raw(origin)?.post("/v1/redeem", &body)?;
        if status != expect {
            return Err(format!("warm-up request {i}: HTTP {status}").into());
        }
    }
    Ok(())
}

/// A client thread's connections: ureq for uploads, and for the measured
/// requests a lean HTTP/1.1 keep-alive connection ([`Raw`]), so that the
/// load generator, on the same two cores, takes as little of them as it
/// can from the server it measures.
struct Client {
    agent: ureq::Agent,
    raw: Option<Raw>,
}

impl Client {
    /// The raw connection, opened on first use (and again after a
    /// failure closed it).
    fn raw(&mut self, origin: &str) -> Result<&mut Raw> {
        if self.raw.is_none() {
            self.raw = Some(Raw::connect(origin)?);
        }
        Ok(self.raw.as_mut().expect("just opened"))
    }
}

/// One keep-alive HTTP/1.1 connection that sends a POST as one write and
/// reads the answer by its `content-length`: what `wrk` does, with no
/// allocation per request beyond the answer.
struct Raw {
    stream: std::net::TcpStream,
    host: String,
    request: Vec<u8>,
    buf: Vec<u8>,
}

impl Raw {
    fn connect(origin: &str) -> Result<Self> {
        let host = origin
            .strip_prefix("http://")
            .ok_or("the origin is not http://")?
            .trim_end_matches('/')
            .to_owned();
        let stream = std::net::TcpStream::connect(&host)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        Ok(Self {
            stream,
            host,
            request: Vec::with_capacity(512),
            buf: Vec::with_capacity(16 * 1024),
        })
    }

    /// Sends `body` to `path`; the status and the answer's body.
    fn post(&mut self, path: &str, body: &[u8]) -> Result<(u16, Vec<u8>)> {
        use std::io::{Read as _, Write as _};
        self.request.clear();
        write!(
            self.request,
            "POST {path} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            self.host,
            body.len()
        )?;
        self.request.extend_from_slice(body);
        self.stream.write_all(&self.request)?;
        // Read until the end of the head, then the body.
        self.buf.clear();
        let head_end = loop {
            if let Some(at) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            let mut chunk = [0u8; 8192];
            let n = self.stream.read(&mut chunk)?;
            if n == 0 {
                return Err("the server closed the connection".into());
            }
            self.buf.extend_from_slice(&chunk[..n]);
        };
        let head = std::str::from_utf8(&self.buf[..head_end]).map_err(|_| "a head not in UTF-8")?;
        let status: u16 = head
            .get(9..12)
            .and_then(|c| c.parse().ok())
            .ok_or("no status line")?;
        let len: usize = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().ok())?
            })
            .ok_or("an answer without content-length")?;
        while self.buf.len() < head_end + len {
            let mut chunk = [0u8; 8192];
            let n = self.stream.read(&mut chunk)?;
            if n == 0 {
                return Err("the server closed the connection".into());
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
        if self.buf.len() > head_end + len {
            return Err("more bytes than the answer's length".into());
        }
        Ok((status, self.buf[head_end..].to_vec()))
    }
}

/// What a run of requests gave.
struct Run {
    /// Every successful request's latency, sorted.
    latencies: Vec<Duration>,
    /// The three slowest: (when it started, after the first; latency).
    slowest: Vec<(Duration, Duration)>,
    wall: Duration,
    failures: usize,
    first_failure: Option<String>,
}

/// Sends `f(item)` for every item from `threads` threads (each with its
/// own connection, opened and warmed with [`WARM_UP`] requests before the
/// clock starts), timing each request.
fn drive<T: Sync>(
    origin: &str,
    threads: usize,
    warm_status: u16,
    items: &[T],
    f: impl Fn(&mut Client, &T) -> Result<()> + Sync,
) -> Result<Run> {
    let next = AtomicUsize::new(0);
    let barrier = std::sync::Barrier::new(threads + 1);
    let results = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (next, barrier, f) = (&next, &barrier, &f);
                s.spawn(move || {
                    let mut client = Client {
                        agent: agent(),
                        raw: None,
                    };
                    let warm = warm_up(&mut client, origin, warm_status);
                    barrier.wait();
                    warm.map_err(|e| format!("the relay does not answer: {e}"))?;
                    let mut lat = Vec::with_capacity(items.len() / threads + 1);
                    let mut failures = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        let t = Instant::now();
                        match f(&mut client, item) {
                            Ok(()) => lat.push((t, t.elapsed())),
                            Err(e) => failures.push(e.to_string()),
                        }
                    }
                    Ok::<_, String>((lat, failures))
                })
            })
            .collect();
        barrier.wait();
        let start = Instant::now();
        let joined: Vec<_> = handles
            .into_iter()
            .map(|h| h.join().map_err(|_| "a client thread panicked".to_string()))
            .collect();
        (start.elapsed(), joined)
    });
    let (wall, joined) = results;
    let mut samples = Vec::with_capacity(items.len());
    let mut run = Run {
        latencies: Vec::with_capacity(items.len()),
        slowest: Vec::new(),
        wall,
        failures: 0,
        first_failure: None,
    };
    for r in joined {
        let (lat, failures) = r??;
        samples.extend(lat);
        run.failures += failures.len();
        if run.first_failure.is_none() {
            run.first_failure = failures.into_iter().next();
        }
    }
    if let Some(t0) = samples.iter().map(|(t, _)| *t).min() {
        samples.sort_by_key(|(_, l)| std::cmp::Reverse(*l));
        run.slowest = samples
            .iter()
            .take(3)
            .map(|(t, l)| (t.duration_since(t0), *l))
            .collect();
    }
    run.latencies = samples.into_iter().map(|(_, l)| l).collect();
    run.latencies.sort();
    Ok(run)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

impl Run {
    /// Nearest-rank percentile.
    fn percentile(&self, p: f64) -> Duration {
        let n = self.latencies.len();
        if n == 0 {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * n as f64).ceil() as usize;
        self.latencies[rank.clamp(1, n) - 1]
    }

    fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.wall.as_secs_f64()
    }

    fn summary(&self) -> String {
        let mut s = format!(
            "{} ok in {:.2} s: {:.0}/s; p50 {}, p90 {}, p99 {}, max {}",
            self.latencies.len(),
            self.wall.as_secs_f64(),
            self.per_second(),
            ms(self.percentile(50.0)),
            ms(self.percentile(90.0)),
            ms(self.percentile(99.0)),
            ms(self.latencies.last().copied().unwrap_or_default()),
        );
        let slowest: Vec<String> = self
            .slowest
            .iter()
            .map(|(at, l)| format!("{} at +{:.2} s", ms(*l), at.as_secs_f64()))
            .collect();
        s.push_str(&format!("; slowest: {}", slowest.join(", ")));
        if self.failures > 0 {
            s.push_str(&format!(
                "; {} FAILED (first: {})",
                self.failures,
                self.first_failure.as_deref().unwrap_or("?")
            ));
        }
        s
    }
}

fn print_notes(notes: &[String]) {
    for n in notes {
        eprintln!("  server said: {n}");
    }
}

/// How a part-1 server makes its decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The relay as deployed: every decision fsynced before its answer.
    Durable,
    /// The relay with `--unsafe-no-fsync`.
    NoFsync,
    /// The relay's router over a store in memory.
    Memory,
    /// No relay: an axum handler answering a copy of a real answer.
    Bare,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Durable => "durable",
            Mode::NoFsync => "no-fsync",
            Mode::Memory => "memory store",
            Mode::Bare => "bare axum",
        }
    }
}

/// One part-1 measurement.
struct Measured {
    mode: Mode,
    threads: usize,
    run: Run,
    /// The 1-minute load average before and after the redemptions.
    load: (String, String),
}

/// The 1-, 5- and 15-minute load averages ("?" where there are none).
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "?".into())
}

/// The 1-minute figure of [`loadavg`].
fn load1(l: &str) -> &str {
    l.split_whitespace().next().unwrap_or("?")
}

/// Uploads run from this many threads: the relay admits 4 uploads at once
/// from one address (`Admission::per_address`).
const UPLOAD_THREADS: usize = 4;

/// Part 1: for each client thread count, the same redemptions from a
/// durable relay, a relay with `--unsafe-no-fsync` and the bare handler,
/// one after the other (so each ratio compares runs made within seconds),
/// each on a fresh empty relay.
fn throughput(args: &Args, bin: &Path, vaults: &[Vault]) -> Result<Vec<Measured>> {
    let mut modes = vec![Mode::Durable, Mode::NoFsync];
    if args.memory {
        modes.push(Mode::Memory);
    }
    if args.bare {
        modes.push(Mode::Bare);
    }
    let answer_file = tempfile::Builder::new()
        .prefix("bench-relay-answer-")
        .tempfile()?;
    let mut out = Vec::new();
    for &threads in &args.threads {
        // A real answer of this level's durable run, for the bare handler.
        let sample = std::sync::OnceLock::<Vec<u8>>::new();
        for &mode in &modes {
            let name = format!("{threads} threads, {}", mode.name());
            let (server, reals, _dir) = if mode == Mode::Bare {
                let answer = sample
                    .get()
                    .ok_or("the durable run gave no answer to copy")?;
                std::fs::write(answer_file.path(), answer)?;
                let ids = (0..args.tokens)
                    .map(|_| {
                        Ok(Real {
                            owner: 0,
                            id: crypto::random_array::<32>().map_err(|e| e.to_string())?,
                            token: Vec::new(),
                            share: Vec::new(),
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                eprintln!("[{name}] answers {} bytes to every request", answer.len());
                (Server::start_bare(answer_file.path())?, ids, None)
            } else {
                let t = Instant::now();
                let reals = make_tokens(vaults, args.tokens)?;
                eprintln!(
                    "[{name}] made {} tokens in {:.1} s",
                    reals.len(),
                    t.elapsed().as_secs_f64()
                );
                let dir = tempfile::Builder::new().prefix("bench-relay-").tempdir()?;
                let server = if mode == Mode::Memory {
                    Server::start_memory()?
                } else {
                    Server::start(bin, dir.path(), mode == Mode::NoFsync)?
                };
                let origin = server.origin.clone();
                let up = drive(&origin, UPLOAD_THREADS, 404, &reals, |c, r| {
                    upload(&c.agent, &origin, vaults[r.owner].identity(), r)
                })?;
                println!("[{name}] uploads:     {}", up.summary());
                if up.failures > 0 {
                    return Err("uploads failed".into());
                }
                (server, reals, Some(dir))
            };
            let origin = server.origin.clone();
            let warm = if mode == Mode::Bare { 200 } else { 404 };
            let before = loadavg();
            let flushes_before = store_flushes(&origin);
            let cpu_before = server.cpu();
            let run = drive(&origin, threads, warm, &reals, |a, r| {
                let answer = redeem(a, &origin, r)?;
                if mode == Mode::Durable {
                    sample.get_or_init(|| answer);
                }
                Ok(())
            })?;
            let after = loadavg();
            println!(
                "[{name}] redemptions: {}; load {before} -> {after}",
                run.summary()
            );
            if let (Some(b), Some(a)) = (cpu_before, server.cpu()) {
                println!(
                    "[{name}] server CPU: {:.0} µs per redemption ({:.2} s in all)",
                    a.saturating_sub(b).as_secs_f64() * 1e6 / reals.len() as f64,
                    a.saturating_sub(b).as_secs_f64()
                );
            }
            if let (Some(b), Some(a)) = (flushes_before, store_flushes(&origin)) {
                let n = a.saturating_sub(b);
                println!(
                    "[{name}] store flushes: {n}, {:.1} redemptions each",
                    reals.len() as f64 / n.max(1) as f64
                );
            }
            println!("[{name}] {}", server.memory());
            print_notes(&server.stop()?);
            if run.failures > 0 {
                return Err(format!("[{name}] redemptions failed").into());
            }
            out.push(Measured {
                mode,
                threads,
                run,
                load: (before, after),
            });
        }
    }
    Ok(out)
}

/// Part 1's figures as markdown tables: every run, then the ratios.
fn print_throughput(runs: &[Measured]) {
    println!();
    println!(
        "| client threads | server | redemptions/s | p50 | p90 | p99 | max | load before → after |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---|");
    for m in runs {
        let r = &m.run;
        println!(
            "| {} | {} | {:.0} | {} | {} | {} | {} | {} → {} |",
            m.threads,
            m.mode.name(),
            r.per_second(),
            ms(r.percentile(50.0)),
            ms(r.percentile(90.0)),
            ms(r.percentile(99.0)),
            ms(r.latencies.last().copied().unwrap_or_default()),
            load1(&m.load.0),
            load1(&m.load.1),
        );
    }
    println!();
    println!("| client threads | durable / no-fsync | durable / bare | no-fsync / bare | no-fsync / memory store | memory store / bare | p50 durable / no-fsync | p99 durable / no-fsync |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut threads: Vec<usize> = runs.iter().map(|m| m.threads).collect();
    threads.dedup();
    for t in threads {
        let find = |mode| runs.iter().find(|m| m.threads == t && m.mode == mode);
        let ratio =
            |a: Option<&Measured>, b: Option<&Measured>, f: &dyn Fn(&Run) -> f64| match (a, b) {
                (Some(a), Some(b)) => format!("{:.2}×", f(&a.run) / f(&b.run)),
                _ => "–".into(),
            };
        let (d, n, m, b) = (
            find(Mode::Durable),
            find(Mode::NoFsync),
            find(Mode::Memory),
            find(Mode::Bare),
        );
        let rate = |r: &Run| r.per_second();
        let p50 = |r: &Run| r.percentile(50.0).as_secs_f64();
        let p99 = |r: &Run| r.percentile(99.0).as_secs_f64();
        println!(
            "| {t} | {} | {} | {} | {} | {} | {} | {} |",
            ratio(d, n, &rate),
            ratio(d, b, &rate),
            ratio(n, b, &rate),
            ratio(n, m, &rate),
            ratio(m, b, &rate),
            ratio(d, n, &p50),
            ratio(d, n, &p99),
        );
    }
}

/// The bare handler, run as this program with `--serve-bare FILE`: an
/// axum router on loopback whose `POST /v1/redeem` parses the request's
/// JSON (as the relay's route does) and answers FILE's bytes, a copy of a
/// real redemption's answer, as `application/json`. No store, no token,
/// no layers: what HTTP, JSON and axum cost on their own. Prints "…
/// listening on ORIGIN" on stderr when ready, like the relay.
fn serve_bare(answer: &Path) -> Result<()> {
    let body = axum::body::Bytes::from(std::fs::read(answer)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let app = axum::Router::new().route(
            "/v1/redeem",
            axum::routing::post(move |axum::Json(req): axum::Json<RedeemRequest>| {
                let body = body.clone();
                async move {
                    std::hint::black_box(req);
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        body,
                    )
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        eprintln!(
            "bench_relay bare handler listening on http://{}",
            listener.local_addr()?
        );
        axum::serve(listener, app).await?;
        Ok(())
    })
}

/// The relay over a store in memory, run as this program with
/// `--serve-memory`: `vault_server`'s own state, router and serve loop
/// (every route, decision, signature and answer as deployed, limits out
/// of the way as for the relays), with `MemoryStore` and
/// `MemoryDocuments` in place of sled and the share folder. Prints "…
/// listening on ORIGIN" on stderr when ready, like the relay.
fn serve_memory() -> Result<()> {
    // Logs as the relay does (a line per request, read and dropped by the
    // benchmark).
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("vault_server=info"))
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let state = vault_server::state::AppState::new(
            Box::new(MemoryStore::new()),
            Box::new(vault_core::MemoryDocuments::new()),
            Identity::generate(Role::Relay)?,
            format!("http://{addr}"),
            vault_server::state::Limits {
                per_ip_per_minute: u32::MAX,
                per_token_per_minute: u32::MAX,
                in_flight_per_ip: usize::MAX,
            },
        );
        let router = vault_server::app::app(state.clone());
        eprintln!("bench_relay relay over a store in memory listening on http://{addr}");
        let caps = vault_server::admission::Caps {
            conns_per_ip: usize::MAX,
            conns_total: usize::MAX,
        };
        vault_server::serve::serve(listener, router, state, caps, std::future::pending()).await;
        Ok(())
    })
}

/// Writes `filler` filler records and every real token (with
/// `db::upload`, spread evenly among the filler) into a new relay data
/// folder `data`, flushes the store once, and returns the number of
/// token records.
fn fill_store(data: &Path, survivor: &[u8; 32], reals: &[Real], filler: usize) -> Result<usize> {
    std::fs::create_dir_all(data)?;
    // Flushes only at the end, explicitly; share files are never synced.
    let store = NoFsync(SledStore::open(&data.join(STORE_DIR))?);
    let shares = vault_core::store::FolderDocuments::without_fsync(&shares_dir(data)?);
    let now = vault_core::time::now();
    let template = &reals[0];
    let record = postcard::to_allocvec(&TokenRecord {
        token: template.token.clone(),
        account: *survivor,
        uses: 0,
        revoked: false,
        created: now,
        share_len: template.share.len() as u64,
    })?;
    // Filler ids look random (SHA-256 of a counter) but are written in key
    // order: sled, with the 16 MiB cache the relay gives it, writes a
    // million random keys several times slower. Lookups afterwards do not
    // care in which order the keys arrived.
    let mut ids: Vec<[u8; 32]> = (0..filler as u64)
        .map(|i| crypto::sha256(&[b"bench_relay filler", &i.to_be_bytes()]))
        .collect();
    ids.sort_unstable();
    let total = filler + reals.len();
    let mut batch = Vec::with_capacity(BATCH_OPS + 8);
    let mut ids = ids.iter();
    let mut next_real = 0usize;
    let started = Instant::now();
    for p in 0..total {
        if p > 0 && p % 100_000 == 0 {
            eprintln!(
                "  {p} of {total} records written ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
        }
        // Real token k sits at position k·total/R.
        if next_real < reals.len() && p == next_real * total / reals.len() {
            let r = &reals[next_real];
            let token = UnverifiedToken::decode(&r.token)?;
            db::upload(&store, &shares, survivor, &token, &r.share, now)
                .map_err(|e| format!("db::upload: {e:?}"))?;
            next_real += 1;
            continue;
        }
        let id = ids.next().ok_or("as many filler ids as filler positions")?;
        let mut file = shares.create(id)?;
        std::io::Write::write_all(&mut file, &template.share)?;
        file.commit()?;
        batch.push(Op::Insert([&b"T"[..], id].concat(), record.clone()));
        batch.push(Op::Insert([&b"A"[..], survivor, id].concat(), Vec::new()));
        if batch.len() >= BATCH_OPS {
            store.apply(std::mem::take(&mut batch))?;
        }
    }
    store.apply(batch)?;
    store.0.flush()?;
    let records = store.keys_with_prefix(b"T")?.len();
    Ok(records)
}

/// Bytes under `path`: (the files' lengths, the disk blocks they take).
fn disk_usage(path: &Path) -> (u64, u64) {
    let Ok(entries) = std::fs::read_dir(path) else {
        return (0, 0);
    };
    let mut total = (0, 0);
    for e in entries.filter_map(|e| e.ok()) {
        let (len, blocks) = match e.metadata() {
            Ok(m) if m.is_dir() => disk_usage(&e.path()),
            Ok(m) => (m.len(), allocated(&m)),
            Err(_) => (0, 0),
        };
        total.0 += len;
        total.1 += blocks;
    }
    total
}

#[cfg(unix)]
fn allocated(m: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::blocks(m) * 512
}

#[cfg(not(unix))]
fn allocated(m: &std::fs::Metadata) -> u64 {
    m.len()
}

/// "store A MB (B MB on disk), shares C MB (D MB on disk)".
fn describe_disk(data: &Path) -> String {
    let mb = |b: u64| b as f64 / 1e6;
    let (store, store_blocks) = disk_usage(&data.join(STORE_DIR));
    let (shares, share_blocks) = disk_usage(&data.join(vault_server::SHARES_DIR));
    format!(
        "store {:.0} MB ({:.0} MB of disk blocks), shares {:.0} MB ({:.0} MB of disk blocks)",
        mb(store),
        mb(store_blocks),
        mb(shares),
        mb(share_blocks)
    )
}

/// Megabytes of file data in memory not yet written back (`Dirty:` in
/// /proc/meminfo; "?" where there is none).
fn dirty_mb() -> String {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("Dirty:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or_else(|| "?".into(), |kb| format!("{:.0}", kb as f64 / 1024.0))
}

/// Writes every dirty page back (`sync`), where there is such a command.
fn sync_disk() {
    if let Err(e) = Command::new("sync").status() {
        eprintln!("warning: could not run sync: {e}");
    }
}

/// Part 2: the same redemptions with a small and a large store.
fn store_size(args: &Args, bin: &Path, vault: &Vault) -> Result<Vec<(usize, Run)>> {
    let real = args.tokens.min(args.small);
    let survivor = *vault.identity().public().key_bytes();
    let mut out = Vec::new();
    for size in [args.small, args.large] {
        let reals = make_tokens(std::slice::from_ref(vault), real)?;
        let dir = tempfile::Builder::new().prefix("bench-relay-").tempdir()?;
        let t = Instant::now();
        let records = fill_store(dir.path(), &survivor, &reals, size - real)?;
        let fill = t.elapsed();
        println!(
            "[{size} stored] filled: {records} token records ({real} real, {} filler) in {:.1} s; {}",
            size - real,
            fill.as_secs_f64(),
            describe_disk(dir.path())
        );
        // The fill synced nothing; let the kernel write it all back now,
        // not while durable redemptions wait for their fsyncs.
        let t = Instant::now();
        let dirty = dirty_mb();
        sync_disk();
        println!(
            "[{size} stored] synced {dirty} MB of dirty pages in {:.1} s before starting the server",
            t.elapsed().as_secs_f64()
        );
        let server = Server::start(bin, dir.path(), false)?;
        let origin = server.origin.clone();
        let run = drive(&origin, args.threads[0], 404, &reals, |a, r| {
            redeem(a, &origin, r).map(drop)
        })?;
        println!("[{size} stored] redemptions: {}", run.summary());
        println!("[{size} stored] {}", server.memory());
        print_notes(&server.stop()?);
        let t = Instant::now();
        drop(dir);
        eprintln!(
            "[{size} stored] removed the data folder in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        out.push((size, run));
    }
    Ok(out)
}

fn run() -> Result<()> {
    let args = Args::parse()?;
    let bin = server_binary()?;
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "bench_relay: {:?} client threads, tokens from {} survivor(s), {cpus} CPUs, server {}, load {}",
        args.threads,
        args.survivors,
        bin.display(),
        loadavg()
    );
    let vaults = (0..args.survivors)
        .map(|_| survivor_vault())
        .collect::<Result<Vec<_>>>()?;
    let vault = &vaults[0];
    let started = Instant::now();
    if args.durability {
        let runs = throughput(&args, &bin, &vaults)?;
        print_throughput(&runs);
    }
    if args.size {
        let runs = store_size(&args, &bin, vault)?;
        if let [(small, a), (large, b)] = &runs[..] {
            let growth = b.percentile(99.0).as_secs_f64() / a.percentile(99.0).as_secs_f64();
            println!(
                "p99 at {large} stored / p99 at {small} stored: {growth:.2}× (goal < 1.5×: {}); p50 {:.2}×",
                if growth < 1.5 { "met" } else { "NOT met" },
                b.percentile(50.0).as_secs_f64() / a.percentile(50.0).as_secs_f64(),
            );
        }
    }
    println!("total {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The argument that makes this program the bare handler (part 1).
const SERVE_BARE: &str = "--serve-bare";
/// The argument that makes this program the relay over a store in memory.
const SERVE_MEMORY: &str = "--serve-memory";

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let first = args.next();
    if first.as_deref() == Some(OsStr::new(SERVE_MEMORY)) {
        return match serve_memory() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("bench_relay: the relay over a store in memory stopped: {e}");
                ExitCode::FAILURE
            }
        };
    }
    if first.as_deref() == Some(OsStr::new(SERVE_BARE)) {
        let Some(answer) = args.next() else {
            eprintln!("bench_relay: {SERVE_BARE} needs the file to answer");
            return ExitCode::FAILURE;
        };
        return match serve_bare(Path::new(&answer)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("bench_relay: the bare handler stopped: {e}");
                ExitCode::FAILURE
            }
        };
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_relay: {e}");
            ExitCode::FAILURE
        }
    }
}
