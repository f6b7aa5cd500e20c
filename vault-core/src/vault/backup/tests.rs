use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::*;
use crate::docname::DocName;
use crate::store::{DocumentWriter, MemoryDocuments, MemoryStore};
use crate::vault::{NS_CONTACT, NS_DELEGATION, NS_GRANT};
use crate::{FieldPath, KdfParams, Kind, Role};

const P: KdfParams = KdfParams::INSECURE_FOR_TESTS;
const PASS: &[u8] = b"correct horse battery staple";

fn path(s: &str) -> FieldPath {
    FieldPath::parse(s).expect("valid test path")
}

/// A store and documents the test keeps a handle on.
#[derive(Clone, Default)]
struct Shared {
    store: Arc<MemoryStore>,
    docs: Arc<MemoryDocuments>,
}

impl Shared {
    fn boxes(&self) -> (Box<dyn Store>, Box<dyn Documents>) {
        (Box::new(self.store.clone()), Box::new(self.docs.clone()))
    }

    fn is_empty(&self) -> bool {
        self.store.raw_entries().is_empty() && self.docs.raw().is_empty()
    }
}

fn document_bytes(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

/// A vault holding a little of everything: texts, a named document over
/// several chunks, an unnamed one, an empty one, contacts, a grant record,
/// a helper's permission and what it knows of a relay.
fn full_vault() -> (Vault, Shared) {
    let shared = Shared::default();
    let (store, docs) = shared.boxes();
    let mut vault = Vault::create_in(store, docs, PASS, Role::Survivor, P).expect("create");
    vault.set_clock(|| 1_796_479_380);
    vault
        .put_text(
            &path("needs.housing"),
            "a ground-floor flat, near the school",
        )
        .expect("put");
    vault
        .put_text(&path("identity.name"), "Ana Lúcia")
        .expect("put");
    vault.put_text(&path("notes.empty"), "").expect("put");
    let name = DocName::new("passport scan.pdf", "application/pdf").expect("a good name");
    vault
        .put_named_document(
            &path("documents.passport"),
            Some(&name),
            &mut &document_bytes(3 * CHUNK_SIZE + 123, 1)[..],
            &mut |_| {},
        )
        .expect("put");
    vault
        .put_document(
            &path("documents.letter"),
            &mut &document_bytes(5000, 2)[..],
            &mut |_| {},
        )
        .expect("put");
    vault
        .put_document(&path("documents.none"), &mut &b""[..], &mut |_| {})
        .expect("put");
    let agency = crate::Identity::from_seed(Role::Agency, &[5; 32]);
    crate::contacts::add(&vault, "Housing North", &agency.public(), 1_796_479_380)
        .expect("contact");
    vault
        .put_private(NS_GRANT, &[9; 32], b"a grant record")
        .expect("grant");
    vault
        .put_private(NS_DELEGATION, &[8; 32], b"a permission")
        .expect("delegation");
    vault
        .put_private(NS_RELAY, b"https://relay.example.org", b"last head")
        .expect("relay");
    (vault, shared)
}

fn export_bytes(vault: &Vault) -> (Vec<u8>, Summary) {
    let mut out = Vec::new();
    let summary = export(vault, &mut out).expect("export");
    (out, summary)
}

fn import_bytes(bytes: &[u8], pass: &[u8]) -> (Result<Vault, BackupError>, Shared) {
    let shared = Shared::default();
    let (store, docs) = shared.boxes();
    let r = import(&mut &bytes[..], pass, store, docs);
    (r, shared)
}

fn all_private(vault: &Vault, ns: u8) -> Vec<Vec<u8>> {
    let (mut records, bad) = vault.private_records(ns).expect("records");
    assert_eq!(bad, 0);
    let mut out: Vec<Vec<u8>> = records.drain(..).map(|r| r.to_vec()).collect();
    out.sort();
    out
}

fn document(vault: &Vault, p: &FieldPath) -> Vec<u8> {
    let mut out = Vec::new();
    vault.read_document(p, &mut out, &mut |_| {}).expect("read");
    out
}

#[test]
fn round_trip_gives_back_an_equal_vault() {
    let (vault, _) = full_vault();
    let (bytes, summary) = export_bytes(&vault);
    assert_eq!(summary.records, 3);
    assert_eq!(summary.documents, 3);
    assert_eq!(summary.bytes, bytes.len() as u64);
    let (imported, shared) = import_bytes(&bytes, PASS);
    let imported = imported.expect("import");
    assert_eq!(
        imported.identity().public().to_string(),
        vault.identity().public().to_string()
    );
    let (entries, bad) = vault.list().expect("list");
    assert_eq!(imported.list().expect("list"), (entries.clone(), bad));
    assert_eq!(entries.len(), 6);
    for e in &entries {
        assert_eq!(imported.info(&e.path).expect("info"), e.clone());
        match e.kind {
            Kind::Text => assert_eq!(
                imported.get_text(&e.path).expect("text"),
                vault.get_text(&e.path).expect("text")
            ),
            Kind::Document => assert_eq!(document(&imported, &e.path), document(&vault, &e.path)),
        }
    }
    for ns in [NS_GRANT, NS_CONTACT, NS_DELEGATION, NS_RELAY] {
        assert_eq!(all_private(&imported, ns), all_private(&vault, ns), "{ns}");
    }
    assert_eq!(
        crate::contacts::list(&imported).expect("contacts").0,
        crate::contacts::list(&vault).expect("contacts").0
    );
    assert!(imported.check().expect("check").is_whole());
    // The same passphrase opens it, as a vault of its own.
    drop(imported);
    let (store, docs) = shared.boxes();
    let reopened = Vault::open_in(store, docs, PASS).expect("the same passphrase opens it");
    assert_eq!(reopened.list().expect("list"), (entries, 0));
}

#[test]
fn nothing_readable_is_in_the_file() {
    let (vault, _) = full_vault();
    let (bytes, _) = export_bytes(&vault);
    for needle in [
        &b"ground-floor"[..],
        b"needs.housing",
        b"passport",
        b"Housing North",
        b"relay.example",
        &document_bytes(64, 1)[..],
    ] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{:?} is readable in the backup",
            String::from_utf8_lossy(needle)
        );
    }
    // Every backup has its own key: the same vault gives other bytes.
    let (again, _) = export_bytes(&vault);
    assert_ne!(bytes[FIXED_HEADER_LEN..], again[FIXED_HEADER_LEN..]);
}

