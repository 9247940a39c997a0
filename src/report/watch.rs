//! What `kinerja watch` prints after each run: a few lines for people, or one JSON object
//! per run for editors.

use super::Out;
use crate::diagnostic::Diagnostic;
use crate::watch::{RunReport, Status};
use std::fmt::Write as _;

fn elapsed_ms(d: std::time::Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// The run for people: what triggered it, how long it took, each changed figure.
pub fn text(r: &RunReport, color: bool, dir: &std::path::Path) -> String {
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
    match r.status {
        Status::Initial => {
            let h = &a.hasil;
            let nk = h
                .nilai_kinerja
                .as_ref()
                .map(|f| {
                    a.workspace
                        .manifest
                        .tampilan
                        .locale
                        .fixed(f.value, a.workspace.manifest.tampilan.rounding.decimals)
                })
                .unwrap_or_else(|| "—".into());
            let _ = writeln!(
                out,
                "watching {}: nilai kinerja {nk} · {} sasaran · {} indikator ({ms} ms); Ctrl-C to stop",
                dir.display(),
                h.sasaran.len(),
                h.indikator.len()
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
                let up = match (
                    c.old.as_deref().map(str::parse::<rust_decimal::Decimal>),
                    c.new.as_deref().map(str::parse::<rust_decimal::Decimal>),
                ) {
                    (Some(Ok(o)), Some(Ok(n))) => Some(n > o),
                    _ => None,
                };
                let arrow = match up {
                    Some(true) => paint(&format!("{old} → {new}"), "32"),
                    Some(false) => paint(&format!("{old} → {new}"), "31"),
                    None => format!("{old} → {new}"),
                };
                let _ = writeln!(out, "  {name:<width$}  {arrow}");
            }
        }
        Status::Failed => {
            let diags: Vec<&Diagnostic> = a.diagnostics.iter().filter(|d| d.is_error()).collect();
            for d in &diags {
                let _ = writeln!(out, "{}\n", d.render(&a.workspace.sources, color));
            }
            let _ = writeln!(
                out,
                "{trigger}: {} error{}; keeping the last good results ({ms} ms)",
                diags.len(),
                if diags.len() == 1 { "" } else { "s" }
            );
        }
    }
    out
}

/// The run as one JSON line.
pub fn json(r: &RunReport) -> String {
    let mut m = vec![
        ("run", Out::Num(r.run.to_string())),
        ("status", Out::Str(r.status.name().into())),
        (
            "trigger",
            Out::List(r.trigger.iter().cloned().map(Out::Str).collect()),
        ),
        ("elapsed_ms", Out::Num(elapsed_ms(r.elapsed))),
        (
            "changes",
            Out::List(
                r.changes
                    .iter()
                    .map(|c| {
                        Out::Map(vec![
                            ("id", Out::Str(c.id.clone())),
                            ("ukuran", Out::Str(c.field.clone())),
                            ("old", c.old.clone().map_or(Out::Null, Out::Str)),
                            ("new", c.new.clone().map_or(Out::Null, Out::Str)),
                        ])
                    })
                    .collect(),
            ),
        ),
    ];
    let diagnostics = match r.analysis {
        Some(a) => {
            let errors: Vec<Diagnostic> = a
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect();
            super::diagnostics::json(&a.workspace.sources, &errors)
        }
        None => Out::List(Vec::new()),
    };
    m.push(("diagnostics", diagnostics));
    m.push(("error", r.load_error.clone().map_or(Out::Null, Out::Str)));
    let s = r.reused;
    m.push((
        "incremental",
        Out::Map(vec![
            ("files_parsed", Out::Num(s.files_parsed.to_string())),
            ("files_reused", Out::Num(s.files_reused.to_string())),
            (
                "indikator_evaluated",
                Out::Num(s.indikator_evaluated.to_string()),
            ),
            ("indikator_reused", Out::Num(s.indikator_reused.to_string())),
        ]),
    ));
    let nk = r
        .analysis
        .filter(|a| a.complete().is_some())
        .and_then(|a| a.hasil.nilai_kinerja.as_ref())
        .map(|f| crate::number::machine(a_round(r, f.value)));
    m.push(("nilai_kinerja", nk.map_or(Out::Null, Out::Num)));
    format!("{}\n", super::json_line(&Out::Map(m)))
}

/// A figure at the workspace's presentation precision.
fn a_round(r: &RunReport, v: rust_decimal::Decimal) -> rust_decimal::Decimal {
    r.analysis
        .map_or(v, |a| a.workspace.manifest.tampilan.rounding.apply(v))
}
