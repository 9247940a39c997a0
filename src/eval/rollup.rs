//! Rollups: each sasaran's capaian from its indikator's, with how many of them reached
//! their target, and the organisation's nilai kinerja from its sasaran's.

use super::calls::Context;
use super::results::{Figure, HasilIndikator, HasilSasaran, Langsung, hitung_tercapai};
use crate::base::diagnostic::{Code, Diagnostic};
use crate::model::Sasaran;
use rust_decimal::Decimal;

/// A sasaran's results; `anggota` are the indexes of its indikator.
pub(crate) fn sasaran(
    ctx: &Context,
    s: &Sasaran,
    anggota: Vec<usize>,
    indikator: &[HasilIndikator],
) -> (HasilSasaran, Vec<Diagnostic>) {
    let ws = ctx.ws;
    let capaian_of = |i: &usize| indikator[*i].capaian.as_ref().map(|c| c.value);
    let (reached, missed) = hitung_tercapai(&anggota, indikator);
    let values: Option<Vec<Decimal>> = anggota.iter().map(capaian_of).collect();
    let mut problem = None;
    let capaian = match values {
        Some(values) if !values.is_empty() => {
            let ids: Vec<&str> = anggota
                .iter()
                .map(|i| ws.indikator[*i].id.value.as_str())
                .collect();
            let rounding = s.bulatkan.or(ws.manifest.pembulatan.capaian_sasaran);
            let rule = super::calls::sasaran_rule(&ws.manifest, s);
            match ctx.sasaran(s, &values, &ids) {
                Ok(v) => Some(Figure::new(v, rounding, Some(&rule.name))),
                Err(d) => {
                    problem = Some(*d);
                    None
                }
            }
        }
        Some(_) if ws.dropped_refs.contains(&s.id.value) => None,
        Some(_) => {
            problem = Some(
                Diagnostic::warning(
                    Code::Workspace,
                    format!("sasaran {} has no indikator", s.id.value),
                )
                .at(s.id.span, "nothing to roll up")
                .hint(format!(
                    "give indikator `sasaran: {}`, or remove this sasaran",
                    s.id.value
                )),
            );
            None
        }
        None => None,
    };
    let mut capaian = capaian;
    let mut problems: Vec<Diagnostic> = problem.into_iter().collect();
    if let (Some(f), Some(table)) = (
        capaian.as_mut(),
        s.kategori
            .as_ref()
            .or(ws.manifest.kategori.capaian_sasaran.as_ref()),
    ) {
        let at = s.kategori.as_ref().map_or(s.id.span, |t| t.span);
        let (pita, found) = ctx.kategori(table, f.value, &s.id.value, "capaian", at);
        f.kategori = pita;
        problems.extend(found);
    }
    let result = HasilSasaran {
        anggota,
        capaian,
        tercapai: reached,
        belum_tercapai: missed,
    };
    (result, problems)
}

/// A workspace without sasaran: every indikator rolls up to the organisation directly.
/// `None` where there are sasaran (or no indikator).
pub(crate) fn langsung(ctx: &Context, indikator: &[HasilIndikator]) -> Option<Langsung> {
    if !ctx.ws.isi().langsung() {
        return None;
    }
    let anggota: Vec<usize> = (0..indikator.len()).collect();
    let (tercapai, belum_tercapai) = hitung_tercapai(&anggota, indikator);
    Some(Langsung {
        anggota,
        tercapai,
        belum_tercapai,
    })
}

/// The organisation's nilai kinerja, by the nilai kinerja rule: from the sasaran that have
/// indikator, or, in a workspace without sasaran, from the capaian of its indikator
/// (`langsung`). `None` when a figure it needs could not be computed.
pub(crate) fn nilai_kinerja(
    ctx: &Context,
    sasaran: &[HasilSasaran],
    langsung: Option<&Langsung>,
    indikator: &[HasilIndikator],
) -> (Option<Figure>, Vec<Diagnostic>) {
    let ws = ctx.ws;
    let (values, ids): (Option<Vec<Decimal>>, Vec<&str>) = match langsung {
        Some(l) => (
            l.anggota
                .iter()
                .map(|i| indikator[*i].capaian.as_ref().map(|c| c.value))
                .collect(),
            l.anggota
                .iter()
                .map(|i| ws.indikator[*i].id.value.as_str())
                .collect(),
        ),
        None => (
            sasaran
                .iter()
                .filter(|s| !s.anggota.is_empty())
                .map(|s| s.capaian.as_ref().map(|c| c.value))
                .collect(),
            ws.sasaran.iter().map(|s| s.id.value.as_str()).collect(),
        ),
    };
    let Some(values) = values.filter(|v| !v.is_empty()) else {
        return (None, Vec::new());
    };
    let manifest = &ws.manifest;
    match ctx.nilai_kinerja(&values, &ids) {
        Ok(v) => {
            let mut f = Figure::new(
                v,
                manifest.pembulatan.nilai_kinerja,
                Some(&super::calls::nilai_kinerja_rule(manifest).name),
            );
            let mut problems = Vec::new();
            if let Some(table) = &manifest.kategori.nilai_kinerja {
                let (pita, found) =
                    ctx.kategori(table, f.value, "nilai_kinerja", "capaian", table.span);
                f.kategori = pita;
                problems.extend(found);
            }
            (Some(f), problems)
        }
        Err(d) => (None, vec![*d]),
    }
}
