//! YAML read into a tree that remembers where every key and value was written.
//!
//! The tree is built from parser events ([`events`]). They come from one of two sources:
//! - [`scan`], a one-pass scanner for the everyday subset these files are written in
//!   (block and one-line flow collections, one-line scalars, `|`/`>` blocks, comments).
//!   It gives exactly the events `granit-parser` gives, and hands any file outside its
//!   subset over;
//! - `granit-parser` (the scanner and parser that `serde-saphyr` is built on, used through
//!   its re-export so that both are always the same copy), for every other file.
//!
//! `serde-saphyr` itself (maintained, panic-free, with per-value spans) stays the
//! reference: whenever the event builder meets anything it does not reproduce exactly (a
//! syntax error, a tag, a merge key, a duplicate or empty key, several documents, a value
//! near one of the parser's budgets, …) the file is parsed again through `serde-saphyr`,
//! which then gives the tree or the diagnostic. Those files are rare, so the fast paths
//! decide almost every file and the messages stay those of `serde-saphyr`.
//!
//! The typed workspace is then read from this tree by [`MapReader`], which collects *every*
//! problem (unknown keys with a suggestion, missing keys, wrong types, number formats)
//! instead of stopping at the first, as a derived `Deserialize` would.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::number::{self, NumberError};
use crate::source::{FileId, Span};
use rust_decimal::Decimal;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::borrow::Cow;
use std::fmt;

