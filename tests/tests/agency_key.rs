//! `vault agency export-key` (issue 11): the agency's key in a file of its
//! own, with its own passphrase, for the agency's page on a phone. The real
//! `vault` binary writes the file; `vault_core::keyfile::open`, the very
//! function the page runs in WebAssembly, opens it.
//!
//! Refusals are one plain sentence with a stable code and exit code
//! (docs/cli.md), and leave nothing behind: no key file, no temporary file.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use survivor_vault_tests::{
    arg, mode_of, run_command, vault_bin, Output, Survivor, PASSPHRASE, TIME_LIMIT,
};
use vault_core::keyfile::{self, KeyFileError};

/// What the key file's passphrase file holds; the line break is not part
/// of the passphrase.
const KEY_PASSPHRASE: &str = "a different phrase for the phone";

/// A folder with agency keys (`vault agency init`) and a key passphrase
/// file; returns the folder and the agency id `vault agency id` prints.
fn agency() -> (Survivor, String) {
    let a = Survivor::new();
    a.run(["agency", "init"]).ok();
    a.write_file("key-passphrase", format!("{KEY_PASSPHRASE}\n").as_bytes());
    let out = a.run(["agency", "id"]);
    out.ok();
    let id = out.stdout_text().trim().to_owned();
    assert!(id.starts_with("agency1"), "{out}");
    (a, id)
}

/// `vault agency export-key --out OUT --key-passphrase-file key-passphrase`.
fn export(a: &Survivor, out: &Path, extra: &[&str]) -> Output {
    let key_pass = a.path("key-passphrase");
    let mut args = vec![
        "agency",
        "export-key",
        "--out",
        arg(out),
        "--key-passphrase-file",
        arg(&key_pass),
    ];
    args.extend_from_slice(extra);
    a.run(args)
}

/// The names in `dir` (the refusals must leave no partial file behind).
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("list {dir:?}: {e}"))
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

fn never_the_systems_words(out: &Output) {
    for internal in ["os error", "Permission denied (", "backtrace", "panicked"] {
        assert!(!out.all().contains(internal), "{internal:?} shown\n{out}");
    }
}

#[test]
fn exports_a_key_file_that_opens_to_the_id_agency_id_prints() {
    let (a, id) = agency();
    let file = a.path("agency.vaultkey");
    let out = export(&a, &file, &[]);
    out.ok().prints(&format!("Agency id: {id}"));
    out.says("Whoever has this file and its passphrase can open shares meant for this agency, so keep it like the agency's vault itself");
    assert!(!out.stderr.contains("Tip: rename"), "{out}");
    never_the_systems_words(&out);

    let bytes = fs::read(&file).expect("the key file");
    assert_eq!(bytes.len(), keyfile::FILE_LEN);
    assert_eq!(mode_of(&file), 0o600, "the key file is for its owner only");
    let opened = keyfile::open(&bytes, KEY_PASSPHRASE.as_bytes()).expect("the key file opens");
    assert_eq!(opened.public().to_string(), id);

    // The key file has its own passphrase: the vault's does not open it.
    assert_eq!(
        keyfile::open(&bytes, PASSPHRASE.as_bytes()).err(),
        Some(KeyFileError::WrongPassphrase)
    );
    // Nothing but the key file was added next to it.
    assert_eq!(
        names_in(&a.path("")),
        ["agency.vaultkey", "key-passphrase", "passphrase", "vault"]
    );
}

#[test]
fn exports_with_json_output_and_a_fresh_file_each_time() {
    let (a, id) = agency();
    let first = a.path("one.vaultkey");
    let out = export(&a, &first, &["--json"]);
    out.ok();
    let v = out.json();
    assert_eq!(v["id"], id.as_str(), "{out}");
    assert_eq!(v["out"], arg(&first), "{out}");
    assert_eq!(v["format"], "agency-key-v1", "{out}");

    // A second export is another file (fresh salt and nonce) that opens to
    // the same agency.
    let second = a.path("two.vaultkey");
    export(&a, &second, &[]).ok();
    let (b1, b2) = (
        fs::read(&first).expect("one"),
        fs::read(&second).expect("two"),
    );
    assert_ne!(b1, b2);
    for bytes in [b1, b2] {
        let opened = keyfile::open(&bytes, KEY_PASSPHRASE.as_bytes()).expect("opens");
        assert_eq!(opened.public().to_string(), id);
    }
}

