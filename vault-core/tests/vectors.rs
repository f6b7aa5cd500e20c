//! Runs every test vector in `tests/vectors/` (at the workspace root)
//! against vault-core and compares the outcome with the vector's `expect`.
//!
//! The runner itself is `vault_core::vectors` (feature `vectors`), so the
//! browser module runs the very same checks (`web/tests/vectors.mjs`);
//! this file only finds the files and checks that the runner can fail.

use std::fmt::Write as _;
use std::path::PathBuf;

use vault_core::vectors::{
    check, check_vector, Vector, BACKUP_ERRORS, KEYFILE_ERRORS, OPEN_ERRORS, TOKEN_ERRORS,
};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors");
/// Fewer vectors than this means files went missing.
const MIN_VECTORS: usize = 30;

/// Every vector file as (name, text), in name order.
fn files() -> Vec<(String, String)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(DIR)
        .unwrap_or_else(|e| panic!("cannot read the vectors in {DIR}: {e}"))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "vec"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let name = p
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("vector names are UTF-8");
            let text = std::fs::read_to_string(p)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            (name.to_string(), text)
        })
        .collect()
}

fn load() -> Vec<Vector> {
    files()
        .iter()
        .map(|(name, text)| Vector::parse(name, text).unwrap_or_else(|e| panic!("{name}.vec: {e}")))
        .collect()
}

#[test]
fn there_are_enough_vectors() {
    let n = load().len();
    assert!(
        n >= MIN_VECTORS,
        "only {n} vectors in {DIR}; expected at least {MIN_VECTORS}. \
         Run `cargo run -q -p vault-core --example gen_vectors -- tests/vectors`."
    );
}

#[test]
fn every_vector_meets_its_expectation() {
    let mut failures = String::new();
    for (name, text) in files() {
        if let Err(e) = check(&name, &text) {
            writeln!(failures, "{name}.vec: {e}").expect("String");
        }
    }
    assert!(failures.is_empty(), "vectors failed:\n{failures}");
}

#[test]
fn every_kind_and_error_has_a_vector() {
    let vectors = load();
    let expects: Vec<(String, String)> = vectors
        .iter()
        .map(|v| {
            (
                v.get("kind").expect("kind").to_string(),
                v.get("expect").expect("expect").to_string(),
            )
        })
        .collect();
    let has = |kind: &str, expect: &str| expects.iter().any(|(k, e)| k == kind && e == expect);
    let mut missing = Vec::new();
    for (kind, codes) in [
        ("token", TOKEN_ERRORS),
        ("open", OPEN_ERRORS),
        ("bundle", &["bad_bundle"][..]),
        ("link", &["bad_link"][..]),
        ("backup", BACKUP_ERRORS),
        ("keyfile", KEYFILE_ERRORS),
    ] {
        for code in std::iter::once(&"ok").chain(codes) {
            if !has(kind, code) {
                missing.push(format!("{kind}/{code}"));
            }
        }
    }
    assert!(missing.is_empty(), "no vector for {missing:?}");
}

/// The check is real: in every valid vector, changing one hex digit of any
/// hex or decimal value (an input or an expected output; not `now`) makes
/// the vector fail.
#[test]
fn changing_one_hex_digit_of_a_valid_vector_is_caught() {
    let is_hex = |s: &str| {
        s.len() >= 2 && s.len().is_multiple_of(2) && s.bytes().all(|b| b.is_ascii_hexdigit())
    };
    let mut tried = 0;
    for v in load() {
        if v.get("expect") != Ok("ok") {
            continue;
        }
        check_vector(&v).unwrap_or_else(|e| panic!("{}.vec: {e}", v.name));
        for (i, (key, value)) in v.fields.iter().enumerate() {
            // An entry's contents are the last word of `path kind len hex`.
            let start = if key == "entry" {
                value.rfind(' ').map_or(0, |p| p + 1)
            } else {
                0
            };
            // `now` is an input a small change need not affect.
            if !is_hex(&value[start..]) || key == "now" {
                continue;
            }
            let len = value.len() - start;
            for at in [start, start + len / 2, value.len() - 1] {
                let mut m = v.clone();
                let mut bytes = value.clone().into_bytes();
                let d = (bytes[at] as char).to_digit(16).expect("a hex digit") ^ 1;
                bytes[at] = char::from_digit(d, 16).expect("a hex digit") as u8;
                m.fields[i].1 = String::from_utf8(bytes).expect("ASCII");
                assert!(
                    check_vector(&m).is_err(),
                    "{}.vec: changing digit {at} of `{key}` went unnoticed",
                    v.name
                );
                tried += 1;
            }
        }
    }
    assert!(tried > 100, "only {tried} changes tried");
}

/// How many vector files of `kind` expect `expect`.
fn count(vectors: &[Vector], kind: &str, expect: &str) -> usize {
    vectors
        .iter()
        .filter(|v| v.get("kind") == Ok(kind) && v.get("expect") == Ok(expect))
        .count()
}

