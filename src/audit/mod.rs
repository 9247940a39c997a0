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
use crate::model::{Dicetak, Indikator, Periode, Workspace};
use index::Computed;
use printed::{Subject, of_this_run};
use std::collections::BTreeMap;

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

/// The figures printed for another period of the calendar than the one this
/// run is as of, which the audit leaves out: how many, per period.
pub(crate) fn other_periods(ws: &Workspace) -> BTreeMap<Periode, usize> {
    let mut out = BTreeMap::new();
    let kalender = ws.manifest.periode.kalender;
    let mut count = |d: &Dicetak| {
        let written =
            (d.figures.iter().map(|c| c.periode)).chain(d.kategori.iter().map(|c| c.periode));
        for periode in written {
            let of = ws.manifest.periode.dicetak(periode.map(|(p, _)| p));
            // Another calendar's period is refused (P001), not left for later.
            if of.kalender == kalender && !of_this_run(ws, periode) {
                *out.entry(of).or_insert(0) += 1;
            }
        }
    };
    fn ind(i: &Indikator, count: &mut dyn FnMut(&Dicetak)) {
        count(&i.dicetak);
        for k in &i.komponen {
            ind(k, count);
        }
    }
    for i in &ws.indikator {
        ind(i, &mut count);
    }
    for s in &ws.sasaran {
        count(&s.dicetak);
    }
    count(&ws.manifest.dicetak);
    // The budget's printings are of a period too; a past year's (`riwayat`) are not.
    let a = &ws.anggaran;
    for r in a.baris.iter().chain(&a.jenis_belanja) {
        count(&r.dicetak);
    }
    count(&a.dicetak_total);
    out
}

/// What `check` and `audit` say once about the printed figures left out for another
/// period (see [`other_periods`]); `None` when none is.
pub(crate) fn other_periods_note(ws: &Workspace) -> Option<String> {
    let other = other_periods(ws);
    let total: usize = other.values().sum();
    let first = *other.keys().next()?;
    let figures = if total == 1 { "figure" } else { "figures" };
    let of = if other.len() == 1 {
        first.nama()
    } else {
        let each: Vec<String> = other
            .iter()
            .map(|(p, n)| format!("{}: {n}", p.kode()))
            .collect();
        format!("other periods ({})", each.join(", "))
    };
    let run = match ws.manifest.periode.laporan {
        Some(p) => format!("as of {}", p.nama()),
        None => "the whole year's".to_string(),
    };
    Some(format!(
        "{total} printed {figures} for {of} not compared: this run is {run} (`--periode {}` audits them)",
        first.kode()
    ))
}

fn input_spans(ctx: &Context, ind: &Indikator) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    if let Some(r) = &ind.realisasi {
        out.push((
            r.span,
            format!("realisasi of {} computed from here", ind.id.value),
        ));
    }
    // The target measured against: as of the period reported (a revision's, a period's).
    let (tahun, sampai) = (ctx.ws.manifest.tahun, ctx.ws.manifest.periode.sampai());
    if let Some((_, t)) = ind.target.as_of(tahun, sampai) {
        out.push((t.span(), format!("target of {}", ind.id.value)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workspace whose manifest reports `laporan` (if any), printing figures for TW1, for
    /// the manifest's period and (under a sasaran and the organisation) for TW3.
    fn workspace(laporan: Option<&str>) -> Workspace {
        let dir = tempfile::tempdir().expect("tmp");
        let periode = laporan.map_or(String::new(), |p| format!("periode: {{laporan: {p}}}\n"));
        let files = [
            (
                "kinerja.yaml".to_string(),
                format!(
                    "organisasi: Dinas\ntahun: 2022\n{periode}dicetak: [{{nilai_kinerja: 90, periode: TW3}}]\n"
                ),
            ),
            (
                "indicators/ik.yaml".to_string(),
                "sasaran:\n  - id: SP1\n    nama: S\n    dicetak: {capaian: 90, kategori_capaian: A, periode: TW3}\nindikator:\n  - id: IK1\n    nama: I\n    sasaran: SP1\n    satuan: persen\n    target: 90\n    realisasi: 90\n    dicetak:\n      - {realisasi: 80, capaian: 88.89, periode: TW1}\n      - {realisasi: 90}\n"
                    .to_string(),
            ),
        ];
        for (path, text) in &files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        crate::load::load_fresh(dir.path())
            .expect("loads")
            .workspace
    }

    fn at(ws: &mut Workspace, periode: &str) {
        ws.manifest.periode.laporan = Periode::parse(periode).ok();
    }

    #[test]
    fn a_printing_is_audited_only_as_of_its_period() {
        // The manifest names TW2: a printing naming none is of TW2.
        let mut ws = workspace(Some("TW2"));
        let tw1 = ws.indikator[0].dicetak.figures[0].periode;
        let own = ws.indikator[0].dicetak.figures[2].periode;
        assert!(own.is_none());
        assert!(of_this_run(&ws, own) && !of_this_run(&ws, tw1));
        // `--periode TW1` overrides the period reported, not the one printed for.
        at(&mut ws, "TW1");
        assert!(of_this_run(&ws, tw1) && !of_this_run(&ws, own));
        // Without a period anywhere, a printing naming none is the whole year's: TW4.
        let mut ws = workspace(None);
        assert!(of_this_run(&ws, None));
        at(&mut ws, "TW4");
        assert!(of_this_run(&ws, None));
    }

    #[test]
    fn the_figures_left_for_another_period_are_counted_once_per_period() {
        let ws = workspace(Some("TW2"));
        let tw = |ke| Periode {
            kalender: crate::model::Kalender::Triwulan,
            ke,
        };
        // IK1's two of TW1; SP1's capaian and its band, and the nilai kinerja, of TW3.
        let other: Vec<(Periode, usize)> = other_periods(&ws).into_iter().collect();
        assert_eq!(other, [(tw(1), 2), (tw(3), 3)]);
        assert_eq!(
            other_periods_note(&ws).as_deref(),
            Some(
                "5 printed figures for other periods (TW1: 2, TW3: 3) not compared: this run is as of Triwulan II (`--periode TW1` audits them)"
            )
        );
        let mut ws = workspace(None);
        at(&mut ws, "TW3");
        assert_eq!(
            other_periods_note(&ws).as_deref(),
            Some(
                "3 printed figures for other periods (TW1: 2, TW4: 1) not compared: this run is as of Triwulan III (`--periode TW1` audits them)"
            )
        );
        let ws = workspace(None);
        assert_eq!(
            other_periods_note(&ws).as_deref(),
            Some(
                "5 printed figures for other periods (TW1: 2, TW3: 3) not compared: this run is the whole year's (`--periode TW1` audits them)"
            )
        );
    }
}
