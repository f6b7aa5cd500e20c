//! The plain words for every problem the agency's page can meet.
//!
//! The page (and any other program that opens a share for an agency) says
//! what went wrong in three parts: a short title, one sentence saying what
//! it means, and one saying what to do next. The sentences live in the
//! message catalogue (`messages/en.ftl`, [`crate::messages`]); the kinds
//! live here, next to the checks that produce them, so every client says
//! the same thing.
//!
//! The words are read by whoever holds the phone, in front of whoever is
//! near. So they are calm and plain, they never say "survivor",
//! "trafficking" or "victim", and they never tell the holder of a code
//! that the person who gave it acted: a withdrawn code "can no longer be
//! used", like an expired or used-up one.

use std::fmt;

use crate::keyfile::KeyFileError;
use crate::messages;

/// The kinds of problem, each with a stable code (`Problem::kind` in
/// `web-api`: what the page switches on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The code was withdrawn.
    Revoked,
    /// The code's time is over.
    Expired,
    /// Every allowed use was made.
    UsedUp,
    /// The code starts later (or this device's clock is wrong).
    NotYetValid,
    /// A key was loaded, but it is not the agency the code is for.
    WrongAudience,
    /// This device's clock is more than 5 minutes from the relay's, so the
    /// relay could not confirm the key; nothing was used.
    ClockSkew,
    /// The code is for one named agency, and no key was loaded.
    NeedsKey,
    /// The relay has nothing for this code.
    NotFound,
    /// Too many requests: wait.
    RateLimited,
    /// The relay is busy: wait.
    Busy,
    /// The relay's answer failed a check: nothing of it may be used.
    NotGenuine,
    /// The link is not a share link, or is incomplete.
    BadLink,
    /// The file is not an agency key file, or is damaged.
    BadKeyFile,
    /// The passphrase does not open the key file.
    WrongPassphrase,
    /// The relay could not be reached, or answered outside its API: whether
    /// the code is valid is unknown (never shown as valid).
    Unknown,
}

/// What a person reads about one problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    /// A short heading, without a full stop.
    pub title: String,
    /// What happened, in a sentence or two.
    pub message: String,
    /// What to do next.
    pub next: String,
}

impl ProblemKind {
    /// Every kind, in the order of `web-api`.
    pub const ALL: [Self; 15] = [
        Self::Revoked,
        Self::Expired,
        Self::UsedUp,
        Self::NotYetValid,
        Self::WrongAudience,
        Self::ClockSkew,
        Self::NeedsKey,
        Self::NotFound,
        Self::RateLimited,
        Self::Busy,
        Self::NotGenuine,
        Self::BadLink,
        Self::BadKeyFile,
        Self::WrongPassphrase,
        Self::Unknown,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Revoked => "revoked",
            Self::Expired => "expired",
            Self::UsedUp => "used_up",
            Self::NotYetValid => "not_yet_valid",
            Self::WrongAudience => "wrong_audience",
            Self::ClockSkew => "clock_skew",
            Self::NeedsKey => "needs_key",
            Self::NotFound => "not_found",
            Self::RateLimited => "rate_limited",
            Self::Busy => "busy",
            Self::NotGenuine => "not_genuine",
            Self::BadLink => "bad_link",
            Self::BadKeyFile => "bad_key_file",
            Self::WrongPassphrase => "wrong_passphrase",
            Self::Unknown => "unknown",
        }
    }

    /// The words for this kind, from the catalogue
    /// (`problem-<code>` in `messages/en.ftl`, with `-` for `_`).
    pub fn words(self) -> Words {
        let id = format!("problem-{}", self.code().replace('_', "-"));
        Words {
            title: messages::text(&id, &[]),
            message: messages::text(&format!("{id}.message"), &[]),
            next: messages::text(&format!("{id}.next"), &[]),
        }
    }
}

/// One problem: its kind, and for some kinds a stable detail code for
/// logs and tests (`not_genuine`: which check failed, as
/// `OpenError::kind`). The detail is never part of the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct Problem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// A stable code saying more, if any.
    pub detail: Option<&'static str>,
    /// `clock_skew` only: how far this device's clock is ahead of the
    /// relay's (negative: behind), in seconds, when the relay said its time.
    pub clock_off_secs: Option<i64>,
}

impl Problem {
    /// A problem of `kind` without detail.
    pub fn new(kind: ProblemKind) -> Self {
        Self {
            kind,
            detail: None,
            clock_off_secs: None,
        }
    }

    /// A problem of `kind` with a detail code.
    pub fn with_detail(kind: ProblemKind, detail: &'static str) -> Self {
        Self {
            kind,
            detail: Some(detail),
            clock_off_secs: None,
        }
    }

    /// A wrong clock: this device's time `now` against the relay's time
    /// `relay_time` (from the refusal), or `None` if the relay did not
    /// say its time.
    pub fn clock_skew(now: u64, relay_time: Option<u64>) -> Self {
        Self {
            kind: ProblemKind::ClockSkew,
            detail: None,
            clock_off_secs: relay_time.map(|r| {
                let d = i128::from(now) - i128::from(r);
                d.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
            }),
        }
    }

    /// Its words.
    pub fn words(&self) -> Words {
        self.kind.words()
    }

