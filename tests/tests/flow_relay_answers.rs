//! What `vault` does with answers a real relay never gives (issue 10,
//! items 6 and 8): a redirect is never followed, so the signed headers
//! (the survivor's main id and a fresh signature) never reach another host;
//! an answer too large to be the relay's is not read; and each is told in
//! plain words, never in the transport's own ("timeout: global", "the
//! response body is larger than request limit: 83886080").
//!
//! The "relays" here are tiny loopback servers written in the test, so
//! each can answer exactly one wrong way.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use survivor_vault_tests::flow::{Output, Person};
use vault_core::Role;

/// A loopback server that answers every request with `answer(stream)`,
/// after reading the request's head; returns its origin.
fn serve(answer: impl Fn(&mut TcpStream) + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let origin = format!(
        "http://127.0.0.1:{}",
        listener.local_addr().expect("an address").port()
    );
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            // Read the whole request (head and body), so closing the
            // connection never resets it before the answer is read.
            let mut request = BufReader::new(stream.try_clone().expect("a second handle"));
            let mut line = String::new();
            let mut body_len = 0u64;
            while request.read_line(&mut line).is_ok_and(|n| n > 2) {
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        body_len = value.trim().parse().unwrap_or(0);
                    }
                }
                line.clear();
            }
            let _ = std::io::copy(&mut request.take(body_len), &mut std::io::sink());
            answer(&mut stream);
        }
    });
    origin
}

/// A server that records whether anything ever connected to it.
fn witness() -> (String, Arc<AtomicBool>) {
    let contacted = Arc::new(AtomicBool::new(false));
    let seen = contacted.clone();
    let origin = serve(move |s| {
        seen.store(true, Ordering::SeqCst);
        let _ = s.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 14\r\nconnection: close\r\n\r\n{\"revoked\":[]}",
        );
    });
    (origin, contacted)
}

/// A relay that answers `status` with `Location: to`.
fn redirecting(status: &'static str, to: String) -> String {
    serve(move |s| {
        let _ = write!(
            s,
            "HTTP/1.1 {status}\r\nlocation: {to}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        );
    })
}

fn never_internal(out: &Output) {
    for internal in ["timeout:", "request limit", "os error", "backtrace", "ureq"] {
        assert!(!out.all().contains(internal), "{internal:?} shown\n{out}");
    }
}

#[test]
fn refuses_to_follow_a_redirect_with_the_survivors_signed_request() {
    let (elsewhere, contacted) = witness();
    for status in [
        "302 Found",
        "307 Temporary Redirect",
        "308 Permanent Redirect",
    ] {
        let relay = redirecting(status, format!("{elsewhere}/v1/revoke-all"));
        let survivor = Person::new(Role::Survivor, &relay);
        // A signed POST (withdraw everything) and a signed GET (history).
        let out = survivor.run(&["--json", "revoke", "--all"]);
        out.fails_json(10, "relay_redirect")
            .says(&format!(
                "answered with a redirect to {elsewhere}/v1/revoke-all"
            ))
            .says("The relay address may be wrong");
        never_internal(&out);
        let out = survivor.run(&["log"]);
        out.fails(10, "answered with a redirect");
        never_internal(&out);
        assert!(
            !contacted.load(Ordering::SeqCst),
            "after {status}, the signed request was sent to the redirect's target"
        );
    }
}

#[test]
fn refuses_to_follow_a_redirect_from_the_agencys_relay() {
    let (elsewhere, contacted) = witness();
    let relay = redirecting("307 Temporary Redirect", format!("{elsewhere}/v1/redeem"));
    let agency = Person::new(Role::Agency, &relay);
    let link = vault_core::ShareLink::new(&relay, vault_core::ShareSecret::from_bytes([7; 32]))
        .expect("a loopback link")
        .to_text()
        .to_string();
    let out = agency.redeem(&link, &[]);
    out.fails(10, "answered with a redirect");
    never_internal(&out);
    assert!(
        !contacted.load(Ordering::SeqCst),
        "the proof went elsewhere"
    );
}

#[test]
fn refuses_an_answer_larger_than_any_relay_answer_in_plain_words() {
    // Says it will send 100 MiB, then sends zeros until the reader leaves.
    let relay = serve(|s| {
        let _ = s.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 104857600\r\n\r\n",
        );
        let zeros = vec![b' '; 1 << 16];
        while s.write_all(&zeros).is_ok() {}
    });
    let survivor = Person::new(Role::Survivor, &relay);
    let out = survivor.run(&["--json", "log"]);
    out.fails_json(10, "status_unknown")
        .says("sent an answer larger than any real answer");
    never_internal(&out);
}

#[test]
fn says_plainly_when_nothing_listens_at_the_relay_address() {
    // A port that was free a moment ago: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a loopback port")
        .port();
    let survivor = Person::new(Role::Survivor, &format!("http://127.0.0.1:{port}"));
    let out = survivor.run(&["revoke", "--all"]);
    out.fails(10, "Could not reach the relay at")
        .says("so nothing was sent. Check the address and the connection, then try again.");
    assert!(!out.stderr.contains("unknown"), "{out}");
    never_internal(&out);
}
