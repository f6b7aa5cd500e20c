//! `vault`: the Folio command for survivors (and, later, agencies
//! and advocates). Thin by design: it parses, asks, prints; every rule lives
//! in `vault-core`.

mod cli;
mod cli_words;
mod client;
mod cmd;
mod error;
mod lang;
mod local;
mod output;
mod passphrase;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use vault_core::{msg, Role, Vault, VaultError};

use crate::cli::{AdvocateCommand, AgencyCommand, Cli, Command, Global};
use crate::error::{CliError, Code};
use crate::output::Out;

/// The per-user data folder's name: neutral, like the rest of what a
/// person sees on a device (docs/decisions.md).
const DATA_FOLDER: &str = "folio";

/// The folder's name before issue 12, moved to [`DATA_FOLDER`] when found.
const OLD_DATA_FOLDER: &str = "survivor-vault";

/// What every command gets: the global options and the output channel.
#[derive(Debug)]
pub struct Ctx {
    pub global: Global,
    pub out: Out,
}

impl Ctx {
    /// The key folder for `role`: `--vault`, `VAULT_DIR`, or the per-user
    /// default (`vault`, `agency` or `advocate` in the user data folder).
    pub fn vault_dir(&self, role: Role) -> Result<PathBuf, CliError> {
        let dir = self.default_or_given_dir(role)?;
        error::set_vault_dir(&dir);
        Ok(dir)
    }

    fn default_or_given_dir(&self, role: Role) -> Result<PathBuf, CliError> {
        if let Some(dir) = &self.global.vault {
            return Ok(dir.clone());
        }
        let name = match role {
            Role::Survivor => "vault",
            Role::Agency => "agency",
            Role::Advocate => "advocate",
            Role::Relay => "relay",
        };
        self.data_dir()
            .map(|d| d.join(name))
            .ok_or_else(|| CliError::usage("no_home", msg!("main-no-home")))
    }

    /// The per-user data folder, `folio` (a name that says nothing about
    /// who uses it). An earlier version's `survivor-vault` folder is
    /// renamed to it once, so no vault is lost; if both exist, `folio` is
    /// used and the other is left alone, and the person is told.
    fn data_dir(&self) -> Option<PathBuf> {
        let new = directories::ProjectDirs::from("", "", DATA_FOLDER)?
            .data_dir()
            .to_owned();
        let Some(old) = directories::ProjectDirs::from("", "", OLD_DATA_FOLDER)
            .map(|d| d.data_dir().to_owned())
            .filter(|d| d.is_dir())
        else {
            return Some(new);
        };
        if new.exists() {
            self.out.note(&msg!(
                "main-old-folder-too",
                old = old.display().to_string(),
                new = new.display().to_string()
            ));
            return Some(new);
        }
        match std::fs::rename(&old, &new) {
            Ok(()) => {
                self.out.note(&msg!(
                    "main-folder-renamed",
                    old = old.display().to_string(),
                    new = new.display().to_string()
                ));
                Some(new)
            }
            // Keep using it where it is rather than start afresh.
            Err(_) => {
                self.out.note(&msg!(
                    "main-folder-not-renamed",
                    old = old.display().to_string(),
                    new = new.display().to_string()
                ));
                Some(old)
            }
        }
    }

    /// The relay named by `--server` / `VAULT_SERVER`, checked.
    pub fn relay(&self) -> Result<client::Relay, CliError> {
        let origin = vault_core::share::link::check_origin(&self.global.server).map_err(|e| {
            CliError::usage(
                "bad_server",
                msg!(
                    "main-bad-server",
                    server = &self.global.server,
                    reason = e.to_string()
                ),
            )
        })?;
        Ok(client::Relay::new(&origin))
    }

    /// Asks for the passphrase and opens the key folder of `role`.
    pub fn open_vault(&self, role: Role) -> Result<Vault, CliError> {
        let dir = self.vault_dir(role)?;
        // A folder this user may not look into is not "no vault yet".
        if let Err(e) = std::fs::read_dir(&dir) {
            if e.kind() == std::io::ErrorKind::PermissionDenied {
                return Err(CliError::vault_not_readable(&dir));
            }
        }
        if !Vault::exists(&dir) {
            return Err(match role {
                Role::Survivor => VaultError::NotFound(dir).into(),
                other => CliError::new(
                    Code::VaultPresence,
                    "no_vault",
                    msg!(
                        "main-no-keys",
                        role = other.prefix(),
                        folder = dir.display().to_string()
                    ),
                ),
            });
        }
        // At a terminal, a mistyped passphrase may be typed again, up to
        // TRIES times in this run; a passphrase file is read once.
        let file = self.global.passphrase_file.as_deref();
        let mut tries = 0;
        let vault = loop {
            let pass = passphrase::existing(file)?;
            tries += 1;
            match Vault::open(&dir, pass.as_bytes()) {
                Err(VaultError::WrongPassphrase) if file.is_none() && tries < passphrase::TRIES => {
                    self.out.note(&passphrase::try_again());
                }
                Err(VaultError::WrongPassphrase) if file.is_none() => {
                    return Err(passphrase::last_wrong())
                }
                other => break other?,
            }
        };
        let found = vault.identity().role();
        if found != role {
            return Err(CliError::new(
                Code::VaultPresence,
                "wrong_kind",
                msg!(
                    "main-wrong-kind",
                    folder = dir.display().to_string(),
                    found = found.prefix(),
                    wanted = role.prefix()
                ),
            ));
        }
        self.tell_repairs(&vault);
        Ok(vault)
    }

