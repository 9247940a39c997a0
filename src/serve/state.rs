//! What the page is sent: the report of the last good run with what moved, and the
//! problems of the latest one, as one JSON document per run (`/api/laporan`), built once
//! per run and shared by every client.

use crate::analysis::Analysis;
use crate::base::diagnostic::Diagnostic;
use crate::base::number::Locale;
use crate::base::source::Sources;
use crate::diff::Change;
use crate::report::Presentation;
use crate::report::json::line;
use crate::report::web::{View, view};
use crate::watch::{RunReport, Status};
use serde::Serialize;
use std::sync::Arc;

/// Problems shown in full (with their source snippets) at most; the rest are counted.
const SHOWN_PROBLEMS: usize = 200;

/// The state of the report at one run, as the page reads it.
#[derive(Serialize)]
pub(crate) struct PageState<'a> {
    /// This server process: a page that sees another one reloads its report.
    pub(crate) sesi: &'a str,
    /// The run's number (0 before the first).
    pub(crate) versi: u64,
    pub(crate) status: &'static str,
    pub(crate) elapsed_ms: Option<serde_json::Number>,
    pub(crate) trigger: &'a [String],
    /// The last good report; null before there is one.
    pub(crate) laporan: Option<View<'a>>,
    /// Figures that moved at this run.
    pub(crate) perubahan: Vec<ChangeOut>,
    /// The errors that keep the latest run from a report.
    pub(crate) masalah: Vec<ProblemOut>,
    /// How many errors there are in all (`masalah` holds the first ones).
    pub(crate) masalah_total: usize,
    /// Why the workspace could not be read at all.
    pub(crate) galat: Option<&'a str>,
    /// Warnings and audit findings (known ones included, marked).
    pub(crate) peringatan: Vec<ProblemOut>,
    pub(crate) peringatan_total: usize,
    /// The rules' test cases: passed and failed.
    pub(crate) tes: Option<TestsOut>,
}

/// A moved figure, as the page shows it.
#[derive(Clone, Serialize)]
pub(crate) struct ChangeOut {
    pub(crate) id: String,
    pub(crate) ukuran: String,
    pub(crate) lama: Option<String>,
    pub(crate) baru: Option<String>,
    /// `naik` or `turun`; null when either side is not a number.
    pub(crate) arah: Option<&'static str>,
}

#[derive(Serialize)]
pub(crate) struct ProblemOut {
    pub(crate) code: &'static str,
    pub(crate) severity: &'static str,
    pub(crate) message: String,
    /// `file:line:col`.
    pub(crate) tempat: Option<String>,
    /// As `kinerja check` prints it, with the source snippet.
    pub(crate) teks: String,
    /// A finding recorded as known in the workspace.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) diketahui: bool,
}

#[derive(Serialize)]
pub(crate) struct TestsOut {
    pub(crate) passed: usize,
    pub(crate) failed: usize,
}

impl<'a> PageState<'a> {
    /// A state with nothing in it yet but who and what it is.
    pub(crate) fn empty(sesi: &'a str, versi: u64, status: &'static str) -> PageState<'a> {
        PageState {
            sesi,
            versi,
            status,
            elapsed_ms: None,
            trigger: &[],
            laporan: None,
            perubahan: Vec::new(),
            masalah: Vec::new(),
            masalah_total: 0,
            galat: None,
            peringatan: Vec::new(),
            peringatan_total: 0,
            tes: None,
        }
    }
}

impl ProblemOut {
    pub(crate) fn of(d: &Diagnostic, sources: &Sources, known: bool) -> ProblemOut {
        ProblemOut {
            code: d.code.as_str(),
            severity: d.severity.name(),
            message: d.message.clone(),
            tempat: d
                .primary
                .as_ref()
                .map(|p| sources.location(p.span))
                .or_else(|| d.place.as_ref().map(|p| p.to_string())),
            teks: d.render(sources, false),
            diketahui: known,
        }
    }
}

/// Changes as the page shows them: each value in the page's number format, at the
/// precision it is presented with, an amount of rupiah as the page's cells show it.
pub(crate) fn changes(changes: &[Change], locale: Locale) -> Vec<ChangeOut> {
    let shown = |c: &Change, text: &Option<String>, number: Option<rust_decimal::Decimal>| {
        let n = number?;
        let decimals = text
            .as_deref()
            .and_then(|t| t.split_once('.'))
            .map_or(0, |(_, f)| f.len() as u32);
        let budget = ["kegiatan: ", "jenis_belanja: ", "riwayat: "]
            .iter()
            .any(|p| c.id.starts_with(p))
            || c.id == "total";
        let text = locale.fixed(n, decimals);
        Some(if budget && c.field != "persen" && locale == Locale::Id {
            format!("Rp{text}")
        } else {
            text
        })
    };
    changes
        .iter()
        .map(|c| ChangeOut {
            id: c.id.clone(),
            ukuran: c.field.clone(),
            lama: shown(c, &c.old, c.old_number).or_else(|| c.old.clone()),
            baru: shown(c, &c.new, c.new_number).or_else(|| c.new.clone()),
            arah: match (c.old_number, c.new_number) {
                (Some(o), Some(n)) if n > o => Some("naik"),
                (Some(o), Some(n)) if n < o => Some("turun"),
                _ => None,
            },
        })
        .collect()
}

