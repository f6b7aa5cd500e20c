//! Which language `vault` speaks: `--lang`, or else the environment, read
//! as POSIX programs read it.
//!
//! The first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is set and not
//! empty names the locale (`es_ES.UTF-8`, `es_MX`, `C`). `C` and `POSIX`
//! mean English. Otherwise, as GNU gettext does, `LANGUAGE` (a list such
//! as `es:en`) is asked first, then the locale's own language. A language
//! without a catalogue gives English (`vault_core::messages::negotiate`).
//!
//! Only sentences change. Command and option names, `--help` (clap's),
//! table headers, JSON, ids and the signed consent text stay as they are.

use std::ffi::OsString;

use vault_core::messages;

/// The language the environment asks for, given a way to read a variable.
pub fn from_env(var: impl Fn(&str) -> Option<OsString>) -> &'static str {
    let read = |name: &str| {
        var(name)
            .map(|v| v.to_string_lossy().into_owned())
            .filter(|v| !v.is_empty())
    };
    let Some(locale) = ["LC_ALL", "LC_MESSAGES", "LANG"].into_iter().find_map(read) else {
        return messages::negotiate(&[]);
    };
    // `es_ES.UTF-8@euro` → `es_ES`.
    let name = locale.split(['.', '@']).next().unwrap_or_default();
    if name == "C" || name == "POSIX" {
        return messages::negotiate(&[]);
    }
    let listed = read("LANGUAGE").unwrap_or_default();
    let mut preferences: Vec<&str> = listed.split(':').filter(|l| !l.is_empty()).collect();
    preferences.push(name);
    messages::negotiate(&preferences)
}

/// The value of `--lang` on a command line that clap could not read (so
/// its sentence about it is still in the language asked for): the last
/// `--lang X` or `--lang=X` before a `--`.
pub fn from_args(args: &[String]) -> Option<&str> {
    let mut found = None;
    let mut words = args.iter().take_while(|a| *a != "--");
    while let Some(a) = words.next() {
        if a == "--lang" {
            found = words.next().map(String::as_str).or(found);
        } else if let Some(v) = a.strip_prefix("--lang=") {
            found = Some(v);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn reads_lc_all_then_lc_messages_then_lang() {
        assert_eq!(from_env(env(&[("LANG", "es_ES.UTF-8")])), "es");
        assert_eq!(from_env(env(&[("LANG", "es_MX")])), "es");
        assert_eq!(
            from_env(env(&[("LC_MESSAGES", "es_AR.UTF-8"), ("LANG", "en_GB")])),
            "es"
        );
        assert_eq!(
            from_env(env(&[("LC_ALL", "en_US.UTF-8"), ("LC_MESSAGES", "es_ES")])),
            "en"
        );
        // Empty is unset.
        assert_eq!(from_env(env(&[("LC_ALL", ""), ("LANG", "es_ES")])), "es");
    }

    #[test]
    fn c_and_posix_are_english_whatever_else_is_set() {
        assert_eq!(from_env(env(&[("LC_ALL", "C"), ("LANG", "es_ES")])), "en");
        assert_eq!(
            from_env(env(&[("LANG", "C.UTF-8"), ("LANGUAGE", "es")])),
            "en"
        );
        assert_eq!(from_env(env(&[("LANG", "POSIX")])), "en");
        assert_eq!(from_env(env(&[])), "en");
    }

    #[test]
    fn asks_language_first_then_the_locale() {
        assert_eq!(
            from_env(env(&[("LANG", "en_US.UTF-8"), ("LANGUAGE", "es:en")])),
            "es"
        );
        assert_eq!(
            from_env(env(&[("LANG", "es_ES.UTF-8"), ("LANGUAGE", "fr:de")])),
            "es"
        );
        assert_eq!(from_env(env(&[("LANG", "fr_FR.UTF-8")])), "en");
    }

    #[test]
    fn finds_the_lang_option_before_a_double_dash() {
        let args = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(from_args(&args("--lang es put x")), Some("es"));
        assert_eq!(from_args(&args("put --lang=es x")), Some("es"));
        assert_eq!(from_args(&args("put x -- --lang es")), None);
        assert_eq!(from_args(&args("put --lang")), None);
        assert_eq!(from_args(&args("--lang es --lang en")), Some("en"));
    }
}
