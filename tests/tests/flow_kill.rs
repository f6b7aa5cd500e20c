//! Crash safety at scale: the real `vault-server` on loopback, killed with
//! SIGKILL at a random moment 100 times while several clients upload,
//! redeem and withdraw, and restarted on the same data folder each time.
//!
//! Load, each round, from threads in this process (survivors' vaults in
//! memory, [`survivor_vault_tests::load`]; every request the way the CLI
//! or an agency sends it):
//! - one uploader makes new grants for four survivors (one use, and two,
//!   three or five; a fifth of them with a 256 KiB document, so that a
//!   kill can land while a share streams to the relay's disk) and uploads
//!   them with signed `POST /v1/shares`; a quarter of them are kept out of
//!   the load until the end;
//! - four redeemers redeem the uploaded tokens, mostly the same few at
//!   once, so that the last use of a token is raced for all the time;
//! - one withdrawer withdraws tokens as their survivor or as an advocate
//!   the survivors delegated to, now and then renews a delegation, and now
//!   and then withdraws everything of the fourth survivor at once
//!   (`POST /v1/revoke-all`, one batch per share: a kill can land
//!   half-way).
//!
//! The relay is killed 0–300 ms (seeded) after the load starts. Only what
//! a client was acknowledged counts (a 2xx whose whole body was read);
//! requests cut off by the kill are outcome unknown and ignored. After
//! each restart, through the API only (`GET /v1/shares`, `GET /v1/log`,
//! `POST /v1/redeem`):
//! - every acknowledged upload is listed with its limit, and its
//!   `ShareCreated` is in its survivor's log;
//! - every acknowledged redemption (its receipt's use number) is counted
//!   by the relay and logged as that use; no token has more uses than it
//!   allows, whether counted by the relay, logged, or seen by clients,
//!   and no use number was given twice;
//! - every acknowledged withdrawal holds: the share is listed withdrawn,
//!   its `Revoked` (by the survivor or the advocate who was told "withdrawn
//!   now") is logged, and a redemption is refused `revoked`; no use is
//!   logged after a withdrawal;
//! - every acknowledged delegation is logged;
//! - each survivor's log verifies as `vault log` checks it (the relay key
//!   pinned before the first crash, the chain, the signed head) and
//!   extends what was verified after the previous crash; it and the
//!   relay's records agree exactly (the same shares, use counts equal to
//!   the `Redeemed` entries, withdrawn exactly when a `Revoked` is logged).
//!
//! At the end the shares kept out of the load are listed unused, every
//! share with uses left is redeemed once (its file and bytes survived
//! every crash), and once the relay is stopped its share folder holds
//! exactly the files of shares with uses left.
//!
//! What this can and cannot catch. SIGKILL ends the process, not the
//! machine: the kernel's page cache survives, so a write the relay handed
//! to the kernel but never fsynced still reaches the disk. The test
//! therefore catches a relay that answers before its decision left the
//! process (buffered in sled or in the relay), that splits a decision
//! over several writes, or whose restart loses, repeats or rewrites
//! anything; it cannot catch a missing fsync, which only power loss or a
//! kernel crash would expose. To check that it can fail:
//! `FLOW_KILL_RELAY_ARGS=--unsafe-no-fsync` (the relay then never calls
//! sled's `flush`, so acknowledged decisions wait in sled's own buffers,
//! up to its 500 ms background flush, and die with the process) fails
//! within a few rounds; so did, locally, a use limit checked off by one
//! and the write lock taken out (see docs/decisions.md).
//!
//! `FLOW_KILL_SEED=N` repeats a run's choices (kill delays, which tokens,
//! who withdraws); thread timing still differs. The seed is printed at the
//! start and in every failure.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Barrier, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use survivor_vault_tests::flow::{http, Relay};
use survivor_vault_tests::load::{check_log, MemSurvivor, Rng, Upload};
use vault_core::format::decode_canonical;
use vault_core::relay::api::{
    DelegationRequest, ErrorBody, LogResponse, RedeemResponse, RelayInfo, RevokeAllRequest,
    RevokeRequest, RevokeResponse, ShareInfo, SharesResponse, UploadResponse,
};
use vault_core::relay::log::{Event, Seen};
use vault_core::relay::redeem::Receipt;
use vault_core::relay::unb64;
use vault_core::{crypto, Identity, PublicId, Role, TokenId};

