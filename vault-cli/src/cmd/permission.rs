//! Warning a survivor before an advocate's permission ends: `vault log`
//! and `vault grants` ask the relay which delegations they gave and say so
//! for each that ends within a week. Only nice to have: asked after the
//! real work, with a short time limit, and silent if it fails.

use std::time::Duration;

use vault_core::relay::api::DelegationsResponse;
use vault_core::{msg, time, Identity};

use super::advocate::{ends_in, WARN_BEFORE_SECS};
use crate::Ctx;

/// How long the question may take.
const LIMIT: Duration = Duration::from_secs(5);

/// The sentences for the survivor's delegations that end within a week
/// and have not ended yet, soonest first.
pub fn ending(origin: &str, survivor: &Identity) -> Vec<String> {
    let Ok(answer) = crate::client::Relay::with_time_limit(origin, LIMIT)
        .get::<DelegationsResponse>("/v1/delegations", Some(survivor))
    else {
        return Vec::new();
    };
    let now = time::now();
    answer
        .delegations
        .iter()
        .filter(|d| d.until > now && d.until - now <= WARN_BEFORE_SECS)
        .map(|d| {
            msg!(
                "permission-ending",
                advocate = vault_core::display::visible(&d.advocate),
                until = ends_in(d.until, now)
            )
        })
        .collect()
}

/// Notes each warning of [`ending`].
pub fn warn(ctx: &Ctx, origin: &str, survivor: &Identity) {
    for line in ending(origin, survivor) {
        ctx.out.note(&line);
    }
}
