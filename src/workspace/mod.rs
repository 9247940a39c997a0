//! Loading a workspace: find its files, read them, and build the typed [`Workspace`].
//!
//! A workspace is a directory with `kinerja.yaml`, `indicators/*.yaml`, `budgets/*.yaml`
//! and `rules/*.rhai`. Loading never stops at the first problem: every file is read and
//! every problem becomes a diagnostic, so that `kinerja check` can list them all.

mod read;
pub use read::LinesCache;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::incremental::{Cache, FileModel, Part};
use crate::model::{Anggaran, Workspace};
use crate::source::{FileId, Sources, display_path};
use crate::yaml;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const MANIFEST: &str = "kinerja.yaml";
pub const INDICATORS_DIR: &str = "indicators";
pub const BUDGETS_DIR: &str = "budgets";
pub const RULES_DIR: &str = "rules";

/// A workspace that could not be loaded at all (as opposed to one with problems in it).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(
        "{0} is not a kinerja workspace: it has no {MANIFEST}\n  hint: run kinerja in the directory that holds {MANIFEST}, or pass that directory as an argument"
    )]
    NotAWorkspace(PathBuf),
    #[error("--set {0}")]
    Override(#[from] crate::whatif::OverrideError),
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A loaded workspace, with everything found wrong while loading it.
pub struct Loaded {
    pub workspace: Workspace,
    /// The rule files, read but not yet compiled (see [`crate::rules`]).
    pub rule_files: Vec<FileId>,
    pub diagnostics: Diagnostics,
    /// Which indikator each indicator file gave, in order.
    pub(crate) parts: Vec<Part>,
}

/// Reads the workspace at `root`. Only an unreadable root or a missing manifest is an
/// `Err`; everything else is a diagnostic on the returned workspace.
/// How to read what cannot be read cleanly.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadOptions {
    /// Budget CSV lines that cannot be read are left out with a warning instead of failing.
    pub allow_bad_rows: bool,
}

pub fn load(root: &Path) -> Result<Loaded, LoadError> {
    load_with(root, LoadOptions::default())
}

pub fn load_with(root: &Path, options: LoadOptions) -> Result<Loaded, LoadError> {
    load_cached(root, options, None)
}

/// Loads, reusing from `cache` what has not changed since it was filled.
pub fn load_cached(
    root: &Path,
    options: LoadOptions,
    mut cache: Option<&mut Cache>,
) -> Result<Loaded, LoadError> {
    let started = std::time::Instant::now();
    let manifest_path = root.join(MANIFEST);
    if !manifest_path.is_file() {
        return Err(LoadError::NotAWorkspace(root.to_path_buf()));
    }
    let mut sources = Sources::default();
    let mut diags = Diagnostics::default();

    let manifest_file = read_source(root, &manifest_path, &mut sources)?;
    let indicator_files = read_dir_sources(
        root,
        INDICATORS_DIR,
        &["yaml", "yml"],
        &mut sources,
        &mut diags,
    )?;
    let budget_files = read_dir_sources(
        root,
        BUDGETS_DIR,
        &["yaml", "yml"],
        &mut sources,
        &mut diags,
    )?;
    let mut rule_files = read_dir_sources(root, RULES_DIR, &["rhai"], &mut sources, &mut diags)?;

    let mut reader = read::Reader::new(&mut diags, root, options.allow_bad_rows);
    let manifest_tree = parse_yaml(&sources, manifest_file, reader.diags());
    let manifest = reader.manifest(manifest_tree.as_ref(), manifest_file);
    // Shared rule libraries named by the manifest, after the workspace's own rules.
    for library in &manifest.pustaka_rumus {
        let dir = root.join(&library.value);
        if !dir.is_dir() {
            diags.push(
                Diagnostic::error(
                    Code::Workspace,
                    format!("no rule directory `{}`", library.value),
                )
                .at(
                    library.span,
                    "pustaka_rumus names a directory that does not exist",
                )
                .hint("give a path relative to the directory holding kinerja.yaml"),
            );
            continue;
        }
        rule_files.extend(read_dir_sources(
            root,
            &library.value,
            &["rhai"],
            &mut sources,
            &mut diags,
        )?);
    }
    // Files are independent, and parsing and reading them dominates loading: each file
    // is parsed and read into its part of the model on its own thread (or, in a watch
    // session, taken from what the unchanged file gave last time), and the parts are joined
    // in file order. The budget files (with their line CSVs) are read meanwhile.
    let (files_cache, lines_cache) = match cache.as_deref_mut() {
        Some(c) => (Some(&mut c.files), Some(&mut c.lines)),
        None => (None, None),
    };
    let keys: Vec<(FileId, u64)> = indicator_files
        .iter()
        .map(|f| {
            (
                *f,
                crate::incremental::key(0, sources.get(*f).text.as_bytes()),
            )
        })
        .collect();
    let cached: Vec<Option<Arc<FileModel>>> = keys
        .iter()
        .map(|key| files_cache.as_deref().and_then(|c| c.get(key)).cloned())
        .collect();
    let allow_bad_rows = options.allow_bad_rows;
    let (parts, (anggaran, budget_diags)) = rayon::join(
        || {
            keys.par_iter()
                .zip(&cached)
                .map(|(key, hit)| match hit {
                    Some(_) => None,
                    None => Some(read_indicator_file(root, &sources, key.0, allow_bad_rows)),
                })
                .collect::<Vec<Option<FileModel>>>()
        },
        || {
            let mut budget_diags = Diagnostics::default();
            let mut anggaran = Anggaran::default();
            let mut reader = read::Reader::new(&mut budget_diags, root, allow_bad_rows);
            reader.lines_cache = lines_cache;
            for file in &budget_files {
                if let Some(tree) = parse_yaml(&sources, *file, reader.diags()) {
                    let path = sources.path(*file);
                    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
                    reader.budget_file(&tree, dir, &mut anggaran);
                }
            }
            (anggaran, budget_diags)
        },
    );
    let mut sasaran = Vec::new();
    let mut indikator = Vec::new();
    let mut dropped_refs = std::collections::BTreeSet::new();
    let mut used = std::collections::HashSet::new();
    let mut stats = crate::incremental::Stats::default();
    let mut files_cache = files_cache;
    let mut file_parts = Vec::with_capacity(parts.len());
    for ((key, hit), part) in keys.into_iter().zip(cached).zip(parts) {
        used.insert(key);
        let first = indikator.len();
        // What a cached model (reused, or just kept for the next run) gave is copied; a model
        // nobody keeps is moved.
        let shared = match (hit, part) {
            (Some(model), _) => {
                stats.files_reused += 1;
                Some(model)
            }
            (None, Some(model)) => {
                stats.files_parsed += 1;
                match files_cache.as_deref_mut() {
                    Some(c) => {
                        let model = Arc::new(model);
                        c.insert(key, Arc::clone(&model));
                        Some(model)
                    }
                    None => {
                        sasaran.extend(model.sasaran);
                        indikator.extend(model.indikator);
                        diags.extend(model.diagnostics);
                        dropped_refs.extend(model.dropped_refs);
                        None
                    }
                }
            }
            (None, None) => None,
        };
        if let Some(model) = shared {
            sasaran.extend(model.sasaran.iter().cloned());
            indikator.extend(model.indikator.iter().cloned());
            diags.extend(model.diagnostics.iter().cloned());
            dropped_refs.extend(model.dropped_refs.iter().cloned());
        }
        file_parts.push(Part {
            key,
            indikator: first..indikator.len(),
        });
    }
    diags.extend(budget_diags.into_vec());
    if let Some(c) = cache {
        c.retain_files(&used);
        c.stats.files_parsed = stats.files_parsed;
        c.stats.files_reused = stats.files_reused;
    }
    if indicator_files.is_empty() {
        diags.push(
            Diagnostic::error(
                Code::Workspace,
                format!("no indicator files in {INDICATORS_DIR}/"),
            )
            .hint(format!(
                "add at least one `{INDICATORS_DIR}/*.yaml` with `sasaran:` and `indikator:`"
            )),
        );
    }
    tracing::debug!(
        indicator_files = indicator_files.len(),
        budget_files = budget_files.len(),
        rule_files = rule_files.len(),
        sasaran = sasaran.len(),
        indikator = indikator.len(),
        elapsed = ?started.elapsed(),
        "workspace loaded"
    );
    Ok(Loaded {
        workspace: Workspace {
            root: root.to_path_buf(),
            sources,
            manifest,
            sasaran,
            indikator,
            anggaran,
            dropped_refs,
        },
        rule_files,
        diagnostics: diags,
        parts: file_parts,
    })
}

