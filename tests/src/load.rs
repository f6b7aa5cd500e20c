//! People held inside the test process, for load tests that need
//! hundreds of grants and signed requests quickly (the way
//! `vault-server/examples/bench_relay.rs` makes them):
//!
//! - [`MemSurvivor`] is a survivor whose vault lives in memory (cheap
//!   key-derivation parameters: nothing of it is ever stored), with one
//!   small text field and one document of [`DOCUMENT_BYTES`]. Grants are made with `grant::prepare` and
//!   `grant::issue`, exactly as `vault grant` makes them, and sent with the
//!   signed requests of [`crate::flow::http`], as the CLI sends them;
//! - [`Upload`] is one grant ready to upload: the signed token, the sealed
//!   share and what the test needs to check it later;
//! - [`Rng`] is a small seeded generator (SplitMix64), so a load test can
//!   print its seed and be run again with the same choices.
//!
//! No relay state is touched from here: everything goes over HTTP.

use std::collections::HashMap;
use std::sync::Mutex;

use vault_core::grant::{self, GrantRequest, Prepared};
use vault_core::relay::api::LogResponse;
use vault_core::relay::log::{self, Entry, Head, Seen};
use vault_core::relay::{hex, unb64, unb64_array};
use vault_core::{
    crypto, FieldPath, Identity, KdfParams, MemoryDocuments, MemoryStore, PublicId, Role, Scope,
    TokenId, Vault,
};

use crate::flow::http;

/// The size of every [`MemSurvivor`]'s document, `documents.lease`: a
/// share holding it is streamed to the relay for long enough that a kill
/// can land in the middle.
pub const DOCUMENT_BYTES: usize = 256 * 1024;

/// A grant made with vault-core, ready to upload.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The signed token, as uploaded.
    pub token: Vec<u8>,
    /// The sealed share, as uploaded.
    pub share: Vec<u8>,
    /// The token id.
    pub id: TokenId,
    /// The token id, hex.
    pub hex: String,
    /// Allowed uses.
    pub max_uses: u32,
    /// Whether the share holds the document too.
    pub big: bool,
    /// SHA-256 of the sealed share (the token's `payload_hash`).
    pub share_hash: [u8; 32],
}

/// A survivor whose vault is in memory.
pub struct MemSurvivor {
    vault: Mutex<Vault>,
    prepared: Mutex<HashMap<(u32, bool), Prepared>>,
    main: Identity,
}

impl std::fmt::Debug for MemSurvivor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MemSurvivor({})", self.main.public())
    }
}

impl MemSurvivor {
    /// A new survivor with the field `needs.housing` and the document
    /// `documents.lease`.
    pub fn new() -> Self {
        let vault = Vault::create_in(
            Box::new(MemoryStore::new()),
            Box::new(MemoryDocuments::new()),
            b"in memory only",
            Role::Survivor,
            KdfParams::INSECURE_FOR_TESTS,
        )
        .expect("a vault in memory can be made");
        vault
            .put_text(
                &FieldPath::parse("needs.housing").expect("a valid path"),
                "a ground-floor flat",
            )
            .expect("a field can be stored");
        let document = crate::pseudo_random_bytes(DOCUMENT_BYTES, 7);
        vault
            .put_document(
                &FieldPath::parse("documents.lease").expect("a valid path"),
                &mut document.as_slice(),
                &mut |_| {},
            )
            .expect("a document can be stored");
        let main = Identity::from_seed(Role::Survivor, &vault.identity().seed());
        Self {
            vault: Mutex::new(vault),
            prepared: Mutex::new(HashMap::new()),
            main,
        }
    }

    /// The survivor's main key (it signs requests).
    pub fn identity(&self) -> &Identity {
        &self.main
    }

    /// The survivor's public id.
    pub fn public(&self) -> PublicId {
        self.main.public()
    }

