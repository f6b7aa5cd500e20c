//! Vault record: a sealed field record (and the identity record) opened
//! as the vault opens them, under a fixed master key.
//!
//! Input: one byte n, n bytes of field path, then the record's plaintext,
//! sealed here under the record key for the store key of that path, so
//! every input reaches the decoding behind the AEAD (canonical postcard,
//! path rules, document names, the path/store-key binding). Round trip:
//! a record that opens re-encodes to exactly its plaintext. The same
//! plaintext is also opened as the identity record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vault_core::vault::fuzzing::RecordKeys;
use vault_core::FieldPath;

fuzz_target!(|data: &[u8]| {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let (path, plain) = rest.split_at((n as usize).min(rest.len()));
    let keys = RecordKeys::derive(&vault_fuzz::master()).expect("keys derive");
    if let Ok(path) = std::str::from_utf8(path).map(FieldPath::parse) {
        let path = path.ok();
        let store_key = match &path {
            Some(p) => keys.record_key(p),
            None => b"R-not-a-path".to_vec(),
        };
        let sealed = keys.seal(&store_key, plain).expect("seal");
        if let Some(again) = keys.open_record(&store_key, &sealed, None) {
            assert_eq!(again, plain, "a record re-encodes to other bytes");
            assert!(keys
                .open_record(&store_key, &sealed, path.as_ref())
                .is_some());
        }
        // Any byte changed in the sealed value is refused.
        let mut bad = sealed.clone();
        let i = plain.len() % bad.len();
        bad[i] ^= 1;
        assert!(keys.open_record(&store_key, &bad, None).is_none());
    }
    let id_key = keys.identity_key();
    let sealed = keys.seal(id_key, plain).expect("seal");
    if let Some(identity) = keys.open_identity(id_key, &sealed) {
        // An identity record is role code ‖ seed, canonical.
        assert_eq!(plain.len(), 1 + 32);
        assert_eq!(plain[0], identity.role().code());
        assert_eq!(&plain[1..], &identity.seed()[..]);
    }
    // Raw bytes as a sealed value: refused, never a panic.
    assert!(keys
        .open_record(
            &keys.record_key(&FieldPath::parse("a").expect("a path")),
            data,
            None
        )
        .is_none());
});
