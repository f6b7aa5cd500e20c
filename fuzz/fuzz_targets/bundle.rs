//! Upload bundle: `share::bundle::split`, then the token inside decoded.
//! Round trip: magic ‖ version ‖ be64(len) ‖ share ‖ token is the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vault_core::share::bundle::{split, MAGIC, VERSION};
use vault_core::UnverifiedToken;

fuzz_target!(|data: &[u8]| {
    let Ok((share, token)) = split(data) else {
        return;
    };
    assert!(!token.is_empty());
    let mut again = MAGIC.to_vec();
    again.push(VERSION);
    again.extend_from_slice(&(share.len() as u64).to_be_bytes());
    again.extend_from_slice(share);
    again.extend_from_slice(token);
    assert_eq!(again, data);
    let _ = UnverifiedToken::decode(token).map(|t| t.verify_signature());
});
