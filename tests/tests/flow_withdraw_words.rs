//! A withdrawal says what it changed (issue 10, item 11): only shares that
//! could still be used count as withdrawn, "1 share … it" and "2 shares …
//! them", the ones that had already ended are said apart, and "nothing
//! left" is said when nothing could still be used. The same for the
//! survivor and for an advocate.

use survivor_vault_tests::flow::{Granted, Person, Relay};

fn grant(survivor: &Person, agency: &Person) -> Granted {
    survivor.grant(&[
        "--fields",
        "needs.housing",
        "--to",
        agency.id(),
        "--purpose",
        "Housing application",
    ])
}

/// A share of one use, used: it has ended.
fn used_up(survivor: &Person, agency: &Person) -> Granted {
    let g = grant(survivor, agency);
    agency.redeem(&g.link, &[]).ok().prints("ground floor");
    g
}

fn live(out: &survivor_vault_tests::flow::Output) -> usize {
    out.json()["live"]
        .as_array()
        .unwrap_or_else(|| panic!("a list of live shares\n{out}"))
        .len()
}

#[test]
fn keeps_ended_shares_out_of_the_survivors_withdrawal_count() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("needs.housing", "ground floor");
    let agency = Person::agency(&relay);
    used_up(&survivor, &agency);
    grant(&survivor, &agency);
    grant(&survivor, &agency);

    let out = survivor.run(&["--json", "revoke", "--all"]);
    out.ok()
        .says("Withdrew 2 shares that could still be used. From now on nobody can use them.")
        .says("1 more had already ended (expired or used up) and is now withdrawn too.");
    assert_eq!(out.json()["revoked"].as_array().map(Vec::len), Some(3));
    assert_eq!(live(&out), 2);
    assert!(!out.stderr.contains("share(s)"), "{out}");

    survivor
        .run(&["revoke", "--all"])
        .ok()
        .says("There was nothing left to withdraw, so nothing changed.");

    // One share by its id: "it", and "already withdrawn" the second time.
    let g = grant(&survivor, &agency);
    survivor
        .run(&["revoke", &g.token_id[..12]])
        .ok()
        .says("Withdrawn. From now on nobody can use it.");
    survivor
        .run(&["revoke", &g.token_id[..12]])
        .ok()
        .says("That share was already withdrawn, so nothing changed.");

    // Only ended shares: nothing could still be used.
    used_up(&survivor, &agency);
    survivor
        .run(&["revoke", "--all"])
        .ok()
        .says("Nothing could still be used: that share had already ended (expired or used up), and is now withdrawn too.");
}

#[test]
fn keeps_ended_shares_out_of_the_advocates_withdrawal_count() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("needs.housing", "ground floor");
    let agency = Person::agency(&relay);
    let advocate = Person::advocate(&relay);
    survivor
        .run(&["delegate", advocate.id(), "--expires", "1d", "--yes"])
        .ok();
    used_up(&survivor, &agency);
    used_up(&survivor, &agency);
    grant(&survivor, &agency);

    let out = advocate.run(&["--json", "advocate", "revoke", "--all", survivor.id()]);
    out.ok()
        .says("Withdrew 1 share that could still be used. From now on nobody can use it.")
        .says("2 more had already ended (expired or used up) and are now withdrawn too.")
        .says("Let the person know it is done.");
    assert_eq!(live(&out), 1);

    advocate
        .run(&["advocate", "revoke", "--all", survivor.id()])
        .ok()
        .says("There was nothing left to withdraw, so nothing changed.");
}
