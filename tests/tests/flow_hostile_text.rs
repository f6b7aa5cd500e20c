//! Text that came from someone else never drives the reader's terminal
//! (issue 10, item 5): a field value carrying an escape sequence that
//! writes the clipboard (OSC 52), and a purpose with a right-to-left
//! override, reach the agency with their control characters made visible
//! in human output, and exactly as sent in `--json`.

use survivor_vault_tests::flow::{Person, Relay};

/// `ESC ] 52 ; c ; "Hello" BEL`: sets the terminal's clipboard.
const OSC52: &str = "v\u{1b}]52;c;SGVsbG8=\u{7}";
/// The same value as the agency sees it on screen.
const OSC52_SHOWN: &str = "v\\x1b]52;c;SGVsbG8=\\x07";
/// Shown as "Housing moc.live" by a terminal that obeys U+202E.
const PURPOSE: &str = "Housing \u{202e}evil.com";

/// Every character that must never be printed raw.
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| matches!(c, '\u{1b}' | '\u{7}' | '\u{9b}' | '\u{202e}' | '\u{2066}'))
        .collect()
}

#[test]
fn keeps_escape_sequences_off_the_agencys_terminal() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("needs.x", OSC52);
    survivor.put("needs.y", "plain\u{9b}31m and \u{2066}isolated");
    let agency = Person::agency(&relay);
    let g = survivor.grant(&[
        "--fields",
        "needs.*",
        "--to",
        agency.id(),
        "--uses",
        "2",
        "--purpose",
        PURPOSE,
    ]);

    let human = agency.redeem(&g.link, &[]);
    human.ok();
    assert_eq!(raw_controls(&human.all()), Vec::<char>::new(), "{human}");
    human
        .prints(&format!("needs.x: {OSC52_SHOWN}"))
        .prints("needs.y: plain\\x9b31m and \\u{2066}isolated")
        .says("Purpose: \"Housing \\u{202e}evil.com\"");

    // Machine output stays exact: JSON escapes it, a program decodes it.
    let json = agency.run(&["--json", "agency", "redeem", &g.link]);
    json.ok();
    assert!(!json.stdout.contains(&0x1b), "{json}");
    let v = json.json();
    assert_eq!(v["purpose"], PURPOSE);
    let x = v["fields"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["field"] == "needs.x"))
        .unwrap_or_else(|| panic!("needs.x in the JSON\n{json}"));
    assert_eq!(x["value"], OSC52);
}

#[test]
fn keeps_the_survivors_own_value_exact_when_piped_and_inert_in_listings() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("needs.x", OSC52);
    // Piped (not a terminal): the exact bytes, for scripts and files.
    let out = survivor.run(&["get", "needs.x"]);
    out.ok();
    assert_eq!(out.stdout_text().trim_end_matches('\n'), OSC52);
    assert_eq!(raw_controls(&out.stderr), Vec::<char>::new(), "{out}");

    let agency = Person::agency(&relay);
    survivor.grant(&[
        "--fields",
        "needs.x",
        "--to",
        agency.id(),
        "--purpose",
        PURPOSE,
    ]);
    let grants = survivor.run(&["grants"]);
    grants.ok().prints("purpose: \"Housing \\u{202e}evil.com\"");
    assert_eq!(raw_controls(&grants.all()), Vec::<char>::new(), "{grants}");
}
