//! `kinerja rules`: every rule with its file, line, signature and doc comment.

use super::args::{DirArg, WhatIfArgs};
use super::common::{Io, Result, analyze, print_diagnostics};
use super::{EXIT_OK, EXIT_PROBLEMS};
use crate::base::diagnostic::Diagnostic;

pub(super) fn run(args: &DirArg, io: &mut Io) -> Result<u8> {
    let a = analyze(args, &WhatIfArgs::default())?;
    let sources = &a.workspace.sources;
    for r in a.rules.all() {
        writeln!(io.out, "{}  ({})", r.signature(), sources.location(r.span))?;
        for line in r.doc.lines() {
            writeln!(io.out, "    {line}")?;
        }
        writeln!(io.out)?;
    }
    let rule_errors: Vec<Diagnostic> = a
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str().starts_with('R'))
        .cloned()
        .collect();
    print_diagnostics(&a, &rule_errors, io)?;
    Ok(if rule_errors.iter().any(Diagnostic::is_error) {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    })
}
