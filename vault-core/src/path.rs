//! Field paths: the names a survivor gives to what they keep.
//!
//! A path is one to eight dot-separated segments (`identity.name`,
//! `needs.housing`, `documents.passport`). Each segment starts with a lower
//! case letter `a`–`z` and goes on with lower case letters, digits, `_` or
//! `-`, at most 32 characters; the whole path is at most 128 characters.
//! The rule is strict so that one name means one field: no upper case, no
//! spaces, no empty segments, nothing that looks like a scope wildcard.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Most segments in a path.
pub const MAX_SEGMENTS: usize = 8;
/// Most characters in a segment.
pub const MAX_SEGMENT_LEN: usize = 32;
/// Most characters in a path.
pub const MAX_PATH_LEN: usize = 128;

/// Why a field path was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PathError {
    /// Empty input.
    #[error("{}", crate::msg!("path-empty"))]
    Empty,
    /// Longer than [`MAX_PATH_LEN`] or with more than [`MAX_SEGMENTS`] parts.
    #[error("{}", crate::msg!("path-too-long", max_segments = MAX_SEGMENTS, max_path_len = MAX_PATH_LEN))]
    TooLong,
    /// `a..b`, `.a` or `a.`.
    #[error("{}", crate::msg!("path-empty-segment"))]
    EmptySegment,
    /// A segment over [`MAX_SEGMENT_LEN`] characters.
    #[error("{}", crate::msg!("path-segment-too-long", max_segment_len = MAX_SEGMENT_LEN))]
    SegmentTooLong,
    /// A character outside the allowed set, or a segment not starting with a letter.
    #[error("{}", crate::msg!("path-bad-character"))]
    BadCharacter,
}

/// A validated field path.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FieldPath(String);

impl FieldPath {
    /// Parses and validates a path (see the module docs for the rule).
    pub fn parse(s: &str) -> Result<Self, PathError> {
        if s.is_empty() {
            return Err(PathError::Empty);
        }
        if s.len() > MAX_PATH_LEN {
            return Err(PathError::TooLong);
        }
        let mut segments = 0;
        for seg in s.split('.') {
            segments += 1;
            if segments > MAX_SEGMENTS {
                return Err(PathError::TooLong);
            }
            let mut chars = seg.chars();
            let Some(first) = chars.next() else {
                return Err(PathError::EmptySegment);
            };
            if seg.len() > MAX_SEGMENT_LEN {
                return Err(PathError::SegmentTooLong);
            }
            let rest_ok =
                chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
            if !first.is_ascii_lowercase() || !rest_ok {
                return Err(PathError::BadCharacter);
            }
        }
        Ok(Self(s.to_owned()))
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path's segments.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.0.split('.')
    }
}

impl<'de> Deserialize<'de> for FieldPath {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl FromStr for FieldPath {
    type Err = PathError;
    fn from_str(s: &str) -> Result<Self, PathError> {
        Self::parse(s)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FieldPath({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_dotted_lower_case_names() {
        for p in [
            "identity.name",
            "needs.housing",
            "documents.passport",
            "a",
            "a1.b_2.c-3",
        ] {
            assert_eq!(FieldPath::parse(p).expect(p).as_str(), p);
        }
    }

    #[test]
    fn rejects_bad_paths_with_the_right_reason() {
        let cases = [
            ("", PathError::Empty),
            ("needs..housing", PathError::EmptySegment),
            (".needs", PathError::EmptySegment),
            ("needs.", PathError::EmptySegment),
            ("Needs.housing", PathError::BadCharacter),
            ("needs.*", PathError::BadCharacter),
            ("needs housing", PathError::BadCharacter),
            ("1needs", PathError::BadCharacter),
            ("needs._x", PathError::BadCharacter),
            ("nééds", PathError::BadCharacter),
            ("a.b.c.d.e.f.g.h.i", PathError::TooLong),
        ];
        for (p, want) in cases {
            assert_eq!(FieldPath::parse(p), Err(want), "{p:?}");
        }
        assert_eq!(
            FieldPath::parse(&"a".repeat(MAX_SEGMENT_LEN + 1)),
            Err(PathError::SegmentTooLong)
        );
        assert_eq!(
            FieldPath::parse(&"a".repeat(MAX_PATH_LEN + 1)),
            Err(PathError::TooLong)
        );
    }

    #[test]
    fn deserialize_validates() {
        let bytes = postcard::to_allocvec("Bad Name").expect("encode");
        assert!(postcard::from_bytes::<FieldPath>(&bytes).is_err());
    }
}
