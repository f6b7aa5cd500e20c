//! `vault advocate shares`, `vault advocate revoke` and `vault advocate
//! clients`: acting on a survivor's request, within their delegation,
//! never seeing content.
//!
//! Without a live permission the relay answers `no_permission` (and when
//! it ended, if it existed): the advocate is told exactly that, and that
//! nothing was withdrawn (exit 11), never "no share was found", which a
//! hotline worker would pass on as "done".

use serde_json::json;
use vault_core::advocate::NotDone;
use vault_core::display::visible;
use vault_core::relay::api::{
    DelegationsResponse, RevokeAllRequest, RevokeRequest, RevokeResponse, SharesResponse,
};
use vault_core::relay::Refusal;
use vault_core::{msg, time, PublicId, Role};

use super::printed;
use crate::cli::{AdvocateRevokeArgs, AdvocateSharesArgs};
use crate::client::ClientError;
use crate::error::{CliError, Code};
use crate::Ctx;

/// Warn when a permission ends within this long.
pub use vault_core::advocate::WARN_BEFORE_SECS;

/// "2 December 2026, 10:00 UTC (in 3 days)" (vault-core's words, in this
/// computer's zone).
pub fn ends_in(until: u64, now: u64) -> String {
    vault_core::advocate::ends_in(until, now, &crate::local::long)
}

/// What an advocate is told when the relay says they have no permission:
/// who (if they named the survivor), since when (if it ended), and that
/// nothing was done (vault-core's words). Other answers are as usual.
fn no_permission(
    e: ClientError,
    who: Option<&PublicId>,
    not_done: NotDone,
    origin: &str,
    what: &str,
) -> CliError {
    let ended_at = match &e {
        ClientError::Detailed {
            refusal: Refusal::NoPermission,
            ended_at,
            ..
        } => *ended_at,
        ClientError::Refused(Refusal::NoPermission) => None,
        _ => return e.into_cli(origin, what),
    };
    let whom = who.map(|w| w.to_string());
    let text = vault_core::advocate::no_permission(
        whom.as_deref(),
        ended_at,
        not_done,
        &crate::local::long,
    );
    CliError::new(Code::NoPermission, "no_permission", text)
}

pub fn shares(ctx: &Ctx, args: &AdvocateSharesArgs) -> Result<(), CliError> {
    super::contacts::early(&args.survivor, Role::Survivor)?;
    let keys = ctx.open_vault(Role::Advocate)?;
    let (who, _, _) = super::contacts::resolve(&keys, &args.survivor, Role::Survivor)?;
    let (known, _) = vault_core::contacts::list(&keys)?;
    let relay = ctx.relay()?;
    let list: SharesResponse = relay
        .get(&format!("/v1/shares?survivor={who}"), Some(keys.identity()))
        .map_err(|e| {
            no_permission(
                e,
                Some(&who),
                NotDone::NotListed,
                relay.origin(),
                &msg!("advocate-what-list"),
            )
        })?;
    let now = time::now();
    if list.shares.is_empty() {
        ctx.out.note(&msg!("advocate-no-shares"));
    }
    if let Some(warning) =
        vault_core::advocate::permission_ending(list.permission_until, now, &crate::local::long)
    {
        ctx.out.note(&warning);
    }
    // Every string here is the relay's: shown inert (vault-core's words).
    let human: Vec<String> = list
        .shares
        .iter()
        .map(|s| vault_core::advocate::share_line(s, &known, &crate::local::long))
        .collect();
    printed(ctx.out.result(
        serde_json::to_value(&list).unwrap_or_else(|_| json!({})),
        (!human.is_empty()).then(|| human.join("\n")).as_deref(),
    ))
}

/// A token id as typed: 8 to 64 characters 0-9 and a-f, lower-cased;
/// anything else (`localhost`, a survivor id) is told plainly, before the
/// passphrase is asked.
fn token_prefix(text: &str) -> Result<String, CliError> {
    let t = text.trim().to_ascii_lowercase();
    if t.starts_with(Role::Survivor.prefix()) {
        return Err(CliError::usage(
            "bad_token_id",
            msg!("advocate-person-not-token"),
        ));
    }
    if t.len() < 8 || t.len() > 64 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(CliError::usage(
            "bad_token_id",
            msg!("advocate-bad-token-id", value = visible(text.trim())),
        ));
    }
    Ok(t)
}

