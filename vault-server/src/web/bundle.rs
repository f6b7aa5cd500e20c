//! What goes into the web bundle and how its hash is computed, in one
//! place that both the build script (`build.rs`, which embeds `web/`) and
//! the relay's tests use. `docs/spec/web-bundle.md` describes the same
//! rules in words, and `scripts/web-hash.sh` recomputes the hash with
//! shell tools.
//!
//! This file is compiled twice: as `vault_server::web::bundle`, and by
//! `build.rs` through `#[path]`. So it uses only `std`, `sha2` and
//! `data_encoding`, never `crate::`.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256, Sha384};

/// The folders of `web/` that are embedded, each with the file endings
/// taken from it. Nothing else is: not `web/tests/`, `node_modules/`,
/// `package.json`, nor any other ending. `app/` is the survivor's app
/// (`docs/app-worker.md`): its page, script, style sheet, Worker, service
/// worker, install manifest and icons.
pub const FOLDERS: [(&str, &[&str]); 3] = [
    ("", &["html", "css", "js"]),
    ("pkg", &["js", "wasm", "ftl"]),
    ("app", &["html", "css", "js", "webmanifest", "svg", "png"]),
];

/// What a page writes where the build puts the Subresource Integrity
/// value of another embedded file: `{{sri:NAME}}`, NAME relative to
/// `web/` (`share.js`, `pkg/vault_web.js`).
pub const SRI_OPEN: &str = "{{sri:";
/// The end of a placeholder.
pub const SRI_CLOSE: &str = "}}";

/// One file found in `web/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Its name relative to `web/`, `/`-separated (`share.js`,
    /// `pkg/vault_web_bg.wasm`).
    pub name: String,
    /// Where it is on disk.
    pub file: PathBuf,
}

/// Whether `name` (one path segment) may be embedded: ASCII letters,
/// digits, `.`, `_`, `-`, not starting with `.`. Anything else is a build
/// error rather than a file served under a surprising address.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The ending of `name` (after its last `.`), if any.
fn ending(name: &str) -> Option<&str> {
    name.rsplit_once('.').map(|(_, e)| e)
}

/// Every file of `web` that is embedded, sorted by name. A folder that
/// does not exist has nothing to embed; a file with an embedded ending but
/// a name that is not plain is an error naming it.
pub fn collect(web: &Path) -> Result<Vec<Source>, String> {
    let mut out = Vec::new();
    for (folder, endings) in FOLDERS {
        let dir = if folder.is_empty() {
            web.to_path_buf()
        } else {
            web.join(folder)
        };
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("could not read {}: {e}", dir.display())),
        };
        for entry in entries {
            let entry = entry.map_err(|e| format!("could not read {}: {e}", dir.display()))?;
            let file = entry.path();
            let is_file = fs::metadata(&file)
                .map_err(|e| format!("could not read {}: {e}", file.display()))?
                .is_file();
            let os_name = entry.file_name();
            let Some(name) = os_name.to_str() else {
                return Err(format!(
                    "{} has a name that is not UTF-8; rename it or move it out of web/",
                    file.display()
                ));
            };
            if !is_file || !ending(name).is_some_and(|e| endings.contains(&e)) {
                continue;
            }
            if !is_plain_name(name) {
                return Err(format!(
                    "{} would be served, but its name has characters other than letters, digits, '.', '_' and '-'; rename it",
                    file.display()
                ));
            }
            let name = if folder.is_empty() {
                name.to_owned()
            } else {
                format!("{folder}/{name}")
            };
            out.push(Source { name, file });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Whether the file is a page (its placeholders are filled in).
pub fn is_page(name: &str) -> bool {
    ending(name) == Some("html")
}

/// The path the relay serves `name` at: `home.html` at `/`, `share.html`
/// at `/S`, `app/index.html` at `/app/`, every other file of `app/` at
/// `/app/NAME`, every other file at `/web/NAME`.
pub fn served_path(name: &str) -> String {
    match name {
        "home.html" => "/".into(),
        "share.html" => "/S".into(),
        "app/index.html" => "/app/".into(),
        _ => match name.strip_prefix("app/") {
            Some(file) => format!("/app/{file}"),
            None => format!("/web/{name}"),
        },
    }
}

/// The `content-type` the relay sends for `name`.
pub fn content_type(name: &str) -> &'static str {
    match ending(name) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("webmanifest") => "application/manifest+json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ftl") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The Subresource Integrity value of `bytes`: `sha384-` and the SHA-384
/// in standard base64 with padding.
pub fn sri(bytes: &[u8]) -> String {
    format!(
        "sha384-{}",
        data_encoding::BASE64.encode(&Sha384::digest(bytes))
    )
}

