//! The relay's answer to a redemption, as an agency reads it
//! (`share::redeem::read_answer`: status and JSON body, then
//! `Answer::from_response` and `open_received`: token, share, claims,
//! manifest, receipt), for the link, agency and time of the vector
//! `open_ok_text_and_document`. Also the receipt alone
//! (`format::decode_canonical::<Receipt>`).
//!
//! The first two bytes are the HTTP status (below 0x8000: 200), then the
//! link's text and a line feed (the vector's link if it does not parse),
//! then the body. Round
//! trip: a receipt that decodes re-encodes to its bytes; an answer that
//! opens has a receipt that re-encodes to the bytes it carried.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vault_core::format;
use vault_core::relay::api::RedeemResponse;
use vault_core::relay::redeem::Receipt;
use vault_core::relay::unb64;
use vault_core::share::redeem::read_answer;
use vault_core::ShareLink;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = format::decode_canonical::<Receipt>(data) {
        assert_eq!(
            format::encode(&r),
            data,
            "a receipt re-encodes to other bytes"
        );
    }
    let Some((status, body)) = data.split_first_chunk::<2>() else {
        return;
    };
    // Mostly 200: the answer that carries a share.
    let status = match u16::from_be_bytes(*status) {
        s if s < 0x8000 => 200,
        s => s - 0x8000,
    };
    let (link, agency, now) = vault_fuzz::open_vector();
    let (link, body) = match body.iter().position(|&b| b == b'\n') {
        Some(i) => match std::str::from_utf8(&body[..i]).map(ShareLink::parse) {
            Ok(Ok(l)) => (l, &body[i + 1..]),
            _ => (link.clone(), body),
        },
        None => (link.clone(), body),
    };
    for me in [Some(agency), None] {
        let Ok(received) = read_answer(status, body, &link, me, *now) else {
            continue;
        };
        let response: RedeemResponse = serde_json::from_slice(body).expect("it was read");
        let receipt = unb64(&response.receipt).expect("it was read");
        assert_eq!(format::encode(&received.receipt), receipt);
        let mut reader = received.entries().expect("an opened share opens again");
        for e in &received.manifest.entries {
            reader
                .copy_entry(e.len, &mut std::io::sink())
                .expect("an opened entry reads again");
        }
        reader.finish().expect("an opened share finishes again");
    }
});
