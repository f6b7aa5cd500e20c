//! A relay killed with SIGKILL in the middle of a stream of redemptions,
//! several times over, and restarted on the same data folder: no token is
//! ever opened more often than its survivor allowed, every use the relay
//! answered "yes" to is still counted after the crash, the survivor's
//! hash-chained history still verifies and still extends what they saw
//! before, and once every token is used up no share file is left behind.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use survivor_vault_tests::flow::{http, Keys, Minted, Person, Relay, Spec};

const TOKENS: usize = 30;
const CLIENTS: usize = 8;
const ROUNDS: usize = 5;

#[derive(Debug, Default, Clone)]
struct Seen {
    /// 200s the clients received.
    ok: u32,
    /// Requests that got no answer (the crash): they may or may not count.
    unknown: u32,
}

/// Clients redeem the tokens round and round until the relay dies; the
/// relay is killed once `crash_after` more successes have been seen.
fn crash_round(
    relay: &mut Relay,
    tokens: &Arc<Vec<Minted>>,
    seen: &mut [Seen],
    crash_after: usize,
) {
    let successes = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let tokens = Arc::clone(tokens);
            let successes = Arc::clone(&successes);
            let stop = Arc::clone(&stop);
            let origin = relay.url().to_owned();
            thread::spawn(move || {
                let agent = http::agent();
                let mut mine = vec![Seen::default(); tokens.len()];
                let mut i = c * 7;
                while !stop.load(Ordering::Relaxed) {
                    let t = i % tokens.len();
                    i += 1;
                    match http::redeem(&agent, &origin, &tokens[t].hex) {
                        Ok((200, _)) => {
                            mine[t].ok += 1;
                            successes.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok((410, code)) if code == "used_up" => {}
                        Ok((status, code)) => panic!("unexpected answer {status} {code}"),
                        Err(_) => {
                            mine[t].unknown += 1;
                            break;
                        }
                    }
                }
                mine
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(30);
    while successes.load(Ordering::Relaxed) < crash_after && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(1));
    }
    assert!(
        Instant::now() < deadline,
        "the clients did not make {crash_after} redemptions in 30 s"
    );
    relay.crash();
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        let mine = w.join().expect("a client does not panic");
        for (total, m) in seen.iter_mut().zip(mine) {
            total.ok += m.ok;
            total.unknown += m.unknown;
        }
    }
    relay.restart();
}

#[test]
fn killing_the_relay_mid_redemption_never_allows_a_token_more_than_its_uses() {
    let mut relay = Relay::start_with(&["--rate-per-ip", "10000000", "--rate-per-token", "100000"]);
    let survivor = Person::survivor(&relay);
    survivor.put("identity.name", "Ama");
    let tokens: Arc<Vec<Minted>> = Arc::new({
        let keys = Keys::open(&survivor, &relay);
        (0..TOKENS)
            .map(|i| {
                keys.grant(&Spec {
                    max_uses: 2 + (i % 5) as u32,
                    ..Spec::anyone("identity.name")
                })
            })
            .collect()
    });
    let capacity: u32 = tokens.iter().map(|t| t.max_uses).sum();
    // The survivor has seen the history before the crashes.
    survivor
        .run(&["log"])
        .ok()
        .says(&format!("{TOKENS} entries"));

    let mut seen = vec![Seen::default(); TOKENS];
    for _ in 0..ROUNDS {
        crash_round(&mut relay, &tokens, &mut seen, capacity as usize / 8);
    }

    // Drain every token after the last restart.
    let agent = http::agent();
    for (t, s) in tokens.iter().zip(seen.iter_mut()) {
        let before = s.ok;
        let mut refused = None;
        for _ in 0..=t.max_uses + 1 {
            let (status, code) =
                http::redeem(&agent, relay.url(), &t.hex).expect("the restarted relay answers");
            if status == 200 {
                s.ok += 1;
            } else {
                refused = Some((status, code));
                break;
            }
        }
        assert_eq!(
            refused,
            Some((410, "used_up".to_owned())),
            "token {} never ran out",
            t.hex
        );
        assert!(
            s.ok <= t.max_uses,
            "token {} was opened {} times ({before} before the last restart), but allows {}",
            t.hex,
            s.ok,
            t.max_uses
        );
        // Every counted use was answered, or its answer was lost in a crash.
        assert!(
            s.ok + s.unknown >= t.max_uses,
            "token {}: {} uses seen, {} unknown, yet the relay counted {}",
            t.hex,
            s.ok,
            s.unknown,
            t.max_uses
        );
    }

    // The history verifies, extends what the survivor saw, and records
    // each token's uses 1..=max exactly once.
    let log = survivor.run(&["--json", "log"]);
    log.ok().says("still holds everything you saw before");
    let texts: Vec<String> = log.json()["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["text"].as_str().expect("text").to_owned())
        .collect();
    for t in tokens.iter() {
        let mut uses: Vec<u32> = texts
            .iter()
            .filter(|x| x.starts_with(&format!("Share {} was opened", &t.hex[..12])))
            .map(|x| {
                x.rsplit("(use ")
                    .next()
                    .and_then(|n| n.trim_end_matches(").").parse().ok())
                    .unwrap_or_else(|| panic!("no use number in {x:?}"))
            })
            .collect();
        uses.sort_unstable();
        assert_eq!(
            uses,
            (1..=t.max_uses).collect::<Vec<_>>(),
            "token {}: the history's uses",
            t.hex
        );
    }
    // Every token is used up: whatever a crash interrupted, no sealed
    // share is left in the relay's share folder.
    relay.stop();
    let left: Vec<_> = std::fs::read_dir(relay.data.join(vault_server::SHARES_DIR))
        .expect("the relay's share folder")
        .map(|e| e.expect("an entry").file_name())
        .collect();
    assert!(
        left.is_empty(),
        "share files left after the crashes: {left:?}"
    );

    let unknown: u32 = seen.iter().map(|s| s.unknown).sum();
    let counted_unseen: u32 = tokens
        .iter()
        .zip(&seen)
        .map(|(t, s)| t.max_uses - s.ok)
        .sum();
    eprintln!(
        "{ROUNDS} crashes; {unknown} answers lost in them, {counted_unseen} of which had been \
         counted; capacity {capacity}; history {} entries",
        texts.len()
    );
}
