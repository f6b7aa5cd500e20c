//! The three guides (`docs/guide-survivor.md`, `docs/guide-agency.md`,
//! `docs/guide-advocate.md`) run as they are written, so they cannot drift
//! from the tool again (issue 12).
//!
//! # The convention (also at the top of each guide, in an HTML comment)
//!
//! - A fenced block marked ```` ```console ```` is run; any other block
//!   (```` ```text ````, ```` ```json ````) is only shown. A block without
//!   a type is refused, so none is skipped by accident.
//! - In a `console` block, a line starting with `$ ` is a command, run with
//!   `sh -c` in the order of the guide. Every other non-blank line under it
//!   is a line the command shows (on standard output or standard error),
//!   which must appear in what it actually showed: `…` and a placeholder
//!   such as `<agency-id>` match any text within the line.
//! - A line starting with `> ` under a command is what the reader types
//!   when asked (given on standard input).
//! - A line ending in `Type y for yes, or press Enter to stop: y` is a
//!   question answered yes: the test adds `--yes` to the command (without
//!   a terminal `vault` cannot ask), and the question itself is not
//!   expected, since `--yes` does not ask.
//! - A `console` block right after the HTML comment [`RELAY_DOWN`] runs
//!   while the relay is stopped (to show what a reader sees then); the
//!   relay is started again, on the same address, for the next block.
//! - A command ending in `# exit N` must exit with N; every other command
//!   must exit with 0.
//! - Placeholders in a command (`<agency-id>`, `<advocate-id>`,
//!   `<survivor-id>`, `<link>`, `<token-id>`, `<share>`) stand for what the
//!   reader copies from earlier output, and are filled the same way: from
//!   the last such value any earlier command printed. When none did
//!   because the value comes from another person (the agency's id in the
//!   survivor's guide, the survivor's link in the agency's guide), the test
//!   plays that person first, with the real binary in the same home
//!   folder: see [`provide`].
//! - The passphrase the reader types when asked comes from a file: every
//!   `vault` in a command gets `--passphrase-file`, and `passwd` and
//!   `agency export-key` and `advocate export-key` get the file with the
//!   new passphrase.
//!
//! Each guide runs in a fresh home folder with a `passport.pdf` in it
//! (`HOME`; `VAULT_DIR` unset, so the default folders are used as a
//! reader's would be), against a real `vault-server` on loopback
//! (`VAULT_SERVER`), with the `vault` binary first on `PATH`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use survivor_vault_tests::flow::{run_command_with_input, vault_bin, Relay, TIME_LIMIT};
use tempfile::TempDir;

/// The answer to a question, as printed on a terminal, answered `y`.
const ASKED_YES: &str = "Type y for yes, or press Enter to stop: y";

/// The passphrase a reader chooses, and the new one for `passwd` and the
/// agency's key file.
const PASSPHRASE: &str = "kettle orbit plum seven lantern";
const NEW_PASSPHRASE: &str = "harbour violet tin eleven";

/// `passport.pdf`, in the home folder of every guide's run.
const SCAN: &[u8] = b"%PDF-1.4 a scan of a passport\n";

/// One command of a guide, with what it must show.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Step {
    /// The line in the guide (1-based), for failure messages.
    line: usize,
    /// The command as written (without an `# exit N` marker).
    command: String,
    /// What the reader types, one line each.
    input: Vec<String>,
    /// The exit code it must end with.
    exit: i32,
    /// The guide answers a yes/no question with `y`.
    yes: bool,
    /// Lines that must appear in its output.
    expect: Vec<String>,
    /// It runs while the relay is stopped (the block follows a
    /// [`RELAY_DOWN`] comment).
    relay_down: bool,
}

/// An HTML comment (unseen by readers) before a `console` block: its
/// commands run while the relay is stopped, to show what a reader sees
/// when the relay cannot be reached. The relay is started again after.
const RELAY_DOWN: &str = "<!-- guides-test: the relay is down for the next block -->";

