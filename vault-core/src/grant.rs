//! Granting: from a survivor's choice to a signed token, a sealed share
//! and a link.
//!
//! [`prepare`] resolves the scope against the vault and renders the
//! consent text, changing nothing; the caller shows the text and asks.
//! [`issue`] then makes a fresh share secret, derives the pairwise issuer
//! key for the audience, seals the chosen fields into a share (streaming,
//! documents included), signs the token over the share's hash, and keeps
//! an encrypted record of the grant in the vault.

use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::crypto;
use crate::id::{PublicId, Role};
use crate::path::FieldPath;
use crate::preview::{self, Terms};
use crate::scope::{Scope, ScopeEntry};
use crate::share::link::{LinkError, ShareLink, ShareSecret, TokenId};
use crate::share::{self, EntryKind, Manifest, ManifestEntry, ShareWriter};
use crate::token::{self, Claims, TokenError, TokenTerms, MAX_PURPOSE_LEN};
use crate::vault::{EntryInfo, Kind, Vault, VaultError};

const CONTEXT_AGENCY: u8 = 1;
const CONTEXT_ANYONE: u8 = 2;

/// What the survivor asked for.
#[derive(Debug, Clone)]
pub struct GrantRequest {
    /// Which fields.
    pub scope: Scope,
    /// To whom: an agency, or `None` for whoever holds the link.
    pub audience: Option<PublicId>,
    /// Why, in their words.
    pub purpose: String,
    /// From when (seconds since 1970).
    pub not_before: u64,
    /// Until when.
    pub expires: u64,
    /// How many times.
    pub max_uses: u32,
}

/// Why a grant could not be made. Messages are for people.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GrantError {
    /// A scope entry matches nothing saved.
    #[error("{}", crate::msg!("grant-nothing-matches", entry = .0.to_string()))]
    NothingMatches(ScopeEntry),
    /// No purpose given.
    #[error("{}", crate::msg!("grant-empty-purpose"))]
    EmptyPurpose,
    /// Line breaks or other control characters in the purpose.
    #[error("{}", crate::msg!("grant-purpose-lines"))]
    PurposeLines,
    /// Purpose too long.
    #[error("{}", crate::msg!("grant-purpose-too-long", max_purpose_len = MAX_PURPOSE_LEN))]
    PurposeTooLong,
    /// The audience is not an agency id.
    #[error("{}", crate::msg!("grant-not-an-agency"))]
    NotAnAgency,
    /// The terms break a token limit.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The relay address is not usable.
    #[error("{}", crate::msg!("grant-origin", reason = .0.to_string()))]
    Origin(#[from] LinkError),
    /// The vault failed.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// Writing the sealed share failed.
    #[error("{}", crate::msg!("grant-io", reason = .0.to_string()))]
    Io(#[from] std::io::Error),
}

/// A grant resolved against the vault, ready to show and confirm.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The request.
    pub request: GrantRequest,
    /// The fields that will be shared, sorted.
    pub fields: Vec<EntryInfo>,
    /// The exact consent text to show.
    pub consent_text: String,
}

/// What the survivor's vault keeps about a grant (sealed). It holds no
/// share secret: a lost link cannot be re-shown, only granted again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRecord {
    /// The token id.
    pub token_id: TokenId,
    /// The relay's origin.
    pub origin: String,
    /// The agency key, or `None` for anyone with the link.
    pub audience: Option<[u8; 32]>,
    /// What the pairwise issuer key was derived from.
    pub pairwise_context: Vec<u8>,
    /// The scope as chosen.
    pub scope: Scope,
    /// The fields shared.
    pub fields: Vec<FieldPath>,
    /// The purpose.
    pub purpose: String,
    /// From when.
    pub not_before: u64,
    /// Until when.
    pub expires: u64,
    /// How many times.
    pub max_uses: u32,
    /// When the grant was made.
    pub created: u64,
}

/// A made grant.
#[derive(Debug)]
pub struct Issued {
    /// The signed token bytes.
    pub token: Vec<u8>,
    /// The link to show (holds the secret).
    pub link: ShareLink,
    /// Length of the sealed share written.
    pub sealed_len: u64,
    /// The record kept in the vault.
    pub record: GrantRecord,
}