    /// A new anyone-grant of `needs.housing` (and, if `big`, the
    /// document) for `max_uses` uses, valid from a minute ago for a day,
    /// for the relay at `origin`.
    pub fn mint(&self, max_uses: u32, big: bool, origin: &str) -> Upload {
        let vault = self.vault.lock().unwrap_or_else(|p| p.into_inner());
        let mut prepared = self.prepared.lock().unwrap_or_else(|p| p.into_inner());
        let prepared = prepared.entry((max_uses, big)).or_insert_with(|| {
            let now = vault_core::time::now();
            let fields = if big {
                "needs.housing,documents.lease"
            } else {
                "needs.housing"
            };
            grant::prepare(
                &vault,
                GrantRequest {
                    scope: Scope::parse_list(fields).expect("a valid scope"),
                    audience: None,
                    purpose: "Housing application".into(),
                    not_before: now - 60,
                    expires: now + 86_400,
                    max_uses,
                },
            )
            .expect("the grant can be prepared")
        });
        let (issued, share) = grant::issue(
            &vault,
            prepared,
            origin,
            vault_core::time::now(),
            Vec::new(),
        )
        .expect("the grant can be issued");
        let id = issued.record.token_id;
        Upload {
            token: issued.token,
            share_hash: crypto::sha256(&[share.as_slice()]),
            share,
            id,
            hex: hex(&id),
            max_uses,
            big,
        }
    }

    /// Sends `upload` with a signed `POST /v1/shares`.
    pub fn upload(
        &self,
        agent: &ureq::Agent,
        origin: &str,
        upload: &Upload,
    ) -> Result<(u16, String), String> {
        http::upload(agent, origin, &self.main, &upload.token, &upload.share)
    }

    /// A request signed by the survivor's main key.
    pub fn signed(
        &self,
        agent: &ureq::Agent,
        origin: &str,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> Result<(u16, String), String> {
        http::signed(agent, origin, &self.main, method, path, body)
    }
}

impl Default for MemSurvivor {
    fn default() -> Self {
        Self::new()
    }
}

/// Why a survivor's log answer did not check out.
pub type LogProblem = String;

/// Checks an answer to `GET /v1/log` as `vault log` does
/// (`vault_core::relay::log::verify_log`, which `vault_core::history`
/// calls): signed by the pinned relay key, every entry canonical and in
/// sequence, the chain reaching the signed head, and extending `seen`.
/// Returns the entries and the new [`Seen`].
pub fn check_log(
    answer: &LogResponse,
    relay: &PublicId,
    survivor: &PublicId,
    seen: Option<Seen>,
) -> Result<(Vec<Entry>, Seen), LogProblem> {
    let named = PublicId::parse(&answer.relay, Role::Relay)
        .map_err(|e| format!("the log names no relay key: {e}"))?;
    if &named != relay {
        return Err(format!("the log is signed by {named}, not {relay}"));
    }
    let entries: Vec<Vec<u8>> = answer
        .entries
        .iter()
        .map(|e| unb64(e))
        .collect::<Option<_>>()
        .ok_or("an entry is not base64url")?;
    let head = Head {
        seq: answer.head.seq,
        hash: unb64_array(&answer.head.hash).ok_or("the head's hash is not 32 bytes")?,
        at: answer.head.at,
    };
    let sig: [u8; 64] =
        unb64_array(&answer.head.signature).ok_or("the head's signature is not 64 bytes")?;
    log::verify_log(&entries, &head, &sig, relay, survivor, seen)
        .map_err(|e| format!("the log does not verify: {e:?}"))
}

/// SplitMix64: a small seeded generator for test choices (not for keys).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator starting at `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// A seed from the system's random source.
    pub fn random_seed() -> u64 {
        u64::from_le_bytes(crypto::random_array::<8>().expect("random bytes"))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A generator of its own for `stream` (a thread, a round), derived
    /// from this one's seed without moving it.
    pub fn fork(&self, stream: u64) -> Self {
        let mut r = Self(self.0 ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next_u64();
        r
    }
}
