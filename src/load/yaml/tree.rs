//! The YAML tree: every key and value with the place it was written.

use crate::base::number;
use crate::base::source::Span;
use std::borrow::Cow;

/// A YAML value and where it was written. Its text borrows from the file's text where it
/// can (a file's tree is read into the model and dropped; most scalars need no copy).
#[derive(Clone, Debug)]
pub(crate) struct Node<'t> {
    pub(crate) kind: NodeKind<'t>,
    pub(crate) span: Span,
}

#[derive(Clone, Debug)]
pub(crate) enum NodeKind<'t> {
    Null,
    Bool(bool),
    /// A scalar YAML resolved as a number, kept as the exact text that was written.
    Number(Cow<'t, str>),
    Str(Cow<'t, str>),
    Seq(Vec<Node<'t>>),
    Map(Vec<(Key<'t>, Node<'t>)>),
    /// A value whose text was already reported as a mistake (a decimal comma that split a
    /// `{…}` entry, reported by the number-trap pass that reads trees): readers take it as
    /// given but unusable, and say nothing more about it.
    Reported,
}

#[derive(Clone, Debug)]
pub(crate) struct Key<'t> {
    pub(crate) name: Cow<'t, str>,
    pub(crate) span: Span,
}

impl NodeKind<'_> {
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            NodeKind::Null => "nothing (null)",
            NodeKind::Bool(_) => "a true/false value",
            NodeKind::Number(_) => "a number",
            NodeKind::Str(_) => "text",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
            NodeKind::Reported => "a value reported above",
        }
    }
}

/// A collection's span runs from its first child to the end of its last, so that a
/// diagnostic underlines the whole of it (the parser reports only where it starts).
pub(super) fn cover(own: Span, first: Option<Span>, last: Option<Span>) -> Span {
    match (first, last) {
        (Some(f), Some(l)) => Span::new(own.file, own.start.min(f.start), own.end.max(l.end)),
        _ => own,
    }
}

/// The number as it was written at `span`, when it is a plain number (of any length: one
/// too long to compute with is quoted as written, not as the parser's float); `None` when
/// the tree keeps the parser's value instead (a hex or exponent spelling, or an alias `*a`).
pub(super) fn written_number(text: &str, span: Span) -> Option<&str> {
    let written = text.get(span.start..span.end).map(str::trim).unwrap_or("");
    (!written.is_empty() && (is_short_decimal(written) || number::is_plain(written)))
        .then_some(written)
}

/// `-12`, `3.50`: digits with an optional minus and point, 28 digits at most. Such a text
/// always parses with [`number::parse_plain`] (a `Decimal` holds 28 digits), which is
/// therefore not asked (it allocates) for the most common numbers.
pub(super) fn is_short_decimal(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text).as_bytes();
    let int = body.iter().take_while(|b| b.is_ascii_digit()).count();
    let digits = match body.get(int) {
        None => int,
        Some(b'.') => {
            let frac = &body[int + 1..];
            if frac.is_empty() || !frac.iter().all(u8::is_ascii_digit) {
                return false;
            }
            int + frac.len()
        }
        Some(_) => return false,
    };
    int > 0 && digits <= 28
}
