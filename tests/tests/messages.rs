//! Every message the programs say is in the one catalogue
//! (`vault-core/messages/en.ftl`), and every use of it is whole: each
//! `msg!("id", name = …)` in the workspace's source names a message that
//! exists, with every argument it needs. And no message in the catalogue
//! is left unused.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use vault_core::messages::{self, Arg};

/// The crates whose source may say things to a person.
const SOURCES: [&str; 4] = [
    "vault-core/src",
    "vault-cli/src",
    "vault-server/src",
    "vault-web/src",
];

/// Message families used with an id made at run time (so not found as
/// literals): `problem-<code>` (`vault_core::words::ProblemKind::words`).
const FAMILIES: [&str; 1] = ["problem-"];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// One `msg!(…)` use: the id and the argument names.
#[derive(Debug, PartialEq)]
struct Use {
    id: String,
    args: Vec<String>,
}

/// Finds every `msg!("id", a = …, b = …)` in `text`. Arguments are the
/// names before a top-level `=` (not `==`, `=>`, `<=`, `>=`, `!=`).
fn uses(text: &str) -> Vec<Use> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("msg!(") {
        let body = &rest[at + "msg!(".len()..];
        // The call's text up to its closing parenthesis, skipping strings.
        let mut depth = 1usize;
        let mut in_string = false;
        let mut escaped = false;
        let mut end = body.len();
        for (i, c) in body.char_indices() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let call = &body[..end];
        rest = &body[end..];
        let call_trim = call.trim_start();
        let Some(literal) = call_trim.strip_prefix('"') else {
            // `macro_rules! msg` itself, or a use without a literal id.
            continue;
        };
        let Some(close) = literal.find('"') else {
            continue;
        };
        let id = literal[..close].to_owned();
        let after = &literal[close + 1..];
        let mut args = Vec::new();
        // Split the arguments at top-level commas.
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        let mut piece = String::new();
        let mut pieces = Vec::new();
        for c in after.chars() {
            if in_string {
                piece.push(c);
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => {
                    pieces.push(std::mem::take(&mut piece));
                    continue;
                }
                _ => {}
            }
            piece.push(c);
        }
        pieces.push(piece);
        for p in pieces {
            let p = p.trim();
            if let Some((name, _)) = p.split_once('=') {
                let name = name.trim();
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    args.push(name.to_owned());
                }
            }
        }
        out.push(Use { id, args });
    }
    out
}

fn all_uses() -> Vec<(PathBuf, Use)> {
    let root = workspace();
    let mut files = Vec::new();
    for dir in SOURCES {
        rust_files(&root.join(dir), &mut files);
    }
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("a source file");
        // Comments (and doc examples) say nothing to anyone.
        let code: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .map(|l| format!("{l}\n"))
            .collect();
        for u in uses(&code) {
            out.push((f.clone(), u));
        }
    }
    out
}

#[test]
fn every_message_the_source_says_is_in_the_catalogue_with_its_arguments() {
    let mut problems = Vec::new();
    let found = all_uses();
    assert!(
        found.iter().any(|(_, u)| u.id == "problem-clock-skew-off"),
        "the scan finds no msg! use at all"
    );
    for (file, u) in found {
        // Numbers where a plural or choice needs one; the text "2" works
        // for any other argument too.
        let args: Vec<(&str, Arg<'_>)> = u
            .args
            .iter()
            .map(|a| (a.as_str(), Arg::Number(2)))
            .collect();
        if let Err(e) = messages::check_catalogue(&u.id, &args) {
            problems.push(format!("{}: {e}", file.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_message_in_the_catalogue_is_said_somewhere() {
    let used: BTreeSet<String> = all_uses().into_iter().map(|(_, u)| u.id).collect();
    let unused: Vec<String> = messages::ids()
        .into_iter()
        .filter(|id| {
            let name = id.split('.').next().unwrap_or(id);
            !used.contains(id)
                && !used.contains(name)
                && !FAMILIES.iter().any(|f| name.starts_with(f))
        })
        .collect();
    assert!(unused.is_empty(), "never said: {unused:?}");
}

#[test]
fn finds_ids_and_argument_names_in_a_use() {
    let found = uses(
        r#"let a = msg!("contact-added", label = &label, use_it = format!("a, b = {}", x(1, 2)));
           let b = msg!(
               "nothing-changed",
           );
           macro_rules! msg { ($id:literal) => {} }"#,
    );
    assert_eq!(
        found,
        vec![
            Use {
                id: "contact-added".into(),
                args: vec!["label".into(), "use_it".into()]
            },
            Use {
                id: "nothing-changed".into(),
                args: vec![]
            },
        ]
    );
}

#[test]
fn a_missing_message_or_argument_is_found() {
    assert!(messages::check_catalogue("no-such-message", &[]).is_err());
    assert!(
        messages::check_catalogue("problem-clock-skew-off", &[("minutes", Arg::Number(2))])
            .is_err()
    );
}
