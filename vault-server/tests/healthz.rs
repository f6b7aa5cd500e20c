//! The real `vault-server` binary starts on a free loopback port and
//! answers `GET /healthz`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

#[test]
fn binary_starts_and_answers_healthz() {
    // Its own data folder: never the per-user default of whoever runs it.
    let data = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_vault-server"))
        .arg("--data")
        .arg(data.path())
        .args(["--listen", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("start vault-server");
    let stderr = child.stderr.take().expect("piped stderr");
    let mut addr = None;
    for line in BufReader::new(stderr).lines() {
        let line = line.expect("read stderr");
        if let Some(rest) = line.strip_prefix("vault-server listening on http://") {
            addr = Some(rest.trim().to_owned());
            break;
        }
    }
    let addr = addr.expect("the server printed its address");
    let mut conn = TcpStream::connect(&addr).expect("connect");
    write!(
        conn,
        "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut reply = String::new();
    conn.read_to_string(&mut reply).expect("read reply");
    child.kill().expect("stop server");
    let _ = child.wait();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains(r#"{"status":"ok"}"#), "{reply}");
}
