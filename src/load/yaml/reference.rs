//! The reference parse through `serde-saphyr`: every syntax error and every construct the
//! event builder leaves to it, with the library's own messages, said in a planner's terms.

use super::tree::{Key, Node, NodeKind, cover};
use crate::base::diagnostic::{Code, Diagnostic};
use crate::base::number;
use crate::base::source::{FileId, Span, offset_of};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::borrow::Cow;
use std::fmt;

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

/// The reference parse through `serde-saphyr`: every error and every rare construct.
pub(super) fn parse_with_serde(file: FileId, text: &str) -> Result<Node<'_>, Box<Diagnostic>> {
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
        .map(|loc| offset_of(text, loc.line() as usize, loc.column() as usize));
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

fn span_of(file: FileId, text: &str, loc: &serde_saphyr::Location) -> Span {
    let span = loc.span();
    match span.byte_offset() {
        Some(start) => {
            let start = start as usize;
            let len = span.byte_len().unwrap_or(0) as usize;
            Span::new(file, start, start + len)
        }
        None => {
            let start = offset_of(text, loc.line() as usize, loc.column() as usize);
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
