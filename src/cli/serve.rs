//! `kinerja serve`: the live report in a browser.

use super::EXIT_OK;
use super::args::{DirArg, LocaleArg, WhatIfArgs};
use super::common::{Io, Result};
use crate::load::{LoadError, MANIFEST};
use crate::serve::{self, Event};
use crate::watch;
use clap::Args;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug, Args)]
pub(super) struct ServeArgs {
    #[command(flatten)]
    dir: DirArg,
    #[command(flatten)]
    whatif: WhatIfArgs,
    /// The port to listen on; 0 picks any free one (the address is printed).
    #[arg(long, default_value_t = 7410)]
    port: u16,
    /// The address to listen on. Only this computer (127.0.0.1) unless another address
    /// is given: the page shows the whole workspace to whoever can reach it.
    #[arg(long, default_value = "127.0.0.1")]
    addr: IpAddr,
    /// Open the page in the desktop's browser.
    #[arg(long)]
    open: bool,
    /// The page's language and number format: `id` (99,25; Rp28.585.438.802.000) or `en`.
    #[arg(long, value_enum, default_value_t = LocaleArg::Id)]
    locale: LocaleArg,
    /// Milliseconds the files must stay quiet before a run.
    #[arg(long, default_value_t = watch::DEFAULT_DEBOUNCE_MS, value_parser = clap::value_parser!(u64).range(0..=10_000))]
    debounce: u64,
}

pub(super) fn run(args: &ServeArgs, io: &mut Io) -> Result<u8> {
    if !args.dir.dir.join(MANIFEST).is_file() {
        return Err(Box::new(LoadError::NotAWorkspace(args.dir.dir.clone())));
    }
    let stop = Arc::new(AtomicBool::new(false));
    let handler = Arc::clone(&stop);
    ctrlc::set_handler(move || handler.store(true, Ordering::SeqCst))?;
    let options = serve::Options {
        addr: args.addr,
        port: args.port,
        locale: args.locale.into(),
        watch: watch::Options {
            debounce: std::time::Duration::from_millis(args.debounce),
            run: args.whatif.run_options(),
        },
    };
    let color = io.color;
    let on_event = |event: Event| {
        let text = match event {
            Event::Listening(at) => {
                let url = format!("http://{at}/");
                if args.open && serve::open_in_browser(&url).is_err() {
                    tracing::warn!("could not open a browser; open {url} yourself");
                }
                if !at.ip().is_loopback() {
                    let _ = writeln!(
                        io.err,
                        "warning: listening on {}: anyone who can reach this address sees the workspace",
                        at.ip()
                    );
                }
                format!("serving the report at {url} (Ctrl-C to stop)\n")
            }
            Event::Run(report) => watch::output::text(report, color, &args.dir.dir),
        };
        // A closed terminal ends the log, not the server: the page is what it is for.
        let _ = io
            .out
            .write_all(text.as_bytes())
            .and_then(|_| io.out.flush());
    };
    serve::serve(&args.dir.dir, &options, &stop, on_event)?;
    writeln!(io.out, "stopped serving").ok();
    Ok(EXIT_OK)
}
