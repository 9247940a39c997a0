//! The one way through: load → validate → compile rules → evaluate.

use crate::audit::{self, Finding};
use crate::diagnostic::Diagnostics;
use crate::eval::{self, Hasil};
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
    let loaded = workspace::load_with(
        root,
        workspace::LoadOptions {
            allow_bad_rows: options.allow_bad_rows,
        },
    )?;
    let mut diagnostics = loaded.diagnostics;
    let mut ws = loaded.workspace;
    whatif::apply(&mut ws, &options.overrides)?;
    validate::validate(&ws, &mut diagnostics);
    let rules = RuleSet::compile(
        &ws.sources,
        &loaded.rule_files,
        Limits::default(),
        &mut diagnostics,
    );
    // Evaluated even with errors: what was read is valid on its own, and failing rules
    // (a zero denominator, a loop) are problems `check` must list too. Callers use
    // `complete()` to get results only from a workspace without errors.
    let (hasil, eval_diags) = eval::evaluate(&ws, &rules);
    diagnostics.extend(eval_diags.sorted(&ws.sources));
    let findings = audit::audit(&ws, &rules, &hasil);
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
