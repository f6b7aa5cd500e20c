//! A small blocking client for the relay. Every answer is either a
//! decoded body, a refusal with its stable code, or "unreachable" — a
//! network or server failure is never mistaken for a yes.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use vault_core::relay::api::{ErrorBody, UploadResponse, H_TOKEN, UPLOAD_CONTENT_TYPE};
use vault_core::relay::{request, Refusal};
use vault_core::{msg, Identity};

use crate::error::{CliError, Code};

/// Largest answer read (a redemption carries the sealed share).
const MAX_ANSWER: u64 = 80 * 1024 * 1024;

/// The relay at one origin.
pub struct Relay {
    origin: String,
    agent: ureq::Agent,
    /// Seconds to add to this computer's clock when signing, once the
    /// relay said its time in a `clock_skew` refusal (0 until then).
    clock_offset: std::cell::Cell<i64>,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Relay({})", self.origin)
    }
}

/// A request body: its content type, headers that go with it, its bytes.
#[derive(Clone)]
struct Body<'a> {
    content_type: &'static str,
    extra: Vec<(&'static str, String)>,
    bytes: &'a [u8],
}

/// What went wrong talking to the relay.
#[derive(Debug)]
pub enum ClientError {
    /// The relay said no, with a stable code.
    Refused(Refusal),
    /// The relay said no and said more: `clock_skew` with its time,
    /// `no_permission` with when the permission ended.
    Detailed {
        /// The refusal.
        refusal: Refusal,
        /// `clock_skew`: the relay's time.
        relay_time: Option<u64>,
        /// `no_permission`: when the delegation ran out, if it existed.
        ended_at: Option<u64>,
    },
    /// No usable answer, for a reason that can be told plainly: the
    /// outcome is unknown.
    Trouble(Trouble),
}

/// Why there was no usable answer, in terms a person can act on. The
/// transport's own wording (`timeout: global`, `the response body is
/// larger than request limit: 83886080`) is never shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trouble {
    /// No connection could be made (nothing listens there, the name is
    /// unknown, the network is down, or connecting took too long), so the
    /// request was never sent.
    NoConnection,
    /// The connection broke after the request may have been sent: the
    /// relay may have acted on it.
    Lost,
    /// No complete answer within [`TIME_LIMIT`], after the request may
    /// have been sent.
    Timeout,
    /// The secure connection could not be made (https only).
    Tls,
    /// An answer larger than any the relay gives ([`MAX_ANSWER`]).
    TooLarge,
    /// An answer that is not the relay's: HTTP status, if any.
    NotTheRelay(Option<u16>),
    /// A redirect, to where (as sent, not yet made safe to show). Never
    /// followed: the signed headers would go to whoever it names.
    Redirect(String),
    /// No random numbers to sign the request with; nothing was sent.
    NoRandom,
}

/// How long one request may take, answer included.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// How long finding the relay and connecting to it may take.
const CONNECT_LIMIT: Duration = Duration::from_secs(20);

impl ClientError {
    /// As a CLI error; `what` names the action for "unknown" outcomes.
    pub fn into_cli(self, origin: &str, what: &str) -> CliError {
        let trouble = match self {
            Self::Refused(r) => return refused(r, None, None),
            Self::Detailed {
                refusal,
                relay_time,
                ended_at,
            } => return refused(refusal, relay_time, ended_at),
            Self::Trouble(t) => t,
        };
        let unknown =
            |kind: &'static str, text: String| CliError::new(Code::Unreachable, kind, text);
        match trouble {
            // Before anything was sent, the outcome is known: nothing happened.
            Trouble::NoConnection => unknown(
                "relay_unreachable",
                msg!("relay-unreachable", origin = origin),
            ),
            Trouble::Lost => unknown(
                "status_unknown",
                msg!("relay-lost", origin = origin, what = what),
            ),
            Trouble::Timeout => unknown(
                "status_unknown",
                msg!(
                    "relay-timeout",
                    origin = origin,
                    seconds = TIME_LIMIT.as_secs(),
                    what = what
                ),
            ),
            Trouble::Tls => unknown("relay_unreachable", msg!("relay-tls", origin = origin)),
            Trouble::TooLarge => unknown(
                "status_unknown",
                msg!(
                    "relay-answer-too-large",
                    origin = origin,
                    mib = MAX_ANSWER / (1024 * 1024),
                    what = what
                ),
            ),
            Trouble::NotTheRelay(Some(status)) if status >= 500 => unknown(
                "status_unknown",
                msg!(
                    "relay-trouble",
                    origin = origin,
                    status = u64::from(status),
                    what = what
                ),
            ),
            Trouble::NotTheRelay(status) => unknown(
                "status_unknown",
                match status {
                    Some(status) => msg!(
                        "relay-not-understood-status",
                        origin = origin,
                        status = u64::from(status),
                        what = what
                    ),
                    None => msg!("relay-not-understood", origin = origin, what = what),
                },
            ),
            Trouble::Redirect(to) => unknown(
                "relay_redirect",
                msg!(
                    "relay-redirect",
                    origin = origin,
                    to = shown_location(&to),
                    what = what
                ),
            ),
            Trouble::NoRandom => CliError::new(Code::Failure, "random", msg!("relay-no-random")),
        }
    }

