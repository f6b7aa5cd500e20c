//! Every way a command can be refused, end to end: the exit code scripts
//! rely on (see `vault-cli/src/error.rs`) and the sentence a person reads.
//! And whatever the input, the binary never panics: the harness fails any
//! run whose standard error says `panicked`.

use std::fs::{self, File};
use std::io::{ErrorKind, Write};
use std::process::Stdio;
use std::thread;
use std::time::{Duration, Instant};

use survivor_vault_tests::{arg, vault, write_private, Survivor, PASSPHRASE};

#[test]
fn rejects_wrong_passphrase() {
    let s = Survivor::with_vault();
    s.set_passphrase("not the passphrase at all");
    s.run(["put", "needs.housing", "a flat"]).fails(
        3,
        "That passphrase did not open the vault. Nothing was changed",
    );

    let out = s.run(["--json", "ls"]);
    out.fails(3, "did not open the vault");
    // With --json the error is also on stdout, in the same words.
    let json = out.json();
    assert_eq!(json["error"], "wrong_passphrase", "{out}");
    assert_eq!(
        json["message"].as_str(),
        Some(out.stderr.trim_end()),
        "{out}"
    );

    // A trailing line break in the file is not part of the passphrase, but
    // anything else is.
    s.set_passphrase(&format!("{PASSPHRASE} "));
    s.run(["ls"]).fails(3, "did not open the vault");
    s.set_passphrase(&format!("{PASSPHRASE}\n"));
    s.run(["get", "needs.housing"])
        .fails(5, "There is nothing saved under needs.housing");
}

#[test]
fn reports_a_missing_vault() {
    let s = Survivor::new();
    s.run(["ls"])
        .fails(4, "There is no vault in")
        .says("run `vault init`");

    // An empty folder is no vault either, and asking leaves it empty.
    fs::create_dir(s.vault_dir()).expect("mkdir");
    let out = s.run(["--json", "get", "needs.housing"]);
    out.fails(4, "There is no vault in");
    assert_eq!(out.json()["error"], "no_vault", "{out}");
    assert_eq!(fs::read_dir(s.vault_dir()).expect("list").count(), 0);
}

#[test]
fn init_refuses_an_existing_vault() {
    let s = Survivor::new();
    let id = s.init();
    s.set_passphrase("another passphrase entirely");
    s.run(["init"])
        .fails(4, "There is already a vault in")
        .says("nothing was changed");
    s.set_passphrase(PASSPHRASE);
    assert_eq!(s.run(["id"]).ok().stdout_text().trim(), id);
}

#[test]
fn init_refuses_a_folder_with_other_files() {
    let s = Survivor::new();
    fs::create_dir(s.vault_dir()).expect("mkdir");
    let notes = s.vault_dir().join("notes.txt");
    fs::write(&notes, "my own notes").expect("write");

    s.run(["init"]).fails(
        4,
        "already has other files in it, so no vault was made there",
    );
    let names: Vec<_> = fs::read_dir(s.vault_dir())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["notes.txt"], "init left the folder as it was");
    assert_eq!(fs::read_to_string(&notes).expect("read"), "my own notes");
}

#[test]
fn reports_an_unknown_field() {
    let s = Survivor::with_vault();
    s.run(["get", "needs.food"])
        .fails(5, "There is nothing saved under needs.food. Run `vault ls`");
    s.run(["rm", "--yes", "needs.food"])
        .fails(5, "There is nothing saved under needs.food");
    let out = s.run(["--json", "get", "needs.food"]);
    out.fails(5, "nothing saved");
    assert_eq!(out.json()["error"], "field_not_found", "{out}");
}

#[test]
fn rejects_bad_field_paths() {
    // Checked before the vault is opened, so no vault is needed.
    let s = Survivor::new();
    let long = "a".repeat(10_000);
    let cases = [
        ("Needs.Housing", "lower-case letters"),
        ("needs..x", "empty part between dots"),
        (".needs", "empty part between dots"),
        ("needs.*", "lower-case letters"),
        ("needs housing", "lower-case letters"),
        ("1needs", "each part starting with a letter"),
        ("nééds", "lower-case letters"),
        ("", "the field name is empty"),
        ("a.b.c.d.e.f.g.h.i", "too long"),
        (long.as_str(), "too long"),
    ];
    for (field, why) in cases {
        for args in [
            ["get", field].as_slice(),
            &["put", field, "x"],
            &["rm", field],
        ] {
            s.run(args).fails(2, "is not a usable field name").says(why);
        }
    }
}

