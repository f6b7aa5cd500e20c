//! Makes a share the `vault` CLI will not make (one that ends a few seconds
//! from now, or starts later) from a survivor's real vault, and uploads it
//! to a relay with a signed request, exactly as the CLI would. For the
//! browser tests (`scripts/test-browser.sh`), which need the relay's own
//! `expired` and `not_yet_valid` refusals.
//!
//! ```text
//! mint_share --vault DIR --passphrase-file FILE --server URL --fields LIST
//!            [--to AGENCY_ID] [--starts-in SECS] [--lasts SECS] [--uses N]
//! ```
//!
//! Prints `{"link": "…", "token_id": "…", "not_before": …, "expires": …}`
//! on standard output. No `vault` process may use the vault meanwhile.

use std::path::PathBuf;

use survivor_vault_tests::flow::http;
use vault_core::grant::{self, GrantRequest};
use vault_core::relay::hex;
use vault_core::{PublicId, Role, Scope, Vault};

fn usage() -> ! {
    eprintln!(
        "usage: mint_share --vault DIR --passphrase-file FILE --server URL --fields LIST [--to AGENCY_ID] [--starts-in SECS] [--lasts SECS] [--uses N]"
    );
    std::process::exit(2)
}

fn fail(what: &str) -> ! {
    eprintln!("mint_share: {what}");
    std::process::exit(1)
}

fn main() {
    let mut vault_dir: Option<PathBuf> = None;
    let mut pass_file: Option<PathBuf> = None;
    let mut server: Option<String> = None;
    let mut fields: Option<String> = None;
    let mut to: Option<String> = None;
    let mut starts_in = 0u64;
    let mut lasts = 86_400u64;
    let mut uses = 1u32;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--vault" => vault_dir = Some(PathBuf::from(value())),
            "--passphrase-file" => pass_file = Some(PathBuf::from(value())),
            "--server" => server = Some(value()),
            "--fields" => fields = Some(value()),
            "--to" => to = Some(value()),
            "--starts-in" => starts_in = value().parse().unwrap_or_else(|_| usage()),
            "--lasts" => lasts = value().parse().unwrap_or_else(|_| usage()),
            "--uses" => uses = value().parse().unwrap_or_else(|_| usage()),
            _ => usage(),
        }
    }
    let (Some(vault_dir), Some(pass_file), Some(server), Some(fields)) =
        (vault_dir, pass_file, server, fields)
    else {
        usage()
    };
    let passphrase =
        std::fs::read(&pass_file).unwrap_or_else(|_| fail("the passphrase file cannot be read"));
    let vault = Vault::open(&vault_dir, &passphrase)
        .unwrap_or_else(|e| fail(&format!("the vault does not open: {e}")));
    let audience = to
        .map(|id| PublicId::parse(&id, Role::Agency).unwrap_or_else(|_| fail("not an agency id")));
    let now = vault_core::time::now();
    let not_before = now + starts_in;
    let expires = not_before + lasts;
    let prepared = grant::prepare(
        &vault,
        GrantRequest {
            scope: Scope::parse_list(&fields).unwrap_or_else(|_| fail("not a list of fields")),
            audience,
            purpose: "Browser test".to_owned(),
            not_before,
            expires,
            max_uses: uses,
        },
    )
    .unwrap_or_else(|e| fail(&format!("the grant cannot be prepared: {e}")));
    let (issued, sealed) = grant::issue(&vault, &prepared, &server, now, Vec::new())
        .unwrap_or_else(|e| fail(&format!("the grant cannot be issued: {e}")));
    let agent = http::agent();
    let (status, answer) = http::upload(&agent, &server, vault.identity(), &issued.token, &sealed)
        .unwrap_or_else(|e| fail(&format!("the relay did not answer the upload: {e}")));
    if status != 200 {
        fail(&format!(
            "the relay refused the upload ({status}): {answer}"
        ));
    }
    let out = serde_json::json!({
        "link": issued.link.to_text().to_string(),
        "token_id": hex(&issued.link.token_id()),
        "not_before": not_before,
        "expires": expires,
    });
    println!("{out}");
}
