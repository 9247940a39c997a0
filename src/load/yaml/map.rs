//! Reading the typed model out of a tree: typed accessors that report a wrong type or
//! number format at its place, and [`MapReader`], which reads a mapping key by key and then
//! reports every key nobody asked for (with a suggestion), instead of stopping at the first
//! problem as a derived `Deserialize` would.

use super::tree::{Key, Node, NodeKind};
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::base::number::{self, NumberError};
use crate::base::source::Span;
use crate::model::{Num, Text};

/// Plain digits (with a sign and a point) that only failed for being too long.
fn is_long_number(text: &str) -> bool {
    let t = text.trim();
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    t.len() > 28
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '_')
}

impl<'t> Node<'t> {
    pub(crate) fn is_null(&self) -> bool {
        matches!(self.kind, NodeKind::Null)
    }

    fn wrong_type(&self, expected: &str, diags: &mut Diagnostics) {
        diags.push(
            Diagnostic::error(
                Code::WrongType,
                format!("expected {expected}, found {}", self.kind.describe()),
            )
            .at(self.span, format!("should be {expected}"))
            .hint(format!(
                "write {expected} here (the README's format reference lists what each key takes)"
            )),
        );
    }

    pub(crate) fn as_num(&self, diags: &mut Diagnostics) -> Option<Num> {
        let text = match &self.kind {
            NodeKind::Number(t) | NodeKind::Str(t) => t,
            _ => {
                self.wrong_type("a number", diags);
                return None;
            }
        };
        match number::parse_plain(text) {
            Ok(value) => Some(Num {
                value,
                span: self.span,
                decimals: number::written_decimals(text),
            }),
            Err(NumberError::NotPlain { plain }) => {
                diags.push(
                    Diagnostic::error(Code::NumberFormat, format!("`{text}` is not a plain number"))
                        .at(self.span, "written in a display format")
                        .hint(format!(
                            "write `{plain}`: files use a dot for decimals, no thousands separators, no `Rp` or `%` (use `_` to group digits if you like)"
                        )),
                );
                None
            }
            Err(NumberError::NotANumber) if is_long_number(text) => {
                diags.push(
                    Diagnostic::error(
                        Code::OutOfRange,
                        format!(
                            "`{}` has more digits than kinerja computes with",
                            text.trim()
                        ),
                    )
                    .at(self.span, "too many digits")
                    .hint("numbers are exact to 28 significant digits, at most 28 of them decimals; check for a mistyped value"),
                );
                None
            }
            Err(NumberError::NotANumber) => {
                self.wrong_type("a number", diags);
                None
            }
        }
    }

    pub(crate) fn as_text(&self, diags: &mut Diagnostics) -> Option<Text> {
        match &self.kind {
            // An id like `2022` or a code like `51` is text even when YAML reads a number.
            NodeKind::Str(s) | NodeKind::Number(s) => Some(Text {
                value: s.to_string(),
                span: self.span,
            }),
            _ => {
                self.wrong_type("text", diags);
                None
            }
        }
    }

    pub(crate) fn as_int(&self, diags: &mut Diagnostics) -> Option<(i64, Span)> {
        let num = self.as_num(diags)?;
        match i64::try_from(num.value) {
            Ok(v) if num.value.fract().is_zero() => Some((v, self.span)),
            _ => {
                self.wrong_type("a whole number", diags);
                None
            }
        }
    }

    pub(crate) fn as_seq(&self, diags: &mut Diagnostics) -> Option<&[Node<'t>]> {
        match &self.kind {
            NodeKind::Seq(items) => Some(items),
            _ => {
                self.wrong_type("a list", diags);
                None
            }
        }
    }

    pub(crate) fn as_map<'a>(
        &'a self,
        what: &'static str,
        diags: &mut Diagnostics,
    ) -> Option<MapReader<'a>> {
        match &self.kind {
            NodeKind::Map(entries) => Some(MapReader {
                node: self,
                entries,
                used: vec![false; entries.len()],
                what,
            }),
            _ => {
                self.wrong_type(&format!("a mapping ({what})"), diags);
                None
            }
        }
    }
}

/// Reads one mapping key by key, then reports the keys nobody asked for.
pub(crate) struct MapReader<'a> {
    node: &'a Node<'a>,
    entries: &'a [(Key<'a>, Node<'a>)],
    used: Vec<bool>,
    what: &'static str,
}

impl<'a> MapReader<'a> {
    /// An optional key; an explicit `null` counts as absent.
    pub(crate) fn opt(&mut self, key: &str) -> Option<&'a Node<'a>> {
        let i = self.entries.iter().position(|(k, _)| k.name == key)?;
        self.used[i] = true;
        let node = &self.entries[i].1;
        (!node.is_null()).then_some(node)
    }

    /// An optional key holding text, as a string.
    pub(crate) fn opt_string(&mut self, key: &str, diags: &mut Diagnostics) -> Option<String> {
        self.opt(key)
            .and_then(|n| n.as_text(diags))
            .map(|t| t.value)
    }

    pub(crate) fn req(&mut self, key: &str, diags: &mut Diagnostics) -> Option<&'a Node<'a>> {
        let found = self.opt(key);
        if found.is_none() {
            diags.push(
                Diagnostic::error(
                    Code::MissingKey,
                    format!("{} is missing the required key `{key}`", self.what),
                )
                .at(self.first_key_span(), format!("`{key}` belongs in here"))
                .hint(format!("add `{key}:` to it")),
            );
        }
        found
    }

    fn first_key_span(&self) -> Span {
        self.entries.first().map_or(self.node.span, |(k, _)| k.span)
    }

    pub(crate) fn key_span(&self, key: &str) -> Option<Span> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, _)| k.span)
    }

    /// Every remaining entry, for mappings whose keys are data (years, input names).
    pub(crate) fn rest(&mut self) -> Vec<(&'a Key<'a>, &'a Node<'a>)> {
        let mut out = Vec::new();
        for (i, (k, v)) in self.entries.iter().enumerate() {
            if !self.used[i] {
                self.used[i] = true;
                out.push((k, v));
            }
        }
        out
    }

    /// Reports every key that was not read, suggesting the closest known one.
    /// Returns the keys suggested for misspelled ones, with the misspelling's place, so
    /// that a reader can tell a misspelled key from a missing one.
    pub(crate) fn finish(self, known: &[&str], diags: &mut Diagnostics) -> Vec<(String, Span)> {
        let mut suggested = Vec::new();
        for (i, (key, _)) in self.entries.iter().enumerate() {
            if self.used[i] {
                continue;
            }
            let mut d = Diagnostic::error(
                Code::UnknownKey,
                format!("unknown key `{}` in {}", key.name, self.what),
            )
            .at(key.span, "not a key kinerja knows here");
            d = match did_you_mean(&key.name, known.iter().copied()) {
                Some(s) => {
                    suggested.push((s.to_string(), key.span));
                    d.hint(format!("did you mean `{s}`?"))
                }
                None => d.hint(format!(
                    "the keys of {} are: {}",
                    self.what,
                    known.join(", ")
                )),
            };
            diags.push(d);
        }
        suggested
    }
}
