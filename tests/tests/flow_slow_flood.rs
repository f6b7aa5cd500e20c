//! One address cannot keep a survivor from withdrawing: a flood of
//! connections that send their headers and then one body byte every two
//! seconds (issue 10, item 1) leaves `vault revoke --all` and `/healthz`
//! answering within a 10 s client limit, again and again. Also: the
//! connection cap per address, idle keep-alive connections, and a
//! malformed chunked body answered `400 bad_request` (not `413`).
//!
//! The attacker's sockets are bound to 127.0.0.2 (Linux sends all of
//! 127/8 to loopback), so the survivor at 127.0.0.1 is another address.
//! Loopback only, bounded in connections and time.

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use survivor_vault_tests::flow::{http, vault_bin, Person, Relay};
use survivor_vault_tests::Running;

/// The attacker's address.
const ATTACKER: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);
/// Connections the attacker keeps open (or re-opens).
const CONNECTIONS: usize = 300;
/// Time between two body bytes on each connection.
const TRICKLE: Duration = Duration::from_secs(2);
/// What a survivor's withdrawal and a health check must answer within.
const CLIENT_LIMIT: Duration = Duration::from_secs(10);

fn relay_addr(relay: &Relay) -> SocketAddr {
    relay
        .url()
        .strip_prefix("http://")
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("a loopback http origin: {}", relay.url()))
}

/// A connection from `from` to `to`, or `None` if refused.
fn connect_from(from: Ipv4Addr, to: SocketAddr) -> Option<TcpStream> {
    use socket2::{Domain, Socket, Type};
    let s = Socket::new(Domain::IPV4, Type::STREAM, None).ok()?;
    s.bind(&SocketAddrV4::new(from, 0).into()).ok()?;
    s.connect_timeout(&to.into(), Duration::from_secs(2)).ok()?;
    let s: TcpStream = s.into();
    s.set_write_timeout(Some(Duration::from_secs(1))).ok()?;
    Some(s)
}

/// The slow-body flood, from [`ATTACKER`], until dropped.
struct Flood {
    stop: Arc<AtomicBool>,
    opened: Arc<AtomicU64>,
    worker: Option<thread::JoinHandle<()>>,
}

impl Flood {
    fn start(to: SocketAddr) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let opened = Arc::new(AtomicU64::new(0));
        let worker = thread::spawn({
            let stop = Arc::clone(&stop);
            let opened = Arc::clone(&opened);
            move || {
                let head = format!(
                    "POST /v1/revoke HTTP/1.1\r\nhost: {to}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n"
                );
                let mut conns: Vec<Option<TcpStream>> = (0..CONNECTIONS).map(|_| None).collect();
                while !stop.load(Ordering::Relaxed) {
                    for slot in conns.iter_mut() {
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        let alive = match slot {
                            Some(s) => s.write_all(b" ").is_ok(),
                            None => match connect_from(ATTACKER, to) {
                                Some(mut s) => {
                                    opened.fetch_add(1, Ordering::Relaxed);
                                    let ok = s.write_all(head.as_bytes()).is_ok();
                                    *slot = Some(s);
                                    ok
                                }
                                None => false,
                            },
                        };
                        if !alive {
                            *slot = None;
                        }
                    }
                    let round = Instant::now();
                    while round.elapsed() < TRICKLE && !stop.load(Ordering::Relaxed) {
                        thread::sleep(Duration::from_millis(50));
                    }
                }
            }
        });
        Self {
            stop,
            opened,
            worker: Some(worker),
        }
    }
}

impl Drop for Flood {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

/// `vault revoke --all` for `survivor`, killed after [`CLIENT_LIMIT`]:
/// `Ok(elapsed)` if it succeeded in time, otherwise what happened.
fn revoke_all_within_limit(survivor: &Person) -> Result<Duration, String> {
    let mut cmd = Command::new(vault_bin());
    survivor_vault_tests::in_english(&mut cmd);
    cmd.current_dir(survivor.home())
        .env_remove("VAULT_DIR")
        .env_remove("VAULT_SERVER")
        .arg("--vault")
        .arg(&survivor.vault)
        .arg("--passphrase-file")
        .arg(&survivor.pass)
        .arg("--server")
        .arg(&survivor.server)
        .args(["revoke", "--all"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let started = Instant::now();
    let mut running = Running::start(cmd, None);
    let mut done = false;
    while started.elapsed() < CLIENT_LIMIT {
        if running.try_status().is_some() {
            done = true;
            break;
        }
        thread::sleep(Duration::from_millis(10));
    }
    if !done {
        running.kill();
        return Err(format!("no answer within {CLIENT_LIMIT:?}"));
    }
    let elapsed = started.elapsed();
    let out = running.finish_within(Duration::from_secs(5));
    if out.code == 0 {
        Ok(elapsed)
    } else {
        Err(format!("failed after {elapsed:?}\n{out}"))
    }
}

/// `GET /healthz` from 127.0.0.1 with a [`CLIENT_LIMIT`] timeout.
fn healthz_within_limit(relay: &Relay) -> Result<Duration, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(CLIENT_LIMIT))
        .build()
        .into();
    let started = Instant::now();
    match http::get(&agent, &format!("{}/healthz", relay.url())) {
        Ok((200, _)) => Ok(started.elapsed()),
        Ok((status, body)) => Err(format!("{status} {body}")),
        Err(e) => Err(format!("no answer after {:?}: {e}", started.elapsed())),
    }
}

#[test]
fn keeps_withdrawals_answering_during_a_slow_body_flood_from_one_address() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("identity.name", "Slow-Flood-Heron");
    survivor.grant(&[
        "--fields",
        "identity.name",
        "--anyone",
        "--purpose",
        "Flood test",
    ]);
    let to = relay_addr(&relay);
    assert!(
        connect_from(ATTACKER, to).is_some(),
        "this system does not route 127.0.0.2 to loopback"
    );

