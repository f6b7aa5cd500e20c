//! How big is what a survivor hands over? Prints the size of a consent
//! token (bound to one agency, and for anyone with the link) for a typical
//! grant, and the length of a share link and the QR version it needs at
//! error correction M for relay hosts of 10, 20 and 40 characters.
//!
//! ```text
//! cargo run -q -p vault-core --example sizes
//! ```
//!
//! The tokens are made the way `vault grant` makes them (`grant::prepare`
//! and `grant::issue` on a vault in memory, two text fields shared, one
//! use, valid a week). The goal for links: QR version 5 or less at M for a
//! 20-character host, so a code prints and scans well at a small size.

#![allow(
    clippy::print_stdout,
    reason = "an example program: its output is the result"
)]

use vault_core::grant::{self, GrantRequest};
use vault_core::{
    qr, FieldPath, Identity, KdfParams, MemoryDocuments, MemoryStore, PublicId, Role, Scope,
    ShareLink, ShareSecret, Vault,
};

/// Relay hosts of exactly 10, 20 and 40 characters.
const HOSTS: [(usize, &str); 3] = [
    (10, "relay.help"),
    (20, "relay.safe-haven.org"),
    (40, "consent-relay.domestic-abuse-support.org"),
];

fn token_len(vault: &Vault, audience: Option<PublicId>) -> usize {
    let now = vault_core::time::now();
    let request = GrantRequest {
        scope: Scope::parse_list("identity.name,needs.*").expect("the scope is valid"),
        audience,
        purpose: "Housing application for me and my two children".into(),
        not_before: now,
        expires: now + 7 * 86_400,
        max_uses: 1,
    };
    let prepared = grant::prepare(vault, request).expect("the grant is valid");
    let (issued, _sealed) = grant::issue(vault, &prepared, "https://relay.help", now, Vec::new())
        .expect("issuing into memory cannot fail");
    issued.token.len()
}

fn main() {
    let vault = Vault::create_in(
        Box::new(MemoryStore::new()),
        Box::new(MemoryDocuments::new()),
        b"p",
        Role::Survivor,
        KdfParams::INSECURE_FOR_TESTS,
    )
    .expect("a vault in memory");
    for (path, text) in [
        ("identity.name", "Ama Mensah"),
        ("needs.housing", "a ground-floor flat near the school"),
    ] {
        vault
            .put_text(&FieldPath::parse(path).expect("a valid path"), text)
            .expect("writing into memory cannot fail");
    }
    let agency = Identity::from_seed(Role::Agency, &[7; 32]).public();
    println!("token, scope `identity.name,needs.*`, 1 use, valid 7 days:");
    println!(
        "  audience token (one agency): {} bytes",
        token_len(&vault, Some(agency))
    );
    println!(
        "  anyone token (link holder):  {} bytes",
        token_len(&vault, None)
    );

    println!("share link and QR code (error correction M):");
    for (chars, host) in HOSTS {
        assert_eq!(host.len(), chars, "{host} should have {chars} characters");
        let secret = ShareSecret::generate().expect("the system CSPRNG works");
        let link = ShareLink::new(&format!("https://{host}"), secret).expect("a valid origin");
        let text = link.to_text();
        let version = qr::version(&text).expect("a link fits in a QR code");
        println!(
            "  host {host:<40} ({chars:>2} chars): link {} chars, QR version {version} ({m}×{m} modules)",
            text.len(),
            m = 17 + 4 * version,
        );
    }
}
