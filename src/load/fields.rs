//! Readers of the small values every file kind has: a rounding, a year, a number of
//! decimals, one of a set of names.

use super::shape::{Field, Mapping, Shape};
use super::yaml::{Node, NodeKind};
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::base::number::{Rounding, RoundingMode};
use crate::base::source::Span;
use crate::model::{Tanggal, TanggalError};

/// A number of decimals, as [`small_int`] reads it.
pub(super) const DECIMALS: Shape = Shape::Whole {
    min: 0,
    max: 20,
    text: true,
};
/// A year, as [`year`] reads it.
pub(super) const YEAR: Shape = Shape::Whole {
    min: 1900,
    max: 2200,
    text: true,
};
/// A rounding mode, as [`rounding_mode`] reads it.
pub(super) const MODE: Shape = Shape::Choice(&RoundingMode::NAMES);
pub(super) const MODE_DOC: &str = "How a figure is rounded: `half_up` (the schoolbook rule LKj tables use: 70.895 → 70.90), `half_even` (a tie goes to the even digit), `down` (cut off, toward zero), `up` (away from zero whenever anything is cut).";

/// `bulatkan: 2` or `bulatkan: {desimal: 2, mode: half_even}`, as [`rounding`] reads it:
/// the short form is a YAML number only (`"2"` is no rounding).
pub(super) const ROUNDING: Shape = Shape::Either(&[
    Shape::Whole {
        min: 0,
        max: 20,
        text: false,
    },
    Shape::Map(&ROUNDING_MAP),
]);

pub(super) static ROUNDING_MAP: Mapping = Mapping {
    what: "a rounding (`{desimal: 2, mode: half_up}`)",
    name: "pembulatan",
    doc: "A rounding: to how many decimals, and how. `2` alone is `{desimal: 2, mode: half_up}`.",
    fields: &[
        Field::req("desimal", DECIMALS, "Decimals to round to, 0 to 20."),
        Field::opt("mode", MODE, MODE_DOC),
    ],
    data: None,
    examples: &["{desimal: 2, mode: half_up}"],
};

/// `bulatkan: 2` or `bulatkan: {desimal: 2, mode: half_even}`.
pub(super) fn rounding(node: &Node, diags: &mut Diagnostics) -> Option<Rounding> {
    if matches!(node.kind, NodeKind::Number(_)) {
        return small_int(node, diags).map(|(d, _)| Rounding::half_up(d));
    }
    let mut m = node.as_map(&ROUNDING_MAP, diags)?;
    let decimals = m.req("desimal", diags).and_then(|n| small_int(n, diags));
    let mode = match m.opt("mode") {
        Some(n) => rounding_mode(n, diags),
        None => Some(RoundingMode::HalfUp),
    };
    m.finish(diags);
    Some(Rounding {
        decimals: decimals?.0,
        mode: mode?,
    })
}

pub(super) fn rounding_mode(node: &Node, diags: &mut Diagnostics) -> Option<RoundingMode> {
    choice(node, &RoundingMode::NAMES, diags).and_then(|m| RoundingMode::from_name(&m))
}

pub(super) fn small_int(node: &Node, diags: &mut Diagnostics) -> Option<(u32, Span)> {
    let (v, span) = node.as_int(diags)?;
    match u32::try_from(v) {
        Ok(v) if v <= 20 => Some((v, span)),
        _ => {
            diags.push(
                Diagnostic::error(Code::OutOfRange, format!("{v} decimals is out of range"))
                    .at(span, "expected 0 to 20")
                    .hint("figures are rounded to between 0 and 20 decimals"),
            );
            None
        }
    }
}

/// A revision's date, as [`tanggal`] reads it.
pub(super) const TANGGAL: Shape = Shape::Text;
pub(super) const TANGGAL_DOC: &str = "When the revision took effect: `2022-09-09`, or its month where the report names no day (`2022-09`). It is in force from the period that date falls in.";

/// A revision's date: `2022-09-09` or `2022-09` (P004). Whether it lies in the year
/// reported is checked by validation: a file is read without the manifest.
pub(super) fn tanggal(node: &Node, diags: &mut Diagnostics) -> Option<(Tanggal, Span)> {
    let text = node.as_text(diags)?;
    let what = match Tanggal::parse(&text.value) {
        Ok(t) => return Some((t, text.span)),
        Err(TanggalError::Format) => format!("`{}` is not a date", text.value),
        Err(TanggalError::NoSuchDay) => format!("`{}` is no day of the calendar", text.value),
    };
    diags.push(
        Diagnostic::error(Code::RevisionDate, what)
            .at(text.span, "expected `YYYY-MM-DD` or `YYYY-MM`")
            .hint("write the date the revision took effect, as `2022-09-09`, or its month as `2022-09` where the report names no day"),
    );
    None
}

/// Checks that dated entries stand in date order (P005), naming the two out of order.
pub(super) fn in_date_order(dates: &[(Tanggal, Span)], what: &str, diags: &mut Diagnostics) {
    for pair in dates.windows(2) {
        let [(before, before_at), (after, after_at)] = pair else {
            continue;
        };
        if !after.not_before(*before) {
            diags.push(
                Diagnostic::error(
                    Code::RevisionOrder,
                    format!(
                        "{what} out of order: {} stands after {}",
                        after.nama(),
                        before.nama()
                    ),
                )
                .at(*after_at, "dated earlier than the entry before it")
                .also(*before_at, "the entry before it")
                .hint("write the revisions in the order they took effect: the value in force at a period is the latest dated on or before its end"),
            );
        }
    }
}

pub(super) fn year(node: &Node, diags: &mut Diagnostics) -> Option<(i32, Span)> {
    let (v, span) = node.as_int(diags)?;
    match i32::try_from(v) {
        Ok(y) if (1900..=2200).contains(&y) => Some((y, span)),
        _ => {
            diags.push(
                Diagnostic::error(Code::OutOfRange, format!("{v} is not a plausible year"))
                    .at(span, "expected a year such as 2022"),
            );
            None
        }
    }
}

pub(super) fn choice(node: &Node, options: &[&str], diags: &mut Diagnostics) -> Option<String> {
    let text = node.as_text(diags)?;
    if options.contains(&text.value.as_str()) {
        return Some(text.value);
    }
    let mut d = Diagnostic::error(
        Code::WrongType,
        format!("`{}` is not one of: {}", text.value, options.join(", ")),
    )
    .at(text.span, "unknown value");
    if let Some(s) = did_you_mean(&text.value, options.iter().copied()) {
        d = d.hint(format!("did you mean `{s}`?"));
    }
    diags.push(d);
    None
}
