//! Which paths belong to a workspace, and the folders to watch for them.

use crate::base::files::is_editor_leftover;
use crate::base::source::display_path;
use crate::load::kategori::is_band_table;
use crate::load::rule_tests::is_rule_test;
use crate::load::{BUDGETS_DIR, INDICATORS_DIR, MANIFEST, RULES_DIR};
use notify::{RecursiveMode, Watcher};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Why watching cannot start or go on.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WatchError {
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

/// What belongs to the workspace: its root, shared rule libraries, the budget line files
/// its budget files name (wherever they are), and the folders inside its workspace folders
/// (so that a folder moved away still counts once it is gone).
#[derive(Default, Clone)]
pub(crate) struct Scope {
    pub(crate) root: PathBuf,
    pub(crate) libraries: Vec<PathBuf>,
    /// Each budget line file the last run read, as an event may name it: under its folder
    /// resolved, and (for a link) the file it leads to.
    pub(crate) line_files: BTreeSet<PathBuf>,
    pub(crate) folders: BTreeSet<PathBuf>,
}

/// The paths an event about the file at `path` may carry: the watches are on resolved
/// folders, so `budgets/../data/x.csv` is `<root>/data/x.csv` to them; a link's target
/// changes where the target is.
pub(crate) fn event_paths(path: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let (Some(dir), Some(name)) = (path.parent(), path.file_name())
        && let Ok(dir) = dir.canonicalize()
    {
        out.push(dir.join(name));
    }
    if let Ok(target) = path.canonicalize()
        && !out.contains(&target)
    {
        out.push(target);
    }
    out
}

impl Scope {
    /// Notes every folder of the workspace folders and the rule libraries as it is now.
    pub(super) fn refresh_folders(&mut self) {
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
        for lib in &self.libraries {
            walk(lib, &mut folders);
        }
        self.folders = folders;
    }
}

/// A path as a run's trigger shows it: relative to the workspace inside it, whole outside.
fn shown(root: &Path, path: &Path) -> String {
    if path.starts_with(root) {
        display_path(root, path)
    } else {
        path.display().to_string()
    }
}

/// The workspace-relative name of a path whose change matters, or `None`.
pub(super) fn relevant(path: &Path, scope: &Scope) -> Option<String> {
    let root = &scope.root;
    // A budget line file the workspace reads, whatever its name and wherever it is, or a
    // folder it is in (moved, removed or replaced, the file with it).
    if scope.line_files.iter().any(|f| f.starts_with(path)) {
        return Some(shown(root, path));
    }
    let name = path.file_name()?.to_string_lossy();
    if is_editor_leftover(&name) {
        return None;
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    for lib in &scope.libraries {
        // A rule file, or a folder moved in or out (not a file without extension that
        // vanished: an editor's temporary file), or the library itself moved or replaced.
        if path.starts_with(lib)
            && (ext == "rhai"
                || is_band_table(&name)
                || is_rule_test(&name)
                || path == lib
                || path.is_dir()
                || scope.folders.contains(path))
        {
            return Some(shown(root, path));
        }
    }
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = parts.next()?;
    let nested = parts.next().is_some();
    let shown = display_path(root, path);
    match first.as_str() {
        MANIFEST if !nested => Some(shown),
        INDICATORS_DIR | BUDGETS_DIR | RULES_DIR if !nested => Some(shown),
        INDICATORS_DIR | BUDGETS_DIR if matches!(ext, "yaml" | "yml") => Some(shown),
        // Rules, band tables, and the rules' test cases (a saved case is run again).
        RULES_DIR if ext == "rhai" || is_band_table(&name) || is_rule_test(&name) => Some(shown),
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

/// The directories being watched: the root (not recursively: it may hold a build folder),
/// each workspace folder and rule library recursively once it exists, and the folder of
/// each budget line file that none of those covers.
///
/// A watch follows the folder it was set on, not its path: a folder moved away takes its
/// watch with it, and one deleted loses it, even when a folder appears again at the same
/// path (`mv indicators X && cp -r X indicators`). So each watch remembers the folder's
/// identity, and a folder whose path an event named as created, removed or renamed, or
/// whose identity changed, is watched afresh.
#[derive(Default)]
pub(super) struct Watches {
    dirs: BTreeMap<PathBuf, Watched>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct Watched {
    mode: RecursiveMode,
    identity: Identity,
}

/// Which folder a path is: device and inode where the system has them.
type Identity = (u64, u64);

fn identity(dir: &Path) -> Option<Identity> {
    let meta = std::fs::metadata(dir).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some((0, 0))
    }
}

impl Watches {
    /// The folders to watch for `scope`, and how.
    fn wanted(scope: &Scope) -> BTreeMap<PathBuf, RecursiveMode> {
        let root = &scope.root;
        let mut wanted = BTreeMap::new();
        wanted.insert(root.clone(), RecursiveMode::NonRecursive);
        for dir in [INDICATORS_DIR, BUDGETS_DIR, RULES_DIR] {
            wanted.insert(root.join(dir), RecursiveMode::Recursive);
        }
        for lib in &scope.libraries {
            wanted.insert(lib.clone(), RecursiveMode::Recursive);
        }
        for file in &scope.line_files {
            let Some(dir) = file.parent() else { continue };
            let covered = dir == root.as_path()
                || wanted
                    .iter()
                    .any(|(w, m)| *m == RecursiveMode::Recursive && dir.starts_with(w));
            if !covered {
                wanted
                    .entry(dir.to_path_buf())
                    .or_insert(RecursiveMode::NonRecursive);
            }
        }
        wanted
    }

    /// Watches what `scope` needs and no more. `touched`: folders an event named as
    /// created, removed or renamed since the last call; `all`: watch everything afresh (the
    /// system dropped events). True if a folder was watched that was not just before.
    pub(super) fn ensure(
        &mut self,
        watcher: &mut impl Watcher,
        scope: &Scope,
        touched: &BTreeSet<PathBuf>,
        all: bool,
    ) -> Result<bool, WatchError> {
        let wanted = Self::wanted(scope);
        let stale: Vec<PathBuf> = self
            .dirs
            .iter()
            .filter(|(dir, w)| {
                all || touched.contains(*dir)
                    || wanted.get(*dir) != Some(&w.mode)
                    || identity(dir) != Some(w.identity)
            })
            .map(|(dir, _)| dir.clone())
            .collect();
        for dir in stale {
            // The system may have dropped the watch already (a folder deleted or moved).
            let _ = watcher.unwatch(&dir);
            self.dirs.remove(&dir);
        }
        let mut added = false;
        for (dir, mode) in wanted {
            if self.dirs.contains_key(&dir) {
                continue;
            }
            let Some(identity) = identity(&dir) else {
                continue;
            };
            match watcher.watch(&dir, mode) {
                Ok(()) => {
                    self.dirs.insert(dir, Watched { mode, identity });
                    added = true;
                }
                // Gone again since it was looked at: watched once it is back.
                Err(e) if !dir.is_dir() => {
                    tracing::debug!(dir = %dir.display(), error = %e, "folder gone before it was watched");
                }
                Err(source) => return Err(WatchError::Notify { path: dir, source }),
            }
        }
        Ok(added)
    }

    /// The folders being watched now, and how.
    #[cfg(test)]
    pub(super) fn watched(&self) -> Vec<(PathBuf, RecursiveMode)> {
        self.dirs.iter().map(|(d, w)| (d.clone(), w.mode)).collect()
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
        // A band table changes the bands of figures.
        assert_eq!(
            r("/w/rules/sakip.kategori.yaml").as_deref(),
            Some("rules/sakip.kategori.yaml")
        );
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
        assert_eq!(
            relevant(Path::new("/lib/rules/x.rhai"), &lib).as_deref(),
            Some("/lib/rules/x.rhai")
        );
        assert_eq!(
            relevant(Path::new("/lib/rules/ikm.kategori.yml"), &lib).as_deref(),
            Some("/lib/rules/ikm.kategori.yml")
        );
        // The library itself, moved away (it is no folder any more).
        assert_eq!(
            relevant(Path::new("/lib/rules"), &lib).as_deref(),
            Some("/lib/rules")
        );
        // vim's probe file in a library is no change.
        assert_eq!(relevant(Path::new("/lib/rules/4913"), &lib), None);
        // A budget line file the budget files name, wherever it is; no other.
        let lines = Scope {
            line_files: [
                PathBuf::from("/w/budgets/rincian.csv"),
                PathBuf::from("/w/data/tambahan.csv"),
                PathBuf::from("/bersama/realisasi.csv"),
            ]
            .into(),
            ..scope.clone()
        };
        let r = |p: &str| relevant(Path::new(p), &lines);
        assert_eq!(
            r("/w/budgets/rincian.csv").as_deref(),
            Some("budgets/rincian.csv")
        );
        assert_eq!(
            r("/w/data/tambahan.csv").as_deref(),
            Some("data/tambahan.csv")
        );
        assert_eq!(
            r("/bersama/realisasi.csv").as_deref(),
            Some("/bersama/realisasi.csv")
        );
        // The folder of one, moved or replaced.
        assert_eq!(r("/w/data").as_deref(), Some("data"));
        assert_eq!(r("/bersama").as_deref(), Some("/bersama"));
        for p in [
            "/w/budgets/lain.csv",
            "/w/data/.tambahan.csv.tmp",
            "/w/data/lain.csv",
            "/w/dokumen",
        ] {
            assert_eq!(r(p), None, "{p}");
        }
    }

    /// A watcher that only records what it is asked.
    #[derive(Default)]
    struct Recorder {
        calls: Vec<String>,
    }

    impl Watcher for Recorder {
        fn new<F: notify::EventHandler>(_: F, _: notify::Config) -> notify::Result<Self> {
            Ok(Recorder::default())
        }

        fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
            let how = match mode {
                RecursiveMode::Recursive => "recursive",
                RecursiveMode::NonRecursive => "flat",
            };
            self.calls.push(format!("watch {} {how}", path.display()));
            Ok(())
        }

        fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
            self.calls.push(format!("unwatch {}", path.display()));
            Ok(())
        }

        fn kind() -> notify::WatcherKind {
            notify::WatcherKind::NullWatcher
        }
    }

    /// What is watched follows the workspace: the folder of a line file outside the
    /// workspace folders; a folder replaced by a copy, or named by an event as moved, is
    /// watched afresh; a folder gone is forgotten.
    #[test]
    fn watches_follow_the_folders() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path().canonicalize().expect("root");
        for dir in ["indicators", "budgets", "rules", "data"] {
            std::fs::create_dir(root.join(dir)).expect("mkdir");
        }
        let scope = Scope {
            root: root.clone(),
            line_files: [
                root.join("data/tambahan.csv"),
                root.join("budgets/rincian.csv"),
                root.join("realisasi.csv"),
            ]
            .into(),
            ..Scope::default()
        };
        let mut watches = Watches::default();
        let mut w = Recorder::default();
        let none = BTreeSet::new();
        let mut ensure = |w: &mut Recorder, touched: &BTreeSet<PathBuf>| {
            watches.ensure(w, &scope, touched, false).expect("ensure");
            let calls = std::mem::take(&mut w.calls);
            calls
                .into_iter()
                .map(|c| c.replace(&root.display().to_string(), "W"))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ensure(&mut w, &none),
            [
                "watch W flat",
                "watch W/budgets recursive",
                "watch W/data flat",
                "watch W/indicators recursive",
                "watch W/rules recursive",
            ]
        );
        assert!(ensure(&mut w, &none).is_empty(), "nothing changed");
        // `mv indicators lama && cp -r lama indicators`: another folder at the same path.
        std::fs::rename(root.join("indicators"), root.join("lama")).expect("mv");
        std::fs::create_dir(root.join("indicators")).expect("mkdir");
        assert_eq!(
            ensure(&mut w, &none),
            ["unwatch W/indicators", "watch W/indicators recursive"]
        );
        // A folder an event named as replaced, though it looks the same (an inode reused).
        assert_eq!(
            ensure(&mut w, &[root.join("rules")].into()),
            ["unwatch W/rules", "watch W/rules recursive"]
        );
        std::fs::remove_dir(root.join("data")).expect("rmdir");
        assert_eq!(ensure(&mut w, &none), ["unwatch W/data"]);
    }
}
