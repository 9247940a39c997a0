//! Diagnostics as JSON (`check`, `audit`, `watch --format json`): every diagnostic has the
//! same keys; what is unknown is null.

use crate::base::diagnostic::Diagnostic;
use crate::base::source::{Sources, Span};
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct DiagnosticOut<'a> {
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<u64>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    label: Option<&'a str>,
    hint: Option<&'a str>,
    related: Vec<Related<'a>>,
}

#[derive(Serialize)]
struct Related<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    label: &'a str,
}

/// Every diagnostic as serde sees it.
pub(crate) fn list<'a>(sources: &'a Sources, diags: &'a [Diagnostic]) -> Vec<DiagnosticOut<'a>> {
    let place = |span: Span, label: &'a str| {
        let start = sources.line_col(span.file, span.start);
        let end = sources.line_col(span.file, span.end);
        Related {
            file: sources.path(span.file),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            label,
        }
    };
    diags
        .iter()
        .map(|d| {
            let mut out = DiagnosticOut {
                code: d.code.as_str(),
                severity: d.severity.name(),
                message: &d.message,
                file: None,
                line: None,
                column: None,
                end_line: None,
                end_column: None,
                label: None,
                hint: d.hint.as_deref(),
                related: d.secondary.iter().map(|l| place(l.span, &l.text)).collect(),
            };
            match (&d.primary, &d.place) {
                (Some(p), _) => {
                    let at = place(p.span, &p.text);
                    out.file = Some(at.file);
                    out.line = Some(at.line as u64);
                    out.column = Some(at.column);
                    out.end_line = Some(at.end_line);
                    out.end_column = Some(at.end_column);
                    out.label = Some(at.label);
                }
                (None, Some(place)) => {
                    out.file = Some(&place.file);
                    out.line = Some(place.line);
                    out.column = place.column;
                }
                (None, None) => {}
            }
            out
        })
        .collect()
}

/// The diagnostics as a pretty JSON list.
pub(crate) fn json(sources: &Sources, diags: &[Diagnostic]) -> String {
    super::json::pretty(&list(sources, diags))
}
