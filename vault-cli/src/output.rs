//! Where results go: people read standard error, programs read standard
//! output (`--json`). Files we write are private and never overwrite.

use std::fs::{File, OpenOptions};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;
use vault_core::display::visible_lines;
use vault_core::msg;

use crate::error::CliError;

/// How results are printed.
#[derive(Debug, Clone, Copy)]
pub struct Out {
    pub json: bool,
}

impl Out {
    /// A note for the person at the terminal (never part of the result).
    /// Whatever it quotes, no control character reaches the terminal.
    /// Paragraphs are wrapped to the width of standard error ([`wrap`]).
    pub fn note(&self, text: &str) {
        let _ = writeln!(io::stderr(), "{}", wrap_for_stderr(&visible_lines(text)));
    }

    /// Prints the result: `json` with `--json`, else `human` (if any).
    pub fn result(&self, json: Value, human: Option<&str>) -> io::Result<()> {
        let mut stdout = io::stdout().lock();
        if self.json {
            writeln!(stdout, "{json}")?;
        } else if let Some(h) = human {
            writeln!(stdout, "{h}")?;
        }
        stdout.flush()
    }

    /// A progress bar on a terminal for long jobs; hidden otherwise.
    pub fn progress(&self, total: u64) -> ProgressBar {
        const WORTH_SHOWING: u64 = 4 * 1024 * 1024;
        if self.json || total < WORTH_SHOWING || !io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} ({eta} left)")
                .expect("the progress template is valid"),
        );
        bar
    }
}

/// The narrowest width text is wrapped to: narrower, a sentence would
/// become a column of single words.
pub const MIN_WIDTH: usize = 20;

/// The width to wrap text for a stream to: the terminal's own width if the
/// stream is a terminal whose size is known, else `COLUMNS` if it is set
/// to a number, else `None` (no wrapping: a file or a program reading the
/// output gets whole lines). Never less than [`MIN_WIDTH`].
pub fn wrap_width(terminal_width: Option<usize>, columns: Option<&str>) -> Option<usize> {
    terminal_width
        .filter(|w| *w > 0)
        .or_else(|| {
            columns
                .and_then(|c| c.trim().parse().ok())
                .filter(|w| *w > 0)
        })
        .map(|w: usize| w.max(MIN_WIDTH))
}

/// The width to wrap what goes to standard error to ([`wrap_width`]).
fn stderr_width() -> Option<usize> {
    let stderr = io::stderr();
    let terminal = if stderr.is_terminal() {
        terminal_size::terminal_size_of(&stderr).map(|(w, _)| usize::from(w.0))
    } else {
        None
    };
    wrap_width(terminal, std::env::var("COLUMNS").ok().as_deref())
}

/// `text` wrapped for standard error ([`wrap`] at [`wrap_width`]).
pub fn wrap_for_stderr(text: &str) -> String {
    match stderr_width() {
        Some(width) => wrap(text, width),
        None => text.to_owned(),
    }
}

/// Wraps each line of `text` longer than `width` columns at its spaces
/// only, so an id, a link, a path or a command stays whole (a word longer
/// than the line stays whole on a line of its own). A wrapped line's
/// continuation keeps its indentation, and a list item's (`- `) lines up
/// under the item's text.
pub fn wrap(text: &str, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let mut out = String::with_capacity(text.len() + text.len() / width);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if textwrap::core::display_width(line) <= width {
            out.push_str(line);
            continue;
        }
        let body = line.trim_start_matches(' ');
        let mut indent = " ".repeat(line.len() - body.len());
        if indent.len() > width / 2 {
            indent.clear();
        }
        let mut hanging = indent.clone();
        if body.starts_with("- ") && hanging.len() + 2 <= width / 2 {
            hanging.push_str("  ");
        }
        let options = textwrap::Options::new(width)
            .break_words(false)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit)
            .initial_indent(&indent)
            .subsequent_indent(&hanging);
        out.push_str(&textwrap::wrap(body, &options).join("\n"));
    }
    out
}

/// Asks a yes/no question on the terminal; the answer is no unless the
/// person types yes. Without a terminal, the answer is an error that says
/// which flag skips the question.
pub fn confirm(question: &str, flag: &str) -> Result<bool, CliError> {
    if !io::stdin().is_terminal() {
        return Err(CliError::usage(
            "needs_confirmation",
            msg!("output-no-terminal", question = question, flag = flag),
        ));
    }
    let mut stderr = io::stderr();
    // Wrapping drops the space after the colon; the answer needs it.
    let prompt = wrap_for_stderr(&msg!("output-confirm", question = question));
    let _ = write!(stderr, "{prompt} ");
    let _ = stderr.flush();
    let mut answer = String::new();
    io::stdin()
        .read_line(&mut answer)
        .map_err(|_| CliError::cancelled())?;
    Ok(is_yes(&answer, vault_core::messages::language()))
}