#[test]
fn rejects_an_input_file_that_is_not_there() {
    let s = Survivor::with_vault();
    let missing = s.path("no-such-file.pdf");
    s.run(["put", "documents.x", "--file", arg(&missing)])
        .fails(2, "was not found")
        .says("no-such-file.pdf");
    s.run(["put", "documents.x", "--file", arg(&s.path(""))])
        .fails(2, "is a folder, not a file");
    s.run(["get", "documents.x"]).fails(5, "nothing saved");
}

#[test]
fn rejects_an_output_file_that_exists_before_asking_for_anything() {
    // No vault at all: the existing file is the first thing reported.
    let s = Survivor::new();
    let existing = s.write_file("taken.txt", b"mine");
    s.run(["get", "needs.housing", "--out", arg(&existing)])
        .fails(2, "already exists, so nothing was written");
    assert_eq!(fs::read(&existing).expect("read"), b"mine");
}

#[test]
fn rejects_a_passphrase_file_that_is_not_there() {
    let s = Survivor::with_vault();
    fs::remove_file(s.passphrase_file()).expect("rm");
    s.run(["ls"])
        .fails(2, "was not found")
        .says(&s.passphrase_file().display().to_string());
}

#[test]
fn rejects_an_empty_passphrase_file() {
    let s = Survivor::with_vault();
    for empty in ["", "\n", "\r\n"] {
        s.set_passphrase(empty);
        s.run(["ls"]).fails(2, "is empty. Put the passphrase in it");
    }
    // Not a vault yet: init refuses it too.
    let t = Survivor::new();
    t.set_passphrase("");
    t.run(["init"]).fails(2, "is empty");
    assert!(!t.vault_dir().join("records").exists());
}

#[test]
fn rejects_a_passphrase_file_that_is_not_text() {
    let s = Survivor::with_vault();
    write_private(s.passphrase_file(), &[0xff, 0xfe, b'p', b'w', 0x80]);
    s.run(["ls"]).fails(2, "is not text");
}

#[test]
fn init_rejects_a_too_short_passphrase_and_makes_nothing() {
    let s = Survivor::new();
    s.set_passphrase("seven77");
    s.run(["init"])
        .fails(2, "Please choose a passphrase of at least 8 characters");
    assert!(!s.vault_dir().exists(), "no vault folder was made");
    // Eight characters, counted as characters, not bytes.
    s.set_passphrase("ééééééé");
    s.run(["init"]).fails(2, "at least 8 characters");
    s.set_passphrase("éééééééé");
    s.init();
}

#[test]
fn asks_for_a_passphrase_file_when_there_is_no_terminal() {
    let s = Survivor::with_vault();
    let dir = arg(s.vault_dir());
    vault(["--vault", dir, "ls"])
        .fails(2, "No passphrase was given")
        .says("--passphrase-file FILE");
    let t = Survivor::new();
    vault(["--vault", arg(t.vault_dir()), "init"]).fails(2, "No passphrase was given");
    assert!(!t.vault_dir().exists());
}

#[test]
fn rejects_an_unknown_subcommand_or_option() {
    vault(["fly"]).fails(2, "There is no command `fly`.");
    vault(["ls", "--colour"]).fails(2, "This command has no option `--colour`.");
    vault(["put"]).fails(2, "Give the field name, like needs.housing");
    vault(Vec::<&str>::new()).fails(2, "Usage:");
    let s = Survivor::new();
    let f = s.write_file("doc", b"x");
    s.run(["put", "a.b", "text", "--file", arg(&f)])
        .fails(2, "The value and --file cannot be used together");
}

#[test]
fn rejects_a_second_program_while_the_vault_is_open() {
    let s = Survivor::with_vault();
    // `put` without a value opens the vault, then reads the value from
    // standard input until it closes: the vault stays open meanwhile.
    let mut holder = s.spawn(["put", "needs.housing"], Stdio::piped());
    let mut stdin = holder.take_stdin();
    wait_until_locked(&s, &mut holder);

    s.run(["ls"])
        .fails(6, "The vault is open in another program right now")
        .says("Close that program, then try again");
    let out = s.run(["--json", "put", "needs.food", "bread"]);
    out.fails(6, "open in another program");
    assert_eq!(out.json()["error"], "locked", "{out}");
    assert!(
        holder.try_status().is_none(),
        "the first program is undisturbed"
    );

    stdin
        .write_all(b"a ground-floor flat\n")
        .expect("the holder reads its input");
    drop(stdin);
    holder.finish().ok().says("Saved needs.housing");
    assert_eq!(
        s.run(["get", "needs.housing"]).ok().stdout_text(),
        "a ground-floor flat\n"
    );
}

