//! The one way through: load → validate → compile rules → evaluate.

use crate::audit::{self, Finding};
use crate::diagnostic::Diagnostics;
use crate::eval::{self, Hasil};
use crate::incremental::{self, Cache};
use crate::model::Workspace;
use crate::rules::{Limits, RuleSet};
use crate::validate;
use crate::whatif::{self, Override};
use crate::workspace::{self, LoadError};
use std::path::Path;

/// A workspace with its rules, its diagnostics and, if it got that far, its results.
pub struct Analysis {
    pub workspace: Workspace,
    pub rules: RuleSet,
    pub diagnostics: Diagnostics,
    /// Everything that could be computed; figures that failed are absent, and their
    /// diagnostics are in `diagnostics`.
    pub hasil: Hasil,
    /// The audit's findings, known ones included. Those not known are also warnings in
    /// `diagnostics`.
    pub findings: Vec<Finding>,
}

impl Analysis {
    /// Results that are complete: nothing failed anywhere.
    pub fn complete(&self) -> Option<&Hasil> {
        if self.diagnostics.has_errors() {
            None
        } else {
            Some(&self.hasil)
        }
    }
}

pub fn analyze(root: &Path) -> Result<Analysis, LoadError> {
    analyze_with(root, &RunOptions::default())
}

/// How one run reads its inputs.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// What-if overrides, applied after loading.
    pub overrides: Vec<Override>,
    /// Leave unreadable budget CSV lines out (with a warning) instead of failing.
    pub allow_bad_rows: bool,
}

pub fn analyze_with(root: &Path, options: &RunOptions) -> Result<Analysis, LoadError> {
    analyze_cached(root, options, None)
}

/// Analyzes, reusing from `cache` whatever has not changed since it was filled, and leaving
/// in it what the next run may reuse (watch mode).
pub fn analyze_cached(
    root: &Path,
    options: &RunOptions,
    mut cache: Option<&mut Cache>,
) -> Result<Analysis, LoadError> {
    let loaded = workspace::load_cached(
        root,
        workspace::LoadOptions {
            allow_bad_rows: options.allow_bad_rows,
        },
        cache.as_deref_mut(),
    )?;
    let mut diagnostics = loaded.diagnostics;
    let mut ws = loaded.workspace;
    whatif::apply(&mut ws, &options.overrides)?;
    // A watch session validates only what changed; an override changes indikator behind
    // their files' backs, so then everything is validated.
    let reuse = match cache.as_deref_mut() {
        Some(c) if options.overrides.is_empty() => Some(validate::Reuse {
            parts: &loaded.parts,
            checks: &mut c.checks,
        }),
        _ => None,
    };
    let started = std::time::Instant::now();
    validate::validate_reusing(&ws, &mut diagnostics, reuse);
    tracing::debug!(elapsed = ?started.elapsed(), "validated");
    let rules = RuleSet::compile(
        &ws.sources,
        &loaded.rule_files,
        Limits::default(),
        &mut diagnostics,
    );
    // Evaluated even with errors: what was read is valid on its own, and failing rules
    // (a zero denominator, a loop) are problems `check` must list too. Callers use
    // `complete()` to get results only from a workspace without errors.
    let context = incremental::context(&ws, &format!("{:?}", options.overrides));
    let (hasil, eval_diags) = eval::evaluate_reusing(
        &ws,
        &rules,
        cache.as_deref().map(|c| eval::Reuse {
            results: &c.results,
            context,
        }),
    );
    if let Some(c) = cache {
        let started = std::time::Instant::now();
        remember(c, &ws, &hasil, context);
        tracing::debug!(elapsed = ?started.elapsed(), "results kept for the next run");
    }
    diagnostics.extend(eval_diags.sorted(&ws.sources));
    let started = std::time::Instant::now();
    let findings = audit::audit(&ws, &rules, &hasil);
    tracing::debug!(elapsed = ?started.elapsed(), "audited");
    diagnostics.extend(
        findings
            .iter()
            .filter(|f| !f.is_known())
            .map(Finding::to_diagnostic),
    );
    Ok(Analysis {
        workspace: ws,
        rules,
        diagnostics,
        hasil,
        findings,
    })
}

/// Keeps the complete results of this run for the next: a result with a figure missing
/// failed somewhere, and must be computed again to report why.
fn remember(cache: &mut Cache, ws: &Workspace, hasil: &Hasil, context: u64) {
    fn complete(model: &crate::model::Indikator, i: &eval::HasilIndikator) -> bool {
        (model.realisasi.is_none() || i.realisasi.is_some())
            && (i.target.is_none_or(|t| t.is_zero()) || i.capaian.is_some())
            && model
                .komponen
                .iter()
                .zip(&i.komponen)
                .all(|(m, k)| complete(m, k))
    }
    use rayon::prelude::*;
    let keys: Vec<Option<u64>> = ws
        .indikator
        .par_iter()
        .zip(&hasil.indikator)
        .with_min_len(256)
        .map(|(model, result)| {
            complete(model, result).then(|| incremental::of_indikator(ws, model, context))
        })
        .collect();
    let live = keys.iter().flatten().count();
    let reused = keys
        .iter()
        .flatten()
        .filter(|k| cache.results.contains_key(*k))
        .count();
    // A result found in the cache is the one evaluation reused: only new ones are copied in.
    for (key, result) in keys.iter().zip(&hasil.indikator) {
        if let Some(key) = key {
            cache.results.entry(*key).or_insert_with(|| result.clone());
        }
    }
    // Results of entries edited since stay until they are a fair share of the cache (an
    // undone edit may find its own), so that a run does not walk the whole cache.
    if cache.results.len() > live + live / 4 + 64 {
        let keep: ahash::AHashSet<u64> = keys.iter().flatten().copied().collect();
        cache.results.retain(|k, _| keep.contains(k));
    }
    cache.stats.indikator_reused = reused;
    cache.stats.indikator_evaluated = hasil.indikator.len() - reused;
}
