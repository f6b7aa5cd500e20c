//! The plain-language consent text: what a grant means, in short, calm
//! sentences. The survivor reads it before saying yes; its SHA-256 is
//! signed inside the token; the agency is shown the very same words. The
//! survivor's screen adds, for them only, what each field will send and
//! their own name for the agency ([`survivor_text`]).
//!
//! It is rendered in UTC and in a fixed form, so the same grant always
//! gives the same text.

use crate::id::PublicId;
use crate::path::FieldPath;
use crate::scope::{Scope, ScopeEntry};
use crate::time;

/// Everything the consent text states.
#[derive(Debug, Clone, Copy)]
pub struct Terms<'a> {
    /// The fields that will be shared, as they are now.
    pub fields: &'a [FieldPath],
    /// The scope as the survivor chose it.
    pub scope: &'a Scope,
    /// The agency, or `None` for whoever holds the code.
    pub audience: Option<&'a PublicId>,
    /// The purpose, in the survivor's words.
    pub purpose: &'a str,
    /// From when.
    pub not_before: u64,
    /// Until when.
    pub expires: u64,
    /// How many times.
    pub max_uses: u32,
}

/// Renders the consent text.
pub fn consent_text(t: &Terms<'_>) -> String {
    render(t, None)
}

/// What the survivor alone sees before agreeing: the consent text with,
/// under each field, what will leave (`leaving[i]` for `t.fields[i]`,
/// from [`leaving_text`] or [`leaving_document`]), and the agency shown as
/// `audience` (a contact's label; see [`crate::contacts::show`]).
///
/// The signed text (and what the agency is shown) stays
/// [`consent_text`]: field values do not belong in a token's consent
/// hash, and the survivor's name for an agency is theirs alone.
pub fn survivor_text(t: &Terms<'_>, leaving: &[String], audience: Option<&str>) -> String {
    render(t, Some((leaving, audience)))
}

/// The longest part of a text value shown in the preview, in characters.
pub const PREVIEW_CHARS: usize = 60;

/// How a text value shows in the preview: its first line, shortened to
/// [`PREVIEW_CHARS`], quoted and inert, and how many more lines go with it.
pub fn leaving_text(value: &str) -> String {
    let mut lines = value.lines().filter(|l| !l.trim().is_empty());
    let first = lines.next().unwrap_or("").trim();
    let more = lines.count();
    let mut shown: String = first.chars().take(PREVIEW_CHARS).collect();
    if first.chars().count() > PREVIEW_CHARS {
        shown.push('…');
    }
    let mut s = format!("\"{}\"", crate::display::visible(&shown));
    match more {
        0 => {}
        1 => s.push_str(" and 1 more line"),
        n => s.push_str(&format!(" and {n} more lines")),
    }
    s
}

/// How a document shows in the preview: its original file name (quoted,
/// inert, shortened to [`PREVIEW_CHARS`]) if the vault kept one, and its
/// rough size.
pub fn leaving_document(name: Option<&str>, size: u64) -> String {
    let mut s = String::new();
    if let Some(n) = name {
        let mut shown: String = n.chars().take(PREVIEW_CHARS).collect();
        if n.chars().count() > PREVIEW_CHARS {
            shown.push('…');
        }
        s = format!("\"{}\", ", crate::display::visible(&shown));
    }
    s.push_str(&format!("a document of {}", rough_size(size)));
    s
}

/// `12 bytes`, `about 98 KB`, `about 2.4 MB` (powers of 1000, as phones
/// and file managers show them).
pub fn rough_size(n: u64) -> String {
    match n {
        0..=999 => format!("{n} bytes"),
        1_000..=999_999 => format!("about {} KB", n.div_ceil(1_000)),
        1_000_000..=999_999_999 => format!("about {} MB", crate::display::tenths(n, 1_000_000)),
        _ => format!("about {} GB", crate::display::tenths(n, 1_000_000_000)),
    }
}

