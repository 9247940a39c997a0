//! A002: evidence (`bukti`), recomputed by its rule, against the figure of record.

use super::finding::{Finding, at_precision, show, signed};
use crate::base::diagnostic::Code;
use crate::eval::{Context, HasilIndikator};
use crate::model::{Indikator, SumberRealisasi};

/// Evidence (`bukti`) recomputed and compared with the figure of record.
pub(super) fn audit(
    ctx: &Context,
    ind: &Indikator,
    result: &HasilIndikator,
    out: &mut Vec<Finding>,
) {
    if ind.bukti.is_empty() {
        return;
    }
    let Some(record) = &result.realisasi else {
        return;
    };
    let decimals = match ind.realisasi.as_ref().map(|r| &r.sumber) {
        Some(SumberRealisasi::Nilai(n)) => n.decimals.max(2),
        _ => ctx.ws.manifest.tampilan.rounding.decimals,
    };
    for b in &ind.bukti {
        let value = ctx.bukti(ind, b).ok();
        let Some(value) = value else {
            continue;
        };
        if at_precision(value, decimals) == at_precision(record.value, decimals) {
            continue;
        }
        // Does the evidence equal a figure the report printed elsewhere?
        let cause = ind
            .dicetak
            .figures
            .iter()
            .find(|c| at_precision(value, c.nilai.decimals) == c.nilai.value)
            .map(|c| {
                let place = c.sumber.as_ref().map(|s| format!(" in {s}")).unwrap_or_default();
                let printed = show(c.nilai.value, c.nilai.decimals);
                if c.ukuran.value == "realisasi" {
                    format!(
                        "the realisasi printed{place} ({printed}) is this evidence at {} decimals",
                        c.nilai.decimals
                    )
                } else {
                    format!(
                        "the evidence equals the {} printed{place} ({printed}): the report presents this ratio under another name",
                        c.ukuran.value
                    )
                }
            });
        let mut inputs = Vec::new();
        if let Some(r) = &ind.realisasi {
            inputs.push((r.span, "the figure of record".to_string()));
        }
        out.push(Finding {
            code: Code::EvidenceMismatch,
            subject: ind.id.value.clone(),
            ukuran: "realisasi".into(),
            message: format!(
                "{} realisasi: the evidence gives {} ({}), the figure of record is {} (difference {})",
                ind.id.value,
                show(value, decimals),
                b.rumus.name,
                show(record.value, decimals),
                at_precision(record.value, decimals)
                    .checked_sub(at_precision(value, decimals))
                    .map_or("beyond range".into(), signed)
            ),
            printed: Some(at_precision(record.value, decimals)),
            computed: Some(value),
            at: b.masukan.span(),
            label: "evidence computed from these inputs".into(),
            inputs,
            sumber: b.keterangan.clone(),
            cause,
            diketahui: b.diketahui.clone(),
        });
    }
}
