//! A007: a chronology of pagu changes against what it must reach. Its final pagu against
//! the row's pagu (given, or summed from the rows under it; the total's chronology against
//! the computed total); a change that gives both its amount and the pagu after it, where
//! the pagu before and the amount do not make that pagu; a block opened for more than was
//! blocked. Each is known where the workspace records why (`kronologi.diketahui` for the
//! first, the change's `diketahui` for the others).

use super::finding::{Finding, signed};
use crate::base::diagnostic::Code;
use crate::base::source::Span;
use crate::eval::{Context, Hasil};
use crate::model::{JenisPerubahan, Kronologi};
use rust_decimal::Decimal;

/// Audits every row's chronology and the total's.
pub(super) fn audit(ctx: &Context, hasil: &Hasil, out: &mut Vec<Finding>) {
    let (a, h) = (&ctx.ws.anggaran, &hasil.anggaran);
    // The pagu a chronology must reach is the year's (not the one in force at an earlier
    // period reported): where it cannot be told, there is nothing to hold it to.
    let periode = &ctx.ws.manifest.periode;
    for (rows, results) in [(&a.baris, &h.baris), (&a.jenis_belanja, &h.jenis_belanja)] {
        for (row, result) in rows.iter().zip(results) {
            if row.kronologi.is_empty() {
                continue;
            }
            let pagu = (result.pagu_tahun(row.pagu, periode))
                .map(|p| (p, row.pagu_at(), format!("pagu of {}", row.id)));
            chronology(&row.id, &row.kronologi, pagu, out);
        }
    }
    if !a.kronologi_total.is_empty() {
        let total = (h.total.as_ref())
            .and_then(|t| t.pagu_tahun(None, periode))
            .map(|pagu| {
                let at = a
                    .first()
                    .map_or(a.kronologi_total.perubahan[0].span, |r| r.pagu_at());
                (pagu, at, "the rows summed into the total".to_string())
            });
        chronology("total", &a.kronologi_total, total, out);
    }
}

