//! Every way a redemption is refused, end to end: the real relay decides,
//! the real `vault agency redeem` reports it with exit code 9 and the
//! relay's stable code (`--json`), in plain words — and a relay that
//! cannot be reached is never mistaken for a yes or a no (exit 10).
//!
//! Tokens the CLI will not make (already expired, starting later) are
//! made with vault-core on the survivor's real vault and uploaded with a
//! signed request, exactly as the CLI uploads.

use std::fs;
use std::time::Duration;

use survivor_vault_tests::flow;
use survivor_vault_tests::flow::{
    same_rate_window_for, sleep_until_after, unknown_link, Keys, Person, Relay, Spec,
};

fn survivor(relay: &Relay) -> Person {
    let s = Person::survivor(relay);
    s.put("identity.name", "Ama");
    s
}

fn grant_to(survivor: &Person, agency: &Person) -> flow::Granted {
    survivor.grant(&[
        "--fields",
        "identity.name",
        "--to",
        agency.id(),
        "--purpose",
        "Housing application",
    ])
}

#[test]
fn redeem_after_the_survivor_withdraws_is_refused_revoked() {
    let relay = Relay::start();
    let survivor = survivor(&relay);
    let agency = Person::agency(&relay);
    let g = grant_to(&survivor, &agency);
    survivor
        .run(&["revoke", &g.token_id[..12]])
        .ok()
        .says("Withdrawn.")
        .says("cannot take back");
    agency
        .redeem(&g.link, &["--json"])
        .fails_json(9, "revoked")
        .says("This code can no longer be used.");
    // The refusal is in the survivor's checked history.
    survivor
        .run(&["log"])
        .ok()
        .prints("was refused: This code can no longer be used.");
}

#[test]
fn redeem_after_the_time_is_over_is_refused_expired() {
    let relay = Relay::start();
    let survivor = survivor(&relay);
    let agency = Person::agency(&relay);
    let (minted, expires) = {
        let keys = Keys::open(&survivor, &relay);
        // Taken after the vault is open, so the upload is well within it.
        let now = vault_core::time::now();
        let minted = keys.grant(&Spec {
            audience: Some(agency.public()),
            not_before: now,
            expires: now + 3,
            ..Spec::anyone("identity.name")
        });
        (minted, now + 3)
    };
    sleep_until_after(expires);
    agency
        .redeem(&minted.link, &["--json"])
        .fails_json(9, "expired")
        .says("The time this share was given for is over.");
    // Still refused the same way (and never "not found").
    agency.redeem(&minted.link, &[]).fails(9, "is over");
}

#[test]
fn redeem_before_the_start_is_refused_not_yet_valid() {
    let relay = Relay::start();
    let survivor = survivor(&relay);
    let agency = Person::agency(&relay);
    let minted = {
        let keys = Keys::open(&survivor, &relay);
        let now = vault_core::time::now();
        keys.grant(&Spec {
            audience: Some(agency.public()),
            // Within the relay's allowance for a clock ahead (300 s),
            // so the upload is taken and the redemption is early.
            not_before: now + 240,
            expires: now + 7200,
            ..Spec::anyone("identity.name")
        })
    };
    agency
        .redeem(&minted.link, &["--json"])
        .fails_json(9, "not_yet_valid")
        .says("not valid yet");
}

#[test]
fn redeem_by_another_agency_is_refused_wrong_audience_and_uses_nothing() {
    let relay = Relay::start();
    let survivor = survivor(&relay);
    let intended = Person::agency(&relay);
    let other = Person::agency(&relay);
    let g = grant_to(&survivor, &intended);
    other
        .redeem(&g.link, &["--json"])
        .fails_json(9, "wrong_audience")
        .says("given to a different agency");
    // The one-use share is still there for the agency it is for.
    intended
        .redeem(&g.link, &[])
        .ok()
        .prints("identity.name: Ama");
}

#[test]
fn redeem_of_a_secret_nobody_shared_is_refused_not_found() {
    let relay = Relay::start();
    let agency = Person::agency(&relay);
    agency
        .redeem(&unknown_link(&relay), &["--json"])
        .fails_json(9, "not_found")
        .says("No share was found for this code.");
}

