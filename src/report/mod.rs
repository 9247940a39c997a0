//! Rendering: the evaluated report as a terminal table, Markdown, CSV, JSON (the machine
//! contract), YAML, an Excel workbook ([`xlsx`]) and a web page ([`web`]); diagnostics,
//! explanations and diffs as JSON and text. Rendering only presents: it rounds for display,
//! never computes.

pub(crate) mod diagnostics;
pub(crate) mod diff;
pub(crate) mod explain;
pub(crate) mod json;
pub(crate) mod rule_tests;
mod sections;
mod table;
mod tabular;
pub(crate) mod web;
pub(crate) mod xlsx;
mod yaml;

use crate::analysis::Analysis;
use crate::base::number::{Locale, Rounding};
use crate::eval::Hasil;
use crate::model::Workspace;
use rust_decimal::Decimal;

/// The text formats `eval` writes (the Excel workbook, bytes rather than text, is
/// `xlsx::workbook`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Yaml,
    Markdown,
    Csv,
    /// One self-contained web page ([`web`]).
    Html,
}

/// How figures are shown.
#[derive(Clone, Copy, Debug)]
pub struct Presentation {
    /// `None` shows full precision.
    pub rounding: Option<Rounding>,
    pub locale: Locale,
    /// Terminal width for tables.
    pub width: u16,
}

impl Presentation {
    /// A percentage or score at the presentation precision, as a number.
    fn num(&self, v: Decimal) -> Decimal {
        match self.rounding {
            Some(r) => r.apply(v),
            None => v,
        }
    }

    /// A percentage or score for people.
    fn pct(&self, v: Option<Decimal>) -> String {
        match (v, self.rounding) {
            (Some(v), Some(r)) => self.locale.fixed(r.apply(v), r.decimals),
            (Some(v), None) => self.locale.rupiah(v),
            (None, _) => "—".into(),
        }
    }

    /// An amount of rupiah for people.
    fn rp(&self, v: Option<Decimal>) -> String {
        match v {
            Some(v) => {
                let text = self.locale.rupiah(v);
                if self.locale == Locale::Id {
                    format!("Rp{text}")
                } else {
                    text
                }
            }
            None => "—".into(),
        }
    }
}

impl Analysis {
    /// The report in `format`; `None` unless [`Analysis::is_complete`].
    pub fn render(&self, format: Format, presentation: &Presentation) -> Option<String> {
        self.is_complete()
            .then(|| render(&self.workspace, &self.hasil, format, presentation))
    }
}

/// The report of an evaluated workspace in `format`, for standard output.
pub(crate) fn render(ws: &Workspace, hasil: &Hasil, format: Format, p: &Presentation) -> String {
    render_styled(ws, hasil, format, p, None)
}

/// [`render`] for a file: the terminal table without the bold that comfy-table gives it
/// whenever standard output is a terminal, wherever the text goes.
pub(crate) fn render_plain(
    ws: &Workspace,
    hasil: &Hasil,
    format: Format,
    p: &Presentation,
) -> String {
    render_styled(ws, hasil, format, p, Some(false))
}

fn render_styled(
    ws: &Workspace,
    hasil: &Hasil,
    format: Format,
    p: &Presentation,
    styled: Option<bool>,
) -> String {
    match format {
        Format::Table => table::table(ws, hasil, p, styled),
        Format::Markdown => table::markdown(ws, hasil, p),
        Format::Csv => tabular::csv(ws, hasil, p),
        Format::Json => json::report(ws, hasil, p),
        Format::Yaml => yaml::report(ws, hasil, p),
        Format::Html => web::static_page(ws, hasil, p),
    }
}
