use super::*;
use crate::store::{Entry, MemoryDocuments, MemoryStore};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const P: KdfParams = KdfParams::INSECURE_FOR_TESTS;

/// A store and documents shared between a vault and the test, so the test
/// can tamper. Derefs to the store.
#[derive(Clone, Default)]
struct Shared {
    store: Arc<MemoryStore>,
    docs: Arc<MemoryDocuments>,
}

impl std::ops::Deref for Shared {
    type Target = MemoryStore;
    fn deref(&self) -> &MemoryStore {
        &self.store
    }
}

impl Shared {
    fn reopen(&self, passphrase: &[u8]) -> Result<Vault, VaultError> {
        Vault::open_in(
            Box::new(self.store.clone()),
            Box::new(self.docs.clone()),
            passphrase,
        )
    }

    /// Every document's id and sealed bytes, in id order.
    fn documents(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        self.docs.raw()
    }
}

fn text(v: &Vault, p: &FieldPath) -> Option<String> {
    v.get_text(p).expect("readable text").map(|t| t.to_string())
}

fn path(s: &str) -> FieldPath {
    FieldPath::parse(s).expect("valid test path")
}

fn new_vault() -> (Vault, Shared) {
    let store = Shared::default();
    let v = Vault::create_in(
        Box::new(store.store.clone()),
        Box::new(store.docs.clone()),
        b"pass",
        Role::Survivor,
        P,
    )
    .expect("create");
    (v, store)
}

fn record_entries(store: &Shared) -> Vec<Entry> {
    store.scan_prefix(b"R").expect("scan")
}

fn doc(v: &Vault, p: &FieldPath) -> Result<Vec<u8>, VaultError> {
    let mut out = Vec::new();
    v.read_document(p, &mut out, &mut |_| {})?;
    Ok(out)
}

fn put_doc(v: &Vault, p: &FieldPath, data: &[u8]) -> u64 {
    v.put_document(p, &mut &data[..], &mut |_| {})
        .expect("put document")
}

#[test]
fn rejects_wrong_passphrase() {
    let (_, store) = new_vault();
    let err = store.reopen(b"nope").expect_err("must refuse");
    assert!(matches!(err, VaultError::WrongPassphrase));
    store.reopen(b"pass").expect("right passphrase opens");
}

#[test]
fn identity_survives_reopen() {
    let (v, store) = new_vault();
    let id = v.identity().public();
    let again = store.reopen(b"pass").expect("open");
    assert_eq!(again.identity().public(), id);
    assert_eq!(id.role(), Role::Survivor);
}

#[test]
fn text_round_trips_and_replaces() {
    let (v, _) = new_vault();
    let p = path("needs.housing");
    v.put_text(&p, "first").expect("put");
    v.put_text(&p, "second").expect("put");
    assert_eq!(text(&v, &p).as_deref(), Some("second"));
    let (list, bad) = v.list().expect("list");
    assert_eq!(bad, 0);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].kind, Kind::Text);
    assert_eq!(list[0].size, 6);
}

#[test]
fn rejects_unknown_field() {
    let (v, _) = new_vault();
    assert!(matches!(
        v.get_text(&path("a.b")),
        Err(VaultError::FieldNotFound(_))
    ));
    assert!(matches!(
        v.remove(&path("a.b")),
        Err(VaultError::FieldNotFound(_))
    ));
}

#[test]
fn rejects_overlong_text() {
    let (v, _) = new_vault();
    let long = "x".repeat(MAX_TEXT_LEN + 1);
    assert!(matches!(
        v.put_text(&path("a"), &long),
        Err(VaultError::TextTooLong)
    ));
}

#[test]
fn change_passphrase_keeps_data_and_retires_old() {
    let (v, store) = new_vault();
    let p = path("identity.name");
    v.put_text(&p, "Ama").expect("put");
    let records_before = record_entries(&store);
    v.change_passphrase(b"new pass", P).expect("passwd");
    // No record was rewritten.
    assert_eq!(record_entries(&store), records_before);
    assert!(matches!(
        store.reopen(b"pass"),
        Err(VaultError::WrongPassphrase)
    ));
    let v2 = store.reopen(b"new pass").expect("open");
    assert_eq!(text(&v2, &p).as_deref(), Some("Ama"));
}

#[test]
fn rejects_swapped_records() {
    let (v, store) = new_vault();
    let a = path("needs.housing");
    let b = path("needs.health");
    v.put_text(&a, "housing").expect("put");
    v.put_text(&b, "health").expect("put");
    let entries = record_entries(&store);
    assert_eq!(entries.len(), 2);
    store
        .apply(vec![
            Op::Insert(entries[0].0.clone(), entries[1].1.clone()),
            Op::Insert(entries[1].0.clone(), entries[0].1.clone()),
        ])
        .expect("swap");
    assert!(matches!(v.get_text(&a), Err(VaultError::Unreadable(_))));
    assert!(matches!(v.get_text(&b), Err(VaultError::Unreadable(_))));
}

#[test]
fn tampered_record_leaves_other_fields_readable() {
    let (v, store) = new_vault();
    let a = path("needs.housing");
    let b = path("needs.health");
    v.put_text(&a, "housing").expect("put");
    v.put_text(&b, "health").expect("put");
    let key_a = record_key(&v.keys, &a);
    let mut sealed = store.get(&key_a).expect("get").expect("present");
    let last = sealed.len() - 1;
    sealed[last] ^= 1;
    store.insert(&key_a, &sealed).expect("tamper");
    assert!(matches!(v.get_text(&a), Err(VaultError::Unreadable(_))));
    assert_eq!(text(&v, &b).as_deref(), Some("health"));
    let (list, unreadable) = v.list().expect("list");
    assert_eq!(unreadable, 1);
    assert_eq!(list.len(), 1);
    // Overwriting a damaged field works.
    v.put_text(&a, "fresh").expect("overwrite");
    assert_eq!(text(&v, &a).as_deref(), Some("fresh"));
}

#[test]
fn rejects_every_single_bit_flip_of_a_small_record() {
    let (v, store) = new_vault();
    let p = path("needs.housing");
    v.put_text(&p, "near the school").expect("put");
    let key = record_key(&v.keys, &p);
    let sealed = store.get(&key).expect("get").expect("present");
    for bit in 0..sealed.len() * 8 {
        let mut t = sealed.clone();
        t[bit / 8] ^= 1 << (bit % 8);
        store.insert(&key, &t).expect("tamper");
        assert!(
            matches!(v.get_text(&p), Err(VaultError::Unreadable(_))),
            "flip of bit {bit} was accepted"
        );
    }
}