    /// Says calmly what opening the vault put right (nothing was lost).
    fn tell_repairs(&self, vault: &Vault) {
        for repair in vault.repairs() {
            let note = repair.words();
            self.out.note(&note);
        }
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
        Command::Init => cmd::init::run(&ctx, Role::Survivor),
        Command::Id => cmd::id::run(&ctx, Role::Survivor, false),
        Command::Contacts(c) => cmd::contacts::run(&ctx, Role::Survivor, &c),
        Command::Advocate(AdvocateCommand::Contacts(c)) => {
            cmd::contacts::run(&ctx, Role::Advocate, &c)
        }
        Command::Grant(args) => cmd::grant::run(&ctx, &args),
        Command::Grants => cmd::grants::run(&ctx),
        Command::Revoke(args) => cmd::revoke::run(&ctx, &args),
        Command::Log => cmd::log::run(&ctx),
        Command::Delegate(args) => cmd::delegate::add(&ctx, &args),
        Command::Undelegate(args) => cmd::delegate::remove(&ctx, &args),
        Command::Agency(AgencyCommand::Init) => cmd::init::run(&ctx, Role::Agency),
        Command::Agency(AgencyCommand::Id(args)) => cmd::id::run(&ctx, Role::Agency, args.qr),
        Command::Agency(AgencyCommand::Redeem(args)) => cmd::redeem::run(&ctx, &args),
        Command::Agency(AgencyCommand::ExportKey(args)) => {
            cmd::export_key::run(&ctx, Role::Agency, &args)
        }
        Command::Advocate(AdvocateCommand::ExportKey(args)) => {
            cmd::export_key::run(&ctx, Role::Advocate, &args)
        }
        Command::Advocate(AdvocateCommand::Init) => cmd::init::run(&ctx, Role::Advocate),
        Command::Advocate(AdvocateCommand::Id(args)) => cmd::id::run(&ctx, Role::Advocate, args.qr),
        Command::Advocate(AdvocateCommand::Shares(args)) => cmd::advocate::shares(&ctx, &args),
        Command::Advocate(AdvocateCommand::Revoke(args)) => cmd::advocate::revoke(&ctx, &args),
        Command::Advocate(AdvocateCommand::Clients) => cmd::advocate::clients(&ctx),
        Command::Passwd(args) => cmd::passwd::run(&ctx, &args),
        Command::Put(args) => cmd::put::run(&ctx, &args),
        Command::Get(args) => cmd::get::run(&ctx, &args),
        Command::Ls => cmd::ls::run(&ctx),
        Command::Rm(args) => cmd::rm::run(&ctx, &args),
        Command::Check(args) => cmd::check::run(&ctx, &args),
        Command::Export(args) => cmd::backup::export(&ctx, &args),
        Command::Import(args) => cmd::backup::import(&ctx, &args),
    }
}

fn main() -> ExitCode {
    // Everything this program writes is for its owner only (sled and
    // temporary files included), whatever the umask it was started with.
    vault_core::fsmode::restrict_umask();
    // The language first, so that even a command line clap cannot read is
    // answered in it.
    let from_env = lang::from_env(|name| std::env::var_os(name));
    vault_core::messages::set_language(from_env);
    let words: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if let Some(asked) = lang::from_args(&words) {
        if vault_core::messages::LANGUAGES
            .iter()
            .any(|(code, _)| *code == asked)
        {
            vault_core::messages::set_language(asked);
        }
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind as K;
            // Help and version are successes, and `vault` alone shows the
            // help; everything else is one sentence (exit 2).
            if matches!(
                e.kind(),
                K::DisplayHelp
                    | K::DisplayVersion
                    | K::DisplayHelpOnMissingArgumentOrSubcommand
                    | K::MissingSubcommand
            ) {
                let _ = e.print();
                return if e.use_stderr() {
                    ExitCode::from(Code::Usage as u8)
                } else {
                    ExitCode::SUCCESS
                };
            }
            let args: Vec<String> = std::env::args_os()
                .skip(1)
                .map(|a| a.to_string_lossy().into_owned())
                .take_while(|a| a != "--")
                .collect();
            let json = args.iter().any(|a| a == "--json");
            return report(cli_words::from_clap(&e, &args), json);
        }
    };
    // What clap read is what counts (the look above only guessed).
    vault_core::messages::set_language(cli.global.lang.as_deref().unwrap_or(from_env));
    let json = cli.global.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind == "broken_pipe" => ExitCode::SUCCESS,
        // The command already printed its result; only the code is left.
        Err(e) if e.kind == "reported" => ExitCode::from(e.code as u8),
        Err(e) => report(e, json),
    }
}

/// Prints an error (as JSON too with `--json`) and gives its exit code.
fn report(e: CliError, json: bool) -> ExitCode {
    if json {
        let body = serde_json::json!({ "error": e.kind, "message": e.message });
        let _ = writeln!(io::stdout(), "{body}");
    }
    // Messages may quote what someone else sent; show it inert,
    // wrapped to the terminal at spaces.
    let _ = writeln!(
        io::stderr(),
        "{}",
        output::wrap_for_stderr(&vault_core::display::visible_lines(&e.message))
    );
    ExitCode::from(e.code as u8)
}