/// A YAML value and where it was written. Its text borrows from the file's text where it
/// can (a file's tree is read into the model and dropped; most scalars need no copy).
#[derive(Clone, Debug)]
pub struct Node<'t> {
    pub kind: NodeKind<'t>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum NodeKind<'t> {
    Null,
    Bool(bool),
    /// A scalar YAML resolved as a number, kept as the exact text that was written.
    Number(Cow<'t, str>),
    Str(Cow<'t, str>),
    Seq(Vec<Node<'t>>),
    Map(Vec<(Key<'t>, Node<'t>)>),
}

#[derive(Clone, Debug)]
pub struct Key<'t> {
    pub name: Cow<'t, str>,
    pub span: Span,
}

impl NodeKind<'_> {
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
pub fn parse(file: FileId, text: &str) -> Result<Node<'_>, Box<Diagnostic>> {
    match events::build(file, text) {
        Some(node) => Ok(node),
        // Not decided by the event builder (an error, or something it leaves to the
        // reference parser): the serde path gives the same tree or the exact diagnostic.
        None => parse_with_serde(file, text),
    }
}

/// The reference parse through `serde-saphyr`: every error and every rare construct.
fn parse_with_serde(file: FileId, text: &str) -> Result<Node<'_>, Box<Diagnostic>> {
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

fn resolve<'t>(file: FileId, text: &'t str, raw: Spanned<RawKind>) -> Node<'t> {
    let mut span = span_of(file, text, &raw.referenced);
    let kind = match raw.value {
        RawKind::Null => NodeKind::Null,
        RawKind::Bool(b) => NodeKind::Bool(b),
        RawKind::Number(fallback) => {
            let written = text.get(span.start..span.end).map(str::trim).unwrap_or("");
            if !written.is_empty() && number::parse_plain(written).is_ok() {
                NodeKind::Number(Cow::Borrowed(written))
            } else {
                NodeKind::Number(fallback.map_or(Cow::Borrowed(written), Cow::Owned))
            }
        }
        RawKind::Str(s) => NodeKind::Str(Cow::Owned(s)),
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
                        name: Cow::Owned(k.value),
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

/// The number as it was written at `span`, when it is a plain number; `None` when the
/// tree keeps the parser's value instead (a hex or exponent spelling, or an alias `*a`).
fn written_number(text: &str, span: Span) -> Option<&str> {
    let written = text.get(span.start..span.end).map(str::trim).unwrap_or("");
    (!written.is_empty() && (is_short_decimal(written) || number::parse_plain(written).is_ok()))
        .then_some(written)
}

/// `-12`, `3.50`: digits with an optional minus and point, 28 digits at most. Such a text
/// always parses with [`number::parse_plain`] (a `Decimal` holds 28 digits), which is
/// therefore not asked (it allocates) for the most common numbers.
fn is_short_decimal(text: &str) -> bool {
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

mod events;
mod scan;

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

impl<'t> Node<'t> {
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

    pub fn as_seq(&self, diags: &mut Diagnostics) -> Option<&[Node<'t>]> {
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
    node: &'a Node<'a>,
    entries: &'a [(Key<'a>, Node<'a>)],
    used: Vec<bool>,
    what: &'static str,
}

impl<'a> MapReader<'a> {
    pub fn span(&self) -> Span {
        self.node.span
    }

    /// An optional key; an explicit `null` counts as absent.
    pub fn opt(&mut self, key: &str) -> Option<&'a Node<'a>> {
        let i = self.entries.iter().position(|(k, _)| k.name == key)?;
        self.used[i] = true;
        let node = &self.entries[i].1;
        (!node.is_null()).then_some(node)
    }

    pub fn req(&mut self, key: &str, diags: &mut Diagnostics) -> Option<&'a Node<'a>> {
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
    pub fn rest(&mut self) -> Vec<(&'a Key<'a>, &'a Node<'a>)> {
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

    fn tree(text: &str) -> Node<'_> {
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

    /// The event builder decides `text`, and gives exactly the serde path's tree.
    fn same(text: &str) -> Node<'_> {
        let fast = events::build(FileId(0), text)
            .unwrap_or_else(|| panic!("left to the serde path: {text:?}"));
        let slow = parse_with_serde(FileId(0), text)
            .unwrap_or_else(|d| panic!("serde path refused {text:?}: {d:?}"));
        assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "for {text:?}");
        fast
    }

    /// The event builder leaves `text` to the serde path.
    fn left_to_serde(text: &str) {
        assert!(
            events::build(FileId(0), text).is_none(),
            "decided by the event builder: {text:?}"
        );
    }

    /// Whatever the builder decides is what the serde path gives.
    fn consistent(text: &str) -> bool {
        let Some(fast) = events::build(FileId(0), text) else {
            return false;
        };
        match parse_with_serde(FileId(0), text) {
            Ok(slow) => assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "for {text:?}"),
            Err(d) => panic!("builder accepted what serde refuses: {text:?}: {d:?}"),
        }
        true
    }

    fn at(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    fn kind_of(n: &Node) -> String {
        format!("{:?}", n.kind)
    }

    #[test]
    fn builder_matches_serde_on_mappings_and_sequences() {
        for text in [
            "a: 1\nb: two\n",
            "a:\n  b:\n    c: [1, 2, {d: e}]\n  f: {g: [h, i], j: {}}\n",
            "- a\n- b: 1\n  c: 2\n- - x\n  - y\n- []\n- {}\n",
            "[1, [2, [3]], {a: b}]",
            "{a: 1, b: [x, y], c: {d: null}}\n",
            "a:\n- 1\n- 2\nb:\n  - 3\n",
            "a: {b: 1,\n  c: 2}\nd: [\n  3,\n  4\n]\n",
            "a: b: c\n",
            "key with spaces: value with: colon\n",
            "a: 1 # comment\n# comment\nb: 2 # another\n",
            "\u{feff}a: 1\n",
            "a: 1\r\nb:\r\n  - x\r\n",
            "nama: Penyelenggaraan Bantuan — Sembako ✓\nnilai: 12\n",
            "ünï: [ü, ö]\n'ключ': значение\n",
            "a:\n\tb\n",
            "? a\n: 1\n",
            "a: !\n",
        ] {
            consistent(text);
        }
        for text in [
            "a: 1\nb: two\n",
            "a:\n  b:\n    c: [1, 2, {d: e}]\n  f: {g: [h, i], j: {}}\n",
            "- a\n- b: 1\n  c: 2\n- - x\n  - y\n- []\n- {}\n",
            "[1, [2, [3]], {a: b}]",
            "\u{feff}a: 1\n",
            "a: 1\r\nb:\r\n  - x\r\n",
            "nama: Penyelenggaraan Bantuan — Sembako ✓\nnilai: 12\n",
        ] {
            same(text);
        }
    }

    #[test]
    fn builder_resolves_scalars_as_serde_does() {
        // Separated by `|`; the first is the empty scalar.
        const VALUES: &str = "|~|null|Null|NULL|nULL|true|False|TRUE|yes|No|ON|off|y|n|Y|0|-0|+0|\
            5|+5|-5|007|-007|+007|0x1F|-0x1f|0X1F|0o17|0O17|0b101|0B101|0o8|0x|1_000|-1_000|\
            1__000|_1|1_|1_000.5|18446744073709551615|18446744073709551616|\
            -9223372036854775808|-9223372036854775809|\
            99999999999999999999999999999999999999999|1.5|1.50|.5|-.5|+.5|1.|1e5|1E-3|-1e3|\
            1.5e+3|0.1|-0.0|28585438802000.55|2022|1.234,5|99,25%|Rp 1.000|inf|-inf|nan|\
            infinity|+.nan|-.nan|..5|1.2.3|1e|e5|-|+|.|12abc|0x1g|2022-01-31|12:30|1 000|\
            text|Sasaran 3381|S031.3381|IKP6.3|<<|=";
        let values: Vec<&str> = VALUES.split('|').collect();
        for v in &values {
            consistent(&format!("a: {v}\n"));
            consistent(&format!("- {v}\n"));
            consistent(&format!("[{v}]"));
            consistent(&format!("'{v}': x\n"));
            consistent(&format!("a: '{v}'\n"));
            consistent(&format!("a: \"{v}\"\n"));
        }
        for v in values.iter().filter(|v| !v.is_empty() && **v != "<<") {
            consistent(&format!("{v}: x\n"));
            consistent(&format!("{{{v}: x}}"));
        }
        // Each of these is decided by the builder.
        let decided = "~|yes|-0|+5|007|0x1F|1_000|1_000.5|18446744073709551616|1.50|.5|1e5|\
            -0.0|inf|1.234,5|2022-01-31";
        for v in decided.split('|') {
            same(&format!("a: {v}\nb: [{v}]\n"));
        }
    }

    #[test]
    fn builder_numbers_keep_their_text_and_quoted_scalars_are_text() {
        let text = "a: 12.50\nb: '12.50'\nc: 1e3\nd: 0x10\ne: |\n  12\nf: >\n  folded\n  text\n";
        let n = same(text);
        let NodeKind::Map(entries) = &n.kind else {
            panic!("{n:?}")
        };
        let kinds: Vec<String> = entries.iter().map(|(_, v)| kind_of(v)).collect();
        assert_eq!(
            kinds,
            [
                r#"Number("12.50")"#,
                r#"Str("12.50")"#,
                r#"Number("1000")"#,
                r#"Number("16")"#,
                r#"Str("12\n")"#,
                r#"Str("folded text\n")"#,
            ]
        );
        assert_eq!(at(text, entries[0].1.span), "12.50");
        assert_eq!(at(text, entries[1].1.span), "'12.50'");
    }

    #[test]
    fn builder_keys_are_text_whatever_their_type() {
        let text = "2022: a\ntrue: b\n1.5: c\n\"q\": d\n007: e\nno: f\n";
        let n = same(text);
        let NodeKind::Map(entries) = &n.kind else {
            panic!("{n:?}")
        };
        let names: Vec<&str> = entries.iter().map(|(k, _)| &*k.name).collect();
        assert_eq!(names, ["2022", "true", "1.5", "q", "007", "no"]);
        let spans: Vec<&str> = entries.iter().map(|(k, _)| at(text, k.span)).collect();
        assert_eq!(spans, ["2022", "true", "1.5", "\"q\"", "007", "no"]);
    }

    #[test]
    fn builder_spans_of_keys_values_and_collections() {
        let text = "a:\n  b: 12\n  c: [x, {d: é}]\nlist:\n  - 1\n  - two\n";
        let n = same(text);
        let mut diags = Diagnostics::default();
        let mut top = n.as_map("t", &mut diags).expect("map");
        assert_eq!(top.key_span("a").map(|s| at(text, s)), Some("a"));
        let a = top.req("a", &mut diags).expect("a");
        // A collection's span ends with its last child's: a closing bracket is not in it.
        assert_eq!(at(text, a.span), "b: 12\n  c: [x, {d: é");
        let mut am = a.as_map("t", &mut diags).expect("map");
        assert_eq!(at(text, am.req("b", &mut diags).expect("b").span), "12");
        let c = am.req("c", &mut diags).expect("c");
        assert_eq!(at(text, c.span), "[x, {d: é");
        let list = top.req("list", &mut diags).expect("list");
        assert_eq!(at(text, list.span), "- 1\n  - two");
        assert!(diags.is_empty());
    }

    #[test]
    fn builder_copies_anchored_nodes_at_the_alias() {
        for text in [
            "a: &x 1.50\nb: *x\n",
            "a: &x 0x10\nb: *x\nc: [*x, *x]\n",
            "a: &m {k: 1, l: [two, 3.0]}\nb: *m\nc: 4\n",
            "a: &s [1, {b: c}]\nd: [*s, *s]\n",
            "a: &o\n  x: &i 5\n  y: *i\nb: *o\n",
            "&k key: 1\nother: *k\n",
            "a: &n ~\nb: *n\nc: &t yes\nd: *t\n",
            "- &a 1e3\n- *a\n- &b -0.0\n- *b\n",
            "a: &z -0\nb: *z\n",
            "a: &e {}\nb: *e\nc: &f []\nd: *f\n",
            "a: &x 1\na2: &x 2\nb: *x\n",
            "a: &x [1, 2]\nb: {c: *x}\n",
        ] {
            consistent(text);
        }
        let text = "a: &m {k: 1.50, l: [two]}\nb: *m\n";
        let n = same(text);
        let NodeKind::Map(entries) = &n.kind else {
            panic!("{n:?}")
        };
        let b = &entries[1].1;
        assert_eq!(at(text, b.span), "*m");
        let NodeKind::Map(inner) = &b.kind else {
            panic!("{b:?}")
        };
        assert_eq!(at(text, inner[0].0.span), "*m");
        // The parser's value, not the text at the alias.
        assert_eq!(kind_of(&inner[0].1), r#"Number("1.5")"#);
        same("a: &x 1.50\nb: *x\n");
        same("a: &s [1, {b: c}]\nd: [*s, *s]\n");
        same("a: &o\n  x: &i 5\n  y: *i\nb: *o\n");
        same("&k key: 1\nother: *k\n");
    }

    #[test]
    fn builder_empty_documents() {
        for text in [
            "",
            "\n",
            "   \n\n",
            "# only a comment\n",
            "---\n",
            "--- \n...\n",
            "...\n",
        ] {
            consistent(text);
        }
        let n = same("");
        assert!(n.is_null());
        assert!(same("# only a comment\n").is_null());
        assert!(same("---\n").is_null());
        same("---\na: 1\n...\n");
        same("just text\n");
        same("- 1\n");
    }

    #[test]
    fn builder_leaves_the_rest_to_the_serde_path() {
        for text in [
            "a: 1\na: 2\n",
            "a: 1\nb: 2\n'a': 3\n",
            "1: a\n+1: b\n",
            "0x1: a\n",
            "-0: a\n",
            "~: a\n",
            "null: a\n",
            ": a\n",
            "base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n",
            "a: !!str 1\n",
            "a: !custom x\n",
            "!!map {a: 1}\n",
            "a: 1\n---\nb: 2\n",
            "a: 1\n---\n",
            "a: .inf\n",
            "a: -.Inf\n",
            "a: .nan\n",
            "a: 1e999\n",
            "? [a, b]\n: 1\n",
            "? {a: b}\n: 1\n",
            "a: &k x\n*k : 1\n",
            "a: &r [1, *r]\n",
            "a: *nowhere\n",
            "a: [1\n",
            "a: 'unterminated\n",
            "a:\n  b: 1\n c: 2\n",
        ] {
            left_to_serde(text);
        }
        // Past the parser's limits (serde-saphyr's options): more comments than it holds
        // while it looks for a value, and a key whose `:` is too far.
        for text in [
            format!("a:\n{}  b: 1\n", "# c\n".repeat(33)),
            format!("- k{}: v\n", " ".repeat(1024)),
        ] {
            left_to_serde(&text);
            assert!(parse(FileId(0), &text).is_err(), "{text:?}");
        }
        // Parsed through the serde path, the diagnostics are unchanged.
        let err = parse(FileId(0), "a: 1\na: 2\n").expect_err("duplicate");
        assert!(err.message.contains("appears twice"), "{}", err.message);
        let merged = parse(FileId(0), "base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n").expect("merge");
        assert!(format!("{merged:?}").contains("\"x\""), "{merged:?}");
    }

    #[test]
    fn builder_bounds_alias_expansion() {
        // A billion laughs: the builder stops counting well before building it, and the
        // serde path refuses it with its budget error.
        let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            let refs = vec![format!("*{prev}"); 9].join(", ");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        left_to_serde(&text);
        let err = parse(FileId(0), &text).expect_err("alias bomb");
        assert!(err.message.contains("alias bombs"), "{}", err.message);
        // A hundred aliases: serde-saphyr's alias/anchor ratio check starts there.
        let many = format!("a: &a 1\nb: [{}]\n", vec!["*a"; 100].join(", "));
        left_to_serde(&many);
        assert!(parse(FileId(0), &many).is_err());
        let fewer = format!("a: &a 1\nb: [{}]\n", vec!["*a"; 99].join(", "));
        same(&fewer);
        // Nesting: serde-saphyr's depth limit is 64.
        let deep = format!("{}{}", "[".repeat(70), "]".repeat(70));
        left_to_serde(&deep);
        let shallow = format!("{}{}", "[".repeat(40), "]".repeat(40));
        same(&shallow);
    }

    /// Every YAML file of the repository (its workspaces and examples).
    pub(super) fn repository_yaml_files() -> Vec<std::path::PathBuf> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                let name = e.file_name();
                if p.is_dir() && name != "target" && name != ".git" {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                    out.push(p);
                }
            }
        }
        let mut files = Vec::new();
        walk(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), &mut files);
        assert!(files.len() >= 5, "{files:?}");
        files
    }

    #[test]
    fn builder_matches_serde_on_the_repository_files() {
        for f in repository_yaml_files() {
            let text = std::fs::read_to_string(&f).expect("readable");
            same(&text);
        }
    }

    /// Parse throughput of both paths on one core, over the YAML files under
    /// `KINERJA_BENCH_DIR` (e.g. a workspace from `kinerja gen`):
    /// `KINERJA_BENCH_DIR=/tmp/ws cargo test --release --lib yaml::tests::bench -- --ignored --nocapture`
    #[test]
    #[ignore = "a measurement, not a test"]
    fn bench_parse_paths() {
        fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "yaml") {
                    out.push(std::fs::read_to_string(&p).unwrap_or_default());
                }
            }
        }
        let Some(dir) = std::env::var_os("KINERJA_BENCH_DIR") else {
            eprintln!("set KINERJA_BENCH_DIR");
            return;
        };
        let mut texts = Vec::new();
        walk(std::path::Path::new(&dir), &mut texts);
        let bytes: usize = texts.iter().map(String::len).sum();
        let time = |f: &dyn Fn(&str) -> bool| {
            (0..3)
                .map(|_| {
                    let started = std::time::Instant::now();
                    assert!(texts.iter().all(|t| f(t)));
                    started.elapsed().as_secs_f64()
                })
                .fold(f64::MAX, f64::min)
        };
        let mb = bytes as f64 / 1e6;
        let events = time(&|t| events::build(FileId(0), t).is_some());
        let serde = time(&|t| parse_with_serde(FileId(0), t).is_ok());
        let scan =
            time(&|t| serde_saphyr::granit_parser::Parser::new_from_str(t).all(|e| e.is_ok()));
        eprintln!(
            "{} files, {mb:.1} MB: events {events:.3}s ({:.1} MB/s), serde {serde:.3}s ({:.1} MB/s), \
             parser events alone {scan:.3}s ({:.1} MB/s)",
            texts.len(),
            mb / events,
            mb / serde,
            mb / scan
        );
    }

    #[test]
    fn serde_saphyr_defaults_are_those_the_builder_reproduces() {
        use serde_saphyr::{DuplicateKeyPolicy, MergeKeyPolicy};
        let o = serde_saphyr::Options::default();
        assert!(matches!(o.duplicate_keys, DuplicateKeyPolicy::Error));
        assert_eq!(o.merge_keys, MergeKeyPolicy::Merge);
        assert!(!o.strict_booleans && !o.legacy_octal_numbers && !o.no_schema);
        assert!(!o.null_as_string && !o.angle_conversions);
        assert!(!o.leading_zero_numbers_as_strings && !o.underscored_numbers_as_strings);
        assert!(o.budget.is_some());
        assert_eq!(
            events::resolve_plain_for_test("1_000"),
            Some("Int(1000)".into())
        );
        assert_eq!(events::resolve_plain_for_test(".inf"), None);
    }

    #[test]
    fn shortcuts_agree_with_the_general_rules() {
        let numbers = [
            "0",
            "00",
            "07",
            "5",
            "16471",
            "999999999999999999",
            "1000000000000000000",
            "18446744073709551615",
            "18446744073709551616",
            "72.32",
            "0.5",
            "00.5",
            "1.",
            ".5",
            "1.5.2",
            "1.5e3",
            "3.431",
            "9999999999999999999999999999",
            "-12",
            "-0.0",
            "1_000",
            "12a",
            "99999999999999999999999999999.5",
        ];
        for v in numbers {
            assert!(events::shortcut_agrees_for_test(v), "{v}");
        }
        for w in [
            "0",
            "-0",
            "12",
            "-12",
            "3.50",
            "-0.000",
            "007",
            "9999999999999999999999999999",
            "0.000000000000000000000000001",
            "999999999999999999999999999.9",
            "-9999999999999999999999999999",
            "1.",
            ".5",
            "-",
            "1.2.3",
            "1_0",
            "+5",
            "",
            "99999999999999999999999999999",
            "0.0000000000000000000000000001",
        ] {
            if is_short_decimal(w) {
                assert!(number::parse_plain(w).is_ok(), "{w}");
            }
        }
        for t in [
            "",
            " ",
            " a ",
            "\t\r\n x\ny \n",
            "é ",
            " é",
            "\u{a0}a\u{a0}",
            "  ",
        ] {
            assert_eq!(
                events::yaml_trim_for_test(t),
                t.trim_matches([' ', '\t', '\r', '\n']),
                "{t:?}"
            );
        }
        assert!(is_short_decimal("9999999999999999999999999999"));
        assert!(!is_short_decimal("99999999999999999999999999999"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
        /// Random YAML-like text from fragments: whatever the builder decides, the serde
        /// path gives the same tree (and never refuses it).
        #[test]
        fn builder_never_disagrees_with_serde(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "b", "2022", "1.5", "-0", "0x1F", "007", "yes", "~", "'q'", "\"d\"", ":",
                ": ", "- ", "\n", "\n  ", "\n    ", "[", "]", "{", "}", ", ", "&x ", "*x",
                "&y ", "*y", "#c", " ", "|\n  t", ">\n  f", "---\n", "...\n", "? ", "!!str ",
                "<<", "1e3", "é", "\t", "null", ".inf", "1_0", "\"", "'",
            ]),
            0..40,
        )) {
            let text: String = parts.concat();
            consistent(&text);
        }

        /// Random scalars, as values, keys and through an alias.
        #[test]
        fn builder_scalars_never_disagree_with_serde(v in "[-+0-9._eExXoObB afyYnN~]{0,14}") {
            consistent(&format!("a: {v}\n"));
            consistent(&format!("{v}: a\nb: 1\n"));
            consistent(&format!("a: &x {v}\nb: *x\nc: [*x]\n"));
        }
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
