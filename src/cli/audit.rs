//! `kinerja audit`: every printed figure that disagrees with the computed one.

use super::args::{DirArg, TextOrJson, WhatIfArgs};
use super::common::{Io, Result, complete_analysis};
use super::{EXIT_OK, EXIT_PROBLEMS};
use crate::audit::Finding;
use crate::base::diagnostic::Diagnostic;
use crate::report::diagnostics;
use clap::Args;

#[derive(Debug, Args)]
pub(super) struct AuditArgs {
    #[command(flatten)]
    dir: DirArg,
    #[command(flatten)]
    whatif: WhatIfArgs,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
}

pub(super) fn run(args: &AuditArgs, io: &mut Io) -> Result<u8> {
    let Some(a) = complete_analysis(&args.dir, &args.whatif, "audit", false, io)? else {
        return Ok(EXIT_PROBLEMS);
    };
    let diags: Vec<Diagnostic> = a.findings.iter().map(Finding::to_diagnostic).collect();
    let known = a.findings.iter().filter(|f| f.is_known()).count();
    let open = a.findings.len() - known;
    let sources = &a.workspace.sources;
    match args.format {
        TextOrJson::Text => {
            for d in &diags {
                writeln!(io.out, "{}\n", d.render(sources, io.color))?;
            }
            // Printed figures of another period: not problems, but said once.
            if let Some(note) = crate::audit::other_periods_note(&a.workspace) {
                writeln!(io.out, "note: {note}\n")?;
            }
            if a.findings.is_empty() {
                writeln!(
                    io.out,
                    "ok: every printed figure agrees with the computed one"
                )?;
            } else {
                writeln!(
                    io.out,
                    "{} finding{} ({open} open, {known} known)",
                    a.findings.len(),
                    if a.findings.len() == 1 { "" } else { "s" }
                )?;
            }
        }
        TextOrJson::Json => io
            .out
            .write_all(diagnostics::json(sources, &diags).as_bytes())?,
    }
    Ok(if open > 0 { EXIT_PROBLEMS } else { EXIT_OK })
}
