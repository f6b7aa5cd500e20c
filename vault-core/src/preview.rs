//! The plain-language consent text: what a grant means, in short, calm
//! sentences. The survivor reads it before saying yes; its SHA-256 is
//! signed inside the token; the agency is shown the very same words.
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
    let mut s = String::from("You are about to share these things from your vault:\n");
    for f in t.fields {
        s.push_str(&format!("  - {f}\n"));
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
    match t.audience {
        Some(a) => s.push_str(&format!("With: only the agency {a}\n")),
        None => s.push_str(
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
