//! The budget's own consistency: printed rows and totals (A001), the kegiatan and the jenis
//! belanja reaching the same total (A004), line items summing to their rows (A005),
//! realisasi within pagu (A006), and the history's entry for the report year.

use super::finding::{Finding, at_precision, show, signed};
use super::printed::{Printed, Subject};
use crate::base::diagnostic::Code;
use crate::base::number::checked_sum;
use crate::base::source::Span;
use crate::eval::{Context, Hasil};
use crate::model::{Rincian, Text, budget_id};

/// Audits the budget's rows, total, line items and history.
pub(super) fn audit(ctx: &Context, hasil: &Hasil, printed: &Printed, out: &mut Vec<Finding>) {
    let ws = ctx.ws;
    let a = &ws.anggaran;
    let h = &hasil.anggaran;
    for (table, rows, results) in [
        ("kegiatan", &a.kegiatan, &h.kegiatan),
        ("jenis_belanja", &a.jenis_belanja, &h.jenis_belanja),
    ] {
        for (row, result) in rows.iter().zip(results.iter()) {
            let id = budget_id(table, row.kode(), &row.nama.value);
            let inputs = vec![(row.pagu.span, format!("pagu and realisasi of {id}"))];
            printed.check(Subject::Anggaran(&id), &row.dicetak, &inputs, out);
            if result.realisasi > result.pagu {
                out.push(Finding {
                    code: Code::OverSpent,
                    subject: id.clone(),
                    ukuran: "realisasi".into(),
                    message: format!(
                        "{id}: realisasi {} is above pagu {}",
                        result.realisasi.normalize(),
                        result.pagu.normalize()
                    ),
                    printed: None,
                    computed: Some(result.realisasi),
                    at: row.realisasi.span,
                    label: "realisasi".into(),
                    inputs: vec![(row.pagu.span, "pagu".into())],
                    sumber: None,
                    cause: Some("spending cannot exceed the allocation: check both amounts".into()),
                    diketahui: None,
                });
            }
        }
    }
    let total_inputs: Vec<(Span, String)> = a
        .kegiatan
        .first()
        .or(a.jenis_belanja.first())
        .map(|r| vec![(r.pagu.span, "the rows summed into the total".to_string())])
        .unwrap_or_default();
    printed.check(
        Subject::Anggaran("total"),
        &a.dicetak_total,
        &total_inputs,
        out,
    );
    // Both tables must reach the same total.
    if !h.kegiatan.is_empty() && !h.jenis_belanja.is_empty() {
        for (ukuran, k, j) in [
            (
                "pagu",
                checked_sum(h.kegiatan.iter().map(|r| r.pagu)),
                checked_sum(h.jenis_belanja.iter().map(|r| r.pagu)),
            ),
            (
                "realisasi",
                checked_sum(h.kegiatan.iter().map(|r| r.realisasi)),
                checked_sum(h.jenis_belanja.iter().map(|r| r.realisasi)),
            ),
        ] {
            // Totals too large to add up exactly are reported by the budget itself.
            let (Some(k), Some(j)) = (k, j) else { continue };
            if k != j {
                let at = a
                    .jenis_belanja
                    .first()
                    .map(|r| r.pagu.span)
                    .unwrap_or(a.kegiatan[0].pagu.span);
                out.push(Finding {
                    code: Code::BudgetTotals,
                    subject: "anggaran".into(),
                    ukuran: ukuran.into(),
                    message: format!(
                        "{ukuran}: the kegiatan add to {}, the jenis belanja to {} (difference {})",
                        k.normalize(),
                        j.normalize(),
                        signed(j.checked_sub(k).unwrap_or_default())
                    ),
                    printed: None,
                    computed: Some(k),
                    at,
                    label: "the jenis belanja rows".into(),
                    inputs: vec![(a.kegiatan[0].pagu.span, "the kegiatan rows".into())],
                    sumber: None,
                    cause: Some("a row is missing or mistyped in one of the two tables".into()),
                    diketahui: None,
                });
            }
        }
    }
    line_items(ctx, out);
    for (r, computed) in a.riwayat.iter().zip(&h.riwayat) {
        let id = r.id();
        let amounts: Vec<(Span, String)> = r
            .pagu
            .iter()
            .map(|p| (p.span, format!("pagu of {id}")))
            .chain(
                r.realisasi
                    .iter()
                    .map(|p| (p.span, format!("realisasi of {id}"))),
            )
            .collect();
        // A year's `persen` beside its amounts is what the report printed for them; the
        // report year's must be this year's total.
        let against = if r.tahun == ws.manifest.tahun {
            h.total
                .as_ref()
                .and_then(|t| t.persen)
                .map(|t| (t, "the year's total computes to", &total_inputs))
        } else if r.pagu.is_some() && r.realisasi.is_some() {
            computed.map(|c| (c, "its pagu and realisasi give", &amounts))
        } else {
            None
        };
        if let (Some(p), Some((value, how, inputs))) = (r.persen, against)
            && at_precision(value, p.decimals) != p.value
        {
            out.push(Finding {
                code: Code::PrintedMismatch,
                subject: id.clone(),
                ukuran: "persen".into(),
                message: format!(
                    "riwayat {}: printed {}, {how} {}",
                    r.tahun,
                    show(p.value, p.decimals),
                    show(value, p.decimals)
                ),
                printed: Some(p.value),
                computed: Some(value),
                at: p.span,
                label: "printed here".into(),
                inputs: inputs.clone(),
                sumber: None,
                cause: None,
                diketahui: None,
            });
        }
        printed.check(Subject::Anggaran(&id), &r.dicetak, &amounts, out);
    }
}

