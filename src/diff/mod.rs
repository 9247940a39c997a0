//! `kinerja diff`: what changed between two workspaces (or a workspace and a git revision),
//! in definitions (names, targets, inputs, rules) and in computed figures, compared as
//! values ([`compare`]). `watch` compares its runs the same way.

mod compare;
mod definitions;
mod revision;

pub(crate) use compare::Change;
pub(crate) use revision::{checkout_revision, refuse_option};

use crate::base::number::Rounding;
use crate::base::number::{fixed_text, machine};
use crate::eval::Hasil;
use crate::eval::figures::{self, Line};
use crate::eval::{Kind, Ukuran};
use crate::model::Workspace;
use compare::{Entry, Parts, Value};
use rust_decimal::Decimal;

/// What changed between two workspaces.
#[derive(Debug, Default)]
pub(crate) struct WorkspaceDiff {
    pub(crate) definitions: Vec<Change>,
    pub(crate) figures: Vec<Change>,
}

/// Definitions and figures of `a` (before) against those of `b` (after).
pub(crate) fn diff(a: (&Workspace, &Hasil), b: (&Workspace, &Hasil)) -> WorkspaceDiff {
    WorkspaceDiff {
        definitions: compare::changes_by_part(Parts {
            old: &|n| definitions::part(a.0, n),
            old_parts: definitions::parts(a.0),
            new: &|n| definitions::part(b.0, n),
            new_parts: definitions::parts(b.0),
            same: &|_| false,
        }),
        figures: figure_changes(a, b),
    }
}

/// Every figure that moved from `old` to `new`, each at its own presentation precision.
pub(crate) fn figure_changes(old: (&Workspace, &Hasil), new: (&Workspace, &Hasil)) -> Vec<Change> {
    let (before, after) = (old.0, new.0);
    // An indikator whose entry two runs share (a watch session's unchanged file), with the
    // same results, shows the same figures.
    let same = |n: usize| {
        n < before.indikator.len()
            && n < after.indikator.len()
            && std::sync::Arc::ptr_eq(&before.indikator[n], &after.indikator[n])
            && old.1.indikator[n] == new.1.indikator[n]
            && before.manifest.tampilan.rounding == after.manifest.tampilan.rounding
    };
    compare::changes_by_part(Parts {
        old: &|n| shown_part(old, n),
        old_parts: figures::chunks(before),
        new: &|n| shown_part(new, n),
        new_parts: figures::chunks(after),
        same: &same,
    })
}

/// The `n`th part of a run's figures, as shown.
fn shown_part<'a>(
    (ws, hasil): (&'a Workspace, &'a Hasil),
    n: usize,
) -> Vec<Entry<'a, Ukuran, Shown<'a>>> {
    let rounding = ws.manifest.tampilan.rounding;
    figures::chunk(ws, hasil, n)
        .into_iter()
        .flat_map(|g| g.lines)
        .flat_map(|line| {
            // A figure's band follows it, as a value of its own (`kategori_realisasi`).
            let band = line
                .kategori
                .zip(line.ukuran.kategori())
                .map(|(b, ukuran)| Entry {
                    id: line.id.clone(),
                    field: ukuran,
                    value: Shown::Label(b.label),
                });
            std::iter::once(shown(line, rounding)).chain(band)
        })
        .collect()
}

/// A figure as it is shown, and so compared: a percentage at its presentation precision
/// (so that `72.00` and `72.0` differ, as their text does), an amount exactly; a band by
/// its label.
enum Shown<'a> {
    Number {
        value: Decimal,
        /// A target range's upper bound, as shown: the figure is `value–maks`.
        maks: Option<Decimal>,
        /// The decimals a percentage is shown with; `None` for an amount or a count.
        decimals: Option<u32>,
    },
    Label(&'a str),
}

impl Value for Shown<'_> {
    fn same(&self, other: &Self) -> bool {
        match (self, other) {
            (
                Shown::Number {
                    value,
                    maks,
                    decimals,
                },
                Shown::Number {
                    value: v,
                    maks: m,
                    decimals: d,
                },
            ) => value == v && maks == m && decimals == d,
            (Shown::Label(a), Shown::Label(b)) => a == b,
            _ => false,
        }
    }

    fn text(&self) -> String {
        match self {
            Shown::Number {
                value,
                maks,
                decimals,
            } => {
                let one = |v: Decimal| match decimals {
                    Some(d) => fixed_text(v, *d),
                    None => machine(v),
                };
                match maks {
                    Some(m) => format!("{}–{}", one(*value), one(*m)),
                    None => one(*value),
                }
            }
            Shown::Label(label) => (*label).to_string(),
        }
    }

    /// A range is no one number: it has no direction to move in.
    fn number(&self) -> Option<Decimal> {
        match self {
            Shown::Number {
                value, maks: None, ..
            } => Some(value.normalize()),
            Shown::Number { .. } | Shown::Label(_) => None,
        }
    }
}

fn shown(line: Line<'_>, rounding: Rounding) -> Entry<'_, Ukuran, Shown<'_>> {
    Entry {
        value: Shown::Number {
            value: line.shown(rounding),
            maks: line.maks.map(|m| match line.kind {
                Kind::Persen => rounding.apply(m),
                Kind::Rupiah | Kind::Jumlah => m,
            }),
            decimals: match line.kind {
                Kind::Persen => Some(rounding.decimals),
                Kind::Rupiah | Kind::Jumlah => None,
            },
        },
        id: line.id,
        field: line.ukuran,
    }
}
