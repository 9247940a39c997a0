//! A disagreement the audit found, and how it reads as a diagnostic.

use crate::base::diagnostic::{Code, Diagnostic};
use crate::base::number::{Rounding, fixed_text};
use crate::base::source::Span;
use rust_decimal::Decimal;

/// One disagreement found by the audit.
#[derive(Clone, Debug)]
pub(crate) struct Finding {
    pub(crate) code: Code,
    /// What it is about: `IKP3.1`, `SP1`, `nilai_kinerja`, `kegiatan: …`, a table's name.
    pub(crate) subject: String,
    /// Which figure: `capaian`, `realisasi`, `persen`, a column, …
    pub(crate) ukuran: String,
    pub(crate) message: String,
    pub(crate) printed: Option<Decimal>,
    pub(crate) computed: Option<Decimal>,
    /// Where the printed figure (or the structure) is written.
    pub(crate) at: Span,
    /// What `at` is.
    pub(crate) label: String,
    /// Where the inputs of the computed figure are.
    pub(crate) inputs: Vec<(Span, String)>,
    pub(crate) sumber: Option<String>,
    pub(crate) cause: Option<String>,
    /// Why the disagreement is known, when the workspace says so.
    pub(crate) diketahui: Option<String>,
}

impl Finding {
    pub(crate) fn is_known(&self) -> bool {
        self.diketahui.is_some()
    }

    /// As a diagnostic: a warning, so that `check --deny warnings` fails on a contradiction
    /// nobody has looked at yet.
    pub(crate) fn to_diagnostic(&self) -> Diagnostic {
        let mut d = Diagnostic::warning(self.code, self.message.clone());
        let label = match &self.sumber {
            Some(s) => format!("{} ({s})", self.label),
            None => self.label.clone(),
        };
        d = d.at(self.at, label);
        for (span, text) in &self.inputs {
            d = d.also(*span, text.clone());
        }
        if let Some(c) = &self.cause {
            d = d.hint(format!("likely cause: {c}"));
        }
        if let Some(k) = &self.diketahui {
            d = d.note(format!("known: {k}"));
        }
        d
    }
}

/// A value rounded as it was printed: half up, to the printed decimals.
pub(super) fn at_precision(v: Decimal, decimals: u32) -> Decimal {
    Rounding::half_up(decimals).apply(v)
}

/// A value as printed, with exactly `decimals` decimals.
pub(super) fn show(v: Decimal, decimals: u32) -> String {
    fixed_text(v, decimals)
}

/// A difference with its sign: `+0.23`, `-2`.
pub(super) fn signed(v: Decimal) -> String {
    let v = v.normalize();
    if v > Decimal::ZERO {
        format!("+{v}")
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_signed() {
        assert_eq!(signed(Decimal::new(23, 2)), "+0.23");
        assert_eq!(signed(Decimal::new(-2, 0)), "-2");
        assert_eq!(show(Decimal::new(708950, 4), 2), "70.90");
    }
}