#[test]
fn third_attempt_on_one_token_within_a_minute_is_rate_limited() {
    let relay = Relay::start_with(&["--rate-per-token", "2"]);
    let survivor = survivor(&relay);
    let agency = Person::agency(&relay);
    let g = grant_to(&survivor, &agency);
    // The relay counts in whole clock minutes: keep the three attempts in one.
    same_rate_window_for(Duration::from_secs(20));
    agency.redeem(&g.link, &[]).ok();
    agency.redeem(&g.link, &["--json"]).fails_json(9, "used_up");
    agency
        .redeem(&g.link, &["--json"])
        .fails_json(9, "rate_limited")
        .says("Too many requests right now.");
    // Another token is not held back by this one's limit.
    let g2 = grant_to(&survivor, &agency);
    agency.redeem(&g2.link, &[]).ok();
}

#[test]
fn relay_down_is_nothing_sent_never_success() {
    let mut relay = Relay::start();
    let survivor = survivor(&relay);
    let agency = Person::agency(&relay);
    let g = grant_to(&survivor, &agency);
    relay.crash();
    let out = agency.redeem(&g.link, &["--json"]);
    // Nothing listens: the request never left, and it says so.
    out.fails_json(10, "relay_unreachable")
        .says("so nothing was sent");
    let out = agency.redeem(&g.link, &[]);
    out.fails(10, "Could not reach the relay at");
    assert!(!out.stdout_text().contains("Ama"), "{out}");
    // Nothing was written for the unknown outcome.
    let leftovers: Vec<_> = fs::read_dir(agency.home())
        .expect("home lists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("shared-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Back up: the share was never used, so it still opens once.
    relay.restart();
    agency
        .redeem(&g.link, &[])
        .ok()
        .prints("identity.name: Ama");
}

#[test]
fn a_malformed_link_is_refused_bad_link_before_anything_is_asked() {
    let relay = Relay::start();
    let agency = Person::agency(&relay);
    let good = unknown_link(&relay);
    let (origin, secret) = good.split_once("/S#").expect("a link has /S#");
    let bad = [
        "not a link".to_owned(),
        String::new(),
        origin.to_owned(),
        format!("{origin}/S#"),
        format!("{origin}/S#{}", &secret[..secret.len() - 1]),
        format!("{origin}/S#{secret}A"),
        format!("{origin}/S#{}1", &secret[..secret.len() - 1]),
        format!("{origin}/X#{secret}"),
        format!("FTP://127.0.0.1:1/S#{secret}"),
        // Plain http is only for this machine.
        format!("HTTP://relay.example.org/S#{secret}"),
    ];
    for link in &bad {
        agency
            .redeem(link, &["--json"])
            .fails_json(2, "bad_link")
            .says("That is not a usable share link");
    }
    // Even with no agency keys at all, the link is checked first.
    let nobody = Person::survivor(&relay);
    nobody
        .redeem("not a link", &["--json"])
        .fails_json(2, "bad_link");
}

#[test]
fn a_replayed_signed_request_is_refused() {
    let relay = Relay::start();
    let survivor = survivor(&relay);
    let keys = Keys::open(&survivor, &relay);
    let t = keys.grant(&Spec::anyone("identity.name"));
    let body = format!("{{\"token_id\":\"{}\"}}", t.hex);
    let headers = vault_core::relay::request::sign(
        keys.vault.identity(),
        relay.url(),
        "POST",
        "/v1/revoke",
        vault_core::time::now(),
        body.as_bytes(),
    )
    .expect("signs");
    let agent = flow::http::agent();
    let send = || {
        let mut req = agent
            .post(format!("{}/v1/revoke", relay.url()))
            .header("content-type", "application/json");
        for (k, v) in &headers {
            req = req.header(*k, v);
        }
        let mut res = req.send(body.as_bytes()).expect("the relay answers");
        let status = res.status().as_u16();
        (status, res.body_mut().read_to_string().expect("a body"))
    };
    let (status, first) = send();
    assert_eq!(status, 200, "{first}");
    assert!(first.contains(&t.hex), "{first}");
    let (status, second) = send();
    assert_eq!(status, 400, "{second}");
    assert!(second.contains("\"bad_request\""), "{second}");
}
