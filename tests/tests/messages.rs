//! Every message the programs say is in the one catalogue
//! (`vault-core/messages/en.ftl`, and each translation beside it such as
//! `es.ftl`), and every use of it is whole: each `msg!("id", name = …)` in
//! the workspace's source names a message that exists in every language,
//! with every argument it needs. And no message in the catalogue is left
//! unused. (vault-core's own tests check that each translation has exactly
//! the English ids, with the same arguments.)
//!
//! The survivor's app (`web/app/*.html`, `web/app/*.js`) says its words
//! through the module's `text(id, args)`: every `data-msg="app-…"` and
//! every quoted `'app-…'` there is a use too, checked the same way (with
//! the argument names of an object literal that follows the id).

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

/// The app's files that say things: `web/app/*.html` and `*.js`.
fn app_files() -> Vec<PathBuf> {
    let dir = workspace().join("web/app");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("web/app exists")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "html" || e == "js"))
        .collect();
    out.sort();
    out
}

/// Whether `c` may be part of a message id.
fn id_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
}

/// Every `app-…` id in the app's `text`, as a quoted string (`'app-…'`
/// or `"app-…"`, which covers `data-msg="app-…"`), with the names of an
/// object literal right after it (`t('app-x', { a: 1, b })`).
fn app_uses(text: &str) -> Vec<Use> {
    let mut out = Vec::new();
    for (open, close) in [("'", '\''), ("\"", '"')] {
        let mut rest = text;
        while let Some(at) = rest.find(open) {
            let after = &rest[at + open.len()..];
            rest = after;
            let end = after.find(|c: char| !id_char(c)).unwrap_or(after.len());
            let id = &after[..end];
            if !id.starts_with("app-") || id.len() == 4 || !after[end..].starts_with(close) {
                continue;
            }
            let mut args = Vec::new();
            let tail = after[end + 1..].trim_start();
            if let Some(object) = tail
                .strip_prefix(',')
                .map(str::trim_start)
                .and_then(|t| t.strip_prefix('{'))
            {
                let (close_at, commas) = top_level(object);
                let mut from = 0;
                for c in commas.into_iter().chain([close_at]) {
                    let piece = object[from..c].trim();
                    from = c + 1;
                    let name = piece.split(':').next().unwrap_or("").trim();
                    if !name.is_empty()
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        args.push(name.to_owned());
                    }
                }
            }
            out.push(Use {
                id: id.to_owned(),
                args,
            });
        }
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
    for f in app_files() {
        let text = std::fs::read_to_string(&f).expect("an app file");
        for u in app_uses(&text) {
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
        for (lang, _) in messages::LANGUAGES {
            if let Err(e) = messages::check_catalogue_in(lang, &u.id, &args) {
                problems.push(format!("{}: {e}", file.display()));
            }
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
fn finds_the_apps_ids_and_their_arguments() {
    let found = app_uses(
        r#"<h1 data-msg="app-first-title"></h1><p data-msg="other"></p>
           t('app-locked-idle', { minutes: n, kind }); t("app-x"); '/app/'; 'app-'"#,
    );
    assert_eq!(
        found,
        vec![
            Use {
                id: "app-locked-idle".into(),
                args: vec!["minutes".into(), "kind".into()]
            },
            Use {
                id: "app-first-title".into(),
                args: vec![]
            },
            Use {
                id: "app-x".into(),
                args: vec![]
            },
        ]
    );
    assert!(
        all_uses().iter().any(|(_, u)| u.id == "app-quick-exit"),
        "the scan finds the app's words"
    );
}

#[test]
fn a_missing_message_or_argument_is_found() {
    assert!(messages::check_catalogue("no-such-message", &[]).is_err());
    assert!(messages::check_catalogue_in("es", "no-such-message", &[]).is_err());
    assert!(messages::check_catalogue_in(
        "es",
        "problem-clock-skew-off",
        &[("minutes", Arg::Number(2))]
    )
    .is_err());
    assert!(
        messages::check_catalogue("problem-clock-skew-off", &[("minutes", Arg::Number(2))])
            .is_err()
    );
}
