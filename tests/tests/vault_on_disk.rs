//! What lies on disk, end to end: an attacker who changes the store gets
//! an error, never a wrong value; a crash half-way through a write leaves
//! the previous value readable; and nothing saved (values, documents, field
//! names, the passphrase) can be found in the vault folder in any common
//! encoding.
//!
//! To play the attacker these tests open the vault's record store directly
//! with `vault_core::FolderStore` (the folder `records`, one file per
//! record), or change the document files in its `documents` folder, only
//! while no `vault` process is running.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::thread;
use std::time::{Duration, Instant};

use survivor_vault_tests::{
    arg, files_under, pseudo_random_bytes, size_under, Survivor, PASSPHRASE,
};
use vault_core::store::Op;
use vault_core::{FolderStore, Store};

fn store_dir(s: &Survivor) -> PathBuf {
    s.vault_dir().join("records")
}

fn documents_dir(s: &Survivor) -> PathBuf {
    s.vault_dir().join("documents")
}

/// The vault's document files, one per stored document.
fn document_files(s: &Survivor) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(documents_dir(s))
        .expect("the documents folder")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

fn open_store(s: &Survivor) -> FolderStore {
    FolderStore::open(&store_dir(s)).expect("the vault's store opens")
}

/// Every entry whose key starts with `prefix`.
fn entries(s: &Survivor, prefix: u8) -> Vec<(Vec<u8>, Vec<u8>)> {
    open_store(s)
        .scan_prefix(&[prefix])
        .expect("scan the store")
}

/// Applies `ops` to the store, durably.
fn change_store(s: &Survivor, ops: Vec<Op>) {
    let store = open_store(s);
    store.apply(ops).expect("change the store");
    store.flush().expect("flush the store");
}

#[test]
fn a_tampered_record_cannot_be_read_and_the_others_still_can() {
    let s = Survivor::with_vault();
    s.run(["put", "needs.housing", "a ground-floor flat"]).ok();
    let before = entries(&s, b'R');
    s.run(["put", "needs.food", "bread and rice"]).ok();
    let after = entries(&s, b'R');
    assert_eq!(after.len(), before.len() + 1, "one record per field");
    let (key, mut sealed) = after
        .into_iter()
        .find(|(k, _)| !before.iter().any(|(b, _)| b == k))
        .expect("the second put added a record");

    let mid = sealed.len() / 2;
    sealed[mid] ^= 0x01;
    change_store(&s, vec![Op::Insert(key, sealed)]);

    s.run(["get", "needs.food"])
        .fails(7, "needs.food is damaged and cannot be read")
        .says("your other fields are not affected")
        .says("vault put --replace needs.food")
        .says("vault check");
    assert_eq!(
        s.run(["get", "needs.housing"]).ok().stdout_text(),
        "a ground-floor flat\n"
    );

    let out = s.run(["ls"]);
    out.ok()
        .says("1 saved item is damaged and cannot be read")
        .says("everything listed here is fine");
    let text = out.stdout_text();
    assert!(text.contains("needs.housing"), "{out}");
    assert!(!text.contains("needs.food"), "{out}");
    let out = s.run(["--json", "ls"]);
    let json = out.ok().json();
    assert_eq!(json["unreadable"], 1, "{out}");
    assert_eq!(json["fields"].as_array().map(Vec::len), Some(1), "{out}");

    // Replacing a damaged field is how it gets repaired.
    s.run(["put", "--replace", "needs.food", "bread"]).ok();
    assert_eq!(s.run(["get", "needs.food"]).ok().stdout_text(), "bread\n");
    let out = s.run(["--json", "ls"]);
    assert_eq!(out.ok().json()["unreadable"], 0, "{out}");
}