/// What the survivor reads before letting an advocate act for them:
/// `advocate` as shown (a contact's label, or the id), from `now` until
/// `until`; `previous` is the end of the permission this one replaces, if
/// this vault gave that advocate one that has not ended.
pub fn delegation_text(advocate: &str, now: u64, until: u64, previous: Option<u64>) -> String {
    let mut s = format!(
        "You are about to let an advocate act for you:\n  Advocate: {advocate}\n  Until: {} ({})\n",
        time::long(until),
        time::span(until.saturating_sub(now / 60 * 60))
    );
    s.push_str(
        "They will see, for every share you made at this relay: which agency it went to\n\
         (or that it was for anyone with the code), when it was made, until when it\n\
         works, how many times it was used, and whether it still works.\n\
         They will not see any field you saved, any document, or the purpose you wrote.\n\
         They can withdraw your shares when you ask; they can never make new ones.\n",
    );
    if let Some(end) = previous {
        s.push_str(&format!(
            "This replaces the permission you gave this advocate before, which ends {}.\n",
            time::long(end)
        ));
    }
    s.push_str("You can take this back at any time with `vault undelegate`.\n");
    s
}

fn render(t: &Terms<'_>, survivor: Option<(&[String], Option<&str>)>) -> String {
    let mut s = String::from("You are about to share these things from your vault:\n");
    for (i, f) in t.fields.iter().enumerate() {
        s.push_str(&format!("  - {f}\n"));
        if let Some(what) = survivor.and_then(|(l, _)| l.get(i)) {
            s.push_str(&format!("      will leave: {what}\n"));
        }
    }
    let prefixes: Vec<String> = t
        .scope
        .entries()
        .iter()
        .filter_map(|e| match e {
            ScopeEntry::Prefix(p) => Some(p.to_string()),
            ScopeEntry::Field(_) => None,
        })
        .collect();
    for p in prefixes {
        s.push_str(&format!(
            "  ({p}.* means everything saved under \"{p}\" right now.)\n"
        ));
    }
    match (t.audience, survivor.and_then(|(_, a)| a)) {
        (Some(_), Some(label)) => s.push_str(&format!("With: only the agency {label}\n")),
        (Some(a), None) => s.push_str(&format!("With: only the agency {a}\n")),
        (None, _) => s.push_str(
            "With: anyone who has this code or link. Whoever scans or copies it can use it,\n      so show it only to the person you mean.\n",
        ),
    }
    s.push_str(&format!("For this purpose: \"{}\"\n", t.purpose));
    s.push_str(&format!("From: {}\n", time::long(t.not_before)));
    s.push_str(&format!(
        "Until: {} ({})\n",
        time::long(t.expires),
        time::span(t.expires.saturating_sub(t.not_before))
    ));
    match t.max_uses {
        1 => s.push_str("It can be used: once.\n"),
        n => s.push_str(&format!("It can be used: up to {n} times.\n")),
    }
    s.push_str(
        "You can withdraw this at any time. That stops any further access,\nbut it cannot take back what has already been seen.\n",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::{Identity, Role};

    #[test]
    fn states_fields_audience_purpose_window_uses_and_limits() {
        let fields = [
            FieldPath::parse("identity.name").expect("path"),
            FieldPath::parse("needs.housing").expect("path"),
        ];
        let scope = Scope::parse_list("identity.name,needs.*").expect("scope");
        let agency = Identity::from_seed(Role::Agency, &[1; 32]).public();
        let text = consent_text(&Terms {
            fields: &fields,
            scope: &scope,
            audience: Some(&agency),
            purpose: "Housing application",
            not_before: 1_795_000_000 - 40,
            expires: 1_795_000_000 - 40 + 86_400,
            max_uses: 1,
        });
        assert!(
            text.contains("  - identity.name\n  - needs.housing\n"),
            "{text}"
        );
        assert!(
            text.contains("needs.* means everything saved under \"needs\""),
            "{text}"
        );
        assert!(
            text.contains(&format!("With: only the agency {agency}")),
            "{text}"
        );
        assert!(
            text.contains("For this purpose: \"Housing application\""),
            "{text}"
        );
        assert!(text.contains("From: 18 November 2026, 11:06 UTC"), "{text}");
        assert!(
            text.contains("Until: 19 November 2026, 11:06 UTC (1 day)"),
            "{text}"
        );
        assert!(text.contains("It can be used: once."), "{text}");
        assert!(
            text.contains("cannot take back what has already been seen"),
            "{text}"
        );
    }

    #[test]
    fn shows_the_survivor_what_leaves_and_keeps_the_signed_text() {
        let fields = [
            FieldPath::parse("documents.passport").expect("path"),
            FieldPath::parse("needs.housing").expect("path"),
        ];
        let scope = Scope::parse_list("documents.passport,needs.housing").expect("scope");
        let agency = Identity::from_seed(Role::Agency, &[1; 32]).public();
        let terms = Terms {
            fields: &fields,
            scope: &scope,
            audience: Some(&agency),
            purpose: "Housing application",
            not_before: 0,
            expires: 3600,
            max_uses: 1,
        };
        let leaving = [
            leaving_document(None, 98_304),
            leaving_text("ground floor\u{1b}[2J, near the school\nsecond\nthird"),
        ];
        let label = crate::contacts::label("Housing North", &agency);
        let text = survivor_text(&terms, &leaving, Some(&label));
        assert!(
            text.contains("  - documents.passport\n      will leave: a document of about 99 KB\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "      will leave: \"ground floor\\x1b[2J, near the school\" and 2 more lines\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(&format!("With: only the agency {label}\n")),
            "{text}"
        );
        assert_eq!(
            leaving_document(Some("passport\u{202e}gpj.pdf"), 2_400_000),
            "\"passport\\u{202e}gpj.pdf\", a document of about 2.4 MB"
        );
        let long = leaving_document(Some(&"x".repeat(300)), 1);
        assert!(long.starts_with(&format!("\"{}…\", a document", "x".repeat(PREVIEW_CHARS))));
        // The signed text is unchanged by the survivor's view.
        let signed = consent_text(&terms);
        assert!(!signed.contains("will leave") && !signed.contains("Housing North"));
        assert!(signed.contains(&format!("With: only the agency {agency}\n")));
    }

    #[test]
    fn shortens_long_values_and_rounds_sizes() {
        let long = "x".repeat(200);
        assert_eq!(
            leaving_text(&long),
            format!("\"{}…\"", "x".repeat(PREVIEW_CHARS))
        );
        assert_eq!(rough_size(12), "12 bytes");
        assert_eq!(rough_size(2_400_000), "about 2.4 MB");
        assert_eq!(rough_size(2_449_999), "about 2.4 MB");
        assert_eq!(rough_size(2_450_001), "about 2.5 MB");
        assert_eq!(rough_size(999_999_999), "about 1000.0 MB");
        assert_eq!(rough_size(1_500_000_000), "about 1.5 GB");
    }

    #[test]
    fn delegation_says_what_the_advocate_will_and_will_not_see() {
        let text = delegation_text("Ana (advocate1abcdefgh…)", 0, 7 * 86_400, Some(86_400));
        for part in [
            "Advocate: Ana (advocate1abcdefgh…)",
            "(1 week)",
            "which agency it went to",
            "how many times it was used",
            "will not see any field you saved, any document",
            "never make new ones",
            "replaces the permission you gave this advocate before, which ends 2 January 1970",
        ] {
            assert!(text.contains(part), "{part}: {text}");
        }
        assert!(!delegation_text("a", 0, 60, None).contains("replaces"));
    }

    #[test]
    fn says_what_anyone_means() {
        let fields = [FieldPath::parse("a").expect("path")];
        let scope = Scope::parse_list("a").expect("scope");
        let text = consent_text(&Terms {
            fields: &fields,
            scope: &scope,
            audience: None,
            purpose: "p",
            not_before: 0,
            expires: 3600,
            max_uses: 3,
        });
        assert!(text.contains("anyone who has this code or link"), "{text}");
        assert!(text.contains("up to 3 times"), "{text}");
    }
}
