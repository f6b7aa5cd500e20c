//! The native half of `web/tests/bench.mjs`: times vault-core's token check
//! (`UnverifiedToken::decode` + `verify`: canonical decode, limits, issuer
//! key, `verify_strict`, window, audience) on the token of
//! `tests/vectors/token_ok_audience.vec`, with the very loop the browser
//! module runs (`vectors::check_token_times`), and prints one JSON line.
//!
//! ```text
//! cargo run -q --profile wasm -p vault-web --features vectors --example token_check -- [TIMES]
//! ```
//!
//! A measurement, not a test: nothing here passes or fails on time.

// Output is this program's whole job.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use vault_core::vectors::{check_token_times, Vector};
use vault_core::PublicId;

const VECTOR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/vectors/token_ok_audience.vec"
);

fn main() -> Result<(), String> {
    let times: u32 = match std::env::args().nth(1) {
        Some(n) => n.parse().map_err(|_| format!("not a number: {n}"))?,
        None => 2000,
    };
    let text = std::fs::read_to_string(VECTOR).map_err(|e| format!("{VECTOR}: {e}"))?;
    let v = Vector::parse("token_ok_audience", &text)?;
    let token = data_hex(v.get("token")?)?;
    let now: u64 = v.get("now")?.parse().map_err(|_| "bad now".to_string())?;
    let presenter: PublicId = v.get("presenter")?.parse().map_err(|e| format!("{e}"))?;
    // Warm up, as the JavaScript side does.
    check_token_times(&token, now, Some(&presenter), times / 10 + 1);
    let start = Instant::now();
    let ok = check_token_times(&token, now, Some(&presenter), times);
    let secs = start.elapsed().as_secs_f64();
    if ok != times {
        return Err(format!("only {ok} of {times} checks accepted the token"));
    }
    println!(
        "{{\"times\":{times},\"seconds\":{secs:.6},\"per_check_us\":{:.2}}}",
        secs * 1e6 / f64::from(times)
    );
    Ok(())
}

fn data_hex(s: &str) -> Result<Vec<u8>, String> {
    vault_core::relay::unhex(s).ok_or_else(|| "bad hex".to_string())
}
