//! Scopes: which fields a grant covers.
//!
//! A scope is a non-empty list of entries, each either an exact field path
//! (`needs.housing`) or a prefix (`needs.*`, every field under `needs.`).
//! Nothing is selected by default: an empty scope is an error, and there is
//! no "everything" entry (`*` alone is refused).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::path::{FieldPath, PathError};

/// Most entries in one scope.
pub const MAX_ENTRIES: usize = 64;

/// One entry of a scope.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScopeEntry {
    /// Exactly this field.
    Field(FieldPath),
    /// Every field whose path starts with this path and a dot.
    Prefix(FieldPath),
}

/// Why a scope was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScopeError {
    /// No entries.
    #[error("{}", crate::msg!("scope-empty"))]
    Empty,
    /// More than [`MAX_ENTRIES`].
    #[error("{}", crate::msg!("scope-too-many", max_entries = MAX_ENTRIES))]
    TooMany,
    /// An entry is not a path or `path.*`.
    #[error("{}", crate::msg!("scope-bad-entry", entry = .entry, reason = .reason.to_string()))]
    BadEntry {
        /// The entry as given.
        entry: String,
        /// Why the path part was refused.
        reason: PathError,
    },
}

impl ScopeEntry {
    /// Parses `needs.housing` or `needs.*`.
    pub fn parse(s: &str) -> Result<Self, ScopeError> {
        let s = s.trim();
        let bad = |reason| ScopeError::BadEntry {
            entry: s.to_owned(),
            reason,
        };
        match s.strip_suffix(".*") {
            Some(prefix) => Ok(Self::Prefix(FieldPath::parse(prefix).map_err(bad)?)),
            None => Ok(Self::Field(FieldPath::parse(s).map_err(bad)?)),
        }
    }

    /// Whether `path` is covered by this entry.
    pub fn covers(&self, path: &FieldPath) -> bool {
        match self {
            Self::Field(f) => f == path,
            Self::Prefix(p) => path
                .as_str()
                .strip_prefix(p.as_str())
                .is_some_and(|rest| rest.starts_with('.')),
        }
    }
}

impl fmt::Display for ScopeEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Field(p) => write!(f, "{p}"),
            Self::Prefix(p) => write!(f, "{p}.*"),
        }
    }
}

/// A validated, sorted, de-duplicated scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope(Vec<ScopeEntry>);

impl Scope {
    /// Parses a comma-separated list (`identity.name, needs.*`).
    pub fn parse_list(s: &str) -> Result<Self, ScopeError> {
        let entries = s
            .split(',')
            .filter(|e| !e.trim().is_empty())
            .map(ScopeEntry::parse)
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(entries)
    }

    /// A scope of these entries.
    pub fn new(mut entries: Vec<ScopeEntry>) -> Result<Self, ScopeError> {
        entries.sort();
        entries.dedup();
        if entries.is_empty() {
            return Err(ScopeError::Empty);
        }
        if entries.len() > MAX_ENTRIES {
            return Err(ScopeError::TooMany);
        }
        Ok(Self(entries))
    }

    /// The entries, sorted.
    pub fn entries(&self) -> &[ScopeEntry] {
        &self.0
    }

    /// Whether any entry covers `path`.
    pub fn covers(&self, path: &FieldPath) -> bool {
        self.0.iter().any(|e| e.covers(path))
    }

    /// The entries as text, for signing.
    pub fn to_strings(&self) -> Vec<String> {
        self.0.iter().map(ToString::to_string).collect()
    }
}

