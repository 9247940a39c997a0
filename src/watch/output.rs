//! What `kinerja watch` prints after each run: a few lines for people, or one JSON object
//! per run for editors, whose figures are the same JSON numbers `eval --format json` gives.

use super::{RunReport, Status};
use crate::base::diagnostic::Diagnostic;
use crate::load::rule_tests::is_rule_test;
use crate::model::Isi;
use crate::report::diagnostics::{self, DiagnosticOut};
use crate::report::json::{Exact, line};
use serde::Serialize;
use std::fmt::Write as _;
use std::str::FromStr;

fn elapsed_ms(d: std::time::Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// The run for people: what triggered it, how long it took, each changed figure.
pub(crate) fn text(r: &RunReport, color: bool, dir: &std::path::Path) -> String {
    let mut out = String::new();
    let trigger = if r.trigger.is_empty() {
        "workspace".to_string()
    } else {
        r.trigger.join(", ")
    };
    let ms = elapsed_ms(r.elapsed);
    let paint = |text: &str, code: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    if let Some(e) = &r.load_error {
        let _ = writeln!(
            out,
            "{trigger}: {e}; keeping the last good results ({ms} ms)"
        );
        return out;
    }
    let Some(a) = r.analysis else { return out };
    let ws = &a.workspace;
    match r.status {
        Status::Initial => {
            // A report as of a period says which.
            let periode = ws
                .manifest
                .periode
                .laporan
                .map(|p| format!(" as of {}", p.nama()))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "watching {}{periode}: {} ({ms} ms); Ctrl-C to stop",
                dir.display(),
                summary(a)
            );
        }
        Status::NoChange => {
            let _ = writeln!(out, "{trigger}: no change ({ms} ms)");
        }
        Status::Changed => {
            let n = r.changes.len();
            let _ = writeln!(
                out,
                "{trigger}: {n} figure{} changed ({ms} ms)",
                if n == 1 { "" } else { "s" }
            );
            let width = r
                .changes
                .iter()
                .map(|c| c.id.len() + c.field.len() + 1)
                .max()
                .unwrap_or(0);
            for c in &r.changes {
                let name = format!("{} {}", c.id, c.field);
                let old = c.old.clone().unwrap_or_else(|| "(none)".into());
                let new = c.new.clone().unwrap_or_else(|| "(none)".into());
                let arrow = match (c.old_number, c.new_number) {
                    (Some(o), Some(n)) if n > o => paint(&format!("{old} → {new}"), "32"),
                    (Some(_), Some(_)) => paint(&format!("{old} → {new}"), "31"),
                    _ => format!("{old} → {new}"),
                };
                let _ = writeln!(out, "  {name:<width$}  {arrow}");
            }
            if let Some(before) = r.isi_before {
                for line in isi_changes(before, ws.isi()) {
                    let _ = writeln!(out, "  {line}");
                }
            }
        }
        Status::Failed => {
            let diags: Vec<&Diagnostic> = a.diagnostics.iter().filter(|d| d.is_error()).collect();
            for d in &diags {
                let _ = writeln!(out, "{}\n", d.render(&ws.sources, color));
            }
            let _ = writeln!(
                out,
                "{trigger}: {} error{}; keeping the last good results ({ms} ms)",
                diags.len(),
                if diags.len() == 1 { "" } else { "s" }
            );
        }
    }
    if let Some(run) = &r.tests {
        // Shown when a case fails, or when a rule or test file was saved.
        let rule_save = r
            .trigger
            .iter()
            .any(|f| f.ends_with(".rhai") || is_rule_test(f.rsplit('/').next().unwrap_or(f)));
        if run.failed() > 0 {
            for d in &run.diagnostics {
                let _ = writeln!(out, "{}\n", d.render(&ws.sources, color));
            }
        }
        if run.failed() > 0 || rule_save {
            let _ = writeln!(
                out,
                "rule tests: {} passed, {} failed",
                run.outcomes.len() - run.failed(),
                run.failed()
            );
        }
    }
    out
}

/// What the workspace holds, in a few words: its nilai kinerja with its sasaran and indikator,
/// or, without indikator, its budget's realisation; and what it does not hold.
fn summary(a: &crate::analysis::Analysis) -> String {
    let ws = &a.workspace;
    let tampilan = ws.manifest.tampilan;
    let shown = |v: Option<rust_decimal::Decimal>| {
        v.map(|v| tampilan.locale.fixed(v, tampilan.rounding.decimals))
            .unwrap_or_else(|| "—".into())
    };
    let isi = ws.isi();
    let mut parts = Vec::new();
    if isi.indikator {
        parts.push(format!(
            "nilai kinerja {}",
            shown(a.hasil.nilai_kinerja.as_ref().map(|f| f.value))
        ));
        if isi.sasaran {
            parts.push(format!("{} sasaran", ws.sasaran.len()));
            parts.push(format!("{} indikator", ws.indikator.len()));
        } else {
            parts.push(format!(
                "{} indikator, rolled up directly (no sasaran)",
                ws.indikator.len()
            ));
        }
    } else {
        parts.push("no indikator".into());
    }
    if isi.anggaran {
        if !isi.indikator {
            let total = a.hasil.anggaran.total.as_ref().and_then(|t| t.persen);
            parts.push(format!("realisasi anggaran {} %", shown(total)));
        }
    } else {
        parts.push("no budget".into());
    }
    parts.join(" · ")
}

