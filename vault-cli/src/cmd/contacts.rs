//! `vault contacts add|ls|rm`, and reading a contact's name wherever an id
//! is accepted.

use serde_json::json;
use vault_core::contacts::{self, Contact, ContactError};
use vault_core::display::visible;
use vault_core::{msg, time, PublicId, Role, Vault};

use super::{printed, sentence};
use crate::cli::{ContactsAddArgs, ContactsCommand, ContactsRmArgs};
use crate::error::CliError;
use crate::Ctx;

/// A contact problem as the person sees it.
pub fn error(e: ContactError) -> CliError {
    match e {
        ContactError::Vault(v) => v.into(),
        ContactError::NotFound(_) => {
            CliError::usage("no_contact", sentence(visible(&e.to_string())))
        }
        ContactError::Exists(_) => {
            CliError::usage("contact_exists", sentence(visible(&e.to_string())))
        }
        ContactError::Id(_) | ContactError::NotAContactRole { .. } => {
            CliError::usage("bad_id", sentence(&e))
        }
        other => CliError::usage("bad_contact", sentence(visible(&other.to_string()))),
    }
}

/// Where an id of `role` is accepted: an id is checked now (a typo never
/// costs a passphrase); a name is `None`, to be looked up in the vault.
pub fn early(text: &str, role: Role) -> Result<Option<PublicId>, CliError> {
    if contacts::looks_like_id(text) {
        return PublicId::parse(text, role)
            .map(Some)
            .map_err(|e| CliError::usage("bad_id", sentence(e)));
    }
    Ok(None)
}

/// The id `text` names (an id, or a contact's name), and how to show it to
/// the survivor: `Name (agency1xyg6cus3…)` for a contact, else the id.
/// The `bool` says whether it is one of their contacts.
pub fn resolve(
    vault: &Vault,
    text: &str,
    role: Role,
) -> Result<(PublicId, String, bool), CliError> {
    let id = contacts::resolve(vault, text, role).map_err(|e| {
        let mut err = error(e);
        if vault.identity().role() == Role::Advocate {
            err.message = err
                .message
                .replace("`vault contacts ls`", "`vault advocate contacts ls`");
        }
        err
    })?;
    let (all, _) = contacts::list(vault)?;
    let known = contacts::named(&all, &id).is_some();
    Ok((id, contacts::show(&all, &id), known))
}

/// A note for an id that is not one of the survivor's contacts.
pub fn unknown_note(id: &PublicId) -> String {
    msg!(
        "contact-not-yours",
        id = id.to_string(),
        role = match id.role() {
            Role::Advocate => "advocate",
            _ => "agency",
        }
    )
}

/// `vault contacts …` (`keeper` = survivor) or `vault advocate contacts …`.
pub fn run(ctx: &Ctx, keeper: Role, c: &ContactsCommand) -> Result<(), CliError> {
    match c {
        ContactsCommand::Add(args) => add(ctx, keeper, args),
        ContactsCommand::Ls => ls(ctx, keeper),
        ContactsCommand::Rm(args) => rm(ctx, keeper, args),
    }
}

fn add(ctx: &Ctx, keeper: Role, args: &ContactsAddArgs) -> Result<(), CliError> {
    // Both checked before the passphrase is asked.
    let name = contacts::parse_name(&args.name).map_err(error)?;
    let text = match (&args.id, &args.image) {
        (Some(id), _) => id.clone(),
        (None, Some(picture)) => super::qr_text_from_picture(picture, "id")?,
        // clap asks for one of the two.
        (None, None) => return Err(CliError::usage("bad_arguments", msg!("contact-needs-id"))),
    };
    let id = contacts::parse_id(&text, keeper).map_err(error)?;
    let vault = ctx.open_vault(keeper)?;
    let (all, _) = contacts::list(&vault)?;
    let same = contacts::named(&all, &id).map(|c| c.name.clone());
    let contact = contacts::add(&vault, &name, &id, time::now()).map_err(error)?;
    let label = contact.label();
    let use_it = match (keeper, id.role()) {
        (Role::Advocate, Role::Survivor) => {
            format!("vault advocate shares \"{}\"", visible(&contact.name))
        }
        (Role::Advocate, _) => msg!("contact-use-shares-by-name"),
        (_, Role::Advocate) => format!("vault delegate \"{}\"", visible(&contact.name)),
        _ => format!("vault grant --to \"{}\" …", visible(&contact.name)),
    };
    ctx.out
        .note(&msg!("contact-added", label = &label, use_it = &use_it));
    if let Some(other) = same {
        ctx.out.note(&msg!(
            "contact-same-id",
            other = visible(&other).into_owned(),
            role = id.role().prefix()
        ));
    }
    printed(ctx.out.result(row(&contact), None))
}

fn row(c: &Contact) -> serde_json::Value {
    let id = c.id();
    json!({
        "name": c.name,
        "role": id.map(|i| i.role().prefix()),
        "id": id.map(|i| i.to_string()),
        "fingerprint": id.map(|i| contacts::fingerprint(&i)),
        "added": c.added,
    })
}

fn ls(ctx: &Ctx, keeper: Role) -> Result<(), CliError> {
    let vault = ctx.open_vault(keeper)?;
    let (all, unreadable) = contacts::list(&vault)?;
    if unreadable > 0 {
        ctx.out
            .note(&msg!("contacts-unreadable", count = unreadable));
    }
    let json = json!({ "contacts": all.iter().map(row).collect::<Vec<_>>() });
    if all.is_empty() {
        ctx.out.note(&msg!("contacts-none"));
        return printed(ctx.out.result(json, None));
    }
    let human: Vec<String> = all
        .iter()
        .filter_map(|c| {
            let id = c.id()?;
            Some(format!(
                "{}\n  {}  {id}",
                visible(&c.name),
                id.role().prefix()
            ))
        })
        .collect();
    printed(ctx.out.result(json, Some(&human.join("\n"))))
}

fn rm(ctx: &Ctx, keeper: Role, args: &ContactsRmArgs) -> Result<(), CliError> {
    let vault = ctx.open_vault(keeper)?;
    let gone = contacts::remove(&vault, &args.name).map_err(error)?;
    ctx.out.note(&msg!("contact-removed", label = gone.label()));
    printed(ctx.out.result(json!({ "removed": row(&gone) }), None))
}