#[test]
fn keeps_the_identity_when_one_copy_has_any_bit_flipped() {
    let (v, store) = new_vault();
    let id = v.identity().public();
    drop(v);
    for key in [KEY_IDENTITY, KEY_IDENTITY_COPY] {
        let sealed = store.get(key).expect("get").expect("present");
        for bit in 0..sealed.len() * 8 {
            let mut t = sealed.clone();
            t[bit / 8] ^= 1 << (bit % 8);
            store.insert(key, &t).expect("tamper");
            let v = store.reopen(b"pass").expect("opens from the other copy");
            assert_eq!(v.identity().public(), id, "flip of bit {bit}");
            assert_eq!(v.repairs(), &[Repair::IdentityCopy][..]);
            // Rewritten: the next open finds nothing to repair.
            drop(v);
            assert!(store.reopen(b"pass").expect("open").repairs().is_empty());
        }
    }
}

#[test]
fn rejects_every_single_bit_flip_of_both_identity_copies() {
    let (_, store) = new_vault();
    let main = store.get(KEY_IDENTITY).expect("get").expect("present");
    let copy = store.get(KEY_IDENTITY_COPY).expect("get").expect("present");
    for bit in 0..main.len() * 8 {
        let mut t = main.clone();
        t[bit / 8] ^= 1 << (bit % 8);
        store.insert(KEY_IDENTITY, &t).expect("tamper");
        let mut c = copy.clone();
        c[bit / 8] ^= 1 << (bit % 8);
        store.insert(KEY_IDENTITY_COPY, &c).expect("tamper");
        assert!(
            matches!(store.reopen(b"pass"), Err(VaultError::IdentityUnreadable)),
            "flip of bit {bit} was accepted"
        );
    }
}

#[test]
fn keeps_the_vault_when_one_header_copy_has_any_bit_flipped() {
    let (v, store) = new_vault();
    let id = v.identity().public();
    drop(v);
    for key in [KEY_HEADER, KEY_HEADER_COPY] {
        let good = store.get(key).expect("get").expect("present");
        for bit in 0..good.len() * 8 {
            let mut t = good.clone();
            t[bit / 8] ^= 1 << (bit % 8);
            store.insert(key, &t).expect("tamper");
            let v = store.reopen(b"pass").expect("opens from the other copy");
            assert_eq!(v.identity().public(), id, "flip of bit {bit}");
            assert_eq!(v.repairs(), &[Repair::HeaderCopy][..]);
            assert_eq!(
                store.get(key).expect("get"),
                Some(good.clone()),
                "rewritten"
            );
            // A wrong passphrase is still called one.
            store.insert(key, &t).expect("tamper");
            drop(v);
            assert!(matches!(
                store.reopen(b"nope"),
                Err(VaultError::WrongPassphrase)
            ));
            store.insert(key, &good).expect("restore");
        }
    }
}

#[test]
fn documents_round_trip_at_boundaries() {
    let (v, _) = new_vault();
    let p = path("documents.passport");
    for len in [
        0,
        1,
        CHUNK_SIZE - 1,
        CHUNK_SIZE,
        CHUNK_SIZE + 1,
        2 * CHUNK_SIZE + 7,
    ] {
        let data: Vec<u8> = (0..len).map(|i| (i * 7 % 256) as u8).collect();
        assert_eq!(put_doc(&v, &p, &data), len as u64);
        assert_eq!(doc(&v, &p).expect("read"), data, "len {len}");
        assert_eq!(v.info(&p).expect("info").size, len as u64);
    }
}

const SEALED: usize = SEALED_CHUNK_SIZE;

/// The one document in the vault: its id and sealed bytes.
fn only_document(store: &Shared) -> (Vec<u8>, Vec<u8>) {
    let mut docs = store.documents();
    assert_eq!(docs.len(), 1, "one document expected");
    docs.remove(0)
}

#[test]
fn document_is_padded_then_sealed_in_chunks_back_to_back() {
    let (v, store) = new_vault();
    put_doc(
        &v,
        &path("documents.passport"),
        &vec![1u8; 2 * CHUNK_SIZE + 5],
    );
    let (_, bytes) = only_document(&store);
    // 131 077 bytes pad to 135 168 (Padmé: a multiple of 4096 at this
    // size): two full chunks and one of 4096, each with its tag.
    assert_eq!(bytes.len(), 2 * SEALED + 4096 + crypto::TAG_LEN);
}

#[test]
fn documents_of_nearby_sizes_make_files_of_one_size() {
    let (v, store) = new_vault();
    let small = [0usize, 1, 100, 4096];
    let larger = [70_000usize, 70_100, 71_679];
    for (i, len) in small.into_iter().enumerate() {
        put_doc(&v, &path(&format!("documents.d{i}")), &vec![7u8; len]);
    }
    for (i, len) in larger.into_iter().enumerate() {
        put_doc(&v, &path(&format!("documents.e{i}")), &vec![7u8; len]);
    }
    let sizes: Vec<usize> = store.documents().iter().map(|(_, b)| b.len()).collect();
    let mut distinct = sizes.clone();
    distinct.sort_unstable();
    distinct.dedup();
    // 4096 + tag for the small ones; 71 680 in two chunks for the others.
    assert_eq!(distinct, vec![4096 + 16, 71_680 + 32], "{sizes:?}");
    for (i, len) in small.into_iter().enumerate() {
        let back = doc(&v, &path(&format!("documents.d{i}"))).expect("read");
        assert_eq!(back, vec![7u8; len]);
    }
    for (i, len) in larger.into_iter().enumerate() {
        let back = doc(&v, &path(&format!("documents.e{i}"))).expect("read");
        assert_eq!(back, vec![7u8; len]);
    }
}

#[test]
fn rejects_padding_that_is_not_zeros() {
    let (v, store) = new_vault();
    let p = path("documents.note");
    put_doc(&v, &p, b"ten bytes!");
    let (id, _) = only_document(&store);
    // A file sealed with the right key but with a byte set in the padding:
    // only a faulty writer makes one, and it is refused all the same.
    let doc_id: DocId = id.as_slice().try_into().expect("16 bytes");
    let mut plain = b"ten bytes!".to_vec();
    plain.resize(4096, 0);
    plain[4000] = 1;
    let mut sealer = StreamSealer::new(&v.keys.document_key(&doc_id).expect("key"));
    sealer.seal_chunk(&mut plain, true).expect("seal");
    store.docs.set_raw(&id, plain);
    assert!(matches!(doc(&v, &p), Err(VaultError::Unreadable(_))));
}

