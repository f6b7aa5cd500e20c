//! Writes each message catalogue (`messages/*.ftl`) to `OUT_DIR` without
//! its comments and without the blank lines between messages: that copy is
//! what `src/messages.rs` embeds, and what `scripts/build-web.sh` serves to
//! the browser as `web/pkg/LANG.ftl`. The files in `messages/` keep their
//! comments for translators; the programs never read them, and in the
//! browser module every byte is downloaded (about 5 KB gzip for the two).
//!
//! The rule, so that no message changes (`messages.rs` tests that the
//! messages of both copies are equal):
//! - a line that starts with `#` in its first column is a comment (Fluent:
//!   inside a message every line is indented, so such a line ends it);
//! - a line of spaces only is dropped unless the next line that is not
//!   blank is indented, i.e. it is a blank line inside a message that goes
//!   on (Fluent keeps those).

use std::env;
use std::fs;
use std::path::Path;

fn strip(source: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = String::with_capacity(source.len());
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            let next = lines[i + 1..].iter().find(|l| !l.trim().is_empty());
            if !next.is_some_and(|l| l.starts_with(' ')) {
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn main() {
    let out = env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    for lang in ["en", "es"] {
        let from = format!("messages/{lang}.ftl");
        println!("cargo::rerun-if-changed={from}");
        let source = fs::read_to_string(&from)
            .unwrap_or_else(|e| panic!("could not read vault-core/{from}: {e}"));
        fs::write(Path::new(&out).join(format!("{lang}.ftl")), strip(&source))
            .unwrap_or_else(|e| panic!("could not write the stripped {lang}.ftl: {e}"));
    }
}
