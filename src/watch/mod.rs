//! `kinerja watch`: re-evaluate on every save and report what changed.
//!
//! Directories are watched, not files, so every way editors save works: writes in place,
//! write-to-temp-then-rename, backup-and-replace, delete and recreate, files and folders
//! moved in and out. Editor temp and swap files are ignored ([`paths`]). A burst of saves
//! is debounced into one run. A save that leaves the workspace broken reports its
//! diagnostics and keeps the last good results, and the next good save is compared with
//! those. A run still in progress when a newer save arrives is cancelled (its token is, and
//! rules stop at their next check).
//!
//! A run reuses what the last one computed through [`memo`], wrapped around the stages
//! from here; the stages themselves do not know.
//!
//! This module only watches and evaluates; [`output`] renders each [`RunReport`].

mod memo;
pub(crate) mod output;
mod paths;

pub(crate) use memo::Stats;

use crate::analysis::{self, Analysis, Options as RunOptions};
use crate::base::cancel::Cancel;
use crate::diff::{self, Change};
use memo::Memo;
use notify::EventKind;
pub(crate) use paths::WatchError;
use paths::{Scope, Watches, relevant};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

pub(crate) struct Options {
    /// How long the files must stay quiet before a run starts.
    pub(crate) debounce: Duration,
    pub(crate) run: RunOptions,
}

/// The default quiet time. An editor's save is a burst of events a few milliseconds long at
/// most (write in place; write a temporary file and rename it; rename the old file away,
/// write, delete the backup), so 25 ms covers it with room to spare, and it is paid on every
/// save. A longer burst (a checkout, a formatter) that outlasts it costs an extra run at
/// most: a run still in progress when more events arrive is cancelled.
pub(crate) const DEFAULT_DEBOUNCE_MS: u64 = 25;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    /// The first run.
    Initial,
    /// Figures moved.
    Changed,
    /// The save changed nothing computed.
    NoChange,
    /// The workspace has errors; the last good results are kept.
    Failed,
}

impl Status {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Status::Initial => "initial",
            Status::Changed => "changed",
            Status::NoChange => "no_change",
            Status::Failed => "error",
        }
    }
}

/// What one run found.
pub(crate) struct RunReport<'a> {
    pub(crate) run: u64,
    /// The files whose change triggered the run, relative to the workspace.
    pub(crate) trigger: Vec<String>,
    /// From the end of the debounce to the result.
    pub(crate) elapsed: Duration,
    pub(crate) status: Status,
    /// Figures that moved since the last good run.
    pub(crate) changes: Vec<Change>,
    /// The run's analysis (its diagnostics, its results); `None` when the workspace could
    /// not be loaded at all.
    pub(crate) analysis: Option<&'a Analysis>,
    /// Why the workspace could not be loaded at all.
    pub(crate) load_error: Option<String>,
    /// What the run reused from the previous one and what it redid.
    pub(crate) reused: Stats,
}

/// One run of a session: the analysis through `memo`, which then holds what the next run
/// may reuse; `None` inside when the run was cancelled.
fn analyze(
    root: &Path,
    options: &RunOptions,
    memo: &mut Memo,
    cancel: &Cancel,
) -> (Result<Option<Analysis>, analysis::Error>, Stats) {
    let run = memo.run();
    let result = analysis::analyze_with(root, options, &run, cancel);
    let (next, stats) = run.finish();
    match result {
        // A cancelled run used only part of the workspace: what it computed joins the memo
        // rather than replacing it.
        Ok(None) => memo.absorb(next),
        _ => *memo = next,
    }
    (result, stats)
}

/// A run's analysis, or why the workspace could not be analysed at all.
type Outcome = (Result<Analysis, String>, Stats);

