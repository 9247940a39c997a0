//! The report's tables for people: laid out for a terminal (comfy-table), or as Markdown.

use super::Presentation;
use super::sections::{heading, sections};
use crate::eval::Hasil;
use crate::model::Workspace;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};
use std::fmt::Write as _;

pub(super) fn table(ws: &Workspace, h: &Hasil, p: &Presentation) -> String {
    let mut out = heading(ws);
    out.push('\n');
    for s in sections(ws, h) {
        let mut t = Table::new();
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
    let esc = |s: &str| s.trim().replace('|', "\\|");
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
