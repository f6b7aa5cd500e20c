//! Owner-only files: what the vault and the relay write is theirs alone.
//!
//! Both keep what they write readable by their owner only: folders `0700`,
//! files `0600` (issue 10, item 4: the relay's sled files were `0644` and
//! any local user could read every token record). Code that creates a file
//! asks for `0600` itself, but sled creates its files with the process's
//! umask, so each binary also calls [`restrict_umask`] at start-up; and
//! data written by an older version, or copied with looser modes, is put
//! right by [`make_private`] when it is opened, which says what it changed.

use std::io;
use std::path::{Path, PathBuf};

/// Makes every file and folder this process creates from now on private
/// to its owner (umask `077`). A no-op where there are no Unix modes.
pub fn restrict_umask() {
    #[cfg(unix)]
    {
        rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    }
}

/// A file or folder whose permissions could not be read or narrowed.
#[derive(Debug, thiserror::Error)]
#[error("{}", crate::msg!("mode-not-private", path = path.display().to_string(), reason = source.to_string()))]
pub struct ModeError {
    /// The file or folder.
    pub path: PathBuf,
    /// Why.
    #[source]
    pub source: io::Error,
}

/// Walks `root` (not following symbolic links) and takes away every
/// permission that group or others have (a `0755` folder becomes `0700`, a
/// `0644` file `0600`); the owner's own permissions are left as they were. Returns what it changed, so the caller
/// can say so. Fails if a mode cannot be changed (for example a file owned
/// by someone else); the error names the file.
pub fn make_private(root: &Path) -> Result<Vec<PathBuf>, ModeError> {
    let mut changed = Vec::new();
    #[cfg(unix)]
    walk(root, &mut changed)?;
    #[cfg(not(unix))]
    let _ = root;
    Ok(changed)
}

#[cfg(unix)]
fn walk(path: &Path, changed: &mut Vec<PathBuf>) -> Result<(), ModeError> {
    use std::os::unix::fs::PermissionsExt;
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(named(path, e)),
    };
    if meta.file_type().is_symlink() {
        return Ok(());
    }
    let mode = meta.permissions().mode();
    if mode & 0o077 != 0 {
        // Only group's and others' bits go: the owner's stay as they
        // were (a read-only file stays read-only).
        let private = mode & 0o700;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(private))
            .map_err(|e| named(path, e))?;
        changed.push(path.to_owned());
    }
    if meta.is_dir() {
        for entry in std::fs::read_dir(path).map_err(|e| named(path, e))? {
            walk(&entry.map_err(|e| named(path, e))?.path(), changed)?;
        }
    }
    Ok(())
}

fn named(path: &Path, source: io::Error) -> ModeError {
    ModeError {
        path: path.to_owned(),
        source,
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::symlink_metadata(p)
            .expect("meta")
            .permissions()
            .mode()
            & 0o777
    }

    #[test]
    fn keeps_only_the_owners_permissions_and_says_what_it_changed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("data");
        std::fs::create_dir_all(root.join("store")).expect("mkdir");
        std::fs::write(root.join("store/db"), b"x").expect("write");
        std::fs::write(root.join("key"), b"x").expect("write");
        std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        std::fs::set_permissions(root.join("store"), std::fs::Permissions::from_mode(0o755))
            .expect("chmod");
        std::fs::set_permissions(
            root.join("store/db"),
            std::fs::Permissions::from_mode(0o644),
        )
        .expect("chmod");
        std::fs::set_permissions(root.join("key"), std::fs::Permissions::from_mode(0o600))
            .expect("chmod");
        let mut changed = make_private(&root).expect("fix");
        changed.sort();
        assert_eq!(
            changed,
            vec![root.clone(), root.join("store"), root.join("store/db")]
        );
        assert_eq!(mode(&root), 0o700);
        assert_eq!(mode(&root.join("store")), 0o700);
        assert_eq!(mode(&root.join("store/db")), 0o600);
        assert_eq!(mode(&root.join("key")), 0o600);
        assert!(make_private(&root).expect("again").is_empty());
    }

    #[test]
    fn never_gives_the_owner_more_than_they_had() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("read-only");
        std::fs::write(&file, b"x").expect("write");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).expect("chmod");
        assert_eq!(make_private(&file).expect("fix"), vec![file.clone()]);
        assert_eq!(mode(&file), 0o400);
    }

    #[test]
    fn leaves_what_symbolic_links_point_at() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, b"x").expect("write");
        std::fs::set_permissions(&outside, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let root = dir.path().join("data");
        std::fs::create_dir(&root).expect("mkdir");
        std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o700)).expect("chmod");
        std::os::unix::fs::symlink(&outside, root.join("link")).expect("symlink");
        assert!(make_private(&root).expect("fix").is_empty());
        assert_eq!(mode(&outside), 0o644);
    }
}
