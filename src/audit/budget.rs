//! The budget's own consistency: printed rows and totals (A001), the rows and the jenis
//! belanja reaching the same total, for the budget and for a row with its own breakdown
//! (A004), line items and the rows under a row summing to it where it gives its amounts
//! (A005), realisasi within pagu (A006), and the history's entry for the report year.

use super::finding::{Finding, at_precision, show, signed};
use super::printed::{Printed, Subject};
use crate::base::diagnostic::Code;
use crate::base::number::checked_sum;
use crate::base::source::Span;
use crate::eval::{BarisHasil, Context, Hasil};
use crate::model::Rincian;
use rust_decimal::Decimal;

/// Audits the budget's rows, total, line items and history.
pub(super) fn audit(ctx: &Context, hasil: &Hasil, printed: &Printed, out: &mut Vec<Finding>) {
    let ws = ctx.ws;
    let a = &ws.anggaran;
    let h = &hasil.anggaran;
    for (rows, results) in [(&a.baris, &h.baris), (&a.jenis_belanja, &h.jenis_belanja)] {
        for (row, result) in rows.iter().zip(results.iter()) {
            let id = &row.id;
            let inputs = vec![(row.pagu_at(), format!("pagu and realisasi of {id}"))];
            printed.check(Subject::Anggaran(id), &row.dicetak, &inputs, out);
            // A row summed from the rows under it is over its pagu only where one of them is.
            // Given per period: the realisasi as of the period reported, against the pagu in
            // force then.
            let given = row.realisasi.map(|n| n.span);
            let Some(at) = given.or(row.realisasi_berkala.as_ref().map(|b| b.span)) else {
                continue;
            };
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
                    at,
                    label: "realisasi".into(),
                    inputs: vec![(row.pagu_at(), "pagu".into())],
                    sumber: None,
                    cause: Some("spending cannot exceed the allocation: check both amounts".into()),
                    diketahui: None,
                });
            }
        }
    }
    let total_inputs: Vec<(Span, String)> = a
        .first()
        .map(|r| vec![(r.pagu_at(), "the rows summed into the total".to_string())])
        .unwrap_or_default();
    printed.check(
        Subject::Anggaran("total"),
        &a.dicetak_total,
        &total_inputs,
        out,
    );
    children(ctx, hasil, out);
    // Both tables must reach the same total: the budget's own jenis belanja, and each row's.
    let own: Vec<usize> = a.jenis_total().collect();
    let roots: Vec<usize> = a.roots().collect();
    if !own.is_empty() && !roots.is_empty() && of_the_year(ctx, hasil) {
        let k = |f: fn(&BarisHasil) -> Decimal| checked_sum(roots.iter().map(|&i| f(&h.baris[i])));
        let j = |f: fn(&BarisHasil) -> Decimal| {
            checked_sum(own.iter().map(|&i| f(&h.jenis_belanja[i])))
        };
        for (ukuran, f) in [
            (
                "pagu",
                (|r: &BarisHasil| r.pagu) as fn(&BarisHasil) -> Decimal,
            ),
            ("realisasi", |r: &BarisHasil| r.realisasi),
        ] {
            // Totals too large to add up exactly are reported by the budget itself.
            let (Some(k), Some(j)) = (k(f), j(f)) else {
                continue;
            };
            if k != j {
                let level = &ws.manifest.tingkat[a.baris[roots[0]].tingkat];
                let at = a.jenis_belanja[own[0]].pagu_at();
                out.push(Finding {
                    code: Code::BudgetTotals,
                    subject: "anggaran".into(),
                    ukuran: ukuran.into(),
                    message: format!(
                        "{ukuran}: the {} add to {}, the jenis belanja to {} (difference {})",
                        level.replace('_', " "),
                        k.normalize(),
                        j.normalize(),
                        signed(j.checked_sub(k).unwrap_or_default())
                    ),
                    printed: None,
                    computed: Some(k),
                    at,
                    label: "the jenis belanja rows".into(),
                    inputs: vec![(
                        a.baris[roots[0]].pagu_at(),
                        format!("the {} rows", level.replace('_', " ")),
                    )],
                    sumber: None,
                    cause: Some("a row is missing or mistyped in one of the two tables".into()),
                    diketahui: None,
                });
            }
        }
    }
    for (i, row) in a.baris.iter().enumerate() {
        let jenis: Vec<usize> = (0..a.jenis_belanja.len())
            .filter(|&j| a.jenis_belanja[j].induk == Some(i))
            .collect();
        let Some(&first) = jenis.first() else {
            continue;
        };
        for (ukuran, of_row, sum) in [
            (
                "pagu",
                h.baris[i].pagu,
                checked_sum(jenis.iter().map(|&j| h.jenis_belanja[j].pagu)),
            ),
            (
                "realisasi",
                h.baris[i].realisasi,
                checked_sum(jenis.iter().map(|&j| h.jenis_belanja[j].realisasi)),
            ),
        ] {
            let Some(sum) = sum else { continue };
            if sum != of_row {
                out.push(Finding {
                    code: Code::BudgetTotals,
                    subject: row.id.clone(),
                    ukuran: ukuran.into(),
                    message: format!(
                        "{}: {ukuran} is {}, its jenis belanja rows add to {} (difference {})",
                        row.id,
                        of_row.normalize(),
                        sum.normalize(),
                        signed(sum.checked_sub(of_row).unwrap_or_default())
                    ),
                    printed: None,
                    computed: Some(of_row),
                    at: a.jenis_belanja[first].pagu_at(),
                    label: "the row's jenis belanja".into(),
                    inputs: vec![(
                        if ukuran == "pagu" {
                            row.pagu_at()
                        } else {
                            row.realisasi_at()
                        },
                        format!("{ukuran} of {}", row.id),
                    )],
                    sumber: None,
                    cause: Some(
                        "a jenis belanja row is missing or mistyped, or the row's own amount is"
                            .into(),
                    ),
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

/// A row that gives its amounts and holds rows: the amounts must be the rows' sum.
fn children(ctx: &Context, hasil: &Hasil, out: &mut Vec<Finding>) {
    let a = &ctx.ws.anggaran;
    // A row's amounts as written are the year's; its rows' are of the period reported
    // where the budget is given per period.
    if !of_the_year(ctx, hasil) {
        return;
    }
    let levels = &ctx.ws.manifest.tingkat;
    for row in &a.baris {
        if row.anak.is_empty() {
            continue;
        }
        let child_level = levels[a.baris[row.anak[0]].tingkat].replace('_', " ");
        let n = row.anak.len();
        for (ukuran, given) in [("pagu", row.pagu), ("realisasi", row.realisasi)] {
            let Some(given) = given else { continue };
            let pick = |i: usize| {
                let r = &hasil.anggaran.baris[i];
                if ukuran == "pagu" {
                    r.pagu
                } else {
                    r.realisasi
                }
            };
            let Some(sum) = checked_sum(row.anak.iter().map(|&c| pick(c))) else {
                continue;
            };
            if sum == given.value {
                continue;
            }
            out.push(Finding {
                code: Code::LineItems,
                subject: row.id.clone(),
                ukuran: ukuran.into(),
                message: format!(
                    "{}: {ukuran} is {}, its {n} {child_level} rows add to {} (difference {})",
                    row.id,
                    given.value.normalize(),
                    sum.normalize(),
                    given.value.checked_sub(sum).map_or("beyond range".into(), signed)
                ),
                printed: Some(given.value),
                computed: Some(sum),
                at: given.span,
                label: if row.dari_rincian {
                    format!("{ukuran} of the row, from its line data")
                } else {
                    format!("{ukuran} of the row")
                },
                inputs: row
                    .anak
                    .iter()
                    .map(|&c| {
                        let r = &a.baris[c];
                        let at = if ukuran == "pagu" { r.pagu_at() } else { r.realisasi_at() };
                        (at, format!("{ukuran} of {}", r.id))
                    })
                    .take(3)
                    .collect(),
                sumber: None,
                cause: Some(if row.dari_rincian {
                    format!(
                        "the line data's lines for {} add to {}, its {child_level} rows to {}: a line is missing, duplicated or mistyped, or a {child_level} row is; the line data may also name the {child_level} in a column of its own (`kolom: {{…, {}: …}}`), and the row is then their sum",
                        row.id,
                        given.value.normalize(),
                        sum.normalize(),
                        levels[a.baris[row.anak[0]].tingkat]
                    )
                } else {
                    format!(
                        "the row's {ukuran} or a row under it is wrong: if the {child_level} rows are right, remove this `{ukuran}` (the row is then their sum); if it is right, a {child_level} row is missing or mistyped"
                    )
                }),
                diketahui: None,
            });
        }
    }
}

/// Line items must sum to their rows and to the budget's jenis belanja rows.
fn line_items(ctx: &Context, out: &mut Vec<Finding>) {
    let a = &ctx.ws.anggaran;
    if a.rincian.is_empty() {
        return;
    }
    let hierarchy = a.baris.iter().enumerate().map(|(i, row)| {
        let items: Vec<&Rincian> = a.rincian.iter().filter(|r| r.baris == Some(i)).collect();
        (row, items)
    });
    let jenis = a.jenis_total().map(|i| {
        let row = &a.jenis_belanja[i];
        let key = &row.key().value;
        let items: Vec<&Rincian> = a
            .rincian
            .iter()
            .filter(|r| &r.jenis_belanja.value == key)
            .collect();
        (row, items)
    });
    for (row, items) in hierarchy.chain(jenis) {
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
            let (Some(sum), Some(marginal)) = (sum, marginal) else {
                continue;
            };
            if sum != marginal.value {
                out.push(Finding {
                    code: Code::LineItems,
                    subject: row.id.clone(),
                    ukuran: ukuran.into(),
                    message: format!(
                        "{}: {ukuran} is {}, its {} rincian lines add to {} (difference {})",
                        row.id,
                        marginal.value.normalize(),
                        items.len(),
                        sum.normalize(),
                        marginal
                            .value
                            .checked_sub(sum)
                            .map_or("beyond range".into(), signed)
                    ),
                    printed: Some(marginal.value),
                    computed: Some(sum),
                    at: marginal.span,
                    label: format!("{ukuran} of the row"),
                    inputs: items
                        .iter()
                        .map(|r| (r.pagu.span, "a rincian line".to_string()))
                        .take(3)
                        .collect(),
                    sumber: None,
                    cause: Some("a line item is missing, duplicated or mistyped".into()),
                    diketahui: None,
                });
            }
        }
    }
}

/// Whether the computed amounts are the year's, comparable with amounts written for the
/// year: as of the year's end, or where the budget gives nothing per period.
pub(super) fn of_the_year(ctx: &Context, hasil: &Hasil) -> bool {
    let p = &ctx.ws.manifest.periode;
    let h = &hasil.anggaran;
    p.akhir_tahun() || !(h.baris.iter().chain(&h.jenis_belanja)).any(|r| r.periode.is_some())
}
