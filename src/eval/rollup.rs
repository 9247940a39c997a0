//! Rollups: each sasaran's capaian from its indikator's, with how many of them reached
//! their target, and the organisation's nilai kinerja from its sasaran's.

use super::bobot::{self, Member, Rollup, Weights};
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
    // An indikator not due yet at the period reported, or whose target is not set yet, is
    // left out, not counted as 0.
    let due = jatuh_tempo(&anggota, indikator);
    let values: Option<Vec<Decimal>> = due.iter().map(capaian_of).collect();
    let mut problem = None;
    let capaian = match values {
        Some(values) if !values.is_empty() => {
            let ids: Vec<&str> = due
                .iter()
                .map(|i| ws.indikator[*i].id.value.as_str())
                .collect();
            let rounding = s.bulatkan.or(ws.manifest.pembulatan.capaian_sasaran);
            let rule = super::calls::sasaran_rule(&ws.manifest, s);
            // Weights are checked over every member (the plan's, whatever is due), and the
            // due members' weights handed to the rule.
            let members: Vec<Member> = anggota
                .iter()
                .map(|i| {
                    let m = &ws.indikator[*i];
                    Member {
                        id: &m.id.value,
                        at: m.id.span,
                        bobot: m.bobot.as_ref(),
                    }
                })
                .collect();
            let id = s.id.value.as_str();
            let state = |r: &str| {
                format!(
                    "`rumus: {r}` on {id}, or `rumus: {{capaian_sasaran: {r}}}` in kinerja.yaml for every sasaran"
                )
            };
            let rollup = Rollup {
                whose: id,
                members: "indikator",
                state: &state,
                at: s.id.span,
            };
            let (weights, found) = bobot::weights(ctx, rule, &rollup, &members);
            problem = found;
            let computed = match &weights {
                Weights::Unweighted => Some(ctx.sasaran(s, &values, None, &ids)),
                Weights::Weighted(w) => {
                    let w: Vec<Decimal> = anggota
                        .iter()
                        .zip(w)
                        .filter(|(i, _)| indikator[**i].dinilai())
                        .map(|(_, w)| *w)
                        .collect();
                    Some(ctx.sasaran(s, &values, Some(&w), &ids))
                }
                Weights::Refused => None,
            };
            match computed {
                Some(Ok(v)) => Some(Figure::new(v, rounding, Some(&rule.name))),
                Some(Err(d)) => {
                    // A warning about unused weights is outweighed by the rule failing.
                    problem = Some(*d);
                    None
                }
                None => None,
            }
        }
        Some(_) if ws.dropped_refs.contains(&s.id.value) => None,
        // No indikator of it is measured yet: neither is its capaian.
        Some(_) if !anggota.is_empty() => None,
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

/// The indikator of `anggota` measured at the period reported ([`HasilIndikator::dinilai`]).
fn jatuh_tempo(anggota: &[usize], indikator: &[HasilIndikator]) -> Vec<usize> {
    anggota
        .iter()
        .copied()
        .filter(|i| indikator[*i].dinilai())
        .collect()
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
    // The members whose weights are checked: every sasaran, a sasaran without indikator's
    // too (the weights are the plan's, whatever this year's figures), or, without sasaran,
    // every indikator; and which of them are rolled up, with their values.
    let indikator_member = |i: &usize| {
        let m = &ws.indikator[*i];
        Member {
            id: &m.id.value,
            at: m.id.span,
            bobot: m.bobot.as_ref(),
        }
    };
    let (members, ids): (Vec<Member>, Vec<&str>) = match langsung {
        Some(l) => l
            .anggota
            .iter()
            .map(|i| (indikator_member(i), ws.indikator[*i].id.value.as_str()))
            .unzip(),
        None => ws
            .sasaran
            .iter()
            .map(|s| {
                let member = Member {
                    id: &s.id.value,
                    at: s.id.span,
                    bobot: s.bobot.as_ref(),
                };
                (member, s.id.value.as_str())
            })
            .unzip(),
    };
    // Members not measured at the period reported are left out: an indikator not due or
    // without a target yet, or a sasaran none of whose indikator is measured.
    let used: Vec<usize> = match langsung {
        Some(l) => (0..l.anggota.len())
            .filter(|n| indikator[l.anggota[*n]].dinilai())
            .collect(),
        None => (0..sasaran.len())
            .filter(|i| !jatuh_tempo(&sasaran[*i].anggota, indikator).is_empty())
            .collect(),
    };
    let values: Option<Vec<Decimal>> = used
        .iter()
        .map(|n| match langsung {
            Some(l) => indikator[l.anggota[*n]].capaian.as_ref().map(|c| c.value),
            None => sasaran[*n].capaian.as_ref().map(|c| c.value),
        })
        .collect();
    let Some(values) = values.filter(|v| !v.is_empty()) else {
        return (None, Vec::new());
    };
    // The rule's `konteks.anggota` name the members rolled up, in the order of `nilai`.
    let ids: Vec<&str> = used.iter().map(|i| ids[*i]).collect();
    let manifest = &ws.manifest;
    let rule = super::calls::nilai_kinerja_rule(manifest);
    let state = |r: &str| format!("`rumus: {{nilai_kinerja: {r}}}` in kinerja.yaml");
    let rollup = Rollup {
        whose: "the organisation",
        members: if langsung.is_some() {
            "indikator"
        } else {
            "sasaran"
        },
        state: &state,
        at: super::calls::manifest_place(rule),
    };
    let (weights, found) = bobot::weights(ctx, rule, &rollup, &members);
    let mut problems: Vec<Diagnostic> = found.into_iter().collect();
    let computed = match &weights {
        Weights::Unweighted => ctx.nilai_kinerja(&values, None, &ids),
        Weights::Weighted(w) => {
            let used: Vec<Decimal> = used.iter().map(|i| w[*i]).collect();
            ctx.nilai_kinerja(&values, Some(&used), &ids)
        }
        Weights::Refused => return (None, problems),
    };
    match computed {
        Ok(v) => {
            let mut f = Figure::new(v, manifest.pembulatan.nilai_kinerja, Some(&rule.name));
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