/// Watches `root` until `stop` is set, calling `on_run` after every run.
pub(crate) fn watch(
    root: &Path,
    options: &Options,
    stop: &AtomicBool,
    mut on_run: impl FnMut(&RunReport),
) -> Result<(), WatchError> {
    let root = root.canonicalize().map_err(|source| WatchError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let (tx, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        // The receiver is gone only when watching has ended.
        let _ = tx.send(res);
    })
    .map_err(|source| WatchError::Notify {
        path: root.clone(),
        source,
    })?;
    let mut watched = Watches::default();

    let mut run = 0u64;
    let mut last_good: Option<Analysis> = None;
    let mut scope = Scope {
        root: root.clone(),
        ..Scope::default()
    };
    let mut trigger: BTreeSet<String> = BTreeSet::new();
    // Kept between runs so that a save re-reads and re-evaluates only what it changed.
    let mut memo = Memo::default();
    loop {
        watched.ensure(&mut watcher, &root, &scope.libraries)?;
        run += 1;
        let started = Instant::now();
        let outcome =
            evaluate_cancellable(&root, options, &events, &mut scope, &mut trigger, &mut memo);
        let Some((result, reused)) = outcome else {
            // A newer save arrived mid-run: debounce it and start again.
            wait_for_quiet(&events, &scope, options.debounce, &mut trigger, stop);
            if stop.load(Ordering::SeqCst) {
                return Ok(());
            }
            continue;
        };
        let elapsed = started.elapsed();
        let files: Vec<String> = std::mem::take(&mut trigger).into_iter().collect();
        match result {
            Ok(analysis) => {
                scope.libraries = analysis
                    .workspace
                    .manifest
                    .pustaka_rumus
                    .iter()
                    .filter_map(|t| root.join(&t.value).canonicalize().ok())
                    .collect();
                let (status, changes) = if !analysis.is_complete() {
                    (Status::Failed, Vec::new())
                } else {
                    match &last_good {
                        None => (Status::Initial, Vec::new()),
                        Some(old) => {
                            let t = Instant::now();
                            let changes = diff::figure_changes(
                                (&old.workspace, &old.hasil),
                                (&analysis.workspace, &analysis.hasil),
                            );
                            tracing::debug!(elapsed = ?t.elapsed(), changes = changes.len(), "figures compared");
                            let status = if changes.is_empty() {
                                Status::NoChange
                            } else {
                                Status::Changed
                            };
                            (status, changes)
                        }
                    }
                };
                let status = if run == 1 && status != Status::Failed {
                    Status::Initial
                } else {
                    status
                };
                on_run(&RunReport {
                    run,
                    trigger: files,
                    elapsed,
                    status,
                    changes,
                    analysis: Some(&analysis),
                    load_error: None,
                    reused,
                });
                if analysis.is_complete() {
                    last_good = Some(analysis);
                }
            }
            Err(e) => on_run(&RunReport {
                run,
                trigger: files,
                elapsed,
                status: Status::Failed,
                changes: Vec::new(),
                analysis: None,
                load_error: Some(e),
                reused,
            }),
        }
        // Wait for the next relevant change.
        loop {
            if stop.load(Ordering::SeqCst) {
                return Ok(());
            }
            match events.recv_timeout(Duration::from_millis(100)) {
                Ok(event) => {
                    if note(&event, &scope, &mut trigger) {
                        break;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
        wait_for_quiet(&events, &scope, options.debounce, &mut trigger, stop);
        if stop.load(Ordering::SeqCst) {
            return Ok(());
        }
    }
}

/// Evaluates on a worker thread while listening for newer saves; a newer save cancels the
/// run and returns `None`.
fn evaluate_cancellable(
    root: &Path,
    options: &Options,
    events: &Receiver<notify::Result<notify::Event>>,
    scope: &mut Scope,
    trigger: &mut BTreeSet<String>,
    memo: &mut Memo,
) -> Option<Outcome> {
    let cancel = Cancel::new();
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|threads| {
        let worker = threads.spawn(|| {
            let (result, stats) = analyze(root, &options.run, memo, &cancel);
            let _ = tx.send(());
            (result.map_err(|e| e.to_string()), stats)
        });
        // While the worker runs rather than before: walking the folders is not free either.
        scope.refresh_folders();
        let mut newer = false;
        loop {
            match rx.recv_timeout(Duration::from_millis(5)) {
                Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => {}
            }
            while let Ok(event) = events.try_recv() {
                if note(&event, scope, trigger) && !newer {
                    newer = true;
                    cancel.cancel();
                }
            }
        }
        match worker.join() {
            // Cancelled, or bound to be rerun for the newer save (whatever became of it).
            _ if newer => None,
            Ok((Ok(None), _)) => None,
            Ok((Ok(Some(analysis)), stats)) => Some((Ok(analysis), stats)),
            Ok((Err(e), stats)) => Some((Err(e), stats)),
            // A panic in a stage is a bug; the session goes on with the next save.
            Err(_) => Some((
                Err("the evaluation stopped unexpectedly".into()),
                Stats::default(),
            )),
        }
    })
}

/// Collects events until none has arrived for `quiet` (at most two seconds in all, so a
/// file written continuously still gets evaluated).
fn wait_for_quiet(
    events: &Receiver<notify::Result<notify::Event>>,
    scope: &Scope,
    quiet: Duration,
    trigger: &mut BTreeSet<String>,
    stop: &AtomicBool,
) {
    let started = Instant::now();
    let mut last = Instant::now();
    while last.elapsed() < quiet
        && started.elapsed() < Duration::from_secs(2)
        && !stop.load(Ordering::SeqCst)
    {
        match events.recv_timeout(quiet.saturating_sub(last.elapsed())) {
            Ok(event) => {
                if note(&event, scope, trigger) {
                    last = Instant::now();
                }
            }
            Err(_) => break,
        }
    }
}

/// Records the relevant paths of an event; true if any was relevant.
fn note(
    event: &notify::Result<notify::Event>,
    scope: &Scope,
    trigger: &mut BTreeSet<String>,
) -> bool {
    let Ok(event) = event else {
        return false;
    };
    if matches!(event.kind, EventKind::Access(_)) {
        return false;
    }
    let mut any = false;
    for path in &event.paths {
        if let Some(rel) = relevant(path, scope) {
            trigger.insert(rel);
            any = true;
        }
    }
    any
}
