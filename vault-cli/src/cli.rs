//! The command line, declared with clap. Parsing does no I/O.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Folio: keep your story in one safe place, and decide who sees what.
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

    /// The relay that links point to
    #[arg(
        long,
        global = true,
        env = "VAULT_SERVER",
        value_name = "URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub server: String,

    /// The language of messages: en (English) or es (Español) [default: from LC_ALL, LC_MESSAGES or LANG]
    #[arg(
        long,
        global = true,
        value_name = "LANG",
        value_parser = clap::builder::PossibleValuesParser::new(
            vault_core::messages::LANGUAGES.iter().map(|(code, _)| *code)
        )
    )]
    pub lang: Option<String>,
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
    /// Read everything saved and say what, if anything, is damaged
    Check(CheckArgs),
    /// Save a backup of the whole vault in one encrypted file (it opens only
    /// with this vault's passphrase)
    Export(ExportArgs),
    /// Make the vault from a backup file (only where there is no vault yet)
    Import(ImportArgs),
    /// Share chosen fields with an agency: shows exactly what you agree to first
    Grant(GrantArgs),
    /// List what you have shared, with its status at the relay
    Grants,
    /// Withdraw a share (or all of them) so nobody can use it any more
    Revoke(RevokeArgs),
    /// Show who used your shares and when, checked against tampering
    Log,
    /// Names for the agencies and advocates you deal with, kept sealed in your vault
    #[command(subcommand)]
    Contacts(ContactsCommand),
    /// Let an advocate list and withdraw your shares for you (never read them):
    /// shows exactly what they will see first
    Delegate(DelegateArgs),
    /// Take back an advocate's permission
    Undelegate(UndelegateArgs),
    /// For agencies: keys, and opening a share a survivor gave you
    #[command(subcommand)]
    Agency(AgencyCommand),
    /// For advocates: keys, and withdrawing shares when a survivor asks
    #[command(subcommand)]
    Advocate(AdvocateCommand),
}

#[derive(Debug, Subcommand)]
pub enum AgencyCommand {
    /// Make the agency's keys, protected by a passphrase
    Init,
    /// Show the agency's id, to give to survivors (--qr: as a QR code too)
    Id(IdArgs),
    /// Open a share from its link or QR picture
    Redeem(RedeemArgs),
    /// Save the agency's key in a file with its own passphrase, for the
    /// agency's page on a phone
    ExportKey(ExportKeyArgs),
}

#[derive(Debug, Args)]
pub struct IdArgs {
    /// Also show the id as a QR code, for a survivor to scan into their
    /// contacts (`vault contacts add NAME TEXT`)
    #[arg(long)]
    pub qr: bool,
}

#[derive(Debug, Subcommand)]
pub enum ContactsCommand {
    /// Give a name to an agency's or advocate's id (or the text of their QR code)
    Add(ContactsAddArgs),
    /// List your contacts with their whole ids
    Ls,
    /// Remove a contact (shares already made are not affected)
    Rm(ContactsRmArgs),
}

#[derive(Debug, Args)]
pub struct ContactsAddArgs {
    /// The name you will use, like "Housing North"
    pub name: String,
    /// Their id (agency1… or advocate1…; for an advocate, survivor1… or
    /// agency1…), or the text of the QR code that `vault agency id --qr` shows
    #[arg(required_unless_present = "image", conflicts_with = "image")]
    pub id: Option<String>,

    /// Read the id from a QR code in this picture instead: a photo or
    /// screenshot (JPEG or PNG) of the code `vault agency id --qr` or
    /// `vault advocate id --qr` shows
    #[arg(long, value_name = "PICTURE")]
    pub image: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct ContactsRmArgs {
    /// The contact's name
    pub name: String,
}

#[derive(Debug, Args)]
pub struct ExportKeyArgs {
    /// The new key file to write (never overwritten; readable only by you).
    /// Name it with .vaultkey, the ending the agency's page and Folio look for
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    /// Read the key file's new passphrase from this file instead of asking
    /// twice (for scripts)
    #[arg(long, value_name = "FILE")]
    pub key_passphrase_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum AdvocateCommand {
    /// Make the advocate's keys, protected by a passphrase
    Init,
    /// Show the advocate's id, to give to survivors (--qr: as a QR code too)
    Id(IdArgs),
    /// List a survivor's shares (no content: dates, uses, status)
    Shares(AdvocateSharesArgs),
    /// Withdraw a survivor's share, or all of them, on their request
    Revoke(AdvocateRevokeArgs),
    /// Save the advocate's key in a file with its own passphrase, for
    /// Folio (the app) on a phone
    ExportKey(ExportKeyArgs),
    /// Names for the survivors and agencies you deal with, kept sealed with
    /// your keys
    #[command(subcommand)]
    Contacts(ContactsCommand),
    /// List who has given you permission to act for them, and until when
    Clients,
}

#[derive(Debug, Args)]
pub struct RedeemArgs {
    /// The share link (HTTPS://…/S#…), or `-` to read it from standard
    /// input (keeps the link, which holds the key, out of shell history)
    #[arg(required_unless_present = "image", conflicts_with = "image")]
    pub link: Option<String>,

