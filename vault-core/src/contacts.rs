//! Contacts: names the survivor gives to ids, sealed in the vault.
//!
//! An id like `agency1xyg6cus3…` is something nobody can check by eye, and
//! a coercer could hand over their own. A contact is added once, on
//! purpose, from the agency's own id or QR text; after that the survivor
//! types `--to "Housing North"` and every screen shows
//! `Housing North (agency1xyg6cus3…)`: the name they chose and a short
//! fingerprint of the id.
//!
//! Each contact is one record in the vault's private namespace
//! [`NS_CONTACT`], keyed by its folded name (so
//! the name, like a field name, never reaches the disk in the clear).
//!
//! Names are the survivor's own text: whoever shows them uses
//! [`crate::display::visible`].
//!
//! The fingerprint is the role prefix, `1`, and the first
//! [`FINGERPRINT_CHARS`] characters of the id's data part: 40 bits. Four
//! characters (20 bits) would let anyone make a look-alike id on a laptop
//! in a second; 40 bits costs days of dedicated work, and the full id is
//! always one `vault contacts ls` away.

use serde::{Deserialize, Serialize};

use crate::id::{IdError, PublicId, Role};
use crate::vault::{Vault, VaultError, NS_CONTACT, NS_DELEGATION};

/// Characters of the id's data part shown in a fingerprint (5 bits each).
pub const FINGERPRINT_CHARS: usize = 8;
/// The longest name, in characters.
pub const MAX_NAME_CHARS: usize = 60;

/// One contact, as sealed in the vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// The name as the survivor typed it (trimmed).
    pub name: String,
    /// [`Role::code`] of the id.
    pub role: u8,
    /// The id's key.
    pub key: [u8; 32],
    /// When it was added (seconds since 1970).
    pub added: u64,
}

impl Contact {
    /// The contact's id; `None` only if the record was tampered with.
    pub fn id(&self) -> Option<PublicId> {
        PublicId::from_key_bytes(Role::from_code(self.role)?, &self.key)
    }

    /// `Name (agency1xyg6cus3…)`, the name shown inert.
    pub fn label(&self) -> String {
        match self.id() {
            Some(id) => label(&self.name, &id),
            None => crate::display::visible(&self.name).into_owned(),
        }
    }
}

/// Why a contact could not be added, found or removed. Messages are for
/// people.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ContactError {
    /// Empty name.
    #[error("{}", crate::msg!("contact-empty-name"))]
    EmptyName,
    /// Too long, or with line breaks or other control characters.
    #[error("{}", crate::msg!("contact-bad-name", max_name_chars = MAX_NAME_CHARS))]
    BadName,
    /// A name that reads as an id would be ambiguous wherever an id is accepted.
    #[error("{}", crate::msg!("contact-name-like-id"))]
    NameLikeId,
    /// The name is taken.
    #[error("{}", crate::msg!("contact-exists", value = .0))]
    Exists(String),
    /// No contact by that name.
    #[error("{}", crate::msg!("contact-not-found", value = .0))]
    NotFound(String),
    /// The contact is of another role than needed here.
    #[error("{}", crate::msg!("contact-wrong-role", name = .name, found = .found.prefix(), expected = .expected.prefix()))]
    WrongRole {
        /// The contact's name.
        name: String,
        /// What is needed.
        expected: Role,
        /// What the contact is.
        found: Role,
    },
    /// The id or QR text did not read as an id.
    #[error(transparent)]
    Id(#[from] IdError),
    /// Not an id of a role that can be a contact of this vault.
    #[error("{}", crate::msg!("contact-not-a-contact-role", found = .found.prefix(), keeper = .keeper.prefix()))]
    NotAContactRole {
        /// Whose vault the contact was for.
        keeper: Role,
        /// The id's role.
        found: Role,
    },
    /// The vault failed.
    #[error(transparent)]
    Vault(#[from] VaultError),
}

/// `agency1xyg6cus3…`: the role prefix, `1` and [`FINGERPRINT_CHARS`]
/// characters of the id.
pub fn fingerprint(id: &PublicId) -> String {
    let full = id.to_string();
    let head = id.role().prefix().len() + 1;
    format!("{}…", full.get(..head + FINGERPRINT_CHARS).unwrap_or(&full))
}

/// `Name (agency1xyg6cus3…)`, the name shown inert.
pub fn label(name: &str, id: &PublicId) -> String {
    format!("{} ({})", crate::display::visible(name), fingerprint(id))
}

/// Checks a name and returns it trimmed.
pub fn parse_name(name: &str) -> Result<String, ContactError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ContactError::EmptyName);
    }
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(crate::display::is_hidden) {
        return Err(ContactError::BadName);
    }
    if looks_like_id(name) {
        return Err(ContactError::NameLikeId);
    }
    Ok(name.to_owned())
}

