//! JSON bodies of the relay's routes, shared by the relay and its clients.
//! Token ids are lower-case hex (people copy them); every other binary
//! field is base64url without padding.

use serde::{Deserialize, Serialize};

/// `POST /v1/shares` (signed by the survivor's main key) is not JSON: the
/// body is the sealed share itself, raw, with this content type and a
/// `content-length` equal to the token's `payload_len`; the signed token
/// travels in the [`H_TOKEN`] header. So the relay can check the token and
/// the request's signature (over the token's `payload_hash`, which is the
/// body's SHA-256) before it reads a byte of the body, and stream the body
/// to disk. See `docs/spec/relay-api.md` §5.1.
pub const UPLOAD_CONTENT_TYPE: &str = "application/octet-stream";

/// The header carrying an upload's signed token, base64url.
pub const H_TOKEN: &str = "x-vault-token";

/// Answer to an upload (JSON).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UploadResponse {
    /// The token id, hex.
    pub token_id: String,
}

/// `POST /v1/redeem` (unsigned; audience-bound tokens carry a proof).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedeemRequest {
    /// The token id, hex (derived from the link's secret).
    pub token_id: String,
    /// The redeeming agency's id, for audience-bound tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// When the proof was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<u64>,
    /// The agency's proof, base64url.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<String>,
}

/// Answer to a redemption.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RedeemResponse {
    /// The signed token, base64url (verify it).
    pub token: String,
    /// The sealed share, base64url (check its SHA-256 against the token).
    pub share: String,
    /// `postcard(Receipt)`, base64url.
    pub receipt: String,
    /// The relay's signature on the receipt, base64url.
    pub receipt_signature: String,
    /// The relay's id (`relay1…`).
    pub relay: String,
}

/// `POST /v1/revoke` (survivor or delegated advocate).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevokeRequest {
    /// The token id, hex.
    pub token_id: String,
}

/// `POST /v1/revoke-all`: a survivor's own shares, or (advocate) the named
/// survivor's.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevokeAllRequest {
    /// The survivor (`survivor1…`), for advocates; absent for survivors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survivor: Option<String>,
}

/// Answer to a revocation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RevokeResponse {
    /// The token ids now withdrawn, hex.
    pub revoked: Vec<String>,
}

/// `POST /v1/delegations` (survivor).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelegationRequest {
    /// The advocate (`advocate1…`).
    pub advocate: String,
    /// Until when (seconds since 1970).
    pub until: u64,
}

/// One delegation in `GET /v1/delegations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelegationInfo {
    /// The survivor who gave it (`survivor1…`).
    pub survivor: String,
    /// The advocate it names (`advocate1…`).
    pub advocate: String,
    /// Until when (seconds since 1970); in the past if it has ended.
    pub until: u64,
}

/// `GET /v1/delegations`: to a survivor, the delegations they gave; to an
/// advocate, the ones naming them. Soonest end first.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DelegationsResponse {
    /// The delegations.
    pub delegations: Vec<DelegationInfo>,
}

/// `POST /v1/delegations/remove` (survivor).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UndelegateRequest {
    /// The advocate (`advocate1…`).
    pub advocate: String,
}

/// One share's metadata, as the survivor or a delegated advocate sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareInfo {
    /// Token id, hex.
    pub token_id: String,
    /// The agency (`agency1…`), or absent for anyone with the link.
    pub audience: Option<String>,
    /// From when.
    pub not_before: u64,
    /// Until when.
    pub expires: u64,
    /// Allowed uses.
    pub max_uses: u32,
    /// Uses made.
    pub uses: u32,
    /// `active`, `expired`, `used_up` or `revoked`.
    pub status: String,
    /// When it was uploaded.
    pub created: u64,
}

/// `GET /v1/shares`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SharesResponse {
    /// Every share of the survivor, oldest first.
    pub shares: Vec<ShareInfo>,
    /// To an advocate only: until when (seconds since 1970) their
    /// permission from this survivor lasts, so they can be warned before
    /// it ends. Absent for the survivor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_until: Option<u64>,
}

/// The signed head in a log answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HeadJson {
    /// Entries.
    pub seq: u64,
    /// Chain hash, base64url.
    pub hash: String,
    /// When signed.
    pub at: u64,
    /// The relay's signature, base64url.
    pub signature: String,
}

/// `GET /v1/log` (signed by the survivor).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LogResponse {
    /// Every entry, `postcard(Entry)` base64url, in order.
    pub entries: Vec<String>,
    /// The signed head.
    pub head: HeadJson,
    /// The relay's id (`relay1…`).
    pub relay: String,
}

/// `GET /v1/relay`: who the relay is.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RelayInfo {
    /// The relay's id (`relay1…`).
    pub relay: String,
    /// The origin it signs for.
    pub origin: String,
    /// The hash of the web pages and assets it serves, `sha256:` and 64
    /// hex digits (docs/spec/web-bundle.md). Empty from a relay older
    /// than this field.
    #[serde(default)]
    pub web_bundle: String,
}

/// Every error answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Stable code (see `Refusal::code`), or `server_error`.
    pub error: String,
    /// Plain words.
    pub message: String,
    /// `clock_skew` only: the relay's time (seconds since 1970), so the
    /// client can say how far off its clock is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relay_time: Option<u64>,
    /// `no_permission` only, and only when a delegation from that survivor
    /// to this advocate existed: when it ended (seconds since 1970).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<u64>,
}