#[test]
fn rejects_truncated_document() {
    let (v, store) = new_vault();
    let p = path("documents.passport");
    put_doc(&v, &p, &vec![1u8; 3 * CHUNK_SIZE]);
    let (id, bytes) = only_document(&store);
    // The whole last chunk gone, then just its last byte.
    for cut in [2 * SEALED, 3 * SEALED - 1, 0] {
        store.docs.set_raw(&id, bytes[..cut].to_vec());
        assert!(
            matches!(doc(&v, &p), Err(VaultError::Unreadable(_))),
            "cut at {cut}"
        );
    }
}

#[test]
fn rejects_appended_bytes() {
    let (v, store) = new_vault();
    let p = path("documents.passport");
    put_doc(&v, &p, &vec![1u8; CHUNK_SIZE + 1]);
    let (id, mut bytes) = only_document(&store);
    bytes.push(0);
    store.docs.set_raw(&id, bytes);
    assert!(matches!(doc(&v, &p), Err(VaultError::Unreadable(_))));
}

#[test]
fn rejects_missing_document_file() {
    let (v, store) = new_vault();
    let p = path("documents.passport");
    put_doc(&v, &p, b"short");
    let (id, _) = only_document(&store);
    crate::store::Documents::remove(&*store.docs, &id).expect("remove");
    assert!(matches!(doc(&v, &p), Err(VaultError::Unreadable(_))));
}

#[test]
fn rejects_flipped_bit_in_any_chunk() {
    let (v, store) = new_vault();
    let p = path("documents.passport");
    put_doc(&v, &p, &vec![1u8; 2 * CHUNK_SIZE + 9]);
    let (id, bytes) = only_document(&store);
    for at in [0, SEALED - 1, SEALED, 2 * SEALED + 3, bytes.len() - 1] {
        let mut bad = bytes.clone();
        bad[at] ^= 0x10;
        store.docs.set_raw(&id, bad);
        assert!(
            matches!(doc(&v, &p), Err(VaultError::Unreadable(_))),
            "flip at {at}"
        );
    }
}

#[test]
fn rejects_reordered_chunks() {
    let (v, store) = new_vault();
    let p = path("documents.passport");
    let data: Vec<u8> = (0..3 * CHUNK_SIZE)
        .map(|i| (i / CHUNK_SIZE) as u8)
        .collect();
    put_doc(&v, &p, &data);
    let (id, bytes) = only_document(&store);
    let mut swapped = bytes[SEALED..2 * SEALED].to_vec();
    swapped.extend_from_slice(&bytes[..SEALED]);
    swapped.extend_from_slice(&bytes[2 * SEALED..]);
    store.docs.set_raw(&id, swapped);
    assert!(matches!(doc(&v, &p), Err(VaultError::Unreadable(_))));
}

#[test]
fn rejects_chunk_swapped_between_documents() {
    let (v, store) = new_vault();
    let a = path("documents.a");
    let b = path("documents.b");
    put_doc(&v, &a, &vec![1u8; 2 * CHUNK_SIZE]);
    put_doc(&v, &b, &vec![1u8; 2 * CHUNK_SIZE]);
    let docs = store.documents();
    assert_eq!(docs.len(), 2);
    // The same chunk, at the same place, from the other document.
    let mut mixed = docs[0].1.clone();
    mixed[SEALED..].copy_from_slice(&docs[1].1[SEALED..]);
    store.docs.set_raw(&docs[0].0, mixed);
    let a_ok = doc(&v, &a).is_ok();
    let b_ok = doc(&v, &b).is_ok();
    assert!(!(a_ok && b_ok), "a foreign chunk was accepted");
}

#[test]
fn rejects_document_files_swapped() {
    let (v, store) = new_vault();
    let a = path("documents.a");
    let b = path("documents.b");
    put_doc(&v, &a, &[1u8; 100]);
    put_doc(&v, &b, &[2u8; 100]);
    let docs = store.documents();
    store.docs.set_raw(&docs[0].0, docs[1].1.clone());
    store.docs.set_raw(&docs[1].0, docs[0].1.clone());
    assert!(matches!(doc(&v, &a), Err(VaultError::Unreadable(_))));
    assert!(matches!(doc(&v, &b), Err(VaultError::Unreadable(_))));
}

#[test]
fn replacing_and_removing_documents_frees_their_files() {
    let (v, store) = new_vault();
    let p = path("documents.passport");
    put_doc(&v, &p, &vec![1u8; 3 * CHUNK_SIZE]);
    let (first, _) = only_document(&store);
    put_doc(&v, &p, &vec![2u8; CHUNK_SIZE + 1]);
    let (second, bytes) = only_document(&store);
    assert_ne!(first, second, "a new value gets a new document");
    // 65 537 bytes pad to 67 584 (a multiple of 2048): two chunks.
    assert_eq!(bytes.len(), SEALED + 2048 + crypto::TAG_LEN);
    assert!(store.keys_with_prefix(b"P").expect("keys").is_empty());
    v.remove(&p).expect("rm");
    assert!(store.documents().is_empty());
    assert!(record_entries(&store).is_empty());
}

struct FailingReader {
    left: usize,
}

impl Read for FailingReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Err(io::Error::other("disk went away"));
        }
        let n = buf.len().min(self.left);
        buf[..n].fill(7);
        self.left -= n;
        Ok(n)
    }
}

#[test]
fn failed_document_write_keeps_old_value_and_leaves_nothing() {
    let (v, store) = new_vault();
    let p = path("documents.passport");
    let old = vec![9u8; CHUNK_SIZE + 3];
    put_doc(&v, &p, &old);
    let before = store.documents();
    let err = v
        .put_document(
            &p,
            &mut FailingReader {
                left: 3 * CHUNK_SIZE,
            },
            &mut |_| {},
        )
        .expect_err("reader fails");
    assert!(matches!(err, VaultError::Io(_)));
    assert_eq!(doc(&v, &p).expect("old value"), old);
    assert_eq!(store.documents(), before, "the half-written file is gone");
    assert!(store.keys_with_prefix(b"P").expect("keys").is_empty());
}

#[test]
fn open_removes_what_an_interrupted_write_left() {
    let (v, store) = new_vault();
    let p = path("documents.passport");
    put_doc(&v, &p, b"kept");
    let kept = store.documents();
    // What a crash after the mark and some chunks leaves behind.
    let orphan = [7u8; 16];
    store.insert(&garbage_key(&orphan), b"").expect("mark");
    store.docs.set_raw(&orphan, vec![0u8; 1000]);
    drop(v);
    let v = store.reopen(b"pass").expect("reopen");
    assert_eq!(store.documents(), kept);
    assert!(store.keys_with_prefix(b"P").expect("keys").is_empty());
    assert_eq!(doc(&v, &p).expect("read"), b"kept");
}

