//! The slow-body flood of issue 10 (item 1), reproduced on loopback: how
//! long does a survivor's withdrawal take while one address holds
//! hundreds of connections that send their headers and then one body byte
//! every two seconds?
//!
//! Starts a `vault-server` binary in a fresh temporary data folder on
//! `127.0.0.1:0` (default limits), then for `--seconds` runs:
//!
//! - the flood: `--connections` connections from **127.0.0.2** (Linux
//!   routes all of 127/8 to loopback), each sending the head of a
//!   `POST /v1/revoke` with `content-length: 1000` and then one byte every
//!   2 s; a connection the relay closes is opened again straight away
//!   (a real attacker would), at most once per 2 s per slot;
//! - the probes, from 127.0.0.1, one a second each, every probe on its
//!   own thread so a stalled one does not delay the next: a signed
//!   `POST /v1/revoke-all` (a fresh survivor key, so it withdraws nothing)
//!   and a `GET /healthz`, each with a 35 s client timeout.
//!
//! Prints, for each probe, p50/p90/p99/max latency, how many took longer
//! than 10 s (the e2e test's client limit) and how many failed.
//!
//! ```text
//! cargo run -p vault-server --example flood_slow_body -- \
//!     [--server PATH] [--connections 300] [--seconds 60]
//! ```
//!
//! `--server` defaults to `vault-server` next to this example's folder
//! (`target/debug/vault-server` for a debug build). Run it against an
//! older build for "before" figures. Loopback only; bounded in
//! connections and time; the relay is killed at the end.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a measuring program: its output is the result"
)]

use std::error::Error;
use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;
use vault_core::relay::api::RevokeAllRequest;
use vault_core::relay::request;
use vault_core::{Identity, Role};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const ATTACKER: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);
const TRICKLE: Duration = Duration::from_secs(2);
const PROBE_TIMEOUT: Duration = Duration::from_secs(35);
const SLOW: Duration = Duration::from_secs(10);

struct Args {
    server: PathBuf,
    connections: usize,
    seconds: u64,
}

fn args() -> Result<Args> {
    let mut a = Args {
        server: std::env::current_exe()?
            .parent()
            .and_then(|p| p.parent())
            .ok_or("no folder above the example")?
            .join("vault-server"),
        connections: 300,
        seconds: 60,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut v = || it.next().ok_or(format!("{k} needs a value"));
        match k.as_str() {
            "--server" => a.server = PathBuf::from(v()?),
            "--connections" => a.connections = v()?.parse()?,
            "--seconds" => a.seconds = v()?.parse()?,
            _ => {
                return Err(
                    "usage: flood_slow_body [--server PATH] [--connections N] [--seconds N]".into(),
                )
            }
        }
    }
    if a.connections == 0 || a.connections > 2000 || a.seconds == 0 || a.seconds > 600 {
        return Err("--connections 1..=2000, --seconds 1..=600".into());
    }
    Ok(a)
}

