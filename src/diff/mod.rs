//! `kinerja diff`: what changed between two workspaces (or a workspace and a git revision),
//! in definitions (names, targets, inputs, rules) and in computed figures, compared as
//! values ([`compare`]). `watch` compares its runs the same way.

mod compare;
mod definitions;
mod revision;

pub(crate) use compare::Change;
pub(crate) use revision::checkout_revision;

use crate::base::number::{fixed_text, machine};
use crate::eval::Hasil;
use crate::eval::{Figures, Kind, Ukuran};
use crate::model::Workspace;
use compare::{Entry, Value};
use rust_decimal::Decimal;
use std::borrow::Cow;

/// What changed between two workspaces.
#[derive(Debug, Default)]
pub(crate) struct WorkspaceDiff {
    pub(crate) definitions: Vec<Change>,
    pub(crate) figures: Vec<Change>,
}

/// Definitions and figures of `a` (before) against those of `b` (after).
pub(crate) fn diff(a: (&Workspace, &Hasil), b: (&Workspace, &Hasil)) -> WorkspaceDiff {
    let (before, after) = rayon::join(|| definitions::of(a.0), || definitions::of(b.0));
    let definitions = compare::changes(&before, &after);
    drop((before, after));
    WorkspaceDiff {
        definitions,
        figures: figure_changes(&Figures::of(a.0, a.1), &Figures::of(b.0, b.1)),
    }
}

/// Every figure that moved from `old` to `new`, at the presentation precision of each.
pub(crate) fn figure_changes(old: &Figures, new: &Figures) -> Vec<Change> {
    compare::changes(&entries(old), &entries(new))
}

/// A figure as it is shown, and so compared: a percentage at its presentation precision
/// (so that `72.00` and `72.0` differ, as their text does), an amount exactly.
struct Shown {
    value: Decimal,
    /// The decimals a percentage is shown with; `None` for an amount or a count.
    decimals: Option<u32>,
}

impl Value for Shown {
    fn same(&self, other: &Self) -> bool {
        self.value == other.value && self.decimals == other.decimals
    }

    fn text(&self) -> String {
        match self.decimals {
            Some(d) => fixed_text(self.value, d),
            None => machine(self.value),
        }
    }

    fn number(&self) -> Option<Decimal> {
        Some(self.value.normalize())
    }
}

fn entries<'a>(figures: &'a Figures) -> Vec<Entry<'a, Ukuran, Shown>> {
    let rounding = figures.rounding;
    figures
        .lines()
        .map(|line| Entry {
            id: Cow::Borrowed(&*line.id),
            field: line.ukuran,
            value: Shown {
                value: line.shown(rounding),
                decimals: match line.kind {
                    Kind::Persen => Some(rounding.decimals),
                    Kind::Rupiah | Kind::Jumlah => None,
                },
            },
        })
        .collect()
}
