//! Advocates act only when a survivor asked them to, within the time the
//! survivor gave, and never see content: they list shares (dates, uses,
//! status) and withdraw them. The survivor's checked history says who
//! withdrew what.

use survivor_vault_tests::flow::{sleep_until_after, Keys, Person, Relay};
use vault_core::relay::api::DelegationRequest;

const VALUE: &str = "Quiet-Harbour-5821";
const PURPOSE: &str = "Purpose-Otter-2211";

fn setup() -> (Relay, Person, Person, Person) {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("identity.name", VALUE);
    survivor.put("needs.housing", "ground floor");
    let agency = Person::agency(&relay);
    let advocate = Person::advocate(&relay);
    (relay, survivor, agency, advocate)
}

/// Without a live permission the advocate is told so (exit 11), sees no
/// list (not even an empty one, which would read as "no shares") and
/// withdraws nothing.
#[track_caller]
fn sees_nothing(advocate: &Person, survivor: &Person) {
    let out = advocate.run(&["advocate", "shares", survivor.id()]);
    out.fails(11, "their shares cannot be listed");
    assert!(out.stdout_text().trim().is_empty(), "{out}");
    advocate
        .run(&["--json", "advocate", "shares", survivor.id()])
        .fails_json(11, "no_permission");
    advocate
        .run(&["--json", "advocate", "revoke", "--all", survivor.id()])
        .fails_json(11, "no_permission")
        .says("nothing was withdrawn");
}

#[test]
fn advocate_without_delegation_sees_nothing_and_withdraws_nothing() {
    let (_relay, survivor, agency, advocate) = setup();
    let g = survivor.grant(&[
        "--fields",
        "identity.name",
        "--to",
        agency.id(),
        "--purpose",
        PURPOSE,
    ]);
    sees_nothing(&advocate, &survivor);
    advocate
        .run(&["--json", "advocate", "revoke", &g.token_id])
        .fails_json(9, "not_found");
    // The share is untouched.
    agency.redeem(&g.link, &[]).ok().prints(VALUE);
}

#[test]
fn delegated_advocate_lists_without_content_withdraws_all_and_loses_it_on_undelegate() {
    let (_relay, survivor, agency, advocate) = setup();
    let g1 = survivor.grant(&[
        "--fields",
        "identity.name,needs.*",
        "--to",
        agency.id(),
        "--purpose",
        PURPOSE,
    ]);
    let g2 = survivor.grant(&[
        "--fields",
        "needs.housing",
        "--anyone",
        "--uses",
        "3",
        "--purpose",
        PURPOSE,
    ]);

    survivor
        .run(&["delegate", advocate.id(), "--expires", "1d", "--yes"])
        .ok()
        .says("They will not see any field you saved, any document");

    let out = advocate.run(&["advocate", "shares", survivor.id()]);
    out.ok()
        .prints(&g1.token_id)
        .prints(&g2.token_id)
        .prints("active")
        .prints(agency.id())
        .prints("anyone with the code");
    let json = advocate.run(&["--json", "advocate", "shares", survivor.id()]);
    json.ok();
    for out in [&out, &json] {
        for secret in [
            "identity.name",
            "needs",
            VALUE,
            "ground floor",
            PURPOSE,
            &g1.link,
            &g2.link,
        ] {
            assert!(
                !out.all().contains(secret),
                "the advocate saw {secret:?}\n{out}"
            );
        }
    }

    let out = advocate.run(&["--json", "advocate", "revoke", "--all", survivor.id()]);
    out.ok()
        .says("Withdrew 2 shares that could still be used. From now on nobody can use them.")
        .says("cannot take back");
    let mut withdrawn: Vec<String> = out.json()["revoked"]
        .as_array()
        .expect("a list of token ids")
        .iter()
        .map(|v| v.as_str().expect("hex").to_owned())
        .collect();
    withdrawn.sort();
    let mut expected = vec![g1.token_id.clone(), g2.token_id.clone()];
    expected.sort();
    assert_eq!(withdrawn, expected);

    agency
        .redeem(&g1.link, &["--json"])
        .fails_json(9, "revoked");
    agency
        .redeem(&g2.link, &["--json"])
        .fails_json(9, "revoked");
    advocate
        .run(&["advocate", "shares", survivor.id()])
        .ok()
        .prints("revoked");

    let log = survivor.run(&["log"]);
    log.ok().says("History checked");
    for g in [&g1, &g2] {
        log.prints(&format!(
            "Your advocate ({}) withdrew share {}.",
            advocate.id(),
            &g.token_id[..12],
        ));
    }

    survivor
        .run(&["undelegate", advocate.id()])
        .ok()
        .says("can no longer act for you");
    sees_nothing(&advocate, &survivor);
    survivor
        .run(&["log"])
        .ok()
        .prints(&format!("You removed the permission of {}.", advocate.id()));
    // Taking back twice says so plainly.
    survivor
        .run(&["--json", "undelegate", advocate.id()])
        .fails_json(9, "not_found")
        .says("did not have permission");
}