    let flood = Flood::start(to);
    // Let the flood take hold: every connection has sent its headers and
    // a few body bytes.
    thread::sleep(TRICKLE * 2);
    let mut results = Vec::new();
    for round in 0..3 {
        let revoke = revoke_all_within_limit(&survivor);
        let health = healthz_within_limit(&relay);
        results.push((round, revoke, health));
        thread::sleep(TRICKLE * 2);
    }
    let opened = flood.opened.load(Ordering::Relaxed);
    drop(flood);
    let failed: Vec<_> = results
        .iter()
        .filter(|(_, r, h)| r.is_err() || h.is_err())
        .collect();
    assert!(
        failed.is_empty(),
        "withdrawals or health checks failed during the flood ({opened} attacker connections opened): {results:#?}"
    );
    eprintln!("during the flood ({opened} attacker connections opened): {results:?}");
    // And nothing lost: the share was withdrawn.
    let out = survivor.run(&["--json", "grants"]);
    out.ok();
    assert!(
        !out.stdout_text().contains("\"active\""),
        "a share is still active after revoke --all\n{out}"
    );
}

#[test]
fn refuses_connections_over_the_cap_of_one_address_and_serves_others() {
    let relay = Relay::start_with(&["--conns-per-ip", "4"]);
    let to = relay_addr(&relay);
    // Four idle connections from the attacker are kept (until the header
    // timeout).
    let held: Vec<TcpStream> = (0..4)
        .map(|_| connect_from(ATTACKER, to).expect("a connection under the cap"))
        .collect();
    // Give the relay time to count them.
    thread::sleep(Duration::from_millis(500));
    let mut fifth = connect_from(ATTACKER, to).expect("the connection is accepted");
    fifth
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("a read timeout");
    let _ = fifth.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n");
    let mut answer = Vec::new();
    match fifth.read_to_end(&mut answer) {
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
        Err(e) => panic!("the fifth connection was neither answered nor closed: {e}"),
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 429"),
        "the fifth connection was served: {answer}"
    );
    assert!(!answer.contains("\"ok\""), "{answer}");
    // Another address is served.
    healthz_within_limit(&relay).expect("127.0.0.1 is served");
    drop(held);
}

#[test]
fn closes_an_idle_keep_alive_connection() {
    let relay = Relay::start();
    let to = relay_addr(&relay);
    let mut s = TcpStream::connect(to).expect("a connection");
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("a read timeout");
    s.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .expect("the request is sent");
    // Read the answer, then wait: the relay must close the idle connection
    // (after its header timeout) rather than keep it forever.
    let started = Instant::now();
    let mut all = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => all.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
            Err(e) => panic!(
                "the idle connection was still open after {:?}: {e}",
                started.elapsed()
            ),
        }
    }
    let text = String::from_utf8_lossy(&all);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
}

/// The status line the relay answers `request` with.
fn status_of(relay: &Relay, request: &[u8]) -> String {
    let mut s = TcpStream::connect(relay_addr(relay)).expect("a connection");
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("a read timeout");
    s.write_all(request).expect("the request is sent");
    let mut all = Vec::new();
    let _ = s.read_to_end(&mut all);
    let text = String::from_utf8_lossy(&all).into_owned();
    text.lines().next().unwrap_or_default().to_owned() + "\n" + &text
}

#[test]
fn rejects_a_malformed_chunked_body_as_bad_request() {
    let relay = Relay::start();
    for path in ["/v1/revoke", "/v1/redeem", "/v1/shares"] {
        let req = format!(
            "POST {path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{{}}\r\nzz\r\n\r\n"
        );
        let answer = status_of(&relay, req.as_bytes());
        assert!(
            answer.starts_with("HTTP/1.1 400") && answer.contains("\"bad_request\""),
            "{path}: {answer}"
        );
    }
}

#[test]
fn answers_a_body_that_stops_arriving_with_timeout() {
    let relay = Relay::start();
    let mut s = TcpStream::connect(relay_addr(&relay)).expect("a connection");
    s.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("a read timeout");
    s.write_all(b"POST /v1/revoke-all HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{")
        .expect("the head is sent");
    let mut all = Vec::new();
    let _ = s.read_to_end(&mut all);
    let text = String::from_utf8_lossy(&all);
    assert!(
        text.starts_with("HTTP/1.1 408") && text.contains("\"timeout\""),
        "{text}"
    );
}
