//! Refusals name what is wrong and what to do, in one plain sentence, and
//! never in the system's words (issue 10, item 8): a vault folder this
//! user may not open, a vault whose files this user may not change, and
//! an output file in a folder that does not exist.
//!
//! Permissions mean nothing to root, so when the tests run as root, the
//! commands run as `nobody` (through `setpriv`) against the folders root
//! made; otherwise the folders' modes are taken away and given back.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

use survivor_vault_tests::{arg, run_command, vault_bin, Output, Survivor, TIME_LIMIT};

/// Whether this test runs as root (the owner of a file it just made).
fn running_as_root(s: &Survivor) -> bool {
    let probe = s.write_file("probe", b"");
    fs::metadata(probe).expect("the probe").uid() == 0
}

fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {path:?}: {e}"));
}

/// Every file and folder under `dir` (and `dir`), deepest first.
fn tree(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut all = vec![dir.to_owned()];
    let mut i = 0;
    while i < all.len() {
        if all[i].is_dir() {
            let children = fs::read_dir(&all[i]).expect("lists");
            all.extend(children.map(|e| e.expect("an entry").path()));
        }
        i += 1;
    }
    all.reverse();
    all
}

/// `vault --vault DIR --passphrase-file F ARGS` as a user who does not own
/// the vault: `nobody` when this is root.
fn as_someone_else(s: &Survivor, args: &[&str]) -> Output {
    let mut cmd = if running_as_root(s) {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(vault_bin());
        c
    } else {
        Command::new(vault_bin())
    };
    survivor_vault_tests::in_english(&mut cmd);
    cmd.env_remove("VAULT_DIR")
        .arg("--vault")
        .arg(s.vault_dir())
        .arg("--passphrase-file")
        .arg(s.passphrase_file())
        .args(args);
    run_command(cmd, TIME_LIMIT)
}

fn never_the_systems_words(out: &Output) {
    for internal in [
        "os error",
        "Permission denied (",
        "backtrace",
        "storage failed",
    ] {
        assert!(!out.all().contains(internal), "{internal:?} shown\n{out}");
    }
}

#[test]
fn refuses_a_vault_folder_this_user_cannot_open_without_calling_it_missing() {
    let s = Survivor::with_vault();
    let root = running_as_root(&s);
    let home = s.vault_dir().parent().expect("a home").to_owned();
    if root {
        // nobody may reach the folder, but not look into the vault.
        chmod(&home, 0o755);
    } else {
        chmod(s.vault_dir(), 0o000);
    }
    let out = as_someone_else(&s, &["--json", "ls"]);
    if !root {
        chmod(s.vault_dir(), 0o700);
    }
    out.fails_json(1, "vault_not_readable").says(&format!(
        "The vault folder {} cannot be opened by this user (permission denied), so nothing was changed. Run this as the user who made the vault",
        s.vault_dir().display()
    ));
    assert!(!out.stderr.contains("There is no vault"), "{out}");
    never_the_systems_words(&out);
}

#[test]
fn refuses_a_vault_this_user_cannot_change_naming_the_folder() {
    let s = Survivor::with_vault();
    s.run(["put", "needs.housing", "a flat"]).ok();
    let root = running_as_root(&s);
    let home = s.vault_dir().parent().expect("a home").to_owned();
    let all = tree(s.vault_dir());
    // A vault that is private (owner-only modes, or the vault refuses to
    // open it at all) but read-only for the one who runs `vault`: as root,
    // handed to nobody with its write bits taken away.
    if root {
        chmod(&home, 0o755);
        for p in all.iter().chain([&s.passphrase_file().to_owned()]) {
            std::os::unix::fs::chown(p, Some(65534), Some(65534))
                .unwrap_or_else(|e| panic!("chown {p:?}: {e}"));
        }
    }
    for p in &all {
        chmod(p, if p.is_dir() { 0o500 } else { 0o400 });
    }
    let out = as_someone_else(&s, &["put", "needs.health", "asthma"]);
    for p in all.iter().rev() {
        if root {
            std::os::unix::fs::chown(p, Some(0), Some(0))
                .unwrap_or_else(|e| panic!("chown {p:?}: {e}"));
        }
        chmod(p, if p.is_dir() { 0o700 } else { 0o600 });
    }
    if root {
        std::os::unix::fs::chown(s.passphrase_file(), Some(0), Some(0))
            .expect("the passphrase file back to root");
    }
    assert_eq!(out.code, 1, "{out}");
    out.says(&format!(
        "This user is not allowed to change the files of the vault in {} (permission denied), so nothing was changed.",
        s.vault_dir().display()
    ));
    never_the_systems_words(&out);
    s.run(["get", "needs.housing"]).ok().prints("a flat");
}

#[test]
fn refuses_an_output_in_a_missing_folder_saying_the_folder_does_not_exist() {
    let s = Survivor::with_vault();
    s.run(["put", "needs.housing", "a flat"]).ok();
    let out = s.path("no").join("such").join("dir").join("f");
    let result = s.run(["--json", "get", "needs.housing", "--out", arg(&out)]);
    result.fails_json(2, "folder_not_found").says(&format!(
        "The folder {} does not exist, so {} could not be made. Create the folder first",
        s.path("no").join("such").join("dir").display(),
        out.display()
    ));
    assert!(!result.stderr.contains("was not found"), "{result}");
}
