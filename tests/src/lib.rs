//! # End-to-end tests for Survivor Vault
//!
//! These tests drive the real `vault` and `vault-server` binaries
//! the way a survivor or a script would: in a fresh temporary folder, with a
//! passphrase file, reading only exit codes, standard output and standard
//! error. There are no mocks at this level and no shortcuts into the
//! library, except where a test must play the attacker (tampering with the
//! store on disk) or the crash (killing a process half-way).
//!
//! The pieces:
//!
//! - [`vault_bin`] and [`server_bin`] find the binaries next to the test
//!   executable (`target/<profile>/`), building them once per test process
//!   with the same profile so a stale binary is never tested;
//! - [`Survivor`] is one person's temporary folder: a vault directory, a
//!   passphrase file readable only by its owner, and room for input and
//!   output files;
//! - [`Survivor::run`] runs one command to completion and returns an
//!   [`Output`]; [`Survivor::spawn`] starts one and hands back a
//!   [`Running`] process, for tests that hold a lock or crash a write;
//! - [`flow`] is the harness of the `flow_*` tests: the real relay on
//!   loopback, and survivors, agencies and advocates with their own
//!   vaults;
//! - [`load`] holds survivors in the test process (vaults in memory) for
//!   load tests that make hundreds of grants, and checks a relay log as
//!   `vault log` does.
//!
//! Every run has a time limit ([`TIME_LIMIT`]), so a hang fails its test
//! instead of blocking CI, and every run checks that the binary did not
//! panic: `panicked` must never appear on standard error, whatever the
//! input.
//!
//! Cargo does not build another package's binaries for a test crate, so
//! the harness runs `cargo build -p vault-cli --bin vault` (or the server's
//! equivalent) itself. When the binaries are fresh that is a no-op taking a
//! fraction of a second; when they are stale, it keeps the tests honest.

use std::ffi::OsStr;
use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use tempfile::TempDir;

pub mod flood;
pub mod flow;
pub mod load;

/// How long any one command may run before it is killed and its test fails.
pub const TIME_LIMIT: Duration = Duration::from_secs(60);

/// The passphrase every [`Survivor`] starts with.
pub const PASSPHRASE: &str = "correct horse battery staple";

/// The `vault` binary, built if needed (once per test process).
pub fn vault_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| binary("vault-cli", "vault"))
}

/// The `vault-server` binary, built if needed (once per test process).
///
/// Built separately from `vault`, so that work in progress on the server
/// never fails the command-line tests.
pub fn server_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| binary("vault-server", "vault-server"))
}

/// `target/<profile>/`: this test executable lives in its `deps/` folder.
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable has a path");
    let deps = exe.parent().expect("the test executable is in a folder");
    let dir = if deps.file_name() == Some(OsStr::new("deps")) {
        deps.parent().expect("deps/ is inside the profile folder")
    } else {
        deps
    };
    dir.to_owned()
}

/// Builds `bin` of `package` with this test's profile into this test's
/// target folder, and returns its path.
///
/// Under cargo (`CARGO` is set) it always asks cargo, which is a no-op
/// when the binary is fresh. Run directly, the test uses the binary it
/// finds, building it with `cargo` only if it is missing.
fn binary(package: &str, bin: &str) -> PathBuf {
    let profile_dir = profile_dir();
    let path = profile_dir.join(format!("{bin}{}", std::env::consts::EXE_SUFFIX));
    let cargo = std::env::var_os("CARGO");
    if cargo.is_none() && path.is_file() {
        return path;
    }
    let target_dir = profile_dir
        .parent()
        .expect("the profile folder is inside the target folder");
    // Folder names map back to profiles: `debug` is `dev`; custom profiles
    // use their own name.
    let profile = match profile_dir.file_name().and_then(OsStr::to_str) {
        Some("debug") | None => "dev",
        Some(name) => name,
    };
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is inside the workspace");
    let mut build = Command::new(cargo.unwrap_or_else(|| "cargo".into()));
    // `cargo test` runs this test with the variables it sets for the tests
    // crate (`CARGO_MANIFEST_DIR`, `CARGO_PKG_NAME`, …). Build scripts
    // watch some of them (ring's reads `CARGO_MANIFEST_DIR` and
    // `CARGO_PKG_*` through `rerun-if-env-changed`), so passing them on
    // made this build and the next `cargo test` each rebuild ring, rustls,
    // vault-core and vault-server for the other: about 45 s of every
    // relay test's start on a busy 2-core machine.
    for (name, _) in std::env::vars_os() {
        let is_crate_var = name.to_str().is_some_and(|n| {
            n.starts_with("CARGO_PKG_")
                || n.starts_with("CARGO_MANIFEST_")
                || n.starts_with("CARGO_BIN_")
                || matches!(
                    n,
                    "CARGO_CRATE_NAME" | "CARGO_PRIMARY_PACKAGE" | "CARGO_TARGET_TMPDIR"
                )
        });
        if is_crate_var {
            build.env_remove(name);
        }
    }
    let status = build
        .current_dir(workspace)
        .args([
            "build",
            "--quiet",
            "--profile",
            profile,
            "--package",
            package,
        ])
        .args(["--bin", bin, "--target-dir"])
        .arg(target_dir)
        .status()
        .unwrap_or_else(|e| panic!("could not run cargo to build {bin}: {e}"));
    assert!(status.success(), "building {bin} failed ({status})");
    assert!(
        path.is_file(),
        "cargo built {bin}, but it is not at {path:?}"
    );
    path
}