#[test]
fn body_is_padded_as_a_whole() {
    let (vault, _) = full_vault();
    let (bytes, _) = export_bytes(&vault);
    let (header, header_bytes) = Header::read(&mut &bytes[..]).expect("header");
    assert_eq!(padded_len(header.body_len), header.body_len);
    assert_eq!(
        bytes.len() as u64,
        header_bytes.len() as u64 + sealed_len(header.body_len)
    );
    // One more short text does not change the file's length.
    vault.put_text(&path("needs.food"), "rice").expect("put");
    let (more, _) = export_bytes(&vault);
    assert_eq!(more.len(), bytes.len());
}

#[test]
fn rejects_a_wrong_passphrase_and_leaves_nothing() {
    let (vault, _) = full_vault();
    let (bytes, _) = export_bytes(&vault);
    let (r, shared) = import_bytes(&bytes, b"wrong horse battery staple");
    assert!(matches!(r, Err(BackupError::WrongPassphrase)), "{r:?}");
    assert!(shared.is_empty());
}

#[test]
fn rejects_a_truncated_file_at_every_offset_and_leaves_nothing() {
    let (vault, _) = full_vault();
    let (bytes, _) = export_bytes(&vault);
    let header_len = Header::read(&mut &bytes[..]).expect("header").1.len();
    let mut cuts: Vec<usize> = (1..header_len + 40).collect();
    cuts.extend((header_len..bytes.len()).step_by(997));
    cuts.extend(bytes.len() - 20..bytes.len());
    for cut in cuts {
        let (r, shared) = import_bytes(&bytes[..cut], PASS);
        assert!(
            matches!(r, Err(BackupError::Truncated)),
            "cut at {cut} of {}: {r:?}",
            bytes.len()
        );
        assert!(shared.is_empty(), "cut at {cut} left something");
    }
    let (r, _) = import_bytes(&[], PASS);
    assert!(matches!(r, Err(BackupError::NotABackup)), "{r:?}");
}