#[test]
fn a_swapped_record_cannot_be_read_under_another_name() {
    let s = Survivor::with_vault();
    s.run(["put", "needs.housing", "a ground-floor flat"]).ok();
    let before = entries(&s, b'R');
    s.run(["put", "needs.food", "bread and rice"]).ok();
    let after = entries(&s, b'R');
    let (food_key, _) = after
        .iter()
        .find(|(k, _)| !before.iter().any(|(b, _)| b == k))
        .expect("the second put added a record");
    let (_, housing_value) = &before[0];

    // needs.food's slot now holds needs.housing's sealed record.
    change_store(
        &s,
        vec![Op::Insert(food_key.clone(), housing_value.clone())],
    );
    s.run(["get", "needs.food"])
        .fails(7, "needs.food is damaged and cannot be read");
    s.run(["get", "needs.housing"]).ok();
}

#[test]
fn a_damaged_document_is_never_written_out() {
    let s = Survivor::with_vault();
    let bytes = pseudo_random_bytes(3 * 65_536 + 100, 42);
    let input = s.write_file("scan.pdf", &bytes);
    s.run(["put", "documents.scan", "--file", arg(&input)]).ok();
    let files = document_files(&s);
    assert_eq!(files.len(), 1, "one file per document");
    let file = &files[0];
    let original = fs::read(file).expect("read the document file");
    // 196 708 bytes, padded with zeros to 200 704, in four sealed chunks
    // back to back: three of 64 KiB and one of 4096 bytes, each with its
    // 16-byte tag.
    const SEALED: usize = 65_536 + 16;
    assert_eq!(original.len(), 3 * SEALED + 4096 + 16);
    let output = s.path("scan-back.pdf");
    let get = |s: &Survivor| s.run(["get", "documents.scan", "--out", arg(&output)]);

    // One flipped bit in the middle of the second chunk.
    let mut flipped = original.clone();
    flipped[SEALED + 10] ^= 0x80;
    fs::write(file, &flipped).expect("tamper");
    get(&s).fails(7, "documents.scan is damaged and cannot be read");
    assert_no_output_left(&s, &output);

    // The last chunk missing: a shortened document is damaged too.
    fs::write(file, &original[..3 * SEALED]).expect("tamper");
    get(&s).fails(7, "documents.scan is damaged and cannot be read");
    assert_no_output_left(&s, &output);

    // One byte added at the end.
    let mut longer = original.clone();
    longer.push(0);
    fs::write(file, &longer).expect("tamper");
    get(&s).fails(7, "documents.scan is damaged and cannot be read");
    assert_no_output_left(&s, &output);

    // Every chunk there, but the first two swapped.
    let mut swapped = original[SEALED..2 * SEALED].to_vec();
    swapped.extend_from_slice(&original[..SEALED]);
    swapped.extend_from_slice(&original[2 * SEALED..]);
    fs::write(file, &swapped).expect("tamper");
    get(&s).fails(7, "is damaged and cannot be read");
    assert_no_output_left(&s, &output);

    // The file gone altogether.
    fs::remove_file(file).expect("remove");
    get(&s).fails(7, "documents.scan is damaged and cannot be read");
    assert_no_output_left(&s, &output);

    // Put back as it was, it reads again: the checks are exact.
    fs::write(file, &original).expect("restore");
    get(&s).ok();
    assert!(fs::read(&output).expect("written") == bytes);
}

