//! Words and small frictions (issue 12): each checked end to end with the
//! real `vault` and `vault-server`: exit code, what did or did not
//! happen, and the key phrase.

use std::ffi::OsStr;
use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use survivor_vault_tests::flow::{sleep_until_after, Granted, Keys, Output, Person, Relay, Spec};
use survivor_vault_tests::{run_command, vault_command, TIME_LIMIT};

fn grant(survivor: &Person, to: &str, purpose: &str) -> Granted {
    survivor.grant(&[
        "--fields",
        "needs.housing",
        "--to",
        to,
        "--purpose",
        purpose,
    ])
}

/// One used-up share to the contact "Housing North", then two live ones
/// (one to that contact, one to anyone); returns the live ones.
fn three_shares(survivor: &Person, agency: &Person) -> (Granted, Granted) {
    survivor.put("needs.housing", "ground floor");
    survivor
        .run(&["contacts", "add", "Housing North", agency.id()])
        .ok();
    let used = grant(survivor, "Housing North", "First visit");
    agency.redeem(&used.link, &[]).ok().prints("ground floor");
    let a = grant(survivor, "Housing North", "Housing application");
    let b = survivor.grant(&[
        "--fields",
        "needs.housing",
        "--anyone",
        "--purpose",
        "Walk-in desk",
    ]);
    (a, b)
}

#[test]
fn withdrawing_everything_names_what_was_stopped_and_counts_what_was_over() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    let agency = Person::agency(&relay);
    let advocate = Person::advocate(&relay);
    let (a, b) = three_shares(&survivor, &agency);
    // An expired one, made through vault-core (the CLI will not make a
    // share shorter than 5 minutes).
    let expires = {
        let keys = Keys::open(&survivor, &relay);
        let now = vault_core::time::now();
        keys.grant(&Spec {
            expires: now + 3,
            ..Spec::anyone("needs.housing")
        });
        now + 3
    };
    sleep_until_after(expires);

    let out = survivor.run(&["--json", "revoke", "--all"]);
    out.ok()
        .says("Withdrew 2 shares that could still be used. From now on nobody can use them.")
        .says("2 more had already ended (expired or used up) and are now withdrawn too.")
        .says("Stopped:");
    let json = out.json();
    assert_eq!(json["revoked"].as_array().map(Vec::len), Some(4), "{out}");
    assert_eq!(json["live"].as_array().map(Vec::len), Some(2), "{out}");
    // Each stopped share on its own line: short id, who, what for.
    let line_a = out
        .stderr
        .lines()
        .find(|l| l.contains(&a.token_id[..12]))
        .unwrap_or_else(|| panic!("no line for the first live share\n{out}"));
    assert!(line_a.contains("to Housing North (agency1"), "{line_a}");
    assert!(line_a.contains("for \"Housing application\""), "{line_a}");
    assert!(
        !line_a.contains(&a.token_id[..13]),
        "only the short id: {line_a}"
    );
    let line_b = out
        .stderr
        .lines()
        .find(|l| l.contains(&b.token_id[..12]))
        .unwrap_or_else(|| panic!("no line for the second live share\n{out}"));
    assert!(line_b.contains("to anyone with the code"), "{line_b}");
    assert!(line_b.contains("for \"Walk-in desk\""), "{line_b}");
    // What was already over is counted, not named as stopped.
    assert!(!out.stderr.contains("First visit"), "{out}");
    assert_eq!(
        out.stderr.lines().filter(|l| l.starts_with("  ")).count(),
        2,
        "{out}"
    );

    // The advocate: the same counts, short ids only.
    let (c, d) = {
        survivor
            .run(&["delegate", advocate.id(), "--expires", "1d", "--yes"])
            .ok();
        let c = grant(&survivor, "Housing North", "Second visit");
        let d = grant(&survivor, "Housing North", "Third visit");
        let used = grant(&survivor, "Housing North", "Fourth visit");
        agency.redeem(&used.link, &[]).ok();
        (c, d)
    };
    let out = advocate.run(&["--json", "advocate", "revoke", "--all", survivor.id()]);
    out.ok()
        .says("Withdrew 2 shares that could still be used.")
        .says("1 more had already ended")
        .says("Stopped:")
        .says("Let the person know it is done.");
    for g in [&c, &d] {
        let line = out
            .stderr
            .lines()
            .find(|l| l.contains(&g.token_id[..12]))
            .unwrap_or_else(|| panic!("no line for a stopped share\n{out}"));
        assert_eq!(line.trim(), &g.token_id[..12], "short id only: {line}");
    }
    assert!(
        !out.stderr.contains("visit"),
        "the advocate never sees a purpose\n{out}"
    );
    assert_eq!(
        out.json()["live"].as_array().map(Vec::len),
        Some(2),
        "{out}"
    );
}