/// Kills (and restarts).
const ROUNDS: usize = 100;
/// Survivors whose shares are uploaded, used and withdrawn.
const SURVIVORS: usize = 4;
/// The survivor whose shares are also withdrawn all at once now and then
/// (`POST /v1/revoke-all`); none of theirs is kept out of the load.
const ALL_AT_ONCE: usize = 3;
/// Threads redeeming.
const REDEEMERS: usize = 4;
/// Redeemers mostly pick among the first this many live tokens.
const HOT: usize = 3;
/// Live tokens made before each round's load starts.
const MIN_LIVE: usize = 5;
/// The kill comes 0..this many milliseconds after the load starts.
const MAX_KILL_DELAY_MS: u64 = 300;
/// Of the uploads under load, the share kept out of the load until the
/// end, when each must still open.
const KEPT_PERCENT: u64 = 25;
/// Of the uploads under load, the share that holds a 256 KiB document
/// (the others are about 4 KiB): a kill can land while it streams.
const BIG_PERCENT: u64 = 20;
/// How many uses new grants allow (one use is the default people get).
const USES: [u32; 5] = [1, 1, 2, 3, 5];

/// Who withdrew a share, as the answer said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Survivor,
    Advocate,
}

/// An acknowledged withdrawal.
#[derive(Debug, Clone, Copy)]
struct Withdrawn {
    /// Who withdrew it, if the answer said this request did (`revoked`
    /// listed it); `None` if it was already withdrawn.
    by: Option<Who>,
    /// In which round it was acknowledged.
    round: usize,
}

/// An acknowledged upload, and what clients were told about it since.
#[derive(Debug, Clone)]
struct Known {
    survivor: usize,
    hex: String,
    max_uses: u32,
    token_hash: [u8; 32],
    share_hash: [u8; 32],
    /// Use numbers of acknowledged redemptions (from signed receipts).
    uses: BTreeSet<u32>,
    /// Kept out of the load (never redeemed or withdrawn until the end).
    kept: bool,
    withdrawn: Option<Withdrawn>,
}

/// Everything acknowledged so far.
#[derive(Debug, Default)]
struct Book {
    tokens: BTreeMap<TokenId, Known>,
    /// Tokens to redeem or withdraw: acknowledged, not known to be used up
    /// or withdrawn. Oldest first; the first [`HOT`] are raced for.
    live: Vec<TokenId>,
    /// Acknowledged delegations: (survivor, until).
    delegations: Vec<(usize, u64)>,
    /// Rules broken as seen by a client (wrong answers), with the round.
    broken: Vec<String>,
}

impl Book {
    fn retire(&mut self, id: &TokenId) {
        self.live.retain(|t| t != id);
    }
}

#[derive(Debug, Default)]
struct Counts {
    uploads: AtomicUsize,
    redemptions: AtomicUsize,
    refusals: AtomicUsize,
    withdrawals: AtomicUsize,
    withdrawals_of_all: AtomicUsize,
    delegations: AtomicUsize,
    /// Requests that got no (whole) answer: cut off by a kill.
    unknown: AtomicUsize,
}

struct World {
    seed: u64,
    origin: String,
    relay_key: PublicId,
    survivors: Vec<MemSurvivor>,
    advocate: Identity,
    book: Mutex<Book>,
    stop: AtomicBool,
    round: AtomicUsize,
    counts: Counts,
}

