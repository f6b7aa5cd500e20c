//! Field paths and what is built on them: `FieldPath::parse`,
//! `ScopeEntry::parse` and `Scope::parse_list` (a token's scope),
//! `DocName::from_file_name` / `DocName::new` and `docname::safe_file_name`
//! (a shared document's name, which comes from someone else).
//!
//! Round trip: a path prints as its input; a scope prints as entries that
//! parse back to the same scope; a document name that is accepted is
//! accepted again as it is kept; a safe file name is its own safe name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vault_core::docname::{safe_file_name, DocName, MAX_SAFE_LEN};
use vault_core::{FieldPath, Scope, ScopeEntry};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = FieldPath::parse(text) {
        assert_eq!(p.as_str(), text);
        assert_eq!(p.to_string(), text);
        assert_eq!(p.segments().collect::<Vec<_>>().join("."), text);
        let json = serde_json::to_string(&p).expect("a path serialises");
        assert_eq!(serde_json::from_str::<FieldPath>(&json).ok(), Some(p));
    }
    if let Ok(e) = ScopeEntry::parse(text) {
        assert_eq!(ScopeEntry::parse(&e.to_string()), Ok(e));
    }
    if let Ok(scope) = Scope::parse_list(text) {
        let again = Scope::parse_list(&scope.to_strings().join(",")).expect("a scope reparses");
        assert_eq!(again, scope);
        let bytes = postcard::to_stdvec(&scope).expect("a scope serialises");
        assert_eq!(postcard::from_bytes::<Scope>(&bytes).ok(), Some(scope));
    }
    if let Ok(name) = DocName::from_file_name(text) {
        let again = DocName::new(name.name(), name.media_type()).expect("a kept name is accepted");
        assert_eq!(again, name);
    }
    let mid = (0..=text.len() / 2)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let (a, b) = text.split_at(mid);
    let _ = DocName::new(a, b);
    let safe = safe_file_name(Some(text), "document");
    assert!(!safe.is_empty());
    assert!(safe.len() <= MAX_SAFE_LEN, "a safe file name is too long");
    assert!(
        !safe.contains(['/', '\\']),
        "a safe file name has a separator"
    );
    assert!(
        !safe.starts_with(['.', ' ']),
        "a safe file name starts with a dot or space"
    );
    assert_eq!(
        safe_file_name(Some(&safe), "document"),
        safe,
        "a safe name is not its own safe name"
    );
});
