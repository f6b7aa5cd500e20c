//! A document's original file name and media type, and the name it is
//! saved under on the agency's side.
//!
//! `vault put FIELD --file PATH` keeps the file's name (the last part of
//! the path, as given) and a media type guessed from its extension,
//! sealed in the field's record ([`DocName`]); a share carries both to the
//! agency (`EntryKind::NamedDocument`). The name comes from someone else's
//! device, so the agency never uses it as it is: [`safe_file_name`] makes
//! it a plain file name for any system, and [`harmless_media_type`] lets
//! only types a browser shows without running anything through.
//!
//! ```
//! use vault_core::docname::{safe_file_name, numbered, DocName};
//!
//! let d = DocName::from_file_name("passport.jpg").unwrap();
//! assert_eq!(d.media_type(), "image/jpeg");
//! assert_eq!(safe_file_name(Some("../../etc/passwd"), "documents.id"), "passwd");
//! assert_eq!(safe_file_name(Some("CON.txt"), "documents.id"), "_CON.txt");
//! assert_eq!(numbered("passport.jpg", 2), "passport-2.jpg");
//! ```

use serde::{Deserialize, Serialize};

use crate::display::is_hidden;

/// The longest name kept, in bytes of UTF-8 (most file systems' limit).
pub const MAX_NAME_LEN: usize = 255;
/// The longest media type accepted in a share.
pub const MAX_MEDIA_TYPE_LEN: usize = 100;
/// The longest name [`safe_file_name`] gives, in bytes: room left for a
/// `-1000` suffix and for folders on systems that bound whole paths.
pub const MAX_SAFE_LEN: usize = 120;

/// The type of a file whose kind is not known.
pub const OCTET_STREAM: &str = "application/octet-stream";

/// Extensions (lower case) and the media type each names.
const TYPES: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("heic", "image/heic"),
    ("heif", "image/heif"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("txt", "text/plain"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("rtf", "application/rtf"),
];

/// Types a browser shows without running anything: offered as they are
/// by the agency's page; everything else is offered as [`OCTET_STREAM`].
const HARMLESS: &[&str] = &[
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "text/plain",
];

impl DocName {
    /// Overwrites both strings (a name can say a lot about a person).
    pub fn zeroize(&mut self) {
        use zeroize::Zeroize;
        self.name.zeroize();
        self.media_type.zeroize();
    }
}

/// Why a file name cannot be kept with a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// Nothing, or only spaces.
    #[error("{}", crate::msg!("name-empty"))]
    Empty,
    /// Over [`MAX_NAME_LEN`] bytes.
    #[error("{}", crate::msg!("name-too-long", max_name_len = MAX_NAME_LEN))]
    TooLong,
    /// A control, direction or invisible character ([`is_hidden`]).
    #[error("{}", crate::msg!("name-hidden"))]
    Hidden,
    /// `/` or `\`: a path, not a name.
    #[error("{}", crate::msg!("name-separator"))]
    Separator,
    /// `.` or `..`.
    #[error("{}", crate::msg!("name-dots"))]
    Dots,
    /// A media type that is not a short `type/subtype` in plain ASCII.
    #[error("{}", crate::msg!("name-media-type"))]
    MediaType,
}

/// A document's original file name and its media type, as kept in the
/// vault and carried in a share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocName {
    name: String,
    media_type: String,
}

impl DocName {
    /// The name `name` (checked by [`check_name`]) with the media type its
    /// extension names ([`media_type_for`]).
    pub fn from_file_name(name: &str) -> Result<Self, NameError> {
        check_name(name)?;
        Ok(Self {
            name: name.to_owned(),
            media_type: media_type_for(name).to_owned(),
        })
    }

    /// Both given, both checked ([`check_name`], [`check_media_type`]).
    pub fn new(name: &str, media_type: &str) -> Result<Self, NameError> {
        check_name(name)?;
        check_media_type(media_type)?;
        Ok(Self {
            name: name.to_owned(),
            media_type: media_type.to_owned(),
        })
    }