/// Makes `cmd` speak English, whatever the language of whoever runs the
/// tests: `vault` reads `LC_ALL`, `LC_MESSAGES`, `LANG` (and `LANGUAGE`),
/// and the tests read its words. A test of another language sets `LANG`
/// after this.
pub fn in_english(cmd: &mut Command) -> &mut Command {
    cmd.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
        .env("LANG", "C.UTF-8")
}

/// A bare `vault` command: no arguments, no `VAULT_DIR` from the calling
/// environment, standard input closed, outputs captured.
pub fn vault_command() -> Command {
    let mut cmd = Command::new(vault_bin());
    in_english(&mut cmd);
    // COLUMNS would wrap what `vault` says; tests read whole lines.
    cmd.env_remove("VAULT_DIR")
        .env_remove("COLUMNS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs `vault ARGS` with no vault or passphrase options at all.
pub fn vault<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = vault_command();
    cmd.args(args);
    Running::start(cmd, None).finish()
}

/// Runs `cmd` to completion with standard input closed, within `limit`,
/// and checks it did not panic.
#[track_caller]
pub fn run_command(cmd: Command, limit: Duration) -> Output {
    run_command_with_input(cmd, limit, None)
}

/// Like [`run_command`], with standard input read from the file `input`
/// if given.
#[track_caller]
pub fn run_command_with_input(mut cmd: Command, limit: Duration, input: Option<&Path>) -> Output {
    let stdin = match input {
        Some(path) => Stdio::from(
            fs::File::open(path).unwrap_or_else(|e| panic!("open the input {path:?}: {e}")),
        ),
        None => Stdio::null(),
    };
    cmd.stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    Running::start(cmd, None).finish_within(limit)
}

/// Waits up to `limit` for `child` to end; `None` if it is still running.
pub fn wait_within(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("waiting on a child works") {
            return Some(status);
        }
        if Instant::now() >= deadline {
            return None;
        }
        thread::sleep(Duration::from_millis(5));
    }
}

/// What a finished command did.
#[derive(Debug, Clone)]
pub struct Output {
    /// The command line, for failure messages.
    pub command: String,
    /// The exit code.
    pub code: i32,
    /// Standard output, as bytes (documents may be binary).
    pub stdout: Vec<u8>,
    /// Standard error, as text.
    pub stderr: String,
    /// How long it ran.
    pub elapsed: Duration,
}

impl Output {
    /// Standard output as text.
    pub fn stdout_text(&self) -> String {
        String::from_utf8(self.stdout.clone())
            .unwrap_or_else(|_| panic!("stdout is not UTF-8\n{self}"))
    }

    /// Standard output parsed as one JSON value.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{self}"))
    }

    /// Asserts the command succeeded.
    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert_eq!(self.code, 0, "expected success\n{self}");
        self
    }

    /// Asserts the command exited with `code` and said `needle` on stderr.
    #[track_caller]
    pub fn fails(&self, code: i32, needle: &str) -> &Self {
        assert_eq!(self.code, code, "expected exit code {code}\n{self}");
        self.says(needle)
    }

    /// Asserts standard error contains `needle`.
    #[track_caller]
    pub fn says(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "expected {needle:?} on stderr\n{self}"
        );
        self
    }

    /// Asserts exit `code` and, on standard output (`--json`), the error
    /// code `kind`.
    #[track_caller]
    pub fn fails_json(&self, code: i32, kind: &str) -> &Self {
        assert_eq!(self.code, code, "expected exit code {code}\n{self}");
        let v = self.json();
        assert_eq!(
            v.get("error").and_then(|e| e.as_str()),
            Some(kind),
            "expected error code {kind:?}\n{self}"
        );
        self
    }

    /// Asserts standard output contains `needle`.
    #[track_caller]
    pub fn prints(&self, needle: &str) -> &Self {
        assert!(
            self.stdout_text().contains(needle),
            "expected {needle:?} on stdout\n{self}"
        );
        self
    }

    /// Both outputs as text, for "never says X" checks.
    pub fn all(&self) -> String {
        format!("{}\n{}", String::from_utf8_lossy(&self.stdout), self.stderr)
    }
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let stdout = String::from_utf8_lossy(&self.stdout);
        let stdout: String = stdout.chars().take(2000).collect();
        write!(
            f,
            "$ {}\nexit code: {} (after {:.1?})\n--- stdout\n{stdout}\n--- stderr\n{}",
            self.command, self.code, self.elapsed, self.stderr
        )
    }
}

