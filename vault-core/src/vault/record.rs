//! Sealed records: the identity and one record per field.
//!
//! A sealed value is `0x01 ‖ nonce (12) ‖ ChaCha20-Poly1305(plaintext) ‖
//! tag (16)`, under the record key, with associated data
//! `"survivor-vault/v1/record\0" ‖ store key`. The nonce is random: a
//! personal vault seals far fewer than the 2^32 values at which random
//! 96-bit nonces start to risk a collision.

use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use crate::crypto::{self, CryptoError, SecretKey, NONCE_LEN};
use crate::docname::DocName;
use crate::format;
use crate::id::{Identity, Role};
use crate::path::FieldPath;

/// A document's random id: names its chunks and salts its key.
pub type DocId = [u8; 16];

const SEALED_VERSION: u8 = 1;
const LABEL_RECORD_KEY: &[u8] = b"survivor-vault/v1/record-key";
const LABEL_INDEX_KEY: &[u8] = b"survivor-vault/v1/index-key";
const LABEL_DOCUMENT_KEY: &[u8] = b"survivor-vault/v1/document-key";
const LABEL_RECORD_AAD: &[u8] = b"survivor-vault/v1/record\0";
const LABEL_FIELD_INDEX: &[u8] = b"survivor-vault/v1/field\0";
const LABEL_PAIRWISE: &[u8] = b"survivor-vault/v1/pairwise\0";
const LABEL_PRIVATE_INDEX: &[u8] = b"survivor-vault/v1/private\0";

/// The keys derived from the master key.
pub(super) struct Keys {
    master: SecretKey,
    record: SecretKey,
    index: SecretKey,
}

/// What a field record holds once opened.
#[derive(Serialize, Deserialize)]
pub(super) struct RecordBody {
    pub path: String,
    pub updated: u64,
    pub value: Value,
}

/// A field's value. The variants' order is the format (postcard writes
/// the index): add new ones at the end, never reorder.
#[derive(Serialize, Deserialize)]
pub(super) enum Value {
    Text(String),
    /// A document saved before names were kept, or from a pipe.
    Document {
        id: DocId,
        len: u64,
    },
    /// A document with its original file name and media type
    /// (vault-format §9.2, variant 2).
    NamedDocument {
        id: DocId,
        len: u64,
        name: DocName,
    },
}

impl Value {
    /// The document's id and length, if it is one.
    pub fn document(&self) -> Option<(DocId, u64)> {
        match self {
            Value::Text(_) => None,
            Value::Document { id, len } | Value::NamedDocument { id, len, .. } => Some((*id, *len)),
        }
    }
}

impl Drop for RecordBody {
    fn drop(&mut self) {
        self.path.zeroize();
        match &mut self.value {
            Value::Text(t) => t.zeroize(),
            Value::NamedDocument { name, .. } => name.zeroize(),
            Value::Document { .. } => {}
        }
    }
}

#[derive(Serialize, Deserialize)]
struct IdentityBody {
    role: u8,
    seed: [u8; 32],
}

impl Drop for IdentityBody {
    fn drop(&mut self) {
        self.seed.zeroize();
    }
}

/// The kind of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A short UTF-8 text.
    Text,
    /// A file, stored in chunks.
    Document,
}

impl Kind {
    /// `"text"` or `"document"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Document => "document",
        }
    }
}

/// What `ls` shows of a field: never its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryInfo {
    /// The field's path.
    pub path: FieldPath,
    /// Text or document.
    pub kind: Kind,
    /// Size of the value in bytes.
    pub size: u64,
    /// When it was last saved (seconds since 1970, UTC).
    pub updated: u64,
    /// A document's original file name and media type, if the vault
    /// kept them (documents saved before names were kept have none).
    pub name: Option<DocName>,
}

impl RecordBody {
    /// Kind and size; `None` only for a record whose path does not parse,
    /// which `Keys::open_record` never returns.
    pub fn info(&self) -> Option<EntryInfo> {
        let path = FieldPath::parse(&self.path).ok()?;
        let (kind, size, name) = match &self.value {
            Value::Text(t) => (Kind::Text, t.len() as u64, None),
            Value::Document { len, .. } => (Kind::Document, *len, None),
            Value::NamedDocument { len, name, .. } => (Kind::Document, *len, Some(name.clone())),
        };
        Some(EntryInfo {
            path,
            kind,
            size,
            updated: self.updated,
            name,
        })
    }
}

