//! `vault advocate export-key` (issue 13): the advocate's key in a file of
//! its own, with its own passphrase, for Folio (the app) on a phone. The
//! real `vault` binary writes the file; `vault_core::keyfile::open_advocate`,
//! the very function the app runs in WebAssembly, opens it.
//!
//! The two kinds of key file never stand in for each other: the agency's
//! page (`keyfile::open`) refuses an advocate's file, and the app refuses
//! an agency's, each in words that name the right file.

use std::fs;
use std::path::Path;

use survivor_vault_tests::{arg, mode_of, Output, Survivor, PASSPHRASE};
use vault_core::keyfile::{self, KeyFileError};

const KEY_PASSPHRASE: &str = "a different phrase for the phone";

/// A folder with `role`'s keys and a key passphrase file; returns the
/// folder and the id `vault ROLE id` prints.
fn keys(role: &str) -> (Survivor, String) {
    let a = Survivor::new();
    a.run([role, "init"]).ok();
    a.write_file("key-passphrase", format!("{KEY_PASSPHRASE}\n").as_bytes());
    let out = a.run([role, "id"]);
    out.ok();
    let id = out.stdout_text().trim().to_owned();
    assert!(id.starts_with(role), "{out}");
    (a, id)
}

fn export(a: &Survivor, role: &str, out: &Path, extra: &[&str]) -> Output {
    let key_pass = a.path("key-passphrase");
    let mut args = vec![
        role,
        "export-key",
        "--out",
        arg(out),
        "--key-passphrase-file",
        arg(&key_pass),
    ];
    args.extend_from_slice(extra);
    a.run(args)
}

#[test]
fn exports_an_advocate_key_file_that_opens_to_the_id_advocate_id_prints() {
    let (a, id) = keys("advocate");
    let file = a.path("advocate.vaultkey");
    let out = export(&a, "advocate", &file, &[]);
    out.ok().prints(&format!("Advocate id: {id}"));
    out.says("Load it into Folio");
    out.says("Whoever has this file and its passphrase can withdraw the shares of everyone who gave you permission");
    assert!(!out.stderr.contains("Tip: rename"), "{out}");

    let bytes = fs::read(&file).expect("the key file");
    assert_eq!(bytes.len(), keyfile::FILE_LEN);
    assert_eq!(mode_of(&file), 0o600, "the key file is for its owner only");
    let opened =
        keyfile::open_advocate(&bytes, KEY_PASSPHRASE.as_bytes()).expect("the key file opens");
    assert_eq!(opened.public().to_string(), id);
    assert_eq!(
        keyfile::open_advocate(&bytes, PASSPHRASE.as_bytes()).err(),
        Some(KeyFileError::WrongPassphrase)
    );
    // The agency's page never takes it, and says so.
    let refused = keyfile::open(&bytes, KEY_PASSPHRASE.as_bytes()).expect_err("not an agency's");
    assert_eq!(refused, KeyFileError::NotAgency);
    assert!(
        refused
            .to_string()
            .contains("does not hold an agency's key"),
        "{refused}"
    );
}

#[test]
fn the_app_refuses_an_agency_key_file_in_words() {
    let (a, _) = keys("agency");
    let file = a.path("agency.vaultkey");
    export(&a, "agency", &file, &[]).ok();
    let bytes = fs::read(&file).expect("the key file");
    let refused =
        keyfile::open_advocate(&bytes, KEY_PASSPHRASE.as_bytes()).expect_err("not an advocate's");
    assert_eq!(refused, KeyFileError::NotAdvocate);
    assert_eq!(refused.kind(), "not_advocate");
    assert!(
        refused.to_string().contains("vault advocate export-key"),
        "{refused}"
    );
}

#[test]
fn exports_with_json_output_naming_the_role() {
    let (a, id) = keys("advocate");
    let file = a.path("one.vaultkey");
    let out = export(&a, "advocate", &file, &["--json"]);
    out.ok();
    let v = out.json();
    assert_eq!(v["id"], id.as_str(), "{out}");
    assert_eq!(v["role"], "advocate", "{out}");
    assert_eq!(v["format"], "agency-key-v1", "{out}");
}

#[test]
fn suggests_the_ending_folio_looks_for() {
    let (a, _) = keys("advocate");
    export(&a, "advocate", &a.path("advocate-key"), &[])
        .ok()
        .says("Tip: rename it to end in .vaultkey, the ending Folio looks for.");
}

#[test]
fn refuses_to_overwrite_and_refuses_a_survivors_vault() {
    let (a, _) = keys("advocate");
    let file = a.path("taken.vaultkey");
    fs::write(&file, b"something else").expect("write");
    let out = export(&a, "advocate", &file, &[]);
    out.fails(2, "already exists, so no key file was written");
    assert_eq!(fs::read(&file).expect("read"), b"something else");

    // A survivor's vault holds no advocate key: nothing is written.
    let s = Survivor::new();
    s.run(["init"]).ok();
    s.write_file("key-passphrase", format!("{KEY_PASSPHRASE}\n").as_bytes());
    let out = export(&s, "advocate", &s.path("x.vaultkey"), &[]);
    assert_ne!(out.code, 0, "{out}");
    assert!(!s.path("x.vaultkey").exists(), "{out}");
}
