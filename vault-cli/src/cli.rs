//! The command line, declared with clap. Parsing does no I/O.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Survivor Vault: keep your story in one safe place, and decide who sees what.
#[derive(Debug, Parser)]
#[command(name = "vault", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// The folder your vault is in [default: a folder in your user data directory]
    #[arg(long, global = true, env = "VAULT_DIR", value_name = "DIR")]
    pub vault: Option<PathBuf>,

    /// Read the passphrase from this file instead of asking (for scripts)
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,

    /// Print results as JSON on standard output (notes still go to standard error)
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make a new vault, protected by a passphrase you choose
    Init,
    /// Show your public id (safe to share; it reveals nothing you saved)
    Id,
    /// Change your passphrase (your saved things stay as they are)
    Passwd(PasswdArgs),
    /// Save text or a file under a field name, like needs.housing
    Put(PutArgs),
    /// Show what is saved under a field name, or save a document to a file
    Get(GetArgs),
    /// List the field names you have saved, with their kind and size
    Ls,
    /// Remove a field and what is saved under it
    Rm(RmArgs),
}

#[derive(Debug, Args)]
pub struct PasswdArgs {
    /// Read the new passphrase from this file instead of asking (for scripts)
    #[arg(long, value_name = "FILE")]
    pub new_passphrase_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PutArgs {
    /// The field name, like needs.housing or documents.passport
    pub field: String,

    /// The text to save. If you leave it out, you are asked for it, which
    /// keeps it out of your shell history; piped input is read too
    #[arg(conflicts_with = "file")]
    pub value: Option<String>,

    /// Save this file as a document instead of text
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,

    /// Replace what is already saved under this name without asking
    #[arg(long)]
    pub replace: bool,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    /// The field name, like needs.housing
    pub field: String,

    /// Write the value to this new file (never overwrites; readable only by you)
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RmArgs {
    /// The field name to remove
    pub field: String,

    /// Remove without asking first
    #[arg(long)]
    pub yes: bool,
}