/// The findings of one chronology; `pagu`: the pagu it must reach, where it is written
/// (or summed from), and what that is.
fn chronology(
    id: &str,
    k: &Kronologi,
    pagu: Option<(Decimal, Span, String)>,
    out: &mut Vec<Finding>,
) {
    // Amounts beyond the decimal range are reported by validation.
    let Some(steps) = k.langkah() else { return };
    for (i, (p, step)) in k.perubahan.iter().zip(&steps).enumerate() {
        let (jenis, date) = (p.jenis.name(), p.tanggal.kode());
        let before_at = |what: &str| {
            i.checked_sub(1).map(|b| {
                let q = &k.perubahan[b];
                (
                    q.span,
                    format!(
                        "{what}: after the {} of {}",
                        q.jenis.name(),
                        q.tanggal.kode()
                    ),
                )
            })
        };
        // A stated pagu beside the amount: the pagu before and the amount must make it (a
        // saving or grant with a sign is reported by validation, not audited).
        let signed_wrong =
            p.jenis != JenisPerubahan::Revisi && p.jumlah.is_some_and(|j| j.value <= Decimal::ZERO);
        if let (true, Some(j), Some(m), Some(before)) = (
            p.jenis.changes_pagu() && p.jenis != JenisPerubahan::PaguAwal && !signed_wrong,
            p.jumlah,
            p.menjadi,
            step.sebelum,
        ) {
            let change = j.value.checked_mul(p.jenis.tanda());
            let reached = change.and_then(|c| before.checked_add(c));
            if let Some(reached) = reached.filter(|r| *r != m.value) {
                out.push(Finding {
                    code: Code::Chronology,
                    subject: id.to_string(),
                    ukuran: format!("kronologi {date}"),
                    message: format!(
                        "{id}: the {jenis} of {date}: pagu {} {} {} is {}, the report states {} (difference {})",
                        before.normalize(),
                        if p.jenis.tanda() < Decimal::ZERO { "-" } else { "+" },
                        j.value.normalize(),
                        reached.normalize(),
                        m.value.normalize(),
                        m.value.checked_sub(reached).map_or("beyond range".into(), signed)
                    ),
                    printed: Some(m.value),
                    computed: Some(reached),
                    at: m.span,
                    label: "the pagu stated after it".into(),
                    inputs: [Some((j.span, "its jumlah".to_string())), before_at("the pagu before it")]
                        .into_iter()
                        .flatten()
                        .collect(),
                    sumber: p.sumber.as_ref().map(|s| s.value.clone()),
                    cause: Some(format!(
                        "the amount or the stated pagu is mistyped, or another change stands between them that the chronology leaves out; if the report prints both as they are, record why with `diketahui:` on this change (the stated {} is the pagu from here on)",
                        m.value.normalize()
                    )),
                    diketahui: p.diketahui.as_ref().map(|t| t.value.clone()),
                });
            }
        }
        // A block opened beyond what the chronology blocked.
        if let (true, Some(j)) = (step.dibuka_lebih > Decimal::ZERO, p.jumlah) {
            let blocked = j.value - step.dibuka_lebih;
            let blocks: Vec<(Span, String)> = k.perubahan[..i]
                .iter()
                .filter(|q| q.jenis == JenisPerubahan::Blokir)
                .map(|q| (q.span, format!("blocked on {}", q.tanggal.kode())))
                .take(3)
                .collect();
            out.push(Finding {
                code: Code::Chronology,
                subject: id.to_string(),
                ukuran: format!("kronologi {date}"),
                message: format!(
                    "{id}: the buka_blokir of {date} opens {}, {} was blocked: {} opened beyond the chronology's blocks",
                    j.value.normalize(),
                    blocked.normalize(),
                    step.dibuka_lebih.normalize()
                ),
                printed: Some(j.value),
                computed: Some(blocked),
                at: j.span,
                label: "opened here".into(),
                inputs: blocks,
                sumber: p.sumber.as_ref().map(|s| s.value.clone()),
                cause: Some(format!(
                    "a blokir is missing from the chronology (reports often do not date when a block was imposed): add `{{tanggal: …, jenis: blokir, jumlah: {}}}` before it, or record why with `diketahui:` on this change",
                    step.dibuka_lebih.normalize()
                )),
                diketahui: p.diketahui.as_ref().map(|t| t.value.clone()),
            });
        }
    }
    // The pagu the chronology ends at against the row's.
    let (Some((reached, last)), Some((pagu, pagu_at, pagu_label))) = (k.pagu_akhir(), pagu) else {
        return;
    };
    if reached == pagu {
        return;
    }
    let p = &k.perubahan[last];
    out.push(Finding {
        code: Code::Chronology,
        subject: id.to_string(),
        ukuran: "kronologi".into(),
        message: format!(
            "{id}: the chronology reaches {}; the pagu is {}: {} not accounted for",
            reached.normalize(),
            pagu.normalize(),
            pagu.checked_sub(reached).map_or("beyond range".into(), signed)
        ),
        printed: Some(pagu),
        computed: Some(reached),
        at: p.span,
        label: format!(
            "the chronology's last change of the pagu, the {} of {}",
            p.jenis.name(),
            p.tanggal.kode()
        ),
        inputs: vec![(pagu_at, pagu_label)],
        sumber: p.sumber.as_ref().map(|s| s.value.clone()),
        cause: Some(format!(
            "a change is missing from the chronology, or an amount is mistyped: add the changes that take the pagu from {} to {}, or, where the report does not itemise them, record why with `kronologi: {{perubahan: […], diketahui: \"…\"}}`",
            reached.normalize(),
            pagu.normalize()
        )),
        diketahui: k.diketahui.as_ref().map(|t| t.value.clone()),
    });
}