    /// The refusal, if the relay refused.
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            Self::Refused(r) | Self::Detailed { refusal: r, .. } => Some(*r),
            Self::Trouble(_) => None,
        }
    }

    /// Sorts a transport error into a [`Trouble`].
    pub fn from_ureq(e: ureq::Error) -> Self {
        Self::Trouble(trouble(&e))
    }
}

/// A refusal as a CLI error: the relay's plain words, except for the two
/// refusals that say more. A wrong clock is said the way the agency's page
/// says it (`vault_core::words`), with how far off it is; a missing or
/// ended permission has its own exit code (11), never "not found".
fn refused(r: Refusal, relay_time: Option<u64>, ended_at: Option<u64>) -> CliError {
    match r {
        // A signed request (an agency's redemption says it its own way).
        Refusal::ClockSkew => CliError::new(
            Code::Refused,
            r.code(),
            match relay_time {
                Some(t) => {
                    let off = i128::from(vault_core::time::now()) - i128::from(t);
                    let (minutes, direction) = clock_words(i64::try_from(off).unwrap_or(i64::MAX));
                    vault_core::msg!(
                        "request-clock-skew",
                        minutes = minutes,
                        direction = direction
                    )
                }
                None => vault_core::msg!("request-clock-skew-unknown"),
            },
        ),
        Refusal::NoPermission => CliError::new(
            Code::NoPermission,
            r.code(),
            match ended_at {
                Some(t) => msg!("permission-ended-on", ended = crate::local::long(t)),
                None => msg!("permission-none"),
            },
        ),
        _ => CliError::new(Code::Refused, r.code(), r.message()),
    }
}

/// How far this computer's clock is from the relay's, `off` seconds ahead
/// (negative: behind), as whole minutes (at least 1) and `ahead`/`behind`.
fn clock_words(off: i64) -> (u64, &'static str) {
    let minutes = (off.unsigned_abs().saturating_add(30) / 60).max(1);
    (minutes, if off > 0 { "ahead" } else { "behind" })
}

fn trouble(e: &ureq::Error) -> Trouble {
    use std::io::ErrorKind as K;
    match e {
        // Finding the host or connecting took too long: nothing was sent.
        ureq::Error::Timeout(ureq::Timeout::Resolve | ureq::Timeout::Connect) => {
            Trouble::NoConnection
        }
        ureq::Error::Timeout(_) => Trouble::Timeout,
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => Trouble::NoConnection,
        ureq::Error::BodyExceedsLimit(_) | ureq::Error::LargeResponseHeader(..) => {
            Trouble::TooLarge
        }
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::TlsRequired => Trouble::Tls,
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => {
            Trouble::Redirect(String::new())
        }
        ureq::Error::Io(io) => match io.get_ref().and_then(|i| i.downcast_ref::<ureq::Error>()) {
            // Errors from reading the body come back wrapped in io::Error.
            Some(inner) => trouble(inner),
            None => match io.kind() {
                K::TimedOut | K::WouldBlock => Trouble::Timeout,
                // The connection was never made.
                K::ConnectionRefused
                | K::AddrNotAvailable
                | K::HostUnreachable
                | K::NetworkUnreachable
                | K::NetworkDown => Trouble::NoConnection,
                // It was made, then broke: the request may have arrived.
                K::ConnectionReset
                | K::ConnectionAborted
                | K::NotConnected
                | K::BrokenPipe
                | K::UnexpectedEof => Trouble::Lost,
                _ => Trouble::NotTheRelay(None),
            },
        },
        _ => Trouble::NotTheRelay(None),
    }
}

/// A redirect target as it may be shown: control and invisible
/// characters made visible, at most 200 characters.
fn shown_location(to: &str) -> String {
    const MAX: usize = 200;
    if to.is_empty() {
        return "another address".to_owned();
    }
    let shown = vault_core::display::visible(to);
    match shown.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &shown[..i]),
        None => shown.into_owned(),
    }
}

