//! Id strings: printed public ids (`PublicId::parse` for each role and
//! `FromStr`, `contacts::parse_id`), hex token ids
//! (`vault_server::routes::token_id`, `relay::unhex`) and base64url
//! (`relay::unb64`), contact names (`contacts::parse_name`).
//!
//! Round trip (text forms are not canonical: case, surrounding space): an
//! id that parses prints in lower case as the trimmed input, and that
//! printed form parses to the same id; hex and base64url print back as
//! the input (lower-cased for hex).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vault_core::contacts::{parse_id, parse_name};
use vault_core::relay::{b64, hex, unb64, unhex};
use vault_core::{PublicId, Role};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for role in [Role::Survivor, Role::Agency, Role::Advocate, Role::Relay] {
        if let Ok(id) = PublicId::parse(text, role) {
            assert_eq!(id.role(), role);
            let printed = id.to_string();
            assert_eq!(printed, text.trim().to_lowercase());
            assert_eq!(PublicId::parse(&printed, role), Ok(id));
            assert_eq!(printed.parse::<PublicId>(), Ok(id));
        }
        let _ = parse_id(text, role);
    }
    if let Ok(id) = text.parse::<PublicId>() {
        assert_eq!(PublicId::parse(text, id.role()), Ok(id));
    }
    if let Ok(name) = parse_name(text) {
        assert_eq!(name, text.trim());
        assert_eq!(parse_name(&name).ok().as_deref(), Some(name.as_str()));
    }
    if let Ok(tid) = vault_server::routes::token_id(text) {
        assert_eq!(hex(&tid), text.to_ascii_lowercase());
    }
    if let Some(bytes) = unhex(text) {
        assert_eq!(hex(&bytes), text.to_ascii_lowercase());
    }
    if let Some(bytes) = unb64(text) {
        assert_eq!(b64(&bytes), text, "base64url has two spellings");
    }
});
