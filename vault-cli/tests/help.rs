//! The `vault` binary describes itself; deeper end-to-end tests live in
//! the workspace's `tests/` crate. (Having this file also makes
//! `cargo test --workspace` build the real binary for those tests.)

use std::process::Command;

#[test]
fn help_lists_every_survivor_command() {
    let out = Command::new(env!("CARGO_BIN_EXE_vault"))
        .arg("--help")
        .output()
        .expect("run vault --help");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for cmd in ["init", "id", "passwd", "put", "get", "ls", "rm"] {
        assert!(
            text.contains(&format!("  {cmd} ")),
            "missing {cmd} in:\n{text}"
        );
    }
}

#[test]
fn unknown_command_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_vault"))
        .arg("fly")
        .output()
        .expect("run vault fly");
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}
