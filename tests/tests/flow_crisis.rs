//! Crisis paths that must tell the truth (issue 12): an agency whose clock
//! is wrong is told so and spends nothing; whoever holds a code never
//! learns that anyone withdrew it, while the survivor's own history says
//! who did; an advocate without permission is told exactly that, and that
//! nothing was withdrawn; both sides are warned before a permission ends.

use survivor_vault_tests::flow::{unknown_link, Person, Relay};

const VALUE: &str = "Quiet-Harbour-5821";
const PURPOSE: &str = "Purpose-Otter-2211";

fn setup() -> (Relay, Person, Person) {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("identity.name", VALUE);
    let agency = Person::agency(&relay);
    (relay, survivor, agency)
}

#[test]
fn refuses_an_agency_whose_clock_is_ten_minutes_off_without_spending_the_use() {
    let (_relay, survivor, agency) = setup();
    let g = survivor.grant(&[
        "--fields",
        "identity.name",
        "--to",
        agency.id(),
        "--uses",
        "1",
        "--purpose",
        PURPOSE,
    ]);
    for (off, side) in [(600, "ahead of"), (-600, "behind")] {
        let out = agency.run_with_clock_off(off, &["--json", "agency", "redeem", &g.link]);
        out.fails_json(9, "clock_skew")
            .says("clock is about 10 minutes off")
            .says(side)
            .says("then try again");
        assert!(!out.all().contains(VALUE), "{out}");
        assert!(!out.all().contains("different agency"), "{out}");
    }
    // The only use was not spent: with the clock right, it opens.
    agency.redeem(&g.link, &[]).ok().prints(VALUE);

    // The survivor's history says an agency's clock was wrong, not that a
    // stranger holding the code tried.
    let log = survivor.run(&["log"]);
    log.ok().prints(&format!(
        "The agency {} asked to open share {}, but was refused because that computer's clock is wrong. No use was counted",
        agency.id(),
        &g.token_id[..12]
    ));
    assert!(!log.all().contains("Someone holding the code"), "{log}");
}

#[test]
fn keeps_who_withdrew_a_code_from_its_holder_and_tells_the_survivor() {
    let (relay, survivor, agency) = setup();
    let g = survivor.grant(&[
        "--fields",
        "identity.name",
        "--to",
        agency.id(),
        "--purpose",
        PURPOSE,
    ]);
    survivor.run(&["revoke", &g.token_id[..12]]).ok();
    let out = agency.redeem(&g.link, &["--json"]);
    out.fails_json(9, "revoked")
        .says("This code can no longer be used.");
    // Nor does a code the relay does not hold suggest that anyone acted.
    let out = agency.redeem(&unknown_link(&relay), &["--json"]);
    out.fails_json(9, "not_found").says("No share was found");
    for out in [
        agency.redeem(&g.link, &[]),
        agency.redeem(&unknown_link(&relay), &[]),
    ] {
        let text = out.all().to_lowercase();
        for word in ["withdr", "revok", "survivor"] {
            assert!(
                !text.contains(word),
                "{word:?} shown to a code holder:\n{out}"
            );
        }
    }
    survivor
        .run(&["log"])
        .ok()
        .prints(&format!("You withdrew share {}.", &g.token_id[..12]));
}

#[test]
fn tells_an_advocate_whose_permission_never_existed_and_withdraws_nothing() {
    let (relay, survivor, agency) = setup();
    let advocate = Person::advocate(&relay);
    let g = survivor.grant(&[
        "--fields",
        "identity.name",
        "--to",
        agency.id(),
        "--purpose",
        PURPOSE,
    ]);
    for args in [
        vec!["--json", "advocate", "revoke", "--all", survivor.id()],
        vec!["--json", "advocate", "shares", survivor.id()],
    ] {
        let out = advocate.run(&args);
        out.fails_json(11, "no_permission")
            .says("You have no permission from")
            .says(survivor.id());
        // Never a date: an advocate who never had permission learns nothing
        // about this survivor.
        assert!(!out.all().contains("ended"), "{out}");
        assert!(!out.all().contains("No share was found"), "{out}");
    }
    advocate
        .run(&["advocate", "revoke", "--all", survivor.id()])
        .fails(11, "nothing was withdrawn");
    advocate
        .run(&["advocate", "clients"])
        .ok()
        .says("Nobody has given you permission");
    agency.redeem(&g.link, &[]).ok().prints(VALUE);
}

