//! What a watch session keeps between runs, so that a save redoes only what it changed:
//! parsed YAML trees of unchanged files, aggregated budget lines of unchanged CSVs, and the
//! results of indikator whose definition, rules and manifest are unchanged.
//!
//! Everything is keyed by content (a fingerprint of the text), never by time, so a stale
//! entry can never be used: a changed file, rule or manifest simply misses. Entries not used
//! by a run are dropped after it, so the cache never outgrows the workspace.

use crate::diagnostic::Diagnostic;
use crate::eval::HasilIndikator;
use crate::model::{Indikator, Sasaran, Workspace};
use crate::source::FileId;
// aHash: these maps are keyed by ids from the workspace, not by adversaries.
use ahash::AHashMap as HashMap;
use std::sync::Arc;

/// A stable content fingerprint (FNV-1a 64): the same on every machine and run.
pub fn fingerprint(text: &str) -> u64 {
    fingerprint_bytes(0xcbf2_9ce4_8422_2325, text.as_bytes())
}

pub fn fingerprint_bytes(seed: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(seed, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[derive(Default)]
pub struct Cache {
    /// What each indicator file contributed to the model, by file id (spans inside carry
    /// it) and content: re-reading an unchanged file would give exactly this.
    pub(crate) files: HashMap<(FileId, u64), Arc<FileModel>>,
    /// Aggregated CSVs by path, size and modification time (too large to fingerprint).
    pub(crate) lines: crate::workspace::LinesCache,
    /// Evaluated indikator by the fingerprint of their definition in its context.
    pub(crate) results: HashMap<u64, HasilIndikator>,
    pub stats: Stats,
}

/// What the last run reused and what it redid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub files_parsed: usize,
    pub files_reused: usize,
    pub indikator_evaluated: usize,
    pub indikator_reused: usize,
}

/// What every indikator's result depends on besides its own entry: the manifest, every rule
/// file, and the run's what-if overrides.
pub fn context(ws: &Workspace, overrides: &str) -> u64 {
    let mut h = fingerprint(overrides);
    for (_, f) in ws.sources.iter() {
        if f.path == crate::workspace::MANIFEST || f.path.ends_with(".rhai") {
            h = fingerprint_bytes(h, f.path.as_bytes());
            h = fingerprint_bytes(h, f.text.as_bytes());
        }
    }
    h
}

/// An indikator's entry (komponen included) in its context.
pub fn of_indikator(ws: &Workspace, ind: &Indikator, context: u64) -> u64 {
    let text = &ws.sources.get(ind.span.file).text;
    let entry = text.get(ind.span.start..ind.span.end).unwrap_or_default();
    fingerprint_bytes(context, entry.as_bytes())
}

/// One indicator file's share of the model, with what reading it reported.
#[derive(Default)]
pub(crate) struct FileModel {
    pub sasaran: Vec<Sasaran>,
    pub indikator: Vec<Indikator>,
    pub diagnostics: Vec<Diagnostic>,
    pub dropped_refs: Vec<String>,
}

impl Cache {
    /// Keeps only what `used` says the last run used.
    pub(crate) fn retain_files(&mut self, used: &std::collections::HashSet<(FileId, u64)>) {
        self.files.retain(|k, _| used.contains(k));
    }
}
