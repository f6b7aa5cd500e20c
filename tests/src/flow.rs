//! The harness of the `flow_*` tests: the real `vault` and `vault-server`
//! binaries on loopback, in temporary folders, with no mocks. The binaries
//! and the command runner are the crate's own ([`vault_bin`],
//! [`server_bin`], [`run_command`], [`Output`]), re-exported here so a flow
//! test needs one `use`.
//!
//! - [`Relay`] is the real relay on `127.0.0.1:0` with its own data folder;
//!   it reads the address the relay prints, can be stopped, crashed
//!   (SIGKILL) and restarted on the same folder and port (links, signed
//!   requests and the survivor's log memory all name the origin), and is
//!   killed when dropped;
//! - [`Person`] is a survivor, an agency or an advocate: a temporary home,
//!   a key folder, a 0600 passphrase file; [`Person::run`] runs one `vault`
//!   command with standard input closed and a hard time limit, and checks
//!   that it never panicked;
//! - [`Keys`] opens a survivor's real vault with `vault-core` (only while no
//!   `vault` process runs) to make grants the CLI cannot make (already
//!   expired, starting later, hundreds at once) and uploads them with
//!   signed requests, exactly as the CLI would;
//! - [`http`] is a small blocking client for talking to the relay directly.

use std::ffi::OsStr;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::Duration;

use tempfile::TempDir;
use vault_core::grant::{self, GrantRequest};
use vault_core::relay::hex;
use vault_core::{PublicId, Role, Scope, ShareLink, ShareSecret, TokenId, Vault};

pub use crate::{
    files_under, run_command, run_command_with_input, server_bin, vault_bin, wait_within, Output,
    TIME_LIMIT,
};

/// How long the relay may take to say where it listens.
const START_LIMIT: Duration = Duration::from_secs(30);

/// The passphrase every [`Person`] uses (stored without a line break).
pub const PASSPHRASE: &str = "flow tests: not a real passphrase";

// ---------------------------------------------------------------------
// The relay

/// The real `vault-server`, on loopback, with a temporary data folder.
#[derive(Debug)]
pub struct Relay {
    _root: TempDir,
    /// The data folder (`--data`).
    pub data: PathBuf,
    extra: Vec<String>,
    /// A command the relay runs under (like `strace …`), if any.
    wrapper: Vec<String>,
    child: Option<Child>,
    port: u16,
    url: String,
    log: Arc<Mutex<String>>,
}