#[test]
fn warns_both_sides_before_a_permission_ends_and_lists_the_advocates_clients() {
    let (relay, survivor, _agency) = setup();
    let advocate = Person::advocate(&relay);
    let other = Person::survivor(&relay);
    survivor.grant(&[
        "--fields",
        "identity.name",
        "--anyone",
        "--purpose",
        PURPOSE,
    ]);
    survivor
        .run(&["delegate", advocate.id(), "--expires", "3d", "--yes"])
        .ok();
    other
        .run(&["delegate", advocate.id(), "--expires", "30d", "--yes"])
        .ok();

    let warning = "ends on";
    advocate
        .run(&["advocate", "shares", survivor.id()])
        .ok()
        .says("Your permission to act for this person ends on")
        .says("(in 3 days)");
    // Thirty days ahead: no warning yet.
    let out = advocate.run(&["advocate", "shares", other.id()]);
    out.ok();
    assert!(!out.all().contains(warning), "{out}");

    let mention = format!("Your advocate ({}) can act for you until", advocate.id());
    survivor.run(&["log"]).ok().says(&mention);
    survivor.run(&["grants"]).ok().says(&mention);
    let out = other.run(&["log"]);
    out.ok();
    assert!(!out.all().contains(&mention), "{out}");

    let out = advocate.run(&["advocate", "clients"]);
    out.ok()
        .prints(survivor.id())
        .prints(other.id())
        .prints("(ends soon)");
    let json = advocate.run(&["--json", "advocate", "clients"]);
    json.ok();
    assert_eq!(
        json.json()["clients"].as_array().map(Vec::len),
        Some(2),
        "{json}"
    );
    assert_eq!(
        json.json()["clients"][0]["survivor"],
        survivor.id(),
        "{json}"
    );
}

#[test]
fn withdraws_everything_even_when_this_computers_clock_is_wrong_and_says_so() {
    let (_relay, survivor, agency) = setup();
    let g = survivor.grant(&[
        "--fields",
        "identity.name",
        "--to",
        agency.id(),
        "--purpose",
        PURPOSE,
    ]);
    // Sharing with a clock 10 minutes fast is refused, not retried: the
    // consent's own times would come from the wrong clock.
    let out = survivor.run_with_clock_off(
        600,
        &[
            "--json",
            "grant",
            "--yes",
            "--fields",
            "identity.name",
            "--anyone",
            "--purpose",
            PURPOSE,
        ],
    );
    out.fails_json(9, "clock_skew")
        .says("This computer's clock is about 10 minutes off (ahead of the relay's time)")
        .says("nothing was changed")
        .says("Correct the date, time and time zone");
    assert!(!out.all().contains("not validly signed"), "{out}");

    // The emergency withdrawal with a clock 10 minutes slow: signed again
    // with the relay's time, done, and the person is told why.
    let out = survivor.run_with_clock_off(-600, &["revoke", "--all"]);
    out.ok()
        .says("This computer's clock is about 10 minutes off (behind the relay's time), so the request was signed again with the relay's time")
        .says("Withdrew 1 share that could still be used");
    let out = agency.redeem(&g.link, &["--json"]);
    out.fails_json(9, "revoked");
    // The list, with the clock wrong the other way: shown, with the note.
    survivor
        .run_with_clock_off(600, &["grants"])
        .ok()
        .says("signed again with the relay's time")
        .prints("revoked");
}
