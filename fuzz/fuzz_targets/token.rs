//! Consent token: `UnverifiedToken::decode`, then every verification step
//! the relay and an agency run. Round trip: a token that decodes is the
//! canonical framing of its body followed by its signature, byte for byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vault_core::format;
use vault_core::token::{UnverifiedToken, MAGIC, VERSION};

fuzz_target!(|data: &[u8]| {
    let Ok(t) = UnverifiedToken::decode(data) else {
        return;
    };
    assert_eq!(t.bytes(), data);
    let mut again = format::frame(MAGIC, VERSION, t.body());
    again.extend_from_slice(&data[data.len() - 64..]);
    assert_eq!(again, data, "a decoded token re-encodes to other bytes");
    assert_eq!(t.token_id(), &t.body().token_id);
    let agency = vault_fuzz::agency().public();
    let b = t.body().clone();
    if let Err(e) = t.verify_signature() {
        // Every later check runs after this one, and fails the same way.
        assert_eq!(t.clone().verify(b.not_before, Some(&agency)).err(), Some(e));
        return;
    }
    // At its start, at its last second, and outside its window; with no
    // presenter and with an agency.
    for now in [b.not_before, b.expires.saturating_sub(1), b.expires, 0] {
        for presenter in [None, Some(&agency)] {
            if let Ok(token) = t.clone().verify(now, presenter) {
                assert_eq!(token.bytes(), data);
                assert!(now >= b.not_before && now < b.expires);
                let _ = token.issuer();
                let _ = token.audience();
                let _ = token.open_claims(&vault_fuzz::secret());
            }
        }
    }
});
