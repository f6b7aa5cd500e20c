//! Backup file (SVBK, `vault_core::backup`): `Header::read` and `import`
//! into an empty in-memory vault, as `vault restore` and the app do.
//!
//! First byte even: the rest is a whole backup file, as it came, imported
//! with the passphrase of the vector `backup_ok_text_and_documents`
//! (round trip: a header that reads re-encodes to the bytes it was read
//! from). A vault header asking Argon2id for more than 1 MiB or 2 passes
//! is skipped (the bounds allow 4 GiB, which only measures the machine).
//! First byte odd: the rest is the body's plaintext, sealed here with the
//! public `BodyWriter` under that vector's header and key, so every input
//! reaches the item decoding behind the AEAD (entries, documents, end
//! item, padding). Round trip: a backup that imports is exported again
//! and that imports to the same fields.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vault_core::backup::{body_key, export, import, BodyWriter, Header};
use vault_core::share::padded_len;
use vault_core::{MemoryDocuments, MemoryStore, Vault};

fn fields(v: &Vault) -> Vec<(String, u64, Vec<u8>)> {
    let (list, unreadable) = v.list().expect("a restored vault lists");
    assert_eq!(unreadable, 0, "a restored vault has unreadable records");
    list.into_iter()
        .map(|e| {
            let mut bytes = Vec::new();
            v.read_document(&e.path, &mut bytes, &mut |_| {})
                .expect("a restored field reads");
            (e.path.to_string(), e.size, bytes)
        })
        .collect()
}

fn restore(file: &[u8], passphrase: &[u8]) -> Option<Vault> {
    import(
        &mut &file[..],
        passphrase,
        Box::new(MemoryStore::new()),
        Box::new(MemoryDocuments::new()),
    )
    .ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (vector, passphrase) = vault_fuzz::backup_vector();
    let file = if mode % 2 == 0 {
        let Ok((header, bytes)) = Header::read(&mut &rest[..]) else {
            return;
        };
        assert_eq!(
            bytes,
            rest[..bytes.len()],
            "a header re-encodes to other bytes"
        );
        assert_eq!(bytes, header.encode());
        match vault_core::vault::header::decode(&header.vault_header) {
            Ok(h) if h.kdf.memory_kib > 1024 || h.kdf.iterations > 2 => return,
            _ => {}
        }
        rest.to_vec()
    } else {
        let (h, hb) = Header::read(&mut &vector[..]).expect("the vector's header reads");
        let master = h.unwrap(passphrase).expect("the vector's passphrase");
        let header = Header {
            body_len: padded_len(rest.len() as u64),
            ..h
        };
        let _ = hb;
        let header_bytes = header.encode();
        let key = body_key(&master, &header.salt).expect("body key");
        let mut file = header_bytes.clone();
        let mut w = BodyWriter::new(&key, &header, &header_bytes, &mut file);
        std::io::Write::write_all(&mut w, rest).expect("the body writes");
        w.finish().expect("the body finishes");
        file
    };
    let Some(vault) = restore(&file, passphrase) else {
        return;
    };
    let before = fields(&vault);
    let mut again = Vec::new();
    export(&vault, &mut again).expect("a restored vault exports");
    let copy = restore(&again, passphrase).expect("an exported backup imports");
    assert_eq!(
        fields(&copy),
        before,
        "a backup round trip changed the fields"
    );
});
