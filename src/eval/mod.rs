//! Evaluation: every figure of the report, computed through the workspace's rules.
//!
//! Data flows one way: inputs → realisasi (formula rule) → capaian (polarity rule) →
//! capaian sasaran (rollup rule) → nilai kinerja (rollup rule; in a workspace without
//! sasaran, straight from the indikator's capaian); budget rows → % and sisa
//! (budget rules). Full precision is kept throughout, except where a stage rounding in the
//! manifest, an indikator or a sasaran says otherwise.
//!
//! The unit of evaluation is one indikator ([`indikator::indikator`]); [`evaluate`] runs the
//! units in parallel, then the rollups and the budget. Which rule computes each figure is
//! decided in [`calls`] alone.

mod anggaran_periode;
mod bobot;
mod budget;
pub(crate) mod calls;
pub(crate) mod figures;
mod indikator;
mod results;
mod rollup;
mod runaway;

pub(crate) use calls::{Context, presented};
pub(crate) use figures::{Area, Figures, Kind, Ukuran};
pub(crate) use indikator::{EvalIndikator, indikator};
pub(crate) use results::{
    AnggaranPeriode, BELUM_JATUH_TEMPO, BarisHasil, Figure, Hasil, HasilIndikator, HasilSasaran,
    NilaiPeriode, TARGET_BELUM_DITETAPKAN, tercapai,
};

use crate::base::diagnostic::Diagnostics;
use rayon::prelude::*;
// aHash: keyed by ids from the workspace, not by adversaries.
use ahash::AHashMap as HashMap;

/// Evaluates the workspace, each indikator through `unit`. Every failure is a diagnostic;
/// figures that could not be computed are `None`, and so is everything that depends on them.
pub(crate) fn evaluate(ctx: &Context, unit: &EvalIndikator) -> (Hasil, Diagnostics) {
    let started = std::time::Instant::now();
    let ws = ctx.ws;
    // Indicators are independent of each other, and so are sasaran: both in parallel. Once
    // the run is cancelled, what is left is not computed (whoever cancelled it will not read
    // the results).
    let (indikator, found): (Vec<_>, Vec<_>) = ws
        .indikator
        .par_iter()
        .with_min_len(64)
        .map(|i| match ctx.cancel.is_cancelled() {
            false => unit(ctx, i),
            true => (HasilIndikator::none(i), Vec::new()),
        })
        .unzip();
    let mut diags = Diagnostics::default();
    for d in found {
        diags.extend(d);
    }
    let mut anggota: HashMap<&str, Vec<usize>> = HashMap::new();
    for (n, i) in ws.indikator.iter().enumerate() {
        if let Some(s) = &i.sasaran {
            anggota.entry(s.value.as_str()).or_default().push(n);
        }
    }
    let (sasaran, problems): (Vec<_>, Vec<_>) = ws
        .sasaran
        .par_iter()
        .with_min_len(64)
        .map(|s| {
            let members = anggota
                .get(s.id.value.as_str())
                .cloned()
                .unwrap_or_default();
            rollup::sasaran(ctx, s, members, &indikator)
        })
        .unzip();
    diags.extend(problems.into_iter().flatten());
    let langsung = rollup::langsung(ctx, &indikator);
    let (nilai_kinerja, problem) =
        rollup::nilai_kinerja(ctx, &sasaran, langsung.as_ref(), &indikator);
    diags.extend(problem);
    tracing::debug!(elapsed = ?started.elapsed(), "indicators evaluated");
    let mut budget_diags = Vec::new();
    let anggaran = budget::evaluate(ctx, &mut budget_diags);
    diags.extend(budget_diags);
    let mut reported = Diagnostics::default();
    reported.extend(runaway::one_per_rule(diags.into_vec(), &ws.sources));
    tracing::debug!(elapsed = ?started.elapsed(), "evaluation finished");
    let hasil = Hasil {
        indikator,
        sasaran,
        nilai_kinerja,
        langsung,
        anggaran,
    };
    (hasil, reported)
}
