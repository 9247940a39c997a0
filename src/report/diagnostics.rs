//! Diagnostics as JSON (`check`, `audit`, `watch --format json`): every diagnostic has the
//! same keys; what is unknown is null.

use super::Out;
use crate::diagnostic::Diagnostic;
use crate::source::Sources;

pub fn json(sources: &Sources, diags: &[Diagnostic]) -> Out {
    Out::List(
        diags
            .iter()
            .map(|d| {
                let place = |span: crate::source::Span| {
                    let start = sources.line_col(span.file, span.start);
                    let end = sources.line_col(span.file, span.end);
                    vec![
                        ("file", Out::Str(sources.path(span.file).to_string())),
                        ("line", Out::Num(start.line.to_string())),
                        ("column", Out::Num(start.column.to_string())),
                        ("end_line", Out::Num(end.line.to_string())),
                        ("end_column", Out::Num(end.column.to_string())),
                    ]
                };
                let mut m = vec![
                    ("code", Out::Str(d.code.as_str().into())),
                    ("severity", Out::Str(d.severity.name().into())),
                    ("message", Out::Str(d.message.clone())),
                ];
                match &d.primary {
                    Some(p) => {
                        m.extend(place(p.span));
                        m.push(("label", Out::Str(p.text.clone())));
                    }
                    // Every diagnostic has the same keys; what is unknown is null.
                    None => {
                        let (file, line, column) = match &d.place {
                            Some(p) => (
                                Out::Str(p.file.clone()),
                                Out::Num(p.line.to_string()),
                                p.column.map_or(Out::Null, |c| Out::Num(c.to_string())),
                            ),
                            None => (Out::Null, Out::Null, Out::Null),
                        };
                        m.push(("file", file));
                        m.push(("line", line));
                        m.push(("column", column));
                        m.push(("end_line", Out::Null));
                        m.push(("end_column", Out::Null));
                        m.push(("label", Out::Null));
                    }
                }
                m.push(("hint", d.hint.clone().map_or(Out::Null, Out::Str)));
                m.push((
                    "related",
                    Out::List(
                        d.secondary
                            .iter()
                            .map(|l| {
                                let mut r = place(l.span);
                                r.push(("label", Out::Str(l.text.clone())));
                                Out::Map(r)
                            })
                            .collect(),
                    ),
                ));
                Out::Map(m)
            })
            .collect(),
    )
}