/// Every runnable step of a guide, in order, or what is malformed.
fn extract(markdown: &str) -> Result<Vec<Step>, String> {
    let mut steps: Vec<Step> = Vec::new();
    let mut fence: Option<bool> = None; // Some(runnable) inside a fence
    let mut down_next = false; // a RELAY_DOWN comment came before this block
    let mut down_block = false; // this block runs with the relay down
    for (i, raw) in markdown.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = raw.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            fence = match fence {
                // Every block says whether it runs, so none is skipped by
                // accident.
                None if info.trim().is_empty() => {
                    return Err(format!(
                        "line {line_no}: a fenced block needs a type: console (run) or text (only shown)"
                    ))
                }
                None => {
                    down_block = std::mem::take(&mut down_next);
                    Some(info.trim() == "console")
                }
                Some(_) => None,
            };
            continue;
        }
        if fence.is_none() && trimmed.trim_end() == RELAY_DOWN {
            down_next = true;
            continue;
        }
        if fence != Some(true) {
            continue;
        }
        let line = raw.trim_end();
        if let Some(cmd) = line.strip_prefix("$ ") {
            let (command, exit) = split_exit(cmd).map_err(|e| format!("line {line_no}: {e}"))?;
            steps.push(Step {
                line: line_no,
                command,
                input: Vec::new(),
                exit,
                yes: false,
                expect: Vec::new(),
                relay_down: down_block,
            });
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let Some(step) = steps.last_mut().filter(|s| s.line < line_no) else {
            return Err(format!(
                "line {line_no}: a console block must start with a `$ ` command"
            ));
        };
        if let Some(typed) = line.strip_prefix("> ") {
            step.input.push(typed.to_owned());
        } else if line.ends_with(ASKED_YES) {
            step.yes = true;
        } else {
            step.expect.push(line.trim().to_owned());
        }
    }
    if fence.is_some() {
        return Err("a fenced block is not closed".into());
    }
    Ok(steps)
}

/// `cmd  # exit 9` → (`cmd`, 9); without the marker, exit 0.
fn split_exit(cmd: &str) -> Result<(String, i32), String> {
    match cmd.rsplit_once("# exit ") {
        Some((before, code)) => {
            let code = code
                .trim()
                .parse()
                .map_err(|_| format!("`# exit {code}` is not an exit code"))?;
            Ok((before.trim_end().to_owned(), code))
        }
        None => Ok((cmd.trim_end().to_owned(), 0)),
    }
}

