//! Share link: `ShareLink::parse` over any text. Round trip (the text form
//! is not canonical: case and surrounding space vary): a link that parses
//! prints as a link that parses to the same origin and secret, and that
//! printing is a fixed point.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vault_core::share::link::check_origin;
use vault_core::ShareLink;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = check_origin(text);
    let Ok(link) = ShareLink::parse(text) else {
        return;
    };
    let printed = link.to_text();
    let again = ShareLink::parse(&printed).expect("a printed link parses");
    assert_eq!(again.origin(), link.origin());
    assert_eq!(again.secret().expose(), link.secret().expose());
    assert_eq!(*again.to_text(), *printed);
    assert_eq!(link.origin(), link.origin().to_ascii_lowercase());
    let rebuilt = ShareLink::new(&link.origin(), link.secret().clone())
        .expect("a parsed link's origin is accepted");
    assert_eq!(*rebuilt.to_text(), *printed);
});
