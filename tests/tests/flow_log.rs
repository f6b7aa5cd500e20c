//! The survivor's history, and what a relay that changes things at rest
//! can and cannot get away with. The test plays the attacker: it stops
//! the real relay, opens its store or its share files, changes bytes, and
//! starts it again on the same data folder and port. Every change must be caught by the
//! survivor's or the agency's CLI — exit 7 for what does not check out,
//! exit 10 when the relay itself cannot answer — and nothing is written
//! from an answer that did not check out.

use std::fs;
use std::path::PathBuf;

use survivor_vault_tests::flow;
use survivor_vault_tests::flow::{Person, Relay};
use vault_core::relay::log::{chain, Head};
use vault_core::store::Store;
use vault_core::TokenId;
use vault_server::db::TokenRecord;

/// A survivor who shared a name and a document with an agency, which
/// opened it once (two uses allowed); the survivor has read the history.
struct World {
    relay: Relay,
    survivor: Person,
    agency: Person,
    link: String,
    token: TokenId,
}

fn world() -> World {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("identity.name", "Ama");
    survivor.put_file("documents.letter", &vec![42u8; 70_000]);
    let agency = Person::agency(&relay);
    let g = survivor.grant(&[
        "--fields",
        "identity.name,documents.letter",
        "--to",
        agency.id(),
        "--purpose",
        "Housing application",
        "--uses",
        "2",
    ]);
    let first = agency.file("first");
    agency
        .redeem(&g.link, &["--out", first.to_str().expect("UTF-8 path")])
        .ok();
    let token: TokenId = vault_core::relay::unhex(&g.token_id)
        .and_then(|b| b.try_into().ok())
        .expect("a 64-hex token id");
    World {
        relay,
        survivor,
        agency,
        link: g.link,
        token,
    }
}

fn key(prefix: u8, parts: &[&[u8]]) -> Vec<u8> {
    let mut k = vec![prefix];
    for p in parts {
        k.extend_from_slice(p);
    }
    k
}

/// The file of the sealed share of `id` in the relay's data folder.
fn share_file(relay: &Relay, id: &TokenId) -> PathBuf {
    relay
        .data
        .join(vault_server::SHARES_DIR)
        .join(vault_core::relay::hex(id))
}

