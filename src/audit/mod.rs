//! The audit: every figure a report printed, recomputed and compared at the precision it
//! was printed with (A001, [`printed`]), evidence against the figure of record (A002,
//! [`evidence`]), the totals of printed tables (A003, [`tables`]), and the budget's own
//! consistency (A004–A006, [`budget`]), and the chronologies of pagu changes (A007,
//! [`kronologi`]). Each disagreement is a [`Finding`] with both values,
//! the difference, the places of the printed figure and of the inputs, and a likely cause
//! where one can be told.
//!
//! Figures that agree are not reported.

mod budget;
mod evidence;
mod finding;
mod index;
mod kronologi;
mod printed;
mod tables;

pub(crate) use finding::Finding;

use crate::base::source::Span;
use crate::eval::{Context, Hasil, HasilIndikator};
use crate::model::Indikator;
use index::Computed;
use printed::Subject;

/// The audit's findings, known ones included, in workspace order.
pub(crate) fn audit(ctx: &Context, hasil: &Hasil) -> Vec<Finding> {
    let ws = ctx.ws;
    // The index of computed figures serves printed figures only; most generated or fresh
    // workspaces print none, and building it for 100,000 indikator is not free.
    let computed = if index::prints_anything(ws) {
        Computed::collect(ctx, hasil)
    } else {
        Computed::default()
    };
    let mut out = Vec::new();
    let audit = printed::Printed {
        ctx,
        hasil,
        computed: &computed,
    };
    for (model, result) in ws.indikator.iter().zip(&hasil.indikator) {
        indikator(ctx, &audit, model, result, &mut out);
    }
    for (model, result) in ws.sasaran.iter().zip(&hasil.sasaran) {
        audit.check(
            Subject::Sasaran(model, result),
            &model.dicetak,
            &[],
            &mut out,
        );
    }
    audit.check(Subject::Organisasi, &ws.manifest.dicetak, &[], &mut out);
    budget::audit(ctx, hasil, &audit, &mut out);
    kronologi::audit(ctx, hasil, &mut out);
    out
}

fn indikator(
    ctx: &Context,
    audit: &printed::Printed,
    model: &Indikator,
    result: &HasilIndikator,
    out: &mut Vec<Finding>,
) {
    // Most indikator print nothing: their input labels would be formatted for nothing.
    if !model.dicetak.is_empty() {
        let inputs = input_spans(ctx, model);
        audit.check(
            Subject::Indikator(model, result),
            &model.dicetak,
            &inputs,
            out,
        );
    }
    evidence::audit(ctx, model, result, out);
    for t in &model.tabel {
        tables::audit(model, t, out);
    }
    for (k, r) in model.komponen.iter().zip(&result.komponen) {
        indikator(ctx, audit, k, r, out);
    }
}

fn input_spans(ctx: &Context, ind: &Indikator) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    if let Some(r) = &ind.realisasi {
        out.push((
            r.span,
            format!("realisasi of {} computed from here", ind.id.value),
        ));
    }
    if let Some(t) = ind.target.for_year(ctx.ws.manifest.tahun) {
        out.push((t.span(), format!("target of {}", ind.id.value)));
    }
    out
}