#[test]
fn rejects_a_flipped_byte_and_leaves_nothing() {
    let (vault, _) = full_vault();
    let (bytes, _) = export_bytes(&vault);
    let header_len = Header::read(&mut &bytes[..]).expect("header").1.len();
    let mut at: Vec<usize> = (0..header_len).collect();
    at.extend((header_len..bytes.len()).step_by(1009));
    at.push(bytes.len() - 1);
    for i in at {
        let mut changed = bytes.clone();
        changed[i] ^= 0x20;
        let (r, shared) = import_bytes(&changed, PASS);
        assert!(r.is_err(), "a flipped byte at {i} was accepted");
        assert!(shared.is_empty(), "a flipped byte at {i} left something");
        if i >= header_len {
            assert!(matches!(r, Err(BackupError::Damaged)), "{i}: {r:?}");
        }
    }
    // A byte added at the end is refused too.
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(matches!(
        import_bytes(&longer, PASS).0,
        Err(BackupError::Damaged)
    ));
}

#[test]
fn says_when_a_file_is_not_a_backup_or_is_newer() {
    for bytes in [
        &b"%PDF-1.7 a letter"[..],
        b"SVLT\x01 a vault header",
        b"\x00\x00\x00\x00\x00",
    ] {
        let (r, _) = import_bytes(bytes, PASS);
        assert!(
            matches!(r, Err(BackupError::NotABackup)),
            "{bytes:?}: {r:?}"
        );
    }
    // The start of the magic alone is a backup cut short.
    for start in [&b"S"[..], b"SVB"] {
        assert!(matches!(
            import_bytes(start, PASS).0,
            Err(BackupError::Truncated)
        ));
    }
    let (vault, _) = full_vault();
    let (mut bytes, _) = export_bytes(&vault);
    bytes[4] = VERSION + 1;
    assert!(matches!(
        import_bytes(&bytes, PASS).0,
        Err(BackupError::Newer)
    ));
}

#[test]
fn refuses_to_import_into_a_store_that_is_not_empty() {
    let (vault, _) = full_vault();
    let (bytes, _) = export_bytes(&vault);
    let (_other, shared) = full_vault();
    let before = shared.store.raw_entries();
    let (store, docs) = shared.boxes();
    let r = import(&mut &bytes[..], PASS, store, docs);
    assert!(matches!(r, Err(BackupError::NotEmpty)), "{r:?}");
    assert_eq!(shared.store.raw_entries(), before);
}

#[test]
fn refuses_to_back_up_a_vault_with_a_damaged_document() {
    let (vault, shared) = full_vault();
    let (id, mut sealed) = shared.docs.raw().remove(0);
    sealed[10] ^= 1;
    shared.docs.set_raw(&id, sealed);
    let r = export(&vault, &mut Vec::new());
    assert!(matches!(r, Err(BackupError::VaultDamaged)), "{r:?}");
}

#[test]
fn remembers_the_last_backup_and_what_changed_since() {
    let (vault, _) = full_vault();
    assert_eq!(last_backup(&vault), None);
    assert!(changed_since_backup(&vault));
    let (bytes, summary) = export_bytes(&vault);
    // Made, but not yet saved: nothing is remembered.
    assert!(changed_since_backup(&vault));
    mark_saved(&vault, &summary).expect("mark");
    assert_eq!(last_backup(&vault), Some(1_796_479_380));
    assert!(!changed_since_backup(&vault));
    // Looking at the history (the relay's head) is not a change.
    vault
        .put_private(NS_RELAY, b"https://relay.example.org", b"a newer head")
        .expect("relay");
    assert!(!changed_since_backup(&vault));
    // The vault it gives back is the backup: nothing changed since.
    let (imported, _) = import_bytes(&bytes, PASS);
    let imported = imported.expect("import");
    assert_eq!(last_backup(&imported), Some(1_796_479_380));
    assert!(!changed_since_backup(&imported));
    // Saving, removing, a contact and a new passphrase are changes.
    imported.put_text(&path("needs.food"), "rice").expect("put");
    assert!(changed_since_backup(&imported));
    let (_, s) = export_bytes(&imported);
    mark_saved(&imported, &s).expect("mark");
    assert!(!changed_since_backup(&imported));
    imported.remove(&path("needs.food")).expect("rm");
    assert!(changed_since_backup(&imported));
    let (_, s) = export_bytes(&imported);
    mark_saved(&imported, &s).expect("mark");
    imported
        .change_passphrase(b"a new passphrase", P)
        .expect("passwd");
    assert!(changed_since_backup(&imported));
}

