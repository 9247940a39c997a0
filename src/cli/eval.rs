//! `kinerja eval`: the report.

use super::args::{DirArg, LocaleArg, WhatIfArgs};
use super::common::{Io, Result, complete_analysis};
use super::{EXIT_OK, EXIT_PROBLEMS};
use crate::analysis::Analysis;
use crate::base::number::Rounding;
use crate::report::{self, Format, Presentation};
use clap::{Args, ValueEnum};

#[derive(Debug, Args)]
pub(super) struct EvalArgs {
    #[command(flatten)]
    dir: DirArg,
    #[command(flatten)]
    whatif: WhatIfArgs,
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
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
}

pub(super) fn run(args: &EvalArgs, io: &mut Io) -> Result<u8> {
    let Some(a) = complete_analysis(&args.dir, &args.whatif, "report", true, io)? else {
        return Ok(EXIT_PROBLEMS);
    };
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
    let format = match args.format {
        OutputFormat::Table => Format::Table,
        OutputFormat::Json => Format::Json,
        OutputFormat::Yaml => Format::Yaml,
        OutputFormat::Markdown => Format::Markdown,
        OutputFormat::Csv => Format::Csv,
        OutputFormat::Html => Format::Html,
    };
    let p = Presentation {
        rounding,
        locale,
        width: io.width,
    };
    // The report needs the model and the results only: free the files' text, the rules and
    // the diagnostics first (on a national-size workspace the text is tens of megabytes).
    let Analysis {
        mut workspace,
        hasil,
        rules,
        diagnostics,
        findings,
        ..
    } = a;
    drop((rules, diagnostics, findings));
    workspace.sources = Default::default();
    let started = std::time::Instant::now();
    let text = report::render(&workspace, &hasil, format, &p);
    tracing::debug!(elapsed = ?started.elapsed(), "report rendered");
    io.out.write_all(text.as_bytes())?;
    Ok(EXIT_OK)
}
