//! YAML read into a tree that remembers where every key and value was written.
//!
//! Parsing goes through `serde-saphyr` (maintained, panic-free, with per-value spans; the
//! archived `serde_yaml` reports no position for individual values). The typed workspace is
//! then read from this tree by [`MapReader`], which collects *every* problem (unknown keys
//! with a suggestion, missing keys, wrong types, number formats) instead of stopping at the
//! first, as a derived `Deserialize` would.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::number::{self, NumberError};
use crate::source::{FileId, Span};
use rust_decimal::Decimal;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

#[derive(Clone, Debug)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum NodeKind {
    Null,
    Bool(bool),
    /// A scalar YAML resolved as a number, kept as the exact text that was written.
    Number(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Clone, Debug)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

impl NodeKind {
    pub fn describe(&self) -> &'static str {
        match self {
            NodeKind::Null => "nothing (null)",
            NodeKind::Bool(_) => "a true/false value",
            NodeKind::Number(_) => "a number",
            NodeKind::Str(_) => "text",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

/// The serde view of a node, before its spans are resolved against the file.
enum RawKind {
    Null,
    Bool(bool),
    Number(Option<String>),
    Str(String),
    Seq(Vec<Spanned<RawKind>>),
    Map(Vec<(Spanned<String>, Spanned<RawKind>)>),
}

impl<'de> Deserialize<'de> for RawKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawKind;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<RawKind, E> {
                Ok(RawKind::Null)
            }
            fn visit_none<E>(self) -> Result<RawKind, E> {
                Ok(RawKind::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<RawKind, E> {
                Ok(RawKind::Bool(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<RawKind, E> {
                Ok(RawKind::Str(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<RawKind, E> {
                Ok(RawKind::Number(Some(v.to_string())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<RawKind, E> {
                Ok(RawKind::Number(Some(v.to_string())))
            }
            fn visit_i128<E>(self, v: i128) -> Result<RawKind, E> {
                Ok(RawKind::Number(Some(v.to_string())))
            }
            fn visit_u128<E>(self, v: u128) -> Result<RawKind, E> {
                Ok(RawKind::Number(Some(v.to_string())))
            }
            // The exact text is taken from the source span; the float is only a fallback.
            fn visit_f64<E>(self, v: f64) -> Result<RawKind, E> {
                Ok(RawKind::Number(v.is_finite().then(|| v.to_string())))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<RawKind, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = a.next_element()? {
                    items.push(item);
                }
                Ok(RawKind::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<RawKind, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = a.next_key::<Spanned<KeyText>>()? {
                    let value = a.next_value()?;
                    entries.push((
                        Spanned::new(key.value.0, key.referenced, key.defined),
                        value,
                    ));
                }
                Ok(RawKind::Map(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// A mapping key as text, whatever scalar it was written as (`2022:` is a number in YAML).
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a plain key")
            }
            fn visit_str<E>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyText, E> {
                Err(E::custom("a mapping key cannot be empty"))
            }
        }
        d.deserialize_str(V)
    }
}

/// Parses a YAML file into a spanned tree. An empty file is `Null`.
pub fn parse(file: FileId, text: &str) -> Result<Node, Box<Diagnostic>> {
    let raw: Spanned<RawKind> = match serde_saphyr::from_str(text) {
        Ok(raw) => raw,
        Err(err) => return Err(Box::new(syntax_error(file, text, &err))),
    };
    Ok(resolve(file, text, raw))
}

fn syntax_error(file: FileId, text: &str, err: &serde_saphyr::Error) -> Diagnostic {
    let message = err
        .without_snippet()
        .render_with_options(serde_saphyr::render_options! {
            snippets: serde_saphyr::SnippetMode::Off,
        });
    // The position is shown by the snippet; drop the library's own " at line …" suffix.
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    let location = err
        .location()
        .map(|loc| byte_offset(text, loc.line() as usize, loc.column() as usize));
    // Some of the parser's messages speak of its own API; say them in the user's terms.
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest
            .split(", set ")
            .next()
            .unwrap_or(rest)
            .trim()
            .to_string();
        let mut d = Diagnostic::error(
            Code::YamlSyntax,
            format!("the key `{key}` appears twice in one mapping"),
        );
        if let Some(start) = location {
            d = d.at(
                Span::new(file, start, start + key.len()),
                "written again here",
            );
            if let Some(first) = earlier_key(text, start, &key) {
                d = d.also(
                    Span::new(file, first, first + key.len()),
                    "first written here",
                );
            }
        }
        return d.hint("each key may appear once in a mapping; remove or merge one of them");
    }
    let (message, hint) = if message.starts_with("budget breached") {
        (
            "the file's aliases (`*name`) expand into more values than kinerja reads (a guard against alias bombs)".to_string(),
            "write the values out, or use fewer nested aliases",
        )
    } else {
        (
            format!("invalid YAML: {message}"),
            "fix the YAML syntax here (indentation, a missing `:` or an unclosed bracket or quote)",
        )
    };
    let mut d = Diagnostic::error(Code::YamlSyntax, message);
    if let Some(start) = location {
        let end = next_char_end(text, start);
        d = d.at(Span::new(file, start, end), "here");
    }
    d.hint(hint)
}

/// The earlier `key:` at the same indentation in the same mapping, scanning upwards from
/// the duplicate at byte `at`.
fn earlier_key(text: &str, at: usize, key: &str) -> Option<usize> {
    let line_start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let indent = at - line_start;
    let mut end = line_start;
    while end > 0 {
        let start = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[start..end - 1];
        let depth = line.len() - line.trim_start().len();
        let body = line.trim_start().trim_start_matches("- ");
        if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
            if depth < indent && !line.trim_start().starts_with("- ") {
                return None;
            }
            if depth == indent
                && body
                    .strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            {
                return Some(start + depth);
            }
        }
        end = start;
    }
    None
}

fn next_char_end(text: &str, start: usize) -> usize {
    text[start.min(text.len())..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8())
}

fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset
                + l.char_indices()
                    .nth(column.saturating_sub(1))
                    .map_or(l.trim_end_matches('\n').len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
}

fn span_of(file: FileId, text: &str, loc: &serde_saphyr::Location) -> Span {
    let span = loc.span();
    match span.byte_offset() {
        Some(start) => {
            let start = start as usize;
            let len = span.byte_len().unwrap_or(0) as usize;
            Span::new(file, start, start + len)
        }
        None => {
            let start = byte_offset(text, loc.line() as usize, loc.column() as usize);
            Span::new(file, start, start)
        }
    }
}

fn resolve(file: FileId, text: &str, raw: Spanned<RawKind>) -> Node {
    let mut span = span_of(file, text, &raw.referenced);
    let kind = match raw.value {
        RawKind::Null => NodeKind::Null,
        RawKind::Bool(b) => NodeKind::Bool(b),
        RawKind::Number(fallback) => {
            let written = text.get(span.start..span.end).map(str::trim).unwrap_or("");
            if !written.is_empty() && number::parse_plain(written).is_ok() {
                NodeKind::Number(written.to_string())
            } else {
                NodeKind::Number(fallback.unwrap_or_else(|| written.to_string()))
            }
        }
        RawKind::Str(s) => NodeKind::Str(s),
        RawKind::Seq(items) => {
            let items: Vec<Node> = items.into_iter().map(|i| resolve(file, text, i)).collect();
            span = cover(
                span,
                items.first().map(|n| n.span),
                items.last().map(|n| n.span),
            );
            NodeKind::Seq(items)
        }
        RawKind::Map(entries) => NodeKind::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = Key {
                        span: span_of(file, text, &k.referenced),
                        name: k.value,
                    };
                    (key, resolve(file, text, v))
                })
                .collect(),
        ),
    };
    if let NodeKind::Map(entries) = &kind {
        span = cover(
            span,
            entries.first().map(|(k, _)| k.span),
            entries.last().map(|(_, v)| v.span),
        );
    }
    Node { kind, span }
}

/// A collection's span runs from its first child to the end of its last, so that a
/// diagnostic underlines the whole of it (the parser reports only where it starts).
fn cover(own: Span, first: Option<Span>, last: Option<Span>) -> Span {
    match (first, last) {
        (Some(f), Some(l)) => Span::new(own.file, own.start.min(f.start), own.end.max(l.end)),
        _ => own,
    }
}

/// A number as written in a file, with where it was written and how many decimals it had.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Num {
    pub value: Decimal,
    pub span: Span,
    pub decimals: u32,
}

/// Plain digits (with a sign and a point) that only failed for being too long.
fn is_long_number(text: &str) -> bool {
    let t = text.trim();
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    t.len() > 28
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '_')
}

/// Text from a file, with its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

impl Node {
    pub fn is_null(&self) -> bool {
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

    pub fn as_num(&self, diags: &mut Diagnostics) -> Option<Num> {
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
                    .hint("numbers are exact to 28 significant digits; check for a mistyped value"),
                );
                None
            }
            Err(NumberError::NotANumber) => {
                self.wrong_type("a number", diags);
                None
            }
        }
    }

    pub fn as_text(&self, diags: &mut Diagnostics) -> Option<Text> {
        match &self.kind {
            NodeKind::Str(s) => Some(Text {
                value: s.clone(),
                span: self.span,
            }),
            // An id like `2022` or a code like `51` is text even when YAML reads a number.
            NodeKind::Number(s) => Some(Text {
                value: s.clone(),
                span: self.span,
            }),
            _ => {
                self.wrong_type("text", diags);
                None
            }
        }
    }

    pub fn as_int(&self, diags: &mut Diagnostics) -> Option<(i64, Span)> {
        let num = self.as_num(diags)?;
        match i64::try_from(num.value) {
            Ok(v) if num.value.fract().is_zero() => Some((v, self.span)),
            _ => {
                self.wrong_type("a whole number", diags);
                None
            }
        }
    }

    pub fn as_seq(&self, diags: &mut Diagnostics) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(items) => Some(items),
            _ => {
                self.wrong_type("a list", diags);
                None
            }
        }
    }

    pub fn as_map<'a>(
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
pub struct MapReader<'a> {
    node: &'a Node,
    entries: &'a [(Key, Node)],
    used: Vec<bool>,
    what: &'static str,
}

impl<'a> MapReader<'a> {
    pub fn span(&self) -> Span {
        self.node.span
    }

    /// An optional key; an explicit `null` counts as absent.
    pub fn opt(&mut self, key: &str) -> Option<&'a Node> {
        let i = self.entries.iter().position(|(k, _)| k.name == key)?;
        self.used[i] = true;
        let node = &self.entries[i].1;
        (!node.is_null()).then_some(node)
    }

    pub fn req(&mut self, key: &str, diags: &mut Diagnostics) -> Option<&'a Node> {
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

    pub fn key_span(&self, key: &str) -> Option<Span> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, _)| k.span)
    }

    /// Every remaining entry, for mappings whose keys are data (years, input names).
    pub fn rest(&mut self) -> Vec<(&'a Key, &'a Node)> {
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
    pub fn finish(self, known: &[&str], diags: &mut Diagnostics) -> Vec<(String, Span)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn tree(text: &str) -> Node {
        match parse(FileId(0), text) {
            Ok(n) => n,
            Err(d) => panic!("{d:?}"),
        }
    }

    #[test]
    fn numbers_keep_their_written_text() {
        let n = tree("a: 28585438802000.55\nb: 0.6\nc: '1.234,5'\n");
        let mut diags = Diagnostics::default();
        let mut m = n.as_map("test", &mut diags).expect("map");
        let a = m.req("a", &mut diags).and_then(|n| n.as_num(&mut diags));
        assert_eq!(a.map(|n| n.value), Some(dec!(28585438802000.55)));
        let b = m.req("b", &mut diags).and_then(|n| n.as_num(&mut diags));
        assert_eq!(b.map(|n| (n.value, n.decimals)), Some((dec!(0.6), 1)));
        let c = m.req("c", &mut diags).and_then(|n| n.as_num(&mut diags));
        assert_eq!(c, None);
        let all: Vec<_> = diags.iter().map(|d| d.code).collect();
        assert_eq!(all, vec![Code::NumberFormat]);
    }

    #[test]
    fn unknown_and_missing_keys_are_all_reported() {
        let n = tree("id: X\ntargt: 1\nrealisai: 2\n");
        let mut diags = Diagnostics::default();
        let mut m = n.as_map("an indikator", &mut diags).expect("map");
        m.req("id", &mut diags);
        m.req("nama", &mut diags);
        m.finish(&["id", "nama", "target", "realisasi"], &mut diags);
        let msgs: Vec<_> = diags.iter().map(|d| (d.code, d.hint.clone())).collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert_eq!(msgs[1].1.as_deref(), Some("did you mean `target`?"));
        assert_eq!(msgs[2].1.as_deref(), Some("did you mean `realisasi`?"));
    }

    #[test]
    fn spans_point_at_values() {
        let text = "a:\n  b: 12\n";
        let n = tree(text);
        let mut diags = Diagnostics::default();
        let b = n
            .as_map("t", &mut diags)
            .and_then(|mut m| m.req("a", &mut diags))
            .and_then(|a| a.as_map("t", &mut diags))
            .and_then(|mut m| m.req("b", &mut diags))
            .expect("b");
        assert_eq!(&text[b.span.start..b.span.end], "12");
    }

    #[test]
    fn syntax_errors_have_a_place() {
        let err = parse(FileId(0), "a: [1\nb: 2\n").expect_err("unclosed");
        assert_eq!(err.code, Code::YamlSyntax);
        assert!(err.primary.is_some());
        let err = parse(FileId(0), "a: 1\na: 2\n").expect_err("duplicate");
        assert!(err.message.contains("appears twice"), "{}", err.message);
    }
}
