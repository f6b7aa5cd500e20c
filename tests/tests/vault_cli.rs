//! The survivor's everyday commands, end to end with the real `vault`
//! binary: init, id, put, get, ls, rm and passwd, in their human and
//! `--json` forms.
//!
//! Documents, bad input and what lies on disk have their own files
//! (`vault_documents.rs`, `vault_errors.rs`, `vault_on_disk.rs`).

use survivor_vault_tests::{arg, pseudo_random_bytes, Survivor, PASSPHRASE};

#[test]
fn init_prints_an_id_that_vault_id_repeats() {
    let s = Survivor::new();
    let out = s.run(["init"]);
    out.ok()
        .says("Your vault is ready in")
        .says("keep the passphrase");
    let id = out
        .stdout_text()
        .trim()
        .strip_prefix("Your id: ")
        .unwrap_or_else(|| panic!("init prints `Your id: …`\n{out}"))
        .to_owned();
    assert!(id.starts_with("survivor1"), "{out}");
    assert!(s.vault_dir().join("records").is_dir());

    let out = s.run(["id"]);
    out.ok();
    assert_eq!(out.stdout_text(), format!("{id}\n"), "{out}");

    let out = s.run(["--json", "id"]);
    out.ok();
    assert_eq!(out.json(), serde_json::json!({ "id": id }), "{out}");
}

#[test]
fn init_with_json_prints_the_vault_folder_and_id() {
    let s = Survivor::new();
    let out = s.run(["--json", "init"]);
    out.ok().says("Your vault is ready");
    let json = out.json();
    assert_eq!(
        json["vault"].as_str(),
        Some(s.vault_dir().display().to_string().as_str()),
        "{out}"
    );
    let id = json["id"]
        .as_str()
        .unwrap_or_else(|| panic!("an id\n{out}"));
    assert!(id.starts_with("survivor1"), "{out}");
    assert_eq!(s.run(["id"]).stdout_text().trim(), id);
}

#[cfg(unix)]
#[test]
fn init_makes_a_folder_only_the_owner_can_open() {
    use std::os::unix::fs::PermissionsExt;
    let s = Survivor::with_vault();
    let mode = std::fs::metadata(s.vault_dir())
        .expect("the vault folder exists")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700, "vault folder mode {mode:o}");
}

#[test]
fn put_then_get_returns_the_text() {
    let s = Survivor::with_vault();
    let out = s.run([
        "put",
        "needs.housing",
        "a ground-floor flat, near the school",
    ]);
    out.ok().says("Saved needs.housing (text, 36 B).");
    assert!(out.stdout.is_empty(), "put prints no result\n{out}");

    let out = s.run(["get", "needs.housing"]);
    out.ok();
    assert_eq!(out.stdout_text(), "a ground-floor flat, near the school\n");

    let out = s.run(["--json", "get", "needs.housing"]);
    out.ok();
    assert_eq!(
        out.json(),
        serde_json::json!({
            "field": "needs.housing",
            "kind": "text",
            "value": "a ground-floor flat, near the school",
        })
    );
}

#[test]
fn put_with_json_reports_field_kind_and_size() {
    let s = Survivor::with_vault();
    let out = s.run(["--json", "put", "identity.name", "Ana Lúcia"]);
    out.ok();
    assert_eq!(
        out.json(),
        serde_json::json!({ "field": "identity.name", "kind": "text", "size": 10 })
    );
}

#[test]
fn put_reads_the_value_piped_on_stdin() {
    let s = Survivor::with_vault();
    let out = s.run_with_stdin(
        ["put", "needs.school"],
        "two children, ages 7 and 9\n".as_bytes(),
    );
    // The line break that ends piped text is not part of it.
    out.ok().says("Saved needs.school (text, 26 B).");
    assert_eq!(
        s.run(["get", "needs.school"]).ok().stdout_text(),
        "two children, ages 7 and 9\n"
    );

    // Several lines are kept as they are, but for the last line break.
    let text = "line one\r\nline two\n\nline four";
    s.run_with_stdin(["put", "history.notes"], format!("{text}\r\n").as_bytes())
        .ok();
    let out = s.run(["--json", "get", "history.notes"]);
    assert_eq!(out.ok().json()["value"].as_str(), Some(text));
}

#[test]
fn put_over_an_existing_field_needs_replace_without_a_terminal() {
    let s = Survivor::with_vault();
    s.run(["put", "needs.housing", "first answer"]).ok();

    let out = s.run(["put", "needs.housing", "second answer"]);
    out.fails(
        2,
        "Something is already saved under needs.housing. Replace it?",
    )
    .says("add --replace to go ahead");
    assert_eq!(
        s.run(["get", "needs.housing"]).ok().stdout_text(),
        "first answer\n",
        "a refused put changes nothing"
    );

    s.run(["put", "--replace", "needs.housing", "second answer"])
        .ok()
        .says("Saved needs.housing");
    assert_eq!(
        s.run(["get", "needs.housing"]).ok().stdout_text(),
        "second answer\n"
    );
}