/// Neither `output` nor a temporary file beside it exists.
fn assert_no_output_left(s: &Survivor, output: &Path) {
    assert!(!output.exists(), "{output:?} was not written");
    let leftovers: Vec<_> = fs::read_dir(s.path(""))
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("scan-back"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

#[test]
fn a_write_killed_half_way_leaves_the_previous_document() {
    let s = Survivor::with_vault();
    let first = pseudo_random_bytes(200_000, 1);
    let first_file = s.write_file("first.pdf", &first);
    s.run(["put", "documents.x", "--file", arg(&first_file)])
        .ok();

    // 300 MiB: far more than is written before any of the kills below.
    let big = s.path("big.bin");
    let block = pseudo_random_bytes(1024 * 1024, 2);
    let mut file = File::create(&big).expect("create big.bin");
    for _ in 0..300 {
        file.write_all(&block).expect("write big.bin");
    }
    drop(file);

    // Kill while the key is derived and at several depths into the
    // chunks: measured by what reached the disk, not by the clock, so the
    // test means the same on a slow machine as on a fast one.
    const MIB: u64 = 1024 * 1024;
    for (round, grown) in [0, MIB, 16 * MIB, 64 * MIB].into_iter().enumerate() {
        let base = size_under(&documents_dir(&s));
        let mut put = s.spawn(
            ["put", "--replace", "documents.x", "--file", arg(&big)],
            Stdio::null(),
        );
        let deadline = Instant::now() + Duration::from_secs(60);
        if grown == 0 {
            thread::sleep(Duration::from_millis(50));
        }
        while grown > 0 && size_under(&documents_dir(&s)) < base + grown {
            assert!(
                put.try_status().is_none(),
                "the put ended before it could be killed"
            );
            assert!(
                Instant::now() < deadline,
                "the put never wrote {grown} bytes"
            );
            thread::sleep(Duration::from_millis(2));
        }
        assert!(
            put.kill(),
            "round {round}: the put was still running when killed"
        );

        let back = s.path(&format!("back-{round}.pdf"));
        s.run(["get", "documents.x", "--out", arg(&back)]).ok();
        assert!(
            fs::read(&back).expect("written") == first,
            "round {round}: the previous document is intact"
        );
        let out = s.run(["--json", "ls"]);
        let json = out.ok().json();
        assert_eq!(json["unreadable"], 0, "{out}");
        assert_eq!(json["fields"][0]["size"], 200_000, "{out}");
    }

    // The vault is fine afterwards: a new write goes through.
    let last = pseudo_random_bytes(100_000, 3);
    let last_file = s.write_file("last.pdf", &last);
    s.run(["put", "--replace", "documents.x", "--file", arg(&last_file)])
        .ok();
    let out = s.run(["get", "documents.x"]);
    assert!(out.ok().stdout == last, "the new document reads back");
    // And the abandoned files were removed: only the new document's
    // remains, 100 000 bytes padded to 100 352, in two sealed chunks.
    let files = document_files(&s);
    assert_eq!(files.len(), 1, "left behind: {files:?}");
    assert_eq!(
        fs::metadata(&files[0]).expect("file").len(),
        100_352 + 2 * 16
    );
    assert!(entries(&s, b'P').is_empty(), "no garbage marks are left");
}

// --- secrecy on disk ----------------------------------------------------

const STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64 without padding; a test oracle, so plain rather than fast.
fn base64(bytes: &[u8], alphabet: &[u8; 64]) -> Vec<u8> {
    let mut out = Vec::new();
    for group in bytes.chunks(3) {
        let mut n = [0u8; 3];
        n[..group.len()].copy_from_slice(group);
        let v = u32::from(n[0]) << 16 | u32::from(n[1]) << 8 | u32::from(n[2]);
        for i in 0..=group.len() {
            out.push(alphabet[(v >> (18 - 6 * i) & 63) as usize]);
        }
    }
    out
}

/// The part of `needle`'s base64 that is the same wherever it starts in
/// a longer stream: with `offset` bytes before it, characters that mix in
/// bytes from before or after the needle are left out.
fn base64_core(needle: &[u8], offset: usize, alphabet: &[u8; 64]) -> Vec<u8> {
    let mut padded = vec![0u8; offset];
    padded.extend_from_slice(needle);
    let encoded = base64(&padded, alphabet);
    let first = (8 * offset).div_ceil(6);
    let end = 8 * padded.len() / 6;
    encoded[first..end].to_vec()
}

/// `needle` as a program might have written it: UTF-8, UTF-16 either way
/// round, hex, and standard and URL-safe base64 at every alignment.
fn encodings(needle: &str) -> Vec<(String, Vec<u8>)> {
    let mut all = vec![
        ("UTF-8".to_owned(), needle.as_bytes().to_vec()),
        (
            "UTF-16LE".to_owned(),
            needle.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        ),
        (
            "UTF-16BE".to_owned(),
            needle.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        ),
    ];
    let hex: String = needle.bytes().map(|b| format!("{b:02x}")).collect();
    all.push(("hex".to_owned(), hex.clone().into_bytes()));
    all.push(("HEX".to_owned(), hex.to_uppercase().into_bytes()));
    for offset in 0..3 {
        for (name, alphabet) in [("base64", STD), ("base64url", URL)] {
            let core = base64_core(needle.as_bytes(), offset, alphabet);
            all.push((format!("{name} at offset {offset}"), core));
        }
    }
    all
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn base64_oracle_matches_known_answers() {
    // RFC 4648, section 10.
    for (plain, b64) in [
        ("", ""),
        ("f", "Zg"),
        ("fo", "Zm8"),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg"),
        ("fooba", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(base64(plain.as_bytes(), STD), b64.as_bytes(), "{plain}");
    }
    assert_eq!(base64(&[0xfb, 0xff], STD), b"+/8");
    assert_eq!(base64(&[0xfb, 0xff], URL), b"-_8");
    // Every alignment's core is found in the encoding of a longer stream.
    let needle = b"Xylophone-Marmalade-4471";
    for offset in 0..3 {
        for tail in 0..3 {
            let mut stream = b"ab"[..offset].to_vec();
            stream.extend_from_slice(needle);
            stream.extend_from_slice(&b"yz"[..tail]);
            let encoded = base64(&stream, STD);
            let core = base64_core(needle, offset, STD);
            assert!(core.len() >= 30, "the core is most of the needle");
            assert!(
                find(&encoded, &core).is_some(),
                "offset {offset}, tail {tail}"
            );
        }
    }
}

#[test]
fn nothing_saved_can_be_found_on_disk_in_any_common_encoding() {
    let s = Survivor::with_vault();
    let value = "Xylophone-Marmalade-4471";
    let document = "Quetzal-Pangolin-Affidavit-9083: the door code is 5512";
    s.run(["put", "zebrafield.quokkaname", value]).ok();
    let doc = s.write_file("affidavit.txt", document.as_bytes());
    s.run(["put", "vellumcase.wombatfile", "--file", arg(&doc)])
        .ok();
    // Write, replace and remove too, so every code path has touched disk.
    s.run(["put", "ocelotdraft.narwhalnote", "Tamarind-Gondola-2208"])
        .ok();
    s.run([
        "put",
        "--replace",
        "ocelotdraft.narwhalnote",
        "Tamarind-Gondola-2209",
    ])
    .ok();
    s.run(["rm", "--yes", "ocelotdraft.narwhalnote"]).ok();
    // Still readable: the secrets are there, only not in the clear.
    assert_eq!(
        s.run(["get", "zebrafield.quokkaname"]).ok().stdout_text(),
        format!("{value}\n")
    );

    let needles = [
        value,
        document,
        "Quetzal-Pangolin-Affidavit-9083",
        "door code is 5512",
        "Tamarind-Gondola-2208",
        "Tamarind-Gondola-2209",
        "zebrafield",
        "quokkaname",
        "vellumcase",
        "wombatfile",
        "ocelotdraft",
        "narwhalnote",
        "affidavit.txt",
        PASSPHRASE,
    ];
    let files = files_under(s.vault_dir());
    assert!(files.len() >= 2, "the vault has files to search: {files:?}");
    let mut searched = 0;
    for file in &files {
        let bytes = fs::read(file).unwrap_or_else(|e| panic!("read {file:?}: {e}"));
        searched += bytes.len();
        for needle in needles {
            for (encoding, pattern) in encodings(needle) {
                if let Some(at) = find(&bytes, &pattern) {
                    panic!("{needle:?} is in {file:?} at byte {at}, as {encoding}");
                }
            }
        }
    }
    assert!(searched > 1000, "searched {searched} bytes in {files:?}");
}