impl Relay {
    /// A relay with the default limits.
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// A relay with extra flags (like `--rate-per-token 2`).
    pub fn start_with(extra: &[&str]) -> Self {
        let root = tempfile::tempdir().expect("a temporary folder");
        let data = root.path().join("relay");
        let mut relay = Self {
            _root: root,
            data,
            extra: extra.iter().map(|s| s.to_string()).collect(),
            wrapper: Vec::new(),
            child: None,
            port: 0,
            url: String::new(),
            log: Arc::new(Mutex::new(String::new())),
        };
        relay.spawn("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        relay
    }

    /// Starts the binary listening on `listen`; records the URL it prints.
    fn spawn(&mut self, listen: &str) -> Result<(), String> {
        assert!(self.child.is_none(), "the relay is already running");
        let mut cmd = match self.wrapper.split_first() {
            Some((program, args)) => {
                let mut c = Command::new(program);
                c.args(args).arg(server_bin());
                c
            }
            None => Command::new(server_bin()),
        };
        let mut child = cmd
            .arg("--data")
            .arg(&self.data)
            .args(["--listen", listen])
            .args(&self.extra)
            .env("RUST_LOG", "vault_server=info")
            // The relay's clock is the machine's: only a client's is moved.
            .env_remove(vault_core::time::CLOCK_OFFSET_ENV)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("vault-server can be started");
        let stderr = child.stderr.take().expect("stderr is piped");
        let log = Arc::clone(&self.log);
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(url) = line.strip_prefix("vault-server listening on ") {
                    let _ = tx.send(url.trim().to_owned());
                }
                let mut l = log.lock().unwrap_or_else(|p| p.into_inner());
                l.push_str(&line);
                l.push('\n');
            }
        });
        match rx.recv_timeout(START_LIMIT) {
            Ok(url) => {
                self.port = url
                    .rsplit(':')
                    .next()
                    .and_then(|p| p.parse().ok())
                    .unwrap_or_else(|| panic!("no port in {url:?}"));
                self.url = url;
                self.child = Some(child);
                Ok(())
            }
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!(
                    "the relay did not start on {listen}; its log:\n{}",
                    self.log()
                ))
            }
        }
    }

    /// `http://127.0.0.1:PORT`: the origin links and signatures name.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Everything the relay wrote on standard error so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Whether the relay's log says `needle` within `limit`: its lines are
    /// read by another thread, so a line written just before an answer
    /// may reach the test a moment after the answer does.
    pub fn log_says(&self, needle: &str, limit: std::time::Duration) -> bool {
        let start = std::time::Instant::now();
        loop {
            if self.log().contains(needle) {
                return true;
            }
            if start.elapsed() > limit {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// The relay process id (while running).
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Stops the relay gracefully (SIGTERM) and waits for it.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let asked = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !asked {
            // No `kill` to send SIGTERM with: every decision is already
            // durable, so SIGKILL loses nothing.
            let _ = child.kill();
        }
        if wait_within(&mut child, Duration::from_secs(20)).is_none() {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the relay did not stop on SIGTERM within 20 s");
        }
    }

    /// Kills the relay with SIGKILL, as a crash would, and reaps it.
    pub fn crash(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("SIGKILL can be sent to the relay");
            let _ = child.wait();
        }
    }

    /// Starts the relay again on the same data folder and the same port.
    pub fn restart(&mut self) {
        let listen = format!("127.0.0.1:{}", self.port);
        let before = self.url.clone();
        let mut last = String::new();
        // The port was just released; give the system a few tries.
        for _ in 0..50 {
            match self.spawn(&listen) {
                Ok(()) => {
                    assert_eq!(self.url, before, "the relay came back on another origin");
                    return;
                }
                Err(e) => {
                    last = e;
                    thread::sleep(Duration::from_millis(100));
                }
            }
        }
        panic!("the relay could not be restarted on {listen}: {last}");
    }

    /// Starts the relay again, like [`Relay::restart`], but as the last
    /// argument of `wrapper` (like `strace … --`); an empty `wrapper`
    /// starts it on its own again. The wrapper must pass signals on and
    /// exit with the relay.
    pub fn restart_under(&mut self, wrapper: &[&str]) {
        self.wrapper = wrapper.iter().map(|s| s.to_string()).collect();
        self.restart();
    }

    /// Waits up to `limit` for the relay to exit by itself; its exit
    /// status, or `None` if it is still running.
    pub fn exited_within(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let status = wait_within(self.child.as_mut()?, limit)?;
        self.child = None;
        Some(status)
    }

    /// Opens the stopped relay's store, to play the attacker at rest.
    pub fn open_store(&self) -> vault_core::SledStore {
        assert!(
            self.child.is_none(),
            "stop the relay before opening its store"
        );
        vault_core::SledStore::open(&self.data.join("store")).expect("the relay's store opens")
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        if !self.wrapper.is_empty() {
            // A killed wrapper (strace) leaves the relay it ran behind:
            // stop every process still naming this relay's data folder.
            let _ = Command::new("pkill")
                .arg("-KILL")
                .arg("-f")
                .arg(&self.data)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        if !thread::panicking() {
            let log = self.log();
            assert!(!log.contains("panicked"), "the relay panicked:\n{log}");
        }
    }
}

// ---------------------------------------------------------------------
// People

/// A survivor, an agency or an advocate with their own key folder.
#[derive(Debug)]
pub struct Person {
    home: TempDir,
    /// The key folder (`--vault`).
    pub vault: PathBuf,
    /// The passphrase file (mode 0600).
    pub pass: PathBuf,
    /// `--server`.
    pub server: String,
    /// Who this is.
    pub role: Role,
    id: String,
}

impl Person {
    /// A survivor with a new vault (`vault init`).
    pub fn survivor(relay: &Relay) -> Self {
        Self::new(Role::Survivor, relay.url())
    }

    /// An agency with new keys (`vault agency init`).
    pub fn agency(relay: &Relay) -> Self {
        Self::new(Role::Agency, relay.url())
    }

    /// An advocate with new keys (`vault advocate init`).
    pub fn advocate(relay: &Relay) -> Self {
        Self::new(Role::Advocate, relay.url())
    }

    /// Someone of `role` whose commands name `server`.
    pub fn new(role: Role, server: &str) -> Self {
        let home = tempfile::tempdir().expect("a temporary folder");
        let pass = home.path().join("passphrase");
        let mut f = {
            let mut o = fs::OpenOptions::new();
            o.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                o.mode(0o600);
            }
            o.open(&pass).expect("the passphrase file can be made")
        };
        f.write_all(PASSPHRASE.as_bytes())
            .expect("the passphrase file can be written");
        drop(f);
        let mut p = Self {
            vault: home.path().join("keys"),
            home,
            pass,
            server: server.to_owned(),
            role,
            id: String::new(),
        };
        let prefix: &[&str] = match role {
            Role::Survivor => &[],
            Role::Agency => &["agency"],
            Role::Advocate => &["advocate"],
            Role::Relay => panic!("a relay is not a person"),
        };
        let init: Vec<&str> = prefix.iter().copied().chain(["init"]).collect();
        p.run(&init).ok();
        let id: Vec<&str> = prefix.iter().copied().chain(["id"]).collect();
        let out = p.run(&id);
        out.ok();
        p.id = out.stdout_text().trim().to_owned();
        assert!(
            p.id.starts_with(role.prefix()),
            "`id` printed {:?}\n{out}",
            p.id
        );
        p
    }

    /// The printed public id (`survivor1…`, `agency1…`, `advocate1…`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The public id, parsed.
    pub fn public(&self) -> PublicId {
        PublicId::parse(&self.id, self.role).expect("our own id parses")
    }

    /// The temporary home (commands run here).
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// A path in the home folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.home.path().join(name)
    }

    /// `vault --vault DIR --passphrase-file F --server URL ARGS…`.
    #[track_caller]
    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Output {
        self.run_on(&self.server, args)
    }

    /// The same, naming another relay.
    #[track_caller]
    pub fn run_on<S: AsRef<OsStr>>(&self, server: &str, args: &[S]) -> Output {
        run_command(self.command(server, args), TIME_LIMIT)
    }

    /// The same, on a computer whose clock is `secs` seconds ahead (or,
    /// negative, behind): `VAULT_CLOCK_OFFSET_SECS`, which debug builds
    /// add to the system clock. No sleeping, no change to the machine.
    #[track_caller]
    pub fn run_with_clock_off<S: AsRef<OsStr>>(&self, secs: i64, args: &[S]) -> Output {
        let mut cmd = self.command(&self.server, args);
        cmd.env(vault_core::time::CLOCK_OFFSET_ENV, secs.to_string());
        run_command(cmd, TIME_LIMIT)
    }

    /// The same, with extra environment variables (like `TZ`).
    #[track_caller]
    pub fn run_with_env<S: AsRef<OsStr>>(&self, env: &[(&str, &str)], args: &[S]) -> Output {
        let mut cmd = self.command(&self.server, args);
        cmd.envs(env.iter().copied());
        run_command(cmd, TIME_LIMIT)
    }

    /// `vault --vault DIR --passphrase-file F --server URL ARGS…`, not run.
    fn command<S: AsRef<OsStr>>(&self, server: &str, args: &[S]) -> Command {
        let mut cmd = Command::new(vault_bin());
        crate::in_english(&mut cmd);
        cmd.current_dir(self.home.path())
            .env_remove("VAULT_DIR")
            .env_remove("VAULT_SERVER")
            // COLUMNS would wrap what `vault` says; tests read whole lines.
            .env_remove("COLUMNS")
            .env_remove(vault_core::time::CLOCK_OFFSET_ENV)
            .arg("--vault")
            .arg(&self.vault)
            .arg("--passphrase-file")
            .arg(&self.pass)
            .arg("--server")
            .arg(server)
            .args(args);
        cmd
    }

    /// Runs `vault agency redeem -` with the link on standard input.
    #[track_caller]
    pub fn redeem_from_stdin(&self, link: &str) -> Output {
        let input = self.file("link.txt");
        fs::write(&input, format!("{link}\n")).expect("the link file can be written");
        let cmd = self.command(&self.server, &["agency", "redeem", "-"]);
        run_command_with_input(cmd, TIME_LIMIT, Some(&input))
    }

    /// Runs `vault agency redeem LINK` (with extra arguments).
    #[track_caller]
    pub fn redeem(&self, link: &str, extra: &[&str]) -> Output {
        let mut args = vec!["agency", "redeem", link];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// `vault put FIELD VALUE`.
    #[track_caller]
    pub fn put(&self, field: &str, value: &str) {
        self.run(&["put", field, value]).ok();
    }

    /// `vault put FIELD --file PATH` with `bytes` as the document.
    #[track_caller]
    pub fn put_file(&self, field: &str, bytes: &[u8]) -> PathBuf {
        // Named like the field, so the vault keeps that as its file name
        // and an agency saves it under the field's name, as before names
        // were kept.
        let dir = self.file("inputs");
        fs::create_dir_all(&dir).expect("the inputs folder can be made");
        let path = dir.join(field);
        fs::write(&path, bytes).expect("the input file can be written");
        self.run(&[
            OsStr::new("put"),
            OsStr::new(field),
            OsStr::new("--file"),
            path.as_os_str(),
        ])
        .ok();
        path
    }

    /// `vault --json grant --yes ARGS…`: the link and the full token id.
    #[track_caller]
    pub fn grant(&self, args: &[&str]) -> Granted {
        let mut all = vec!["--json", "grant", "--yes"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        out.ok();
        let v = out.json();
        let get = |k: &str| {
            v.get(k)
                .and_then(|x| x.as_str())
                .unwrap_or_else(|| panic!("no {k} in the grant's JSON\n{out}"))
                .to_owned()
        };
        Granted {
            link: get("link"),
            token_id: get("token_id"),
        }
    }
}

/// A grant made with the CLI.
#[derive(Debug, Clone)]
pub struct Granted {
    /// The share link (holds the secret).
    pub link: String,
    /// The token id, 64 hex characters.
    pub token_id: String,
}

/// A link to `relay` for a secret nobody shared.
pub fn unknown_link(relay: &Relay) -> String {
    let secret = vault_core::crypto::random_array::<32>().expect("random bytes");
    ShareLink::new(relay.url(), ShareSecret::from_bytes(secret))
        .expect("the relay's origin makes links")
        .to_text()
        .to_string()
}

// ---------------------------------------------------------------------
// The survivor's vault through vault-core

/// What to grant through vault-core.
#[derive(Debug, Clone)]
pub struct Spec<'a> {
    /// The scope, like `identity.name,needs.*`.
    pub fields: &'a str,
    /// The agency, or `None` for anyone with the link.
    pub audience: Option<PublicId>,
    /// The purpose.
    pub purpose: &'a str,
    /// From when.
    pub not_before: u64,
    /// Until when.
    pub expires: u64,
    /// How many times.
    pub max_uses: u32,
}

