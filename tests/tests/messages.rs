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
/// literals): `problem-<code>` (`vault_core::words::ProblemKind::words`) and
/// `app-problem-<kind>` (the app's problems, vault-web/src/app/mod.rs).
const FAMILIES: [&str; 2] = ["problem-", "app-problem-"];

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

/// Walks `text` (what follows an opening parenthesis), skipping string
/// literals and nested brackets: where the call closes, and the top-level
/// commas before that.
fn top_level(text: &str) -> (usize, Vec<usize>) {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut commas = Vec::new();
    for (i, c) in text.char_indices() {
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
            ')' | ']' | '}' if depth == 0 => return (i, commas),
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => commas.push(i),
            _ => {}
        }
    }
    (text.len(), commas)
}

/// Finds every `msg!("id", a = …, b = …)` in `text`. Arguments are the
/// names before a top-level `=` (not `==`, `=>`, `<=`, `>=`, `!=`).
fn uses(text: &str) -> Vec<Use> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("msg!(") {
        let body = &rest[at + "msg!(".len()..];
        let (end, commas) = top_level(body);
        rest = &body[end..];
        let mut pieces = Vec::new();
        let mut from = 0;
        for c in commas.into_iter().chain([end]) {
            pieces.push(body[from..c].trim());
            from = c + 1;
        }
        // `macro_rules! msg` itself, or a use without a literal id.
        let Some(id) = pieces
            .first()
            .and_then(|p| p.strip_prefix('"'))
            .and_then(|p| p.strip_suffix('"'))
        else {
            continue;
        };
        let args = pieces[1..]
            .iter()
            .filter_map(|p| p.split_once('=').map(|(name, _)| name.trim()))
            .filter(|name| {
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
            .map(str::to_owned)
            .collect();
        out.push(Use {
            id: id.to_owned(),
            args,
        });
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
