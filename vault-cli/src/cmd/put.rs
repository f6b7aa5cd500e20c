//! `vault put`: save text or a document under a field name.

use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::Path;

use serde_json::json;
use vault_core::display::visible;
use vault_core::docname::{DocName, NameError};
use vault_core::vault::MAX_TEXT_LEN;
use vault_core::{msg, Kind, Vault, VaultError};
use zeroize::Zeroizing;

use super::{field, printed};
use crate::cli::PutArgs;
use crate::error::{CliError, Code};
use crate::output::{confirm, human_size};
use crate::Ctx;

/// The largest document a vault keeps: 4 GiB. A passport scan is a few
/// MiB; a larger input is almost always the wrong file (a disk image, a
/// device). Said in `docs/cli.md`.
pub const MAX_DOCUMENT: u64 = 4 * 1024 * 1024 * 1024;

/// Space left free on the vault's disk after a document is saved, for the
/// vault's own records and the rest of the system.
const KEEP_FREE: u64 = 64 * 1024 * 1024;

/// Room a document of `len` bytes needs on disk: the chunks' tags (16
/// bytes per 64 KiB), rounded up generously, plus [`KEEP_FREE`].
fn room_for(len: u64) -> u64 {
    len.saturating_add(len / 1024).saturating_add(KEEP_FREE)
}

/// Bytes free for this user on the disk that holds `dir` (or its nearest
/// existing parent); `None` if that cannot be told.
fn free_space(dir: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        let mut at = Some(dir);
        while let Some(d) = at {
            if let Ok(s) = rustix::fs::statvfs(d) {
                return Some(s.f_bavail.saturating_mul(s.f_frsize));
            }
            at = d.parent().filter(|p| !p.as_os_str().is_empty());
        }
        None
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// Which bound an input ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    /// [`MAX_DOCUMENT`].
    Largest,
    /// The free space on the disk (less [`KEEP_FREE`]).
    Disk,
}

/// A reader that fails once more than `limit` bytes come through: how a
/// pipe or a device (which has no length to check first) is stopped. The
/// vault then removes what it had written, as for any failed input.
struct Bounded<R> {
    inner: R,
    left: u64,
    bound: Bound,
    hit: Option<Bound>,
}

