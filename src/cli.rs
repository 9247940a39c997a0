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
    /// Compare the figures the report printed with the computed ones, and list every
    /// disagreement.
    Audit(AuditArgs),
    /// Show where a figure comes from: its inputs, rules and rounding, as a tree.
    Explain(ExplainArgs),
    /// Compare two workspaces (or a workspace with a git revision of itself): changed
    /// definitions and changed figures.
    Diff(DiffArgs),
    /// Re-evaluate on every save and show what changed (live preview).
    Watch(WatchArgs),
    /// Write a synthetic workspace of a given size (for benchmarks and tests).
    Gen(GenArgs),
}

#[derive(Debug, Args)]
pub struct GenArgs {
    /// Directory to write into (created if needed).
    pub dir: PathBuf,
    #[arg(long, default_value_t = 90)]
    pub institutions: u32,
    #[arg(long, default_value_t = 100_000)]
    pub indicators: u32,
    #[arg(long, default_value_t = 1_000)]
    pub files: u32,
    #[arg(long, default_value_t = 10)]
    pub indicators_per_sasaran: u32,
    #[arg(long, default_value_t = 1_000_000)]
    pub budget_lines: u64,
    #[arg(long, default_value_t = 2022)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub dir: DirArg,
    #[command(flatten)]
    pub whatif: WhatIfArgs,
    /// `json`: one JSON object per run on stdout, newline-delimited.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Milliseconds the files must stay quiet before a run.
    #[arg(long, default_value_t = crate::watch::DEFAULT_DEBOUNCE_MS, value_parser = clap::value_parser!(u64).range(0..=10_000))]
    pub debounce: u64,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The workspace before (with --rev: the workspace to compare with its past).
    pub a: Option<PathBuf>,
    /// The workspace after.
    pub b: Option<PathBuf>,
    /// Compare the workspace (A, default `.`) as it was at this git revision with how it is now.
    #[arg(long, conflicts_with = "b")]
    pub rev: Option<String>,
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// An indikator or sasaran id, `nilai_kinerja`, `total`, or a budget row (its kode,
    /// its nama, or `kegiatan: …` / `jenis_belanja: …`).
    pub id: String,
    #[command(flatten)]
    pub dir: DirArg,
    #[command(flatten)]
    pub whatif: WhatIfArgs,
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub dir: DirArg,
    #[command(flatten)]
    pub whatif: WhatIfArgs,
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub dir: DirArg,
    #[command(flatten)]
    pub whatif: WhatIfArgs,
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

/// How one run reads its inputs: what-if overrides, bad budget lines.
#[derive(Debug, Args, Default)]
pub struct WhatIfArgs {
    /// Leave budget CSV lines that cannot be read out of the sums (each is a warning)
    /// instead of failing.
    #[arg(long)]
    pub allow_bad_rows: bool,
    /// Override an input for this run only, without editing files: IKP4.2.target=75,
    /// IKP4.2.target.2024=80, IKP4.2.realisasi=60, IKP4.1.masukan.n=340, KEGIATAN.pagu=… (a kegiatan code)
    /// Repeatable.
    #[arg(long = "set", value_name = "ID.FIELD=VALUE", value_parser = parse_override)]
    pub set: Vec<crate::whatif::Override>,
}

impl WhatIfArgs {
    fn run_options(&self) -> crate::pipeline::RunOptions {
        crate::pipeline::RunOptions {
            overrides: self.set.clone(),
            allow_bad_rows: self.allow_bad_rows,
        }
    }
}

fn parse_override(text: &str) -> Result<crate::whatif::Override, String> {
    crate::whatif::parse(text).map_err(|e| e.to_string())
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub dir: DirArg,
    #[command(flatten)]
    pub whatif: WhatIfArgs,
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
    #[command(flatten)]
    pub whatif: WhatIfArgs,
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
        Command::Audit(args) => audit(args, io),
        Command::Explain(args) => explain(args, io),
        Command::Diff(args) => diff(args, io),
        Command::Watch(args) => watch(args, io),
        Command::Gen(args) => generate(args, io),
    };
    match result {
        Ok(code) => code,
        // A closed pipe (`kinerja eval | head`) is the reader's choice, not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            EXIT_OK
        }
        Err(e) => {
            let _ = writeln!(io.err, "error: {e}");
            EXIT_USAGE
        }
    }
}

