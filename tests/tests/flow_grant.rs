//! `vault grant` as a survivor meets it: the plain consent text before
//! anything is shared, the refusals of unusable input (each with its exit
//! code and the sentence that says what to do), and the QR picture that
//! carries exactly the printed link.

use std::process::Command;

use survivor_vault_tests::flow::{link_in, run_command, Person, Relay};

/// A survivor with three fields saved, an agency, and their relay.
fn setup() -> (Relay, Person, Person) {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("identity.name", "Ama");
    survivor.put("needs.housing", "a ground-floor flat near the school");
    survivor.put("needs.health", "asthma; needs an inhaler");
    let agency = Person::agency(&relay);
    (relay, survivor, agency)
}

#[track_caller]
fn nothing_shared(survivor: &Person) {
    survivor
        .run(&["grants"])
        .ok()
        .says("You have not shared anything yet.");
}

#[test]
fn grant_states_fields_audience_purpose_window_and_limits_before_asking() {
    let (_relay, survivor, agency) = setup();
    let out = survivor.run(&[
        "grant",
        "--fields",
        "identity.name,needs.*",
        "--to",
        agency.id(),
        "--purpose",
        "Housing application",
        "--expires",
        "24h",
    ]);
    // No terminal to ask on: refused, and the way forward is named.
    out.fails(2, "--yes");
    let consent = out
        .stderr
        .find("You are about to share these things from your vault:")
        .unwrap_or_else(|| panic!("no consent text before the question\n{out}"));
    let question = out.stderr.find("--yes").expect("checked above");
    assert!(consent < question, "the consent text comes first\n{out}");
    for needle in [
        "  - identity.name\n",
        "  - needs.health\n",
        "  - needs.housing\n",
        "(needs.* means everything saved under \"needs\" right now.)",
        &format!("With: only the agency {}\n", agency.id()),
        "For this purpose: \"Housing application\"\n",
        "From: ",
        "Until: ",
        "(1 day)",
        "It can be used: once.",
        "cannot take back what has already been seen",
    ] {
        out.says(needle);
    }
    // Nothing it must not show.
    assert!(!out.all().contains("history"), "{out}");
    nothing_shared(&survivor);

    // The JSON error code for scripts.
    survivor
        .run(&[
            "--json",
            "grant",
            "--fields",
            "identity.name",
            "--to",
            agency.id(),
            "--purpose",
            "Housing application",
        ])
        .fails_json(2, "needs_confirmation");
    nothing_shared(&survivor);

    // With --yes the same summary is still shown, and the grant is made.
    let out = survivor.run(&[
        "grant",
        "--yes",
        "--fields",
        "identity.name,needs.*",
        "--to",
        agency.id(),
        "--purpose",
        "Housing application",
    ]);
    out.ok()
        .says("You are about to share these things from your vault:")
        .says(&format!("With: only the agency {}", agency.id()))
        .says("Shared.");
    let link = link_in(&out.stdout_text());
    assert!(
        link.starts_with(&survivor.server.to_ascii_uppercase()),
        "{out}"
    );
}

#[test]
fn grant_refuses_an_empty_field_list_and_a_field_never_saved() {
    let (_relay, survivor, agency) = setup();
    let base = |fields: &str| {
        survivor.run(&[
            "--json",
            "grant",
            "--yes",
            "--fields",
            fields,
            "--to",
            agency.id(),
            "--purpose",
            "Housing application",
        ])
    };
    base("")
        .fails_json(2, "bad_fields")
        .says("No fields were chosen");
    base("nothing.here")
        .fails_json(5, "field_not_found")
        .says("Nothing is saved under nothing.here");
    // One good field does not carry an unknown one.
    base("identity.name,nothing.*")
        .fails_json(5, "field_not_found")
        .says("nothing.*");
    base("Identity.Name").fails_json(2, "bad_fields");
    nothing_shared(&survivor);
}

#[test]
fn grant_catches_a_typo_in_the_agency_id() {
    let (_relay, survivor, agency) = setup();
    let id = agency.id();
    let at = id.len() - 8;
    let old = id.as_bytes()[at];
    let new = if old == b'q' { 'p' } else { 'q' };
    let typo = format!("{}{}{}", &id[..at], new, &id[at + 1..]);
    assert_ne!(typo, id);
    survivor
        .run(&[
            "--json",
            "grant",
            "--yes",
            "--fields",
            "identity.name",
            "--to",
            &typo,
            "--purpose",
            "Housing application",
        ])
        .fails_json(2, "bad_id")
        .says("typo");
    // A cut-off id too.
    survivor
        .run(&[
            "grant",
            "--yes",
            "--fields",
            "identity.name",
            "--to",
            &id[..id.len() - 1],
            "--purpose",
            "Housing application",
        ])
        .fails(2, "typo");
    nothing_shared(&survivor);
}