    /// The file name, as the survivor's file was called.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The media type, e.g. `image/jpeg`.
    pub fn media_type(&self) -> &str {
        &self.media_type
    }

    /// Both still pass the checks (for values decoded from bytes, which
    /// skip the constructors).
    pub fn is_valid(&self) -> bool {
        check_name(&self.name).is_ok() && check_media_type(&self.media_type).is_ok()
    }
}

/// A name kept with a document: 1 to [`MAX_NAME_LEN`] bytes, not only
/// spaces or dots, no `/` or `\`, nothing [`is_hidden`].
pub fn check_name(name: &str) -> Result<(), NameError> {
    if name.trim().is_empty() {
        return Err(NameError::Empty);
    }
    if name.len() > MAX_NAME_LEN {
        return Err(NameError::TooLong);
    }
    if name.chars().any(is_hidden) {
        return Err(NameError::Hidden);
    }
    if name.contains(['/', '\\']) {
        return Err(NameError::Separator);
    }
    if name.chars().all(|c| c == '.') {
        return Err(NameError::Dots);
    }
    Ok(())
}

/// A media type: `type/subtype`, at most [`MAX_MEDIA_TYPE_LEN`] bytes of
/// lower-case letters, digits and `.+-`.
pub fn check_media_type(t: &str) -> Result<(), NameError> {
    let ok_part = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".+-".contains(&b))
    };
    match t.split_once('/') {
        Some((a, b)) if t.len() <= MAX_MEDIA_TYPE_LEN && ok_part(a) && ok_part(b) => Ok(()),
        _ => Err(NameError::MediaType),
    }
}

/// The media type `name`'s extension names (any case), else
/// [`OCTET_STREAM`].
pub fn media_type_for(name: &str) -> &'static str {
    let Some((_, ext)) = name.rsplit_once('.') else {
        return OCTET_STREAM;
    };
    TYPES
        .iter()
        .find(|(e, _)| e.eq_ignore_ascii_case(ext))
        .map_or(OCTET_STREAM, |(_, t)| t)
}

/// `media_type` if a browser shows it without running anything (PDF,
/// JPEG, PNG, GIF, WebP, plain text), else [`OCTET_STREAM`].
pub fn harmless_media_type(media_type: &str) -> &'static str {
    HARMLESS
        .iter()
        .find(|t| **t == media_type)
        .copied()
        .unwrap_or(OCTET_STREAM)
}

/// Names Windows keeps for devices, whatever the extension.
fn is_reserved(stem: &str) -> bool {
    let s = stem.trim_end_matches([' ', '.']).to_ascii_uppercase();
    matches!(
        s.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) || ((s.starts_with("COM") || s.starts_with("LPT"))
        && s.len() == 4
        && s.as_bytes()[3].is_ascii_digit())
}

/// A file name that is safe to create on any system, made from a name
/// that came from someone else; `fallback` (a field path, which is
/// already safe) when there is none or nothing usable is left.
///
/// Only the last part after any `/` or `\` is kept; hidden and control
/// characters and `<>:"|?*` become `_`; leading dots and spaces and
/// trailing dots and spaces go (no hidden files, nothing Windows trims);
/// a Windows device name (`CON`, `nul.txt`, `COM1`, …) gets a leading
/// `_`; the result is at most [`MAX_SAFE_LEN`] bytes, keeping a short
/// extension.
pub fn safe_file_name(name: Option<&str>, fallback: &str) -> String {
    let Some(name) = name else {
        return fallback.to_owned();
    };
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let mut s: String = base
        .chars()
        .map(|c| {
            if is_hidden(c) || "<>:\"|?*".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    s = s
        .trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' '])
        .to_owned();
    if s.is_empty() {
        return fallback.to_owned();
    }
    let stem = s.split('.').next().unwrap_or("");
    if is_reserved(stem) {
        s.insert(0, '_');
    }
    // After the `_`, which may have made a name of exactly the limit one
    // byte longer (found by fuzzing, docs/fuzzing.md); shortening keeps
    // the start, so the stem stays `_CON…`.
    if s.len() > MAX_SAFE_LEN {
        s = shorten(&s, MAX_SAFE_LEN);
    }
    s
}