fn analyze(dir: &DirArg, whatif: &WhatIfArgs) -> Result<Analysis, LoadError> {
    pipeline::analyze_with(&dir.dir, &whatif.run_options())
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
    whatif: &WhatIfArgs,
    what: &str,
    mention_findings: bool,
    io: &mut Io,
) -> Result<Option<Analysis>, Box<dyn std::error::Error>> {
    let mut a = analyze(dir, whatif)?;
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

fn eval(args: &EvalArgs, io: &mut Io) -> Result<u8, Box<dyn std::error::Error>> {
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
    // Only the results are needed from here: free the workspace's text and model before
    // the report is built (on a national-size workspace they are hundreds of megabytes).
    let Analysis {
        hasil,
        workspace,
        rules,
        diagnostics,
        findings,
    } = a;
    drop((workspace, rules, diagnostics, findings));
    let started = std::time::Instant::now();
    io.out
        .write_all(report::render(&hasil, format, &p).as_bytes())?;
    tracing::debug!(elapsed = ?started.elapsed(), "report rendered");
    Ok(EXIT_OK)
}

fn snapshot(args: &SnapshotArgs, io: &mut Io) -> Result<u8, Box<dyn std::error::Error>> {
    let Some(a) = complete_analysis(&args.dir, &args.whatif, "snapshot", true, io)? else {
        return Ok(EXIT_PROBLEMS);
    };
    let dir = args.dir.dir.join(crate::snapshot::DIR);
    let snapshots = crate::snapshot::render(&a.workspace, &a.hasil, &a.findings);
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

fn generate(args: &GenArgs, io: &mut Io) -> Result<u8, Box<dyn std::error::Error>> {
    let started = std::time::Instant::now();
    let spec = crate::generate::Spec {
        institutions: args.institutions,
        indicators: args.indicators,
        files: args.files,
        indicators_per_sasaran: args.indicators_per_sasaran,
        budget_lines: args.budget_lines,
        seed: args.seed,
    };
    let s = crate::generate::generate(&args.dir, &spec)?;
    writeln!(
        io.out,
        "wrote {}: {} sasaran, {} indikator (+{} IKK) in {} files, {} budget lines over {} kegiatan ({:.1} s)",
        args.dir.display(),
        s.sasaran,
        s.indicators,
        s.components,
        s.files,
        s.budget_lines,
        s.kegiatan,
        started.elapsed().as_secs_f64()
    )?;
    Ok(EXIT_OK)
}

fn watch(args: &WatchArgs, io: &mut Io) -> Result<u8, Box<dyn std::error::Error>> {
    use crate::watch::{Options, RunReport};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    if !args.dir.dir.join(crate::workspace::MANIFEST).is_file() {
        return Err(Box::new(LoadError::NotAWorkspace(args.dir.dir.clone())));
    }
    let stop = Arc::new(AtomicBool::new(false));
    let handler = Arc::clone(&stop);
    ctrlc::set_handler(move || handler.store(true, Ordering::SeqCst))?;
    let options = Options {
        debounce: std::time::Duration::from_millis(args.debounce),
        run: args.whatif.run_options(),
    };
    let color = io.color;
    let json = matches!(args.format, CheckFormat::Json);
    let mut failure: Option<std::io::Error> = None;
    let mut render = |r: &RunReport| {
        let text = if json {
            report::watch::json(r)
        } else {
            report::watch::text(r, color, &args.dir.dir)
        };
        let result = io
            .out
            .write_all(text.as_bytes())
            .and_then(|_| io.out.flush());
        if let Err(e) = result {
            // stdout is gone (a closed pipe): stop watching.
            failure.get_or_insert(e);
            stop.store(true, Ordering::SeqCst);
        }
    };
    crate::watch::watch(&args.dir.dir, &options, &stop, &mut render)?;
    if let Some(e) = failure {
        return Err(Box::new(e));
    }
    if !json {
        writeln!(io.out, "stopped watching")?;
    }
    Ok(EXIT_OK)
}

fn diff(args: &DiffArgs, io: &mut Io) -> Result<u8, Box<dyn std::error::Error>> {
    let (before_dir, after_dir, revision) = match (&args.rev, &args.a, &args.b) {
        (Some(rev), a, None) => {
            let dir = a.clone().unwrap_or_else(|| PathBuf::from("."));
            let tmp = crate::diff::checkout_revision(&dir, rev)
                .map_err(|e| format!("--rev {rev}: {e}"))?;
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
    let d = crate::diff::diff(&analyses[0], &analyses[1]);
    let text = || {
        format!(
            "--- {}\n+++ {}\n{}",
            label(&before_dir),
            label(&after_dir),
            crate::diff::render_text(&d)
        )
    };
    write_as(io, args.format, text, || crate::diff::to_out(&d))?;
    Ok(EXIT_OK)
}

/// Writes a result for people or as JSON, building only the one asked for.
fn write_as(
    io: &mut Io,
    format: CheckFormat,
    text: impl FnOnce() -> String,
    json: impl FnOnce() -> report::Out,
) -> std::io::Result<()> {
    match format {
        CheckFormat::Text => io.out.write_all(text().as_bytes()),
        CheckFormat::Json => io.out.write_all(report::json(&json()).as_bytes()),
    }
}

fn explain(args: &ExplainArgs, io: &mut Io) -> Result<u8, Box<dyn std::error::Error>> {
    let Some(a) = complete_analysis(&args.dir, &args.whatif, "explanation", true, io)? else {
        return Ok(EXIT_PROBLEMS);
    };
    let Some(step) = crate::explain::explain(&a.workspace, &a.rules, &a.hasil, &args.id) else {
        let ids = crate::explain::known_ids(&a.hasil);
        let hint = match crate::diagnostic::did_you_mean(&args.id, ids.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "ids are indikator and sasaran ids, `nilai_kinerja`, `total`, or a budget row's kode or nama".into(),
        };
        writeln!(
            io.err,
            "error: no figure has the id `{}`\n  hint: {hint}",
            args.id
        )?;
        return Ok(EXIT_USAGE);
    };
    write_as(
        io,
        args.format,
        || crate::explain::render_text(&step),
        || crate::explain::to_out(&step),
    )?;
    Ok(EXIT_OK)
}

fn audit(args: &AuditArgs, io: &mut Io) -> Result<u8, Box<dyn std::error::Error>> {
    let Some(a) = complete_analysis(&args.dir, &args.whatif, "audit", false, io)? else {
        return Ok(EXIT_PROBLEMS);
    };
    let diags: Vec<Diagnostic> = a
        .findings
        .iter()
        .map(crate::audit::Finding::to_diagnostic)
        .collect();
    let known = a.findings.iter().filter(|f| f.is_known()).count();
    let open = a.findings.len() - known;
    match args.format {
        CheckFormat::Text => {
            for d in &diags {
                writeln!(io.out, "{}\n", d.render(&a.workspace.sources, io.color))?;
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
        CheckFormat::Json => {
            io.out.write_all(
                crate::report::json(&report::diagnostics::json(&a.workspace.sources, &diags))
                    .as_bytes(),
            )?;
        }
    }
    Ok(if open > 0 { EXIT_PROBLEMS } else { EXIT_OK })
}

fn check(args: &CheckArgs, io: &mut Io) -> Result<u8, Box<dyn std::error::Error>> {
    let mut a = analyze(&args.dir, &args.whatif)?;
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
            io.out.write_all(
                crate::report::json(&report::diagnostics::json(&a.workspace.sources, &sorted))
                    .as_bytes(),
            )?;
        }
    }
    let failed = errors > 0 || (matches!(args.deny, Some(Deny::Warnings)) && warnings > 0);
    Ok(if failed { EXIT_PROBLEMS } else { EXIT_OK })
}

fn rules(args: &DirArg, io: &mut Io) -> Result<u8, Box<dyn std::error::Error>> {
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

/// The width tables are laid out for: the terminal's, or a fixed 120 when output is not a
/// terminal, so that piped and snapshotted output is the same everywhere.
pub fn table_width(stdout_is_terminal: bool) -> u16 {
    if stdout_is_terminal && let Some(w) = comfy_table::Table::new().width() {
        return w;
    }
    120
}
