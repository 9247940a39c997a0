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

/// An indikator's entry (komponen included) in its context. In a file with YAML anchors the
/// entry's text does not say everything it means (an alias in it brings in a value written
/// elsewhere, at the anchor), so there the whole file is its context too.
pub fn of_indikator(ws: &Workspace, ind: &Indikator, context: u64) -> u64 {
    let file = ws.sources.get(ind.span.file);
    let entry = file
        .text
        .get(ind.span.start..ind.span.end)
        .unwrap_or_default();
    let context = match file.anchored() {
        Some(whole) => fingerprint_bytes(context, &whole.to_le_bytes()),
        None => context,
    };
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

#[cfg(test)]
mod tests {
    use super::Cache;
    use crate::diff;
    use crate::pipeline::{self, Analysis, RunOptions};

    /// The byte ranges of the top-level indikator entries of an indicator file.
    fn entries(text: &str) -> Vec<(usize, usize)> {
        let starts: Vec<usize> = text
            .match_indices("\n  - id: ")
            .map(|(i, _)| i + 1)
            .collect();
        starts
            .iter()
            .enumerate()
            .map(|(n, &s)| (s, starts.get(n + 1).copied().unwrap_or(text.len())))
            .collect()
    }

    /// The number after `key` (and an anchor or alias, if any) in `text`, as a range.
    fn number_after(text: &str, key: &str) -> Option<(usize, usize)> {
        let at = text.find(key)? + key.len();
        let rest = &text[at..];
        let skip = if rest.starts_with('&') {
            rest.find(' ')? + 1
        } else {
            0
        };
        let len = rest[skip..]
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len() - skip);
        (len > 0).then_some((at + skip, at + skip + len))
    }

    fn assert_same(inc: &Analysis, full: &Analysis, what: &str) {
        assert_eq!(
            inc.diagnostics.iter().collect::<Vec<_>>(),
            full.diagnostics.iter().collect::<Vec<_>>(),
            "diagnostics after {what}"
        );
        assert_eq!(
            diff::figures(inc),
            diff::figures(full),
            "figures after {what}"
        );
        assert_eq!(
            inc.hasil.nilai_kinerja, full.hasil.nilai_kinerja,
            "nilai kinerja after {what}"
        );
        assert_eq!(
            inc.findings.len(),
            full.findings.len(),
            "findings after {what}"
        );
    }

    /// A target written as an alias of another's anchor moves when the anchor does, though
    /// its own entry's text stays the same.
    #[test]
    fn an_alias_follows_its_anchor() {
        let tmp = tempfile::tempdir().expect("tmp");
        let spec = crate::generate::Spec {
            institutions: 1,
            indicators: 8,
            files: 1,
            indicators_per_sasaran: 4,
            budget_lines: 10,
            seed: 5,
        };
        crate::generate::generate(tmp.path(), &spec).expect("generate");
        let file = tmp.path().join("indicators/i001/f0001.yaml");
        let text = std::fs::read_to_string(&file).expect("read");
        let list = entries(&text);
        let (s1, e1) = list[0];
        let (s2, e2) = list[1];
        let (a1, b1) = number_after(&text[s1..e1], "pk: ").expect("a target");
        let (a2, b2) = number_after(&text[s2..e2], "pk: ").expect("a target");
        let with = |value: &str| {
            format!(
                "{}&shared {value}{}*shared{}",
                &text[..s1 + a1],
                &text[s1 + b1..s2 + a2],
                &text[s2 + b2..]
            )
        };
        let mut cache = Cache::default();
        let options = RunOptions::default();
        for value in ["70", "75", "70"] {
            std::fs::write(&file, with(value)).expect("write");
            let inc = pipeline::analyze_cached(tmp.path(), &options, Some(&mut cache))
                .expect("incremental");
            let full = pipeline::analyze(tmp.path()).expect("full");
            assert_same(&inc, &full, &format!("the anchor set to {value}"));
            assert!(full.complete().is_some(), "{:?}", full.diagnostics);
        }
    }
}