/// `name` cut to at most `max` bytes on a character boundary, keeping its
/// extension if that is short (at most 16 bytes).
fn shorten(name: &str, max: usize) -> String {
    let (stem, ext) = split_ext(name);
    let ext = if ext.len() <= 16 { ext } else { "" };
    let mut room = max - ext.len();
    while !stem.is_char_boundary(room.min(stem.len())) {
        room -= 1;
    }
    let stem = stem[..room.min(stem.len())].trim_end_matches(['.', ' ']);
    format!("{stem}{ext}")
}

/// `("passport", ".jpg")`; a name with no dot after its first character
/// has no extension.
fn split_ext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(i) if i > 0 => name.split_at(i),
        _ => (name, ""),
    }
}

/// The `n`th name tried for `name` when it is taken: `name` itself for 1,
/// then `passport-2.jpg`, `passport-3.jpg`, … (before the extension).
pub fn numbered(name: &str, n: u32) -> String {
    if n <= 1 {
        return name.to_owned();
    }
    let (stem, ext) = split_ext(name);
    format!("{stem}-{n}{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn knows_the_usual_types_and_nothing_else() {
        assert_eq!(media_type_for("scan.PDF"), "application/pdf");
        assert_eq!(media_type_for("a.b.jpeg"), "image/jpeg");
        assert_eq!(media_type_for("IMG_0001.HEIC"), "image/heic");
        assert_eq!(media_type_for("letter.docx").len(), 71);
        assert_eq!(media_type_for("README"), OCTET_STREAM);
        assert_eq!(media_type_for("page.html"), OCTET_STREAM);
        assert_eq!(media_type_for("x.svg"), OCTET_STREAM);
        for (_, t) in TYPES {
            assert_eq!(check_media_type(t), Ok(()));
        }
    }

    #[test]
    fn lets_only_harmless_types_through() {
        assert_eq!(harmless_media_type("image/png"), "image/png");
        assert_eq!(harmless_media_type("text/plain"), "text/plain");
        assert_eq!(harmless_media_type("text/html"), OCTET_STREAM);
        assert_eq!(harmless_media_type("image/svg+xml"), OCTET_STREAM);
        assert_eq!(harmless_media_type("image/heic"), OCTET_STREAM);
        assert_eq!(harmless_media_type("IMAGE/PNG"), OCTET_STREAM);
    }

    #[test]
    fn refuses_names_that_are_not_plain_names() {
        assert_eq!(check_name("passport.jpg"), Ok(()));
        assert_eq!(check_name("Pasaporte de María (2).pdf"), Ok(()));
        assert_eq!(check_name(""), Err(NameError::Empty));
        assert_eq!(check_name("   "), Err(NameError::Empty));
        assert_eq!(check_name("../../etc/passwd"), Err(NameError::Separator));
        assert_eq!(check_name("a\\b.pdf"), Err(NameError::Separator));
        assert_eq!(check_name("a\u{1b}[31mb.pdf"), Err(NameError::Hidden));
        assert_eq!(check_name("gpj\u{202e}exe.pdf"), Err(NameError::Hidden));
        assert_eq!(check_name(".."), Err(NameError::Dots));
        assert_eq!(check_name(&"a".repeat(255)), Ok(()));
        assert_eq!(check_name(&"a".repeat(256)), Err(NameError::TooLong));
        assert_eq!(check_name(&"é".repeat(128)), Err(NameError::TooLong));
        assert!(DocName::new("a.pdf", "Application/PDF").is_err());
        assert!(DocName::new("a.pdf", "application/pdf; x=1").is_err());
        assert!(DocName::new("a.pdf", "application/pdf").is_ok());
    }

    #[test]
    fn makes_hostile_names_safe() {
        let f = "documents.passport";
        assert_eq!(safe_file_name(Some("passport.jpg"), f), "passport.jpg");
        assert_eq!(safe_file_name(None, f), f);
        assert_eq!(safe_file_name(Some(""), f), f);
        assert_eq!(safe_file_name(Some("../../etc/passwd"), f), "passwd");
        assert_eq!(safe_file_name(Some("..\\..\\win.ini"), f), "win.ini");
        assert_eq!(safe_file_name(Some("dir/"), f), f);
        assert_eq!(safe_file_name(Some(".."), f), f);
        assert_eq!(safe_file_name(Some(".bashrc"), f), "bashrc");
        assert_eq!(safe_file_name(Some("a\u{1b}[31mb.pdf"), f), "a_[31mb.pdf");
        assert_eq!(safe_file_name(Some("a\u{202e}fdp.exe"), f), "a_fdp.exe");
        assert_eq!(safe_file_name(Some("CON.txt"), f), "_CON.txt");
        assert_eq!(safe_file_name(Some("nul"), f), "_nul");
        assert_eq!(safe_file_name(Some("com1.tar.gz"), f), "_com1.tar.gz");
        assert_eq!(safe_file_name(Some("console.txt"), f), "console.txt");
        assert_eq!(safe_file_name(Some("what?.pdf "), f), "what_.pdf");
        let long = format!("{}.pdf", "x".repeat(300));
        let s = safe_file_name(Some(&long), f);
        assert!(s.len() <= MAX_SAFE_LEN && s.ends_with(".pdf"), "{s}");
        let long = "é".repeat(150);
        let s = safe_file_name(Some(&long), f);
        assert!(
            s.len() <= MAX_SAFE_LEN && s.chars().all(|c| c == 'é'),
            "{s}"
        );
    }

    /// Found by fuzzing (`fuzz/regressions/field_paths/`): a long name
    /// whose stem is a device name was shortened to the limit, then given
    /// its `_`, one byte over; and asked again, it was cut once more.
    #[test]
    fn a_long_device_name_stays_within_the_limit() {
        let f = "documents.passport";
        for name in [
            format!("CON.t{}.pdf", "x".repeat(200)),
            format!("nul.{}.pdf", "y".repeat(130)),
        ] {
            let s = safe_file_name(Some(&name), f);
            assert!(s.len() <= MAX_SAFE_LEN, "{} bytes: {s}", s.len());
            assert!(s.starts_with('_'), "{s}");
            assert_eq!(safe_file_name(Some(&s), f), s);
        }
    }

    #[test]
    fn numbers_before_the_extension() {
        assert_eq!(numbered("passport.jpg", 1), "passport.jpg");
        assert_eq!(numbered("passport.jpg", 2), "passport-2.jpg");
        assert_eq!(numbered("scan.tar.gz", 3), "scan.tar-3.gz");
        assert_eq!(numbered("README", 2), "README-2");
    }

    proptest! {
        #[test]
        fn any_name_becomes_a_plain_file_name(name in "\\PC{0,300}|[./\\\\ \\x00-\\x1f]{0,20}") {
            let s = safe_file_name(Some(&name), "documents.x");
            prop_assert!(!s.is_empty() && s.len() <= MAX_SAFE_LEN + 1);
            prop_assert!(!s.contains(['/', '\\']));
            prop_assert!(!s.starts_with('.') && !s.ends_with(['.', ' ']));
            prop_assert!(!s.chars().any(is_hidden));
            prop_assert!(s != "documents.x" || check_name(&s).is_ok());
            prop_assert!(!is_reserved(s.split('.').next().unwrap_or("")));
            for n in 1..4 {
                let m = numbered(&s, n);
                prop_assert!(!m.contains(['/', '\\']) && !m.starts_with('.'));
            }
        }
    }
}
