//! `kinerja snapshot`: the figures stored for CI, or compared with what is stored.

use super::args::{DirArg, WhatIfArgs};
use super::common::{Io, Result, complete_analysis};
use super::{EXIT_OK, EXIT_PROBLEMS};
use crate::snapshot;
use clap::Args;
use std::io::Write as _;

#[derive(Debug, Args)]
pub(super) struct SnapshotArgs {
    #[command(flatten)]
    dir: DirArg,
    #[command(flatten)]
    whatif: WhatIfArgs,
    /// Compare with the stored snapshots and exit 1 if any figure changed. Never writes.
    #[arg(long, conflicts_with = "accept")]
    check: bool,
    /// Update the stored snapshots (the default when --check is not given).
    #[arg(long)]
    accept: bool,
}

pub(super) fn run(args: &SnapshotArgs, io: &mut Io) -> Result<u8> {
    let Some(a) = complete_analysis(&args.dir, &args.whatif, "snapshot", true, io)? else {
        return Ok(EXIT_PROBLEMS);
    };
    // A report as of a period keeps its own set, `snapshots/TW2/`.
    let set = match a.workspace.manifest.periode.laporan {
        Some(p) => format!("{}/{}", snapshot::DIR, p.kode()),
        None => snapshot::DIR.to_string(),
    };
    let dir = args.dir.dir.join(&set);
    let snapshots = snapshot::render(&a.workspace, &a.hasil, &a.findings);
    let comparison = snapshot::compare(&dir, snapshots)?;
    // One write per block, not per line: a check may list a figure per indikator.
    let out = &mut std::io::BufWriter::with_capacity(1 << 16, &mut *io.out);
    let path = |name: &str| format!("{set}/{name}");
    if !args.check {
        for removed in snapshot::remove_stale_temporaries(&dir)? {
            let name = removed.file_name().unwrap_or_default().to_string_lossy();
            writeln!(
                out,
                "{}: removed, a temporary file left by an interrupted run",
                path(&name)
            )?;
        }
    }
    for change in &comparison.changed {
        let figures = change.figures();
        writeln!(
            out,
            "{}: {} figure{} changed",
            path(&change.new.file_name()),
            figures.len(),
            if figures.len() == 1 { "" } else { "s" }
        )?;
        for f in &figures {
            let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
            let file = f
                .file
                .as_ref()
                .map(|p| format!("  ({p})"))
                .unwrap_or_default();
            writeln!(
                out,
                "  {} {}: {} → {}{file}",
                f.id,
                f.ukuran,
                value(&f.old),
                value(&f.new)
            )?;
        }
        if args.check {
            writeln!(out, "{}", change.diff(&set))?;
        }
    }
    for s in &comparison.added {
        writeln!(
            out,
            "{}: new, {} figures",
            path(&s.file_name()),
            s.lines.len()
        )?;
    }
    for (name, _) in &comparison.removed {
        writeln!(out, "{}: no longer produced by the workspace", path(name))?;
    }
    let differing = comparison.changed.len() + comparison.added.len() + comparison.removed.len();
    if args.check {
        if comparison.is_clean() {
            writeln!(out, "ok: {} snapshot files match", comparison.unchanged)?;
            out.flush()?;
            return Ok(EXIT_OK);
        }
        writeln!(
            out,
            "snapshot check failed: {differing} file{} differ{}\n  hint: if the change is intended, run `kinerja snapshot {}` and commit the result",
            if differing == 1 { "" } else { "s" },
            if differing == 1 { "s" } else { "" },
            args.dir.dir.display()
        )?;
        out.flush()?;
        return Ok(EXIT_PROBLEMS);
    }
    if comparison.is_clean() {
        writeln!(
            out,
            "ok: {} snapshot files already up to date",
            comparison.unchanged
        )?;
    } else {
        let touched = snapshot::accept(&dir, &comparison)?;
        writeln!(
            out,
            "updated {} snapshot file{}",
            touched.len(),
            if touched.len() == 1 { "" } else { "s" }
        )?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}
