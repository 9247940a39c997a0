//! `kinerja watch`: re-evaluate on every save and report what changed.
//!
//! Directories are watched, not files, so every way editors save works: writes in place,
//! write-to-temp-then-rename, backup-and-replace, delete and recreate, files and folders
//! moved in and out. Editor temp and swap files are ignored. A burst of saves is debounced
//! into one run. A save that leaves the workspace broken reports its diagnostics and keeps
//! the last good results, and the next good save is compared with those. A run still in
//! progress when a newer save arrives is cancelled (rules stop at their next check).
//!
//! This module only watches and evaluates; the caller renders each [`RunReport`].

use crate::diff::{self, Change};
use crate::incremental::Cache;
use crate::pipeline::{self, Analysis, RunOptions};
use crate::rules;
use crate::workspace::{BUDGETS_DIR, INDICATORS_DIR, MANIFEST, RULES_DIR};
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

pub struct Options {
    /// How long the files must stay quiet before a run starts.
    pub debounce: Duration,
    pub run: RunOptions,
}

/// The default quiet time. An editor's save is a burst of events a few milliseconds long at
/// most (write in place; write a temporary file and rename it; rename the old file away,
/// write, delete the backup), so 25 ms covers it with room to spare, and it is paid on every
/// save. A longer burst (a checkout, a formatter) that outlasts it costs an extra run at
/// most: a run still in progress when more events arrive is cancelled.
pub const DEFAULT_DEBOUNCE_MS: u64 = 25;

impl Default for Options {
    fn default() -> Self {
        Options {
            debounce: Duration::from_millis(DEFAULT_DEBOUNCE_MS),
            run: RunOptions::default(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
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
    pub fn name(self) -> &'static str {
        match self {
            Status::Initial => "initial",
            Status::Changed => "changed",
            Status::NoChange => "no_change",
            Status::Failed => "error",
        }
    }
}

/// What one run found.
pub struct RunReport<'a> {
    pub run: u64,
    /// The files whose change triggered the run, relative to the workspace.
    pub trigger: Vec<String>,
    /// From the end of the debounce to the result.
    pub elapsed: Duration,
    pub status: Status,
    /// Figures that moved since the last good run.
    pub changes: Vec<Change>,
    /// The run's analysis (its diagnostics, its results); `None` when the workspace could
    /// not be loaded at all.
    pub analysis: Option<&'a Analysis>,
    /// Why the workspace could not be loaded at all.
    pub load_error: Option<String>,
    /// What the run reused from the previous one and what it redid.
    pub reused: crate::incremental::Stats,
}

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("cannot watch {path}: {source}")]
    Notify {
        path: PathBuf,
        source: notify::Error,
    },
    #[error("cannot resolve {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Watches `root` until `stop` is set, calling `on_run` after every run.
