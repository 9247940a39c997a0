//! `kinerja test`: the rules' test cases (`rules/*.test.yaml`), run through the engine.

use super::args::{DirArg, TextOrJson, WhatIfArgs};
use super::common::{Io, Result, analyze, write_as};
use super::{EXIT_OK, EXIT_PROBLEMS};
use crate::base::cancel::Cancel;
use crate::report::rule_tests as report;
use crate::rule_tests;
use clap::Args;

#[derive(Debug, Args)]
pub(super) struct TestCmdArgs {
    #[command(flatten)]
    dir: DirArg,
    /// Only the cases whose rule's name (or own `nama`) contains this text.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
    /// Also report which lines and branches of each rule no case reached.
    #[arg(long)]
    coverage: bool,
}

pub(super) fn run(args: &TestCmdArgs, io: &mut Io) -> Result<u8> {
    let a = analyze(&args.dir, &WhatIfArgs::default())?;
    let sources = &a.workspace.sources;
    let tests = &a.workspace.rule_tests;
    let problems: Vec<_> = a.diagnostics.iter().cloned().collect();
    let run_with = if args.coverage {
        rule_tests::covered_run
    } else {
        rule_tests::test_run
    };
    let run = run_with(
        tests,
        &a.workspace.kategori,
        &a.rules,
        &problems,
        sources,
        args.filter.as_deref(),
        &Cancel::never(),
    );
    let color = io.color;
    write_as(
        io,
        args.format,
        || report::text(&run, tests, sources, color),
        || report::json(&run, tests, sources),
    )?;
    Ok(if run.passed() { EXIT_OK } else { EXIT_PROBLEMS })
}
