//! Reproduces the memory flood of issue 10 (item 3) against a relay binary
//! and prints its resident memory: before, at its peak, right after each
//! flood, and after a pause.
//!
//! ```text
//! cargo build -p vault-server
//! cargo run -p survivor-vault-tests --example flood_upload -- \
//!     [--server PATH] [--uploads N] [--mib M] [--attack unsigned|wrong-hash|both]
//!     [--sources K]
//! ```
//!
//! It starts its own relay (`--server`, default the `vault-server` next to
//! this program) in a temporary data folder on `127.0.0.1`, on a free
//! port, sends the flood on loopback only, stops the relay and removes the
//! folder. Bounded: at most 64 uploads of at most 64 MiB each, sent as they
//! are generated (64 KiB held per connection), every read and write with a
//! 60 s limit. Linux only (it reads `/proc/PID/status`).
//!
//! The "wrong-hash" flood uses a survivor key made on the spot and valid
//! tokens whose bytes do not match; a relay from before the fix reads
//! those whole too (it answers `bad_request` only once it has them).
//! `--sources K` (1-32, default 1) sends the connections from K loopback
//! addresses in turn (127.0.0.2 …), as from K machines.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use survivor_vault_tests::flood::{self, Attack, Memory};

fn usage() -> ! {
    eprintln!(
        "usage: flood_upload [--server PATH] [--uploads N (1-64, default 32)] [--mib M (1-64, default 40)] [--attack unsigned|wrong-hash|both] [--sources K (1-32, default 1)]"
    );
    std::process::exit(2)
}

fn main() {
    let mut server = std::env::current_exe()
        .ok()
        .and_then(|p| Some(p.parent()?.parent()?.join("vault-server")))
        .unwrap_or_else(|| PathBuf::from("vault-server"));
    let mut uploads = 32usize;
    let mut mib = 40u64;
    let mut sources = 1u8;
    let mut attacks = vec![Attack::Unsigned, Attack::WrongHash];
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--server" => server = PathBuf::from(value()),
            "--uploads" => uploads = value().parse().unwrap_or_else(|_| usage()),
            "--mib" => mib = value().parse().unwrap_or_else(|_| usage()),
            "--sources" => sources = value().parse().unwrap_or_else(|_| usage()),
            "--attack" => {
                attacks = match value().as_str() {
                    "unsigned" => vec![Attack::Unsigned],
                    "wrong-hash" => vec![Attack::WrongHash],
                    "both" => vec![Attack::Unsigned, Attack::WrongHash],
                    _ => usage(),
                }
            }
            _ => usage(),
        }
    }
    if !(1..=64).contains(&uploads) || !(1..=64).contains(&mib) || !(1..=32).contains(&sources) {
        usage();
    }
    if !server.is_file() {
        eprintln!(
            "no relay binary at {}; build it (cargo build -p vault-server) or give --server PATH",
            server.display()
        );
        std::process::exit(2);
    }

    let data = tempfile::tempdir().expect("a temporary folder");
    let mut child = Command::new(&server)
        .arg("--data")
        .arg(data.path())
        .args(["--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "vault_server=warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the relay starts");
    let stderr = child.stderr.take().expect("stderr is piped");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if let Some(url) = line.strip_prefix("vault-server listening on ") {
                let _ = tx.send(url.trim().to_owned());
            }
        }
    });
    let Ok(origin) = rx.recv_timeout(Duration::from_secs(30)) else {
        let _ = child.kill();
        let _ = child.wait();
        eprintln!("the relay did not say where it listens");
        std::process::exit(1);
    };
    let pid = child.id();
    let show = |what: &str, m: Memory| {
        println!(
            "{what:<44} resident {:>8.1} MiB   peak {:>8.1} MiB",
            flood::mib(m.rss_kib),
            flood::mib(m.peak_kib)
        );
    };
    println!(
        "relay {} at {origin}; {uploads} parallel uploads of {mib} MiB each, from {sources} address(es)",
        server.display()
    );
    show("idle", flood::memory(pid).expect("/proc/PID/status"));
    for attack in attacks {
        let started = Instant::now();
        let out = flood::flood(&origin, attack, uploads, mib * 1024 * 1024, sources);
        println!(
            "{} flood: {out} in {:.1} s",
            attack.name(),
            started.elapsed().as_secs_f64()
        );
        match flood::memory(pid) {
            Some(m) => show(&format!("right after the {} flood", attack.name()), m),
            None => println!("the relay is gone (it may have run out of memory)"),
        }
    }
    thread::sleep(Duration::from_secs(5));
    if let Some(m) = flood::memory(pid) {
        show("5 s later", m);
    }
    let _ = child.kill();
    let _ = child.wait();
}