impl World {
    fn book(&self) -> MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn broken(&self, what: String) {
        let round = self.round.load(Ordering::Relaxed);
        self.book().broken.push(format!("round {round}: {what}"));
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    fn unknown(&self) {
        self.counts.unknown.fetch_add(1, Ordering::Relaxed);
        // Before the kill, a lost answer means a busy machine; give it a
        // moment rather than spinning.
        thread::sleep(Duration::from_millis(5));
    }

    /// Uploads a new grant of `survivor`; on a 200 with its token id,
    /// books it and (unless `kept`) makes it live. `Err` with the answer
    /// otherwise.
    fn upload(
        &self,
        agent: &ureq::Agent,
        survivor: usize,
        max_uses: u32,
        kept: bool,
        big: bool,
    ) -> Result<(), String> {
        let up: Upload = self.survivors[survivor].mint(max_uses, big, &self.origin);
        let (status, body) = self.survivors[survivor]
            .upload(agent, &self.origin, &up)
            .map_err(|e| format!("no answer: {e}"))?;
        if status != 200 {
            return Err(format!("{status} {body}"));
        }
        match serde_json::from_str::<UploadResponse>(&body) {
            Ok(a) if a.token_id == up.hex => {}
            _ => return Err(format!("200 with a wrong answer: {body}")),
        }
        self.counts.uploads.fetch_add(1, Ordering::Relaxed);
        let mut book = self.book();
        book.tokens.insert(
            up.id,
            Known {
                survivor,
                hex: up.hex.clone(),
                max_uses,
                token_hash: crypto::sha256(&[up.token.as_slice()]),
                share_hash: up.share_hash,
                uses: BTreeSet::new(),
                kept,
                withdrawn: None,
            },
        );
        if !kept {
            book.live.push(up.id);
        }
        Ok(())
    }

    /// Checks a 200 to a redemption of `id` and books its use number.
    fn redeemed(&self, id: &TokenId, body: &str) {
        let Some(known) = self.book().tokens.get(id).cloned() else {
            return self.broken(format!("redeemed a token never uploaded: {body}"));
        };
        let hex = &known.hex;
        let Ok(a) = serde_json::from_str::<RedeemResponse>(body) else {
            return self.broken(format!("{hex}: a 200 that is not a redemption: {body}"));
        };
        let sig: Option<[u8; 64]> = unb64(&a.receipt_signature).and_then(|s| s.try_into().ok());
        let receipt = unb64(&a.receipt).and_then(|r| decode_canonical::<Receipt>(&r).ok());
        let (Some(receipt), Some(sig)) = (receipt, sig) else {
            return self.broken(format!("{hex}: a redemption without a readable receipt"));
        };
        if a.relay != self.relay_key.to_string() || !receipt.verify(&self.relay_key, &sig) {
            return self.broken(format!(
                "{hex}: a receipt not signed by the pinned relay key"
            ));
        }
        // The use number first: it says most about the limit.
        let n = receipt.use_number;
        if n == 0 || n > known.max_uses {
            self.broken(format!(
                "{hex}: use {n} answered, but the token allows {}",
                known.max_uses
            ));
        } else {
            self.counts.redemptions.fetch_add(1, Ordering::Relaxed);
            let mut book = self.book();
            let k = book.tokens.get_mut(id).expect("booked above");
            let again = !k.uses.insert(n);
            if k.uses.len() as u32 == k.max_uses {
                book.retire(id);
            }
            drop(book);
            if again {
                self.broken(format!("{hex}: use {n} answered twice"));
            }
        }
        if receipt.token_id != *id
            || receipt.payload_hash != known.share_hash
            || receipt.max_uses != known.max_uses
        {
            self.broken(format!("{hex}: a receipt for something else: {receipt:?}"));
        }
        let hash = |b64: &str| unb64(b64).map(|b| crypto::sha256(&[b.as_slice()]));
        if hash(&a.token) != Some(known.token_hash) {
            self.broken(format!("{hex}: redeemed with another token"));
        }
        if hash(&a.share) != Some(known.share_hash) {
            self.broken(format!("{hex}: redeemed with other share bytes"));
        }
    }
}

fn error_code(body: &str) -> String {
    serde_json::from_str::<ErrorBody>(body)
        .map(|e| e.error)
        .unwrap_or_else(|_| format!("unreadable: {body}"))
}

fn uploader(w: &World, mut rng: Rng, start: &Barrier) {
    let agent = http::agent();
    start.wait();
    while !w.stopped() {
        let survivor = rng.below(SURVIVORS as u64) as usize;
        let uses = USES[rng.below(USES.len() as u64) as usize];
        let kept = survivor != ALL_AT_ONCE && rng.chance(KEPT_PERCENT);
        let big = rng.chance(BIG_PERCENT);
        match w.upload(&agent, survivor, uses, kept, big) {
            Ok(()) => {}
            Err(e) if e.starts_with("no answer") => w.unknown(),
            // Too many uploads at once: refused whole, nothing stored.
            Err(e) if e.starts_with("503 ") => thread::sleep(Duration::from_millis(10)),
            Err(e) => w.broken(format!("upload: {e}")),
        }
    }
}

fn redeemer(w: &World, mut rng: Rng, start: &Barrier) {
    let agent = http::agent();
    let url = format!("{}/v1/redeem", w.origin);
    start.wait();
    while !w.stopped() {
        let pick = {
            let book = w.book();
            let n = book.live.len();
            (n > 0).then(|| {
                let i = if rng.chance(80) {
                    rng.below(n.min(HOT) as u64)
                } else {
                    rng.below(n as u64)
                };
                let id = book.live[i as usize];
                (id, book.tokens[&id].hex.clone())
            })
        };
        let Some((id, hex)) = pick else {
            thread::sleep(Duration::from_millis(2));
            continue;
        };
        let body = format!("{{\"token_id\":\"{hex}\"}}");
        match http::post(&agent, &url, body.as_bytes()) {
            Err(_) => w.unknown(),
            Ok((200, body)) => w.redeemed(&id, &body),
            Ok((410, body)) if matches!(error_code(&body).as_str(), "used_up" | "revoked") => {
                w.counts.refusals.fetch_add(1, Ordering::Relaxed);
                w.book().retire(&id);
            }
            Ok((status, body)) => w.broken(format!("redeem {hex}: {status} {body}")),
        }
    }
}

fn withdrawer(w: &World, mut rng: Rng, start: &Barrier) {
    let agent = http::agent();
    start.wait();
    while !w.stopped() {
        thread::sleep(Duration::from_millis(5 + rng.below(20)));
        let survivor = rng.below(SURVIVORS as u64) as usize;
        if rng.chance(4) {
            withdraw_all(w, &agent, &mut rng);
            continue;
        }
        if rng.chance(10) {
            let until = vault_core::time::now() + 86_400 + rng.below(86_400);
            let body = serde_json::to_vec(&DelegationRequest {
                advocate: w.advocate.public().to_string(),
                until,
            })
            .expect("JSON");
            match w.survivors[survivor].signed(&agent, &w.origin, "POST", "/v1/delegations", &body)
            {
                Err(_) => w.unknown(),
                Ok((204, _)) => {
                    w.counts.delegations.fetch_add(1, Ordering::Relaxed);
                    w.book().delegations.push((survivor, until));
                }
                Ok((status, body)) => w.broken(format!("delegation: {status} {body}")),
            }
            continue;
        }
        let pick = {
            let book = w.book();
            let n = book.live.len();
            (n > 0).then(|| {
                let id = book.live[rng.below(n as u64) as usize];
                let k = &book.tokens[&id];
                (id, k.hex.clone(), k.survivor)
            })
        };
        let Some((id, hex, owner)) = pick else {
            continue;
        };
        let who = if rng.chance(50) {
            Who::Survivor
        } else {
            Who::Advocate
        };
        let body = serde_json::to_vec(&RevokeRequest {
            token_id: hex.clone(),
        })
        .expect("JSON");
        let answer = match who {
            Who::Survivor => {
                w.survivors[owner].signed(&agent, &w.origin, "POST", "/v1/revoke", &body)
            }
            Who::Advocate => {
                http::signed(&agent, &w.origin, &w.advocate, "POST", "/v1/revoke", &body)
            }
        };
        match answer {
            Err(_) => w.unknown(),
            Ok((200, text)) => {
                let by = match serde_json::from_str::<RevokeResponse>(&text) {
                    Ok(a) if a.revoked == [hex.clone()] => Some(who),
                    Ok(a) if a.revoked.is_empty() => None,
                    _ => {
                        w.broken(format!("withdraw {hex}: 200 with {text}"));
                        continue;
                    }
                };
                w.counts.withdrawals.fetch_add(1, Ordering::Relaxed);
                let round = w.round.load(Ordering::Relaxed);
                let mut book = w.book();
                let k = book.tokens.get_mut(&id).expect("a booked token");
                let again = by.is_some() && k.withdrawn.is_some();
                if k.withdrawn.is_none() || by.is_some() {
                    k.withdrawn = Some(Withdrawn { by, round });
                }
                book.retire(&id);
                drop(book);
                if again {
                    w.broken(format!(
                        "{hex}: withdrawn ({who:?}), though its withdrawal was answered before"
                    ));
                }
            }
            Ok((status, text)) => w.broken(format!("withdraw {hex} ({who:?}): {status} {text}")),
        }
    }
}

/// Withdraws every share of [`ALL_AT_ONCE`], as them or as the advocate.
/// On a 200, every share of theirs booked before the request is withdrawn:
/// by this request if the answer lists it, else already.
fn withdraw_all(w: &World, agent: &ureq::Agent, rng: &mut Rng) {
    let before: BTreeSet<TokenId> = w
        .book()
        .tokens
        .iter()
        .filter(|(_, k)| k.survivor == ALL_AT_ONCE)
        .map(|(id, _)| *id)
        .collect();
    let survivor = &w.survivors[ALL_AT_ONCE];
    let (who, answer) = if rng.chance(50) {
        let answer = survivor.signed(agent, &w.origin, "POST", "/v1/revoke-all", b"{}");
        (Who::Survivor, answer)
    } else {
        let body = serde_json::to_vec(&RevokeAllRequest {
            survivor: Some(survivor.public().to_string()),
        })
        .expect("JSON");
        let answer = http::signed(
            agent,
            &w.origin,
            &w.advocate,
            "POST",
            "/v1/revoke-all",
            &body,
        );
        (Who::Advocate, answer)
    };
    let listed: BTreeSet<String> = match answer {
        Err(_) => return w.unknown(),
        Ok((200, text)) => match serde_json::from_str::<RevokeResponse>(&text) {
            Ok(a) => a.revoked.into_iter().collect(),
            Err(_) => return w.broken(format!("withdraw all ({who:?}): 200 with {text}")),
        },
        Ok((status, text)) => {
            return w.broken(format!("withdraw all ({who:?}): {status} {text}"));
        }
    };
    w.counts.withdrawals_of_all.fetch_add(1, Ordering::Relaxed);
    let round = w.round.load(Ordering::Relaxed);
    let mut book = w.book();
    let mut done = Vec::new();
    let mut again = Vec::new();
    for (id, k) in book.tokens.iter_mut() {
        let now = listed.contains(&k.hex);
        if now {
            if k.withdrawn.is_some() {
                again.push(k.hex.clone());
            }
            k.withdrawn = Some(Withdrawn {
                by: Some(who),
                round,
            });
            done.push(*id);
        } else if before.contains(id) {
            // Withdrawn already: by an answered request (booked then),
            // or by one a kill cut off.
            if k.withdrawn.is_none() {
                k.withdrawn = Some(Withdrawn { by: None, round });
            }
            done.push(*id);
        }
    }
    for id in &done {
        book.retire(id);
    }
    drop(book);
    for hex in again {
        w.broken(format!(
            "{hex}: withdrawn by withdraw-all ({who:?}), though its withdrawal was answered before"
        ));
    }
}

/// One round: the load, the kill `delay` after it starts, the restart.
fn round(w: &World, relay: &mut Relay, rng: &Rng, delay: Duration) {
    // Enough live tokens for the redeemers to race for from the start.
    let agent = http::agent();
    let mut top_up = rng.fork(1);
    while w.book().live.len() < MIN_LIVE {
        let survivor = top_up.below(SURVIVORS as u64) as usize;
        let uses = 1 + top_up.below(3) as u32;
        if let Err(e) = w.upload(&agent, survivor, uses, false, false) {
            panic!("seed {}: an upload before the load: {e}", w.seed);
        }
    }
    let start = Barrier::new(REDEEMERS + 3);
    w.stop.store(false, Ordering::Relaxed);
    thread::scope(|s| {
        let start = &start;
        s.spawn(move || uploader(w, rng.fork(10), start));
        s.spawn(move || withdrawer(w, rng.fork(11), start));
        for r in 0..REDEEMERS {
            s.spawn(move || redeemer(w, rng.fork(20 + r as u64), start));
        }
        start.wait();
        thread::sleep(delay);
        relay.crash();
        w.stop.store(true, Ordering::Relaxed);
    });
    relay.restart();
}

/// The story of one token in a survivor's log.
#[derive(Debug, Default)]
struct Story {
    max_uses: u32,
    uses: u32,
    revoked: Option<([u8; 32], bool)>,
}

/// Checks everything acknowledged so far against the restarted relay;
/// returns every share listed (hex → info) and the log entries in all.
fn verify(w: &World, seen: &mut [Option<Seen>]) -> (BTreeMap<String, ShareInfo>, usize) {
    let round = w.round.load(Ordering::Relaxed);
    let agent = http::agent();
    let mut problems: Vec<String> = Vec::new();
    let book = w.book();
    problems.extend(book.broken.iter().cloned());

    let (status, body) = http::get(&agent, &format!("{}/v1/relay", w.origin))
        .unwrap_or_else(|e| panic!("seed {}: the restarted relay does not answer: {e}", w.seed));
    match serde_json::from_str::<RelayInfo>(&body) {
        Ok(info) if status == 200 && info.relay == w.relay_key.to_string() => {}
        _ => problems.push(format!("the relay's key changed: {status} {body}")),
    }

    let advocate_key = *w.advocate.public().key_bytes();
    let mut all_shares = BTreeMap::new();
    let mut entries_total = 0;
    for (s, survivor) in w.survivors.iter().enumerate() {
        let me = survivor.public();
        let get = |path: &str| -> String {
            match survivor.signed(&agent, &w.origin, "GET", path, b"") {
                Ok((200, body)) => body,
                other => panic!("seed {}: GET {path} after restart: {other:?}", w.seed),
            }
        };
        let shares: BTreeMap<String, ShareInfo> =
            serde_json::from_str::<SharesResponse>(&get("/v1/shares"))
                .expect("a share list")
                .shares
                .into_iter()
                .map(|i| (i.token_id.clone(), i))
                .collect();
        let answer: LogResponse = serde_json::from_str(&get("/v1/log")).expect("a log answer");
        let entries = match check_log(&answer, &w.relay_key, &me, seen[s]) {
            Ok((entries, now)) => {
                seen[s] = Some(now);
                entries
            }
            Err(e) => {
                problems.push(format!("survivor {s}: {e}"));
                continue;
            }
        };
        entries_total += entries.len();

        // The log tells a consistent story on its own.
        let mut stories: BTreeMap<String, Story> = BTreeMap::new();
        let mut delegated: BTreeSet<u64> = BTreeSet::new();
        for e in &entries {
            let seq = e.seq;
            let mut bad =
                |what: String| problems.push(format!("survivor {s}, entry {seq}: {what}"));
            match &e.event {
                Event::ShareCreated {
                    token_id, max_uses, ..
                } => {
                    let h = vault_core::relay::hex(token_id);
                    if stories.contains_key(&h) {
                        bad(format!("{h} created twice"));
                    }
                    stories.insert(
                        h,
                        Story {
                            max_uses: *max_uses,
                            ..Story::default()
                        },
                    );
                }
                Event::Redeemed {
                    token_id,
                    use_number,
                    ..
                } => {
                    let h = vault_core::relay::hex(token_id);
                    match stories.get_mut(&h) {
                        None => bad(format!("{h} used before it was created")),
                        Some(st) => {
                            if st.revoked.is_some() {
                                bad(format!("{h} used after it was withdrawn"));
                            }
                            if *use_number != st.uses + 1 {
                                bad(format!("{h}: use {use_number} after use {}", st.uses));
                            }
                            if *use_number > st.max_uses {
                                bad(format!(
                                    "{h}: use {use_number} of a token allowing {}",
                                    st.max_uses
                                ));
                            }
                            st.uses = st.uses.max(*use_number);
                        }
                    }
                }
                Event::Revoked {
                    token_id,
                    by,
                    by_advocate,
                } => {
                    let h = vault_core::relay::hex(token_id);
                    match stories.get_mut(&h) {
                        None => bad(format!("{h} withdrawn before it was created")),
                        Some(st) if st.revoked.is_some() => bad(format!("{h} withdrawn twice")),
                        Some(st) => st.revoked = Some((*by, *by_advocate)),
                    }
                }
                Event::DelegationAdded { advocate, until } if *advocate == advocate_key => {
                    delegated.insert(*until);
                }
                _ => {}
            }
        }

        // The relay's records and its log agree.
        let listed: BTreeSet<&String> = shares.keys().collect();
        let logged: BTreeSet<&String> = stories.keys().collect();
        if listed != logged {
            problems.push(format!(
                "survivor {s}: listed but not logged {:?}; logged but not listed {:?}",
                listed.difference(&logged).collect::<Vec<_>>(),
                logged.difference(&listed).collect::<Vec<_>>()
            ));
        }
        for (h, info) in &shares {
            let Some(st) = stories.get(h) else { continue };
            if info.max_uses != st.max_uses
                || info.uses != st.uses
                || info.uses > info.max_uses
                || (info.status == "revoked") != st.revoked.is_some()
            {
                problems.push(format!(
                    "survivor {s}: {h} is listed with {} of {} uses, {}, but its log has {} of {} \
                     uses, {}",
                    info.uses,
                    info.max_uses,
                    info.status,
                    st.uses,
                    st.max_uses,
                    if st.revoked.is_some() {
                        "withdrawn"
                    } else {
                        "not withdrawn"
                    }
                ));
            }
        }

        // What the clients were told still holds.
        for k in book.tokens.values().filter(|k| k.survivor == s) {
            let h = &k.hex;
            let (Some(info), Some(st)) = (shares.get(h), stories.get(h)) else {
                problems.push(format!("survivor {s}: the acknowledged upload {h} is gone"));
                continue;
            };
            if info.max_uses != k.max_uses {
                problems.push(format!(
                    "{h}: uploaded allowing {}, listed allowing {}",
                    k.max_uses, info.max_uses
                ));
            }
            if let Some(&top) = k.uses.last() {
                if info.uses < top || st.uses < top {
                    problems.push(format!(
                        "{h}: use {top} was answered, but the relay counts {} and logs {}",
                        info.uses, st.uses
                    ));
                }
            }
            if let Some(wd) = k.withdrawn {
                if info.status != "revoked" {
                    problems.push(format!(
                        "{h}: its withdrawal was answered, but it is listed {}",
                        info.status
                    ));
                }
                match (wd.by, st.revoked) {
                    (_, None) => problems.push(format!(
                        "{h}: its withdrawal was answered, but none is logged"
                    )),
                    (Some(who), Some((by, by_advocate))) => {
                        let want = match who {
                            Who::Survivor => (*me.key_bytes(), false),
                            Who::Advocate => (advocate_key, true),
                        };
                        if (by, by_advocate) != want {
                            problems.push(format!(
                                "{h}: withdrawn by the {who:?}, but logged as by {} (advocate: \
                                 {by_advocate})",
                                vault_core::relay::hex(&by)
                            ));
                        }
                    }
                    (None, Some(_)) => {}
                }
            }
        }
        for (_, until) in book.delegations.iter().filter(|(d, _)| *d == s) {
            if !delegated.contains(until) {
                problems.push(format!(
                    "survivor {s}: the delegation until {until} was answered but is not logged"
                ));
            }
        }
        all_shares.extend(shares);
    }

    // Withdrawals answered in this round: the token refuses now.
    for k in book.tokens.values() {
        if k.withdrawn.is_some_and(|wd| wd.round == round) {
            let answer = http::redeem(&agent, &w.origin, &k.hex);
            if !matches!(&answer, Ok((410, code)) if code == "revoked") {
                problems.push(format!(
                    "{}: withdrawn, yet a redemption was answered {answer:?}",
                    k.hex
                ));
            }
        }
    }
    drop(book);
    assert!(
        problems.is_empty(),
        "seed {} (FLOW_KILL_SEED={} repeats its choices), after kill {round}:\n{}",
        w.seed,
        w.seed,
        problems.join("\n")
    );
    (all_shares, entries_total)
}

#[test]
fn a_hundred_kills_under_load_lose_nothing_acknowledged_and_allow_no_extra_use() {
    let seed = std::env::var("FLOW_KILL_SEED")
        .ok()
        .map(|s| s.trim().parse().expect("FLOW_KILL_SEED is a number"))
        .unwrap_or_else(Rng::random_seed);
    eprintln!("flow_kill: seed {seed} (FLOW_KILL_SEED={seed} repeats its choices)");
    let rng = Rng::new(seed);
    let extra = std::env::var("FLOW_KILL_RELAY_ARGS").unwrap_or_default();
    // A checkpoint every 16 KiB of journal (a few dozen decisions): many
    // between kills, and kills in the middle of some.
    let mut args = vec![
        "--rate-per-ip",
        "100000000",
        "--rate-per-token",
        "100000000",
        "--checkpoint-bytes",
        "16384",
    ];
    args.extend(extra.split_whitespace());
    let mut relay = Relay::start_with(&args);
    let agent = http::agent();
    let (_, body) = http::get(&agent, &format!("{}/v1/relay", relay.url())).expect("the relay");
    let info: RelayInfo = serde_json::from_str(&body).expect("the relay's key");
    let relay_key = PublicId::parse(&info.relay, Role::Relay).expect("a relay id");

    let w = World {
        seed,
        origin: relay.url().to_owned(),
        relay_key,
        survivors: (0..SURVIVORS).map(|_| MemSurvivor::new()).collect(),
        advocate: Identity::generate(Role::Advocate).expect("an advocate key"),
        book: Mutex::new(Book::default()),
        stop: AtomicBool::new(false),
        round: AtomicUsize::new(0),
        counts: Counts::default(),
    };
    // Every survivor lets the advocate withdraw for them.
    for (s, survivor) in w.survivors.iter().enumerate() {
        let until = vault_core::time::now() + 86_400;
        let body = serde_json::to_vec(&DelegationRequest {
            advocate: w.advocate.public().to_string(),
            until,
        })
        .expect("JSON");
        let answer = survivor.signed(&agent, &w.origin, "POST", "/v1/delegations", &body);
        assert!(matches!(answer, Ok((204, _))), "delegation: {answer:?}");
        w.book().delegations.push((s, until));
    }

    let started = Instant::now();
    let mut seen: Vec<Option<Seen>> = vec![None; SURVIVORS];
    let mut kill_rng = rng.fork(0);
    for r in 1..=ROUNDS {
        w.round.store(r, Ordering::Relaxed);
        let delay = Duration::from_millis(kill_rng.below(MAX_KILL_DELAY_MS + 1));
        round(&w, &mut relay, &rng.fork(1000 + r as u64), delay);
        verify(&w, &mut seen);
    }
    let load_time = started.elapsed();

    // Every share with uses left still opens, with the bytes uploaded.
    let agent = http::agent();
    w.round.store(ROUNDS + 1, Ordering::Relaxed);
    let (shares, _) = verify(&w, &mut seen);
    let open: Vec<(TokenId, String)> = w
        .book()
        .tokens
        .iter()
        .filter(|(_, k)| {
            let info = &shares[&k.hex];
            info.status == "active" && info.uses < info.max_uses
        })
        .map(|(id, k)| (*id, k.hex.clone()))
        .collect();
    // The shares kept out of the load were never used nor withdrawn.
    let kept: Vec<String> = w
        .book()
        .tokens
        .values()
        .filter(|k| k.kept)
        .map(|k| k.hex.clone())
        .collect();
    for hex in &kept {
        let info = &shares[hex];
        assert!(
            info.status == "active" && info.uses == 0,
            "seed {seed}: {hex} was kept out of the load, yet is listed {info:?}"
        );
    }
    for (id, hex) in &open {
        match http::post(
            &agent,
            &format!("{}/v1/redeem", w.origin),
            format!("{{\"token_id\":\"{hex}\"}}").as_bytes(),
        ) {
            Ok((200, body)) => w.redeemed(id, &body),
            other => w.broken(format!("{hex} has uses left but answered {other:?}")),
        }
    }
    let (shares, entries) = verify(&w, &mut seen);
    // An idle connection would hold up the relay's graceful stop.
    drop(agent);

    // Stopped, the relay's share folder holds exactly the files of the
    // shares with uses left (withdrawn and used-up shares are deleted).
    relay.stop();
    let files: BTreeSet<String> = std::fs::read_dir(relay.data.join(vault_server::SHARES_DIR))
        .expect("the relay's share folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let needed: BTreeSet<String> = shares
        .values()
        .filter(|i| i.status != "revoked" && i.uses < i.max_uses)
        .map(|i| i.token_id.clone())
        .collect();
    assert_eq!(
        files, needed,
        "seed {seed}: the share files are not those of the shares with uses left"
    );

    // Checkpoints were made under the load: each start made at most one
    // journal file (the stop makes none); the others are checkpoints.
    let journal: Vec<u64> = std::fs::read_dir(relay.data.join(vault_server::journal::JOURNAL_DIR))
        .expect("the relay's journal folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .parse()
                .expect("a journal file's number")
        })
        .collect();
    assert_eq!(
        journal.len(),
        1,
        "seed {seed}: stopped, one empty journal file is left"
    );
    let checkpoints = journal[0].saturating_sub(ROUNDS as u64 + 1);
    assert!(
        checkpoints > 0,
        "seed {seed}: no checkpoint was made under the load (journal file {})",
        journal[0]
    );
    let replayed = relay
        .log()
        .lines()
        .filter(|l| l.contains("decisions in the journal moved into the store"))
        .count();

    // How often a kill left share files to tidy at the next start (a
    // share streaming in, or deleted but not yet removed): the crash
    // paths of the share files were taken, not only the happy ones.
    let tidied = relay
        .log()
        .lines()
        .filter(|l| l.contains("share files tidied"))
        .count();
    let c = &w.counts;
    eprintln!(
        "flow_kill: seed {seed}; {ROUNDS} kills in {:.0} s; acknowledged: {} uploads, {} \
         redemptions, {} refusals, {} withdrawals, {} of everything, {} delegations; {} \
         requests cut off by a \
         kill; {} shares, {} opened at the end ({} kept out of the load), {} log entries; share files tidied at {} of \
         the restarts; the journal replayed at {} of them; at least {} checkpoints",
        load_time.as_secs_f64(),
        c.uploads.load(Ordering::Relaxed),
        c.redemptions.load(Ordering::Relaxed),
        c.refusals.load(Ordering::Relaxed),
        c.withdrawals.load(Ordering::Relaxed),
        c.withdrawals_of_all.load(Ordering::Relaxed),
        c.delegations.load(Ordering::Relaxed),
        c.unknown.load(Ordering::Relaxed),
        shares.len(),
        open.len(),
        kept.len(),
        entries,
        tidied,
        replayed,
        checkpoints,
    );
}