#[test]
fn grant_refuses_an_advocate_id_as_the_audience() {
    let (relay, survivor, _agency) = setup();
    let advocate = Person::advocate(&relay);
    let out = survivor.run(&[
        "--json",
        "grant",
        "--yes",
        "--fields",
        "identity.name",
        "--to",
        advocate.id(),
        "--purpose",
        "Housing application",
    ]);
    out.fails_json(2, "bad_id")
        .says("an advocate")
        .says("an agency id is needed");
    // The survivor's own id is no agency either.
    survivor
        .run(&[
            "grant",
            "--yes",
            "--fields",
            "identity.name",
            "--to",
            survivor.id(),
            "--purpose",
            "Housing application",
        ])
        .fails(2, "an agency id is needed");
    nothing_shared(&survivor);
}

#[test]
fn grant_refuses_a_past_expiry_one_beyond_90_days_and_zero_uses() {
    let (_relay, survivor, agency) = setup();
    let with = |extra: &[&str]| {
        let mut args = vec![
            "--json",
            "grant",
            "--yes",
            "--fields",
            "identity.name",
            "--to",
            agency.id(),
            "--purpose",
            "Housing application",
        ];
        args.extend_from_slice(extra);
        survivor.run(&args)
    };
    with(&["--expires", "2020-01-01"])
        .fails_json(2, "expiry_passed")
        .says("already passed");
    with(&["--expires", "91d"])
        .fails_json(2, "expiry_too_far")
        .says("at most 90 days");
    with(&["--expires", "soon"]).fails_json(2, "bad_expiry");
    with(&["--uses", "0"])
        .fails_json(2, "bad_uses")
        .says("between 1 and");
    with(&["--uses", "1001"]).fails_json(2, "bad_uses");
    nothing_shared(&survivor);
}

#[test]
fn grant_needs_exactly_one_audience() {
    let (_relay, survivor, agency) = setup();
    let out = survivor.run(&[
        "grant",
        "--yes",
        "--fields",
        "identity.name",
        "--purpose",
        "Housing application",
    ]);
    out.fails(2, "--to").says("--anyone");
    survivor
        .run(&[
            "grant",
            "--yes",
            "--fields",
            "identity.name",
            "--to",
            agency.id(),
            "--anyone",
            "--purpose",
            "Housing application",
        ])
        .fails(2, "--anyone");
    nothing_shared(&survivor);
}

/// Reads the QR code in a PNG: with `zbarimg` when installed (an
/// independent reader), else with vault-core's own decoder.
fn decode_qr(png: &std::path::Path) -> String {
    let zbar = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join("zbarimg").is_file()));
    if zbar {
        let mut cmd = Command::new("zbarimg");
        cmd.args(["--raw", "-q"]).arg(png);
        let out = run_command(cmd, std::time::Duration::from_secs(30));
        out.ok();
        out.stdout_text().trim_end_matches(['\n', '\r']).to_owned()
    } else {
        let f = std::fs::File::open(png).expect("the QR picture exists");
        vault_core::qr::decode_png(std::io::BufReader::new(f)).expect("the QR picture decodes")
    }
}

#[test]
fn qr_picture_holds_exactly_the_printed_link_and_an_agency_can_redeem_it() {
    let (_relay, survivor, agency) = setup();
    let png = survivor.file("share.png");
    let png_s = png.to_str().expect("a UTF-8 temporary path");
    let out = survivor.run(&[
        "grant",
        "--yes",
        "--fields",
        "identity.name",
        "--to",
        agency.id(),
        "--purpose",
        "Housing application",
        "--qr-png",
        png_s,
    ]);
    out.ok();
    let link = link_in(&out.stdout_text());
    assert_eq!(decode_qr(&png), link, "the QR code is not the printed link");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&png).expect("png").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the QR picture is private");
    }
    // A second grant never overwrites the picture.
    survivor
        .run(&[
            "grant",
            "--yes",
            "--fields",
            "identity.name",
            "--anyone",
            "--purpose",
            "Housing application",
            "--qr-png",
            png_s,
        ])
        .fails(2, "already exists");

    let out = agency.run(&["agency", "redeem", "--image", png_s]);
    out.ok()
        .prints("identity.name: Ama")
        .says("Purpose: \"Housing application\"");
}

#[test]
fn grant_with_the_relay_down_shares_nothing_and_leaves_no_picture() {
    let (mut relay, survivor, agency) = setup();
    relay.crash();
    let png = survivor.file("share.png");
    let out = survivor.run(&[
        "--json",
        "grant",
        "--yes",
        "--fields",
        "identity.name",
        "--to",
        agency.id(),
        "--purpose",
        "Housing application",
        "--qr-png",
        png.to_str().expect("a UTF-8 temporary path"),
    ]);
    out.fails_json(10, "relay_unreachable")
        .says("so nothing was sent")
        .says("then try again. Nothing was shared.");
    assert!(!png.exists(), "a QR picture of a share that was not made");
    relay.restart();
    nothing_shared(&survivor);
}