/// Line items must sum to their kegiatan and jenis belanja rows.
fn line_items(ctx: &Context, out: &mut Vec<Finding>) {
    let a = &ctx.ws.anggaran;
    if a.rincian.is_empty() {
        return;
    }
    for (table, rows, key_of) in [
        (
            "kegiatan",
            &a.kegiatan,
            (|r: &Rincian| &r.kegiatan) as fn(&Rincian) -> &Text,
        ),
        ("jenis_belanja", &a.jenis_belanja, |r: &Rincian| {
            &r.jenis_belanja
        }),
    ] {
        for row in rows.iter() {
            let key = &row.key().value;
            let items: Vec<&Rincian> = a
                .rincian
                .iter()
                .filter(|r| &key_of(r).value == key)
                .collect();
            if items.is_empty() {
                continue;
            }
            for (ukuran, sum, marginal) in [
                (
                    "pagu",
                    checked_sum(items.iter().map(|r| r.pagu.value)),
                    row.pagu,
                ),
                (
                    "realisasi",
                    checked_sum(items.iter().map(|r| r.realisasi.value)),
                    row.realisasi,
                ),
            ] {
                let Some(sum) = sum else { continue };
                if sum != marginal.value {
                    out.push(Finding {
                        code: Code::LineItems,
                        subject: format!("{table}: {key}"),
                        ukuran: ukuran.into(),
                        message: format!(
                            "{table} {key}: {ukuran} is {}, its {} rincian lines add to {} (difference {})",
                            marginal.value.normalize(),
                            items.len(),
                            sum.normalize(),
                            marginal.value.checked_sub(sum).map_or("beyond range".into(), signed)
                        ),
                        printed: Some(marginal.value),
                        computed: Some(sum),
                        at: marginal.span,
                        label: format!("{ukuran} of the row"),
                        inputs: items.iter().map(|r| (r.pagu.span, "a rincian line".to_string())).take(3).collect(),
                        sumber: None,
                        cause: Some("a line item is missing, duplicated or mistyped".into()),
                        diketahui: None,
                    });
                }
            }
        }
    }
}