pub fn watch(
    root: &Path,
    options: &Options,
    stop: &Arc<AtomicBool>,
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
    let mut last_good: Option<diff::Figures> = None;
    let mut scope = Scope {
        root: root.clone(),
        ..Scope::default()
    };
    let mut trigger: BTreeSet<String> = BTreeSet::new();
    // Kept between runs so that a save re-parses and re-evaluates only what it changed.
    let mut cache = Cache::default();
    loop {
        watched.ensure(&mut watcher, &root, &scope.libraries)?;
        run += 1;
        let started = Instant::now();
        let outcome = evaluate_cancellable(
            &root,
            options,
            &events,
            &mut scope,
            &mut trigger,
            &mut cache,
        );
        let Some(result) = outcome else {
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
                let (status, changes) = if analysis.complete().is_none() {
                    (Status::Failed, Vec::new())
                } else {
                    let t = Instant::now();
                    let figures = diff::Figures::of(&analysis, last_good.as_ref());
                    let (status, changes) = match &last_good {
                        None => (Status::Initial, Vec::new()),
                        Some(old) => {
                            let changes = figures.changes_since(old);
                            let status = if changes.is_empty() {
                                Status::NoChange
                            } else {
                                Status::Changed
                            };
                            (status, changes)
                        }
                    };
                    tracing::debug!(elapsed = ?t.elapsed(), changes = changes.len(), "figures compared");
                    last_good = Some(figures);
                    (status, changes)
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
                    reused: cache.stats,
                });
            }
            Err(e) => on_run(&RunReport {
                run,
                trigger: files,
                elapsed,
                status: Status::Failed,
                changes: Vec::new(),
                analysis: None,
                load_error: Some(e),
                reused: cache.stats,
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

type Outcome = Result<Analysis, String>;

/// Evaluates in a worker thread while listening for newer saves; a newer save cancels the
/// run and returns `None`.
fn evaluate_cancellable(
    dir: &Path,
    options: &Options,
    events: &Receiver<notify::Result<notify::Event>>,
    scope: &mut Scope,
    trigger: &mut BTreeSet<String>,
    cache: &mut Cache,
) -> Option<Outcome> {
    let (tx, rx) = mpsc::channel();
    let dir = dir.to_path_buf();
    let run = options.run.clone();
    let mut kept = std::mem::take(cache);
    let worker = std::thread::spawn(move || {
        let generation = rules::begin_cancellable_run();
        let result =
            pipeline::analyze_cached(&dir, &run, Some(&mut kept)).map_err(|e| e.to_string());
        let _ = tx.send((generation, result, kept));
    });
    // While the worker runs rather than before: walking the folders is not free either.
    scope.refresh_folders();
    let mut newer = false;
    let result = loop {
        match rx.recv_timeout(Duration::from_millis(5)) {
            Ok((generation, result, kept)) => {
                *cache = kept;
                break Some((generation, result));
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break None,
        }
        while let Ok(event) = events.try_recv() {
            if note(&event, scope, trigger) && !newer {
                newer = true;
                rules::cancel_runs();
            }
        }
    };
    // The worker has sent its result (or died); joining cannot block for long.
    let _ = worker.join();
    match result {
        Some((generation, _)) if newer || rules::is_cancelled(generation) => None,
        Some((_, result)) => Some(result),
        None => Some(Err("the evaluation stopped unexpectedly".into())),
    }
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

/// What belongs to the workspace: its root, shared rule libraries, and the folders inside
/// its workspace folders (so that a folder moved away still counts once it is gone).
#[derive(Default, Clone)]
pub struct Scope {
    pub root: PathBuf,
    pub libraries: Vec<PathBuf>,
    pub folders: BTreeSet<PathBuf>,
}

impl Scope {
    fn refresh_folders(&mut self) {
        fn walk(dir: &Path, out: &mut BTreeSet<PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    out.insert(e.path());
                    walk(&e.path(), out);
                }
            }
        }
        let mut folders = BTreeSet::new();
        for dir in [INDICATORS_DIR, BUDGETS_DIR, RULES_DIR] {
            walk(&self.root.join(dir), &mut folders);
        }
        self.folders = folders;
    }
}

/// The workspace-relative name of a path whose change matters, or `None`.
pub fn relevant(path: &Path, scope: &Scope) -> Option<String> {
    let root = &scope.root;
    let name = path.file_name()?.to_string_lossy();
    if is_editor_leftover(&name) {
        return None;
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    for lib in &scope.libraries {
        if path.starts_with(lib) && (ext == "rhai" || ext.is_empty()) {
            return Some(crate::source::display_path(root, path));
        }
    }
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = parts.next()?;
    let nested = parts.next().is_some();
    let shown = crate::source::display_path(root, path);
    match first.as_str() {
        MANIFEST if !nested => Some(shown),
        INDICATORS_DIR | BUDGETS_DIR | RULES_DIR if !nested => Some(shown),
        INDICATORS_DIR | BUDGETS_DIR if matches!(ext, "yaml" | "yml") => Some(shown),
        RULES_DIR if ext == "rhai" => Some(shown),
        // A folder moved in, or one known to the workspace moved out or removed. (A file
        // without extension that vanished is an editor's temporary file.)
        INDICATORS_DIR | BUDGETS_DIR | RULES_DIR
            if path.is_dir() || scope.folders.contains(path) =>
        {
            Some(shown)
        }
        _ => None,
    }
}

/// Swap, backup and temporary files of editors (vim, emacs, JetBrains, VS Code, gedit).
fn is_editor_leftover(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.contains("___jb_")
        || name.chars().all(|c| c.is_ascii_digit())
}

/// The directories being watched: the root (not recursively: it may hold a build folder),
/// and each workspace folder recursively once it exists.
#[derive(Default)]
struct Watches {
    dirs: BTreeSet<PathBuf>,
}

impl Watches {
    fn ensure(
        &mut self,
        watcher: &mut impl Watcher,
        root: &Path,
        libraries: &[PathBuf],
    ) -> Result<(), WatchError> {
        let mut wanted = vec![(root.to_path_buf(), RecursiveMode::NonRecursive)];
        for dir in [INDICATORS_DIR, BUDGETS_DIR, RULES_DIR] {
            wanted.push((root.join(dir), RecursiveMode::Recursive));
        }
        for lib in libraries {
            wanted.push((lib.clone(), RecursiveMode::Recursive));
        }
        // A folder deleted since is no longer watched by the system; forget it.
        self.dirs.retain(|d| d.is_dir());
        for (dir, mode) in wanted {
            if dir.is_dir() && !self.dirs.contains(&dir) {
                watcher
                    .watch(&dir, mode)
                    .map_err(|source| WatchError::Notify {
                        path: dir.clone(),
                        source,
                    })?;
                self.dirs.insert(dir);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_counts_as_a_workspace_change() {
        let scope = Scope {
            root: PathBuf::from("/w"),
            folders: [PathBuf::from("/w/indicators/old")].into(),
            ..Scope::default()
        };
        let r = |p: &str| relevant(Path::new(p), &scope);
        assert_eq!(r("/w/kinerja.yaml").as_deref(), Some("kinerja.yaml"));
        assert_eq!(
            r("/w/indicators/sp1.yaml").as_deref(),
            Some("indicators/sp1.yaml")
        );
        assert_eq!(
            r("/w/indicators/sub/x.yml").as_deref(),
            Some("indicators/sub/x.yml")
        );
        assert_eq!(r("/w/rules/a.rhai").as_deref(), Some("rules/a.rhai"));
        assert_eq!(r("/w/rules"), Some("rules".into()));
        // A folder the workspace had, now moved away; a vanished temp file is not one.
        assert_eq!(r("/w/indicators/old").as_deref(), Some("indicators/old"));
        assert_eq!(r("/w/indicators/sedX1b2c3"), None);
        // Editor leftovers and unrelated files.
        for p in [
            "/w/indicators/.sp1.yaml.swp",
            "/w/indicators/sp1.yaml~",
            "/w/indicators/4913",
            "/w/indicators/#sp1.yaml#",
            "/w/indicators/sp1.yaml___jb_tmp___",
            "/w/rules/a.rhai.tmp",
            "/w/snapshots/indikator.snap",
            "/w/target/debug/kinerja",
            "/w/README.md",
            "/w/rules/notes.txt",
            "/elsewhere/kinerja.yaml",
        ] {
            assert_eq!(r(p), None, "{p}");
        }
        let lib = Scope {
            libraries: vec![PathBuf::from("/lib/rules")],
            ..scope.clone()
        };
        assert!(relevant(Path::new("/lib/rules/x.rhai"), &lib).is_some());
    }
}
