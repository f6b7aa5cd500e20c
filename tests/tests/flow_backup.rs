//! `vault export` and `vault import` with the real binaries and the real
//! relay: a vault moved to another data folder is the same vault (fields,
//! documents, shares, history), and every refusal says what to do.

use std::ffi::OsStr;
use std::path::Path;

use survivor_vault_tests::flow::{Person, Relay};
use survivor_vault_tests::{files_under, pseudo_random_bytes, run_command, Output, TIME_LIMIT};

const HOUSING: &str = "Ground floor flat near the school";

/// `vault --vault DIR --passphrase-file PASS --server URL ARGS…`: the same
/// person's commands, on another data folder.
fn run_in<S: AsRef<OsStr>>(who: &Person, dir: &Path, pass: &Path, args: &[S]) -> Output {
    let mut cmd = survivor_vault_tests::vault_command();
    cmd.current_dir(who.home())
        .env_remove("VAULT_SERVER")
        .arg("--vault")
        .arg(dir)
        .arg("--passphrase-file")
        .arg(pass)
        .arg("--server")
        .arg(&who.server)
        .args(args);
    run_command(cmd, TIME_LIMIT)
}

fn stdout_of(out: &Output) -> Vec<u8> {
    out.ok();
    out.stdout.clone()
}

#[test]
fn moves_a_vault_to_another_folder_whole() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    let agency = Person::agency(&relay);
    survivor.put("needs.housing", HOUSING);
    let document = pseudo_random_bytes(300_000, 13);
    survivor.put_file("documents.passport", &document);
    survivor
        .run(&["contacts", "add", "Housing North", agency.id()])
        .ok();
    let granted = survivor.grant(&[
        "--fields",
        "needs.housing",
        "--to",
        "Housing North",
        "--purpose",
        "a housing application",
    ]);
    agency.redeem(&granted.link, &["--out", "received"]).ok();
    survivor.run(&["log"]).ok();

    let backup = survivor.file("folio-2026-12-05.backup");
    let out = survivor.run(&[
        OsStr::new("--json"),
        OsStr::new("export"),
        OsStr::new("--out"),
        backup.as_os_str(),
    ]);
    out.ok()
        .says("Saved 1 piece of information and 1 document")
        .says("opens only with this vault's passphrase");
    let v = out.json();
    assert_eq!(v["records"], 1, "{out}");
    assert_eq!(v["documents"], 1, "{out}");
    assert_eq!(
        v["bytes"].as_u64(),
        Some(std::fs::metadata(&backup).expect("the backup").len())
    );
    assert_eq!(survivor_vault_tests::mode_of(&backup) & 0o777, 0o600);
    // Nothing in it is readable.
    let bytes = std::fs::read(&backup).expect("read the backup");
    for needle in [HOUSING.as_bytes(), b"needs.housing", b"Housing North"] {
        assert!(!bytes.windows(needle.len()).any(|w| w == needle));
    }

    // Imported into a second data folder: the same vault.
    let second = survivor.file("second");
    let out = run_in(
        &survivor,
        &second,
        &survivor.pass,
        &[OsStr::new("import"), backup.as_os_str()],
    );
    out.ok()
        .says("Imported 1 piece of information and 1 document")
        .says("with the passphrase it had when the backup was made");
    let id = run_in(&survivor, &second, &survivor.pass, &["id"]);
    assert_eq!(id.ok().stdout_text().trim(), survivor.id());
    let here = |args: &[&str]| stdout_of(&survivor.run(args));
    let there = |args: &[&str]| stdout_of(&run_in(&survivor, &second, &survivor.pass, args));
    assert_eq!(
        there(&["get", "needs.housing"]),
        format!("{HOUSING}\n").as_bytes()
    );
    assert_eq!(
        there(&["get", "documents.passport"]),
        here(&["get", "documents.passport"])
    );
    assert_eq!(there(&["get", "documents.passport"]), document);
    assert_eq!(there(&["--json", "ls"]), here(&["--json", "ls"]));
    assert_eq!(there(&["--json", "grants"]), here(&["--json", "grants"]));
    assert_eq!(
        there(&["--json", "contacts", "ls"]),
        here(&["--json", "contacts", "ls"])
    );
    // The relay's history still checks, and the imported vault remembers
    // what was seen before.
    let log = run_in(&survivor, &second, &survivor.pass, &["log"]);
    log.ok()
        .says("still holds everything you saw before")
        .prints(&format!(
            "was opened by the agency Housing North ({}",
            &agency.id()[..12]
        ));
    // Withdrawing from the imported vault works: it is the same survivor.
    run_in(
        &survivor,
        &second,
        &survivor.pass,
        &["revoke", &granted.token_id],
    )
    .ok();
    agency
        .redeem(&granted.link, &["--out", "again"])
        .fails(9, "");
}

