//! `kinerja watch`: re-evaluate on every save and show what changed.

use super::EXIT_OK;
use super::args::{DirArg, TextOrJson, WhatIfArgs};
use super::common::{Io, Result};
use crate::load::{LoadError, MANIFEST};
use crate::watch::{self, Options, RunReport};
use clap::Args;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug, Args)]
pub(super) struct WatchArgs {
    #[command(flatten)]
    dir: DirArg,
    #[command(flatten)]
    whatif: WhatIfArgs,
    /// `json`: one JSON object per run on stdout, newline-delimited.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
    /// Milliseconds the files must stay quiet before a run.
    #[arg(long, default_value_t = watch::DEFAULT_DEBOUNCE_MS, value_parser = clap::value_parser!(u64).range(0..=10_000))]
    debounce: u64,
}

pub(super) fn run(args: &WatchArgs, io: &mut Io) -> Result<u8> {
    if !args.dir.dir.join(MANIFEST).is_file() {
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
    let json = matches!(args.format, TextOrJson::Json);
    let mut failure: Option<std::io::Error> = None;
    let mut render = |r: &RunReport| {
        let text = if json {
            watch::output::json(r)
        } else {
            watch::output::text(r, color, &args.dir.dir)
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
    watch::watch(&args.dir.dir, &options, &stop, &mut render)?;
    if let Some(e) = failure {
        return Err(Box::new(e));
    }
    if !json {
        writeln!(io.out, "stopped watching")?;
    }
    Ok(EXIT_OK)
}
