//! Contacts instead of raw ids, `vault delegate` asking like `grant`, and a
//! preview that shows what leaves: with the real binaries.

use survivor_vault_tests::flow::{Person, Relay};
use vault_core::{contacts, PublicId, Role};

const HOUSING: &str = "Ground floor flat near the school";

fn setup() -> (Relay, Person, Person, Person) {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("needs.housing", &format!("{HOUSING}\nsecond line"));
    survivor.put("needs.health", "asthma; needs an inhaler");
    survivor.put_file("documents.passport", &vec![7u8; 50_000]);
    let agency = Person::agency(&relay);
    let advocate = Person::advocate(&relay);
    (relay, survivor, agency, advocate)
}

#[test]
fn keeps_contacts_added_listed_and_removed() {
    let (_relay, survivor, agency, advocate) = setup();
    survivor
        .run(&["contacts", "add", "Housing North", agency.id()])
        .ok()
        .says("Added Housing North (agency1");
    survivor
        .run(&["contacts", "add", "Ana", advocate.id()])
        .ok();
    let out = survivor.run(&["--json", "contacts", "ls"]);
    out.ok();
    let list = out.json()["contacts"].clone();
    assert_eq!(list[0]["name"], "Ana", "{out}");
    assert_eq!(list[1]["name"], "Housing North", "{out}");
    assert_eq!(list[1]["id"], agency.id(), "{out}");
    survivor
        .run(&["contacts", "ls"])
        .ok()
        .prints(&format!("Housing North\n  agency  {}", agency.id()));
    // The name is sealed: not in any file of the vault.
    for file in survivor_vault_tests::files_under(&survivor.vault) {
        let bytes = std::fs::read(&file).expect("read");
        assert!(
            !bytes.windows(7).any(|w| w == b"Housing"),
            "{}",
            file.display()
        );
    }
    survivor
        .run(&["contacts", "add", "housing north", advocate.id()])
        .fails(2, "already have a contact named \"Housing North\"");
    survivor
        .run(&["contacts", "rm", "housing NORTH"])
        .ok()
        .says("Removed the contact Housing North");
    survivor.run(&["contacts", "rm", "Housing North"]).fails(
        2,
        "No contact named \"Housing North\"; see `vault contacts ls`",
    );
}

#[test]
fn grant_to_a_contact_names_it_in_the_preview_and_addresses_its_id() {
    let (_relay, survivor, agency, _) = setup();
    survivor
        .run(&["contacts", "add", "Housing North", agency.id()])
        .ok();
    let fp = contacts::fingerprint(&agency.public());
    let bundle = survivor.file("bundle");
    let out = survivor.run(&[
        "--json",
        "grant",
        "--yes",
        "--fields",
        "needs.housing,documents.passport",
        "--to",
        "housing north",
        "--purpose",
        "Housing application",
        "--bundle-out",
        bundle.to_str().expect("utf-8 path"),
    ]);
    out.ok()
        .says(&format!("With: only the agency Housing North ({fp})"))
        .says(&format!(
            "Show this code only to the agency Housing North ({fp})"
        ));
    assert!(!out.all().contains("not one of your contacts"), "{out}");
    // The token is addressed to the contact's id.
    let bytes = std::fs::read(&bundle).expect("bundle");
    let (_, token) = vault_core::share::bundle::split(&bytes).expect("bundle");
    let token = vault_core::UnverifiedToken::decode(token).expect("token");
    assert_eq!(token.body().audience, Some(*agency.public().key_bytes()));
    assert_eq!(out.json()["audience"], agency.id());

    // `grants` and `log` name it too.
    survivor
        .run(&["grants"])
        .ok()
        .prints(&format!("to:      Housing North ({fp})"));
    survivor
        .run(&["log"])
        .ok()
        .prints(&format!("with the agency Housing North ({fp})"));
}

#[test]
fn refuses_a_name_that_is_not_a_contact_with_its_own_sentence() {
    let (_relay, survivor, _, _) = setup();
    let out = survivor.run(&[
        "grant",
        "--yes",
        "--fields",
        "needs.housing",
        "--to",
        "Housing Nrth",
        "--purpose",
        "p",
    ]);
    out.fails(
        2,
        "No contact named \"Housing Nrth\"; see `vault contacts ls`",
    );
    assert!(!out.all().contains("typo"), "{out}");
    survivor.run(&["--json", "grants"]).ok();
    assert_eq!(
        survivor.run(&["--json", "grants"]).json()["grants"],
        serde_json::json!([])
    );
}

#[test]
fn adds_an_agency_from_its_qr_text() {
    let (_relay, survivor, agency, _) = setup();
    let out = agency.run(&["--json", "agency", "id", "--qr"]);
    out.ok();
    let text = out.json()["qr_text"].as_str().expect("qr_text").to_owned();
    assert_eq!(text, agency.id().to_uppercase());
    // The picture and the plain id are both printed for people.
    agency
        .run(&["agency", "id", "--qr"])
        .ok()
        .prints("█")
        .prints(agency.id());
    // Pasted with a line break in the middle, as a copy may do.
    let pasted = format!("{}\n{}", &text[..30], &text[30..]);
    survivor
        .run(&["contacts", "add", "Housing North", &pasted])
        .ok();
    let ls = survivor.run(&["--json", "contacts", "ls"]);
    assert_eq!(ls.json()["contacts"][0]["id"], agency.id(), "{ls}");
}