/// A loopback port nothing listens on.
fn closed_port() -> String {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a loopback port")
        .port();
    format!("http://127.0.0.1:{port}")
}

#[track_caller]
fn nothing_sent(out: &Output) {
    out.fails(10, "Could not reach the relay at http://127.0.0.1:")
        .says("so nothing was sent. Check the address and the connection, then try again.");
    for never in ["os error", "unknown", "refused (", "io:"] {
        assert!(!out.stderr.contains(never), "{never:?}\n{out}");
    }
}

#[test]
fn no_relay_says_nothing_was_sent_for_every_command() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("needs.housing", "ground floor");
    let agency = Person::agency(&relay);
    let advocate = Person::advocate(&relay);
    let g = grant(&survivor, agency.id(), "Housing application");
    survivor
        .run(&["delegate", advocate.id(), "--expires", "1d", "--yes"])
        .ok();
    let down = closed_port();

    let out = survivor.run_on(
        &down,
        &[
            "--json",
            "grant",
            "--yes",
            "--fields",
            "needs.housing",
            "--anyone",
            "--purpose",
            "Housing",
        ],
    );
    nothing_sent(&out);
    out.fails_json(10, "relay_unreachable");
    nothing_sent(&survivor.run_on(&down, &["revoke", "--all"]));
    nothing_sent(&survivor.run_on(&down, &["revoke", &g.token_id[..12]]));
    nothing_sent(&survivor.run_on(&down, &["log"]));
    nothing_sent(&survivor.run_on(&down, &["delegate", advocate.id(), "--yes"]));
    nothing_sent(&survivor.run_on(&down, &["undelegate", advocate.id()]));
    nothing_sent(&advocate.run_on(&down, &["advocate", "shares", survivor.id()]));
    nothing_sent(&advocate.run_on(&down, &["advocate", "revoke", "--all", survivor.id()]));
    nothing_sent(&advocate.run_on(&down, &["advocate", "revoke", &g.token_id[..12]]));
    nothing_sent(&advocate.run_on(&down, &["advocate", "clients"]));
    // The agency's link names the real relay; it is stopped instead.
    let mut relay = relay;
    relay.stop();
    nothing_sent(&agency.redeem(&g.link, &[]));
    // `grants` shows what the device knows, and says why the status is missing.
    let out = survivor.run_on(&down, &["grants"]);
    out.ok()
        .says("so nothing was sent")
        .says("the status column says `unknown`");
    assert!(!out.stderr.contains("os error"), "{out}");
    relay.restart();
    // Nothing was withdrawn meanwhile: the share still opens.
    agency.redeem(&g.link, &[]).ok().prints("ground floor");
}

