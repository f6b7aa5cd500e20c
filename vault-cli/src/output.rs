//! Where results go: people read standard error, programs read standard
//! output (`--json`). Files we write are private and never overwrite.

use std::fs::{File, OpenOptions};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;
use vault_core::display::visible_lines;

use crate::error::CliError;

/// How results are printed.
#[derive(Debug, Clone, Copy)]
pub struct Out {
    pub json: bool,
}

impl Out {
    /// A note for the person at the terminal (never part of the result).
    /// Whatever it quotes, no control character reaches the terminal.
    pub fn note(&self, text: &str) {
        let _ = writeln!(io::stderr(), "{}", visible_lines(text));
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

/// Asks a yes/no question on the terminal; the answer is no unless the
/// person types yes. Without a terminal, the answer is an error that says
/// which flag skips the question.
pub fn confirm(question: &str, flag: &str) -> Result<bool, CliError> {
    if !io::stdin().is_terminal() {
        return Err(CliError::usage(
            "needs_confirmation",
            format!("{question} There is no terminal to ask on, so nothing was changed; add {flag} to go ahead."),
        ));
    }
    let mut stderr = io::stderr();
    let _ = write!(
        stderr,
        "{question} Type y for yes, or press Enter to stop: "
    );
    let _ = stderr.flush();
    let mut answer = String::new();
    io::stdin()
        .read_line(&mut answer)
        .map_err(|_| CliError::cancelled())?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
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
                format!(
                    "{} is not a file name. Give the path of a new file.",
                    dest.display()
                ),
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

/// Bytes as a short human size: `512 B`, `1.5 KiB`, `3.2 MiB`.
pub fn human_size(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

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