/// A started command. Killed when dropped, so a failing test never leaves
/// a process behind.
#[derive(Debug)]
pub struct Running {
    child: Child,
    command: String,
    stdout: Option<JoinHandle<Vec<u8>>>,
    stderr: Option<JoinHandle<Vec<u8>>>,
    started: Instant,
}

fn drain(mut from: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = from.read_to_end(&mut buf);
        buf
    })
}

impl Running {
    /// Spawns `cmd`. With `input`, standard input is a pipe that receives
    /// `input` and is then closed; otherwise it is whatever `cmd` says.
    pub fn start(mut cmd: Command, input: Option<&[u8]>) -> Self {
        if input.is_some() {
            cmd.stdin(Stdio::piped());
        }
        let command = describe(&cmd);
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {command}: {e}"));
        let stdout = child.stdout.take().map(drain);
        let stderr = child.stderr.take().map(drain);
        let mut running = Self {
            child,
            command,
            stdout,
            stderr,
            started: Instant::now(),
        };
        if let Some(input) = input {
            let mut stdin = running.take_stdin();
            let input = input.to_vec();
            // A writer thread, so a command that stops reading early (and
            // closes the pipe) cannot block the test.
            thread::spawn(move || {
                let _ = stdin.write_all(&input);
            });
        }
        running
    }

    /// The process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// The pipe to the command's standard input (spawned with
    /// `Stdio::piped()`). Dropping it closes the command's input.
    pub fn take_stdin(&mut self) -> ChildStdin {
        self.child
            .stdin
            .take()
            .expect("standard input was piped, and taken only once")
    }

    /// The exit status, if the command has ended.
    pub fn try_status(&mut self) -> Option<ExitStatus> {
        self.child
            .try_wait()
            .unwrap_or_else(|e| panic!("could not check on {}: {e}", self.command))
    }

    /// Kills the command (SIGKILL on Unix: no clean-up runs) and waits for
    /// it. Returns `false` if it had already ended by itself.
    pub fn kill(&mut self) -> bool {
        if self.try_status().is_some() {
            return false;
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        true
    }

    /// Waits for the command to end (killing it after [`TIME_LIMIT`]) and
    /// checks it did not panic.
    pub fn finish(self) -> Output {
        self.finish_within(TIME_LIMIT)
    }

    /// Like [`Running::finish`], killing the command after `limit`.
    pub fn finish_within(mut self, limit: Duration) -> Output {
        let Some(status) = wait_within(&mut self.child, limit) else {
            self.kill();
            panic!(
                "{} did not finish within {limit:?}, so it was killed",
                self.command
            );
        };
        let join = |h: Option<JoinHandle<Vec<u8>>>| {
            h.map(|h| h.join().expect("the reader thread does not panic"))
                .unwrap_or_default()
        };
        let stdout = join(self.stdout.take());
        let stderr = String::from_utf8_lossy(&join(self.stderr.take())).into_owned();
        let out = Output {
            command: self.command.clone(),
            code: status.code().unwrap_or_else(|| {
                panic!(
                    "{} was ended by a signal ({status})\n{stderr}",
                    self.command
                )
            }),
            stdout,
            stderr,
            elapsed: self.started.elapsed(),
        };
        assert!(
            !out.stderr.contains("panicked"),
            "the binary panicked; it must fail with a clear message instead\n{out}"
        );
        out
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        let a = a.to_string_lossy();
        if a.len() > 80 {
            s.push_str(&format!(
                "{}…({} bytes)",
                &a[..a.floor_char_boundary(80)],
                a.len()
            ));
        } else {
            s.push_str(&a);
        }
    }
    s
}

/// One survivor's temporary folder: `vault/` (the vault, made by
/// [`Survivor::init`]), `passphrase` (mode 0600), and any input and output
/// files a test names with [`Survivor::path`]. Removed when dropped.
#[derive(Debug)]
pub struct Survivor {
    tmp: TempDir,
    vault: PathBuf,
    passphrase_file: PathBuf,
}

impl Default for Survivor {
    fn default() -> Self {
        Self::new()
    }
}

impl Survivor {
    /// A folder with a passphrase file ([`PASSPHRASE`]) and no vault yet.
    pub fn new() -> Self {
        let tmp = tempfile::Builder::new()
            .prefix("survivor-vault-e2e-")
            .tempdir()
            .expect("a temporary folder can be made");
        let s = Self {
            vault: tmp.path().join("vault"),
            passphrase_file: tmp.path().join("passphrase"),
            tmp,
        };
        s.set_passphrase(PASSPHRASE);
        s
    }