#[test]
fn nothing_readable_in_the_store() {
    let (v, store) = new_vault();
    v.put_text(&path("secret.fieldname"), "DistinctiveValue123")
        .expect("put");
    put_doc(&v, &path("documents.diary"), b"DistinctiveDocument456");
    let docs = store.documents();
    let entries = store.raw_entries();
    let hays = entries
        .iter()
        .flat_map(|(k, v)| [k, v])
        .chain(docs.iter().map(|(_, d)| d));
    for hay in hays {
        for needle in [
            &b"DistinctiveValue123"[..],
            b"DistinctiveDocument456",
            b"secret.fieldname",
            b"fieldname",
        ] {
            assert!(!hay.windows(needle.len()).any(|w| w == needle));
        }
    }
}

#[test]
fn grant_and_relay_record_keys_hide_their_ids() {
    let (v, store) = new_vault();
    let origin = b"https://relay.shelter-example.org";
    let token_id = [0x5au8; 16];
    v.put_private(NS_RELAY, origin, b"pinned").expect("put");
    v.put_private(NS_GRANT, &token_id, b"grant").expect("put");
    for (key, value) in store.raw_entries() {
        for hay in [&key, &value] {
            assert!(!hay.windows(origin.len()).any(|w| w == origin));
            assert!(!hay.windows(token_id.len()).any(|w| w == token_id));
        }
    }
    assert_eq!(
        v.get_private(NS_RELAY, origin)
            .expect("get")
            .map(|p| p.to_vec()),
        Some(b"pinned".to_vec())
    );
    assert_eq!(v.private_records(NS_GRANT).expect("list").0.len(), 1);
    v.remove_private(NS_GRANT, &token_id).expect("remove");
    assert!(v.get_private(NS_GRANT, &token_id).expect("get").is_none());
}

#[test]
fn garbage_that_cannot_be_removed_does_not_stop_the_vault_opening() {
    let (v, store) = new_vault();
    put_doc(&v, &path("documents.kept"), b"kept");
    store
        .insert(b"P-odd", b"")
        .expect("a mark of the wrong length");
    drop(v);
    let v = store.reopen(b"pass").expect("reopen");
    assert_eq!(doc(&v, &path("documents.kept")).expect("read"), b"kept");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        #[test]
        fn text_round_trips(value in ".{0,200}") {
            let (v, _) = new_vault();
            let p = path("a.b");
            v.put_text(&p, &value).expect("put");
            prop_assert_eq!(text(&v, &p), Some(value));
        }

        #[test]
        fn documents_round_trip(len in prop_oneof![
            Just(0usize), Just(1), Just(CHUNK_SIZE - 1), Just(CHUNK_SIZE), Just(CHUNK_SIZE + 1),
            0usize..4 * CHUNK_SIZE,
        ], seed in any::<u8>()) {
            let (v, _) = new_vault();
            let p = path("documents.x");
            let data: Vec<u8> = (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect();
            put_doc(&v, &p, &data);
            prop_assert_eq!(doc(&v, &p).expect("read"), data);
        }
    }

    #[test]
    fn several_mib_document_round_trips() {
        let (v, _) = new_vault();
        let p = path("documents.big");
        let data: Vec<u8> = (0..5 * 1024 * 1024 + 13)
            .map(|i: usize| (i % 253) as u8)
            .collect();
        put_doc(&v, &p, &data);
        assert_eq!(doc(&v, &p).expect("read"), data);
    }
}

mod on_disk {
    use super::*;

