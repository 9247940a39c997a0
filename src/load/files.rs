//! The workspace's layout on disk, and reading its files in a fixed order.

use crate::base::diagnostic::{Code, Diagnostic, Diagnostics, Place};
use crate::base::files::{FileError, SOURCE_LIMIT, is_editor_leftover, read_regular};
use crate::base::source::{FileId, Sources, display_path};
use std::path::{Path, PathBuf};

pub(crate) const MANIFEST: &str = "kinerja.yaml";
pub(crate) const INDICATORS_DIR: &str = "indicators";
pub(crate) const BUDGETS_DIR: &str = "budgets";
pub(crate) const RULES_DIR: &str = "rules";

/// A workspace that could not be loaded at all (as opposed to one with problems in it).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(
        "{0} is not a kinerja workspace: it has no {MANIFEST}\n  hint: run kinerja in the directory that holds {MANIFEST}, or pass that directory as an argument"
    )]
    NotAWorkspace(PathBuf),
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Reads one file into `sources`: a regular file only, within the size limit of sources
/// (see [`read_regular`]). A stray byte must not lose the whole file: what is readable is
/// kept, and the YAML or Rhai parser reports the replacement character at its place. A
/// byte-order mark is dropped.
pub(crate) fn read_source(
    root: &Path,
    path: &Path,
    sources: &mut Sources,
) -> Result<FileId, FileError> {
    let bytes = read_regular(path, SOURCE_LIMIT)?;
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(sources.add(display_path(root, path), text))
}

/// The manifest: without one the directory is no workspace; one that cannot be read stops
/// the load, with what it is.
pub(crate) fn read_manifest(root: &Path, sources: &mut Sources) -> Result<FileId, LoadError> {
    let path = root.join(MANIFEST);
    // `symlink_metadata`: a dangling link is a manifest that cannot be read, not none.
    if std::fs::symlink_metadata(&path).is_err() {
        return Err(LoadError::NotAWorkspace(root.to_path_buf()));
    }
    read_source(root, &path, sources).map_err(|e| LoadError::Io {
        path,
        source: match e {
            FileError::Io(e) => e,
            other => std::io::Error::other(format!("{other}\n  hint: {}", other.hint())),
        },
    })
}

/// Reads every file whose name ends in `.` and one of `extensions` (`yaml`, `test.yaml`)
/// under `root/dir`, recursively, in path order
/// so that evaluation and output never depend on the file system's listing order.
pub(crate) fn read_dir(
    root: &Path,
    dir: &str,
    extensions: &[&str],
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<Vec<FileId>, LoadError> {
    let mut paths = Vec::new();
    collect(&root.join(dir), extensions, &mut paths)?;
    paths.sort();
    let mut ids = Vec::with_capacity(paths.len());
    for path in paths {
        match read_source(root, &path, sources) {
            Ok(id) => ids.push(id),
            // A file that vanished between listing and reading (an editor's temp file) is
            // not fatal; anything else unreadable (a FIFO, a device, a dangling link, a
            // file too large) is reported at its path, and the rest is still read.
            Err(e) if e.is_not_found() => {}
            Err(e) => {
                let shown = display_path(root, &path);
                diags.push(
                    Diagnostic::error(Code::Io, format!("cannot read {shown}: {e}"))
                        // The file as a whole: its first line, where editors show it.
                        .at_place(Place {
                            file: shown,
                            line: 1,
                            column: None,
                        })
                        .hint(e.hint()),
                );
            }
        }
    }
    Ok(ids)
}

fn collect(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(LoadError::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if is_editor_leftover(&entry.file_name().to_string_lossy()) {
            continue;
        }
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            collect(&path, extensions, out)?;
        } else if has_ending(&entry.file_name().to_string_lossy(), extensions) {
            out.push(path);
        }
    }
    Ok(())
}

/// Whether `name` ends in `.` and one of `endings` (`yaml`, `test.yaml`), after a stem.
pub(crate) fn has_ending(name: &str, endings: &[&str]) -> bool {
    endings.iter().any(|ending| {
        name.strip_suffix(ending)
            .and_then(|stem| stem.strip_suffix('.'))
            .is_some_and(|stem| !stem.is_empty())
    })
}