/// The names of the files in the relay's share folder.
fn share_files(relay: &Relay) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(relay.data.join(vault_server::SHARES_DIR))
        .expect("the relay has a share folder")
        .map(|e| {
            e.expect("a folder entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Stops the relay, lets `f` change its store, restarts it.
fn at_rest(relay: &mut Relay, f: impl FnOnce(&vault_core::SledStore)) {
    relay.stop();
    {
        let store = relay.open_store();
        f(&store);
        store.flush().expect("the changed store flushes");
    }
    relay.restart();
}

#[test]
fn log_shows_the_checked_history_of_every_share() {
    let w = world();
    let out = w.survivor.run(&["log"]);
    out.ok()
        .says("History checked: 2 entries, signed by the relay")
        .prints("You shared")
        .prints(&format!(
            "was opened by the agency {} (use 1)",
            w.agency.id()
        ));
    // The second reading remembers the first.
    let out = w.survivor.run(&["--json", "log"]);
    out.ok().says("still holds everything you saw before");
    let v = out.json();
    assert_eq!(v["verified"], true, "{out}");
    assert_eq!(v["entries"].as_array().map(Vec::len), Some(2), "{out}");
}

#[test]
fn a_changed_log_entry_at_the_relay_is_reported_as_tampering() {
    let mut w = world();
    w.survivor.run(&["log"]).ok();
    let me = w.survivor.public();
    at_rest(&mut w.relay, |store| {
        let entries = store
            .scan_prefix(&key(b'L', &[me.key_bytes()]))
            .expect("the log scans");
        assert_eq!(entries.len(), 2);
        let (k, mut v) = entries[0].clone();
        let last = v.len() - 1;
        v[last] ^= 0x01;
        store.insert(&k, &v).expect("insert");
    });
    let out = w.survivor.run(&["--json", "log"]);
    out.fails_json(7, "log_tampered").says("Warning:");
    w.survivor
        .run(&["log"])
        .fails(7, "Do not trust this relay's history");
}

#[test]
fn a_changed_log_entry_is_caught_even_on_the_first_reading() {
    let mut w = world();
    let me = w.survivor.public();
    at_rest(&mut w.relay, |store| {
        let (k, mut v) = store
            .scan_prefix(&key(b'L', &[me.key_bytes()]))
            .expect("the log scans")
            .into_iter()
            .next()
            .expect("a first entry");
        v[2] ^= 0x80;
        store.insert(&k, &v).expect("insert");
    });
    w.survivor.run(&["log"]).fails(7, "Warning:");
}

#[test]
fn a_history_cut_short_and_re_chained_is_reported_as_rewritten() {
    let mut w = world();
    // A refusal makes a third entry, then the survivor sees all three.
    let other = Person::agency(&w.relay);
    other.redeem(&w.link, &[]).fails(9, "different agency");
    w.survivor.run(&["log"]).ok().says("3 entries");
    let me = w.survivor.public();
    at_rest(&mut w.relay, |store| {
        let entries = store
            .scan_prefix(&key(b'L', &[me.key_bytes()]))
            .expect("the log scans");
        assert_eq!(entries.len(), 3);
        let (last, _) = entries.last().expect("an entry").clone();
        let kept = &entries[..entries.len() - 1];
        let mut hash = Head::EMPTY;
        for (_, bytes) in kept {
            hash = chain(&hash, bytes);
        }
        store
            .apply(vec![
                vault_core::store::Op::Remove(last),
                vault_core::store::Op::Insert(
                    key(b'H', &[me.key_bytes()]),
                    postcard::to_allocvec(&(kept.len() as u64, hash)).expect("encodes"),
                ),
            ])
            .expect("apply");
    });
    let out = w.survivor.run(&["--json", "log"]);
    out.fails_json(7, "log_tampered").says("Warning:");
    assert!(
        out.stderr.contains("rewritten") || out.stderr.contains("shorter"),
        "{out}"
    );
}

#[test]
fn changed_ciphertext_at_the_relay_does_not_check_out_and_nothing_is_saved() {
    let mut w = world();
    let file = share_file(&w.relay, &w.token);
    w.relay.stop();
    let mut bytes = fs::read(&file).expect("the share's file");
    assert!(bytes.len() > 70_000, "a 70 kB share");
    // A byte past the first 64 KiB chunk of the sealed stream.
    bytes[65_636] ^= 0x01;
    fs::write(&file, &bytes).expect("the share's file is changed");
    w.relay.restart();
    let out_dir = w.agency.file("second");
    let out = w.agency.redeem(
        &w.link,
        &["--json", "--out", out_dir.to_str().expect("UTF-8")],
    );
    out.fails_json(7, "not_genuine").says("did not check out");
    assert!(!out.stdout_text().contains("Ama"), "{out}");
    assert!(
        !out_dir.exists() || fs::read_dir(&out_dir).expect("lists").next().is_none(),
        "files were written from a share that did not check out"
    );
}

#[test]
fn changed_token_at_the_relay_is_a_server_error_with_an_unknown_outcome() {
    let mut w = world();
    let token = w.token;
    at_rest(&mut w.relay, |store| {
        let k = key(b'T', &[&token]);
        let bytes = store.get(&k).expect("get").expect("the token record");
        let mut rec: TokenRecord = postcard::from_bytes(&bytes).expect("a token record");
        assert_eq!(rec.uses, 1);
        let at = rec.token.len() - 10;
        rec.token[at] ^= 0x01;
        store
            .insert(&k, &postcard::to_allocvec(&rec).expect("encodes"))
            .expect("insert");
    });
    let out_dir = w.agency.file("second");
    let out_s = out_dir.to_str().expect("UTF-8");
    let out = w.agency.redeem(&w.link, &["--json", "--out", out_s]);
    // The relay did answer — with a server error, not a refusal.
    out.fails_json(10, "status_unknown")
        .says("unknown")
        .says("HTTP status 500");
    assert!(!out.stdout_text().contains("Ama"), "{out}");
    assert!(
        !out_dir.exists(),
        "the agency wrote files for an unknown outcome"
    );
    let stray: Vec<_> = fs::read_dir(w.agency.home())
        .expect("home lists")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("shared-"))
        .collect();
    assert!(stray.is_empty());
    // The relay names the cause in its own log, never to the client.
    assert!(
        w.relay
            .log_says("internal error", std::time::Duration::from_secs(60)),
        "{}",
        w.relay.log()
    );
    assert!(!out.stderr.contains("signature"), "{out}");
}

#[test]
fn a_relay_that_now_signs_with_another_key_is_reported() {
    let mut w = world();
    w.survivor
        .run(&["log"])
        .ok()
        .says("From now on it remembers the relay's key");
    w.relay.stop();
    fs::remove_file(w.relay.data.join("relay.key")).expect("the relay's key file");
    w.relay.restart();
    w.survivor
        .run(&["--json", "log"])
        .fails_json(7, "log_tampered")
        .says("different key");
}

#[test]
fn the_relay_keeps_no_ciphertext_it_will_never_serve() {
    let mut relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("identity.name", "Ama");
    survivor.put_file("documents.letter", &vec![7u8; 150_000]);
    let agency = Person::agency(&relay);
    let (used, revoked, expired, live, expires) = {
        let keys = flow::Keys::open(&survivor, &relay);
        let spec = flow::Spec::anyone("identity.name,documents.letter");
        let used = keys.grant(&spec);
        let revoked = keys.grant(&spec);
        let live = keys.grant(&spec);
        let now = vault_core::time::now();
        let expired = keys.grant(&flow::Spec {
            not_before: now,
            expires: now + 3,
            ..spec
        });
        (used, revoked, expired, live, now + 3)
    };
    let out = agency.file("out");
    agency
        .redeem(&used.link, &["--out", out.to_str().expect("UTF-8")])
        .ok();
    survivor.run(&["revoke", &revoked.hex[..12]]).ok();
    flow::sleep_until_after(expires);
    agency
        .redeem(&expired.link, &["--json"])
        .fails_json(9, "expired");

    relay.stop();
    let store = relay.open_store();
    let record = |id: &TokenId| -> TokenRecord {
        let bytes = store
            .get(&key(b'T', &[id]))
            .expect("get")
            .expect("the token record stays");
        postcard::from_bytes(&bytes).expect("a token record")
    };
    for (what, t) in [
        ("used up", &used),
        ("withdrawn", &revoked),
        ("expired", &expired),
    ] {
        assert!(
            !share_file(&relay, &t.id).exists(),
            "the relay kept the ciphertext of a {what} share"
        );
        assert_eq!(record(&t.id).share_len, 0, "{what}");
    }
    // Only the live share's file is left, whole, and no garbage mark.
    assert_eq!(share_files(&relay), [live.hex.as_str()]);
    let live_len = live_len(&record(&live.id));
    assert_eq!(record(&live.id).share_len, live_len);
    assert_eq!(
        fs::metadata(share_file(&relay, &live.id))
            .expect("the live share's file")
            .len(),
        live_len
    );
    assert!(store.keys_with_prefix(b"P").expect("scan").is_empty());
    // Nothing of any share is kept inside the store.
    assert!(store.keys_with_prefix(b"C").expect("scan").is_empty());
}

#[test]
fn share_files_a_crash_left_marked_are_removed_when_the_relay_starts() {
    let mut relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("identity.name", "Ama");
    let live = {
        let keys = flow::Keys::open(&survivor, &relay);
        keys.grant(&flow::Spec::anyone("identity.name"))
    };
    relay.stop();
    // As a crash leaves it between an upload's mark and its batch: a
    // marked file that no record names.
    let left = [0xa1u8; 32];
    {
        let store = relay.open_store();
        store.insert(&key(b'P', &[&left]), b"").expect("mark");
        store.flush().expect("flush");
    }
    fs::write(share_file(&relay, &left), vec![0x5a; 4112]).expect("a leftover file");
    assert_eq!(share_files(&relay).len(), 2);

    relay.restart();
    relay.stop();
    assert_eq!(share_files(&relay), [live.hex.as_str()]);
    let store = relay.open_store();
    assert!(store.keys_with_prefix(b"P").expect("scan").is_empty());
    drop(store);
    // The live share is still served, whole.
    relay.restart();
    let agency = Person::agency(&relay);
    agency.redeem(&live.link, &[]).ok().prints("Ama");
}

/// The sealed length a live token signed.
fn live_len(rec: &TokenRecord) -> u64 {
    vault_core::UnverifiedToken::decode(&rec.token)
        .expect("the stored token decodes")
        .body()
        .payload_len
}