/// Whether `text` starts like a printed id of any role (`agency1…`), so it
/// is read as an id (and a typo in it reported as one), never as a name.
pub fn looks_like_id(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    [Role::Agency, Role::Advocate, Role::Survivor, Role::Relay]
        .iter()
        .any(|r| lower.starts_with(&format!("{}1", r.prefix())))
}

/// The roles whose ids a `keeper`'s vault keeps as contacts: a survivor's,
/// agencies and advocates; an advocate's, survivors and agencies.
pub fn roles_for(keeper: Role) -> &'static [Role] {
    match keeper {
        Role::Survivor => &[Role::Agency, Role::Advocate],
        Role::Advocate => &[Role::Survivor, Role::Agency],
        _ => &[],
    }
}

/// Reads what was pasted to add a contact to `keeper`'s vault: an id, or
/// the text of the QR code `vault agency id --qr` shows (the id in
/// capitals), with any spaces or line breaks a copy added.
pub fn parse_id(text: &str, keeper: Role) -> Result<PublicId, ContactError> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let id: PublicId = compact.parse()?;
    if roles_for(keeper).contains(&id.role()) {
        Ok(id)
    } else {
        Err(ContactError::NotAContactRole {
            keeper,
            found: id.role(),
        })
    }
}

/// The record id of a name: its trimmed, lower-case form, so "housing
/// north" finds "Housing North".
fn folded(name: &str) -> Vec<u8> {
    name.trim().to_lowercase().into_bytes()
}

/// Adds a contact at `now`. Refuses a name already taken.
pub fn add(vault: &Vault, name: &str, id: &PublicId, now: u64) -> Result<Contact, ContactError> {
    let name = parse_name(name)?;
    if let Some(old) = find(vault, &name)? {
        return Err(ContactError::Exists(old.name));
    }
    let contact = Contact {
        name,
        role: id.role().code(),
        key: *id.key_bytes(),
        added: now,
    };
    vault.put_private(
        NS_CONTACT,
        &folded(&contact.name),
        &crate::format::encode(&contact),
    )?;
    Ok(contact)
}

/// The contact named `name` (any case), if there is one.
pub fn find(vault: &Vault, name: &str) -> Result<Option<Contact>, ContactError> {
    match vault.get_private(NS_CONTACT, &folded(name))? {
        None => Ok(None),
        Some(p) => crate::format::decode_canonical::<Contact>(&p)
            .map(Some)
            .map_err(|_| VaultError::RecordUnreadable.into()),
    }
}

/// Removes the contact named `name`, and returns it.
pub fn remove(vault: &Vault, name: &str) -> Result<Contact, ContactError> {
    let contact = find(vault, name)?.ok_or_else(|| ContactError::NotFound(name.trim().into()))?;
    vault.remove_private(NS_CONTACT, &folded(name))?;
    Ok(contact)
}

/// Every contact, sorted by name, and how many records could not be read.
pub fn list(vault: &Vault) -> Result<(Vec<Contact>, usize), VaultError> {
    let (plain, mut bad) = vault.private_records(NS_CONTACT)?;
    let mut out = Vec::new();
    for p in plain {
        match crate::format::decode_canonical::<Contact>(&p) {
            Ok(c) if c.id().is_some() => out.push(c),
            _ => bad += 1,
        }
    }
    out.sort_by_key(|c| c.name.to_lowercase());
    Ok((out, bad))
}

/// The first contact whose id is `id`.
pub fn named<'a>(contacts: &'a [Contact], id: &PublicId) -> Option<&'a Contact> {
    contacts
        .iter()
        .find(|c| c.role == id.role().code() && &c.key == id.key_bytes())
}

