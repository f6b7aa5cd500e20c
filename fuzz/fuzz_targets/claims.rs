//! Sealed claims, opened with a fixed share secret. The input is the
//! plaintext; the target seals it as `seal_claims` does, so every input
//! reaches the decoding behind the AEAD (canonical postcard, padding,
//! purpose rules). Round trip: claims that open seal again to the same
//! bytes (the claims key is used once, with a zero nonce).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vault_core::token::seal_claims;
use vault_core::vault::fuzzing::{open_claims, seal_claims_plaintext};

fuzz_target!(|data: &[u8]| {
    let secret = vault_fuzz::secret();
    let sealed = seal_claims_plaintext(&secret, data);
    let Ok(claims) = open_claims(&secret, &secret.token_id(), &sealed) else {
        return;
    };
    assert_eq!(
        seal_claims(&secret, &claims),
        sealed,
        "claims re-seal to other bytes"
    );
    // Another token id must not open them (the AAD binds it).
    assert!(open_claims(&secret, &[0; 32], &sealed).is_err());
});
