//! Readers of the small values every file kind has: a rounding, a year, a number of
//! decimals, one of a set of names.

use super::shape::{Field, Mapping, Shape};
use super::yaml::{Node, NodeKind};
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::base::number::{Rounding, RoundingMode};
use crate::base::source::Span;

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