/// Resolves `request` against the vault and renders the consent text.
/// Changes nothing.
pub fn prepare(vault: &Vault, request: GrantRequest) -> Result<Prepared, GrantError> {
    if request.purpose.trim().is_empty() {
        return Err(GrantError::EmptyPurpose);
    }
    if request.purpose.len() > MAX_PURPOSE_LEN {
        return Err(GrantError::PurposeTooLong);
    }
    if request.purpose.chars().any(char::is_control) {
        return Err(GrantError::PurposeLines);
    }
    if request.audience.is_some_and(|a| a.role() != Role::Agency) {
        return Err(GrantError::NotAnAgency);
    }
    let (all, _) = vault.list()?;
    let fields: Vec<EntryInfo> = all
        .into_iter()
        .filter(|e| request.scope.covers(&e.path))
        .collect();
    for entry in request.scope.entries() {
        if !fields.iter().any(|f| entry.covers(&f.path)) {
            return Err(GrantError::NothingMatches(entry.clone()));
        }
    }
    let paths: Vec<FieldPath> = fields.iter().map(|f| f.path.clone()).collect();
    let consent_text = preview::consent_text(&Terms {
        fields: &paths,
        scope: &request.scope,
        audience: request.audience.as_ref(),
        purpose: &request.purpose,
        not_before: request.not_before,
        expires: request.expires,
        max_uses: request.max_uses,
    });
    let prepared = Prepared {
        request,
        fields,
        consent_text,
    };
    prepared.terms().check()?;
    Ok(prepared)
}

impl Prepared {
    /// What the survivor is shown before agreeing: the consent text with
    /// each field's content under its name (first line of a text, rough
    /// size of a document) and the agency as `audience` (a contact's label)
    /// when given. See [`preview::survivor_text`]; the text signed and
    /// shown to the agency is [`Prepared::consent_text`].
    pub fn survivor_preview(
        &self,
        vault: &Vault,
        audience: Option<&str>,
    ) -> Result<String, GrantError> {
        let mut leaving = Vec::with_capacity(self.fields.len());
        for f in &self.fields {
            leaving.push(match f.kind {
                Kind::Text => preview::leaving_text(
                    vault
                        .get_text(&f.path)?
                        .as_deref()
                        .map_or("", String::as_str),
                ),
                Kind::Document => {
                    preview::leaving_document(f.name.as_ref().map(|n| n.name()), f.size)
                }
            });
        }
        let paths: Vec<FieldPath> = self.fields.iter().map(|f| f.path.clone()).collect();
        let r = &self.request;
        Ok(preview::survivor_text(
            &Terms {
                fields: &paths,
                scope: &r.scope,
                audience: r.audience.as_ref(),
                purpose: &r.purpose,
                not_before: r.not_before,
                expires: r.expires,
                max_uses: r.max_uses,
            },
            &leaving,
            audience,
        ))
    }

    /// The share's manifest: the consent text and the fields, in order.
    pub fn manifest(&self) -> Manifest {
        Manifest {
            consent_text: self.consent_text.clone(),
            entries: self
                .fields
                .iter()
                .map(|f| ManifestEntry {
                    path: f.path.clone(),
                    kind: match (f.kind, &f.name) {
                        (Kind::Text, _) => EntryKind::Text,
                        (Kind::Document, None) => EntryKind::Document,
                        (Kind::Document, Some(n)) => EntryKind::NamedDocument {
                            name: n.name().to_owned(),
                            media_type: n.media_type().to_owned(),
                        },
                    },
                    len: f.size,
                })
                .collect(),
        }
    }

    /// Length of the sealed share [`issue`] will write.
    pub fn sealed_len(&self) -> u64 {
        share::sealed_len(share::padded_len(
            self.manifest().content_len().unwrap_or(u64::MAX),
        ))
    }

    fn terms(&self) -> TokenTerms {
        TokenTerms {
            audience: self.request.audience,
            not_before: self.request.not_before,
            expires: self.request.expires,
            max_uses: self.request.max_uses,
            claims: Claims {
                scope: self.request.scope.clone(),
                purpose: self.request.purpose.clone(),
                consent_hash: token::consent_hash(&self.consent_text),
            },
        }
    }
}