impl Keys {
    pub fn derive(master: &SecretKey) -> Result<Self, CryptoError> {
        Ok(Self {
            master: master.clone(),
            record: master.derive(b"", &[LABEL_RECORD_KEY])?,
            index: master.derive(b"", &[LABEL_INDEX_KEY])?,
        })
    }

    pub fn master(&self) -> &SecretKey {
        &self.master
    }

    /// HMAC-SHA256(index key, label ‖ path): the opaque store key.
    pub fn index_of(&self, path: &FieldPath) -> [u8; 32] {
        self.index
            .mac(&[LABEL_FIELD_INDEX, path.as_str().as_bytes()])
    }

    /// HMAC-SHA256(index key, label ‖ namespace ‖ id): the opaque store key
    /// of a grant or relay record, so neither a token id nor a relay's
    /// address is readable on disk.
    pub fn private_index_of(&self, namespace: u8, id: &[u8]) -> [u8; 32] {
        self.index.mac(&[LABEL_PRIVATE_INDEX, &[namespace], id])
    }

    /// HKDF(master, info = label ‖ context): the seed of a pairwise key.
    pub fn pairwise_seed(&self, context: &[u8]) -> Result<SecretKey, CryptoError> {
        self.master.derive(b"", &[LABEL_PAIRWISE, context])
    }

    /// HKDF(master, salt = document id, info = label).
    pub fn document_key(&self, doc: &DocId) -> Result<SecretKey, CryptoError> {
        self.master.derive(doc, &[LABEL_DOCUMENT_KEY])
    }

    pub(super) fn seal(&self, store_key: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let nonce = crypto::random_array::<NONCE_LEN>()?;
        let mut buf = Vec::with_capacity(plaintext.len() + 1 + NONCE_LEN + crypto::TAG_LEN);
        buf.extend_from_slice(plaintext);
        self.record
            .aead()
            .seal_in_place(nonce, &aad(store_key), &mut buf);
        let mut out = Vec::with_capacity(1 + NONCE_LEN + buf.len());
        out.push(SEALED_VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&buf);
        Ok(out)
    }

    pub(super) fn open(&self, store_key: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let (&version, rest) = sealed.split_first()?;
        if version != SEALED_VERSION || rest.len() < NONCE_LEN {
            return None;
        }
        let (nonce, ct) = rest.split_at(NONCE_LEN);
        let mut buf = Zeroizing::new(ct.to_vec());
        self.record
            .aead()
            .open_in_place(nonce.try_into().ok()?, &aad(store_key), &mut buf)
            .ok()?;
        Some(buf)
    }

    pub fn seal_record(&self, store_key: &[u8], body: &RecordBody) -> Result<Vec<u8>, CryptoError> {
        let plain = Zeroizing::new(format::encode(body));
        self.seal(store_key, &plain)
    }

    /// Opens a field record; with `expect`, also requires that the record
    /// names that path (defence in depth: the associated data already
    /// binds the store key, which is the keyed hash of the path).
    pub fn open_record(
        &self,
        store_key: &[u8],
        sealed: &[u8],
        expect: Option<&FieldPath>,
    ) -> Option<RecordBody> {
        let plain = self.open(store_key, sealed)?;
        let body: RecordBody = format::decode_canonical(&plain).ok()?;
        let path = FieldPath::parse(&body.path).ok()?;
        if matches!(&body.value, Value::NamedDocument { name, .. } if !name.is_valid()) {
            return None;
        }
        if store_key.get(1..) != Some(&self.index_of(&path)[..]) {
            return None;
        }
        if expect.is_some_and(|p| *p != path) {
            return None;
        }
        Some(body)
    }

    pub fn seal_identity(&self, store_key: &[u8], id: &Identity) -> Result<Vec<u8>, CryptoError> {
        let body = IdentityBody {
            role: id.role().code(),
            seed: *id.seed(),
        };
        let plain = Zeroizing::new(format::encode(&body));
        self.seal(store_key, &plain)
    }

    pub fn open_identity(&self, store_key: &[u8], sealed: &[u8]) -> Option<Identity> {
        let plain = self.open(store_key, sealed)?;
        let body: IdentityBody = format::decode_canonical(&plain).ok()?;
        Some(Identity::from_seed(Role::from_code(body.role)?, &body.seed))
    }
}

fn aad(store_key: &[u8]) -> Vec<u8> {
    let mut a = LABEL_RECORD_AAD.to_vec();
    a.extend_from_slice(store_key);
    a
}