/// Waits (at most 30 s) until `holder` has the vault's lock file locked.
///
/// Asking with another `vault` command would race with the holder for
/// the lock (and hold it during a slow key derivation); a non-blocking
/// `try_lock` of our own holds it for microseconds only.
fn wait_until_locked(s: &Survivor, holder: &mut survivor_vault_tests::Running) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let lock = s.vault_dir().join("lock");
    loop {
        if let Some(status) = holder.try_status() {
            panic!("the program holding the vault ended early ({status})");
        }
        let file = File::open(&lock).expect("the vault has a lock file");
        match file.try_lock() {
            Err(fs::TryLockError::WouldBlock) => return,
            Err(fs::TryLockError::Error(e)) => panic!("could not test the lock: {e}"),
            Ok(()) => drop(file),
        }
        assert!(Instant::now() < deadline, "the vault was never opened");
        thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn refuses_empty_values() {
    let s = Survivor::with_vault();
    s.run_with_stdin(["put", "needs.housing"], b"")
        .fails(2, "There was nothing to save");
    s.run_with_stdin(["put", "needs.housing"], b"\n")
        .fails(2, "There was nothing to save");
    s.run(["get", "needs.housing"]).fails(5, "nothing saved");
}

#[test]
fn refuses_an_empty_value_argument() {
    let s = Survivor::with_vault();
    s.run(["put", "needs.housing", ""])
        .fails(2, "There was nothing to save");
    s.run(["get", "needs.housing"]).fails(5, "nothing saved");
}

#[test]
fn refuses_text_that_is_not_utf8_or_too_long() {
    let s = Survivor::with_vault();
    s.run_with_stdin(["put", "needs.housing"], &[b'a', 0xff, 0xfe, b'\n'])
        .fails(2, "The input is not text. To save a file, use --file PATH.");
    s.run_with_stdin(["put", "needs.housing"], &vec![b'x'; 32 * 1024 + 1])
        .fails(2, "longer than 32768 bytes")
        .says("--file PATH");
    let long = "y".repeat(40_000);
    s.run(["put", "needs.housing", long.as_str()])
        .fails(2, "longer than 32768 bytes");
    // Exactly the limit is fine.
    s.run_with_stdin(["put", "needs.housing"], &vec![b'z'; 32 * 1024])
        .ok();
    s.run(["get", "needs.housing"]).ok();
}

#[cfg(unix)]
#[test]
fn rejects_arguments_that_are_not_utf8() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let s = Survivor::new();
    let bad = OsStr::from_bytes(&[b'n', 0xff, b'.', b'x']);
    let out = s.run([OsStr::new("get"), bad]);
    out.fails(2, "is not readable text (it is not UTF-8)");
    let out = s.run([OsStr::new("put"), OsStr::new("needs.x"), bad]);
    out.fails(2, "is not readable text (it is not UTF-8)");
}

#[test]
fn a_file_where_the_vault_folder_should_be_is_a_clear_error() {
    let s = Survivor::new();
    fs::write(s.vault_dir(), b"not a folder").expect("write");
    let out = s.run(["ls"]);
    out.fails(4, "There is no vault in");
    let out = s.run(["init"]);
    assert!(
        matches!(out.code, 2 | 4),
        "init over a file is a usage or presence error, not a failure\n{out}"
    );
    out.says(&s.vault_dir().display().to_string());
    assert_eq!(fs::read(s.vault_dir()).expect("read"), b"not a folder");
}

#[test]
fn get_out_into_a_missing_folder_is_a_clear_error() {
    let s = Survivor::with_vault();
    s.run(["put", "needs.housing", "a flat"]).ok();
    let out = s.path("no-such-folder").join("housing.txt");
    let result = s.run(["get", "needs.housing", "--out", arg(&out)]);
    result.fails(2, "does not exist");
    assert!(!out.exists());
    let e = fs::metadata(s.path("no-such-folder")).expect_err("not made");
    assert_eq!(e.kind(), ErrorKind::NotFound);
}
