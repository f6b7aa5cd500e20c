//! `vault check [--repair]`: read everything saved, say what is damaged,
//! and (after asking) remove the fields that cannot be read.
//!
//! Exit 0 when everything reads; exit 7 (`damaged`) when something is
//! still damaged afterwards. With `--json` the one object on standard
//! output is the report, whatever the exit code.

use serde_json::json;
use vault_core::{msg, CheckReport};

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
        let question = msg!("check-remove-question", fields = fields);
        if !args.yes && !confirm(&question, "--yes")? {
            return Err(CliError::cancelled());
        }
        removed = vault.remove_damaged()?;
        ctx.out.note(&msg!("check-removed", removed = removed));
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
        advice.push(msg!("check-advice-fields"));
    }
    if report.damaged_other > 0 {
        advice.push(msg!("check-advice-other"));
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
        msg!("check-all-read", count = r.readable.len())
    } else {
        msg!("check-some-read", count = r.readable.len())
    });
    for p in &r.damaged_documents {
        lines.push(msg!("check-document-damaged", path = p.as_str()));
    }
    if r.damaged_records > 0 {
        lines.push(msg!("check-records-damaged", count = r.damaged_records));
    }
    if r.damaged_other > 0 {
        lines.push(msg!("check-other-damaged", count = r.damaged_other));
    }
    lines.join("\n")
}
