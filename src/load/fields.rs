//! Readers of the small values every file kind has: a rounding, a year, a number of
//! decimals, one of a set of names.

use super::yaml::{Node, NodeKind};
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::base::number::{Rounding, RoundingMode};
use crate::base::source::Span;

const ROUNDING_KEYS: &[&str] = &["desimal", "mode"];

/// `bulatkan: 2` or `bulatkan: {desimal: 2, mode: half_even}`.
pub(super) fn rounding(node: &Node, diags: &mut Diagnostics) -> Option<Rounding> {
    if matches!(node.kind, NodeKind::Number(_)) {
        return small_int(node, diags).map(|(d, _)| Rounding::half_up(d));
    }
    let mut m = node.as_map("a rounding (`{desimal: 2, mode: half_up}`)", diags)?;
    let decimals = m.req("desimal", diags).and_then(|n| small_int(n, diags));
    let mode = match m.opt("mode") {
        Some(n) => rounding_mode(n, diags),
        None => Some(RoundingMode::HalfUp),
    };
    m.finish(ROUNDING_KEYS, diags);
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
