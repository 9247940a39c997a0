//! `kinerja serve`: the live report in a browser.
//!
//! A watch session ([`crate::watch`], the same engine and memo as `kinerja watch`) runs on
//! the caller's thread; after every run the page's state is built once ([`state`]) and
//! published to a channel. An HTTP server ([`api`], axum on a small tokio runtime) serves
//! the page, the latest state, a stream of server-sent events saying when it changed, and
//! what a page asks of the last good analysis: an explanation, a what-if run, downloads.
//! Requests never wait for a run, and a run never waits for a request: they meet only at
//! the channel, which holds the latest state.

mod api;
mod state;

use crate::analysis::{Analysis, Options as RunOptions};
use crate::base::number::Locale;
use crate::report::Presentation;
use crate::watch::{self, RunReport, WatchError};
use axum::body::Bytes;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How `serve` runs.
pub(crate) struct Options {
    pub(crate) addr: IpAddr,
    /// 0: any free port.
    pub(crate) port: u16,
    /// The language of the page and the format of its numbers.
    pub(crate) locale: Locale,
    pub(crate) watch: watch::Options,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum ServeError {
    #[error(
        "port {port} on {addr} is in use by another program\n  hint: choose another with --port N, or --port 0 for any free port"
    )]
    PortInUse { addr: IpAddr, port: u16 },
    #[error("cannot listen on {addr}:{port}: {source}")]
    Bind {
        addr: IpAddr,
        port: u16,
        source: std::io::Error,
    },
    #[error("cannot start the web server: {0}")]
    Runtime(std::io::Error),
    #[error(transparent)]
    Watch(#[from] WatchError),
}

/// What the serve loop tells its caller.
pub(crate) enum Event<'a> {
    /// Listening at this address.
    Listening(SocketAddr),
    /// A run finished (what `kinerja watch` reports).
    Run(&'a RunReport<'a>),
}

/// What every request reads: the latest state, and what is fixed for the whole session.
pub(crate) struct Hub {
    /// Identifies this server process to its pages.
    sesi: String,
    root: PathBuf,
    run: RunOptions,
    locale: Locale,
    /// The page, built once.
    page: Bytes,
    latest: tokio::sync::watch::Sender<Arc<Published>>,
    /// Whole runs (what-if, an explanation under a what-if) and downloads take turns: one
    /// at a time, so that fifty clients asking at once queue instead of holding fifty
    /// workspaces or workbooks in memory.
    heavy: Arc<tokio::sync::Semaphore>,
    /// Bound to this computer only: requests must name it (see the `api` guard).
    local_only: bool,
}

/// One run's state, as published to the requests.
pub(crate) struct Published {
    pub(crate) versi: u64,
    /// The page's state as JSON ([`state::PageState`]).
    pub(crate) json: Bytes,
    /// The last good analysis: what explanations, what-if runs and downloads start from.
    pub(crate) good: Option<Arc<Analysis>>,
    /// The server is stopping: event streams end.
    pub(crate) closing: bool,
    /// The downloads of this run's report, built when first asked for.
    pub(crate) csv: std::sync::OnceLock<Result<Bytes, String>>,
    pub(crate) xlsx: std::sync::OnceLock<Result<Bytes, String>>,
}

impl Published {
    fn new(versi: u64, json: Bytes, good: Option<Arc<Analysis>>, closing: bool) -> Published {
        Published {
            versi,
            json,
            good,
            closing,
            csv: Default::default(),
            xlsx: Default::default(),
        }
    }
}

impl Hub {
    fn current(&self) -> Arc<Published> {
        self.latest.borrow().clone()
    }

    /// How figures are shown for `a`: its manifest's rounding, the session's locale.
    fn presentation(&self, a: &Analysis) -> Presentation {
        Presentation {
            rounding: Some(a.workspace.manifest.tampilan.rounding),
            locale: self.locale,
            width: 120,
        }
    }
}

/// Serves the workspace at `root` until `stop` is set, telling `on_event` where it listens
/// and about every run.
pub(crate) fn serve(
    root: &Path,
    options: &Options,
    stop: &AtomicBool,
    mut on_event: impl FnMut(Event),
) -> Result<(), ServeError> {
    let (addr, port) = (options.addr, options.port);
    // Bound here, before anything starts, so that a port in use is a clear error at once.
    let listener = std::net::TcpListener::bind((addr, port)).map_err(|source| {
        if source.kind() == std::io::ErrorKind::AddrInUse {
            ServeError::PortInUse { addr, port }
        } else {
            ServeError::Bind { addr, port, source }
        }
    })?;
    let local = listener.local_addr().map_err(ServeError::Runtime)?;
    listener
        .set_nonblocking(true)
        .map_err(ServeError::Runtime)?;
    let sesi = session_id();
    let (latest, _) = tokio::sync::watch::channel(Arc::new(Published::new(
        0,
        Bytes::from(state::starting_json(&sesi)),
        None,
        false,
    )));
    let hub = Arc::new(Hub {
        page: Bytes::from(crate::report::web::page(
            options.locale,
            crate::report::web::Mode::Live,
        )),
        sesi,
        root: root.to_path_buf(),
        run: options.watch.run.clone(),
        locale: options.locale,
        latest,
        heavy: Arc::new(tokio::sync::Semaphore::new(1)),
        local_only: addr.is_loopback(),
    });
    // Two workers: requests are small, and the cores belong to the runs.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("kinerja-serve")
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let (shutdown, shutdown_signal) = tokio::sync::oneshot::channel::<()>();
    let server = {
        let hub = Arc::clone(&hub);
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            axum::serve(listener, api::router(hub))
                .with_graceful_shutdown(async {
                    let _ = shutdown_signal.await;
                })
                .await
        })
    };
    on_event(Event::Listening(local));
    let mut good: Option<Arc<Analysis>> = None;
    let watched = watch::watch(root, &options.watch, stop, |report| {
        if let Some(a) = report.analysis.filter(|a| a.is_complete()) {
            good = Some(Arc::clone(a));
        }
        // Without any analysis there are no figures to present: only the load error.
        let p = good.as_deref().or(report.analysis.map(|a| &**a)).map_or(
            Presentation {
                rounding: None,
                locale: hub.locale,
                width: 120,
            },
            |a| hub.presentation(a),
        );
        let started = std::time::Instant::now();
        let json = state::page_json(&hub.sesi, report, good.as_ref(), &p);
        tracing::debug!(elapsed = ?started.elapsed(), bytes = json.len(), "page state built");
        hub.latest.send_replace(Arc::new(Published::new(
            report.run,
            Bytes::from(json),
            good.clone(),
            false,
        )));
        on_event(Event::Run(report));
    });
    // Streams end, then the server, then the runtime (a stuck connection is cut off).
    let last = hub.current();
    hub.latest.send_replace(Arc::new(Published::new(
        last.versi,
        last.json.clone(),
        None,
        true,
    )));
    let _ = shutdown.send(());
    let _ = runtime.block_on(async { tokio::time::timeout(Duration::from_secs(2), server).await });
    runtime.shutdown_timeout(Duration::from_millis(500));
    stop.store(true, Ordering::SeqCst);
    watched.map_err(ServeError::from)
}

/// Different for every server process, so that a page connected to an earlier one knows
/// its report is stale.
fn session_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:x}-{:x}", std::process::id(), nanos)
}

/// Opens `url` in the desktop's browser, as the platform's own opener does. (A crate for
/// this would bring a URL parser and Unicode tables for one process spawn.)
pub(crate) fn open_in_browser(url: &str) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
}
