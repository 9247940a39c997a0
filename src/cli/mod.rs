//! The command line: arguments (clap) and the commands, one file each, each a thin layer
//! over the library. Commands write to the streams they are given and return an exit
//! status; nothing below this module prints.

mod args;
mod audit;
mod check;
mod common;
mod diff;
mod eval;
mod explain;
mod gen_cmd;
mod rules;
mod schema;
mod serve;
mod snapshot;
mod test;
mod watch;

use clap::{Parser, Subcommand, ValueEnum};

pub use common::Io;

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
    command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Evaluate the workspace and print the report.
    Eval(eval::EvalArgs),
    /// Check the workspace and print every problem found.
    Check(check::CheckArgs),
    /// List every rule with its file, signature and doc comment.
    Rules(args::DirArg),
    /// Write the evaluated results into snapshots/, or compare them (--check) for CI.
    Snapshot(snapshot::SnapshotArgs),
    /// Compare the figures the report printed with the computed ones, and list every
    /// disagreement.
    Audit(audit::AuditArgs),
    /// Show where a figure comes from: its inputs, rules and rounding, as a tree.
    Explain(explain::ExplainArgs),
    /// Compare two workspaces (or a workspace with a git revision of itself): changed
    /// definitions and changed figures.
    Diff(diff::DiffArgs),
    /// Re-evaluate on every save and show what changed (live preview).
    Watch(watch::WatchArgs),
    /// Serve the live report in a browser: it updates on every save, explains any figure,
    /// and tries what-if changes without writing a file.
    Serve(serve::ServeArgs),
    /// Write a synthetic workspace of a given size (for benchmarks and tests).
    Gen(gen_cmd::GenArgs),
    /// Run the rules' test cases (rules/*.test.yaml) and list the rules without one.
    Test(test::TestCmdArgs),
    /// The JSON Schema of every workspace file, for editors: list, print one, or write
    /// them into a folder (--output).
    Schema(schema::SchemaArgs),
}

/// Runs the command `cli` names, writing to `io`; returns the exit status.
pub fn run(cli: &Cli, io: &mut Io) -> u8 {
    let result = match &cli.command {
        Command::Eval(args) => eval::run(args, io),
        Command::Check(args) => check::run(args, io),
        Command::Rules(args) => rules::run(args, io),
        Command::Snapshot(args) => snapshot::run(args, io),
        Command::Audit(args) => audit::run(args, io),
        Command::Explain(args) => explain::run(args, io),
        Command::Diff(args) => diff::run(args, io),
        Command::Watch(args) => watch::run(args, io),
        Command::Serve(args) => serve::run(args, io),
        Command::Gen(args) => gen_cmd::run(args, io),
        Command::Test(args) => test::run(args, io),
        Command::Schema(args) => schema::run(args, io),
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

/// The width tables are laid out for: the terminal's, or a fixed 120 when output is not a
/// terminal, so that piped and snapshotted output is the same everywhere.
pub fn table_width(stdout_is_terminal: bool) -> u16 {
    if stdout_is_terminal && let Some(w) = comfy_table::Table::new().width() {
        return w;
    }
    120
}
