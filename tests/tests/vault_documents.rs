//! Documents end to end: `put --file` and `get --out` give back the same
//! bytes at every chunk boundary, output files are private and never
//! overwritten, and a document goes to standard output only when that is
//! a pipe.

use std::fs;

use survivor_vault_tests::{arg, pseudo_random_bytes, Survivor};

/// Documents are sealed in 64 KiB chunks; these sizes sit on and around
/// the boundaries, plus one that spans many chunks.
const SIZES: [usize; 6] = [0, 1, 65_535, 65_536, 65_537, 3 * 1024 * 1024 + 17];

#[test]
fn documents_come_back_byte_identical_at_every_chunk_boundary() {
    let s = Survivor::with_vault();
    for (i, &size) in SIZES.iter().enumerate() {
        let bytes = pseudo_random_bytes(size, i as u64 + 1);
        let input = s.write_file(&format!("in-{size}"), &bytes);
        let field = format!("documents.size-{size}");
        s.run(["put", &field, "--file", arg(&input)])
            .ok()
            .says(&format!("Saved {field} (document, "));

        let output = s.path(&format!("out-{size}"));
        let out = s.run(["get", &field, "--out", arg(&output)]);
        out.ok()
            .says(&format!("Wrote {field} to {}", output.display()))
            .says("Only you can read that file");
        let back = fs::read(&output).expect("get --out wrote the file");
        assert_eq!(back.len(), size, "{field}: length");
        assert!(back == bytes, "{field}: the bytes differ");
    }

    let out = s.run(["--json", "ls"]);
    let json = out.ok().json();
    let mut sizes: Vec<u64> = json["fields"]
        .as_array()
        .expect("fields is an array")
        .iter()
        .map(|f| {
            assert_eq!(f["kind"], "document", "{out}");
            f["size"].as_u64().expect("size")
        })
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, SIZES.map(|n| n as u64));
}

#[cfg(unix)]
#[test]
fn get_out_writes_a_file_only_the_owner_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let s = Survivor::with_vault();
    let input = s.write_file("id-card.png", &pseudo_random_bytes(70_000, 3));
    s.run(["put", "documents.id-card", "--file", arg(&input)])
        .ok();
    // The input was made with the usual umask; the copy must not be.
    fs::set_permissions(&input, fs::Permissions::from_mode(0o644)).expect("chmod");

    let output = s.path("id-card-back.png");
    let out = s.run(["--json", "get", "documents.id-card", "--out", arg(&output)]);
    assert_eq!(
        out.ok().json(),
        serde_json::json!({
            "field": "documents.id-card",
            "kind": "document",
            "size": 70_000,
            "out": output.display().to_string(),
        })
    );
    let mode = fs::metadata(&output).expect("written").permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "output mode {mode:o}");

    // A text field written to a file is private too.
    s.run(["put", "needs.housing", "a flat"]).ok();
    let text_out = s.path("housing.txt");
    s.run(["get", "needs.housing", "--out", arg(&text_out)])
        .ok();
    assert_eq!(fs::read(&text_out).expect("written"), b"a flat");
    let mode = fs::metadata(&text_out)
        .expect("written")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "output mode {mode:o}");
}

#[test]
fn get_out_refuses_an_existing_file_and_leaves_it_unchanged() {
    let s = Survivor::with_vault();
    let input = s.write_file("letter.pdf", b"%PDF-1.7 the new letter");
    s.run(["put", "documents.letter", "--file", arg(&input)])
        .ok();
    let existing = s.write_file("keep-me.pdf", b"something precious");

    let out = s.run(["get", "documents.letter", "--out", arg(&existing)]);
    out.fails(2, "already exists, so nothing was written")
        .says("Choose a new file name");
    assert_eq!(
        fs::read(&existing).expect("still there"),
        b"something precious"
    );

    let out = s.run(["--json", "get", "documents.letter", "--out", arg(&existing)]);
    assert_eq!(out.code, 2, "{out}");
    assert_eq!(out.json()["error"], "output_exists", "{out}");
    assert_eq!(
        fs::read(&existing).expect("still there"),
        b"something precious"
    );

    // Nothing was left behind next to it either.
    let mut names: Vec<String> = fs::read_dir(existing.parent().expect("in the temp folder"))
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["keep-me.pdf", "letter.pdf", "passphrase", "vault"]);
}

#[test]
fn get_of_a_document_streams_its_bytes_into_a_pipe() {
    let s = Survivor::with_vault();
    // Not UTF-8, and more than one chunk: exactly the bytes, nothing added.
    let mut bytes = pseudo_random_bytes(100_000, 5);
    bytes[..4].copy_from_slice(&[0xff, 0xfe, 0x00, 0x80]);
    let input = s.write_file("photo.jpg", &bytes);
    s.run(["put", "documents.photo", "--file", arg(&input)])
        .ok();

    // The harness's standard output is a pipe, not a terminal.
    let out = s.run(["get", "documents.photo"]);
    out.ok();
    assert_eq!(out.stdout.len(), bytes.len(), "{out}");
    assert!(out.stdout == bytes, "the piped bytes differ");
}

#[test]
fn get_of_a_document_with_json_needs_out() {
    let s = Survivor::with_vault();
    let input = s.write_file("photo.jpg", &pseudo_random_bytes(1000, 9));
    s.run(["put", "documents.photo", "--file", arg(&input)])
        .ok();

    let out = s.run(["--json", "get", "documents.photo"]);
    out.fails(2, "documents.photo is a document, so it is not shown here")
        .says("--out PATH");
    // Standard output holds the JSON error and nothing else.
    assert_eq!(out.json()["error"], "document_needs_out", "{out}");
}

#[test]
fn put_replace_swaps_a_document_for_a_new_one() {
    let s = Survivor::with_vault();
    let first = pseudo_random_bytes(130_000, 21);
    let second = pseudo_random_bytes(70_000, 22);
    let a = s.write_file("a", &first);
    let b = s.write_file("b", &second);
    s.run(["put", "documents.x", "--file", arg(&a)]).ok();
    s.run(["put", "documents.x", "--file", arg(&b)])
        .fails(2, "add --replace to go ahead");
    s.run(["put", "--replace", "documents.x", "--file", arg(&b)])
        .ok();
    let out = s.run(["get", "documents.x"]);
    assert!(
        out.ok().stdout == second,
        "the new document replaced the old"
    );
}
