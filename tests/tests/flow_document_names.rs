//! A document keeps the name of the file it was saved from, with the real
//! binaries: `put --file passport.jpg` keeps "passport.jpg" (sealed), the
//! survivor's preview shows it, and the agency's `redeem` saves the
//! document byte for byte as `passport.jpg`, then `passport-2.jpg`,
//! never over another file. File names that are not plain names are
//! refused when saved, in one sentence.

use std::fs;

use survivor_vault_tests::flow::{Person, Relay};

/// A reproducible, incompressible-looking document.
fn document(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn saved_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("the output folder lists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_document_is_saved_under_its_own_name_and_never_over_another() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    let agency = Person::agency(&relay);
    let passport = document(150_001);
    let input = survivor.file("passport.jpg");
    fs::write(&input, &passport).expect("the input file can be written");
    let input_s = input.to_str().expect("a UTF-8 temporary path");
    survivor
        .run(&["put", "documents.passport", "--file", input_s])
        .ok()
        .says("Saved documents.passport (document, ")
        .says(
            "Its file name, \"passport.jpg\", is kept with it and goes with it when it is shared.",
        );
    let put = survivor.run(&[
        "--json",
        "put",
        "--replace",
        "documents.passport",
        "--file",
        input_s,
    ]);
    put.ok();
    assert_eq!(put.json()["file_name"], "passport.jpg", "{put}");
    assert_eq!(put.json()["media_type"], "image/jpeg", "{put}");

    // `get` without --out says what the file was called.
    survivor
        .run(&["--json", "get", "documents.passport"])
        .fails(
            2,
            "documents.passport is a document, so it is not shown here",
        )
        .says("(it was saved from a file named \"passport.jpg\")");

    // The survivor sees the name before agreeing.
    let preview = survivor.run(&[
        "grant",
        "--yes",
        "--fields",
        "documents.passport",
        "--to",
        agency.id(),
        "--purpose",
        "Housing application",
        "--uses",
        "2",
    ]);
    preview.ok().says(
        "  - documents.passport\n      will leave: \"passport.jpg\", a document of about 151 KB\n",
    );
    let g = survivor.grant(&[
        "--fields",
        "documents.passport",
        "--to",
        agency.id(),
        "--purpose",
        "Housing application",
        "--uses",
        "2",
    ]);

    let out_dir = agency.file("case-1234");
    let out_s = out_dir.to_str().expect("a UTF-8 temporary path");
    let saved = out_dir.join("passport.jpg");
    agency
        .redeem(&g.link, &["--out", out_s])
        .ok()
        .prints(&format!(
            "documents.passport: document, 150001 bytes, saved as {}",
            saved.display()
        ));
    assert!(
        fs::read(&saved).expect("saved as passport.jpg") == passport,
        "the saved document differs from the survivor's"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&saved).expect("saved").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the saved document is readable by others");
    }
    assert_eq!(saved_names(&out_dir), ["passport.jpg"], "no leftovers");

    // Again into the same folder: a new name before the extension, the
    // first file untouched.
    let again = agency.redeem(&g.link, &["--json", "--out", out_s]);
    again.ok();
    let second = out_dir.join("passport-2.jpg");
    let field = &again.json()["fields"][0];
    assert_eq!(field["saved_as"], second.display().to_string(), "{again}");
    assert_eq!(field["file_name"], "passport.jpg", "{again}");
    assert_eq!(field["media_type"], "image/jpeg", "{again}");
    assert!(fs::read(&second).expect("saved as passport-2.jpg") == passport);
    assert!(fs::read(&saved).expect("still there") == passport);
    assert_eq!(saved_names(&out_dir), ["passport-2.jpg", "passport.jpg"]);
}

#[test]
fn a_windows_device_name_is_saved_under_a_safe_name() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    let agency = Person::agency(&relay);
    let input = survivor.file("CON.txt");
    fs::write(&input, b"a letter").expect("the input file can be written");
    survivor
        .run(&[
            "put",
            "documents.letter",
            "--file",
            input.to_str().expect("UTF-8"),
        ])
        .ok();
    let g = survivor.grant(&[
        "--fields",
        "documents.letter",
        "--to",
        agency.id(),
        "--purpose",
        "Housing application",
    ]);
    let out_dir = agency.file("received");
    agency
        .redeem(&g.link, &["--out", out_dir.to_str().expect("UTF-8")])
        .ok();
    assert_eq!(saved_names(&out_dir), ["_CON.txt"]);
    assert_eq!(
        fs::read(out_dir.join("_CON.txt")).expect("saved"),
        b"a letter"
    );
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_a_plain_name_is_refused_in_one_sentence() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    for (name, why) in [
        ("a\u{1b}[31mb.pdf", "holds hidden or control characters"),
        ("scan\u{202e}gpj.exe", "holds hidden or control characters"),
        ("..\\..\\scan.pdf", "holds a backslash"),
    ] {
        let input = survivor.file(name);
        fs::write(&input, b"%PDF").expect("the input file can be written");
        let out = survivor.run(&[
            "--json",
            "put",
            "documents.scan",
            "--file",
            input.to_str().expect("UTF-8"),
        ]);
        out.fails_json(2, "bad_file_name")
            .says(why)
            .says("Rename the file (or copy it under a plain name), then save it again.");
        // Shown inert, never obeyed by the terminal.
        assert!(
            !out.all().contains('\u{1b}') && !out.all().contains('\u{202e}'),
            "{out}"
        );
    }
    // Nothing was saved.
    let ls = survivor.run(&["--json", "ls"]);
    assert_eq!(
        ls.json()["fields"].as_array().map(Vec::len),
        Some(0),
        "{ls}"
    );
    // The longest name a Linux file can have (255 bytes) is kept.
    let long = survivor.file(&format!("{}.pdf", "x".repeat(251)));
    fs::write(&long, b"%PDF").expect("a 255-byte name is a valid file name");
    let put = survivor.run(&[
        "--json",
        "put",
        "documents.scan",
        "--file",
        long.to_str().expect("UTF-8"),
    ]);
    put.ok();
    assert_eq!(
        put.json()["file_name"].as_str().map(str::len),
        Some(255),
        "{put}"
    );
}

#[test]
fn two_documents_from_files_of_one_name_are_both_kept() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    let agency = Person::agency(&relay);
    for (field, folder, bytes) in [
        ("documents.a", "first", &b"first scan"[..]),
        ("documents.b", "second", &b"second scan"[..]),
    ] {
        let dir = survivor.file(folder);
        fs::create_dir_all(&dir).expect("a folder");
        let input = dir.join("scan.pdf");
        fs::write(&input, bytes).expect("the input file can be written");
        survivor
            .run(&["put", field, "--file", input.to_str().expect("UTF-8")])
            .ok();
    }
    let g = survivor.grant(&[
        "--fields",
        "documents.*",
        "--to",
        agency.id(),
        "--purpose",
        "Housing application",
    ]);
    let out_dir = agency.file("received");
    let out = agency.redeem(&g.link, &["--out", out_dir.to_str().expect("UTF-8")]);
    out.ok()
        .prints("documents.a: document, 10 bytes, saved as ")
        .prints("documents.b: document, 11 bytes, saved as ");
    assert_eq!(saved_names(&out_dir), ["scan-2.pdf", "scan.pdf"]);
    // In the share's order (by field name): the first is scan.pdf.
    assert_eq!(
        fs::read(out_dir.join("scan.pdf")).expect("saved"),
        b"first scan"
    );
    assert_eq!(
        fs::read(out_dir.join("scan-2.pdf")).expect("saved"),
        b"second scan"
    );
}