/// The whole token id a short one names, among the shares of everyone who
/// has given this advocate permission (as `vault advocate shares` lists
/// them). None matching, or more than one, is said plainly.
fn whole_token_id(
    keys: &vault_core::Vault,
    relay: &crate::client::Relay,
    prefix: &str,
) -> Result<String, CliError> {
    if prefix.len() == 64 {
        return Ok(prefix.to_owned());
    }
    let clients: DelegationsResponse = relay
        .get("/v1/delegations", Some(keys.identity()))
        .map_err(|e| e.into_cli(relay.origin(), &msg!("advocate-what-token")))?;
    let now = time::now();
    let (known, _) = vault_core::contacts::list(keys)?;
    let mut found: Vec<(String, String)> = Vec::new();
    for d in clients.delegations.iter().filter(|d| d.until > now) {
        let Ok(list) = relay.get::<SharesResponse>(
            &format!("/v1/shares?survivor={}", d.survivor),
            Some(keys.identity()),
        ) else {
            continue;
        };
        for s in list.shares {
            if s.token_id.starts_with(prefix) {
                found.push((
                    s.token_id,
                    vault_core::contacts::name_ids(&d.survivor, &known),
                ));
            }
        }
    }
    // A permission that ran out is said, never hidden behind "not found"
    // (issue 12, crisis path 1).
    let ended = clients
        .delegations
        .iter()
        .filter(|d| d.until <= now)
        .count();
    choose(found, ended)
}

/// The one token id among `found` (token id, whose), or what to say: none
/// matching (and how many permissions have ended), or a short id that
/// names more than one share, listed with whose each is.
fn choose(mut found: Vec<(String, String)>, ended: usize) -> Result<String, CliError> {
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    match found.as_slice() {
        [(one, _)] => Ok(one.clone()),
        [] => {
            let mut text = msg!("advocate-no-such-token");
            if ended > 0 {
                text.push(' ');
                text.push_str(&msg!("advocate-some-ended", count = ended));
            }
            Err(CliError::new(Code::FieldNotFound, "not_found", text))
        }
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|(id, who)| {
                    format!(
                        "  {}",
                        msg!(
                            "advocate-match-line",
                            token_id = visible(id),
                            whom = visible(who)
                        )
                    )
                })
                .collect();
            Err(CliError::usage(
                "ambiguous_token_id",
                format!("{}\n{}", msg!("advocate-ambiguous"), list.join("\n")),
            ))
        }
    }
}

pub fn revoke(ctx: &Ctx, args: &AdvocateRevokeArgs) -> Result<(), CliError> {
    if let Some(s) = &args.all {
        super::contacts::early(s, Role::Survivor)?;
    }
    let prefix = args.token_id.as_deref().map(token_prefix).transpose()?;
    let keys = ctx.open_vault(Role::Advocate)?;
    let target = match &args.all {
        Some(s) => Some(super::contacts::resolve(&keys, s, Role::Survivor)?.0),
        None => None,
    };
    let relay = ctx.relay()?;
    let now = time::now();
    let answer: RevokeResponse = match (&args.token_id, target) {
        (_, Some(who)) => relay.post(
            "/v1/revoke-all",
            &RevokeAllRequest {
                survivor: Some(who.to_string()),
            },
            Some(keys.identity()),
        ),
        (Some(_), None) => {
            let id = whole_token_id(&keys, &relay, prefix.as_deref().unwrap_or(""))?;
            relay.post(
                "/v1/revoke",
                &RevokeRequest { token_id: id },
                Some(keys.identity()),
            )
        }
        (None, None) => {
            return Err(CliError::usage(
                "bad_arguments",
                msg!("advocate-revoke-needs"),
            ))
        }
    }
    .map_err(|e| {
        no_permission(
            e,
            target.as_ref(),
            NotDone::NothingWithdrawn,
            relay.origin(),
            &msg!("advocate-what-withdrawn"),
        )
    })?;
    // The relay lists shares by survivor, so only with --all can the
    // advocate ask which of them could still be used.
    let (mut text, json) = match target {
        Some(who) => {
            let (mut text, json, stopped) = super::revoke::outcome(
                relay.origin(),
                keys.identity(),
                &format!("/v1/shares?survivor={who}"),
                &answer.revoked,
                now,
                false,
            );
            // Short ids only: the advocate never learns more about a share.
            text.push_str(&super::revoke::named(&stopped, |id| {
                id.get(..12).unwrap_or(id).to_owned()
            }));
            (text, json)
        }
        None => super::revoke::outcome_unknown(&answer.revoked, true),
    };
    if !answer.revoked.is_empty() {
        text.push(if target.is_some() { '\n' } else { ' ' });
        text.push_str(&msg!("advocate-tell-them"));
    }
    ctx.out.note(&text);
    printed(ctx.out.result(json, None))
}

