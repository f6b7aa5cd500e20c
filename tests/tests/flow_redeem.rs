//! The whole happy path with the real binaries: a survivor saves their
//! story once, grants part of it to an agency, and the agency receives
//! exactly that part — texts printed, documents byte for byte in private
//! files — once, and never anything outside the scope.

use std::fs;

use survivor_vault_tests::flow;
use survivor_vault_tests::flow::{Person, Relay};

/// A reproducible, incompressible-looking document.
fn document(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn field_names(out: &flow::Output) -> Vec<String> {
    out.json()["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("no fields in the redeem JSON\n{out}"))
        .iter()
        .map(|f| f["field"].as_str().expect("a field name").to_owned())
        .collect()
}

#[test]
fn agency_redeems_texts_and_a_byte_identical_private_document_once() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("identity.name", "Ama");
    survivor.put("needs.housing", "a ground-floor flat near the school");
    survivor.put("needs.health", "asthma; needs an inhaler");
    survivor.put("history.private", "not for anyone else");
    // More than two 64 KiB chunks, with a short last one.
    let passport = document(300_001);
    survivor.put_file("documents.passport", &passport);
    let agency = Person::agency(&relay);

    let g = survivor.grant(&[
        "--fields",
        "identity.name,needs.*,documents.passport",
        "--to",
        agency.id(),
        "--purpose",
        "Housing application",
    ]);
    assert_eq!(g.token_id.len(), 64);

    let out_dir = agency.file("received");
    let out_s = out_dir.to_str().expect("a UTF-8 temporary path");
    let out = agency.redeem(&g.link, &["--out", out_s]);
    out.ok()
        .prints("identity.name: Ama")
        .prints("needs.housing: a ground-floor flat near the school")
        .prints("needs.health: asthma; needs an inhaler")
        .prints("documents.passport: document, 300001 bytes")
        .says("Verified: signed by the sender")
        .says("Purpose: \"Housing application\"")
        .says("(use 1 of 1)")
        .says("What the sender agreed to, in the words they saw:")
        .says(&format!("With: only the agency {}", agency.id()));
    assert!(
        !out.all().contains("not for anyone else") && !out.all().contains("history.private"),
        "the agency saw a field outside the scope\n{out}"
    );

    let saved = out_dir.join("documents.passport");
    assert!(
        fs::read(&saved).expect("the document was saved") == passport,
        "the saved document differs from the survivor's"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&saved).expect("saved").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the saved document is readable by others");
        let dmode = fs::metadata(&out_dir).expect("dir").permissions().mode() & 0o777;
        assert_eq!(dmode, 0o700, "the output folder is open to others");
    }
    let names: Vec<_> = fs::read_dir(&out_dir)
        .expect("the output folder lists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["documents.passport"],
        "only the document, no leftovers"
    );

    // One use was allowed: the second is refused with the relay's code.
    agency
        .redeem(&g.link, &["--json", "--out", out_s])
        .fails_json(9, "used_up")
        .says("already been used as many times as it allows");
    agency.redeem(&g.link, &[]).fails(9, "already been used");
    // The refusal wrote nothing.
    assert_eq!(fs::read_dir(&out_dir).expect("lists").count(), 1);

    // The survivor sees it used.
    let grants = survivor.run(&["--json", "grants"]);
    grants.ok();
    let row = &grants.json()["grants"][0];
    assert_eq!(row["token_id"], g.token_id.as_str(), "{grants}");
    assert_eq!(row["status"], "used_up", "{grants}");
    assert_eq!(row["uses"], 1, "{grants}");
}

#[test]
fn agency_receives_exactly_the_granted_fields_and_a_prefix_covers_every_field_under_it() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    for (f, v) in [
        ("identity.name", "Ama"),
        ("identity.birthdate", "1990-01-01"),
        ("needs.housing", "ground floor"),
        ("needs.health", "asthma"),
        ("needs.housing.area", "near the school"),
        ("needs_more.other", "not under needs"),
        ("history.private", "not for anyone else"),
    ] {
        survivor.put(f, v);
    }
    let agency = Person::agency(&relay);
    let g = survivor.grant(&[
        "--fields",
        "identity.name,needs.*",
        "--to",
        agency.id(),
        "--purpose",
        "Housing application",
        "--uses",
        "2",
    ]);
    let out = agency.redeem(&g.link, &["--json"]);
    out.ok();
    assert_eq!(
        field_names(&out),
        [
            "identity.name",
            "needs.health",
            "needs.housing",
            "needs.housing.area"
        ],
        "{out}"
    );
    for absent in [
        "history.private",
        "not for anyone else",
        "identity.birthdate",
        "1990-01-01",
        "needs_more",
        "not under needs",
    ] {
        assert!(!out.all().contains(absent), "{absent:?} leaked\n{out}");
    }
    let v = out.json();
    assert_eq!(v["purpose"], "Housing application");
    assert_eq!(v["use_number"], 1);
    assert_eq!(v["max_uses"], 2);
    let value = |name: &str| {
        v["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .find(|f| f["field"] == name)
            .and_then(|f| f["value"].as_str())
            .map(str::to_owned)
    };
    assert_eq!(
        value("needs.housing.area").as_deref(),
        Some("near the school")
    );

    // What was shared is fixed at grant time: a field saved later under
    // `needs` is not in the share.
    survivor.put("needs.childcare", "two afternoons a week");
    let again = agency.redeem(&g.link, &["--json"]);
    again.ok();
    assert_eq!(again.json()["use_number"], 2);
    assert!(!again.all().contains("childcare"), "{again}");

    // A single field grant gives that field alone.
    let g = survivor.grant(&[
        "--fields",
        "needs.health",
        "--anyone",
        "--purpose",
        "Clinic visit",
    ]);
    let out = agency.redeem(&g.link, &["--json"]);
    out.ok();
    assert_eq!(field_names(&out), ["needs.health"], "{out}");
}

#[test]
fn agency_can_give_the_link_on_standard_input_to_keep_it_out_of_shell_history() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    let agency = Person::agency(&relay);
    survivor.put("identity.name", "Ama");
    let granted = survivor.grant(&[
        "--fields",
        "identity.name",
        "--anyone",
        "--purpose",
        "Clinic",
    ]);
    agency
        .redeem_from_stdin(&granted.link)
        .ok()
        .prints("identity.name: Ama");
    // A second use is still refused: reading from stdin changes nothing else.
    agency
        .redeem_from_stdin(&granted.link)
        .fails(9, "already been used");
}
