//! Pictures of a share code and text on a narrow terminal, with the real
//! binaries: an agency redeems a phone-like JPEG photo of a survivor's QR
//! code; a HEIC photo or another format gets one plain sentence; the
//! printable page (`grant --qr-print`) holds exactly the link (read by
//! `zbarimg` when installed, and by vault-core's own reader either way)
//! and redeems; and on a 48-column terminal (`COLUMNS=48`) the consent
//! text wraps at spaces, never splitting a word or an id.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use image::{imageops, GrayImage, Luma};
use survivor_vault_tests::flow::{link_in, run_command, vault_bin, Output, Person, Relay};

/// A survivor with a name and a housing need saved, an agency, their relay.
fn setup() -> (Relay, Person, Person) {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    survivor.put("identity.name", "Ama");
    survivor.put("needs.housing", "a ground-floor flat near the school");
    let agency = Person::agency(&relay);
    (relay, survivor, agency)
}

/// `vault grant` to `agency` with `extra` arguments; the printed link.
fn grant(survivor: &Person, agency: &Person, extra: &[&str]) -> String {
    let mut args = vec![
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
    let out = survivor.run(&args);
    out.ok();
    link_in(&out.stdout_text())
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temporary path")
}

/// Whether `zbarimg` (zbar-tools, an independent QR reader) is installed.
fn zbarimg_installed() -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join("zbarimg").is_file()))
}

#[test]
fn an_agency_redeems_a_jpeg_photo_of_the_code() {
    let (_relay, survivor, agency) = setup();
    let png = survivor.file("code.png");
    let link = grant(&survivor, &agency, &["--qr-png", path_str(&png)]);

    // A phone-like photo: the code scaled up (smoothly, as a camera sees
    // it), in the middle of a 3000 × 2000 grey frame, saved as JPEG at
    // quality 80.
    let code = image::open(&png)
        .expect("the QR picture opens")
        .into_luma8();
    let side = code.width() * 4;
    let code = imageops::resize(&code, side, side, imageops::FilterType::Triangle);
    let mut photo = GrayImage::from_pixel(3000, 2000, Luma([128]));
    imageops::overlay(
        &mut photo,
        &code,
        i64::from((3000 - side) / 2),
        i64::from((2000 - side) / 2),
    );
    let jpeg = survivor.file("IMG_2041.JPG");
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 80)
        .encode_image(&photo)
        .expect("the photo encodes");
    std::fs::write(&jpeg, &bytes).expect("the photo is saved");
    assert!(bytes.len() > 50_000, "{} bytes", bytes.len());

    let out = agency.run(&["agency", "redeem", "--image", path_str(&jpeg)]);
    out.ok()
        .prints("identity.name: Ama")
        .says("Purpose: \"Housing application\"");
    // The photo held the very link that was printed: it is now used up.
    agency
        .redeem(&link, &[])
        .fails(9, "This share has already been used");
}

#[test]
fn a_heic_photo_or_another_format_gets_one_plain_sentence_and_spends_nothing() {
    let (_relay, survivor, agency) = setup();
    let link = grant(&survivor, &agency, &[]);

    // An iPhone photo begins with an ISO media `ftyp` box naming `heic`.
    let heic = agency.file("IMG_2042.HEIC");
    let mut bytes = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    bytes.extend_from_slice(&[0u8; 4096]);
    std::fs::write(&heic, &bytes).expect("the photo is saved");
    let out = agency.run(&["agency", "redeem", "--image", path_str(&heic)]);
    out.fails(
        2,
        "This picture is in HEIC format, which this program cannot read.",
    )
    .says("take a screenshot of the code and use that");
    assert!(!out.stderr.contains("PNG file"), "{out}");
    agency
        .run(&["--json", "agency", "redeem", "--image", path_str(&heic)])
        .fails_json(2, "bad_picture");

    let gif = agency.file("code.gif");
    std::fs::write(&gif, b"GIF89a\x10\x00\x10\x00\x00\x00\x00;").expect("saved");
    agency
        .run(&["agency", "redeem", "--image", path_str(&gif)])
        .fails(2, "not a PNG or JPEG picture")
        .says("saved as JPEG or PNG");

    // Nothing was spent: the link still opens.
    agency.redeem(&link, &[]).ok().prints("identity.name: Ama");
}

#[test]
fn the_printable_page_holds_the_link_and_redeems() {
    let (_relay, survivor, agency) = setup();
    let page = survivor.file("to-print.png");
    let out = survivor.run(&[
        "--json",
        "grant",
        "--yes",
        "--fields",
        "identity.name",
        "--to",
        agency.id(),
        "--uses",
        "2",
        "--purpose",
        "Housing application",
        "--qr-print",
        path_str(&page),
    ]);
    out.ok();
    let v = out.json();
    let link = v["link"].as_str().expect("a link").to_owned();
    let token_id = v["token_id"].as_str().expect("a token id").to_owned();

    // A page with room for its words: wider and taller than the bare code.
    let picture = image::open(&page).expect("the page opens").into_luma8();
    assert!(picture.width() > 600 && picture.height() > picture.width() / 2);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&page).expect("page").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the page is private");
    }

    let f = std::fs::File::open(&page).expect("the page exists");
    assert_eq!(
        vault_core::qr::decode_png(std::io::BufReader::new(f)).expect("the page decodes"),
        link
    );
    if zbarimg_installed() {
        let mut cmd = Command::new("zbarimg");
        cmd.args(["--raw", "-q"]).arg(&page);
        let out = run_command(cmd, Duration::from_secs(30));
        out.ok();
        assert_eq!(out.stdout_text().trim_end_matches(['\n', '\r']), link);
    }

    agency
        .run(&["agency", "redeem", "--image", path_str(&page)])
        .ok()
        .prints("identity.name: Ama");
    // Its withdraw id is the one `vault revoke` takes.
    survivor.run(&["revoke", &token_id[..12]]).ok();
    agency
        .run(&["agency", "redeem", "--image", path_str(&page)])
        .fails(9, "This code can no longer be used");
}