/// Whether `answer` says yes: `y` or `yes`, and in Spanish also `s`, `si`
/// or `sí` (what the Spanish question asks for). Anything else is no.
fn is_yes(answer: &str, lang: &str) -> bool {
    match answer.trim().to_lowercase().as_str() {
        "y" | "yes" => true,
        "s" | "si" | "sí" => lang == "es",
        _ => false,
    }
}

/// A new file, readable only by its owner, that appears under its final
/// name only once it is complete: written to a hidden temporary name in the
/// same folder, synced, then linked into place (which fails if the name was
/// taken meanwhile, so nothing is ever overwritten).
#[derive(Debug)]
pub struct PrivateFile {
    file: File,
    tmp: PathBuf,
    dest: PathBuf,
}

impl PrivateFile {
    pub fn create(dest: &Path) -> Result<Self, CliError> {
        if dest.exists() {
            let e = io::Error::from(io::ErrorKind::AlreadyExists);
            return Err(CliError::file(dest, "write", &e));
        }
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        let name = dest.file_name().ok_or_else(|| {
            CliError::usage(
                "bad_output",
                msg!("output-not-a-file-name", path = dest.display().to_string()),
            )
        })?;
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".partial-{}", std::process::id()));
        let tmp = dir.join(tmp_name);
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let file = opts
            .open(&tmp)
            .map_err(|e| CliError::file(dest, "write", &e))?;
        Ok(Self {
            file,
            tmp,
            dest: dest.to_owned(),
        })
    }

    pub fn writer(&mut self) -> &mut File {
        &mut self.file
    }

    /// Syncs and moves the file into place.
    pub fn finish(self) -> Result<(), CliError> {
        let fail = |e: io::Error| CliError::file(&self.dest, "write", &e);
        self.file.sync_all().map_err(fail)?;
        std::fs::hard_link(&self.tmp, &self.dest).map_err(fail)?;
        let _ = std::fs::remove_file(&self.tmp);
        if let Some(dir) = self.dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }
}

impl Drop for PrivateFile {
    fn drop(&mut self) {
        // Whether finished or abandoned, the temporary name goes.
        let _ = std::fs::remove_file(&self.tmp);
    }
}

// Bytes as a short human size: `512 B`, `1.5 KiB`, `3.2 MiB` (vault-core's,
// so the app shows the same).
pub use vault_core::display::human_size;

/// Removes one trailing line break (`\n` or `\r\n`): how typed lines and
/// files end, never part of the value.
pub fn strip_line_end(text: &mut String) {
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_is_typed_in_the_language_asked_and_nothing_else_is_yes() {
        for yes in ["y", "Yes", " y\n"] {
            assert!(is_yes(yes, "en") && is_yes(yes, "es"), "{yes:?}");
        }
        for si in ["s", "sí", "SÍ", "si\n"] {
            assert!(is_yes(si, "es"), "{si:?}");
            assert!(!is_yes(si, "en"), "{si:?}");
        }
        for no in ["", "n", "no", "yess", "ok"] {
            assert!(!is_yes(no, "en") && !is_yes(no, "es"), "{no:?}");
        }
    }

    #[test]
    fn width_is_the_terminal_then_columns_then_none_and_at_least_20() {
        assert_eq!(wrap_width(Some(100), Some("48")), Some(100));
        assert_eq!(wrap_width(None, Some("48")), Some(48));
        assert_eq!(wrap_width(None, Some(" 48 ")), Some(48));
        assert_eq!(wrap_width(None, Some("5")), Some(MIN_WIDTH));
        assert_eq!(wrap_width(Some(0), Some("wide")), None);
        assert_eq!(wrap_width(None, Some("0")), None);
        assert_eq!(wrap_width(None, None), None);
    }

    #[test]
    fn wraps_at_spaces_and_never_breaks_a_long_word() {
        let id = "agency1xyg6cus3qwertyuiopasdfghjklzxcvbnm0123456789";
        let text = format!("Show this code only to the agency {id}; nobody else can use it.");
        let wrapped = wrap(&text, 30);
        assert!(wrapped.lines().any(|l| l == format!("{id};")), "{wrapped}");
        for line in wrapped.lines() {
            assert!(line.len() <= 30 || !line.trim().contains(' '), "{line:?}");
        }
        let words = |t: &str| t.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(words(&wrapped), words(&text));
    }

    #[test]
    fn keeps_short_lines_and_indents_continuations() {
        let text = "Short line\n  - needs.housing and a few more words to wrap here\nend";
        let wrapped = wrap(text, 24);
        assert_eq!(
            wrapped,
            "Short line\n  - needs.housing and a\n    few more words to\n    wrap here\nend"
        );
    }
}
