//! Upload bundles: a signed token and its sealed share in one file, as
//! `vault grant --bundle-out` writes them for the relay.
//!
//! ```text
//! bundle = "SVUB" ‖ 0x01 ‖ be64(n) ‖ sealed share (n bytes) ‖ token
//! ```
//!
//! A bundle holds nothing the relay may not see: the token's public
//! claims, its sealed claims, and the sealed share. It is not a secret.

/// Magic at the start of a bundle.
pub const MAGIC: &[u8; 4] = b"SVUB";
/// The bundle version this build writes and reads.
pub const VERSION: u8 = 1;

/// Why a bundle was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// Not a bundle, an unknown version, or cut short.
    #[error("{}", crate::msg!("bundle-malformed"))]
    Malformed,
}

/// Splits a bundle into (sealed share, token bytes). Neither is verified.
pub fn split(bytes: &[u8]) -> Result<(&[u8], &[u8]), BundleError> {
    let rest = bytes.strip_prefix(MAGIC).ok_or(BundleError::Malformed)?;
    let (&version, rest) = rest.split_first().ok_or(BundleError::Malformed)?;
    if version != VERSION || rest.len() < 8 {
        return Err(BundleError::Malformed);
    }
    let (len, rest) = rest.split_at(8);
    let len = u64::from_be_bytes(len.try_into().map_err(|_| BundleError::Malformed)?);
    let len = usize::try_from(len).map_err(|_| BundleError::Malformed)?;
    if rest.len() <= len {
        return Err(BundleError::Malformed);
    }
    Ok(rest.split_at(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_rejects_short_bundles() {
        let mut b = MAGIC.to_vec();
        b.push(VERSION);
        b.extend_from_slice(&3u64.to_be_bytes());
        b.extend_from_slice(b"abcTOKEN");
        assert_eq!(split(&b), Ok((&b"abc"[..], &b"TOKEN"[..])));
        assert_eq!(split(&b[..b.len() - 5]), Err(BundleError::Malformed));
        assert_eq!(split(b"SVUB"), Err(BundleError::Malformed));
        b[4] = 2;
        assert_eq!(split(&b), Err(BundleError::Malformed));
    }
}
