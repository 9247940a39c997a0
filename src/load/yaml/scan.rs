//! A scanner for the everyday subset of YAML that workspace files are written in, giving
//! exactly the events (and byte spans) that `granit-parser` gives for the same text.
//!
//! Why: at national size the general parser is the slowest stage of `eval` (about 17 MB/s
//! per core, most of it spent on machinery these files never use). This scanner does one
//! pass over the bytes, borrows every scalar, and stops with [`Halt::Unsupported`] at the
//! first thing outside its subset, so that the caller parses the file again with
//! `granit-parser`. It never reports an error and never guesses.
//!
//! The subset: block mappings with plain keys, block sequences (indented, or at their
//! key's indentation), plain scalars on one line, quoted scalars on one line without
//! escapes (`''` in single quotes is fine), flow collections on one line, block scalars
//! (`|`, `|-`, `>`, `>-`) whose lines share one indentation, comments and blank lines,
//! spaces for indentation, `\n` or `\r\n` line ends. Everything else is left to the
//! parser: tabs, other carriage returns, a byte order mark, document markers and
//! directives, anchors, aliases, tags, explicit keys, quoted keys, escapes, plain or quoted
//! scalars and flow collections over several lines, block scalars with `+`, an explicit
//! indentation or more-indented lines, and anything the parser would refuse.
//!
//! The tests below compare the two event streams on the repository's files, on a
//! generated workspace and on random documents; `yaml::tests` compares the trees built
//! from them with the serde path's.

use serde_saphyr::granit_parser::{self, Event, Placement, ScalarStyle, StructureStyle};
use std::borrow::Cow;

/// Why scanning stopped before the end of the text.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Halt {
    /// The text leaves the subset: parse it with `granit-parser`.
    Unsupported,
    /// The receiver of the events stopped.
    Refused,
}

type Res<T> = Result<T, Halt>;

/// Deepest flow nesting the scanner takes (the parser's own limit is far above).
const MAX_FLOW_DEPTH: usize = 32;
/// Deepest block nesting the scanner takes: the tree builder refuses deeper ones anyway,
/// and the scanner's recursion stays shallow whoever receives the events.
const MAX_BLOCK_DEPTH: usize = 64;

/// Scans `text`, giving each event with its byte range to `emit` (which stops the scan by
/// answering `None`). `options` are those the parser would be run with: the scanner leaves
/// to it whatever comes near its limits.
pub(super) fn scan<'t, F>(text: &'t str, options: &granit_parser::Options, emit: F) -> Res<()>
where
    F: FnMut(Event<'t>, usize, usize) -> Option<()>,
{
    if !plain_bytes(text.as_bytes()) {
        return Err(Halt::Unsupported);
    }
    let mut s = Scanner {
        text,
        b: text.as_bytes(),
        pos: 0,
        depth: 0,
        comments: 0,
        // The parser looks this many characters ahead for a key's `:` (spaces before it
        // included); a byte count is never below the character count, so half of it is
        // safely inside.
        max_key: options.simple_key_max_lookahead / 2,
        // Comments the parser holds while it looks for the node after a `:` or `-` whose
        // value starts on a later line (more is an error there); likewise half.
        max_held_comments: options.max_buffered_comment_events / 2,
        emit,
    };
    s.document()
}

/// Whether every byte is one the subset allows: no tab, carriage return (but in `\r\n`)
/// or other control character, no DEL, and none of the characters YAML treats specially outside ASCII
/// (C1 controls and NEL, the line and paragraph separators, the byte order mark,
/// U+FFFE/U+FFFF).
fn plain_bytes(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x20 {
            // A line ends with `\n` or `\r\n`; any other control character is left.
            if c != b'\n' && !(c == b'\r' && b.get(i + 1) == Some(&b'\n')) {
                return false;
            }
        } else if c == 0x7f {
            return false;
        } else if c >= 0x80 {
            let next = b.get(i + 1).copied().unwrap_or(0);
            let third = b.get(i + 2).copied().unwrap_or(0);
            match c {
                0xc2 if next < 0xa0 => return false,
                0xe2 if next == 0x80 && matches!(third, 0xa8 | 0xa9) => return false,
                0xef if (next == 0xbb && third == 0xbf) || (next == 0xbf && third >= 0xbe) => {
                    return false;
                }
                _ => {}
            }
        }
        i += 1;
    }
    true
}

struct Scanner<'t, F> {
    text: &'t str,
    b: &'t [u8],
    pos: usize,
    /// Block collections open around the position.
    depth: usize,
    /// Comments read so far.
    comments: usize,
    max_key: usize,
    max_held_comments: usize,
    emit: F,
}