/// The SHA-256 of `bytes` in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(bytes))
}

/// `page` with every `{{sri:NAME}}` replaced by `sri_of(NAME)`. A
/// placeholder whose NAME `sri_of` does not know, or one left open, is an
/// error naming it.
pub fn fill_in(page: &str, sri_of: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(at) = rest.find(SRI_OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + SRI_OPEN.len()..];
        let Some(end) = after.find(SRI_CLOSE) else {
            return Err(format!(
                "a placeholder {SRI_OPEN}… is not closed with {SRI_CLOSE}"
            ));
        };
        let name = &after[..end];
        match sri_of(name) {
            Some(value) => out.push_str(&value),
            None => {
                return Err(format!(
                    "{SRI_OPEN}{name}{SRI_CLOSE} names no embedded script, style sheet or module (web/*.css, web/*.js, web/pkg/*.js, web/pkg/*.wasm)"
                ))
            }
        }
        rest = &after[end + SRI_CLOSE.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

/// One served file: its path and the bytes the relay sends.
#[derive(Debug, Clone)]
pub struct Served {
    /// The file's name relative to `web/`.
    pub name: String,
    /// Where the relay serves it.
    pub path: String,
    /// What it sends (a page with its placeholders filled in).
    pub bytes: Vec<u8>,
}

/// Reads `sources` and fills in the pages' placeholders: what the relay
/// serves.
pub fn build(sources: &[Source]) -> Result<Vec<Served>, String> {
    let mut read = Vec::with_capacity(sources.len());
    for s in sources {
        let bytes =
            fs::read(&s.file).map_err(|e| format!("could not read {}: {e}", s.file.display()))?;
        read.push((s, bytes));
    }
    let sri_of = |name: &str| {
        read.iter()
            .find(|(s, _)| s.name == name && !is_page(&s.name))
            .map(|(_, b)| sri(b))
    };
    let mut out = Vec::with_capacity(read.len());
    for (s, bytes) in &read {
        let bytes = if is_page(&s.name) {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| format!("{} is not UTF-8 text", s.file.display()))?;
            fill_in(text, sri_of)
                .map_err(|e| format!("{}: {e}", s.file.display()))?
                .into_bytes()
        } else {
            bytes.clone()
        };
        out.push(Served {
            name: s.name.clone(),
            path: served_path(&s.name),
            bytes,
        });
    }
    Ok(out)
}

/// The manifest the bundle hash is taken over: one line
/// `"<served path> <sha256 hex of the served bytes>\n"` per file, sorted
/// by path (byte order).
pub fn manifest(served: &[Served]) -> String {
    let mut lines: Vec<String> = served
        .iter()
        .map(|s| format!("{} {}\n", s.path, sha256_hex(&s.bytes)))
        .collect();
    lines.sort();
    lines.concat()
}

/// The bundle hash: the SHA-256 of the [`manifest`], lower-case hex.
pub fn bundle_hash(manifest: &str) -> String {
    sha256_hex(manifest.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("a folder");
        }
        fs::write(path, bytes).expect("a file");
    }

    fn names(sources: &[Source]) -> Vec<&str> {
        sources.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn embeds_only_the_listed_folders_and_endings() {
        let web = tempfile::tempdir().expect("tempdir");
        for name in [
            "home.html",
            "share.html",
            "share.js",
            "style.css",
            "pkg/vault_web.js",
            "pkg/vault_web_bg.wasm",
            "app/index.html",
            "app/app.js",
            "app/app.css",
            "app/manifest.webmanifest",
            "app/icon.svg",
            "app/icon-192.png",
            // Never embedded:
            "app/notes.md",
            "app/app.js.map",
            "app/icons/x.png",
            "app/tests/app-ui.mjs",
            "icon.svg",
            "pkg/x.png",
            "pkg/vault_web.d.ts",
            "pkg/vault_web_bg.wasm.d.ts",
            "pkg/package.json",
            "package.json",
            "package-lock.json",
            "notes.md",
            "share.js.map",
            "tests/browser.mjs",
            "tests/helper.js",
            "tests/page.html",
            "node_modules/axe-core/axe.js",
            "pkg/deeper/x.js",
            "css/inner.css",
        ] {
            write(web.path(), name, b"x");
        }
        let found = collect(web.path()).expect("collected");
        assert_eq!(
            names(&found),
            [
                "app/app.css",
                "app/app.js",
                "app/icon-192.png",
                "app/icon.svg",
                "app/index.html",
                "app/manifest.webmanifest",
                "home.html",
                "pkg/vault_web.js",
                "pkg/vault_web_bg.wasm",
                "share.html",
                "share.js",
                "style.css"
            ]
        );
    }

    #[test]
    fn keeps_an_empty_bundle_when_web_is_missing() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(collect(&dir.path().join("web")), Ok(Vec::new()));
    }

    #[test]
    fn refuses_a_served_file_with_an_unusual_name() {
        let web = tempfile::tempdir().expect("tempdir");
        write(web.path(), "my page.html", b"x");
        let e = collect(web.path()).expect_err("refused");
        assert!(e.contains("my page.html"), "{e}");
        // A hidden file with a served ending is refused too, not skipped.
        let web = tempfile::tempdir().expect("tempdir");
        write(web.path(), ".hidden.js", b"x");
        assert!(collect(web.path()).is_err());
    }

    #[test]
    fn serves_pages_at_their_routes_and_the_rest_under_web() {
        assert_eq!(served_path("home.html"), "/");
        assert_eq!(served_path("share.html"), "/S");
        assert_eq!(served_path("other.html"), "/web/other.html");
        assert_eq!(served_path("share.js"), "/web/share.js");
        assert_eq!(
            served_path("pkg/vault_web_bg.wasm"),
            "/web/pkg/vault_web_bg.wasm"
        );
        assert_eq!(content_type("a.wasm"), "application/wasm");
        assert_eq!(content_type("a.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("a.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("a.html"), "text/html; charset=utf-8");
    }

    #[test]
    fn serves_the_app_under_app() {
        assert_eq!(served_path("app/index.html"), "/app/");
        assert_eq!(served_path("app/app.js"), "/app/app.js");
        assert_eq!(served_path("app/sw.js"), "/app/sw.js");
        assert_eq!(
            content_type("app/manifest.webmanifest"),
            "application/manifest+json"
        );
        assert_eq!(content_type("app/icon.svg"), "image/svg+xml");
        assert_eq!(content_type("app/icon-192.png"), "image/png");
    }

    #[test]
    fn fills_in_every_placeholder_with_the_sri_of_the_named_file() {
        let web = tempfile::tempdir().expect("tempdir");
        write(
            web.path(),
            "share.html",
            b"<html data-w=\"{{sri:pkg/m.wasm}}\"><script integrity=\"{{sri:share.js}}\"></script>{{sri:share.js}}</html>",
        );
        write(web.path(), "share.js", b"let a = 1;\n");
        write(web.path(), "pkg/m.wasm", b"\0asm\x01\0\0\0");
        let served = build(&collect(web.path()).expect("collected")).expect("built");
        let page = served.iter().find(|s| s.path == "/S").expect("the page");
        // From `openssl dgst -sha384 -binary | base64`.
        let js = "sha384-jYHyquNi0AecRHxMvGaQfk1Caico9ih/vcg/1Teie1ttyvdSfNrD5c/nFNvgmDPO";
        let wasm = "sha384-okyHV17AgVkZ4iL9gMeELR7Q1ISxRPcAHorFgvPJr/8CqM+btjXngbzNX3HOpqc/";
        assert_eq!(
            String::from_utf8(page.bytes.clone()).expect("text"),
            format!("<html data-w=\"{wasm}\"><script integrity=\"{js}\"></script>{js}</html>")
        );
    }

    #[test]
    fn refuses_a_placeholder_that_names_no_embedded_file() {
        for (page, named) in [
            ("{{sri:missing.js}}", "missing.js"),
            ("{{sri:home.html}}", "home.html"),
            ("{{sri:tests/x.js}}", "tests/x.js"),
            ("{{sri:share.js", "not closed"),
        ] {
            let web = tempfile::tempdir().expect("tempdir");
            write(web.path(), "home.html", page.as_bytes());
            write(web.path(), "share.js", b"x");
            let e = build(&collect(web.path()).expect("collected")).expect_err(page);
            assert!(e.contains(named), "{page}: {e}");
        }
    }

    #[test]
    fn hashes_the_sorted_manifest_of_served_bytes() {
        let served = |path: &str, bytes: &[u8]| Served {
            name: String::new(),
            path: path.into(),
            bytes: bytes.to_vec(),
        };
        let m = manifest(&[
            served("/web/b.js", b"b"),
            served("/", b""),
            served("/S", b"s"),
        ]);
        assert_eq!(
            m,
            format!(
                "/ {}\n/S {}\n/web/b.js {}\n",
                sha256_hex(b""),
                sha256_hex(b"s"),
                sha256_hex(b"b")
            )
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(bundle_hash(&m), sha256_hex(m.as_bytes()));
    }
}
