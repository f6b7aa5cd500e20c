//! Use limits hold under a stampede: the real relay, 32 clients released
//! together by a barrier, each racing to redeem the same token. A one-use
//! token opens exactly once, a five-use token exactly five times; every
//! other attempt is `410 used_up`, and every attempt is in the survivor's
//! checked history exactly once.
//!
//! Tokens are made with vault-core on the survivor's real vault and
//! uploaded with signed requests (the CLI would take minutes for a
//! hundred); redemptions go straight to `POST /v1/redeem` with a plain
//! HTTP client, as an agency's would.

use std::collections::BTreeMap;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Instant;

use survivor_vault_tests::flow::{http, Keys, Minted, Person, Relay, Spec};

const CLIENTS: usize = 32;

/// Fires `CLIENTS` simultaneous redemptions at each token in turn; returns
/// per token the (status, error code) of every attempt.
fn stampede(origin: &str, tokens: &[Minted]) -> Vec<Vec<(u16, String)>> {
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let ids: Arc<Vec<String>> = Arc::new(tokens.iter().map(|t| t.hex.clone()).collect());
    let workers: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            let ids = Arc::clone(&ids);
            let origin = origin.to_owned();
            thread::spawn(move || {
                let agent = http::agent();
                ids.iter()
                    .map(|id| {
                        barrier.wait();
                        http::redeem(&agent, &origin, id)
                            .unwrap_or_else(|e| panic!("no answer from the relay: {e}"))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let per_client: Vec<Vec<(u16, String)>> = workers
        .into_iter()
        .map(|w| w.join().expect("a client thread does not panic"))
        .collect();
    (0..tokens.len())
        .map(|t| per_client.iter().map(|c| c[t].clone()).collect())
        .collect()
}

fn tally(attempts: &[(u16, String)]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for (status, code) in attempts {
        *m.entry(format!("{status} {code}")).or_insert(0) += 1;
    }
    m
}

#[test]
fn thirty_two_racing_agencies_open_each_token_exactly_as_often_as_allowed() {
    let relay = Relay::start_with(&["--rate-per-ip", "10000000", "--rate-per-token", "100000"]);
    let survivor = Person::survivor(&relay);
    survivor.put("identity.name", "Ama");

    let t0 = Instant::now();
    let (singles, five) = {
        let keys = Keys::open(&survivor, &relay);
        let singles: Vec<Minted> = (0..100)
            .map(|_| keys.grant(&Spec::anyone("identity.name")))
            .collect();
        let five = keys.grant(&Spec {
            max_uses: 5,
            ..Spec::anyone("identity.name")
        });
        (singles, five)
    };
    let made = t0.elapsed();

    let t1 = Instant::now();
    let results = stampede(relay.url(), &singles);
    let raced = t1.elapsed();
    for (t, attempts) in singles.iter().zip(&results) {
        let m = tally(attempts);
        let want = BTreeMap::from([
            ("200 ".to_owned(), 1),
            ("410 used_up".to_owned(), CLIENTS - 1),
        ]);
        assert_eq!(m, want, "token {}: {m:?}", t.hex);
    }

    let m = tally(&stampede(relay.url(), std::slice::from_ref(&five))[0]);
    let want = BTreeMap::from([
        ("200 ".to_owned(), 5),
        ("410 used_up".to_owned(), CLIENTS - 5),
    ]);
    assert_eq!(m, want, "the five-use token: {m:?}");

    // The relay's own count agrees, and the history holds every attempt
    // once: 101 shares made, 101 × 32 attempts.
    let grants = survivor.run(&["--json", "grants"]);
    grants.ok();
    let rows = grants.json()["grants"].as_array().expect("rows").clone();
    assert_eq!(rows.len(), 101);
    for r in &rows {
        let want = if r["token_id"] == five.hex.as_str() {
            5
        } else {
            1
        };
        assert_eq!(r["uses"], want, "{r}");
        assert_eq!(r["status"], "used_up", "{r}");
    }
    let log = survivor.run(&["--json", "log"]);
    log.ok();
    let entries = log.json()["entries"].as_array().expect("entries").len();
    assert_eq!(entries, 101 + 101 * CLIENTS, "{}", log.stderr);

    eprintln!(
        "made and uploaded 101 tokens in {made:.1?}; {} racing redemptions in {raced:.1?}",
        100 * CLIENTS
    );
}
