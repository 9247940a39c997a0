//! Values per period as every file writes them (`per_periode: {TW1: 20, TW2: 35}`): read
//! once, for an indikator's realisasi and targets and for a budget row's realisasi and
//! disbursement plan. Whether a period is the manifest's calendar's, and whether it comes
//! after the period reported, is checked by validation: a file is read without the manifest.

use super::yaml::{Key, Node};
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::base::source::Span;
use crate::model::{PerPeriode, Periode, PeriodeError};

/// What a key of a `per_periode` mapping is, for editors.
pub(super) const PERIODE_KEY_DOC: &str = "A period of the manifest's calendar: `TW1` … `TW4` (also `TW II`, `Triwulan II`), `S1`, `S2` (`Semester I`), or a month, `Januari` … `Desember` (`Jan` … `Des`).";

/// The entries of a `per_periode` mapping (its data keys, `MapReader::rest`), read in period
/// order, each value by `value`: a key that is no period is P001, a period given twice
/// (`TW2` and `Triwulan II`) P003; either is left out.
pub(super) fn per_periode<'a, T>(
    entries: Vec<(&'a Key<'a>, &'a Node<'a>)>,
    diags: &mut Diagnostics,
    mut value: impl FnMut(&'a Node<'a>, &mut Diagnostics) -> Option<T>,
) -> PerPeriode<T> {
    let keyed = periods(entries, diags);
    let mut nilai: Vec<(Periode, Span, T)> = keyed
        .into_iter()
        .filter_map(|(p, at, node)| value(node, diags).map(|v| (p, at, v)))
        .collect();
    nilai.sort_by_key(|(p, _, _)| *p);
    PerPeriode { nilai }
}

/// The periods of a `per_periode` mapping's keys, each with its key's place and its value
/// unread, as written: for a reader whose values need more than the diagnostics
/// ([`per_periode`] reads the rest). P001 and P003 as there; sort after reading the values.
pub(super) fn periods<'a>(
    entries: Vec<(&'a Key<'a>, &'a Node<'a>)>,
    diags: &mut Diagnostics,
) -> Vec<(Periode, Span, &'a Node<'a>)> {
    let mut out: Vec<(Periode, Span, &'a Node<'a>)> = Vec::new();
    for (key, node) in entries {
        let (name, span) = (&key.name, key.span);
        let periode = match Periode::parse(name) {
            Ok(p) => p,
            Err(e) => {
                diags.push(not_a_period(name, span, &e));
                continue;
            }
        };
        if let Some((_, first, _)) = out.iter().find(|(p, _, _)| *p == periode) {
            diags.push(
                Diagnostic::error(
                    Code::PeriodTwice,
                    format!("two values for {} ({})", periode.nama(), periode.kode()),
                )
                .at(span, "second value of this period")
                .also(*first, "first value of this period")
                .hint("give each period one value: remove one of them (the first is used)"),
            );
            continue;
        }
        out.push((periode, span, node));
    }
    out
}

/// P001 for a key that is not a period: past its calendar's last (`TW5`), or no period.
pub(crate) fn not_a_period(text: &str, at: Span, e: &PeriodeError) -> Diagnostic {
    match e {
        PeriodeError::OutOfRange(k, _) => Diagnostic::error(
            Code::PeriodUnknown,
            format!("`{text}` is outside the {} calendar", k.name()),
        )
        .at(at, format!("a {} runs 1 to {}", k.name(), k.count()))
        .hint(format!("write one of {}", k.listed())),
        PeriodeError::Unknown => Diagnostic::error(
            Code::PeriodUnknown,
            format!("`{text}` is not a period"),
        )
        .at(at, "not a period")
        .hint("write a period of the manifest's calendar: `TW1` … `TW4` (triwulan), `S1`, `S2` (semester), or a month, `Januari` … `Desember` (bulan)"),
    }
}
