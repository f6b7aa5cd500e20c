//! Issue 10, items 2 and 4, end to end with the real `vault` binary.
//!
//! Damage to the disk costs the records it touches, never the whole vault:
//! one flipped bit, a file cut short or a file lost in the vault's store
//! leaves every other field readable, and the person is told in plain
//! words what is damaged and what to do. These trials walk whatever files
//! the vault keeps (except its documents, tested in `vault_on_disk.rs`),
//! so they mean the same whatever the store's layout.
//!
//! And everything the vault writes is its owner's alone: folders `0700`,
//! files `0600`; looser modes on an existing vault are made private when
//! it is opened, with a note saying so.

use std::fs;
use std::path::PathBuf;

use survivor_vault_tests::{arg, everything_under, files_under, mode_of, Output, Survivor};

const FIELDS: [(&str, &str); 3] = [
    ("identity.name", "Ama"),
    ("needs.housing", "a ground-floor flat"),
    ("needs.food", "bread and rice"),
];
const DOCUMENT: &str = "documents.letter";
const LETTER: &[u8] = b"To whom it may concern: Ama has lived here since March.";

/// Words no person should see: internals of the store or the system.
const INTERNALS: [&str; 6] = [
    "backtrace",
    "os error",
    "storage failed",
    "Inline(",
    "panicked",
    "Read corrupted",
];

fn vault_with_fields() -> Survivor {
    let s = Survivor::with_vault();
    for (field, value) in FIELDS {
        s.run(["put", field, value]).ok();
    }
    let letter = s.write_file("letter.txt", LETTER);
    s.run(["put", DOCUMENT, "--file", arg(&letter)]).ok();
    s
}

/// The files the vault keeps its keys and records in: everything in its
/// folder but the lock and the documents.
fn store_files(s: &Survivor) -> Vec<PathBuf> {
    let documents = s.vault_dir().join("documents");
    let mut files: Vec<PathBuf> = files_under(s.vault_dir())
        .into_iter()
        .filter(|f| !f.starts_with(&documents) && f.file_name().is_some_and(|n| n != "lock"))
        .collect();
    files.sort();
    files
}

fn no_internals(out: &Output, what: &str) {
    let all = out.all();
    for word in INTERNALS {
        assert!(!all.contains(word), "{what}: shows {word:?}\n{out}");
    }
}

/// A field that did not read was reported plainly: damaged (exit 7), or,
/// when its record's file was deleted outright, not there (exit 5: no list
/// of names is kept outside the sealed records, so a lost file cannot be
/// told from a field never saved).
#[track_caller]
fn lost_plainly(out: &Output, field: &str) {
    if out.code == 5 {
        out.says(&format!("There is nothing saved under {field}"));
    } else {
        out.fails(7, &format!("{field} is damaged and cannot be read"));
    }
}

/// Runs `ls` and `get` on every field. Every field must read with its own
/// value, except at most one, which must be reported as damaged (exit 7)
/// in plain words. Returns how many fields were lost.
fn every_other_field_reads(s: &Survivor, what: &str) -> usize {
    let out = s.run(["--json", "ls"]);
    no_internals(&out, what);
    assert_eq!(out.code, 0, "{what}: ls\n{out}");
    let listed = out.json()["fields"]
        .as_array()
        .map(Vec::len)
        .unwrap_or_default();
    let mut lost = 0;
    for (field, value) in FIELDS {
        let out = s.run(["get", field]);
        no_internals(&out, what);
        if out.code == 0 {
            assert_eq!(out.stdout_text(), format!("{value}\n"), "{what}: {field}");
        } else {
            lost_plainly(&out, field);
            lost += 1;
        }
    }
    let out = s.run(["get", DOCUMENT]);
    no_internals(&out, what);
    if out.code == 0 {
        assert!(out.stdout == LETTER, "{what}: the letter reads back");
    } else {
        lost_plainly(&out, DOCUMENT);
        lost += 1;
    }
    assert!(lost <= 1, "{what}: {lost} fields lost");
    assert_eq!(listed, 4 - lost, "{what}: ls lists the rest");
    lost
}

#[test]
fn keeps_every_other_field_when_one_bit_of_the_store_flips() {
    let s = vault_with_fields();
    let files = store_files(&s);
    assert!(!files.is_empty());
    let mut trials = 0;
    for file in &files {
        let good = fs::read(file).expect("read");
        // Offsets spread over the whole file, never the same bit twice.
        let step = (good.len() / 4).max(1);
        for at in (0..good.len()).step_by(step) {
            let mut bad = good.clone();
            bad[at] ^= 1 << (at % 8);
            fs::write(file, &bad).expect("flip");
            every_other_field_reads(&s, &format!("{} byte {at}", file.display()));
            fs::write(file, &good).expect("restore");
            trials += 1;
        }
    }
    assert!(trials >= 30, "{trials} trials");
}

#[test]
fn keeps_every_other_field_when_a_store_file_is_cut_or_lost() {
    let s = vault_with_fields();
    for file in store_files(&s) {
        let good = fs::read(&file).expect("read");
        fs::write(&file, &good[..good.len() / 2]).expect("cut");
        every_other_field_reads(&s, &format!("{} cut in half", file.display()));
        fs::remove_file(&file).expect("delete");
        every_other_field_reads(&s, &format!("{} deleted", file.display()));
        fs::write(&file, &good).expect("restore");
    }
}

