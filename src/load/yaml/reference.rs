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
    let (message, label, hint) = match limit_passed(err, text) {
        Some((message, hint)) => (message, "the limit is passed here", hint),
        None if matches!(original(err), serde_saphyr::Error::MultipleDocuments { .. }) => (
            "the file holds more than one YAML document (a `---` line starts another)".to_string(),
            "another document",
            "a workspace file is one document: remove the `---` line, or move what follows it into a file of its own",
        ),
        None => (
            format!("invalid YAML: {message}"),
            "here",
            "fix the YAML syntax here (indentation, a missing `:` or an unclosed bracket or quote)",
        ),
    };
    let mut d = Diagnostic::error(Code::YamlSyntax, message);
    if let Some(start) = location {
        let end = next_char_end(text, start);
        d = d.at(Span::new(file, start, end), label);
    }
    d.hint(hint)
}

/// What to write instead of a file that passes one of the parser's limits.
const SPLIT: &str = "split the file: a workspace may have any number of files under indicators/ and budgets/ (budget lines by the thousand belong in a CSV, `rincian_csv`)";
const FEWER_ALIASES: &str = "write the values out, or use fewer nested aliases";

/// The limit of serde-saphyr's a file passed, said with the limit's value: which one it
/// is, not just that the file is "too large" (a large file without a single alias is not
/// an alias bomb). `None` for any other error.
fn limit_passed(err: &serde_saphyr::Error, text: &str) -> Option<(String, &'static str)> {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    let budget = &super::limits::limits().budget;
    let n = group_thousands;
    // Values counted after aliases are expanded: say which, so the hint fits.
    let mib = |bytes: usize| format!("{} MiB", bytes / (1024 * 1024));
    let expanded = |limit: String, what: &str| {
        if has_alias(text) {
            (
                format!(
                    "the file's aliases (`*name`) expand into more than {limit} {what}, the most kinerja reads from one file (a guard against alias bombs)"
                ),
                FEWER_ALIASES,
            )
        } else {
            (
                format!(
                    "the file has more than {limit} {what}, the most kinerja reads from one file"
                ),
                SPLIT,
            )
        }
    };
    Some(match original(err) {
        E::Budget { breach, .. } => match breach {
            B::Nodes { .. } => expanded(
                n(budget.max_nodes),
                "values (every key, value, list and mapping counts)",
            ),
            B::Events { .. } => expanded(
                n(budget.max_events),
                "parser events (every value, and every list's and mapping's start and end, count)",
            ),
            B::ScalarBytes { .. } => {
                expanded(mib(budget.max_total_scalar_bytes), "of text in its values")
            }
            B::CommentBytes { .. } => (
                format!(
                    "the file's comments hold more than {}, the most kinerja reads from one file",
                    mib(budget.max_total_comment_bytes)
                ),
                SPLIT,
            ),
            B::InputBytes { .. } => (
                format!(
                    "the file is larger than {}, the most kinerja reads",
                    mib(budget.max_reader_input_bytes.unwrap_or(usize::MAX))
                ),
                SPLIT,
            ),
            B::Depth { .. } => (
                format!(
                    "the file nests lists and mappings more than {} levels deep, the deepest kinerja reads",
                    budget.max_depth
                ),
                "workspace files need a few levels; look for a runaway indentation or unclosed brackets",
            ),
            B::Documents { .. } => (
                format!(
                    "the file has more than {} YAML documents (`---`), the most kinerja reads",
                    n(budget.max_documents)
                ),
                "a workspace file is one document: remove the `---` separators",
            ),
            B::Aliases { .. } => (
                format!(
                    "the file uses more than {} aliases (`*name`), the most kinerja reads",
                    n(budget.max_aliases)
                ),
                FEWER_ALIASES,
            ),
            B::Anchors { .. } => (
                format!(
                    "the file defines more than {} anchors (`&name`), the most kinerja reads",
                    n(budget.max_anchors)
                ),
                FEWER_ALIASES,
            ),
            B::AliasAnchorRatio { aliases, anchors } => (
                format!(
                    "the file uses {} aliases (`*name`) for {} anchors (`&name`), more than {} per anchor (a guard against alias bombs)",
                    n(*aliases),
                    n(*anchors),
                    budget.alias_anchor_ratio_multiplier
                ),
                FEWER_ALIASES,
            ),
            B::MergeKeys { .. } => (
                format!(
                    "the file has more than {} merge keys (`<<`), the most kinerja reads",
                    n(budget.max_merge_keys)
                ),
                FEWER_ALIASES,
            ),
            B::RecordedAnchorEvents { .. } => (
                format!(
                    "the file's anchored values (`&name`) hold more than {} parser events, the most kinerja keeps for aliases",
                    n(budget.max_recorded_anchor_events)
                ),
                FEWER_ALIASES,
            ),
            B::RecordedAnchorBytes { .. } => (
                format!(
                    "the file's anchored values (`&name`) hold more than {} of text, the most kinerja keeps for aliases",
                    mib(budget.max_recorded_anchor_bytes)
                ),
                FEWER_ALIASES,
            ),
            _ => (
                "the file passes one of the limits of kinerja's YAML reader".to_string(),
                SPLIT,
            ),
        },
        E::AliasReplayLimitExceeded {
            max_total_replayed_events,
            ..
        } => (
            format!(
                "the file's aliases (`*name`) expand into more than {} parser events, the most kinerja reads from one file (a guard against alias bombs)",
                n(*max_total_replayed_events)
            ),
            FEWER_ALIASES,
        ),
        E::AliasReplayStackDepthExceeded { max_depth, .. } => (
            format!(
                "the file's aliases (`*name`) are nested more than {max_depth} deep, the deepest kinerja expands"
            ),
            FEWER_ALIASES,
        ),
        E::AliasExpansionLimitExceeded {
            max_expansions_per_anchor,
            ..
        } => (
            format!(
                "an anchor (`&name`) of the file is used more than {} times, the most kinerja expands",
                n(*max_expansions_per_anchor)
            ),
            FEWER_ALIASES,
        ),
        _ => return None,
    })
}

