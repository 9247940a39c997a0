//! `kinerja explain ID`: where a figure comes from.

use super::args::{DirArg, TextOrJson, WhatIfArgs};
use super::common::{Io, Result, complete_analysis, write_as};
use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::explain;
use crate::report;
use clap::Args;

#[derive(Debug, Args)]
pub(super) struct ExplainArgs {
    /// An indikator or sasaran id, `nilai_kinerja`, `total`, or a budget row (its kode,
    /// its nama, or `kegiatan: …` / `jenis_belanja: …`).
    id: String,
    #[command(flatten)]
    dir: DirArg,
    #[command(flatten)]
    whatif: WhatIfArgs,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
}

pub(super) fn run(args: &ExplainArgs, io: &mut Io) -> Result<u8> {
    let Some(a) = complete_analysis(&args.dir, &args.whatif, "explanation", true, io)? else {
        return Ok(EXIT_PROBLEMS);
    };
    let Some(step) = explain::explain(&a.workspace, &a.rules, &a.hasil, &args.id) else {
        let hint = explain::unknown_id_hint(&a.workspace, &a.hasil, &args.id);
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
        || report::explain::text(&step),
        || report::explain::json(&step),
    )?;
    Ok(EXIT_OK)
}