impl<'t, F> Scanner<'t, F>
where
    F: FnMut(Event<'t>, usize, usize) -> Option<()>,
{
    fn emit(&mut self, event: Event<'t>, start: usize, end: usize) -> Res<()> {
        (self.emit)(event, start, end).ok_or(Halt::Refused)
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
    }

    /// Whether a block sequence entry starts at `i`: a `-` followed by a space, a line
    /// break (`\r` only ever starts `\r\n`, see `plain_bytes`) or the end.
    fn is_entry(&self, i: usize) -> bool {
        self.at(i) == Some(b'-') && matches!(self.at(i + 1), None | Some(b' ' | b'\n' | b'\r'))
    }

    fn scalar(
        &mut self,
        value: Cow<'t, str>,
        style: ScalarStyle,
        start: usize,
        end: usize,
    ) -> Res<()> {
        self.emit(Event::Scalar(value, style, 0, None), start, end)
    }

    fn plain(&mut self, start: usize, end: usize) -> Res<()> {
        let value = self.text.get(start..end).ok_or(Halt::Unsupported)?;
        self.scalar(Cow::Borrowed(value), ScalarStyle::Plain, start, end)
    }

    /// The empty scalar the parser gives for a missing value, placed at `at`.
    fn empty(&mut self, at: usize) -> Res<()> {
        self.scalar(Cow::Borrowed("~"), ScalarStyle::Plain, at, at)
    }

    fn document(&mut self) -> Res<()> {
        self.emit(Event::StreamStart, 0, 0)?;
        // A document without content is left to the parser.
        let indent = self.next_line()?.ok_or(Halt::Unsupported)?;
        self.emit(Event::DocumentStart(false, None), self.pos, self.pos)?;
        let after = if self.is_entry(self.pos) {
            self.block_sequence(indent, false)?
        } else {
            self.block_mapping(indent)?
        };
        if after.is_some() {
            return Err(Halt::Unsupported);
        }
        let end = self.b.len();
        self.emit(Event::DocumentEnd, end, end)?;
        self.emit(Event::StreamEnd, end, end)
    }

    /// Moves to the first character of the next line with content, emitting the comments
    /// on the way, and answers its indentation (`None` at the end of the text). The
    /// position must be at the start of a line.
    fn next_line(&mut self) -> Res<Option<usize>> {
        loop {
            let line = self.pos;
            self.skip_spaces();
            match self.peek() {
                None => return Ok(None),
                Some(b'\n' | b'\r') => self.newline()?,
                Some(b'#') => {
                    self.comment()?;
                    self.newline()?;
                }
                Some(_) => {
                    let indent = self.pos - line;
                    // `---` and `...` at the start of a line are document markers.
                    if indent == 0
                        && (self.b[line..].starts_with(b"---")
                            || self.b[line..].starts_with(b"..."))
                    {
                        return Err(Halt::Unsupported);
                    }
                    return Ok(Some(indent));
                }
            }
        }
    }

    /// A comment from its `#` to the end of the line.
    fn comment(&mut self) -> Res<()> {
        let start = self.pos;
        let end = memchr_newline(self.b, start);
        let text = self.text.get(start + 1..end).ok_or(Halt::Unsupported)?;
        self.pos = end;
        self.comments += 1;
        self.emit(
            Event::Comment(Cow::Borrowed(text), Placement::Right),
            start,
            end,
        )
    }

    /// Consumes the line break at the position (or accepts the end of the text).
    fn newline(&mut self) -> Res<()> {
        match self.peek() {
            None => Ok(()),
            Some(b'\n') => {
                self.pos += 1;
                Ok(())
            }
            // `plain_bytes` let a `\r` in only before a `\n`.
            Some(b'\r') => {
                self.pos += 2;
                Ok(())
            }
            Some(_) => Err(Halt::Unsupported),
        }
    }

    /// The rest of a line after its last node: spaces, perhaps a comment (after a space),
    /// and the line break.
    fn line_end(&mut self) -> Res<()> {
        self.skip_spaces();
        if self.peek() == Some(b'#') {
            if self.pos == 0 || self.b[self.pos - 1] != b' ' {
                return Err(Halt::Unsupported);
            }
            self.comment()?;
        }
        self.newline()
    }

    /// A block mapping whose first key is at the position, in column `indent`. Answers
    /// the indentation of the line after it (the position is at its content), or `None`
    /// at the end of the text.
    fn block_mapping(&mut self, indent: usize) -> Res<Option<usize>> {
        self.nested(|s| s.block_mapping_body(indent))
    }

    /// Runs `body` one block level deeper.
    fn nested(&mut self, body: impl FnOnce(&mut Self) -> Res<Option<usize>>) -> Res<Option<usize>> {
        if self.depth >= MAX_BLOCK_DEPTH {
            return Err(Halt::Unsupported);
        }
        self.depth += 1;
        let next = body(self);
        self.depth -= 1;
        next
    }

    fn block_mapping_body(&mut self, indent: usize) -> Res<Option<usize>> {
        let start = self.pos;
        self.emit(
            Event::MappingStart(StructureStyle::Block, 0, None),
            start,
            start,
        )?;
        loop {
            let colon = self.block_key()?;
            self.pos = colon + 1;
            let next = self.block_value(indent, colon, true)?;
            match next {
                Some(i) if i == indent && !self.is_entry(self.pos) => continue,
                Some(i) if i < indent => {
                    self.emit(Event::MappingEnd, self.pos, self.pos)?;
                    return Ok(next);
                }
                None => {
                    let end = self.b.len();
                    self.emit(Event::MappingEnd, end, end)?;
                    return Ok(None);
                }
                // Deeper (the continuation of a scalar, or an error) or an entry at the
                // mapping's own indentation after a value (an error).
                Some(_) => return Err(Halt::Unsupported),
            }
        }
    }

    /// A plain key at the position, followed by `:` and a space or line break; emits it
    /// and answers the position of the `:`.
    fn block_key(&mut self) -> Res<usize> {
        let start = self.pos;
        if !self.plain_start(start, false) {
            return Err(Halt::Unsupported);
        }
        let (end, colon, stop) = self.plain_block_end(start);
        if stop != Some(b':') || colon - start > self.max_key {
            return Err(Halt::Unsupported);
        }
        self.plain(start, end)?;
        Ok(colon)
    }

    /// What follows an indicator: `key:` (`in_mapping`) or `-`, whose value place is
    /// `empty_at` when there is none. The position is just after the indicator. Answers
    /// as [`Self::block_mapping`] does.
    fn block_value(
        &mut self,
        indent: usize,
        empty_at: usize,
        in_mapping: bool,
    ) -> Res<Option<usize>> {
        self.skip_spaces();
        match self.peek() {
            None | Some(b'\n' | b'\r' | b'#') => {
                let comments = self.comments;
                self.line_end()?;
                let next = self.next_line()?;
                if self.comments - comments > self.max_held_comments {
                    return Err(Halt::Unsupported);
                }
                match next {
                    Some(i) if i > indent => {
                        if self.is_entry(self.pos) {
                            self.block_sequence(i, false)
                        } else {
                            self.block_mapping(i)
                        }
                    }
                    // A sequence may sit at its key's indentation.
                    Some(i) if i == indent && in_mapping && self.is_entry(self.pos) => {
                        self.block_sequence(i, true)
                    }
                    _ => {
                        self.empty(empty_at)?;
                        Ok(next)
                    }
                }
            }
            Some(_) => self.value_on_line(indent),
        }
    }

    /// A block sequence whose first `-` is at the position, in column `indent`.
    /// `at_key_indent`: it sits at the indentation of its key, and ends at the first line
    /// there that is not an entry. Answers as [`Self::block_mapping`] does.
    fn block_sequence(&mut self, indent: usize, at_key_indent: bool) -> Res<Option<usize>> {
        self.nested(|s| s.block_sequence_body(indent, at_key_indent))
    }

    fn block_sequence_body(&mut self, indent: usize, at_key_indent: bool) -> Res<Option<usize>> {
        let dash = self.pos;
        if !at_key_indent {
            self.emit(
                Event::SequenceStart(StructureStyle::Block, 0, None),
                dash,
                dash,
            )?;
        }
        let mut first = true;
        loop {
            // At a `-` entry.
            self.pos += 1;
            self.skip_spaces();
            let content = self.pos;
            if at_key_indent && first {
                // The parser places such a sequence at its first entry's content; an
                // empty first entry is left to it.
                if matches!(self.peek(), None | Some(b'\n' | b'\r' | b'#')) {
                    return Err(Halt::Unsupported);
                }
                self.emit(
                    Event::SequenceStart(StructureStyle::Block, 0, None),
                    content,
                    content,
                )?;
            }
            first = false;
            let next = match self.peek() {
                // An empty entry is placed at the end of its line.
                None | Some(b'\n' | b'\r' | b'#') => {
                    self.block_value(indent, memchr_newline(self.b, content), false)?
                }
                Some(_) if self.is_entry(content) => return Err(Halt::Unsupported),
                Some(_) => self.entry_content(indent, content)?,
            };
            match next {
                Some(i) if i == indent && self.is_entry(self.pos) => continue,
                Some(i) if i < indent || (i == indent && at_key_indent) => {
                    self.emit(Event::SequenceEnd, self.pos, self.pos)?;
                    return Ok(next);
                }
                None => {
                    let end = self.b.len();
                    self.emit(Event::SequenceEnd, end, end)?;
                    return Ok(None);
                }
                Some(_) => return Err(Halt::Unsupported),
            }
        }
    }

    /// An entry's content on the line of its `-`: a mapping (`- key: value`) or a node.
    fn entry_content(&mut self, indent: usize, content: usize) -> Res<Option<usize>> {
        if self.plain_start(content, false) {
            let (_, _, stop) = self.plain_block_end(content);
            if stop == Some(b':') {
                // Only spaces and `-` precede it on its line, so its column is its offset
                // from the line's start.
                let line = self.b[..content]
                    .iter()
                    .rposition(|&c| c == b'\n')
                    .map_or(0, |i| i + 1);
                return self.block_mapping(content - line);
            }
        }
        self.value_on_line(indent)
    }

    /// A value that starts on the current line, in a collection at column `indent`: a
    /// block scalar, or a node that ends on this line. Answers as [`Self::block_mapping`]
    /// does.
    fn value_on_line(&mut self, indent: usize) -> Res<Option<usize>> {
        if matches!(self.peek(), Some(b'|' | b'>')) {
            return self.block_scalar(indent);
        }
        self.inline_value()?;
        self.line_end()?;
        self.next_line()
    }

    /// A block scalar at its `|` or `>` (optionally `-`, and a comment), in a collection at
    /// column `indent`: its lines all at one indentation deeper than that, perhaps with
    /// empty lines between them. More-indented lines, lines of spaces, leading empty
    /// lines, `+` and explicit indentation are left to the parser. Answers as
    /// [`Self::block_mapping`] does.
    fn block_scalar(&mut self, indent: usize) -> Res<Option<usize>> {
        let literal = self.peek() == Some(b'|');
        self.pos += 1;
        let strip = self.peek() == Some(b'-');
        if strip {
            self.pos += 1;
        }
        if !matches!(self.peek(), None | Some(b' ' | b'\n' | b'\r')) {
            return Err(Halt::Unsupported);
        }
        self.line_end()?;
        let mut own_indent = None;
        // The first line (where it starts, and its text, borrowed); the text is built
        // only from a second line on.
        let mut first: Option<(usize, &'t str)> = None;
        let mut built: Option<String> = None;
        let mut empty_since = 0;
        let end = loop {
            let line = self.pos;
            let mut i = line;
            while self.at(i) == Some(b' ') {
                i += 1;
            }
            let spaces = i - line;
            match self.at(i) {
                None | Some(b'\n' | b'\r') if spaces > 0 || first.is_none() => {
                    return Err(Halt::Unsupported);
                }
                None => break i,
                Some(b'\n' | b'\r') => {
                    empty_since += 1;
                    self.pos = i;
                    self.newline()?;
                }
                Some(_) => {
                    let own = *own_indent.get_or_insert(spaces);
                    if own <= indent {
                        return Err(Halt::Unsupported); // an empty scalar
                    }
                    if spaces < own {
                        self.pos = line;
                        break i;
                    }
                    if spaces > own {
                        return Err(Halt::Unsupported);
                    }
                    let eol = memchr_newline(self.b, i);
                    let line_text = self.text.get(i..eol).ok_or(Halt::Unsupported)?;
                    if let Some((_, first_text)) = first {
                        let text = built.get_or_insert_with(|| first_text.to_string());
                        let breaks = if literal {
                            empty_since + 1
                        } else {
                            empty_since
                        };
                        if breaks == 0 {
                            text.push(' ');
                        }
                        for _ in 0..breaks {
                            text.push('\n');
                        }
                        text.push_str(line_text);
                    } else {
                        first = Some((i, line_text));
                    }
                    empty_since = 0;
                    self.pos = eol;
                    self.newline()?;
                }
            }
        };
        // The loop ends only after a first line.
        let (start, first_text) = first.ok_or(Halt::Unsupported)?;
        let value = match built {
            None if strip => Cow::Borrowed(first_text),
            None => Cow::Owned(format!("{first_text}\n")),
            Some(mut text) => {
                if !strip {
                    text.push('\n');
                }
                Cow::Owned(text)
            }
        };
        let style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        self.scalar(value, style, start, end)?;
        self.next_line()
    }

    /// A node on the rest of a line in block context: a flow collection, a quoted scalar
    /// or a plain scalar.
    fn inline_value(&mut self) -> Res<()> {
        let start = self.pos;
        match self.peek() {
            Some(b'[') => self.flow_sequence(0),
            Some(b'{') => self.flow_mapping(0),
            Some(b'\'' | b'"') => self.quoted(),
            _ if self.plain_start(start, false) => {
                let (end, _, stop) = self.plain_block_end(start);
                if stop == Some(b':') {
                    return Err(Halt::Unsupported); // `a: b: c`
                }
                self.pos = end;
                self.plain(start, end)
            }
            _ => Err(Halt::Unsupported),
        }
    }

    /// Whether a plain scalar may start at `i`: not at an indicator, except `-`, `?`
    /// and `:` before a character that may follow them (`-5`). `?` and `:` are left to
    /// the parser.
    fn plain_start(&self, i: usize, flow: bool) -> bool {
        match self.at(i) {
            None | Some(b' ' | b'\n' | b'\r') => false,
            Some(b'-') => match self.at(i + 1) {
                None | Some(b' ' | b'\n' | b'\r') => false,
                Some(b',' | b'[' | b']' | b'{' | b'}') => !flow,
                Some(_) => true,
            },
            Some(
                b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
                | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`',
            ) => false,
            Some(_) => true,
        }
    }

    /// The end of a plain scalar on one line in block context from `start` (trailing
    /// spaces excluded), where it stopped, and what stopped it: `:` (a `:` before a space
    /// or line break), `#` (a comment), or `None` (the line's end).
    fn plain_block_end(&self, start: usize) -> (usize, usize, Option<u8>) {
        let line_end = memchr_newline(self.b, start);
        let mut i = start;
        let mut stop = None;
        while i < line_end {
            match self.b[i] {
                b':' if matches!(self.at(i + 1), None | Some(b' ' | b'\n' | b'\r')) => {
                    stop = Some(b':');
                    break;
                }
                // `i > start`: a plain scalar never starts with `#` (`plain_start`).
                b'#' if self.b[i - 1] == b' ' => {
                    stop = Some(b'#');
                    break;
                }
                _ => i += 1,
            }
        }
        (trim_spaces_end(self.b, start, i), i, stop)
    }

    /// A quoted scalar on one line at the position: `'…'` (with `''` for a quote) or
    /// `"…"` without escapes.
    fn quoted(&mut self) -> Res<()> {
        let start = self.pos;
        let quote = self.b[start];
        let mut i = start + 1;
        let mut doubled = false;
        loop {
            match self.at(i) {
                None | Some(b'\n' | b'\r') => return Err(Halt::Unsupported),
                Some(b'\\') if quote == b'"' => return Err(Halt::Unsupported),
                Some(c) if c == quote => {
                    if quote == b'\'' && self.at(i + 1) == Some(b'\'') {
                        doubled = true;
                        i += 2;
                        continue;
                    }
                    break;
                }
                Some(_) => i += 1,
            }
        }
        let inner = self.text.get(start + 1..i).ok_or(Halt::Unsupported)?;
        let (value, style) = if quote == b'\'' {
            let value = if doubled {
                Cow::Owned(inner.replace("''", "'"))
            } else {
                Cow::Borrowed(inner)
            };
            (value, ScalarStyle::SingleQuoted)
        } else {
            (Cow::Borrowed(inner), ScalarStyle::DoubleQuoted)
        };
        self.pos = i + 1;
        self.scalar(value, style, start, i + 1)
    }

    /// A flow sequence on one line, at its `[`.
    fn flow_sequence(&mut self, depth: usize) -> Res<()> {
        self.flow_open(depth, Event::SequenceStart(StructureStyle::Flow, 0, None))?;
        loop {
            if self.peek() == Some(b']') {
                break;
            }
            self.flow_node(depth)?;
            self.skip_spaces();
            if self.flow_entry_end(b']')? {
                break;
            }
        }
        self.flow_close(Event::SequenceEnd)
    }

    /// A flow mapping on one line, at its `{`; plain keys, `: ` after each.
    fn flow_mapping(&mut self, depth: usize) -> Res<()> {
        self.flow_open(depth, Event::MappingStart(StructureStyle::Flow, 0, None))?;
        loop {
            if self.peek() == Some(b'}') {
                break;
            }
            let start = self.pos;
            if !self.plain_start(start, true) {
                return Err(Halt::Unsupported);
            }
            let end = self.plain_flow_end(start);
            self.plain(start, end)?;
            self.pos = end;
            self.skip_spaces();
            if self.peek() != Some(b':')
                || self.at(self.pos + 1) != Some(b' ')
                || self.pos - start > self.max_key
            {
                return Err(Halt::Unsupported);
            }
            let colon = self.pos;
            self.pos += 2;
            self.skip_spaces();
            if matches!(self.peek(), Some(b',' | b'}')) {
                self.empty(colon)?;
            } else {
                self.flow_node(depth)?;
                self.skip_spaces();
            }
            if self.flow_entry_end(b'}')? {
                break;
            }
        }
        self.flow_close(Event::MappingEnd)
    }

    /// A flow collection's opening bracket at the position, `depth` collections deep.
    fn flow_open(&mut self, depth: usize, start: Event<'t>) -> Res<()> {
        if depth >= MAX_FLOW_DEPTH {
            return Err(Halt::Unsupported);
        }
        self.emit(start, self.pos, self.pos + 1)?;
        self.pos += 1;
        self.skip_spaces();
        Ok(())
    }

    /// A flow collection's closing bracket at the position.
    fn flow_close(&mut self, end: Event<'t>) -> Res<()> {
        self.emit(end, self.pos, self.pos + 1)?;
        self.pos += 1;
        Ok(())
    }

    /// After an entry of a flow collection: a `,` (then spaces), or the collection's
    /// `close`. Answers whether the collection ends here.
    fn flow_entry_end(&mut self, close: u8) -> Res<bool> {
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                self.skip_spaces();
                Ok(false)
            }
            Some(c) if c == close => Ok(true),
            _ => Err(Halt::Unsupported),
        }
    }

    /// A node inside a flow collection.
    fn flow_node(&mut self, depth: usize) -> Res<()> {
        let start = self.pos;
        match self.peek() {
            Some(b'[') => self.flow_sequence(depth + 1),
            Some(b'{') => self.flow_mapping(depth + 1),
            Some(b'\'' | b'"') => self.quoted(),
            _ if self.plain_start(start, true) => {
                let end = self.plain_flow_end(start);
                self.pos = end;
                self.plain(start, end)
            }
            _ => Err(Halt::Unsupported),
        }
    }

    /// The end of a plain scalar in a flow collection from `start` (trailing spaces
    /// excluded): it stops at a flow indicator, a `:`, a comment or the line's end, and
    /// whoever reads on decides whether that is allowed there.
    fn plain_flow_end(&self, start: usize) -> usize {
        let mut i = start;
        while let Some(&c) = self.b.get(i) {
            match c {
                b',' | b'[' | b']' | b'{' | b'}' | b':' | b'\n' | b'\r' => break,
                // `i > start`, as above.
                b'#' if self.b[i - 1] == b' ' => break,
                _ => i += 1,
            }
        }
        trim_spaces_end(self.b, start, i)
    }
}

/// The offset of the first line break (`\n`, or the `\r` of `\r\n`) at or after `from`, or
/// the text's length.
fn memchr_newline(b: &[u8], from: usize) -> usize {
    match b[from..].iter().position(|&c| c == b'\n') {
        Some(i) if i > 0 && b[from + i - 1] == b'\r' => from + i - 1,
        Some(i) => from + i,
        None => b.len(),
    }
}

fn trim_spaces_end(b: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && b[end - 1] == b' ' {
        end -= 1;
    }
    end
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use serde_saphyr::granit_parser::Parser;

    /// Every YAML file of the repository (its workspaces and examples).
    pub(in crate::load::yaml) fn repository_yaml_files() -> Vec<std::path::PathBuf> {
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

    /// The events that carry data, each with its range, and the comments' texts apart:
    /// the tree builder only counts comments, and the parser may order them differently
    /// around the end of a collection.
    #[derive(Debug, Default, PartialEq)]
    struct Stream {
        events: Vec<String>,
        comments: Vec<String>,
    }

    impl Stream {
        fn push(&mut self, event: Event<'_>, start: usize, end: usize) {
            match event {
                Event::Comment(text, _) => self.comments.push(text.into_owned()),
                // Where a block collection's end is placed is not used by anyone.
                Event::MappingEnd | Event::SequenceEnd => self.events.push(format!("{event:?}")),
                event => self.events.push(format!("{event:?} {start}..{end}")),
            }
        }
    }

    /// The parser's events, with the options it runs with in production (its limits are
    /// part of what the scanner must respect).
    fn parser_stream(text: &str) -> Option<Stream> {
        let mut stream = Stream::default();
        let options = super::super::limits::parser_options().clone();
        for item in Parser::new_from_str_with_options(text, options) {
            let (event, span) = item.ok()?;
            stream.push(event, span.start.byte_offset()?, span.end.byte_offset()?);
        }
        stream.comments.sort();
        Some(stream)
    }

    fn scanner_stream(text: &str) -> Result<Stream, Halt> {
        let mut stream = Stream::default();
        scan(
            text,
            super::super::limits::parser_options(),
            |event, start, end| {
                stream.push(event, start, end);
                Some(())
            },
        )?;
        stream.comments.sort();
        Ok(stream)
    }

    /// Whether the scanner takes `text`; when it does, its events are the parser's.
    fn agrees(text: &str) -> bool {
        match scanner_stream(text) {
            Ok(fast) => {
                let Some(parsed) = parser_stream(text) else {
                    panic!("the scanner took what the parser refuses: {text:?}");
                };
                if fast != parsed {
                    let at = (0..fast.events.len().max(parsed.events.len()))
                        .find(|&i| fast.events.get(i) != parsed.events.get(i));
                    let show = |s: &Stream| {
                        at.map(|i| {
                            s.events
                                .iter()
                                .skip(i.saturating_sub(2))
                                .take(4)
                                .cloned()
                                .collect::<Vec<_>>()
                        })
                    };
                    panic!(
                        "for {text:?}\nscanner: {:?}\nparser:  {:?}\ncomments {:?} / {:?}",
                        show(&fast),
                        show(&parsed),
                        fast.comments,
                        parsed.comments
                    );
                }
                true
            }
            Err(Halt::Unsupported) => false,
            Err(Halt::Refused) => unreachable!("the test receiver never stops"),
        }
    }

    #[test]
    fn takes_the_subset_with_the_parsers_events() {
        for text in [
            "a: 1\n",
            "a: 1",
            "a: 1\nb:\nc: {x: 1, y: [2, 3], z: }\n",
            "d:\n  - id: X\n    n: two words # c\n  - [ ]\n  - \"q x\"\n  - 's''t'\n",
            "e: [a, b,]\nf:\n  g: h\n\n",
            "- \n-\n- a\n-   # c\n  - x\n",
            "a:   \n# x\n  # y\nb: c   # z\nc :  d\nk: [a, {b: c}]   \nl:\n- 1\n- 2\nm:",
            "a: 1\n# end\n\n",
            "  a: 1\n  b:\n    - x\n",
            "a:\n- id: 1\n  b: 2\nc: 3\n",
            "a:\n  - b: 1\n    c:\n      - d\n      - e: f\n  - g\n",
            "x: {}\ny: []\nz: [[], {}, [[1]]]\n",
            "url: https://example.org/a#b\ntime: 12:30\nsign: -5\nneg: -x\n",
            "nama: Sasaran [A], {B} & C > D | E * F ! G % H @ I ` J\n",
            "nama: Penyelenggaraan — Sembako ✓ ünï\nnilai: 12\n",
            "q: ''\nr: \"\"\ns: 'it''s'\nt: \"ünï\"\n",
            "a: [ 'x' , \"y\" ,z ]\n",
            "a: {b: 'c', d: \"e\", f: [g]}\n",
            "-5: a\n2022: b\ntrue: c\n~: d\n",
            "a: b#c\nd: e #f\n",
            "a:    \n  b: 1\n",
            "- - a\n",
            "a: - b\n",
            "a: b: c\n",
            "a: 1\n  b: 2\n",
            "a: x\n  y\n",
            "- a\n  b\n",
            "a: [1,\n  2]\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: |\n  t\n",
            "a: >-\n  t\n",
            "? a\n: 1\n",
            "'q': 1\n",
            "a: \"x\\ty\"\n",
            "---\na: 1\n",
            "a: 1\n...\n",
            "%YAML 1.2\n---\na: 1\n",
            "\u{feff}a: 1\n",
            "a: 1\r\n",
            "a:\tb\n",
            "a: 1\na: 2\n",
            "[1, 2]\n",
            "plain\n",
            "",
            "# only\n",
            "a: {b: 1}}\n",
            "a: [1] x\n",
            "a: 'x' y\n",
            "a:\n- 1\n  - 2\n",
            "a:\n  - 1\n - 2\n",
            "a:\n  b: 1\n c: 2\n",
            "a: {b:1}\n",
            "a: {b, c: 1}\n",
            "a: [b: 1]\n",
            "a: [-, 1]\n",
            "a: [-1, -x]\n",
            "a: -\n",
            "a: [a #b]\n",
            "- - \n",
            "a: 'b'#c\n",
            "a:\n-\n- 1\n",
            "k\u{85}: 1\n",
            "k: a\u{2028}b\n",
        ] {
            agrees(text);
        }
    }

    #[test]
    fn takes_the_common_shapes() {
        for text in [
            "a: 1\nb:\nc: {x: 1, y: [2, 3], z: }\n",
            "- \n-\n- a\n-   # c\n  - x\n",
            "a:\n- id: 1\n  b: 2\nc: 3\n",
            "a: 1\n# end\n\n",
            "q: ''\nr: \"\"\ns: 'it''s'\nt: \"ünï\"\n",
            "a: 1\r\nb:\r\n  - x # c\r\n  -\r\n  - {y: [1, 2]}\r\n",
            "a: >-\n  one two\n  three\n\n  four\nb: |\n  l1\n  l2\n\n\nc: >\n  x\n\n# c\n",
            "d:\n  - >-\n    item\n  - |- # note\n    lit\n    # kept\ne: >-\n  tail  \n",
            "f: >-\r\n  a\r\n\r\n  b\r\n",
        ] {
            assert!(agrees(text), "left to the parser: {text:?}");
        }
        let deep: String = (0..100).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
        for text in [
            "a: |+\n  t\n",
            "a: |2\n  t\n",
            "a: >\n  t\n    more\n",
            "a: >\n\n  t\n",
            "a: >\n  t\n  \n  u\n",
            "a: >\nb: 1\n",
            "a: x\n  y\n",
            "a: &x 1\n",
            "",
            "a: 1\rb: 2\n",
            &deep,
            // Near the parser's limits: a key's look-ahead for its `:`, counted with the
            // spaces before it, and comments held while it looks for a value.
            &format!("k{}: v\n", " ".repeat(1024)),
            &format!("- k{}: v\n", " ".repeat(1024)),
            &format!("a: {{k{}: v}}\n", " ".repeat(1024)),
            &format!("a:\n{}", "#\n".repeat(97)),
            &format!("-\n{}- x\n", "#\n".repeat(97)),
            &format!("a: #\n{}  b: 1\n", "#\n".repeat(96)),
            &format!("a:\n{}  b: 1\n", "# c\n".repeat(33)),
        ] {
            assert!(!agrees(text), "taken: {text:?}");
        }
    }

    /// The repository's own files: every one is in the subset, with the parser's events.
    #[test]
    fn agrees_on_the_repository_files() {
        let files = repository_yaml_files();
        let mut left = Vec::new();
        for f in &files {
            let text = std::fs::read_to_string(f).expect("readable");
            if !agrees(&text) {
                left.push(
                    f.strip_prefix(env!("CARGO_MANIFEST_DIR"))
                        .unwrap_or(f)
                        .display()
                        .to_string(),
                );
            }
        }
        // The workspaces a user sees first should read at full speed. A file here using
        // something outside the subset is still read correctly (by the parser): if that is
        // intended, take it out of this check rather than the check out of the tests.
        assert!(left.is_empty(), "left to the full parser: {left:?}");
    }

    /// A generated workspace is entirely in the subset, with the parser's events.
    #[test]
    fn takes_every_generated_file() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let spec = crate::generate::Spec {
            institutions: 3,
            indicators: 600,
            files: 6,
            indicators_per_sasaran: 5,
            budget_lines: 100,
            seed: 7,
        };
        crate::generate::generate(tmp.path(), &spec).expect("generate");
        let mut seen = 0;
        let mut dirs = vec![tmp.path().to_path_buf()];
        while let Some(dir) = dirs.pop() {
            for e in std::fs::read_dir(&dir).expect("dir").flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "yaml") {
                    let text = std::fs::read_to_string(&p).expect("readable");
                    assert!(agrees(&text), "left to the parser: {}", p.display());
                    seen += 1;
                }
            }
        }
        assert!(seen >= 7, "{seen} files");
    }

    /// Random documents of the subset, often with one character inserted, deleted or
    /// replaced: whatever the scanner takes, it gives the parser's events for. A good
    /// share must be taken, or the test would only exercise the hand-over. For a longer
    /// run: `KINERJA_SCAN_SEED=1 KINERJA_SCAN_CASES=1000000 cargo test --release --lib
    /// agrees_on_random_documents -- --nocapture`.
    #[test]
    fn agrees_on_random_documents() {
        let knob = |name| std::env::var(name).ok().and_then(|s| s.parse().ok());
        let seed = knob("KINERJA_SCAN_SEED").unwrap_or(2026);
        let total = knob("KINERJA_SCAN_CASES").unwrap_or(40_000);
        let mut rng = crate::generate::Rng(seed);
        let mut taken = 0;
        for _ in 0..total {
            let mut text = String::new();
            random_block(&mut rng, &mut text, 0, 0);
            if rng.below(3) == 0 {
                mutate(&mut rng, &mut text);
            }
            if rng.below(8) == 0 {
                text.pop();
            }
            if rng.below(4) == 0 {
                text = text.replace('\n', "\r\n");
            }
            if agrees(&text) {
                taken += 1;
            }
        }
        eprintln!("the scanner took {taken} of {total} documents");
        assert!(taken * 4 > total, "only {taken} of {total} taken");
    }

    const SCALARS: &[&str] = &[
        "a",
        "b c",
        "2022",
        "1.5",
        "-0",
        "-x",
        "~",
        "null",
        "yes",
        "0x1F",
        "1_000",
        "'q'",
        "'i''t'",
        "''",
        "\"d\"",
        "\"\"",
        "ünï — ✓",
        "http://x/y#z",
        "12:30",
        "a, b",
        "[x]y",
        "S001.1",
        "IKP1.2-IKK3",
        "Rp 1.000,50",
    ];
    const KEYS: &[&str] = &["id", "nama", "2022", "k", "a b", "-k", "x.y", "ü"];

    fn pick<'a>(rng: &mut crate::generate::Rng, from: &[&'a str]) -> &'a str {
        from[rng.below(from.len())]
    }

    fn random_flow(rng: &mut crate::generate::Rng, out: &mut String, depth: usize) {
        let n = rng.below(4);
        let map = rng.below(2) == 0;
        out.push(if map { '{' } else { '[' });
        for i in 0..n {
            if i > 0 {
                out.push_str(pick(rng, &[", ", ",", " , "]));
            }
            if map {
                out.push_str(KEYS[i % KEYS.len()]);
                out.push_str(": ");
            }
            match rng.below(5) {
                0 if depth < 3 => random_flow(rng, out, depth + 1),
                1 if map => {}
                _ => out.push_str(pick(rng, &SCALARS[..SCALARS.len() - 5])),
            }
        }
        if n > 0 && rng.below(5) == 0 {
            out.push(',');
        }
        out.push(if map { '}' } else { ']' });
    }

    fn random_value(rng: &mut crate::generate::Rng, out: &mut String, indent: usize, depth: usize) {
        match rng.below(6) {
            0 if depth < 4 => {
                out.push_str(pick(rng, &["", "  ", " # c"]));
                out.push('\n');
                let deeper = indent + 1 + rng.below(3);
                random_block(rng, out, deeper, depth + 1);
                return;
            }
            1 => random_flow(rng, out, 0),
            2 if rng.below(2) == 0 => {
                // A block scalar, with what it may hold and a few things it may not.
                out.push(' ');
                out.push_str(pick(
                    rng,
                    &[">-", ">-", ">", "|", "|-", ">+", "|2", "> # c"],
                ));
                out.push('\n');
                let pad = " ".repeat(indent + 1 + rng.below(3));
                for i in 0..1 + rng.below(3) {
                    if i > 0 {
                        for _ in 0..rng.below(3) {
                            out.push_str(pick(rng, &["\n", "\n", "  \n"]));
                        }
                    }
                    out.push_str(&pad);
                    out.push_str(pick(
                        rng,
                        &["text", "a b: c", "# not a comment", " more", "x  "],
                    ));
                    out.push('\n');
                }
                if rng.below(3) == 0 {
                    out.push('\n');
                }
                return;
            }
            2 => {}
            _ => {
                out.push(' ');
                out.push_str(pick(rng, SCALARS));
            }
        }
        out.push_str(pick(rng, &["", "", " ", " # note", "   #"]));
        out.push('\n');
    }

    fn random_block(rng: &mut crate::generate::Rng, out: &mut String, indent: usize, depth: usize) {
        let pad = " ".repeat(indent);
        let n = 1 + rng.below(4);
        let seq = rng.below(3) == 0;
        for i in 0..n {
            match rng.below(8) {
                0 => out.push('\n'),
                1 => out.push_str(&format!("{pad}# comment {i}\n")),
                _ => {}
            }
            out.push_str(&pad);
            if seq {
                out.push('-');
                if rng.below(3) == 0 && depth < 4 {
                    // `- key: value` with the rest of the mapping below.
                    let gap = 1 + rng.below(3);
                    out.push_str(&" ".repeat(gap));
                    let inner = indent + 1 + gap;
                    out.push_str(pick(rng, KEYS));
                    out.push(':');
                    random_value(rng, out, inner, depth + 1);
                    if rng.below(2) == 0 {
                        out.push_str(&" ".repeat(inner));
                        out.push_str("zz:");
                        if rng.below(3) == 0 {
                            // A sequence at this key's indentation.
                            out.push('\n');
                            out.push_str(&" ".repeat(inner));
                            out.push_str("- x\n");
                        } else {
                            random_value(rng, out, inner, depth + 1);
                        }
                    }
                    continue;
                }
                random_value(rng, out, indent, depth);
            } else {
                out.push_str(KEYS[i % KEYS.len()]);
                out.push_str(pick(rng, &[":", ":", ":", " :"]));
                if rng.below(6) == 0 && depth < 4 {
                    // A sequence at its key's indentation.
                    out.push('\n');
                    for _ in 0..1 + rng.below(2) {
                        out.push_str(&pad);
                        out.push('-');
                        random_value(rng, out, indent, depth + 1);
                    }
                    continue;
                }
                random_value(rng, out, indent, depth);
            }
        }
    }

    fn mutate(rng: &mut crate::generate::Rng, text: &mut String) {
        let chars: Vec<char> = text.chars().collect();
        if chars.is_empty() {
            return;
        }
        let at = rng.below(chars.len());
        let inserted = [
            '\n', ' ', ':', '-', '#', ',', '[', ']', '{', '}', '\'', '"', 'x', '&', '\t', '\r',
        ];
        let c = inserted[rng.below(inserted.len())];
        let mut out: Vec<char> = chars.clone();
        match rng.below(3) {
            0 => out.insert(at, c),
            1 => {
                out.remove(at);
            }
            _ => out[at] = c,
        }
        *text = out.into_iter().collect();
    }
}
