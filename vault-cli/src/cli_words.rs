//! A command line clap could not parse, said as one plain sentence: what
//! is missing or wrong, and what it is for (exit 2, and JSON under
//! `--json` like every other error). clap's own usage text is not shown:
//! its first line lists global options (`--server`) as if they were
//! needed.

use clap::error::{ContextKind, ContextValue, ErrorKind};

use vault_core::msg;

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
        return msg!(
            "words-the-value",
            value = inner.to_lowercase().replace('_', " ")
        );
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
        "--purpose" => msg!("words-missing-purpose"),
        "--fields" => msg!("words-missing-fields"),
        _ if arg.contains("--to") && arg.contains("--anyone") => msg!("words-missing-to"),
        "--out" => msg!("words-missing-out"),
        "<TOKEN_ID>" | "<TOKEN_ID|--all>" | "<TOKEN_ID>|--all" if advocate => {
            msg!("words-missing-token-advocate")
        }
        _ if arg.contains("TOKEN_ID") => msg!("words-missing-token"),
        _ if arg.contains("LINK") => msg!("words-missing-link"),
        "<ADVOCATE>" => msg!("words-missing-advocate"),
        "<SURVIVOR>" => msg!("words-missing-survivor"),
        "<FIELD>" => msg!("words-missing-field"),
        "<NAME>" => msg!("words-missing-name"),
        "<ID>" if agency || advocate => msg!("words-missing-their-id"),
        "<ID>" => msg!("words-missing-id"),
        _ => msg!("words-missing-other", what_cap = name_cap(arg)),
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
                .map_or(String::new(), |s| {
                    format!(" {}", msg!("words-did-you-mean-option", option = name(s)))
                });
            CliError::usage(
                "unknown_option",
                format!(
                    "{}{hint} {}",
                    msg!(
                        "words-unknown-option",
                        option = first.escape_debug().to_string()
                    ),
                    msg!("words-see-options")
                ),
            )
        }
        ErrorKind::InvalidSubcommand => {
            let sub = context(e, ContextKind::InvalidSubcommand);
            let hint = context(e, ContextKind::SuggestedSubcommand)
                .first()
                .map_or(String::new(), |s| {
                    format!(" {}", msg!("words-did-you-mean-command", command = s))
                });
            CliError::usage(
                "unknown_command",
                format!(
                    "{}{hint} {}",
                    msg!(
                        "words-unknown-command",
                        command = sub
                            .first()
                            .map(String::as_str)
                            .unwrap_or("")
                            .escape_debug()
                            .to_string()
                    ),
                    msg!("words-see-commands")
                ),
            )
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let choices = context(e, ContextKind::ValidValue);
            let choices = if choices.is_empty() {
                format!(" {}", msg!("words-see-values"))
            } else {
                format!(
                    " {}",
                    msg!("words-choose-one", choices = choices.join(", "))
                )
            };
            let what = if value.is_empty() {
                msg!("words-needs-value", option = name(first))
            } else {
                msg!(
                    "words-bad-value",
                    value = value.escape_debug().to_string(),
                    option = name(first)
                )
            };
            CliError::usage("bad_value", format!("{what}{choices}"))
        }
        ErrorKind::ArgumentConflict => {
            let other = context(e, ContextKind::PriorArg);
            let other = other
                .first()
                .map_or_else(|| msg!("words-another-option"), |s| name(s));
            CliError::usage(
                "conflicting_options",
                msg!(
                    "words-conflict",
                    option_cap = name_cap(first),
                    other = other
                ),
            )
        }
        ErrorKind::InvalidUtf8 => CliError::usage("bad_text", msg!("words-not-utf8")),
        _ => CliError::usage("bad_command_line", msg!("words-not-understood")),
    }
}