/// What a save added to or took from the workspace's parts, one line each.
fn isi_changes(before: Isi, after: Isi) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut say = |was: bool, is: bool, gained, lost| match (was, is) {
        (false, true) => out.push(gained),
        (true, false) => out.push(lost),
        _ => {}
    };
    say(
        before.indikator,
        after.indikator,
        "the workspace now has indikator",
        "the workspace no longer has indikator",
    );
    // Sasaran come and go only among indikator: without any, there is nothing to say.
    if before.indikator && after.indikator {
        say(
            before.sasaran,
            after.sasaran,
            "the workspace now has sasaran",
            "the workspace no longer has sasaran: its indikator roll up directly",
        );
    }
    say(
        before.anggaran,
        after.anggaran,
        "the workspace now has a budget",
        "the workspace no longer has a budget",
    );
    out
}

#[derive(Serialize)]
struct RunOut<'a> {
    run: u64,
    status: &'static str,
    trigger: &'a [String],
    elapsed_ms: Option<serde_json::Number>,
    changes: Vec<ChangeOut<'a>>,
    diagnostics: Vec<DiagnosticOut<'a>>,
    error: Option<&'a str>,
    incremental: Incremental,
    /// The period reported (`TW2`); left out for the whole year.
    #[serde(skip_serializing_if = "Option::is_none")]
    periode: Option<String>,
    nilai_kinerja: Option<Exact>,
    /// The rules' test cases; null without any.
    tests: Option<TestsOut<'a>>,
}

#[derive(Serialize)]
struct TestsOut<'a> {
    passed: usize,
    failed: usize,
    /// The failed cases, as diagnostics (`T001`).
    diagnostics: Vec<DiagnosticOut<'a>>,
}

/// A moved figure: its values as numbers (at the presentation precision), and as shown.
#[derive(Serialize)]
struct ChangeOut<'a> {
    id: &'a str,
    ukuran: &'a str,
    old: Option<Exact>,
    new: Option<Exact>,
    old_text: Option<&'a str>,
    new_text: Option<&'a str>,
}

#[derive(Serialize)]
struct Incremental {
    files_parsed: usize,
    files_reused: usize,
    indikator_evaluated: usize,
    indikator_reused: usize,
}

/// The run as one JSON line.
pub(crate) fn json(r: &RunReport) -> String {
    let errors: Vec<Diagnostic> = r
        .analysis
        .map(|a| {
            a.diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let s = r.reused;
    let out = RunOut {
        run: r.run,
        status: r.status.name(),
        trigger: &r.trigger,
        elapsed_ms: serde_json::Number::from_str(&elapsed_ms(r.elapsed)).ok(),
        changes: r
            .changes
            .iter()
            .map(|c| ChangeOut {
                id: &c.id,
                ukuran: &c.field,
                old: c.old_number.map(Exact::new),
                new: c.new_number.map(Exact::new),
                old_text: c.old.as_deref(),
                new_text: c.new.as_deref(),
            })
            .collect(),
        diagnostics: match r.analysis {
            Some(a) => diagnostics::list(&a.workspace.sources, &errors),
            None => Vec::new(),
        },
        error: r.load_error.as_deref(),
        incremental: Incremental {
            files_parsed: s.files_parsed,
            files_reused: s.files_reused,
            indikator_evaluated: s.indikator_evaluated,
            indikator_reused: s.indikator_reused,
        },
        tests: r.tests.as_ref().zip(r.analysis).map(|(run, a)| TestsOut {
            passed: run.outcomes.len() - run.failed(),
            failed: run.failed(),
            diagnostics: diagnostics::list(&a.workspace.sources, &run.diagnostics),
        }),
        periode: r
            .analysis
            .and_then(|a| a.workspace.manifest.periode.laporan)
            .map(|p| p.kode()),
        nilai_kinerja: r.analysis.filter(|a| a.is_complete()).and_then(|a| {
            let rounding = a.workspace.manifest.tampilan.rounding;
            a.hasil
                .nilai_kinerja
                .as_ref()
                .map(|f| Exact::new(rounding.apply(f.value)))
        }),
    };
    format!("{}\n", line(&out))
}