/// The error itself, without the snippet or alias it may be wrapped in.
fn original(mut err: &serde_saphyr::Error) -> &serde_saphyr::Error {
    use serde_saphyr::Error as E;
    while let E::WithSnippet { error, .. } | E::AliasError { error, .. } = err {
        err = error;
    }
    err
}

/// Whether the file uses an alias (`*name`), as the parser reads it (a `*` in a text or a
/// comment is none).
fn has_alias(text: &str) -> bool {
    if !text.contains('*') {
        return false;
    }
    let parser = serde_saphyr::granit_parser::Parser::new_from_str_with_options(
        text,
        super::limits::limits().parser.clone(),
    );
    parser
        .map_while(Result::ok)
        .any(|(event, _)| matches!(event, serde_saphyr::granit_parser::Event::Alias(_)))
}

/// `250000` → `250,000`, as the README writes counts.
fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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
            let at = |span: Span| text.get(span.start..span.end).map(str::trim).unwrap_or("");
            let written = at(span);
            // Through an alias, the number as written at its anchor.
            let defined = at(span_of(file, text, &raw.defined));
            if !written.is_empty() && number::is_plain(written) {
                NodeKind::Number(Cow::Borrowed(written))
            } else if !defined.is_empty() && number::is_plain(defined) {
                NodeKind::Number(Cow::Borrowed(defined))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str) -> String {
        match parse_with_serde(FileId(0), text) {
            Ok(_) => panic!("parsed"),
            Err(d) => format!("{} / {}", d.message, d.hint.unwrap_or_default()),
        }
    }

    /// Each limit is named with its value; a large file without aliases is not called an
    /// alias bomb.
    #[test]
    fn limits_are_named_with_their_value() {
        let mut big = String::from("n:\n");
        for i in 0..260_000 {
            big.push_str(&format!("  - {i}   # 2 * {i}\n"));
        }
        let m = message(&big);
        assert!(m.contains("more than 250,000 values"), "{m}");
        assert!(m.contains("split the file"), "{m}");
        assert!(!m.contains("alias"), "{m}");

        let bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
        let m = message(bomb);
        assert!(
            m.contains("aliases (`*name`) expand into more than 250,000 values"),
            "{m}"
        );

        let ratio: String = std::iter::once("a: &a [1]\n".to_string())
            .chain((0..120).map(|i| format!("k{i}: *a\n")))
            .collect();
        let m = message(&ratio);
        assert!(m.contains("120 aliases (`*name`) for 1 anchors"), "{m}");

        let m = message("a: 1\n---\nb: 2\n");
        assert!(m.contains("more than one YAML document"), "{m}");
        assert!(!m.contains("from_str"), "{m}");

        // Deep nesting recurses in the parser: on a thread with room for it.
        let deep = std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(|| {
                let mut text = String::from("x:\n");
                for level in 1..=70 {
                    text.push_str(&"  ".repeat(level));
                    text.push_str("a:\n");
                }
                text.push_str(&"  ".repeat(71));
                text.push_str("1\n");
                message(&text)
            })
            .expect("spawn")
            .join()
            .expect("no panic");
        assert!(deep.contains("more than 64 levels deep"), "{deep}");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_000), "1,000");
        assert_eq!(group_thousands(250_000), "250,000");
        assert_eq!(group_thousands(1_000_000), "1,000,000");
    }
}