#[test]
fn a_missing_choice_is_one_sentence_and_json_under_json() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    let out = survivor.run(&["grant", "--fields", "needs.housing", "--anyone"]);
    out.fails(
        2,
        "Say what the share is for with --purpose, for example --purpose \"housing application\".",
    );
    assert!(!out.stderr.contains("Usage:"), "{out}");
    assert!(!out.stderr.contains("--server"), "{out}");
    assert!(out.stdout.is_empty(), "{out}");

    let out = survivor.run(&["--json", "grant", "--fields", "needs.housing", "--anyone"]);
    out.fails_json(2, "missing_option");
    assert!(
        out.json()["message"]
            .as_str()
            .is_some_and(|m| m.contains("--purpose")),
        "{out}"
    );
    survivor
        .run(&["--json", "grant", "--purpose", "x", "--fields", "a"])
        .fails_json(2, "missing_option")
        .says("--to with an agency's contact name or id, or --anyone");
    survivor
        .run(&["--json", "grant", "--frobnicate"])
        .fails_json(2, "unknown_option")
        .says("This command has no option `--frobnicate`.");
    survivor
        .run(&[
            "--json",
            "grant",
            "--fields",
            "a",
            "--anyone",
            "--purpose",
            "x",
            "--uses",
            "many",
        ])
        .fails_json(2, "bad_value")
        .says("`many` is not a usable value for --uses.");
    survivor.run(&["revoke"]).fails(
        2,
        "Say which share to withdraw: its token id from `vault grants`, or --all",
    );
    survivor
        .run(&["advocate", "revoke"])
        .fails(2, "its token id from `vault advocate shares`");
    survivor
        .run(&["--json", "revoke", "abcdef12", "--all"])
        .fails_json(2, "conflicting_options")
        .says("cannot be used together");
    // Help and version are as they were.
    let help = survivor.run(&["grant", "--help"]);
    help.ok();
    assert!(help.stdout_text().contains("Usage: vault grant"), "{help}");
    let version = survivor.run(&["--version"]);
    version.ok();
    assert!(version.stdout_text().starts_with("vault "), "{version}");
}

#[test]
fn an_advocate_may_use_a_short_token_id_and_is_told_what_is_not_one() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("needs.housing", "ground floor");
    let agency = Person::agency(&relay);
    let advocate = Person::advocate(&relay);
    let g = grant(&survivor, agency.id(), "Housing application");

    // Not a token id: said before anything else, nothing sent.
    advocate
        .run(&["advocate", "revoke", "localhost"])
        .fails(2, "`localhost` is not a token id.");
    advocate
        .run(&["--json", "advocate", "revoke", survivor.id()])
        .fails_json(2, "bad_token_id")
        .says("That is a person's id, not a share's token id.");
    // A short id without permission: nothing matches, nothing withdrawn.
    advocate
        .run(&["advocate", "revoke", &g.token_id[..12]])
        .fails(
            5,
            "None of the shares you can see starts with that token id",
        );

    survivor
        .run(&["delegate", advocate.id(), "--expires", "1d", "--yes"])
        .ok();
    advocate
        .run(&["advocate", "revoke", &g.token_id[..12]])
        .ok()
        .says("Withdrawn. From now on nobody can use it.");
    agency
        .redeem(&g.link, &[])
        .fails(9, "This code can no longer be used.");
}

#[test]
fn a_permission_that_is_too_short_is_called_a_permission() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    let advocate = Person::advocate(&relay);
    let out = survivor.run(&[
        "--json",
        "delegate",
        advocate.id(),
        "--expires",
        "1m",
        "--yes",
    ]);
    out.fails_json(2, "bad_expiry")
        .says("A permission must last at least 5 minutes");
    assert!(!out.stderr.contains("share"), "{out}");
    survivor
        .run(&["delegate", advocate.id(), "--expires", "200d", "--yes"])
        .fails(2, "A permission can last at most");
    // Nothing was given.
    advocate
        .run(&["advocate", "shares", survivor.id()])
        .fails(11, "no permission");
}

#[test]
fn times_are_local_with_their_zone_and_json_keeps_seconds() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("needs.housing", "ground floor");
    let agency = Person::agency(&relay);
    let advocate = Person::advocate(&relay);
    let paris = [("TZ", "Europe/Paris")];
    let out = survivor.run_with_env(
        &paris,
        &[
            "grant",
            "--yes",
            "--fields",
            "needs.housing",
            "--to",
            agency.id(),
            "--purpose",
            "Housing application",
        ],
    );
    out.ok();
    // Said on this device: local time with its zone (Paris is CET in
    // winter, CEST in summer).
    let local = |s: &str| s.contains(" CET") || s.contains(" CEST");
    assert!(local(&out.stderr), "It works until … CET\n{out}");
    // The consent text leaves the device: it stays in UTC.
    assert!(
        out.stderr.contains("UTC"),
        "the consent text says UTC\n{out}"
    );

    let out = survivor.run_with_env(&paris, &["log"]);
    out.ok();
    let text = out.stdout_text();
    let first = text.lines().next().unwrap_or_default();
    assert!(local(first), "each log line says its zone: {first}\n{out}");
    assert!(!text.contains(" UTC"), "{out}");

    let out = survivor.run_with_env(&paris, &["grants"]);
    out.ok();
    assert!(local(&out.stdout_text()), "{out}");

    let out = survivor.run_with_env(&[("TZ", "Asia/Tokyo")], &["grants"]);
    out.ok();
    assert!(out.stdout_text().contains(" JST"), "{out}");

    survivor
        .run(&["delegate", advocate.id(), "--expires", "1d", "--yes"])
        .ok();
    let out = advocate.run_with_env(&paris, &["advocate", "shares", survivor.id()]);
    out.ok();
    assert!(local(&out.stdout_text()), "{out}");
    let out = advocate.run_with_env(&paris, &["advocate", "clients"]);
    out.ok();
    assert!(local(&out.stdout_text()), "{out}");

    // JSON keeps Unix seconds.
    let out = survivor.run_with_env(&paris, &["--json", "grants"]);
    out.ok();
    assert!(out.json()["grants"][0]["expires"].is_u64(), "{out}");
}

