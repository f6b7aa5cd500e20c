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
    assert!(
        all.iter()
            .any(|p| p.parent().is_some_and(|d| d.ends_with("journal"))),
        "the journal's files are there: {all:?}"
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

/// A relay started by hand, without `--data` unless given, in a home of
/// its own: its URL and everything it logged up to "listening".
struct Started {
    child: std::process::Child,
    url: String,
    log: String,
}

fn start_in(home: &Path, data: Option<&Path>) -> Started {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut cmd = Command::new(survivor_vault_tests::server_bin());
    if let Some(d) = data {
        cmd.arg("--data").arg(d);
    }
    let mut child = cmd
        .args(["--listen", "127.0.0.1:0"])
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("RUST_LOG", "vault_server=info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vault-server can be started");
    let stderr = child.stderr.take().expect("stderr is piped");
    let mut log = String::new();
    let mut url = String::new();
    for line in BufReader::new(stderr).lines() {
        let Ok(line) = line else { break };
        log.push_str(&line);
        log.push('\n');
        if let Some(u) = line.strip_prefix("vault-server listening on ") {
            url = u.trim().to_owned();
            break;
        }
    }
    assert!(!url.is_empty(), "the relay did not start:\n{log}");
    Started { child, url, log }
}

fn relay_id(url: &str) -> String {
    let body = ureq::get(&format!("{url}/v1/relay"))
        .call()
        .expect("GET /v1/relay")
        .body_mut()
        .read_to_string()
        .expect("a body");
    let info: vault_core::relay::api::RelayInfo = serde_json::from_str(&body).expect("relay info");
    info.relay
}

fn stop(mut s: Started) {
    let _ = s.child.kill();
    let _ = s.child.wait();
}

#[test]
fn moves_an_earlier_versions_data_folder_to_the_neutral_name_and_keeps_the_relays_key() {
    let home = tempfile::tempdir().expect("a temporary folder");
    let data = home.path().join("data");
    // A relay where earlier versions kept its data.
    let old = data.join("survivor-vault");
    let first = start_in(home.path(), Some(&old.join("relay")));
    let id = relay_id(&first.url);
    stop(first);

    // Started without --data: the folder is renamed once, and the relay is
    // the same relay (its key, and so every share, kept).
    let moved = start_in(home.path(), None);
    assert!(
        moved.log.contains("renamed the data folder"),
        "{}",
        moved.log
    );
    assert_eq!(relay_id(&moved.url), id, "the relay's key was kept");
    stop(moved);
    assert!(!old.exists(), "the old folder was renamed");
    assert!(data.join("folio").join("relay").is_dir());

    // Both there: the new one is used, the old one is left as it is.
    fs::create_dir_all(old.join("relay")).expect("an old folder again");
    let both = start_in(home.path(), None);
    assert!(both.log.contains("both"), "{}", both.log);
    assert_eq!(relay_id(&both.url), id);
    stop(both);
    assert!(old.join("relay").is_dir(), "nothing removed");
}

#[test]
fn a_checkpoint_size_out_of_range_is_refused_with_the_range() {
    let data = tempfile::tempdir().expect("tempdir");
    let out = std::process::Command::new(survivor_vault_tests::server_bin())
        .arg("--data")
        .arg(data.path())
        .args(["--listen", "127.0.0.1:0", "--checkpoint-bytes", "100"])
        .output()
        .expect("vault-server runs");
    assert!(
        !out.status.success(),
        "a checkpoint of 100 bytes is refused"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--checkpoint-bytes") && err.contains("4096"),
        "says which option and what it accepts: {err}"
    );
    assert!(
        !data.path().join("journal").exists(),
        "nothing was made before the refusal"
    );
}