#[test]
fn ls_lists_paths_kinds_and_sizes_sorted() {
    let s = Survivor::with_vault();
    let out = s.run(["ls"]);
    out.ok().says("Nothing is saved yet");
    assert!(out.stdout.is_empty(), "{out}");

    s.run(["put", "needs.housing", "a flat"]).ok();
    s.run(["put", "identity.name", "Ana"]).ok();
    let doc = s.write_file("letter.pdf", &vec![b'%'; 1536]);
    s.run(["put", "documents.letter", "--file", arg(&doc)])
        .ok()
        .says("Saved documents.letter (document, 1.5 KiB).");

    let out = s.run(["ls"]);
    out.ok();
    let text = out.stdout_text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[0].starts_with("FIELD"), "{out}");
    assert!(
        lines[0].contains("KIND") && lines[0].contains("SIZE"),
        "{out}"
    );
    let row = |i: usize| lines[i].split_whitespace().take(4).collect::<Vec<_>>();
    assert_eq!(
        row(1),
        ["documents.letter", "document", "1.5", "KiB"],
        "{out}"
    );
    assert_eq!(row(2), ["identity.name", "text", "3", "B"], "{out}");
    assert_eq!(row(3), ["needs.housing", "text", "6", "B"], "{out}");
    assert!(
        !text.contains("Ana") && !text.contains("a flat"),
        "ls never shows values\n{out}"
    );

    let out = s.run(["--json", "ls"]);
    let json = out.ok().json();
    assert_eq!(json["unreadable"], 0, "{out}");
    let fields = json["fields"].as_array().expect("fields is an array");
    let summary: Vec<(&str, &str, u64)> = fields
        .iter()
        .map(|f| {
            (
                f["field"].as_str().expect("field"),
                f["kind"].as_str().expect("kind"),
                f["size"].as_u64().expect("size"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("documents.letter", "document", 1536),
            ("identity.name", "text", 3),
            ("needs.housing", "text", 6),
        ]
    );
    assert!(fields
        .iter()
        .all(|f| f["updated"].as_u64().is_some_and(|t| t > 1_600_000_000)));
}

#[test]
fn rm_needs_yes_without_a_terminal() {
    let s = Survivor::with_vault();
    s.run(["put", "needs.housing", "a flat"]).ok();

    let out = s.run(["rm", "needs.housing"]);
    out.fails(2, "Remove needs.housing? It cannot be brought back.")
        .says("add --yes to go ahead");
    s.run(["get", "needs.housing"]).ok();

    let out = s.run(["--json", "rm", "--yes", "needs.housing"]);
    out.ok().says("Removed needs.housing.");
    assert_eq!(
        out.json(),
        serde_json::json!({ "field": "needs.housing", "removed": true })
    );
    s.run(["get", "needs.housing"])
        .fails(5, "There is nothing saved under needs.housing");
    s.run(["ls"]).ok().says("Nothing is saved yet");
}

#[test]
fn rm_removes_a_document_and_the_name_can_be_used_again() {
    let s = Survivor::with_vault();
    let doc = s.write_file("scan.jpg", &pseudo_random_bytes(200_000, 7));
    s.run(["put", "documents.scan", "--file", arg(&doc)]).ok();
    s.run(["rm", "--yes", "documents.scan"]).ok();
    s.run(["put", "documents.scan", "now a note"]).ok();
    assert_eq!(
        s.run(["get", "documents.scan"]).ok().stdout_text(),
        "now a note\n"
    );
}

#[test]
fn passwd_changes_the_passphrase_and_keeps_every_field() {
    let s = Survivor::with_vault();
    let id = s.run(["id"]).ok().stdout_text();
    s.run(["put", "needs.housing", "a ground-floor flat"]).ok();
    let doc_bytes = pseudo_random_bytes(150_001, 11);
    let doc = s.write_file("passport.pdf", &doc_bytes);
    s.run(["put", "documents.passport", "--file", arg(&doc)])
        .ok();

    let new = "a new and longer passphrase";
    let new_file = s.write_file("new-passphrase", format!("{new}\n").as_bytes());
    let out = s.run(["passwd", "--new-passphrase-file", arg(&new_file)]);
    out.ok().says("Your passphrase is changed");

    // The passphrase file still holds the old one.
    s.run(["ls"])
        .fails(3, "That passphrase did not open the vault");

    s.set_passphrase(new);
    assert_eq!(s.run(["id"]).ok().stdout_text(), id);
    assert_eq!(
        s.run(["get", "needs.housing"]).ok().stdout_text(),
        "a ground-floor flat\n"
    );
    let back = s.path("passport-back.pdf");
    s.run(["get", "documents.passport", "--out", arg(&back)])
        .ok();
    assert!(
        std::fs::read(&back).expect("written") == doc_bytes,
        "document intact"
    );

    // And the old one really is gone.
    s.set_passphrase(PASSPHRASE);
    s.run(["id"]).fails(3, "did not open the vault");
}

#[test]
fn passwd_refuses_a_short_new_passphrase_and_keeps_the_old_one() {
    let s = Survivor::with_vault();
    let short = s.write_file("short", b"seven77\n");
    s.run(["passwd", "--new-passphrase-file", arg(&short)])
        .fails(2, "at least 8 characters");
    s.run(["id"]).ok();
}