/// Makes the grant: seals the share into `out`, signs the token, records
/// the grant in the vault, made at `now` (seconds since 1970, from the
/// caller's clock: see [`crate::time`]). Returns the grant and `out`.
pub fn issue<W: Write>(
    vault: &Vault,
    prepared: &Prepared,
    origin: &str,
    now: u64,
    out: W,
) -> Result<(Issued, W), GrantError> {
    let secret = ShareSecret::generate().map_err(VaultError::from)?;
    let link = ShareLink::new(origin, secret.clone())?;
    let pairwise_context = match &prepared.request.audience {
        Some(agency) => [&[CONTEXT_AGENCY][..], agency.key_bytes()].concat(),
        None => [
            &[CONTEXT_ANYONE][..],
            &crypto::random_array::<32>().map_err(VaultError::from)?,
        ]
        .concat(),
    };
    let issuer = vault.pairwise_identity(&pairwise_context)?;

    let mut writer = ShareWriter::start(&secret, &prepared.manifest(), out)?;
    for f in &prepared.fields {
        let written = vault.read_document(&f.path, &mut writer, &mut |_| {})?;
        if written != f.size {
            return Err(VaultError::Unreadable(f.path.clone()).into());
        }
    }
    let (out, sealed_len, payload_hash) = writer.finish()?;
    let token = prepared
        .terms()
        .sign(&issuer, &secret, sealed_len, payload_hash)?;

    let r = &prepared.request;
    let record = GrantRecord {
        token_id: secret.token_id(),
        origin: link.origin(),
        audience: r.audience.map(|a| *a.key_bytes()),
        pairwise_context,
        scope: r.scope.clone(),
        fields: prepared.fields.iter().map(|f| f.path.clone()).collect(),
        purpose: r.purpose.clone(),
        not_before: r.not_before,
        expires: r.expires,
        max_uses: r.max_uses,
        created: now,
    };
    vault.put_private(
        crate::vault::NS_GRANT,
        &record.token_id,
        &crate::format::encode(&record),
    )?;
    Ok((
        Issued {
            token,
            link,
            sealed_len,
            record,
        },
        out,
    ))
}

/// Makes the grant as an upload bundle in `out`:
/// `"SVUB" ‖ 0x01 ‖ be64(sealed share length) ‖ sealed share ‖ token`.
pub fn issue_bundle<W: Write>(
    vault: &Vault,
    prepared: &Prepared,
    origin: &str,
    now: u64,
    mut out: W,
) -> Result<(Issued, W), GrantError> {
    out.write_all(share::bundle::MAGIC)?;
    out.write_all(&[share::bundle::VERSION])?;
    out.write_all(&prepared.sealed_len().to_be_bytes())?;
    let (issued, mut out) = issue(vault, prepared, origin, now, out)?;
    out.write_all(&issued.token)?;
    out.flush()?;
    Ok((issued, out))
}

