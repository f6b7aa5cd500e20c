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
//!
//! What is embedded is each catalogue without its comments (`build.rs`).
//! English is always embedded. The other languages are embedded with the
//! `translations` feature (on by default: the command line speaks every
//! language without a download); without it (the browser modules, where
//! every byte is downloaded) a program hands a translation in at run time
//! with [`load`], and speaks English until it has.

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

/// The English catalogue, as embedded: `messages/en.ftl` without its
/// comments (`build.rs`).
pub const EN: &str = include_str!(concat!(env!("OUT_DIR"), "/en.ftl"));

/// The Spanish catalogue, as embedded: `messages/es.ftl` without its
/// comments.
#[cfg(feature = "translations")]
pub const ES: &str = include_str!(concat!(env!("OUT_DIR"), "/es.ftl"));

/// The languages the programs speak: each one's code (BCP 47) and its name
/// in its own words, for a list to choose from. The first is the fallback.
pub const LANGUAGES: &[(&str, &str)] = &[("en", "English"), ("es", "Español")];

/// Each language's embedded catalogue, in the order of [`LANGUAGES`].
#[cfg(feature = "translations")]
const EMBEDDED: [Option<&str>; 2] = [Some(EN), Some(ES)];
#[cfg(not(feature = "translations"))]
const EMBEDDED: [Option<&str>; 2] = [Some(EN), None];

/// Each language's parsed catalogue, once parsed (embedded) or loaded.
type Bundle = FluentBundle<FluentResource>;
static BUNDLES: [OnceLock<Bundle>; 2] = [OnceLock::new(), OnceLock::new()];

/// The language [`text`] and `msg!` speak, as an index into [`LANGUAGES`].
static CURRENT: AtomicUsize = AtomicUsize::new(0);

/// The language to speak for a list of preferences, best first, such as a
/// browser's `navigator.languages` (`["es-MX", "es", "en"]`) or a
/// `LANG`-style name (`es_ES`): the first whose language subtag is one of
/// [`LANGUAGES`]. Anything else (an empty list, `C`, `*`, a language
/// without a catalogue) gives English.
pub fn negotiate(preferences: &[&str]) -> &'static str {
    preferences
        .iter()
        .find_map(|p| position(p))
        .map_or(LANGUAGES[0].0, |i| LANGUAGES[i].0)
}

/// Where the language of `tag` (`es`, `es-419`, `ES_es`) is in
/// [`LANGUAGES`], if there.
fn position(tag: &str) -> Option<usize> {
    let primary = tag.trim().split(['-', '_']).next()?;
    LANGUAGES
        .iter()
        .position(|(code, _)| code.eq_ignore_ascii_case(primary))
}

/// Makes [`text`] and `msg!` speak `lang` (negotiated as by
/// [`negotiate`]) from now on, in every thread, and gives the language
/// used: English for a language whose catalogue is neither embedded nor
/// [`load`]ed. Meant to be set once, at start-up or when a person picks
/// one.
pub fn set_language(lang: &str) -> &'static str {
    let i = position(lang).filter(|&i| bundle(i).is_some()).unwrap_or(0);
    CURRENT.store(i, Ordering::Relaxed);
    LANGUAGES[i].0
}

/// The language [`text`] and `msg!` speak now.
pub fn language() -> &'static str {
    LANGUAGES[current()].0
}

fn current() -> usize {
    CURRENT.load(Ordering::Relaxed).min(LANGUAGES.len() - 1)
}

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

/// The embedded catalogue of `lang` (`en`, `es`: the file without its
/// comments), if it is one of [`LANGUAGES`] and embedded in this build.
pub fn source(lang: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .position(|(code, _)| *code == lang)
        .and_then(|i| EMBEDDED[i])
}

/// Why [`load`] did not take a catalogue. The program speaks English (or
/// the language it spoke) instead; nothing else changes.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoadError {
    /// The code is not one of [`LANGUAGES`].
    #[error("there is no catalogue for this language")]
    UnknownLanguage,
    /// The text is not a whole catalogue: it does not parse, or a message
    /// of the English catalogue is not in it (say, a download cut short).
    #[error("the catalogue is damaged or incomplete")]
    Damaged,
}