/// A spec page at the workspace root's `docs/spec/`.
fn spec(name: &str) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/spec/").to_string() + name;
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// The leading decimal number of `text`, if it starts with one.
fn leading_number(text: &str) -> Option<usize> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The codes in a cell such as "`bad_magic`, `malformed` ×10", with
/// their counts (1 where no `×N` follows).
fn codes_with_counts(cell: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut rest = cell;
    while let Some(start) = rest.find('`') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('`') else { break };
        let code = after[..end].to_string();
        rest = &after[end + 1..];
        let n = rest
            .strip_prefix(" ×")
            .and_then(leading_number)
            .unwrap_or(1);
        out.push((code, n));
    }
    out
}

/// The numbers of vectors the specs state (consent-token-v1 §18,
/// share-link-v1 §9, backup-format §9, agency-key-v1 §11) are the numbers
/// of files.
#[test]
fn the_vector_counts_the_specs_state_are_true() {
    let vectors = load();
    let mut wrong = Vec::new();

    // consent-token-v1 §18: one row per kind, valid count and every
    // refusal code with its count.
    let text = spec("consent-token-v1.md");
    let section = text
        .split("## 18. Test vectors")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("consent-token-v1.md has a §18");
    let mut kinds = Vec::new();
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.trim_matches('|').split(" | ").map(str::trim).collect();
        let [kind, valid, invalid] = cells[..] else {
            panic!("a §18 row with other than 3 cells: {row}");
        };
        let kind = kind.trim_matches('`');
        kinds.push(kind.to_string());
        let stated = leading_number(valid).unwrap_or_else(|| panic!("§18 {kind}: no count"));
        let files = count(&vectors, kind, "ok");
        if stated != files {
            wrong.push(format!(
                "consent-token-v1 §18: {stated} valid {kind}, {files} files"
            ));
        }
        let stated = codes_with_counts(invalid);
        let expects: std::collections::BTreeSet<&str> = vectors
            .iter()
            .filter(|v| v.get("kind") == Ok(kind))
            .filter_map(|v| v.get("expect").ok())
            .filter(|e| *e != "ok")
            .collect();
        for e in &expects {
            if !stated.iter().any(|(c, _)| c == e) {
                wrong.push(format!("consent-token-v1 §18: {kind}/{e} not listed"));
            }
        }
        for (code, n) in stated {
            let files = count(&vectors, kind, &code);
            if n != files {
                wrong.push(format!(
                    "consent-token-v1 §18: {kind}/{code} ×{n}, {files} files"
                ));
            }
        }
    }
    assert_eq!(kinds, ["token", "open", "bundle", "link"], "§18's rows");

    // share-link-v1 §9: the valid vectors are listed by name, then "N
    // vectors covering every rule".
    let text = spec("share-link-v1.md");
    let section = text
        .split("## 9. Test vectors")
        .nth(1)
        .expect("share-link-v1.md has a §9");
    let row = section
        .lines()
        .find(|l| l.starts_with("| [`link_ok_"))
        .expect("§9 lists the valid link vectors");
    let listed = row.matches("[`link_ok_").count();
    let files = count(&vectors, "link", "ok");
    if listed != files {
        wrong.push(format!(
            "share-link-v1 §9: {listed} valid listed, {files} files"
        ));
    }
    let refused = row
        .rsplit(" | ")
        .next()
        .and_then(leading_number)
        .expect("§9 states how many links are refused");
    let files = count(&vectors, "link", "bad_link");
    if refused != files {
        wrong.push(format!(
            "share-link-v1 §9: {refused} refused, {files} files"
        ));
    }

    // backup-format §9: "N vectors in `tests/vectors/backup_*.vec`".
    let text = spec("backup-format.md");
    let stated = text
        .split("## 9. Test vectors\n\n")
        .nth(1)
        .and_then(leading_number)
        .expect("backup-format §9 starts with the number of vectors");
    let files = vectors
        .iter()
        .filter(|v| v.get("kind") == Ok("backup"))
        .count();
    if stated != files {
        wrong.push(format!("backup-format §9: {stated} vectors, {files} files"));
    }

    // agency-key-v1 §11: "N vectors in `tests/vectors/keyfile_*.vec`",
    // then one row per expected outcome with its count.
    let text = spec("agency-key-v1.md");
    let section = text
        .split("## 11. Test vectors in files\n\n")
        .nth(1)
        .expect("agency-key-v1.md has a §11");
    let stated = leading_number(section).expect("§11 starts with the number of vectors");
    let files = vectors
        .iter()
        .filter(|v| v.get("kind") == Ok("keyfile"))
        .count();
    if stated != files {
        wrong.push(format!(
            "agency-key-v1 §11: {stated} vectors, {files} files"
        ));
    }
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.trim_matches('|').split(" | ").map(str::trim).collect();
        let [expect, n, ..] = cells[..] else {
            panic!("a §11 row with fewer than 2 cells: {row}");
        };
        let expect = expect.trim_matches('`');
        let n = leading_number(n).unwrap_or_else(|| panic!("§11 {expect}: no count"));
        let files = count(&vectors, "keyfile", expect);
        if n != files {
            wrong.push(format!("agency-key-v1 §11: {expect} ×{n}, {files} files"));
        }
    }

    assert!(
        wrong.is_empty(),
        "the specs' vector counts are wrong:\n{wrong:#?}"
    );
}