/// `vault ARGS` with the per-user data folder in `data` (no --vault).
fn in_data_folder<S: AsRef<OsStr>>(data: &Path, pass: &Path, args: &[S]) -> Output {
    let mut cmd = vault_command();
    cmd.env("XDG_DATA_HOME", data)
        .env("HOME", data)
        .arg("--passphrase-file")
        .arg(pass)
        .args(args);
    run_command(cmd, TIME_LIMIT)
}

#[test]
fn the_data_folder_has_a_neutral_name_and_an_old_one_is_moved_not_lost() {
    let home = tempfile::tempdir().expect("a temporary folder");
    let data = home.path().join("data");
    fs::create_dir(&data).expect("the data folder");
    let pass = home.path().join("pass");
    fs::write(&pass, "correct horse battery staple").expect("the passphrase file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&pass, fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    // A vault where earlier versions kept it.
    let old = data.join("survivor-vault");
    let mut cmd = vault_command();
    cmd.arg("--vault")
        .arg(old.join("vault"))
        .arg("--passphrase-file")
        .arg(&pass)
        .arg("init");
    run_command(cmd, TIME_LIMIT).ok();
    in_data_folder(&data, &pass, &["put", "needs.housing", "ground floor"])
        .ok()
        .says("Your data folder has a new, plainer name")
        .says("folio");
    assert!(!old.exists(), "the old folder was renamed");
    assert!(data.join("folio").join("vault").is_dir());
    // Said once: the next run is quiet, and the vault is all there.
    let out = in_data_folder(&data, &pass, &["get", "needs.housing"]);
    out.ok().prints("ground floor");
    assert!(!out.stderr.contains("new, plainer name"), "{out}");
    // Both there: the new one is used, the old one is left and mentioned.
    fs::create_dir_all(old.join("vault")).expect("an old folder again");
    in_data_folder(&data, &pass, &["get", "needs.housing"])
        .ok()
        .prints("ground floor")
        .says("There is also a folder from an earlier version of this program");
    assert!(old.join("vault").is_dir(), "nothing removed");
}

/// What a run at a terminal showed, and its exit code.
struct AtTerminal {
    code: i32,
    shown: String,
}

/// Runs `vault ARGS` at a terminal (`script` gives it one), typing each
/// of `lines` once its passphrase prompt has appeared (typed ahead, a
/// prompt could take the next line too); `None` where `script` is
/// missing.
fn at_terminal(vault_dir: &Path, args: &str, lines: &[&str]) -> Option<AtTerminal> {
    let script = ["/usr/bin/script", "/bin/script"]
        .into_iter()
        .find(|p| Path::new(p).is_file())?;
    let mut child = survivor_vault_tests::in_english(&mut Command::new(script))
        .env_remove("VAULT_DIR")
        .args([
            "-qec",
            &format!(
                "{} --vault {} {args}",
                survivor_vault_tests::vault_bin().display(),
                vault_dir.display()
            ),
            "/dev/null",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("script starts");
    let shown = Arc::new(Mutex::new(String::new()));
    let mut stdout = child.stdout.take().expect("piped");
    let reader = {
        let shown = Arc::clone(&shown);
        thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                shown.lock().expect("not poisoned").push_str(&text);
            }
        })
    };
    let mut stdin = child.stdin.take().expect("piped");
    let deadline = Instant::now() + TIME_LIMIT;
    let prompts = || {
        shown
            .lock()
            .expect("not poisoned")
            .matches("assphrase: ")
            .count()
    };
    for (i, line) in lines.iter().enumerate() {
        while prompts() <= i {
            assert!(
                Instant::now() < deadline,
                "no prompt {}:\n{}",
                i + 1,
                shown.lock().expect("not poisoned")
            );
            if child.try_wait().expect("wait").is_some() {
                break;
            }
            thread::sleep(Duration::from_millis(20));
        }
        let _ = stdin.write_all(format!("{line}\n").as_bytes());
    }
    let status = survivor_vault_tests::wait_within(&mut child, TIME_LIMIT).unwrap_or_else(|| {
        let _ = child.kill();
        panic!("did not finish:\n{}", shown.lock().expect("not poisoned"))
    });
    drop(stdin);
    let _ = reader.join();
    let shown = shown.lock().expect("not poisoned").clone();
    assert!(!shown.contains("panicked"), "{shown}");
    Some(AtTerminal {
        code: status.code().unwrap_or(-1),
        shown,
    })
}