/// Takes the catalogue of `lang` (a code of [`LANGUAGES`]) from `source`,
/// the text of its `.ftl` file, for a build without it embedded (the
/// browser modules fetch `es.ftl` apart). Then [`set_language`] can choose
/// it. A catalogue already there (embedded, or loaded before) is kept and
/// this is `Ok`: a language's words do not change while a program runs.
/// Refused, and English kept, when `source` does not parse cleanly or
/// lacks a message English has.
pub fn load(lang: &str, source: &str) -> Result<(), LoadError> {
    let index = LANGUAGES
        .iter()
        .position(|(code, _)| *code == lang)
        .ok_or(LoadError::UnknownLanguage)?;
    if bundle(index).is_some() {
        return Ok(());
    }
    let made = checked_bundle(index, source)?;
    // Two loads at once: the first one kept wins, and both are whole.
    let _ = BUNDLES[index].set(made);
    Ok(())
}

/// The bundle of the language at `index` made from `source`, if it parses
/// without error and has every message and attribute English has.
fn checked_bundle(index: usize, source: &str) -> Result<Bundle, LoadError> {
    let resource = FluentResource::try_new(source.to_owned()).map_err(|_| LoadError::Damaged)?;
    let made = new_bundle(index, resource);
    let complete = ids_of(EN).iter().all(|id| {
        let (name, attribute) = match id.split_once('.') {
            Some((n, a)) => (n, Some(a)),
            None => (id.as_str(), None),
        };
        made.get_message(name).is_some_and(|m| match attribute {
            Some(a) => m.get_attribute(a).is_some(),
            None => m.value().is_some(),
        })
    });
    if complete {
        Ok(made)
    } else {
        Err(LoadError::Damaged)
    }
}

/// A bundle for the language at `index` in [`LANGUAGES`] holding `resource`.
fn new_bundle(index: usize, resource: FluentResource) -> Bundle {
    let lang = LANGUAGES[index]
        .0
        .parse()
        .expect("every code in LANGUAGES is a language identifier");
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // No Unicode isolation marks around arguments: a terminal shows
    // them as stray characters. Text from others is cleaned of
    // direction controls before it is passed in.
    bundle.set_use_isolating(false);
    // An embedded catalogue is part of the source and checked by the tests
    // below; a syntax error still yields every message that parsed. A
    // loaded one was parsed without error by [`load`].
    let _ = bundle.add_resource(resource);
    bundle
}

/// The parsed catalogue of the language at `index` in [`LANGUAGES`]: an
/// embedded one is parsed the first time it is needed; one that is not
/// embedded is there once [`load`]ed.
fn bundle(index: usize) -> Option<&'static Bundle> {
    if let Some(b) = BUNDLES[index].get() {
        return Some(b);
    }
    let source = EMBEDDED[index]?;
    Some(BUNDLES[index].get_or_init(|| new_bundle(index, parse(source))))
}

fn parse(source: &str) -> FluentResource {
    match FluentResource::try_new(source.to_owned()) {
        Ok(r) => r,
        Err((r, _)) => r,
    }
}