/// One indicator file's part of the model, with its own diagnostics.
fn read_indicator_file(
    root: &Path,
    sources: &Sources,
    file: FileId,
    allow_bad_rows: bool,
) -> FileModel {
    let mut diags = Diagnostics::default();
    let mut sasaran = Vec::new();
    let mut indikator = Vec::new();
    let mut reader = read::Reader::new(&mut diags, root, allow_bad_rows);
    match yaml::parse(file, &sources.get(file).text) {
        Ok(tree) => reader.indicator_file(&tree, &mut sasaran, &mut indikator),
        Err(d) => reader.diags().push(*d),
    }
    let dropped_refs = std::mem::take(&mut reader.dropped_refs);
    FileModel {
        sasaran,
        indikator,
        diagnostics: diags.into_vec(),
        dropped_refs,
    }
}

fn parse_yaml<'s>(
    sources: &'s Sources,
    file: FileId,
    diags: &mut Diagnostics,
) -> Option<yaml::Node<'s>> {
    match yaml::parse(file, &sources.get(file).text) {
        Ok(node) => Some(node),
        Err(d) => {
            diags.push(*d);
            None
        }
    }
}

fn read_source(root: &Path, path: &Path, sources: &mut Sources) -> Result<FileId, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    // A stray byte must not lose the whole file: keep what is readable, and the YAML or
    // Rhai parser reports the replacement character at its place.
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(sources.add(display_path(root, path), text))
}

/// Reads every file with one of `extensions` under `root/dir`, recursively, in path order
/// so that evaluation and output never depend on the file system's listing order.
fn read_dir_sources(
    root: &Path,
    dir: &str,
    extensions: &[&str],
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<Vec<FileId>, LoadError> {
    let mut paths = Vec::new();
    collect_files(&root.join(dir), extensions, &mut paths)?;
    paths.sort();
    let mut ids = Vec::with_capacity(paths.len());
    for path in paths {
        match read_source(root, &path, sources) {
            Ok(id) => ids.push(id),
            // A file that vanished between listing and reading (an editor's temp file) is
            // not fatal; anything else unreadable is reported at its path.
            Err(LoadError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {}
            Err(LoadError::Io { path, source }) => diags.push(
                Diagnostic::error(
                    Code::Io,
                    format!("cannot read {}: {source}", display_path(root, &path)),
                )
                .hint("check the file's permissions"),
            ),
            Err(other) => return Err(other),
        }
    }
    Ok(ids)
}

fn collect_files(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
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
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // Hidden files and editor leftovers (`.x.swp`, `x~`, `#x#`) are not workspace files.
        if name.starts_with('.') || name.ends_with('~') || name.starts_with('#') {
            continue;
        }
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            collect_files(&path, extensions, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e))
        {
            out.push(path);
        }
    }
    Ok(())
}