/// How to show `id` to the survivor: `Name (agency1xyg6cus3…)` if it is a
/// contact, else the whole id.
pub fn show(contacts: &[Contact], id: &PublicId) -> String {
    named(contacts, id).map_or_else(|| id.to_string(), Contact::label)
}

/// `text` with every whole id of a contact in it replaced by the contact's
/// label, for lines made elsewhere (the log) that name ids.
pub fn name_ids(text: &str, contacts: &[Contact]) -> String {
    let mut out = text.to_owned();
    for c in contacts {
        if let Some(id) = c.id() {
            out = out.replace(&id.to_string(), &c.label());
        }
    }
    out
}

/// Reads `text` where an id of `role` is expected: an id (a typo in it is
/// reported as one), or a contact's name.
pub fn resolve(vault: &Vault, text: &str, role: Role) -> Result<PublicId, ContactError> {
    if looks_like_id(text) {
        return Ok(PublicId::parse(text, role)?);
    }
    if text.trim().is_empty() {
        return Err(IdError::Empty { expected: role }.into());
    }
    let contact = find(vault, text)?.ok_or_else(|| ContactError::NotFound(text.trim().into()))?;
    let id = contact.id().ok_or(VaultError::RecordUnreadable)?;
    if id.role() != role {
        return Err(ContactError::WrongRole {
            name: contact.name,
            expected: role,
            found: id.role(),
        });
    }
    Ok(id)
}

/// A permission this vault gave an advocate, as it remembers it (the relay
/// holds the one that counts; this copy lets `vault delegate` say what a
/// new permission replaces).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delegation {
    /// The advocate's key.
    pub advocate: [u8; 32],
    /// Until when.
    pub until: u64,
    /// When it was given.
    pub given: u64,
}

/// The permission this vault last gave `advocate`, if any.
pub fn delegation(vault: &Vault, advocate: &PublicId) -> Result<Option<Delegation>, VaultError> {
    match vault.get_private(NS_DELEGATION, advocate.key_bytes())? {
        None => Ok(None),
        Some(p) => crate::format::decode_canonical::<Delegation>(&p)
            .map(Some)
            .map_err(|_| VaultError::RecordUnreadable),
    }
}

/// Remembers a permission given (replacing the one before).
pub fn remember_delegation(vault: &Vault, d: &Delegation) -> Result<(), VaultError> {
    vault.put_private(NS_DELEGATION, &d.advocate, &crate::format::encode(d))
}

/// Every permission this vault noted, soonest end first, and how many
/// notes could not be read.
pub fn delegations(vault: &Vault) -> Result<(Vec<Delegation>, usize), VaultError> {
    let (plain, mut bad) = vault.private_records(NS_DELEGATION)?;
    let mut out = Vec::new();
    for p in plain {
        match crate::format::decode_canonical::<Delegation>(&p) {
            Ok(d) => out.push(d),
            Err(_) => bad += 1,
        }
    }
    out.sort_by_key(|d| d.until);
    Ok((out, bad))
}

