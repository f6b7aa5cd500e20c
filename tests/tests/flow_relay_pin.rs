//! An agency's folder pins the relay's key on first use, as a survivor's
//! vault does, and warns (without losing the share) when a later answer at
//! the same address is signed by another key: a second relay with a new
//! key, on the same data and the same port.

use std::fs;

use survivor_vault_tests::flow::{Person, Relay};

fn grant_to(survivor: &Person, agency: &Person) -> String {
    survivor
        .grant(&[
            "--fields",
            "identity.name",
            "--to",
            agency.id(),
            "--purpose",
            "Housing application",
        ])
        .link
}

/// The relay's id, as `GET /v1/relay` and the redemption name it.
fn relay_id(out: &survivor_vault_tests::Output) -> String {
    out.json()["relay"]
        .as_str()
        .unwrap_or_else(|| panic!("no relay in the JSON\n{out}"))
        .to_owned()
}

#[test]
fn an_agency_is_warned_when_the_relay_at_its_address_signs_with_another_key() {
    let mut relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("identity.name", "Ama");
    let agency = Person::agency(&relay);

    // First use: the key is remembered, and the agency is told so once.
    let first = agency.redeem(&grant_to(&survivor, &agency), &["--json"]);
    first
        .ok()
        .says("This folder now remembers this relay's key");
    assert_eq!(first.json()["relay_key"], "first_use");
    let old_key = relay_id(&first);

    // Same relay, same key: nothing to say.
    let again = agency.redeem(&grant_to(&survivor, &agency), &["--json"]);
    again.ok();
    assert_eq!(again.json()["relay_key"], "same");
    assert!(!again.stderr.contains("relay's key"), "{again}");

    // Another relay at the same address: same data and port, a new key.
    relay.stop();
    fs::remove_file(relay.data.join("relay.key")).expect("the relay's key file");
    relay.restart();

    // The share still opens (it checks out, and its use is counted), with
    // one calm sentence that says what to do.
    let link = grant_to(&survivor, &agency);
    let changed = agency.redeem(&link, &["--json"]);
    changed
        .ok()
        .says("now signs with a different key")
        .says("ask the relay's operator")
        .says("--relay-key relay1");
    assert_eq!(changed.json()["relay_key"], "changed");
    assert_eq!(changed.json()["fields"][0]["value"], "Ama");
    let new_key = relay_id(&changed);
    assert_ne!(new_key, old_key);
    // The warning names exactly the key to confirm.
    assert!(changed.stderr.contains(&new_key), "{changed}");

    // The old key stays remembered: the warning comes back, in words too.
    let words = agency.redeem(&grant_to(&survivor, &agency), &[]);
    words.ok().says("now signs with a different key");
    assert!(
        words.stdout_text().contains("identity.name: Ama"),
        "{words}"
    );

    // A key the operator did not give is not taken.
    let wrong = agency.redeem(
        &grant_to(&survivor, &agency),
        &["--json", "--relay-key", &old_key],
    );
    wrong.ok().says("not the key you gave with --relay-key");
    assert_eq!(wrong.json()["relay_key"], "not_the_given_key");

    // Confirmed with the operator's new key: remembered from now on.
    let confirmed = agency.redeem(
        &grant_to(&survivor, &agency),
        &["--json", "--relay-key", &new_key],
    );
    confirmed.ok().says("now remembers the relay's new key");
    assert_eq!(confirmed.json()["relay_key"], "confirmed");
    let after = agency.redeem(&grant_to(&survivor, &agency), &["--json"]);
    after.ok();
    assert_eq!(after.json()["relay_key"], "same");
    assert!(!after.stderr.contains("different key"), "{after}");
}

#[test]
fn a_malformed_relay_key_is_refused_before_a_use_is_spent() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("identity.name", "Ama");
    let agency = Person::agency(&relay);
    let link = grant_to(&survivor, &agency);
    agency
        .redeem(&link, &["--json", "--relay-key", "relay1notakey"])
        .fails_json(2, "bad_relay_key")
        .says("--relay-key needs a relay's id");
    // An agency id is not a relay's.
    agency
        .redeem(&link, &["--json", "--relay-key", agency.id()])
        .fails_json(2, "bad_relay_key");
    // The one use is still there.
    agency.redeem(&link, &[]).ok().prints("identity.name: Ama");
}