#[test]
fn a_short_new_passphrase_is_refused_before_it_is_confirmed() {
    let home = tempfile::tempdir().expect("a temporary folder");
    let dir = home.path().join("v");
    let Some(out) = at_terminal(&dir, "init", &["short"]) else {
        eprintln!("no `script` here to give a terminal; skipped");
        return;
    };
    let all = out.shown;
    assert_eq!(out.code, 2, "{all}");
    assert!(
        all.contains("That passphrase is too short, so nothing was changed. Please choose a passphrase of at least 8 characters"),
        "{all}"
    );
    assert!(
        !all.contains("Type it again"),
        "asked to confirm a refused passphrase\n{all}"
    );
    assert!(!dir.exists() || fs::read_dir(&dir).map_or(true, |mut d| d.next().is_none()));
    // From a file too (scripts), with the same words.
    let pass = home.path().join("short");
    fs::write(&pass, "short").expect("write");
    let mut cmd = vault_command();
    cmd.arg("--vault")
        .arg(&dir)
        .arg("--passphrase-file")
        .arg(&pass)
        .arg("init");
    run_command(cmd, TIME_LIMIT).fails(2, "That passphrase is too short");
}

#[test]
fn the_third_wrong_passphrase_says_what_to_check() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    let Some(out) = at_terminal(
        &survivor.vault,
        "ls",
        &["wrong one", "wrong two", "wrong three"],
    ) else {
        eprintln!("no `script` here to give a terminal; skipped");
        return;
    };
    let all = out.shown;
    assert_eq!(out.code, 3, "{all}");
    assert_eq!(all.matches("Please type it again.").count(), 2, "{all}");
    assert_eq!(all.matches("assphrase: ").count(), 3, "{all}");
    assert!(all.contains("(3 tries)"), "{all}");
    assert!(all.contains("Caps Lock"), "{all}");
    assert!(all.contains("keyboard is set to the language"), "{all}");
    assert!(
        all.contains("Nobody can recover a lost passphrase"),
        "{all}"
    );
    // What was typed is not shown.
    assert!(!all.contains("wrong two"), "{all}");
    // The right one on the second try opens it.
    let out = at_terminal(
        &survivor.vault,
        "ls",
        &["wrong one", survivor_vault_tests::flow::PASSPHRASE],
    )
    .expect("script is still here");
    assert_eq!(out.code, 0, "{}", out.shown);
    assert!(out.shown.contains("Nothing is saved yet"), "{}", out.shown);
    // With a passphrase file, one try, and no count kept between runs.
    let wrong = survivor.file("wrong");
    fs::write(&wrong, "not the passphrase").expect("write");
    let mut cmd = vault_command();
    cmd.arg("--vault")
        .arg(&survivor.vault)
        .arg("--passphrase-file")
        .arg(&wrong)
        .arg("ls");
    let out = run_command(cmd, TIME_LIMIT);
    out.fails(3, "That passphrase did not open the vault.");
    assert!(!out.stderr.contains("Caps Lock"), "{out}");
}