/// `vault grant ARGS…` as `survivor`, with `COLUMNS` set (or not).
fn grant_with_columns(survivor: &Person, columns: Option<&str>, args: &[&str]) -> Output {
    let mut all = vec!["grant"];
    all.extend_from_slice(args);
    run_with_columns(survivor, columns, &all)
}

/// `vault ARGS…` as `person`, with `COLUMNS` set (or not).
fn run_with_columns(person: &Person, columns: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(vault_bin());
    survivor_vault_tests::in_english(&mut cmd);
    cmd.current_dir(person.home())
        .env_remove("VAULT_DIR")
        .env_remove("VAULT_SERVER")
        .env_remove("COLUMNS")
        .env_remove(vault_core::time::CLOCK_OFFSET_ENV)
        .arg("--vault")
        .arg(&person.vault)
        .arg("--passphrase-file")
        .arg(&person.pass)
        .arg("--server")
        .arg(&person.server)
        .args(args);
    if let Some(c) = columns {
        cmd.env("COLUMNS", c);
    }
    run_command(cmd, Duration::from_secs(60))
}

fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

/// Every line fits in `width` columns, or is a single unbroken word.
#[track_caller]
fn fits(text: &str, width: usize) {
    for line in text.lines() {
        assert!(
            line.chars().count() <= width || !line.trim().contains(' '),
            "a line of {} columns: {line:?}\n{text}",
            line.chars().count()
        );
    }
}

#[test]
fn on_a_48_column_terminal_the_consent_text_wraps_at_spaces_and_ids_stay_whole() {
    let (_relay, survivor, agency) = setup();
    let ask = [
        "--fields",
        "identity.name,needs.housing",
        "--to",
        agency.id(),
        "--purpose",
        "Housing application at the north office",
    ];

    // Without --yes and without a terminal, the preview is shown and
    // nothing is shared. The same words as unwrapped (a retry covers a
    // minute that turned between the two runs: the text names the minute).
    let mut same = false;
    for _ in 0..3 {
        let wide = grant_with_columns(&survivor, None, &ask);
        let narrow = grant_with_columns(&survivor, Some("48"), &ask);
        assert_eq!(narrow.code, 2, "{narrow}");
        assert!(
            words(&narrow.stderr)
                .join(" ")
                .contains("nothing was changed; add --yes to go ahead."),
            "{narrow}"
        );
        fits(&narrow.stderr, 48);
        assert!(
            narrow.stderr.lines().any(|l| l.trim() == agency.id()),
            "the agency's id is not whole on a line\n{narrow}"
        );
        assert!(
            wide.stderr.lines().any(|l| l.chars().count() > 48),
            "{wide}"
        );
        if words(&wide.stderr) == words(&narrow.stderr) {
            same = true;
            break;
        }
    }
    assert!(same, "wrapping changed or split words");
    survivor
        .run(&["grants"])
        .ok()
        .says("You have not shared anything yet.");

    // Sharing: the withdraw id the survivor needs stays whole.
    let mut args = vec!["--yes"];
    args.extend_from_slice(&ask);
    let out = grant_with_columns(&survivor, Some("48"), &args);
    out.ok();
    fits(&out.stderr, 48);
    let short = out
        .stdout_text()
        .lines()
        .find_map(|l| l.strip_prefix("Token id: ").map(|t| t[..12].to_owned()))
        .expect("the token id is printed");
    assert!(
        out.stderr.lines().any(|l| l
            .split_whitespace()
            .any(|w| w.trim_matches(|c: char| !c.is_ascii_alphanumeric()) == short)),
        "the withdraw id is not whole on one line\n{out}"
    );
    // Standard output (the code and link) is never wrapped.
    assert!(out.stdout_text().lines().any(|l| l.chars().count() > 48));
}

#[test]
fn on_a_48_column_terminal_the_delegate_preview_keeps_the_advocate_id_whole() {
    let relay = Relay::start();
    let survivor = Person::survivor(&relay);
    let advocate = Person::advocate(&relay);
    let ask = ["delegate", advocate.id(), "--expires", "7d"];
    let mut same = false;
    for _ in 0..3 {
        let wide = run_with_columns(&survivor, None, &ask);
        let narrow = run_with_columns(&survivor, Some("48"), &ask);
        assert_eq!(narrow.code, 2, "{narrow}");
        fits(&narrow.stderr, 48);
        assert!(
            narrow.stderr.lines().any(|l| l
                .split_whitespace()
                .any(|w| w.trim_matches(|c: char| !c.is_ascii_alphanumeric()) == advocate.id())),
            "the advocate's id is not whole on a line\n{narrow}"
        );
        if words(&wide.stderr) == words(&narrow.stderr) {
            same = true;
            break;
        }
    }
    assert!(same, "wrapping changed or split words");
}
