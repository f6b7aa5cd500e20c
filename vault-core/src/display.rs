//! Showing text that came from someone else, safely.
//!
//! A field value, a purpose or a consent text reaches the agency's screen
//! from the survivor's device, and a vault folder can be copied from one
//! person to another. Text like that may carry characters a terminal (or a
//! reader) does not show as themselves:
//!
//! - C0 and C1 control characters and DEL: an escape sequence such as
//!   `ESC ] 52 ; c ; … BEL` writes the reader's clipboard, others move the
//!   cursor, retitle the window or hide what follows;
//! - bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E,
//!   U+2066–U+2069) that make `abc` display as `cba`;
//! - invisible format characters (soft hyphen, zero-width space, word
//!   joiner, invisible operators, byte order mark, interlinear annotation,
//!   tag characters) and the line and paragraph separators U+2028/U+2029.
//!
//! [`visible`] and [`visible_lines`] show each such character as an escape
//! that can be read and does nothing: `\x1b` for those below U+0100,
//! `\u{202e}` for the rest. Everything else, including accents, every
//! script, emoji, and the zero-width joiner and non-joiner (U+200D, U+200C)
//! that emoji and several scripts need, is left as it is. Backslashes are
//! not doubled: a value that already reads `\x1b` does nothing on screen
//! either, and Windows paths stay readable.
//!
//! This is for people's screens. Machine output (`--json`) is escaped by
//! JSON itself and must stay exact; a web page shows the text as text
//! (never as markup) and applies the same rule so the two agree.
//!
//! ```
//! use vault_core::display::{visible, visible_lines};
//!
//! assert_eq!(visible("v\u{1b}]52;c;SGVsbG8=\u{7}"), "v\\x1b]52;c;SGVsbG8=\\x07");
//! assert_eq!(visible("abc\u{202e}fed"), "abc\\u{202e}fed");
//! assert_eq!(visible("two\nlines"), "two\\nlines");
//! assert_eq!(visible_lines("two\nlines"), "two\nlines");
//! assert_eq!(visible("café, 東京, 👩‍👧"), "café, 東京, 👩‍👧");
//! ```

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` is shown as an escape (line breaks and tabs included).
pub fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{ad}'
        | '\u{61c}'
        | '\u{180e}'
        | '\u{200b}'
        | '\u{200e}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206f}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{e0000}'..='\u{e007f}')
}

/// `text` on one line, with every character [`is_hidden`] names shown as
/// an escape, line breaks and tabs included (`\n`, `\t`, `\r`).
pub fn visible(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Like [`visible`], but line breaks (`\n`) and tabs stay as they are:
/// for text of several lines, such as a note or a consent text. A carriage
/// return is still shown (`\r`), since it lets a line overwrite itself.
pub fn visible_lines(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, keep_lines: bool) -> Cow<'_, str> {
    let hidden = |c: char| is_hidden(c) && !(keep_lines && (c == '\n' || c == '\t'));
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if !hidden(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

/// A size in bytes, roughly, as people read it: `512 B`, `1.5 KiB`,
/// `12.0 MiB` (what `vault ls` and the app's lists show).
pub fn human_size(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut divisor = 1024u64;
    let mut unit = 0;
    while n / divisor >= 1024 && unit + 1 < UNITS.len() {
        divisor *= 1024;
        unit += 1;
    }
    format!("{} {}", tenths(n, divisor), UNITS[unit])
}

/// `n / divisor` with one decimal, rounded to the nearest tenth (a tie to
/// the even tenth, as `format!("{:.1}")` rounds): `2.4`, `1024.0`. Whole
/// numbers only, so that the browser module carries no float formatting
/// for it.
pub fn tenths(n: u64, divisor: u64) -> String {
    let scaled = u128::from(n) * 10;
    let divisor = u128::from(divisor.max(1));
    let (mut q, r) = (scaled / divisor, scaled % divisor);
    if 2 * r > divisor || (2 * r == divisor && q % 2 == 1) {
        q += 1;
    }
    format!("{}.{}", q / 10, q % 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn writes_sizes_in_tenths_as_float_formatting_did() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1024), "1.0 KiB");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(1024 * 1024 - 1), "1024.0 KiB");
        assert_eq!(human_size(12 * 1024 * 1024), "12.0 MiB");
        assert_eq!(human_size(u64::MAX), "16777216.0 TiB");
        // 1.25 KiB and 1.75 KiB are ties: to the even tenth.
        assert_eq!(human_size(1280), "1.2 KiB");
        assert_eq!(human_size(1792), "1.8 KiB");
    }

    proptest! {
        #[test]
        fn tenths_match_float_formatting_for_powers_of_two(n in 0u64..(1 << 52), k in 1u32..4) {
            // n / 1024^k is exact in an f64 here, so `{:.1}` rounds the
            // exact value, as `tenths` does.
            let divisor = 1u64 << (10 * k);
            prop_assert_eq!(tenths(n, divisor), format!("{:.1}", n as f64 / divisor as f64));
        }
    }

    #[test]
    fn shows_the_clipboard_escape_as_text() {
        let v = "v\u{1b}]52;c;SGVsbG8=\u{7}";
        assert_eq!(visible(v), "v\\x1b]52;c;SGVsbG8=\\x07");
        assert_eq!(visible_lines(v), "v\\x1b]52;c;SGVsbG8=\\x07");
    }

    #[test]
    fn shows_c1_controls_and_del() {
        // CSI (U+009B) starts an escape sequence on many terminals.
        assert_eq!(visible("a\u{9b}31mb\u{7f}"), "a\\x9b31mb\\x7f");
        assert_eq!(visible("\u{80}\u{9f}"), "\\x80\\x9f");
    }

    #[test]
    fn shows_bidi_controls_and_invisible_format_characters() {
        for c in [
            '\u{61c}',
            '\u{200e}',
            '\u{200f}',
            '\u{202a}',
            '\u{202b}',
            '\u{202c}',
            '\u{202d}',
            '\u{202e}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{200b}',
            '\u{2060}',
            '\u{feff}',
            '\u{ad}',
            '\u{2028}',
            '\u{2029}',
            '\u{e0041}',
            '\u{fff9}',
        ] {
            let shown = visible(&format!("a{c}b")).into_owned();
            assert!(!shown.contains(c), "{c:?} shown as {shown:?}");
            assert!(shown.starts_with('a') && shown.ends_with('b'), "{shown:?}");
            assert_eq!(visible_lines(&format!("a{c}b")), shown);
        }
        assert_eq!(visible("abc\u{202e}fed"), "abc\\u{202e}fed");
    }

    #[test]
    fn keeps_ordinary_text_of_every_script_as_it_is() {
        for s in [
            "",
            "a ground-floor flat, near the school",
            "C:\\Users\\x",
            "café ñ ü ß",
            "東京 العربية עברית हिन्दी",
            // Emoji sequences need the zero-width joiner; Persian needs the non-joiner.
            "👩\u{200d}👧 می\u{200c}خواهم",
        ] {
            assert!(matches!(visible(s), Cow::Borrowed(_)), "{s:?}");
        }
    }

    #[test]
    fn keeps_line_breaks_and_tabs_only_for_several_lines() {
        assert_eq!(visible("a\nb\tc\r"), "a\\nb\\tc\\r");
        assert_eq!(visible_lines("a\nb\tc\r"), "a\nb\tc\\r");
    }

    proptest! {
        #[test]
        fn never_lets_a_hidden_character_through(s in any::<String>()) {
            prop_assert!(!visible(&s).chars().any(is_hidden));
            prop_assert!(!visible_lines(&s).chars().any(|c| is_hidden(c) && c != '\n' && c != '\t'));
        }

        #[test]
        fn is_idempotent(s in any::<String>()) {
            let once = visible(&s).into_owned();
            prop_assert_eq!(visible(&once), once.as_str());
        }
    }
}