/// Every grant this vault has made, newest first, and how many records
/// could not be read.
pub fn records(vault: &Vault) -> Result<(Vec<GrantRecord>, usize), VaultError> {
    let (plain, mut bad) = vault.private_records(crate::vault::NS_GRANT)?;
    let mut out = Vec::new();
    for p in plain {
        match crate::format::decode_canonical::<GrantRecord>(&p) {
            Ok(r) => out.push(r),
            Err(_) => bad += 1,
        }
    }
    out.sort_by(|a, b| b.created.cmp(&a.created).then(a.token_id.cmp(&b.token_id)));
    Ok((out, bad))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::kdf::KdfParams;
    use crate::id::Identity;
    use crate::share::ShareReader;
    use crate::store::{MemoryDocuments, MemoryStore};
    use crate::token::UnverifiedToken;

    const T0: u64 = 1_795_000_000;

    fn vault() -> Vault {
        let v = Vault::create_in(
            Box::new(MemoryStore::new()),
            Box::new(MemoryDocuments::new()),
            b"pass",
            Role::Survivor,
            KdfParams::INSECURE_FOR_TESTS,
        )
        .expect("vault");
        for (p, t) in [
            ("identity.name", "Ama"),
            ("needs.housing", "ground floor"),
            ("needs.health", "asthma"),
            ("history.events", "private"),
        ] {
            v.put_text(&FieldPath::parse(p).expect("path"), t)
                .expect("put");
        }
        let doc = vec![9u8; 100_000];
        v.put_document(
            &FieldPath::parse("documents.passport").expect("path"),
            &mut &doc[..],
            &mut |_| {},
        )
        .expect("doc");
        v
    }

    fn agency(n: u8) -> PublicId {
        Identity::from_seed(Role::Agency, &[n; 32]).public()
    }

    fn request(scope: &str, audience: Option<PublicId>) -> GrantRequest {
        GrantRequest {
            scope: Scope::parse_list(scope).expect("scope"),
            audience,
            purpose: "Housing application".into(),
            not_before: T0,
            expires: T0 + 86_400,
            max_uses: 1,
        }
    }

    fn grant(v: &Vault, scope: &str, audience: Option<PublicId>) -> (Issued, Vec<u8>) {
        let p = prepare(v, request(scope, audience)).expect("prepare");
        issue(
            v,
            &p,
            "https://relay.example.org",
            crate::time::now(),
            Vec::new(),
        )
        .expect("issue")
    }

    /// What the agency gets out: (path, bytes) for each field.
    fn redeem(issued: &Issued, sealed: &[u8], me: Option<&PublicId>) -> Vec<(String, Vec<u8>)> {
        let token = UnverifiedToken::decode(&issued.token)
            .expect("decode")
            .verify(T0 + 5, me)
            .expect("verify");
        assert_eq!(token.body().payload_hash, crypto::sha256(&[sealed]));
        let claims = token.open_claims(issued.link.secret()).expect("claims");
        let (manifest, mut reader) =
            ShareReader::open(issued.link.secret(), token.body().payload_len, sealed)
                .expect("open");
        assert_eq!(
            token::consent_hash(&manifest.consent_text),
            claims.consent_hash
        );
        let mut out = Vec::new();
        for e in &manifest.entries {
            assert!(claims.scope.covers(&e.path));
            let mut buf = Vec::new();
            reader.copy_entry(e.len, &mut buf).expect("entry");
            out.push((e.path.to_string(), buf));
        }
        reader.finish().expect("finish");
        out
    }

    #[test]
    fn agency_receives_exactly_the_granted_fields() {
        let v = vault();
        let (issued, sealed) = grant(&v, "identity.name,needs.*", Some(agency(1)));
        let got = redeem(&issued, &sealed, Some(&agency(1)));
        let names: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(names, ["identity.name", "needs.health", "needs.housing"]);
        assert_eq!(got[0].1, b"Ama");
    }

    #[test]
    fn documents_are_shared_whole() {
        let v = vault();
        let (issued, sealed) = grant(&v, "documents.passport", None);
        let got = redeem(&issued, &sealed, None);
        assert_eq!(
            got,
            vec![("documents.passport".to_string(), vec![9u8; 100_000])]
        );
    }

    #[test]
    fn nothing_is_pre_selected() {
        let v = vault();
        assert!(Scope::parse_list("").is_err());
        assert!(matches!(
            prepare(&v, request("nothing.here", None)),
            Err(GrantError::NothingMatches(_))
        ));
        let mut r = request("identity.name", None);
        r.purpose = "  ".into();
        assert!(matches!(prepare(&v, r), Err(GrantError::EmptyPurpose)));
    }

    #[test]
    fn tokens_for_two_agencies_are_unlinkable() {
        let v = vault();
        let main = *v.identity().public().key_bytes();
        let (a, _) = grant(&v, "identity.name", Some(agency(1)));
        let (b, _) = grant(&v, "identity.name", Some(agency(2)));
        let (c, _) = grant(&v, "identity.name", None);
        let (d, _) = grant(&v, "identity.name", None);
        let issuer = |i: &Issued| {
            UnverifiedToken::decode(&i.token)
                .expect("decode")
                .verify(T0, Some(&agency(1)))
                .map(|t| t.body().issuer)
        };
        let ia = issuer(&a).expect("a");
        let ib = UnverifiedToken::decode(&b.token)
            .expect("decode")
            .verify(T0, Some(&agency(2)))
            .expect("b")
            .body()
            .issuer;
        let ic = issuer(&c).expect("c");
        let id = issuer(&d).expect("d");
        assert_ne!(ia, ib);
        assert_ne!(ic, id, "every anyone-link gets a fresh key");
        for t in [&a, &b, &c, &d] {
            assert!(
                !t.token.windows(32).any(|w| w == main),
                "main key in a token"
            );
        }
        // One agency sees the same pairwise key each time.
        let (a2, _) = grant(&v, "needs.housing", Some(agency(1)));
        assert_eq!(issuer(&a2).expect("a2"), ia);
    }

    #[test]
    fn survivor_preview_shows_each_value_and_the_contact() {
        let v = vault();
        let p = prepare(
            &v,
            request("identity.name,documents.passport", Some(agency(1))),
        )
        .expect("prepare");
        let label = crate::contacts::label("Housing North", &agency(1));
        let text = p.survivor_preview(&v, Some(&label)).expect("preview");
        assert!(
            text.contains("  - documents.passport\n      will leave: a document of about 100 KB\n"),
            "{text}"
        );
        assert!(
            text.contains("  - identity.name\n      will leave: \"Ama\"\n"),
            "{text}"
        );
        assert!(text.contains(&label), "{text}");
        assert!(!p.consent_text.contains("Ama"));
    }

    #[test]
    fn grants_are_recorded_in_the_vault() {
        let v = vault();
        let (issued, _) = grant(&v, "identity.name", Some(agency(1)));
        let (records, bad) = records(&v).expect("records");
        assert_eq!(bad, 0);
        assert_eq!(records, vec![issued.record]);
    }
}
