//! One test per rule of the open step, in the documented order, and the
//! order itself: an answer that breaks two rules reports the first.

use std::io::Write as _;

use super::*;
use crate::id::Identity;
use crate::path::FieldPath;
use crate::relay::b64;
use crate::scope::Scope;
use crate::share::link::ShareSecret;
use crate::share::{EntryKind, ManifestEntry, ShareWriter};
use crate::token::{TokenBody, TokenTerms};

pub(crate) const NOW: u64 = 1_795_000_000;
const ORIGIN: &str = "https://relay.example.org";

/// Everything one genuine answer is made from; tests break one piece.
pub(crate) struct Fixture {
    pub(crate) link: ShareLink,
    pub(crate) agency: Identity,
    pub(crate) issuer: Identity,
    pub(crate) relay: Identity,
    pub(crate) terms: TokenTerms,
    pub(crate) manifest: Manifest,
    pub(crate) data: Vec<Vec<u8>>,
}

fn path(s: &str) -> FieldPath {
    FieldPath::parse(s).expect("a valid path")
}

impl Fixture {
    pub(crate) fn new() -> Self {
        let agency = Identity::from_seed(Role::Agency, &[1; 32]);
        let consent_text = "You are about to share your name and housing needs.\n".to_string();
        let data = vec![b"Ama Mensah".to_vec(), b"A ground-floor flat".to_vec()];
        let manifest = Manifest {
            consent_text: consent_text.clone(),
            entries: vec![
                ManifestEntry {
                    path: path("identity.name"),
                    kind: EntryKind::Text,
                    len: data[0].len() as u64,
                },
                ManifestEntry {
                    path: path("needs.housing"),
                    kind: EntryKind::Text,
                    len: data[1].len() as u64,
                },
            ],
        };
        let audience = Some(agency.public());
        Self {
            link: ShareLink::new(ORIGIN, ShareSecret::from_bytes([7; 32])).expect("a link"),
            agency,
            issuer: Identity::from_seed(Role::Survivor, &[2; 32]),
            relay: Identity::from_seed(Role::Relay, &[3; 32]),
            terms: TokenTerms {
                audience,
                not_before: NOW - 3600,
                expires: NOW + 3600,
                max_uses: 2,
                claims: Claims {
                    scope: Scope::parse_list("identity.name,needs.*").expect("a scope"),
                    purpose: "Housing application".into(),
                    consent_hash: token::consent_hash(&consent_text),
                },
            },
            manifest,
            data,
        }
    }

    pub(crate) fn secret(&self) -> &ShareSecret {
        self.link.secret()
    }

    /// The share sealed under `secret`, its entries written as `data`.
    pub(crate) fn share_under(&self, secret: &ShareSecret) -> Vec<u8> {
        let mut w = ShareWriter::start(secret, &self.manifest, Vec::new()).expect("start");
        for d in &self.data {
            w.write_all(d).expect("write");
        }
        w.finish().expect("finish").0
    }

    pub(crate) fn share(&self) -> Vec<u8> {
        self.share_under(self.secret())
    }

    pub(crate) fn token_under(&self, secret: &ShareSecret, share: &[u8]) -> Vec<u8> {
        self.terms
            .sign(
                &self.issuer,
                secret,
                share.len() as u64,
                crypto::sha256(&[share]),
            )
            .expect("terms within the limits")
    }

    pub(crate) fn receipt(&self, share: &[u8]) -> Receipt {
        Receipt {
            origin: ORIGIN.into(),
            token_id: self.secret().token_id(),
            use_number: 1,
            max_uses: self.terms.max_uses,
            at: NOW,
            agency: Some(*self.agency.public().key_bytes()),
            payload_hash: crypto::sha256(&[share]),
        }
    }