#[test]
fn delegated_advocate_withdraws_one_share_and_only_for_the_survivor_who_asked() {
    let (relay, survivor, agency, advocate) = setup();
    let other = Person::survivor(&relay);
    other.put("identity.name", "someone else");
    let mine = survivor.grant(&[
        "--fields",
        "identity.name",
        "--anyone",
        "--purpose",
        PURPOSE,
    ]);
    let kept = survivor.grant(&[
        "--fields",
        "needs.housing",
        "--anyone",
        "--purpose",
        PURPOSE,
    ]);
    let theirs = other.grant(&[
        "--fields",
        "identity.name",
        "--anyone",
        "--purpose",
        PURPOSE,
    ]);
    survivor
        .run(&["delegate", advocate.id(), "--expires", "1d", "--yes"])
        .ok();

    advocate
        .run(&["advocate", "revoke", &mine.token_id])
        .ok()
        .says("Withdrawn. From now on nobody can use it.");
    // A survivor who never asked: "not yours" looks like "no such share".
    advocate
        .run(&["--json", "advocate", "revoke", &theirs.token_id])
        .fails_json(9, "not_found");
    advocate
        .run(&["--json", "advocate", "revoke", "--all", other.id()])
        .fails_json(11, "no_permission");
    sees_nothing(&advocate, &other);
    // Another advocate has no permission from anyone.
    let stranger = Person::advocate(&relay);
    sees_nothing(&stranger, &survivor);

    agency
        .redeem(&mine.link, &["--json"])
        .fails_json(9, "revoked");
    agency.redeem(&kept.link, &[]).ok().prints("ground floor");
    agency.redeem(&theirs.link, &[]).ok().prints("someone else");
}

#[test]
fn advocate_commands_refuse_ids_of_the_wrong_kind() {
    let (_relay, survivor, agency, advocate) = setup();
    survivor
        .run(&["--json", "delegate", agency.id(), "--expires", "1d"])
        .fails_json(2, "bad_id")
        .says("an advocate id is needed");
    survivor
        .run(&["--json", "delegate", advocate.id(), "--expires", "91d"])
        .fails_json(2, "expiry_too_far");
    advocate
        .run(&["--json", "advocate", "shares", agency.id()])
        .fails_json(2, "bad_id");
}

#[test]
fn delegation_ends_at_the_time_the_survivor_gave() {
    let (relay, survivor, _agency, advocate) = setup();
    let g = survivor.grant(&[
        "--fields",
        "identity.name",
        "--anyone",
        "--purpose",
        PURPOSE,
    ]);
    // The CLI's shortest delegation is a minute; the relay takes any end
    // time in the future, so ask it directly, signed as the CLI signs.
    let until = vault_core::time::now() + 10;
    {
        let keys = Keys::open(&survivor, &relay);
        let body = serde_json::to_vec(&DelegationRequest {
            advocate: advocate.id().to_owned(),
            until,
        })
        .expect("encodes");
        let (status, answer) = keys.signed("POST", "/v1/delegations", &body);
        assert_eq!(status, 204, "{answer}");
    }
    advocate
        .run(&["advocate", "shares", survivor.id()])
        .ok()
        .prints(&g.token_id);
    sleep_until_after(until);
    sees_nothing(&advocate, &survivor);
    // They had permission: they are told it ended, and when, and that
    // nothing was withdrawn; never "no share was found".
    let ended = format!(
        "Your permission to act for {} ended on {}",
        survivor.id(),
        vault_core::time::long(until)
    );
    advocate
        .run(&["--json", "advocate", "revoke", "--all", survivor.id()])
        .fails_json(11, "no_permission")
        .says(&ended)
        .says("nothing was withdrawn");
    advocate
        .run(&["--json", "advocate", "shares", survivor.id()])
        .fails_json(11, "no_permission")
        .says(&ended);
    advocate
        .run(&["--json", "advocate", "revoke", &g.token_id])
        .fails_json(11, "no_permission")
        .says(&format!(
            "Your permission to act for the person who made this share ended on {}",
            vault_core::time::long(until)
        ))
        .says("nothing was withdrawn");
    advocate
        .run(&["advocate", "clients"])
        .ok()
        .prints(survivor.id())
        .prints(&format!("ended on {}", vault_core::time::long(until)));
    survivor.run(&["grants"]).ok().prints("active");
}
