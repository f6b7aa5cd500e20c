//! The disk refuses to sync: the real relay runs under `strace`, which
//! makes every `fdatasync` fail with `EIO` (fault injection; nothing in
//! the relay is changed for the test). The relay must then answer no
//! redemption as granted, since it cannot know the use is on disk; stop
//! by itself, saying why; and, started again on a healthy disk, go on
//! from what the disk holds, never past the token's uses.
//!
//! This is what a SIGKILL test cannot show (the page cache survives a
//! killed process): that an answer waits for a real sync of the store's
//! log. With sled's own flush alone (`sync_file_range`, no `fdatasync`)
//! the first redemption below is granted, and the test fails.

use std::process::Command;
use std::time::Duration;

use survivor_vault_tests::flow::{http, Keys, Person, Relay, Spec};

/// strace, failing every `fdatasync` of the relay and its threads.
const DISK_REFUSES_SYNC: &[&str] = &[
    "strace",
    "-f",
    "-qq",
    "-o",
    "/dev/null",
    "-e",
    "trace=fdatasync",
    "-e",
    "inject=fdatasync:error=EIO",
    "--",
];

fn strace_is_there() -> bool {
    Command::new("strace")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn a_relay_whose_disk_refuses_to_sync_grants_nothing_and_stops() {
    assert!(
        strace_is_there(),
        "this test needs strace: run scripts/setup.sh (or: apt-get install strace)"
    );
    let mut relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("identity.name", "Sam");
    let token = {
        let keys = Keys::open(&survivor, &relay);
        keys.grant(&Spec {
            max_uses: 2,
            ..Spec::anyone("identity.name")
        })
    };
    relay.stop();

    relay.restart_under(DISK_REFUSES_SYNC);
    let agent = http::agent();
    let first = http::redeem(&agent, relay.url(), &token.hex);
    assert_eq!(
        first,
        Ok((500, "server_error".to_owned())),
        "a use that could not be made durable is not granted"
    );
    // Nothing more is decided: the next request is refused too, or finds
    // the relay already gone.
    if let Ok((status, code)) = http::redeem(&agent, relay.url(), &token.hex) {
        assert_eq!((status, code.as_str()), (500, "server_error"));
    }
    let status = relay
        .exited_within(Duration::from_secs(30))
        .expect("the relay stops by itself once its store cannot sync");
    assert!(!status.success(), "it stops with a failure: {status}");
    assert!(
        relay.log_says(
            "the relay stopped because its store could not make a decision durable",
            Duration::from_secs(5)
        ),
        "it says why:\n{}",
        relay.log()
    );

    // On a disk that syncs again, the relay goes on from what the disk
    // holds: the refused use may or may not have reached it (the agency
    // was told `internal`, an unknown outcome), but the token is never
    // opened more than twice in all.
    relay.restart_under(&[]);
    let mut granted = 0;
    loop {
        match http::redeem(&agent, relay.url(), &token.hex) {
            Ok((200, _)) => granted += 1,
            Ok((410, code)) if code == "used_up" => break,
            other => panic!("unexpected answer after the restart: {other:?}"),
        }
        assert!(granted <= 2, "more uses than the survivor allowed");
    }
    assert!(
        (1..=2).contains(&granted),
        "granted {granted} times after the restart"
    );
    // The survivor's history still verifies.
    survivor.run(&["log"]).ok();
}