    fn all_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                out.extend(all_bytes(&path));
            } else {
                out.push((path.clone(), std::fs::read(&path).expect("read")));
            }
        }
        out.sort();
        out
    }

    #[test]
    fn wrong_passphrase_leaves_every_file_untouched() {
        let dir = tempfile::tempdir().expect("tempdir");
        let v = Vault::create(dir.path(), b"pass", Role::Survivor, P).expect("create");
        v.put_text(&path("a"), "x").expect("put");
        drop(v);
        let before = all_bytes(dir.path());
        assert!(matches!(
            Vault::open(dir.path(), b"wrong"),
            Err(VaultError::WrongPassphrase)
        ));
        assert_eq!(all_bytes(dir.path()), before);
    }

    #[test]
    fn passwd_leaves_no_old_wrapping_behind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let v = Vault::create(dir.path(), b"pass", Role::Survivor, P).expect("create");
        let old = header::decode(&std::fs::read(dir.path().join(HEADER_FILE)).expect("read"))
            .expect("decode");
        v.change_passphrase(b"new pass", P).expect("passwd");
        drop(v);
        for (file, bytes) in all_bytes(dir.path()) {
            assert!(
                !bytes.windows(old.wrapped.len()).any(|w| w == old.wrapped),
                "the old wrapped key is still in {}",
                file.display()
            );
        }
        assert!(matches!(
            Vault::open(dir.path(), b"pass"),
            Err(VaultError::WrongPassphrase)
        ));
        Vault::open(dir.path(), b"new pass").expect("new passphrase opens");
    }

    #[test]
    fn refuses_second_open_while_locked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let v = Vault::create(dir.path(), b"pass", Role::Survivor, P).expect("create");
        assert!(matches!(
            Vault::open(dir.path(), b"pass"),
            Err(VaultError::Locked)
        ));
        drop(v);
        Vault::open(dir.path(), b"pass").expect("opens once released");
    }

    #[test]
    fn refuses_to_create_over_a_vault_or_other_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        drop(Vault::create(dir.path(), b"pass", Role::Survivor, P).expect("create"));
        assert!(matches!(
            Vault::create(dir.path(), b"pass", Role::Survivor, P),
            Err(VaultError::AlreadyExists(_))
        ));
        let other = tempfile::tempdir().expect("tempdir");
        std::fs::write(other.path().join("notes.txt"), b"mine").expect("write");
        assert!(matches!(
            Vault::create(other.path(), b"pass", Role::Survivor, P),
            Err(VaultError::NotEmpty(_))
        ));
        assert_eq!(
            std::fs::read(other.path().join("notes.txt")).expect("read"),
            b"mine"
        );
    }

    #[test]
    fn refuses_to_create_over_folders_of_someone_elses_named_like_ours() {
        for (folder, file) in [("documents", "letter.pdf"), ("store", "notes.txt")] {
            let dir = tempfile::tempdir().expect("tempdir");
            std::fs::create_dir(dir.path().join(folder)).expect("mkdir");
            std::fs::write(dir.path().join(folder).join(file), b"mine").expect("write");
            assert!(
                matches!(
                    Vault::create(dir.path(), b"pass", Role::Survivor, P),
                    Err(VaultError::NotEmpty(_))
                ),
                "{folder}/{file}"
            );
            assert_eq!(
                std::fs::read(dir.path().join(folder).join(file)).expect("read"),
                b"mine"
            );
        }
    }

    #[test]
    fn a_garbage_file_that_cannot_be_removed_does_not_stop_the_vault_opening() {
        let dir = tempfile::tempdir().expect("tempdir");
        let v = Vault::create(dir.path(), b"pass", Role::Survivor, P).expect("create");
        put_doc(&v, &path("documents.kept"), b"kept");
        let orphan = [9u8; 16];
        v.store().insert(&garbage_key(&orphan), b"").expect("mark");
        v.store().flush().expect("flush");
        drop(v);
        // A folder where the file should be: removing it fails, even as root.
        let stuck = dir
            .path()
            .join(DOCUMENTS_DIR)
            .join(crate::store::documents::file_name(&orphan));
        std::fs::create_dir(&stuck).expect("mkdir");
        let v = Vault::open(dir.path(), b"pass").expect("opens all the same");
        assert_eq!(doc(&v, &path("documents.kept")).expect("read"), b"kept");
        assert!(
            v.store().get(&garbage_key(&orphan)).expect("get").is_some(),
            "the mark stays, to try again next time"
        );
    }

    #[test]
    fn init_may_finish_over_its_own_interrupted_leftovers() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(HEADER_TMP), b"half a header").expect("write");
        std::fs::write(dir.path().join(LOCK_FILE), b"").expect("write");
        // What `create` made before the header, in this version and the
        // one before: the records folder, sled's files, an empty documents
        // folder.
        let records = FolderStore::open(&dir.path().join(RECORDS_DIR)).expect("records");
        records
            .insert(KEY_IDENTITY, b"half an init")
            .expect("insert");
        drop(records);
        let store = SledStore::open(&dir.path().join(STORE_DIR)).expect("sled");
        store.flush().expect("flush");
        drop(store);
        std::fs::create_dir(dir.path().join(DOCUMENTS_DIR)).expect("mkdir");
        drop(Vault::create(dir.path(), b"pass", Role::Survivor, P).expect("create"));
        assert!(!dir.path().join(HEADER_TMP).exists());
        Vault::open(dir.path(), b"pass").expect("opens");
    }

    #[cfg(unix)]
    #[test]
    fn vault_folder_is_private_even_if_it_existed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
        drop(Vault::create(dir.path(), b"pass", Role::Survivor, P).expect("create"));
        let mode = std::fs::metadata(dir.path())
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    fn document_files(dir: &Path) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join(DOCUMENTS_DIR))
            .expect("documents folder")
            .map(|e| e.expect("entry").path())
            .collect();
        files.sort();
        files
    }

    #[test]
    fn documents_live_in_their_own_files_and_leave_with_rm() {
        let dir = tempfile::tempdir().expect("tempdir");
        let v = Vault::create(dir.path(), b"pass", Role::Survivor, P).expect("create");
        let p = path("documents.passport");
        let data: Vec<u8> = (0..3 * CHUNK_SIZE + 10).map(|i| (i % 251) as u8).collect();
        put_doc(&v, &p, &data);
        let files = document_files(dir.path());
        assert_eq!(files.len(), 1);
        let file = &files[0];
        let name = file.file_name().and_then(|n| n.to_str()).expect("name");
        assert_eq!(name.len(), 32);
        assert!(name
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        // 196 618 bytes pad to 200 704: four chunks.
        assert_eq!(
            std::fs::metadata(file).expect("meta").len(),
            (200_704 + 4 * crypto::TAG_LEN) as u64
        );
        drop(v);
        let v = Vault::open(dir.path(), b"pass").expect("open");
        assert_eq!(doc(&v, &p).expect("read"), data);

        // A file cut short on disk is reported as damaged.
        let bytes = std::fs::read(file).expect("read");
        std::fs::write(file, &bytes[..bytes.len() - 1]).expect("write");
        assert!(matches!(doc(&v, &p), Err(VaultError::Unreadable(_))));
        std::fs::write(file, &bytes).expect("write");
        assert_eq!(doc(&v, &p).expect("read"), data);

        v.remove(&p).expect("rm");
        assert!(document_files(dir.path()).is_empty());
    }

    #[test]
    fn open_removes_a_file_an_interrupted_write_left() {
        let dir = tempfile::tempdir().expect("tempdir");
        let v = Vault::create(dir.path(), b"pass", Role::Survivor, P).expect("create");
        put_doc(&v, &path("documents.kept"), b"kept");
        let kept = document_files(dir.path());
        let orphan = [9u8; 16];
        v.store().insert(&garbage_key(&orphan), b"").expect("mark");
        v.store().flush().expect("flush");
        drop(v);
        let stray = dir
            .path()
            .join(DOCUMENTS_DIR)
            .join(crate::store::documents::file_name(&orphan));
        std::fs::write(&stray, vec![0u8; 1000]).expect("write");
        let v = Vault::open(dir.path(), b"pass").expect("open");
        assert_eq!(document_files(dir.path()), kept);
        assert_eq!(doc(&v, &path("documents.kept")).expect("read"), b"kept");
    }

    #[test]
    fn concurrent_writes_keep_every_document() {
        let (v, _) = new_vault();
        let v = Arc::new(v);
        let data = vec![3u8; 5 * CHUNK_SIZE];
        std::thread::scope(|s| {
            let v1 = Arc::clone(&v);
            let d = &data;
            s.spawn(move || put_doc(&v1, &path("documents.big"), d));
            for i in 0..20 {
                v.put_text(&path("notes.n"), &format!("{i}")).expect("put");
            }
        });
        assert_eq!(doc(&v, &path("documents.big")).expect("read"), data);
    }
}

/// Issue 10, item 2: damage to the disk costs the records it touches,
/// never the whole vault. Every file of a vault on disk is damaged in turn
/// (one bit at many offsets, cut short, emptied, deleted), and each time
/// every field the file does not hold still reads.
mod damage_on_disk {
    use super::*;

    const FIELDS: [(&str, &str); 3] = [
        ("identity.name", "Ama"),
        ("needs.housing", "a ground-floor flat"),
        ("needs.food", "bread and rice"),
    ];

    fn make() -> (tempfile::TempDir, Vec<u8>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let v = Vault::create(dir.path(), b"pass", Role::Survivor, P).expect("create");
        for (p, value) in FIELDS {
            v.put_text(&path(p), value).expect("put");
        }
        put_doc(&v, &path("documents.id"), b"a scan");
        let id = v.identity().public().to_string().into_bytes();
        (dir, id)
    }

    /// Every file a vault keeps its records and keys in.
    fn vault_files(dir: &Path) -> Vec<PathBuf> {
        let mut files = vec![dir.join(HEADER_FILE), dir.join(HEADER_COPY_FILE)];
        for entry in std::fs::read_dir(dir.join(RECORDS_DIR)).expect("records") {
            files.push(entry.expect("entry").path());
        }
        files.sort();
        files
    }