impl<'a> Spec<'a> {
    /// Valid from now for a day, once, for anyone.
    pub fn anyone(fields: &'a str) -> Self {
        let now = vault_core::time::now();
        Self {
            fields,
            audience: None,
            purpose: "Flow test",
            not_before: now,
            expires: now + 86_400,
            max_uses: 1,
        }
    }
}

/// A grant made and uploaded through vault-core.
#[derive(Debug, Clone)]
pub struct Minted {
    /// The link text.
    pub link: String,
    /// The token id.
    pub id: TokenId,
    /// The token id, hex.
    pub hex: String,
    /// Allowed uses.
    pub max_uses: u32,
}

/// A survivor's vault opened by the test itself (no `vault` process may
/// run meanwhile: the vault is locked while this lives).
#[derive(Debug)]
pub struct Keys {
    /// The open vault.
    pub vault: Vault,
    origin: String,
    agent: ureq::Agent,
}

impl Keys {
    /// Opens `survivor`'s vault, to grant at `relay`.
    pub fn open(survivor: &Person, relay: &Relay) -> Self {
        assert_eq!(survivor.role, Role::Survivor);
        let vault = Vault::open(&survivor.vault, PASSPHRASE.as_bytes())
            .expect("the survivor's vault opens with vault-core");
        Self {
            vault,
            origin: relay.url().to_owned(),
            agent: http::agent(),
        }
    }