#[test]
fn refuses_to_overwrite_and_to_import_over_a_vault() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("needs.housing", HOUSING);
    let backup = survivor.file("kept.backup");
    let export = || {
        survivor.run(&[
            OsStr::new("export"),
            OsStr::new("--out"),
            backup.as_os_str(),
        ])
    };
    export().ok();
    let before = std::fs::read(&backup).expect("the backup");
    export().fails(2, "already exists, so no backup was made");
    assert_eq!(std::fs::read(&backup).expect("the backup"), before);

    // Over the vault it came from: refused, with the way to keep both.
    let out = survivor.run(&[OsStr::new("import"), backup.as_os_str()]);
    out.fails(4, "There is already a vault in")
        .says("nothing was imported")
        .says("vault --vault NEW-FOLDER import");
    survivor.run(&["get", "needs.housing"]).ok().prints(HOUSING);
}

#[test]
fn a_wrong_passphrase_or_a_bad_file_imports_nothing() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("needs.housing", HOUSING);
    let backup = survivor.file("kept.backup");
    survivor
        .run(&[
            OsStr::new("export"),
            OsStr::new("--out"),
            backup.as_os_str(),
        ])
        .ok();
    let target = survivor.file("elsewhere");
    let wrong = survivor.file("wrong-passphrase");
    survivor_vault_tests::write_private(&wrong, b"not the passphrase at all");
    let out = run_in(
        &survivor,
        &target,
        &wrong,
        &[
            OsStr::new("--json"),
            OsStr::new("import"),
            backup.as_os_str(),
        ],
    );
    out.fails_json(3, "wrong_passphrase")
        .says("did not open the backup");
    assert!(!target.exists(), "a refused import left {target:?}");

    // Cut short, and changed: their own sentences, nothing left.
    let bytes = std::fs::read(&backup).expect("the backup");
    let short = survivor.file("short.backup");
    std::fs::write(&short, &bytes[..bytes.len() / 2]).expect("write");
    run_in(
        &survivor,
        &target,
        &survivor.pass,
        &[OsStr::new("import"), short.as_os_str()],
    )
    .fails(7, "incomplete, perhaps cut short while copying");
    assert!(!target.exists());
    let mut changed = bytes.clone();
    let last = changed.len() - 5;
    changed[last] ^= 1;
    let damaged = survivor.file("damaged.backup");
    std::fs::write(&damaged, &changed).expect("write");
    run_in(
        &survivor,
        &target,
        &survivor.pass,
        &[OsStr::new("import"), damaged.as_os_str()],
    )
    .fails(7, "damaged or was changed, so nothing was imported");
    assert!(!target.exists());
    // Not a backup at all.
    run_in(
        &survivor,
        &target,
        &survivor.pass,
        &[OsStr::new("import"), survivor.pass.as_os_str()],
    )
    .fails(2, "is not a backup of a vault");
    assert!(!target.exists());
    // The vault it came from is untouched by all of this.
    assert!(!files_under(&survivor.vault).is_empty());
}
