//! The one catalogue of what the programs say to a person.
//!
//! Every sentence lives in `vault-core/messages/en.ftl` (Fluent syntax),
//! compiled into the core. The command line, the agency's page and the
//! survivor's app all format it through this module, so a message is
//! written, reviewed and translated once. A message is found by its id
//! (`problem-revoked`), and may have attributes (`.message`, `.next`) and
//! arguments (`$minutes`).
//!
//! Formatting never fails: a message or argument that is missing comes out
//! as its id or name in braces, and the tests below (and
//! [`check_catalogue`]) find those before anyone reads them.

use std::borrow::Cow;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The English catalogue, as written.
pub const EN: &str = include_str!("../messages/en.ftl");

/// A message with arguments: `msg!("contact-added", label = &label)` is
/// `text("contact-added", &[("label", Arg::from(&label))])`. Every use is
/// checked against the catalogue by the workspace's tests (the message
/// exists and every argument it needs is given), so write the id as a
/// literal and the argument names as they are in the catalogue.
#[macro_export]
macro_rules! msg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::messages::text(
            $id,
            &[$((stringify!($name), $crate::messages::Arg::from($value))),*],
        )
    };
}

/// One argument of a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg<'a> {
    /// Text, shown as it is (the caller makes text from others safe to show).
    Text(Cow<'a, str>),
    /// A whole number; it also chooses plural forms.
    Number(u64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(s))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Text(Cow::Borrowed(s))
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Text(Cow::Owned(s))
    }
}

impl<'a> From<Cow<'a, str>> for Arg<'a> {
    fn from(s: Cow<'a, str>) -> Self {
        Arg::Text(s)
    }
}

impl From<u64> for Arg<'_> {
    fn from(n: u64) -> Self {
        Arg::Number(n)
    }
}

impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        Arg::Number(n as u64)
    }
}

fn bundle() -> &'static FluentBundle<FluentResource> {
    static BUNDLE: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
    BUNDLE.get_or_init(|| {
        let lang = "en".parse().expect("\"en\" is a language identifier");
        let mut bundle = FluentBundle::new_concurrent(vec![lang]);
        // No Unicode isolation marks around arguments: a terminal shows
        // them as stray characters. Text from others is cleaned of
        // direction controls before it is passed in.
        bundle.set_use_isolating(false);
        // The catalogue is part of the source and checked by the tests
        // below; a syntax error still yields every message that parsed.
        let resource = match FluentResource::try_new(EN.to_owned()) {
            Ok(r) => r,
            Err((r, _)) => r,
        };
        let _ = bundle.add_resource(resource);
        bundle
    })
}

