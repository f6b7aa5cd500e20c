//! A small blocking client for the relay. Every answer is either a
//! decoded body, a refusal with its stable code, or "unreachable" — a
//! network or server failure is never mistaken for a yes.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use vault_core::relay::api::{ErrorBody, UploadResponse, H_TOKEN, UPLOAD_CONTENT_TYPE};
use vault_core::relay::{request, Refusal};
use vault_core::Identity;

use crate::error::{CliError, Code};

/// Largest answer read (a redemption carries the sealed share).
const MAX_ANSWER: u64 = 80 * 1024 * 1024;

/// The relay at one origin.
pub struct Relay {
    origin: String,
    agent: ureq::Agent,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Relay({})", self.origin)
    }
}

/// What went wrong talking to the relay.
#[derive(Debug)]
pub enum ClientError {
    /// The relay said no, with a stable code.
    Refused(Refusal),
    /// No answer, or not one we understand: the outcome is unknown.
    Unknown(String),
}

impl ClientError {
    /// As a CLI error; `what` names the action for "unknown" outcomes.
    pub fn into_cli(self, origin: &str, what: &str) -> CliError {
        match self {
            Self::Refused(r) => CliError::new(Code::Refused, r.code(), r.message()),
            Self::Unknown(detail) => CliError::new(
                Code::Unreachable,
                "status_unknown",
                format!(
                    "Could not get an answer from the relay at {origin} ({detail}), so {what} is unknown. Check the connection and try again."
                ),
            ),
        }
    }
}

impl Relay {
    /// A client for `origin` (already checked).
    pub fn new(origin: &str) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        Self {
            origin: origin.trim_end_matches('/').to_owned(),
            agent,
        }
    }

    /// The origin.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Option<Vec<u8>>,
        signer: Option<&Identity>,
    ) -> Result<T, ClientError> {
        let url = format!("{}{path}", self.origin);
        let bytes = body.unwrap_or_default();
        let headers = match signer {
            Some(id) => request::sign(
                id,
                &self.origin,
                method,
                path,
                vault_core::time::now(),
                &bytes,
            )
            .map_err(|_| ClientError::Unknown("no random numbers".into()))?,
            None => Vec::new(),
        };
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
                .header("content-type", "application/json");
            for (k, v) in &headers {
                req = req.header(*k, v);
            }
            req.send(&bytes[..])
        };
        let mut res = result.map_err(|e| ClientError::Unknown(e.to_string()))?;
        let status = res.status().as_u16();
        let answer = res
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER)
            .read_to_vec()
            .map_err(|e| ClientError::Unknown(e.to_string()))?;
        if (200..300).contains(&status) {
            if status == 204 {
                return serde_json::from_slice(b"null")
                    .map_err(|e| ClientError::Unknown(e.to_string()));
            }
            return serde_json::from_slice(&answer)
                .map_err(|_| ClientError::Unknown("an answer that could not be read".into()));
        }
        match serde_json::from_slice::<ErrorBody>(&answer)
            .ok()
            .and_then(|e| Refusal::from_code(&e.error))
        {
            Some(r) => Err(ClientError::Refused(r)),
            None => Err(ClientError::Unknown(format!("HTTP status {status}"))),
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
        let path = "/v1/shares";
        let headers = request::sign(
            signer,
            &self.origin,
            "POST",
            path,
            vault_core::time::now(),
            share,
        )
        .map_err(|_| ClientError::Unknown("no random numbers".into()))?;
        let mut req = self
            .agent
            .post(format!("{}{path}", self.origin))
            .header("content-type", UPLOAD_CONTENT_TYPE)
            .header(H_TOKEN, vault_core::relay::b64(token));
        for (k, v) in &headers {
            req = req.header(*k, v);
        }
        let mut res = req
            .send(share)
            .map_err(|e| ClientError::Unknown(e.to_string()))?;
        let status = res.status().as_u16();
        let answer = res
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER)
            .read_to_vec()
            .map_err(|e| ClientError::Unknown(e.to_string()))?;
        if (200..300).contains(&status) {
            return serde_json::from_slice(&answer)
                .map_err(|_| ClientError::Unknown("an answer that could not be read".into()));
        }
        match serde_json::from_slice::<ErrorBody>(&answer)
            .ok()
            .and_then(|e| Refusal::from_code(&e.error))
        {
            Some(r) => Err(ClientError::Refused(r)),
            None => Err(ClientError::Unknown(format!("HTTP status {status}"))),
        }
    }

    /// `POST` a JSON body, optionally signed.
    pub fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        signer: Option<&Identity>,
    ) -> Result<T, ClientError> {
        let bytes = serde_json::to_vec(body).map_err(|e| ClientError::Unknown(e.to_string()))?;
        self.call("POST", path, Some(bytes), signer)
    }
}
