//! `kinerja watch`: re-evaluate on every save and report what changed.
//!
//! Directories are watched, not files, so every way editors save works: writes in place,
//! write-to-temp-then-rename, backup-and-replace, delete and recreate, files and folders
//! moved in and out, a whole workspace folder replaced by a copy. Every input of a run is
//! watched: the workspace folders, shared rule libraries, and the budget line files the
//! budget files name, wherever they are. Editor temp and swap files are ignored
//! ([`paths`]). A burst of saves is debounced into one run. A save that leaves the workspace broken reports its
//! diagnostics and keeps the last good results, and the next good save is compared with
//! those. A run still in progress when a newer save arrives is cancelled (its token is, and
//! rules stop at their next check).
//!
//! A run reuses what the last one computed through [`memo`], wrapped around the stages
//! from here; the stages themselves do not know.
//!
//! A [`Session`] is what is kept between runs; [`watch`] drives one with the file system's
//! events, and a test (or another front end) can drive one with its own.
//!
//! This module only watches and evaluates; [`output`] renders each [`RunReport`].

mod memo;
pub(crate) mod output;
mod paths;

pub(crate) use memo::Stats;

use crate::analysis::{self, Analysis, Options as RunOptions};
use crate::base::cancel::Cancel;
use crate::diff::{self, Change};
use crate::model::Isi;
use crate::rule_tests::{self, TestRun};
use memo::Memo;
use notify::Watcher;
use notify::event::{EventKind, ModifyKind};
pub(crate) use paths::WatchError;
use paths::{Scope, Watches, event_paths, relevant};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
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
    /// A run only to look again at folders first watched after the run before read them,
    /// which found nothing new: not worth showing.
    pub(crate) quiet: bool,
    /// The run's analysis (its diagnostics, its results); `None` when the workspace could
    /// not be loaded at all.
    pub(crate) analysis: Option<&'a Arc<Analysis>>,
    /// Why the workspace could not be loaded at all.
    pub(crate) load_error: Option<String>,
    /// What the run reused from the previous one and what it redid.
    pub(crate) reused: Stats,
    /// The rules' test cases, run again; `None` without any.
    pub(crate) tests: Option<TestRun>,
    /// The parts of a report the last good run's workspace held, when this run is good
    /// too: a save that adds or removes the budget (or the indikator) is said so.
    pub(crate) isi_before: Option<Isi>,
}

/// A run's analysis, or why the workspace could not be analysed at all.
type Outcome = (Result<Analysis, String>, Stats);

/// What happened since the last run, from the events seen.
#[derive(Default)]
struct Pending {
    /// The relevant paths, relative to the workspace: the next run's trigger.
    trigger: BTreeSet<String>,
    /// Paths an event named as created, removed or renamed: a watched folder among them is
    /// watched afresh.
    moved: BTreeSet<PathBuf>,
    /// The system dropped events: everything is watched afresh, and a run is due.
    rescan: bool,
    /// Folders were first watched after a run read them: what changed there before the
    /// watch was not seen, so a run is due.
    recheck: bool,
}

impl Pending {
    fn extend(&mut self, other: Pending) {
        self.trigger.extend(other.trigger);
        self.moved.extend(other.moved);
        self.rescan |= other.rescan;
        self.recheck |= other.recheck;
    }
}

/// What the last run left.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Latest {
    /// No run yet.
    None,
    /// The last good results (`last_good`).
    Good,
    /// A workspace with errors (`failed`).
    Failed,
    /// A workspace that could not be analysed at all (`error`).
    Error,
}

