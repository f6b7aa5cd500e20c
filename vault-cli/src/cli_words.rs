//! A command line clap could not parse, said as one plain sentence: what
//! is missing or wrong, and what it is for (exit 2, and JSON under
//! `--json` like every other error). clap's own usage text is not shown:
//! its first line lists global options (`--server`) as if they were
//! needed.

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::error::CliError;

/// The context value `kind` of `e` as strings.
fn context(e: &clap::Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        _ => Vec::new(),
    }
}

/// The option's name as typed: `--purpose <TEXT>` → `--purpose`; a
/// value without an option (`[TOKEN_ID]`) → `the token id`.
fn name(arg: &str) -> String {
    let first = arg.split_whitespace().next().unwrap_or(arg);
    if first.starts_with(['<', '[']) {
        let inner = first.trim_matches(['<', '>', '[', ']', '.']);
        return format!("the {}", inner.to_lowercase().replace('_', " "));
    }
    first.to_owned()
}

/// [`name`] with a capital letter, to start a sentence.
fn name_cap(arg: &str) -> String {
    let n = name(arg);
    let mut c = n.chars();
    c.next()
        .map_or(n.clone(), |f| f.to_uppercase().chain(c).collect())
}

/// What a missing option is for, and how to give it. `args` is the
/// command line (to tell the survivor's and the advocate's commands apart).
fn missing(arg: &str, args: &[String]) -> String {
    let advocate = args.iter().any(|a| a == "advocate");
    let agency = args.iter().any(|a| a == "agency");
    let n = arg.split_whitespace().next().unwrap_or(arg);
    match n {
        "--purpose" => "Say what the share is for with --purpose, for example --purpose \"housing application\".".to_owned(),
        "--fields" => "Say which fields to share with --fields, for example --fields needs.housing (`vault ls` lists what you saved).".to_owned(),
        _ if arg.contains("--to") && arg.contains("--anyone") => "Say who may use the share: --to with an agency's contact name or id, or --anyone for whoever holds the code.".to_owned(),
        "--out" => "Say where to save the key file with --out, for example --out agency.vaultkey.".to_owned(),
        "<TOKEN_ID>" | "<TOKEN_ID|--all>" | "<TOKEN_ID>|--all" if advocate => "Say which share to withdraw: its token id from `vault advocate shares`, or --all with the person's contact name or id for all of their shares.".to_owned(),
        _ if arg.contains("TOKEN_ID") => "Say which share to withdraw: its token id from `vault grants`, or --all for all of your shares.".to_owned(),
        _ if arg.contains("LINK") => "Give the share link (or - to read it from standard input), or --image with a picture of its QR code.".to_owned(),
        "<ADVOCATE>" => "Say which advocate: a contact's name, or their id (advocate1…).".to_owned(),
        "<SURVIVOR>" => "Say whose shares: a contact's name, or their id (survivor1…).".to_owned(),
        "<FIELD>" => "Give the field name, like needs.housing (`vault ls` lists what you saved).".to_owned(),
        "<NAME>" => "Give the contact's name, like \"Housing North\".".to_owned(),
        "<ID>" if agency || advocate => "Give their id, or the text of their QR code.".to_owned(),
        "<ID>" => "Give their id (agency1… or advocate1…), or the text of their QR code.".to_owned(),
        _ => format!("{} is missing. Run the command with --help to see what it needs.", name_cap(arg)),
    }
}

/// clap's error as a [`CliError`] (exit 2).
pub fn from_clap(e: &clap::Error, args: &[String]) -> CliError {
    let arg = context(e, ContextKind::InvalidArg);
    let first = arg.first().map(String::as_str).unwrap_or("");
    let value = context(e, ContextKind::InvalidValue);
    let value = value.first().map(String::as_str).unwrap_or("");
    match e.kind() {
        ErrorKind::MissingRequiredArgument => {
            // Each missing choice, in the order clap lists them.
            let all: Vec<String> = arg.iter().map(|a| missing(a, args)).collect();
            CliError::usage("missing_option", all.join(" "))
        }
        ErrorKind::UnknownArgument => {
            let hint = context(e, ContextKind::SuggestedArg)
                .first()
                .map_or(String::new(), |s| format!(" Did you mean {}?", name(s)));
            CliError::usage(
                "unknown_option",
                format!(
                    "This command has no option `{}`.{hint} Run it with --help to see its options.",
                    first.escape_debug()
                ),
            )
        }
        ErrorKind::InvalidSubcommand => {
            let sub = context(e, ContextKind::InvalidSubcommand);
            let hint = context(e, ContextKind::SuggestedSubcommand)
                .first()
                .map_or(String::new(), |s| format!(" Did you mean `{s}`?"));
            CliError::usage(
                "unknown_command",
                format!(
                    "There is no command `{}`.{hint} Run vault --help to see the commands.",
                    sub.first().map(String::as_str).unwrap_or("").escape_debug()
                ),
            )
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let choices = context(e, ContextKind::ValidValue);
            let choices = if choices.is_empty() {
                " Run the command with --help to see what it takes.".to_owned()
            } else {
                format!(" Choose one of: {}.", choices.join(", "))
            };
            let what = if value.is_empty() {
                format!("{} needs a value.", name(first))
            } else {
                format!(
                    "`{}` is not a usable value for {}.",
                    value.escape_debug(),
                    name(first)
                )
            };
            CliError::usage("bad_value", format!("{what}{choices}"))
        }
        ErrorKind::ArgumentConflict => {
            let other = context(e, ContextKind::PriorArg);
            let other = other.first().map_or("another option".to_owned(), |s| name(s));
            CliError::usage(
                "conflicting_options",
                format!(
                    "{} and {other} cannot be used together; give one or the other.",
                    name_cap(first)
                ),
            )
        }
        ErrorKind::InvalidUtf8 => CliError::usage(
            "bad_text",
            "One of the words given is not readable text (it is not UTF-8), so nothing was done. Type it again with the keyboard, or check how it was pasted.",
        ),
        _ => CliError::usage(
            "bad_command_line",
            "This command line could not be understood. Run the command with --help to see how to use it.",
        ),
    }
}