/// Forgets the permission given to `advocate`.
pub fn forget_delegation(vault: &Vault, advocate: &PublicId) -> Result<(), VaultError> {
    vault.remove_private(NS_DELEGATION, advocate.key_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::kdf::KdfParams;
    use crate::id::Identity;
    use crate::store::{MemoryDocuments, MemoryStore};

    fn vault() -> Vault {
        Vault::create_in(
            Box::new(MemoryStore::new()),
            Box::new(MemoryDocuments::new()),
            b"pass",
            Role::Survivor,
            KdfParams::INSECURE_FOR_TESTS,
        )
        .expect("vault")
    }

    fn agency(n: u8) -> PublicId {
        Identity::from_seed(Role::Agency, &[n; 32]).public()
    }

    #[test]
    fn keeps_contacts_sealed_and_finds_them_in_any_case() {
        let v = vault();
        add(&v, " Housing North ", &agency(1), 7).expect("add");
        let found = resolve(&v, "housing NORTH", Role::Agency).expect("resolve");
        assert_eq!(found, agency(1));
        let (all, bad) = list(&v).expect("list");
        assert_eq!((all.len(), bad), (1, 0));
        assert_eq!(all[0].name, "Housing North");
        // The name is not in any stored key or value in the clear.
        for (k, val) in v.store().scan_prefix(&[NS_CONTACT]).expect("scan") {
            for bytes in [&k, &val] {
                assert!(!bytes.windows(7).any(|w| w == b"Housing"));
            }
        }
        assert_eq!(
            remove(&v, "HOUSING north").expect("rm").name,
            "Housing North"
        );
        assert!(list(&v).expect("list").0.is_empty());
    }

    #[test]
    fn refuses_taken_names_ids_as_names_and_hidden_characters() {
        let v = vault();
        add(&v, "Housing North", &agency(1), 7).expect("add");
        assert!(matches!(
            add(&v, "housing north", &agency(2), 8),
            Err(ContactError::Exists(n)) if n == "Housing North"
        ));
        assert!(matches!(
            add(&v, "agency1 office", &agency(2), 8),
            Err(ContactError::NameLikeId)
        ));
        assert!(matches!(
            add(&v, "a\u{202e}b", &agency(2), 8),
            Err(ContactError::BadName)
        ));
        assert!(matches!(
            add(&v, "  ", &agency(2), 8),
            Err(ContactError::EmptyName)
        ));
    }

    #[test]
    fn refuses_unknown_names_and_reports_id_typos_as_typos() {
        let v = vault();
        assert!(matches!(
            resolve(&v, "Nobody", Role::Agency),
            Err(ContactError::NotFound(n)) if n == "Nobody"
        ));
        let mut typo = agency(1).to_string();
        typo.pop();
        assert!(matches!(
            resolve(&v, &typo, Role::Agency),
            Err(ContactError::Id(IdError::Malformed { .. }))
        ));
        let adv = Identity::from_seed(Role::Advocate, &[3; 32]).public();
        add(&v, "Ana", &adv, 1).expect("add");
        assert!(matches!(
            resolve(&v, "Ana", Role::Agency),
            Err(ContactError::WrongRole { .. })
        ));
    }

    #[test]
    fn reads_the_qr_text_of_an_id() {
        let id = agency(1);
        let qr = id.to_string().to_uppercase();
        let pasted = format!(" {}\n{} ", &qr[..20], &qr[20..]);
        assert_eq!(parse_id(&pasted, Role::Survivor).expect("parse"), id);
        let survivor = Identity::from_seed(Role::Survivor, &[1; 32]).public();
        assert!(matches!(
            parse_id(&survivor.to_string(), Role::Survivor),
            Err(ContactError::NotAContactRole { .. })
        ));
        // An advocate keeps survivors as contacts.
        assert_eq!(
            parse_id(&survivor.to_string(), Role::Advocate).expect("parse"),
            survivor
        );
    }

    #[test]
    fn labels_show_name_and_a_40_bit_fingerprint() {
        let id = agency(1);
        let fp = fingerprint(&id);
        assert_eq!(fp.chars().count(), "agency1".len() + FINGERPRINT_CHARS + 1);
        assert!(id.to_string().starts_with(fp.trim_end_matches('…')));
        assert_eq!(
            label("Housing\u{1b}North", &id),
            format!("Housing\\x1bNorth ({fp})")
        );
    }

    #[test]
    fn names_ids_in_lines_made_elsewhere() {
        let v = vault();
        let c = add(&v, "Housing North", &agency(1), 7).expect("add");
        let line = format!("Share ab was opened by the agency {}.", agency(1));
        assert_eq!(
            name_ids(&line, std::slice::from_ref(&c)),
            format!("Share ab was opened by the agency {}.", c.label())
        );
        let other = format!("the agency {}", agency(2));
        assert_eq!(name_ids(&other, &[c]), other);
    }

    #[test]
    fn remembers_delegations() {
        let v = vault();
        let adv = Identity::from_seed(Role::Advocate, &[3; 32]).public();
        assert!(delegation(&v, &adv).expect("get").is_none());
        let d = Delegation {
            advocate: *adv.key_bytes(),
            until: 100,
            given: 1,
        };
        remember_delegation(&v, &d).expect("put");
        assert_eq!(delegation(&v, &adv).expect("get"), Some(d));
        forget_delegation(&v, &adv).expect("forget");
        assert!(delegation(&v, &adv).expect("get").is_none());
    }
}
