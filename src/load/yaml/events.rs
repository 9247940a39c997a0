//! The tree built directly from parser events, without serde in between. The events come
//! from [`super::scan`] when the file is in its subset, else from `granit-parser`.
//!
//! [`build`] answers `None` for anything it does not reproduce exactly as
//! the serde path does (see the docs of [`super`]); it never reports an error itself. What it
//! reproduces, in `serde-saphyr`'s terms (its default options, which a unit test checks):
//! - plain scalars resolve as in its `deserialize_any`: null (`~`, `null`, empty), YAML 1.1
//!   booleans (`yes`, `off`, …), integers (decimal, `0x`, `0o`, `0b`, `_` between digits),
//!   floats, and text otherwise; quoted and block scalars are text;
//! - keys are the scalar's text whatever it resolves to;
//! - spans are those of the parser's events, byte offsets, and a collection is widened to
//!   its first and last child as [`super::reference`] does;
//! - an alias is a copy of its anchored node in which every node and key is placed at the
//!   alias (serde-saphyr replays the anchored events with the alias as their place); a
//!   number in it is the number as written at the anchor when it was written plain (the
//!   serde path reads it at the replayed value's place of definition), else the parser's
//!   value;
//! - the budgets: the builder counts what serde-saphyr's `BudgetEnforcer`, alias replay
//!   limits and depth limit count, and hands the file over well before any of them (at 7/8
//!   of each, below the alias/anchor-ratio check's minimum of aliases), so a file the serde
//!   path would refuse is refused by it, and an alias bomb costs the builder at most 7/8 of
//!   the node budget before it gives up.
use super::limits::{Limits, limits};
use super::scan::{self, Halt};
use super::tree::{Key, Node, NodeKind, cover, written_number};
use crate::base::number;
use crate::base::source::{FileId, Span};
use serde_saphyr::granit_parser::{self, Event, ScalarStyle};
use std::borrow::Cow;

/// A collection being read: its children are the tail of `Builder::items` (a sequence)
/// or `Builder::entries` (a mapping) from `start` on.
struct Frame<'t> {
    map: bool,
    start: usize,
    span: Span,
    /// The anchor defined on it, or 0.
    anchor: usize,
    /// A mapping's key waiting for its value.
    key: Option<Key<'t>>,
    /// Counters when it opened, to size an anchored collection's replay.
    content0: usize,
    nodes0: usize,
    bytes0: usize,
    /// Nesting depth of its deepest child collection (0 without any).
    height: usize,
}

/// An anchored node, and what replaying it costs in serde-saphyr's counters.
struct Anchored<'t> {
    node: Node<'t>,
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
    frames: Vec<Frame<'t>>,
    /// Children of the open sequences, each sequence's after its parent's.
    items: Vec<Node<'t>>,
    /// Entries of the open mappings, likewise.
    entries: Vec<(Key<'t>, Node<'t>)>,
    /// Anchored nodes by the parser's anchor id (dense, from 1).
    anchors: Vec<Option<Anchored<'t>>>,
    root: Option<Node<'t>>,
    /// Where the stream ends.
    end: Option<Span>,
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
pub(super) fn build(file: FileId, text: &str) -> Option<Node<'_>> {
    let limits = limits();
    // Most files are in the scanner's subset; the parser takes the others.
    let mut b = Builder::new(file, text, limits);
    match scan::scan(text, &limits.parser, |event, start, end| {
        b.event(event, start, end)
    }) {
        Ok(()) => return b.finish(),
        Err(Halt::Refused) => return None,
        Err(Halt::Unsupported) => {}
    }
    let mut b = Builder::new(file, text, limits);
    let parser = granit_parser::Parser::new_from_str_with_options(text, limits.parser.clone());
    for item in parser {
        let (event, span) = item.ok()?;
        b.event(event, span.start.byte_offset()?, span.end.byte_offset()?)?;
    }
    b.finish()
}

impl<'t> Builder<'t> {
    fn new(file: FileId, text: &'t str, limits: &'static Limits) -> Self {
        // A rough size guess saves most regrowths of the working stacks.
        Builder {
            file,
            text,
            limits,
            frames: Vec::with_capacity(16),
            items: Vec::with_capacity(64),
            entries: Vec::with_capacity(64),
            anchors: Vec::new(),
            root: None,
            end: None,
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
        }
    }