/// What the session shows now: the last run's analysis, or why there was none.
#[cfg(test)]
pub(crate) enum Current<'a> {
    Nothing,
    Analysis(&'a Analysis),
    Error(&'a str),
}

/// A watch session: what it keeps between runs (the memo, the last good results), what
/// belongs to the workspace (its [`Scope`]), the folders watched, and what changed since
/// the last run.
pub(crate) struct Session {
    root: PathBuf,
    options: RunOptions,
    scope: Scope,
    watches: Watches,
    memo: Memo,
    runs: u64,
    /// Runs reported (a quiet run is not): their numbers.
    reported: u64,
    pending: Pending,
    // Shared: a server keeps the report it shows while the next run computes.
    last_good: Option<Arc<Analysis>>,
    failed: Option<Arc<Analysis>>,
    error: Option<String>,
    latest: Latest,
    /// The rules' test cases as the last run ran them, for its report.
    tests: Option<TestRun>,
}

impl Session {
    /// A session on the workspace at `root` (resolved, as the watches report it).
    pub(crate) fn new(root: &Path, options: RunOptions) -> Result<Session, WatchError> {
        let root = root.canonicalize().map_err(|source| WatchError::Io {
            path: root.to_path_buf(),
            source,
        })?;
        Ok(Session {
            scope: Scope {
                root: root.clone(),
                ..Scope::default()
            },
            root,
            options,
            watches: Watches::default(),
            memo: Memo::default(),
            runs: 0,
            reported: 0,
            pending: Pending::default(),
            last_good: None,
            failed: None,
            error: None,
            latest: Latest::None,
            tests: None,
        })
    }

    /// Notes an event; true if it changed something the workspace reads.
    pub(crate) fn note(&mut self, event: &notify::Result<notify::Event>) -> bool {
        note(event, &self.scope, &mut self.pending)
    }

    /// Whether a run is due: none yet, a relevant change since the last, or folders that
    /// were first watched after the last run read them.
    pub(crate) fn is_due(&self) -> bool {
        self.runs == 0
            || !self.pending.trigger.is_empty()
            || self.pending.rescan
            || self.pending.recheck
    }

    /// Watches with `watcher` what the workspace now reads, watching afresh the folders
    /// that were replaced. Called before each run (whatever changes after it is seen, and
    /// whatever changed before it, the run reads) and after each (a run may name folders
    /// no run named before: a rule library, the folder of a budget line file; a run is then
    /// due, for what changed there while the run read it).
    pub(crate) fn watch_with(&mut self, watcher: &mut impl Watcher) -> Result<(), WatchError> {
        let moved = std::mem::take(&mut self.pending.moved);
        let added = self
            .watches
            .ensure(watcher, &self.scope, &moved, self.pending.rescan)?;
        if added && self.runs > 0 {
            self.pending.recheck = true;
        }
        Ok(())
    }

    /// One run, here and now, on this thread (as tests drive a session; [`watch`] runs on
    /// a worker thread while it listens for newer saves).
    #[cfg(test)]
    pub(crate) fn run(&mut self, cancel: &Cancel) -> Option<RunReport<'_>> {
        let started = Instant::now();
        self.scope.refresh_folders();
        let outcome = self.analyze(cancel)?;
        Some(self.finish(outcome, started.elapsed()))
    }

    /// What the session shows now.
    #[cfg(test)]
    pub(crate) fn current(&self) -> Current<'_> {
        let analysis = match self.latest {
            Latest::None => None,
            Latest::Good => self.last_good.as_deref(),
            Latest::Failed => self.failed.as_deref(),
            Latest::Error => {
                return self
                    .error
                    .as_deref()
                    .map_or(Current::Nothing, Current::Error);
            }
        };
        analysis.map_or(Current::Nothing, Current::Analysis)
    }

    /// The folders watched now (for tests).
    #[cfg(test)]
    pub(crate) fn watched(&self) -> Vec<(PathBuf, notify::RecursiveMode)> {
        self.watches.watched()
    }

    /// The analysis through the memo, which then holds what the next run may reuse; `None`
    /// when the run was cancelled.
    fn analyze(&mut self, cancel: &Cancel) -> Option<Outcome> {
        let run = self.memo.run();
        let result = analysis::analyze_with(&self.root, &self.options, &run, cancel);
        let (next, stats) = run.finish();
        match result {
            // A cancelled run used only part of the workspace: what it computed joins the
            // memo rather than replacing it.
            Ok(None) => {
                self.memo.absorb(next);
                None
            }
            Ok(Some(analysis)) => {
                // The rules' cases too, on this thread, under the run's cancellation: a
                // rule edit shows what it broke. (Problems in test files are the run's.)
                self.tests = Some(rule_tests::test_run(
                    &analysis.workspace.rule_tests,
                    &analysis.workspace.kategori,
                    &analysis.rules,
                    &[],
                    &analysis.workspace.sources,
                    None,
                    cancel,
                ))
                .filter(|run| !run.outcomes.is_empty());
                if cancel.is_cancelled() {
                    self.memo.absorb(next);
                    return None;
                }
                // A run that stopped a runaway rule computed some units before the stop
                // and some after: none of them is kept for the next run.
                if analysis.rules.stopped_count() == 0 {
                    self.memo = next;
                }
                Some((Ok(analysis), stats))
            }
            Err(e) => {
                self.memo = next;
                Some((Err(e.to_string()), stats))
            }
        }
    }

    /// The number a run is reported as: runs not shown are not counted.
    fn number(&mut self, quiet: bool) -> u64 {
        if !quiet {
            self.reported += 1;
        }
        self.reported
    }

    /// Takes a finished run: what it reads is watched from now on, and its figures are
    /// compared with the last good ones.
    fn finish(&mut self, outcome: Outcome, elapsed: Duration) -> RunReport<'_> {
        self.runs += 1;
        let trigger: Vec<String> = std::mem::take(&mut self.pending.trigger)
            .into_iter()
            .collect();
        // Only to look again: shown if it finds something the last run did not show.
        let check = trigger.is_empty() && !self.pending.rescan && self.pending.recheck;
        self.pending.rescan = false;
        self.pending.recheck = false;
        self.scope.line_files = self.memo.line_files().flat_map(event_paths).collect();
        let (result, reused) = outcome;
        let analysis = match result {
            Ok(analysis) => analysis,
            Err(e) => {
                let quiet =
                    check && self.latest == Latest::Error && self.error.as_ref() == Some(&e);
                self.latest = Latest::Error;
                self.failed = None;
                self.error = Some(e.clone());
                return RunReport {
                    run: self.number(quiet),
                    trigger,
                    elapsed,
                    quiet,
                    status: Status::Failed,
                    changes: Vec::new(),
                    analysis: None,
                    load_error: Some(e),
                    reused,
                    tests: None,
                    isi_before: None,
                };
            }
        };
        self.scope.libraries = analysis
            .workspace
            .manifest
            .pustaka_rumus
            .iter()
            .filter_map(|t| self.root.join(&t.value).canonicalize().ok())
            .collect();
        let isi_before = match &self.last_good {
            Some(old) if analysis.is_complete() => Some(old.workspace.isi()),
            _ => None,
        };
        let (status, changes) = if !analysis.is_complete() {
            (Status::Failed, Vec::new())
        } else {
            match &self.last_good {
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
        let status = if self.runs == 1 && status != Status::Failed {
            Status::Initial
        } else {
            status
        };
        let quiet = check
            && match status {
                Status::NoChange => true,
                Status::Failed => {
                    self.latest == Latest::Failed
                        && self
                            .failed
                            .as_ref()
                            .is_some_and(|f| f.diagnostics.iter().eq(analysis.diagnostics.iter()))
                }
                Status::Initial | Status::Changed => false,
            };
        self.error = None;
        let number = self.number(quiet);
        let shown = if analysis.is_complete() {
            self.latest = Latest::Good;
            self.failed = None;
            self.last_good.insert(Arc::new(analysis))
        } else {
            self.latest = Latest::Failed;
            self.failed.insert(Arc::new(analysis))
        };
        RunReport {
            run: number,
            trigger,
            elapsed,
            quiet,
            status,
            changes,
            analysis: Some(shown),
            load_error: None,
            reused,
            tests: self.tests.take(),
            isi_before,
        }
    }
}

