//! What the commands share: where they write, and analysing a workspace the way a command
//! that needs complete results does.

use super::args::{DirArg, TextOrJson, WhatIfArgs};
use crate::analysis::{self, Analysis};
use crate::base::diagnostic::Diagnostic;

/// Where a command writes, and whether it may use colour.
pub struct Io<'a> {
    pub out: &'a mut dyn std::io::Write,
    pub err: &'a mut dyn std::io::Write,
    pub color: bool,
    /// Width for tables.
    pub width: u16,
}

pub(super) type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

pub(super) fn analyze(
    dir: &DirArg,
    whatif: &WhatIfArgs,
) -> std::result::Result<Analysis, analysis::Error> {
    analysis::analyze(&dir.dir, &whatif.run_options())
}

pub(super) fn print_diagnostics(
    a: &Analysis,
    diags: &[Diagnostic],
    io: &mut Io,
) -> std::io::Result<()> {
    for d in diags {
        writeln!(io.err, "{}\n", d.render(&a.workspace.sources, io.color))?;
    }
    Ok(())
}

pub(super) fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// Analyzes the workspace for a command that needs complete results. On errors, prints
/// them and a pointer to `check`, and returns `None`; warnings go to stderr in short form.
pub(super) fn complete_analysis(
    dir: &DirArg,
    whatif: &WhatIfArgs,
    what: &str,
    mention_findings: bool,
    io: &mut Io,
) -> Result<Option<Analysis>> {
    let a = analyze(dir, whatif)?;
    let diags = &a.diagnostics;
    let (errors, warnings) = (diags.error_count(), diags.warning_count());
    if errors > 0 {
        let sorted = a.sorted_diagnostics();
        print_diagnostics(&a, &sorted, io)?;
        writeln!(
            io.err,
            "error: the workspace has problems ({}); no {what} was produced\n  hint: run `kinerja check {}` to see them with their places",
            summary(errors, warnings),
            dir.dir.display()
        )?;
        return Ok(None);
    }
    let findings = a.findings.iter().filter(|f| !f.is_known()).count();
    let other = warnings - findings;
    if other > 0 {
        writeln!(
            io.err,
            "warning: the workspace has {}; run `kinerja check {}` to see them",
            summary(0, other).trim_start_matches("0 errors, "),
            dir.dir.display()
        )?;
    }
    // With what-if overrides the printed figures are expected to disagree.
    if findings > 0 && mention_findings && whatif.set.is_empty() {
        writeln!(
            io.err,
            "warning: {findings} printed figure{} disagree{} with the computed ones; run `kinerja audit {}` to see them",
            if findings == 1 { "" } else { "s" },
            if findings == 1 { "s" } else { "" },
            dir.dir.display()
        )?;
    }
    Ok(Some(a))
}

/// Writes a result for people or as JSON, building only the one asked for.
pub(super) fn write_as(
    io: &mut Io,
    format: TextOrJson,
    text: impl FnOnce() -> String,
    json: impl FnOnce() -> String,
) -> std::io::Result<()> {
    match format {
        TextOrJson::Text => io.out.write_all(text().as_bytes()),
        TextOrJson::Json => io.out.write_all(json().as_bytes()),
    }
}
