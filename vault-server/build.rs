//! Embeds the web pages and their assets (`web/` at the workspace root)
//! into the relay, so one binary serves the API and the pages.
//!
//! Writes `$OUT_DIR/web_assets.rs` (included by `src/web.rs`): every
//! embedded file with its served path, content type and bytes (a page
//! with its `{{sri:NAME}}` placeholders filled in), and the bundle hash.
//! Which files, and how the hash is computed, are in `src/web/bundle.rs`
//! and `docs/spec/web-bundle.md`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[path = "src/web/bundle.rs"]
#[allow(dead_code)]
mod bundle;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: the web bundle cannot be built: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let manifest_dir = PathBuf::from(env("CARGO_MANIFEST_DIR")?);
    let out_dir = PathBuf::from(env("OUT_DIR")?);
    let root = manifest_dir
        .parent()
        .ok_or("vault-server is not inside the workspace")?;
    let web = root.join("web");

    // A new file in web/ or web/pkg/ must be noticed: watch the folders
    // (cargo scans a folder's whole tree), and each embedded file. A path
    // that does not exist would make cargo rerun this on every build, so
    // only existing folders are watched (web/ notices pkg/ appearing).
    let watched = if web.is_dir() {
        web.clone()
    } else {
        root.into()
    };
    rerun_if_changed(&watched);
    if web.join("pkg").is_dir() {
        rerun_if_changed(&web.join("pkg"));
    }
    println!("cargo:rerun-if-changed=src/web/bundle.rs");

    let sources = bundle::collect(&web)?;
    for s in &sources {
        rerun_if_changed(&s.file);
    }
    let served = bundle::build(&sources)?;
    let manifest = bundle::manifest(&served);
    let hash = bundle::bundle_hash(&manifest);

    let pages = out_dir.join("web");
    std::fs::create_dir_all(&pages)
        .map_err(|e| format!("could not create {}: {e}", pages.display()))?;
    let mut code = String::new();
    code.push_str("/// Every embedded file of `web/`, in the order of their names.\n");
    code.push_str("pub static ASSETS: &[Asset] = &[\n");
    for (s, src) in served.iter().zip(&sources) {
        // A page is served as filled in, so it is embedded from a copy in
        // OUT_DIR; every other file straight from web/.
        let file = if bundle::is_page(&s.name) {
            let copy = pages.join(&s.name);
            if let Some(folder) = copy.parent() {
                std::fs::create_dir_all(folder)
                    .map_err(|e| format!("could not create {}: {e}", folder.display()))?;
            }
            std::fs::write(&copy, &s.bytes)
                .map_err(|e| format!("could not write {}: {e}", copy.display()))?;
            copy
        } else {
            src.file.clone()
        };
        let file = file
            .to_str()
            .ok_or_else(|| format!("{} is not a UTF-8 path", file.display()))?;
        let _ = writeln!(
            code,
            "    Asset {{ name: {:?}, path: {:?}, content_type: {:?}, bytes: include_bytes!({:?}) }},",
            s.name,
            s.path,
            bundle::content_type(&s.name),
            file,
        );
    }
    code.push_str("];\n\n");
    code.push_str("/// The lines the bundle hash is taken over (docs/spec/web-bundle.md).\n");
    let _ = writeln!(code, "pub const MANIFEST: &str = {manifest:?};");
    code.push_str("/// The bundle hash: SHA-256 of [`MANIFEST`], lower-case hex.\n");
    let _ = writeln!(code, "pub const BUNDLE_HASH: &str = {hash:?};");

    let out = out_dir.join("web_assets.rs");
    std::fs::write(&out, code).map_err(|e| format!("could not write {}: {e}", out.display()))
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("cargo did not set {name}"))
}

fn rerun_if_changed(path: &Path) {
    println!("cargo:rerun-if-changed={}", path.display());
}