#[test]
fn a_lost_header_is_restored_from_its_copy_with_a_calm_note() {
    let s = vault_with_fields();
    fs::remove_file(s.vault_dir().join("header")).expect("delete");
    let out = s.run(["get", "identity.name"]);
    out.ok()
        .says("One of the two copies of your vault's key information was damaged or missing; it was restored from the other copy. Nothing was lost.");
    assert_eq!(out.stdout_text(), "Ama\n");
    // Restored: the next run has nothing to say.
    let out = s.run(["get", "identity.name"]);
    assert_eq!(out.ok().stderr, "", "{out}");
}

#[test]
fn check_names_what_is_damaged_and_repair_removes_it_after_asking() {
    let s = vault_with_fields();
    let out = s.run(["check"]);
    out.ok()
        .prints("All 4 saved fields read correctly, documents to their last byte.");

    // Damage the letter's document file and one field's record.
    let documents: Vec<PathBuf> = files_under(&s.vault_dir().join("documents"));
    let letter = &documents[0];
    let mut bytes = fs::read(letter).expect("read");
    bytes[10] ^= 0x10;
    fs::write(letter, &bytes).expect("tamper");
    let food = record_of(&s, "needs.food", "bread");

    let out = s.run(["check"]);
    out.fails(
        7,
        "To keep a damaged field, save it again with `vault put --replace FIELD`",
    )
    .prints("2 saved fields read correctly.")
    .prints("documents.letter is damaged: its document cannot be read.")
    .prints("1 field is damaged and cannot be read; its name is kept inside it");
    no_internals(&out, "check");
    let out = s.run(["--json", "check"]);
    let json = out.json();
    assert_eq!(out.code, 7, "{out}");
    assert_eq!(json["whole"], false, "{out}");
    assert_eq!(json["damaged_documents"][0], "documents.letter", "{out}");
    assert_eq!(json["damaged_unnamed"], 1, "{out}");

    // Without a terminal, repair needs --yes, and changes nothing.
    s.run(["check", "--repair"])
        .fails(2, "add --yes to go ahead");
    assert!(food.exists(), "nothing was removed");

    let out = s.run(["check", "--repair", "--yes"]);
    out.ok()
        .says("Removed 2 damaged fields.")
        .prints("All 2 saved fields read correctly");
    assert!(!food.exists());
    assert!(files_under(&s.vault_dir().join("documents")).is_empty());
    for (field, value) in [FIELDS[0], FIELDS[1]] {
        assert_eq!(
            s.run(["get", field]).ok().stdout_text(),
            format!("{value}\n")
        );
    }
    s.run(["get", "needs.food"])
        .fails(5, "There is nothing saved under needs.food");
}

/// Flips a bit in the record file of `field` and returns its path: the
/// one record file that changed when `field` was saved again.
fn record_of(s: &Survivor, field: &str, value: &str) -> PathBuf {
    let records = s.vault_dir().join("records");
    let before: Vec<(PathBuf, Vec<u8>)> = files_under(&records)
        .into_iter()
        .map(|f| {
            let b = fs::read(&f).expect("read");
            (f, b)
        })
        .collect();
    s.run(["put", "--replace", field, value]).ok();
    let changed: Vec<PathBuf> = before
        .into_iter()
        .filter(|(f, b)| fs::read(f).map(|now| now != *b).unwrap_or(true))
        .map(|(f, _)| f)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    let file = changed[0].clone();
    let mut bytes = fs::read(&file).expect("read");
    bytes[20] ^= 0x04;
    fs::write(&file, &bytes).expect("tamper");
    file
}

#[cfg(unix)]
#[test]
fn keeps_every_file_it_writes_private() {
    let s = vault_with_fields();
    s.run(["rm", "--yes", "needs.food"]).ok();
    s.run(["passwd", "--new-passphrase-file", arg(s.passphrase_file())])
        .ok();
    let all = everything_under(s.vault_dir());
    assert!(all.len() >= 8, "{all:?}");
    for p in all {
        let want = if p.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode_of(&p), want, "{}: {:o}", p.display(), mode_of(&p));
    }
}

#[cfg(unix)]
#[test]
fn makes_loose_modes_private_when_opened_and_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let s = vault_with_fields();
    // As a copy made with `cp -r` under umask 022 would leave it.
    for p in everything_under(s.vault_dir()) {
        let loose = if p.is_dir() { 0o755 } else { 0o644 };
        fs::set_permissions(&p, fs::Permissions::from_mode(loose)).expect("chmod");
    }
    let out = s.run(["ls"]);
    out.ok()
        .says("files or folders in your vault could be read by other people on this computer; they are now private to you.");
    no_internals(&out, "ls");
    for p in everything_under(s.vault_dir()) {
        let want = if p.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode_of(&p), want, "{}", p.display());
    }
    assert_eq!(s.run(["ls"]).ok().stderr, "");
}
