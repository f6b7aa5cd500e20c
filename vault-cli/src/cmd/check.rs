//! `vault check [--repair]`: read everything saved, say what is damaged,
//! and (after asking) remove the fields that cannot be read.
//!
//! Exit 0 when everything reads; exit 7 (`damaged`) when something is
//! still damaged afterwards. With `--json` the one object on standard
//! output is the report, whatever the exit code.

use serde_json::json;
use vault_core::CheckReport;

use super::printed;
use crate::cli::CheckArgs;
use crate::error::{CliError, Code};
use crate::output::confirm;
use crate::Ctx;

pub fn run(ctx: &Ctx, args: &CheckArgs) -> Result<(), CliError> {
    let vault = ctx.open_vault(vault_core::Role::Survivor)?;
    let mut report = vault.check()?;
    let fields = report.damaged_documents.len() + report.damaged_records;
    let mut removed = 0;
    if args.repair && fields > 0 {
        let question = format!(
            "Remove the {fields} damaged field(s)? Nobody can read them any more, and they cannot be brought back."
        );
        if !args.yes && !confirm(&question, "--yes")? {
            return Err(CliError::cancelled());
        }
        removed = vault.remove_damaged()?;
        ctx.out
            .note(&format!("Removed {removed} damaged field(s)."));
        report = vault.check()?;
    }
    printed(
        ctx.out
            .result(to_json(&report, removed), Some(&human(&report))),
    )?;
    if report.is_whole() {
        return Ok(());
    }
    let mut advice = Vec::new();
    if !report.damaged_documents.is_empty() || report.damaged_records > 0 {
        advice.push("To keep a damaged field, save it again with `vault put --replace FIELD`; to remove the fields that cannot be read, run `vault check --repair`.");
    }
    if report.damaged_other > 0 {
        advice.push("Damaged share records stay as they are; `vault revoke --all` still withdraws every share at the relay.");
    }
    ctx.out.note(&advice.join(" "));
    // The report is the result: only the exit code is left to give.
    Err(CliError::new(Code::Damaged, "reported", ""))
}

fn to_json(r: &CheckReport, removed: usize) -> serde_json::Value {
    json!({
        "whole": r.is_whole(),
        "readable": r.readable.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(),
        "damaged_documents": r.damaged_documents.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        "damaged_unnamed": r.damaged_records,
        "damaged_other": r.damaged_other,
        "removed": removed,
    })
}

fn human(r: &CheckReport) -> String {
    let mut lines = Vec::new();
    let damaged = r.damaged_documents.len() + r.damaged_records;
    lines.push(if damaged == 0 {
        format!(
            "All {} saved field(s) read correctly, documents to their last byte.",
            r.readable.len()
        )
    } else {
        format!("{} saved field(s) read correctly.", r.readable.len())
    });
    for p in &r.damaged_documents {
        lines.push(format!("{p} is damaged: its document cannot be read."));
    }
    if r.damaged_records > 0 {
        lines.push(format!(
            "{} field(s) are damaged and cannot be read; their names are kept inside them, so they cannot be shown.",
            r.damaged_records
        ));
    }
    if r.damaged_other > 0 {
        lines.push(format!(
            "{} saved share or relay record(s) are damaged and cannot be read.",
            r.damaged_other
        ));
    }
    lines.join("\n")
}