#[test]
fn a_backup_opens_with_the_passphrase_of_its_time() {
    let (vault, _) = full_vault();
    let (before, _) = export_bytes(&vault);
    vault
        .change_passphrase(b"a new passphrase", P)
        .expect("passwd");
    let (after, _) = export_bytes(&vault);
    assert!(import_bytes(&before, PASS).0.is_ok());
    assert!(matches!(
        import_bytes(&after, PASS).0,
        Err(BackupError::WrongPassphrase)
    ));
    assert!(import_bytes(&after, b"a new passphrase").0.is_ok());
}

#[test]
fn suggests_a_neutral_dated_file_name() {
    assert_eq!(
        suggested_file_name(1_796_479_380),
        "folio-2026-12-05.backup"
    );
}

// ---------------------------------------------------------------------
// Memory stays flat: bytes pass through, they are not gathered.

/// Counts the bytes read through it.
struct Counting<'a, R> {
    inner: R,
    count: &'a AtomicU64,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::SeqCst);
        Ok(n)
    }
}

/// Documents whose writers check, at every write, that what has been read
/// from the backup so far is at most `slack` bytes ahead of what was
/// written: the importer passes a document on as it reads it.
struct Watched {
    inner: MemoryDocuments,
    input_read: Arc<AtomicU64>,
    written: Arc<AtomicU64>,
    worst: Arc<AtomicU64>,
}

struct WatchedWriter<'a> {
    inner: Box<dyn DocumentWriter + 'a>,
    input_read: Arc<AtomicU64>,
    written: Arc<AtomicU64>,
    worst: Arc<AtomicU64>,
}

impl Write for WatchedWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        let written = self.written.fetch_add(n as u64, Ordering::SeqCst) + n as u64;
        let ahead = self
            .input_read
            .load(Ordering::SeqCst)
            .saturating_sub(written);
        self.worst.fetch_max(ahead, Ordering::SeqCst);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl DocumentWriter for WatchedWriter<'_> {
    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        self.inner.commit()
    }
}

impl Documents for Watched {
    fn create(&self, id: &[u8]) -> Result<Box<dyn DocumentWriter + '_>, StoreError> {
        Ok(Box::new(WatchedWriter {
            inner: self.inner.create(id)?,
            input_read: self.input_read.clone(),
            written: self.written.clone(),
            worst: self.worst.clone(),
        }))
    }
    fn open(&self, id: &[u8]) -> Result<Option<Box<dyn Read + '_>>, StoreError> {
        self.inner.open(id)
    }
    fn remove(&self, id: &[u8]) -> Result<(), StoreError> {
        self.inner.remove(id)
    }
}

/// A sink that checks, at every write, how far the reading of the
/// documents is ahead of what reached the backup.
struct WatchedSink<'a> {
    doc_read: &'a AtomicU64,
    written: u64,
    worst: u64,
}

impl Write for WatchedSink<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.written += buf.len() as u64;
        let ahead = self
            .doc_read
            .load(Ordering::SeqCst)
            .saturating_sub(self.written);
        self.worst = self.worst.max(ahead);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Documents whose readers count what is read from them.
struct CountedDocs {
    inner: Arc<MemoryDocuments>,
    read: Arc<AtomicU64>,
}

impl Documents for CountedDocs {
    fn create(&self, id: &[u8]) -> Result<Box<dyn DocumentWriter + '_>, StoreError> {
        self.inner.create(id)
    }
    fn open(&self, id: &[u8]) -> Result<Option<Box<dyn Read + '_>>, StoreError> {
        Ok(self.inner.open(id)?.map(|r| {
            Box::new(CountingOwned {
                inner: r,
                count: self.read.clone(),
            }) as Box<dyn Read>
        }))
    }
    fn remove(&self, id: &[u8]) -> Result<(), StoreError> {
        self.inner.remove(id)
    }
}

struct CountingOwned<'a> {
    inner: Box<dyn Read + 'a>,
    count: Arc<AtomicU64>,
}

impl Read for CountingOwned<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::SeqCst);
        Ok(n)
    }
}

