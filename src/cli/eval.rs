//! `kinerja eval`: the report, on standard output or into a file (`--output`).

use super::args::{DirArg, LocaleArg, WhatIfArgs};
use super::common::{Io, Result, complete_analysis};
use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::analysis::{Analysis, SourceClash};
use crate::base::files::write_atomic;
use crate::base::number::Rounding;
use crate::report::{self, Format, Presentation};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(super) struct EvalArgs {
    #[command(flatten)]
    dir: DirArg,
    #[command(flatten)]
    whatif: WhatIfArgs,
    /// `xlsx`: an Excel workbook, one sheet per table (needs --output).
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    /// Write the report to FILE instead of standard output: whole or not at all (through a
    /// temporary file beside it). Never one of the workspace's own files.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Number format for people: `en` (99.25) or `id` (99,25; Rp28.585.438.802.000).
    /// Defaults to the manifest's `tampilan.format`.
    #[arg(long, value_enum)]
    locale: Option<LocaleArg>,
    /// Decimals shown, overriding the manifest's `tampilan.desimal`.
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=20))]
    decimals: Option<u32>,
    /// Show figures unrounded, at the full precision they were computed with.
    #[arg(long, conflicts_with = "decimals")]
    full_precision: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum OutputFormat {
    Table,
    Json,
    Yaml,
    Markdown,
    Csv,
    /// One self-contained web page (no server, no network), for attaching to a review.
    Html,
    Xlsx,
}

impl OutputFormat {
    /// The usual extension of a file in this format, for hints.
    fn extension(self) -> &'static str {
        match self {
            OutputFormat::Table => "txt",
            OutputFormat::Json => "json",
            OutputFormat::Yaml => "yaml",
            OutputFormat::Markdown => "md",
            OutputFormat::Csv => "csv",
            OutputFormat::Xlsx => "xlsx",
            OutputFormat::Html => "html",
        }
    }
}

pub(super) fn run(args: &EvalArgs, io: &mut Io) -> Result<u8> {
    // Refused before the workspace is read: a binary workbook on a terminal is never what a
    // planner wants, and whoever would pipe it can name the file instead.
    if matches!(args.format, OutputFormat::Xlsx) && args.output.is_none() {
        writeln!(
            io.err,
            "error: --format xlsx writes an Excel workbook, which is a file, not text for a terminal or a pipe\n  hint: give the file to write it to, e.g. --output laporan.xlsx"
        )?;
        return Ok(EXIT_USAGE);
    }
    let Some(a) = complete_analysis(&args.dir, &args.whatif, "report", true, io)? else {
        return Ok(EXIT_PROBLEMS);
    };
    if let Some(path) = &args.output
        && let Some(clash) = a.source_clash(path)
    {
        let (what, elsewhere) = match clash {
            SourceClash::Replaces(file) => (
                format!("would overwrite the workspace's file `{file}`"),
                "to another file",
            ),
            SourceClash::Adds => (
                "would add a file that the workspace reads as its own on the next run".into(),
                "outside the workspace's folders",
            ),
        };
        writeln!(
            io.err,
            "error: --output {} {what}; kinerja never writes to a workspace's own files\n  hint: write the report {elsewhere}, e.g. --output laporan.{}",
            path.display(),
            args.format.extension()
        )?;
        return Ok(EXIT_USAGE);
    }
    let m = &a.workspace.manifest;
    let rounding = if args.full_precision {
        None
    } else {
        Some(Rounding {
            decimals: args.decimals.unwrap_or(m.tampilan.rounding.decimals),
            mode: m.tampilan.rounding.mode,
        })
    };
    let locale = match args.locale {
        Some(l) => l.into(),
        None => m.tampilan.locale,
    };
    // `None`: the workbook, which is bytes rather than text.
    let format = match args.format {
        OutputFormat::Table => Some(Format::Table),
        OutputFormat::Json => Some(Format::Json),
        OutputFormat::Yaml => Some(Format::Yaml),
        OutputFormat::Markdown => Some(Format::Markdown),
        OutputFormat::Csv => Some(Format::Csv),
        OutputFormat::Xlsx => None,
        OutputFormat::Html => Some(Format::Html),
    };
    let p = Presentation {
        rounding,
        locale,
        // A file is laid out as a pipe is, whatever the terminal's width.
        width: if args.output.is_some() {
            super::table_width(false)
        } else {
            io.width
        },
    };
    // The report needs the model and the results only: free the files' text, the rules and
    // the diagnostics first (on a national-size workspace the text is tens of megabytes).
    let Analysis {
        mut workspace,
        hasil,
        rules,
        diagnostics,
        findings,
        root,
        line_files,
        ..
    } = a;
    drop((rules, diagnostics, findings, root, line_files));
    workspace.sources = Default::default();
    let started = std::time::Instant::now();
    let bytes = match format {
        Some(format) if args.output.is_some() => {
            report::render_plain(&workspace, &hasil, format, &p).into_bytes()
        }
        Some(format) => report::render(&workspace, &hasil, format, &p).into_bytes(),
        None => report::xlsx::workbook(&workspace, &hasil, &p)
            .map_err(|e| format!("cannot write the Excel workbook: {e}"))?,
    };
    tracing::debug!(elapsed = ?started.elapsed(), "report rendered");
    match &args.output {
        Some(path) => write_atomic(path, &bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => io.out.write_all(&bytes)?,
    }
    Ok(EXIT_OK)
}