/// The message `id` (or its attribute `id.attribute`), with `args`, in the
/// language set with [`set_language`] (English until then).
pub fn text(id: &str, args: &[(&str, Arg<'_>)]) -> String {
    format(current(), id, args).0
}

/// The message `id` (or `id.attribute`), with `args`, in `lang` (a code
/// as [`negotiate`] takes), whatever the current language.
pub fn text_in(lang: &str, id: &str, args: &[(&str, Arg<'_>)]) -> String {
    format(position(lang).unwrap_or(0), id, args).0
}

/// The pattern of `id` (or `id.attribute`) in the language at `index`.
fn pattern(
    index: usize,
    id: &str,
) -> Option<(
    &'static FluentBundle<FluentResource>,
    &'static ast::Pattern<&'static str>,
)> {
    let bundle = bundle(index)?;
    let (name, attribute) = match id.split_once('.') {
        Some((n, a)) => (n, Some(a)),
        None => (id, None),
    };
    let pattern = bundle.get_message(name).and_then(|m| match attribute {
        Some(a) => m.get_attribute(a).map(|a| a.value()),
        None => m.value(),
    })?;
    Some((bundle, pattern))
}

/// [`text`] in the language at `index`, and whether anything was missing
/// (a message, an attribute or an argument). A message missing in a
/// translation is said in English.
fn format(index: usize, id: &str, args: &[(&str, Arg<'_>)]) -> (String, bool) {
    let Some((bundle, pattern)) = pattern(index, id).or_else(|| pattern(0, id)) else {
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

/// Every message id in the (English) catalogue, with its attributes as
/// `id.attribute`, in the order written. Every other catalogue has the
/// same (its tests check).
pub fn ids() -> Vec<String> {
    ids_of(EN)
}

fn ids_of(source: &str) -> Vec<String> {
    let resource = parse(source);
    let mut out = Vec::new();
    for entry in resource.entries() {
        if let ast::Entry::Message(m) = entry {
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
/// call [`text`]. English; [`check_catalogue_in`] checks another.
pub fn check_catalogue(id: &str, args: &[(&str, Arg<'_>)]) -> Result<String, String> {
    check_catalogue_in("en", id, args)
}

/// [`check_catalogue`] for the catalogue of `lang` (one of
/// [`LANGUAGES`]), which must hold `id` itself: no English fallback.
pub fn check_catalogue_in(
    lang: &str,
    id: &str,
    args: &[(&str, Arg<'_>)],
) -> Result<String, String> {
    let Some(index) = LANGUAGES.iter().position(|(code, _)| *code == lang) else {
        return Err(format!("there is no catalogue for {lang:?}"));
    };
    let Some(source) = EMBEDDED[index] else {
        return Err(format!(
            "the {lang} catalogue is not embedded in this build"
        ));
    };
    if let Err((_, errors)) = FluentResource::try_new(source.to_owned()) {
        return Err(format!("the {lang} catalogue does not parse: {errors:?}"));
    }
    if pattern(index, id).is_none() {
        return Err(format!("{id}: not in the {lang} catalogue"));
    }
    match format(index, id, args) {
        (s, false) => Ok(s),
        (s, true) => Err(format!("{id} ({lang}): something is missing: {s:?}")),
    }
}

// The tests read every catalogue as embedded: the default features.
#[cfg(all(test, feature = "translations"))]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// What a message (or attribute) of a catalogue asks for: the names of
    /// its arguments, and the keys of the choices made on each argument
    /// (`$direction -> [ahead] … *[behind] …`), apart from plural categories
    /// (`one`, `other`, …), which differ between languages.
    #[derive(Debug, Default, PartialEq, Eq)]
    struct Needs {
        /// The `$names`.
        variables: BTreeSet<String>,
        /// `name=key` for each non-plural key a choice on `$name` has.
        keys: BTreeSet<String>,
    }

    /// [`Needs`] of every message and attribute of `source`, by id.
    fn needs(source: &str) -> Vec<(String, Needs)> {
        let resource = parse(source);
        let mut out = Vec::new();
        for entry in resource.entries() {
            if let ast::Entry::Message(m) = entry {
                let name = m.id.name;
                if let Some(p) = &m.value {
                    let mut n = Needs::default();
                    pattern_needs(p, &mut n);
                    out.push((name.to_owned(), n));
                }
                for a in &m.attributes {
                    let mut n = Needs::default();
                    pattern_needs(&a.value, &mut n);
                    out.push((format!("{name}.{}", a.id.name), n));
                }
            }
        }
        out
    }

    fn pattern_needs(p: &ast::Pattern<&str>, n: &mut Needs) {
        for e in &p.elements {
            if let ast::PatternElement::Placeable { expression } = e {
                expression_needs(expression, n);
            }
        }
    }

    fn expression_needs(e: &ast::Expression<&str>, n: &mut Needs) {
        match e {
            ast::Expression::Inline(i) => inline_needs(i, n),
            ast::Expression::Select { selector, variants } => {
                inline_needs(selector, n);
                for v in variants {
                    if let (
                        ast::InlineExpression::VariableReference { id },
                        ast::VariantKey::Identifier { name },
                    ) = (selector, &v.key)
                    {
                        const PLURAL: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];
                        if !PLURAL.contains(name) {
                            n.keys.insert(format!("{}={name}", id.name));
                        }
                    }
                    pattern_needs(&v.value, n);
                }
            }
        }
    }

    fn inline_needs(i: &ast::InlineExpression<&str>, n: &mut Needs) {
        match i {
            ast::InlineExpression::VariableReference { id } => {
                n.variables.insert(id.name.to_owned());
            }
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                arguments_needs(arguments, n);
            }
            ast::InlineExpression::TermReference {
                arguments: Some(arguments),
                ..
            } => arguments_needs(arguments, n),
            ast::InlineExpression::Placeable { expression } => expression_needs(expression, n),
            _ => {}
        }
    }

    fn arguments_needs(a: &ast::CallArguments<&str>, n: &mut Needs) {
        for p in &a.positional {
            inline_needs(p, n);
        }
        for named in &a.named {
            inline_needs(&named.value, n);
        }
    }

    /// Every message and attribute of `source` with the arguments it asks
    /// for, each given as `value`.
    fn samples(lang: &str) -> Vec<(String, Vec<String>, Vec<String>)> {
        needs(source(lang).expect("a catalogue"))
            .into_iter()
            .map(|(id, n)| {
                let keys = n
                    .keys
                    .iter()
                    .filter_map(|k| k.split_once('=').map(|(_, key)| key.to_owned()))
                    .collect();
                (id, n.variables.into_iter().collect(), keys)
            })
            .collect()
    }

    #[test]
    fn every_catalogue_parses_without_error_and_says_each_id_once() {
        for (lang, _) in LANGUAGES {
            let text = source(lang).expect("every language has a catalogue");
            if let Err((_, errors)) = FluentResource::try_new(text.to_owned()) {
                panic!("{lang}.ftl does not parse: {errors:?}");
            }
            let mut seen = BTreeSet::new();
            for id in ids_of(text) {
                assert!(seen.insert(id.clone()), "{lang}: {id} is written twice");
            }
        }
    }

    #[test]
    fn spanish_has_exactly_the_english_ids() {
        let en: BTreeSet<String> = ids_of(EN).into_iter().collect();
        let es: BTreeSet<String> = ids_of(ES).into_iter().collect();
        let missing: Vec<_> = en.difference(&es).collect();
        let extra: Vec<_> = es.difference(&en).collect();
        assert!(missing.is_empty(), "not in es.ftl: {missing:?}");
        assert!(extra.is_empty(), "only in es.ftl: {extra:?}");
    }

    #[test]
    fn every_translation_asks_for_the_english_arguments_and_choices() {
        let en: std::collections::BTreeMap<String, Needs> = needs(EN).into_iter().collect();
        for (lang, _) in &LANGUAGES[1..] {
            for (id, n) in needs(source(lang).expect("a catalogue")) {
                let Some(e) = en.get(&id) else { continue };
                assert_eq!(n.variables, e.variables, "{lang}: {id} has other arguments");
                // A choice English makes on a value the program passes
                // (`$direction`: ahead, behind) has the same keys; a
                // translation may also choose on a value English shows
                // as it is (`$kind`: text, document).
                let chosen: BTreeSet<&str> = e
                    .keys
                    .iter()
                    .filter_map(|k| k.split_once('=').map(|(v, _)| v))
                    .collect();
                let keys: BTreeSet<String> = n
                    .keys
                    .iter()
                    .filter(|k| k.split_once('=').is_some_and(|(v, _)| chosen.contains(v)))
                    .cloned()
                    .collect();
                assert_eq!(keys, e.keys, "{lang}: {id} chooses on other values");
            }
        }
    }

    #[test]
    fn every_message_of_every_language_formats_with_sample_arguments() {
        for (lang, _) in LANGUAGES {
            let all = samples(lang);
            assert!(all.len() > 300, "{lang}: only {} messages", all.len());
            for (id, variables, keys) in all {
                let mut values: Vec<Arg<'_>> =
                    vec![Arg::Number(1), Arg::Number(2), Arg::Text("Ana".into())];
                values.extend(keys.iter().map(|k| Arg::Text(k.clone().into())));
                for value in values {
                    let args: Vec<(&str, Arg<'_>)> = variables
                        .iter()
                        .map(|v| (v.as_str(), value.clone()))
                        .collect();
                    let out =
                        check_catalogue_in(lang, &id, &args).unwrap_or_else(|e| panic!("{e}"));
                    assert!(!out.trim().is_empty(), "{lang}: {id} is empty");
                }
            }
        }
    }

    #[test]
    fn spanish_words_never_name_what_a_bystander_must_not_read() {
        let words = [
            "víctima",
            "sobreviviente",
            "superviviente",
            "trata",
            "abuso",
        ];
        for (n, line) in ES.lines().enumerate() {
            if line.trim_start().starts_with('#') {
                continue;
            }
            let lower = line.to_lowercase();
            for w in lower.split(|c: char| !c.is_alphanumeric()) {
                assert!(!words.contains(&w), "es.ftl line {}: {line}", n + 1);
            }
        }
    }

    #[test]
    fn negotiates_the_first_preference_with_a_catalogue() {
        assert_eq!(negotiate(&["es-MX", "en"]), "es");
        assert_eq!(negotiate(&["en-GB", "es"]), "en");
        assert_eq!(negotiate(&["fr-FR", "es-419", "en"]), "es");
        assert_eq!(negotiate(&["ES"]), "es");
        assert_eq!(negotiate(&["es_ES"]), "es");
        assert_eq!(negotiate(&["fr", "de"]), "en");
        assert_eq!(negotiate(&["*", "C", ""]), "en");
        assert_eq!(negotiate(&[]), "en");
        // Not fooled by a longer code that starts the same.
        assert_eq!(negotiate(&["est", "en"]), "en");
    }

    #[test]
    fn text_in_speaks_the_language_asked_whatever_the_current_one() {
        assert_eq!(
            text_in("es", "problem-revoked", &[]),
            "Este código ya no se puede usar"
        );
        assert_eq!(
            text_in("es-AR", "revoke-done-live", &[("count", 2u64.into())]),
            "Se retiraron 2 accesos que todavía se podían usar. Desde ahora nadie puede usarlos. Esto no puede deshacer lo que una organización ya haya podido ver."
        );
        assert_eq!(
            text_in("es", "revoke-done-live", &[("count", 1u64.into())]),
            "Se retiró 1 acceso que todavía se podía usar. Desde ahora nadie puede usarlo. Esto no puede deshacer lo que una organización ya haya podido ver."
        );
        // No catalogue: English.
        assert_eq!(
            text_in("fr", "problem-revoked", &[]),
            "This code can no longer be used"
        );
        assert_eq!(text_in("es", "no-such-message", &[]), "{no-such-message}");
        assert!(check_catalogue_in("fr", "problem-revoked", &[]).is_err());
    }

    #[test]
    fn sets_the_language_by_its_code_and_says_which_was_used() {
        // The tests of this crate read English, so only English is set
        // here (the setting is the whole process's); the command line's
        // end-to-end test sets Spanish.
        assert_eq!(set_language("en-GB"), "en");
        assert_eq!(set_language("klingon"), "en");
        assert_eq!(language(), "en");
        assert_eq!(LANGUAGES[0].0, "en");
        assert!(LANGUAGES
            .iter()
            .any(|(code, name)| *code == "es" && *name == "Español"));
    }

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
            if let Some(p) = bundle(0)
                .expect("English is embedded")
                .get_message(&id)
                .and_then(|m| m.value())
            {
                let s = format!("{p:?}");
                assert!(!s.contains("(s)"), "{id} says \"(s)\"");
            }
        }
    }

    /// The messages of `source` (and its terms), without the comments
    /// attached to them, in order.
    fn messages_of(source: &str) -> Vec<ast::Entry<String>> {
        let resource = fluent_syntax::parser::parse(source.to_owned())
            .unwrap_or_else(|(_, errors)| panic!("does not parse: {errors:?}"));
        resource
            .body
            .into_iter()
            .filter_map(|entry| match entry {
                ast::Entry::Message(mut m) => {
                    m.comment = None;
                    Some(ast::Entry::Message(m))
                }
                ast::Entry::Term(mut t) => {
                    t.comment = None;
                    Some(ast::Entry::Term(t))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn embeds_every_message_as_written_and_no_comment() {
        let written = [
            ("en", include_str!("../messages/en.ftl")),
            ("es", include_str!("../messages/es.ftl")),
        ];
        for (lang, file) in written {
            let embedded = source(lang).expect("every catalogue is embedded by default");
            assert_eq!(messages_of(embedded), messages_of(file), "{lang}");
            assert!(embedded.len() < file.len(), "{lang}: nothing was left out");
            assert!(
                !embedded.lines().any(|l| l.starts_with('#')),
                "{lang}: a comment is embedded"
            );
        }
    }

    #[test]
    fn loads_a_whole_translation_and_refuses_a_damaged_or_cut_one() {
        let es = source("es").expect("embedded by default");
        let made = checked_bundle(1, es).expect("the whole catalogue");
        assert!(made.get_message("problem-revoked").is_some());
        // Cut short (a download that stopped), or not Fluent at all.
        let half = es
            .match_indices('\n')
            .map(|(i, _)| i)
            .find(|&i| i >= es.len() / 2)
            .expect("a line ends after the middle");
        let cut = &es[..half];
        assert_eq!(checked_bundle(1, cut).err(), Some(LoadError::Damaged));
        assert_eq!(
            checked_bundle(1, "<html>not found</html>").err(),
            Some(LoadError::Damaged)
        );
        assert_eq!(checked_bundle(1, "").err(), Some(LoadError::Damaged));
        // Unknown codes are refused; a catalogue already there is kept.
        assert_eq!(load("fr", es), Err(LoadError::UnknownLanguage));
        assert_eq!(load("es", "garbage"), Ok(()));
        assert_eq!(
            text_in("es", "problem-revoked", &[]),
            "Este código ya no se puede usar"
        );
    }
}
