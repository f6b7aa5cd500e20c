//! `vault`: the Survivor Vault command for survivors (and, later, agencies
//! and advocates). Thin by design: it parses, asks, prints; every rule lives
//! in `vault-core`.

mod cli;
mod cmd;
mod error;
mod output;
mod passphrase;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use vault_core::{Role, Vault};

use crate::cli::{Cli, Command, Global};
use crate::error::{CliError, Code};
use crate::output::Out;

/// What every command gets: the global options and the output channel.
#[derive(Debug)]
pub struct Ctx {
    pub global: Global,
    pub out: Out,
}

impl Ctx {
    /// The vault folder: `--vault`, `VAULT_DIR`, or the per-user default.
    pub fn vault_dir(&self) -> Result<PathBuf, CliError> {
        if let Some(dir) = &self.global.vault {
            return Ok(dir.clone());
        }
        directories::ProjectDirs::from("", "", "survivor-vault")
            .map(|d| d.data_dir().join("vault"))
            .ok_or_else(|| {
                CliError::usage(
                    "no_home",
                    "Could not find your user data folder. Choose where the vault is with --vault DIR.",
                )
            })
    }

    /// Asks for the passphrase and opens the survivor's vault.
    pub fn open_vault(&self) -> Result<Vault, CliError> {
        let dir = self.vault_dir()?;
        if !dir.exists() {
            return Err(vault_core::VaultError::NotFound(dir).into());
        }
        let pass = passphrase::existing(self.global.passphrase_file.as_deref())?;
        let vault = Vault::open(&dir, pass.as_bytes())?;
        let role = vault.identity().role();
        if role != Role::Survivor {
            return Err(CliError::new(
                Code::VaultPresence,
                "wrong_kind",
                format!(
                    "The folder {} holds the keys of {}, not a survivor's vault. Choose your vault's folder with --vault.",
                    dir.display(),
                    role.noun()
                ),
            ));
        }
        Ok(vault)
    }
}

fn run(cli: Cli) -> Result<(), CliError> {
    let ctx = Ctx {
        out: Out {
            json: cli.global.json,
        },
        global: cli.global,
    };
    match cli.command {
        Command::Init => cmd::init::run(&ctx),
        Command::Id => cmd::id::run(&ctx),
        Command::Passwd(args) => cmd::passwd::run(&ctx, &args),
        Command::Put(args) => cmd::put::run(&ctx, &args),
        Command::Get(args) => cmd::get::run(&ctx, &args),
        Command::Ls => cmd::ls::run(&ctx),
        Command::Rm(args) => cmd::rm::run(&ctx, &args),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version are successes; everything else is usage.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(Code::Usage as u8)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let json = cli.global.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind == "broken_pipe" => ExitCode::SUCCESS,
        Err(e) => {
            if json {
                let body = serde_json::json!({ "error": e.kind, "message": e.message });
                let _ = writeln!(io::stdout(), "{body}");
            }
            let _ = writeln!(io::stderr(), "{}", e.message);
            ExitCode::from(e.code as u8)
        }
    }
}