    /// Makes a grant and uploads it with a signed `POST /v1/shares`.
    #[track_caller]
    pub fn grant(&self, spec: &Spec<'_>) -> Minted {
        let (token, sealed, minted) = self.mint(spec);
        let (status, answer) = http::upload(
            &self.agent,
            &self.origin,
            self.vault.identity(),
            &token,
            &sealed,
        )
        .expect("the relay answers the upload");
        assert_eq!(status, 200, "upload refused: {answer}");
        minted
    }

    /// Makes a grant without uploading it: the signed token, the sealed
    /// share, and what the grant is.
    #[track_caller]
    pub fn mint(&self, spec: &Spec<'_>) -> (Vec<u8>, Vec<u8>, Minted) {
        let prepared = grant::prepare(
            &self.vault,
            GrantRequest {
                scope: Scope::parse_list(spec.fields).expect("a valid scope"),
                audience: spec.audience,
                purpose: spec.purpose.to_owned(),
                not_before: spec.not_before,
                expires: spec.expires,
                max_uses: spec.max_uses,
            },
        )
        .expect("the grant can be prepared");
        let (issued, sealed) = grant::issue(
            &self.vault,
            &prepared,
            &self.origin,
            vault_core::time::now(),
            Vec::new(),
        )
        .expect("the grant can be issued");
        let id = issued.link.token_id();
        assert_eq!(id, issued.record.token_id);
        let minted = Minted {
            link: issued.link.to_text().to_string(),
            id,
            hex: hex(&id),
            max_uses: spec.max_uses,
        };
        (issued.token, sealed, minted)
    }
}