/// Does `line` contain `expected`, where `…` and `<placeholder>` in
/// `expected` match any text (within the line)?
fn line_matches(expected: &str, line: &str) -> bool {
    let mut rest = line;
    for part in literal_parts(expected) {
        match rest.find(part.as_str()) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// The literal pieces of an expected line, split at `…` and `<name>`.
fn literal_parts(expected: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = expected.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '…' {
            parts.push(std::mem::take(&mut current));
            continue;
        }
        if c == '<' {
            let name: String = chars.clone().take_while(|&c| c != '>').collect();
            let is_placeholder = !name.is_empty()
                && name.len() < 30
                && name.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                && chars.clone().nth(name.chars().count()) == Some('>');
            if is_placeholder {
                for _ in 0..=name.chars().count() {
                    chars.next();
                }
                parts.push(std::mem::take(&mut current));
                continue;
            }
        }
        current.push(c);
    }
    parts.push(current);
    parts.retain(|p| !p.trim().is_empty());
    parts
}

/// Checks one finished step: its exit code, and every expected line in
/// what it showed. `Err` says what differs.
fn check(step: &Step, code: i32, shown: &str) -> Result<(), String> {
    let mut problems = Vec::new();
    if code != step.exit {
        problems.push(format!(
            "exit code {code}, but the guide says {}",
            step.exit
        ));
    }
    for expected in &step.expect {
        if !shown.lines().any(|l| line_matches(expected, l)) {
            problems.push(format!("the guide shows {expected:?}, which was not shown"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// The placeholders a command may hold.
const PLACEHOLDERS: [&str; 6] = [
    "agency-id",
    "advocate-id",
    "survivor-id",
    "link",
    "token-id",
    "share",
];

/// Values a reader would copy from output: every id, link and token id
/// shown, the last one of each kind winning.
fn capture(shown: &str, values: &mut BTreeMap<&'static str, String>) {
    for word in shown.split(|c: char| c.is_whitespace() || "(),;:\"`'".contains(c)) {
        let word = word.trim_end_matches(['.', '…']);
        for (prefix, key) in [
            ("agency1", "agency-id"),
            ("advocate1", "advocate-id"),
            ("survivor1", "survivor-id"),
        ] {
            if word.starts_with(prefix)
                && word.len() >= prefix.len() + 50
                && word.chars().all(|c| c.is_ascii_alphanumeric())
            {
                values.insert(key, word.to_owned());
            }
        }
        if word.len() == 64 && word.chars().all(|c| c.is_ascii_hexdigit()) {
            values.insert("token-id", word.to_owned());
            values.insert("share", word[..12].to_owned());
        }
    }
    for word in shown.split_whitespace() {
        if (word.starts_with("HTTP://") || word.starts_with("HTTPS://")) && word.contains("/S#") {
            values.insert("link", word.to_owned());
        }
    }
}

/// One guide's run: a fresh home, the relay, the values seen so far.
struct Run {
    /// The relay's origin (`VAULT_SERVER`); the same after a restart.
    server: String,
    _dir: TempDir,
    home: PathBuf,
    passphrase: PathBuf,
    new_passphrase: PathBuf,
    values: BTreeMap<&'static str, String>,
    guide: String,
}

impl Run {
    fn new(server: &str, guide: &str) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let home = dir.path().join("home");
        fs::create_dir(&home).expect("make the home folder");
        let passphrase = dir.path().join("passphrase");
        let new_passphrase = dir.path().join("new-passphrase");
        fs::write(&passphrase, PASSPHRASE).expect("write the passphrase file");
        fs::write(&new_passphrase, NEW_PASSPHRASE).expect("write the passphrase file");
        // The scan the survivor's guide saves as a document.
        fs::write(home.join("passport.pdf"), SCAN).expect("write a document");
        Self {
            server: server.to_owned(),
            _dir: dir,
            home,
            passphrase,
            new_passphrase,
            values: BTreeMap::new(),
            guide: guide.to_owned(),
        }
    }

    /// Runs a command line as a reader would type it, with the passphrase
    /// answered from a file; returns the exit code and everything shown.
    fn sh(&mut self, step: &Step) -> (i32, String) {
        let mut line = self.fill(&step.command, step.line);
        let pass = shell_quote(&self.passphrase);
        // Every `vault` that starts a command in the line.
        line = line
            .split(" | ")
            .map(|part| match part.strip_prefix("vault ") {
                Some(rest) => format!("vault --passphrase-file {pass} {rest}"),
                None => part.to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" | ");
        let new = shell_quote(&self.new_passphrase);
        if step.command.starts_with("vault passwd") {
            line.push_str(&format!(" --new-passphrase-file {new}"));
        }
        if step.command.starts_with("vault agency export-key")
            || step.command.starts_with("vault advocate export-key")
        {
            line.push_str(&format!(" --key-passphrase-file {new}"));
        }
        if step.yes {
            line.push_str(" --yes");
        }
        let input_file = self.home.join("..").join("typed-input");
        let mut typed = String::new();
        for l in &step.input {
            typed.push_str(&self.fill(l, step.line));
            typed.push('\n');
        }
        fs::write(&input_file, typed).expect("write the typed input");
        let bin_dir = vault_bin().parent().expect("the binary is in a folder");
        let path = format!(
            "{}:{}",
            bin_dir.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = Command::new("sh");
        survivor_vault_tests::in_english(&mut cmd);
        cmd.arg("-c")
            .arg(&line)
            .current_dir(&self.home)
            .env("HOME", &self.home)
            .env("PATH", path)
            .env("VAULT_SERVER", &self.server)
            .env_remove("VAULT_DIR")
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove(vault_core::time::CLOCK_OFFSET_ENV);
        let out = run_command_with_input(cmd, TIME_LIMIT, Some(&input_file));
        let shown = out.all();
        if step.command.starts_with("vault passwd") && out.code == 0 {
            // From now on the reader types the new passphrase.
            fs::copy(&self.new_passphrase, &self.passphrase).expect("swap passphrase files");
        }
        capture(&shown, &mut self.values);
        (out.code, shown)
    }

    /// The command with every placeholder filled from earlier output, or
    /// by playing the other person first.
    fn fill(&mut self, text: &str, line: usize) -> String {
        let mut out = text.to_owned();
        for name in PLACEHOLDERS {
            let tag = format!("<{name}>");
            if !out.contains(&tag) {
                continue;
            }
            if !self.values.contains_key(name) {
                provide(self, name, line);
            }
            let value = self.values.get(name).cloned().unwrap_or_else(|| {
                panic!(
                    "{}:{line}: nothing earlier showed a value for {tag}",
                    self.guide
                )
            });
            out = out.replace(&tag, &value);
        }
        out
    }

    /// Runs `command` for the other person (not shown in the guide); it
    /// must succeed.
    fn other(&mut self, command: &str, line: usize) {
        let step = Step {
            line,
            command: command.to_owned(),
            input: Vec::new(),
            exit: 0,
            yes: false,
            expect: Vec::new(),
            relay_down: false,
        };
        let (code, shown) = self.sh(&step);
        assert_eq!(
            code, 0,
            "{}:{line}: playing the other person, `{command}` failed:\n{shown}",
            self.guide
        );
    }
}

/// Plays the person a placeholder's value comes from, with the real
/// binary in the same home folder (each role has its own default folder):
///
/// - `<agency-id>`: the agency makes its keys (`vault agency init`);
/// - `<advocate-id>`: the advocate makes theirs (`vault advocate init`);
/// - `<link>`: a survivor makes a vault, saves a text and a document, and
///   shares both with the agency (`<agency-id>`) for three uses, saving
///   the QR code as `photo.png` (the agency's "photo of the code");
/// - `<survivor-id>`: a survivor makes a vault, shares twice with anyone,
///   and lets the advocate (`<advocate-id>`) act for them.
fn provide(run: &mut Run, name: &str, line: usize) {
    match name {
        "agency-id" => run.other("vault agency init", line),
        "advocate-id" => run.other("vault advocate init", line),
        "link" => {
            survivor_with_things(run, line);
            run.other(
                "vault grant --fields needs.housing,documents.passport --to <agency-id> \
                 --purpose 'Housing application' --uses 3 --qr-png photo.png --yes",
                line,
            );
        }
        "survivor-id" => {
            survivor_with_things(run, line);
            for purpose in ["Housing application", "Food bank"] {
                run.other(
                    &format!(
                        "vault grant --fields needs.housing --anyone --purpose '{purpose}' --yes"
                    ),
                    line,
                );
            }
            run.other("vault delegate <advocate-id> --expires 30d --yes", line);
            run.other("vault id", line);
        }
        _ => {}
    }
}

/// A survivor's vault with a text and a document in it.
fn survivor_with_things(run: &mut Run, line: usize) {
    run.other("vault init", line);
    run.other(
        "vault put needs.housing 'a ground-floor flat, near the school'",
        line,
    );
    run.other("vault put documents.passport --file passport.pdf", line);
}

fn shell_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

/// Runs every step of a guide; panics with every difference found.
fn run_guide(name: &str, min_steps: usize) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../docs")
        .join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path:?}: {e}"));
    let steps = extract(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(
        steps.len() >= min_steps,
        "{name}: only {} runnable commands were found; was a ```console block renamed?",
        steps.len()
    );
    let mut relay = Relay::start();
    let mut run = Run::new(relay.url(), name);
    let mut failures = Vec::new();
    let mut down = false;
    for step in &steps {
        if step.relay_down != down {
            if step.relay_down {
                relay.stop();
            } else {
                relay.restart();
            }
            down = step.relay_down;
        }
        let (code, shown) = run.sh(step);
        if let Err(e) = check(step, code, &shown) {
            failures.push(format!(
                "{name}:{}: $ {}\n  {e}\n  it showed:\n{}",
                step.line,
                step.command,
                indent(&shown)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} commands in {name} do not do what the guide says:\n\n{}",
        failures.len(),
        steps.len(),
        failures.join("\n\n")
    );
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    | {l}\n"))
        .collect::<String>()
}

#[test]
fn the_survivors_guide_runs_as_written() {
    run_guide("guide-survivor.md", 20);
}

#[test]
fn the_agencys_guide_runs_as_written() {
    run_guide("guide-agency.md", 8);
}

#[test]
fn the_advocates_guide_runs_as_written() {
    run_guide("guide-advocate.md", 11);
}

// ---------------------------------------------------------------------
// The extractor and the matcher themselves

const SAMPLE: &str = "\
Some prose.

```text
$ vault not-run
```

```console
$ vault grant --fields needs.housing --to \"Housing North\" --purpose \"Housing application\"
You are about to share these things from your vault:
Do you want to share this? Type y for yes, or press Enter to stop: y
Shared. Show this code only to the agency Housing North (<agency-id>); nobody else can use it.

$ vault put needs.housing
> a ground-floor flat
Saved needs.housing (text, … B).
$ vault agency redeem <link>  # exit 9
This code can no longer be used.
```
";

#[test]
fn extracts_only_console_blocks_with_answers_input_and_exit_codes() {
    let steps = extract(SAMPLE).expect("the sample is well formed");
    assert_eq!(steps.len(), 3, "{steps:#?}");
    assert_eq!(
        steps[0].command,
        "vault grant --fields needs.housing --to \"Housing North\" --purpose \"Housing application\""
    );
    assert!(steps[0].yes);
    assert_eq!(steps[0].expect.len(), 2, "the question is not expected");
    assert_eq!(steps[1].input, vec!["a ground-floor flat".to_owned()]);
    assert_eq!(steps[1].exit, 0);
    assert_eq!(steps[2].command, "vault agency redeem <link>");
    assert_eq!(steps[2].exit, 9);
}

#[test]
fn refuses_output_lines_before_any_command_and_unclosed_fences() {
    assert!(extract("```console\nShared.\n```\n").is_err());
    assert!(extract("```console\n$ vault ls\n").is_err());
    assert!(extract("```console\n$ vault ls  # exit nine\n```\n").is_err());
    // The relay-down comment applies to the next block only.
    let steps = extract(&format!(
        "{RELAY_DOWN}\n```console\n$ vault grants\n```\n```console\n$ vault ls\n```\n"
    ))
    .expect("well formed");
    assert!(steps[0].relay_down && !steps[1].relay_down, "{steps:#?}");
    // A block that does not say whether it runs.
    assert!(extract("```\nvault ls\n```\n").is_err());
}

#[test]
fn placeholders_and_ellipses_match_any_text_within_a_line() {
    assert!(line_matches(
        "Shared. Show this code only to the agency Housing North (<agency-id>); nobody else can use it.",
        "Shared. Show this code only to the agency Housing North (agency156casp48…); nobody else can use it."
    ));
    assert!(line_matches(
        "Withdrew 1 share that could still be used. …",
        "Withdrew 1 share that could still be used. From now on nobody can use it."
    ));
    assert!(line_matches(
        "Saved needs.housing (text, … B).",
        "Saved needs.housing (text, 36 B)."
    ));
    // The pieces must come in order, within one line.
    assert!(!line_matches("nobody … Shared.", "Shared. nobody"));
    // `<` that is not a placeholder is literal.
    assert!(line_matches("a <b c", "x a <b c"));
    assert!(!line_matches("a <b c", "x a  c"));
}

#[test]
fn a_changed_line_or_exit_code_fails_the_check() {
    let steps = extract(SAMPLE).expect("the sample is well formed");
    let shown = "You are about to share these things from your vault:\n  - needs.housing\n\
                 Shared. Show this code only to the agency Housing North (agency156casp48…); nobody else can use it.\n";
    assert_eq!(check(&steps[0], 0, shown), Ok(()));
    // The tool says something else: the check fails and names the line.
    let changed = shown.replace("Shared.", "Sent.");
    let err = check(&steps[0], 0, &changed).expect_err("a changed line must fail");
    assert!(err.contains("Shared. Show this code"), "{err}");
    // A command that fails where the guide shows success fails too.
    assert!(check(&steps[0], 9, shown).is_err());
    // And one that succeeds where the guide says `# exit 9`.
    assert!(check(&steps[2], 0, "This code can no longer be used.").is_err());
    assert_eq!(
        check(&steps[2], 9, "This code can no longer be used."),
        Ok(())
    );
}

#[test]
fn captures_what_a_reader_copies() {
    let mut values = BTreeMap::new();
    capture(
        "Agency id: agency156casp48fdn8tvkyh77xa2c9mt36ek0v8c3xjlmh5pplm0fdgwzq05qtwe\n\
         HTTP://127.0.0.1:18080/S#LHMUULDZCKRBT7XRXWJDAGKFCN5NOEZTTIPWWEXFOAWL5ESSB2AQ\n\
         Token id: aaa0eb05967f74bc2c95fc23f0bc92e5a230a2a6c07e8c4ed694055946feac49\n\
         Added Ana (advocate1m0ym4y73…).",
        &mut values,
    );
    assert_eq!(
        values.get("agency-id").map(String::as_str),
        Some("agency156casp48fdn8tvkyh77xa2c9mt36ek0v8c3xjlmh5pplm0fdgwzq05qtwe")
    );
    assert_eq!(
        values.get("link").map(String::as_str),
        Some("HTTP://127.0.0.1:18080/S#LHMUULDZCKRBT7XRXWJDAGKFCN5NOEZTTIPWWEXFOAWL5ESSB2AQ")
    );
    assert_eq!(
        values.get("share").map(String::as_str),
        Some("aaa0eb05967f")
    );
    assert!(
        !values.contains_key("advocate-id"),
        "a shortened id is not a whole id"
    );
}