    /// A folder with a vault made by `vault init`.
    pub fn with_vault() -> Self {
        let s = Self::new();
        s.init();
        s
    }

    /// Runs `vault init`, asserting it succeeds, and returns the id.
    pub fn init(&self) -> String {
        let out = self.run(["init"]);
        out.ok();
        let text = out.stdout_text();
        text.trim()
            .strip_prefix("Your id: ")
            .unwrap_or_else(|| panic!("init prints `Your id: …`\n{out}"))
            .to_owned()
    }

    /// The vault folder.
    pub fn vault_dir(&self) -> &Path {
        &self.vault
    }

    /// The passphrase file given to every [`Survivor::run`].
    pub fn passphrase_file(&self) -> &Path {
        &self.passphrase_file
    }

    /// Rewrites the passphrase file (still mode 0600).
    pub fn set_passphrase(&self, passphrase: &str) {
        write_private(&self.passphrase_file, passphrase.as_bytes());
    }

    /// A path in the temporary folder, outside the vault.
    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// Writes `contents` to [`Survivor::path`]`(name)` and returns the path.
    pub fn write_file(&self, name: &str, contents: &[u8]) -> PathBuf {
        let path = self.path(name);
        fs::write(&path, contents).unwrap_or_else(|e| panic!("write {path:?}: {e}"));
        path
    }

    /// `vault --vault DIR --passphrase-file FILE ARGS`, ready to run.
    pub fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = vault_command();
        cmd.arg("--vault")
            .arg(&self.vault)
            .arg("--passphrase-file")
            .arg(&self.passphrase_file)
            .args(args);
        cmd
    }

    /// Runs `vault … ARGS` to completion, with standard input closed.
    pub fn run<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        Running::start(self.command(args), None).finish()
    }

    /// Runs `vault … ARGS` to completion with `input` piped on standard
    /// input.
    pub fn run_with_stdin<I, S>(&self, args: I, input: &[u8]) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        Running::start(self.command(args), Some(input)).finish()
    }

    /// Starts `vault … ARGS` with standard input as given and returns at
    /// once.
    pub fn spawn<I, S>(&self, args: I, stdin: Stdio) -> Running
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = self.command(args);
        cmd.stdin(stdin);
        Running::start(cmd, None)
    }
}

/// Creates or replaces `path` with `contents`, readable only by its owner.
pub fn write_private(path: &Path, contents: &[u8]) {
    let mut opts = OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut file = opts
        .open(path)
        .unwrap_or_else(|e| panic!("create {path:?}: {e}"));
    file.write_all(contents)
        .unwrap_or_else(|e| panic!("write {path:?}: {e}"));
}

/// Every regular file under `dir`, recursively, in a stable order.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(d) = pending.pop() {
        for entry in fs::read_dir(&d).unwrap_or_else(|e| panic!("list {d:?}: {e}")) {
            let entry = entry.unwrap_or_else(|e| panic!("list {d:?}: {e}"));
            let kind = entry.file_type().expect("a listed entry has a type");
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    files
}

/// `dir` itself, every folder under it and every file, parents first.
pub fn everything_under(dir: &Path) -> Vec<PathBuf> {
    let mut all = vec![dir.to_owned()];
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("list {dir:?}: {e}")) {
        let path = entry.unwrap_or_else(|e| panic!("list {dir:?}: {e}")).path();
        if path.is_dir() {
            all.extend(everything_under(&path));
        } else {
            all.push(path);
        }
    }
    all
}

/// The permission bits (`0o777`) of `path`, not following a link.
#[cfg(unix)]
pub fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::symlink_metadata(path)
        .unwrap_or_else(|e| panic!("stat {path:?}: {e}"))
        .permissions()
        .mode()
        & 0o777
}

/// The total size in bytes of every file under `dir`.
///
/// Safe to call while a program writes there: entries that vanish
/// meanwhile are skipped.
pub fn size_under(dir: &Path) -> u64 {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| Some((e.path(), e.metadata().ok()?)))
        .map(|(path, meta)| {
            if meta.is_dir() {
                size_under(&path)
            } else {
                meta.len()
            }
        })
        .sum()
}

/// Deterministic, incompressible-looking bytes (xorshift64*), so document
/// tests are reproducible without a random-number crate.
pub fn pseudo_random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        out.extend_from_slice(&state.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A path as a command-line argument. Temporary folders have UTF-8 names,
/// so tests can mix paths and words in one `[&str; N]`.
pub fn arg(path: &Path) -> &str {
    path.to_str()
        .unwrap_or_else(|| panic!("test paths are UTF-8: {path:?}"))
}