    /// Read the link from a QR code in this picture: a photo or
    /// screenshot of the code, as JPEG or PNG (not HEIC)
    #[arg(long, value_name = "PICTURE")]
    pub image: Option<PathBuf>,

    /// Save shared documents in this folder (created if missing; files are
    /// never overwritten)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// The relay's new key (relay1…), as its operator confirmed it to you,
    /// after you were warned that the relay's key changed: it is
    /// remembered instead of the old one
    #[arg(long, value_name = "RELAY_ID")]
    pub relay_key: Option<String>,
}

#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// The share's token id (from `vault grants`; the first 8 or more characters are enough)
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub token_id: Option<String>,

    /// Withdraw every share you have made at this relay
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct DelegateArgs {
    /// The advocate: a contact's name, or their id (advocate1…)
    pub advocate: String,

    /// How long they may act for you (like 7d; at most 90 days)
    #[arg(long, value_name = "DURATION", default_value = "7d")]
    pub expires: String,

    /// Do not ask before giving the permission (what it means is still shown)
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct UndelegateArgs {
    /// The advocate: a contact's name, or their id (advocate1…)
    pub advocate: String,
}

#[derive(Debug, Args)]
pub struct AdvocateSharesArgs {
    /// The survivor: a contact's name, or their id (survivor1…)
    pub survivor: String,
}

#[derive(Debug, Args)]
pub struct AdvocateRevokeArgs {
    /// The token id of the share to withdraw (full, from `vault advocate shares`)
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub token_id: Option<String>,

    /// Withdraw every share of this survivor (a contact's name, or survivor1…)
    #[arg(long, value_name = "SURVIVOR")]
    pub all: Option<String>,
}

#[derive(Debug, Args)]
pub struct GrantArgs {
    /// The fields to share, separated by commas; `needs.*` shares everything under `needs`
    #[arg(long, value_name = "LIST")]
    pub fields: String,

    #[command(flatten)]
    pub audience: Audience,

    /// How long the share lasts (like 30m, 12h, 7d, 2w; at most 90 days), or
    /// until a UTC time (like 2026-12-01 or 2026-12-01T17:00Z)
    #[arg(long, value_name = "DURATION", default_value = "24h")]
    pub expires: String,

    /// How many times it can be used
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub uses: u32,

    /// What it is for, in your words (the agency sees this)
    #[arg(long, value_name = "TEXT")]
    pub purpose: String,

    /// Also save the QR code as a PNG picture (a new file)
    #[arg(long, value_name = "FILE")]
    pub qr_png: Option<PathBuf>,

    /// Also save a printable page as a PNG picture (a new file): a neutral
    /// heading, the QR code, until when it works, how many uses, and the
    /// withdraw id, to hand over on paper
    #[arg(long, value_name = "FILE")]
    pub qr_print: Option<PathBuf>,

    /// Also save the QR code as an SVG picture (a new file)
    #[arg(long, value_name = "FILE")]
    pub qr_svg: Option<PathBuf>,

    /// Also keep a copy of what is sent to the relay (signed token and
    /// sealed share; nothing readable) in this new file
    #[arg(long, value_name = "FILE")]
    pub bundle_out: Option<PathBuf>,

    /// Do not ask before sharing (the summary is still shown)
    #[arg(long)]
    pub yes: bool,
}

/// Who may use a share: exactly one of these must be given.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct Audience {
    /// The agency: a contact's name, or its id (agency1…). Only that agency
    /// can use the share
    #[arg(long, value_name = "NAME_OR_ID")]
    pub to: Option<String>,

    /// Anyone who has the code or link can use it
    #[arg(long)]
    pub anyone: bool,
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

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The new backup file to write (never overwritten; readable only by
    /// you), like folio-2026-12-05.backup
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The backup file (made by `vault export` or the app)
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Remove the fields that cannot be read (after asking)
    #[arg(long)]
    pub repair: bool,

    /// With --repair: remove without asking first
    #[arg(long, requires = "repair")]
    pub yes: bool,
}