#[test]
fn suggests_the_ending_the_page_looks_for() {
    let (a, _) = agency();
    export(&a, &a.path("agency-key"), &[])
        .ok()
        .says("Tip: rename it to end in .vaultkey");
}

#[test]
fn refuses_to_overwrite_an_existing_file() {
    let (a, _) = agency();
    let file = a.write_file("agency.vaultkey", b"something precious");
    let out = export(&a, &file, &["--json"]);
    out.fails_json(2, "output_exists").says(&format!(
        "{} already exists, so no key file was written; choose a new file name.",
        file.display()
    ));
    assert_eq!(fs::read(&file).expect("still there"), b"something precious");

    // A link pointing nowhere is a name taken, too.
    let link = a.path("dangling.vaultkey");
    std::os::unix::fs::symlink(a.path("nowhere"), &link).expect("symlink");
    export(&a, &link, &["--json"]).fails_json(2, "output_exists");
    assert!(!a.path("nowhere").exists());
}

#[test]
fn refuses_a_survivor_vault() {
    let s = Survivor::with_vault();
    s.write_file("key-passphrase", format!("{KEY_PASSPHRASE}\n").as_bytes());
    let file = s.path("agency.vaultkey");
    let out = export(&s, &file, &["--json"]);
    out.fails_json(4, "wrong_kind").says(&format!(
        "The folder {} holds the keys of a survivor, not of an agency. Choose the right folder with --vault.",
        s.vault_dir().display()
    ));
    assert!(!file.exists());
    assert_eq!(
        names_in(&s.path("")),
        ["key-passphrase", "passphrase", "vault"]
    );
}

#[test]
fn refuses_a_wrong_vault_passphrase() {
    let (a, _) = agency();
    a.set_passphrase("not the agency's passphrase");
    let file = a.path("agency.vaultkey");
    let out = export(&a, &file, &["--json"]);
    out.fails_json(3, "wrong_passphrase")
        .says("That passphrase did not open the vault. Nothing was changed; please try again.");
    assert!(!file.exists());
    assert_eq!(
        names_in(&a.path("")),
        ["key-passphrase", "passphrase", "vault"]
    );
}

#[test]
fn refuses_an_empty_or_short_key_passphrase() {
    let (a, _) = agency();
    let file = a.path("agency.vaultkey");
    a.write_file("key-passphrase", b"");
    export(&a, &file, &["--json"])
        .fails_json(2, "empty_passphrase")
        .says("is empty. Put the passphrase in it, then try again.");
    a.write_file("key-passphrase", b"\n");
    export(&a, &file, &["--json"]).fails_json(2, "empty_passphrase");
    a.write_file("key-passphrase", b"seven c\n");
    export(&a, &file, &["--json"])
        .fails_json(2, "passphrase_too_short")
        .says("Please choose a passphrase of at least 8 characters");
    assert!(!file.exists());
    assert_eq!(
        names_in(&a.path("")),
        ["key-passphrase", "passphrase", "vault"]
    );
}

#[test]
fn refuses_without_a_terminal_to_ask_the_key_passphrase() {
    let (a, _) = agency();
    let file = a.path("agency.vaultkey");
    let out = a.run(["--json", "agency", "export-key", "--out", arg(&file)]);
    out.fails_json(2, "no_passphrase")
        .says("Run this in a terminal to be asked for it");
    assert!(!file.exists());
}

#[test]
fn refuses_a_folder_that_does_not_exist() {
    let (a, _) = agency();
    let file = a.path("no/such/folder/agency.vaultkey");
    export(&a, &file, &["--json"])
        .fails_json(2, "folder_not_found")
        .says(&format!(
            "The folder {} does not exist",
            a.path("no/such/folder").display()
        ));
}

/// Whether this test runs as root, to whom folder modes mean nothing.
fn running_as_root(a: &Survivor) -> bool {
    fs::metadata(a.path("passphrase"))
        .expect("the passphrase file")
        .uid()
        == 0
}

