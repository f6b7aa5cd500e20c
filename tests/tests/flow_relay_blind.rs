//! The relay is blind: after a survivor shares distinctive values, under
//! distinctive field names, for a distinctive purpose — and the agency,
//! the advocate and the survivor have used every route — no byte of the
//! relay's data folder (its store, its key, and the share files in
//! `shares/`) or its log holds any of them, as text, as UTF-16 or as
//! base64 at any alignment.

use std::fs;

use survivor_vault_tests::flow::{files_under, Person, Relay};
use vault_core::relay::b64;

const VALUE: &str = "Xylophone-Marmalade-4471";
const FIELD: &str = "zebrafield.quokkaname";
const PURPOSE: &str = "Purpose-Pangolin-9931";

/// The byte strings that would give `needle` away: itself, UTF-16LE, and
/// the part of its base64 (standard and URL alphabets) that does not
/// depend on the bytes around it, for each of the three alignments.
fn encodings(needle: &str) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![
        ("utf-8".to_owned(), needle.as_bytes().to_vec()),
        (
            "utf-16le".to_owned(),
            needle.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        ),
    ];
    for shift in 0..3usize {
        let mut shifted = vec![0u8; shift];
        shifted.extend_from_slice(needle.as_bytes());
        let url = b64(&shifted);
        let start = if shift == 0 { 0 } else { 4 };
        let end = shifted.len() / 3 * 4;
        let stable = &url[start..end];
        out.push((format!("base64url+{shift}"), stable.as_bytes().to_vec()));
        let standard: String = stable
            .chars()
            .map(|c| match c {
                '-' => '+',
                '_' => '/',
                c => c,
            })
            .collect();
        out.push((format!("base64+{shift}"), standard.into_bytes()));
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn the_finder_sees_every_encoding_it_looks_for() {
    // A control: each encoding, embedded in noise, is found.
    for (what, bytes) in encodings(VALUE) {
        let mut hay = vec![7u8; 100];
        hay.extend_from_slice(&bytes);
        hay.extend_from_slice(&[9u8; 100]);
        assert!(contains(&hay, &bytes), "{what}");
    }
    for shift in 0..3 {
        let mut data = vec![0xA5u8; shift + 5];
        data.extend_from_slice(VALUE.as_bytes());
        data.extend_from_slice(&[0x5A; 7]);
        let text = b64(&data);
        assert!(
            encodings(VALUE)
                .iter()
                .filter(|(w, _)| w.starts_with("base64url"))
                .any(|(_, b)| contains(text.as_bytes(), b)),
            "base64 at offset {shift} is not found"
        );
    }
}

#[test]
fn no_value_field_name_or_purpose_reaches_the_relay_in_any_encoding() {
    let mut relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put(FIELD, VALUE);
    survivor.put("zebrafield.otter", &format!("{VALUE} again"));
    let doc = format!("{VALUE}\n").repeat(3000);
    survivor.put_file("zebrafield.quokkadoc", doc.as_bytes());
    let agency = Person::agency(&relay);
    let advocate = Person::advocate(&relay);

    let to_agency = survivor.grant(&[
        "--fields",
        "zebrafield.*",
        "--to",
        agency.id(),
        "--purpose",
        PURPOSE,
        "--uses",
        "3",
    ]);
    let anyone = survivor.grant(&["--fields", FIELD, "--anyone", "--purpose", PURPOSE]);
    // A share still live at the end, so its file is among those searched.
    let live = survivor.grant(&[
        "--fields",
        "zebrafield.*",
        "--anyone",
        "--purpose",
        PURPOSE,
        "--uses",
        "2",
    ]);
    agency.redeem(&live.link, &[]).ok().prints(VALUE);
    let out_dir = agency.file("received");
    agency
        .redeem(
            &to_agency.link,
            &["--out", out_dir.to_str().expect("UTF-8")],
        )
        .ok()
        .prints(VALUE);
    agency.redeem(&anyone.link, &[]).ok().prints(VALUE);
    agency
        .redeem(&anyone.link, &[])
        .fails(9, "already been used");
    survivor.run(&["grants"]).ok().prints(PURPOSE);
    survivor
        .run(&["delegate", advocate.id(), "--expires", "1d", "--yes"])
        .ok();
    advocate.run(&["advocate", "shares", survivor.id()]).ok();
    survivor.run(&["revoke", &to_agency.token_id[..12]]).ok();
    // Whoever holds the code is not told that the survivor acted.
    let out = agency.redeem(&to_agency.link, &[]);
    out.fails(9, "This code can no longer be used.");
    assert!(!out.all().contains("withdr"), "{out}");
    survivor.run(&["log"]).ok();

    // Everything the relay holds is on disk once it has stopped.
    relay.stop();
    let files = files_under(&relay.data);
    assert!(files.len() > 1, "the relay's data folder is empty?");
    // The live share's sealed bytes are searched too, where the relay
    // keeps them.
    let live_file = relay
        .data
        .join(vault_server::SHARES_DIR)
        .join(&live.token_id);
    assert!(
        files.contains(&live_file),
        "the search misses the live share's file {}",
        live_file.display()
    );
    let mut sources: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|p| {
            (
                p.display().to_string(),
                fs::read(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display())),
            )
        })
        .collect();
    sources.push(("the relay's log".to_owned(), relay.log().into_bytes()));
    let total: usize = sources.iter().map(|(_, b)| b.len()).sum();
    assert!(total > 10_000, "only {total} bytes at the relay?");

    // A control: what the relay does keep (the raw token id, a key of its
    // store) is found by the same search, so the files are read as stored.
    let id = vault_core::relay::unhex(&anyone.token_id).expect("hex");
    assert!(
        sources.iter().any(|(_, data)| contains(data, &id)),
        "the raw token id is not in the relay's files: the search cannot see stored bytes"
    );

    let mut found = Vec::new();
    for needle in [
        VALUE,
        FIELD,
        "zebrafield",
        "quokkaname",
        "quokkadoc",
        PURPOSE,
    ] {
        for (what, bytes) in encodings(needle) {
            for (name, data) in &sources {
                if contains(data, &bytes) {
                    found.push(format!("{needle:?} as {what} in {name}"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the relay holds secrets:\n{}",
        found.join("\n")
    );
}