impl Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_strings().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Scope {
    /// Canonical only: entries must already be sorted and distinct.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Vec::<String>::deserialize(d)?;
        let entries = raw
            .iter()
            .map(|e| ScopeEntry::parse(e))
            .collect::<Result<Vec<_>, _>>()
            .map_err(serde::de::Error::custom)?;
        let scope = Self::new(entries.clone()).map_err(serde::de::Error::custom)?;
        if scope.0 != entries || scope.to_strings() != raw {
            return Err(serde::de::Error::custom("scope is not in canonical order"));
        }
        Ok(scope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> FieldPath {
        FieldPath::parse(s).expect("valid")
    }

    #[test]
    fn prefix_covers_children_only() {
        let e = ScopeEntry::parse("needs.*").expect("parse");
        assert!(e.covers(&p("needs.housing")));
        assert!(e.covers(&p("needs.health.mental")));
        assert!(!e.covers(&p("needs")));
        assert!(!e.covers(&p("needsx.housing")));
        assert!(!e.covers(&p("identity.name")));
    }

    #[test]
    fn exact_entry_covers_only_itself() {
        let e = ScopeEntry::parse("identity.name").expect("parse");
        assert!(e.covers(&p("identity.name")));
        assert!(!e.covers(&p("identity.name.first")));
    }

    #[test]
    fn rejects_empty_and_everything() {
        assert_eq!(Scope::parse_list(""), Err(ScopeError::Empty));
        assert_eq!(Scope::parse_list(" , "), Err(ScopeError::Empty));
        assert!(matches!(
            Scope::parse_list("*"),
            Err(ScopeError::BadEntry { .. })
        ));
        assert!(matches!(
            Scope::parse_list(".*"),
            Err(ScopeError::BadEntry { .. })
        ));
        assert!(matches!(
            Scope::parse_list("Needs"),
            Err(ScopeError::BadEntry { .. })
        ));
    }

    #[test]
    fn sorts_and_dedups() {
        let s = Scope::parse_list("needs.*, identity.name,needs.*").expect("parse");
        assert_eq!(s.to_strings(), vec!["identity.name", "needs.*"]);
    }

    /// A path of exactly `len` characters, in segments of at most 32.
    fn path_of(len: usize) -> String {
        let mut s = String::new();
        while s.len() < len {
            if !s.is_empty() {
                s.push('.');
            }
            let n = (len - s.len()).min(32);
            s.push_str(&"a".repeat(n));
        }
        s
    }

    #[test]
    fn prefix_entry_path_is_limited_to_128_characters_without_its_star() {
        let longest = path_of(crate::path::MAX_PATH_LEN);
        assert_eq!(longest.len(), 128);
        // The path before `.*` is a field path: 128 characters at most, so
        // the entry itself may be 130.
        let entry = format!("{longest}.*");
        let scope = Scope::parse_list(&entry).expect("a 128-character prefix");
        assert_eq!(scope.to_strings(), vec![entry.clone()]);
        let bytes = postcard::to_allocvec(&vec![entry]).expect("encode");
        assert_eq!(
            postcard::from_bytes::<Scope>(&bytes).expect("decodes"),
            scope
        );
        // It covers no field: every field under it would be longer than 128.
        let too_long = path_of(129);
        assert!(matches!(
            Scope::parse_list(&format!("{too_long}.*")),
            Err(ScopeError::BadEntry {
                reason: PathError::TooLong,
                ..
            })
        ));
        let bytes = postcard::to_allocvec(&vec![format!("{too_long}.*")]).expect("encode");
        assert!(postcard::from_bytes::<Scope>(&bytes).is_err());
        // The same limit as a field entry.
        Scope::parse_list(&longest).expect("a 128-character field");
        assert!(Scope::parse_list(&too_long).is_err());
    }

    #[test]
    fn prefix_entry_of_eight_segments_is_accepted_though_it_covers_nothing() {
        let eight = "a.b.c.d.e.f.g.h";
        let e = ScopeEntry::parse(&format!("{eight}.*")).expect("eight segments and a star");
        assert!(!e.covers(&p(eight)));
        assert!(ScopeEntry::parse("a.b.c.d.e.f.g.h.i.*").is_err());
    }

    #[test]
    fn a_decoded_entry_must_be_written_exactly() {
        for raw in [" needs.*", "needs.* ", "needs .*", "Needs.*"] {
            let bytes = postcard::to_allocvec(&vec![raw]).expect("encode");
            assert!(postcard::from_bytes::<Scope>(&bytes).is_err(), "{raw:?}");
        }
    }

    #[test]
    fn deserialize_requires_canonical_order() {
        let bytes = postcard::to_allocvec(&vec!["needs.*", "identity.name"]).expect("encode");
        assert!(postcard::from_bytes::<Scope>(&bytes).is_err());
        let bytes = postcard::to_allocvec(&vec!["identity.name", "needs.*"]).expect("encode");
        assert!(postcard::from_bytes::<Scope>(&bytes).is_ok());
    }
}
