//! One indikator's figures: its realisasi (given, or computed by its formula), its capaian
//! against the year's target and against the last Renstra year's, and its komponen's.

use super::calls::{Context, Failure};
use super::results::{Figure, HasilIndikator, JangkaMenengah};
use crate::base::diagnostic::Diagnostic;
use crate::model::{Indikator, NilaiTarget, Periode, SumberRealisasi, TargetAngka, Text};
use rust_decimal::Decimal;

/// How a run evaluates one indikator: [`indikator`], unless a watch session reuses what it
/// computed before.
pub(crate) type EvalIndikator<'a> =
    dyn Fn(&Context, &Indikator) -> (HasilIndikator, Vec<Diagnostic>) + Sync + 'a;

/// The figures of one indikator and its komponen, and every failure on the way: the unit of
/// evaluation. Figures that could not be computed are `None`, and so is everything that
/// depends on them.
pub(crate) fn indikator(ctx: &Context, ind: &Indikator) -> (HasilIndikator, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let result = evaluate(ctx, ind, &mut diags);
    (result, diags)
}

fn evaluate(ctx: &Context, ind: &Indikator, diags: &mut Vec<Diagnostic>) -> HasilIndikator {
    let manifest = &ctx.ws.manifest;
    let mut ok = |r: Result<_, Failure>| r.map_err(|d| diags.push(*d)).ok();
    let sampai = manifest.periode.sampai();
    let in_force = ind.target.as_of(manifest.tahun, sampai).map(|(_, t)| t);
    let target_belum_ditetapkan = ind.target.belum_ditetapkan(manifest.tahun, sampai);
    let target = in_force.map(NilaiTarget::angka);
    let mut belum_jatuh_tempo = false;
    let mut per_periode: Vec<(Periode, Decimal)> = Vec::new();
    let realisasi = ind.realisasi.as_ref().and_then(|r| {
        let rounding = r.bulatkan.or(manifest.pembulatan.realisasi);
        // Each period's value up to the period reported: given, or by the rule from the
        // period's inputs (every period is computed, so that each failure is reported).
        let values = match &r.sumber {
            SumberRealisasi::Nilai(n) => return Some(Figure::new(n.value, rounding, None)),
            SumberRealisasi::Rumus { rumus, masukan } => {
                return ok(ctx.realisasi(ind, rumus, masukan, r.span))
                    .map(|v| Figure::new(v, rounding, Some(&rumus.name)));
            }
            SumberRealisasi::PerPeriode(pp) => pp
                .sampai(sampai)
                .map(|(p, _, n)| Some((*p, n.value)))
                .collect::<Vec<_>>(),
            SumberRealisasi::RumusPerPeriode { rumus, masukan } => masukan
                .sampai(sampai)
                .map(|(p, at, m)| {
                    ok(ctx.realisasi_periode(ind, rumus, m, *p, *at)).map(|v| (*p, v))
                })
                .collect(),
        };
        if values.is_empty() {
            belum_jatuh_tempo = true;
            return None;
        }
        per_periode = values.into_iter().collect::<Option<Vec<_>>>()?;
        let rule = super::calls::akumulasi_rule(manifest, ind);
        let (periods, values): (Vec<String>, Vec<Decimal>) =
            per_periode.iter().map(|(p, v)| (p.kode(), *v)).unzip();
        ok(ctx.akumulasi(&ind.id.value, &rule, &values, &periods, r.span))
            .map(|v| Figure::new(v, rounding, Some(&rule.name)))
    });
    let rounding = ind.capaian.bulatkan.or(manifest.pembulatan.capaian);
    // Failures point at the target measured against: the number or the range itself (a
    // target given by `--set` at the override), else the indikator.
    let at = in_force.map_or(ind.target.span.unwrap_or(ind.id.span), |t| t.span());
    // A target of 0 (M004) and a range whose min is above its maks (M005) are reported by
    // validation; measuring against them would only repeat the problem as a rule failure.
    let measurable = |t: &TargetAngka| match *t {
        TargetAngka::Satu(v) => !v.is_zero(),
        TargetAngka::Rentang { min, maks } => min <= maks,
    };
    let mut capaian_of = |r: &Figure, t: TargetAngka, at| {
        let rule = super::calls::capaian_rule_for(manifest, ind, t);
        ok(ctx.capaian(ind, r.value, t, at)).map(|v| Figure::new(v, rounding, Some(&rule.name)))
    };
    let capaian = match (&realisasi, target.filter(measurable)) {
        (Some(r), Some(t)) => capaian_of(r, t, at),
        _ => None,
    };
    let jangka_menengah = match (
        &realisasi,
        ind.target
            .last_renstra()
            .filter(|(_, t)| measurable(&t.angka())),
    ) {
        (Some(r), Some((tahun, t))) => {
            capaian_of(r, t.angka(), t.span()).map(|capaian| JangkaMenengah {
                tahun,
                target: t.angka(),
                capaian,
            })
        }
        _ => None,
    };
    // Bands: the figure's own table, else the manifest's for the stage.
    let id = ind.id.value.as_str();
    // A band a figure's own `kategori:` chose is reported there; one the manifest chose, at
    // the figure (`at`).
    let mut band =
        |figure: &mut Option<Figure>, own: Option<&Text>, stage: Option<&Text>, ukuran, at| {
            if let (Some(f), Some(table)) = (figure.as_mut(), own.or(stage)) {
                let at = own.map_or(at, |t| t.span);
                let (pita, problem) = ctx.kategori(table, f.value, id, ukuran, at);
                f.kategori = pita;
                diags.extend(problem);
            }
        };
    let mut realisasi = realisasi;
    let mut capaian = capaian;
    band(
        &mut realisasi,
        ind.realisasi.as_ref().and_then(|r| r.kategori.as_ref()),
        manifest.kategori.realisasi.as_ref(),
        "realisasi",
        ind.realisasi.as_ref().map_or(ind.id.span, |r| r.span),
    );
    band(
        &mut capaian,
        ind.capaian.kategori.as_ref(),
        manifest.kategori.capaian.as_ref(),
        "capaian",
        ind.id.span,
    );
    HasilIndikator {
        target,
        realisasi,
        capaian,
        jangka_menengah,
        belum_jatuh_tempo,
        target_belum_ditetapkan,
        per_periode,
        komponen: ind
            .komponen
            .iter()
            .map(|k| evaluate(ctx, k, diags))
            .collect(),
    }
}
