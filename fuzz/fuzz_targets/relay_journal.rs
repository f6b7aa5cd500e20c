//! The relay's journal files (`vault_server::journal::read`), which the
//! relay reads at every start to replay decisions into its store.
//!
//! Two inputs, by the first byte:
//!
//! - **Raw** (even): the rest of the input after a valid header. Round
//!   trip: the records read, encoded again one after another, are exactly
//!   the bytes after the header up to where reading stopped; `ignored`
//!   counts the bytes after that, up to the trailing zeros.
//! - **Built** (odd; `arbitrary`): records encoded with their checksums,
//!   numbered one after another, then the file is cut short at one place
//!   and one byte flipped at another. What is read is a prefix of the
//!   records, holding every record that ends before the damage (a record
//!   is never lost unless the damage touches it or one before it).
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use vault_core::store::Op;
use vault_server::journal::{encode, header, read, HEADER};

#[derive(Debug, Arbitrary)]
struct Built {
    first: u64,
    records: Vec<Vec<(bool, Vec<u8>, Vec<u8>)>>,
    cut: Option<u16>,
    flip: Option<(u16, u8)>,
    zeros: u8,
}

fn ops(record: &[(bool, Vec<u8>, Vec<u8>)]) -> Vec<Op> {
    record
        .iter()
        .map(|(set, k, v)| {
            if *set {
                Op::Insert(k.clone(), v.clone())
            } else {
                Op::Remove(k.clone())
            }
        })
        .collect()
}

fn raw(data: &[u8]) {
    let mut file = header(1).to_vec();
    file.extend_from_slice(data);
    let Ok(got) = read(&file, 1) else {
        panic!("a valid header is refused");
    };
    let mut again = header(1).to_vec();
    for (seq, ops) in &got.records {
        encode(*seq, ops, &mut again);
    }
    assert!(
        file.starts_with(&again),
        "the records read do not encode back to the file's bytes"
    );
    let rest = &file[again.len()..];
    let trailing = rest.iter().rev().take_while(|b| **b == 0).count();
    assert_eq!(got.ignored, rest.len() - trailing);
    assert!(read(&file, 2).is_err(), "another file's number is accepted");
}

fn built(b: Built) {
    let number = 7;
    let mut file = header(number).to_vec();
    let mut ends = Vec::new();
    let mut records = Vec::new();
    for (i, r) in b.records.iter().enumerate() {
        let Some(seq) = b.first.checked_add(i as u64) else {
            break;
        };
        let ops = ops(r);
        encode(seq, &ops, &mut file);
        ends.push(file.len());
        records.push((seq, ops));
    }
    file.extend(std::iter::repeat_n(0, usize::from(b.zeros)));
    // The first byte the damage touches (the header stays whole).
    let mut damage = file.len();
    if let Some(cut) = b.cut {
        let at = HEADER + usize::from(cut) % (file.len() - HEADER + 1);
        file.truncate(at);
        damage = damage.min(at);
    }
    if let Some((at, x)) = b.flip {
        if file.len() > HEADER && x != 0 {
            let at = HEADER + usize::from(at) % (file.len() - HEADER);
            file[at] ^= x;
            damage = damage.min(at);
        }
    }
    let got = read(&file, number).expect("a valid header");
    assert!(
        records.starts_with(&got.records),
        "read records that were not written, or out of order"
    );
    let whole = ends.iter().filter(|end| **end <= damage).count();
    assert!(
        got.records.len() >= whole,
        "lost a record the damage did not touch ({} of {whole})",
        got.records.len()
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        raw(rest);
    } else if let Ok(b) = Built::arbitrary_take_rest(Unstructured::new(rest)) {
        built(b);
    }
});
