//! The one way through: load → validate → compile rules → evaluate.

use crate::diagnostic::Diagnostics;
use crate::eval::{self, Hasil};
use crate::model::Workspace;
use crate::rules::{Limits, RuleSet};
use crate::validate;
use crate::workspace::{self, LoadError};
use std::path::Path;

/// A workspace with its rules, its diagnostics and, if it got that far, its results.
pub struct Analysis {
    pub workspace: Workspace,
    pub rules: RuleSet,
    pub diagnostics: Diagnostics,
    /// Present when the workspace loaded without errors and was evaluated. Figures that
    /// failed are absent inside it, and their diagnostics are in `diagnostics`.
    pub hasil: Option<Hasil>,
}

impl Analysis {
    /// Results that are complete: nothing failed anywhere.
    pub fn complete(&self) -> Option<&Hasil> {
        if self.diagnostics.has_errors() {
            None
        } else {
            self.hasil.as_ref()
        }
    }
}

pub fn analyze(root: &Path) -> Result<Analysis, LoadError> {
    let loaded = workspace::load(root)?;
    let mut diagnostics = loaded.diagnostics;
    let ws = loaded.workspace;
    validate::validate(&ws, &mut diagnostics);
    let started = std::time::Instant::now();
    let rules = RuleSet::compile(&ws.sources, &loaded.rule_files, Limits::default(), &mut diagnostics);
    tracing::debug!(elapsed = ?started.elapsed(), "rules compiled");
    // Evaluating a workspace whose files have errors would only repeat them as failures.
    let hasil = if diagnostics.has_errors() {
        None
    } else {
        let (hasil, eval_diags) = eval::evaluate(&ws, &rules);
        diagnostics.extend(eval_diags.sorted(&ws.sources));
        Some(hasil)
    };
    Ok(Analysis {
        workspace: ws,
        rules,
        diagnostics,
        hasil,
    })
}