/// `Some(Trouble::Redirect)` if `res` is a redirect (3xx): the relay never
/// redirects, and following one would re-send signed headers elsewhere.
pub fn redirect<B>(res: &ureq::http::Response<B>) -> Option<Trouble> {
    if !res.status().is_redirection() {
        return None;
    }
    let to = res
        .headers()
        .get("location")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    Some(Trouble::Redirect(to))
}

impl Relay {
    /// A client for `origin` (already checked).
    pub fn new(origin: &str) -> Self {
        Self::with_time_limit(origin, TIME_LIMIT)
    }

    /// A client whose requests give up after `limit`: for questions whose
    /// answer is only nice to have, asked after the real work is done.
    pub fn with_time_limit(origin: &str, limit: Duration) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // Never follow a redirect: it would send the signed headers
            // (the survivor's main id and a fresh signature) to another
            // host and trust its answer. A 3xx is reported instead.
            .max_redirects(0)
            .timeout_global(Some(limit))
            // A connection not made within this is reported as "nothing
            // was sent", which only a connect-stage limit can tell apart.
            .timeout_resolve(Some(CONNECT_LIMIT.min(limit)))
            .timeout_connect(Some(CONNECT_LIMIT.min(limit)))
            .build()
            .into();
        Self {
            origin: origin.trim_end_matches('/').to_owned(),
            agent,
            clock_offset: std::cell::Cell::new(0),
        }
    }

    /// The origin.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Sends a request. A signed request refused because this computer's
    /// clock is more than 5 minutes from the relay's is signed again, once,
    /// with the relay's time, and the person is told to correct the clock:
    /// withdrawing in a hurry must not fail on a wrong clock. An upload is
    /// not: its consent token's times came from the same wrong clock, so
    /// the person corrects the clock and shares again.
    fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Option<Body<'_>>,
        signer: Option<&Identity>,
    ) -> Result<T, ClientError> {
        let upload = method == "POST" && path == "/v1/shares";
        match self.call_once(method, path, body.clone(), signer) {
            Err(ClientError::Detailed {
                refusal: Refusal::ClockSkew,
                relay_time: Some(relay),
                ..
            }) if signer.is_some() && !upload && self.clock_offset.get() == 0 => {
                let here = vault_core::time::now();
                let offset = i64::try_from(i128::from(relay) - i128::from(here)).unwrap_or(0);
                self.clock_offset.set(offset);
                let (minutes, direction) = clock_words(-offset);
                eprintln!(
                    "{}",
                    crate::output::wrap_for_stderr(&vault_core::msg!(
                        "request-clock-corrected",
                        minutes = minutes,
                        direction = direction
                    ))
                );
                self.call_once(method, path, body, signer)
            }
            other => other,
        }
    }

    fn call_once<T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Option<Body<'_>>,
        signer: Option<&Identity>,
    ) -> Result<T, ClientError> {
        let url = format!("{}{path}", self.origin);
        let body = body.unwrap_or(Body {
            content_type: "application/json",
            extra: Vec::new(),
            bytes: &[],
        });
        let bytes = body.bytes;
        let mut headers = match signer {
            Some(id) => request::sign(
                id,
                &self.origin,
                method,
                path,
                vault_core::time::now().saturating_add_signed(self.clock_offset.get()),
                bytes,
            )
            .map_err(|_| ClientError::Trouble(Trouble::NoRandom))?,
            None => Vec::new(),
        };
        headers.extend(body.extra);
        let result = if method == "GET" {
            let mut req = self.agent.get(&url);
            for (k, v) in &headers {
                req = req.header(*k, v);
            }
            req.call()
        } else {
            let mut req = self
                .agent
                .post(&url)
                .header("content-type", body.content_type);
            for (k, v) in &headers {
                req = req.header(*k, v);
            }
            req.send(bytes)
        };
        let mut res = result.map_err(ClientError::from_ureq)?;
        if let Some(t) = redirect(&res) {
            return Err(ClientError::Trouble(t));
        }
        let status = res.status().as_u16();
        let answer = res
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER)
            .read_to_vec()
            .map_err(ClientError::from_ureq)?;
        if (200..300).contains(&status) {
            if status == 204 {
                return serde_json::from_slice(b"null")
                    .map_err(|_| ClientError::Trouble(Trouble::NotTheRelay(Some(status))));
            }
            return serde_json::from_slice(&answer)
                .map_err(|_| ClientError::Trouble(Trouble::NotTheRelay(Some(status))));
        }
        let body = serde_json::from_slice::<ErrorBody>(&answer).ok();
        match body
            .as_ref()
            .and_then(|e| Some((Refusal::from_code(&e.error)?, e)))
        {
            Some((r, e)) if e.relay_time.is_some() || e.ended_at.is_some() => {
                Err(ClientError::Detailed {
                    refusal: r,
                    relay_time: e.relay_time.filter(|_| r == Refusal::ClockSkew),
                    ended_at: e.ended_at.filter(|_| r == Refusal::NoPermission),
                })
            }
            Some((r, _)) => Err(ClientError::Refused(r)),
            None => Err(ClientError::Trouble(Trouble::NotTheRelay(Some(status)))),
        }
    }

    /// `GET` a path, optionally signed.
    pub fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        signer: Option<&Identity>,
    ) -> Result<T, ClientError> {
        self.call("GET", path, None, signer)
    }

    /// `POST /v1/shares`: uploads a sealed share and its signed token in
    /// the relay's streaming form (the share as the raw body, the token in
    /// `x-vault-token`), signed by the survivor's main key.
    pub fn upload_share(
        &self,
        token: &[u8],
        share: &[u8],
        signer: &Identity,
    ) -> Result<UploadResponse, ClientError> {
        let body = Body {
            content_type: UPLOAD_CONTENT_TYPE,
            extra: vec![(H_TOKEN, vault_core::relay::b64(token))],
            bytes: share,
        };
        self.call("POST", "/v1/shares", Some(body), Some(signer))
    }

    /// `POST` a JSON body, optionally signed.
    pub fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        signer: Option<&Identity>,
    ) -> Result<T, ClientError> {
        let bytes = serde_json::to_vec(body)
            .expect("request bodies are plain structs with string keys, which always serialize");
        let body = Body {
            content_type: "application/json",
            extra: Vec::new(),
            bytes: &bytes,
        };
        self.call("POST", path, Some(body), signer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(e: ureq::Error) -> CliError {
        ClientError::from_ureq(e).into_cli("http://127.0.0.1:1", "whether it worked")
    }

    #[test]
    fn keeps_the_transports_wording_out_of_messages() {
        let cases = [
            (
                ureq::Error::Timeout(ureq::Timeout::Global),
                "did not answer within 60 seconds",
            ),
            (
                ureq::Error::BodyExceedsLimit(MAX_ANSWER),
                "larger than any real answer",
            ),
            (
                ureq::Error::BodyExceedsLimit(MAX_ANSWER).into_io().into(),
                "larger than any real answer",
            ),
            (ureq::Error::HostNotFound, "so nothing was sent"),
            (ureq::Error::ConnectionFailed, "so nothing was sent"),
            (
                ureq::Error::Timeout(ureq::Timeout::Connect),
                "Could not reach the relay at http://127.0.0.1:1, so nothing was sent.",
            ),
            (
                std::io::Error::from(std::io::ErrorKind::ConnectionRefused).into(),
                "Could not reach the relay at http://127.0.0.1:1, so nothing was sent. Check the address and the connection, then try again.",
            ),
            (
                std::io::Error::from(std::io::ErrorKind::ConnectionReset).into(),
                "broke before its answer came, so whether it worked is unknown",
            ),
            (
                ureq::Error::TooManyRedirects,
                "answered with a redirect to another address",
            ),
        ];
        for (e, want) in cases {
            let detail = e.to_string();
            let err = shown(e);
            assert_eq!(err.code, Code::Unreachable, "{detail}");
            assert!(err.message.contains(want), "{detail}: {}", err.message);
            assert!(!err.message.contains(&detail), "{detail}: {}", err.message);
            for internal in ["timeout:", "request limit", "os error"] {
                assert!(!err.message.contains(internal), "{}", err.message);
            }
        }
    }

    #[test]
    fn shows_a_redirect_target_inert_and_short() {
        let t = Trouble::Redirect(format!("http://x/\u{1b}]52;c;AA\u{7}{}", "a".repeat(500)));
        let err = ClientError::Trouble(t).into_cli("http://127.0.0.1:1", "whether it worked");
        assert!(!err.message.contains('\u{1b}'), "{}", err.message);
        assert!(
            err.message.contains("http://x/\\x1b]52;c;AA\\x07"),
            "{}",
            err.message
        );
        assert!(err.message.len() < 600, "{}", err.message);
    }
}