    pub(crate) fn answer_of(&self, token: Vec<u8>, share: Vec<u8>, receipt: &Receipt) -> Answer {
        Answer {
            token,
            share,
            receipt: format::encode(receipt),
            receipt_signature: receipt.sign(&self.relay),
            relay: self.relay.public(),
        }
    }

    /// A genuine answer for `share`, its token signed over it.
    pub(crate) fn answer_for(&self, share: Vec<u8>) -> Answer {
        let token = self.token_under(self.secret(), &share);
        let receipt = self.receipt(&share);
        self.answer_of(token, share, &receipt)
    }

    pub(crate) fn answer(&self) -> Answer {
        self.answer_for(self.share())
    }

    /// A genuine answer whose receipt is edited by `edit`, then signed.
    pub(crate) fn answer_with_receipt(&self, edit: impl FnOnce(&mut Receipt)) -> Answer {
        let share = self.share();
        let mut receipt = self.receipt(&share);
        edit(&mut receipt);
        self.answer_of(self.token_under(self.secret(), &share), share, &receipt)
    }

    pub(crate) fn open(&self, answer: Answer) -> Result<Received, OpenError> {
        open_received(answer, &self.link, Some(&self.agency.public()), NOW)
    }
}

fn refusal(r: Result<Received, OpenError>) -> OpenError {
    match r {
        Ok(_) => panic!("the answer was accepted"),
        Err(e) => e,
    }
}

#[test]
fn accepts_a_genuine_answer_and_reads_every_entry() {
    let f = Fixture::new();
    let got = f.open(f.answer()).expect("a genuine answer opens");
    assert_eq!(got.manifest, f.manifest);
    assert_eq!(got.claims, f.terms.claims);
    assert_eq!(got.receipt.use_number, 1);
    assert_eq!(got.token.issuer(), f.issuer.public());
    let mut reader = got.entries().expect("entries");
    for (e, want) in got.manifest.entries.iter().zip(&f.data) {
        let mut buf = Vec::new();
        reader.copy_entry(e.len, &mut buf).expect("an entry");
        assert_eq!(&buf, want);
    }
    reader.finish().expect("the end");
}

#[test]
fn accepts_an_anyone_link_opened_by_anyone() {
    let mut f = Fixture::new();
    f.terms.audience = None;
    let share = f.share();
    let mut receipt = f.receipt(&share);
    receipt.agency = None;
    let answer = f.answer_of(f.token_under(f.secret(), &share), share, &receipt);
    open_received(answer, &f.link, None, NOW).expect("anyone may open it");
}

#[test]
fn rejects_unreadable_parts_of_the_answer_in_order() {
    let f = Fixture::new();
    let a = f.answer();
    let good = RedeemResponse {
        token: b64(&a.token),
        share: b64(&a.share),
        receipt: b64(&a.receipt),
        receipt_signature: b64(&a.receipt_signature),
        relay: a.relay.to_string(),
    };
    let from = |edit: &dyn Fn(&mut RedeemResponse)| {
        let mut r = good.clone();
        edit(&mut r);
        Answer::from_response(&r).map(|_| ())
    };
    assert_eq!(from(&|_| ()), Ok(()));
    let bad = "not base64!";
    for (part, edit) in [
        (
            Part::Token,
            &(|r: &mut RedeemResponse| r.token = bad.into()) as &dyn Fn(&mut _),
        ),
        (Part::Share, &|r: &mut RedeemResponse| r.share = bad.into()),
        (Part::Receipt, &|r: &mut RedeemResponse| {
            r.receipt = bad.into()
        }),
        (Part::ReceiptSignature, &|r: &mut RedeemResponse| {
            r.receipt_signature = b64(&[0; 63]);
        }),
        (Part::Relay, &|r: &mut RedeemResponse| {
            r.relay = Identity::from_seed(Role::Agency, &[3; 32])
                .public()
                .to_string();
        }),
    ] {
        assert_eq!(from(edit), Err(OpenError::Unreadable(part)), "{part:?}");
    }
    // The first unreadable part is the one reported.
    assert_eq!(
        from(&|r| {
            r.share = bad.into();
            r.relay = bad.into();
        }),
        Err(OpenError::Unreadable(Part::Share))
    );
}

