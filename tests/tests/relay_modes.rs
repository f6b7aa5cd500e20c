//! Issue 10, item 4: the relay's store is its owner's alone. Every file the
//! real `vault-server` writes is `0600` in `0700` folders (sled makes its
//! files with the umask, which was `022`: `store/db` was `0644`, readable by
//! every local user), and looser modes on an existing data folder are
//! narrowed at start-up, with a log line saying so.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use survivor_vault_tests::flow::{Person, Relay};
use survivor_vault_tests::{everything_under, mode_of};

fn all_private(root: &Path) {
    let all = everything_under(root);
    assert!(
        all.iter().any(|p| p.ends_with("store/db")),
        "sled's files are there: {all:?}"
    );
    for p in all {
        let want = if p.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode_of(&p), want, "{}: {:o}", p.display(), mode_of(&p));
    }
}

#[test]
fn keeps_every_file_the_relay_writes_private_and_narrows_loose_modes() {
    let mut relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("identity.name", "Ama");
    survivor.grant(&[
        "--fields",
        "identity.name",
        "--anyone",
        "--purpose",
        "housing application",
    ]);
    relay.stop();
    all_private(&relay.data);
    assert!(
        !relay.log().contains("private to this user"),
        "nothing to narrow on a fresh folder\n{}",
        relay.log()
    );

    // As a copy made with `cp -r` under umask 022 would leave it.
    for p in everything_under(&relay.data) {
        let loose = if p.is_dir() { 0o755 } else { 0o644 };
        fs::set_permissions(&p, fs::Permissions::from_mode(loose)).expect("chmod");
    }
    relay.restart();
    relay.stop();
    all_private(&relay.data);
    assert!(
        relay
            .log()
            .contains("private to this user; other local users could read them"),
        "the relay says what it narrowed\n{}",
        relay.log()
    );
}
