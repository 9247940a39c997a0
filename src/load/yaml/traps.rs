//! Number traps that YAML itself springs, found in the tree before anything reads it.
//!
//! Inside `{…}` and `[…]` a comma separates entries, so a decimal comma splits a number:
//! `{persen: 93,6}` is `persen: 93` and a key `6` without a value, and `[93,6, 87,4]` is four
//! numbers. Read as YAML says, the first is an unknown key `6` and a figure of 93 (which
//! the audit then calls a printed 93); read as the planner meant, it is `93.6`. Such an
//! entry is reported once, as the display-format number it is, and marked
//! [`NodeKind::Reported`] so that no reader reports it again, or uses the half it kept.

use super::tree::{Node, NodeKind};
use crate::base::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::base::number::{NumberError, parse_plain};
use crate::base::source::Span;

/// Finds and mends every decimal comma that split a flow collection in `node`.
pub(super) fn mend(node: &mut Node, text: &str, diags: &mut Diagnostics) {
    match &mut node.kind {
        NodeKind::Map(entries) => {
            for (_, value) in entries.iter_mut() {
                mend(value, text, diags);
            }
            let mut i = 0;
            while i < entries.len() {
                // `93` followed by `,6` (a key with no value) and maybe more (`,234,567`).
                let mut last = i;
                let mut end = entries[i].1.span.end;
                while let Some((key, value)) = entries.get(last + 1)
                    && value.is_null()
                    && key.name.starts_with(|c: char| c.is_ascii_digit())
                    && text.get(end..key.span.start) == Some(",")
                {
                    last += 1;
                    end = key.span.end;
                }
                if last > i
                    && let Some(span) = split_number(&entries[i].1, entries[last].0.span, text)
                {
                    let key = entries[i].0.name.to_string();
                    report(span, text, Some(&key), diags);
                    entries[i].1 = Node {
                        kind: NodeKind::Reported,
                        span,
                    };
                    entries.drain(i + 1..=last);
                }
                i += 1;
            }
        }
        NodeKind::Seq(items) => {
            for item in items.iter_mut() {
                mend(item, text, diags);
            }
            // `[1,2,3]` is a list of three in compact style; only a list that also
            // separates items with `, ` shows that a bare comma is a decimal one.
            let spaced = items.windows(2).any(|w| {
                text.get(w[0].span.end..w[1].span.start)
                    .is_some_and(|between| between.trim() == "," && between != ",")
            });
            if !spaced {
                return;
            }
            let mut i = 0;
            while i < items.len() {
                let mut last = i;
                while let Some(next) = items.get(last + 1)
                    && is_scalar(next)
                    && text.get(items[last].span.end..next.span.start) == Some(",")
                {
                    last += 1;
                }
                if last > i
                    && let Some(span) = split_number(&items[i], items[last].span, text)
                {
                    report(span, text, None, diags);
                    items[i] = Node {
                        kind: NodeKind::Reported,
                        span,
                    };
                    items.drain(i + 1..=last);
                }
                i += 1;
            }
        }
        _ => {}
    }
}

fn is_scalar(node: &Node) -> bool {
    matches!(node.kind, NodeKind::Number(_) | NodeKind::Str(_))
}

/// The span from `first` to the end of `last` when, read as one, it is a number in a
/// display format (`93,6`, `93,63%`, `1,234,567`).
fn split_number(first: &Node, last: Span, text: &str) -> Option<Span> {
    if !is_scalar(first) {
        return None;
    }
    let span = Span::new(first.span.file, first.span.start, last.end);
    let written = text.get(span.start..span.end)?;
    matches!(parse_plain(written), Err(NumberError::NotPlain { .. })).then_some(span)
}