    /// Opens the vault and checks that every field reads, except at most
    /// one, which is reported as damaged (never a wrong value). Returns
    /// how many fields did not read.
    fn every_other_field_reads(dir: &Path, id: &[u8], what: &str) -> usize {
        let v = Vault::open(dir, b"pass").unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(v.identity().public().to_string().as_bytes(), id, "{what}");
        let mut lost = 0;
        for (p, value) in FIELDS {
            match v.get_text(&path(p)) {
                Ok(t) => assert_eq!(t.as_deref().map(String::as_str), Some(value), "{what}"),
                Err(VaultError::Unreadable(_) | VaultError::FieldNotFound(_)) => lost += 1,
                Err(e) => panic!("{what}: {p}: {e}"),
            }
        }
        match doc(&v, &path("documents.id")) {
            Ok(d) => assert_eq!(d, b"a scan", "{what}"),
            Err(VaultError::Unreadable(_) | VaultError::FieldNotFound(_)) => lost += 1,
            Err(e) => panic!("{what}: documents.id: {e}"),
        }
        assert!(lost <= 1, "{what}: {lost} fields lost");
        let report = v.check().unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(report.readable.len(), 4 - lost, "{what}");
        lost
    }

    #[test]
    fn keeps_every_other_record_when_one_bit_flips_anywhere() {
        let (dir, id) = make();
        let mut trials = 0;
        let mut lost = 0;
        for file in vault_files(dir.path()) {
            let good = std::fs::read(&file).expect("read");
            // Every byte of small files; a bit that moves along the byte.
            for at in 0..good.len() {
                let mut bad = good.clone();
                bad[at] ^= 1 << (at % 8);
                std::fs::write(&file, &bad).expect("flip");
                let what = format!("{} byte {at}", file.display());
                lost += every_other_field_reads(dir.path(), &id, &what);
                trials += 1;
                // Opening rewrites damaged copies; put a damaged record
                // back as it was for the next trial.
                std::fs::write(&file, &good).expect("restore");
            }
        }
        assert!(trials > 500, "{trials} trials");
        assert!(lost > 0, "some flips hit a field's own record");
    }

    #[test]
    fn keeps_every_other_record_when_a_file_is_cut_emptied_or_lost() {
        let (dir, id) = make();
        for file in vault_files(dir.path()) {
            let good = std::fs::read(&file).expect("read");
            for (how, bytes) in [
                ("cut in half", Some(&good[..good.len() / 2])),
                ("emptied", Some(&good[..0])),
                ("deleted", None),
            ] {
                match bytes {
                    Some(b) => std::fs::write(&file, b).expect("cut"),
                    None => std::fs::remove_file(&file).expect("delete"),
                }
                let what = format!("{} {how}", file.display());
                every_other_field_reads(dir.path(), &id, &what);
                std::fs::write(&file, &good).expect("restore");
            }
        }
    }

    #[test]
    fn keeps_the_vault_when_the_whole_header_or_identity_file_is_lost() {
        let (dir, id) = make();
        std::fs::remove_file(dir.path().join(HEADER_FILE)).expect("delete");
        assert!(Vault::exists(dir.path()), "the copy still makes it a vault");
        let v = Vault::open(dir.path(), b"pass").expect("opens from the copy");
        assert_eq!(v.repairs(), &[Repair::HeaderCopy][..]);
        drop(v);
        assert!(dir.path().join(HEADER_FILE).is_file(), "rewritten");
        let identity = dir
            .path()
            .join(RECORDS_DIR)
            .join(crate::store::folder::file_name(KEY_IDENTITY));
        std::fs::remove_file(&identity).expect("delete");
        let v = Vault::open(dir.path(), b"pass").expect("opens from the copy");
        assert_eq!(v.repairs(), &[Repair::IdentityCopy][..]);
        drop(v);
        assert!(identity.is_file(), "rewritten");
        assert_eq!(every_other_field_reads(dir.path(), &id, "after"), 0);
    }

    #[test]
    fn check_names_damaged_documents_and_counts_damaged_records() {
        let (dir, _) = make();
        let v = Vault::open(dir.path(), b"pass").expect("open");
        assert!(v.check().expect("check").is_whole());
        let food = record_key(&v.keys, &path("needs.food"));
        let mut sealed = v.store().get(&food).expect("get").expect("present");
        sealed[20] ^= 4;
        v.store().insert(&food, &sealed).expect("tamper");
        let file = &document_files(dir.path())[0];
        let mut bytes = std::fs::read(file).expect("read");
        bytes[3] ^= 1;
        std::fs::write(file, &bytes).expect("tamper");
        let report = v.check().expect("check");
        assert_eq!(report.damaged_records, 1);
        assert_eq!(report.damaged_documents, vec![path("documents.id")]);
        assert_eq!(
            report
                .readable
                .iter()
                .map(|e| e.path.as_str())
                .collect::<Vec<_>>(),
            vec!["identity.name", "needs.housing"]
        );
        assert_eq!(v.remove_damaged().expect("repair"), 2);
        assert!(v.check().expect("check").is_whole());
        assert!(document_files(dir.path()).is_empty(), "its file went too");
        assert_eq!(v.list().expect("list").0.len(), 2);
    }

    fn document_files(dir: &Path) -> Vec<PathBuf> {
        std::fs::read_dir(dir.join(DOCUMENTS_DIR))
            .expect("documents")
            .map(|e| e.expect("entry").path())
            .collect()
    }

    /// A vault as the previous version left it: records in sled under
    /// `store/`, one header, one identity.
    fn make_sled_vault() -> (tempfile::TempDir, Vec<u8>) {
        let (dir, id) = make();
        let records = FolderStore::open(&dir.path().join(RECORDS_DIR)).expect("records");
        let mut entries = records.scan_prefix(b"").expect("scan");
        drop(records);
        entries.retain(|(k, _)| k.as_slice() != KEY_IDENTITY_COPY);
        let sled = SledStore::open(&dir.path().join(STORE_DIR)).expect("sled");
        sled.apply(entries.into_iter().map(|(k, v)| Op::Insert(k, v)).collect())
            .expect("apply");
        sled.flush().expect("flush");
        drop(sled);
        std::fs::remove_dir_all(dir.path().join(RECORDS_DIR)).expect("rm records");
        std::fs::remove_file(dir.path().join(HEADER_COPY_FILE)).expect("rm copy");
        (dir, id)
    }