/// `vault advocate clients`: who has given this advocate permission, and
/// until when (from the relay), so an advocate on a crisis call is not stuck
/// without a 66-character id.
pub fn clients(ctx: &Ctx) -> Result<(), CliError> {
    let keys = ctx.open_vault(Role::Advocate)?;
    let relay = ctx.relay()?;
    let answer: DelegationsResponse = relay
        .get("/v1/delegations", Some(keys.identity()))
        .map_err(|e| e.into_cli(relay.origin(), &msg!("advocate-what-clients")))?;
    let now = time::now();
    if answer.delegations.is_empty() {
        ctx.out.note(&msg!("advocate-no-clients"));
    }
    let human: Vec<String> = answer
        .delegations
        .iter()
        .map(|d| {
            // The relay's strings: shown inert.
            let when = vault_core::advocate::client_when(d.until, now, &crate::local::long);
            format!("{}  {when}", visible(&d.survivor))
        })
        .collect();
    printed(ctx.out.result(
        json!({
            "clients": answer.delegations.iter().map(|d| json!({
                "survivor": d.survivor,
                "until": d.until,
                "active": d.until > now,
            })).collect::<Vec<_>>(),
        }),
        (!human.is_empty()).then(|| human.join("\n")).as_deref(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(prefix: &str) -> String {
        format!("{prefix}{}", "0".repeat(64 - prefix.len()))
    }

    #[test]
    fn a_short_id_that_names_two_shares_lists_both_and_whose_they_are() {
        let found = vec![
            (id("abcdef01aa"), "Ama (survivor1qqq…)".to_owned()),
            (id("abcdef01bb"), "survivor1zzz…".to_owned()),
        ];
        let e = choose(found, 0).expect_err("ambiguous");
        assert_eq!(e.kind, "ambiguous_token_id");
        assert_eq!(e.code, Code::Usage);
        assert!(e.message.contains(&id("abcdef01aa")), "{}", e.message);
        assert!(e.message.contains(&id("abcdef01bb")), "{}", e.message);
        assert!(e.message.contains("Ama (survivor1qqq…)"), "{}", e.message);
        assert!(e.message.contains("survivor1zzz…"), "{}", e.message);
    }

    #[test]
    fn one_match_is_the_token_and_none_says_which_permissions_ended() {
        let one = vec![(id("abcdef01"), "Ama".to_owned())];
        assert_eq!(choose(one, 3).expect("one"), id("abcdef01"));
        let e = choose(Vec::new(), 0).expect_err("none");
        assert_eq!((e.kind, e.code), ("not_found", Code::FieldNotFound));
        let with_ended = choose(Vec::new(), 2).expect_err("none");
        assert!(with_ended.message.len() > e.message.len());
        assert!(
            with_ended.message.starts_with(&e.message),
            "{}",
            with_ended.message
        );
        assert!(with_ended.message.contains('2'), "{}", with_ended.message);
    }
}
