//! A003: a printed table's totals against the sum of its rows.

use super::finding::{Finding, signed};
use crate::base::diagnostic::Code;
use crate::base::number::checked_sum;
use crate::model::{Indikator, Input, SumberRealisasi, Tabel};
use rust_decimal::Decimal;

/// Every printed total of `t`, against the sum of its column.
pub(super) fn audit(ind: &Indikator, t: &Tabel, out: &mut Vec<Finding>) {
    for (column, printed) in &t.jumlah {
        let values: Vec<Decimal> = t
            .baris
            .iter()
            .filter_map(|r| {
                r.nilai
                    .iter()
                    .find(|(k, _)| k == &column.value)
                    .map(|(_, n)| n.value)
            })
            .collect();
        let Some(sum) = checked_sum(values.iter().copied()) else {
            continue;
        };
        if sum == printed.value {
            continue;
        }
        let Some(diff) = printed.value.checked_sub(sum) else {
            continue;
        };
        let mut cause = if let Some(row) = t.baris.iter().find(|r| {
            r.nilai
                .iter()
                .any(|(k, n)| k == &column.value && n.value == -diff)
        }) {
            format!("the total misses the row {}", row.nama)
        } else {
            format!(
                "the rows add to {}, the printed total is {}: a row or the total is mistyped",
                sum.normalize(),
                printed.value.normalize()
            )
        };
        if input_uses(ind, printed.value) {
            cause.push_str(&format!(
                "; {}'s masukan uses the printed total {}",
                ind.id.value,
                printed.value.normalize()
            ));
        }
        let mut inputs = Vec::new();
        if let Some(r) = &ind.realisasi {
            inputs.push((r.span, format!("{}'s inputs", ind.id.value)));
        }
        out.push(Finding {
            code: Code::TableTotal,
            subject: t.nama.value.clone(),
            ukuran: column.value.clone(),
            message: format!(
                "table \"{}\", column {}: printed total {}, the rows add to {} (difference {})",
                t.nama.value,
                column.value,
                printed.value.normalize(),
                sum.normalize(),
                signed(diff)
            ),
            printed: Some(printed.value),
            computed: Some(sum),
            at: printed.span,
            label: "printed total".into(),
            inputs,
            sumber: t.sumber.clone(),
            cause: Some(cause),
            diketahui: t.diketahui.clone(),
        });
    }
}

/// Whether any number in the indikator's formula inputs equals `value`.
fn input_uses(ind: &Indikator, value: Decimal) -> bool {
    fn any(i: &Input, v: Decimal) -> bool {
        match i {
            Input::Num(n) => n.value == v,
            Input::Text(_) => false,
            Input::List(items, _) => items.iter().any(|x| any(x, v)),
            Input::Map(entries, _) => entries.iter().any(|(_, x)| any(x, v)),
        }
    }
    match ind.realisasi.as_ref().map(|r| &r.sumber) {
        Some(SumberRealisasi::Rumus { masukan, .. }) => any(masukan, value),
        _ => false,
    }
}