#[test]
fn refuses_a_folder_this_user_cannot_write_before_asking_anything() {
    let (a, _) = agency();
    let folder = a.path("locked");
    fs::create_dir(&folder).expect("mkdir");
    let file: PathBuf = folder.join("agency.vaultkey");
    let key_pass = a.path("key-passphrase");
    let out = if running_as_root(&a) {
        // As `nobody`, who may pass through the temporary folder but not
        // write in `locked` (root's, 0755), nor read root's vault: so the
        // answer also shows the folder is checked before the vault opens.
        fs::set_permissions(a.path(""), fs::Permissions::from_mode(0o755)).expect("chmod");
        let mut cmd = Command::new("setpriv");
        survivor_vault_tests::in_english(&mut cmd);
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(vault_bin())
            .env_remove("VAULT_DIR")
            .arg("--vault")
            .arg(a.vault_dir())
            .arg("--passphrase-file")
            .arg(a.path("passphrase"))
            .args(["--json", "agency", "export-key", "--out"])
            .arg(&file)
            .arg("--key-passphrase-file")
            .arg(&key_pass);
        run_command(cmd, TIME_LIMIT)
    } else {
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o500)).expect("chmod");
        let out = export(&a, &file, &["--json"]);
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o700)).expect("chmod");
        out
    };
    out.fails_json(2, "permission_denied").says(&format!(
        "This user may not make files in the folder {}, so no key file was written; choose a folder you can write to.",
        folder.display()
    ));
    never_the_systems_words(&out);
    assert!(names_in(&folder).is_empty(), "{:?}", names_in(&folder));
}

/// The key file does what the page needs it for: the identity it opens to
/// proves itself to the real relay for a share made `--to` that agency,
/// and the answer opens with vault-core's one open step, as the page will
/// do it in WebAssembly. Another agency's key file is refused by the relay.
#[test]
fn opens_a_share_made_for_the_agency_with_the_identity_from_its_key_file() {
    use survivor_vault_tests::flow::{http, Person, Relay};
    use vault_core::relay::api::{RedeemRequest, RedeemResponse};
    use vault_core::relay::{b64, hex, redeem::prove};
    use vault_core::share::open::{open_received, Answer};
    use vault_core::ShareLink;

    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("needs.housing", "a ground-floor flat near the school");
    let agency = Person::agency(&relay);
    let other = Person::agency(&relay);
    let granted = survivor.grant(&[
        "--fields",
        "needs.housing",
        "--to",
        agency.id(),
        "--uses",
        "2",
        "--purpose",
        "Housing application",
    ]);

    // Each agency exports its key file, as a worker would for the phone.
    let load = |p: &Person| {
        let pass = p.file("key-passphrase");
        fs::write(&pass, format!("{KEY_PASSPHRASE}\n")).expect("write");
        let file = p.file("agency.vaultkey");
        p.run(&[
            "agency",
            "export-key",
            "--out",
            arg(&file),
            "--key-passphrase-file",
            arg(&pass),
        ])
        .ok();
        keyfile::open(
            &fs::read(&file).expect("the key file"),
            KEY_PASSPHRASE.as_bytes(),
        )
        .expect("the key file opens")
    };
    let (key, other_key) = (load(&agency), load(&other));
    assert_eq!(key.public().to_string(), agency.id());

    let link = ShareLink::parse(&granted.link).expect("the grant's link parses");
    let origin = link.origin();
    let token_id = link.token_id();
    let redeem = |who: &vault_core::Identity| {
        let now = vault_core::time::now();
        let request = RedeemRequest {
            token_id: hex(&token_id),
            agency: Some(who.public().to_string()),
            timestamp: Some(now),
            proof: Some(b64(&prove(who, &origin, &token_id, now))),
        };
        let body = serde_json::to_vec(&request).expect("JSON");
        http::post(&http::agent(), &format!("{origin}/v1/redeem"), &body)
            .expect("the relay answers")
    };

    // Another agency's key: refused by the relay, nothing used.
    let (status, text) = redeem(&other_key);
    assert_eq!(status, 403, "{text}");
    assert!(text.contains("wrong_audience"), "{text}");

    // The agency's key from its file: opened and verified.
    let (status, text) = redeem(&key);
    assert_eq!(status, 200, "{text}");
    let answer: RedeemResponse = serde_json::from_str(&text).expect("the relay's JSON");
    let me = key.public();
    let received = Answer::from_response(&answer)
        .and_then(|a| open_received(a, &link, Some(&me), vault_core::time::now()))
        .expect("every check passes");
    assert_eq!(
        received.receipt.use_number, 1,
        "the other agency used nothing"
    );
    let entry = &received.manifest.entries[0];
    assert_eq!(entry.path.as_str(), "needs.housing");
    let mut value = Vec::new();
    received
        .entries()
        .expect("entries")
        .copy_entry(entry.len, &mut value)
        .expect("the text");
    assert_eq!(value, b"a ground-floor flat near the school");
}
