//! `kinerja check`: every problem in the workspace.

use super::args::{DirArg, TextOrJson, WhatIfArgs};
use super::common::{Io, Result, analyze, summary};
use super::{EXIT_OK, EXIT_PROBLEMS};
use crate::report::diagnostics;
use clap::{Args, ValueEnum};

#[derive(Debug, Args)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    dir: DirArg,
    #[command(flatten)]
    whatif: WhatIfArgs,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
    /// `--deny warnings` makes warnings fail the check too.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Deny {
    Warnings,
}

pub(super) fn run(args: &CheckArgs, io: &mut Io) -> Result<u8> {
    let a = analyze(&args.dir, &args.whatif)?;
    let (errors, warnings) = (a.diagnostics.error_count(), a.diagnostics.warning_count());
    let sorted = a.sorted_diagnostics();
    let sources = &a.workspace.sources;
    match args.format {
        TextOrJson::Text => {
            for d in &sorted {
                writeln!(io.out, "{}\n", d.render(sources, io.color))?;
            }
            // Printed figures of another period: not problems, but said once.
            if let Some(note) = crate::audit::other_periods_note(&a.workspace) {
                writeln!(io.out, "note: {note}\n")?;
            }
            if sorted.is_empty() {
                writeln!(io.out, "ok: no problems found")?;
            } else {
                writeln!(io.out, "{}", summary(errors, warnings))?;
            }
        }
        TextOrJson::Json => io
            .out
            .write_all(diagnostics::json(sources, &sorted).as_bytes())?,
    }
    let failed = errors > 0 || (matches!(args.deny, Some(Deny::Warnings)) && warnings > 0);
    Ok(if failed { EXIT_PROBLEMS } else { EXIT_OK })
}
