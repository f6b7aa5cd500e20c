//! Share secrets and share links.
//!
//! A share link carries only two things: the relay's origin and the 256-bit
//! share secret, the secret in the URL fragment (which browsers never send
//! to a server):
//!
//! ```text
//! HTTPS://RELAY.EXAMPLE.ORG/S#<52 characters of RFC 4648 base32, no padding>
//! ```
//!
//! It is written in upper case so a QR code can carry almost all of it in
//! alphanumeric mode (5.5 bits a character); only `#` needs one byte-mode
//! character. Everything else — the token id, the key that opens the
//! claims, the key that opens the shared fields — is derived from the
//! secret with HKDF-SHA256 under its own label.
//!
//! Parsing is strict: the scheme must be `https` (or `http` for a relay on
//! this machine: `localhost`, `127.0.0.0/8`, `[::1]`), the path exactly
//! `/S`, the fragment exactly 52 base32 characters. Letters may be in
//! either case (a person may type a link), nothing else is forgiven.

use std::fmt;

use base32ct::{Base32UpperUnpadded, Encoding};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::crypto::{CryptoError, SecretKey};

const LABEL_TOKEN_ID: &[u8] = b"survivor-vault/v1/share/token-id";
const LABEL_CLAIMS_KEY: &[u8] = b"survivor-vault/v1/share/claims-key";
const LABEL_PAYLOAD_KEY: &[u8] = b"survivor-vault/v1/share/payload-key";

/// Characters of base32 for 32 bytes, without padding.
pub const SECRET_TEXT_LEN: usize = 52;
/// Longest host (with port) accepted in a link.
pub const MAX_HOST_LEN: usize = 253;

/// A token id: public, derived from the share secret.
pub type TokenId = [u8; 32];

/// The 256-bit secret of one share. Whoever holds it can read the share.
#[derive(Clone)]
pub struct ShareSecret(SecretKey);

impl fmt::Debug for ShareSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ShareSecret(..)")
    }
}

impl ShareSecret {
    /// A fresh secret from the system CSPRNG.
    pub fn generate() -> Result<Self, CryptoError> {
        Ok(Self(SecretKey::generate()?))
    }

    /// The secret with these bytes (for vectors and parsing).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(SecretKey::from_bytes(bytes))
    }

    /// The raw bytes. Keep the borrow short.
    pub fn expose(&self) -> &[u8; 32] {
        self.0.expose()
    }

    /// HKDF-SHA256(secret, info = `survivor-vault/v1/share/token-id`).
    pub fn token_id(&self) -> TokenId {
        *self
            .0
            .derive(b"", &[LABEL_TOKEN_ID])
            .expect("HKDF-SHA256 can always give 32 bytes")
            .expose()
    }

    /// The key that seals the token's private claims.
    pub fn claims_key(&self) -> SecretKey {
        self.0
            .derive(b"", &[LABEL_CLAIMS_KEY])
            .expect("HKDF-SHA256 can always give 32 bytes")
    }

    /// The key that seals the shared fields.
    pub fn payload_key(&self) -> SecretKey {
        self.0
            .derive(b"", &[LABEL_PAYLOAD_KEY])
            .expect("HKDF-SHA256 can always give 32 bytes")
    }
}

/// Why a link was refused. Every variant is reported as `bad_link`; the
/// message says what is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LinkError {
    /// Not `https://` (or `http://` to this machine).
    #[error("{}", crate::msg!("link-scheme"))]
    Scheme,
    /// `http://` to another machine would expose the request.
    #[error("{}", crate::msg!("link-insecure"))]
    Insecure,
    /// Empty, too long, or with characters a host name cannot have.
    #[error("{}", crate::msg!("link-host"))]
    Host,
    /// Path other than `/S`.
    #[error("{}", crate::msg!("link-path"))]
    Path,
    /// No `#` or nothing after it.
    #[error("{}", crate::msg!("link-missing-secret"))]
    MissingSecret,
    /// Characters outside base32, or padding.
    #[error("{}", crate::msg!("link-encoding"))]
    Encoding,
    /// Base32 of the wrong length.
    #[error("{}", crate::msg!("link-length"))]
    Length,
}

impl LinkError {
    /// The stable code for this refusal.
    pub fn kind(&self) -> &'static str {
        "bad_link"
    }

    /// Which rule of the link the text broke (the `reason` of a link test
    /// vector): `scheme`, `insecure`, `host`, `path`, `missing_secret`,
    /// `encoding` or `length`.
    pub fn rule(&self) -> &'static str {
        match self {
            Self::Scheme => "scheme",
            Self::Insecure => "insecure",
            Self::Host => "host",
            Self::Path => "path",
            Self::MissingSecret => "missing_secret",
            Self::Encoding => "encoding",
            Self::Length => "length",
        }
    }
}

