//! YAML read into a tree that remembers where every key and value was written.
//!
//! The tree is built straight from the events of `granit-parser` (the scanner and parser
//! that `serde-saphyr` is built on, used through its re-export so that both are always the
//! same copy). `serde-saphyr` itself (maintained, panic-free, with per-value spans) stays the
//! reference: whenever the event builder meets anything it does not reproduce exactly (a
//! syntax error, a tag, a merge key, a duplicate or empty key, several documents, a value
//! near one of the parser's budgets, …) the file is parsed again through `serde-saphyr`,
//! which then gives the tree or the diagnostic. Those files are rare, so the fast path
//! decides almost every file and the messages stay those of `serde-saphyr`.
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
    match events::build(file, text) {
        Some(node) => Ok(node),
        // Not decided by the event builder (an error, or something it leaves to the
        // reference parser): the serde path gives the same tree or the exact diagnostic.
        None => parse_with_serde(file, text),
    }
}

/// The reference parse through `serde-saphyr`: every error and every rare construct.
fn parse_with_serde(file: FileId, text: &str) -> Result<Node, Box<Diagnostic>> {
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

/// The tree built directly from parser events, without serde in between.
///
/// [`build`](events::build) answers `None` for anything it does not reproduce exactly as
/// the serde path does (see the module docs); it never reports an error itself. What it
/// reproduces, in `serde-saphyr`'s terms (its default options, which a unit test checks):
/// - plain scalars resolve as in its `deserialize_any`: null (`~`, `null`, empty), YAML 1.1
///   booleans (`yes`, `off`, …), integers (decimal, `0x`, `0o`, `0b`, `_` between digits),
///   floats, and text otherwise; quoted and block scalars are text;
/// - keys are the scalar's text whatever it resolves to;
/// - spans are those of the parser's events, byte offsets, and a collection is widened to
///   its first and last child as [`resolve`] does;
/// - an alias is a copy of its anchored node in which every node and key is placed at the
///   alias (serde-saphyr replays the anchored events with the alias as their place), so a
///   number in it is the parser's value, not the text at the alias;
/// - the budgets: the builder counts what serde-saphyr's `BudgetEnforcer`, alias replay
///   limits and depth limit count, and hands the file over well before any of them (at 7/8
///   of each, below the alias/anchor-ratio check's minimum of aliases), so a file the serde
///   path would refuse is refused by it, and an alias bomb costs the builder at most 7/8 of
///   the node budget before it gives up.
mod events {
    use super::{Key, Node, NodeKind, cover, written_number};
    use crate::source::{FileId, Span};
    use serde_saphyr::granit_parser::{self, Event, ScalarStyle};
    use std::borrow::Cow;
    use std::sync::OnceLock;

    /// serde-saphyr's limits for its default options, and the parser options it derives
    /// from them (its `Options::parser_options`, which is not public).
    struct Limits {
        parser: granit_parser::Options,
        events: usize,
        nodes: usize,
        depth: usize,
        scalar_bytes: usize,
        comment_bytes: usize,
        anchors: usize,
        aliases: usize,
        recorded_events: usize,
        recorded_bytes: usize,
        replayed_events: usize,
    }

    /// A counter may reach 7/8 of serde-saphyr's limit before the builder hands over.
    fn margin(limit: usize) -> usize {
        limit - limit / 8
    }

    fn limits() -> &'static Limits {
        static LIMITS: OnceLock<Limits> = OnceLock::new();
        LIMITS.get_or_init(|| {
            let options = serde_saphyr::Options::default();
            let budget = options.budget.clone().unwrap_or_default();
            let mut parser = granit_parser::Options::default();
            parser.simple_key_max_lookahead = budget.simple_key_max_lookahead;
            parser.flow_nesting_limit = budget.flow_nesting_limit;
            parser.block_nesting_limit = parser
                .block_nesting_limit
                .max(budget.max_depth.saturating_add(1));
            parser.emit_comments = options.emit_comments;
            parser.max_buffered_comment_events = budget.max_buffered_comment_events;
            parser.strict_indentation = options.strict_indentation;
            parser.bom_inside_document_as_content = options.bom_inside_document_as_content;
            let mut aliases = margin(budget.max_aliases);
            if budget.enforce_alias_anchor_ratio {
                aliases = aliases.min(budget.alias_anchor_min_aliases.saturating_sub(1));
            }
            Limits {
                parser,
                events: margin(budget.max_events),
                nodes: margin(budget.max_nodes),
                // Containers nested deeper than this are left to the serde path.
                depth: budget.max_depth.saturating_sub(1),
                scalar_bytes: margin(budget.max_total_scalar_bytes),
                comment_bytes: margin(budget.max_total_comment_bytes),
                anchors: margin(budget.max_anchors),
                aliases,
                recorded_events: margin(budget.max_recorded_anchor_events),
                recorded_bytes: margin(budget.max_recorded_anchor_bytes),
                replayed_events: margin(options.alias_limits.max_total_replayed_events),
            }
        })
    }

    /// A collection being read: its children are the tail of `Builder::items` (a sequence)
    /// or `Builder::entries` (a mapping) from `start` on.
    struct Frame {
        map: bool,
        start: usize,
        span: Span,
        /// The anchor defined on it, or 0.
        anchor: usize,
        /// A mapping's key waiting for its value.
        key: Option<Key>,
        /// Counters when it opened, to size an anchored collection's replay.
        content0: usize,
        nodes0: usize,
        bytes0: usize,
        /// Nesting depth of its deepest child collection (0 without any).
        height: usize,
    }

    /// An anchored node, and what replaying it costs in serde-saphyr's counters.
    struct Anchored {
        node: Node,
        /// Events of its recorded buffer: scalars, collection starts and ends.
        events: usize,
        nodes: usize,
        bytes: usize,
        /// Collections nested in it, itself included.
        height: usize,
    }

    struct Builder<'t> {
        file: FileId,
        text: &'t str,
        limits: &'static Limits,
        frames: Vec<Frame>,
        /// Children of the open sequences, each sequence's after its parent's.
        items: Vec<Node>,
        /// Entries of the open mappings, likewise.
        entries: Vec<(Key, Node)>,
        /// Anchored nodes by the parser's anchor id (dense, from 1).
        anchors: Vec<Option<Anchored>>,
        root: Option<Node>,
        /// Open anchored collections (serde-saphyr records an event into each).
        recording: usize,
        // serde-saphyr's counters (replayed aliases included, as there).
        events: usize,
        content: usize,
        nodes: usize,
        scalar_bytes: usize,
        comment_bytes: usize,
        anchors_defined: usize,
        aliases: usize,
        recorded_events: usize,
        recorded_bytes: usize,
        replayed_events: usize,
    }

    /// The tree of `text`, or `None` when the serde path must decide.
    pub(super) fn build(file: FileId, text: &str) -> Option<Node> {
        let limits = limits();
        let parser = granit_parser::Parser::new_from_str_with_options(text, limits.parser.clone());
        // A rough size guess saves most regrowths of the working stacks.
        let mut b = Builder {
            file,
            text,
            limits,
            frames: Vec::with_capacity(16),
            items: Vec::with_capacity(64),
            entries: Vec::with_capacity(64),
            anchors: Vec::new(),
            root: None,
            recording: 0,
            events: 0,
            content: 0,
            nodes: 0,
            scalar_bytes: 0,
            comment_bytes: 0,
            anchors_defined: 0,
            aliases: 0,
            recorded_events: 0,
            recorded_bytes: 0,
            replayed_events: 0,
        };
        let mut end = None;
        for item in parser {
            let (event, span) = item.ok()?;
            b.events += 1;
            match event {
                Event::StreamStart | Event::DocumentStart(..) | Event::DocumentEnd => {}
                Event::StreamEnd => end = Some(b.span(&span)?),
                Event::Comment(text, _) => {
                    b.comment_bytes = b.comment_bytes.saturating_add(text.len());
                }
                Event::Scalar(value, style, anchor, tag) => {
                    if tag.is_some() {
                        return None;
                    }
                    let span = b.span(&span)?;
                    b.scalar(value, style, anchor, span)?;
                }
                Event::SequenceStart(_, anchor, tag) => {
                    if tag.is_some() {
                        return None;
                    }
                    let span = b.span(&span)?;
                    b.open(false, anchor, span)?;
                }
                Event::MappingStart(_, anchor, tag) => {
                    if tag.is_some() {
                        return None;
                    }
                    let span = b.span(&span)?;
                    b.open(true, anchor, span)?;
                }
                Event::SequenceEnd | Event::MappingEnd => b.close()?,
                Event::Alias(id) => {
                    let span = b.span(&span)?;
                    b.alias(id, span)?;
                }
                _ => return None,
            }
            b.check()?;
        }
        if !b.frames.is_empty() {
            return None;
        }
        // A file without any document is null, placed where the stream ends.
        b.root.or_else(|| {
            end.map(|span| Node {
                kind: NodeKind::Null,
                span,
            })
        })
    }

    impl<'t> Builder<'t> {
        /// A parser span as serde-saphyr's `Location` gives it: byte offsets, which a
        /// parser over a `&str` always has.
        fn span(&self, span: &granit_parser::Span) -> Option<Span> {
            let start = span.start.byte_offset()?;
            let len = span.end.byte_offset()?.saturating_sub(start);
            // Beyond 4 GiB serde-saphyr falls back to lines and columns.
            if u32::try_from(start).is_err() || u32::try_from(len).is_err() {
                return None;
            }
            Some(Span::new(self.file, start, start + len))
        }

        /// `None` once a counter nears serde-saphyr's limit for it.
        fn check(&self) -> Option<()> {
            let l = self.limits;
            (self.events <= l.events
                && self.nodes <= l.nodes
                && self.scalar_bytes <= l.scalar_bytes
                && self.comment_bytes <= l.comment_bytes
                && self.anchors_defined <= l.anchors
                && self.aliases <= l.aliases
                && self.recorded_events <= l.recorded_events
                && self.recorded_bytes <= l.recorded_bytes
                && self.replayed_events <= l.replayed_events)
                .then_some(())
        }

        /// Whether the next node is a mapping key.
        fn expecting_key(&self) -> bool {
            matches!(self.frames.last(), Some(f) if f.map && f.key.is_none())
        }

        /// Anchor ids are dense; one that is not is left to the serde path.
        fn define_anchor(&mut self, id: usize, anchored: Anchored) -> Option<()> {
            if id > self.anchors.len() + 64 {
                return None;
            }
            if id >= self.anchors.len() {
                self.anchors.resize_with(id + 1, || None);
            }
            self.anchors[id] = Some(anchored);
            Some(())
        }

        fn scalar(
            &mut self,
            value: Cow<'t, str>,
            style: ScalarStyle,
            anchor: usize,
            span: Span,
        ) -> Option<()> {
            self.content += 1;
            self.nodes += 1;
            self.scalar_bytes = self.scalar_bytes.saturating_add(value.len());
            let copies = self.recording + usize::from(anchor != 0);
            self.recorded_events += copies;
            self.recorded_bytes = self
                .recorded_bytes
                .saturating_add(value.len().saturating_mul(copies));
            if anchor != 0 {
                self.anchors_defined += 1;
            }
            if self.expecting_key() {
                if anchor != 0 {
                    // An anchored key can be aliased as a value elsewhere.
                    let node = self.scalar_node(Cow::Borrowed(&value), style, span)?;
                    self.define_anchor(anchor, scalar_anchored(node, value.len()))?;
                }
                let key = key(value, style, span)?;
                if let Some(frame) = self.frames.last_mut() {
                    frame.key = Some(key);
                }
                return Some(());
            }
            let len = value.len();
            let node = self.scalar_node(value, style, span)?;
            if anchor != 0 {
                self.define_anchor(anchor, scalar_anchored(node.clone(), len))?;
            }
            self.attach(node)
        }

        /// A scalar in value position, resolved as serde-saphyr's `deserialize_any` does.
        fn scalar_node(&self, value: Cow<'_, str>, style: ScalarStyle, span: Span) -> Option<Node> {
            let kind = if style == ScalarStyle::Plain {
                match resolve_plain(&value)? {
                    Plain::Null => NodeKind::Null,
                    Plain::Bool(b) => NodeKind::Bool(b),
                    Plain::Str => NodeKind::Str(value.into_owned()),
                    number => NodeKind::Number(match written_number(self.text, span) {
                        Some(w) => w.to_string(),
                        None => number.value_text()?,
                    }),
                }
            } else {
                NodeKind::Str(value.into_owned())
            };
            Some(Node { kind, span })
        }

        fn open(&mut self, map: bool, anchor: usize, span: Span) -> Option<()> {
            if self.expecting_key() {
                return None; // a collection as a key
            }
            if self.frames.len() + 1 > self.limits.depth {
                return None;
            }
            self.nodes += 1;
            if anchor != 0 {
                self.anchors_defined += 1;
                self.recording += 1;
            }
            // The start goes into every open recording, its own included.
            self.recorded_events += self.recording;
            let content0 = self.content;
            self.content += 1;
            self.frames.push(Frame {
                map,
                start: if map {
                    self.entries.len()
                } else {
                    self.items.len()
                },
                span,
                anchor,
                key: None,
                content0,
                nodes0: self.nodes - 1,
                bytes0: self.scalar_bytes,
                height: 0,
            });
            Some(())
        }

        fn close(&mut self) -> Option<()> {
            let frame = self.frames.pop()?;
            self.content += 1;
            self.recorded_events += self.recording;
            let (kind, span) = if frame.map {
                if frame.key.is_some() || frame.start > self.entries.len() {
                    return None;
                }
                if has_duplicate_key(&self.entries[frame.start..]) {
                    return None;
                }
                let entries: Vec<(Key, Node)> = self.entries.drain(frame.start..).collect();
                let span = cover(
                    frame.span,
                    entries.first().map(|(k, _)| k.span),
                    entries.last().map(|(_, v)| v.span),
                );
                (NodeKind::Map(entries), span)
            } else {
                if frame.start > self.items.len() {
                    return None;
                }
                let items: Vec<Node> = self.items.drain(frame.start..).collect();
                let span = cover(
                    frame.span,
                    items.first().map(|n| n.span),
                    items.last().map(|n| n.span),
                );
                (NodeKind::Seq(items), span)
            };
            let node = Node { kind, span };
            let height = frame.height + 1;
            if frame.anchor != 0 {
                self.recording -= 1;
                let anchored = Anchored {
                    node: node.clone(),
                    events: self.content - frame.content0,
                    nodes: self.nodes - frame.nodes0,
                    bytes: self.scalar_bytes - frame.bytes0,
                    height,
                };
                self.define_anchor(frame.anchor, anchored)?;
            }
            self.note_height(height);
            self.attach(node)
        }

        fn alias(&mut self, id: usize, span: Span) -> Option<()> {
            if self.expecting_key() {
                return None; // an alias as a key
            }
            self.aliases += 1;
            // Unknown, or still open (a recursive alias): the serde path decides.
            let anchored = self.anchors.get(id)?.as_ref()?;
            let (events, nodes, bytes, height) = (
                anchored.events,
                anchored.nodes,
                anchored.bytes,
                anchored.height,
            );
            if self.frames.len() + height > self.limits.depth {
                return None;
            }
            // serde-saphyr replays the anchored events, and records them into any open
            // anchored collection; count them before copying anything.
            self.events = self.events.saturating_add(events);
            self.content = self.content.saturating_add(events);
            self.replayed_events = self.replayed_events.saturating_add(events);
            self.nodes = self.nodes.saturating_add(nodes);
            self.scalar_bytes = self.scalar_bytes.saturating_add(bytes);
            self.recorded_events = self
                .recorded_events
                .saturating_add(events.saturating_mul(self.recording));
            self.recorded_bytes = self
                .recorded_bytes
                .saturating_add(bytes.saturating_mul(self.recording));
            self.check()?;
            let node = self.copy_at(&self.anchors.get(id)?.as_ref()?.node, span)?;
            self.note_height(height);
            self.attach(node)
        }

        /// A copy of an anchored node for an alias at `span`: every node and key is placed
        /// at the alias, as serde-saphyr reports replayed values.
        fn copy_at(&self, node: &Node, span: Span) -> Option<Node> {
            let kind = match &node.kind {
                NodeKind::Null => NodeKind::Null,
                NodeKind::Bool(b) => NodeKind::Bool(*b),
                NodeKind::Str(s) => NodeKind::Str(s.clone()),
                NodeKind::Number(n) => NodeKind::Number(match written_number(self.text, span) {
                    Some(w) => w.to_string(),
                    None => number_value_text(n)?,
                }),
                NodeKind::Seq(items) => NodeKind::Seq(
                    items
                        .iter()
                        .map(|n| self.copy_at(n, span))
                        .collect::<Option<Vec<_>>>()?,
                ),
                NodeKind::Map(entries) => NodeKind::Map(
                    entries
                        .iter()
                        .map(|(k, v)| {
                            let key = Key {
                                name: k.name.clone(),
                                span,
                            };
                            Some((key, self.copy_at(v, span)?))
                        })
                        .collect::<Option<Vec<_>>>()?,
                ),
            };
            Some(Node { kind, span })
        }

        fn note_height(&mut self, height: usize) {
            if let Some(parent) = self.frames.last_mut() {
                parent.height = parent.height.max(height);
            }
        }

        /// Puts a finished node where it belongs: the root, the next sequence item, or the
        /// value of the pending key.
        fn attach(&mut self, node: Node) -> Option<()> {
            match self.frames.last_mut() {
                None => {
                    if self.root.is_some() {
                        return None; // a second document
                    }
                    self.root = Some(node);
                }
                Some(frame) if frame.map => {
                    let key = frame.key.take()?;
                    self.entries.push((key, node));
                }
                Some(_) => self.items.push(node),
            }
            Some(())
        }
    }

    fn scalar_anchored(node: Node, bytes: usize) -> Anchored {
        Anchored {
            node,
            events: 1,
            nodes: 1,
            bytes,
            height: 0,
        }
    }

    /// A mapping key: the scalar's text. What serde-saphyr refuses (an empty or null key),
    /// treats specially (the merge key `<<`) or compares by value (integers, so that `1`
    /// and `0x1` are the same key) is left to it, except integers written canonically.
    fn key(value: Cow<'_, str>, style: ScalarStyle, span: Span) -> Option<Key> {
        if style == ScalarStyle::Plain {
            if is_nullish(&value) || value == "<<" {
                return None;
            }
            if !is_canonical_integer(&value) && integer_key(&value) {
                return None;
            }
        }
        Some(Key {
            name: value.into_owned(),
            span,
        })
    }

    /// Whether two keys of one mapping have the same text (serde-saphyr refuses the
    /// mapping, or, for a quoted and a plain integer, accepts it: the serde path decides).
    fn has_duplicate_key(entries: &[(Key, Node)]) -> bool {
        if entries.len() <= 16 {
            return entries
                .iter()
                .enumerate()
                .any(|(i, (k, _))| entries[..i].iter().any(|(e, _)| e.name == k.name));
        }
        let mut names: Vec<&str> = entries.iter().map(|(k, _)| k.name.as_str()).collect();
        names.sort_unstable();
        names.windows(2).any(|w| w[0] == w[1])
    }

    /// What a plain scalar resolves to.
    #[derive(Debug, PartialEq)]
    enum Plain {
        Null,
        Bool(bool),
        Int(i128),
        Float(f64),
        Str,
    }

    impl Plain {
        /// The number as serde's visitor formats it (`visit_i64`/`visit_u64`/`visit_f64`).
        fn value_text(&self) -> Option<String> {
            match self {
                Plain::Int(i) => Some(i.to_string()),
                Plain::Float(f) => Some(f.to_string()),
                _ => None,
            }
        }
    }

    /// The value text of a number node replayed through an alias: its value as the parser
    /// read it. A formatted `-0` may have been the float `-0.0` or the integer `0`; that one
    /// is left to the serde path.
    fn number_value_text(n: &str) -> Option<String> {
        if n == "-0" {
            return None;
        }
        resolve_plain(n)?.value_text()
    }

    fn is_nullish(value: &str) -> bool {
        matches!(value, "" | "~" | "null" | "Null" | "NULL")
    }

    /// serde-saphyr's `yaml_trim` (`trim_matches([' ', '\t', '\r', '\n'])`), by bytes: the
    /// padding is ASCII, so both ends stay on character boundaries.
    fn yaml_trim(s: &str) -> &str {
        let pad = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
        let b = s.as_bytes();
        let start = b.iter().position(|c| !pad(c)).unwrap_or(b.len());
        let end = b.iter().rposition(|c| !pad(c)).map_or(start, |i| i + 1);
        s.get(start..end).unwrap_or(s)
    }

    /// A plain, untagged scalar as serde-saphyr's `deserialize_any` resolves it with its
    /// default options; `None` for what it refuses (`.inf`, `.nan`, a float beyond `f64`).
    fn resolve_plain(value: &str) -> Option<Plain> {
        match simple_number(value) {
            Some(number) => Some(number),
            None => resolve_plain_generally(value),
        }
    }

    /// [`resolve_plain`] by serde-saphyr's rules, step by step.
    fn resolve_plain_generally(value: &str) -> Option<Plain> {
        if is_nullish(value) {
            return Some(Plain::Null);
        }
        if let Some(b) = yaml11_bool(value) {
            return Some(Plain::Bool(b));
        }
        let t = yaml_trim(value);
        let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
        // Every number (and every refused spelling) starts with a digit or a dot.
        if !matches!(unsigned.as_bytes().first(), Some(b'0'..=b'9' | b'.')) {
            return Some(Plain::Str);
        }
        let uppercase_radix = matches!(unsigned.as_bytes(), [b'0', b'X' | b'O' | b'B', ..]);
        if uppercase_radix || is_signed_nan(t) {
            return Some(Plain::Str);
        }
        if matches!(
            unsigned,
            ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF"
        ) {
            return None; // a non-finite float: refused
        }
        if t.starts_with('-') {
            if !leading_zero_decimal(t)
                && let Some(v) = parse_int_signed(t).filter(|v| i64::try_from(*v).is_ok())
            {
                return Some(Plain::Int(v));
            }
        } else if let Some(v) = parse_int_unsigned(t).filter(|v| u64::try_from(*v).is_ok()) {
            // Below u64::MAX, so it fits.
            return i128::try_from(v).ok().map(Plain::Int);
        }
        match t.parse::<f64>() {
            Ok(v) if v.is_finite() => Some(Plain::Float(v)),
            Ok(_) => None, // overflows to infinity: refused
            Err(_) => Some(Plain::Str),
        }
    }

    /// The common numbers, quickly: `16471` (digits, no leading zero, 18 at most: an
    /// integer that fits u64) and `72.32` (digits, a point, digits: a float, for it is no
    /// integer). Anything else, `None`, is resolved by the general rules.
    fn simple_number(value: &str) -> Option<Plain> {
        let b = value.as_bytes();
        let int = b.iter().take_while(|c| c.is_ascii_digit()).count();
        if int == 0 {
            return None;
        }
        if int == b.len() {
            if int <= 18 && (int == 1 || b[0] != b'0') {
                return value.parse::<u64>().ok().map(|n| Plain::Int(n.into()));
            }
            return None;
        }
        let frac = b.get(int + 1..).unwrap_or_default();
        if b[int] == b'.' && !frac.is_empty() && frac.iter().all(u8::is_ascii_digit) {
            return value
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .map(Plain::Float);
        }
        None
    }

    /// serde-saphyr's `parse_yaml11_bool` (the default, `strict_booleans: false`).
    fn yaml11_bool(s: &str) -> Option<bool> {
        let t = yaml_trim(s);
        if t.is_empty() || t.len() > 5 {
            return None;
        }
        let is = |w: &str| t.eq_ignore_ascii_case(w);
        if is("true") || is("yes") || is("y") || is("on") {
            Some(true)
        } else if is("false") || is("no") || is("n") || is("off") {
            Some(false)
        } else {
            None
        }
    }

    fn is_signed_nan(t: &str) -> bool {
        t.strip_prefix(['+', '-'])
            .is_some_and(|u| matches!(u, ".nan" | ".NaN" | ".NAN"))
    }

    /// `0127`, `+0127`, `-0127`: a decimal integer with a redundant leading zero.
    fn leading_zero_decimal(t: &str) -> bool {
        let s = yaml_trim(t);
        let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
        digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
    }

    /// Whether serde-saphyr compares a plain key as an integer.
    fn integer_key(value: &str) -> bool {
        let t = yaml_trim(value);
        // An integer has a digit after its sign (`0x`, `0o`, `0b` included).
        let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
        if !unsigned.starts_with(|c: char| c.is_ascii_digit()) {
            return false;
        }
        if t.starts_with('-') {
            parse_int_signed(t).is_some()
        } else {
            parse_int_unsigned(t).is_some()
        }
    }

    /// `2022`, `-5`, `0`: an integer written as it prints, so that two such keys are the
    /// same integer exactly when they are the same text (whether or not it is an integer
    /// that serde-saphyr reads: a longer one is text to it).
    fn is_canonical_integer(value: &str) -> bool {
        let (negative, digits) = match value.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, value),
        };
        let b = digits.as_bytes();
        !b.is_empty()
            && b.iter().all(u8::is_ascii_digit)
            && (b[0] != b'0' || (b.len() == 1 && !negative))
    }

    /// serde-saphyr's `radix_and_digits` without legacy octal.
    fn radix_and_digits(rest: &str) -> (u32, &str) {
        for (prefix, radix) in [
            ("0x", 16),
            ("0X", 16),
            ("0o", 8),
            ("0O", 8),
            ("0b", 2),
            ("0B", 2),
        ] {
            if let Some(digits) = rest.strip_prefix(prefix) {
                return (radix, digits);
            }
        }
        (10, rest)
    }

    /// Digits in `radix`, with single `_` between digits (serde-saphyr's
    /// `parse_digits_u128`).
    fn parse_digits(digits: &str, radix: u32) -> Option<u128> {
        let bytes = digits.as_bytes();
        let mut value: u128 = 0;
        let mut saw = false;
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'_' {
                let prev_ok = i > 0 && bytes[i - 1] != b'_';
                let next_ok = i + 1 < bytes.len() && bytes[i + 1] != b'_';
                if !prev_ok || !next_ok {
                    return None;
                }
                continue;
            }
            let d = char::from(b).to_digit(16).filter(|d| *d < radix)?;
            value = value.checked_mul(u128::from(radix))?;
            value = value.checked_add(u128::from(d))?;
            saw = true;
        }
        saw.then_some(value)
    }

    /// serde-saphyr's `parse_int_signed::<i128>`.
    fn parse_int_signed(t: &str) -> Option<i128> {
        let t = yaml_trim(t);
        let (neg, rest) = match t.strip_prefix('+') {
            Some(r) => (false, r),
            None => match t.strip_prefix('-') {
                Some(r) => (true, r),
                None => (false, t),
            },
        };
        let (radix, digits) = radix_and_digits(rest);
        if radix == 10 && digits.starts_with('0') && digits != "0" {
            return None;
        }
        let magnitude = parse_digits(digits, radix)?;
        if neg {
            if magnitude == i128::MAX as u128 + 1 {
                Some(i128::MIN)
            } else {
                i128::try_from(magnitude).ok()?.checked_neg()
            }
        } else {
            i128::try_from(magnitude).ok()
        }
    }

    /// serde-saphyr's `parse_int_unsigned::<u128>`.
    fn parse_int_unsigned(t: &str) -> Option<u128> {
        let t = yaml_trim(t);
        if t.starts_with('-') {
            return None;
        }
        let rest = t.strip_prefix('+').unwrap_or(t);
        let (radix, digits) = radix_and_digits(rest);
        if radix == 10 && digits.starts_with('0') && digits != "0" {
            return None;
        }
        parse_digits(digits, radix)
    }

    #[cfg(test)]
    pub(super) fn resolve_plain_for_test(value: &str) -> Option<String> {
        resolve_plain(value).map(|p| format!("{p:?}"))
    }

    #[cfg(test)]
    pub(super) fn yaml_trim_for_test(s: &str) -> &str {
        yaml_trim(s)
    }

    /// The shortcut for common numbers agrees with the general rules.
    #[cfg(test)]
    pub(super) fn shortcut_agrees_for_test(value: &str) -> bool {
        simple_number(value).is_none_or(|quick| resolve_plain_generally(value) == Some(quick))
    }
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

    /// The event builder decides `text`, and gives exactly the serde path's tree.
    fn same(text: &str) -> Node {
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
        let names: Vec<&str> = entries.iter().map(|(k, _)| k.name.as_str()).collect();
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

    #[test]
    fn builder_matches_serde_on_the_repository_files() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
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
        for f in files {
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
