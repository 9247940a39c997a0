//! `kinerja gen`: a synthetic workspace of a given size.

use super::EXIT_OK;
use super::common::{Io, Result};
use crate::generate;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(super) struct GenArgs {
    /// Directory to write into: a new or empty one (created if needed), unless --force.
    dir: PathBuf,
    /// Institutions (folders under indicators/).
    #[arg(long, default_value_t = 90)]
    institutions: u32,
    /// Indikator (IKP), in all.
    #[arg(long, default_value_t = 100_000)]
    indicators: u32,
    /// Indicator files.
    #[arg(long, default_value_t = 1_000)]
    files: u32,
    /// Indikator per sasaran.
    #[arg(long, default_value_t = 10)]
    indicators_per_sasaran: u32,
    /// Lines of budget data (budgets/realisasi.csv).
    #[arg(long, default_value_t = 1_000_000)]
    budget_lines: u64,
    /// Seed: the same seed writes the same files, byte for byte.
    #[arg(long, default_value_t = 2022)]
    seed: u64,
    /// Write into a directory that is not empty, replacing its kinerja.yaml and the files
    /// a generated workspace has (other files stay).
    #[arg(long)]
    force: bool,
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
    let existing = if args.force {
        generate::Existing::Overwrite
    } else {
        generate::Existing::Refuse
    };
    let s = generate::generate_into(&args.dir, &spec, existing)?;
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