/// A parsed share link.
#[derive(Clone)]
pub struct ShareLink {
    scheme: &'static str,
    host: String,
    secret: ShareSecret,
}

impl fmt::Debug for ShareLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ShareLink({}://{}/S#..)", self.scheme, self.host)
    }
}

fn is_loopback(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => return v6.split(']').next() == Some("::1"),
        None => host.split(':').next().unwrap_or(""),
    };
    if name == "localhost" {
        return true;
    }
    // 127.0.0.0/8, written as four decimal octets.
    let octets: Vec<&str> = name.split('.').collect();
    octets.len() == 4
        && octets[0] == "127"
        && octets.iter().all(|o| {
            !o.is_empty()
                && o.len() <= 3
                && o.bytes().all(|b| b.is_ascii_digit())
                && o.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// A port: 1 to 65535, digits only.
fn valid_port(p: &str) -> bool {
    !p.is_empty()
        && p.len() <= 5
        && p.bytes().all(|b| b.is_ascii_digit())
        && p.parse::<u32>().is_ok_and(|n| (1..=65_535).contains(&n))
}

fn valid_host(host: &str) -> bool {
    if host.is_empty() || host.len() > MAX_HOST_LEN {
        return false;
    }
    if let Some(v6) = host.strip_prefix('[') {
        let Some((addr, rest)) = v6.split_once(']') else {
            return false;
        };
        let port_ok = rest.is_empty() || rest.strip_prefix(':').is_some_and(valid_port);
        return !addr.is_empty()
            && addr.bytes().all(|b| b.is_ascii_hexdigit() || b == b':')
            && port_ok;
    }
    let (name, port) = match host.split_once(':') {
        Some((n, p)) => (n, Some(p)),
        None => (host, None),
    };
    let port_ok = port.is_none_or(valid_port);
    !name.is_empty()
        && port_ok
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

impl ShareLink {
    /// A link to `origin` (`https://host[:port]`, or `http://` to this
    /// machine) carrying `secret`.
    pub fn new(origin: &str, secret: ShareSecret) -> Result<Self, LinkError> {
        let (scheme, host) = split_origin(origin.trim_end_matches('/'))?;
        Ok(Self {
            scheme,
            host,
            secret,
        })
    }

    /// Parses a link (see the module docs for the rule).
    pub fn parse(s: &str) -> Result<Self, LinkError> {
        let s = s.trim();
        let (origin_and_path, fragment) = s.split_once('#').ok_or(LinkError::MissingSecret)?;
        let (origin, path) = {
            let after_scheme = origin_and_path
                .find("://")
                .map(|i| i + 3)
                .ok_or(LinkError::Scheme)?;
            match origin_and_path[after_scheme..].find('/') {
                Some(i) => origin_and_path.split_at(after_scheme + i),
                None => return Err(LinkError::Path),
            }
        };
        let (scheme, host) = split_origin(origin)?;
        if !path.eq_ignore_ascii_case("/s") {
            return Err(LinkError::Path);
        }
        if fragment.is_empty() {
            return Err(LinkError::MissingSecret);
        }
        let upper = Zeroizing::new(fragment.to_ascii_uppercase());
        if !upper
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
        {
            return Err(LinkError::Encoding);
        }
        if upper.len() != SECRET_TEXT_LEN {
            return Err(LinkError::Length);
        }
        let mut secret = Zeroizing::new([0u8; 32]);
        let got = Base32UpperUnpadded::decode(upper.as_bytes(), &mut secret[..])
            .map_err(|_| LinkError::Encoding)?
            .len();
        if got != secret.len() {
            return Err(LinkError::Length);
        }
        // One text per secret: the 4 unused bits of the last character
        // must be zero (the decoder ignores them), checked by writing the
        // secret again, in constant time.
        let mut again = Zeroizing::new([0u8; SECRET_TEXT_LEN]);
        let canonical = Base32UpperUnpadded::encode(&secret[..], &mut again[..])
            .map_err(|_| LinkError::Encoding)?
            .as_bytes()
            .ct_eq(upper.as_bytes());
        if !bool::from(canonical) {
            return Err(LinkError::Encoding);
        }
        let secret: [u8; 32] = *secret;
        Ok(Self {
            scheme,
            host,
            secret: ShareSecret::from_bytes(secret),
        })
    }

    /// The relay origin, lower case: `https://relay.example.org`.
    pub fn origin(&self) -> String {
        format!("{}://{}", self.scheme, self.host)
    }

    /// The share secret.
    pub fn secret(&self) -> &ShareSecret {
        &self.secret
    }

    /// The token id the secret derives.
    pub fn token_id(&self) -> TokenId {
        self.secret.token_id()
    }

    /// The link text, upper case, for QR codes and copying. It contains the
    /// secret: show it only to the person it is for.
    pub fn to_text(&self) -> Zeroizing<String> {
        let mut secret = Zeroizing::new([0u8; SECRET_TEXT_LEN]);
        let secret = Base32UpperUnpadded::encode(self.secret.expose(), &mut secret[..])
            .expect("52 characters hold 32 bytes in base32");
        Zeroizing::new(format!(
            "{}://{}/S#{secret}",
            self.scheme.to_ascii_uppercase(),
            self.host.to_ascii_uppercase(),
        ))
    }
}

fn split_origin(origin: &str) -> Result<(&'static str, String), LinkError> {
    let (scheme, host) = origin.split_once("://").ok_or(LinkError::Scheme)?;
    let host = host.to_ascii_lowercase();
    if !valid_host(&host) {
        return Err(LinkError::Host);
    }
    let scheme = if scheme.eq_ignore_ascii_case("https") {
        "https"
    } else if scheme.eq_ignore_ascii_case("http") {
        if !is_loopback(&host) {
            return Err(LinkError::Insecure);
        }
        "http"
    } else {
        return Err(LinkError::Scheme);
    };
    Ok((scheme, host))
}

/// Checks an origin given on the command line (`https://host[:port]`).
pub fn check_origin(origin: &str) -> Result<String, LinkError> {
    let (scheme, host) = split_origin(origin.trim_end_matches('/'))?;
    Ok(format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> ShareSecret {
        ShareSecret::from_bytes([0x5a; 32])
    }

    #[test]
    fn round_trips_in_upper_case() {
        let link = ShareLink::new("https://relay.example.org", secret()).expect("link");
        let text = link.to_text();
        assert!(text.starts_with("HTTPS://RELAY.EXAMPLE.ORG/S#"));
        assert_eq!(
            text.len(),
            "HTTPS://RELAY.EXAMPLE.ORG/S#".len() + SECRET_TEXT_LEN
        );
        let back = ShareLink::parse(&text).expect("parse");
        assert_eq!(back.secret().expose(), secret().expose());
        assert_eq!(back.origin(), "https://relay.example.org");
        // People type links in lower case too.
        let lower = ShareLink::parse(&text.to_lowercase()).expect("parse lower");
        assert_eq!(lower.token_id(), link.token_id());
    }

    #[test]
    fn rejects_lookalike_loopback_and_bad_ports() {
        for origin in [
            "http://127.evil.example.org",
            "http://127.0.0.256:80",
            "http://127.0.0.1.example.org",
        ] {
            assert!(ShareLink::new(origin, secret()).is_err(), "{origin}");
        }
        for origin in [
            "https://relay.example.org:0",
            "https://relay.example.org:99999",
            "https://relay.example.org:",
        ] {
            assert_eq!(
                ShareLink::new(origin, secret()).err(),
                Some(LinkError::Host),
                "{origin}"
            );
        }
    }

    #[test]
    fn accepts_http_only_to_this_machine() {
        for origin in [
            "http://127.0.0.1:8080",
            "http://localhost:9",
            "http://[::1]:8080",
        ] {
            ShareLink::new(origin, secret()).expect(origin);
        }
        assert_eq!(
            ShareLink::new("http://relay.example.org", secret()).err(),
            Some(LinkError::Insecure)
        );
    }

    #[test]
    fn rejects_bad_links() {
        let good = ShareLink::new("https://relay.example.org", secret())
            .expect("link")
            .to_text()
            .to_string();
        let (head, frag) = good.split_once('#').expect("has #");
        let cases = [
            (format!("FTP://X/S#{frag}"), LinkError::Scheme),
            (format!("relay.example.org/S#{frag}"), LinkError::Scheme),
            (
                format!("HTTPS://RELAY.EXAMPLE.ORG/T#{frag}"),
                LinkError::Path,
            ),
            (
                format!("HTTPS://RELAY.EXAMPLE.ORG/S/#{frag}"),
                LinkError::Path,
            ),
            (format!("HTTPS://RELAY.EXAMPLE.ORG#{frag}"), LinkError::Path),
            (format!("HTTPS://RELAY EXAMPLE/S#{frag}"), LinkError::Host),
            (head.to_string(), LinkError::MissingSecret),
            (format!("{head}#"), LinkError::MissingSecret),
            (format!("{head}#{}", &frag[..51]), LinkError::Length),
            (format!("{head}#{frag}A"), LinkError::Length),
            (format!("{head}#{}1", &frag[..51]), LinkError::Encoding),
            (format!("{head}#{frag}===="), LinkError::Encoding),
        ];
        for (text, want) in cases {
            assert_eq!(ShareLink::parse(&text).err(), Some(want), "{text}");
        }
    }

    fn frag() -> String {
        let text = ShareLink::new("https://relay.example.org", secret())
            .expect("link")
            .to_text()
            .to_string();
        text.split_once('#').expect("has #").1.to_string()
    }

    #[test]
    fn accepts_ipv6_literals_with_and_without_a_port() {
        let f = frag();
        for (text, origin) in [
            (
                format!("HTTPS://[2001:DB8::1]:8443/S#{f}"),
                "https://[2001:db8::1]:8443",
            ),
            (
                format!("https://[2001:db8::1]/s#{f}"),
                "https://[2001:db8::1]",
            ),
            (format!("HTTP://[::1]:65535/S#{f}"), "http://[::1]:65535"),
        ] {
            let link = ShareLink::parse(&text).expect(&text);
            assert_eq!(link.origin(), origin);
            // Written back in upper case, it parses to the same origin.
            let again = ShareLink::parse(&link.to_text()).expect("canonical");
            assert_eq!(again.origin(), origin);
        }
    }

    #[test]
    fn refuses_ipv6_literals_outside_the_rule() {
        let f = frag();
        for host in [
            "[::1]:0",            // port 0
            "[::1]:65536",        // port out of range
            "[::1]:",             // empty port
            "[::1]8080",          // no colon before the port
            "[fe80::1%25eth0]",   // a zone
            "[::ffff:127.0.0.1]", // an embedded IPv4 address
            "[]",                 // empty
            "[::1",               // unclosed
            "::1",                // no brackets (read as name ":1")
        ] {
            let text = format!("https://{host}/S#{f}");
            assert_eq!(
                ShareLink::parse(&text).err(),
                Some(LinkError::Host),
                "{text}"
            );
        }
        // Only `[::1]` itself is this machine for `http`.
        for host in ["[0:0:0:0:0:0:0:1]", "[::2]"] {
            let text = format!("http://{host}/S#{f}");
            assert_eq!(
                ShareLink::parse(&text).err(),
                Some(LinkError::Insecure),
                "{text}"
            );
        }
    }

    #[test]
    fn folds_case_in_ascii_only() {
        let f = frag();
        // Kelvin sign (U+212A) lower-cases to `k` in Unicode, not in ASCII.
        let text = format!("https://\u{212a}elay.example.org/S#{f}");
        assert_eq!(ShareLink::parse(&text).err(), Some(LinkError::Host));
        // Long s (U+017F) upper-cases to `S` in Unicode, not in ASCII.
        let text = format!("https://relay.example.org/\u{17f}#{f}");
        assert_eq!(ShareLink::parse(&text).err(), Some(LinkError::Path));
        let text = format!("https://relay.example.org/S#{}\u{17f}", &f[..51]);
        assert_eq!(ShareLink::parse(&text).err(), Some(LinkError::Encoding));
        // Dotless i (U+0131) upper-cases to `I` in Unicode, not in ASCII.
        let text = format!("https://relay.example.org/S#\u{131}{}", &f[1..]);
        assert_eq!(ShareLink::parse(&text).err(), Some(LinkError::Encoding));
        // Every ASCII letter folds, in any mix.
        let mixed: String = format!("hTtPs://ReLaY.eXaMpLe.OrG/s#{}", f.to_lowercase());
        let link = ShareLink::parse(&mixed).expect("mixed case");
        assert_eq!(link.origin(), "https://relay.example.org");
        assert_eq!(link.secret().expose(), secret().expose());
    }

    #[test]
    fn trims_unicode_whitespace_around_the_link_only() {
        let good = ShareLink::new("https://relay.example.org", secret())
            .expect("link")
            .to_text()
            .to_string();
        // Rust's `str::trim`: the Unicode White_Space characters.
        for ws in [
            " ", "\t", "\n", "\r\n", "\u{b}", "\u{c}", "\u{85}", "\u{a0}", "\u{1680}", "\u{2000}",
            "\u{200a}", "\u{2028}", "\u{2029}", "\u{202f}", "\u{205f}", "\u{3000}",
        ] {
            let text = format!("{ws}{good}{ws}");
            ShareLink::parse(&text).unwrap_or_else(|e| panic!("{ws:?}: {e:?}"));
        }
        // Not whitespace to Unicode: zero-width space, byte order mark.
        for other in ["\u{200b}", "\u{feff}"] {
            assert!(
                ShareLink::parse(&format!("{good}{other}")).is_err(),
                "{other:?}"
            );
            assert!(
                ShareLink::parse(&format!("{other}{good}")).is_err(),
                "{other:?}"
            );
        }
        // Whitespace inside the link is not removed.
        let (head, f) = good.split_once('#').expect("has #");
        assert_eq!(
            ShareLink::parse(&format!("{head}# {f}")).err(),
            Some(LinkError::Encoding)
        );
        assert_eq!(
            ShareLink::parse(&format!("{head}#{} {}", &f[..26], &f[26..])).err(),
            Some(LinkError::Encoding)
        );
    }

    #[test]
    fn host_limit_counts_the_port_and_brackets() {
        let f = frag();
        // 4 labels of 61 and 3 dots: 247 characters, then ":44300" = 253.
        let name = vec!["a".repeat(61); 4].join(".");
        assert_eq!(name.len(), 247);
        let text = format!("https://{name}:44300/S#{f}");
        ShareLink::parse(&text).expect("253 characters with the port");
        let text = format!("https://{name}:443000/S#{f}");
        assert_eq!(ShareLink::parse(&text).err(), Some(LinkError::Host));
        let text = format!("https://{name}a:44300/S#{f}");
        assert_eq!(ShareLink::parse(&text).err(), Some(LinkError::Host));
    }

    #[test]
    fn check_origin_takes_trailing_slashes_but_no_whitespace() {
        assert_eq!(
            check_origin("HTTPS://Relay.Example.Org//").as_deref(),
            Ok("https://relay.example.org")
        );
        assert_eq!(
            check_origin(" https://relay.example.org").err(),
            Some(LinkError::Scheme)
        );
        assert_eq!(
            check_origin("https://relay.example.org ").err(),
            Some(LinkError::Host)
        );
    }

    #[test]
    fn writes_the_secret_in_rfc_4648_base32_and_reads_it_back() {
        // RFC 4648 §10's "foobar" vectors, and 32 bytes counted out.
        for (bytes, text) in [
            (&b""[..], ""),
            (b"f", "MY"),
            (b"fo", "MZXQ"),
            (b"foo", "MZXW6"),
            (b"foob", "MZXW6YQ"),
            (b"fooba", "MZXW6YTB"),
            (b"foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(Base32UpperUnpadded::encode_string(bytes), text);
        }
        let mut counted = [0u8; 32];
        for (i, b) in counted.iter_mut().enumerate() {
            *b = i as u8;
        }
        let link = ShareLink::new(
            "https://relay.example.org",
            ShareSecret::from_bytes(counted),
        )
        .expect("link");
        let text = link.to_text().to_string();
        assert_eq!(
            text,
            "HTTPS://RELAY.EXAMPLE.ORG/S#AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPQ"
        );
        let back = ShareLink::parse(&text.to_lowercase()).expect("lower case is read too");
        assert_eq!(back.secret().expose(), &counted);
    }

    #[test]
    fn rejects_a_second_spelling_of_the_same_secret() {
        // 52 characters hold 260 bits: the last character's low 4 bits
        // are unused and must be zero, so a secret has one text only.
        let good = ShareLink::new("https://relay.example.org", secret())
            .expect("link")
            .to_text()
            .to_string();
        let last = good.chars().last().expect("a character");
        const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let value = ALPHABET.find(last).expect("base32");
        assert_eq!(value & 0x0f, 0, "{good}");
        for other in 1..16 {
            let c = ALPHABET.as_bytes()[value | other] as char;
            let text = format!("{}{c}", &good[..good.len() - 1]);
            assert_eq!(
                ShareLink::parse(&text).err(),
                Some(LinkError::Encoding),
                "{text}"
            );
        }
    }

    #[test]
    fn derivations_are_distinct() {
        let s = secret();
        let id = s.token_id();
        assert_ne!(&id, s.claims_key().expose());
        assert_ne!(s.claims_key().expose(), s.payload_key().expose());
        assert_ne!(&id, s.expose());
    }
}