#[test]
fn preview_shows_what_leaves_under_each_field() {
    let (_relay, survivor, agency, _) = setup();
    let out = survivor.run(&[
        "grant",
        "--yes",
        "--fields",
        "needs.housing,documents.passport",
        "--to",
        agency.id(),
        "--purpose",
        "Housing application",
    ]);
    out.ok()
        .says(&format!(
            "  - needs.housing\n      will leave: \"{HOUSING}\" and 1 more line\n"
        ))
        // The file it was saved from (`put_file` names it like the field).
        .says("  - documents.passport\n      will leave: \"documents.passport\", a document of about 50 KB\n")
        // An id that is not a contact is shown whole, with a warning.
        .says(&format!("With: only the agency {}", agency.id()))
        .says("is not one of your contacts");
    assert!(!out.all().contains("asthma"), "{out}");
}

#[test]
fn delegate_shows_what_the_advocate_sees_and_refuses_without_yes_off_a_terminal() {
    let (_relay, survivor, _, advocate) = setup();
    survivor
        .run(&["contacts", "add", "Ana", advocate.id()])
        .ok();
    let fp = contacts::fingerprint(&advocate.public());
    let out = survivor.run(&["delegate", "Ana", "--expires", "1d"]);
    out.fails(
        2,
        "There is no terminal to ask on, so nothing was changed; add --yes",
    )
    .says(&format!("Advocate: Ana ({fp})"))
    .says("which agency it went to")
    .says("They will not see any field you saved, any document");
    // Nothing was given: the advocate is told they have no permission.
    advocate
        .run(&["advocate", "shares", survivor.id()])
        .fails(11, "You have no permission from");

    let out = survivor.run(&["delegate", "Ana", "--expires", "1d", "--yes"]);
    out.ok()
        .says("For a crisis call, give the advocate your id")
        .says(survivor.id());
    assert!(!out.all().contains("replaces"), "{out}");
}

#[test]
fn delegate_asks_before_replacing_a_permission_and_says_when_the_old_one_ends() {
    let (_relay, survivor, _, advocate) = setup();
    survivor
        .run(&["delegate", advocate.id(), "--expires", "1d", "--yes"])
        .ok();
    let out = survivor.run(&["delegate", advocate.id(), "--expires", "7d"]);
    out.fails(2, "Do you want to replace that permission with this one?")
        .says("This replaces the permission you gave this advocate before, which ends");
    let out = survivor.run(&[
        "--json",
        "delegate",
        advocate.id(),
        "--expires",
        "7d",
        "--yes",
    ]);
    out.ok();
    assert!(out.json()["replaced_until"].is_u64(), "{out}");
    let id = PublicId::parse(advocate.id(), Role::Advocate).expect("id");
    assert_eq!(out.json()["advocate"], id.to_string());
}

#[test]
fn advocate_names_survivors_and_agencies_in_their_own_contacts() {
    let (_relay, survivor, agency, advocate) = setup();
    survivor
        .run(&["delegate", advocate.id(), "--expires", "1d", "--yes"])
        .ok();
    let g = survivor.grant(&[
        "--fields",
        "needs.housing",
        "--to",
        agency.id(),
        "--purpose",
        "Housing application",
    ]);
    advocate
        .run(&["advocate", "contacts", "add", "Ama", survivor.id()])
        .ok();
    advocate
        .run(&["advocate", "contacts", "add", "Housing North", agency.id()])
        .ok();
    let fp = contacts::fingerprint(&agency.public());
    advocate
        .run(&["advocate", "shares", "ama"])
        .ok()
        .prints(&format!("to Housing North ({fp})"));
    advocate.run(&["advocate", "shares", "Amma"]).fails(
        2,
        "No contact named \"Amma\"; see `vault advocate contacts ls`",
    );
    let out = advocate.run(&["--json", "advocate", "revoke", "--all", "Ama"]);
    out.ok();
    assert_eq!(out.json()["revoked"][0], g.token_id.as_str(), "{out}");
}

#[test]
fn adds_a_contact_from_a_photo_of_the_agencys_id_code() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    let agency = Person::agency(&relay);
    // What `vault agency id --qr` shows on the agency's screen, as a
    // picture (the survivor's photo or screenshot of it).
    let out = agency.run(&["--json", "agency", "id", "--qr"]);
    out.ok();
    let qr_text = out.json()["qr_text"].as_str().expect("qr_text").to_owned();
    let dir = tempfile::tempdir().expect("tempdir");
    let picture = dir.path().join("agency-id.png");
    let code = vault_core::qr::encode(&qr_text).expect("a code");
    let mut png = Vec::new();
    vault_core::qr::write_png(&code, &mut png).expect("a picture");
    std::fs::write(&picture, &png).expect("write");
    let picture = picture.to_str().expect("utf-8 path");

    survivor
        .run(&["contacts", "add", "Housing North", "--image", picture])
        .ok()
        .says("Added Housing North (agency1");
    let out = survivor.run(&["--json", "contacts", "ls"]);
    out.ok();
    assert_eq!(out.json()["contacts"][0]["id"], agency.id(), "{out}");

    // Not a picture of a code: one sentence, nothing added.
    let junk = dir.path().join("junk.png");
    std::fs::write(&junk, b"not a picture").expect("write");
    survivor
        .run(&[
            "contacts",
            "add",
            "Other",
            "--image",
            junk.to_str().expect("utf-8"),
        ])
        .fails(2, "JPEG");
    // Both an id and a picture: say which to give.
    survivor
        .run(&["contacts", "add", "Other", agency.id(), "--image", picture])
        .fails(2, "");
    let out = survivor.run(&["--json", "contacts", "ls"]);
    assert_eq!(
        out.json()["contacts"].as_array().map(Vec::len),
        Some(1),
        "{out}"
    );
}
