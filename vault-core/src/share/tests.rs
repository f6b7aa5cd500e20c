use super::*;
use crate::crypto::stream::CHUNK_SIZE;
use proptest::prelude::*;

fn secret() -> ShareSecret {
    ShareSecret::from_bytes([5; 32])
}

fn manifest(lens: &[u64]) -> Manifest {
    Manifest {
        consent_text: "You are about to share…".into(),
        entries: lens
            .iter()
            .enumerate()
            .map(|(i, &len)| ManifestEntry {
                path: FieldPath::parse(&format!("documents.d{i}")).expect("path"),
                kind: EntryKind::Document,
                len,
            })
            .collect(),
    }
}

fn data(len: u64, salt: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(17).wrapping_add(salt))
        .collect()
}

fn seal(lens: &[u64]) -> (Vec<u8>, [u8; 32]) {
    let m = manifest(lens);
    let mut w = ShareWriter::start(&secret(), &m, Vec::new()).expect("start");
    for (i, &len) in lens.iter().enumerate() {
        w.write_all(&data(len, i as u8)).expect("write");
    }
    let (out, len, hash) = w.finish().expect("finish");
    assert_eq!(out.len() as u64, len);
    assert_eq!(len, sealed_len(padded_len(m.content_len().expect("fits"))));
    (out, hash)
}

fn open(sealed: &[u8], s: &ShareSecret) -> Result<(Manifest, Vec<Vec<u8>>), ShareError> {
    let (m, mut r) = ShareReader::open(s, sealed.len() as u64, sealed)?;
    let mut out = Vec::new();
    for e in &m.entries {
        let mut buf = Vec::new();
        r.copy_entry(e.len, &mut buf)?;
        out.push(buf);
    }
    r.finish()?;
    Ok((m, out))
}

#[test]
fn round_trips_at_chunk_boundaries() {
    let sizes = [
        0,
        1,
        CHUNK_SIZE as u64 - 1,
        CHUNK_SIZE as u64,
        CHUNK_SIZE as u64 + 1,
    ];
    for len in sizes {
        let (sealed, hash) = seal(&[len, 3]);
        assert_eq!(hash, crate::crypto::sha256(&[&sealed]));
        let (m, got) = open(&sealed, &secret()).expect("opens");
        assert_eq!(m, manifest(&[len, 3]));
        assert_eq!(got, vec![data(len, 0), data(3, 1)]);
    }
}

#[test]
fn pads_to_hide_exact_sizes() {
    let (a, _) = seal(&[10]);
    let (b, _) = seal(&[900]);
    assert_eq!(a.len(), b.len(), "small shares all look alike");
    assert_eq!(padded_len(1), MIN_PADDED);
    for n in [5000u64, 70_000, 1_000_000, 123_456_789] {
        let p = padded_len(n);
        assert!(p >= n && p - n <= n / 8, "{n} → {p}");
    }
}

#[test]
fn rejects_wrong_secret() {
    let (sealed, _) = seal(&[10]);
    assert!(matches!(
        open(&sealed, &ShareSecret::from_bytes([6; 32])),
        Err(ShareError::Decrypt)
    ));
}

#[test]
fn rejects_truncated_share() {
    let (sealed, _) = seal(&[3 * CHUNK_SIZE as u64]);
    let cut = &sealed[..sealed.len() - 1];
    assert!(open(cut, &secret()).is_err());
    let cut = &sealed[..SEALED_CHUNK_SIZE * 2];
    assert!(open(cut, &secret()).is_err());
}

#[test]
fn rejects_reordered_chunks() {
    let (mut sealed, _) = seal(&[3 * CHUNK_SIZE as u64]);
    let (a, b) = sealed.split_at_mut(SEALED_CHUNK_SIZE);
    a.swap_with_slice(&mut b[..SEALED_CHUNK_SIZE]);
    assert!(open(&sealed, &secret()).is_err());
}

#[test]
fn rejects_every_single_bit_flip_of_a_small_share() {
    let (sealed, _) = seal(&[20]);
    for bit in (0..sealed.len() * 8).step_by(1) {
        let mut f = sealed.clone();
        f[bit / 8] ^= 1 << (bit % 8);
        assert!(open(&f, &secret()).is_err(), "flip of bit {bit} accepted");
    }
}

#[test]
fn writer_refuses_more_than_announced() {
    let m = manifest(&[1]);
    let mut w = ShareWriter::start(&secret(), &m, Vec::new()).expect("start");
    let total = padded_len(m.content_len().expect("fits")) as usize;
    assert!(w.write_all(&vec![0u8; total]).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn seal_then_open_round_trips(lens in proptest::collection::vec(0u64..200_000, 1..4)) {
        let (sealed, _) = seal(&lens);
        let (m, got) = open(&sealed, &secret()).expect("opens");
        prop_assert_eq!(m, manifest(&lens));
        for (i, g) in got.iter().enumerate() {
            prop_assert_eq!(g, &data(lens[i], i as u8));
        }
    }

    #[test]
    fn random_bytes_never_panic_the_reader(bytes in proptest::collection::vec(any::<u8>(), 0..9000)) {
        let _ = open(&bytes, &secret());
    }
}

fn named(name: &str, media_type: &str) -> Manifest {
    let mut m = manifest(&[3]);
    m.entries[0].kind = EntryKind::NamedDocument {
        name: name.into(),
        media_type: media_type.into(),
    };
    m
}

fn seal_manifest(m: &Manifest) -> Vec<u8> {
    let mut w = ShareWriter::start(&secret(), m, Vec::new()).expect("start");
    for e in &m.entries {
        w.write_all(&data(e.len, 0)).expect("write");
    }
    w.finish().expect("finish").0
}

#[test]
fn a_named_document_round_trips_and_the_old_kinds_keep_their_bytes() {
    assert_eq!(format::encode(&EntryKind::Text), [0]);
    assert_eq!(format::encode(&EntryKind::Document), [1]);
    let kind = EntryKind::NamedDocument {
        name: "passport.jpg".into(),
        media_type: "image/jpeg".into(),
    };
    let mut want = vec![2, 12];
    want.extend(b"passport.jpg");
    want.push(10);
    want.extend(b"image/jpeg");
    assert_eq!(format::encode(&kind), want);

    let m = named("Pasaporte de María.jpg", "image/jpeg");
    let (got, entries) = open(&seal_manifest(&m), &secret()).expect("opens");
    assert_eq!(got, m);
    assert_eq!(
        got.entries[0].kind.file_name(),
        Some("Pasaporte de María.jpg")
    );
    assert_eq!(got.entries[0].kind.media_type(), Some("image/jpeg"));
    assert!(got.entries[0].kind.is_document());
    assert_eq!(entries, vec![data(3, 0)]);
}

#[test]
fn refuses_a_named_document_whose_name_or_type_breaks_the_rules() {
    let long = "x".repeat(256);
    for (name, media_type) in [
        ("../../etc/passwd", "text/plain"),
        ("a\u{1b}[31mb.pdf", "application/pdf"),
        ("a\\b.pdf", "application/pdf"),
        ("", "application/pdf"),
        ("..", "application/pdf"),
        (long.as_str(), "application/pdf"),
        ("a.pdf", "text/html; charset=utf-8"),
        ("a.pdf", ""),
    ] {
        let sealed = seal_manifest(&named(name, media_type));
        assert!(
            matches!(open(&sealed, &secret()), Err(ShareError::Decrypt)),
            "{name:?} {media_type:?}"
        );
    }
}