/// The relay, killed when dropped.
struct Relay {
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(server: &PathBuf) -> Result<(Relay, String)> {
    let dir = tempfile::tempdir()?;
    let mut child = Command::new(server)
        .arg("--data")
        .arg(dir.path().join("relay"))
        .args(["--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "vault_server=warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", server.display()))?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let relay = Relay { child, _dir: dir };
    let mut lines = BufReader::new(stderr).lines();
    let url = loop {
        let line = lines.next().ok_or("the relay stopped before listening")??;
        if let Some(u) = line.strip_prefix("vault-server listening on ") {
            break u.trim().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines.map_while(|l| l.ok()) {});
    Ok((relay, url))
}

async fn flood_one(to: SocketAddr, stop: Arc<AtomicBool>, opened: Arc<AtomicU64>) {
    let head = format!(
        "POST /v1/revoke HTTP/1.1\r\nhost: {to}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n"
    );
    while !stop.load(Ordering::Relaxed) {
        let round = Instant::now();
        let conn = async {
            let s = tokio::net::TcpSocket::new_v4()?;
            s.bind(SocketAddrV4::new(ATTACKER, 0).into())?;
            s.connect(to).await
        };
        if let Ok(Ok(mut s)) = tokio::time::timeout(Duration::from_secs(2), conn).await {
            opened.fetch_add(1, Ordering::Relaxed);
            if s.write_all(head.as_bytes()).await.is_ok() {
                while !stop.load(Ordering::Relaxed) {
                    tokio::time::sleep(TRICKLE).await;
                    if s.write_all(b" ").await.is_err() {
                        break;
                    }
                }
            }
        }
        if let Some(rest) = TRICKLE.checked_sub(round.elapsed()) {
            tokio::time::sleep(rest).await;
        }
    }
}

#[derive(Default)]
struct Probes {
    ok: Vec<Duration>,
    failed: Vec<String>,
}

fn summary(name: &str, p: &Probes) {
    let mut v = p.ok.clone();
    v.sort();
    let at = |q: f64| {
        v.get(((v.len() as f64 * q).ceil() as usize).saturating_sub(1))
            .map(|d| format!("{:.3}s", d.as_secs_f64()))
            .unwrap_or_else(|| "-".into())
    };
    let slow = v.iter().filter(|d| **d > SLOW).count();
    println!(
        "{name:<20} n={:<4} p50={} p90={} p99={} max={}  over 10 s: {slow}  failed: {}",
        v.len() + p.failed.len(),
        at(0.5),
        at(0.9),
        at(0.99),
        v.last()
            .map(|d| format!("{:.3}s", d.as_secs_f64()))
            .unwrap_or_else(|| "-".into()),
        p.failed.len()
    );
    for f in p.failed.iter().take(3) {
        println!("  failure: {f}");
    }
}

fn main() -> Result<()> {
    let a = args()?;
    let (relay, url) = start(&a.server)?;
    let to: SocketAddr = url
        .strip_prefix("http://")
        .ok_or("not an http origin")?
        .parse()?;
    println!(
        "relay {} at {url}; flood: {} connections from {ATTACKER}, one byte per {}s, for {}s",
        a.server.display(),
        a.connections,
        TRICKLE.as_secs(),
        a.seconds
    );

    let stop = Arc::new(AtomicBool::new(false));
    let opened = Arc::new(AtomicU64::new(0));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    for _ in 0..a.connections {
        rt.spawn(flood_one(to, Arc::clone(&stop), Arc::clone(&opened)));
    }
    // Let the flood take hold.
    std::thread::sleep(TRICKLE * 2);

    let survivor = Arc::new(Identity::generate(Role::Survivor)?);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(PROBE_TIMEOUT))
        .build()
        .into();
    let revoke = Arc::new(Mutex::new(Probes::default()));
    let health = Arc::new(Mutex::new(Probes::default()));
    let body = serde_json::to_vec(&RevokeAllRequest { survivor: None })?;
    let mut probes = Vec::new();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(a.seconds) {
        let tick = Instant::now();
        probes.push(std::thread::spawn({
            let (agent, url, survivor, body, out) = (
                agent.clone(),
                url.clone(),
                Arc::clone(&survivor),
                body.clone(),
                Arc::clone(&revoke),
            );
            move || {
                let t = Instant::now();
                let res = request::sign(
                    &survivor,
                    &url,
                    "POST",
                    "/v1/revoke-all",
                    vault_core::time::now(),
                    &body,
                )
                .map_err(|e| e.to_string())
                .and_then(|headers| {
                    let mut req = agent
                        .post(format!("{url}/v1/revoke-all"))
                        .header("content-type", "application/json");
                    for (k, v) in &headers {
                        req = req.header(*k, v);
                    }
                    req.send(&body[..]).map_err(|e| e.to_string())
                });
                record(&out, t, res);
            }
        }));
        probes.push(std::thread::spawn({
            let (agent, url, out) = (agent.clone(), url.clone(), Arc::clone(&health));
            move || {
                let t = Instant::now();
                let res = agent
                    .get(format!("{url}/healthz"))
                    .call()
                    .map_err(|e| e.to_string());
                record(&out, t, res);
            }
        }));
        if let Some(rest) = Duration::from_secs(1).checked_sub(tick.elapsed()) {
            std::thread::sleep(rest);
        }
    }
    for p in probes {
        let _ = p.join();
    }
    stop.store(true, Ordering::Relaxed);
    rt.shutdown_timeout(Duration::from_secs(1));
    drop(relay);

    println!(
        "attacker connections opened: {}",
        opened.load(Ordering::Relaxed)
    );
    summary("POST /v1/revoke-all", &lock(&revoke));
    summary("GET /healthz", &lock(&health));
    Ok(())
}

fn lock(m: &Mutex<Probes>) -> std::sync::MutexGuard<'_, Probes> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn record(
    out: &Mutex<Probes>,
    t: Instant,
    res: std::result::Result<ureq::http::Response<ureq::Body>, String>,
) {
    let elapsed = t.elapsed();
    let mut p = lock(out);
    match res {
        Ok(r) if r.status() == 200 => p.ok.push(elapsed),
        Ok(r) => p
            .failed
            .push(format!("HTTP {} after {elapsed:?}", r.status().as_u16())),
        Err(e) => p.failed.push(format!("{e} after {elapsed:?}")),
    }
}