    /// One parser event, covering the bytes `start..end`.
    fn event(&mut self, event: Event<'t>, start: usize, end: usize) -> Option<()> {
        self.events += 1;
        match event {
            Event::StreamStart | Event::DocumentStart(..) | Event::DocumentEnd => {}
            Event::StreamEnd => self.end = Some(self.span(start, end)?),
            Event::Comment(text, _) => {
                self.comment_bytes = self.comment_bytes.saturating_add(text.len());
            }
            Event::Scalar(value, style, anchor, tag) => {
                if tag.is_some() {
                    return None;
                }
                let span = self.span(start, end)?;
                self.scalar(value, style, anchor, span)?;
            }
            Event::SequenceStart(_, anchor, tag) => {
                if tag.is_some() {
                    return None;
                }
                let span = self.span(start, end)?;
                self.open(false, anchor, span)?;
            }
            Event::MappingStart(_, anchor, tag) => {
                if tag.is_some() {
                    return None;
                }
                let span = self.span(start, end)?;
                self.open(true, anchor, span)?;
            }
            Event::SequenceEnd | Event::MappingEnd => self.close()?,
            Event::Alias(id) => {
                let span = self.span(start, end)?;
                self.alias(id, span)?;
            }
            _ => return None,
        }
        self.check()
    }

    /// The tree once every event is in.
    fn finish(self) -> Option<Node<'t>> {
        if !self.frames.is_empty() {
            return None;
        }
        // A file without any document is null, placed where the stream ends.
        self.root.or_else(|| {
            self.end.map(|span| Node {
                kind: NodeKind::Null,
                span,
            })
        })
    }

    /// A parser span as serde-saphyr's `Location` gives it: byte offsets, which a
    /// parser over a `&str` always has.
    fn span(&self, start: usize, end: usize) -> Option<Span> {
        let len = end.saturating_sub(start);
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
    fn define_anchor(&mut self, id: usize, anchored: Anchored<'t>) -> Option<()> {
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
                let node = self.scalar_node(value.clone(), style, span)?;
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
    fn scalar_node(&self, value: Cow<'t, str>, style: ScalarStyle, span: Span) -> Option<Node<'t>> {
        let kind = if style == ScalarStyle::Plain {
            match resolve_plain(&value)? {
                Plain::Null => NodeKind::Null,
                Plain::Bool(b) => NodeKind::Bool(b),
                Plain::Str => NodeKind::Str(value),
                number => NodeKind::Number(match written_number(self.text, span) {
                    Some(w) => Cow::Borrowed(w),
                    None => Cow::Owned(number.value_text()?),
                }),
            }
        } else {
            NodeKind::Str(value)
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
    fn copy_at(&self, node: &Node<'t>, span: Span) -> Option<Node<'t>> {
        let kind = match &node.kind {
            NodeKind::Null => NodeKind::Null,
            // Made only after the tree is built (by `traps`), never here; copied as it is.
            NodeKind::Reported => NodeKind::Reported,
            NodeKind::Bool(b) => NodeKind::Bool(*b),
            NodeKind::Str(s) => NodeKind::Str(s.clone()),
            NodeKind::Number(n) => NodeKind::Number(match written_number(self.text, span) {
                Some(w) => Cow::Borrowed(w),
                None if number::is_plain(n) => n.clone(),
                None => Cow::Owned(number_value_text(n)?),
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
    fn attach(&mut self, node: Node<'t>) -> Option<()> {
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
fn key(value: Cow<'_, str>, style: ScalarStyle, span: Span) -> Option<Key<'_>> {
    if style == ScalarStyle::Plain {
        if is_nullish(&value) || value == "<<" {
            return None;
        }
        if !is_canonical_integer(&value) && integer_key(&value) {
            return None;
        }
    }
    Some(Key { name: value, span })
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
    let mut names: Vec<&str> = entries.iter().map(|(k, _)| &*k.name).collect();
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