    #[test]
    fn moves_an_older_vaults_records_out_of_sled() {
        let (dir, id) = make_sled_vault();
        let v = Vault::open(dir.path(), b"pass").expect("open");
        // 3 fields, 1 document, the identity; no garbage marks.
        // (sled made its files with the umask's modes; they are fixed too.)
        assert!(
            v.repairs().contains(&Repair::Migrated { records: 5 }),
            "{:?}",
            v.repairs()
        );
        drop(v);
        assert!(
            !dir.path().join(STORE_DIR).exists(),
            "sled's folder is gone"
        );
        assert!(dir.path().join(HEADER_COPY_FILE).is_file());
        assert_eq!(every_other_field_reads(dir.path(), &id, "migrated"), 0);
        let v = Vault::open(dir.path(), b"pass").expect("open");
        assert!(v.repairs().is_empty(), "{:?}", v.repairs());
    }

    #[test]
    fn a_migration_that_stopped_half_way_starts_again_or_finishes() {
        // Stopped while copying: a partial records.new/ beside store/.
        let (dir, id) = make_sled_vault();
        let partial = FolderStore::open(&dir.path().join(RECORDS_NEW_DIR)).expect("new");
        partial.insert(b"K", b"half").expect("insert");
        drop(partial);
        let v = Vault::open(dir.path(), b"pass").expect("open");
        assert!(
            v.repairs().contains(&Repair::Migrated { records: 5 }),
            "{:?}",
            v.repairs()
        );
        drop(v);
        assert!(!dir.path().join(RECORDS_NEW_DIR).exists());
        assert_eq!(every_other_field_reads(dir.path(), &id, "restarted"), 0);

        // Stopped after the rename, before store/ was removed.
        let (dir, id) = make_sled_vault();
        drop(Vault::open(dir.path(), b"pass").expect("migrate"));
        let sled = SledStore::open(&dir.path().join(STORE_DIR)).expect("sled");
        sled.insert(b"K", b"stale").expect("insert");
        sled.flush().expect("flush");
        drop(sled);
        assert_eq!(every_other_field_reads(dir.path(), &id, "finished"), 0);
        assert!(!dir.path().join(STORE_DIR).exists());
    }

    #[test]
    fn refuses_an_unreadable_older_store_and_leaves_it_as_it_was() {
        let (dir, _) = make_sled_vault();
        let db = dir.path().join(STORE_DIR).join("db");
        let good = std::fs::read(&db).expect("read");
        let mut outcomes = std::collections::BTreeMap::new();
        for at in (0..good.len()).step_by(61) {
            let mut bad = good.clone();
            bad[at] ^= 1 << (at % 8);
            std::fs::write(&db, &bad).expect("flip");
            let outcome = match Vault::open(dir.path(), b"pass") {
                Err(VaultError::OldStoreUnreadable) => {
                    assert!(
                        std::fs::read(&db).expect("read") == bad,
                        "byte {at} changed"
                    );
                    assert!(!dir.path().join(STORE_READ_DIR).exists());
                    assert!(!dir.path().join(RECORDS_DIR).exists());
                    assert!(!dir.path().join(RECORDS_NEW_DIR).exists());
                    "refused"
                }
                Ok(_) => "opened",
                Err(e) => panic!("byte {at}: {e}"),
            };
            *outcomes.entry(outcome).or_insert(0) += 1;
            if outcome == "opened" {
                break;
            }
        }
        assert!(outcomes.contains_key("refused"), "{outcomes:?}");
    }

    #[cfg(unix)]
    #[test]
    fn makes_loose_permissions_private_and_says_so() {
        use std::os::unix::fs::PermissionsExt;
        let (dir, _) = make();
        let loose = [
            dir.path().join(LOCK_FILE),
            dir.path().join(HEADER_FILE),
            dir.path().join(RECORDS_DIR),
        ];
        for p in &loose {
            let mode = if p.is_dir() { 0o755 } else { 0o644 };
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).expect("chmod");
        }
        let v = Vault::open(dir.path(), b"pass").expect("open");
        let Some(Repair::Permissions(fixed)) = v.repairs().first() else {
            panic!("{:?}", v.repairs());
        };
        let mut fixed = fixed.clone();
        fixed.sort();
        let mut want = loose.to_vec();
        want.sort();
        assert_eq!(fixed, want);
        for p in &loose {
            let mode = std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, if p.is_dir() { 0o700 } else { 0o600 }, "{p:?}");
        }
    }
}

/// Time comes from outside: a vault records the time its clock gives, not
/// `SystemTime::now()` (which panics in the browser).
#[test]
fn keeps_the_time_its_clock_gives() {
    let (mut v, _store) = new_vault();
    v.set_clock(|| 1_234_567);
    let p = path("needs.housing");
    v.put_text(&p, "a flat").expect("put");
    assert_eq!(v.info(&p).expect("info").updated, 1_234_567);
}

#[test]
fn keeps_a_documents_name_and_type_sealed_and_across_reopen() {
    let (v, store) = new_vault();
    let p = path("documents.passport");
    let name = DocName::from_file_name("Pasaporte de María.jpg").expect("a plain name");
    let data = b"\xff\xd8\xff not really a jpeg".to_vec();
    v.put_named_document(&p, Some(&name), &mut &data[..], &mut |_| {})
        .expect("put");
    let info = v.info(&p).expect("info");
    assert_eq!((info.kind, info.size), (Kind::Document, data.len() as u64));
    assert_eq!(
        info.name.as_ref().map(DocName::name),
        Some("Pasaporte de María.jpg")
    );
    assert_eq!(
        info.name.as_ref().map(DocName::media_type),
        Some("image/jpeg")
    );
    assert_eq!(doc(&v, &p).expect("read"), data);
    // Sealed: the name is nowhere in the store in the clear.
    for (_, sealed) in record_entries(&store) {
        assert!(!sealed.windows(9).any(|w| w == b"Pasaporte"));
    }
    drop(v);
    let v = store.reopen(b"pass").expect("reopen");
    assert_eq!(v.info(&p).expect("info").name, Some(name));
    assert_eq!(v.list().expect("list").0[0].name, info.name);
    // Replaced by a document without a name (from a pipe): the name goes,
    // and the old chunks with it.
    put_doc(&v, &p, b"other");
    assert_eq!(v.info(&p).expect("info").name, None);
    assert_eq!(store.documents().len(), 1);
}