#[test]
fn memory_stays_flat_in_the_size_of_a_document() {
    const BIG: usize = 6 * 1024 * 1024;
    // A bound far below the document: two sealed chunks and the records.
    const SLACK: u64 = 3 * SEALED_CHUNK_SIZE as u64;
    let store = Arc::new(MemoryStore::new());
    let docs = Arc::new(MemoryDocuments::new());
    let doc_read = Arc::new(AtomicU64::new(0));
    let vault = Vault::create_in(
        Box::new(store.clone()),
        Box::new(CountedDocs {
            inner: docs.clone(),
            read: doc_read.clone(),
        }),
        PASS,
        Role::Survivor,
        P,
    )
    .expect("create");
    vault
        .put_text(&path("needs.housing"), "a flat")
        .expect("put");
    vault
        .put_document(
            &path("documents.big"),
            &mut &document_bytes(BIG, 3)[..],
            &mut |_| {},
        )
        .expect("put");
    doc_read.store(0, Ordering::SeqCst);

    // Export: the document's bytes reach the backup as they are read.
    let mut sink = WatchedSink {
        doc_read: &doc_read,
        written: 0,
        worst: 0,
    };
    export(&vault, &mut sink).expect("export");
    assert!(doc_read.load(Ordering::SeqCst) >= BIG as u64);
    assert!(
        sink.worst <= SLACK,
        "export read {} bytes of the document ahead of what it wrote",
        sink.worst
    );

    // Import: the document is written as the backup is read.
    let mut bytes = Vec::new();
    export(&vault, &mut bytes).expect("export");
    let input_read = Arc::new(AtomicU64::new(0));
    let watched = Watched {
        inner: MemoryDocuments::new(),
        input_read: input_read.clone(),
        written: Arc::new(AtomicU64::new(0)),
        worst: Arc::new(AtomicU64::new(0)),
    };
    let worst = watched.worst.clone();
    let written = watched.written.clone();
    let mut input = Counting {
        inner: &bytes[..],
        count: &input_read,
    };
    let imported = import(
        &mut input,
        PASS,
        Box::new(MemoryStore::new()),
        Box::new(watched),
    )
    .expect("import");
    assert!(written.load(Ordering::SeqCst) >= BIG as u64);
    // The records come first; after them, the reader is never more than a
    // few chunks ahead of the document it writes.
    let records = input_read.load(Ordering::SeqCst) - written.load(Ordering::SeqCst);
    assert!(
        worst.load(Ordering::SeqCst) <= records + SLACK,
        "import read {} bytes ahead of what it wrote",
        worst.load(Ordering::SeqCst)
    );
    assert_eq!(
        document(&imported, &path("documents.big")),
        document_bytes(BIG, 3)
    );
}

#[cfg(feature = "native")]
#[test]
fn imports_into_a_folder_the_vault_command_opens() {
    let (vault, _) = full_vault();
    let (bytes, _) = export_bytes(&vault);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    // A failed import leaves no folder behind.
    let r = import_into_folder(&mut &bytes[..bytes.len() - 1], PASS, &dir, Role::Survivor);
    assert!(matches!(r, Err(BackupError::Truncated)), "{r:?}");
    assert!(!dir.exists());
    // Another role's keys are not a survivor's vault.
    let r = import_into_folder(&mut &bytes[..], PASS, &dir, Role::Agency);
    assert!(
        matches!(r, Err(BackupError::OtherRole(Role::Survivor))),
        "{r:?}"
    );
    assert!(!dir.exists());
    let imported = import_into_folder(&mut &bytes[..], PASS, &dir, Role::Survivor).expect("import");
    drop(imported);
    let opened = Vault::open(&dir, PASS).expect("open");
    assert_eq!(opened.list().expect("list"), vault.list().expect("list"));
    assert_eq!(
        document(&opened, &path("documents.passport")),
        document(&vault, &path("documents.passport"))
    );
    drop(opened);
    // Never over a vault.
    let r = import_into_folder(&mut &bytes[..], PASS, &dir, Role::Survivor);
    assert!(
        matches!(r, Err(BackupError::Vault(VaultError::AlreadyExists(_)))),
        "{r:?}"
    );
    assert!(Vault::open(&dir, PASS).is_ok());
}
