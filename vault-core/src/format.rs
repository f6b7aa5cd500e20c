//! Shared framing rules: `magic ‖ version ‖ postcard(body)`, decoded
//! canonically.
//!
//! postcard is neither self-describing nor canonical (a varint may be
//! written in more bytes than it needs), so decoding takes the value from
//! the front of the bytes, rejects any remainder, re-encodes, and requires
//! the very same bytes back. One value therefore has exactly one encoding.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why framed bytes were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// The bytes do not start with the expected magic.
    #[error("{}", crate::msg!("frame-bad-magic"))]
    BadMagic,
    /// A version this build does not know.
    #[error("{}", crate::msg!("frame-unknown-version"))]
    UnknownVersion,
    /// The body does not decode, has trailing bytes, or is not canonical.
    #[error("{}", crate::msg!("frame-malformed"))]
    Malformed,
}

/// Encodes `body` with postcard.
pub fn encode<T: Serialize>(body: &T) -> Vec<u8> {
    postcard::to_allocvec(body).expect("postcard encoding into a Vec cannot fail")
}

/// Decodes `bytes` as exactly one canonical `T`.
pub fn decode_canonical<T: Serialize + DeserializeOwned>(bytes: &[u8]) -> Result<T, FrameError> {
    let (value, rest): (T, &[u8]) =
        postcard::take_from_bytes(bytes).map_err(|_| FrameError::Malformed)?;
    if !rest.is_empty() || encode(&value) != bytes {
        return Err(FrameError::Malformed);
    }
    Ok(value)
}

/// `magic ‖ version ‖ postcard(body)`.
pub fn frame<T: Serialize>(magic: &[u8], version: u8, body: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(magic.len() + 1 + 64);
    out.extend_from_slice(magic);
    out.push(version);
    out.extend_from_slice(&encode(body));
    out
}

/// The inverse of [`frame`], canonical.
pub fn unframe<T: Serialize + DeserializeOwned>(
    magic: &[u8],
    version: u8,
    bytes: &[u8],
) -> Result<T, FrameError> {
    let rest = bytes.strip_prefix(magic).ok_or(FrameError::BadMagic)?;
    let (&v, body) = rest.split_first().ok_or(FrameError::Malformed)?;
    if v != version {
        return Err(FrameError::UnknownVersion);
    }
    decode_canonical(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_trailing_bytes() {
        let mut b = frame(b"TEST", 1, &7u32);
        b.push(0);
        assert_eq!(unframe::<u32>(b"TEST", 1, &b), Err(FrameError::Malformed));
    }

    #[test]
    fn rejects_non_canonical_varint() {
        // 0 written as a two-byte varint.
        let b = [b'T', b'E', b'S', b'T', 1, 0x80, 0x00];
        assert_eq!(unframe::<u32>(b"TEST", 1, &b), Err(FrameError::Malformed));
    }

    #[test]
    fn rejects_unknown_version_and_magic() {
        let b = frame(b"TEST", 2, &7u32);
        assert_eq!(
            unframe::<u32>(b"TEST", 1, &b),
            Err(FrameError::UnknownVersion)
        );
        assert_eq!(unframe::<u32>(b"NOPE", 1, &b), Err(FrameError::BadMagic));
    }

    #[test]
    fn round_trips() {
        let b = frame(b"TEST", 1, &(1u8, 300u32, String::from("x")));
        assert_eq!(
            unframe::<(u8, u32, String)>(b"TEST", 1, &b),
            Ok((1, 300, "x".into()))
        );
    }
}
