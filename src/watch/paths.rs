//! Which paths belong to a workspace, and the folders to watch for them.

use crate::base::files::is_editor_leftover;
use crate::base::source::display_path;
use crate::load::{BUDGETS_DIR, INDICATORS_DIR, MANIFEST, RULES_DIR};
use notify::{RecursiveMode, Watcher};
use std::collections::BTreeSet;
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

/// What belongs to the workspace: its root, shared rule libraries, and the folders inside
/// its workspace folders (so that a folder moved away still counts once it is gone).
#[derive(Default, Clone)]
pub(crate) struct Scope {
    pub(crate) root: PathBuf,
    pub(crate) libraries: Vec<PathBuf>,
    pub(crate) folders: BTreeSet<PathBuf>,
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

/// The workspace-relative name of a path whose change matters, or `None`.
pub(super) fn relevant(path: &Path, scope: &Scope) -> Option<String> {
    let root = &scope.root;
    let name = path.file_name()?.to_string_lossy();
    if is_editor_leftover(&name) {
        return None;
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    for lib in &scope.libraries {
        // A rule file, or a folder moved in or out (not a file without extension that
        // vanished: an editor's temporary file).
        if path.starts_with(lib) && (ext == "rhai" || path.is_dir() || scope.folders.contains(path))
        {
            return Some(display_path(root, path));
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

/// The directories being watched: the root (not recursively: it may hold a build folder),
/// and each workspace folder recursively once it exists.
#[derive(Default)]
pub(super) struct Watches {
    dirs: BTreeSet<PathBuf>,
}

impl Watches {
    pub(super) fn ensure(
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
        // vim's probe file in a library is no change.
        assert_eq!(relevant(Path::new("/lib/rules/4913"), &lib), None);
    }
}