/// Warnings and findings of an analysis, the first [`SHOWN_PROBLEMS`] of them in full.
pub(crate) fn warnings(a: &Analysis) -> (Vec<ProblemOut>, usize) {
    let sources = a.sources();
    let warnings: Vec<&Diagnostic> = a.diagnostics().iter().filter(|d| !d.is_error()).collect();
    let known: Vec<Diagnostic> = a
        .findings
        .iter()
        .filter(|f| f.is_known())
        .map(|f| f.to_diagnostic())
        .collect();
    let total = warnings.len() + known.len();
    let mut out: Vec<ProblemOut> = warnings
        .iter()
        .take(SHOWN_PROBLEMS)
        .map(|d| ProblemOut::of(d, sources, false))
        .collect();
    let room = SHOWN_PROBLEMS.saturating_sub(out.len());
    out.extend(
        known
            .iter()
            .take(room)
            .map(|d| ProblemOut::of(d, sources, true)),
    );
    (out, total)
}

/// The errors of an analysis, the first [`SHOWN_PROBLEMS`] of them in full.
pub(crate) fn errors(a: &Analysis) -> (Vec<ProblemOut>, usize) {
    let errors: Vec<Diagnostic> = a
        .sorted_diagnostics()
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    let shown = errors
        .iter()
        .take(SHOWN_PROBLEMS)
        .map(|d| ProblemOut::of(d, a.sources(), false))
        .collect();
    (shown, errors.len())
}

/// The page's state after run `report`, with `good` the last good analysis (this run's,
/// when it was good), as JSON.
pub(crate) fn page_json(
    sesi: &str,
    report: &RunReport,
    good: Option<&Arc<Analysis>>,
    p: &Presentation,
) -> String {
    let latest = report.analysis;
    let (masalah, masalah_total) = match latest {
        Some(a) if !a.is_complete() => errors(a),
        _ => (Vec::new(), 0),
    };
    let (peringatan, peringatan_total) = latest.or(good).map(|a| warnings(a)).unwrap_or_default();
    let state = PageState {
        sesi,
        versi: report.run,
        status: report.status.name(),
        elapsed_ms: serde_json::Number::from_f64(
            (report.elapsed.as_secs_f64() * 10_000.0).round() / 10.0,
        ),
        trigger: &report.trigger,
        laporan: good.map(|g| view(&g.workspace, &g.hasil, p)),
        perubahan: match report.status {
            Status::Changed => changes(&report.changes, p.locale),
            _ => Vec::new(),
        },
        masalah,
        masalah_total,
        galat: report.load_error.as_deref(),
        peringatan,
        peringatan_total,
        tes: report.tests.as_ref().map(|t| TestsOut {
            passed: t.outcomes.len() - t.failed(),
            failed: t.failed(),
        }),
    };
    line(&state)
}

/// The page's state before the first run has finished.
pub(crate) fn starting_json(sesi: &str) -> String {
    line(&PageState::empty(sesi, 0, "starting"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn changes_are_shown_in_the_page_locale_at_their_precision() {
        let moved = [
            Change {
                id: "IKP4.2".into(),
                field: "capaian".into(),
                old: Some("70.90".into()),
                new: Some("77.52".into()),
                old_number: Some(dec!(70.90)),
                new_number: Some(dec!(77.52)),
            },
            Change {
                id: "kegiatan: 57".into(),
                field: "pagu".into(),
                old: Some("28585438802000".into()),
                new: Some("28585438801000".into()),
                old_number: Some(dec!(28585438802000)),
                new_number: Some(dec!(28585438801000)),
            },
            Change {
                id: "IKP9.9".into(),
                field: "capaian".into(),
                old: None,
                new: Some("100.00".into()),
                old_number: None,
                new_number: Some(dec!(100)),
            },
        ];
        let shown = changes(&moved, Locale::Id);
        let texts: Vec<_> = shown
            .iter()
            .map(|c| (c.lama.as_deref(), c.baru.as_deref(), c.arah))
            .collect();
        assert_eq!(
            texts,
            [
                (Some("70,90"), Some("77,52"), Some("naik")),
                (
                    Some("Rp28.585.438.802.000"),
                    Some("Rp28.585.438.801.000"),
                    Some("turun")
                ),
                (None, Some("100,00"), None),
            ]
        );
        assert_eq!(
            changes(&moved[..1], Locale::En)[0].baru.as_deref(),
            Some("77.52")
        );
    }
}
