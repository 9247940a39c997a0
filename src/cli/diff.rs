//! `kinerja diff`: what changed between two workspaces, or since a git revision.

use super::args::{DirArg, TextOrJson, WhatIfArgs};
use super::common::{Io, Result, complete_analysis, write_as};
use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::diff;
use crate::report;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(super) struct DiffArgs {
    /// The workspace before (with --rev: the workspace to compare with its past).
    a: Option<PathBuf>,
    /// The workspace after.
    b: Option<PathBuf>,
    /// Compare the workspace (A, default `.`) as it was at this git revision with how it is
    /// now. A revision only (a commit, branch or tag, e.g. HEAD~1): never starts with `-`.
    #[arg(long, conflicts_with = "b", value_name = "REV", value_parser = revision)]
    rev: Option<String>,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
}

/// A revision as the user wrote it; what would reach git as an option is a usage error.
fn revision(text: &str) -> std::result::Result<String, String> {
    diff::refuse_option(text).map(|()| text.to_string())
}

pub(super) fn run(args: &DiffArgs, io: &mut Io) -> Result<u8> {
    let (before_dir, after_dir, revision) = match (&args.rev, &args.a, &args.b) {
        (Some(rev), a, None) => {
            let dir = a.clone().unwrap_or_else(|| PathBuf::from("."));
            let tmp =
                diff::checkout_revision(&dir, rev).map_err(|e| format!("--rev {rev}: {e}"))?;
            (tmp.path().to_path_buf(), dir, Some(tmp))
        }
        (None, Some(a), Some(b)) => (a.clone(), b.clone(), None),
        _ => {
            writeln!(
                io.err,
                "error: give two workspaces (`kinerja diff A B`) or a revision (`kinerja diff --rev HEAD~1 [DIR]`)"
            )?;
            return Ok(EXIT_USAGE);
        }
    };
    let label = |p: &PathBuf| {
        if revision.is_some() && p == &before_dir {
            format!("revision {}", args.rev.clone().unwrap_or_default())
        } else {
            p.display().to_string()
        }
    };
    let mut analyses = Vec::new();
    for dir in [&before_dir, &after_dir] {
        let Some(a) = complete_analysis(
            &DirArg { dir: dir.clone() },
            &WhatIfArgs::default(),
            "diff",
            false,
            io,
        )?
        else {
            writeln!(io.err, "  (in {})", label(dir))?;
            return Ok(EXIT_PROBLEMS);
        };
        analyses.push(a);
    }
    let (a, b) = (&analyses[0], &analyses[1]);
    let d = diff::diff((&a.workspace, &a.hasil), (&b.workspace, &b.hasil));
    let text = || {
        format!(
            "--- {}\n+++ {}\n{}",
            label(&before_dir),
            label(&after_dir),
            report::diff::text(&d)
        )
    };
    write_as(io, args.format, text, || report::diff::json(&d))?;
    Ok(EXIT_OK)
}