#[test]
fn a_document_saved_before_names_were_kept_still_opens() {
    // Variant 1 is the format vaults have always written: its bytes are
    // pinned, so a vault written before names were kept opens unchanged.
    let old = Value::Document {
        id: [7; 16],
        len: 5,
    };
    let mut want = vec![1];
    want.extend([7; 16]);
    want.push(5);
    assert_eq!(crate::format::encode(&old), want);
    let named = Value::NamedDocument {
        id: [7; 16],
        len: 5,
        name: DocName::new("a.pdf", "application/pdf").expect("name"),
    };
    let mut want = vec![2];
    want.extend([7; 16]);
    want.extend([5, 5]);
    want.extend(b"a.pdf");
    want.push(15);
    want.extend(b"application/pdf");
    assert_eq!(crate::format::encode(&named), want);

    let (v, store) = new_vault();
    let p = path("documents.old");
    assert_eq!(put_doc(&v, &p, b"old scan"), 8);
    drop(v);
    let v = store.reopen(b"pass").expect("reopen");
    let info = v.info(&p).expect("info");
    assert_eq!((info.kind, info.size, info.name), (Kind::Document, 8, None));
    assert_eq!(doc(&v, &p).expect("read"), b"old scan");
}

#[test]
fn a_sealed_record_with_a_name_that_breaks_the_rules_is_unreadable() {
    let (v, store) = new_vault();
    let p = path("documents.passport");
    // Decoded from bytes, a name skips the constructor's checks.
    let bad: DocName =
        crate::format::decode_canonical(&crate::format::encode(&("../x.pdf", "application/pdf")))
            .expect("two strings");
    assert!(!bad.is_valid());
    let body = RecordBody {
        path: p.as_str().to_owned(),
        updated: 0,
        value: Value::NamedDocument {
            id: [1; 16],
            len: 1,
            name: bad,
        },
    };
    let key = record_key(&v.keys, &p);
    let sealed = v.keys.seal_record(&key, &body).expect("seal");
    store.apply(vec![Op::Insert(key, sealed)]).expect("insert");
    assert!(matches!(v.info(&p), Err(VaultError::Unreadable(_))));
}

/// Reads `p` through a [`DocumentReader`], one chunk per call.
fn doc_chunked(v: &Vault, p: &FieldPath) -> Result<Vec<u8>, VaultError> {
    let mut reader = v.document_reader(p)?;
    let mut out = Vec::new();
    while let Some(chunk) = reader.next_chunk(v)? {
        assert!(chunk.len() <= CHUNK_SIZE, "one chunk at a time");
        out.extend_from_slice(chunk);
    }
    assert_eq!(out.len() as u64, reader.len());
    // Once the end was checked, it stays the end.
    assert!(reader.next_chunk(v)?.is_none());
    Ok(out)
}

#[test]
fn reader_gives_a_document_chunk_by_chunk_at_boundaries() {
    let (v, _) = new_vault();
    let p = path("documents.passport");
    for len in [
        0,
        1,
        CHUNK_SIZE - 1,
        CHUNK_SIZE,
        CHUNK_SIZE + 1,
        3 * CHUNK_SIZE + 7,
    ] {
        let data: Vec<u8> = (0..len).map(|i| (i * 7 % 256) as u8).collect();
        put_doc(&v, &p, &data);
        assert_eq!(doc_chunked(&v, &p).expect("read"), data, "len {len}");
    }
    // A text field comes as its bytes, as read_document gives it.
    let t = path("name");
    v.put_text(&t, "Ana María").expect("put");
    assert_eq!(doc_chunked(&v, &t).expect("read"), "Ana María".as_bytes());
}

#[test]
fn reader_refuses_a_cut_document_and_gives_only_what_opened() {
    let (v, store) = new_vault();
    let p = path("documents.passport");
    put_doc(&v, &p, &vec![1u8; 3 * CHUNK_SIZE]);
    let (id, bytes) = only_document(&store);
    for cut in [2 * SEALED, 3 * SEALED - 1, SEALED + 5, 0] {
        store.docs.set_raw(&id, bytes[..cut].to_vec());
        let mut reader = v.document_reader(&p).expect("reader");
        let mut given = 0;
        let err = loop {
            match reader.next_chunk(&v) {
                Ok(Some(chunk)) => given += chunk.len(),
                Ok(None) => panic!("a document cut at {cut} was read whole"),
                Err(e) => break e,
            }
        };
        assert!(matches!(err, VaultError::Unreadable(_)), "cut at {cut}");
        // Only whole, authenticated chunks were handed out before.
        assert_eq!(given, cut / SEALED * CHUNK_SIZE, "cut at {cut}");
        // And nothing more after the refusal.
        assert!(reader.next_chunk(&v).is_err());
    }
}

#[test]
fn reader_refuses_reordered_appended_flipped_and_missing() {
    let (v, store) = new_vault();
    let p = path("documents.passport");
    let data: Vec<u8> = (0..3 * CHUNK_SIZE)
        .map(|i| (i / CHUNK_SIZE) as u8)
        .collect();
    put_doc(&v, &p, &data);
    let (id, bytes) = only_document(&store);
    let mut reordered = bytes[SEALED..2 * SEALED].to_vec();
    reordered.extend_from_slice(&bytes[..SEALED]);
    reordered.extend_from_slice(&bytes[2 * SEALED..]);
    let mut appended = bytes.clone();
    appended.push(0);
    let mut flipped = bytes.clone();
    flipped[2 * SEALED + 3] ^= 0x10;
    // The last chunk put first: sealed as last, but not in its place.
    let mut last_first = bytes[2 * SEALED..].to_vec();
    last_first.extend_from_slice(&bytes[..2 * SEALED]);
    for (what, bad) in [
        ("reordered", reordered),
        ("appended", appended),
        ("flipped", flipped),
        ("last first", last_first),
    ] {
        store.docs.set_raw(&id, bad);
        assert!(
            matches!(doc_chunked(&v, &p), Err(VaultError::Unreadable(_))),
            "{what}"
        );
    }
    store.docs.set_raw(&id, bytes);
    assert_eq!(doc_chunked(&v, &p).expect("whole again"), data);
    crate::store::Documents::remove(&*store.docs, &id).expect("remove");
    assert!(matches!(
        doc_chunked(&v, &p),
        Err(VaultError::Unreadable(_))
    ));
}

#[test]
fn reader_refuses_a_document_replaced_while_it_reads() {
    let (v, _) = new_vault();
    let p = path("documents.passport");
    put_doc(&v, &p, &vec![1u8; 2 * CHUNK_SIZE + 1]);
    let mut reader = v.document_reader(&p).expect("reader");
    assert!(reader.next_chunk(&v).expect("first").is_some());
    // The old file is gone once the new value is saved.
    put_doc(&v, &p, &vec![2u8; 2 * CHUNK_SIZE + 1]);
    assert!(matches!(
        reader.next_chunk(&v),
        Err(VaultError::Unreadable(_))
    ));
    assert_eq!(
        doc_chunked(&v, &p).expect("new"),
        vec![2u8; 2 * CHUNK_SIZE + 1]
    );
}