/// Watches `root` until `stop` is set, calling `on_run` after every run.
pub(crate) fn watch(
    root: &Path,
    options: &Options,
    stop: &AtomicBool,
    mut on_run: impl FnMut(&RunReport),
) -> Result<(), WatchError> {
    let mut session = Session::new(root, options.run.clone())?;
    let (tx, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        // The receiver is gone only when watching has ended.
        let _ = tx.send(res);
    })
    .map_err(|source| WatchError::Notify {
        path: session.root.clone(),
        source,
    })?;
    loop {
        session.watch_with(&mut watcher)?;
        let Some(report) = run_cancellable(&mut session, &events, stop) else {
            if stop.load(Ordering::SeqCst) {
                return Ok(());
            }
            // A newer save arrived mid-run: debounce it and start again.
            wait_for_quiet(&events, &mut session, options.debounce, stop);
            if stop.load(Ordering::SeqCst) {
                return Ok(());
            }
            continue;
        };
        if !report.quiet {
            on_run(&report);
        }
        session.watch_with(&mut watcher)?;
        if session.is_due() {
            continue;
        }
        // Wait for the next relevant change.
        loop {
            if stop.load(Ordering::SeqCst) {
                return Ok(());
            }
            match events.recv_timeout(Duration::from_millis(100)) {
                Ok(event) => {
                    if session.note(&event) {
                        break;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
        wait_for_quiet(&events, &mut session, options.debounce, stop);
        if stop.load(Ordering::SeqCst) {
            return Ok(());
        }
    }
}

/// Runs on a worker thread while listening for newer saves; a newer save cancels the run
/// and returns `None` (its changes are pending for the next run), and so does `stop`
/// (Ctrl-C): the rules stop at their next check, so the session ends within moments even
/// while a runaway rule runs.
fn run_cancellable<'s>(
    session: &'s mut Session,
    events: &Receiver<notify::Result<notify::Event>>,
    stop: &AtomicBool,
) -> Option<RunReport<'s>> {
    let started = Instant::now();
    let cancel = Cancel::new();
    let (tx, rx) = mpsc::channel();
    // The worker has the session; events meanwhile are noted against a copy of its scope.
    let mut scope = session.scope.clone();
    let mut newer = Pending::default();
    let outcome = std::thread::scope(|threads| {
        let worker = threads.spawn(|| {
            let outcome = session.analyze(&cancel);
            let _ = tx.send(());
            outcome
        });
        // While the worker runs rather than before: walking the folders is not free either.
        scope.refresh_folders();
        let mut cancelled = false;
        loop {
            match rx.recv_timeout(Duration::from_millis(5)) {
                Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => {}
            }
            while let Ok(event) = events.try_recv() {
                if note(&event, &scope, &mut newer) && !cancelled {
                    cancelled = true;
                    cancel.cancel();
                }
            }
            if stop.load(Ordering::SeqCst) && !cancelled {
                cancelled = true;
                cancel.cancel();
            }
        }
        match worker.join() {
            // Cancelled, or bound to be rerun for the newer save (whatever became of it).
            _ if cancelled => None,
            Ok(outcome) => outcome,
            // A panic in a stage is a bug; the session goes on with the next save.
            Err(_) => Some((
                Err("the evaluation stopped unexpectedly".into()),
                Stats::default(),
            )),
        }
    });
    session.scope.folders = scope.folders;
    session.pending.extend(newer);
    let outcome = outcome?;
    Some(session.finish(outcome, started.elapsed()))
}

/// Collects events until none has arrived for `quiet` (at most two seconds in all, so a
/// file written continuously still gets evaluated).
fn wait_for_quiet(
    events: &Receiver<notify::Result<notify::Event>>,
    session: &mut Session,
    quiet: Duration,
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
                if session.note(&event) {
                    last = Instant::now();
                }
            }
            Err(_) => break,
        }
    }
}

/// Records what an event changed; true if it changed anything the workspace reads.
fn note(event: &notify::Result<notify::Event>, scope: &Scope, pending: &mut Pending) -> bool {
    let Ok(event) = event else {
        return false;
    };
    if event.need_rescan() {
        pending.rescan = true;
        return true;
    }
    if matches!(event.kind, EventKind::Access(_)) {
        return false;
    }
    if matches!(
        event.kind,
        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
    ) {
        pending.moved.extend(event.paths.iter().cloned());
    }
    let mut any = false;
    for path in &event.paths {
        if let Some(rel) = relevant(path, scope) {
            pending.trigger.insert(rel);
            any = true;
        }
    }
    any
}

// Driven by real file events, with `cp -r` for folder copies.
#[cfg(all(test, unix))]
mod tests;