#[test]
fn rejects_a_token_that_does_not_verify() {
    let f = Fixture::new();
    let e = refusal(open_received(
        f.answer(),
        &f.link,
        Some(&f.agency.public()),
        NOW + 3600,
    ));
    assert_eq!(e, OpenError::Token(TokenError::Expired));
    let other = Identity::from_seed(Role::Agency, &[9; 32]).public();
    let e = refusal(open_received(f.answer(), &f.link, Some(&other), NOW));
    assert_eq!(e, OpenError::Token(TokenError::WrongAudience));
    let mut a = f.answer();
    a.token[10] ^= 1;
    assert_eq!(
        refusal(f.open(a)),
        OpenError::Token(TokenError::BadSignature)
    );
}

#[test]
fn rejects_a_token_for_another_link() {
    let f = Fixture::new();
    let other = ShareSecret::from_bytes([8; 32]);
    let share = f.share_under(&other);
    let token = f.token_under(&other, &share);
    let receipt = f.receipt(&share);
    assert_eq!(
        refusal(f.open(f.answer_of(token, share, &receipt))),
        OpenError::WrongTokenId
    );
}

#[test]
fn rejects_a_share_the_token_did_not_sign() {
    let f = Fixture::new();
    let mut a = f.answer();
    a.share[100] ^= 1;
    assert_eq!(refusal(f.open(a)), OpenError::NotSigned);
    let mut a = f.answer();
    a.share.push(0);
    assert_eq!(refusal(f.open(a)), OpenError::NotSigned);
}

#[test]
fn rejects_claims_that_do_not_open() {
    let f = Fixture::new();
    let share = f.share();
    let a = f.answer_for(share.clone());
    let mut body: TokenBody = UnverifiedToken::decode(&a.token)
        .expect("a token")
        .body()
        .clone();
    body.sealed_claims[0] ^= 1;
    let token = token::sign_body(&f.issuer, &body);
    let receipt = f.receipt(&share);
    assert_eq!(
        refusal(f.open(f.answer_of(token, share, &receipt))),
        OpenError::Token(TokenError::WrongSecret)
    );
}

#[test]
fn rejects_a_share_that_does_not_decrypt() {
    let f = Fixture::new();
    // Sealed under another secret's keys, signed by the right token.
    let share = f.share_under(&ShareSecret::from_bytes([8; 32]));
    assert_eq!(refusal(f.open(f.answer_for(share))), OpenError::BadShare);
}

#[test]
fn rejects_a_consent_text_the_survivor_did_not_see() {
    let mut f = Fixture::new();
    f.manifest.consent_text = "Another text.\n".into();
    assert_eq!(refusal(f.open(f.answer())), OpenError::ConsentMismatch);
}

#[test]
fn rejects_a_field_outside_the_scope() {
    let mut f = Fixture::new();
    f.terms.claims.scope = Scope::parse_list("identity.name").expect("a scope");
    assert_eq!(refusal(f.open(f.answer())), OpenError::OutOfScope);
}

#[test]
fn rejects_a_share_that_does_not_end_where_it_must() {
    let mut f = Fixture::new();
    // The manifest announces one byte less than is written: the last byte
    // lands in the padding, which must be zero.
    f.manifest.entries[1].len -= 1;
    assert_eq!(refusal(f.open(f.answer())), OpenError::BadShare);
}

#[test]
fn rejects_a_receipt_that_does_not_read() {
    let f = Fixture::new();
    let mut a = f.answer();
    a.receipt.push(0);
    assert_eq!(refusal(f.open(a)), OpenError::Unreadable(Part::Receipt));
}