impl Keys {
    /// A request signed by the survivor's main key, as the CLI signs it.
    pub fn signed(&self, method: &str, path: &str, body: &[u8]) -> (u16, String) {
        http::signed(
            &self.agent,
            &self.origin,
            self.vault.identity(),
            method,
            path,
            body,
        )
        .unwrap_or_else(|e| panic!("no answer to {method} {path}: {e}"))
    }
}

// ---------------------------------------------------------------------
// Plain HTTP

/// A small blocking client for the relay, used where the CLI would be too
/// slow (hundreds of requests) or cannot say what we need.
pub mod http {
    use std::time::Duration;

    use vault_core::relay::{api, request};
    use vault_core::Identity;

    /// An agent that returns error statuses as answers, with a time limit.
    pub fn agent() -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into()
    }

    fn answer(
        res: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<(u16, String), String> {
        let mut res = res.map_err(|e| e.to_string())?;
        let status = res.status().as_u16();
        let body = res
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| e.to_string())?;
        Ok((status, body))
    }

    /// `POST url` with a JSON body.
    pub fn post(agent: &ureq::Agent, url: &str, body: &[u8]) -> Result<(u16, String), String> {
        answer(
            agent
                .post(url)
                .header("content-type", "application/json")
                .send(body),
        )
    }

    /// `GET url`.
    pub fn get(agent: &ureq::Agent, url: &str) -> Result<(u16, String), String> {
        answer(agent.get(url).call())
    }

    /// A request signed by `signer`, as the CLI signs it.
    pub fn signed(
        agent: &ureq::Agent,
        origin: &str,
        signer: &Identity,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> Result<(u16, String), String> {
        let headers = request::sign(signer, origin, method, path, vault_core::time::now(), body)
            .map_err(|e| e.to_string())?;
        let url = format!("{origin}{path}");
        if method == "GET" {
            let mut req = agent.get(&url);
            for (k, v) in &headers {
                req = req.header(*k, v);
            }
            answer(req.call())
        } else {
            let mut req = agent.post(&url).header("content-type", "application/json");
            for (k, v) in &headers {
                req = req.header(*k, v);
            }
            answer(req.send(body))
        }
    }

    /// `POST /v1/shares` as the CLI sends it: the sealed share as the raw
    /// body, the token in `x-vault-token`, signed by `signer` over the
    /// share.
    pub fn upload(
        agent: &ureq::Agent,
        origin: &str,
        signer: &Identity,
        token: &[u8],
        share: &[u8],
    ) -> Result<(u16, String), String> {
        let path = "/v1/shares";
        let headers = request::sign(signer, origin, "POST", path, vault_core::time::now(), share)
            .map_err(|e| e.to_string())?;
        let mut req = agent
            .post(format!("{origin}{path}"))
            .header("content-type", api::UPLOAD_CONTENT_TYPE)
            .header(api::H_TOKEN, vault_core::relay::b64(token));
        for (k, v) in &headers {
            req = req.header(*k, v);
        }
        answer(req.send(share))
    }

    /// `POST /v1/redeem` for an anyone-token: the status and the error code
    /// (empty on success).
    pub fn redeem(
        agent: &ureq::Agent,
        origin: &str,
        token_hex: &str,
    ) -> Result<(u16, String), String> {
        let body = format!("{{\"token_id\":\"{token_hex}\"}}");
        let (status, text) = post(agent, &format!("{origin}/v1/redeem"), body.as_bytes())?;
        if status == 200 {
            return Ok((status, String::new()));
        }
        let code = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned))
            .unwrap_or_else(|| format!("unreadable answer: {text}"));
        Ok((status, code))
    }
}

// ---------------------------------------------------------------------
// Small helpers

/// The link a human-readable grant printed (the line starting `HTTP`).
pub fn link_in(stdout: &str) -> String {
    stdout
        .lines()
        .find(|l| l.starts_with("HTTP://") || l.starts_with("HTTPS://"))
        .unwrap_or_else(|| panic!("no link in:\n{stdout}"))
        .trim()
        .to_owned()
}

/// If the relay's one-minute rate window (whole minutes of the clock)
/// ends within `margin`, waits for the next one, so a few quick requests
/// are counted in the same window.
pub fn same_rate_window_for(margin: Duration) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970");
    let into = Duration::from_millis((now.as_millis() % 60_000) as u64);
    let left = Duration::from_secs(60) - into;
    if left < margin {
        thread::sleep(left + Duration::from_millis(200));
    }
}

/// Sleeps until the clock (whole seconds) is past `t`.
pub fn sleep_until_after(t: u64) {
    while vault_core::time::now() <= t {
        thread::sleep(Duration::from_millis(50));
    }
}
