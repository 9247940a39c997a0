//! The report's tables for people: laid out for a terminal (comfy-table), or as Markdown.

use super::Presentation;
use super::sections::{catatan, heading, sections};
use crate::base::number::Locale;
use crate::eval::Hasil;
use crate::model::Workspace;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};
use std::fmt::Write as _;

/// The terminal table. `styled`: whether emphasised rows are bold (terminal escape codes);
/// `None` leaves it to comfy-table, which styles whenever standard output is a terminal.
pub(super) fn table(ws: &Workspace, h: &Hasil, p: &Presentation, styled: Option<bool>) -> String {
    let mut out = heading(ws);
    out.push('\n');
    // What the workspace does not hold, said once under the title (the tables are in
    // Indonesian whatever the number format).
    if let Some(line) = catatan(ws.isi(), Locale::Id) {
        let _ = writeln!(out, "{line}");
    }
    for s in sections(ws, h) {
        let mut t = Table::new();
        match styled {
            Some(true) => {
                t.enforce_styling();
            }
            Some(false) => {
                t.force_no_tty();
            }
            None => {}
        }
        t.load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(p.width)
            .set_header(s.headers.iter().map(Cell::new));
        for (i, row) in s.rows.iter().enumerate() {
            let strong = s.is_strong(i);
            t.add_row(row.iter().enumerate().map(|(c, value)| {
                let mut cell = Cell::new(value.text(p));
                if s.numeric.contains(&c) {
                    cell = cell.set_alignment(CellAlignment::Right);
                }
                if strong {
                    cell = cell.add_attribute(comfy_table::Attribute::Bold);
                }
                cell
            }));
        }
        let _ = write!(out, "\n{}\n{t}\n", s.title);
    }
    out
}

pub(super) fn markdown(ws: &Workspace, h: &Hasil, p: &Presentation) -> String {
    let mut out = format!("# {}\n", heading(ws));
    if let Some(line) = catatan(ws.isi(), Locale::Id) {
        let _ = write!(out, "\n{line}\n");
    }
    // No-break spaces that indent a budget row are kept, as entities: Markdown drops
    // leading whitespace of a cell.
    let esc = |s: &str| {
        let body = s.trim_start_matches('\u{a0}');
        let indent = (s.len() - body.len()) / '\u{a0}'.len_utf8();
        format!(
            "{}{}",
            "&nbsp;".repeat(indent),
            body.trim().replace('|', "\\|")
        )
    };
    for s in sections(ws, h) {
        let _ = write!(out, "\n## {}\n\n| {} |\n|", s.title, s.headers.join(" | "));
        for c in 0..s.headers.len() {
            out.push_str(if s.numeric.contains(&c) {
                " ---: |"
            } else {
                " --- |"
            });
        }
        out.push('\n');
        for (i, row) in s.rows.iter().enumerate() {
            let strong = s.is_strong(i);
            let cells: Vec<String> = row
                .iter()
                .map(|c| {
                    let c = esc(&c.text(p));
                    if strong && !c.is_empty() {
                        format!("**{c}**")
                    } else {
                        c
                    }
                })
                .collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{self, Options};
    use crate::base::number::{Locale, Rounding};

    /// A report written to a file has no escape codes, even when standard output is a
    /// terminal.
    #[test]
    fn plain_has_no_escape_codes() {
        let a = analysis::analyze(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
            &Options::default(),
        )
        .expect("the repository's workspace");
        let p = Presentation {
            rounding: Some(Rounding::half_up(2)),
            locale: Locale::En,
            width: 120,
        };
        let styled = table(&a.workspace, &a.hasil, &p, Some(true));
        let plain = table(&a.workspace, &a.hasil, &p, Some(false));
        assert!(styled.contains('\u{1b}'), "{styled}");
        assert!(!plain.contains('\u{1b}'), "{plain}");
    }
}
