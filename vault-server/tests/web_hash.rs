//! `scripts/web-hash.sh` recomputes the bundle hash the relay reports,
//! from the checkout with shell tools only, and from a running relay
//! with curl: the recipe in docs/spec/web-bundle.md, checked against the
//! build script's hash and the real binary.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_path_buf()
}

fn web_hash(checkout: &Path, args: &[&str]) -> Output {
    Command::new("bash")
        .arg(checkout.join("scripts/web-hash.sh"))
        .args(args)
        .output()
        .expect("bash runs scripts/web-hash.sh (it needs bash, coreutils and curl)")
}

/// The real relay on a free loopback port, stopped when dropped.
struct Relay {
    child: Child,
    origin: String,
    _data: tempfile::TempDir,
}

impl Relay {
    fn start() -> Self {
        let data = tempfile::tempdir().expect("tempdir");
        let mut child = Command::new(env!("CARGO_BIN_EXE_vault-server"))
            .arg("--data")
            .arg(data.path())
            .args(["--listen", "127.0.0.1:0"])
            .stderr(Stdio::piped())
            .spawn()
            .expect("start vault-server");
        let stderr = child.stderr.take().expect("piped stderr");
        let mut lines = BufReader::new(stderr).lines();
        let origin = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|l| {
                l.strip_prefix("vault-server listening on ")
                    .map(str::to_owned)
            })
            .expect("the relay printed its address");
        // Keep reading its log, so it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Self {
            child,
            origin,
            _data: data,
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn keeps_the_scripts_hash_of_the_checkout_equal_to_the_built_one() {
    let out = web_hash(&root(), &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), vault_server::web::bundle_id());
}

#[test]
fn agrees_with_a_running_relay_and_names_a_file_that_differs() {
    let relay = Relay::start();
    let out = web_hash(&root(), &[&relay.origin]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("they agree"));

    // A checkout whose home page differs from what the relay serves.
    let other = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(other.path().join("scripts")).expect("mkdir");
    std::fs::copy(
        root().join("scripts/web-hash.sh"),
        other.path().join("scripts/web-hash.sh"),
    )
    .expect("copy the script");
    for asset in vault_server::web::ASSETS {
        let to = other.path().join("web").join(asset.name);
        std::fs::create_dir_all(to.parent().expect("a folder")).expect("mkdir");
        std::fs::copy(root().join("web").join(asset.name), &to).expect("copy a file");
    }
    let home = other.path().join("web/home.html");
    let mut page = std::fs::read(&home).expect("home.html");
    page.extend_from_slice(b"<!-- changed -->\n");
    std::fs::write(&home, page).expect("write");
    let out = web_hash(other.path(), &[&relay.origin]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let err = text(&out.stderr);
    assert!(err.contains("they differ"), "{err}");
    assert!(err.lines().any(|l| l.starts_with("+ / ")), "{err}");
    assert!(err.lines().any(|l| l.starts_with("- / ")), "{err}");
    assert!(!err.lines().any(|l| l.contains("/web/")), "{err}");
}

#[test]
fn refuses_an_origin_that_is_not_http() {
    let out = web_hash(&root(), &["file:///etc/passwd"]);
    assert_eq!(out.status.code(), Some(2));
}
