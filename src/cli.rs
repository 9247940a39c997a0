//! The command line: arguments (clap) and the commands, each a thin layer over the library.
//! Commands write to the streams they are given and return an exit status; nothing below
//! this module prints.

use crate::diagnostic::Diagnostic;
use crate::number::{Locale, Rounding};
use crate::pipeline::{self, Analysis};
use crate::report::{self, Format, Presentation};
use crate::workspace::LoadError;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

/// Exit statuses: 0 clean, 1 problems in the workspace, 2 usage or I/O.
pub const EXIT_OK: u8 = 0;
pub const EXIT_PROBLEMS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "kinerja",
    version,
    about = "Rules engine for Laporan Kinerja (LKj): YAML data, Rhai rules, exact figures"
)]
pub struct Cli {
    /// More log output on stderr (-v: stages and timings, -vv: everything). RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Colour in diagnostics and tables.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate the workspace and print the report.
    Eval(EvalArgs),
    /// Check the workspace and print every problem found.
    Check(CheckArgs),
    /// List every rule with its file, signature and doc comment.
    Rules(DirArg),
    /// Write the evaluated results into snapshots/, or compare them (--check) for CI.
    Snapshot(SnapshotArgs),
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub dir: DirArg,
    /// Compare with the stored snapshots and exit 1 if any figure changed. Never writes.
    #[arg(long, conflicts_with = "accept")]
    pub check: bool,
    /// Update the stored snapshots (the default when --check is not given).
    #[arg(long)]
    pub accept: bool,
}

#[derive(Debug, Args)]
pub struct DirArg {
    /// Workspace directory (the one holding kinerja.yaml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub dir: DirArg,
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Number format for people: `en` (99.25) or `id` (99,25; Rp28.585.438.802.000).
    /// Defaults to the manifest's `tampilan.format`.
    #[arg(long, value_enum)]
    pub locale: Option<LocaleArg>,
    /// Decimals shown, overriding the manifest's `tampilan.desimal`.
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=20))]
    pub decimals: Option<u32>,
    /// Show figures unrounded, at the full precision they were computed with.
    #[arg(long, conflicts_with = "decimals")]
    pub full_precision: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub dir: DirArg,
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// `--deny warnings` makes warnings fail the check too.
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Deny {
    Warnings,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Yaml,
    Markdown,
    Csv,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LocaleArg {
    En,
    Id,
}

/// Where a command writes, and whether it may use colour.
pub struct Io<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub color: bool,
    /// Width for tables.
    pub width: u16,
}

pub fn run(cli: &Cli, io: &mut Io) -> u8 {
    let result = match &cli.command {
        Command::Eval(args) => eval(args, io),
        Command::Check(args) => check(args, io),
        Command::Rules(args) => rules(args, io),
        Command::Snapshot(args) => snapshot(args, io),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(io.err, "error: {e}");
            EXIT_USAGE
        }
    }
}

fn analyze(dir: &DirArg) -> Result<Analysis, LoadError> {
    pipeline::analyze(&dir.dir)
}

fn print_diagnostics(a: &Analysis, diags: &[Diagnostic], io: &mut Io) -> std::io::Result<()> {
    for d in diags {
        writeln!(io.err, "{}\n", d.render(&a.workspace.sources, io.color))?;
    }
    Ok(())
}

fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// Analyzes the workspace for a command that needs complete results. On errors, prints
/// them and a pointer to `check`, and returns `None`; warnings go to stderr in short form.
fn complete_analysis(
    dir: &DirArg,
    what: &str,
    io: &mut Io,
) -> Result<Option<Analysis>, Box<dyn std::error::Error>> {
    let mut a = analyze(dir)?;
    let diags = std::mem::take(&mut a.diagnostics);
    let (errors, warnings) = (diags.error_count(), diags.warning_count());
    let sorted = diags.sorted(&a.workspace.sources);
    if errors > 0 {
        print_diagnostics(&a, &sorted, io)?;
        writeln!(
            io.err,
            "error: the workspace has problems ({}); no {what} was produced\n  hint: run `kinerja check {}` to see them with their places",
            summary(errors, warnings),
            dir.dir.display()
        )?;
        return Ok(None);
    }
    for d in &sorted {
        writeln!(io.err, "{}", d.short(&a.workspace.sources))?;
    }
    Ok(Some(a))
}

fn eval(args: &EvalArgs, io: &mut Io) -> Result<u8, Box<dyn std::error::Error>> {
    let Some(a) = complete_analysis(&args.dir, "report", io)? else {
        return Ok(EXIT_PROBLEMS);
    };
    let hasil = &a.hasil;
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
        Some(LocaleArg::Id) => Locale::Id,
        Some(LocaleArg::En) => Locale::En,
        None => m.tampilan.locale,
    };
    let format = match args.format {
        OutputFormat::Table => Format::Table,
        OutputFormat::Json => Format::Json,
        OutputFormat::Yaml => Format::Yaml,
        OutputFormat::Markdown => Format::Markdown,
        OutputFormat::Csv => Format::Csv,
    };
    let p = Presentation {
        rounding,
        locale,
        width: io.width,
    };
    let started = std::time::Instant::now();
    io.out
        .write_all(report::render(hasil, format, &p).as_bytes())?;
    tracing::debug!(elapsed = ?started.elapsed(), "report rendered");
    Ok(EXIT_OK)
}

