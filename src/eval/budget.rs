//! The budget: pagu and realisasi per kegiatan and per jenis belanja, summed exactly into
//! the total, with the realisation % and sisa of every row computed by the budget rules.

use super::calls::{Context, Failure};
use super::results::{BarisHasil, HasilAnggaran};
use crate::base::diagnostic::{Code, Diagnostic};
use crate::base::number::checked_sum;
use crate::base::source::{FileId, Span};
use crate::model::BarisAnggaran;
use rust_decimal::Decimal;

pub(crate) fn evaluate(ctx: &Context, diags: &mut Vec<Diagnostic>) -> HasilAnggaran {
    let a = &ctx.ws.anggaran;
    let mut row = |subject: &str, pagu: Decimal, realisasi: Decimal, at: Span| {
        let mut ok = |r: Result<Decimal, Failure>| r.map_err(|d| diags.push(*d)).ok();
        BarisHasil {
            pagu,
            realisasi,
            persen: ok(ctx.persen_anggaran(pagu, realisasi, subject, at)),
            sisa: ok(ctx.sisa_anggaran(pagu, realisasi, subject, at)),
        }
    };
    let mut table = |rows: &[BarisAnggaran]| -> Vec<BarisHasil> {
        rows.iter()
            .map(|r| row(&r.key().value, r.pagu.value, r.realisasi.value, r.pagu.span))
            .collect()
    };
    let kegiatan = table(&a.kegiatan);
    let jenis_belanja = table(&a.jenis_belanja);
    let basis = if kegiatan.is_empty() {
        &jenis_belanja
    } else {
        &kegiatan
    };
    let at = a
        .kegiatan
        .first()
        .or(a.jenis_belanja.first())
        .map_or(Span::new(FileId(0), 0, 0), |r| r.key().span);
    let sums = (
        checked_sum(basis.iter().map(|r| r.pagu)),
        checked_sum(basis.iter().map(|r| r.realisasi)),
    );
    let total = match sums {
        _ if basis.is_empty() => None,
        (Some(pagu), Some(realisasi)) => {
            // The total's % by its own rule, from the rows (whose % it needs: a row whose %
            // failed has said so already); its sisa as every row's.
            let rows: Option<Vec<(Decimal, Decimal, Decimal)>> = basis
                .iter()
                .map(|r| r.persen.map(|p| (r.pagu, r.realisasi, p)))
                .collect();
            let mut ok = |r: Result<Decimal, Failure>| r.map_err(|d| diags.push(*d)).ok();
            Some(BarisHasil {
                pagu,
                realisasi,
                persen: rows.and_then(|rows| ok(ctx.persen_total(&rows, at))),
                sisa: ok(ctx.sisa_anggaran(pagu, realisasi, "total", at)),
            })
        }
        _ => {
            diags.push(
                Diagnostic::error(
                    Code::OutOfRange,
                    "the budget total is too large to compute exactly",
                )
                .at(
                    at,
                    "these amounts add up to more than 79 228 162 514 264 337 593 543 950 335",
                )
                .hint("check the amounts: one is probably mistyped"),
            );
            None
        }
    };
    let riwayat = a
        .riwayat
        .iter()
        .map(|r| {
            let computed = match (r.pagu, r.realisasi) {
                (Some(p), Some(re)) => ctx
                    .persen_anggaran(p.value, re.value, &format!("riwayat {}", r.tahun), r.span)
                    .map_err(|d| diags.push(*d))
                    .ok(),
                _ => None,
            };
            computed.or(r.persen.map(|n| n.value))
        })
        .collect();
    HasilAnggaran {
        kegiatan,
        jenis_belanja,
        total,
        riwayat,
    }
}