    /// What happened, in a sentence or two: the kind's message, or for a
    /// wrong clock whose offset is known, by how much:
    /// "This device's clock is about 10 minutes off (ahead of the relay's
    /// time), …".
    pub fn message(&self) -> String {
        match (self.kind, self.clock_off_secs) {
            (ProblemKind::ClockSkew, Some(off)) => {
                let minutes = (off.unsigned_abs().saturating_add(30) / 60).max(1);
                let direction = if off > 0 { "ahead" } else { "behind" };
                crate::msg!(
                    "problem-clock-skew-off",
                    minutes = minutes,
                    direction = direction
                )
            }
            _ => self.kind.words().message,
        }
    }
}

impl From<&KeyFileError> for Problem {
    /// An agency key file that did not open: `wrong_passphrase`, or
    /// `bad_key_file` (with `not_agency` as detail for another role's key).
    fn from(e: &KeyFileError) -> Self {
        match e {
            KeyFileError::WrongPassphrase => Self::new(ProblemKind::WrongPassphrase),
            KeyFileError::NotAgency => Self::with_detail(ProblemKind::BadKeyFile, e.kind()),
            _ => Self::new(ProblemKind::BadKeyFile),
        }
    }
}

impl From<ProblemKind> for Problem {
    fn from(kind: ProblemKind) -> Self {
        Self::new(kind)
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(w: Words) -> [String; 3] {
        [w.title, w.message, w.next]
    }

    #[test]
    fn keeps_one_distinct_code_and_full_words_for_every_kind() {
        let codes: std::collections::BTreeSet<_> =
            ProblemKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(codes.len(), ProblemKind::ALL.len());
        for k in ProblemKind::ALL {
            let w = k.words();
            assert!(!w.title.is_empty() && !w.title.ends_with('.'), "{k}: {w:?}");
            assert!(!w.title.contains('{'), "{k}: {w:?}");
            for s in [w.message, w.next] {
                assert!(s.len() > 10 && s.ends_with('.'), "{k}: {s:?}");
            }
        }
    }

    #[test]
    fn keeps_words_that_say_what_the_person_is_out_of_every_text() {
        for k in ProblemKind::ALL {
            for s in texts(k.words()) {
                let lower = s.to_lowercase();
                for word in ["survivor", "trafficking", "victim", "abuse", "violence"] {
                    assert!(!lower.contains(word), "{k}: {s:?} says {word:?}");
                }
            }
        }
    }

    #[test]
    fn refuses_to_reveal_that_anyone_withdrew_a_code() {
        for k in ProblemKind::ALL {
            for s in texts(k.words()) {
                let lower = s.to_lowercase();
                for word in [
                    "withdr",
                    "revok",
                    "cancel",
                    "took back",
                    "taken back",
                    "changed their",
                ] {
                    assert!(!lower.contains(word), "{k}: {s:?} says {word:?}");
                }
            }
        }
        // A withdrawn code reads like any other ended code.
        assert_eq!(
            ProblemKind::Revoked.words().title,
            "This code can no longer be used"
        );
        assert_eq!(
            ProblemKind::Revoked.words().next,
            ProblemKind::Expired.words().next
        );
    }

    #[test]
    fn refuses_a_key_file_with_the_problem_of_its_kind() {
        assert_eq!(
            Problem::from(&KeyFileError::WrongPassphrase),
            Problem::new(ProblemKind::WrongPassphrase)
        );
        assert_eq!(
            Problem::from(&KeyFileError::NotAgency),
            Problem::with_detail(ProblemKind::BadKeyFile, "not_agency")
        );
        for e in [
            KeyFileError::TooLarge,
            KeyFileError::Empty,
            KeyFileError::NotKeyFile,
            KeyFileError::Truncated,
            KeyFileError::Damaged,
            KeyFileError::UnknownVersion,
            KeyFileError::Settings,
        ] {
            assert_eq!(Problem::from(&e), Problem::new(ProblemKind::BadKeyFile));
        }
    }

    #[test]
    fn says_how_far_off_a_wrong_clock_is() {
        let ahead = Problem::clock_skew(10_600, Some(10_000));
        assert_eq!(ahead.kind, ProblemKind::ClockSkew);
        assert!(
            ahead
                .message()
                .starts_with("This device's clock is about 10 minutes off (ahead of"),
            "{}",
            ahead.message()
        );
        let behind = Problem::clock_skew(10_000, Some(10_590));
        assert!(behind.message().contains("about 10 minutes off (behind"));
        assert_eq!(ahead.to_string(), ahead.message());
        // Without the relay's time: the kind's own words.
        let unknown = Problem::clock_skew(10_000, None);
        assert_eq!(unknown.message(), ProblemKind::ClockSkew.words().message);
        assert!(ProblemKind::ClockSkew
            .words()
            .next
            .contains("then try again"));
    }

    #[test]
    fn keeps_the_detail_out_of_the_words() {
        let p = Problem::with_detail(ProblemKind::NotGenuine, "bad_receipt");
        assert_eq!(p.to_string(), ProblemKind::NotGenuine.words().message);
        assert!(!texts(p.words()).iter().any(|s| s.contains("bad_receipt")));
    }
}