fn snapshot(args: &SnapshotArgs, io: &mut Io) -> Result<u8, Box<dyn std::error::Error>> {
    let Some(a) = complete_analysis(&args.dir, "snapshot", io)? else {
        return Ok(EXIT_PROBLEMS);
    };
    let dir = args.dir.dir.join(crate::snapshot::DIR);
    let snapshots = crate::snapshot::render(&a.workspace, &a.hasil);
    let comparison = crate::snapshot::compare(&dir, snapshots)?;
    let out = &mut *io.out;
    let path = |name: &str| format!("{}/{name}", crate::snapshot::DIR);
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
            writeln!(out, "{}", change.diff())?;
        }
    }
    for s in &comparison.added {
        writeln!(
            out,
            "{}: new, {} figures",
            path(&s.file_name()),
            crate::snapshot::parse(&s.body).len()
        )?;
    }
    for (name, _) in &comparison.removed {
        writeln!(out, "{}: no longer produced by the workspace", path(name))?;
    }
    let differing = comparison.changed.len() + comparison.added.len() + comparison.removed.len();
    if args.check {
        if comparison.is_clean() {
            writeln!(out, "ok: {} snapshot files match", comparison.unchanged)?;
            return Ok(EXIT_OK);
        }
        writeln!(
            out,
            "snapshot check failed: {differing} file{} differ{}\n  hint: if the change is intended, run `kinerja snapshot {}` and commit the result",
            if differing == 1 { "" } else { "s" },
            if differing == 1 { "s" } else { "" },
            args.dir.dir.display()
        )?;
        return Ok(EXIT_PROBLEMS);
    }
    if comparison.is_clean() {
        writeln!(
            out,
            "ok: {} snapshot files already up to date",
            comparison.unchanged
        )?;
    } else {
        let touched = crate::snapshot::accept(&dir, &comparison)?;
        writeln!(
            out,
            "updated {} snapshot file{}",
            touched.len(),
            if touched.len() == 1 { "" } else { "s" }
        )?;
    }
    Ok(EXIT_OK)
}

fn check(args: &CheckArgs, io: &mut Io) -> Result<u8, Box<dyn std::error::Error>> {
    let mut a = analyze(&args.dir)?;
    let diags = std::mem::take(&mut a.diagnostics);
    let (errors, warnings) = (diags.error_count(), diags.warning_count());
    let sorted = diags.sorted(&a.workspace.sources);
    match args.format {
        CheckFormat::Text => {
            for d in &sorted {
                writeln!(io.out, "{}\n", d.render(&a.workspace.sources, io.color))?;
            }
            if sorted.is_empty() {
                writeln!(io.out, "ok: no problems found")?;
            } else {
                writeln!(io.out, "{}", summary(errors, warnings))?;
            }
        }
        CheckFormat::Json => {
            io.out
                .write_all(crate::report::json(&diagnostics_tree(&a, &sorted)).as_bytes())?;
        }
    }
    let failed = errors > 0 || (matches!(args.deny, Some(Deny::Warnings)) && warnings > 0);
    Ok(if failed { EXIT_PROBLEMS } else { EXIT_OK })
}

fn diagnostics_tree(a: &Analysis, diags: &[Diagnostic]) -> report::Out {
    use report::Out;
    let sources = &a.workspace.sources;
    Out::List(
        diags
            .iter()
            .map(|d| {
                let place = |span: crate::source::Span| {
                    let start = sources.line_col(span.file, span.start);
                    let end = sources.line_col(span.file, span.end);
                    vec![
                        ("file", Out::Str(sources.path(span.file).to_string())),
                        ("line", Out::Num(start.line.to_string())),
                        ("column", Out::Num(start.column.to_string())),
                        ("end_line", Out::Num(end.line.to_string())),
                        ("end_column", Out::Num(end.column.to_string())),
                    ]
                };
                let mut m = vec![
                    ("code", Out::Str(d.code.as_str().into())),
                    ("severity", Out::Str(d.severity.name().into())),
                    ("message", Out::Str(d.message.clone())),
                ];
                match &d.primary {
                    Some(p) => {
                        m.extend(place(p.span));
                        m.push(("label", Out::Str(p.text.clone())));
                    }
                    None => m.push(("file", Out::Null)),
                }
                m.push(("hint", d.hint.clone().map_or(Out::Null, Out::Str)));
                m.push((
                    "related",
                    Out::List(
                        d.secondary
                            .iter()
                            .map(|l| {
                                let mut r = place(l.span);
                                r.push(("label", Out::Str(l.text.clone())));
                                Out::Map(r)
                            })
                            .collect(),
                    ),
                ));
                Out::Map(m)
            })
            .collect(),
    )
}

fn rules(args: &DirArg, io: &mut Io) -> Result<u8, Box<dyn std::error::Error>> {
    let a = analyze(args)?;
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

/// The width tables are laid out for: the terminal's, or a fixed 120 when output is not a
/// terminal, so that piped and snapshotted output is the same everywhere.
pub fn table_width(stdout_is_terminal: bool) -> u16 {
    if stdout_is_terminal && let Some(w) = comfy_table::Table::new().width() {
        return w;
    }
    120
}
