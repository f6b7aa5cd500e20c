//! Document stream: a vault document's sealed STREAM chunks read as
//! `Vault::read_document` reads them (vault-format §10.2), under a fixed
//! document key.
//!
//! Input: a 4-byte length `len` (under 5,000, or with its top bit set
//! under 200,000, so a document spans up to four chunks), a mode byte, then bytes. Mode 0: the bytes, repeated to
//! `len`, are the document; it is sealed here (Padmé padding, 64 KiB
//! chunks) and must read back exactly (round trip). Modes 1–3: that
//! sealed stream with one change (a flipped bit, cut short, or a byte
//! added) must be refused. Other modes: the bytes are the sealed stream as
//! they came, refused or read without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vault_core::crypto::stream::{StreamSealer, CHUNK_SIZE};
use vault_core::share::padded_len;
use vault_core::vault::fuzzing::read_document_stream;

fuzz_target!(|data: &[u8]| {
    let (len, rest) = vault_fuzz::take_u32(data);
    // Mostly under 5,000 bytes (one chunk, fast); with the top bit set, up
    // to four chunks.
    let len = u64::from(if len & 0x8000_0000 != 0 {
        len % 200_000
    } else {
        len % 5_000
    });
    let Some((&mode, bytes)) = rest.split_first() else {
        return;
    };
    let key = vault_fuzz::master();
    if mode > 3 {
        if let Some(out) = read_document_stream(&key, len, bytes) {
            assert_eq!(out.len() as u64, len);
        }
        return;
    }
    let doc: Vec<u8> = if bytes.is_empty() {
        vec![0; len as usize]
    } else {
        bytes.iter().copied().cycle().take(len as usize).collect()
    };
    let mut plain = doc.clone();
    plain.resize(padded_len(len) as usize, 0);
    let mut sealer = StreamSealer::new(&key);
    let mut sealed = Vec::new();
    let chunks: Vec<&[u8]> = plain.chunks(CHUNK_SIZE).collect();
    for (i, c) in chunks.iter().enumerate() {
        let mut buf = c.to_vec();
        sealer
            .seal_chunk(&mut buf, i + 1 == chunks.len())
            .expect("a chunk seals");
        sealed.extend_from_slice(&buf);
    }
    let at = bytes.len() * 7919 % sealed.len();
    match mode {
        0 => {
            let out = read_document_stream(&key, len, &sealed).expect("an honest stream reads");
            assert_eq!(out, doc, "a stream reads back other bytes");
            return;
        }
        1 => sealed[at] ^= 1 << (bytes.len() % 8),
        2 => sealed.truncate(at),
        _ => sealed.insert(at, 0),
    }
    assert!(
        read_document_stream(&key, len, &sealed).is_none(),
        "a changed stream was read"
    );
});