/// The message `id` (or its attribute `id.attribute`), with `args`.
pub fn text(id: &str, args: &[(&str, Arg<'_>)]) -> String {
    format(id, args).0
}

/// [`text`], and whether anything was missing (a message, an attribute or
/// an argument).
fn format(id: &str, args: &[(&str, Arg<'_>)]) -> (String, bool) {
    let bundle = bundle();
    let (name, attribute) = match id.split_once('.') {
        Some((n, a)) => (n, Some(a)),
        None => (id, None),
    };
    let pattern = bundle.get_message(name).and_then(|m| match attribute {
        Some(a) => m.get_attribute(a).map(|a| a.value()),
        None => m.value(),
    });
    let Some(pattern) = pattern else {
        return (format!("{{{id}}}"), true);
    };
    let mut fluent_args = FluentArgs::new();
    for (k, v) in args {
        let value = match v {
            Arg::Text(s) => FluentValue::from(s.as_ref()),
            Arg::Number(n) => FluentValue::from(*n),
        };
        fluent_args.set(*k, value);
    }
    let mut errors = Vec::new();
    let out = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    (out.into_owned(), !errors.is_empty())
}

/// Every message id in the catalogue, with its attributes as
/// `id.attribute`, in the order written.
pub fn ids() -> Vec<String> {
    use fluent_syntax::ast::Entry;
    let resource = match FluentResource::try_new(EN.to_owned()) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    let mut out = Vec::new();
    for entry in resource.entries() {
        if let Entry::Message(m) = entry {
            let name = m.id.name;
            if m.value.is_some() {
                out.push(name.to_owned());
            }
            for a in &m.attributes {
                out.push(format!("{name}.{}", a.id.name));
            }
        }
    }
    out
}

/// Checks the catalogue: it parses without error, and formatting `id`
/// with `args` leaves nothing missing. For tests of the programs that
/// call [`text`].
pub fn check_catalogue(id: &str, args: &[(&str, Arg<'_>)]) -> Result<String, String> {
    if let Err((_, errors)) = FluentResource::try_new(EN.to_owned()) {
        return Err(format!("the catalogue does not parse: {errors:?}"));
    }
    match format(id, args) {
        (s, false) => Ok(s),
        (s, true) => Err(format!("{id}: something is missing: {s:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_whole_catalogue_without_error() {
        assert!(FluentResource::try_new(EN.to_owned()).is_ok());
        assert!(ids().len() > 40, "{:?}", ids());
    }

    #[test]
    fn writes_every_id_once() {
        let mut seen = std::collections::BTreeSet::new();
        for id in ids() {
            assert!(seen.insert(id.clone()), "{id} is written twice");
        }
        // And the bundle took every message (it refuses a second one).
        let lang = "en".parse().expect("a language");
        let mut bundle = FluentBundle::new_concurrent(vec![lang]);
        let resource = FluentResource::try_new(EN.to_owned()).expect("parses");
        assert!(bundle.add_resource(resource).is_ok());
    }

    #[test]
    fn formats_a_message_an_attribute_and_plural_forms() {
        assert_eq!(
            text("problem-revoked", &[]),
            "This code can no longer be used"
        );
        assert_eq!(
            text("problem-revoked.message", &[]),
            "It cannot open anything now."
        );
        // A term is filled in.
        assert!(text("problem-expired.next", &[]).starts_with("If you still need"));
        let one = text(
            "problem-clock-skew-off",
            &[("minutes", 1u64.into()), ("direction", "ahead".into())],
        );
        assert!(one.contains("about 1 minute off (ahead of"), "{one}");
        let ten = text(
            "problem-clock-skew-off",
            &[("minutes", 10u64.into()), ("direction", "behind".into())],
        );
        assert!(ten.contains("about 10 minutes off (behind the"), "{ten}");
    }

    #[test]
    fn says_what_is_missing_instead_of_failing() {
        assert_eq!(text("no-such-message", &[]), "{no-such-message}");
        assert!(check_catalogue("no-such-message", &[]).is_err());
        assert!(check_catalogue("problem-clock-skew-off", &[]).is_err());
        assert!(check_catalogue(
            "problem-clock-skew-off",
            &[("minutes", 3u64.into()), ("direction", "ahead".into())]
        )
        .is_ok());
    }

    #[test]
    fn keeps_isolation_marks_out_of_arguments() {
        let s = text(
            "problem-clock-skew-off",
            &[("minutes", 3u64.into()), ("direction", "ahead".into())],
        );
        assert!(!s.contains('\u{2068}') && !s.contains('\u{2069}'), "{s:?}");
    }

    #[test]
    fn keeps_the_layout_of_messages_on_several_lines() {
        // Indentation beyond the block's own is kept, and so is a blank line.
        let done = text(
            "delegate-done",
            &[
                ("until", "1 January 2027".into()),
                ("advocate", "Ana".into()),
                ("id", "survivor1abc".into()),
                ("undelegate", "\"Ana\"".into()),
            ],
        );
        assert!(
            done.contains(
                "your shares:\n  survivor1abc\nTo stop this sooner: vault undelegate \"Ana\""
            ),
            "{done:?}"
        );
        let verified = text(
            "redeem-verified",
            &[
                ("issuer", "survivor1abc".into()),
                ("purpose", "housing".into()),
                ("until", "1 January 2027".into()),
                ("use_number", 1u64.into()),
                ("max_uses", 1u64.into()),
                ("consent_text", "needs.housing".into()),
            ],
        );
        assert!(
            verified.starts_with(
                "Verified: signed by the sender known to this agency as\n  survivor1abc\n"
            ),
            "{verified:?}"
        );
        assert!(
            verified.contains("(use 1 of 1)\n\nWhat the"),
            "{verified:?}"
        );
    }

    #[test]
    fn says_one_and_many_in_words_not_with_a_bracketed_s() {
        let one = text("ls-unreadable", &[("count", 1u64.into())]);
        let two = text("ls-unreadable", &[("count", 2u64.into())]);
        assert!(one.starts_with("1 saved item is damaged"), "{one:?}");
        assert!(two.starts_with("2 saved items are damaged"), "{two:?}");
        let kept = text(
            "log-checked",
            &[("count", 1u64.into()), ("kept", "yes".into())],
        );
        assert_eq!(
            kept,
            "History checked: 1 entry, signed by the relay, and it still holds everything you saw before."
        );
        let first = text(
            "log-checked",
            &[("count", 3u64.into()), ("kept", "no".into())],
        );
        assert_eq!(first, "History checked: 3 entries, signed by the relay.");
        for id in ids() {
            if let Some(p) = bundle().get_message(&id).and_then(|m| m.value()) {
                let s = format!("{p:?}");
                assert!(!s.contains("(s)"), "{id} says \"(s)\"");
            }
        }
    }
}
