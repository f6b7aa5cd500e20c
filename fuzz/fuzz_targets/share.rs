//! Sealed share: `ShareReader::open`, every entry, `finish`, as an agency
//! opens a share (O5 and O8 of consent-token-v1 §12).
//!
//! First byte even: the rest is the share's padded plaintext (cut or
//! zero-filled to a Padmé length of at least 4096 bytes), sealed here with
//! the public STREAM sealer under the fixed secret, so every input reaches
//! the manifest and entry decoding. Round trip: a share that opens is
//! written again by `ShareWriter` from its manifest and entries; that
//! opens to the same manifest and entries, and is the same sealed bytes
//! when the share was padded to exactly `padme(content)` (S5 also accepts
//! more padding, which the writer never adds). First byte odd: the rest is taken as sealed bytes,
//! as they came (the length rules: at least 4112 bytes, a Padmé length).
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use vault_core::crypto::stream::{StreamSealer, CHUNK_SIZE, SEALED_CHUNK_SIZE};
use vault_core::crypto::TAG_LEN;
use vault_core::share::{padded_len, ShareReader, ShareWriter};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let secret = vault_fuzz::secret();
    let sealed = if mode % 2 == 1 {
        rest.to_vec()
    } else {
        let mut plain = rest.to_vec();
        plain.resize(padded_len(plain.len() as u64) as usize, 0);
        let mut sealer = StreamSealer::with_aad(&secret.payload_key(), &secret.token_id());
        let mut out = Vec::new();
        let chunks: Vec<&[u8]> = plain.chunks(CHUNK_SIZE).collect();
        for (i, c) in chunks.iter().enumerate() {
            let mut buf = c.to_vec();
            sealer
                .seal_chunk(&mut buf, i + 1 == chunks.len())
                .expect("a chunk seals");
            out.extend_from_slice(&buf);
        }
        out
    };
    let Ok((manifest, mut reader)) = ShareReader::open(&secret, sealed.len() as u64, &sealed[..])
    else {
        return;
    };
    let mut entries = Vec::new();
    for e in &manifest.entries {
        let mut bytes = Vec::new();
        if reader.copy_entry(e.len, &mut bytes).is_err() {
            return;
        }
        assert_eq!(bytes.len() as u64, e.len);
        entries.push(bytes);
    }
    if reader.finish().is_err() {
        return;
    }
    let mut w = ShareWriter::start(&secret, &manifest, Vec::new()).expect("a manifest writes");
    for e in &entries {
        w.write_all(e).expect("an entry writes");
    }
    let (again, len, hash) = w.finish().expect("a share finishes");
    assert_eq!(len, again.len() as u64);
    assert_eq!(hash, vault_core::crypto::sha256(&[&again]));
    let content = manifest
        .content_len()
        .expect("an opened manifest has a length");
    let chunks = (sealed.len() as u64).div_ceil(SEALED_CHUNK_SIZE as u64);
    let padded = sealed.len() as u64 - chunks * TAG_LEN as u64;
    if padded_len(content) == padded {
        assert_eq!(again, sealed, "a share re-seals to other bytes");
    }
    let (m2, mut r2) = ShareReader::open(&secret, len, &again[..]).expect("a written share opens");
    assert_eq!(m2, manifest);
    for (e, bytes) in m2.entries.iter().zip(&entries) {
        let mut b = Vec::new();
        r2.copy_entry(e.len, &mut b).expect("a written entry reads");
        assert_eq!(&b, bytes);
    }
    r2.finish().expect("a written share finishes");
});
