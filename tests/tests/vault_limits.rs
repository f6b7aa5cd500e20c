//! Every read with a natural limit is bounded (issue 10, item 7): a
//! passphrase file, a link on standard input, a QR picture and a document
//! that are far too large are refused with one plain sentence, quickly,
//! without reading them whole and without saving anything.
//!
//! The large files here are sparse (`set_len`): they take no disk space.

use std::fs::{self, File};
use std::path::Path;

use survivor_vault_tests::{
    arg, files_under, run_command, run_command_with_input, vault_command, Output, Survivor,
    TIME_LIMIT,
};

fn sparse(path: &Path, len: u64) {
    File::create(path)
        .and_then(|f| f.set_len(len))
        .unwrap_or_else(|e| panic!("a sparse file {path:?}: {e}"));
}

/// `vault --vault DIR --passphrase-file FILE ARGS` (not the survivor's own file).
fn with_passphrase_file(s: &Survivor, file: &Path, args: &[&str]) -> Output {
    let mut cmd = vault_command();
    cmd.arg("--vault")
        .arg(s.vault_dir())
        .arg("--passphrase-file")
        .arg(file)
        .args(args);
    run_command(cmd, TIME_LIMIT)
}

#[test]
fn refuses_a_passphrase_file_longer_than_1_kib() {
    let s = Survivor::with_vault();
    // /dev/zero never ends; it used to be read until memory ran out.
    let out = with_passphrase_file(&s, Path::new("/dev/zero"), &["ls"]);
    out.fails(2, "The passphrase file /dev/zero is longer than 1024 bytes")
        .says("Check that you gave the right file.");
    let long = s.write_file("long-passphrase", &[b'a'; 1025]);
    let out = with_passphrase_file(&s, &long, &["--json", "ls"]);
    out.fails_json(2, "passphrase_file_too_long");
    // Exactly 1 KiB is still read (and is simply the wrong passphrase).
    let full = s.write_file("full-passphrase", &[b'a'; 1024]);
    with_passphrase_file(&s, &full, &["ls"]).fails(3, "did not open the vault");
}

#[test]
fn refuses_a_document_larger_than_4_gib_before_asking_for_the_passphrase() {
    let s = Survivor::with_vault();
    let big = s.path("disk-image.iso");
    sparse(&big, 4 * 1024 * 1024 * 1024 + 1);
    let before = files_under(s.vault_dir());
    // A wrong passphrase: the size is checked first, so it never matters.
    s.set_passphrase("not the passphrase at all");
    let out = s.run(["--json", "put", "documents.image", "--file", arg(&big)]);
    out.fails_json(2, "document_too_large")
        .says("is 4.0 GiB, larger than the largest document a vault keeps (4.0 GiB), so nothing was saved.");
    assert_eq!(files_under(s.vault_dir()), before, "something was written");
}

#[test]
fn refuses_a_link_on_standard_input_longer_than_any_link() {
    let mut cmd = vault_command();
    cmd.args(["agency", "redeem", "-"]);
    let out = run_command_with_input(cmd, TIME_LIMIT, Some(Path::new("/dev/zero")));
    out.fails(
        2,
        "Standard input holds more than 4096 bytes, far more than a share link",
    );
}

#[test]
fn refuses_a_qr_picture_larger_than_64_mib() {
    let s = Survivor::new();
    let picture = s.path("photo.png");
    sparse(&picture, 64 * 1024 * 1024 + 1);
    let mut cmd = vault_command();
    cmd.args(["agency", "redeem", "--image", arg(&picture)]);
    let out = run_command_with_input(cmd, TIME_LIMIT, None);
    out.fails(
        2,
        "is larger than 64 MiB, too large to be a photo of a share code",
    );
    fs::remove_file(&picture).expect("remove the picture");
}