impl<R: Read> Bounded<R> {
    fn new(inner: R, limit: u64, bound: Bound) -> Self {
        Self {
            inner,
            left: limit,
            bound,
            hit: None,
        }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // One byte past the limit is how "more than the limit" shows.
        let want = buf
            .len()
            .min(usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n as u64 > self.left {
            self.hit = Some(self.bound);
            return Err(io::Error::other("input over its limit"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

fn too_large(f: &Path, size: Option<u64>) -> CliError {
    CliError::usage(
        "document_too_large",
        match size {
            Some(s) => msg!(
                "put-too-large-size",
                path = f.display().to_string(),
                size = human_size(s),
                max = human_size(MAX_DOCUMENT)
            ),
            None => msg!(
                "put-too-large",
                path = f.display().to_string(),
                max = human_size(MAX_DOCUMENT)
            ),
        },
    )
}

fn no_space(f: &Path, size: Option<u64>, free: u64) -> CliError {
    CliError::new(
        Code::Failure,
        "no_space",
        match size {
            Some(s) => msg!(
                "put-no-space-size",
                path = f.display().to_string(),
                size = human_size(s),
                free = human_size(free),
                keep_free = human_size(KEEP_FREE)
            ),
            None => msg!(
                "put-no-space",
                path = f.display().to_string(),
                free = human_size(free),
                keep_free = human_size(KEEP_FREE)
            ),
        },
    )
}

/// The file's own name (the last part of `f`, as given) and its media
/// type, kept with the document; one sentence if the name cannot be kept.
fn doc_name(f: &Path) -> Result<Option<DocName>, CliError> {
    // A path that ends in `..` or `/` names no file; opening it fails
    // anyway and says so.
    let Some(name) = f.file_name() else {
        return Ok(None);
    };
    // `why` chooses the reason in the catalogue's message.
    let cannot = |why: &str| {
        CliError::usage(
            "bad_file_name",
            msg!(
                "put-bad-file-name",
                name = visible(&name.to_string_lossy()),
                why = why,
                max_name_len = vault_core::docname::MAX_NAME_LEN
            ),
        )
    };
    let Some(name) = name.to_str() else {
        return Err(cannot("not-text"));
    };
    DocName::from_file_name(name)
        .map(Some)
        .map_err(|e| match e {
            NameError::TooLong => cannot("too-long"),
            NameError::Hidden => cannot("hidden"),
            NameError::Separator => cannot("separator"),
            _ => cannot("other"),
        })
}

pub fn run(ctx: &Ctx, args: &PutArgs) -> Result<(), CliError> {
    let path = field(&args.field)?;
    let name = match &args.file {
        Some(f) => doc_name(f)?,
        None => None,
    };
    // Open the input before the vault, so a missing file, one too large
    // or a full disk is reported before anyone types a passphrase.
    let input = match &args.file {
        Some(f) => {
            let file = File::open(f).map_err(|e| CliError::file(f, "read", &e))?;
            let meta = file.metadata().map_err(|e| CliError::file(f, "read", &e))?;
            if meta.is_dir() {
                let e = io::Error::from(io::ErrorKind::IsADirectory);
                return Err(CliError::file(f, "read", &e));
            }
            // Only a regular file's length means anything.
            let len = meta.is_file().then_some(meta.len());
            if len.is_some_and(|l| l > MAX_DOCUMENT) {
                return Err(too_large(f, len));
            }
            let free = free_space(&ctx.vault_dir(vault_core::Role::Survivor)?);
            if let (Some(len), Some(free)) = (len, free) {
                if room_for(len) > free {
                    return Err(no_space(f, Some(len), free));
                }
            }
            // What a pipe (or a file that grows) may still bring.
            let (limit, bound) = match free.map(|fr| fr.saturating_sub(KEEP_FREE)) {
                Some(room) if room < MAX_DOCUMENT => {
                    (room.saturating_sub(room / 1024), Bound::Disk)
                }
                _ => (MAX_DOCUMENT, Bound::Largest),
            };
            // A regular file already measured may use all it was allowed
            // (the margin above is only for inputs of unknown length).
            let limit = limit.max(len.unwrap_or(0));
            Some((f.as_path(), Bounded::new(file, limit, bound), len, free))
        }
        None => None,
    };
    let vault = ctx.open_vault(vault_core::Role::Survivor)?;
    if !args.replace && !may_replace(&vault, &path)? {
        return Err(CliError::cancelled());
    }
    let (kind, size) = match input {
        Some((f, mut file, len, free)) => {
            let bar = ctx.out.progress(len.unwrap_or(0));
            let saved = vault.put_named_document(&path, name.as_ref(), &mut file, &mut |n| {
                bar.set_position(n)
            });
            bar.finish_and_clear();
            let size = saved.map_err(|e| match (file.hit, e) {
                (Some(Bound::Largest), _) => too_large(f, None),
                (Some(Bound::Disk), _) => no_space(f, None, free.unwrap_or(0)),
                // The disk filled while writing (someone else wrote too).
                (None, VaultError::Io(e))
                    if matches!(
                        e.kind(),
                        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
                    ) =>
                {
                    no_space(
                        f,
                        len,
                        free_space(
                            &ctx.vault_dir(vault_core::Role::Survivor)
                                .unwrap_or_default(),
                        )
                        .unwrap_or(0),
                    )
                }
                (None, VaultError::Io(e)) => CliError::file(f, "read", &e),
                (None, e) => e.into(),
            })?;
            (Kind::Document, size)
        }
        None => {
            let text = match &args.value {
                Some(v) if v.is_empty() => {
                    return Err(CliError::usage("empty_value", msg!("put-empty")))
                }
                Some(v) => Zeroizing::new(v.clone()),
                None => read_text()?,
            };
            vault.put_text(&path, &text)?;
            (Kind::Text, text.len() as u64)
        }
    };
    let mut note = msg!(
        "put-saved",
        field = path.to_string(),
        kind = kind.as_str(),
        size = human_size(size)
    );
    if let Some(n) = &name {
        // The name can say something too: the survivor should know it
        // leaves with the document.
        note.push(' ');
        note.push_str(&msg!("put-name-kept", name = visible(n.name())));
    }
    ctx.out.note(&note);
    let mut out = json!({ "field": path.as_str(), "kind": kind.as_str(), "size": size });
    if let Some(n) = &name {
        out["file_name"] = json!(n.name());
        out["media_type"] = json!(n.media_type());
    }
    printed(ctx.out.result(out, None))
}

/// Asks before replacing what is saved; `true` if there is nothing there.
fn may_replace(vault: &Vault, path: &vault_core::FieldPath) -> Result<bool, CliError> {
    match vault.info(path) {
        Err(VaultError::FieldNotFound(_)) => Ok(true),
        // A damaged field may be replaced: that is how it gets repaired.
        Ok(_) | Err(VaultError::Unreadable(_)) => {
            confirm(&msg!("put-replace", field = path.to_string()), "--replace")
        }
        Err(e) => Err(e.into()),
    }
}

/// The text to save, from the terminal or from piped input.
fn read_text() -> Result<Zeroizing<String>, CliError> {
    let stdin = io::stdin();
    let mut text = Zeroizing::new(String::new());
    if stdin.is_terminal() {
        eprintln!("{}", msg!("put-type-text"));
        stdin.read_line(&mut text).map_err(|e| read_failed(&e))?;
    } else {
        let mut limited = stdin.lock().take(MAX_TEXT_LEN as u64 + 1);
        let mut bytes = Zeroizing::new(Vec::new());
        limited
            .read_to_end(&mut bytes)
            .map_err(|e| read_failed(&e))?;
        *text = String::from_utf8(bytes.to_vec())
            .map_err(|_| CliError::usage("not_text", msg!("put-not-text")))?;
    }
    // The line break that ends typed or piped text is not part of it.
    crate::output::strip_line_end(&mut text);
    if text.is_empty() {
        return Err(CliError::usage("empty_value", msg!("put-empty")));
    }
    Ok(text)
}

/// Reading the text failed: never the system's own words.
fn read_failed(e: &io::Error) -> CliError {
    if e.kind() == io::ErrorKind::InvalidData {
        return CliError::usage("not_text", msg!("put-not-text"));
    }
    CliError::usage("io", msg!("put-read-failed"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use vault_core::{FieldPath, KdfParams, MemoryDocuments, MemoryStore, Role};

    #[test]
    fn stops_an_endless_input_at_its_limit_and_keeps_nothing() {
        let vault = Vault::create_in(
            Box::new(MemoryStore::new()),
            Box::new(MemoryDocuments::new()),
            b"correct horse battery staple",
            Role::Survivor,
            KdfParams::INSECURE_FOR_TESTS,
        )
        .expect("a vault in memory");
        let path = FieldPath::parse("documents.endless").expect("a valid path");
        // Like /dev/zero: never ends.
        let mut input = Bounded::new(io::repeat(0), 1024 * 1024, Bound::Largest);
        let saved = vault.put_document(&path, &mut input, &mut |_| {});
        assert!(saved.is_err());
        assert_eq!(input.hit, Some(Bound::Largest));
        assert!(matches!(
            vault.info(&path),
            Err(VaultError::FieldNotFound(_))
        ));
        let (entries, unreadable) = vault.list().expect("the vault lists");
        assert!(entries.is_empty() && unreadable == 0);
    }

    #[test]
    fn reads_an_input_of_exactly_the_limit() {
        let mut input = Bounded::new(io::repeat(1).take(4096), 4096, Bound::Disk);
        let mut out = Vec::new();
        input.read_to_end(&mut out).expect("within the limit");
        assert_eq!((out.len(), input.hit), (4096, None));
        let mut input = Bounded::new(io::repeat(1).take(4097), 4096, Bound::Disk);
        assert!(input.read_to_end(&mut Vec::new()).is_err());
        assert_eq!(input.hit, Some(Bound::Disk));
    }

    #[test]
    fn asks_for_room_beyond_the_document_itself() {
        assert!(room_for(0) >= KEEP_FREE);
        assert!(room_for(MAX_DOCUMENT) > MAX_DOCUMENT + MAX_DOCUMENT / 4096 * 16);
        assert_eq!(room_for(u64::MAX), u64::MAX);
    }
}
