//! `kinerja gen`: a synthetic workspace of a given size.

use super::EXIT_OK;
use super::common::{Io, Result};
use crate::generate;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(super) struct GenArgs {
    /// Directory to write into (created if needed).
    dir: PathBuf,
    #[arg(long, default_value_t = 90)]
    institutions: u32,
    #[arg(long, default_value_t = 100_000)]
    indicators: u32,
    #[arg(long, default_value_t = 1_000)]
    files: u32,
    #[arg(long, default_value_t = 10)]
    indicators_per_sasaran: u32,
    #[arg(long, default_value_t = 1_000_000)]
    budget_lines: u64,
    #[arg(long, default_value_t = 2022)]
    seed: u64,
}

pub(super) fn run(args: &GenArgs, io: &mut Io) -> Result<u8> {
    let started = std::time::Instant::now();
    let spec = generate::Spec {
        institutions: args.institutions,
        indicators: args.indicators,
        files: args.files,
        indicators_per_sasaran: args.indicators_per_sasaran,
        budget_lines: args.budget_lines,
        seed: args.seed,
    };
    let s = generate::generate(&args.dir, &spec)?;
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