#[test]
fn rejects_a_receipt_that_does_not_verify_or_match() {
    let f = Fixture::new();
    let mut a = f.answer();
    a.receipt_signature[5] ^= 1;
    assert_eq!(refusal(f.open(a)), OpenError::BadReceipt, "signature");
    let mut a = f.answer();
    a.relay = Identity::from_seed(Role::Relay, &[4; 32]).public();
    assert_eq!(refusal(f.open(a)), OpenError::BadReceipt, "another relay");
    type Edit = (&'static str, fn(&mut Receipt));
    let edits: [Edit; 8] = [
        ("origin", |r| r.origin = "https://other.example".into()),
        ("token id", |r| r.token_id[0] ^= 1),
        ("payload hash", |r| r.payload_hash[0] ^= 1),
        ("max uses", |r| r.max_uses += 1),
        ("use zero", |r| r.use_number = 0),
        ("use beyond max", |r| r.use_number = 3),
        ("no agency", |r| r.agency = None),
        ("other agency", |r| r.agency = Some([9; 32])),
    ];
    for (what, edit) in edits {
        assert_eq!(
            refusal(f.open(f.answer_with_receipt(edit))),
            OpenError::BadReceipt,
            "{what}"
        );
    }
    // The last use is fine.
    f.open(f.answer_with_receipt(|r| r.use_number = 2))
        .expect("use 2 of 2");
}

#[test]
fn reports_the_first_broken_rule() {
    // O1 before O2: an expired token for another link.
    let f = Fixture::new();
    let other = ShareSecret::from_bytes([8; 32]);
    let share = f.share_under(&other);
    let token = f.token_under(&other, &share);
    let a = f.answer_of(token, share, &f.receipt(&[]));
    let e = refusal(open_received(
        a,
        &f.link,
        Some(&f.agency.public()),
        NOW + 3600,
    ));
    assert_eq!(e, OpenError::Token(TokenError::Expired));

    // O3 before O9: an unsigned share with a bad receipt.
    let mut a = f.answer();
    a.share[0] ^= 1;
    a.receipt_signature[0] ^= 1;
    assert_eq!(refusal(f.open(a)), OpenError::NotSigned);

    // O6 before O7 before O9: consent changed, a field out of scope, a
    // receipt from elsewhere.
    let mut g = Fixture::new();
    g.manifest.consent_text = "Another text.\n".into();
    g.terms.claims.scope = Scope::parse_list("identity.name").expect("a scope");
    let a = g.answer_with_receipt(|r| r.origin = "https://other.example".into());
    assert_eq!(refusal(g.open(a)), OpenError::ConsentMismatch);
    g.manifest.consent_text = f.manifest.consent_text.clone();
    let a = g.answer_with_receipt(|r| r.origin = "https://other.example".into());
    assert_eq!(refusal(g.open(a)), OpenError::OutOfScope);
}

#[test]
fn names_every_rule_with_a_stable_code() {
    assert_eq!(
        OpenError::Unreadable(Part::Share).kind(),
        "malformed_answer"
    );
    assert_eq!(OpenError::Token(TokenError::Expired).kind(), "expired");
    assert_eq!(OpenError::WrongTokenId.kind(), "wrong_token_id");
    assert_eq!(OpenError::NotSigned.kind(), "not_signed");
    assert_eq!(OpenError::BadShare.kind(), "bad_share");
    assert_eq!(OpenError::ConsentMismatch.kind(), "consent_mismatch");
    assert_eq!(OpenError::OutOfScope.kind(), "out_of_scope");
    assert_eq!(OpenError::BadReceipt.kind(), "bad_receipt");
}

#[test]
fn keeps_what_was_shared_out_of_debug_output() {
    let f = Fixture::new();
    let received = f.open(f.answer()).expect("a genuine answer opens");
    let shown = format!("{received:?} {:?}", f.answer());
    for secret in [
        "Housing application",
        "identity.name",
        "You are about to share",
    ] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}