fn report(span: Span, text: &str, key: Option<&str>, diags: &mut Diagnostics) {
    let written = text.get(span.start..span.end).unwrap_or_default();
    let plain = match parse_plain(written) {
        Err(NumberError::NotPlain { plain }) => plain,
        _ => return,
    };
    let parts: Vec<&str> = written.split(',').collect();
    let quoted = |parts: &[&str]| {
        parts
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (first, rest) = parts.split_first().unwrap_or((&written, &[]));
    let (message, write) = match key {
        Some(key) => (
            format!(
                "a comma inside `{{…}}` splits `{written}` into `{key}: {first}` and the key{} {}",
                if rest.len() > 1 { "s" } else { "" },
                quoted(rest)
            ),
            format!("`{key}: {plain}`"),
        ),
        None => (
            format!(
                "a comma inside `[…]` splits `{written}` into the items {}",
                quoted(&parts)
            ),
            format!("`{plain}`"),
        ),
    };
    diags.push(
        Diagnostic::error(Code::NumberFormat, message)
            .at(span, "one number, split by YAML")
            .hint(format!(
                "write {write}: files use a dot for decimals, no thousands separators, no `Rp` or `%`{}",
                if key.is_none() {
                    " (if these are separate numbers, put a space after each comma)"
                } else {
                    ""
                }
            )),
    );
}

#[cfg(test)]
mod tests {
    use super::super::{Node, NodeKind, read};
    use crate::base::diagnostic::Diagnostics;
    use crate::base::source::FileId;

    /// The tree of `text` after mending, as `key=kind` entries of its top mapping's `v`,
    /// and the messages reported.
    fn mended(text: &str) -> (Vec<String>, Vec<String>) {
        let mut diags = Diagnostics::default();
        let tree = read(FileId(0), text, &mut diags).expect("parses");
        let NodeKind::Map(top) = &tree.kind else {
            panic!("{tree:?}")
        };
        let shape = |n: &Node| match &n.kind {
            NodeKind::Reported => format!("reported `{}`", &text[n.span.start..n.span.end]),
            NodeKind::Number(t) | NodeKind::Str(t) => t.to_string(),
            NodeKind::Null => "null".into(),
            other => other.describe().into(),
        };
        let entries = match &top[0].1.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .map(|(k, v)| format!("{}={}", k.name, shape(v)))
                .collect(),
            NodeKind::Seq(items) => items.iter().map(shape).collect(),
            _ => vec![shape(&top[0].1)],
        };
        (entries, diags.iter().map(|d| d.message.clone()).collect())
    }

    #[test]
    fn a_decimal_comma_in_braces_is_one_reported_value() {
        let (entries, messages) = mended("v: {persen: 93,6, sumber: Tabel 3}\n");
        assert_eq!(entries, ["persen=reported `93,6`", "sumber=Tabel 3"]);
        assert_eq!(
            messages,
            ["a comma inside `{…}` splits `93,6` into `persen: 93` and the key `6`"]
        );
        let (entries, _) = mended("v: {persen: 93,63%}\n");
        assert_eq!(entries, ["persen=reported `93,63%`"]);
        let (entries, _) = mended("v: {t: 1,234,567, n: 5}\n");
        assert_eq!(entries, ["t=reported `1,234,567`", "n=5"]);
        let (entries, _) = mended("v: {pagu: Rp1.000,5}\n");
        assert_eq!(entries, ["pagu=reported `Rp1.000,5`"]);
    }

    #[test]
    fn what_is_no_split_number_is_left_as_yaml_reads_it() {
        for (text, expected) in [
            // A space after the comma: a key of its own.
            ("v: {n: 93, 6}\n", &["n=93", "6=null"][..]),
            // Text before the comma, a quoted number, a key with a value.
            ("v: {a: x,6}\n", &["a=x", "6=null"][..]),
            ("v: {a: '93',6}\n", &["a=93", "6=null"][..]),
            ("v: {a: 93,6: 1}\n", &["a=93", "6=1"][..]),
            // A key that is no digits.
            ("v: {a: 93,b}\n", &["a=93", "b=null"][..]),
            // A list in compact style, and one spaced throughout.
            ("v: [25,75]\n", &["25", "75"][..]),
            ("v: [25, 75]\n", &["25", "75"][..]),
        ] {
            let (entries, messages) = mended(text);
            assert_eq!(entries, expected, "{text}");
            assert!(messages.is_empty(), "{text}: {messages:?}");
        }
    }

    #[test]
    fn a_decimal_comma_in_a_spaced_list_is_reported() {
        let (entries, messages) = mended("v: [93,6, 87,4, 80]\n");
        assert_eq!(entries, ["reported `93,6`", "reported `87,4`", "80"]);
        assert_eq!(messages.len(), 2, "{messages:?}");
        // Inside nested collections too.
        let (entries, messages) = mended("v: {n: [25,5, 75], t: {a: 1,5}}\n");
        assert_eq!(entries, ["n=a list", "t=a mapping"]);
        assert_eq!(messages.len(), 2, "{messages:?}");
    }
}
