//! `vault` speaks the language its environment asks for (issue 13): with
//! `LANG=es_ES.UTF-8` its sentences, successes and refusals alike, are
//! Spanish; with `LANG=C` (what the other tests run with) English; and
//! `--lang` wins over the environment. What programs read (exit codes,
//! JSON error codes) does not change with the language.

use survivor_vault_tests::flow::{Person, Relay};

const SPANISH: &[(&str, &str)] = &[("LANG", "es_ES.UTF-8")];
const C: &[(&str, &str)] = &[("LANG", "C")];

#[test]
fn speaks_spanish_when_the_environment_asks_and_english_in_the_c_locale() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    let agency = Person::agency(&relay);

    // A success and a refusal, in Spanish.
    survivor
        .run_with_env(SPANISH, &["put", "needs.housing", "ground floor"])
        .ok()
        .says("Se guardó needs.housing (texto, ");
    let out = survivor.run_with_env(SPANISH, &["--json", "get", "needs.school"]);
    out.fails_json(5, "field_not_found").says(
        "No hay nada guardado en needs.school. Usa `vault ls` para ver lo que está guardado.",
    );
    assert!(!out.stderr.contains("nothing saved"), "{out}");

    // The same refusal in the C locale, and with LC_ALL=C over a Spanish LANG.
    survivor
        .run_with_env(C, &["get", "needs.school"])
        .fails(5, "There is nothing saved under needs.school.");
    survivor
        .run_with_env(
            &[("LC_ALL", "C"), ("LANG", "es_ES.UTF-8")],
            &["get", "needs.school"],
        )
        .fails(5, "There is nothing saved under needs.school.");

    // --lang wins over the environment, both ways.
    survivor
        .run_with_env(SPANISH, &["--lang", "en", "get", "needs.school"])
        .fails(5, "There is nothing saved under needs.school.");
    survivor
        .run_with_env(C, &["--lang", "es", "get", "needs.school"])
        .fails(5, "No hay nada guardado en needs.school.");

    // A command line that cannot be read is answered in Spanish too.
    survivor
        .run_with_env(SPANISH, &["put", "--bogus"])
        .fails(2, "Esta orden no tiene la opción `--bogus`.");

    // Through the relay: a share withdrawn in Spanish, and the agency,
    // also in Spanish, refused in Spanish.
    let g = survivor.grant(&[
        "--fields",
        "needs.housing",
        "--to",
        agency.id(),
        "--purpose",
        "vivienda",
    ]);
    survivor
        .run_with_env(SPANISH, &["revoke", &g.token_id[..12]])
        .ok()
        .says("Retirado. Desde ahora nadie puede usarlo.")
        .says("Esto no puede deshacer lo que una organización ya haya podido ver.");
    agency
        .run_with_env(SPANISH, &["--json", "agency", "redeem", &g.link])
        .fails_json(9, "revoked")
        .says("Este código ya no se puede usar.");

    // A share made in Spanish: its sentences and its date are Spanish; the
    // consent text it signs stays English (consent-token-v1 fixes it).
    let out = survivor.run_with_env(
        SPANISH,
        &[
            "grant",
            "--yes",
            "--fields",
            "needs.housing",
            "--anyone",
            "--purpose",
            "vivienda",
        ],
    );
    out.ok()
        .says("Compartido. Cualquiera que tenga este código o enlace puede usarlo")
        .says("Funciona hasta el ");
    const MONTHS: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    assert!(
        MONTHS
            .iter()
            .any(|m| out.stderr.contains(&format!(" de {m} de 20"))),
        "{out}"
    );
    assert!(out.all().contains("needs.housing"), "{out}");

    survivor
        .run_with_env(SPANISH, &["log"])
        .ok()
        .prints("y el servidor dijo que no: Este código ya no se puede usar.");
}
